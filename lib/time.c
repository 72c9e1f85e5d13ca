// SPDX-License-Identifier: MIT
/*
 * Proleptic Gregorian calendar arithmetic in UTC. Days are counted from
 * 1970-01-01 through 400-year eras (146097 days each), with the year
 * taken to start on 1 March so the leap day falls at its end.
 */
#include <tern/errno.h>
#include <tern/time.h>

static bool is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int64_t y, int m)
{
	static const uint8_t days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* Days from 1970-01-01 to y-m-d. */
static int64_t days_from_date(int64_t y, int m, int d)
{
	int64_t year = m <= 2 ? y - 1 : y;
	int64_t era = floor_div(year, 400);
	int64_t year_of_era = year - era * 400;
	int64_t shifted_month = m > 2 ? m - 3 : m + 9; /* March = 0 */
	int64_t day_of_year = (153 * shifted_month + 2) / 5 + d - 1;
	int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;

	return era * 146097 + day_of_era - 719468;
}

int calendar_to_unix(const struct calendar_time *ct, int64_t *out)
{
	if (ct->month < 1 || ct->month > 12 || ct->day < 1 ||
	    ct->day > days_in_month(ct->year, ct->month) || ct->hour < 0 || ct->hour > 23 ||
	    ct->minute < 0 || ct->minute > 59 || ct->second < 0 || ct->second > 60)
		return -EINVAL;
	int64_t days = days_from_date(ct->year, ct->month, ct->day);
	*out = days * 86400 + ct->hour * 3600 + ct->minute * 60 + ct->second;
	return 0;
}

void unix_to_calendar(int64_t secs, struct calendar_time *out)
{
	int64_t days = floor_div(secs, 86400);
	int64_t rem = secs - days * 86400;
	int64_t z = days + 719468;
	int64_t era = floor_div(z, 146097);
	int64_t day_of_era = z - era * 146097;
	int64_t year_of_era =
		(day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
	int64_t day_of_year =
		day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
	int64_t shifted_month = (5 * day_of_year + 2) / 153;
	int month = (int)(shifted_month < 10 ? shifted_month + 3 : shifted_month - 9);

	out->year = (int)(year_of_era + era * 400 + (month <= 2));
	out->month = month;
	out->day = (int)(day_of_year - (153 * shifted_month + 2) / 5 + 1);
	out->hour = (int)(rem / 3600);
	out->minute = (int)(rem / 60 % 60);
	out->second = (int)(rem % 60);
}
