// SPDX-License-Identifier: MIT
/*
 * The path walk: from a string to a position in the namespace, as
 * path_resolution(7) describes it. Absolute paths start at the caller's
 * root, relative ones at a dirfd position or the cwd; "." and ".." (never
 * above the root: chroot), mounts crossed both ways, symlinks followed up
 * to VFS_MAXSYMLINKS, and a parent mode that stops before the last
 * component for operations that create or remove names. openat2(2)'s
 * restrictions (LOOKUP_NO_XDEV and friends) are checked where Linux
 * checks them: at mount crossings, ".." and symlinks. Callers hold
 * vfs->lock for the walk and whatever they do with its result.
 */
#include <tern/errno.h>

#include "internal.h"

/* True if s holds another component (anything but slashes). */
static bool has_more(const char *s)
{
	while (*s == '/')
		s++;
	return *s != '\0';
}

static size_t component_len(const char *s)
{
	size_t len = 0;

	while (s[len] != '\0' && s[len] != '/')
		len++;
	return len;
}

static enum last_type classify(const char *name, size_t len)
{
	if (name[0] == '.' && len == 1)
		return LAST_DOT;
	if (name[0] == '.' && name[1] == '.' && len == 2)
		return LAST_DOTDOT;
	return LAST_NORM;
}

