/* SPDX-License-Identifier: MIT */
/*
 * A process address space as a set of virtual memory areas (mm/vma.c):
 * the range-level semantics of mmap, munmap, mprotect, mremap and brk.
 * No page tables here: the owner handles pages through struct vma_ops.
 * Syscall glue (mm/sys_mmap.c) translates MAP_* and PROT_* into calls
 * on this interface.
 *
 * Locking: a vma_set has no lock of its own. Its owner (the mm) serializes
 * every call, typically with its mutex; fields below are tagged `o`.
 *
 * Areas of a backing object that has a reverse map (struct vma_rmap, a
 * file's list of the areas mapping it, in any set) are also on that list,
 * tagged `r` (rmap->lock). vma.c keeps the list exact at every map,
 * unmap, split, merge, move, stack growth and clone, and changes an
 * area's start, end and pgoff only under both locks, so either lock is
 * enough to read them. Lock order: the owner's lock, then rmap->lock,
 * then whatever the owner's callbacks take (its page-table lock).
 */
#pragma once

#include <asm-generic/mman-common.h>
#include <tern/base.h>
#include <tern/list.h>

/* Kernel flags of an area; not the MAP_* bits (the glue translates). */
enum vma_flags {
	VMA_SHARED = 1u << 0,	  /* writes reach the backing object (MAP_SHARED) */
	VMA_ANON = 1u << 1,	  /* anonymous memory; backing is NULL unless shared */
	VMA_GROWSDOWN = 1u << 2,  /* a stack: grows down on faults, keeps a guard gap */
	VMA_DONTCOPY = 1u << 3,	  /* not inherited by fork (MADV_DONTFORK) */
	VMA_NORESERVE = 1u << 4,  /* MAP_NORESERVE, bookkeeping only */
	VMA_WIPEONFORK = 1u << 5, /* fork's copy starts empty (MADV_WIPEONFORK) */
	VMA_FLAGS_ALL = (1u << 6) - 1,
};

/*
 * Free space kept below a VMA_GROWSDOWN area by placement and by brk, and
 * the room stack growth must leave above the previous area.
 * ABI: Linux's stack_guard_gap defaults to 256 pages (mm/mmap.c); Tern
 * keeps one page for now so small address spaces stay usable.
 */
#define VMA_STACK_GUARD_GAP_BYTES PAGE_SIZE

/* The protection bits an area keeps; other PROT_* bits are dropped. */
#define VMA_PROT_MASK (PROT_READ | PROT_WRITE | PROT_EXEC)

struct vma_set;

/*
 * The areas mapping one object (Linux's i_mmap), in every set: what
 * truncation walks to unmap the pages it cuts from the object.
 */
struct vma_rmap {
	struct mutex lock;
	struct list_head vma_list; /* r: struct vma by rmap_link */
	uint64_t nr_vmas;	   /* r: areas on vma_list */
	uint64_t zap_seq;	   /* r: bumped by each vma_rmap_zap (see aspace.c's faults) */
};

struct vma {
	uint64_t start;		    /* o, r: first byte, page aligned */
	uint64_t end;		    /* o, r: one past the last byte, page aligned, > start */
	uint32_t prot;		    /* o: PROT_READ|PROT_WRITE|PROT_EXEC */
	uint32_t flags;		    /* o: enum vma_flags */
	uint64_t pgoff;		    /* o, r: offset of start in backing, in pages */
	void *backing;		    /* o: file or shared object, one reference per vma */
	struct list_head link;	    /* o: in vma_set.vma_list, sorted by start */
	struct vma_set *set;	    /* o: the set this area is in */
	struct vma_rmap *rmap;	    /* o: backing's reverse map, or NULL */
	struct list_head rmap_link; /* r: in rmap->vma_list when rmap is set */
};

/*
 * What vma_rmap_zap removes: the backing's pages first..last (inclusive).
 * With even_cows (truncation) every page there goes, private copies
 * included; without (hole punching) a private area keeps its own copies
 * and loses only the pages for which is_file_page(arg, index, page) says
 * they are the object's. The owner's zap_pages interprets this.
 */
struct vma_zap {
	uint64_t first;
	uint64_t last;
	bool even_cows;
	bool (*is_file_page)(void *arg, uint64_t index, uint64_t page);
	void *arg;
};

/*
 * Callbacks into the owner. ctx is the owner's pointer from vma_set_init.
 * unmap_pages is required; the others may be NULL.
 */
