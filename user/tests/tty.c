// SPDX-License-Identifier: MIT
/*
 * Guest test: terminals through pseudo-terminals, so every keystroke
 * and every echo is under the test's control: line editing and echo,
 * raw mode, signal keys for the foreground group, controlling terminals
 * and job control (SIGTTIN, SIGTTOU, EIO for ignored signals), window
 * size with SIGWINCH, hangup when the master closes, /dev/tty, termios
 * through the master, poll and epoll on both ends, devpts mount options.
 * Devices come from a private devtmpfs with a devpts at its pts/.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "check.h"
#include "util.h"

static char dev_dir[64];

static void setup_devices(void)
{
	char pts[80];

	snprintf(dev_dir, sizeof(dev_dir), "/tmp/tty-%d", (int)getpid());
	mkdir("/tmp", 0777);
	CHECK("mkdir a private /dev", mkdir(dev_dir, 0755) == 0);
	CHECK("mount devtmpfs", mount("devtmpfs", dev_dir, "devtmpfs", 0, NULL) == 0);
	snprintf(pts, sizeof(pts), "%s/pts", dev_dir);
	mkdir(pts, 0755);
	CHECK("mount devpts", mount("devpts", pts, "devpts", 0, NULL) == 0);
}

/* A new pty pair: the master, and the slave's path in *slave_path. */
static int open_master(char *slave_path, size_t size)
{
	char path[80];
	int n = -1;

	snprintf(path, sizeof(path), "%s/ptmx", dev_dir);
	int m = open(path, O_RDWR | O_NOCTTY);
	if (m < 0 || ioctl(m, TIOCGPTN, &n) != 0)
		return -1;
	snprintf(slave_path, size, "%s/pts/%d", dev_dir, n);
	int unlock = 0;
	if (ioctl(m, TIOCSPTLCK, &unlock) != 0)
		return -1;
	return m;
}

/*
 * Reads what the master has: at least want bytes, waiting up to two
 * seconds for them (Linux processes pty input and echoes asynchronously),
 * or with want 0 whatever came within 50 ms. -1 with EAGAIN for nothing.
 */
static ssize_t drain(int m, char *buf, size_t size, size_t want)
{
	int flags = fcntl(m, F_GETFL);
	size_t total = 0;

	fcntl(m, F_SETFL, flags | O_NONBLOCK);
	if (!want)
		usleep(50000);
	for (int i = 0; i < 2000 && total < size - 1; i++) {
		ssize_t n = read(m, buf + total, size - 1 - total);
		if (n > 0)
			total += (size_t)n;
		if (total >= want)
			break;
		usleep(1000);
	}
	fcntl(m, F_SETFL, flags);
	buf[total] = 0;
	if (!total)
		errno = EAGAIN;
	return total ? (ssize_t)total : -1;
}

/* Waits up to two seconds for the slave to have n bytes ready; returns how many it has. */
static int wait_input(int s, int n)
{
	int avail = 0;

	for (int i = 0; i < 2000; i++) {
		if (ioctl(s, FIONREAD, &avail) != 0 || avail >= n)
			break;
		usleep(1000);
	}
	return avail;
}

