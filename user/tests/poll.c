// SPDX-License-Identifier: MIT
/*
 * Guest test: readiness — poll, ppoll, select and pselect6 on pipes,
 * FIFOs, files and devices: which bits are set when, timeouts and the
 * time written back, signals and temporary signal masks.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "util.h"

#define FIFO_PATH "/poll-test-fifo"
#define FILE_PATH "/poll-test-file"
#define NULL_PATH "/poll-test-null"

static char big[65536];

/* Forks a child that sleeps ms, writes one byte to fd and exits. */
static pid_t write_later(int fd, int ms)
{
	pid_t pid = fork();

	if (pid == 0) {
		sleep_ms(ms);
		write(fd, "w", 1);
		_exit(0);
	}
	return pid;
}

static short poll1(int fd, short events, int timeout)
{
	struct pollfd p = {fd, events, -1};

	if (poll(&p, 1, timeout) < 0)
		return -1;
	return p.revents;
}

static void check_poll_pipes(void)
{
	int p[2];
	struct pollfd pfd[2];

	pipe(p);
	CHECK("empty pipe: not readable", poll1(p[0], POLLIN, 0) == 0);
	CHECK("empty pipe: writable", poll1(p[1], POLLOUT, 0) == POLLOUT);
	CHECK("POLLWRNORM too", poll1(p[1], POLLOUT | POLLWRNORM, 0) == (POLLOUT | POLLWRNORM));
	write(p[1], "x", 1);
	CHECK("data: POLLIN and POLLRDNORM",
	      poll1(p[0], POLLIN | POLLRDNORM, 0) == (POLLIN | POLLRDNORM));
	CHECK("revents only has what was asked", poll1(p[0], POLLOUT | POLLPRI, 0) == 0);
	pfd[0] = (struct pollfd){p[0], POLLIN, 0};
	pfd[1] = (struct pollfd){p[1], POLLOUT, 0};
	CHECK("poll counts ready descriptors", poll(pfd, 2, 0) == 2);
	pfd[0].fd = -1;
	pfd[0].revents = 77;
	CHECK("a negative fd is skipped and its revents cleared",
	      poll(pfd, 2, 0) == 1 && pfd[0].revents == 0);
	close(p[1]);
	CHECK("data and no writer: POLLIN|POLLHUP", poll1(p[0], POLLIN, 0) == (POLLIN | POLLHUP));
	read(p[0], big, 10);
	CHECK("POLLHUP even when not asked for", poll1(p[0], 0, 0) == POLLHUP);
	close(p[0]);

	pipe(p);
	close(p[0]);
	CHECK("no reader: POLLOUT|POLLERR", poll1(p[1], POLLOUT, 0) == (POLLOUT | POLLERR));
	CHECK("POLLERR even when not asked for", poll1(p[1], POLLIN, 0) == POLLERR);
	close(p[1]);

	pipe2(p, O_NONBLOCK);
	while (write(p[1], big, 4096) > 0)
		;
	CHECK("a full pipe is not writable", poll1(p[1], POLLOUT, 0) == 0);
	read(p[0], big, 4096);
	CHECK("a freed slot makes it writable", poll1(p[1], POLLOUT, 0) == POLLOUT);
	close(p[0]);
	close(p[1]);

	CHECK("a closed fd is POLLNVAL", poll1(p[0], POLLIN, 0) == POLLNVAL);
	pfd[0] = (struct pollfd){p[0], 0, 0};
	CHECK("and counts as ready", poll(pfd, 1, 0) == 1 && pfd[0].revents == POLLNVAL);
	int opath = open("/", O_PATH);
	CHECK("an O_PATH fd is POLLNVAL", poll1(opath, POLLIN, 0) == POLLNVAL);
	close(opath);
}

