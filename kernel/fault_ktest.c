// SPDX-License-Identifier: MIT
/*
 * Deliberate faults for the exception-reporting tests (boot option
 * ktest_fault=). Each mode crashes in a function with a known name; the
 * host test checks that the report names the exception and that
 * function. Never used outside tests.
 */
#include <tern/base.h>
#include <tern/kernel.h>
#include <tern/sched.h>
#include <tern/string.h>

static volatile uintptr_t null_address; /* opaque to the optimiser */

__attribute__((noinline)) void ktest_fault_null_deref(void);
void ktest_fault_null_deref(void)
{
	volatile int *p = (volatile int *)null_address;
	*p = 1;
}

__attribute__((noinline)) void ktest_fault_invalid_opcode(void);
void ktest_fault_invalid_opcode(void)
{
	__builtin_trap(); /* ud2 on x86 */
}

__attribute__((noinline)) int ktest_fault_recurse(int depth);
int ktest_fault_recurse(int depth)
{
	volatile char pad[512];

	pad[0] = (char)depth;
	if (depth == -1) /* never: keeps the recursion from looking unconditional */
		return 0;
	return ktest_fault_recurse(depth + 1) + pad[0];
}

static int overflow_thread(void *arg)
{
	(void)arg;
	return ktest_fault_recurse(0);
}

void ktest_fault(const char *mode)
{
	klog(LOG_INFO, "ktest_fault: %s\n", mode);
	if (strcmp(mode, "null") == 0) {
		ktest_fault_null_deref();
	} else if (strcmp(mode, "ud") == 0) {
		ktest_fault_invalid_opcode();
	} else if (strcmp(mode, "overflow") == 0) {
		struct task *t;
		if (kthread_create("overflow", overflow_thread, NULL, &t) == 0)
			kthread_join(t);
	}
	panic("ktest_fault: mode %s did not fault\n", mode);
}
