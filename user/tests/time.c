// SPDX-License-Identifier: MIT
/*
 * Guest test: time — every clock through the raw syscall and through
 * libc (which may use the vDSO), resolutions, sleeps (relative and
 * absolute), gettimeofday/time/times, CPU-time accounting for self and
 * children, POSIX timers, and the EINVAL/EFAULT edges. Raw syscalls are
 * used wherever a libc could answer without asking the kernel.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "util.h"

#define NS 1000000000L
#define BAD_PTR ((void *)16)

static long ts_ns(const struct timespec *ts)
{
	return ts->tv_sec * NS + ts->tv_nsec;
}

static long raw_now(clockid_t clk)
{
	struct timespec ts = {-1, -1};
	if (syscall(SYS_clock_gettime, clk, &ts) != 0)
		return -1;
	return ts_ns(&ts);
}

static long now(clockid_t clk)
{
	struct timespec ts = {-1, -1};
	if (clock_gettime(clk, &ts) != 0)
		return -1;
	return ts_ns(&ts);
}

static int valid(const struct timespec *ts)
{
	return ts->tv_sec >= 0 && ts->tv_nsec >= 0 && ts->tv_nsec < NS;
}

static void spin_cpu_ms(long ms)
{
	long start = now(CLOCK_THREAD_CPUTIME_ID);
	while (now(CLOCK_THREAD_CPUTIME_ID) - start < ms * 1000000L)
		;
}

static void test_clocks(void)
{
	static const struct {
		clockid_t id;
		const char *name;
	} clocks[] = {
		{CLOCK_REALTIME, "CLOCK_REALTIME"},
		{CLOCK_MONOTONIC, "CLOCK_MONOTONIC"},
		{CLOCK_MONOTONIC_RAW, "CLOCK_MONOTONIC_RAW"},
		{CLOCK_BOOTTIME, "CLOCK_BOOTTIME"},
		{CLOCK_REALTIME_COARSE, "CLOCK_REALTIME_COARSE"},
		{CLOCK_MONOTONIC_COARSE, "CLOCK_MONOTONIC_COARSE"},
		{CLOCK_PROCESS_CPUTIME_ID, "CLOCK_PROCESS_CPUTIME_ID"},
		{CLOCK_THREAD_CPUTIME_ID, "CLOCK_THREAD_CPUTIME_ID"},
		{CLOCK_TAI, "CLOCK_TAI"},
	};
	char name[96];

	for (size_t i = 0; i < sizeof(clocks) / sizeof(clocks[0]); i++) {
		struct timespec a = {-1, -1}, b = {-1, -1};
		int r1 = (int)syscall(SYS_clock_gettime, clocks[i].id, &a);
		int r2 = clock_gettime(clocks[i].id, &b);
		snprintf(name, sizeof(name), "clock_gettime(%s) works, raw and via libc",
			 clocks[i].name);
		CHECK(name, r1 == 0 && r2 == 0 && valid(&a) && valid(&b));
	}

	CHECK("CLOCK_REALTIME is after 2020", now(CLOCK_REALTIME) / NS > 1577836800L);
	int monotonic = 1;
	long prev = now(CLOCK_MONOTONIC);
	for (int i = 0; i < 2000; i++) {
		long t = (i & 1) ? raw_now(CLOCK_MONOTONIC) : now(CLOCK_MONOTONIC);
		if (t < prev)
			monotonic = 0;
		prev = t;
	}
	CHECK("CLOCK_MONOTONIC never goes backwards (raw and libc interleaved)", monotonic);
	long mono = now(CLOCK_MONOTONIC);
	long boot = now(CLOCK_BOOTTIME);
	long mraw = now(CLOCK_MONOTONIC_RAW);
	CHECK("CLOCK_BOOTTIME is at least CLOCK_MONOTONIC", boot >= mono);
	CHECK("CLOCK_MONOTONIC_RAW is within a second of CLOCK_MONOTONIC", labs(mraw - mono) < NS);
	long before = now(CLOCK_MONOTONIC);
	long coarse = now(CLOCK_MONOTONIC_COARSE);
	long after = now(CLOCK_MONOTONIC);
	CHECK("CLOCK_MONOTONIC_COARSE lags CLOCK_MONOTONIC by less than 200 ms",
	      coarse <= after && before - coarse < 200000000L);
	before = now(CLOCK_REALTIME);
	coarse = now(CLOCK_REALTIME_COARSE);
	after = now(CLOCK_REALTIME);
	CHECK("CLOCK_REALTIME_COARSE lags CLOCK_REALTIME by less than 200 ms",
	      coarse <= after && before - coarse < 200000000L);
	CHECK("CLOCK_TAI is within a second of CLOCK_REALTIME",
	      labs(now(CLOCK_TAI) - now(CLOCK_REALTIME)) < NS);

	struct timespec res;
	static const clockid_t fine[] = {CLOCK_REALTIME,	   CLOCK_MONOTONIC,
					 CLOCK_MONOTONIC_RAW,	   CLOCK_BOOTTIME,
					 CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID};
	int ok = 1;
	for (size_t i = 0; i < sizeof(fine) / sizeof(fine[0]); i++) {
		res.tv_sec = res.tv_nsec = -1;
		if (syscall(SYS_clock_getres, fine[i], &res) != 0 || res.tv_sec != 0 ||
		    res.tv_nsec != 1)
			ok = 0;
	}
	CHECK("clock_getres is 1 ns for the high-resolution and CPU-time clocks", ok);
	res.tv_sec = res.tv_nsec = -1;
	CHECK("clock_getres of CLOCK_MONOTONIC_COARSE is one tick (1-10 ms)",
	      syscall(SYS_clock_getres, CLOCK_MONOTONIC_COARSE, &res) == 0 && res.tv_sec == 0 &&
		      res.tv_nsec >= 1000000 && res.tv_nsec <= 10000000);
	CHECK("clock_getres with a NULL result succeeds",
	      syscall(SYS_clock_getres, CLOCK_MONOTONIC, NULL) == 0);
	CHECK_ERRNO("clock_gettime of an unknown clock is EINVAL",
		    syscall(SYS_clock_gettime, 100, &res), EINVAL);
	CHECK_ERRNO("clock_getres of an unknown clock is EINVAL",
		    syscall(SYS_clock_getres, 100, &res), EINVAL);
	CHECK_ERRNO("clock_gettime into a bad pointer is EFAULT",
		    syscall(SYS_clock_gettime, CLOCK_MONOTONIC, BAD_PTR), EFAULT);
	CHECK_ERRNO("clock_getres into a bad pointer is EFAULT",
		    syscall(SYS_clock_getres, CLOCK_MONOTONIC, BAD_PTR), EFAULT);
	res.tv_sec = now(CLOCK_MONOTONIC) / NS;
	res.tv_nsec = 0;
	CHECK_ERRNO("clock_settime of CLOCK_MONOTONIC is EINVAL",
		    syscall(SYS_clock_settime, CLOCK_MONOTONIC, &res), EINVAL);
}

static void test_cpu_clocks(void)
{
	long p0 = now(CLOCK_PROCESS_CPUTIME_ID);
	long t0 = now(CLOCK_THREAD_CPUTIME_ID);
	long w0 = now(CLOCK_MONOTONIC);
	spin_cpu_ms(30);
	long p1 = now(CLOCK_PROCESS_CPUTIME_ID);
	long t1 = now(CLOCK_THREAD_CPUTIME_ID);
	long w1 = now(CLOCK_MONOTONIC);
	CHECK("CPU-time clocks grow while spinning", p1 - p0 >= 30000000L && t1 - t0 >= 30000000L);
	CHECK("a single thread's CPU time does not outrun the wall clock",
	      t1 - t0 <= w1 - w0 + 1000000L);
	long t2 = now(CLOCK_THREAD_CPUTIME_ID);
	CHECK("thread CPU time is at most process CPU time read after it",
	      t2 <= now(CLOCK_PROCESS_CPUTIME_ID));
	struct timespec sl = {0, 50000000};
	nanosleep(&sl, NULL);
	CHECK("sleeping 50 ms costs less than 10 ms of CPU time",
	      now(CLOCK_PROCESS_CPUTIME_ID) - p1 < 10000000L);

	clockid_t cid;
	pid_t pid = fork();
	if (pid == 0) {
		spin_cpu_ms(20);
		pause();
		_exit(0);
	}
	struct timespec ts = {-1, -1};
	int r = clock_getcpuclockid(pid, &cid);
	CHECK("another process's CPU clock can be read",
	      r == 0 && syscall(SYS_clock_gettime, cid, &ts) == 0 && valid(&ts));
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	CHECK_ERRNO("the CPU clock of a reaped process is EINVAL",
		    syscall(SYS_clock_gettime, cid, &ts), EINVAL);
}

static void test_sleep(void)
{
	struct timespec ts = {0, 20000000};
	long t0 = now(CLOCK_MONOTONIC);
	CHECK("nanosleep of 20 ms returns 0", nanosleep(&ts, NULL) == 0);
	CHECK("nanosleep slept at least 20 ms", now(CLOCK_MONOTONIC) - t0 >= 20000000L);
	ts.tv_nsec = 0;
	CHECK("nanosleep of zero returns 0 at once", nanosleep(&ts, NULL) == 0);
	ts.tv_nsec = NS;
	CHECK_ERRNO("nanosleep with tv_nsec 1e9 is EINVAL", nanosleep(&ts, NULL), EINVAL);
	ts.tv_nsec = -1;
	CHECK_ERRNO("nanosleep with a negative tv_nsec is EINVAL", nanosleep(&ts, NULL), EINVAL);
	ts.tv_sec = -1;
	ts.tv_nsec = 0;
	CHECK_ERRNO("nanosleep with a negative tv_sec is EINVAL", nanosleep(&ts, NULL), EINVAL);
	CHECK_ERRNO("nanosleep from a bad pointer is EFAULT", syscall(SYS_nanosleep, BAD_PTR, NULL),
		    EFAULT);

	struct timespec deadline;
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_nsec += 20000000;
	if (deadline.tv_nsec >= NS) {
		deadline.tv_sec++;
		deadline.tv_nsec -= NS;
	}
	CHECK("clock_nanosleep TIMER_ABSTIME on CLOCK_MONOTONIC returns 0",
	      syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, NULL) == 0);
	CHECK("it returns no earlier than the deadline", now(CLOCK_MONOTONIC) >= ts_ns(&deadline));
	t0 = now(CLOCK_MONOTONIC);
	deadline.tv_sec -= 1;
	CHECK("an absolute deadline in the past returns at once",
	      syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, NULL) == 0 &&
		      now(CLOCK_MONOTONIC) - t0 < 100000000L);
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_nsec = deadline.tv_nsec >= 990000000 ? 999999999 : deadline.tv_nsec + 10000000;
	CHECK("clock_nanosleep TIMER_ABSTIME on CLOCK_REALTIME returns 0",
	      syscall(SYS_clock_nanosleep, CLOCK_REALTIME, TIMER_ABSTIME, &deadline, NULL) == 0 &&
		      now(CLOCK_REALTIME) >= ts_ns(&deadline));
	ts.tv_sec = 0;
	ts.tv_nsec = 10000000;
	t0 = now(CLOCK_MONOTONIC);
	CHECK("relative clock_nanosleep on CLOCK_BOOTTIME sleeps",
	      syscall(SYS_clock_nanosleep, CLOCK_BOOTTIME, 0, &ts, NULL) == 0 &&
		      now(CLOCK_MONOTONIC) - t0 >= 10000000L);
	/* ABI: the man page says EINVAL; Linux has no nsleep for these clocks. */
	CHECK_ERRNO("clock_nanosleep on CLOCK_THREAD_CPUTIME_ID is EOPNOTSUPP",
		    syscall(SYS_clock_nanosleep, CLOCK_THREAD_CPUTIME_ID, 0, &ts, NULL),
		    EOPNOTSUPP);
	CHECK_ERRNO("clock_nanosleep on an unknown clock is EINVAL",
		    syscall(SYS_clock_nanosleep, 100, 0, &ts, NULL), EINVAL);
	CHECK_ERRNO("clock_nanosleep on CLOCK_MONOTONIC_RAW is EOPNOTSUPP",
		    syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC_RAW, 0, &ts, NULL), EOPNOTSUPP);
	ts.tv_nsec = NS;
	CHECK_ERRNO("clock_nanosleep with tv_nsec 1e9 is EINVAL",
		    syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &ts, NULL), EINVAL);
	CHECK_ERRNO("clock_nanosleep from a bad pointer is EFAULT",
		    syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, BAD_PTR, NULL), EFAULT);
}

