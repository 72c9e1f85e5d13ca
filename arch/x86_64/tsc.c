// SPDX-License-Identifier: MIT
/*
 * The monotonic clock: TSC ticks since the kernel's first instruction,
 * scaled to nanoseconds. The TSC and local-APIC timer rates are measured
 * together against the 8254 PIT (1.193182 MHz, channel 0 read back by
 * latching, so no speaker gate is needed). Wall-clock time adds the RTC
 * reading taken at boot (drivers/rtc).
 */
#include <arch/x86.h>
#include <tern/base.h>

#include "internal.h"

#define PIT_HZ 1193182
#define PIT_CH0 0x40
#define PIT_CMD 0x43
#define CALIBRATE_PIT_TICKS 11932 /* 10 ms */

static uint64_t tsc_at_entry;
static uint64_t ns_per_tick_q32; /* 32.32 fixed point; 0 until calibrated */
static uint64_t tsc_hz;

static uint16_t pit_read(void)
{
	outb(PIT_CMD, 0x00); /* latch channel 0 */
	uint8_t lo = inb(PIT_CH0);
	uint8_t hi = inb(PIT_CH0);
	return (uint16_t)(lo | hi << 8);
}

/*
 * Reads the PIT and returns the TSC at the middle of the read. Of a few
 * reads it keeps the one the TSC brackets most tightly: a host stall in
 * the middle of an emulated port access would otherwise move the
 * midpoint by up to the stall (TCG on a loaded host), and a 1 ms error
 * over the 10 ms window is a 10% error in every clock.
 */
static uint16_t pit_read_timed(uint64_t *tsc_mid)
{
	uint64_t best_width = UINT64_MAX;
	uint16_t best = 0;

	for (int i = 0; i < 4; i++) {
		uint64_t before = rdtsc();
		uint16_t count = pit_read();
		uint64_t after = rdtsc();
		if (after - before < best_width) {
			best_width = after - before;
			best = count;
			*tsc_mid = before + (after - before) / 2;
		}
	}
	return best;
}

/*
 * Outline: let PIT channel 0 count down from 0xffff (mode 0); read it,
 * noting the TSC around the read and the APIC timer's count, until at
 * least CALIBRATE_PIT_TICKS have passed; the TSC and APIC deltas over
 * the PIT delta give both rates. Timing each read at its midpoint keeps
 * the (slow, when emulated) port accesses out of the measurement.
 */
void tsc_calibrate(uint64_t entry_tsc)
{
	uint64_t t0, t1;

	tsc_at_entry = entry_tsc;
	outb(PIT_CMD, 0x30); /* channel 0, lo/hi, mode 0 */
	outb(PIT_CH0, 0xff);
	outb(PIT_CH0, 0xff);

	uint16_t c0 = pit_read_timed(&t0);
	uint64_t apic_t0 = rdtsc();
	lapic_timer_start_free_running();
	apic_t0 += (rdtsc() - apic_t0) / 2;
	uint16_t c1;
	do {
		c1 = pit_read();
	} while (c1 <= c0 && c0 - c1 < CALIBRATE_PIT_TICKS);
	c1 = pit_read_timed(&t1);
	uint64_t apic_t1 = rdtsc();
	uint32_t apic_ticks = lapic_timer_elapsed();
	apic_t1 += (rdtsc() - apic_t1) / 2;
	uint64_t pit_ticks = c1 <= c0 ? c0 - c1 : CALIBRATE_PIT_TICKS;

	tsc_hz = (t1 - t0) * PIT_HZ / pit_ticks;
	ns_per_tick_q32 = (1000000000ULL << 32) / tsc_hz;
	/*
	 * The APIC timer is timed against the TSC over its own interval: its
	 * start and its reading are not where the chosen PIT reads were.
	 */
	/* 64 bits suffice: ~10 ms of APIC ticks times a TSC rate in Hz. */
	lapic_timer_set_rate((uint64_t)apic_ticks * tsc_hz / (apic_t1 - apic_t0));
}

uint64_t tsc_frequency_hz(void)
{
	return tsc_hz;
}

uint64_t clock_monotonic_ns(void)
{
	if (!ns_per_tick_q32)
		return 0;
	uint64_t delta = rdtsc() - tsc_at_entry;
	return (uint64_t)(((unsigned __int128)delta * ns_per_tick_q32) >> 32);
}

void tsc_clock_params(uint64_t *out_base, uint64_t *out_ns_per_tick_q32)
{
	*out_base = tsc_at_entry;
	*out_ns_per_tick_q32 = ns_per_tick_q32;
}

uint64_t tsc_to_ns(uint64_t ticks)
{
	return (uint64_t)(((unsigned __int128)ticks * ns_per_tick_q32) >> 32);
}
