// SPDX-License-Identifier: MIT
/*
 * In-kernel tests of sleeping synchronisation: mutexes (kernel/mutex.c)
 * for exclusion, FIFO hand-off and ownership, and wait queues
 * (kernel/wait.c, the wait_event macros in sched.h) for wake-ups by
 * other threads and by the timer interrupt, timeouts, and wake-ups that
 * land between a waiter's condition check and its sleep. The scheduler
 * itself is tested in sched_ktest.c.
 */
#include <tern/base.h>
#include <tern/errno.h>
#include <tern/irq.h>
#include <tern/ktest.h>
#include <tern/sched.h>
#include <tern/string.h>

#define MS 1000000ULL

static void spin_ns(uint64_t ns)
{
	uint64_t end = clock_monotonic_ns() + ns;

	while (clock_monotonic_ns() < end)
		barrier();
}

static int nr_waiters(struct wait_queue *wq)
{
	struct list_head *pos;
	int n = 0;

	spin_lock(&wq->lock);
	list_for_each(pos, &wq->waiters)
		n++;
	spin_unlock(&wq->lock);
	return n;
}

/*
 * Mutual exclusion: read-modify-write of a counter while the holder
 * sleeps, yields, spins or (every 40th round, beside a thread that keeps
 * waking up) is preempted by the timer.
 */

#define NR_COUNTERS 4
#define NR_INCREMENTS 200

struct counter_state {
	struct mutex lock;
	int counter;	     /* lock */
	int nr_inside;	     /* lock: threads between lock and unlock */
	int nr_overlaps;     /* lock: times a thread found another inside */
	int nr_not_held;     /* lock: times mutex_is_held was false for the holder */
	int nr_preempted;    /* lock: long holds that lost the CPU meanwhile */
	bool stop_bystander; /* set by the test when the counters are done */
};

static void hold_for_a_while(int round)
{
	switch (round % 4) {
	case 0:
		sleep_ns(10000);
		break;
	case 1:
		sched_yield_cpu();
		break;
	default:
		spin_ns(20000);
		break;
	}
}

static int counter_thread(void *arg)
{
	struct counter_state *cs = arg;

	for (int i = 0; i < NR_INCREMENTS; i++) {
		mutex_lock(&cs->lock);
		if (cs->nr_inside++ != 0)
			cs->nr_overlaps++;
		if (!mutex_is_held(&cs->lock))
			cs->nr_not_held++;
		int v = READ_ONCE(cs->counter);
		if (i % 40 == 39) {
			uint64_t switches = current_task()->nr_switches;
			spin_ns(SCHED_SLICE_NS + 1000000);
			if (READ_ONCE(current_task()->nr_switches) != switches)
				cs->nr_preempted++;
		} else {
			hold_for_a_while(i);
		}
		WRITE_ONCE(cs->counter, v + 1);
		cs->nr_inside--;
		mutex_unlock(&cs->lock);
		/* Uneven work outside the lock, so the threads interleave. */
		spin_ns((uint64_t)(i % 7) * 5000);
	}
	return 0;
}

static int bystander_thread(void *arg)
{
	struct counter_state *cs = arg;

	while (!READ_ONCE(cs->stop_bystander))
		sleep_ns(1000000);
	return 0;
}

KTEST(sync, mutex_excludes_sleeping_and_preempted_holders)
{
	struct counter_state cs = {0};
	struct task *tasks[NR_COUNTERS];
	struct task *bystander;
	int nr_created = 0;

	mutex_init(&cs.lock);
	KASSERT_EQ(kthread_create("kt-bystander", bystander_thread, &cs, &bystander), 0);
	for (int i = 0; i < NR_COUNTERS; i++) {
		if (!KEXPECT_EQ(kthread_create("kt-count", counter_thread, &cs, &tasks[i]), 0))
			break;
		nr_created++;
	}
	for (int i = 0; i < nr_created; i++)
		KEXPECT_EQ(kthread_join(tasks[i]), 0);
	WRITE_ONCE(cs.stop_bystander, true);
	KEXPECT_EQ(kthread_join(bystander), 0);
	KEXPECT_EQ(cs.counter, nr_created * NR_INCREMENTS);
	KEXPECT_EQ(cs.nr_overlaps, 0);
	KEXPECT_EQ(cs.nr_not_held, 0);
	klog(LOG_INFO, "ktest:   %d of %d long holds were preempted\n", cs.nr_preempted,
	     nr_created * NR_INCREMENTS / 40);
	/* The test is only meaningful if holders were really preempted. */
	KEXPECT(cs.nr_preempted > 0);
	KEXPECT(!mutex_is_held(&cs.lock));
	KEXPECT(cs.lock.owner == 0);
}

