// SPDX-License-Identifier: MIT
/*
 * Process timers: setitimer's three interval timers and timer_create's
 * POSIX timers, on wall and CPU clocks (the interface is in ptimer.h;
 * the syscall glue in sys_signal.c and sys_time.c). Expiry is checked
 * from a kernel timer (kernel/sched.c), in interrupt context.
 *
 * Lock order: proc_lock, then the scheduler's queue lock inside
 * ktimer_arm and ktimer_cancel.
 */
#include <asm-generic/siginfo.h>
#include <linux/signal.h>
#include <linux/time.h>
#include <tern/base.h>
#include <tern/errno.h>
#include <tern/proc.h>
#include <tern/ptimer.h>
#include <tern/signal.h>
#include <tern/string.h>
#include <tern/time.h>

#include "internal.h"

#define CLOCK_TAI_K 11
#define CPUCLOCK_PERTHREAD_BIT 4
#define CPUCLOCK_TYPE_MASK 3
#define CPUCLOCK_MAX 3
/* A periodic timer whose signal is ignored re-arms no faster than Linux's tick (HZ=250). */
#define IGNORED_MIN_PERIOD_NS 4000000ULL
#define TIMER_ID_MAX 0x7fffffff

/* The reading of t's clock; -ESRCH once the process or thread of a CPU clock is gone. L held. */
static int clock_now_locked(const struct ptimer *t, uint64_t *now)
{
	switch (t->clock) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_ALARM:
	case CLOCK_TAI_K:
		*now = clock_realtime_ns();
		return 0;
	case CLOCK_PROCESS_CPUTIME_ID: {
		struct proc *p = proc_find_locked(t->cpu_target);
		if (!p || p->state != PROC_LIVE)
			return -ESRCH;
		*now = proc_cputime_locked(p);
		return 0;
	}
	case CLOCK_THREAD_CPUTIME_ID: {
		struct task *task = proc_find_task_locked(t->cpu_target);
		if (!task)
			return -ESRCH;
		*now = task_cputime_ns(task, clock_monotonic_ns());
		return 0;
	}
	default: /* the monotonic clocks: no suspend, so BOOTTIME is MONOTONIC */
		*now = clock_monotonic_ns();
		return 0;
	}
}

/*
 * Sets the kernel timer for when t's clock can read its expiry at the
 * earliest: every clock advances at most as fast as the monotonic one
 * on one CPU, so a CPU clock that is not there yet is checked again.
 */
static void arm_locked(struct ptimer *t, uint64_t now)
{
	uint64_t left = t->expiry_ns > now ? t->expiry_ns - now : 0;

	if (t->notify == SIGEV_NONE)
		return; /* nothing to do at expiry: timer_gettime works it out */
	ktimer_arm(&t->kt, deadline_after(clock_monotonic_ns(), left));
}

/* Moves a periodic timer's expiry past at; returns the periods skipped. L held. */
static uint64_t forward_locked(struct ptimer *t, uint64_t at)
{
	if (t->expiry_ns > at)
		return 0;
	uint64_t n = (at - t->expiry_ns) / t->interval_ns + 1;
	t->expiry_ns += n * t->interval_ns;
	return n;
}

static void add_overrun(struct ptimer *t, uint64_t n)
{
	uint64_t sum = (uint64_t)t->overrun + n;

	t->overrun = sum > INT32_MAX ? INT32_MAX : (int)sum; /* Linux saturates at INT_MAX */
}

/* Queues t's signal; false if it was not queued (ignored, or already pending). L held. */
static bool send_locked(struct ptimer *t)
{
	struct proc *p = t->proc;
	struct task *thread = NULL;
	struct sigqueue_entry info = {
		.signo = t->signo,
		.code = t->code,
		.value = t->value,
		.timer = t->id >= 0 ? t : NULL,
	};

	if (t->queued) {
		add_overrun(t, 1);
		return false;
	}
	if (t->notify == SIGEV_THREAD_ID) {
		thread = proc_find_task_locked(t->tid);
		if (!thread || thread->proc != p)
			return false;
	}
	if (signal_send_locked(p, thread, &info) != 0)
		return false;
	return t->queued != NULL || t->id < 0;
}

