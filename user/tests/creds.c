// SPDX-License-Identifier: MIT
/*
 * Guest test: credentials and per-process limits — uid/gid families,
 * supplementary groups, capabilities, what an unprivileged process may
 * not do (set ids, signal root, raise limits, rename the host), rlimits
 * and their enforcement on file descriptors and processes, uname,
 * sysinfo, getrandom, umask, priorities and scheduling policies.
 * Children that drop privileges report a bitmask of failed checks as
 * their exit status: bit i set means check i failed.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/fsuid.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/capability.h>

#include "check.h"
#include "util.h"

#define USER 1000
#define BAD_PTR ((void *)16)
#define GRND_NONBLOCK_FLAG 0x0001
#define GRND_RANDOM_FLAG 0x0002
#define GRND_INSECURE_FLAG 0x0004

static pid_t test_pid;

/* Runs body in a child; returns its bitmask of failed checks (all set if it died). */
static int child_failures(int (*body)(void))
{
	int status = 0;
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0)
		_exit(body());
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return 0xff;
	return WEXITSTATUS(status);
}

static int drop_to_user(void)
{
	return setgroups(0, NULL) == 0 && setresgid(USER, USER, USER) == 0 &&
	       setresuid(USER, USER, USER) == 0;
}

static int fails_with(long r, int e)
{
	return r == -1 && errno == e;
}

struct caps {
	struct __user_cap_header_struct hdr;
	struct __user_cap_data_struct data[2];
};

static int get_caps(struct caps *c)
{
	memset(c, 0, sizeof(*c));
	c->hdr.version = _LINUX_CAPABILITY_VERSION_3;
	return (int)syscall(SYS_capget, &c->hdr, c->data);
}

static int has_cap(const struct caps *c, int cap)
{
	return (c->data[cap / 32].effective >> (cap % 32)) & 1;
}

static void test_ids(void)
{
	uid_t r, e, s;
	gid_t gr, ge, gs;
	gid_t groups[8];

	CHECK("getuid, geteuid, getgid, getegid are 0 at start",
	      getuid() == 0 && geteuid() == 0 && getgid() == 0 && getegid() == 0);
	CHECK("getresuid and getresgid are all 0",
	      getresuid(&r, &e, &s) == 0 && r == 0 && e == 0 && s == 0 &&
		      getresgid(&gr, &ge, &gs) == 0 && gr == 0 && ge == 0 && gs == 0);
	CHECK("no supplementary groups at start", getgroups(0, NULL) == 0);
	gid_t set[3] = {7, 5, 6};
	CHECK("setgroups of three groups", setgroups(3, set) == 0);
	CHECK("getgroups(0, NULL) returns the count", getgroups(0, NULL) == 3);
	memset(groups, 0, sizeof(groups));
	CHECK("getgroups returns them sorted",
	      getgroups(8, groups) == 3 && groups[0] == 5 && groups[1] == 6 && groups[2] == 7);
	CHECK_ERRNO("getgroups into a too-small array is EINVAL", getgroups(1, groups), EINVAL);
	CHECK_ERRNO("setgroups of more than NGROUPS_MAX (65536) is EINVAL",
		    syscall(SYS_setgroups, 65537, set), EINVAL);
	CHECK_ERRNO("setgroups from a bad pointer is EFAULT", syscall(SYS_setgroups, 2, BAD_PTR),
		    EFAULT);
	CHECK("setgroups(0) clears the list", setgroups(0, NULL) == 0 && getgroups(0, NULL) == 0);

	struct caps c;
	CHECK("root has CAP_SETUID, CAP_KILL, CAP_SYS_ADMIN and CAP_SYS_NICE in effect",
	      get_caps(&c) == 0 && has_cap(&c, CAP_SETUID) && has_cap(&c, CAP_KILL) &&
		      has_cap(&c, CAP_SYS_ADMIN) && has_cap(&c, CAP_SYS_NICE));
	struct __user_cap_header_struct hdr = {0x12345678, 0};
	struct __user_cap_data_struct data[2];
	CHECK("capget with an unknown version is EINVAL and reports version 3",
	      fails_with(syscall(SYS_capget, &hdr, data), EINVAL) &&
		      hdr.version == _LINUX_CAPABILITY_VERSION_3);
	CHECK("PR_GET_DUMPABLE is 1 for an ordinary root process",
	      prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 1);
}

