// SPDX-License-Identifier: MIT
/*
 * Guest test: advisory locks — flock(2) (shared, exclusive, conversion,
 * per open file description, blocking and interrupted), fcntl record
 * locks (ranges, splitting and merging as F_GETLK reports them, owners
 * per process, release on any close and at exit, no inheritance, F_SETLKW
 * and EDEADLK) and OFD locks, with the errno of every bad argument.
 * Other owners are child processes that report through their exit status.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "util.h"

#define PATH "/locks-test-file"
#ifndef LOCK_MAND
#define LOCK_MAND 32
#define LOCK_READ 64
#endif

static void on_signal(int sig)
{
	(void)sig;
}

static int wait_exit(pid_t pid)
{
	int status = -1;

	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static int open_file(int flags)
{
	return open(PATH, flags | O_CREAT, 0644);
}

static struct flock range(short type, short whence, off_t start, off_t len)
{
	struct flock fl;

	memset(&fl, 0, sizeof(fl));
	fl.l_type = type;
	fl.l_whence = whence;
	fl.l_start = start;
	fl.l_len = len;
	return fl;
}

static int setlk(int fd, short type, off_t start, off_t len)
{
	struct flock fl = range(type, SEEK_SET, start, len);

	return fcntl(fd, F_SETLK, &fl);
}

/*
 * F_GETLK in a child (another owner) for a write lock on [start, start+len):
 * encodes what it saw: 0 unlocked, 1 read lock, 2 write lock; 100 on error.
 * The reported range and pid go through a pipe.
 */
struct seen {
	short type;
	off_t start, len;
	pid_t pid;
};

static struct seen child_getlk(short type, off_t start, off_t len)
{
	struct seen s = {-1, -1, -1, -1};
	int p[2];

	if (pipe(p) != 0)
		return s;
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open_file(O_RDWR);
		struct flock fl = range(type, SEEK_SET, start, len);
		if (fcntl(fd, F_GETLK, &fl) != 0)
			_exit(100);
		struct seen out = {fl.l_type, fl.l_start, fl.l_len, fl.l_pid};
		write(p[1], &out, sizeof(out));
		_exit(0);
	}
	close(p[1]);
	if (read(p[0], &s, sizeof(s)) != sizeof(s))
		s.type = -1;
	close(p[0]);
	wait_exit(pid);
	return s;
}

/* A child's F_SETLK (or flock when is_flock) on its own open: 0 or its errno. */
static int child_setlk(short type, off_t start, off_t len)
{
	pid_t pid = fork();

	if (pid == 0) {
		int fd = open_file(O_RDWR);
		_exit(setlk(fd, type, start, len) == 0 ? 0 : errno);
	}
	return wait_exit(pid);
}

static int child_flock(int op)
{
	pid_t pid = fork();

	if (pid == 0) {
		int fd = open_file(O_RDWR);
		_exit(flock(fd, op) == 0 ? 0 : errno);
	}
	return wait_exit(pid);
}

