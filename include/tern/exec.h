/* SPDX-License-Identifier: MIT */
/*
 * Program start-up. exec_stack_build (kernel/exec_stack.c, portable)
 * lays out a new program's initial stack exactly as Linux does; the
 * loader (kernel/exec.c) maps an ELF image into fresh user page tables
 * and starts it.
 */
#pragma once

#include <tern/types.h>

struct exec_stack_args {
	const char *const *argv; /* kernel copies of the argument strings */
	size_t argc;
	const char *const *envp; /* kernel copies of the environment strings */
	size_t envc;
	const char *execfn;   /* path as given to execve, for AT_EXECFN */
	const uint64_t *auxv; /* (type, value) pairs; AT_RANDOM, AT_EXECFN,
				    AT_PLATFORM and AT_NULL are added here */
	size_t nr_auxv_pairs;
	uint8_t random[16]; /* the bytes AT_RANDOM points at */
};

/*
 * Writes the stack image into buf, which stands for the user addresses
 * [stack_top - len, stack_top), and returns the initial stack pointer
 * (where argc lies, 16-byte aligned) in *out_sp. Top down: a zero word,
 * execfn, environment strings, argument strings, "x86_64", the random
 * bytes, then argc, argv[], NULL, envp[], NULL, auxv pairs, AT_NULL.
 * -E2BIG if it does not fit.
 */
int exec_stack_build(const struct exec_stack_args *args, uint8_t *buf, size_t len,
		     uint64_t stack_top, uint64_t *out_sp) __must_check;

/*
 * execve's core: loads path (an ELF program, or a `#!` script and its
 * interpreter), looked up from dirfd with execveat's at_flags, with kernel copies of argv and envp into a new address
 * space and, past the point of no return, makes it the caller's. Gives
 * the entry point and initial stack pointer; -errno as execve(2) fails.
 */
int exec_program(int dirfd, const char *path, unsigned int at_flags, char **argv, char **envp,
		 uint64_t *entry, uint64_t *sp) __must_check;
/* Starts pid 1's program from the calling kernel thread; returns only on failure. */
int exec_init(const char *path, char **argv, char **envp) __must_check;
