// SPDX-License-Identifier: MIT
/*
 * Guest test: moving data between descriptors in the kernel — sendfile
 * (file to file and to a pipe, with and without an offset), splice
 * (pipe to file, file to pipe, pipe to pipe, offsets), tee (pipe to pipe
 * without consuming), vmsplice (user memory to and from a pipe),
 * copy_file_range, how each updates offsets, and their errno rules.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/sendfile.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

#define SRC "/sendfile-src"
#define DST "/sendfile-dst"
#define SIZE 100000

static char data[SIZE], back[SIZE];

static ssize_t cfr(int in, loff_t *off_in, int out, loff_t *off_out, size_t len, unsigned int flags)
{
	return syscall(SYS_copy_file_range, in, off_in, out, off_out, len, flags);
}

static int make_src(void)
{
	int fd = open(SRC, O_RDWR | O_CREAT | O_TRUNC, 0644);

	for (int i = 0; i < SIZE; i++)
		data[i] = (char)(i * 31 + i / 977);
	write(fd, data, SIZE);
	lseek(fd, 0, SEEK_SET);
	return fd;
}

static int make_dst(void)
{
	return open(DST, O_RDWR | O_CREAT | O_TRUNC, 0644);
}

static bool dst_holds(int dst, off_t at, const char *want, size_t len)
{
	return pread(dst, back, len, at) == (ssize_t)len && memcmp(back, want, len) == 0;
}

static void test_sendfile(void)
{
	int src = make_src(), dst = make_dst();
	off_t off;

	CHECK("whole file", sendfile(dst, src, NULL, SIZE) == SIZE);
	CHECK("the input position moved", lseek(src, 0, SEEK_CUR) == SIZE);
	CHECK("the output position moved", lseek(dst, 0, SEEK_CUR) == SIZE);
	CHECK("bytes equal", dst_holds(dst, 0, data, SIZE));
	CHECK("at end of file: 0", sendfile(dst, src, NULL, 10) == 0);

	off = 1000;
	CHECK("with an offset", sendfile(dst, src, &off, 500) == 500);
	CHECK("the offset moved", off == 1500);
	CHECK("the file position did not", lseek(src, 0, SEEK_CUR) == SIZE);
	CHECK("appended at the output position", dst_holds(dst, SIZE, data + 1000, 500));
	off = SIZE - 10;
	CHECK("short at end of file", sendfile(dst, src, &off, 100) == 10 && off == SIZE);
	off = SIZE + 10;
	CHECK("past end of file: 0, offset kept",
	      sendfile(dst, src, &off, 100) == 0 && off == SIZE + 10);
	CHECK("count 0", sendfile(dst, src, NULL, 0) == 0);

	int p[2];
	pipe(p);
	off = 0;
	CHECK("into a pipe: what fits", sendfile(p[1], src, &off, SIZE) == 65536 && off == 65536);
	CHECK("pipe holds the bytes",
	      read(p[0], back, 65536) == 65536 && memcmp(back, data, 65536) == 0);
	fcntl(p[1], F_SETFL, O_NONBLOCK);
	off = 0;
	sendfile(p[1], src, &off, SIZE);
	CHECK_ERRNO("full pipe, O_NONBLOCK: EAGAIN", sendfile(p[1], src, &off, 10), EAGAIN);

	int ro = open(SRC, O_RDONLY), wo = open(DST, O_WRONLY), efd = eventfd(0, 0);
	off = 0;
	CHECK_ERRNO("bad in fd EBADF", sendfile(dst, -1, NULL, 10), EBADF);
	CHECK_ERRNO("bad out fd EBADF", sendfile(-1, src, NULL, 10), EBADF);
	CHECK_ERRNO("in not readable EBADF", sendfile(dst, wo, NULL, 10), EBADF);
	CHECK_ERRNO("out not writable EBADF", sendfile(ro, src, NULL, 10), EBADF);
	CHECK_ERRNO("offset on a pipe ESPIPE", sendfile(dst, p[0], &off, 10), ESPIPE);
	CHECK_ERRNO("from a pipe EINVAL", sendfile(dst, p[0], NULL, 10), EINVAL);
	CHECK_ERRNO("into an eventfd EINVAL", sendfile(efd, src, &off, 10), EINVAL);
	off = -1;
	CHECK_ERRNO("negative offset EINVAL", sendfile(dst, src, &off, 10), EINVAL);
	CHECK_ERRNO("offset EFAULT", sendfile(dst, src, (off_t *)8, 10), EFAULT);
	int ap = open(DST, O_WRONLY | O_APPEND);
	off = 0;
	CHECK_ERRNO("O_APPEND output EINVAL", sendfile(ap, src, &off, 10), EINVAL);
	close(ap);
	int dir = open("/", O_RDONLY);
	CHECK_ERRNO("from a directory EINVAL", sendfile(dst, dir, &off, 10), EINVAL);
	close(dir);
	close(ro);
	close(wo);
	close(efd);
	close(p[0]);
	close(p[1]);
	close(src);
	close(dst);
}

static void test_splice(void)
{
	int src = make_src(), dst = make_dst();
	int p[2], q[2];
	loff_t off;

	pipe(p);
	pipe(q);
	CHECK("file to pipe", splice(src, NULL, p[1], NULL, 1000, 0) == 1000);
	CHECK("the file position moved", lseek(src, 0, SEEK_CUR) == 1000);
	CHECK("pipe to file", splice(p[0], NULL, dst, NULL, 5000, 0) == 1000);
	CHECK("the output position moved", lseek(dst, 0, SEEK_CUR) == 1000);
	CHECK("bytes equal", dst_holds(dst, 0, data, 1000));

	off = 50000;
	CHECK("file to pipe at an offset", splice(src, &off, p[1], NULL, 3000, 0) == 3000);
	CHECK("the offset moved, not the position",
	      off == 53000 && lseek(src, 0, SEEK_CUR) == 1000);
	off = 10;
	CHECK("pipe to file at an offset",
	      splice(p[0], NULL, dst, &off, 3000, 0) == 3000 && off == 3010);
	CHECK("written there", dst_holds(dst, 10, data + 50000, 3000));
	CHECK("output position unchanged", lseek(dst, 0, SEEK_CUR) == 1000);

	off = 0;
	CHECK("more than fits: a pipe's worth", splice(src, &off, p[1], NULL, SIZE, 0) == 65536);
	CHECK("pipe to pipe", splice(p[0], NULL, q[1], NULL, 100, 0) == 100);
	CHECK("moved in order", read(q[0], back, 100) == 100 && memcmp(back, data, 100) == 0);
	CHECK("the rest is still in the first pipe",
	      read(p[0], back, 65536) == 65436 && memcmp(back, data + 100, 65436) == 0);
	off = SIZE;
	CHECK("file at end: 0", splice(src, &off, p[1], NULL, 10, 0) == 0);
	CHECK("len 0: 0 even with bad fds", splice(-1, NULL, -1, NULL, 0, 0) == 0);

	CHECK_ERRNO("empty pipe, SPLICE_F_NONBLOCK: EAGAIN",
		    splice(p[0], NULL, dst, NULL, 10, SPLICE_F_NONBLOCK), EAGAIN);
	close(q[1]);
	CHECK("no writer: 0", splice(q[0], NULL, dst, NULL, 10, 0) == 0);
	CHECK_ERRNO("bad flags EINVAL", splice(src, NULL, p[1], NULL, 10, 0x10), EINVAL);
	CHECK_ERRNO("bad fd EBADF", splice(-1, NULL, p[1], NULL, 10, 0), EBADF);
	off = 0;
	CHECK_ERRNO("offset on the pipe side ESPIPE", splice(p[0], &off, dst, NULL, 10, 0), ESPIPE);
	CHECK_ERRNO("no pipe EINVAL", splice(src, NULL, dst, NULL, 10, 0), EINVAL);
	CHECK_ERRNO("pipe to itself EINVAL", splice(p[0], NULL, p[1], NULL, 10, 0), EINVAL);
	CHECK_ERRNO("read end as output EBADF", splice(src, NULL, p[0], NULL, 10, 0), EBADF);
	CHECK_ERRNO("offset EFAULT", splice(src, (loff_t *)8, p[1], NULL, 10, 0), EFAULT);
	off = -1;
	CHECK_ERRNO("negative offset EINVAL", splice(src, &off, p[1], NULL, 10, 0), EINVAL);
	int efd = eventfd(0, 0);
	write(p[1], "abc", 3);
	CHECK_ERRNO("into an eventfd EINVAL", splice(p[0], NULL, efd, NULL, 3, 0), EINVAL);
	int ap = open(DST, O_WRONLY | O_APPEND);
	CHECK_ERRNO("O_APPEND output EINVAL", splice(p[0], NULL, ap, NULL, 3, 0), EINVAL);
	close(ap);
	int null = open("/dev/null", O_WRONLY);
	CHECK("pipe to /dev/null", null < 0 || splice(p[0], NULL, null, NULL, 3, 0) == 3);
	close(null);
	close(p[0]);
	signal(SIGPIPE, SIG_IGN);
	CHECK_ERRNO("no reader: EPIPE", splice(src, NULL, p[1], NULL, 10, 0), EPIPE);
	signal(SIGPIPE, SIG_DFL);
	close(efd);
	close(p[1]);
	close(q[0]);
	close(src);
	close(dst);
}

static volatile sig_atomic_t sigpipes;

static void count_sigpipe(int sig)
{
	(void)sig;
	sigpipes++;
}

static int unread_bytes(int fd)
{
	int n = -1;

	ioctl(fd, FIONREAD, &n);
	return n;
}

/* A child that writes msg into fd after delay_ms, then exits. */
static pid_t write_later(int fd, const char *msg, int delay_ms)
{
	pid_t pid = fork();

	if (pid == 0) {
		usleep(delay_ms * 1000);
		_exit(write(fd, msg, strlen(msg)) == (ssize_t)strlen(msg) ? 0 : 1);
	}
	return pid;
}

