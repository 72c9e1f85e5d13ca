/* SPDX-License-Identifier: MIT */
/*
 * User page tables (arch/x86_64/uvm.c): one per address space, sharing
 * the kernel half of the kernel's tables. Pages mapped here are owned by
 * the caller; uvm_destroy hands each back through put_page.
 */
#pragma once

#include <tern/types.h>

struct uvm;

enum uvm_prot {
	UVM_WRITE = 1 << 0,
	UVM_EXEC = 1 << 1,
	UVM_READ = 1 << 2, /* none of the three: a PROT_NONE entry that keeps its page */
};

int uvm_create(struct uvm **out) __must_check;
/* Maps the 4 KiB page at pa at user address va; 0, -EINVAL or -ENOMEM. */
int uvm_map(struct uvm *uvm, uint64_t va, uint64_t pa, unsigned int prot) __must_check;
/* Physical address mapped at va, or 0. */
uint64_t uvm_lookup(struct uvm *uvm, uint64_t va);
/*
 * The page at va, present or PROT_NONE: true with its frame in *pa and
 * what the entry allows now in *prot (0 for PROT_NONE).
 */
bool uvm_query(struct uvm *uvm, uint64_t va, uint64_t *pa, unsigned int *prot);
/* Removes the pages in [start, end), handing each frame to put_page. */
void uvm_unmap_range(struct uvm *uvm, uint64_t start, uint64_t end, void (*put_page)(uint64_t pa));
/*
 * Sets prot on the pages in [start, end). Write access is only ever
 * taken away here, never granted: a write fault grants it, after
 * deciding whether the page must be copied first.
 */
void uvm_protect_range(struct uvm *uvm, uint64_t start, uint64_t end, unsigned int prot);
/* Moves the pages of [old_start, old_start + len) to new_start; 0 or -ENOMEM. */
int uvm_move_range(struct uvm *uvm, uint64_t old_start, uint64_t new_start,
		   uint64_t len) __must_check;
/*
 * fork: maps src's pages of [start, end) at the same addresses in dst,
 * calling get_page for each. With cow, both sides lose write access so the
 * first write copies. 0, or -ENOMEM with part of the range copied.
 */
int uvm_copy_range(struct uvm *dst, struct uvm *src, uint64_t start, uint64_t end, bool cow,
		   void (*get_page)(uint64_t pa)) __must_check;
/* How many pages are mapped (present or PROT_NONE): the resident set. */
uint64_t uvm_resident_pages(const struct uvm *uvm);
/* Switches the CPU to this address space. */
void uvm_activate(struct uvm *uvm);
/* Switches back to kernel-only tables, frees uvm's tables, puts its pages. */
void uvm_destroy(struct uvm *uvm, void (*put_page)(uint64_t pa));
