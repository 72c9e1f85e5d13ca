// SPDX-License-Identifier: MIT
/*
 * kmem, the small-object allocator behind kmalloc (include/tern/kmem.h).
 * Each size class carves one-page slabs into equal objects; a slab keeps
 * its own free list, threaded through its free objects as 16-bit page
 * offsets, and its count in struct page.slab. Classes track slabs that
 * have room on a partial list; full slabs are on no list, and a slab that
 * empties goes back to the page allocator (mm/page_alloc.c) unless the
 * class has no spare yet. In front of the slabs, each class keeps the
 * last few objects freed in a small cache and hands them out first: a
 * kmalloc/kfree pair is then one lock round trip and an array slot
 * (about a fifth of the slab path's cost under TCG, where divisions and
 * calls are dear). Requests above the largest class take a whole block
 * of pages, whose order the head page records.
 *
 * Lock order: km->lock, then pa->lock (slab and large pages are allocated
 * and freed with km->lock held).
 */
#include <tern/errno.h>
#include <tern/kmem.h>
#include <tern/string.h>

#define FREELIST_END 0xffff

/*
 * The last class holds one object a slab: page-sized requests (path
 * names, small bounce buffers) then come from the class caches instead
 * of the page allocator, about 2900 cycles less per stat(2) under TCG.
 */
static const uint16_t class_sizes[KMEM_NR_CLASSES] = {
	16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096,
};

_Static_assert(KMEM_MAX_CLASS_BYTES == 4096, "class_sizes must end at KMEM_MAX_CLASS_BYTES");
_Static_assert(PAGE_SIZE < FREELIST_END, "slab offsets must fit 16 bits");

/* The smallest class that holds size_bytes (1 .. KMEM_MAX_CLASS_BYTES). */
static unsigned int size_class_of(size_t size_bytes)
{
	unsigned int i = 0;

	while (class_sizes[i] < size_bytes)
		i++;
	return i;
}

static char *slab_base(struct kmem *km, struct page *slab)
{
	return page_to_virt(km->pa, slab);
}

static bool offset_is_object(const struct kmem_class *cls, size_t offset)
{
	return offset % cls->object_size == 0 && offset / cls->object_size < cls->nr_per_slab;
}

/* A free object starts with the page offset of the next free one. */
static uint16_t object_next_offset(const void *obj)
{
	return *(const uint16_t *)obj;
}

static void object_set_next_offset(void *obj, uint16_t next)
{
	*(uint16_t *)obj = next;
}

static bool poison_is_intact(const void *obj, size_t size_bytes)
{
	const unsigned char *p = obj;

	for (size_t i = sizeof(uint16_t); i < size_bytes; i++) {
		if (p[i] != KMEM_POISON_BYTE)
			return false;
	}
	return true;
}

static void class_free_locked(struct kmem *km, struct page *slab, char *obj);

/* Gives every cached object back to its slab, then the spare slabs back to pa: pages freed. */
static unsigned int release_spares_locked(struct kmem *km)
{
	uint64_t nr_before = 0, nr_after = 0;

	assert_held(&km->lock);
	for (unsigned int i = 0; i < KMEM_NR_CLASSES; i++) {
		struct kmem_class *cls = &km->classes[i];

		nr_before += cls->nr_slabs;
		while (cls->nr_cached) {
			char *obj = cls->cache[--cls->nr_cached];
			cls->nr_live++; /* class_free_locked counts it out again */
			class_free_locked(km, virt_to_page(km->pa, obj), obj);
		}
		if (cls->spare) {
			page_free(km->pa, cls->spare, 0);
			cls->spare = NULL;
			cls->nr_slabs--;
		}
		nr_after += cls->nr_slabs;
	}
	return (unsigned int)(nr_before - nr_after);
}

