// SPDX-License-Identifier: MIT
/*
 * Host tests for mm/kmem.c over a page allocator on the host's fake
 * physical arena: size classes, alignment, large blocks, slab reuse and
 * release, exhaustion, poisoning, and randomized runs against a model.
 */
#include <host_fault.h>
#include <tern/errno.h>
#include <tern/kmem.h>
#include <tern/ktest.h>
#include <tern/string.h>

#define BASE_PFN 0x200

static const size_t class_sizes[KMEM_NR_CLASSES] = {
	16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096,
};

struct fixture {
	struct page_allocator pa;
	struct kmem km;
	struct page *descs;
	uint64_t nr_free_before;
	long kmalloc_live_before;
};

static bool fixture_setup(struct ktest *t, struct fixture *f, uint64_t nr_pages, bool poison)
{
	f->kmalloc_live_before = host_kmalloc_live();
	f->descs = kzalloc(page_allocator_desc_bytes(nr_pages));
	if (!KEXPECT(f->descs != NULL))
		return false;
	host_phys_arena_create(BASE_PFN << PAGE_SHIFT, nr_pages);
	page_allocator_init(&f->pa, f->descs, BASE_PFN, nr_pages);
	if (!KEXPECT_EQ(page_allocator_add_free(&f->pa, BASE_PFN, BASE_PFN + nr_pages), 0))
		return false;
	kmem_init(&f->km, &f->pa);
	kmem_set_poison(&f->km, poison);
	f->nr_free_before = page_allocator_nr_free(&f->pa);
	return true;
}

/* Checks nothing leaked, then tears down (kmem_fini only if it is safe). */
static void fixture_teardown(struct ktest *t, struct fixture *f)
{
	struct kmem_stats stats;

	kmem_get_stats(&f->km, &stats);
	if (KEXPECT_EQ(stats.nr_live, 0)) {
		kmem_fini(&f->km);
		KEXPECT_EQ(page_allocator_nr_free(&f->pa), f->nr_free_before);
	}
	host_phys_arena_destroy();
	kfree(f->descs);
	KEXPECT_EQ(host_kmalloc_live(), f->kmalloc_live_before);
}

static uint64_t lcg_next(uint64_t *state)
{
	*state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
	return *state >> 33;
}

static bool is_power_of_two(size_t x)
{
	return x && (x & (x - 1)) == 0;
}

static bool is_aligned_ptr(const void *p, size_t align)
{
	return (uintptr_t)p % align == 0;
}

static bool bytes_all(const void *p, uint8_t value, size_t size)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < size; i++) {
		if (b[i] != value)
			return false;
	}
	return true;
}

static bool ranges_overlap(const void *a, size_t a_size, const void *b, size_t b_size)
{
	uintptr_t a0 = (uintptr_t)a;
	uintptr_t b0 = (uintptr_t)b;

	return a0 < b0 + b_size && b0 < a0 + a_size;
}

static uint64_t nr_free(struct fixture *f)
{
	return page_allocator_nr_free(&f->pa);
}

static uint64_t class_nr_slabs(struct fixture *f, unsigned int class_index)
{
	struct kmem_stats stats;

	kmem_get_stats(&f->km, &stats);
	return stats.classes[class_index].nr_slabs;
}

KTEST(kmem, init_holds_no_pages)
{
	struct fixture f;
	struct kmem_stats stats;

	KASSERT(fixture_setup(t, &f, 64, false));
	kmem_get_stats(&f.km, &stats);
	KEXPECT_EQ(stats.nr_pages, 0);
	KEXPECT_EQ(stats.nr_live, 0);
	KEXPECT_EQ(stats.live_bytes, 0);
	for (unsigned int i = 0; i < KMEM_NR_CLASSES; i++) {
		KEXPECT_EQ(stats.classes[i].object_size, class_sizes[i]);
		KEXPECT_EQ(stats.classes[i].nr_slabs, 0);
	}
	KEXPECT_EQ(nr_free(&f), 64);
	fixture_teardown(t, &f);
}

