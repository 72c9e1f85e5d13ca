// SPDX-License-Identifier: MIT
/*
 * mmap of regular files on a tmpfs of the test's own: private mappings
 * copy on write, shared ones are the file's pages, the open mode limits
 * the protection, faults past the end of file are SIGBUS, truncation and
 * hole punching unmap the pages they cut from every mapping (private
 * copies too for truncation, not for punching), a write through a shared
 * mapping updates mtime, and mappings survive close, truncation and fork
 * as Linux's do.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "check.h"
#include "util.h"

#define PAGE 4096

static int bus_at(void *p, int write)
{
	return touch(p, write) == SIGBUS && fault_code == BUS_ADRERR && fault_addr == p;
}

/* A file of len bytes, each byte 'a' + its page number; open with flags. */
static int make_file(const char *name, size_t len, int flags)
{
	int fd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0644);
	char buf[PAGE];

	if (fd < 0)
		return -1;
	for (size_t off = 0; off < len; off += PAGE) {
		size_t n = len - off < PAGE ? len - off : PAGE;
		memset(buf, 'a' + (int)(off / PAGE), n);
		if (write(fd, buf, n) != (ssize_t)n)
			return -1;
	}
	close(fd);
	return open(name, flags);
}

static void test_errors(void)
{
	int rd = make_file("err", 2 * PAGE, O_RDONLY);
	int wr = open("err", O_WRONLY);
	int dir = open(".", O_RDONLY | O_DIRECTORY);
	int pfd[2];

	CHECK("error files open", rd >= 0 && wr >= 0 && dir >= 0 && pipe(pfd) == 0);
	CHECK_ERRNO("an unaligned offset is EINVAL",
		    mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, rd, 1), EINVAL);
	CHECK_ERRNO("a closed fd is EBADF", mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, 99, 0), EBADF);
	CHECK_ERRNO("length 0 is EINVAL", mmap(NULL, 0, PROT_READ, MAP_PRIVATE, rd, 0), EINVAL);
	CHECK_ERRNO("MAP_SHARED PROT_WRITE of an O_RDONLY fd is EACCES",
		    mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, rd, 0), EACCES);
	CHECK_ERRNO("MAP_PRIVATE of an O_WRONLY fd is EACCES",
		    mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, wr, 0), EACCES);
	CHECK_ERRNO("MAP_SHARED of an O_WRONLY fd is EACCES",
		    mmap(NULL, PAGE, PROT_WRITE, MAP_SHARED, wr, 0), EACCES);
	CHECK_ERRNO("a pipe is ENODEV", mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, pfd[0], 0),
		    ENODEV);
	CHECK_ERRNO("a directory is ENODEV", mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, dir, 0),
		    ENODEV);
	char *p = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, rd, 0);
	CHECK("MAP_SHARED PROT_READ of an O_RDONLY fd maps", p != MAP_FAILED);
	CHECK_ERRNO("mprotect PROT_WRITE on it is EACCES",
		    mprotect(p, PAGE, PROT_READ | PROT_WRITE), EACCES);
	munmap(p, PAGE);
	p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, rd, 0);
	CHECK("MAP_PRIVATE PROT_WRITE of an O_RDONLY fd maps", p != MAP_FAILED);
	CHECK("and writes to the private copy", touch(p, 1) == 0 && p[0] == 'w');
	char c = 0;
	CHECK("which the file does not see", pread(rd, &c, 1, 0) == 1 && c == 'a');
	munmap(p, PAGE);
	close(rd);
	close(wr);
	close(dir);
	close(pfd[0]);
	close(pfd[1]);
}

static void test_private(void)
{
	int fd = make_file("priv", 3 * PAGE, O_RDWR);
	char *p = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	char c = 0;

	CHECK("a private mapping is made", p != MAP_FAILED);
	CHECK("it reads the file", p[0] == 'a' && p[PAGE] == 'b' && p[3 * PAGE - 1] == 'c');
	CHECK("a file write shows in an untouched page",
	      pwrite(fd, "X", 1, PAGE) == 1 && p[PAGE] == 'X');
	p[0] = 'P';
	CHECK("a store copies the page", p[0] == 'P' && pread(fd, &c, 1, 0) == 1 && c == 'a');
	CHECK("later file writes miss the copy", pwrite(fd, "Y", 1, 1) == 1 && p[1] == 'a');
	p = mmap(p, PAGE, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 2 * PAGE);
	CHECK("an offset maps that page", p != MAP_FAILED && p[0] == 'c' && p[PAGE] == 'X');
	munmap(p, 3 * PAGE);
	close(fd);
}

