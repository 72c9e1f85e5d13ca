// SPDX-License-Identifier: MIT
/*
 * Guest test: epoll and eventfd — epoll_ctl's rules and errors, level-
 * and edge-triggered and one-shot items, closing watched files, nesting,
 * waiting with timeouts, signals and masks, EPOLLEXCLUSIVE waking one
 * instance; eventfd counters, semaphore mode, limits and readiness.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "util.h"

#define ANON_INODE_FS_MAGIC_VALUE 0x09041934
#define FILE_PATH "/epoll-test-file"

static pid_t write_later(int fd, int ms, uint64_t value)
{
	pid_t pid = fork();

	if (pid == 0) {
		sleep_ms(ms);
		write(fd, &value, sizeof(value));
		_exit(0);
	}
	return pid;
}

static int add(int ep, int fd, uint32_t events, uint64_t data)
{
	struct epoll_event ev = {.events = events, .data.u64 = data};

	return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}

static int mod(int ep, int fd, uint32_t events, uint64_t data)
{
	struct epoll_event ev = {.events = events, .data.u64 = data};

	return epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev);
}

/* One epoll_wait with timeout 0: the count, first event in *ev. */
static int wait0(int ep, struct epoll_event *ev)
{
	return epoll_wait(ep, ev, 1, 0);
}

static void check_ctl(void)
{
	struct epoll_event ev = {.events = EPOLLIN};
	struct stat st;
	struct statfs sfs;
	int p[2];

	CHECK_ERRNO("epoll_create(0) is EINVAL", syscall(SYS_epoll_create, 0), EINVAL);
	int old_style = (int)syscall(SYS_epoll_create, 1);
	CHECK("epoll_create(1)", old_style >= 0 && fcntl(old_style, F_GETFD) == 0);
	close(old_style);
	CHECK_ERRNO("epoll_create1 with an unknown flag is EINVAL", epoll_create1(1), EINVAL);
	int ep = epoll_create1(EPOLL_CLOEXEC);
	CHECK("epoll_create1(EPOLL_CLOEXEC)", ep >= 0 && fcntl(ep, F_GETFD) == FD_CLOEXEC);
	CHECK("an epoll fd is O_RDWR", fcntl(ep, F_GETFL) == O_RDWR);
	CHECK("fstat: an anonymous inode, mode 0600",
	      fstat(ep, &st) == 0 && (st.st_mode & S_IFMT) == 0 && (st.st_mode & 0777) == 0600);
	CHECK("fstatfs: anon_inodefs",
	      fstatfs(ep, &sfs) == 0 && sfs.f_type == ANON_INODE_FS_MAGIC_VALUE);
	CHECK("lseek on epoll is a no-op", lseek(ep, 100, SEEK_SET) == 0);
	char c;
	CHECK_ERRNO("read from epoll is EINVAL", read(ep, &c, 1), EINVAL);
	pipe(p);
	CHECK("EPOLL_CTL_ADD", add(ep, p[0], EPOLLIN, 1) == 0);
	CHECK_ERRNO("adding twice is EEXIST", add(ep, p[0], EPOLLIN, 1), EEXIST);
	CHECK_ERRNO("MOD of an unwatched fd is ENOENT", mod(ep, p[1], EPOLLOUT, 1), ENOENT);
	CHECK_ERRNO("DEL of an unwatched fd is ENOENT", epoll_ctl(ep, EPOLL_CTL_DEL, p[1], NULL),
		    ENOENT);
	int fd = open(FILE_PATH, O_RDWR | O_CREAT | O_TRUNC, 0600);
	CHECK_ERRNO("a regular file is EPERM", add(ep, fd, EPOLLIN, 0), EPERM);
	CHECK_ERRNO("epoll in itself is EINVAL", add(ep, ep, EPOLLIN, 0), EINVAL);
	CHECK_ERRNO("a non-epoll epfd is EINVAL", epoll_ctl(p[0], EPOLL_CTL_ADD, p[1], &ev),
		    EINVAL);
	close(fd);
	unlink(FILE_PATH);
	CHECK_ERRNO("a bad target fd is EBADF", add(ep, 999, EPOLLIN, 0), EBADF);
	CHECK_ERRNO("a bad epfd is EBADF", epoll_ctl(999, EPOLL_CTL_ADD, p[0], &ev), EBADF);
	CHECK_ERRNO("an unknown op is EINVAL", epoll_ctl(ep, 7, p[1], &ev), EINVAL);
	CHECK_ERRNO("a bad event pointer is EFAULT", epoll_ctl(ep, EPOLL_CTL_ADD, p[1], (void *)8),
		    EFAULT);
	CHECK_ERRNO("EPOLLEXCLUSIVE with EPOLLPRI is EINVAL",
		    add(ep, p[1], EPOLLEXCLUSIVE | EPOLLPRI, 0), EINVAL);
	CHECK("EPOLLEXCLUSIVE is accepted", add(ep, p[1], EPOLLEXCLUSIVE | EPOLLOUT, 2) == 0);
	CHECK_ERRNO("MOD with EPOLLEXCLUSIVE is EINVAL",
		    mod(ep, p[1], EPOLLEXCLUSIVE | EPOLLOUT, 2), EINVAL);
	CHECK_ERRNO("MOD of an exclusive item is EINVAL", mod(ep, p[1], EPOLLOUT, 2), EINVAL);
	CHECK("DEL ignores the event pointer", epoll_ctl(ep, EPOLL_CTL_DEL, p[1], NULL) == 0);

	int inner = epoll_create1(0);
	CHECK("an epoll fd in another", add(ep, inner, EPOLLIN, 3) == 0);
	CHECK_ERRNO("and back again is ELOOP", add(inner, ep, EPOLLIN, 0), ELOOP);
	CHECK_ERRNO("EPOLLEXCLUSIVE on an epoll fd is EINVAL",
		    add(epoll_create1(0), inner, EPOLLIN | EPOLLEXCLUSIVE, 0), EINVAL);
	close(inner);
	close(ep);
	close(p[0]);
	close(p[1]);
}

