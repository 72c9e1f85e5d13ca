// SPDX-License-Identifier: MIT
/*
 * Guest test: signals — rt_sigaction flags and siginfo, masks, pending
 * sets and delivery order, queueing, EINTR and SA_RESTART, sigsuspend
 * and sigtimedwait, sigaltstack, default actions, job-control signals
 * between parent and child, process-group kills, alarm and interval
 * timers, the FPU and ucontext a handler sees, and what fork inherits.
 * Runs under check_watchdog, since SIGALRM is itself under test.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>
#include <linux/futex.h>

#include "check.h"
#include "util.h"

#define SA_UNSUPPORTED_BIT 0x00000400
#define KERNEL_SIGSET_BYTES 8

static volatile sig_atomic_t hits;
static volatile int last_sig;
static volatile int last_code;
static volatile int last_pid;
static volatile int last_uid;
static volatile int last_value;
static volatile int order[8];
static volatile int n_order;
static volatile int blocked_inside;
static volatile int other_blocked_inside;
static volatile int depth;
static volatile int max_depth;

static long gettid_raw(void)
{
	return syscall(SYS_gettid);
}

static void set_action(int sig, void (*fn)(int, siginfo_t *, void *), int flags,
		       const sigset_t *mask)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fn;
	sa.sa_flags = SA_SIGINFO | flags;
	if (mask)
		sa.sa_mask = *mask;
	sigaction(sig, &sa, NULL);
}

static void set_disposition(int sig, void (*fn)(int))
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sigaction(sig, &sa, NULL);
}

static void mask_one(int how, int sig)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(how, &set, NULL);
}

static int is_blocked(int sig)
{
	sigset_t cur;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	return sigismember(&cur, sig);
}

static int is_pending(int sig)
{
	sigset_t set;
	sigpending(&set);
	return sigismember(&set, sig);
}

static void reset_record(void)
{
	hits = 0;
	last_sig = last_code = last_pid = last_uid = last_value = -1;
	n_order = 0;
}

static void record(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	hits++;
	last_sig = si->si_signo == sig ? sig : -2;
	last_code = si->si_code;
	last_pid = si->si_pid;
	last_uid = (int)si->si_uid;
	last_value = si->si_value.sival_int;
	if (n_order < 8)
		order[n_order++] = sig;
	blocked_inside = is_blocked(sig);
	other_blocked_inside = is_blocked(SIGUSR2);
}

static void nested(int sig, siginfo_t *si, void *uc)
{
	(void)si;
	(void)uc;
	hits++;
	depth++;
	if (depth > max_depth)
		max_depth = depth;
	if (hits == 1)
		kill(getpid(), sig);
	depth--;
}

static pid_t spawn(int (*body)(void))
{
	pid_t pid = fork();
	if (pid == 0)
		_exit(body());
	return pid;
}

static int reap(pid_t pid)
{
	int status = -1;
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

static int killed_by(int status, int sig)
{
	return status != -1 && WIFSIGNALED(status) && WTERMSIG(status) == sig;
}

static int exited_with(int status, int code)
{
	return status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == code;
}

static int pause_forever(void)
{
	for (;;)
		pause();
	return 0;
}

static void test_siginfo(void)
{
	union sigval v = {.sival_int = 1234};
	siginfo_t si;

	set_action(SIGUSR1, record, 0, NULL);
	reset_record();
	kill(getpid(), SIGUSR1);
	CHECK("a signal sent to self is handled before kill returns", hits == 1);
	CHECK("kill: si_signo and si_code SI_USER", last_sig == SIGUSR1 && last_code == SI_USER);
	CHECK("kill: si_pid and si_uid are the sender's",
	      last_pid == getpid() && last_uid == (int)getuid());
	reset_record();
	sigqueue(getpid(), SIGUSR1, v);
	CHECK("sigqueue: si_code SI_QUEUE, si_value and si_pid",
	      last_code == SI_QUEUE && last_value == 1234 && last_pid == getpid());
	reset_record();
	syscall(SYS_tgkill, getpid(), gettid_raw(), SIGUSR1);
	CHECK("tgkill: si_code SI_TKILL, si_pid", last_code == SI_TKILL && last_pid == getpid());
	reset_record();
	syscall(SYS_tkill, gettid_raw(), SIGUSR1);
	CHECK("tkill: si_code SI_TKILL", last_code == SI_TKILL && hits == 1);

	memset(&si, 0, sizeof(si));
	si.si_signo = SIGUSR1;
	si.si_code = SI_QUEUE;
	si.si_pid = 4242;
	si.si_value.sival_int = 77;
	reset_record();
	CHECK("rt_sigqueueinfo to self delivers the caller's siginfo as given",
	      syscall(SYS_rt_sigqueueinfo, getpid(), SIGUSR1, &si) == 0 && last_pid == 4242 &&
		      last_value == 77 && last_code == SI_QUEUE);
	pid_t child = spawn(pause_forever);
	si.si_code = SI_USER;
	CHECK_ERRNO("rt_sigqueueinfo to another process with si_code >= 0 is EPERM",
		    syscall(SYS_rt_sigqueueinfo, child, SIGUSR1, &si), EPERM);
	si.si_code = SI_TKILL;
	CHECK_ERRNO("rt_sigqueueinfo to another process with SI_TKILL is EPERM",
		    syscall(SYS_rt_sigqueueinfo, child, SIGUSR1, &si), EPERM);
	kill(child, SIGKILL);
	reap(child);
}

static void test_sigaction_flags(void)
{
	struct sigaction old;
	sigset_t mask;

	set_action(SIGUSR1, record, 0, NULL);
	reset_record();
	kill(getpid(), SIGUSR1);
	CHECK("without SA_NODEFER the signal is blocked in its handler", blocked_inside == 1);
	CHECK("the mask is restored after the handler returns", !is_blocked(SIGUSR1));
	set_action(SIGUSR1, record, SA_NODEFER, NULL);
	kill(getpid(), SIGUSR1);
	CHECK("with SA_NODEFER the signal is not blocked in its handler", blocked_inside == 0);

	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR2);
	set_action(SIGUSR1, record, 0, &mask);
	kill(getpid(), SIGUSR1);
	CHECK("sa_mask signals are blocked in the handler", other_blocked_inside == 1);
	CHECK("sa_mask signals are unblocked again after it", !is_blocked(SIGUSR2));

	memset(&old, 0, sizeof(old));
	sigaction(SIGUSR1, NULL, &old);
	CHECK("sigaction reports the installed handler, SA_SIGINFO and sa_mask",
	      old.sa_sigaction == record && (old.sa_flags & SA_SIGINFO) &&
		      sigismember(&old.sa_mask, SIGUSR2) && !sigismember(&old.sa_mask, SIGINT));

	hits = depth = max_depth = 0;
	set_action(SIGUSR1, nested, SA_NODEFER, NULL);
	kill(getpid(), SIGUSR1);
	CHECK("with SA_NODEFER a signal raised in its handler nests", hits == 2 && max_depth == 2);
	hits = depth = max_depth = 0;
	set_action(SIGUSR1, nested, 0, NULL);
	kill(getpid(), SIGUSR1);
	CHECK("without SA_NODEFER it waits until the handler returns", hits == 2 && max_depth == 1);

	set_action(SIGUSR1, record, SA_RESETHAND, NULL);
	reset_record();
	kill(getpid(), SIGUSR1);
	sigaction(SIGUSR1, NULL, &old);
	CHECK("SA_RESETHAND: the handler runs once, then the action is SIG_DFL",
	      hits == 1 && old.sa_handler == SIG_DFL);
	CHECK("SA_RESETHAND alone still blocks the signal in the handler", blocked_inside == 1);

	set_action(SIGUSR1, record, SA_UNSUPPORTED_BIT, NULL);
	sigaction(SIGUSR1, NULL, &old);
	CHECK("unknown sa_flags bits are dropped (SA_UNSUPPORTED reads back clear)",
	      (old.sa_flags & SA_UNSUPPORTED_BIT) == 0 && (old.sa_flags & SA_SIGINFO));

	struct sigaction dfl;
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_IGN;
	CHECK_ERRNO("a handler for SIGKILL is EINVAL", sigaction(SIGKILL, &dfl, NULL), EINVAL);
	CHECK_ERRNO("ignoring SIGSTOP is EINVAL", sigaction(SIGSTOP, &dfl, NULL), EINVAL);
	CHECK("querying SIGKILL's action succeeds (SIG_DFL)",
	      sigaction(SIGKILL, NULL, &old) == 0 && old.sa_handler == SIG_DFL);
	unsigned long kact[4] = {0, 0, 0, 0};
	CHECK_ERRNO("rt_sigaction of signal 0 is EINVAL",
		    syscall(SYS_rt_sigaction, 0, kact, NULL, KERNEL_SIGSET_BYTES), EINVAL);
	CHECK_ERRNO("rt_sigaction of signal 65 is EINVAL",
		    syscall(SYS_rt_sigaction, 65, NULL, kact, KERNEL_SIGSET_BYTES), EINVAL);
	CHECK_ERRNO("rt_sigaction with a sigset size other than 8 is EINVAL",
		    syscall(SYS_rt_sigaction, SIGUSR1, NULL, kact, 4), EINVAL);
	CHECK_ERRNO("kill with signal 65 is EINVAL", kill(getpid(), 65), EINVAL);
	CHECK_ERRNO("kill with signal -1 is EINVAL", kill(getpid(), -1), EINVAL);
	CHECK("kill with signal 0 probes an existing process", kill(getpid(), 0) == 0);
	set_disposition(SIGUSR1, SIG_DFL);
}

static volatile int futex_word;

static void on_timer_set_word(int sig)
{
	(void)sig;
	hits++;
	futex_word = 1;
}

static int sleep_300(void)
{
	sleep_ms(300);
	return 5;
}

static void set_alarm_handler(int restart)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_timer_set_word;
	sa.sa_flags = restart ? SA_RESTART : 0;
	sigaction(SIGALRM, &sa, NULL);
}

static long futex_wait(volatile int *word, int val, const struct timespec *timeout)
{
	return syscall(SYS_futex, word, FUTEX_WAIT, val, timeout, NULL, 0);
}

static void test_restart(void)
{
	int status;

	set_alarm_handler(0);
	pid_t pid = spawn(sleep_300);
	hits = 0;
	arm_timer_ms(30);
	CHECK_ERRNO("wait4 interrupted by a handler without SA_RESTART is EINTR",
		    wait4(pid, &status, 0, NULL), EINTR);
	set_alarm_handler(1);
	hits = 0;
	arm_timer_ms(30);
	CHECK("with SA_RESTART wait4 is restarted and returns the child",
	      wait4(pid, &status, 0, NULL) == pid && hits == 1 && exited_with(status, 5));

	struct timespec req = {2, 0}, rem = {0, 0};
	hits = 0;
	arm_timer_ms(30);
	errno = 0;
	int r = nanosleep(&req, &rem);
	CHECK("nanosleep is EINTR even with SA_RESTART", r == -1 && errno == EINTR && hits == 1);
	CHECK("nanosleep reports the remaining time",
	      rem.tv_sec == 1 || (rem.tv_sec == 0 && rem.tv_nsec > 0));

	futex_word = 0;
	hits = 0;
	arm_timer_ms(30);
	CHECK_ERRNO("futex wait restarted by SA_RESTART sees the new value (EAGAIN)",
		    futex_wait(&futex_word, 0, NULL), EAGAIN);
	struct timespec two_s = {2, 0};
	futex_word = 0;
	arm_timer_ms(30);
	CHECK_ERRNO("a futex wait with a timeout is EINTR even with SA_RESTART",
		    futex_wait(&futex_word, 0, &two_s), EINTR);
	arm_timer_ms(30);
	CHECK_ERRNO("pause returns EINTR after a handler", pause(), EINTR);

	set_alarm_handler(0);
	futex_word = 0;
	arm_timer_ms(30);
	CHECK_ERRNO("futex wait without SA_RESTART is EINTR", futex_wait(&futex_word, 0, NULL),
		    EINTR);
	set_disposition(SIGALRM, SIG_DFL);
}

static void test_masks(void)
{
	sigset_t set, old;
	siginfo_t si;

	set_action(SIGUSR1, record, 0, NULL);
	reset_record();
	mask_one(SIG_BLOCK, SIGUSR1);
	kill(getpid(), SIGUSR1);
	CHECK("a blocked signal is not delivered", hits == 0);
	CHECK("a blocked signal is pending", is_pending(SIGUSR1));
	unsigned long raw = 0;
	CHECK("rt_sigpending reports it in the kernel's 8-byte set",
	      syscall(SYS_rt_sigpending, &raw, KERNEL_SIGSET_BYTES) == 0 &&
		      raw == 1UL << (SIGUSR1 - 1));
	CHECK_ERRNO("rt_sigpending with a set larger than 8 bytes is EINVAL",
		    syscall(SYS_rt_sigpending, &raw, 16), EINVAL);
	mask_one(SIG_UNBLOCK, SIGUSR1);
	CHECK("unblocking delivers it before sigprocmask returns",
	      hits == 1 && !is_pending(SIGUSR1));

	sigfillset(&set);
	sigprocmask(SIG_BLOCK, &set, &old);
	sigprocmask(SIG_BLOCK, NULL, &set);
	CHECK("SIGKILL and SIGSTOP cannot be blocked", !sigismember(&set, SIGKILL) &&
							       !sigismember(&set, SIGSTOP) &&
							       sigismember(&set, SIGTERM));
	sigprocmask(SIG_SETMASK, &old, NULL);
	CHECK_ERRNO("sigprocmask with an unknown how is EINVAL", sigprocmask(42, &set, NULL),
		    EINVAL);
	CHECK_ERRNO("rt_sigprocmask with a sigset size other than 8 is EINVAL",
		    syscall(SYS_rt_sigprocmask, SIG_BLOCK, &raw, NULL, 4), EINVAL);

	/* Delivery order: lowest number first, standard before real-time. */
	int sigs[5] = {SIGUSR1, SIGUSR2, SIGTERM, SIGRTMIN, SIGRTMIN + 1};
	sigemptyset(&set);
	for (int i = 0; i < 5; i++)
		sigaddset(&set, sigs[i]);
	for (int i = 0; i < 5; i++)
		set_action(sigs[i], record, 0, &set);
	sigprocmask(SIG_BLOCK, &set, NULL);
	kill(getpid(), SIGRTMIN + 1);
	kill(getpid(), SIGTERM);
	kill(getpid(), SIGRTMIN);
	kill(getpid(), SIGUSR2);
	kill(getpid(), SIGUSR1);
	reset_record();
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	int in_order = n_order == 5;
	for (int i = 0; in_order && i < 5; i++)
		in_order = order[i] == sigs[i];
	CHECK("pending signals are delivered lowest first, standard before real-time", in_order);

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGSEGV);
	sigprocmask(SIG_BLOCK, &set, NULL);
	kill(getpid(), SIGINT);
	kill(getpid(), SIGSEGV);
	struct timespec zero = {0, 0};
	int first = sigtimedwait(&set, &si, &zero);
	int second = sigtimedwait(&set, &si, &zero);
	CHECK("a pending synchronous signal (SIGSEGV) is dequeued before a lower one",
	      first == SIGSEGV && second == SIGINT);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	for (int i = 0; i < 5; i++)
		set_disposition(sigs[i], SIG_DFL);
}

