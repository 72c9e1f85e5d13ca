// SPDX-License-Identifier: MIT
/*
 * printf-style formatting for the kernel log, panic messages and
 * anything else that builds text (kvsnprintf, ksnprintf in
 * include/tern/string.h). Pure code: it only writes into the caller's
 * buffer. No floating point and no %n: a directive the formatter does not
 * know is copied to the output as written.
 */
#include <tern/string.h>

/* Larger widths and precisions are clamped, so a typo cannot stall the kernel. */
#define FMT_FIELD_MAX 4096

enum fmt_flag {
	FMT_LEFT = 1 << 0,  /* '-': pad on the right */
	FMT_ZERO = 1 << 1,  /* '0': pad numbers with zeros after sign and prefix */
	FMT_PLUS = 1 << 2,  /* '+': "+" before non-negative signed numbers */
	FMT_SPACE = 1 << 3, /* ' ': " " before non-negative signed numbers */
	FMT_ALT = 1 << 4,   /* '#': 0x/0X prefix for hex, leading 0 for octal */
};

enum fmt_length {
	FMT_LEN_INT,
	FMT_LEN_CHAR,  /* hh */
	FMT_LEN_SHORT, /* h */
	FMT_LEN_LONG,  /* l, also z, t and j: all 64 bits on x86-64 */
	FMT_LEN_LLONG, /* ll */
};

/* One parsed directive: %[flags][width][.precision][length]conversion. */
struct fmt_spec {
	unsigned int flags; /* enum fmt_flag bits */
	int width;	    /* minimum field width, 0 if none */
	int precision;	    /* -1 if none */
	enum fmt_length length;
	char conv; /* conversion character, 0 at end of the format */
};

/* Output cursor: counts every byte, stores those that fit before the NUL. */
struct fmt_out {
	char *buf;
	size_t size; /* bytes available in buf, including the terminator */
	size_t len;  /* bytes the full output has so far */
};

_Static_assert(sizeof(long) == 8 && sizeof(size_t) == 8 && sizeof(void *) == 8,
	       "fmt.c assumes an LP64 target");

static void out_char(struct fmt_out *out, char c)
{
	if (out->len + 1 < out->size)
		out->buf[out->len] = c;
	out->len++;
}

static void out_repeat(struct fmt_out *out, char c, int count)
{
	for (int i = 0; i < count; i++)
		out_char(out, c);
}

