// SPDX-License-Identifier: MIT
/*
 * Signal frames on x86-64, laid out as Linux does (rt_sigframe): the
 * return address (sa_restorer), a ucontext with the interrupted
 * registers and mask, the siginfo, and above them the FPU area the
 * sigcontext points to, 64-byte aligned (its contents come from fpu.c).
 * Also the work done on every return to user mode: delivering signals
 * and restarting syscalls.
 */
#include <asm/unistd_64.h>
#include <arch/trap.h>
#include <arch/x86.h>
#include <asm/sigcontext.h>
#include <asm/signal.h>
#include <asm/ucontext.h>
#include <linux/signal.h>
#include <tern/arch.h>
#include <tern/base.h>
#include <tern/errno.h>
#include <tern/proc.h>
#include <tern/signal.h>
#include <tern/string.h>
#include <tern/syscall.h>

#include "internal.h"

#define RED_ZONE 128
#define RFLAGS_TF (1 << 8)
#define RFLAGS_IF (1 << 9)
#define RFLAGS_DF (1 << 10)
#define RFLAGS_AC (1 << 18)
/* The flags sigreturn may set: arithmetic flags, TF, DF, OF, AC, RF. */
#define RFLAGS_USER 0x40dd5
#define SYSCALL_INSN_BYTES 2

struct rt_sigframe {
	uint64_t pretcode;
	struct ucontext uc;
	siginfo_t info;
};

static bool on_altstack(const struct task *t, uint64_t sp)
{
	return t->altstack_size && sp > t->altstack_sp && sp <= t->altstack_sp + t->altstack_size;
}

int arch_signal_deliver(const struct ksignal *ks)
{
	struct task *t = current_task();
	struct trap_frame *f = arch_user_frame(t);
	struct rt_sigframe frame;
	uint64_t sp = f->rsp - RED_ZONE;
	bool is_on_altstack = on_altstack(t, f->rsp);

	if (!(ks->action.flags & SA_RESTORER))
		return -EFAULT;
	if ((ks->action.flags & SA_ONSTACK) && t->altstack_size && !is_on_altstack) {
		sp = t->altstack_sp + t->altstack_size;
		is_on_altstack = true;
	}
	sp = ALIGN_DOWN(sp - fpu_sigframe_bytes(), 64);
	uint64_t fpstate = sp;
	sp = ALIGN_DOWN(sp - sizeof(frame), 16) - 8;
	/* ABI: a frame that would overflow the alternate stack is a SIGSEGV (get_sigframe). */
	if (is_on_altstack && !on_altstack(t, sp))
		return -EFAULT;

	memset(&frame, 0, sizeof(frame));
	frame.pretcode = ks->action.restorer;
	frame.uc.uc_flags = UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS;
	if (fpu_has_xsave())
		frame.uc.uc_flags |= UC_FP_XSTATE;
	frame.uc.uc_stack.ss_sp = (void *)t->altstack_sp;
	frame.uc.uc_stack.ss_size = t->altstack_size;
	frame.uc.uc_stack.ss_flags = !t->altstack_size	      ? SS_DISABLE
				     : on_altstack(t, f->rsp) ? SS_ONSTACK
							      : 0;
	struct sigcontext *sc = &frame.uc.uc_mcontext;
	sc->r8 = f->r8, sc->r9 = f->r9, sc->r10 = f->r10, sc->r11 = f->r11;
	sc->r12 = f->r12, sc->r13 = f->r13, sc->r14 = f->r14, sc->r15 = f->r15;
	sc->rdi = f->rdi, sc->rsi = f->rsi, sc->rbp = f->rbp, sc->rbx = f->rbx;
	sc->rdx = f->rdx, sc->rax = f->rax, sc->rcx = f->rcx, sc->rsp = f->rsp;
	sc->rip = f->rip;
	sc->eflags = f->rflags;
	sc->cs = (uint16_t)f->cs;
	sc->ss = (uint16_t)f->ss;
	if (f->vector < 32) {
		sc->trapno = f->vector;
		sc->err = f->error_code;
		if (f->vector == VEC_PAGE_FAULT)
			sc->cr2 = (uint64_t)ks->info.si_addr;
	}
	sc->oldmask = ks->old_blocked;
	sc->fpstate = (struct _fpstate_64 *)fpstate;
	frame.uc.uc_sigmask = ks->old_blocked;
	frame.info = ks->info;
	if (fpu_sigframe_save(fpstate) != 0 || copy_to_user((void *)sp, &frame, sizeof(frame)) != 0)
		return -EFAULT;

	f->rdi = (uint64_t)ks->signo;
	f->rsi = sp + offsetof(struct rt_sigframe, info);
	f->rdx = sp + offsetof(struct rt_sigframe, uc);
	f->rax = 0;
	f->rsp = sp;
	f->rip = ks->action.handler;
	f->rflags &= ~(uint64_t)(RFLAGS_DF | RFLAGS_TF | RFLAGS_AC);
	f->cs = SEL_UCODE;
	f->ss = SEL_UDATA;
	/* The handler starts with a clean FPU, as on Linux. */
	return arch_user_fpu_init();
}