/* FIFO hand-off: B, C and D queue behind the holder A, in that order. */

struct fifo_state {
	struct mutex lock;
	char order[8]; /* lock: who got the mutex, in order */
	int len;       /* lock */
};

struct fifo_args {
	struct fifo_state *fs;
	char tag;
};

static void fifo_record(struct fifo_state *fs, char tag)
{
	if (fs->len < (int)sizeof(fs->order) - 1)
		fs->order[fs->len++] = tag;
}

static int fifo_thread(void *arg)
{
	struct fifo_args *fa = arg;

	mutex_lock(&fa->fs->lock);
	fifo_record(fa->fs, fa->tag);
	mutex_unlock(&fa->fs->lock);
	return 0;
}

KTEST(sync, mutex_hands_off_in_fifo_order)
{
	struct fifo_state fs = {0};
	struct fifo_args args[3];
	struct task *tasks[3];
	int nr_created = 0;

	mutex_init(&fs.lock);
	mutex_lock(&fs.lock);
	for (int i = 0; i < 3; i++) {
		args[i] = (struct fifo_args){.fs = &fs, .tag = (char)('B' + i)};
		if (!KEXPECT_EQ(kthread_create("kt-fifo", fifo_thread, &args[i], &tasks[i]), 0))
			break;
		nr_created++;
		sleep_ns(2 * MS); /* lets it run and queue before the next one */
	}
	KEXPECT_EQ(fs.len, 0);
	fifo_record(&fs, 'A');
	/* Relocking at once must not barge in ahead of the queued threads. */
	mutex_unlock(&fs.lock);
	mutex_lock(&fs.lock);
	fifo_record(&fs, 'a');
	mutex_unlock(&fs.lock);
	for (int i = 0; i < nr_created; i++)
		KEXPECT_EQ(kthread_join(tasks[i]), 0);
	KASSERT_EQ(nr_created, 3);
	if (!KEXPECT_EQ(strcmp(fs.order, "ABCDa"), 0))
		klog(LOG_ERR, "ktest:   mutex order %s\n", fs.order);
}

/* Ownership: mutex_is_held answers for the calling thread only. */

struct owner_state {
	struct mutex lock;
	struct wait_queue wq;
	bool holding;	     /* the thread holds the lock */
	bool release;	     /* the test lets it unlock */
	bool held_in_thread; /* mutex_is_held as the thread saw it */
	bool held_before;    /* ... before it locked (the test held it) */
};

static int owner_thread(void *arg)
{
	struct owner_state *os = arg;

	os->held_before = mutex_is_held(&os->lock);
	mutex_lock(&os->lock);
	os->held_in_thread = mutex_is_held(&os->lock);
	WRITE_ONCE(os->holding, true);
	wake_up_all(&os->wq);
	wait_event(&os->wq, READ_ONCE(os->release));
	mutex_unlock(&os->lock);
	return 0;
}

KTEST(sync, mutex_is_held_only_by_owner)
{
	struct owner_state os = {0};
	struct task *task;

	mutex_init(&os.lock);
	wait_queue_init(&os.wq);
	KEXPECT(!mutex_is_held(&os.lock));
	mutex_lock(&os.lock);
	KEXPECT(mutex_is_held(&os.lock));
	KASSERT_EQ(kthread_create("kt-owner", owner_thread, &os, &task), 0);
	sleep_ns(2 * MS);
	KEXPECT(!os.holding);
	mutex_unlock(&os.lock);
	KEXPECT(!mutex_is_held(&os.lock));
	wait_event(&os.wq, READ_ONCE(os.holding));
	KEXPECT(!mutex_is_held(&os.lock));
	WRITE_ONCE(os.release, true);
	wake_up_all(&os.wq);
	KEXPECT_EQ(kthread_join(task), 0);
	KEXPECT(!os.held_before);
	KEXPECT(os.held_in_thread);
	KEXPECT(os.lock.owner == 0);
}

