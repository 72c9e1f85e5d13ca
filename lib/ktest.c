// SPDX-License-Identifier: MIT
/*
 * The runner half of include/tern/ktest.h, shared by the host test
 * binary and the kernel's ktest= boot mode. Cases are found through the
 * ktest_cases section (the linker provides its bounds).
 */
#include <tern/base.h>
#include <tern/ktest.h>
#include <tern/string.h>

extern const struct ktest_case *const __start_ktest_cases[];
extern const struct ktest_case *const __stop_ktest_cases[];

void ktest_fail(struct ktest *t, const char *file, int line, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	t->nr_failed_checks++;
	klog(LOG_ERR, "ktest:   %s.%s: check failed at %s:%d: %s\n", t->suite, t->name, file, line,
	     msg);
}

static bool case_matches(const struct ktest_case *c, const char *filter)
{
	size_t suite_len = strlen(c->suite);
	size_t filter_len = strlen(filter);

	if (filter_len == 0 || strcmp(filter, "all") == 0)
		return true;
	if (filter_len <= suite_len)
		return strncmp(c->suite, filter, filter_len) == 0;
	return strncmp(c->suite, filter, suite_len) == 0 && filter[suite_len] == '.' &&
	       strncmp(c->name, filter + suite_len + 1, filter_len - suite_len - 1) == 0;
}

int ktest_run_all(const char *filter, int *nr_passed, int *nr_failed)
{
	for (const struct ktest_case *const *c = __start_ktest_cases; c < __stop_ktest_cases; c++) {
		struct ktest t = {.suite = (*c)->suite, .name = (*c)->name};

		if (!case_matches(*c, filter))
			continue;
		(*c)->fn(&t);
		if (t.nr_failed_checks) {
			(*nr_failed)++;
			klog(LOG_INFO, "ktest: FAIL %s.%s\n", t.suite, t.name);
		} else {
			(*nr_passed)++;
			klog(LOG_INFO, "ktest: ok %s.%s\n", t.suite, t.name);
		}
	}
	klog(LOG_INFO, "ktest: done %d passed, %d failed\n", *nr_passed, *nr_failed);
	return *nr_failed ? -1 : 0;
}