static void test_flock(void)
{
	int a = open_file(O_RDWR), b = open_file(O_RDONLY), c = open_file(O_WRONLY);

	CHECK("LOCK_SH", flock(a, LOCK_SH) == 0);
	CHECK("second LOCK_SH on another open", flock(b, LOCK_SH | LOCK_NB) == 0);
	CHECK_ERRNO("LOCK_EX blocked by shared: EWOULDBLOCK", flock(c, LOCK_EX | LOCK_NB),
		    EWOULDBLOCK);
	CHECK("EWOULDBLOCK is EAGAIN", EWOULDBLOCK == EAGAIN);
	CHECK("another process: EWOULDBLOCK", child_flock(LOCK_EX | LOCK_NB) == EWOULDBLOCK);
	CHECK("another process may share", child_flock(LOCK_SH | LOCK_NB) == 0);
	/* A failed conversion drops the lock held (Linux). */
	CHECK_ERRNO("conversion to EX fails", flock(a, LOCK_EX | LOCK_NB), EWOULDBLOCK);
	CHECK("LOCK_UN b", flock(b, LOCK_UN) == 0);
	CHECK("the failed conversion left no lock: c gets EX", flock(c, LOCK_EX | LOCK_NB) == 0);
	CHECK_ERRNO("a: EWOULDBLOCK now", flock(a, LOCK_SH | LOCK_NB), EWOULDBLOCK);
	CHECK("re-locking the same type is fine", flock(c, LOCK_EX | LOCK_NB) == 0);
	CHECK("downgrade EX to SH", flock(c, LOCK_SH) == 0);
	CHECK("then a may share", flock(a, LOCK_SH | LOCK_NB) == 0);
	CHECK("LOCK_UN a", flock(a, LOCK_UN) == 0);
	CHECK("LOCK_UN without a lock", flock(a, LOCK_UN) == 0);
	close(c);
	CHECK("close drops the lock: a gets EX", flock(a, LOCK_EX | LOCK_NB) == 0);

	int d = dup(a);
	CHECK("a dup shares the lock", flock(d, LOCK_EX | LOCK_NB) == 0);
	close(d);
	CHECK("closing the dup keeps it", child_flock(LOCK_SH | LOCK_NB) == EWOULDBLOCK);
	pid_t pid = fork();
	if (pid == 0)
		_exit(flock(a, LOCK_UN) == 0 ? 0 : 1);
	wait_exit(pid);
	CHECK("a forked child unlocks the shared description", child_flock(LOCK_EX | LOCK_NB) == 0);

	/* Blocking: the holder lets go after a while. */
	flock(a, LOCK_EX);
	pid = fork();
	if (pid == 0) {
		int fd = open_file(O_RDWR);
		_exit(flock(fd, LOCK_EX) == 0 ? 0 : 1);
	}
	sleep_ms(100);
	flock(a, LOCK_UN);
	CHECK("a blocked LOCK_EX gets the lock once it is free", wait_exit(pid) == 0);

	flock(a, LOCK_EX);
	struct sigaction sa = {0};
	sa.sa_handler = on_signal;
	sigaction(SIGALRM, &sa, NULL);
	pid = fork();
	if (pid == 0) {
		int fd = open_file(O_RDWR);
		struct itimerval itv = {.it_value = {0, 50000}};
		setitimer(ITIMER_REAL, &itv, NULL);
		_exit(flock(fd, LOCK_EX) == -1 && errno == EINTR ? 0 : 1);
	}
	CHECK("a blocked flock is interrupted: EINTR", wait_exit(pid) == 0);
	flock(a, LOCK_UN);

	CHECK_ERRNO("cmd 0 EINVAL", flock(a, 0), EINVAL);
	CHECK_ERRNO("LOCK_SH|LOCK_EX EINVAL", flock(a, LOCK_SH | LOCK_EX), EINVAL);
	CHECK_ERRNO("LOCK_NB alone EINVAL", flock(a, LOCK_NB), EINVAL);
	CHECK_ERRNO("bad fd EBADF", flock(-1, LOCK_SH), EBADF);
	CHECK_ERRNO("bad cmd before bad fd", flock(-1, 0), EINVAL);
	int path_fd = open(PATH, O_PATH);
	CHECK_ERRNO("O_PATH EBADF", flock(path_fd, LOCK_SH), EBADF);
	CHECK_ERRNO("O_PATH unlock EBADF", flock(path_fd, LOCK_UN), EBADF);
	close(path_fd);
	CHECK("LOCK_MAND is ignored", flock(a, LOCK_MAND | LOCK_READ) == 0);
	CHECK("and locked nothing", child_flock(LOCK_EX | LOCK_NB) == 0);
	int pfd[2];
	pipe(pfd);
	CHECK("flock on a pipe", flock(pfd[0], LOCK_EX) == 0);
	close(pfd[0]);
	close(pfd[1]);
	close(a);
	close(b);
}

