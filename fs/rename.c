// SPDX-License-Identifier: MIT
/*
 * rename(2), renameat(2) and renameat2(2): Linux's checks in Linux's
 * order (do_renameat2 and vfs_rename in fs/namei.c), the file system's
 * rename op, then the dentry cache moved to match. The walks are
 * namei.c, the permission rules permission.c.
 */
#include <tern/errno.h>

#include "internal.h"

/* Both ends of a rename: the parent walks and the two child dentries. */
struct rename_ends {
	struct namei old_nd;
	struct namei new_nd;
	struct dentry *old_child; /* referenced */
	struct dentry *new_child; /* referenced, may be negative */
	unsigned int flags;
};

static bool has_old_slash(const struct rename_ends *r)
{
	return namei_has_trailing_slash(&r->old_nd);
}

static bool has_new_slash(const struct rename_ends *r)
{
	return namei_has_trailing_slash(&r->new_nd);
}

/* ABI: do_renameat2 up to the lookups of both names (a read-only mount just before). */
static int lookup_ends(const struct vfs_ctx *ctx, struct rename_ends *r, const struct path *old_dir,
		       const char *old_path, const struct path *new_dir, const char *new_path)
{
	int err;

	err = namei_start(&r->old_nd, ctx, old_dir, old_path, 0);
	if (!err)
		err = namei_walk_parent(&r->old_nd);
	if (err)
		return err;
	err = namei_start(&r->new_nd, ctx, new_dir, new_path, 0);
	if (!err)
		err = namei_walk_parent(&r->new_nd);
	if (err)
		return err;
	if (r->old_nd.cur.mnt != r->new_nd.cur.mnt)
		return -EXDEV;
	if (r->old_nd.last_type != LAST_NORM)
		return -EBUSY;
	if (r->new_nd.last_type != LAST_NORM)
		return (r->flags & RENAME_NOREPLACE) ? -EEXIST : -EBUSY;
	err = mount_want_write(r->old_nd.cur.mnt);
	if (err)
		return err;
	err = lookup_child(r->old_nd.cur.dentry, r->old_nd.last, r->old_nd.last_len, &r->old_child);
	if (err)
		return err;
	if (!r->old_child->inode)
		return -ENOENT;
	return lookup_child(r->new_nd.cur.dentry, r->new_nd.last, r->new_nd.last_len,
			    &r->new_child);
}

/* ABI: the rest of do_renameat2: existence, trailing slashes, ancestry. */
static int check_shapes(struct rename_ends *r)
{
	struct dentry *old_parent = r->old_nd.cur.dentry;
	struct dentry *new_parent = r->new_nd.cur.dentry;

	if ((r->flags & RENAME_NOREPLACE) && r->new_child->inode)
		return -EEXIST;
	if (r->flags & RENAME_EXCHANGE) {
		if (!r->new_child->inode)
			return -ENOENT;
		if (!dentry_is_dir(r->new_child) && has_new_slash(r))
			return -ENOTDIR;
	}
	if (!dentry_is_dir(r->old_child)) {
		if (has_old_slash(r))
			return -ENOTDIR;
		if (!(r->flags & RENAME_EXCHANGE) && has_new_slash(r))
			return -ENOTDIR;
	}
	if (old_parent == new_parent)
		return 0;
	if (dentry_is_ancestor(r->old_child, new_parent))
		return -EINVAL;
	if (r->new_child->inode && dentry_is_ancestor(r->new_child, old_parent))
		return (r->flags & RENAME_EXCHANGE) ? -EINVAL : -ENOTEMPTY;
	return 0;
}

