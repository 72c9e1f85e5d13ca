// SPDX-License-Identifier: MIT
/*
 * random_bytes for base.h. FIXME: a TSC-seeded xorshift is not a source of
 * secrets; use RDRAND/RDSEED where the CPU has them, or virtio-rng.
 */
#include <arch/x86.h>
#include <tern/base.h>

void random_bytes(void *buf, size_t len_bytes)
{
	static uint64_t state;
	unsigned char *p = buf;

	if (!state)
		state = rdtsc() | 1;
	for (size_t i = 0; i < len_bytes; i++) {
		state ^= state << 13;
		state ^= state >> 7;
		state ^= state << 17;
		p[i] = (unsigned char)(state ^ rdtsc());
	}
}
