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
	lock->owner = 0;
	list_init(&lock->waiters);
}

static bool try_swap(uintptr_t *word, uintptr_t old, uintptr_t new)
{
	return __atomic_compare_exchange_n(word, &old, new, false, __ATOMIC_ACQUIRE,
					   __ATOMIC_RELAXED);
}

void mutex_lock(struct mutex *lock)
{
	struct task *self = current_task();
	uintptr_t me = (uintptr_t)self;
	struct mutex_waiter w = {.task = self};

	if (try_swap(&lock->owner, 0, me))
		return;
	spin_lock(&lock->guard);
	assert((lock->owner & ~MUTEX_HAS_WAITERS) != me);
	for (;;) {
		uintptr_t v = READ_ONCE(lock->owner);
		if (v == 0 && try_swap(&lock->owner, 0, me)) {
			spin_unlock(&lock->guard);
			return;
		}
		/* Mark the holder's word so its unlock hands the mutex on. */
		if (v != 0 && try_swap(&lock->owner, v, v | MUTEX_HAS_WAITERS))
			break;
	}
	list_insert_tail(&lock->waiters, &w.link);
	while ((READ_ONCE(lock->owner) & ~MUTEX_HAS_WAITERS) != me) {
		self->state = TASK_SLEEPING;
		spin_unlock(&lock->guard);
		schedule();
		spin_lock(&lock->guard);
	}
	spin_unlock(&lock->guard);
}

void mutex_unlock(struct mutex *lock)
{
	uintptr_t me = (uintptr_t)current_task();

	if (try_swap(&lock->owner, me, 0))
		return;
	spin_lock(&lock->guard);
	assert((lock->owner & ~MUTEX_HAS_WAITERS) == me);
	struct mutex_waiter *w = list_first_entry(&lock->waiters, struct mutex_waiter, link);
	list_remove(&w->link);
	/* Handed straight to the oldest waiter, still marked if others wait. */
	__atomic_store_n(&lock->owner,
			 (uintptr_t)w->task |
				 (list_is_empty(&lock->waiters) ? 0 : MUTEX_HAS_WAITERS),
			 __ATOMIC_RELEASE);
	/* Woken under the guard: the waiter's stack frame stays valid until then. */
	task_wake(w->task);
	spin_unlock(&lock->guard);
}

bool mutex_is_held(struct mutex *lock)
{
	return (READ_ONCE(lock->owner) & ~MUTEX_HAS_WAITERS) == (uintptr_t)current_task();
}
