// SPDX-License-Identifier: MIT
/*
 * Unit tests for lib/cmdline.c: splitting, quoting, the "--" separator,
 * lookups and the length limit.
 */
#include <asm-generic/errno.h>
#include <tern/cmdline.h>
#include <tern/ktest.h>
#include <tern/string.h>

/* The struct is large; keep it off the small host test stacks. */
static struct cmdline cl;

static bool str_eq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

/* Checks that parameter index is key (with value, or bare if value is NULL). */
static void check_param(struct ktest *t, int line, size_t index, const char *key, const char *value)
{
	struct cmdline_param p = cmdline_param_at(&cl, index);

	if (!str_eq(p.key, key) || (value ? !str_eq(p.value, value) : p.value != NULL))
		ktest_fail(t, __FILE__, line, "param %zu is \"%s\"=\"%s\", want \"%s\"=\"%s\"",
			   index, p.key, p.value, key, value);
}

#define KEXPECT_PARAM(index, key, value) check_param(t, __LINE__, index, key, value)
#define KEXPECT_STR(a, b) KEXPECT(str_eq(a, b))

KTEST(cmdline, test_cmdline_parse_empty_and_blank)
{
	KASSERT_EQ(cmdline_parse(&cl, ""), 0);
	KEXPECT_EQ(cmdline_nr_params(&cl), 0);
	KEXPECT_EQ(cmdline_nr_init_args(&cl), 0);
	KASSERT_EQ(cmdline_parse(&cl, "  \t\n\r\v\f "), 0);
	KEXPECT_EQ(cmdline_nr_params(&cl), 0);
	KEXPECT(cmdline_get(&cl, "") == NULL);
}

KTEST(cmdline, test_cmdline_parse_keys_values_and_bare_keys)
{
	KASSERT_EQ(cmdline_parse(&cl, "console=ttyS0 quiet loglevel=7 root="), 0);
	KASSERT_EQ(cmdline_nr_params(&cl), 4);
	KEXPECT_PARAM(0, "console", "ttyS0");
	KEXPECT_PARAM(1, "quiet", NULL);
	KEXPECT_PARAM(2, "loglevel", "7");
	KEXPECT_PARAM(3, "root", "");
	KEXPECT_STR(cmdline_get(&cl, "console"), "ttyS0");
	KEXPECT_STR(cmdline_get(&cl, "quiet"), "");
	KEXPECT_STR(cmdline_get(&cl, "root"), "");
	KEXPECT(cmdline_get(&cl, "init") == NULL);
	KEXPECT(cmdline_get(&cl, "consol") == NULL);
	KEXPECT(cmdline_get(&cl, "console=ttyS0") == NULL);
	KEXPECT(cmdline_has_key(&cl, "quiet"));
	KEXPECT(cmdline_has_key(&cl, "root"));
	KEXPECT(!cmdline_has_key(&cl, "ttyS0"));
}

KTEST(cmdline, test_cmdline_value_splits_at_first_equals)
{
	KASSERT_EQ(cmdline_parse(&cl, "a=b=c =x"), 0);
	KASSERT_EQ(cmdline_nr_params(&cl), 2);
	KEXPECT_PARAM(0, "a", "b=c");
	KEXPECT_PARAM(1, "", "x");
}

KTEST(cmdline, test_cmdline_get_returns_last_occurrence)
{
	KASSERT_EQ(cmdline_parse(&cl, "init=/a x init=/b init"), 0);
	KEXPECT_STR(cmdline_get(&cl, "init"), "");
	KASSERT_EQ(cmdline_parse(&cl, "init=/a x init=/b"), 0);
	KEXPECT_STR(cmdline_get(&cl, "init"), "/b");
	KEXPECT_EQ(cmdline_nr_params(&cl), 3);
}

KTEST(cmdline, test_cmdline_separators_are_any_white_space)
{
	KASSERT_EQ(cmdline_parse(&cl, "\t a=1 \t\n  b=2\n"), 0);
	KASSERT_EQ(cmdline_nr_params(&cl), 2);
	KEXPECT_PARAM(0, "a", "1");
	KEXPECT_PARAM(1, "b", "2");
}

KTEST(cmdline, test_cmdline_quoted_value)
{
	KASSERT_EQ(cmdline_parse(&cl, "k=\"a b\" x=1"), 0);
	KASSERT_EQ(cmdline_nr_params(&cl), 2);
	KEXPECT_PARAM(0, "k", "a b");
	KEXPECT_PARAM(1, "x", "1");
}

KTEST(cmdline, test_cmdline_quoted_whole_param)
{
	KASSERT_EQ(cmdline_parse(&cl, "\"k=a  b\" \"quiet\" \"=v\""), 0);
	KASSERT_EQ(cmdline_nr_params(&cl), 3);
	KEXPECT_PARAM(0, "k", "a  b");
	KEXPECT_PARAM(1, "quiet", NULL);
	KEXPECT_PARAM(2, "", "v");
}

