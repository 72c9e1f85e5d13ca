// SPDX-License-Identifier: MIT
/*
 * Guest test: processes — ids, fork, vfork, clone, exit statuses, the
 * wait family (wait4, waitpid, waitid), zombies and orphans, process
 * groups and sessions, the SIGHUP and SIGCONT a stopped group gets when
 * an exit orphans it, prctl names and parent-death signals, and how a
 * multi-threaded process exits. Children report through exit statuses
 * and queued signals only; they never print.
 */
#define _GNU_SOURCE
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "util.h"

static pid_t test_pid;
static int global_value = 100;

/* Forks a child that runs body and exits with its result. */
static pid_t spawn(int (*body)(void))
{
	pid_t pid = fork();
	if (pid == 0)
		_exit(body());
	return pid;
}

/* The raw wait status of pid, or -1 if waitpid fails. */
static int reap(pid_t pid)
{
	int status;
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

static int exited_with(int status, int code)
{
	return status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == code;
}

/* Waits up to timeout_ms for sig (which must be blocked); 0 on timeout. */
static int wait_signal(int sig, siginfo_t *info, long timeout_ms)
{
	sigset_t set;
	struct timespec ts = {timeout_ms / 1000, (timeout_ms % 1000) * 1000000};
	sigemptyset(&set);
	sigaddset(&set, sig);
	for (;;) {
		int r = sigtimedwait(&set, info, &ts);
		if (r == sig)
			return 1;
		if (r == -1 && errno == EINTR)
			continue;
		return 0;
	}
}

static void block_signal(int sig)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_BLOCK, &set, NULL);
}

static int exit_7(void)
{
	return 7;
}

static int kill_self_term(void)
{
	kill(getpid(), SIGTERM);
	return 99;
}

static int abort_self(void)
{
	signal(SIGABRT, SIG_DFL);
	abort();
}

static int check_parent_and_copy(void)
{
	if (getppid() != test_pid || getpid() == test_pid)
		return 1;
	if (global_value != 100)
		return 2;
	global_value = 5;
	return 0;
}

static int exit_259(void)
{
	_exit(256 + 3);
}

static int exit_minus_1(void)
{
	_exit(-1);
}

static int spin_then_exit(void)
{
	struct timespec start, now;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &start);
	do {
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
	} while ((now.tv_sec - start.tv_sec) * 1000000000L + (now.tv_nsec - start.tv_nsec) <
		 20000000L);
	return 0;
}

static int sleep_then_exit(void)
{
	sleep_ms(200);
	return 3;
}

/* Stops; once continued, lives until the parent says (SIGUSR1) it saw that. */
static int stop_self_then_exit(void)
{
	siginfo_t si;
	block_signal(SIGUSR1);
	raise(SIGSTOP);
	wait_signal(SIGUSR1, &si, 5000);
	return 11;
}

static int pause_forever(void)
{
	for (;;)
		pause();
	return 0;
}

static int segv_without_core(void)
{
	struct rlimit rl = {0, 0};
	setrlimit(RLIMIT_CORE, &rl);
	volatile int *bad = (volatile int *)8;
	__asm__ volatile("" : "+r"(bad));
	*bad = 1;
	return 99;
}

static int exit_42(void)
{
	return 42;
}

