// SPDX-License-Identifier: MIT
/*
 * Virtual memory areas of one address space (include/tern/vma.h): the
 * range bookkeeping behind mmap, munmap, mprotect, mremap and brk, with
 * Linux's errors, splitting and merging. Portable core: pages and page
 * tables belong to the owner, reached through struct vma_ops; syscall glue
 * is in mm/sys_mmap.c.
 *
 * Areas sit on a list sorted by address, so lookups are O(n). Processes
 * have tens to a few hundred areas; FIXME: a balanced tree when that shows
 * up in profiles.
 *
 * Every operation first counts the splits it will need and allocates
 * them into a struct vma_pool, then changes the set without failing, so
 * an error always leaves the set as it was.
 *
 * Areas of objects with a reverse map (struct vma_rmap) are also linked
 * there. Every change to such an area's start, end, pgoff or membership
 * happens under rmap->lock, so vma_rmap_zap, which holds only that lock,
 * always sees each area's true range.
 *
 * Lock order: the owner serializes calls (its lock); rmap->lock nests
 * inside it, and the owner's callbacks take their own locks inside that.
 * unmap_pages, protect_pages and move_pages run without rmap->lock.
 */
#include <linux/mman.h>
#include <tern/errno.h>
#include <tern/vma.h>

_Static_assert(VMA_REMAP_MAYMOVE == MREMAP_MAYMOVE && VMA_REMAP_FIXED == MREMAP_FIXED &&
		       VMA_REMAP_DONTUNMAP == MREMAP_DONTUNMAP,
	       "vma_remap flags are Linux's MREMAP_* values");

/* Enough for mremap: new area, splits at both ends of two ranges, a trim. */
#define VMA_POOL_MAX 6

struct vma_pool {
	struct vma *vmas[VMA_POOL_MAX]; /* preallocated, uninitialized */
	unsigned int nr;		/* how many are left */
};

static void pool_drain(struct vma_pool *pool)
{
	while (pool->nr)
		kfree(pool->vmas[--pool->nr]);
}

static int pool_fill(struct vma_pool *pool, unsigned int nr)
{
	assert(nr <= VMA_POOL_MAX);
	pool->nr = 0;
	while (pool->nr < nr) {
		struct vma *vma = kmalloc(sizeof(*vma));

		if (!vma) {
			pool_drain(pool);
			return -ENOMEM;
		}
		pool->vmas[pool->nr++] = vma;
	}
	return 0;
}

static struct vma *pool_take(struct vma_pool *pool)
{
	assert(pool->nr > 0);
	return pool->vmas[--pool->nr];
}

static struct vma *vma_of(const struct list_head *link)
{
	return list_entry(link, struct vma, link);
}

static uint64_t vma_nr_pages(const struct vma *vma)
{
	return (vma->end - vma->start) >> PAGE_SHIFT;
}

static struct vma *vma_prev(const struct vma_set *set, const struct vma *vma)
{
	return vma->link.prev == &set->vma_list ? NULL : vma_of(vma->link.prev);
}

static struct vma *vma_last(const struct vma_set *set)
{
	return list_is_empty(&set->vma_list) ? NULL : vma_of(set->vma_list.prev);
}

struct vma *vma_first(const struct vma_set *set)
{
	return list_is_empty(&set->vma_list) ? NULL : vma_of(set->vma_list.next);
}

struct vma *vma_next(const struct vma_set *set, const struct vma *vma)
{
	return vma->link.next == &set->vma_list ? NULL : vma_of(vma->link.next);
}

struct vma *vma_find_next(const struct vma_set *set, uint64_t addr)
{
	struct list_head *pos;

	list_for_each(pos, &set->vma_list) {
		if (vma_of(pos)->end > addr)
			return vma_of(pos);
	}
	return NULL;
}

struct vma *vma_find(const struct vma_set *set, uint64_t addr)
{
	struct vma *vma = vma_find_next(set, addr);

	return vma && vma->start <= addr ? vma : NULL;
}

static void rmap_lock(const struct vma *vma)
{
	if (vma->rmap)
		mutex_lock(&vma->rmap->lock);
}

static void rmap_unlock(const struct vma *vma)
{
	if (vma->rmap)
		mutex_unlock(&vma->rmap->lock);
}

/* Links vma into its rmap after pos (a link on that list), under rmap->lock. */
static void rmap_link_after(struct vma *vma, struct list_head *pos)
{
	assert_held(&vma->rmap->lock);
	list_insert_between(&vma->rmap_link, pos, pos->next);
	vma->rmap->nr_vmas++;
}

