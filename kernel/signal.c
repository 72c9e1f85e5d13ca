// SPDX-License-Identifier: MIT
/*
 * Signals: pending sets per thread and per process, queued siginfo
 * (standard signals coalesce, real-time ones queue), default actions,
 * job-control stops, group exits, and ITIMER_REAL. Delivery happens on
 * the way back to user mode (signal_get); the architecture builds the
 * handler frame.
 */
#include <asm-generic/siginfo.h>
#include <linux/sched.h>
#include <linux/signal.h>
#include <linux/wait.h>
#include <tern/arch.h>
#include <tern/base.h>
#include <tern/errno.h>
#include <tern/proc.h>
#include <tern/ptimer.h>
#include <tern/signal.h>
#include <tern/string.h>
#include <tern/time.h>

#include "internal.h"

enum sig_default { DEF_TERM, DEF_CORE, DEF_STOP, DEF_CONT, DEF_IGN };

#define STOP_SIGNALS (SIGBIT(SIGSTOP) | SIGBIT(SIGTSTP) | SIGBIT(SIGTTIN) | SIGBIT(SIGTTOU))
#define SYNC_SIGNALS                                                                            \
	(SIGBIT(SIGSEGV) | SIGBIT(SIGBUS) | SIGBIT(SIGILL) | SIGBIT(SIGTRAP) | SIGBIT(SIGFPE) | \
	 SIGBIT(SIGSYS))

static enum sig_default default_action(int sig)
{
	switch (sig) {
	case SIGCHLD:
	case SIGURG:
	case SIGWINCH:
		return DEF_IGN;
	case SIGCONT:
		return DEF_CONT;
	case SIGSTOP:
	case SIGTSTP:
	case SIGTTIN:
	case SIGTTOU:
		return DEF_STOP;
	case SIGQUIT:
	case SIGILL:
	case SIGTRAP:
	case SIGABRT:
	case SIGBUS:
	case SIGFPE:
	case SIGSEGV:
	case SIGXCPU:
	case SIGXFSZ:
	case SIGSYS:
		return DEF_CORE;
	default:
		return DEF_TERM;
	}
}

static bool is_ignored_locked(const struct proc *p, int sig)
{
	uint64_t h = p->actions[sig - 1].handler;

	if (sig == SIGKILL || sig == SIGSTOP)
		return false;
	/* SIGCONT's default (continue) happens when it is sent; nothing is left to deliver. */
	return h == (uint64_t)SIG_IGN ||
	       (h == (uint64_t)SIG_DFL &&
		(default_action(sig) == DEF_IGN || default_action(sig) == DEF_CONT));
}

static void wake_thread(struct task *t)
{
	if (t->state == TASK_SLEEPING)
		task_wake(t);
}

static void wake_all_threads_locked(struct proc *p)
{
	struct list_head *pos;

	list_for_each(pos, &p->threads)
		wake_thread(list_entry(pos, struct task, thread_link));
	wake_up_all(&p->stop_wait);
}

/*
 * RLIMIT_SIGPENDING counts the siginfo queued for each real user id, as
 * Linux's ucounts do. Few users have signals queued at once, so a small
 * table does; when it is full, only signals that may pass the limit queue.
 */
#define NR_SIGPENDING_USERS 64

struct sigpending_user {
	uint32_t uid;
	uint32_t nr_queued; /* 0: the slot is free */
};

static struct sigpending_user sigpending_users[NR_SIGPENDING_USERS]; /* L */

static struct sigpending_user *sigpending_user_locked(uint32_t uid, bool create)
{
	struct sigpending_user *free_slot = NULL;

	for (int i = 0; i < NR_SIGPENDING_USERS; i++) {
		struct sigpending_user *u = &sigpending_users[i];
		if (u->nr_queued && u->uid == uid)
			return u;
		if (!u->nr_queued && !free_slot)
			free_slot = u;
	}
	if (!create || !free_slot)
		return NULL;
	free_slot->uid = uid;
	return free_slot;
}

