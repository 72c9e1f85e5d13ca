// SPDX-License-Identifier: MIT
/*
 * Kernel page tables. paging_init replaces the boot tables with the
 * final layout (arch/layout.h): a direct map of every RAM and ACPI
 * region (2 MiB pages where alignment allows, never executable), the
 * kernel image in 4 KiB pages with text read-only+executable, rodata
 * read-only, data and bss non-executable, and MMIO mapped uncached on
 * demand by ioremap. Page-table pages come from the early bump allocator
 * until the page allocator is up (memory.c switches the source).
 */
#include <arch/layout.h>
#include <arch/x86.h>
#include <tern/base.h>
#include <tern/arch.h>
#include <tern/boot.h>
#include <tern/errno.h>
#include <tern/string.h>

#include "internal.h"

#define LARGE_PAGE (1ULL << 21)

extern char _text[], _etext[], _rodata[], _erodata[], _data[], _edata[], _end[];

static uint64_t *kernel_pml4;
static uint64_t (*table_source)(void);
uint64_t nx_bit;

void paging_set_table_source(uint64_t (*alloc_zeroed_page_phys)(void))
{
	table_source = alloc_zeroed_page_phys;
}

static unsigned int index_of(uintptr_t va, int level)
{
	return (va >> (12 + 9 * level)) & 511;
}

/* Returns the entry for va at level (0 = PT) or NULL if a table is missing. */
static uint64_t *walk(uintptr_t va, int level, bool create)
{
	uint64_t *table = kernel_pml4;

	for (int l = 3; l > level; l--) {
		uint64_t *e = &table[index_of(va, l)];
		if (!(*e & PTE_P)) {
			if (!create)
				return NULL;
			uint64_t pa = table_source();
			if (!pa)
				return NULL;
			*e = pa | PTE_P | PTE_W;
		} else if (*e & PTE_PS) {
			return create ? NULL : e;
		}
		table = phys_to_virt(*e & PTE_ADDR);
	}
	return &table[index_of(va, level)];
}

int paging_map(uintptr_t va, uint64_t pa, uint64_t flags, bool is_large)
{
	uint64_t *e = walk(va, is_large ? 1 : 0, true);

	if (!e)
		return -ENOMEM;
	*e = pa | flags | PTE_P | (is_large ? PTE_PS : 0);
	invlpg(va);
	return 0;
}

const uint64_t *paging_kernel_pml4(void)
{
	return kernel_pml4;
}

void paging_unmap(uintptr_t va)
{
	uint64_t *e = walk(va, 0, false);

	if (e && !(*e & PTE_PS)) {
		*e = 0;
		invlpg(va);
	}
}

bool arch_is_mapped(uintptr_t va)
{
	uint64_t *table = kernel_pml4 ? kernel_pml4 : phys_to_virt(read_cr3() & PTE_ADDR);

	for (int l = 3; l >= 0; l--) {
		uint64_t e = table[index_of(va, l)];
		if (!(e & PTE_P))
			return false;
		if (l == 0 || (e & PTE_PS))
			return true;
		table = phys_to_virt(e & PTE_ADDR);
	}
	return false;
}

uint64_t paging_leaf_entry(uintptr_t va)
{
	uint64_t *e = walk(va, 0, false);

	return e ? *e : 0;
}

uint64_t paging_translate(uintptr_t va)
{
	uint64_t *e = walk(va, 0, false);

	if (!e || !(*e & PTE_P))
		return 0;
	if (*e & PTE_PS)
		return (*e & PTE_ADDR & ~(LARGE_PAGE - 1)) + (va & (LARGE_PAGE - 1));
	return (*e & PTE_ADDR) + (va & (PAGE_SIZE - 1));
}

