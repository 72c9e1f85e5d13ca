// SPDX-License-Identifier: MIT
/*
 * Kernel threads and the scheduler: a FIFO run queue served round-robin
 * with a fixed time slice, preemption from the timer interrupt, and a
 * sorted list of timed sleepers that drives the one-shot timer (no
 * periodic tick). One CPU: scheduler state (Q) is protected by turning
 * interrupts off. Context switching is arch_switch (arch/x86_64/switch.S);
 * wait queues are in wait.c.
 *
 * Lock order: a wait queue's lock (w) may be held while taking Q; never
 * the reverse.
 */
#include <tern/arch.h>
#include <tern/base.h>
#include <tern/errno.h>
#include <tern/sched.h>
#include <tern/string.h>

static struct task boot_task;	    /* the boot thread, later the idle loop */
static struct task *current;	    /* Q */
static struct list_head run_queue;  /* Q: struct task.run_link */
static struct list_head timer_list; /* Q: struct task.timer_link, by deadline */
static struct list_head all_tasks;  /* Q: struct task.all_link */
static struct list_head ktimers;    /* Q: struct ktimer.link, by deadline */
static bool need_resched;	    /* Q */
static uint64_t timer_armed_ns;	    /* Q: the deadline the timer is set for; 0 = none */
static int nr_tasks;		    /* Q */
static struct task *reap_next;	    /* Q: a dead autoreap task to free after switching away */

extern char boot_stack_bottom[], boot_stack_top[];

struct task *current_task(void)
{
	return current;
}

void sched_init(void)
{
	list_init(&run_queue);
	list_init(&timer_list);
	list_init(&all_tasks);
	list_init(&ktimers);
	boot_task.id = 0;
	strlcpy(boot_task.name, "idle", sizeof(boot_task.name));
	boot_task.state = TASK_RUNNABLE;
	boot_task.stack.base = (uintptr_t)boot_stack_bottom;
	boot_task.stack.top = (uintptr_t)boot_stack_top;
	boot_task.stack.slot = -1;
	list_init(&boot_task.run_link);
	list_init(&boot_task.timer_link);
	wait_queue_init(&boot_task.exit_wait);
	list_insert_tail(&all_tasks, &boot_task.all_link);
	current = &boot_task;
}

static bool is_idle(const struct task *t)
{
	return t == &boot_task;
}

static void enqueue(struct task *t)
{
	if (!is_idle(t) && !t->on_rq) {
		list_insert_tail(&run_queue, &t->run_link);
		t->on_rq = true;
	}
}

static void timer_list_insert(struct task *t)
{
	struct list_head *pos;

	list_for_each(pos, &timer_list) {
		struct task *other = list_entry(pos, struct task, timer_link);
		if (other->wake_at_ns > t->wake_at_ns)
			break;
	}
	list_insert_between(&t->timer_link, pos->prev, pos);
}

/*
 * Arms the timer for the nearest of the first sleeper, the first ktimer
 * and the slice end. Programming the timer is slow (an MMIO write, an
 * exit under virtualisation) and would happen on every wake-up and
 * switch, so the timer only ever moves earlier here: one set for a later
 * time than needed fires early, and sched_timer_tick arms it again.
 */
static void rearm_timer(void)
{
	uint64_t deadline = 0;

	if (!list_is_empty(&timer_list))
		deadline = list_first_entry(&timer_list, struct task, timer_link)->wake_at_ns;
	if (!list_is_empty(&ktimers)) {
		uint64_t t = list_first_entry(&ktimers, struct ktimer, link)->deadline_ns;
		if (!deadline || t < deadline)
			deadline = t;
	}
	if (!list_is_empty(&run_queue)) {
		uint64_t slice_end = current->slice_start_ns + SCHED_SLICE_NS;
		if (!deadline || slice_end < deadline)
			deadline = slice_end;
	}
	if (deadline && (!timer_armed_ns || deadline < timer_armed_ns)) {
		timer_armed_ns = deadline;
		arch_timer_arm(deadline);
	}
}

void task_wake(struct task *t)
{
	uint64_t flags = arch_irq_save();

	if (t->state == TASK_SLEEPING) {
		t->state = TASK_RUNNABLE;
		if (t != current) {
			enqueue(t);
			if (is_idle(current))
				need_resched = true;
		}
		rearm_timer();
	}
	arch_irq_restore(flags);
}

