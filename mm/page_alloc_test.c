// SPDX-License-Identifier: MIT
/*
 * Host tests for mm/page_alloc.c over the malloc'd physical arena from
 * host_fault.h: splitting, merging, range handling, refcounts, and a
 * randomized run checked page by page against a simple model.
 */
#include <host_fault.h>
#include <tern/errno.h>
#include <tern/ktest.h>
#include <tern/page.h>
#include <tern/string.h>

struct fixture {
	struct page_allocator pa;
	struct page *descs;
	long kmalloc_live_before;
};

static bool fixture_setup(struct ktest *t, struct fixture *f, uint64_t base_pfn, uint64_t nr_pages)
{
	f->kmalloc_live_before = host_kmalloc_live();
	f->descs = kzalloc(page_allocator_desc_bytes(nr_pages));
	if (!KEXPECT(f->descs != NULL))
		return false;
	host_phys_arena_create(base_pfn << PAGE_SHIFT, nr_pages);
	page_allocator_init(&f->pa, f->descs, base_pfn, nr_pages);
	return true;
}

static void fixture_teardown(struct ktest *t, struct fixture *f)
{
	host_phys_arena_destroy();
	kfree(f->descs);
	KEXPECT_EQ(host_kmalloc_live(), f->kmalloc_live_before);
}

/* A fixture with every page of [base_pfn, base_pfn + nr_pages) free. */
static bool fixture_setup_free(struct ktest *t, struct fixture *f, uint64_t base_pfn,
			       uint64_t nr_pages)
{
	if (!fixture_setup(t, f, base_pfn, nr_pages))
		return false;
	return KEXPECT_EQ(page_allocator_add_free(&f->pa, base_pfn, base_pfn + nr_pages), 0);
}

static uint64_t lcg_next(uint64_t *state)
{
	*state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
	return *state >> 33;
}

static uint64_t pfn_of(struct fixture *f, struct page *page)
{
	return page_to_pfn(&f->pa, page);
}

static uint64_t nr_blocks(struct fixture *f, unsigned int order)
{
	return f->pa.free_area[order].nr_blocks;
}

/* Walks every free list and checks heads, alignment and the counters. */
static bool free_lists_are_consistent(struct ktest *t, struct page_allocator *pa)
{
	uint64_t nr_free = 0;
	bool ok = true;

	for (unsigned int order = 0; order < MAX_ORDER; order++) {
		struct list_head *pos;
		uint64_t nr = 0;

		list_for_each(pos, &pa->free_area[order].free_list) {
			struct page *page = list_entry(pos, struct page, list);
			uint64_t pfn = page_to_pfn(pa, page);

			ok &= KEXPECT_EQ(page->flags, PAGE_FREE);
			ok &= KEXPECT_EQ(page->order, order);
			ok &= KEXPECT(IS_ALIGNED(pfn, 1ULL << order));
			ok &= KEXPECT(page_allocator_has_pfn(pa, pfn + (1ULL << order) - 1));
			nr++;
		}
		ok &= KEXPECT_EQ(nr, pa->free_area[order].nr_blocks);
		nr_free += nr << order;
	}
	ok &= KEXPECT_EQ(nr_free, pa->nr_free);
	return ok;
}

static void fill_block(struct fixture *f, struct page *page, unsigned int order, uint8_t tag)
{
	memset(page_to_virt(&f->pa, page), tag, PAGE_SIZE << order);
}

/* Checks the first and last bytes of each page of a block carry tag. */
static bool block_has_tag(struct fixture *f, struct page *page, unsigned int order, uint8_t tag)
{
	const uint8_t *p = page_to_virt(&f->pa, page);

	for (uint64_t i = 0; i < (1ULL << order); i++) {
		const uint8_t *pg = p + i * PAGE_SIZE;

		for (unsigned int j = 0; j < 8; j++) {
			if (pg[j] != tag || pg[PAGE_SIZE - 1 - j] != tag)
				return false;
		}
	}
	return true;
}

static struct page **alloc_all_order0(struct ktest *t, struct fixture *f, uint64_t *nr_out)
{
	uint64_t nr = page_allocator_nr_free(&f->pa);
	struct page **pages = kzalloc((nr + 1) * sizeof(*pages));
	uint64_t i;

	if (!KEXPECT(pages != NULL)) {
		*nr_out = 0;
		return NULL;
	}
	for (i = 0; i < nr; i++) {
		if (!KEXPECT_EQ(page_alloc(&f->pa, 0, &pages[i]), 0))
			break;
	}
	*nr_out = i;
	return pages;
}

KTEST(page_alloc, desc_bytes_covers_every_page)
{
	KEXPECT(sizeof(struct page) <= 32);
	KEXPECT_EQ(page_allocator_desc_bytes(0), 0);
	KEXPECT_EQ(page_allocator_desc_bytes(1000), 1000 * sizeof(struct page));
}

