// SPDX-License-Identifier: MIT
/*
 * Physical memory bring-up. A bump allocator hands out pages just past
 * the kernel image (stepping over the initramfs) for the final page
 * tables and the page descriptors; then every RAM region, minus the
 * first MiB, the kernel, the bump area and the initramfs, is given to
 * the page allocator (mm/page_alloc.c), and kmalloc starts.
 */
#include <arch/layout.h>
#include <tern/base.h>
#include <tern/mm.h>
#include <tern/string.h>

#include "internal.h"

#define EARLY_MAP_LIMIT (1ULL << 30) /* boot.S maps the first GiB */

extern char _end[];

static uint64_t bump_start, bump_next;
static const struct boot_info *boot;

static bool overlaps(uint64_t a, uint64_t a_end, uint64_t b, uint64_t b_end)
{
	return a < b_end && b < a_end;
}

static bool is_in_ram(uint64_t start, uint64_t end)
{
	for (int i = 0; i < boot->nr_mem; i++) {
		const struct boot_mem_region *r = &boot->mem[i];
		if (r->type == BOOT_MEM_RAM && start >= r->base && end <= r->base + r->size)
			return true;
	}
	return false;
}

static uint64_t bump_alloc_phys(size_t len)
{
	uint64_t pa = bump_next;
	uint64_t initrd_end = boot->initrd_phys + boot->initrd_size;

	len = ALIGN_UP(len, PAGE_SIZE);
	if (boot->initrd_size && overlaps(pa, pa + len, boot->initrd_phys, initrd_end))
		pa = ALIGN_UP(initrd_end, PAGE_SIZE);
	if (pa + len > EARLY_MAP_LIMIT || !is_in_ram(pa, pa + len))
		panic("memory: no room for early allocations at %#llx\n", (unsigned long long)pa);
	bump_next = pa + len;
	memset(phys_to_virt(pa), 0, len);
	return pa;
}

static uint64_t bump_table_page(void)
{
	return bump_alloc_phys(PAGE_SIZE);
}

/* Adds [start, end) to the allocator minus the reserved ranges. */
static void add_free_range(uint64_t start, uint64_t end)
{
	const uint64_t reserved[3][2] = {
		{0, 0x100000},
		{KERNEL_PHYS, bump_next},
		{boot->initrd_phys, boot->initrd_phys + boot->initrd_size},
	};

	start = ALIGN_UP(start, PAGE_SIZE);
	end = ALIGN_DOWN(end, PAGE_SIZE);
	for (int i = 0; i < 3 && start < end; i++) {
		uint64_t r0 = ALIGN_DOWN(reserved[i][0], PAGE_SIZE);
		uint64_t r1 = ALIGN_UP(reserved[i][1], PAGE_SIZE);
		if (!overlaps(start, end, r0, r1))
			continue;
		if (start < r0)
			add_free_range(start, r0);
		start = r1;
	}
	if (start < end &&
	    page_allocator_add_free(&kernel_pages, start >> PAGE_SHIFT, end >> PAGE_SHIFT) != 0)
		panic("memory: cannot add %#llx-%#llx\n", (unsigned long long)start,
		      (unsigned long long)end);
}

void memory_init(const struct boot_info *bi)
{
	uint64_t max_end = 0;

	boot = bi;
	bump_start = ALIGN_UP((uintptr_t)_end - KERNEL_VMA, PAGE_SIZE);
	bump_next = bump_start;
	paging_set_table_source(bump_table_page);
	paging_init(bi);

	for (int i = 0; i < bi->nr_mem; i++) {
		if (bi->mem[i].type == BOOT_MEM_RAM)
			max_end = MAX(max_end, bi->mem[i].base + bi->mem[i].size);
	}
	uint64_t nr_pages = max_end >> PAGE_SHIFT;
	struct page *descs = phys_to_virt(bump_alloc_phys(page_allocator_desc_bytes(nr_pages)));
	page_allocator_init(&kernel_pages, descs, 0, nr_pages);
	for (int i = 0; i < bi->nr_mem; i++) {
		if (bi->mem[i].type == BOOT_MEM_RAM)
			add_free_range(bi->mem[i].base, bi->mem[i].base + bi->mem[i].size);
	}
	paging_set_table_source(mm_alloc_zeroed_page);
	mm_heap_init();
}
