// SPDX-License-Identifier: MIT
/*
 * Host tests for mm/vma.c: Linux's mmap, munmap, mprotect, mremap and brk
 * range semantics, the callbacks the owner sees, backing references,
 * fault injection over every kmalloc, and a randomized run checked page
 * by page against a simple model.
 */
#include <host_fault.h>
#include <tern/errno.h>
#include <tern/ktest.h>
#include <tern/string.h>
#include <tern/vma.h>

#define NR_PAGES 64
#define BASE 0x400000UL
#define MMAP_BASE_PAGE 48
#define RW (PROT_READ | PROT_WRITE)
#define RO PROT_READ

static uint64_t P(uint64_t page)
{
	return BASE + page * PAGE_SIZE;
}

struct fake_backing {
	int refs;
	struct vma_rmap rmap;
};

struct call {
	uint64_t a;
	uint64_t b;
	uint64_t c;
};

/* The owner's side: what the callbacks saw. */
struct owner {
	int nr_unmapped[NR_PAGES]; /* unmap_pages hits per page */
	int nr_unmap_calls;
	int nr_stray; /* callbacks outside the user range */
	struct call protects[16];
	int nr_protects;
	struct call moves[4];
	int nr_moves;
	int nr_zapped[NR_PAGES]; /* zap_pages hits per page */
	int nr_zap_calls;
	bool zap_even_cows; /* what the last zap_pages call was told */
};

static void owner_unmap_pages(void *ctx, uint64_t start, uint64_t end)
{
	struct owner *own = ctx;

	own->nr_unmap_calls++;
	if (start >= end || start < P(0) || end > P(NR_PAGES)) {
		own->nr_stray++;
		return;
	}
	for (uint64_t a = start; a < end; a += PAGE_SIZE)
		own->nr_unmapped[(a - BASE) / PAGE_SIZE]++;
}

static void owner_protect_pages(void *ctx, uint64_t start, uint64_t end, uint32_t prot)
{
	struct owner *own = ctx;

	if (own->nr_protects < (int)ARRAY_SIZE(own->protects))
		own->protects[own->nr_protects] = (struct call){start, end, prot};
	own->nr_protects++;
}

static void owner_move_pages(void *ctx, uint64_t old_start, uint64_t new_start, uint64_t len)
{
	struct owner *own = ctx;

	if (own->nr_moves < (int)ARRAY_SIZE(own->moves))
		own->moves[own->nr_moves] = (struct call){old_start, new_start, len};
	own->nr_moves++;
}

static void owner_zap_pages(void *ctx, const struct vma *vma, uint64_t start, uint64_t end,
			    const struct vma_zap *zap)
{
	struct owner *own = ctx;

	assert_held(&vma->rmap->lock);
	own->nr_zap_calls++;
	own->zap_even_cows = zap->even_cows;
	if (start >= end || start < vma->start || end > vma->end) {
		own->nr_stray++;
		return;
	}
	for (uint64_t a = start; a < end; a += PAGE_SIZE)
		own->nr_zapped[(a - BASE) / PAGE_SIZE]++;
}

static struct vma_rmap *backing_rmap_cb(void *backing)
{
	return &((struct fake_backing *)backing)->rmap;
}

static void backing_get_cb(void *backing)
{
	((struct fake_backing *)backing)->refs++;
}

static void backing_put_cb(void *backing)
{
	((struct fake_backing *)backing)->refs--;
}

static const struct vma_ops test_ops = {
	.unmap_pages = owner_unmap_pages,
	.protect_pages = owner_protect_pages,
	.move_pages = owner_move_pages,
	.backing_get = backing_get_cb,
	.backing_put = backing_put_cb,
	.backing_rmap = backing_rmap_cb,
	.zap_pages = owner_zap_pages,
};

/* The fixture's two backing objects, for the reverse-map checks. */
static struct fake_backing *test_files;

struct fixture {
	struct vma_set set;
	struct owner own;
	struct fake_backing file[2];
	long kmalloc_live_before;
};

static void fixture_setup(struct fixture *f)
{
	memset(f, 0, sizeof(*f));
	f->kmalloc_live_before = host_kmalloc_live();
	test_files = f->file;
	vma_rmap_init(&f->file[0].rmap);
	vma_rmap_init(&f->file[1].rmap);
	vma_set_init(&f->set, P(0), P(NR_PAGES), P(MMAP_BASE_PAGE), &test_ops, &f->own);
}

static void owner_reset(struct owner *own)
{
	memset(own, 0, sizeof(*own));
}

/* Number of pages unmap_pages hit in [first, last). */
static int nr_unmapped_in(const struct owner *own, uint64_t first, uint64_t last)
{
	int nr = 0;

	for (uint64_t i = first; i < last; i++)
		nr += own->nr_unmapped[i];
	return nr;
}

static bool vma_pair_can_merge(const struct vma *a, const struct vma *b)
{
	return a->end == b->start && a->prot == b->prot && a->flags == b->flags &&
	       a->backing == b->backing &&
	       (!a->backing || a->pgoff + ((a->end - a->start) >> PAGE_SHIFT) == b->pgoff);
}

static bool is_on_rmap(const struct vma *vma)
{
	struct list_head *pos;

	list_for_each(pos, &vma->rmap->vma_list) {
		if (list_entry(pos, struct vma, rmap_link) == vma)
			return true;
	}
	return false;
}

/* The areas of set on rmap's list, after checking the list's own count. */
static uint64_t rmap_count_of(struct ktest *t, const struct vma_rmap *rmap,
			      const struct vma_set *set)
{
	struct list_head *pos;
	uint64_t nr_all = 0;
	uint64_t nr = 0;

	list_for_each(pos, &rmap->vma_list) {
		struct vma *v = list_entry(pos, struct vma, rmap_link);

		nr_all++;
		if (v->set != set)
			continue;
		nr++;
		KEXPECT(vma_find(set, v->start) == v);
	}
	KEXPECT_EQ(nr_all, rmap->nr_vmas);
	return nr;
}

/*
 * The reverse maps are exact for set: each area with a backing is on its
 * backing's list once, and the lists hold no other area of set.
 */
static bool rmap_is_exact(struct ktest *t, const struct vma_set *set)
{
	uint64_t nr_backed = 0;
	bool ok = true;

	for (struct vma *v = vma_first(set); v; v = vma_next(set, v)) {
		ok &= KEXPECT(v->set == set);
		if (!v->backing) {
			ok &= KEXPECT(v->rmap == NULL);
			continue;
		}
		ok &= KEXPECT(v->rmap == &((struct fake_backing *)v->backing)->rmap);
		ok &= KEXPECT(is_on_rmap(v));
		nr_backed++;
	}
	ok &= KEXPECT_EQ(rmap_count_of(t, &test_files[0].rmap, set) +
				 rmap_count_of(t, &test_files[1].rmap, set),
			 nr_backed);
	return ok;
}

/* Sorted, disjoint, aligned, non-empty, fully merged, counters right. */
static bool set_is_valid(struct ktest *t, const struct vma_set *set)
{
	uint64_t nr = 0;
	uint64_t bytes = 0;
	bool ok = true;
	struct vma *prev = NULL;

	for (struct vma *v = vma_first(set); v; v = vma_next(set, v)) {
		ok &= KEXPECT(IS_ALIGNED(v->start, PAGE_SIZE) && IS_ALIGNED(v->end, PAGE_SIZE));
		ok &= KEXPECT(v->start < v->end);
		ok &= KEXPECT(v->start >= set->user_start && v->end <= set->user_end);
		if (prev) {
			ok &= KEXPECT(prev->end <= v->start);
			ok &= KEXPECT(!vma_pair_can_merge(prev, v));
		}
		nr++;
		bytes += v->end - v->start;
		prev = v;
	}
	ok &= KEXPECT_EQ(nr, vma_set_nr_vmas(set));
	ok &= KEXPECT_EQ(bytes, vma_set_mapped_bytes(set));
	ok &= rmap_is_exact(t, set);
	return ok;
}

static void fixture_teardown(struct ktest *t, struct fixture *f)
{
	set_is_valid(t, &f->set);
	vma_set_destroy(&f->set);
	KEXPECT_EQ(vma_set_nr_vmas(&f->set), 0);
	KEXPECT_EQ(vma_set_mapped_bytes(&f->set), 0);
	KEXPECT_EQ(f->file[0].refs, 0);
	KEXPECT_EQ(f->file[1].refs, 0);
	KEXPECT(vma_rmap_is_empty(&f->file[0].rmap));
	KEXPECT(vma_rmap_is_empty(&f->file[1].rmap));
	KEXPECT_EQ(f->file[0].rmap.nr_vmas, 0);
	KEXPECT_EQ(f->file[1].rmap.nr_vmas, 0);
	KEXPECT_EQ(f->own.nr_stray, 0);
	KEXPECT_EQ(host_kmalloc_live(), f->kmalloc_live_before);
}

struct span {
	uint64_t first; /* page index */
	uint64_t last;	/* one past, page index */
	uint32_t prot;
};

static bool layout_is(struct ktest *t, const struct vma_set *set, const struct span *spans,
		      size_t nr)
{
	struct vma *v = vma_first(set);
	bool ok = set_is_valid(t, set);

	for (size_t i = 0; i < nr; i++, v = v ? vma_next(set, v) : NULL) {
		if (!KEXPECT(v != NULL))
			return false;
		ok &= KEXPECT_EQ(v->start, P(spans[i].first));
		ok &= KEXPECT_EQ(v->end, P(spans[i].last));
		ok &= KEXPECT_EQ(v->prot, spans[i].prot);
	}
	ok &= KEXPECT(v == NULL);
	return ok;
}

#define LAYOUT_IS(set, ...)                                        \
	({                                                         \
		static const struct span spans_[] = {__VA_ARGS__}; \
		layout_is(t, (set), spans_, ARRAY_SIZE(spans_));   \
	})