static void rmap_unlink(struct vma *vma)
{
	assert_held(&vma->rmap->lock);
	list_remove(&vma->rmap_link);
	vma->rmap->nr_vmas--;
}

/* Links a new area at the end of its backing's rmap, if it has one. */
static void rmap_insert(struct vma *vma)
{
	if (!vma->rmap)
		return;
	rmap_lock(vma);
	rmap_link_after(vma, vma->rmap->vma_list.prev);
	rmap_unlock(vma);
}

static void rmap_remove(struct vma *vma)
{
	if (!vma->rmap)
		return;
	rmap_lock(vma);
	rmap_unlink(vma);
	rmap_unlock(vma);
}

void vma_rmap_init(struct vma_rmap *rmap)
{
	mutex_init(&rmap->lock);
	list_init(&rmap->vma_list);
	rmap->nr_vmas = 0;
	rmap->zap_seq = 0;
}

bool vma_rmap_is_empty(struct vma_rmap *rmap)
{
	mutex_lock(&rmap->lock);
	bool empty = list_is_empty(&rmap->vma_list);
	mutex_unlock(&rmap->lock);
	return empty;
}

/* Calls zap_pages on the part of vma that maps pages zap->first..zap->last. */
static void zap_vma(const struct vma *vma, const struct vma_zap *zap)
{
	uint64_t last = vma->pgoff + vma_nr_pages(vma) - 1;
	uint64_t first = MAX(zap->first, vma->pgoff);

	last = MIN(last, zap->last);
	if (first > last)
		return;
	vma->set->ops->zap_pages(vma->set->ctx, vma,
				 vma->start + ((first - vma->pgoff) << PAGE_SHIFT),
				 vma->start + ((last + 1 - vma->pgoff) << PAGE_SHIFT), zap);
}

void vma_rmap_zap(struct vma_rmap *rmap, const struct vma_zap *zap)
{
	struct list_head *pos;

	mutex_lock(&rmap->lock);
	rmap->zap_seq++;
	list_for_each(pos, &rmap->vma_list)
		zap_vma(list_entry(pos, struct vma, rmap_link), zap);
	mutex_unlock(&rmap->lock);
}

static void backing_get(const struct vma_set *set, void *backing)
{
	if (backing && set->ops->backing_get)
		set->ops->backing_get(backing);
}

static void backing_put(const struct vma_set *set, void *backing)
{
	if (backing && set->ops->backing_put)
		set->ops->backing_put(backing);
}

/* The lowest address a new area below vma may end at. */
static uint64_t vma_start_gap(const struct vma *vma)
{
	if (!(vma->flags & VMA_GROWSDOWN))
		return vma->start;
	return vma->start > VMA_STACK_GUARD_GAP_BYTES ? vma->start - VMA_STACK_GUARD_GAP_BYTES : 0;
}

static struct vma_rmap *backing_rmap(const struct vma_set *set, void *backing)
{
	return backing && set->ops->backing_rmap ? set->ops->backing_rmap(backing) : NULL;
}

/* Puts a new area, whose fields are set, in set and in its rmap. */
static void set_insert(struct vma_set *set, struct vma *vma)
{
	struct vma *next = vma_find_next(set, vma->start);

	assert(!next || next->start >= vma->end);
	list_insert_tail(next ? &next->link : &set->vma_list, &vma->link);
	set->nr_vmas++;
	set->mapped_bytes += vma->end - vma->start;
	rmap_insert(vma);
}

/* Unlinks vma (already off its rmap) from set and frees it. */
static void set_remove_unmapped(struct vma_set *set, struct vma *vma)
{
	list_remove(&vma->link);
	set->nr_vmas--;
	set->mapped_bytes -= vma->end - vma->start;
	backing_put(set, vma->backing);
	kfree(vma);
}

/* Unlinks vma and frees it; the caller has dealt with its pages. */
static void set_remove(struct vma_set *set, struct vma *vma)
{
	rmap_remove(vma);
	set_remove_unmapped(set, vma);
}