/* wait_event and wake_up_all / wake_up_one. */

struct event_state {
	struct wait_queue wq;
	bool go;       /* the condition */
	int nr_passed; /* waiters that returned from wait_event */
};

static int event_waiter_thread(void *arg)
{
	struct event_state *es = arg;

	wait_event(&es->wq, READ_ONCE(es->go));
	WRITE_ONCE(es->nr_passed, es->nr_passed + 1);
	return 0;
}

KTEST(sync, wait_event_sleeps_until_condition_and_wake)
{
	struct event_state es = {0};
	struct task *task;

	wait_queue_init(&es.wq);
	KASSERT_EQ(kthread_create("kt-waiter", event_waiter_thread, &es, &task), 0);
	sleep_ns(2 * MS);
	KEXPECT_EQ(nr_waiters(&es.wq), 1);
	KEXPECT(task->state == TASK_SLEEPING);
	/* A wake-up without the condition sends it back to sleep. */
	wake_up_all(&es.wq);
	sleep_ns(2 * MS);
	KEXPECT_EQ(es.nr_passed, 0);
	KEXPECT_EQ(nr_waiters(&es.wq), 1);
	WRITE_ONCE(es.go, true);
	wake_up_all(&es.wq);
	KEXPECT_EQ(kthread_join(task), 0);
	KEXPECT_EQ(es.nr_passed, 1);
	KEXPECT_EQ(nr_waiters(&es.wq), 0);
}

KTEST(sync, wake_up_one_wakes_exactly_one_waiter)
{
	struct event_state es = {0};
	struct task *tasks[3];
	int nr_created = 0;

	wait_queue_init(&es.wq);
	for (int i = 0; i < 3; i++) {
		if (!KEXPECT_EQ(kthread_create("kt-waiter", event_waiter_thread, &es, &tasks[i]),
				0))
			break;
		nr_created++;
	}
	sleep_ns(2 * MS);
	KEXPECT_EQ(nr_waiters(&es.wq), nr_created);
	WRITE_ONCE(es.go, true);
	wake_up_one(&es.wq);
	sleep_ns(5 * MS);
	KEXPECT_EQ(es.nr_passed, 1);
	KEXPECT_EQ(nr_waiters(&es.wq), nr_created - 1);
	wake_up_one(&es.wq);
	sleep_ns(5 * MS);
	KEXPECT_EQ(es.nr_passed, 2);
	wake_up_all(&es.wq);
	for (int i = 0; i < nr_created; i++)
		KEXPECT_EQ(kthread_join(tasks[i]), 0);
	KEXPECT_EQ(es.nr_passed, nr_created);
	KEXPECT_EQ(nr_waiters(&es.wq), 0);
}

/* Exclusive callback entries (epoll's EPOLLEXCLUSIVE). */

struct counted_entry {
	struct wait_entry we;
	bool takes;   /* what wake_fn returns */
	int nr_woken; /* wake_fn calls */
};

static bool counted_entry_wake(struct wait_entry *we)
{
	struct counted_entry *ce = container_of(we, struct counted_entry, we);

	ce->nr_woken++;
	return ce->takes;
}

KTEST(sync, wake_stops_after_first_exclusive_entry_that_takes_it)
{
	struct wait_queue wq;
	/* Queue order: declining exclusive, plain, two taking exclusives, plain. */
	struct counted_entry e[5] = {{.takes = false},
				     {.takes = false},
				     {.takes = true},
				     {.takes = true},
				     {.takes = false}};
	static const bool is_exclusive[5] = {true, false, true, true, false};

	wait_queue_init(&wq);
	for (int i = 0; i < 5; i++) {
		e[i].we.task = current_task();
		e[i].we.wake_fn = counted_entry_wake;
		if (is_exclusive[i])
			wait_queue_add_exclusive(&wq, &e[i].we);
		else
			wait_queue_add(&wq, &e[i].we);
	}
	KEXPECT(wait_queue_has_waiters(&wq));
	wake_up_all(&wq);
	KEXPECT_EQ(e[0].nr_woken, 1);
	KEXPECT_EQ(e[1].nr_woken, 1);
	KEXPECT_EQ(e[2].nr_woken, 1);
	KEXPECT_EQ(e[3].nr_woken, 0);
	KEXPECT_EQ(e[4].nr_woken, 1);
	/* Once the taker is gone, the next exclusive entry hears the wake-up. */
	wait_queue_remove(&wq, &e[2].we);
	wake_up_all(&wq);
	KEXPECT_EQ(e[2].nr_woken, 1);
	KEXPECT_EQ(e[3].nr_woken, 1);
	KEXPECT_EQ(e[4].nr_woken, 2);
	for (int i = 0; i < 5; i++)
		if (i != 2)
			wait_queue_remove(&wq, &e[i].we);
	KEXPECT(!wait_queue_has_waiters(&wq));
}