static void test_basics(void)
{
	char sp[80], buf[128];
	int m = open_master(sp, sizeof(sp));

	CHECK("open /dev/ptmx", m >= 0);
	int lock = 1;
	CHECK("TIOCSPTLCK locks the slave", ioctl(m, TIOCSPTLCK, &lock) == 0);
	CHECK_ERRNO("a locked slave cannot be opened", open(sp, O_RDWR | O_NOCTTY), EIO);
	lock = 0;
	ioctl(m, TIOCSPTLCK, &lock);
	int s = open(sp, O_RDWR | O_NOCTTY);
	CHECK("open the unlocked slave", s >= 0);
	CHECK("the slave is a terminal", isatty(s));
	/* ABI: tty_open makes terminals nonseekable. */
	CHECK_ERRNO("lseek on the slave is ESPIPE", lseek(s, 0, SEEK_CUR), ESPIPE);
	CHECK_ERRNO("pread on the slave is ESPIPE", pread(s, buf, 1, 0), ESPIPE);
	CHECK_ERRNO("pwrite on the master is ESPIPE", pwrite(m, "x", 1, 0), ESPIPE);
	CHECK_ERRNO("lseek on the master is ESPIPE", lseek(m, 0, SEEK_SET), ESPIPE);
	struct stat st;
	CHECK("the slave is a character device of major 136",
	      fstat(s, &st) == 0 && S_ISCHR(st.st_mode) && major(st.st_rdev) == 136);
	struct termios t;
	CHECK("default termios is canonical with echo and signals",
	      tcgetattr(s, &t) == 0 &&
		      (t.c_lflag & (ICANON | ECHO | ISIG)) == (ICANON | ECHO | ISIG) &&
		      (t.c_iflag & ICRNL) && (t.c_oflag & (OPOST | ONLCR)) == (OPOST | ONLCR) &&
		      t.c_cc[VINTR] == 3 && t.c_cc[VEOF] == 4 && t.c_cc[VERASE] == 0177 &&
		      t.c_cc[VKILL] == 025 && t.c_cc[VSUSP] == 032);
	CHECK("typed text is held until the line ends",
	      write(m, "hi", 2) == 2 && (fcntl(s, F_SETFL, O_NONBLOCK), read(s, buf, 10)) == -1 &&
		      errno == EAGAIN);
	fcntl(s, F_SETFL, 0);
	CHECK("FIONREAD counts whole lines only", ioctl(s, FIONREAD, &(int){0}) == 0);
	write(m, " there\r", 7);
	CHECK("FIONREAD after the line ends", wait_input(s, 9) == 9);
	CHECK("the slave reads the line with CR turned into NL",
	      read(s, buf, sizeof(buf)) == 9 && !memcmp(buf, "hi there\n", 9));
	CHECK("the master sees the echo, NL as CR-NL",
	      drain(m, buf, sizeof(buf), 10) == 10 && !strcmp(buf, "hi there\r\n"));
	CHECK("slave output reaches the master with ONLCR",
	      write(s, "out\n", 4) == 4 && drain(m, buf, sizeof(buf), 5) == 5 &&
		      !strcmp(buf, "out\r\n"));
	write(m, "ab\177c\n", 5);
	CHECK("erase takes back a character",
	      read(s, buf, sizeof(buf)) == 3 && !memcmp(buf, "ac\n", 3));
	CHECK("erase is echoed as backspace-space-backspace",
	      drain(m, buf, sizeof(buf), 10) > 0 && !strcmp(buf, "ab\b \bc\r\n"));
	write(m, "junk\025ok\n", 8);
	CHECK("kill erases the line", read(s, buf, sizeof(buf)) == 3 && !memcmp(buf, "ok\n", 3));
	drain(m, buf, sizeof(buf), 0);
	write(m, "\004", 1);
	CHECK("EOF at the start of a line reads as end of file", read(s, buf, sizeof(buf)) == 0);
	write(m, "abc\004", 4);
	CHECK("EOF mid-line ends the line without a newline",
	      read(s, buf, sizeof(buf)) == 3 && !memcmp(buf, "abc", 3));
	drain(m, buf, sizeof(buf), 0);
	t.c_lflag &= ~(ICANON | ECHO);
	t.c_cc[VMIN] = 3;
	t.c_cc[VTIME] = 0;
	CHECK("raw mode", tcsetattr(s, TCSANOW, &t) == 0);
	write(m, "xyz", 3);
	CHECK("raw mode with VMIN 3 reads the bytes without a newline",
	      read(s, buf, sizeof(buf)) == 3 && !memcmp(buf, "xyz", 3));
	CHECK("raw mode does not echo", drain(m, buf, sizeof(buf), 0) == -1 && errno == EAGAIN);
	t.c_cc[VMIN] = 0;
	tcsetattr(s, TCSANOW, &t);
	CHECK("VMIN 0 VTIME 0 polls", read(s, buf, sizeof(buf)) == 0);
	t.c_cc[VTIME] = 1;
	tcsetattr(s, TCSANOW, &t);
	CHECK("VMIN 0 VTIME 1 times out with nothing", read(s, buf, sizeof(buf)) == 0);
	struct winsize ws = {.ws_row = 0}, ws2;
	CHECK("a new pty's window is 0 x 0",
	      ioctl(s, TIOCGWINSZ, &ws) == 0 && ws.ws_row == 0 && ws.ws_col == 0);
	ws.ws_row = 33;
	ws.ws_col = 101;
	CHECK("TIOCSWINSZ then TIOCGWINSZ", ioctl(m, TIOCSWINSZ, &ws) == 0 &&
						    ioctl(s, TIOCGWINSZ, &ws2) == 0 &&
						    ws2.ws_row == 33 && ws2.ws_col == 101);
	CHECK_ERRNO("TIOCGPGRP on a terminal that is not ours is ENOTTY",
		    ioctl(s, TIOCGPGRP, &(int){0}), ENOTTY);
	close(s);
	CHECK("the master reads EIO once the slave is closed",
	      read(m, buf, sizeof(buf)) == -1 && errno == EIO);
	close(m);
	CHECK_ERRNO("the slave of a closed master cannot be opened", open(sp, O_RDWR), ENOENT);
}