KTEST(page_alloc, init_starts_all_reserved)
{
	struct fixture f;
	struct page *page = NULL;

	KASSERT(fixture_setup(t, &f, 16, 64));
	KEXPECT_EQ(page_allocator_nr_free(&f.pa), 0);
	KEXPECT_EQ(page_allocator_nr_total(&f.pa), 0);
	for (uint64_t pfn = 16; pfn < 80; pfn++)
		KEXPECT_EQ(pfn_to_page(&f.pa, pfn)->flags, PAGE_RESERVED);
	KEXPECT_EQ(page_alloc(&f.pa, 0, &page), -ENOMEM);
	KEXPECT(page == NULL);
	fixture_teardown(t, &f);
}

KTEST(page_alloc, add_free_counts_pages)
{
	struct fixture f;

	KASSERT(fixture_setup(t, &f, 0, 256));
	KEXPECT_EQ(page_allocator_add_free(&f.pa, 0, 100), 0);
	KEXPECT_EQ(page_allocator_nr_total(&f.pa), 100);
	KEXPECT_EQ(page_allocator_nr_free(&f.pa), 100);
	KEXPECT_EQ(page_allocator_add_free(&f.pa, 200, 256), 0);
	KEXPECT_EQ(page_allocator_nr_total(&f.pa), 156);
	KEXPECT_EQ(page_allocator_nr_free(&f.pa), 156);
	KEXPECT(free_lists_are_consistent(t, &f.pa));
	KEXPECT_EQ(pfn_to_page(&f.pa, 100)->flags, PAGE_RESERVED);
	KEXPECT_EQ(pfn_to_page(&f.pa, 199)->flags, PAGE_RESERVED);
	fixture_teardown(t, &f);
}

KTEST(page_alloc, add_free_rejects_bad_ranges)
{
	struct fixture f;

	KASSERT(fixture_setup(t, &f, 10, 100));
	KEXPECT_EQ(page_allocator_add_free(&f.pa, 20, 19), -EINVAL);
	KEXPECT_EQ(page_allocator_add_free(&f.pa, 9, 20), -EINVAL);
	KEXPECT_EQ(page_allocator_add_free(&f.pa, 100, 111), -EINVAL);
	KEXPECT_EQ(page_allocator_add_free(&f.pa, 0, UINT64_MAX), -EINVAL);
	KEXPECT_EQ(page_allocator_add_free(&f.pa, 30, 30), 0);
	KEXPECT_EQ(page_allocator_nr_total(&f.pa), 0);
	KEXPECT_EQ(page_allocator_add_free(&f.pa, 30, 40), 0);
	KEXPECT_EQ(page_allocator_add_free(&f.pa, 39, 45), -EINVAL);
	KEXPECT_EQ(page_allocator_add_free(&f.pa, 30, 40), -EINVAL);
	KEXPECT_EQ(page_allocator_nr_total(&f.pa), 10);
	KEXPECT_EQ(page_allocator_nr_free(&f.pa), 10);
	KEXPECT_EQ(pfn_to_page(&f.pa, 40)->flags, PAGE_RESERVED);
	KEXPECT_EQ(page_allocator_add_free(&f.pa, 10, 110), -EINVAL);
	KEXPECT_EQ(page_allocator_add_free(&f.pa, 40, 110), 0);
	KEXPECT_EQ(page_allocator_nr_total(&f.pa), 80);
	KEXPECT(free_lists_are_consistent(t, &f.pa));
	fixture_teardown(t, &f);
}

KTEST(page_alloc, add_free_rejects_allocated_page)
{
	struct fixture f;
	struct page *page;

	KASSERT(fixture_setup_free(t, &f, 0, 8));
	KASSERT_EQ(page_alloc(&f.pa, 0, &page), 0);
	KEXPECT_EQ(page_allocator_add_free(&f.pa, pfn_of(&f, page), pfn_of(&f, page) + 1), -EINVAL);
	KEXPECT_EQ(page_allocator_nr_free(&f.pa), 7);
	page_free(&f.pa, page, 0);
	KEXPECT_EQ(page_allocator_nr_free(&f.pa), 8);
	fixture_teardown(t, &f);
}

