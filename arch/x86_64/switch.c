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

#define FXSAVE_BYTES 512

static uint8_t fpu_clean_state[FXSAVE_BYTES] __aligned(16);

/* Called once at boot with SSE enabled: records the reset FPU state. */
void fpu_init_clean_state(void)
{
	__asm__ __volatile__("fninit; fxsave64 %0" : "=m"(fpu_clean_state));
	uint32_t mxcsr_default = 0x1f80;
	memcpy(fpu_clean_state + 24, &mxcsr_default, 4);
}

int arch_user_fpu_init(void)
{
	struct task *self = current_task();

	if (!self->fpu_state) {
		self->fpu_state = kmalloc(FXSAVE_BYTES); /* kmalloc aligns to 16 */
		if (!self->fpu_state)
			return -ENOMEM;
	}
	memcpy(self->fpu_state, fpu_clean_state, FXSAVE_BYTES);
	__asm__ __volatile__("fxrstor64 %0" ::"m"(fpu_clean_state));
	return 0;
}

/*
 * The kernel itself never touches FPU or SSE registers (it is built with
 * general registers only), so they belong to user threads alone and are
 * switched eagerly here. FIXME: XSAVE for AVX state; until then CR4.OSXSAVE
 * stays off, so CPUID tells programs that AVX is unusable.
 */
void arch_switch(struct task *prev, struct task *next)
{
	if (prev->fpu_state)
		__asm__ __volatile__("fxsave64 (%0)" ::"r"(prev->fpu_state) : "memory");
	if (next->fpu_state)
		__asm__ __volatile__("fxrstor64 (%0)" ::"r"(next->fpu_state) : "memory");
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