static int map_anon(struct fixture *f, uint64_t first, uint64_t last, uint32_t prot)
{
	return vma_map(&f->set, P(first), (last - first) * PAGE_SIZE, prot, VMA_ANON, NULL,
		       P(first) >> PAGE_SHIFT, true);
}

static int map_file(struct fixture *f, int which, uint64_t first, uint64_t last, uint64_t pgoff)
{
	return vma_map(&f->set, P(first), (last - first) * PAGE_SIZE, RO, VMA_SHARED,
		       &f->file[which], pgoff, true);
}

KTEST(vma, init_is_empty)
{
	struct fixture f;

	fixture_setup(&f);
	KEXPECT(vma_first(&f.set) == NULL);
	KEXPECT(vma_find(&f.set, P(3)) == NULL);
	KEXPECT(vma_find_next(&f.set, 0) == NULL);
	KEXPECT_EQ(vma_set_nr_vmas(&f.set), 0);
	fixture_teardown(t, &f);
}

KTEST(vma, map_counts_and_finds)
{
	struct fixture f;
	struct vma *v;

	fixture_setup(&f);
	KASSERT_EQ(map_anon(&f, 4, 8, RW), 0);
	KEXPECT_EQ(vma_set_nr_vmas(&f.set), 1);
	KEXPECT_EQ(vma_set_mapped_bytes(&f.set), 4 * PAGE_SIZE);
	v = vma_find(&f.set, P(4));
	KASSERT(v != NULL);
	KEXPECT_EQ(v->start, P(4));
	KEXPECT_EQ(v->end, P(8));
	KEXPECT_EQ(v->prot, RW);
	KEXPECT_EQ(v->flags, VMA_ANON);
	KEXPECT(vma_find(&f.set, P(8) - 1) == v);
	KEXPECT(vma_find(&f.set, P(8)) == NULL);
	KEXPECT(vma_find(&f.set, P(4) - 1) == NULL);
	KEXPECT(vma_find_next(&f.set, P(0)) == v);
	KEXPECT(vma_find_next(&f.set, P(7)) == v);
	KEXPECT(vma_find_next(&f.set, P(8)) == NULL);
	fixture_teardown(t, &f);
}

KTEST(vma, map_rounds_len_up_and_masks_prot)
{
	struct fixture f;

	fixture_setup(&f);
	KASSERT_EQ(vma_map(&f.set, P(2), 1, RW | PROT_SEM, VMA_ANON, NULL, 0, false), 0);
	LAYOUT_IS(&f.set, {2, 3, RW});
	fixture_teardown(t, &f);
}

KTEST(vma, map_errors)
{
	struct fixture f;

	fixture_setup(&f);
	KEXPECT_EQ(vma_map(&f.set, P(1), 0, RW, VMA_ANON, NULL, 0, true), -EINVAL);
	KEXPECT_EQ(vma_map(&f.set, P(1) + 1, PAGE_SIZE, RW, VMA_ANON, NULL, 0, true), -EINVAL);
	KEXPECT_EQ(vma_map(&f.set, P(1), UINT64_MAX - 5, RW, VMA_ANON, NULL, 0, true), -ENOMEM);
	KEXPECT_EQ(vma_map(&f.set, P(NR_PAGES - 1), 2 * PAGE_SIZE, RW, VMA_ANON, NULL, 0, true),
		   -ENOMEM);
	KEXPECT_EQ(vma_map(&f.set, P(0) - PAGE_SIZE, PAGE_SIZE, RW, VMA_ANON, NULL, 0, true),
		   -EPERM);
	KEXPECT_EQ(vma_map(&f.set, P(1), PAGE_SIZE, RO, VMA_SHARED, &f.file[0], UINT64_MAX, true),
		   -EOVERFLOW);
	KEXPECT_EQ(vma_set_nr_vmas(&f.set), 0);
	KEXPECT_EQ(f.file[0].refs, 0);
	KEXPECT_EQ(vma_map(&f.set, P(NR_PAGES - 1), PAGE_SIZE, RW, VMA_ANON, NULL, 0, true), 0);
	fixture_teardown(t, &f);
}

KTEST(vma, map_noreplace_overlap_is_eexist)
{
	struct fixture f;

	fixture_setup(&f);
	KASSERT_EQ(map_anon(&f, 10, 20, RW), 0);
	KEXPECT_EQ(vma_map(&f.set, P(8), 3 * PAGE_SIZE, RO, VMA_ANON, NULL, 0, false), -EEXIST);
	KEXPECT_EQ(vma_map(&f.set, P(19), 3 * PAGE_SIZE, RO, VMA_ANON, NULL, 0, false), -EEXIST);
	KEXPECT_EQ(vma_map(&f.set, P(12), PAGE_SIZE, RO, VMA_ANON, NULL, 0, false), -EEXIST);
	KEXPECT_EQ(vma_map(&f.set, P(5), 30 * PAGE_SIZE, RO, VMA_ANON, NULL, 0, false), -EEXIST);
	LAYOUT_IS(&f.set, {10, 20, RW});
	KEXPECT_EQ(f.own.nr_unmap_calls, 0);
	fixture_teardown(t, &f);
}

KTEST(vma, map_noreplace_adjacent_succeeds)
{
	struct fixture f;

	fixture_setup(&f);
	KASSERT_EQ(map_anon(&f, 10, 20, RW), 0);
	KEXPECT_EQ(vma_map(&f.set, P(20), PAGE_SIZE, RO, VMA_ANON, NULL, 0, false), 0);
	KEXPECT_EQ(vma_map(&f.set, P(9), PAGE_SIZE, RO, VMA_ANON, NULL, 0, false), 0);
	LAYOUT_IS(&f.set, {9, 10, RO}, {10, 20, RW}, {20, 21, RO});
	fixture_teardown(t, &f);
}

KTEST(vma, map_merges_adjacent_anon)
{
	struct fixture f;

	fixture_setup(&f);
	KASSERT_EQ(map_anon(&f, 10, 12, RW), 0);
	KASSERT_EQ(map_anon(&f, 14, 16, RW), 0);
	LAYOUT_IS(&f.set, {10, 12, RW}, {14, 16, RW});
	KASSERT_EQ(map_anon(&f, 12, 14, RW), 0);
	LAYOUT_IS(&f.set, {10, 16, RW});
	KASSERT_EQ(map_anon(&f, 16, 17, RW), 0);
	KASSERT_EQ(map_anon(&f, 9, 10, RW), 0);
	LAYOUT_IS(&f.set, {9, 17, RW});
	fixture_teardown(t, &f);
}

KTEST(vma, map_no_merge_on_different_prot_or_flags)
{
	struct fixture f;

	fixture_setup(&f);
	KASSERT_EQ(map_anon(&f, 10, 12, RW), 0);
	KASSERT_EQ(map_anon(&f, 12, 14, RO), 0);
	KASSERT_EQ(vma_map(&f.set, P(14), PAGE_SIZE, RO, VMA_ANON | VMA_DONTCOPY, NULL, 0, false),
		   0);
	LAYOUT_IS(&f.set, {10, 12, RW}, {12, 14, RO}, {14, 15, RO});
	fixture_teardown(t, &f);
}

KTEST(vma, map_file_merges_only_with_contiguous_pgoff)
{
	struct fixture f;

	fixture_setup(&f);
	KASSERT_EQ(map_file(&f, 0, 10, 12, 100), 0);
	KASSERT_EQ(map_file(&f, 0, 12, 14, 102), 0);
	KEXPECT_EQ(vma_set_nr_vmas(&f.set), 1);
	KEXPECT_EQ(f.file[0].refs, 1);
	KASSERT_EQ(map_file(&f, 0, 14, 16, 200), 0);
	KASSERT_EQ(map_file(&f, 1, 16, 18, 202), 0);
	KEXPECT_EQ(vma_set_nr_vmas(&f.set), 3);
	KEXPECT_EQ(f.file[0].refs, 2);
	KEXPECT_EQ(f.file[1].refs, 1);
	KEXPECT_EQ(vma_find(&f.set, P(10))->pgoff, 100);
	KEXPECT_EQ(vma_find(&f.set, P(15))->pgoff, 200);
	fixture_teardown(t, &f);
}

KTEST(vma, map_fixed_inside_splits_in_three)
{
	struct fixture f;

	fixture_setup(&f);
	KASSERT_EQ(map_file(&f, 0, 10, 20, 50), 0);
	KASSERT_EQ(map_anon(&f, 13, 15, RW), 0);
	LAYOUT_IS(&f.set, {10, 13, RO}, {13, 15, RW}, {15, 20, RO});
	KEXPECT_EQ(vma_find(&f.set, P(15))->pgoff, 55);
	KEXPECT_EQ(vma_find(&f.set, P(10))->pgoff, 50);
	KEXPECT_EQ(f.file[0].refs, 2);
	KEXPECT_EQ(nr_unmapped_in(&f.own, 13, 15), 2);
	KEXPECT_EQ(nr_unmapped_in(&f.own, 0, NR_PAGES), 2);
	fixture_teardown(t, &f);
}

KTEST(vma, map_fixed_over_several_areas)
{
	struct fixture f;

	fixture_setup(&f);
	KASSERT_EQ(map_anon(&f, 10, 12, RW), 0);
	KASSERT_EQ(map_anon(&f, 13, 15, RO), 0);
	KASSERT_EQ(map_file(&f, 1, 16, 20, 0), 0);
	KASSERT_EQ(map_anon(&f, 11, 18, PROT_EXEC), 0);
	LAYOUT_IS(&f.set, {10, 11, RW}, {11, 18, PROT_EXEC}, {18, 20, RO});
	KEXPECT_EQ(vma_find(&f.set, P(18))->pgoff, 2);
	KEXPECT_EQ(nr_unmapped_in(&f.own, 11, 12), 1);
	KEXPECT_EQ(nr_unmapped_in(&f.own, 12, 13), 0);
	KEXPECT_EQ(nr_unmapped_in(&f.own, 13, 15), 2);
	KEXPECT_EQ(nr_unmapped_in(&f.own, 15, 16), 0);
	KEXPECT_EQ(nr_unmapped_in(&f.own, 16, 18), 2);
	KEXPECT_EQ(nr_unmapped_in(&f.own, 18, NR_PAGES), 0);
	KEXPECT_EQ(f.file[1].refs, 1);
	fixture_teardown(t, &f);
}

