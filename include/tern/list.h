/* SPDX-License-Identifier: MIT */
/*
 * Intrusive circular doubly-linked lists. A struct list_head is embedded
 * in each element; an empty list points at itself.
 */
#pragma once

#include <tern/types.h>

struct list_head {
	struct list_head *next;
	struct list_head *prev;
};

#define LIST_HEAD_INIT(name)     \
	{                        \
		&(name), &(name) \
	}

static inline void list_init(struct list_head *h)
{
	h->next = h;
	h->prev = h;
}

static inline bool list_is_empty(const struct list_head *h)
{
	return h->next == h;
}

static inline void list_insert_between(struct list_head *n, struct list_head *prev,
				       struct list_head *next)
{
	n->next = next;
	n->prev = prev;
	prev->next = n;
	next->prev = n;
}

/* Inserts n at the front of the list headed by h. */
static inline void list_insert_head(struct list_head *h, struct list_head *n)
{
	list_insert_between(n, h, h->next);
}

/* Inserts n at the back of the list headed by h. */
static inline void list_insert_tail(struct list_head *h, struct list_head *n)
{
	list_insert_between(n, h->prev, h);
}

/* Unlinks n and leaves it pointing at itself. */
static inline void list_remove(struct list_head *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	list_init(n);
}

#define list_entry(ptr, type, member) container_of(ptr, type, member)
#define list_first_entry(h, type, member) list_entry((h)->next, type, member)
#define list_for_each(pos, h) for (pos = (h)->next; pos != (h); pos = pos->next)
#define list_for_each_safe(pos, tmp, h) \
	for (pos = (h)->next, tmp = pos->next; pos != (h); pos = tmp, tmp = pos->next)