KTEST(kmem, each_class_size_is_exact)
{
	struct fixture f;

	KASSERT(fixture_setup(t, &f, 64, false));
	for (unsigned int i = 0; i < KMEM_NR_CLASSES; i++) {
		size_t size = class_sizes[i];
		void *exact = kmem_alloc(&f.km, size);
		void *bigger = kmem_alloc(&f.km, size + 1);
		size_t next = i + 1 < KMEM_NR_CLASSES ? class_sizes[i + 1] : 2 * PAGE_SIZE;

		KASSERT(exact && bigger);
		KEXPECT_EQ(kmem_size_of(&f.km, exact), size);
		KEXPECT_EQ(kmem_size_of(&f.km, bigger), next);
		KEXPECT(virt_to_page(&f.pa, exact)->flags & PAGE_SLAB);
		KEXPECT_EQ(virt_to_page(&f.pa, exact)->slab.size_class, i);
		kmem_free(&f.km, exact);
		kmem_free(&f.km, bigger);
	}
	fixture_teardown(t, &f);
}

KTEST(kmem, every_size_up_to_5000_fits_and_aligns)
{
	struct fixture f;

	KASSERT(fixture_setup(t, &f, 64, false));
	for (size_t size = 1; size <= 5000; size++) {
		uint8_t *p = kmem_alloc(&f.km, size);
		size_t usable;

		KASSERT(p != NULL);
		usable = kmem_size_of(&f.km, p);
		KEXPECT(usable >= size);
		KEXPECT(is_aligned_ptr(p, KMEM_MIN_ALIGN));
		if (is_power_of_two(usable))
			KEXPECT(is_aligned_ptr(p, MIN(usable, PAGE_SIZE)));
		memset(p, 0x5a, usable);
		kmem_free(&f.km, p);
	}
	fixture_teardown(t, &f);
}

KTEST(kmem, zero_size_gives_unique_objects)
{
	struct fixture f;
	void *a;
	void *b;

	KASSERT(fixture_setup(t, &f, 16, false));
	a = kmem_alloc(&f.km, 0);
	b = kmem_alloc(&f.km, 0);
	KASSERT(a && b);
	KEXPECT(a != b);
	KEXPECT_EQ(kmem_size_of(&f.km, a), 16);
	kmem_free(&f.km, a);
	kmem_free(&f.km, b);
	fixture_teardown(t, &f);
}

KTEST(kmem, free_null_is_ignored)
{
	struct fixture f;

	KASSERT(fixture_setup(t, &f, 16, false));
	kmem_free(&f.km, NULL);
	KEXPECT_EQ(kmem_size_of(&f.km, NULL), 0);
	fixture_teardown(t, &f);
}

KTEST(kmem, large_allocation_takes_page_block)
{
	struct fixture f;
	struct kmem_stats stats;
	void *one;
	void *two;
	struct page *head;

	KASSERT(fixture_setup(t, &f, 64, false));
	one = kmem_alloc(&f.km, 5000);
	two = kmem_alloc(&f.km, 9000);
	KASSERT(one && two);
	KEXPECT_EQ(kmem_size_of(&f.km, one), 2 * PAGE_SIZE);
	KEXPECT_EQ(kmem_size_of(&f.km, two), 4 * PAGE_SIZE);
	KEXPECT(is_aligned_ptr(one, PAGE_SIZE));
	KEXPECT(is_aligned_ptr(two, PAGE_SIZE));
	head = virt_to_page(&f.pa, two);
	KEXPECT(head->flags & PAGE_KMEM_LARGE);
	KEXPECT_EQ(head->order, 2);
	KEXPECT_EQ(nr_free(&f), 64 - 6);
	kmem_get_stats(&f.km, &stats);
	KEXPECT_EQ(stats.nr_large_live, 2);
	KEXPECT_EQ(stats.nr_large_pages, 6);
	KEXPECT_EQ(stats.live_bytes, 6 * PAGE_SIZE);
	memset(two, 0x11, 4 * PAGE_SIZE);
	kmem_free(&f.km, one);
	kmem_free(&f.km, two);
	KEXPECT_EQ(nr_free(&f), 64);
	kmem_get_stats(&f.km, &stats);
	KEXPECT_EQ(stats.nr_pages, 0);
	fixture_teardown(t, &f);
}

