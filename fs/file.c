// SPDX-License-Identifier: MIT
/*
 * Open file descriptions: their lifetime, and read, write, pread, pwrite,
 * lseek and ftruncate with Linux's checks (rw_verify_area and friends)
 * before the file's own ops run. Opening is open.c, directories are
 * readdir.c, descriptors fdtable.c. The ops are called without vfs->lock;
 * the position of a regular file or directory is serialized by pos_lock.
 */
#include <tern/errno.h>

#include "internal.h"

/* ABI: MAX_RW_COUNT, the most one read or write moves (INT_MAX rounded down to a page). */
#define MAX_RW_COUNT ((size_t)(0x7fffffff & ~(PAGE_SIZE - 1)))

static const struct file_ops no_file_ops = {0};

void file_init(struct file *file, const struct vfs_ctx *ctx, const struct path *path,
	       uint32_t fmode, unsigned int flags)
{
	*file = (struct file){0};
	file->ops = &no_file_ops;
	file->path = *path;
	path_get_locked(path);
	if (fmode & FMODE_WRITER)
		path->mnt->nr_writers++;
	file->inode = path->dentry->inode;
	file->mode = fmode;
	file->flags = flags & ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC);
	file->refcount = 1;
	file->opener_uid = ctx->cred->fsuid;
	file->opener_can_fsetid = cred_has_cap(ctx->cred, CAP_FSETID);
	mutex_init(&file->pos_lock);
}

void file_get(struct file *file)
{
	uint32_t old = __atomic_fetch_add(&file->refcount, 1, __ATOMIC_RELAXED);

	assert(old > 0);
}

void file_drop_path(struct file *file)
{
	struct vfs *vfs = file->path.mnt->vfs;

	vfs_lock(vfs);
	if (file->mode & FMODE_WRITER)
		file->path.mnt->nr_writers--;
	path_put_locked(&file->path);
	vfs_unlock(vfs);
}