static int unprivileged(void)
{
	int f = 0;
	uid_t r, e, s;
	struct caps c;

	if (!drop_to_user())
		return 0xff;
	if (getresuid(&r, &e, &s) != 0 || r != USER || e != USER || s != USER || getgid() != USER ||
	    getegid() != USER)
		f |= 1;
	if (!fails_with(setuid(0), EPERM) || !fails_with(setgid(0), EPERM))
		f |= 2;
	if (!fails_with(setgroups(0, NULL), EPERM))
		f |= 4;
	if (!fails_with(kill(test_pid, 0), EPERM) || !fails_with(kill(1, SIGTERM), EPERM))
		f |= 8;
	if (kill(test_pid, SIGCONT) != 0)
		f |= 16;
	if (get_caps(&c) != 0 || c.data[0].effective != 0 || c.data[0].permitted != 0 ||
	    c.data[1].effective != 0)
		f |= 32;
	if (prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) != 0)
		f |= 64;
	if (!fails_with(sethostname("x", 1), EPERM) || !fails_with(setdomainname("x", 1), EPERM))
		f |= 128;
	return f;
}

static int unprivileged_limits(void)
{
	int f = 0;
	struct rlimit rl;

	if (!drop_to_user())
		return 0xff;
	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_max += 1;
	if (!fails_with(setrlimit(RLIMIT_NOFILE, &rl), EPERM))
		f |= 1;
	rl.rlim_max -= 2;
	if (rl.rlim_cur > rl.rlim_max)
		rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
		f |= 2;
	rl.rlim_max += 1;
	if (!fails_with(setrlimit(RLIMIT_NOFILE, &rl), EPERM))
		f |= 4;
	errno = 0;
	if (setpriority(PRIO_PROCESS, 0, 5) != 0 || getpriority(PRIO_PROCESS, 0) != 5)
		f |= 8;
	if (!fails_with(setpriority(PRIO_PROCESS, 0, 0), EACCES))
		f |= 16;
	struct sched_param sp = {.sched_priority = 10};
	if (!fails_with(syscall(SYS_sched_setscheduler, 0, SCHED_FIFO, &sp), EPERM))
		f |= 32;
	struct timespec ts = {1700000000, 0};
	if (!fails_with(clock_settime(CLOCK_REALTIME, &ts), EPERM))
		f |= 64;
	rl.rlim_cur = rl.rlim_max = 1;
	setrlimit(RLIMIT_NPROC, &rl);
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	if (pid > 0) {
		waitpid(pid, NULL, 0);
		f |= 128;
	} else if (errno != EAGAIN) {
		f |= 128;
	}
	return f;
}

static int id_juggling(void)
{
	int f = 0;
	uid_t r, e, s;

	if (setresuid((uid_t)-1, USER, (uid_t)-1) != 0 || getresuid(&r, &e, &s) != 0 || r != 0 ||
	    e != USER || s != 0)
		f |= 1;
	if (seteuid(0) != 0 || geteuid() != 0)
		f |= 2;
	if (setreuid(USER, (uid_t)-1) != 0 || getresuid(&r, &e, &s) != 0 || r != USER || e != 0 ||
	    s != 0)
		f |= 4;
	if (setresuid(0, 0, 0) != 0 || setfsuid(USER) != 0 || setfsuid((uid_t)-1) != USER)
		f |= 8;
	if (setuid(USER) != 0 || getresuid(&r, &e, &s) != 0 || r != USER || e != USER || s != USER)
		f |= 16;
	if (setfsuid((uid_t)-1) != USER)
		f |= 32;
	return f;
}

