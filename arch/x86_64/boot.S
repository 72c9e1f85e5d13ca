/* SPDX-License-Identifier: MIT */
/*
 * PVH entry: the loader starts us in 32-bit protected mode, paging off,
 * with %ebx holding the physical address of struct hvm_start_info. We
 * record the TSC, load a GDT, map the first GiB three ways (identity for
 * the switch, the direct map and the kernel image) with 2 MiB pages,
 * enter long mode and jump to kmain() in the higher half. arch_main.c
 * replaces these tables with final ones.
 */
#include <arch/layout.h>

#define PHYS(sym) ((sym) - KERNEL_VMA)
#define XEN_ELFNOTE_PHYS32_ENTRY 18

	.section .note.Xen, "a"
	.p2align 2
	.long 4			/* name size: "Xen" and NUL */
	.long 8			/* descriptor size */
	.long XEN_ELFNOTE_PHYS32_ENTRY
	.asciz "Xen"
	.p2align 2
	.quad PHYS(pvh_start)

	.section .boot.text, "ax"
	.code32
	.global pvh_start
pvh_start:
	cli
	cld
	mov %ebx, %edi
	rdtsc
	mov %eax, PHYS(boot_tsc)
	mov %edx, PHYS(boot_tsc) + 4

	lgdt PHYS(boot_gdt_desc)

	mov $0x80000001, %eax
	cpuid
	mov %edx, %esi

	mov %cr4, %eax
	or $0x20, %eax			/* PAE */
	mov %eax, %cr4
	mov $PHYS(boot_pml4), %eax
	mov %eax, %cr3

	mov $0xc0000080, %ecx		/* EFER */
	rdmsr
	or $0x100, %eax			/* LME */
	test $(1 << 20), %esi		/* NX available? */
	jz 1f
	or $0x800, %eax			/* NXE */
1:	wrmsr

	mov %cr0, %eax
	or $0x80010001, %eax		/* PG, WP, PE */
	mov %eax, %cr0
	ljmp $SEL_KCODE, $PHYS(long_mode_entry)

	.code64
long_mode_entry:
	mov $SEL_KDATA, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	xor %eax, %eax
	mov %eax, %fs
	mov %eax, %gs
	movabs $higher_half, %rax
	jmp *%rax

	.text
higher_half:
	lea boot_stack_top(%rip), %rsp
	xor %ebp, %ebp
	mov %edi, %edi			/* zero-extend start_info address */
	call kmain
2:	cli
	hlt
	jmp 2b

	.section .rodata
	.p2align 3
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff	/* 0x08: 64-bit kernel code */
	.quad 0x00cf92000000ffff	/* 0x10: kernel data */
boot_gdt_end:
	.p2align 3
boot_gdt_desc:
	.word boot_gdt_end - boot_gdt - 1
	.quad PHYS(boot_gdt)

	.section .data.page_aligned, "aw"
	.p2align 12
	.global boot_pml4
boot_pml4:
	.quad PHYS(boot_pdpt_low) + 3
	.fill 272, 8, 0
	.quad PHYS(boot_pdpt_low) + 3	/* slot 273: direct map */
	.fill 237, 8, 0
	.quad PHYS(boot_pdpt_high) + 3	/* slot 511: kernel image */
boot_pdpt_low:
	.quad PHYS(boot_pd) + 3
	.fill 511, 8, 0
boot_pdpt_high:
	.fill 510, 8, 0
	.quad PHYS(boot_pd) + 3
	.quad 0
boot_pd:
	.set i, 0
	.rept 512
	.quad (i << 21) | 0x83
	.set i, i + 1
	.endr

	.data
	.p2align 3
	.global boot_tsc
boot_tsc:
	.quad 0

	.bss
	.p2align 12
	.global boot_stack_bottom
boot_stack_bottom:
	.skip BOOT_STACK_SIZE
	.global boot_stack_top
boot_stack_top:
