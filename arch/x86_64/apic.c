// SPDX-License-Identifier: MIT
/*
 * Interrupt controllers: the legacy 8259 PICs are remapped and masked;
 * the local APIC takes the one-shot timer and EOIs; the I/O APIC routes
 * ISA device interrupts (after ACPI's overrides) to vectors 32 and up.
 * The timer's rate is calibrated against the TSC in tsc.c.
 */
#include <arch/trap.h>
#include <arch/x86.h>
#include <tern/arch.h>
#include <tern/errno.h>
#include <tern/irq.h>
#include <tern/sched.h>

#include "internal.h"

#define LAPIC_ID 0x20
#define LAPIC_TPR 0x80
#define LAPIC_EOI 0xb0
#define LAPIC_SVR 0xf0
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_CUR 0x390
#define LAPIC_TIMER_DIV 0x3e0
#define LVT_MASKED (1u << 16)
#define IOAPIC_DEFAULT_PHYS 0xfec00000
#define IOREGSEL 0x00
#define IOWIN 0x10

static volatile uint32_t *lapic;
static volatile uint32_t *ioapic;
static uint64_t lapic_ticks_per_ns_q32; /* timer ticks per ns, 32.32 fixed point */
static uint64_t nr_timer_irqs;

static uint32_t lapic_read(unsigned int reg)
{
	return lapic[reg / 4];
}

static void lapic_write(unsigned int reg, uint32_t v)
{
	lapic[reg / 4] = v;
}

void lapic_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}

static void ioapic_write(unsigned int reg, uint32_t v)
{
	ioapic[IOREGSEL / 4] = reg;
	ioapic[IOWIN / 4] = v;
}

static void pic_disable(void)
{
	/* Remap to 0x20/0x28 first so a stray IRQ is not taken as an exception. */
	outb(0x20, 0x11);
	outb(0xa0, 0x11);
	outb(0x21, 0x20);
	outb(0xa1, 0x28);
	outb(0x21, 4);
	outb(0xa1, 2);
	outb(0x21, 1);
	outb(0xa1, 1);
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
}

static void timer_irq(void *arg)
{
	(void)arg;
	nr_timer_irqs++;
	sched_timer_tick();
}

void apic_init(void)
{
	pic_disable();
	uint64_t base = rdmsr(MSR_APIC_BASE);
	wrmsr(MSR_APIC_BASE, base | (1 << 11)); /* global enable */
	lapic = ioremap(base & ~0xfffULL, PAGE_SIZE);
	lapic_write(LAPIC_TPR, 0);
	lapic_write(LAPIC_SVR, 0x100 | VEC_SPURIOUS);
	lapic_write(LAPIC_TIMER_DIV, 0x3); /* divide by 16 */
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | VEC_TIMER);
	ioapic = ioremap(acpi.ioapic_phys ? acpi.ioapic_phys : IOAPIC_DEFAULT_PHYS, PAGE_SIZE);
	for (int pin = 0; pin < 24; pin++) {
		ioapic_write(0x10 + 2 * pin, 1u << 16); /* masked */
		ioapic_write(0x11 + 2 * pin, 0);
	}
	trap_set_handler(VEC_TIMER, timer_irq, NULL);
}

/* Starts the timer counting down from its maximum, for calibration. */
void lapic_timer_start_free_running(void)
{
	lapic_write(LAPIC_TIMER_INIT, 0xffffffff);
}

uint32_t lapic_timer_elapsed(void)
{
	return 0xffffffff - lapic_read(LAPIC_TIMER_CUR);
}

void lapic_timer_set_rate(uint64_t hz)
{
	lapic_ticks_per_ns_q32 = (hz << 32) / 1000000000u;
	lapic_write(LAPIC_TIMER_INIT, 0);
	lapic_write(LAPIC_LVT_TIMER, VEC_TIMER); /* one-shot, unmasked */
}

void arch_timer_arm(uint64_t deadline_ns)
{
	if (!lapic_ticks_per_ns_q32)
		return;
	if (!deadline_ns) {
		lapic_write(LAPIC_TIMER_INIT, 0);
		return;
	}
	uint64_t now = clock_monotonic_ns();
	uint64_t delta = deadline_ns > now ? deadline_ns - now : 0;
	uint64_t ticks = (uint64_t)(((unsigned __int128)delta * lapic_ticks_per_ns_q32) >> 32);
	if (ticks == 0)
		ticks = 1;
	if (ticks > 0xffffffff)
		ticks = 0xffffffff;
	lapic_write(LAPIC_TIMER_INIT, (uint32_t)ticks);
}

uint64_t irq_count_timer(void)
{
	return nr_timer_irqs;
}

int irq_register_isa(unsigned int isa_irq, irq_handler_fn handler, void *arg)
{
	if (isa_irq >= 16)
		return -EINVAL;
	uint32_t gsi = acpi.isa_gsi[isa_irq];
	uint16_t flags = acpi.isa_flags[isa_irq];
	if (gsi < acpi.ioapic_gsi_base || gsi - acpi.ioapic_gsi_base >= 24)
		return -ENODEV;
	unsigned int pin = gsi - acpi.ioapic_gsi_base;
	int vector = VEC_IRQ_BASE + (int)isa_irq;
	uint32_t low = (uint32_t)vector;
	if ((flags & 3) == 3)
		low |= 1u << 13; /* active low */
	if (((flags >> 2) & 3) == 3)
		low |= 1u << 15; /* level triggered */
	trap_set_handler(vector, handler, arg);
	uint32_t apic_id = lapic_read(LAPIC_ID) >> 24;
	ioapic_write(0x11 + 2 * pin, apic_id << 24);
	ioapic_write(0x10 + 2 * pin, low);
	return 0;
}

uint64_t irq_count_isa(unsigned int isa_irq)
{
	return isa_irq < 16 ? trap_count(VEC_IRQ_BASE + (int)isa_irq) : 0;
}
