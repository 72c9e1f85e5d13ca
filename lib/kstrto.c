// SPDX-License-Identifier: MIT
/*
 * Text to integer conversion for command-line values and, later, numbers
 * written to /proc and /sys files. Strict: the whole string must be a
 * number. Declared in include/tern/string.h.
 */
#include <asm-generic/errno.h>
#include <tern/string.h>

/* Value of digit c in bases up to 16, or 16 if c is not a digit. */
static unsigned int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return (unsigned int)(c - '0');
	if (c >= 'a' && c <= 'f')
		return (unsigned int)(c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (unsigned int)(c - 'A' + 10);
	return 16;
}

static bool has_hex_prefix(const char *s)
{
	return s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
}

/* Resolves base 0 from the prefix and skips a 0x prefix; returns the base. */
static unsigned int skip_prefix(const char **s, unsigned int base)
{
	if (base == 0) {
		if (has_hex_prefix(*s))
			base = 16;
		else if ((*s)[0] == '0')
			base = 8;
		else
			base = 10;
	}
	if (base == 16 && has_hex_prefix(*s))
		*s += 2;
	return base;
}

/*
 * Parses s as an unsigned number in base 2..16, or base 0 for C-style
 * auto-detection ("0x" hex, leading "0" octal, else decimal); base 16
 * also accepts a "0x" prefix. Returns 0 and sets *out, -ERANGE if the
 * value does not fit in 64 bits, -EINVAL for an empty string, a bad base
 * or any other character.
 * ABI: like Linux kstrtoull (lib/kstrtox.c), one leading '+' and one
 * trailing newline are accepted, so "1\n" written to a file parses.
 */
int kstrtou64(const char *s, unsigned int base, uint64_t *out)
{
	uint64_t value = 0;
	bool overflow = false;
	const char *digits;

	if (base == 1 || base > 16)
		return -EINVAL;
	if (*s == '+')
		s++;
	base = skip_prefix(&s, base);
	for (digits = s; digit_value(*s) < base; s++) {
		unsigned int d = digit_value(*s);

		if (value > (UINT64_MAX - d) / base)
			overflow = true;
		value = value * base + d;
	}
	if (s == digits)
		return -EINVAL;
	if (overflow)
		return -ERANGE;
	if (*s == '\n')
		s++;
	if (*s != '\0')
		return -EINVAL;
	*out = value;
	return 0;
}
