/* SPDX-License-Identifier: MIT */
/* Shared between the process files of kernel/ (proc, fork, exit, exec, signal). */
#pragma once

#include <asm-generic/siginfo.h>
#include <linux/capability.h>
#include <linux/resource.h>
#include <tern/proc.h>
#include <tern/procfs.h>

int proc_alloc(struct proc **out) __must_check;
void proc_link_locked(struct proc *p, struct proc *parent, struct task *t);
struct list_head *proc_all_locked(void);
/* Wakes a vfork parent waiting on p; L held. */
void proc_vfork_release_locked(struct proc *p);
/* exec: makes the caller the only thread of its process; 0 or -EINTR. */
int proc_exec_single_thread(void) __must_check;
/* exec: dispositions of caught signals go back to SIG_DFL. */
void signal_exec_reset(struct proc *p);
/* Initializes the signal state a new thread inherits from the caller (clone flags). */
void signal_fork_thread(struct task *child, uint64_t clone_flags);
/*
 * Resource usage (rusage.c). A thread's CPU time includes its current
 * slice (interrupts off or L held); the process's adds its exited threads.
 */
uint64_t task_cputime_ns(const struct task *t, uint64_t now_ns);
uint64_t proc_cputime_locked(const struct proc *p);
uint64_t proc_cputime_ns(struct proc *p);
uint64_t thread_cputime_ns(void);
/* Adds an exiting thread's usage to its process; L held. */
void usage_thread_exit_locked(struct proc *p, const struct task *t);
/* Exit and exec: p leaves as, whose peak resident set p keeps. L not held. */
void usage_leave_aspace(struct proc *p, struct aspace *as);
/* What wait4 reports for a zombie: its own usage and its reaped children's; L held. */
void usage_of_zombie_locked(const struct proc *c, struct usage *out);
/* Reaping: the parent's RUSAGE_CHILDREN gains c's; L held. */
void usage_reap_locked(struct proc *parent, const struct proc *c);
/* getrusage's who (RUSAGE_SELF, _CHILDREN, _THREAD) for the caller; 0 or -EINVAL. */
int usage_get(int who, struct usage *u) __must_check;
void usage_to_rusage(const struct usage *u, struct rusage *ru);
/* The cores of wait4 and waitid (exit.c). */
long proc_wait4(int pid, int *status, int options, struct rusage *ru);
long proc_waitid(int which, int id, siginfo_t *info, int options, struct rusage *ru);

/* The two halves of the kernel's procfs provider (procfs_proc.c, procfs_sys.c). */
void procfs_proc_self(int *pid, int *tid);
int procfs_proc_list(enum procfs_list what, int pid, int tid, int after, int *out, int max);
int procfs_proc_owner(int pid, int tid, struct procfs_owner *out);
bool procfs_proc_has_fd(int pid, int tid, int fd);
int procfs_proc_get_link(enum procfs_link what, int pid, int tid, int fd, char *buf, size_t size,
			 size_t *len);
/* The per-process files (PROCFS_PID_*). */
int procfs_proc_show(enum procfs_file what, int pid, int tid, int fd, struct procfs_buf *b);
/* /proc/[pid]/comm: a thread group renames itself. */
int procfs_proc_store_comm(int pid, int tid, const char *data, size_t len);
/*
 * The mount table as a process with root `root` sees it (/proc/[pid]/mounts);
 * vfs->lock held.
 */
void procfs_show_mounts_locked(const struct path *root, struct procfs_buf *b);

/*
 * Credential rules (cred.c). A change of the ids: kind says which (a uid
 * of the setuid family, the fsuid, or anything else); capabilities follow
 * and a process whose effective or fs ids changed stops being dumpable.
 * L held.
 */
enum cred_change { CRED_UID, CRED_FSUID, CRED_OTHER };
#define CAP_FULL_SET ((1ULL << (CAP_LAST_CAP + 1)) - 1) /* every capability Linux defines */
void cred_init_root(struct cred *c);
void cred_changed_locked(struct proc *p, const struct cred *old, enum cred_change kind);
/* exec: the capabilities a program without file capabilities gets; L held. */
void cred_exec_locked(struct proc *p);