static void test_fork_and_exit(void)
{
	int status = reap(spawn(exit_7));
	CHECK("exit status 7 reaches waitpid", exited_with(status, 7));
	CHECK("exact wait status word for exit 7", status == 0x0700);
	status = reap(spawn(kill_self_term));
	CHECK("SIGTERM death is reported", WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
	CHECK("exact wait status word for SIGTERM", status == SIGTERM);
	status = reap(spawn(abort_self));
	CHECK("abort() kills with SIGABRT", WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);

	pid_t pid = spawn(check_parent_and_copy);
	CHECK("fork returns a new pid to the parent", pid > 0 && pid != test_pid);
	status = reap(pid);
	CHECK("fork child sees parent pid and a copy of memory", exited_with(status, 0));
	CHECK("child writes do not reach the parent after fork", global_value == 100);
	CHECK("exit(256+3) is reported as 3", exited_with(reap(spawn(exit_259)), 3));
	CHECK("exit(-1) is reported as 255", exited_with(reap(spawn(exit_minus_1)), 255));
}

static void test_vfork(void)
{
	static volatile pid_t seen_pid;
	static volatile int seen_ppid;

	seen_pid = 0;
	pid_t pid = vfork();
	if (pid == 0) {
		seen_pid = getpid();
		seen_ppid = getppid();
		_exit(5);
	}
	CHECK("vfork parent resumes after the child exits, sharing memory",
	      pid > 0 && seen_pid == pid);
	CHECK("vfork child's parent is the caller", seen_ppid == test_pid);
	CHECK("vfork child exit status", exited_with(reap(pid), 5));
}

static void test_clone(void)
{
	pid_t ptid = 0;
	pid_t ctid = 0;
	int status;
	siginfo_t si;

	long pid = syscall(SYS_clone, (long)SIGCHLD, 0L, 0L, 0L, 0L);
	if (pid == 0)
		syscall(SYS_exit, 9);
	CHECK("clone(SIGCHLD) child is waited for like a fork child",
	      pid > 0 && exited_with(reap((pid_t)pid), 9));

	pid = syscall(SYS_clone, (long)(SIGCHLD | CLONE_PARENT_SETTID | CLONE_CHILD_SETTID), 0L,
		      &ptid, &ctid, 0L);
	if (pid == 0)
		syscall(SYS_exit, ctid == syscall(SYS_gettid) ? 0 : 1);
	CHECK("CLONE_PARENT_SETTID stores the child tid in the parent", pid > 0 && ptid == pid);
	CHECK("CLONE_CHILD_SETTID stores the tid in the child's memory",
	      exited_with(reap((pid_t)pid), 0));
	CHECK("CLONE_CHILD_SETTID does not write the parent's copy", ctid == 0);

	block_signal(SIGUSR1);
	pid = syscall(SYS_clone, (long)SIGUSR1, 0L, 0L, 0L, 0L);
	if (pid == 0)
		syscall(SYS_exit, 12);
	CHECK("exit signal SIGUSR1 is sent to the parent with CLD_EXITED",
	      wait_signal(SIGUSR1, &si, 5000) && si.si_code == CLD_EXITED && si.si_pid == pid &&
		      si.si_status == 12);
	CHECK_ERRNO("a clone child is invisible to waitpid without __WCLONE",
		    waitpid((pid_t)pid, &status, WNOHANG), ECHILD);
	CHECK("__WCLONE reaps a child with a non-SIGCHLD exit signal",
	      waitpid((pid_t)pid, &status, __WCLONE) == pid && exited_with(status, 12));

	block_signal(SIGUSR2);
	pid = syscall(SYS_clone, (long)(CLONE_PARENT | SIGCHLD), 0L, 0L, 0L, 0L);
	if (pid == 0) {
		union sigval v = {.sival_int = getppid()};
		sigqueue(test_pid, SIGUSR2, v);
		syscall(SYS_exit, 0);
	}
	CHECK("CLONE_PARENT child is a sibling: its parent is ours",
	      wait_signal(SIGUSR2, &si, 5000) && si.si_value.sival_int == getppid());
	CHECK_ERRNO("a CLONE_PARENT child cannot be waited for by the caller",
		    waitpid((pid_t)pid, &status, WNOHANG), ECHILD);
	CHECK_ERRNO("clone with CLONE_THREAD but not CLONE_SIGHAND is EINVAL",
		    syscall(SYS_clone, (long)(CLONE_THREAD | CLONE_VM), 0L, 0L, 0L, 0L), EINVAL);
	CHECK_ERRNO("clone with CLONE_SIGHAND but not CLONE_VM is EINVAL",
		    syscall(SYS_clone, (long)CLONE_SIGHAND, 0L, 0L, 0L, 0L), EINVAL);
}

static void test_wait_basics(void)
{
	int status = -1;
	struct rusage ru;

	pid_t pid = spawn(spin_then_exit);
	memset(&ru, 0, sizeof(ru));
	CHECK("wait4 returns the child and its status",
	      wait4(pid, &status, 0, &ru) == pid && exited_with(status, 0));
	CHECK("wait4 rusage shows the child's CPU time",
	      ru.ru_utime.tv_sec * 1000000L + ru.ru_utime.tv_usec + ru.ru_stime.tv_sec * 1000000L +
			      ru.ru_stime.tv_usec >=
		      10000);

	pid = spawn(sleep_then_exit);
	CHECK("WNOHANG on a running child returns 0", waitpid(pid, &status, WNOHANG) == 0);
	CHECK("waitpid(-1) reaps any child",
	      waitpid(-1, &status, 0) == pid && exited_with(status, 3));
	CHECK_ERRNO("a reaped child cannot be waited for again", waitpid(pid, &status, 0), ECHILD);
	CHECK_ERRNO("waitpid on pid 1 (not a child) is ECHILD", waitpid(1, &status, WNOHANG),
		    ECHILD);
	CHECK_ERRNO("waitid(P_ALL) with no children is ECHILD",
		    syscall(SYS_waitid, P_ALL, 0, &(siginfo_t){0}, WEXITED, NULL), ECHILD);
	CHECK_ERRNO("wait4 with WNOWAIT is EINVAL", wait4(-1, &status, WNOWAIT, NULL), EINVAL);
	CHECK_ERRNO("wait4 with an unknown option bit is EINVAL", wait4(-1, &status, 0x100, NULL),
		    EINVAL);
	CHECK_ERRNO("waitid without WEXITED/WSTOPPED/WCONTINUED is EINVAL",
		    syscall(SYS_waitid, P_ALL, 0, &(siginfo_t){0}, WNOHANG, NULL), EINVAL);
	CHECK_ERRNO("waitid with an unknown idtype is EINVAL",
		    syscall(SYS_waitid, 42, 0, &(siginfo_t){0}, WEXITED, NULL), EINVAL);
	CHECK_ERRNO("waitid(P_PID, 0) is EINVAL",
		    syscall(SYS_waitid, P_PID, 0, &(siginfo_t){0}, WEXITED, NULL), EINVAL);

	pid_t a = spawn(exit_7);
	pid_t b = spawn(exit_42);
	int seen = 0;
	for (int i = 0; i < 2; i++) {
		pid_t r = waitpid(-1, &status, 0);
		if (r == a && exited_with(status, 7))
			seen |= 1;
		if (r == b && exited_with(status, 42))
			seen |= 2;
	}
	CHECK("waitpid(-1) reaps two children with their own statuses", seen == 3);
}

static void test_wait_stop_continue(void)
{
	int status = -1;
	siginfo_t si;

	pid_t pid = spawn(stop_self_then_exit);
	CHECK("WUNTRACED reports a stopped child as 0x137f",
	      waitpid(pid, &status, WUNTRACED) == pid && WIFSTOPPED(status) &&
		      WSTOPSIG(status) == SIGSTOP && status == 0x137f);
	CHECK("a stop is reported only once", waitpid(pid, &status, WUNTRACED | WNOHANG) == 0);
	kill(pid, SIGCONT);
	CHECK("WCONTINUED reports a continued child as 0xffff",
	      waitpid(pid, &status, WCONTINUED) == pid && WIFCONTINUED(status) && status == 0xffff);
	kill(pid, SIGUSR1);
	CHECK("the continued child then exits normally", exited_with(reap(pid), 11));

	pid = spawn(stop_self_then_exit);
	memset(&si, 0, sizeof(si));
	CHECK("waitid WSTOPPED gives CLD_STOPPED with si_status SIGSTOP",
	      waitid(P_PID, (id_t)pid, &si, WSTOPPED) == 0 && si.si_signo == SIGCHLD &&
		      si.si_code == CLD_STOPPED && si.si_status == SIGSTOP && si.si_pid == pid);
	kill(pid, SIGCONT);
	memset(&si, 0, sizeof(si));
	CHECK("waitid WCONTINUED gives CLD_CONTINUED with si_status SIGCONT",
	      waitid(P_PID, (id_t)pid, &si, WCONTINUED) == 0 && si.si_code == CLD_CONTINUED &&
		      si.si_status == SIGCONT && si.si_pid == pid);
	kill(pid, SIGUSR1);
	reap(pid);

	pid = spawn(stop_self_then_exit);
	waitpid(pid, &status, WUNTRACED);
	kill(pid, SIGKILL);
	status = reap(pid);
	CHECK("SIGKILL ends a stopped child", WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
}

static void test_waitid(void)
{
	siginfo_t si;
	int status = -1;

	pid_t pid = spawn(exit_42);
	memset(&si, 0, sizeof(si));
	CHECK("waitid WEXITED fills si_signo, si_code, si_pid, si_uid, si_status",
	      waitid(P_PID, (id_t)pid, &si, WEXITED) == 0 && si.si_signo == SIGCHLD &&
		      si.si_code == CLD_EXITED && si.si_pid == pid && si.si_uid == getuid() &&
		      si.si_status == 42);

	pid = spawn(exit_7);
	memset(&si, 0, sizeof(si));
	int r = waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT);
	CHECK("waitid WNOWAIT reports the exit", r == 0 && si.si_pid == pid && si.si_status == 7);
	CHECK("after WNOWAIT the child is still reapable", exited_with(reap(pid), 7));

	pid = spawn(sleep_then_exit);
	memset(&si, 0x55, sizeof(si));
	r = waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG);
	CHECK("waitid WNOHANG with nothing to report zeroes si_pid and si_signo",
	      r == 0 && si.si_pid == 0 && si.si_signo == 0);
	reap(pid);

	pid = spawn(pause_forever);
	kill(pid, SIGKILL);
	memset(&si, 0, sizeof(si));
	CHECK("a SIGKILLed child gives CLD_KILLED with si_status SIGKILL",
	      waitid(P_PID, (id_t)pid, &si, WEXITED) == 0 && si.si_code == CLD_KILLED &&
		      si.si_status == SIGKILL);

	pid = spawn(segv_without_core);
	memset(&si, 0, sizeof(si));
	CHECK("SIGSEGV with RLIMIT_CORE 0 gives CLD_KILLED, no core dump",
	      waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT) == 0 && si.si_code == CLD_KILLED &&
		      si.si_status == SIGSEGV);
	status = reap(pid);
	CHECK("the wait status of that SIGSEGV death is exactly 11",
	      WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV && !WCOREDUMP(status) &&
		      status == SIGSEGV);
}