/* 0 if a 400 ms sleep, stopped and continued, ends by its first deadline (1: late, 2: error). */
static int sleep_400ms(int (*sleep_fn)(const struct timespec *ts))
{
	struct timespec ts = {0, 400000000};
	int64_t t0 = now_ms();

	if (sleep_fn(&ts) != 0)
		return 2;
	int64_t took = now_ms() - t0;
	return took >= 400 && took < 600 ? 0 : 1;
}

static int nanosleep_fn(const struct timespec *ts)
{
	return nanosleep(ts, NULL);
}

static int clock_nanosleep_fn(const struct timespec *ts)
{
	return (int)syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, ts, NULL);
}

static int nanosleep_400ms(void)
{
	return sleep_400ms(nanosleep_fn);
}

static int clock_nanosleep_400ms(void)
{
	return sleep_400ms(clock_nanosleep_fn);
}

/* ABI: a stop interrupts a sleep; after SIGCONT restart_syscall goes on to the same end. */
static void test_sleep_restart(void)
{
	CHECK("a nanosleep stopped for 250 ms still ends after 400 ms",
	      run_stopped_midway(nanosleep_400ms, 100, 250) == 0);
	CHECK("so does a relative clock_nanosleep",
	      run_stopped_midway(clock_nanosleep_400ms, 100, 250) == 0);
	CHECK_ERRNO("restart_syscall with nothing to restart is EINTR",
		    syscall(SYS_restart_syscall), EINTR);
}