/* wait_event_timeout: the deadline, and an early wake-up. */

KTEST(sync, wait_event_timeout_expires_on_timer_interrupt)
{
	struct wait_queue wq;
	bool never = false;
	uint64_t best_ns = UINT64_MAX;

	wait_queue_init(&wq);
	for (int i = 0; i < 3; i++) {
		uint64_t irqs = irq_count_timer();
		uint64_t start = clock_monotonic_ns();
		int ret = wait_event_timeout(&wq, READ_ONCE(never), 20 * MS);
		uint64_t took = clock_monotonic_ns() - start;

		KEXPECT_EQ(ret, -ETIMEDOUT);
		KEXPECT(took >= 20 * MS);
		best_ns = MIN(best_ns, took);
		/* Nothing else runs: only the timer interrupt can have woken it. */
		KEXPECT(irq_count_timer() > irqs);
	}
	/* Host stalls delay single wake-ups under TCG: the best of 3 counts. */
	if (!KEXPECT(best_ns < 24 * MS))
		klog(LOG_ERR, "ktest:   20 ms timeout took %llu us at best\n",
		     (unsigned long long)(best_ns / 1000));
	KEXPECT_EQ(nr_waiters(&wq), 0);
}

struct late_waker_args {
	struct wait_queue *wq;
	bool *flag;
	uint64_t delay_ns;
};

static int late_waker_thread(void *arg)
{
	struct late_waker_args *lw = arg;

	sleep_ns(lw->delay_ns);
	WRITE_ONCE(*lw->flag, true);
	wake_up_all(lw->wq);
	return 0;
}

KTEST(sync, wait_event_timeout_returns_0_when_woken_early)
{
	struct wait_queue wq;
	bool flag = false;
	struct late_waker_args lw = {.wq = &wq, .flag = &flag, .delay_ns = 5 * MS};
	struct task *task;

	wait_queue_init(&wq);
	KASSERT_EQ(kthread_create("kt-waker", late_waker_thread, &lw, &task), 0);
	uint64_t start = clock_monotonic_ns();
	int ret = wait_event_timeout(&wq, READ_ONCE(flag), 500 * MS);
	uint64_t took = clock_monotonic_ns() - start;
	KEXPECT_EQ(kthread_join(task), 0);
	KEXPECT_EQ(ret, 0);
	KEXPECT(took >= 5 * MS);
	KEXPECT(took < 100 * MS);
	KEXPECT_EQ(nr_waiters(&wq), 0);
	/* A condition already true returns 0 without sleeping. */
	KEXPECT_EQ(wait_event_timeout(&wq, READ_ONCE(flag), 1), 0);
}

/*
 * A wake-up that lands after the waiter checked its condition but before
 * it went to sleep must not be lost. The condition below reads the flag
 * and then spins until the timer preempts the waiter and the waker sets
 * the flag: exactly what a preemption in that window looks like.
 */

struct race_state {
	struct wait_queue wq;
	bool flag;	    /* the condition, set by the waker */
	bool in_window;	    /* the waiter has read the flag and is spinning */
	bool spun;	    /* the window was opened once already */
	bool waker_gave_up; /* the waiter never opened the window */
	bool done;	    /* the waiter has returned */
};

static bool read_flag_then_open_window(struct race_state *rs)
{
	bool seen = READ_ONCE(rs->flag);

	if (!seen && !rs->spun) {
		uint64_t limit = clock_monotonic_ns() + 2000 * MS;

		rs->spun = true;
		WRITE_ONCE(rs->in_window, true);
		while (!READ_ONCE(rs->flag) && clock_monotonic_ns() < limit)
			barrier();
	}
	return seen;
}

