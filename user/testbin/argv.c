// SPDX-License-Identifier: MIT
/*
 * Exec helper for user/tests/exec.c: checks that the argv it was started
 * with is exactly what the test expected. The expectation comes in the
 * environment: EXPECT_ARGC and EXPECT_ARGV (the arguments joined with
 * '|'). Exits 0 on a match, 1 on a mismatch (after printing what it got
 * on a "#" line, which the test driver ignores), 2 if nothing was expected.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	const char *want_argc = getenv("EXPECT_ARGC");
	const char *want_argv = getenv("EXPECT_ARGV");
	char got[4096] = "";
	size_t len = 0;

	if (!want_argc || !want_argv)
		return 2;
	for (int i = 0; i < argc && len < sizeof(got); i++)
		len += (size_t)snprintf(got + len, sizeof(got) - len, "%s%s", i ? "|" : "",
					argv[i]);
	if (argc == atoi(want_argc) && argv[argc] == NULL && strcmp(got, want_argv) == 0)
		return 0;
	printf("# argv helper: argc %d, argv '%s'; expected argc %s, argv '%s'\n", argc, got,
	       want_argc, want_argv);
	return 1;
}
