// SPDX-License-Identifier: MIT
/*
 * Guest test: threads — pthread create/join, thread ids and TLS, the
 * futex operations under raw syscalls (wait, wake, bitsets, requeue,
 * wake-op, timeouts, private vs shared), mutex and condvar contention,
 * CLONE_CHILD_CLEARTID on a raw clone thread, robust lists, how signals
 * pick a thread, group exit, affinity and getcpu, clone3 errors.
 * Runs under check_watchdog: a lost futex wakeup must not hang the run.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/futex.h>

#include "check.h"
#include "util.h"

#define ARCH_GET_FS_CODE 0x1003

static __thread int tls_value = 5;
static pid_t main_pid;

static long gettid_raw(void)
{
	return syscall(SYS_gettid);
}

static long now_ns(clockid_t clk)
{
	struct timespec ts;
	clock_gettime(clk, &ts);
	return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

static long futex(volatile int *uaddr, int op, int val, const struct timespec *ts,
		  volatile int *uaddr2, int val3)
{
	return syscall(SYS_futex, uaddr, op, val, ts, uaddr2, val3);
}

/* The fourth futex argument carries a count, not a timeout, for requeue and wake-op. */
static const struct timespec *as_count(long n)
{
	return (const struct timespec *)n;
}

struct ids {
	int index;
	long tid;
	pid_t pid;
	pid_t ppid;
	int tls_initial;
	int tls_kept;
	void *tls_addr;
	unsigned long fs_base;
	void *self;
};

static void *report_ids(void *arg)
{
	struct ids *id = arg;
	id->tid = gettid_raw();
	id->pid = getpid();
	id->ppid = getppid();
	id->tls_initial = tls_value;
	id->tls_addr = &tls_value;
	tls_value = 1000 + id->index;
	syscall(SYS_arch_prctl, ARCH_GET_FS_CODE, &id->fs_base);
	id->self = (void *)pthread_self();
	for (int i = 0; i < 5; i++)
		sched_yield();
	id->tls_kept = tls_value == 1000 + id->index;
	return (void *)(long)(id->index * 2);
}

static void test_create_join(void)
{
	enum { N = 16 };
	pthread_t t[N];
	struct ids id[N];
	int created = 1, joined = 1;

	tls_value = 99;
	memset(id, 0, sizeof(id));
	for (int i = 0; i < N; i++) {
		id[i].index = i;
		if (pthread_create(&t[i], NULL, report_ids, &id[i]) != 0)
			created = 0;
	}
	for (int i = 0; created && i < N; i++) {
		void *ret = NULL;
		if (pthread_join(t[i], &ret) != 0 || ret != (void *)(long)(i * 2))
			joined = 0;
	}
	CHECK("16 threads are created", created);
	if (!created)
		return;
	CHECK("pthread_join returns each thread's value", joined);
	int distinct = 1, same_pid = 1, tls_ok = 1, fs_ok = 1;
	for (int i = 0; i < N; i++) {
		if (id[i].tid == main_pid || id[i].tid <= 0)
			distinct = 0;
		for (int j = 0; j < i; j++) {
			if (id[i].tid == id[j].tid || id[i].tls_addr == id[j].tls_addr ||
			    id[i].fs_base == id[j].fs_base)
				distinct = 0;
		}
		if (id[i].pid != main_pid || id[i].ppid != getppid())
			same_pid = 0;
		if (id[i].tls_initial != 5 || !id[i].tls_kept)
			tls_ok = 0;
		if (id[i].fs_base != (unsigned long)id[i].self)
			fs_ok = 0;
	}
	CHECK("every thread has its own tid, TLS block and FS base", distinct);
	CHECK("threads share getpid and getppid", same_pid);
	CHECK("a thread's __thread variable starts at its initializer and stays its own", tls_ok);
	CHECK("main's __thread variable is untouched by the threads", tls_value == 99);
	CHECK("the FS base (ARCH_GET_FS) is the thread pointer in every thread", fs_ok);
	unsigned long fs = 0, self0 = 0;
	syscall(SYS_arch_prctl, ARCH_GET_FS_CODE, &fs);
	__asm__("movq %%fs:0, %0" : "=r"(self0));
	CHECK("%fs:0 holds the thread pointer itself (x86-64 TLS ABI)", fs != 0 && self0 == fs);
	CHECK("gettid of the main thread is the pid", gettid_raw() == main_pid);
	CHECK_ERRNO("waitpid on a thread id is ECHILD", waitpid((pid_t)id[0].tid, NULL, WNOHANG),
		    ECHILD);

	pthread_t many[64];
	int ok = 1;
	for (int i = 0; i < 64; i++) {
		pthread_attr_t attr;
		pthread_attr_init(&attr);
		pthread_attr_setstacksize(&attr, 64 * 1024);
		if (pthread_create(&many[i], &attr, report_ids, &id[i % N]) != 0)
			ok = 0;
		pthread_attr_destroy(&attr);
	}
	for (int i = 0; i < 64; i++) {
		if (pthread_join(many[i], NULL) != 0)
			ok = 0;
	}
	CHECK("64 threads with 64 KiB stacks are created and joined", ok);
}

