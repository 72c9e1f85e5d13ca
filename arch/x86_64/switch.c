// SPDX-License-Identifier: MIT
/*
 * Task switching glue: the initial stack frame of a new kernel thread
 * and the per-switch CPU state (the TSS's kernel stack for traps from
 * user mode). The register save/restore itself is switch_stacks.S.
 */
#include <arch/x86.h>
#include <tern/arch.h>
#include <tern/errno.h>
#include <tern/sched.h>
#include <tern/string.h>
#include <tern/base.h>
#include <tern/syscall.h>
#include <tern/uvm.h>
#include <arch/trap.h>

#include "internal.h"

void switch_stacks(uint64_t *save_rsp, uint64_t next_rsp);
void thread_trampoline(void);

void arch_task_init_stack(struct task *t)
{
	/* The top of the stack is kept for a user thread's saved registers. */
	uint64_t *sp = (uint64_t *)arch_user_frame(t);

	*--sp = 0; /* end of the frame chain */
	*--sp = 0;
	*--sp = (uint64_t)thread_trampoline; /* popped by switch_stacks' ret */
	*--sp = 0;			     /* rbp */
	*--sp = 0;			     /* rbx */
	*--sp = (uint64_t)t;		     /* r12 */
	*--sp = 0;			     /* r13 */
	*--sp = 0;			     /* r14 */
	*--sp = 0;			     /* r15 */
	t->saved_rsp = (uint64_t)sp;
}

/*
 * The kernel itself never touches FPU, SSE or AVX registers (it is built
 * with general registers only), so they belong to user threads alone and
 * are switched eagerly here (fpu.c).
 */
void arch_switch(struct task *prev, struct task *next)
{
	fpu_switch(prev, next);
	cpu_set_kernel_stack(next->stack.top);
	cpu_set_syscall_stack(next->stack.top);
	/* Kernel threads borrow whatever tables are loaded: the kernel half is shared. */
	if (next->uvm) {
		uvm_activate(next->uvm);
		wrmsr(MSR_FS_BASE, next->fs_base);
	}
	switch_stacks(&prev->saved_rsp, next->saved_rsp);
}

int arch_set_user_fs(uint64_t base)
{
	if (base >= USER_ADDR_END)
		return -EPERM;
	current_task()->fs_base = base;
	wrmsr(MSR_FS_BASE, base);
	return 0;
}

uint64_t arch_irq_save(void)
{
	return irq_save();
}

void arch_irq_restore(uint64_t flags)
{
	irq_restore(flags);
}

bool arch_irqs_enabled(void)
{
	return irqs_enabled();
}

void arch_irq_enable(void)
{
	irq_enable();
}

void arch_idle(void)
{
	__asm__ __volatile__("sti; hlt" ::: "memory");
}
