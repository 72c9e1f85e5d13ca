// SPDX-License-Identifier: MIT
/*
 * Guest test: descriptors and data. open flags, read, write, lseek (with
 * SEEK_DATA and SEEK_HOLE), positioned and vectored I/O, truncation, the
 * memory devices, dup and fcntl, close_range, RLIMIT_NOFILE, and what
 * fork and execve do to descriptors. Everything happens on a tmpfs
 * mounted on a fresh /tmp/fdio-PID; each case works in its own directory.
 * Names and paths are in namei.c, attributes in files.c.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "util.h"

#define KERNEL_O_LARGEFILE 0100000 /* the kernel's bit, whatever libc calls it */
#define RANGE_CLOEXEC (1U << 2)	   /* CLOSE_RANGE_CLOEXEC */
#define EXEC_MARKER "fdio-exec-child"
#define KERNEL_ADDRESS ((void *)0xffff800000000000UL)

static off_t size_of(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? st.st_size : -1;
}

static long cur(int fd)
{
	return (long)lseek(fd, 0, SEEK_CUR);
}

static void check_open_flags(void)
{
	enter("open");
	CHECK("O_CREAT makes a file", put_file("f", "hello") == 0 && size_of("f") == 5);
	CHECK_ERRNO("O_CREAT|O_EXCL on an existing file is EEXIST",
		    open("f", O_WRONLY | O_CREAT | O_EXCL, 0644), EEXIST);
	CHECK_ERRNO("open of a missing file is ENOENT", open("missing", O_RDONLY), ENOENT);
	CHECK_ERRNO("open of the empty path is ENOENT", open("", O_RDONLY), ENOENT);
	int fd = open("f", O_WRONLY | O_TRUNC);
	CHECK("O_TRUNC empties the file", fd >= 0 && size_of("f") == 0);
	close(fd);
	put_file("f", "hello");
	fd = open("f", O_RDONLY | O_TRUNC);
	CHECK("O_RDONLY|O_TRUNC truncates too", fd >= 0 && size_of("f") == 0);
	close(fd);
	mkdir("d", 0755);
	CHECK_ERRNO("open of a directory O_WRONLY is EISDIR", open("d", O_WRONLY), EISDIR);
	CHECK_ERRNO("open of a directory O_RDWR is EISDIR", open("d", O_RDWR), EISDIR);
	CHECK_ERRNO("open of a directory with O_CREAT is EISDIR",
		    open("d", O_WRONLY | O_CREAT, 0644), EISDIR);
	fd = open("d", O_RDONLY);
	CHECK("open of a directory O_RDONLY works", fd >= 0);
	char c;
	CHECK_ERRNO("read of a directory is EISDIR", read(fd, &c, 1), EISDIR);
	CHECK_ERRNO("read of 0 bytes from a directory is EISDIR too", read(fd, &c, 0), EISDIR);
	CHECK_ERRNO("write to an O_RDONLY directory fd is EBADF", write(fd, "x", 1), EBADF);
	close(fd);
	CHECK_ERRNO("O_DIRECTORY on a file is ENOTDIR", open("f", O_RDONLY | O_DIRECTORY), ENOTDIR);
	CHECK_ERRNO("a trailing slash on a file is ENOTDIR", open("f/", O_RDONLY), ENOTDIR);
	CHECK_ERRNO("O_CREAT with a trailing slash is EISDIR", open("new/", O_RDWR | O_CREAT, 0644),
		    EISDIR);
	CHECK_ERRNO("O_CREAT with a trailing slash on a file is EISDIR",
		    open("f/", O_RDWR | O_CREAT, 0644), EISDIR);
	CHECK_ERRNO("a file as a path component is ENOTDIR", open("f/x", O_RDONLY), ENOTDIR);
	symlink("f", "link");
	symlink("target-of-dangling", "dangling");
	CHECK_ERRNO("O_NOFOLLOW on a symlink is ELOOP", open("link", O_RDONLY | O_NOFOLLOW), ELOOP);
	fd = open("link", O_RDONLY | O_NOFOLLOW | O_DIRECTORY);
	CHECK("O_NOFOLLOW|O_DIRECTORY on a symlink is ENOTDIR", fd == -1 && errno == ENOTDIR);
	fd = open("d/../link", O_RDONLY);
	CHECK("open follows a symlink", fd >= 0);
	close(fd);
	CHECK_ERRNO("O_CREAT|O_EXCL on a dangling symlink is EEXIST",
		    open("dangling", O_RDWR | O_CREAT | O_EXCL, 0644), EEXIST);
	fd = open("dangling", O_RDWR | O_CREAT, 0600);
	CHECK("O_CREAT through a dangling symlink creates its target",
	      fd >= 0 && size_of("target-of-dangling") == 0);
	close(fd);
	fd = (int)syscall(SYS_openat, AT_FDCWD, "f", O_RDWR);
	CHECK("F_GETFL shows O_LARGEFILE added by the kernel",
	      fcntl(fd, F_GETFL) == (O_RDWR | KERNEL_O_LARGEFILE));
	close(fd);
	fd = (int)syscall(SYS_openat, AT_FDCWD, "f", O_WRONLY | O_CLOEXEC | O_APPEND);
	CHECK("F_GETFL hides O_CLOEXEC",
	      fcntl(fd, F_GETFL) == (O_WRONLY | O_APPEND | KERNEL_O_LARGEFILE));
	close(fd);
	fd = (int)syscall(SYS_openat, AT_FDCWD, "g", O_RDWR | O_CREAT | O_EXCL | O_TRUNC, 0644);
	CHECK("F_GETFL hides O_CREAT, O_EXCL and O_TRUNC",
	      fcntl(fd, F_GETFL) == (O_RDWR | KERNEL_O_LARGEFILE));
	close(fd);
	fd = open("f", O_RDONLY | O_TRUNC | O_NOCTTY);
	CHECK("F_GETFL hides O_TRUNC and O_NOCTTY",
	      (fcntl(fd, F_GETFL) & ~KERNEL_O_LARGEFILE) == O_RDONLY);
	close(fd);
	CHECK_ERRNO("openat with a bad dirfd is EBADF", openat(99, "f", O_RDONLY), EBADF);
	fd = open("f", O_RDONLY);
	CHECK_ERRNO("openat with a file as dirfd is ENOTDIR", openat(fd, "x", O_RDONLY), ENOTDIR);
	CHECK("openat ignores a bad dirfd for an absolute path",
	      (close(fd), fd = openat(99, "/", O_RDONLY)) >= 0);
	close(fd);
	CHECK_ERRNO("open with a bad path pointer is EFAULT",
		    syscall(SYS_openat, AT_FDCWD, KERNEL_ADDRESS, O_RDONLY), EFAULT);
}

