/* SPDX-License-Identifier: MIT */
/*
 * The register frame every interrupt and exception entry (trap_entry.S)
 * builds on the kernel stack before calling trap_dispatch().
 */
#pragma once

#include <tern/types.h>

struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector;
	uint64_t error_code;
	uint64_t rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};

_Static_assert(sizeof(struct trap_frame) == 22 * 8, "trap_frame layout");

#define VEC_DOUBLE_FAULT 8
#define VEC_PAGE_FAULT 14
#define VEC_IRQ_BASE 32 /* I/O APIC pins start here */
#define VEC_TIMER 0xf0	/* local APIC timer */
#define VEC_SPURIOUS 0xff
#define VEC_SYSCALL 0x100 /* not a vector: marks frames built by syscall_entry */

void trap_dispatch(struct trap_frame *f);