/* The revents of a one-file poll with timeout_ms, or -1 if poll fails. */
static int poll_one(int fd, short events, int timeout_ms)
{
	struct pollfd pfd = {.fd = fd, .events = events};
	int r = poll(&pfd, 1, timeout_ms);

	return r < 0 ? -1 : pfd.revents;
}

static void test_master_termios(void)
{
	char sp[80];
	int m = open_master(sp, sizeof(sp));
	int s = open(sp, O_RDWR | O_NOCTTY);
	struct termios tm, ts;

	CHECK("a pty pair for termios", m >= 0 && s >= 0);
	memset(&tm, 0, sizeof(tm)); /* the kernel fills only its own 19 c_cc */
	memset(&ts, 0, sizeof(ts));
	CHECK("TCGETS on the master reports the slave's termios",
	      tcgetattr(m, &tm) == 0 && tcgetattr(s, &ts) == 0 && tm.c_iflag == ts.c_iflag &&
		      tm.c_oflag == ts.c_oflag && tm.c_cflag == ts.c_cflag &&
		      tm.c_lflag == ts.c_lflag && !memcmp(tm.c_cc, ts.c_cc, NCCS) &&
		      (tm.c_lflag & (ICANON | ECHO)) == (ICANON | ECHO));
	tm.c_lflag &= ~(tcflag_t)ECHO;
	CHECK("TCSETS on the master changes the slave's termios",
	      tcsetattr(m, TCSANOW, &tm) == 0 && tcgetattr(s, &ts) == 0 && !(ts.c_lflag & ECHO));
	ts.c_lflag &= ~(tcflag_t)ICANON;
	CHECK("TCSETS on the slave shows through the master",
	      tcsetattr(s, TCSANOW, &ts) == 0 && tcgetattr(m, &tm) == 0 && !(tm.c_lflag & ICANON));
	close(s);
	close(m);
}

