/* SPDX-License-Identifier: MIT */
/*
 * What the boot loader told us, copied out of loader memory early so the
 * rest of the kernel never touches the loader's structures. Filled by
 * arch/x86_64/pvh.c.
 */
#pragma once

#include <tern/types.h>

enum boot_mem_type {
	BOOT_MEM_RAM = 1,
	BOOT_MEM_RESERVED = 2,
	BOOT_MEM_ACPI = 3,
	BOOT_MEM_NVS = 4,
	BOOT_MEM_UNUSABLE = 5,
};

struct boot_mem_region {
	uint64_t base; /* physical address */
	uint64_t size; /* bytes */
	uint32_t type; /* enum boot_mem_type */
};

#define BOOT_MAX_MEM_REGIONS 64
#define BOOT_CMDLINE_MAX 1024

struct boot_info {
	char cmdline[BOOT_CMDLINE_MAX];
	struct boot_mem_region mem[BOOT_MAX_MEM_REGIONS];
	int nr_mem;
	uint64_t initrd_phys; /* 0 when no initramfs was given */
	uint64_t initrd_size;
	uint64_t rsdp_phys; /* ACPI root pointer, 0 if unknown */
	uint64_t entry_tsc; /* TSC value at the first kernel instruction */
};

extern struct boot_info boot_info;

/* Total bytes of usable RAM in the memory map. */
uint64_t boot_ram_bytes(const struct boot_info *bi);
