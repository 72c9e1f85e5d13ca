/* SPDX-License-Identifier: MIT */
/*
 * What arch/x86_64 provides to the rest of the kernel: interrupt
 * masking, context switch, kernel stacks, the one-shot timer, idling,
 * power-off and the debug-exit port.
 */
#pragma once

#include <tern/types.h>

struct task;
struct kstack;
struct aspace;

uint64_t arch_irq_save(void);
void arch_irq_restore(uint64_t flags);
bool arch_irqs_enabled(void);
void arch_irq_enable(void);
/* Enables interrupts and halts until one arrives, atomically. */
void arch_idle(void);

/* Prepares a new task's stack so the first switch to it runs kthread_start(t). */
void arch_task_init_stack(struct task *t);
/* Saves callee-saved state into prev, resumes next. */
void arch_switch(struct task *prev, struct task *next);
/* First C code of every new thread (kernel/sched.c). */
__noreturn void kthread_start(struct task *t);

/* Kernel stacks with an unmapped guard page below; 0 or -ENOMEM. */
int kstack_alloc(struct kstack *out) __must_check;
void kstack_free(struct kstack *ks);
/* True when va is mapped in the kernel's page tables. */
bool arch_is_mapped(uintptr_t va);

/* Arms the one-shot timer to fire at monotonic time deadline_ns (0 = disarm). */
void arch_timer_arm(uint64_t deadline_ns);

/* The wall clock was set (kernel/time.c): the vDSO's copy of it is updated. */
void arch_wall_clock_changed(void);
/*
 * exec: maps the vDSO and its data page into as, a new address space not
 * yet in use. *out_base is the vDSO's ELF header (AT_SYSINFO_EHDR), or 0
 * when there is none. 0 or -ENOMEM.
 */
int arch_vdso_map(struct aspace *as, uint64_t *out_base) __must_check;

/* Gives the calling thread a clean user FPU/SSE/AVX state; 0 or -ENOMEM. */
int arch_user_fpu_init(void) __must_check;
/* Sets the calling user thread's FS base (TLS); 0 or -EPERM for a kernel address. */
int arch_set_user_fs(uint64_t base) __must_check;

/*
 * fork/clone: gives child (a new task, not yet run) a copy of the
 * caller's user registers and FPU state, returning 0 from the syscall,
 * on stack sp (0 = the caller's) with the TLS base tls if set_tls.
 * 0 or -ENOMEM.
 */
int arch_fork_thread(struct task *child, uint64_t sp, bool set_tls, uint64_t tls) __must_check;
/* Leaves the kernel for the user registers saved at the top of the stack. */
__noreturn void arch_return_to_user(void);
/* The user stack pointer saved on entry to the kernel. */
uint64_t arch_user_sp(void);
/* execve: the syscall returns into a fresh program at entry with stack sp. */
void arch_exec_frame(uint64_t entry, uint64_t sp);

/* Powers the machine off (ACPI); returns only if that failed. */
void arch_power_off(void);
/* Ends the VM with a status through the debug-exit device, else powers off. */
__noreturn void arch_exit_vm(int status);
/* Prints a backtrace starting from the caller. */
void arch_dump_stack(void);
