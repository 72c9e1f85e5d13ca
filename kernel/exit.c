// SPDX-License-Identifier: MIT
/*
 * The end of threads and processes, and collecting them: exit and
 * exit_group, re-parenting orphans to init, zombies, wait4 and waitid.
 */
#include <asm-generic/siginfo.h>
#include <linux/resource.h>
#include <linux/wait.h>
#include <tern/arch.h>
#include <tern/aspace.h>
#include <tern/base.h>
#include <tern/errno.h>
#include <tern/files.h>
#include <tern/futex.h>
#include <tern/proc.h>
#include <tern/ptimer.h>
#include <tern/signal.h>
#include <tern/string.h>
#include <tern/tty.h>

#include "internal.h"

/* Who adopts p's orphans: the nearest live subreaper above p, else init. L held. */
static struct proc *find_reaper_locked(struct proc *p)
{
	for (struct proc *a = p->parent; a; a = a->parent)
		if (a->child_subreaper && a->state == PROC_LIVE)
			return a;
	return proc_find_locked(1);
}

/*
 * Gives p's children to their new reaper; L held. A child whose group
 * had p as its only link outside may now be an orphaned group.
 */
static void reparent_children_locked(struct proc *p)
{
	struct proc *init = find_reaper_locked(p);
	bool zombie = false;

	while (!list_is_empty(&p->children)) {
		struct proc *c = list_first_entry(&p->children, struct proc, sibling);
		list_remove(&c->sibling);
		c->parent = init;
		list_insert_tail(&init->children, &c->sibling);
		if (c->pdeath_signal)
			signal_send_proc_locked(c, c->pdeath_signal, SI_USER, 0);
		zombie |= c->state == PROC_ZOMBIE;
		proc_pgrp_orphan_check_locked(c, p);
	}
	if (zombie)
		wake_up_all(&init->child_wait);
}

/* Removes a zombie from the tree and frees its pid; L held. */
static void release_locked(struct proc *p)
{
	p->state = PROC_DEAD;
	list_remove(&p->sibling);
	list_remove(&p->all_link);
	if (p->parent)
		usage_reap_locked(p->parent, p);
	signal_flush_locked(&p->shared_pending);
	pid_set_proc_locked(p->pid, NULL);
	pid_free_locked(p->pid);
}

static int exit_code_of(int status)
{
	return (status & 0x7f) ? ((status & 0x80) ? CLD_DUMPED : CLD_KILLED) : CLD_EXITED;
}

/* The last thread is gone: p becomes a zombie and its parent hears of it. */
static void exit_process(struct proc *p)
{
	struct aspace *as = p->as;
	bool autoreap = false;

	current_task()->uvm = NULL;
	usage_leave_aspace(p, as);
	spin_lock(&proc_lock);
	p->as = NULL;
	struct file *exe = p->exe_file;
	p->exe_file = NULL;
	spin_unlock(&proc_lock);
	aspace_put(as);
	ptimer_exit(p);
	if (exe)
		file_put(exe);
	tty_session_leader_exit(p);
	spin_lock(&proc_lock);
	if (p->pid == 1)
		panic("Attempted to kill init! exitcode=0x%08x\n", p->exit_status);
	proc_vfork_release_locked(p);
	reparent_children_locked(p);
	proc_pgrp_orphan_check_locked(p, NULL);
	p->state = PROC_ZOMBIE;
	struct proc *parent = p->parent;
	int sig = parent ? p->exit_signal : 0;
	if (!parent) { /* a process the kernel started for itself (self-tests) */
		autoreap = true;
	} else if (sig == SIGCHLD && signal_parent_ignores_children_locked(parent)) {
		/* ABI: SA_NOCLDWAIT still sends SIGCHLD, as Linux's do_notify_parent. */
		autoreap = true;
		if (parent->actions[SIGCHLD - 1].handler == (uint64_t)SIG_IGN)
			sig = 0;
	}
	if (sig)
		signal_send_child_locked(parent, p, sig, exit_code_of(p->exit_status),
					 p->exit_status);
	if (autoreap)
		release_locked(p);
	if (parent)
		wake_up_all(&parent->child_wait);
	spin_unlock(&proc_lock);
	if (autoreap)
		proc_put(p);
}

