// SPDX-License-Identifier: MIT
/*
 * Exec helper for user/tests/exec.c: checks that the argv and envp it
 * was started with are exactly what the test expected. Modes:
 *   (default)   expectations in the environment: EXPECT_ARGC, EXPECT_ARGV
 *               (the arguments joined with '|') and EXPECT_ENVC;
 *   --no-env    the environment must be empty;
 *   --big N L   exactly N more arguments follow, each L bytes of 'a'.
 * Exits 0 on a match, 1 on a mismatch (after printing what it got on a
 * "#" line, which the test driver ignores), 2 on a malformed request.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

static int count_env(char **envp)
{
	int n = 0;
	while (envp[n])
		n++;
	return n;
}

static int check_big(int argc, char **argv)
{
	int n = atoi(argv[2]);
	size_t len = (size_t)atol(argv[3]);
	if (argc != n + 4)
		return 1;
	for (int i = 4; i < argc; i++) {
		if (strlen(argv[i]) != len || strspn(argv[i], "a") != len)
			return 1;
	}
	return 0;
}

int main(int argc, char **argv, char **envp)
{
	const char *want_argc = getenv("EXPECT_ARGC");
	const char *want_argv = getenv("EXPECT_ARGV");
	const char *want_envc = getenv("EXPECT_ENVC");
	char got[4096] = "";
	size_t len = 0;

	if (argc >= 2 && strcmp(argv[1], "--no-env") == 0)
		return envp[0] == NULL && environ[0] == NULL ? 0 : 1;
	if (argc >= 4 && strcmp(argv[1], "--big") == 0)
		return check_big(argc, argv);
	if (!want_argc || !want_argv || !want_envc)
		return 2;
	for (int i = 0; i < argc && len < sizeof(got); i++)
		len += (size_t)snprintf(got + len, sizeof(got) - len, "%s%s", i ? "|" : "",
					argv[i]);
	if (argc == atoi(want_argc) && argv[argc] == NULL && strcmp(got, want_argv) == 0 &&
	    count_env(envp) == atoi(want_envc))
		return 0;
	printf("# argv helper: argc %d, argv '%s', envc %d; expected argc %s, argv '%s', envc %s\n",
	       argc, got, count_env(envp), want_argc, want_argv, want_envc);
	return 1;
}
