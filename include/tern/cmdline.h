/* SPDX-License-Identifier: MIT */
/*
 * The kernel command line (lib/cmdline.c), parsed the way Linux parses
 * it: parameters separated by white space, each either "key=value" or a
 * bare "key"; double quotes group text containing spaces and are removed
 * ("key=\"a b\"", "\"key=a b\""); everything after a standalone "--" is
 * handed to init as its arguments. A struct cmdline holds its own copy of
 * the text, so the caller's string may go away, and it may be copied.
 */
#pragma once

#include <tern/types.h>

/* Longest command line in bytes, including the NUL; the same as BOOT_CMDLINE_MAX. */
#define CMDLINE_MAX_LEN 1024
/* Every word needs at least one byte and one separator. */
#define CMDLINE_MAX_WORDS (CMDLINE_MAX_LEN / 2)

/* One word of the line, as offsets into text (offsets keep the struct copyable). */
struct cmdline_word {
	uint16_t key;	/* offset of the key (or init argument) */
	uint16_t value; /* offset of the value, CMDLINE_NO_VALUE for a bare key */
};

#define CMDLINE_NO_VALUE 0xffff

struct cmdline {
	char text[CMDLINE_MAX_LEN];		      /* words, each NUL-terminated */
	struct cmdline_word words[CMDLINE_MAX_WORDS]; /* params, then init args */
	uint16_t nr_params;			      /* words before "--" */
	uint16_t nr_init_args;			      /* words after "--" */
};

/* One kernel parameter, as returned by cmdline_param_at. */
struct cmdline_param {
	const char *key;   /* never NULL */
	const char *value; /* NULL for a bare key, "" for "key=" */
};

/*
 * Parses text into cl, replacing what cl held. Returns 0, or -E2BIG if
 * text has CMDLINE_MAX_LEN bytes or more (cl is then empty). Never fails
 * otherwise: an unterminated quote runs to the end of the line.
 */
int cmdline_parse(struct cmdline *cl, const char *text) __must_check;

/*
 * Value of the last parameter named key: "" for a bare key or "key=",
 * NULL if key is absent. Keys match as in Linux's parameq: '-' and '_'
 * are the same character. Parameters after "--" are not searched.
 */
const char *cmdline_get(const struct cmdline *cl, const char *key);

/* Whether a parameter named key appears (bare or with a value). */
bool cmdline_has_key(const struct cmdline *cl, const char *key);

/*
 * Parses the value of the last parameter named key as a number with
 * kstrtou64 base 0 (so 0x hex and leading-0 octal work). Returns 0 and
 * sets *out; -ENOENT if key is absent; -EINVAL for a bare key or a value
 * that is not a number; -ERANGE if it does not fit. *out is unchanged on
 * error.
 */
int cmdline_get_u64(const struct cmdline *cl, const char *key, uint64_t *out) __must_check;

/* Number of kernel parameters (the words before "--"). */
size_t cmdline_nr_params(const struct cmdline *cl);

/* The index-th parameter in line order; {NULL, NULL} if index is out of range. */
struct cmdline_param cmdline_param_at(const struct cmdline *cl, size_t index);

/* Number of arguments for init (the words after "--"). */
size_t cmdline_nr_init_args(const struct cmdline *cl);

/* The index-th init argument, quotes removed and any '=' kept; NULL if out of range. */
const char *cmdline_init_arg(const struct cmdline *cl, size_t index);
