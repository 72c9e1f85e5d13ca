/* SPDX-License-Identifier: MIT */
/*
 * Unpacking the initramfs into the namespace (fs/initramfs/): cpio "newc"
 * archives, plain or gzip-compressed. Decoding is lib/cpio's and
 * lib/inflate's job (<tern/cpio.h>, <tern/inflate.h>); this applies the
 * entries with ordinary VFS operations as root.
 */
#pragma once

#include <tern/vfs.h>

/*
 * Creates the image's files below root (which acts as "/" for the names,
 * so nothing lands outside it): directories, regular files, symlinks,
 * device nodes, FIFOs and sockets, and hard links, with modes, owners and
 * mtimes. The image is a sequence of archives, each plain or a gzip
 * member (which may hold several), with NUL bytes between; later entries
 * replace earlier ones. Decompressed data never sits whole in memory.
 * Returns 0, -EINVAL for a malformed image (what came before the bad
 * entry stays), or -ENOMEM/-ENOSPC.
 */
int vfs_unpack_initramfs(const struct path *root, const void *buf, size_t len) __must_check;
