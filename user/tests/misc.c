// SPDX-License-Identifier: MIT
/* Guest test: clocks, sleeping, credentials, process groups and system information. */
#define _GNU_SOURCE
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

static int64_t ts_ns(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * 1000000000 + ts->tv_nsec;
}

static void on_alarm(int sig)
{
	(void)sig;
}

static void check_time(void)
{
	struct timespec a, b, res;
	CHECK("clock_gettime MONOTONIC", syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &a) == 0);
	CHECK("clock_gettime REALTIME after 2020",
	      syscall(SYS_clock_gettime, CLOCK_REALTIME, &b) == 0 && b.tv_sec > 1577836800);
	CHECK_ERRNO("clock_gettime bad id is EINVAL", syscall(SYS_clock_gettime, 1000, &a), EINVAL);
	CHECK_ERRNO("clock_gettime bad pointer is EFAULT",
		    syscall(SYS_clock_gettime, CLOCK_MONOTONIC, (void *)8), EFAULT);
	CHECK("clock_getres MONOTONIC is 1 ns",
	      syscall(SYS_clock_getres, CLOCK_MONOTONIC, &res) == 0 && res.tv_sec == 0 &&
		      res.tv_nsec == 1);
	CHECK("clock_getres PROCESS_CPUTIME_ID works",
	      syscall(SYS_clock_getres, CLOCK_PROCESS_CPUTIME_ID, &res) == 0);
	CHECK("clock_gettime THREAD_CPUTIME_ID works",
	      syscall(SYS_clock_gettime, CLOCK_THREAD_CPUTIME_ID, &res) == 0);
	struct timespec req = {0, 20000000};
	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &a);
	CHECK("nanosleep 20 ms", syscall(SYS_nanosleep, &req, NULL) == 0);
	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &b);
	CHECK("nanosleep slept at least 20 ms", ts_ns(&b) - ts_ns(&a) >= 20000000);
	struct timespec bad = {0, 1000000000};
	CHECK_ERRNO("nanosleep tv_nsec 1e9 is EINVAL", syscall(SYS_nanosleep, &bad, NULL), EINVAL);
	bad.tv_sec = -1;
	bad.tv_nsec = 0;
	CHECK_ERRNO("nanosleep negative is EINVAL", syscall(SYS_nanosleep, &bad, NULL), EINVAL);
	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &a);
	a.tv_nsec += 10000000;
	if (a.tv_nsec >= 1000000000) {
		a.tv_sec++;
		a.tv_nsec -= 1000000000;
	}
	CHECK("clock_nanosleep TIMER_ABSTIME",
	      syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, TIMER_ABSTIME, &a, NULL) == 0);
	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &b);
	CHECK("clock_nanosleep TIMER_ABSTIME reached the deadline", ts_ns(&b) >= ts_ns(&a));

	struct sigaction sa = {0};
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval it = {{0, 0}, {0, 20000}};
	setitimer(ITIMER_REAL, &it, NULL);
	struct timespec longreq = {5, 0}, rem = {0, 0};
	errno = 0;
	long r = syscall(SYS_nanosleep, &longreq, &rem);
	CHECK("nanosleep interrupted is EINTR", r == -1 && errno == EINTR);
	CHECK("nanosleep writes the remaining time", rem.tv_sec >= 4 && rem.tv_sec <= 5);

	struct timeval tv;
	struct timezone tz = {1, 1};
	CHECK("gettimeofday", syscall(SYS_gettimeofday, &tv, &tz) == 0 && tv.tv_sec > 1577836800 &&
				      tz.tz_minuteswest == 0 && tz.tz_dsttime == 0);
	time_t t = 0;
	CHECK("time", syscall(SYS_time, &t) == t && t > 1577836800);
	struct tms tm;
	CHECK("times returns ticks", syscall(SYS_times, &tm) >= 0);
	struct rusage ru;
	CHECK("getrusage SELF", getrusage(RUSAGE_SELF, &ru) == 0);
	CHECK_ERRNO("getrusage bad who is EINVAL", syscall(SYS_getrusage, 5, &ru), EINVAL);
}

static char log_buf[1 << 18];

/* Every line of what syslog handed out starts "<level>[": Linux's record format. */
static int log_lines_ok(const char *p, long n)
{
	int lines = 0;

	for (long i = 0; i < n; lines++) {
		if (n - i < 4 || p[i] != '<' || p[i + 1] < '0' || p[i + 1] > '7' ||
		    p[i + 2] != '>' || p[i + 3] != '[')
			return 0;
		while (i < n && p[i] != '\n')
			i++;
		i++;
	}
	return lines;
}

