// SPDX-License-Identifier: MIT
/*
 * Guest test: timerfd — creation flags and clocks, settime/gettime with
 * relative, absolute and periodic timers, expiration counts and overruns,
 * blocking and non-blocking reads, poll and epoll readiness, fork, the
 * TFD_IOC_SET_TICKS ioctl, and the errno of every bad argument.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

#define MS 1000000L
#ifndef TFD_IOC_SET_TICKS
#define TFD_IOC_SET_TICKS _IOW('T', 0, uint64_t)
#endif

static int64_t now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static struct itimerspec spec(long value_ns, long interval_ns)
{
	struct itimerspec its = {
		.it_value = {value_ns / 1000000000, value_ns % 1000000000},
		.it_interval = {interval_ns / 1000000000, interval_ns % 1000000000},
	};
	return its;
}

static int64_t ts_ns(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * 1000000000 + ts->tv_nsec;
}

static void on_alarm(int sig)
{
	(void)sig;
}

static void test_create(void)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, 0);
	struct stat st;

	CHECK("create monotonic", fd >= 0);
	CHECK("flags O_RDWR", fcntl(fd, F_GETFL) == O_RDWR);
	CHECK("no FD_CLOEXEC", fcntl(fd, F_GETFD) == 0);
	CHECK("fstat mode 0600, no type", fstat(fd, &st) == 0 && st.st_mode == 0600);
	CHECK("lseek stays at 0", lseek(fd, 100, SEEK_SET) == 0);
	CHECK_ERRNO("write is EINVAL", write(fd, "12345678", 8), EINVAL);
	close(fd);

	fd = timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK | TFD_CLOEXEC);
	CHECK("create realtime nonblock cloexec", fd >= 0);
	CHECK("O_NONBLOCK set", fcntl(fd, F_GETFL) == (O_RDWR | O_NONBLOCK));
	CHECK("FD_CLOEXEC set", fcntl(fd, F_GETFD) == FD_CLOEXEC);
	close(fd);
	fd = timerfd_create(CLOCK_BOOTTIME, 0);
	CHECK("create boottime", fd >= 0);
	close(fd);
	fd = timerfd_create(CLOCK_BOOTTIME_ALARM, 0);
	CHECK("create boottime alarm as root", fd >= 0);
	close(fd);
	fd = timerfd_create(CLOCK_REALTIME_ALARM, 0);
	CHECK("create realtime alarm as root", fd >= 0);
	close(fd);

	CHECK_ERRNO("process cputime clock EINVAL", timerfd_create(CLOCK_PROCESS_CPUTIME_ID, 0),
		    EINVAL);
	CHECK_ERRNO("monotonic raw EINVAL", timerfd_create(CLOCK_MONOTONIC_RAW, 0), EINVAL);
	CHECK_ERRNO("clock -1 EINVAL", timerfd_create(-1, 0), EINVAL);
	CHECK_ERRNO("flag 1 EINVAL", timerfd_create(CLOCK_MONOTONIC, 1), EINVAL);
	CHECK_ERRNO("TFD_TIMER_ABSTIME as create flag EINVAL",
		    timerfd_create(CLOCK_MONOTONIC, TFD_TIMER_ABSTIME), EINVAL);

	pid_t pid = fork();
	if (pid == 0) {
		if (setuid(1000) != 0)
			_exit(2);
		errno = 0;
		int r = timerfd_create(CLOCK_BOOTTIME_ALARM, 0);
		_exit(r == -1 && errno == EPERM ? 0 : 1);
	}
	int status = -1;
	waitpid(pid, &status, 0);
	CHECK("alarm clock EPERM for non-root", WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void test_settime_errors(void)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, 0);
	int other = open("/", O_RDONLY);
	struct itimerspec its = spec(0, 0), old;

	CHECK_ERRNO("bad fd EBADF", timerfd_settime(-1, 0, &its, NULL), EBADF);
	CHECK_ERRNO("closed fd EBADF", timerfd_settime(999, 0, &its, NULL), EBADF);
	CHECK_ERRNO("not a timerfd EINVAL", timerfd_settime(other, 0, &its, NULL), EINVAL);
	CHECK_ERRNO("bad flags EINVAL", timerfd_settime(fd, 4, &its, NULL), EINVAL);
	CHECK_ERRNO("bad flags before bad fd", timerfd_settime(-1, 4, &its, NULL), EINVAL);
	its.it_value.tv_nsec = 1000000000;
	CHECK_ERRNO("tv_nsec 1e9 EINVAL", timerfd_settime(fd, 0, &its, NULL), EINVAL);
	its.it_value.tv_nsec = -1;
	CHECK_ERRNO("tv_nsec -1 EINVAL", timerfd_settime(fd, 0, &its, NULL), EINVAL);
	its = spec(0, 0);
	its.it_interval.tv_sec = -1;
	CHECK_ERRNO("negative interval EINVAL", timerfd_settime(fd, 0, &its, NULL), EINVAL);
	its = spec(0, 0);
	its.it_value.tv_sec = -1;
	CHECK_ERRNO("negative value EINVAL (before EBADF)", timerfd_settime(-1, 0, &its, NULL),
		    EINVAL);
	CHECK_ERRNO("new NULL EFAULT", timerfd_settime(fd, 0, NULL, NULL), EFAULT);
	CHECK_ERRNO("new bad pointer EFAULT before EBADF", timerfd_settime(-1, 0, (void *)8, NULL),
		    EFAULT);
	its = spec(60000 * MS, 0);
	CHECK_ERRNO("old bad pointer EFAULT", timerfd_settime(fd, 0, &its, (void *)8), EFAULT);
	CHECK("timer armed despite EFAULT on old",
	      timerfd_gettime(fd, &old) == 0 && old.it_value.tv_sec >= 50);
	CHECK_ERRNO("gettime bad fd EBADF", timerfd_gettime(-1, &old), EBADF);
	CHECK_ERRNO("gettime not a timerfd EINVAL", timerfd_gettime(other, &old), EINVAL);
	CHECK_ERRNO("gettime EFAULT", timerfd_gettime(fd, NULL), EFAULT);
	its = spec(0, 0);
	CHECK("CANCEL_ON_SET alone accepted",
	      timerfd_settime(fd, TFD_TIMER_CANCEL_ON_SET, &its, NULL) == 0);
	close(other);
	close(fd);
}

static void test_gettime(void)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, 0);
	struct itimerspec its, old, cur;

	CHECK("new timer: gettime all zero", timerfd_gettime(fd, &cur) == 0 &&
						     ts_ns(&cur.it_value) == 0 &&
						     ts_ns(&cur.it_interval) == 0);
	its = spec(10000 * MS, 3000 * MS);
	CHECK("settime relative", timerfd_settime(fd, 0, &its, &old) == 0);
	CHECK("old of a fresh timer is zero",
	      ts_ns(&old.it_value) == 0 && ts_ns(&old.it_interval) == 0);
	CHECK("gettime remaining <= value and close", timerfd_gettime(fd, &cur) == 0 &&
							      ts_ns(&cur.it_value) <= 10000 * MS &&
							      ts_ns(&cur.it_value) > 9000 * MS);
	CHECK("gettime interval", cur.it_interval.tv_sec == 3 && cur.it_interval.tv_nsec == 0);
	its = spec(0, 0);
	CHECK("disarm returns old setting", timerfd_settime(fd, 0, &its, &old) == 0 &&
						    ts_ns(&old.it_value) > 9000 * MS &&
						    ts_ns(&old.it_interval) == 3000 * MS);
	CHECK("disarmed: zero", timerfd_gettime(fd, &cur) == 0 && ts_ns(&cur.it_value) == 0);
	its = spec(0, 5000 * MS);
	CHECK("interval without value stays disarmed", timerfd_settime(fd, 0, &its, NULL) == 0);
	CHECK("gettime keeps the interval of a disarmed timer",
	      timerfd_gettime(fd, &cur) == 0 && ts_ns(&cur.it_value) == 0 &&
		      cur.it_interval.tv_sec == 5);

	int64_t t = now_ns(CLOCK_MONOTONIC);
	its = spec(0, 0);
	its.it_value.tv_sec = (t + 20000 * MS) / 1000000000;
	its.it_value.tv_nsec = (t + 20000 * MS) % 1000000000;
	CHECK("absolute monotonic", timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, NULL) == 0);
	CHECK("absolute: remaining about 20 s", timerfd_gettime(fd, &cur) == 0 &&
							ts_ns(&cur.it_value) <= 20000 * MS &&
							ts_ns(&cur.it_value) > 18000 * MS);
	close(fd);

	fd = timerfd_create(CLOCK_REALTIME, 0);
	t = now_ns(CLOCK_REALTIME);
	its = spec(0, 0);
	its.it_value.tv_sec = (t + 30000 * MS) / 1000000000;
	its.it_value.tv_nsec = (t + 30000 * MS) % 1000000000;
	CHECK("absolute realtime", timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, NULL) == 0);
	CHECK("absolute realtime: remaining about 30 s",
	      timerfd_gettime(fd, &cur) == 0 && ts_ns(&cur.it_value) <= 30000 * MS &&
		      ts_ns(&cur.it_value) > 28000 * MS);
	CHECK("CANCEL_ON_SET with ABSTIME on realtime",
	      timerfd_settime(fd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &its, NULL) == 0);
	close(fd);
}

static void test_reads(void)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
	struct itimerspec its, cur;
	uint64_t ticks = 0;
	char small[7];

	CHECK_ERRNO("unarmed nonblocking read EAGAIN", read(fd, &ticks, 8), EAGAIN);
	CHECK_ERRNO("short buffer EINVAL", read(fd, small, sizeof(small)), EINVAL);
	its = spec(20 * MS, 0);
	timerfd_settime(fd, 0, &its, NULL);
	CHECK_ERRNO("not yet expired EAGAIN", read(fd, &ticks, 8), EAGAIN);
	struct pollfd pfd = {.fd = fd, .events = POLLIN | POLLRDNORM};
	CHECK("poll waits for expiry", poll(&pfd, 1, 5000) == 1 && pfd.revents == POLLIN);
	CHECK("read one expiry", read(fd, &ticks, 8) == 8 && ticks == 1);
	CHECK_ERRNO("then EAGAIN again", read(fd, &ticks, 8), EAGAIN);
	CHECK("expired one-shot: gettime zero",
	      timerfd_gettime(fd, &cur) == 0 && ts_ns(&cur.it_value) == 0);
	CHECK("poll after read: not ready", poll(&pfd, 1, 0) == 0);

	its = spec(1, 0);
	timerfd_settime(fd, 0, &its, NULL);
	poll(&pfd, 1, 5000);
	char big[64];
	CHECK("read with a big buffer returns 8", read(fd, big, sizeof(big)) == 8);
	close(fd);

	fd = timerfd_create(CLOCK_MONOTONIC, 0);
	its = spec(30 * MS, 0);
	timerfd_settime(fd, 0, &its, NULL);
	int64_t t0 = now_ns(CLOCK_MONOTONIC);
	CHECK("blocking read waits", read(fd, &ticks, 8) == 8 && ticks == 1);
	CHECK("no earlier than 30 ms", now_ns(CLOCK_MONOTONIC) - t0 >= 29 * MS);
	close(fd);

	/* A past absolute time expires at once. */
	fd = timerfd_create(CLOCK_REALTIME, 0);
	its = spec(0, 0);
	its.it_value.tv_sec = 1;
	CHECK("absolute time in the past", timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, NULL) == 0);
	CHECK("fires at once", read(fd, &ticks, 8) == 8 && ticks == 1);
	close(fd);
}