static int own_group_then_exit(void)
{
	setpgid(0, 0);
	sleep_ms(100);
	return 21;
}

static void test_wait_groups(void)
{
	siginfo_t si;
	int status;

	pid_t pid = spawn(own_group_then_exit);
	setpgid(pid, pid);
	CHECK_ERRNO("waitpid(0) ignores a child in another process group",
		    waitpid(0, &status, WNOHANG), ECHILD);
	CHECK_ERRNO("waitid(P_PGID) for a group without our children is ECHILD",
		    waitid(P_PGID, (id_t)test_pid, &si, WEXITED | WNOHANG), ECHILD);
	memset(&si, 0, sizeof(si));
	CHECK("waitid(P_PGID) reaps the child of that group",
	      waitid(P_PGID, (id_t)pid, &si, WEXITED) == 0 && si.si_pid == pid &&
		      si.si_status == 21);

	pid = spawn(own_group_then_exit);
	setpgid(pid, pid);
	CHECK("waitpid(-pgid) reaps the child of that group",
	      waitpid(-pid, &status, 0) == pid && exited_with(status, 21));

	pid = spawn(exit_42);
	memset(&si, 0, sizeof(si));
	CHECK("waitid(P_ALL) reaps any child",
	      waitid(P_ALL, 0, &si, WEXITED) == 0 && si.si_pid == pid && si.si_status == 42);
}

