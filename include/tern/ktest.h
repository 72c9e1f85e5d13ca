/* SPDX-License-Identifier: MIT */
/*
 * One test harness for host unit tests and in-kernel self-tests.
 * A test is declared with KTEST(suite, name) { ... } and checks with
 * KEXPECT* (record and continue) or KASSERT* (record and return).
 * Runners (host/test_main.c, kernel/ktest.c) walk the ktest_cases
 * section and print one line per case:
 *     ktest: ok <suite>.<name>
 *     ktest: FAIL <suite>.<name>
 * followed by "ktest: done N passed, N failed".
 */
#pragma once

#include <tern/types.h>

struct ktest {
	const char *suite; /* suite of the running case */
	const char *name;  /* name of the running case */
	int nr_failed_checks;
};

struct ktest_case {
	const char *suite;
	const char *name;
	void (*fn)(struct ktest *t);
};

/* Records a failed check and prints where it failed. */
void ktest_fail(struct ktest *t, const char *file, int line, const char *fmt, ...) __printf(4, 5);

/* Runs every case whose "suite.name" starts with filter ("" for all). */
int ktest_run_all(const char *filter, int *nr_passed, int *nr_failed);

#define KTEST(suite, name)                                                                        \
	static void ktest_fn_##suite##_##name(struct ktest *t);                                   \
	static const struct ktest_case ktest_case_##suite##_##name = {#suite, #name,              \
								      ktest_fn_##suite##_##name}; \
	static const struct ktest_case *ktest_ptr_##suite##_##name                                \
		__attribute__((used, section("ktest_cases"))) = &ktest_case_##suite##_##name;     \
	static void ktest_fn_##suite##_##name(struct ktest *t)

#define KEXPECT(cond) ((cond) ? true : (ktest_fail(t, __FILE__, __LINE__, "%s", #cond), false))

#define KEXPECT_EQ(a, b)                                                                           \
	({                                                                                         \
		long long ka_ = (long long)(a), kb_ = (long long)(b);                              \
		ka_ == kb_ ? true                                                                  \
			   : (ktest_fail(t, __FILE__, __LINE__, "%s == %s (%lld vs %lld)", #a, #b, \
					 ka_, kb_),                                                \
			      false);                                                              \
	})

#define KASSERT(cond)               \
	do {                        \
		if (!KEXPECT(cond)) \
			return;     \
	} while (0)

#define KASSERT_EQ(a, b)               \
	do {                           \
		if (!KEXPECT_EQ(a, b)) \
			return;        \
	} while (0)