struct waiter {
	volatile int *word;
	int val;
	unsigned bitset;
	int use_bitset;
	int op_flags;
	long result;
	int err;
	volatile int done;
	pthread_t thread;
};

static volatile int arrived;

static void *wait_on_futex(void *arg)
{
	struct waiter *w = arg;
	struct timespec ts;

	__atomic_fetch_add(&arrived, 1, __ATOMIC_SEQ_CST);
	if (w->use_bitset) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_sec += 5;
		w->result = futex(w->word, FUTEX_WAIT_BITSET, w->val, &ts, NULL, (int)w->bitset);
	} else {
		ts.tv_sec = 5;
		ts.tv_nsec = 0;
		w->result = futex(w->word, FUTEX_WAIT | w->op_flags, w->val, &ts, NULL, 0);
	}
	w->err = w->result == -1 ? errno : 0;
	w->done = 1;
	return NULL;
}

/* Starts n waiters and gives them time to block in the kernel. */
static void start_waiters(struct waiter *w, int n)
{
	arrived = 0;
	for (int i = 0; i < n; i++) {
		w[i].done = 0;
		pthread_create(&w[i].thread, NULL, wait_on_futex, &w[i]);
	}
	while (arrived < n)
		sched_yield();
	sleep_ms(50);
}

static void join_waiters(struct waiter *w, int n)
{
	for (int i = 0; i < n; i++)
		pthread_join(w[i].thread, NULL);
}

static int count_done(struct waiter *w, int n)
{
	int c = 0;
	for (int i = 0; i < n; i++)
		c += w[i].done;
	return c;
}

/* Waits (up to 2 s) for at least want waiters to finish, then a little more; returns how many did. */
static int settle(struct waiter *w, int n, int want)
{
	for (int i = 0; i < 400 && count_done(w, n) < want; i++)
		sleep_ms(5);
	sleep_ms(20);
	return count_done(w, n);
}

static int all_woken(struct waiter *w, int n)
{
	for (int i = 0; i < n; i++) {
		if (w[i].result != 0)
			return 0;
	}
	return 1;
}

