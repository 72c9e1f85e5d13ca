#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Boots a kernel under QEMU the way every Tern tool does. KVM only where
# the CPU has hardware virtualisation (vmx/svm) and /dev/kvm opens; TCG
# otherwise (DESIGN §6: a software /dev/kvm must not be used).
#
# Usage: tools/qemu.sh [-m MACHINE] [-a APPEND] [-i INITRD] [-t SECONDS]
#                      [-M MEMORY] [-I] KERNEL
#   -m  microvm (default), pc or q35
#   -I  interactive: serial and QEMU monitor on this terminal (Ctrl-A x quits)
# Without -I the serial console goes to stdout, stdin is not read, and the
# run is killed after the timeout (default 60 s) with status 124.
set -eu

machine=microvm
append=""
initrd=""
timeout_s=60
memory=256M
interactive=0
while getopts m:a:i:t:M:I opt; do
	case $opt in
	m) machine=$OPTARG ;;
	a) append=$OPTARG ;;
	i) initrd=$OPTARG ;;
	t) timeout_s=$OPTARG ;;
	M) memory=$OPTARG ;;
	I) interactive=1 ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
kernel=${1:?kernel image required}

accel=tcg
if grep -qE '\b(vmx|svm)\b' /proc/cpuinfo 2>/dev/null && [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
	accel=kvm
fi
if [ -n "${TERN_ACCEL:-}" ]; then
	accel=$TERN_ACCEL
fi
cpu=${TERN_CPU:-max}
[ "$accel" = kvm ] && cpu=host

case $machine in
microvm) mopts="microvm,accel=$accel" ;;
pc | q35) mopts="$machine,accel=$accel" ;;
*) echo "qemu.sh: unknown machine $machine" >&2; exit 2 ;;
esac

set -- -M "$mopts" -cpu "$cpu" -m "$memory" -smp 1 -kernel "$kernel" \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 -no-reboot -display none
[ -n "$append" ] && set -- "$@" -append "$append"
[ -n "$initrd" ] && set -- "$@" -initrd "$initrd"

if [ "$interactive" = 1 ]; then
	exec qemu-system-x86_64 "$@" -serial mon:stdio
fi
exec timeout --foreground -k 5 "$timeout_s" qemu-system-x86_64 "$@" -serial stdio -monitor none </dev/null
