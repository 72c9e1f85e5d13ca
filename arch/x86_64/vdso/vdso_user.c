// SPDX-License-Identifier: MIT
/*
 * The vDSO: clock_gettime, clock_getres, gettimeofday, time and getcpu
 * in user mode, without entering the kernel. They read the data page the
 * kernel keeps one page below this image (vdso_data.h, published by
 * vdso.c) and compute the clocks exactly as kernel/time.c and tsc.c do,
 * so a vDSO read and a syscall read agree. What they cannot serve (CPU
 * time clocks, an unknown id, no usable TSC) goes to the syscall.
 * Built without libc as a position-independent shared object (vdso.lds)
 * exporting Linux's names under the LINUX_2.6 version, which musl and
 * glibc find through AT_SYSINFO_EHDR.
 */
#include <asm/unistd_64.h>
#include <linux/time.h>
#include <linux/time_types.h>

#include "vdso_data.h"

#define NSEC_PER_SEC 1000000000ULL
#define CLOCK_TAI_ID 11

/* Placed by vdso.lds one page below the image; hidden, so found PC-relative. */
extern const struct vdso_data vdso_data_page __attribute__((visibility("hidden")));

struct getcpu_cache;

#define VDSO_EXPORT __attribute__((visibility("default")))

long __vdso_clock_gettime(int id, struct __kernel_timespec *ts) VDSO_EXPORT;
long __vdso_clock_getres(int id, struct __kernel_timespec *res) VDSO_EXPORT;
long __vdso_gettimeofday(struct __kernel_old_timeval *tv, struct timezone *tz) VDSO_EXPORT;
long __vdso_time(long *t) VDSO_EXPORT;
long __vdso_getcpu(unsigned int *cpu, unsigned int *node, struct getcpu_cache *cache) VDSO_EXPORT;

static long syscall2(long nr, long a, long b)
{
	long ret;

	__asm__ __volatile__("syscall"
			     : "=a"(ret)
			     : "a"(nr), "D"(a), "S"(b)
			     : "rcx", "r11", "memory");
	return ret;
}

static long syscall3(long nr, long a, long b, long c)
{
	long ret;

	__asm__ __volatile__("syscall"
			     : "=a"(ret)
			     : "a"(nr), "D"(a), "S"(b), "d"(c)
			     : "rcx", "r11", "memory");
	return ret;
}

/* LFENCE keeps the TSC read from running ahead of the loads before it. */
static uint64_t read_tsc(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("lfence; rdtsc" : "=a"(lo), "=d"(hi)::"memory");
	return (uint64_t)hi << 32 | lo;
}

#define CLOCK_BIT(id) (1u << (id))
/* The clocks Tern keeps equal to CLOCK_REALTIME or CLOCK_MONOTONIC (kernel/sys_time.c). */
#define REALTIME_CLOCKS \
	(CLOCK_BIT(CLOCK_REALTIME) | CLOCK_BIT(CLOCK_REALTIME_COARSE) | CLOCK_BIT(CLOCK_TAI_ID))
#define MONOTONIC_CLOCKS                                                  \
	(CLOCK_BIT(CLOCK_MONOTONIC) | CLOCK_BIT(CLOCK_MONOTONIC_COARSE) | \
	 CLOCK_BIT(CLOCK_MONOTONIC_RAW) | CLOCK_BIT(CLOCK_BOOTTIME))

static bool is_clock_in(int id, uint32_t clocks)
{
	return (unsigned int)id < 32 && (clocks >> id & 1);
}

/*
 * Reads clock id into *ns; false when only the syscall can answer. Few
 * branches: under emulation each one costs about as much as the rest.
 */
static inline __attribute__((always_inline)) bool read_clock_ns(int id, uint64_t *ns)
{
	const struct vdso_data *d = &vdso_data_page;
	uint64_t offset_mask = is_clock_in(id, REALTIME_CLOCKS) ? ~0ULL : 0;
	uint32_t seq;
	uint64_t v;

	if (!is_clock_in(id, REALTIME_CLOCKS | MONOTONIC_CLOCKS))
		return false;
	do {
		seq = READ_ONCE(d->seq);
		barrier();
		if (READ_ONCE(d->clock_mode) != VDSO_CLOCK_TSC)
			return false;
		uint64_t ticks = read_tsc() - READ_ONCE(d->tsc_base);
		v = (uint64_t)(((unsigned __int128)ticks * READ_ONCE(d->ns_per_tick_q32)) >> 32);
		v += READ_ONCE(d->realtime_offset_ns) & offset_mask;
		barrier();
	} while (READ_ONCE(d->seq) != (seq & ~1u)); /* changed, or odd: mid-update */
	*ns = v;
	return true;
}

long __vdso_clock_gettime(int id, struct __kernel_timespec *ts)
{
	uint64_t ns;

	if (!read_clock_ns(id, &ns))
		return syscall2(__NR_clock_gettime, id, (long)ts);
	ts->tv_sec = (long long)(ns / NSEC_PER_SEC);
	ts->tv_nsec = (long long)(ns % NSEC_PER_SEC);
	return 0;
}

/* The high-resolution clocks tick in nanoseconds; the rest ask the kernel. */
long __vdso_clock_getres(int id, struct __kernel_timespec *res)
{
	if (id == CLOCK_REALTIME_COARSE || id == CLOCK_MONOTONIC_COARSE ||
	    !is_clock_in(id, REALTIME_CLOCKS | MONOTONIC_CLOCKS))
		return syscall2(__NR_clock_getres, id, (long)res);
	if (res) {
		res->tv_sec = 0;
		res->tv_nsec = 1;
	}
	return 0;
}

/* The time zone reads as UTC, as the syscall reports it. */
long __vdso_gettimeofday(struct __kernel_old_timeval *tv, struct timezone *tz)
{
	uint64_t ns;

	if (tv) {
		if (!read_clock_ns(CLOCK_REALTIME, &ns))
			return syscall2(__NR_gettimeofday, (long)tv, (long)tz);
		tv->tv_sec = (long)(ns / NSEC_PER_SEC);
		tv->tv_usec = (long)(ns % NSEC_PER_SEC / 1000);
	}
	if (tz) {
		tz->tz_minuteswest = 0;
		tz->tz_dsttime = 0;
	}
	return 0;
}

long __vdso_time(long *t)
{
	uint64_t ns;

	if (!read_clock_ns(CLOCK_REALTIME, &ns))
		return syscall2(__NR_time, (long)t, 0);
	long secs = (long)(ns / NSEC_PER_SEC);
	if (t)
		*t = secs;
	return secs;
}

long __vdso_getcpu(unsigned int *cpu, unsigned int *node, struct getcpu_cache *cache)
{
	if (!READ_ONCE(vdso_data_page.is_uniprocessor))
		return syscall3(__NR_getcpu, (long)cpu, (long)node, (long)cache);
	if (cpu)
		*cpu = 0;
	if (node)
		*node = 0;
	return 0;
}

/* The names without the prefix, as Linux's vDSO also exports them. */
long clock_gettime(int id, struct __kernel_timespec *ts)
	__attribute__((weak, alias("__vdso_clock_gettime")));
long clock_getres(int id, struct __kernel_timespec *res)
	__attribute__((weak, alias("__vdso_clock_getres")));
long gettimeofday(struct __kernel_old_timeval *tv, struct timezone *tz)
	__attribute__((weak, alias("__vdso_gettimeofday")));
long time(long *t) __attribute__((weak, alias("__vdso_time")));
long getcpu(unsigned int *cpu, unsigned int *node, struct getcpu_cache *cache)
	__attribute__((weak, alias("__vdso_getcpu")));
