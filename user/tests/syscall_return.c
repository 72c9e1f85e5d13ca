// SPDX-License-Identifier: MIT
/*
 * Guest test: the way back from a syscall. Every register but rax, rcx
 * and r11 comes back as it was, rcx holds the return address and r11
 * the flags, both on the plain return and when a signal handler runs on
 * the way out (and sigreturn restores the registers). A signal that
 * arrives while a syscall sleeps interrupts it with EINTR, or restarts
 * it under SA_RESTART.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

#define RFLAGS_RESERVED_ONE (1 << 1)
#define RFLAGS_TF (1 << 8)
#define RFLAGS_IF (1 << 9)

/* The registers after the syscall, in the order probe_syscall stores them. */
struct regs {
	uint64_t rbx, rbp, r12, r13, r14, r15, rdx, rsi, rdi, r8, r9, r10, rcx, r11;
};

/*
 * probe_syscall(nr, arg0, arg1, out): makes syscall nr with arg0 and
 * arg1 and every other register set to a known value, then stores the
 * registers as they came back.
 */
long probe_syscall(long nr, long arg0, long arg1, struct regs *out);
extern const char probe_syscall_return[];
__asm__(".text\n"
	".globl probe_syscall\n"
	"probe_syscall:\n"
	"	pushq %rbx\n"
	"	pushq %rbp\n"
	"	pushq %r12\n"
	"	pushq %r13\n"
	"	pushq %r14\n"
	"	pushq %r15\n"
	"	pushq %rcx\n"
	"	movq %rdi, %rax\n"
	"	movq %rsi, %rdi\n"
	"	movq %rdx, %rsi\n"
	"	movabsq $0x1111111111111111, %rbx\n"
	"	movabsq $0x2222222222222222, %rbp\n"
	"	movabsq $0x3333333333333333, %r12\n"
	"	movabsq $0x4444444444444444, %r13\n"
	"	movabsq $0x5555555555555555, %r14\n"
	"	movabsq $0x6666666666666666, %r15\n"
	"	movabsq $0x7777777777777777, %rdx\n"
	"	movabsq $0x8888888888888888, %r8\n"
	"	movabsq $0x9999999999999999, %r9\n"
	"	movabsq $0xaaaaaaaaaaaaaaaa, %r10\n"
	"	syscall\n"
	".globl probe_syscall_return\n"
	"probe_syscall_return:\n"
	"	pushq %rax\n"
	"	movq 8(%rsp), %rax\n"
	"	movq %rbx, 0(%rax)\n"
	"	movq %rbp, 8(%rax)\n"
	"	movq %r12, 16(%rax)\n"
	"	movq %r13, 24(%rax)\n"
	"	movq %r14, 32(%rax)\n"
	"	movq %r15, 40(%rax)\n"
	"	movq %rdx, 48(%rax)\n"
	"	movq %rsi, 56(%rax)\n"
	"	movq %rdi, 64(%rax)\n"
	"	movq %r8, 72(%rax)\n"
	"	movq %r9, 80(%rax)\n"
	"	movq %r10, 88(%rax)\n"
	"	movq %rcx, 96(%rax)\n"
	"	movq %r11, 104(%rax)\n"
	"	popq %rax\n"
	"	addq $8, %rsp\n"
	"	popq %r15\n"
	"	popq %r14\n"
	"	popq %r13\n"
	"	popq %r12\n"
	"	popq %rbp\n"
	"	popq %rbx\n"
	"	ret\n");

static volatile sig_atomic_t nr_handled;

static void count_signal(int sig)
{
	(void)sig;
	nr_handled++;
}

static bool regs_kept(const struct regs *r, long arg0, long arg1)
{
	return r->rbx == 0x1111111111111111 && r->rbp == 0x2222222222222222 &&
	       r->r12 == 0x3333333333333333 && r->r13 == 0x4444444444444444 &&
	       r->r14 == 0x5555555555555555 && r->r15 == 0x6666666666666666 &&
	       r->rdx == 0x7777777777777777 && r->r8 == 0x8888888888888888 &&
	       r->r9 == 0x9999999999999999 && r->r10 == 0xaaaaaaaaaaaaaaaa &&
	       r->rdi == (uint64_t)arg0 && r->rsi == (uint64_t)arg1;
}

static bool rcx_r11_as_syscall_left_them(const struct regs *r)
{
	return r->rcx == (uint64_t)(uintptr_t)probe_syscall_return &&
	       (r->r11 & (RFLAGS_RESERVED_ONE | RFLAGS_IF | RFLAGS_TF)) ==
		       (RFLAGS_RESERVED_ONE | RFLAGS_IF);
}

static void check_registers(void)
{
	struct regs r = {0};
	long ret = probe_syscall(SYS_getppid, 0x1234, 0x5678, &r);

	CHECK("getppid returns the parent through the probe", ret == getppid());
	CHECK("a syscall keeps every register but rax, rcx and r11", regs_kept(&r, 0x1234, 0x5678));
	CHECK("after a syscall rcx is the return address and r11 the flags",
	      rcx_r11_as_syscall_left_them(&r));

	struct sigaction sa = {.sa_handler = count_signal};
	sigaction(SIGUSR1, &sa, NULL);
	nr_handled = 0;
	memset(&r, 0, sizeof(r));
	ret = probe_syscall(SYS_kill, getpid(), SIGUSR1, &r);
	CHECK("a signal sent to self is handled before kill returns", ret == 0 && nr_handled == 1);
	CHECK("registers survive a handler run on the way out of a syscall",
	      regs_kept(&r, getpid(), SIGUSR1));
	CHECK("rcx and r11 survive a handler run on the way out of a syscall",
	      rcx_r11_as_syscall_left_them(&r));
}

/* A child that lives for ms milliseconds. */
static pid_t spawn_sleeper(long ms)
{
	pid_t pid = fork();

	if (pid == 0) {
		struct timespec ts = {ms / 1000, ms % 1000 * 1000000};
		while (nanosleep(&ts, &ts) != 0)
			;
		_exit(0);
	}
	return pid;
}

static void arm_alarm(bool restart, long ms)
{
	struct sigaction sa = {.sa_handler = count_signal, .sa_flags = restart ? SA_RESTART : 0};
	struct itimerval it = {.it_value = {0, ms * 1000}};

	sigaction(SIGALRM, &sa, NULL);
	nr_handled = 0;
	setitimer(ITIMER_REAL, &it, NULL);
}

static void check_interrupted_sleep(void)
{
	pid_t pid = spawn_sleeper(300);
	int status;

	arm_alarm(false, 50);
	errno = 0;
	long r = wait4(pid, &status, 0, NULL);
	CHECK("a signal interrupts a sleeping wait4 with EINTR without SA_RESTART",
	      r == -1 && errno == EINTR && nr_handled == 1);
	arm_alarm(true, 50);
	r = wait4(pid, &status, 0, NULL);
	CHECK("with SA_RESTART the wait4 is restarted and reaps the child",
	      r == pid && nr_handled == 1 && WIFEXITED(status));
	arm_alarm(true, 50);
	errno = 0;
	r = pause();
	CHECK("pause returns EINTR after the handler, even with SA_RESTART",
	      r == -1 && errno == EINTR && nr_handled == 1);
}

int main(void)
{
	check_area = "syscall_return";
	check_registers();
	check_interrupted_sleep();
	return check_failures ? 1 : 0;
}
