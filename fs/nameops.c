// SPDX-License-Identifier: MIT
/*
 * Making and removing names: mkdir, mknod, symlink, link, unlink and
 * rmdir, each with Linux's order of checks (do_*at and vfs_* in Linux
 * fs/namei.c) so that the errno matches. rename is rename.c; the walk is
 * namei.c; the file system does the change through its inode ops.
 */
#include <tern/errno.h>

#include "internal.h"

int create_node(const struct vfs_ctx *ctx, struct dentry *parent, struct dentry *child,
		uint32_t mode, uint32_t rdev, const char *target)
{
	struct inode *dir = parent->inode;
	struct vfs_new_inode ni;
	struct inode *inode;
	int err;

	err = may_create(ctx->cred, dir, child);
	if (err)
		return err;
	if (!dir->ops->create)
		return -EPERM;
	new_inode_attrs(ctx, dir, mode, &ni);
	ni.rdev = rdev;
	if (target) {
		ni.link_target = target;
		ni.link_len = strlen(target);
	}
	err = dir->ops->create(dir, child->name, child->name_len, &ni, &inode);
	if (err)
		return err;
	dentry_instantiate(child, inode);
	return 0;
}

int vfs_mkdir(const struct vfs_ctx *ctx, const struct path *dir, const char *pathname,
	      uint32_t mode)
{
	struct vfs *vfs = ctx_vfs(ctx);
	struct dentry *child;
	struct namei nd;
	int err;

	vfs_lock(vfs);
	err = walk_create(&nd, ctx, dir, pathname, true, &child);
	if (!err) {
		mode = S_IFDIR | (mode & (0777 | S_ISVTX) & ~ctx->umask);
		err = create_node(ctx, nd.cur.dentry, child, mode, 0, NULL);
		dentry_put(child);
	}
	namei_fini(&nd);
	vfs_unlock(vfs);
	return err;
}

/* ABI: may_mknod: the types mknod(2) makes; a directory is EPERM, nonsense EINVAL. */
static int check_mknod_mode(uint32_t *mode)
{
	switch (*mode & S_IFMT) {
	case 0:
		*mode |= S_IFREG;
		return 0;
	case S_IFREG:
	case S_IFCHR:
	case S_IFBLK:
	case S_IFIFO:
	case S_IFSOCK:
		return 0;
	case S_IFDIR:
		return -EPERM;
	default:
		return -EINVAL;
	}
}

int vfs_mknod(const struct vfs_ctx *ctx, const struct path *dir, const char *pathname,
	      uint32_t mode, uint32_t dev)
{
	struct vfs *vfs = ctx_vfs(ctx);
	struct dentry *child;
	struct namei nd;
	int err;

	err = check_mknod_mode(&mode);
	if (err)
		return err;
	mode = (mode & S_IFMT) | (mode & 07777 & ~ctx->umask);
	if (!S_ISCHR(mode) && !S_ISBLK(mode))
		dev = 0;
	vfs_lock(vfs);
	err = walk_create(&nd, ctx, dir, pathname, false, &child);
	if (err)
		goto out;
	err = may_create(ctx->cred, nd.cur.dentry->inode, child);
	if (!err && (S_ISCHR(mode) || S_ISBLK(mode)) && !cred_has_cap(ctx->cred, CAP_MKNOD))
		err = -EPERM;
	if (!err)
		err = create_node(ctx, nd.cur.dentry, child, mode, dev, NULL);
	dentry_put(child);
out:
	namei_fini(&nd);
	vfs_unlock(vfs);
	return err;
}

int vfs_symlink(const struct vfs_ctx *ctx, const char *target, const struct path *dir,
		const char *pathname)
{
	struct vfs *vfs = ctx_vfs(ctx);
	size_t len = strnlen(target, PATH_MAX);
	struct dentry *child;
	struct namei nd;
	int err;

	if (len == 0)
		return -ENOENT;
	if (len >= PATH_MAX)
		return -ENAMETOOLONG;
	vfs_lock(vfs);
	err = walk_create(&nd, ctx, dir, pathname, false, &child);
	if (!err) {
		err = create_node(ctx, nd.cur.dentry, child, S_IFLNK | 0777, 0, target);
		dentry_put(child);
	}
	namei_fini(&nd);
	vfs_unlock(vfs);
	return err;
}

/* ABI: vfs_link in Linux fs/namei.c. */
static int link_inode(const struct vfs_ctx *ctx, struct inode *inode, struct dentry *parent,
		      struct dentry *child)
{
	struct inode *dir = parent->inode;
	int err = may_create(ctx->cred, dir, child);

	if (err)
		return err;
	if (dir->sb != inode->sb)
		return -EXDEV;
	if (!dir->ops->link || S_ISDIR(inode->mode))
		return -EPERM;
	if (inode->nlink == 0 && !(inode->flags & INODE_LINKABLE))
		return -ENOENT;
	err = dir->ops->link(dir, child->name, child->name_len, inode);
	if (err)
		return err;
	inode->flags &= ~INODE_LINKABLE;
	inode_get(inode);
	dentry_instantiate(child, inode);
	return 0;
}