static void test_shared(void)
{
	int fd = make_file("shared", 2 * PAGE, O_RDWR);
	char *p = mmap(NULL, 3 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *q = mmap(NULL, 2 * PAGE, PROT_READ, MAP_SHARED, fd, 0);

	munmap(p + 2 * PAGE, PAGE);
	p = mmap(p, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0);
	char buf[4] = {0};

	CHECK("two shared mappings are made", p != MAP_FAILED && q != MAP_FAILED && p != q);
	memcpy(p + PAGE, "hey", 3);
	CHECK("a store is seen by read(2)", pread(fd, buf, 3, PAGE) == 3 && !memcmp(buf, "hey", 3));
	CHECK("and by the other mapping", !memcmp(q + PAGE, "hey", 3));
	CHECK("a write(2) is seen by both",
	      pwrite(fd, "zz", 2, 0) == 2 && p[0] == 'z' && q[1] == 'z');
	CHECK("msync MS_SYNC succeeds", msync(p, 2 * PAGE, MS_SYNC) == 0);
	CHECK("msync MS_ASYNC succeeds", msync(p, PAGE, MS_ASYNC) == 0);
	CHECK("msync MS_INVALIDATE succeeds", msync(p, PAGE, MS_INVALIDATE) == 0);
	CHECK_ERRNO("msync MS_SYNC|MS_ASYNC is EINVAL", msync(p, PAGE, MS_SYNC | MS_ASYNC), EINVAL);
	CHECK_ERRNO("msync of an unaligned address is EINVAL", msync(p + 1, PAGE, MS_SYNC), EINVAL);
	CHECK_ERRNO("msync past the mapping is ENOMEM", msync(p, 3 * PAGE, MS_SYNC), ENOMEM);
	close(fd);
	CHECK("the mapping outlives close", p[0] == 'z' && (p[2] = 'c', q[2] == 'c'));
	munmap(p, 2 * PAGE);
	munmap(q, 2 * PAGE);
}

static void test_eof(void)
{
	int fd = make_file("eof", PAGE + 100, O_RDWR);
	char *p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	CHECK("a mapping longer than the file is made", p != MAP_FAILED);
	CHECK("the tail of the last page reads zero", p[PAGE + 100] == 0 && p[2 * PAGE - 1] == 0);
	CHECK("a store there stays out of the file",
	      touch(p + PAGE + 200, 1) == 0 && lseek(fd, 0, SEEK_END) == PAGE + 100);
	CHECK("a read past the last page is SIGBUS", bus_at(p + 2 * PAGE, 0));
	CHECK("a write past it is SIGBUS too", bus_at(p + 3 * PAGE + 5, 1));
	CHECK("growing the file makes the page good",
	      ftruncate(fd, 3 * PAGE) == 0 && touch(p + 2 * PAGE, 0) == 0 && p[2 * PAGE] == 0);
	char *q = mmap(NULL, 2 * PAGE, PROT_READ, MAP_PRIVATE, fd, 2 * PAGE);
	CHECK("a private mapping past the end also SIGBUSes",
	      q != MAP_FAILED && bus_at(q + PAGE, 0));
	munmap(q, 2 * PAGE);
	munmap(p, 4 * PAGE);
	p = mmap(NULL, 3 * PAGE, PROT_READ, MAP_SHARED, fd, 0);
	CHECK("shrinking the file makes later accesses past it SIGBUS",
	      p != MAP_FAILED && ftruncate(fd, PAGE) == 0 && bus_at(p + PAGE, 0) &&
		      bus_at(p + 2 * PAGE, 0));
	CHECK("the page below the end still works", p[0] == 'a');
	munmap(p, 3 * PAGE);
	close(fd);
}

/* Whether len bytes at p are all c. */
static int all_are(const char *p, size_t len, char c)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != c)
			return 0;
	return 1;
}

static void test_truncate_shared(void)
{
	int fd = make_file("tsh", 3 * PAGE, O_RDWR);
	char *p = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	CHECK("truncate: a touched shared mapping is made",
	      p != MAP_FAILED && p[0] == 'a' && p[PAGE] == 'b' && p[2 * PAGE] == 'c');
	CHECK("truncate: shrinking makes a touched page past the end SIGBUS",
	      ftruncate(fd, PAGE + 10) == 0 && bus_at(p + 2 * PAGE, 0) &&
		      bus_at(p + 2 * PAGE + 7, 1));
	CHECK("truncate: the pages below the end still read",
	      p[0] == 'a' && all_are(p + PAGE, 10, 'b'));
	CHECK("truncate: the last page's tail past the end reads zero",
	      all_are(p + PAGE + 10, PAGE - 10, 0));
	CHECK("truncate: regrowing shows zeros, not the old data",
	      ftruncate(fd, 3 * PAGE) == 0 && touch(p + 2 * PAGE, 0) == 0 &&
		      all_are(p + 2 * PAGE, PAGE, 0));
	char c = 0;
	p[2 * PAGE] = 'n';
	CHECK("truncate: the new page is the file's", pread(fd, &c, 1, 2 * PAGE) == 1 && c == 'n');
	CHECK("O_TRUNC unmaps every page",
	      close(open("tsh", O_RDWR | O_TRUNC)) == 0 && bus_at(p, 0) && bus_at(p + PAGE, 1));
	munmap(p, 3 * PAGE);
	close(fd);
}