KTEST(kmem, largest_block_and_beyond)
{
	struct fixture f;
	size_t max_bytes = PAGE_SIZE << (MAX_ORDER - 1);
	void *p;

	KASSERT(fixture_setup(t, &f, 2048, false));
	p = kmem_alloc(&f.km, max_bytes);
	KASSERT(p != NULL);
	KEXPECT_EQ(kmem_size_of(&f.km, p), max_bytes);
	KEXPECT(kmem_alloc(&f.km, max_bytes + 1) == NULL);
	KEXPECT(kmem_alloc(&f.km, SIZE_MAX) == NULL);
	KEXPECT(kmem_zalloc(&f.km, SIZE_MAX / 2) == NULL);
	kmem_free(&f.km, p);
	fixture_teardown(t, &f);
}

KTEST(kmem, objects_in_each_class_do_not_overlap)
{
	struct fixture f;
	uint8_t **objs = NULL;

	KASSERT(fixture_setup(t, &f, 256, false));
	objs = kzalloc(1024 * sizeof(*objs));
	KASSERT(objs != NULL);
	for (unsigned int c = 0; c < KMEM_NR_CLASSES; c++) {
		size_t size = class_sizes[c];
		size_t nr = 3 * (PAGE_SIZE / size) + 1;

		for (size_t i = 0; i < nr; i++) {
			objs[i] = kmem_alloc(&f.km, size);
			KASSERT(objs[i] != NULL);
			memset(objs[i], (int)(i + c), size);
			for (size_t j = 0; j < i; j++)
				KEXPECT(!ranges_overlap(objs[i], size, objs[j], size));
		}
		KEXPECT_EQ(class_nr_slabs(&f, c), 4);
		for (size_t i = 0; i < nr; i++) {
			KEXPECT(bytes_all(objs[i], (uint8_t)(i + c), size));
			kmem_free(&f.km, objs[i]);
		}
	}
	kfree(objs);
	fixture_teardown(t, &f);
}

KTEST(kmem, odd_sized_classes_pack_and_align)
{
	struct fixture f;
	void *objs[43];

	KASSERT(fixture_setup(t, &f, 16, false));
	for (int i = 0; i < 42; i++) {
		objs[i] = kmem_alloc(&f.km, 96);
		KASSERT(objs[i] != NULL);
		KEXPECT(is_aligned_ptr(objs[i], 32));
	}
	KEXPECT_EQ(class_nr_slabs(&f, 3), 1);
	objs[42] = kmem_alloc(&f.km, 90);
	KASSERT(objs[42] != NULL);
	KEXPECT_EQ(class_nr_slabs(&f, 3), 2);
	for (int i = 0; i < 43; i++)
		kmem_free(&f.km, objs[i]);
	for (int i = 0; i < 22; i++) {
		objs[i] = kmem_alloc(&f.km, 150);
		KASSERT(objs[i] != NULL);
		KEXPECT(is_aligned_ptr(objs[i], 64));
		KEXPECT_EQ(kmem_size_of(&f.km, objs[i]), 192);
	}
	KEXPECT_EQ(class_nr_slabs(&f, 5), 2);
	for (int i = 0; i < 22; i++)
		kmem_free(&f.km, objs[i]);
	fixture_teardown(t, &f);
}

KTEST(kmem, partial_slab_is_reused_before_new_one)
{
	struct fixture f;
	void *objs[8];
	void *again;

	KASSERT(fixture_setup(t, &f, 16, false));
	for (int i = 0; i < 8; i++)
		KASSERT((objs[i] = kmem_alloc(&f.km, 1024)) != NULL);
	KEXPECT_EQ(class_nr_slabs(&f, 8), 2);
	kmem_free(&f.km, objs[1]);
	again = kmem_alloc(&f.km, 1000);
	KEXPECT(again == objs[1]);
	KEXPECT_EQ(class_nr_slabs(&f, 8), 2);
	KEXPECT_EQ(nr_free(&f), 14);
	for (int i = 0; i < 8; i++)
		kmem_free(&f.km, objs[i]);
	fixture_teardown(t, &f);
}