void proc_exit_thread(int status, bool group)
{
	struct task *t = current_task();
	struct proc *p = t->proc;

	if (group)
		signal_group_exit(p, status);
	if (t->clear_child_tid) {
		int zero = 0;
		if (copy_to_user((void *)t->clear_child_tid, &zero, sizeof(zero)) == 0)
			futex_wake_addr(t->clear_child_tid, 1);
	}
	futex_exit_robust_list(t);
	files_task_exit(t);
	spin_lock(&proc_lock);
	list_remove(&t->thread_link);
	pid_set_task_locked(t->id, NULL);
	if (t->id != p->pid)
		pid_free_locked(t->id);
	usage_thread_exit_locked(p, t);
	signal_flush_thread_locked(t);
	bool last = --p->nr_threads == 0;
	if (last && !p->group_exiting)
		p->exit_status = status;
	if (!last)
		wake_up_all(&p->stop_wait); /* an execve may be waiting for the others to go */
	spin_unlock(&proc_lock);
	if (last)
		exit_process(p);
	else
		aspace_put(p->as);
	/* A kernel thread that became a process is joined, not reaped: give it a code. */
	int final = p->group_exiting ? p->exit_status : status;
	arch_irq_save();
	t->exit_code = (final & 0x7f) ? 128 + (final & 0x7f) : (final >> 8) & 0xff;
	t->state = TASK_DEAD;
	if (!t->autoreap)
		wake_up_all(&t->exit_wait);
	schedule();
	panic("exit: dead thread %d ran again\n", t->id);
}

static bool is_waitable(const struct proc *c, int which, int id, int options)
{
	if (which == P_PID && c->pid != id)
		return false;
	if (which == P_PGID && c->pgid != id)
		return false;
	/* __WCLONE waits only for "clone" children (exit signal other than SIGCHLD). */
	if (!(options & __WALL) && ((options & __WCLONE) != 0) != (c->exit_signal != SIGCHLD))
		return false;
	return true;
}

struct wait_result {
	int pid;
	int status; /* wait4's status word */
	int code;   /* waitid's si_code */
	int child_status;
	uint32_t uid;
	struct usage usage; /* a zombie's: wait4's rusage */
};

/* One pass over the children; 1 found (and maybe reaped), 0 none ready, -ECHILD none at all. */
static int wait_scan_locked(struct proc *self, int which, int id, int options,
			    struct wait_result *r, struct proc **reaped)
{
	struct list_head *pos;
	bool any = false;

	list_for_each(pos, &self->children) {
		struct proc *c = list_entry(pos, struct proc, sibling);
		if (!is_waitable(c, which, id, options))
			continue;
		any = true;
		r->pid = c->pid;
		r->uid = c->cred.uid;
		if (c->state == PROC_ZOMBIE && (options & WEXITED)) {
			usage_of_zombie_locked(c, &r->usage);
			r->status = c->exit_status;
			r->code = exit_code_of(c->exit_status);
			r->child_status = r->code == CLD_EXITED ? (c->exit_status >> 8) & 0xff
								: c->exit_status & 0x7f;
			if (!(options & WNOWAIT)) {
				release_locked(c);
				*reaped = c;
			}
			return 1;
		}
		if (c->stop_report == CLD_STOPPED && (options & WSTOPPED)) {
			r->status = 0x7f | (c->stop_signal << 8);
			r->code = CLD_STOPPED;
			r->child_status = c->stop_signal;
			if (!(options & WNOWAIT))
				c->stop_report = 0;
			return 1;
		}
		if (c->stop_report == CLD_CONTINUED && (options & WCONTINUED)) {
			r->status = 0xffff;
			r->code = CLD_CONTINUED;
			r->child_status = SIGCONT;
			if (!(options & WNOWAIT))
				c->stop_report = 0;
			return 1;
		}
	}
	return any ? 0 : -ECHILD;
}

