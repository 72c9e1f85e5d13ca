// SPDX-License-Identifier: MIT
/*
 * Super blocks and the mount table. A mount shows the subtree of a super
 * block below its root dentry, attached at a mountpoint dentry of its
 * parent mount; the walk (namei.c) crosses into it downwards and back up
 * for "..". A bind mount is one more mount of an existing dentry.
 *
 * References: a mount holds its sb, its root dentry, and while attached
 * its parent mount and mountpoint dentry; the tree holds one reference on
 * every attached mount, and every struct path holds its mount. A super
 * block lives while mounted or while its creator holds it. vfs->lock.
 */
#include <tern/errno.h>

#include "internal.h"

int vfs_super_create(struct vfs *vfs, struct super_block **out)
{
	struct super_block *sb;

	assert_vfs_locked(vfs);
	sb = kzalloc(sizeof(*sb));
	if (!sb)
		return -ENOMEM;
	sb->vfs = vfs;
	sb->refcount = 1;
	sb->dev = vfs_alloc_anon_dev(vfs);
	sb->max_file_bytes = VFS_MAX_FILE_BYTES;
	list_init(&sb->inode_list);
	list_insert_tail(&vfs->sb_list, &sb->link);
	*out = sb;
	return 0;
}

int vfs_super_set_root(struct super_block *sb, struct inode *root_inode)
{
	assert_vfs_locked(sb->vfs);
	assert(!sb->root && S_ISDIR(root_inode->mode));
	return dentry_alloc_root(sb, root_inode, &sb->root);
}

void super_get(struct super_block *sb)
{
	assert_vfs_locked(sb->vfs);
	sb->refcount++;
}

void super_put_locked(struct super_block *sb)
{
	assert_vfs_locked(sb->vfs);
	assert(sb->refcount > 0);
	if (--sb->refcount > 0)
		return;
	dcache_shrink_sb(sb);
	if (sb->root)
		dentry_put(sb->root);
	assert(sb->nr_dentries == 0);
	sb->ops->destroy(sb);
	assert(sb->nr_inodes == 0 && list_is_empty(&sb->inode_list));
	list_remove(&sb->link);
	kfree(sb);
}

int vfs_super_make(struct vfs *vfs, const struct super_ops *ops,
		   int (*fill)(struct super_block *sb, const void *arg, struct inode **root),
		   const void *arg, struct super_block **out)
{
	struct super_block *sb = NULL;
	struct inode *root;
	int err;

	vfs_lock(vfs);
	err = vfs_super_create(vfs, &sb);
	if (!err) {
		sb->ops = ops;
		err = fill(sb, arg, &root);
	}
	if (!err) {
		err = vfs_super_set_root(sb, root);
		if (err)
			inode_put(root);
	}
	vfs_unlock(vfs);
	if (err && sb)
		vfs_super_put(sb);
	if (!err)
		*out = sb;
	return err;
}

void vfs_super_put(struct super_block *sb)
{
	struct vfs *vfs = sb->vfs;

	vfs_lock(vfs);
	super_put_locked(sb);
	vfs_unlock(vfs);
}

void mount_get(struct mount *mnt)
{
	assert_vfs_locked(mnt->vfs);
	assert(mnt->refcount > 0);
	mnt->refcount++;
}

void mount_put(struct mount *mnt)
{
	assert_vfs_locked(mnt->vfs);
	assert(mnt->refcount > 0);
	if (--mnt->refcount > 0)
		return;
	assert(!mnt->parent && mnt->nr_children == 0);
	dentry_put(mnt->root);
	super_put_locked(mnt->sb);
	kfree(mnt);
}

void path_get_locked(const struct path *path)
{
	mount_get(path->mnt);
	dentry_get(path->dentry);
}

void path_put_locked(const struct path *path)
{
	dentry_put(path->dentry);
	mount_put(path->mnt);
}

struct mount *mount_find_child(const struct mount *parent, const struct dentry *mountpoint)
{
	struct list_head *pos;

	if (mountpoint->nr_mounts == 0)
		return NULL;
	list_for_each(pos, &parent->vfs->mount_list) {
		struct mount *mnt = list_entry(pos, struct mount, link);

		if (mnt->parent == parent && mnt->mountpoint == mountpoint)
			return mnt;
	}
	return NULL;
}

void path_follow_mounts(struct path *p)
{
	struct mount *child;

	while ((child = mount_find_child(p->mnt, p->dentry)) != NULL) {
		struct path next = {child, child->root};

		path_get_locked(&next);
		path_put_locked(p);
		*p = next;
	}
}

static int mount_alloc(struct vfs *vfs, struct super_block *sb, struct dentry *root, uint32_t flags,
		       struct mount **out)
{
	struct mount *mnt = kzalloc(sizeof(*mnt));

	if (!mnt)
		return -ENOMEM;
	mnt->vfs = vfs;
	mnt->flags = flags;
	mnt->sb = sb;
	super_get(sb);
	mnt->root = root;
	dentry_get(root);
	mnt->refcount = 1;
	mnt->id = vfs->next_mount_id++;
	list_insert_tail(&vfs->mount_list, &mnt->link);
	*out = mnt;
	return 0;
}