KTEST(cmdline, test_cmdline_empty_quotes)
{
	KASSERT_EQ(cmdline_parse(&cl, "k=\"\" \"\" j=1"), 0);
	KASSERT_EQ(cmdline_nr_params(&cl), 3);
	KEXPECT_PARAM(0, "k", "");
	KEXPECT_PARAM(1, "", NULL);
	KEXPECT_PARAM(2, "j", "1");
}

KTEST(cmdline, test_cmdline_quotes_inside_word_are_removed)
{
	KASSERT_EQ(cmdline_parse(&cl, "k=\"a\"b dyn=x\"y z\"w"), 0);
	KASSERT_EQ(cmdline_nr_params(&cl), 2);
	KEXPECT_PARAM(0, "k", "ab");
	KEXPECT_PARAM(1, "dyn", "xy zw");
}

KTEST(cmdline, test_cmdline_unterminated_quote_runs_to_end)
{
	KASSERT_EQ(cmdline_parse(&cl, "a=1 k=\"b c -- d"), 0);
	KASSERT_EQ(cmdline_nr_params(&cl), 2);
	KEXPECT_PARAM(1, "k", "b c -- d");
	KEXPECT_EQ(cmdline_nr_init_args(&cl), 0);
}

KTEST(cmdline, test_cmdline_dashes_split_init_args)
{
	KASSERT_EQ(cmdline_parse(&cl, "a=1 -- x y=2 \"hello world\" --z"), 0);
	KASSERT_EQ(cmdline_nr_params(&cl), 1);
	KEXPECT_PARAM(0, "a", "1");
	KASSERT_EQ(cmdline_nr_init_args(&cl), 4);
	KEXPECT_STR(cmdline_init_arg(&cl, 0), "x");
	KEXPECT_STR(cmdline_init_arg(&cl, 1), "y=2");
	KEXPECT_STR(cmdline_init_arg(&cl, 2), "hello world");
	KEXPECT_STR(cmdline_init_arg(&cl, 3), "--z");
	KEXPECT(cmdline_init_arg(&cl, 4) == NULL);
	/* Init arguments are not kernel parameters. */
	KEXPECT(cmdline_get(&cl, "y") == NULL);
	KEXPECT(!cmdline_has_key(&cl, "x"));
}

KTEST(cmdline, test_cmdline_second_dashes_is_an_init_arg)
{
	KASSERT_EQ(cmdline_parse(&cl, "-- a -- b"), 0);
	KEXPECT_EQ(cmdline_nr_params(&cl), 0);
	KASSERT_EQ(cmdline_nr_init_args(&cl), 3);
	KEXPECT_STR(cmdline_init_arg(&cl, 0), "a");
	KEXPECT_STR(cmdline_init_arg(&cl, 1), "--");
	KEXPECT_STR(cmdline_init_arg(&cl, 2), "b");
}

KTEST(cmdline, test_cmdline_dashes_at_either_end)
{
	KASSERT_EQ(cmdline_parse(&cl, "quiet --"), 0);
	KEXPECT_EQ(cmdline_nr_params(&cl), 1);
	KEXPECT_EQ(cmdline_nr_init_args(&cl), 0);
	KASSERT_EQ(cmdline_parse(&cl, "--"), 0);
	KEXPECT_EQ(cmdline_nr_params(&cl), 0);
	KEXPECT_EQ(cmdline_nr_init_args(&cl), 0);
	KASSERT_EQ(cmdline_parse(&cl, "--\tsh"), 0);
	KEXPECT_EQ(cmdline_nr_params(&cl), 0);
	KASSERT_EQ(cmdline_nr_init_args(&cl), 1);
	KEXPECT_STR(cmdline_init_arg(&cl, 0), "sh");
}

KTEST(cmdline, test_cmdline_dash_lookalikes_are_params)
{
	/* Like Linux, a quoted "--" still separates (quotes are removed first). */
	KASSERT_EQ(cmdline_parse(&cl, "--x ---  --=1 \"--\" y"), 0);
	KASSERT_EQ(cmdline_nr_params(&cl), 3);
	KEXPECT_PARAM(0, "--x", NULL);
	KEXPECT_PARAM(1, "---", NULL);
	KEXPECT_PARAM(2, "--", "1");
	KASSERT_EQ(cmdline_nr_init_args(&cl), 1);
	KEXPECT_STR(cmdline_init_arg(&cl, 0), "y");
}

KTEST(cmdline, test_cmdline_dash_and_underscore_match)
{
	KASSERT_EQ(cmdline_parse(&cl, "foo-bar=1 baz_qux=2"), 0);
	KEXPECT_STR(cmdline_get(&cl, "foo_bar"), "1");
	KEXPECT_STR(cmdline_get(&cl, "foo-bar"), "1");
	KEXPECT_STR(cmdline_get(&cl, "baz-qux"), "2");
	KEXPECT(cmdline_get(&cl, "foo_baz") == NULL);
	KEXPECT(cmdline_get(&cl, "foo") == NULL);
	KEXPECT(cmdline_get(&cl, "foo-bar-") == NULL);
}