/* Charges e to the real uid of p, its receiver; false past p's limit unless override. */
static bool sigpending_charge_locked(struct proc *p, struct sigqueue_entry *e, bool override)
{
	struct sigpending_user *u = sigpending_user_locked(p->cred.uid, true);

	if (!u)
		return override;
	if (!override && u->nr_queued >= p->rlim[RLIMIT_SIGPENDING].rlim_cur)
		return false;
	u->nr_queued++;
	e->charged = true;
	e->charged_uid = p->cred.uid;
	return true;
}

static void entry_free_locked(struct sigqueue_entry *e)
{
	struct sigpending_user *u =
		e->charged ? sigpending_user_locked(e->charged_uid, false) : NULL;

	if (u)
		u->nr_queued--;
	kfree(e);
}

static void remove_from_queue(uint64_t *set, struct list_head *queue, uint64_t mask)
{
	struct list_head *pos, *tmp;

	*set &= ~mask;
	list_for_each_safe(pos, tmp, queue) {
		struct sigqueue_entry *e = list_entry(pos, struct sigqueue_entry, link);
		if (mask & SIGBIT(e->signo)) {
			list_remove(&e->link);
			if (e->timer)
				ptimer_signal_dropped_locked(e->timer);
			entry_free_locked(e);
		}
	}
}

static void remove_everywhere_locked(struct proc *p, uint64_t mask)
{
	struct list_head *pos;

	remove_from_queue(&p->shared_pending.set, &p->shared_pending.queue, mask);
	list_for_each(pos, &p->threads) {
		struct task *t = list_entry(pos, struct task, thread_link);
		remove_from_queue(&t->sig_pending, &t->sig_queue, mask);
	}
}

void signal_set_action_locked(struct proc *p, int sig, const struct sigaction_k *act)
{
	p->actions[sig - 1] = *act;
	p->actions[sig - 1].mask &= ~SIG_UNBLOCKABLE;
	/* As Linux: a disposition that ignores the signal discards it where pending. */
	if (is_ignored_locked(p, sig))
		remove_everywhere_locked(p, SIGBIT(sig));
}

bool signal_may_send_locked(const struct proc *target, int sig)
{
	const struct cred *c = current_cred();
	const struct cred *t = &target->cred;

	return proc_cred_has_cap(c, CAP_KILL) || c->euid == t->suid || c->euid == t->uid ||
	       c->uid == t->suid || c->uid == t->uid ||
	       (sig == SIGCONT && target->sid == current_proc()->sid);
}

bool signal_parent_ignores_children_locked(struct proc *parent)
{
	const struct sigaction_k *a = &parent->actions[SIGCHLD - 1];

	return a->handler == (uint64_t)SIG_IGN || (a->flags & SA_NOCLDWAIT);
}

static void notify_parent_stop_locked(struct proc *p, int code, int sig)
{
	struct proc *parent = p->parent;

	if (!parent)
		return;
	if (!(parent->actions[SIGCHLD - 1].flags & SA_NOCLDSTOP))
		signal_send_child_locked(parent, p, SIGCHLD, code, sig);
	wake_up_all(&parent->child_wait);
}

void signal_group_exit(struct proc *p, int status)
{
	spin_lock(&proc_lock);
	if (!p->group_exiting) {
		p->group_exiting = true;
		p->exit_status = status;
		p->stopped = false;
		wake_all_threads_locked(p);
	}
	spin_unlock(&proc_lock);
}

