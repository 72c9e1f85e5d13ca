/* SPDX-License-Identifier: MIT */
/*
 * Calendar time: conversion between broken-down UTC dates and seconds
 * since the Unix epoch (lib/time.c, portable), and the kernel's wall
 * clock (the RTC reading at boot plus the monotonic clock).
 */
#pragma once

#include <tern/types.h>

struct calendar_time {
	int year;   /* e.g. 2026 */
	int month;  /* 1..12 */
	int day;    /* 1..31 */
	int hour;   /* 0..23 */
	int minute; /* 0..59 */
	int second; /* 0..60 */
};

/* Seconds since 1970-01-01 00:00:00 UTC; -EINVAL for an impossible date. */
int calendar_to_unix(const struct calendar_time *ct, int64_t *out) __must_check;
void unix_to_calendar(int64_t secs, struct calendar_time *out);

/* Reads the CMOS real-time clock (drivers/rtc/cmos.c); 0 or -EIO. */
int rtc_read(struct calendar_time *out) __must_check;

/* Wall clock: nanoseconds since the epoch. */
void time_init(void);
uint64_t clock_realtime_ns(void);
/* CLOCK_REALTIME minus CLOCK_MONOTONIC, modulo 2^64 (what the vDSO adds). */
uint64_t clock_realtime_offset_ns(void);

/*
 * Copies in a struct __kernel_timespec and converts it to ns (saturating):
 * 0, -EFAULT, or -EINVAL unless 0 <= tv_nsec < 1e9 and tv_sec >= 0.
 */
int timespec_from_user(const void *uts, uint64_t *out_ns) __must_check;
/* now_ns + delta_ns, saturating at UINT64_MAX ("forever"). */
uint64_t deadline_after(uint64_t now_ns, uint64_t delta_ns);
/* Sets the wall clock (clock_settime); the monotonic clock does not move. */
void clock_set_realtime_ns(uint64_t ns);

/*
 * The wall clock was set (clock_settime, settimeofday): CLOCK_REALTIME
 * timerfds re-arm for their expiry on the new clock and those set with
 * TFD_TIMER_CANCEL_ON_SET are cancelled (kernel/timerfd.c).
 */
void timerfd_clock_was_set(void);