static void expire_locked(struct ptimer *t, uint64_t now)
{
	bool sent = send_locked(t);

	if (!t->interval_ns) {
		t->expiry_ns = 0;
		return;
	}
	if (sent && t->id >= 0)
		return; /* re-armed when its signal is taken */
	uint64_t skipped = forward_locked(t, sent ? now : now + IGNORED_MIN_PERIOD_NS);
	if (t->id >= 0)
		add_overrun(t, skipped - 1);
	arm_locked(t, now);
}

static void ptimer_fire(struct ktimer *k)
{
	struct ptimer *t = container_of(k, struct ptimer, kt);
	uint64_t now;

	spin_lock(&proc_lock);
	if (!t->expiry_ns || t->proc->state != PROC_LIVE) {
		spin_unlock(&proc_lock);
		return;
	}
	if (clock_now_locked(t, &now) != 0)
		t->expiry_ns = 0; /* the CPU clock's owner is gone */
	else if (now < t->expiry_ns)
		arm_locked(t, now);
	else
		expire_locked(t, now);
	spin_unlock(&proc_lock);
}

/* The time left and the period, as timer_gettime reports them. L held. */
static void read_locked(struct ptimer *t, uint64_t *value_ns, uint64_t *interval_ns)
{
	uint64_t now;

	*value_ns = 0;
	*interval_ns = t->interval_ns;
	if (!t->expiry_ns || clock_now_locked(t, &now) != 0)
		return;
	/* A periodic timer waiting for its signal to be taken, or one nobody is told of. */
	if (t->interval_ns && (t->queued || t->notify == SIGEV_NONE) && t->id >= 0)
		add_overrun(t, forward_locked(t, now));
	if (t->expiry_ns > now)
		*value_ns = t->expiry_ns - now;
	else if (t->notify != SIGEV_NONE)
		*value_ns = 1; /* due, its signal not yet sent or taken */
	else
		t->expiry_ns = 0; /* an expired one-shot SIGEV_NONE timer */
}

/* (Re)arms t for value_ns from now, or at value_ns on its clock with abs; 0 disarms. L held. */
static void set_locked(struct ptimer *t, bool abs, uint64_t value_ns, uint64_t interval_ns)
{
	uint64_t now;

	ktimer_cancel(&t->kt);
	t->interval_ns = interval_ns;
	t->expiry_ns = 0;
	t->overrun = 0;
	if (!value_ns || clock_now_locked(t, &now) != 0)
		return;
	t->expiry_ns = abs ? value_ns : deadline_after(now, value_ns);
	arm_locked(t, now);
}

static void init_timer(struct ptimer *t, struct proc *p, int clock, int cpu_target)
{
	t->kt.fn = ptimer_fire;
	t->proc = p;
	t->clock = clock;
	t->cpu_target = cpu_target;
}

/* The interval timers live in the process; L held. */
static struct ptimer *itimer_locked(struct proc *p, int which)
{
	static const int signals[] = {SIGALRM, SIGVTALRM, SIGPROF};
	struct ptimer *t = &p->itimers[which];

	if (!t->proc) {
		/* ABI: Tern counts all CPU time as user time, so VIRTUAL and PROF read the same. */
		init_timer(t, p, which == ITIMER_REAL ? CLOCK_MONOTONIC : CLOCK_PROCESS_CPUTIME_ID,
			   p->pid);
		t->id = -1;
		t->notify = SIGEV_SIGNAL;
		t->signo = signals[which];
		t->code = SI_KERNEL;
	}
	return t;
}

int itimer_set(struct proc *p, int which, uint64_t value_ns, uint64_t interval_ns,
	       uint64_t *old_value_ns, uint64_t *old_interval_ns)
{
	if (which < ITIMER_REAL || which > ITIMER_PROF)
		return -EINVAL;
	spin_lock(&proc_lock);
	struct ptimer *t = itimer_locked(p, which);
	read_locked(t, old_value_ns, old_interval_ns);
	set_locked(t, false, value_ns, interval_ns);
	spin_unlock(&proc_lock);
	return 0;
}