static void check_triggers(void)
{
	struct epoll_event ev;
	int p[2];
	int ep = epoll_create1(0);

	pipe(p);
	add(ep, p[0], EPOLLIN, 42);
	CHECK("nothing ready: 0", wait0(ep, &ev) == 0);
	write(p[1], "a", 1);
	CHECK("readable: EPOLLIN with the data",
	      wait0(ep, &ev) == 1 && ev.events == EPOLLIN && ev.data.u64 == 42);
	CHECK("level-triggered: again", wait0(ep, &ev) == 1 && ev.events == EPOLLIN);
	char buf[16];
	read(p[0], buf, sizeof(buf));
	CHECK("drained: nothing", wait0(ep, &ev) == 0);

	CHECK("MOD to edge-triggered", mod(ep, p[0], EPOLLIN | EPOLLET, 43) == 0);
	write(p[1], "b", 1);
	CHECK("edge: reported once", wait0(ep, &ev) == 1 && ev.data.u64 == 43);
	CHECK("edge: not again", wait0(ep, &ev) == 0);
	write(p[1], "c", 1);
	CHECK("edge: a new write is a new edge", wait0(ep, &ev) == 1);
	read(p[0], buf, sizeof(buf));

	CHECK("MOD to one-shot", mod(ep, p[0], EPOLLIN | EPOLLONESHOT, 44) == 0);
	write(p[1], "d", 1);
	CHECK("one-shot: reported", wait0(ep, &ev) == 1 && ev.data.u64 == 44);
	write(p[1], "e", 1);
	CHECK("one-shot: then disabled", wait0(ep, &ev) == 0);
	CHECK("MOD re-arms it", mod(ep, p[0], EPOLLIN | EPOLLONESHOT, 45) == 0 &&
					wait0(ep, &ev) == 1 && ev.data.u64 == 45);
	CHECK("DEL", epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL) == 0 && wait0(ep, &ev) == 0);

	add(ep, p[0], EPOLLIN, 46);
	close(p[1]);
	CHECK("no writer: EPOLLIN|EPOLLHUP",
	      wait0(ep, &ev) == 1 && ev.events == (EPOLLIN | EPOLLHUP));
	read(p[0], buf, sizeof(buf));
	CHECK("EPOLLHUP without asking", wait0(ep, &ev) == 1 && ev.events == EPOLLHUP);
	close(p[0]);
	CHECK("closing the watched file removes it", wait0(ep, &ev) == 0);

	pipe(p);
	add(ep, p[1], EPOLLOUT, 47);
	CHECK("a pipe's write end: EPOLLOUT", wait0(ep, &ev) == 1 && ev.events == EPOLLOUT);
	fcntl(p[1], F_SETFL, O_NONBLOCK);
	static char big[4096];
	while (write(p[1], big, sizeof(big)) > 0)
		;
	CHECK("full: nothing", wait0(ep, &ev) == 0);
	int d = dup(p[0]);
	close(p[0]);
	read(d, big, sizeof(big));
	CHECK("room again: EPOLLOUT", wait0(ep, &ev) == 1);
	close(d);
	CHECK("no reader: EPOLLOUT|EPOLLERR",
	      wait0(ep, &ev) == 1 && ev.events == (EPOLLOUT | EPOLLERR));
	int d1 = dup(p[1]);
	close(p[1]);
	CHECK("a dup keeps the item alive", wait0(ep, &ev) == 1 && ev.data.u64 == 47);
	close(d1);
	close(ep);
}

