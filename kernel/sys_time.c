// SPDX-License-Identifier: MIT
/*
 * Time syscalls: the POSIX clocks (wall, monotonic, per-process and
 * per-thread CPU time), sleeping on them, and the CPU-time accounting
 * calls times and getrusage (their bookkeeping is in rusage.c).
 */
#include <asm-generic/siginfo.h>
#include <linux/resource.h>
#include <linux/time.h>
#include <linux/time_types.h>
#include <linux/times.h>
#include <tern/arch.h>
#include <tern/base.h>
#include <tern/errno.h>
#include <tern/proc.h>
#include <tern/ptimer.h>
#include <tern/signal.h>
#include <tern/string.h>
#include <tern/sys.h>
#include <tern/time.h>

#include "internal.h"

#define NSEC_PER_SEC 1000000000ULL
#define USER_HZ 100
#define COARSE_RES_NS 4000000 /* one tick of Linux with HZ=250 */
#define CLOCK_TAI_K 11

/* Linux's CPU clock ids (clock_getcpuclockid): ~pid << 3 | perthread << 2 | type. */
#define CPUCLOCK_PERTHREAD_BIT 4
#define CPUCLOCK_TYPE_MASK 3
#define CPUCLOCK_MAX 3 /* types 0 (PROF), 1 (VIRT), 2 (SCHED) are valid */

/*
 * Reads a negative (CPU) clock id: the process or thread it names must
 * exist, and a thread must be one of the caller's, as Linux requires.
 */
static int cpu_clock_read(int id, uint64_t *out_ns)
{
	int pid = ~(id >> 3);
	bool perthread = id & CPUCLOCK_PERTHREAD_BIT;
	int ret = 0;

	if ((id & CPUCLOCK_TYPE_MASK) >= CPUCLOCK_MAX || pid < 0)
		return -EINVAL;
	spin_lock(&proc_lock);
	uint64_t now = clock_monotonic_ns();
	if (perthread) {
		struct task *t = pid ? proc_find_task_locked(pid) : current_task();
		if (!t || t->proc != current_proc())
			ret = -EINVAL;
		else
			*out_ns = task_cputime_ns(t, now);
	} else {
		struct proc *p = pid ? proc_find_locked(pid) : current_proc();
		if (!p || p->state != PROC_LIVE)
			ret = -EINVAL;
		else
			*out_ns = proc_cputime_locked(p);
	}
	spin_unlock(&proc_lock);
	return ret;
}

/* The value of clock id in nanoseconds; -EINVAL for an unknown clock. */
static int clock_read_ns(int id, uint64_t *out_ns)
{
	switch (id) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_REALTIME_ALARM:
	case CLOCK_TAI_K: /* ABI: no leap-second table, so TAI = UTC */
		*out_ns = clock_realtime_ns();
		return 0;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_BOOTTIME: /* no suspend: the same as monotonic */
	case CLOCK_BOOTTIME_ALARM:
		*out_ns = clock_monotonic_ns();
		return 0;
	case CLOCK_PROCESS_CPUTIME_ID:
		*out_ns = proc_cputime_ns(current_proc());
		return 0;
	case CLOCK_THREAD_CPUTIME_ID:
		*out_ns = thread_cputime_ns();
		return 0;
	default:
		if (id < 0)
			return cpu_clock_read(id, out_ns);
		return -EINVAL;
	}
}

static void ns_to_timespec(uint64_t ns, struct __kernel_timespec *ts)
{
	ts->tv_sec = (long long)(ns / NSEC_PER_SEC);
	ts->tv_nsec = (long long)(ns % NSEC_PER_SEC);
}

static void ns_to_timeval(uint64_t ns, struct __kernel_old_timeval *tv)
{
	tv->tv_sec = (long)(ns / NSEC_PER_SEC);
	tv->tv_usec = (long)(ns % NSEC_PER_SEC / 1000);
}

