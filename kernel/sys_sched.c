// SPDX-License-Identifier: MIT
/*
 * Scheduling parameters: nice values (getpriority, setpriority) and
 * policies (sched_setscheduler and friends), per thread as in Linux, with
 * Linux's ranges, permission rules and errors. ABI: Tern records them
 * and reports them back, but its round-robin scheduler (kernel/sched.c)
 * does not weigh them yet. Affinity and yielding are in sys_info.c.
 */
#include <linux/resource.h>
#include <linux/sched.h>
#include <linux/sched/types.h>
#include <tern/base.h>
#include <tern/errno.h>
#include <tern/proc.h>
#include <tern/sys.h>

#include "internal.h"

#define NICE_MIN (-20)
#define NICE_MAX 19
#define RT_PRIO_MAX 99

/* Linux's nice_to_rlimit: nice 19..-20 as 1..40, how getpriority and RLIMIT_NICE count. */
static int nice_to_rlimit(int nice)
{
	return NICE_MAX - nice + 1;
}

/* May the caller lower t's nice value to nice (RLIMIT_NICE, or CAP_SYS_NICE)? L held. */
static bool can_nice_locked(const struct task *t, int nice)
{
	return (uint64_t)nice_to_rlimit(nice) <= t->proc->rlim[RLIMIT_NICE].rlim_cur ||
	       proc_cred_has_cap(current_cred(), CAP_SYS_NICE);
}

/* A thread by id, 0 = the caller; NULL if there is none. L held. */
static struct task *find_thread_locked(int tid)
{
	struct task *t = tid ? proc_find_task_locked(tid) : current_task();

	return t && t->proc ? t : NULL;
}

/* Does thread t match getpriority/setpriority's which and who? L held. */
static bool is_prio_target(const struct task *t, int which, int who)
{
	const struct proc *self = current_proc();

	switch (which) {
	case PRIO_PROCESS:
		return t->id == (who ? who : current_task()->id);
	case PRIO_PGRP:
		return t->proc->pgid == (who ? who : self->pgid);
	default: /* PRIO_USER */
		return t->proc->cred.uid == (who ? (uint32_t)who : self->cred.uid);
	}
}

/* Calls fn on every live thread matching which and who; L held. */
static void for_each_prio_target(int which, int who, void (*fn)(struct task *t, void *ctx),
				 void *ctx)
{
	struct list_head *pos, *tpos;

	list_for_each(pos, proc_all_locked()) {
		struct proc *p = list_entry(pos, struct proc, all_link);
		list_for_each(tpos, &p->threads) {
			struct task *t = list_entry(tpos, struct task, thread_link);
			if (is_prio_target(t, which, who))
				fn(t, ctx);
		}
	}
}

static void highest_prio(struct task *t, void *ctx)
{
	long *best = ctx;

	*best = MAX(*best, (long)nice_to_rlimit(t->nice));
}

/* getpriority(2): the raw syscall returns 20 - nice of the highest-priority match. */
long sys_getpriority(const unsigned long args[6])
{
	int which = (int)args[0];
	long best = -ESRCH;

	if (which < PRIO_PROCESS || which > PRIO_USER)
		return -EINVAL;
	spin_lock(&proc_lock);
	for_each_prio_target(which, (int)args[1], highest_prio, &best);
	spin_unlock(&proc_lock);
	return best;
}

struct set_prio {
	int nice;
	long err; /* -ESRCH until a thread matches */
};

/* As Linux's set_one_prio: the owner, or CAP_SYS_NICE; lowering needs RLIMIT_NICE room. */
static void set_one_prio(struct task *t, void *ctx)
{
	struct set_prio *s = ctx;
	const struct cred *c = current_cred();
	const struct cred *tc = &t->proc->cred;

	if (tc->uid != c->euid && tc->euid != c->euid && !proc_cred_has_cap(c, CAP_SYS_NICE)) {
		s->err = -EPERM;
		return;
	}
	if (s->nice < t->nice && !can_nice_locked(t, s->nice)) {
		s->err = -EACCES;
		return;
	}
	if (s->err == -ESRCH)
		s->err = 0;
	t->nice = s->nice;
}

/* setpriority(2): values outside -20..19 are clamped, as in Linux. */
long sys_setpriority(const unsigned long args[6])
{
	int which = (int)args[0];
	struct set_prio s = {.nice = (int)args[2], .err = -ESRCH};

	if (which < PRIO_PROCESS || which > PRIO_USER)
		return -EINVAL;
	s.nice = MIN(MAX(s.nice, NICE_MIN), NICE_MAX);
	spin_lock(&proc_lock);
	for_each_prio_target(which, (int)args[1], set_one_prio, &s);
	spin_unlock(&proc_lock);
	return s.err;
}

