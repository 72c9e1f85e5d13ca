// SPDX-License-Identifier: MIT
/*
 * eventfd (Linux's fs/eventfd.c): a 64-bit counter as a file. A write
 * adds to it, waiting while the sum would reach 2^64 - 1; a read takes
 * all of it (or 1 with EFD_SEMAPHORE), waiting while it is 0. Readable
 * while the counter is non-zero, writable while 1 more fits. The file
 * lives on anon_inodefs (anon_files.c).
 *
 * Locks: m = the eventfd's mutex.
 */
#include <tern/anon_file.h>
#include <tern/errno.h>
#include <tern/poll.h>
#include <tern/signal.h>
#include <tern/string.h>
#include <tern/sys.h>
#include <tern/syscall.h>

/* ABI: eventfd2 flags (man 2 eventfd); Debian's UAPI headers lack <linux/eventfd.h>. */
#define EFD_SEMAPHORE 1
#define EFD_CLOEXEC O_CLOEXEC
#define EFD_NONBLOCK O_NONBLOCK

struct eventfd {
	struct mutex lock;
	uint64_t count;	      /* m */
	bool is_semaphore;    /* I */
	struct wait_queue wq; /* readers, writers and pollers */
};

static int eventfd_read(struct file *file, void *buf, size_t len, int64_t *pos, size_t *done)
{
	struct eventfd *e = file->private;
	struct wait_entry we = {0};
	uint64_t value;
	int err = 0;

	(void)pos;
	if (len < sizeof(value))
		return -EINVAL;
	mutex_lock(&e->lock);
	while (!e->count && !err)
		err = (file->flags & O_NONBLOCK) ? -EAGAIN
						 : wait_dropping_mutex(&e->wq, &we, &e->lock);
	if (we.task)
		wait_finish(&e->wq, &we);
	if (!err) {
		value = e->is_semaphore ? 1 : e->count;
		e->count -= value;
		memcpy(buf, &value, sizeof(value));
		*done = sizeof(value);
	}
	mutex_unlock(&e->lock);
	if (!err)
		wake_up_all(&e->wq);
	return err;
}

static int eventfd_write(struct file *file, const void *buf, size_t len, int64_t *pos, size_t *done)
{
	struct eventfd *e = file->private;
	struct wait_entry we = {0};
	uint64_t value;
	int err = 0;

	(void)pos;
	if (len < sizeof(value))
		return -EINVAL;
	memcpy(&value, buf, sizeof(value));
	if (value == UINT64_MAX)
		return -EINVAL;
	mutex_lock(&e->lock);
	while (UINT64_MAX - e->count <= value && !err)
		err = (file->flags & O_NONBLOCK) ? -EAGAIN
						 : wait_dropping_mutex(&e->wq, &we, &e->lock);
	if (we.task)
		wait_finish(&e->wq, &we);
	if (!err) {
		e->count += value;
		*done = sizeof(value);
	}
	mutex_unlock(&e->lock);
	if (!err)
		wake_up_all(&e->wq);
	return err;
}

static unsigned int eventfd_poll(struct file *file, struct poll_table *pt)
{
	struct eventfd *e = file->private;
	unsigned int mask = 0;

	poll_wait(file, &e->wq, pt);
	mutex_lock(&e->lock);
	if (e->count)
		mask |= POLLIN | POLLRDNORM;
	if (e->count == UINT64_MAX)
		mask |= POLLERR;
	if (UINT64_MAX - 1 > e->count)
		mask |= POLLOUT | POLLWRNORM;
	mutex_unlock(&e->lock);
	return mask;
}

static void eventfd_release(struct file *file)
{
	kfree(file->private);
}

static const struct file_ops eventfd_ops = {
	.read = eventfd_read,
	.write = eventfd_write,
	.lseek = anon_noop_lseek,
	.poll = eventfd_poll,
	.release = eventfd_release,
};

static long do_eventfd(unsigned int initval, unsigned int flags)
{
	struct eventfd *e;
	struct file *f;
	int err;

	if (flags & ~(unsigned int)(EFD_SEMAPHORE | EFD_CLOEXEC | EFD_NONBLOCK))
		return -EINVAL;
	e = kzalloc(sizeof(*e));
	if (!e)
		return -ENOMEM;
	mutex_init(&e->lock);
	wait_queue_init(&e->wq);
	e->count = initval;
	e->is_semaphore = flags & EFD_SEMAPHORE;
	err = anon_inode_file_create("[eventfd]", &eventfd_ops, e,
				     FMODE_READ | FMODE_WRITE | FMODE_PREAD | FMODE_LSEEK,
				     O_RDWR | (flags & EFD_NONBLOCK), &f);
	if (err) {
		kfree(e);
		return err;
	}
	return files_install_new(f, flags & EFD_CLOEXEC);
}

/* eventfd2(2) */
long sys_eventfd2(const unsigned long args[6])
{
	return do_eventfd((unsigned int)args[0], (unsigned int)args[1]);
}

/* eventfd(2) */
long sys_eventfd(const unsigned long args[6])
{
	return do_eventfd((unsigned int)args[0], 0);
}