KTEST(page_alloc, conversions_round_trip)
{
	struct fixture f;
	uint8_t *arena;

	KASSERT(fixture_setup(t, &f, 0x100, 32));
	arena = phys_to_virt(0x100ULL << PAGE_SHIFT);
	for (uint64_t pfn = 0x100; pfn < 0x120; pfn++) {
		struct page *page = pfn_to_page(&f.pa, pfn);
		uint8_t *va = arena + (pfn - 0x100) * PAGE_SIZE;

		KEXPECT(page == &f.descs[pfn - 0x100]);
		KEXPECT_EQ(page_to_pfn(&f.pa, page), pfn);
		KEXPECT_EQ(page_to_phys(&f.pa, page), pfn << PAGE_SHIFT);
		KEXPECT(page_to_virt(&f.pa, page) == va);
		KEXPECT(virt_to_page(&f.pa, va) == page);
		KEXPECT(virt_to_page(&f.pa, va + PAGE_SIZE - 1) == page);
	}
	KEXPECT(page_allocator_has_pfn(&f.pa, 0x100));
	KEXPECT(page_allocator_has_pfn(&f.pa, 0x11f));
	KEXPECT(!page_allocator_has_pfn(&f.pa, 0xff));
	KEXPECT(!page_allocator_has_pfn(&f.pa, 0x120));
	fixture_teardown(t, &f);
}

KTEST(page_alloc, alloc_returns_head_with_one_reference)
{
	struct fixture f;
	struct page *page;

	KASSERT(fixture_setup_free(t, &f, 0, 64));
	for (unsigned int order = 0; order <= 5; order++) {
		KASSERT_EQ(page_alloc(&f.pa, order, &page), 0);
		KEXPECT_EQ(page->refcount, 1);
		KEXPECT_EQ(page->order, order);
		KEXPECT_EQ(page->flags, PAGE_HEAD);
		fill_block(&f, page, order, 0xa5);
		KEXPECT(block_has_tag(&f, page, order, 0xa5));
		page_free(&f.pa, page, order);
	}
	KEXPECT_EQ(page_allocator_nr_free(&f.pa), 64);
	fixture_teardown(t, &f);
}

KTEST(page_alloc, order_too_big_is_einval)
{
	struct fixture f;
	struct page *page = NULL;

	KASSERT(fixture_setup_free(t, &f, 0, 2048));
	KEXPECT_EQ(page_alloc(&f.pa, MAX_ORDER, &page), -EINVAL);
	KEXPECT_EQ(page_alloc(&f.pa, MAX_ORDER + 5, &page), -EINVAL);
	KEXPECT_EQ(page_alloc(&f.pa, ~0U, &page), -EINVAL);
	KEXPECT(page == NULL);
	KEXPECT_EQ(page_allocator_nr_free(&f.pa), 2048);
	KASSERT_EQ(page_alloc(&f.pa, MAX_ORDER - 1, &page), 0);
	page_free(&f.pa, page, MAX_ORDER - 1);
	fixture_teardown(t, &f);
}

KTEST(page_alloc, every_page_once_then_enomem)
{
	struct fixture f;
	struct page **pages;
	struct page *extra;
	uint8_t *seen;
	uint64_t nr;

	KASSERT(fixture_setup_free(t, &f, 0, 300));
	pages = alloc_all_order0(t, &f, &nr);
	seen = kzalloc(300);
	KASSERT(pages && seen);
	KEXPECT_EQ(nr, 300);
	KEXPECT_EQ(page_alloc(&f.pa, 0, &extra), -ENOMEM);
	KEXPECT_EQ(page_allocator_nr_free(&f.pa), 0);
	for (uint64_t i = 0; i < nr; i++) {
		KEXPECT_EQ(seen[pfn_of(&f, pages[i])]++, 0);
		fill_block(&f, pages[i], 0, (uint8_t)i);
	}
	for (uint64_t i = 0; i < nr; i++) {
		KEXPECT(block_has_tag(&f, pages[i], 0, (uint8_t)i));
		page_free(&f.pa, pages[i], 0);
	}
	KEXPECT_EQ(page_allocator_nr_free(&f.pa), 300);
	KEXPECT(free_lists_are_consistent(t, &f.pa));
	kfree(seen);
	kfree(pages);
	fixture_teardown(t, &f);
}

KTEST(page_alloc, keeps_working_after_enomem)
{
	struct fixture f;
	struct page **pages;
	struct page *page;
	uint64_t nr;

	KASSERT(fixture_setup_free(t, &f, 0, 64));
	pages = alloc_all_order0(t, &f, &nr);
	KASSERT(pages);
	KEXPECT_EQ(page_alloc(&f.pa, 0, &page), -ENOMEM);
	KEXPECT_EQ(page_alloc(&f.pa, 3, &page), -ENOMEM);
	page_free(&f.pa, pages[17], 0);
	KASSERT_EQ(page_alloc(&f.pa, 0, &page), 0);
	KEXPECT(page == pages[17]);
	KEXPECT_EQ(page_alloc(&f.pa, 1, &page), -ENOMEM);
	for (uint64_t i = 0; i < nr; i++)
		page_free(&f.pa, pages[i], 0);
	KASSERT_EQ(page_alloc(&f.pa, 6, &page), 0);
	page_free(&f.pa, page, 6);
	KEXPECT_EQ(page_allocator_nr_free(&f.pa), 64);
	kfree(pages);
	fixture_teardown(t, &f);
}

