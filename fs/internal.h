/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the files of fs/ and nowhere else: the dentry cache
 * internals, mount crossing, the path-walk state machine and permission
 * checks. Everything here expects vfs->lock held unless it says so.
 */
#pragma once

#include <tern/errno.h>
#include <tern/file.h>
#include <tern/string.h>
#include <tern/vfs.h>

static inline struct vfs *ctx_vfs(const struct vfs_ctx *ctx)
{
	return ctx->root.mnt->vfs;
}

#define assert_vfs_locked(vfs) assert_held(&(vfs)->lock)

static inline bool inode_is_dir(const struct inode *inode)
{
	return S_ISDIR(inode->mode);
}

static inline bool dentry_is_positive(const struct dentry *d)
{
	return d->inode != NULL;
}

static inline bool dentry_is_dir(const struct dentry *d)
{
	return d->inode && S_ISDIR(d->inode->mode);
}

static inline bool dentry_is_symlink(const struct dentry *d)
{
	return d->inode && S_ISLNK(d->inode->mode);
}

static inline bool dentry_is_root(const struct dentry *d)
{
	return d->parent == d;
}

static inline bool dentry_is_hashed(const struct dentry *d)
{
	return d->flags & DENTRY_HASHED;
}

/* vfs.c */
uint32_t vfs_alloc_anon_dev(struct vfs *vfs);

/* dcache.c */
int dentry_alloc(struct dentry *parent, const char *name, size_t len,
		 struct dentry **out) __must_check;
int dentry_alloc_root(struct super_block *sb, struct inode *inode,
		      struct dentry **out) __must_check;
void dentry_get(struct dentry *d);
void dentry_put(struct dentry *d);
/* The cached child of parent named name, referenced, or NULL. */
struct dentry *dcache_find(struct dentry *parent, const char *name, size_t len);
void dcache_insert(struct dentry *d);
/* For vfs_is_consistent: is hashed d on the chain its name hashes to? */
bool dcache_is_in_its_bucket(const struct dentry *d);
/* Makes d unfindable (unlinked or replaced); it lives on while referenced. */
void dentry_unhash(struct dentry *d);
/* Turns negative d positive; takes over the caller's inode reference. */
void dentry_instantiate(struct dentry *d, struct inode *inode);
/* Room for a name of len bytes if it will not fit inline, else NULL in *out. */
int dentry_name_prepare(size_t len, char **out) __must_check;
/* Renames d to name under new_parent; prepared from dentry_name_prepare. */
void dentry_move(struct dentry *d, struct dentry *new_parent, const char *name, size_t len,
		 char *prepared);
/* Frees the unused cached children of a removed directory. */
void dentry_prune_children(struct dentry *d);
/* Frees up to nr unused dentries, oldest first; returns how many. */
uint64_t dcache_shrink_locked(struct vfs *vfs, uint64_t nr);
/* Frees every unused cached dentry of sb (unmount). */
void dcache_shrink_sb(struct super_block *sb);
/* True if ancestor is d or one of its parents (within one super block). */
bool dentry_is_ancestor(const struct dentry *ancestor, const struct dentry *d);

/* mount.c */
struct mount *mount_find_child(const struct mount *parent, const struct dentry *mountpoint);
void mount_get(struct mount *mnt);
void mount_put(struct mount *mnt);
/* Unhooks mnt from its parent and drops the tree's reference. */
void mount_detach(struct mount *mnt);
/* Linux's __mnt_is_readonly: the mount or its super block is read-only. */
static inline bool mount_is_readonly(const struct mount *mnt)
{
	return (mnt->flags & MNT_READONLY) || mnt->sb->is_readonly;
}

/* EROFS unless writes may go through mnt (Linux's mnt_want_write). */
static inline int mount_want_write(const struct mount *mnt)
{
	return mount_is_readonly(mnt) ? -EROFS : 0;
}

/*
 * A mount of sb's root in no namespace (Linux's kern_mount), for pseudo
 * file systems whose files have no name: *out holds the only reference
 * (mount_put drops it).
 */
int vfs_mount_internal(struct super_block *sb, struct mount **out) __must_check;
void path_get_locked(const struct path *path);
void path_put_locked(const struct path *path);
/* Moves p down through every mount stacked on it. */
void path_follow_mounts(struct path *p);
void super_get(struct super_block *sb);
void super_put_locked(struct super_block *sb);

/* namei.c: the path walk. */
enum lookup_flags {
	LOOKUP_FOLLOW = 1u << 0,    /* follow a symlink in the last component */
	LOOKUP_DIRECTORY = 1u << 1, /* the result must be a directory */
	LOOKUP_EMPTY = 1u << 2,	    /* "" names the start position */
	/* openat2(2)'s RESOLVE_* restrictions, Linux's LOOKUP_* of the same names: */
	LOOKUP_NO_XDEV = 1u << 3,	/* crossing a mount, any way, is EXDEV */
	LOOKUP_NO_MAGICLINKS = 1u << 4, /* following a magic link is ELOOP */
	LOOKUP_NO_SYMLINKS = 1u << 5,	/* following any symlink is ELOOP */
	LOOKUP_BENEATH = 1u << 6,	/* leaving the start (absolute, "..") is EXDEV */
	LOOKUP_IN_ROOT = 1u << 7,	/* the start is the root for "/" and ".." */
};

