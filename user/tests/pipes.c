// SPDX-License-Identifier: MIT
/*
 * Guest test: pipes and FIFOs — pipe2 flags, fstat, sizes, blocking and
 * non-blocking I/O, PIPE_BUF atomicity between processes, packets,
 * EOF, EPIPE and SIGPIPE, interrupted reads, and FIFO opening rules.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "util.h"

#define PIPEFS_MAGIC_VALUE 0x50495045
#define FIFO_PATH "/pipes-test-fifo"

static char big[1 << 16];

static int wait_child(pid_t pid)
{
	int status = -1;

	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

static void on_signal(int sig)
{
	(void)sig;
}

static volatile int sigpipe_code = -1;
static volatile int sigpipe_pid = -1;

static void on_sigpipe_info(int sig, siginfo_t *si, void *ctx)
{
	(void)sig, (void)ctx;
	sigpipe_code = si->si_code;
	sigpipe_pid = si->si_pid;
}

/* Writes until EAGAIN in chunks of n bytes; returns the total. */
static long fill_nonblocking(int fd, size_t n)
{
	long total = 0;
	ssize_t r;

	while ((r = write(fd, big, n)) > 0)
		total += r;
	return total;
}

static void check_basics(void)
{
	int p[2], q[2];
	char buf[64];
	struct stat st, st2;
	struct statfs sfs;

	CHECK("pipe gives two descriptors", pipe(p) == 0 && p[0] >= 0 && p[1] >= 0 && p[0] != p[1]);
	CHECK("write to a pipe", write(p[1], "hello", 5) == 5);
	CHECK("read what was written",
	      read(p[0], buf, sizeof(buf)) == 5 && !memcmp(buf, "hello", 5));
	CHECK("fstat: a FIFO", fstat(p[0], &st) == 0 && S_ISFIFO(st.st_mode));
	CHECK("fstat: mode 0600", (st.st_mode & 07777) == 0600);
	CHECK("fstat: one link", st.st_nlink == 1);
	CHECK("fstat: size 0", st.st_size == 0);
	CHECK("fstat: block size a page", st.st_blksize == 4096);
	CHECK("fstat: owner is the caller", st.st_uid == getuid() && st.st_gid == getgid());
	CHECK("both ends share the inode",
	      fstat(p[1], &st2) == 0 && st.st_ino == st2.st_ino && st.st_dev == st2.st_dev);
	CHECK("a second pipe has its own inode",
	      pipe(q) == 0 && fstat(q[0], &st2) == 0 && st2.st_ino != st.st_ino);
	close(q[0]);
	close(q[1]);
	CHECK("fstatfs: pipefs", fstatfs(p[0], &sfs) == 0 && sfs.f_type == PIPEFS_MAGIC_VALUE);
	CHECK_ERRNO("lseek on a pipe is ESPIPE", lseek(p[0], 0, SEEK_CUR), ESPIPE);
	CHECK_ERRNO("pread on a pipe is ESPIPE", pread(p[0], buf, 1, 0), ESPIPE);
	CHECK_ERRNO("pwrite on a pipe is ESPIPE", pwrite(p[1], buf, 1, 0), ESPIPE);
	CHECK_ERRNO("read from the write end is EBADF", read(p[1], buf, 1), EBADF);
	CHECK_ERRNO("write to the read end is EBADF", write(p[0], buf, 1), EBADF);
	CHECK("F_GETFL read end is O_RDONLY", fcntl(p[0], F_GETFL) == O_RDONLY);
	CHECK("F_GETFL write end is O_WRONLY", fcntl(p[1], F_GETFL) == O_WRONLY);
	CHECK("pipe: no close-on-exec", fcntl(p[0], F_GETFD) == 0 && fcntl(p[1], F_GETFD) == 0);
	CHECK("read of 0 bytes is 0", read(p[0], buf, 0) == 0);
	CHECK("write of 0 bytes is 0", write(p[1], buf, 0) == 0);
	CHECK("FIONREAD of an empty pipe is 0", ioctl(p[0], FIONREAD, &(int){-1}) == 0);
	int n = -1;
	CHECK("FIONREAD counts unread bytes",
	      write(p[1], "abcdefg", 7) == 7 && ioctl(p[0], FIONREAD, &n) == 0 && n == 7);
	CHECK("FIONREAD works on the write end too", ioctl(p[1], FIONREAD, &n) == 0 && n == 7);
	CHECK_ERRNO("other ioctls are ENOTTY", ioctl(p[0], TCGETS, buf), ENOTTY);
	struct iovec iov[2] = {{buf, 3}, {buf + 10, 10}};
	CHECK("readv spreads over iovecs",
	      readv(p[0], iov, 2) == 7 && !memcmp(buf, "abc", 3) && !memcmp(buf + 10, "defg", 4));
	struct iovec iov2[2] = {{buf, 3}, {buf + 10, 10}};
	CHECK("readv returns once the pipe is empty",
	      write(p[1], "xyz", 3) == 3 && readv(p[0], iov2, 2) == 3 && !memcmp(buf, "xyz", 3));
	struct iovec wiov[2] = {{"12", 2}, {"345", 3}};
	CHECK("writev gathers",
	      writev(p[1], wiov, 2) == 5 && read(p[0], buf, 64) == 5 && !memcmp(buf, "12345", 5));
	int d = dup(p[1]);
	close(p[1]);
	CHECK("a dup of the write end keeps the pipe open",
	      write(d, "x", 1) == 1 && read(p[0], buf, 64) == 1);
	close(d);
	CHECK("read after the last writer closed is EOF", read(p[0], buf, 64) == 0);
	close(p[0]);
	CHECK_ERRNO("pipe with a bad pointer is EFAULT", syscall(SYS_pipe, (void *)8), EFAULT);
	CHECK_ERRNO("pipe2 with an unknown flag is EINVAL", pipe2(p, O_APPEND), EINVAL);
	int before = dup(0);
	close(before);
	CHECK_ERRNO("pipe2 with a bad pointer is EFAULT", syscall(SYS_pipe2, (void *)8, 0), EFAULT);
	CHECK("a failed pipe2 leaks no descriptor", (d = dup(0)) == before);
	close(d);
}