static void test_ignore_and_pending(void)
{
	set_disposition(SIGUSR2, SIG_IGN);
	kill(getpid(), SIGUSR2);
	CHECK("an ignored, unblocked signal is discarded", !is_pending(SIGUSR2));
	mask_one(SIG_BLOCK, SIGUSR2);
	kill(getpid(), SIGUSR2);
	CHECK("an ignored but blocked signal stays pending", is_pending(SIGUSR2));
	mask_one(SIG_UNBLOCK, SIGUSR2);
	CHECK("unblocking it discards it", !is_pending(SIGUSR2));

	set_disposition(SIGUSR2, SIG_DFL);
	mask_one(SIG_BLOCK, SIGUSR2);
	kill(getpid(), SIGUSR2);
	set_disposition(SIGUSR2, SIG_IGN);
	CHECK("setting SIG_IGN discards a pending blocked signal", !is_pending(SIGUSR2));
	set_disposition(SIGUSR2, SIG_DFL);
	mask_one(SIG_UNBLOCK, SIGUSR2);
}

static void test_suspend_and_wait(void)
{
	sigset_t set, empty;
	siginfo_t si;
	struct timespec ts;

	set_action(SIGUSR1, record, SA_RESTART, NULL);
	mask_one(SIG_BLOCK, SIGUSR1);
	kill(getpid(), SIGUSR1);
	reset_record();
	sigemptyset(&empty);
	errno = 0;
	int r = sigsuspend(&empty);
	CHECK("sigsuspend delivers the pending signal and returns EINTR (even with SA_RESTART)",
	      r == -1 && errno == EINTR && hits == 1);
	CHECK("sigsuspend restores the old mask", is_blocked(SIGUSR1));

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	ts.tv_sec = 0;
	ts.tv_nsec = 30000000;
	long t0 = now_ms();
	errno = 0;
	r = sigtimedwait(&set, &si, &ts);
	CHECK("sigtimedwait times out with EAGAIN after the timeout",
	      r == -1 && errno == EAGAIN && now_ms() - t0 >= 29);
	ts.tv_nsec = 0;
	CHECK_ERRNO("sigtimedwait with a zero timeout and nothing pending is EAGAIN",
		    sigtimedwait(&set, &si, &ts), EAGAIN);
	kill(getpid(), SIGUSR1);
	memset(&si, 0, sizeof(si));
	CHECK("sigtimedwait returns a pending signal with its siginfo",
	      sigtimedwait(&set, &si, &ts) == SIGUSR1 && si.si_signo == SIGUSR1 &&
		      si.si_code == SI_USER && si.si_pid == getpid());
	CHECK("sigtimedwait consumed it", !is_pending(SIGUSR1) && hits == 1);
	ts.tv_nsec = 1000000000;
	CHECK_ERRNO("sigtimedwait with tv_nsec 1e9 is EINVAL", sigtimedwait(&set, &si, &ts),
		    EINVAL);

	sigaddset(&set, SIGRTMIN);
	mask_one(SIG_BLOCK, SIGRTMIN);
	for (int i = 1; i <= 3; i++)
		sigqueue(getpid(), SIGRTMIN, (union sigval){.sival_int = i});
	ts.tv_nsec = 0;
	int vals[3] = {0, 0, 0};
	for (int i = 0; i < 3; i++) {
		if (sigtimedwait(&set, &si, &ts) == SIGRTMIN)
			vals[i] = si.si_value.sival_int;
	}
	CHECK("three queued real-time signals arrive in order with their values",
	      vals[0] == 1 && vals[1] == 2 && vals[2] == 3);
	CHECK_ERRNO("and then none is left", sigtimedwait(&set, &si, &ts), EAGAIN);
	for (int i = 0; i < 3; i++)
		kill(getpid(), SIGUSR1);
	int n = 0;
	while (sigtimedwait(&set, &si, &ts) == SIGUSR1)
		n++;
	CHECK("three standard signals sent while blocked coalesce into one", n == 1);
	mask_one(SIG_UNBLOCK, SIGRTMIN);
	mask_one(SIG_UNBLOCK, SIGUSR1);
	set_disposition(SIGUSR1, SIG_DFL);
}