/* A child that waits up to 5 s for POLLIN on fd: exit status 0 if it came. */
static pid_t poll_in_child(int fd)
{
	pid_t pid = fork();

	if (pid == 0) {
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		_exit(poll(&pfd, 1, 5000) == 1 && (pfd.revents & POLLIN) ? 0 : 1);
	}
	return pid;
}

static bool child_ok(pid_t pid)
{
	int status;

	return waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static void test_tee(void)
{
	int p[2], q[2], src = make_src();
	char buf[64];

	pipe(p);
	pipe(q);
	write(p[1], "hello, world", 12);
	CHECK("tee: more than there: what is there", tee(p[0], q[1], 1000, 0) == 12);
	CHECK("tee: the input keeps its bytes", unread_bytes(p[0]) == 12);
	CHECK("tee: a shorter len", tee(p[0], q[1], 5, 0) == 5);
	CHECK("tee: the output holds both copies",
	      read(q[0], buf, sizeof(buf)) == 17 && memcmp(buf, "hello, worldhello", 17) == 0);
	CHECK("tee: the input reads whole afterwards",
	      read(p[0], buf, sizeof(buf)) == 12 && memcmp(buf, "hello, world", 12) == 0);
	CHECK_ERRNO("tee: empty input, SPLICE_F_NONBLOCK: EAGAIN",
		    tee(p[0], q[1], 10, SPLICE_F_NONBLOCK), EAGAIN);
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	CHECK_ERRNO("tee: empty O_NONBLOCK input: EAGAIN", tee(p[0], q[1], 10, 0), EAGAIN);
	fcntl(p[0], F_SETFL, 0);
	pid_t w = write_later(p[1], "late", 100);
	CHECK("tee: waits for input", tee(p[0], q[1], 10, 0) == 4 && child_ok(w));
	read(q[0], buf, sizeof(buf));

	pid_t poller = poll_in_child(q[0]);
	usleep(100 * 1000);
	CHECK("tee: wakes a poller of the output", tee(p[0], q[1], 10, 0) == 4 && child_ok(poller));
	read(q[0], buf, sizeof(buf));
	read(p[0], buf, sizeof(buf));

	/* ABI: link_pipe clears CAN_MERGE: a write after a tee takes a fresh slot. */
	write(p[1], "0123456789", 10);
	tee(p[0], q[1], 10, 0);
	write(q[1], "abcdefghij", 10);
	fcntl(q[1], F_SETFL, O_NONBLOCK);
	CHECK("tee: a later write does not merge into the copy",
	      write(q[1], data, 15 * 4096) == 14 * 4096);
	CHECK_ERRNO("tee: full output, O_NONBLOCK: EAGAIN", tee(p[0], q[1], 10, 0), EAGAIN);
	fcntl(q[1], F_SETFL, 0);
	CHECK_ERRNO("tee: full output, SPLICE_F_NONBLOCK: EAGAIN",
		    tee(p[0], q[1], 10, SPLICE_F_NONBLOCK), EAGAIN);
	read(p[0], buf, sizeof(buf));
	close(q[0]);
	close(q[1]);

	int d[2];
	pipe2(d, O_DIRECT);
	pipe(q);
	write(d[1], "packet-one", 10);
	write(d[1], "packet-two", 10);
	CHECK("tee: both packets", tee(d[0], q[1], 100, 0) == 20);
	CHECK("tee: packets stay packets", read(q[0], buf, sizeof(buf)) == 10);
	close(d[0]);
	close(d[1]);

	CHECK_ERRNO("tee: a file as input EINVAL", tee(src, q[1], 10, 0), EINVAL);
	CHECK_ERRNO("tee: a file as output EINVAL", tee(p[0], src, 10, 0), EINVAL);
	CHECK_ERRNO("tee: one pipe to itself EINVAL", tee(p[0], p[1], 10, 0), EINVAL);
	CHECK_ERRNO("tee: bad input fd EBADF", tee(-1, q[1], 10, 0), EBADF);
	CHECK_ERRNO("tee: bad output fd EBADF", tee(p[0], 99, 10, 0), EBADF);
	CHECK_ERRNO("tee: write end as input EBADF", tee(p[1], q[1], 10, 0), EBADF);
	CHECK_ERRNO("tee: read end as output EBADF", tee(p[0], q[0], 10, 0), EBADF);
	CHECK_ERRNO("tee: bad flags EINVAL", tee(p[0], q[1], 10, 0x10), EINVAL);
	CHECK("tee: len 0: 0 even with bad fds", tee(-1, -1, 0, 0) == 0);
	close(p[1]);
	CHECK("tee: no writer, empty input: 0", tee(p[0], q[1], 10, 0) == 0);
	pipe(p);
	write(p[1], "x", 1);
	close(q[0]);
	signal(SIGPIPE, count_sigpipe);
	sigpipes = 0;
	CHECK_ERRNO("tee: output without a reader EPIPE", tee(p[0], q[1], 10, 0), EPIPE);
	CHECK("tee: ... and SIGPIPE", sigpipes == 1);
	signal(SIGPIPE, SIG_DFL);
	close(q[1]);
	close(p[0]);
	close(p[1]);
	close(src);
}

static void test_vmsplice(void)
{
	int p[2], src = make_src();
	char a[] = "abc", b[] = "defgh", buf[64], in1[4], in2[100];
	struct iovec iov[2] = {{a, 3}, {b, 5}};
	static struct iovec many[1025];

	pipe(p);
	CHECK("vmsplice: into the write end", vmsplice(p[1], iov, 2, 0) == 8);
	CHECK("vmsplice: the bytes read back",
	      read(p[0], buf, sizeof(buf)) == 8 && memcmp(buf, "abcdefgh", 8) == 0);
	write(p[1], "0123456789", 10);
	struct iovec out[2] = {{in1, sizeof(in1)}, {in2, sizeof(in2)}};
	CHECK("vmsplice: out of the read end", vmsplice(p[0], out, 2, 0) == 10);
	CHECK("vmsplice: filled the segments in order",
	      memcmp(in1, "0123", 4) == 0 && memcmp(in2, "456789", 6) == 0);
	CHECK("vmsplice: the pipe is empty after", unread_bytes(p[0]) == 0);
	CHECK_ERRNO("vmsplice: empty pipe, SPLICE_F_NONBLOCK: EAGAIN",
		    vmsplice(p[0], out, 2, SPLICE_F_NONBLOCK), EAGAIN);
	CHECK("vmsplice: no segments: 0", vmsplice(p[1], iov, 0, 0) == 0);

	for (int i = 0; i < 16; i++)
		many[i] = (struct iovec){data + i, 1};
	CHECK("vmsplice: 16 one-byte segments", vmsplice(p[1], many, 16, 0) == 16);
	fcntl(p[1], F_SETFL, O_NONBLOCK);
	/* ABI: iter_to_pipe makes a pipe buffer of each user page, never merged into. */
	CHECK_ERRNO("vmsplice: each took a slot: the pipe is full", write(p[1], "x", 1), EAGAIN);
	CHECK_ERRNO("vmsplice: full pipe, SPLICE_F_NONBLOCK: EAGAIN",
		    vmsplice(p[1], iov, 2, SPLICE_F_NONBLOCK), EAGAIN);
	pid_t pid = fork();
	if (pid == 0) {
		usleep(100 * 1000);
		_exit(read(p[0], buf, 1) == 1 ? 0 : 1);
	}
	/* ABI: only SPLICE_F_NONBLOCK stops vmsplice waiting (wait_for_space), not O_NONBLOCK. */
	CHECK("vmsplice: O_NONBLOCK alone still waits for room",
	      vmsplice(p[1], many, 1, 0) == 1 && child_ok(pid));
	fcntl(p[1], F_SETFL, 0);
	while (unread_bytes(p[0]) > 0)
		read(p[0], buf, sizeof(buf));

	CHECK_ERRNO("vmsplice: bad iovec array EFAULT", vmsplice(p[1], (struct iovec *)8, 1, 0),
		    EFAULT);
	struct iovec bad = {(void *)0xffff800000000000ul, 10};
	CHECK_ERRNO("vmsplice: kernel address EFAULT", vmsplice(p[1], &bad, 1, 0), EFAULT);
	bad.iov_base = (void *)8;
	CHECK_ERRNO("vmsplice: unmapped memory EFAULT", vmsplice(p[1], &bad, 1, 0), EFAULT);
	write(p[1], "z", 1);
	CHECK_ERRNO("vmsplice: unmapped buffer to read into EFAULT", vmsplice(p[0], &bad, 1, 0),
		    EFAULT);
	while (unread_bytes(p[0]) > 0)
		read(p[0], buf, sizeof(buf));
	struct iovec neg[2] = {{(void *)8, 1}, {a, (size_t)-1}};
	CHECK_ERRNO("vmsplice: negative length EINVAL", vmsplice(p[1], neg, 2, 0), EINVAL);
	for (int i = 0; i < 1025; i++)
		many[i] = (struct iovec){a, 1};
	CHECK_ERRNO("vmsplice: 1025 segments EINVAL", vmsplice(p[1], many, 1025, 0), EINVAL);
	CHECK_ERRNO("vmsplice: bad flags EINVAL, before the fd", vmsplice(-1, iov, 2, 0x10),
		    EINVAL);
	CHECK_ERRNO("vmsplice: bad fd EBADF", vmsplice(-1, iov, 2, 0), EBADF);
	CHECK_ERRNO("vmsplice: a file EBADF", vmsplice(src, iov, 2, 0), EBADF);
	struct iovec empty = {a, 0};
	CHECK("vmsplice: a file with nothing to move: 0", vmsplice(src, &empty, 1, 0) == 0);
	close(p[1]);
	CHECK("vmsplice: no writer, empty pipe: 0", vmsplice(p[0], out, 2, 0) == 0);
	pipe(p);
	close(p[0]);
	signal(SIGPIPE, count_sigpipe);
	sigpipes = 0;
	CHECK_ERRNO("vmsplice: no reader EPIPE", vmsplice(p[1], iov, 2, 0), EPIPE);
	CHECK("vmsplice: ... and SIGPIPE", sigpipes == 1);
	signal(SIGPIPE, SIG_DFL);
	close(p[1]);
	close(src);
}

static void test_copy_file_range(void)
{
	int src = make_src(), dst = make_dst();
	loff_t in, out;

	CHECK("copy all", cfr(src, NULL, dst, NULL, SIZE, 0) == SIZE);
	CHECK("both positions moved",
	      lseek(src, 0, SEEK_CUR) == SIZE && lseek(dst, 0, SEEK_CUR) == SIZE);
	CHECK("bytes equal", dst_holds(dst, 0, data, SIZE));
	CHECK("at end of input: 0", cfr(src, NULL, dst, NULL, 10, 0) == 0);
	in = 10;
	out = 200000;
	CHECK("with offsets",
	      cfr(src, &in, dst, &out, 100, 0) == 100 && in == 110 && out == 200100);
	CHECK("positions untouched", lseek(src, 0, SEEK_CUR) == SIZE);
	CHECK("landed there", dst_holds(dst, 200000, data + 10, 100));
	struct stat st;
	CHECK("output grew", fstat(dst, &st) == 0 && st.st_size == 200100);
	in = SIZE - 5;
	out = 0;
	CHECK("shortened to the end of input", cfr(src, &in, dst, &out, 100, 0) == 5);
	in = 0;
	out = 0;
	CHECK("len 0", cfr(src, &in, dst, &out, 0, 0) == 0);

	in = 0;
	out = 50;
	CHECK_ERRNO("overlap in one file EINVAL", cfr(src, &in, src, &out, 100, 0), EINVAL);
	out = 1000;
	CHECK("same file, no overlap", cfr(src, &in, src, &out, 100, 0) == 100);
	CHECK_ERRNO("flags EINVAL", cfr(src, &in, dst, &out, 10, 1), EINVAL);
	CHECK_ERRNO("bad fd EBADF", cfr(-1, NULL, dst, NULL, 10, 0), EBADF);
	int ro = open(DST, O_RDONLY), wo = open(SRC, O_WRONLY);
	CHECK_ERRNO("output not writable EBADF", cfr(src, NULL, ro, NULL, 10, 0), EBADF);
	CHECK_ERRNO("input not readable EBADF", cfr(wo, NULL, dst, NULL, 10, 0), EBADF);
	int ap = open(DST, O_WRONLY | O_APPEND);
	CHECK_ERRNO("O_APPEND output EBADF", cfr(src, NULL, ap, NULL, 10, 0), EBADF);
	int dir = open("/", O_RDONLY);
	CHECK_ERRNO("directory EISDIR", cfr(dir, NULL, dst, NULL, 10, 0), EISDIR);
	int p[2];
	pipe(p);
	CHECK_ERRNO("pipe EINVAL", cfr(src, NULL, p[1], NULL, 10, 0), EINVAL);
	CHECK_ERRNO("offset EFAULT", cfr(src, (loff_t *)8, dst, NULL, 10, 0), EFAULT);
	in = -1;
	CHECK_ERRNO("negative offset wraps: EOVERFLOW", cfr(src, &in, dst, NULL, 10, 0), EOVERFLOW);
	in = INT64_MAX - 5;
	CHECK("offset near the limit: past the end, 0", cfr(src, &in, dst, NULL, 10, 0) == 0);
	in = 0;
	out = -1;
	CHECK_ERRNO("negative output offset EOVERFLOW", cfr(src, &in, dst, &out, 10, 0), EOVERFLOW);
	mkdir("/cfr-mnt", 0755);
	if (mount("none", "/cfr-mnt", "tmpfs", 0, NULL) == 0) {
		int other = open("/cfr-mnt/f", O_RDWR | O_CREAT, 0644);
		CHECK_ERRNO("another file system EXDEV", cfr(src, NULL, other, NULL, 10, 0), EXDEV);
		close(other);
		umount("/cfr-mnt");
	} else {
		CHECK("mount a tmpfs", 0);
	}
	rmdir("/cfr-mnt");
	close(p[0]);
	close(p[1]);
	close(dir);
	close(ap);
	close(ro);
	close(wo);
	close(src);
	close(dst);
}

int main(void)
{
	check_area = "sendfile";
	test_sendfile();
	test_splice();
	test_tee();
	test_vmsplice();
	test_copy_file_range();
	unlink(SRC);
	unlink(DST);
	return check_failures ? 1 : 0;
}
