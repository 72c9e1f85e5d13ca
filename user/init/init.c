// SPDX-License-Identifier: MIT
/*
 * /init of the guest-test initramfs: runs every program in /tests in
 * name order, one at a time as a child, reports how each ended, then
 * powers the machine off. The same image boots Tern and Linux. The list
 * of programs is compiled in (GUEST_TESTS, from the Makefile), so
 * running them needs only fork, execve and wait, not directory reads.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_TESTS 256

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void run_one(const char *name)
{
	char path[300];
	int status = 0;
	pid_t pid;

	snprintf(path, sizeof(path), "/tests/%s", name);
	printf("guest: running %s\n", name);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		char *argv[] = {path, NULL};
		char *envp[] = {"PATH=/bin", NULL};
		execve(path, argv, envp);
		printf("FAIL - init: exec %s\n", path);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid) {
		printf("FAIL - init: run %s\n", name);
		return;
	}
	if (WIFEXITED(status))
		printf("guest: %s exited with %d\n", name, WEXITSTATUS(status));
	else
		printf("guest: %s killed by signal %d\n", name, WTERMSIG(status));
}

int main(void)
{
	const char *list[] = {GUEST_TESTS};
	char *names[MAX_TESTS];
	int n = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("guest: init running as pid %d\n", getpid());
	for (size_t i = 0; i < sizeof(list) / sizeof(list[0]) && n < MAX_TESTS; i++)
		names[n++] = strdup(list[i]);
	qsort(names, (size_t)n, sizeof(names[0]), by_name);
	for (int i = 0; i < n; i++)
		run_one(names[i]);
	printf("guest: done\n");
	fflush(stdout);
	sync();
	reboot(RB_POWER_OFF);
	return 0;
}