/* clock_gettime(2) */
long sys_clock_gettime(const unsigned long args[6])
{
	struct __kernel_timespec ts;
	uint64_t ns;
	int ret = clock_read_ns((int)args[0], &ns);

	if (ret)
		return ret;
	ns_to_timespec(ns, &ts);
	if (copy_to_user((void *)args[1], &ts, sizeof(ts)) != 0)
		return -EFAULT;
	return 0;
}

/*
 * clock_settime(2): only CLOCK_REALTIME can be set, with CAP_SYS_TIME,
 * and not to before the monotonic clock's reading (Linux's
 * do_settimeofday64); the CPU clocks are EPERM, the others EINVAL.
 */
long sys_clock_settime(const unsigned long args[6])
{
	int id = (int)args[0];
	struct __kernel_timespec ts;
	uint64_t ns;
	int ret = clock_read_ns(id, &ns);

	if (ret)
		return ret;
	if (id != CLOCK_REALTIME && id != CLOCK_PROCESS_CPUTIME_ID &&
	    id != CLOCK_THREAD_CPUTIME_ID && id >= 0)
		return -EINVAL;
	if (copy_from_user(&ts, (const void *)args[1], sizeof(ts)) != 0)
		return -EFAULT;
	if (id != CLOCK_REALTIME)
		return -EPERM;
	ret = timespec_from_user((const void *)args[1], &ns);
	if (ret)
		return ret;
	if (!proc_cred_has_cap(current_cred(), CAP_SYS_TIME))
		return -EPERM;
	if (ns < clock_monotonic_ns())
		return -EINVAL;
	clock_set_realtime_ns(ns);
	return 0;
}

/* clock_getres(2): 1 ns for the high-resolution clocks, a tick for the coarse ones. */
long sys_clock_getres(const unsigned long args[6])
{
	int id = (int)args[0];
	struct __kernel_timespec ts = {.tv_sec = 0, .tv_nsec = 1};
	uint64_t ns;
	int ret = clock_read_ns(id, &ns);

	if (ret)
		return ret;
	if (id == CLOCK_REALTIME_COARSE || id == CLOCK_MONOTONIC_COARSE)
		ts.tv_nsec = COARSE_RES_NS;
	if (args[1] && copy_to_user((void *)args[1], &ts, sizeof(ts)) != 0)
		return -EFAULT;
	return 0;
}

/*
 * Sleeps until clock id reads target_ns. On a signal, *rem_ns is what was
 * left and the result the restart code Linux uses: an absolute sleep is
 * simply made again, a relative one resumes through restart_syscall.
 */
static long sleep_until(int id, bool abs, uint64_t target_ns, uint64_t *rem_ns)
{
	uint64_t now_ns;
	int ret;

	if (clock_read_ns(id, &now_ns) != 0)
		return -EINVAL;
	/*
	 * The monotonic clock runs at the same rate as the others (and a CPU
	 * clock no faster), so sleeping for what is left and re-reading the
	 * clock converges on the target.
	 */
	while (now_ns < target_ns) {
		ret = signal_sleep_until(deadline_after(clock_monotonic_ns(), target_ns - now_ns));
		if (clock_read_ns(id, &now_ns) != 0)
			return -EINVAL; /* a CPU clock whose process is gone */
		if (ret == -EINTR && now_ns < target_ns) {
			*rem_ns = target_ns - now_ns;
			return abs ? -ERESTARTNOHAND : -ERESTART_RESTARTBLOCK;
		}
	}
	return 0;
}

/* The time left goes to urem (if any) when a relative sleep is interrupted. */
static long sleep_report(long r, uint64_t rem_ns, void *urem)
{
	if (r == -ERESTART_RESTARTBLOCK && urem) {
		struct __kernel_timespec ts;
		ns_to_timespec(rem_ns, &ts);
		if (copy_to_user(urem, &ts, sizeof(ts)) != 0)
			return -EFAULT;
	}
	return r;
}