static void test_zombies_and_orphans(void)
{
	int status;
	siginfo_t si;

	pid_t pid = spawn(exit_42);
	waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT);
	CHECK("kill(zombie, 0) succeeds: the zombie still exists", kill(pid, 0) == 0);
	CHECK("a zombie is reapable later with WNOHANG",
	      waitpid(pid, &status, WNOHANG) == pid && exited_with(status, 42));
	CHECK_ERRNO("a reaped zombie is gone: kill is ESRCH", kill(pid, 0), ESRCH);

	block_signal(SIGUSR1);
	pid = fork();
	if (pid == 0) {
		pid_t parent = getpid();
		if (fork() == 0) {
			int ppid = 0;
			for (int i = 0; i < 200 && (ppid = getppid()) == parent; i++)
				sleep_ms(10);
			union sigval v = {.sival_int = ppid};
			sigqueue(test_pid, SIGUSR1, v);
			_exit(0);
		}
		_exit(0);
	}
	reap(pid);
	CHECK("an orphan is re-parented to pid 1", wait_signal(SIGUSR1, &si, 5000) &&
							   si.si_code == SI_QUEUE &&
							   si.si_value.sival_int == 1);

	CHECK("PR_SET_CHILD_SUBREAPER succeeds", prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0);
	int flag = 0;
	CHECK("PR_GET_CHILD_SUBREAPER reports it",
	      prctl(PR_GET_CHILD_SUBREAPER, &flag, 0, 0, 0) == 0 && flag == 1);
	pid = fork();
	if (pid == 0) {
		if (fork() == 0) {
			for (int i = 0; i < 200 && getppid() != test_pid; i++)
				sleep_ms(10);
			_exit(getppid() == test_pid ? 33 : 1);
		}
		_exit(0);
	}
	reap(pid);
	pid_t g = waitpid(-1, &status, 0);
	CHECK("a subreaper adopts and reaps its orphaned grandchild",
	      g > 0 && g != pid && exited_with(status, 33));
	prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0);
}