static void check_flags(void)
{
	int p[2];
	char buf[8];

	CHECK("pipe2 O_CLOEXEC", pipe2(p, O_CLOEXEC) == 0 && fcntl(p[0], F_GETFD) == FD_CLOEXEC &&
					 fcntl(p[1], F_GETFD) == FD_CLOEXEC);
	close(p[0]);
	close(p[1]);
	CHECK("pipe2 O_NONBLOCK sets both ends", pipe2(p, O_NONBLOCK) == 0 &&
							 (fcntl(p[0], F_GETFL) & O_NONBLOCK) &&
							 (fcntl(p[1], F_GETFL) & O_NONBLOCK));
	CHECK_ERRNO("non-blocking read of an empty pipe is EAGAIN", read(p[0], buf, 1), EAGAIN);
	CHECK("F_GETPIPE_SZ is 64 KiB", fcntl(p[0], F_GETPIPE_SZ) == 65536);
	CHECK("a full pipe holds 64 KiB", fill_nonblocking(p[1], 4096) == 65536);
	CHECK_ERRNO("write to a full pipe is EAGAIN", write(p[1], "x", 1), EAGAIN);
	int n = 0;
	CHECK("FIONREAD of a full pipe", ioctl(p[0], FIONREAD, &n) == 0 && n == 65536);
	CHECK_ERRNO("F_SETPIPE_SZ below the content is EBUSY", fcntl(p[0], F_SETPIPE_SZ, 4096),
		    EBUSY);
	CHECK("reading a page frees a slot", read(p[0], big, 4096) == 4096);
	CHECK("a non-blocking write larger than the room is partial",
	      write(p[1], big, 8192) == 4096);
	close(p[0]);
	close(p[1]);

	CHECK("pipe2 for sizes", pipe2(p, O_NONBLOCK) == 0);
	CHECK("F_SETPIPE_SZ 4096", fcntl(p[1], F_SETPIPE_SZ, 4096) == 4096);
	CHECK("F_GETPIPE_SZ follows", fcntl(p[0], F_GETPIPE_SZ) == 4096);
	CHECK("F_SETPIPE_SZ rounds up to a power of two", fcntl(p[0], F_SETPIPE_SZ, 5000) == 8192);
	CHECK("F_SETPIPE_SZ 0 is one page", fcntl(p[0], F_SETPIPE_SZ, 0) == 4096);
	CHECK("100-byte writes fill a page to 4000: none is split",
	      fill_nonblocking(p[1], 100) == 4000);
	CHECK_ERRNO("F_SETPIPE_SZ over 2 GiB is EINVAL", fcntl(p[0], F_SETPIPE_SZ, (1L << 31) + 1),
		    EINVAL);
	CHECK("F_SETPIPE_SZ 1 MiB", fcntl(p[0], F_SETPIPE_SZ, 1 << 20) == 1 << 20);
	CHECK("F_SETPIPE_SZ keeps the data", read(p[0], big, sizeof(big)) == 4000);
	CHECK("a 1 MiB pipe takes 64 KiB at once", write(p[1], big, 65536) == 65536);
	char *huge = malloc(1 << 18);
	CHECK("a big read returns what there is", huge && read(p[0], huge, 1 << 18) == 65536);
	CHECK("and a 200 KB write at once", huge && write(p[1], huge, 200000) == 200000);
	CHECK("all of which one read takes", huge && read(p[0], huge, 1 << 18) == 200000);
	free(huge);
	close(p[0]);
	close(p[1]);
	CHECK_ERRNO("F_GETPIPE_SZ on a non-pipe is EBADF", fcntl(0, F_GETPIPE_SZ), EBADF);
}

