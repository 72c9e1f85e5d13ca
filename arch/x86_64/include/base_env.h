/* SPDX-License-Identifier: MIT */
/*
 * Kernel side of the base seam's concrete types (include/tern/base.h).
 * Tern runs on one CPU for now: a spinlock is interrupts-off plus a flag
 * that catches recursion; a mutex is taken and released with one atomic
 * exchange when nobody waits, and sleeps on a wait list otherwise.
 */
#pragma once

#include <arch/layout.h>
#include <tern/types.h>
#include <tern/list.h>

struct task;

struct spinlock {
	volatile uint32_t locked; /* 1 while held */
	uint64_t saved_flags;	  /* RFLAGS before the holder disabled interrupts */
	struct task *holder;	  /* for assert_held and debugging */
};

struct mutex {
	struct spinlock guard; /* protects waiters; taken only when there are some */
	/*
	 * The holder's struct task *, with MUTEX_HAS_WAITERS set while the
	 * list is not empty (then unlocking takes the slow path); 0 when free.
	 */
	uintptr_t owner;
	struct list_head waiters; /* tasks sleeping in mutex_lock, FIFO */
};

#define MUTEX_HAS_WAITERS ((uintptr_t)1)

#define PHYS_WINDOW_BASE() ((uintptr_t)DIRECT_MAP_BASE)
