// SPDX-License-Identifier: MIT
/*
 * read and write in all their forms (read, write, pread64, pwrite64,
 * readv, writev, preadv, pwritev, preadv2, pwritev2). Data passes
 * through a kernel bounce buffer in chunks, so no VFS lock is ever held
 * across a user copy (<tern/file.h>); a partly bad user buffer moves
 * what comes before its first bad byte, as Linux.
 */
#include <linux/fcntl.h>
#include <linux/fs.h>
#include <linux/resource.h>
#include <linux/uio.h>
#include <tern/errno.h>
#include <tern/files.h>
#include <tern/iovec.h>
#include <tern/pipe.h>
#include <tern/poll.h>
#include <tern/proc.h>
#include <tern/sched.h>
#include <tern/signal.h>
#include <tern/sys.h>
#include <tern/syscall.h>

#define SMALL_BYTES 256
#define CHUNK_BYTES (64 * 1024)

/* One read or write at the file position (pos NULL) or at *pos. */
static int file_io(struct file *f, bool is_write, void *buf, size_t len, int64_t *pos, size_t *done)
{
	int err;

	if (pos && is_write)
		err = vfs_pwrite(f, buf, len, *pos, done);
	else if (pos)
		err = vfs_pread(f, buf, len, *pos, done);
	else if (is_write)
		err = vfs_write(f, buf, len, done);
	else
		err = vfs_read(f, buf, len, done);
	if (!err && pos)
		*pos += (int64_t)*done;
	return err;
}

/*
 * A read of a stream (pipe, tty) goes on past a full chunk or iovec only
 * while more is ready now: Linux reads it in one go and never blocks
 * once it has bytes.
 */
static bool may_read_more(struct file *f)
{
	return (f->mode & FMODE_LSEEK) || (vfs_poll(f, NULL) & POLLIN);
}

/*
 * A partly bad user buffer (a page without access or unmapped inside
 * it) makes Linux move the bytes before the first one it cannot copy
 * and return their count, EFAULT only if there are none; the file
 * position moves by what was returned and a pipe keeps what it did not
 * deliver. A write learns where its buffer goes bad as it fills the
 * bounce buffer, before anything is written. A read of a file with a
 * position copies out what it can and gives the rest back by moving the
 * position back, which costs nothing while the buffer is good. A stream
 * cannot take data back, so its read first probes the chunk's pages and
 * reads only what fits; a pipe cuts there at Linux's slot boundaries.
 */
/* Writes the n bytes meant for buf, of which the first good came from user memory. */
static int write_copied(struct file *f, char *buf, size_t n, size_t good, int64_t *pos,
			size_t *done)
{
	*done = 0;
	if (good < n && pipe_file_is_pipe(f))
		return pipe_write_prefix(f, buf, n, good, done);
	if (!good)
		return -EFAULT;
	return file_io(f, true, buf, good, pos, done);
}

static int chunk_write(struct file *f, const char *u, char *buf, size_t n, int64_t *pos,
		       size_t *done)
{
	return write_copied(f, buf, n, copy_from_user_prefix(buf, u, n), pos, done);
}

/* Moves the position of f (or *pos) back by len bytes read but not delivered. */
static void give_back(struct file *f, int64_t *pos, size_t len)
{
	int64_t out;

	if (pos)
		*pos -= (int64_t)len;
	else
		warn_once(vfs_lseek(f, -(int64_t)len, SEEK_CUR, &out) != 0,
			  "read could not give back undelivered bytes");
}

static int chunk_read(struct file *f, char *u, char *buf, size_t n, int64_t *pos, size_t *done)
{
	bool is_stream = !(f->mode & FMODE_LSEEK);
	size_t good = is_stream ? user_writable_prefix(u, n) : n;
	int err;

	*done = 0;
	if (good < n && pipe_file_is_pipe(f))
		err = pipe_read_prefix(f, buf, n, good, done);
	else /* with nothing writable a stream still reads (and loses), as Linux's tty does */
		err = file_io(f, false, buf, good ? good : n, pos, done);
	if (err || !*done)
		return err;
	size_t copied = copy_to_user_prefix(u, buf, *done);
	if (copied < *done && !is_stream)
		give_back(f, pos, *done - copied);
	*done = copied;
	return copied ? 0 : -EFAULT;
}

