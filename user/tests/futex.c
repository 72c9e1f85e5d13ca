// SPDX-License-Identifier: MIT
/*
 * Guest test: futex waiters that move between futexes and many futexes
 * at once. A requeued waiter can be woken through its new futex, or time
 * out there and leave nothing behind; each of many waiters on its own
 * word is woken by its own wake alone; a ping-pong between two threads
 * loses no wake-up; a thread's exit wakes a shared waiter on its
 * CLONE_CHILD_CLEARTID word. The waiters are clone(CLONE_VM) children, which
 * share the address space and so the private futexes, rather than
 * threads, to depend on nothing but the futex calls.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

/* futex(2) operations; musl has no header for them. */
enum { FUTEX_WAIT = 0, FUTEX_WAKE = 1, FUTEX_CMP_REQUEUE = 4, FUTEX_PRIVATE_FLAG = 128 };

#define NR_WAITERS 8
#define PING_ROUNDS 2000
#define CHILD_STACK_BYTES 65536

struct waiter {
	pid_t pid;
	_Atomic int word;
	long timeout_ms; /* 0: none */
	long result;	 /* futex's return value */
	int err;	 /* and errno */
	_Atomic int done;
};

static long futex(_Atomic int *word, int op, int val, const struct timespec *timeout,
		  _Atomic int *word2, int val3)
{
	return syscall(SYS_futex, word, op | FUTEX_PRIVATE_FLAG, val, timeout, word2, val3);
}

/* Runs fn(arg) in a child sharing our memory; its pid, or -1. */
static pid_t spawn(int (*fn)(void *), void *arg)
{
	char *stack = malloc(CHILD_STACK_BYTES);

	if (!stack)
		return -1;
	return clone(fn, stack + CHILD_STACK_BYTES, CLONE_VM | SIGCHLD, arg);
}

static bool join(pid_t pid)
{
	int status = -1;

	return pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	       WEXITSTATUS(status) == 0;
}

static int wait_on_word(void *arg)
{
	struct waiter *w = arg;
	struct timespec ts = {w->timeout_ms / 1000, w->timeout_ms % 1000 * 1000000};

	w->result = futex(&w->word, FUTEX_WAIT, 0, w->timeout_ms ? &ts : NULL, NULL, 0);
	w->err = errno;
	w->done = 1;
	return 0;
}

static void pause_ms(long ms)
{
	struct timespec ts = {0, ms * 1000000};

	nanosleep(&ts, NULL);
}

/* Requeues w's waiter from its word to *to once it sleeps; false after 5 s. */
static bool requeue_when_asleep(struct waiter *w, _Atomic int *to)
{
	for (int i = 0; i < 500; i++) {
		if (futex(&w->word, FUTEX_CMP_REQUEUE, 0, (const struct timespec *)1L, to, 0) == 1)
			return true;
		pause_ms(10);
	}
	return false;
}

static void check_requeue(void)
{
	static _Atomic int target;
	struct waiter w = {.timeout_ms = 0};

	w.pid = spawn(wait_on_word, &w);
	CHECK("a sleeping waiter is requeued", requeue_when_asleep(&w, &target));
	CHECK("a wake on the old futex finds no one",
	      futex(&w.word, FUTEX_WAKE, 1, NULL, NULL, 0) == 0);
	CHECK("a wake on the new futex wakes the requeued waiter",
	      futex(&target, FUTEX_WAKE, 1, NULL, NULL, 0) == 1);
	CHECK("the requeued waiter returns 0", join(w.pid) && w.result == 0);

	struct waiter t = {.timeout_ms = 300};
	t.pid = spawn(wait_on_word, &t);
	CHECK("a waiter with a timeout is requeued", requeue_when_asleep(&t, &target));
	CHECK("the requeued waiter times out with ETIMEDOUT",
	      join(t.pid) && t.result == -1 && t.err == ETIMEDOUT);
	CHECK("a requeued waiter that timed out leaves nothing on the new futex",
	      futex(&target, FUTEX_WAKE, 1, NULL, NULL, 0) == 0);
}

static void check_many_words(void)
{
	static struct waiter ws[NR_WAITERS];
	bool each_woken_alone = true;

	for (int i = 0; i < NR_WAITERS; i++)
		ws[i].pid = spawn(wait_on_word, &ws[i]);
	for (int i = NR_WAITERS - 1; i >= 0; i--) {
		long n = 0;
		for (int tries = 0; n == 0 && tries < 500; tries++) {
			n = futex(&ws[i].word, FUTEX_WAKE, NR_WAITERS, NULL, NULL, 0);
			if (n == 0)
				pause_ms(10);
		}
		each_woken_alone &= join(ws[i].pid);
		for (int j = 0; j < i; j++)
			each_woken_alone &= !ws[j].done;
		each_woken_alone &= n == 1 && ws[i].result == 0;
	}
	CHECK("each of many waiters is woken by a wake on its own word alone", each_woken_alone);
}

static _Atomic int ball;

static int ping_partner(void *arg)
{
	for (int i = 0; i < PING_ROUNDS; i++) {
		while (ball == 0)
			futex(&ball, FUTEX_WAIT, 0, NULL, NULL, 0);
		ball = 0;
		futex(&ball, FUTEX_WAKE, 1, NULL, NULL, 0);
	}
	(void)arg;
	return 0;
}

static void check_ping_pong(void)
{
	int rounds = 0;
	pid_t partner = spawn(ping_partner, NULL);

	for (; rounds < PING_ROUNDS; rounds++) {
		ball = 1;
		futex(&ball, FUTEX_WAKE, 1, NULL, NULL, 0);
		while (ball == 1)
			futex(&ball, FUTEX_WAIT, 1, NULL, NULL, 0);
	}
	CHECK("a futex ping-pong between two tasks loses no wake-up",
	      join(partner) && rounds == PING_ROUNDS);
}

static int exit_after_pause(void *arg)
{
	(void)arg;
	pause_ms(50);
	return 0;
}

/*
 * glibc's pthread_join sleeps on the thread's CLONE_CHILD_CLEARTID word
 * with a shared FUTEX_WAIT; the kernel's wake at thread exit must reach it
 * (it was a private wake only, and glibc joins in user/tests/fpu.c hung).
 */
static void check_exit_wakes_shared_waiter(void)
{
	/* In an anonymous mapping, as glibc's thread descriptor is. */
	char *stack = mmap(NULL, CHILD_STACK_BYTES, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	_Atomic int *tid_word = (_Atomic int *)(stack + CHILD_STACK_BYTES) - 16;
	struct timespec limit = {5, 0};
	long r = 0;
	int flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |
		    CLONE_SYSVSEM | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID;

	*tid_word = 0;
	int tid = clone(exit_after_pause, (char *)tid_word - 64, flags, NULL, tid_word, NULL,
			tid_word);
	while (tid > 0 && r == 0 && *tid_word == tid)
		r = syscall(SYS_futex, tid_word, FUTEX_WAIT, tid, &limit, NULL, 0);
	CHECK("thread exit wakes a shared waiter on its CLONE_CHILD_CLEARTID word",
	      tid > 0 && *tid_word == 0 && (r == 0 || errno == EAGAIN));
	if (*tid_word == 0)
		munmap(stack, CHILD_STACK_BYTES); /* else the thread may still be on it */
}

int main(void)
{
	check_area = "futex";
	check_requeue();
	check_many_words();
	check_ping_pong();
	check_exit_wakes_shared_waiter();
	return check_failures ? 1 : 0;
}