static void test_wall_clock(void)
{
	struct timeval tv;
	struct timezone tz = {-1, -1};
	long a = raw_now(CLOCK_REALTIME);
	int r = (int)syscall(SYS_gettimeofday, &tv, &tz);
	long b = raw_now(CLOCK_REALTIME);
	long g = tv.tv_sec * NS + tv.tv_usec * 1000L;
	CHECK("gettimeofday lies between two CLOCK_REALTIME reads (to the microsecond)",
	      r == 0 && g >= a - 1000 && g <= b && tv.tv_usec >= 0 && tv.tv_usec < 1000000);
	CHECK("gettimeofday reports timezone 0 and no DST",
	      tz.tz_minuteswest == 0 && tz.tz_dsttime == 0);
	CHECK("gettimeofday with both pointers NULL succeeds",
	      syscall(SYS_gettimeofday, NULL, NULL) == 0);
	CHECK_ERRNO("gettimeofday into a bad pointer is EFAULT",
		    syscall(SYS_gettimeofday, BAD_PTR, NULL), EFAULT);

	/* time() reads the tick-updated seconds, so compare it with the coarse clock. */
	time_t stored = 0;
	a = raw_now(CLOCK_REALTIME_COARSE) / NS;
	long t = syscall(SYS_time, &stored);
	b = raw_now(CLOCK_REALTIME_COARSE) / NS;
	CHECK("time() returns and stores the seconds of CLOCK_REALTIME_COARSE",
	      t >= a && t <= b && stored == t);
	CHECK("libc time() agrees", labs((long)time(NULL) - b) <= 1);
	CHECK_ERRNO("time() into a bad pointer is EFAULT", syscall(SYS_time, BAD_PTR), EFAULT);
}