/* Cuts vma at addr; spare becomes [addr, end) and takes a backing reference. */
static void vma_split(struct vma_set *set, struct vma *vma, uint64_t addr, struct vma *spare)
{
	assert(vma->start < addr && addr < vma->end && IS_ALIGNED(addr, PAGE_SIZE));
	*spare = *vma;
	spare->start = addr;
	spare->pgoff = vma->pgoff + ((addr - vma->start) >> PAGE_SHIFT);
	rmap_lock(vma);
	vma->end = addr;
	if (vma->rmap)
		rmap_link_after(spare, &vma->rmap_link);
	rmap_unlock(vma);
	list_insert_between(&spare->link, &vma->link, vma->link.next);
	set->nr_vmas++;
	backing_get(set, spare->backing);
}

static bool vma_can_merge(const struct vma *a, const struct vma *b)
{
	if (a->end != b->start || a->prot != b->prot || a->flags != b->flags ||
	    a->backing != b->backing)
		return false;
	/* Private anonymous memory has no offset to keep contiguous. */
	return !a->backing || a->pgoff + vma_nr_pages(a) == b->pgoff;
}

static void vma_merge_next(struct vma_set *set, struct vma *vma)
{
	struct vma *next = vma_next(set, vma);
	uint64_t len = next->end - next->start;

	assert(vma->rmap == next->rmap);
	rmap_lock(vma);
	vma->end = next->end;
	if (next->rmap)
		rmap_unlink(next);
	rmap_unlock(vma);
	set_remove_unmapped(set, next);
	set->mapped_bytes += len;
}

/* Merges every mergeable pair touching [start, end]. */
static void merge_range(struct vma_set *set, uint64_t start, uint64_t end)
{
	struct vma *vma = vma_find_next(set, start ? start - 1 : 0);

	while (vma && vma->start <= end) {
		struct vma *next = vma_next(set, vma);

		if (next && vma_can_merge(vma, next))
			vma_merge_next(set, vma);
		else
			vma = next;
	}
}

static bool is_strictly_inside(const struct vma *vma, uint64_t addr)
{
	return vma && vma->start < addr && addr < vma->end;
}

/* How many splits carve_range(start, end) will need. */
static unsigned int count_splits(const struct vma_set *set, uint64_t start, uint64_t end)
{
	return is_strictly_inside(vma_find(set, start), start) +
	       is_strictly_inside(vma_find(set, end), end);
}

/* Splits areas so that none straddles start or end. */
static void carve_range(struct vma_set *set, uint64_t start, uint64_t end, struct vma_pool *pool)
{
	struct vma *vma = vma_find(set, start);

	if (is_strictly_inside(vma, start))
		vma_split(set, vma, start, pool_take(pool));
	vma = vma_find(set, end);
	if (is_strictly_inside(vma, end))
		vma_split(set, vma, end, pool_take(pool));
}

/*
 * Removes the areas inside [start, end), which carve_range has cut out;
 * with call_unmap, unmap_pages sees each run of removed areas once.
 */
static void remove_range(struct vma_set *set, uint64_t start, uint64_t end, bool call_unmap)
{
	struct vma *vma = vma_find_next(set, start);
	uint64_t run_start = 0;
	uint64_t run_end = 0;

	while (vma && vma->start < end) {
		struct vma *next = vma_next(set, vma);

		assert(vma->start >= start && vma->end <= end);
		if (run_end != vma->start) {
			if (call_unmap && run_end > run_start)
				set->ops->unmap_pages(set->ctx, run_start, run_end);
			run_start = vma->start;
		}
		run_end = vma->end;
		set_remove(set, vma);
		vma = next;
	}
	if (call_unmap && run_end > run_start)
		set->ops->unmap_pages(set->ctx, run_start, run_end);
}

static bool range_is_busy(const struct vma_set *set, uint64_t start, uint64_t end)
{
	struct vma *vma = vma_find_next(set, start);

	return vma && vma->start < end;
}

void vma_set_init(struct vma_set *set, uint64_t user_start, uint64_t user_end, uint64_t mmap_base,
		  const struct vma_ops *ops, void *ctx)
{
	assert(IS_ALIGNED(user_start, PAGE_SIZE) && IS_ALIGNED(user_end, PAGE_SIZE));
	assert(user_start < user_end && ops && ops->unmap_pages);
	list_init(&set->vma_list);
	set->user_start = user_start;
	set->user_end = user_end;
	set->mmap_base = ALIGN_DOWN(MIN(MAX(mmap_base, user_start), user_end), PAGE_SIZE);
	set->ops = ops;
	set->ctx = ctx;
	set->nr_vmas = 0;
	set->mapped_bytes = 0;
}

void vma_set_destroy(struct vma_set *set)
{
	remove_range(set, 0, UINT64_MAX, true);
	assert(set->nr_vmas == 0 && set->mapped_bytes == 0);
}

