// SPDX-License-Identifier: MIT
/*
 * Unit tests for lib/ksyms.c, on tables laid out the way
 * tools/gen-ksyms.sh lays them out.
 */
#include <tern/ksyms.h>
#include <tern/ktest.h>
#include <tern/string.h>

static const uint64_t small_addrs[] = {0x1000, 0x1010, 0x1010, 0x2000};
static const uint32_t small_offs[] = {0, 10, 17, 25};
static const char small_names[] = "pvh_start\0b_main\0b_alias\0c.cold";
static const struct ksyms_table small = {4, small_addrs, small_offs, small_names};

/* Looks addr up in tab and checks the outcome. want_name NULL means "not found". */
static void check_lookup(struct ktest *t, int line, const struct ksyms_table *tab, uint64_t addr,
			 const char *want_name, uint64_t want_offset)
{
	const char *name = NULL;
	uint64_t offset = 0;
	bool found = ksyms_lookup(tab, addr, &name, &offset);

	if (!want_name) {
		if (found)
			ktest_fail(t, __FILE__, line, "0x%llx resolved to %s+0x%llx, want nothing",
				   (unsigned long long)addr, name, (unsigned long long)offset);
		return;
	}
	if (!found || strcmp(name, want_name) != 0 || offset != want_offset)
		ktest_fail(t, __FILE__, line, "0x%llx resolved to %s+0x%llx, want %s+0x%llx",
			   (unsigned long long)addr, found ? name : "nothing",
			   (unsigned long long)offset, want_name, (unsigned long long)want_offset);
}

#define KEXPECT_LOOKUP(tab, addr, name, offset) check_lookup(t, __LINE__, tab, addr, name, offset)

KTEST(ksyms, test_ksyms_lookup_below_first_symbol)
{
	KEXPECT_LOOKUP(&small, 0, NULL, 0);
	KEXPECT_LOOKUP(&small, 0xfff, NULL, 0);
}

KTEST(ksyms, test_ksyms_lookup_exact_and_inside)
{
	KEXPECT_LOOKUP(&small, 0x1000, "pvh_start", 0);
	KEXPECT_LOOKUP(&small, 0x1001, "pvh_start", 1);
	KEXPECT_LOOKUP(&small, 0x100f, "pvh_start", 0xf);
	KEXPECT_LOOKUP(&small, 0x1fff, "b_main", 0xfef);
	KEXPECT_LOOKUP(&small, 0x2000, "c.cold", 0);
}

KTEST(ksyms, test_ksyms_lookup_aliases_pick_first)
{
	KEXPECT_LOOKUP(&small, 0x1010, "b_main", 0);
	KEXPECT_LOOKUP(&small, 0x1011, "b_main", 1);
}

KTEST(ksyms, test_ksyms_lookup_past_last_symbol)
{
	KEXPECT_LOOKUP(&small, 0x2001, "c.cold", 1);
	KEXPECT_LOOKUP(&small, UINT64_MAX, "c.cold", UINT64_MAX - 0x2000);
}

KTEST(ksyms, test_ksyms_lookup_empty_table)
{
	static const struct ksyms_table empty = {0, small_addrs, small_offs, small_names};

	KEXPECT_LOOKUP(&empty, 0, NULL, 0);
	KEXPECT_LOOKUP(&empty, 0x1000, NULL, 0);
	KEXPECT_LOOKUP(&empty, UINT64_MAX, NULL, 0);
}

KTEST(ksyms, test_ksyms_lookup_single_symbol_at_zero)
{
	static const uint64_t addrs[] = {0};
	static const uint32_t offs[] = {0};
	static const struct ksyms_table one = {1, addrs, offs, "zero"};

	KEXPECT_LOOKUP(&one, 0, "zero", 0);
	KEXPECT_LOOKUP(&one, 5, "zero", 5);
}

KTEST(ksyms, test_ksyms_lookup_kernel_addresses)
{
	static const uint64_t addrs[] = {0xffffffff80100000ull, 0xffffffff80100040ull,
					 0xffffffffffffff00ull};
	static const uint32_t offs[] = {0, 2, 4};
	static const struct ksyms_table high = {3, addrs, offs, "a\0b\0c"};

	KEXPECT_LOOKUP(&high, 0x80100000ull, NULL, 0);
	KEXPECT_LOOKUP(&high, 0xffffffff800fffffull, NULL, 0);
	KEXPECT_LOOKUP(&high, 0xffffffff8010003full, "a", 0x3f);
	KEXPECT_LOOKUP(&high, 0xffffffff80100040ull, "b", 0);
	KEXPECT_LOOKUP(&high, UINT64_MAX, "c", 0xff);
}

enum { BIG_COUNT = 1000, BIG_STRIDE = 0x30 };

/* Every boundary of a large table, for tables of every size up to BIG_COUNT. */
KTEST(ksyms, test_ksyms_lookup_every_boundary)
{
	static uint64_t addrs[BIG_COUNT];
	static uint32_t offs[BIG_COUNT];
	static char names[BIG_COUNT * 8];
	size_t pos = 0;

	for (size_t i = 0; i < BIG_COUNT; i++) {
		addrs[i] = 0x400000 + i * BIG_STRIDE;
		offs[i] = (uint32_t)pos;
		pos += (size_t)ksnprintf(names + pos, sizeof(names) - pos, "f%zu", i) + 1;
	}
	for (uint64_t count = 1; count <= BIG_COUNT; count += count < 20 ? 1 : 97) {
		struct ksyms_table tab = {count, addrs, offs, names};

		KEXPECT_LOOKUP(&tab, addrs[0] - 1, NULL, 0);
		for (size_t i = 0; i < count; i++) {
			char want[16];

			ksnprintf(want, sizeof(want), "f%zu", i);
			KEXPECT_LOOKUP(&tab, addrs[i], want, 0);
			KEXPECT_LOOKUP(&tab, addrs[i] + BIG_STRIDE - 1, want, BIG_STRIDE - 1);
		}
	}
}