int itimer_get(struct proc *p, int which, uint64_t *value_ns, uint64_t *interval_ns)
{
	if (which < ITIMER_REAL || which > ITIMER_PROF)
		return -EINVAL;
	spin_lock(&proc_lock);
	read_locked(itimer_locked(p, which), value_ns, interval_ns);
	spin_unlock(&proc_lock);
	return 0;
}

/*
 * Which clock a timer_create clock id names: the wall and monotonic
 * clocks as they are, CPU clocks as a kind plus the process or thread
 * they read. Clocks Linux has no timers for are -EOPNOTSUPP.
 */
static int timer_clock(int id, int *clock, int *cpu_target)
{
	*clock = id;
	*cpu_target = 0;
	switch (id) {
	case CLOCK_REALTIME:
	case CLOCK_MONOTONIC:
	case CLOCK_BOOTTIME:
	case CLOCK_TAI_K:
		return 0;
	case CLOCK_REALTIME_ALARM:
	case CLOCK_BOOTTIME_ALARM:
		return proc_cred_has_cap(current_cred(), CAP_WAKE_ALARM) ? 0 : -EPERM;
	case CLOCK_PROCESS_CPUTIME_ID:
		*cpu_target = current_proc()->pid;
		return 0;
	case CLOCK_THREAD_CPUTIME_ID:
		*cpu_target = current_task()->id;
		return 0;
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_MONOTONIC_COARSE:
		return -EOPNOTSUPP;
	default:
		break;
	}
	int pid = ~(id >> 3);
	if (id >= 0 || (id & CPUCLOCK_TYPE_MASK) >= CPUCLOCK_MAX || pid < 0)
		return -EINVAL;
	bool perthread = id & CPUCLOCK_PERTHREAD_BIT;
	*clock = perthread ? CLOCK_THREAD_CPUTIME_ID : CLOCK_PROCESS_CPUTIME_ID;
	*cpu_target = pid ? pid : perthread ? current_task()->id : current_proc()->pid;
	return 0;
}

static bool is_own_thread(int tid)
{
	spin_lock(&proc_lock);
	struct task *t = proc_find_task_locked(tid);
	bool mine = t && t->proc == current_proc();
	spin_unlock(&proc_lock);
	return mine;
}

/* As Linux's good_sigevent; SIGEV_THREAD is the C library's business: a signal here. */
static int check_event(const struct ptimer_event *ev)
{
	if (ev->notify == SIGEV_NONE)
		return 0;
	if (ev->notify != SIGEV_SIGNAL && ev->notify != SIGEV_THREAD &&
	    ev->notify != SIGEV_THREAD_ID)
		return -EINVAL;
	if (ev->notify == SIGEV_THREAD_ID && !is_own_thread(ev->tid))
		return -EINVAL;
	return ev->signo >= 1 && ev->signo <= NSIG_TERN ? 0 : -EINVAL;
}

/* The caller's timer with this id, or NULL; L held. */
static struct ptimer *find_locked(int id)
{
	struct list_head *pos;

	list_for_each(pos, &current_proc()->timers) {
		struct ptimer *t = list_entry(pos, struct ptimer, link);
		if (t->id == id)
			return t;
	}
	return NULL;
}

static int alloc_id_locked(struct proc *p)
{
	for (int tries = 0; tries < 64; tries++) {
		int id = p->next_timer_id;
		p->next_timer_id = id == TIMER_ID_MAX ? 0 : id + 1;
		if (!find_locked(id))
			return id;
	}
	return -EAGAIN;
}