static void check_many(void)
{
	enum { NR = 100 };
	static struct epoll_event evs[NR];
	int fds[NR][2];
	int ep = epoll_create1(0);

	for (int i = 0; i < NR; i++) {
		pipe(fds[i]);
		add(ep, fds[i][0], EPOLLIN, (uint64_t)i);
	}
	for (int i = 0; i < 3; i++)
		write(fds[i][1], "x", 1);
	int n1 = epoll_wait(ep, evs, 2, 0);
	CHECK("maxevents caps the count", n1 == 2 && evs[0].data.u64 == 0 && evs[1].data.u64 == 1);
	CHECK("the rest come first next time",
	      epoll_wait(ep, evs, 2, 0) == 2 && evs[0].data.u64 == 2 && evs[1].data.u64 == 0);
	for (int i = 3; i < NR; i++)
		write(fds[i][1], "x", 1);
	CHECK("100 ready descriptors", epoll_wait(ep, evs, NR, 0) == NR);
	for (int i = 0; i < NR; i++) {
		close(fds[i][0]);
		close(fds[i][1]);
	}
	CHECK("all gone with their files", epoll_wait(ep, evs, NR, 0) == 0);
	close(ep);
}

static void check_waiting(void)
{
	struct epoll_event ev;
	int p[2];
	int ep = epoll_create1(0);

	pipe(p);
	add(ep, p[0], EPOLLIN, 1);
	CHECK_ERRNO("maxevents 0 is EINVAL", epoll_wait(ep, &ev, 0, 0), EINVAL);
	CHECK_ERRNO("a non-epoll fd is EINVAL", epoll_wait(p[0], &ev, 1, 0), EINVAL);
	CHECK_ERRNO("a bad fd is EBADF", epoll_wait(999, &ev, 1, 0), EBADF);
	int64_t t0 = now_ms();
	CHECK("a 50 ms timeout elapses", epoll_wait(ep, &ev, 1, 50) == 0 && now_ms() - t0 >= 45);
	pid_t pid = write_later(p[1], 50, 1);
	t0 = now_ms();
	CHECK("epoll_wait sleeps until a writer comes",
	      epoll_wait(ep, &ev, 1, -1) == 1 && now_ms() - t0 >= 40);
	waitpid(pid, NULL, 0);
	CHECK_ERRNO("a bad events pointer is EFAULT", syscall(SYS_epoll_wait, ep, (void *)8, 1, 0),
		    EFAULT);
	CHECK("the event survives the fault", wait0(ep, &ev) == 1);
	char buf[16];
	read(p[0], buf, sizeof(buf));

	set_handler(SIGALRM, count_signal, SA_RESTART);
	nr_signals = 0;
	arm_timer_ms(30);
	errno = 0;
	CHECK("a signal interrupts epoll_wait even with SA_RESTART",
	      epoll_wait(ep, &ev, 1, 5000) == -1 && errno == EINTR && nr_signals == 1);

	sigset_t set, old, empty, now;
	set_handler(SIGUSR1, count_signal, 0);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigemptyset(&empty);
	sigprocmask(SIG_BLOCK, &set, &old);
	raise(SIGUSR1);
	nr_signals = 0;
	errno = 0;
	CHECK("epoll_pwait's mask lets a pending signal in",
	      epoll_pwait(ep, &ev, 1, 5000, &empty) == -1 && errno == EINTR && nr_signals == 1);
	sigprocmask(SIG_SETMASK, NULL, &now);
	CHECK("epoll_pwait gives the old mask back", sigismember(&now, SIGUSR1) == 1);
	CHECK_ERRNO("epoll_pwait: a sigset size other than 8 is EINVAL",
		    syscall(SYS_epoll_pwait, ep, &ev, 1, 0, &empty, 4), EINVAL);
	sigprocmask(SIG_SETMASK, &old, NULL);

	struct timespec ts = {0, 30000000};
	t0 = now_ms();
	CHECK("epoll_pwait2: a timespec timeout",
	      syscall(SYS_epoll_pwait2, ep, &ev, 1, &ts, NULL, 8) == 0 && now_ms() - t0 >= 25);
	ts.tv_nsec = 1000000000;
	CHECK_ERRNO("epoll_pwait2: tv_nsec 1e9 is EINVAL",
		    syscall(SYS_epoll_pwait2, ep, &ev, 1, &ts, NULL, 8), EINVAL);
	write(p[1], "x", 1);
	CHECK("epoll_pwait2: NULL waits for an event",
	      syscall(SYS_epoll_pwait2, ep, &ev, 1, NULL, NULL, 8) == 1);

	int outer = epoll_create1(0);
	add(outer, ep, EPOLLIN, 9);
	CHECK("an epoll fd with a ready item is readable",
	      poll(&(struct pollfd){ep, POLLIN, 0}, 1, 0) == 1);
	CHECK("and reports in an outer epoll",
	      wait0(outer, &ev) == 1 && ev.events == EPOLLIN && ev.data.u64 == 9);
	read(p[0], buf, sizeof(buf));
	CHECK("not once the item is drained",
	      poll(&(struct pollfd){ep, POLLIN, 0}, 1, 0) == 0 && wait0(outer, &ev) == 0);
	pid = write_later(p[1], 50, 1);
	CHECK("the outer epoll wakes through the inner",
	      epoll_wait(outer, &ev, 1, 5000) == 1 && ev.data.u64 == 9);
	waitpid(pid, NULL, 0);
	close(outer);
	close(ep);
	close(p[0]);
	close(p[1]);
}

