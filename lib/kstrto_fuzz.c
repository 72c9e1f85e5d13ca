// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for lib/kstrto.c: the first byte picks the base, the
 * rest is the string. A number that parses must print back (through
 * lib/fmt.c) to a string that parses to the same value.
 */
#include <asm-generic/errno.h>
#include <tern/base.h>
#include <tern/string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char text[256];

static void check_round_trip(uint64_t value)
{
	char printed[32];
	uint64_t again = 0;

	ksnprintf(printed, sizeof(printed), "%llu", (unsigned long long)value);
	assert(kstrtou64(printed, 10, &again) == 0 && again == value);
	ksnprintf(printed, sizeof(printed), "%#llx", (unsigned long long)value);
	assert(kstrtou64(printed, 0, &again) == 0 && again == value);
	ksnprintf(printed, sizeof(printed), "%llo", (unsigned long long)value);
	assert(kstrtou64(printed, 8, &again) == 0 && again == value);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint64_t sentinel = 0x5a5a5a5a5a5a5a5aull;
	uint64_t value = sentinel;
	unsigned int base;
	size_t len;
	int err;

	if (size == 0)
		return 0;
	base = data[0] % 18;
	len = MIN(size - 1, sizeof(text) - 1);
	memcpy(text, data + 1, len);
	text[len] = '\0';
	err = kstrtou64(text, base, &value);
	if (err == 0)
		check_round_trip(value);
	else
		assert((err == -EINVAL || err == -ERANGE) && value == sentinel);
	if (base == 1 || base > 16)
		assert(err == -EINVAL);
	return 0;
}