int signal_send_locked(struct proc *p, struct task *t, const struct sigqueue_entry *info)
{
	int sig = info->signo;
	uint64_t bit = SIGBIT(sig);

	if (p->state != PROC_LIVE || p->group_exiting)
		return 0;
	if (sig == SIGCONT || sig == SIGKILL) {
		remove_everywhere_locked(p, STOP_SIGNALS);
		if (p->stopped) {
			p->stopped = false;
			if (sig == SIGCONT) {
				p->stop_report = CLD_CONTINUED;
				notify_parent_stop_locked(p, CLD_CONTINUED, SIGCONT);
			}
			wake_up_all(&p->stop_wait);
		}
	} else if (bit & STOP_SIGNALS) {
		remove_everywhere_locked(p, SIGBIT(SIGCONT));
	}
	struct task *leader = list_is_empty(&p->threads)
				      ? NULL
				      : list_first_entry(&p->threads, struct task, thread_link);
	struct task *target = t ? t : leader;
	/* As Linux: a signal blocked, or set aside by sigtimedwait, is never ignored. */
	uint64_t blocked = target ? target->sig_blocked | target->sig_real_blocked : 0;
	if (is_ignored_locked(p, sig) && !(blocked & bit))
		return 0;
	if (sig == SIGKILL) {
		p->group_exiting = true;
		p->exit_status = wait_status_signaled(SIGKILL, false);
		wake_all_threads_locked(p);
		return 0;
	}
	uint64_t *set = t ? &t->sig_pending : &p->shared_pending.set;
	struct list_head *queue = t ? &t->sig_queue : &p->shared_pending.queue;
	if (sig < SIGRTMIN && (*set & bit))
		return 0; /* standard signals do not queue */
	/*
	 * ABI: as Linux's __send_signal_locked, a standard signal the kernel or
	 * kill sends (si_code >= 0) is queued past RLIMIT_SIGPENDING; otherwise
	 * a real-time signal fails with EAGAIN (unless kill sent it) and a
	 * standard one is delivered without its siginfo.
	 */
	bool override = sig < SIGRTMIN && info->code >= 0;
	struct sigqueue_entry *e = kmalloc(sizeof(*e));
	if (e) {
		*e = *info;
		e->charged = false;
		if (!sigpending_charge_locked(p, e, override)) {
			kfree(e);
			e = NULL;
		}
	}
	if (!e && sig >= SIGRTMIN && info->code != SI_USER)
		return -EAGAIN;
	if (e) {
		list_insert_tail(queue, &e->link);
		if (e->timer)
			ptimer_signal_queued_locked(e->timer, e);
	}
	*set |= bit;
	signalfd_notify();
	/* Wake a thread that can take it now. */
	struct list_head *pos;
	if (t) {
		wake_thread(t);
	} else {
		list_for_each(pos, &p->threads) {
			struct task *th = list_entry(pos, struct task, thread_link);
			if (!(th->sig_blocked & bit)) {
				wake_thread(th);
				break;
			}
		}
	}
	return 0;
}

int signal_send_proc_locked(struct proc *p, int sig, int code, uint64_t value)
{
	struct sigqueue_entry info = {.signo = sig, .code = code, .value = value};
	struct proc *self = current_proc();

	if (self && code <= 0) {
		info.pid = self->pid;
		info.uid = self->cred.uid;
	}
	return signal_send_locked(p, NULL, &info);
}

void signal_send_child_locked(struct proc *parent, struct proc *child, int sig, int code,
			      int status)
{
	struct sigqueue_entry info = {
		.signo = sig,
		.code = code,
		.pid = child->pid,
		.uid = child->cred.uid,
		.status = code == CLD_EXITED ? (status >> 8) & 0xff : status & 0x7f,
		.utime = child->exited.cpu_ns / 10000000,
		.from_child = true,
	};

	if (code == CLD_STOPPED || code == CLD_CONTINUED)
		info.status = status;
	signal_send_locked(parent, NULL, &info);
}

/*
 * Sends info to the current thread. A blocked or ignored signal cannot be
 * survived, so it gets its default action, as Linux's force_sig_info
 * does; with to_default, a caught one too.
 */
static void force_current(const struct sigqueue_entry *info, bool to_default)
{
	struct task *t = current_task();
	struct proc *p = t->proc;
	int sig = info->signo;

	spin_lock(&proc_lock);
	if (to_default || (t->sig_blocked & SIGBIT(sig)) ||
	    p->actions[sig - 1].handler == (uint64_t)SIG_IGN) {
		p->actions[sig - 1].handler = (uint64_t)SIG_DFL;
		t->sig_blocked &= ~SIGBIT(sig);
	}
	signal_send_locked(p, t, info);
	spin_unlock(&proc_lock);
}

void signal_force_fault(int sig, int code, uint64_t addr)
{
	struct sigqueue_entry info = {.signo = sig, .code = code, .value = addr};

	force_current(&info, false);
}

void signal_force_sigsegv(int sig)
{
	struct sigqueue_entry info = {.signo = SIGSEGV, .code = SI_KERNEL};

	/* ABI: as Linux's force_sigsegv, else a SIGSEGV handler would fault forever. */
	force_current(&info, sig == SIGSEGV);
}

