// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for mm/vma.c: the input is a sequence of mmap, munmap,
 * mprotect, mremap, brk and stack-growth calls with arbitrary arguments,
 * some with a kmalloc failure injected. After each call the set must be
 * sorted, disjoint, aligned and fully merged with right counters; a
 * failed call must change nothing; and the owner's pages, tracked through
 * the callbacks, must match the areas: no page unmapped twice, none left
 * behind, none moved onto a mapped page. The backings' reverse maps must
 * hold exactly the areas that map them, in the set and in a forked copy
 * of it, and a zap through them must reach exactly the pages mapping the
 * zapped file range.
 */
#include <host_fault.h>
#include <tern/string.h>
#include <tern/vma.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FZ_PAGES 256
#define FZ_BASE 0x10000UL
#define FZ_OP_BYTES 8

struct fz_backing {
	int refs;
	struct vma_rmap rmap;
};

/* The owner's view: which pages it holds (faulted in) right now. */
static bool held[FZ_PAGES];
static struct fz_backing files[2];
static struct vma snap[FZ_PAGES];
/* A fork of the set, kept for a while; its callbacks have ctx == &child. */
static struct vma_set child;
static bool has_child;
/* zap_pages hits per page, for the set ([0]) and the child ([1]). */
static uint8_t zapped[2][FZ_PAGES];

static uint64_t page_index(uint64_t addr)
{
	assert(addr >= FZ_BASE && addr <= FZ_BASE + FZ_PAGES * PAGE_SIZE);
	return (addr - FZ_BASE) / PAGE_SIZE;
}

static void fz_unmap_pages(void *ctx, uint64_t start, uint64_t end)
{
	assert(start < end && IS_ALIGNED(start, PAGE_SIZE) && IS_ALIGNED(end, PAGE_SIZE));
	if (ctx == &child)
		return;
	for (uint64_t i = page_index(start); i < page_index(end); i++) {
		assert(held[i]);
		held[i] = false;
	}
}

static void fz_protect_pages(void *ctx, uint64_t start, uint64_t end, uint32_t prot)
{
	assert(start < end && (prot & ~VMA_PROT_MASK) == 0);
	if (ctx == &child)
		return;
	for (uint64_t i = page_index(start); i < page_index(end); i++)
		assert(held[i]);
}

static void fz_move_pages(void *ctx, uint64_t old_start, uint64_t new_start, uint64_t len)
{
	uint64_t from = page_index(old_start);
	uint64_t to = page_index(new_start);
	uint64_t nr = len / PAGE_SIZE;

	assert(ctx != &child);
	assert(nr > 0 && page_index(old_start + len) <= FZ_PAGES);
	assert(from + nr <= to || to + nr <= from);
	for (uint64_t i = 0; i < nr; i++) {
		assert(held[from + i] && !held[to + i]);
		held[from + i] = false;
		held[to + i] = true;
	}
}

static void fz_backing_get(void *backing)
{
	((struct fz_backing *)backing)->refs++;
}

static void fz_backing_put(void *backing)
{
	struct fz_backing *b = backing;

	assert(b->refs > 0);
	b->refs--;
}

static struct vma_rmap *fz_backing_rmap(void *backing)
{
	return &((struct fz_backing *)backing)->rmap;
}

static void fz_zap_pages(void *ctx, const struct vma *vma, uint64_t start, uint64_t end,
			 const struct vma_zap *zap)
{
	(void)zap;
	assert_held(&vma->rmap->lock);
	assert(vma->set->ctx == ctx);
	assert(vma->start <= start && start < end && end <= vma->end);
	assert(IS_ALIGNED(start, PAGE_SIZE) && IS_ALIGNED(end, PAGE_SIZE));
	for (uint64_t i = page_index(start); i < page_index(end); i++)
		zapped[ctx == &child][i]++;
}

static const struct vma_ops fz_ops = {
	.unmap_pages = fz_unmap_pages,
	.protect_pages = fz_protect_pages,
	.move_pages = fz_move_pages,
	.backing_get = fz_backing_get,
	.backing_put = fz_backing_put,
	.backing_rmap = fz_backing_rmap,
	.zap_pages = fz_zap_pages,
};

static bool can_merge(const struct vma *a, const struct vma *b)
{
	return a->end == b->start && a->prot == b->prot && a->flags == b->flags &&
	       a->backing == b->backing &&
	       (!a->backing || a->pgoff + (a->end - a->start) / PAGE_SIZE == b->pgoff);
}

