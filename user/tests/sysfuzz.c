// SPDX-License-Identifier: MIT
/*
 * Guest test: a bounded, deterministic random-syscall fuzzer. Every
 * syscall Tern implements (bar the few that would end or escape the
 * sandbox) is called a few hundred times with arguments drawn from pools
 * of interesting values: edge integers, pointers into a scratch buffer,
 * NULL, unmapped, PROT_NONE, top-of-user and kernel addresses, fds of
 * every kind, random flags. The calls run in throw-away processes inside
 * a sandbox (a private tmpfs as root, tight rlimits, uid 65534). The
 * kernel must answer every call with a result or an errno, never hang,
 * and, on Tern, leak nothing: a second identical round must leave memory
 * exactly as the first did. The seed is fixed and printed.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "check.h"
#include "util.h"

/* Longer runs by hand: -DSEED=... -DCALLS_PER_SYSCALL=... */
#ifndef SEED
#define SEED 0x7e57f022c0ffee01ull
#endif
#ifndef CALLS_PER_SYSCALL
#define CALLS_PER_SYSCALL 500
#endif
#define ROUND_TIMEOUT_S 100    /* the watchdog over one sandbox */
#define GRANDCHILD_TIMEOUT_S 3 /* a fuzzing process stuck this long is killed */
#define MAX_GRANDCHILDREN 400
#define GUARD_INTERVAL_US 10000 /* SIGALRM breaks any blocking call this often */
#define PROC_DIR "/tmp/sysfuzz-proc"
#define PTS_DIR "/tmp/sysfuzz-pts"
#define FUZZ_UID 65534

/* Fixed addresses of the fuzzing process's own mappings. */
#define BUF_ADDR 0x100000000000ul /* argument buffer, BUF_PAGES then a PROT_NONE guard */
#define BUF_PAGES 16
#define NONE_ADDR (BUF_ADDR + BUF_PAGES * 4096ul) /* the guard: a PROT_NONE page */
#define SCRATCH_ADDR 0x200000000000ul		  /* what munmap, mremap & co may touch */
#define SCRATCH_PAGES 64
#define UNMAPPED_ADDR 0x300000000000ul

/* How an argument is drawn. */
enum arg_kind {
	A_NONE,
	A_ANY,	 /* any of the pools below */
	A_INT,	 /* edge and small integers */
	A_LEN,	 /* sizes around 0, pages, INT_MAX and the top */
	A_FLAGS, /* random bits */
	A_CMD,	 /* small command numbers, now and then anything */
	A_FD,	 /* the open fds, now and then a bad one */
	A_PTR,	 /* into the buffer, or a bad address */
	A_PATH,	 /* one of the buffer's path strings, or A_PTR */
	A_MADDR, /* an address in the scratch region, or a bad one */
	A_SELF,	 /* this process: 0 or its pid */
	A_SIG,	 /* a signal number that neither stops nor kills us */
	A_TSPEC, /* a short timespec (or an invalid or unreadable one) */
	A_TVAL,	 /* a short timeval, likewise */
	A_MS,	 /* a timeout of 0..3 ms */
	A_IOCTL, /* a real ioctl request or anything */
	A_SSIZE, /* a sigset size: mostly the right one, 8 */
	A_PROT,	 /* mmap and mprotect's prot */
	A_MAP,	 /* mmap's flags: a type and a few known flags, or random bits */
	A_OFF,	 /* a file offset, mostly page-aligned */
};

struct syscall_desc {
	long nr;
	const char *name;
	unsigned char args[6];
};

#define SC(name, ...)               \
	{                           \
		SYS_##name, #name,  \
		{                   \
			__VA_ARGS__ \
		}                   \
	}
#define NUM(n)                                                   \
	{                                                        \
		n, "#" #n,                                       \
		{                                                \
			A_ANY, A_ANY, A_ANY, A_ANY, A_ANY, A_ANY \
		}                                                \
	}

/*
 * The syscalls of kernel/syscalls.tbl, less those that would end or
 * escape the sandbox or hang the run: exit, exit_group, execve, execveat,
 * vfork, clone, clone3 (fork is called specially: its child exits at
 * once), rt_sigreturn, pause, rt_sigsuspend (they only wait for a
 * signal), reboot and personality. Calls that act on another process
 * (kill and friends, prlimit64, sched_set*) only act on this one; those
 * that change mappings only touch the scratch region; timeouts are
 * short. Last, a few syscalls Tern does not have and that are harmless on
 * Linux, and numbers no syscall has.
 */
