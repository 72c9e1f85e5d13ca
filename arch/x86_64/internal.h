/* SPDX-License-Identifier: MIT */
/*
 * Interfaces private to arch/x86_64: early boot steps, descriptor
 * tables, page tables, interrupt controllers, the TSC, ACPI facts.
 */
#pragma once

#include <arch/layout.h>
#include <tern/boot.h>
#include <tern/types.h>

#define KERNEL_HALF_START 0xffff800000000000ULL

/* pvh.c */
void pvh_parse(uint64_t start_info_pa);

/* cpu.c */
void cpu_init(void);
void cpu_set_kernel_stack(uint64_t rsp0);
bool cpu_ist_contains(uintptr_t addr);

/* fpu.c: user x87/SSE/AVX state, switched eagerly; the image is XSAVE's or FXSAVE's. */
struct task;
void fpu_init(void);
bool fpu_has_xsave(void);
/* fork/clone: gives child a copy of the caller's registers; 0 or -ENOMEM. */
int fpu_fork(struct task *child) __must_check;
void fpu_switch(struct task *prev, struct task *next);
/* Bytes of a signal frame's FPU area, FP_XSTATE_MAGIC2 included; it is 64-byte aligned. */
size_t fpu_sigframe_bytes(void);
int fpu_sigframe_save(uint64_t buf) __must_check;
int fpu_sigframe_restore(uint64_t buf) __must_check;

/* syscall.c */
void syscall_init(bool has_smap);
void cpu_set_syscall_stack(uint64_t rsp);
/* Resumes a faulting user access at its fixup; false if rip has none. */
struct trap_frame;
bool exception_fixup(struct trap_frame *f);

/* traps.c */
void trap_set_handler(int vector, void (*fn)(void *arg), void *arg);
uint64_t trap_count(int vector);
void backtrace_from(uint64_t rip, uint64_t rbp, uint64_t rsp);
/* Finds the kernel function containing addr in the embedded symbol table. */
bool kernel_symbol_lookup(uint64_t addr, const char **name, uint64_t *offset);

/* paging.c: page-table entry bits; nx_bit is PTE_NX when the CPU has NX, else 0. */
#define PTE_P (1ULL << 0)
#define PTE_W (1ULL << 1)
#define PTE_PWT (1ULL << 3)
#define PTE_PCD (1ULL << 4)
#define PTE_PS (1ULL << 7)
#define PTE_G (1ULL << 8)
#define PTE_NX (1ULL << 63)
#define PTE_ADDR 0x000ffffffffff000ULL
extern uint64_t nx_bit;
uint64_t paging_translate(uintptr_t va);
/* The leaf page-table entry mapping va (4 KiB or 2 MiB), or 0. */
uint64_t paging_leaf_entry(uintptr_t va);
void paging_set_table_source(uint64_t (*alloc_zeroed_page_phys)(void));
void paging_init(const struct boot_info *bi);
int paging_map(uintptr_t va, uint64_t pa, uint64_t flags, bool is_large) __must_check;
void paging_unmap(uintptr_t va);
/* The kernel's top-level table; its upper half is shared by every address space. */
const uint64_t *paging_kernel_pml4(void);
bool phys_is_mapped(uint64_t pa, size_t len);
void *ioremap(uint64_t pa, size_t len);
/* Maps firmware-owned memory (ACPI tables) read-only into the direct map. */
void *firmware_map(uint64_t pa, size_t len);

/* memory.c */
void memory_init(const struct boot_info *bi);

/* apic.c */
void apic_init(void);
void lapic_eoi(void);
void lapic_timer_start_free_running(void);
uint32_t lapic_timer_elapsed(void);
void lapic_timer_set_rate(uint64_t hz);

/* tsc.c */
void tsc_calibrate(uint64_t entry_tsc);
uint64_t tsc_frequency_hz(void);
uint64_t tsc_to_ns(uint64_t ticks);
/* What clock_monotonic_ns computes from: the TSC at time 0 and ns per tick (32.32); 0 = none. */
void tsc_clock_params(uint64_t *tsc_base, uint64_t *ns_per_tick_q32);
/* vdso/vdso.c: copies the vDSO image into its pages and fills its data page. */
void vdso_init(void);

/* acpi.c */
struct acpi_info {
	bool is_present;
	uint64_t ioapic_phys; /* 0 if the MADT named none */
	uint32_t ioapic_gsi_base;
	uint32_t isa_gsi[16];	 /* ISA IRQ -> GSI after overrides */
	uint16_t isa_flags[16];	 /* MPS INTI flags: polarity, trigger */
	uint32_t pm1a_cnt_port;	 /* 0 on hardware-reduced platforms */
	uint64_t sleep_ctl_addr; /* hardware-reduced sleep control register */
	bool sleep_ctl_is_io;
	int s5_type; /* SLP_TYP for soft-off, -1 if unknown */
};
extern struct acpi_info acpi;
void acpi_init(uint64_t rsdp_phys);

/* uthread.c: the user registers saved at the top of a user thread's kernel stack. */
struct trap_frame;
struct task;
struct trap_frame *arch_user_frame(struct task *t);
/* signal.c: signal delivery and syscall restarts on the way back to user mode. */
void arch_user_return(struct trap_frame *f, bool in_syscall);
/* signal.c: true for the kernel-internal codes that ask for a syscall restart. */
bool syscall_is_restart(long ret);