/* The areas of set on b's reverse map; the list's count must be right. */
static uint64_t rmap_count_of(const struct fz_backing *b, const struct vma_set *set)
{
	struct list_head *pos;
	uint64_t nr_all = 0;
	uint64_t nr = 0;

	list_for_each(pos, &b->rmap.vma_list) {
		struct vma *v = list_entry(pos, struct vma, rmap_link);

		nr_all++;
		assert(v->rmap == &b->rmap && (struct fz_backing *)v->backing == b);
		if (v->set != set)
			continue;
		assert(vma_find(set, v->start) == v);
		nr++;
	}
	assert(nr_all == b->rmap.nr_vmas);
	return nr;
}

/* Every area of set with a backing is on its reverse map, and nothing else of set is. */
static void check_rmap(const struct vma_set *set)
{
	uint64_t nr_backed = 0;

	for (struct vma *v = vma_first(set); v; v = vma_next(set, v)) {
		assert(v->set == set);
		assert(v->rmap == (v->backing ? &((struct fz_backing *)v->backing)->rmap : NULL));
		nr_backed += v->backing != NULL;
	}
	assert(rmap_count_of(&files[0], set) + rmap_count_of(&files[1], set) == nr_backed);
}

/* Checks the invariants, then lets the owner hold every mapped page. */
static void check_set(const struct vma_set *set)
{
	const struct vma *prev = NULL;
	uint64_t nr = 0;
	uint64_t bytes = 0;
	int refs[2] = {0, 0};

	for (struct vma *v = vma_first(set); v; v = vma_next(set, v)) {
		assert(IS_ALIGNED(v->start, PAGE_SIZE) && IS_ALIGNED(v->end, PAGE_SIZE));
		assert(v->start < v->end && v->start >= set->user_start && v->end <= set->user_end);
		assert(!prev || (prev->end <= v->start && !can_merge(prev, v)));
		assert((v->prot & ~VMA_PROT_MASK) == 0);
		if (v->backing)
			refs[(struct fz_backing *)v->backing - files]++;
		nr++;
		bytes += v->end - v->start;
		prev = v;
	}
	assert(nr == vma_set_nr_vmas(set) && bytes == vma_set_mapped_bytes(set));
	check_rmap(set);
	if (has_child) {
		check_rmap(&child);
		for (struct vma *v = vma_first(&child); v; v = vma_next(&child, v))
			if (v->backing)
				refs[(struct fz_backing *)v->backing - files]++;
	}
	assert(refs[0] == files[0].refs && refs[1] == files[1].refs);
	for (uint64_t i = 0; i < FZ_PAGES; i++) {
		bool mapped = vma_find(set, FZ_BASE + i * PAGE_SIZE) != NULL;

		assert(!held[i] || mapped);
		held[i] = mapped;
	}
}

static uint64_t snapshot(const struct vma_set *set)
{
	uint64_t nr = 0;

	for (struct vma *v = vma_first(set); v; v = vma_next(set, v))
		snap[nr++] = *v;
	return nr;
}

static void check_unchanged(const struct vma_set *set, uint64_t nr)
{
	uint64_t i = 0;

	for (struct vma *v = vma_first(set); v; v = vma_next(set, v), i++) {
		assert(i < nr);
		assert(v->start == snap[i].start && v->end == snap[i].end);
		assert(v->prot == snap[i].prot && v->flags == snap[i].flags);
		assert(v->pgoff == snap[i].pgoff && v->backing == snap[i].backing);
	}
	assert(i == nr);
}

/* An address near the user range, sometimes unaligned or outside it. */
static uint64_t fz_addr(uint8_t page, uint8_t odd)
{
	uint64_t addr = FZ_BASE + (uint64_t)page * PAGE_SIZE;

	if (odd & 0x80)
		addr += odd & 0x7f;
	if ((odd & 0x70) == 0x70)
		addr -= 4 * PAGE_SIZE;
	return addr;
}

static uint64_t fz_len(uint8_t pages, uint8_t odd)
{
	if ((odd & 0x0f) == 0x0f)
		return UINT64_MAX - (pages & 0x0f);
	return (uint64_t)(pages % 40) * PAGE_SIZE + ((odd & 0x40) ? odd & 0x3f : 0);
}

/* Forks set into child, or ends the child there is. */
static int fork_or_exit(struct vma_set *set)
{
	int err;

	if (has_child) {
		vma_set_destroy(&child);
		has_child = false;
		return 0;
	}
	vma_set_init(&child, set->user_start, set->user_end, set->mmap_base, &fz_ops, &child);
	err = vma_set_clone(&child, set);
	if (err) {
		assert(vma_set_nr_vmas(&child) == 0);
		return err;
	}
	has_child = true;
	return 0;
}

