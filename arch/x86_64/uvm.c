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

int uvm_map(struct uvm *u, uint64_t va, uint64_t pa, unsigned int prot)
{
	if (!IS_ALIGNED(va, PAGE_SIZE) || va >= USER_ADDR_END || !IS_ALIGNED(pa, PAGE_SIZE))
		return -EINVAL;
	uint64_t *e = uvm_walk(u, va, true);
	if (!e)
		return -ENOMEM;
	*e = pa | PTE_P | PTE_U | ((prot & UVM_WRITE) ? PTE_W : 0) |
	     ((prot & UVM_EXEC) ? 0 : nx_bit);
	invlpg(va);
	return 0;
}

uint64_t uvm_lookup(struct uvm *u, uint64_t va)
{
	uint64_t *e = uvm_walk(u, va, false);

	return e && (*e & PTE_P) ? (*e & PTE_ADDR) + (va & (PAGE_SIZE - 1)) : 0;
}

void uvm_activate(struct uvm *u)
{
	write_cr3(virt_to_phys(u->pml4));
}

static void free_level(uint64_t *table, int level, void (*put_page)(uint64_t pa))
{
	for (int i = 0; i < 512; i++) {
		if (!(table[i] & PTE_P))
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
	if (read_cr3() == virt_to_phys(u->pml4))
		write_cr3(virt_to_phys(paging_kernel_pml4()));
	for (int i = 0; i < 256; i++) {
		if (u->pml4[i] & PTE_P)
			free_level(phys_to_virt(u->pml4[i] & PTE_ADDR), 2, put_page);
	}
	mm_put_page(virt_to_phys(u->pml4));
	kfree(u);
}