/* ABI: vfs_rename's permission checks. */
static int check_permissions(const struct vfs_ctx *ctx, struct rename_ends *r)
{
	struct inode *old_dir = r->old_nd.cur.dentry->inode;
	struct inode *new_dir = r->new_nd.cur.dentry->inode;
	bool is_dir = dentry_is_dir(r->old_child);
	bool new_is_dir = dentry_is_dir(r->new_child);
	int err;

	err = may_delete(ctx->cred, old_dir, r->old_child, is_dir);
	if (err)
		return err;
	if (!r->new_child->inode)
		err = may_create(ctx->cred, new_dir, r->new_child);
	else if (r->flags & RENAME_EXCHANGE)
		err = may_delete(ctx->cred, new_dir, r->new_child, new_is_dir);
	else
		err = may_delete(ctx->cred, new_dir, r->new_child, is_dir);
	if (err)
		return err;
	if (!old_dir->ops->rename)
		return -EPERM;
	if (old_dir != new_dir) {
		/* A directory that changes parent gets a new "..": it must be writable. */
		if (is_dir)
			err = inode_permission(ctx->cred, r->old_child->inode, MAY_WRITE);
		if (!err && (r->flags & RENAME_EXCHANGE) && new_is_dir)
			err = inode_permission(ctx->cred, r->new_child->inode, MAY_WRITE);
	}
	if (!err && (r->old_child->nr_mounts || r->new_child->nr_mounts))
		err = -EBUSY;
	return err;
}

/* Makes the dentry cache say what the file system now says. */
static void move_dentries(struct rename_ends *r, char *old_prepared, char *new_prepared)
{
	struct dentry *old_parent = r->old_nd.cur.dentry;
	struct dentry *new_parent = r->new_nd.cur.dentry;

	if (r->flags & RENAME_EXCHANGE) {
		dentry_move(r->old_child, new_parent, r->new_nd.last, r->new_nd.last_len,
			    new_prepared);
		dentry_move(r->new_child, old_parent, r->old_nd.last, r->old_nd.last_len,
			    old_prepared);
		return;
	}
	dentry_unhash(r->new_child);
	if (dentry_is_dir(r->new_child))
		dentry_prune_children(r->new_child);
	dentry_move(r->old_child, new_parent, r->new_nd.last, r->new_nd.last_len, new_prepared);
}

static int do_rename(const struct vfs_ctx *ctx, struct rename_ends *r)
{
	struct inode *old_dir = r->old_nd.cur.dentry->inode;
	struct inode *new_dir = r->new_nd.cur.dentry->inode;
	char *old_prepared = NULL;
	char *new_prepared = NULL;
	int err;

	err = check_shapes(r);
	if (err || r->old_child->inode == r->new_child->inode)
		return err;
	err = check_permissions(ctx, r);
	if (err)
		return err;
	err = dentry_name_prepare(r->new_nd.last_len, &new_prepared);
	if (!err && (r->flags & RENAME_EXCHANGE))
		err = dentry_name_prepare(r->old_nd.last_len, &old_prepared);
	if (!err)
		err = old_dir->ops->rename(old_dir, r->old_nd.last, r->old_nd.last_len, new_dir,
					   r->new_nd.last, r->new_nd.last_len, r->flags);
	if (err) {
		kfree(old_prepared);
		kfree(new_prepared);
		return err;
	}
	move_dentries(r, old_prepared, new_prepared);
	return 0;
}

/* ABI: RENAME_WHITEOUT (overlayfs's) is not supported: EINVAL, as a file system without it. */
int vfs_rename(const struct vfs_ctx *ctx, const struct path *old_dir, const char *old_path,
	       const struct path *new_dir, const char *new_path, unsigned int flags)
{
	struct vfs *vfs = ctx_vfs(ctx);
	struct rename_ends r = {.flags = flags};
	int err;

	if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE))
		return -EINVAL;
	if ((flags & RENAME_NOREPLACE) && (flags & RENAME_EXCHANGE))
		return -EINVAL;
	vfs_lock(vfs);
	r.old_nd.cur.mnt = NULL;
	r.new_nd.cur.mnt = NULL;
	r.old_nd.nr_links = 0;
	r.new_nd.nr_links = 0;
	err = lookup_ends(ctx, &r, old_dir, old_path, new_dir, new_path);
	if (!err)
		err = do_rename(ctx, &r);
	if (r.old_child)
		dentry_put(r.old_child);
	if (r.new_child)
		dentry_put(r.new_child);
	namei_fini(&r.new_nd);
	namei_fini(&r.old_nd);
	vfs_unlock(vfs);
	return err;
}
