/* SPDX-License-Identifier: MIT */
/*
 * SYSCALL entry. The CPU arrives here from user mode with the user RIP in
 * %rcx and RFLAGS in %r11, interrupts masked (IA32_FMASK) and the user's
 * stack and GS. We switch to the kernel GS and the task's kernel stack,
 * build the same struct trap_frame an interrupt builds (vector
 * VEC_SYSCALL, the syscall number in error_code) and call syscall_dispatch
 * with interrupts on. It comes back with interrupts off, saying whether
 * the frame can leave through SYSRET (the usual case: nothing changed
 * the return registers) or needs trap_exit's IRETQ.
 */
#include <arch/frame.inc>
#include <arch/layout.h>

#define CPU_KERNEL_RSP 0
#define CPU_USER_RSP 8
#define VEC_SYSCALL 0x100

	.text
	.global syscall_entry
syscall_entry:
	swapgs
	movq %rsp, %gs:CPU_USER_RSP
	movq %gs:CPU_KERNEL_RSP, %rsp
	pushq $SEL_UDATA		/* ss */
	pushq %gs:CPU_USER_RSP		/* rsp */
	pushq %r11			/* rflags */
	pushq $SEL_UCODE		/* cs */
	pushq %rcx			/* rip */
	pushq %rax			/* error_code: the syscall number */
	pushq $VEC_SYSCALL		/* vector */
	PUSH_GENERAL_REGS
	xorl %ebp, %ebp			/* the user's frame chain ends here */
	movq %rsp, %rdi
	sti
	call syscall_dispatch
	testb %al, %al
	jz trap_exit
	/* syscall_dispatch checked rcx == rip and r11 == rflags in the frame. */
	POP_GENERAL_REGS
	movq 5 * 8(%rsp), %rsp		/* the user rsp, after vector, error code, rip, cs, rflags */
	swapgs
	sysretq

/*
 * arch_enter_user(rip, rsp): leaves the kernel for user mode at rip with
 * stack rsp, interrupts on and every other register zero.
 */
	.global arch_enter_user
arch_enter_user:
	cli
	pushq $SEL_UDATA
	pushq %rsi
	pushq $0x202
	pushq $SEL_UCODE
	pushq %rdi
	xorl %eax, %eax
	xorl %ebx, %ebx
	xorl %ecx, %ecx
	xorl %edx, %edx
	xorl %esi, %esi
	xorl %edi, %edi
	xorl %ebp, %ebp
	xorl %r8d, %r8d
	xorl %r9d, %r9d
	xorl %r10d, %r10d
	xorl %r11d, %r11d
	xorl %r12d, %r12d
	xorl %r13d, %r13d
	xorl %r14d, %r14d
	xorl %r15d, %r15d
	swapgs
	iretq