static int queue_limit(void)
{
	struct rlimit rl = {3, 3};
	sigset_t set;
	siginfo_t si;
	struct timespec zero = {0, 0};
	int n = 0;

	/*
	 * A fresh uid has no signals queued anywhere yet: the count starts at
	 * zero. kill() of a real-time signal cannot fail with EAGAIN: past the
	 * limit it only sets the pending bit, which the queued ones share.
	 */
	if (setrlimit(RLIMIT_SIGPENDING, &rl) != 0 || setresuid(4242, 4242, 4242) != 0)
		return 10;
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN);
	sigprocmask(SIG_BLOCK, &set, NULL);
	for (int i = 0; i < 3; i++) {
		if (sigqueue(getpid(), SIGRTMIN, (union sigval){.sival_int = i}) != 0)
			return 11;
	}
	if (sigqueue(getpid(), SIGRTMIN, (union sigval){.sival_int = 3}) != -1 || errno != EAGAIN)
		return 12;
	if (kill(getpid(), SIGRTMIN) != 0)
		return 13;
	while (sigtimedwait(&set, &si, &zero) == SIGRTMIN && si.si_value.sival_int == n)
		n++;
	return n == 3 ? 0 : 14;
}

static void test_queue_limit(void)
{
	CHECK("RLIMIT_SIGPENDING: sigqueue past the limit is EAGAIN, kill still succeeds",
	      exited_with(reap(spawn(queue_limit)), 0));
}

