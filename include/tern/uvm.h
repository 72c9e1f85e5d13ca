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
};

int uvm_create(struct uvm **out) __must_check;
/* Maps the 4 KiB page at pa at user address va; 0, -EINVAL or -ENOMEM. */
int uvm_map(struct uvm *uvm, uint64_t va, uint64_t pa, unsigned int prot) __must_check;
/* Physical address mapped at va, or 0. */
uint64_t uvm_lookup(struct uvm *uvm, uint64_t va);
/* Switches the CPU to this address space. */
void uvm_activate(struct uvm *uvm);
/* Switches back to kernel-only tables, frees uvm's tables, puts its pages. */
void uvm_destroy(struct uvm *uvm, void (*put_page)(uint64_t pa));
