// SPDX-License-Identifier: MIT
/*
 * /init of the guest-test initramfs: runs the programs of its list from
 * /tests in name order, one at a time as a child, reports how each ended, then
 * powers the machine off. The same image boots Tern and Linux. The list
 * of programs is compiled in (GUEST_TESTS, from the Makefile), so
 * running them needs only fork, execve and wait, not directory reads;
 * the image holds two builds of this file, /init with every program
 * (for Linux) and /init-tern with the ones Tern passes (TERN_GUEST_TESTS).
 * A program that runs longer than TEST_TIMEOUT_S is killed and reported
 * as a failure, so one hung test does not hang the whole run; orphans
 * that tests leave behind are re-parented here and reaped.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_TESTS 256
#define TEST_TIMEOUT_S 120

static volatile sig_atomic_t timed_out;

static void on_alarm(int sig)
{
	(void)sig;
	timed_out = 1;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Waits for pid, reaping any orphan that ends first; false on timeout or error. */
static int wait_for(pid_t pid, int *status)
{
	for (;;) {
		pid_t r = waitpid(-1, status, 0);
		if (r == pid)
			return 1;
		if (r < 0 && (errno != EINTR || timed_out))
			return 0;
	}
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
		signal(SIGALRM, SIG_DFL);
		execve(path, argv, envp);
		printf("FAIL - init: exec %s\n", path);
		_exit(127);
	}
	if (pid < 0) {
		printf("FAIL - init: run %s\n", name);
		return;
	}
	timed_out = 0;
	alarm(TEST_TIMEOUT_S);
	int done = wait_for(pid, &status);
	alarm(0);
	if (!done) {
		printf("FAIL - init: %s timed out\n", name);
		kill(pid, SIGKILL);
		timed_out = 0;
		if (!wait_for(pid, &status))
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
	struct sigaction sa;

	setvbuf(stdout, NULL, _IOLBF, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	printf("guest: init running as pid %d\n", getpid());
	for (size_t i = 0; i < sizeof(list) / sizeof(list[0]) && n < MAX_TESTS; i++)
		names[n++] = strdup(list[i]);
	qsort(names, (size_t)n, sizeof(names[0]), by_name);
	for (int i = 0; i < n; i++)
		run_one(names[i]);
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	printf("guest: done\n");
	fflush(stdout);
	sync();
	reboot(RB_POWER_OFF);
	return 0;
}