static char *alt_base;
static size_t alt_size = 65536;
static volatile int on_alt;
static volatile int alt_flags_inside;
static volatile int alt_change_errno;

static void alt_handler(int sig)
{
	char local;
	stack_t ss, mine;
	(void)sig;
	on_alt = &local >= alt_base && &local < alt_base + alt_size;
	sigaltstack(NULL, &ss);
	alt_flags_inside = ss.ss_flags;
	memset(&mine, 0, sizeof(mine));
	mine.ss_sp = alt_base;
	mine.ss_size = alt_size;
	alt_change_errno = sigaltstack(&mine, NULL) == -1 ? errno : 0;
}

static unsigned long overflow(unsigned long n)
{
	volatile char pad[1024];
	pad[0] = (char)n;
	if (n > (1UL << 40))
		return 0;
	return overflow(n + 1) + pad[0];
}

static void die_on_alt(int sig)
{
	char local;
	(void)sig;
	_exit(&local >= alt_base && &local < alt_base + alt_size ? 42 : 1);
}

static int overflow_with_altstack(void)
{
	struct sigaction sa;
	struct rlimit rl = {256UL << 10, 256UL << 10};
	setrlimit(RLIMIT_STACK, &rl);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = die_on_alt;
	sa.sa_flags = SA_ONSTACK;
	sigaction(SIGSEGV, &sa, NULL);
	return (int)overflow(0);
}

static int overflow_without_altstack(void)
{
	struct sigaction sa;
	stack_t off = {.ss_flags = SS_DISABLE};
	struct rlimit rl = {256UL << 10, 256UL << 10};
	setrlimit(RLIMIT_STACK, &rl);
	sigaltstack(&off, NULL);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = die_on_alt;
	sa.sa_flags = SA_ONSTACK;
	sigaction(SIGSEGV, &sa, NULL);
	return (int)overflow(0);
}

static int altstack_inherited(void)
{
	stack_t ss;
	sigaltstack(NULL, &ss);
	return ss.ss_sp == alt_base && ss.ss_size == alt_size && ss.ss_flags == 0 ? 0 : 1;
}