static void check_poll_other_files(void)
{
	int fd = open(FILE_PATH, O_RDWR | O_CREAT | O_TRUNC, 0600);
	CHECK("a regular file is readable and writable",
	      poll1(fd, POLLIN | POLLOUT, 0) == (POLLIN | POLLOUT));
	close(fd);
	unlink(FILE_PATH);
	unlink(NULL_PATH);
	mknod(NULL_PATH, S_IFCHR | 0666, makedev(1, 3));
	fd = open(NULL_PATH, O_RDWR);
	CHECK("/dev/null is readable and writable",
	      fd >= 0 && poll1(fd, POLLIN | POLLOUT, 0) == (POLLIN | POLLOUT));
	close(fd);
	unlink(NULL_PATH);

	unlink(FIFO_PATH);
	mkfifo(FIFO_PATH, 0600);
	int r = open(FIFO_PATH, O_RDONLY | O_NONBLOCK);
	CHECK("a FIFO reader that never saw a writer: no POLLHUP", poll1(r, POLLIN, 0) == 0);
	int w = open(FIFO_PATH, O_WRONLY | O_NONBLOCK);
	CHECK("with a writer: still nothing", poll1(r, POLLIN, 0) == 0);
	close(w);
	CHECK("once the writer went: POLLHUP", poll1(r, POLLIN, 0) == POLLHUP);
	close(r);
	unlink(FIFO_PATH);
}

static void check_poll_waiting(void)
{
	int p[2];

	pipe(p);
	int64_t t0 = now_ms();
	CHECK("a timeout of 50 ms elapses", poll1(p[0], POLLIN, 50) == 0 && now_ms() - t0 >= 45);
	t0 = now_ms();
	CHECK("nfds 0 sleeps the timeout", poll(NULL, 0, 30) == 0 && now_ms() - t0 >= 25);
	pid_t pid = write_later(p[1], 50);
	t0 = now_ms();
	CHECK("poll sleeps until a writer comes",
	      poll1(p[0], POLLIN, -1) == POLLIN && now_ms() - t0 >= 40);
	waitpid(pid, NULL, 0);
	read(p[0], big, 1);

	enum { NR = 40 };
	int fds[NR][2];
	struct pollfd pfd[NR];
	for (int i = 0; i < NR; i++) {
		pipe(fds[i]);
		pfd[i] = (struct pollfd){fds[i][0], POLLIN, 0};
	}
	pid = write_later(fds[NR - 1][1], 50);
	CHECK("40 descriptors: woken by the last",
	      poll(pfd, NR, 5000) == 1 && pfd[NR - 1].revents == POLLIN && pfd[0].revents == 0);
	waitpid(pid, NULL, 0);
	for (int i = 0; i < NR; i++)
		write(fds[i][1], "y", 1);
	CHECK("40 descriptors all ready", poll(pfd, NR, 0) == NR);
	for (int i = 0; i < NR; i++) {
		close(fds[i][0]);
		close(fds[i][1]);
	}

	set_handler(SIGALRM, count_signal, 0);
	arm_timer_ms(30);
	errno = 0;
	CHECK("a signal interrupts poll (EINTR)",
	      poll1(p[0], POLLIN, 5000) == -1 && errno == EINTR && nr_signals == 1);
	set_handler(SIGALRM, count_signal, SA_RESTART);
	arm_timer_ms(30);
	errno = 0;
	CHECK("poll is EINTR even with SA_RESTART",
	      poll1(p[0], POLLIN, 5000) == -1 && errno == EINTR);

	struct rlimit rl;
	getrlimit(RLIMIT_NOFILE, &rl);
	CHECK_ERRNO("nfds past RLIMIT_NOFILE is EINVAL", poll(NULL, rl.rlim_cur + 1, 0), EINVAL);
	CHECK_ERRNO("a bad array is EFAULT", syscall(SYS_poll, (void *)8, 1, 0), EFAULT);
	close(p[0]);
	close(p[1]);
}

