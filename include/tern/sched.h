/* SPDX-License-Identifier: MIT */
/*
 * Kernel threads, the preemptive round-robin scheduler, wait queues and
 * timed sleeps (kernel/sched.c, kernel/wait.c). One CPU for now: the
 * scheduler's state is guarded by disabling interrupts.
 *
 * Locks: I = immutable after creation, Q = interrupts off (scheduler state),
 * w = the wait queue's spinlock.
 */
#pragma once

#include <tern/base.h>
#include <tern/errno.h>
#include <tern/list.h>
#include <tern/types.h>

enum task_state {
	TASK_RUNNABLE, /* running, or waiting on the run queue */
	TASK_SLEEPING, /* off the run queue until woken */
	TASK_DEAD,     /* exited; waiting to be joined */
};

struct fdtable;
struct fs_struct;

struct kstack {
	uintptr_t base; /* lowest mapped byte; the page below is a guard */
	uintptr_t top;	/* one past the highest byte */
	int slot;	/* kernel-virtual slot, -1 for the boot stack */
};

struct wait_queue {
	struct spinlock lock;	  /* w */
	struct list_head waiters; /* w: struct wait_entry.link */
};

struct wait_entry {
	struct task *task;     /* I */
	struct list_head link; /* w */
	/*
	 * I: if set, a wake-up calls it (under w, interrupts off) instead of
	 * waking task; it returns whether it took the wake-up, which only
	 * matters for exclusive entries.
	 */
	bool (*wake_fn)(struct wait_entry *we);
	bool is_exclusive; /* I: set by wait_queue_add_exclusive */
};

/*
 * What restart_syscall(2) resumes when a sleep that a stop (or another
 * signal without a handler) interrupted returned -ERESTART_RESTARTBLOCK:
 * user space re-enters through restart_syscall, which calls fn. NULL fn
 * (and any handler's sigreturn) makes restart_syscall -EINTR, as Linux.
 */
struct restart_block {
	long (*fn)(struct restart_block *rb);
	uint64_t deadline_ns; /* when the sleep ends, on clock_id */
	uint64_t arg0, arg1;  /* the call's own: user pointers, counts */
	int clock_id;
	bool has_timeout;
};

struct task {
	uint64_t saved_rsp;	     /* Q: stack pointer while switched out */
	struct kstack stack;	     /* I */
	int id;			     /* I */
	char name[16];		     /* I */
	enum task_state state;	     /* Q */
	struct list_head run_link;   /* Q: run queue */
	bool on_rq;		     /* Q: linked on the run queue */
	struct list_head timer_link; /* Q: timed-sleep list, sorted by wake_at_ns */
	uint64_t wake_at_ns;	     /* Q: deadline while on the timer list */
	bool timed_out;		     /* Q: woken by the deadline, not an event */
	uint64_t runtime_ns;	     /* Q: CPU time used */
	uint64_t slice_start_ns;     /* Q: when it last got the CPU */
	uint64_t nr_switches;	     /* Q: times it got the CPU */
	int (*fn)(void *arg);	     /* I: thread body */
	void *arg;		     /* I */
	int exit_code;		     /* Q: fn's return value once DEAD */
	struct wait_queue exit_wait; /* joiners wait here */
	struct list_head all_link;   /* Q: every task */
	struct uvm *uvm;	     /* user page tables; NULL for kernel threads */
	uint64_t fs_base;	     /* user FS base (arch_prctl ARCH_SET_FS) */
	void *fpu_state;	     /* user FPU/SSE registers (kmalloc'd), NULL if none */
	bool autoreap;		     /* Q: freed by the scheduler once dead (user threads) */
	/* User threads only (proc.h; L = proc_lock). */
	struct proc *proc;	      /* L: its process, NULL for kernel threads */
	struct list_head thread_link; /* L: in proc->threads */
	uint64_t sig_blocked;	      /* L: blocked signals, bit sig - 1 */
	uint64_t sig_saved_mask;      /* own: restored after sigsuspend's handler */
	bool sig_restore_mask;	      /* own: sig_saved_mask is pending restore */
	uint64_t sig_pending;	      /* L: thread-directed pending signals */
	uint64_t sig_real_blocked;    /* L: the mask rt_sigtimedwait set aside while it waits */
	struct list_head sig_queue;   /* L: their struct sigqueue_entry */
	uint64_t altstack_sp;	      /* own: sigaltstack */
	uint64_t altstack_size;
	int altstack_flags;
	uint64_t clear_child_tid; /* own: CLONE_CHILD_CLEARTID / set_tid_address */
	uint64_t robust_list;	  /* own: set_robust_list head */
	struct fdtable *files;	  /* own: descriptor table (files.h), maybe shared */
	struct fs_struct *fs;	  /* own: root and cwd, maybe shared */
	uint64_t robust_len;
	struct restart_block restart; /* own: for restart_syscall */
	uint64_t min_flt;	      /* own: page faults served (getrusage's ru_minflt) */
	/* setpriority and sched_setscheduler (kernel/sys_sched.c); L = proc_lock. */
	int nice;	    /* L: -20..19 */
	int sched_policy;   /* L: SCHED_NORMAL, SCHED_FIFO, ... */
	int sched_priority; /* L: 1..99 for the real-time policies, else 0 */
};

