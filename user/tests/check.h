/* SPDX-License-Identifier: MIT */
/*
 * Tiny harness for guest tests in user/tests: static programs that
 * run as children of user/init on Tern and on Linux alike. Each check
 * prints one line, "ok - AREA: CASE" or "FAIL - AREA: CASE (details)";
 * the host driver (tools/guest-test.sh) counts them.
 */
#pragma once

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const char *check_area = "?";
static int check_failures;

#define CHECK(name, cond)                                                                          \
	do {                                                                                       \
		if (cond) {                                                                        \
			printf("ok - %s: %s\n", check_area, name);                                 \
		} else {                                                                           \
			printf("FAIL - %s: %s (%s at %s:%d, errno %d)\n", check_area, name, #cond, \
			       __FILE__, __LINE__, errno);                                         \
			check_failures++;                                                          \
		}                                                                                  \
		fflush(stdout);                                                                    \
	} while (0)

/* A syscall result that must be -1 with exactly errno e. */
#define CHECK_ERRNO(name, call, e)                     \
	do {                                           \
		errno = 0;                             \
		long r_ = (long)(call);                \
		CHECK(name, r_ == -1 && errno == (e)); \
	} while (0)
