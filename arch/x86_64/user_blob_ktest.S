/* SPDX-License-Identifier: MIT */
/*
 * Position-independent user-mode programs for user_ktest.c, copied into
 * a user page and entered at one of the labels below. Each ends with
 * exit_group(42) on success, exit_group(1..) at the first failed check.
 */
#define SYS_write 1
#define SYS_writev 20
#define SYS_getpid 39
#define SYS_exit_group 231
#define EFAULT 14
#define EBADF 9
#define ENOSYS 38

	.section .rodata
	.global user_blob_start, user_blob_end
	.global user_prog_syscalls, user_prog_null, user_prog_ud2, user_prog_kernel_read
	.p2align 12
user_blob_start:

user_prog_syscalls:
	mov $1, %edi
	lea hello(%rip), %rsi
	mov $hello_end - hello, %edx
	mov $SYS_write, %eax
	syscall
	cmp $hello_end - hello, %rax
	jne fail1
	mov $1, %edi			/* write from an unmapped user address */
	mov $16, %esi
	mov $1, %edx
	mov $SYS_write, %eax
	syscall
	cmp $-EFAULT, %rax
	jne fail2
	mov $1, %edi			/* write from kernel memory */
	movabs $0xffffffff80100000, %rsi
	mov $8, %edx
	mov $SYS_write, %eax
	syscall
	cmp $-EFAULT, %rax
	jne fail3
	mov $5, %edi			/* a descriptor that is not open */
	lea hello(%rip), %rsi
	mov $1, %edx
	mov $SYS_write, %eax
	syscall
	cmp $-EBADF, %rax
	jne fail4
	mov $100000, %eax		/* no such syscall */
	syscall
	cmp $-ENOSYS, %rax
	jne fail5
	mov $1, %edi			/* writev whose iovec points into the kernel */
	lea bad_iov(%rip), %rsi
	mov $1, %edx
	mov $SYS_writev, %eax
	syscall
	cmp $-EFAULT, %rax
	jne fail6
	mov $0x1234, %rbx		/* callee-visible registers survive a syscall */
	mov $0x5678, %r12
	mov $SYS_getpid, %eax
	syscall
	cmp $0x1234, %rbx
	jne fail7
	cmp $0x5678, %r12
	jne fail7
	mov $42, %edi
	jmp do_exit
fail1:	mov $1, %edi
	jmp do_exit
fail2:	mov $2, %edi
	jmp do_exit
fail3:	mov $3, %edi
	jmp do_exit
fail4:	mov $4, %edi
	jmp do_exit
fail5:	mov $5, %edi
	jmp do_exit
fail6:	mov $6, %edi
	jmp do_exit
fail7:	mov $7, %edi
do_exit:
	mov $SYS_exit_group, %eax
	syscall
	ud2

user_prog_null:
	movq $0, %rax
	movq (%rax), %rax
	ud2

user_prog_ud2:
	ud2

user_prog_kernel_read:
	movabs $0xffffffff80100000, %rax
	movq (%rax), %rax
	ud2

	.p2align 3
bad_iov:
	.quad 0xffffffff80100000, 8
hello:
	.ascii "user mode says hello\n"
hello_end:
	.p2align 12
user_blob_end:
