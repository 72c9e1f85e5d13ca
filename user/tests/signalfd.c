// SPDX-License-Identifier: MIT
/*
 * Guest test: signalfd — creation and flags, changing the mask, reading
 * pending signals (the thread's, the process's, queued real-time ones,
 * SIGCHLD from a child) into struct signalfd_siginfo, several per read,
 * blocking and non-blocking reads, poll and epoll readiness with wake-ups
 * from another process, SIGKILL and SIGSTOP left out of the mask, and
 * fork and exec.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

#define SSI_SIZE ((ssize_t)sizeof(struct signalfd_siginfo))

static sigset_t set_of(int a, int b)
{
	sigset_t s;

	sigemptyset(&s);
	if (a)
		sigaddset(&s, a);
	if (b)
		sigaddset(&s, b);
	return s;
}

static int raw_signalfd4(int fd, const void *mask, size_t size, int flags)
{
	return (int)syscall(SYS_signalfd4, fd, mask, size, flags);
}

static void on_signal(int sig)
{
	(void)sig;
}

static int wait_status(pid_t pid)
{
	int status = -1;

	waitpid(pid, &status, 0);
	return status;
}

static void test_create(void)
{
	sigset_t s = set_of(SIGUSR1, 0);
	uint64_t raw = 1ULL << (SIGUSR1 - 1);
	struct stat st;
	int fd = signalfd(-1, &s, 0);

	CHECK("create", fd >= 0);
	CHECK("O_RDWR", fcntl(fd, F_GETFL) == O_RDWR);
	CHECK("no FD_CLOEXEC", fcntl(fd, F_GETFD) == 0);
	CHECK("fstat mode 0600", fstat(fd, &st) == 0 && st.st_mode == 0600);
	CHECK_ERRNO("write EINVAL", write(fd, &raw, 8), EINVAL);
	CHECK("update the mask returns the same fd", signalfd(fd, &s, 0) == fd);
	close(fd);
	fd = signalfd(-1, &s, SFD_NONBLOCK | SFD_CLOEXEC);
	CHECK("SFD_NONBLOCK", fcntl(fd, F_GETFL) == (O_RDWR | O_NONBLOCK));
	CHECK("SFD_CLOEXEC", fcntl(fd, F_GETFD) == FD_CLOEXEC);
	CHECK("flags on update are ignored",
	      signalfd(fd, &s, 0) == fd && fcntl(fd, F_GETFL) == (O_RDWR | O_NONBLOCK));

	CHECK_ERRNO("sizemask 4 EINVAL", raw_signalfd4(-1, &raw, 4, 0), EINVAL);
	CHECK_ERRNO("sizemask 16 EINVAL", raw_signalfd4(-1, &raw, 16, 0), EINVAL);
	CHECK_ERRNO("bad flags EINVAL", raw_signalfd4(-1, &raw, 8, 1), EINVAL);
	CHECK_ERRNO("mask EFAULT", raw_signalfd4(-1, NULL, 8, 0), EFAULT);
	CHECK_ERRNO("sizemask checked before the mask", raw_signalfd4(-1, NULL, 4, 0), EINVAL);
	CHECK_ERRNO("fd -2 EBADF", raw_signalfd4(-2, &raw, 8, 0), EBADF);
	CHECK_ERRNO("closed fd EBADF", raw_signalfd4(900, &raw, 8, 0), EBADF);
	int other = open("/", O_RDONLY);
	CHECK_ERRNO("not a signalfd EINVAL", raw_signalfd4(other, &raw, 8, 0), EINVAL);
	close(other);
	CHECK("signalfd syscall (no flags)", syscall(SYS_signalfd, -1, &raw, 8) >= 0);
	close(fd);
}

static void test_read(void)
{
	sigset_t s = set_of(SIGUSR1, SIGUSR2), old;
	struct signalfd_siginfo si[4];
	int fd = signalfd(-1, &s, SFD_NONBLOCK);
	char small[127];

	sigprocmask(SIG_BLOCK, &s, &old);
	CHECK_ERRNO("nothing pending EAGAIN", read(fd, si, sizeof(si)), EAGAIN);
	CHECK_ERRNO("buffer under 128 EINVAL", read(fd, small, sizeof(small)), EINVAL);
	kill(getpid(), SIGUSR1);
	CHECK_ERRNO("short buffer EINVAL even with one pending", read(fd, small, sizeof(small)),
		    EINVAL);
	memset(si, 0xff, sizeof(si));
	CHECK("read one", read(fd, si, sizeof(si)) == SSI_SIZE);
	CHECK("ssi_signo SIGUSR1", si[0].ssi_signo == SIGUSR1);
	CHECK("ssi_code SI_USER", si[0].ssi_code == SI_USER);
	CHECK("ssi_pid is us", si[0].ssi_pid == (uint32_t)getpid());
	CHECK("ssi_uid 0", si[0].ssi_uid == 0);
	CHECK("ssi_errno 0, ssi_int 0, ssi_ptr 0",
	      si[0].ssi_errno == 0 && si[0].ssi_int == 0 && si[0].ssi_ptr == 0);
	sigset_t pend;
	sigpending(&pend);
	CHECK("dequeued: no longer pending", !sigismember(&pend, SIGUSR1));

	kill(getpid(), SIGUSR2);
	kill(getpid(), SIGUSR1);
	CHECK("two in one read", read(fd, si, sizeof(si)) == 2 * SSI_SIZE);
	CHECK("lowest number first", si[0].ssi_signo == SIGUSR1 && si[1].ssi_signo == SIGUSR2);

	kill(getpid(), SIGUSR2);
	kill(getpid(), SIGUSR1);
	CHECK("exactly 128 bytes takes one",
	      read(fd, si, SSI_SIZE + 100) == SSI_SIZE && si[0].ssi_signo == SIGUSR1);
	sigpending(&pend);
	CHECK("the other stays pending", sigismember(&pend, SIGUSR2));
	CHECK("then the other", read(fd, si, sizeof(si)) == SSI_SIZE && si[0].ssi_signo == SIGUSR2);

	/* A signal outside the mask stays pending. */
	sigset_t hup = set_of(SIGHUP, 0);
	sigprocmask(SIG_BLOCK, &hup, NULL);
	kill(getpid(), SIGHUP);
	CHECK_ERRNO("signal outside the mask: EAGAIN", read(fd, si, sizeof(si)), EAGAIN);
	sigpending(&pend);
	CHECK("and it is still pending", sigismember(&pend, SIGHUP));
	s = set_of(SIGHUP, 0);
	CHECK("widen the mask", signalfd(fd, &s, 0) == fd);
	CHECK("now it reads", read(fd, si, sizeof(si)) == SSI_SIZE && si[0].ssi_signo == SIGHUP);

	/* sigqueue: real-time signals queue with their values. */
	sigset_t rt = set_of(SIGRTMIN, SIGRTMIN + 1);
	sigprocmask(SIG_BLOCK, &rt, NULL);
	signalfd(fd, &rt, 0);
	union sigval v = {.sival_int = 1234};
	sigqueue(getpid(), SIGRTMIN + 1, v);
	v.sival_int = 5678;
	sigqueue(getpid(), SIGRTMIN, v);
	v.sival_int = 9;
	sigqueue(getpid(), SIGRTMIN, v);
	CHECK("three queued real-time signals", read(fd, si, sizeof(si)) == 3 * SSI_SIZE);
	CHECK("ssi_code SI_QUEUE", si[0].ssi_code == SI_QUEUE);
	CHECK("in order with values",
	      si[0].ssi_signo == (uint32_t)SIGRTMIN && si[0].ssi_int == 5678 &&
		      si[1].ssi_signo == (uint32_t)SIGRTMIN && si[1].ssi_int == 9 &&
		      si[2].ssi_signo == (uint32_t)SIGRTMIN + 1 && si[2].ssi_int == 1234);
	CHECK("ssi_pid for sigqueue", si[0].ssi_pid == (uint32_t)getpid());

	/* tgkill: the thread's own pending set. */
	signalfd(fd, &s, 0);
	syscall(SYS_tgkill, getpid(), gettid(), SIGHUP);
	CHECK("thread-directed signal", read(fd, si, sizeof(si)) == SSI_SIZE &&
						si[0].ssi_signo == SIGHUP &&
						si[0].ssi_code == SI_TKILL);
	close(fd);
	sigprocmask(SIG_SETMASK, &old, NULL);
}

