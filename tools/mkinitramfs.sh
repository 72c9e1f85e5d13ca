#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Packs a staging folder into a newc cpio archive (an initramfs) with
# every file owned by root, so the image is the same whoever builds it.
# Usage: tools/mkinitramfs.sh STAGING_DIR OUTPUT.cpio
set -eu
dir=$1
out=$(realpath -m "$2")
(cd "$dir" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) >"$out"
