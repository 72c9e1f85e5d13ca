// SPDX-License-Identifier: MIT
/*
 * Exec helper for user/tests/exec.c: reports what survived execve. The
 * first argument picks what to check; the exit status is a bitmask of
 * failed checks (0: all as expected), documented per mode below.
 *   signals           what the test set up before exec (see check_signals)
 *   process PID PPID  ids, name, limits, fds (see check_process)
 *   thread PID TID    exec from a thread (see check_thread)
 *   fpu               a fresh FPU state: MXCSR 0x1f80, x87 control word 0x37f
 *   notify            send SIGUSR1 to the parent, then wait to be killed
 *   sleep MS CODE     sleep MS milliseconds, then exit with CODE
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

static int disposition_is(int sig, void (*want)(int))
{
	struct sigaction sa;
	return sigaction(sig, NULL, &sa) == 0 && sa.sa_handler == want;
}

/*
 * Set up by the test: a handler for SIGUSR1, SIGUSR2 and SIGCHLD ignored,
 * SIGINT and SIGQUIT blocked with SIGQUIT pending, an alternate signal
 * stack, an alarm 30 s away. Bits: 1 SIGUSR1 back to SIG_DFL, 2 SIGUSR2
 * still ignored, 4 SIGINT still blocked, 8 SIGTERM not blocked, 16 SIGQUIT
 * still pending, 32 no alternate stack, 64 the alarm still pending,
 * 128 SIGCHLD still ignored.
 */
static int check_signals(void)
{
	sigset_t mask, pending;
	stack_t ss;
	int failed = 0;

	sigprocmask(SIG_BLOCK, NULL, &mask);
	sigpending(&pending);
	if (!disposition_is(SIGUSR1, SIG_DFL))
		failed |= 1;
	if (!disposition_is(SIGUSR2, SIG_IGN))
		failed |= 2;
	if (!sigismember(&mask, SIGINT))
		failed |= 4;
	if (sigismember(&mask, SIGTERM))
		failed |= 8;
	if (!sigismember(&pending, SIGQUIT))
		failed |= 16;
	if (sigaltstack(NULL, &ss) != 0 || ss.ss_flags != SS_DISABLE)
		failed |= 32;
	unsigned left = alarm(0);
	if (left == 0 || left > 30)
		failed |= 64;
	if (!disposition_is(SIGCHLD, SIG_IGN))
		failed |= 128;
	return failed;
}

/*
 * Set up by the test: umask 027, RLIMIT_NOFILE soft 100, nice 3, parent-
 * death signal SIGUSR1, fd 10 close-on-exec and fd 11 not, name
 * "before-exec". Bits: 1 pid kept, 2 parent kept, 4 name is the new
 * file's base name, 8 parent-death signal kept, 16 umask kept, 32 rlimit
 * kept, 64 nice kept, 128 fd 10 closed and fd 11 open.
 */
static int check_process(int argc, char **argv)
{
	char name[16] = "";
	struct rlimit rl;
	int sig = 0;
	int failed = 0;

	if (argc < 4)
		return 255;
	if (getpid() != atoi(argv[2]))
		failed |= 1;
	if (getppid() != atoi(argv[3]))
		failed |= 2;
	prctl(PR_GET_NAME, name, 0, 0, 0);
	if (strcmp(name, "state") != 0)
		failed |= 4;
	if (prctl(PR_GET_PDEATHSIG, &sig, 0, 0, 0) != 0 || sig != SIGUSR1)
		failed |= 8;
	if (umask(0) != 027)
		failed |= 16;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur != 100)
		failed |= 32;
	if (syscall(SYS_getpriority, PRIO_PROCESS, 0) != 20 - 3)
		failed |= 64;
	if (fcntl(10, F_GETFD) != -1 || errno != EBADF || fcntl(11, F_GETFD) != 0)
		failed |= 128;
	return failed;
}

/*
 * Exec'd from a non-leader thread while another thread (OLD_TID) lived.
 * Bits: 1 pid kept, 2 this thread now has the pid as its tid, 4 the other
 * thread is gone.
 */
static int check_thread(int argc, char **argv)
{
	int failed = 0;
	if (argc < 4)
		return 255;
	pid_t pid = atoi(argv[2]);
	if (getpid() != pid)
		failed |= 1;
	if (syscall(SYS_gettid) != pid)
		failed |= 2;
	if (syscall(SYS_tgkill, pid, atol(argv[3]), 0) != -1 || errno != ESRCH)
		failed |= 4;
	return failed;
}

static int check_fpu(void)
{
	unsigned mxcsr = 0;
	unsigned short fcw = 0;
	__asm__ volatile("stmxcsr %0" : "=m"(mxcsr));
	__asm__ volatile("fnstcw %0" : "=m"(fcw));
	return (mxcsr == 0x1f80 ? 0 : 1) | (fcw == 0x037f ? 0 : 2);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 255;
	if (strcmp(argv[1], "signals") == 0)
		return check_signals();
	if (strcmp(argv[1], "process") == 0)
		return check_process(argc, argv);
	if (strcmp(argv[1], "thread") == 0)
		return check_thread(argc, argv);
	if (strcmp(argv[1], "fpu") == 0)
		return check_fpu();
	if (strcmp(argv[1], "notify") == 0) {
		kill(getppid(), SIGUSR1);
		sleep_ms(5000);
		return 0;
	}
	if (strcmp(argv[1], "sleep") == 0 && argc >= 4) {
		sleep_ms(atol(argv[2]));
		return atoi(argv[3]);
	}
	return 255;
}
