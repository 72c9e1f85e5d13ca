// SPDX-License-Identifier: MIT
/*
 * Guest test: storms. Thousands of processes forking, execing and
 * exiting; threads fighting over futex-backed mutexes and being created
 * and joined by the hundred; signals sent as fast as they can go, to a
 * process and to its threads; queued real-time signals. Every result is
 * checked exactly, and the kernel must neither panic, hang nor leak:
 * memory use after the storms (with caches dropped) must come back to
 * where it was before.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "util.h"

#define NR_FORKERS 4
#define EXECS_PER_FORKER 125
#define NR_CONTENDERS 32
#define LOCKS_PER_CONTENDER 2000
#define NR_CREATE_ROUNDS 100
#define THREADS_PER_ROUND 8
#define NR_KILLS 20000
#define NR_QUEUED 500

static const char *self_path;

/* One forker: execs this program in child mode and checks every exit code. */
static int forker(int id)
{
	for (int i = 0; i < EXECS_PER_FORKER; i++) {
		char code[8];
		snprintf(code, sizeof(code), "%d", (id * EXECS_PER_FORKER + i) & 0xff);
		pid_t pid = fork();
		if (pid < 0)
			return 1;
		if (pid == 0) {
			char *argv[] = {(char *)self_path, "stress-child", code, NULL};
			execv(self_path, argv);
			_exit(255);
		}
		int status;
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != atoi(code))
			return 2;
	}
	return 0;
}

static void test_fork_exec_storm(void)
{
	pid_t pids[NR_FORKERS];
	int nr_ok = 0;

	for (int i = 0; i < NR_FORKERS; i++) {
		pids[i] = fork();
		if (pids[i] == 0)
			_exit(forker(i));
	}
	for (int i = 0; i < NR_FORKERS; i++) {
		int status;
		if (pids[i] > 0 && waitpid(pids[i], &status, 0) == pids[i] && WIFEXITED(status) &&
		    WEXITSTATUS(status) == 0)
			nr_ok++;
	}
	CHECK("500 fork+exec+exit+wait in 4 parallel forkers, every exit code right",
	      nr_ok == NR_FORKERS);
	CHECK("no child is left behind", waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD);
}

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *contender(void *arg)
{
	(void)arg;
	for (int i = 0; i < LOCKS_PER_CONTENDER; i++) {
		pthread_mutex_lock(&lock);
		long v = counter;
		if (i % 64 == 0)
			sched_yield(); /* hold the lock across a switch now and then */
		counter = v + 1;
		pthread_mutex_unlock(&lock);
	}
	return NULL;
}

static void *short_lived(void *arg)
{
	return (void *)((long)arg * 3);
}

static void test_thread_storm(void)
{
	pthread_t t[NR_CONTENDERS];
	int nr_created = 0;

	for (int i = 0; i < NR_CONTENDERS; i++)
		if (pthread_create(&t[i], NULL, contender, NULL) == 0)
			nr_created++;
	for (int i = 0; i < nr_created; i++)
		pthread_join(t[i], NULL);
	CHECK("32 threads contending for one mutex", nr_created == NR_CONTENDERS);
	CHECK("the mutex lost no increment", counter == (long)NR_CONTENDERS * LOCKS_PER_CONTENDER);
	bool all_ok = true;
	for (int round = 0; round < NR_CREATE_ROUNDS && all_ok; round++) {
		pthread_t r[THREADS_PER_ROUND];
		for (long i = 0; i < THREADS_PER_ROUND; i++)
			all_ok &= pthread_create(&r[i], NULL, short_lived, (void *)i) == 0;
		for (long i = 0; i < THREADS_PER_ROUND && all_ok; i++) {
			void *ret;
			all_ok &= pthread_join(r[i], &ret) == 0 && (long)ret == i * 3;
		}
	}
	CHECK("800 threads created and joined with their results", all_ok);
}

static atomic_long nr_usr1;
static volatile sig_atomic_t got_usr2;

static void on_usr1(int sig)
{
	(void)sig;
	atomic_fetch_add(&nr_usr1, 1);
}

static void on_usr2(int sig)
{
	(void)sig;
	got_usr2 = 1;
}