/*
 * AT_MINSIGSTKSZ: the most stack a signal frame can take, alignment
 * padding included, as Linux computes it (init_sigframe_size in
 * arch/x86/kernel/signal.c, less the 32-bit parts Tern has no use for).
 */
size_t arch_sigframe_max_bytes(void)
{
	return ALIGN_UP(sizeof(struct rt_sigframe) + 15 + fpu_sigframe_bytes() + 63, 16);
}

long arch_sigreturn(void)
{
	struct task *t = current_task();
	struct trap_frame *f = arch_user_frame(t);
	struct rt_sigframe frame;
	uint64_t at = f->rsp - 8; /* the handler's ret popped pretcode */

	t->restart.fn = NULL; /* ABI: restore_sigcontext: no restart across a handler */
	if (copy_from_user(&frame, (const void *)at, sizeof(frame)) != 0)
		goto bad;
	const struct sigcontext *sc = &frame.uc.uc_mcontext;
	f->r8 = sc->r8, f->r9 = sc->r9, f->r10 = sc->r10, f->r11 = sc->r11;
	f->r12 = sc->r12, f->r13 = sc->r13, f->r14 = sc->r14, f->r15 = sc->r15;
	f->rdi = sc->rdi, f->rsi = sc->rsi, f->rbp = sc->rbp, f->rbx = sc->rbx;
	f->rdx = sc->rdx, f->rax = sc->rax, f->rcx = sc->rcx, f->rsp = sc->rsp;
	f->rip = sc->rip;
	f->rflags = (f->rflags & ~(uint64_t)RFLAGS_USER) | (sc->eflags & RFLAGS_USER) | RFLAGS_IF;
	f->cs = SEL_UCODE;
	f->ss = SEL_UDATA;
	f->vector = VEC_SYSCALL;
	signal_set_blocked(frame.uc.uc_sigmask);
	/* ABI: Linux restores the registers and mask before the FPU state, and returns 0 if that fails. */
	if (fpu_sigframe_restore((uint64_t)sc->fpstate) != 0) {
		f->rax = 0;
		goto bad;
	}
	if (frame.uc.uc_stack.ss_flags != SS_ONSTACK && !on_altstack(t, f->rsp)) {
		bool disable = frame.uc.uc_stack.ss_flags & SS_DISABLE;
		t->altstack_sp = disable ? 0 : (uint64_t)frame.uc.uc_stack.ss_sp;
		t->altstack_size = disable ? 0 : frame.uc.uc_stack.ss_size;
	}
	return (long)f->rax;
bad:
	signal_force_fault(SIGSEGV, SI_KERNEL, 0);
	return (long)f->rax;
}

bool syscall_is_restart(long ret)
{
	return ret == -ERESTARTSYS || ret == -ERESTARTNOINTR || ret == -ERESTARTNOHAND ||
	       ret == -ERESTART_RESTARTBLOCK;
}

/*
 * Last stop before user mode, for syscalls (in_syscall) and for traps
 * and interrupts that came from user mode.
 */
void arch_user_return(struct trap_frame *f, bool in_syscall)
{
	struct ksignal ks;

	irq_enable();
	while (signal_pending_current() || current_task()->sig_restore_mask) {
		if (!signal_get(&ks))
			break;
		long ret = (long)f->rax;
		if (in_syscall && syscall_is_restart(ret)) {
			bool restart = ret == -ERESTARTNOINTR ||
				       (ret == -ERESTARTSYS && (ks.action.flags & SA_RESTART));
			if (restart) {
				f->rax = f->error_code;
				f->rip -= SYSCALL_INSN_BYTES;
			} else {
				f->rax = (uint64_t)-EINTR;
			}
		}
		in_syscall = false;
		if (arch_signal_deliver(&ks) != 0) {
			signal_force_sigsegv(ks.signo);
			continue;
		}
		signal_delivered(&ks);
	}
	if (in_syscall && syscall_is_restart((long)f->rax)) {
		bool by_block = (long)f->rax == -ERESTART_RESTARTBLOCK;
		f->rax = by_block ? __NR_restart_syscall : f->error_code;
		f->rip -= SYSCALL_INSN_BYTES;
	}
	irq_disable();
}
