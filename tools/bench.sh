#!/bin/bash
# SPDX-License-Identifier: MIT
#
# make bench (DESIGN §7): boots the benchmark initramfs (user/bench) on
# Tern, then on Debian's Linux, with the same QEMU settings, and prints
# each figure for both with the ratio Tern/Linux (lower is better).
#
# The guest prints "bench: NAME VALUE cycles" (TSC cycles per operation)
# or "bench: NAME n/a REASON". Boot to /init is timed here, on the host:
# from launching QEMU to the guest's first line, "bench: start". Each
# kernel boots RUNS times, alternately, and keeps its best value.
# A figure Tern cannot run yet is n/a, not an error: the exit status is
# non-zero only when the harness or the Linux reference run broke.
#
# Usage: tools/bench.sh [-m MACHINE] [-r RUNS] [-k TSC_KHZ] [-o DIR] TERN LINUX INITRAMFS
#        tools/bench.sh -p [-k TSC_KHZ] -o DIR    (only the table, from DIR/*.log)
#   -k  the host TSC rate (tools/tsc-khz.c) turns cycles into time; without
#       it the table shows cycles. On microvm Linux is told the rate too
#       (tsc_early_khz): under TCG its PIT calibration fails now and then,
#       and with no HPET there it then hangs.
set -eu

machine=microvm
runs=2
khz=""
out=build/bench
table_only=0
timeout_s=60
while getopts m:r:k:o:p opt; do
	case $opt in
	m) machine=$OPTARG ;;
	r) runs=$OPTARG ;;
	k) khz=$OPTARG ;;
	o) out=$OPTARG ;;
	p) table_only=1 ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))

# Microseconds since the epoch (EPOCHREALTIME without its decimal point,
# whatever the locale writes there).
now_us() {
	local t=$EPOCHREALTIME
	echo "${t//[!0-9]/}"
}

# boot_once KERNEL INITRAMFS APPEND LOG: the serial output goes to LOG,
# with "host: boot_to_init MS ms" when the guest's first line arrives and
# "host: exit status N" (QEMU's) at the end. Lines are read as QEMU
# writes them, so the time is exact to about a millisecond.
boot_once() {
	local kernel=$1 initrd=$2 append=$3 log=$4
	local start seen=0 line
	start=$(now_us)
	tools/qemu.sh -m "$machine" -t "$timeout_s" -i "$initrd" -a "$append" "$kernel" \
		</dev/null 2>&1 |
		while IFS= read -r line || [ -n "$line" ]; do
			line=${line%$'\r'}
			if [ $seen = 0 ] && [[ $line == *"bench: start"* ]]; then
				seen=1
				awk -v us=$(($(now_us) - start)) \
					'BEGIN { printf "host: boot_to_init %.1f ms\n", us / 1000 }'
			fi
			printf '%s\n' "$line"
		done >"$log"
	echo "host: exit status ${PIPESTATUS[0]}" >>"$log"
}

