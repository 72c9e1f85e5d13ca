/* SPDX-License-Identifier: MIT */
/* Shared between the process files of kernel/ (proc, fork, exit, exec, signal). */
#pragma once

#include <asm-generic/siginfo.h>
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
/* Initializes the signal state a new thread inherits from the caller. */
void signal_fork_thread(struct task *child);
/* The cores of wait4 and waitid (exit.c). */
long proc_wait4(int pid, int *status, int options, struct rusage *ru);
long proc_waitid(int which, int id, siginfo_t *info, int options);

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
