/* SPDX-License-Identifier: MIT */
/*
 * Processes (kernel/proc.c, kernel/fork.c, kernel/exit.c): a process is
 * a thread group, Linux's unit of pid, parent, credentials, resource
 * limits, signal dispositions and exit status. Its threads are tasks
 * (sched.h) that share its address space. A process outlives its
 * threads as a zombie until its parent reaps it with wait4/waitid.
 *
 * Locks: L = proc_lock (a spinlock: signals are sent from interrupts),
 * guarding the process tree, pid lookup, and every signal field here and
 * in struct task. I = immutable after creation; s = only the process's
 * own threads touch it.
 */
#pragma once

#include <asm/signal.h>
#include <linux/resource.h>
#include <tern/base.h>
#include <tern/list.h>
#include <tern/ptimer.h>
#include <tern/sched.h>

#define PID_MAX 32768 /* Linux's default /proc/sys/kernel/pid_max */
#define NGROUPS_MAX_TERN 64
#define NSIG_TERN 64 /* signals 1..64, bit (sig - 1) of a sigset */

struct aspace;
struct tty;
struct file;

struct cred {
	uint32_t uid, euid, suid, fsuid;
	uint32_t gid, egid, sgid, fsgid;
	uint32_t ngroups;
	uint32_t groups[NGROUPS_MAX_TERN];
	/* Capability sets, bit CAP_* (kernel/cred.c says how they follow the ids). */
	uint64_t cap_effective, cap_permitted, cap_inheritable;
	bool keep_caps; /* PR_SET_KEEPCAPS: leaving root keeps cap_permitted */
};

/* Does c hold capability cap (CAP_*) in effect? */
static inline bool proc_cred_has_cap(const struct cred *c, int cap)
{
	return (c->cap_effective >> cap) & 1;
}

/* What a signal does, as rt_sigaction(2) sets it (struct kernel_sigaction). */
struct sigaction_k {
	uint64_t handler; /* SIG_DFL (0), SIG_IGN (1) or a user address */
	uint64_t flags;	  /* SA_* */
	uint64_t restorer;
	uint64_t mask;
};

/* Resource usage of threads or processes (getrusage, times, wait4). */
struct usage {
	uint64_t cpu_ns;       /* CPU time; Tern counts all of it as user time */
	uint64_t min_flt;      /* page faults served without I/O */
	uint64_t maxrss_pages; /* the largest resident set */
};

/* A queued signal and the siginfo it carries (struct siginfo's fields). */
struct sigqueue_entry {
	struct list_head link;
	int signo;
	int code;
	int errno_;
	int pid;
	uint32_t uid;
	int status;	 /* a child exit or stop: si_status */
	bool from_child; /* the parent hears of a child (its exit signal) */
	uint64_t value;	 /* sigqueue's sival, or si_addr for faults */
	uint64_t utime;	 /* SIGCHLD, clock ticks */
	uint64_t stime;
	struct ptimer *timer; /* L: the POSIX timer that sent it, while it exists */
	bool charged;	      /* counted against charged_uid's RLIMIT_SIGPENDING */
	uint32_t charged_uid;
};

struct sigpending_set {
	uint64_t set;		/* L: pending signals, bit sig - 1 */
	struct list_head queue; /* L: struct sigqueue_entry, in arrival order */
};

enum proc_state {
	PROC_LIVE,
	PROC_ZOMBIE, /* every thread has exited; waiting for the parent */
	PROC_DEAD,   /* reaped; freed once the last reference goes */
};