/* ABI: hrtimer_nanosleep_restart: the rest of a relative sleep, to its first deadline. */
static long nanosleep_restart(struct restart_block *rb)
{
	uint64_t rem_ns = 0;
	long r = sleep_until(rb->clock_id, false, rb->deadline_ns, &rem_ns);

	return sleep_report(r, rem_ns, (void *)rb->arg0);
}

/*
 * The core of nanosleep and clock_nanosleep: sleeps on clock id for req_ns
 * (or until it reads req_ns, with abs).
 */
static long nanosleep_common(int id, bool abs, const void *ureq, void *urem)
{
	uint64_t req_ns, start_ns, rem_ns = 0;
	int ret = timespec_from_user(ureq, &req_ns);

	if (ret)
		return ret;
	switch (id) {
	case CLOCK_REALTIME:
	case CLOCK_MONOTONIC:
	case CLOCK_BOOTTIME:
	case CLOCK_TAI_K:
	case CLOCK_PROCESS_CPUTIME_ID:
		break;
	case CLOCK_REALTIME_ALARM:
	case CLOCK_BOOTTIME_ALARM:
		if (!proc_cred_has_cap(current_cred(), CAP_WAKE_ALARM))
			return -EPERM;
		break;
	case CLOCK_THREAD_CPUTIME_ID: /* ABI: Linux has no nsleep for it (the man page says EINVAL) */
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_MONOTONIC_COARSE:
		return -EOPNOTSUPP;
	default:
		if (id >= 0 || (id & CPUCLOCK_PERTHREAD_BIT))
			return -EINVAL;
		break;
	}
	ret = clock_read_ns(id, &start_ns);
	if (ret)
		return ret;
	uint64_t target_ns = abs ? req_ns : deadline_after(start_ns, req_ns);
	long r = sleep_until(id, abs, target_ns, &rem_ns);
	if (r == -ERESTART_RESTARTBLOCK)
		current_task()->restart = (struct restart_block){
			.fn = nanosleep_restart,
			.deadline_ns = target_ns,
			.arg0 = (uint64_t)urem,
			.clock_id = id,
		};
	return sleep_report(r, rem_ns, urem);
}

/* nanosleep(2) */
long sys_nanosleep(const unsigned long args[6])
{
	return nanosleep_common(CLOCK_MONOTONIC, false, (const void *)args[0], (void *)args[1]);
}

/* clock_nanosleep(2): flags other than TIMER_ABSTIME are ignored, as in Linux. */
long sys_clock_nanosleep(const unsigned long args[6])
{
	return nanosleep_common((int)args[0], args[1] & TIMER_ABSTIME, (const void *)args[2],
				(void *)args[3]);
}

/* gettimeofday(2): the time zone reads as UTC, no DST. */
long sys_gettimeofday(const unsigned long args[6])
{
	if (args[0]) {
		struct __kernel_old_timeval tv;
		ns_to_timeval(clock_realtime_ns(), &tv);
		if (copy_to_user((void *)args[0], &tv, sizeof(tv)) != 0)
			return -EFAULT;
	}
	if (args[1]) {
		struct timezone tz = {0};
		if (copy_to_user((void *)args[1], &tz, sizeof(tz)) != 0)
			return -EFAULT;
	}
	return 0;
}

/* time(2) */
long sys_time(const unsigned long args[6])
{
	long secs = (long)(clock_realtime_ns() / NSEC_PER_SEC);

	if (args[0] && copy_to_user((void *)args[0], &secs, sizeof(secs)) != 0)
		return -EFAULT;
	return secs;
}

static __kernel_clock_t ns_to_clock_t(uint64_t ns)
{
	return (__kernel_clock_t)(ns / (NSEC_PER_SEC / USER_HZ));
}

