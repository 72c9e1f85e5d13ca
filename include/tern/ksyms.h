/* SPDX-License-Identifier: MIT */
/*
 * The kernel's embedded symbol table, for naming addresses in backtraces
 * (lib/ksyms.c). tools/gen-ksyms.sh turns `nm -n` output into assembly
 * that defines, in section .ksyms: ksyms_count (uint64_t), ksyms_addrs
 * (uint64_t[count], ascending text-symbol addresses), ksyms_name_offs
 * (uint32_t[count], offsets into ksyms_names) and ksyms_names (NUL-
 * terminated names). The kernel points a struct ksyms_table at those
 * symbols; tests build tables by hand.
 */
#pragma once

#include <tern/types.h>

struct ksyms_table {
	uint64_t count;		   /* number of symbols */
	const uint64_t *addrs;	   /* [count], ascending */
	const uint32_t *name_offs; /* [count], offset of each name in names */
	const char *names;	   /* NUL-terminated names, back to back */
};

/*
 * Finds the symbol containing addr: the last one whose address is
 * <= addr (the first of several at the same address). Returns true and
 * sets *name and *offset (addr minus the symbol's address); returns
 * false if the table is empty or addr lies below its first symbol.
 * The table has no sizes, so an address past the last function still
 * resolves to it; callers check the text bounds themselves.
 */
bool ksyms_lookup(const struct ksyms_table *t, uint64_t addr, const char **name, uint64_t *offset);
