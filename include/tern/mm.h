/* SPDX-License-Identifier: MIT */
/*
 * The kernel's single instances of the memory allocators (mm/heap.c):
 * one page allocator for all RAM and the kmalloc heap on top of it.
 */
#pragma once

#include <tern/kmem.h>
#include <tern/page.h>

extern struct page_allocator kernel_pages;
extern struct kmem kernel_kmem;

/*
 * One zeroed page: its physical address, or 0 when memory is out. Pages
 * for page tables, kernel stacks and user memory all come from here.
 */
uint64_t mm_alloc_zeroed_page(void);
/* Drops a reference to the page at pa; the last one frees it. */
void mm_put_page(uint64_t pa);
/* Takes another reference to the page at pa (shared by fork, say). */
void mm_get_page(uint64_t pa);
/* References held on the page at pa: 1 means one owner may write it in place. */
uint32_t mm_page_refcount(uint64_t pa);

/* Starts kmalloc; the page allocator must have its free ranges already. */
void mm_heap_init(void);