static void check_pipe_buf(void)
{
	int p[2];

	CHECK("pipe2 for PIPE_BUF", pipe2(p, O_NONBLOCK) == 0);
	/* 15 pages and 4060 bytes: all 16 slots used, 36 bytes left in the last. */
	CHECK("one write fills all but 36 bytes", write(p[1], big, 65500) == 65500);
	CHECK_ERRNO("a write of at most PIPE_BUF that does not fit is EAGAIN",
		    write(p[1], big, 100), EAGAIN);
	struct iovec two[2] = {{big, 30}, {big, 30}};
	CHECK_ERRNO("so is a writev of two parts that fit one by one, but not together",
		    writev(p[1], two, 2), EAGAIN);
	CHECK("a small write that fits merges into the last page", write(p[1], big, 36) == 36);
	CHECK_ERRNO("now nothing fits", write(p[1], big, 1), EAGAIN);
	close(p[0]);
	close(p[1]);
}

static void check_packets(void)
{
	int p[2];
	char buf[64];

	CHECK("pipe2 O_DIRECT", pipe2(p, O_DIRECT | O_NONBLOCK) == 0);
	CHECK("O_DIRECT shows on the write end", fcntl(p[1], F_GETFL) & O_DIRECT);
	CHECK("but not on the read end", !(fcntl(p[0], F_GETFL) & O_DIRECT));
	CHECK("write two packets", write(p[1], "abc", 3) == 3 && write(p[1], "defg", 4) == 4);
	CHECK("a read takes one packet",
	      read(p[0], buf, sizeof(buf)) == 3 && !memcmp(buf, "abc", 3));
	CHECK("the next read the next packet",
	      read(p[0], buf, sizeof(buf)) == 4 && !memcmp(buf, "defg", 4));
	CHECK("a short read of a packet", write(p[1], "0123456789", 10) == 10 &&
						  read(p[0], buf, 4) == 4 &&
						  !memcmp(buf, "0123", 4));
	CHECK_ERRNO("drops the rest of it", read(p[0], buf, sizeof(buf)), EAGAIN);
	CHECK("16 packets fill the pipe", fill_nonblocking(p[1], 1) == 16);
	close(p[0]);
	close(p[1]);
}