static void check_ppoll(void)
{
	int p[2];
	struct pollfd pfd;
	struct timespec ts;
	sigset_t set, old, now;

	pipe(p);
	write(p[1], "x", 1);
	pfd = (struct pollfd){p[0], POLLIN, 0};
	ts = (struct timespec){5, 0};
	CHECK("ppoll: ready at once leaves most of the time",
	      syscall(SYS_ppoll, &pfd, 1, &ts, NULL, 8) == 1 && ts.tv_sec >= 4);
	read(p[0], big, 1);
	ts = (struct timespec){0, 30000000};
	CHECK("ppoll: a timeout writes back zero",
	      syscall(SYS_ppoll, &pfd, 1, &ts, NULL, 8) == 0 && ts.tv_sec == 0 && ts.tv_nsec == 0);
	ts = (struct timespec){0, 1000000000};
	CHECK_ERRNO("ppoll: tv_nsec 1e9 is EINVAL", syscall(SYS_ppoll, &pfd, 1, &ts, NULL, 8),
		    EINVAL);
	ts = (struct timespec){-1, 0};
	CHECK_ERRNO("ppoll: a negative timeout is EINVAL",
		    syscall(SYS_ppoll, &pfd, 1, &ts, NULL, 8), EINVAL);
	sigemptyset(&set);
	ts = (struct timespec){0, 0};
	CHECK_ERRNO("ppoll: a sigset size other than 8 is EINVAL",
		    syscall(SYS_ppoll, &pfd, 1, &ts, &set, 16), EINVAL);
	CHECK_ERRNO("ppoll: a bad timeout pointer is EFAULT",
		    syscall(SYS_ppoll, &pfd, 1, (void *)8, NULL, 8), EFAULT);

	/* A blocked signal pending when ppoll unblocks it: EINTR at once. */
	set_handler(SIGUSR1, count_signal, 0);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, &old);
	raise(SIGUSR1);
	nr_signals = 0;
	sigset_t empty;
	sigemptyset(&empty);
	ts = (struct timespec){5, 0};
	int64_t t0 = now_ms();
	errno = 0;
	CHECK("ppoll's mask lets a pending signal in (EINTR)",
	      syscall(SYS_ppoll, &pfd, 1, &ts, &empty, 8) == -1 && errno == EINTR &&
		      nr_signals == 1 && now_ms() - t0 < 2000);
	sigprocmask(SIG_SETMASK, NULL, &now);
	CHECK("after the handler the old mask is back", sigismember(&now, SIGUSR1) == 1);

	/* A mask that blocks the signal: ppoll times out, the signal comes after. */
	set_handler(SIGALRM, count_signal, 0);
	sigemptyset(&set);
	sigaddset(&set, SIGALRM);
	nr_signals = 0;
	arm_timer_ms(20);
	ts = (struct timespec){0, 80000000};
	int64_t t1 = now_ms();
	CHECK("ppoll's mask holds a signal off until the timeout",
	      syscall(SYS_ppoll, &pfd, 1, &ts, &set, 8) == 0 && now_ms() - t1 >= 70);
	CHECK("which is delivered as ppoll returns", nr_signals == 1);
	sigprocmask(SIG_SETMASK, &old, NULL);
	close(p[0]);
	close(p[1]);
}