/* Frees every area of a set whose pages were never touched. */
static void set_discard(struct vma_set *set)
{
	remove_range(set, 0, UINT64_MAX, false);
}

int vma_set_clone(struct vma_set *dst, const struct vma_set *src)
{
	struct list_head *pos;

	assert(list_is_empty(&dst->vma_list));
	dst->mmap_base = src->mmap_base;
	list_for_each(pos, &src->vma_list) {
		struct vma *vma = vma_of(pos);
		struct vma *copy;

		if (vma->flags & VMA_DONTCOPY)
			continue;
		copy = kmalloc(sizeof(*copy));
		if (!copy) {
			set_discard(dst);
			return -ENOMEM;
		}
		*copy = *vma;
		copy->set = dst;
		backing_get(dst, copy->backing);
		list_insert_tail(&dst->vma_list, &copy->link);
		dst->nr_vmas++;
		dst->mapped_bytes += copy->end - copy->start;
		if (copy->rmap) {
			rmap_lock(copy);
			rmap_link_after(copy, &vma->rmap_link);
			rmap_unlock(copy);
		}
	}
	return 0;
}

/* Inserts a new area from the pool, not yet merged with its neighbours. */
static void insert_unmerged(struct vma_set *set, struct vma_pool *pool, const struct vma *tmpl)
{
	struct vma *vma = pool_take(pool);

	*vma = *tmpl;
	vma->set = set;
	vma->rmap = backing_rmap(set, vma->backing);
	backing_get(set, vma->backing);
	set_insert(set, vma);
}

/* Inserts a new area from the pool and merges it with its neighbours. */
static void insert_new(struct vma_set *set, struct vma_pool *pool, const struct vma *tmpl)
{
	insert_unmerged(set, pool, tmpl);
	merge_range(set, tmpl->start, tmpl->end);
}

/*
 * ABI: the checks and their order follow Linux do_mmap() and
 * __get_unmapped_area() for MAP_FIXED: length, offset overflow, range,
 * alignment, then mmap_min_addr (-EPERM, security_mmap_addr).
 */
int vma_map(struct vma_set *set, uint64_t start, uint64_t len, uint32_t prot, uint32_t flags,
	    void *backing, uint64_t pgoff, bool replace)
{
	struct vma tmpl = {.prot = prot & VMA_PROT_MASK, .flags = flags, .backing = backing};
	struct vma_pool pool;
	int err;

	assert((flags & ~VMA_FLAGS_ALL) == 0);
	if (len == 0)
		return -EINVAL;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (len == 0)
		return -ENOMEM;
	if (pgoff + (len >> PAGE_SHIFT) < pgoff)
		return -EOVERFLOW;
	if (len > set->user_end || start > set->user_end - len)
		return -ENOMEM;
	if (!IS_ALIGNED(start, PAGE_SIZE))
		return -EINVAL;
	if (start < set->user_start)
		return -EPERM;
	tmpl.start = start;
	tmpl.end = start + len;
	tmpl.pgoff = pgoff;
	if (!replace && range_is_busy(set, tmpl.start, tmpl.end))
		return -EEXIST;
	err = pool_fill(&pool, 1 + (replace ? count_splits(set, tmpl.start, tmpl.end) : 0));
	if (err)
		return err;
	if (replace) {
		carve_range(set, tmpl.start, tmpl.end, &pool);
		remove_range(set, tmpl.start, tmpl.end, true);
	}
	insert_new(set, &pool, &tmpl);
	pool_drain(&pool);
	return 0;
}

/* Bounds of the free gap between prev and next (either may be NULL). */
static void gap_bounds(const struct vma_set *set, const struct vma *prev, const struct vma *next,
		       uint64_t *lo, uint64_t *hi)
{
	*lo = prev ? prev->end : set->user_start;
	*hi = next ? vma_start_gap(next) : set->user_end;
}

/* Fits len at the top of the gap clipped to [low, high), if it can. */
static bool gap_fit_top(uint64_t lo, uint64_t hi, uint64_t low, uint64_t high, uint64_t len,
			uint64_t *out)
{
	lo = MAX(lo, low);
	hi = MIN(hi, high);
	if (hi <= lo || hi - lo < len)
		return false;
	*out = hi - len;
	return true;
}

