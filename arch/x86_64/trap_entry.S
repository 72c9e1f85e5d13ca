/* SPDX-License-Identifier: MIT */
/*
 * Entry stubs for all 256 vectors. Each pushes a zero error code when the
 * CPU does not, then its vector number, and joins trap_common, which
 * saves the general registers as a struct trap_frame (arch/trap.h),
 * calls trap_dispatch and returns with iretq. Entries from user mode
 * swap GS.
 */
#include <arch/frame.inc>
#include <arch/layout.h>

	.text
	.global trap_vectors_start
trap_vectors_start:
	.set n, 0
	.rept 256
	.p2align 4
	.if (n == 8) || (n >= 10 && n <= 14) || (n == 17) || (n == 21) || (n == 29) || (n == 30)
	.else
	pushq $0
	.endif
	pushq $n
	jmp trap_common
	.set n, n + 1
	.endr

trap_common:
	testb $3, 24(%rsp)		/* CS of the interrupted context */
	jz 1f
	swapgs
1:	PUSH_GENERAL_REGS
	cld
	mov %rsp, %rdi
	/* A frame-pointer link so backtraces walk through the trap. */
	pushq 136(%rsp)			/* interrupted rip */
	pushq 72(%rsp)			/* interrupted rbp */
	mov %rsp, %rbp
	call trap_dispatch
	add $16, %rsp
	.global trap_exit
trap_exit:			/* also the way out of syscall_entry */
	POP_GENERAL_REGS
	add $16, %rsp			/* vector and error code */
	testb $3, 8(%rsp)
	jz 2f
	swapgs
2:	iretq

	.section .rodata
	.p2align 3
	.global trap_vector_table
trap_vector_table:
	.set n, 0
	.rept 256
	.quad trap_vectors_start + n * 16
	.set n, n + 1
	.endr