static void test_periodic(void)
{
	int fd = timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK);
	struct itimerspec its, cur;
	uint64_t ticks = 0;

	/* Started 10.5 periods of 1 s ago: 11 expirations are due. */
	int64_t t = now_ns(CLOCK_REALTIME) - 10500 * MS;
	its = spec(0, 1000 * MS);
	its.it_value.tv_sec = t / 1000000000;
	its.it_value.tv_nsec = t % 1000000000;
	timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, NULL);
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	poll(&pfd, 1, 5000);
	CHECK("overrun counts every missed period",
	      read(fd, &ticks, 8) == 8 && ticks >= 11 && ticks <= 12);
	CHECK("next expiry within one period", timerfd_gettime(fd, &cur) == 0 &&
						       ts_ns(&cur.it_value) > 0 &&
						       ts_ns(&cur.it_value) <= 1000 * MS);

	close(fd);
	fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
	its = spec(20 * MS, 20 * MS);
	timerfd_settime(fd, 0, &its, NULL);
	struct timespec nap = {0, 130 * MS};
	nanosleep(&nap, NULL);
	CHECK("periodic 20 ms over 130 ms: about 6",
	      read(fd, &ticks, 8) == 8 && ticks >= 5 && ticks <= 20);
	poll(&pfd, 1, 5000);
	CHECK("re-armed after read", read(fd, &ticks, 8) == 8 && ticks >= 1);
	its = spec(0, 0);
	timerfd_settime(fd, 0, &its, NULL);
	CHECK_ERRNO("settime clears pending ticks", read(fd, &ticks, 8), EAGAIN);
	close(fd);
}

