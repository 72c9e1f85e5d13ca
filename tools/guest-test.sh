#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Boots a kernel with the guest-test initramfs (user/init runs every
# program in /tests) and turns the serial output into result lines:
# "ok - LABEL: AREA: CASE" / "FAIL - ...", then "N passed, N failed".
# The same initramfs boots Tern and Debian's Linux (DESIGN §6).
# INIT is the image's init to run: /init runs every program, /init-tern
# the ones on Tern's list (TERN_GUEST_TESTS in tools/rules.mk).
# Usage: tools/guest-test.sh LABEL KERNEL INITRAMFS MACHINE LOG [INIT] [TIMEOUT_S]
set -u
label=$1 kernel=$2 initrd=$3 machine=$4 log=$5 init=${6:-/init} timeout_s=${7:-600}
passed=0
failed=0
prog=""
timed_out=""

tools/qemu.sh -m "$machine" -t "$timeout_s" -i "$initrd" -a "console=ttyS0 rdinit=$init quiet" \
	"$kernel" >"$log" 2>&1
status=$?
# init reports a program it killed for running too long as one FAIL line
# and then as killed by signal 9: that program counts as one failure.
while IFS= read -r line; do
	case $line in
	"guest: running "*) prog="${line#guest: running } " timed_out="" ;;
	"FAIL - init: "*" timed out") timed_out=1
		echo "FAIL - $label: ${line#FAIL - }"; failed=$((failed + 1)) ;;
	"ok - "*) echo "ok - $label: $prog${line#ok - }"; passed=$((passed + 1)) ;;
	"FAIL - "*) echo "FAIL - $label: $prog${line#FAIL - }"; failed=$((failed + 1)) ;;
	"guest: "*" killed by signal "*)
		[ -n "$timed_out" ] && continue
		echo "FAIL - $label: ${line#guest: }"; failed=$((failed + 1)) ;;
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