/*
 * ABI: linkat(2) with AT_EMPTY_PATH needs CAP_DAC_READ_SEARCH; without
 * it the empty path is ENOENT (Linux 6.1).
 */
int vfs_link(const struct vfs_ctx *ctx, const struct path *old_dir, const char *old_path,
	     const struct path *new_dir, const char *new_path, unsigned int at_flags)
{
	struct vfs *vfs = ctx_vfs(ctx);
	unsigned int lookup = (at_flags & AT_SYMLINK_FOLLOW) ? LOOKUP_FOLLOW : 0;
	struct dentry *child;
	struct namei nd;
	struct path old;
	int err;

	if (at_flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if ((at_flags & AT_EMPTY_PATH) && cred_has_cap(ctx->cred, CAP_DAC_READ_SEARCH))
		lookup |= LOOKUP_EMPTY;
	vfs_lock(vfs);
	err = walk_path(ctx, old_dir, old_path, lookup, &old);
	if (err)
		goto out_unlock;
	err = walk_create(&nd, ctx, new_dir, new_path, false, &child);
	if (err)
		goto out_fini;
	if (old.mnt != nd.cur.mnt)
		err = -EXDEV;
	else
		err = link_inode(ctx, old.dentry->inode, nd.cur.dentry, child);
	dentry_put(child);
out_fini:
	namei_fini(&nd);
	path_put_locked(&old);
out_unlock:
	vfs_unlock(vfs);
	return err;
}

/* ABI: do_unlinkat's "slashes" case: a trailing slash on a name that is not a directory. */
static int unlink_slash_error(const struct dentry *child)
{
	if (!child->inode)
		return -ENOENT;
	return dentry_is_dir(child) ? -EISDIR : -ENOTDIR;
}

static int unlink_child(const struct vfs_ctx *ctx, struct namei *nd, struct dentry *child)
{
	struct inode *dir = nd->cur.dentry->inode;
	int err;

	if (namei_has_trailing_slash(nd) || !child->inode)
		return unlink_slash_error(child);
	err = may_delete(ctx->cred, dir, child, false);
	if (err)
		return err;
	if (!dir->ops->unlink)
		return -EPERM;
	if (child->nr_mounts)
		return -EBUSY;
	err = dir->ops->unlink(dir, child->name, child->name_len, child->inode);
	if (!err)
		dentry_unhash(child);
	return err;
}

int vfs_unlink(const struct vfs_ctx *ctx, const struct path *dir, const char *pathname)
{
	struct vfs *vfs = ctx_vfs(ctx);
	struct dentry *child;
	struct namei nd;
	int err;

	vfs_lock(vfs);
	err = walk_parent_child(&nd, ctx, dir, pathname, &child);
	if (!err && nd.last_type != LAST_NORM)
		err = -EISDIR;
	if (!err)
		err = mount_want_write(nd.cur.mnt);
	if (!err)
		err = unlink_child(ctx, &nd, child);
	if (child)
		dentry_put(child);
	namei_fini(&nd);
	vfs_unlock(vfs);
	return err;
}

/* ABI: do_rmdir: ".." is ENOTEMPTY, "." EINVAL, "/" EBUSY. */
static int rmdir_last_type_error(enum last_type type)
{
	switch (type) {
	case LAST_DOTDOT:
		return -ENOTEMPTY;
	case LAST_DOT:
		return -EINVAL;
	case LAST_ROOT:
		return -EBUSY;
	default:
		return 0;
	}
}

static int rmdir_child(const struct vfs_ctx *ctx, struct namei *nd, struct dentry *child)
{
	struct inode *dir = nd->cur.dentry->inode;
	int err;

	if (!child->inode)
		return -ENOENT;
	err = may_delete(ctx->cred, dir, child, true);
	if (err)
		return err;
	if (!dir->ops->rmdir)
		return -EPERM;
	if (child->nr_mounts)
		return -EBUSY;
	err = dir->ops->rmdir(dir, child->name, child->name_len, child->inode);
	if (err)
		return err;
	dentry_unhash(child);
	dentry_prune_children(child);
	return 0;
}

int vfs_rmdir(const struct vfs_ctx *ctx, const struct path *dir, const char *pathname)
{
	struct vfs *vfs = ctx_vfs(ctx);
	struct dentry *child;
	struct namei nd;
	int err;

	vfs_lock(vfs);
	err = walk_parent_child(&nd, ctx, dir, pathname, &child);
	if (!err)
		err = rmdir_last_type_error(nd.last_type);
	if (!err)
		err = mount_want_write(nd.cur.mnt);
	if (!err)
		err = rmdir_child(ctx, &nd, child);
	if (child)
		dentry_put(child);
	namei_fini(&nd);
	vfs_unlock(vfs);
	return err;
}
