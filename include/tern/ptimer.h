/* SPDX-License-Identifier: MIT */
/*
 * Process timers (kernel/ptimer.c): the interval timers of setitimer and
 * alarm (ITIMER_REAL on the monotonic clock, ITIMER_VIRTUAL and
 * ITIMER_PROF on the process's CPU time) and the POSIX timers of
 * timer_create. Each counts down on its clock and signals its process (or
 * one thread) at expiry, then re-arms itself if it is periodic. A kernel
 * timer (struct ktimer) wakes it at the monotonic time its clock can
 * reach the expiry at the earliest; a CPU clock that has not got there
 * yet just sets it again.
 *
 * Locks: L = proc_lock, for every field but the ktimer's own.
 * I = immutable after creation.
 */
#pragma once

#include <tern/list.h>
#include <tern/sched.h>
#include <tern/types.h>

struct proc;
struct sigqueue_entry;

struct ptimer {
	struct ktimer kt;
	struct proc *proc;    /* I: the process it belongs to */
	int clock;	      /* I: CLOCK_REALTIME, _MONOTONIC, ... or a CPU clock kind */
	int cpu_target;	      /* I: the pid (process) or tid (thread) a CPU clock reads */
	int id;		      /* I: timer_create's id; -1 for the interval timers */
	int notify;	      /* I: SIGEV_SIGNAL, SIGEV_NONE or SIGEV_THREAD_ID */
	int signo;	      /* I */
	int code;	      /* I: si_code: SI_TIMER, or SI_KERNEL for the interval timers */
	int tid;	      /* I: SIGEV_THREAD_ID's thread */
	uint64_t value;	      /* I: sigev_value */
	uint64_t expiry_ns;   /* L: the clock's reading at expiry; 0 = disarmed */
	uint64_t interval_ns; /* L: the period; 0 = one-shot */
	struct sigqueue_entry *queued; /* L: its signal while pending (POSIX timers) */
	int overrun;		       /* L: expiries since that signal was queued */
	int overrun_last;	       /* L: timer_getoverrun: the count its last signal carried */
	struct list_head link;	       /* L: proc.timers */
};

/* A sigevent, as timer_create takes it (struct sigevent's fields). */
struct ptimer_event {
	int notify; /* SIGEV_* */
	int signo;
	int tid; /* SIGEV_THREAD_ID */
	uint64_t value;
};

/*
 * setitimer and alarm: which is ITIMER_REAL, _VIRTUAL or _PROF; a zero
 * value disarms. The old setting comes back in *old_value_ns and
 * *old_interval_ns (1 ns left for a timer that is due). 0 or -EINVAL.
 */
int itimer_set(struct proc *p, int which, uint64_t value_ns, uint64_t interval_ns,
	       uint64_t *old_value_ns, uint64_t *old_interval_ns) __must_check;
int itimer_get(struct proc *p, int which, uint64_t *value_ns, uint64_t *interval_ns) __must_check;

/*
 * timer_create: *id is the new timer's; with value_is_id the signal
 * carries it as its value (no sigevent given). -EINVAL (clock, event),
 * -EOPNOTSUPP (a clock without timers), -EPERM (alarm clocks) or -EAGAIN.
 */
int ptimer_create(int clock, const struct ptimer_event *ev, bool value_is_id, int *id) __must_check;
/*
 * timer_settime: abs means value_ns is a reading of the timer's clock;
 * returns the old setting as timer_gettime does. 0 or -EINVAL (no such timer).
 */
int ptimer_settime(int id, bool abs, uint64_t value_ns, uint64_t interval_ns,
		   uint64_t *old_value_ns, uint64_t *old_interval_ns) __must_check;
int ptimer_gettime(int id, uint64_t *value_ns, uint64_t *interval_ns) __must_check;
/* timer_getoverrun: the overrun count or -EINVAL. */
int ptimer_getoverrun(int id);
int ptimer_delete(int id) __must_check;
/* exec deletes the POSIX timers; exit also stops the interval timers. */
void ptimer_exec(struct proc *p);
void ptimer_exit(struct proc *p);

/*
 * signal.c: a timer's signal was queued as entry e; it was taken off its
 * queue for delivery, which reports si_timerid and si_overrun; or it was
 * discarded. A periodic POSIX timer re-arms when its signal is taken, as
 * in Linux, so a signal nobody takes does not keep the timer firing. L held.
 */
void ptimer_signal_queued_locked(struct ptimer *t, struct sigqueue_entry *e);
void ptimer_signal_taken_locked(struct ptimer *t, int *timerid_out, int *overrun_out);
void ptimer_signal_dropped_locked(struct ptimer *t);
