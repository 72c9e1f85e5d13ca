/* SPDX-License-Identifier: MIT */
/*
 * Error numbers: Linux's, from the UAPI headers, plus kernel-internal
 * codes above 511 that must never reach user space (STYLE §5).
 */
#pragma once

#include <asm-generic/errno.h>

#define ERESTARTSYS 512