void signal_flush_locked(struct sigpending_set *set)
{
	remove_from_queue(&set->set, &set->queue, ~0ULL);
}

void signal_flush_thread_locked(struct task *t)
{
	remove_from_queue(&t->sig_pending, &t->sig_queue, ~0ULL);
}

static uint64_t deliverable_locked(const struct task *t)
{
	return ((t->sig_pending | t->proc->shared_pending.set) & ~t->sig_blocked) |
	       (t->sig_pending & SIGBIT(SIGKILL));
}

bool signal_pending_current(void)
{
	struct task *t = current_task();

	if (!t->proc)
		return false;
	return READ_ONCE(t->proc->group_exiting) || deliverable_locked(t) != 0;
}

static void fill_info(siginfo_t *info, const struct sigqueue_entry *e)
{
	int sig = e->signo;

	info->si_code = e->code;
	info->si_errno = e->errno_;
	if (e->from_child) {
		info->si_pid = e->pid;
		info->si_uid = e->uid;
		info->si_status = e->status;
		info->si_utime = (long)e->utime;
		info->si_stime = (long)e->stime;
	} else if (e->code > 0 && (SIGBIT(sig) & SYNC_SIGNALS)) {
		info->si_addr = (void *)e->value;
	} else {
		info->si_pid = e->pid;
		info->si_uid = e->uid;
		info->si_ptr = (void *)e->value;
	}
}

/* Takes sig off a pending set, filling info from its oldest queue entry. */
static void dequeue_from(uint64_t *set, struct list_head *queue, int sig, siginfo_t *info)
{
	struct list_head *pos;
	struct sigqueue_entry *first = NULL;
	bool more = false;

	memset(info, 0, sizeof(*info));
	info->si_signo = sig;
	list_for_each(pos, queue) {
		struct sigqueue_entry *e = list_entry(pos, struct sigqueue_entry, link);
		if (e->signo != sig)
			continue;
		if (first) {
			more = true;
			break;
		}
		first = e;
	}
	if (first) {
		fill_info(info, first);
		if (first->timer)
			ptimer_signal_taken_locked(first->timer, &info->si_tid, &info->si_overrun);
		list_remove(&first->link);
		entry_free_locked(first);
	}
	if (!more)
		*set &= ~SIGBIT(sig);
}

static int pick_signal(uint64_t mask)
{
	uint64_t sync = mask & SYNC_SIGNALS;

	return __builtin_ctzll(sync ? sync : mask) + 1;
}

/* Dequeues one deliverable signal for t (or from set): its number, or 0. */
int signal_dequeue_locked(struct task *t, uint64_t mask, siginfo_t *info)
{
	struct proc *p = t->proc;
	uint64_t own = t->sig_pending & mask;
	uint64_t shared = p->shared_pending.set & mask;

	if (own) {
		int sig = pick_signal(own);
		dequeue_from(&t->sig_pending, &t->sig_queue, sig, info);
		return sig;
	}
	if (shared) {
		int sig = pick_signal(shared);
		dequeue_from(&p->shared_pending.set, &p->shared_pending.queue, sig, info);
		return sig;
	}
	return 0;
}

/* Stops the caller until SIGCONT or SIGKILL; L held, and again on return. */
static void stop_wait_locked(struct proc *p)
{
	struct wait_entry we = {0};

	while (p->stopped && !p->group_exiting) {
		wait_prepare(&p->stop_wait, &we);
		spin_unlock(&proc_lock);
		if (READ_ONCE(p->stopped) && !READ_ONCE(p->group_exiting))
			schedule();
		spin_lock(&proc_lock);
	}
	if (we.task) {
		spin_unlock(&proc_lock);
		wait_finish(&p->stop_wait, &we);
		spin_lock(&proc_lock);
	}
}

