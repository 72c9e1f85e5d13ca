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

/* Starts kmalloc; the page allocator must have its free ranges already. */
void mm_heap_init(void);
