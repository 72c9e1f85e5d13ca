/* SPDX-License-Identifier: MIT */
/*
 * Readiness. A file's poll op returns the POLL* bits true now and, given
 * a poll table, calls poll_wait for each wait queue on which it wakes
 * sleepers when those bits may change (Linux's ->poll and poll_wait).
 * poll, ppoll, select and pselect6 are kernel/sys_poll.c over the
 * sleeper of kernel/poll.c; epoll is kernel/epoll.c.
 */
#pragma once

#include <asm/poll.h>
#include <tern/file.h>
#include <tern/sched.h>

struct wait_queue;

/* What poll_wait hands a file's wait queues to; NULL when nobody will wait. */
struct poll_table {
	void (*queue)(struct poll_table *pt, struct file *file, struct wait_queue *wq);
};

static inline void poll_wait(struct file *file, struct wait_queue *wq, struct poll_table *pt)
{
	if (pt && pt->queue)
		pt->queue(pt, file, wq);
}

/* What a file without a poll op is: always ready (Linux's DEFAULT_POLLMASK). */
#define POLL_DEFAULT_MASK (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM)

static inline bool file_can_poll(const struct file *file)
{
	return file->ops->poll != NULL;
}

/* The POLL* bits of file now; with pt, queues pt on the file's wait queues. */
static inline unsigned int vfs_poll(struct file *file, struct poll_table *pt)
{
	if (!file->ops->poll)
		return POLL_DEFAULT_MASK;
	return file->ops->poll(file, pt);
}

/*
 * A task waiting for any of several files (poll, select): the poll
 * table that queues it on every wait queue a file names, holding a
 * reference on the file until the sleeper is finished (kernel/poll.c).
 */
struct poll_entry {
	struct wait_entry we;
	struct wait_queue *wq;
	struct file *file; /* referenced while queued */
	struct poll_sleeper *ps;
};

#define POLL_INLINE_ENTRIES 8

struct poll_entry_block;

struct poll_sleeper {
	struct poll_table pt;
	struct task *task;  /* I: the sleeper */
	bool is_triggered;  /* a wake-up came since the last sleep (interrupts off) */
	int error;	    /* -ENOMEM once an entry could not be made */
	uint32_t nr_inline; /* entries used in inline_entries */
	struct poll_entry inline_entries[POLL_INLINE_ENTRIES];
	struct poll_entry_block *blocks; /* more entries, newest block first */
};

void poll_sleeper_init(struct poll_sleeper *ps);
/* Takes every entry off its queue and drops the file references. */
void poll_sleeper_fini(struct poll_sleeper *ps);

/* After the first scan: later scans only look, the queues are in place. */
static inline void poll_sleeper_stop_queueing(struct poll_sleeper *ps)
{
	ps->pt.queue = NULL;
}

/*
 * Sleeps until a queued file wakes it (or did since the last call), a
 * signal is pending, or the monotonic deadline_ns (0 = none) passes.
 */
void poll_sleeper_sleep(struct poll_sleeper *ps, uint64_t deadline_ns);

/*
 * The temporary signal mask of ppoll, pselect6 and epoll_pwait: begin
 * swaps in *umask (NULL: none; EINVAL unless size is 8, EFAULT); end
 * gives the old one back unless the call was interrupted, in which case
 * the signal handler's return does (Linux's restore_saved_sigmask_unless).
 */
int poll_sigmask_begin(const void *umask, size_t size) __must_check;
void poll_sigmask_end(bool is_interrupted);

/*
 * One interruptible sleep on wq with lock (held) dropped meanwhile, for
 * loops that re-check their condition under lock: 0, or -ERESTARTSYS
 * if a signal is pending. we stays queued until wait_finish.
 */
int wait_dropping_mutex(struct wait_queue *wq, struct wait_entry *we,
			struct mutex *lock) __must_check;
