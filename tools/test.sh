#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Runs every Tern test layer and prints one line per case, then
# "N passed, N failed"; exits non-zero if anything failed or hung.
#   0. lint (tools/lint.sh) and the make bench table (tools/bench-test.sh)
#   1. host unit tests (build/host-tests, ASan + UBSan)
#   2. in-kernel self-tests (ktest=all) booted on microvm, pc and q35
#   3. exception reports from deliberate faults (ktest_fault=...)
#   4. boot checks: banner, memory sizes, the interactive console
#   5. guest programs (user/tests) on Tern and on Debian's Linux kernel
#   6. busybox shell scripts (user/shell): Tern's output against Linux's
# Usage: tools/test.sh KERNEL HOST_TEST_BINARY
set -u

kernel=$1
host_tests=$2
out=${TEST_OUT:-build/test-logs}
mkdir -p "$out"
passed=0
failed=0

pass() { echo "ok - $1"; passed=$((passed + 1)); }
fail() { echo "FAIL - $1${2:+: $2}"; failed=$((failed + 1)); }
check() { # check NAME CONDITION-COMMAND...
	local name=$1
	shift
	if "$@"; then pass "$name"; else fail "$name"; fi
}

# Counts "ktest: ok X" / "ktest: FAIL X" lines in a log, prefixing names.
collect_ktests() {
	local log=$1 prefix=$2
	while IFS= read -r line; do
		case $line in
		*"ktest: ok "*) pass "$prefix${line##*ktest: ok }" ;;
		*"ktest: FAIL "*) fail "$prefix${line##*ktest: FAIL }" ;;
		esac
	done < <(tr -d '\r' <"$log")
}

# --- 0. lint: include boundaries, formatting ---------------------------
while IFS= read -r line; do
	case $line in
	"ok - "*) pass "${line#ok - }" ;;
	"FAIL - "*) fail "${line#FAIL - }" ;;
	*) echo "$line" ;;
	esac
done < <(tools/lint.sh; tools/bench-test.sh)

# --- 1. host unit tests -------------------------------------------------
"$host_tests" >"$out/host.log" 2>&1
status=$?
grep -a "check failed" "$out/host.log" | sed 's/^/  /'
collect_ktests "$out/host.log" "host: "
if ! grep -aq "ktest: done" "$out/host.log" || [ $status -gt 1 ]; then
	fail "host: test binary ran to completion" "exit $status, see $out/host.log"
	tail -20 "$out/host.log"
fi

# Each fuzz target runs briefly (make fuzz runs them long).
for fuzzer in ${FUZZERS:-}; do
	name=$(basename "$fuzzer")
	mkdir -p "$out/corpus-$name"
	if "$fuzzer" -max_total_time="${FUZZ_SECONDS:-5}" "$out/corpus-$name" >"$out/$name.log" 2>&1; then
		pass "fuzz: $name finds no crash ($(grep -o "Done [0-9]* runs" "$out/$name.log"))"
	else
		fail "fuzz: $name" "see $out/$name.log"
		tail -20 "$out/$name.log"
	fi
done

# --- 2. in-kernel self-tests on each machine ----------------------------
for machine in microvm pc q35; do
	log="$out/ktest-$machine.log"
	tools/qemu.sh -m "$machine" -t 240 -a "ktest=all" "$kernel" >"$log" 2>&1
	status=$?
	grep -a "check failed" "$log" | sed 's/^/  /'
	collect_ktests "$log" "$machine: "
	if ! grep -aq "ktest: done" "$log"; then
		fail "$machine: self-tests finished" "exit $status, see $log"
		tail -30 "$log"
	fi
	# The debug-exit device turns status s into QEMU exit code 2s+1.
	check "$machine: status reported through debug-exit" [ "$status" = 1 ]
	check "$machine: banner names Tern and shows the command line" \
		grep -aq "Command line: ktest=all" "$log"
	check "$machine: banner reports entry-to-banner time" \
		grep -aqE "Boot: [0-9]+\.[0-9]{3} ms from kernel entry to banner" "$log"
done

# The clang-built kernel runs the same self-tests once, on microvm.
if [ -n "${CLANG_KERNEL:-}" ]; then
	log="$out/ktest-clang.log"
	tools/qemu.sh -t 240 -a "ktest=all" "$CLANG_KERNEL" >"$log" 2>&1
	status=$?
	grep -a "check failed" "$log" | sed 's/^/  /'
	collect_ktests "$log" "clang microvm: "
	check "clang microvm: self-tests finished and passed" [ "$status" = 1 ]
fi

# A CPU without SMAP/SMEP (qemu64): the user-access path is patched at boot.
log="$out/ktest-qemu64.log"
TERN_CPU=qemu64 tools/qemu.sh -t 120 -a "ktest=user" "$kernel" >"$log" 2>&1
status=$?
collect_ktests "$log" "qemu64 cpu: "
check "qemu64 cpu: user-mode self-tests finished and passed" [ "$status" = 1 ]

