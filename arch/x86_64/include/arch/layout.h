/* SPDX-License-Identifier: MIT */
/*
 * Tern's x86-64 virtual memory layout, shared by assembly and C.
 *   0xffff888000000000  direct map of all physical memory (PML4 slot 273)
 *   0xffffc90000000000  kernel virtual area: thread stacks with guard pages
 *   0xffffffff80000000  kernel image, loaded at physical KERNEL_PHYS
 */
#pragma once

#define KERNEL_VMA 0xffffffff80000000
#define KERNEL_PHYS 0x100000
#define DIRECT_MAP_BASE 0xffff888000000000
#define KVA_BASE 0xffffc90000000000
#define KVA_SIZE 0x0000010000000000

#define BOOT_STACK_SIZE 16384

/* GDT selectors. */
#define SEL_KCODE 0x08
#define SEL_KDATA 0x10
#define SEL_UDATA 0x1b
#define SEL_UCODE 0x23
#define SEL_TSS 0x28
