// SPDX-License-Identifier: MIT
/*
 * timerfd (Linux's fs/timerfd.c): a timer on CLOCK_REALTIME, MONOTONIC
 * or BOOTTIME (and their _ALARM forms) as a file. An expiry counts a
 * tick and wakes readers; a read takes the count. A periodic timer is
 * not re-armed from the interrupt: a read (or gettime, or settime) moves
 * it past now and adds the periods missed meanwhile, as Linux does. The
 * timer is a struct ktimer on the monotonic clock; a CLOCK_REALTIME
 * expiry is converted with the wall-clock offset, again whenever the
 * clock is set (timerfd_clock_was_set). The file lives on anon_inodefs.
 *
 * Locks: s = the timerfd's spinlock (its ktimer fires from the timer
 * interrupt), C = cancel_lock (the list of CLOCK_REALTIME timerfds).
 * Lock order: cancel_lock -> ctx->lock -> the wait queue's lock.
 */
#include <linux/time.h>
#include <linux/time_types.h>
#include <linux/timerfd.h>
#include <tern/anon_file.h>
#include <tern/errno.h>
#include <tern/files.h>
#include <tern/poll.h>
#include <tern/proc.h>
#include <tern/signal.h>
#include <tern/string.h>
#include <tern/sys.h>
#include <tern/syscall.h>
#include <tern/time.h>

#define NSEC_PER_SEC_U 1000000000ULL
#define KTIME_MAX_NS ((uint64_t)INT64_MAX) /* Linux's KTIME_MAX: times saturate here */

struct timerfd {
	struct spinlock lock;
	int clockid;		  /* I */
	struct ktimer timer;	  /* s: fires timerfd_fire */
	uint64_t expires_ns;	  /* s: next expiry on clockid, 0 = never armed */
	uint64_t interval_ns;	  /* s: period, 0 = one-shot */
	uint64_t ticks;		  /* s: expirations not yet read */
	bool is_expired;	  /* s: fired and not yet moved on (periodic) */
	bool might_cancel;	  /* C, s: TFD_TIMER_CANCEL_ON_SET is in force */
	bool is_canceled;	  /* s: the clock was set since; read says ECANCELED */
	struct list_head rt_link; /* C: in realtime_timers (CLOCK_REALTIME*) */
	struct wait_queue wq;	  /* readers and pollers */
};

static struct spinlock cancel_lock;
static struct list_head realtime_timers = LIST_HEAD_INIT(realtime_timers); /* C */

static bool is_realtime_clock(int clockid)
{
	return clockid == CLOCK_REALTIME || clockid == CLOCK_REALTIME_ALARM;
}

static uint64_t clock_now_ns(int clockid)
{
	return is_realtime_clock(clockid) ? clock_realtime_ns() : clock_monotonic_ns();
}

static uint64_t add_saturating(uint64_t a, uint64_t b)
{
	return b > KTIME_MAX_NS - MIN(a, KTIME_MAX_NS) ? KTIME_MAX_NS : a + b;
}

/* Arms the ktimer for the expiry on the monotonic clock; s held. */
static void timerfd_arm_locked(struct timerfd *ctx)
{
	uint64_t deadline = ctx->expires_ns;

	if (is_realtime_clock(ctx->clockid)) {
		uint64_t now_real = clock_realtime_ns(), now_mono = clock_monotonic_ns();
		deadline = deadline > now_real ? add_saturating(now_mono, deadline - now_real)
					       : now_mono;
	}
	ktimer_arm(&ctx->timer, deadline);
}

/* Runs in the timer interrupt. */
static void timerfd_fire(struct ktimer *k)
{
	struct timerfd *ctx = container_of(k, struct timerfd, timer);

	spin_lock(&ctx->lock);
	ctx->is_expired = true;
	ctx->ticks++;
	spin_unlock(&ctx->lock);
	wake_up_all(&ctx->wq);
}

/*
 * ABI: hrtimer_forward_now: moves a past expiry on by whole periods to
 * the first one after now; returns the number of periods moved (0 if the
 * expiry is still ahead). s held.
 */
static uint64_t timerfd_forward_locked(struct timerfd *ctx)
{
	uint64_t now = clock_now_ns(ctx->clockid);
	uint64_t periods;

	if (now < ctx->expires_ns)
		return 0;
	periods = (now - ctx->expires_ns) / ctx->interval_ns + 1;
	if (periods > KTIME_MAX_NS / ctx->interval_ns)
		ctx->expires_ns = KTIME_MAX_NS;
	else
		ctx->expires_ns = add_saturating(ctx->expires_ns, periods * ctx->interval_ns);
	return periods;
}

/* The ticks a read takes, re-arming a periodic timer; s held. */
static uint64_t timerfd_take_ticks_locked(struct timerfd *ctx)
{
	uint64_t ticks = ctx->ticks;

	if (!ticks)
		return 0;
	if (ctx->is_expired && ctx->interval_ns) {
		ticks += timerfd_forward_locked(ctx) - 1;
		timerfd_arm_locked(ctx);
	}
	ctx->is_expired = false;
	ctx->ticks = 0;
	return ticks;
}

/* ABI: timerfd_canceled: true once after the clock was set under CANCEL_ON_SET; s held. */
static bool timerfd_take_canceled_locked(struct timerfd *ctx)
{
	bool was = ctx->might_cancel && ctx->is_canceled;

	ctx->is_canceled = false;
	return was;
}

static int timerfd_read(struct file *file, void *buf, size_t len, int64_t *pos, size_t *done)
{
	struct timerfd *ctx = file->private;
	struct wait_entry we = {0};
	uint64_t ticks = 0;
	int err = 0;

	(void)pos;
	if (len < sizeof(ticks))
		return -EINVAL;
	for (;;) {
		spin_lock(&ctx->lock);
		if (timerfd_take_canceled_locked(ctx)) {
			ctx->ticks = 0;
			ctx->is_expired = false;
			err = -ECANCELED;
		}
		if (err || ctx->ticks) {
			ticks = timerfd_take_ticks_locked(ctx);
			spin_unlock(&ctx->lock);
			break;
		}
		if (file->flags & O_NONBLOCK) {
			spin_unlock(&ctx->lock);
			err = -EAGAIN;
			break;
		}
		wait_prepare(&ctx->wq, &we);
		spin_unlock(&ctx->lock);
		if (signal_pending_current()) {
			err = -ERESTARTSYS;
			break;
		}
		schedule();
	}
	if (we.task)
		wait_finish(&ctx->wq, &we);
	if (err)
		return err;
	memcpy(buf, &ticks, sizeof(ticks));
	*done = sizeof(ticks);
	return 0;
}

static unsigned int timerfd_poll(struct file *file, struct poll_table *pt)
{
	struct timerfd *ctx = file->private;
	unsigned int mask;

	poll_wait(file, &ctx->wq, pt);
	spin_lock(&ctx->lock);
	/* ABI: timerfd_poll reports EPOLLIN alone, not EPOLLRDNORM. */
	mask = ctx->ticks ? POLLIN : 0;
	spin_unlock(&ctx->lock);
	return mask;
}

/* TFD_IOC_SET_TICKS (checkpoint/restore): sets the unread count. */
static int timerfd_ioctl(struct file *file, unsigned int cmd, unsigned long arg, long *out)
{
	struct timerfd *ctx = file->private;
	uint64_t ticks;
	int err = 0;

	(void)out;
	if (cmd != TFD_IOC_SET_TICKS)
		return -ENOTTY;
	if (copy_from_user(&ticks, (const void *)arg, sizeof(ticks)) != 0)
		return -EFAULT;
	if (!ticks)
		return -EINVAL;
	spin_lock(&ctx->lock);
	if (timerfd_take_canceled_locked(ctx))
		err = -ECANCELED;
	else
		ctx->ticks = ticks;
	spin_unlock(&ctx->lock);
	if (!err)
		wake_up_all(&ctx->wq);
	return err;
}

static void timerfd_release(struct file *file)
{
	struct timerfd *ctx = file->private;

	spin_lock(&cancel_lock);
	if (is_realtime_clock(ctx->clockid))
		list_remove(&ctx->rt_link);
	spin_unlock(&cancel_lock);
	ktimer_cancel(&ctx->timer);
	kfree(ctx);
}

