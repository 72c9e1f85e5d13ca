/* SPDX-License-Identifier: MIT */
/*
 * The seam between Tern's portable core and its environment (DESIGN §4).
 * Core code (lib/, mm/, most of kernel/ and fs/) reaches memory, locks,
 * time, randomness and diagnostics only through this header. The kernel
 * implements it in arch/x86_64 and mm/; host/ implements it over libc for
 * unit tests and fuzzers. Each side also provides <base_env.h>, which
 * holds the concrete lock types and the physical-memory window.
 */
#pragma once

#include <tern/types.h>
#include <base_env.h>

/* Memory: small objects. kmalloc returns NULL when memory runs out. */
void *kmalloc(size_t size_bytes);
void *kzalloc(size_t size_bytes);
void kfree(void *ptr);

/*
 * Physical memory window: every physical address the page allocator
 * hands out is reachable at phys_to_virt(pa). The window's base comes
 * from <base_env.h> as PHYS_WINDOW_BASE().
 */
static inline void *phys_to_virt(uint64_t pa)
{
	return (void *)(uintptr_t)(pa + PHYS_WINDOW_BASE());
}

static inline uint64_t virt_to_phys(const void *va)
{
	return (uint64_t)(uintptr_t)va - PHYS_WINDOW_BASE();
}

/*
 * Sync. spin_lock disables interrupts on the current CPU until the
 * matching spin_unlock; a mutex may sleep and must not be taken from an
 * interrupt handler.
 */
void spin_lock_init(struct spinlock *lock);
void spin_lock(struct spinlock *lock);
void spin_unlock(struct spinlock *lock);
bool spin_is_held(struct spinlock *lock);
void mutex_init(struct mutex *lock);
void mutex_lock(struct mutex *lock);
void mutex_unlock(struct mutex *lock);
bool mutex_is_held(struct mutex *lock);
#define assert_held(lock)                              \
	assert(_Generic((lock), struct spinlock *      \
			: spin_is_held, struct mutex * \
			: mutex_is_held)(lock))

/*
 * User memory: the only way core code touches it. Each returns -EFAULT
 * when any byte of the user range is not accessible; copies are all or
 * nothing from the caller's point of view. strncpy_from_user returns the
 * string's length, or -ENAMETOOLONG if no NUL came within size bytes.
 */
int copy_from_user(void *dst, const void *user_src, size_t len_bytes) __must_check;
int copy_to_user(void *user_dst, const void *src, size_t len_bytes) __must_check;
long strncpy_from_user(char *dst, const void *user_src, size_t size) __must_check;

/* Time and randomness. */
uint64_t clock_monotonic_ns(void);
void random_bytes(void *buf, size_t len_bytes);

/* Diagnostics. Levels follow Linux's KERN_* numbering. */
enum log_level {
	LOG_EMERG = 0,
	LOG_ALERT = 1,
	LOG_CRIT = 2,
	LOG_ERR = 3,
	LOG_WARNING = 4,
	LOG_NOTICE = 5,
	LOG_INFO = 6,
	LOG_DEBUG = 7,
};

void klog(enum log_level level, const char *fmt, ...) __printf(2, 3);
void klog_va(enum log_level level, const char *fmt, va_list ap);
__noreturn void panic(const char *fmt, ...) __printf(1, 2);
__noreturn void assert_fail(const char *expr, const char *file, int line);

#define pr_err(...) klog(LOG_ERR, __VA_ARGS__)
#define pr_warn(...) klog(LOG_WARNING, __VA_ARGS__)
#define pr_notice(...) klog(LOG_NOTICE, __VA_ARGS__)
#define pr_info(...) klog(LOG_INFO, __VA_ARGS__)
#define pr_debug(...) klog(LOG_DEBUG, __VA_ARGS__)

#define assert(expr) ((expr) ? (void)0 : assert_fail(#expr, __FILE__, __LINE__))

#define warn_once(cond, ...)                            \
	({                                              \
		static bool warned_;                    \
		bool c_ = !!(cond);                     \
		if (unlikely(c_ && !warned_)) {         \
			warned_ = true;                 \
			klog(LOG_WARNING, __VA_ARGS__); \
		}                                       \
		c_;                                     \
	})
