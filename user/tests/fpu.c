// SPDX-License-Identifier: MIT
/*
 * Guest test: per-thread FPU state. x87, SSE and (where CPUID and XGETBV
 * say the kernel enabled it) AVX registers keep their values across
 * sched_yield while another thread and another process load different
 * values, across fork, and across a signal handler that clobbers them.
 * The handler finds the state in its frame as Linux lays it out
 * (UC_FP_XSTATE, the software bytes, FP_XSTATE_MAGIC2) and what it
 * writes there is what sigreturn loads; a frame without the magic loads
 * as legacy FXSAVE state, a bad XSAVE header is a SIGSEGV, a NULL
 * fpstate means initial state. exec starts with the initial control
 * words, and AT_MINSIGSTKSZ covers a real frame.
 */
#define _GNU_SOURCE
#include <cpuid.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#include "check.h"

#ifndef AT_MINSIGSTKSZ
#define AT_MINSIGSTKSZ 51
#endif
#define KERNEL_MINSIGSTKSZ 2048 /* asm/signal.h; glibc's MINSIGSTKSZ may be sysconf's */
#define UC_FP_XSTATE_FLAG 0x1
#define FP_MAGIC1 0x46505853u
#define FP_MAGIC2 0x46505845u
#define XFEATURE_AVX 0x4
#define ROUNDS 200

/* Offsets in the frame's FPU area (struct _fpstate_64, struct _fpx_sw_bytes, the XSAVE header). */
enum {
	FX_MXCSR = 24,
	FX_XMM = 160,
	SW_MAGIC1 = 464,
	SW_EXTENDED_SIZE = 468,
	SW_XFEATURES = 472,
	SW_XSTATE_SIZE = 480,
	XSAVE_HEADER = 512,
};

/* The vector and control registers one asm block loads and stores. */
struct vregs {
	uint8_t ymm[16][32];
	uint32_t mxcsr;
	uint16_t fcw;
	double st0;
} __attribute__((aligned(32)));

static bool has_avx;
static uint32_t avx_offset; /* of the YMM upper halves in the XSAVE area */

static void pattern_fill(struct vregs *v, unsigned int seed, bool upper_halves)
{
	memset(v, 0, sizeof(*v));
	for (int r = 0; r < 16; r++)
		for (int i = 0; i < (upper_halves ? 32 : 16); i++)
			v->ymm[r][i] = (uint8_t)(seed * 31 + r * 17 + i * 3 + 1);
	v->mxcsr = 0x1f80 | (seed & 1 ? 0x6000 : 0x2000); /* rounding mode */
	v->fcw = seed & 1 ? 0x027f : 0x0e7f;
	v->st0 = 1.5 + seed;
}

static bool vregs_equal(const struct vregs *a, const struct vregs *b, bool upper_halves)
{
	for (int r = 0; r < 16; r++)
		if (memcmp(a->ymm[r], b->ymm[r], upper_halves ? 32 : 16) != 0)
			return false;
	return a->mxcsr == b->mxcsr && a->fcw == b->fcw && !memcmp(&a->st0, &b->st0, 8);
}

#define X(op, n) op " " #n "*32(%[in]), %%ymm" #n "\n\t"
#define Y(op, n) op " %%ymm" #n ", " #n "*32(%[out])\n\t"
#define XMM_IN(n) "movdqu " #n "*32(%[in]), %%xmm" #n "\n\t"
#define XMM_OUT(n) "movdqu %%xmm" #n ", " #n "*32(%[out])\n\t"
#define ALL16(m, ...)                                                                          \
	m(__VA_ARGS__ 0) m(__VA_ARGS__ 1) m(__VA_ARGS__ 2) m(__VA_ARGS__ 3) m(__VA_ARGS__ 4)   \
		m(__VA_ARGS__ 5) m(__VA_ARGS__ 6) m(__VA_ARGS__ 7) m(__VA_ARGS__ 8)            \
			m(__VA_ARGS__ 9) m(__VA_ARGS__ 10) m(__VA_ARGS__ 11) m(__VA_ARGS__ 12) \
				m(__VA_ARGS__ 13) m(__VA_ARGS__ 14) m(__VA_ARGS__ 15)