/*
 * Orphaned process groups. T (this program) forks M, M forks C, C stops
 * itself and M exits: C's group may lose its last parent outside it in
 * the session. C reports the signals it catches as bytes on a pipe: H
 * (SIGHUP), C (SIGCONT), E (its exit); it writes its pid first.
 */
enum orphan_case {
	ORPHAN_OWN_GROUP,   /* M leads a group with C in it: M's exit orphans it */
	ORPHAN_CHILD_GROUP, /* C leads a group of its own: its parent M exits */
	ORPHAN_NOT_STOPPED, /* as CHILD_GROUP, but C never stops */
	ORPHAN_LINKED,	    /* as CHILD_GROUP, but a child of T in C's group keeps a link */
};

static int orphan_marks = -1;

static void orphan_mark(int sig)
{
	char c = sig == SIGHUP ? 'H' : sig == SIGCONT ? 'C' : '?';
	write(orphan_marks, &c, 1);
}

static void orphan_grandchild(enum orphan_case which, pid_t middle)
{
	struct sigaction sa;
	pid_t me = getpid();

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = orphan_mark;
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGCONT, &sa, NULL);
	if (which != ORPHAN_OWN_GROUP)
		setpgid(0, 0);
	write(orphan_marks, &me, sizeof(me));
	if (which == ORPHAN_NOT_STOPPED) {
		for (int i = 0; i < 500 && getppid() == middle; i++)
			sleep_ms(10);
		sleep_ms(200);
	} else {
		raise(SIGSTOP);
	}
	write(orphan_marks, "E", 1);
	_exit(0);
}

/* M: starts C, waits for it to stop, then exits when T writes to go. */
static void orphan_middle(enum orphan_case which, int go)
{
	pid_t me = getpid();
	int status;
	char c;

	if (which == ORPHAN_OWN_GROUP)
		setpgid(0, 0);
	pid_t pid = fork();
	if (pid == 0)
		orphan_grandchild(which, me);
	if (which != ORPHAN_OWN_GROUP)
		setpgid(pid, pid);
	if (which != ORPHAN_NOT_STOPPED && waitpid(pid, &status, WUNTRACED) != pid)
		_exit(1);
	read(go, &c, 1);
	_exit(0);
}

/*
 * Reads from fd into buf until EOF (*eof = 1) or timeout_ms of silence;
 * returns the length read.
 */