static void task_free(struct task *t)
{
	kstack_free(&t->stack);
	kfree(t->fpu_state);
	kfree(t);
}

/* Runs in whichever task the CPU switched to: frees a dead autoreap task. */
static void finish_switch(void)
{
	struct task *t = reap_next;

	if (t) {
		reap_next = NULL;
		list_remove(&t->all_link);
		nr_tasks--;
		task_free(t);
	}
}

static struct task *pick_next(void)
{
	if (list_is_empty(&run_queue))
		return &boot_task;
	struct task *next = list_first_entry(&run_queue, struct task, run_link);
	list_remove(&next->run_link);
	next->on_rq = false;
	return next;
}

/*
 * Gives the CPU to the next runnable task. The caller stays queued if it
 * is still runnable (a yield) and leaves the queue if it set itself
 * sleeping or dead before calling. A preempted task always stays queued,
 * even one caught between marking itself sleeping and re-checking its
 * wait condition: otherwise a wake-up that came earlier would be lost.
 */
static void do_schedule(bool is_preemption)
{
	uint64_t flags = arch_irq_save();
	struct task *prev = current;
	uint64_t now = clock_monotonic_ns();

	need_resched = false;
	if (prev->state == TASK_RUNNABLE || (is_preemption && prev->state != TASK_DEAD))
		enqueue(prev);
	struct task *next = pick_next();
	prev->runtime_ns += now - prev->slice_start_ns;
	next->slice_start_ns = now;
	if (next != prev) {
		next->nr_switches++;
		current = next;
		rearm_timer();
		if (prev->state == TASK_DEAD && prev->autoreap)
			reap_next = prev;
		arch_switch(prev, next);
		finish_switch();
	} else {
		rearm_timer();
	}
	arch_irq_restore(flags);
}

void schedule(void)
{
	do_schedule(false);
}

void sched_yield_cpu(void)
{
	schedule();
}

void sched_timer_tick(void)
{
	uint64_t now = clock_monotonic_ns();

	timer_armed_ns = 0; /* it fired */

	while (!list_is_empty(&timer_list)) {
		struct task *t = list_first_entry(&timer_list, struct task, timer_link);
		if (t->wake_at_ns > now)
			break;
		list_remove(&t->timer_link);
		t->timed_out = true;
		task_wake(t);
	}
	while (!list_is_empty(&ktimers)) {
		struct ktimer *k = list_first_entry(&ktimers, struct ktimer, link);
		if (k->deadline_ns > now)
			break;
		list_remove(&k->link);
		k->armed = false;
		k->fn(k);
	}
	if (!list_is_empty(&run_queue) &&
	    (is_idle(current) || now - current->slice_start_ns >= SCHED_SLICE_NS))
		need_resched = true;
	rearm_timer();
}

void ktimer_arm(struct ktimer *k, uint64_t deadline_ns)
{
	uint64_t flags = arch_irq_save();
	struct list_head *pos;

	if (k->armed)
		list_remove(&k->link);
	k->deadline_ns = deadline_ns;
	k->armed = true;
	list_for_each(pos, &ktimers) {
		if (list_entry(pos, struct ktimer, link)->deadline_ns > deadline_ns)
			break;
	}
	list_insert_between(&k->link, pos->prev, pos);
	rearm_timer();
	arch_irq_restore(flags);
}

void ktimer_cancel(struct ktimer *k)
{
	uint64_t flags = arch_irq_save();

	if (k->armed) {
		list_remove(&k->link);
		k->armed = false;
	}
	arch_irq_restore(flags);
}

void sched_preempt_point(void)
{
	if (need_resched)
		do_schedule(true);
}

/*
 * Sleeps until woken or until timeout_ns (0 = no limit) has passed; true
 * if the deadline passed. The caller has already marked itself
 * TASK_SLEEPING (wait_prepare does, and sleep_ns). If a wake-up made it
 * runnable again since then, for instance while it re-checked its wait
 * condition, this returns false at once: setting TASK_SLEEPING here would
 * sleep through that wake-up.
 */