static void test_mask_rules(void)
{
	uint64_t all = ~0ULL;
	struct signalfd_siginfo si;
	int fd = raw_signalfd4(-1, &all, 8, SFD_NONBLOCK);
	sigset_t usr1 = set_of(SIGUSR1, 0), old;

	CHECK("full mask accepted", fd >= 0);
	sigprocmask(SIG_BLOCK, &usr1, &old);
	kill(getpid(), SIGUSR1);
	CHECK("reads with a full mask",
	      read(fd, &si, sizeof(si)) == SSI_SIZE && si.ssi_signo == SIGUSR1);
	close(fd);

	/* A pending signal that is not blocked is still read (no handler runs meanwhile). */
	uint64_t none = 0;
	fd = raw_signalfd4(-1, &none, 8, SFD_NONBLOCK);
	CHECK("empty mask accepted", fd >= 0);
	kill(getpid(), SIGUSR1);
	CHECK_ERRNO("empty mask reads nothing", read(fd, &si, sizeof(si)), EAGAIN);
	close(fd);
	fd = signalfd(-1, &usr1, SFD_NONBLOCK);
	read(fd, &si, sizeof(si));

	/* SIGKILL in the mask is dropped: the child dies of it. */
	pid_t pid = fork();
	if (pid == 0) {
		uint64_t m = (1ULL << (SIGKILL - 1)) | (1ULL << (SIGSTOP - 1));
		int sfd = raw_signalfd4(-1, &m, 8, 0);
		struct signalfd_siginfo x;
		read(sfd, &x, sizeof(x));
		_exit(3);
	}
	struct timespec nap = {0, 50000000};
	nanosleep(&nap, NULL);
	kill(pid, SIGKILL);
	int status = wait_status(pid);
	CHECK("SIGKILL is not read, it kills", WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	close(fd);
	sigprocmask(SIG_SETMASK, &old, NULL);
}

static void test_blocking_and_poll(void)
{
	sigset_t s = set_of(SIGUSR1, 0), old;
	struct signalfd_siginfo si;
	int fd = signalfd(-1, &s, 0);
	int ep = epoll_create1(0);
	struct epoll_event ev = {.events = EPOLLIN, .data.u32 = 5}, out;
	struct pollfd pfd = {.fd = fd, .events = POLLIN | POLLOUT};
	pid_t parent = getpid();

	sigprocmask(SIG_BLOCK, &s, &old);
	CHECK("poll: nothing pending", poll(&pfd, 1, 0) == 0);
	CHECK("epoll add", epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) == 0);
	CHECK("epoll: nothing pending", epoll_wait(ep, &out, 1, 0) == 0);

	pid_t pid = fork();
	if (pid == 0) {
		struct timespec nap = {0, 50000000};
		nanosleep(&nap, NULL);
		kill(parent, SIGUSR1);
		_exit(0);
	}
	CHECK("blocking read wakes when the signal comes", read(fd, &si, sizeof(si)) == SSI_SIZE &&
								   si.ssi_signo == SIGUSR1 &&
								   si.ssi_pid == (uint32_t)pid);
	wait_status(pid);

	pid = fork();
	if (pid == 0) {
		struct timespec nap = {0, 50000000};
		nanosleep(&nap, NULL);
		kill(parent, SIGUSR1);
		_exit(0);
	}
	CHECK("poll wakes: POLLIN only", poll(&pfd, 1, 5000) == 1 && pfd.revents == POLLIN);
	CHECK("epoll sees it",
	      epoll_wait(ep, &out, 1, 0) == 1 && out.events == EPOLLIN && out.data.u32 == 5);
	read(fd, &si, sizeof(si));
	CHECK("after read: not ready", poll(&pfd, 1, 0) == 0 && epoll_wait(ep, &out, 1, 0) == 0);
	wait_status(pid);

	pid = fork();
	if (pid == 0) {
		struct timespec nap = {0, 50000000};
		nanosleep(&nap, NULL);
		kill(parent, SIGUSR1);
		_exit(0);
	}
	CHECK("epoll_wait wakes", epoll_wait(ep, &out, 1, 5000) == 1 && out.events == EPOLLIN);
	read(fd, &si, sizeof(si));
	wait_status(pid);

	/* A handled signal outside the mask interrupts a blocking read. */
	struct sigaction sa = {0};
	sa.sa_handler = on_signal;
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval itv = {.it_value = {0, 50000}};
	setitimer(ITIMER_REAL, &itv, NULL);
	CHECK_ERRNO("read interrupted: EINTR", read(fd, &si, sizeof(si)), EINTR);
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	pid = fork();
	if (pid == 0) {
		struct timespec nap = {0, 150000000};
		nanosleep(&nap, NULL);
		kill(parent, SIGUSR1);
		_exit(0);
	}
	setitimer(ITIMER_REAL, &itv, NULL);
	CHECK("SA_RESTART: the read restarts and gets the signal",
	      read(fd, &si, sizeof(si)) == SSI_SIZE && si.ssi_signo == SIGUSR1);
	wait_status(pid);
	close(ep);
	close(fd);
	sigprocmask(SIG_SETMASK, &old, NULL);
}

