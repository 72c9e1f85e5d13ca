/* SPDX-License-Identifier: MIT */
/*
 * Error numbers: Linux's, from the UAPI headers, plus kernel-internal
 * codes above 511 that must never reach user space (STYLE §5).
 */
#pragma once

#include <asm-generic/errno.h>

#define ERESTARTSYS 512		  /* restart if the handler has SA_RESTART, else EINTR */
#define ERESTARTNOINTR 513	  /* always restart */
#define ERESTARTNOHAND 514	  /* restart if no handler ran, else EINTR */
#define ERESTART_RESTARTBLOCK 516 /* EINTR if a handler ran, else restart_syscall */
