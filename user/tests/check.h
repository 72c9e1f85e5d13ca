/* SPDX-License-Identifier: MIT */
/*
 * Tiny harness for guest tests in user/tests: static programs that
 * run as children of user/init on Tern and on Linux alike. Each check
 * prints one line, "ok - AREA: CASE" or "FAIL - AREA: CASE (details)";
 * the host driver (tools/guest-test.sh) counts them. check_watchdog
 * runs a program's body in a child with a time limit.
 */
#pragma once

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

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

static volatile sig_atomic_t check_watchdog_fired;

static inline void check_watchdog_alarm(int sig)
{
	(void)sig;
	check_watchdog_fired = 1;
}

/*
 * Runs body in a child process and waits for it. After timeout_s seconds
 * the child is killed and a FAIL line printed, so a kernel that loses a
 * signal or a wakeup cannot hang the run; a child killed by a signal is
 * reported too. For programs whose tests need SIGALRM themselves.
 * Returns 0 if body returned 0, 1 otherwise.
 */
static inline int check_watchdog(int (*body)(void), unsigned timeout_s)
{
	struct sigaction sa;
	int status = 0;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(body());
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = check_watchdog_alarm;
	sigaction(SIGALRM, &sa, NULL);
	alarm(timeout_s);
	while (waitpid(pid, &status, 0) != pid) {
		if (errno != EINTR)
			return 1;
		if (check_watchdog_fired) {
			printf("FAIL - %s: timed out after %u s\n", check_area, timeout_s);
			kill(pid, SIGKILL);
			check_watchdog_fired = 0;
		}
	}
	alarm(0);
	if (WIFSIGNALED(status))
		printf("FAIL - %s: test process killed by signal %d\n", check_area,
		       WTERMSIG(status));
	fflush(stdout);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}
