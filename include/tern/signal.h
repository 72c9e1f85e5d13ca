/* SPDX-License-Identifier: MIT */
/*
 * Signals (kernel/signal.c): sending, the pending sets and queues,
 * default actions (terminate, stop, continue, ignore), picking the next
 * signal to deliver on the way back to user mode, and interval timers.
 * The architecture builds and unwinds the handler's frame
 * (arch_signal_deliver, arch_sigreturn). Locks as in proc.h.
 */
#pragma once

#include <asm-generic/siginfo.h>
#include <tern/proc.h>

#define SIGBIT(sig) (1ULL << ((sig)-1))
#define SIG_UNBLOCKABLE (SIGBIT(SIGKILL) | SIGBIT(SIGSTOP))

/* A signal picked for delivery to a handler. */
struct ksignal {
	int signo;
	struct sigaction_k action; /* as it was when picked (SA_RESETHAND may have reset it) */
	siginfo_t info;
	uint64_t old_blocked; /* the mask to restore at sigreturn */
};

/* Sends sig with code and the sender's pid/uid from the caller; L held. */
int signal_send_proc_locked(struct proc *p, int sig, int code, uint64_t value);
/* Full control over the siginfo; t = NULL for the whole process. L held. */
int signal_send_locked(struct proc *p, struct task *t, const struct sigqueue_entry *info);
/* SIGCHLD (or the child's exit signal) to parent about child; L held. */
void signal_send_child_locked(struct proc *parent, struct proc *child, int sig, int code,
			      int status);
/* A fault in user mode: sig with si_code and si_addr to the current thread. */
void signal_force_fault(int sig, int code, uint64_t addr);
/*
 * The frame for a handler of sig could not be written (a bad or full
 * stack): SIGSEGV to the current thread, fatal if sig was SIGSEGV itself.
 */
void signal_force_sigsegv(int sig);
/* True if parent has SIGCHLD ignored or SA_NOCLDWAIT: children reap themselves. L held. */
bool signal_parent_ignores_children_locked(struct proc *parent);
/*
 * May the caller send sig to target (kill, tgkill, sigqueue)? As Linux's
 * check_kill_permission: matching real or effective ids, CAP_KILL, or
 * SIGCONT within the caller's session. L held.
 */
bool signal_may_send_locked(const struct proc *target, int sig);
/* rt_sigaction: sets sig's disposition; one that ignores it drops it where pending. L held. */
void signal_set_action_locked(struct proc *p, int sig, const struct sigaction_k *act);
/* Drops every queued signal; L held. */
void signal_flush_locked(struct sigpending_set *set);
void signal_flush_thread_locked(struct task *t);
/* Starts the exit of every thread of p with status (exit_group, fatal signals). */
void signal_group_exit(struct proc *p, int status);
/* A signal (or a group exit) waits for the caller: blocking calls return -EINTR/-ERESTART*. */
bool signal_pending_current(void);
/*
 * Sleeps until the monotonic deadline_ns (0 = no deadline) or until a
 * signal is pending: 0 at the deadline, -EINTR for a signal (callers turn
 * that into their restart code).
 */
int signal_sleep_until(uint64_t deadline_ns);
/*
 * On the way back to user mode: handles default actions, stops, group
 * exits; true with *ks filled when a handler must run.
 */
bool signal_get(struct ksignal *ks);
/* After the frame is built (or failed): blocks the handler's mask. */
void signal_delivered(const struct ksignal *ks);
/* Takes the next signal in mask pending for t (own, then shared): its number, or 0. L held. */
int signal_dequeue_locked(struct task *t, uint64_t mask, siginfo_t *info);
/* A signal became pending: signalfd readers and pollers look again (kernel/signalfd.c). */
void signalfd_notify(void);
/* Sets the caller's blocked mask (SIGKILL/SIGSTOP never blocked). */
void signal_set_blocked(uint64_t mask);

/* Architecture: push a handler frame / unwind it. 0 or -EFAULT. */
int arch_signal_deliver(const struct ksignal *ks);
long arch_sigreturn(void);
/* The most user stack one signal frame takes (AT_MINSIGSTKSZ for exec). */
size_t arch_sigframe_max_bytes(void);
