// SPDX-License-Identifier: MIT
/*
 * open(2) and openat(2) as one core function: flag checks, the lookup
 * (creating the last component for O_CREAT, following it if it is a
 * symlink), O_PATH and O_TMPFILE, access checks by file type, O_TRUNC,
 * and the choice of file ops (the inode's, a character device's from the
 * registry, the FIFO code's), and openat2(2)'s RESOLVE_* restrictions
 * turned into lookup flags. The walk is namei.c; the file object and
 * I/O are file.c.
 */
#include <linux/openat2.h>
#include <tern/errno.h>

#include "internal.h"

/* ABI: open(2): with O_PATH, only these flags have any effect; others are ignored. */
#define O_PATH_FLAGS (O_DIRECTORY | O_NOFOLLOW | O_PATH | O_CLOEXEC)
#define O_TMPFILE_MASK (__O_TMPFILE | O_DIRECTORY | O_CREAT)

/* What the access mode asks for: MAY_READ and/or MAY_WRITE. */
static unsigned int acc_mode_of(unsigned int flags)
{
	switch (flags & O_ACCMODE) {
	case O_RDONLY:
		return MAY_READ;
	case O_WRONLY:
		return MAY_WRITE;
	default:
		return MAY_READ | MAY_WRITE;
	}
}

/* ABI: O_ACCMODE 3 opens for neither reading nor writing (ioctl only), as Linux. */
static uint32_t fmode_of(unsigned int flags)
{
	uint32_t fmode = FMODE_PREAD | FMODE_LSEEK;

	if ((flags & O_ACCMODE) == O_RDONLY || (flags & O_ACCMODE) == O_RDWR)
		fmode |= FMODE_READ;
	if ((flags & O_ACCMODE) == O_WRONLY || (flags & O_ACCMODE) == O_RDWR)
		fmode |= FMODE_WRITE;
	return fmode;
}

/*
 * ABI: build_open_flags. O_CREAT|O_DIRECTORY is EINVAL, creating nothing:
 * Linux 6.4 made it so and 6.1's stable releases took the change (Debian's
 * 6.1.0 kernel does it; the first 6.1 releases created a regular file,
 * then said ENOTDIR). user/tests/mounts.c checks it on both kernels.
 */
static int check_flags(unsigned int flags)
{
	if (flags & __O_TMPFILE) {
		if ((flags & O_TMPFILE_MASK) != O_TMPFILE)
			return -EINVAL;
		if ((flags & O_ACCMODE) == O_RDONLY)
			return -EINVAL;
	} else if ((flags & (O_CREAT | O_DIRECTORY)) == (O_CREAT | O_DIRECTORY)) {
		return -EINVAL;
	}
	return 0;
}

/* ABI: VALID_RESOLVE_FLAGS of Linux's fs/open.c. */
#define VALID_RESOLVE_FLAGS                                                                \
	(RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH | \
	 RESOLVE_IN_ROOT | RESOLVE_CACHED)

/*
 * ABI: build_open_flags, in its order. RESOLVE_CACHED asks for a lookup
 * that needs no I/O, or EAGAIN; Tern's lookups never wait for I/O (its
 * file systems keep every name in memory), so besides refusing what
 * would write (O_CREAT, O_TRUNC, O_TMPFILE) it changes nothing: a
 * RESOLVE_CACHED open that succeeds is one Linux allows as well, once
 * the names are in its cache.
 */
int vfs_open_check(unsigned int flags, uint64_t resolve)
{
	int err;

	if (resolve & ~(uint64_t)VALID_RESOLVE_FLAGS)
		return -EINVAL;
	if ((resolve & RESOLVE_BENEATH) && (resolve & RESOLVE_IN_ROOT))
		return -EINVAL;
	err = check_flags(flags);
	if (err)
		return err;
	if ((resolve & RESOLVE_CACHED) && (flags & (O_TRUNC | O_CREAT | __O_TMPFILE)))
		return -EAGAIN;
	return 0;
}

static unsigned int lookup_flags_from_resolve(uint64_t resolve)
{
	unsigned int lookup = 0;

	if (resolve & RESOLVE_NO_XDEV)
		lookup |= LOOKUP_NO_XDEV;
	if (resolve & RESOLVE_NO_MAGICLINKS)
		lookup |= LOOKUP_NO_MAGICLINKS;
	if (resolve & RESOLVE_NO_SYMLINKS)
		lookup |= LOOKUP_NO_SYMLINKS;
	if (resolve & RESOLVE_BENEATH)
		lookup |= LOOKUP_BENEATH;
	if (resolve & RESOLVE_IN_ROOT)
		lookup |= LOOKUP_IN_ROOT;
	return lookup;
}

