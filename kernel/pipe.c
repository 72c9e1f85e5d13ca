// SPDX-License-Identifier: MIT
/*
 * Pipes and FIFOs as files (Linux's fs/pipe.c and fifo_open): the pipe
 * object around the buffer ring of fs/pipe.c, blocking and non-blocking
 * reads and writes, SIGPIPE, readiness for poll and epoll, FIONREAD,
 * F_GETPIPE_SZ/F_SETPIPE_SZ, the pipe side of splice, tee and vmsplice
 * (their glue is sys_copy.c), and FIFO opening, which waits for the other
 * end. Anonymous pipes live on a pipefs inode (fs/anon_file.c); a FIFO's
 * pipe hangs off its inode while anyone has it open. pipe(2) is
 * sys_pipe.c.
 *
 * Locks: F = fifo_lock (the list of open FIFOs), m = the pipe's mutex.
 * Lock order: fifo_lock -> pipe->lock -> wait queue locks; tee holds two
 * pipes' locks, the one at the lower address first.
 */
#include <asm/ioctls.h>
#include <linux/magic.h>
#include <tern/anon_file.h>
#include <tern/errno.h>
#include <tern/files.h>
#include <tern/pipe.h>
#include <tern/poll.h>
#include <tern/signal.h>

struct pipe {
	struct mutex lock;
	struct pipe_ring ring;	    /* m */
	uint32_t nr_readers;	    /* m: open files that read */
	uint32_t nr_writers;	    /* m: open files that write */
	uint32_t r_counter;	    /* m: reader opens so far (FIFO opens wait for a change) */
	uint32_t w_counter;	    /* m: writer opens so far */
	struct wait_queue rd_wait;  /* readers, FIFO opens and the read side's pollers */
	struct wait_queue wr_wait;  /* writers and the write side's pollers */
	struct inode *fifo_inode;   /* I: the FIFO's inode, NULL for a pipe */
	struct list_head fifo_link; /* F: in fifo_list */
};

static struct mutex fifo_lock;
static struct list_head fifo_list; /* F: pipes of open FIFOs */
static struct anon_fs *pipe_fs;	   /* I: pipefs, set at boot */

static const struct file_ops pipe_ops;

static int pipe_alloc(struct inode *fifo_inode, struct pipe **out)
{
	struct pipe *p = kzalloc(sizeof(*p));

	if (!p)
		return -ENOMEM;
	if (pipe_ring_init(&p->ring, PIPE_DEF_SLOTS) != 0) {
		kfree(p);
		return -ENOMEM;
	}
	mutex_init(&p->lock);
	wait_queue_init(&p->rd_wait);
	wait_queue_init(&p->wr_wait);
	p->fifo_inode = fifo_inode;
	list_init(&p->fifo_link);
	*out = p;
	return 0;
}

static void pipe_free(struct pipe *p)
{
	pipe_ring_fini(&p->ring);
	kfree(p);
}

/* A file of the pipe goes (or its open failed): the last one frees the pipe. */
static void pipe_drop(struct pipe *p, uint32_t fmode)
{
	bool is_fifo = p->fifo_inode != NULL;
	bool is_last;

	if (is_fifo)
		mutex_lock(&fifo_lock);
	mutex_lock(&p->lock);
	if (fmode & FMODE_READ)
		p->nr_readers--;
	if (fmode & FMODE_WRITE)
		p->nr_writers--;
	is_last = !p->nr_readers && !p->nr_writers;
	if (is_last && is_fifo)
		list_remove(&p->fifo_link);
	mutex_unlock(&p->lock);
	if (is_fifo)
		mutex_unlock(&fifo_lock);
	if (is_last) {
		pipe_free(p);
		return;
	}
	wake_up_all(&p->rd_wait);
	wake_up_all(&p->wr_wait);
}

