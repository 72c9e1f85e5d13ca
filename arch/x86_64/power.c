// SPDX-License-Identifier: MIT
/*
 * Leaving the VM: ACPI soft-off (PM1a control on pc/q35, the sleep
 * control register on hardware-reduced microvm), and the isa-debug-exit
 * device the test runner adds at port 0xf4, through which a test run
 * hands its status to the host (QEMU exits with status*2+1).
 */
#include <arch/x86.h>
#include <tern/arch.h>
#include <tern/base.h>

#include "internal.h"

#define DEBUG_EXIT_PORT 0xf4
#define SLP_EN_PM1 (1u << 13)
#define SLP_EN_HW_REDUCED (1u << 5)

/*
 * Without an _S5 object (QEMU's microvm DSDT has none) use the sleep type
 * QEMU's devices treat as soft-off: 5 for the generic event device's
 * sleep control register, 0 for PIIX4/ICH9 PM1a control.
 */
static int soft_off_type(void)
{
	if (acpi.s5_type >= 0)
		return acpi.s5_type;
	return acpi.sleep_ctl_addr ? 5 : 0;
}

void arch_power_off(void)
{
	int typ = soft_off_type();

	irq_disable();
	if (acpi.sleep_ctl_addr) {
		uint8_t v = (uint8_t)(((typ & 7) << 2) | SLP_EN_HW_REDUCED);
		if (acpi.sleep_ctl_is_io) {
			outb((uint16_t)acpi.sleep_ctl_addr, v);
		} else {
			volatile uint8_t *reg = ioremap(acpi.sleep_ctl_addr, 1);
			*reg = v;
		}
	}
	if (acpi.pm1a_cnt_port)
		outw((uint16_t)acpi.pm1a_cnt_port, (uint16_t)((typ & 7) << 10 | SLP_EN_PM1));
	/* The VM may take a moment to act on the write (TCG on a loaded host). */
	uint64_t deadline = clock_monotonic_ns() + 1000000000ULL;
	while (clock_monotonic_ns() < deadline)
		__builtin_ia32_pause();
}

void arch_exit_vm(int status)
{
	irq_disable();
	outl(DEBUG_EXIT_PORT, (uint32_t)status);
	arch_power_off();
	for (;;)
		halt();
}
