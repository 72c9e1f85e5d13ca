// SPDX-License-Identifier: MIT
/*
 * fork, vfork, clone and clone3: a new thread in the caller's process
 * (CLONE_THREAD) or a new process whose address space is shared
 * (CLONE_VM) or copied copy-on-write.
 */
#include <linux/sched.h>
#include <tern/arch.h>
#include <tern/aspace.h>
#include <tern/base.h>
#include <tern/errno.h>
#include <tern/files.h>
#include <tern/proc.h>
#include <tern/string.h>
#include <tern/uvm.h>

#include "internal.h"

#define CLONE_SUPPORTED                                                                 \
	(CSIGNAL | CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_PTRACE |   \
	 CLONE_VFORK | CLONE_PARENT | CLONE_THREAD | CLONE_SYSVSEM | CLONE_SETTLS |     \
	 CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | CLONE_DETACHED | CLONE_UNTRACED | \
	 CLONE_CHILD_SETTID | CLONE_IO)

static int user_thread_start(void *arg)
{
	(void)arg;
	arch_return_to_user();
}

static int check_flags(uint64_t flags)
{
	if (flags & ~(uint64_t)CLONE_SUPPORTED)
		return -EINVAL; /* namespaces, pidfds, cgroups: not supported */
	if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND))
		return -EINVAL;
	if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
		return -EINVAL;
	if ((flags & CLONE_FS) && (flags & CLONE_NEWNS))
		return -EINVAL;
	return 0;
}

/* A new process for child: the caller's state, copied or shared as flags say. */
static int new_proc(const struct clone_args_k *a, struct task *child, struct proc **out)
{
	struct proc *self = current_proc();
	struct proc *p;
	int err = proc_alloc(&p);

	if (err)
		return err;
	if (a->flags & CLONE_VM) {
		aspace_get(self->as);
		p->as = self->as;
	} else {
		err = aspace_fork(self->as, &p->as);
		if (err) {
			kfree(p);
			return err;
		}
	}
	child->uvm = aspace_uvm(p->as);
	spin_lock(&proc_lock);
	p->cred = self->cred;
	memcpy(p->rlim, self->rlim, sizeof(p->rlim));
	memcpy(p->actions, self->actions, sizeof(p->actions));
	p->pgid = self->pgid;
	p->sid = self->sid;
	p->tty = self->tty;
	spin_unlock(&proc_lock);
	p->umask = self->umask;
	memcpy(p->comm, self->comm, sizeof(p->comm));
	p->exit_signal = a->exit_signal;
	*out = p;
	return 0;
}

long proc_clone(const struct clone_args_k *a)
{
	struct task *self = current_task();
	struct proc *p = self->proc;
	struct proc *np = NULL;
	struct task *child;
	struct wait_queue vfork_wait;
	int err = check_flags(a->flags);

	if (err)
		return err;
	if (a->exit_signal < 0 || a->exit_signal > NSIG_TERN)
		return -EINVAL;
	err = task_alloc(self->name, user_thread_start, NULL, &child);
	if (err)
		return err;
	child->autoreap = true;
	err = arch_fork_thread(child, a->stack, a->flags & CLONE_SETTLS, a->tls);
	if (!err && a->flags & CLONE_THREAD) {
		aspace_get(p->as);
		child->uvm = self->uvm;
	} else if (!err) {
		err = new_proc(a, child, &np);
	}
	if (err) {
		task_discard(child);
		return err;
	}
	signal_fork_thread(child);
	int tid = child->id;
	if (a->flags & CLONE_CHILD_CLEARTID)
		child->clear_child_tid = a->child_tid;
	if (a->flags & CLONE_CHILD_SETTID) {
		/* In the child's memory, which is not the caller's unless CLONE_VM. */
		err = aspace_write(np ? np->as : p->as, a->child_tid, &tid, sizeof(tid));
		if (err == -EACCES)
			err = -EFAULT;
	}
	if (!err && (a->flags & CLONE_PARENT_SETTID))
		err = copy_to_user((void *)a->parent_tid, &tid, sizeof(tid));
	if (!err)
		err = files_clone(child, a->flags);
	if (err) {
		if (np) {
			aspace_put(np->as);
			kfree(np);
		} else {
			aspace_put(p->as);
		}
		task_discard(child);
		return err;
	}

	spin_lock(&proc_lock);
	if (np) {
		struct proc *parent = (a->flags & CLONE_PARENT) && p->parent ? p->parent : p;
		np->exe_file = p->exe_file;
		if (np->exe_file)
			file_get(np->exe_file);
		proc_link_locked(np, parent, child);
		if (a->flags & CLONE_VFORK) {
			wait_queue_init(&vfork_wait);
			np->vfork_done = &vfork_wait;
		}
	} else {
		list_insert_tail(&p->threads, &child->thread_link);
		p->nr_threads++;
		child->proc = p;
		pid_set_task_locked(child->id, child);
	}
	spin_unlock(&proc_lock);
	task_start(child);
	if (np && (a->flags & CLONE_VFORK))
		wait_event(&vfork_wait, READ_ONCE(np->vfork_done) == NULL);
	return tid;
}

void proc_vfork_release_locked(struct proc *p)
{
	if (p->vfork_done) {
		struct wait_queue *wq = p->vfork_done;
		p->vfork_done = NULL;
		wake_up_all(wq);
	}
}