static void test_readiness(void)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
	int ep = epoll_create1(0);
	struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 77}, out;
	struct itimerspec its = spec(20 * MS, 0);
	uint64_t ticks;

	CHECK("epoll_ctl add", epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) == 0);
	CHECK("epoll: nothing yet", epoll_wait(ep, &out, 1, 0) == 0);
	timerfd_settime(fd, 0, &its, NULL);
	CHECK("epoll wakes on expiry",
	      epoll_wait(ep, &out, 1, 5000) == 1 && out.events == EPOLLIN && out.data.u64 == 77);
	CHECK("level-triggered: still ready", epoll_wait(ep, &out, 1, 0) == 1);
	read(fd, &ticks, 8);
	CHECK("after read: not ready", epoll_wait(ep, &out, 1, 0) == 0);

	fd_set rfds;
	FD_ZERO(&rfds);
	FD_SET(fd, &rfds);
	struct timeval tv = {5, 0};
	its = spec(10 * MS, 0);
	timerfd_settime(fd, 0, &its, NULL);
	CHECK("select wakes on expiry",
	      select(fd + 1, &rfds, NULL, NULL, &tv) == 1 && FD_ISSET(fd, &rfds));
	struct pollfd pfd = {.fd = fd, .events = POLLOUT};
	CHECK("never writable", poll(&pfd, 1, 0) == 0);
	close(ep);
	close(fd);
}

