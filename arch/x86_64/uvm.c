// SPDX-License-Identifier: MIT
/*
 * User page tables. A new address space gets a top-level table whose
 * upper half copies the kernel's (those 256 entries never change, see
 * paging_init), and builds its lower half on demand. The user bit is set
 * at every level of a user mapping; NX where the CPU has it.
 */
#include <arch/x86.h>
#include <tern/base.h>
#include <tern/errno.h>
#include <tern/mm.h>
#include <tern/string.h>
#include <tern/syscall.h>
#include <tern/uvm.h>

#include "internal.h"

#define PTE_U (1ULL << 2)
/*
 * A PROT_NONE page keeps its frame in a non-present entry marked with
 * this software bit, so mprotect back to readable finds it again.
 */
#define PTE_SW_PROTNONE (1ULL << 9)

struct uvm {
	uint64_t *pml4; /* virtual address of the top-level table */
};

int uvm_create(struct uvm **out)
{
	struct uvm *u = kzalloc(sizeof(*u));
	uint64_t pa;

	if (!u)
		return -ENOMEM;
	pa = mm_alloc_zeroed_page();
	if (!pa) {
		kfree(u);
		return -ENOMEM;
	}
	u->pml4 = phys_to_virt(pa);
	memcpy(u->pml4 + 256, paging_kernel_pml4() + 256, 256 * sizeof(uint64_t));
	*out = u;
	return 0;
}

static uint64_t *uvm_walk(struct uvm *u, uint64_t va, bool create)
{
	uint64_t *table = u->pml4;

	for (int level = 3; level > 0; level--) {
		uint64_t *e = &table[(va >> (12 + 9 * level)) & 511];
		if (!(*e & PTE_P)) {
			if (!create)
				return NULL;
			uint64_t pa = mm_alloc_zeroed_page();
			if (!pa)
				return NULL;
			*e = pa | PTE_P | PTE_W | PTE_U;
		}
		table = phys_to_virt(*e & PTE_ADDR);
	}
	return &table[(va >> 12) & 511];
}

static bool is_active(const struct uvm *u)
{
	return read_cr3() == virt_to_phys(u->pml4);
}

static void flush_one(const struct uvm *u, uint64_t va)
{
	if (is_active(u))
		invlpg(va);
}

static uint64_t make_pte(uint64_t pa, unsigned int prot)
{
	if (!(prot & (UVM_READ | UVM_WRITE | UVM_EXEC)))
		return pa | PTE_SW_PROTNONE;
	return pa | PTE_P | PTE_U | ((prot & UVM_WRITE) ? PTE_W : 0) |
	       ((prot & UVM_EXEC) ? 0 : nx_bit);
}

static bool has_frame(uint64_t pte)
{
	return pte & (PTE_P | PTE_SW_PROTNONE);
}

int uvm_map(struct uvm *u, uint64_t va, uint64_t pa, unsigned int prot)
{
	if (!IS_ALIGNED(va, PAGE_SIZE) || va >= USER_ADDR_END || !IS_ALIGNED(pa, PAGE_SIZE))
		return -EINVAL;
	uint64_t *e = uvm_walk(u, va, true);
	if (!e)
		return -ENOMEM;
	*e = make_pte(pa, prot);
	flush_one(u, va);
	return 0;
}

uint64_t uvm_lookup(struct uvm *u, uint64_t va)
{
	uint64_t *e = uvm_walk(u, va, false);

	return e && (*e & PTE_P) ? (*e & PTE_ADDR) + (va & (PAGE_SIZE - 1)) : 0;
}

bool uvm_query(struct uvm *u, uint64_t va, uint64_t *pa, unsigned int *prot)
{
	uint64_t *e = uvm_walk(u, va, false);

	if (!e || !has_frame(*e))
		return false;
	*pa = *e & PTE_ADDR;
	*prot = 0;
	if (*e & PTE_P)
		*prot = UVM_READ | ((*e & PTE_W) ? UVM_WRITE : 0) | ((*e & nx_bit) ? 0 : UVM_EXEC);
	return true;
}

/*
 * Calls fn on every entry holding a frame in [start, end), skipping
 * absent tables whole. fn may rewrite the entry; the TLB is the
 * caller's business.
 */
static void for_each_pte(struct uvm *u, uint64_t start, uint64_t end,
			 void (*fn)(void *ctx, uint64_t va, uint64_t *pte), void *ctx)
{
	uint64_t va = start;

	while (va < end) {
		uint64_t *table = u->pml4;
		int level;
		for (level = 3; level > 0; level--) {
			uint64_t e = table[(va >> (12 + 9 * level)) & 511];
			if (!(e & PTE_P))
				break;
			table = phys_to_virt(e & PTE_ADDR);
		}
		if (level > 0) { /* no table here: skip what it would cover */
			uint64_t span = 1ULL << (12 + 9 * level);
			va = ALIGN_DOWN(va, span) + span;
			continue;
		}
		uint64_t *pte = &table[(va >> 12) & 511];
		if (has_frame(*pte))
			fn(ctx, va, pte);
		va += PAGE_SIZE;
	}
}