#define LOOKUP_IS_SCOPED (LOOKUP_BENEATH | LOOKUP_IN_ROOT)

enum last_type {
	LAST_NORM,   /* an ordinary name */
	LAST_DOT,    /* "." */
	LAST_DOTDOT, /* ".." */
	LAST_ROOT,   /* no last component: "/" or a symlink to it */
};

/* State of one path walk. Initialize with namei_start, end with namei_fini. */
struct namei {
	const struct vfs_ctx *ctx;
	struct path cur; /* referenced: where the walk is */
	/*
	 * Where "/" leads and ".." stops: the caller's root, or the start for
	 * a scoped walk; its holder is the caller. NULL until a step needs it,
	 * as Linux's nd->root (LOOKUP_NO_XDEV tells the two apart).
	 */
	const struct path *root;
	unsigned int flags;    /* enum lookup_flags */
	const char *rest;      /* the unparsed part of the current string */
	unsigned int nr_links; /* symlinks followed so far */
	unsigned int depth;    /* strings saved while inside symlink bodies */
	const char *saved[VFS_MAXSYMLINKS];
	struct dentry *links[VFS_MAXSYMLINKS]; /* referenced: their bodies are in use */
	const char *last;		       /* set by namei_walk_parent */
	size_t last_len;
	enum last_type last_type;
};

int namei_start(struct namei *nd, const struct vfs_ctx *ctx, const struct path *dir,
		const char *pathname, unsigned int flags) __must_check;
/* Walks to the parent of the last component (nd->cur) and sets nd->last*. */
int namei_walk_parent(struct namei *nd) __must_check;
void namei_fini(struct namei *nd);
/* True if the last component was followed by a slash. */
static inline bool namei_has_trailing_slash(const struct namei *nd)
{
	return nd->last_type == LAST_NORM && nd->last[nd->last_len] == '/';
}

/*
 * For open with O_CREAT, after namei_walk_parent: resolves the last
 * component as walk_path would, except that an absent name gives 0 and
 * the referenced negative dentry in *negative (nd->cur is its parent).
 * Returns 1 when a symlink was followed and the walk must go on.
 */
int namei_open_last(struct namei *nd, struct dentry **negative) __must_check;
/* A whole lookup: *out referenced. */
int walk_path(const struct vfs_ctx *ctx, const struct path *dir, const char *pathname,
	      unsigned int flags, struct path *out) __must_check;
/*
 * Walks to the parent of pathname and looks up its last component
 * without following it: *child is referenced and may be negative.
 * Non-LAST_NORM last components give *child NULL. Callers namei_fini.
 */
int walk_parent_child(struct namei *nd, const struct vfs_ctx *ctx, const struct path *dir,
		      const char *pathname, struct dentry **child) __must_check;
/*
 * For creating a name (Linux's filename_create): the parent walk, then
 * EEXIST for ".", "..", "/" or an existing name, and ENOENT for a
 * trailing slash unless want_dir. *child is a referenced negative dentry.
 */
int walk_create(struct namei *nd, const struct vfs_ctx *ctx, const struct path *dir,
		const char *pathname, bool want_dir, struct dentry **child) __must_check;
/* The child named name of parent, looked up through the cache: referenced. */
int lookup_child(struct dentry *parent, const char *name, size_t len,
		 struct dentry **out) __must_check;
/* Turns at_flags into lookup flags; EINVAL for bits outside allowed. */
int lookup_flags_from_at(unsigned int at_flags, unsigned int allowed,
			 unsigned int *out) __must_check;

/* permission.c */
int inode_permission(const struct vfs_cred *cred, const struct inode *inode,
		     unsigned int mask) __must_check;
bool inode_owner_or_capable(const struct vfs_cred *cred, const struct inode *inode);
int may_create(const struct vfs_cred *cred, struct inode *dir, const struct dentry *child);
int may_delete(const struct vfs_cred *cred, struct inode *dir, const struct dentry *victim,
	       bool is_dir);
/* Owner, group and mode of a new inode in dir (setgid inheritance). */
void new_inode_attrs(const struct vfs_ctx *ctx, const struct inode *dir, uint32_t mode,
		     struct vfs_new_inode *out);

/* inode.c */
/* Truncates a regular file (checks done): EFBIG, ENOSPC, ENOMEM. */
int inode_truncate(struct inode *inode, uint64_t size) __must_check;

/* nameops.c: creating a node in a resolved negative dentry. */
int create_node(const struct vfs_ctx *ctx, struct dentry *parent, struct dentry *child,
		uint32_t mode, uint32_t rdev, const char *target) __must_check;

/*
 * file.c: fills a file allocated by the caller (open allocates it before
 * anything else, so nothing needs undoing after a file is created).
 */
void file_init(struct file *file, const struct vfs_ctx *ctx, const struct path *path,
	       uint32_t fmode, unsigned int flags);
/* Drops the file's path and its write access to the mount; takes vfs->lock. */
void file_drop_path(struct file *file);

/* chrdev.c */
const struct file_ops *chrdev_find(struct vfs *vfs, uint32_t rdev);
void chrdev_unregister_all(struct vfs *vfs);
