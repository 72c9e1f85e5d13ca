// SPDX-License-Identifier: MIT
/* Guest test: process basics — ids, fork, exit and wait statuses, errno. */
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

static int child_status(void (*body)(void))
{
	int status = -1;
	pid_t pid = fork();

	if (pid == 0) {
		body();
		_exit(99);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

static void exit_7(void)
{
	_exit(7);
}

static void kill_self_term(void)
{
	kill(getpid(), SIGTERM);
}

static void abort_self(void)
{
	signal(SIGABRT, SIG_DFL);
	abort();
}

int main(void)
{
	check_area = "process";
	CHECK("getppid is init", getppid() == 1);
	CHECK("getpid differs from parent", getpid() != getppid());
	CHECK("gettid equals pid in a single-threaded process", syscall(SYS_gettid) == getpid());

	int status = child_status(exit_7);
	CHECK("exit status 7 reaches waitpid", WIFEXITED(status) && WEXITSTATUS(status) == 7);
	status = child_status(kill_self_term);
	CHECK("SIGTERM death is reported", WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
	status = child_status(abort_self);
	CHECK("abort dumps core as SIGABRT", WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);

	CHECK_ERRNO("waitpid with no children is ECHILD", waitpid(-1, &status, 0), ECHILD);
	CHECK_ERRNO("unknown syscall is ENOSYS", syscall(100000), ENOSYS);
	CHECK_ERRNO("write to a closed fd is EBADF", write(77, "x", 1), EBADF);
	CHECK_ERRNO("write from a bad pointer is EFAULT", syscall(SYS_write, 1, 16L, 1L), EFAULT);
	CHECK_ERRNO("kill of a pid that does not exist is ESRCH", kill(999999, 0), ESRCH);
	return check_failures ? 1 : 0;
}
