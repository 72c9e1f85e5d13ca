// SPDX-License-Identifier: MIT
/*
 * Host tests for fs/tmpfs/page_tree.c: lookups and inserts from index 0
 * to the last page of a 2^63-byte file, truncation freeing exactly the
 * pages past a point (and the nodes left empty), the data/hole search,
 * and allocation failures leaving the tree usable and leak-free.
 */
#include <host_fault.h>
#include <tern/ktest.h>
#include <tern/string.h>

#include "internal.h"

#define LAST_INDEX ((1ULL << 51) - 1)

static int nr_freed;

static void count_free(void *page)
{
	nr_freed++;
	kfree(page);
}

/* A page is just a tagged allocation here. */
static void *fake_page(void)
{
	return kmalloc(8);
}

static bool insert(struct page_tree *pt, uint64_t index)
{
	void *page = fake_page();

	if (page && page_tree_insert(pt, index, page) == 0)
		return true;
	kfree(page);
	return false;
}

KTEST(page_tree, test_page_tree_empty)
{
	struct page_tree pt;
	uint64_t out = 0;

	page_tree_init(&pt);
	KEXPECT(page_tree_lookup(&pt, 0) == NULL);
	KEXPECT(page_tree_lookup(&pt, LAST_INDEX) == NULL);
	KEXPECT(!page_tree_find(&pt, 0, true, &out));
	KEXPECT(page_tree_find(&pt, 7, false, &out) && out == 7);
	page_tree_truncate(&pt, 0, count_free);
	KEXPECT_EQ(pt.height, 0);
}

KTEST(page_tree, test_page_tree_insert_and_lookup_anywhere)
{
	static const uint64_t indices[] = {0, 1, 63, 64, 4095, 4096, 1ULL << 30, LAST_INDEX};
	long live = host_kmalloc_live();
	struct page_tree pt;

	page_tree_init(&pt);
	for (size_t i = 0; i < ARRAY_SIZE(indices); i++)
		KEXPECT(insert(&pt, indices[i]));
	KEXPECT_EQ(pt.nr_pages, ARRAY_SIZE(indices));
	KEXPECT_EQ(pt.height, 9);
	for (size_t i = 0; i < ARRAY_SIZE(indices); i++)
		KEXPECT(page_tree_lookup(&pt, indices[i]) != NULL);
	KEXPECT(page_tree_lookup(&pt, 2) == NULL);
	KEXPECT(page_tree_lookup(&pt, LAST_INDEX - 1) == NULL);
	nr_freed = 0;
	page_tree_truncate(&pt, 0, count_free);
	KEXPECT_EQ(nr_freed, (int)ARRAY_SIZE(indices));
	KEXPECT(pt.root == NULL && pt.height == 0 && pt.nr_pages == 0);
	KEXPECT_EQ(host_kmalloc_live(), live);
}

KTEST(page_tree, test_page_tree_truncate_frees_from_a_point)
{
	long live = host_kmalloc_live();
	struct page_tree pt;

	page_tree_init(&pt);
	for (uint64_t i = 0; i < 300; i++)
		KEXPECT(insert(&pt, i * 3));
	nr_freed = 0;
	page_tree_truncate(&pt, 451, count_free);
	KEXPECT_EQ(nr_freed, 149);
	KEXPECT_EQ(pt.nr_pages, 151);
	KEXPECT(page_tree_lookup(&pt, 450) != NULL);
	KEXPECT(page_tree_lookup(&pt, 453) == NULL);
	page_tree_truncate(&pt, 1ULL << 40, count_free);
	KEXPECT_EQ(pt.nr_pages, 151);
	page_tree_truncate(&pt, 1, count_free);
	KEXPECT_EQ(pt.nr_pages, 1);
	KEXPECT(page_tree_lookup(&pt, 0) != NULL);
	page_tree_truncate(&pt, 0, count_free);
	KEXPECT_EQ(host_kmalloc_live(), live);
}

