/* SPDX-License-Identifier: MIT */
/*
 * kmem: small-object allocation (kmalloc) over the page allocator
 * (include/tern/page.h), in mm/kmem.c. Requests up to KMEM_MAX_CLASS_BYTES
 * are rounded up to a size class and carved from one-page slabs; bigger
 * ones get a whole block of pages. The kernel's kmalloc is kmem_alloc on
 * its single struct kmem.
 *
 * Lock legend:
 *   I  immutable after kmem_init (or kmem_set_poison before first use)
 *   k  the kmem's lock (struct kmem.lock)
 */
#pragma once

#include <tern/base.h>
#include <tern/page.h>

enum {
	KMEM_NR_CLASSES = 11,
	KMEM_MAX_CLASS_BYTES = 4096, /* larger requests take whole pages */
	KMEM_MIN_ALIGN = 16,	     /* every object is at least this aligned */
	KMEM_POISON_BYTE = 0x6b,     /* fills freed objects when poisoning */
	KMEM_CACHE_OBJECTS = 16,     /* freed objects a class keeps for reuse */
};

/*
 * One size class: its objects and the slab pages that hold them. The
 * last objects freed wait in cache[] (still in use as far as their slab
 * knows) and are handed out again first, without touching a slab;
 * kmem_shrink and page exhaustion give them back. Not when poisoning,
 * so every reuse is checked.
 */
struct kmem_class {
	uint32_t object_size;		 /* I: bytes per object */
	uint32_t nr_per_slab;		 /* I: objects in one slab page */
	uint32_t nr_cached;		 /* k: objects in cache[] */
	void *cache[KMEM_CACHE_OBJECTS]; /* k: freed objects, the latest last */
	struct list_head partial_list;	 /* k: slabs with free and used objects, via page.list */
	struct page *spare;		 /* k: one completely free slab kept back, or NULL */
	uint64_t nr_live;		 /* k: objects handed out (not those in cache[]) */
	uint64_t nr_slabs;		 /* k: slab pages held, the spare included */
};

struct kmem {
	struct spinlock lock;
	struct page_allocator *pa; /* I: where slabs and large blocks come from */
	bool is_poisoning;	   /* I: poison freed objects and check them on reuse */
	struct kmem_class classes[KMEM_NR_CLASSES]; /* I: sizes; k: the rest */
	uint64_t nr_large_live;			    /* k: live allocations bigger than any class */
	uint64_t nr_large_pages;		    /* k: pages those hold */
};

struct kmem_class_stats {
	uint32_t object_size; /* bytes per object */
	uint64_t nr_live;     /* objects handed out */
	uint64_t live_bytes;  /* nr_live * object_size */
	uint64_t nr_slabs;    /* slab pages held, spare included */
};

struct kmem_stats {
	struct kmem_class_stats classes[KMEM_NR_CLASSES];
	uint64_t nr_large_live;	 /* live allocations bigger than any class */
	uint64_t nr_large_pages; /* pages those hold */
	uint64_t nr_live;	 /* all live allocations */
	uint64_t live_bytes;	 /* usable bytes of all live allocations */
	uint64_t nr_pages;	 /* pages held from the page allocator */
};

/* Sets up km to allocate from pa. km holds no pages until first use. */
void kmem_init(struct kmem *km, struct page_allocator *pa);

/*
 * Turns poisoning of freed objects on or off, before km's first use:
 * freed objects are filled with KMEM_POISON_BYTE and checked when handed
 * out again (panic on a use-after-free write), and frees look for double
 * frees in the object's slab. Costs time; meant for debugging and tests.
 */
void kmem_set_poison(struct kmem *km, bool enable);

/*
 * Returns an object of at least size_bytes (0 counts as 1), aligned to
 * KMEM_MIN_ALIGN, or to its size class if that is a power of two, or to
 * a page if larger than KMEM_MAX_CLASS_BYTES. Contents are undefined.
 * Returns NULL when memory runs out or the size exceeds the largest
 * page block (2^(MAX_ORDER-1) pages). Takes km->lock, then pa->lock.
 */
void *kmem_alloc(struct kmem *km, size_t size_bytes);

/* Like kmem_alloc, with the object's size_bytes bytes zeroed. */
void *kmem_zalloc(struct kmem *km, size_t size_bytes);

/*
 * Frees an object from kmem_alloc; NULL is ignored. Asserts (or panics,
 * when poisoning) on pointers kmem did not hand out and on double frees.
 */
void kmem_free(struct kmem *km, void *ptr);

/* Usable bytes of a live object (its class or block size); 0 for NULL. */
size_t kmem_size_of(struct kmem *km, const void *ptr);

/* Gives back the spare slab pages kept to avoid page allocator churn. */
void kmem_shrink(struct kmem *km);

/* Copies a consistent snapshot of km's counters into *out. */
void kmem_get_stats(struct kmem *km, struct kmem_stats *out);

/* Tears km down; every object must have been freed. Returns all pages. */
void kmem_fini(struct kmem *km);