/* page_alloc, retried once after giving back cached objects and spare slabs. */
static int get_pages_locked(struct kmem *km, unsigned int order, struct page **out)
{
	int err;

	assert_held(&km->lock);
	err = page_alloc(km->pa, order, out);
	if (err == -ENOMEM && release_spares_locked(km) > 0)
		err = page_alloc(km->pa, order, out);
	return err;
}

static int slab_create_locked(struct kmem *km, unsigned int class_index, struct page **out)
{
	struct kmem_class *cls = &km->classes[class_index];
	struct page *slab;
	char *base;
	int err;

	assert_held(&km->lock);
	err = get_pages_locked(km, 0, &slab);
	if (err)
		return err;
	slab->flags |= PAGE_SLAB;
	slab->slab = (struct page_slab){.size_class = (uint8_t)class_index};
	base = slab_base(km, slab);
	if (km->is_poisoning)
		memset(base, KMEM_POISON_BYTE, PAGE_SIZE);
	for (uint32_t i = 0; i < cls->nr_per_slab; i++) {
		uint32_t next = (i + 1) * cls->object_size;

		object_set_next_offset(base + i * cls->object_size,
				       i + 1 < cls->nr_per_slab ? (uint16_t)next : FREELIST_END);
	}
	cls->nr_slabs++;
	*out = slab;
	return 0;
}

/* A slab that just became empty: keep it as the spare or give it back. */
static void slab_retire_locked(struct kmem *km, struct kmem_class *cls, struct page *slab)
{
	assert_held(&km->lock);
	if (!cls->spare) {
		cls->spare = slab;
		return;
	}
	page_free(km->pa, slab, 0);
	cls->nr_slabs--;
}

static void *slab_pop_locked(struct kmem *km, struct kmem_class *cls, struct page *slab)
{
	uint16_t offset = slab->slab.free_offset;
	uint16_t next;
	char *obj;

	assert_held(&km->lock);
	assert(offset_is_object(cls, offset));
	obj = slab_base(km, slab) + offset;
	next = object_next_offset(obj);
	if (next != FREELIST_END && !offset_is_object(cls, next))
		panic("kmem: free list of slab %p corrupted at %p\n", (void *)slab, (void *)obj);
	if (km->is_poisoning && !poison_is_intact(obj, cls->object_size))
		panic("kmem: %u-byte object %p written after free\n", cls->object_size,
		      (void *)obj);
	slab->slab.free_offset = next;
	slab->slab.nr_inuse++;
	return obj;
}

static bool slab_has_free_offset(struct kmem *km, struct page *slab, uint16_t offset)
{
	for (uint16_t o = slab->slab.free_offset; o != FREELIST_END;
	     o = object_next_offset(slab_base(km, slab) + o)) {
		if (o == offset)
			return true;
	}
	return false;
}

static void slab_push_locked(struct kmem *km, struct kmem_class *cls, struct page *slab, char *obj)
{
	uint16_t offset = (uint16_t)(obj - slab_base(km, slab));

	assert_held(&km->lock);
	if (km->is_poisoning) {
		if (slab_has_free_offset(km, slab, offset))
			panic("kmem: double free of %p\n", (void *)obj);
		memset(obj, KMEM_POISON_BYTE, cls->object_size);
	}
	object_set_next_offset(obj, slab->slab.free_offset);
	slab->slab.free_offset = offset;
	slab->slab.nr_inuse--;
}

static void *class_alloc_locked(struct kmem *km, unsigned int class_index)
{
	struct kmem_class *cls = &km->classes[class_index];
	struct page *slab;
	void *obj;

	assert_held(&km->lock);
	if (!list_is_empty(&cls->partial_list)) {
		slab = list_first_entry(&cls->partial_list, struct page, list);
	} else {
		if (cls->spare) {
			slab = cls->spare;
			cls->spare = NULL;
		} else if (slab_create_locked(km, class_index, &slab)) {
			return NULL;
		}
		list_insert_head(&cls->partial_list, &slab->list);
	}
	obj = slab_pop_locked(km, cls, slab);
	if (slab->slab.nr_inuse == cls->nr_per_slab)
		list_remove(&slab->list);
	cls->nr_live++;
	return obj;
}

