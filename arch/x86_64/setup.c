// SPDX-License-Identifier: MIT
/*
 * arch_init: x86-64 bring-up in dependency order. Descriptor tables
 * first (so faults are reported), then memory (page tables, allocators),
 * then ACPI, which needs the direct map, then interrupt controllers and
 * the clocks calibrated against the PIT.
 */
#include <tern/base.h>
#include <tern/kernel.h>

#include "internal.h"

void arch_init(const struct boot_info *bi)
{
	cpu_init();
	memory_init(bi);
	acpi_init(bi->rsdp_phys);
	pr_info("acpi: %s, I/O APIC %#llx, PM1a_CNT %#x, sleep control %#llx, S5 type %d\n",
		acpi.is_present ? "found" : "absent", (unsigned long long)acpi.ioapic_phys,
		acpi.pm1a_cnt_port, (unsigned long long)acpi.sleep_ctl_addr, acpi.s5_type);
	apic_init();
	tsc_calibrate(bi->entry_tsc);
}