/* One thread blocked in epoll_wait on its own instance. */
struct excl_waiter {
	pthread_t thread;
	int ep;
	int result; /* epoll_wait's */
};

static int nr_excl_started;

static void *excl_wait_thread(void *arg)
{
	struct excl_waiter *w = arg;
	struct epoll_event ev;

	__atomic_fetch_add(&nr_excl_started, 1, __ATOMIC_SEQ_CST);
	w->result = epoll_wait(w->ep, &ev, 1, 2000);
	return NULL;
}

/*
 * nr_waiters threads, each in epoll_wait on its own instance watching
 * one eventfd with EPOLLIN|extra, behind nr_idle instances nobody waits
 * on (added first, so they come first on the eventfd's queue); one write
 * once all are asleep. Returns how many waiters got the event, -1 if
 * any result was neither 1 nor a timeout; *nr_idle_ready counts the
 * idle instances that have the event queued afterwards.
 */
static int count_woken(uint32_t extra, int nr_waiters, int nr_idle, int *nr_idle_ready)
{
	struct excl_waiter w[3];
	int idle[2];
	int efd = eventfd(0, 0);
	int nr_woken = 0;
	uint64_t one = 1;
	struct epoll_event ev;

	for (int i = 0; i < nr_idle; i++) {
		idle[i] = epoll_create1(0);
		add(idle[i], efd, EPOLLIN | extra, 100 + i);
	}
	nr_excl_started = 0;
	for (int i = 0; i < nr_waiters; i++) {
		w[i].ep = epoll_create1(0);
		add(w[i].ep, efd, EPOLLIN | extra, i);
		pthread_create(&w[i].thread, NULL, excl_wait_thread, &w[i]);
	}
	while (__atomic_load_n(&nr_excl_started, __ATOMIC_SEQ_CST) < nr_waiters)
		sleep_ms(10);
	sleep_ms(300);
	write(efd, &one, sizeof(one));
	for (int i = 0; i < nr_waiters; i++) {
		pthread_join(w[i].thread, NULL);
		if (w[i].result == 1)
			nr_woken++;
		else if (w[i].result != 0)
			nr_woken = -1000;
		close(w[i].ep);
	}
	*nr_idle_ready = 0;
	for (int i = 0; i < nr_idle; i++) {
		*nr_idle_ready += wait0(idle[i], &ev) == 1;
		close(idle[i]);
	}
	close(efd);
	return nr_woken < 0 ? -1 : nr_woken;
}

/*
 * ABI: a wake-up of the eventfd's queue wakes the first EPOLLEXCLUSIVE
 * item whose instance has a sleeper and no later exclusive item; the
 * others do not see the event, even when their timeouts end.
 */
static void check_exclusive(void)
{
	int nr_idle_ready;

	CHECK("without EPOLLEXCLUSIVE one write wakes all 3 instances",
	      count_woken(0, 3, 0, &nr_idle_ready) == 3);
	CHECK("with EPOLLEXCLUSIVE one write wakes 1 of 3 instances",
	      count_woken(EPOLLEXCLUSIVE, 3, 0, &nr_idle_ready) == 1);
	CHECK("EPOLLEXCLUSIVE: instances without a sleeper get the event but pass the wake-up on",
	      count_woken(EPOLLEXCLUSIVE, 1, 2, &nr_idle_ready) == 1 && nr_idle_ready == 2);
}