/* Hooks mnt (which keeps the tree's reference) on top of mountpoint. */
static void mount_attach(struct mount *mnt, const struct path *mountpoint)
{
	assert(!mount_find_child(mountpoint->mnt, mountpoint->dentry));
	path_get_locked(mountpoint);
	mnt->parent = mountpoint->mnt;
	mnt->mountpoint = mountpoint->dentry;
	mnt->parent->nr_children++;
	mnt->mountpoint->nr_mounts++;
}

void mount_detach(struct mount *mnt)
{
	assert_vfs_locked(mnt->vfs);
	if (mnt->parent) {
		struct path mountpoint = {mnt->parent, mnt->mountpoint};

		mnt->mountpoint->nr_mounts--;
		mnt->parent->nr_children--;
		mnt->parent = NULL;
		mnt->mountpoint = NULL;
		path_put_locked(&mountpoint);
	}
	list_remove(&mnt->link);
	mount_put(mnt);
}

int vfs_mount_root(struct vfs *vfs, struct super_block *sb, uint32_t mnt_flags, struct path *out)
{
	struct mount *mnt;
	int err;

	vfs_lock(vfs);
	err = -EBUSY;
	if (vfs->root_mount)
		goto out;
	err = mount_alloc(vfs, sb, sb->root, mnt_flags, &mnt);
	if (err)
		goto out;
	vfs->root_mount = mnt;
	*out = (struct path){mnt, mnt->root};
	path_get_locked(out);
out:
	vfs_unlock(vfs);
	return err;
}

int vfs_mount_internal(struct super_block *sb, struct mount **out)
{
	struct mount *mnt;
	int err;

	assert_vfs_locked(sb->vfs);
	err = mount_alloc(sb->vfs, sb, sb->root, 0, &mnt);
	if (err)
		return err;
	/* In no namespace: not on the mount list, never attached. */
	list_remove(&mnt->link);
	list_init(&mnt->link);
	*out = mnt;
	return 0;
}

/* Attaches a new mount of root (in sb) on top of the directory or file at mp. */
static int graft(struct super_block *sb, struct dentry *root, uint32_t flags, struct path *mp)
{
	struct mount *mnt;
	int err;

	path_follow_mounts(mp);
	if (!dentry_is_root(mp->dentry) && !dentry_is_hashed(mp->dentry))
		return -ENOENT;
	if (dentry_is_dir(mp->dentry) != dentry_is_dir(root))
		return -ENOTDIR;
	err = mount_alloc(mp->mnt->vfs, sb, root, flags, &mnt);
	if (err)
		return err;
	mount_attach(mnt, mp);
	return 0;
}

int vfs_mount(const struct vfs_ctx *ctx, const struct path *dir, const char *pathname,
	      struct super_block *sb, uint32_t mnt_flags)
{
	struct vfs *vfs = ctx_vfs(ctx);
	struct path mp;
	int err;

	if (!cred_has_cap(ctx->cred, CAP_SYS_ADMIN))
		return -EPERM;
	vfs_lock(vfs);
	err = walk_path(ctx, dir, pathname, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &mp);
	if (!err) {
		err = graft(sb, sb->root, mnt_flags, &mp);
		path_put_locked(&mp);
	}
	vfs_unlock(vfs);
	return err;
}

int vfs_bind_mount(const struct vfs_ctx *ctx, const struct path *src_dir, const char *src_path,
		   const struct path *dst_dir, const char *dst_path)
{
	struct vfs *vfs = ctx_vfs(ctx);
	struct path src;
	struct path mp;
	int err;

	if (!cred_has_cap(ctx->cred, CAP_SYS_ADMIN))
		return -EPERM;
	vfs_lock(vfs);
	err = walk_path(ctx, src_dir, src_path, LOOKUP_FOLLOW, &src);
	if (err)
		goto out;
	err = walk_path(ctx, dst_dir, dst_path, LOOKUP_FOLLOW, &mp);
	if (!err) {
		err = graft(src.mnt->sb, src.dentry, src.mnt->flags, &mp);
		path_put_locked(&mp);
	}
	path_put_locked(&src);
out:
	vfs_unlock(vfs);
	return err;
}

/*
 * For umount and remount, which need CAP_SYS_ADMIN (EPERM): the mount
 * whose root pathname names (EINVAL if none), referenced.
 */
static int lookup_mount_root(const struct vfs_ctx *ctx, const struct path *dir,
			     const char *pathname, struct path *out)
{
	int err;

	if (!cred_has_cap(ctx->cred, CAP_SYS_ADMIN))
		return -EPERM;
	err = walk_path(ctx, dir, pathname, LOOKUP_FOLLOW, out);
	if (!err && out->dentry != out->mnt->root) {
		path_put_locked(out);
		err = -EINVAL;
	}
	return err;
}

