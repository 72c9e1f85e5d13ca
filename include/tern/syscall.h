/* SPDX-License-Identifier: MIT */
/*
 * System calls: the architecture hands each one to syscall_invoke
 * (kernel/syscall.c), which looks the number up in the table built from
 * Linux's <asm/unistd_64.h> numbering and returns the result or -errno.
 */
#pragma once

#include <tern/types.h>

#define USER_ADDR_END 0x00007ffffffff000ULL /* Linux's TASK_SIZE_MAX on x86-64 */

/* ABI: access_ok: the whole range [p, p + len) lies in user space. */
static inline bool user_range_ok(const void *p, size_t len)
{
	uint64_t a = (uint64_t)p;

	return a <= USER_ADDR_END && len <= USER_ADDR_END - a;
}

/*
 * Partial user copies, for the transfers that Linux cuts short at the
 * first byte it cannot copy (read, write and their vector forms). Each
 * returns how many bytes from the start were copied: all of them, or the
 * bytes before the first inaccessible one (0 for a range outside user
 * space).
 */
size_t copy_from_user_prefix(void *dst, const void *user_src, size_t len_bytes);
size_t copy_to_user_prefix(void *user_dst, const void *src, size_t len_bytes);
/*
 * Linux's fault_in_writeable, as the length that can be written: probes
 * each page of the range with a store that changes nothing, faulting it
 * in, and returns the bytes before the first page that cannot be written.
 */
size_t user_writable_prefix(void *user_dst, size_t len_bytes);

#define NR_SYSCALLS 512

struct syscall_entry {
	long (*fn)(const unsigned long args[6]); /* NULL: -ENOSYS */
	const char *name;
};

/* Generated from kernel/syscalls.tbl, indexed by syscall number. */
extern const struct syscall_entry syscall_table[NR_SYSCALLS];

/* Set by the boot option "strace": every syscall is logged with its result. */
extern bool syscall_trace;
long syscall_invoke(unsigned long nr, const unsigned long args[6]);
/* Makes the calling kernel thread a user task running at rip with stack rsp. */
__noreturn void arch_enter_user(uint64_t rip, uint64_t rsp);