static void test_altstack(void)
{
	stack_t ss, cur;
	struct sigaction sa;

	alt_base = malloc(alt_size);
	memset(&ss, 0, sizeof(ss));
	ss.ss_sp = alt_base;
	ss.ss_size = alt_size;
	CHECK("sigaltstack installs an alternate stack", sigaltstack(&ss, NULL) == 0);
	memset(&cur, 0x55, sizeof(cur));
	CHECK("sigaltstack reports it, flags 0 outside a handler",
	      sigaltstack(NULL, &cur) == 0 && cur.ss_sp == alt_base && cur.ss_size == alt_size &&
		      cur.ss_flags == 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = alt_handler;
	sa.sa_flags = SA_ONSTACK;
	sigaction(SIGUSR1, &sa, NULL);
	on_alt = -1;
	kill(getpid(), SIGUSR1);
	CHECK("an SA_ONSTACK handler runs on the alternate stack", on_alt == 1);
	CHECK("inside it sigaltstack reports SS_ONSTACK", alt_flags_inside == SS_ONSTACK);
	CHECK("changing the alternate stack while on it is EPERM", alt_change_errno == EPERM);
	sa.sa_flags = 0;
	sigaction(SIGUSR1, &sa, NULL);
	kill(getpid(), SIGUSR1);
	CHECK("a handler without SA_ONSTACK runs on the normal stack",
	      on_alt == 0 && alt_flags_inside == 0);
	CHECK("a fork child inherits the alternate stack",
	      exited_with(reap(spawn(altstack_inherited)), 0));
	CHECK("stack overflow: the SIGSEGV handler runs on the alternate stack",
	      exited_with(reap(spawn(overflow_with_altstack)), 42));
	CHECK("stack overflow without an alternate stack kills with SIGSEGV",
	      killed_by(reap(spawn(overflow_without_altstack)), SIGSEGV));

	ss.ss_size = 1024;
	CHECK_ERRNO("an alternate stack smaller than MINSIGSTKSZ is ENOMEM", sigaltstack(&ss, NULL),
		    ENOMEM);
	ss.ss_size = alt_size;
	ss.ss_flags = 0x1234;
	CHECK_ERRNO("sigaltstack with unknown flags is EINVAL", sigaltstack(&ss, NULL), EINVAL);
	ss.ss_flags = SS_DISABLE;
	sigaltstack(&ss, NULL);
	memset(&cur, 0x55, sizeof(cur));
	CHECK("SS_DISABLE: reported disabled, with no stack",
	      sigaltstack(NULL, &cur) == 0 && cur.ss_flags == SS_DISABLE && cur.ss_sp == NULL &&
		      cur.ss_size == 0);
	set_disposition(SIGUSR1, SIG_DFL);
}

static int send_self(int sig)
{
	kill(getpid(), sig);
	return 0;
}

static int self_chld(void)
{
	return send_self(SIGCHLD);
}

static int self_urg_winch(void)
{
	send_self(SIGURG);
	return send_self(SIGWINCH);
}

static int self_cont(void)
{
	return send_self(SIGCONT);
}

static int self_usr1(void)
{
	return send_self(SIGUSR1);
}

static int self_rtmin(void)
{
	return send_self(SIGRTMIN);
}

static int self_quit_no_core(void)
{
	struct rlimit rl = {0, 0};
	setrlimit(RLIMIT_CORE, &rl);
	return send_self(SIGQUIT);
}

static int null_deref(void)
{
	volatile int *p = NULL;
	__asm__ volatile("" : "+r"(p));
	return *p;
}

static int ignored_segv_fault(void)
{
	signal(SIGSEGV, SIG_IGN);
	return null_deref();
}

static int blocked_segv_fault(void)
{
	mask_one(SIG_BLOCK, SIGSEGV);
	return null_deref();
}

static void test_default_actions(void)
{
	CHECK("SIGCHLD is ignored by default", exited_with(reap(spawn(self_chld)), 0));
	CHECK("SIGURG and SIGWINCH are ignored by default",
	      exited_with(reap(spawn(self_urg_winch)), 0));
	CHECK("SIGCONT to a running process does not end it",
	      exited_with(reap(spawn(self_cont)), 0));
	CHECK("SIGUSR1 terminates by default", killed_by(reap(spawn(self_usr1)), SIGUSR1));
	CHECK("a real-time signal terminates by default",
	      killed_by(reap(spawn(self_rtmin)), SIGRTMIN));
	int status = reap(spawn(self_quit_no_core));
	CHECK("SIGQUIT terminates; with RLIMIT_CORE 0 no core flag",
	      killed_by(status, SIGQUIT) && !WCOREDUMP(status));
	CHECK("a NULL dereference kills with SIGSEGV", killed_by(reap(spawn(null_deref)), SIGSEGV));
	CHECK("a fault kills with SIGSEGV even if SIGSEGV is ignored",
	      killed_by(reap(spawn(ignored_segv_fault)), SIGSEGV));
	CHECK("a fault kills with SIGSEGV even if SIGSEGV is blocked",
	      killed_by(reap(spawn(blocked_segv_fault)), SIGSEGV));
}

static volatile int cont_seen;
static volatile int may_exit;

static void on_cont(int sig)
{
	(void)sig;
	cont_seen = 1;
}

static void on_may_exit(int sig)
{
	(void)sig;
	may_exit = 1;
}

/*
 * The SIGCONT and SIGUSR2 handlers are inherited from the parent, so they
 * are there before any stop; SIGUSR2 says the parent has seen the continue.
 */
static int wait_for_cont(void)
{
	while (!cont_seen || !may_exit)
		pause();
	return 7;
}

static int wait_child_signal(siginfo_t *si, long timeout_ms)
{
	sigset_t set;
	struct timespec ts = {timeout_ms / 1000, (timeout_ms % 1000) * 1000000};
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	memset(si, 0, sizeof(*si));
	return sigtimedwait(&set, si, &ts) == SIGCHLD;
}

static void test_job_control(void)
{
	siginfo_t si;
	int status;

	mask_one(SIG_BLOCK, SIGCHLD);
	set_disposition(SIGCONT, on_cont);
	set_disposition(SIGUSR2, on_may_exit);
	pid_t pid = spawn(wait_for_cont);
	set_disposition(SIGCONT, SIG_DFL);
	set_disposition(SIGUSR2, SIG_DFL);
	kill(pid, SIGSTOP);
	CHECK("SIGCHLD for a stop: CLD_STOPPED, si_status SIGSTOP, si_pid",
	      wait_child_signal(&si, 2000) && si.si_code == CLD_STOPPED &&
		      si.si_status == SIGSTOP && si.si_pid == pid);
	CHECK("waitpid WUNTRACED sees the stop", waitpid(pid, &status, WUNTRACED) == pid &&
							 WIFSTOPPED(status) &&
							 WSTOPSIG(status) == SIGSTOP);
	kill(pid, SIGCONT);
	CHECK("SIGCHLD for a continue: CLD_CONTINUED, si_status SIGCONT",
	      wait_child_signal(&si, 2000) && si.si_code == CLD_CONTINUED &&
		      si.si_status == SIGCONT && si.si_pid == pid);
	kill(pid, SIGUSR2);
	CHECK("the child's SIGCONT handler ran and it went on", exited_with(reap(pid), 7));
	CHECK("SIGCHLD for the exit: CLD_EXITED, si_status 7",
	      wait_child_signal(&si, 2000) && si.si_code == CLD_EXITED && si.si_status == 7);

	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_cont;
	sa.sa_flags = SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, NULL);
	pid = spawn(pause_forever);
	kill(pid, SIGSTOP);
	waitpid(pid, &status, WUNTRACED);
	CHECK("SA_NOCLDSTOP: no SIGCHLD when a child stops", !wait_child_signal(&si, 50));
	kill(pid, SIGCONT);
	CHECK("SA_NOCLDSTOP: no SIGCHLD when it continues", !wait_child_signal(&si, 50));
	kill(pid, SIGKILL);
	CHECK("SA_NOCLDSTOP: SIGCHLD still comes for its death (CLD_KILLED)",
	      wait_child_signal(&si, 2000) && si.si_code == CLD_KILLED && si.si_status == SIGKILL);
	reap(pid);

	sa.sa_flags = SA_NOCLDWAIT;
	sigaction(SIGCHLD, &sa, NULL);
	pid = spawn(pause_forever);
	kill(pid, SIGKILL);
	CHECK("SA_NOCLDWAIT: SIGCHLD is still sent", wait_child_signal(&si, 2000));
	CHECK_ERRNO("SA_NOCLDWAIT: the child is reaped automatically (ECHILD)",
		    waitpid(pid, &status, 0), ECHILD);

	set_disposition(SIGCHLD, SIG_IGN);
	pid = spawn(pause_forever);
	kill(pid, SIGKILL);
	CHECK_ERRNO("SIGCHLD set to SIG_IGN: waitpid blocks until the child is gone, then ECHILD",
		    waitpid(pid, &status, 0), ECHILD);
	CHECK("with SIG_IGN no SIGCHLD is queued", !is_pending(SIGCHLD));
	set_disposition(SIGCHLD, SIG_DFL);
	mask_one(SIG_UNBLOCK, SIGCHLD);
}

