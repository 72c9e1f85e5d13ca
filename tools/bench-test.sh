#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Checks the table tools/bench.sh makes from guest output, on sample logs
# (make bench itself is timed, not tested). Prints "ok - bench: ..." /
# "FAIL - bench: ..." lines like tools/lint.sh.
set -eu
cd "$(dirname "$0")/.."
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

printf '%s\r\n' "host: boot_to_init 80.0 ms" "bench: start" "bench: boottime n/a ENOSYS" \
	"bench: null_syscall 2000.0 cycles" "bench: fork_exit n/a ENOSYS" "bench: done" \
	"host: exit status 0" >"$dir/tern-1.log"
# A second run that crashed half-way, with a better null syscall.
printf '%s\n' "host: boot_to_init 70.0 ms" "bench: start" "bench: null_syscall 1000.0 cycles" \
	"host: exit status 124" >"$dir/tern-2.log"
printf '%s\n' "[    0.374983] PCI: Fatal: No config space access function found" \
	"host: boot_to_init 1400.0 ms" "bench: start" "bench: boottime 1500000000 ns" \
	"bench: null_syscall 4000.0 cycles" "[    1.0] a kernel message bench: clock_gettime 200.0 cycles" \
	"bench: fork_exit 2000000.0 cycles" "bench: signal_roundtrip n/a timeout after 10 s" \
	"bench: done" "host: exit status 0" >"$dir/linux-1.log"

table=$(tools/bench.sh -p -k 2000000 -o "$dir" | tr -s ' ')
status=0
expect() { # expect NAME LINE: the table holds LINE, spaces squeezed
	if grep -qxF -- "$2" <<<"$table"; then
		echo "ok - bench: $1"
	else
		echo "FAIL - bench: $1"
		echo "  no line '$2' in:"
		sed 's/^/  /' <<<"$table"
		status=1
	fi
}
expect "table has a header" "figure tern linux ratio"
expect "host boot time is the best run, with its ratio" "boot to /init, host clock (ms) 70.00 1400 0.05"
expect "cycles become time at the TSC rate" "null syscall (getppid) (ns) 500 2000 0.25"
expect "a figure missing on one side is n/a" "fork+exit+wait (us) n/a 1000 n/a"
expect "a line after kernel output still counts" "clock_gettime(MONOTONIC) (ns) n/a 100 n/a"
expect "n/a reasons are listed" " boottime: ENOSYS"
expect "a figure never reported says so" " futex_pingpong: not reported"
expect "a timeout reason is kept whole" " signal_roundtrip: timeout after 10 s"
expect "an unfinished run is reported" \
	"tern: 1 of 2 runs did not finish (timeout or crash; see $dir/tern-*.log)"
exit $status
