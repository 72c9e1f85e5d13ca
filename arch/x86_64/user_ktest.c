// SPDX-License-Identifier: MIT
/*
 * In-kernel tests of the way into and out of user mode: SYSCALL entry
 * and return, user copies that fail with -EFAULT instead of faulting the
 * kernel (unmapped pages, kernel addresses), user faults that end only
 * the offending process, and address spaces being torn down without
 * leaking. The programs are hand-written assembly (user_blob_ktest.S).
 */
#include <asm/signal.h>
#include <asm-generic/mman-common.h>
#include <tern/arch.h>
#include <tern/aspace.h>
#include <tern/errno.h>
#include <tern/base.h>
#include <tern/kernel.h>
#include <tern/ktest.h>
#include <tern/mm.h>
#include <tern/proc.h>
#include <tern/sched.h>
#include <tern/string.h>
#include <tern/syscall.h>
#include <tern/uvm.h>

#include "internal.h"

#define CODE_VA 0x400000ULL
#define STACK_VA 0x7ffffff00000ULL

extern const char user_blob_start[], user_blob_end[];
extern const char user_prog_syscalls[], user_prog_null[], user_prog_ud2[], user_prog_kernel_read[];

struct user_run {
	struct aspace *as;
	uint64_t entry;
};

/* Becomes a parentless process running the blob; its exit code is the test's result. */
static int user_thread(void *arg)
{
	struct user_run *run = arg;

	if (arch_user_fpu_init() != 0 || proc_init_first() != 0)
		return -ENOMEM;
	current_proc()->as = run->as;
	current_task()->uvm = aspace_uvm(run->as);
	aspace_activate(run->as);
	arch_enter_user(run->entry, STACK_VA + PAGE_SIZE);
}

static int map_copy(struct aspace *as, uint64_t va, const void *src, uint64_t len, uint32_t prot)
{
	uint64_t got;
	int err = aspace_map_anon(as, va, ALIGN_UP(len, PAGE_SIZE), PROT_READ | PROT_WRITE, 0, true,
				  false, &got);

	if (!err && src)
		err = aspace_write(as, va, src, len);
	if (!err)
		err = aspace_protect(as, va, ALIGN_UP(len, PAGE_SIZE), prot);
	return err;
}

/* Runs one blob entry point in a fresh address space; returns its exit status. */
static int run_user(struct ktest *t, const char *entry)
{
	struct user_run run;
	struct task *task;
	int status = -1;

	KEXPECT(aspace_create(&run.as) == 0);
	run.entry = CODE_VA + (uint64_t)(entry - user_blob_start);
	KEXPECT(map_copy(run.as, CODE_VA, user_blob_start,
			 (uint64_t)(user_blob_end - user_blob_start), PROT_READ | PROT_EXEC) == 0);
	KEXPECT(map_copy(run.as, STACK_VA, NULL, PAGE_SIZE, PROT_READ | PROT_WRITE) == 0);
	if (kthread_create("user", user_thread, &run, &task) == 0)
		status = kthread_join(task);
	return status;
}

KTEST(user, syscalls_return_results_and_errors)
{
	KEXPECT_EQ(run_user(t, user_prog_syscalls), 42);
}

KTEST(user, null_dereference_kills_only_the_thread)
{
	KEXPECT_EQ(run_user(t, user_prog_null), 128 + SIGSEGV);
}

KTEST(user, invalid_opcode_is_sigill)
{
	KEXPECT_EQ(run_user(t, user_prog_ud2), 128 + SIGILL);
}

KTEST(user, kernel_memory_is_out_of_reach)
{
	KEXPECT_EQ(run_user(t, user_prog_kernel_read), 128 + SIGSEGV);
}

KTEST(user, address_spaces_leave_no_pages_behind)
{
	/* Warm up: kmalloc keeps some free slabs, and the first runs fill them. */
	KEXPECT_EQ(run_user(t, user_prog_syscalls), 42);
	for (int i = 0; i < 5; i++)
		KEXPECT_EQ(run_user(t, user_prog_null), 128 + SIGSEGV);
	uint64_t before = mm_free_bytes();
	for (int i = 0; i < 20; i++)
		KEXPECT_EQ(run_user(t, user_prog_null), 128 + SIGSEGV);
	KEXPECT_EQ(mm_free_bytes(), before);
}

KTEST(user, kernel_copies_reject_kernel_and_unmapped_addresses)
{
	char buf[16];

	KEXPECT_EQ(copy_from_user(buf, (const void *)0xffffffff80100000ULL, 8), -EFAULT);
	KEXPECT_EQ(copy_from_user(buf, (const void *)(USER_ADDR_END - 4), 8), -EFAULT);
	KEXPECT_EQ(copy_from_user(buf, (const void *)0x1000, 8), -EFAULT);
	KEXPECT_EQ(copy_to_user((void *)0x1000, buf, 8), -EFAULT);
	KEXPECT_EQ(strncpy_from_user(buf, (const void *)0x1000, sizeof(buf)), -EFAULT);
}
