// SPDX-License-Identifier: MIT
/*
 * In-kernel tests of time keeping: the TSC-based monotonic clock against
 * the RTC's own second boundaries, timed sleeps against their deadline
 * (10 ms must last 10 ms +-2), the one-shot timer's interrupts, and the
 * wall clock.
 */
#include <tern/base.h>
#include <tern/irq.h>
#include <tern/ktest.h>
#include <tern/sched.h>
#include <tern/time.h>

static int64_t rtc_now_secs(void)
{
	struct calendar_time ct;
	int64_t s = -1;

	if (rtc_read(&ct) != 0 || calendar_to_unix(&ct, &s) != 0)
		return -1;
	return s;
}

/* Returns the monotonic time at which the RTC's seconds next change. */
static uint64_t next_rtc_edge_ns(void)
{
	int64_t start = rtc_now_secs();

	while (rtc_now_secs() == start)
		sleep_ns(200000);
	return clock_monotonic_ns();
}

KTEST(time, monotonic_clock_agrees_with_rtc_seconds)
{
	uint64_t a = next_rtc_edge_ns();
	uint64_t b = next_rtc_edge_ns();
	uint64_t c = next_rtc_edge_ns();

	klog(LOG_INFO, "ktest:   rtc edges at %llu %llu %llu ns\n", (unsigned long long)a,
	     (unsigned long long)b, (unsigned long long)c);
	/*
	 * Two RTC seconds; edges are found within the 0.2 ms polling step,
	 * or later when the host stalls the VM (TCG on loaded shared cores).
	 */
	KEXPECT(c - a > 1850000000ULL);
	KEXPECT(c - a < 2150000000ULL);
	KEXPECT(b > a && c > b);
}

KTEST(time, monotonic_never_goes_back)
{
	uint64_t prev = clock_monotonic_ns();

	for (int i = 0; i < 100000; i++) {
		uint64_t now = clock_monotonic_ns();
		KASSERT(now >= prev);
		prev = now;
	}
}

/*
 * A sleep never ends early, and lasts at most 2 ms more than asked in
 * most of five tries: under TCG the host may deschedule the whole VM
 * now and then, which no kernel can hide, but a late timer is late every
 * time.
 */
static void check_sleep(struct ktest *t, uint64_t ms)
{
	int nr_on_time = 0;

	for (int i = 0; i < 5; i++) {
		uint64_t start = clock_monotonic_ns();
		sleep_ns(ms * 1000000);
		uint64_t took = clock_monotonic_ns() - start;
		KEXPECT(took >= ms * 1000000);
		if (took <= ms * 1000000 + 2000000)
			nr_on_time++;
		else
			klog(LOG_INFO, "ktest:   sleep of %llu ms took %llu us\n",
			     (unsigned long long)ms, (unsigned long long)(took / 1000));
	}
	KEXPECT(nr_on_time >= 3);
}

KTEST(time, sleep_10ms_lasts_10ms)
{
	check_sleep(t, 10);
}

KTEST(time, sleep_1ms_lasts_1ms)
{
	check_sleep(t, 1);
}

KTEST(time, sleep_100ms_lasts_100ms)
{
	check_sleep(t, 100);
}

KTEST(time, sleeping_is_driven_by_timer_interrupts)
{
	uint64_t before = irq_count_timer();

	sleep_ns(5000000);
	sleep_ns(5000000);
	KEXPECT(irq_count_timer() >= before + 2);
}

KTEST(time, idle_sleep_takes_few_interrupts)
{
	uint64_t before = irq_count_timer();

	sleep_ns(50000000);
	/* Tickless: one wake-up, not one per tick (allow a little noise). */
	KEXPECT(irq_count_timer() - before <= 3);
}

KTEST(time, wall_clock_matches_rtc)
{
	int64_t rtc = rtc_now_secs();
	int64_t wall = (int64_t)(clock_realtime_ns() / 1000000000ULL);

	KEXPECT(rtc > 1700000000); /* after November 2023 */
	KEXPECT(wall - rtc >= -1 && wall - rtc <= 1);
}
