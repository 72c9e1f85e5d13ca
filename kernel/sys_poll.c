// SPDX-License-Identifier: MIT
/*
 * poll, ppoll, select and pselect6 (Linux's fs/select.c): scan the
 * descriptors' poll ops, queueing the caller on their wait queues the
 * first time round, then sleep (kernel/poll.c) until one wakes it, the
 * timeout passes or a signal comes. ppoll and pselect6 swap in a signal
 * mask for the wait; all four write the time left back as Linux does.
 */
#include <linux/time_types.h>
#include <tern/errno.h>
#include <tern/files.h>
#include <tern/poll.h>
#include <tern/signal.h>
#include <tern/string.h>
#include <tern/sys.h>
#include <tern/syscall.h>
#include <tern/time.h>

#define NS_PER_SEC 1000000000ULL

/* ABI: what select counts as readable, writable and exceptional (fs/select.c). */
#define POLLIN_SET (POLLRDNORM | POLLRDBAND | POLLIN | POLLHUP | POLLERR)
#define POLLOUT_SET (POLLWRBAND | POLLWRNORM | POLLOUT | POLLERR)
#define POLLEX_SET (POLLPRI)

#define BITS_PER_LONG_ (8 * sizeof(long))
#define POLL_STACK_FDS 32    /* a poll of this few descriptors copies them to the stack */
#define SELECT_STACK_WORDS 4 /* a select of up to 256 descriptors keeps its sets there */

/* The end of a timeout: deadline_ns 0 means none, is_zero a timeout of 0 (never sleep). */
struct poll_timeout {
	uint64_t deadline_ns;
	bool is_zero;
};

static void timeout_set(struct poll_timeout *to, uint64_t ns)
{
	to->is_zero = ns == 0;
	to->deadline_ns = ns ? deadline_after(clock_monotonic_ns(), ns) : 0;
}

/*
 * The POLL* bits of fd now (POLLNVAL if it is not open), queueing pt.
 * The caller holds the descriptor table locked across its whole scan,
 * so no file can go away and none needs a reference of its own.
 */
static unsigned int poll_fd(struct fdtable *t, int fd, struct poll_table *pt, bool *is_open)
{
	struct file *f = fd >= 0 && t ? fd_peek_locked(t, fd) : NULL;

	*is_open = f != NULL;
	if (!f)
		return POLLNVAL;
	/* ABI: fdget skips O_PATH files: poll sees POLLNVAL, select nothing. */
	if (f->mode & FMODE_PATH) {
		*is_open = false;
		return POLLNVAL;
	}
	return vfs_poll(f, pt);
}

/*
 * The scan-and-sleep loop common to poll and select: scan(arg, pt)
 * returns how many are ready (or -errno). Returns that count, 0 at the
 * deadline, or -ERESTARTNOHAND for a signal.
 */
static long wait_ready(long (*scan)(void *arg, struct poll_table *pt), void *arg,
		       const struct poll_timeout *to)
{
	struct poll_sleeper ps;
	bool timed_out = to->is_zero;
	long count;

	poll_sleeper_init(&ps);
	for (;;) {
		count = scan(arg, timed_out ? NULL : &ps.pt);
		poll_sleeper_stop_queueing(&ps);
		if (!count) {
			count = ps.error;
			if (signal_pending_current())
				count = -ERESTARTNOHAND;
		}
		if (count || timed_out)
			break;
		poll_sleeper_sleep(&ps, to->deadline_ns);
		if (to->deadline_ns && clock_monotonic_ns() >= to->deadline_ns)
			timed_out = true;
	}
	poll_sleeper_fini(&ps);
	return count;
}

struct poll_args {
	struct pollfd *fds;
	unsigned int nfds;
};