/* Hits zap must have made on s's pages (which = 0 for set, 1 for child). */
static void check_zapped(const struct vma_set *s, int which, const struct fz_backing *b,
			 const struct vma_zap *zap)
{
	for (uint64_t i = 0; i < FZ_PAGES; i++) {
		struct vma *v = vma_find(s, FZ_BASE + i * PAGE_SIZE);
		uint64_t index = v ? v->pgoff + i - page_index(v->start) : 0;
		bool hit = v && v->backing == b && index >= zap->first && index <= zap->last;

		assert(zapped[which][i] == hit);
	}
}

/* Zaps part of a file through its reverse map and checks exactly its mappings were hit. */
static int zap_file(const struct vma_set *set, const uint8_t *op)
{
	struct fz_backing *b = &files[op[4] & 1];
	struct vma_zap zap = {.first = op[5], .even_cows = op[4] & 2};

	zap.last = op[6] == 0xff ? UINT64_MAX : zap.first + op[6];
	memset(zapped, 0, sizeof(zapped));
	vma_rmap_zap(&b->rmap, &zap);
	check_zapped(set, 0, b, &zap);
	if (has_child)
		check_zapped(&child, 1, b, &zap);
	else
		for (uint64_t i = 0; i < FZ_PAGES; i++)
			assert(!zapped[1][i]);
	return 0;
}

static int run_op(struct vma_set *set, const uint8_t *op, uint64_t *brk)
{
	uint64_t addr = fz_addr(op[1], op[7]);
	uint64_t len = fz_len(op[2], op[7]);
	uint32_t prot = op[3] & 0x7;
	uint8_t which = op[4] % 3;
	uint32_t flags = which ? VMA_SHARED : VMA_ANON;
	void *backing = which ? &files[which - 1] : NULL;
	struct vma *next;
	uint64_t out;

	if (op[4] & 0x80)
		flags |= VMA_GROWSDOWN;
	switch (op[0] % 10) {
	case 0:
	case 1:
		return vma_map(set, addr, len, prot, flags, backing, op[5], op[0] & 0x10);
	case 2:
		if (vma_find_free(set, len, (op[5] & 1) ? addr : 0, &out) != 0)
			return 0;
		next = vma_find_next(set, out);
		assert(IS_ALIGNED(out, PAGE_SIZE) && out >= set->user_start);
		assert(!next || next->start >= out + ALIGN_UP(len, PAGE_SIZE));
		return vma_map(set, out, len, prot, flags, backing, op[5], false);
	case 3:
		return vma_unmap(set, addr, len);
	case 4:
		return vma_protect(set, addr, len, prot | ((op[5] & 1) ? PROT_GROWSDOWN : 0));
	case 5:
		return vma_remap(set, addr, len, fz_len(op[5], op[6]), op[6] & 7,
				 fz_addr(op[4], op[6]), &out);
	case 6:
		return vma_brk(set, FZ_BASE + 16 * PAGE_SIZE, *brk,
			       FZ_BASE + (uint64_t)op[1] * PAGE_SIZE / 4, brk);
	case 8:
		return fork_or_exit(set);
	case 9:
		return zap_file(set, op);
	default: {
		struct vma *vma = vma_find_next(set, addr);

		return vma ? vma_expand_stack(set, vma, addr) : 0;
	}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vma_set set;
	uint64_t brk = FZ_BASE + 16 * PAGE_SIZE;
	long live = host_kmalloc_live();

	memset(held, 0, sizeof(held));
	memset(files, 0, sizeof(files));
	vma_rmap_init(&files[0].rmap);
	vma_rmap_init(&files[1].rmap);
	has_child = false;
	vma_set_init(&set, FZ_BASE, FZ_BASE + FZ_PAGES * PAGE_SIZE, FZ_BASE + 192 * PAGE_SIZE,
		     &fz_ops, NULL);
	for (size_t pos = 0; pos + FZ_OP_BYTES <= size; pos += FZ_OP_BYTES) {
		const uint8_t *op = data + pos;
		uint64_t nr = snapshot(&set);
		uint64_t old_brk = brk;
		int err;

		if (op[0] & 0x20)
			host_fail_kmalloc_nth(1 + (op[6] >> 6));
		err = run_op(&set, op, &brk);
		host_fail_kmalloc_nth(0);
		if (err) {
			check_unchanged(&set, nr);
			assert(brk == old_brk);
		}
		check_set(&set);
	}
	if (has_child)
		vma_set_destroy(&child);
	vma_set_destroy(&set);
	for (uint64_t i = 0; i < FZ_PAGES; i++)
		assert(!held[i]);
	assert(files[0].refs == 0 && files[1].refs == 0);
	assert(vma_rmap_is_empty(&files[0].rmap) && vma_rmap_is_empty(&files[1].rmap));
	assert(host_kmalloc_live() == live);
	return 0;
}