static bool find_top_down(const struct vma_set *set, uint64_t len, uint64_t *out)
{
	struct vma *next = NULL;
	struct vma *prev = vma_last(set);
	uint64_t lo;
	uint64_t hi;

	for (;;) {
		gap_bounds(set, prev, next, &lo, &hi);
		if (gap_fit_top(lo, hi, set->user_start, set->mmap_base, len, out))
			return true;
		if (!prev || prev->end <= set->user_start)
			return false;
		next = prev;
		prev = vma_prev(set, prev);
	}
}

static bool find_bottom_up(const struct vma_set *set, uint64_t len, uint64_t *out)
{
	struct vma *prev = NULL;
	struct vma *next = vma_first(set);
	uint64_t lo;
	uint64_t hi;

	for (;;) {
		gap_bounds(set, prev, next, &lo, &hi);
		lo = MAX(lo, set->mmap_base);
		hi = MIN(hi, set->user_end);
		if (hi > lo && hi - lo >= len) {
			*out = lo;
			return true;
		}
		if (!next)
			return false;
		prev = next;
		next = vma_next(set, next);
	}
}

static bool hint_fits(const struct vma_set *set, uint64_t hint, uint64_t len)
{
	struct vma *next;

	if (hint > set->user_end - len)
		return false;
	next = vma_find_next(set, hint);
	return !next || hint + len <= vma_start_gap(next);
}

/*
 * ABI: follows x86_64 arch_get_unmapped_area_topdown(): the hint is
 * rounded down and raised to mmap_min_addr (round_hint_to_min); when the
 * top-down search fails, Linux retries bottom-up from TASK_UNMAPPED_BASE,
 * which here is mmap_base.
 */
int vma_find_free(const struct vma_set *set, uint64_t len, uint64_t hint, uint64_t *out)
{
	if (len == 0)
		return -EINVAL;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (len == 0 || len > set->user_end - set->user_start)
		return -ENOMEM;
	if (hint) {
		hint = MAX(ALIGN_DOWN(hint, PAGE_SIZE), set->user_start);
		if (hint_fits(set, hint, len)) {
			*out = hint;
			return 0;
		}
	}
	if (find_top_down(set, len, out) || find_bottom_up(set, len, out))
		return 0;
	return -ENOMEM;
}

/* Unmaps a checked, aligned, non-empty range. */
static int unmap_range(struct vma_set *set, uint64_t start, uint64_t end)
{
	struct vma_pool pool;
	int err;

	if (!range_is_busy(set, start, end))
		return 0;
	err = pool_fill(&pool, count_splits(set, start, end));
	if (err)
		return err;
	carve_range(set, start, end, &pool);
	remove_range(set, start, end, true);
	pool_drain(&pool);
	return 0;
}

/* ABI: checks as Linux do_vmi_munmap(): beyond TASK_SIZE is -EINVAL. */
int vma_unmap(struct vma_set *set, uint64_t start, uint64_t len)
{
	if (!IS_ALIGNED(start, PAGE_SIZE) || start > set->user_end || len > set->user_end - start)
		return -EINVAL;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (len == 0)
		return -EINVAL;
	return unmap_range(set, start, start + len);
}

/* Whether [start, end) is covered by areas without holes. */
static bool range_is_mapped(const struct vma_set *set, uint64_t start, uint64_t end)
{
	struct vma *vma = vma_find(set, start);

	while (vma && vma->end < end) {
		struct vma *next = vma_next(set, vma);

		if (!next || next->start != vma->end)
			return false;
		vma = next;
	}
	return vma != NULL;
}

static void protect_carved(struct vma_set *set, uint64_t start, uint64_t end, uint32_t prot)
{
	struct vma *vma = vma_find(set, start);

	for (; vma && vma->start < end; vma = vma_next(set, vma)) {
		if (vma->prot == prot)
			continue;
		vma->prot = prot;
		if (set->ops->protect_pages)
			set->ops->protect_pages(set->ctx, vma->start, vma->end, prot);
	}
}

/*
 * ABI: checks follow Linux do_mprotect_pkey(). Linux changes the areas
 * before a hole and then fails with -ENOMEM; Tern checks the whole range
 * first and changes nothing, which POSIX mprotect(3p) also allows.
 * PROT_GROWSUP is -EINVAL: x86_64 has no grows-up areas.
 */