static void test_poll(void)
{
	char sp[80], buf[64];
	int m = open_master(sp, sizeof(sp));
	CHECK("a master whose slave was never opened polls as POLLOUT, no POLLHUP",
	      m >= 0 && poll_one(m, POLLIN | POLLOUT, 0) == POLLOUT);
	int s = open(sp, O_RDWR | O_NOCTTY);

	CHECK("poll on an idle master: POLLOUT, no POLLIN",
	      s >= 0 && poll_one(m, POLLIN | POLLOUT, 100) == POLLOUT);
	CHECK("poll on an idle slave: POLLOUT, no POLLIN",
	      poll_one(s, POLLIN | POLLOUT, 0) == POLLOUT);
	write(s, "x", 1);
	CHECK("poll on the master: POLLIN once the slave wrote",
	      poll_one(m, POLLIN, 2000) == POLLIN);
	drain(m, buf, sizeof(buf), 1);
	CHECK("no POLLIN on the master once its output is read", poll_one(m, POLLIN, 100) == 0);
	write(m, "abc", 3);
	CHECK("canonical slave: no POLLIN before the line ends", poll_one(s, POLLIN, 100) == 0);
	write(m, "\r", 1);
	CHECK("canonical slave: POLLIN after the newline", poll_one(s, POLLIN, 2000) == POLLIN);
	read(s, buf, sizeof(buf));
	drain(m, buf, sizeof(buf), 5);
	int ep = epoll_create1(0);
	struct epoll_event ev = {.events = EPOLLIN, .data.fd = m};
	CHECK("epoll watches a master", ep >= 0 && epoll_ctl(ep, EPOLL_CTL_ADD, m, &ev) == 0);
	CHECK("epoll: nothing from an idle master", epoll_wait(ep, &ev, 1, 100) == 0);
	write(s, "y", 1);
	CHECK("epoll: EPOLLIN once the slave wrote",
	      epoll_wait(ep, &ev, 1, 2000) == 1 && ev.events == EPOLLIN && ev.data.fd == m);
	drain(m, buf, sizeof(buf), 1);
	close(s);
	CHECK("poll on the master: POLLHUP (and POLLOUT) once the slave is closed",
	      poll_one(m, POLLIN | POLLOUT, 2000) == (POLLOUT | POLLHUP));
	CHECK("epoll: EPOLLHUP once the slave is closed",
	      epoll_wait(ep, &ev, 1, 2000) == 1 && (ev.events & EPOLLHUP));
	s = open(sp, O_RDWR | O_NOCTTY);
	CHECK("reopening the slave ends the master's POLLHUP",
	      s >= 0 && poll_one(m, POLLIN | POLLOUT, 0) == POLLOUT);
	close(s);
	close(ep);
	close(m);
}

/* Mode bits and ids of path, as "mode uid gid", for comparing in one check. */
static bool node_is(const char *path, mode_t mode, uid_t uid, gid_t gid)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISCHR(st.st_mode) && (st.st_mode & 07777) == mode &&
	       st.st_uid == uid && st.st_gid == gid;
}

/* Opens the devpts at dir's own ptmx; the slave's node path in sp. */
static int open_devpts_ptmx(const char *dir, char *sp, size_t size)
{
	char path[128];
	int n = -1;

	snprintf(path, sizeof(path), "%s/ptmx", dir);
	int m = open(path, O_RDWR | O_NOCTTY);
	if (m >= 0 && ioctl(m, TIOCGPTN, &n) != 0) {
		close(m);
		return -1;
	}
	snprintf(sp, size, "%s/%d", dir, n);
	return m;
}

/*
 * devpts options. Linux makes every mount a new instance and Tern has
 * one, whose options each mount replaces; a last mount without options
 * leaves the defaults behind on both.
 */