/* ABI: may_open in Linux fs/namei.c: rules by file type and mount, then permissions. */
static int may_open(const struct vfs_cred *cred, const struct path *path, unsigned int acc,
		    unsigned int flags)
{
	struct inode *inode = path->dentry->inode;
	int err;

	switch (inode->mode & S_IFMT) {
	case S_IFLNK:
		return -ELOOP;
	case S_IFDIR:
		if (acc & MAY_WRITE)
			return -EISDIR;
		break;
	case S_IFCHR:
	case S_IFBLK:
		if (path->mnt->flags & MNT_NODEV)
			return -EACCES;
		break;
	default:
		break;
	}
	err = inode_permission(cred, inode, acc);
	if (err)
		return err;
	if ((flags & O_NOATIME) && !inode_owner_or_capable(cred, inode))
		return -EPERM;
	return 0;
}

/* The ops an open file of this inode gets: 0, or ENXIO when nothing drives it. */
static int choose_ops(struct vfs *vfs, struct inode *inode, const struct file_ops **ops,
		      uint32_t *fmode)
{
	switch (inode->mode & S_IFMT) {
	case S_IFREG:
	case S_IFDIR:
		*ops = inode->fops;
		*fmode |= FMODE_ATOMIC_POS;
		return 0;
	case S_IFCHR:
		*ops = chrdev_find(vfs, inode->rdev);
		return *ops ? 0 : -ENXIO;
	case S_IFIFO:
		*ops = vfs->fifo_fops;
		*fmode &= ~(FMODE_PREAD | FMODE_LSEEK);
		return *ops ? 0 : -ENXIO;
	default:
		/* FIXME: block devices have no registry yet; sockets never open. */
		return -ENXIO;
	}
}

/* Linux's special_file: device nodes, FIFOs and sockets, written without the mount. */
static bool is_special_file(uint32_t mode)
{
	return S_ISCHR(mode) || S_ISBLK(mode) || S_ISFIFO(mode) || S_ISSOCK(mode);
}

/*
 * Fills file for a resolved path; the ops' open runs later, unlocked.
 * ABI: do_open and do_dentry_open: O_TRUNC of a regular file needs a
 * writable mount first, and so does opening anything but a special file
 * for writing, after the permission checks.
 */
static int open_resolved(const struct vfs_ctx *ctx, const struct path *path, unsigned int flags,
			 unsigned int acc, bool do_truncate, struct file *file)
{
	struct inode *inode = path->dentry->inode;
	const struct file_ops *ops;
	uint32_t fmode = fmode_of(flags);
	int err;

	if (do_truncate && S_ISREG(inode->mode)) {
		err = mount_want_write(path->mnt);
		if (err)
			return err;
	}
	err = may_open(ctx->cred, path, acc, flags);
	if (err)
		return err;
	err = choose_ops(ctx_vfs(ctx), inode, &ops, &fmode);
	if (err)
		return err;
	if ((fmode & FMODE_WRITE) && !is_special_file(inode->mode)) {
		err = mount_want_write(path->mnt);
		if (err)
			return err;
		fmode |= FMODE_WRITER;
	}
	if (do_truncate && S_ISREG(inode->mode)) {
		err = inode_truncate(inode, 0);
		if (err)
			return err;
		inode_kill_suid(inode, cred_has_cap(ctx->cred, CAP_FSETID));
		inode_touch_mtime(inode);
	}
	file_init(file, ctx, path, fmode, flags);
	file->ops = ops;
	return 0;
}

/* Calls the ops' open hook outside vfs->lock; on failure the file goes without release. */
static int finish_open(struct file *file, struct file **out)
{
	int err = 0;

	if (file->ops->open)
		err = file->ops->open(file->inode, file);
	if (err) {
		file_drop_path(file);
		kfree(file);
		return err;
	}
	*out = file;
	return 0;
}

static int open_o_path(const struct vfs_ctx *ctx, const struct path *dir, const char *pathname,
		       unsigned int flags, unsigned int lookup, struct file *file)
{
	struct path p;
	int err;

	if (!(flags & O_NOFOLLOW))
		lookup |= LOOKUP_FOLLOW;
	if (flags & O_DIRECTORY)
		lookup |= LOOKUP_DIRECTORY;
	err = walk_path(ctx, dir, pathname, lookup, &p);
	if (err)
		return err;
	file_init(file, ctx, &p, FMODE_PATH, flags);
	path_put_locked(&p);
	return 0;
}

