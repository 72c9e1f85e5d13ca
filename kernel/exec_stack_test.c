// SPDX-License-Identifier: MIT
/* Host tests for kernel/exec_stack.c: the initial stack Linux programs expect. */
#include <linux/auxvec.h>
#include <tern/errno.h>
#include <tern/exec.h>
#include <tern/ktest.h>
#include <tern/string.h>

#define TOP 0x7ffffffff000ULL
#define LEN 4096

static uint8_t stack_buf[LEN];

static uint64_t word_at(uint64_t addr)
{
	uint64_t v;

	memcpy(&v, stack_buf + (addr - (TOP - LEN)), 8);
	return v;
}

static const char *string_at(uint64_t addr)
{
	return (const char *)stack_buf + (addr - (TOP - LEN));
}

static int build(uint64_t *sp)
{
	static const char *const argv[] = {"/init", "-x", ""};
	static const char *const envp[] = {"HOME=/", "TERM=linux"};
	static const uint64_t auxv[] = {AT_PAGESZ, 4096, AT_ENTRY, 0x401000};
	struct exec_stack_args a = {
		.argv = argv,
		.argc = 3,
		.envp = envp,
		.envc = 2,
		.execfn = "/init",
		.auxv = auxv,
		.nr_auxv_pairs = 2,
		.random = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16},
	};

	memset(stack_buf, 0xee, sizeof(stack_buf));
	return exec_stack_build(&a, stack_buf, LEN, TOP, sp);
}

KTEST(exec_stack, argc_argv_envp_in_order)
{
	uint64_t sp = 0;

	KASSERT_EQ(build(&sp), 0);
	KEXPECT_EQ(sp % 16, 0);
	KEXPECT(sp > TOP - LEN && sp < TOP);
	KEXPECT_EQ(word_at(sp), 3);
	KEXPECT(strcmp(string_at(word_at(sp + 8)), "/init") == 0);
	KEXPECT(strcmp(string_at(word_at(sp + 16)), "-x") == 0);
	KEXPECT(strcmp(string_at(word_at(sp + 24)), "") == 0);
	KEXPECT_EQ(word_at(sp + 32), 0);
	KEXPECT(strcmp(string_at(word_at(sp + 40)), "HOME=/") == 0);
	KEXPECT(strcmp(string_at(word_at(sp + 48)), "TERM=linux") == 0);
	KEXPECT_EQ(word_at(sp + 56), 0);
	/* Strings ascend: argv[0] below argv[1], argv below envp. */
	KEXPECT(word_at(sp + 8) < word_at(sp + 16));
	KEXPECT(word_at(sp + 24) < word_at(sp + 40));
}

KTEST(exec_stack, auxv_has_caller_pairs_then_random_execfn_platform)
{
	uint64_t sp = 0;

	KASSERT_EQ(build(&sp), 0);
	uint64_t aux = sp + 64;
	KEXPECT_EQ(word_at(aux), AT_PAGESZ);
	KEXPECT_EQ(word_at(aux + 8), 4096);
	KEXPECT_EQ(word_at(aux + 16), AT_ENTRY);
	KEXPECT_EQ(word_at(aux + 24), 0x401000);
	KEXPECT_EQ(word_at(aux + 32), AT_RANDOM);
	const uint8_t *rnd = (const uint8_t *)string_at(word_at(aux + 40));
	KEXPECT(rnd[0] == 1 && rnd[15] == 16);
	KEXPECT_EQ(word_at(aux + 48), AT_EXECFN);
	KEXPECT(strcmp(string_at(word_at(aux + 56)), "/init") == 0);
	KEXPECT_EQ(word_at(aux + 64), AT_PLATFORM);
	KEXPECT(strcmp(string_at(word_at(aux + 72)), "x86_64") == 0);
	KEXPECT_EQ(word_at(aux + 80), AT_NULL);
	KEXPECT_EQ(word_at(aux + 88), 0);
}

KTEST(exec_stack, top_word_is_zero_and_execfn_just_below)
{
	uint64_t sp = 0;

	KASSERT_EQ(build(&sp), 0);
	KEXPECT_EQ(word_at(TOP - 8), 0);
	KEXPECT(strcmp(string_at(TOP - 8 - 6), "/init") == 0);
}

KTEST(exec_stack, too_small_is_e2big_at_every_size)
{
	static const char *const argv[] = {"/init"};
	struct exec_stack_args a = {
		.argv = argv, .argc = 1, .envp = argv, .envc = 0, .execfn = "/init"};
	uint64_t sp;
	size_t need = 0;

	for (size_t len = 0; len <= 256; len += 8) {
		int err = exec_stack_build(&a, stack_buf + LEN - len, len, TOP, &sp);
		if (err == 0 && !need)
			need = len;
		if (!need)
			KEXPECT_EQ(err, -E2BIG);
	}
	KEXPECT(need > 0);
	KEXPECT(need <= 256);
}