static int unprivileged_permutation(void)
{
	uid_t r, e, s;
	if (setresuid(1000, 1001, 1002) != 0)
		return 0xff;
	int f = 0;
	if (setresuid(1002, 1000, 1001) != 0 || getresuid(&r, &e, &s) != 0 || r != 1002 ||
	    e != 1000 || s != 1001)
		f |= 1;
	if (!fails_with(setresuid(1003, (uid_t)-1, (uid_t)-1), EPERM))
		f |= 2;
	if (!fails_with(setreuid((uid_t)-1, 0), EPERM))
		f |= 4;
	return f;
}

static int keep_caps(void)
{
	struct caps c;
	int f = 0;
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) != 0 || prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0) != 1)
		f |= 1;
	if (setresuid(USER, USER, USER) != 0 || get_caps(&c) != 0)
		return 0xff;
	if (c.data[0].effective != 0 || !((c.data[0].permitted >> CAP_SETUID) & 1))
		f |= 2;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1)
		f |= 4;
	if (!fails_with(prctl(PR_SET_NO_NEW_PRIVS, 0, 0, 0, 0), EINVAL))
		f |= 8;
	return f;
}

static int pause_forever(void)
{
	for (;;)
		pause();
	return 0;
}

static int kill_everyone_else(void)
{
	pid_t kids[2];
	int f = 0;
	int status;

	if (!drop_to_user())
		return 0xff;
	/* ABI: Linux counts every process it tried, so EPERM on all of them still gives 0. */
	if (kill(-1, SIGTERM) != 0)
		f |= 1;
	for (int i = 0; i < 2; i++) {
		kids[i] = fork();
		if (kids[i] == 0)
			_exit(pause_forever());
	}
	signal(SIGTERM, SIG_IGN);
	if (kill(-1, SIGTERM) != 0)
		f |= 2;
	for (int i = 0; i < 2; i++) {
		if (waitpid(kids[i], &status, 0) != kids[i] || !WIFSIGNALED(status) ||
		    WTERMSIG(status) != SIGTERM)
			f |= 4;
	}
	return f;
}

static void test_unprivileged(void)
{
	int f = child_failures(unprivileged);
	CHECK("after setresuid/setresgid to 1000 every id is 1000", !(f & 1));
	CHECK("then setuid(0) and setgid(0) are EPERM", !(f & 2));
	CHECK("then setgroups is EPERM", !(f & 4));
	CHECK("then kill of a root process (or init) is EPERM", !(f & 8));
	CHECK("SIGCONT to a root process in the same session is allowed", !(f & 16));
	CHECK("dropping to 1000 clears the effective and permitted capabilities", !(f & 32));
	CHECK("changing the euid makes the process non-dumpable", !(f & 64));
	CHECK("sethostname and setdomainname are EPERM without CAP_SYS_ADMIN", !(f & 128));

	f = child_failures(unprivileged_limits);
	CHECK("an unprivileged process cannot raise its hard limit (EPERM)", !(f & 1));
	CHECK("it can lower its hard limit", !(f & 2));
	CHECK("and then cannot raise it back (EPERM)", !(f & 4));
	CHECK("it can raise its nice value", !(f & 8));
	CHECK("it cannot lower its nice value again (EACCES)", !(f & 16));
	CHECK("it cannot switch to SCHED_FIFO (EPERM)", !(f & 32));
	CHECK("it cannot set CLOCK_REALTIME (EPERM)", !(f & 64));
	CHECK("RLIMIT_NPROC 1 makes its fork fail with EAGAIN", !(f & 128));

	f = child_failures(id_juggling);
	CHECK("root setresuid(-1, 1000, -1) changes only the euid", !(f & 1));
	CHECK("the saved uid 0 lets seteuid(0) regain root", !(f & 2));
	CHECK("setreuid(1000, -1) sets the ruid and the saved uid to the euid", !(f & 4));
	CHECK("setfsuid returns the old fsuid; setfsuid(-1) only queries", !(f & 8));
	CHECK("setuid(1000) as root sets real, effective and saved uid", !(f & 16));
	CHECK("the fsuid follows the euid", !(f & 32));

	f = child_failures(unprivileged_permutation);
	CHECK("an unprivileged setresuid may permute its real/effective/saved ids", !(f & 1));
	CHECK("but not take a new one (EPERM)", !(f & 2));
	CHECK("setreuid to euid 0 without privilege is EPERM", !(f & 4));

	f = child_failures(keep_caps);
	CHECK("PR_SET_KEEPCAPS / PR_GET_KEEPCAPS", !(f & 1));
	CHECK("with keepcaps a uid change keeps permitted, clears effective", !(f & 2));
	CHECK("PR_SET_NO_NEW_PRIVS / PR_GET_NO_NEW_PRIVS", !(f & 4));
	CHECK("no_new_privs cannot be unset (EINVAL)", !(f & 8));

	f = child_failures(kill_everyone_else);
	CHECK("kill(-1) that may signal nobody still returns 0", !(f & 1));
	CHECK("kill(-1) succeeds and reaches the caller's fellow uid-1000 processes", !(f & 2));
	CHECK("those processes die of it, the caller does not", !(f & 4));
}

