/* SPDX-License-Identifier: MIT */
/*
 * Kernel side of the base seam's concrete types (include/tern/base.h).
 * Tern runs on one CPU for now: a spinlock is interrupts-off plus a flag
 * that catches recursion; a mutex sleeps on a wait queue.
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
	struct spinlock guard;	  /* protects the fields below */
	struct task *owner;	  /* NULL when free */
	struct list_head waiters; /* tasks sleeping in mutex_lock, FIFO */
};

#define PHYS_WINDOW_BASE() ((uintptr_t)DIRECT_MAP_BASE)
