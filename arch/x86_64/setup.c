// SPDX-License-Identifier: MIT
/*
 * arch_init: x86-64 bring-up in dependency order. Descriptor tables
 * first (so faults are reported), then memory (page tables, allocators),
 * then ACPI, which needs the direct map, then interrupt controllers and
 * the clocks calibrated against the PIT.
 */
#include <tern/kernel.h>

#include "internal.h"

void arch_init(const struct boot_info *bi)
{
	cpu_init();
	memory_init(bi);
	acpi_init(bi->rsdp_phys);
	apic_init();
	tsc_calibrate(bi->entry_tsc);
}
