// SPDX-License-Identifier: MIT
/*
 * Syscalls on descriptors besides read and write (sys_rw.c): lseek,
 * getdents64, close, dup, fcntl, ioctl, fallocate, fadvise64, ftruncate,
 * the sync family.
 */
#include <linux/fcntl.h>
#include <linux/fs.h>
#include <tern/errno.h>
#include <tern/filelock.h>
#include <tern/files.h>
#include <tern/pipe.h>
#include <tern/poll.h>
#include <tern/sched.h>
#include <tern/sys.h>
#include <tern/syscall.h>

#define DIRENT_CHUNK_BYTES (64 * 1024) /* most a getdents64 fills in one call */

long sys_lseek(const unsigned long args[6])
{
	struct file *f;
	int64_t out;
	int err = files_fd_get((int)args[0], &f);

	if (err)
		return err;
	err = vfs_lseek(f, (int64_t)args[1], (int)args[2], &out);
	file_put(f);
	return err ? err : out;
}

long sys_getdents64(const unsigned long args[6])
{
	void *ubuf = (void *)args[1];
	size_t len = MIN((size_t)(unsigned int)args[2], (size_t)DIRENT_CHUNK_BYTES);
	struct file *f;
	size_t done = 0;
	int err = files_fd_get((int)args[0], &f);

	if (err)
		return err;
	if (!user_range_ok(ubuf, args[2]))
		err = -EFAULT;
	char *buf = err ? NULL : kmalloc(MAX(len, (size_t)1));
	if (!err && !buf)
		err = -ENOMEM;
	/*
	 * ABI: into a partly bad buffer Linux returns the records before the
	 * first one it could not write, and the next call starts at that one.
	 */
	size_t good = err ? 0 : user_writable_prefix(ubuf, len);
	if (!err)
		err = vfs_getdents64_prefix(f, buf, len, good, &done);
	if (!err && copy_to_user(ubuf, buf, MIN(done, good)) != 0)
		err = -EFAULT;
	kfree(buf);
	file_put(f);
	return err ? err : (long)done;
}

long sys_close(const unsigned long args[6])
{
	struct fdtable *t = files_table();

	if (!t || (int)args[0] < 0)
		return -EBADF;
	return fd_close(t, (int)args[0]);
}

long sys_close_range(const unsigned long args[6])
{
	struct fdtable *t = files_table();
	unsigned int flags = (unsigned int)args[2];

	if (!t)
		return -EBADF;
	if ((flags & CLOSE_RANGE_UNSHARE) &&
	    !(flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC)) && args[0] <= args[1]) {
		int err = files_unshare();
		if (err)
			return err;
		t = files_table();
	}
	return fd_close_range(t, (unsigned int)args[0], (unsigned int)args[1], flags);
}

long sys_dup(const unsigned long args[6])
{
	struct fdtable *t = files_table();
	int fd;

	if (!t || (int)args[0] < 0)
		return -EBADF;
	int err = fd_dup(t, (int)args[0], 0, false, files_nofile_limit(), &fd);
	return err ? err : fd;
}

static long dup3_common(const unsigned long args[6], unsigned int flags, bool is_dup3)
{
	struct fdtable *t = files_table();

	if (!t)
		return -EBADF;
	if (is_dup3 && (flags & ~(unsigned int)O_CLOEXEC))
		return -EINVAL;
	if ((int)args[0] < 0 || (int)args[1] < 0)
		return (int)args[0] == (int)args[1] && is_dup3 ? -EINVAL : -EBADF;
	int err = fd_dup3(t, (int)args[0], (int)args[1], flags, is_dup3, files_nofile_limit());
	return err ? err : (long)(int)args[1];
}

long sys_dup2(const unsigned long args[6])
{
	return dup3_common(args, 0, false);
}

long sys_dup3(const unsigned long args[6])
{
	return dup3_common(args, (unsigned int)args[2], true);
}