#define VEC_CLOBBERS                                                                             \
	"xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", \
		"xmm11", "xmm12", "xmm13", "xmm14", "xmm15"
/* The control words and x87 top go in first and come out last. */
#define CTL_IN "ldmxcsr %c[mx](%[in])\n\tfldcw %c[cw](%[in])\n\tfldl %c[st](%[in])\n\t"
#define CTL_OUT "stmxcsr %c[mx](%[out])\n\tfnstcw %c[cw](%[out])\n\tfstpl %c[st](%[out])\n\t"
#define SYSCALL_LOOP              \
	"1: mov %[nr], %%rax\n\t" \
	"syscall\n\t"             \
	"dec %[count]\n\t"        \
	"jnz 1b\n\t"
#define ASM_OPERANDS                                                                      \
	: "=&a"(ret), [count] "+r"(count)                                                   \
	: [in] "r"(in), [out] "r"(out), [nr] "r"(nr), "D"(a0), "S"(a1), "d"(a2),            \
	  [mx] "i"(offsetof(struct vregs, mxcsr)), [cw] "i"(offsetof(struct vregs, fcw)), \
	  [st] "i"(offsetof(struct vregs, st0))                                             \
	: "rcx", "r11", "memory", "st", VEC_CLOBBERS

/*
 * Loads in into the registers, makes syscall nr count times, stores the
 * registers to out: no compiled code runs in between to disturb them.
 * The syscall's last result is returned (fork returns in both processes).
 */
__attribute__((target("avx"))) static long ymm_around_syscall(const struct vregs *in,
							      struct vregs *out, long nr, long a0,
							      long a1, long a2, long count)
{
	long ret;

	__asm__ __volatile__(CTL_IN ALL16(X, "vmovdqu", ) SYSCALL_LOOP ALL16(Y, "vmovdqu", )
				     CTL_OUT ASM_OPERANDS);
	return ret;
}

/* The same with SSE registers only (the lower 16 bytes of each slot). */
static long xmm_around_syscall(const struct vregs *in, struct vregs *out, long nr, long a0, long a1,
			       long a2, long count)
{
	long ret;

	__asm__ __volatile__(CTL_IN ALL16(XMM_IN) SYSCALL_LOOP ALL16(XMM_OUT) CTL_OUT ASM_OPERANDS);
	return ret;
}

static long regs_around_syscall(const struct vregs *in, struct vregs *out, long nr, long a0,
				long a1, long a2, long count)
{
	if (has_avx)
		return ymm_around_syscall(in, out, nr, a0, a1, a2, count);
	return xmm_around_syscall(in, out, nr, a0, a1, a2, count);
}

__attribute__((target("avx"))) static void ymm_store(struct vregs *out)
{
	__asm__ __volatile__(
		ALL16(Y, "vmovdqu", ) "stmxcsr %c[mx](%[out])\n\t"
				      "fnstcw %c[cw](%[out])" ::[out] "r"(out),
		[mx] "i"(offsetof(struct vregs, mxcsr)), [cw] "i"(offsetof(struct vregs, fcw))
		: "memory");
}

__attribute__((target("avx"))) static void ymm_load(const struct vregs *in)
{
	__asm__ __volatile__(
		ALL16(X, "vmovdqu", ) "ldmxcsr %c[mx](%[in])" ::[in] "r"(in), [mx] "i"(offsetof(
										      struct vregs,
										      mxcsr))
		: VEC_CLOBBERS);
}

static void xmm_load(const struct vregs *in)
{
	__asm__ __volatile__(
		ALL16(XMM_IN) "ldmxcsr %c[mx](%[in])" ::[in] "r"(in), [mx] "i"(offsetof(
									      struct vregs, mxcsr))
		: VEC_CLOBBERS);
}