/*
 * Moves len bytes between user memory and f through a bounce buffer,
 * stopping at a short transfer. Returns the count, or -errno if nothing
 * moved.
 */
static long user_io(struct file *f, bool is_write, void *ubuf, size_t len, int64_t *pos)
{
	char small[SMALL_BYTES];
	size_t size = MIN(len, (size_t)CHUNK_BYTES);
	char *buf = size <= sizeof(small) ? small : kmalloc(size);
	size_t total = 0;
	int err = 0;

	if (!buf)
		return -ENOMEM;
	do {
		size_t n = MIN(len - total, size), done = 0;
		char *u = (char *)ubuf + total;
		err = is_write ? chunk_write(f, u, buf, n, pos, &done)
			       : chunk_read(f, u, buf, n, pos, &done);
		if (err)
			break;
		total += done;
		if (done < n || (!is_write && !may_read_more(f)))
			break;
	} while (total < len);
	if (buf != small)
		kfree(buf);
	return total ? (long)total : err;
}

/* The checks Linux makes before any byte moves, then the transfer. */
/*
 * ABI: generic_write_check_limits: a write to a regular file stops at
 * RLIMIT_FSIZE; one that would begin at or past it raises SIGXFSZ and is
 * EFBIG. *max is cut to what may be written. FIXME: truncate, fallocate,
 * sendfile, splice and copy_file_range into a file do not check it yet.
 */
static int fsize_limit(struct file *f, const int64_t *pos, size_t *max)
{
	uint64_t limit = current_proc()->rlim[RLIMIT_FSIZE].rlim_cur;

	if (limit == RLIM_INFINITY || !S_ISREG(f->inode->mode))
		return 0;
	uint64_t at = pos				 ? (uint64_t)*pos
		      : (READ_ONCE(f->flags) & O_APPEND) ? READ_ONCE(f->inode->size)
							 : (uint64_t)READ_ONCE(f->pos);
	if (at >= limit) {
		spin_lock(&proc_lock);
		signal_send_proc_locked(current_proc(), SIGXFSZ, SI_USER, 0);
		spin_unlock(&proc_lock);
		return -EFBIG;
	}
	*max = (size_t)MIN((uint64_t)*max, limit - at);
	return 0;
}

static long rw_checked(struct file *f, bool is_write, void *ubuf, size_t len, int64_t *pos)
{
	size_t max = MAX_RW_COUNT;
	int err = vfs_check_io(f, is_write, pos);

	if (err)
		return err;
	if (!user_range_ok(ubuf, len))
		return -EFAULT;
	if (!len)
		return 0;
	if (is_write && (err = fsize_limit(f, pos, &max)) != 0)
		return err;
	return user_io(f, is_write, ubuf, MIN(len, max), pos);
}

static long fd_rw(unsigned long fd, bool is_write, void *ubuf, size_t len, int64_t *pos)
{
	struct file *f;
	int err = files_fd_get((int)fd, &f);

	if (err)
		return err;
	long ret = rw_checked(f, is_write, ubuf, len, pos);
	file_put(f);
	return ret;
}

long sys_read(const unsigned long args[6])
{
	return fd_rw(args[0], false, (void *)args[1], args[2], NULL);
}

long sys_write(const unsigned long args[6])
{
	return fd_rw(args[0], true, (void *)args[1], args[2], NULL);
}

/* ABI: the positional forms reject a negative offset before looking at the fd. */
long sys_pread64(const unsigned long args[6])
{
	int64_t pos = (int64_t)args[3];

	return pos < 0 ? -EINVAL : fd_rw(args[0], false, (void *)args[1], args[2], &pos);
}

long sys_pwrite64(const unsigned long args[6])
{
	int64_t pos = (int64_t)args[3];

	return pos < 0 ? -EINVAL : fd_rw(args[0], true, (void *)args[1], args[2], &pos);
}

/*
 * A writev of up to a chunk (total_len bytes of the iovecs, which may
 * be cut short of their sum) goes to the file as one write, as Linux's
 * does: a pipe then takes its PIPE_BUF bytes or less atomically, and
 * merges and slots across the iovecs as Linux's pipe_write would.
 */
