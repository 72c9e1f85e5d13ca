// SPDX-License-Identifier: MIT
/*
 * Syscalls that move data inside the kernel: sendfile, splice (one end a
 * pipe), tee (pipe to pipe, keeping the input), vmsplice (user memory to
 * or from a pipe) and copy_file_range, with Linux's checks in Linux's
 * order (fs/read_write.c, fs/splice.c). Tern has no page-cache splicing
 * and no page gifting: bytes are copied through a kernel bounce buffer,
 * and a pipe end takes only what fits or is there when the call starts
 * (the pipe side is kernel/pipe.c), so the counts are the ones Linux
 * returns.
 */
#include <linux/fcntl.h>
#include <linux/fs.h>
#include <tern/errno.h>
#include <tern/files.h>
#include <tern/iovec.h>
#include <tern/pipe.h>
#include <tern/sys.h>
#include <tern/syscall.h>

/* ABI: SPLICE_F_* (man 2 splice); the UAPI headers do not carry them. */
#define SPLICE_F_MOVE 0x01
#define SPLICE_F_NONBLOCK 0x02
#define SPLICE_F_MORE 0x04
#define SPLICE_F_GIFT 0x08
#define SPLICE_F_ALL (SPLICE_F_MOVE | SPLICE_F_NONBLOCK | SPLICE_F_MORE | SPLICE_F_GIFT)

#define CHUNK_BYTES (64 * 1024)
#define VMSPLICE_BATCH 16 /* user pages a vmsplice round copies in, as Linux's iter_to_pipe */

/* ABI: files with splice_read: what sendfile and splice may read from besides a pipe. */
static bool can_splice_read(const struct file *f)
{
	return S_ISREG(f->inode->mode) || S_ISBLK(f->inode->mode);
}

/* ABI: files with splice_write (regular files, devices); anonymous inodes have none. */
static bool can_splice_write(const struct file *f)
{
	return S_ISREG(f->inode->mode) || S_ISCHR(f->inode->mode) || S_ISBLK(f->inode->mode);
}

/* ABI: rw_verify_area: a negative position, or one len would overflow, is EINVAL. */
static int verify_area(int64_t pos, size_t len)
{
	int64_t end;

	if (pos < 0 || (int64_t)len < 0 || __builtin_add_overflow(pos, (int64_t)len, &end))
		return -EINVAL;
	return 0;
}

/*
 * Copies up to len bytes from in (at *in_pos, or its file position when
 * in_pos is NULL) to out (likewise), stopping at a short read or write.
 * The count, or -errno if nothing moved.
 */
static long move_bytes(struct file *in, int64_t *in_pos, struct file *out, int64_t *out_pos,
		       size_t len)
{
	size_t size = MIN(len, (size_t)CHUNK_BYTES), total = 0;
	char *buf = kmalloc(MAX(size, (size_t)1));
	int err = 0;

	if (!buf)
		return -ENOMEM;
	while (total < len) {
		size_t n = MIN(len - total, size), got = 0, put = 0;
		err = in_pos ? vfs_pread(in, buf, n, *in_pos, &got) : vfs_read(in, buf, n, &got);
		if (err || !got)
			break;
		err = out_pos ? vfs_pwrite(out, buf, got, *out_pos, &put)
			      : vfs_write(out, buf, got, &put);
		if (in_pos)
			*in_pos += (int64_t)put;
		if (out_pos)
			*out_pos += (int64_t)put;
		total += put;
		if (err || put < got || got < n)
			break;
	}
	kfree(buf);
	return total ? (long)total : err;
}

/* The larger of the two file systems' limits is what sendfile may not pass. */
static int64_t max_offset(const struct file *in, const struct file *out)
{
	uint64_t max = MIN(in->inode->sb->max_file_bytes, out->inode->sb->max_file_bytes);

	return max > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)max;
}

/* sendfile to a file that is not a pipe (do_splice_direct). */
static long sendfile_direct(struct file *in, int64_t *pos, struct file *out, size_t count)
{
	int err = verify_area(READ_ONCE(out->pos), count);

	if (err)
		return err;
	if (out->flags & O_APPEND)
		return -EINVAL;
	if (!can_splice_read(in) || !can_splice_write(out))
		return -EINVAL;
	if (!count)
		return 0;
	return move_bytes(in, pos, out, NULL, count);
}