static void test_truncate_private(void)
{
	int fd = make_file("tpr", 3 * PAGE, O_RDWR);
	char *p = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	char *q = mmap(NULL, 3 * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);

	CHECK("truncate: private mappings are made", p != MAP_FAILED && q != MAP_FAILED);
	p[PAGE] = 'P';
	CHECK("truncate: one page copied, one read", p[PAGE] == 'P' && p[2 * PAGE] == 'c');
	CHECK("truncate: shrinking makes an untouched private page SIGBUS",
	      ftruncate(fd, PAGE) == 0 && bus_at(q + PAGE, 0) && bus_at(q + 2 * PAGE, 0));
	CHECK("truncate: and a read one", bus_at(p + 2 * PAGE, 0));
	CHECK("truncate: and a private copy (even_cows)", bus_at(p + PAGE, 0));
	CHECK("truncate: the first page still reads", p[0] == 'a' && q[0] == 'a');
	munmap(p, 3 * PAGE);
	munmap(q, 3 * PAGE);
	close(fd);
}

static void test_truncate_fork_and_move(void)
{
	int fd = make_file("tfk", 3 * PAGE, O_RDWR);
	char *p = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	char *r = mmap(NULL, 3 * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
	int go[2], done[2];
	int status = -1;
	char c = 0;

	CHECK("truncate: mappings for fork are made",
	      p != MAP_FAILED && r != MAP_FAILED && p[2 * PAGE] == 'c' && r[2 * PAGE] == 'c' &&
		      pipe(go) == 0 && pipe(done) == 0);
	pid_t pid = fork();
	if (pid == 0) {
		int ok = p[PAGE] == 'b' && r[PAGE] == 'b';
		write(done[1], "r", 1);
		read(go[0], &c, 1);
		ok = ok && bus_at(p + PAGE, 0) && bus_at(r + PAGE, 0) && bus_at(r + 2 * PAGE, 0) &&
		     p[0] == 'a';
		_exit(ok ? 0 : 1);
	}
	read(done[0], &c, 1);
	char *to = mmap(NULL, 4 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *m = mremap(p, 3 * PAGE, 4 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, to);
	CHECK("truncate: a touched shared mapping moves with mremap",
	      m != MAP_FAILED && m[PAGE] == 'b');
	CHECK("truncate: cuts pages in the moved mapping",
	      ftruncate(fd, PAGE) == 0 && bus_at(m + PAGE, 0) && m[0] == 'a');
	write(go[1], "g", 1);
	waitpid(pid, &status, 0);
	CHECK("truncate: cuts pages in a forked child's mappings",
	      WIFEXITED(status) && WEXITSTATUS(status) == 0);
	munmap(m == MAP_FAILED ? p : m, 4 * PAGE);
	munmap(to, 4 * PAGE);
	munmap(r, 3 * PAGE);
	close(go[0]);
	close(go[1]);
	close(done[0]);
	close(done[1]);
	close(fd);
}

static void test_punch_hole(void)
{
	int fd = make_file("hole", 3 * PAGE, O_RDWR);
	char *p = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	char *q = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	const int punch = FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE;

	CHECK("punch: touched mappings are made",
	      p != MAP_FAILED && q != MAP_FAILED && p[PAGE] == 'b' && q[2 * PAGE] == 'c');
	q[0] = 'Q';
	CHECK("punch: a whole page reads zeros through a shared mapping",
	      fallocate(fd, punch, PAGE, PAGE) == 0 && all_are(p + PAGE, PAGE, 0) &&
		      p[PAGE - 1] == 'a' && p[2 * PAGE] == 'c');
	CHECK("punch: part of a page reads zeros", fallocate(fd, punch, 10, 20) == 0 &&
							   all_are(p + 10, 20, 0) && p[9] == 'a' &&
							   p[30] == 'a');
	CHECK("punch: a private mapping's read page shows the hole",
	      fallocate(fd, punch, 2 * PAGE, PAGE) == 0 && all_are(q + 2 * PAGE, PAGE, 0));
	CHECK("punch: a private copy survives it",
	      fallocate(fd, punch, 0, PAGE) == 0 && q[0] == 'Q' && q[1] == 'a' && p[0] == 0);
	CHECK("punch: the size stays", lseek(fd, 0, SEEK_END) == 3 * PAGE);
	munmap(p, 3 * PAGE);
	munmap(q, 3 * PAGE);
	close(fd);
}

static int ts_after(struct timespec a, struct timespec b)
{
	return a.tv_sec > b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec > b.tv_nsec);
}

/*
 * ABI: Linux updates the times on a write fault (fault_dirty_shared_page);
 * tmpfs maps pages writable on read faults, fault-around included, so the
 * write must be the mapping's first access to fault at all.
 */
static void test_mtime(void)
{
	int fd = make_file("mtime", 2 * PAGE, O_RDWR);
	char *r = mmap(NULL, 2 * PAGE, PROT_READ, MAP_SHARED, fd, 0);
	char *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	struct stat before, after;

	CHECK("mtime: shared mappings are made",
	      r != MAP_FAILED && p != MAP_FAILED && fstat(fd, &before) == 0);
	sleep_ms(10);
	CHECK("mtime: a read through one changes nothing",
	      r[PAGE] == 'b' && fstat(fd, &after) == 0 &&
		      !ts_after(after.st_mtim, before.st_mtim) &&
		      !ts_after(after.st_ctim, before.st_ctim));
	p[0] = 'm';
	CHECK("mtime: a write through one and msync update mtime and ctime",
	      msync(p, 2 * PAGE, MS_SYNC) == 0 && fstat(fd, &after) == 0 &&
		      ts_after(after.st_mtim, before.st_mtim) &&
		      ts_after(after.st_ctim, before.st_ctim));
	munmap(p, 2 * PAGE);
	munmap(r, 2 * PAGE);
	close(fd);
}

static void test_unlink_and_fork(void)
{
	int fd = make_file("gone", 2 * PAGE, O_RDWR);
	char *sh = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	char *pr = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	int status = -1;

	close(fd);
	CHECK("mappings outlive unlink", unlink("gone") == 0 && sh[0] == 'a' && pr[PAGE] == 'b');
	pr[0] = 'p';
	pid_t pid = fork();
	if (pid == 0) {
		sh[1] = 'C';
		pr[0] = 'q';
		pr[PAGE] = 'q';
		_exit(sh[0] == 'a' && pr[0] == 'q' ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	CHECK("the child ran", WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK("the child's shared store is seen", sh[1] == 'C');
	CHECK("its private stores are not", pr[0] == 'p' && pr[PAGE] == 'b');
	CHECK("mprotect works on a file mapping",
	      mprotect(pr, PAGE, PROT_READ) == 0 && touch(pr, 1) == SIGSEGV && pr[0] == 'p');
	char *moved = mremap(sh, 2 * PAGE, PAGE, 0);
	CHECK("mremap shrinks a file mapping", moved == sh && sh[1] == 'C');
	CHECK("munmap removes it", munmap(sh, PAGE) == 0 && touch(sh, 0) == SIGSEGV);
	munmap(pr, 2 * PAGE);
}

static void test_noexec(void)
{
	int fd;

	CHECK("a noexec tmpfs mounts",
	      mkdir("nx", 0755) == 0 && mount("tmpfs", "nx", "tmpfs", MS_NOEXEC, NULL) == 0);
	fd = make_file("nx/f", PAGE, O_RDONLY);
	CHECK_ERRNO("PROT_EXEC of a noexec file is EPERM",
		    mmap(NULL, PAGE, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0), EPERM);
	char *p = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
	CHECK("PROT_READ of it maps", p != MAP_FAILED && p[0] == 'a');
	CHECK_ERRNO("mprotect PROT_EXEC on it is EACCES", mprotect(p, PAGE, PROT_READ | PROT_EXEC),
		    EACCES);
	munmap(p, PAGE);
	close(fd);
	CHECK("the noexec tmpfs unmounts", umount("nx") == 0);
}

int main(void)
{
	char dir[64];

	check_area = "mmapfile";
	alarm(60);
	catch_faults();
	mkdir("/tmp", 01777);
	snprintf(dir, sizeof(dir), "/tmp/mmapfile-%d", (int)getpid());
	CHECK("a scratch tmpfs mounts", mkdir(dir, 0755) == 0 &&
						mount("tmpfs", dir, "tmpfs", 0, "mode=0755") == 0 &&
						chdir(dir) == 0);
	test_errors();
	test_private();
	test_shared();
	test_eof();
	test_truncate_shared();
	test_truncate_private();
	test_truncate_fork_and_move();
	test_punch_hole();
	test_mtime();
	test_unlink_and_fork();
	test_noexec();
	chdir("/");
	CHECK("the scratch tmpfs unmounts", umount(dir) == 0);
	return check_failures ? 1 : 0;
}
