// SPDX-License-Identifier: MIT
/*
 * Spinlocks for one CPU: taking one disables interrupts (saving the
 * previous state in the lock) so nothing else can run until it is
 * released. Taking a lock that is already held can only be a recursion
 * bug here, so it panics instead of spinning forever.
 */
#include <arch/x86.h>
#include <tern/base.h>
#include <tern/sched.h>

void spin_lock_init(struct spinlock *lock)
{
	lock->locked = 0;
	lock->saved_flags = 0;
	lock->holder = NULL;
}

void spin_lock(struct spinlock *lock)
{
	uint64_t flags = irq_save();

	if (lock->locked)
		panic("spinlock %p taken twice (held by %s)\n", (void *)lock,
		      lock->holder ? lock->holder->name : "?");
	lock->locked = 1;
	lock->saved_flags = flags;
	lock->holder = current_task();
}

void spin_unlock(struct spinlock *lock)
{
	uint64_t flags = lock->saved_flags;

	assert(lock->locked);
	lock->locked = 0;
	lock->holder = NULL;
	irq_restore(flags);
}

bool spin_is_held(struct spinlock *lock)
{
	return lock->locked && !irqs_enabled();
}