KTEST(vma, map_fixed_identical_merges_back)
{
	struct fixture f;

	fixture_setup(&f);
	KASSERT_EQ(map_anon(&f, 10, 20, RW), 0);
	KASSERT_EQ(map_anon(&f, 14, 16, RW), 0);
	LAYOUT_IS(&f.set, {10, 20, RW});
	KEXPECT_EQ(nr_unmapped_in(&f.own, 14, 16), 2);
	fixture_teardown(t, &f);
}

KTEST(vma, unmap_errors)
{
	struct fixture f;

	fixture_setup(&f);
	KASSERT_EQ(map_anon(&f, 10, 20, RW), 0);
	KEXPECT_EQ(vma_unmap(&f.set, P(10) + 1, PAGE_SIZE), -EINVAL);
	KEXPECT_EQ(vma_unmap(&f.set, P(10), 0), -EINVAL);
	KEXPECT_EQ(vma_unmap(&f.set, P(10), UINT64_MAX), -EINVAL);
	KEXPECT_EQ(vma_unmap(&f.set, P(NR_PAGES) + PAGE_SIZE, PAGE_SIZE), -EINVAL);
	LAYOUT_IS(&f.set, {10, 20, RW});
	fixture_teardown(t, &f);
}

KTEST(vma, unmap_hole_is_fine)
{
	struct fixture f;

	fixture_setup(&f);
	KASSERT_EQ(map_anon(&f, 10, 20, RW), 0);
	KEXPECT_EQ(vma_unmap(&f.set, P(30), 5 * PAGE_SIZE), 0);
	KEXPECT_EQ(vma_unmap(&f.set, P(0), PAGE_SIZE), 0);
	KEXPECT_EQ(f.own.nr_unmap_calls, 0);
	LAYOUT_IS(&f.set, {10, 20, RW});
	fixture_teardown(t, &f);
}

KTEST(vma, unmap_middle_splits)
{
	struct fixture f;

	fixture_setup(&f);
	KASSERT_EQ(map_file(&f, 0, 10, 20, 7), 0);
	KASSERT_EQ(vma_unmap(&f.set, P(12), 3 * PAGE_SIZE - 100), 0);
	LAYOUT_IS(&f.set, {10, 12, RO}, {15, 20, RO});
	KEXPECT_EQ(vma_find(&f.set, P(15))->pgoff, 12);
	KEXPECT_EQ(f.file[0].refs, 2);
	KEXPECT_EQ(f.own.nr_unmap_calls, 1);
	KEXPECT_EQ(nr_unmapped_in(&f.own, 12, 15), 3);
	KEXPECT_EQ(nr_unmapped_in(&f.own, 0, NR_PAGES), 3);
	fixture_teardown(t, &f);
}

KTEST(vma, unmap_edges_trim)
{
	struct fixture f;

	fixture_setup(&f);
	KASSERT_EQ(map_anon(&f, 10, 20, RW), 0);
	KASSERT_EQ(vma_unmap(&f.set, P(8), 4 * PAGE_SIZE), 0);
	LAYOUT_IS(&f.set, {12, 20, RW});
	KASSERT_EQ(vma_unmap(&f.set, P(18), 4 * PAGE_SIZE), 0);
	LAYOUT_IS(&f.set, {12, 18, RW});
	KEXPECT_EQ(nr_unmapped_in(&f.own, 0, NR_PAGES), 4);
	KEXPECT_EQ(nr_unmapped_in(&f.own, 10, 12), 2);
	KEXPECT_EQ(nr_unmapped_in(&f.own, 18, 20), 2);
	fixture_teardown(t, &f);
}

KTEST(vma, unmap_spanning_several_areas_and_holes)
{
	struct fixture f;

	fixture_setup(&f);
	KASSERT_EQ(map_anon(&f, 10, 12, RW), 0);
	KASSERT_EQ(map_anon(&f, 14, 16, RO), 0);
	KASSERT_EQ(map_anon(&f, 16, 18, RW), 0);
	KASSERT_EQ(map_anon(&f, 20, 24, RW), 0);
	KASSERT_EQ(vma_unmap(&f.set, P(11), 11 * PAGE_SIZE), 0);
	LAYOUT_IS(&f.set, {10, 11, RW}, {22, 24, RW});
	KEXPECT_EQ(nr_unmapped_in(&f.own, 0, NR_PAGES), 7);
	KEXPECT_EQ(f.own.nr_unmap_calls, 3);
	fixture_teardown(t, &f);
}

KTEST(vma, destroy_unmaps_everything)
{
	struct fixture f;

	fixture_setup(&f);
	KASSERT_EQ(map_anon(&f, 10, 12, RW), 0);
	KASSERT_EQ(map_file(&f, 0, 30, 33, 0), 0);
	vma_set_destroy(&f.set);
	KEXPECT_EQ(nr_unmapped_in(&f.own, 0, NR_PAGES), 5);
	KEXPECT_EQ(f.file[0].refs, 0);
	fixture_teardown(t, &f);
}

KTEST(vma, find_free_top_down_below_mmap_base)
{
	struct fixture f;
	uint64_t addr = 0;

	fixture_setup(&f);
	KASSERT_EQ(vma_find_free(&f.set, 3 * PAGE_SIZE, 0, &addr), 0);
	KEXPECT_EQ(addr, P(MMAP_BASE_PAGE - 3));
	KASSERT_EQ(map_anon(&f, MMAP_BASE_PAGE - 3, MMAP_BASE_PAGE, RW), 0);
	KASSERT_EQ(vma_find_free(&f.set, PAGE_SIZE + 1, 0, &addr), 0);
	KEXPECT_EQ(addr, P(MMAP_BASE_PAGE - 5));
	fixture_teardown(t, &f);
}

KTEST(vma, find_free_uses_highest_fitting_gap)
{
	struct fixture f;
	uint64_t addr = 0;

	fixture_setup(&f);
	KASSERT_EQ(map_anon(&f, 40, MMAP_BASE_PAGE, RW), 0);
	KASSERT_EQ(map_anon(&f, 30, 38, RO), 0);
	KASSERT_EQ(vma_find_free(&f.set, 2 * PAGE_SIZE, 0, &addr), 0);
	KEXPECT_EQ(addr, P(38));
	KASSERT_EQ(vma_find_free(&f.set, 3 * PAGE_SIZE, 0, &addr), 0);
	KEXPECT_EQ(addr, P(27));
	fixture_teardown(t, &f);
}

KTEST(vma, find_free_honours_hint)
{
	struct fixture f;
	uint64_t addr = 0;

	fixture_setup(&f);
	KASSERT_EQ(map_anon(&f, 10, 20, RW), 0);
	KASSERT_EQ(vma_find_free(&f.set, 4 * PAGE_SIZE, P(20), &addr), 0);
	KEXPECT_EQ(addr, P(20));
	KASSERT_EQ(vma_find_free(&f.set, 4 * PAGE_SIZE, P(55) + 123, &addr), 0);
	KEXPECT_EQ(addr, P(55));
	KASSERT_EQ(vma_find_free(&f.set, 4 * PAGE_SIZE, P(6), &addr), 0);
	KEXPECT_EQ(addr, P(6));
	fixture_teardown(t, &f);
}

KTEST(vma, find_free_busy_hint_falls_back_top_down)
{
	struct fixture f;
	uint64_t addr = 0;

	fixture_setup(&f);
	KASSERT_EQ(map_anon(&f, 10, 20, RW), 0);
	KASSERT_EQ(vma_find_free(&f.set, 4 * PAGE_SIZE, P(7), &addr), 0);
	KEXPECT_EQ(addr, P(MMAP_BASE_PAGE - 4));
	KASSERT_EQ(vma_find_free(&f.set, 4 * PAGE_SIZE, P(NR_PAGES - 2), &addr), 0);
	KEXPECT_EQ(addr, P(MMAP_BASE_PAGE - 4));
	fixture_teardown(t, &f);
}

KTEST(vma, find_free_hint_below_user_start_is_raised)
{
	struct fixture f;
	uint64_t addr = 0;

	fixture_setup(&f);
	KASSERT_EQ(vma_find_free(&f.set, PAGE_SIZE, PAGE_SIZE, &addr), 0);
	KEXPECT_EQ(addr, P(0));
	fixture_teardown(t, &f);
}

KTEST(vma, find_free_keeps_guard_gap_below_stack)
{
	struct fixture f;
	uint64_t addr = 0;

	fixture_setup(&f);
	KASSERT_EQ(
		vma_map(&f.set, P(40), 4 * PAGE_SIZE, RW, VMA_ANON | VMA_GROWSDOWN, NULL, 0, false),
		0);
	KASSERT_EQ(map_anon(&f, 44, MMAP_BASE_PAGE, RW), 0);
	KASSERT_EQ(vma_find_free(&f.set, 2 * PAGE_SIZE, 0, &addr), 0);
	KEXPECT_EQ(addr, P(40) - VMA_STACK_GUARD_GAP_BYTES - 2 * PAGE_SIZE);
	/* A hint touching the stack is refused too. */
	KASSERT_EQ(vma_find_free(&f.set, 2 * PAGE_SIZE, P(38), &addr), 0);
	KEXPECT(addr + 2 * PAGE_SIZE + VMA_STACK_GUARD_GAP_BYTES <= P(40));
	KEXPECT(addr != P(38));
	/* MAP_FIXED ignores the gap. */
	KEXPECT_EQ(map_anon(&f, 39, 40, RO), 0);
	fixture_teardown(t, &f);
}

