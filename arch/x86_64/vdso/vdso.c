// SPDX-License-Identifier: MIT
/*
 * The kernel's side of the vDSO. At boot the image (vdso_user.c, linked
 * by vdso.lds, embedded by image.S) is copied into pages that every
 * process then shares, and the data page its clocks read (vdso_data.h)
 * is filled from the TSC calibration (tsc.c) and the wall clock
 * (kernel/time.c). exec maps both into the new address space: the data
 * page read-only, the image read-and-execute just above it. The areas
 * are ordinary private ones whose entries point at these shared pages,
 * so fork keeps them and a write (after mprotect) gets a private copy.
 */
#include <asm-generic/mman-common.h>
#include <tern/arch.h>
#include <tern/aspace.h>
#include <tern/base.h>
#include <tern/errno.h>
#include <tern/mm.h>
#include <tern/string.h>
#include <tern/time.h>
#include <tern/uvm.h>

#include "../internal.h"
#include "vdso_data.h"

#define VDSO_MAX_PAGES 4

extern const char vdso_image_start[], vdso_image_end[];

static struct vdso_data *data;		  /* the data page, through the direct map */
static uint64_t data_pa;		  /* 0 until vdso_init */
static uint64_t image_pa[VDSO_MAX_PAGES]; /* the image's pages, one reference each */
static uint64_t nr_image_pages;

static uint64_t alloc_page(void)
{
	uint64_t pa = mm_alloc_zeroed_page();

	if (!pa)
		panic("vdso: out of memory at boot\n");
	return pa;
}

void vdso_init(void)
{
	uint64_t len = (uint64_t)(vdso_image_end - vdso_image_start);
	uint64_t tsc_base, ns_per_tick_q32;

	nr_image_pages = ALIGN_UP(len, PAGE_SIZE) / PAGE_SIZE;
	if (nr_image_pages > VDSO_MAX_PAGES)
		panic("vdso: image of %llu bytes is too large\n", (unsigned long long)len);
	for (uint64_t i = 0; i < nr_image_pages; i++) {
		image_pa[i] = alloc_page();
		uint64_t off = i * PAGE_SIZE;
		memcpy(phys_to_virt(image_pa[i]), vdso_image_start + off,
		       MIN(PAGE_SIZE, len - off));
	}
	data_pa = alloc_page();
	data = phys_to_virt(data_pa);
	tsc_clock_params(&tsc_base, &ns_per_tick_q32);
	data->tsc_base = tsc_base;
	data->ns_per_tick_q32 = ns_per_tick_q32;
	data->is_uniprocessor = 1;
	/* Without a calibrated TSC every read goes to the syscall. */
	data->clock_mode = ns_per_tick_q32 ? VDSO_CLOCK_TSC : VDSO_CLOCK_NONE;
}

void arch_wall_clock_changed(void)
{
	uint32_t seq = data->seq;

	WRITE_ONCE(data->seq, seq + 1);
	barrier(); /* x86 keeps stores in order; the compiler must too */
	WRITE_ONCE(data->realtime_offset_ns, clock_realtime_offset_ns());
	barrier();
	WRITE_ONCE(data->seq, seq + 2);
}

/* Maps the shared page pa at va in as, taking a reference for the mapping. */
static int map_shared_page(struct aspace *as, uint64_t va, uint64_t pa, unsigned int prot)
{
	int err = uvm_map(aspace_uvm(as), va, pa, prot);

	if (!err)
		mm_get_page(pa);
	return err;
}

/*
 * as is a new address space no other thread can see yet, so its page
 * tables can be filled without its lock. On error the caller drops as,
 * which puts back the references taken so far.
 */
int arch_vdso_map(struct aspace *as, uint64_t *out_base)
{
	uint64_t len = (1 + nr_image_pages) * PAGE_SIZE;
	uint64_t at;
	int err;

	*out_base = 0;
	if (!data_pa)
		return 0;
	err = aspace_map_anon(as, 0, len, PROT_READ, 0, false, false, &at);
	if (!err)
		err = aspace_protect(as, at + PAGE_SIZE, len - PAGE_SIZE, PROT_READ | PROT_EXEC);
	if (!err)
		err = map_shared_page(as, at, data_pa, UVM_READ);
	for (uint64_t i = 0; !err && i < nr_image_pages; i++)
		err = map_shared_page(as, at + (i + 1) * PAGE_SIZE, image_pa[i],
				      UVM_READ | UVM_EXEC);
	if (!err)
		*out_base = at + PAGE_SIZE;
	return err;
}
