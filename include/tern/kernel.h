/* SPDX-License-Identifier: MIT */
/*
 * Kernel-wide odds and ends that have no subsystem of their own: the
 * parsed command line, arch bring-up, the memory summary, the kernel
 * console and the deliberate-fault test modes.
 */
#pragma once

#include <tern/boot.h>
#include <tern/cmdline.h>
#include <tern/types.h>

extern struct cmdline kernel_cmdline;
extern const char *init_path;	/* first user program: init= or rdinit=, else /init */
extern uint64_t boot_banner_ns; /* monotonic ns when the banner printed */

/* Brings up CPU tables, memory, ACPI, interrupt controllers and clocks. */
void arch_init(const struct boot_info *bi);
void pvh_parse(uint64_t start_info_pa);
/* Bytes the page allocator has free / manages. */
uint64_t mm_free_bytes(void);
uint64_t mm_total_bytes(void);
/*
 * The uname(2) strings (kernel/sys_info.c), and setting the host name
 * (is_domainname false) or domain name: -EINVAL past 64 bytes.
 */
struct new_utsname;
void uts_read(struct new_utsname *out);
int uts_write(bool is_domainname, const char *name, size_t len) __must_check;
/* The interactive kernel console (kernel/console.c). */
int kconsole_thread(void *arg);
/* Becomes pid 1: execs init= from the initramfs, else runs the console. */
int init_thread(void *arg);
/* Runs one deliberate-fault mode (ktest_fault=null|overflow|ud); never returns. */
__noreturn void ktest_fault(const char *mode);
