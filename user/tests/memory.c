// SPDX-License-Identifier: MIT
/*
 * Guest test: the address space — brk, anonymous mmap (private and
 * shared, across fork), MAP_FIXED and MAP_FIXED_NOREPLACE, munmap holes,
 * mprotect, mremap, madvise, mincore, mlock, msync, large sparse
 * reservations and stack growth. Faults are caught with a SIGSEGV
 * handler that records si_code and si_addr and jumps back.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "util.h"

#define PAGE 4096UL

extern char end;

/* Touches p: true if that raised SIGSEGV with si_code code and si_addr exactly p. */
static int faults_at(void *p, int write, int code)
{
	return touch(p, write) == SIGSEGV && fault_code == code && fault_addr == p;
}

/* Calls fn; returns its result, or -1 if it raised a signal caught by on_fault. */
static int call_catching(int (*fn)(void))
{
	fault_sig = 0;
	if (sigsetjmp(fault_env, 1) == 0)
		return fn();
	return -1;
}

static char *map(size_t len, int prot, int flags)
{
	void *p = mmap(NULL, len, prot, flags | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

static char *map_rw(size_t pages)
{
	return map(pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE);
}

/* The address of npages free pages: mapped, then unmapped again. */
static char *free_range(size_t npages)
{
	char *p = map(npages * PAGE, PROT_NONE, MAP_PRIVATE);
	munmap(p, npages * PAGE);
	return p;
}

static int all_bytes(const char *p, size_t len, int value)
{
	for (size_t i = 0; i < len; i++) {
		if (p[i] != (char)value)
			return 0;
	}
	return 1;
}

static int child_status(pid_t pid)
{
	int status = -1;
	waitpid(pid, &status, 0);
	return status;
}

static int exited_ok(int status)
{
	return status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static long raw_brk(uintptr_t addr)
{
	return syscall(SYS_brk, addr);
}

/*
 * All brk cases run before any output: glibc's and musl's malloc may own
 * the heap, so the break must be back where it was before stdio allocates.
 */
static void test_brk(void)
{
	enum { N = 10 };
	int ok[N] = {0};
	uintptr_t b0 = (uintptr_t)raw_brk(0);
	uintptr_t grown = b0 + 16 * PAGE + 100;
	uintptr_t page_end = (grown + PAGE - 1) & ~(PAGE - 1);

	ok[0] = b0 >= (uintptr_t)&end && (uintptr_t)raw_brk(0) == b0 && sbrk(0) == (void *)b0;
	ok[1] = (uintptr_t)raw_brk(grown) == grown && (uintptr_t)raw_brk(0) == grown;
	ok[2] = all_bytes((char *)b0, grown - b0, 0) && touch((char *)grown - 1, 1) == 0 &&
		touch((char *)page_end - 1, 1) == 0;
	ok[3] = faults_at((char *)page_end, 0, SEGV_MAPERR);
	memset((char *)page_end - PAGE, 0xaa, PAGE);
	ok[4] = (uintptr_t)raw_brk(page_end - PAGE) == page_end - PAGE &&
		faults_at((char *)page_end - PAGE, 0, SEGV_MAPERR);
	ok[5] = (uintptr_t)raw_brk(page_end) == page_end &&
		all_bytes((char *)page_end - PAGE, PAGE, 0);
	ok[6] = (uintptr_t)raw_brk(PAGE) == page_end && (uintptr_t)raw_brk(0) == page_end;
	char *blocker = mmap((char *)page_end + 4 * PAGE, PAGE, PROT_READ,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	ok[7] = blocker == (char *)page_end + 4 * PAGE &&
		(uintptr_t)raw_brk(page_end + 8 * PAGE) == page_end;
	munmap(blocker, PAGE);
	ok[8] = (uintptr_t)raw_brk(page_end + 8 * PAGE) == page_end + 8 * PAGE;
	ok[9] = (uintptr_t)raw_brk(b0) == b0 && (uintptr_t)raw_brk(0) == b0;

	CHECK("brk(0) and sbrk(0) report the break, above the end of bss", ok[0]);
	CHECK("brk grows to an unaligned address exactly", ok[1]);
	CHECK("grown heap is zero-filled and writable to the page end", ok[2]);
	CHECK("the page after the break faults with SEGV_MAPERR", ok[3]);
	CHECK("brk shrinks and the released page faults", ok[4]);
	CHECK("a page given back and regrown is zero-filled again", ok[5]);
	CHECK("brk below the heap start fails, keeping the old break", ok[6]);
	CHECK("brk into an existing mapping fails, keeping the old break", ok[7]);
	CHECK("brk grows once the mapping is gone", ok[8]);
	CHECK("brk shrinks back to the initial break", ok[9]);
}

static void test_mmap_basics(void)
{
	char *p = map_rw(2);
	CHECK("anonymous private mmap is page aligned", p && ((uintptr_t)p & (PAGE - 1)) == 0);
	CHECK("anonymous mmap is zero-filled", p && all_bytes(p, 2 * PAGE, 0));
	if (p)
		memset(p, 0x5a, 2 * PAGE);
	CHECK("anonymous mmap is writable", p && all_bytes(p, 2 * PAGE, 0x5a));
	munmap(p, 2 * PAGE);

	char *w = map(PAGE, PROT_WRITE, MAP_PRIVATE);
	CHECK("a PROT_WRITE-only mapping is also readable on x86", w && touch(w, 0) == 0);
	munmap(w, PAGE);

	char *hint = free_range(4);
	p = mmap(hint, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK("a free hint address is used as given", p == hint);
	munmap(p, PAGE);

	p = map(PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_32BIT);
	CHECK("MAP_32BIT places the mapping below 2 GiB", p && (uintptr_t)p + PAGE <= 0x80000000UL);
	munmap(p, PAGE);

	p = map(4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_POPULATE);
	unsigned char vec[4] = {0, 0, 0, 0};
	CHECK("MAP_POPULATE makes every page resident",
	      p && mincore(p, 4 * PAGE, vec) == 0 && (vec[0] & vec[1] & vec[2] & vec[3] & 1));
	munmap(p, 4 * PAGE);

	CHECK_ERRNO("mmap of length 0 is EINVAL",
		    mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), EINVAL);
	CHECK_ERRNO("MAP_FIXED at an unaligned address is EINVAL",
		    mmap((char *)hint + 1, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
			 -1, 0),
		    EINVAL);
	CHECK_ERRNO("mmap without MAP_PRIVATE or MAP_SHARED is EINVAL",
		    mmap(NULL, PAGE, PROT_READ, MAP_ANONYMOUS, -1, 0), EINVAL);
	CHECK_ERRNO("mmap with an unaligned offset is EINVAL",
		    mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 100), EINVAL);
	CHECK_ERRNO("mmap of a length that overflows when rounded is ENOMEM",
		    mmap(NULL, (size_t)-100, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
		    ENOMEM);
	CHECK_ERRNO("mmap larger than the address space is ENOMEM",
		    mmap(NULL, 1UL << 48, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
			 -1, 0),
		    ENOMEM);
	/* Past 2^56, so this holds with 4-level and with 5-level paging. */
	CHECK_ERRNO("MAP_FIXED reaching past the top of user space is ENOMEM",
		    mmap((void *)0x00fffffffffff000UL, 2 * PAGE, PROT_READ,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0),
		    ENOMEM);
	CHECK_ERRNO("a file mapping of fd -1 is EBADF",
		    mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, -1, 0), EBADF);
	CHECK_ERRNO("a file mapping of a closed fd is EBADF",
		    mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, 77, 0), EBADF);
}

static void test_fixed(void)
{
	char *p = map_rw(3);
	memset(p, 'a', 3 * PAGE);
	char *q = mmap(p + PAGE, PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK("MAP_FIXED returns exactly the address asked for", q == p + PAGE);
	CHECK("MAP_FIXED replaces the old page with a zero page", all_bytes(p + PAGE, PAGE, 0));
	CHECK("MAP_FIXED leaves the neighbouring pages alone",
	      all_bytes(p, PAGE, 'a') && all_bytes(p + 2 * PAGE, PAGE, 'a'));
	CHECK_ERRNO("MAP_FIXED_NOREPLACE over a mapping is EEXIST",
		    mmap(p + PAGE, PAGE, PROT_READ,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0),
		    EEXIST);
	CHECK_ERRNO("MAP_FIXED_NOREPLACE overlapping a mapping's first page is EEXIST",
		    mmap(p - PAGE, 2 * PAGE, PROT_READ,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0),
		    EEXIST);
	CHECK("the mapping survives the failed MAP_FIXED_NOREPLACE", all_bytes(p, PAGE, 'a'));
	munmap(p, 3 * PAGE);
	char *r = free_range(2);
	q = mmap(r, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	CHECK("MAP_FIXED_NOREPLACE on free space returns that address", q == r);
	munmap(q, PAGE);
}

static void test_munmap(void)
{
	char *p = map_rw(4);
	memset(p, 'm', 4 * PAGE);
	CHECK("munmap of a two-page hole succeeds", munmap(p + PAGE, 2 * PAGE) == 0);
	CHECK("reading the hole's first page is SEGV_MAPERR at that address",
	      faults_at(p + PAGE, 0, SEGV_MAPERR));
	CHECK("writing the hole's last byte is SEGV_MAPERR at that address",
	      faults_at(p + 3 * PAGE - 1, 1, SEGV_MAPERR));
	CHECK("pages around the hole keep their data",
	      all_bytes(p, PAGE, 'm') && all_bytes(p + 3 * PAGE, PAGE, 'm'));
	CHECK("munmap of a range that is already unmapped succeeds",
	      munmap(p + PAGE, 2 * PAGE) == 0);
	CHECK("munmap rounds an unaligned length up",
	      munmap(p, 100) == 0 && faults_at(p, 0, SEGV_MAPERR));
	CHECK_ERRNO("munmap at an unaligned address is EINVAL", munmap(p + 3 * PAGE + 1, PAGE),
		    EINVAL);
	CHECK_ERRNO("munmap of length 0 is EINVAL", munmap(p + 3 * PAGE, 0), EINVAL);
	munmap(p + 3 * PAGE, PAGE);
	CHECK("a NULL read is SEGV_MAPERR with si_addr 0", faults_at(NULL, 0, SEGV_MAPERR));
	void *kernel = (void *)0xffff888000000000UL;
	CHECK("reading a kernel address is SEGV_MAPERR at that address",
	      faults_at(kernel, 0, SEGV_MAPERR));
	CHECK("a non-canonical address is SIGSEGV SI_KERNEL with si_addr 0",
	      touch((char *)0x8000000000000000UL, 0) == SIGSEGV && fault_code == SI_KERNEL &&
		      fault_addr == NULL);
}

static void test_mprotect(void)
{
	char *p = map_rw(3);
	memset(p, 'p', 3 * PAGE);
	CHECK("mprotect of the middle page to PROT_READ", mprotect(p + PAGE, PAGE, PROT_READ) == 0);
	CHECK("writing a read-only page is SEGV_ACCERR at that address",
	      faults_at(p + PAGE + 8, 1, SEGV_ACCERR));
	CHECK("a read-only page can still be read, data intact", all_bytes(p + PAGE, PAGE, 'p'));
	CHECK("the neighbours stay writable", touch(p, 1) == 0 && touch(p + 2 * PAGE, 1) == 0);
	mprotect(p + PAGE, PAGE, PROT_NONE);
	CHECK("reading a PROT_NONE page is SEGV_ACCERR", faults_at(p + PAGE, 0, SEGV_ACCERR));
	mprotect(p + PAGE, PAGE, PROT_READ | PROT_WRITE);
	CHECK("back to read-write the data is intact and writable",
	      all_bytes(p + PAGE + 1, PAGE - 1, 'p') && touch(p + PAGE, 1) == 0);
	/* Raw: musl's mprotect rounds the address down itself. */
	CHECK_ERRNO("mprotect at an unaligned address is EINVAL",
		    syscall(SYS_mprotect, p + 1, PAGE, PROT_READ), EINVAL);
	CHECK_ERRNO("mprotect with an unknown prot bit is EINVAL",
		    mprotect(p, PAGE, PROT_READ | 0x10), EINVAL);
	munmap(p + 2 * PAGE, PAGE);
	CHECK_ERRNO("mprotect of a range with an unmapped part is ENOMEM",
		    mprotect(p, 3 * PAGE, PROT_READ), ENOMEM);
	CHECK_ERRNO("mprotect of an unmapped range is ENOMEM",
		    mprotect(p + 2 * PAGE, PAGE, PROT_READ), ENOMEM);
	munmap(p, 2 * PAGE);

	static const unsigned char code[] = {0xb8, 0x2a, 0x00, 0x00, 0x00, 0xc3};
	char *c = map_rw(1);
	memcpy(c, code, sizeof(code));
	int (*fn)(void) = (int (*)(void))(void *)c;
	CHECK("running code from a non-executable page is SEGV_ACCERR at the page",
	      call_catching(fn) == -1 && fault_sig == SIGSEGV && fault_code == SEGV_ACCERR &&
		      fault_addr == c);
	CHECK("after mprotect(PROT_READ|PROT_EXEC) the code runs",
	      mprotect(c, PAGE, PROT_READ | PROT_EXEC) == 0 && fn() == 42);
	munmap(c, PAGE);
}

static void test_mremap(void)
{
	char *p = map_rw(4);
	memset(p, 'r', 4 * PAGE);
	char *q = mremap(p, 4 * PAGE, 2 * PAGE, 0);
	CHECK("mremap shrinks in place", q == p && all_bytes(p, 2 * PAGE, 'r'));
	CHECK("the tail given up by shrinking is unmapped",
	      faults_at(p + 2 * PAGE, 0, SEGV_MAPERR));
	q = mremap(p, 2 * PAGE, 4 * PAGE, 0);
	CHECK("mremap grows in place into free space", q == p);
	CHECK("grown part is zero-filled, old part intact",
	      q == p && all_bytes(p, 2 * PAGE, 'r') && all_bytes(p + 2 * PAGE, 2 * PAGE, 0));
	char *blocker = mmap(p + 4 * PAGE, PAGE, PROT_READ,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	CHECK_ERRNO("growing into another mapping without MREMAP_MAYMOVE is ENOMEM",
		    mremap(p, 4 * PAGE, 8 * PAGE, 0), ENOMEM);
	q = mremap(p, 4 * PAGE, 8 * PAGE, MREMAP_MAYMOVE);
	CHECK("MREMAP_MAYMOVE moves the mapping when it cannot grow",
	      q != MAP_FAILED && q != p && all_bytes(q, 2 * PAGE, 'r') &&
		      all_bytes(q + 2 * PAGE, 6 * PAGE, 0));
	CHECK("the old range is unmapped after a move", faults_at(p, 0, SEGV_MAPERR));
	munmap(blocker, PAGE);

	char *target = free_range(8);
	char *r = mremap(q, 8 * PAGE, 8 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, target);
	CHECK("MREMAP_FIXED moves to exactly the given address",
	      r == target && all_bytes(target, 2 * PAGE, 'r'));
	CHECK("the source of MREMAP_FIXED is unmapped", faults_at(q, 0, SEGV_MAPERR));
	CHECK_ERRNO("MREMAP_FIXED without MREMAP_MAYMOVE is EINVAL",
		    mremap(target, PAGE, PAGE, MREMAP_FIXED, q), EINVAL);
	CHECK_ERRNO("mremap of a private mapping with old_len 0 is EINVAL",
		    mremap(target, 0, PAGE, MREMAP_MAYMOVE), EINVAL);
	CHECK_ERRNO("mremap at an unaligned address is EINVAL", mremap(target + 1, PAGE, PAGE, 0),
		    EINVAL);
	CHECK_ERRNO("mremap to new length 0 is EINVAL", mremap(target, PAGE, 0, 0), EINVAL);
	CHECK_ERRNO("mremap with an unknown flag is EINVAL", mremap(target, PAGE, PAGE, 0x80),
		    EINVAL);
	CHECK_ERRNO("mremap of an unmapped range is EFAULT", mremap(q, PAGE, 2 * PAGE, 0), EFAULT);

	char *d = mremap(target, 2 * PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_DONTUNMAP);
	CHECK("MREMAP_DONTUNMAP moves the data",
	      d != MAP_FAILED && d != target && all_bytes(d, 2 * PAGE, 'r'));
	CHECK("MREMAP_DONTUNMAP leaves the old range mapped and empty",
	      touch(target, 0) == 0 && all_bytes(target, 2 * PAGE, 0));
	munmap(d, 2 * PAGE);
	munmap(target, 8 * PAGE);

	char *s = map(PAGE, PROT_READ | PROT_WRITE, MAP_SHARED);
	char *dup = mremap(s, 0, PAGE, MREMAP_MAYMOVE);
	CHECK("mremap old_len 0 of a shared mapping makes a second view",
	      dup != MAP_FAILED && dup != s);
	if (dup != MAP_FAILED) {
		s[10] = 'x';
		CHECK("the second view shares memory with the first", dup[10] == 'x');
		munmap(dup, PAGE);
	}
	munmap(s, PAGE);
}

static void test_madvise_mincore(void)
{
	char *p = map_rw(4);
	unsigned char vec[4] = {9, 9, 9, 9};
	CHECK("mincore: untouched anonymous pages are not resident",
	      mincore(p, 4 * PAGE, vec) == 0 && vec[0] == 0 && vec[3] == 0);
	memset(p, 'd', 2 * PAGE);
	CHECK("mincore: touched pages are resident, others not",
	      mincore(p, 4 * PAGE, vec) == 0 && (vec[0] & 1) && (vec[1] & 1) && vec[2] == 0);
	CHECK("MADV_DONTNEED succeeds", madvise(p, 2 * PAGE, MADV_DONTNEED) == 0);
	CHECK("MADV_DONTNEED drops the pages (mincore 0)",
	      mincore(p, 4 * PAGE, vec) == 0 && vec[0] == 0 && vec[1] == 0);
	CHECK("after MADV_DONTNEED a private page reads as zeros", all_bytes(p, 2 * PAGE, 0));
	CHECK_ERRNO("mincore at an unaligned address is EINVAL", mincore(p + 1, PAGE, vec), EINVAL);
	CHECK_ERRNO("madvise with an unknown advice is EINVAL", madvise(p, PAGE, 12345), EINVAL);
	CHECK_ERRNO("madvise at an unaligned address is EINVAL", madvise(p + 1, PAGE, MADV_NORMAL),
		    EINVAL);
	munmap(p, 4 * PAGE);
	CHECK_ERRNO("mincore of an unmapped range is ENOMEM", mincore(p, PAGE, vec), ENOMEM);
	CHECK_ERRNO("madvise of an unmapped range is ENOMEM", madvise(p, PAGE, MADV_NORMAL),
		    ENOMEM);

	char *s = map(PAGE, PROT_READ | PROT_WRITE, MAP_SHARED);
	memset(s, 's', PAGE);
	madvise(s, PAGE, MADV_DONTNEED);
	CHECK("MADV_DONTNEED keeps the data of a shared anonymous page", all_bytes(s, PAGE, 's'));
	munmap(s, PAGE);

	char *l = map_rw(2);
	CHECK("mlock and munlock of anonymous memory succeed",
	      mlock(l, 2 * PAGE) == 0 && munlock(l, 2 * PAGE) == 0);
	CHECK("msync(MS_SYNC) of anonymous memory succeeds", msync(l, 2 * PAGE, MS_SYNC) == 0);
	CHECK_ERRNO("msync with MS_SYNC|MS_ASYNC is EINVAL", msync(l, PAGE, MS_SYNC | MS_ASYNC),
		    EINVAL);
	CHECK_ERRNO("msync at an unaligned address is EINVAL", msync(l + 1, PAGE, MS_SYNC), EINVAL);
	munmap(l, 2 * PAGE);
	CHECK_ERRNO("mlock of an unmapped range is ENOMEM", mlock(l, PAGE), ENOMEM);
	CHECK_ERRNO("msync of an unmapped range is ENOMEM", msync(l, PAGE, MS_SYNC), ENOMEM);
}

static void test_fork_memory(void)
{
	char *shared = map(PAGE, PROT_READ | PROT_WRITE, MAP_SHARED);
	char *priv = map_rw(64);
	memset(priv, 'A', 64 * PAGE);
	shared[0] = 0;

	pid_t pid = fork();
	if (pid == 0) {
		shared[0] = 'c';
		if (!all_bytes(priv, 64 * PAGE, 'A'))
			_exit(1);
		memset(priv, 'B', 64 * PAGE);
		for (int i = 0; i < 300 && shared[1] != 'p'; i++)
			sleep_ms(10);
		if (shared[1] != 'p')
			_exit(2);
		if (!all_bytes(priv, 64 * PAGE, 'B'))
			_exit(3);
		_exit(0);
	}
	for (int i = 0; i < 300 && shared[0] != 'c'; i++)
		sleep_ms(10);
	CHECK("a child's write to a MAP_SHARED page is seen by the parent", shared[0] == 'c');
	CHECK("a child's writes to private memory stay in the child (COW)",
	      all_bytes(priv, 64 * PAGE, 'A'));
	memset(priv, 'C', 64 * PAGE);
	shared[1] = 'p';
	CHECK("the parent's later writes do not reach the child, nor its own",
	      exited_ok(child_status(pid)) && all_bytes(priv, 64 * PAGE, 'C'));

	pid = fork();
	if (pid == 0) {
		munmap(shared, PAGE);
		mprotect(priv, PAGE, PROT_NONE);
		_exit(0);
	}
	child_status(pid);
	CHECK("a child's munmap and mprotect do not affect the parent",
	      shared[0] == 'c' && touch(priv, 1) == 0);
	munmap(shared, PAGE);
	munmap(priv, 64 * PAGE);

	char *dontfork = map_rw(1);
	char *wipe = map_rw(1);
	dontfork[0] = 1;
	wipe[0] = 'w';
	CHECK("MADV_DONTFORK and MADV_WIPEONFORK succeed",
	      madvise(dontfork, PAGE, MADV_DONTFORK) == 0 &&
		      madvise(wipe, PAGE, MADV_WIPEONFORK) == 0);
	pid = fork();
	if (pid == 0)
		_exit(wipe[0] == 0 ? 0 : 1);
	CHECK("a MADV_WIPEONFORK page reads as zeros in the child", exited_ok(child_status(pid)));
	pid = fork();
	if (pid == 0) {
		signal(SIGSEGV, SIG_DFL);
		(void)*(volatile char *)dontfork;
		_exit(0);
	}
	int status = child_status(pid);
	CHECK("a MADV_DONTFORK page is absent in the child (SIGSEGV)",
	      WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);
	CHECK("the parent keeps both pages", dontfork[0] == 1 && wipe[0] == 'w');
	munmap(dontfork, PAGE);
	munmap(wipe, PAGE);
}

static void test_large(void)
{
	size_t gib = 1UL << 30;
	char *p = map(gib, PROT_NONE, MAP_PRIVATE | MAP_NORESERVE);
	CHECK("a 1 GiB PROT_NONE reservation succeeds", p != NULL);
	if (!p)
		return;
	char *mid = p + gib / 2;
	CHECK("mprotect of pages inside the reservation",
	      mprotect(p, PAGE, PROT_READ | PROT_WRITE) == 0 &&
		      mprotect(mid, PAGE, PROT_READ | PROT_WRITE) == 0 &&
		      mprotect(p + gib - PAGE, PAGE, PROT_READ | PROT_WRITE) == 0);
	p[0] = 1;
	mid[PAGE - 1] = 2;
	p[gib - 1] = 3;
	CHECK("those pages hold data", p[0] == 1 && mid[PAGE - 1] == 2 && p[gib - 1] == 3);
	CHECK("the rest of the reservation is SEGV_ACCERR",
	      faults_at(mid + PAGE, 0, SEGV_ACCERR) && faults_at(mid - 1, 1, SEGV_ACCERR));
	CHECK("munmap of the whole reservation", munmap(p, gib) == 0);

	p = map(gib, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_NORESERVE);
	int ok = p != NULL;
	for (size_t off = 0; ok && off < gib; off += gib / 8) {
		p[off] = (char)(off >> 27);
		ok = p[off] == (char)(off >> 27) && p[off + 1] == 0;
	}
	CHECK("a 1 GiB read-write NORESERVE mapping can be touched sparsely", ok);
	munmap(p, gib);

	pid_t pid = fork();
	if (pid == 0) {
		struct rlimit rl = {256UL << 20, 256UL << 20};
		if (setrlimit(RLIMIT_AS, &rl) != 0)
			_exit(1);
		if (mmap(NULL, gib, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1,
			 0) != MAP_FAILED ||
		    errno != ENOMEM)
			_exit(2);
		_exit(map_rw(16) ? 0 : 3);
	}
	CHECK("RLIMIT_AS makes a too-large mmap ENOMEM, small ones still work",
	      exited_ok(child_status(pid)));
}

static unsigned long recurse(int depth)
{
	volatile char frame[4096];
	frame[0] = (char)depth;
	frame[sizeof(frame) - 1] = (char)depth;
	if (depth == 0)
		return 0;
	return recurse(depth - 1) + (unsigned char)frame[0] + (unsigned char)frame[4095];
}

static void test_stack(void)
{
	unsigned long want = 0;
	for (int d = 1; d <= 256; d++)
		want += 2 * (unsigned char)d;
	CHECK("the stack grows for 1 MiB of recursion", recurse(256) == want);

	pid_t pid = fork();
	if (pid == 0) {
		signal(SIGSEGV, SIG_DFL);
		struct rlimit rl = {256UL << 10, 256UL << 10};
		setrlimit(RLIMIT_STACK, &rl);
		recurse(1024);
		_exit(0);
	}
	int status = child_status(pid);
	CHECK("growing the stack past RLIMIT_STACK is SIGSEGV",
	      WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);
}

static void test_rusage_faults(void)
{
	struct rusage before, after;
	char *p = map_rw(64);
	getrusage(RUSAGE_SELF, &before);
	for (int i = 0; i < 64; i++)
		p[i * PAGE] = 1;
	getrusage(RUSAGE_SELF, &after);
	CHECK("touching 64 new pages counts at least 64 minor faults",
	      after.ru_minflt - before.ru_minflt >= 64);
	munmap(p, 64 * PAGE);
}

int main(void)
{
	check_area = "memory";
	alarm(60);
	catch_faults();

	test_brk();
	test_mmap_basics();
	test_fixed();
	test_munmap();
	test_mprotect();
	test_mremap();
	test_madvise_mincore();
	test_fork_memory();
	test_large();
	test_stack();
	test_rusage_faults();
	return check_failures ? 1 : 0;
}