bool signal_get(struct ksignal *ks)
{
	struct task *t = current_task();
	struct proc *p = t->proc;

	spin_lock(&proc_lock);
	for (;;) {
		if (p->group_exiting) {
			int status = p->exit_status;
			spin_unlock(&proc_lock);
			proc_exit_thread(status, false);
		}
		if (p->stopped) {
			stop_wait_locked(p);
			continue;
		}
		int sig = signal_dequeue_locked(t, ~t->sig_blocked, &ks->info);
		if (!sig)
			break;
		if (sig == SIGKILL) { /* only execve kills one thread alone */
			spin_unlock(&proc_lock);
			proc_exit_thread(wait_status_signaled(SIGKILL, false), false);
		}
		struct sigaction_k *a = &p->actions[sig - 1];
		if (a->handler == (uint64_t)SIG_IGN)
			continue;
		if (a->handler == (uint64_t)SIG_DFL) {
			enum sig_default d = default_action(sig);
			if (d == DEF_IGN || d == DEF_CONT)
				continue;
			if (d == DEF_STOP) {
				p->stopped = true;
				p->stop_signal = sig;
				p->stop_report = CLD_STOPPED;
				notify_parent_stop_locked(p, CLD_STOPPED, sig);
				continue;
			}
			if (!p->group_exiting) {
				p->group_exiting = true;
				p->exit_status = wait_status_signaled(sig, false);
				wake_all_threads_locked(p);
			}
			continue;
		}
		ks->signo = sig;
		ks->action = *a;
		ks->old_blocked = t->sig_restore_mask ? t->sig_saved_mask : t->sig_blocked;
		if (a->flags & SA_RESETHAND) {
			a->handler = (uint64_t)SIG_DFL;
			a->flags &= ~(uint64_t)SA_SIGINFO;
		}
		spin_unlock(&proc_lock);
		return true;
	}
	/* No handler runs: a mask sigsuspend set up is given back now. */
	if (t->sig_restore_mask) {
		t->sig_restore_mask = false;
		t->sig_blocked = t->sig_saved_mask;
	}
	spin_unlock(&proc_lock);
	return false;
}

/* sched_sleep_timeout takes a relative time; very long sleeps go in pieces. */
#define SLEEP_CHUNK_NS (1ULL << 62)

int signal_sleep_until(uint64_t deadline_ns)
{
	struct task *t = current_task();

	for (;;) {
		if (signal_pending_current())
			return -EINTR;
		uint64_t flags = arch_irq_save();
		uint64_t now = clock_monotonic_ns();
		if (deadline_ns && now >= deadline_ns) {
			arch_irq_restore(flags);
			return 0;
		}
		t->state = TASK_SLEEPING;
		if (!signal_pending_current())
			sched_sleep_timeout(deadline_ns ? MIN(deadline_ns - now, SLEEP_CHUNK_NS)
							: 0);
		t->state = TASK_RUNNABLE;
		arch_irq_restore(flags);
	}
}

void signal_delivered(const struct ksignal *ks)
{
	struct task *t = current_task();
	uint64_t mask = ks->old_blocked | ks->action.mask;

	if (!(ks->action.flags & SA_NODEFER))
		mask |= SIGBIT(ks->signo);
	t->sig_restore_mask = false;
	signal_set_blocked(mask);
}

void signal_set_blocked(uint64_t mask)
{
	spin_lock(&proc_lock);
	current_task()->sig_blocked = mask & ~SIG_UNBLOCKABLE;
	spin_unlock(&proc_lock);
}

void signal_fork_thread(struct task *child, uint64_t clone_flags)
{
	child->sig_blocked = current_task()->sig_blocked;
	/* ABI: a thread sharing memory (CLONE_VM without CLONE_VFORK) starts with none, as Linux. */
	if ((clone_flags & (CLONE_VM | CLONE_VFORK)) == CLONE_VM) {
		child->altstack_flags = SS_DISABLE;
		return;
	}
	child->altstack_sp = current_task()->altstack_sp;
	child->altstack_size = current_task()->altstack_size;
	child->altstack_flags = current_task()->altstack_flags;
}

void signal_exec_reset(struct proc *p)
{
	struct task *t = current_task();

	spin_lock(&proc_lock);
	for (int i = 0; i < NSIG_TERN; i++) {
		struct sigaction_k *a = &p->actions[i];
		if (a->handler != (uint64_t)SIG_IGN)
			*a = (struct sigaction_k){0};
		a->flags = 0;
	}
	t->altstack_sp = 0;
	t->altstack_size = 0;
	t->altstack_flags = SS_DISABLE;
	spin_unlock(&proc_lock);
}