#define SCHED_SLICE_NS 10000000ULL

/* A callback at a monotonic deadline, run from the timer interrupt. */
struct ktimer {
	struct list_head link; /* Q */
	uint64_t deadline_ns;  /* Q */
	bool armed;	       /* Q */
	void (*fn)(struct ktimer *k);
};

/* (Re)arms k for deadline_ns; cancel is harmless on an idle timer. */
void ktimer_arm(struct ktimer *k, uint64_t deadline_ns);
void ktimer_cancel(struct ktimer *k);

void sched_init(void);
struct task *current_task(void);

/*
 * Creates a runnable kernel thread running fn(arg); 0 and *out, or
 * -ENOMEM. The caller owns the task until kthread_join reaps it.
 */
int kthread_create(const char *name, int (*fn)(void *arg), void *arg,
		   struct task **out) __must_check;
/*
 * The two halves of kthread_create: a new task that has not run yet
 * (0 or -ENOMEM/-EAGAIN), and making it runnable. task_discard frees one
 * that never started.
 */
int task_alloc(const char *name, int (*fn)(void *arg), void *arg, struct task **out) __must_check;
void task_start(struct task *t);
void task_discard(struct task *t);
/* Task ids (kernel/pid.c), shared by kernel threads, user threads and processes. */
int pid_alloc(void);
void pid_free(int id);
/* Waits until t exits, frees it and returns its exit code. */
int kthread_join(struct task *t);
/* Ends the calling thread with code. */
__noreturn void kthread_exit(int code);

void schedule(void);
void sched_yield_cpu(void);
/* Makes a sleeping task runnable; harmless on a runnable one. */
void task_wake(struct task *t);
/* Sleeps at least ns nanoseconds. */
void sleep_ns(uint64_t ns);
/* Timer interrupt: wakes due sleepers, asks for preemption, rearms. */
void sched_timer_tick(void);
/* Called on the way out of every interrupt: switches if asked to. */
void sched_preempt_point(void);
/* Number of tasks alive (created and not yet joined), for leak checks. */
int sched_nr_tasks(void);
/* Turns the calling boot thread into the idle loop. */
__noreturn void sched_run_idle(void);
/* Prints one line per task. */
void sched_dump_tasks(void);

void wait_queue_init(struct wait_queue *wq);
/* Wakes every waiter / the oldest waiter. Safe from interrupts. */
void wake_up_all(struct wait_queue *wq);
void wake_up_one(struct wait_queue *wq);
/*
 * Queues we, whose wake_fn hears every wake-up of wq, without sleeping
 * (poll tables, epoll); wait_queue_remove takes it off again.
 */
void wait_queue_add(struct wait_queue *wq, struct wait_entry *we);
/*
 * Like wait_queue_add, but we is exclusive (Linux's add_wait_queue_exclusive,
 * for epoll's EPOLLEXCLUSIVE): a wake-up still reaches every other entry,
 * and the exclusive ones only until the first whose wake_fn returns true.
 */
void wait_queue_add_exclusive(struct wait_queue *wq, struct wait_entry *we);
/* Whether any entry is queued on wq (Linux's waitqueue_active, but locked). */
bool wait_queue_has_waiters(struct wait_queue *wq);
void wait_queue_remove(struct wait_queue *wq, struct wait_entry *we);
/* Building blocks of wait_event: queue the caller and mark it sleeping. */
void wait_prepare(struct wait_queue *wq, struct wait_entry *we);
void wait_finish(struct wait_queue *wq, struct wait_entry *we);
/*
 * Sleeps for at most timeout_ns (0 = no limit); true if the deadline
 * passed. The caller must already be TASK_SLEEPING (wait_prepare does
 * that); if a wake-up made it runnable since, this returns false at once.
 */
bool sched_sleep_timeout(uint64_t timeout_ns);

/* Sleeps until cond holds; cond is re-checked after each wake-up. */
#define wait_event(wq, cond)                      \
	do {                                      \
		struct wait_entry we_ = {0};      \
		for (;;) {                        \
			wait_prepare((wq), &we_); \
			if (cond)                 \
				break;            \
			schedule();               \
		}                                 \
		wait_finish((wq), &we_);          \
	} while (0)

/* Like wait_event but gives up after timeout_ns: 0 if cond, -ETIMEDOUT. */
#define wait_event_timeout(wq, cond, timeout_ns)                          \
	({                                                                \
		struct wait_entry we_ = {0};                              \
		uint64_t deadline_ = clock_monotonic_ns() + (timeout_ns); \
		int ret_ = 0;                                             \
		for (;;) {                                                \
			wait_prepare((wq), &we_);                         \
			if (cond)                                         \
				break;                                    \
			uint64_t now_ = clock_monotonic_ns();             \
			if (now_ >= deadline_) {                          \
				ret_ = -ETIMEDOUT;                        \
				break;                                    \
			}                                                 \
			sched_sleep_timeout(deadline_ - now_);            \
		}                                                         \
		wait_finish((wq), &we_);                                  \
		ret_;                                                     \
	})
