// SPDX-License-Identifier: MIT
/*
 * Sleeping mutexes (the kernel's side of base.h). Waiters queue in FIFO
 * order and unlock hands ownership straight to the oldest one, so a
 * releasing thread cannot barge back in ahead of a waiter.
 */
#include <tern/base.h>
#include <tern/sched.h>

struct mutex_waiter {
	struct task *task;
	struct list_head link;
};

void mutex_init(struct mutex *lock)
{
	spin_lock_init(&lock->guard);
	lock->owner = NULL;
	list_init(&lock->waiters);
}

void mutex_lock(struct mutex *lock)
{
	struct task *self = current_task();
	struct mutex_waiter w = {.task = self};

	spin_lock(&lock->guard);
	assert(lock->owner != self);
	if (!lock->owner) {
		lock->owner = self;
		spin_unlock(&lock->guard);
		return;
	}
	list_insert_tail(&lock->waiters, &w.link);
	while (READ_ONCE(lock->owner) != self) {
		self->state = TASK_SLEEPING;
		spin_unlock(&lock->guard);
		schedule();
		spin_lock(&lock->guard);
	}
	spin_unlock(&lock->guard);
}

void mutex_unlock(struct mutex *lock)
{
	struct task *next = NULL;

	spin_lock(&lock->guard);
	assert(lock->owner == current_task());
	if (list_is_empty(&lock->waiters)) {
		lock->owner = NULL;
	} else {
		struct mutex_waiter *w =
			list_first_entry(&lock->waiters, struct mutex_waiter, link);
		list_remove(&w->link);
		next = w->task;
		lock->owner = next;
	}
	/* Woken under the guard: the waiter's stack frame stays valid until then. */
	if (next)
		task_wake(next);
	spin_unlock(&lock->guard);
}

bool mutex_is_held(struct mutex *lock)
{
	return lock->owner == current_task();
}
