// SPDX-License-Identifier: MIT
/*
 * The kernel's side of base.h's memory functions: kmalloc and friends
 * are the one struct kmem over the one page allocator. Both allocators
 * are portable core code (page_alloc.c, kmem.c); this file only owns
 * their kernel instances.
 */
#include <tern/base.h>
#include <tern/kernel.h>
#include <tern/mm.h>
#include <tern/string.h>

struct page_allocator kernel_pages;
struct kmem kernel_kmem;

void mm_heap_init(void)
{
	kmem_init(&kernel_kmem, &kernel_pages);
}

void *kmalloc(size_t size_bytes)
{
	return kmem_alloc(&kernel_kmem, size_bytes);
}

void *kzalloc(size_t size_bytes)
{
	return kmem_zalloc(&kernel_kmem, size_bytes);
}

void kfree(void *ptr)
{
	kmem_free(&kernel_kmem, ptr);
}

uint64_t mm_alloc_zeroed_page(void)
{
	struct page *p;

	if (page_alloc(&kernel_pages, 0, &p) != 0)
		return 0;
	memset(page_to_virt(&kernel_pages, p), 0, PAGE_SIZE);
	return page_to_phys(&kernel_pages, p);
}

void mm_put_page(uint64_t pa)
{
	page_put(&kernel_pages, pfn_to_page(&kernel_pages, pa >> PAGE_SHIFT));
}

void mm_get_page(uint64_t pa)
{
	page_get(pfn_to_page(&kernel_pages, pa >> PAGE_SHIFT));
}

uint32_t mm_page_refcount(uint64_t pa)
{
	return __atomic_load_n(&pfn_to_page(&kernel_pages, pa >> PAGE_SHIFT)->refcount,
			       __ATOMIC_ACQUIRE);
}

uint64_t mm_free_bytes(void)
{
	return page_allocator_nr_free(&kernel_pages) << PAGE_SHIFT;
}

uint64_t mm_total_bytes(void)
{
	return page_allocator_nr_total(&kernel_pages) << PAGE_SHIFT;
}
