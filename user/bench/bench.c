// SPDX-License-Identifier: MIT
/*
 * /init of the benchmark initramfs (make bench, DESIGN §7). Times one
 * kernel operation after another and prints one line per figure:
 *   bench: NAME VALUE cycles     TSC cycles per operation
 *   bench: NAME n/a REASON       the kernel lacks something it needs
 * then powers the machine off. The same image boots Tern and Linux.
 *
 * Figures are timed with the TSC, not with the kernel's clock: under
 * QEMU both kernels then share one clock (TCG passes the host TSC
 * through), a kernel's own clock calibration cannot skew its figures,
 * and a kernel without clock_gettime can still be timed. The host
 * (tools/bench.sh) turns cycles into nanoseconds with the host's rate.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <x86intrin.h>

/* Each figure's final run lasts about this long: 0.2 s at 2.5 GHz. */
#define TARGET_CYCLES 500000000.0
/* A figure still running after this long is abandoned. */
#define WATCHDOG_SECONDS 10
#define PAGE_SIZE 4096
#define FAULT_CHUNK_PAGES 256
#define SMALL_MAP_BYTES (4 * PAGE_SIZE)
#define NOP_PATH "/nop"
/* File figures run in a tmpfs of their own, the same file system on both kernels. */
#define FS_DIR "/bench-fs"
#define DEEP_DEPTH 8
#define IO_CHUNK (64 * 1024)
#define IO_FILE_BYTES (16 * 1024 * 1024)

/* futex(2) operations; musl has no header for them. */
enum { FUTEX_WAIT = 0, FUTEX_WAKE = 1, FUTEX_PRIVATE_FLAG = 128 };

struct figure {
	const char *name;
	/* Runs nr_ops operations and adds the cycles they took to *cycles.
	 * Returns 0 or -errno; may explain a failure in fail_note. */
	int (*run)(long nr_ops, uint64_t *cycles);
};

static char fail_note[64];
static long bench_tid;
static sigjmp_buf watchdog_jump;
static volatile sig_atomic_t watchdog_signal;

static const char *errno_name(int err)
{
	static const char *const names[] = {
		[EPERM] = "EPERM",     [ENOENT] = "ENOENT", [EINTR] = "EINTR",
		[ENOEXEC] = "ENOEXEC", [EBADF] = "EBADF",   [ECHILD] = "ECHILD",
		[EAGAIN] = "EAGAIN",   [ENOMEM] = "ENOMEM", [EACCES] = "EACCES",
		[EFAULT] = "EFAULT",   [EINVAL] = "EINVAL", [ENOSYS] = "ENOSYS",
	};
	static char other[24];

	if (err > 0 && (size_t)err < sizeof(names) / sizeof(names[0]) && names[err])
		return names[err];
	snprintf(other, sizeof(other), "errno %d", err);
	return other;
}

/* --- the figures ---------------------------------------------------------- */

static int run_null_syscall(long nr_ops, uint64_t *cycles)
{
	uint64_t t0 = __rdtsc();

	for (long i = 0; i < nr_ops; i++) {
		if (syscall(SYS_getppid) < 0)
			return -errno;
	}
	*cycles += __rdtsc() - t0;
	return 0;
}

/* Why clock_gettime(clock) failed: musl turns the kernel's ENOSYS into
 * EINVAL, so the kernel is asked directly. */
static int clock_failure(clockid_t clock)
{
	struct timespec ts;

	if (syscall(SYS_clock_gettime, clock, &ts) != 0)
		return -errno;
	return -EINVAL;
}

static int run_clock_gettime(long nr_ops, uint64_t *cycles)
{
	struct timespec ts;
	uint64_t t0 = __rdtsc();

	for (long i = 0; i < nr_ops; i++) {
		if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
			return clock_failure(CLOCK_MONOTONIC);
	}
	*cycles += __rdtsc() - t0;
	return 0;
}

/* Waits for child pid; 0 if it exited with status 0. A child whose exec
 * failed exits with the errno, which is handed on; one that caught a
 * fatal signal exits with 128 + the signal (on_watchdog). */
static int wait_child(pid_t pid)
{
	int status, sig = 0;

	if (waitpid(pid, &status, 0) != pid)
		return -errno;
	if (WIFSIGNALED(status))
		sig = WTERMSIG(status);
	else if (WEXITSTATUS(status) > 128)
		sig = WEXITSTATUS(status) - 128;
	if (sig) {
		snprintf(fail_note, sizeof(fail_note), "child killed by signal %d", sig);
		return -ECHILD;
	}
	return -WEXITSTATUS(status);
}

