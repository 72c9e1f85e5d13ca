// SPDX-License-Identifier: MIT
/*
 * Wait queues: a task that must wait for an event queues a wait_entry
 * and marks itself sleeping before it re-checks the condition, so a
 * wake-up between the check and schedule() is never lost (the waker
 * just makes it runnable again). The scheduler side is in sched.c.
 */
#include <tern/arch.h>
#include <tern/sched.h>

void wait_queue_init(struct wait_queue *wq)
{
	spin_lock_init(&wq->lock);
	list_init(&wq->waiters);
}

void wait_prepare(struct wait_queue *wq, struct wait_entry *we)
{
	struct task *t = current_task();

	spin_lock(&wq->lock);
	if (!we->task) {
		we->task = t;
		list_insert_tail(&wq->waiters, &we->link);
	}
	t->state = TASK_SLEEPING;
	spin_unlock(&wq->lock);
}

void wait_finish(struct wait_queue *wq, struct wait_entry *we)
{
	struct task *t = current_task();

	spin_lock(&wq->lock);
	t->state = TASK_RUNNABLE;
	if (we->task)
		list_remove(&we->link);
	we->task = NULL;
	spin_unlock(&wq->lock);
}

void wait_queue_add(struct wait_queue *wq, struct wait_entry *we)
{
	assert(we->wake_fn);
	spin_lock(&wq->lock);
	list_insert_tail(&wq->waiters, &we->link);
	spin_unlock(&wq->lock);
}

void wait_queue_add_exclusive(struct wait_queue *wq, struct wait_entry *we)
{
	we->is_exclusive = true;
	wait_queue_add(wq, we);
}

bool wait_queue_has_waiters(struct wait_queue *wq)
{
	spin_lock(&wq->lock);
	bool has = !list_is_empty(&wq->waiters);
	spin_unlock(&wq->lock);
	return has;
}

void wait_queue_remove(struct wait_queue *wq, struct wait_entry *we)
{
	spin_lock(&wq->lock);
	list_remove(&we->link);
	spin_unlock(&wq->lock);
}

/*
 * ABI: like Linux's __wake_up_common with nr_exclusive 1 for the
 * exclusive entries, except that the other entries are woken wherever
 * they sit in the queue (Linux keeps them ahead of the exclusive ones).
 */
static void wake(struct wait_queue *wq, bool only_one)
{
	struct list_head *pos, *tmp;
	bool is_exclusive_taken = false;

	spin_lock(&wq->lock);
	list_for_each_safe(pos, tmp, &wq->waiters) {
		struct wait_entry *we = list_entry(pos, struct wait_entry, link);
		if (we->wake_fn) {
			if (!we->is_exclusive)
				we->wake_fn(we);
			else if (!is_exclusive_taken)
				is_exclusive_taken = we->wake_fn(we);
			continue;
		}
		/* Stays queued: the woken task dequeues itself in wait_finish. */
		bool was_sleeping = we->task->state == TASK_SLEEPING;
		task_wake(we->task);
		if (only_one && was_sleeping)
			break;
	}
	spin_unlock(&wq->lock);
}

void wake_up_all(struct wait_queue *wq)
{
	wake(wq, false);
}

void wake_up_one(struct wait_queue *wq)
{
	wake(wq, true);
}
