// SPDX-License-Identifier: MIT
/*
 * Signal syscalls: dispositions, masks, pending sets, waiting for
 * signals, sending them to threads and with data, alternate stacks,
 * sigreturn, and the interval timers (alarm, setitimer; ptimer.c).
 */
#include <asm-generic/siginfo.h>
#include <linux/signal.h>
#include <linux/time.h>
#include <linux/time_types.h>
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

#define SIGSET_BYTES 8
#define MINSIGSTKSZ_K 2048 /* Linux's MINSIGSTKSZ on x86-64 */

static bool is_valid_sig(long sig)
{
	return sig >= 1 && sig <= NSIG_TERN;
}

#define SA_KNOWN_FLAGS                                                                     \
	(SA_NOCLDSTOP | SA_NOCLDWAIT | SA_SIGINFO | SA_ONSTACK | SA_RESTART | SA_NODEFER | \
	 SA_RESETHAND | SA_EXPOSE_TAGBITS | SA_RESTORER)

/* rt_sigaction(2) */
long sys_rt_sigaction(const unsigned long args[6])
{
	int sig = (int)args[0];
	struct sigaction_k act, old;

	if (args[3] != SIGSET_BYTES)
		return -EINVAL;
	if (!is_valid_sig(sig))
		return -EINVAL;
	if (args[1] && copy_from_user(&act, (const void *)args[1], sizeof(act)) != 0)
		return -EFAULT;
	if (args[1] && (sig == SIGKILL || sig == SIGSTOP))
		return -EINVAL;
	/*
	 * ABI: unknown flag bits are dropped, so a program can tell from the
	 * old action which flags the kernel knows (SA_UNSUPPORTED reads back
	 * clear), as in Linux's kernel/signal.c (UAPI_SA_FLAGS).
	 */
	act.flags &= SA_KNOWN_FLAGS;
	struct proc *p = current_proc();
	spin_lock(&proc_lock);
	old = p->actions[sig - 1];
	if (args[1])
		signal_set_action_locked(p, sig, &act);
	spin_unlock(&proc_lock);
	if (args[2] && copy_to_user((void *)args[2], &old, sizeof(old)) != 0)
		return -EFAULT;
	return 0;
}

/* rt_sigprocmask(2) */
long sys_rt_sigprocmask(const unsigned long args[6])
{
	struct task *t = current_task();
	uint64_t set, old = t->sig_blocked;

	if (args[3] != SIGSET_BYTES)
		return -EINVAL;
	if (args[1]) {
		if (copy_from_user(&set, (const void *)args[1], sizeof(set)) != 0)
			return -EFAULT;
		switch (args[0]) {
		case SIG_BLOCK:
			signal_set_blocked(old | set);
			break;
		case SIG_UNBLOCK:
			signal_set_blocked(old & ~set);
			break;
		case SIG_SETMASK:
			signal_set_blocked(set);
			break;
		default:
			return -EINVAL;
		}
	}
	if (args[2] && copy_to_user((void *)args[2], &old, sizeof(old)) != 0)
		return -EFAULT;
	return 0;
}

/* rt_sigpending(2) */
long sys_rt_sigpending(const unsigned long args[6])
{
	struct task *t = current_task();

	if (args[1] != SIGSET_BYTES)
		return -EINVAL;
	spin_lock(&proc_lock);
	uint64_t set = (t->sig_pending | t->proc->shared_pending.set) & t->sig_blocked;
	spin_unlock(&proc_lock);
	return copy_to_user((void *)args[0], &set, sizeof(set)) ? -EFAULT : 0;
}

/* rt_sigsuspend(2): waits with a temporary mask; returns -EINTR after the handler. */
long sys_rt_sigsuspend(const unsigned long args[6])
{
	struct task *t = current_task();
	uint64_t mask;

	if (args[1] != SIGSET_BYTES)
		return -EINVAL;
	if (copy_from_user(&mask, (const void *)args[0], sizeof(mask)) != 0)
		return -EFAULT;
	t->sig_saved_mask = t->sig_blocked;
	t->sig_restore_mask = true;
	signal_set_blocked(mask);
	signal_sleep_until(0);
	return -ERESTARTNOHAND;
}

/* pause(2) */
long sys_pause(const unsigned long args[6])
{
	(void)args;
	signal_sleep_until(0);
	return -ERESTARTNOHAND;
}