/* sendfile into a pipe: what fits now, after waiting for room (splice_file_to_pipe). */
static long sendfile_to_pipe(struct file *in, int64_t *pos, struct file *out, size_t count)
{
	bool nonblock = (in->flags | out->flags) & O_NONBLOCK;
	size_t space;
	int err;

	if (!can_splice_read(in))
		return -EINVAL;
	err = pipe_splice_wait(out, true, nonblock, &space);
	if (err)
		return err;
	return count ? move_bytes(in, pos, out, NULL, MIN(count, space)) : 0;
}

/* ABI: do_sendfile, checks in Linux's order. */
static long do_sendfile(int out_fd, int in_fd, int64_t *ppos, size_t count)
{
	struct file *in, *out;
	int64_t pos, max;
	long ret;

	ret = files_fd_get(in_fd, &in);
	if (ret)
		return ret;
	pos = ppos ? *ppos : READ_ONCE(in->pos);
	if (!(in->mode & FMODE_READ))
		ret = -EBADF;
	else if (ppos && !(in->mode & FMODE_PREAD))
		ret = -ESPIPE;
	else
		ret = verify_area(pos, count);
	if (!ret)
		ret = files_fd_get(out_fd, &out);
	if (ret) {
		file_put(in);
		return ret;
	}
	count = MIN(count, MAX_RW_COUNT);
	max = max_offset(in, out);
	if (!(out->mode & FMODE_WRITE)) {
		ret = -EBADF;
	} else if (pos >= max || (int64_t)count > max - pos) {
		ret = pos >= max ? -EOVERFLOW : 0;
		count = pos >= max ? 0 : (size_t)(max - pos);
	}
	if (!ret)
		ret = pipe_file_is_pipe(out) ? sendfile_to_pipe(in, &pos, out, count)
					     : sendfile_direct(in, &pos, out, count);
	if (ret > 0 && ppos)
		*ppos = pos;
	else if (ret > 0)
		WRITE_ONCE(in->pos, pos);
	file_put(out);
	file_put(in);
	return ret;
}

/* sendfile(2) */
long sys_sendfile64(const unsigned long args[6])
{
	void *uoff = (void *)args[2];
	int64_t pos;
	long ret;

	if (!uoff)
		return do_sendfile((int)args[0], (int)args[1], NULL, args[3]);
	if (copy_from_user(&pos, uoff, sizeof(pos)) != 0)
		return -EFAULT;
	ret = do_sendfile((int)args[0], (int)args[1], &pos, args[3]);
	if (copy_to_user(uoff, &pos, sizeof(pos)) != 0)
		return -EFAULT;
	return ret;
}

/* splice between two pipes: what is there, up to the room in out. */
static long splice_pipe_to_pipe(struct file *in, struct file *out, size_t len, bool nonblock)
{
	size_t avail, space;
	int err;

	if (in->inode == out->inode)
		return -EINVAL;
	nonblock |= (in->flags | out->flags) & O_NONBLOCK;
	err = pipe_splice_wait(in, false, nonblock, &avail);
	if (err || !avail)
		return err;
	err = pipe_splice_wait(out, true, nonblock, &space);
	if (err)
		return err;
	return move_bytes(in, NULL, out, NULL, MIN(len, MIN(avail, space)));
}

/* splice from a pipe into a file at *off (NULL: its position). */
static long splice_from_pipe(struct file *in, struct file *out, int64_t *off, size_t len,
			     bool nonblock)
{
	int64_t pos;
	size_t avail;
	int err;

	if (off && !(out->mode & FMODE_PREAD))
		return -EINVAL;
	pos = off ? *off : READ_ONCE(out->pos);
	if (out->flags & O_APPEND)
		return -EINVAL;
	err = verify_area(pos, len);
	if (err)
		return err;
	if (!can_splice_write(out))
		return -EINVAL;
	err = pipe_splice_wait(in, false, nonblock || (in->flags & O_NONBLOCK), &avail);
	if (err || !avail)
		return err;
	if (!S_ISREG(out->inode->mode))
		return move_bytes(in, NULL, out, NULL, MIN(len, avail));
	long ret = move_bytes(in, NULL, out, &pos, MIN(len, avail));
	if (ret > 0 && off)
		*off = pos;
	else if (ret > 0)
		WRITE_ONCE(out->pos, pos);
	return ret;
}