static int group_kill(void)
{
	pid_t kids[4];
	int status;

	setpgid(0, 0);
	for (int i = 0; i < 4; i++)
		kids[i] = spawn(pause_forever);
	set_disposition(SIGTERM, SIG_IGN);
	set_disposition(SIGUSR1, SIG_IGN);
	for (int i = 2; i < 4; i++)
		setpgid(kids[i], kids[2]);
	if (kill(-getpid(), SIGTERM) != 0)
		return 1;
	for (int i = 0; i < 2; i++) {
		if (!killed_by(reap(kids[i]), SIGTERM))
			return 2;
	}
	if (waitpid(kids[2], &status, WNOHANG) != 0)
		return 3;
	if (kill(-kids[2], SIGUSR1) != 0)
		return 4;
	for (int i = 2; i < 4; i++) {
		if (!killed_by(reap(kids[i]), SIGUSR1))
			return 5;
	}
	pid_t k = spawn(pause_forever);
	set_disposition(SIGUSR2, SIG_IGN);
	if (kill(0, SIGUSR2) != 0)
		return 6;
	return killed_by(reap(k), SIGUSR2) ? 0 : 7;
}

static void test_group_kill(void)
{
	CHECK("kill(-pgid) reaches every member of a group, and only it; kill(0) the caller's",
	      exited_with(reap(spawn(group_kill)), 0));
	CHECK_ERRNO("kill of a process group that does not exist is ESRCH", kill(-999999, SIGTERM),
		    ESRCH);
}

static void on_alarm_info(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	hits++;
	last_sig = sig;
	last_code = si->si_code;
}

static volatile int vt_hits;

static void on_vtalrm(int sig)
{
	(void)sig;
	vt_hits++;
}

/* Spins in user mode (the virtual and profiling timers count that) until *flag is set. */
static void spin_until_hit(volatile int *flag, long max_ms)
{
	long t0 = now_ms();
	while (!*flag && now_ms() - t0 < max_ms) {
		for (volatile int i = 0; i < 100000 && !*flag; i++)
			;
	}
}

static void test_timers(void)
{
	struct itimerval it, old;

	set_action(SIGALRM, on_alarm_info, 0, NULL);
	reset_record();
	long t0 = now_ms();
	alarm(1);
	errno = 0;
	int r = pause();
	long elapsed = now_ms() - t0;
	CHECK("alarm(1) interrupts pause with SIGALRM after about a second",
	      r == -1 && errno == EINTR && hits == 1 && elapsed >= 900 && elapsed < 3000);
	CHECK("the SIGALRM of a timer has si_code SI_KERNEL", last_code == SI_KERNEL);
	CHECK("alarm with no alarm set returns 0", alarm(5) == 0);
	CHECK("alarm returns the seconds left of the previous alarm", alarm(0) == 5);

	memset(&it, 0, sizeof(it));
	it.it_value.tv_usec = 50000;
	it.it_interval.tv_usec = 20000;
	setitimer(ITIMER_REAL, &it, NULL);
	memset(&old, 0, sizeof(old));
	getitimer(ITIMER_REAL, &old);
	CHECK("getitimer shows the remaining time and the interval",
	      old.it_value.tv_sec == 0 && old.it_value.tv_usec > 0 &&
		      old.it_value.tv_usec <= 50000 && old.it_interval.tv_usec == 20000);
	reset_record();
	t0 = now_ms();
	while (hits < 3 && now_ms() - t0 < 2000)
		pause();
	CHECK("a periodic ITIMER_REAL fires repeatedly", hits >= 3 && now_ms() - t0 >= 85);
	memset(&it, 0, sizeof(it));
	memset(&old, 0, sizeof(old));
	setitimer(ITIMER_REAL, &it, &old);
	CHECK("setitimer returns the old timer when disarming",
	      old.it_interval.tv_usec == 20000 && old.it_value.tv_usec <= 20000);
	getitimer(ITIMER_REAL, &old);
	CHECK("a disarmed timer reads as zero", old.it_value.tv_sec == 0 &&
							old.it_value.tv_usec == 0 &&
							old.it_interval.tv_usec == 0);

	set_disposition(SIGVTALRM, on_vtalrm);
	vt_hits = 0;
	it.it_value.tv_usec = 20000;
	setitimer(ITIMER_VIRTUAL, &it, NULL);
	spin_until_hit(&vt_hits, 3000);
	CHECK("ITIMER_VIRTUAL sends SIGVTALRM while spinning in user mode", vt_hits == 1);
	set_disposition(SIGPROF, on_vtalrm);
	vt_hits = 0;
	setitimer(ITIMER_PROF, &it, NULL);
	spin_until_hit(&vt_hits, 3000);
	CHECK("ITIMER_PROF sends SIGPROF while spinning", vt_hits == 1);
	set_disposition(SIGVTALRM, SIG_DFL);
	set_disposition(SIGPROF, SIG_DFL);

	CHECK_ERRNO("setitimer with an unknown timer is EINVAL", setitimer(5, &it, NULL), EINVAL);
	CHECK_ERRNO("getitimer with an unknown timer is EINVAL", getitimer(5, &old), EINVAL);
	it.it_value.tv_usec = 1000000;
	CHECK_ERRNO("setitimer with tv_usec 1e6 is EINVAL", setitimer(ITIMER_REAL, &it, NULL),
		    EINVAL);
	set_disposition(SIGALRM, SIG_DFL);
}

static volatile int fpu_ticks;
static volatile unsigned handler_mxcsr;
static volatile unsigned short handler_fcw;
static volatile unsigned long handler_rflags;