static void test_devpts_options(void)
{
	char pts[96], dir[96], sp[128], ptmx[128];

	snprintf(pts, sizeof(pts), "%s/pts", dev_dir);
	snprintf(dir, sizeof(dir), "%s/pts2", dev_dir);
	mkdir(dir, 0755);
	CHECK_ERRNO("devpts: an unknown option is EINVAL",
		    mount("devpts", dir, "devpts", 0, "bogus=1"), EINVAL);
	CHECK_ERRNO("devpts: mode= that is not octal is EINVAL",
		    mount("devpts", dir, "devpts", 0, "mode=9"), EINVAL);
	CHECK_ERRNO("devpts: newinstance takes no value",
		    mount("devpts", dir, "devpts", 0, "newinstance=1"), EINVAL);
	snprintf(ptmx, sizeof(ptmx), "%s/ptmx", pts);
	CHECK("devpts: pts/ptmx is mode 0000 by default", node_is(ptmx, 0, 0, 0));
	int m = open_devpts_ptmx(pts, sp, sizeof(sp));
	CHECK("devpts: a new slave is mode 0600, owned by the opener, by default",
	      m >= 0 && node_is(sp, 0600, geteuid(), getegid()));
	close(m);

	CHECK("devpts: mount with mode=, gid= and ptmxmode=",
	      mount("devpts", dir, "devpts", 0, "mode=0620,gid=5,ptmxmode=0666") == 0);
	snprintf(ptmx, sizeof(ptmx), "%s/ptmx", dir);
	CHECK("devpts: ptmxmode= is the mode of pts/ptmx", node_is(ptmx, 0666, 0, 0));
	m = open_devpts_ptmx(dir, sp, sizeof(sp));
	CHECK("devpts: mode= and gid= are a new slave's mode and group",
	      m >= 0 && node_is(sp, 0620, geteuid(), 5));
	close(m);
	umount(dir);

	CHECK("devpts: a mount without options has the defaults",
	      mount("devpts", dir, "devpts", 0, NULL) == 0);
	m = open_devpts_ptmx(dir, sp, sizeof(sp));
	CHECK("devpts: ... for pts/ptmx and new slaves",
	      node_is(ptmx, 0, 0, 0) && m >= 0 && node_is(sp, 0600, geteuid(), getegid()));
	close(m);
	umount(dir);

	/*
	 * ABI: devpts_remount: a remount starts again from the defaults and
	 * applies its options, ptmxmode= at once; a bad option fails it
	 * after those before it took effect.
	 */
	CHECK("devpts: mount for remounting", mount("devpts", dir, "devpts", 0, NULL) == 0);
	CHECK("devpts: remount with mode=, gid= and ptmxmode=",
	      mount("devpts", dir, NULL, MS_REMOUNT, "mode=0620,gid=5,ptmxmode=0666") == 0);
	CHECK("devpts: remount: ptmxmode= is the mode of pts/ptmx", node_is(ptmx, 0666, 0, 0));
	m = open_devpts_ptmx(dir, sp, sizeof(sp));
	CHECK("devpts: remount: mode= and gid= are a new slave's mode and group",
	      m >= 0 && node_is(sp, 0620, geteuid(), 5));
	close(m);
	CHECK("devpts: a bind remount ignores devpts options",
	      mount("devpts", dir, NULL, MS_REMOUNT | MS_BIND, "mode=0640") == 0 &&
		      node_is(ptmx, 0666, 0, 0));
	CHECK_ERRNO("devpts: a remount with an unknown option is EINVAL",
		    mount("devpts", dir, NULL, MS_REMOUNT, "mode=0640,bogus=1"), EINVAL);
	m = open_devpts_ptmx(dir, sp, sizeof(sp));
	CHECK("devpts: ... but the defaults and the options before it apply",
	      node_is(ptmx, 0, 0, 0) && m >= 0 && node_is(sp, 0640, geteuid(), getegid()));
	close(m);
	CHECK("devpts: a remount without options restores the defaults",
	      mount("devpts", dir, NULL, MS_REMOUNT, NULL) == 0);
	m = open_devpts_ptmx(dir, sp, sizeof(sp));
	CHECK("devpts: ... for pts/ptmx and new slaves after a remount too",
	      node_is(ptmx, 0, 0, 0) && m >= 0 && node_is(sp, 0600, geteuid(), getegid()));
	close(m);
	umount(dir);
	rmdir(dir);
}

static volatile sig_atomic_t got_signal;
static pid_t other_pgrp; /* a process group outside the test sessions */

static void record(int sig)
{
	got_signal = sig;
}

/*
 * Runs body in a child that is a session leader with the slave as its
 * controlling terminal; returns its wait status.
 */
static int in_session(const char *sp, int m, int (*body)(int s, int m))
{
	pid_t pid = fork();

	if (pid == 0) {
		alarm(20);
		setsid();
		int s = open(sp, O_RDWR);
		if (s < 0)
			_exit(100);
		_exit(body(s, m));
	}
	int status = -1;
	waitpid(pid, &status, 0);
	return status;
}

static int body_ctty(int s, int m)
{
	int pgrp = -1, sid = -1;

	(void)m;
	if (ioctl(s, TIOCGPGRP, &pgrp) != 0 || pgrp != getpgrp())
		return 1;
	if (ioctl(s, TIOCGSID, &sid) != 0 || sid != getsid(0))
		return 2;
	char path[80];
	snprintf(path, sizeof(path), "%s/tty", dev_dir);
	int t = open(path, O_RDWR);
	if (t < 0 || write(t, "via-tty\n", 8) != 8)
		return 3;
	if (ioctl(s, TIOCSCTTY, 0) != 0) /* already ours: a no-op */
		return 4;
	return 0;
}