static bool is_rt_policy(int policy)
{
	return policy == SCHED_FIFO || policy == SCHED_RR;
}

/*
 * The checks of Linux's __sched_setscheduler for the policies
 * sched_setscheduler can set (SCHED_DEADLINE needs sched_setattr, which
 * Tern lacks). A negative policy keeps t's (sched_setparam). L held.
 */
static int sched_check_locked(const struct task *t, int policy, int prio)
{
	const struct cred *c = current_cred();
	const struct cred *tc = &t->proc->cred;

	if (policy != SCHED_NORMAL && policy != SCHED_BATCH && policy != SCHED_IDLE &&
	    !is_rt_policy(policy))
		return -EINVAL;
	if (prio < 0 || prio > RT_PRIO_MAX || is_rt_policy(policy) != (prio != 0))
		return -EINVAL;
	if (proc_cred_has_cap(c, CAP_SYS_NICE))
		return 0;
	uint64_t rlim_rtprio = t->proc->rlim[RLIMIT_RTPRIO].rlim_cur;
	if (is_rt_policy(policy) && policy != t->sched_policy && !rlim_rtprio)
		return -EPERM;
	if (is_rt_policy(policy) && prio > t->sched_priority && (uint64_t)prio > rlim_rtprio)
		return -EPERM;
	if (t->sched_policy == SCHED_IDLE && policy != SCHED_IDLE && !can_nice_locked(t, t->nice))
		return -EPERM;
	if (c->euid != tc->euid && c->euid != tc->uid)
		return -EPERM;
	return 0;
}

/* The core of sched_setscheduler and sched_setparam (policy -1 keeps it). */
static long sched_set(int tid, int policy, const void *uparam)
{
	struct sched_param param;
	long ret;

	if (!uparam || tid < 0)
		return -EINVAL;
	if (copy_from_user(&param, uparam, sizeof(param)) != 0)
		return -EFAULT;
	spin_lock(&proc_lock);
	struct task *t = find_thread_locked(tid);
	if (!t) {
		ret = -ESRCH;
	} else {
		if (policy < 0)
			policy = t->sched_policy;
		ret = sched_check_locked(t, policy, param.sched_priority);
	}
	if (!ret) {
		t->sched_policy = policy;
		t->sched_priority = param.sched_priority;
	}
	spin_unlock(&proc_lock);
	return ret;
}

/* sched_setscheduler(2): SCHED_RESET_ON_FORK is not supported (EINVAL). */
long sys_sched_setscheduler(const unsigned long args[6])
{
	int policy = (int)args[1];

	if (policy < 0)
		return -EINVAL;
	return sched_set((int)args[0], policy, (const void *)args[2]);
}

/* sched_setparam(2) */
long sys_sched_setparam(const unsigned long args[6])
{
	return sched_set((int)args[0], -1, (const void *)args[1]);
}

/* sched_getscheduler(2) */
long sys_sched_getscheduler(const unsigned long args[6])
{
	int tid = (int)args[0];
	long ret;

	if (tid < 0)
		return -EINVAL;
	spin_lock(&proc_lock);
	struct task *t = find_thread_locked(tid);
	ret = t ? t->sched_policy : -ESRCH;
	spin_unlock(&proc_lock);
	return ret;
}

/* sched_getparam(2) */
long sys_sched_getparam(const unsigned long args[6])
{
	int tid = (int)args[0];
	struct sched_param param = {0};

	if (tid < 0 || !args[1])
		return -EINVAL;
	spin_lock(&proc_lock);
	struct task *t = find_thread_locked(tid);
	if (t)
		param.sched_priority = t->sched_priority;
	spin_unlock(&proc_lock);
	if (!t)
		return -ESRCH;
	if (copy_to_user((void *)args[1], &param, sizeof(param)) != 0)
		return -EFAULT;
	return 0;
}

/* sched_get_priority_max(2) and sched_get_priority_min(2): 1..99 for FIFO and RR, else 0. */
static long priority_bound(int policy, int rt_bound)
{
	if (is_rt_policy(policy))
		return rt_bound;
	if (policy == SCHED_NORMAL || policy == SCHED_BATCH || policy == SCHED_IDLE ||
	    policy == SCHED_DEADLINE)
		return 0;
	return -EINVAL;
}

long sys_sched_get_priority_max(const unsigned long args[6])
{
	return priority_bound((int)args[0], RT_PRIO_MAX);
}

long sys_sched_get_priority_min(const unsigned long args[6])
{
	return priority_bound((int)args[0], 1);
}