int pipe_read_prefix(struct file *file, void *buf, size_t len, size_t nr_good, size_t *done)
{
	struct pipe *p = file->private;
	struct wait_entry we = {0};
	int err = 0;

	*done = 0;
	mutex_lock(&p->lock);
	for (;;) {
		size_t n = pipe_ring_pop_prefix(&p->ring, buf, len, nr_good);
		if (n) {
			*done = n;
			wake_up_all(&p->wr_wait);
			break;
		}
		if (nr_good < len && !pipe_ring_is_empty(&p->ring)) {
			err = -EFAULT; /* the oldest slot does not fit in nr_good */
			break;
		}
		if (!p->nr_writers)
			break;
		if (file->flags & O_NONBLOCK) {
			err = -EAGAIN;
			break;
		}
		err = wait_dropping_mutex(&p->rd_wait, &we, &p->lock);
		if (err)
			break;
	}
	if (we.task)
		wait_finish(&p->rd_wait, &we);
	mutex_unlock(&p->lock);
	return err;
}

static int pipe_read(struct file *file, void *buf, size_t len, int64_t *pos, size_t *done)
{
	(void)pos;
	return pipe_read_prefix(file, buf, len, len, done);
}

/* ABI: pipe_write sends SIGPIPE to the writing process (send_sig: SI_USER, own pid). */
static void send_sigpipe(void)
{
	spin_lock(&proc_lock);
	signal_send_proc_locked(current_proc(), SIGPIPE, SI_USER, 0);
	spin_unlock(&proc_lock);
}

/*
 * The loop of pipe_write after the merge: fresh slots until len bytes
 * went in, sleeping while the ring is full. Returns 0 or an error that
 * counts only if nothing was written.
 */
static int write_slots(struct file *file, struct pipe *p, const char *buf, size_t len,
		       size_t *total)
{
	enum pipe_slot_kind kind = file->flags & O_DIRECT ? PIPE_SLOT_PACKET : PIPE_SLOT_PLAIN;
	struct wait_entry we = {0};
	int err = 0;

	while (*total < len) {
		size_t n;
		if (!p->nr_readers) {
			send_sigpipe();
			err = -EPIPE;
			break;
		}
		err = pipe_ring_push(&p->ring, buf + *total, len - *total, kind, &n);
		*total += n;
		if (err || *total == len)
			break;
		if (file->flags & O_NONBLOCK) {
			err = -EAGAIN;
			break;
		}
		if (n)
			wake_up_all(&p->rd_wait);
		err = wait_dropping_mutex(&p->wr_wait, &we, &p->lock);
		if (err)
			break;
	}
	if (we.task)
		wait_finish(&p->wr_wait, &we);
	return err;
}

/*
 * ABI: pipe_write copies the merged tail all or nothing (EFAULT), then
 * whole slots: a slot it cannot fill with all the bytes meant for it is
 * dropped and ends the write. So of nr_good < len bytes, what goes in is
 * the merged part and then whole pages.
 */
static size_t writable_prefix(struct pipe_ring *r, size_t len, size_t nr_good, bool *merges)
{
	size_t merged = 0;

	*merges = pipe_ring_can_merge(r, len);
	if (nr_good >= len)
		return len;
	if (*merges)
		merged = len & (PAGE_SIZE - 1);
	if (merged > nr_good)
		return 0;
	return merged + ((nr_good - merged) & ~(size_t)(PAGE_SIZE - 1));
}

int pipe_write_prefix(struct file *file, const void *buf, size_t len, size_t nr_good, size_t *done)
{
	struct pipe *p = file->private;
	size_t total = 0, limit;
	bool merges;
	int err;

	*done = 0;
	mutex_lock(&p->lock);
	if (!p->nr_readers) {
		send_sigpipe();
		mutex_unlock(&p->lock);
		return -EPIPE;
	}
	limit = writable_prefix(&p->ring, len, nr_good, &merges);
	if (merges && limit)
		total = pipe_ring_merge(&p->ring, buf, len);
	err = write_slots(file, p, buf, limit, &total);
	if (!err && limit < len)
		err = -EFAULT;
	if (total)
		wake_up_all(&p->rd_wait);
	mutex_unlock(&p->lock);
	*done = total;
	return total ? 0 : err;
}