KTEST(kmem, empty_slab_kept_as_one_spare)
{
	struct fixture f;
	void *objs[6];

	/* Poisoning bypasses the classes' caches, so every free reaches its slab. */
	KASSERT(fixture_setup(t, &f, 16, true));
	for (int i = 0; i < 6; i++)
		KASSERT((objs[i] = kmem_alloc(&f.km, 2048)) != NULL);
	KEXPECT_EQ(class_nr_slabs(&f, 9), 3);
	KEXPECT_EQ(nr_free(&f), 13);
	for (int i = 0; i < 6; i++)
		kmem_free(&f.km, objs[i]);
	KEXPECT_EQ(class_nr_slabs(&f, 9), 1);
	KEXPECT_EQ(nr_free(&f), 15);
	/* The spare serves the next allocation without the page allocator. */
	KASSERT((objs[0] = kmem_alloc(&f.km, 2000)) != NULL);
	KEXPECT_EQ(nr_free(&f), 15);
	kmem_free(&f.km, objs[0]);
	kmem_shrink(&f.km);
	KEXPECT_EQ(class_nr_slabs(&f, 9), 0);
	KEXPECT_EQ(nr_free(&f), 16);
	fixture_teardown(t, &f);
}

KTEST(kmem, everything_freed_returns_all_pages)
{
	struct fixture f;
	struct kmem_stats stats;
	void *objs[400];
	unsigned int nr = 0;

	KASSERT(fixture_setup(t, &f, 1024, false));
	for (size_t size = 1; size <= 9000; size += 25) {
		objs[nr] = kmem_alloc(&f.km, size);
		KASSERT(objs[nr] != NULL);
		nr++;
	}
	KEXPECT(nr_free(&f) < 1024 - 500);
	for (unsigned int i = 0; i < nr; i += 2)
		kmem_free(&f.km, objs[i]);
	for (unsigned int i = 1; i < nr; i += 2)
		kmem_free(&f.km, objs[i]);
	kmem_shrink(&f.km);
	kmem_get_stats(&f.km, &stats);
	KEXPECT_EQ(stats.nr_pages, 0);
	KEXPECT_EQ(stats.nr_live, 0);
	KEXPECT_EQ(nr_free(&f), 1024);
	/* Pfns 0x200..0x600 coalesce back to two order-9 blocks. */
	KEXPECT_EQ(f.pa.free_area[9].nr_blocks, 2);
	fixture_teardown(t, &f);
}

KTEST(kmem, fini_gives_back_spares)
{
	struct fixture f;

	KASSERT(fixture_setup(t, &f, 32, false));
	for (unsigned int i = 0; i < KMEM_NR_CLASSES; i++)
		kmem_free(&f.km, kmem_alloc(&f.km, class_sizes[i]));
	KEXPECT_EQ(nr_free(&f), 32 - KMEM_NR_CLASSES);
	/* fixture_teardown checks kmem_fini returns them all. */
	fixture_teardown(t, &f);
}

static unsigned int fill_until_null(struct kmem *km, size_t size, void **objs, unsigned int max)
{
	unsigned int nr = 0;

	while (nr < max && (objs[nr] = kmem_alloc(km, size)) != NULL)
		nr++;
	return nr;
}