/* syslog(2), the klogctl behind dmesg (run as root). */
static void check_syslog(void)
{
	long size = syscall(SYS_syslog, 10, NULL, 0);
	CHECK("syslog SIZE_BUFFER is the ring's size", size > 0 && size <= (long)sizeof(log_buf));
	long n = syscall(SYS_syslog, 3, log_buf, (int)sizeof(log_buf));
	CHECK("syslog READ_ALL hands out the boot messages", n > 0 && n <= size);
	CHECK("each line is <level>[time] text", log_lines_ok(log_buf, n) > 0);
	/* The newest message fits in 4000 bytes on both kernels. */
	long m = syscall(SYS_syslog, 3, log_buf, 4000);
	CHECK("a short READ_ALL gives the newest whole lines",
	      m > 0 && m <= 4000 && log_lines_ok(log_buf, m) > 0 && log_buf[m - 1] == '\n');
	CHECK("syslog READ_ALL of 0 bytes is 0", syscall(SYS_syslog, 3, log_buf, 0) == 0);
	CHECK_ERRNO("syslog READ_ALL into NULL is EINVAL", syscall(SYS_syslog, 3, NULL, 0), EINVAL);
	CHECK_ERRNO("syslog READ_ALL of a negative length is EINVAL",
		    syscall(SYS_syslog, 3, log_buf, -1), EINVAL);
	CHECK_ERRNO("syslog READ_ALL into a bad pointer is EFAULT",
		    syscall(SYS_syslog, 3, (void *)8, 4096), EFAULT);
	CHECK_ERRNO("syslog CONSOLE_LEVEL 0 is EINVAL", syscall(SYS_syslog, 8, NULL, 0), EINVAL);
	CHECK_ERRNO("syslog CONSOLE_LEVEL 9 is EINVAL", syscall(SYS_syslog, 8, NULL, 9), EINVAL);
	CHECK_ERRNO("an unknown syslog action is EINVAL", syscall(SYS_syslog, 11, NULL, 0), EINVAL);
	CHECK("syslog OPEN and CLOSE do nothing",
	      syscall(SYS_syslog, 1, NULL, 0) == 0 && syscall(SYS_syslog, 0, NULL, 0) == 0);
	long unread = syscall(SYS_syslog, 9, NULL, 0);
	CHECK("syslog SIZE_UNREAD counts what READ has not taken", unread > 0 && unread <= size);
	long got = syscall(SYS_syslog, 2, log_buf, 10);
	CHECK("syslog READ takes unread bytes", got == 10);
	CHECK("and SIZE_UNREAD drops by as much", syscall(SYS_syslog, 9, NULL, 0) <= unread - 10);
}

static void check_cred_child(void)
{
	gid_t g = 1000;
	CHECK("setgroups as root", setgroups(1, &g) == 0);
	CHECK("getgroups size 0 counts", getgroups(0, NULL) == 1);
	CHECK("setresgid as root", setresgid(1000, 1000, 1000) == 0);
	CHECK("setresuid as root", setresuid(1000, 1001, 0) == 0);
	uid_t r, e, s;
	CHECK("getresuid", getresuid(&r, &e, &s) == 0 && r == 1000 && e == 1001 && s == 0);
	CHECK("seteuid back to the saved uid", setresuid(-1, 0, -1) == 0 && geteuid() == 0);
	CHECK("setuid as root sets all",
	      setuid(1000) == 0 && getuid() == 1000 && geteuid() == 1000);
	CHECK_ERRNO("setuid to a foreign uid is EPERM", setuid(0), EPERM);
	CHECK_ERRNO("setgroups unprivileged is EPERM", setgroups(1, &g), EPERM);
	CHECK_ERRNO("setreuid to a foreign uid is EPERM", setreuid(-1, 5), EPERM);
	CHECK("setfsuid returns the old fsuid", syscall(SYS_setfsuid, -1) == 1000);
	CHECK_ERRNO("sethostname unprivileged is EPERM", sethostname("x", 1), EPERM);
	/* ABI: dmesg_restrict (on in Debian's kernels, always in Tern): every action needs CAP_SYSLOG. */
	CHECK_ERRNO("syslog SIZE_BUFFER unprivileged is EPERM", syscall(SYS_syslog, 10, NULL, 0),
		    EPERM);
	CHECK_ERRNO("syslog READ_ALL unprivileged is EPERM", syscall(SYS_syslog, 3, log_buf, 64),
		    EPERM);
	struct rlimit rl;
	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_max = rl.rlim_max == RLIM_INFINITY ? rl.rlim_max : rl.rlim_max + 1;
	if (rl.rlim_max != RLIM_INFINITY)
		CHECK_ERRNO("raising the hard limit unprivileged is EPERM",
			    setrlimit(RLIMIT_NOFILE, &rl), EPERM);
	_exit(check_failures ? 1 : 0);
}

static void check_cred(void)
{
	int status = -1;
	CHECK("umask returns the old mask", (umask(022), umask(077) == 022));
	if (getuid() != 0)
		return;
	pid_t pid = fork();
	if (pid == 0)
		check_cred_child();
	CHECK("credential checks in a child", waitpid(pid, &status, 0) == pid && status == 0);
}

