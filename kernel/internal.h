/* SPDX-License-Identifier: MIT */
/* Shared between the process files of kernel/ (proc, fork, exit, exec, signal). */
#pragma once

#include <asm-generic/siginfo.h>
#include <linux/resource.h>
#include <tern/proc.h>

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