static void check_eof_and_epipe(void)
{
	int p[2];
	char buf[8];

	CHECK("pipe for EPIPE", pipe(p) == 0);
	write(p[1], "ab", 2);
	close(p[1]);
	CHECK("data before EOF", read(p[0], buf, 8) == 2);
	CHECK("then EOF", read(p[0], buf, 8) == 0);
	close(p[0]);

	signal(SIGPIPE, SIG_IGN);
	pipe(p);
	close(p[0]);
	CHECK_ERRNO("write without readers is EPIPE", write(p[1], "x", 1), EPIPE);
	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	signal(SIGPIPE, SIG_DFL);
	sigprocmask(SIG_BLOCK, &set, &old);
	CHECK_ERRNO("blocked SIGPIPE: still EPIPE", write(p[1], "x", 1), EPIPE);
	sigset_t pending;
	sigpending(&pending);
	CHECK("and SIGPIPE is pending", sigismember(&pending, SIGPIPE) == 1);
	signal(SIGPIPE, SIG_IGN); /* discards it */
	sigprocmask(SIG_SETMASK, &old, NULL);
	struct sigaction sa = {0};
	sa.sa_sigaction = on_sigpipe_info;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGPIPE, &sa, NULL);
	CHECK_ERRNO("with a handler: EPIPE", write(p[1], "x", 1), EPIPE);
	CHECK("the handler saw SI_USER from this process",
	      sigpipe_code == SI_USER && sigpipe_pid == getpid());
	close(p[1]);
	signal(SIGPIPE, SIG_DFL);

	pipe(p);
	close(p[0]);
	pid_t pid = fork();
	if (pid == 0) {
		write(p[1], "x", 1);
		_exit(0);
	}
	close(p[1]);
	int status = wait_child(pid);
	CHECK("SIGPIPE's default action kills the writer",
	      WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE);
}

static void check_blocking(void)
{
	int p[2];
	char buf[16];

	pipe(p);
	pid_t pid = fork();
	if (pid == 0) {
		sleep_ms(50);
		write(p[1], "late", 4);
		_exit(0);
	}
	int64_t t0 = now_ms();
	CHECK("a blocking read waits for the writer",
	      read(p[0], buf, sizeof(buf)) == 4 && !memcmp(buf, "late", 4) && now_ms() - t0 >= 40);
	wait_child(pid);

	fcntl(p[1], F_SETFL, O_NONBLOCK);
	fill_nonblocking(p[1], 4096);
	fcntl(p[1], F_SETFL, 0);
	pid = fork();
	if (pid == 0) {
		sleep_ms(50);
		read(p[0], big, 4096);
		_exit(0);
	}
	t0 = now_ms();
	CHECK("a blocking writer waits for room",
	      write(p[1], big, 4096) == 4096 && now_ms() - t0 >= 40);
	wait_child(pid);
	close(p[0]);
	close(p[1]);

	signal(SIGPIPE, SIG_IGN);
	pipe(p);
	pid = fork();
	if (pid == 0) {
		close(p[1]);
		sleep_ms(50);
		_exit(0);
	}
	close(p[0]);
	fcntl(p[1], F_SETFL, O_NONBLOCK);
	fill_nonblocking(p[1], 4096);
	fcntl(p[1], F_SETFL, 0);
	CHECK_ERRNO("a blocked writer gets EPIPE when the last reader goes", write(p[1], big, 4096),
		    EPIPE);
	wait_child(pid);
	close(p[1]);
	signal(SIGPIPE, SIG_DFL);

	pipe(p);
	set_handler(SIGALRM, on_signal, 0);
	struct itimerval it = {{0, 0}, {0, 30000}};
	setitimer(ITIMER_REAL, &it, NULL);
	CHECK_ERRNO("a signal interrupts a blocked read (EINTR)", read(p[0], buf, 1), EINTR);
	pid = fork();
	if (pid == 0) {
		sleep_ms(100);
		write(p[1], "r", 1);
		_exit(0);
	}
	set_handler(SIGALRM, on_signal, SA_RESTART);
	setitimer(ITIMER_REAL, &it, NULL);
	CHECK("SA_RESTART restarts a blocked read", read(p[0], buf, 1) == 1 && buf[0] == 'r');
	wait_child(pid);
	fcntl(p[1], F_SETFL, O_NONBLOCK);
	fill_nonblocking(p[1], 4096);
	fcntl(p[1], F_SETFL, 0);
	set_handler(SIGALRM, on_signal, 0);
	setitimer(ITIMER_REAL, &it, NULL);
	CHECK_ERRNO("a signal interrupts a blocked write (EINTR)", write(p[1], big, 10), EINTR);
	close(p[0]);
	close(p[1]);
}

