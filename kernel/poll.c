// SPDX-License-Identifier: MIT
/*
 * The sleeper behind poll and select (<tern/poll.h>): a poll table that
 * queues an entry on every wait queue a file's poll op names; a wake-up
 * on any of them marks the sleeper triggered and wakes its task, so one
 * that comes between a scan and the sleep is never lost. The syscalls
 * are sys_poll.c; epoll has its own callbacks (epoll.c).
 */
#include <tern/arch.h>
#include <tern/poll.h>
#include <tern/signal.h>

#define BLOCK_ENTRIES 32

struct poll_entry_block {
	struct poll_entry_block *next;
	uint32_t nr; /* entries used */
	struct poll_entry entries[BLOCK_ENTRIES];
};

/* Runs under the wait queue's lock with interrupts off. */
static bool poll_entry_wake(struct wait_entry *we)
{
	struct poll_entry *e = container_of(we, struct poll_entry, we);

	e->ps->is_triggered = true;
	task_wake(e->ps->task);
	return true;
}

static struct poll_entry *entry_alloc(struct poll_sleeper *ps)
{
	struct poll_entry_block *b = ps->blocks;

	if (ps->nr_inline < POLL_INLINE_ENTRIES)
		return &ps->inline_entries[ps->nr_inline++];
	if (!b || b->nr == BLOCK_ENTRIES) {
		b = kmalloc(sizeof(*b));
		if (!b)
			return NULL;
		b->nr = 0;
		b->next = ps->blocks;
		ps->blocks = b;
	}
	return &b->entries[b->nr++];
}

static void poll_sleeper_queue(struct poll_table *pt, struct file *file, struct wait_queue *wq)
{
	struct poll_sleeper *ps = container_of(pt, struct poll_sleeper, pt);
	struct poll_entry *e = entry_alloc(ps);

	if (!e) {
		ps->error = -ENOMEM;
		return;
	}
	*e = (struct poll_entry){.wq = wq, .file = file, .ps = ps};
	e->we.task = ps->task;
	e->we.wake_fn = poll_entry_wake;
	file_get(file);
	wait_queue_add(wq, &e->we);
}

void poll_sleeper_init(struct poll_sleeper *ps)
{
	ps->pt.queue = poll_sleeper_queue;
	ps->task = current_task();
	ps->is_triggered = false;
	ps->error = 0;
	ps->nr_inline = 0;
	ps->blocks = NULL;
}

static void entry_free(struct poll_entry *e)
{
	wait_queue_remove(e->wq, &e->we);
	file_put(e->file);
}

void poll_sleeper_fini(struct poll_sleeper *ps)
{
	for (uint32_t i = 0; i < ps->nr_inline; i++)
		entry_free(&ps->inline_entries[i]);
	while (ps->blocks) {
		struct poll_entry_block *b = ps->blocks;
		for (uint32_t i = 0; i < b->nr; i++)
			entry_free(&b->entries[i]);
		ps->blocks = b->next;
		kfree(b);
	}
	ps->nr_inline = 0;
}

/* sched_sleep_timeout takes a relative time; very long sleeps go in pieces. */
#define SLEEP_CHUNK_NS (1ULL << 62)

void poll_sleeper_sleep(struct poll_sleeper *ps, uint64_t deadline_ns)
{
	struct task *t = current_task();
	uint64_t flags = arch_irq_save();
	uint64_t now = clock_monotonic_ns();

	if (!ps->is_triggered && !signal_pending_current() && (!deadline_ns || now < deadline_ns)) {
		t->state = TASK_SLEEPING;
		sched_sleep_timeout(deadline_ns ? MIN(deadline_ns - now, SLEEP_CHUNK_NS) : 0);
		t->state = TASK_RUNNABLE;
	}
	ps->is_triggered = false;
	arch_irq_restore(flags);
}

int poll_sigmask_begin(const void *umask, size_t size)
{
	struct task *t = current_task();
	uint64_t mask;

	if (!umask)
		return 0;
	if (size != sizeof(mask))
		return -EINVAL;
	if (copy_from_user(&mask, umask, sizeof(mask)) != 0)
		return -EFAULT;
	t->sig_saved_mask = t->sig_blocked;
	t->sig_restore_mask = true;
	signal_set_blocked(mask);
	return 0;
}

void poll_sigmask_end(bool is_interrupted)
{
	struct task *t = current_task();

	if (!is_interrupted && t->sig_restore_mask) {
		t->sig_restore_mask = false;
		signal_set_blocked(t->sig_saved_mask);
	}
}

int wait_dropping_mutex(struct wait_queue *wq, struct wait_entry *we, struct mutex *lock)
{
	wait_prepare(wq, we);
	if (signal_pending_current())
		return -ERESTARTSYS;
	mutex_unlock(lock);
	schedule();
	mutex_lock(lock);
	return 0;
}
