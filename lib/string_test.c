// SPDX-License-Identifier: MIT
/*
 * Unit tests for lib/string.c. The word-at-a-time paths of memcpy,
 * memmove and memset are checked at every length and alignment against
 * byte-by-byte reference loops.
 */
#include <tern/ktest.h>
#include <tern/string.h>

enum { POOL_BYTES = 96 };

static void fill_pattern(unsigned char *p, size_t n, unsigned int seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(i * 31 + seed * 7 + 1);
}

KTEST(string, test_memcpy_every_length_and_alignment)
{
	unsigned char src[POOL_BYTES];
	unsigned char dst[POOL_BYTES];

	fill_pattern(src, sizeof(src), 1);
	for (size_t off = 0; off < 8; off++) {
		for (size_t len = 0; len + off + 8 <= POOL_BYTES; len++) {
			memset(dst, 0xee, sizeof(dst));
			KEXPECT(memcpy(dst + 8 - off % 3, src + off, len) == dst + 8 - off % 3);
			for (size_t i = 0; i < POOL_BYTES; i++) {
				size_t d = 8 - off % 3;
				unsigned char want =
					i >= d && i < d + len ? src[off + i - d] : 0xee;
				if (!KEXPECT_EQ(dst[i], want))
					return;
			}
		}
	}
}

/* Checks memmove(pool + dst, pool + src, len) against a copy through a temporary. */
static bool check_memmove(struct ktest *t, size_t dst, size_t src, size_t len)
{
	unsigned char pool[POOL_BYTES];
	unsigned char want[POOL_BYTES];
	unsigned char tmp[POOL_BYTES];

	fill_pattern(pool, sizeof(pool), 3);
	fill_pattern(want, sizeof(want), 3);
	for (size_t i = 0; i < len; i++)
		tmp[i] = want[src + i];
	for (size_t i = 0; i < len; i++)
		want[dst + i] = tmp[i];
	KEXPECT(memmove(pool + dst, pool + src, len) == pool + dst);
	return KEXPECT_EQ(memcmp(pool, want, sizeof(pool)), 0);
}

KTEST(string, test_memmove_overlapping_both_directions)
{
	for (size_t len = 0; len <= 40; len++) {
		for (size_t shift = 0; shift <= 17; shift++) {
			if (!check_memmove(t, 20 + shift, 20, len) ||
			    !check_memmove(t, 20, 20 + shift, len))
				return;
		}
	}
}

KTEST(string, test_memset_every_length_and_int_value)
{
	unsigned char buf[POOL_BYTES];

	for (size_t off = 0; off < 8; off++) {
		for (size_t len = 0; len + off < POOL_BYTES; len++) {
			memset(buf, 0x11, sizeof(buf));
			/* Only the low byte of c counts: 0x1ab stores 0xab. */
			KEXPECT(memset(buf + off, 0x1ab, len) == buf + off);
			for (size_t i = 0; i < POOL_BYTES; i++) {
				unsigned char want = i >= off && i < off + len ? 0xab : 0x11;
				if (!KEXPECT_EQ(buf[i], want))
					return;
			}
		}
	}
}

KTEST(string, test_memcmp_compares_unsigned_bytes)
{
	unsigned char a[4] = {1, 2, 0x80, 4};
	unsigned char b[4] = {1, 2, 0x7f, 4};

	KEXPECT_EQ(memcmp(a, a, 4), 0);
	KEXPECT(memcmp(a, b, 4) > 0);
	KEXPECT(memcmp(b, a, 4) < 0);
	KEXPECT_EQ(memcmp(a, b, 2), 0);
	KEXPECT_EQ(memcmp(a, b, 0), 0);
}

KTEST(string, test_memchr_finds_first_match_within_n)
{
	const char s[] = "abcabc\0z";

	KEXPECT(memchr(s, 'c', 6) == s + 2);
	KEXPECT(memchr(s, 'c', 2) == NULL);
	KEXPECT(memchr(s, 'z', sizeof(s)) == s + 7);
	KEXPECT(memchr(s, '\0', sizeof(s)) == s + 6);
	KEXPECT(memchr(s, 0x100 + 'b', 6) == s + 1);
	KEXPECT(memchr(s, 'a', 0) == NULL);
}

