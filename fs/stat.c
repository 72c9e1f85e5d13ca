// SPDX-License-Identifier: MIT
/*
 * Reading attributes and names: stat/statx (into struct kstat, then the
 * UAPI layouts), statfs, readlink, and a position's name as getcwd(2)
 * and /proc show it. Changing attributes is attr.c.
 */
#include <tern/errno.h>

#include "internal.h"

/*
 * ABI: statfs f_flags bits (statvfs(3), Linux include/linux/statfs.h,
 * kept out of the UAPI headers); ST_VALID says the field is filled.
 */
enum st_flags {
	ST_RDONLY = 0x0001,
	ST_NOSUID = 0x0002,
	ST_NODEV = 0x0004,
	ST_NOEXEC = 0x0008,
	ST_VALID = 0x0020,
	ST_NOATIME = 0x0400,
	ST_NODIRATIME = 0x0800,
	ST_RELATIME = 0x1000,
	ST_NOSYMFOLLOW = 0x2000,
};

/* ABI: calculate_f_flags in Linux fs/statfs.c: the mount's flags and the super block's. */
static uint32_t statfs_flags(const struct mount *mnt)
{
	static const struct {
		uint32_t mnt;
		uint32_t st;
	} map[] = {
		{MNT_READONLY, ST_RDONLY},   {MNT_NOSUID, ST_NOSUID},
		{MNT_NODEV, ST_NODEV},	     {MNT_NOEXEC, ST_NOEXEC},
		{MNT_NOATIME, ST_NOATIME},   {MNT_NODIRATIME, ST_NODIRATIME},
		{MNT_RELATIME, ST_RELATIME}, {MNT_NOSYMFOLLOW, ST_NOSYMFOLLOW},
	};
	uint32_t flags = ST_VALID;

	for (size_t i = 0; i < ARRAY_SIZE(map); i++) {
		if (mnt->flags & map[i].mnt)
			flags |= map[i].st;
	}
	if (mnt->sb->is_readonly)
		flags |= ST_RDONLY;
	return flags;
}

static void getattr_locked(const struct path *path, struct kstat *out)
{
	const struct inode *inode = path->dentry->inode;

	*out = (struct kstat){
		.ino = inode->ino,
		.dev = inode->sb->dev,
		.mode = inode->mode,
		.nlink = inode->nlink,
		.uid = inode->uid,
		.gid = inode->gid,
		.rdev = inode->rdev,
		.size = inode->size,
		.blocks = inode->nr_blocks,
		.blksize = PAGE_SIZE,
		.mnt_id = path->mnt->id,
		.is_mount_root = path->dentry == path->mnt->root,
		.atime = inode->atime,
		.mtime = inode->mtime,
		.ctime = inode->ctime,
		.btime = inode->btime,
	};
}

void vfs_getattr(const struct path *path, struct kstat *out)
{
	struct vfs *vfs = path->mnt->vfs;

	vfs_lock(vfs);
	getattr_locked(path, out);
	vfs_unlock(vfs);
}

int vfs_stat(const struct vfs_ctx *ctx, const struct path *dir, const char *pathname,
	     unsigned int at_flags, struct kstat *out)
{
	unsigned int allowed =
		AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT | AT_STATX_SYNC_TYPE;
	unsigned int flags;
	struct path p;
	int err;

	err = lookup_flags_from_at(at_flags, allowed, &flags);
	if (err)
		return err;
	vfs_lock(ctx_vfs(ctx));
	err = walk_path(ctx, dir, pathname, flags, &p);
	if (!err) {
		getattr_locked(&p, out);
		path_put_locked(&p);
	}
	vfs_unlock(ctx_vfs(ctx));
	return err;
}

void vfs_fill_stat(const struct kstat *ks, struct stat *out)
{
	*out = (struct stat){
		.st_dev = dev_to_user(ks->dev),
		.st_ino = ks->ino,
		.st_nlink = ks->nlink,
		.st_mode = ks->mode,
		.st_uid = ks->uid,
		.st_gid = ks->gid,
		.st_rdev = dev_to_user(ks->rdev),
		.st_size = (long)ks->size,
		.st_blksize = ks->blksize,
		.st_blocks = (long)ks->blocks,
		.st_atime = (unsigned long)ks->atime.sec,
		.st_atime_nsec = (unsigned long)ks->atime.nsec,
		.st_mtime = (unsigned long)ks->mtime.sec,
		.st_mtime_nsec = (unsigned long)ks->mtime.nsec,
		.st_ctime = (unsigned long)ks->ctime.sec,
		.st_ctime_nsec = (unsigned long)ks->ctime.nsec,
	};
}

static struct statx_timestamp statx_time(struct vfs_time t)
{
	return (struct statx_timestamp){.tv_sec = t.sec, .tv_nsec = (__u32)t.nsec};
}

/*
 * ABI: as vfs_statx and shmem_getattr: the basic fields and the mount id
 * always, whatever the mask asked for; the birth time when asked.
 */
void vfs_fill_statx(const struct kstat *ks, uint32_t mask, struct statx *out)
{
	*out = (struct statx){
		.stx_mask = STATX_BASIC_STATS | STATX_MNT_ID,
		.stx_blksize = ks->blksize,
		.stx_attributes_mask = STATX_ATTR_MOUNT_ROOT,
		.stx_nlink = ks->nlink,
		.stx_uid = ks->uid,
		.stx_gid = ks->gid,
		.stx_mode = (__u16)ks->mode,
		.stx_ino = ks->ino,
		.stx_size = ks->size,
		.stx_blocks = ks->blocks,
		.stx_atime = statx_time(ks->atime),
		.stx_ctime = statx_time(ks->ctime),
		.stx_mtime = statx_time(ks->mtime),
		.stx_rdev_major = dev_major(ks->rdev),
		.stx_rdev_minor = dev_minor(ks->rdev),
		.stx_dev_major = dev_major(ks->dev),
		.stx_dev_minor = dev_minor(ks->dev),
		.stx_mnt_id = ks->mnt_id,
	};
	if (ks->is_mount_root)
		out->stx_attributes |= STATX_ATTR_MOUNT_ROOT;
	if (mask & STATX_BTIME) {
		out->stx_mask |= STATX_BTIME;
		out->stx_btime = statx_time(ks->btime);
	}
}