/* An unnamed inode in the directory at pathname; *out is its path (referenced). */
static int make_tmpfile(const struct vfs_ctx *ctx, const struct path *dir, const char *pathname,
			unsigned int flags, uint32_t mode, unsigned int lookup, struct path *out)
{
	struct vfs_new_inode ni;
	struct inode *inode;
	struct dentry *d;
	struct path p;
	char name[24];
	int err;

	err = walk_path(ctx, dir, pathname, lookup | LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &p);
	if (err)
		return err;
	err = mount_want_write(p.mnt);
	if (err)
		goto out_put;
	err = -EOPNOTSUPP;
	if (!p.dentry->inode->ops->tmpfile)
		goto out_put;
	err = -ENOENT;
	if (p.dentry->inode->flags & INODE_DEAD)
		goto out_put;
	err = inode_permission(ctx->cred, p.dentry->inode, MAY_WRITE | MAY_EXEC);
	if (err)
		goto out_put;
	new_inode_attrs(ctx, p.dentry->inode, S_IFREG | (mode & 07777 & ~ctx->umask), &ni);
	err = p.dentry->inode->ops->tmpfile(p.dentry->inode, &ni, &inode);
	if (err)
		goto out_put;
	/* ABI: Linux names the dentry of an O_TMPFILE inode "#<ino>". */
	ksnprintf(name, sizeof(name), "#%llu", (unsigned long long)inode->ino);
	err = dentry_alloc(p.dentry, name, strlen(name), &d);
	if (err) {
		inode_put(inode);
		goto out_put;
	}
	if (!(flags & O_EXCL))
		inode->flags |= INODE_LINKABLE;
	dentry_instantiate(d, inode);
	*out = (struct path){p.mnt, d};
	mount_get(p.mnt);
out_put:
	path_put_locked(&p);
	return err;
}

/*
 * The O_CREAT walk. Outline:
 *   loop: walk to the parent of the last component
 *     ".", ".." or "/" as the last: that directory is the result
 *     a trailing slash: EISDIR
 *     the name is absent: create a regular file there; done
 *     a symlink we follow: go on inside its body
 *     else it is the result
 */
static int walk_open_create(const struct vfs_ctx *ctx, const struct path *dir, const char *pathname,
			    unsigned int flags, uint32_t mode, unsigned int lookup,
			    struct path *out, bool *created)
{
	struct dentry *negative = NULL;
	struct namei nd;
	int err;

	*created = false;
	if (!(flags & (O_NOFOLLOW | O_EXCL)))
		lookup |= LOOKUP_FOLLOW;
	err = namei_start(&nd, ctx, dir, pathname, lookup);
	while (!err) {
		err = namei_walk_parent(&nd);
		if (err)
			break;
		if (namei_has_trailing_slash(&nd)) {
			err = -EISDIR;
			break;
		}
		err = namei_open_last(&nd, &negative);
		if (err != 1)
			break;
		err = 0;
	}
	/* ABI: lookup_open: a read-only mount is EROFS, before permissions. */
	if (!err && negative && !(nd.cur.dentry->inode->flags & INODE_DEAD))
		err = mount_want_write(nd.cur.mnt);
	if (err && negative) {
		dentry_put(negative);
	} else if (!err && negative) {
		err = create_node(ctx, nd.cur.dentry, negative,
				  S_IFREG | (mode & 07777 & ~ctx->umask), 0, NULL);
		if (!err) {
			*created = true;
			mount_get(nd.cur.mnt);
			*out = (struct path){nd.cur.mnt, negative};
		} else {
			dentry_put(negative);
		}
	} else if (!err) {
		*out = nd.cur;
		nd.cur = (struct path){NULL, NULL};
	}
	namei_fini(&nd);
	return err;
}

/* lookup holds the caller's restrictions (LOOKUP_NO_XDEV and so on). */
static int open_locked(const struct vfs_ctx *ctx, const struct path *dir, const char *pathname,
		       unsigned int flags, uint32_t mode, unsigned int lookup, struct file *file)
{
	unsigned int acc = acc_mode_of(flags);
	bool created = false;
	struct path p;
	int err;

	if (flags & __O_TMPFILE) {
		err = make_tmpfile(ctx, dir, pathname, flags, mode, lookup, &p);
		acc = 0;
	} else if (flags & O_CREAT) {
		err = walk_open_create(ctx, dir, pathname, flags, mode, lookup, &p, &created);
	} else {
		if (!(flags & O_NOFOLLOW))
			lookup |= LOOKUP_FOLLOW;
		if (flags & O_DIRECTORY)
			lookup |= LOOKUP_DIRECTORY;
		err = walk_path(ctx, dir, pathname, lookup, &p);
	}
	if (err)
		return err;
	if ((flags & O_CREAT) && (flags & O_EXCL) && !created)
		err = -EEXIST;
	else if ((flags & O_CREAT) && dentry_is_dir(p.dentry))
		err = -EISDIR;
	if (created)
		acc = 0;
	if (flags & O_TRUNC)
		acc |= created ? 0 : MAY_WRITE;
	if (!err)
		err = open_resolved(ctx, &p, flags, acc, (flags & O_TRUNC) && !created, file);
	path_put_locked(&p);
	return err;
}