static int limit_child(void)
{
	struct rlimit rl;
	for (int i = 0; i < 200; i++) {
		getrlimit(RLIMIT_NOFILE, &rl);
		if (rl.rlim_cur == 77)
			return 0;
		sleep_ms(5);
	}
	return 1;
}

static void test_rlimits(void)
{
	struct rlimit rl, old;

	CHECK("RLIMIT_NOFILE starts at 1024 soft, 4096 hard",
	      getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur == 1024 && rl.rlim_max == 4096);
	CHECK("RLIMIT_STACK starts at 8 MiB soft, unlimited hard",
	      getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur == 8UL << 20 &&
		      rl.rlim_max == RLIM_INFINITY);
	CHECK("RLIMIT_CORE starts at 0 soft, unlimited hard",
	      getrlimit(RLIMIT_CORE, &rl) == 0 && rl.rlim_cur == 0 && rl.rlim_max == RLIM_INFINITY);
	getrlimit(RLIMIT_NOFILE, &old);
	rl.rlim_cur = 64;
	rl.rlim_max = old.rlim_max;
	CHECK("setrlimit then getrlimit round trip", setrlimit(RLIMIT_NOFILE, &rl) == 0 &&
							     getrlimit(RLIMIT_NOFILE, &rl) == 0 &&
							     rl.rlim_cur == 64);
	struct rlimit got = {0, 0};
	CHECK("prlimit64 reads the same limit",
	      syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, &got) == 0 && got.rlim_cur == 64 &&
		      got.rlim_max == old.rlim_max);
	rl.rlim_cur = rl.rlim_max + 1;
	CHECK_ERRNO("a soft limit above the hard limit is EINVAL", setrlimit(RLIMIT_NOFILE, &rl),
		    EINVAL);
	CHECK_ERRNO("an unknown resource is EINVAL", syscall(SYS_prlimit64, 0, 99, NULL, &got),
		    EINVAL);
	rl.rlim_cur = rl.rlim_max = 2000000;
	CHECK_ERRNO("RLIMIT_NOFILE above fs.nr_open is EPERM even for root",
		    setrlimit(RLIMIT_NOFILE, &rl), EPERM);
	CHECK_ERRNO("prlimit64 of a pid that does not exist is ESRCH",
		    syscall(SYS_prlimit64, 999999, RLIMIT_NOFILE, NULL, &got), ESRCH);
	CHECK_ERRNO("getrlimit into a bad pointer is EFAULT",
		    syscall(SYS_getrlimit, RLIMIT_NOFILE, BAD_PTR), EFAULT);

	pid_t pid = fork();
	if (pid == 0)
		_exit(limit_child());
	struct rlimit want = {77, old.rlim_max};
	int r = (int)syscall(SYS_prlimit64, pid, RLIMIT_NOFILE, &want, &got);
	int status = -1;
	waitpid(pid, &status, 0);
	CHECK("prlimit64 on a child sets its limit and returns the old one",
	      r == 0 && got.rlim_cur == 64 && WIFEXITED(status) && WEXITSTATUS(status) == 0);

	rl.rlim_cur = 5;
	rl.rlim_max = old.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
	int a = dup(1);
	int b = dup(1);
	errno = 0;
	int c = dup(1);
	int c_errno = errno;
	CHECK("with RLIMIT_NOFILE 5, dup gives 3 and 4, then EMFILE",
	      a == 3 && b == 4 && c == -1 && c_errno == EMFILE);
	CHECK_ERRNO("F_DUPFD at or above the limit is EINVAL", fcntl(1, F_DUPFD, 5), EINVAL);
	CHECK_ERRNO("dup2 to an fd at or above the limit is EBADF", dup2(1, 5), EBADF);
	close(a);
	close(b);
	setrlimit(RLIMIT_NOFILE, &old);
}

