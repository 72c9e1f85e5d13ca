// SPDX-License-Identifier: MIT
/*
 * Inodes: initialization for file systems, reference counting, and the
 * timestamp and set-ID rules every change applies. An inode stays in
 * memory while referenced; what happens when the last reference goes is
 * the file system's call (tmpfs keeps linked inodes, frees unlinked ones).
 * All under vfs->lock.
 */
#include <tern/errno.h>

#include "internal.h"

void inode_init(struct inode *inode, struct super_block *sb, uint64_t ino, uint32_t mode)
{
	struct vfs_time now = vfs_time_now();

	assert_vfs_locked(sb->vfs);
	inode->sb = sb;
	inode->ino = ino;
	inode->mode = mode;
	inode->nlink = 1;
	inode->refcount = 1;
	inode->atime = now;
	inode->mtime = now;
	inode->ctime = now;
	inode->btime = now;
	list_insert_tail(&sb->inode_list, &inode->sb_link);
	sb->nr_inodes++;
	vma_rmap_init(&inode->mmap_rmap);
}

void inode_fini(struct inode *inode)
{
	assert_vfs_locked(inode->sb->vfs);
	assert(inode->refcount == 0);
	assert(vma_rmap_is_empty(&inode->mmap_rmap));
	list_remove(&inode->sb_link);
	inode->sb->nr_inodes--;
}

void inode_get(struct inode *inode)
{
	assert_vfs_locked(inode->sb->vfs);
	assert(inode->refcount > 0 || inode->nlink > 0);
	inode->refcount++;
}

void inode_put(struct inode *inode)
{
	assert_vfs_locked(inode->sb->vfs);
	assert(inode->refcount > 0);
	if (--inode->refcount == 0)
		inode->sb->ops->inode_unused(inode);
}

static int time_cmp(const struct vfs_time *a, const struct vfs_time *b)
{
	if (a->sec != b->sec)
		return a->sec < b->sec ? -1 : 1;
	if (a->nsec != b->nsec)
		return a->nsec < b->nsec ? -1 : 1;
	return 0;
}

/*
 * ABI: "relatime", Linux's default mount option: atime moves only when it
 * is not newer than mtime or ctime, or is a day old (mount(8)).
 */
static bool relatime_needs_update(const struct inode *inode, struct vfs_time now)
{
	return time_cmp(&inode->mtime, &inode->atime) >= 0 ||
	       time_cmp(&inode->ctime, &inode->atime) >= 0 || now.sec - inode->atime.sec >= 86400;
}

/* ABI: atime_needs_update and touch_atime in Linux fs/inode.c. */
void path_touch_atime(const struct path *path)
{
	struct inode *inode = path->dentry->inode;
	uint32_t flags = path->mnt->flags;
	struct vfs_time now = vfs_time_now();

	assert_vfs_locked(inode->sb->vfs);
	if (mount_is_readonly(path->mnt) || (flags & MNT_NOATIME))
		return;
	if ((flags & MNT_NODIRATIME) && S_ISDIR(inode->mode))
		return;
	if ((flags & MNT_RELATIME) && !relatime_needs_update(inode, now))
		return;
	inode->atime = now;
}

void inode_touch_mtime(struct inode *inode)
{
	struct vfs_time now = vfs_time_now();

	assert_vfs_locked(inode->sb->vfs);
	inode->mtime = now;
	inode->ctime = now;
}

void inode_touch_ctime(struct inode *inode)
{
	assert_vfs_locked(inode->sb->vfs);
	inode->ctime = vfs_time_now();
}

/* ABI: write(2) and truncate(2) by a caller without CAP_FSETID (Linux file_remove_privs). */
void inode_kill_suid(struct inode *inode, bool can_fsetid)
{
	uint32_t mode = inode->mode;

	if (can_fsetid || !S_ISREG(mode))
		return;
	if (mode & S_ISUID)
		mode &= ~S_ISUID;
	if ((mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP))
		mode &= ~S_ISGID;
	if (mode != inode->mode) {
		inode->mode = mode;
		inode_touch_ctime(inode);
	}
}

int inode_truncate(struct inode *inode, uint64_t size)
{
	assert_vfs_locked(inode->sb->vfs);
	assert(S_ISREG(inode->mode));
	if (size > inode->sb->max_file_bytes)
		return -EFBIG;
	if (!inode->ops->truncate)
		return -EPERM;
	return inode->ops->truncate(inode, size);
}