static size_t read_marks(int fd, char *buf, size_t size, int timeout_ms, int *eof)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	size_t len = 0;

	*eof = 0;
	while (len < size && poll(&pfd, 1, timeout_ms) == 1) {
		ssize_t n = read(fd, buf + len, size - len);
		if (n <= 0) {
			*eof = 1;
			break;
		}
		len += (size_t)n;
	}
	return len;
}

static int sleep_long(void)
{
	sleep_ms(5000);
	return 0;
}

/*
 * Runs one case; marks gets what C wrote after its pid, as a string.
 * ORPHAN_LINKED checks nothing came while the link holds, then continues
 * C itself. 0, or -1 when the case could not be set up or C hung.
 */
static int orphan_run(enum orphan_case which, char *marks, size_t size)
{
	int out[2], go[2];
	pid_t c = -1, linked = -1;
	size_t len = 0;
	int eof = 0;

	marks[0] = 0;
	if (pipe(out) != 0 || pipe(go) != 0)
		return -1;
	orphan_marks = out[1];
	pid_t m = fork();
	if (m == 0) {
		close(out[0]);
		close(go[1]);
		orphan_middle(which, go[0]);
	}
	close(out[1]);
	close(go[0]);
	if (read(out[0], &c, sizeof(c)) != sizeof(c)) {
		close(go[1]);
		reap(m);
		close(out[0]);
		return -1;
	}
	if (which == ORPHAN_LINKED) {
		linked = spawn(sleep_long);
		setpgid(linked, c);
	}
	write(go[1], "g", 1); /* M exits now */
	close(go[1]);
	reap(m);
	if (which == ORPHAN_LINKED) {
		len = read_marks(out[0], marks, size - 1, 300, &eof);
		kill(c, SIGCONT);
	}
	len += read_marks(out[0], marks + len, size - 1 - len, 3000, &eof);
	marks[len] = 0;
	close(out[0]);
	if (!eof)
		kill(c, SIGKILL);
	if (linked > 0) {
		kill(linked, SIGKILL);
		reap(linked);
	}
	return eof ? 0 : -1;
}

/* True when marks holds exactly the characters of want, in any order. */
static int same_marks(const char *marks, const char *want)
{
	if (strlen(marks) != strlen(want))
		return 0;
	for (const char *w = want; *w; w++)
		if (strchr(marks, *w) == NULL)
			return 0;
	return 1;
}

static void test_orphaned_pgrp(void)
{
	char marks[16];

	CHECK("a stopped group orphaned by its leader's exit gets SIGHUP and SIGCONT",
	      orphan_run(ORPHAN_OWN_GROUP, marks, sizeof(marks)) == 0 && same_marks(marks, "HCE") &&
		      marks[2] == 'E');
	CHECK("a stopped group orphaned when its parent exits gets SIGHUP and SIGCONT",
	      orphan_run(ORPHAN_CHILD_GROUP, marks, sizeof(marks)) == 0 &&
		      same_marks(marks, "HCE") && marks[2] == 'E');
	CHECK("an orphaned group with no stopped member gets no signal",
	      orphan_run(ORPHAN_NOT_STOPPED, marks, sizeof(marks)) == 0 && strcmp(marks, "E") == 0);
	CHECK("a stopped group that keeps a parent in the session stays stopped, no SIGHUP",
	      orphan_run(ORPHAN_LINKED, marks, sizeof(marks)) == 0 && strcmp(marks, "CE") == 0);
}

static int setsid_twice(void)
{
	pid_t me = getpid();
	if (setsid() != me)
		return 1;
	if (getsid(0) != me || getpgid(0) != me || getpgrp() != me)
		return 2;
	if (setsid() != -1 || errno != EPERM)
		return 3;
	return 0;
}

static int leader_setsid(void)
{
	if (setpgid(0, 0) != 0 || getpgid(0) != getpid())
		return 1;
	return setsid() == -1 && errno == EPERM ? 0 : 2;
}

static int setsid_then_wait(void)
{
	setsid();
	sleep_ms(200);
	return 0;
}