/* splice from a file at *off (NULL: its position) into a pipe. */
static long splice_to_pipe(struct file *in, struct file *out, int64_t *off, size_t len,
			   bool nonblock)
{
	int64_t pos;
	size_t space;
	int err;

	if (off && !(in->mode & FMODE_PREAD))
		return -EINVAL;
	pos = off ? *off : READ_ONCE(in->pos);
	err = verify_area(pos, len);
	if (err)
		return err;
	if (!can_splice_read(in))
		return -EINVAL;
	err = pipe_splice_wait(out, true, nonblock || (out->flags & O_NONBLOCK), &space);
	if (err)
		return err;
	long ret = move_bytes(in, &pos, out, NULL, MIN(len, space));
	if (ret > 0 && off)
		*off = pos;
	else if (ret > 0)
		WRITE_ONCE(in->pos, pos);
	return ret;
}

/* ABI: __do_splice and do_splice: ESPIPE for an offset on a pipe, EINVAL without one. */
static long do_splice(struct file *in, void *uoff_in, struct file *out, void *uoff_out, size_t len,
		      unsigned int flags)
{
	bool ipipe = pipe_file_is_pipe(in), opipe = pipe_file_is_pipe(out);
	bool nonblock = flags & SPLICE_F_NONBLOCK;
	int64_t off_in, off_out;
	long ret;

	if ((ipipe && uoff_in) || (opipe && uoff_out))
		return -ESPIPE;
	if (uoff_out && copy_from_user(&off_out, uoff_out, sizeof(off_out)) != 0)
		return -EFAULT;
	if (uoff_in && copy_from_user(&off_in, uoff_in, sizeof(off_in)) != 0)
		return -EFAULT;
	if (!(in->mode & FMODE_READ) || !(out->mode & FMODE_WRITE))
		return -EBADF;
	if (ipipe && opipe)
		ret = splice_pipe_to_pipe(in, out, len, nonblock);
	else if (ipipe)
		ret = splice_from_pipe(in, out, uoff_out ? &off_out : NULL, len, nonblock);
	else if (opipe)
		ret = splice_to_pipe(in, out, uoff_in ? &off_in : NULL, len, nonblock);
	else
		ret = -EINVAL;
	if (ret < 0)
		return ret;
	if (uoff_out && copy_to_user(uoff_out, &off_out, sizeof(off_out)) != 0)
		return -EFAULT;
	if (uoff_in && copy_to_user(uoff_in, &off_in, sizeof(off_in)) != 0)
		return -EFAULT;
	return ret;
}

/* splice(2) */
long sys_splice(const unsigned long args[6])
{
	size_t len = args[4];
	unsigned int flags = (unsigned int)args[5];
	struct file *in, *out;
	long ret;

	if (!len)
		return 0;
	if (flags & ~(unsigned int)SPLICE_F_ALL)
		return -EINVAL;
	ret = files_fd_get((int)args[0], &in);
	if (ret)
		return ret;
	ret = files_fd_get((int)args[2], &out);
	if (!ret) {
		ret = do_splice(in, (void *)args[1], out, (void *)args[3], MIN(len, MAX_RW_COUNT),
				flags);
		file_put(out);
	}
	file_put(in);
	return ret;
}

/* ABI: do_tee: EBADF for the wrong modes before EINVAL for a non-pipe or one pipe twice. */
static long do_tee(struct file *in, struct file *out, size_t len, unsigned int flags)
{
	bool nonblock = (flags & SPLICE_F_NONBLOCK) || ((in->flags | out->flags) & O_NONBLOCK);

	if (!(in->mode & FMODE_READ) || !(out->mode & FMODE_WRITE))
		return -EBADF;
	if (!pipe_file_is_pipe(in) || !pipe_file_is_pipe(out) || in->inode == out->inode)
		return -EINVAL;
	return pipe_tee(in, out, len, nonblock);
}

/* tee(2) */
long sys_tee(const unsigned long args[6])
{
	size_t len = args[2];
	unsigned int flags = (unsigned int)args[3];
	struct file *in, *out;
	long ret;

	if (flags & ~(unsigned int)SPLICE_F_ALL)
		return -EINVAL;
	if (!len)
		return 0;
	ret = files_fd_get((int)args[0], &in);
	if (ret)
		return ret;
	ret = files_fd_get((int)args[1], &out);
	if (!ret) {
		ret = do_tee(in, out, len, flags);
		file_put(out);
	}
	file_put(in);
	return ret;
}