static int spin_50ms(void)
{
	spin_cpu_ms(50);
	return 0;
}

static long tv_us(const struct timeval *tv)
{
	return tv->tv_sec * 1000000L + tv->tv_usec;
}

static void test_accounting(void)
{
	struct tms t0, t1;
	struct rusage ru0, ru1, rc;

	CHECK("sysconf(_SC_CLK_TCK) is 100", sysconf(_SC_CLK_TCK) == 100);
	long c0 = (long)syscall(SYS_times, &t0);
	getrusage(RUSAGE_SELF, &ru0);
	spin_cpu_ms(50);
	struct timespec sl = {0, 30000000};
	nanosleep(&sl, NULL);
	long c1 = (long)syscall(SYS_times, &t1);
	getrusage(RUSAGE_SELF, &ru1);
	CHECK("times() return value counts clock ticks of elapsed time", c1 - c0 >= 7);
	CHECK("times() user+system time grows by the CPU spent (>= 4 ticks for 50 ms)",
	      (t1.tms_utime + t1.tms_stime) - (t0.tms_utime + t0.tms_stime) >= 4);
	CHECK("getrusage(RUSAGE_SELF) CPU time grows by at least 45 ms",
	      tv_us(&ru1.ru_utime) + tv_us(&ru1.ru_stime) - tv_us(&ru0.ru_utime) -
			      tv_us(&ru0.ru_stime) >=
		      45000);
	CHECK("getrusage reports a non-zero maximum resident set", ru1.ru_maxrss > 0);
	struct rusage rt;
	CHECK("getrusage(RUSAGE_THREAD) of a single thread matches the process within 50 ms",
	      getrusage(RUSAGE_THREAD, &rt) == 0 &&
		      labs(tv_us(&rt.ru_utime) + tv_us(&rt.ru_stime) - tv_us(&ru1.ru_utime) -
			   tv_us(&ru1.ru_stime)) < 50000);

	getrusage(RUSAGE_CHILDREN, &rc);
	long children0 = tv_us(&rc.ru_utime) + tv_us(&rc.ru_stime);
	pid_t pid = fork();
	if (pid == 0)
		_exit(spin_50ms());
	siginfo_t si;
	waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT);
	getrusage(RUSAGE_CHILDREN, &rc);
	CHECK("an exited child that is not yet reaped is not in RUSAGE_CHILDREN",
	      tv_us(&rc.ru_utime) + tv_us(&rc.ru_stime) == children0);
	waitpid(pid, NULL, 0);
	getrusage(RUSAGE_CHILDREN, &rc);
	CHECK("after reaping, RUSAGE_CHILDREN includes its 50 ms",
	      tv_us(&rc.ru_utime) + tv_us(&rc.ru_stime) - children0 >= 45000);
	syscall(SYS_times, &t1);
	CHECK("times() child time includes it too (>= 4 ticks)",
	      t1.tms_cutime + t1.tms_cstime - (t0.tms_cutime + t0.tms_cstime) >= 4);
	CHECK_ERRNO("getrusage with an unknown who is EINVAL", getrusage(42, &rc), EINVAL);
	CHECK_ERRNO("getrusage into a bad pointer is EFAULT",
		    syscall(SYS_getrusage, RUSAGE_SELF, BAD_PTR), EFAULT);
	CHECK_ERRNO("times into a bad pointer is EFAULT", syscall(SYS_times, BAD_PTR), EFAULT);
}

