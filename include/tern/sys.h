/* SPDX-License-Identifier: MIT */
/*
 * Syscall handlers (kernel/sys_*.c): each takes the six raw argument
 * registers and returns the result or -errno, exactly what goes to rax.
 */
#pragma once

long sys_write(const unsigned long args[6]);
long sys_writev(const unsigned long args[6]);
long sys_getpid(const unsigned long args[6]);
long sys_gettid(const unsigned long args[6]);
long sys_exit(const unsigned long args[6]);
long sys_exit_group(const unsigned long args[6]);
long sys_arch_prctl(const unsigned long args[6]);
long sys_set_tid_address(const unsigned long args[6]);
long sys_ioctl(const unsigned long args[6]);
long sys_reboot(const unsigned long args[6]);