static const struct syscall_desc syscalls[] = {
	SC(read, A_FD, A_PTR, A_LEN),
	SC(write, A_FD, A_PTR, A_LEN),
	SC(pread64, A_FD, A_PTR, A_LEN, A_OFF),
	SC(pwrite64, A_FD, A_PTR, A_LEN, A_OFF),
	SC(readv, A_FD, A_PTR, A_LEN),
	SC(writev, A_FD, A_PTR, A_LEN),
	SC(preadv, A_FD, A_PTR, A_LEN, A_INT, A_INT),
	SC(pwritev, A_FD, A_PTR, A_LEN, A_INT, A_INT),
	SC(preadv2, A_FD, A_PTR, A_LEN, A_INT, A_INT, A_FLAGS),
	SC(pwritev2, A_FD, A_PTR, A_LEN, A_INT, A_INT, A_FLAGS),
	SC(lseek, A_FD, A_OFF, A_CMD),
	SC(getdents64, A_FD, A_PTR, A_LEN),
	SC(close, A_FD),
	SC(close_range, A_FD, A_FD, A_FLAGS),
	SC(dup, A_FD),
	SC(dup2, A_FD, A_FD),
	SC(dup3, A_FD, A_FD, A_FLAGS),
	SC(fcntl, A_FD, A_CMD, A_ANY),
	SC(ioctl, A_FD, A_IOCTL, A_PTR),
	SC(ftruncate, A_FD, A_LEN),
	SC(fallocate, A_FD, A_CMD, A_OFF, A_LEN),
	SC(fadvise64, A_FD, A_INT, A_LEN, A_CMD),
	SC(fsync, A_FD),
	SC(fdatasync, A_FD),
	SC(syncfs, A_FD),
	SC(sync),
	SC(pipe, A_PTR),
	SC(pipe2, A_PTR, A_FLAGS),
	SC(poll, A_PTR, A_LEN, A_MS),
	SC(ppoll, A_PTR, A_LEN, A_TSPEC, A_PTR, A_SSIZE),
	SC(select, A_INT, A_PTR, A_PTR, A_PTR, A_TVAL),
	SC(pselect6, A_INT, A_PTR, A_PTR, A_PTR, A_TSPEC, A_PTR),
	SC(epoll_create, A_INT),
	SC(epoll_create1, A_FLAGS),
	SC(epoll_ctl, A_FD, A_CMD, A_FD, A_PTR),
	SC(epoll_wait, A_FD, A_PTR, A_INT, A_MS),
	SC(epoll_pwait, A_FD, A_PTR, A_INT, A_MS, A_PTR, A_SSIZE),
	SC(epoll_pwait2, A_FD, A_PTR, A_INT, A_TSPEC, A_PTR, A_SSIZE),
	SC(eventfd, A_INT),
	SC(eventfd2, A_INT, A_FLAGS),
	SC(timerfd_create, A_CMD, A_FLAGS),
	SC(timerfd_settime, A_FD, A_FLAGS, A_PTR, A_PTR),
	SC(timerfd_gettime, A_FD, A_PTR),
	SC(signalfd, A_FD, A_PTR, A_SSIZE),
	SC(signalfd4, A_FD, A_PTR, A_SSIZE, A_FLAGS),
	SC(flock, A_FD, A_CMD),
	SC(sendfile, A_FD, A_FD, A_PTR, A_LEN),
	SC(splice, A_FD, A_PTR, A_FD, A_PTR, A_LEN, A_FLAGS),
	SC(tee, A_FD, A_FD, A_LEN, A_FLAGS),
	SC(vmsplice, A_FD, A_PTR, A_LEN, A_FLAGS),
	SC(copy_file_range, A_FD, A_PTR, A_FD, A_PTR, A_LEN, A_CMD),
	SC(open, A_PATH, A_FLAGS, A_INT),
	SC(openat, A_FD, A_PATH, A_FLAGS, A_INT),
	SC(creat, A_PATH, A_INT),
	SC(openat2, A_FD, A_PATH, A_PTR, A_LEN),
	SC(mkdir, A_PATH, A_INT),
	SC(mkdirat, A_FD, A_PATH, A_INT),
	SC(mknod, A_PATH, A_INT, A_INT),
	SC(mknodat, A_FD, A_PATH, A_INT, A_INT),
	SC(unlink, A_PATH),
	SC(unlinkat, A_FD, A_PATH, A_FLAGS),
	SC(rmdir, A_PATH),
	SC(rename, A_PATH, A_PATH),
	SC(renameat, A_FD, A_PATH, A_FD, A_PATH),
	SC(renameat2, A_FD, A_PATH, A_FD, A_PATH, A_FLAGS),
	SC(link, A_PATH, A_PATH),
	SC(linkat, A_FD, A_PATH, A_FD, A_PATH, A_FLAGS),
	SC(symlink, A_PATH, A_PATH),
	SC(symlinkat, A_PATH, A_FD, A_PATH),
	SC(readlink, A_PATH, A_PTR, A_LEN),
	SC(readlinkat, A_FD, A_PATH, A_PTR, A_LEN),
	SC(chmod, A_PATH, A_INT),
	SC(fchmod, A_FD, A_INT),
	SC(fchmodat, A_FD, A_PATH, A_INT, A_FLAGS),
	SC(chown, A_PATH, A_INT, A_INT),
	SC(lchown, A_PATH, A_INT, A_INT),
	SC(fchown, A_FD, A_INT, A_INT),
	SC(fchownat, A_FD, A_PATH, A_INT, A_INT, A_FLAGS),
	SC(utimensat, A_FD, A_PATH, A_PTR, A_CMD),
	SC(access, A_PATH, A_INT),
	SC(faccessat, A_FD, A_PATH, A_INT),
	SC(faccessat2, A_FD, A_PATH, A_INT, A_FLAGS),
	SC(truncate, A_PATH, A_LEN),
	SC(chdir, A_PATH),
	SC(fchdir, A_FD),
	SC(chroot, A_PATH),
	SC(getcwd, A_PTR, A_LEN),
	SC(stat, A_PATH, A_PTR),
	SC(lstat, A_PATH, A_PTR),
	SC(fstat, A_FD, A_PTR),
	SC(newfstatat, A_FD, A_PATH, A_PTR, A_FLAGS),
	SC(statx, A_FD, A_PATH, A_FLAGS, A_FLAGS, A_PTR),
	SC(statfs, A_PATH, A_PTR),
	SC(fstatfs, A_FD, A_PTR),
	SC(mount, A_PATH, A_PATH, A_PATH, A_FLAGS, A_PTR),
	SC(umount2, A_PATH, A_FLAGS),
	SC(getpid),
	SC(gettid),
	SC(getppid),
	SC(arch_prctl, A_CMD, A_PTR),
	SC(set_tid_address, A_PTR),
	SC(fork),
	SC(wait4, A_INT, A_PTR, A_FLAGS, A_PTR),
	SC(waitid, A_CMD, A_INT, A_PTR, A_FLAGS, A_PTR),
	SC(kill, A_SELF, A_SIG),
	SC(mmap, A_MADDR, A_LEN, A_PROT, A_MAP, A_FD, A_OFF),
	SC(munmap, A_MADDR, A_LEN),
	SC(mprotect, A_MADDR, A_LEN, A_PROT),
	SC(mremap, A_MADDR, A_LEN, A_LEN, A_CMD, A_MADDR),
	SC(madvise, A_MADDR, A_LEN, A_CMD),
	SC(brk, A_ANY),
	SC(futex, A_PTR, A_CMD, A_INT, A_TSPEC, A_PTR, A_INT),
	SC(set_robust_list, A_PTR, A_LEN),
	SC(get_robust_list, A_INT, A_PTR, A_PTR),
	SC(rt_sigaction, A_SIG, A_PTR, A_PTR, A_SSIZE),
	SC(rt_sigprocmask, A_CMD, A_PTR, A_PTR, A_SSIZE),
	SC(rt_sigpending, A_PTR, A_SSIZE),
	SC(rt_sigtimedwait, A_PTR, A_PTR, A_TSPEC, A_SSIZE),
	SC(rt_sigqueueinfo, A_SELF, A_SIG, A_PTR),
	SC(rt_tgsigqueueinfo, A_SELF, A_SELF, A_SIG, A_PTR),
	SC(restart_syscall),
	SC(tgkill, A_SELF, A_SELF, A_SIG),
	SC(tkill, A_SELF, A_SIG),
	SC(sigaltstack, A_PTR, A_PTR),
	SC(setitimer, A_CMD, A_PTR, A_PTR),
	SC(getitimer, A_CMD, A_PTR),
	SC(alarm, A_INT),
	SC(mincore, A_MADDR, A_LEN, A_PTR),
	SC(mlock, A_MADDR, A_LEN),
	SC(mlock2, A_MADDR, A_LEN, A_CMD),
	SC(munlock, A_MADDR, A_LEN),
	SC(mlockall, A_FLAGS),
	SC(munlockall),
	SC(msync, A_MADDR, A_LEN, A_CMD),
	SC(clock_gettime, A_CMD, A_PTR),
	SC(clock_getres, A_CMD, A_PTR),
	SC(clock_settime, A_CMD, A_PTR),
	SC(timer_create, A_CMD, A_PTR, A_PTR),
	SC(timer_settime, A_INT, A_FLAGS, A_PTR, A_PTR),
	SC(timer_gettime, A_INT, A_PTR),
	SC(timer_getoverrun, A_INT),
	SC(timer_delete, A_INT),
	SC(clock_nanosleep, A_CMD, A_FLAGS, A_TSPEC, A_PTR),
	SC(nanosleep, A_TSPEC, A_PTR),
	SC(gettimeofday, A_PTR, A_PTR),
	SC(time, A_PTR),
	SC(times, A_PTR),
	SC(getrusage, A_CMD, A_PTR),
	SC(getuid),
	SC(geteuid),
	SC(getgid),
	SC(getegid),
	SC(getresuid, A_PTR, A_PTR, A_PTR),
	SC(getresgid, A_PTR, A_PTR, A_PTR),
	SC(setuid, A_INT),
	SC(setgid, A_INT),
	SC(setreuid, A_INT, A_INT),
	SC(setregid, A_INT, A_INT),
	SC(setresuid, A_INT, A_INT, A_INT),
	SC(setresgid, A_INT, A_INT, A_INT),
	SC(setfsuid, A_INT),
	SC(setfsgid, A_INT),
	SC(getgroups, A_INT, A_PTR),
	SC(setgroups, A_INT, A_PTR),
	SC(umask, A_INT),
	SC(setpgid, A_INT, A_INT),
	SC(getpgid, A_INT),
	SC(getpgrp),
	SC(setsid),
	SC(getsid, A_INT),
	SC(uname, A_PTR),
	SC(sethostname, A_PTR, A_LEN),
	SC(setdomainname, A_PTR, A_LEN),
	SC(syslog, A_CMD, A_PTR, A_LEN),
	SC(sysinfo, A_PTR),
	SC(getrandom, A_PTR, A_LEN, A_FLAGS),
	SC(prlimit64, A_SELF, A_CMD, A_PTR, A_PTR),
	SC(getrlimit, A_CMD, A_PTR),
	SC(setrlimit, A_CMD, A_PTR),
	SC(prctl, A_CMD, A_ANY, A_ANY, A_ANY, A_ANY),
	SC(sched_yield),
	SC(sched_getaffinity, A_SELF, A_LEN, A_PTR),
	SC(sched_setaffinity, A_SELF, A_LEN, A_PTR),
	SC(getcpu, A_PTR, A_PTR, A_PTR),
	SC(sched_getscheduler, A_INT),
	SC(sched_getparam, A_INT, A_PTR),
	SC(sched_setscheduler, A_SELF, A_CMD, A_PTR),
	SC(sched_setparam, A_SELF, A_PTR),
	SC(sched_get_priority_max, A_CMD),
	SC(sched_get_priority_min, A_CMD),
	SC(getpriority, A_CMD, A_INT),
	SC(setpriority, A_CMD, A_SELF, A_INT),
	SC(capget, A_PTR, A_PTR),
	SC(capset, A_PTR, A_PTR),
	/* Not in Tern (ENOSYS there), harmless on Linux for uid 65534. */
	SC(socket, A_CMD, A_CMD, A_INT),
	SC(socketpair, A_CMD, A_CMD, A_INT, A_PTR),
	SC(getsockname, A_FD, A_PTR, A_PTR),
	SC(setsockopt, A_FD, A_CMD, A_CMD, A_PTR, A_LEN),
	SC(shutdown, A_FD, A_CMD),
	SC(inotify_init1, A_FLAGS),
	SC(inotify_add_watch, A_FD, A_PATH, A_FLAGS),
	SC(getxattr, A_PATH, A_PTR, A_PTR, A_LEN),
	SC(fsetxattr, A_FD, A_PTR, A_PTR, A_LEN, A_FLAGS),
	SC(listxattr, A_PATH, A_PTR, A_LEN),
	SC(memfd_create, A_PATH, A_FLAGS),
	SC(getdents, A_FD, A_PTR, A_LEN),
	SC(utimes, A_PATH, A_PTR),
	SC(readahead, A_FD, A_INT, A_LEN),
	SC(sync_file_range, A_FD, A_INT, A_LEN, A_FLAGS),
	SC(sched_rr_get_interval, A_SELF, A_PTR),
	SC(membarrier, A_CMD, A_FLAGS, A_INT),
	/* Numbers no x86-64 syscall has, on Linux 6.1 or Tern. */
	NUM(335),
	NUM(380),
	NUM(423),
	NUM(500),
	NUM(4095),
	NUM(0x7fffffff),
	NUM(-1),
};