int vfs_open(const struct vfs_ctx *ctx, const struct path *dir, const char *pathname,
	     unsigned int flags, uint32_t mode, struct file **out)
{
	return vfs_openat2(ctx, dir, pathname, flags, mode, 0, out);
}

int vfs_openat2(const struct vfs_ctx *ctx, const struct path *dir, const char *pathname,
		unsigned int flags, uint32_t mode, uint64_t resolve, struct file **out)
{
	struct vfs *vfs = ctx_vfs(ctx);
	unsigned int lookup = lookup_flags_from_resolve(resolve);
	struct file *file;
	int err;

	if (flags & O_PATH)
		flags &= O_PATH_FLAGS;
	err = vfs_open_check(flags, resolve);
	if (err)
		return err;
	file = kmalloc(sizeof(*file));
	if (!file)
		return -ENOMEM;
	vfs_lock(vfs);
	if (flags & O_PATH)
		err = open_o_path(ctx, dir, pathname, flags, lookup, file);
	else
		err = open_locked(ctx, dir, pathname, flags, mode, lookup, file);
	vfs_unlock(vfs);
	if (err) {
		kfree(file);
		return err;
	}
	return finish_open(file, out);
}

int vfs_open_path(const struct vfs_ctx *ctx, const struct path *path, unsigned int flags,
		  struct file **out)
{
	struct vfs *vfs = ctx_vfs(ctx);
	unsigned int acc = acc_mode_of(flags);
	struct file *file;
	int err;

	if (flags & (O_CREAT | __O_TMPFILE | O_PATH))
		return -EINVAL;
	file = kmalloc(sizeof(*file));
	if (!file)
		return -ENOMEM;
	vfs_lock(vfs);
	if ((flags & O_DIRECTORY) && !dentry_is_dir(path->dentry))
		err = -ENOTDIR;
	else
		err = open_resolved(ctx, path, flags, acc | ((flags & O_TRUNC) ? MAY_WRITE : 0),
				    flags & O_TRUNC, file);
	vfs_unlock(vfs);
	if (err) {
		kfree(file);
		return err;
	}
	return finish_open(file, out);
}

/*
 * ABI: do_open_execat: a regular file on a mount without noexec that the
 * caller may execute (EACCES), read by the kernel.
 */
static int open_exec_locked(const struct vfs_ctx *ctx, const struct path *dir, const char *pathname,
			    unsigned int lookup, struct file *file)
{
	struct inode *inode;
	struct path p;
	int err;

	err = walk_path(ctx, dir, pathname, lookup, &p);
	if (err)
		return err;
	inode = p.dentry->inode;
	if (S_ISLNK(inode->mode))
		err = -ELOOP;
	else if (!S_ISREG(inode->mode) || (p.mnt->flags & MNT_NOEXEC))
		err = -EACCES;
	else
		err = inode_permission(ctx->cred, inode, MAY_EXEC);
	if (!err) {
		file_init(file, ctx, &p, FMODE_READ | FMODE_PREAD | FMODE_LSEEK | FMODE_ATOMIC_POS,
			  O_RDONLY);
		file->ops = inode->fops;
	}
	path_put_locked(&p);
	return err;
}

int vfs_open_exec(const struct vfs_ctx *ctx, const struct path *dir, const char *pathname,
		  unsigned int at_flags, struct file **out)
{
	struct vfs *vfs = ctx_vfs(ctx);
	unsigned int lookup;
	struct file *file;
	int err;

	err = lookup_flags_from_at(at_flags, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH, &lookup);
	if (err)
		return err;
	file = kmalloc(sizeof(*file));
	if (!file)
		return -ENOMEM;
	vfs_lock(vfs);
	err = open_exec_locked(ctx, dir, pathname, lookup, file);
	vfs_unlock(vfs);
	if (err) {
		kfree(file);
		return err;
	}
	*out = file;
	return 0;
}