static void test_system(void)
{
	struct utsname u;
	char saved[65] = "";
	char saved_domain[65] = "";

	CHECK("uname: sysname Linux, machine x86_64, a release starting with a digit",
	      uname(&u) == 0 && strcmp(u.sysname, "Linux") == 0 &&
		      strcmp(u.machine, "x86_64") == 0 && u.release[0] >= '0' &&
		      u.release[0] <= '9' && u.version[0] != '\0');
	gethostname(saved, sizeof(saved));
	getdomainname(saved_domain, sizeof(saved_domain));
	CHECK("sethostname shows up in uname and gethostname",
	      sethostname("tern-guest", 10) == 0 && uname(&u) == 0 &&
		      strcmp(u.nodename, "tern-guest") == 0);
	CHECK_ERRNO("sethostname longer than 64 bytes is EINVAL",
		    sethostname("0123456789012345678901234567890123456789012345678901234567890123"
				"4",
				65),
		    EINVAL);
	CHECK("setdomainname shows up in uname", setdomainname("example", 7) == 0 &&
							 uname(&u) == 0 &&
							 strcmp(u.domainname, "example") == 0);
	sethostname(saved, strlen(saved));
	setdomainname(saved_domain, strlen(saved_domain));
	CHECK_ERRNO("uname into a bad pointer is EFAULT", syscall(SYS_uname, BAD_PTR), EFAULT);

	struct sysinfo si;
	memset(&si, 0, sizeof(si));
	CHECK("sysinfo: uptime, total and free RAM, mem_unit, process count",
	      sysinfo(&si) == 0 && si.uptime > 0 && si.totalram > 0 && si.freeram > 0 &&
		      si.freeram <= si.totalram && si.mem_unit >= 1 && si.procs >= 2 &&
		      (unsigned long long)si.totalram * si.mem_unit >= 16ULL << 20);
	CHECK_ERRNO("sysinfo into a bad pointer is EFAULT", syscall(SYS_sysinfo, BAD_PTR), EFAULT);

	unsigned char r1[32], r2[32], zero[32];
	memset(r1, 0, sizeof(r1));
	memset(r2, 0, sizeof(r2));
	memset(zero, 0, sizeof(zero));
	CHECK("getrandom fills the whole buffer",
	      syscall(SYS_getrandom, r1, sizeof(r1), 0) == 32 &&
		      syscall(SYS_getrandom, r2, sizeof(r2), GRND_NONBLOCK_FLAG) == 32);
	CHECK("two getrandom results differ and are not all zero",
	      memcmp(r1, r2, 32) != 0 && memcmp(r1, zero, 32) != 0);
	CHECK("getrandom with GRND_RANDOM works",
	      syscall(SYS_getrandom, r1, 16, GRND_RANDOM_FLAG | GRND_NONBLOCK_FLAG) > 0);
	CHECK("getrandom of 0 bytes returns 0", syscall(SYS_getrandom, r1, 0, 0) == 0);
	CHECK_ERRNO("getrandom with an unknown flag is EINVAL",
		    syscall(SYS_getrandom, r1, 8, 0x100), EINVAL);
	CHECK_ERRNO("getrandom with GRND_INSECURE|GRND_RANDOM is EINVAL",
		    syscall(SYS_getrandom, r1, 8, GRND_INSECURE_FLAG | GRND_RANDOM_FLAG), EINVAL);
	CHECK_ERRNO("getrandom into a bad pointer is EFAULT", syscall(SYS_getrandom, BAD_PTR, 8, 0),
		    EFAULT);

	CHECK("the umask inherited from init is 022", umask(077) == 022);
	CHECK("umask returns the previous mask", umask(022) == 077);
	umask(01777);
	CHECK("umask keeps only the permission bits", umask(022) == 0777);
	CHECK("personality(0xffffffff) queries PER_LINUX (0)", personality(0xffffffff) == 0);
}