static void check_o_path(void)
{
	struct stat st;
	char buf[16];

	enter("opath");
	put_file("f", "abc");
	mkdir("d", 0755);
	put_file("d/inner", "in");
	symlink("f", "link");
	int fd = open("f", O_PATH);
	CHECK("O_PATH opens a file", fd >= 0);
	CHECK("F_GETFL of an O_PATH fd is exactly O_PATH", fcntl(fd, F_GETFL) == O_PATH);
	CHECK_ERRNO("read of an O_PATH fd is EBADF", read(fd, buf, 1), EBADF);
	CHECK_ERRNO("write of an O_PATH fd is EBADF", write(fd, "x", 1), EBADF);
	CHECK("fstat of an O_PATH fd works", fstat(fd, &st) == 0 && st.st_size == 3);
	CHECK_ERRNO("fchmod of an O_PATH fd is EBADF", syscall(SYS_fchmod, fd, 0600), EBADF);
	CHECK_ERRNO("ftruncate of an O_PATH fd is EBADF", ftruncate(fd, 0), EBADF);
	CHECK_ERRNO("lseek of an O_PATH fd is EBADF", lseek(fd, 0, SEEK_SET), EBADF);
	int fd2 = dup(fd);
	CHECK("dup of an O_PATH fd works", fd2 >= 0 && fcntl(fd2, F_GETFL) == O_PATH);
	close(fd2);
	close(fd);
	fd = open("d", O_PATH | O_DIRECTORY);
	fd2 = openat(fd, "inner", O_RDONLY);
	CHECK("an O_PATH directory works as dirfd", fd2 >= 0 && read(fd2, buf, 4) == 2);
	close(fd2);
	CHECK("fchdir to an O_PATH directory works", fchdir(fd) == 0 && size_of("inner") == 2);
	close(fd);
	chdir("..");
	fd = open("link", O_PATH | O_NOFOLLOW);
	CHECK("O_PATH|O_NOFOLLOW opens the symlink itself",
	      fd >= 0 && fstat(fd, &st) == 0 && S_ISLNK(st.st_mode) && st.st_size == 1);
	memset(buf, 0, sizeof(buf));
	CHECK("readlinkat with an empty path reads an O_PATH symlink fd",
	      readlinkat(fd, "", buf, sizeof(buf)) == 1 && buf[0] == 'f');
	close(fd);
	fd = open("f", O_PATH | O_WRONLY | O_TRUNC);
	CHECK("O_PATH ignores O_WRONLY and O_TRUNC",
	      fd >= 0 && fcntl(fd, F_GETFL) == O_PATH && size_of("f") == 3);
	close(fd);
}

static void check_o_tmpfile(void)
{
	struct stat st;
	char buf[8] = {0};

	enter("tmpfile");
	int fd = open(".", O_TMPFILE | O_RDWR, 0640);
	CHECK("O_TMPFILE opens an unnamed file", fd >= 0);
	CHECK("an O_TMPFILE file has no links",
	      fstat(fd, &st) == 0 && st.st_nlink == 0 && st.st_mode == (S_IFREG | 0640));
	CHECK("an O_TMPFILE file reads back", write(fd, "tmp", 3) == 3 &&
						      pread(fd, buf, sizeof(buf), 0) == 3 &&
						      strcmp(buf, "tmp") == 0);
	CHECK("linkat AT_EMPTY_PATH gives an O_TMPFILE file a name",
	      linkat(fd, "", AT_FDCWD, "named", AT_EMPTY_PATH) == 0 && size_of("named") == 3 &&
		      fstat(fd, &st) == 0 && st.st_nlink == 1);
	close(fd);
	fd = open(".", O_TMPFILE | O_RDWR | O_EXCL, 0600);
	CHECK_ERRNO("linkat of an O_TMPFILE|O_EXCL file is ENOENT",
		    linkat(fd, "", AT_FDCWD, "named2", AT_EMPTY_PATH), ENOENT);
	close(fd);
	CHECK_ERRNO("O_TMPFILE read-only is EINVAL", open(".", O_TMPFILE | O_RDONLY, 0600), EINVAL);
	CHECK_ERRNO("O_TMPFILE with O_CREAT is EINVAL",
		    open(".", O_TMPFILE | O_CREAT | O_RDWR, 0600), EINVAL);
	CHECK_ERRNO("O_TMPFILE on a file is ENOTDIR", open("named", O_TMPFILE | O_RDWR, 0600),
		    ENOTDIR);
	CHECK_ERRNO("O_TMPFILE in a missing directory is ENOENT",
		    open("nodir", O_TMPFILE | O_RDWR, 0600), ENOENT);
}

static void check_read_write(void)
{
	char buf[32] = {0};

	enter("rw");
	int fd = open("f", O_RDWR | O_CREAT, 0644);
	CHECK("write returns the count", write(fd, "0123456789", 10) == 10);
	CHECK("write moves the offset", cur(fd) == 10);
	CHECK("read at end of file is 0", read(fd, buf, sizeof(buf)) == 0);
	CHECK("lseek SEEK_SET", lseek(fd, 2, SEEK_SET) == 2);
	CHECK("read returns what is left", read(fd, buf, 5) == 5 && memcmp(buf, "23456", 5) == 0);
	CHECK("lseek SEEK_CUR", lseek(fd, -3, SEEK_CUR) == 4);
	CHECK("lseek SEEK_END", lseek(fd, -1, SEEK_END) == 9);
	CHECK("read is short at the end", read(fd, buf, sizeof(buf)) == 1 && buf[0] == '9');
	CHECK("write of 0 bytes is 0", write(fd, buf, 0) == 0);
	CHECK_ERRNO("lseek to a negative offset is EINVAL", lseek(fd, -11, SEEK_END), EINVAL);
	CHECK("a failed lseek keeps the offset", cur(fd) == 10);
	CHECK_ERRNO("lseek with whence 7 is EINVAL", lseek(fd, 0, 7), EINVAL);
	CHECK_ERRNO("lseek of a bad fd is EBADF", lseek(99, 0, SEEK_SET), EBADF);
	CHECK("lseek past the end is allowed", lseek(fd, 20, SEEK_SET) == 20);
	CHECK("write past the end leaves a hole of zeros",
	      write(fd, "X", 1) == 1 && size_of("f") == 21 && pread(fd, buf, 12, 9) == 12 &&
		      memcmp(buf, "9\0\0\0\0\0\0\0\0\0\0X", 12) == 0);
	CHECK("pread does not move the offset", cur(fd) == 21);
	CHECK("pwrite writes at its offset", pwrite(fd, "ab", 2, 1) == 2 && cur(fd) == 21 &&
						     pread(fd, buf, 4, 0) == 4 &&
						     memcmp(buf, "0ab3", 4) == 0);
	CHECK_ERRNO("pread at a negative offset is EINVAL", pread(fd, buf, 1, -1), EINVAL);
	CHECK_ERRNO("pwrite at a negative offset is EINVAL", pwrite(fd, buf, 1, -1), EINVAL);
	CHECK_ERRNO("pread checks the offset before the fd", syscall(SYS_pread64, 99, buf, 1L, -1L),
		    EINVAL);
	CHECK_ERRNO("read into a kernel address is EFAULT",
		    syscall(SYS_read, fd, KERNEL_ADDRESS, 1L), EFAULT);
	CHECK_ERRNO("pread into a bad address is EFAULT", syscall(SYS_pread64, fd, 8L, 4L, 0L),
		    EFAULT);
	CHECK_ERRNO("write from a bad address is EFAULT", syscall(SYS_write, fd, 8L, 4L), EFAULT);
	CHECK_ERRNO("read of a bad fd is EBADF", read(99, buf, 1), EBADF);
	CHECK_ERRNO("read of a negative fd is EBADF", read(-1, buf, 1), EBADF);
	close(fd);
	CHECK_ERRNO("read of a closed fd is EBADF", read(fd, buf, 1), EBADF);
	CHECK_ERRNO("close of a closed fd is EBADF", close(fd), EBADF);
	fd = open("f", O_RDONLY);
	CHECK_ERRNO("write to an O_RDONLY fd is EBADF", write(fd, "x", 1), EBADF);
	CHECK_ERRNO("pwrite to an O_RDONLY fd is EBADF", pwrite(fd, "x", 1, 0), EBADF);
	close(fd);
	fd = open("f", O_WRONLY);
	CHECK_ERRNO("read from an O_WRONLY fd is EBADF", read(fd, buf, 1), EBADF);
	CHECK_ERRNO("pread from an O_WRONLY fd is EBADF", pread(fd, buf, 1, 0), EBADF);
	close(fd);
}

