// SPDX-License-Identifier: MIT
/*
 * Host implementation of include/tern/base.h over libc, for unit tests
 * and fuzzers: malloc with fault injection and a live-object count,
 * pthread mutexes behind the lock types, a fake clock and a malloc'd
 * arena that plays physical memory.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tern/base.h>
#include <tern/mm.h>
#include <tern/time.h>
#include <host_fault.h>

uintptr_t host_phys_window_base;

static unsigned int fail_kmalloc_countdown;
static long kmalloc_live;
static uint64_t fake_now_ns;
static void *arena;

_Static_assert(sizeof(pthread_mutex_t) <= sizeof(((struct spinlock *)0)->opaque),
	       "spinlock opaque block too small");

void host_fail_kmalloc_nth(unsigned int n)
{
	fail_kmalloc_countdown = n;
}

long host_kmalloc_live(void)
{
	return kmalloc_live;
}

void *kmalloc(size_t size_bytes)
{
	if (fail_kmalloc_countdown && --fail_kmalloc_countdown == 0)
		return NULL;
	void *p = malloc(size_bytes ? size_bytes : 1);
	if (p)
		kmalloc_live++;
	return p;
}

void *kzalloc(size_t size_bytes)
{
	void *p = kmalloc(size_bytes);
	if (p)
		memset(p, 0, size_bytes);
	return p;
}

void kfree(void *ptr)
{
	if (!ptr)
		return;
	kmalloc_live--;
	free(ptr);
}

void *host_phys_arena_create(uint64_t base_pa, uint64_t nr_pages)
{
	arena = aligned_alloc(PAGE_SIZE, nr_pages * PAGE_SIZE);
	if (!arena)
		abort();
	memset(arena, 0, nr_pages * PAGE_SIZE);
	host_phys_window_base = (uintptr_t)arena - base_pa;
	return arena;
}

void host_phys_arena_destroy(void)
{
	free(arena);
	arena = NULL;
	host_phys_window_base = 0;
}

/* Both lock types are a pthread mutex plus an is_held flag. */
static void host_lock_init(unsigned char *opaque, bool *is_held)
{
	pthread_mutex_init((pthread_mutex_t *)opaque, NULL);
	*is_held = false;
}

static void host_lock(unsigned char *opaque, bool *is_held)
{
	pthread_mutex_lock((pthread_mutex_t *)opaque);
	*is_held = true;
}

static void host_unlock(unsigned char *opaque, bool *is_held)
{
	*is_held = false;
	pthread_mutex_unlock((pthread_mutex_t *)opaque);
}

void spin_lock_init(struct spinlock *lock)
{
	host_lock_init(lock->opaque, &lock->is_held);
}

void spin_lock(struct spinlock *lock)
{
	host_lock(lock->opaque, &lock->is_held);
}

void spin_unlock(struct spinlock *lock)
{
	host_unlock(lock->opaque, &lock->is_held);
}

bool spin_is_held(struct spinlock *lock)
{
	return lock->is_held;
}

void mutex_init(struct mutex *lock)
{
	host_lock_init(lock->opaque, &lock->is_held);
}

void mutex_lock(struct mutex *lock)
{
	host_lock(lock->opaque, &lock->is_held);
}

void mutex_unlock(struct mutex *lock)
{
	host_unlock(lock->opaque, &lock->is_held);
}

bool mutex_is_held(struct mutex *lock)
{
	return lock->is_held;
}

void host_clock_set_ns(uint64_t now_ns)
{
	fake_now_ns = now_ns;
}

uint64_t clock_monotonic_ns(void)
{
	return fake_now_ns;
}

/* The wall clock (declared in <tern/time.h>; the kernel's is kernel/time.c). */
static uint64_t fake_realtime_ns;

void host_clock_set_realtime_ns(uint64_t now_ns)
{
	fake_realtime_ns = now_ns;
}

uint64_t clock_realtime_ns(void)
{
	return fake_realtime_ns;
}

void random_bytes(void *buf, size_t len_bytes)
{
	unsigned char *p = buf;
	for (size_t i = 0; i < len_bytes; i++)
		p[i] = (unsigned char)rand();
}

void klog_va(enum log_level level, const char *fmt, va_list ap)
{
	(void)level;
	vprintf(fmt, ap);
	fflush(stdout);
}

void klog(enum log_level level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	klog_va(level, fmt, ap);
	va_end(ap);
}

void panic(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "panic: ");
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	abort();
}

void assert_fail(const char *expr, const char *file, int line)
{
	fprintf(stderr, "assertion failed: %s at %s:%d\n", expr, file, line);
	abort();
}

/*
 * User memory on the host: user pointers are ordinary pointers, and a
 * test can make the Nth copy fail with -EFAULT to walk error paths.
 */
static unsigned int fail_user_copy_countdown;

void host_fail_user_copy_nth(unsigned int n)
{
	fail_user_copy_countdown = n;
}

static bool user_copy_fails(const void *user_ptr)
{
	if (!user_ptr)
		return true;
	return fail_user_copy_countdown && --fail_user_copy_countdown == 0;
}

int copy_from_user(void *dst, const void *user_src, size_t len_bytes)
{
	if (user_copy_fails(user_src))
		return -EFAULT;
	memcpy(dst, user_src, len_bytes);
	return 0;
}

int copy_to_user(void *user_dst, const void *src, size_t len_bytes)
{
	if (user_copy_fails(user_dst))
		return -EFAULT;
	memcpy(user_dst, src, len_bytes);
	return 0;
}

long strncpy_from_user(char *dst, const void *user_src, size_t size)
{
	if (user_copy_fails(user_src))
		return -EFAULT;
	size_t n = strnlen(user_src, size);
	if (n == size)
		return -ENAMETOOLONG;
	memcpy(dst, user_src, n + 1);
	return (long)n;
}

/*
 * Whole pages for core code that maps them (tmpfs data), as mm/heap.c
 * provides them in the kernel: each is a page-aligned block of two
 * pages, the data then a page holding the reference count, addressed
 * through the physical window. They count as live kmalloc objects and
 * fail with host_fail_kmalloc_nth, so leak checks and error-path walks
 * see them.
 */
static uint32_t *host_page_refcount(uint64_t pa)
{
	return (uint32_t *)((char *)phys_to_virt(pa) + PAGE_SIZE);
}

uint64_t mm_alloc_zeroed_page(void)
{
	char *p;

	if (fail_kmalloc_countdown && --fail_kmalloc_countdown == 0)
		return 0;
	p = aligned_alloc(PAGE_SIZE, 2 * PAGE_SIZE);
	if (!p)
		return 0;
	memset(p, 0, 2 * PAGE_SIZE);
	kmalloc_live++;
	*host_page_refcount(virt_to_phys(p)) = 1;
	return virt_to_phys(p);
}

void mm_get_page(uint64_t pa)
{
	(*host_page_refcount(pa))++;
}

void mm_put_page(uint64_t pa)
{
	uint32_t *ref = host_page_refcount(pa);

	if (*ref == 0)
		abort();
	if (--*ref != 0)
		return;
	kmalloc_live--;
	free(phys_to_virt(pa));
}

uint32_t mm_page_refcount(uint64_t pa)
{
	return *host_page_refcount(pa);
}
