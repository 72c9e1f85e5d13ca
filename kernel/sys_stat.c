// SPDX-License-Identifier: MIT
/*
 * stat, lstat, fstat, newfstatat, statx, statfs and fstatfs: the VFS
 * fills a struct kstat (or statfs) and these lay it out for user space.
 */
#include <linux/fcntl.h>
#include <linux/stat.h>
#include <tern/errno.h>
#include <tern/files.h>
#include <tern/string.h>
#include <tern/sys.h>

/* Looks up (or, for an empty path with AT_EMPTY_PATH, takes dirfd's) attributes. */
static int stat_at(int dirfd, const char *upath, unsigned int flags, struct kstat *ks)
{
	struct at_call c;
	int err = at_begin(&c, dirfd, upath, flags & AT_EMPTY_PATH);

	if (err)
		return err;
	return (int)at_end(&c, vfs_stat(&c.fc.ctx, c.p.dir, c.p.name, flags, ks));
}

static long put_stat(const struct kstat *ks, void *ubuf)
{
	struct stat st;

	vfs_fill_stat(ks, &st);
	return copy_to_user(ubuf, &st, sizeof(st)) ? -EFAULT : 0;
}

long sys_newfstatat(const unsigned long args[6])
{
	unsigned int flags = (unsigned int)args[3];
	struct kstat ks;

	if (flags & ~(unsigned int)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT))
		return -EINVAL;
	int err = stat_at((int)args[0], (const char *)args[1], flags, &ks);
	return err ? err : put_stat(&ks, (void *)args[2]);
}

long sys_stat(const unsigned long args[6])
{
	const unsigned long a[6] = {(unsigned long)AT_FDCWD, args[0], args[1], 0};

	return sys_newfstatat(a);
}

long sys_lstat(const unsigned long args[6])
{
	const unsigned long a[6] = {(unsigned long)AT_FDCWD, args[0], args[1], AT_SYMLINK_NOFOLLOW};

	return sys_newfstatat(a);
}

long sys_fstat(const unsigned long args[6])
{
	struct file *f;
	struct kstat ks;
	int err = files_fd_get((int)args[0], &f);

	if (err)
		return err;
	vfs_fstat(f, &ks);
	file_put(f);
	return put_stat(&ks, (void *)args[1]);
}

long sys_statx(const unsigned long args[6])
{
	unsigned int flags = (unsigned int)args[2];
	uint32_t mask = (uint32_t)args[3];
	struct statx sx;
	struct kstat ks;

	if (mask & STATX__RESERVED)
		return -EINVAL;
	if (flags & ~(unsigned int)(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH |
				    AT_STATX_SYNC_TYPE))
		return -EINVAL;
	if ((flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE)
		return -EINVAL;
	int err = stat_at((int)args[0], (const char *)args[1], flags, &ks);
	if (err)
		return err;
	vfs_fill_statx(&ks, mask, &sx);
	return copy_to_user((void *)args[4], &sx, sizeof(sx)) ? -EFAULT : 0;
}

long sys_statfs(const unsigned long args[6])
{
	struct at_call c;
	struct statfs sf;
	int err = at_begin(&c, AT_FDCWD, (const char *)args[0], false);

	if (err)
		return err;
	err = (int)at_end(&c, vfs_statfs(&c.fc.ctx, NULL, c.p.name, &sf));
	if (!err && copy_to_user((void *)args[1], &sf, sizeof(sf)) != 0)
		err = -EFAULT;
	return err;
}

long sys_fstatfs(const unsigned long args[6])
{
	struct statfs sf;
	struct file *f;
	int err = files_fd_get((int)args[0], &f);

	if (err)
		return err;
	vfs_statfs_path(&f->path, &sf);
	file_put(f);
	return copy_to_user((void *)args[1], &sf, sizeof(sf)) ? -EFAULT : 0;
}
