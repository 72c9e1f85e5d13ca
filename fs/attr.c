// SPDX-License-Identifier: MIT
/*
 * Changing attributes and checking access: chmod, chown, utimensat,
 * access/faccessat and truncate, by name or on a resolved path (the f*
 * forms), with the ownership and capability rules of Linux's
 * setattr_prepare and notify_change (fs/attr.c there). Reading them is
 * stat.c.
 */
#include <tern/errno.h>

#include "internal.h"

#define ALL_PERM_BITS 07777u

static int lookup_at(const struct vfs_ctx *ctx, const struct path *dir, const char *pathname,
		     unsigned int at_flags, unsigned int allowed, struct path *out)
{
	unsigned int flags;
	int err = lookup_flags_from_at(at_flags, allowed, &flags);

	return err ? err : walk_path(ctx, dir, pathname, flags, out);
}

/* ABI: chmod_common, chown_common and vfs_utimes ask for a writable mount first. */
static int chmod_locked(const struct vfs_ctx *ctx, const struct path *path, uint32_t mode)
{
	struct inode *inode = path->dentry->inode;

	if (mount_is_readonly(path->mnt))
		return -EROFS;
	if (S_ISLNK(inode->mode))
		return -EOPNOTSUPP;
	if (!inode_owner_or_capable(ctx->cred, inode))
		return -EPERM;
	mode &= ALL_PERM_BITS;
	if (!cred_in_group(ctx->cred, inode->gid) && !cred_has_cap(ctx->cred, CAP_FSETID))
		mode &= ~S_ISGID;
	inode->mode = (inode->mode & S_IFMT) | mode;
	inode_touch_ctime(inode);
	return 0;
}

int vfs_chmod_path(const struct vfs_ctx *ctx, const struct path *path, uint32_t mode)
{
	int err;

	vfs_lock(ctx_vfs(ctx));
	err = chmod_locked(ctx, path, mode);
	vfs_unlock(ctx_vfs(ctx));
	return err;
}

int vfs_chmod(const struct vfs_ctx *ctx, const struct path *dir, const char *pathname,
	      uint32_t mode, unsigned int at_flags)
{
	struct path p;
	int err;

	vfs_lock(ctx_vfs(ctx));
	err = lookup_at(ctx, dir, pathname, at_flags, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH, &p);
	if (!err) {
		err = chmod_locked(ctx, &p, mode);
		path_put_locked(&p);
	}
	vfs_unlock(ctx_vfs(ctx));
	return err;
}

/* The mode chown leaves: set-user-ID goes, and set-group-ID with group execute. */
static uint32_t mode_after_chown(uint32_t mode)
{
	if (S_ISDIR(mode))
		return mode;
	mode &= ~S_ISUID;
	if ((mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP))
		mode &= ~S_ISGID;
	return mode;
}

/*
 * ABI: chown_common, setattr_prepare (chown_ok, chgrp_ok) and
 * notify_change. Without CAP_CHOWN the owner may only "change" the owner
 * to itself and the group to one it belongs to; anyone may pass -1 for
 * both. For anything but a directory the set-ID bits go whoever calls
 * (chown(2), "since Linux 2.2.13"); when that changes the mode, it is a
 * chmod too, which only the owner (or CAP_FOWNER) may do.
 */
static int chown_locked(const struct vfs_ctx *ctx, const struct path *path, uint32_t uid,
			uint32_t gid)
{
	const struct vfs_cred *cred = ctx->cred;
	struct inode *inode = path->dentry->inode;
	bool is_owner = cred->fsuid == inode->uid;
	bool can_chown = cred_has_cap(cred, CAP_CHOWN);
	uint32_t new_gid = gid != (uint32_t)-1 ? gid : inode->gid;
	uint32_t mode = mode_after_chown(inode->mode);

	if (mount_is_readonly(path->mnt))
		return -EROFS;
	if (uid != (uint32_t)-1 && !(is_owner && uid == inode->uid) && !can_chown)
		return -EPERM;
	if (gid != (uint32_t)-1 && !(is_owner && (cred_in_group(cred, gid) || gid == inode->gid)) &&
	    !can_chown)
		return -EPERM;
	if (mode != inode->mode) {
		if (!inode_owner_or_capable(cred, inode))
			return -EPERM;
		if (!cred_in_group(cred, new_gid) && !cred_has_cap(cred, CAP_FSETID))
			mode &= ~S_ISGID;
	}
	if (uid != (uint32_t)-1)
		inode->uid = uid;
	inode->gid = new_gid;
	inode->mode = mode;
	inode_touch_ctime(inode);
	return 0;
}

int vfs_chown_path(const struct vfs_ctx *ctx, const struct path *path, uint32_t uid, uint32_t gid)
{
	int err;

	vfs_lock(ctx_vfs(ctx));
	err = chown_locked(ctx, path, uid, gid);
	vfs_unlock(ctx_vfs(ctx));
	return err;
}

int vfs_chown(const struct vfs_ctx *ctx, const struct path *dir, const char *pathname, uint32_t uid,
	      uint32_t gid, unsigned int at_flags)
{
	struct path p;
	int err;

	vfs_lock(ctx_vfs(ctx));
	err = lookup_at(ctx, dir, pathname, at_flags, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH, &p);
	if (!err) {
		err = chown_locked(ctx, &p, uid, gid);
		path_put_locked(&p);
	}
	vfs_unlock(ctx_vfs(ctx));
	return err;
}