static const struct file_ops timerfd_ops = {
	.read = timerfd_read,
	.lseek = anon_noop_lseek,
	.poll = timerfd_poll,
	.ioctl = timerfd_ioctl,
	.release = timerfd_release,
};

void timerfd_clock_was_set(void)
{
	struct list_head *pos;

	spin_lock(&cancel_lock);
	list_for_each(pos, &realtime_timers) {
		struct timerfd *ctx = list_entry(pos, struct timerfd, rt_link);
		spin_lock(&ctx->lock);
		if (ctx->timer.armed)
			timerfd_arm_locked(ctx);
		if (ctx->might_cancel) {
			ctx->is_canceled = true;
			ctx->ticks++;
		}
		spin_unlock(&ctx->lock);
		if (ctx->might_cancel)
			wake_up_all(&ctx->wq);
	}
	spin_unlock(&cancel_lock);
}

static bool can_wake_alarm(void)
{
	bool ok;

	spin_lock(&proc_lock);
	ok = current_cred()->euid == 0; /* FIXME: CAP_WAKE_ALARM, once capabilities exist */
	spin_unlock(&proc_lock);
	return ok;
}

static bool is_alarm_clock(int clockid)
{
	return clockid == CLOCK_REALTIME_ALARM || clockid == CLOCK_BOOTTIME_ALARM;
}

/* timerfd_create(2) */
long sys_timerfd_create(const unsigned long args[6])
{
	int clockid = (int)args[0];
	unsigned int flags = (unsigned int)args[1];
	struct timerfd *ctx;
	struct file *f;
	int err;

	if ((flags & ~(unsigned int)(TFD_CLOEXEC | TFD_NONBLOCK)) ||
	    (clockid != CLOCK_MONOTONIC && clockid != CLOCK_REALTIME &&
	     clockid != CLOCK_REALTIME_ALARM && clockid != CLOCK_BOOTTIME &&
	     clockid != CLOCK_BOOTTIME_ALARM))
		return -EINVAL;
	if (is_alarm_clock(clockid) && !can_wake_alarm())
		return -EPERM;
	ctx = kzalloc(sizeof(*ctx));
	if (!ctx)
		return -ENOMEM;
	spin_lock_init(&ctx->lock);
	wait_queue_init(&ctx->wq);
	ctx->clockid = clockid;
	ctx->timer.fn = timerfd_fire;
	list_init(&ctx->rt_link);
	err = anon_inode_file_create("[timerfd]", &timerfd_ops, ctx,
				     FMODE_READ | FMODE_WRITE | FMODE_PREAD | FMODE_LSEEK,
				     O_RDWR | (flags & TFD_NONBLOCK), &f);
	if (err) {
		kfree(ctx);
		return err;
	}
	if (is_realtime_clock(clockid)) {
		spin_lock(&cancel_lock);
		list_insert_tail(&realtime_timers, &ctx->rt_link);
		spin_unlock(&cancel_lock);
	}
	return files_install_new(f, flags & TFD_CLOEXEC);
}

static bool timespec_is_valid(const struct __kernel_timespec *ts)
{
	return ts->tv_sec >= 0 && ts->tv_nsec >= 0 && ts->tv_nsec < (long long)NSEC_PER_SEC_U;
}

/* ABI: timespec64_to_ktime saturates at KTIME_MAX. */
static uint64_t timespec_to_ns(const struct __kernel_timespec *ts)
{
	if ((uint64_t)ts->tv_sec >= KTIME_MAX_NS / NSEC_PER_SEC_U)
		return KTIME_MAX_NS;
	return (uint64_t)ts->tv_sec * NSEC_PER_SEC_U + (uint64_t)ts->tv_nsec;
}

static void ns_to_timespec(uint64_t ns, struct __kernel_timespec *ts)
{
	ts->tv_sec = (long long)(ns / NSEC_PER_SEC_U);
	ts->tv_nsec = (long long)(ns % NSEC_PER_SEC_U);
}

/* The caller's timerfd at fd, referenced: 0, EBADF, or EINVAL for another file. */
static int timerfd_get(int fd, struct file **out)
{
	int err = files_fd_get(fd, out);

	if (err)
		return err;
	if ((*out)->ops != &timerfd_ops) {
		file_put(*out);
		return -EINVAL;
	}
	return 0;
}