#define RECENT 16 /* calls remembered to show what led to a hang */
#define NR_SYSCALLS (sizeof(syscalls) / sizeof(syscalls[0]))
#define TOTAL_CALLS ((long)NR_SYSCALLS * CALLS_PER_SYSCALL)

/* What the fuzzing processes tell the test, in memory shared with it. */
struct syscall_stats {
	long nr_calls;
	long nr_bad;  /* returns that are neither a result nor an errno */
	long bad_ret; /* the first of them, with its arguments */
	long bad_args[6];
	long nr_ok;	/* calls that succeeded */
	long nr_deaths; /* fuzzing processes that died in this call */
	int death_sig;	/* of the last signal */
};

struct shared {
	long next_call;	   /* the call the fuzzing process is about to make */
	long nr_processes; /* fuzzing processes started */
	long nr_died;	   /* ... that died of a signal (their own doing) */
	long nr_stuck;	   /* ... that were killed after GRANDCHILD_TIMEOUT_S */
	long nr_unkillable;
	long nr_finished; /* 1 once the last call is made */
	struct {
		long call, args[6], ret;
	} recent[RECENT], stuck[RECENT]; /* the last calls made, and those before a hang */
	struct syscall_stats stats[NR_SYSCALLS];
};

static struct shared *shared;
static bool strict_errno; /* Tern: errors are 1..EHWPOISON, not just 1..4095 */