static int window_waker_thread(void *arg)
{
	struct race_state *rs = arg;
	uint64_t limit = clock_monotonic_ns() + 2000 * MS;

	while (!READ_ONCE(rs->in_window) && clock_monotonic_ns() < limit)
		sched_yield_cpu();
	rs->waker_gave_up = !READ_ONCE(rs->in_window);
	WRITE_ONCE(rs->flag, true);
	wake_up_all(&rs->wq);
	/* A late second wake-up fetches back a waiter that lost the first one. */
	for (int i = 0; i < 50 && !READ_ONCE(rs->done); i++)
		sleep_ns(10 * MS);
	wake_up_all(&rs->wq);
	return 0;
}

KTEST(sync, wait_event_timeout_keeps_wakeup_between_check_and_sleep)
{
	struct race_state rs = {0};
	struct task *task;

	wait_queue_init(&rs.wq);
	KASSERT_EQ(kthread_create("kt-waker", window_waker_thread, &rs, &task), 0);
	uint64_t start = clock_monotonic_ns();
	int ret = wait_event_timeout(&rs.wq, read_flag_then_open_window(&rs), 1000 * MS);
	uint64_t took = clock_monotonic_ns() - start;
	WRITE_ONCE(rs.done, true);
	KEXPECT_EQ(kthread_join(task), 0);
	KEXPECT(!rs.waker_gave_up);
	KEXPECT_EQ(ret, 0);
	/* One slice until the waker runs; a lost wake-up sleeps until the second one. */
	if (!KEXPECT(took < 200 * MS))
		klog(LOG_ERR, "ktest:   woken after %llu ms\n", (unsigned long long)(took / MS));
}

KTEST(sync, wait_event_keeps_wakeup_between_check_and_sleep)
{
	struct race_state rs = {0};
	struct task *task;

	wait_queue_init(&rs.wq);
	KASSERT_EQ(kthread_create("kt-waker", window_waker_thread, &rs, &task), 0);
	uint64_t start = clock_monotonic_ns();
	wait_event(&rs.wq, read_flag_then_open_window(&rs));
	uint64_t took = clock_monotonic_ns() - start;
	WRITE_ONCE(rs.done, true);
	KEXPECT_EQ(kthread_join(task), 0);
	KEXPECT(!rs.waker_gave_up);
	KEXPECT(took < 200 * MS);
}

/*
 * A waiter preempted after wait_prepare but before it armed its timeout
 * (here: a slow condition, beside a thread that always wants the CPU)
 * must still run again and time out when nobody wakes it.
 */

struct slow_cond_state {
	struct wait_queue wq;
	bool stop;	    /* ends the yielding bystander */
	bool spun;	    /* the slow first check happened */
	bool was_preempted; /* the waiter lost the CPU during it */
};

static bool slow_first_check(struct slow_cond_state *ss)
{
	if (!ss->spun) {
		uint64_t switches = current_task()->nr_switches;

		ss->spun = true;
		spin_ns(SCHED_SLICE_NS + 5 * MS);
		ss->was_preempted = READ_ONCE(current_task()->nr_switches) != switches;
	}
	return false;
}

static int yielding_bystander_thread(void *arg)
{
	struct slow_cond_state *ss = arg;
	uint64_t limit = clock_monotonic_ns() + 500 * MS;

	while (!READ_ONCE(ss->stop) && clock_monotonic_ns() < limit)
		sched_yield_cpu();
	/* If the waiter got lost, fetch it back so the test fails instead of hanging. */
	wake_up_all(&ss->wq);
	return 0;
}

KTEST(sync, wait_event_timeout_preempted_before_sleep_still_times_out)
{
	struct slow_cond_state ss = {0};
	struct task *task;

	wait_queue_init(&ss.wq);
	KASSERT_EQ(kthread_create("kt-bystander", yielding_bystander_thread, &ss, &task), 0);
	uint64_t start = clock_monotonic_ns();
	int ret = wait_event_timeout(&ss.wq, slow_first_check(&ss), 50 * MS);
	uint64_t took = clock_monotonic_ns() - start;
	WRITE_ONCE(ss.stop, true);
	KEXPECT_EQ(kthread_join(task), 0);
	KEXPECT(ss.was_preempted);
	KEXPECT_EQ(ret, -ETIMEDOUT);
	KEXPECT(took >= 50 * MS);
	/* Well before the bystander would fetch back a lost waiter (500 ms). */
	KEXPECT(took < 150 * MS);
}

