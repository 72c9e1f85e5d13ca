// SPDX-License-Identifier: MIT
/*
 * PVH boot protocol: copies the hvm_start_info that the loader left in
 * low memory (command line, memory map, first module = initramfs, ACPI
 * RSDP) into struct boot_info. The layout below is Xen's public ABI
 * (xen/include/public/arch-x86/hvm/start_info.h), which Linux's UAPI
 * headers do not carry.
 */
#include <tern/base.h>
#include <tern/boot.h>
#include <tern/string.h>

#include "internal.h"

#define HVM_START_MAGIC 0x336ec578

struct hvm_start_info {
	uint32_t magic;
	uint32_t version;
	uint32_t flags;
	uint32_t nr_modules;
	uint64_t modlist_paddr;
	uint64_t cmdline_paddr;
	uint64_t rsdp_paddr;
	uint64_t memmap_paddr;	 /* version 1 and later */
	uint32_t memmap_entries; /* version 1 and later */
	uint32_t reserved;
};

struct hvm_modlist_entry {
	uint64_t paddr;
	uint64_t size;
	uint64_t cmdline_paddr;
	uint64_t reserved;
};

struct hvm_memmap_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
	uint32_t reserved;
};

_Static_assert(sizeof(struct hvm_start_info) == 56, "hvm_start_info layout");
_Static_assert(sizeof(struct hvm_memmap_entry) == 24, "hvm_memmap_entry layout");

struct boot_info boot_info;
extern uint64_t boot_tsc;

uint64_t boot_ram_bytes(const struct boot_info *bi)
{
	uint64_t total = 0;

	for (int i = 0; i < bi->nr_mem; i++) {
		if (bi->mem[i].type == BOOT_MEM_RAM)
			total += bi->mem[i].size;
	}
	return total;
}

/* Early boot maps only the first GiB; loader data always lives there. */
static const void *early_phys(uint64_t pa)
{
	if (pa >= (1UL << 30))
		panic("pvh: loader data at %#lx is beyond the early map\n", (unsigned long)pa);
	return phys_to_virt(pa);
}

void pvh_parse(uint64_t start_info_pa)
{
	const struct hvm_start_info *si = early_phys(start_info_pa);

	boot_info.entry_tsc = boot_tsc;
	if (si->magic != HVM_START_MAGIC)
		panic("pvh: bad start_info magic %#x\n", si->magic);
	if (si->cmdline_paddr)
		strlcpy(boot_info.cmdline, early_phys(si->cmdline_paddr),
			sizeof(boot_info.cmdline));
	boot_info.rsdp_phys = si->rsdp_paddr;
	if (si->nr_modules && si->modlist_paddr) {
		const struct hvm_modlist_entry *mod = early_phys(si->modlist_paddr);
		boot_info.initrd_phys = mod->paddr;
		boot_info.initrd_size = mod->size;
	}
	if (si->version < 1 || !si->memmap_paddr)
		panic("pvh: loader gave no memory map (start_info version %u)\n", si->version);
	const struct hvm_memmap_entry *e = early_phys(si->memmap_paddr);
	for (uint32_t i = 0; i < si->memmap_entries && i < BOOT_MAX_MEM_REGIONS; i++) {
		boot_info.mem[i].base = e[i].addr;
		boot_info.mem[i].size = e[i].size;
		boot_info.mem[i].type = e[i].type;
		boot_info.nr_mem++;
	}
}