static void check_append(void)
{
	char buf[16] = {0};

	enter("append");
	put_file("f", "abc");
	int fd = open("f", O_RDWR | O_APPEND);
	CHECK("O_APPEND starts at offset 0", cur(fd) == 0);
	CHECK("O_APPEND writes at the end", lseek(fd, 1, SEEK_SET) == 1 &&
						    write(fd, "de", 2) == 2 &&
						    strcmp(get_file("f"), "abcde") == 0);
	CHECK("O_APPEND leaves the offset at the end", cur(fd) == 5);
	lseek(fd, 0, SEEK_SET);
	CHECK("pwrite on O_APPEND appends anyway",
	      pwrite(fd, "Z", 1, 0) == 1 && strcmp(get_file("f"), "abcdeZ") == 0);
	CHECK("pwrite on O_APPEND keeps the offset", cur(fd) == 0);
	CHECK("read on O_APPEND reads from the offset", read(fd, buf, 2) == 2 && buf[0] == 'a');
	CHECK("F_SETFL clears O_APPEND",
	      fcntl(fd, F_SETFL, 0) == 0 && (fcntl(fd, F_GETFL) & O_APPEND) == 0 &&
		      pwrite(fd, "Y", 1, 0) == 1 && strcmp(get_file("f"), "YbcdeZ") == 0);
	CHECK("F_SETFL sets O_APPEND",
	      fcntl(fd, F_SETFL, O_APPEND) == 0 && lseek(fd, 0, SEEK_SET) == 0 &&
		      write(fd, "!", 1) == 1 && strcmp(get_file("f"), "YbcdeZ!") == 0);
	CHECK("F_SETFL does not change the access mode",
	      fcntl(fd, F_SETFL, O_RDONLY) == 0 && (fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDWR);
	close(fd);
}

static void check_vectors(void)
{
	static struct iovec many[1025];
	char a[4] = {0}, b[8] = {0};
	struct iovec iov[3] = {{"ab", 2}, {"", 0}, {"cdefg", 5}};

	enter("iov");
	int fd = open("f", O_RDWR | O_CREAT, 0644);
	CHECK("writev gathers", writev(fd, iov, 3) == 7 && strcmp(get_file("f"), "abcdefg") == 0);
	struct iovec in[2] = {{a, 3}, {b, 8}};
	CHECK("readv scatters", lseek(fd, 0, SEEK_SET) == 0 && readv(fd, in, 2) == 7 &&
					memcmp(a, "abc", 3) == 0 && strcmp(b, "defg") == 0);
	CHECK("writev of 0 vectors is 0", writev(fd, iov, 0) == 0);
	CHECK("preadv reads at an offset",
	      preadv(fd, in, 1, 4) == 3 && memcmp(a, "efg", 3) == 0 && cur(fd) == 7);
	CHECK("pwritev writes at an offset",
	      pwritev(fd, iov, 1, 1) == 2 && strcmp(get_file("f"), "aabdefg") == 0 && cur(fd) == 7);
	for (int i = 0; i < 1025; i++)
		many[i] = (struct iovec){a, 0};
	CHECK("writev of 1024 vectors works", writev(fd, many, 1024) == 0);
	CHECK_ERRNO("writev of 1025 vectors is EINVAL", writev(fd, many, 1025), EINVAL);
	CHECK_ERRNO("readv of 1025 vectors is EINVAL", readv(fd, many, 1025), EINVAL);
	CHECK_ERRNO("writev of -1 vectors is EINVAL", syscall(SYS_writev, fd, many, -1L), EINVAL);
	CHECK_ERRNO("writev with a bad iovec array is EFAULT", syscall(SYS_writev, fd, 8L, 1L),
		    EFAULT);
	struct iovec bad = {(void *)8, 4};
	CHECK_ERRNO("writev from a bad buffer is EFAULT", writev(fd, &bad, 1), EFAULT);
	lseek(fd, 0, SEEK_SET);
	CHECK_ERRNO("readv into a bad buffer is EFAULT", readv(fd, &bad, 1), EFAULT);
	struct iovec negative = {a, (size_t)-1};
	CHECK_ERRNO("writev with a negative length is EINVAL", writev(fd, &negative, 1), EINVAL);
	close(fd);
	fd = open("f", O_WRONLY);
	CHECK_ERRNO("readv checks the count before the mode", readv(fd, many, 1025), EINVAL);
	CHECK_ERRNO("readv of a write-only fd is EBADF", readv(fd, many, 1), EBADF);
	close(fd);
}

static void check_truncate(void)
{
	char buf[8];

	enter("trunc");
	put_file("f", "abcdef");
	int fd = open("f", O_RDWR);
	CHECK("ftruncate shrinks", ftruncate(fd, 2) == 0 && size_of("f") == 2);
	CHECK("ftruncate keeps the offset", cur(fd) == 0);
	CHECK("ftruncate extends with zeros", ftruncate(fd, 5) == 0 && size_of("f") == 5 &&
						      pread(fd, buf, 8, 0) == 5 &&
						      memcmp(buf, "ab\0\0\0", 5) == 0);
	CHECK_ERRNO("ftruncate to a negative length is EINVAL", ftruncate(fd, -1), EINVAL);
	close(fd);
	fd = open("f", O_RDONLY);
	CHECK_ERRNO("ftruncate of an O_RDONLY fd is EINVAL", ftruncate(fd, 0), EINVAL);
	close(fd);
	CHECK("truncate by path", truncate("f", 1) == 0 && strcmp(get_file("f"), "a") == 0);
	CHECK_ERRNO("truncate to a negative length is EINVAL", truncate("f", -1), EINVAL);
	mkdir("d", 0755);
	CHECK_ERRNO("truncate of a directory is EISDIR", truncate("d", 0), EISDIR);
	fd = open("d", O_RDONLY);
	CHECK_ERRNO("ftruncate of a directory fd is EINVAL", ftruncate(fd, 0), EINVAL);
	close(fd);
	CHECK_ERRNO("truncate of a missing file is ENOENT", truncate("missing", 0), ENOENT);
	CHECK_ERRNO("ftruncate of a bad fd is EBADF", ftruncate(99, 0), EBADF);
}

static void check_sparse(void)
{
	static char page[4096];
	struct stat st;

	enter("sparse");
	memset(page, 'p', sizeof(page));
	int fd = open("f", O_RDWR | O_CREAT, 0644);
	CHECK("a page at offset 0 and a byte at 1 MiB",
	      pwrite(fd, page, sizeof(page), 0) == 4096 && pwrite(fd, "B", 1, 1 << 20) == 1);
	CHECK("SEEK_DATA at 0 is 0", lseek(fd, 0, SEEK_DATA) == 0);
	CHECK("SEEK_HOLE at 0 is the end of the first page", lseek(fd, 0, SEEK_HOLE) == 4096);
	CHECK("SEEK_DATA in the hole finds the next page", lseek(fd, 5000, SEEK_DATA) == 1 << 20);
	CHECK("SEEK_HOLE in the last page is the end of file",
	      lseek(fd, 1 << 20, SEEK_HOLE) == (1 << 20) + 1);
	CHECK("SEEK_HOLE inside a hole stays put", lseek(fd, 8192, SEEK_HOLE) == 8192);
	CHECK_ERRNO("SEEK_DATA at the end of file is ENXIO", lseek(fd, (1 << 20) + 1, SEEK_DATA),
		    ENXIO);
	CHECK_ERRNO("SEEK_HOLE past the end of file is ENXIO", lseek(fd, 2 << 20, SEEK_HOLE),
		    ENXIO);
	CHECK_ERRNO("SEEK_DATA at a negative offset is ENXIO", lseek(fd, -1, SEEK_DATA), ENXIO);
	close(fd);
	fd = open("big", O_RDWR | O_CREAT, 0644);
	CHECK("write at 1 GiB", pwrite(fd, "G", 1, 1L << 30) == 1);
	CHECK("a 1 GiB sparse file has its size and one page of blocks",
	      fstat(fd, &st) == 0 && st.st_size == (1L << 30) + 1 && st.st_blocks == 8);
	char c = 1;
	CHECK("the hole reads as zero", pread(fd, &c, 1, 12345678) == 1 && c == 0);
	CHECK("ftruncate to 0 frees the blocks",
	      ftruncate(fd, 0) == 0 && fstat(fd, &st) == 0 && st.st_blocks == 0);
	close(fd);
}

enum {
	KEEP_SIZE = 0x01,  /* FALLOC_FL_KEEP_SIZE */
	PUNCH_HOLE = 0x02, /* FALLOC_FL_PUNCH_HOLE */
	ZERO_RANGE = 0x10, /* FALLOC_FL_ZERO_RANGE */
};

static long falloc(int fd, int mode, long offset, long len)
{
	return syscall(SYS_fallocate, fd, mode, offset, len);
}

static void check_fallocate(void)
{
	struct stat st;
	char buf[4] = "xxx";

	enter("fallocate");
	int fd = open("f", O_RDWR | O_CREAT, 0644);
	CHECK("fallocate grows the file", falloc(fd, 0, 0, 8192) == 0 && fstat(fd, &st) == 0 &&
						  st.st_size == 8192 && st.st_blocks == 16);
	CHECK("fallocated space reads as zeros",
	      pread(fd, buf, 3, 100) == 3 && memcmp(buf, "\0\0\0", 3) == 0);
	CHECK("FALLOC_FL_KEEP_SIZE allocates past the end",
	      falloc(fd, KEEP_SIZE, 8192, 4096) == 0 && fstat(fd, &st) == 0 && st.st_size == 8192 &&
		      st.st_blocks == 24);
	pwrite(fd, "data", 4, 0);
	CHECK("FALLOC_FL_PUNCH_HOLE frees the blocks",
	      falloc(fd, PUNCH_HOLE | KEEP_SIZE, 0, 4096) == 0 && fstat(fd, &st) == 0 &&
		      st.st_size == 8192 && st.st_blocks == 16);
	CHECK("a punched hole reads as zeros",
	      pread(fd, buf, 3, 0) == 3 && memcmp(buf, "\0\0\0", 3) == 0);
	CHECK_ERRNO("PUNCH_HOLE without KEEP_SIZE is EOPNOTSUPP", falloc(fd, PUNCH_HOLE, 0, 4096),
		    EOPNOTSUPP);
	CHECK_ERRNO("FALLOC_FL_ZERO_RANGE on tmpfs is EOPNOTSUPP", falloc(fd, ZERO_RANGE, 0, 4096),
		    EOPNOTSUPP);
	CHECK_ERRNO("fallocate of length 0 is EINVAL", falloc(fd, 0, 0, 0), EINVAL);
	CHECK_ERRNO("fallocate at a negative offset is EINVAL", falloc(fd, 0, -1, 10), EINVAL);
	CHECK_ERRNO("fallocate past the largest offset is EFBIG", falloc(fd, 0, LONG_MAX - 10, 100),
		    EFBIG);
	CHECK("fsync", fsync(fd) == 0);
	CHECK("fdatasync", fdatasync(fd) == 0);
	CHECK("syncfs", syncfs(fd) == 0);
	CHECK("fadvise SEQUENTIAL", syscall(SYS_fadvise64, fd, 0L, 0L, 2) == 0);
	CHECK_ERRNO("fadvise with an unknown advice is EINVAL",
		    syscall(SYS_fadvise64, fd, 0L, 0L, 99), EINVAL);
	close(fd);
	fd = open("f", O_RDONLY);
	CHECK_ERRNO("fallocate on an O_RDONLY fd is EBADF", falloc(fd, 0, 0, 10), EBADF);
	CHECK_ERRNO("fallocate checks the mode before the fd's access",
		    falloc(fd, PUNCH_HOLE, 0, 10), EOPNOTSUPP);
	CHECK("fsync of an O_RDONLY fd", fsync(fd) == 0);
	close(fd);
	CHECK_ERRNO("fsync of a bad fd is EBADF", fsync(99), EBADF);
	CHECK_ERRNO("fallocate of a bad fd is EBADF", falloc(99, 0, 0, 10), EBADF);
}

static void check_devices(void)
{
	char buf[16];
	struct stat st;

	enter("dev");
	CHECK("mknod makes /dev/null", mknod("null", S_IFCHR | 0666, makedev(1, 3)) == 0);
	CHECK("mknod makes /dev/zero", mknod("zero", S_IFCHR | 0666, makedev(1, 5)) == 0);
	CHECK("mknod makes /dev/full", mknod("full", S_IFCHR | 0666, makedev(1, 7)) == 0);
	CHECK("a device node stats as a character device",
	      stat("full", &st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 7) &&
		      st.st_size == 0);
	CHECK_ERRNO("mknod over an existing name is EEXIST",
		    mknod("null", S_IFCHR | 0666, makedev(1, 3)), EEXIST);
	CHECK_ERRNO("mknod of a directory is EPERM", mknod("dir", S_IFDIR | 0755, 0), EPERM);
	CHECK_ERRNO("mknod of an unknown type is EINVAL", mknod("odd", 0170000 | 0644, 0), EINVAL);
	CHECK("mknod with type 0 makes a regular file",
	      mknod("plain", 0644, 0) == 0 && stat("plain", &st) == 0 && S_ISREG(st.st_mode));
	int fd = open("null", O_RDWR);
	CHECK("null: write swallows everything", write(fd, "abc", 3) == 3);
	CHECK("null: read is end of file", read(fd, buf, sizeof(buf)) == 0);
	CHECK("null: lseek returns 0", lseek(fd, 100, SEEK_SET) == 0);
	close(fd);
	fd = open("zero", O_RDWR);
	memset(buf, 'x', sizeof(buf));
	CHECK("zero: read fills zeros",
	      read(fd, buf, sizeof(buf)) == sizeof(buf) &&
		      memcmp(buf, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16) == 0);
	CHECK("zero: write swallows everything", write(fd, "abc", 3) == 3);
	close(fd);
	fd = open("full", O_RDWR);
	memset(buf, 'x', sizeof(buf));
	CHECK_ERRNO("full: write is ENOSPC", write(fd, "abc", 3), ENOSPC);
	CHECK("full: read fills zeros", read(fd, buf, 4) == 4 && memcmp(buf, "\0\0\0\0x", 5) == 0);
	close(fd);
	CHECK_ERRNO("open of a device with no driver is ENXIO",
		    (mknod("nodrv", S_IFCHR | 0666, makedev(60, 0)), open("nodrv", O_RDWR)), ENXIO);
}

static void check_dup(void)
{
	enter("dup");
	int fd = open("f", O_RDWR | O_CREAT, 0644);
	int low = dup(fd);
	CHECK("dup returns the lowest free fd", low == fd + 1);
	CHECK("dup shares the offset", write(fd, "abc", 3) == 3 && cur(low) == 3);
	CHECK("dup2 to a chosen fd", dup2(fd, 40) == 40 && cur(40) == 3);
	CHECK("dup2 clears FD_CLOEXEC on the copy", fcntl(40, F_GETFD) == 0);
	CHECK("dup2 onto itself returns the fd", dup2(fd, fd) == fd);
	CHECK_ERRNO("dup2 of a bad fd onto itself is EBADF", dup2(77, 77), EBADF);
	CHECK_ERRNO("dup2 of a bad fd is EBADF", dup2(77, low), EBADF);
	CHECK("a failed dup2 leaves the target open", fcntl(low, F_GETFD) == 0);
	CHECK_ERRNO("dup2 to a negative fd is EBADF", dup2(fd, -1), EBADF);
	CHECK_ERRNO("dup3 onto itself is EINVAL", syscall(SYS_dup3, fd, fd, 0), EINVAL);
	CHECK_ERRNO("dup3 with bad flags is EINVAL", syscall(SYS_dup3, fd, 41, O_APPEND), EINVAL);
	CHECK("dup3 O_CLOEXEC", dup3(fd, 41, O_CLOEXEC) == 41 && fcntl(41, F_GETFD) == FD_CLOEXEC);
	CHECK("dup2 over an open fd replaces it", dup2(low, 41) == 41 && fcntl(41, F_GETFD) == 0);
	CHECK_ERRNO("dup of a bad fd is EBADF", dup(77), EBADF);
	CHECK("F_DUPFD returns the lowest fd at or above the argument",
	      fcntl(fd, F_DUPFD, 40) == 42);
	CHECK("F_DUPFD copy has no FD_CLOEXEC", fcntl(42, F_GETFD) == 0);
	CHECK("F_DUPFD_CLOEXEC",
	      fcntl(fd, F_DUPFD_CLOEXEC, 40) == 43 && fcntl(43, F_GETFD) == FD_CLOEXEC);
	CHECK_ERRNO("F_DUPFD with a negative argument is EINVAL", fcntl(fd, F_DUPFD, -1), EINVAL);
	struct rlimit rl;
	getrlimit(RLIMIT_NOFILE, &rl);
	CHECK_ERRNO("F_DUPFD at RLIMIT_NOFILE is EINVAL", fcntl(fd, F_DUPFD, (int)rl.rlim_cur),
		    EINVAL);
	CHECK_ERRNO("dup2 to RLIMIT_NOFILE is EBADF", dup2(fd, (int)rl.rlim_cur), EBADF);
	CHECK("F_SETFD keeps only FD_CLOEXEC",
	      fcntl(42, F_SETFD, 0xff) == 0 && fcntl(42, F_GETFD) == FD_CLOEXEC);
	CHECK("F_SETFD clears FD_CLOEXEC", fcntl(42, F_SETFD, 0) == 0 && fcntl(42, F_GETFD) == 0);
	CHECK("FD_CLOEXEC is per descriptor", fcntl(fd, F_GETFD) == 0);
	CHECK_ERRNO("F_GETFD of a bad fd is EBADF", fcntl(77, F_GETFD), EBADF);
	CHECK_ERRNO("an unknown fcntl command is EINVAL", fcntl(fd, 9999), EINVAL);
	CHECK("F_GETFL is shared by duplicates",
	      fcntl(fd, F_SETFL, O_APPEND) == 0 && (fcntl(40, F_GETFL) & O_APPEND) != 0);
	CHECK("closing one duplicate keeps the other",
	      close(fd) == 0 && write(40, "d", 1) == 1 && strcmp(get_file("f"), "abcd") == 0);
	for (int i = 40; i <= 43; i++)
		close(i);
	close(low);
}

static void check_close_range(void)
{
	enter("close_range");
	int fd = open(".", O_RDONLY);
	for (int i = 50; i <= 54; i++)
		dup2(fd, i);
	close(fd);
	CHECK("close_range closes the range", syscall(SYS_close_range, 51, 53, 0) == 0);
	CHECK("close_range leaves the ends", fcntl(50, F_GETFD) == 0 && fcntl(54, F_GETFD) == 0);
	CHECK_ERRNO("close_range closed the middle", fcntl(52, F_GETFD), EBADF);
	CHECK_ERRNO("close_range first > last is EINVAL", syscall(SYS_close_range, 54, 50, 0),
		    EINVAL);
	CHECK_ERRNO("close_range with unknown flags is EINVAL",
		    syscall(SYS_close_range, 50, 54, 0x80), EINVAL);
	CHECK("CLOSE_RANGE_CLOEXEC marks instead of closing",
	      syscall(SYS_close_range, 50, 60, RANGE_CLOEXEC) == 0 &&
		      fcntl(50, F_GETFD) == FD_CLOEXEC && fcntl(54, F_GETFD) == FD_CLOEXEC);
	CHECK_ERRNO("CLOSE_RANGE_CLOEXEC does not open holes", fcntl(52, F_GETFD), EBADF);
	CHECK("close_range of nothing open is 0", syscall(SYS_close_range, 1000, ~0U, 0) == 0);
	CHECK("close_range up to ~0U", syscall(SYS_close_range, 50, ~0U, 0) == 0);
	CHECK_ERRNO("close_range to ~0U closed everything", fcntl(54, F_GETFD), EBADF);
}

static void nofile_child(void)
{
	struct rlimit rl = {10, 10};
	int last = -1, fd;

	syscall(SYS_close_range, 3, ~0U, 0);
	CHECK("setrlimit RLIMIT_NOFILE 10", setrlimit(RLIMIT_NOFILE, &rl) == 0);
	while ((fd = open(".", O_RDONLY)) >= 0)
		last = fd;
	CHECK("open fills fds up to the limit", last == 9);
	CHECK_ERRNO("open past RLIMIT_NOFILE is EMFILE", open(".", O_RDONLY), EMFILE);
	CHECK_ERRNO("dup past RLIMIT_NOFILE is EMFILE", dup(0), EMFILE);
	CHECK_ERRNO("F_DUPFD past RLIMIT_NOFILE is EMFILE", fcntl(3, F_DUPFD, 0), EMFILE);
	CHECK_ERRNO("dup2 to the limit is EBADF", dup2(3, 10), EBADF);
	CHECK("a closed fd is reused", close(5) == 0 && open(".", O_RDONLY) == 5);
	CHECK("dup2 below the limit over an open fd works", dup2(3, 9) == 9);
	rl.rlim_cur = 5;
	CHECK("lowering the limit below open fds is allowed", setrlimit(RLIMIT_NOFILE, &rl) == 0);
	CHECK_ERRNO("then dup is EMFILE", dup(3), EMFILE);
	_exit(0);
}

static void check_nofile(void)
{
	int status = -1;

	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0)
		nofile_child();
	CHECK("RLIMIT_NOFILE child ran", waitpid(pid, &status, 0) == pid && status == 0);
}