int vma_protect(struct vma_set *set, uint64_t start, uint64_t len, uint32_t prot)
{
	const uint32_t grows = PROT_GROWSDOWN | PROT_GROWSUP;
	struct vma_pool pool;
	struct vma *vma;
	uint64_t end;
	int err;

	if ((prot & grows) == grows || !IS_ALIGNED(start, PAGE_SIZE))
		return -EINVAL;
	if (len == 0)
		return 0;
	len = ALIGN_UP(len, PAGE_SIZE);
	end = start + len;
	if (end <= start)
		return -ENOMEM;
	if (prot & ~(VMA_PROT_MASK | PROT_SEM | grows) || (prot & PROT_GROWSUP))
		return -EINVAL;
	vma = vma_find_next(set, start);
	if (!vma)
		return -ENOMEM;
	if (prot & PROT_GROWSDOWN) {
		if (vma->start >= end)
			return -ENOMEM;
		if (!(vma->flags & VMA_GROWSDOWN))
			return -EINVAL;
		start = vma->start;
	}
	if (!range_is_mapped(set, start, end))
		return -ENOMEM;
	err = pool_fill(&pool, count_splits(set, start, end));
	if (err)
		return err;
	carve_range(set, start, end, &pool);
	protect_carved(set, start, end, prot & VMA_PROT_MASK);
	merge_range(set, start, end);
	pool_drain(&pool);
	return 0;
}

int vma_set_flags(struct vma_set *set, uint64_t start, uint64_t len, uint32_t set_mask,
		  uint32_t clear_mask)
{
	struct vma_pool pool;
	uint64_t end;
	int err;

	assert(((set_mask | clear_mask) & ~VMA_FLAGS_ALL) == 0);
	if (!IS_ALIGNED(start, PAGE_SIZE))
		return -EINVAL;
	if (len == 0)
		return 0;
	end = start + ALIGN_UP(len, PAGE_SIZE);
	if (end <= start || !range_is_mapped(set, start, end))
		return -ENOMEM;
	err = pool_fill(&pool, count_splits(set, start, end));
	if (err)
		return err;
	carve_range(set, start, end, &pool);
	for (struct vma *v = vma_find(set, start); v && v->start < end; v = vma_next(set, v))
		v->flags = (v->flags & ~clear_mask) | set_mask;
	merge_range(set, start, end);
	pool_drain(&pool);
	return 0;
}

bool vma_range_is_mapped(const struct vma_set *set, uint64_t start, uint64_t end)
{
	return range_is_mapped(set, start, end);
}

/* ABI: follows Linux brk() in mm/mmap.c, including its one-page gap check. */
int vma_brk(struct vma_set *set, uint64_t brk_start, uint64_t old_brk, uint64_t new_brk,
	    uint64_t *out)
{
	uint64_t old_top = ALIGN_UP(old_brk, PAGE_SIZE);
	uint64_t new_top = ALIGN_UP(new_brk, PAGE_SIZE);
	struct vma *next;
	int err;

	*out = old_brk;
	if (new_brk < brk_start || (new_brk && new_top == 0))
		return -ENOMEM;
	if (new_top == old_top) {
		*out = new_brk;
		return 0;
	}
	if (new_brk <= old_brk) {
		err = unmap_range(set, new_top, old_top);
		if (err)
			return err;
		*out = new_brk;
		return 0;
	}
	if (new_top > set->user_end)
		return -ENOMEM;
	next = vma_find_next(set, old_top);
	if (next && new_top + PAGE_SIZE > vma_start_gap(next))
		return -ENOMEM;
	err = vma_map(set, old_top, new_top - old_top, PROT_READ | PROT_WRITE, VMA_ANON, NULL,
		      old_top >> PAGE_SHIFT, false);
	if (err)
		return err;
	*out = new_brk;
	return 0;
}

struct remap_req {
	uint64_t old_start;
	uint64_t old_len;   /* bytes, page aligned, may be 0 for a shared area */
	uint64_t new_start; /* destination when moving */
	uint64_t new_len;   /* bytes, page aligned, > 0 */
	uint32_t flags;	    /* enum vma_remap_flags */
};

static bool can_expand_in_place(const struct vma_set *set, const struct vma *vma,
				const struct remap_req *req)
{
	struct vma *next = vma_next(set, vma);
	uint64_t new_end;

	if (vma->end != req->old_start + req->old_len ||
	    req->new_len > set->user_end - req->old_start)
		return false;
	new_end = req->old_start + req->new_len;
	return !next || next->start >= new_end;
}