KTEST(page_alloc, free_all_coalesces_to_max_order)
{
	struct fixture f;
	struct page **pages;
	struct page *big[4];
	uint64_t state = 7;
	uint64_t nr;

	KASSERT(fixture_setup_free(t, &f, 0, 4096));
	KEXPECT_EQ(nr_blocks(&f, MAX_ORDER - 1), 4);
	pages = alloc_all_order0(t, &f, &nr);
	KASSERT(pages);
	KEXPECT_EQ(nr, 4096);
	for (uint64_t i = nr - 1; i > 0; i--) {
		uint64_t j = lcg_next(&state) % (i + 1);
		struct page *tmp = pages[i];

		pages[i] = pages[j];
		pages[j] = tmp;
	}
	for (uint64_t i = 0; i < nr; i++)
		page_free(&f.pa, pages[i], 0);
	for (unsigned int order = 0; order < MAX_ORDER - 1; order++)
		KEXPECT_EQ(nr_blocks(&f, order), 0);
	KEXPECT_EQ(nr_blocks(&f, MAX_ORDER - 1), 4);
	for (int i = 0; i < 4; i++) {
		big[i] = NULL;
		KEXPECT_EQ(page_alloc(&f.pa, MAX_ORDER - 1, &big[i]), 0);
	}
	KEXPECT_EQ(page_allocator_nr_free(&f.pa), 0);
	for (int i = 0; i < 4; i++) {
		if (big[i])
			page_free(&f.pa, big[i], MAX_ORDER - 1);
	}
	KEXPECT(free_lists_are_consistent(t, &f.pa));
	kfree(pages);
	fixture_teardown(t, &f);
}

KTEST(page_alloc, freeing_two_buddies_makes_parent)
{
	struct fixture f;
	struct page *a;
	struct page *b;
	struct page *parent;

	KASSERT(fixture_setup_free(t, &f, 0, 2));
	KASSERT_EQ(page_alloc(&f.pa, 0, &a), 0);
	KASSERT_EQ(page_alloc(&f.pa, 0, &b), 0);
	KEXPECT_EQ(pfn_of(&f, a) ^ 1, pfn_of(&f, b));
	page_free(&f.pa, a, 0);
	KEXPECT_EQ(nr_blocks(&f, 0), 1);
	KEXPECT_EQ(nr_blocks(&f, 1), 0);
	KEXPECT_EQ(page_alloc(&f.pa, 1, &parent), -ENOMEM);
	page_free(&f.pa, b, 0);
	KEXPECT_EQ(nr_blocks(&f, 0), 0);
	KEXPECT_EQ(nr_blocks(&f, 1), 1);
	KASSERT_EQ(page_alloc(&f.pa, 1, &parent), 0);
	KEXPECT_EQ(pfn_of(&f, parent), 0);
	page_free(&f.pa, parent, 1);
	fixture_teardown(t, &f);
}

KTEST(page_alloc, buddies_merge_inside_larger_block)
{
	struct fixture f;
	struct page *p[4];

	KASSERT(fixture_setup_free(t, &f, 0, 1024));
	for (int i = 0; i < 4; i++) {
		KASSERT_EQ(page_alloc(&f.pa, 1, &p[i]), 0);
		KEXPECT_EQ(pfn_of(&f, p[i]), 2 * i);
	}
	KEXPECT_EQ(nr_blocks(&f, 2), 0);
	page_free(&f.pa, p[0], 1);
	KEXPECT_EQ(nr_blocks(&f, 1), 1);
	page_free(&f.pa, p[1], 1);
	/* 0..3 merged; its order-2 buddy 4..7 is still allocated. */
	KEXPECT_EQ(nr_blocks(&f, 1), 0);
	KEXPECT_EQ(nr_blocks(&f, 2), 1);
	KEXPECT_EQ(pfn_of(&f, list_first_entry(&f.pa.free_area[2].free_list, struct page, list)),
		   0);
	page_free(&f.pa, p[3], 1);
	page_free(&f.pa, p[2], 1);
	KEXPECT_EQ(nr_blocks(&f, 2), 0);
	KEXPECT_EQ(nr_blocks(&f, MAX_ORDER - 1), 1);
	KEXPECT_EQ(page_allocator_nr_free(&f.pa), 1024);
	fixture_teardown(t, &f);
}