long sys_fcntl(const unsigned long args[6])
{
	struct fdtable *t = files_table();
	int fd = (int)args[0];
	unsigned int cmd = (unsigned int)args[1];
	struct file *f;
	bool cloexec;
	int err, newfd;

	if (!t || fd < 0)
		return -EBADF;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		err = fd_get(t, fd, &f);
		if (err)
			return err;
		file_put(f);
		if (args[2] >= files_nofile_limit())
			return -EINVAL;
		err = fd_dup(t, fd, (int)args[2], cmd == F_DUPFD_CLOEXEC, files_nofile_limit(),
			     &newfd);
		return err ? err : newfd;
	case F_GETFD:
		err = fd_get_cloexec(t, fd, &cloexec);
		return err ? err : (cloexec ? FD_CLOEXEC : 0);
	case F_SETFD:
		return fd_set_cloexec(t, fd, args[2] & FD_CLOEXEC);
	default:
		break;
	}
	err = fd_get(t, fd, &f);
	if (err)
		return err;
	long ret;
	struct files_ctx fc;
	switch (cmd) {
	case F_GETFL:
		ret = __atomic_load_n(&f->flags, __ATOMIC_RELAXED);
		break;
	case F_SETFL:
		if (f->mode & FMODE_PATH) {
			ret = -EBADF;
			break;
		}
		files_ctx_begin(&fc, false);
		ret = vfs_file_set_flags(f, &fc.cred, (uint32_t)args[2]);
		files_ctx_end(&fc);
		break;
	case F_GETPIPE_SZ:
	case F_SETPIPE_SZ:
		ret = pipe_fcntl(f, cmd, args[2]);
		break;
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
	case F_OFD_GETLK:
	case F_OFD_SETLK:
	case F_OFD_SETLKW:
		ret = (f->mode & FMODE_PATH) ? -EBADF : locks_fcntl(f, cmd, args[2]);
		break;
	default:
		ret = (f->mode & FMODE_PATH) ? -EBADF : -EINVAL;
	}
	file_put(f);
	return ret;
}

long sys_ioctl(const unsigned long args[6])
{
	struct file *f;
	long out = 0;
	int err = files_fd_get((int)args[0], &f);

	if (err)
		return err;
	if (f->mode & FMODE_PATH)
		err = -EBADF;
	else
		err = vfs_ioctl(f, (unsigned int)args[1], args[2], &out);
	file_put(f);
	return err ? err : out;
}

/* An open, non-O_PATH descriptor (fdget in Linux): EBADF otherwise. */
static int fd_get_io(unsigned long fd, struct file **out)
{
	int err = files_fd_get((int)fd, out);

	if (!err && ((*out)->mode & FMODE_PATH)) {
		file_put(*out);
		err = -EBADF;
	}
	return err;
}

/* fallocate(2): checks and tmpfs's work are vfs_fallocate's. */
long sys_fallocate(const unsigned long args[6])
{
	struct file *f;
	int err = fd_get_io(args[0], &f);

	if (err)
		return err;
	err = vfs_fallocate(f, (int)args[1], (int64_t)args[2], (int64_t)args[3]);
	file_put(f);
	return err;
}

/* fadvise64(2): advice is accepted and has no effect on memory file systems. */
long sys_fadvise64(const unsigned long args[6])
{
	struct file *f;
	int err = fd_get_io(args[0], &f);

	if (err)
		return err;
	err = vfs_fadvise(f, (int64_t)args[1], (int64_t)args[2], (int)args[3]);
	file_put(f);
	return err;
}

long sys_ftruncate(const unsigned long args[6])
{
	struct file *f;
	int err = files_fd_get((int)args[0], &f);

	if (err)
		return err;
	err = vfs_ftruncate(f, (int64_t)args[1]);
	file_put(f);
	return err;
}

/*
 * fsync/fdatasync/syncfs: memory file systems have nothing to write back;
 * files without a backing store (devices) answer EINVAL, as on Linux.
 */
static long fd_sync(unsigned long fd, bool is_syncfs)
{
	struct file *f;
	int err = files_fd_get((int)fd, &f);

	if (err)
		return err;
	if (f->mode & FMODE_PATH)
		err = -EBADF;
	else if (!is_syncfs && !S_ISREG(f->inode->mode) && !S_ISDIR(f->inode->mode))
		err = -EINVAL;
	file_put(f);
	return err;
}

long sys_fsync(const unsigned long args[6])
{
	return fd_sync(args[0], false);
}

long sys_fdatasync(const unsigned long args[6])
{
	return fd_sync(args[0], false);
}

long sys_syncfs(const unsigned long args[6])
{
	return fd_sync(args[0], true);
}

long sys_sync(const unsigned long args[6])
{
	(void)args;
	return 0;
}
