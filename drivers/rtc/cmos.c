// SPDX-License-Identifier: MIT
/*
 * The MC146818-style CMOS real-time clock at ports 0x70/0x71: read the
 * date twice around the update-in-progress flag until two readings
 * agree, decoding BCD and 12-hour formats as status register B says.
 */
#include <arch/x86.h>
#include <tern/errno.h>
#include <tern/time.h>

#define CMOS_INDEX 0x70
#define CMOS_DATA 0x71

static uint8_t cmos_read(uint8_t reg)
{
	outb(CMOS_INDEX, reg | 0x80); /* keep NMIs masked while we poke */
	return inb(CMOS_DATA);
}

static bool is_updating(void)
{
	return cmos_read(0x0a) & 0x80;
}

static void read_raw(uint8_t raw[7])
{
	static const uint8_t regs[7] = {0x00, 0x02, 0x04, 0x07, 0x08, 0x09, 0x32};

	for (int i = 0; i < 7; i++)
		raw[i] = cmos_read(regs[i]);
}

static int from_bcd(uint8_t v)
{
	return (v & 0x0f) + (v >> 4) * 10;
}

int rtc_read(struct calendar_time *out)
{
	uint8_t a[7], b[7];
	int tries = 0;

	do {
		if (++tries > 1000)
			return -EIO;
		while (is_updating())
			cpu_relax();
		read_raw(a);
		read_raw(b);
	} while (__builtin_memcmp(a, b, sizeof(a)) != 0);

	uint8_t status_b = cmos_read(0x0b);
	bool is_bcd = !(status_b & 0x04);
	bool is_12h = !(status_b & 0x02);
	bool is_pm = a[2] & 0x80;
	a[2] &= 0x7f;
	int v[7];
	for (int i = 0; i < 7; i++)
		v[i] = is_bcd ? from_bcd(a[i]) : a[i];
	if (is_12h)
		v[2] = (v[2] % 12) + (is_pm ? 12 : 0);
	int century = v[6] >= 19 && v[6] <= 30 ? v[6] : 20;
	*out = (struct calendar_time){
		.year = century * 100 + v[5],
		.month = v[4],
		.day = v[3],
		.hour = v[2],
		.minute = v[1],
		.second = v[0],
	};
	return 0;
}
