#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Installs what building and testing Tern needs from Debian's packages,
# and only what is missing. Called by `make run`, `make test` and the
# other targets; safe to run again. apt-get as root, through sudo otherwise.
set -eu

missing=""
need() { # need PACKAGE PATH...: the package is missing if any path is
	pkg=$1
	shift
	for path in "$@"; do
		if [ ! -e "$path" ] && ! command -v "$path" >/dev/null 2>&1; then
			missing="$missing $pkg"
			return
		fi
	done
}

need gcc gcc
need binutils ld
need make make
need clang clang
need clang-format clang-format
need libclang-rt-14-dev /usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.asan-x86_64.a
need linux-libc-dev /usr/include/linux/types.h
need qemu-system-x86 qemu-system-x86_64
need coreutils timeout
need musl-tools musl-gcc
need busybox-static /bin/busybox
need libc6-dev /usr/lib/x86_64-linux-gnu/libc.a
need cpio cpio
need linux-image-cloud-amd64 "$(ls /boot/vmlinuz-*-cloud-amd64 2>/dev/null | head -1)"

if [ -z "$missing" ]; then
	exit 0
fi
echo "setup: installing$missing"
if [ "$(id -u)" = 0 ]; then
	sudo=""
else
	sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq $missing
