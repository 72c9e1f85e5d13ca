/* SPDX-License-Identifier: MIT */
/*
 * Helpers several guest tests share: time in milliseconds, small files
 * read and written whole, a scratch tmpfs where each case gets a
 * directory of its own, and touching memory that may fault. Include after check.h; a program uses what it
 * needs (everything here is static and may go unused).
 */
#pragma once

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define UTIL_UNUSED __attribute__((unused))

static UTIL_UNUSED int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Sleeps ms milliseconds in all, going back to sleep after a signal. */
static UTIL_UNUSED void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* Signals that count_signal has caught. */
static UTIL_UNUSED volatile int nr_signals;

static UTIL_UNUSED void count_signal(int sig)
{
	(void)sig;
	nr_signals++;
}

/* Installs fn for sig with flags (SA_RESTART or 0) and an empty mask. */
static UTIL_UNUSED void set_handler(int sig, void (*fn)(int), int flags)
{
	struct sigaction sa = {0};

	sa.sa_handler = fn;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

/* SIGALRM once, ms milliseconds from now (ITIMER_REAL). */
static UTIL_UNUSED void arm_timer_ms(long ms)
{
	struct itimerval it = {{0, 0}, {ms / 1000, (ms % 1000) * 1000}};

	setitimer(ITIMER_REAL, &it, NULL);
}

/*
 * Runs body in a child that is stopped (SIGSTOP) after stop_at_ms and
 * continued stopped_ms later, as a shell's ^Z and fg would: for sleeps
 * that must resume, not start over. The child's exit status, or -1.
 */
static UTIL_UNUSED int run_stopped_midway(int (*body)(void), long stop_at_ms, long stopped_ms)
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(body());
	if (pid < 0)
		return -1;
	sleep_ms(stop_at_ms);
	kill(pid, SIGSTOP);
	if (waitpid(pid, &status, WUNTRACED) != pid || !WIFSTOPPED(status)) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		return -1;
	}
	sleep_ms(stopped_ms);
	kill(pid, SIGCONT);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* Writes data as the whole contents of path: 0, or -1. */
static UTIL_UNUSED int put_file(const char *path, const char *data)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ssize_t len = (ssize_t)strlen(data);

	if (fd < 0)
		return -1;
	if (write(fd, data, (size_t)len) != len) {
		close(fd);
		return -1;
	}
	return close(fd);
}

/* Whole contents of path as a string ("" when it cannot be read). */
static UTIL_UNUSED const char *get_file(const char *path)
{
	static char buf[256];
	ssize_t n = -1;
	int fd = open(path, O_RDONLY);

	if (fd >= 0) {
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
	}
	buf[n > 0 ? n : 0] = 0;
	return buf;
}

/* The scratch tmpfs: its path, and a descriptor of its root. */
static UTIL_UNUSED int root_fd = -1;
static UTIL_UNUSED char root_path[64];

/* Mounts a tmpfs on a new /tmp/NAME-PID, so tmpfs facts hold on any root. */
static UTIL_UNUSED void scratch_mount(const char *name)
{
	mkdir("/tmp", 01777);
	snprintf(root_path, sizeof(root_path), "/tmp/%s-%d", name, (int)getpid());
	CHECK("scratch directory is made", mkdir(root_path, 0755) == 0);
	CHECK("tmpfs mounts on the scratch directory",
	      mount("tmpfs", root_path, "tmpfs", 0, "mode=0755") == 0);
	root_fd = open(root_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	CHECK("scratch root opens", root_fd >= 0);
}

/* Each case starts in a new empty directory of its own. */
static UTIL_UNUSED void enter(const char *name)
{
	fchdir(root_fd);
	if (mkdir(name, 0755) != 0 || chdir(name) != 0)
		CHECK("case directory is made", 0);
}

/* The last fault catch_faults' handler caught: signal, si_code, si_addr. */
static UTIL_UNUSED sigjmp_buf fault_env;
static UTIL_UNUSED volatile int fault_sig;
static UTIL_UNUSED volatile int fault_code;
static UTIL_UNUSED void *volatile fault_addr;

static UTIL_UNUSED void on_fault(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	fault_sig = sig;
	fault_code = si->si_code;
	fault_addr = si->si_addr;
	siglongjmp(fault_env, 1);
}

/* Turns SIGSEGV and SIGBUS into a jump back to the touch that raised them. */
static UTIL_UNUSED void catch_faults(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
}

/*
 * Reads the byte at p, or writes 'w' there: 0, or the signal it raised
 * (with fault_code and fault_addr set). Needs catch_faults.
 */
static UTIL_UNUSED int touch(volatile char *p, int write)
{
	fault_sig = 0;
	fault_addr = NULL;
	if (sigsetjmp(fault_env, 1) == 0) {
		if (write)
			*p = 'w';
		else
			(void)*p;
		return 0;
	}
	return fault_sig;
}

/*
 * Leak checks: a program measures, runs a warm-up round, measures, runs
 * the same round again and measures once more (stress.c, sysfuzz.c).
 */
struct mem_counts {
	long free_kb;	/* MemFree */
	long slab_kb;	/* Slab: pages the kernel's object allocator holds */
	long slab_objs; /* live kernel objects: the sum of slabinfo's active_objs */
};

/*
 * Drops the kernel's caches, then reads MemFree and the live slab objects
 * through the proc mounted at proc_dir. False if something could not be read.
 */
static UTIL_UNUSED bool read_mem_counts(const char *proc_dir, struct mem_counts *c)
{
	char path[128], line[512];
	FILE *f;

	c->free_kb = c->slab_kb = c->slab_objs = -1;
	snprintf(path, sizeof(path), "%s/sys/vm/drop_caches", proc_dir);
	f = fopen(path, "w");
	if (!f || fputs("3\n", f) < 0 || fclose(f) != 0)
		return false;
	snprintf(path, sizeof(path), "%s/meminfo", proc_dir);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "MemFree: %ld kB", &c->free_kb) != 1)
			sscanf(line, "Slab: %ld kB", &c->slab_kb);
	if (f)
		fclose(f);
	snprintf(path, sizeof(path), "%s/slabinfo", proc_dir);
	f = fopen(path, "r");
	if (f)
		c->slab_objs = 0;
	while (f && fgets(line, sizeof(line), f)) {
		char name[64];
		long active;
		if (line[0] != '#' && sscanf(line, "%63s %ld", name, &active) == 2 &&
		    strcmp(name, "slabinfo"))
			c->slab_objs += active;
	}
	if (f)
		fclose(f);
	return c->free_kb >= 0 && c->slab_kb >= 0 && c->slab_objs >= 0;
}

/*
 * The exact leak check, on Tern only: Linux keeps caches drop_caches does
 * not empty, Tern must come back exactly. Prints the counts for the log.
 */
static UTIL_UNUSED void check_no_leak(const struct mem_counts *before,
				      const struct mem_counts *after)
{
	printf("%s: MemFree %ld -> %ld kB, Slab %ld -> %ld kB, slab objects %ld -> %ld\n",
	       check_area, before->free_kb, after->free_kb, before->slab_kb, after->slab_kb,
	       before->slab_objs, after->slab_objs);
	CHECK("no kernel object leaked", after->slab_objs == before->slab_objs);
	/* Slab pages may be spread over more partly used slabs than before. */
	CHECK("no page leaked",
	      after->free_kb + after->slab_kb == before->free_kb + before->slab_kb);
}

static UTIL_UNUSED bool is_tern(void)
{
	struct utsname u;

	return uname(&u) == 0 && strstr(u.release, "tern") != NULL;
}