struct proc {
	int pid;		   /* I: also the leader thread's tid */
	int pgid, sid;		   /* L */
	enum proc_state state;	   /* L */
	struct proc *parent;	   /* L: init for orphans */
	struct list_head children; /* L: struct proc.sibling */
	struct list_head sibling;  /* L */
	struct list_head all_link; /* L: every process */
	struct list_head threads;  /* L: struct task.thread_link */
	int nr_threads;		   /* L */
	int refcount;		   /* L: the tree, plus short-term lookups */
	/* s: shared with threads (and vfork children); L too, for /proc to read it */
	struct aspace *as;
	struct file *exe_file;		  /* L: the program exec ran (referenced), or NULL */
	struct cred cred;		  /* L */
	struct rlimit rlim[RLIM_NLIMITS]; /* L */
	uint32_t umask;			  /* s */
	char comm[16];			  /* L: prctl(PR_SET_NAME), exec's file name */
	int exit_signal;		  /* L: sent to the parent at exit (SIGCHLD), 0 = none */
	int pdeath_signal;		  /* L: prctl(PR_SET_PDEATHSIG) */
	int exit_status;		  /* L: wait status once exiting/zombie */
	bool group_exiting;		  /* L: exit_group or a fatal signal: threads are leaving */
	bool did_exec;			  /* L: setpgid from the parent is EACCES after exec */
	bool child_subreaper; /* L: prctl(PR_SET_CHILD_SUBREAPER): adopts orphaned descendants */
	bool dumpable;	      /* L: PR_GET_DUMPABLE; cleared when the ids change */
	bool no_new_privs;    /* L: PR_SET_NO_NEW_PRIVS: set once, kept over fork and exec */
	uint32_t personality; /* L: personality(2), recorded only */
	/* Job control: a stop or continue the parent has not yet collected. */
	bool stopped;		      /* L: stopped by SIGSTOP and friends */
	int stop_report;	      /* L: 0, or CLD_STOPPED / CLD_CONTINUED not yet waited for */
	int stop_signal;	      /* L: the signal that stopped it */
	struct wait_queue child_wait; /* wait4 sleepers: a child changed state */
	struct wait_queue stop_wait;  /* stopped threads wait here for SIGCONT */
	struct sigaction_k actions[NSIG_TERN]; /* L */
	struct sigpending_set shared_pending;  /* L: signals sent to the process */
	/* getrusage: exited threads and address spaces left by exec, and reaped children. */
	struct usage exited;	       /* L */
	struct usage reaped;	       /* L: RUSAGE_CHILDREN */
	uint64_t start_ns;	       /* I: monotonic time of creation */
	struct ptimer itimers[3];      /* L: ITIMER_REAL, _VIRTUAL, _PROF (setitimer, alarm) */
	struct list_head timers;       /* L: timer_create's struct ptimer.link */
	int next_timer_id;	       /* L */
	struct wait_queue *vfork_done; /* L: woken when a vfork child execs or exits */
	struct tty *tty;	       /* L: controlling terminal, NULL if none */
};

/* Turns the calling kernel thread into pid 1's only thread. */
int proc_init_first(void) __must_check;
struct proc *current_proc(void);
static inline struct cred *current_cred(void)
{
	return &current_proc()->cred;
}

extern struct spinlock proc_lock;

/* Looks up live tasks and processes by id; L held. */
struct task *proc_find_task_locked(int tid);
struct proc *proc_find_locked(int pid);
/* A new pid/tid, or -EAGAIN when all are taken; L held. */
int pid_alloc_locked(void);
void pid_free_locked(int id);
/* Records which thread / process uses an allocated id (NULL to clear). */
void pid_set_task_locked(int id, struct task *t);
void pid_set_proc_locked(int id, struct proc *p);

/*
 * Process groups and sessions (kernel/pgrp.c); L held. exists: a member
 * of pgid (in session sid if sid > 0); session: the group's sid or -ESRCH;
 * orphaned: no member has a parent in another group of its session
 * (init does not count);
 * signal: sig from the kernel (SI_KERNEL) to every live member.
 */
bool proc_pgrp_exists_locked(int pgid, int sid);
int proc_pgrp_session_locked(int pgid);
bool proc_pgrp_is_orphaned_locked(int pgid);
/*
 * Linux's kill_orphaned_pgrp, on exit: old_parent NULL when p itself is
 * exiting (still live, its children already re-parented), else the exiting
 * parent of p, which has just moved to its reaper. If that orphans p's
 * group and a member is stopped, the group gets SIGHUP then SIGCONT. L held.
 */
void proc_pgrp_orphan_check_locked(struct proc *p, struct proc *old_parent);
void proc_signal_pgrp_locked(int pgid, int sig);
/* Every process whose controlling terminal is tty loses it; L held. */
void proc_forget_tty_locked(const struct tty *tty);

/* Drops a reference taken under L; the last frees the process. */
void proc_put(struct proc *p);

/*
 * clone(2)'s core: flags (CLONE_*), the child's stack (0 = share the
 * parent's), TLS and the tid pointers. Returns the child's tid or -errno.
 */
struct clone_args_k {
	uint64_t flags;
	uint64_t stack;
	uint64_t tls;
	uint64_t parent_tid;
	uint64_t child_tid;
	int exit_signal;
};
long proc_clone(const struct clone_args_k *args);

/* Ends the calling thread; with group, the whole process. status is a wait status. */
__noreturn void proc_exit_thread(int status, bool group);
/* Releases a thread that has exited; called by the scheduler once it is switched out. */
void proc_task_release(struct task *t);

/* Wait statuses, as wait(2) encodes them. */
static inline int wait_status_exited(int code)
{
	return (code & 0xff) << 8;
}

static inline int wait_status_signaled(int sig, bool core)
{
	return (sig & 0x7f) | (core ? 0x80 : 0);
}