KTEST(page_alloc, split_leaves_one_block_per_lower_order)
{
	struct fixture f;
	struct page *page;

	KASSERT(fixture_setup_free(t, &f, 0, 1024));
	KASSERT_EQ(page_alloc(&f.pa, 0, &page), 0);
	KEXPECT_EQ(pfn_of(&f, page), 0);
	for (unsigned int order = 0; order < MAX_ORDER - 1; order++)
		KEXPECT_EQ(nr_blocks(&f, order), 1);
	KEXPECT_EQ(nr_blocks(&f, MAX_ORDER - 1), 0);
	KEXPECT_EQ(page_allocator_nr_free(&f.pa), 1023);
	KEXPECT(free_lists_are_consistent(t, &f.pa));
	page_free(&f.pa, page, 0);
	KEXPECT_EQ(nr_blocks(&f, MAX_ORDER - 1), 1);
	fixture_teardown(t, &f);
}

KTEST(page_alloc, split_serves_smallest_fitting_order)
{
	struct fixture f;
	struct page *first;
	struct page *page;

	KASSERT(fixture_setup_free(t, &f, 0, 1024));
	KASSERT_EQ(page_alloc(&f.pa, 0, &first), 0);
	/* Free blocks now: pfn 1 (o0), 2 (o1), 4 (o2), 8 (o3), ... 512 (o9). */
	KASSERT_EQ(page_alloc(&f.pa, 3, &page), 0);
	KEXPECT_EQ(pfn_of(&f, page), 8);
	KEXPECT_EQ(nr_blocks(&f, 3), 0);
	KEXPECT_EQ(nr_blocks(&f, 4), 1);
	page_free(&f.pa, page, 3);
	KASSERT_EQ(page_alloc(&f.pa, 1, &page), 0);
	KEXPECT_EQ(pfn_of(&f, page), 2);
	page_free(&f.pa, page, 1);
	page_free(&f.pa, first, 0);
	KEXPECT_EQ(nr_blocks(&f, MAX_ORDER - 1), 1);
	fixture_teardown(t, &f);
}

KTEST(page_alloc, blocks_are_naturally_aligned)
{
	struct fixture f;
	struct page *pages[64];
	unsigned int nr = 0;

	KASSERT(fixture_setup_free(t, &f, 37, 3000));
	for (unsigned int order = 0; order < MAX_ORDER - 1; order++) {
		for (int i = 0; i < 3; i++) {
			struct page *page;

			if (page_alloc(&f.pa, order, &page) != 0)
				continue;
			KEXPECT(IS_ALIGNED(pfn_of(&f, page), 1ULL << order));
			KEXPECT(pfn_of(&f, page) >= 37);
			KEXPECT(pfn_of(&f, page) + (1ULL << order) <= 3037);
			pages[nr++] = page;
		}
	}
	KEXPECT(nr >= 20);
	for (unsigned int i = 0; i < nr; i++)
		page_free(&f.pa, pages[i], pages[i]->order);
	KEXPECT_EQ(page_allocator_nr_free(&f.pa), 3000);
	KEXPECT(free_lists_are_consistent(t, &f.pa));
	fixture_teardown(t, &f);
}

KTEST(page_alloc, add_free_unaligned_range)
{
	struct fixture f;
	struct page **pages;
	uint64_t nr;

	KASSERT(fixture_setup(t, &f, 0, 64));
	KASSERT_EQ(page_allocator_add_free(&f.pa, 3, 17), 0);
	KEXPECT_EQ(page_allocator_nr_free(&f.pa), 14);
	/* 3 (o0), 4..7 (o2), 8..15 (o3), 16 (o0). */
	KEXPECT_EQ(nr_blocks(&f, 0), 2);
	KEXPECT_EQ(nr_blocks(&f, 1), 0);
	KEXPECT_EQ(nr_blocks(&f, 2), 1);
	KEXPECT_EQ(nr_blocks(&f, 3), 1);
	pages = alloc_all_order0(t, &f, &nr);
	KASSERT(pages);
	KEXPECT_EQ(nr, 14);
	for (uint64_t i = 0; i < nr; i++) {
		KEXPECT(pfn_of(&f, pages[i]) >= 3 && pfn_of(&f, pages[i]) < 17);
		page_free(&f.pa, pages[i], 0);
	}
	KEXPECT_EQ(nr_blocks(&f, 3), 1);
	KEXPECT(free_lists_are_consistent(t, &f.pa));
	kfree(pages);
	fixture_teardown(t, &f);
}

static const struct {
	uint64_t start;
	uint64_t end;
} holey_ranges[] = {
	{5, 6}, {7, 300}, {301, 302}, {512, 1025}, {1030, 1031}, {1500, 2900}, {2901, 3003},
};

