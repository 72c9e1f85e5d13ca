// SPDX-License-Identifier: MIT
/*
 * User FPU state on x86-64: x87, SSE and, with XSAVE, AVX and AVX-512.
 * Each user thread's registers live in task->fpu_state, in the standard
 * (non-compacted) XSAVE format where the CPU has XSAVE and as an FXSAVE
 * image where it does not. The kernel never uses these registers, so
 * while a thread runs they hold its state, and they are switched eagerly
 * (arch_switch in switch.c). Signal frames carry the same image with
 * Linux's software bytes around it; signal.c builds the rest of a frame.
 */
#include <arch/x86.h>
#include <asm/sigcontext.h>
#include <tern/arch.h>
#include <tern/base.h>
#include <tern/errno.h>
#include <tern/sched.h>
#include <tern/string.h>

#include "internal.h"

#define FXSAVE_BYTES 512
#define XSAVE_HEADER_BYTES 64
#define FXSAVE_MXCSR 24
#define FXSAVE_MXCSR_MASK 28
#define FXSAVE_SW_BYTES 464
#define FCW_DEFAULT 0x037f
#define MXCSR_DEFAULT 0x1f80
/* Older CPUs store 0 as MXCSR_MASK; the SDM says to assume this then. */
#define MXCSR_MASK_DEFAULT 0xffbf

#define CPUID1_ECX_XSAVE (1u << 26)
#define CPUID1_ECX_AVX (1u << 28)
#define CPUID7_EBX_AVX512F (1u << 16)
#define CR4_OSXSAVE (1ULL << 18)

enum {
	XFEATURE_X87 = 1 << 0,
	XFEATURE_SSE = 1 << 1,
	XFEATURE_AVX = 1 << 2,
	XFEATURE_OPMASK = 1 << 5,
	XFEATURE_ZMM_HI256 = 1 << 6,
	XFEATURE_HI16_ZMM = 1 << 7,
	XFEATURE_FPSSE = XFEATURE_X87 | XFEATURE_SSE,
	XFEATURE_AVX512 = XFEATURE_OPMASK | XFEATURE_ZMM_HI256 | XFEATURE_HI16_ZMM,
};

/* Room for x87|SSE|AVX|AVX-512 at their usual offsets (2688 bytes). */
#define FPU_MAX_BYTES 4096

/* The XSAVE header that follows the legacy region (SDM vol. 1, 13.4.2). */
struct xsave_header {
	uint64_t xstate_bv;   /* components present in the image; others are initial */
	uint64_t xcomp_bv;    /* 0: standard format */
	uint64_t reserved[6]; /* XRSTOR faults unless the first is 0 */
};

_Static_assert(sizeof(struct xsave_header) == XSAVE_HEADER_BYTES, "XSAVE header layout");
_Static_assert(sizeof(struct _fpx_sw_bytes) == FXSAVE_BYTES - FXSAVE_SW_BYTES, "sw bytes");
_Static_assert(sizeof(struct _fpstate_64) == FXSAVE_BYTES, "FXSAVE layout");

/* Fixed at boot by fpu_init (tag I). */
static bool has_xsave;		/* I: CR4.OSXSAVE is set */
static uint64_t user_xfeatures; /* I: XCR0, the components every thread has */
static uint32_t state_bytes;	/* I: size of one thread's image */
static uint32_t mxcsr_mask;	/* I: the MXCSR bits a restore may set */
/* I: the state a thread has after exec and on entry to a signal handler. */
static uint8_t init_state[FPU_MAX_BYTES] __aligned(64);

