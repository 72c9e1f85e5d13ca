/* SPDX-License-Identifier: MIT */
/*
 * Device interrupts: a driver names the ISA IRQ or GSI it uses and a
 * handler; arch/x86_64/apic.c routes it through the I/O APIC to a vector.
 * Handlers run with interrupts disabled and must not sleep.
 */
#pragma once

#include <tern/types.h>

typedef void (*irq_handler_fn)(void *arg);

/* Routes ISA IRQ isa_irq (after ACPI overrides) to handler; 0 or -errno. */
int irq_register_isa(unsigned int isa_irq, irq_handler_fn handler, void *arg) __must_check;
/* Interrupt counters, for tests and the console. */
uint64_t irq_count_isa(unsigned int isa_irq);
uint64_t irq_count_timer(void);