static void check_select(void)
{
	int p[2];
	fd_set rd, wr, ex;
	struct timeval tv;

	pipe(p);
	int maxfd = (p[0] > p[1] ? p[0] : p[1]) + 1;
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	tv = (struct timeval){0, 0};
	CHECK("select: an empty pipe is not readable",
	      select(maxfd, &rd, NULL, NULL, &tv) == 0 && !FD_ISSET(p[0], &rd));
	FD_ZERO(&wr);
	FD_SET(p[1], &wr);
	CHECK("select: writable", select(maxfd, NULL, &wr, NULL, &tv) == 1 && FD_ISSET(p[1], &wr));
	write(p[1], "x", 1);
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	FD_ZERO(&wr);
	FD_SET(p[1], &wr);
	FD_ZERO(&ex);
	FD_SET(p[0], &ex);
	FD_SET(p[1], &ex);
	CHECK("select counts each set bit", select(maxfd, &rd, &wr, &ex, &tv) == 2 &&
						    FD_ISSET(p[0], &rd) && FD_ISSET(p[1], &wr) &&
						    !FD_ISSET(p[0], &ex) && !FD_ISSET(p[1], &ex));
	FD_ZERO(&rd);
	FD_SET(p[1], &rd);
	CHECK("the write end is never readable", select(maxfd, &rd, NULL, NULL, &tv) == 0);

	tv = (struct timeval){0, 50000};
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	read(p[0], big, 1);
	int64_t t0 = now_ms();
	CHECK("select: a 50 ms timeout elapses and writes back zero",
	      syscall(SYS_select, maxfd, &rd, NULL, NULL, &tv) == 0 && now_ms() - t0 >= 45 &&
		      tv.tv_sec == 0 && tv.tv_usec == 0);
	write(p[1], "x", 1);
	FD_SET(p[0], &rd);
	tv = (struct timeval){5, 0};
	CHECK("select: ready at once leaves most of the time",
	      syscall(SYS_select, maxfd, &rd, NULL, NULL, &tv) == 1 && tv.tv_sec >= 4);
	tv = (struct timeval){0, 1500000};
	CHECK("select: 1.5e6 microseconds is a valid timeout",
	      syscall(SYS_select, maxfd, &rd, NULL, NULL, &tv) == 1);
	tv = (struct timeval){0, -1};
	CHECK_ERRNO("select: negative microseconds are EINVAL",
		    syscall(SYS_select, maxfd, &rd, NULL, NULL, &tv), EINVAL);
	CHECK_ERRNO("select: negative nfds is EINVAL",
		    syscall(SYS_select, -1, NULL, NULL, NULL, NULL), EINVAL);
	int spare = dup(0);
	close(spare);
	FD_ZERO(&rd);
	FD_SET(spare, &rd);
	tv = (struct timeval){0, 0};
	CHECK_ERRNO("select: a closed fd in a set is EBADF",
		    select(spare + 1, &rd, NULL, NULL, &tv), EBADF);
	FD_ZERO(&rd);
	FD_SET(60, &rd);
	CHECK_ERRNO("select: a closed fd 60 in a set is EBADF", select(61, &rd, NULL, NULL, &tv),
		    EBADF);
	CHECK_ERRNO("select: a bad set pointer is EFAULT",
		    syscall(SYS_select, maxfd, (void *)8, NULL, NULL, &tv), EFAULT);
	t0 = now_ms();
	tv = (struct timeval){0, 30000};
	CHECK("select with no sets sleeps",
	      select(0, NULL, NULL, NULL, &tv) == 0 && now_ms() - t0 >= 25);
	close(p[1]);
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	read(p[0], big, 10);
	tv = (struct timeval){0, 0};
	CHECK("select: end of file is readable", select(maxfd, &rd, NULL, NULL, &tv) == 1);
	close(p[0]);

	pipe(p);
	close(p[0]);
	FD_ZERO(&wr);
	FD_SET(p[1], &wr);
	CHECK("select: no reader is writable (an error to find)",
	      select(p[1] + 1, NULL, &wr, NULL, &tv) == 1);
	close(p[1]);

	pipe(p);
	set_handler(SIGALRM, count_signal, SA_RESTART);
	nr_signals = 0;
	arm_timer_ms(30);
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	errno = 0;
	CHECK("a signal interrupts select (EINTR)",
	      select(p[0] + 1, &rd, NULL, NULL, NULL) == -1 && errno == EINTR && nr_signals == 1);

	sigset_t set, old, empty;
	set_handler(SIGUSR1, count_signal, 0);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigemptyset(&empty);
	sigprocmask(SIG_BLOCK, &set, &old);
	raise(SIGUSR1);
	nr_signals = 0;
	struct timespec ts = {5, 0};
	struct {
		const sigset_t *ss;
		size_t len;
	} pack = {&empty, 8};
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	errno = 0;
	CHECK("pselect6's mask lets a pending signal in (EINTR)",
	      syscall(SYS_pselect6, p[0] + 1, &rd, NULL, NULL, &ts, &pack) == -1 &&
		      errno == EINTR && nr_signals == 1);
	sigset_t now;
	sigprocmask(SIG_SETMASK, NULL, &now);
	CHECK("pselect6 gives the old mask back", sigismember(&now, SIGUSR1) == 1);
	pack.len = 4;
	CHECK_ERRNO("pselect6: a sigset size other than 8 is EINVAL",
		    syscall(SYS_pselect6, p[0] + 1, &rd, NULL, NULL, &ts, &pack), EINVAL);
	ts = (struct timespec){0, 20000000};
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	CHECK("pselect6: a timeout writes back zero",
	      syscall(SYS_pselect6, p[0] + 1, &rd, NULL, NULL, &ts, NULL) == 0 && ts.tv_sec == 0 &&
		      ts.tv_nsec == 0);
	sigprocmask(SIG_SETMASK, &old, NULL);
	close(p[0]);
	close(p[1]);
}