static void test_posix_ranges(void)
{
	int fd = open_file(O_RDWR);
	struct seen s;

	CHECK("write lock 0..99", setlk(fd, F_WRLCK, 0, 100) == 0);
	s = child_getlk(F_RDLCK, 50, 1);
	CHECK("F_GETLK sees the write lock", s.type == F_WRLCK);
	CHECK("its range and owner", s.start == 0 && s.len == 100 && s.pid == getpid());
	s = child_getlk(F_RDLCK, 100, 10);
	CHECK("past the range: F_UNLCK", s.type == F_UNLCK);
	CHECK("F_UNLCK leaves the other fields", s.start == 100 && s.len == 10);
	CHECK("other owner's lock: EAGAIN", child_setlk(F_RDLCK, 99, 1) == EAGAIN);
	CHECK("beside it: fine", child_setlk(F_WRLCK, 100, 5) == 0);

	struct flock own = range(F_WRLCK, SEEK_SET, 0, 10);
	CHECK("own locks never conflict", fcntl(fd, F_GETLK, &own) == 0 && own.l_type == F_UNLCK);

	CHECK("unlock the middle", setlk(fd, F_UNLCK, 40, 20) == 0);
	CHECK("the hole is free", child_getlk(F_WRLCK, 40, 20).type == F_UNLCK);
	s = child_getlk(F_WRLCK, 30, 20);
	CHECK("split: left part 0..39", s.type == F_WRLCK && s.start == 0 && s.len == 40);
	s = child_getlk(F_WRLCK, 55, 20);
	CHECK("split: right part 60..99", s.type == F_WRLCK && s.start == 60 && s.len == 40);
	CHECK("read lock in the hole", setlk(fd, F_RDLCK, 40, 20) == 0);
	CHECK("another process may share it", child_setlk(F_RDLCK, 45, 5) == 0);
	CHECK("but not write it", child_setlk(F_WRLCK, 45, 5) == EAGAIN);
	s = child_getlk(F_WRLCK, 40, 20);
	CHECK("F_GETLK reports the read lock", s.type == F_RDLCK && s.start == 40 && s.len == 20);
	CHECK("write over all of it", setlk(fd, F_WRLCK, 0, 100) == 0);
	s = child_getlk(F_RDLCK, 0, 0);
	CHECK("merged into one lock", s.type == F_WRLCK && s.start == 0 && s.len == 100);
	CHECK("extend to end of file", setlk(fd, F_WRLCK, 100, 0) == 0);
	s = child_getlk(F_RDLCK, 5000, 1);
	CHECK("to end of file: l_len 0", s.type == F_WRLCK && s.start == 0 && s.len == 0);
	CHECK("unlock everything", setlk(fd, F_UNLCK, 0, 0) == 0);
	CHECK("nothing left", child_getlk(F_WRLCK, 0, 0).type == F_UNLCK);

	struct flock fl = range(F_WRLCK, SEEK_SET, 10, -5);
	CHECK("negative length", fcntl(fd, F_SETLK, &fl) == 0);
	s = child_getlk(F_RDLCK, 0, 0);
	CHECK("covers the bytes before l_start", s.start == 5 && s.len == 5);
	setlk(fd, F_UNLCK, 0, 0);
	lseek(fd, 50, SEEK_SET);
	fl = range(F_WRLCK, SEEK_CUR, -10, 5);
	CHECK("SEEK_CUR", fcntl(fd, F_SETLK, &fl) == 0);
	s = child_getlk(F_RDLCK, 0, 0);
	CHECK("relative to the position", s.start == 40 && s.len == 5);
	setlk(fd, F_UNLCK, 0, 0);
	ftruncate(fd, 1000);
	fl = range(F_RDLCK, SEEK_END, -100, 0);
	CHECK("SEEK_END", fcntl(fd, F_SETLK, &fl) == 0);
	s = child_getlk(F_WRLCK, 0, 0);
	CHECK("relative to the size", s.type == F_RDLCK && s.start == 900 && s.len == 0);
	setlk(fd, F_UNLCK, 0, 0);

	CHECK("read lock, then another process reads too",
	      setlk(fd, F_RDLCK, 0, 10) == 0 && child_setlk(F_RDLCK, 0, 10) == 0);
	CHECK("the child's read lock went with it: upgrade to write",
	      setlk(fd, F_WRLCK, 0, 10) == 0);
	close(fd);
}

