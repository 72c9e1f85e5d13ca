/* SPDX-License-Identifier: MIT */
/*
 * The only code that touches user memory. Each user access is one
 * instruction listed in __ex_table with a fixup: if it faults and the
 * fault cannot be resolved (no mapping), the page-fault handler resumes
 * at the fixup, which reports how much was left. SMAP is lifted (stac)
 * only around the access; user_access_begin/end are patched to no-ops
 * when the CPU has no SMAP (stac would be an invalid opcode there).
 */
	.text

/*
 * size_t arch_copy_user(void *dst, const void *src, size_t n): bytes NOT
 * copied. Eight bytes at a time (rep movsq), then the tail (rep movsb):
 * under QEMU's TCG every iteration of a rep string instruction costs
 * about the same whatever its width, so quadwords copy several times
 * faster. A fault among the quadwords goes on byte by byte from the
 * quadword that faulted, so the count left is exact.
 */
	.global arch_copy_user
arch_copy_user:
	movq %rdx, %rcx
	shrq $3, %rcx
	andl $7, %edx
	call user_access_begin
1:	rep movsq
	movl %edx, %ecx
2:	rep movsb
	call user_access_end
	xorl %eax, %eax
	ret
3:	leaq (%rdx,%rcx,8), %rcx
	jmp 2b
4:	call user_access_end
	movq %rcx, %rax
	ret
	.section __ex_table, "a"
	.quad 1b, 3b
	.quad 2b, 4b
	.text

/*
 * long arch_strncpy_user(char *dst, const char *src, size_t max): copies
 * up to max bytes, stopping after a NUL; returns the string length, max
 * if no NUL was found, or -1 if a user byte could not be read.
 */
	.global arch_strncpy_user
arch_strncpy_user:
	xorl %ecx, %ecx
	call user_access_begin
3:	cmpq %rdx, %rcx
	je 5f
4:	movb (%rsi,%rcx), %al
	movb %al, (%rdi,%rcx)
	testb %al, %al
	jz 5f
	incq %rcx
	jmp 3b
5:	call user_access_end
	movq %rcx, %rax
	ret
6:	call user_access_end
	movq $-1, %rax
	ret
	.section __ex_table, "a"
	.quad 4b, 6b
	.text

/*
 * int arch_probe_user_write(void *p): 0 if the byte at p can be written,
 * else -1. An atomic OR of zero: it needs write access (and so resolves
 * copy-on-write and demand faults like a store) but leaves the byte as it
 * was, even against another thread storing there at the same time.
 */
	.global arch_probe_user_write
arch_probe_user_write:
	call user_access_begin
1:	lock orb $0, (%rdi)
	call user_access_end
	xorl %eax, %eax
	ret
2:	call user_access_end
	movl $-1, %eax
	ret
	.section __ex_table, "a"
	.quad 1b, 2b
	.text

	.global user_access_begin
user_access_begin:
	.byte 0x0f, 0x01, 0xcb		/* stac; becomes nop3 without SMAP */
	ret
	.global user_access_end
user_access_end:
	.byte 0x0f, 0x01, 0xca		/* clac; becomes nop3 without SMAP */
	ret