# table DIR: the table from DIR/tern-*.log and DIR/linux-*.log.
table() {
	local dir=$1
	awk -v khz="$khz" -v dir="$dir" '
	BEGIN {
		# name, label, unit shown; in display order.
		n = split("boot_to_init boottime null_syscall clock_gettime mmap_munmap " \
			  "page_fault signal_roundtrip fork_exit fork_exec thread_create " \
			  "futex_pingpong stat_deep open_close create_unlink file_write file_read", \
			  order, " ")
		label["boot_to_init"] = "boot to /init, host clock"; unit["boot_to_init"] = "ms"
		label["boottime"] = "CLOCK_BOOTTIME at /init"; unit["boottime"] = "ms"
		label["null_syscall"] = "null syscall (getppid)"; unit["null_syscall"] = "ns"
		label["clock_gettime"] = "clock_gettime(MONOTONIC)"; unit["clock_gettime"] = "ns"
		label["mmap_munmap"] = "mmap+munmap 16 KiB"; unit["mmap_munmap"] = "ns"
		label["page_fault"] = "page fault, per 4 KiB page"; unit["page_fault"] = "ns"
		label["signal_roundtrip"] = "signal to self, round trip"; unit["signal_roundtrip"] = "ns"
		label["fork_exit"] = "fork+exit+wait"; unit["fork_exit"] = "us"
		label["fork_exec"] = "fork+exec+wait"; unit["fork_exec"] = "us"
		label["thread_create"] = "thread create+join"; unit["thread_create"] = "us"
		label["futex_pingpong"] = "futex ping-pong, round trip"; unit["futex_pingpong"] = "ns"
		label["stat_deep"] = "stat, path 9 deep (tmpfs)"; unit["stat_deep"] = "ns"
		label["open_close"] = "open+close (tmpfs)"; unit["open_close"] = "ns"
		label["create_unlink"] = "create+close+unlink (tmpfs)"; unit["create_unlink"] = "ns"
		label["file_write"] = "tmpfs write, 64 KiB"; unit["file_write"] = "us"
		label["file_read"] = "tmpfs read, 64 KiB"; unit["file_read"] = "us"
		scale["ns"] = 1; scale["us"] = 1e3; scale["ms"] = 1e6
	}
	FNR == 1 {
		side = FILENAME
		sub(/.*\//, "", side)
		sub(/-.*/, "", side)
		nruns[side]++
	}
	{ sub(/\r$/, "") }
	/bench: done$/ { finished[side]++ }
	match($0, /(bench|host): [a-z_]+ /) {
		split(substr($0, RSTART), f, " ")
		name = f[2]
		if (f[3] != "n/a" && f[3] !~ /^[0-9.]+$/)
			next
		if (!(name in label)) {
			label[name] = name; unit[name] = "ns"; order[++n] = name
		}
		if (f[3] == "n/a") {
			why = substr($0, RSTART)
			sub(/^[^ ]+ [^ ]+ n\/a ?/, "", why)
			reason[side, name] = why == "" ? "n/a" : why
			next
		}
		if (f[4] == "cycles" && khz == "") {
			ns = f[3]; unit[name] = "cycles"; scale["cycles"] = 1
		} else if (f[4] == "cycles") {
			ns = f[3] * 1e6 / khz
		} else if (f[4] == "ms") {
			ns = f[3] * 1e6
		} else {
			ns = f[3]
		}
		if (!((side, name) in best) || ns < best[side, name])
			best[side, name] = ns
	}
	function cell(side, name,    v) {
		if (!((side, name) in best))
			return "n/a"
		v = best[side, name] / scale[unit[name]]
		return sprintf(v >= 100 ? "%.0f" : "%.2f", v)
	}
	END {
		fmt = "%-36s %10s %10s %8s\n"
		printf fmt, "figure", "tern", "linux", "ratio"
		for (i = 1; i <= n; i++) {
			name = order[i]
			r = "n/a"
			if (("tern", name) in best && ("linux", name) in best && best["linux", name] > 0)
				r = sprintf("%.2f", best["tern", name] / best["linux", name])
			printf fmt, label[name] " (" unit[name] ")", cell("tern", name), \
				cell("linux", name), r
		}
		split("tern linux", sides, " ")
		for (s = 1; s <= 2; s++) {
			side = sides[s]
			notes = ""
			for (i = 1; i <= n; i++) {
				name = order[i]
				if (!((side, name) in best))
					notes = notes sprintf("\n  %s: %s", name, \
						(side, name) in reason ? reason[side, name] : "not reported")
			}
			if (notes != "")
				printf "%s n/a:%s\n", side, notes
			if (finished[side] + 0 < nruns[side] + 0)
				printf "%s: %d of %d runs did not finish (timeout or crash; see %s/%s-*.log)\n", \
					side, nruns[side] - finished[side], nruns[side], dir, side
		}
		printf "ratio = tern/linux, lower is better; best of %d run(s) each\n", nruns["linux"]
	}' "$dir"/tern-*.log "$dir"/linux-*.log
}

if [ "$table_only" = 1 ]; then
	table "$out"
	exit 0
fi

tern=${1:?Tern kernel required}
linux=${2:?Linux kernel required}
initrd=${3:?benchmark initramfs required}
[ -r "$tern" ] || { echo "bench: no Tern kernel $tern" >&2; exit 1; }
[ -r "$linux" ] || { echo "bench: no Linux kernel '$linux'" >&2; exit 1; }

append="console=ttyS0 rdinit=/init quiet"
if [ -n "$khz" ] && [ "$machine" = microvm ]; then
	append="$append tsc_early_khz=$khz"
fi
[ -n "$khz" ] || echo "bench: no TSC rate (-k), figures are in cycles" >&2

mkdir -p "$out"
rm -f "$out"/tern-*.log "$out"/linux-*.log
echo "bench: $machine, $runs run(s) per kernel, TSC ${khz:-?} kHz, logs in $out/"
tern_hung=0
for run in $(seq "$runs"); do
	if [ "$tern_hung" = 0 ]; then
		boot_once "$tern" "$initrd" "$append" "$out/tern-$run.log"
		# A Tern run that hangs will hang again: do not wait for it twice.
		grep -q "^bench: done" "$out/tern-$run.log" || tern_hung=1
	fi
	boot_once "$linux" "$initrd" "$append" "$out/linux-$run.log"
done
echo
table "$out"
if ! grep -q "^bench: done" "$out"/linux-*.log; then
	echo "bench: Linux, the reference, did not finish a run" >&2
	exit 1
fi