/* --- the fuzzing process ---------------------------------------------------- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	/* splitmix64 */
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint64_t pick(const uint64_t *pool, size_t n)
{
	return pool[rnd() % n];
}

#define PICK(pool) pick(pool, sizeof(pool) / sizeof(pool[0]))

static long raw_syscall(long nr, const long a[6])
{
	long ret;
	register long r10 __asm__("r10") = a[3];
	register long r8 __asm__("r8") = a[4];
	register long r9 __asm__("r9") = a[5];

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a[0]), "S"(a[1]), "d"(a[2]), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

static long raw0(long nr)
{
	const long a[6] = {0};
	return raw_syscall(nr, a);
}

static __attribute__((noreturn)) void raw_exit(int code)
{
	const long a[6] = {code};
	for (;;)
		raw_syscall(SYS_exit, a);
}

/*
 * A pty pair the sandbox process opens; each fuzzing process gets both
 * ends (a master write once took any size whole on Tern, feeding it to
 * the slave byte by byte with no pause for signals, so SIGKILL could not
 * end it for seconds: now it is paced by the slave's room, as Linux's).
 */
static int pty_master = -1;
static char pty_slave[32];

static int fds[24];
static int nr_fds;
static long my_pid;

/* Offsets in the buffer: page 0 holds paths, page 1 structs, the rest bytes. */
static const char *const paths[] = {
	".",
	"..",
	"/",
	"",
	"f",
	"d",
	"d/g",
	"l",
	"/tmp/x",
	"/tmp",
	"/tmp/new",
	"/dev/null",
	"/dev/pts/ptmx",
	"/dev/pts/0",
	"d/../f",
	"nope/x",
	"f/",
	"./././d/",
	"/d/g/..",
};
static unsigned path_offsets[sizeof(paths) / sizeof(paths[0]) + 2];
#define NR_PATHS (sizeof(path_offsets) / sizeof(path_offsets[0]))
#define STRUCT_PAGE (BUF_ADDR + 4096)
#define TSPEC_SLOT (BUF_ADDR + 2 * 4096 - 64) /* rewritten before each call */

static void fill_buffer(void)
{
	char *buf = (char *)BUF_ADDR;
	unsigned off = 0;
	size_t i;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		path_offsets[i] = off;
		strcpy(buf + off, paths[i]);
		off += strlen(paths[i]) + 1;
	}
	/* A name longer than NAME_MAX, and a path longer than PATH_MAX at the end. */
	path_offsets[i++] = off;
	memset(buf + off, 'a', 300);
	off += 301;
	path_offsets[i] = 4096 * 8;
	for (unsigned j = 0; j < 4096 * 2 - 1; j++)
		buf[4096 * 8 + j] = j % 2 ? '/' : 'b';
	buf[4096 * 10 - 1] = 0;

	/* Plausible structs: iovecs, timespecs, a sigset, small ints. */
	long *s = (long *)STRUCT_PAGE;
	for (i = 0; i < 64; i += 2) {
		s[i] = (long)(BUF_ADDR + 3 * 4096 + (rnd() % 4096));
		s[i + 1] = (long)(rnd() % 64);
	}
	for (; i < 128; i++)
		s[i] = (long)(rnd() % 8);
	for (; i < 4096 / 8 - 8; i++)
		s[i] = (long)rnd();
	for (i = 3 * 4096; i < 8 * 4096; i++)
		buf[i] = (char)rnd();
	for (i = 10 * 4096; i < BUF_PAGES * 4096; i++)
		buf[i] = (i / 4096) % 2 ? 0 : (char)rnd();
}

/* NULL, unmapped, PROT_NONE, top-of-user, non-canonical and kernel addresses. */
static long arg_bad_ptr(void)
{
	static const uint64_t bad[] = {
		0,
		8,
		4096,
		NONE_ADDR,
		NONE_ADDR - 1,
		UNMAPPED_ADDR,
		0x7ffffffff000ul,
		0x7fffffffffffful,
		0x800000000000ul,
		0xffff800000000000ul,
		0xffffffff81000000ul,
		0xfffffffffffff000ul,
		0xfffffffffffffffful,
	};
	return (long)PICK(bad);
}

static long arg_ptr(void)
{
	uint64_t r = rnd() % 16;

	if (r < 4)
		return arg_bad_ptr();
	if (r < 8)
		return (long)(STRUCT_PAGE + (rnd() % 64) * 8);
	if (r < 10)
		return (long)(NONE_ADDR - 1 - rnd() % 64); /* runs into the guard */
	uint64_t page = rnd() % BUF_PAGES;
	return (long)(BUF_ADDR + page * 4096 + (rnd() % 2 ? 0 : rnd() % 4096));
}

static long arg_int(void)
{
	static const uint64_t pool[] = {
		0,
		1,
		2,
		3,
		4,
		7,
		8,
		16,
		64,
		-1ul,
		-2ul,
		INT_MAX,
		(uint64_t)INT_MIN,
		UINT_MAX,
		1ul << 32,
		LONG_MAX,
		(uint64_t)LONG_MIN,
	};
	if (rnd() % 3 == 0)
		return (long)(rnd() % 64);
	if (rnd() % 8 == 0)
		return (long)rnd();
	return (long)PICK(pool);
}

