// SPDX-License-Identifier: MIT
/*
 * The wall clock: the RTC is read once at boot and the monotonic clock
 * carries it forward. Calendar arithmetic is lib/time.c.
 */
#include <tern/base.h>
#include <tern/time.h>

static int64_t boot_epoch_secs;	 /* RTC reading at time_init */
static uint64_t boot_epoch_mono; /* monotonic ns at that reading */

void time_init(void)
{
	struct calendar_time ct;

	if (rtc_read(&ct) != 0 || calendar_to_unix(&ct, &boot_epoch_secs) != 0) {
		pr_warn("time: RTC unreadable; wall clock starts at the epoch\n");
		boot_epoch_secs = 0;
	}
	boot_epoch_mono = clock_monotonic_ns();
}

uint64_t clock_realtime_ns(void)
{
	return (uint64_t)boot_epoch_secs * 1000000000ULL + (clock_monotonic_ns() - boot_epoch_mono);
}
