// SPDX-License-Identifier: MIT
/*
 * Unit tests for lib/kstrto.c: bases, prefixes, limits and every way a
 * string can fail to be a number.
 */
#include <asm-generic/errno.h>
#include <tern/ktest.h>
#include <tern/string.h>

#define SENTINEL 0x5a5a5a5a5a5a5a5aull

/* Parses s; on success checks the value, on failure that *out is untouched. */
static void check_parse(struct ktest *t, int line, const char *s, unsigned int base, int want_err,
			uint64_t want)
{
	uint64_t v = SENTINEL;
	int err = kstrtou64(s, base, &v);

	if (err != want_err)
		ktest_fail(t, __FILE__, line, "kstrtou64(\"%s\", %u) returned %d, want %d", s, base,
			   err, want_err);
	else if (err == 0 && v != want)
		ktest_fail(t, __FILE__, line, "kstrtou64(\"%s\", %u) gave %llu, want %llu", s, base,
			   (unsigned long long)v, (unsigned long long)want);
	else if (err != 0 && v != SENTINEL)
		ktest_fail(t, __FILE__, line, "kstrtou64(\"%s\", %u) wrote *out on error", s, base);
}

#define KEXPECT_PARSE(s, base, want) check_parse(t, __LINE__, s, base, 0, want)
#define KEXPECT_PARSE_ERR(s, base, err) check_parse(t, __LINE__, s, base, err, 0)

KTEST(kstrto, test_kstrtou64_decimal)
{
	KEXPECT_PARSE("0", 10, 0);
	KEXPECT_PARSE("7", 10, 7);
	KEXPECT_PARSE("123456789", 10, 123456789);
	KEXPECT_PARSE("017", 10, 17);
	KEXPECT_PARSE("18446744073709551615", 10, UINT64_MAX);
	KEXPECT_PARSE("000000000000000000000018446744073709551615", 10, UINT64_MAX);
}

KTEST(kstrto, test_kstrtou64_hex_and_octal)
{
	KEXPECT_PARSE("1f", 16, 31);
	KEXPECT_PARSE("1F", 16, 31);
	KEXPECT_PARSE("0x1f", 16, 31);
	KEXPECT_PARSE("0XaBc", 16, 0xabc);
	KEXPECT_PARSE("0", 16, 0);
	KEXPECT_PARSE("ffffffffffffffff", 16, UINT64_MAX);
	KEXPECT_PARSE("17", 8, 15);
	KEXPECT_PARSE("1777777777777777777777", 8, UINT64_MAX);
	KEXPECT_PARSE("101", 2, 5);
	KEXPECT_PARSE_ERR("2", 2, -EINVAL);
	KEXPECT_PARSE_ERR("8", 8, -EINVAL);
	KEXPECT_PARSE_ERR("1g", 16, -EINVAL);
}

KTEST(kstrto, test_kstrtou64_base0_detects_prefix)
{
	KEXPECT_PARSE("42", 0, 42);
	KEXPECT_PARSE("0x2A", 0, 42);
	KEXPECT_PARSE("0X2a", 0, 42);
	KEXPECT_PARSE("052", 0, 42);
	KEXPECT_PARSE("0", 0, 0);
	KEXPECT_PARSE("00", 0, 0);
	KEXPECT_PARSE("0x0", 0, 0);
	KEXPECT_PARSE("0xffffffffffffffff", 0, UINT64_MAX);
	KEXPECT_PARSE("01777777777777777777777", 0, UINT64_MAX);
	KEXPECT_PARSE_ERR("09", 0, -EINVAL);
	KEXPECT_PARSE_ERR("0xg", 0, -EINVAL);
}

KTEST(kstrto, test_kstrtou64_bare_prefix_is_invalid)
{
	KEXPECT_PARSE_ERR("0x", 0, -EINVAL);
	KEXPECT_PARSE_ERR("0x", 16, -EINVAL);
	KEXPECT_PARSE_ERR("0x", 10, -EINVAL);
	KEXPECT_PARSE_ERR("0x+1", 16, -EINVAL);
}

KTEST(kstrto, test_kstrtou64_rejects_garbage)
{
	KEXPECT_PARSE_ERR("", 0, -EINVAL);
	KEXPECT_PARSE_ERR("", 10, -EINVAL);
	KEXPECT_PARSE_ERR("abc", 10, -EINVAL);
	KEXPECT_PARSE_ERR("12a", 10, -EINVAL);
	KEXPECT_PARSE_ERR("-5", 10, -EINVAL);
	KEXPECT_PARSE_ERR("-0", 0, -EINVAL);
	KEXPECT_PARSE_ERR(" 5", 10, -EINVAL);
	KEXPECT_PARSE_ERR("5 ", 10, -EINVAL);
	KEXPECT_PARSE_ERR("+", 10, -EINVAL);
	KEXPECT_PARSE_ERR("++1", 10, -EINVAL);
	KEXPECT_PARSE_ERR("1.5", 10, -EINVAL);
	KEXPECT_PARSE_ERR("\n", 10, -EINVAL);
}

KTEST(kstrto, test_kstrtou64_plus_and_one_newline_like_linux)
{
	KEXPECT_PARSE("+5", 10, 5);
	KEXPECT_PARSE("+0x10", 0, 16);
	KEXPECT_PARSE("5\n", 10, 5);
	KEXPECT_PARSE_ERR("5\n\n", 10, -EINVAL);
	KEXPECT_PARSE_ERR("5\nx", 10, -EINVAL);
	KEXPECT_PARSE_ERR("5\r\n", 10, -EINVAL);
}

KTEST(kstrto, test_kstrtou64_overflow_is_erange)
{
	KEXPECT_PARSE_ERR("18446744073709551616", 10, -ERANGE);
	KEXPECT_PARSE_ERR("18446744073709551620", 10, -ERANGE);
	KEXPECT_PARSE_ERR("99999999999999999999999999", 10, -ERANGE);
	KEXPECT_PARSE_ERR("0x10000000000000000", 0, -ERANGE);
	KEXPECT_PARSE_ERR("10000000000000000", 16, -ERANGE);
	KEXPECT_PARSE_ERR("02000000000000000000000", 0, -ERANGE);
	/* As in Linux, overflow is reported before trailing junk. */
	KEXPECT_PARSE_ERR("99999999999999999999x", 10, -ERANGE);
}

KTEST(kstrto, test_kstrtou64_rejects_bad_base)
{
	KEXPECT_PARSE_ERR("1", 1, -EINVAL);
	KEXPECT_PARSE_ERR("1", 17, -EINVAL);
	KEXPECT_PARSE_ERR("1", 36, -EINVAL);
	KEXPECT_PARSE_ERR("1", 0x80000000u, -EINVAL);
}
