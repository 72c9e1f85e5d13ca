// SPDX-License-Identifier: MIT
/*
 * The process tree: the first process, lookups, references, and the
 * process-wide state fork copies (credentials, limits, dispositions).
 */
#include <linux/resource.h>
#include <tern/arch.h>
#include <tern/aspace.h>
#include <tern/base.h>
#include <tern/errno.h>
#include <tern/files.h>
#include <tern/proc.h>
#include <tern/string.h>
#include <tern/time.h>

#include "internal.h"

static struct list_head all_procs = LIST_HEAD_INIT(all_procs); /* L */

struct proc *current_proc(void)
{
	return current_task()->proc;
}

struct list_head *proc_all_locked(void)
{
	return &all_procs;
}

static void default_rlimits(struct rlimit *rlim)
{
	for (int i = 0; i < RLIM_NLIMITS; i++)
		rlim[i] = (struct rlimit){RLIM_INFINITY, RLIM_INFINITY};
	rlim[RLIMIT_STACK].rlim_cur = 8 * 1024 * 1024;
	rlim[RLIMIT_CORE].rlim_cur = 0;
	rlim[RLIMIT_NOFILE] = (struct rlimit){1024, 4096}; /* Linux's INR_OPEN_CUR, INR_OPEN_MAX */
	rlim[RLIMIT_NPROC] = (struct rlimit){PID_MAX / 2, PID_MAX / 2};
	rlim[RLIMIT_SIGPENDING] = (struct rlimit){PID_MAX / 2, PID_MAX / 2};
	rlim[RLIMIT_MEMLOCK] = (struct rlimit){8 * 1024 * 1024, 8 * 1024 * 1024};
	rlim[RLIMIT_MSGQUEUE] = (struct rlimit){819200, 819200};
	rlim[RLIMIT_NICE] = (struct rlimit){0, 0};
	rlim[RLIMIT_RTPRIO] = (struct rlimit){0, 0};
}

int proc_alloc(struct proc **out)
{
	struct proc *p = kzalloc(sizeof(*p));

	if (!p)
		return -ENOMEM;
	list_init(&p->children);
	list_init(&p->sibling);
	list_init(&p->all_link);
	list_init(&p->threads);
	list_init(&p->shared_pending.queue);
	list_init(&p->timers);
	wait_queue_init(&p->child_wait);
	wait_queue_init(&p->stop_wait);
	p->refcount = 1;
	p->start_ns = clock_monotonic_ns();
	*out = p;
	return 0;
}

/* Links a new process and its first thread into the tree; L held. */
void proc_link_locked(struct proc *p, struct proc *parent, struct task *t)
{
	p->pid = t->id;
	p->parent = parent;
	if (parent)
		list_insert_tail(&parent->children, &p->sibling);
	list_insert_tail(&all_procs, &p->all_link);
	list_insert_tail(&p->threads, &t->thread_link);
	p->nr_threads = 1;
	t->proc = p;
	pid_set_proc_locked(p->pid, p);
	pid_set_task_locked(t->id, t);
}

int proc_init_first(void)
{
	struct task *t = current_task();
	struct proc *p;
	int err = proc_alloc(&p);

	if (err)
		return err;
	default_rlimits(p->rlim);
	cred_init_root(&p->cred);
	p->dumpable = true;
	p->umask = 022;
	p->exit_signal = 0;
	p->pgid = p->sid = 0; /* as Linux's init: session 0, group 0, until it calls setsid */
	strlcpy(p->comm, t->name, sizeof(p->comm));
	spin_lock(&proc_lock);
	proc_link_locked(p, NULL, t);
	spin_unlock(&proc_lock);
	return root_vfs ? files_init_first(t) : 0;
}

void proc_put(struct proc *p)
{
	spin_lock(&proc_lock);
	bool last = --p->refcount == 0;
	spin_unlock(&proc_lock);
	if (!last)
		return;
	assert(!p->as && p->state == PROC_DEAD);
	kfree(p);
}