/* Flushes a range after its entries changed: a few pages one by one, else everything. */
static void flush_range(const struct uvm *u, uint64_t start, uint64_t end)
{
	if (!is_active(u))
		return;
	if (end - start > 32 * PAGE_SIZE) {
		write_cr3(read_cr3());
		return;
	}
	for (uint64_t va = start; va < end; va += PAGE_SIZE)
		invlpg(va);
}

struct unmap_ctx {
	void (*put_page)(uint64_t pa);
};

static void unmap_one(void *ctx, uint64_t va, uint64_t *pte)
{
	struct unmap_ctx *c = ctx;
	uint64_t pa = *pte & PTE_ADDR;

	(void)va;
	*pte = 0;
	c->put_page(pa);
}

void uvm_unmap_range(struct uvm *u, uint64_t start, uint64_t end, void (*put_page)(uint64_t pa))
{
	struct unmap_ctx c = {put_page};

	for_each_pte(u, start, end, unmap_one, &c);
	flush_range(u, start, end);
}

static void protect_one(void *ctx, uint64_t va, uint64_t *pte)
{
	unsigned int prot = *(const unsigned int *)ctx;
	uint64_t pa = *pte & PTE_ADDR;
	bool writable = (*pte & PTE_P) && (*pte & PTE_W) && (prot & UVM_WRITE);

	(void)va;
	*pte = make_pte(pa, (prot & ~UVM_WRITE) | (writable ? UVM_WRITE : 0));
}

void uvm_protect_range(struct uvm *u, uint64_t start, uint64_t end, unsigned int prot)
{
	for_each_pte(u, start, end, protect_one, &prot);
	flush_range(u, start, end);
}

struct move_ctx {
	struct uvm *u;
	int64_t delta;
	int err;
};

static void move_one(void *ctx, uint64_t va, uint64_t *pte)
{
	struct move_ctx *c = ctx;
	uint64_t *to = uvm_walk(c->u, va + (uint64_t)c->delta, true);

	if (!to) {
		c->err = -ENOMEM;
		return;
	}
	*to = *pte;
	*pte = 0;
}

int uvm_move_range(struct uvm *u, uint64_t old_start, uint64_t new_start, uint64_t len)
{
	struct move_ctx c = {u, (int64_t)(new_start - old_start), 0};

	/* Ranges may overlap: walk so no entry is overwritten before it moves. */
	if (new_start > old_start && new_start < old_start + len) {
		for (uint64_t off = len; off > 0 && !c.err; off -= PAGE_SIZE) {
			uint64_t *pte = uvm_walk(u, old_start + off - PAGE_SIZE, false);
			if (pte && has_frame(*pte))
				move_one(&c, old_start + off - PAGE_SIZE, pte);
		}
	} else {
		for_each_pte(u, old_start, old_start + len, move_one, &c);
	}
	flush_range(u, old_start, old_start + len);
	flush_range(u, new_start, new_start + len);
	return c.err;
}

struct fork_ctx {
	struct uvm *src;
	struct uvm *dst;
	bool cow;
	void (*get_page)(uint64_t pa);
	int err;
};

static void fork_one(void *ctx, uint64_t va, uint64_t *pte)
{
	struct fork_ctx *c = ctx;
	uint64_t *to;

	if (c->err)
		return;
	to = uvm_walk(c->dst, va, true);
	if (!to) {
		c->err = -ENOMEM;
		return;
	}
	if (c->cow)
		*pte &= ~PTE_W;
	*to = *pte;
	c->get_page(*pte & PTE_ADDR);
}

int uvm_copy_range(struct uvm *dst, struct uvm *src, uint64_t start, uint64_t end, bool cow,
		   void (*get_page)(uint64_t pa))
{
	struct fork_ctx c = {src, dst, cow, get_page, 0};

	for_each_pte(src, start, end, fork_one, &c);
	if (cow)
		flush_range(src, start, end);
	return c.err;
}

/*
 * Loading CR3 flushes the TLB, so switching between threads of one
 * process keeps it. That is safe: while the tables are loaded every
 * change to them is flushed (flush_one, flush_range), and uvm_destroy
 * unloads them before their pages can be reused.
 */
void uvm_activate(struct uvm *u)
{
	if (!is_active(u))
		write_cr3(virt_to_phys(u->pml4));
}

static void free_level(uint64_t *table, int level, void (*put_page)(uint64_t pa))
{
	for (int i = 0; i < 512; i++) {
		if (!(table[i] & PTE_P) && !(level == 0 && has_frame(table[i])))
			continue;
		uint64_t pa = table[i] & PTE_ADDR;
		if (level == 0)
			put_page(pa);
		else
			free_level(phys_to_virt(pa), level - 1, put_page);
	}
	mm_put_page(virt_to_phys(table));
}

void uvm_destroy(struct uvm *u, void (*put_page)(uint64_t pa))
{
	if (is_active(u))
		write_cr3(virt_to_phys(paging_kernel_pml4()));
	for (int i = 0; i < 256; i++) {
		if (u->pml4[i] & PTE_P)
			free_level(phys_to_virt(u->pml4[i] & PTE_ADDR), 2, put_page);
	}
	mm_put_page(virt_to_phys(u->pml4));
	kfree(u);
}
