// SPDX-License-Identifier: MIT
/*
 * The system-call table, indexed by Linux's x86-64 numbers from
 * <asm/unistd_64.h>. An empty slot is -ENOSYS, logged once per number
 * with the calling program's name. Handlers live in sys_*.c files.
 *
 * FIXME: the table is C for now; STYLE §6 wants kernel/syscalls.tbl and
 * a generator once there are enough rows to warrant it.
 */
#include <asm/unistd_64.h>
#include <tern/base.h>
#include <tern/errno.h>
#include <tern/sched.h>
#include <tern/syscall.h>
#include <tern/sys.h>

typedef long (*syscall_fn)(const unsigned long args[6]);

#define NR_SYSCALLS 512

static const syscall_fn syscall_table[NR_SYSCALLS] = {
	[__NR_write] = sys_write,
	[__NR_writev] = sys_writev,
	[__NR_getpid] = sys_getpid,
	[__NR_gettid] = sys_gettid,
	[__NR_exit] = sys_exit,
	[__NR_exit_group] = sys_exit_group,
	[__NR_arch_prctl] = sys_arch_prctl,
	[__NR_set_tid_address] = sys_set_tid_address,
	[__NR_ioctl] = sys_ioctl,
	[__NR_reboot] = sys_reboot,
};

static uint64_t warned[NR_SYSCALLS / 64];
bool syscall_trace; /* boot option "strace": log every call and result */

long syscall_invoke(unsigned long nr, const unsigned long args[6])
{
	if (nr < NR_SYSCALLS && syscall_table[nr]) {
		if (!syscall_trace)
			return syscall_table[nr](args);
		long ret = syscall_table[nr](args);
		pr_info("%s[%d]: syscall %lu(%#lx, %#lx, %#lx, %#lx, %#lx, %#lx) = %ld\n",
			current_task()->name, current_task()->id, nr, args[0], args[1], args[2],
			args[3], args[4], args[5], ret);
		return ret;
	}
	if (nr < NR_SYSCALLS && !(warned[nr / 64] & (1ULL << (nr % 64)))) {
		warned[nr / 64] |= 1ULL << (nr % 64);
		pr_info("%s: syscall %lu is not implemented (ENOSYS)\n", current_task()->name, nr);
	}
	return -ENOSYS;
}