/* Ping-pong: two threads hand a ball back and forth through two queues. */

#define NR_ROUNDS 2000

struct pingpong_state {
	struct wait_queue ping_wq;
	struct wait_queue pong_wq;
	struct wait_queue done_wq;
	int ball;	  /* even: ping's turn, odd: pong's turn */
	int nr_done;	  /* players that finished */
	bool abort;	  /* the test gave up waiting */
	bool use_timeout; /* wait with wait_event_timeout */
	int nr_timeouts;  /* wait_event_timeout calls that timed out */
};

struct player_args {
	struct pingpong_state *ps;
	int parity; /* 0 for ping, 1 for pong */
	struct wait_queue *my_wq;
	struct wait_queue *other_wq;
};

static bool is_my_turn(struct pingpong_state *ps, int round, int parity)
{
	return READ_ONCE(ps->ball) == 2 * round + parity || READ_ONCE(ps->abort);
}

static int player_thread(void *arg)
{
	struct player_args *pa = arg;
	struct pingpong_state *ps = pa->ps;

	for (int round = 0; round < NR_ROUNDS && !READ_ONCE(ps->abort); round++) {
		if (ps->use_timeout) {
			if (wait_event_timeout(pa->my_wq, is_my_turn(ps, round, pa->parity),
					       1000 * MS) != 0)
				ps->nr_timeouts++;
		} else {
			wait_event(pa->my_wq, is_my_turn(ps, round, pa->parity));
		}
		WRITE_ONCE(ps->ball, ps->ball + 1);
		if (round % 2)
			wake_up_one(pa->other_wq);
		else
			wake_up_all(pa->other_wq);
	}
	WRITE_ONCE(ps->nr_done, ps->nr_done + 1);
	wake_up_all(&ps->done_wq);
	return 0;
}

static void run_pingpong(struct ktest *t, bool use_timeout)
{
	struct pingpong_state ps = {.use_timeout = use_timeout};
	struct player_args ping = {.ps = &ps, .parity = 0};
	struct player_args pong = {.ps = &ps, .parity = 1};
	struct task *ping_task;
	struct task *pong_task;

	wait_queue_init(&ps.ping_wq);
	wait_queue_init(&ps.pong_wq);
	wait_queue_init(&ps.done_wq);
	ping.my_wq = pong.other_wq = &ps.ping_wq;
	ping.other_wq = pong.my_wq = &ps.pong_wq;
	/* Pong starts first, so it waits before the first ball arrives. */
	KASSERT_EQ(kthread_create("kt-pong", player_thread, &pong, &pong_task), 0);
	if (!KEXPECT_EQ(kthread_create("kt-ping", player_thread, &ping, &ping_task), 0)) {
		WRITE_ONCE(ps.abort, true);
		wake_up_all(&ps.pong_wq);
		kthread_join(pong_task);
		return;
	}
	uint64_t start = clock_monotonic_ns();
	int ret = wait_event_timeout(&ps.done_wq, READ_ONCE(ps.nr_done) == 2, 5000 * MS);
	uint64_t took = clock_monotonic_ns() - start;
	if (!KEXPECT_EQ(ret, 0)) {
		klog(LOG_ERR, "ktest:   ping-pong stuck at ball %d\n", READ_ONCE(ps.ball));
		WRITE_ONCE(ps.abort, true);
		wake_up_all(&ps.ping_wq);
		wake_up_all(&ps.pong_wq);
	}
	KEXPECT_EQ(kthread_join(ping_task), 0);
	KEXPECT_EQ(kthread_join(pong_task), 0);
	KEXPECT_EQ(ps.ball, 2 * NR_ROUNDS);
	KEXPECT_EQ(ps.nr_timeouts, 0);
	klog(LOG_INFO, "ktest:   %d rounds in %llu ms\n", NR_ROUNDS,
	     (unsigned long long)(took / MS));
}

KTEST(sync, ping_pong_2000_rounds_loses_no_wakeup)
{
	run_pingpong(t, false);
}

KTEST(sync, ping_pong_with_timeouts_loses_no_wakeup)
{
	run_pingpong(t, true);
}