struct vma_ops {
	/* [start, end) stops being mapped: free its pages and page tables. */
	void (*unmap_pages)(void *ctx, uint64_t start, uint64_t end);
	/* [start, end) changes protection to prot: update the page tables. */
	void (*protect_pages)(void *ctx, uint64_t start, uint64_t end, uint32_t prot);
	/* mremap: move the pages of [old_start, old_start + len) to new_start. */
	void (*move_pages)(void *ctx, uint64_t old_start, uint64_t new_start, uint64_t len);
	/* A vma starts (get) or stops (put) referring to backing. */
	void (*backing_get)(void *backing);
	void (*backing_put)(void *backing);
	/* backing's reverse map, or NULL if it has none (anonymous memory). */
	struct vma_rmap *(*backing_rmap)(void *backing);
	/*
	 * vma_rmap_zap: drop the pages of [start, end), part of vma, as zap
	 * says. Called with vma->rmap->lock held (not the owner's lock).
	 * Required when backing_rmap may return non-NULL.
	 */
	void (*zap_pages)(void *ctx, const struct vma *vma, uint64_t start, uint64_t end,
			  const struct vma_zap *zap);
};

struct vma_set {
	struct list_head vma_list; /* o: struct vma by link, sorted, disjoint */
	uint64_t user_start;	   /* I: lowest mappable address (mmap_min_addr) */
	uint64_t user_end;	   /* I: one past the highest (TASK_SIZE) */
	uint64_t mmap_base;	   /* o: top-down placement starts below this */
	const struct vma_ops *ops; /* I: owner callbacks */
	void *ctx;		   /* I: passed to each callback */
	uint64_t nr_vmas;	   /* o: number of areas */
	uint64_t mapped_bytes;	   /* o: sum of area sizes */
};

/* Flags for vma_remap; the values are Linux's MREMAP_* (linux/mman.h). */
enum vma_remap_flags {
	VMA_REMAP_MAYMOVE = 1u << 0,   /* MREMAP_MAYMOVE */
	VMA_REMAP_FIXED = 1u << 1,     /* MREMAP_FIXED */
	VMA_REMAP_DONTUNMAP = 1u << 2, /* MREMAP_DONTUNMAP */
};

/*
 * Makes an empty set for addresses [user_start, user_end), page aligned;
 * top-down placement searches below mmap_base. ops must outlive the set.
 */
void vma_set_init(struct vma_set *set, uint64_t user_start, uint64_t user_end, uint64_t mmap_base,
		  const struct vma_ops *ops, void *ctx);

/* Unmaps every area (calling unmap_pages) and leaves the set empty. */
void vma_set_destroy(struct vma_set *set);

/* An empty reverse map, for an object that can be mapped. */
void vma_rmap_init(struct vma_rmap *rmap);
/* True when no area maps the object (asserted when it goes). */
bool vma_rmap_is_empty(struct vma_rmap *rmap);
/*
 * Truncation and hole punching: for every area on rmap that maps some of
 * the pages zap->first..zap->last, calls its set's zap_pages on the
 * addresses that map them, and bumps rmap->zap_seq. Takes rmap->lock, so
 * no area moves meanwhile; an owner that looks pages up without that
 * lock must map one only if zap_seq did not move since (aspace.c does).
 */
void vma_rmap_zap(struct vma_rmap *rmap, const struct vma_zap *zap);

/*
 * For fork: copies every area of src except VMA_DONTCOPY ones into dst,
 * which must be initialized and empty; each copy takes a backing reference,
 * goes on the backing's reverse map right after its original (so a zap
 * walking the map sees the parent first, as Linux's fork does), and dst
 * inherits mmap_base. Returns 0, or -ENOMEM with dst left empty.
 * unmap_pages is not called on dst here: it has no pages yet.
 */
int __must_check vma_set_clone(struct vma_set *dst, const struct vma_set *src);

/* The area containing addr, or NULL. */
struct vma *vma_find(const struct vma_set *set, uint64_t addr);
/* The first area with end > addr, or NULL. */
struct vma *vma_find_next(const struct vma_set *set, uint64_t addr);
/* Iteration in address order: first area, and the one after vma (NULL at the end). */
struct vma *vma_first(const struct vma_set *set);
struct vma *vma_next(const struct vma_set *set, const struct vma *vma);