static void detect_avx(void)
{
	unsigned int a, b, c, d;

	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_OSXSAVE) || !(c & bit_AVX))
		return;
	unsigned int xcr0_lo, xcr0_hi;
	__asm__("xgetbv" : "=a"(xcr0_lo), "=d"(xcr0_hi) : "c"(0));
	if ((xcr0_lo & 6) != 6)
		return;
	__cpuid_count(0xd, 2, a, b, c, d);
	avx_offset = b;
	has_avx = true;
}

static bool has_osxsave(void)
{
	unsigned int a, b, c, d;

	return __get_cpuid(1, &a, &b, &c, &d) && (c & bit_OSXSAVE);
}

/* --- context switches --------------------------------------------------- */

static int yield_rounds_keep(unsigned int seed)
{
	struct vregs in, out;

	pattern_fill(&in, seed, has_avx);
	regs_around_syscall(&in, &out, SYS_sched_yield, 0, 0, 0, ROUNDS);
	return vregs_equal(&in, &out, has_avx) ? 0 : 1;
}

static void *hammer_thread(void *arg)
{
	*(int *)arg = yield_rounds_keep(7);
	return NULL;
}

static void check_context_switch(void)
{
	pthread_t th;
	int thread_result = -1, status = 0;

	CHECK("thread: created", pthread_create(&th, NULL, hammer_thread, &thread_result) == 0);
	CHECK("registers survive sched_yield against another thread", yield_rounds_keep(1) == 0);
	pthread_join(th, NULL);
	CHECK("the other thread kept its own registers", thread_result == 0);

	pid_t pid = fork();
	if (pid == 0)
		_exit(yield_rounds_keep(4));
	CHECK("registers survive sched_yield against another process", yield_rounds_keep(2) == 0);
	CHECK("the other process kept its own registers",
	      waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void check_fork(void)
{
	struct vregs in, out;
	int status = 0;

	pattern_fill(&in, 3, has_avx);
	long pid = regs_around_syscall(&in, &out, SYS_fork, 0, 0, 0, 1);
	if (pid == 0)
		_exit(vregs_equal(&in, &out, has_avx) ? 0 : 1);
	CHECK("fork: parent keeps its registers", pid > 0 && vregs_equal(&in, &out, has_avx));
	CHECK("fork: child starts with the parent's registers",
	      waitpid((pid_t)pid, &status, 0) == pid && WIFEXITED(status) &&
		      WEXITSTATUS(status) == 0);
}

/* --- signal frames ------------------------------------------------------ */

enum frame_edit {
	EDIT_NONE,	    /* clobber the registers, leave the frame */
	EDIT_REGS,	    /* change xmm5 and ymm3's upper half in the frame */
	EDIT_NO_MAGIC1,	    /* ... and clear magic1: a legacy frame */
	EDIT_NO_MAGIC2,	    /* ... and clear magic2: a legacy frame too */
	EDIT_NULL_FPSTATE,  /* uc_mcontext.fpregs = NULL: initial state */
	EDIT_BAD_XSTATE_BV, /* a component XCR0 lacks (8, processor trace) */
	EDIT_BAD_XCOMP_BV,  /* compacted-format bits in a standard frame */
	EDIT_BAD_RESERVED,  /* header bytes 23:16 */
};

static enum frame_edit frame_edit;
static struct vregs handler_entry_regs, handler_junk;
static struct {
	unsigned long uc_flags;
	uint32_t magic1, magic2, extended_size, xstate_size;
	uint64_t xfeatures, xstate_bv;
} seen;
static const uint8_t new_xmm5[16] = "xmm5 from frame";
static const uint8_t new_ymmh3[16] = "ymm3 upper half";

static void frame_handler(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;

	(void)sig, (void)si;
	if (has_avx)
		ymm_store(&handler_entry_regs);
	uint8_t *fp = (uint8_t *)uc->uc_mcontext.fpregs;
	seen.uc_flags = uc->uc_flags;
	memcpy(&seen.magic1, fp + SW_MAGIC1, 4);
	memcpy(&seen.extended_size, fp + SW_EXTENDED_SIZE, 4);
	memcpy(&seen.xfeatures, fp + SW_XFEATURES, 8);
	memcpy(&seen.xstate_size, fp + SW_XSTATE_SIZE, 4);
	bool is_xsave = seen.uc_flags & UC_FP_XSTATE_FLAG;
	if (is_xsave) {
		memcpy(&seen.magic2, fp + seen.xstate_size, 4);
		memcpy(&seen.xstate_bv, fp + XSAVE_HEADER, 8);
	}
	if (frame_edit != EDIT_NONE && frame_edit != EDIT_NULL_FPSTATE) {
		memcpy(fp + FX_XMM + 5 * 16, new_xmm5, 16);
		if (is_xsave && has_avx) {
			memcpy(fp + avx_offset + 3 * 16, new_ymmh3, 16);
			uint64_t bv = seen.xstate_bv | XFEATURE_AVX;
			memcpy(fp + XSAVE_HEADER, &bv, 8);
		}
	}
	uint64_t bad = 0;
	switch (frame_edit) {
	case EDIT_NO_MAGIC1:
		memset(fp + SW_MAGIC1, 0, 4);
		break;
	case EDIT_NO_MAGIC2:
		if (is_xsave)
			memset(fp + seen.xstate_size, 0, 4);
		break;
	case EDIT_NULL_FPSTATE:
		uc->uc_mcontext.fpregs = NULL;
		break;
	case EDIT_BAD_XSTATE_BV:
		bad = seen.xstate_bv | 1ULL << 8;
		memcpy(fp + XSAVE_HEADER, &bad, 8);
		break;
	case EDIT_BAD_XCOMP_BV:
	case EDIT_BAD_RESERVED:
		bad = 1;
		memcpy(fp + XSAVE_HEADER + (frame_edit == EDIT_BAD_XCOMP_BV ? 8 : 16), &bad, 8);
		break;
	default:
		break;
	}
	/* Clobber everything the interrupted code holds. */
	if (has_avx)
		ymm_load(&handler_junk);
	else
		xmm_load(&handler_junk);
}

static void frame_handler_install(enum frame_edit edit)
{
	struct sigaction sa = {.sa_sigaction = frame_handler, .sa_flags = SA_SIGINFO};

	frame_edit = edit;
	pattern_fill(&handler_junk, 9, true);
	sigaction(SIGUSR1, &sa, NULL);
}

/* Runs the registers in through a SIGUSR1 handler doing edit; what came back is in out. */
static void signal_round_trip(enum frame_edit edit, const struct vregs *in, struct vregs *out)
{
	frame_handler_install(edit);
	regs_around_syscall(in, out, SYS_tgkill, getpid(), gettid(), SIGUSR1, 1);
}

static void check_signal_keeps_registers(void)
{
	struct vregs in, out;

	pattern_fill(&in, 5, has_avx);
	signal_round_trip(EDIT_NONE, &in, &out);
	CHECK("signal: a handler's register changes do not leak into the interrupted code",
	      vregs_equal(&in, &out, has_avx));
	CHECK("signal: uc_flags has UC_FP_XSTATE exactly when the CPU has XSAVE enabled",
	      !!(seen.uc_flags & UC_FP_XSTATE_FLAG) == has_osxsave());
	CHECK("signal: fpstate software bytes carry FP_XSTATE_MAGIC1", seen.magic1 == FP_MAGIC1);
	if (has_osxsave()) {
		CHECK("signal: FP_XSTATE_MAGIC2 follows the XSAVE area", seen.magic2 == FP_MAGIC2);
		CHECK("signal: extended_size is xstate_size plus magic2",
		      seen.extended_size == seen.xstate_size + 4 && seen.xstate_size >= 576);
		CHECK("signal: the frame's xfeatures include x87 and SSE",
		      (seen.xfeatures & 3) == 3 && (seen.xstate_bv & 3) == 3);
	}
	if (has_avx) {
		CHECK("signal: the frame's xfeatures include AVX", seen.xfeatures & XFEATURE_AVX);
		CHECK("signal: AVX is in use in the saved header", seen.xstate_bv & XFEATURE_AVX);
		CHECK("signal: AVX state fits in the frame's XSAVE area",
		      avx_offset + 256 <= seen.xstate_size);
		struct vregs zero;
		memset(&zero, 0, sizeof(zero));
		bool is_clean = memcmp(handler_entry_regs.ymm, zero.ymm, sizeof(zero.ymm)) == 0;
		CHECK("signal: the handler starts with initial vector registers and MXCSR",
		      is_clean && handler_entry_regs.mxcsr == 0x1f80);
	}
}

/* in, with xmm5 and (if upper_from_frame) ymm3's upper half as the handler wrote them. */
static void expect_edited(const struct vregs *in, struct vregs *want, bool keep_uppers)
{
	*want = *in;
	memcpy(want->ymm[5], new_xmm5, 16);
	if (keep_uppers)
		memcpy(want->ymm[3] + 16, new_ymmh3, 16);
	else
		for (int r = 0; r < 16; r++)
			memset(want->ymm[r] + 16, 0, 16);
}

static void check_signal_frame_edits(void)
{
	struct vregs in, out, want;
	bool xsave = has_osxsave();

	pattern_fill(&in, 6, has_avx);
	signal_round_trip(EDIT_REGS, &in, &out);
	expect_edited(&in, &want, true);
	CHECK("sigreturn: loads registers the handler changed in the frame",
	      vregs_equal(&want, &out, has_avx));

	signal_round_trip(EDIT_NO_MAGIC1, &in, &out);
	expect_edited(&in, &want, !xsave);
	CHECK("sigreturn: without magic1 the frame is legacy state and upper halves reset",
	      vregs_equal(&want, &out, has_avx));

	signal_round_trip(EDIT_NO_MAGIC2, &in, &out);
	expect_edited(&in, &want, !xsave);
	CHECK("sigreturn: without magic2 the frame is legacy state and upper halves reset",
	      vregs_equal(&want, &out, has_avx));

	signal_round_trip(EDIT_NULL_FPSTATE, &in, &out);
	memset(&want, 0, sizeof(want));
	want.mxcsr = 0x1f80;
	want.fcw = 0x37f;
	/* The x87 stack is empty after the reset: what fstpl stores then is the emulator's. */
	want.st0 = out.st0;
	CHECK("sigreturn: a NULL fpstate gives initial state", vregs_equal(&want, &out, has_avx));
}

/* A child that takes SIGUSR1 with a frame edited by edit; its wait status. */
static int bad_frame_status(enum frame_edit edit)
{
	struct vregs in, out;
	int status = 0;

	pid_t pid = fork();
	if (pid == 0) {
		pattern_fill(&in, 8, has_avx);
		signal_round_trip(edit, &in, &out);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	return status;
}

static void check_signal_bad_header(void)
{
	if (!has_osxsave())
		return;
	int st = bad_frame_status(EDIT_BAD_XSTATE_BV);
	CHECK("sigreturn: an XSTATE_BV bit outside XCR0 is a SIGSEGV",
	      WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
	st = bad_frame_status(EDIT_BAD_XCOMP_BV);
	CHECK("sigreturn: a nonzero XCOMP_BV is a SIGSEGV",
	      WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
	st = bad_frame_status(EDIT_BAD_RESERVED);
	CHECK("sigreturn: nonzero header bytes 23:16 are a SIGSEGV",
	      WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
}

/* --- alternate stacks and AT_MINSIGSTKSZ -------------------------------- */

static uintptr_t altstack_top;
static volatile size_t frame_bytes;

static void altstack_handler(int sig, siginfo_t *si, void *ctx)
{
	(void)sig, (void)si;
	/* The frame runs from the return address just below the ucontext to the top. */
	frame_bytes = altstack_top - ((uintptr_t)ctx - 8);
}

static size_t frame_bytes_on_altstack(size_t size)
{
	static uint8_t stack[65536] __attribute__((aligned(64)));
	stack_t ss = {.ss_sp = stack + sizeof(stack) - size, .ss_size = size};
	struct sigaction sa = {.sa_sigaction = altstack_handler,
			       .sa_flags = SA_SIGINFO | SA_ONSTACK};

	altstack_top = (uintptr_t)stack + sizeof(stack);
	frame_bytes = 0;
	if (sigaltstack(&ss, NULL) != 0 || sigaction(SIGUSR2, &sa, NULL) != 0)
		return 0;
	raise(SIGUSR2);
	ss.ss_flags = SS_DISABLE;
	sigaltstack(&ss, NULL);
	return frame_bytes;
}

static void check_minsigstksz(void)
{
	unsigned long min = getauxval(AT_MINSIGSTKSZ);
	stack_t ss = {.ss_sp = malloc(KERNEL_MINSIGSTKSZ), .ss_size = KERNEL_MINSIGSTKSZ - 1};

	CHECK("AT_MINSIGSTKSZ is in the auxiliary vector", min > 0);
	size_t used = frame_bytes_on_altstack(65536);
	CHECK("AT_MINSIGSTKSZ covers a signal frame", used > 0 && min >= used);
	size_t fit = min > KERNEL_MINSIGSTKSZ ? min : KERNEL_MINSIGSTKSZ;
	CHECK("a frame fits an alternate stack of AT_MINSIGSTKSZ bytes",
	      frame_bytes_on_altstack(fit) == used);
	CHECK_ERRNO("sigaltstack below MINSIGSTKSZ is ENOMEM", sigaltstack(&ss, NULL), ENOMEM);
	ss.ss_size = KERNEL_MINSIGSTKSZ;
	CHECK("sigaltstack of MINSIGSTKSZ bytes is accepted", sigaltstack(&ss, NULL) == 0);
	ss.ss_flags = SS_DISABLE;
	sigaltstack(&ss, NULL);
	free(ss.ss_sp);
}

/* --- exec ---------------------------------------------------------------- */

static int exec_child_main(void)
{
	uint32_t mxcsr;
	uint16_t fcw;

	__asm__ __volatile__("stmxcsr %0\n\tfnstcw %1" : "=m"(mxcsr), "=m"(fcw));
	return mxcsr == 0x1f80 && fcw == 0x37f ? 0 : 1;
}

static void check_exec(const char *self)
{
	int status = 0;
	uint32_t mxcsr = 0x3f80 | 0x8000; /* round down, flush to zero */
	uint16_t fcw = 0x027f;		  /* 53-bit precision */

	pid_t pid = fork();
	if (pid == 0) {
		char *argv[] = {(char *)self, "exec-child", NULL};
		__asm__ __volatile__("ldmxcsr %0\n\tfldcw %1" ::"m"(mxcsr), "m"(fcw));
		execv(self, argv);
		_exit(2);
	}
	CHECK("exec starts with MXCSR 0x1f80 and FCW 0x37f",
	      waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "exec-child") == 0)
		return exec_child_main();
	check_area = "fpu";
	detect_avx();
	printf("fpu: %s\n", has_avx ? "AVX enabled" : "no AVX, SSE registers only");
	check_context_switch();
	check_fork();
	check_signal_keeps_registers();
	check_signal_frame_edits();
	check_signal_bad_header();
	check_minsigstksz();
	check_exec(argv[0]);
	return check_failures ? 1 : 0;
}