static void test_posix_errors(void)
{
	int fd = open_file(O_RDWR), ro = open_file(O_RDONLY), wo = open_file(O_WRONLY);
	struct flock fl;

	fl = range(F_WRLCK, 3, 0, 0);
	CHECK_ERRNO("bad l_whence EINVAL", fcntl(fd, F_SETLK, &fl), EINVAL);
	fl = range(7, SEEK_SET, 0, 0);
	CHECK_ERRNO("bad l_type EINVAL", fcntl(fd, F_SETLK, &fl), EINVAL);
	fl = range(F_WRLCK, SEEK_SET, -1, 0);
	CHECK_ERRNO("negative start EINVAL", fcntl(fd, F_SETLK, &fl), EINVAL);
	fl = range(F_WRLCK, SEEK_SET, 3, -4);
	CHECK_ERRNO("negative length past 0 EINVAL", fcntl(fd, F_SETLK, &fl), EINVAL);
	fl = range(F_WRLCK, SEEK_SET, LLONG_MAX, 2);
	CHECK_ERRNO("range past OFFSET_MAX EOVERFLOW", fcntl(fd, F_SETLK, &fl), EOVERFLOW);
	fl = range(F_WRLCK, SEEK_SET, LLONG_MAX, 1);
	CHECK("the last byte can be locked", fcntl(fd, F_SETLK, &fl) == 0);
	fl = range(F_RDLCK, SEEK_SET, 0, 0);
	CHECK_ERRNO("read lock on O_WRONLY EBADF", fcntl(wo, F_SETLK, &fl), EBADF);
	fl = range(F_WRLCK, SEEK_SET, 0, 0);
	CHECK_ERRNO("write lock on O_RDONLY EBADF", fcntl(ro, F_SETLK, &fl), EBADF);
	fl = range(F_UNLCK, SEEK_SET, 0, 0);
	CHECK("unlock on O_RDONLY is fine", fcntl(ro, F_SETLK, &fl) == 0);
	CHECK_ERRNO("F_GETLK with F_UNLCK EINVAL", fcntl(fd, F_GETLK, &fl), EINVAL);
	CHECK_ERRNO("F_SETLK NULL EFAULT", fcntl(fd, F_SETLK, NULL), EFAULT);
	CHECK_ERRNO("F_GETLK NULL EFAULT", fcntl(fd, F_GETLK, NULL), EFAULT);
	CHECK_ERRNO("bad fd EBADF", fcntl(-1, F_SETLK, &fl), EBADF);
	int path_fd = open(PATH, O_PATH);
	CHECK_ERRNO("O_PATH EBADF", fcntl(path_fd, F_GETLK, &fl), EBADF);
	close(path_fd);
	fl = range(F_RDLCK, SEEK_SET, 0, 0);
	fl.l_pid = 1;
	CHECK("l_pid is ignored by F_SETLK", fcntl(fd, F_SETLK, &fl) == 0);
	setlk(fd, F_UNLCK, 0, 0);
	close(fd);
	close(ro);
	close(wo);
}