/* ABI: generic_write_check_limits: RLIMIT_FSIZE cuts writes to regular files. */
static void fsize_child(void)
{
	static char buf[8192];
	struct rlimit rl = {4096, 4096};
	int p[2];

	signal(SIGXFSZ, SIG_IGN);
	int fd = open("fsize", O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK("setrlimit RLIMIT_FSIZE 4096", fd >= 0 && setrlimit(RLIMIT_FSIZE, &rl) == 0);
	CHECK("a write crossing RLIMIT_FSIZE stops at it", write(fd, buf, 5000) == 4096);
	CHECK_ERRNO("a write at RLIMIT_FSIZE is EFBIG", write(fd, buf, 1), EFBIG);
	CHECK("a pwrite below it works", pwrite(fd, buf, 10, 100) == 10);
	CHECK("a pwrite crossing it is cut", pwrite(fd, buf, 10, 4090) == 6);
	CHECK_ERRNO("a pwrite at it is EFBIG", pwrite(fd, buf, 1, 4096), EFBIG);
	struct iovec two[2] = {{buf, 3000}, {buf, 3000}};
	CHECK("a writev crossing it is cut",
	      lseek(fd, 0, SEEK_SET) == 0 && writev(fd, two, 2) == 4096);
	int afd = open("fsize", O_WRONLY | O_APPEND);
	CHECK_ERRNO("an O_APPEND write at the end is EFBIG", write(afd, buf, 1), EFBIG);
	CHECK("a pipe is not limited", pipe(p) == 0 && write(p[1], buf, 8192) == 8192);
	signal(SIGXFSZ, SIG_DFL);
	write(fd, buf, 1); /* at the limit: SIGXFSZ's default action ends the process */
	_exit(0);
}

static void check_fsize(void)
{
	int status = -1;

	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0)
		fsize_child();
	CHECK("past RLIMIT_FSIZE a write raises SIGXFSZ", waitpid(pid, &status, 0) == pid &&
								  WIFSIGNALED(status) &&
								  WTERMSIG(status) == SIGXFSZ);
	unlink("fsize");
}

