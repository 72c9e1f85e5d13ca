/* SPDX-License-Identifier: MIT */
/*
 * switch_stacks(uint64_t *save_rsp, uint64_t next_rsp): saves the
 * callee-saved registers on the current stack, stores the stack pointer,
 * loads the next task's and restores its registers. A new task's stack
 * is prepared by arch_task_init_stack so that the final ret lands in
 * thread_trampoline with the task in %r12.
 */
	.text
	.global switch_stacks
switch_stacks:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, (%rdi)
	movq %rsi, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret

	.global thread_trampoline
thread_trampoline:
	movq %r12, %rdi
	call kthread_start
	ud2