KTEST(cmdline, test_cmdline_get_u64)
{
	uint64_t v = 99;
	const char *line = "n=42 h=0x10 o=010 big=18446744073709551615 "
			   "over=18446744073709551616 bad=12abc bare empty=";

	KASSERT_EQ(cmdline_parse(&cl, line), 0);
	KEXPECT_EQ(cmdline_get_u64(&cl, "n", &v), 0);
	KEXPECT_EQ(v, 42);
	KEXPECT_EQ(cmdline_get_u64(&cl, "h", &v), 0);
	KEXPECT_EQ(v, 16);
	KEXPECT_EQ(cmdline_get_u64(&cl, "o", &v), 0);
	KEXPECT_EQ(v, 8);
	KEXPECT_EQ(cmdline_get_u64(&cl, "big", &v), 0);
	KEXPECT(v == UINT64_MAX);
	v = 7;
	KEXPECT_EQ(cmdline_get_u64(&cl, "over", &v), -ERANGE);
	KEXPECT_EQ(cmdline_get_u64(&cl, "bad", &v), -EINVAL);
	KEXPECT_EQ(cmdline_get_u64(&cl, "bare", &v), -EINVAL);
	KEXPECT_EQ(cmdline_get_u64(&cl, "empty", &v), -EINVAL);
	KEXPECT_EQ(cmdline_get_u64(&cl, "missing", &v), -ENOENT);
	KEXPECT_EQ(v, 7);
}

KTEST(cmdline, test_cmdline_out_of_range_index)
{
	struct cmdline_param p;

	KASSERT_EQ(cmdline_parse(&cl, "a -- b"), 0);
	p = cmdline_param_at(&cl, 1);
	KEXPECT(p.key == NULL && p.value == NULL);
	p = cmdline_param_at(&cl, (size_t)-1);
	KEXPECT(p.key == NULL && p.value == NULL);
	KEXPECT(cmdline_init_arg(&cl, 1) == NULL);
	KEXPECT(cmdline_init_arg(&cl, (size_t)-1) == NULL);
}

KTEST(cmdline, test_cmdline_too_long_is_e2big)
{
	char text[CMDLINE_MAX_LEN + 1];

	memset(text, 'a', sizeof(text));
	text[CMDLINE_MAX_LEN] = '\0';
	KASSERT_EQ(cmdline_parse(&cl, "old=1"), 0);
	KEXPECT_EQ(cmdline_parse(&cl, text), -E2BIG);
	/* A failed parse leaves an empty line, not the previous one. */
	KEXPECT_EQ(cmdline_nr_params(&cl), 0);
	KEXPECT(cmdline_get(&cl, "old") == NULL);

	text[CMDLINE_MAX_LEN - 1] = '\0';
	KASSERT_EQ(cmdline_parse(&cl, text), 0);
	KASSERT_EQ(cmdline_nr_params(&cl), 1);
	KEXPECT_EQ(strlen(cmdline_param_at(&cl, 0).key), CMDLINE_MAX_LEN - 1);
}

KTEST(cmdline, test_cmdline_most_words_fit)
{
	char text[CMDLINE_MAX_LEN];
	size_t n = 0;

	/* "a b a b ... " is the densest line: 512 words in 1023 bytes. */
	for (size_t i = 0; i + 1 < sizeof(text); i += 2) {
		text[i] = i % 4 ? 'b' : 'a';
		text[i + 1] = ' ';
		n++;
	}
	text[sizeof(text) - 2] = 'z';
	text[sizeof(text) - 1] = '\0';
	KASSERT_EQ(cmdline_parse(&cl, text), 0);
	KASSERT_EQ(cmdline_nr_params(&cl), n);
	KEXPECT_EQ(n, CMDLINE_MAX_WORDS);
	KEXPECT_PARAM(0, "a", NULL);
	KEXPECT_PARAM(1, "b", NULL);
	KEXPECT_PARAM(n - 1, "z", NULL);
}

KTEST(cmdline, test_cmdline_keeps_its_own_copy)
{
	char text[] = "root=/dev/vda -- single";
	struct cmdline copy;

	KASSERT_EQ(cmdline_parse(&cl, text), 0);
	memset(text, 'x', sizeof(text) - 1);
	KEXPECT_STR(cmdline_get(&cl, "root"), "/dev/vda");
	copy = cl;
	KASSERT_EQ(cmdline_parse(&cl, "root=/dev/sda"), 0);
	KEXPECT_STR(cmdline_get(&copy, "root"), "/dev/vda");
	KEXPECT_STR(cmdline_init_arg(&copy, 0), "single");
	KEXPECT_STR(cmdline_get(&cl, "root"), "/dev/sda");
	KEXPECT_EQ(cmdline_nr_init_args(&cl), 0);
}