static void check_fork(void)
{
	char buf[8] = {0};
	int status = -1;

	enter("fork");
	put_file("f", "0123456789");
	int fd = open("f", O_RDWR);
	int keep = fcntl(fd, F_DUPFD, 60);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		int ok = read(fd, buf, 4) == 4 && fcntl(fd, F_SETFL, O_APPEND) == 0 &&
			 fcntl(fd, F_SETFD, FD_CLOEXEC) == 0 && close(keep) == 0;
		_exit(ok ? 0 : 1);
	}
	CHECK("child used inherited fds", waitpid(pid, &status, 0) == pid && status == 0);
	CHECK("a child's read moves the shared offset",
	      read(fd, buf, 4) == 4 && memcmp(buf, "4567", 4) == 0);
	CHECK("a child's F_SETFL is shared", (fcntl(fd, F_GETFL) & O_APPEND) != 0);
	CHECK("a child's F_SETFD is not shared", fcntl(fd, F_GETFD) == 0);
	CHECK("a child's close is not shared", fcntl(keep, F_GETFD) == 0);
	close(keep);
	close(fd);
}

/* Runs in the re-executed image: fds 20 to 24 were set up by check_exec. */
static int exec_child(void)
{
	char buf[4] = {0};

	check_area = "fdio";
	CHECK("exec keeps an fd without FD_CLOEXEC", fcntl(20, F_GETFD) == 0);
	CHECK("exec keeps the offset of an inherited fd",
	      cur(20) == 3 && read(20, buf, 3) == 3 && memcmp(buf, "def", 3) == 0);
	CHECK_ERRNO("exec closes an O_CLOEXEC fd", fcntl(21, F_GETFD), EBADF);
	CHECK_ERRNO("exec closes an fd marked by CLOSE_RANGE_CLOEXEC", fcntl(22, F_GETFD), EBADF);
	CHECK_ERRNO("exec closes an F_DUPFD_CLOEXEC fd", fcntl(23, F_GETFD), EBADF);
	CHECK("exec keeps an fd whose FD_CLOEXEC was cleared", fcntl(24, F_GETFD) == 0);
	return check_failures ? 1 : 0;
}