KTEST(page_tree, test_page_tree_remove_frees_a_range)
{
	long live = host_kmalloc_live();
	struct page_tree pt;

	page_tree_init(&pt);
	for (uint64_t i = 0; i < 300; i++)
		KEXPECT(insert(&pt, i));
	KEXPECT(insert(&pt, LAST_INDEX));
	nr_freed = 0;
	page_tree_remove(&pt, 10, 199, count_free);
	KEXPECT_EQ(nr_freed, 190);
	KEXPECT(page_tree_lookup(&pt, 9) != NULL && page_tree_lookup(&pt, 200) != NULL);
	KEXPECT(page_tree_lookup(&pt, 10) == NULL && page_tree_lookup(&pt, 199) == NULL);
	page_tree_remove(&pt, 5, 4, count_free);
	page_tree_remove(&pt, 1ULL << 60, UINT64_MAX, count_free);
	KEXPECT_EQ(pt.nr_pages, 111);
	page_tree_remove(&pt, LAST_INDEX, LAST_INDEX, count_free);
	KEXPECT_EQ(pt.nr_pages, 110);
	page_tree_remove(&pt, 0, UINT64_MAX, count_free);
	KEXPECT(pt.root == NULL && pt.height == 0 && pt.nr_pages == 0);
	KEXPECT_EQ(host_kmalloc_live(), live);
}

KTEST(page_tree, test_page_tree_find_data_and_holes)
{
	struct page_tree pt;
	uint64_t out;

	page_tree_init(&pt);
	KEXPECT(insert(&pt, 5));
	KEXPECT(insert(&pt, 6));
	KEXPECT(insert(&pt, 64 * 64 * 3 + 1));
	KEXPECT(page_tree_find(&pt, 0, true, &out) && out == 5);
	KEXPECT(page_tree_find(&pt, 6, true, &out) && out == 6);
	KEXPECT(page_tree_find(&pt, 7, true, &out) && out == 64 * 64 * 3 + 1);
	KEXPECT(!page_tree_find(&pt, 64 * 64 * 3 + 2, true, &out));
	KEXPECT(page_tree_find(&pt, 0, false, &out) && out == 0);
	KEXPECT(page_tree_find(&pt, 5, false, &out) && out == 7);
	KEXPECT(page_tree_find(&pt, 64 * 64 * 3 + 1, false, &out) && out == 64 * 64 * 3 + 2);
	/* Past the tree's reach everything is a hole. */
	KEXPECT(page_tree_find(&pt, 1ULL << 40, false, &out) && out == 1ULL << 40);
	/* A full leaf node: the hole is after it. */
	for (uint64_t i = 128; i < 192; i++)
		KEXPECT(insert(&pt, i));
	KEXPECT(page_tree_find(&pt, 130, false, &out) && out == 192);
	page_tree_truncate(&pt, 0, count_free);
}

KTEST(page_tree, test_page_tree_allocation_failures)
{
	long live = host_kmalloc_live();
	struct page_tree pt;
	void *page;

	page_tree_init(&pt);
	KEXPECT(insert(&pt, 1));
	for (unsigned int n = 1; n <= 9; n++) {
		page = fake_page();
		host_fail_kmalloc_nth(n);
		if (page_tree_insert(&pt, LAST_INDEX, page) == 0) {
			host_fail_kmalloc_nth(0);
			break;
		}
		host_fail_kmalloc_nth(0);
		kfree(page);
		KEXPECT(page_tree_lookup(&pt, 1) != NULL);
		KEXPECT_EQ(pt.nr_pages, 1);
	}
	KEXPECT(page_tree_lookup(&pt, LAST_INDEX) != NULL);
	KEXPECT_EQ(pt.nr_pages, 2);
	page_tree_truncate(&pt, 0, count_free);
	KEXPECT_EQ(host_kmalloc_live(), live);
}
