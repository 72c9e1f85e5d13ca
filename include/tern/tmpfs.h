/* SPDX-License-Identifier: MIT */
/*
 * tmpfs (fs/tmpfs/): the in-memory file system behind the root and /tmp.
 * Directories keep their own entries (the dentry cache sits above them);
 * regular files keep their data in pages indexed by a radix tree, so
 * files are sparse and can grow to hundreds of MiB and beyond.
 */
#pragma once

#include <tern/vfs.h>

/* Mount options; zero limits mean unlimited. */
struct tmpfs_options {
	uint64_t max_pages;  /* size=, in pages (ENOSPC past it) */
	uint64_t max_inodes; /* nr_inodes= (ENOSPC past it) */
	uint32_t mode;	     /* permission bits of the root (Linux: 01777) */
	uint32_t uid;	     /* owner of the root directory */
	uint32_t gid;
	bool is_readonly; /* MS_RDONLY: the super block starts read-only */
};

/* Which options tmpfs_parse_options met. */
enum tmpfs_seen {
	TMPFS_SEEN_SIZE = 1u << 0,
	TMPFS_SEEN_INODES = 1u << 1,
};

/*
 * Parses mount(2)'s data for tmpfs, "key=value,...", into o (which holds
 * the defaults): size= (bytes, k/m/g suffixes, rounded up to pages),
 * nr_inodes= (k/m/g too), mode= (octal), uid=, gid=. EINVAL for anything
 * else. s is modified; *seen (if not NULL) gets enum tmpfs_seen bits.
 */
int tmpfs_parse_options(char *s, struct tmpfs_options *o, uint32_t *seen) __must_check;

/*
 * Makes a tmpfs super block with an empty root directory. 0 and *out
 * (one reference, the caller's), or -ENOMEM. Mount it with vfs_mount or
 * vfs_mount_root and then drop the reference with vfs_super_put.
 */
int tmpfs_create(struct vfs *vfs, const struct tmpfs_options *opts,
		 struct super_block **out) __must_check;

/*
 * The page at index (file offset index * PAGE_SIZE) of a tmpfs regular
 * file: 0 and its kernel address in *out, no reference taken (mappings
 * use file_ops.map_page, which takes one); with create an
 * absent page is allocated zeroed (ENOSPC, ENOMEM), without it *out is
 * NULL for a hole. EINVAL for an inode that is not a tmpfs regular file,
 * EFBIG for an index past the largest file. Takes vfs->lock. The page
 * stays valid until the file is truncated below it or freed.
 */
int tmpfs_get_page(struct inode *inode, uint64_t index, bool create, void **out) __must_check;

/* True if inode belongs to a tmpfs. */
bool is_tmpfs_inode(const struct inode *inode);