int vfs_umount(const struct vfs_ctx *ctx, const struct path *dir, const char *pathname)
{
	struct vfs *vfs = ctx_vfs(ctx);
	struct path p;
	int err;

	vfs_lock(vfs);
	err = lookup_mount_root(ctx, dir, pathname, &p);
	if (err)
		goto out;
	if (p.mnt == vfs->root_mount || p.mnt == ctx->root.mnt)
		err = -EBUSY;
	else if (p.mnt->refcount > 2 || p.mnt->nr_children > 0)
		err = -EBUSY; /* the tree's reference and ours are all it may have */
	path_put_locked(&p);
	if (!err)
		mount_detach(p.mnt);
out:
	vfs_unlock(vfs);
	return err;
}

uint32_t vfs_mount_flags_from_ms(unsigned long ms_flags)
{
	static const struct {
		unsigned long ms;
		uint32_t mnt;
	} map[] = {
		{MS_RDONLY, MNT_READONLY},
		{MS_NOSUID, MNT_NOSUID},
		{MS_NODEV, MNT_NODEV},
		{MS_NOEXEC, MNT_NOEXEC},
		{MS_NOATIME, MNT_NOATIME},
		{MS_NODIRATIME, MNT_NODIRATIME},
		{MS_NOSYMFOLLOW, MNT_NOSYMFOLLOW},
	};
	uint32_t flags = (ms_flags & MS_NOATIME) ? 0 : MNT_RELATIME;

	for (size_t i = 0; i < ARRAY_SIZE(map); i++) {
		if (ms_flags & map[i].ms)
			flags |= map[i].mnt;
	}
	if (ms_flags & MS_STRICTATIME)
		flags &= ~(uint32_t)(MNT_RELATIME | MNT_NOATIME);
	return flags;
}

void vfs_mount_opts(const struct mount *mnt, char *buf, size_t size)
{
	static const struct {
		uint32_t flag;
		const char *name;
	} opts[] = {
		{MNT_NOSUID, ",nosuid"},	   {MNT_NODEV, ",nodev"},
		{MNT_NOEXEC, ",noexec"},	   {MNT_NOATIME, ",noatime"},
		{MNT_NODIRATIME, ",nodiratime"},   {MNT_RELATIME, ",relatime"},
		{MNT_NOSYMFOLLOW, ",nosymfollow"},
	};

	size_t len;

	assert_vfs_locked(mnt->vfs);
	len = strlcpy(buf, mount_is_readonly(mnt) ? "ro" : "rw", size);
	for (size_t i = 0; i < ARRAY_SIZE(opts) && len < size; i++) {
		if (mnt->flags & opts[i].flag)
			len += strlcpy(buf + len, opts[i].name, size - len);
	}
}

/* ABI: sb_prepare_remount_readonly: writers on any of its mounts, or unlinked open files. */
static bool super_is_busy_for_readonly(struct super_block *sb)
{
	struct list_head *pos;

	list_for_each(pos, &sb->vfs->mount_list) {
		struct mount *mnt = list_entry(pos, struct mount, link);

		if (mnt->sb == sb && mnt->nr_writers > 0)
			return true;
	}
	list_for_each(pos, &sb->inode_list) {
		if (list_entry(pos, struct inode, sb_link)->nlink == 0)
			return true;
	}
	return false;
}

/* ABI: reconfigure_super: the read-only check, then the file system's options. */
static int reconfigure_super(struct super_block *sb, bool to_readonly, char *data)
{
	int err = 0;

	if (to_readonly && !sb->is_readonly && super_is_busy_for_readonly(sb))
		return -EBUSY;
	if (data && data[0])
		err = sb->ops->reconfigure ? sb->ops->reconfigure(sb, data) : -EINVAL;
	if (!err)
		sb->is_readonly = to_readonly;
	return err;
}

/* ABI: do_reconfigure_mnt (MS_BIND) and do_remount in Linux fs/namespace.c. */
static int remount_locked(struct mount *mnt, uint32_t flags, bool is_bind, char *data)
{
	bool to_readonly = flags & MNT_READONLY;
	int err = 0;

	if (is_bind) {
		if (to_readonly && !(mnt->flags & MNT_READONLY) && mnt->nr_writers > 0)
			err = -EBUSY;
	} else {
		err = reconfigure_super(mnt->sb, to_readonly, data);
	}
	if (!err)
		mnt->flags = flags;
	return err;
}

int vfs_remount(const struct vfs_ctx *ctx, const struct path *dir, const char *pathname,
		unsigned long ms_flags, char *data)
{
	unsigned long atime_ms = MS_NOATIME | MS_NODIRATIME | MS_RELATIME | MS_STRICTATIME;
	uint32_t flags = vfs_mount_flags_from_ms(ms_flags);
	struct vfs *vfs = ctx_vfs(ctx);
	struct path p;
	int err;

	vfs_lock(vfs);
	err = lookup_mount_root(ctx, dir, pathname, &p);
	if (err)
		goto out;
	/* A remount that names no atime flag keeps the mount's. */
	if (!(ms_flags & atime_ms))
		flags = (flags & ~(uint32_t)MNT_ATIME_MASK) | (p.mnt->flags & MNT_ATIME_MASK);
	err = remount_locked(p.mnt, flags, ms_flags & MS_BIND, data);
	path_put_locked(&p);
out:
	vfs_unlock(vfs);
	return err;
}