static void clobber_fpu(int sig)
{
	volatile double x = 3.0;
	(void)sig;
	fpu_ticks++;
	__asm__ volatile("stmxcsr %0" : "=m"(handler_mxcsr));
	__asm__ volatile("fnstcw %0" : "=m"(handler_fcw));
	__asm__ volatile("pushfq; popq %0" : "=r"(handler_rflags));
	for (int i = 0; i < 10; i++)
		x = x * 1.7 + 0.3;
	unsigned rz = 0x7f80;
	__asm__ volatile("ldmxcsr %0" ::"m"(rz));
	__asm__ volatile("pcmpeqd %%xmm0, %%xmm0\n\tmovdqa %%xmm0, %%xmm1\n\t"
			 "movdqa %%xmm0, %%xmm2\n\tmovdqa %%xmm0, %%xmm3\n\t"
			 "movdqa %%xmm0, %%xmm4\n\tmovdqa %%xmm0, %%xmm5\n\t"
			 "movdqa %%xmm0, %%xmm6\n\tmovdqa %%xmm0, %%xmm7\n\t"
			 "movdqa %%xmm0, %%xmm8\n\tmovdqa %%xmm0, %%xmm9\n\t"
			 "movdqa %%xmm0, %%xmm10\n\tmovdqa %%xmm0, %%xmm11\n\t"
			 "movdqa %%xmm0, %%xmm12\n\tmovdqa %%xmm0, %%xmm13\n\t"
			 "movdqa %%xmm0, %%xmm14\n\tmovdqa %%xmm0, %%xmm15\n\t"
			 "fninit" ::
				 : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7",
				   "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14",
				   "xmm15");
}

/* Read through a volatile so the compiler cannot hoist compute() out of a loop. */
static volatile long compute_iterations = 100000;

static double compute(void)
{
	double a = 1.0, b = 0.5, c = 0.25;
	long n = compute_iterations;
	for (long i = 0; i < n; i++) {
		a = a * 1.0000001 + b;
		b = b * 0.9999999 + c * 1e-9;
		c = c + a * 1e-12;
	}
	return a + b + c;
}

static void test_fpu(void)
{
	double want = compute();
	struct itimerval it = {{0, 2000}, {0, 2000}};
	int same = 1, runs = 0;

	set_disposition(SIGALRM, clobber_fpu);
	fpu_ticks = 0;
	setitimer(ITIMER_REAL, &it, NULL);
	while ((fpu_ticks < 5 || runs < 3) && runs < 2000) {
		if (compute() != want)
			same = 0;
		runs++;
	}
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, NULL);
	CHECK("a handler clobbering every xmm register does not disturb interrupted code",
	      same && fpu_ticks >= 5);

	unsigned mx_before = 0x1f80 | 0x6000, mx_after = 0;
	unsigned short cw_before = 0x0f7f, cw_after = 0;
	__asm__ volatile("ldmxcsr %0" ::"m"(mx_before));
	__asm__ volatile("fldcw %0" ::"m"(cw_before));
	kill(getpid(), SIGALRM);
	__asm__ volatile("stmxcsr %0" : "=m"(mx_after));
	__asm__ volatile("fnstcw %0" : "=m"(cw_after));
	unsigned mx_default = 0x1f80;
	unsigned short cw_default = 0x037f;
	__asm__ volatile("ldmxcsr %0" ::"m"(mx_default));
	__asm__ volatile("fldcw %0" ::"m"(cw_default));
	CHECK("a handler starts with the default MXCSR and x87 control word",
	      handler_mxcsr == 0x1f80 && handler_fcw == 0x037f);
	CHECK("the interrupted code's MXCSR and control word are restored",
	      mx_after == mx_before && cw_after == cw_before);

	unsigned long after;
	long nr = SYS_tgkill;
	__asm__ volatile("std\n\tsyscall\n\tpushfq\n\tpopq %[after]\n\tcld"
			 : [after] "=r"(after), "+a"(nr)
			 : "D"((long)getpid()), "S"(gettid_raw()), "d"((long)SIGALRM)
			 : "rcx", "r11", "memory");
	CHECK("a handler runs with the direction flag clear", (handler_rflags & 0x400) == 0);
	CHECK("the direction flag is restored after it", (after & 0x400) != 0);
	set_disposition(SIGALRM, SIG_DFL);
}

/*
 * Instructions that trap, each with a label on the instruction and one
 * after it, so a handler can check the reported address and skip it.
 */
__asm__(".text\n"
	".globl trap_load, trap_load_insn, trap_load_end\n"
	"trap_load:\n"
	"trap_load_insn: movq (%rdi), %rax\n"
	"trap_load_end: ret\n"
	".globl trap_store, trap_store_insn, trap_store_end\n"
	"trap_store:\n"
	"trap_store_insn: movq %rsi, (%rdi)\n"
	"trap_store_end: ret\n"
	".globl trap_ud2, trap_ud2_insn, trap_ud2_end\n"
	"trap_ud2:\n"
	"trap_ud2_insn: ud2\n"
	"trap_ud2_end: ret\n"
	".globl trap_int3, trap_int3_insn, trap_int3_end\n"
	"trap_int3:\n"
	"trap_int3_insn: int3\n"
	"trap_int3_end: ret\n"
	".globl trap_div0, trap_div0_insn, trap_div0_end\n"
	"trap_div0:\n"
	"    movl %edi, %eax\n"
	"    xorl %edx, %edx\n"
	"    xorl %ecx, %ecx\n"
	"trap_div0_insn: divl %ecx\n"
	"trap_div0_end: ret\n"
	".globl trap_hlt, trap_hlt_insn, trap_hlt_end\n"
	"trap_hlt:\n"
	"trap_hlt_insn: hlt\n"
	"trap_hlt_end: ret\n");

long trap_load(const void *p);
void trap_store(void *p, long v);
void trap_ud2(void);
void trap_int3(void);
unsigned trap_div0(unsigned x);
void trap_hlt(void);
extern char trap_load_insn[], trap_load_end[], trap_store_insn[], trap_store_end[];
extern char trap_ud2_insn[], trap_ud2_end[], trap_int3_insn[], trap_int3_end[];
extern char trap_div0_insn[], trap_div0_end[], trap_hlt_insn[], trap_hlt_end[];

static struct {
	int sig, code;
	void *addr;
	greg_t rip, trapno, err, cr2;
	int usr2_in_saved_mask;
} trap;

static const struct {
	char *insn, *end;
} skips[] = {
	{trap_load_insn, trap_load_end}, {trap_store_insn, trap_store_end},
	{trap_ud2_insn, trap_ud2_end},	 {trap_div0_insn, trap_div0_end},
	{trap_hlt_insn, trap_hlt_end},
};