static bool pfn_is_in_holey_ranges(uint64_t pfn)
{
	for (size_t i = 0; i < ARRAY_SIZE(holey_ranges); i++) {
		if (pfn >= holey_ranges[i].start && pfn < holey_ranges[i].end)
			return true;
	}
	return false;
}

static bool add_holey_ranges(struct ktest *t, struct fixture *f)
{
	bool ok = true;

	for (size_t i = 0; i < ARRAY_SIZE(holey_ranges); i++)
		ok &= KEXPECT_EQ(
			page_allocator_add_free(&f->pa, holey_ranges[i].start, holey_ranges[i].end),
			0);
	return ok;
}

KTEST(page_alloc, holes_are_never_handed_out)
{
	struct fixture f;
	struct page *pages[4000];
	unsigned int nr = 0;
	uint64_t total;

	KASSERT(fixture_setup(t, &f, 5, 3000));
	KASSERT(add_holey_ranges(t, &f));
	total = page_allocator_nr_total(&f.pa);
	KEXPECT_EQ(total, 1 + 293 + 1 + 513 + 1 + 1400 + 102);
	/* Largest orders first, so every free page is handed out in the end. */
	for (int order = MAX_ORDER - 1; order >= 0; order--) {
		struct page *page;

		while (page_alloc(&f.pa, (unsigned int)order, &page) == 0) {
			uint64_t first = pfn_of(&f, page);

			for (uint64_t pfn = first; pfn < first + (1ULL << order); pfn++)
				KEXPECT(pfn_is_in_holey_ranges(pfn));
			pages[nr++] = page;
		}
	}
	KEXPECT_EQ(page_allocator_nr_free(&f.pa), 0);
	for (unsigned int i = 0; i < nr; i++)
		page_free(&f.pa, pages[i], pages[i]->order);
	KEXPECT_EQ(page_allocator_nr_free(&f.pa), total);
	KEXPECT(free_lists_are_consistent(t, &f.pa));
	KEXPECT_EQ(pfn_to_page(&f.pa, 6)->flags, PAGE_RESERVED);
	KEXPECT_EQ(pfn_to_page(&f.pa, 2900)->flags, PAGE_RESERVED);
	fixture_teardown(t, &f);
}

KTEST(page_alloc, adjacent_ranges_merge)
{
	struct fixture f;
	struct page *page;

	KASSERT(fixture_setup(t, &f, 0, 1024));
	KASSERT_EQ(page_allocator_add_free(&f.pa, 512, 1024), 0);
	KASSERT_EQ(page_allocator_add_free(&f.pa, 0, 100), 0);
	KASSERT_EQ(page_allocator_add_free(&f.pa, 100, 512), 0);
	KEXPECT_EQ(nr_blocks(&f, MAX_ORDER - 1), 1);
	KEXPECT_EQ(page_allocator_nr_free(&f.pa), 1024);
	KASSERT_EQ(page_alloc(&f.pa, MAX_ORDER - 1, &page), 0);
	page_free(&f.pa, page, MAX_ORDER - 1);
	fixture_teardown(t, &f);
}

KTEST(page_alloc, single_pages_in_scrambled_order_merge)
{
	struct fixture f;

	KASSERT(fixture_setup(t, &f, 0, 1024));
	/* 389 is odd, so i * 389 mod 1024 visits every pfn once. */
	for (uint64_t i = 0; i < 1024; i++) {
		uint64_t pfn = (i * 389) % 1024;

		KASSERT_EQ(page_allocator_add_free(&f.pa, pfn, pfn + 1), 0);
	}
	for (unsigned int order = 0; order < MAX_ORDER - 1; order++)
		KEXPECT_EQ(nr_blocks(&f, order), 0);
	KEXPECT_EQ(nr_blocks(&f, MAX_ORDER - 1), 1);
	KEXPECT_EQ(page_allocator_nr_total(&f.pa), 1024);
	fixture_teardown(t, &f);
}

KTEST(page_alloc, unaligned_base_stays_in_bounds)
{
	struct fixture f;
	struct page **pages;
	uint64_t nr;

	/* Buddies of the edge blocks lie outside the descriptor array. */
	KASSERT(fixture_setup_free(t, &f, 1023, 1027));
	/* 1023 (o0), 1024..2047 (o10), 2048..2049 (o1). */
	KEXPECT_EQ(nr_blocks(&f, MAX_ORDER - 1), 1);
	KEXPECT_EQ(nr_blocks(&f, 0), 1);
	KEXPECT_EQ(nr_blocks(&f, 1), 1);
	pages = alloc_all_order0(t, &f, &nr);
	KASSERT(pages);
	KEXPECT_EQ(nr, 1027);
	for (uint64_t i = 0; i < nr; i++)
		page_free(&f.pa, pages[nr - 1 - i], 0);
	KEXPECT_EQ(nr_blocks(&f, MAX_ORDER - 1), 1);
	KEXPECT_EQ(nr_blocks(&f, 0), 1);
	KEXPECT_EQ(nr_blocks(&f, 1), 1);
	KEXPECT(free_lists_are_consistent(t, &f.pa));
	kfree(pages);
	fixture_teardown(t, &f);
}

