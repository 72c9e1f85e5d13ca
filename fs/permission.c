// SPDX-License-Identifier: MIT
/*
 * Permission checks with Linux's rules: owner, group or other bits, then
 * the capabilities that override them (CAP_DAC_OVERRIDE,
 * CAP_DAC_READ_SEARCH, CAP_FOWNER, CAP_FSETID), sticky directories, and
 * the owner and mode of new inodes. Pure functions of the credentials
 * and inode fields they are given; callers hold vfs->lock.
 */
#include <tern/errno.h>

#include "internal.h"

/*
 * ABI: inode_permission and generic_permission in Linux fs/namei.c. A
 * read-only file system is EROFS for writes first. Root (through
 * capabilities) may read and write anything and search any directory,
 * but may execute a file only if some execute bit is set.
 */
int inode_permission(const struct vfs_cred *cred, const struct inode *inode, unsigned int mask)
{
	uint32_t mode = inode->mode;
	uint32_t bits;

	mask &= MAY_READ | MAY_WRITE | MAY_EXEC;
	/* ABI: sb_permission: a read-only super block refuses writes to its data. */
	if ((mask & MAY_WRITE) && inode->sb->is_readonly &&
	    (S_ISREG(mode) || S_ISDIR(mode) || S_ISLNK(mode)))
		return -EROFS;
	if (cred->fsuid == inode->uid)
		bits = mode >> 6;
	else if (cred_in_group(cred, inode->gid))
		bits = mode >> 3;
	else
		bits = mode;
	if ((mask & ~bits & 7) == 0)
		return 0;
	if (S_ISDIR(mode)) {
		if (!(mask & MAY_WRITE) && cred_has_cap(cred, CAP_DAC_READ_SEARCH))
			return 0;
		return cred_has_cap(cred, CAP_DAC_OVERRIDE) ? 0 : -EACCES;
	}
	if (mask == MAY_READ && cred_has_cap(cred, CAP_DAC_READ_SEARCH))
		return 0;
	if ((!(mask & MAY_EXEC) || (mode & 0111)) && cred_has_cap(cred, CAP_DAC_OVERRIDE))
		return 0;
	return -EACCES;
}

bool inode_owner_or_capable(const struct vfs_cred *cred, const struct inode *inode)
{
	return cred->fsuid == inode->uid || cred_has_cap(cred, CAP_FOWNER);
}

int may_create(const struct vfs_cred *cred, struct inode *dir, const struct dentry *child)
{
	if (child->inode)
		return -EEXIST;
	if (dir->flags & INODE_DEAD)
		return -ENOENT;
	return inode_permission(cred, dir, MAY_WRITE | MAY_EXEC);
}

/* ABI: in a sticky directory only the file's or the directory's owner may remove a name. */
static bool is_sticky_protected(const struct vfs_cred *cred, const struct inode *dir,
				const struct inode *inode)
{
	if (!(dir->mode & S_ISVTX))
		return false;
	if (inode->uid == cred->fsuid || dir->uid == cred->fsuid)
		return false;
	return !cred_has_cap(cred, CAP_FOWNER);
}

/* ABI: may_delete in Linux fs/namei.c, in the same order of checks. */
int may_delete(const struct vfs_cred *cred, struct inode *dir, const struct dentry *victim,
	       bool is_dir)
{
	int err;

	if (!victim->inode)
		return -ENOENT;
	err = inode_permission(cred, dir, MAY_WRITE | MAY_EXEC);
	if (err)
		return err;
	if (is_sticky_protected(cred, dir, victim->inode))
		return -EPERM;
	if (is_dir) {
		if (!dentry_is_dir(victim))
			return -ENOTDIR;
		if (dentry_is_root(victim))
			return -EBUSY;
	} else if (dentry_is_dir(victim)) {
		return -EISDIR;
	}
	if (dir->flags & INODE_DEAD)
		return -ENOENT;
	return 0;
}

/*
 * ABI: inode_init_owner and mode_strip_sgid in Linux fs/inode.c: the new
 * inode takes the directory's group when the directory is set-group-ID
 * (and a new directory inherits the bit); a set-group-ID executable
 * made there by an outsider without CAP_FSETID loses the bit.
 */
void new_inode_attrs(const struct vfs_ctx *ctx, const struct inode *dir, uint32_t mode,
		     struct vfs_new_inode *out)
{
	const struct vfs_cred *cred = ctx->cred;

	*out = (struct vfs_new_inode){.uid = cred->fsuid, .gid = cred->fsgid};
	if (dir->mode & S_ISGID) {
		out->gid = dir->gid;
		if (S_ISDIR(mode))
			mode |= S_ISGID;
		else if ((mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP) &&
			 !cred_in_group(cred, dir->gid) && !cred_has_cap(cred, CAP_FSETID))
			mode &= ~S_ISGID;
	}
	out->mode = mode;
}
