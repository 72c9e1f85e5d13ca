// SPDX-License-Identifier: MIT
/*
 * Descriptor tables: the 64-bit GDT (kernel and user segments, one TSS),
 * the TSS with separate IST stacks for double faults, NMIs and machine
 * checks, and the IDT pointing every vector at its stub in trap_entry.S.
 * Also turns on the CPU protections we rely on (WP, NX, SMEP/SMAP when
 * present, global pages).
 */
#include <arch/layout.h>
#include <arch/trap.h>
#include <arch/x86.h>
#include <tern/base.h>
#include <tern/string.h>

#include "internal.h"

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __packed;

struct idt_gate {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_high;
	uint32_t zero;
} __packed;

struct table_ptr {
	uint16_t limit;
	uint64_t base;
} __packed;

_Static_assert(sizeof(struct tss) == 104, "TSS layout");
_Static_assert(sizeof(struct idt_gate) == 16, "IDT gate layout");

#define IST_STACK_SIZE 16384
enum { IST_DOUBLE_FAULT = 1, IST_NMI = 2, IST_MCE = 3 };

static uint64_t gdt[7] __aligned(16);
static struct tss tss __aligned(16);
static struct idt_gate idt[256] __aligned(16);
static uint8_t ist_stacks[3][IST_STACK_SIZE] __aligned(16);
extern const uint64_t trap_vector_table[256];

static void gdt_load(void)
{
	uint64_t base = (uint64_t)&tss;
	uint64_t limit = sizeof(tss) - 1;

	gdt[0] = 0;
	gdt[SEL_KCODE / 8] = 0x00af9a000000ffffULL;
	gdt[SEL_KDATA / 8] = 0x00cf92000000ffffULL;
	gdt[SEL_UDATA / 8] = 0x00cff2000000ffffULL;
	gdt[SEL_UCODE / 8] = 0x00affa000000ffffULL;
	gdt[SEL_TSS / 8] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ULL << 40) |
			   (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	gdt[SEL_TSS / 8 + 1] = base >> 32;

	struct table_ptr ptr = {.limit = sizeof(gdt) - 1, .base = (uint64_t)gdt};
	__asm__ __volatile__("lgdt %0\n\t"
			     "pushq %1\n\t"
			     "leaq 1f(%%rip), %%rax\n\t"
			     "pushq %%rax\n\t"
			     "lretq\n"
			     "1:\n\t"
			     "mov %2, %%ds\n\t"
			     "mov %2, %%es\n\t"
			     "mov %2, %%ss\n\t"
			     "ltr %w3"
			     :
			     : "m"(ptr), "i"(SEL_KCODE), "r"(SEL_KDATA), "r"(SEL_TSS)
			     : "rax", "memory");
}

static void idt_set(int vector, uint64_t handler, int ist)
{
	idt[vector] = (struct idt_gate){
		.offset_low = handler & 0xffff,
		.selector = SEL_KCODE,
		.ist = (uint8_t)ist,
		.type_attr = 0x8e, /* present, DPL 0, interrupt gate */
		.offset_mid = (handler >> 16) & 0xffff,
		.offset_high = handler >> 32,
	};
}

void cpu_set_kernel_stack(uint64_t rsp0)
{
	tss.rsp[0] = rsp0;
}

void cpu_init(void)
{
	uint32_t a, b, c, d;

	for (int i = 0; i < 3; i++)
		tss.ist[i] = (uint64_t)&ist_stacks[i][IST_STACK_SIZE];
	tss.iomap_base = sizeof(tss);
	gdt_load();

	for (int v = 0; v < 256; v++)
		idt_set(v, trap_vector_table[v], 0);
	idt_set(VEC_DOUBLE_FAULT, trap_vector_table[VEC_DOUBLE_FAULT], IST_DOUBLE_FAULT);
	idt_set(2, trap_vector_table[2], IST_NMI);
	idt_set(18, trap_vector_table[18], IST_MCE);
	/* User mode may execute int3 (SIGTRAP) and into, as on Linux: their gates have DPL 3. */
	idt[3].type_attr = 0xee;
	idt[4].type_attr = 0xee;
	struct table_ptr ptr = {.limit = sizeof(idt) - 1, .base = (uint64_t)idt};
	__asm__ __volatile__("lidt %0" ::"m"(ptr));

	/* x87 and SSE for user programs: no emulation, native errors, FXSR. */
	write_cr0((read_cr0() & ~(1ULL << 2)) | (1 << 1) | (1 << 5));
	uint64_t cr4 = read_cr4() | (1 << 7) | (1 << 9) | (1 << 10); /* PGE, OSFXSR, OSXMMEXCPT */
	cpuid(7, 0, &a, &b, &c, &d);
	if (b & (1 << 7))
		cr4 |= 1 << 20; /* SMEP */
	if (b & (1 << 20))
		cr4 |= 1 << 21; /* SMAP */
	write_cr4(cr4);
	syscall_init(b & (1 << 20));
	fpu_init();
	cpuid(0x80000001, 0, &a, &b, &c, &d);
	if (!(d & (1 << 20)))
		pr_warn("cpu: no NX bit; data pages stay executable\n");
}

bool cpu_ist_contains(uintptr_t addr)
{
	return addr >= (uintptr_t)ist_stacks && addr < (uintptr_t)ist_stacks + sizeof(ist_stacks);
}