int lookup_flags_from_at(unsigned int at_flags, unsigned int allowed, unsigned int *out)
{
	if (at_flags & ~allowed)
		return -EINVAL;
	*out = (at_flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW;
	if (at_flags & AT_EMPTY_PATH)
		*out |= LOOKUP_EMPTY;
	return 0;
}

int namei_start(struct namei *nd, const struct vfs_ctx *ctx, const struct path *dir,
		const char *pathname, unsigned int flags)
{
	size_t len = strnlen(pathname, PATH_MAX);
	const struct path *start = dir ? dir : &ctx->cwd;

	assert_vfs_locked(ctx_vfs(ctx));
	nd->ctx = ctx;
	nd->cur = (struct path){NULL, NULL};
	nd->root = NULL;
	nd->flags = flags;
	nd->rest = pathname;
	nd->nr_links = 0;
	nd->depth = 0;
	nd->last = pathname;
	nd->last_len = 0;
	nd->last_type = LAST_ROOT;
	if (len >= PATH_MAX)
		return -ENAMETOOLONG;
	if (len == 0 && !(flags & LOOKUP_EMPTY))
		return -ENOENT;
	if (pathname[0] == '/' && !(flags & LOOKUP_IN_ROOT)) {
		if (flags & LOOKUP_BENEATH)
			return -EXDEV;
		start = &ctx->root;
		nd->root = start;
	} else if (len > 0 && !dentry_is_dir(start->dentry)) {
		return -ENOTDIR;
	}
	if (flags & LOOKUP_IS_SCOPED)
		nd->root = start;
	nd->cur = *start;
	path_get_locked(&nd->cur);
	return 0;
}

void namei_fini(struct namei *nd)
{
	if (nd->cur.mnt)
		path_put_locked(&nd->cur);
	nd->cur = (struct path){NULL, NULL};
	while (nd->nr_links > 0)
		dentry_put(nd->links[--nd->nr_links]);
}

static void set_cur(struct namei *nd, const struct path *next)
{
	path_put_locked(&nd->cur);
	nd->cur = *next;
}

/*
 * "..": stays put at the root and at the namespace root (EXDEV instead
 * with LOOKUP_BENEATH); from the root of a mount, first climbs to where
 * that mount is attached. The result is then crossed downwards like any
 * other component. ABI: follow_dotdot and handle_dots in Linux.
 */
static int follow_dotdot(struct namei *nd)
{
	struct path next = nd->cur;
	bool in_root = false;

	if (!nd->root)
		nd->root = &nd->ctx->root;
	for (;;) {
		if (path_equal(&next, nd->root)) {
			in_root = true;
			break;
		}
		if (next.dentry != next.mnt->root) {
			next.dentry = next.dentry->parent;
			break;
		}
		if (!next.mnt->parent) {
			in_root = true;
			break;
		}
		next = (struct path){next.mnt->parent, next.mnt->mountpoint};
	}
	if (in_root && (nd->flags & LOOKUP_BENEATH))
		return -EXDEV;
	path_get_locked(&next);
	path_follow_mounts(&next);
	if ((nd->flags & LOOKUP_NO_XDEV) && next.mnt != nd->cur.mnt) {
		path_put_locked(&next);
		return -EXDEV;
	}
	set_cur(nd, &next);
	return 0;
}

/*
 * ABI: nd_jump_root's checks, before a symlink body that starts with
 * "/" moves the walk to the root: EXDEV with LOOKUP_BENEATH, and with
 * LOOKUP_NO_XDEV unless the walk is on the root's mount. Like Linux, a
 * walk that has not needed its root yet (a relative path without "..")
 * counts as elsewhere.
 */
static int may_jump_root(struct namei *nd)
{
	if (nd->flags & LOOKUP_BENEATH)
		return -EXDEV;
	if ((nd->flags & LOOKUP_NO_XDEV) && (!nd->root || nd->cur.mnt != nd->root->mnt))
		return -EXDEV;
	if (!nd->root)
		nd->root = &nd->ctx->root;
	return 0;
}

/*
 * ABI: nd_jump_link's checks for a magic link. Linux jumps straight to
 * the link's target; Tern walks the target's name, which starts outside
 * procfs' mount, so LOOKUP_NO_XDEV refuses every magic link. FIXME: a
 * target inside the same /proc mount is allowed on Linux.
 */
static int may_follow_magic_link(const struct namei *nd)
{
	if (nd->flags & LOOKUP_NO_MAGICLINKS)
		return -ELOOP;
	if (nd->flags & (LOOKUP_NO_XDEV | LOOKUP_IS_SCOPED))
		return -EXDEV;
	return 0;
}

/*
 * Continues the walk inside the body of the symlink at link (whose
 * reference this takes over): saves the rest of the current string,
 * jumps to the root for an absolute body.
 */
static int follow_link(struct namei *nd, struct path *link)
{
	struct inode *inode = link->dentry->inode;
	const char *body;
	size_t len;
	int err;

	if (nd->nr_links >= VFS_MAXSYMLINKS || (nd->flags & LOOKUP_NO_SYMLINKS) ||
	    (link->mnt->flags & MNT_NOSYMFOLLOW)) {
		err = -ELOOP;
		goto out_put;
	}
	path_touch_atime(link);
	err = inode->ops->get_link(inode, &body, &len);
	if (!err && (inode->flags & INODE_MAGIC_LINK))
		err = may_follow_magic_link(nd);
	if (!err && len == 0)
		err = -ENOENT;
	if (!err && body[0] == '/')
		err = may_jump_root(nd);
	if (err)
		goto out_put;
	if (has_more(nd->rest))
		nd->saved[nd->depth++] = nd->rest;
	nd->links[nd->nr_links++] = link->dentry;
	mount_put(link->mnt);
	nd->rest = body;
	if (body[0] == '/') {
		path_get_locked(nd->root);
		set_cur(nd, nd->root);
	}
	return 0;
out_put:
	path_put_locked(link);
	return err;
}

int lookup_child(struct dentry *parent, const char *name, size_t len, struct dentry **out)
{
	struct inode *dir = parent->inode;
	struct inode *inode;
	struct dentry *d;
	int err;

	if (len > NAME_MAX)
		return -ENAMETOOLONG;
	d = dcache_find(parent, name, len);
	if (d && d->sb->ops->dentry_is_valid && !d->sb->ops->dentry_is_valid(d)) {
		dentry_unhash(d);
		dentry_put(d);
		d = NULL;
	}
	if (d) {
		*out = d;
		return 0;
	}
	if (dir->flags & INODE_DEAD)
		return -ENOENT;
	err = dentry_alloc(parent, name, len, &d);
	if (err)
		return err;
	err = dir->ops->lookup(dir, name, len, &inode);
	if (err) {
		dentry_put(d);
		return err;
	}
	d->inode = inode;
	dcache_insert(d);
	*out = d;
	return 0;
}

/*
 * One step to the component name: 0 with nd->cur moved, or 1 for a
 * symlink that the walk goes on into (only when follow is set).
 */
static int walk_component(struct namei *nd, const char *name, size_t len, enum last_type type,
			  bool follow)
{
	struct path next;
	struct dentry *child;
	int err;

	if (type == LAST_DOT)
		return 0;
	if (type == LAST_DOTDOT)
		return follow_dotdot(nd);
	err = lookup_child(nd->cur.dentry, name, len, &child);
	if (err)
		return err;
	if (!child->inode) {
		dentry_put(child);
		return -ENOENT;
	}
	next = (struct path){nd->cur.mnt, child};
	mount_get(next.mnt);
	path_follow_mounts(&next);
	if ((nd->flags & LOOKUP_NO_XDEV) && next.mnt != nd->cur.mnt) {
		path_put_locked(&next);
		return -EXDEV;
	}
	if (follow && dentry_is_symlink(next.dentry)) {
		err = follow_link(nd, &next);
		return err ? err : 1;
	}
	set_cur(nd, &next);
	return 0;
}

/*
 * Outline:
 *   loop:
 *     skip slashes; at the end of a symlink body resume the saved string;
 *     at the very end there is no last component (LAST_ROOT)
 *     the current position must be a directory we may search
 *     cut the next component; if nothing follows it anywhere, it is the
 *       last: record it and stop
 *     step into it, following a symlink (its body becomes the string)
 */
int namei_walk_parent(struct namei *nd)
{
	for (;;) {
		const char *name;
		size_t len;
		int err;

		while (*nd->rest == '/')
			nd->rest++;
		if (*nd->rest == '\0') {
			if (nd->depth > 0) {
				nd->rest = nd->saved[--nd->depth];
				continue;
			}
			nd->last = nd->rest;
			nd->last_len = 0;
			nd->last_type = LAST_ROOT;
			return 0;
		}
		if (!dentry_is_dir(nd->cur.dentry))
			return -ENOTDIR;
		err = inode_permission(nd->ctx->cred, nd->cur.dentry->inode, MAY_EXEC);
		if (err)
			return err;
		name = nd->rest;
		len = component_len(name);
		nd->rest += len;
		if (!has_more(nd->rest) && nd->depth == 0) {
			nd->last = name;
			nd->last_len = len;
			nd->last_type = classify(name, len);
			return 0;
		}
		err = walk_component(nd, name, len, classify(name, len), true);
		if (err < 0)
			return err;
	}
}

/* The last component: 0 when done, 1 when a symlink was followed and the walk goes on. */
static int walk_last(struct namei *nd)
{
	if (namei_has_trailing_slash(nd))
		nd->flags |= LOOKUP_FOLLOW | LOOKUP_DIRECTORY;
	if (nd->last_type == LAST_ROOT)
		return 0;
	return walk_component(nd, nd->last, nd->last_len, nd->last_type, nd->flags & LOOKUP_FOLLOW);
}

int namei_open_last(struct namei *nd, struct dentry **negative)
{
	struct dentry *child;
	int err;

	*negative = NULL;
	if (nd->last_type != LAST_NORM)
		return walk_last(nd);
	err = lookup_child(nd->cur.dentry, nd->last, nd->last_len, &child);
	if (err)
		return err;
	if (!child->inode) {
		*negative = child;
		return 0;
	}
	dentry_put(child);
	return walk_last(nd);
}

int walk_path(const struct vfs_ctx *ctx, const struct path *dir, const char *pathname,
	      unsigned int flags, struct path *out)
{
	struct namei nd;
	int err;

	err = namei_start(&nd, ctx, dir, pathname, flags);
	while (!err) {
		err = namei_walk_parent(&nd);
		if (err)
			break;
		err = walk_last(&nd);
		if (err != 1)
			break;
		err = 0;
	}
	if (!err && (nd.flags & LOOKUP_DIRECTORY) && !dentry_is_dir(nd.cur.dentry))
		err = -ENOTDIR;
	if (!err) {
		*out = nd.cur;
		nd.cur = (struct path){NULL, NULL};
	}
	namei_fini(&nd);
	return err;
}

int walk_parent_child(struct namei *nd, const struct vfs_ctx *ctx, const struct path *dir,
		      const char *pathname, struct dentry **child)
{
	int err;

	*child = NULL;
	err = namei_start(nd, ctx, dir, pathname, 0);
	if (!err)
		err = namei_walk_parent(nd);
	if (err || nd->last_type != LAST_NORM)
		return err;
	return lookup_child(nd->cur.dentry, nd->last, nd->last_len, child);
}

int walk_create(struct namei *nd, const struct vfs_ctx *ctx, const struct path *dir,
		const char *pathname, bool want_dir, struct dentry **child)
{
	struct dentry *d;
	int err;

	*child = NULL;
	err = walk_parent_child(nd, ctx, dir, pathname, &d);
	if (err)
		return err;
	if (!d)
		return -EEXIST;
	if (d->inode)
		err = -EEXIST;
	else if (namei_has_trailing_slash(nd) && !want_dir)
		err = -ENOENT;
	else
		err = mount_want_write(nd->cur.mnt);
	if (err) {
		dentry_put(d);
		return err;
	}
	*child = d;
	return 0;
}

int vfs_lookup(const struct vfs_ctx *ctx, const struct path *dir, const char *pathname,
	       unsigned int at_flags, struct path *out)
{
	unsigned int flags;
	int err;

	err = lookup_flags_from_at(at_flags, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH, &flags);
	if (err)
		return err;
	vfs_lock(ctx_vfs(ctx));
	err = walk_path(ctx, dir, pathname, flags, out);
	vfs_unlock(ctx_vfs(ctx));
	return err;
}

int vfs_lookup_dir(const struct vfs_ctx *ctx, const struct path *dir, const char *pathname,
		   unsigned int at_flags, struct path *out)
{
	unsigned int flags;
	int err;

	err = lookup_flags_from_at(at_flags, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH, &flags);
	if (err)
		return err;
	vfs_lock(ctx_vfs(ctx));
	err = walk_path(ctx, dir, pathname, flags | LOOKUP_DIRECTORY, out);
	vfs_unlock(ctx_vfs(ctx));
	return err;
}

static int lookup_searchable_dir(const struct vfs_ctx *ctx, const struct path *dir,
				 const char *pathname, unsigned int flags, struct path *out)
{
	int err = walk_path(ctx, dir, pathname, flags | LOOKUP_FOLLOW | LOOKUP_DIRECTORY, out);

	if (err)
		return err;
	err = inode_permission(ctx->cred, out->dentry->inode, MAY_EXEC);
	if (err)
		path_put_locked(out);
	return err;
}

int vfs_chdir(const struct vfs_ctx *ctx, const struct path *dir, const char *pathname,
	      unsigned int at_flags, struct path *out)
{
	unsigned int flags;
	int err;

	err = lookup_flags_from_at(at_flags, AT_EMPTY_PATH, &flags);
	if (err)
		return err;
	vfs_lock(ctx_vfs(ctx));
	err = lookup_searchable_dir(ctx, dir, pathname, flags, out);
	vfs_unlock(ctx_vfs(ctx));
	return err;
}

int vfs_chroot(const struct vfs_ctx *ctx, const struct path *dir, const char *pathname,
	       struct path *out)
{
	int err;

	vfs_lock(ctx_vfs(ctx));
	err = lookup_searchable_dir(ctx, dir, pathname, 0, out);
	if (!err && !cred_has_cap(ctx->cred, CAP_SYS_CHROOT)) {
		path_put_locked(out);
		err = -EPERM;
	}
	vfs_unlock(ctx_vfs(ctx));
	return err;
}
