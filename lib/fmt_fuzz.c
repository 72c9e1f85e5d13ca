// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for lib/fmt.c. The input does not become a format
 * string directly (a stray %s would read a wild pointer); it picks each
 * part of one directive (flags, width, precision, length, conversion)
 * and its argument, so every combination is exercised with the argument
 * type the directive expects. Checks: the returned length matches the
 * text, truncated output is a terminated prefix of the full output, and
 * plain unsigned numbers parse back to the value printed.
 */
#include <tern/base.h>
#include <tern/string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The fuzz input, consumed from the front. */
struct fuzz_input {
	const uint8_t *data;
	size_t size;
};

/* One directive and the arguments it takes. */
struct fuzz_spec {
	char fmt[48];
	char conv;
	const char *length;
	int nr_stars;
	int stars[2];
	uint64_t value;
	char str[32];
	bool is_plain; /* no flags, width or precision */
};

static uint8_t take_byte(struct fuzz_input *in)
{
	uint8_t b = 0;

	if (in->size) {
		b = in->data[0];
		in->data++;
		in->size--;
	}
	return b;
}

static uint64_t take_u64(struct fuzz_input *in)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | take_byte(in);
	return v;
}

/* Appends a width or precision: none, a number, or '*' with an int argument. */
static size_t build_field(struct fuzz_input *in, struct fuzz_spec *spec, size_t pos)
{
	uint8_t b = take_byte(in);

	if (b % 3 == 1) {
		pos += (size_t)ksnprintf(spec->fmt + pos, sizeof(spec->fmt) - pos, "%u", b % 70);
	} else if (b % 3 == 2) {
		spec->fmt[pos++] = '*';
		spec->stars[spec->nr_stars++] = (int8_t)take_byte(in) * 3;
	}
	return pos;
}

static void build_spec(struct fuzz_input *in, struct fuzz_spec *spec)
{
	static const char convs[] = "diuxXopsc%";
	static const char *const lengths[] = {"", "hh", "h", "l", "ll", "z"};
	uint8_t flags = take_byte(in);
	size_t pos = 0;
	size_t before;

	spec->fmt[pos++] = '%';
	for (int i = 0; i < 5; i++) {
		if (flags & (1 << i))
			spec->fmt[pos++] = "-0+ #"[i];
	}
	before = pos;
	pos = build_field(in, spec, pos);
	if (take_byte(in) & 1) {
		spec->fmt[pos++] = '.';
		pos = build_field(in, spec, pos);
	}
	spec->is_plain = (flags & 0x1f) == 0 && pos == before;
	spec->conv = convs[take_byte(in) % (sizeof(convs) - 1)];
	spec->length = strchr("diuxXo", spec->conv) ? lengths[take_byte(in) % 6] : "";
	spec->value = take_u64(in);
	for (size_t i = 0; i + 1 < sizeof(spec->str); i++)
		spec->str[i] = (char)(take_byte(in) | 1);
	spec->str[take_byte(in) % sizeof(spec->str)] = '\0';
	spec->str[sizeof(spec->str) - 1] = '\0';
	ksnprintf(spec->fmt + pos, sizeof(spec->fmt) - pos, "%s%c", spec->length, spec->conv);
}

/* Calls ksnprintf with the star arguments, then value converted to type. */
#define FUZZ_CALL(buf, size, spec, value)                                     \
	((spec)->nr_stars == 0 ? ksnprintf(buf, size, (spec)->fmt, value)     \
	 : (spec)->nr_stars == 1                                              \
		 ? ksnprintf(buf, size, (spec)->fmt, (spec)->stars[0], value) \
		 : ksnprintf(buf, size, (spec)->fmt, (spec)->stars[0], (spec)->stars[1], value))

static int format_spec(char *buf, size_t size, const struct fuzz_spec *spec)
{
	switch (spec->conv) {
	case 'p':
		return FUZZ_CALL(buf, size, spec, (void *)(uintptr_t)spec->value);
	case 's':
		return FUZZ_CALL(buf, size, spec, spec->value & 1 ? spec->str : (const char *)NULL);
	default:
		break;
	}
	if (strcmp(spec->length, "ll") == 0)
		return FUZZ_CALL(buf, size, spec, (long long)spec->value);
	if (spec->length[0] == 'l' || spec->length[0] == 'z')
		return FUZZ_CALL(buf, size, spec, (long)spec->value);
	return FUZZ_CALL(buf, size, spec, (int)spec->value);
}

/* The value a plain %u, %x or %o must print back as. */
static uint64_t expected_unsigned(const struct fuzz_spec *spec)
{
	if (strcmp(spec->length, "hh") == 0)
		return (uint8_t)spec->value;
	if (strcmp(spec->length, "h") == 0)
		return (uint16_t)spec->value;
	if (spec->length[0] == '\0')
		return (uint32_t)spec->value;
	return spec->value;
}

static void check_parses_back(const struct fuzz_spec *spec, const char *text)
{
	unsigned int base = spec->conv == 'u' ? 10 : spec->conv == 'o' ? 8 : 16;
	uint64_t parsed = 0;

	assert(kstrtou64(text, base, &parsed) == 0);
	assert(parsed == expected_unsigned(spec));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = {data, size};
	struct fuzz_spec spec = {.nr_stars = 0};
	char full[8192];
	char part[8192];
	size_t part_size;
	size_t kept;
	int n;

	build_spec(&in, &spec);
	n = format_spec(NULL, 0, &spec);
	assert(n >= 0 && (size_t)n < sizeof(full));
	assert(format_spec(full, sizeof(full), &spec) == n);
	assert(full[n] == '\0');
	if (spec.conv != 'c')
		assert(strlen(full) == (size_t)n);
	if (spec.is_plain && strchr("uxXo", spec.conv))
		check_parses_back(&spec, full);

	part_size = (size_t)take_byte(&in) << 8 | take_byte(&in);
	part_size %= (size_t)n + 2;
	memset(part, 'Z', sizeof(part));
	assert(format_spec(part, part_size, &spec) == n);
	kept = part_size ? MIN(part_size - 1, (size_t)n) : 0;
	assert(memcmp(part, full, kept) == 0);
	if (part_size)
		assert(part[kept] == '\0');
	assert(part[part_size] == 'Z');
	return 0;
}