static int kernel_timer_create(clockid_t clk, struct sigevent *sev, int *id)
{
	return (int)syscall(SYS_timer_create, clk, sev, id);
}

static void test_posix_timers(void)
{
	struct sigevent sev;
	int id = -1;
	sigset_t set;
	siginfo_t si;
	struct itimerspec its, cur;
	struct timespec wait = {2, 0};

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = SIGUSR1;
	sev.sigev_value.sival_int = 42;
	CHECK("timer_create(CLOCK_MONOTONIC, SIGEV_SIGNAL) succeeds",
	      kernel_timer_create(CLOCK_MONOTONIC, &sev, &id) == 0 && id >= 0);
	memset(&its, 0, sizeof(its));
	its.it_value.tv_nsec = 30000000;
	syscall(SYS_timer_settime, id, 0, &its, NULL);
	memset(&cur, 0, sizeof(cur));
	syscall(SYS_timer_gettime, id, &cur);
	CHECK("timer_gettime shows the time left", cur.it_value.tv_sec == 0 &&
							   cur.it_value.tv_nsec > 0 &&
							   cur.it_value.tv_nsec <= 30000000);
	memset(&si, 0, sizeof(si));
	CHECK("the timer signal has si_code SI_TIMER and the sigevent's value",
	      sigtimedwait(&set, &si, &wait) == SIGUSR1 && si.si_code == SI_TIMER &&
		      si.si_value.sival_int == 42);
	syscall(SYS_timer_gettime, id, &cur);
	CHECK("an expired one-shot timer reads as disarmed",
	      cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0);

	its.it_value.tv_nsec = 1000000;
	its.it_interval.tv_nsec = 1000000;
	syscall(SYS_timer_settime, id, 0, &its, NULL);
	struct timespec sl = {0, 60000000};
	nanosleep(&sl, NULL);
	memset(&si, 0, sizeof(si));
	int got = sigtimedwait(&set, &si, &wait);
	int overrun = (int)syscall(SYS_timer_getoverrun, id);
	CHECK("a 1 ms periodic timer left pending for 60 ms reports overruns",
	      got == SIGUSR1 && si.si_overrun >= 10 && overrun == si.si_overrun);
	memset(&its, 0, sizeof(its));
	syscall(SYS_timer_settime, id, 0, &its, NULL);
	struct timespec zero = {0, 0};
	while (sigtimedwait(&set, &si, &zero) == SIGUSR1)
		;

	clock_gettime(CLOCK_MONOTONIC, &its.it_value);
	its.it_value.tv_sec += 100;
	CHECK("TIMER_ABSTIME arms the timer for an absolute time",
	      syscall(SYS_timer_settime, id, TIMER_ABSTIME, &its, NULL) == 0 &&
		      syscall(SYS_timer_gettime, id, &cur) == 0 && cur.it_value.tv_sec >= 98 &&
		      cur.it_value.tv_sec <= 100);
	CHECK("timer_delete succeeds", syscall(SYS_timer_delete, id) == 0);
	CHECK_ERRNO("timer_settime of a deleted timer is EINVAL",
		    syscall(SYS_timer_settime, id, 0, &its, NULL), EINVAL);
	CHECK_ERRNO("timer_create on an unknown clock is EINVAL",
		    kernel_timer_create(100, &sev, &id), EINVAL);
	sev.sigev_signo = 65;
	CHECK_ERRNO("timer_create with an invalid signal is EINVAL",
		    kernel_timer_create(CLOCK_MONOTONIC, &sev, &id), EINVAL);

	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_NONE;
	kernel_timer_create(CLOCK_MONOTONIC, &sev, &id);
	memset(&its, 0, sizeof(its));
	its.it_value.tv_nsec = 20000000;
	syscall(SYS_timer_settime, id, 0, &its, NULL);
	nanosleep(&its.it_value, NULL);
	nanosleep(&its.it_value, NULL);
	syscall(SYS_timer_gettime, id, &cur);
	CHECK("a SIGEV_NONE timer expires silently", sigtimedwait(&set, &si, &zero) == -1 &&
							     cur.it_value.tv_sec == 0 &&
							     cur.it_value.tv_nsec == 0);
	syscall(SYS_timer_delete, id);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

int main(void)
{
	check_area = "time";
	alarm(60);
	test_clocks();
	test_cpu_clocks();
	test_sleep();
	test_sleep_restart();
	test_wall_clock();
	test_accounting();
	test_posix_timers();
	return check_failures ? 1 : 0;
}