KTEST(page_alloc, fragmentation_blocks_higher_orders)
{
	struct fixture f;
	struct page **pages;
	struct page *page;
	uint64_t nr;

	KASSERT(fixture_setup_free(t, &f, 0, 1024));
	pages = alloc_all_order0(t, &f, &nr);
	KASSERT(pages);
	for (uint64_t i = 0; i < nr; i++) {
		if (pfn_of(&f, pages[i]) % 2 == 0) {
			page_free(&f.pa, pages[i], 0);
			pages[i] = NULL;
		}
	}
	KEXPECT_EQ(page_allocator_nr_free(&f.pa), 512);
	KEXPECT_EQ(page_alloc(&f.pa, 1, &page), -ENOMEM);
	KEXPECT_EQ(page_alloc(&f.pa, MAX_ORDER - 1, &page), -ENOMEM);
	KASSERT_EQ(page_alloc(&f.pa, 0, &page), 0);
	page_free(&f.pa, page, 0);
	for (uint64_t i = 0; i < nr; i++) {
		if (pages[i])
			page_free(&f.pa, pages[i], 0);
	}
	KEXPECT_EQ(nr_blocks(&f, MAX_ORDER - 1), 1);
	kfree(pages);
	fixture_teardown(t, &f);
}

KTEST(page_alloc, page_put_frees_on_last_reference)
{
	struct fixture f;
	struct page *page;

	KASSERT(fixture_setup_free(t, &f, 0, 16));
	KASSERT_EQ(page_alloc(&f.pa, 0, &page), 0);
	page_get(page);
	page_get(page);
	KEXPECT_EQ(page->refcount, 3);
	page_put(&f.pa, page);
	page_put(&f.pa, page);
	KEXPECT_EQ(page->refcount, 1);
	KEXPECT_EQ(page->flags, PAGE_HEAD);
	KEXPECT_EQ(page_allocator_nr_free(&f.pa), 15);
	page_put(&f.pa, page);
	KEXPECT_EQ(page->refcount, 0);
	KEXPECT_EQ(page_allocator_nr_free(&f.pa), 16);
	KEXPECT_EQ(nr_blocks(&f, 4), 1);
	fixture_teardown(t, &f);
}

KTEST(page_alloc, page_put_frees_whole_block)
{
	struct fixture f;
	struct page *page;

	KASSERT(fixture_setup_free(t, &f, 0, 64));
	KASSERT_EQ(page_alloc(&f.pa, 3, &page), 0);
	KEXPECT_EQ(page_allocator_nr_free(&f.pa), 56);
	for (int i = 1; i < 8; i++)
		KEXPECT_EQ(page[i].refcount, 0);
	page_get(page);
	page_put(&f.pa, page);
	KEXPECT_EQ(page_allocator_nr_free(&f.pa), 56);
	page_put(&f.pa, page);
	KEXPECT_EQ(page_allocator_nr_free(&f.pa), 64);
	KEXPECT_EQ(nr_blocks(&f, 6), 1);
	fixture_teardown(t, &f);
}

KTEST(page_alloc, alloc_clears_owner_state)
{
	struct fixture f;
	struct page *page;

	KASSERT(fixture_setup_free(t, &f, 0, 4));
	KASSERT_EQ(page_alloc(&f.pa, 0, &page), 0);
	page->flags |= PAGE_SLAB;
	page->private = 12345;
	page_free(&f.pa, page, 0);
	KASSERT_EQ(page_alloc(&f.pa, 0, &page), 0);
	KEXPECT_EQ(page->flags, PAGE_HEAD);
	KEXPECT_EQ(page->private, 0);
	page_free(&f.pa, page, 0);
	fixture_teardown(t, &f);
}

enum { MODEL_HOLE, MODEL_FREE, MODEL_USED };

struct live_block {
	struct page *page;
	unsigned int order;
	uint8_t tag;
};

struct model {
	struct fixture *f;
	uint8_t *state; /* MODEL_* per pfn - base_pfn */
	struct live_block *live;
	unsigned int nr_live;
};