static void test_posix_owners(void)
{
	int fd = open_file(O_RDWR), other = open_file(O_RDONLY);

	setlk(fd, F_WRLCK, 0, 10);
	CHECK("locked", child_getlk(F_RDLCK, 0, 1).type == F_WRLCK);
	close(other);
	CHECK("closing another descriptor of the file drops the process's locks",
	      child_getlk(F_RDLCK, 0, 1).type == F_UNLCK);

	setlk(fd, F_WRLCK, 0, 10);
	pid_t pid = fork();
	if (pid == 0) {
		struct flock fl = range(F_RDLCK, SEEK_SET, 0, 1);
		if (fcntl(fd, F_GETLK, &fl) != 0 || fl.l_type != F_WRLCK)
			_exit(1); /* not inherited: the parent's lock conflicts */
		_exit(setlk(fd, F_RDLCK, 0, 1) == -1 && errno == EAGAIN ? 0 : 2);
	}
	CHECK("locks are not inherited by fork", wait_exit(pid) == 0);
	CHECK("the child's close left the parent's lock",
	      child_getlk(F_RDLCK, 0, 1).type == F_WRLCK);
	setlk(fd, F_UNLCK, 0, 0);

	pid = fork();
	if (pid == 0) {
		int cfd = open_file(O_RDWR);
		setlk(cfd, F_WRLCK, 0, 0);
		_exit(0);
	}
	wait_exit(pid);
	CHECK("an exiting process's locks go", setlk(fd, F_WRLCK, 0, 0) == 0);
	setlk(fd, F_UNLCK, 0, 0);
	close(fd);
}

static void test_posix_wait(void)
{
	int fd = open_file(O_RDWR);
	int p[2];
	char c;

	setlk(fd, F_WRLCK, 0, 10);
	pid_t pid = fork();
	if (pid == 0) {
		int cfd = open_file(O_RDWR);
		struct flock fl = range(F_WRLCK, SEEK_SET, 5, 1);
		_exit(fcntl(cfd, F_SETLKW, &fl) == 0 ? 0 : 1);
	}
	sleep_ms(100);
	setlk(fd, F_UNLCK, 0, 0);
	CHECK("F_SETLKW waits until the lock goes", wait_exit(pid) == 0);

	setlk(fd, F_WRLCK, 0, 10);
	pid = fork();
	if (pid == 0) {
		int cfd = open_file(O_RDWR);
		struct flock fl = range(F_WRLCK, SEEK_SET, 5, 1);
		struct itimerval itv = {.it_value = {0, 50000}};
		setitimer(ITIMER_REAL, &itv, NULL);
		_exit(fcntl(cfd, F_SETLKW, &fl) == -1 && errno == EINTR ? 0 : 1);
	}
	CHECK("F_SETLKW interrupted: EINTR", wait_exit(pid) == 0);

	/* Deadlock: the child holds byte 20 and waits for byte 0, which we hold. */
	pipe(p);
	pid = fork();
	if (pid == 0) {
		int cfd = open_file(O_RDWR);
		setlk(cfd, F_WRLCK, 20, 1);
		write(p[1], "x", 1);
		struct flock fl = range(F_WRLCK, SEEK_SET, 0, 1);
		_exit(fcntl(cfd, F_SETLKW, &fl) == 0 ? 0 : 1);
	}
	read(p[0], &c, 1);
	sleep_ms(200);
	struct flock fl = range(F_WRLCK, SEEK_SET, 20, 1);
	CHECK_ERRNO("a two-process cycle is EDEADLK", fcntl(fd, F_SETLKW, &fl), EDEADLK);
	CHECK_ERRNO("F_SETLK there is plain EAGAIN", fcntl(fd, F_SETLK, &fl), EAGAIN);
	setlk(fd, F_UNLCK, 0, 0);
	CHECK("the child then gets its lock", wait_exit(pid) == 0);
	close(p[0]);
	close(p[1]);
	close(fd);
}

