/* SPDX-License-Identifier: MIT */
/*
 * Host side of the base seam's concrete types. Core files are compiled
 * without libc headers even on the host, so the lock types are opaque
 * blocks that host/base_host.c overlays with pthread mutexes.
 */
#pragma once

#include <tern/types.h>

struct spinlock {
	_Alignas(16) unsigned char opaque[64]; /* a pthread_mutex_t */
	bool is_held;
};

struct mutex {
	_Alignas(16) unsigned char opaque[64]; /* a pthread_mutex_t */
	bool is_held;
};

/* Base of the malloc'd arena that stands in for physical memory. */
extern uintptr_t host_phys_window_base;
#define PHYS_WINDOW_BASE() host_phys_window_base