static void check_exec(const char *self)
{
	int status = -1;

	enter("exec");
	put_file("f", "abcdef");
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open("f", O_RDONLY);
		lseek(fd, 3, SEEK_SET);
		dup2(fd, 20);
		dup3(fd, 21, O_CLOEXEC);
		dup2(fd, 22);
		syscall(SYS_close_range, 22, 22, RANGE_CLOEXEC);
		fcntl(fd, F_DUPFD_CLOEXEC, 23);
		dup3(fd, 24, O_CLOEXEC);
		fcntl(24, F_SETFD, 0);
		close(fd);
		char *argv[] = {(char *)self, EXEC_MARKER, NULL};
		char *envp[] = {NULL};
		execve(self, argv, envp);
		_exit(127);
	}
	CHECK("the re-executed test passed", waitpid(pid, &status, 0) == pid && status == 0);
}

/*
 * Partly bad user buffers. A two-page mapping whose second page is
 * PROT_NONE (or unmapped): Linux moves bytes up to the first one it
 * cannot copy and returns that count (EFAULT only if it is 0), the file
 * offset moves by what was returned, and a pipe keeps what it did not
 * deliver. Pipes work in whole slots (pages written by one write): a
 * slot that cannot be delivered or filled whole is left alone.
 */
#define PG 4096