/* Bytes through a pipe between two processes, with a checksum. */
static void check_bulk(void)
{
	int p[2];
	const long total = 1L << 20;

	pipe(p);
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		for (long sent = 0; sent < total;) {
			char chunk[3000];
			for (size_t i = 0; i < sizeof(chunk); i++)
				chunk[i] = (char)((sent + (long)i) % 251);
			long n = total - sent < (long)sizeof(chunk) ? total - sent
								    : (long)sizeof(chunk);
			if (write(p[1], chunk, (size_t)n) != n)
				_exit(1);
			sent += n;
		}
		_exit(0);
	}
	close(p[1]);
	long got = 0;
	int bad = 0;
	ssize_t r;
	while ((r = read(p[0], big, 7000)) > 0) {
		for (ssize_t i = 0; i < r; i++)
			bad |= big[i] != (char)((got + i) % 251);
		got += r;
	}
	close(p[0]);
	int status = wait_child(pid);
	CHECK("1 MiB crosses a pipe intact",
	      got == total && !bad && WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* Writers of exactly PIPE_BUF bytes never interleave. */
static void check_atomic_writers(void)
{
	enum { NR_WRITERS = 4, NR_RECORDS = 64, RECORD = 4096 };
	int p[2];
	pid_t pids[NR_WRITERS];

	pipe(p);
	for (int w = 0; w < NR_WRITERS; w++) {
		pids[w] = fork();
		if (pids[w] == 0) {
			char rec[RECORD];
			memset(rec, 'A' + w, sizeof(rec));
			close(p[0]);
			for (int i = 0; i < NR_RECORDS; i++)
				if (write(p[1], rec, sizeof(rec)) != RECORD)
					_exit(1);
			_exit(0);
		}
	}
	close(p[1]);
	int nr_records = 0, torn = 0;
	for (;;) {
		char rec[RECORD];
		size_t have = 0;
		ssize_t r = 1;
		while (have < RECORD && (r = read(p[0], rec + have, RECORD - have)) > 0)
			have += (size_t)r;
		if (have < RECORD)
			break;
		for (int i = 1; i < RECORD; i++)
			torn |= rec[i] != rec[0];
		nr_records++;
	}
	close(p[0]);
	for (int w = 0; w < NR_WRITERS; w++)
		wait_child(pids[w]);
	CHECK("every record arrived", nr_records == NR_WRITERS * NR_RECORDS);
	CHECK("PIPE_BUF writes from 4 processes never interleave", !torn);
}

static void check_fifo(void)
{
	struct stat st, fst;
	char buf[16];
	int r, w;

	unlink(FIFO_PATH);
	CHECK("mkfifo", mkfifo(FIFO_PATH, 0666) == 0);
	CHECK("stat: a FIFO", stat(FIFO_PATH, &st) == 0 && S_ISFIFO(st.st_mode));
	CHECK_ERRNO("O_WRONLY|O_NONBLOCK without a reader is ENXIO",
		    open(FIFO_PATH, O_WRONLY | O_NONBLOCK), ENXIO);
	r = open(FIFO_PATH, O_RDONLY | O_NONBLOCK);
	CHECK("O_RDONLY|O_NONBLOCK opens without a writer", r >= 0);
	CHECK("and reads EOF", read(r, buf, sizeof(buf)) == 0);
	CHECK("fstat of the FIFO's fd is the file",
	      fstat(r, &fst) == 0 && S_ISFIFO(fst.st_mode) && fst.st_ino == st.st_ino);
	w = open(FIFO_PATH, O_WRONLY | O_NONBLOCK);
	CHECK("O_WRONLY|O_NONBLOCK with a reader opens", w >= 0);
	CHECK("data goes through the FIFO", write(w, "fifo", 4) == 4 &&
						    read(r, buf, sizeof(buf)) == 4 &&
						    !memcmp(buf, "fifo", 4));
	CHECK_ERRNO("an empty FIFO with a writer is EAGAIN", read(r, buf, 1), EAGAIN);
	CHECK_ERRNO("lseek on a FIFO is ESPIPE", lseek(r, 0, SEEK_SET), ESPIPE);
	CHECK("F_GETPIPE_SZ on a FIFO", fcntl(r, F_GETPIPE_SZ) == 65536);
	close(w);
	CHECK("EOF after the writer closed", read(r, buf, sizeof(buf)) == 0);
	close(r);

	int rw = open(FIFO_PATH, O_RDWR);
	CHECK("O_RDWR never blocks", rw >= 0);
	CHECK("O_RDWR talks to itself",
	      write(rw, "me", 2) == 2 && read(rw, buf, sizeof(buf)) == 2 && !memcmp(buf, "me", 2));
	write(rw, "lost", 4);
	close(rw);
	rw = open(FIFO_PATH, O_RDWR | O_NONBLOCK);
	int n = -1;
	CHECK("data is dropped when the last opener closes",
	      ioctl(rw, FIONREAD, &n) == 0 && n == 0);
	close(rw);

	pid_t pid = fork();
	if (pid == 0) {
		sleep_ms(50);
		int fd = open(FIFO_PATH, O_WRONLY);
		write(fd, "hi", 2);
		_exit(fd >= 0 ? 0 : 1);
	}
	int64_t t0 = now_ms();
	r = open(FIFO_PATH, O_RDONLY);
	CHECK("a blocking O_RDONLY open waits for a writer", r >= 0 && now_ms() - t0 >= 40);
	CHECK("and reads its data", read(r, buf, sizeof(buf)) == 2);
	wait_child(pid);
	close(r);

	pid = fork();
	if (pid == 0) {
		sleep_ms(50);
		int fd = open(FIFO_PATH, O_RDONLY);
		char c;
		_exit(fd >= 0 && read(fd, &c, 1) == 1 && c == 'z' ? 0 : 1);
	}
	t0 = now_ms();
	w = open(FIFO_PATH, O_WRONLY);
	CHECK("a blocking O_WRONLY open waits for a reader", w >= 0 && now_ms() - t0 >= 40);
	write(w, "z", 1);
	int status = wait_child(pid);
	CHECK("the reader got the byte", WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(w);

	set_handler(SIGALRM, on_signal, 0);
	struct itimerval it = {{0, 0}, {0, 30000}};
	setitimer(ITIMER_REAL, &it, NULL);
	CHECK_ERRNO("a signal interrupts a blocking FIFO open", open(FIFO_PATH, O_RDONLY), EINTR);
	w = open(FIFO_PATH, O_RDWR);
	unlink(FIFO_PATH);
	CHECK("an unlinked FIFO still works",
	      write(w, "u", 1) == 1 && read(w, buf, sizeof(buf)) == 1 && buf[0] == 'u');
	close(w);
}

int main(void)
{
	check_area = "pipes";
	check_basics();
	check_flags();
	check_pipe_buf();
	check_packets();
	check_eof_and_epipe();
	check_blocking();
	check_bulk();
	check_atomic_writers();
	check_fifo();
	return check_failures ? 1 : 0;
}
