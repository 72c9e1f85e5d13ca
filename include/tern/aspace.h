/* SPDX-License-Identifier: MIT */
/*
 * A process address space (mm/aspace.c): the VMA set (vma.h) that says
 * what may be mapped, the page tables (uvm.h) that say what is, demand
 * paging and copy-on-write between them, and the break. Threads share
 * one; fork copies it; execve replaces it.
 *
 * Locks: m = aspace.lock (a mutex: faults sleep for memory). Never held
 * across a user copy, which may fault and take it again. p = aspace.pt_lock,
 * around every change to the page tables: truncation unmaps file pages
 * from other processes' tables holding only a file's reverse map lock.
 * Order: aspace.lock, vfs->lock (a file's map_page), vma_rmap.lock, pt_lock.
 */
#pragma once

#include <tern/base.h>
#include <tern/vma.h>

struct uvm;
struct file;

/* Where exec put the heap, the stack and the strings; fork copies it whole. */
struct aspace_layout {
	uint64_t brk_start; /* first byte of the heap (end of the image) */
	uint64_t brk;	    /* the current break, as brk(2) reports it */
	uint64_t stack_top; /* top of the main stack; it grows down RLIMIT_STACK from here */
	/* Set by exec before anyone sees the space: argv and envp strings, for /proc. */
	uint64_t arg_start, arg_end;
	uint64_t env_start, env_end;
};

struct aspace {
	struct mutex lock; /* m */
	int refcount;	   /* atomic: tasks using it (threads, vfork children) */
	struct uvm *uvm;   /* I; its entries p */
	struct mutex pt_lock;
	struct vma_set vmas;	    /* m */
	struct aspace_layout lay;   /* m (args and environment: I) */
	int move_err;		    /* m: scratch for mremap's page moves */
	uint64_t rss_hiwater_pages; /* m: the most pages ever resident (getrusage's maxrss) */
};

/* Access kinds for aspace_fault. */
enum fault_flags {
	FAULT_WRITE = 1 << 0,
	FAULT_EXEC = 1 << 1,
};

int aspace_create(struct aspace **out) __must_check;
/* fork: a copy of src whose private pages are shared copy-on-write. */
int aspace_fork(struct aspace *src, struct aspace **out) __must_check;
void aspace_get(struct aspace *as);
/* Drops a reference; the last one frees every page and table. */
void aspace_put(struct aspace *as);
/* Switches the CPU to as (context switch and exec). */
void aspace_activate(struct aspace *as);
struct uvm *aspace_uvm(struct aspace *as);

/*
 * A fault at addr; the main stack may grow to stack_max bytes (RLIMIT_STACK).
 * 0 if it is now mapped; -EFAULT if no area covers addr
 * (SEGV_MAPERR), -EACCES if the area forbids the access (SEGV_ACCERR),
 * -ENOMEM if memory ran out, -ENXIO if a file mapping reaches past the
 * end of its file or the file has no room (SIGBUS).
 */
int aspace_fault(struct aspace *as, uint64_t addr, unsigned int flags,
		 uint64_t stack_max) __must_check;

/* mmap of anonymous memory; VMA_SHARED in flags makes it shared. *out = address. */
int aspace_map_anon(struct aspace *as, uint64_t addr, uint64_t len, uint32_t prot,
		    uint32_t vma_flags, bool fixed, bool noreplace, uint64_t *out) __must_check;
/*
 * mmap of file (which the mapping references until it goes) at file page
 * pgoff; VMA_SHARED in vma_flags makes writes reach the file. The caller
 * has checked the open mode against prot. *out = address.
 */
int aspace_map_file(struct aspace *as, struct file *file, uint64_t addr, uint64_t len,
		    uint32_t prot, uint32_t vma_flags, uint64_t pgoff, bool fixed, bool noreplace,
		    uint64_t *out) __must_check;
/*
 * Copies len bytes of data to addr in as, which need not be the active
 * space, faulting pages in as a write would (exec fills a new image
 * this way); 0, -EFAULT or -EACCES (as aspace_fault) or -ENOMEM.
 */
int aspace_write(struct aspace *as, uint64_t addr, const void *data, uint64_t len) __must_check;
/*
 * The reading counterpart, for /proc/[pid]/cmdline and environ: copies up
 * to len bytes at addr in as into buf, faulting pages in as a read would,
 * and stops early at an inaccessible page. *done gets the bytes copied.
 */
void aspace_read(struct aspace *as, uint64_t addr, void *buf, uint64_t len, uint64_t *done);
int aspace_unmap(struct aspace *as, uint64_t addr, uint64_t len) __must_check;
int aspace_protect(struct aspace *as, uint64_t addr, uint64_t len, uint32_t prot) __must_check;
int aspace_remap(struct aspace *as, uint64_t old_addr, uint64_t old_len, uint64_t new_len,
		 uint32_t flags, uint64_t new_addr, uint64_t *out) __must_check;
/* madvise(MADV_DONTNEED): drops the pages; private memory reads as zeros again. */
int aspace_discard(struct aspace *as, uint64_t addr, uint64_t len) __must_check;
/* brk(2): returns the new break, or the old one when it cannot move. */
uint64_t aspace_brk(struct aspace *as, uint64_t new_brk);
/* Faults in [addr, addr + len) for writing (MAP_POPULATE); errors ignored. */
void aspace_populate(struct aspace *as, uint64_t addr, uint64_t len);
/* madvise flag changes: vma_set_flags on as. */
int aspace_set_flags(struct aspace *as, uint64_t addr, uint64_t len, uint32_t set_mask,
		     uint32_t clear_mask) __must_check;
/* mincore: one byte per page of [addr, addr + len), 1 if resident; -ENOMEM on a hole. */
int aspace_residency(struct aspace *as, uint64_t addr, uint64_t len, uint8_t *vec) __must_check;
/* True when [addr, addr + len) is all mapped (msync, mlock, madvise checks). */
bool aspace_is_mapped(struct aspace *as, uint64_t addr, uint64_t len);
/* The file an area of as maps, or NULL; valid while as->lock is held. */
struct file *aspace_vma_file(const struct vma *v);
/*
 * The inode number of the shared anonymous memory an area maps (unique
 * among live objects, the same in every area and process sharing it),
 * or 0 for any other area; valid while as->lock is held.
 */
uint64_t aspace_vma_shared_anon_ino(const struct vma *v);
/* The largest resident set the space has had, in pages. */
uint64_t aspace_rss_hiwater_pages(struct aspace *as);
/* Bytes of address space in use, for RLIMIT_AS. */
uint64_t aspace_mapped_bytes(struct aspace *as);