static int run_fork_exit(long nr_ops, uint64_t *cycles)
{
	uint64_t t0 = __rdtsc();

	for (long i = 0; i < nr_ops; i++) {
		pid_t pid = fork();

		if (pid < 0)
			return -errno;
		if (pid == 0)
			_exit(0);
		int err = wait_child(pid);
		if (err)
			return err;
	}
	*cycles += __rdtsc() - t0;
	return 0;
}

static int run_fork_exec(long nr_ops, uint64_t *cycles)
{
	char *argv[] = {NOP_PATH, NULL};
	char *envp[] = {NULL};
	uint64_t t0 = __rdtsc();

	for (long i = 0; i < nr_ops; i++) {
		pid_t pid = fork();

		if (pid < 0)
			return -errno;
		if (pid == 0) {
			execve(NOP_PATH, argv, envp);
			_exit(errno & 0xff);
		}
		int err = wait_child(pid);
		if (err)
			return err;
	}
	*cycles += __rdtsc() - t0;
	return 0;
}

/* One operation is one page: fresh anonymous memory is mapped in chunks,
 * and only the first write to each page is timed. */
static int run_page_fault(long nr_ops, uint64_t *cycles)
{
	for (long done = 0; done < nr_ops;) {
		long nr_pages =
			nr_ops - done < FAULT_CHUNK_PAGES ? nr_ops - done : FAULT_CHUNK_PAGES;
		volatile char *p = mmap(NULL, (size_t)nr_pages * PAGE_SIZE, PROT_READ | PROT_WRITE,
					MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			return -errno;
		uint64_t t0 = __rdtsc();
		for (long i = 0; i < nr_pages; i++)
			p[i * PAGE_SIZE] = 1;
		*cycles += __rdtsc() - t0;
		if (munmap((void *)p, (size_t)nr_pages * PAGE_SIZE) != 0)
			return -errno;
		done += nr_pages;
	}
	return 0;
}

static int run_mmap_munmap(long nr_ops, uint64_t *cycles)
{
	uint64_t t0 = __rdtsc();

	for (long i = 0; i < nr_ops; i++) {
		void *p = mmap(NULL, SMALL_MAP_BYTES, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			return -errno;
		if (munmap(p, SMALL_MAP_BYTES) != 0)
			return -errno;
	}
	*cycles += __rdtsc() - t0;
	return 0;
}

static void *thread_return(void *arg)
{
	return arg;
}

static int run_thread_create(long nr_ops, uint64_t *cycles)
{
	uint64_t t0 = __rdtsc();

	for (long i = 0; i < nr_ops; i++) {
		pthread_t thread;
		int err = pthread_create(&thread, NULL, thread_return, NULL);

		if (err)
			return -err;
		err = pthread_join(thread, NULL);
		if (err)
			return -err;
	}
	*cycles += __rdtsc() - t0;
	return 0;
}

/* The ball: PING_MAIN while the main thread holds it, PING_PARTNER while
 * the partner does; PING_STOP ends the partner. */
enum { PING_MAIN, PING_PARTNER, PING_STOP };
static _Atomic int ping_word;

static long futex_call(int op, int val)
{
	return syscall(SYS_futex, &ping_word, op | FUTEX_PRIVATE_FLAG, val, NULL, NULL, 0);
}

static void *ping_partner(void *arg)
{
	for (;;) {
		int v;

		while ((v = atomic_load(&ping_word)) == PING_MAIN)
			futex_call(FUTEX_WAIT, PING_MAIN);
		if (v == PING_STOP)
			return arg;
		atomic_store(&ping_word, PING_MAIN);
		futex_call(FUTEX_WAKE, 1);
	}
}

/* One operation is a round trip: main wakes the partner, which wakes main. */
static int run_futex_pingpong(long nr_ops, uint64_t *cycles)
{
	pthread_t partner;
	int err;

	if (futex_call(FUTEX_WAKE, 1) < 0)
		return -errno;
	atomic_store(&ping_word, PING_MAIN);
	err = pthread_create(&partner, NULL, ping_partner, NULL);
	if (err)
		return -err;
	uint64_t t0 = __rdtsc();
	for (long i = 0; i < nr_ops; i++) {
		atomic_store(&ping_word, PING_PARTNER);
		futex_call(FUTEX_WAKE, 1);
		while (atomic_load(&ping_word) == PING_PARTNER)
			futex_call(FUTEX_WAIT, PING_PARTNER);
	}
	*cycles += __rdtsc() - t0;
	atomic_store(&ping_word, PING_STOP);
	futex_call(FUTEX_WAKE, 1);
	err = pthread_join(partner, NULL);
	return -err;
}

static volatile sig_atomic_t nr_signals_caught;

static void count_signal(int sig)
{
	(void)sig;
	nr_signals_caught++;
}

/* One operation: tgkill to this thread, the handler runs, sigreturn. */
static int run_signal_roundtrip(long nr_ops, uint64_t *cycles)
{
	struct sigaction sa = {.sa_handler = count_signal};
	long pid = syscall(SYS_getpid);
	long tid = syscall(SYS_gettid);

	if (sigaction(SIGUSR1, &sa, NULL) != 0)
		return -errno;
	nr_signals_caught = 0;
	uint64_t t0 = __rdtsc();
	for (long i = 0; i < nr_ops; i++) {
		if (syscall(SYS_tgkill, pid, tid, SIGUSR1) != 0)
			return -errno;
	}
	*cycles += __rdtsc() - t0;
	if (nr_signals_caught != nr_ops) {
		snprintf(fail_note, sizeof(fail_note), "%ld of %ld signals handled",
			 (long)nr_signals_caught, nr_ops);
		return -EINVAL;
	}
	return 0;
}

/* --- files ----------------------------------------------------------------- */

static char deep_path[256];
static char io_buf[IO_CHUNK];

/* A tmpfs at FS_DIR with a directory chain DEEP_DEPTH deep ending in a file. */
static int fs_setup(void)
{
	static int state; /* 0 not tried, 1 ready, -errno failed */
	char *p = deep_path;

	if (state)
		return state < 0 ? state : 0;
	mkdir(FS_DIR, 0755);
	if (mount("tmpfs", FS_DIR, "tmpfs", 0, NULL) != 0) {
		snprintf(fail_note, sizeof(fail_note), "mount tmpfs: %s", errno_name(errno));
		return state = -errno;
	}
	p += sprintf(p, "%s", FS_DIR);
	for (int i = 0; i < DEEP_DEPTH; i++) {
		p += sprintf(p, "/d%d", i);
		if (mkdir(deep_path, 0755) != 0)
			return state = -errno;
	}
	sprintf(p, "/file");
	int fd = open(deep_path, O_CREAT | O_WRONLY, 0644);
	if (fd < 0)
		return state = -errno;
	close(fd);
	state = 1;
	return 0;
}

static int run_stat_deep(long nr_ops, uint64_t *cycles)
{
	struct stat st;
	int err = fs_setup();
	uint64_t t0 = __rdtsc();

	for (long i = 0; !err && i < nr_ops; i++)
		if (stat(deep_path, &st) != 0)
			err = -errno;
	*cycles += __rdtsc() - t0;
	return err;
}

static int run_open_close(long nr_ops, uint64_t *cycles)
{
	int err = fs_setup();
	uint64_t t0 = __rdtsc();

	for (long i = 0; !err && i < nr_ops; i++) {
		int fd = open(deep_path, O_RDONLY);
		if (fd < 0)
			err = -errno;
		else
			close(fd);
	}
	*cycles += __rdtsc() - t0;
	return err;
}

static int run_create_unlink(long nr_ops, uint64_t *cycles)
{
	int err = fs_setup();
	uint64_t t0 = __rdtsc();

	for (long i = 0; !err && i < nr_ops; i++) {
		int fd = open(FS_DIR "/new", O_CREAT | O_EXCL | O_WRONLY, 0644);
		if (fd < 0 || close(fd) != 0 || unlink(FS_DIR "/new") != 0)
			err = -errno;
	}
	*cycles += __rdtsc() - t0;
	return err;
}

/* Writes or reads a 16 MiB tmpfs file 64 KiB at a time, round and round. */
static int run_file_io(long nr_ops, uint64_t *cycles, bool is_write)
{
	int err = fs_setup();
	int fd = err ? -1 : open(FS_DIR "/io", O_CREAT | O_RDWR, 0644);
	off_t pos = 0;

	if (!err && fd < 0)
		err = -errno;
	if (!err && !is_write) { /* the file exists in full before reads are timed */
		for (off_t o = 0; o < IO_FILE_BYTES && !err; o += IO_CHUNK)
			if (pwrite(fd, io_buf, IO_CHUNK, o) != IO_CHUNK)
				err = -errno;
	}
	uint64_t t0 = __rdtsc();
	for (long i = 0; !err && i < nr_ops; i++) {
		ssize_t n = is_write ? pwrite(fd, io_buf, IO_CHUNK, pos)
				     : pread(fd, io_buf, IO_CHUNK, pos);
		if (n != IO_CHUNK)
			err = n < 0 ? -errno : -EIO;
		pos = (pos + IO_CHUNK) % IO_FILE_BYTES;
	}
	*cycles += __rdtsc() - t0;
	if (fd >= 0)
		close(fd);
	return err;
}

static int run_file_write(long nr_ops, uint64_t *cycles)
{
	return run_file_io(nr_ops, cycles, true);
}

static int run_file_read(long nr_ops, uint64_t *cycles)
{
	return run_file_io(nr_ops, cycles, false);
}

static const struct figure figures[] = {
	{"null_syscall", run_null_syscall},
	{"clock_gettime", run_clock_gettime},
	{"mmap_munmap", run_mmap_munmap},
	{"page_fault", run_page_fault},
	{"signal_roundtrip", run_signal_roundtrip},
	{"fork_exit", run_fork_exit},
	{"fork_exec", run_fork_exec},
	{"thread_create", run_thread_create},
	{"futex_pingpong", run_futex_pingpong},
	{"stat_deep", run_stat_deep},
	{"open_close", run_open_close},
	{"create_unlink", run_create_unlink},
	{"file_write", run_file_write},
	{"file_read", run_file_read},
};

/* --- the driver ------------------------------------------------------------- */

static void on_watchdog(int sig)
{
	/* Only the main thread goes back to the driver; a faulting child or
	 * thread must not carry on as a second benchmark. */
	if (syscall(SYS_gettid) != bench_tid)
		_exit(128 + sig);
	watchdog_signal = sig;
	siglongjmp(watchdog_jump, 1);
}

/* Best effort: on a kernel without signals or timers there is no
 * watchdog, and the host's timeout ends a hung run instead. */
static void watchdog_init(void)
{
	struct sigaction sa = {.sa_handler = on_watchdog, .sa_flags = SA_NODEFER};
	int sigs[] = {SIGALRM, SIGSEGV, SIGBUS, SIGILL, SIGFPE};

	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}

static void watchdog_set(unsigned int seconds)
{
	struct itimerval it = {.it_value = {.tv_sec = seconds}};

	setitimer(ITIMER_REAL, &it, NULL);
}

/*
 * Doubles the operation count from 1 until a run takes an eighth of the
 * target, then times one run scaled to the target. The short runs warm
 * caches and find a missing feature in one operation.
 */
static int measure(const struct figure *f, double *cycles_per_op)
{
	uint64_t cycles;
	long nr_ops = 1;
	int err;

	for (;;) {
		cycles = 0;
		err = f->run(nr_ops, &cycles);
		if (err)
			return err;
		if (cycles >= TARGET_CYCLES / 8)
			break;
		nr_ops *= 2;
	}
	nr_ops = (long)(nr_ops * (TARGET_CYCLES / (double)cycles)) + 1;
	cycles = 0;
	err = f->run(nr_ops, &cycles);
	*cycles_per_op = (double)cycles / (double)nr_ops;
	return err;
}

static void report_figure(const struct figure *f)
{
	double cycles_per_op = 0;
	int err;

	watchdog_set(WATCHDOG_SECONDS);
	err = measure(f, &cycles_per_op);
	watchdog_set(0);
	if (err)
		printf("bench: %s n/a %s\n", f->name, fail_note[0] ? fail_note : errno_name(-err));
	else
		printf("bench: %s %.1f cycles\n", f->name, cycles_per_op);
}

static void run_figure(const struct figure *f)
{
	fail_note[0] = '\0';
	if (sigsetjmp(watchdog_jump, 1) == 0) {
		report_figure(f);
		return;
	}
	if (watchdog_signal == SIGALRM)
		printf("bench: %s n/a timeout after %d s\n", f->name, WATCHDOG_SECONDS);
	else
		printf("bench: %s n/a signal %d\n", f->name, (int)watchdog_signal);
}

int main(void)
{
	struct timespec boot;

	setvbuf(stdout, NULL, _IOLBF, 0);
	bench_tid = syscall(SYS_gettid);
	/* The host times boot to this first line. */
	printf("bench: start\n");
	if (clock_gettime(CLOCK_BOOTTIME, &boot) == 0)
		printf("bench: boottime %lld ns\n", boot.tv_sec * 1000000000LL + boot.tv_nsec);
	else
		printf("bench: boottime n/a %s\n", errno_name(-clock_failure(CLOCK_BOOTTIME)));
	watchdog_init();
	for (size_t i = 0; i < sizeof(figures) / sizeof(figures[0]); i++)
		run_figure(&figures[i]);
	printf("bench: done\n");
	fflush(stdout);
	sync();
	reboot(RB_POWER_OFF);
	return 0;
}
