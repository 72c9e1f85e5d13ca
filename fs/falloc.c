// SPDX-License-Identifier: MIT
/*
 * fallocate(2) and fadvise64(2) on open files: the checks Linux makes in
 * vfs_fallocate (fs/open.c there) and generic_fadvise (mm/fadvise.c),
 * before the file's own fallocate op (tmpfs: fs/tmpfs/file.c) runs.
 */
#include <linux/fadvise.h>
#include <linux/falloc.h>

#include "internal.h"

/* ABI: FALLOC_FL_SUPPORTED_MASK, kept out of the UAPI headers. */
#define FALLOC_FL_KNOWN                                                          \
	(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE | FALLOC_FL_COLLAPSE_RANGE | \
	 FALLOC_FL_ZERO_RANGE | FALLOC_FL_INSERT_RANGE | FALLOC_FL_UNSHARE_RANGE)

/* ABI: vfs_fallocate's mode checks: which combinations make sense at all. */
static int check_falloc_mode(int mode)
{
	if (mode & ~FALLOC_FL_KNOWN)
		return -EOPNOTSUPP;
	if ((mode & FALLOC_FL_PUNCH_HOLE) && (mode & FALLOC_FL_ZERO_RANGE))
		return -EOPNOTSUPP;
	if ((mode & FALLOC_FL_PUNCH_HOLE) && !(mode & FALLOC_FL_KEEP_SIZE))
		return -EOPNOTSUPP;
	if ((mode & FALLOC_FL_COLLAPSE_RANGE) && (mode & ~FALLOC_FL_COLLAPSE_RANGE))
		return -EINVAL;
	if ((mode & FALLOC_FL_INSERT_RANGE) && (mode & ~FALLOC_FL_INSERT_RANGE))
		return -EINVAL;
	if ((mode & FALLOC_FL_UNSHARE_RANGE) &&
	    (mode & ~(FALLOC_FL_UNSHARE_RANGE | FALLOC_FL_KEEP_SIZE)))
		return -EINVAL;
	return 0;
}

int vfs_fallocate(struct file *file, int mode, int64_t offset, int64_t len)
{
	uint32_t type = file->inode->mode & S_IFMT;
	int64_t end;
	int err;

	if (offset < 0 || len <= 0)
		return -EINVAL;
	err = check_falloc_mode(mode);
	if (err)
		return err;
	if (!(file->mode & FMODE_WRITE))
		return -EBADF;
	if (type == S_IFIFO)
		return -ESPIPE;
	if (type == S_IFDIR)
		return -EISDIR;
	if (type != S_IFREG && type != S_IFBLK)
		return -ENODEV;
	if (__builtin_add_overflow(offset, len, &end) ||
	    (uint64_t)end > file->inode->sb->max_file_bytes)
		return -EFBIG;
	if (!file->ops->fallocate)
		return -EOPNOTSUPP;
	return file->ops->fallocate(file, mode, (uint64_t)offset, (uint64_t)len);
}

/* ABI: generic_fadvise on a file without a backing device (noop_backing_dev_info). */
int vfs_fadvise(struct file *file, int64_t offset, int64_t len, int advice)
{
	(void)offset;
	if (S_ISFIFO(file->inode->mode))
		return -ESPIPE;
	if (len < 0)
		return -EINVAL;
	switch (advice) {
	case POSIX_FADV_NORMAL:
	case POSIX_FADV_RANDOM:
	case POSIX_FADV_SEQUENTIAL:
	case POSIX_FADV_WILLNEED:
	case POSIX_FADV_NOREUSE:
	case POSIX_FADV_DONTNEED:
		return 0;
	default:
		return -EINVAL;
	}
}
