// SPDX-License-Identifier: MIT
/*
 * The pipe buffer: a ring of page-sized slots with Linux's merging,
 * packet and sizing rules (<tern/pipe.h>). Pure data structure: the
 * locking, sleeping and signals around it are kernel/pipe.c's.
 */
#include <tern/errno.h>
#include <tern/pipe.h>
#include <tern/string.h>

static struct pipe_slot *slot_at(const struct pipe_ring *r, uint32_t index)
{
	return &r->slots[index & (r->nr_slots - 1)];
}

int pipe_ring_init(struct pipe_ring *r, uint32_t nr_slots)
{
	assert(nr_slots && !(nr_slots & (nr_slots - 1)));
	*r = (struct pipe_ring){0};
	r->slots = kzalloc(nr_slots * sizeof(*r->slots));
	if (!r->slots)
		return -ENOMEM;
	r->nr_slots = nr_slots;
	return 0;
}

void pipe_ring_fini(struct pipe_ring *r)
{
	while (!pipe_ring_is_empty(r))
		kfree(slot_at(r, r->tail++)->page);
	kfree(r->spare);
	kfree(r->slots);
	*r = (struct pipe_ring){0};
}

bool pipe_ring_can_merge(const struct pipe_ring *r, size_t len)
{
	size_t chars = len & (PAGE_SIZE - 1);

	if (!chars || pipe_ring_is_empty(r))
		return false;
	const struct pipe_slot *last = slot_at(r, r->head - 1);
	return last->kind == PIPE_SLOT_PLAIN && last->offset + last->len + chars <= PAGE_SIZE;
}

size_t pipe_ring_merge(struct pipe_ring *r, const void *buf, size_t len)
{
	size_t chars = len & (PAGE_SIZE - 1);

	if (!pipe_ring_can_merge(r, len))
		return 0;
	struct pipe_slot *last = slot_at(r, r->head - 1);
	memcpy(last->page + last->offset + last->len, buf, chars);
	last->len += (uint32_t)chars;
	r->nr_bytes += chars;
	return chars;
}

/* A page for a new slot: the spare one, or a fresh one (NULL: no memory). */
static char *take_page(struct pipe_ring *r)
{
	char *page = r->spare ? r->spare : kmalloc(PAGE_SIZE);

	if (page)
		r->spare = NULL;
	return page;
}

/* Puts n bytes of page, from its start, in a new slot at the head. */
static void add_slot(struct pipe_ring *r, char *page, size_t n, enum pipe_slot_kind kind)
{
	*slot_at(r, r->head++) =
		(struct pipe_slot){.page = page, .offset = 0, .len = (uint32_t)n, .kind = kind};
	r->nr_bytes += n;
}

int pipe_ring_push(struct pipe_ring *r, const void *buf, size_t len, enum pipe_slot_kind kind,
		   size_t *done)
{
	size_t total = 0;

	while (total < len && !pipe_ring_is_full(r)) {
		char *page = take_page(r);
		if (!page)
			break;
		size_t n = MIN(len - total, (size_t)PAGE_SIZE);
		memcpy(page, (const char *)buf + total, n);
		add_slot(r, page, n, kind);
		total += n;
	}
	*done = total;
	return total || !len || pipe_ring_is_full(r) ? 0 : -ENOMEM;
}

static void release_tail(struct pipe_ring *r)
{
	struct pipe_slot *s = slot_at(r, r->tail++);

	if (r->spare)
		kfree(s->page);
	else
		r->spare = s->page;
	*s = (struct pipe_slot){0};
}

static size_t pop(struct pipe_ring *r, void *buf, size_t len, size_t nr_good, bool keeps_packets)
{
	size_t total = 0;

	while (total < len && !pipe_ring_is_empty(r)) {
		struct pipe_slot *s = slot_at(r, r->tail);
		size_t n = MIN(len - total, (size_t)s->len);
		if (n > nr_good - total)
			break;
		memcpy((char *)buf + total, s->page + s->offset, n);
		total += n;
		r->nr_bytes -= s->len;
		if (keeps_packets && s->kind == PIPE_SLOT_PACKET) {
			release_tail(r);
			break;
		}
		s->offset += (uint32_t)n;
		s->len -= (uint32_t)n;
		r->nr_bytes += s->len;
		if (!s->len)
			release_tail(r);
	}
	return total;
}

size_t pipe_ring_pop(struct pipe_ring *r, void *buf, size_t len)
{
	return pop(r, buf, len, len, true);
}

size_t pipe_ring_pop_prefix(struct pipe_ring *r, void *buf, size_t len, size_t nr_good)
{
	return pop(r, buf, len, MIN(nr_good, len), true);
}

size_t pipe_ring_pop_bytes(struct pipe_ring *r, void *buf, size_t len)
{
	return pop(r, buf, len, len, false);
}

int pipe_ring_tee(const struct pipe_ring *src, struct pipe_ring *dst, size_t len, size_t *done)
{
	uint32_t index = src->tail;
	size_t total = 0;

	assert(src != dst);
	while (total < len && index != src->head && !pipe_ring_is_full(dst)) {
		const struct pipe_slot *s = slot_at(src, index);
		char *page = take_page(dst);
		if (!page)
			break;
		index++;
		size_t n = MIN(len - total, (size_t)s->len);
		memcpy(page, s->page + s->offset, n);
		add_slot(dst, page, n,
			 s->kind == PIPE_SLOT_PACKET ? PIPE_SLOT_PACKET : PIPE_SLOT_SEALED);
		total += n;
	}
	*done = total;
	return total || !len || index == src->head || pipe_ring_is_full(dst) ? 0 : -ENOMEM;
}

int pipe_ring_resize(struct pipe_ring *r, uint32_t nr_slots)
{
	uint32_t used = pipe_ring_nr_used(r);

	assert(nr_slots && !(nr_slots & (nr_slots - 1)));
	if (used > nr_slots)
		return -EBUSY;
	struct pipe_slot *slots = kzalloc(nr_slots * sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	for (uint32_t i = 0; i < used; i++)
		slots[i] = *slot_at(r, r->tail + i);
	kfree(r->slots);
	r->slots = slots;
	r->nr_slots = nr_slots;
	r->tail = 0;
	r->head = used;
	return 0;
}

uint32_t pipe_slots_for_size(uint64_t size_bytes)
{
	uint64_t size = PAGE_SIZE;

	if (size_bytes > (1ull << 31))
		return 0;
	while (size < size_bytes)
		size <<= 1;
	return (uint32_t)(size / PAGE_SIZE);
}