static long scan_pollfds(void *arg, struct poll_table *pt)
{
	struct poll_args *pa = arg;
	struct fdtable *t = files_table();
	long count = 0;

	if (t)
		fdtable_lock(t);
	for (unsigned int i = 0; i < pa->nfds; i++) {
		struct pollfd *p = &pa->fds[i];
		unsigned int mask = 0;
		bool is_open;
		if (p->fd >= 0) {
			mask = poll_fd(t, p->fd, pt, &is_open);
			if (is_open)
				mask &= (uint16_t)p->events | POLLERR | POLLHUP;
		}
		p->revents = (short)mask;
		if (mask) {
			count++;
			pt = NULL; /* no sleep follows: no more queueing */
		}
	}
	if (t)
		fdtable_unlock(t);
	return count;
}

/* ABI: do_sys_poll: EINVAL past RLIMIT_NOFILE; revents are written back even on EINTR. */
static long do_sys_poll(struct pollfd *ufds, unsigned int nfds, const struct poll_timeout *to)
{
	struct pollfd on_stack[POLL_STACK_FDS];
	struct poll_args pa = {.nfds = nfds};
	long ret;

	if (nfds > files_nofile_limit())
		return -EINVAL;
	pa.fds = nfds <= POLL_STACK_FDS ? on_stack : kmalloc(nfds * sizeof(*pa.fds));
	if (!pa.fds)
		return -ENOMEM;
	ret = copy_from_user(pa.fds, ufds, nfds * sizeof(*pa.fds)) ? -EFAULT : 0;
	if (!ret)
		ret = wait_ready(scan_pollfds, &pa, to);
	/*
	 * One copy for the whole array, as Linux writes every revents inside
	 * one user-access window; fd and events go back as they were read.
	 */
	if (ret != -EFAULT && copy_to_user(ufds, pa.fds, nfds * sizeof(*pa.fds)) != 0)
		ret = -EFAULT;
	if (pa.fds != on_stack)
		kfree(pa.fds);
	return ret;
}

/*
 * ABI: poll_select_finish: the mask goes back unless interrupted; the time
 * left is written back (not for a zero timeout); if that copy fails the
 * call cannot restart, so -ERESTARTNOHAND becomes -EINTR.
 */
static long finish(long ret, const struct poll_timeout *to, void *utime, bool is_timeval)
{
	poll_sigmask_end(ret == -ERESTARTNOHAND);
	if (!utime || to->is_zero || !to->deadline_ns)
		return ret;
	uint64_t now = clock_monotonic_ns();
	uint64_t left = to->deadline_ns > now ? to->deadline_ns - now : 0;
	int err;
	if (is_timeval) {
		struct __kernel_old_timeval tv = {(long)(left / NS_PER_SEC),
						  (long)(left % NS_PER_SEC / 1000)};
		err = copy_to_user(utime, &tv, sizeof(tv));
	} else {
		struct __kernel_timespec ts = {(long long)(left / NS_PER_SEC),
					       (long long)(left % NS_PER_SEC)};
		err = copy_to_user(utime, &ts, sizeof(ts));
	}
	return err && ret == -ERESTARTNOHAND ? -EINTR : ret;
}

/* ABI: do_restart_poll: the same descriptors, to the first call's deadline. */
static long poll_restart(struct restart_block *rb)
{
	struct poll_timeout to = {.deadline_ns = rb->has_timeout ? rb->deadline_ns : 0};
	long ret;

	/* A deadline of 0 means none: one already past reads as "now". */
	if (rb->has_timeout && !to.deadline_ns)
		to.deadline_ns = 1;
	ret = do_sys_poll((struct pollfd *)rb->arg0, (unsigned int)rb->arg1, &to);
	return ret == -ERESTARTNOHAND ? -ERESTART_RESTARTBLOCK : ret;
}