static long arg_len(void)
{
	static const uint64_t pool[] = {
		0,	 1,	    2,	      7,	 8,	   16,	    64,
		100,	 4095,	    4096,     4097,	 8192,	   65536,   1ul << 20,
		INT_MAX, 1ul << 31, UINT_MAX, 1ul << 40, LONG_MAX, -4096ul, -1ul,
	};
	if (rnd() % 4 == 0)
		return (long)(rnd() % 512);
	return (long)PICK(pool);
}

static long arg_flags(void)
{
	switch (rnd() % 6) {
	case 0:
		return 0;
	case 1:
		return 1l << (rnd() % 32);
	case 2:
		return (long)(rnd() & rnd() & 0xffffffff);
	case 3:
		return (long)(rnd() & 0xfff);
	case 4:
		return -1;
	default:
		return (long)(rnd() & 0xffffffff);
	}
}

static long arg_fd(void)
{
	static const uint64_t bad[] = {-1ul,	 -100ul /* AT_FDCWD */, 255, 256, 1000, INT_MAX,
				       1ul << 32};
	if (rnd() % 5 == 0 || !nr_fds)
		return (long)PICK(bad);
	return fds[rnd() % nr_fds];
}

static long arg_maddr(void)
{
	if (rnd() % 4 == 0)
		return arg_ptr();
	long a = (long)(SCRATCH_ADDR + (rnd() % SCRATCH_PAGES) * 4096);
	return rnd() % 4 ? a : a + (long)(rnd() % 4096);
}

static long arg_sig(void)
{
	long sig = rnd() % 16 ? (long)(rnd() % 66) : arg_int();

	/*
	 * These would stop or kill the fuzzing process, ending its run; 32 to
	 * 34 are libc's, which it does not let us catch. SIGALRM is the guard's.
	 */
	switch (sig) {
	case SIGKILL:
	case SIGSTOP:
	case SIGSEGV:
	case SIGBUS:
	case SIGILL:
	case SIGFPE:
	case SIGTRAP:
	case SIGSYS:
	case SIGABRT:
	case SIGQUIT:
	case SIGALRM:
	case 32:
	case 33:
	case 34:
		return SIGUSR1;
	}
	return sig;
}

/* A timespec (or timeval) that cannot make a call wait long. */
static long arg_time(bool tval)
{
	long *slot = (long *)TSPEC_SLOT;

	switch (rnd() % 8) {
	case 0: {
		long bad = arg_bad_ptr();
		return bad ? bad : 8; /* not NULL: no timeout at all */
	}
	case 1:
		slot[0] = -1, slot[1] = 0;
		break;
	case 2:
		slot[0] = 0, slot[1] = tval ? 1000000 : 1000000000;
		break;
	case 3:
		slot[0] = 0, slot[1] = 0;
		break;
	default:
		slot[0] = 0, slot[1] = (long)(rnd() % (tval ? 3000 : 3000000));
		break;
	}
	return (long)slot;
}

static long arg_ioctl(void)
{
	static const uint64_t pool[] = {
		TCGETS,	     TCSETS,	TCSETSW,     TCSETSF,  TIOCGWINSZ, TIOCSWINSZ, TIOCGPGRP,
		TIOCSPGRP,   TIOCSCTTY, TIOCNOTTY,   FIONREAD, FIONBIO,	   FIOCLEX,    FIONCLEX,
		FIOASYNC,    TIOCGPTN,	TIOCSPTLCK,  TIOCOUTQ, TCFLSH,	   TCXONC,     TIOCSTI,
		TIOCGSID,    TIOCEXCL,	TIOCNXCL,    TIOCGETD, TIOCSETD,   TIOCPKT,    TCSBRK,
		TIOCGPTPEER, TIOCMGET,	TIOCGSERIAL,
	};
	if (rnd() % 4 == 0)
		return (long)(rnd() & 0xffffffff);
	return (long)PICK(pool);
}

static long arg_map(void)
{
	static const uint64_t known[] = {
		MAP_ANONYMOUS, MAP_FIXED,  MAP_FIXED_NOREPLACE, MAP_POPULATE,	MAP_NORESERVE,
		MAP_GROWSDOWN, MAP_LOCKED, MAP_STACK,		MAP_HUGETLB,	MAP_NONBLOCK,
		MAP_32BIT,     MAP_SYNC,   MAP_DENYWRITE,	MAP_EXECUTABLE,
	};
	if (rnd() % 8 == 0)
		return arg_flags();
	long flags = (long)(rnd() % 4); /* 1 shared, 2 private, 3 shared-validate */
	for (int i = (int)(rnd() % 4); i > 0; i--)
		flags |= (long)PICK(known);
	return flags;
}

static long draw(int kind)
{
	switch (kind) {
	case A_SSIZE:
		return rnd() % 5 ? 8 : arg_len();
	case A_PROT:
		return rnd() % 6 ? (long)(rnd() % 8) : arg_flags();
	case A_MAP:
		return arg_map();
	case A_OFF:
		return rnd() % 3 ? (long)(rnd() % 8) * 4096 : arg_int();
	case A_ANY:
		return draw(A_INT + (int)(rnd() % (A_PATH - A_INT + 1)));
	case A_INT:
		return arg_int();
	case A_LEN:
		return arg_len();
	case A_FLAGS:
		return arg_flags();
	case A_CMD:
		return rnd() % 5 ? (long)(rnd() % 40) : arg_int();
	case A_FD:
		return arg_fd();
	case A_PTR:
		return arg_ptr();
	case A_PATH:
		return rnd() % 4 ? (long)(BUF_ADDR + path_offsets[rnd() % NR_PATHS]) : arg_ptr();
	case A_MADDR:
		return arg_maddr();
	case A_SELF:
		return rnd() % 2 ? 0 : my_pid;
	case A_SIG:
		return arg_sig();
	case A_TSPEC:
	case A_TVAL:
		return arg_time(kind == A_TVAL);
	case A_MS:
		return (long)(rnd() % 4);
	case A_IOCTL:
		return arg_ioctl();
	default:
		return (long)rnd(); /* unused arguments get garbage too */
	}
}