# --- 3. exception reports ------------------------------------------------
fault_case() { # fault_case MODE EXPECTED-TEXT...
	local mode=$1
	shift
	local log="$out/fault-$mode.log"
	tools/qemu.sh -t 60 -a "ktest_fault=$mode" "$kernel" >"$log" 2>&1
	local status=$?
	check "fault $mode: machine stopped with failure status" [ "$status" = 7 ]
	for text in "$@"; do
		check "fault $mode: report contains '$text'" grep -aqF -- "$text" "$log"
	done
}
fault_case null "Oops: page fault" "page fault at 0000000000000000" "RIP is [<" \
	"ktest_fault_null_deref+0x" "ktest_fault+0x" "kmain+0x"
fault_case ud "Oops: invalid opcode" "ktest_fault_invalid_opcode+0x" "RAX: "
fault_case overflow "Oops: double fault" "kernel stack overflow: guard page hit" \
	"ktest_fault_recurse+0x"

# --- 4. boot checks -------------------------------------------------------
for mem in 64M 1G 3G; do
	log="$out/mem-$mem.log"
	tools/qemu.sh -m q35 -M "$mem" -t 60 -a "ktest=mm" "$kernel" >"$log" 2>&1
	want=${mem%[MG]}
	[ "${mem: -1}" = G ] && want=$((want * 1024))
	got=$(sed -n 's/.*Memory: \([0-9]*\) MiB RAM.*/\1/p' "$log" | head -1)
	check "q35 with $mem: memory map found about $want MiB" \
		test "${got:-0}" -ge $((want - 8)) -a "${got:-0}" -le "$want"
	check "q35 with $mem: allocator self-tests pass" grep -aq "ktest: done [0-9]* passed, 0 failed" "$log"
done

# The console, driven like a person at the serial port.
log="$out/console.log"
{
	sleep 3
	for keys in 'help\r' 'uptimx\be\r' 'garbage\025mem\r' 'date\r' 'poweroff\r'; do
		printf "$keys"
		sleep 1
	done
	sleep 5
} | timeout 60 qemu-system-x86_64 -M microvm,accel=tcg -cpu max -m 256M -kernel "$kernel" \
	-no-reboot -display none -serial stdio -monitor none >"$log" 2>&1
status=$?
tr -d '\r' <"$log" >"$log.txt"
check "console: prompt appears" grep -q "tern> " "$log.txt"
check "console: typed command is echoed" grep -q "tern> help" "$log.txt"
check "console: help lists commands" grep -q "commands: help uptime" "$log.txt"
check "console: backspace edits the line" grep -q "^up [0-9]*\.[0-9]* s" "$log.txt"
check "console: ^U clears the line" grep -q "KiB free of" "$log.txt"
check "console: date prints the RTC time" grep -qE "^20[2-9][0-9]-[01][0-9]-[0-3][0-9] " "$log.txt"
check "console: poweroff ends QEMU cleanly" [ "$status" = 0 ]

# The busybox userland of `make run`, driven like a person at the serial
# port: line editing, ^C on a running command, ^Z then jobs and fg, a pipeline,
# and what issue 4 asks a new user to try: ls -l /proc/self/, ps, top -n1, vi
# on a file, cat | sort | uniq -c | sort -rn | head, a tar czf/xzf round trip.
if [ -n "${USERLAND_IMAGE:-}" ]; then
	log="$out/userland.log"
	{
		sleep 5
		for keys in 'echo helo\177lo there\r' 'sleep 30\r' '\003' 'sleep 31\r' '\032' \
			'jobs\r' 'fg\r' '\003' 'echo abc | tr a-z A-Z\r' 'tty\r' 'ls -l /proc/self/\r' \
			'ps\r' 'top -n1 | head -2\r' 'dmesg | tail -1\r' 'vi /tmp/v\r' 'ihello from vi\033' ':wq\r' \
			'cat /tmp/v\r' 'for w in b a b; do echo $w; done >/tmp/w\r' \
			'cat /tmp/w | sort | uniq -c | sort -rn | head -1\r' \
			'mkdir -p t/d && echo tarred >t/d/f && tar czf t.tgz t && rm -r t && tar xzf t.tgz && cat t/d/f\r' \
			'poweroff -f\r'; do
			printf "$keys"
			sleep 2
		done
		sleep 5
	} | timeout 150 qemu-system-x86_64 -M microvm,accel=tcg -cpu max -m 256M -kernel "$kernel" \
		-initrd "$USERLAND_IMAGE" -append "console=ttyS0 quiet" -no-reboot -display none \
		-serial stdio -monitor none >"$log" 2>&1
	status=$?
	tr -d '\r' <"$log" | sed 's/\x1b\[6n//g' >"$log.txt"
	check "shell: the busybox prompt appears" grep -q "^tern:/root# " "$log.txt"
	check "shell: line editing takes back a character" grep -q "^hello there$" "$log.txt"
	check "shell: ^C interrupts a running command" \
		sh -c "grep -A1 '# sleep 30\$' '$log.txt' | grep -q '^\^C\$'"
	check "shell: ^Z stops the foreground job" grep -q "^\^Z\[1\]+  Stopped  *sleep 31" "$log.txt"
	check "shell: jobs lists the stopped job" \
		sh -c "grep -A1 '# jobs\$' '$log.txt' | grep -q 'Stopped  *sleep 31'"
	check "shell: fg resumes it and ^C ends it" \
		sh -c "grep -A2 '# fg\$' '$log.txt' | grep -q '^\^C\$'"
	check "shell: a pipeline runs" grep -q "^ABC$" "$log.txt"
	check "shell: the shell's terminal is the serial port" grep -q "^/dev/ttyS0$" "$log.txt"
	check "shell: ls -l /proc/self/ lists the process's files" \
		sh -c "grep -A40 '# ls -l /proc/self/\$' '$log.txt' | grep -q ' maps\$'"
	check "shell: ps shows the login shell" grep -qE "^ +[0-9]+ +root +sh -l$" "$log.txt"
	check "shell: top -n1 prints its memory line" grep -q "Mem: [0-9]*K used, [0-9]*K free" "$log.txt"
	check "shell: dmesg reads the kernel log" \
		sh -c "grep -A1 '# dmesg | tail -1\$' '$log.txt' | grep -q '^\[ *[0-9]*\.[0-9]*\] '"
	check "shell: vi inserts text and writes the file" grep -q "^hello from vi$" "$log.txt"
	check "shell: cat | sort | uniq -c | sort -rn | head counts" grep -qE "^ +2 b$" "$log.txt"
	check "shell: tar czf and tar xzf round trip" grep -q "^tarred$" "$log.txt"
	check "shell: poweroff -f ends QEMU cleanly" [ "$status" = 0 ]
fi

# The guest initramfs's /init (static musl) starts on Tern as pid 1,
# writes to the console and powers off through reboot(2).
if [ -n "${GUEST_INITRAMFS:-}" ]; then
	log="$out/tern-init.log"
	# Longer than init's 120 s limit for one program, so a hung program
	# is reported by init rather than cutting the boot short.
	tools/qemu.sh -t 300 -i "$GUEST_INITRAMFS" -a "rdinit=/init-tern" "$kernel" >"$log" 2>&1
	status=$?
	tr -d '\r' <"$log" >"$log.txt"
	check "tern: static musl /init runs as pid 1" grep -q "^guest: init running as pid 1$" "$log.txt"
	check "tern: /init reaches its end" grep -q "^guest: done$" "$log.txt"
	check "tern: reboot(POWER_OFF) from user mode ends QEMU cleanly" \
		sh -c "grep -q 'reboot: Power down' '$log.txt' && [ $status = 0 ]"
fi

# --- 5. guest tests on Tern and on Debian's Linux ---------------------------
# The user/tests programs (DESIGN §6 layers 2 and 3): the same initramfs
# on Tern (microvm, and a CPU without SMAP/SMEP) and on Linux, the reference.
# Linux runs every program (/init), Tern the ones on its list (/init-tern).
collect_results() { # counts a tool's "ok - " / "FAIL - " lines read from stdin
	while IFS= read -r line; do
		case $line in
		"ok - "*) pass "${line#ok - }" ;;
		"FAIL - "*) fail "${line#FAIL - }" ;;
		*" passed, "*" failed") ;;
		*) echo "$line" ;;
		esac
	done
}
guest_run() { # CPU LABEL KERNEL INITRAMFS MACHINE LOG (CPU "" = the default)
	local cpu=$1
	shift
	collect_results < <(TERN_CPU=$cpu tools/guest-test.sh "$@")
}
if [ -n "${GUEST_INITRAMFS:-}" ]; then
	guest_run "" tern "$kernel" "$GUEST_INITRAMFS" microvm "$out/guest-tern.log" /init-tern
	guest_run qemu64 tern-qemu64 "$kernel" "$GUEST_INITRAMFS" microvm \
		"$out/guest-tern-qemu64.log" /init-tern
fi
if [ -n "${GUEST_INITRAMFS:-}" ] && [ -n "${LINUX_KERNEL:-}" ]; then
	guest_run "" linux "$LINUX_KERNEL" "$GUEST_INITRAMFS" pc "$out/guest-linux.log" /init
fi

# --- 6. busybox shell scripts, Tern against Linux ---------------------------
if [ -n "${SHELL_IMAGE:-}" ] && [ -n "${LINUX_KERNEL:-}" ]; then
	collect_results < <(tools/shell-test.sh "$kernel" "$LINUX_KERNEL" "$SHELL_IMAGE" "$out/shell")
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
