#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Boots a kernel with the guest-test initramfs (user/init runs every
# program in /tests) and turns the serial output into result lines:
# "ok - LABEL: AREA: CASE" / "FAIL - ...", then "N passed, N failed".
# The same initramfs boots Tern and Debian's Linux (DESIGN §6).
# Usage: tools/guest-test.sh LABEL KERNEL INITRAMFS MACHINE LOG
set -u
label=$1 kernel=$2 initrd=$3 machine=$4 log=$5
passed=0
failed=0
prog=""

tools/qemu.sh -m "$machine" -t 300 -i "$initrd" -a "console=ttyS0 rdinit=/init quiet" \
	"$kernel" >"$log" 2>&1
status=$?
while IFS= read -r line; do
	case $line in
	"guest: running "*) prog="${line#guest: running } " ;;
	"ok - "*) echo "ok - $label: $prog${line#ok - }"; passed=$((passed + 1)) ;;
	"FAIL - "*) echo "FAIL - $label: $prog${line#FAIL - }"; failed=$((failed + 1)) ;;
	"guest: "*" killed by signal "*) echo "FAIL - $label: ${line#guest: }"; failed=$((failed + 1)) ;;
	esac
done < <(tr -d '\r' <"$log")
if grep -aq "^guest: done" <(tr -d '\r' <"$log"); then
	echo "ok - $label: every test program ran"; passed=$((passed + 1))
else
	echo "FAIL - $label: guest run did not finish (exit $status, see $log)"; failed=$((failed + 1))
	tail -20 "$log"
fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
