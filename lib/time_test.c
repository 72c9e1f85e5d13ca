// SPDX-License-Identifier: MIT
/* Host tests for lib/time.c: known dates, leap rules, round trips. */
#include <tern/errno.h>
#include <tern/ktest.h>
#include <tern/time.h>

static int64_t to_unix(int y, int mo, int d, int h, int mi, int s)
{
	struct calendar_time ct = {y, mo, d, h, mi, s};
	int64_t out = -1;

	if (calendar_to_unix(&ct, &out) != 0)
		return -999;
	return out;
}

KTEST(time, epoch_is_zero)
{
	KEXPECT_EQ(to_unix(1970, 1, 1, 0, 0, 0), 0);
}

KTEST(time, known_dates)
{
	KEXPECT_EQ(to_unix(2000, 3, 1, 0, 0, 0), 951868800);
	KEXPECT_EQ(to_unix(2038, 1, 19, 3, 14, 7), 2147483647);
	KEXPECT_EQ(to_unix(2026, 11, 21, 12, 30, 15), 1795264215);
	KEXPECT_EQ(to_unix(1969, 12, 31, 23, 59, 59), -1);
	KEXPECT_EQ(to_unix(2100, 3, 1, 0, 0, 0), 4107542400);
}

KTEST(time, leap_days)
{
	KEXPECT_EQ(to_unix(2024, 2, 29, 0, 0, 0), 1709164800);
	KEXPECT_EQ(to_unix(2000, 2, 29, 0, 0, 0), 951782400);
	KEXPECT_EQ(to_unix(1900, 2, 29, 0, 0, 0), -999);
	KEXPECT_EQ(to_unix(2023, 2, 29, 0, 0, 0), -999);
	KEXPECT_EQ(to_unix(2100, 2, 29, 0, 0, 0), -999);
}

KTEST(time, rejects_bad_fields)
{
	KEXPECT_EQ(to_unix(2024, 0, 1, 0, 0, 0), -999);
	KEXPECT_EQ(to_unix(2024, 13, 1, 0, 0, 0), -999);
	KEXPECT_EQ(to_unix(2024, 4, 31, 0, 0, 0), -999);
	KEXPECT_EQ(to_unix(2024, 4, 30, 24, 0, 0), -999);
	KEXPECT_EQ(to_unix(2024, 4, 30, 0, 60, 0), -999);
	KEXPECT_EQ(to_unix(2024, 4, 30, 0, 0, 61), -999);
}

KTEST(time, round_trip_every_day_of_many_years)
{
	for (int64_t s = -86400LL * 365 * 3; s < 86400LL * 365 * 140; s += 86400 + 3601) {
		struct calendar_time ct;
		int64_t back = 0;
		unix_to_calendar(s, &ct);
		KASSERT(calendar_to_unix(&ct, &back) == 0);
		KASSERT_EQ(back, s);
	}
}

KTEST(time, calendar_fields)
{
	struct calendar_time ct;

	unix_to_calendar(1709251199, &ct); /* 2024-02-29 23:59:59 */
	KEXPECT_EQ(ct.year, 2024);
	KEXPECT_EQ(ct.month, 2);
	KEXPECT_EQ(ct.day, 29);
	KEXPECT_EQ(ct.hour, 23);
	KEXPECT_EQ(ct.minute, 59);
	KEXPECT_EQ(ct.second, 59);
	unix_to_calendar(-1, &ct);
	KEXPECT_EQ(ct.year, 1969);
	KEXPECT_EQ(ct.month, 12);
	KEXPECT_EQ(ct.day, 31);
	KEXPECT_EQ(ct.second, 59);
}