static void test_children(void)
{
	sigset_t s = set_of(SIGCHLD, SIGUSR1), old;
	struct signalfd_siginfo si;
	int fd = signalfd(-1, &s, 0);

	sigprocmask(SIG_BLOCK, &s, &old);
	pid_t pid = fork();
	if (pid == 0)
		_exit(7);
	CHECK("SIGCHLD read", read(fd, &si, sizeof(si)) == SSI_SIZE && si.ssi_signo == SIGCHLD);
	CHECK("CLD_EXITED with pid and status",
	      si.ssi_code == CLD_EXITED && si.ssi_pid == (uint32_t)pid && si.ssi_status == 7);
	CHECK("child reaped after", (wait_status(pid) >> 8) == 7);

	/* After fork the child's copy reads the child's own signals. */
	kill(getpid(), SIGUSR1);
	pid = fork();
	if (pid == 0) {
		struct signalfd_siginfo x;
		fcntl(fd, F_SETFL, O_NONBLOCK);
		if (read(fd, &x, sizeof(x)) != -1 || errno != EAGAIN)
			_exit(1); /* the parent's pending signal is not the child's */
		raise(SIGUSR1);
		if (read(fd, &x, sizeof(x)) != SSI_SIZE || x.ssi_signo != SIGUSR1)
			_exit(2);
		_exit(0);
	}
	int status = wait_status(pid);
	CHECK("child reads its own signals", WIFEXITED(status) && WEXITSTATUS(status) == 0);
	fcntl(fd, F_SETFL, 0);
	CHECK("parent's signal still there",
	      read(fd, &si, sizeof(si)) == SSI_SIZE && si.ssi_signo == SIGUSR1);
	read(fd, &si, sizeof(si)); /* the SIGCHLD of that child */

	/* The descriptor survives exec (no SFD_CLOEXEC). */
	pid = fork();
	if (pid == 0) {
		char arg[16];
		snprintf(arg, sizeof(arg), "%d", fd);
		char *argv[] = {"/tests/signalfd.musl", "exec-child", arg, NULL};
		execv("/proc/self/exe", argv);
		execv(argv[0], argv);
		_exit(9);
	}
	status = wait_status(pid);
	CHECK("signalfd works after exec", WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(fd);
	sigprocmask(SIG_SETMASK, &old, NULL);
	signal(SIGCHLD, SIG_DFL);
}

/* After exec: the inherited signalfd still reads, with the mask kept. */
static int exec_child(int fd)
{
	sigset_t s = set_of(SIGUSR1, 0);
	struct signalfd_siginfo si;

	sigprocmask(SIG_BLOCK, &s, NULL);
	raise(SIGUSR1);
	if (read(fd, &si, sizeof(si)) != SSI_SIZE || si.ssi_signo != SIGUSR1)
		return 1;
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "exec-child") == 0)
		return exec_child(atoi(argv[2]));
	check_area = "signalfd";
	test_create();
	test_read();
	test_mask_rules();
	test_blocking_and_poll();
	test_children();
	return check_failures ? 1 : 0;
}
