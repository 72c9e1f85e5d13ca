// SPDX-License-Identifier: MIT
/*
 * C side of interrupt and exception entry. Device and timer vectors go
 * to registered handlers, then to the scheduler's preemption point.
 * Exceptions in the kernel are bugs: they print the registers and a
 * symbolised backtrace and stop the machine.
 */
#include <asm/signal.h>
#include <arch/trap.h>
#include <arch/x86.h>
#include <tern/arch.h>
#include <tern/base.h>
#include <tern/ksyms.h>
#include <tern/printk.h>
#include <tern/aspace.h>
#include <tern/errno.h>
#include <tern/proc.h>
#include <tern/sched.h>
#include <tern/signal.h>
#include <tern/syscall.h>

#include "internal.h"

static const char *const exception_names[32] = {
	"divide error",
	"debug",
	"NMI",
	"breakpoint",
	"overflow",
	"bound range",
	"invalid opcode",
	"device not available",
	"double fault",
	"coprocessor overrun",
	"invalid TSS",
	"segment not present",
	"stack fault",
	"general protection",
	"page fault",
	"reserved",
	"x87 FPU error",
	"alignment check",
	"machine check",
	"SIMD exception",
	"virtualization",
	"control protection",
	"reserved",
	"reserved",
	"reserved",
	"reserved",
	"reserved",
	"reserved",
	"hypervisor injection",
	"VMM communication",
	"security",
	"reserved",
};

struct vector_handler {
	void (*fn)(void *arg);
	void *arg;
};

static struct vector_handler handlers[256];
static uint64_t vector_counts[256];

extern const uint64_t ksyms_count;
extern const uint64_t ksyms_addrs[];
extern const uint32_t ksyms_name_offs[];
extern const char ksyms_names[];

void trap_set_handler(int vector, void (*fn)(void *arg), void *arg)
{
	handlers[vector].fn = fn;
	handlers[vector].arg = arg;
}

uint64_t trap_count(int vector)
{
	return vector_counts[vector];
}

bool kernel_symbol_lookup(uint64_t addr, const char **name, uint64_t *offset)
{
	const struct ksyms_table syms = {
		.count = ksyms_count,
		.addrs = ksyms_addrs,
		.name_offs = ksyms_name_offs,
		.names = ksyms_names,
	};

	return ksyms_lookup(&syms, addr, name, offset);
}

static void print_address(const char *prefix, uint64_t addr)
{
	const char *name;
	uint64_t off;

	if (kernel_symbol_lookup(addr, &name, &off))
		klog(LOG_EMERG, "%s[<%016llx>] %s+0x%llx\n", prefix, (unsigned long long)addr, name,
		     (unsigned long long)off);
	else
		klog(LOG_EMERG, "%s[<%016llx>] ?\n", prefix, (unsigned long long)addr);
}

static bool is_frame_readable(uint64_t fp)
{
	return fp >= KERNEL_HALF_START && IS_ALIGNED(fp, 8) && arch_is_mapped(fp) &&
	       arch_is_mapped(fp + 15);
}

extern char _text[], _etext[];

static bool is_text(uint64_t addr)
{
	return addr >= (uint64_t)_text && addr < (uint64_t)_etext;
}

/*
 * Walks the frame-pointer chain. A leaf function may have no frame of
 * its own, so a text address on top of the stack (its return address,
 * most likely) is printed too, marked "?" as possibly stale.
 */
void backtrace_from(uint64_t rip, uint64_t rbp, uint64_t rsp)
{
	klog(LOG_EMERG, "Call trace:\n");
	print_address("  ", rip);
	if (rsp && is_frame_readable(rsp) && is_text(*(const uint64_t *)rsp) &&
	    !(is_frame_readable(rbp) && ((const uint64_t *)rbp)[1] == *(const uint64_t *)rsp))
		print_address("  ? ", *(const uint64_t *)rsp - 1);
	for (int depth = 0; depth < 32 && rbp; depth++) {
		if (!is_frame_readable(rbp))
			break;
		const uint64_t *frame = (const uint64_t *)rbp;
		if (!frame[1])
			break;
		print_address("  ", frame[1] - 1);
		if (frame[0] <= rbp && !cpu_ist_contains(rbp))
			break;
		rbp = frame[0];
	}
}

void arch_dump_stack(void)
{
	backtrace_from((uint64_t)__builtin_return_address(0), read_rbp(), 0);
}

static void dump_registers(const struct trap_frame *f)
{
	klog(LOG_EMERG, "RIP: %04llx:%016llx RFLAGS: %08llx error: %llx\n",
	     (unsigned long long)f->cs, (unsigned long long)f->rip, (unsigned long long)f->rflags,
	     (unsigned long long)f->error_code);
	klog(LOG_EMERG, "RSP: %04llx:%016llx CR2: %016llx CR3: %016llx\n",
	     (unsigned long long)f->ss, (unsigned long long)f->rsp, (unsigned long long)read_cr2(),
	     (unsigned long long)read_cr3());
	klog(LOG_EMERG, "RAX: %016llx RBX: %016llx RCX: %016llx\n", (unsigned long long)f->rax,
	     (unsigned long long)f->rbx, (unsigned long long)f->rcx);
	klog(LOG_EMERG, "RDX: %016llx RSI: %016llx RDI: %016llx\n", (unsigned long long)f->rdx,
	     (unsigned long long)f->rsi, (unsigned long long)f->rdi);
	klog(LOG_EMERG, "RBP: %016llx R8:  %016llx R9:  %016llx\n", (unsigned long long)f->rbp,
	     (unsigned long long)f->r8, (unsigned long long)f->r9);
	klog(LOG_EMERG, "R10: %016llx R11: %016llx R12: %016llx\n", (unsigned long long)f->r10,
	     (unsigned long long)f->r11, (unsigned long long)f->r12);
	klog(LOG_EMERG, "R13: %016llx R14: %016llx R15: %016llx\n", (unsigned long long)f->r13,
	     (unsigned long long)f->r14, (unsigned long long)f->r15);
}

