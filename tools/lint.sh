#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Mechanical checks of STYLE.md, one result line per check in the test
# driver's format ("ok - ..." / "FAIL - ..."):
#   - core code (kernel/ mm/ fs/ lib/ net/) includes only <tern/...>,
#     Linux UAPI and freestanding compiler headers, and has no assembly;
#   - only arch/ holds assembly files; only arch/ and drivers/ include <arch/...>;
#   - every C file and header is formatted as .clang-format says.
set -u
cd "$(dirname "$0")/.."
status=0
result() { # result NAME OFFENDERS
	if [ -z "$2" ]; then
		echo "ok - lint: $1"
	else
		echo "FAIL - lint: $1"
		echo "$2" | sed 's/^/  /'
		status=1
	fi
}

core=$(git ls-files 'kernel/*.[ch]' 'mm/*.[ch]' 'fs/*.[ch]' 'lib/*.[ch]' 'net/*.[ch]')
freestanding='stdarg.h|stdbool.h|stddef.h|stdint.h|limits.h|stdalign.h|stdnoreturn.h'
bad=$(grep -nE '^#include' $core /dev/null | grep -vE "<(tern|linux|asm|asm-generic)/[a-z0-9_/-]+\.h>|<($freestanding)>|\"internal\.h\"|<host_fault\.h>" || true)
result "core code includes only tern, UAPI and freestanding headers" "$bad"
bad=$(grep -nE '<host_fault\.h>' $core /dev/null | grep -vE '_(test|fuzz)\.c:' || true)
result "only unit tests include host-only headers" "$bad"
bad=$(grep -nE '__asm__|\basm\(' $core /dev/null || true)
result "core code has no inline assembly" "$bad"
bad=$(git ls-files '*.S' '*.s' | grep -v '^arch/' || true)
result "assembly files live in arch/" "$bad"
bad=$(git grep -lE '#include <arch/' -- '*.c' '*.h' | grep -vE '^(arch|drivers)/' || true)
result "only arch/ and drivers/ include arch headers" "$bad"
bad=$(for f in $(git ls-files '*.c' '*.h'); do
	clang-format --style=file "$f" | cmp -s - "$f" || echo "$f"
done)
result "sources match .clang-format (run: make format)" "$bad"
bad=$(sh tools/gen-syscalls.sh doc kernel/syscalls.tbl 2>&1 | diff - docs/syscall-coverage.md || true)
result "docs/syscall-coverage.md matches kernel/syscalls.tbl (run: make docs)" "$bad"
exit $status