/* times(2): all CPU time counts as user time; returns clock ticks since boot. */
long sys_times(const unsigned long args[6])
{
	if (args[0]) {
		struct usage self, children;
		struct tms t = {0};
		if (usage_get(RUSAGE_SELF, &self) != 0 ||
		    usage_get(RUSAGE_CHILDREN, &children) != 0)
			return -EINVAL;
		t.tms_utime = ns_to_clock_t(self.cpu_ns);
		t.tms_cutime = ns_to_clock_t(children.cpu_ns);
		if (copy_to_user((void *)args[0], &t, sizeof(t)) != 0)
			return -EFAULT;
	}
	return ns_to_clock_t(clock_monotonic_ns());
}

/*
 * getrusage(2): CPU time (all of it user time), minor faults and the peak
 * resident set; Tern has no major faults, swapping, block I/O, IPC
 * messages or context-switch counts to report, so those read 0.
 */
long sys_getrusage(const unsigned long args[6])
{
	struct usage u;
	struct rusage ru;
	int ret = usage_get((int)args[0], &u);

	if (ret)
		return ret;
	usage_to_rusage(&u, &ru);
	if (copy_to_user((void *)args[1], &ru, sizeof(ru)) != 0)
		return -EFAULT;
	return 0;
}

/* timer_create(2): without a sigevent, SIGALRM carrying the timer's id. */
long sys_timer_create(const unsigned long args[6])
{
	struct ptimer_event ev = {.notify = SIGEV_SIGNAL, .signo = SIGALRM};
	int id, err;

	if (args[1]) {
		struct sigevent sev;
		if (copy_from_user(&sev, (const void *)args[1], sizeof(sev)) != 0)
			return -EFAULT;
		ev = (struct ptimer_event){.notify = sev.sigev_notify,
					   .signo = sev.sigev_signo,
					   .tid = sev.sigev_notify_thread_id,
					   .value = (uint64_t)sev.sigev_value.sival_ptr};
	}
	err = ptimer_create((int)args[0], &ev, !args[1], &id);
	if (err)
		return err;
	if (copy_to_user((void *)args[2], &id, sizeof(id)) != 0) {
		if (ptimer_delete(id) != 0)
			warn_once(true, "timer_create: new timer %d vanished\n", id);
		return -EFAULT;
	}
	return 0;
}

static int itimerspec_to_user(void *uits, uint64_t value_ns, uint64_t interval_ns)
{
	struct __kernel_itimerspec its;

	ns_to_timespec(value_ns, &its.it_value);
	ns_to_timespec(interval_ns, &its.it_interval);
	return copy_to_user(uits, &its, sizeof(its)) ? -EFAULT : 0;
}

/* timer_settime(2): flags other than TIMER_ABSTIME are ignored, as in Linux. */
long sys_timer_settime(const unsigned long args[6])
{
	const char *unew = (const char *)args[2];
	uint64_t value, interval, old_value, old_interval;
	int err;

	if (!unew)
		return -EINVAL;
	err = timespec_from_user(unew + offsetof(struct __kernel_itimerspec, it_interval),
				 &interval);
	if (!err)
		err = timespec_from_user(unew + offsetof(struct __kernel_itimerspec, it_value),
					 &value);
	if (!err)
		err = ptimer_settime((int)args[0], args[1] & TIMER_ABSTIME, value, interval,
				     &old_value, &old_interval);
	if (!err && args[3])
		err = itimerspec_to_user((void *)args[3], old_value, old_interval);
	return err;
}

/* timer_gettime(2) */
long sys_timer_gettime(const unsigned long args[6])
{
	uint64_t value, interval;
	int err = ptimer_gettime((int)args[0], &value, &interval);

	return err ? err : itimerspec_to_user((void *)args[1], value, interval);
}

/* timer_getoverrun(2) */
long sys_timer_getoverrun(const unsigned long args[6])
{
	return ptimer_getoverrun((int)args[0]);
}

/* timer_delete(2) */
long sys_timer_delete(const unsigned long args[6])
{
	return ptimer_delete((int)args[0]);
}