/* What gettime shows, after moving an expired periodic timer on; s held. */
static void timerfd_current_locked(struct timerfd *ctx, struct __kernel_itimerspec *cur)
{
	uint64_t now = clock_now_ns(ctx->clockid);

	ns_to_timespec(ctx->expires_ns > now ? ctx->expires_ns - now : 0, &cur->it_value);
	ns_to_timespec(ctx->interval_ns, &cur->it_interval);
}

/* ABI: timerfd_setup_cancel: CANCEL_ON_SET holds for absolute CLOCK_REALTIME timers only. */
static void timerfd_setup_cancel(struct timerfd *ctx, int flags)
{
	bool might = is_realtime_clock(ctx->clockid) && (flags & TFD_TIMER_ABSTIME) &&
		     (flags & TFD_TIMER_CANCEL_ON_SET);

	spin_lock(&cancel_lock);
	spin_lock(&ctx->lock);
	if (!might || !ctx->might_cancel)
		ctx->is_canceled = false;
	ctx->might_cancel = might;
	spin_unlock(&ctx->lock);
	spin_unlock(&cancel_lock);
}

/* Stops the timer, reports its old setting and starts the new one; s held. */
static int timerfd_settime_locked(struct timerfd *ctx, int flags,
				  const struct __kernel_itimerspec *new,
				  struct __kernel_itimerspec *old)
{
	uint64_t value = timespec_to_ns(&new->it_value);

	ktimer_cancel(&ctx->timer);
	if (ctx->is_expired && ctx->interval_ns)
		timerfd_forward_locked(ctx);
	timerfd_current_locked(ctx, old);
	ctx->is_expired = false;
	ctx->ticks = 0;
	ctx->interval_ns = timespec_to_ns(&new->it_interval);
	ctx->expires_ns = 0;
	if (!value)
		return 0;
	ctx->expires_ns = (flags & TFD_TIMER_ABSTIME)
				  ? value
				  : add_saturating(clock_now_ns(ctx->clockid), value);
	timerfd_arm_locked(ctx);
	return timerfd_take_canceled_locked(ctx) ? -ECANCELED : 0;
}

/* timerfd_settime(2) */
long sys_timerfd_settime(const unsigned long args[6])
{
	int flags = (int)args[1];
	struct __kernel_itimerspec new, old;
	struct timerfd *ctx;
	struct file *f;
	int err;

	if (copy_from_user(&new, (const void *)args[2], sizeof(new)) != 0)
		return -EFAULT;
	if ((flags & ~(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET)) ||
	    !timespec_is_valid(&new.it_value) || !timespec_is_valid(&new.it_interval))
		return -EINVAL;
	err = timerfd_get((int)args[0], &f);
	if (err)
		return err;
	ctx = f->private;
	if (is_alarm_clock(ctx->clockid) && !can_wake_alarm()) {
		file_put(f);
		return -EPERM;
	}
	timerfd_setup_cancel(ctx, flags);
	spin_lock(&ctx->lock);
	err = timerfd_settime_locked(ctx, flags, &new, &old);
	spin_unlock(&ctx->lock);
	file_put(f);
	if (err)
		return err;
	if (args[3] && copy_to_user((void *)args[3], &old, sizeof(old)) != 0)
		return -EFAULT;
	return 0;
}

/* timerfd_gettime(2) */
long sys_timerfd_gettime(const unsigned long args[6])
{
	struct __kernel_itimerspec cur;
	struct timerfd *ctx;
	struct file *f;
	int err = timerfd_get((int)args[0], &f);

	if (err)
		return err;
	ctx = f->private;
	spin_lock(&ctx->lock);
	if (ctx->is_expired && ctx->interval_ns) {
		ctx->is_expired = false;
		ctx->ticks += timerfd_forward_locked(ctx) - 1;
		timerfd_arm_locked(ctx);
	}
	timerfd_current_locked(ctx, &cur);
	spin_unlock(&ctx->lock);
	file_put(f);
	if (copy_to_user((void *)args[1], &cur, sizeof(cur)) != 0)
		return -EFAULT;
	return 0;
}
