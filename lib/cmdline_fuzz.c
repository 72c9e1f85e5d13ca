// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for lib/cmdline.c: the command line comes from the
 * boot loader, so any bytes must parse without reading or writing out of
 * bounds, and every word found must be consistent with the lookups.
 */
#include <asm-generic/errno.h>
#include <tern/base.h>
#include <tern/cmdline.h>
#include <tern/string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct cmdline cl;
static char text[CMDLINE_MAX_LEN + 64];

static void check_params(size_t text_len)
{
	size_t total = 0;

	for (size_t i = 0; i < cmdline_nr_params(&cl); i++) {
		struct cmdline_param p = cmdline_param_at(&cl, i);
		const char *last = cmdline_get(&cl, p.key);
		uint64_t v;
		int err;

		assert(p.key != NULL);
		assert(strchr(p.key, '=') == NULL);
		assert(last != NULL && cmdline_has_key(&cl, p.key));
		total += strlen(p.key) + (p.value ? strlen(p.value) + 1 : 0) + 1;
		err = cmdline_get_u64(&cl, p.key, &v);
		assert(err == 0 || err == -EINVAL || err == -ERANGE);
	}
	for (size_t i = 0; i < cmdline_nr_init_args(&cl); i++) {
		const char *arg = cmdline_init_arg(&cl, i);

		assert(arg != NULL);
		total += strlen(arg) + 1;
	}
	/* Words only shrink: quotes and separators are dropped, never added. */
	assert(total <= text_len + 1);
	assert(cmdline_param_at(&cl, cmdline_nr_params(&cl)).key == NULL);
	assert(cmdline_init_arg(&cl, cmdline_nr_init_args(&cl)) == NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t len = MIN(size, sizeof(text) - 1);
	int err;

	memcpy(text, data, len);
	text[len] = '\0';
	err = cmdline_parse(&cl, text);
	if (err) {
		assert(err == -E2BIG && strlen(text) >= CMDLINE_MAX_LEN);
		assert(cmdline_nr_params(&cl) == 0 && cmdline_nr_init_args(&cl) == 0);
		return 0;
	}
	assert(strlen(text) < CMDLINE_MAX_LEN);
	check_params(strlen(text));
	return 0;
}