static int pipe_write(struct file *file, const void *buf, size_t len, int64_t *pos, size_t *done)
{
	(void)pos;
	return pipe_write_prefix(file, buf, len, len, done);
}

static unsigned int pipe_poll(struct file *file, struct poll_table *pt)
{
	struct pipe *p = file->private;
	unsigned int mask = 0;

	if (file->mode & FMODE_READ)
		poll_wait(file, &p->rd_wait, pt);
	if (file->mode & FMODE_WRITE)
		poll_wait(file, &p->wr_wait, pt);
	/*
	 * A snapshot without the lock, as Linux's pipe_poll: the waits are
	 * queued first, so a change after these reads still wakes the poller.
	 */
	/* ABI: a FIFO reader opened with no writer sees no POLLHUP until one came (f_version). */
	if (file->mode & FMODE_READ) {
		if (!pipe_ring_is_empty(&p->ring))
			mask |= POLLIN | POLLRDNORM;
		if (!p->nr_writers && (uint64_t)file->pos != p->w_counter)
			mask |= POLLHUP;
	}
	if (file->mode & FMODE_WRITE) {
		if (!pipe_ring_is_full(&p->ring))
			mask |= POLLOUT | POLLWRNORM;
		if (!p->nr_readers)
			mask |= POLLERR;
	}
	return mask;
}

static int pipe_ioctl(struct file *file, unsigned int cmd, unsigned long arg, long *out)
{
	struct pipe *p = file->private;
	int count;

	*out = 0;
	if (cmd != FIONREAD)
		return -ENOTTY;
	mutex_lock(&p->lock);
	count = (int)p->ring.nr_bytes;
	mutex_unlock(&p->lock);
	return copy_to_user((void *)arg, &count, sizeof(count)) ? -EFAULT : 0;
}

static void pipe_release(struct file *file)
{
	pipe_drop(file->private, file->mode);
}

/* The FIFO of inode, referenced by nothing yet: found or made. F held. */
static int fifo_get_pipe(struct inode *inode, struct pipe **out)
{
	struct list_head *pos;
	struct pipe *p;

	list_for_each(pos, &fifo_list) {
		p = list_entry(pos, struct pipe, fifo_link);
		if (p->fifo_inode == inode) {
			*out = p;
			return 0;
		}
	}
	int err = pipe_alloc(inode, &p);
	if (err)
		return err;
	list_insert_tail(&fifo_list, &p->fifo_link);
	*out = p;
	return 0;
}

/* Sleeps until *counter moves (the other end opened): 0 or -ERESTARTSYS. m held. */
static int wait_for_partner(struct pipe *p, const uint32_t *counter)
{
	uint32_t seen = *counter;
	struct wait_entry we = {0};
	int err = 0;

	while (*counter == seen && !err)
		err = wait_dropping_mutex(&p->rd_wait, &we, &p->lock);
	if (we.task)
		wait_finish(&p->rd_wait, &we);
	return err;
}

/*
 * Counts a new FIFO file in. Returns the counter to wait on for the
 * other end (NULL: none) or ENXIO for a non-blocking writer without a
 * reader. m held.
 */
static int fifo_join(struct pipe *p, struct file *file, const uint32_t **wait_on)
{
	bool is_nonblock = file->flags & O_NONBLOCK;

	*wait_on = NULL;
	switch (file->mode & (FMODE_READ | FMODE_WRITE)) {
	case FMODE_READ:
		p->r_counter++;
		p->nr_readers++;
		if (!p->nr_writers && is_nonblock)
			file->pos = p->w_counter;
		else if (!p->nr_writers)
			*wait_on = &p->w_counter;
		return 0;
	case FMODE_WRITE:
		if (is_nonblock && !p->nr_readers)
			return -ENXIO;
		p->w_counter++;
		p->nr_writers++;
		if (!p->nr_readers)
			*wait_on = &p->r_counter;
		return 0;
	default:
		/* ABI: O_RDWR never blocks: the opener can talk to itself. */
		p->nr_readers++;
		p->nr_writers++;
		p->r_counter++;
		p->w_counter++;
		return 0;
	}
}