/* rt_sigtimedwait(2) */
long sys_rt_sigtimedwait(const unsigned long args[6])
{
	struct task *t = current_task();
	uint64_t set, deadline = 0;
	siginfo_t info;

	if (args[3] != SIGSET_BYTES)
		return -EINVAL;
	if (copy_from_user(&set, (const void *)args[0], sizeof(set)) != 0)
		return -EFAULT;
	set &= ~SIG_UNBLOCKABLE;
	if (args[2]) {
		uint64_t ns;
		int err = timespec_from_user((const void *)args[2], &ns);
		if (err)
			return err;
		/* A zero timeout polls; deadline 0 would mean none. */
		deadline = MAX(deadline_after(clock_monotonic_ns(), ns), 1);
	}
	/* The waited-for signals are unblocked while waiting, as Linux does. */
	uint64_t old = t->sig_blocked;
	for (;;) {
		spin_lock(&proc_lock);
		int sig = signal_dequeue_locked(t, set, &info);
		spin_unlock(&proc_lock);
		if (sig) {
			signal_set_blocked(old);
			if (args[1] && copy_to_user((void *)args[1], &info, sizeof(info)) != 0)
				return -EFAULT;
			return sig;
		}
		spin_lock(&proc_lock);
		t->sig_real_blocked = old;
		spin_unlock(&proc_lock);
		signal_set_blocked(old & ~set);
		int err = signal_sleep_until(deadline);
		spin_lock(&proc_lock);
		t->sig_real_blocked = 0;
		bool mine = (t->sig_pending | t->proc->shared_pending.set) & set;
		spin_unlock(&proc_lock);
		if (mine)
			continue;
		signal_set_blocked(old);
		if (err == 0 || (args[2] && deadline <= clock_monotonic_ns()))
			return -EAGAIN;
		if (signal_pending_current())
			return -EINTR;
	}
}

static int send_to_thread(int tgid, int tid, const struct sigqueue_entry *info)
{
	int ret = 0;

	if (tid <= 0 || (tgid != -1 && tgid <= 0) || info->signo < 0 || info->signo > NSIG_TERN)
		return -EINVAL;
	spin_lock(&proc_lock);
	struct task *t = proc_find_task_locked(tid);
	if (!t || !t->proc || (tgid != -1 && t->proc->pid != tgid))
		ret = -ESRCH;
	else if (!signal_may_send_locked(t->proc, info->signo))
		ret = -EPERM;
	else if (info->signo)
		ret = signal_send_locked(t->proc, t, info);
	spin_unlock(&proc_lock);
	return ret;
}

/* tgkill(2) */
long sys_tgkill(const unsigned long args[6])
{
	struct sigqueue_entry info = {.signo = (int)args[2],
				      .code = SI_TKILL,
				      .pid = current_proc()->pid,
				      .uid = current_cred()->uid};

	return send_to_thread((int)args[0], (int)args[1], &info);
}

/* tkill(2) */
long sys_tkill(const unsigned long args[6])
{
	struct sigqueue_entry info = {.signo = (int)args[1],
				      .code = SI_TKILL,
				      .pid = current_proc()->pid,
				      .uid = current_cred()->uid};

	return send_to_thread(-1, (int)args[0], &info);
}

/*
 * The siginfo of rt_sigqueueinfo and rt_tgsigqueueinfo, sent to thread
 * or process id target. ABI: not even root may claim a code the kernel
 * or kill/tgkill would set (SI_USER, SI_KERNEL, SI_TKILL) except to
 * itself, as in Linux's do_rt_sigqueueinfo, which compares the target
 * with the caller's thread id.
 */
static int info_from_user(int sig, const void *uinfo, int target, struct sigqueue_entry *out)
{
	siginfo_t info;

	if (copy_from_user(&info, uinfo, sizeof(info)) != 0)
		return -EFAULT;
	if ((info.si_code >= 0 || info.si_code == SI_TKILL) && target != current_task()->id)
		return -EPERM;
	*out = (struct sigqueue_entry){.signo = sig,
				       .code = info.si_code,
				       .pid = info.si_pid,
				       .uid = info.si_uid,
				       .value = (uint64_t)info.si_ptr};
	return 0;
}

/* rt_sigqueueinfo(2) */
long sys_rt_sigqueueinfo(const unsigned long args[6])
{
	struct sigqueue_entry e;
	int sig = (int)args[1];
	int err;

	if (sig < 0 || sig > NSIG_TERN)
		return -EINVAL;
	err = info_from_user(sig, (const void *)args[2], (int)args[0], &e);
	if (err)
		return err;
	spin_lock(&proc_lock);
	struct proc *p = proc_find_locked((int)args[0]);
	if (!p)
		err = -ESRCH;
	else if (!signal_may_send_locked(p, sig))
		err = -EPERM;
	else if (sig)
		err = signal_send_locked(p, NULL, &e);
	spin_unlock(&proc_lock);
	return err;
}

/* rt_tgsigqueueinfo(2) */
long sys_rt_tgsigqueueinfo(const unsigned long args[6])
{
	struct sigqueue_entry e;
	int err = info_from_user((int)args[2], (const void *)args[3], (int)args[1], &e);

	return err ? err : send_to_thread((int)args[0], (int)args[1], &e);
}