static inline void xsetbv(uint32_t reg, uint64_t v)
{
	__asm__ __volatile__("xsetbv" ::"c"(reg), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

/* Stores the live registers of the components in mask (all without XSAVE). */
static void fpu_save_regs(void *buf, uint64_t mask)
{
	if (has_xsave)
		__asm__ __volatile__("xsave64 (%0)" ::"r"(buf), "a"((uint32_t)mask),
				     "d"((uint32_t)(mask >> 32))
				     : "memory");
	else
		__asm__ __volatile__("fxsave64 (%0)" ::"r"(buf) : "memory");
}

/* Loads the components in mask from buf; absent ones (XSTATE_BV) become initial. */
static void fpu_load_regs(const void *buf, uint64_t mask)
{
	if (has_xsave)
		__asm__ __volatile__("xrstor64 (%0)" ::"r"(buf), "a"((uint32_t)mask),
				     "d"((uint32_t)(mask >> 32))
				     : "memory");
	else
		__asm__ __volatile__("fxrstor64 (%0)" ::"r"(buf) : "memory");
}

static uint64_t xfeatures_to_enable(void)
{
	uint32_t a, b, c, d;
	uint64_t want = XFEATURE_FPSSE;

	cpuid(1, 0, &a, &b, &c, &d);
	bool has_avx = c & CPUID1_ECX_AVX;
	cpuid(7, 0, &a, &b, &c, &d);
	bool has_avx512 = b & CPUID7_EBX_AVX512F;
	cpuid(0xd, 0, &a, &b, &c, &d);
	uint64_t supported = a | (uint64_t)d << 32;

	if (has_avx && (supported & XFEATURE_AVX)) {
		want |= XFEATURE_AVX;
		if (has_avx512 && (supported & XFEATURE_AVX512) == XFEATURE_AVX512)
			want |= XFEATURE_AVX512;
	}
	return want;
}

/* CPUID.(0xd,0).EBX: the standard-format size for the components in XCR0. */
static uint32_t xsave_bytes_enabled(void)
{
	uint32_t a, b, c, d;

	cpuid(0xd, 0, &a, &b, &c, &d);
	return b;
}

static void xsave_enable(void)
{
	user_xfeatures = xfeatures_to_enable();
	write_cr4(read_cr4() | CR4_OSXSAVE);
	xsetbv(0, user_xfeatures);
	state_bytes = xsave_bytes_enabled();
	if (state_bytes > FPU_MAX_BYTES) {
		user_xfeatures &= ~(uint64_t)XFEATURE_AVX512;
		xsetbv(0, user_xfeatures);
		state_bytes = xsave_bytes_enabled();
	}
	has_xsave = true;
}

/*
 * Called once at boot, with CR0 and CR4 already set up for SSE: turns
 * on XSAVE where the CPU has it, picks the user components and records
 * the initial state (FCW 0x37f, MXCSR 0x1f80, everything else zero).
 */
void fpu_init(void)
{
	uint32_t a, b, c, d;
	uint8_t fx[FXSAVE_BYTES] __aligned(16);

	cpuid(1, 0, &a, &b, &c, &d);
	user_xfeatures = XFEATURE_FPSSE;
	state_bytes = FXSAVE_BYTES;
	if (c & CPUID1_ECX_XSAVE)
		xsave_enable();

	__asm__ __volatile__("fninit; fxsave64 %0" : "=m"(fx));
	memcpy(&mxcsr_mask, fx + FXSAVE_MXCSR_MASK, 4);
	if (!mxcsr_mask)
		mxcsr_mask = MXCSR_MASK_DEFAULT;

	uint16_t fcw = FCW_DEFAULT;
	uint32_t mxcsr = MXCSR_DEFAULT;
	memset(init_state, 0, sizeof(init_state));
	memcpy(init_state, &fcw, 2);
	memcpy(init_state + FXSAVE_MXCSR, &mxcsr, 4);
	memcpy(init_state + FXSAVE_MXCSR_MASK, &mxcsr_mask, 4);
	pr_info("fpu: %s, features %#llx, %u bytes per thread\n", has_xsave ? "xsave" : "fxsave",
		(unsigned long long)user_xfeatures, state_bytes);
}

bool fpu_has_xsave(void)
{
	return has_xsave;
}

/*
 * A zeroed image buffer, 64-byte aligned as XSAVE needs: kmalloc's
 * classes from 512 bytes up are powers of two carved from page-aligned
 * slabs, and larger requests take whole pages. The XSAVE header must
 * start out zero, as XSAVE never writes its reserved part.
 */
static int fpu_state_alloc(void **out)
{
	void *buf = kzalloc(state_bytes);

	if (!buf)
		return -ENOMEM;
	if ((uintptr_t)buf & 63) {
		warn_once(true, "fpu: kmalloc returned a buffer not 64-byte aligned\n");
		kfree(buf);
		return -ENOMEM;
	}
	*out = buf;
	return 0;
}

int arch_user_fpu_init(void)
{
	struct task *self = current_task();

	if (!self->fpu_state) {
		int err = fpu_state_alloc(&self->fpu_state);
		if (err)
			return err;
	}
	/* No copy into fpu_state: every switch-out writes it from the registers. */
	fpu_load_regs(init_state, user_xfeatures);
	return 0;
}

int fpu_fork(struct task *child)
{
	int err = fpu_state_alloc(&child->fpu_state);

	if (err)
		return err;
	fpu_save_regs(child->fpu_state, user_xfeatures);
	return 0;
}

void fpu_switch(struct task *prev, struct task *next)
{
	if (prev->fpu_state)
		fpu_save_regs(prev->fpu_state, user_xfeatures);
	if (next->fpu_state)
		fpu_load_regs(next->fpu_state, user_xfeatures);
}

size_t fpu_sigframe_bytes(void)
{
	return has_xsave ? state_bytes + FP_XSTATE_MAGIC2_SIZE : FXSAVE_BYTES;
}

/*
 * Writes the calling thread's registers at user address buf (64-byte
 * aligned, fpu_sigframe_bytes long) as Linux lays out a signal frame's
 * FPU area: the XSAVE image with FP/SSE always marked present, the
 * software bytes (struct _fpx_sw_bytes) in the legacy region's unused
 * tail and FP_XSTATE_MAGIC2 after the image. 0 or -EFAULT.
 * ABI: arch/x86/kernel/fpu/signal.c, copy_fpstate_to_sigframe.
 */
int fpu_sigframe_save(uint64_t buf)
{
	struct task *t = current_task();
	struct _fpx_sw_bytes sw = {
		.magic1 = FP_XSTATE_MAGIC1,
		.extended_size = state_bytes + FP_XSTATE_MAGIC2_SIZE,
		.xfeatures = user_xfeatures,
		.xstate_size = state_bytes,
	};
	uint32_t magic2 = FP_XSTATE_MAGIC2;
	uint64_t xstate_bv;

	if (!t->fpu_state)
		return -EFAULT;
	/*
	 * fpu_state is scratch while the thread runs: a switch during the
	 * copies below rewrites it with the same registers.
	 */
	fpu_save_regs(t->fpu_state, user_xfeatures);
	if (copy_to_user((void *)buf, t->fpu_state, state_bytes) != 0 ||
	    copy_to_user((void *)(buf + FXSAVE_SW_BYTES), &sw, sizeof(sw)) != 0)
		return -EFAULT;
	if (!has_xsave)
		return 0;
	memcpy(&xstate_bv, (uint8_t *)t->fpu_state + FXSAVE_BYTES, 8);
	xstate_bv |= XFEATURE_FPSSE;
	if (copy_to_user((void *)(buf + FXSAVE_BYTES), &xstate_bv, 8) != 0 ||
	    copy_to_user((void *)(buf + state_bytes), &magic2, 4) != 0)
		return -EFAULT;
	return 0;
}

static bool is_mxcsr_valid(const uint8_t *image)
{
	uint32_t mxcsr;

	memcpy(&mxcsr, image + FXSAVE_MXCSR, 4);
	return !(mxcsr & ~mxcsr_mask);
}

/*
 * How much of the frame's image holds XSAVE data: its size from the
 * software bytes when they and FP_XSTATE_MAGIC2 are intact, else 0 for
 * a legacy (FXSAVE-only) image. -EFAULT if magic2 cannot be read.
 * ABI: check_xstate_in_sigframe in Linux's arch/x86/kernel/fpu/signal.c.
 */
static int sigframe_xstate_bytes(uint64_t buf, const uint8_t *legacy, uint32_t *out_bytes,
				 uint64_t *out_xfeatures)
{
	struct _fpx_sw_bytes sw;
	uint32_t magic2;

	*out_bytes = 0;
	*out_xfeatures = XFEATURE_FPSSE;
	memcpy(&sw, legacy + FXSAVE_SW_BYTES, sizeof(sw));
	if (sw.magic1 != FP_XSTATE_MAGIC1 || sw.xstate_size < FXSAVE_BYTES + XSAVE_HEADER_BYTES ||
	    sw.xstate_size > state_bytes || sw.xstate_size > sw.extended_size)
		return 0;
	if (copy_from_user(&magic2, (const void *)(buf + sw.xstate_size), 4) != 0)
		return -EFAULT;
	if (magic2 == FP_XSTATE_MAGIC2) {
		*out_bytes = sw.xstate_size;
		*out_xfeatures = sw.xfeatures;
	}
	return 0;
}

/* The checks XRSTOR makes of a standard-format header (SDM vol. 1, 13.8.1). */
static bool is_xsave_header_valid(const uint8_t *image)
{
	struct xsave_header h;

	memcpy(&h, image + FXSAVE_BYTES, sizeof(h));
	return !(h.xstate_bv & ~user_xfeatures) && !h.xcomp_bv && !h.reserved[0];
}

/*
 * Loads the registers from an image copied in from a signal frame;
 * xstate_bytes 0 means a legacy image. Components the frame leaves
 * out (its xfeatures) become initial.
 */
static int fpu_load_sigframe_image(const uint8_t *image, uint32_t xstate_bytes, uint64_t xfeatures)
{
	uint64_t mask = xstate_bytes ? xfeatures & user_xfeatures : XFEATURE_FPSSE;

	if (!is_mxcsr_valid(image) || (xstate_bytes && !is_xsave_header_valid(image)))
		return -EINVAL;
	/* A switch between the two loads saves and brings back what the first loaded. */
	if (xstate_bytes)
		fpu_load_regs(image, mask);
	else
		__asm__ __volatile__("fxrstor64 (%0)" ::"r"(image) : "memory");
	if (user_xfeatures & ~mask)
		fpu_load_regs(init_state, user_xfeatures & ~mask);
	return 0;
}

/*
 * rt_sigreturn: loads the calling thread's registers from the FPU area
 * of a signal frame at user address buf, or the initial state if buf is
 * 0. An area without intact software bytes and FP_XSTATE_MAGIC2 loads
 * as a legacy FXSAVE image. 0; -EFAULT or -EINVAL (a header or MXCSR that
 * XRSTOR would fault on) after resetting the registers to the initial
 * state, which ends in SIGSEGV as on Linux.
 * ABI: fpu__restore_sig in Linux's arch/x86/kernel/fpu/signal.c.
 */
int fpu_sigframe_restore(uint64_t buf)
{
	uint8_t *image;
	uint32_t xstate_bytes;
	uint64_t xfeatures;
	int err;

	if (!buf)
		return arch_user_fpu_init();
	err = fpu_state_alloc((void **)&image);
	if (err)
		return err;
	if (copy_from_user(image, (const void *)buf, FXSAVE_BYTES) != 0) {
		err = -EFAULT;
		goto out;
	}
	if (has_xsave) {
		err = sigframe_xstate_bytes(buf, image, &xstate_bytes, &xfeatures);
		if (!err && xstate_bytes &&
		    copy_from_user(image + FXSAVE_BYTES, (const void *)(buf + FXSAVE_BYTES),
				   xstate_bytes - FXSAVE_BYTES) != 0)
			err = -EFAULT;
	} else {
		xstate_bytes = 0;
		xfeatures = XFEATURE_FPSSE;
	}
	if (!err)
		err = fpu_load_sigframe_image(image, xstate_bytes, xfeatures);
out:
	kfree(image);
	if (err && arch_user_fpu_init() != 0)
		return -ENOMEM;
	return err;
}
