// SPDX-License-Identifier: MIT
/*
 * In-kernel tests of the real allocators on real RAM: pattern-checked
 * page and kmalloc traffic from several threads while timer interrupts
 * preempt them, exhaustion of all RAM and recovery, and free counts
 * returning to where they started. The allocators' logic is unit-tested
 * on the host (page_alloc_test.c, kmem_test.c).
 */
#include <tern/base.h>
#include <tern/errno.h>
#include <tern/irq.h>
#include <tern/kernel.h>
#include <tern/ktest.h>
#include <tern/mm.h>
#include <tern/sched.h>
#include <tern/string.h>

#define STRESS_SLOTS 64

struct stress_slot {
	void *ptr;
	size_t len;
	struct page *page;
	unsigned int order;
	uint8_t pattern;
};

struct stress_args {
	uint64_t seed;
	int rounds;
	int nr_bad;
};

static uint64_t next_random(uint64_t *state)
{
	*state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
	return *state >> 33;
}

static bool is_filled(const uint8_t *p, size_t len, uint8_t v)
{
	for (size_t i = 0; i < len; i++) {
		if (p[i] != v)
			return false;
	}
	return true;
}

static void slot_release(struct stress_slot *s, struct stress_args *a)
{
	if (s->ptr && !is_filled(s->ptr, s->len, s->pattern))
		a->nr_bad++;
	if (s->page)
		page_free(&kernel_pages, s->page, s->order);
	else
		kfree(s->ptr);
	*s = (struct stress_slot){0};
}

static void slot_fill(struct stress_slot *s, uint64_t *rnd)
{
	s->pattern = (uint8_t)next_random(rnd);
	if (next_random(rnd) % 4 == 0) {
		s->order = (unsigned int)(next_random(rnd) % 4);
		if (page_alloc(&kernel_pages, s->order, &s->page) != 0)
			return;
		s->ptr = page_to_virt(&kernel_pages, s->page);
		s->len = PAGE_SIZE << s->order;
	} else {
		s->len = 1 + next_random(rnd) % 3000;
		s->ptr = kmalloc(s->len);
		if (!s->ptr)
			return;
	}
	memset(s->ptr, s->pattern, s->len);
}

static int stress_thread(void *arg)
{
	struct stress_args *a = arg;
	struct stress_slot *slots = kzalloc(sizeof(*slots) * STRESS_SLOTS);
	uint64_t rnd = a->seed;

	if (!slots)
		return -ENOMEM;
	for (int i = 0; i < a->rounds; i++) {
		struct stress_slot *s = &slots[next_random(&rnd) % STRESS_SLOTS];
		if (s->ptr)
			slot_release(s, a);
		else
			slot_fill(s, &rnd);
	}
	for (int i = 0; i < STRESS_SLOTS; i++) {
		if (slots[i].ptr)
			slot_release(&slots[i], a);
	}
	kfree(slots);
	return 0;
}

static void run_stress(struct ktest *t, int nr_threads, int rounds)
{
	struct stress_args args[4];
	struct task *tasks[4];

	for (int i = 0; i < nr_threads; i++) {
		args[i] = (struct stress_args){.seed = 1234 + (uint64_t)i, .rounds = rounds};
		KASSERT(kthread_create("mm-stress", stress_thread, &args[i], &tasks[i]) == 0);
	}
	for (int i = 0; i < nr_threads; i++) {
		KEXPECT_EQ(kthread_join(tasks[i]), 0);
		KEXPECT_EQ(args[i].nr_bad, 0);
	}
}

KTEST(mm, stress_under_preemption_keeps_contents_and_counts)
{
	uint64_t irqs_before = irq_count_timer();

	run_stress(t, 3, 2000); /* warm-up: slab caches settle */
	kmem_shrink(&kernel_kmem);
	uint64_t free_before = page_allocator_nr_free(&kernel_pages);
	run_stress(t, 3, 40000);
	kmem_shrink(&kernel_kmem);
	KEXPECT_EQ(page_allocator_nr_free(&kernel_pages), free_before);
	/* Long enough that the threads were preempted by the timer. */
	KEXPECT(irq_count_timer() > irqs_before + 2);
}

KTEST(mm, exhausting_all_ram_fails_cleanly_and_recovers)
{
	uint64_t free_before = page_allocator_nr_free(&kernel_pages);
	struct page *chain = NULL;
	uint64_t nr = 0;
	struct page *p;
	int err;

	/* Chain the pages through their own first word: no other memory needed. */
	while ((err = page_alloc(&kernel_pages, 0, &p)) == 0) {
		*(struct page **)page_to_virt(&kernel_pages, p) = chain;
		chain = p;
		nr++;
	}
	KEXPECT_EQ(err, -ENOMEM);
	KEXPECT_EQ(page_allocator_nr_free(&kernel_pages), 0);
	KEXPECT_EQ(nr, free_before);
	/* kmem may hand its spare slabs back, but a 2-page block cannot exist. */
	KEXPECT(kmalloc(PAGE_SIZE * 2) == NULL);
	while (page_alloc(&kernel_pages, 0, &p) == 0) {
		*(struct page **)page_to_virt(&kernel_pages, p) = chain;
		chain = p;
		nr++;
	}
	free_before = nr;
	while (chain) {
		struct page *next = *(struct page **)page_to_virt(&kernel_pages, chain);
		page_free(&kernel_pages, chain, 0);
		chain = next;
	}
	KEXPECT_EQ(page_allocator_nr_free(&kernel_pages), free_before);
	void *q = kmalloc(PAGE_SIZE * 2);
	KEXPECT(q != NULL);
	kfree(q);
}

KTEST(mm, large_blocks_coalesce_after_fragmentation)
{
	struct page *pages[512];
	struct page *big;
	int n = 0;

	/* Take 512 single pages, free every other one, then the rest. */
	for (n = 0; n < 512; n++) {
		if (page_alloc(&kernel_pages, 0, &pages[n]) != 0)
			break;
	}
	KASSERT_EQ(n, 512);
	for (int i = 0; i < n; i += 2)
		page_free(&kernel_pages, pages[i], 0);
	for (int i = 1; i < n; i += 2)
		page_free(&kernel_pages, pages[i], 0);
	KASSERT(page_alloc(&kernel_pages, MAX_ORDER - 1, &big) == 0);
	page_free(&kernel_pages, big, MAX_ORDER - 1);
}

KTEST(mm, kmalloc_memory_is_direct_mapped_and_writable)
{
	uint8_t *p = kmalloc(100);

	KASSERT(p != NULL);
	KEXPECT((uintptr_t)p >= PHYS_WINDOW_BASE());
	KEXPECT(IS_ALIGNED((uintptr_t)p, 16));
	memset(p, 0xa5, 100);
	KEXPECT(is_filled(p, 100, 0xa5));
	KEXPECT(kmem_size_of(&kernel_kmem, p) >= 100);
	kfree(p);
}
