// SPDX-License-Identifier: MIT
/*
 * User threads' register state on x86-64: the trap frame at the top of
 * every user thread's kernel stack (syscall_entry.S and trap_entry.S put
 * it there), copied for fork and clone, reset for execve; and the FPU
 * state that goes with it.
 */
#include <arch/trap.h>
#include <arch/x86.h>
#include <tern/arch.h>
#include <tern/base.h>
#include <tern/errno.h>
#include <tern/sched.h>
#include <tern/string.h>
#include <tern/syscall.h>

#include "internal.h"

#define RFLAGS_IF (1 << 9)

struct trap_frame *arch_user_frame(struct task *t)
{
	return (struct trap_frame *)t->stack.top - 1;
}

int arch_fork_thread(struct task *child, uint64_t sp, bool set_tls, uint64_t tls)
{
	struct task *self = current_task();
	struct trap_frame *f = arch_user_frame(child);

	int err = fpu_fork(child);

	if (err)
		return err;
	*f = *arch_user_frame(self);
	f->rax = 0;
	if (sp)
		f->rsp = sp;
	child->fs_base = set_tls ? tls : self->fs_base;
	return 0;
}

void arch_return_to_user(void)
{
	struct trap_frame *f = arch_user_frame(current_task());

	__asm__ __volatile__("cli; movq %0, %%rsp; jmp trap_exit" ::"r"(f) : "memory");
	__builtin_unreachable();
}

void arch_exec_frame(uint64_t entry, uint64_t sp)
{
	struct trap_frame *f = arch_user_frame(current_task());

	memset(f, 0, sizeof(*f));
	f->rip = entry;
	f->rsp = sp;
	f->cs = SEL_UCODE;
	f->ss = SEL_UDATA;
	f->rflags = RFLAGS_IF;
	f->vector = VEC_SYSCALL;
}

uint64_t arch_user_sp(void)
{
	return arch_user_frame(current_task())->rsp;
}