/* fifo_open: the FIFO's pipe, made by the first opener; may wait for the other end. */
static int fifo_open(struct inode *inode, struct file *file)
{
	const uint32_t *wait_on;
	struct pipe *p;
	int err;

	mutex_lock(&fifo_lock);
	err = fifo_get_pipe(inode, &p);
	if (err) {
		mutex_unlock(&fifo_lock);
		return err;
	}
	mutex_lock(&p->lock);
	file->private = p;
	file->pos = 0;
	err = fifo_join(p, file, &wait_on);
	if (err && !p->nr_readers && !p->nr_writers) {
		list_remove(&p->fifo_link);
		mutex_unlock(&p->lock);
		mutex_unlock(&fifo_lock);
		pipe_free(p);
		return err;
	}
	mutex_unlock(&fifo_lock);
	wake_up_all(&p->rd_wait);
	wake_up_all(&p->wr_wait);
	if (!err && wait_on)
		err = wait_for_partner(p, wait_on);
	mutex_unlock(&p->lock);
	if (err && wait_on)
		pipe_drop(p, file->mode);
	return err;
}

static const struct file_ops pipe_ops = {
	.open = fifo_open,
	.read = pipe_read,
	.write = pipe_write,
	.ioctl = pipe_ioctl,
	.poll = pipe_poll,
	.release = pipe_release,
};

int pipe_register(struct vfs *vfs)
{
	mutex_init(&fifo_lock);
	list_init(&fifo_list);
	int err = anon_fs_create(vfs, PIPEFS_MAGIC, &pipe_fs);
	if (err)
		return err;
	vfs_set_fifo_ops(vfs, &pipe_ops);
	return 0;
}

int pipe_create_files(const struct vfs_cred *cred, unsigned int flags, struct file **rd,
		      struct file **wr)
{
	struct pipe *p;
	int err = pipe_alloc(NULL, &p);

	if (err)
		return err;
	p->nr_readers = p->nr_writers = 1;
	p->r_counter = p->w_counter = 1;
	struct anon_file_spec spec = {
		.mode = S_IFIFO | 0600,
		.name = "pipe:",
		.ops = &pipe_ops,
		.private = p,
		.fmode = FMODE_WRITE,
		.flags = O_WRONLY | (flags & (O_NONBLOCK | O_DIRECT)),
		.cred = cred,
	};
	err = anon_file_create(pipe_fs, &spec, wr);
	if (err) {
		pipe_free(p);
		return err;
	}
	spec.fmode = FMODE_READ;
	spec.flags = O_RDONLY | (flags & O_NONBLOCK);
	err = anon_file_open_again(*wr, &spec, rd);
	if (err) {
		p->nr_readers = 0; /* the write end's release frees the pipe */
		file_put(*wr);
	}
	return err;
}

static bool current_has_cap(int cap)
{
	spin_lock(&proc_lock);
	uint64_t caps = cred_vfs_caps(current_cred());
	spin_unlock(&proc_lock);
	return (caps >> cap) & 1;
}

/* ABI: pipe_set_size: EPERM past pipe-max-size without CAP_SYS_RESOURCE, EBUSY if data would not fit. */
static long pipe_set_size(struct pipe *p, unsigned long arg)
{
	uint32_t nr_slots = pipe_slots_for_size(arg);
	long ret;

	if (!nr_slots)
		return -EINVAL;
	mutex_lock(&p->lock);
	if (nr_slots > p->ring.nr_slots && (uint64_t)nr_slots * PAGE_SIZE > PIPE_MAX_SIZE_BYTES &&
	    !current_has_cap(CAP_SYS_RESOURCE))
		ret = -EPERM;
	else
		ret = pipe_ring_resize(&p->ring, nr_slots);
	mutex_unlock(&p->lock);
	if (ret)
		return ret;
	wake_up_all(&p->wr_wait);
	return (long)nr_slots * PAGE_SIZE;
}

long pipe_fcntl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct pipe *p = file->private;
	long ret;

	if (file->ops != &pipe_ops)
		return -EBADF;
	if (cmd == F_SETPIPE_SZ)
		return pipe_set_size(p, arg);
	mutex_lock(&p->lock);
	ret = (long)p->ring.nr_slots * PAGE_SIZE;
	mutex_unlock(&p->lock);
	return ret;
}