/* Puts obj back in its slab. k held. */
static void class_free_locked(struct kmem *km, struct page *slab, char *obj)
{
	struct kmem_class *cls;
	size_t offset;
	bool was_full;

	assert(slab->slab.size_class < KMEM_NR_CLASSES);
	cls = &km->classes[slab->slab.size_class];
	offset = (size_t)(obj - slab_base(km, slab));
	if (!offset_is_object(cls, offset))
		panic("kmem_free: %p is not the start of a %u-byte object\n", (void *)obj,
		      cls->object_size);
	if (slab->slab.nr_inuse == 0)
		panic("kmem_free: double free of %p (slab empty)\n", (void *)obj);
	was_full = slab->slab.nr_inuse == cls->nr_per_slab;
	slab_push_locked(km, cls, slab, obj);
	cls->nr_live--;
	if (was_full)
		list_insert_head(&cls->partial_list, &slab->list);
	if (slab->slab.nr_inuse == 0) {
		list_remove(&slab->list);
		slab_retire_locked(km, cls, slab);
	}
}

/*
 * Into the class's cache when there is room (only the cheap checks: an
 * object boundary at the minimum alignment, not the latest free again),
 * else back to the slab with the full ones.
 */
static void class_free(struct kmem *km, struct page *slab, char *obj)
{
	struct kmem_class *cls;

	spin_lock(&km->lock);
	assert(slab->slab.size_class < KMEM_NR_CLASSES);
	cls = &km->classes[slab->slab.size_class];
	if (!km->is_poisoning && cls->nr_cached < KMEM_CACHE_OBJECTS) {
		if ((uintptr_t)obj % KMEM_MIN_ALIGN != 0)
			panic("kmem_free: %p is not the start of a %u-byte object\n", (void *)obj,
			      cls->object_size);
		if (cls->nr_cached && cls->cache[cls->nr_cached - 1] == obj)
			panic("kmem_free: double free of %p\n", (void *)obj);
		cls->cache[cls->nr_cached++] = obj;
		cls->nr_live--;
	} else {
		class_free_locked(km, slab, obj);
	}
	spin_unlock(&km->lock);
}

static void *large_alloc(struct kmem *km, size_t size_bytes)
{
	struct page *head;
	unsigned int order = 0;

	if (size_bytes > (PAGE_SIZE << (MAX_ORDER - 1)))
		return NULL;
	while ((PAGE_SIZE << order) < size_bytes)
		order++;
	spin_lock(&km->lock);
	if (get_pages_locked(km, order, &head)) {
		spin_unlock(&km->lock);
		return NULL;
	}
	head->flags |= PAGE_KMEM_LARGE;
	km->nr_large_live++;
	km->nr_large_pages += 1ULL << order;
	spin_unlock(&km->lock);
	return page_to_virt(km->pa, head);
}

static void large_free(struct kmem *km, struct page *head, void *ptr)
{
	if (ptr != page_to_virt(km->pa, head))
		panic("kmem_free: %p is inside a large allocation\n", ptr);
	spin_lock(&km->lock);
	km->nr_large_live--;
	km->nr_large_pages -= 1ULL << head->order;
	page_free(km->pa, head, head->order);
	spin_unlock(&km->lock);
}

void kmem_init(struct kmem *km, struct page_allocator *pa)
{
	spin_lock_init(&km->lock);
	km->pa = pa;
	km->is_poisoning = false;
	for (unsigned int i = 0; i < KMEM_NR_CLASSES; i++) {
		struct kmem_class *cls = &km->classes[i];

		cls->object_size = class_sizes[i];
		cls->nr_per_slab = PAGE_SIZE / class_sizes[i];
		list_init(&cls->partial_list);
		cls->nr_cached = 0;
		cls->spare = NULL;
		cls->nr_live = 0;
		cls->nr_slabs = 0;
	}
	km->nr_large_live = 0;
	km->nr_large_pages = 0;
}