static __noreturn void kernel_exception(const struct trap_frame *f)
{
	struct task *t = current_task();

	printk_enter_panic();
	klog(LOG_EMERG, "Oops: %s (vector %llu) in task %s\n", exception_names[f->vector],
	     (unsigned long long)f->vector, t ? t->name : "?");
	if (f->vector == VEC_PAGE_FAULT)
		klog(LOG_EMERG, "page fault at %016llx: %s %s, %s\n",
		     (unsigned long long)read_cr2(),
		     f->error_code & 1 ? "protection violation" : "page not present",
		     f->error_code & 2 ? "on write" : "on read",
		     f->error_code & 16 ? "instruction fetch" : "data access");
	if (f->vector == VEC_DOUBLE_FAULT && t && read_cr2() >= t->stack.base - PAGE_SIZE &&
	    read_cr2() < t->stack.base)
		klog(LOG_EMERG, "kernel stack overflow: guard page hit below %016llx\n",
		     (unsigned long long)t->stack.base);
	dump_registers(f);
	print_address("RIP is ", f->rip);
	backtrace_from(f->rip, f->rbp, f->rsp);
	arch_exit_vm(3);
}

#define PF_WRITE (1 << 1)
#define PF_USER (1 << 2)
#define PF_INSN (1 << 4)
#define RFLAGS_IF (1 << 9)

/*
 * A page fault on a user address: demand paging, copy-on-write and stack
 * growth. True if the access may be retried; otherwise a user-mode fault
 * has been turned into SIGSEGV (SIGBUS when memory ran out or a file
 * mapping reached past its end of file).
 */
static bool user_page_fault(struct trap_frame *f)
{
	uint64_t addr = read_cr2();
	struct proc *p = current_task()->proc;
	unsigned int flags = ((f->error_code & PF_WRITE) ? FAULT_WRITE : 0) |
			     ((f->error_code & PF_INSN) ? FAULT_EXEC : 0);

	int err = -EFAULT;

	if (addr < USER_ADDR_END && p && p->as) {
		if (f->rflags & RFLAGS_IF)
			irq_enable();
		err = aspace_fault(p->as, addr, flags, p->rlim[RLIMIT_STACK].rlim_cur);
		irq_disable();
	}
	if (!err) {
		current_task()->min_flt++;
		return true;
	}
	if ((f->cs & 3) && p) {
		if (err == -ENOMEM || err == -ENXIO)
			signal_force_fault(SIGBUS, BUS_ADRERR, addr);
		else
			signal_force_fault(SIGSEGV, err == -EACCES ? SEGV_ACCERR : SEGV_MAPERR,
					   addr);
	}
	return false;
}

/* Other exceptions in user mode become the signal Linux sends for them. */
static void user_exception(const struct trap_frame *f)
{
	int sig = SIGSEGV, code = SI_KERNEL;
	uint64_t addr = f->rip;

	switch (f->vector) {
	case 0: /* #DE */
		sig = SIGFPE, code = FPE_INTDIV;
		break;
	case 1: /* #DB */
	case 3: /* #BP */
		sig = SIGTRAP;
		break;
	case 6: /* #UD */
		sig = SIGILL, code = ILL_ILLOPN;
		break;
	case 16: /* #MF */
	case 19: /* #XM */
		sig = SIGFPE, code = 0;
		break;
	case 17: /* #AC */
		sig = SIGBUS, code = BUS_ADRALN;
		break;
	case 4: /* #OF, #BR: SIGSEGV at the instruction */
	case 5:
		break;
	default: /* #GP and the rest: SIGSEGV with si_addr 0, as Linux */
		addr = 0;
		break;
	}
	signal_force_fault(sig, code, addr);
}

void trap_dispatch(struct trap_frame *f)
{
	uint64_t v = f->vector;

	vector_counts[v]++;
	if (v < 32) {
		if (v == VEC_PAGE_FAULT && user_page_fault(f)) {
			/* retried */
		} else if (f->cs & 3) {
			if (v != VEC_PAGE_FAULT)
				user_exception(f);
		} else if (!(v == VEC_PAGE_FAULT && exception_fixup(f))) {
			kernel_exception(f);
		}
		if (f->cs & 3)
			arch_user_return(f, false);
		return;
	}
	if (handlers[v].fn)
		handlers[v].fn(handlers[v].arg);
	else if (v != VEC_SPURIOUS)
		warn_once(true, "trap: unexpected vector %llu\n", (unsigned long long)v);
	if (v != VEC_SPURIOUS)
		lapic_eoi();
	sched_preempt_point();
	if ((f->cs & 3) && current_task()->proc)
		arch_user_return(f, false);
}