void file_put(struct file *file)
{
	const struct file_lock_hooks *hooks = file->path.mnt->vfs->lock_hooks;

	if (__atomic_sub_fetch(&file->refcount, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	if (hooks)
		hooks->release(file);
	if (file->watch)
		file->watch->release(file);
	if (file->ops->release)
		file->ops->release(file);
	file_drop_path(file);
	kfree(file);
}

void file_close(struct file *file, const void *owner)
{
	const struct file_lock_hooks *hooks = file->path.mnt->vfs->lock_hooks;

	if (hooks)
		hooks->close(file, owner);
	file_put(file);
}

void vfs_set_lock_hooks(struct vfs *vfs, const struct file_lock_hooks *hooks)
{
	vfs->lock_hooks = hooks;
}

/* ABI: rw_verify_area: EINVAL for a negative position or one that len would overflow. */
static int verify_area(int64_t pos, size_t len)
{
	int64_t end;

	if ((int64_t)len < 0 || pos < 0)
		return -EINVAL;
	if (__builtin_add_overflow(pos, (int64_t)len, &end))
		return -EINVAL;
	return 0;
}

/* Runs one read or write at the file position (or at *ppos for pread/pwrite). */
static int do_rw(struct file *file, bool is_write, void *buf, size_t len, int64_t *ppos,
		 size_t *done)
{
	bool is_atomic = !ppos && (file->mode & FMODE_ATOMIC_POS);
	int64_t pos;
	int err;

	len = MIN(len, MAX_RW_COUNT);
	if (is_atomic)
		mutex_lock(&file->pos_lock);
	pos = ppos ? *ppos : READ_ONCE(file->pos);
	err = verify_area(pos, len);
	if (!err && is_write)
		err = file->ops->write(file, buf, len, &pos, done);
	else if (!err)
		err = file->ops->read(file, buf, len, &pos, done);
	if (!err && !ppos)
		WRITE_ONCE(file->pos, pos);
	if (is_atomic)
		mutex_unlock(&file->pos_lock);
	return err;
}

static int check_read(struct file *file)
{
	if (!(file->mode & FMODE_READ))
		return -EBADF;
	if (S_ISDIR(file->inode->mode))
		return -EISDIR;
	return file->ops->read ? 0 : -EINVAL;
}

static int check_write(struct file *file)
{
	if (!(file->mode & FMODE_WRITE))
		return -EBADF;
	return file->ops->write ? 0 : -EINVAL;
}

int vfs_check_io(struct file *file, bool is_write, const int64_t *pos)
{
	if (pos && *pos < 0)
		return -EINVAL;
	if (pos && !(file->mode & FMODE_PREAD))
		return -ESPIPE;
	return is_write ? check_write(file) : check_read(file);
}

int vfs_read(struct file *file, void *buf, size_t len, size_t *done)
{
	int err = check_read(file);

	*done = 0;
	return err ? err : do_rw(file, false, buf, len, NULL, done);
}

int vfs_write(struct file *file, const void *buf, size_t len, size_t *done)
{
	int err = check_write(file);

	*done = 0;
	return err ? err : do_rw(file, true, (void *)buf, len, NULL, done);
}

int vfs_pread(struct file *file, void *buf, size_t len, int64_t pos, size_t *done)
{
	int err;

	*done = 0;
	if (pos < 0)
		return -EINVAL;
	if (!(file->mode & FMODE_PREAD))
		return -ESPIPE;
	err = check_read(file);
	return err ? err : do_rw(file, false, buf, len, &pos, done);
}

int vfs_pwrite(struct file *file, const void *buf, size_t len, int64_t pos, size_t *done)
{
	int err;

	*done = 0;
	if (pos < 0)
		return -EINVAL;
	if (!(file->mode & FMODE_PREAD))
		return -ESPIPE;
	err = check_write(file);
	return err ? err : do_rw(file, true, (void *)buf, len, &pos, done);
}

/*
 * ABI: generic_file_llseek_size. A result past INT64_MAX wraps negative
 * in Linux and is EINVAL, not EOVERFLOW (that is for 32-bit off_t only).
 */
int vfs_lseek_size(struct file *file, int64_t offset, int whence, int64_t size, int64_t *out)
{
	int64_t pos;

	switch (whence) {
	case SEEK_SET:
		pos = offset;
		break;
	case SEEK_CUR:
		if (__builtin_add_overflow(READ_ONCE(file->pos), offset, &pos))
			return -EINVAL;
		break;
	case SEEK_END:
		if (__builtin_add_overflow(size, offset, &pos))
			return -EINVAL;
		break;
	case SEEK_DATA:
		if ((uint64_t)offset >= (uint64_t)size)
			return -ENXIO;
		pos = offset;
		break;
	case SEEK_HOLE:
		if ((uint64_t)offset >= (uint64_t)size)
			return -ENXIO;
		pos = size;
		break;
	default:
		return -EINVAL;
	}
	if (pos < 0)
		return -EINVAL;
	*out = pos;
	return 0;
}

/* ABI: dcache_dir_lseek: only SEEK_SET and SEEK_CUR, to a non-negative position. */
static int dir_lseek(struct file *file, int64_t offset, int whence, int64_t *out)
{
	int64_t pos = offset;

	if (whence == SEEK_CUR && __builtin_add_overflow(READ_ONCE(file->pos), offset, &pos))
		return -EINVAL;
	if ((whence != SEEK_SET && whence != SEEK_CUR) || pos < 0)
		return -EINVAL;
	*out = pos;
	return 0;
}

static int default_lseek(struct file *file, int64_t offset, int whence, int64_t *out)
{
	struct inode *inode = file->inode;
	int64_t size;

	if (S_ISDIR(inode->mode))
		return dir_lseek(file, offset, whence, out);
	if (!S_ISREG(inode->mode))
		return -ESPIPE;
	vfs_lock(inode->sb->vfs);
	size = (int64_t)inode->size;
	vfs_unlock(inode->sb->vfs);
	return vfs_lseek_size(file, offset, whence, size, out);
}

int vfs_lseek(struct file *file, int64_t offset, int whence, int64_t *out)
{
	bool is_atomic = file->mode & FMODE_ATOMIC_POS;
	int64_t pos;
	int err;

	if (file->mode & FMODE_PATH)
		return -EBADF;
	if (whence < SEEK_SET || whence > SEEK_MAX)
		return -EINVAL;
	if (!(file->mode & FMODE_LSEEK))
		return -ESPIPE;
	if (is_atomic)
		mutex_lock(&file->pos_lock);
	if (file->ops->lseek)
		err = file->ops->lseek(file, offset, whence, &pos);
	else
		err = default_lseek(file, offset, whence, &pos);
	if (!err) {
		WRITE_ONCE(file->pos, pos);
		*out = pos;
	}
	if (is_atomic)
		mutex_unlock(&file->pos_lock);
	return err;
}

int vfs_ioctl(struct file *file, unsigned int cmd, unsigned long arg, long *out)
{
	if (file->mode & FMODE_PATH)
		return -EBADF;
	if (!file->ops->ioctl)
		return -ENOTTY;
	return file->ops->ioctl(file, cmd, arg, out);
}

/* ABI: do_sys_ftruncate: EINVAL unless a regular file open for writing. */
int vfs_ftruncate(struct file *file, int64_t length)
{
	struct inode *inode = file->inode;
	struct vfs *vfs = inode->sb->vfs;
	int err;

	if (length < 0)
		return -EINVAL;
	if (file->mode & FMODE_PATH)
		return -EBADF;
	if (!S_ISREG(inode->mode) || !(file->mode & FMODE_WRITE))
		return -EINVAL;
	vfs_lock(vfs);
	err = inode_truncate(inode, (uint64_t)length);
	if (!err) {
		inode_kill_suid(inode, file->opener_can_fsetid);
		inode_touch_mtime(inode);
	}
	vfs_unlock(vfs);
	return err;
}

void vfs_fstat(struct file *file, struct kstat *out)
{
	vfs_getattr(&file->path, out);
}

int vfs_file_set_flags(struct file *file, const struct vfs_cred *cred, uint32_t flags)
{
	uint32_t old = READ_ONCE(file->flags);
	struct vfs *vfs = file->inode->sb->vfs;

	if (file->mode & FMODE_PATH)
		return -EBADF;
	if ((flags & O_NOATIME) && !(old & O_NOATIME)) {
		bool is_allowed;

		vfs_lock(vfs);
		is_allowed = inode_owner_or_capable(cred, file->inode);
		vfs_unlock(vfs);
		if (!is_allowed)
			return -EPERM;
	}
	WRITE_ONCE(file->flags, (old & ~FILE_SETFL_MASK) | (flags & FILE_SETFL_MASK));
	return 0;
}