static int body_intr(int s, int m)
{
	char buf[8];
	struct sigaction sa = {.sa_handler = record};

	sigaction(SIGINT, &sa, NULL); /* no SA_RESTART: read fails with EINTR */
	pid_t typist = fork();
	if (typist == 0) { /* types ^C once the leader sleeps in read */
		signal(SIGINT, SIG_IGN);
		usleep(300000);
		_exit(write(m, "\003", 1) == 1 ? 0 : 1);
	}
	ssize_t n = read(s, buf, sizeof(buf));
	waitpid(typist, NULL, 0);
	if (got_signal != SIGINT)
		return 2;
	return n == -1 && errno == EINTR ? 0 : 3;
}

static int body_background_read(int s, int m)
{
	(void)m;
	pid_t bg = fork();
	if (bg == 0) {
		setpgid(0, 0);
		char c;
		read(s, &c, 1); /* SIGTTIN stops us first */
		_exit(9);
	}
	int status;
	waitpid(bg, &status, WUNTRACED);
	int ok = WIFSTOPPED(status) && WSTOPSIG(status) == SIGTTIN;
	kill(bg, SIGKILL);
	waitpid(bg, &status, 0);
	if (!ok)
		return 1;
	bg = fork();
	if (bg == 0) {
		setpgid(0, 0);
		signal(SIGTTIN, SIG_IGN);
		char c;
		_exit(read(s, &c, 1) == -1 && errno == EIO ? 0 : 1);
	}
	waitpid(bg, &status, 0);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 2;
}