static unsigned int count_move_splits(const struct vma_set *set, const struct remap_req *req)
{
	unsigned int nr = 1;

	if (req->flags & VMA_REMAP_FIXED)
		nr += count_splits(set, req->new_start, req->new_start + req->new_len);
	if (!(req->flags & VMA_REMAP_DONTUNMAP))
		nr += count_splits(set, req->old_start, req->old_start + req->old_len) + 1;
	return nr;
}

/*
 * Outline:
 *   allocate every area the move can need
 *   MREMAP_FIXED: unmap the destination range
 *   shrinking: unmap the old range's tail, so old_len <= new_len
 *   insert the new area with the old one's attributes and offset
 *   move_pages(old -> new), then drop the old range without unmap_pages
 *   (DONTUNMAP keeps it, now without pages), then merge the new area
 * The new area is on the reverse map before the pages move and the old
 * one leaves it after, so a zap running meanwhile finds them either way.
 */
static int remap_move(struct vma_set *set, struct remap_req *req)
{
	struct vma_pool pool;
	struct vma tmpl;
	struct vma *vma;
	int err;

	err = pool_fill(&pool, count_move_splits(set, req));
	if (err)
		return err;
	if (req->flags & VMA_REMAP_FIXED) {
		carve_range(set, req->new_start, req->new_start + req->new_len, &pool);
		remove_range(set, req->new_start, req->new_start + req->new_len, true);
	}
	if (req->old_len > req->new_len) {
		carve_range(set, req->old_start + req->new_len, req->old_start + req->old_len,
			    &pool);
		remove_range(set, req->old_start + req->new_len, req->old_start + req->old_len,
			     true);
		req->old_len = req->new_len;
	}
	vma = vma_find(set, req->old_start);
	tmpl = *vma;
	tmpl.start = req->new_start;
	tmpl.end = req->new_start + req->new_len;
	tmpl.pgoff = vma->pgoff + ((req->old_start - vma->start) >> PAGE_SHIFT);
	insert_unmerged(set, &pool, &tmpl);
	if (req->old_len)
		set->ops->move_pages(set->ctx, req->old_start, req->new_start, req->old_len);
	if (req->old_len && !(req->flags & VMA_REMAP_DONTUNMAP)) {
		carve_range(set, req->old_start, req->old_start + req->old_len, &pool);
		remove_range(set, req->old_start, req->old_start + req->old_len, false);
	}
	merge_range(set, tmpl.start, tmpl.end);
	pool_drain(&pool);
	return 0;
}

/* ABI: mremap_to() in Linux mm/mremap.c; the destination must not overlap. */
static int remap_check_fixed(const struct vma_set *set, const struct remap_req *req)
{
	if (!IS_ALIGNED(req->new_start, PAGE_SIZE))
		return -EINVAL;
	if (req->new_len > set->user_end || req->new_start > set->user_end - req->new_len)
		return -EINVAL;
	if (req->new_start < set->user_start)
		return -EPERM;
	/*
	 * ABI: an empty old range counts as its first page here; Linux would
	 * unmap the destination, old area included, and then fail -EFAULT.
	 */
	if (req->old_start + MAX(req->old_len, PAGE_SIZE) > req->new_start &&
	    req->new_start + req->new_len > req->old_start)
		return -EINVAL;
	return 0;
}

/* Whether the (trimmed) old range lies in vma and may be resized. */
static int remap_check_old(const struct vma *vma, const struct remap_req *req)
{
	uint64_t old_len = MIN(req->old_len, req->new_len);

	if (old_len > vma->end - req->old_start)
		return -EFAULT;
	if (req->old_len == 0 && !(vma->flags & VMA_SHARED))
		return -EINVAL;
	return 0;
}

/* Moves (not FIXED) to a place vma_find_free picks. */
static int remap_move_anywhere(struct vma_set *set, struct remap_req *req, uint64_t hint)
{
	int err;

	err = vma_find_free(set, req->new_len, hint, &req->new_start);
	if (err)
		return err;
	return remap_move(set, req);
}

/*
 * ABI: argument checks and their order follow Linux mremap() in
 * mm/mremap.c. Linux unmaps the MREMAP_FIXED destination before checking
 * the old range; Tern checks first so a failed call changes nothing.
 * Moving needs ops->move_pages; without it a move is -ENOMEM. Lengths
 * larger than user space are -EINVAL (Linux fails them later, on paths
 * that give -EINVAL, -EFAULT or -ENOMEM).
 */
