/* SPDX-License-Identifier: MIT */
/*
 * The vDSO data page: what the kernel publishes (vdso.c) for the vDSO's
 * clock functions (vdso_user.c), mapped read-only one page below the
 * vDSO image in every process. The kernel makes seq odd while it
 * rewrites the fields and even again after; a reader retries when it
 * saw an odd seq or a different one at the end.
 */
#pragma once

#include <tern/types.h>

enum vdso_clock_mode {
	VDSO_CLOCK_NONE, /* clock reads go to the syscall */
	VDSO_CLOCK_TSC,	 /* monotonic ns = ((rdtsc - tsc_base) * ns_per_tick_q32) >> 32 */
};

struct vdso_data {
	uint32_t seq;		     /* odd while the kernel updates the rest */
	uint32_t clock_mode;	     /* enum vdso_clock_mode */
	uint64_t tsc_base;	     /* TSC reading at monotonic time 0 */
	uint64_t ns_per_tick_q32;    /* nanoseconds per TSC tick, 32.32 fixed point */
	uint64_t realtime_offset_ns; /* CLOCK_REALTIME minus CLOCK_MONOTONIC, modulo 2^64 */
	uint32_t is_uniprocessor;    /* 1: getcpu answers CPU 0, node 0 */
};

_Static_assert(sizeof(struct vdso_data) <= PAGE_SIZE, "the vDSO data fits one page");