/* Whether some aligned 2^order run of pfns is entirely free in the model. */
static bool model_has_free_block(struct model *m, unsigned int order)
{
	uint64_t base = m->f->pa.base_pfn;
	uint64_t end = base + m->f->pa.nr_pages;
	uint64_t size = 1ULL << order;

	for (uint64_t pfn = ALIGN_UP(base, size); pfn + size <= end; pfn += size) {
		uint64_t i = 0;

		while (i < size && m->state[pfn + i - base] == MODEL_FREE)
			i++;
		if (i == size)
			return true;
	}
	return false;
}

static void model_alloc(struct ktest *t, struct model *m, unsigned int order, uint8_t tag)
{
	struct page_allocator *pa = &m->f->pa;
	struct page *page;
	uint64_t pfn;
	int err = page_alloc(pa, order, &page);

	if (err) {
		KEXPECT_EQ(err, -ENOMEM);
		KEXPECT(!model_has_free_block(m, order));
		return;
	}
	pfn = page_to_pfn(pa, page);
	KEXPECT(IS_ALIGNED(pfn, 1ULL << order));
	for (uint64_t i = 0; i < (1ULL << order); i++) {
		KEXPECT_EQ(m->state[pfn + i - pa->base_pfn], MODEL_FREE);
		m->state[pfn + i - pa->base_pfn] = MODEL_USED;
	}
	fill_block(m->f, page, order, tag);
	m->live[m->nr_live++] = (struct live_block){page, order, tag};
}

static void model_free(struct ktest *t, struct model *m, unsigned int index)
{
	struct page_allocator *pa = &m->f->pa;
	struct live_block b = m->live[index];
	uint64_t pfn = page_to_pfn(pa, b.page);

	KEXPECT(block_has_tag(m->f, b.page, b.order, b.tag));
	for (uint64_t i = 0; i < (1ULL << b.order); i++)
		m->state[pfn + i - pa->base_pfn] = MODEL_FREE;
	page_free(pa, b.page, b.order);
	m->live[index] = m->live[--m->nr_live];
}

static unsigned int random_order(uint64_t *seed)
{
	uint64_t r = lcg_next(seed);

	if (r % 16 < 13)
		return (unsigned int)(r / 16 % 3);
	return (unsigned int)(r / 16 % MAX_ORDER);
}

/* nr_ops random allocations and frees on f, checked against the model. */
static void run_random_ops(struct ktest *t, struct fixture *f, uint64_t seed, unsigned int nr_ops)
{
	uint64_t nr_total = page_allocator_nr_total(&f->pa);
	uint64_t blocks_before[MAX_ORDER];
	struct model m = {.f = f};

	m.state = kzalloc(f->pa.nr_pages);
	m.live = kzalloc(f->pa.nr_pages * sizeof(*m.live));
	KASSERT(m.state && m.live);
	for (uint64_t i = 0; i < f->pa.nr_pages; i++) {
		bool is_free = f->descs[i].flags != PAGE_RESERVED;

		m.state[i] = is_free ? MODEL_FREE : MODEL_HOLE;
	}
	for (unsigned int order = 0; order < MAX_ORDER; order++)
		blocks_before[order] = nr_blocks(f, order);
	for (unsigned int op = 0; op < nr_ops; op++) {
		if (m.nr_live > 0 && lcg_next(&seed) % 100 < 45)
			model_free(t, &m, (unsigned int)(lcg_next(&seed) % m.nr_live));
		else
			model_alloc(t, &m, random_order(&seed), (uint8_t)op);
		if (op % 500 == 0 && !free_lists_are_consistent(t, &f->pa))
			break;
	}
	KEXPECT(free_lists_are_consistent(t, &f->pa));
	while (m.nr_live > 0)
		model_free(t, &m, m.nr_live - 1);
	KEXPECT_EQ(page_allocator_nr_free(&f->pa), nr_total);
	for (unsigned int order = 0; order < MAX_ORDER; order++)
		KEXPECT_EQ(nr_blocks(f, order), blocks_before[order]);
	kfree(m.live);
	kfree(m.state);
}

KTEST(page_alloc, random_ops_match_model)
{
	struct fixture f;

	KASSERT(fixture_setup_free(t, &f, 0, 2048));
	run_random_ops(t, &f, 1, 6000);
	fixture_teardown(t, &f);
}

KTEST(page_alloc, random_ops_with_holes_match_model)
{
	struct fixture f;

	KASSERT(fixture_setup(t, &f, 5, 3000));
	KASSERT(add_holey_ranges(t, &f));
	run_random_ops(t, &f, 42, 8000);
	fixture_teardown(t, &f);
}

KTEST(page_alloc, random_ops_in_tiny_range_hit_enomem)
{
	struct fixture f;

	KASSERT(fixture_setup(t, &f, 3, 40));
	KASSERT_EQ(page_allocator_add_free(&f.pa, 4, 41), 0);
	run_random_ops(t, &f, 99, 4000);
	fixture_teardown(t, &f);
}