static void test_signal_storm(void)
{
	struct sigaction sa = {.sa_handler = on_usr1, .sa_flags = SA_RESTART};
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = on_usr2;
	sigaction(SIGUSR2, &sa, NULL);
	pid_t parent = getpid();
	pid_t child = fork();
	if (child == 0) {
		for (int i = 0; i < NR_KILLS; i++)
			if (kill(parent, SIGUSR1) != 0)
				_exit(1);
		kill(parent, SIGUSR2);
		_exit(0);
	}
	while (!got_usr2)
		usleep(1000);
	int status;
	waitpid(child, &status, 0);
	CHECK("20000 kills from a child all succeed",
	      WIFEXITED(status) && WEXITSTATUS(status) == 0);
	long n = atomic_load(&nr_usr1);
	CHECK("the storm was caught, coalescing as standard signals do", n >= 1 && n <= NR_KILLS);
	CHECK("the last signal after the storm still arrives", got_usr2);

	sigset_t rt, old;
	sigemptyset(&rt);
	sigaddset(&rt, SIGRTMIN + 1);
	sigprocmask(SIG_BLOCK, &rt, &old);
	int nr_queued = 0;
	for (int i = 0; i < NR_QUEUED; i++)
		if (sigqueue(getpid(), SIGRTMIN + 1, (union sigval){.sival_int = i}) == 0)
			nr_queued++;
		else if (errno != EAGAIN)
			break;
	bool in_order = true;
	int nr_taken = 0;
	struct timespec zero = {0};
	siginfo_t info;
	while (sigtimedwait(&rt, &info, &zero) == SIGRTMIN + 1) {
		in_order &= info.si_value.sival_int == nr_taken;
		nr_taken++;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	CHECK("queued real-time signals are all taken, in order",
	      nr_queued > 0 && nr_taken == nr_queued && in_order);
}

static atomic_int thread_hits[4];
static atomic_bool stop_threads;
static __thread int thread_index = -1;

/* Counts, per thread, the signals its handler saw. */
static void on_thread_signal(int sig)
{
	(void)sig;
	if (thread_index >= 0)
		atomic_fetch_add(&thread_hits[thread_index], 1);
}

static void *signal_target(void *arg)
{
	thread_index = (int)(long)arg;
	while (!atomic_load(&stop_threads)) {
		struct timespec ts = {0, 1000000};
		nanosleep(&ts, NULL);
	}
	return NULL;
}

static void test_thread_signal_storm(void)
{
	struct sigaction sa = {.sa_handler = on_thread_signal}; /* no SA_RESTART: EINTR */
	pthread_t t[4];
	pid_t tids[4] = {0};

	sigaction(SIGUSR1, &sa, NULL);
	for (long i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, signal_target, (void *)i);
	usleep(10000);
	int nr_sent = 0;
	for (int i = 0; i < 2000; i++)
		if (pthread_kill(t[i % 4], SIGUSR1) == 0)
			nr_sent++;
	usleep(50000);
	atomic_store(&stop_threads, true);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	(void)tids;
	int nr_hit = 0;
	for (int i = 0; i < 4; i++)
		nr_hit += thread_hits[i] > 0;
	CHECK("2000 pthread_kill to four threads all succeed", nr_sent == 2000);
	CHECK("every thread ran its handler for the signals sent to it", nr_hit == 4);
}

#define PROC_DIR "/tmp/stress-proc"

int main(int argc, char **argv)
{
	struct mem_counts before, after;

	if (argc == 3 && !strcmp(argv[1], "stress-child"))
		return atoi(argv[2]);
	check_area = "stress";
	self_path = argv[0];
	mkdir("/tmp", 0777);
	mkdir(PROC_DIR, 0755);
	CHECK("mount proc for the memory counters", mount("proc", PROC_DIR, "proc", 0, NULL) == 0);
	/*
	 * Two rounds of storms, each in a child so that all it used is freed
	 * when it is reaped. The first warms up what grows to a high-water
	 * mark and stays (stdio's buffers, page tables over kernel stacks);
	 * the second must leave memory exactly as it found it.
	 */
	for (int round = 0; round < 2; round++) {
		if (round == 1)
			CHECK("memory counters before the second round",
			      read_mem_counts(PROC_DIR, &before));
		check_area = round ? "stress" : "stress warm-up";
		pid_t pid = fork();
		if (pid == 0) {
			test_fork_exec_storm();
			test_thread_storm();
			test_signal_storm();
			test_thread_signal_storm();
			fflush(stdout);
			_exit(check_failures ? 1 : 0);
		}
		int status;
		CHECK("the storms ran to the end", waitpid(pid, &status, 0) == pid &&
							   WIFEXITED(status) &&
							   WEXITSTATUS(status) == 0);
		if (round == 0)
			read_mem_counts(PROC_DIR, &before);
	}
	CHECK("memory counters after the storms", read_mem_counts(PROC_DIR, &after));
	if (is_tern())
		check_no_leak(&before, &after);
	umount(PROC_DIR);
	return check_failures ? 1 : 0;
}