static void test_priority(void)
{
	errno = 0;
	CHECK("getpriority starts at nice 0", getpriority(PRIO_PROCESS, 0) == 0 && errno == 0);
	CHECK("the raw getpriority returns 20 - nice",
	      syscall(SYS_getpriority, PRIO_PROCESS, 0) == 20);
	CHECK("setpriority to nice 5 shows in getpriority and the raw value 15",
	      setpriority(PRIO_PROCESS, 0, 5) == 0 && getpriority(PRIO_PROCESS, 0) == 5 &&
		      syscall(SYS_getpriority, PRIO_PROCESS, 0) == 15);
	setpriority(PRIO_PROCESS, 0, 40);
	CHECK("nice values above 19 are clamped to 19", getpriority(PRIO_PROCESS, 0) == 19);
	setpriority(PRIO_PROCESS, 0, -40);
	CHECK("nice values below -20 are clamped to -20 (root)",
	      getpriority(PRIO_PROCESS, 0) == -20);
	setpriority(PRIO_PROCESS, 0, 0);
	CHECK_ERRNO("setpriority with an unknown which is EINVAL", setpriority(42, 0, 0), EINVAL);
	CHECK_ERRNO("getpriority of a pid that does not exist is ESRCH",
		    syscall(SYS_getpriority, PRIO_PROCESS, 999999), ESRCH);

	/* Raw: musl's sched_{get,set}scheduler and sched_getparam return ENOSYS by design. */
	struct sched_param sp = {.sched_priority = -1};
	struct sched_param zero = {.sched_priority = 0};
	CHECK("the scheduling policy is SCHED_OTHER with priority 0",
	      syscall(SYS_sched_getscheduler, 0) == SCHED_OTHER &&
		      syscall(SYS_sched_getparam, 0, &sp) == 0 && sp.sched_priority == 0);
	CHECK("SCHED_FIFO priorities are 1..99, SCHED_OTHER 0..0",
	      sched_get_priority_min(SCHED_FIFO) == 1 && sched_get_priority_max(SCHED_FIFO) == 99 &&
		      sched_get_priority_min(SCHED_OTHER) == 0 &&
		      sched_get_priority_max(SCHED_OTHER) == 0);
	sp.sched_priority = 10;
	CHECK("root can switch to SCHED_FIFO and back",
	      syscall(SYS_sched_setscheduler, 0, SCHED_FIFO, &sp) == 0 &&
		      syscall(SYS_sched_getscheduler, 0) == SCHED_FIFO &&
		      syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, &zero) == 0);
	CHECK_ERRNO("SCHED_OTHER with priority 10 is EINVAL",
		    syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, &sp), EINVAL);
	CHECK_ERRNO("an unknown scheduling policy is EINVAL",
		    syscall(SYS_sched_setscheduler, 0, 42, &sp), EINVAL);
	CHECK_ERRNO("sched_getscheduler of a pid that does not exist is ESRCH",
		    syscall(SYS_sched_getscheduler, 999999), ESRCH);
}

int main(void)
{
	check_area = "creds";
	test_pid = getpid();
	alarm(60);
	test_ids();
	test_unprivileged();
	test_rlimits();
	test_system();
	test_priority();
	return check_failures ? 1 : 0;
}