static int body_background_write(int s, int m)
{
	char buf[64];
	struct termios t;
	int status;

	pid_t bg = fork();
	if (bg == 0) {
		setpgid(0, 0);
		_exit(write(s, "bg\n", 3) == 3 ? 0 : 1); /* no TOSTOP: allowed */
	}
	waitpid(bg, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return 1;
	drain(m, buf, sizeof(buf), 0);
	tcgetattr(s, &t);
	t.c_lflag |= TOSTOP;
	tcsetattr(s, TCSANOW, &t);
	bg = fork();
	if (bg == 0) {
		setpgid(0, 0);
		write(s, "bg\n", 3);
		_exit(9);
	}
	waitpid(bg, &status, WUNTRACED);
	int ok = WIFSTOPPED(status) && WSTOPSIG(status) == SIGTTOU;
	kill(bg, SIGKILL);
	waitpid(bg, &status, 0);
	return ok ? 0 : 2;
}

static int body_tcsetpgrp(int s, int m)
{
	(void)m;
	pid_t child = fork();
	if (child == 0) {
		setpgid(0, 0);
		pause();
		_exit(0);
	}
	setpgid(child, child);
	int ret = 0;
	signal(SIGTTOU, SIG_IGN); /* we become a background group below */
	if (tcsetpgrp(s, child) != 0 || tcgetpgrp(s) != child)
		ret = 1;
	if (!ret && (tcsetpgrp(s, getpgrp()) != 0 || tcgetpgrp(s) != getpgrp()))
		ret = 2;
	if (!ret && (tcsetpgrp(s, 99999) != -1 || errno != ESRCH))
		ret = 3;
	if (!ret && (tcsetpgrp(s, other_pgrp) != -1 || errno != EPERM)) /* another session */
		ret = 4;
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	return ret;
}

static int body_winch_and_stop(int s, int m)
{
	struct sigaction sa = {.sa_handler = record};
	struct winsize ws = {.ws_row = 10, .ws_col = 20};

	(void)s;
	sigaction(SIGWINCH, &sa, NULL);
	got_signal = 0;
	ioctl(m, TIOCSWINSZ, &ws);
	if (got_signal != SIGWINCH)
		return 1;
	pid_t fg = fork();
	if (fg == 0) {
		setpgid(0, 0);
		signal(SIGTTOU, SIG_IGN); /* still in the background when it asks */
		tcsetpgrp(s, getpid());
		pause();
		_exit(0);
	}
	int status;
	for (int i = 0; i < 1000 && tcgetpgrp(s) != fg; i++)
		usleep(1000);
	write(m, "\032", 1); /* ^Z stops the foreground group */
	waitpid(fg, &status, WUNTRACED);
	int ok = WIFSTOPPED(status) && WSTOPSIG(status) == SIGTSTP;
	kill(fg, SIGKILL);
	waitpid(fg, &status, 0);
	return ok ? 0 : 2;
}

static int body_notty(int s, int m)
{
	(void)m;
	signal(SIGHUP, SIG_IGN);
	if (ioctl(s, TIOCNOTTY) != 0)
		return 1;
	int pgrp;
	if (ioctl(s, TIOCGPGRP, &pgrp) != -1 || errno != ENOTTY)
		return 2;
	char path[80];
	snprintf(path, sizeof(path), "%s/tty", dev_dir);
	if (open(path, O_RDWR) != -1 || errno != ENXIO)
		return 3;
	return 0;
}

static void test_job_control(void)
{
	char sp[80], buf[256];
	int m = open_master(sp, sizeof(sp));

	CHECK("a second pty", m >= 0);
	other_pgrp = fork();
	if (other_pgrp == 0) {
		setpgid(0, 0);
		pause();
		_exit(0);
	}
	setpgid(other_pgrp, other_pgrp);
	int st = in_session(sp, m, body_ctty);
	CHECK("a session leader opening the slave gets it as controlling terminal",
	      WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK("/dev/tty writes to the controlling terminal",
	      drain(m, buf, sizeof(buf), 9) > 0 && strstr(buf, "via-tty\r\n") != NULL);
	st = in_session(sp, m, body_intr);
	CHECK("^C sends SIGINT to the foreground group and interrupts read",
	      WIFEXITED(st) && WEXITSTATUS(st) == 0);
	drain(m, buf, sizeof(buf), 0);
	st = in_session(sp, m, body_background_read);
	CHECK("a background read stops with SIGTTIN, or is EIO with SIGTTIN ignored",
	      WIFEXITED(st) && WEXITSTATUS(st) == 0);
	st = in_session(sp, m, body_background_write);
	CHECK("a background write is allowed, or stops with SIGTTOU under TOSTOP",
	      WIFEXITED(st) && WEXITSTATUS(st) == 0);
	struct termios t;
	int s = open(sp, O_RDWR | O_NOCTTY);
	tcgetattr(s, &t);
	t.c_lflag &= ~TOSTOP;
	tcsetattr(s, TCSANOW, &t);
	close(s);
	st = in_session(sp, m, body_tcsetpgrp);
	CHECK("tcsetpgrp within the session, ESRCH and EPERM outside",
	      WIFEXITED(st) && WEXITSTATUS(st) == 0);
	st = in_session(sp, m, body_winch_and_stop);
	CHECK("TIOCSWINSZ sends SIGWINCH; ^Z stops the foreground with SIGTSTP",
	      WIFEXITED(st) && WEXITSTATUS(st) == 0);
	st = in_session(sp, m, body_notty);
	CHECK("TIOCNOTTY gives up the controlling terminal", WIFEXITED(st) && WEXITSTATUS(st) == 0);
	kill(other_pgrp, SIGKILL);
	waitpid(other_pgrp, NULL, 0);
	close(m);
}

static void test_hangup(void)
{
	char sp[80];
	int m = open_master(sp, sizeof(sp));

	CHECK("a third pty", m >= 0);
	pid_t pid = fork();
	if (pid == 0) {
		alarm(20);
		close(m); /* else the master stays open through us */
		setsid();
		int s = open(sp, O_RDWR);
		struct sigaction sa = {.sa_handler = record, .sa_flags = SA_RESTART};
		sigaction(SIGHUP, &sa, NULL); /* the read goes on after SIGHUP, and sees EOF */
		write(s, "r", 1);	      /* tells the parent we are ready */
		char c;
		ssize_t n = read(s, &c, 1);
		bool read_eio = n == -1 && errno == EIO;
		n = read(s, &c, 1);
		ssize_t w = write(s, "x", 1);
		_exit(got_signal == SIGHUP && read_eio && n == 0 && w == -1 && errno == EIO ? 0
											    : 1);
	}
	char c;
	read(m, &c, 1);
	usleep(100000);
	close(m);
	int st;
	waitpid(pid, &st, 0);
	CHECK("closing the master hangs up the slave: SIGHUP, EIO for the waiting read, "
	      "then EOF, and EIO on write",
	      WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

/*
 * Regression: a process exiting with a pty master open oopsed Tern
 * (the master's release removed the slave's node with the exiting
 * task's root and cwd already gone). Found by sysfuzz.
 */
static void test_exit_with_master_open(void)
{
	char sp[80] = "";
	int p[2], st = -1;

	CHECK("pipe for the slave's name", pipe(p) == 0);
	pid_t pid = fork();
	if (pid == 0) {
		int m = open_master(sp, sizeof(sp));
		write(p[1], sp, sizeof(sp));
		_exit(m >= 0 ? 0 : 1); /* the master closes as we exit */
	}
	close(p[1]);
	CHECK("the child opens a master", read(p[0], sp, sizeof(sp)) == sizeof(sp));
	close(p[0]);
	CHECK("a process can exit with a pty master open",
	      waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK_ERRNO("and its slave's node is gone", access(sp, F_OK), ENOENT);
}

static char flood[1 << 20];

/* ABI: a master's writes go in only as the slave's line discipline takes them. */
static void test_master_write_flow(void)
{
	char sp[80];
	int m = open_master(sp, sizeof(sp));
	int s = open(sp, O_RDWR | O_NOCTTY);
	struct termios t;

	CHECK("a pty pair for flow control", m >= 0 && s >= 0 && tcgetattr(s, &t) == 0);
	cfmakeraw(&t);
	tcsetattr(s, TCSANOW, &t);
	memset(flood, 'f', sizeof(flood));
	int fl = fcntl(m, F_GETFL);
	fcntl(m, F_SETFL, fl | O_NONBLOCK);
	ssize_t took = write(m, flood, sizeof(flood));
	CHECK("a non-blocking 1 MiB write to a master nobody reads goes in only in part",
	      took > 0 && took < (ssize_t)sizeof(flood));
	/* Linux moves pty input to the slave from a worker: give it time to fill up. */
	usleep(100000);
	while (write(m, flood, sizeof(flood)) > 0)
		usleep(10000);
	CHECK_ERRNO("then the full master write is EAGAIN", write(m, flood, 1), EAGAIN);
	fcntl(m, F_SETFL, fl);

	pid_t pid = fork();
	if (pid == 0) {
		write(m, flood, sizeof(flood)); /* blocks: nobody reads */
		_exit(0);
	}
	usleep(100000);
	int64_t t0 = now_ms();
	int status = 0;
	kill(pid, SIGKILL);
	CHECK("SIGKILL ends a master write blocked on a full slave",
	      waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) &&
		      WTERMSIG(status) == SIGKILL && now_ms() - t0 < 2000);
	tcflush(s, TCIFLUSH);

	pid = fork();
	if (pid == 0) {
		ssize_t n = write(m, flood, 65536); /* paced by the reader below */
		_exit(n == 65536 ? 0 : 1);
	}
	size_t got = 0;
	char buf[4096];
	while (got < 65536) {
		ssize_t n = read(s, buf, sizeof(buf));
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	CHECK("a 64 KiB master write completes as the slave reads it all",
	      got == 65536 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
		      WEXITSTATUS(status) == 0);
	close(s);
	close(m);
}

int main(void)
{
	check_area = "tty";
	setup_devices();
	test_basics();
	test_master_termios();
	test_master_write_flow();
	test_poll();
	test_devpts_options();
	test_job_control();
	test_hangup();
	test_exit_with_master_open();
	return check_failures ? 1 : 0;
}