KTEST(vma, find_free_falls_back_bottom_up_above_base)
{
	struct fixture f;
	uint64_t addr = 0;

	fixture_setup(&f);
	KASSERT_EQ(map_anon(&f, 0, MMAP_BASE_PAGE, RW), 0);
	KASSERT_EQ(vma_find_free(&f.set, 2 * PAGE_SIZE, 0, &addr), 0);
	KEXPECT_EQ(addr, P(MMAP_BASE_PAGE));
	fixture_teardown(t, &f);
}

KTEST(vma, find_free_errors)
{
	struct fixture f;
	uint64_t addr = 0;

	fixture_setup(&f);
	KEXPECT_EQ(vma_find_free(&f.set, 0, 0, &addr), -EINVAL);
	KEXPECT_EQ(vma_find_free(&f.set, P(NR_PAGES), 0, &addr), -ENOMEM);
	KEXPECT_EQ(vma_find_free(&f.set, UINT64_MAX, 0, &addr), -ENOMEM);
	KASSERT_EQ(map_anon(&f, 0, 30, RW), 0);
	KASSERT_EQ(map_anon(&f, 31, NR_PAGES, RW), 0);
	KEXPECT_EQ(vma_find_free(&f.set, 2 * PAGE_SIZE, 0, &addr), -ENOMEM);
	KASSERT_EQ(vma_find_free(&f.set, PAGE_SIZE, 0, &addr), 0);
	KEXPECT_EQ(addr, P(30));
	fixture_teardown(t, &f);
}

KTEST(vma, protect_errors)
{
	struct fixture f;

	fixture_setup(&f);
	KASSERT_EQ(map_anon(&f, 10, 20, RW), 0);
	KEXPECT_EQ(vma_protect(&f.set, P(10) + 1, PAGE_SIZE, RO), -EINVAL);
	KEXPECT_EQ(vma_protect(&f.set, P(10), PAGE_SIZE, 0x100), -EINVAL);
	KEXPECT_EQ(vma_protect(&f.set, P(10), PAGE_SIZE, RO | PROT_GROWSUP), -EINVAL);
	KEXPECT_EQ(vma_protect(&f.set, P(10), PAGE_SIZE, PROT_GROWSDOWN | PROT_GROWSUP), -EINVAL);
	KEXPECT_EQ(vma_protect(&f.set, P(10), PAGE_SIZE, RO | PROT_GROWSDOWN), -EINVAL);
	KEXPECT_EQ(vma_protect(&f.set, P(10), UINT64_MAX, RO), -ENOMEM);
	KEXPECT_EQ(vma_protect(&f.set, P(30), PAGE_SIZE, RO), -ENOMEM);
	KEXPECT_EQ(vma_protect(&f.set, P(9), 2 * PAGE_SIZE, RO), -ENOMEM);
	KEXPECT_EQ(vma_protect(&f.set, P(19), 2 * PAGE_SIZE, RO), -ENOMEM);
	KEXPECT_EQ(vma_protect(&f.set, P(10), 0, RO), 0);
	KEXPECT_EQ(f.own.nr_protects, 0);
	LAYOUT_IS(&f.set, {10, 20, RW});
	fixture_teardown(t, &f);
}

KTEST(vma, protect_with_hole_changes_nothing)
{
	struct fixture f;

	fixture_setup(&f);
	KASSERT_EQ(map_anon(&f, 10, 12, RW), 0);
	KASSERT_EQ(map_anon(&f, 13, 15, RW), 0);
	KEXPECT_EQ(vma_protect(&f.set, P(10), 5 * PAGE_SIZE, RO), -ENOMEM);
	LAYOUT_IS(&f.set, {10, 12, RW}, {13, 15, RW});
	KEXPECT_EQ(f.own.nr_protects, 0);
	fixture_teardown(t, &f);
}

KTEST(vma, protect_middle_splits_then_merges_back)
{
	struct fixture f;

	fixture_setup(&f);
	KASSERT_EQ(map_file(&f, 0, 10, 20, 3), 0);
	KASSERT_EQ(vma_protect(&f.set, P(12), 2 * PAGE_SIZE, RW), 0);
	LAYOUT_IS(&f.set, {10, 12, RO}, {12, 14, RW}, {14, 20, RO});
	KEXPECT_EQ(vma_find(&f.set, P(12))->pgoff, 5);
	KEXPECT_EQ(vma_find(&f.set, P(14))->pgoff, 7);
	KEXPECT_EQ(f.file[0].refs, 3);
	KASSERT_EQ(f.own.nr_protects, 1);
	KEXPECT_EQ(f.own.protects[0].a, P(12));
	KEXPECT_EQ(f.own.protects[0].b, P(14));
	KEXPECT_EQ(f.own.protects[0].c, RW);
	KASSERT_EQ(vma_protect(&f.set, P(12), 2 * PAGE_SIZE, RO), 0);
	LAYOUT_IS(&f.set, {10, 20, RO});
	KEXPECT_EQ(f.file[0].refs, 1);
	fixture_teardown(t, &f);
}

KTEST(vma, protect_edges_and_across_areas)
{
	struct fixture f;

	fixture_setup(&f);
	KASSERT_EQ(map_anon(&f, 10, 14, RW), 0);
	KASSERT_EQ(map_anon(&f, 14, 18, RO), 0);
	KASSERT_EQ(vma_protect(&f.set, P(12), 4 * PAGE_SIZE, PROT_EXEC), 0);
	LAYOUT_IS(&f.set, {10, 12, RW}, {12, 16, PROT_EXEC}, {16, 18, RO});
	KEXPECT_EQ(f.own.nr_protects, 2);
	KASSERT_EQ(vma_protect(&f.set, P(10), 8 * PAGE_SIZE, RW), 0);
	LAYOUT_IS(&f.set, {10, 18, RW});
	fixture_teardown(t, &f);
}

KTEST(vma, protect_same_prot_calls_nothing)
{
	struct fixture f;

	fixture_setup(&f);
	KASSERT_EQ(map_anon(&f, 10, 14, RW), 0);
	KASSERT_EQ(vma_protect(&f.set, P(11), PAGE_SIZE, RW | PROT_SEM), 0);
	KEXPECT_EQ(f.own.nr_protects, 0);
	LAYOUT_IS(&f.set, {10, 14, RW});
	fixture_teardown(t, &f);
}

KTEST(vma, protect_growsdown_extends_to_stack_start)
{
	struct fixture f;

	fixture_setup(&f);
	KASSERT_EQ(
		vma_map(&f.set, P(30), 8 * PAGE_SIZE, RW, VMA_ANON | VMA_GROWSDOWN, NULL, 0, false),
		0);
	KASSERT_EQ(vma_protect(&f.set, P(34), PAGE_SIZE, RO | PROT_GROWSDOWN), 0);
	LAYOUT_IS(&f.set, {30, 35, RO}, {35, 38, RW});
	KEXPECT_EQ(vma_protect(&f.set, P(20), PAGE_SIZE, RO | PROT_GROWSDOWN), -ENOMEM);
	fixture_teardown(t, &f);
}

KTEST(vma, brk_grows_and_shrinks)
{
	struct fixture f;
	uint64_t brk = 0;

	fixture_setup(&f);
	KASSERT_EQ(vma_brk(&f.set, P(5), P(5), P(5) + 100, &brk), 0);
	KEXPECT_EQ(brk, P(5) + 100);
	LAYOUT_IS(&f.set, {5, 6, RW});
	KASSERT_EQ(vma_brk(&f.set, P(5), brk, P(8) + 1, &brk), 0);
	KEXPECT_EQ(brk, P(8) + 1);
	LAYOUT_IS(&f.set, {5, 9, RW});
	KEXPECT_EQ(vma_find(&f.set, P(5))->flags, VMA_ANON);
	KASSERT_EQ(vma_brk(&f.set, P(5), brk, P(6), &brk), 0);
	KEXPECT_EQ(brk, P(6));
	LAYOUT_IS(&f.set, {5, 6, RW});
	KEXPECT_EQ(nr_unmapped_in(&f.own, 6, 9), 3);
	KASSERT_EQ(vma_brk(&f.set, P(5), brk, P(5), &brk), 0);
	KEXPECT_EQ(vma_set_nr_vmas(&f.set), 0);
	fixture_teardown(t, &f);
}

KTEST(vma, brk_within_page_maps_nothing)
{
	struct fixture f;
	uint64_t brk = 0;

	fixture_setup(&f);
	KASSERT_EQ(vma_brk(&f.set, P(5), P(5) + 10, P(5) + 20, &brk), 0);
	KEXPECT_EQ(brk, P(5) + 20);
	KASSERT_EQ(vma_brk(&f.set, P(5), P(5) + 20, P(5) + 1, &brk), 0);
	KEXPECT_EQ(brk, P(5) + 1);
	fixture_teardown(t, &f);
}

KTEST(vma, brk_below_start_returns_old)
{
	struct fixture f;
	uint64_t brk = 0;

	fixture_setup(&f);
	KEXPECT_EQ(vma_brk(&f.set, P(5), P(5), P(4), &brk), -ENOMEM);
	KEXPECT_EQ(brk, P(5));
	fixture_teardown(t, &f);
}

KTEST(vma, brk_collision_returns_old)
{
	struct fixture f;
	uint64_t brk = 0;

	fixture_setup(&f);
	KASSERT_EQ(map_anon(&f, 10, 12, RO), 0);
	/* Linux keeps a page between the break and the next mapping. */
	KEXPECT_EQ(vma_brk(&f.set, P(5), P(5), P(9) + 1, &brk), -ENOMEM);
	KEXPECT_EQ(brk, P(5));
	KEXPECT_EQ(vma_brk(&f.set, P(5), P(5), P(20), &brk), -ENOMEM);
	KEXPECT_EQ(vma_brk(&f.set, P(5), P(5), UINT64_MAX - 5, &brk), -ENOMEM);
	KASSERT_EQ(vma_brk(&f.set, P(5), P(5), P(9), &brk), 0);
	KEXPECT_EQ(brk, P(9));
	LAYOUT_IS(&f.set, {5, 9, RW}, {10, 12, RO});
	fixture_teardown(t, &f);
}

