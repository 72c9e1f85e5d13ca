// SPDX-License-Identifier: MIT
/*
 * Unit tests for lib/crc32.c, against a CRC computed one bit at a time
 * straight from the polynomial, and against published check values.
 */
#include <tern/crc32.h>
#include <tern/ktest.h>
#include <tern/string.h>

static uint32_t crc32_bitwise(uint32_t crc, const uint8_t *p, size_t len)
{
	uint32_t c = ~crc;

	for (size_t i = 0; i < len; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320 & -(c & 1));
	}
	return ~c;
}

KTEST(crc32, test_crc32_update_check_values)
{
	KEXPECT_EQ(crc32_update(0, "", 0), 0);
	KEXPECT_EQ(crc32_update(0, "123456789", 9), 0xcbf43926);
	KEXPECT_EQ(crc32_update(0, "a", 1), 0xe8b7be43);
	KEXPECT_EQ(crc32_update(0, "The quick brown fox jumps over the lazy dog", 43), 0x414fa339);
	KEXPECT_EQ(crc32_update(0x12345678, "", 0), 0x12345678);
}

/* Every byte value at every position of the 8-byte step and of the tail. */
KTEST(crc32, test_crc32_update_every_table_entry)
{
	uint8_t buf[15];

	for (size_t pos = 0; pos < sizeof(buf); pos++) {
		for (int v = 0; v < 256; v++) {
			memset(buf, 0, sizeof(buf));
			buf[pos] = (uint8_t)v;
			if (!KEXPECT_EQ(crc32_update(0, buf, sizeof(buf)),
					crc32_bitwise(0, buf, sizeof(buf))))
				return;
		}
	}
}

KTEST(crc32, test_crc32_update_pieces_equal_whole)
{
	static uint8_t buf[1000];
	uint32_t seed = 1;
	uint32_t whole;

	for (size_t i = 0; i < sizeof(buf); i++) {
		seed = seed * 1103515245 + 12345;
		buf[i] = (uint8_t)(seed >> 16);
	}
	whole = crc32_bitwise(0, buf, sizeof(buf));
	KEXPECT_EQ(crc32_update(0, buf, sizeof(buf)), whole);
	for (size_t split = 0; split <= 40; split++) {
		uint32_t c = crc32_update(0, buf, split);

		KEXPECT_EQ(crc32_update(c, buf + split, sizeof(buf) - split), whole);
	}
	/* Unaligned starts and every short length. */
	for (size_t off = 0; off < 8; off++) {
		for (size_t len = 0; len < 40; len++)
			KEXPECT_EQ(crc32_update(0, buf + off, len),
				   crc32_bitwise(0, buf + off, len));
	}
}