bool sched_sleep_timeout(uint64_t timeout_ns)
{
	uint64_t flags = arch_irq_save();
	struct task *t = current;

	t->timed_out = false;
	if (t->state != TASK_SLEEPING) {
		arch_irq_restore(flags);
		return false;
	}
	if (timeout_ns) {
		t->wake_at_ns = clock_monotonic_ns() + timeout_ns;
		timer_list_insert(t);
	}
	schedule();
	if (timeout_ns && !t->timed_out)
		list_remove(&t->timer_link);
	arch_irq_restore(flags);
	return t->timed_out;
}

void sleep_ns(uint64_t ns)
{
	uint64_t deadline = clock_monotonic_ns() + ns;

	for (;;) {
		uint64_t flags = arch_irq_save();
		uint64_t now = clock_monotonic_ns();

		if (now >= deadline) {
			arch_irq_restore(flags);
			return;
		}
		current->state = TASK_SLEEPING;
		sched_sleep_timeout(deadline - now);
		arch_irq_restore(flags);
	}
}

int task_alloc(const char *name, int (*fn)(void *arg), void *arg, struct task **out)
{
	struct task *t = kzalloc(sizeof(*t));
	int err;

	if (!t)
		return -ENOMEM;
	err = kstack_alloc(&t->stack);
	if (err) {
		kfree(t);
		return err;
	}
	t->id = pid_alloc();
	if (t->id < 0) {
		err = t->id;
		task_free(t);
		return err;
	}
	strlcpy(t->name, name, sizeof(t->name));
	t->fn = fn;
	t->arg = arg;
	list_init(&t->run_link);
	list_init(&t->timer_link);
	list_init(&t->thread_link);
	list_init(&t->sig_queue);
	wait_queue_init(&t->exit_wait);
	t->state = TASK_SLEEPING;
	arch_task_init_stack(t);
	*out = t;
	return 0;
}

void task_discard(struct task *t)
{
	if (!t->proc) /* a process's ids go back when it is reaped */
		pid_free(t->id);
	task_free(t);
}

void task_start(struct task *t)
{
	uint64_t flags = arch_irq_save();
	nr_tasks++;
	list_insert_tail(&all_tasks, &t->all_link);
	t->state = TASK_RUNNABLE;
	enqueue(t);
	if (is_idle(current))
		need_resched = true;
	rearm_timer();
	arch_irq_restore(flags);
}

int kthread_create(const char *name, int (*fn)(void *arg), void *arg, struct task **out)
{
	int err = task_alloc(name, fn, arg, out);

	if (!err)
		task_start(*out);
	return err;
}

void kthread_start(struct task *t)
{
	finish_switch();
	arch_irq_enable();
	kthread_exit(t->fn(t->arg));
}

void kthread_exit(int code)
{
	struct task *t = current;

	arch_irq_save();
	t->exit_code = code;
	t->state = TASK_DEAD;
	wake_up_all(&t->exit_wait);
	schedule();
	panic("sched: dead task %s was scheduled again\n", t->name);
}

int kthread_join(struct task *t)
{
	int code;

	wait_event(&t->exit_wait, READ_ONCE(t->state) == TASK_DEAD);
	uint64_t flags = arch_irq_save();
	list_remove(&t->all_link);
	nr_tasks--;
	arch_irq_restore(flags);
	code = t->exit_code;
	task_discard(t);
	return code;
}

int sched_nr_tasks(void)
{
	return nr_tasks;
}

void sched_dump_tasks(void)
{
	static const char *const state_names[] = {"run", "sleep", "dead"};
	struct list_head *pos;
	uint64_t flags = arch_irq_save();

	list_for_each(pos, &all_tasks) {
		struct task *t = list_entry(pos, struct task, all_link);
		klog(LOG_INFO, "%4d %-15s %-5s %8llu ms %8llu switches%s\n", t->id, t->name,
		     state_names[t->state], (unsigned long long)(t->runtime_ns / 1000000),
		     (unsigned long long)t->nr_switches, t == current ? " *" : "");
	}
	arch_irq_restore(flags);
}

void sched_run_idle(void)
{
	for (;;) {
		arch_irq_save();
		if (list_is_empty(&run_queue))
			arch_idle();
		else
			schedule();
		arch_irq_enable();
	}
}
