// SPDX-License-Identifier: MIT
/*
 * The system-call table, indexed by Linux's x86-64 numbers from
 * <asm/unistd_64.h>. An empty slot is -ENOSYS, logged once per number
 * with the calling program's name. Handlers live in sys_*.c files.
 *
 * The table itself is generated from kernel/syscalls.tbl
 * (tools/gen-syscalls.sh).
 */
#include <asm/unistd_64.h>
#include <tern/base.h>
#include <tern/errno.h>
#include <tern/sched.h>
#include <tern/syscall.h>

static uint64_t warned[NR_SYSCALLS / 64];
bool syscall_trace; /* boot option "strace": log every call and result */

long syscall_invoke(unsigned long nr, const unsigned long args[6])
{
	if (nr < NR_SYSCALLS && syscall_table[nr].fn) {
		const struct syscall_entry *e = &syscall_table[nr];
		if (!syscall_trace)
			return e->fn(args);
		long ret = e->fn(args);
		pr_info("%s[%d]: %s(%#lx, %#lx, %#lx, %#lx, %#lx, %#lx) = %ld\n",
			current_task()->name, current_task()->id, e->name, args[0], args[1],
			args[2], args[3], args[4], args[5], ret);
		return ret;
	}
	if (nr < NR_SYSCALLS && !(warned[nr / 64] & (1ULL << (nr % 64)))) {
		warned[nr / 64] |= 1ULL << (nr % 64);
		pr_info("%s: syscall %lu is not implemented (ENOSYS)\n", current_task()->name, nr);
	}
	return -ENOSYS;
}