static void statfs_locked(const struct path *path, struct statfs *out)
{
	struct super_block *sb = path->dentry->sb;

	*out = (struct statfs){0};
	out->f_fsid.val[0] = (int)sb->dev;
	out->f_flags = statfs_flags(path->mnt);
	sb->ops->statfs(sb, out);
}

void vfs_statfs_path(const struct path *path, struct statfs *out)
{
	struct vfs *vfs = path->mnt->vfs;

	vfs_lock(vfs);
	statfs_locked(path, out);
	vfs_unlock(vfs);
}

int vfs_statfs(const struct vfs_ctx *ctx, const struct path *dir, const char *pathname,
	       struct statfs *out)
{
	struct path p;
	int err;

	vfs_lock(ctx_vfs(ctx));
	err = walk_path(ctx, dir, pathname, LOOKUP_FOLLOW, &p);
	if (!err) {
		statfs_locked(&p, out);
		path_put_locked(&p);
	}
	vfs_unlock(ctx_vfs(ctx));
	return err;
}

static int readlink_locked(const struct path *p, bool is_empty, char *buf, size_t size,
			   size_t *len_out)
{
	struct inode *inode = p->dentry->inode;
	const char *target;
	size_t len;
	int err;

	if (!S_ISLNK(inode->mode))
		return is_empty ? -ENOENT : -EINVAL;
	err = inode->ops->get_link(inode, &target, &len);
	if (err)
		return err;
	len = MIN(len, size);
	memcpy(buf, target, len);
	*len_out = len;
	path_touch_atime(p);
	return 0;
}

/* ABI: readlinkat(2) always accepts an empty path (a dirfd on the link itself). */
int vfs_readlink(const struct vfs_ctx *ctx, const struct path *dir, const char *pathname, char *buf,
		 size_t size, size_t *len_out)
{
	struct path p;
	int err;

	if (size == 0)
		return -EINVAL;
	vfs_lock(ctx_vfs(ctx));
	err = walk_path(ctx, dir, pathname, LOOKUP_EMPTY, &p);
	if (!err) {
		err = readlink_locked(&p, pathname[0] == '\0', buf, size, len_out);
		path_put_locked(&p);
	}
	vfs_unlock(ctx_vfs(ctx));
	return err;
}

/* Prepends s to the name being built backwards from *pos; false when it does not fit. */
static bool prepend(char *buf, size_t *pos, const char *s, size_t len)
{
	if (len > *pos)
		return false;
	*pos -= len;
	memcpy(buf + *pos, s, len);
	return true;
}

/*
 * The components from ctx->root down to p, right-aligned in buf[0, *pos);
 * "/" alone for the root, and Linux's "(unreachable)" prefix when the
 * walk up reaches the namespace root without meeting ctx->root.
 */
static int build_path_name(const struct vfs_ctx *ctx, struct path p, char *buf, size_t *pos)
{
	size_t end = *pos;
	bool is_reachable = true;

	while (!path_equal(&p, &ctx->root)) {
		if (p.dentry == p.mnt->root) {
			if (!p.mnt->parent) {
				is_reachable = false;
				break;
			}
			p = (struct path){p.mnt->parent, p.mnt->mountpoint};
			continue;
		}
		if (!prepend(buf, pos, p.dentry->name, p.dentry->name_len) ||
		    !prepend(buf, pos, "/", 1))
			return -ERANGE;
		p.dentry = p.dentry->parent;
	}
	if (*pos == end && !prepend(buf, pos, "/", 1))
		return -ERANGE;
	if (!is_reachable && !prepend(buf, pos, "(unreachable)", 13))
		return -ERANGE;
	return 0;
}

static bool is_unlinked(const struct dentry *d)
{
	return !dentry_is_root(d) && !dentry_is_hashed(d);
}

int vfs_path_name_locked(const struct path *root, const struct path *path, bool must_exist,
			 char *buf, size_t size, size_t *len_out)
{
	static const char deleted[] = " (deleted)";
	struct vfs_ctx ctx = {.root = *root};
	size_t pos = size;
	int err = 0;

	assert_vfs_locked(path->mnt->vfs);
	if (is_unlinked(path->dentry)) {
		if (must_exist)
			err = -ENOENT;
		else if (!prepend(buf, &pos, deleted, sizeof(deleted)))
			err = -ERANGE;
	} else if (!prepend(buf, &pos, "", 1)) {
		err = -ERANGE;
	}
	if (!err)
		err = build_path_name(&ctx, *path, buf, &pos);
	if (err)
		return err;
	memmove(buf, buf + pos, size - pos);
	*len_out = size - pos;
	return 0;
}

int vfs_path_name(const struct vfs_ctx *ctx, const struct path *path, bool must_exist, char *buf,
		  size_t size, size_t *len_out)
{
	int err;

	vfs_lock(ctx_vfs(ctx));
	err = vfs_path_name_locked(&ctx->root, path, must_exist, buf, size, len_out);
	vfs_unlock(ctx_vfs(ctx));
	return err;
}