static void test_futex_basics(void)
{
	static volatile int word = 1;
	struct timespec ts = {0, 20000000};

	CHECK_ERRNO("FUTEX_WAIT with a value that differs is EAGAIN",
		    futex(&word, FUTEX_WAIT, 0, NULL, NULL, 0), EAGAIN);
	long t0 = now_ns(CLOCK_MONOTONIC);
	CHECK_ERRNO("FUTEX_WAIT with a relative timeout is ETIMEDOUT",
		    futex(&word, FUTEX_WAIT, 1, &ts, NULL, 0), ETIMEDOUT);
	CHECK("the relative timeout lasted at least 20 ms",
	      now_ns(CLOCK_MONOTONIC) - t0 >= 20000000L);

	struct timespec deadline;
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_nsec += 20000000;
	if (deadline.tv_nsec >= 1000000000) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000;
	}
	CHECK_ERRNO("FUTEX_WAIT_BITSET with an absolute CLOCK_MONOTONIC deadline is ETIMEDOUT",
		    futex(&word, FUTEX_WAIT_BITSET, 1, &deadline, NULL, FUTEX_BITSET_MATCH_ANY),
		    ETIMEDOUT);
	CHECK("it returned no earlier than the deadline",
	      now_ns(CLOCK_MONOTONIC) >= deadline.tv_sec * 1000000000L + deadline.tv_nsec);
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_nsec = deadline.tv_nsec >= 980000000 ? 999999999 : deadline.tv_nsec + 20000000;
	CHECK_ERRNO("FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME with a realtime deadline is ETIMEDOUT",
		    futex(&word, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME, 1, &deadline, NULL,
			  FUTEX_BITSET_MATCH_ANY),
		    ETIMEDOUT);
	CHECK_ERRNO("FUTEX_WAIT_BITSET with bitset 0 is EINVAL",
		    futex(&word, FUTEX_WAIT_BITSET, 1, &ts, NULL, 0), EINVAL);
	CHECK_ERRNO("FUTEX_WAKE_BITSET with bitset 0 is EINVAL",
		    futex(&word, FUTEX_WAKE_BITSET, 1, NULL, NULL, 0), EINVAL);
	CHECK("FUTEX_WAKE with no waiters returns 0",
	      futex(&word, FUTEX_WAKE, 1, NULL, NULL, 0) == 0);
	CHECK_ERRNO("a futex at an unaligned address is EINVAL",
		    futex((volatile int *)((char *)&word + 1), FUTEX_WAKE, 1, NULL, NULL, 0),
		    EINVAL);
	CHECK_ERRNO("FUTEX_WAIT on an unmapped address is EFAULT",
		    futex((volatile int *)16, FUTEX_WAIT, 0, NULL, NULL, 0), EFAULT);
	ts.tv_nsec = 1000000000;
	CHECK_ERRNO("FUTEX_WAIT with tv_nsec 1e9 is EINVAL",
		    futex(&word, FUTEX_WAIT, 1, &ts, NULL, 0), EINVAL);
	CHECK_ERRNO("an unknown futex operation is ENOSYS", futex(&word, 99, 0, NULL, NULL, 0),
		    ENOSYS);
}

