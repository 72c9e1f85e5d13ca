// SPDX-License-Identifier: MIT
/*
 * Kernel command-line parser (include/tern/cmdline.h). Pure code: it
 * splits a copy of the line into words and answers lookups; deciding
 * what console=, init= or loglevel= mean is up to the kernel's init code.
 */
#include <asm-generic/errno.h>
#include <tern/cmdline.h>
#include <tern/string.h>

static bool is_space(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/*
 * Removes the quotes from the word starting at text[*rd], writes it,
 * NUL-terminated, at text[*wr] and advances both cursors past it.
 * Writing never overtakes reading: quotes and separators only shrink.
 */
static void cmdline_take_word(char *text, size_t *rd, size_t *wr)
{
	size_t r = *rd;
	size_t w = *wr;
	bool in_quote = false;

	for (; text[r] && (in_quote || !is_space(text[r])); r++) {
		if (text[r] == '"')
			in_quote = !in_quote;
		else
			text[w++] = text[r];
	}
	if (text[r])
		r++;
	text[w++] = '\0';
	*rd = r;
	*wr = w;
}

static void cmdline_add_word(struct cmdline *cl, size_t key, bool is_init_arg)
{
	struct cmdline_word *word = &cl->words[cl->nr_params + cl->nr_init_args];
	char *eq = strchr(&cl->text[key], '=');

	word->key = (uint16_t)key;
	word->value = CMDLINE_NO_VALUE;
	if (is_init_arg) {
		cl->nr_init_args++;
		return;
	}
	if (eq) {
		*eq = '\0';
		word->value = (uint16_t)(eq + 1 - cl->text);
	}
	cl->nr_params++;
}

/*
 * Outline:
 *   copy the line into cl->text
 *   for each word (a run of non-space bytes; quotes protect spaces):
 *     remove its quotes, compacting it towards the start of text
 *     if it is the first "--": the remaining words are init arguments
 *     else record it, splitting a parameter at its first '='
 * ABI: Linux (kernel/params.c next_arg) removes a quote only at the start
 * of the word or value and at its end; we remove every quote, which gives
 * the same words for every form Linux documents. Only the first "--"
 * separates; a later one is an ordinary init argument.
 */
int cmdline_parse(struct cmdline *cl, const char *text)
{
	size_t len = strnlen(text, CMDLINE_MAX_LEN);
	size_t rd = 0;
	size_t wr = 0;
	bool after_dashes = false;

	cl->nr_params = 0;
	cl->nr_init_args = 0;
	cl->text[0] = '\0';
	if (len == CMDLINE_MAX_LEN)
		return -E2BIG;
	memcpy(cl->text, text, len + 1);
	for (;;) {
		size_t start = wr;

		while (is_space(cl->text[rd]))
			rd++;
		if (!cl->text[rd])
			break;
		cmdline_take_word(cl->text, &rd, &wr);
		if (!after_dashes && strcmp(&cl->text[start], "--") == 0) {
			after_dashes = true;
			continue;
		}
		cmdline_add_word(cl, start, after_dashes);
	}
	return 0;
}

/* Linux's parameq: '-' and '_' are interchangeable in parameter names. */
static bool cmdline_keys_equal(const char *a, const char *b)
{
	for (;; a++, b++) {
		char ca = *a == '-' ? '_' : *a;
		char cb = *b == '-' ? '_' : *b;

		if (ca != cb)
			return false;
		if (!ca)
			return true;
	}
}

/* Index of the last parameter named key, or -1. */
static long cmdline_find(const struct cmdline *cl, const char *key)
{
	for (long i = (long)cl->nr_params - 1; i >= 0; i--) {
		if (cmdline_keys_equal(&cl->text[cl->words[i].key], key))
			return i;
	}
	return -1;
}

const char *cmdline_get(const struct cmdline *cl, const char *key)
{
	long i = cmdline_find(cl, key);

	if (i < 0)
		return NULL;
	if (cl->words[i].value == CMDLINE_NO_VALUE)
		return "";
	return &cl->text[cl->words[i].value];
}

bool cmdline_has_key(const struct cmdline *cl, const char *key)
{
	return cmdline_find(cl, key) >= 0;
}

int cmdline_get_u64(const struct cmdline *cl, const char *key, uint64_t *out)
{
	const char *value = cmdline_get(cl, key);

	if (!value)
		return -ENOENT;
	return kstrtou64(value, 0, out);
}

size_t cmdline_nr_params(const struct cmdline *cl)
{
	return cl->nr_params;
}

struct cmdline_param cmdline_param_at(const struct cmdline *cl, size_t index)
{
	struct cmdline_param p = {NULL, NULL};
	const struct cmdline_word *word;

	if (index >= cl->nr_params)
		return p;
	word = &cl->words[index];
	p.key = &cl->text[word->key];
	if (word->value != CMDLINE_NO_VALUE)
		p.value = &cl->text[word->value];
	return p;
}

size_t cmdline_nr_init_args(const struct cmdline *cl)
{
	return cl->nr_init_args;
}

const char *cmdline_init_arg(const struct cmdline *cl, size_t index)
{
	if (index >= cl->nr_init_args)
		return NULL;
	return &cl->text[cl->words[cl->nr_params + index].key];
}
