// SPDX-License-Identifier: MIT
/*
 * The buddy page-frame allocator (include/tern/page.h): naturally aligned
 * power-of-two blocks of physical pages, split on allocation and merged
 * with their buddies on free. Portable core: all state is in struct
 * page_allocator. Kernel init builds the single real instance from the
 * boot memory map; small objects come from kmem (mm/kmem.c) on top.
 *
 * Lock order: pa->lock is a leaf. kmem's lock may be held while taking it.
 */
#include <tern/errno.h>
#include <tern/page.h>

_Static_assert(sizeof(struct page) <= 32, "struct page grew past 32 bytes");
_Static_assert(MAX_ORDER <= 32, "order must fit the shifts below");

static uint64_t order_pages(unsigned int order)
{
	return 1ULL << order;
}

static void free_area_insert(struct page_allocator *pa, struct page *page, unsigned int order)
{
	assert_held(&pa->lock);
	page->flags = PAGE_FREE;
	page->order = (uint8_t)order;
	list_insert_head(&pa->free_area[order].free_list, &page->list);
	pa->free_area[order].nr_blocks++;
}

/* Takes a free block off its list; it becomes an anonymous tail page. */
static void free_area_remove(struct page_allocator *pa, struct page *page)
{
	assert_held(&pa->lock);
	assert(page->flags == PAGE_FREE);
	list_remove(&page->list);
	pa->free_area[page->order].nr_blocks--;
	page->flags = 0;
}

static bool buddy_is_free(struct page_allocator *pa, uint64_t buddy_pfn, unsigned int order)
{
	struct page *buddy;

	if (!page_allocator_has_pfn(pa, buddy_pfn))
		return false;
	buddy = pfn_to_page(pa, buddy_pfn);
	return buddy->flags == PAGE_FREE && buddy->order == order;
}

/*
 * Puts the block at pfn (aligned, all pages unflagged) on the free lists.
 *
 * Outline:
 *	while order < MAX_ORDER - 1:
 *		buddy = pfn with bit `order` flipped
 *		if buddy is not the head of a free block of exactly this order:
 *			stop
 *		take buddy off its free list
 *		pfn = the lower of the two; order += 1
 *	mark pfn as a free head of order and put it on free_area[order]
 *
 * A buddy of the same order that is free is always a whole block: blocks
 * never straddle an aligned boundary of their own size.
 */
static void free_block_locked(struct page_allocator *pa, uint64_t pfn, unsigned int order)
{
	assert_held(&pa->lock);
	assert(IS_ALIGNED(pfn, order_pages(order)));
	pa->nr_free += order_pages(order);
	while (order < MAX_ORDER - 1) {
		uint64_t buddy_pfn = pfn ^ order_pages(order);

		if (!buddy_is_free(pa, buddy_pfn, order))
			break;
		free_area_remove(pa, pfn_to_page(pa, buddy_pfn));
		pfn &= ~order_pages(order);
		order++;
	}
	free_area_insert(pa, pfn_to_page(pa, pfn), order);
}

/*
 * Shrinks the free block at page (already off its list) from order have
 * to order want.
 *
 * Outline:
 *	while have > want:
 *		have -= 1
 *		the upper half (page + 2^have) becomes a free block of order have
 *	page now heads a block of order want
 */
static void split_block_locked(struct page_allocator *pa, struct page *page, unsigned int have,
			       unsigned int want)
{
	uint64_t pfn = page_to_pfn(pa, page);

	assert_held(&pa->lock);
	while (have > want) {
		have--;
		free_area_insert(pa, pfn_to_page(pa, pfn + order_pages(have)), have);
	}
}

void page_allocator_init(struct page_allocator *pa, struct page *pages, uint64_t base_pfn,
			 uint64_t nr_pages)
{
	spin_lock_init(&pa->lock);
	pa->pages = pages;
	pa->base_pfn = base_pfn;
	pa->nr_pages = nr_pages;
	pa->nr_total = 0;
	pa->nr_free = 0;
	for (unsigned int order = 0; order < MAX_ORDER; order++) {
		list_init(&pa->free_area[order].free_list);
		pa->free_area[order].nr_blocks = 0;
	}
	for (uint64_t i = 0; i < nr_pages; i++) {
		pages[i] = (struct page){.flags = PAGE_RESERVED};
		list_init(&pages[i].list);
	}
}

