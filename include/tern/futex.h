/* SPDX-License-Identifier: MIT */
/*
 * Futexes (kernel/futex.c): wait queues keyed by user address (private,
 * per address space) or by physical page (shared), and robust lists.
 */
#pragma once

#include <tern/sched.h>
#include <tern/types.h>

/*
 * Wakes up to n waiters on the futex at uaddr of the caller's space, as
 * Linux's shared FUTEX_WAKE of a CLONE_CHILD_CLEARTID word does (glibc's
 * join waits shared): on private memory Linux's shared key is the private
 * one, so Tern, whose keys differ, wakes private waiters too.
 */
int futex_wake_addr(uint64_t uaddr, int n);
/* Thread exit: marks the robust futexes t still holds as owner-dead. */
void futex_exit_robust_list(struct task *t);
