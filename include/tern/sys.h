/* SPDX-License-Identifier: MIT */
/*
 * Syscall handlers (kernel/sys_*.c and other subsystems' sys_*.c): each
 * takes the six raw argument registers and returns the result or -errno,
 * exactly what goes to rax. The prototypes are generated from
 * kernel/syscalls.tbl (tools/gen-syscalls.sh) into the build folder.
 */
#pragma once

#include <sys_handlers.h>