bool phys_is_mapped(uint64_t pa, size_t len)
{
	uintptr_t va = (uintptr_t)phys_to_virt(pa);

	for (uintptr_t p = ALIGN_DOWN(va, PAGE_SIZE); p < va + len; p += PAGE_SIZE) {
		if (!arch_is_mapped(p))
			return false;
	}
	return true;
}

static void map_range(uintptr_t va, uint64_t pa, uint64_t len, uint64_t flags)
{
	uint64_t end = pa + len;

	while (pa < end) {
		bool is_large = IS_ALIGNED(pa, LARGE_PAGE) && IS_ALIGNED(va, LARGE_PAGE) &&
				end - pa >= LARGE_PAGE;
		if (paging_map(va, pa, flags, is_large) != 0)
			panic("paging: out of memory for page tables\n");
		pa += is_large ? LARGE_PAGE : PAGE_SIZE;
		va += is_large ? LARGE_PAGE : PAGE_SIZE;
	}
}

static void map_image(char *start, char *end, uint64_t flags)
{
	uintptr_t va = (uintptr_t)start;

	map_range(va, va - KERNEL_VMA, ALIGN_UP((uintptr_t)end, PAGE_SIZE) - va, flags);
}

static void *map_phys(uint64_t pa, size_t len, uint64_t flags)
{
	uint64_t start = ALIGN_DOWN(pa, PAGE_SIZE);
	uint64_t end = ALIGN_UP(pa + len, PAGE_SIZE);

	for (uint64_t p = start; p < end; p += PAGE_SIZE) {
		uintptr_t va = (uintptr_t)phys_to_virt(p);
		if (arch_is_mapped(va))
			continue;
		if (paging_map(va, p, flags | PTE_G | nx_bit, false) != 0)
			panic("paging: out of memory for page tables\n");
	}
	return phys_to_virt(pa);
}

void *firmware_map(uint64_t pa, size_t len)
{
	return map_phys(pa, len, 0);
}

void *ioremap(uint64_t pa, size_t len)
{
	return map_phys(pa, len, PTE_W | PTE_PCD | PTE_PWT);
}

void paging_init(const struct boot_info *bi)
{
	uint32_t a, b, c, d;

	cpuid(0x80000001, 0, &a, &b, &c, &d);
	nx_bit = (d & (1 << 20)) ? PTE_NX : 0;
	kernel_pml4 = phys_to_virt(table_source());
	/*
	 * Every kernel-half slot gets its PDPT now and keeps it: user page
	 * tables copy these 256 entries once, so kernel mappings made later
	 * (stacks, MMIO) appear in every address space without syncing.
	 */
	for (int i = 256; i < 512; i++)
		kernel_pml4[i] = table_source() | PTE_P | PTE_W;
	for (int i = 0; i < bi->nr_mem; i++) {
		const struct boot_mem_region *r = &bi->mem[i];
		if (r->type != BOOT_MEM_RAM && r->type != BOOT_MEM_ACPI && r->type != BOOT_MEM_NVS)
			continue;
		uint64_t start = ALIGN_DOWN(r->base, PAGE_SIZE);
		uint64_t end = ALIGN_UP(r->base + r->size, PAGE_SIZE);
		map_range((uintptr_t)phys_to_virt(start), start, end - start,
			  PTE_W | PTE_G | nx_bit);
	}
	/* The first MiB (BIOS data, where PVH loaders put start_info) is always mapped. */
	for (uint64_t p = 0; p < 0x100000; p += PAGE_SIZE) {
		if (!arch_is_mapped((uintptr_t)phys_to_virt(p)))
			map_range((uintptr_t)phys_to_virt(p), p, PAGE_SIZE, PTE_W | PTE_G | nx_bit);
	}
	map_image(_text, _etext, PTE_G);
	map_image(_rodata, _erodata, PTE_G | nx_bit);
	map_image(_data, _edata, PTE_W | PTE_G | nx_bit);
	map_image(_edata, _end, PTE_G | nx_bit);
	write_cr3(virt_to_phys(kernel_pml4));
}