static void on_guard(int sig)
{
	(void)sig;
}

/* SIGALRM every GUARD_INTERVAL_US breaks whatever blocking call we are in. */
static void arm_guard(void)
{
	struct itimerval it = {{0, GUARD_INTERVAL_US}, {0, GUARD_INTERVAL_US}};
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGALRM);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
}

/*
 * Constraints that keep the fuzzing process alive long enough to be
 * useful: mappings change only in the scratch region, the guard stays.
 */
static bool is_own_mapping(long addr)
{
	return (unsigned long)addr - BUF_ADDR < (BUF_PAGES + 1) * 4096ul;
}

static void constrain(long nr, long a[6])
{
	switch (nr) {
	case SYS_mmap:
	case SYS_munmap:
	case SYS_mprotect:
	case SYS_madvise:
	case SYS_mremap:
		if (is_own_mapping(a[0]))
			a[0] = SCRATCH_ADDR;
		if (nr == SYS_mremap && is_own_mapping(a[4]))
			a[4] = SCRATCH_ADDR;
		break;
	case SYS_kill:
		a[0] = my_pid; /* not 0: our process group is the test's until setpgid */
		break;
	case SYS_arch_prctl:
		if (rnd() % 2)
			a[0] = 0x1001 + (long)(rnd() % 4); /* ARCH_SET_GS ... ARCH_GET_GS */
		if (a[0] == 0x1002)			   /* ARCH_SET_FS: libc's thread pointer */
			a[0] = 0x1003;
		break;
	case SYS_set_robust_list:
		if (rnd() % 2)
			a[1] = 24; /* the only size there is */
		break;
	case SYS_prctl:
		if (a[0] == 22) /* PR_SET_SECCOMP */
			a[0] = 21;
		break;
	}
}

/* After these the guard may be gone: set it up again. */
static bool needs_rearm(long nr)
{
	return nr == SYS_rt_sigprocmask || nr == SYS_setitimer || nr == SYS_alarm ||
	       nr == SYS_rt_sigaction || nr == SYS_sigaltstack;
}

static bool is_errno_ok(long nr, const long a[6], long ret)
{
	if (ret >= 0)
		return true;
	if (nr == SYS_fcntl && a[1] == F_GETOWN)
		return true; /* ABI: a process group owner comes back negative */
	if (strict_errno)
		return ret >= -EHWPOISON;
	return ret >= -4095;
}

static long do_fork(void)
{
	long a[6] = {0};
	long pid = raw0(SYS_fork);

	if (pid == 0)
		raw_exit(0);
	if (pid > 0) {
		a[0] = pid;
		for (int i = 0; i < 100 && raw_syscall(SYS_wait4, a) == -EINTR; i++)
			;
	}
	return pid;
}

static long gcd(long a, long b)
{
	return b ? gcd(b, a % b) : a;
}

/* The syscall call number call makes: a new shuffle of the table every NR_SYSCALLS calls. */
static size_t syscall_of(long call)
{
	long round = call / (long)NR_SYSCALLS, idx = call % (long)NR_SYSCALLS;

	rng_state = SEED ^ ((uint64_t)round * 0x100000001b3ull);
	/* Steps through the table by a stride prime to its size. */
	long stride = 1 + (long)(rnd() % (NR_SYSCALLS - 1));
	while (gcd(stride, (long)NR_SYSCALLS) != 1)
		stride++;
	long start = (long)(rnd() % NR_SYSCALLS);
	return (size_t)((start + idx * stride) % (long)NR_SYSCALLS);
}

static void fuzz_one(long call)
{
	const struct syscall_desc *sc = &syscalls[syscall_of(call)];
	struct syscall_stats *st = &shared->stats[sc - syscalls];
	long a[6];

	/* Each call's arguments follow from its index alone. */
	rng_state = SEED + (uint64_t)call * 0x9e3779b97f4a7c15ull;
	rnd();
	for (int i = 0; i < 6; i++)
		a[i] = draw(sc->args[i]);
	constrain(sc->nr, a);
	long slot = call % RECENT;
	shared->recent[slot].call = call;
	shared->recent[slot].ret = -99999;
	memcpy(shared->recent[slot].args, a, sizeof(shared->recent[slot].args));
	st->nr_calls++;
	long ret = sc->nr == SYS_fork ? do_fork() : raw_syscall(sc->nr, a);
	shared->recent[slot].ret = ret;
	st->nr_ok += ret >= 0;
	if (!is_errno_ok(sc->nr, a, ret) && st->nr_bad++ == 0) {
		st->bad_ret = ret;
		memcpy(st->bad_args, a, sizeof(st->bad_args));
	}
	if (needs_rearm(sc->nr))
		arm_guard();
}

static void add_fd(int fd)
{
	if (fd >= 0 && nr_fds < (int)(sizeof(fds) / sizeof(fds[0])))
		fds[nr_fds++] = fd;
}

/* The fds calls are made on: one of every kind the sandbox has. */
static void open_fds(void)
{
	int p[2];

	int null = open("/dev/null", O_RDWR);
	for (int i = 0; i < 3; i++)
		dup2(null, i);
	add_fd(null);
	add_fd(open("f", O_RDWR | O_CREAT | O_NONBLOCK, 0644));
	add_fd(open("/tmp/x", O_RDONLY | O_NONBLOCK));
	add_fd(open("d", O_RDONLY | O_DIRECTORY));
	add_fd(open("/", O_PATH));
	add_fd(open("/tmp/a", O_WRONLY | O_APPEND | O_CREAT | O_NONBLOCK, 0600));
	if (pipe2(p, O_NONBLOCK) == 0) {
		add_fd(p[0]);
		add_fd(p[1]);
	}
	int ev = (int)syscall(SYS_eventfd2, 0, O_NONBLOCK);
	add_fd(ev);
	int ep = (int)syscall(SYS_epoll_create1, 0);
	add_fd(ep);
	if (ep >= 0 && nr_fds > 6) {
		long ee[2] = {1, 0}; /* EPOLLIN */
		syscall(SYS_epoll_ctl, ep, 1, p[0], ee);
	}
	add_fd((int)syscall(SYS_timerfd_create, CLOCK_MONOTONIC, O_NONBLOCK));
	uint64_t mask = 1ul << (SIGUSR2 - 1);
	add_fd((int)syscall(SYS_signalfd4, -1, &mask, 8, O_NONBLOCK));
	if (pty_master >= 0) {
		add_fd(pty_master);
		add_fd(open(pty_slave, O_RDWR | O_NOCTTY | O_NONBLOCK));
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, p) == 0) {
		add_fd(p[0]);
		add_fd(p[1]);
	}
}