static void check_eventfd(void)
{
	uint64_t v = 0;
	struct stat st;
	struct pollfd pfd;

	CHECK_ERRNO("eventfd2 with an unknown flag is EINVAL", syscall(SYS_eventfd2, 0, 0x10),
		    EINVAL);
	int e = eventfd(5, EFD_NONBLOCK | EFD_CLOEXEC);
	CHECK("eventfd with flags", e >= 0 && fcntl(e, F_GETFD) == FD_CLOEXEC &&
					    fcntl(e, F_GETFL) == (O_RDWR | O_NONBLOCK));
	CHECK("fstat: an anonymous inode",
	      fstat(e, &st) == 0 && (st.st_mode & S_IFMT) == 0 && (st.st_mode & 0777) == 0600);
	CHECK_ERRNO("a read of 4 bytes is EINVAL", read(e, &v, 4), EINVAL);
	CHECK("a read takes the count", read(e, &v, 8) == 8 && v == 5);
	CHECK_ERRNO("then it is empty (EAGAIN)", read(e, &v, 8), EAGAIN);
	v = 3;
	write(e, &v, 8);
	v = 4;
	CHECK("writes add", write(e, &v, 8) == 8);
	char buf[16];
	CHECK("a 16-byte read gives 8",
	      read(e, buf, sizeof(buf)) == 8 && !memcmp(buf, &(uint64_t){7}, 8));
	CHECK_ERRNO("a write of 4 bytes is EINVAL", write(e, &v, 4), EINVAL);
	v = UINT64_MAX;
	CHECK_ERRNO("writing 2^64-1 is EINVAL", write(e, &v, 8), EINVAL);
	pfd = (struct pollfd){e, POLLIN | POLLOUT, 0};
	CHECK("zero: only writable", poll(&pfd, 1, 0) == 1 && pfd.revents == POLLOUT);
	v = UINT64_MAX - 1;
	CHECK("the largest count fits", write(e, &v, 8) == 8);
	CHECK("full: only readable", poll(&pfd, 1, 0) == 1 && pfd.revents == POLLIN);
	v = 1;
	CHECK_ERRNO("one more is EAGAIN", write(e, &v, 8), EAGAIN);
	CHECK("lseek is a no-op", lseek(e, 5, SEEK_SET) == 0);
	close(e);

	e = eventfd(3, EFD_SEMAPHORE | EFD_NONBLOCK);
	int ok = 1;
	for (int i = 0; i < 3; i++)
		ok &= read(e, &v, 8) == 8 && v == 1;
	CHECK("EFD_SEMAPHORE: reads take 1 each", ok);
	CHECK_ERRNO("until it is 0", read(e, &v, 8), EAGAIN);
	close(e);

	e = eventfd(0, 0);
	CHECK("eventfd without flags is blocking", fcntl(e, F_GETFL) == O_RDWR);
	pid_t pid = write_later(e, 50, 9);
	int64_t t0 = now_ms();
	CHECK("a blocking read waits for a write",
	      read(e, &v, 8) == 8 && v == 9 && now_ms() - t0 >= 40);
	waitpid(pid, NULL, 0);
	set_handler(SIGALRM, count_signal, 0);
	arm_timer_ms(30);
	CHECK_ERRNO("a signal interrupts it (EINTR)", read(e, &v, 8), EINTR);

	int ep = epoll_create1(0);
	add(ep, e, EPOLLIN | EPOLLET, 5);
	struct epoll_event ev;
	CHECK("epoll: an empty eventfd", wait0(ep, &ev) == 0);
	v = 2;
	write(e, &v, 8);
	CHECK("epoll: an eventfd write is an edge", wait0(ep, &ev) == 1 && ev.events == EPOLLIN);
	CHECK("edge-triggered: once", wait0(ep, &ev) == 0);
	write(e, &v, 8);
	CHECK("another write another edge", wait0(ep, &ev) == 1);
	close(ep);
	close(e);
	CHECK("eventfd(2) as a syscall",
	      (e = (int)syscall(SYS_eventfd, 1)) >= 0 && read(e, &v, 8) == 8 && v == 1);
	close(e);
}

int main(void)
{
	check_area = "epoll";
	check_ctl();
	check_triggers();
	check_many();
	check_waiting();
	check_exclusive();
	check_eventfd();
	return check_failures ? 1 : 0;
}
