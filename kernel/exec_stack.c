// SPDX-License-Identifier: MIT
/*
 * The initial user stack of a new program, as Linux's fs/exec.c and
 * fs/binfmt_elf.c (create_elf_tables) lay it out: strings at the top,
 * then the pointer tables that libc's start-up code walks. Pure layout
 * into a kernel buffer; exec.c copies it into the new address space.
 */
#include <linux/auxvec.h>
#include <tern/base.h>
#include <tern/errno.h>
#include <tern/exec.h>
#include <tern/string.h>

struct stack_writer {
	uint8_t *buf; /* kernel buffer for [top - len, top) */
	uint64_t top; /* user address one past the buffer */
	uint64_t len;
	uint64_t pos; /* user address of the lowest byte written so far */
};

/* Pushes bytes downward; returns their user address, or 0 when full. */
static uint64_t push_bytes(struct stack_writer *w, const void *p, size_t n)
{
	if (w->pos - (w->top - w->len) < n)
		return 0;
	w->pos -= n;
	memcpy(w->buf + (w->pos - (w->top - w->len)), p, n);
	return w->pos;
}

static uint64_t push_string(struct stack_writer *w, const char *s)
{
	return push_bytes(w, s, strlen(s) + 1);
}

static void put_word(struct stack_writer *w, uint64_t at, uint64_t v)
{
	memcpy(w->buf + (at - (w->top - w->len)), &v, sizeof(v));
}

/* Pushes strings so that the first ends up lowest; fills addrs[]. */
static int push_strings(struct stack_writer *w, const char *const *s, size_t n, uint64_t *addrs)
{
	for (size_t i = n; i-- > 0;) {
		addrs[i] = push_string(w, s[i]);
		if (!addrs[i])
			return -E2BIG;
	}
	return 0;
}

/* Writes argc, argv[], envp[] and auxv below the strings; returns sp. */
static int write_tables(struct stack_writer *w, const struct exec_stack_args *a,
			const uint64_t *ptrs, const uint64_t special[3], uint64_t *out_sp)
{
	size_t nr_aux_words = 2 * (a->nr_auxv_pairs + 4);
	size_t nr_words = 1 + (a->argc + 1) + (a->envc + 1) + nr_aux_words;

	if (w->pos - (w->top - w->len) < nr_words * 8 + 16)
		return -E2BIG;
	uint64_t sp = (w->pos - nr_words * 8) & ~15ULL;
	uint64_t at = sp;

	put_word(w, at, a->argc);
	at += 8;
	for (size_t i = 0; i < a->argc; i++, at += 8)
		put_word(w, at, ptrs[i]);
	put_word(w, at, 0);
	at += 8;
	for (size_t i = 0; i < a->envc; i++, at += 8)
		put_word(w, at, ptrs[a->argc + i]);
	put_word(w, at, 0);
	at += 8;
	for (size_t i = 0; i < 2 * a->nr_auxv_pairs; i++, at += 8)
		put_word(w, at, a->auxv[i]);
	const uint64_t tail[] = {AT_RANDOM,   special[0], AT_EXECFN, special[1],
				 AT_PLATFORM, special[2], AT_NULL,   0};
	for (size_t i = 0; i < ARRAY_SIZE(tail); i++, at += 8)
		put_word(w, at, tail[i]);
	*out_sp = sp;
	return 0;
}

int exec_stack_build(const struct exec_stack_args *a, uint8_t *buf, size_t len, uint64_t stack_top,
		     uint64_t *out_sp)
{
	struct stack_writer w = {.buf = buf, .top = stack_top, .len = len, .pos = stack_top};
	uint64_t zero = 0;
	uint64_t special[3]; /* AT_RANDOM, AT_EXECFN, AT_PLATFORM addresses */
	uint64_t *ptrs = kmalloc((a->argc + a->envc + 1) * sizeof(*ptrs));
	int err = -E2BIG;

	if (!ptrs)
		return -ENOMEM;
	if (!push_bytes(&w, &zero, sizeof(zero)))
		goto out;
	special[1] = push_string(&w, a->execfn);
	if (!special[1])
		goto out;
	err = push_strings(&w, a->envp, a->envc, ptrs + a->argc);
	if (!err)
		err = push_strings(&w, a->argv, a->argc, ptrs);
	if (err)
		goto out;
	err = -E2BIG;
	special[2] = push_string(&w, "x86_64");
	special[0] = push_bytes(&w, a->random, sizeof(a->random));
	if (special[2] && special[0])
		err = write_tables(&w, a, ptrs, special, out_sp);
out:
	kfree(ptrs);
	return err;
}
