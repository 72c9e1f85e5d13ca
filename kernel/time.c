// SPDX-License-Identifier: MIT
/*
 * The wall clock: the RTC is read once at boot and the monotonic clock
 * carries it forward. Calendar arithmetic is lib/time.c. Also the
 * timespec checks every syscall that takes a timeout shares.
 */
#include <linux/time_types.h>
#include <tern/arch.h>
#include <tern/base.h>
#include <tern/errno.h>
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
	arch_wall_clock_changed();
}

uint64_t clock_realtime_offset_ns(void)
{
	return (uint64_t)boot_epoch_secs * 1000000000ULL - boot_epoch_mono;
}

/* The vDSO computes the same sum from the same offset, so both agree to the nanosecond. */
uint64_t clock_realtime_ns(void)
{
	return clock_monotonic_ns() + clock_realtime_offset_ns();
}

/* Copies in a timespec and converts it to ns: -EFAULT, or -EINVAL if not normalized. */
int timespec_from_user(const void *uts, uint64_t *out_ns)
{
	struct __kernel_timespec ts;

	if (copy_from_user(&ts, uts, sizeof(ts)) != 0)
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (long long)1000000000ULL)
		return -EINVAL;
	if ((uint64_t)ts.tv_sec >= UINT64_MAX / 1000000000ULL)
		*out_ns = UINT64_MAX; /* forever, in practice */
	else
		*out_ns = (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
	return 0;
}

uint64_t deadline_after(uint64_t now_ns, uint64_t delta_ns)
{
	return delta_ns > UINT64_MAX - now_ns ? UINT64_MAX : now_ns + delta_ns;
}

void clock_set_realtime_ns(uint64_t ns)
{
	/* One writer at a time for the vDSO's sequence count. */
	uint64_t flags = arch_irq_save();
	/* Only boot_epoch_mono moves (mod 2^64), one word, so readers need no lock. */
	uint64_t epoch_mono = clock_monotonic_ns() + (uint64_t)boot_epoch_secs * 1000000000ULL - ns;

	__atomic_store_n(&boot_epoch_mono, epoch_mono, __ATOMIC_RELAXED);
	arch_wall_clock_changed();
	arch_irq_restore(flags);
	timerfd_clock_was_set();
}