void kmem_set_poison(struct kmem *km, bool enable)
{
	spin_lock(&km->lock);
	for (unsigned int i = 0; i < KMEM_NR_CLASSES; i++)
		assert(km->classes[i].nr_slabs == 0);
	km->is_poisoning = enable;
	spin_unlock(&km->lock);
}

void *kmem_alloc(struct kmem *km, size_t size_bytes)
{
	void *obj;

	if (size_bytes > KMEM_MAX_CLASS_BYTES)
		return large_alloc(km, size_bytes);
	unsigned int class_index = size_class_of(size_bytes ? size_bytes : 1);
	struct kmem_class *cls = &km->classes[class_index];

	spin_lock(&km->lock);
	if (cls->nr_cached) {
		obj = cls->cache[--cls->nr_cached];
		cls->nr_live++;
	} else {
		obj = class_alloc_locked(km, class_index);
	}
	spin_unlock(&km->lock);
	return obj;
}

void *kmem_zalloc(struct kmem *km, size_t size_bytes)
{
	void *obj = kmem_alloc(km, size_bytes);

	if (obj)
		memset(obj, 0, size_bytes);
	return obj;
}

void kmem_free(struct kmem *km, void *ptr)
{
	struct page *page;

	if (!ptr)
		return;
	page = virt_to_page(km->pa, ptr);
	if (page->flags & PAGE_SLAB)
		class_free(km, page, ptr);
	else if (page->flags & PAGE_KMEM_LARGE)
		large_free(km, page, ptr);
	else
		panic("kmem_free: %p was not allocated by kmem\n", ptr);
}

size_t kmem_size_of(struct kmem *km, const void *ptr)
{
	struct page *page;

	if (!ptr)
		return 0;
	page = virt_to_page(km->pa, ptr);
	if (page->flags & PAGE_SLAB)
		return km->classes[page->slab.size_class].object_size;
	if (page->flags & PAGE_KMEM_LARGE)
		return PAGE_SIZE << page->order;
	panic("kmem_size_of: %p was not allocated by kmem\n", ptr);
}

void kmem_shrink(struct kmem *km)
{
	spin_lock(&km->lock);
	release_spares_locked(km);
	spin_unlock(&km->lock);
}

void kmem_get_stats(struct kmem *km, struct kmem_stats *out)
{
	*out = (struct kmem_stats){0};
	spin_lock(&km->lock);
	for (unsigned int i = 0; i < KMEM_NR_CLASSES; i++) {
		const struct kmem_class *cls = &km->classes[i];
		struct kmem_class_stats *cs = &out->classes[i];

		cs->object_size = cls->object_size;
		cs->nr_live = cls->nr_live;
		cs->live_bytes = cls->nr_live * cls->object_size;
		cs->nr_slabs = cls->nr_slabs;
		out->nr_live += cs->nr_live;
		out->live_bytes += cs->live_bytes;
		out->nr_pages += cs->nr_slabs;
	}
	out->nr_large_live = km->nr_large_live;
	out->nr_large_pages = km->nr_large_pages;
	out->nr_live += km->nr_large_live;
	out->live_bytes += km->nr_large_pages * PAGE_SIZE;
	out->nr_pages += km->nr_large_pages;
	spin_unlock(&km->lock);
}

void kmem_fini(struct kmem *km)
{
	spin_lock(&km->lock);
	for (unsigned int i = 0; i < KMEM_NR_CLASSES; i++)
		assert(km->classes[i].nr_live == 0);
	assert(km->nr_large_live == 0);
	release_spares_locked(km);
	for (unsigned int i = 0; i < KMEM_NR_CLASSES; i++)
		assert(km->classes[i].nr_slabs == 0);
	spin_unlock(&km->lock);
}
