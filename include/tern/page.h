/* SPDX-License-Identifier: MIT */
/*
 * Physical page frames: one struct page per 4 KiB frame, and the buddy
 * allocator that hands out naturally aligned power-of-two blocks of them
 * (mm/page_alloc.c). Small objects are carved out of these pages by kmem
 * (include/tern/kmem.h); address spaces and the page cache share pages
 * through page_get/page_put.
 *
 * Lock legend:
 *   I  immutable after page_allocator_init
 *   z  the allocator's lock (struct page_allocator.lock)
 *   a  atomic
 *   o  the owner of an allocated block (for slab pages: the kmem's lock)
 */
#pragma once

#include <tern/base.h>
#include <tern/list.h>

/* Blocks have order 0 .. MAX_ORDER - 1: up to 1024 pages, 4 MiB. */
#define MAX_ORDER 11

/*
 * Page states. Exactly one of RESERVED, FREE or HEAD is set on a block's
 * first page; the other pages of a block (its tail) have none of them.
 * SLAB and KMEM_LARGE are set by kmem on the head of a block it owns.
 */
enum page_flags {
	PAGE_RESERVED = 1 << 0,	  /* never given to the allocator: firmware, kernel, hole */
	PAGE_FREE = 1 << 1,	  /* head of a free block on free_area[order] */
	PAGE_HEAD = 1 << 2,	  /* head of an allocated block of size order */
	PAGE_SLAB = 1 << 3,	  /* kmem slab of small objects; page.slab is valid */
	PAGE_KMEM_LARGE = 1 << 4, /* kmem allocation bigger than its largest class */
};

/* kmem's bookkeeping for a slab page (mm/kmem.c). */
struct page_slab {
	uint16_t free_offset; /* o: byte offset of the first free object, or 0xffff */
	uint16_t nr_inuse;    /* o: objects handed out from this page */
	uint8_t size_class;   /* o: index into struct kmem.classes */
};

/*
 * One per physical page frame; 32 bytes. Reference counts are kept on a
 * block's head only: page_get/page_put on the head pins or frees the
 * whole block, and tail pages always have refcount 0.
 */
struct page {
	struct list_head list; /* z: free_area link while FREE; o: owner's while allocated */
	uint32_t refcount;     /* a: references to an allocated block (head only) */
	uint8_t order;	       /* z: block size as log2(pages), valid on FREE and HEAD */
	uint8_t flags;	       /* z, o: enum page_flags */
	uint16_t unused;
	union {
		struct page_slab slab; /* o: when PAGE_SLAB */
		uintptr_t private;     /* o: free for other owners */
	};
};

struct free_area {
	struct list_head free_list; /* z: free blocks of this order, through page.list */
	uint64_t nr_blocks;	    /* z: blocks on free_list */
};

/*
 * A buddy allocator over the frames [base_pfn, base_pfn + nr_pages).
 * Buddies are found by absolute pfn, so a block of order k always starts
 * at a pfn that is a multiple of 2^k.
 */
struct page_allocator {
	struct spinlock lock;
	struct page *pages;		       /* I: descriptors, pages[i] is pfn base_pfn + i */
	uint64_t base_pfn;		       /* I: first pfn described */
	uint64_t nr_pages;		       /* I: number of descriptors */
	uint64_t nr_total;		       /* z: pages released with page_allocator_add_free */
	uint64_t nr_free;		       /* z: pages currently free */
	struct free_area free_area[MAX_ORDER]; /* z */
};

/* Bytes of struct page descriptors needed to describe nr_pages frames. */
static inline size_t page_allocator_desc_bytes(uint64_t nr_pages)
{
	return (size_t)nr_pages * sizeof(struct page);
}

/*
 * Sets up pa over the caller's descriptor array pages, which must hold
 * page_allocator_desc_bytes(nr_pages) bytes and outlive pa. Every page
 * starts reserved; page_allocator_add_free releases usable ranges.
 */
void page_allocator_init(struct page_allocator *pa, struct page *pages, uint64_t base_pfn,
			 uint64_t nr_pages);

/*
 * Gives the frames [start_pfn, end_pfn) to the allocator. Ranges may be
 * unaligned and adjacent to earlier ones; adjacent free blocks merge.
 * Returns -EINVAL, changing nothing, if the range is not inside pa or
 * any page in it is not reserved (given twice, or allocated).
 */
int page_allocator_add_free(struct page_allocator *pa, uint64_t start_pfn,
			    uint64_t end_pfn) __must_check;

/*
 * Allocates a block of 2^order pages (contents undefined). On success
 * *out is its head page with refcount 1 and order recorded in it.
 * Returns -EINVAL if order >= MAX_ORDER, -ENOMEM if no block is free.
 * Takes and drops pa->lock.
 */
int page_alloc(struct page_allocator *pa, unsigned int order, struct page **out) __must_check;

/*
 * Frees a block from page_alloc; the caller must hold its only reference
 * and order must be the allocated order. Asserts on double or bad frees.
 */
void page_free(struct page_allocator *pa, struct page *page, unsigned int order);

/* Takes another reference to an allocated block, given its head page. */
static inline void page_get(struct page *page)
{
	uint32_t old = __atomic_fetch_add(&page->refcount, 1, __ATOMIC_RELAXED);

	assert(old > 0);
}

/*
 * Drops a reference to an allocated block, given its head page; the last
 * one frees the whole block (its order is the one recorded at allocation).
 */
void page_put(struct page_allocator *pa, struct page *page);

/* Pages currently free, and pages ever given to the allocator. */
uint64_t page_allocator_nr_free(struct page_allocator *pa);
uint64_t page_allocator_nr_total(struct page_allocator *pa);

static inline bool page_allocator_has_pfn(const struct page_allocator *pa, uint64_t pfn)
{
	return pfn >= pa->base_pfn && pfn - pa->base_pfn < pa->nr_pages;
}

static inline struct page *pfn_to_page(const struct page_allocator *pa, uint64_t pfn)
{
	assert(page_allocator_has_pfn(pa, pfn));
	return &pa->pages[pfn - pa->base_pfn];
}

static inline uint64_t page_to_pfn(const struct page_allocator *pa, const struct page *page)
{
	assert(page >= pa->pages && page < pa->pages + pa->nr_pages);
	return pa->base_pfn + (uint64_t)(page - pa->pages);
}

static inline uint64_t page_to_phys(const struct page_allocator *pa, const struct page *page)
{
	return page_to_pfn(pa, page) << PAGE_SHIFT;
}

/* The page's address in the physical-memory window. */
static inline void *page_to_virt(const struct page_allocator *pa, const struct page *page)
{
	return phys_to_virt(page_to_phys(pa, page));
}

/* The page holding va, an address in the physical-memory window. */
static inline struct page *virt_to_page(const struct page_allocator *pa, const void *va)
{
	return pfn_to_page(pa, virt_to_phys(va) >> PAGE_SHIFT);
}