KTEST(vma, brk_respects_stack_guard_gap)
{
	struct fixture f;
	uint64_t brk = 0;

	fixture_setup(&f);
	KASSERT_EQ(vma_map(&f.set, P(12), PAGE_SIZE, RW, VMA_ANON | VMA_GROWSDOWN, NULL, 0, false),
		   0);
	KEXPECT_EQ(vma_brk(&f.set, P(5), P(5), P(11), &brk), -ENOMEM);
	KEXPECT_EQ(brk, P(5));
	KASSERT_EQ(vma_brk(&f.set, P(5), P(5), P(12) - VMA_STACK_GUARD_GAP_BYTES - PAGE_SIZE, &brk),
		   0);
	fixture_teardown(t, &f);
}

KTEST(vma, remap_shrinks_in_place)
{
	struct fixture f;
	uint64_t addr = 0;

	fixture_setup(&f);
	KASSERT_EQ(map_anon(&f, 10, 20, RW), 0);
	KASSERT_EQ(vma_remap(&f.set, P(10), 10 * PAGE_SIZE, 4 * PAGE_SIZE, 0, 0, &addr), 0);
	KEXPECT_EQ(addr, P(10));
	LAYOUT_IS(&f.set, {10, 14, RW});
	KEXPECT_EQ(nr_unmapped_in(&f.own, 14, 20), 6);
	KASSERT_EQ(vma_remap(&f.set, P(10), 4 * PAGE_SIZE, 4 * PAGE_SIZE, 0, 0, &addr), 0);
	KEXPECT_EQ(addr, P(10));
	fixture_teardown(t, &f);
}

KTEST(vma, remap_grows_in_place_when_room)
{
	struct fixture f;
	uint64_t addr = 0;

	fixture_setup(&f);
	KASSERT_EQ(map_anon(&f, 10, 14, RW), 0);
	KASSERT_EQ(map_anon(&f, 18, 20, RW), 0);
	KASSERT_EQ(vma_remap(&f.set, P(12), 2 * PAGE_SIZE, 6 * PAGE_SIZE, 0, 0, &addr), 0);
	KEXPECT_EQ(addr, P(12));
	LAYOUT_IS(&f.set, {10, 20, RW});
	KEXPECT_EQ(f.own.nr_moves, 0);
	fixture_teardown(t, &f);
}

KTEST(vma, remap_grow_blocked_without_maymove_is_enomem)
{
	struct fixture f;
	uint64_t addr = 0;

	fixture_setup(&f);
	KASSERT_EQ(map_anon(&f, 10, 14, RW), 0);
	KASSERT_EQ(map_anon(&f, 15, 16, RO), 0);
	KEXPECT_EQ(vma_remap(&f.set, P(10), 4 * PAGE_SIZE, 8 * PAGE_SIZE, 0, 0, &addr), -ENOMEM);
	/* Not at the end of the area: cannot grow in place. */
	KEXPECT_EQ(vma_remap(&f.set, P(10), PAGE_SIZE, 2 * PAGE_SIZE, 0, 0, &addr), -ENOMEM);
	LAYOUT_IS(&f.set, {10, 14, RW}, {15, 16, RO});
	fixture_teardown(t, &f);
}

KTEST(vma, remap_moves_when_blocked)
{
	struct fixture f;
	uint64_t addr = 0;

	fixture_setup(&f);
	KASSERT_EQ(map_file(&f, 0, 10, 14, 40), 0);
	KASSERT_EQ(map_anon(&f, 14, 15, RW), 0);
	KASSERT_EQ(
		vma_remap(&f.set, P(11), 2 * PAGE_SIZE, 5 * PAGE_SIZE, VMA_REMAP_MAYMOVE, 0, &addr),
		0);
	KEXPECT_EQ(addr, P(MMAP_BASE_PAGE - 5));
	LAYOUT_IS(&f.set, {10, 11, RO}, {13, 14, RO}, {14, 15, RW},
		  {MMAP_BASE_PAGE - 5, MMAP_BASE_PAGE, RO});
	KEXPECT_EQ(vma_find(&f.set, addr)->pgoff, 41);
	KASSERT_EQ(f.own.nr_moves, 1);
	KEXPECT_EQ(f.own.moves[0].a, P(11));
	KEXPECT_EQ(f.own.moves[0].b, addr);
	KEXPECT_EQ(f.own.moves[0].c, 2 * PAGE_SIZE);
	KEXPECT_EQ(f.own.nr_unmap_calls, 0);
	KEXPECT_EQ(f.file[0].refs, 3);
	fixture_teardown(t, &f);
}

KTEST(vma, remap_fixed_replaces_destination)
{
	struct fixture f;
	uint64_t addr = 0;

	fixture_setup(&f);
	KASSERT_EQ(map_anon(&f, 10, 14, RW), 0);
	KASSERT_EQ(map_anon(&f, 30, 40, RO), 0);
	KASSERT_EQ(vma_remap(&f.set, P(10), 4 * PAGE_SIZE, 2 * PAGE_SIZE,
			     VMA_REMAP_MAYMOVE | VMA_REMAP_FIXED, P(32), &addr),
		   0);
	KEXPECT_EQ(addr, P(32));
	LAYOUT_IS(&f.set, {30, 32, RO}, {32, 34, RW}, {34, 40, RO});
	/* Destination pages and the dropped tail are unmapped; moved ones not. */
	KEXPECT_EQ(nr_unmapped_in(&f.own, 32, 34), 2);
	KEXPECT_EQ(nr_unmapped_in(&f.own, 12, 14), 2);
	KEXPECT_EQ(nr_unmapped_in(&f.own, 0, NR_PAGES), 4);
	KASSERT_EQ(f.own.nr_moves, 1);
	KEXPECT_EQ(f.own.moves[0].c, 2 * PAGE_SIZE);
	fixture_teardown(t, &f);
}

KTEST(vma, remap_errors)
{
	struct fixture f;
	uint64_t addr = 0;
	const uint32_t fixed = VMA_REMAP_MAYMOVE | VMA_REMAP_FIXED;

	fixture_setup(&f);
	KASSERT_EQ(map_anon(&f, 10, 14, RW), 0);
	KEXPECT_EQ(vma_remap(&f.set, P(10), PAGE_SIZE, PAGE_SIZE, 8, 0, &addr), -EINVAL);
	KEXPECT_EQ(vma_remap(&f.set, P(10), PAGE_SIZE, PAGE_SIZE, VMA_REMAP_FIXED, P(20), &addr),
		   -EINVAL);
	KEXPECT_EQ(vma_remap(&f.set, P(10), PAGE_SIZE, 2 * PAGE_SIZE,
			     VMA_REMAP_MAYMOVE | VMA_REMAP_DONTUNMAP, 0, &addr),
		   -EINVAL);
	KEXPECT_EQ(vma_remap(&f.set, P(10) + 1, PAGE_SIZE, PAGE_SIZE, 0, 0, &addr), -EINVAL);
	KEXPECT_EQ(vma_remap(&f.set, P(10), PAGE_SIZE, 0, 0, 0, &addr), -EINVAL);
	KEXPECT_EQ(vma_remap(&f.set, P(20), PAGE_SIZE, PAGE_SIZE, 0, 0, &addr), -EFAULT);
	KEXPECT_EQ(
		vma_remap(&f.set, P(12), 4 * PAGE_SIZE, 8 * PAGE_SIZE, VMA_REMAP_MAYMOVE, 0, &addr),
		-EFAULT);
	KEXPECT_EQ(vma_remap(&f.set, P(10), 4 * PAGE_SIZE, 4 * PAGE_SIZE, fixed, P(12), &addr),
		   -EINVAL);
	KEXPECT_EQ(vma_remap(&f.set, P(10), 4 * PAGE_SIZE, 4 * PAGE_SIZE, fixed, P(30) + 1, &addr),
		   -EINVAL);
	KEXPECT_EQ(vma_remap(&f.set, P(10), 4 * PAGE_SIZE, 4 * PAGE_SIZE, fixed, P(NR_PAGES - 2),
			     &addr),
		   -EINVAL);
	KEXPECT_EQ(vma_remap(&f.set, P(10), 0, 4 * PAGE_SIZE, VMA_REMAP_MAYMOVE, 0, &addr),
		   -EINVAL);
	KEXPECT_EQ(vma_remap(&f.set, P(11), 0, PAGE_SIZE, fixed, P(11), &addr), -EINVAL);
	LAYOUT_IS(&f.set, {10, 14, RW});
	KEXPECT_EQ(f.own.nr_moves, 0);
	KEXPECT_EQ(f.own.nr_unmap_calls, 0);
	fixture_teardown(t, &f);
}

KTEST(vma, remap_dontunmap_keeps_old_area)
{
	struct fixture f;
	uint64_t addr = 0;

	fixture_setup(&f);
	KASSERT_EQ(map_anon(&f, 10, 14, RW), 0);
	KASSERT_EQ(vma_remap(&f.set, P(10), 2 * PAGE_SIZE, 2 * PAGE_SIZE,
			     VMA_REMAP_MAYMOVE | VMA_REMAP_DONTUNMAP, P(20), &addr),
		   0);
	KEXPECT_EQ(addr, P(20));
	LAYOUT_IS(&f.set, {10, 14, RW}, {20, 22, RW});
	KEXPECT_EQ(f.own.nr_moves, 1);
	KEXPECT_EQ(f.own.nr_unmap_calls, 0);
	fixture_teardown(t, &f);
}