static long writev_gathered(struct file *f, const struct iovec *iov, unsigned long count,
			    size_t total_len, int64_t *pos)
{
	char small[SMALL_BYTES];
	char *buf = total_len <= sizeof(small) ? small : kmalloc(total_len);
	size_t good = 0, done = 0;

	if (!buf)
		return -ENOMEM;
	for (unsigned long i = 0; i < count && good < total_len; i++) {
		size_t want = MIN(iov[i].iov_len, total_len - good);
		size_t got = copy_from_user_prefix(buf + good, iov[i].iov_base, want);
		good += got;
		if (got < want)
			break;
	}
	int err = write_copied(f, buf, total_len, good, pos, &done);
	if (buf != small)
		kfree(buf);
	return done ? (long)done : err;
}

/* readv/writev and the p and v2 forms: pos NULL uses the file position. */
static long fd_rwv(unsigned long fd, bool is_write, const struct iovec *uiov, unsigned long count,
		   int64_t *pos)
{
	struct iovec small[UIO_FASTIOV];
	struct iovec *iov;
	struct file *f;
	size_t total_len, max = MAX_RW_COUNT;
	long total = 0;
	int err;

	err = files_fd_get((int)fd, &f);
	if (err)
		return err;
	err = iovec_import(uiov, count, small, &iov, &total_len);
	if (!err)
		err = vfs_check_io(f, is_write, pos);
	if (!err && is_write && total_len)
		err = fsize_limit(f, pos, &max);
	if (!err && is_write && count > 1 && total_len && total_len <= CHUNK_BYTES) {
		total = writev_gathered(f, iov, count, MIN(total_len, max), pos);
		if (total < 0)
			err = (int)total;
		count = 0; /* done */
	}
	for (unsigned long i = 0; !err && i < count && (size_t)total < max; i++) {
		size_t len = MIN(iov[i].iov_len, max - (size_t)total);
		if (!len)
			continue;
		long n = user_io(f, is_write, iov[i].iov_base, len, pos);
		if (n < 0) {
			if (!total)
				err = (int)n;
			break;
		}
		total += n;
		if ((size_t)n < len || (!is_write && !may_read_more(f)))
			break;
	}
	iovec_free(iov, small);
	file_put(f);
	return err ? err : total;
}

long sys_readv(const unsigned long args[6])
{
	return fd_rwv(args[0], false, (const struct iovec *)args[1], args[2], NULL);
}

long sys_writev(const unsigned long args[6])
{
	return fd_rwv(args[0], true, (const struct iovec *)args[1], args[2], NULL);
}

long sys_preadv(const unsigned long args[6])
{
	int64_t pos = (int64_t)args[3];

	return pos < 0 ? -EINVAL
		       : fd_rwv(args[0], false, (const struct iovec *)args[1], args[2], &pos);
}

long sys_pwritev(const unsigned long args[6])
{
	int64_t pos = (int64_t)args[3];

	return pos < 0 ? -EINVAL
		       : fd_rwv(args[0], true, (const struct iovec *)args[1], args[2], &pos);
}

/* preadv2/pwritev2: offset -1 means the file position; RWF_* flags. */
static long fd_rwv2(const unsigned long args[6], bool is_write)
{
	int64_t pos = (int64_t)args[3];
	unsigned int flags = (unsigned int)args[5];

	if (flags & ~(unsigned int)(RWF_HIPRI | RWF_DSYNC | RWF_SYNC | RWF_NOWAIT | RWF_APPEND))
		return -EOPNOTSUPP;
	if (flags & RWF_NOWAIT)
		return -EOPNOTSUPP; /* FIXME: no non-blocking buffered I/O */
	if (pos < -1)
		return -EINVAL;
	return fd_rwv(args[0], is_write, (const struct iovec *)args[1], args[2],
		      pos == -1 ? NULL : &pos);
}

long sys_preadv2(const unsigned long args[6])
{
	return fd_rwv2(args, false);
}

long sys_pwritev2(const unsigned long args[6])
{
	return fd_rwv2(args, true);
}
