/* SPDX-License-Identifier: MIT */
/*
 * Unpacking cpio "newc" archives into the namespace (fs/initramfs/): the
 * initramfs. Decoding is lib/cpio's job (<tern/cpio.h>); this applies the
 * entries with ordinary VFS operations as root.
 */
#pragma once

#include <tern/vfs.h>

/*
 * Creates the archive's files below root (which acts as "/" for the
 * names, so nothing lands outside it): directories, regular files,
 * symlinks, device nodes, FIFOs and sockets, and hard links, with modes,
 * owners and mtimes. Later entries replace earlier ones, several archives
 * may follow one another. Returns 0, -EINVAL for a malformed archive
 * (what came before the bad entry stays), or -ENOMEM/-ENOSPC.
 */
int vfs_unpack_cpio(const struct path *root, const void *buf, size_t len) __must_check;
