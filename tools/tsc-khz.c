// SPDX-License-Identifier: MIT
/*
 * Prints the host's TSC rate in kHz, measured against CLOCK_MONOTONIC_RAW
 * over a fifth of a second. QEMU's TCG passes the host TSC through to the
 * guest, so tools/bench.sh turns the guest's cycle counts into time with
 * this rate, and hands it to Linux, which on microvm has no second timer
 * to check its own PIT calibration against.
 */
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <x86intrin.h>

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(void)
{
	double t0 = now_s();
	uint64_t tsc0 = __rdtsc();
	double t1;
	uint64_t tsc1;

	do {
		t1 = now_s();
		tsc1 = __rdtsc();
	} while (t1 - t0 < 0.2);
	printf("%.0f\n", (double)(tsc1 - tsc0) / (t1 - t0) / 1e3);
	return 0;
}