KTEST(vma, remap_shared_zero_len_duplicates)
{
	struct fixture f;
	uint64_t addr = 0;

	fixture_setup(&f);
	KASSERT_EQ(map_file(&f, 0, 10, 14, 8), 0);
	KASSERT_EQ(vma_remap(&f.set, P(11), 0, 2 * PAGE_SIZE, VMA_REMAP_MAYMOVE, 0, &addr), 0);
	KEXPECT_EQ(addr, P(MMAP_BASE_PAGE - 2));
	LAYOUT_IS(&f.set, {10, 14, RO}, {MMAP_BASE_PAGE - 2, MMAP_BASE_PAGE, RO});
	KEXPECT_EQ(vma_find(&f.set, addr)->pgoff, 9);
	KEXPECT_EQ(f.own.nr_moves, 0);
	KEXPECT_EQ(f.file[0].refs, 2);
	fixture_teardown(t, &f);
}

KTEST(vma, expand_stack_moves_start_down)
{
	struct fixture f;
	struct vma *stack;

	fixture_setup(&f);
	KASSERT_EQ(map_anon(&f, 20, 22, RW), 0);
	KASSERT_EQ(vma_map(&f.set, P(30), 2 * PAGE_SIZE, RW, VMA_ANON | VMA_GROWSDOWN, NULL, 30,
			   false),
		   0);
	stack = vma_find(&f.set, P(30));
	KASSERT(stack != NULL);
	KEXPECT_EQ(vma_expand_stack(&f.set, stack, P(27) + 5), 0);
	KEXPECT_EQ(stack->start, P(27));
	KEXPECT_EQ(stack->pgoff, 27);
	KEXPECT_EQ(vma_set_mapped_bytes(&f.set), 7 * PAGE_SIZE);
	KEXPECT_EQ(vma_expand_stack(&f.set, stack, P(22)), -ENOMEM);
	KEXPECT_EQ(vma_expand_stack(&f.set, stack, P(23)), 0);
	KEXPECT_EQ(vma_expand_stack(&f.set, vma_find(&f.set, P(20)), P(19)), -EFAULT);
	KEXPECT_EQ(stack->start, P(23));
	set_is_valid(t, &f.set);
	fixture_teardown(t, &f);
}

KTEST(vma, expand_stack_into_twin_stack_merges)
{
	struct fixture f;
	struct vma *upper;

	fixture_setup(&f);
	KASSERT_EQ(vma_map(&f.set, P(20), PAGE_SIZE, RW, VMA_ANON | VMA_GROWSDOWN, NULL, 0, false),
		   0);
	KASSERT_EQ(vma_map(&f.set, P(24), PAGE_SIZE, RW, VMA_ANON | VMA_GROWSDOWN, NULL, 0, false),
		   0);
	upper = vma_find(&f.set, P(24));
	KASSERT(upper != NULL);
	/* Linux lets a stack grow right up to another stack. */
	KASSERT_EQ(vma_expand_stack(&f.set, upper, P(21)), 0);
	KEXPECT(vma_find(&f.set, P(20)) == upper);
	LAYOUT_IS(&f.set, {20, 25, RW});
	fixture_teardown(t, &f);
}

KTEST(vma, clone_copies_areas_and_references)
{
	struct fixture f;
	struct owner child_owner;
	struct vma_set child;

	fixture_setup(&f);
	owner_reset(&child_owner);
	KASSERT_EQ(map_anon(&f, 10, 12, RW), 0);
	KASSERT_EQ(map_file(&f, 0, 20, 24, 0), 0);
	KASSERT_EQ(vma_map(&f.set, P(30), PAGE_SIZE, RW, VMA_ANON | VMA_DONTCOPY, NULL, 0, false),
		   0);
	vma_set_init(&child, P(0), P(NR_PAGES), P(10), &test_ops, &child_owner);
	KASSERT_EQ(vma_set_clone(&child, &f.set), 0);
	LAYOUT_IS(&child, {10, 12, RW}, {20, 24, RO});
	KEXPECT_EQ(child.mmap_base, P(MMAP_BASE_PAGE));
	KEXPECT_EQ(f.file[0].refs, 2);
	KASSERT_EQ(vma_unmap(&child, P(10), 20 * PAGE_SIZE), 0);
	KEXPECT_EQ(nr_unmapped_in(&child_owner, 0, NR_PAGES), 6);
	KEXPECT_EQ(f.file[0].refs, 1);
	LAYOUT_IS(&f.set, {10, 12, RW}, {20, 24, RO}, {30, 31, RW});
	vma_set_destroy(&child);
	fixture_teardown(t, &f);
}

/* A frozen copy of a set, to check that failed operations change nothing. */
struct snapshot {
	struct vma vmas[32];
	uint64_t nr;
	uint64_t bytes;
	int refs[2];
};

static void snapshot_take(const struct fixture *f, struct snapshot *snap)
{
	snap->nr = 0;
	for (struct vma *v = vma_first(&f->set); v && snap->nr < 32; v = vma_next(&f->set, v))
		snap->vmas[snap->nr++] = *v;
	snap->bytes = vma_set_mapped_bytes(&f->set);
	snap->refs[0] = f->file[0].refs;
	snap->refs[1] = f->file[1].refs;
}

static bool snapshot_matches(struct ktest *t, const struct fixture *f, const struct snapshot *snap)
{
	struct snapshot now;
	bool ok = true;

	snapshot_take(f, &now);
	ok &= KEXPECT_EQ(now.nr, snap->nr);
	ok &= KEXPECT_EQ(now.nr, vma_set_nr_vmas(&f->set));
	ok &= KEXPECT_EQ(now.bytes, snap->bytes);
	ok &= KEXPECT_EQ(now.refs[0], snap->refs[0]);
	ok &= KEXPECT_EQ(now.refs[1], snap->refs[1]);
	for (uint64_t i = 0; ok && i < now.nr; i++) {
		ok &= KEXPECT_EQ(now.vmas[i].start, snap->vmas[i].start);
		ok &= KEXPECT_EQ(now.vmas[i].end, snap->vmas[i].end);
		ok &= KEXPECT_EQ(now.vmas[i].prot, snap->vmas[i].prot);
		ok &= KEXPECT_EQ(now.vmas[i].pgoff, snap->vmas[i].pgoff);
		ok &= KEXPECT(now.vmas[i].backing == snap->vmas[i].backing);
	}
	return ok;
}

enum fault_op {
	FAULT_MAP_FIXED,
	FAULT_MAP_NEW,
	FAULT_UNMAP_MIDDLE,
	FAULT_PROTECT_MIDDLE,
	FAULT_PROTECT_ACROSS,
	FAULT_BRK,
	FAULT_REMAP_MOVE,
	FAULT_REMAP_FIXED,
	FAULT_REMAP_SHRINK,
	FAULT_NR,
};

static void fault_populate(struct fixture *f)
{
	int err = map_file(f, 0, 10, 20, 0);

	err |= map_anon(f, 20, 24, RW);
	err |= map_file(f, 1, 30, 40, 5);
	err |= map_anon(f, 40, 41, PROT_EXEC);
	assert(err == 0);
}

static int fault_run(struct fixture *f, enum fault_op op)
{
	uint64_t out = 0;
	const uint32_t fixed = VMA_REMAP_MAYMOVE | VMA_REMAP_FIXED;

	switch (op) {
	case FAULT_MAP_FIXED:
		return map_anon(f, 15, 35, PROT_EXEC);
	case FAULT_MAP_NEW:
		return map_anon(f, 50, 52, RW);
	case FAULT_UNMAP_MIDDLE:
		return vma_unmap(&f->set, P(12), 3 * PAGE_SIZE);
	case FAULT_PROTECT_MIDDLE:
		return vma_protect(&f->set, P(32), 2 * PAGE_SIZE, RW);
	case FAULT_PROTECT_ACROSS:
		return vma_protect(&f->set, P(12), 10 * PAGE_SIZE, RO);
	case FAULT_BRK:
		return vma_brk(&f->set, P(2), P(2), P(5), &out);
	case FAULT_REMAP_MOVE:
		return vma_remap(&f->set, P(12), 2 * PAGE_SIZE, 4 * PAGE_SIZE, VMA_REMAP_MAYMOVE, 0,
				 &out);
	case FAULT_REMAP_FIXED:
		return vma_remap(&f->set, P(32), 4 * PAGE_SIZE, 2 * PAGE_SIZE, fixed, P(15), &out);
	case FAULT_REMAP_SHRINK:
		return vma_remap(&f->set, P(30), 4 * PAGE_SIZE, 2 * PAGE_SIZE, 0, 0, &out);
	case FAULT_NR:
		break;
	}
	return -ENOSYS;
}

KTEST(vma, every_kmalloc_failure_leaves_set_unchanged)
{
	for (int op = 0; op < FAULT_NR; op++) {
		int nr_failures = 0;

		for (unsigned int n = 1; n < 20; n++) {
			struct fixture f;
			struct snapshot snap;
			long live;
			int err;

			fixture_setup(&f);
			fault_populate(&f);
			snapshot_take(&f, &snap);
			owner_reset(&f.own);
			live = host_kmalloc_live();
			host_fail_kmalloc_nth(n);
			err = fault_run(&f, op);
			host_fail_kmalloc_nth(0);
			if (err == 0) {
				set_is_valid(t, &f.set);
				fixture_teardown(t, &f);
				break;
			}
			nr_failures++;
			KEXPECT_EQ(err, -ENOMEM);
			snapshot_matches(t, &f, &snap);
			KEXPECT_EQ(host_kmalloc_live(), live);
			KEXPECT_EQ(f.own.nr_unmap_calls, 0);
			KEXPECT_EQ(f.own.nr_protects, 0);
			KEXPECT_EQ(f.own.nr_moves, 0);
			fixture_teardown(t, &f);
		}
		/* Each of these operations allocates at least once. */
		KEXPECT(nr_failures > 0);
	}
}