static void test_groups_and_sessions(void)
{
	CHECK("setsid in a child makes a new session and group, EPERM the second time",
	      exited_with(reap(spawn(setsid_twice)), 0));
	CHECK("setsid by a process group leader is EPERM",
	      exited_with(reap(spawn(leader_setsid)), 0));

	pid_t a = spawn(sleep_then_exit);
	CHECK("a child starts in the parent's process group and session",
	      getpgid(a) == getpgid(0) && getsid(a) == getsid(0));
	CHECK("setpgid(child, child) makes it a group leader",
	      setpgid(a, a) == 0 && getpgid(a) == a);
	pid_t b = spawn(sleep_then_exit);
	CHECK("setpgid moves a second child into the first child's group",
	      setpgid(b, a) == 0 && getpgid(b) == a);
	CHECK_ERRNO("setpgid to a group that does not exist is EPERM", setpgid(b, 999999), EPERM);
	CHECK_ERRNO("setpgid with a negative pgid is EINVAL", setpgid(0, -1), EINVAL);
	CHECK_ERRNO("setpgid of a process that is not a child is ESRCH", setpgid(1, 1), ESRCH);
	reap(a);
	reap(b);

	pid_t c = spawn(setsid_then_wait);
	for (int i = 0; i < 400 && getsid(c) != c; i++)
		sleep_ms(5);
	CHECK_ERRNO("setpgid of a child that is a session leader is EPERM", setpgid(c, c), EPERM);
	CHECK("getsid of a child in its own session is its pid", getsid(c) == c);
	reap(c);
	CHECK_ERRNO("getpgid of a pid that does not exist is ESRCH", getpgid(999999), ESRCH);
	CHECK_ERRNO("getsid of a pid that does not exist is ESRCH", getsid(999999), ESRCH);
}

static int child_keeps_name(void)
{
	char name[16] = "";
	prctl(PR_GET_NAME, name, 0, 0, 0);
	if (strcmp(name, "renamed-process") != 0)
		return 1;
	prctl(PR_SET_NAME, "child", 0, 0, 0);
	return 0;
}

static int pdeathsig_is_cleared(void)
{
	int sig = -1;
	prctl(PR_GET_PDEATHSIG, &sig, 0, 0, 0);
	return sig;
}

static void test_prctl(const char *argv0)
{
	char name[32];
	const char *base = strrchr(argv0, '/') ? strrchr(argv0, '/') + 1 : argv0;
	char expect[16];

	snprintf(expect, sizeof(expect), "%s", base);
	memset(name, 0, sizeof(name));
	CHECK("PR_GET_NAME after exec is the file's base name",
	      prctl(PR_GET_NAME, name, 0, 0, 0) == 0 && strcmp(name, expect) == 0);
	prctl(PR_SET_NAME, "renamed-process-with-a-long-name", 0, 0, 0);
	memset(name, 0x55, sizeof(name));
	prctl(PR_GET_NAME, name, 0, 0, 0);
	CHECK("PR_SET_NAME keeps only 15 characters plus NUL",
	      strcmp(name, "renamed-process") == 0 && name[15] == '\0');
	CHECK("a fork child inherits the name; its rename stays its own",
	      exited_with(reap(spawn(child_keeps_name)), 0));
	memset(name, 0, sizeof(name));
	prctl(PR_GET_NAME, name, 0, 0, 0);
	CHECK("the parent's name is unchanged by the child", strcmp(name, "renamed-process") == 0);
	prctl(PR_SET_NAME, expect, 0, 0, 0);

	int sig = -1;
	CHECK("PR_SET_PDEATHSIG / PR_GET_PDEATHSIG round trip",
	      prctl(PR_SET_PDEATHSIG, SIGUSR2, 0, 0, 0) == 0 &&
		      prctl(PR_GET_PDEATHSIG, &sig, 0, 0, 0) == 0 && sig == SIGUSR2);
	CHECK("the parent-death signal is cleared in a fork child",
	      exited_with(reap(spawn(pdeathsig_is_cleared)), 0));
	prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0);
	CHECK_ERRNO("PR_SET_PDEATHSIG with an invalid signal is EINVAL",
		    prctl(PR_SET_PDEATHSIG, 65, 0, 0, 0), EINVAL);
}