static void test_ofd(void)
{
	int a = open_file(O_RDWR), b = open_file(O_RDWR);
	struct flock fl;

	fl = range(F_WRLCK, SEEK_SET, 0, 10);
	CHECK("F_OFD_SETLK", fcntl(a, F_OFD_SETLK, &fl) == 0);
	CHECK_ERRNO("another description, same process: EAGAIN", fcntl(b, F_OFD_SETLK, &fl),
		    EAGAIN);
	CHECK_ERRNO("a POSIX lock of the same process: EAGAIN", fcntl(b, F_SETLK, &fl), EAGAIN);
	fl = range(F_RDLCK, SEEK_SET, 0, 0);
	CHECK("F_OFD_GETLK sees it", fcntl(b, F_OFD_GETLK, &fl) == 0 && fl.l_type == F_WRLCK);
	CHECK("l_pid -1 for OFD locks", fl.l_pid == -1 && fl.l_start == 0 && fl.l_len == 10);
	fl = range(F_RDLCK, SEEK_SET, 0, 0);
	CHECK("F_GETLK reports it too, l_pid -1",
	      fcntl(b, F_GETLK, &fl) == 0 && fl.l_type == F_WRLCK && fl.l_pid == -1);
	fl = range(F_RDLCK, SEEK_SET, 0, 0);
	CHECK("own description: F_UNLCK", fcntl(a, F_OFD_GETLK, &fl) == 0 && fl.l_type == F_UNLCK);
	fl = range(F_WRLCK, SEEK_SET, 0, 10);
	fl.l_pid = 5;
	CHECK_ERRNO("F_OFD_SETLK l_pid != 0 EINVAL", fcntl(a, F_OFD_SETLK, &fl), EINVAL);
	CHECK_ERRNO("F_OFD_GETLK l_pid != 0 EINVAL", fcntl(a, F_OFD_GETLK, &fl), EINVAL);
	CHECK_ERRNO("F_OFD_SETLKW l_pid != 0 EINVAL", fcntl(a, F_OFD_SETLKW, &fl), EINVAL);

	int d = dup(a);
	fl = range(F_WRLCK, SEEK_SET, 5, 10);
	CHECK("a dup is the same owner", fcntl(d, F_OFD_SETLK, &fl) == 0);
	close(d);
	fl = range(F_RDLCK, SEEK_SET, 0, 0);
	CHECK("closing a dup keeps OFD locks",
	      fcntl(b, F_OFD_GETLK, &fl) == 0 && fl.l_type == F_WRLCK && fl.l_len == 15);
	pid_t pid = fork();
	if (pid == 0) {
		struct flock x = range(F_WRLCK, SEEK_SET, 0, 0);
		_exit(fcntl(a, F_OFD_GETLK, &x) == 0 && x.l_type == F_UNLCK ? 0 : 1);
	}
	CHECK("a forked child shares the description's locks", wait_exit(pid) == 0);

	pid = fork();
	if (pid == 0) {
		struct flock x = range(F_WRLCK, SEEK_SET, 0, 1);
		close(a); /* else the description stays open here */
		_exit(fcntl(b, F_OFD_SETLKW, &x) == 0 ? 0 : 1);
	}
	sleep_ms(100);
	close(a);
	CHECK("closing the last descriptor frees them; F_OFD_SETLKW wakes", wait_exit(pid) == 0);
	fl = range(F_RDLCK, SEEK_SET, 0, 0);
	CHECK("the child's lock on the shared description stays",
	      fcntl(b, F_OFD_GETLK, &fl) == 0 && fl.l_type == F_UNLCK);
	a = open_file(O_RDWR);
	fl = range(F_RDLCK, SEEK_SET, 0, 0);
	CHECK("seen from a new description", fcntl(a, F_OFD_GETLK, &fl) == 0 &&
						     fl.l_type == F_WRLCK && fl.l_start == 0 &&
						     fl.l_len == 1);
	close(b);
	fl = range(F_RDLCK, SEEK_SET, 0, 0);
	CHECK("gone with b", fcntl(a, F_OFD_GETLK, &fl) == 0 && fl.l_type == F_UNLCK);
	close(a);
}

int main(void)
{
	check_area = "locks";
	test_flock();
	test_posix_ranges();
	test_posix_errors();
	test_posix_owners();
	test_posix_wait();
	test_ofd();
	unlink(PATH);
	return check_failures ? 1 : 0;
}