/* A place in an imported iovec array. */
struct iov_cursor {
	const struct iovec *iov;
	unsigned long nr_segs;
	unsigned long seg; /* the current segment */
	size_t offset;	   /* bytes of it already used */
	bool has_faulted;  /* gather_pages met memory it could not read */
};

static void cursor_advance(struct iov_cursor *c, size_t n)
{
	c->offset += n;
	while (c->seg < c->nr_segs && c->offset == c->iov[c->seg].iov_len) {
		c->seg++;
		c->offset = 0;
	}
}

/*
 * Copies the next user pages at c into buf, a piece per page of user
 * memory (Linux's iter_to_pipe makes a pipe buffer of each), at most
 * VMSPLICE_BATCH pieces and stopping at memory it cannot read. Returns
 * the bytes, with the pieces in lens[0..*nr).
 */
static size_t gather_pages(struct iov_cursor *c, char *buf, uint32_t *lens, uint32_t *nr)
{
	size_t total = 0;

	*nr = 0;
	cursor_advance(c, 0);
	while (*nr < VMSPLICE_BATCH && c->seg < c->nr_segs && !c->has_faulted) {
		const struct iovec *v = &c->iov[c->seg];
		uintptr_t at = (uintptr_t)v->iov_base + c->offset;
		size_t n = MIN(v->iov_len - c->offset, PAGE_SIZE - (at & (PAGE_SIZE - 1)));
		if (copy_from_user(buf + total, (const void *)at, n) != 0) {
			c->has_faulted = true;
			break;
		}
		lens[(*nr)++] = (uint32_t)n;
		total += n;
		cursor_advance(c, n);
	}
	return total;
}

/* ABI: vmsplice_to_pipe: only SPLICE_F_NONBLOCK keeps it from waiting, not O_NONBLOCK. */
static long vmsplice_to_pipe(struct file *f, const struct iovec *iov, unsigned long nr_segs,
			     bool nonblock)
{
	struct iov_cursor c = {.iov = iov, .nr_segs = nr_segs};
	uint32_t lens[VMSPLICE_BATCH], nr;
	char *buf = kmalloc(VMSPLICE_BATCH * PAGE_SIZE);
	size_t total = 0, want, done;
	int err;

	if (!buf)
		return -ENOMEM;
	do {
		want = gather_pages(&c, buf, lens, &nr);
		if (!nr && total)
			break;
		/* With nothing gathered, the first round still waits, as Linux waits before reading. */
		err = pipe_vmsplice_write(f, buf, lens, nr, !total, nonblock, &done);
		total += done;
	} while (!err && nr && done == want);
	kfree(buf);
	if (total)
		return (long)total;
	return err ? err : (c.has_faulted ? -EFAULT : 0);
}

/* Copies len bytes of buf out to the user memory at c; 0 or -EFAULT. */
static int scatter(struct iov_cursor *c, const char *buf, size_t len)
{
	while (len) {
		const struct iovec *v = &c->iov[c->seg];
		size_t n = MIN(len, v->iov_len - c->offset);
		if (copy_to_user((char *)v->iov_base + c->offset, buf, n) != 0)
			return -EFAULT;
		buf += n;
		len -= n;
		cursor_advance(c, n);
	}
	return 0;
}

/* ABI: vmsplice_to_user: len bytes at most; waits only for the first byte. */
static long vmsplice_to_user(struct file *f, const struct iovec *iov, unsigned long nr_segs,
			     size_t len, bool nonblock)
{
	struct iov_cursor c = {.iov = iov, .nr_segs = nr_segs};
	size_t size = MIN(len, (size_t)CHUNK_BYTES), total = 0;
	char *buf = kmalloc(size);
	int err = 0;

	if (!buf)
		return -ENOMEM;
	cursor_advance(&c, 0);
	while (total < len) {
		size_t n = MIN(len - total, size), got;
		err = pipe_vmsplice_read(f, buf, n, !total, nonblock, &got);
		if (!err && got)
			err = scatter(&c, buf, got);
		if (err || !got)
			break;
		total += got;
		if (got < n)
			break;
	}
	kfree(buf);
	return total ? (long)total : err;
}

