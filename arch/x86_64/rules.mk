ARCH_SRCS += arch/x86_64/uthread.c arch/x86_64/signal.c arch/x86_64/boot.S arch/x86_64/trap_entry.S arch/x86_64/switch_stacks.S \
	arch/x86_64/setup.c arch/x86_64/pvh.c arch/x86_64/cpu.c arch/x86_64/traps.c \
	arch/x86_64/paging.c arch/x86_64/memory.c arch/x86_64/kstack.c arch/x86_64/apic.c \
	arch/x86_64/tsc.c arch/x86_64/random.c arch/x86_64/acpi.c arch/x86_64/power.c arch/x86_64/spinlock.c \
	arch/x86_64/switch.c arch/x86_64/fpu.c arch/x86_64/syscall.c arch/x86_64/syscall_entry.S \
	arch/x86_64/usercopy.S arch/x86_64/uvm.c
KTEST_SRCS += arch/x86_64/arch_ktest.c arch/x86_64/user_ktest.c arch/x86_64/user_blob_ktest.S
include arch/x86_64/vdso/rules.mk