static void on_trap(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;
	greg_t *g = uc->uc_mcontext.gregs;

	trap.sig = sig;
	trap.code = si->si_code;
	trap.addr = si->si_addr;
	trap.rip = g[REG_RIP];
	trap.trapno = g[REG_TRAPNO];
	trap.err = g[REG_ERR];
	trap.cr2 = g[REG_CR2];
	trap.usr2_in_saved_mask = sigismember(&uc->uc_sigmask, SIGUSR2);
	for (size_t i = 0; i < sizeof(skips) / sizeof(skips[0]); i++) {
		if (g[REG_RIP] == (greg_t)skips[i].insn) {
			g[REG_RIP] = (greg_t)skips[i].end;
			g[REG_RAX] = 0x1234;
			sigaddset(&uc->uc_sigmask, SIGUSR2);
			return;
		}
	}
	if (sig != SIGTRAP)
		signal(sig, SIG_DFL);
}

static void test_ucontext(void)
{
	set_action(SIGSEGV, on_trap, 0, NULL);
	set_action(SIGILL, on_trap, 0, NULL);
	set_action(SIGTRAP, on_trap, 0, NULL);
	set_action(SIGFPE, on_trap, 0, NULL);

	memset(&trap, 0, sizeof(trap));
	long v = trap_load((void *)0x10);
	CHECK("a handler can skip a faulting load by moving REG_RIP and set REG_RAX", v == 0x1234);
	CHECK("the load fault: SEGV_MAPERR, si_addr and REG_CR2 the address, REG_RIP the insn",
	      trap.sig == SIGSEGV && trap.code == SEGV_MAPERR && trap.addr == (void *)0x10 &&
		      trap.cr2 == 0x10 && trap.rip == (greg_t)trap_load_insn);
	CHECK("the load fault: REG_TRAPNO 14, REG_ERR 4 (user read, not present)",
	      trap.trapno == 14 && trap.err == 4);
	CHECK("uc_sigmask holds the mask of the interrupted code", trap.usr2_in_saved_mask == 0);
	CHECK("a change to uc_sigmask takes effect after the handler", is_blocked(SIGUSR2));
	mask_one(SIG_UNBLOCK, SIGUSR2);

	memset(&trap, 0, sizeof(trap));
	trap_store((void *)0x20, 1);
	CHECK("a store fault: REG_ERR 6 (user write, not present), si_addr the address",
	      trap.sig == SIGSEGV && trap.err == 6 && trap.addr == (void *)0x20);
	memset(&trap, 0, sizeof(trap));
	trap_load((void *)0xffff888000000000UL);
	CHECK("a user read of a kernel address: REG_ERR 5 (protection), SEGV_MAPERR",
	      trap.sig == SIGSEGV && trap.err == 5 && trap.code == SEGV_MAPERR &&
		      trap.addr == (void *)0xffff888000000000UL);

	memset(&trap, 0, sizeof(trap));
	trap_ud2();
	CHECK("ud2: SIGILL ILL_ILLOPN with si_addr at the instruction",
	      trap.sig == SIGILL && trap.code == ILL_ILLOPN && trap.addr == trap_ud2_insn &&
		      trap.trapno == 6);
	memset(&trap, 0, sizeof(trap));
	trap_int3();
	CHECK("int3: SIGTRAP SI_KERNEL, REG_RIP just past the int3",
	      trap.sig == SIGTRAP && trap.code == SI_KERNEL && trap.rip == (greg_t)trap_int3_end &&
		      trap.trapno == 3);
	memset(&trap, 0, sizeof(trap));
	trap_div0(7);
	CHECK("divide by zero: SIGFPE FPE_INTDIV with si_addr at the instruction",
	      trap.sig == SIGFPE && trap.code == FPE_INTDIV && trap.addr == trap_div0_insn &&
		      trap.trapno == 0);
	memset(&trap, 0, sizeof(trap));
	trap_hlt();
	CHECK("hlt in user mode: SIGSEGV SI_KERNEL, si_addr 0, REG_TRAPNO 13",
	      trap.sig == SIGSEGV && trap.code == SI_KERNEL && trap.addr == NULL &&
		      trap.trapno == 13);
	mask_one(SIG_UNBLOCK, SIGUSR2);
	set_disposition(SIGSEGV, SIG_DFL);
	set_disposition(SIGILL, SIG_DFL);
	set_disposition(SIGTRAP, SIG_DFL);
	set_disposition(SIGFPE, SIG_DFL);
}

static volatile int child_handler_ran;

static void mark_handler(int sig)
{
	(void)sig;
	child_handler_ran = 1;
}

static int fork_inherits(void)
{
	if (!is_blocked(SIGUSR1))
		return 1;
	if (is_pending(SIGUSR1))
		return 2;
	struct sigaction sa;
	sigaction(SIGUSR2, NULL, &sa);
	if (sa.sa_handler != SIG_IGN)
		return 3;
	kill(getpid(), SIGINT);
	return child_handler_ran ? 0 : 4;
}

static void test_fork_inheritance(void)
{
	mask_one(SIG_BLOCK, SIGUSR1);
	kill(getpid(), SIGUSR1);
	set_disposition(SIGUSR2, SIG_IGN);
	set_disposition(SIGINT, mark_handler);
	int status = reap(spawn(fork_inherits));
	CHECK("a fork child inherits the mask, handlers and ignored signals, not pending signals",
	      exited_with(status, 0));
	CHECK("the parent's pending signal is still pending", is_pending(SIGUSR1));
	set_disposition(SIGUSR1, SIG_IGN);
	set_disposition(SIGUSR1, SIG_DFL);
	set_disposition(SIGUSR2, SIG_DFL);
	set_disposition(SIGINT, SIG_DFL);
	mask_one(SIG_UNBLOCK, SIGUSR1);
}

static int run_tests(void)
{
	test_siginfo();
	test_sigaction_flags();
	test_restart();
	test_masks();
	test_ignore_and_pending();
	test_suspend_and_wait();
	test_queue_limit();
	test_altstack();
	test_default_actions();
	test_job_control();
	test_group_kill();
	test_timers();
	test_fpu();
	test_ucontext();
	test_fork_inheritance();
	return check_failures ? 1 : 0;
}

int main(void)
{
	check_area = "signals";
	return check_watchdog(run_tests, 60);
}