KTEST(vma, clone_failure_leaves_destination_empty)
{
	struct fixture f;
	struct owner child_owner;
	struct vma_set child;
	int err = -ENOMEM;

	fixture_setup(&f);
	fault_populate(&f);
	owner_reset(&child_owner);
	for (unsigned int n = 1; err == -ENOMEM && n < 10; n++) {
		long live = host_kmalloc_live();

		vma_set_init(&child, P(0), P(NR_PAGES), P(10), &test_ops, &child_owner);
		host_fail_kmalloc_nth(n);
		err = vma_set_clone(&child, &f.set);
		host_fail_kmalloc_nth(0);
		if (err) {
			KEXPECT_EQ(err, -ENOMEM);
			KEXPECT_EQ(vma_set_nr_vmas(&child), 0);
			KEXPECT_EQ(vma_set_mapped_bytes(&child), 0);
			KEXPECT(vma_first(&child) == NULL);
			KEXPECT_EQ(host_kmalloc_live(), live);
			KEXPECT_EQ(f.file[0].refs, 1);
			KEXPECT_EQ(f.file[1].refs, 1);
		}
	}
	KASSERT_EQ(err, 0);
	KEXPECT_EQ(vma_set_nr_vmas(&child), vma_set_nr_vmas(&f.set));
	KEXPECT_EQ(child_owner.nr_unmap_calls, 0);
	vma_set_destroy(&child);
	fixture_teardown(t, &f);
}

/*
 * The model: one entry per page of the user range. backing is 0 for
 * private anonymous memory, else 1 + index into fixture.file; fpg is the
 * backing page for file pages.
 */
struct model_page {
	bool mapped;
	uint8_t prot;
	uint8_t backing;
	uint64_t fpg;
};

struct model {
	struct model_page pages[NR_PAGES];
	int expect_unmapped[NR_PAGES];
	uint64_t nr_moved_pages;
};

static uint64_t lcg_next(uint64_t *state)
{
	*state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
	return *state >> 33;
}

static void *model_backing(struct fixture *f, uint8_t backing)
{
	return backing ? &f->file[backing - 1] : NULL;
}

static bool model_matches(struct ktest *t, struct fixture *f, const struct model *m)
{
	uint64_t nr_mapped = 0;
	int refs[2] = {0, 0};
	bool ok = set_is_valid(t, &f->set);

	for (uint64_t i = 0; ok && i < NR_PAGES; i++) {
		const struct model_page *mp = &m->pages[i];
		struct vma *v = vma_find(&f->set, P(i));

		ok &= KEXPECT_EQ(v != NULL, mp->mapped);
		ok &= KEXPECT_EQ(f->own.nr_unmapped[i], m->expect_unmapped[i]);
		if (!v || !mp->mapped)
			continue;
		nr_mapped++;
		ok &= KEXPECT_EQ(v->prot, mp->prot);
		ok &= KEXPECT(v->backing == model_backing(f, mp->backing));
		ok &= KEXPECT_EQ(v->flags, mp->backing ? VMA_SHARED : VMA_ANON);
		if (mp->backing)
			ok &= KEXPECT_EQ(v->pgoff + (P(i) - v->start) / PAGE_SIZE, mp->fpg);
	}
	for (struct vma *v = vma_first(&f->set); v; v = vma_next(&f->set, v)) {
		if (v->backing)
			refs[(struct fake_backing *)v->backing - f->file]++;
	}
	ok &= KEXPECT_EQ(refs[0], f->file[0].refs);
	ok &= KEXPECT_EQ(refs[1], f->file[1].refs);
	ok &= KEXPECT_EQ(nr_mapped * PAGE_SIZE, vma_set_mapped_bytes(&f->set));
	return ok;
}

static void model_unmap(struct model *m, uint64_t first, uint64_t last, bool call_unmap)
{
	for (uint64_t i = first; i < last && i < NR_PAGES; i++) {
		if (m->pages[i].mapped && call_unmap)
			m->expect_unmapped[i]++;
		m->pages[i].mapped = false;
	}
}

static int random_map(struct fixture *f, struct model *m, uint64_t *seed, uint64_t first,
		      uint64_t nr)
{
	static const uint8_t prots[] = {0, RO, RW, PROT_READ | PROT_EXEC};
	uint8_t prot = prots[lcg_next(seed) % 4];
	uint8_t backing = lcg_next(seed) % 3;
	uint64_t fpg = (lcg_next(seed) % 2) ? first : first + 1000;
	bool replace = lcg_next(seed) % 4 != 0;
	bool busy = false;
	int err;

	err = vma_map(&f->set, P(first), nr * PAGE_SIZE, prot, backing ? VMA_SHARED : VMA_ANON,
		      model_backing(f, backing), fpg, replace);
	for (uint64_t i = first; i < first + nr && i < NR_PAGES; i++)
		busy |= m->pages[i].mapped;
	if (first + nr > NR_PAGES)
		return err == -ENOMEM ? 0 : -1;
	if (!replace && busy)
		return err == -EEXIST ? 0 : -1;
	if (err)
		return -1;
	model_unmap(m, first, first + nr, true);
	for (uint64_t i = first; i < first + nr; i++)
		m->pages[i] = (struct model_page){true, prot, backing, fpg + (i - first)};
	return 0;
}

static int random_protect(struct fixture *f, struct model *m, uint64_t *seed, uint64_t first,
			  uint64_t nr)
{
	static const uint8_t prots[] = {0, RO, RW, PROT_EXEC};
	uint8_t prot = prots[lcg_next(seed) % 4];
	bool all_mapped = first + nr <= NR_PAGES;
	int err;

	for (uint64_t i = first; all_mapped && i < first + nr; i++)
		all_mapped = m->pages[i].mapped;
	err = vma_protect(&f->set, P(first), nr * PAGE_SIZE, prot);
	if (!all_mapped)
		return err == -ENOMEM ? 0 : -1;
	if (err)
		return -1;
	for (uint64_t i = first; i < first + nr; i++)
		m->pages[i].prot = prot;
	return 0;
}

/* Whether the pages [first, first + nr) are one area's, as mremap needs. */
static bool model_is_one_area(struct fixture *f, uint64_t first, uint64_t nr)
{
	struct vma *v = vma_find(&f->set, P(first));

	return v && v->end >= P(first + nr);
}

static int random_remap(struct fixture *f, struct model *m, uint64_t *seed, uint64_t first,
			uint64_t nr)
{
	uint64_t new_nr = 1 + lcg_next(seed) % 8;
	uint64_t dest = lcg_next(seed) % NR_PAGES;
	uint32_t flags = (uint32_t)(lcg_next(seed) % 3);
	uint64_t out = 0;
	uint64_t keep;
	struct model_page tmpl;
	int err;

	if (flags == 2)
		flags = VMA_REMAP_MAYMOVE | VMA_REMAP_FIXED;
	err = vma_remap(&f->set, P(first), nr * PAGE_SIZE, new_nr * PAGE_SIZE, flags, P(dest),
			&out);
	if (err)
		return err == -ENOMEM || err == -EFAULT || err == -EINVAL ? 0 : -1;
	if (!m->pages[first].mapped)
		return -1;
	if (out == P(first) && new_nr <= nr) {
		/* Shrinking only unmaps the tail, which may span several areas. */
		model_unmap(m, first + new_nr, first + nr, true);
		return 0;
	}
	if (!model_is_one_area(f, (out - BASE) / PAGE_SIZE, new_nr))
		return -1;
	tmpl = m->pages[first];
	keep = MIN(nr, new_nr);
	if (out == P(first)) {
		model_unmap(m, first + new_nr, first + nr, true);
		for (uint64_t i = nr; i < new_nr; i++) {
			m->pages[first + i] = tmpl;
			m->pages[first + i].fpg = tmpl.fpg + i;
		}
		return 0;
	}
	m->nr_moved_pages += keep;
	model_unmap(m, (out - BASE) / PAGE_SIZE, (out - BASE) / PAGE_SIZE + new_nr, true);
	model_unmap(m, first + new_nr, first + nr, true);
	for (uint64_t i = 0; i < new_nr; i++) {
		struct model_page *dst = &m->pages[(out - BASE) / PAGE_SIZE + i];

		*dst = i < keep ? m->pages[first + i] : tmpl;
		dst->fpg = tmpl.fpg + i;
	}
	model_unmap(m, first, first + keep, false);
	return 0;
}

static int random_step(struct fixture *f, struct model *m, uint64_t *seed)
{
	uint64_t first = lcg_next(seed) % NR_PAGES;
	uint64_t nr = 1 + lcg_next(seed) % 12;
	uint64_t kind = lcg_next(seed) % 10;
	int err;

	if (kind < 4)
		return random_map(f, m, seed, first, nr);
	if (kind < 6)
		return random_protect(f, m, seed, first, nr);
	if (kind < 8)
		return random_remap(f, m, seed, first, nr);
	err = vma_unmap(&f->set, P(first), nr * PAGE_SIZE);
	if (first + nr > NR_PAGES)
		return err == -EINVAL ? 0 : -1;
	model_unmap(m, first, first + nr, true);
	return err;
}

KTEST(vma, random_ops_match_page_model)
{
	uint64_t seed = 12345;

	for (int round = 0; round < 20; round++) {
		struct fixture f;
		struct model m;
		bool ok = true;

		fixture_setup(&f);
		memset(&m, 0, sizeof(m));
		for (int step = 0; ok && step < 400; step++) {
			int err = random_step(&f, &m, &seed);
			uint64_t moved = 0;

			for (int i = 0; i < f.own.nr_moves && i < 4; i++)
				moved += f.own.moves[i].c / PAGE_SIZE;
			ok &= KEXPECT_EQ(err, 0);
			ok &= KEXPECT_EQ(moved, m.nr_moved_pages);
			ok &= model_matches(t, &f, &m);
			owner_reset(&f.own);
			memset(m.expect_unmapped, 0, sizeof(m.expect_unmapped));
			m.nr_moved_pages = 0;
		}
		memset(m.expect_unmapped, 0, sizeof(m.expect_unmapped));
		for (uint64_t i = 0; i < NR_PAGES; i++)
			m.expect_unmapped[i] = m.pages[i].mapped;
		vma_set_destroy(&f.set);
		for (uint64_t i = 0; ok && i < NR_PAGES; i++)
			ok &= KEXPECT_EQ(f.own.nr_unmapped[i], m.expect_unmapped[i]);
		fixture_teardown(t, &f);
		if (!ok)
			return;
	}
}

