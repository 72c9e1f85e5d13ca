// SPDX-License-Identifier: MIT
/*
 * arch_init: x86-64 bring-up in dependency order. Descriptor tables
 * first (so faults are reported), then memory (page tables, allocators),
 * then ACPI, which needs the direct map, then interrupt controllers and
 * the clocks calibrated against the PIT. The time each step took is
 * logged at debug level (loglevel=8).
 */
#include <arch/x86.h>
#include <tern/base.h>
#include <tern/kernel.h>

#include "internal.h"

void arch_init(const struct boot_info *bi)
{
	uint64_t tsc[5];

	tsc[0] = rdtsc();
	cpu_init();
	tsc[1] = rdtsc();
	memory_init(bi);
	tsc[2] = rdtsc();
	acpi_init(bi->rsdp_phys);
	apic_init();
	tsc[3] = rdtsc();
	tsc_calibrate(bi->entry_tsc);
	tsc[4] = rdtsc();
	vdso_init();
	pr_debug("acpi: %s, I/O APIC %#llx, PM1a_CNT %#x, sleep control %#llx, S5 type %d\n",
		 acpi.is_present ? "found" : "absent", (unsigned long long)acpi.ioapic_phys,
		 acpi.pm1a_cnt_port, (unsigned long long)acpi.sleep_ctl_addr, acpi.s5_type);
	pr_debug("boot: early %llu us, cpu %llu us, memory %llu us, acpi+apic %llu us, "
		 "clock calibration %llu us\n",
		 (unsigned long long)tsc_to_ns(tsc[0] - bi->entry_tsc) / 1000,
		 (unsigned long long)tsc_to_ns(tsc[1] - tsc[0]) / 1000,
		 (unsigned long long)tsc_to_ns(tsc[2] - tsc[1]) / 1000,
		 (unsigned long long)tsc_to_ns(tsc[3] - tsc[2]) / 1000,
		 (unsigned long long)tsc_to_ns(tsc[4] - tsc[3]) / 1000);
}