static bool is_nsec_valid(int64_t nsec)
{
	return nsec == VFS_UTIME_NOW || nsec == VFS_UTIME_OMIT || (nsec >= 0 && nsec < 1000000000);
}

static void set_time(struct vfs_time *dst, const struct vfs_time *src, struct vfs_time now)
{
	if (src->nsec == VFS_UTIME_OMIT)
		return;
	*dst = src->nsec == VFS_UTIME_NOW ? now : *src;
}

/*
 * ABI: vfs_utimes and notify_change: "now" for both (times NULL or both
 * UTIME_NOW) needs ownership or write permission (EACCES); any explicit
 * time, even paired with UTIME_NOW, needs ownership (EPERM).
 */
static int utimens_locked(const struct vfs_ctx *ctx, const struct path *path,
			  const struct vfs_timespec_pair *times)
{
	struct inode *inode = path->dentry->inode;
	struct vfs_time now = vfs_time_now();
	bool is_owner = inode_owner_or_capable(ctx->cred, inode);
	int err;

	if (times && (!is_nsec_valid(times->atime.nsec) || !is_nsec_valid(times->mtime.nsec)))
		return -EINVAL;
	if (times && times->atime.nsec == VFS_UTIME_NOW && times->mtime.nsec == VFS_UTIME_NOW)
		times = NULL;
	if (mount_is_readonly(path->mnt))
		return -EROFS;
	if (!times && !is_owner) {
		err = inode_permission(ctx->cred, inode, MAY_WRITE);
		if (err)
			return err;
	}
	if (times && !is_owner)
		return -EPERM;
	if (times) {
		set_time(&inode->atime, &times->atime, now);
		set_time(&inode->mtime, &times->mtime, now);
	} else {
		inode->atime = now;
		inode->mtime = now;
	}
	inode->ctime = now;
	return 0;
}

static bool is_all_omit(const struct vfs_timespec_pair *times)
{
	return times && times->atime.nsec == VFS_UTIME_OMIT && times->mtime.nsec == VFS_UTIME_OMIT;
}

int vfs_utimens_path(const struct vfs_ctx *ctx, const struct path *path,
		     const struct vfs_timespec_pair *times)
{
	int err;

	if (is_all_omit(times))
		return 0;
	vfs_lock(ctx_vfs(ctx));
	err = utimens_locked(ctx, path, times);
	vfs_unlock(ctx_vfs(ctx));
	return err;
}

/* ABI: utimensat(2) with both times UTIME_OMIT succeeds without even looking the path up. */
int vfs_utimens(const struct vfs_ctx *ctx, const struct path *dir, const char *pathname,
		const struct vfs_timespec_pair *times, unsigned int at_flags)
{
	struct path p;
	int err;

	if (is_all_omit(times))
		return 0;
	vfs_lock(ctx_vfs(ctx));
	err = lookup_at(ctx, dir, pathname, at_flags, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH, &p);
	if (!err) {
		err = utimens_locked(ctx, &p, times);
		path_put_locked(&p);
	}
	vfs_unlock(ctx_vfs(ctx));
	return err;
}

/* ABI: do_faccessat: W_OK on a read-only mount is EROFS, except for special files. */
static int access_locked(const struct vfs_ctx *ctx, const struct path *path, uint32_t mode)
{
	uint32_t type = path->dentry->inode->mode & S_IFMT;
	int err = mode ? inode_permission(ctx->cred, path->dentry->inode, mode) : 0;

	if (err || !(mode & MAY_WRITE))
		return err;
	if (type == S_IFCHR || type == S_IFBLK || type == S_IFIFO || type == S_IFSOCK)
		return 0;
	return mount_want_write(path->mnt);
}

int vfs_access(const struct vfs_ctx *ctx, const struct path *dir, const char *pathname,
	       uint32_t mode, unsigned int at_flags)
{
	struct path p;
	int err;

	if (mode & ~(uint32_t)(MAY_READ | MAY_WRITE | MAY_EXEC))
		return -EINVAL;
	vfs_lock(ctx_vfs(ctx));
	err = lookup_at(ctx, dir, pathname, at_flags & ~AT_EACCESS,
			AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH, &p);
	if (!err) {
		err = access_locked(ctx, &p, mode);
		path_put_locked(&p);
	}
	vfs_unlock(ctx_vfs(ctx));
	return err;
}

/*
 * ABI: vfs_truncate: EISDIR for a directory, EINVAL for other non-regular
 * files, then EROFS, then permissions.
 */
int vfs_truncate(const struct vfs_ctx *ctx, const struct path *dir, const char *pathname,
		 int64_t length)
{
	struct inode *inode;
	struct path p;
	int err;

	if (length < 0)
		return -EINVAL;
	vfs_lock(ctx_vfs(ctx));
	err = walk_path(ctx, dir, pathname, LOOKUP_FOLLOW, &p);
	if (err)
		goto out;
	inode = p.dentry->inode;
	if (S_ISDIR(inode->mode))
		err = -EISDIR;
	else if (!S_ISREG(inode->mode))
		err = -EINVAL;
	else
		err = mount_want_write(p.mnt);
	if (!err)
		err = inode_permission(ctx->cred, inode, MAY_WRITE);
	if (!err)
		err = inode_truncate(inode, (uint64_t)length);
	if (!err) {
		inode_kill_suid(inode, cred_has_cap(ctx->cred, CAP_FSETID));
		inode_touch_mtime(inode);
	}
	path_put_locked(&p);
out:
	vfs_unlock(ctx_vfs(ctx));
	return err;
}