static void test_futex_wake(void)
{
	static volatile int word;
	struct waiter w[3];

	memset(w, 0, sizeof(w));
	for (int i = 0; i < 3; i++) {
		w[i].word = &word;
		w[i].val = 0;
	}
	word = 0;
	start_waiters(w, 3);
	long r1 = futex(&word, FUTEX_WAKE, 1, NULL, NULL, 0);
	CHECK("FUTEX_WAKE 1 wakes exactly one of three waiters", r1 == 1 && settle(w, 3, 1) == 1);
	long r2 = futex(&word, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
	join_waiters(w, 3);
	CHECK("FUTEX_WAKE INT_MAX wakes the other two", r2 == 2 && all_woken(w, 3));

	memset(w, 0, sizeof(w));
	for (int i = 0; i < 2; i++) {
		w[i].word = &word;
		w[i].use_bitset = 1;
		w[i].bitset = 1u << i;
	}
	start_waiters(w, 2);
	r1 = futex(&word, FUTEX_WAKE_BITSET, INT_MAX, NULL, NULL, 2);
	CHECK("FUTEX_WAKE_BITSET wakes only waiters whose bitset matches",
	      r1 == 1 && settle(w, 2, 1) == 1 && w[1].done && !w[0].done);
	r2 = futex(&word, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
	join_waiters(w, 2);
	CHECK("plain FUTEX_WAKE matches any bitset", r2 == 1 && all_woken(w, 2));

	static volatile int priv;
	struct waiter p = {.word = &priv, .val = 0, .op_flags = FUTEX_PRIVATE_FLAG};
	start_waiters(&p, 1);
	r1 = futex(&priv, FUTEX_WAKE, 1, NULL, NULL, 0);
	r2 = futex(&priv, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	join_waiters(&p, 1);
	CHECK("a shared FUTEX_WAKE does not match a FUTEX_WAIT_PRIVATE waiter", r1 == 0);
	CHECK("FUTEX_WAKE_PRIVATE wakes it", r2 == 1 && p.result == 0);
	p.op_flags = 0;
	start_waiters(&p, 1);
	r1 = futex(&priv, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	r2 = futex(&priv, FUTEX_WAKE, 1, NULL, NULL, 0);
	join_waiters(&p, 1);
	CHECK("FUTEX_WAKE_PRIVATE does not match a shared FUTEX_WAIT waiter, FUTEX_WAKE does",
	      r1 == 0 && r2 == 1 && p.result == 0);
}

static void test_futex_requeue(void)
{
	static volatile int a, b;
	struct waiter w[3];

	memset(w, 0, sizeof(w));
	for (int i = 0; i < 3; i++)
		w[i].word = &a;
	a = b = 0;
	start_waiters(w, 3);
	long r = futex(&a, FUTEX_REQUEUE, 1, as_count(2), &b, 0);
	CHECK("FUTEX_REQUEUE returns woken plus requeued (1 + 2)", r == 3);
	CHECK("FUTEX_REQUEUE woke one waiter", settle(w, 3, 1) == 1);
	CHECK("no waiter is left on the first futex",
	      futex(&a, FUTEX_WAKE, INT_MAX, NULL, NULL, 0) == 0);
	r = futex(&b, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
	join_waiters(w, 3);
	CHECK("the two requeued waiters are woken through the second futex",
	      r == 2 && all_woken(w, 3));

	a = 5;
	CHECK_ERRNO("FUTEX_CMP_REQUEUE with a mismatched val3 is EAGAIN",
		    futex(&a, FUTEX_CMP_REQUEUE, 1, as_count(1), &b, 6), EAGAIN);
	CHECK("FUTEX_CMP_REQUEUE with a matching val3 and no waiters returns 0",
	      futex(&a, FUTEX_CMP_REQUEUE, 1, as_count(1), &b, 5) == 0);
	CHECK_ERRNO("FUTEX_CMP_REQUEUE with a negative count is EINVAL",
		    futex(&a, FUTEX_CMP_REQUEUE, -1, as_count(1), &b, 5), EINVAL);

	a = 0;
	b = 0;
	r = futex(&a, FUTEX_WAKE_OP, 1, as_count(1), &b,
		  FUTEX_OP(FUTEX_OP_ADD, 1, FUTEX_OP_CMP_EQ, 0));
	CHECK("FUTEX_WAKE_OP without waiters returns 0 and applies the operation",
	      r == 0 && b == 1);
	memset(w, 0, sizeof(w));
	w[0].word = &a;
	w[0].val = 0;
	w[1].word = &b;
	w[1].val = 1;
	start_waiters(w, 2);
	r = futex(&a, FUTEX_WAKE_OP, 1, as_count(1), &b,
		  FUTEX_OP(FUTEX_OP_SET, 7, FUTEX_OP_CMP_EQ, 1));
	join_waiters(w, 2);
	CHECK("FUTEX_WAKE_OP with a true comparison wakes on both futexes",
	      r == 2 && b == 7 && all_woken(w, 2));
	memset(w, 0, sizeof(w));
	w[0].word = &a;
	w[1].word = &b;
	w[1].val = 7;
	start_waiters(w, 2);
	r = futex(&a, FUTEX_WAKE_OP, 1, as_count(1), &b,
		  FUTEX_OP(FUTEX_OP_OR, 8, FUTEX_OP_CMP_GT, 100));
	CHECK("with a false comparison only the first futex's waiter wakes",
	      r == 1 && b == 15 && settle(w, 2, 1) == 1 && w[0].done && !w[1].done);
	futex(&b, FUTEX_WAKE, 1, NULL, NULL, 0);
	join_waiters(w, 2);
}

static void test_futex_shared(void)
{
	int *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int status = -1;

	shared[0] = 0;
	pid_t pid = fork();
	if (pid == 0) {
		/* Retried until the parent is surely waiting; a private wake must never count. */
		for (int i = 0; i < 200; i++) {
			sleep_ms(10);
			if (futex(shared, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0) != 0)
				_exit(1);
			if (futex(shared, FUTEX_WAKE, 1, NULL, NULL, 0) == 1)
				_exit(0);
		}
		_exit(2);
	}
	struct timespec ts = {5, 0};
	long r = futex(shared, FUTEX_WAIT, 0, &ts, NULL, 0);
	waitpid(pid, &status, 0);
	CHECK("a shared futex in MAP_SHARED memory is woken from another process", r == 0);
	CHECK("a private wake from another process does not reach it",
	      WIFEXITED(status) && WEXITSTATUS(status) == 0);
	munmap(shared, 4096);
}

static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *add_many(void *arg)
{
	(void)arg;
	for (int i = 0; i < 20000; i++) {
		pthread_mutex_lock(&counter_lock);
		long v = counter;
		if ((i & 1023) == 0)
			sched_yield();
		counter = v + 1;
		pthread_mutex_unlock(&counter_lock);
	}
	return NULL;
}

enum { QUEUE_LEN = 8, ITEMS = 2000 };
static pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER;
static pthread_cond_t not_full = PTHREAD_COND_INITIALIZER;
static int queue[QUEUE_LEN];
static int queue_count, queue_head;
static long consumed_sum, consumed_count;

static void *produce(void *arg)
{
	int base = (int)(long)arg;
	for (int i = 1; i <= ITEMS; i++) {
		pthread_mutex_lock(&queue_lock);
		while (queue_count == QUEUE_LEN)
			pthread_cond_wait(&not_full, &queue_lock);
		queue[(queue_head + queue_count) % QUEUE_LEN] = base + i;
		queue_count++;
		pthread_cond_signal(&not_empty);
		pthread_mutex_unlock(&queue_lock);
	}
	return NULL;
}

static void *consume(void *arg)
{
	(void)arg;
	for (;;) {
		pthread_mutex_lock(&queue_lock);
		while (queue_count == 0 && consumed_count < 2 * ITEMS)
			pthread_cond_wait(&not_empty, &queue_lock);
		if (consumed_count == 2 * ITEMS) {
			pthread_cond_broadcast(&not_empty);
			pthread_mutex_unlock(&queue_lock);
			return NULL;
		}
		consumed_sum += queue[queue_head];
		queue_head = (queue_head + 1) % QUEUE_LEN;
		queue_count--;
		consumed_count++;
		if (consumed_count == 2 * ITEMS)
			pthread_cond_broadcast(&not_empty);
		pthread_cond_signal(&not_full);
		pthread_mutex_unlock(&queue_lock);
	}
}

static void test_sync(void)
{
	pthread_t t[4];
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, add_many, NULL);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	CHECK("a mutex-protected counter incremented by 4 threads is exact", counter == 80000);

	pthread_create(&t[0], NULL, produce, (void *)0L);
	pthread_create(&t[1], NULL, produce, (void *)100000L);
	pthread_create(&t[2], NULL, consume, NULL);
	pthread_create(&t[3], NULL, consume, NULL);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	long want = 2L * ITEMS * (ITEMS + 1) / 2 + 100000L * ITEMS;
	CHECK("a condvar queue with 2 producers and 2 consumers passes every item once",
	      consumed_count == 2 * ITEMS && consumed_sum == want);
}

/*
 * raw_thread(flags, stack_top, ptid, ctid, fn, arg): clone(2) straight,
 * the child running fn(arg) on the new stack and then exit(2) with its
 * result. The child shares the parent's TLS, so fn sticks to raw syscalls.
 */
__asm__(".text\n"
	".globl raw_thread\n"
	"raw_thread:\n"
	"	subq $16, %rsi\n"
	"	movq %r8, 0(%rsi)\n"
	"	movq %r9, 8(%rsi)\n"
	"	movq %rcx, %r10\n"
	"	xorl %r8d, %r8d\n"
	"	movl $56, %eax\n"
	"	syscall\n"
	"	testq %rax, %rax\n"
	"	jnz 1f\n"
	"	popq %rax\n"
	"	popq %rdi\n"
	"	andq $-16, %rsp\n"
	"	call *%rax\n"
	"	movl %eax, %edi\n"
	"	movl $60, %eax\n"
	"	syscall\n"
	"	hlt\n"
	"1:	ret\n");
long raw_thread(unsigned long flags, void *stack_top, volatile int *ptid, volatile int *ctid,
		int (*fn)(void *), void *arg);

static volatile long raw_seen_tid;
static volatile long raw_seen_pid;

static int raw_body(void *arg)
{
	raw_seen_tid = syscall(SYS_gettid);
	raw_seen_pid = syscall(SYS_getpid);
	*(volatile int *)arg = 77;
	struct timespec ts = {0, 30000000};
	syscall(SYS_nanosleep, &ts, NULL);
	return 0;
}

static void test_clear_tid(void)
{
	static volatile int tid_word;
	static volatile int shared_value;
	char *stack = malloc(64 * 1024);
	unsigned long flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |
			      CLONE_SYSVSEM | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID;

	tid_word = -1;
	long tid = raw_thread(flags, stack + 64 * 1024, &tid_word, &tid_word, raw_body,
			      (void *)&shared_value);
	CHECK("raw clone of a thread returns its tid, also stored by CLONE_PARENT_SETTID",
	      tid > 0 && tid != main_pid && (tid_word == tid || tid_word == 0));
	int timed_out = 0;
	for (int v; (v = tid_word) != 0;) {
		struct timespec ts = {5, 0};
		if (futex(&tid_word, FUTEX_WAIT, v, &ts, NULL, 0) == -1 && errno == ETIMEDOUT) {
			timed_out = 1;
			break;
		}
	}
	CHECK("CLONE_CHILD_CLEARTID zeroes the tid word and wakes its futex at thread exit",
	      !timed_out && tid_word == 0);
	CHECK("the raw thread saw its own tid and the process's pid, and shared memory",
	      raw_seen_tid == tid && raw_seen_pid == main_pid && shared_value == 77);
	/* The tid word is cleared before the thread is released: allow it a moment. */
	int gone = 0;
	for (int i = 0; i < 200 && !gone; i++) {
		gone = syscall(SYS_tgkill, main_pid, tid, 0) == -1 && errno == ESRCH;
		if (!gone)
			sleep_ms(5);
	}
	CHECK("tgkill of the exited thread soon becomes ESRCH", gone);
	free(stack);
}

struct lock_entry {
	struct robust_list list;
	unsigned futex;
};

static void test_robust(void)
{
	struct robust_list_head *head = NULL;
	size_t len = 0;

	CHECK("get_robust_list of self reports the head size 24",
	      syscall(SYS_get_robust_list, 0, &head, &len) == 0 && len == 24);
	struct robust_list_head mine = {{&mine.list}, 0, NULL};
	struct robust_list_head *old = head;
	CHECK("set_robust_list then get_robust_list returns our head",
	      syscall(SYS_set_robust_list, &mine, sizeof(mine)) == 0 &&
		      syscall(SYS_get_robust_list, 0, &head, &len) == 0 && head == &mine);
	syscall(SYS_set_robust_list, old, sizeof(*old));
	CHECK_ERRNO("set_robust_list with a wrong size is EINVAL",
		    syscall(SYS_set_robust_list, &mine, sizeof(mine) - 1), EINVAL);
	CHECK_ERRNO("get_robust_list of a tid that does not exist is ESRCH",
		    syscall(SYS_get_robust_list, 999999, &head, &len), ESRCH);

	struct lock_entry *locks =
		mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid_t pid = fork();
	if (pid == 0) {
		struct robust_list_head h;
		h.list.next = &locks[0].list;
		locks[0].list.next = &locks[1].list;
		locks[1].list.next = &h.list;
		h.futex_offset = offsetof(struct lock_entry, futex);
		h.list_op_pending = NULL;
		locks[0].futex = (unsigned)syscall(SYS_gettid);
		locks[1].futex = (unsigned)syscall(SYS_gettid) | FUTEX_WAITERS;
		syscall(SYS_set_robust_list, &h, sizeof(h));
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	CHECK("a dead owner's robust futex word becomes FUTEX_OWNER_DIED",
	      locks[0].futex == FUTEX_OWNER_DIED);
	CHECK("FUTEX_WAITERS is kept next to FUTEX_OWNER_DIED",
	      locks[1].futex == (FUTEX_OWNER_DIED | FUTEX_WAITERS));
	munmap(locks, 4096);

	pthread_mutex_t *m =
		mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pthread_mutexattr_t attr;
	pthread_mutexattr_init(&attr);
	pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
	pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST);
	pthread_mutex_init(m, &attr);
	pid = fork();
	if (pid == 0) {
		pthread_mutex_lock(m);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	int r = pthread_mutex_lock(m);
	CHECK("locking a robust mutex whose owner died is EOWNERDEAD", r == EOWNERDEAD);
	CHECK("after pthread_mutex_consistent it works again",
	      pthread_mutex_consistent(m) == 0 && pthread_mutex_unlock(m) == 0 &&
		      pthread_mutex_lock(m) == 0 && pthread_mutex_unlock(m) == 0);
	munmap(m, 4096);
}

static volatile long handler_tid;
static volatile int stop_flag;
static volatile long target_tid;
static volatile int target_mask_inherited;
static volatile int target_ready;
static volatile int target_altstack_disabled;
static volatile char target_name[16];

static void on_usr1(int sig)
{
	(void)sig;
	handler_tid = gettid_raw();
}

static void *signal_target(void *arg)
{
	sigset_t cur;
	stack_t ss;
	(void)arg;
	target_tid = gettid_raw();
	sigprocmask(SIG_BLOCK, NULL, &cur);
	target_mask_inherited = sigismember(&cur, SIGUSR1) && sigismember(&cur, SIGUSR2);
	sigaltstack(NULL, &ss);
	target_altstack_disabled = ss.ss_flags == SS_DISABLE;
	sigemptyset(&cur);
	sigaddset(&cur, SIGUSR1);
	pthread_sigmask(SIG_UNBLOCK, &cur, NULL);
	prctl(PR_SET_NAME, "signal-target", 0, 0, 0);
	prctl(PR_GET_NAME, (char *)target_name, 0, 0, 0);
	target_ready = 1;
	while (!stop_flag)
		sleep_ms(5);
	return NULL;
}

static int wait_handler(void)
{
	for (int i = 0; i < 400 && handler_tid == 0; i++)
		sleep_ms(5);
	return handler_tid != 0;
}

static void test_thread_signals(void)
{
	sigset_t set;
	pthread_t t;
	stack_t ss;
	char *alt = malloc(65536);

	ss.ss_sp = alt;
	ss.ss_size = 65536;
	ss.ss_flags = 0;
	sigaltstack(&ss, NULL);
	signal(SIGUSR1, on_usr1);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	pthread_create(&t, NULL, signal_target, NULL);
	while (!target_ready)
		sleep_ms(1);
	CHECK("a new thread inherits its creator's signal mask", target_mask_inherited);
	CHECK("a new thread has no alternate signal stack", target_altstack_disabled);
	handler_tid = 0;
	kill(main_pid, SIGUSR1);
	CHECK("a process-directed signal goes to the thread that does not block it",
	      wait_handler() && handler_tid == target_tid);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	handler_tid = 0;
	syscall(SYS_tgkill, main_pid, target_tid, SIGUSR1);
	CHECK("tgkill runs the handler in the target thread",
	      wait_handler() && handler_tid == target_tid);
	handler_tid = 0;
	pthread_kill(pthread_self(), SIGUSR1);
	CHECK("pthread_kill to self runs the handler in the caller", handler_tid == main_pid);
	CHECK_ERRNO("tgkill with a tid outside the thread group is ESRCH",
		    syscall(SYS_tgkill, getppid(), target_tid, 0), ESRCH);
	CHECK_ERRNO("tgkill with a tgid of 0 is EINVAL", syscall(SYS_tgkill, 0, target_tid, 0),
		    EINVAL);
	char mine[16] = "";
	prctl(PR_GET_NAME, mine, 0, 0, 0);
	CHECK("PR_SET_NAME names only the calling thread",
	      strcmp((const char *)target_name, "signal-target") == 0 &&
		      strcmp(mine, "signal-target") != 0);
	stop_flag = 1;
	pthread_join(t, NULL);
	ss.ss_flags = SS_DISABLE;
	sigaltstack(&ss, NULL);
	free(alt);
	signal(SIGUSR1, SIG_DFL);
}

static volatile int blocked_forever;

static void *block_in_futex(void *arg)
{
	(void)arg;
	futex(&blocked_forever, FUTEX_WAIT, 0, NULL, NULL, 0);
	return NULL;
}

static void *group_exit_23(void *arg)
{
	(void)arg;
	sleep_ms(30);
	syscall(SYS_exit_group, 23);
	return NULL;
}

static void *crash(void *arg)
{
	volatile int *p = arg;
	sleep_ms(30);
	return (void *)(long)*p;
}

static int threads_then(void *(*fn)(void *))
{
	pthread_t t[3];
	pthread_create(&t[0], NULL, block_in_futex, NULL);
	pthread_create(&t[1], NULL, block_in_futex, NULL);
	pthread_create(&t[2], NULL, fn, NULL);
	pthread_join(t[0], NULL);
	return 99;
}

static void test_group_exit(void)
{
	int status = -1;
	pid_t pid = fork();
	if (pid == 0)
		_exit(threads_then(group_exit_23));
	waitpid(pid, &status, 0);
	CHECK("exit_group from a non-main thread ends threads blocked in futex and join",
	      WIFEXITED(status) && WEXITSTATUS(status) == 23);
	pid = fork();
	if (pid == 0)
		_exit(threads_then(crash));
	waitpid(pid, &status, 0);
	CHECK("a fault in one thread kills the whole process with SIGSEGV",
	      WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);
	pid = fork();
	if (pid == 0)
		_exit(threads_then(block_in_futex));
	sleep_ms(50);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	CHECK("SIGKILL ends a process of blocked threads",
	      WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
}

static void test_sched(void)
{
	unsigned long mask[16];
	unsigned cpu = 99, node = 99;

	CHECK("sched_yield returns 0", sched_yield() == 0);
	memset(mask, 0, sizeof(mask));
	long n = syscall(SYS_sched_getaffinity, 0, sizeof(mask), mask);
	CHECK("raw sched_getaffinity returns the mask size in bytes, a multiple of 8",
	      n >= 8 && n % 8 == 0 && n <= (long)sizeof(mask));
	CHECK("CPU 0 is in the affinity mask", (mask[0] & 1) != 0);
	CHECK("getcpu returns a CPU from the affinity mask and node 0",
	      syscall(SYS_getcpu, &cpu, &node, NULL) == 0 && cpu < 64 && (mask[0] >> cpu & 1) &&
		      node == 0);
	CHECK_ERRNO("sched_getaffinity with a size that is not a multiple of 8 is EINVAL",
		    syscall(SYS_sched_getaffinity, 0, 4, mask), EINVAL);
	CHECK_ERRNO("sched_getaffinity of a pid that does not exist is ESRCH",
		    syscall(SYS_sched_getaffinity, 999999, sizeof(mask), mask), ESRCH);
	unsigned long one = 1;
	CHECK("sched_setaffinity to CPU 0 succeeds",
	      syscall(SYS_sched_setaffinity, 0, sizeof(one), &one) == 0);
	unsigned long none = 0;
	CHECK_ERRNO("sched_setaffinity to an empty set is EINVAL",
		    syscall(SYS_sched_setaffinity, 0, sizeof(none), &none), EINVAL);
	syscall(SYS_sched_setaffinity, 0, (size_t)n, mask);
}

struct clone_args_v0 {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
};

static void test_clone3(void)
{
	struct clone_args_v0 args;
	memset(&args, 0, sizeof(args));
	args.exit_signal = SIGCHLD;
	CHECK_ERRNO("clone3 with a struct smaller than the first version is EINVAL",
		    syscall(SYS_clone3, &args, 32), EINVAL);
	args.flags = CLONE_THREAD;
	CHECK_ERRNO("clone3 with CLONE_THREAD but no CLONE_SIGHAND is EINVAL",
		    syscall(SYS_clone3, &args, sizeof(args)), EINVAL);
	args.flags = 0;
	long pid = syscall(SYS_clone3, &args, sizeof(args));
	if (pid == 0)
		syscall(SYS_exit, 31);
	int status = -1;
	CHECK("clone3 without CLONE_VM forks a child reaped with its status",
	      pid > 0 && waitpid((pid_t)pid, &status, 0) == pid && WIFEXITED(status) &&
		      WEXITSTATUS(status) == 31);
}

static int run_tests(void)
{
	main_pid = getpid();
	test_create_join();
	test_futex_basics();
	test_futex_wake();
	test_futex_requeue();
	test_futex_shared();
	test_sync();
	test_clear_tid();
	test_robust();
	test_thread_signals();
	test_group_exit();
	test_sched();
	test_clone3();
	return check_failures ? 1 : 0;
}

int main(void)
{
	check_area = "threads";
	return check_watchdog(run_tests, 60);
}
