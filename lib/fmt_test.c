// SPDX-License-Identifier: MIT
/*
 * Unit tests for lib/fmt.c: every conversion, flag, width and precision
 * form checked against the exact text C's printf gives, plus truncation
 * at every buffer size.
 */
#include <tern/ktest.h>
#include <tern/string.h>

#define INT_MIN_ (-2147483647 - 1)
#define LLONG_MIN_ (-9223372036854775807LL - 1)

/* Formats into a scratch buffer and compares text and returned length. */
static __printf(4, 5) void check_fmt(struct ktest *t, int line, const char *expect, const char *fmt,
				     ...)
{
	char buf[256];
	va_list ap;
	int n;

	memset(buf, 'Z', sizeof(buf));
	va_start(ap, fmt);
	n = kvsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n != (int)strlen(expect) || strcmp(buf, expect) != 0)
		ktest_fail(t, __FILE__, line, "format \"%s\": got \"%s\" (%d), want \"%s\"", fmt,
			   buf, n, expect);
}

#define KEXPECT_FMT(expect, ...) check_fmt(t, __LINE__, expect, __VA_ARGS__)

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-zero-length"
KTEST(fmt, test_ksnprintf_plain_text)
{
	KEXPECT_FMT("", "");
	KEXPECT_FMT("hello, world", "hello, world");
	KEXPECT_FMT("100%", "100%%");
	KEXPECT_FMT("%%", "%%%%");
}
#pragma GCC diagnostic pop

KTEST(fmt, test_ksnprintf_signed_decimal)
{
	KEXPECT_FMT("0", "%d", 0);
	KEXPECT_FMT("42", "%d", 42);
	KEXPECT_FMT("-42", "%i", -42);
	KEXPECT_FMT("2147483647", "%d", 2147483647);
	KEXPECT_FMT("-2147483648", "%d", INT_MIN_);
	KEXPECT_FMT("-9223372036854775808", "%ld", (long)LLONG_MIN_);
	KEXPECT_FMT("-9223372036854775808", "%lld", LLONG_MIN_);
	KEXPECT_FMT("9223372036854775807", "%lli", 9223372036854775807LL);
	KEXPECT_FMT("-1", "%zd", (long)-1);
}

KTEST(fmt, test_ksnprintf_unsigned_bases)
{
	KEXPECT_FMT("4294967295", "%u", 4294967295u);
	KEXPECT_FMT("18446744073709551615", "%llu", (unsigned long long)UINT64_MAX);
	KEXPECT_FMT("18446744073709551615", "%zu", (size_t)-1);
	KEXPECT_FMT("ffffffffffffffff", "%lx", (unsigned long)UINT64_MAX);
	KEXPECT_FMT("FFFFFFFFFFFFFFFF", "%llX", (unsigned long long)UINT64_MAX);
	KEXPECT_FMT("1777777777777777777777", "%lo", (unsigned long)UINT64_MAX);
	KEXPECT_FMT("deadbeef", "%x", 0xdeadbeefu);
	KEXPECT_FMT("DEADBEEF", "%X", 0xdeadbeefu);
	KEXPECT_FMT("777", "%o", 0777u);
	KEXPECT_FMT("0", "%x", 0u);
	KEXPECT_FMT("0", "%o", 0u);
}

KTEST(fmt, test_ksnprintf_int_arg_is_truncated_to_32_bits)
{
	/* Without a length modifier only the low 32 bits of the slot count. */
	KEXPECT_FMT("-1", "%d", (int)0xffffffffu);
	KEXPECT_FMT("4294967295", "%u", 0xffffffffu);
}