/* A pty pair on a private devtmpfs and devpts: the slave's readiness follows the line. */
static void check_tty(void)
{
	char dir[64], path[96];
	int n = -1, unlock = 0;

	snprintf(dir, sizeof(dir), "/tmp/poll-tty-%d", (int)getpid());
	mkdir("/tmp", 0777);
	mkdir(dir, 0755);
	mount("devtmpfs", dir, "devtmpfs", 0, NULL);
	snprintf(path, sizeof(path), "%s/pts", dir);
	mkdir(path, 0755);
	mount("devpts", path, "devpts", 0, NULL);
	snprintf(path, sizeof(path), "%s/ptmx", dir);
	int m = open(path, O_RDWR | O_NOCTTY);
	CHECK("tty: a pty master",
	      m >= 0 && ioctl(m, TIOCGPTN, &n) == 0 && ioctl(m, TIOCSPTLCK, &unlock) == 0);
	snprintf(path, sizeof(path), "%s/pts/%d", dir, n);
	int s = open(path, O_RDWR | O_NOCTTY);
	CHECK("tty: no input, writable", s >= 0 && poll1(s, POLLIN | POLLOUT, 0) == POLLOUT);
	write(m, "ab", 2);
	CHECK("tty: half a line is not readable", poll1(s, POLLIN, 0) == 0);
	write(m, "\n", 1);
	CHECK("tty: a whole line is", poll1(s, POLLIN, 0) == POLLIN);
	close(m);
	CHECK("tty: the master gone is POLLHUP", (poll1(s, POLLIN, 0) & POLLHUP) != 0);
	close(s);
	snprintf(path, sizeof(path), "%s/pts", dir);
	umount(path);
	umount(dir);
}

/* 0 if a 400 ms poll, stopped and continued, times out by its first deadline. */
static int poll_400ms(void)
{
	int64_t t0 = now_ms();

	if (poll(NULL, 0, 400) != 0)
		return 2;
	int64_t took = now_ms() - t0;
	return took >= 400 && took < 600 ? 0 : 1;
}

/* ABI: do_restart_poll: after a stop, restart_syscall waits only what was left. */
static void check_poll_restart(void)
{
	CHECK("a poll stopped for 250 ms still times out after 400 ms",
	      run_stopped_midway(poll_400ms, 100, 250) == 0);
}

int main(void)
{
	check_area = "poll";
	memset(big, 'b', sizeof(big));
	check_poll_pipes();
	check_poll_other_files();
	check_poll_waiting();
	check_ppoll();
	check_select();
	check_tty();
	check_poll_restart();
	return check_failures ? 1 : 0;
}