static void test_interrupt_and_fork(void)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, 0);
	struct sigaction sa = {0};
	struct itimerval itv = {.it_value = {0, 50000}};
	uint64_t ticks = 0;

	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &itv, NULL);
	CHECK_ERRNO("blocking read interrupted: EINTR", read(fd, &ticks, 8), EINTR);

	struct itimerspec its = spec(50 * MS, 0);
	timerfd_settime(fd, 0, &its, NULL);
	pid_t pid = fork();
	if (pid == 0) {
		uint64_t t = 0;
		_exit(read(fd, &t, 8) == 8 && t == 1 ? 0 : 1);
	}
	int status = -1;
	waitpid(pid, &status, 0);
	CHECK("child reads the shared timer", WIFEXITED(status) && WEXITSTATUS(status) == 0);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	CHECK_ERRNO("the child took the expiry", read(fd, &ticks, 8), EAGAIN);

	uint64_t set = 5;
	CHECK("TFD_IOC_SET_TICKS", ioctl(fd, TFD_IOC_SET_TICKS, &set) == 0);
	CHECK("read the set ticks", read(fd, &ticks, 8) == 8 && ticks == 5);
	set = 0;
	CHECK_ERRNO("TFD_IOC_SET_TICKS 0 EINVAL", ioctl(fd, TFD_IOC_SET_TICKS, &set), EINVAL);
	CHECK_ERRNO("TFD_IOC_SET_TICKS EFAULT", ioctl(fd, TFD_IOC_SET_TICKS, NULL), EFAULT);
	CHECK_ERRNO("other ioctl ENOTTY", ioctl(fd, _IOW('T', 9, uint64_t), &set), ENOTTY);
	close(fd);
}

int main(void)
{
	check_area = "timerfd";
	test_create();
	test_settime_errors();
	test_gettime();
	test_reads();
	test_periodic();
	test_readiness();
	test_interrupt_and_fork();
	return check_failures ? 1 : 0;
}