KTEST(kmem, exhaustion_returns_null_and_recovers)
{
	struct fixture f;
	void *objs[600];
	unsigned int nr;

	KASSERT(fixture_setup(t, &f, 32, false));
	nr = fill_until_null(&f.km, 256, objs, 600);
	KEXPECT_EQ(nr, 32 * 16);
	KEXPECT_EQ(nr_free(&f), 0);
	KEXPECT(kmem_alloc(&f.km, 16) == NULL);
	KEXPECT(kmem_alloc(&f.km, 8192) == NULL);
	kmem_free(&f.km, objs[100]);
	objs[100] = kmem_alloc(&f.km, 200);
	KEXPECT(objs[100] != NULL);
	for (unsigned int i = 0; i < nr; i++)
		kmem_free(&f.km, objs[i]);
	kmem_shrink(&f.km);
	KEXPECT_EQ(nr_free(&f), 32);
	nr = fill_until_null(&f.km, 256, objs, 600);
	KEXPECT_EQ(nr, 32 * 16);
	for (unsigned int i = 0; i < nr; i++)
		kmem_free(&f.km, objs[i]);
	fixture_teardown(t, &f);
}

KTEST(kmem, large_exhaustion_returns_null_and_recovers)
{
	struct fixture f;
	void *objs[64];
	unsigned int nr;

	KASSERT(fixture_setup(t, &f, 64, false));
	nr = fill_until_null(&f.km, 16 * PAGE_SIZE, objs, 64);
	/* 0x200..0x240: four aligned order-4 blocks. */
	KEXPECT_EQ(nr, 4);
	KEXPECT_EQ(nr_free(&f), 0);
	kmem_free(&f.km, objs[2]);
	objs[2] = kmem_alloc(&f.km, 9 * PAGE_SIZE);
	KEXPECT(objs[2] != NULL);
	for (unsigned int i = 0; i < nr; i++)
		kmem_free(&f.km, objs[i]);
	KEXPECT_EQ(nr_free(&f), 64);
	fixture_teardown(t, &f);
}

KTEST(kmem, exhaustion_reclaims_spare_slabs)
{
	struct fixture f;
	void *objs[64];
	unsigned int nr;

	KASSERT(fixture_setup(t, &f, 16, false));
	nr = fill_until_null(&f.km, 2048, objs, 64);
	KEXPECT_EQ(nr, 32);
	for (unsigned int i = 0; i < nr; i++)
		kmem_free(&f.km, objs[i]);
	/* The first frees wait in the cache, holding their slabs (two objects each). */
	KEXPECT_EQ(class_nr_slabs(&f, 9), 1 + KMEM_CACHE_OBJECTS / 2);
	/* The cache and the 2048-byte class's spare must be given up when pages run out. */
	nr = fill_until_null(&f.km, 1024, objs, 64);
	KEXPECT_EQ(nr, 64);
	KEXPECT_EQ(class_nr_slabs(&f, 9), 0);
	for (unsigned int i = 0; i < nr; i++)
		kmem_free(&f.km, objs[i]);
	fixture_teardown(t, &f);
}

KTEST(kmem, stats_track_live_objects_and_bytes)
{
	struct fixture f;
	struct kmem_stats stats;
	void *a;
	void *b;
	void *c;
	void *d;

	KASSERT(fixture_setup(t, &f, 32, false));
	a = kmem_alloc(&f.km, 10);
	b = kmem_alloc(&f.km, 16);
	c = kmem_alloc(&f.km, 100);
	d = kmem_alloc(&f.km, 10000);
	KASSERT(a && b && c && d);
	kmem_get_stats(&f.km, &stats);
	KEXPECT_EQ(stats.classes[0].nr_live, 2);
	KEXPECT_EQ(stats.classes[0].live_bytes, 32);
	KEXPECT_EQ(stats.classes[4].nr_live, 1);
	KEXPECT_EQ(stats.classes[4].live_bytes, 128);
	KEXPECT_EQ(stats.nr_large_live, 1);
	KEXPECT_EQ(stats.nr_large_pages, 4);
	KEXPECT_EQ(stats.nr_live, 4);
	KEXPECT_EQ(stats.live_bytes, 32 + 128 + 4 * PAGE_SIZE);
	KEXPECT_EQ(stats.nr_pages, 2 + 4);
	kmem_free(&f.km, a);
	kmem_free(&f.km, d);
	kmem_get_stats(&f.km, &stats);
	KEXPECT_EQ(stats.nr_live, 2);
	KEXPECT_EQ(stats.live_bytes, 16 + 128);
	kmem_free(&f.km, b);
	kmem_free(&f.km, c);
	fixture_teardown(t, &f);
}