/* The areas on rmap's list, in list order, as {start page, end page, pgoff}. */
static bool rmap_list_is(struct ktest *t, const struct vma_rmap *rmap, const uint64_t (*want)[3],
			 size_t nr)
{
	struct list_head *pos = rmap->vma_list.next;
	bool ok = KEXPECT_EQ(rmap->nr_vmas, nr);

	for (size_t i = 0; i < nr; i++, pos = pos->next) {
		struct vma *v;

		if (!KEXPECT(pos != &rmap->vma_list))
			return false;
		v = list_entry(pos, struct vma, rmap_link);
		ok &= KEXPECT_EQ(v->start, P(want[i][0]));
		ok &= KEXPECT_EQ(v->end, P(want[i][1]));
		ok &= KEXPECT_EQ(v->pgoff, want[i][2]);
	}
	ok &= KEXPECT(pos == &rmap->vma_list);
	return ok;
}

#define RMAP_IS(rmap, ...)                                                        \
	({                                                                        \
		static const uint64_t want_[][3] = {__VA_ARGS__};                 \
		rmap_list_is(t, (rmap), want_, sizeof(want_) / sizeof(want_[0])); \
	})

KTEST(vma, rmap_follows_split_merge_and_unmap)
{
	struct fixture f;

	fixture_setup(&f);
	KASSERT_EQ(map_file(&f, 0, 10, 20, 100), 0);
	KASSERT_EQ(map_anon(&f, 30, 32, RW), 0);
	RMAP_IS(&f.file[0].rmap, {10, 20, 100});
	KEXPECT(vma_rmap_is_empty(&f.file[1].rmap));
	KASSERT_EQ(vma_protect(&f.set, P(12), 2 * PAGE_SIZE, RW), 0);
	RMAP_IS(&f.file[0].rmap, {10, 12, 100}, {12, 14, 102}, {14, 20, 104});
	KASSERT_EQ(vma_protect(&f.set, P(12), 2 * PAGE_SIZE, RO), 0);
	RMAP_IS(&f.file[0].rmap, {10, 20, 100});
	KASSERT_EQ(vma_unmap(&f.set, P(15), PAGE_SIZE), 0);
	RMAP_IS(&f.file[0].rmap, {10, 15, 100}, {16, 20, 106});
	KASSERT_EQ(map_file(&f, 0, 15, 16, 105), 0);
	RMAP_IS(&f.file[0].rmap, {10, 20, 100});
	KASSERT_EQ(map_file(&f, 1, 12, 13, 0), 0);
	RMAP_IS(&f.file[0].rmap, {10, 12, 100}, {13, 20, 103});
	RMAP_IS(&f.file[1].rmap, {12, 13, 0});
	KASSERT_EQ(vma_unmap(&f.set, P(0), NR_PAGES * PAGE_SIZE), 0);
	KEXPECT(vma_rmap_is_empty(&f.file[0].rmap));
	KEXPECT(vma_rmap_is_empty(&f.file[1].rmap));
	fixture_teardown(t, &f);
}

KTEST(vma, rmap_follows_remap_moves_and_growth)
{
	struct fixture f;
	uint64_t out;

	fixture_setup(&f);
	KASSERT_EQ(map_file(&f, 0, 10, 14, 0), 0);
	KASSERT_EQ(map_anon(&f, 14, 15, RW), 0);
	KASSERT_EQ(
		vma_remap(&f.set, P(10), 4 * PAGE_SIZE, 6 * PAGE_SIZE, VMA_REMAP_MAYMOVE, 0, &out),
		0);
	KEXPECT(out != P(10));
	KEXPECT_EQ(f.file[0].rmap.nr_vmas, 1);
	KEXPECT(vma_find(&f.set, out) ==
		list_entry(f.file[0].rmap.vma_list.next, struct vma, rmap_link));
	KEXPECT_EQ(vma_find(&f.set, out)->end, out + 6 * PAGE_SIZE);
	KASSERT_EQ(vma_remap(&f.set, out + PAGE_SIZE, 2 * PAGE_SIZE, 2 * PAGE_SIZE,
			     VMA_REMAP_MAYMOVE | VMA_REMAP_FIXED, P(2), &out),
		   0);
	KEXPECT_EQ(vma_rmap_is_empty(&f.file[0].rmap), false);
	KEXPECT_EQ(f.file[0].rmap.nr_vmas, 3);
	KEXPECT_EQ(vma_find(&f.set, P(2))->pgoff, 1);
	KASSERT_EQ(vma_unmap(&f.set, P(3), PAGE_SIZE), 0);
	KASSERT_EQ(vma_remap(&f.set, P(2), PAGE_SIZE, 3 * PAGE_SIZE, 0, 0, &out), 0);
	KEXPECT_EQ(out, P(2));
	KEXPECT_EQ(vma_find(&f.set, P(4))->end, P(5));
	KEXPECT_EQ(f.file[0].rmap.nr_vmas, 3);
	set_is_valid(t, &f.set);
	fixture_teardown(t, &f);
}

KTEST(vma, rmap_puts_clones_after_their_parents)
{
	struct fixture f;
	struct owner child_owner;
	struct vma_set child;
	struct vma *parent;
	struct vma *copy;

	fixture_setup(&f);
	owner_reset(&child_owner);
	KASSERT_EQ(map_file(&f, 0, 10, 12, 0), 0);
	KASSERT_EQ(map_file(&f, 0, 20, 22, 7), 0);
	vma_set_init(&child, P(0), P(NR_PAGES), P(10), &test_ops, &child_owner);
	KASSERT_EQ(vma_set_clone(&child, &f.set), 0);
	RMAP_IS(&f.file[0].rmap, {10, 12, 0}, {10, 12, 0}, {20, 22, 7}, {20, 22, 7});
	parent = vma_find(&f.set, P(10));
	copy = list_entry(parent->rmap_link.next, struct vma, rmap_link);
	KEXPECT(copy->set == &child);
	KEXPECT(copy == vma_find(&child, P(10)));
	set_is_valid(t, &child);
	vma_set_destroy(&child);
	RMAP_IS(&f.file[0].rmap, {10, 12, 0}, {20, 22, 7});
	fixture_teardown(t, &f);
}

KTEST(vma, rmap_zap_reaches_exactly_the_mapped_range_in_every_set)
{
	struct fixture f;
	struct owner child_owner;
	struct vma_set child;
	struct vma_zap zap = {.first = 3, .last = 104, .even_cows = true};

	fixture_setup(&f);
	owner_reset(&child_owner);
	KASSERT_EQ(map_file(&f, 0, 10, 20, 100), 0); /* pages 100..109: 100..104 hit */
	KASSERT_EQ(map_file(&f, 0, 30, 33, 0), 0);   /* pages 0..2: missed */
	KASSERT_EQ(map_file(&f, 1, 40, 50, 0), 0);   /* the other file: missed */
	KASSERT_EQ(map_anon(&f, 50, 52, RW), 0);
	vma_set_init(&child, P(0), P(NR_PAGES), P(10), &test_ops, &child_owner);
	KASSERT_EQ(vma_set_clone(&child, &f.set), 0);
	vma_rmap_zap(&f.file[0].rmap, &zap);
	KEXPECT_EQ(f.own.nr_zap_calls, 1);
	KEXPECT_EQ(child_owner.nr_zap_calls, 1);
	KEXPECT(f.own.zap_even_cows);
	for (int i = 0; i < NR_PAGES; i++) {
		int want = i >= 10 && i < 15;

		KEXPECT_EQ(f.own.nr_zapped[i], want);
		KEXPECT_EQ(child_owner.nr_zapped[i], want);
	}
	KEXPECT_EQ(f.file[0].rmap.zap_seq, 1);
	zap = (struct vma_zap){.first = 109, .last = UINT64_MAX};
	vma_rmap_zap(&f.file[0].rmap, &zap);
	KEXPECT_EQ(f.own.nr_zapped[19], 1);
	KEXPECT_EQ(f.own.nr_zap_calls, 2);
	KEXPECT(!f.own.zap_even_cows);
	zap = (struct vma_zap){.first = 1000, .last = UINT64_MAX};
	vma_rmap_zap(&f.file[0].rmap, &zap);
	KEXPECT_EQ(f.own.nr_zap_calls, 2);
	KEXPECT_EQ(f.file[0].rmap.zap_seq, 3);
	KEXPECT_EQ(child_owner.nr_stray + f.own.nr_stray, 0);
	vma_set_destroy(&child);
	fixture_teardown(t, &f);
}

KTEST(vma, rmap_follows_stack_growth_of_a_file_area_down_to_offset_0)
{
	struct fixture f;
	struct vma *v;

	fixture_setup(&f);
	KASSERT_EQ(vma_map(&f.set, P(20), 2 * PAGE_SIZE, RO, VMA_SHARED | VMA_GROWSDOWN, &f.file[0],
			   10, false),
		   0);
	v = vma_find(&f.set, P(20));
	KASSERT_EQ(vma_expand_stack(&f.set, v, P(18)), 0);
	RMAP_IS(&f.file[0].rmap, {18, 22, 8});
	/* Linux's "Overflow?" check: the offset cannot go below the file's start. */
	KEXPECT_EQ(vma_expand_stack(&f.set, v, P(9)), -ENOMEM);
	KEXPECT_EQ(vma_expand_stack(&f.set, v, P(10)), 0);
	RMAP_IS(&f.file[0].rmap, {10, 22, 0});
	fixture_teardown(t, &f);
}