static char *good_then_bad(int unmap)
{
	char *p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	memset(p, '.', PG);
	if (unmap ? munmap(p + PG, PG) : mprotect(p + PG, PG, PROT_NONE))
		return NULL;
	return p;
}

static void drop(char *p)
{
	munmap(p, 2 * PG);
}

static int is_pattern(const char *p, size_t n, size_t from)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != (char)((from + i) * 7 % 251))
			return 0;
	return 1;
}

static int patterned_file(const char *name, size_t n)
{
	static char data[3 * PG];
	int fd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0644);

	for (size_t i = 0; i < n; i++)
		data[i] = (char)(i * 7 % 251);
	if (write(fd, data, n) != (ssize_t)n || lseek(fd, 0, SEEK_SET) != 0)
		CHECK("patterned file is written", 0);
	return fd;
}

static void check_partial_file_read(void)
{
	char *p = good_then_bad(0), *q = good_then_bad(1);

	enter("partial-read");
	int fd = patterned_file("f", 3 * PG);
	CHECK("read into [good|PROT_NONE] returns the good part",
	      read(fd, p, 2 * PG) == PG && is_pattern(p, PG, 0));
	CHECK("the offset moves by what read returned", cur(fd) == PG);
	CHECK("read into [good|unmapped] returns the good part",
	      read(fd, q, 2 * PG) == PG && is_pattern(q, PG, PG) && cur(fd) == 2 * PG);
	lseek(fd, 5, SEEK_SET);
	CHECK("read 100 bytes before a bad page returns 100",
	      read(fd, p + PG - 100, 2 * PG) == 100 && is_pattern(p + PG - 100, 100, 5) &&
		      cur(fd) == 105);
	CHECK_ERRNO("read into a bad first page is EFAULT", read(fd, p + PG, 2 * PG), EFAULT);
	CHECK_ERRNO("read into an unmapped first page is EFAULT", read(fd, q + PG, 100), EFAULT);
	CHECK("a read that faulted at once keeps the offset", cur(fd) == 105);
	CHECK("pread into [good|bad] returns the good part",
	      pread(fd, p + PG - 300, 2 * PG, 10) == 300 && is_pattern(p + PG - 300, 300, 10));
	CHECK_ERRNO("pread into a bad page is EFAULT", pread(fd, p + PG, 10, 0), EFAULT);
	CHECK("pread keeps the offset", cur(fd) == 105);
	struct iovec iov[2] = {{p + PG - 64, 64}, {p + PG, 64}};
	CHECK("readv stops at a bad second iovec",
	      readv(fd, iov, 2) == 64 && is_pattern(p + PG - 64, 64, 105) && cur(fd) == 169);
	iov[0] = (struct iovec){p + PG - 30, 50};
	CHECK("readv stops inside a partly bad iovec", readv(fd, iov, 2) == 30 && cur(fd) == 199);
	CHECK_ERRNO("readv with a bad first iovec is EFAULT", readv(fd, iov + 1, 1), EFAULT);
	CHECK("preadv stops at the bad iovec and keeps the offset",
	      preadv(fd, iov, 2, 1000) == 30 && is_pattern(p + PG - 30, 30, 1000) &&
		      cur(fd) == 199);
	CHECK("preadv2 with offset -1 reads at the offset",
	      syscall(SYS_preadv2, fd, iov, 2L, -1L, 0L, 0L) == 30 &&
		      is_pattern(p + PG - 30, 30, 199) && cur(fd) == 229);
	close(fd);
	drop(p);
	drop(q);
}

static void check_partial_file_write(void)
{
	char *p = good_then_bad(0), *q = good_then_bad(1);

	enter("partial-write");
	for (size_t i = 0; i < PG; i++)
		p[i] = q[i] = (char)(i * 7 % 251);
	int fd = open("f", O_RDWR | O_CREAT, 0644);
	CHECK("write from [good|PROT_NONE] writes the good part",
	      write(fd, p, 2 * PG) == PG && size_of("f") == PG && cur(fd) == PG);
	int fd2 = open("g", O_RDWR | O_CREAT, 0644);
	CHECK("write from [good|unmapped] writes the good part",
	      write(fd2, q, 2 * PG) == PG && size_of("g") == PG);
	close(fd2);
	char back[PG];
	CHECK("what was written is the good part",
	      pread(fd, back, PG, 0) == PG && is_pattern(back, PG, 0));
	CHECK("write of 100 bytes before a bad page writes 100",
	      write(fd, p + PG - 100, 2 * PG) == 100 && size_of("f") == PG + 100 &&
		      cur(fd) == PG + 100 && pread(fd, back, 100, PG) == 100 &&
		      is_pattern(back, 100, PG - 100));
	CHECK_ERRNO("write from a bad first page is EFAULT", write(fd, p + PG, 10), EFAULT);
	CHECK("a write that faulted at once changes nothing",
	      cur(fd) == PG + 100 && size_of("f") == PG + 100);
	CHECK("pwrite from [good|bad] writes the good part and keeps the offset",
	      pwrite(fd, p + PG - 10, 100, 3 * PG) == 10 && size_of("f") == 3 * PG + 10 &&
		      cur(fd) == PG + 100);
	CHECK_ERRNO("pwrite from a bad page is EFAULT", pwrite(fd, q + PG, 10, 0), EFAULT);
	struct iovec iov[2] = {{p + PG - 64, 64}, {p + PG, 64}};
	lseek(fd, 0, SEEK_SET);
	CHECK("writev stops at a bad second iovec", writev(fd, iov, 2) == 64 && cur(fd) == 64);
	iov[0] = (struct iovec){p + PG - 30, 50};
	CHECK("writev stops inside a partly bad iovec", writev(fd, iov, 2) == 30 && cur(fd) == 94);
	CHECK_ERRNO("writev with a bad first iovec is EFAULT", writev(fd, iov + 1, 1), EFAULT);
	CHECK("pwritev stops at the bad iovec and keeps the offset",
	      pwritev(fd, iov, 2, 200) == 30 && cur(fd) == 94 && pread(fd, back, 30, 200) == 30 &&
		      is_pattern(back, 30, PG - 30));
	CHECK("pwritev2 with offset -1 writes at the offset",
	      syscall(SYS_pwritev2, fd, iov, 2L, -1L, 0L, 0L) == 30 && cur(fd) == 124);
	close(fd);
	drop(p);
	drop(q);
}