/* poll(2): after a signal without a handler, restart_syscall goes on to the same deadline. */
long sys_poll(const unsigned long args[6])
{
	int timeout_ms = (int)args[2];
	struct poll_timeout to = {0};

	if (timeout_ms >= 0)
		timeout_set(&to, (uint64_t)timeout_ms * 1000000);
	long ret = do_sys_poll((struct pollfd *)args[0], (unsigned int)args[1], &to);
	if (ret != -ERESTARTNOHAND)
		return ret;
	current_task()->restart = (struct restart_block){
		.fn = poll_restart,
		.deadline_ns = to.deadline_ns,
		.arg0 = args[0],
		.arg1 = args[1],
		.has_timeout = timeout_ms >= 0,
	};
	return -ERESTART_RESTARTBLOCK;
}

/* A timespec timeout argument: NULL waits forever. */
static int timeout_from_timespec(const void *uts, struct poll_timeout *to)
{
	uint64_t ns;

	*to = (struct poll_timeout){0};
	if (!uts)
		return 0;
	int err = timespec_from_user(uts, &ns);
	if (!err)
		timeout_set(to, ns);
	return err;
}

/* ppoll(2) */
long sys_ppoll(const unsigned long args[6])
{
	void *uts = (void *)args[2];
	struct poll_timeout to;
	int err = timeout_from_timespec(uts, &to);

	if (!err)
		err = poll_sigmask_begin((const void *)args[3], args[4]);
	if (err)
		return err;
	long ret = do_sys_poll((struct pollfd *)args[0], (unsigned int)args[1], &to);
	return finish(ret, &to, uts, false);
}

/* The three descriptor sets of select, in longs. */
struct select_args {
	unsigned int n;
	unsigned long *in, *out, *ex;		  /* what was asked */
	unsigned long *res_in, *res_out, *res_ex; /* what is ready */
};

static bool bit_is_set(const unsigned long *set, unsigned int i)
{
	return (set[i / BITS_PER_LONG_] >> (i % BITS_PER_LONG_)) & 1;
}

static void bit_set(unsigned long *set, unsigned int i)
{
	set[i / BITS_PER_LONG_] |= 1UL << (i % BITS_PER_LONG_);
}

static long scan_fdsets(void *arg, struct poll_table *pt)
{
	struct select_args *sa = arg;
	struct fdtable *t = files_table();
	long count = 0;

	if (t)
		fdtable_lock(t);
	for (unsigned int i = 0; i < sa->n; i++) {
		bool want_in = bit_is_set(sa->in, i), want_out = bit_is_set(sa->out, i);
		bool want_ex = bit_is_set(sa->ex, i), is_open;
		if (!want_in && !want_out && !want_ex)
			continue;
		unsigned int mask = poll_fd(t, (int)i, pt, &is_open);
		if (!is_open)
			continue;
		if (want_in && (mask & POLLIN_SET)) {
			bit_set(sa->res_in, i);
			count++;
		}
		if (want_out && (mask & POLLOUT_SET)) {
			bit_set(sa->res_out, i);
			count++;
		}
		if (want_ex && (mask & POLLEX_SET)) {
			bit_set(sa->res_ex, i);
			count++;
		}
		if (count)
			pt = NULL;
	}
	if (t)
		fdtable_unlock(t);
	return count;
}

/* ABI: max_select_fd: EBADF for a set bit on a descriptor that is not open. */
static int check_open(const struct select_args *sa)
{
	for (unsigned int i = 0; i < sa->n; i++) {
		struct file *f;
		if (!bit_is_set(sa->in, i) && !bit_is_set(sa->out, i) && !bit_is_set(sa->ex, i))
			continue;
		if (files_fd_get((int)i, &f) != 0)
			return -EBADF;
		file_put(f);
	}
	return 0;
}

static int copy_set_in(unsigned long *set, const void *uset, size_t bytes)
{
	if (!uset) {
		memset(set, 0, bytes);
		return 0;
	}
	return copy_from_user(set, uset, bytes) ? -EFAULT : 0;
}

static int copy_set_out(void *uset, const unsigned long *set, size_t bytes)
{
	return uset && copy_to_user(uset, set, bytes) ? -EFAULT : 0;
}