/* restart_syscall(2): resumes what the last -ERESTART_RESTARTBLOCK left (struct restart_block). */
long sys_restart_syscall(const unsigned long args[6])
{
	struct restart_block *rb = &current_task()->restart;

	(void)args;
	return rb->fn ? rb->fn(rb) : -EINTR;
}

/* rt_sigreturn(2) */
long sys_rt_sigreturn(const unsigned long args[6])
{
	(void)args;
	return arch_sigreturn();
}

/* sigaltstack(2) */
long sys_sigaltstack(const unsigned long args[6])
{
	struct task *t = current_task();
	stack_t ss, old;
	uint64_t sp = arch_user_sp();
	bool on =
		t->altstack_size && sp > t->altstack_sp && sp <= t->altstack_sp + t->altstack_size;

	old.ss_sp = (void *)t->altstack_sp;
	old.ss_size = t->altstack_size;
	old.ss_flags = on		  ? SS_ONSTACK
		       : t->altstack_size ? (t->altstack_flags & SS_AUTODISARM)
					  : SS_DISABLE;
	if (args[0]) {
		if (copy_from_user(&ss, (const void *)args[0], sizeof(ss)) != 0)
			return -EFAULT;
		if (on)
			return -EPERM;
		int mode = ss.ss_flags & ~(int)SS_AUTODISARM;
		if (mode != SS_DISABLE && mode != SS_ONSTACK && mode != 0)
			return -EINVAL;
		if (mode == SS_DISABLE) {
			t->altstack_sp = 0;
			t->altstack_size = 0;
			t->altstack_flags = SS_DISABLE;
		} else {
			if (ss.ss_size < MINSIGSTKSZ_K)
				return -ENOMEM;
			t->altstack_sp = (uint64_t)ss.ss_sp;
			t->altstack_size = ss.ss_size;
			t->altstack_flags = ss.ss_flags & (int)SS_AUTODISARM;
		}
	}
	if (args[1] && copy_to_user((void *)args[1], &old, sizeof(old)) != 0)
		return -EFAULT;
	return 0;
}

static uint64_t timeval_ns(const struct __kernel_old_timeval *tv)
{
	return (uint64_t)tv->tv_sec * 1000000000 + (uint64_t)tv->tv_usec * 1000;
}

static struct __kernel_old_timeval ns_timeval(uint64_t ns)
{
	/* Linux rounds a pending timer up to the next microsecond. */
	ns = ALIGN_UP(ns, 1000);
	return (struct __kernel_old_timeval){(long)(ns / 1000000000),
					     (long)(ns % 1000000000 / 1000)};
}

/* setitimer(2): ITIMER_VIRTUAL and ITIMER_PROF both count all CPU time (ptimer.c). */
long sys_setitimer(const unsigned long args[6])
{
	struct __kernel_old_itimerval nv = {0}, ov;
	uint64_t old_value, old_interval;

	if (args[1] && copy_from_user(&nv, (const void *)args[1], sizeof(nv)) != 0)
		return -EFAULT;
	if (nv.it_value.tv_usec < 0 || nv.it_value.tv_usec >= 1000000 || nv.it_value.tv_sec < 0 ||
	    nv.it_interval.tv_usec < 0 || nv.it_interval.tv_usec >= 1000000 ||
	    nv.it_interval.tv_sec < 0)
		return -EINVAL;
	int err = itimer_set(current_proc(), (int)args[0], timeval_ns(&nv.it_value),
			     timeval_ns(&nv.it_interval), &old_value, &old_interval);
	if (err)
		return err;
	ov.it_value = ns_timeval(old_value);
	ov.it_interval = ns_timeval(old_interval);
	if (args[2] && copy_to_user((void *)args[2], &ov, sizeof(ov)) != 0)
		return -EFAULT;
	return 0;
}

/* getitimer(2) */
long sys_getitimer(const unsigned long args[6])
{
	struct __kernel_old_itimerval v;
	uint64_t value, interval;
	int err = itimer_get(current_proc(), (int)args[0], &value, &interval);

	if (err)
		return err;
	v.it_value = ns_timeval(value);
	v.it_interval = ns_timeval(interval);
	return copy_to_user((void *)args[1], &v, sizeof(v)) ? -EFAULT : 0;
}

/* alarm(2): seconds left on the previous alarm, rounded to nearest (at least 1). */
long sys_alarm(const unsigned long args[6])
{
	uint64_t old_value, old_interval;

	if (itimer_set(current_proc(), ITIMER_REAL, (uint64_t)(unsigned int)args[0] * 1000000000, 0,
		       &old_value, &old_interval) != 0)
		return 0;
	if (!old_value)
		return 0;
	long secs = (long)((old_value + 500000000) / 1000000000);
	return secs ? secs : 1;
}
