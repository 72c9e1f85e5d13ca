#!/bin/bash
# SPDX-License-Identifier: MIT
#
# The differential shell test: the userland image with user/shell's
# scripts boots Tern and Debian's Linux under the same QEMU; each
# script's output (kernel log lines dropped) must match byte for byte
# and its exit status be 0 on both. Prints "ok - ..." / "FAIL - ..."
# lines, then "N passed, N failed".
# Usage: tools/shell-test.sh TERN_KERNEL LINUX_KERNEL INITRAMFS OUTDIR
set -u
tern=$1 linux=$2 initrd=$3 out=$4
passed=0
failed=0
mkdir -p "$out"

check() { # check NAME COMMAND...
	local name=$1
	shift
	if "$@"; then
		echo "ok - shell: $name"
		passed=$((passed + 1))
	else
		echo "FAIL - shell: $name"
		failed=$((failed + 1))
	fi
}

boot() { # boot LABEL KERNEL MACHINE: the console output, kernel lines dropped
	local log="$out/$1.log"
	tools/qemu.sh -m "$3" -t 300 -i "$initrd" -a "console=ttyS0 rdinit=/init quiet" "$2" \
		>"$log" 2>&1 </dev/null
	tr -d '\r' <"$log" | grep -av '^\[ *[0-9]*\.[0-9]*\] ' >"$out/$1.txt"
}

section() { # section FILE SCRIPT: the script's framed output
	sed -n "\|^shell-begin $2\$|,\|^shell-end $2 status|p" "$1"
}

boot tern "$tern" microvm
boot linux "$linux" pc
check "the Tern run finished" grep -q '^shell-done$' "$out/tern.txt"
check "the Linux run finished" grep -q '^shell-done$' "$out/linux.txt"
for script in $(sed -n 's/^shell-begin //p' "$out/linux.txt"); do
	name=$(basename "$script" .sh)
	section "$out/tern.txt" "$script" >"$out/$name.tern"
	section "$out/linux.txt" "$script" >"$out/$name.linux"
	check "$name exits 0 on Linux" grep -q "^shell-end $script status 0\$" "$out/$name.linux"
	check "$name exits 0 on Tern" grep -q "^shell-end $script status 0\$" "$out/$name.tern"
	if ! check "$name prints the same on Tern as on Linux" \
		cmp -s "$out/$name.tern" "$out/$name.linux"; then
		diff "$out/$name.linux" "$out/$name.tern" | head -20 | sed 's/^/  /'
	fi
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