KTEST(kmem, poison_fills_freed_objects)
{
	struct fixture f;
	uint8_t *p;
	uint8_t *q;

	KASSERT(fixture_setup(t, &f, 16, true));
	p = kmem_alloc(&f.km, 64);
	KASSERT(p != NULL);
	KEXPECT(bytes_all(p + 2, KMEM_POISON_BYTE, 62));
	memset(p, 0xee, 64);
	kmem_free(&f.km, p);
	KEXPECT(bytes_all(p + 2, KMEM_POISON_BYTE, 62));
	q = kmem_alloc(&f.km, 64);
	KEXPECT(q == p);
	kmem_free(&f.km, q);
	fixture_teardown(t, &f);
}

KTEST(kmem, zalloc_zeroes_reused_object)
{
	struct fixture f;
	uint8_t *p;

	KASSERT(fixture_setup(t, &f, 16, true));
	p = kmem_alloc(&f.km, 200);
	KASSERT(p != NULL);
	memset(p, 0xff, 200);
	kmem_free(&f.km, p);
	p = kmem_zalloc(&f.km, 200);
	KASSERT(p != NULL);
	KEXPECT(bytes_all(p, 0, 200));
	kmem_free(&f.km, p);
	p = kmem_zalloc(&f.km, 3 * PAGE_SIZE);
	KASSERT(p != NULL);
	KEXPECT(bytes_all(p, 0, 3 * PAGE_SIZE));
	kmem_free(&f.km, p);
	fixture_teardown(t, &f);
}

KTEST(kmem, freed_objects_are_reused_latest_first_until_shrink)
{
	struct fixture f;
	void *objs[KMEM_CACHE_OBJECTS + 4];
	struct kmem_stats stats;

	KASSERT(fixture_setup(t, &f, 16, false));
	for (unsigned int i = 0; i < ARRAY_SIZE(objs); i++)
		KASSERT((objs[i] = kmem_alloc(&f.km, 100)) != NULL);
	for (unsigned int i = 0; i < ARRAY_SIZE(objs); i++)
		kmem_free(&f.km, objs[i]);
	kmem_get_stats(&f.km, &stats);
	KEXPECT_EQ(stats.classes[4].nr_live, 0);
	/* The cache holds the first KMEM_CACHE_OBJECTS freed; they come back last-in first-out. */
	for (unsigned int i = KMEM_CACHE_OBJECTS; i-- > 0;)
		KEXPECT(kmem_alloc(&f.km, 128) == objs[i]);
	for (unsigned int i = 0; i < KMEM_CACHE_OBJECTS; i++)
		kmem_free(&f.km, objs[i]);
	KEXPECT_EQ(class_nr_slabs(&f, 4), 1);
	kmem_shrink(&f.km); /* every object back in its slab, the empty slab given back */
	KEXPECT_EQ(class_nr_slabs(&f, 4), 0);
	KEXPECT_EQ(nr_free(&f), 16);
	fixture_teardown(t, &f);
}

KTEST(kmem, slab_page_descriptor_tracks_use)
{
	struct fixture f;
	void *a;
	void *b;
	struct page *slab;

	KASSERT(fixture_setup(t, &f, 16, false));
	a = kmem_alloc(&f.km, 500);
	b = kmem_alloc(&f.km, 500);
	KASSERT(a && b);
	slab = virt_to_page(&f.pa, a);
	KEXPECT(slab == virt_to_page(&f.pa, b));
	KEXPECT(slab->flags & PAGE_SLAB);
	KEXPECT_EQ(slab->slab.size_class, 7);
	KEXPECT_EQ(slab->slab.nr_inuse, 2);
	KEXPECT_EQ(slab->refcount, 1);
	kmem_free(&f.km, a);
	KEXPECT_EQ(slab->slab.nr_inuse, 2); /* a waits in the class's cache */
	kmem_shrink(&f.km);
	KEXPECT_EQ(slab->slab.nr_inuse, 1);
	kmem_free(&f.km, b);
	fixture_teardown(t, &f);
}