/* The largest order of an aligned block at pfn that fits in nr_pages. */
static unsigned int largest_fitting_order(uint64_t pfn, uint64_t nr_pages)
{
	unsigned int order = 0;

	while (order + 1 < MAX_ORDER && IS_ALIGNED(pfn, order_pages(order + 1)) &&
	       order_pages(order + 1) <= nr_pages)
		order++;
	return order;
}

static bool range_is_reserved_locked(struct page_allocator *pa, uint64_t start_pfn,
				     uint64_t end_pfn)
{
	assert_held(&pa->lock);
	for (uint64_t pfn = start_pfn; pfn < end_pfn; pfn++) {
		if (pfn_to_page(pa, pfn)->flags != PAGE_RESERVED)
			return false;
	}
	return true;
}

int page_allocator_add_free(struct page_allocator *pa, uint64_t start_pfn, uint64_t end_pfn)
{
	uint64_t pfn;

	if (start_pfn > end_pfn || start_pfn < pa->base_pfn ||
	    end_pfn - pa->base_pfn > pa->nr_pages)
		return -EINVAL;
	spin_lock(&pa->lock);
	if (!range_is_reserved_locked(pa, start_pfn, end_pfn)) {
		spin_unlock(&pa->lock);
		return -EINVAL;
	}
	for (pfn = start_pfn; pfn < end_pfn; pfn++)
		pfn_to_page(pa, pfn)->flags = 0;
	for (pfn = start_pfn; pfn < end_pfn;) {
		unsigned int order = largest_fitting_order(pfn, end_pfn - pfn);

		free_block_locked(pa, pfn, order);
		pfn += order_pages(order);
	}
	pa->nr_total += end_pfn - start_pfn;
	spin_unlock(&pa->lock);
	return 0;
}

int page_alloc(struct page_allocator *pa, unsigned int order, struct page **out)
{
	struct page *page;
	unsigned int have = order;

	if (order >= MAX_ORDER)
		return -EINVAL;
	spin_lock(&pa->lock);
	while (have < MAX_ORDER && list_is_empty(&pa->free_area[have].free_list))
		have++;
	if (have == MAX_ORDER) {
		spin_unlock(&pa->lock);
		return -ENOMEM;
	}
	page = list_first_entry(&pa->free_area[have].free_list, struct page, list);
	free_area_remove(pa, page);
	split_block_locked(pa, page, have, order);
	pa->nr_free -= order_pages(order);
	page->flags = PAGE_HEAD;
	page->order = (uint8_t)order;
	page->refcount = 1;
	page->private = 0;
	spin_unlock(&pa->lock);
	*out = page;
	return 0;
}

/* Returns an allocated block, given its head, to the free lists. */
static void release_block_locked(struct page_allocator *pa, struct page *page)
{
	assert_held(&pa->lock);
	assert(page->flags & PAGE_HEAD);
	assert(page->refcount == 0);
	page->flags = 0;
	free_block_locked(pa, page_to_pfn(pa, page), page->order);
}

void page_free(struct page_allocator *pa, struct page *page, unsigned int order)
{
	spin_lock(&pa->lock);
	/* A page already freed is FREE or an unflagged tail of a merged block. */
	assert(page->flags & PAGE_HEAD);
	assert(page->order == order);
	assert(page->refcount == 1);
	page->refcount = 0;
	release_block_locked(pa, page);
	spin_unlock(&pa->lock);
}

void page_put(struct page_allocator *pa, struct page *page)
{
	uint32_t old = __atomic_fetch_sub(&page->refcount, 1, __ATOMIC_ACQ_REL);

	assert(old > 0);
	if (old != 1)
		return;
	spin_lock(&pa->lock);
	release_block_locked(pa, page);
	spin_unlock(&pa->lock);
}

uint64_t page_allocator_nr_free(struct page_allocator *pa)
{
	uint64_t nr;

	spin_lock(&pa->lock);
	nr = pa->nr_free;
	spin_unlock(&pa->lock);
	return nr;
}

uint64_t page_allocator_nr_total(struct page_allocator *pa)
{
	uint64_t nr;

	spin_lock(&pa->lock);
	nr = pa->nr_total;
	spin_unlock(&pa->lock);
	return nr;
}
