// SPDX-License-Identifier: MIT
/*
 * Kernel thread stacks in their own virtual area: slot i spans
 * KSTACK_SLOT bytes at KVA_BASE + i * KSTACK_SLOT; only the top
 * KSTACK_SIZE bytes are mapped, so running off the bottom of a stack
 * hits unmapped guard pages (a double fault on its own IST stack).
 */
#include <arch/layout.h>
#include <tern/arch.h>
#include <tern/errno.h>
#include <tern/mm.h>
#include <tern/sched.h>

#include "internal.h"

#define KSTACK_SIZE (16 * 1024)
#define KSTACK_SLOT (64 * 1024)
#define NR_SLOTS 4096

static struct spinlock slot_lock = {0};
static uint64_t slot_used[NR_SLOTS / 64]; /* slot_lock */

static int slot_get(void)
{
	int slot = -ENOMEM;

	spin_lock(&slot_lock);
	for (int i = 0; i < NR_SLOTS; i++) {
		if (!(slot_used[i / 64] & (1ULL << (i % 64)))) {
			slot_used[i / 64] |= 1ULL << (i % 64);
			slot = i;
			break;
		}
	}
	spin_unlock(&slot_lock);
	return slot;
}

static void slot_put(int slot)
{
	spin_lock(&slot_lock);
	slot_used[slot / 64] &= ~(1ULL << (slot % 64));
	spin_unlock(&slot_lock);
}

static void unmap_and_free(uintptr_t base, uintptr_t top)
{
	for (uintptr_t va = base; va < top; va += PAGE_SIZE) {
		if (!arch_is_mapped(va))
			continue;
		uint64_t pa = paging_translate(va);
		paging_unmap(va);
		mm_put_page(pa);
	}
}

int kstack_alloc(struct kstack *out)
{
	int slot = slot_get();

	if (slot < 0)
		return slot;
	uintptr_t top = KVA_BASE + (uint64_t)(slot + 1) * KSTACK_SLOT;
	uintptr_t base = top - KSTACK_SIZE;
	for (uintptr_t va = base; va < top; va += PAGE_SIZE) {
		uint64_t pa = mm_alloc_zeroed_page();
		if (!pa || paging_map(va, pa, PTE_W | nx_bit, false) != 0) {
			if (pa)
				mm_put_page(pa);
			unmap_and_free(base, top);
			slot_put(slot);
			return -ENOMEM;
		}
	}
	*out = (struct kstack){.base = base, .top = top, .slot = slot};
	return 0;
}

void kstack_free(struct kstack *ks)
{
	if (ks->slot < 0)
		return;
	unmap_and_free(ks->base, ks->top);
	slot_put(ks->slot);
	ks->slot = -1;
}