KTEST(string, test_strlen_and_strnlen)
{
	char raw[4] = {'a', 'b', 'c', 'd'};

	KEXPECT_EQ(strlen(""), 0);
	KEXPECT_EQ(strlen("hello"), 5);
	KEXPECT_EQ(strnlen("hello", 3), 3);
	KEXPECT_EQ(strnlen("hello", 10), 5);
	KEXPECT_EQ(strnlen("", 10), 0);
	KEXPECT_EQ(strnlen(raw, 0), 0);
	/* Never reads raw[4]: AddressSanitizer would catch it. */
	KEXPECT_EQ(strnlen(raw, 4), 4);
}

KTEST(string, test_strcmp_orders_as_unsigned_char)
{
	KEXPECT_EQ(strcmp("", ""), 0);
	KEXPECT_EQ(strcmp("abc", "abc"), 0);
	KEXPECT(strcmp("abc", "abd") < 0);
	KEXPECT(strcmp("abd", "abc") > 0);
	KEXPECT(strcmp("ab", "abc") < 0);
	KEXPECT(strcmp("abc", "ab") > 0);
	KEXPECT(strcmp("\x80", "\x7f") > 0);
}

KTEST(string, test_strncmp_stops_at_n_and_nul)
{
	KEXPECT_EQ(strncmp("abcX", "abcY", 3), 0);
	KEXPECT(strncmp("abcX", "abcY", 4) < 0);
	KEXPECT_EQ(strncmp("abc", "xyz", 0), 0);
	KEXPECT_EQ(strncmp("ab", "ab", 10), 0);
	KEXPECT(strncmp("ab", "abc", 10) < 0);
	KEXPECT(strncmp("\xff", "a", 1) > 0);
}

KTEST(string, test_strchr_and_strrchr)
{
	const char *s = "a/b/c";

	KEXPECT(strchr(s, '/') == s + 1);
	KEXPECT(strrchr(s, '/') == s + 3);
	KEXPECT(strchr(s, 'x') == NULL);
	KEXPECT(strrchr(s, 'x') == NULL);
	KEXPECT(strchr(s, '\0') == s + 5);
	KEXPECT(strrchr(s, '\0') == s + 5);
	KEXPECT(strchr(s, 'a') == s);
	KEXPECT(strrchr(s, 'a') == s);
	/* c is converted to char, so a high-bit byte given as an int matches. */
	KEXPECT(strchr(s + 4, 'c') == s + 4);
	KEXPECT(strchr("t\xe9", 0xe9) != NULL);
	KEXPECT(strrchr("\xe9t\xe9", 0xe9) != NULL);
}

KTEST(string, test_strlcpy_truncates_and_returns_source_length)
{
	char buf[8];

	memset(buf, 'Z', sizeof(buf));
	KEXPECT_EQ(strlcpy(buf, "hello", sizeof(buf)), 5);
	KEXPECT_EQ(strcmp(buf, "hello"), 0);
	KEXPECT_EQ(buf[6], 'Z');

	KEXPECT_EQ(strlcpy(buf, "hello world", sizeof(buf)), 11);
	KEXPECT_EQ(strcmp(buf, "hello w"), 0);

	memset(buf, 'Z', sizeof(buf));
	KEXPECT_EQ(strlcpy(buf, "abc", 1), 3);
	KEXPECT_EQ(buf[0], '\0');
	KEXPECT_EQ(buf[1], 'Z');

	KEXPECT_EQ(strlcpy(buf, "abc", 0), 3);
	KEXPECT_EQ(buf[0], '\0');
	KEXPECT_EQ(strlcpy(NULL, "abc", 0), 3);
}

KTEST(string, test_next_option_splits_at_commas_skipping_empty_items)
{
	char buf[] = ",mode=0755,,size=1M,";
	char *s = buf;

	KEXPECT_EQ(strcmp(next_option(&s), "mode=0755"), 0);
	KEXPECT_EQ(strcmp(next_option(&s), "size=1M"), 0);
	KEXPECT(next_option(&s) == NULL);
	KEXPECT(next_option(&s) == NULL);
	s = NULL;
	KEXPECT(next_option(&s) == NULL);
}