/* ABI: core_sys_select: n past the descriptor table is cut to it; sets are written back. */
static long core_select(int n, void *uin, void *uout, void *uex, const struct poll_timeout *to)
{
	struct fdtable *t = files_table();
	struct select_args sa;
	long ret;

	if (n < 0)
		return -EINVAL;
	if (!t)
		return -EBADF;
	/* ABI: Linux's table has room for at least BITS_PER_LONG descriptors, in whole longs. */
	unsigned int max_fds = MAX(READ_ONCE(t->nr_slots), (unsigned int)BITS_PER_LONG_);
	max_fds = (max_fds + BITS_PER_LONG_ - 1) / BITS_PER_LONG_ * BITS_PER_LONG_;
	sa.n = MIN((unsigned int)n, max_fds);
	size_t words = (sa.n + BITS_PER_LONG_ - 1) / BITS_PER_LONG_;
	size_t bytes = words * sizeof(long);
	unsigned long on_stack[6 * SELECT_STACK_WORDS];
	unsigned long *bits = words <= SELECT_STACK_WORDS ? on_stack : kmalloc(6 * bytes);
	if (!bits)
		return -ENOMEM;
	memset(bits, 0, 6 * bytes);
	sa.in = bits;
	sa.out = bits + words;
	sa.ex = bits + 2 * words;
	sa.res_in = bits + 3 * words;
	sa.res_out = bits + 4 * words;
	sa.res_ex = bits + 5 * words;
	ret = copy_set_in(sa.in, uin, bytes);
	if (!ret)
		ret = copy_set_in(sa.out, uout, bytes);
	if (!ret)
		ret = copy_set_in(sa.ex, uex, bytes);
	if (!ret)
		ret = check_open(&sa);
	if (!ret)
		ret = wait_ready(scan_fdsets, &sa, to);
	if (ret >= 0 &&
	    (copy_set_out(uin, sa.res_in, bytes) || copy_set_out(uout, sa.res_out, bytes) ||
	     copy_set_out(uex, sa.res_ex, bytes)))
		ret = -EFAULT;
	if (bits != on_stack)
		kfree(bits);
	return ret;
}

/* select(2) */
long sys_select(const unsigned long args[6])
{
	void *utv = (void *)args[4];
	struct poll_timeout to = {0};

	if (utv) {
		struct __kernel_old_timeval tv;
		if (copy_from_user(&tv, utv, sizeof(tv)) != 0)
			return -EFAULT;
		/* ABI: microseconds past a second carry over; negative values are EINVAL. */
		if (tv.tv_sec < 0 || tv.tv_usec < 0)
			return -EINVAL;
		uint64_t sec = (uint64_t)tv.tv_sec + (uint64_t)tv.tv_usec / 1000000;
		uint64_t ns = sec > UINT64_MAX / NS_PER_SEC - 1
				      ? UINT64_MAX
				      : sec * NS_PER_SEC + (uint64_t)tv.tv_usec % 1000000 * 1000;
		timeout_set(&to, ns);
	}
	long ret =
		core_select((int)args[0], (void *)args[1], (void *)args[2], (void *)args[3], &to);
	return finish(ret, &to, utv, true);
}

/* pselect6(2): the sixth argument points at {sigset pointer, its size}. */
long sys_pselect6(const unsigned long args[6])
{
	void *uts = (void *)args[4];
	struct {
		const void *mask;
		size_t size;
	} pack = {0};
	struct poll_timeout to;
	int err = 0;

	if (args[5] && copy_from_user(&pack, (const void *)args[5], sizeof(pack)) != 0)
		return -EFAULT;
	err = timeout_from_timespec(uts, &to);
	if (!err)
		err = poll_sigmask_begin(pack.mask, pack.size);
	if (err)
		return err;
	long ret =
		core_select((int)args[0], (void *)args[1], (void *)args[2], (void *)args[3], &to);
	return finish(ret, &to, uts, false);
}