bool pipe_file_is_pipe(const struct file *file)
{
	return file->ops == &pipe_ops;
}

/* pipe_splice_wait with m held; it is dropped while asleep. */
static int splice_wait_locked(struct pipe *p, bool for_write, bool nonblock, size_t *bytes)
{
	struct wait_queue *wq = for_write ? &p->wr_wait : &p->rd_wait;
	struct wait_entry we = {0};
	int err = 0;

	for (;;) {
		*bytes = for_write ? (size_t)(p->ring.nr_slots - pipe_ring_nr_used(&p->ring)) *
					     PAGE_SIZE
				   : p->ring.nr_bytes;
		if (for_write && !p->nr_readers) {
			send_sigpipe();
			err = -EPIPE;
			break;
		}
		if (*bytes || (!for_write && !p->nr_writers))
			break;
		if (nonblock) {
			err = -EAGAIN;
			break;
		}
		err = wait_dropping_mutex(wq, &we, &p->lock);
		if (err)
			break;
	}
	if (we.task)
		wait_finish(wq, &we);
	return err;
}

int pipe_splice_wait(struct file *file, bool for_write, bool nonblock, size_t *bytes)
{
	struct pipe *p = file->private;

	mutex_lock(&p->lock);
	int err = splice_wait_locked(p, for_write, nonblock, bytes);
	mutex_unlock(&p->lock);
	return err;
}

/* ABI: link_pipe: both pipes at once, locked by address (pipe_double_lock). */
static void lock_two(struct pipe *a, struct pipe *b)
{
	if ((uintptr_t)a > (uintptr_t)b) {
		struct pipe *t = a;
		a = b;
		b = t;
	}
	mutex_lock(&a->lock);
	mutex_lock(&b->lock);
}

long pipe_tee(struct file *in, struct file *out, size_t len, bool nonblock)
{
	struct pipe *ip = in->private, *op = out->private;
	size_t avail, space, done = 0;
	int err;

	err = pipe_splice_wait(in, false, nonblock, &avail);
	if (!err)
		err = pipe_splice_wait(out, true, nonblock, &space);
	if (err)
		return err;
	lock_two(ip, op);
	if (!op->nr_readers) {
		send_sigpipe();
		err = -EPIPE;
	} else {
		err = pipe_ring_tee(&ip->ring, &op->ring, len, &done);
	}
	mutex_unlock(&ip->lock);
	mutex_unlock(&op->lock);
	if (done)
		wake_up_all(&op->rd_wait);
	return done ? (long)done : err;
}

int pipe_vmsplice_write(struct file *file, const char *buf, const uint32_t *lens, uint32_t nr,
			bool is_first, bool nonblock, size_t *done)
{
	struct pipe *p = file->private;
	size_t total = 0, space;
	int err = 0;

	mutex_lock(&p->lock);
	if (is_first)
		err = splice_wait_locked(p, true, nonblock, &space);
	for (uint32_t i = 0; !err && i < nr && p->nr_readers; i++) {
		size_t n;
		err = pipe_ring_push(&p->ring, buf, lens[i], PIPE_SLOT_SEALED, &n);
		if (!n)
			break;
		total += n;
		buf += lens[i];
	}
	mutex_unlock(&p->lock);
	if (total)
		wake_up_all(&p->rd_wait);
	*done = total;
	return total ? 0 : err;
}

int pipe_vmsplice_read(struct file *file, void *buf, size_t len, bool is_first, bool nonblock,
		       size_t *done)
{
	struct pipe *p = file->private;
	size_t avail;
	int err = 0;

	mutex_lock(&p->lock);
	if (is_first)
		err = splice_wait_locked(p, false, nonblock, &avail);
	*done = err ? 0 : pipe_ring_pop_bytes(&p->ring, buf, len);
	mutex_unlock(&p->lock);
	if (*done)
		wake_up_all(&p->wr_wait);
	return err;
}