static inline uint64_t vma_set_nr_vmas(const struct vma_set *set)
{
	return set->nr_vmas;
}

static inline uint64_t vma_set_mapped_bytes(const struct vma_set *set)
{
	return set->mapped_bytes;
}

/*
 * Maps [start, start + len) (len rounded up to pages) with prot, flags,
 * backing and pgoff; takes its own backing reference. If replace, areas in
 * the way are unmapped first (MAP_FIXED); otherwise overlap is -EEXIST
 * (MAP_FIXED_NOREPLACE). Other errors: -EINVAL (len 0, unaligned start),
 * -ENOMEM (range outside the set, no memory), -EPERM (below user_start),
 * -EOVERFLOW (pgoff + pages wraps). On error nothing changed.
 */
int __must_check vma_map(struct vma_set *set, uint64_t start, uint64_t len, uint32_t prot,
			 uint32_t flags, void *backing, uint64_t pgoff, bool replace);

/*
 * Chooses where a non-fixed mapping of len bytes goes, as Linux does on
 * x86_64: the hint (rounded down to a page) if that range is free and in
 * bounds, else the highest gap below mmap_base, else the lowest gap above
 * it. Gaps keep VMA_STACK_GUARD_GAP_BYTES below stacks. Returns 0 and
 * *out, -EINVAL for len 0, or -ENOMEM when nothing fits.
 */
int __must_check vma_find_free(const struct vma_set *set, uint64_t len, uint64_t hint,
			       uint64_t *out);

/*
 * munmap: removes [start, start + len) (len rounded up), splitting areas
 * that straddle the edges; holes are fine. Returns 0, -EINVAL (unaligned
 * start, len 0, range outside user space) or -ENOMEM (no memory to split).
 */
int __must_check vma_unmap(struct vma_set *set, uint64_t start, uint64_t len);

/*
 * mprotect: sets prot on [start, start + len), splitting and merging.
 * PROT_GROWSDOWN extends the range down to the start of a stack area.
 * Returns 0, -EINVAL (unaligned start, bad prot), or -ENOMEM (part of the
 * range unmapped, or no memory); on error nothing changed.
 */
int __must_check vma_protect(struct vma_set *set, uint64_t start, uint64_t len, uint32_t prot);

/*
 * brk: moves the break from old_brk to new_brk for a heap starting at
 * brk_start. Growing maps private anonymous read-write memory and fails if
 * it would come within a page of another area; shrinking unmaps. *out gets
 * the break afterwards: new_brk on success, old_brk on failure (which is
 * what the brk syscall returns). Returns 0 or -ENOMEM.
 */
int __must_check vma_brk(struct vma_set *set, uint64_t brk_start, uint64_t old_brk,
			 uint64_t new_brk, uint64_t *out);

/*
 * mremap: resizes [old_start, old_start + old_len) to new_len, in place if
 * it can, else moves it when VMA_REMAP_MAYMOVE (to new_start when
 * VMA_REMAP_FIXED) through ops->move_pages. *out gets the new address.
 * Errors as Linux: -EINVAL (flags, alignment, overlap, len), -EFAULT (old
 * range not inside one area), -ENOMEM (no room, no memory). On error
 * nothing changed.
 */
int __must_check vma_remap(struct vma_set *set, uint64_t old_start, uint64_t old_len,
			   uint64_t new_len, uint32_t flags, uint64_t new_start, uint64_t *out);

/*
 * madvise's flag changes (MADV_DONTFORK, MADV_WIPEONFORK, ...): sets and
 * clears enum vma_flags bits on [start, start + len), splitting and
 * merging. 0, -EINVAL (unaligned start) or -ENOMEM (a hole, no memory).
 */
int __must_check vma_set_flags(struct vma_set *set, uint64_t start, uint64_t len, uint32_t set_mask,
			       uint32_t clear_mask);
/* True when every byte of [start, end) lies in some area. */
bool vma_range_is_mapped(const struct vma_set *set, uint64_t start, uint64_t end);

/*
 * Stack growth on a fault at addr below a VMA_GROWSDOWN area: moves its
 * start down to addr's page. Returns 0, -EFAULT (not a stack, or addr not
 * below it), -EPERM (below user_start) or -ENOMEM (would come closer than
 * the guard gap to the area below). vma stays valid: if it merges with the
 * area below, it is the one kept.
 */
int __must_check vma_expand_stack(struct vma_set *set, struct vma *vma, uint64_t addr);
