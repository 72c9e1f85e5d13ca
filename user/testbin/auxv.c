// SPDX-License-Identifier: MIT
/*
 * Exec helper for user/tests/exec.c: reads the auxiliary vector the
 * kernel put above envp on the initial stack and checks it against the
 * program's own ELF headers. The exit status is a bitmask of failed
 * checks (0: all good), so the test can report each one:
 *   1 AT_PAGESZ is 4096            2 AT_EXECFN equals $EXPECT_EXECFN
 *   4 AT_RANDOM points at 16 bytes, not all zero
 *   8 AT_UID/AT_EUID/AT_GID/AT_EGID match the process credentials
 *  16 AT_SECURE is 0               32 AT_PHDR/AT_PHNUM/AT_PHENT describe our headers
 *  64 AT_ENTRY is our entry point  128 AT_BASE 0, AT_FLAGS 0, AT_CLKTCK 100
 * Built as static (musl) and as static-pie (glibc): in the second the
 * headers sit at a load bias, which the checks account for.
 */
#include <elf.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern const Elf64_Ehdr __ehdr_start;

static const Elf64_auxv_t *auxv_find(const Elf64_auxv_t *av, uint64_t type)
{
	for (; av->a_type != AT_NULL; av++) {
		if (av->a_type == type)
			return av;
	}
	return NULL;
}

static uint64_t auxv_value(const Elf64_auxv_t *av, uint64_t type, uint64_t absent)
{
	const Elf64_auxv_t *e = auxv_find(av, type);
	return e ? e->a_un.a_val : absent;
}

/* Where the first PT_LOAD was linked, to turn link addresses into run-time ones. */
static uintptr_t load_bias(const Elf64_Phdr *ph, int n)
{
	uintptr_t lowest = UINTPTR_MAX;
	for (int i = 0; i < n; i++) {
		if (ph[i].p_type == PT_LOAD && ph[i].p_vaddr < lowest)
			lowest = ph[i].p_vaddr;
	}
	return (uintptr_t)&__ehdr_start - lowest;
}

static int check_phdrs(const Elf64_auxv_t *av, uintptr_t bias)
{
	const Elf64_Ehdr *eh = &__ehdr_start;
	const Elf64_Phdr *ph = (const Elf64_Phdr *)((uintptr_t)eh + eh->e_phoff);
	uintptr_t want = (uintptr_t)ph;

	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type == PT_PHDR)
			want = bias + ph[i].p_vaddr;
	}
	return auxv_value(av, AT_PHDR, 0) == want && auxv_value(av, AT_PHNUM, 0) == eh->e_phnum &&
	       auxv_value(av, AT_PHENT, 0) == sizeof(Elf64_Phdr);
}

int main(int argc, char **argv, char **envp)
{
	const Elf64_Ehdr *eh = &__ehdr_start;
	const Elf64_Phdr *ph = (const Elf64_Phdr *)((uintptr_t)eh + eh->e_phoff);
	uintptr_t bias = load_bias(ph, eh->e_phnum);
	const char *want_execfn = getenv("EXPECT_EXECFN");
	const unsigned char *rnd;
	int failed = 0;
	char **p = envp;

	(void)argc;
	(void)argv;
	while (*p)
		p++;
	const Elf64_auxv_t *av = (const Elf64_auxv_t *)(p + 1);

	if (auxv_value(av, AT_PAGESZ, 0) != 4096)
		failed |= 1;
	const char *execfn = (const char *)auxv_value(av, AT_EXECFN, 0);
	if (!execfn || !want_execfn || strcmp(execfn, want_execfn) != 0)
		failed |= 2;
	rnd = (const unsigned char *)auxv_value(av, AT_RANDOM, 0);
	if (!rnd || !memcmp(rnd, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16))
		failed |= 4;
	if (auxv_value(av, AT_UID, 99) != getuid() || auxv_value(av, AT_EUID, 99) != geteuid() ||
	    auxv_value(av, AT_GID, 99) != getgid() || auxv_value(av, AT_EGID, 99) != getegid())
		failed |= 8;
	if (auxv_value(av, AT_SECURE, 99) != 0)
		failed |= 16;
	if (!check_phdrs(av, bias))
		failed |= 32;
	if (auxv_value(av, AT_ENTRY, 0) != bias + eh->e_entry)
		failed |= 64;
	if (auxv_value(av, AT_BASE, 99) != 0 || auxv_value(av, AT_FLAGS, 99) != 0 ||
	    auxv_value(av, AT_CLKTCK, 0) != 100)
		failed |= 128;
	return failed;
}
