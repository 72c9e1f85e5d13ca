// SPDX-License-Identifier: MIT
/*
 * The system-call path and user-memory access on x86-64: SYSCALL MSRs
 * and the per-CPU area that syscall_entry.S finds through GS, the C
 * dispatcher, exception-table fixups for faulting user accesses, and
 * the range checks in front of usercopy.S.
 */
#include <arch/trap.h>
#include <arch/x86.h>
#include <tern/base.h>
#include <tern/errno.h>
#include <tern/sched.h>
#include <tern/signal.h>
#include <tern/string.h>
#include <tern/syscall.h>

#include "internal.h"

#define MSR_STAR 0xc0000081
#define MSR_LSTAR 0xc0000082
#define MSR_FMASK 0xc0000084
#define RFLAGS_TF (1 << 8)
#define RFLAGS_IF (1 << 9)
#define RFLAGS_DF (1 << 10)
#define RFLAGS_RF (1 << 16)
#define RFLAGS_AC (1 << 18)

struct cpu_local {
	uint64_t kernel_rsp; /* top of the running task's kernel stack */
	uint64_t user_rsp;   /* scratch for syscall_entry */
};

_Static_assert(offsetof(struct cpu_local, kernel_rsp) == 0, "syscall_entry.S offsets");
_Static_assert(offsetof(struct cpu_local, user_rsp) == 8, "syscall_entry.S offsets");

struct ex_entry {
	uint64_t insn;	/* address of a user-accessing instruction */
	uint64_t fixup; /* where to resume if it faults */
};

static struct cpu_local boot_cpu;
extern const struct ex_entry __start_ex_table[], __stop_ex_table[];
extern char syscall_entry[], user_access_begin[], user_access_end[];

void syscall_init(bool has_smap)
{
	wrmsr(MSR_GS_BASE, (uint64_t)&boot_cpu);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | 1); /* SCE */
	wrmsr(MSR_STAR, ((uint64_t)(SEL_UDATA - 8) << 48) | ((uint64_t)SEL_KCODE << 32));
	wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	wrmsr(MSR_FMASK, RFLAGS_TF | RFLAGS_IF | RFLAGS_DF | RFLAGS_AC);
	if (!has_smap) {
		/* Text is read-only: patch stac/clac through the direct map. */
		static const uint8_t nop3[3] = {0x0f, 0x1f, 0x00};
		memcpy(phys_to_virt((uint64_t)user_access_begin - KERNEL_VMA), nop3, 3);
		memcpy(phys_to_virt((uint64_t)user_access_end - KERNEL_VMA), nop3, 3);
	}
}

void cpu_set_syscall_stack(uint64_t rsp)
{
	boot_cpu.kernel_rsp = rsp;
}

/*
 * SYSRET reloads RIP from RCX and RFLAGS from R11, and fixed selectors.
 * It can only replace IRETQ when the frame says the same: not after
 * execve, sigreturn or signal delivery rewrote it. RIP must be canonical
 * (on Intel, SYSRET to a non-canonical RIP faults in ring 0 on the user
 * stack), and TF and RF need IRETQ to behave as they should.
 */
static bool can_sysret(const struct trap_frame *f)
{
	return f->rcx == f->rip && f->r11 == f->rflags && f->rip < USER_ADDR_END &&
	       f->cs == SEL_UCODE && f->ss == SEL_UDATA &&
	       (f->rflags & (RFLAGS_TF | RFLAGS_RF | RFLAGS_IF)) == RFLAGS_IF;
}

/*
 * Runs one syscall for syscall_entry.S and returns with interrupts off,
 * true when the way out can be SYSRET. The signal and restart work of
 * arch_user_return runs only when there is some: a pending signal, a
 * mask to restore, or a restart code to translate. The check is made
 * with interrupts off, so a signal sent after it is sent by an interrupt
 * or another task that runs only once the CPU is back in user mode, and
 * that entry's return delivers it.
 */
bool syscall_dispatch(struct trap_frame *f);
bool syscall_dispatch(struct trap_frame *f)
{
	const unsigned long args[6] = {f->rdi, f->rsi, f->rdx, f->r10, f->r8, f->r9};
	struct task *t = current_task();

	f->rax = (uint64_t)syscall_invoke(f->error_code, args);
	irq_disable();
	if (t->proc &&
	    (signal_pending_current() || t->sig_restore_mask || syscall_is_restart((long)f->rax)))
		arch_user_return(f, true);
	return can_sysret(f);
}

bool exception_fixup(struct trap_frame *f)
{
	for (const struct ex_entry *e = __start_ex_table; e < __stop_ex_table; e++) {
		if (e->insn == f->rip) {
			f->rip = e->fixup;
			return true;
		}
	}
	return false;
}

size_t arch_copy_user(void *dst, const void *src, size_t n);
long arch_strncpy_user(char *dst, const void *src, size_t max);
int arch_probe_user_write(void *p);

int copy_from_user(void *dst, const void *user_src, size_t len_bytes)
{
	if (!user_range_ok(user_src, len_bytes))
		return -EFAULT;
	return arch_copy_user(dst, user_src, len_bytes) ? -EFAULT : 0;
}

int copy_to_user(void *user_dst, const void *src, size_t len_bytes)
{
	if (!user_range_ok(user_dst, len_bytes))
		return -EFAULT;
	return arch_copy_user(user_dst, src, len_bytes) ? -EFAULT : 0;
}

size_t copy_from_user_prefix(void *dst, const void *user_src, size_t len_bytes)
{
	if (!user_range_ok(user_src, len_bytes))
		return 0;
	return len_bytes - arch_copy_user(dst, user_src, len_bytes);
}

size_t copy_to_user_prefix(void *user_dst, const void *src, size_t len_bytes)
{
	if (!user_range_ok(user_dst, len_bytes))
		return 0;
	return len_bytes - arch_copy_user(user_dst, src, len_bytes);
}

size_t user_writable_prefix(void *user_dst, size_t len_bytes)
{
	uint64_t start = (uint64_t)user_dst, end = start + len_bytes;

	if (!len_bytes || !user_range_ok(user_dst, len_bytes))
		return 0;
	for (uint64_t a = start; a < end; a = (a & ~(uint64_t)(PAGE_SIZE - 1)) + PAGE_SIZE)
		if (arch_probe_user_write((void *)a) != 0)
			return a - start;
	return len_bytes;
}

long strncpy_from_user(char *dst, const void *user_src, size_t size)
{
	uint64_t a = (uint64_t)user_src;

	if (a >= USER_ADDR_END || size == 0)
		return size ? -EFAULT : -ENAMETOOLONG;
	size_t max = MIN(size, USER_ADDR_END - a);
	long n = arch_strncpy_user(dst, user_src, max);
	if (n < 0)
		return -EFAULT;
	if ((size_t)n == max)
		return max < size ? -EFAULT : -ENAMETOOLONG;
	return n;
}
