// SPDX-License-Identifier: MIT
/*
 * In-kernel tests of the x86-64 setup: page permissions of the kernel
 * image and direct map, CPU protection bits, the double-fault IST stack,
 * the embedded symbol table and interrupt routing. Exceptions themselves
 * stop the machine, so their reports are tested by separate boots
 * (ktest_fault=, kernel/fault_ktest.c).
 */
#include <arch/trap.h>
#include <arch/x86.h>
#include <tern/arch.h>
#include <tern/base.h>
#include <tern/boot.h>
#include <tern/irq.h>
#include <tern/ktest.h>
#include <tern/printk.h>
#include <tern/sched.h>
#include <tern/serial.h>
#include <tern/string.h>

#include "internal.h"

extern char _text[], _etext[], _rodata[], _erodata[], _data[], _edata[];
static int writable_data = 1;

KTEST(arch, kernel_text_is_read_only_and_executable)
{
	uint64_t e = paging_leaf_entry((uintptr_t)kernel_symbol_lookup);

	KEXPECT(e & PTE_P);
	KEXPECT(!(e & PTE_W));
	KEXPECT(!(e & PTE_NX));
	KEXPECT(!(paging_leaf_entry((uintptr_t)_etext - 1) & PTE_W));
}

KTEST(arch, rodata_is_read_only_and_not_executable)
{
	uint64_t e = paging_leaf_entry((uintptr_t)_rodata);

	KEXPECT(e & PTE_P);
	KEXPECT(!(e & PTE_W));
	KEXPECT_EQ(e & PTE_NX, nx_bit);
}

KTEST(arch, data_and_stacks_are_not_executable)
{
	KEXPECT(paging_leaf_entry((uintptr_t)&writable_data) & PTE_W);
	KEXPECT_EQ(paging_leaf_entry((uintptr_t)&writable_data) & PTE_NX, nx_bit);
	uint64_t local = 0;
	KEXPECT_EQ(paging_leaf_entry((uintptr_t)&local) & PTE_NX, nx_bit);
	void *heap = kmalloc(64);
	KASSERT(heap != NULL);
	KEXPECT_EQ(paging_leaf_entry((uintptr_t)heap) & PTE_NX, nx_bit);
	kfree(heap);
}

KTEST(arch, cpu_protections_are_on)
{
	uint32_t a, b, c, d;

	KEXPECT(read_cr0() & (1 << 16)); /* WP */
	cpuid(0x80000001, 0, &a, &b, &c, &d);
	KEXPECT_EQ(!!(rdmsr(MSR_EFER) & (1 << 11)), !!(d & (1 << 20))); /* NXE iff NX */
	cpuid(7, 0, &a, &b, &c, &d);
	KEXPECT_EQ(!!(read_cr4() & (1 << 20)), !!(b & (1 << 7)));  /* SMEP */
	KEXPECT_EQ(!!(read_cr4() & (1 << 21)), !!(b & (1 << 20))); /* SMAP */
}

KTEST(arch, low_memory_is_not_identity_mapped)
{
	/* The boot tables' identity map is gone: NULL and low addresses fault. */
	KEXPECT(!arch_is_mapped(0));
	KEXPECT(!arch_is_mapped(0x100000));
	KEXPECT(!arch_is_mapped(0x200000));
}

KTEST(arch, direct_map_covers_all_ram)
{
	for (int i = 0; i < boot_info.nr_mem; i++) {
		const struct boot_mem_region *r = &boot_info.mem[i];
		if (r->type != BOOT_MEM_RAM)
			continue;
		uint64_t first = ALIGN_UP(r->base, PAGE_SIZE);
		uint64_t last = ALIGN_DOWN(r->base + r->size - 1, PAGE_SIZE);
		KEXPECT(phys_is_mapped(first, PAGE_SIZE));
		KEXPECT(phys_is_mapped(last, PAGE_SIZE));
		KEXPECT_EQ(paging_translate((uintptr_t)phys_to_virt(last)), last);
	}
}

KTEST(arch, double_fault_runs_on_its_own_stack)
{
	struct __attribute__((packed)) {
		uint16_t limit;
		uint64_t base;
	} idtr;
	__asm__ __volatile__("sidt %0" : "=m"(idtr));
	const uint8_t *gate = (const uint8_t *)idtr.base + VEC_DOUBLE_FAULT * 16;

	KEXPECT_EQ(idtr.limit, 256 * 16 - 1);
	KEXPECT(gate[4] & 7); /* IST index */
	KEXPECT(!((const uint8_t *)idtr.base + VEC_PAGE_FAULT * 16)[4]);
}

KTEST(arch, symbol_table_names_functions)
{
	const char *name = NULL;
	uint64_t off = 99;

	KASSERT(kernel_symbol_lookup((uint64_t)kernel_symbol_lookup, &name, &off));
	KEXPECT(strcmp(name, "kernel_symbol_lookup") == 0);
	KEXPECT_EQ(off, 0);
	KASSERT(kernel_symbol_lookup((uint64_t)schedule + 3, &name, &off));
	KEXPECT(strcmp(name, "schedule") == 0);
	KEXPECT_EQ(off, 3);
	KEXPECT(!kernel_symbol_lookup(0x1000, &name, &off));
}

KTEST(arch, serial_output_is_interrupt_driven)
{
	uint64_t before = serial_nr_tx_irqs();
	char line[200];

	memset(line, '.', sizeof(line) - 2);
	line[sizeof(line) - 2] = '\n';
	line[sizeof(line) - 1] = '\0';
	for (int i = 0; i < 4; i++)
		console_print("%s", line);
	sleep_ns(20000000);
	KEXPECT(serial_nr_tx_irqs() > before);
	KEXPECT(irq_count_isa(4) > 0);
}

KTEST(arch, timer_interrupts_arrive_through_local_apic)
{
	uint64_t before = irq_count_timer();

	sleep_ns(3000000);
	KEXPECT(irq_count_timer() > before);
	KEXPECT(arch_irqs_enabled());
}