struct live_object {
	uint8_t *p;
	size_t usable;
	uint8_t tag;
};

static size_t random_size(uint64_t *seed, size_t max_large)
{
	uint64_t r = lcg_next(seed);

	if (r % 100 < 70)
		return 1 + r / 100 % 256;
	if (r % 100 < 95)
		return 1 + r / 100 % KMEM_MAX_CLASS_BYTES;
	return KMEM_MAX_CLASS_BYTES + 1 + r / 100 % max_large;
}

static bool overlaps_live(struct live_object *live, unsigned int nr, uint8_t *p, size_t usable)
{
	for (unsigned int i = 0; i < nr; i++) {
		if (ranges_overlap(live[i].p, live[i].usable, p, usable))
			return true;
	}
	return false;
}

static void check_and_free(struct ktest *t, struct fixture *f, struct live_object *live,
			   unsigned int *nr, unsigned int index)
{
	KEXPECT(bytes_all(live[index].p, live[index].tag, live[index].usable));
	kmem_free(&f->km, live[index].p);
	live[index] = live[--*nr];
}

/*
 * Random allocations and frees, each checked against the live set for
 * size, alignment and overlap; NULL is allowed only if may_run_out.
 */
static void run_random_ops(struct ktest *t, struct fixture *f, uint64_t seed, unsigned int nr_ops,
			   size_t max_large, bool may_run_out)
{
	enum { MAX_LIVE = 400 };
	struct live_object *live = kzalloc(MAX_LIVE * sizeof(*live));
	struct kmem_stats stats;
	unsigned int nr = 0;
	unsigned int nr_null = 0;

	KASSERT(live != NULL);
	for (unsigned int op = 0; op < nr_ops; op++) {
		size_t size;
		uint8_t *p;

		if (nr == MAX_LIVE || (nr > 0 && lcg_next(&seed) % 100 < 45)) {
			check_and_free(t, f, live, &nr, (unsigned int)(lcg_next(&seed) % nr));
			continue;
		}
		size = random_size(&seed, max_large);
		p = kmem_alloc(&f->km, size);
		if (!p) {
			nr_null++;
			KEXPECT(may_run_out);
			continue;
		}
		live[nr] = (struct live_object){p, kmem_size_of(&f->km, p), (uint8_t)op};
		KEXPECT(live[nr].usable >= size);
		KEXPECT(is_aligned_ptr(p, KMEM_MIN_ALIGN));
		KEXPECT(!overlaps_live(live, nr, p, live[nr].usable));
		memset(p, live[nr].tag, live[nr].usable);
		nr++;
		if (op % 256 == 0) {
			kmem_get_stats(&f->km, &stats);
			KEXPECT_EQ(stats.nr_live, nr);
		}
	}
	KEXPECT(!may_run_out || nr_null > 0);
	while (nr > 0)
		check_and_free(t, f, live, &nr, nr - 1);
	kfree(live);
}

KTEST(kmem, random_ops_match_model)
{
	struct fixture f;

	KASSERT(fixture_setup(t, &f, 4096, false));
	run_random_ops(t, &f, 3, 20000, 6 * PAGE_SIZE, false);
	fixture_teardown(t, &f);
}

KTEST(kmem, random_ops_with_poison_match_model)
{
	struct fixture f;

	KASSERT(fixture_setup(t, &f, 4096, true));
	run_random_ops(t, &f, 11, 10000, 3 * PAGE_SIZE, false);
	fixture_teardown(t, &f);
}

KTEST(kmem, random_ops_running_out_stay_consistent)
{
	struct fixture f;

	KASSERT(fixture_setup(t, &f, 48, true));
	run_random_ops(t, &f, 5, 10000, 8 * PAGE_SIZE, true);
	fixture_teardown(t, &f);
}