/* Handlers for whatever the calls may send us, so that signals do not end the run. */
static void catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_guard;
	for (int sig = 1; sig < 65; sig++) {
		if (sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE ||
		    sig == SIGTRAP || sig == SIGSYS)
			continue;
		sigaction(sig, &sa, NULL);
	}
}

/* One fuzzing process: makes calls from shared->next_call on, until done. */
static __attribute__((noreturn)) void fuzz_process(void)
{
	void *buf = mmap((void *)BUF_ADDR, (BUF_PAGES + 1) * 4096, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	void *scratch = mmap((void *)SCRATCH_ADDR, SCRATCH_PAGES * 4096, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);

	if (buf == MAP_FAILED || scratch == MAP_FAILED || mprotect((void *)NONE_ADDR, 4096, 0))
		raw_exit(2);
	setpgid(0, 0); /* kill(0, sig) and friends reach only us */
	my_pid = getpid();
	rng_state = SEED;
	fill_buffer();
	open_fds();
	catch_signals();
	arm_guard();
	for (long call = shared->next_call; call < TOTAL_CALLS; call = ++shared->next_call)
		fuzz_one(call);
	shared->nr_finished = 1;
	raw_exit(0);
}

/* --- the sandbox ---------------------------------------------------------------- */

static char sandbox_path[64];
static volatile sig_atomic_t grandchild_timed_out;

static void on_grandchild_alarm(int sig)
{
	(void)sig;
	grandchild_timed_out = 1;
}

/* As root: the private tmpfs and the files, fds and devices the calls use. */
static int make_sandbox(void)
{
	if (mkdir(sandbox_path, 0755) || chdir(sandbox_path) ||
	    mount("tmpfs", ".", "tmpfs", 0, "mode=1777,size=4m,nr_inodes=1024") || chdir(".."))
		return -1;
	if (chdir(sandbox_path) || mkdir("dev", 0755) || mkdir("dev/pts", 0755) ||
	    mount("devpts", "dev/pts", "devpts", 0, "newinstance,ptmxmode=0666") ||
	    mknod("dev/null", S_IFCHR | 0666, makedev(1, 3)) || chmod("dev/null", 0666) ||
	    mkdir("tmp", 01777) || chmod("tmp", 01777) || mkdir("d", 0777) || mkdir("d/g", 0777) ||
	    put_file("f", "sysfuzz\n") || put_file("tmp/x", "x\n") || symlink("f", "l") ||
	    chmod("f", 0666) || chmod("tmp/x", 0666))
		return -1;
	return chroot(".") || chdir("/") ? -1 : 0;
}

static int set_limit(int resource, rlim_t value)
{
	struct rlimit rl = {value, value};
	return setrlimit(resource, &rl);
}

static int confine(void)
{
	if (set_limit(RLIMIT_NPROC, 16) || set_limit(RLIMIT_NOFILE, 256) ||
	    set_limit(RLIMIT_AS, 64 << 20) || set_limit(RLIMIT_DATA, 32 << 20) ||
	    set_limit(RLIMIT_FSIZE, 1 << 20) || set_limit(RLIMIT_CPU, 60) ||
	    set_limit(RLIMIT_CORE, 0) || set_limit(RLIMIT_MEMLOCK, 1 << 20))
		return -1;
	gid_t none = FUZZ_UID;
	if (setgroups(0, &none) || setresgid(FUZZ_UID, FUZZ_UID, FUZZ_UID) ||
	    setresuid(FUZZ_UID, FUZZ_UID, FUZZ_UID))
		return -1;
	return 0;
}

/* Waits for the fuzzing process, killing it if it stays too long. */
static void wait_grandchild(pid_t pid)
{
	int status;

	int nr_kills = 0;

	grandchild_timed_out = 0;
	alarm(GRANDCHILD_TIMEOUT_S);
	for (;;) {
		pid_t r = waitpid(pid, &status, WUNTRACED);
		if (r == pid && WIFSTOPPED(status)) {
			kill(pid, SIGKILL); /* it sent itself a stop signal */
			continue;
		}
		if (r == pid)
			break;
		if (errno != EINTR || !grandchild_timed_out)
			break;
		grandchild_timed_out = 0;
		if (nr_kills++ == 0) {
			shared->nr_stuck++;
			memcpy(shared->stuck, shared->recent, sizeof(shared->stuck));
			kill(pid, SIGKILL);
			alarm(GRANDCHILD_TIMEOUT_S);
		} else {
			shared->nr_unkillable++;
			alarm(0);
			return;
		}
	}
	alarm(0);
	if (WIFSIGNALED(status)) {
		struct syscall_stats *st = &shared->stats[syscall_of(shared->next_call)];
		shared->nr_died++;
		st->nr_deaths++;
		st->death_sig = WTERMSIG(status);
	}
}

static int sandbox_main(void)
{
	struct sigaction sa;

	if (make_sandbox() || confine())
		return 2;
	int n = -1, unlock = 0;
	pty_master = open("/dev/pts/ptmx", O_RDWR | O_NOCTTY | O_NONBLOCK);
	if (pty_master < 0 || ioctl(pty_master, TIOCSPTLCK, &unlock) ||
	    ioctl(pty_master, TIOCGPTN, &n))
		return 2;
	snprintf(pty_slave, sizeof(pty_slave), "/dev/pts/%d", n);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_grandchild_alarm;
	sigaction(SIGALRM, &sa, NULL);
	while (!shared->nr_finished && shared->nr_processes < MAX_GRANDCHILDREN) {
		long from = shared->next_call;
		shared->nr_processes++;
		pid_t pid = fork();
		if (pid == 0)
			fuzz_process();
		if (pid < 0)
			return 3;
		wait_grandchild(pid);
		if (shared->nr_unkillable)
			return 4;
		/* Skip the call that ended it; a process that made none is not retried. */
		if (!shared->nr_finished)
			shared->next_call =
				shared->next_call > from ? shared->next_call + 1 : from + 1;
	}
	return shared->nr_finished ? 0 : 5;
}

/* --- the test --------------------------------------------------------------------- */

static void report_round(int status, long ms)
{
	long nr_calls = 0, nr_bad = 0;

	printf("%s: seed %#llx, %zu syscalls, %ld calls in %ld ms, %ld processes (%ld died of a "
	       "signal, %ld stuck and killed); deaths in:",
	       check_area, (unsigned long long)SEED, NR_SYSCALLS, shared->next_call, ms,
	       shared->nr_processes, shared->nr_died, shared->nr_stuck);
	for (size_t i = 0; i < NR_SYSCALLS; i++)
		if (shared->stats[i].nr_deaths)
			printf(" %s %ldx (signal %d)", syscalls[i].name, shared->stats[i].nr_deaths,
			       shared->stats[i].death_sig);
	printf("\n");
	long last = 0;
	for (int i = 0; i < RECENT; i++)
		last = shared->stuck[i].call > last ? shared->stuck[i].call : last;
	for (long i = 0; shared->nr_stuck && i < RECENT; i++) {
		/* The calls before the last hang, oldest first. */
		long slot = (last + 1 + i) % RECENT;
		const long *a = shared->stuck[slot].args;
		long call = shared->stuck[slot].call;
		if (!call)
			continue;
		printf("%s: before a hang, call %ld: %s(%#lx, %#lx, %#lx, %#lx, %#lx, %#lx) = %ld\n",
		       check_area, call, syscalls[syscall_of(call)].name, a[0], a[1], a[2], a[3],
		       a[4], a[5], shared->stuck[slot].ret);
	}
#ifdef VERBOSE
	for (size_t i = 0; i < NR_SYSCALLS; i++)
		printf("%s %ld/%ld%s", syscalls[i].name, shared->stats[i].nr_ok,
		       shared->stats[i].nr_calls, i % 8 == 7 ? "\n" : ", ");
	printf("\n");
#endif
	for (size_t i = 0; i < NR_SYSCALLS; i++) {
		const struct syscall_stats *st = &shared->stats[i];
		nr_calls += st->nr_calls;
		nr_bad += st->nr_bad;
		if (st->nr_bad)
			printf("FAIL - %s: %s returned %ld, neither a result nor an errno, %ld of "
			       "%ld times; first with (%#lx, %#lx, %#lx, %#lx, %#lx, %#lx)\n",
			       check_area, syscalls[i].name, st->bad_ret, st->nr_bad, st->nr_calls,
			       st->bad_args[0], st->bad_args[1], st->bad_args[2], st->bad_args[3],
			       st->bad_args[4], st->bad_args[5]);
	}
	CHECK("the fuzzer ran every call to the end", status == 0 && shared->nr_finished);
	CHECK("no fuzzing process outlived SIGKILL", shared->nr_unkillable == 0);
	CHECK("every call returned a result or an errno", nr_bad == 0 && nr_calls > 0);
}

static int run_round(int round)
{
	char pts[96];

	memset(shared, 0, sizeof(*shared));
	snprintf(sandbox_path, sizeof(sandbox_path), "/tmp/sysfuzz-%d-%d", (int)getpid(), round);
	int64_t start = now_ms();
	int status = check_watchdog(sandbox_main, ROUND_TIMEOUT_S);
	long ms = (long)(now_ms() - start);
	snprintf(pts, sizeof(pts), "%s/dev/pts", sandbox_path);
	umount(pts);
	int err = umount(sandbox_path) ? errno : 0;
	CHECK("the sandbox unmounts", !err && rmdir(sandbox_path) == 0);
	report_round(status, ms);
	return status;
}

/* The kernel still works: fork, exec, write and read a file. */
static void check_kernel_alive(const char *self)
{
	char path[64];
	int status = -1;

	pid_t pid = fork();
	if (pid == 0) {
		char *argv[] = {(char *)self, "sysfuzz-child", NULL};
		execv(self, argv);
		_exit(127);
	}
	CHECK("fork and exec still work afterwards", pid > 0 && waitpid(pid, &status, 0) == pid &&
							     WIFEXITED(status) &&
							     WEXITSTATUS(status) == 42);
	snprintf(path, sizeof(path), "/tmp/sysfuzz-file-%d", (int)getpid());
	CHECK("files can still be written and read",
	      put_file(path, "still here\n") == 0 && !strcmp(get_file(path), "still here\n"));
	unlink(path);
}

int main(int argc, char **argv)
{
	struct mem_counts before, after;

	if (argc == 2 && !strcmp(argv[1], "sysfuzz-child"))
		return 42;
	check_area = "sysfuzz";
	strict_errno = is_tern();
	mkdir("/tmp", 01777);
	mkdir(PROC_DIR, 0755);
	CHECK("mount proc for the memory counters", mount("proc", PROC_DIR, "proc", 0, NULL) == 0);
	/*
	 * Tern has one devpts instance, pinned where it was first mounted: if
	 * that were the sandbox, the sandbox could not be unmounted.
	 */
	mkdir(PTS_DIR, 0755);
	CHECK("mount a devpts", mount("devpts", PTS_DIR, "devpts", 0, NULL) == 0);
	shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1,
		      0);
	if (shared == MAP_FAILED) {
		CHECK("shared memory for the results", 0);
		return 1;
	}
	/*
	 * Two identical rounds: the first warms up whatever grows to a
	 * high-water mark and stays, the second must leave memory exactly as
	 * it found it.
	 */
	for (int round = 0; round < 2; round++) {
		check_area = round ? "sysfuzz" : "sysfuzz warm-up";
		if (round == 1)
			CHECK("memory counters before the second round",
			      read_mem_counts(PROC_DIR, &before));
		run_round(round);
	}
	CHECK("memory counters after the fuzzing", read_mem_counts(PROC_DIR, &after));
	if (is_tern())
		check_no_leak(&before, &after);
	check_kernel_alive(argv[0]);
	umount(PTS_DIR); /* Tern's first devpts stays */
	umount(PROC_DIR);
	return check_failures ? 1 : 0;
}