KTEST(fmt, test_ksnprintf_char_and_short_lengths)
{
	KEXPECT_FMT("-1", "%hhd", (signed char)-1);
	KEXPECT_FMT("-128", "%hhd", (signed char)-128);
	KEXPECT_FMT("255", "%hhu", (unsigned char)255);
	KEXPECT_FMT("ff", "%hhx", (unsigned char)0xff);
	KEXPECT_FMT("-32768", "%hd", (short)-32768);
	KEXPECT_FMT("65535", "%hu", (unsigned short)65535);
	KEXPECT_FMT("ffff", "%hx", (unsigned short)0xffff);
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
KTEST(fmt, test_ksnprintf_hh_h_narrow_wider_arguments)
{
	/* The promoted int is converted back to the narrow type, as C requires. */
	KEXPECT_FMT("-1", "%hhd", 255);
	KEXPECT_FMT("0", "%hhu", 256);
	KEXPECT_FMT("ff", "%hhx", 0x1ff);
	KEXPECT_FMT("-1", "%hd", 65535);
	KEXPECT_FMT("5", "%hu", 65536 + 5);
}
#pragma GCC diagnostic pop

KTEST(fmt, test_ksnprintf_width_and_justification)
{
	KEXPECT_FMT("   42", "%5d", 42);
	KEXPECT_FMT("42   |", "%-5d|", 42);
	KEXPECT_FMT("00042", "%05d", 42);
	KEXPECT_FMT("-0042", "%05d", -42);
	KEXPECT_FMT("  -42", "%5d", -42);
	KEXPECT_FMT("12345", "%3d", 12345);
	KEXPECT_FMT("0000dead", "%08x", 0xdeadu);
	KEXPECT_FMT("-000009223372036854775808", "%025lld", LLONG_MIN_);
	KEXPECT_FMT("     18446744073709551615", "%25llu", (unsigned long long)UINT64_MAX);
}

KTEST(fmt, test_ksnprintf_sign_flags)
{
	KEXPECT_FMT("+5", "%+d", 5);
	KEXPECT_FMT("-5", "%+d", -5);
	KEXPECT_FMT("+0", "%+d", 0);
	KEXPECT_FMT(" 5", "% d", 5);
	KEXPECT_FMT("-5", "% d", -5);
	KEXPECT_FMT("+0042", "%+05d", 42);
	KEXPECT_FMT(" 0042", "% 05d", 42);
	KEXPECT_FMT("+9223372036854775807", "%+lld", 9223372036854775807LL);
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
KTEST(fmt, test_ksnprintf_flag_precedence)
{
	/* '+' beats ' '; '-' beats '0'; '+' and ' ' do nothing for unsigned. */
	KEXPECT_FMT("+5", "%+ d", 5);
	KEXPECT_FMT("+5", "% +d", 5);
	KEXPECT_FMT("42   |", "%-05d|", 42);
	KEXPECT_FMT("7", "%+u", 7u);
	KEXPECT_FMT("7", "% u", 7u);
	KEXPECT_FMT("ff", "%+x", 0xffu);
}
#pragma GCC diagnostic pop

KTEST(fmt, test_ksnprintf_integer_precision)
{
	KEXPECT_FMT("007", "%.3d", 7);
	KEXPECT_FMT("-007", "%.3d", -7);
	KEXPECT_FMT("12345", "%.3d", 12345);
	KEXPECT_FMT("", "%.0d", 0);
	KEXPECT_FMT("", "%.d", 0);
	KEXPECT_FMT("     ", "%5.0d", 0);
	KEXPECT_FMT("+", "%+.0d", 0);
	KEXPECT_FMT("   -007", "%7.3d", -7);
	KEXPECT_FMT("-007   |", "%-7.3d|", -7);
	KEXPECT_FMT("0001", "%.4x", 1u);
	KEXPECT_FMT("", "%.0x", 0u);
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
KTEST(fmt, test_ksnprintf_zero_flag_ignored_with_precision)
{
	KEXPECT_FMT("     007", "%08.3d", 7);
	KEXPECT_FMT("    -007", "%08.3d", -7);
	KEXPECT_FMT("    00ff", "%08.4x", 0xffu);
}
#pragma GCC diagnostic pop

KTEST(fmt, test_ksnprintf_alternate_hex_and_octal)
{
	KEXPECT_FMT("0xff", "%#x", 0xffu);
	KEXPECT_FMT("0XFF", "%#X", 0xffu);
	KEXPECT_FMT("0", "%#x", 0u);
	KEXPECT_FMT("0x000000ff", "%#010x", 0xffu);
	KEXPECT_FMT("0x0001", "%#.4x", 1u);
	KEXPECT_FMT("      0xff", "%#10x", 0xffu);
	KEXPECT_FMT("0x1f    |", "%-#8x|", 0x1fu);
	KEXPECT_FMT("0xffffffffffffffff", "%#llx", (unsigned long long)UINT64_MAX);
	KEXPECT_FMT("010", "%#o", 8u);
	KEXPECT_FMT("0", "%#o", 0u);
	KEXPECT_FMT("0", "%#.0o", 0u);
	KEXPECT_FMT("010", "%#.3o", 8u);
	KEXPECT_FMT("0010", "%#.4o", 8u);
	KEXPECT_FMT("  010", "%#5o", 8u);
	KEXPECT_FMT("00010", "%#05o", 8u);
}

KTEST(fmt, test_ksnprintf_pointer)
{
	KEXPECT_FMT("0x0", "%p", (void *)0);
	KEXPECT_FMT("0xffffffff80001000", "%p", (void *)0xffffffff80001000ul);
	KEXPECT_FMT("0x1234", "%p", (void *)0x1234);
	KEXPECT_FMT("    0x1234", "%10p", (void *)0x1234);
	KEXPECT_FMT("0x1234    |", "%-10p|", (void *)0x1234);
}

KTEST(fmt, test_ksnprintf_string)
{
	/* volatile: GCC would reject a %s argument it can prove is NULL. */
	const char *volatile null_str = NULL;

	KEXPECT_FMT("abc", "%s", "abc");
	KEXPECT_FMT("", "%s", "");
	KEXPECT_FMT("(null)", "%s", null_str);
	KEXPECT_FMT("(nu", "%.3s", null_str);
	KEXPECT_FMT("  abc", "%5s", "abc");
	KEXPECT_FMT("abc  |", "%-5s|", "abc");
	KEXPECT_FMT("ab", "%.2s", "abc");
	KEXPECT_FMT("", "%.0s", "abc");
	KEXPECT_FMT("abc", "%.10s", "abc");
	KEXPECT_FMT("   ab", "%5.2s", "abc");
	KEXPECT_FMT("key=value", "%s=%s", "key", "value");
}

KTEST(fmt, test_ksnprintf_precision_never_reads_past_unterminated_string)
{
	/* AddressSanitizer reports any read of raw[3]. */
	char raw[3] = {'x', 'y', 'z'};

	KEXPECT_FMT("xyz", "%.3s", raw);
	KEXPECT_FMT("xy", "%.2s", raw);
	KEXPECT_FMT("  xyz", "%5.3s", raw);
	KEXPECT_FMT("xyz", "%.*s", 3, raw);
}

KTEST(fmt, test_ksnprintf_char)
{
	KEXPECT_FMT("A", "%c", 'A');
	KEXPECT_FMT("  A", "%3c", 'A');
	KEXPECT_FMT("A  |", "%-3c|", 'A');
	KEXPECT_FMT("\xff", "%c", 0xff);
	KEXPECT_FMT("a-b", "%c-%c", 'a', 'b');
}

KTEST(fmt, test_ksnprintf_char_nul_counts_as_output)
{
	char buf[8];

	memset(buf, 'Z', sizeof(buf));
	KEXPECT_EQ(ksnprintf(buf, sizeof(buf), "a%cb", 0), 3);
	KEXPECT_EQ(buf[0], 'a');
	KEXPECT_EQ(buf[1], '\0');
	KEXPECT_EQ(buf[2], 'b');
	KEXPECT_EQ(buf[3], '\0');
}

KTEST(fmt, test_ksnprintf_star_width_and_precision)
{
	KEXPECT_FMT("    ab", "%*s", 6, "ab");
	KEXPECT_FMT("ab    |", "%*s|", -6, "ab");
	KEXPECT_FMT("7   |", "%-*d|", 4, 7);
	KEXPECT_FMT("he", "%.*s", 2, "hello");
	KEXPECT_FMT("hello", "%.*s", -1, "hello");
	KEXPECT_FMT("  007", "%*.*d", 5, 3, 7);
	KEXPECT_FMT("[  x][42]", "[%*c][%d]", 3, 'x', 42);
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
KTEST(fmt, test_ksnprintf_negative_star_precision_means_none)
{
	/* So the '0' flag, ignored with a precision, applies again. */
	KEXPECT_FMT("00042", "%05.*d", -1, 42);
	KEXPECT_FMT("00042", "%05.*d", -100, 42);
}
#pragma GCC diagnostic pop

/* Output length for a format the compilers must not check: its fields are huge on purpose. */
static int unchecked_len(const char *volatile fmt, int a, int b)
{
	return ksnprintf(NULL, 0, fmt, a, b);
}

KTEST(fmt, test_ksnprintf_huge_width_is_clamped)
{
	KEXPECT_EQ(unchecked_len("%*d", 4096, 1), 4096);
	KEXPECT_EQ(unchecked_len("%*d", 100000, 1), 4096);
	KEXPECT_EQ(unchecked_len("%*d", -2147483647 - 1, 1), 4096);
	KEXPECT_EQ(unchecked_len("%.*d", 100000, 1), 4096);
	KEXPECT_EQ(unchecked_len("%99999999999999999999d", 1, 0), 4096);
	KEXPECT_EQ(unchecked_len("%.99999999999999999999d", 1, 0), 4096);
}

KTEST(fmt, test_ksnprintf_mixed_arguments_stay_in_order)
{
	KEXPECT_FMT("a=1 b=ff c=x d=-9223372036854775808 e=str f=0x10 g=18446744073709551615",
		    "a=%d b=%hhx c=%c d=%lld e=%s f=%p g=%zu", 1, (unsigned char)0xff, 'x',
		    LLONG_MIN_, "str", (void *)0x10, (size_t)-1);
	KEXPECT_FMT("[<ffffffff80100000>] pvh_start+0x1a", "[<%016llx>] %s+0x%llx",
		    0xffffffff80100000ull, "pvh_start", 0x1aull);
	KEXPECT_FMT("[    1.000042] ", "[%5llu.%06llu] ", 1ull, 42ull);
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
KTEST(fmt, test_ksnprintf_unknown_conversion_is_copied)
{
	KEXPECT_FMT("%q", "%q");
	KEXPECT_FMT("a%5qb", "a%5qb");
	KEXPECT_FMT("%lq 7", "%lq %d", 7);
	KEXPECT_FMT("%f", "%f");
	KEXPECT_FMT("abc%", "abc%");
	KEXPECT_FMT("%-", "%-");
	KEXPECT_FMT("%5", "%5");
	KEXPECT_FMT("%.", "%.");
}

KTEST(fmt, test_ksnprintf_percent_n_never_writes)
{
	int target = 1234;

	/* %n is unsupported: copied as text, its argument never touched. */
	KEXPECT_FMT("ab%ncd", "ab%ncd", &target);
	KEXPECT_EQ(target, 1234);
}
#pragma GCC diagnostic pop

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-zero-length"
KTEST(fmt, test_ksnprintf_size_zero_with_null_buffer)
{
	KEXPECT_EQ(ksnprintf(NULL, 0, "hello %d", 12345), 11);
	KEXPECT_EQ(ksnprintf(NULL, 0, ""), 0);
}
#pragma GCC diagnostic pop

KTEST(fmt, test_ksnprintf_size_one_writes_only_terminator)
{
	char buf[4] = {'Z', 'Z', 'Z', 'Z'};

	KEXPECT_EQ(ksnprintf(buf, 1, "%s", "abc"), 3);
	KEXPECT_EQ(buf[0], '\0');
	KEXPECT_EQ(buf[1], 'Z');
}

/* Formats "<%5s|%-4d|%#x>" at every size and checks each prefix. */
KTEST(fmt, test_ksnprintf_truncates_at_every_size)
{
	const char *full = "<  abc|-12 |0xbeef>";
	size_t len = strlen(full);

	for (size_t size = 0; size <= len + 2; size++) {
		char buf[64];
		size_t kept = size ? MIN(size - 1, len) : 0;
		int n;

		memset(buf, 'Z', sizeof(buf));
		n = ksnprintf(size ? buf : NULL, size, "<%5s|%-4d|%#x>", "abc", -12, 0xbeefu);
		KEXPECT_EQ(n, (int)len);
		KEXPECT_EQ(memcmp(buf, full, kept), 0);
		if (size) {
			KEXPECT_EQ(buf[kept], '\0');
			KEXPECT_EQ(buf[kept + 1], 'Z');
		} else {
			KEXPECT_EQ(buf[0], 'Z');
		}
	}
}

KTEST(fmt, test_ksnprintf_truncates_long_numbers_at_every_size)
{
	const char *full = "-9223372036854775808 18446744073709551615";
	size_t len = strlen(full);

	for (size_t size = 1; size <= len + 1; size++) {
		char buf[64];

		memset(buf, 'Z', sizeof(buf));
		KEXPECT_EQ(ksnprintf(buf, size, "%lld %llu", LLONG_MIN_,
				     (unsigned long long)UINT64_MAX),
			   (int)len);
		KEXPECT_EQ(strlen(buf), MIN(size - 1, len));
		KEXPECT_EQ(strncmp(buf, full, size - 1), 0);
		KEXPECT_EQ(buf[size], 'Z');
	}
}

static int call_kvsnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

KTEST(fmt, test_kvsnprintf_consumes_va_list_in_order)
{
	char buf[32];

	KEXPECT_EQ(call_kvsnprintf(buf, sizeof(buf), "%s:%d:%s", "a", 2, "c"), 5);
	KEXPECT_EQ(strcmp(buf, "a:2:c"), 0);
}
