/* SPDX-License-Identifier: MIT */
/*
 * Host-only test controls: fault injection and a fake physical arena.
 * Tests include this header to walk error paths; the kernel has none of it.
 */
#pragma once

#include <tern/types.h>

/* Make the Nth kmalloc from now fail (1 = the next one); 0 disables. */
void host_fail_kmalloc_nth(unsigned int n);
/* Make the Nth user copy from now fail with -EFAULT (1 = the next one); 0 disables. */
void host_fail_user_copy_nth(unsigned int n);
/* Number of live kmalloc objects (allocated and not yet freed). */
long host_kmalloc_live(void);

/*
 * Provides a zeroed arena of nr_pages pages that plays physical memory
 * starting at physical address base_pa; returns its first byte.
 * phys_to_virt(base_pa) equals the returned pointer. Freed by
 * host_phys_arena_destroy.
 */
void *host_phys_arena_create(uint64_t base_pa, uint64_t nr_pages);
void host_phys_arena_destroy(void);

/* Sets the value clock_monotonic_ns returns (the host clock is fake). */
void host_clock_set_ns(uint64_t now_ns);
/* Sets the value clock_realtime_ns returns (nanoseconds since the epoch). */
void host_clock_set_realtime_ns(uint64_t now_ns);
