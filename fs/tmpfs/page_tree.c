// SPDX-License-Identifier: MIT
/*
 * A radix tree from page index to page for tmpfs file data: 64 slots a
 * node, as tall as the largest index needs (9 levels reach the 2^51
 * pages of a 2^63-byte file). Absent subtrees are NULL, so a sparse file
 * costs only the pages written. The pages themselves are tmpfs's
 * (file.c); this only files them. Callers hold vfs->lock.
 */
#include <tern/errno.h>
#include <tern/string.h>

#include "internal.h"

void page_tree_init(struct page_tree *pt)
{
	pt->root = NULL;
	pt->height = 0;
	pt->nr_pages = 0;
}

/* Number of indices a tree of this height covers, saturating. */
static uint64_t capacity(unsigned int height)
{
	if (height * PAGE_TREE_SHIFT >= 64)
		return UINT64_MAX;
	return height ? 1ULL << (height * PAGE_TREE_SHIFT) : 0;
}

/* Indices under one slot of a node at level (1 = the nodes holding pages). */
static uint64_t slot_span(unsigned int level)
{
	return 1ULL << ((level - 1) * PAGE_TREE_SHIFT);
}

static unsigned int slot_of(uint64_t index, unsigned int level)
{
	return (unsigned int)(index >> ((level - 1) * PAGE_TREE_SHIFT)) & (PAGE_TREE_FANOUT - 1);
}

void *page_tree_lookup(const struct page_tree *pt, uint64_t index)
{
	void *node = pt->root;

	if (index >= capacity(pt->height))
		return NULL;
	for (unsigned int level = pt->height; node && level >= 1; level--)
		node = ((struct page_tree_node *)node)->slots[slot_of(index, level)];
	return node;
}

static int grow(struct page_tree *pt, uint64_t index)
{
	while (index >= capacity(pt->height)) {
		struct page_tree_node *n;

		if (pt->root) {
			n = kzalloc(sizeof(*n));
			if (!n)
				return -ENOMEM;
			n->slots[0] = pt->root;
			pt->root = n;
		}
		pt->height++;
	}
	return 0;
}

/*
 * Nodes made on the way down stay even if a lower one cannot be made:
 * they are empty but reachable, and go with the next truncate.
 */
int page_tree_insert(struct page_tree *pt, uint64_t index, void *page)
{
	void **slot = &pt->root;
	int err = grow(pt, index);

	if (err)
		return err;
	for (unsigned int level = pt->height; level >= 1; level--) {
		if (!*slot) {
			*slot = kzalloc(sizeof(struct page_tree_node));
			if (!*slot)
				return -ENOMEM;
		}
		slot = &((struct page_tree_node *)*slot)->slots[slot_of(index, level)];
	}
	assert(!*slot);
	*slot = page;
	pt->nr_pages++;
	return 0;
}

/* The inclusive range of indices to remove. */
struct index_range {
	uint64_t first;
	uint64_t last;
};

/*
 * Removes the pages in r from the subtree node at level covering
 * [base, ...); returns NULL once the node is empty (and freed).
 */
static void *remove_in_node(struct page_tree *pt, struct page_tree_node *n, unsigned int level,
			    uint64_t base, const struct index_range *r,
			    void (*free_page)(void *page))
{
	uint64_t span = slot_span(level);
	bool is_empty = true;

	for (unsigned int i = 0; i < PAGE_TREE_FANOUT; i++) {
		uint64_t lo = base + i * span;

		if (n->slots[i] && lo + span > r->first && lo <= r->last) {
			if (level == 1) {
				free_page(n->slots[i]);
				n->slots[i] = NULL;
				pt->nr_pages--;
			} else {
				n->slots[i] = remove_in_node(pt, n->slots[i], level - 1, lo, r,
							     free_page);
			}
		}
		if (n->slots[i])
			is_empty = false;
	}
	if (!is_empty)
		return n;
	kfree(n);
	return NULL;
}

void page_tree_remove(struct page_tree *pt, uint64_t first, uint64_t last,
		      void (*free_page)(void *page))
{
	struct index_range r = {first, last};

	if (pt->root && first < capacity(pt->height) && first <= last)
		pt->root = remove_in_node(pt, pt->root, pt->height, 0, &r, free_page);
	if (!pt->root)
		pt->height = 0;
}

void page_tree_truncate(struct page_tree *pt, uint64_t first, void (*free_page)(void *page))
{
	page_tree_remove(pt, first, UINT64_MAX, free_page);
}

static bool find_in(const struct page_tree_node *n, unsigned int level, uint64_t base,
		    uint64_t start, bool want_page, uint64_t *out)
{
	uint64_t span = slot_span(level);
	unsigned int i = start > base ? slot_of(start, level) : 0;

	for (; i < PAGE_TREE_FANOUT; i++) {
		uint64_t lo = base + i * span;
		uint64_t from = MAX(lo, start);

		if (!n->slots[i]) {
			if (want_page)
				continue;
			*out = from;
			return true;
		}
		if (level == 1) {
			if (!want_page)
				continue;
			*out = from;
			return true;
		}
		if (find_in(n->slots[i], level - 1, lo, from, want_page, out))
			return true;
	}
	return false;
}

bool page_tree_find(const struct page_tree *pt, uint64_t start, bool want_page, uint64_t *out)
{
	if (start >= capacity(pt->height) || !pt->root) {
		if (want_page)
			return false;
		*out = start;
		return true;
	}
	if (find_in(pt->root, pt->height, 0, start, want_page, out))
		return true;
	if (want_page || capacity(pt->height) == UINT64_MAX)
		return false;
	*out = capacity(pt->height);
	return true;
}