static void check_pgrp(void)
{
	int status = -1;
	CHECK("getpgid(0) is getpgrp", getpgid(0) == getpgrp());
	/* Linux's pid 1 starts in session 0 and group 0; its children inherit them. */
	CHECK("getsid(0) is the session of the caller",
	      getsid(0) >= 0 && getsid(0) == getsid(getpid()));
	CHECK_ERRNO("getpgid of a missing pid is ESRCH", getpgid(30000), ESRCH);
	CHECK_ERRNO("setpgid negative pgid is EINVAL", setpgid(0, -1), EINVAL);
	pid_t pid = fork();
	if (pid == 0) {
		int ok = setsid() == getpid() && getsid(0) == getpid() && getpgrp() == getpid();
		int again = setsid() == -1 && errno == EPERM;
		int leader = setpgid(0, 0) == -1 && errno == EPERM;
		_exit(ok && again && leader ? 0 : 1);
	}
	CHECK("setsid in a child", waitpid(pid, &status, 0) == pid && status == 0);
	pid = fork();
	if (pid == 0) {
		pause();
		_exit(0);
	}
	CHECK("setpgid of a child", setpgid(pid, pid) == 0 && getpgid(pid) == pid);
	if (getpid() != 1) /* pid 1 is a session leader: EPERM first */
		CHECK_ERRNO("setpgid of a non-child is ESRCH", setpgid(1, 1), ESRCH);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
}

static void check_info(void)
{
	struct utsname u;
	CHECK("uname", uname(&u) == 0 && strcmp(u.sysname, "Linux") == 0 &&
			       strcmp(u.machine, "x86_64") == 0);
	struct sysinfo si;
	CHECK("sysinfo", sysinfo(&si) == 0 && si.totalram > 0 && si.procs > 0);
	unsigned char buf[600];
	CHECK("getrandom", syscall(SYS_getrandom, buf, sizeof(buf), 0) == sizeof(buf));
	CHECK_ERRNO("getrandom bad flags is EINVAL", syscall(SYS_getrandom, buf, 8, 0x100), EINVAL);
	struct rlimit rl;
	CHECK("getrlimit", getrlimit(RLIMIT_STACK, &rl) == 0);
	CHECK_ERRNO("getrlimit bad resource is EINVAL", syscall(SYS_getrlimit, 100, &rl), EINVAL);
	struct rlimit bad = {2, 1};
	CHECK_ERRNO("setrlimit soft > hard is EINVAL", setrlimit(RLIMIT_CORE, &bad), EINVAL);
	CHECK("prlimit64 reads", syscall(SYS_prlimit64, 0, RLIMIT_STACK, NULL, &rl) == 0);
	char name[16] = {0};
	CHECK("PR_SET_NAME", prctl(PR_SET_NAME, "tern-misc-test-long") == 0);
	CHECK("PR_GET_NAME truncates to 15",
	      prctl(PR_GET_NAME, name) == 0 && strcmp(name, "tern-misc-test-") == 0);
	int sig = -1;
	CHECK("PR_SET_PDEATHSIG", prctl(PR_SET_PDEATHSIG, SIGTERM) == 0 &&
					  prctl(PR_GET_PDEATHSIG, &sig) == 0 && sig == SIGTERM);
	CHECK_ERRNO("PR_SET_PDEATHSIG bad signal is EINVAL", prctl(PR_SET_PDEATHSIG, 1000), EINVAL);
	prctl(PR_SET_PDEATHSIG, 0);
	CHECK("PR_GET_DUMPABLE", prctl(PR_GET_DUMPABLE) == 1);
	CHECK("sched_yield", sched_yield() == 0);
	unsigned long mask = 0;
	CHECK("sched_getaffinity includes CPU 0",
	      syscall(SYS_sched_getaffinity, 0, sizeof(mask), &mask) == sizeof(mask) && (mask & 1));
	CHECK_ERRNO("sched_getaffinity odd size is EINVAL",
		    syscall(SYS_sched_getaffinity, 0, 4, &mask), EINVAL);
	mask = 1;
	CHECK("sched_setaffinity CPU 0",
	      syscall(SYS_sched_setaffinity, 0, sizeof(mask), &mask) == 0);
	unsigned cpu = 9, node = 9;
	CHECK("getcpu", syscall(SYS_getcpu, &cpu, &node, NULL) == 0 && cpu == 0 && node == 0);
	CHECK("sched_getscheduler is SCHED_OTHER",
	      syscall(SYS_sched_getscheduler, 0) == SCHED_OTHER);
}

int main(void)
{
	check_area = "misc";
	check_time();
	check_cred();
	if (getuid() == 0)
		check_syslog();
	check_pgrp();
	check_info();
	return check_failures ? 1 : 0;
}
