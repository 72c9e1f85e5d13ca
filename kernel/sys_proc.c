// SPDX-License-Identifier: MIT
/*
 * Process syscalls: thin glue over proc_clone, proc_exit_thread and the
 * wait core (fork.c, exit.c) plus the id calls.
 */
#include <asm-generic/siginfo.h>
#include <linux/resource.h>
#include <linux/sched.h>
#include <linux/wait.h>
#include <tern/base.h>
#include <tern/errno.h>
#include <tern/proc.h>
#include <tern/signal.h>
#include <tern/string.h>
#include <tern/sys.h>

#include "internal.h"

/* fork(2) */
long sys_fork(const unsigned long args[6])
{
	struct clone_args_k a = {.exit_signal = SIGCHLD};

	(void)args;
	return proc_clone(&a);
}

/* vfork(2) */
long sys_vfork(const unsigned long args[6])
{
	struct clone_args_k a = {.flags = CLONE_VM | CLONE_VFORK, .exit_signal = SIGCHLD};

	(void)args;
	return proc_clone(&a);
}

/* clone(2), x86-64 argument order: flags, stack, parent_tid, child_tid, tls. */
long sys_clone(const unsigned long args[6])
{
	struct clone_args_k a = {
		.flags = args[0] & ~(uint64_t)CSIGNAL,
		.stack = args[1],
		.parent_tid = args[2],
		.child_tid = args[3],
		.tls = args[4],
		.exit_signal = (int)(args[0] & CSIGNAL),
	};

	return proc_clone(&a);
}

/* clone3(2) */
long sys_clone3(const unsigned long args[6])
{
	struct clone_args ua = {0};
	size_t size = args[1];

	if (size < CLONE_ARGS_SIZE_VER0 || size > PAGE_SIZE)
		return -EINVAL;
	if (copy_from_user(&ua, (const void *)args[0], MIN(size, sizeof(ua))) != 0)
		return -EFAULT;
	if (size > sizeof(ua)) { /* a newer struct: the tail must be zero */
		uint8_t tail[64];
		for (size_t off = sizeof(ua); off < size; off += sizeof(tail)) {
			size_t n = MIN(sizeof(tail), size - off);
			if (copy_from_user(tail, (const uint8_t *)args[0] + off, n) != 0)
				return -EFAULT;
			for (size_t i = 0; i < n; i++)
				if (tail[i])
					return -E2BIG;
		}
	}
	if (ua.exit_signal > NSIG_TERN || (ua.flags & CSIGNAL) || ua.set_tid || ua.set_tid_size ||
	    ua.cgroup)
		return -EINVAL;
	if (!!ua.stack != !!ua.stack_size)
		return -EINVAL;
	struct clone_args_k a = {
		.flags = ua.flags,
		.stack = ua.stack ? ua.stack + ua.stack_size : 0,
		.parent_tid = ua.parent_tid,
		.child_tid = ua.child_tid,
		.tls = ua.tls,
		.exit_signal = (int)ua.exit_signal,
	};
	return proc_clone(&a);
}

/* exit(2): ends the calling thread. */
long sys_exit(const unsigned long args[6])
{
	proc_exit_thread(wait_status_exited((int)args[0]), false);
}

/* exit_group(2): ends every thread of the process. */
long sys_exit_group(const unsigned long args[6])
{
	proc_exit_thread(wait_status_exited((int)args[0]), true);
}

/* wait4(2) */
long sys_wait4(const unsigned long args[6])
{
	struct rusage ru;
	int status = 0;
	long ret = proc_wait4((int)args[0], &status, (int)args[2], &ru);

	if (ret <= 0)
		return ret;
	if (args[1] && copy_to_user((void *)args[1], &status, sizeof(status)) != 0)
		return -EFAULT;
	if (args[3] && copy_to_user((void *)args[3], &ru, sizeof(ru)) != 0)
		return -EFAULT;
	return ret;
}

/* waitid(2) */
long sys_waitid(const unsigned long args[6])
{
	siginfo_t info;
	struct rusage ru;
	long ret = proc_waitid((int)args[0], (int)args[1], &info, (int)args[3], &ru);

	if (ret < 0)
		return ret;
	if (args[2] && copy_to_user((void *)args[2], &info, sizeof(info)) != 0)
		return -EFAULT;
	if (args[4] && copy_to_user((void *)args[4], &ru, sizeof(ru)) != 0)
		return -EFAULT;
	return 0;
}

/* getpid(2): the process id, which is the thread-group leader's tid. */
long sys_getpid(const unsigned long args[6])
{
	(void)args;
	return current_proc()->pid;
}

/* gettid(2) */
long sys_gettid(const unsigned long args[6])
{
	(void)args;
	return current_task()->id;
}

/* getppid(2) */
long sys_getppid(const unsigned long args[6])
{
	(void)args;
	spin_lock(&proc_lock);
	struct proc *parent = current_proc()->parent;
	int ppid = parent ? parent->pid : 0;
	spin_unlock(&proc_lock);
	return ppid;
}

/* set_tid_address(2) */
long sys_set_tid_address(const unsigned long args[6])
{
	current_task()->clear_child_tid = args[0];
	return current_task()->id;
}

/* kill(2): pid > 0 one process, 0 the caller's group, -1 everyone allowed, < -1 a group. */
long sys_kill(const unsigned long args[6])
{
	int pid = (int)args[0];
	int sig = (int)args[1];
	long ret = 0;

	if (sig < 0 || sig > NSIG_TERN)
		return -EINVAL;
	spin_lock(&proc_lock);
	if (pid > 0) {
		struct proc *p = proc_find_locked(pid);
		if (!p || p->state == PROC_DEAD)
			ret = -ESRCH;
		else if (!signal_may_send_locked(p, sig))
			ret = -EPERM;
		else if (sig)
			ret = signal_send_proc_locked(p, sig, SI_USER, 0);
	} else {
		int pgid = pid == 0 ? current_proc()->pgid : -pid;
		bool found = false, allowed = false;
		struct list_head *pos;
		list_for_each(pos, proc_all_locked()) {
			struct proc *p = list_entry(pos, struct proc, all_link);
			if (pid == -1 ? (p->pid == 1 || p == current_proc()) : p->pgid != pgid)
				continue;
			found = true;
			if (!signal_may_send_locked(p, sig))
				continue;
			allowed = true;
			if (sig)
				signal_send_proc_locked(p, sig, SI_USER, 0);
		}
		/* ABI: kill(-1) succeeds once it tried anyone, even if it could signal nobody. */
		ret = !found ? -ESRCH : !allowed && pid != -1 ? -EPERM : 0;
	}
	spin_unlock(&proc_lock);
	return ret;
}