static int pipe_with(int fds[2], size_t n)
{
	static char data[3 * PG];

	for (size_t i = 0; i < n; i++)
		data[i] = (char)(i * 7 % 251);
	return pipe(fds) == 0 && write(fds[1], data, n) == (ssize_t)n;
}

static void check_partial_pipe(void)
{
	char *p = good_then_bad(0), *q = good_then_bad(1);
	char buf[3 * PG];
	int fds[2], avail = -1;

	CHECK("pipe read into [good|bad] returns the good part",
	      pipe_with(fds, 2 * PG) && read(fds[0], p, 2 * PG) == PG && is_pattern(p, PG, 0));
	CHECK("the pipe keeps what it did not deliver",
	      read(fds[0], buf, sizeof(buf)) == PG && is_pattern(buf, PG, PG));
	close(fds[0]);
	close(fds[1]);
	CHECK("pipe read into [good|unmapped] returns the good part",
	      pipe_with(fds, 2 * PG) && read(fds[0], q, 2 * PG) == PG && is_pattern(q, PG, 0) &&
		      read(fds[0], buf, sizeof(buf)) == PG && is_pattern(buf, PG, PG));
	close(fds[0]);
	close(fds[1]);
	pipe_with(fds, 2 * PG);
	CHECK_ERRNO("pipe read into a bad page is EFAULT", read(fds[0], p + PG, 10), EFAULT);
	CHECK_ERRNO("pipe read of a slot that does not fit the good part is EFAULT",
		    read(fds[0], p + PG - 100, 2 * PG), EFAULT);
	CHECK("a pipe read that faulted took nothing",
	      ioctl(fds[0], FIONREAD, &avail) == 0 && avail == 2 * PG);
	CHECK("a pipe read takes part of a slot if that is all it asked for",
	      read(fds[0], p + PG - 100, 100) == 100 && is_pattern(p + PG - 100, 100, 0));
	struct iovec iov[2] = {{buf, PG - 100}, {p + PG - 50, 100}};
	CHECK("pipe readv stops before the slot that does not fit",
	      readv(fds[0], iov, 2) == PG - 100 && is_pattern(buf, PG - 100, 100) &&
		      ioctl(fds[0], FIONREAD, &avail) == 0 && avail == PG);
	close(fds[0]);
	close(fds[1]);

	for (size_t i = 0; i < PG; i++)
		p[i] = (char)(i * 7 % 251);
	CHECK("pipe write from [good|bad] writes the good pages",
	      pipe(fds) == 0 && write(fds[1], p, 2 * PG) == PG &&
		      read(fds[0], buf, sizeof(buf)) == PG && is_pattern(buf, PG, 0));
	CHECK_ERRNO("pipe write from a bad page is EFAULT", write(fds[1], q + PG, 10), EFAULT);
	CHECK_ERRNO("pipe write of a page that is partly bad is EFAULT",
		    write(fds[1], p + 100, 2 * PG), EFAULT);
	CHECK("a pipe write that faulted wrote nothing",
	      ioctl(fds[0], FIONREAD, &avail) == 0 && avail == 0);
	CHECK("a short pipe write of good bytes goes in whole",
	      write(fds[1], p + PG - 100, 100) == 100 && read(fds[0], buf, sizeof(buf)) == 100 &&
		      is_pattern(buf, 100, PG - 100));
	iov[0] = (struct iovec){p, PG};
	iov[1] = (struct iovec){p + PG, 100};
	CHECK("pipe writev stops at the bad iovec",
	      writev(fds[1], iov, 2) == PG && ioctl(fds[0], FIONREAD, &avail) == 0 && avail == PG);
	close(fds[0]);
	close(fds[1]);
	drop(p);
	drop(q);
}

struct dirent64_hdr {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/* Entries in n bytes of getdents64 output. */
static int count_entries(const char *buf, long n)
{
	int count = 0;

	for (long off = 0; off < n; off += ((const struct dirent64_hdr *)(buf + off))->d_reclen)
		count++;
	return count;
}

static void check_partial_getdents(void)
{
	char *p = good_then_bad(0), *big = malloc(64 * 1024), name[64];

	enter("partial-getdents");
	for (int i = 0; i < 40; i++) {
		snprintf(name, sizeof(name), "entry-with-a-long-name-number-%02d", i);
		close(open(name, O_CREAT | O_WRONLY, 0644));
	}
	int fd = open(".", O_RDONLY | O_DIRECTORY);
	CHECK_ERRNO("getdents64 into a bad page is EFAULT",
		    syscall(SYS_getdents64, fd, p + PG, 4096L), EFAULT);
	CHECK_ERRNO("getdents64 with no whole entry in the good part is EFAULT",
		    syscall(SYS_getdents64, fd, p + PG - 20, 4096L), EFAULT);
	long n = syscall(SYS_getdents64, fd, p + PG - 100, 4096L);
	CHECK("getdents64 into [good|bad] returns the entries whose bytes fit, padding aside",
	      n == 104 && count_entries(p + PG - 100, n) == 3);
	int total = n > 0 ? count_entries(p + PG - 100, n) : 0;
	n = syscall(SYS_getdents64, fd, p + PG - 1000, 4096L);
	CHECK("a later getdents64 goes on from the entry that did not fit",
	      n == 17 * 56 && count_entries(p + PG - 1000, n) == 17);
	total += n > 0 ? count_entries(p + PG - 1000, n) : 0;
	while ((n = syscall(SYS_getdents64, fd, big, 64 * 1024L)) > 0)
		total += count_entries(big, n);
	CHECK("every entry is read exactly once", n == 0 && total == 42);
	close(fd);
	free(big);
	drop(p);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], EXEC_MARKER) == 0)
		return exec_child();
	check_area = "fdio";
	umask(022);
	scratch_mount("fdio");
	check_open_flags();
	check_o_path();
	check_o_tmpfile();
	check_read_write();
	check_append();
	check_vectors();
	check_partial_file_read();
	check_partial_file_write();
	check_partial_pipe();
	check_partial_getdents();
	check_truncate();
	check_sparse();
	check_fallocate();
	check_devices();
	check_dup();
	check_close_range();
	check_nofile();
	check_fsize();
	check_fork();
	check_exec(argv[0]);
	return check_failures ? 1 : 0;
}