static void test_pdeathsig(void)
{
	siginfo_t si;

	block_signal(SIGUSR1);
	block_signal(SIGUSR2);
	pid_t a = fork();
	if (a == 0) {
		pid_t me = getpid();
		if (fork() == 0) {
			siginfo_t got;
			int ok;
			prctl(PR_SET_PDEATHSIG, SIGUSR2, 0, 0, 0);
			if (getppid() != me)
				_exit(1);
			kill(me, SIGUSR1);
			ok = wait_signal(SIGUSR2, &got, 3000) && got.si_code == SI_USER &&
			     got.si_pid == me;
			sigqueue(test_pid, SIGUSR1, (union sigval){.sival_int = ok ? 77 : 1});
			_exit(0);
		}
		wait_signal(SIGUSR1, &si, 3000);
		_exit(0);
	}
	reap(a);
	CHECK("the parent-death signal arrives (SI_USER from the dying parent)",
	      wait_signal(SIGUSR1, &si, 5000) && si.si_value.sival_int == 77);
}

static void *thread_exit_group(void *arg)
{
	(void)arg;
	sleep_ms(20);
	syscall(SYS_exit_group, 42);
	return NULL;
}

static void *thread_libc_exit(void *arg)
{
	(void)arg;
	sleep_ms(20);
	exit(4);
}

static void *thread_exit_later(void *arg)
{
	(void)arg;
	sleep_ms(50);
	syscall(SYS_exit, 9);
	return NULL;
}

static int run_with_thread(void *(*fn)(void *), int main_exits)
{
	pthread_t t;
	if (pthread_create(&t, NULL, fn, NULL) != 0)
		return 100;
	if (main_exits)
		syscall(SYS_exit, 3);
	for (;;)
		pause();
}

static int group_exit_from_thread(void)
{
	return run_with_thread(thread_exit_group, 0);
}

static int libc_exit_from_thread(void)
{
	return run_with_thread(thread_libc_exit, 0);
}

static int main_thread_exits_first(void)
{
	return run_with_thread(thread_exit_later, 1);
}

static void test_thread_exit(void)
{
	CHECK("exit_group from a thread ends the process with its code",
	      exited_with(reap(spawn(group_exit_from_thread)), 42));
	CHECK("libc exit() from a thread ends the process with its code",
	      exited_with(reap(spawn(libc_exit_from_thread)), 4));
	/* ABI: since Linux 6.0 (synchronize_group_exit) the last thread's code wins. */
	CHECK("when every thread exits alone the status is the last thread's",
	      exited_with(reap(spawn(main_thread_exits_first)), 9));
}

int main(int argc, char **argv)
{
	(void)argc;
	check_area = "process";
	test_pid = getpid();
	alarm(60);
	CHECK("getppid is init", getppid() == 1);
	CHECK("getpid differs from parent", getpid() != getppid());
	CHECK("gettid equals pid in a single-threaded process", syscall(SYS_gettid) == getpid());

	test_fork_and_exit();
	test_vfork();
	test_clone();
	test_wait_basics();
	test_wait_stop_continue();
	test_waitid();
	test_wait_groups();
	test_zombies_and_orphans();
	test_groups_and_sessions();
	test_orphaned_pgrp();
	test_prctl(argv[0]);
	test_pdeathsig();
	test_thread_exit();

	int status;
	CHECK_ERRNO("waitpid with no children is ECHILD", waitpid(-1, &status, 0), ECHILD);
	CHECK_ERRNO("unknown syscall is ENOSYS", syscall(100000), ENOSYS);
	CHECK_ERRNO("write to a closed fd is EBADF", write(77, "x", 1), EBADF);
	CHECK_ERRNO("write from a bad pointer is EFAULT", syscall(SYS_write, 1, 16L, 1L), EFAULT);
	CHECK_ERRNO("kill of a pid that does not exist is ESRCH", kill(999999, 0), ESRCH);
	return check_failures ? 1 : 0;
}