int vma_remap(struct vma_set *set, uint64_t old_start, uint64_t old_len, uint64_t new_len,
	      uint32_t flags, uint64_t new_start, uint64_t *out)
{
	struct remap_req req = {.old_start = old_start, .new_start = new_start, .flags = flags};
	const uint32_t all = VMA_REMAP_MAYMOVE | VMA_REMAP_FIXED | VMA_REMAP_DONTUNMAP;
	bool may_move = flags & VMA_REMAP_MAYMOVE;
	struct vma *vma;
	int err;

	if ((flags & ~all) || ((flags & VMA_REMAP_FIXED) && !may_move))
		return -EINVAL;
	if ((flags & VMA_REMAP_DONTUNMAP) && (!may_move || old_len != new_len))
		return -EINVAL;
	if (!IS_ALIGNED(old_start, PAGE_SIZE) || old_len > set->user_end || new_len > set->user_end)
		return -EINVAL;
	req.old_len = ALIGN_UP(old_len, PAGE_SIZE);
	req.new_len = ALIGN_UP(new_len, PAGE_SIZE);
	if (req.new_len == 0)
		return -EINVAL;
	vma = vma_find(set, old_start);
	if (!vma)
		return -EFAULT;
	/* The part dropped by a shrink is munmapped, which checks bounds. */
	if (req.old_len > req.new_len && req.old_len > set->user_end - old_start)
		return -EINVAL;
	if (flags & (VMA_REMAP_FIXED | VMA_REMAP_DONTUNMAP)) {
		if (flags & VMA_REMAP_FIXED)
			err = remap_check_fixed(set, &req);
		else
			err = 0;
		if (!err)
			err = remap_check_old(vma, &req);
		if (!err && !set->ops->move_pages)
			err = -ENOMEM;
		if (!err && (flags & VMA_REMAP_FIXED))
			err = remap_move(set, &req);
		else if (!err)
			err = remap_move_anywhere(set, &req, new_start);
		if (!err)
			*out = req.new_start;
		return err;
	}
	if (req.old_len >= req.new_len) {
		if (req.old_len > req.new_len)
			err = unmap_range(set, old_start + req.new_len, old_start + req.old_len);
		else
			err = 0;
		if (!err)
			*out = old_start;
		return err;
	}
	err = remap_check_old(vma, &req);
	if (err)
		return err;
	if (req.old_len && can_expand_in_place(set, vma, &req)) {
		set->mapped_bytes += req.new_len - req.old_len;
		rmap_lock(vma);
		vma->end = old_start + req.new_len;
		rmap_unlock(vma);
		merge_range(set, vma->start, vma->end);
		*out = old_start;
		return 0;
	}
	if (!may_move || !set->ops->move_pages)
		return -ENOMEM;
	err = remap_move_anywhere(set, &req, 0);
	if (!err)
		*out = req.new_start;
	return err;
}

/* ABI: as Linux expand_downwards() in mm/mmap.c. */
int vma_expand_stack(struct vma_set *set, struct vma *vma, uint64_t addr)
{
	struct vma *prev = vma_prev(set, vma);

	if (!(vma->flags & VMA_GROWSDOWN))
		return -EFAULT;
	addr = ALIGN_DOWN(addr, PAGE_SIZE);
	if (addr >= vma->start)
		return addr < vma->end ? 0 : -EFAULT;
	if (addr < set->user_start)
		return -EPERM;
	if (prev && addr < prev->end)
		return -ENOMEM;
	/* Linux's "Overflow?" check: an object's offset must not go below 0. */
	if (vma->backing && (vma->start - addr) >> PAGE_SHIFT > vma->pgoff)
		return -ENOMEM;
	if (prev && !(prev->flags & VMA_GROWSDOWN) && (prev->prot & VMA_PROT_MASK) &&
	    addr - prev->end < VMA_STACK_GUARD_GAP_BYTES)
		return -ENOMEM;
	set->mapped_bytes += vma->start - addr;
	rmap_lock(vma);
	vma->pgoff -= (vma->start - addr) >> PAGE_SHIFT;
	vma->start = addr;
	rmap_unlock(vma);
	/* Growing into a twin stack merges; vma absorbs prev so it stays valid. */
	if (prev && vma_can_merge(prev, vma)) {
		set->mapped_bytes += prev->end - prev->start;
		rmap_lock(vma);
		vma->start = prev->start;
		vma->pgoff = prev->pgoff;
		if (prev->rmap)
			rmap_unlink(prev);
		rmap_unlock(vma);
		set_remove_unmapped(set, prev);
	}
	return 0;
}
