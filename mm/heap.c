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

uint64_t mm_free_bytes(void)
{
	return page_allocator_nr_free(&kernel_pages) << PAGE_SHIFT;
}

uint64_t mm_total_bytes(void)
{
	return page_allocator_nr_total(&kernel_pages) << PAGE_SHIFT;
}