static long do_wait(int which, int id, int options, struct wait_result *r)
{
	struct proc *self = current_proc();
	struct wait_entry we = {0};
	struct proc *reaped = NULL;
	long ret;

	if (which == P_PGID && id == 0)
		id = self->pgid;
	for (;;) {
		wait_prepare(&self->child_wait, &we);
		spin_lock(&proc_lock);
		ret = wait_scan_locked(self, which, id, options, r, &reaped);
		spin_unlock(&proc_lock);
		if (ret != 0 || (options & WNOHANG))
			break;
		if (signal_pending_current()) {
			ret = -ERESTARTSYS;
			break;
		}
		schedule();
	}
	wait_finish(&self->child_wait, &we);
	if (reaped)
		proc_put(reaped);
	return ret;
}

long proc_wait4(int pid, int *status, int options, struct rusage *ru)
{
	struct wait_result r = {0};
	int which = P_ALL, id = 0;
	long ret;

	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WCLONE | __WALL))
		return -EINVAL;
	if (pid == INT32_MIN)
		return -ESRCH;
	if (pid < -1) {
		which = P_PGID;
		id = -pid;
	} else if (pid == 0) {
		which = P_PGID;
	} else if (pid > 0) {
		which = P_PID;
		id = pid;
	}
	ret = do_wait(which, id, options | WEXITED, &r);
	if (ret <= 0)
		return ret;
	*status = r.status;
	usage_to_rusage(&r.usage, ru);
	return r.pid;
}

long proc_waitid(int which, int id, siginfo_t *info, int options, struct rusage *ru)
{
	struct wait_result r = {0};
	long ret;

	if (options & ~(WNOHANG | WEXITED | WSTOPPED | WCONTINUED | WNOWAIT | __WNOTHREAD |
			__WCLONE | __WALL))
		return -EINVAL;
	if (!(options & (WEXITED | WSTOPPED | WCONTINUED)))
		return -EINVAL;
	if (which != P_ALL && which != P_PID && which != P_PGID)
		return -EINVAL;
	if ((which == P_PID && id <= 0) || (which == P_PGID && id < 0))
		return -EINVAL;
	ret = do_wait(which, id, options, &r);
	memset(info, 0, sizeof(*info));
	usage_to_rusage(&r.usage, ru);
	if (ret <= 0)
		return ret;
	info->si_signo = SIGCHLD;
	info->si_code = r.code;
	info->si_pid = r.pid;
	info->si_uid = r.uid;
	info->si_status = r.child_status;
	return 0;
}

int proc_exec_single_thread(void)
{
	struct task *t = current_task();
	struct proc *p = t->proc;
	struct wait_entry we = {0};
	struct list_head *pos;

	spin_lock(&proc_lock);
	if (p->group_exiting) {
		spin_unlock(&proc_lock);
		return -EINTR;
	}
	list_for_each(pos, &p->threads) {
		struct task *other = list_entry(pos, struct task, thread_link);
		if (other != t) {
			other->sig_pending |= SIGBIT(SIGKILL);
			if (other->state == TASK_SLEEPING)
				task_wake(other);
		}
	}
	while (p->nr_threads > 1) {
		wait_prepare(&p->stop_wait, &we);
		spin_unlock(&proc_lock);
		if (READ_ONCE(p->nr_threads) > 1)
			schedule();
		spin_lock(&proc_lock);
	}
	if (t->id != p->pid) { /* a thread other than the leader took over: it gets the pid */
		pid_set_task_locked(t->id, NULL);
		pid_free_locked(t->id);
		t->id = p->pid;
		pid_set_task_locked(t->id, t);
	}
	spin_unlock(&proc_lock);
	if (we.task)
		wait_finish(&p->stop_wait, &we);
	return 0;
}