/* ABI: vmsplice: EINVAL flags, EBADF fd, the iovec checks, then EBADF for a non-pipe. */
long sys_vmsplice(const unsigned long args[6])
{
	const struct iovec *uiov = (const struct iovec *)args[1];
	unsigned long nr_segs = args[2];
	unsigned int flags = (unsigned int)args[3];
	bool nonblock = flags & SPLICE_F_NONBLOCK;
	struct iovec fast[UIO_FASTIOV], *iov = fast;
	struct file *f;
	size_t total = 0;
	long ret;

	if (flags & ~(unsigned int)SPLICE_F_ALL)
		return -EINVAL;
	ret = files_fd_get((int)args[0], &f);
	if (ret)
		return ret;
	if (!(f->mode & (FMODE_READ | FMODE_WRITE)))
		ret = -EBADF;
	else
		ret = iovec_import(uiov, nr_segs, fast, &iov, &total);
	if (!ret && total && !pipe_file_is_pipe(f))
		ret = -EBADF;
	else if (!ret && total && (f->mode & FMODE_WRITE))
		ret = vmsplice_to_pipe(f, iov, nr_segs, nonblock);
	else if (!ret && total)
		ret = vmsplice_to_user(f, iov, nr_segs, total, nonblock);
	iovec_free(iov, fast);
	file_put(f);
	return ret;
}

/* ABI: generic_copy_file_checks, in Linux's order; *len is shortened to the end of in. */
static int copy_range_checks(struct file *in, int64_t pos_in, struct file *out, int64_t pos_out,
			     size_t *len)
{
	const struct inode *ii = in->inode, *io = out->inode;
	int64_t size = (int64_t)READ_ONCE(ii->size);

	if (S_ISDIR(ii->mode) || S_ISDIR(io->mode))
		return -EISDIR;
	if (!S_ISREG(ii->mode) || !S_ISREG(io->mode))
		return -EINVAL;
	if (!(in->mode & FMODE_READ) || !(out->mode & FMODE_WRITE) || (out->flags & O_APPEND))
		return -EBADF;
	if (ii->sb != io->sb)
		return -EXDEV;
	/* ABI: the wrap check is unsigned, so a negative offset is EOVERFLOW here. */
	if ((uint64_t)pos_in + *len < (uint64_t)pos_in ||
	    (uint64_t)pos_out + *len < (uint64_t)pos_out)
		return -EOVERFLOW;
	*len = pos_in >= size ? 0 : MIN(*len, (size_t)(size - pos_in));
	if (pos_out >= 0 && (uint64_t)pos_out >= io->sb->max_file_bytes && *len)
		return -EFBIG;
	if (ii == io && pos_out + (int64_t)*len > pos_in && pos_out < pos_in + (int64_t)*len)
		return -EINVAL;
	if (verify_area(pos_in, *len) || verify_area(pos_out, *len))
		return -EINVAL;
	return 0;
}

static long copy_file_range_files(struct file *in, void *uoff_in, struct file *out, void *uoff_out,
				  size_t len, unsigned int flags)
{
	int64_t pos_in = READ_ONCE(in->pos), pos_out = READ_ONCE(out->pos);
	long ret;

	if (uoff_in && copy_from_user(&pos_in, uoff_in, sizeof(pos_in)) != 0)
		return -EFAULT;
	if (uoff_out && copy_from_user(&pos_out, uoff_out, sizeof(pos_out)) != 0)
		return -EFAULT;
	if (flags)
		return -EINVAL;
	ret = copy_range_checks(in, pos_in, out, pos_out, &len);
	if (ret || !len)
		return ret;
	ret = move_bytes(in, &pos_in, out, &pos_out, MIN(len, MAX_RW_COUNT));
	if (ret <= 0)
		return ret;
	if (!uoff_in)
		WRITE_ONCE(in->pos, pos_in);
	else if (copy_to_user(uoff_in, &pos_in, sizeof(pos_in)) != 0)
		ret = -EFAULT;
	if (!uoff_out)
		WRITE_ONCE(out->pos, pos_out);
	else if (copy_to_user(uoff_out, &pos_out, sizeof(pos_out)) != 0)
		ret = -EFAULT;
	return ret;
}

/* copy_file_range(2) */
long sys_copy_file_range(const unsigned long args[6])
{
	struct file *in, *out;
	long ret = files_fd_get((int)args[0], &in);

	if (ret)
		return ret;
	ret = files_fd_get((int)args[2], &out);
	if (!ret) {
		ret = copy_file_range_files(in, (void *)args[1], out, (void *)args[3], args[4],
					    (unsigned int)args[5]);
		file_put(out);
	}
	file_put(in);
	return ret;
}
