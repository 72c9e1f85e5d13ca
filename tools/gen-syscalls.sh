#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Turns kernel/syscalls.tbl (STYLE §6) into the dispatch table, the
# handler prototypes, or the coverage page docs/syscall-coverage.md.
# Usage: tools/gen-syscalls.sh table|header|doc kernel/syscalls.tbl
set -eu
mode=$1 tbl=$2

awk -v mode="$mode" '
function fail(msg) { print "syscalls.tbl:" NR ": " msg > "/dev/stderr"; bad = 1; exit 1 }
/^[ \t]*(#|$)/ { next }
{
	if (NF < 4) fail("want: name handler flags status [notes]")
	if ($4 !~ /^(ok|partial|stub|enosys)$/) fail("bad status " $4)
	if ($3 !~ /^(-|may_sleep|noreturn|may_sleep,noreturn)$/) fail("bad flags " $3)
	if (($2 == "-") != ($4 == "enosys")) fail("a handler is required unless enosys")
	if ($1 in seen) fail("duplicate " $1)
	seen[$1] = 1
	notes = ""
	for (i = 5; i <= NF; i++) notes = notes (i > 5 ? " " : "") $i
	n++; name[n] = $1; handler[n] = $2; flags[n] = $3; status[n] = $4; note[n] = notes
}
END {
	if (bad) exit 1
	if (mode == "header") {
		print "/* Generated from kernel/syscalls.tbl by tools/gen-syscalls.sh. */"
		print "#pragma once"
		for (i = 1; i <= n; i++)
			if (handler[i] != "-" && !(handler[i] in proto)) {
				proto[handler[i]] = 1
				print "long " handler[i] "(const unsigned long args[6]);"
			}
	} else if (mode == "table") {
		print "/* Generated from kernel/syscalls.tbl by tools/gen-syscalls.sh. */"
		print "#include <asm/unistd_64.h>"
		print "#include <tern/syscall.h>"
		print "#include <tern/sys.h>"
		print ""
		print "const struct syscall_entry syscall_table[NR_SYSCALLS] = {"
		for (i = 1; i <= n; i++)
			if (handler[i] != "-")
				printf "\t[__NR_%s] = {%s, \"%s\"},\n", name[i], handler[i], name[i]
		print "};"
	} else if (mode == "doc") {
		print "# Syscall coverage"
		print ""
		print "Generated from `kernel/syscalls.tbl` by `make docs`; do not edit."
		print "Status: **ok** as Linux, **partial** (see notes), **stub**, **enosys**."
		print "Syscalls not listed return `-ENOSYS`."
		print ""
		print "| syscall | status | notes |"
		print "|---|---|---|"
		for (i = 1; i <= n; i++) {
			c[status[i]]++
			printf "| %s | %s | %s |\n", name[i], status[i], note[i]
		}
		print ""
		printf "%d listed: %d ok, %d partial, %d stub, %d enosys.\n", n, c["ok"], c["partial"], c["stub"], c["enosys"]
	} else {
		fail("unknown mode " mode)
	}
}' "$tbl"