int ptimer_create(int clock, const struct ptimer_event *ev, bool value_is_id, int *id)
{
	struct proc *p = current_proc();
	int kind, target;
	int err = timer_clock(clock, &kind, &target);

	if (!err)
		err = check_event(ev);
	if (err)
		return err;
	struct ptimer *t = kzalloc(sizeof(*t));
	if (!t)
		return -EAGAIN;
	init_timer(t, p, kind, target);
	t->notify = ev->notify == SIGEV_THREAD ? SIGEV_SIGNAL : ev->notify;
	t->signo = ev->signo;
	t->code = SI_TIMER;
	t->tid = ev->tid;
	t->value = ev->value;
	spin_lock(&proc_lock);
	t->id = alloc_id_locked(p);
	if (t->id >= 0)
		list_insert_tail(&p->timers, &t->link);
	if (value_is_id)
		t->value = (uint64_t)t->id;
	spin_unlock(&proc_lock);
	if (t->id < 0) {
		kfree(t);
		return -EAGAIN;
	}
	*id = t->id;
	return 0;
}

int ptimer_settime(int id, bool abs, uint64_t value_ns, uint64_t interval_ns,
		   uint64_t *old_value_ns, uint64_t *old_interval_ns)
{
	spin_lock(&proc_lock);
	struct ptimer *t = find_locked(id);
	if (t) {
		read_locked(t, old_value_ns, old_interval_ns);
		set_locked(t, abs, value_ns, interval_ns);
	}
	spin_unlock(&proc_lock);
	return t ? 0 : -EINVAL;
}

int ptimer_gettime(int id, uint64_t *value_ns, uint64_t *interval_ns)
{
	spin_lock(&proc_lock);
	struct ptimer *t = find_locked(id);
	if (t)
		read_locked(t, value_ns, interval_ns);
	spin_unlock(&proc_lock);
	return t ? 0 : -EINVAL;
}

int ptimer_getoverrun(int id)
{
	spin_lock(&proc_lock);
	struct ptimer *t = find_locked(id);
	int ret = t ? t->overrun_last : -EINVAL;
	spin_unlock(&proc_lock);
	return ret;
}

/* Stops and unlinks t; a signal of it still pending is delivered without it, as in Linux. */
static void destroy_locked(struct ptimer *t)
{
	ktimer_cancel(&t->kt);
	t->expiry_ns = 0;
	if (t->queued)
		t->queued->timer = NULL;
	list_remove(&t->link);
}

int ptimer_delete(int id)
{
	spin_lock(&proc_lock);
	struct ptimer *t = find_locked(id);
	if (t)
		destroy_locked(t);
	spin_unlock(&proc_lock);
	if (!t)
		return -EINVAL;
	kfree(t);
	return 0;
}

void ptimer_exec(struct proc *p)
{
	spin_lock(&proc_lock);
	while (!list_is_empty(&p->timers)) {
		struct ptimer *t = list_first_entry(&p->timers, struct ptimer, link);
		destroy_locked(t);
		spin_unlock(&proc_lock);
		kfree(t);
		spin_lock(&proc_lock);
	}
	spin_unlock(&proc_lock);
}

void ptimer_exit(struct proc *p)
{
	ptimer_exec(p);
	spin_lock(&proc_lock);
	for (int i = 0; i < ITIMER_PROF + 1; i++)
		set_locked(&p->itimers[i], false, 0, 0);
	spin_unlock(&proc_lock);
}

void ptimer_signal_queued_locked(struct ptimer *t, struct sigqueue_entry *e)
{
	t->queued = e;
}

void ptimer_signal_taken_locked(struct ptimer *t, int *timerid_out, int *overrun_out)
{
	uint64_t now;

	t->queued = NULL;
	*timerid_out = t->id;
	if (t->interval_ns && t->expiry_ns && clock_now_locked(t, &now) == 0) {
		add_overrun(t, forward_locked(t, now));
		/* The expiry that sent this signal was counted as a skipped period. */
		if (t->overrun > 0)
			t->overrun--;
		arm_locked(t, now);
	}
	*overrun_out = t->overrun;
	t->overrun_last = t->overrun;
	t->overrun = 0;
}

void ptimer_signal_dropped_locked(struct ptimer *t)
{
	t->queued = NULL;
}