static void out_bytes(struct fmt_out *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out_char(out, s[i]);
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Reads a decimal field (width or precision) and advances *fmt past it. */
static int parse_field(const char **fmt)
{
	int value = 0;

	while (is_digit(**fmt)) {
		if (value < FMT_FIELD_MAX)
			value = value * 10 + (**fmt - '0');
		(*fmt)++;
	}
	return MIN(value, FMT_FIELD_MAX);
}

static unsigned int parse_flags(const char **fmt)
{
	unsigned int flags = 0;

	for (;; (*fmt)++) {
		switch (**fmt) {
		case '-':
			flags |= FMT_LEFT;
			break;
		case '0':
			flags |= FMT_ZERO;
			break;
		case '+':
			flags |= FMT_PLUS;
			break;
		case ' ':
			flags |= FMT_SPACE;
			break;
		case '#':
			flags |= FMT_ALT;
			break;
		default:
			return flags;
		}
	}
}

static enum fmt_length parse_length(const char **fmt)
{
	switch (**fmt) {
	case 'h':
		(*fmt)++;
		if (**fmt != 'h')
			return FMT_LEN_SHORT;
		(*fmt)++;
		return FMT_LEN_CHAR;
	case 'l':
		(*fmt)++;
		if (**fmt != 'l')
			return FMT_LEN_LONG;
		(*fmt)++;
		return FMT_LEN_LLONG;
	case 'z':
	case 't':
	case 'j':
		(*fmt)++;
		return FMT_LEN_LONG;
	default:
		return FMT_LEN_INT;
	}
}

/*
 * Parses the directive after a '%' and advances *fmt past it. Arguments
 * for '*' are taken from ap here, in the order C requires.
 */
static void parse_spec(const char **fmt, va_list *ap, struct fmt_spec *spec)
{
	spec->flags = parse_flags(fmt);
	spec->width = 0;
	spec->precision = -1;
	if (**fmt == '*') {
		int w = va_arg(*ap, int);
		/* Negating in unsigned arithmetic keeps INT_MIN defined. */
		unsigned int magnitude = w < 0 ? 0u - (unsigned int)w : (unsigned int)w;

		(*fmt)++;
		if (w < 0)
			spec->flags |= FMT_LEFT;
		spec->width = (int)MIN(magnitude, (unsigned int)FMT_FIELD_MAX);
	} else {
		spec->width = parse_field(fmt);
	}
	if (**fmt == '.') {
		(*fmt)++;
		if (**fmt == '*') {
			int p = va_arg(*ap, int);

			(*fmt)++;
			spec->precision = p < 0 ? -1 : MIN(p, FMT_FIELD_MAX);
		} else {
			spec->precision = parse_field(fmt);
		}
	}
	spec->length = parse_length(fmt);
	spec->conv = **fmt;
	if (spec->conv)
		(*fmt)++;
}

/* Pads s (n bytes) to the field width with spaces, for %s and %c. */
static void out_padded(struct fmt_out *out, const struct fmt_spec *spec, const char *s, size_t n)
{
	int pad = (size_t)spec->width > n ? spec->width - (int)n : 0;

	if (!(spec->flags & FMT_LEFT))
		out_repeat(out, ' ', pad);
	out_bytes(out, s, n);
	if (spec->flags & FMT_LEFT)
		out_repeat(out, ' ', pad);
}

static void format_string(struct fmt_out *out, const struct fmt_spec *spec, const char *s)
{
	size_t n;

	if (!s)
		s = "(null)";
	/* strnlen stops at the precision: the string need not be terminated. */
	n = spec->precision >= 0 ? strnlen(s, (size_t)spec->precision) : strlen(s);
	out_padded(out, spec, s, n);
}

/* Writes value's digits in base 8, 10 or 16 backwards, ending at end; returns the count. */
static int utoa_reverse(char *end, uint64_t value, unsigned int base, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	int n = 0;

	do {
		*--end = digits[value % base];
		value /= base;
		n++;
	} while (value);
	return n;
}

/*
 * Outline:
 *   digits  = value in base, none at all for value 0 with precision 0
 *   zeros   = enough to reach the precision (and one for "%#o" if missing)
 *   prefix  = sign ("-", "+", " ") or "0x"/"0X"
 *   field   = prefix zeros digits, padded to width: spaces on the left,
 *             spaces on the right with '-', or zeros after the prefix with
 *             '0' when no precision was given
 */
static void format_number(struct fmt_out *out, const struct fmt_spec *spec, uint64_t value,
			  bool is_negative, unsigned int base, const char *prefix)
{
	char digits[24];
	int nr_digits = 0;
	int nr_zeros;
	int prefix_len;
	int pad;

	if (value != 0 || spec->precision != 0)
		nr_digits = utoa_reverse(digits + sizeof(digits), value, base, spec->conv == 'X');
	nr_zeros = spec->precision > nr_digits ? spec->precision - nr_digits : 0;
	if (base == 8 && (spec->flags & FMT_ALT) && nr_zeros == 0 &&
	    (nr_digits == 0 || digits[sizeof(digits) - nr_digits] != '0'))
		nr_zeros = 1;
	if (is_negative)
		prefix = "-";
	prefix_len = (int)strlen(prefix);
	pad = spec->width - prefix_len - nr_zeros - nr_digits;
	if (pad < 0)
		pad = 0;
	if ((spec->flags & FMT_ZERO) && !(spec->flags & FMT_LEFT) && spec->precision < 0) {
		nr_zeros += pad;
		pad = 0;
	}
	if (!(spec->flags & FMT_LEFT))
		out_repeat(out, ' ', pad);
	out_bytes(out, prefix, (size_t)prefix_len);
	out_repeat(out, '0', nr_zeros);
	out_bytes(out, digits + sizeof(digits) - nr_digits, (size_t)nr_digits);
	if (spec->flags & FMT_LEFT)
		out_repeat(out, ' ', pad);
}

static int64_t fetch_signed(const struct fmt_spec *spec, va_list *ap)
{
	switch (spec->length) {
	case FMT_LEN_CHAR:
		return (signed char)va_arg(*ap, int);
	case FMT_LEN_SHORT:
		return (short)va_arg(*ap, int);
	case FMT_LEN_LONG:
		return va_arg(*ap, long);
	case FMT_LEN_LLONG:
		return va_arg(*ap, long long);
	default:
		return va_arg(*ap, int);
	}
}

static uint64_t fetch_unsigned(const struct fmt_spec *spec, va_list *ap)
{
	switch (spec->length) {
	case FMT_LEN_CHAR:
		return (unsigned char)va_arg(*ap, unsigned int);
	case FMT_LEN_SHORT:
		return (unsigned short)va_arg(*ap, unsigned int);
	case FMT_LEN_LONG:
		return va_arg(*ap, unsigned long);
	case FMT_LEN_LLONG:
		return va_arg(*ap, unsigned long long);
	default:
		return va_arg(*ap, unsigned int);
	}
}

static void format_signed(struct fmt_out *out, const struct fmt_spec *spec, va_list *ap)
{
	int64_t v = fetch_signed(spec, ap);
	/* Negating in unsigned arithmetic keeps INT64_MIN defined. */
	uint64_t magnitude = v < 0 ? -(uint64_t)v : (uint64_t)v;
	const char *prefix = "";

	if (spec->flags & FMT_PLUS)
		prefix = "+";
	else if (spec->flags & FMT_SPACE)
		prefix = " ";
	format_number(out, spec, magnitude, v < 0, 10, prefix);
}

static void format_unsigned(struct fmt_out *out, const struct fmt_spec *spec, va_list *ap)
{
	uint64_t v = fetch_unsigned(spec, ap);
	const char *prefix = "";
	unsigned int base = 10;

	if (spec->conv == 'o') {
		base = 8;
	} else if (spec->conv == 'x' || spec->conv == 'X') {
		base = 16;
		if ((spec->flags & FMT_ALT) && v != 0)
			prefix = spec->conv == 'x' ? "0x" : "0X";
	}
	format_number(out, spec, v, false, base, prefix);
}

/* %p is 0x and lowercase hex, also for NULL, so addresses always line up. */
static void format_pointer(struct fmt_out *out, const struct fmt_spec *spec, va_list *ap)
{
	struct fmt_spec hex = *spec;
	uint64_t v = (uintptr_t)va_arg(*ap, void *);

	hex.conv = 'x';
	format_number(out, &hex, v, false, 16, "0x");
}

/* Handles one directive; returns false if it is unknown and must be copied literally. */
static bool format_one(struct fmt_out *out, const struct fmt_spec *spec, va_list *ap)
{
	char c;

	switch (spec->conv) {
	case 'd':
	case 'i':
		format_signed(out, spec, ap);
		return true;
	case 'u':
	case 'x':
	case 'X':
	case 'o':
		format_unsigned(out, spec, ap);
		return true;
	case 'p':
		format_pointer(out, spec, ap);
		return true;
	case 's':
		format_string(out, spec, va_arg(*ap, const char *));
		return true;
	case 'c':
		c = (char)va_arg(*ap, int);
		out_padded(out, spec, &c, 1);
		return true;
	case '%':
		out_char(out, '%');
		return true;
	default:
		return false;
	}
}

/*
 * Formats into buf, storing at most size - 1 bytes plus a terminator when
 * size > 0 (buf may be NULL when size is 0). Returns the length the whole
 * output would have had, which is >= size when it was truncated.
 */
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct fmt_out out = {.buf = buf, .size = size, .len = 0};
	va_list args;

	/* A copy, so helpers can take a pointer to it whatever va_list's type is. */
	va_copy(args, ap);
	while (*fmt) {
		const char *start = fmt;
		struct fmt_spec spec;

		if (*fmt != '%') {
			out_char(&out, *fmt++);
			continue;
		}
		fmt++;
		parse_spec(&fmt, &args, &spec);
		if (!format_one(&out, &spec, &args))
			out_bytes(&out, start, (size_t)(fmt - start));
	}
	va_end(args);
	if (size)
		buf[MIN(out.len, size - 1)] = '\0';
	return out.len > 0x7fffffff ? 0x7fffffff : (int)out.len;
}

/* Like kvsnprintf, with the arguments inline. */
int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
