// SPDX-License-Identifier: MIT
/*
 * Guest test: file attributes and permissions. stat, fstat, newfstatat
 * and statx fields; chmod, chown and umask; access and faccessat2 with
 * AT_EACCESS; utimensat; statfs and tmpfs mount options; permission
 * checks for an unprivileged uid, set up as root and run in children
 * after setresuid. Everything happens on tmpfs mounts under a fresh
 * /tmp/files-PID. Names are in namei.c, descriptors and data in fdio.c.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <grp.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "util.h"

#define TMPFS_MAGIC_ 0x01021994
#define ST_RDONLY_ 1 /* statfs f_flags bit */
#define KERNEL_ADDRESS ((void *)0xffff800000000000UL)
#define USER 1000  /* the unprivileged uid and gid */
#define OTHER 2000 /* a second uid and gid */

/* struct statx and its flags, as statx(2) documents them. */
struct sx_time {
	int64_t tv_sec;
	uint32_t tv_nsec;
	int32_t reserved;
};

struct sx {
	uint32_t mask;
	uint32_t blksize;
	uint64_t attributes;
	uint32_t nlink;
	uint32_t uid;
	uint32_t gid;
	uint16_t mode;
	uint16_t spare0;
	uint64_t ino;
	uint64_t size;
	uint64_t blocks;
	uint64_t attributes_mask;
	struct sx_time atime, btime, ctime, mtime;
	uint32_t rdev_major, rdev_minor, dev_major, dev_minor;
	uint64_t spare[14];
};

enum {
	SX_TYPE = 0x1,
	SX_MODE = 0x2,
	SX_BASIC = 0x7ff,
	SX_BTIME = 0x800,
	SX_MNT_ID = 0x1000,
	SX_RESERVED = 0x80000000,
	SX_ATTR_MOUNT_ROOT = 0x2000,
	SX_FORCE_SYNC = 0x2000,
	SX_DONT_SYNC = 0x4000,
	EACCESS_FLAG = 0x200, /* AT_EACCESS */
};

static mode_t mode_of(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0 ? st.st_mode : 0;
}

static int owned_by(const char *path, uid_t uid, gid_t gid)
{
	struct stat st;

	return lstat(path, &st) == 0 && st.st_uid == uid && st.st_gid == gid;
}

static long statx_raw(int dirfd, const char *path, int flags, unsigned mask, struct sx *out)
{
	memset(out, 0xa5, sizeof(*out));
	return syscall(SYS_statx, dirfd, path, flags, mask, out);
}

static long faccessat2_raw(int dirfd, const char *path, int mode, int flags)
{
	return syscall(SYS_faccessat2, dirfd, path, mode, flags);
}

static long utimens_raw(int dirfd, const char *path, const struct timespec *ts, int flags)
{
	return syscall(SYS_utimensat, dirfd, path, ts, flags);
}

static int same_time(const struct timespec *a, long sec, long nsec)
{
	return a->tv_sec == sec && a->tv_nsec == nsec;
}

/* Runs body in a child with uid and gid USER and no supplementary groups. */
static int run_as_user(void (*body)(void))
{
	int status = -1;

	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		if (setgroups(0, NULL) != 0 || setresgid(USER, USER, USER) != 0 ||
		    setresuid(USER, USER, USER) != 0)
			_exit(2);
		body();
		_exit(0);
	}
	return pid > 0 && waitpid(pid, &status, 0) == pid && status == 0;
}

static void check_stat_fields(void)
{
	struct stat st, dir, other;

	enter("stat");
	int fd = open("f", O_RDWR | O_CREAT, 0666);
	CHECK("fstat of a new file", fstat(fd, &st) == 0);
	CHECK("a new file is S_IFREG with the umask applied", st.st_mode == (S_IFREG | 0644));
	CHECK("a new file has one link", st.st_nlink == 1);
	CHECK("a new file belongs to the creator", st.st_uid == 0 && st.st_gid == 0);
	CHECK("a new file is empty", st.st_size == 0 && st.st_blocks == 0);
	CHECK("tmpfs st_blksize is 4096", st.st_blksize == 4096);
	CHECK("a new file has equal atime, mtime and ctime",
	      st.st_atim.tv_sec == st.st_mtim.tv_sec && st.st_atim.tv_nsec == st.st_mtim.tv_nsec &&
		      st.st_ctim.tv_sec == st.st_mtim.tv_sec &&
		      st.st_ctim.tv_nsec == st.st_mtim.tv_nsec);
	CHECK("a file has no st_rdev", st.st_rdev == 0);
	CHECK("one byte takes one page of blocks", write(fd, "x", 1) == 1 && fstat(fd, &st) == 0 &&
							   st.st_size == 1 && st.st_blocks == 8);
	CHECK("stat and fstat agree", stat("f", &other) == 0 && other.st_ino == st.st_ino &&
					      other.st_dev == st.st_dev &&
					      other.st_size == st.st_size);
	close(fd);
	CHECK("a file and its directory share st_dev",
	      stat(".", &dir) == 0 && dir.st_dev == st.st_dev && dir.st_ino != st.st_ino);
	CHECK("a tmpfs mount has its own st_dev",
	      stat("/tmp", &other) == 0 && other.st_dev != dir.st_dev);
	CHECK("a new directory has two links and mode 0755",
	      mkdir("d", 0777) == 0 && stat("d", &dir) == 0 && dir.st_nlink == 2 &&
		      dir.st_mode == (S_IFDIR | 0755));
	CHECK("an empty tmpfs directory has size 40", dir.st_size == 40 && dir.st_blocks == 0);
	put_file("d/a", "");
	CHECK("each tmpfs entry adds 20 to the size", stat("d", &dir) == 0 && dir.st_size == 60);
	unlink("d/a");
	CHECK("removing it takes 20 off", stat("d", &dir) == 0 && dir.st_size == 40);
	symlink("f", "s");
	CHECK("lstat of a symlink", lstat("s", &st) == 0 && S_ISLNK(st.st_mode) && st.st_size == 1);
	CHECK("stat follows a symlink", stat("s", &st) == 0 && S_ISREG(st.st_mode));
	CHECK("fstatat AT_SYMLINK_NOFOLLOW",
	      fstatat(AT_FDCWD, "s", &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode));
	fd = open("d", O_RDONLY);
	CHECK("fstatat AT_EMPTY_PATH stats the fd",
	      fstatat(fd, "", &st, AT_EMPTY_PATH) == 0 && S_ISDIR(st.st_mode));
	CHECK_ERRNO("fstatat of the empty path without AT_EMPTY_PATH is ENOENT",
		    fstatat(fd, "", &st, 0), ENOENT);
	close(fd);
	CHECK_ERRNO("fstatat with an unknown flag is EINVAL", fstatat(AT_FDCWD, "f", &st, 0x1),
		    EINVAL);
	CHECK_ERRNO("fstat of a bad fd is EBADF", fstat(99, &st), EBADF);
	CHECK_ERRNO("stat of a missing name is ENOENT", stat("missing", &st), ENOENT);
	CHECK_ERRNO("stat below a file is ENOTDIR", stat("f/x", &st), ENOTDIR);
	CHECK_ERRNO("stat into a bad buffer is EFAULT",
		    syscall(SYS_newfstatat, AT_FDCWD, "f", 8L, 0), EFAULT);
	CHECK_ERRNO("stat of a bad path pointer is EFAULT",
		    syscall(SYS_newfstatat, AT_FDCWD, KERNEL_ADDRESS, &st, 0), EFAULT);
	CHECK("mknod makes a device node with st_rdev",
	      mknod("c", S_IFCHR | 0600, makedev(1, 3)) == 0 && stat("c", &st) == 0 &&
		      S_ISCHR(st.st_mode) && major(st.st_rdev) == 1 && minor(st.st_rdev) == 3 &&
		      st.st_size == 0);
}

static void check_statx(void)
{
	struct stat st;
	struct sx sx;

	enter("statx");
	put_file("f", "hello");
	stat("f", &st);
	CHECK("statx of a file", statx_raw(AT_FDCWD, "f", 0, SX_BASIC, &sx) == 0);
	CHECK("statx returns at least the basic mask", (sx.mask & SX_BASIC) == SX_BASIC);
	CHECK("statx mode, size and links match stat",
	      sx.mode == st.st_mode && sx.size == 5 && sx.nlink == 1 && sx.blocks == 8);
	CHECK("statx ino and dev match stat", sx.ino == st.st_ino &&
						      sx.dev_major == major(st.st_dev) &&
						      sx.dev_minor == minor(st.st_dev));
	CHECK("statx uid, gid and blksize", sx.uid == 0 && sx.gid == 0 && sx.blksize == 4096);
	CHECK("statx times match stat", sx.mtime.tv_sec == st.st_mtim.tv_sec &&
						sx.mtime.tv_nsec == st.st_mtim.tv_nsec &&
						sx.ctime.tv_sec == st.st_ctim.tv_sec &&
						sx.atime.tv_nsec == st.st_atim.tv_nsec);
	CHECK("statx leaves the padding zero", sx.spare0 == 0 && sx.mtime.reserved == 0);
	CHECK("statx rdev of a file is 0:0", sx.rdev_major == 0 && sx.rdev_minor == 0);
	CHECK("a file is not a mount root",
	      (sx.attributes_mask & SX_ATTR_MOUNT_ROOT) && !(sx.attributes & SX_ATTR_MOUNT_ROOT));
	CHECK("statx of the tmpfs root says mount root",
	      statx_raw(root_fd, "", AT_EMPTY_PATH, SX_BASIC, &sx) == 0 &&
		      (sx.attributes & SX_ATTR_MOUNT_ROOT));
	symlink("f", "s");
	CHECK("statx AT_SYMLINK_NOFOLLOW",
	      statx_raw(AT_FDCWD, "s", AT_SYMLINK_NOFOLLOW, SX_BASIC, &sx) == 0 &&
		      sx.mode == (S_IFLNK | 0777) && sx.size == 1);
	CHECK("statx follows symlinks by default",
	      statx_raw(AT_FDCWD, "s", 0, SX_TYPE, &sx) == 0 && (sx.mode & S_IFMT) == S_IFREG);
	CHECK("statx with mask 0 works", statx_raw(AT_FDCWD, "f", 0, 0, &sx) == 0);
	CHECK("statx AT_STATX_DONT_SYNC works",
	      statx_raw(AT_FDCWD, "f", SX_DONT_SYNC, SX_BASIC, &sx) == 0 && sx.size == 5);
	CHECK_ERRNO("statx with FORCE_SYNC and DONT_SYNC is EINVAL",
		    statx_raw(AT_FDCWD, "f", SX_FORCE_SYNC | SX_DONT_SYNC, SX_BASIC, &sx), EINVAL);
	CHECK_ERRNO("statx with the reserved mask bit is EINVAL",
		    statx_raw(AT_FDCWD, "f", 0, SX_RESERVED, &sx), EINVAL);
	CHECK_ERRNO("statx with an unknown flag is EINVAL", statx_raw(AT_FDCWD, "f", 0x1, 0, &sx),
		    EINVAL);
	CHECK_ERRNO("statx of a missing name is ENOENT",
		    statx_raw(AT_FDCWD, "missing", 0, SX_BASIC, &sx), ENOENT);
	CHECK_ERRNO("statx of the empty path without AT_EMPTY_PATH is ENOENT",
		    statx_raw(AT_FDCWD, "", 0, SX_BASIC, &sx), ENOENT);
	CHECK_ERRNO("statx of a bad fd is EBADF", statx_raw(99, "", AT_EMPTY_PATH, SX_BASIC, &sx),
		    EBADF);
	CHECK_ERRNO("statx into a bad buffer is EFAULT",
		    syscall(SYS_statx, AT_FDCWD, "f", 0, SX_BASIC, 8L), EFAULT);
}

static void check_chmod(void)
{
	struct stat st;

	enter("chmod");
	put_file("f", "");
	symlink("f", "s");
	CHECK("chmod sets the permission bits",
	      chmod("f", 0600) == 0 && mode_of("f") == (S_IFREG | 0600));
	CHECK("chmod keeps the file type",
	      chmod("f", S_IFDIR | 0640) == 0 && mode_of("f") == (S_IFREG | 0640));
	CHECK("chmod sets setuid, setgid and sticky as root",
	      chmod("f", 07777) == 0 && mode_of("f") == (S_IFREG | 07777));
	CHECK("chmod follows a symlink", chmod("s", 0604) == 0 &&
						 mode_of("f") == (S_IFREG | 0604) &&
						 mode_of("s") == (S_IFLNK | 0777));
	int fd = open("f", O_RDONLY);
	CHECK("fchmod works on a read-only fd",
	      fchmod(fd, 0644) == 0 && mode_of("f") == (S_IFREG | 0644));
	close(fd);
	CHECK_ERRNO("fchmod of a bad fd is EBADF", fchmod(99, 0644), EBADF);
	CHECK_ERRNO("chmod of a missing name is ENOENT", chmod("missing", 0644), ENOENT);
	CHECK("fchmodat relative to a dirfd",
	      fchmodat(root_fd, "chmod/f", 0611, 0) == 0 && mode_of("f") == (S_IFREG | 0611));
	struct timespec ts[2] = {{100, 0}, {200, 0}};
	utimensat(AT_FDCWD, "f", ts, 0);
	CHECK("chmod changes ctime but not mtime", chmod("f", 0644) == 0 && stat("f", &st) == 0 &&
							   same_time(&st.st_mtim, 200, 0) &&
							   st.st_ctim.tv_sec > 200);
	mkdir("d", 0755);
	CHECK("chmod of a directory", chmod("d", 01700) == 0 && mode_of("d") == (S_IFDIR | 01700));
}

static void check_chown(void)
{
	enter("chown");
	put_file("f", "");
	symlink("f", "s");
	CHECK("chown as root", chown("f", USER, OTHER) == 0 && owned_by("f", USER, OTHER));
	CHECK("chown -1 -1 changes nothing", chown("f", -1, -1) == 0 && owned_by("f", USER, OTHER));
	CHECK("chown of the group only", chown("f", -1, USER) == 0 && owned_by("f", USER, USER));
	CHECK("chown follows a symlink",
	      chown("s", OTHER, -1) == 0 && owned_by("f", OTHER, USER) && owned_by("s", 0, 0));
	CHECK("lchown changes the symlink itself", lchown("s", USER, USER) == 0 &&
							   owned_by("s", USER, USER) &&
							   owned_by("f", OTHER, USER));
	CHECK("fchownat AT_SYMLINK_NOFOLLOW",
	      fchownat(AT_FDCWD, "s", 0, 0, AT_SYMLINK_NOFOLLOW) == 0 && owned_by("s", 0, 0));
	int fd = open("f", O_RDONLY);
	CHECK("fchown", fchown(fd, 0, 0) == 0 && owned_by("f", 0, 0));
	CHECK("fchownat AT_EMPTY_PATH",
	      fchownat(fd, "", USER, -1, AT_EMPTY_PATH) == 0 && owned_by("f", USER, 0));
	close(fd);
	CHECK_ERRNO("fchownat with an unknown flag is EINVAL", fchownat(AT_FDCWD, "f", 0, 0, 0x1),
		    EINVAL);
	CHECK_ERRNO("chown of a missing name is ENOENT", chown("missing", 0, 0), ENOENT);
	CHECK_ERRNO("fchown of a bad fd is EBADF", fchown(99, 0, 0), EBADF);
	chmod("f", 06755);
	CHECK("chown by root clears setuid and setgid of an executable",
	      chown("f", 0, 0) == 0 && mode_of("f") == (S_IFREG | 0755));
	chmod("f", 06755);
	CHECK("even chown -1 -1 clears them",
	      chown("f", -1, -1) == 0 && mode_of("f") == (S_IFREG | 0755));
	chmod("f", 02644);
	CHECK("chown keeps setgid without group execute",
	      chown("f", USER, -1) == 0 && mode_of("f") == (S_IFREG | 02644));
	mkdir("d", 0755);
	chmod("d", 06755);
	CHECK("chown of a directory keeps setuid and setgid",
	      chown("d", USER, USER) == 0 && mode_of("d") == (S_IFDIR | 06755));
}

static void check_umask(void)
{
	enter("umask");
	CHECK("umask returns the previous mask", umask(077) == 022);
	int fd = open("f", O_CREAT | O_WRONLY, 0666);
	CHECK("open O_CREAT applies the umask", mode_of("f") == (S_IFREG | 0600));
	close(fd);
	CHECK("mkdir applies the umask", mkdir("d", 0777) == 0 && mode_of("d") == (S_IFDIR | 0700));
	CHECK("mknod applies the umask",
	      mknod("n", S_IFREG | 0666, 0) == 0 && mode_of("n") == (S_IFREG | 0600));
	CHECK("symlink ignores the umask",
	      symlink("f", "s") == 0 && mode_of("s") == (S_IFLNK | 0777));
	fd = open(".", O_TMPFILE | O_RDWR, 0666);
	struct stat st;
	CHECK("O_TMPFILE applies the umask",
	      fd >= 0 && fstat(fd, &st) == 0 && st.st_mode == (S_IFREG | 0600));
	close(fd);
	CHECK("chmod ignores the umask", chmod("f", 0666) == 0 && mode_of("f") == (S_IFREG | 0666));
	fd = open("f", O_CREAT | O_WRONLY, 0600);
	CHECK("O_CREAT of an existing file keeps its mode", mode_of("f") == (S_IFREG | 0666));
	close(fd);
	umask(07777);
	CHECK("umask keeps only the permission bits", umask(0) == 0777);
	CHECK("umask 0 keeps the whole mode",
	      mkdir("z", 0777) == 0 && mode_of("z") == (S_IFDIR | 0777));
	umask(022);
}

static void check_access_root(void)
{
	enter("access");
	put_file("none", "");
	chmod("none", 0);
	put_file("f", "");
	put_file("x", "");
	chmod("x", 0100);
	mkdir("d", 0);
	symlink("nowhere", "dangling");
	CHECK("root may read and write a mode 0 file", access("none", R_OK | W_OK) == 0);
	CHECK_ERRNO("root may not execute a file without x bits", access("f", X_OK), EACCES);
	CHECK("root may execute a file with any x bit", access("x", X_OK) == 0);
	CHECK("root may search a mode 0 directory", access("d", X_OK) == 0);
	CHECK("F_OK of an existing file", access("f", F_OK) == 0);
	CHECK_ERRNO("F_OK of a missing file is ENOENT", access("missing", F_OK), ENOENT);
	CHECK_ERRNO("access with a bad mode is EINVAL", access("f", 8), EINVAL);
	CHECK_ERRNO("access follows a dangling symlink", access("dangling", F_OK), ENOENT);
	CHECK("faccessat2 AT_SYMLINK_NOFOLLOW checks the link",
	      faccessat2_raw(AT_FDCWD, "dangling", F_OK, AT_SYMLINK_NOFOLLOW) == 0);
	CHECK_ERRNO("faccessat2 with an unknown flag is EINVAL",
		    faccessat2_raw(AT_FDCWD, "f", F_OK, 0x1), EINVAL);
	CHECK("faccessat (old) ignores its missing flags argument",
	      syscall(SYS_faccessat, AT_FDCWD, "f", R_OK, 0x1) == 0);
	int fd = open("f", O_RDONLY);
	CHECK("faccessat2 AT_EMPTY_PATH", faccessat2_raw(fd, "", R_OK, AT_EMPTY_PATH) == 0);
	close(fd);
}

static void eaccess_real_user(void)
{
	if (setresuid(USER, 0, 0) != 0)
		_exit(2);
	CHECK_ERRNO("access checks the real uid", access("secret", R_OK), EACCES);
	CHECK("AT_EACCESS checks the effective uid",
	      faccessat2_raw(AT_FDCWD, "secret", R_OK, EACCESS_FLAG) == 0);
	_exit(0);
}

static void eaccess_effective_user(void)
{
	if (setresuid(0, USER, 0) != 0)
		_exit(2);
	CHECK("access with a real root uid passes", access("secret", R_OK) == 0);
	CHECK_ERRNO("AT_EACCESS with an effective user uid is EACCES",
		    faccessat2_raw(AT_FDCWD, "secret", R_OK, EACCESS_FLAG), EACCES);
	CHECK_ERRNO("open follows the effective uid", open("secret", O_RDONLY), EACCES);
	_exit(0);
}

static int fork_run(void (*body)(void))
{
	int status = -1;

	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0)
		body();
	return pid > 0 && waitpid(pid, &status, 0) == pid && status == 0;
}

static void check_eaccess(void)
{
	enter("eaccess");
	put_file("secret", "s");
	chmod("secret", 0600);
	CHECK("real user, effective root child", fork_run(eaccess_real_user));
	CHECK("real root, effective user child", fork_run(eaccess_effective_user));
}

static void check_utimensat(void)
{
	struct stat st, before;
	struct timespec lo, hi;

	enter("utime");
	put_file("f", "");
	symlink("f", "s");
	struct timespec ts[2] = {{1000, 123456789}, {2000, 987654321}};
	CHECK("utimensat sets both times to the nanosecond",
	      utimensat(AT_FDCWD, "f", ts, 0) == 0 && stat("f", &st) == 0 &&
		      same_time(&st.st_atim, 1000, 123456789) &&
		      same_time(&st.st_mtim, 2000, 987654321));
	struct timespec omit_now[2] = {{0, UTIME_OMIT}, {0, UTIME_NOW}};
	clock_gettime(CLOCK_REALTIME_COARSE, &lo);
	CHECK("UTIME_OMIT keeps atime, UTIME_NOW sets mtime",
	      utimensat(AT_FDCWD, "f", omit_now, 0) == 0 && stat("f", &st) == 0 &&
		      same_time(&st.st_atim, 1000, 123456789));
	clock_gettime(CLOCK_REALTIME, &hi);
	CHECK("UTIME_NOW is the current time",
	      st.st_mtim.tv_sec >= lo.tv_sec && st.st_mtim.tv_sec <= hi.tv_sec);
	CHECK("utimensat sets ctime to now",
	      st.st_ctim.tv_sec >= lo.tv_sec && st.st_ctim.tv_sec <= hi.tv_sec);
	CHECK("NULL times set both to now",
	      utimensat(AT_FDCWD, "f", NULL, 0) == 0 && stat("f", &st) == 0 &&
		      st.st_atim.tv_sec >= lo.tv_sec && st.st_atim.tv_sec <= hi.tv_sec + 1);
	struct timespec old[2] = {{-1, 0}, {0, 1}};
	CHECK("times before the epoch",
	      utimensat(AT_FDCWD, "f", old, 0) == 0 && stat("f", &st) == 0 &&
		      same_time(&st.st_atim, -1, 0) && same_time(&st.st_mtim, 0, 1));
	stat("f", &before);
	struct timespec pause = {0, 30000000};
	nanosleep(&pause, NULL);
	struct timespec omit[2] = {{0, UTIME_OMIT}, {0, UTIME_OMIT}};
	CHECK("both UTIME_OMIT changes nothing, not even ctime",
	      utimensat(AT_FDCWD, "f", omit, 0) == 0 && stat("f", &st) == 0 &&
		      st.st_ctim.tv_sec == before.st_ctim.tv_sec &&
		      st.st_ctim.tv_nsec == before.st_ctim.tv_nsec);
	CHECK("both UTIME_OMIT succeeds even for a missing file",
	      utimensat(AT_FDCWD, "missing", omit, 0) == 0);
	CHECK("a real change moves ctime", utimensat(AT_FDCWD, "f", ts, 0) == 0 &&
						   stat("f", &st) == 0 &&
						   (st.st_ctim.tv_sec != before.st_ctim.tv_sec ||
						    st.st_ctim.tv_nsec != before.st_ctim.tv_nsec));
	struct timespec bad[2] = {{0, 1000000000}, {0, 0}};
	CHECK_ERRNO("tv_nsec of 1e9 is EINVAL", utimensat(AT_FDCWD, "f", bad, 0), EINVAL);
	bad[0].tv_nsec = -1;
	CHECK_ERRNO("negative tv_nsec is EINVAL", utimensat(AT_FDCWD, "f", bad, 0), EINVAL);
	CHECK_ERRNO("utimensat with an unknown flag is EINVAL", utimens_raw(AT_FDCWD, "f", ts, 0x1),
		    EINVAL);
	CHECK_ERRNO("utimensat of a missing file is ENOENT", utimensat(AT_FDCWD, "missing", ts, 0),
		    ENOENT);
	struct timespec link_ts[2] = {{5, 5}, {6, 6}};
	CHECK("AT_SYMLINK_NOFOLLOW sets the symlink's times",
	      utimensat(AT_FDCWD, "s", link_ts, AT_SYMLINK_NOFOLLOW) == 0 && lstat("s", &st) == 0 &&
		      same_time(&st.st_mtim, 6, 6) && stat("f", &before) == 0 &&
		      same_time(&before.st_mtim, 2000, 987654321));
	int fd = open("f", O_RDONLY);
	CHECK("utimensat with a NULL path uses the fd", utimens_raw(fd, NULL, link_ts, 0) == 0 &&
								stat("f", &st) == 0 &&
								same_time(&st.st_atim, 5, 5));
	CHECK_ERRNO("utimensat with a NULL path and flags is EINVAL",
		    utimens_raw(fd, NULL, ts, AT_SYMLINK_NOFOLLOW), EINVAL);
	CHECK("utimensat AT_EMPTY_PATH uses the fd",
	      utimens_raw(fd, "", ts, AT_EMPTY_PATH) == 0 && stat("f", &st) == 0 &&
		      same_time(&st.st_atim, 1000, 123456789));
	close(fd);
	CHECK_ERRNO("utimensat with a NULL path and AT_FDCWD is EFAULT",
		    utimens_raw(AT_FDCWD, NULL, ts, 0), EFAULT);
	CHECK_ERRNO("utimensat of a bad fd is EBADF", utimens_raw(99, NULL, ts, 0), EBADF);
}

static void check_timestamps(void)
{
	struct stat st;
	char c;

	enter("times");
	put_file("f", "data");
	struct timespec old[2] = {{1000, 0}, {1000, 0}};
	utimensat(AT_FDCWD, "f", old, 0);
	int fd = open("f", O_RDWR);
	CHECK("a write sets mtime and ctime",
	      write(fd, "x", 1) == 1 && fstat(fd, &st) == 0 && st.st_mtim.tv_sec > 1000 &&
		      st.st_ctim.tv_sec == st.st_mtim.tv_sec && same_time(&st.st_atim, 1000, 0));
	CHECK("a read of a file with an old atime sets it (relatime)",
	      read(fd, &c, 1) == 1 && fstat(fd, &st) == 0 && st.st_atim.tv_sec > 1000);
	utimensat(AT_FDCWD, "f", old, 0);
	CHECK("ftruncate sets mtime and ctime",
	      ftruncate(fd, 2) == 0 && fstat(fd, &st) == 0 && st.st_mtim.tv_sec > 1000);
	close(fd);
	mkdir("d", 0755);
	utimensat(AT_FDCWD, "d", old, 0);
	CHECK("creating an entry sets the directory's mtime",
	      put_file("d/new", "") == 0 && stat("d", &st) == 0 && st.st_mtim.tv_sec > 1000 &&
		      st.st_ctim.tv_sec == st.st_mtim.tv_sec);
	utimensat(AT_FDCWD, "d", old, 0);
	CHECK("removing an entry sets the directory's mtime",
	      unlink("d/new") == 0 && stat("d", &st) == 0 && st.st_mtim.tv_sec > 1000);
	utimensat(AT_FDCWD, "f", old, 0);
	CHECK("link sets ctime but not mtime", link("f", "g") == 0 && stat("f", &st) == 0 &&
						       st.st_ctim.tv_sec > 1000 &&
						       same_time(&st.st_mtim, 1000, 0));
}

static void unprivileged_body(void)
{
	struct timespec ts[2] = {{1, 0}, {1, 0}};
	struct stat st;

	CHECK_ERRNO("user: open O_RDWR of a root 0644 file is EACCES", open("rootfile", O_RDWR),
		    EACCES);
	CHECK("user: open O_RDONLY of a root 0644 file works",
	      close(open("rootfile", O_RDONLY)) == 0);
	CHECK_ERRNO("user: O_TRUNC without write permission is EACCES",
		    open("rootfile", O_RDONLY | O_TRUNC), EACCES);
	CHECK_ERRNO("user: creating in a root 0755 directory is EACCES",
		    open("new", O_CREAT | O_WRONLY, 0644), EACCES);
	CHECK_ERRNO("user: mkdir in a root 0755 directory is EACCES", mkdir("newd", 0755), EACCES);
	CHECK_ERRNO("user: unlink in a root 0755 directory is EACCES", unlink("rootfile"), EACCES);
	CHECK_ERRNO("user: rename in a root 0755 directory is EACCES", rename("rootfile", "moved"),
		    EACCES);
	CHECK_ERRNO("user: search of a 0700 root directory is EACCES", stat("private/f", &st),
		    EACCES);
	CHECK("user: a 0711 directory can be searched", stat("searchonly/f", &st) == 0);
	CHECK_ERRNO("user: a 0711 directory cannot be listed", open("searchonly", O_RDONLY),
		    EACCES);
	CHECK_ERRNO("user: a 0077 own file is EACCES even with group and other bits",
		    open("mine0077", O_RDONLY), EACCES);
	CHECK("user: group bits apply to a group member", close(open("group0070", O_RDONLY)) == 0);
	CHECK_ERRNO("user: R_OK of a root 0600 file is EACCES", access("secret", R_OK), EACCES);
	CHECK_ERRNO("user: W_OK of a root 0644 file is EACCES", access("rootfile", W_OK), EACCES);
	CHECK("user: R_OK of a root 0644 file", access("rootfile", R_OK) == 0);
	CHECK_ERRNO("user: chmod of a root file is EPERM", chmod("rootfile", 0777), EPERM);
	CHECK("user: chmod of an own file", chmod("open/mine", 0640) == 0 &&
						    stat("open/mine", &st) == 0 &&
						    st.st_mode == (S_IFREG | 0640));
	CHECK("user: chmod g+s of an own file with a foreign group drops setgid",
	      chmod("open/foreigngroup", 02755) == 0 && stat("open/foreigngroup", &st) == 0 &&
		      st.st_mode == (S_IFREG | 0755));
	CHECK_ERRNO("user: chown of an own file to another uid is EPERM",
		    chown("open/mine", OTHER, -1), EPERM);
	CHECK_ERRNO("user: chown of an own file to a foreign group is EPERM",
		    chown("open/mine", -1, OTHER), EPERM);
	CHECK("user: chown of an own file to its own ids", chown("open/mine", USER, USER) == 0);
	CHECK_ERRNO("user: chown of a root file is EPERM", chown("rootfile", USER, -1), EPERM);
	CHECK_ERRNO("user: mknod of a device is EPERM",
		    mknod("open/dev", S_IFCHR | 0600, makedev(1, 3)), EPERM);
	int fd = open("open/suid", O_WRONLY);
	CHECK("user: writing an own setuid file clears setuid and setgid",
	      write(fd, "x", 1) == 1 && fstat(fd, &st) == 0 && st.st_mode == (S_IFREG | 0755));
	close(fd);
	CHECK_ERRNO("user: setting explicit times on a root file is EPERM",
		    utimensat(AT_FDCWD, "open/rootwritable", ts, 0), EPERM);
	CHECK("user: setting now on a root file with write permission",
	      utimensat(AT_FDCWD, "open/rootwritable", NULL, 0) == 0);
	CHECK_ERRNO("user: setting now on a root file without write permission is EACCES",
		    utimensat(AT_FDCWD, "rootfile", NULL, 0), EACCES);
	CHECK("user: setting explicit times on an own file",
	      utimensat(AT_FDCWD, "open/mine", ts, 0) == 0);
	CHECK_ERRNO("user: unlink of root's file in a sticky directory is EPERM",
		    unlink("open/rootwritable"), EPERM);
	CHECK_ERRNO("user: rename of root's file in a sticky directory is EPERM",
		    rename("open/rootwritable", "open/taken"), EPERM);
	CHECK("user: unlink of an own file in a sticky directory",
	      unlink("open/foreigngroup") == 0);
	CHECK_ERRNO("user: chroot is EPERM", chroot("open"), EPERM);
	CHECK_ERRNO("user: mount is EPERM", mount("tmpfs", "open", "tmpfs", 0, NULL), EPERM);
}

static void check_unprivileged(void)
{
	enter("perm");
	put_file("rootfile", "r");
	put_file("secret", "s");
	chmod("secret", 0600);
	mkdir("private", 0700);
	put_file("private/f", "");
	mkdir("searchonly", 0711);
	put_file("searchonly/f", "");
	put_file("mine0077", "");
	chown("mine0077", USER, USER);
	chmod("mine0077", 0077);
	put_file("group0070", "");
	chown("group0070", 0, USER);
	chmod("group0070", 0070);
	mkdir("open", 0777);
	chmod("open", 01777);
	put_file("open/mine", "");
	chown("open/mine", USER, USER);
	put_file("open/foreigngroup", "");
	chown("open/foreigngroup", USER, OTHER);
	put_file("open/suid", "");
	chown("open/suid", USER, USER);
	chmod("open/suid", 06755);
	put_file("open/rootwritable", "");
	chmod("open/rootwritable", 0666);
	CHECK("unprivileged checks ran", run_as_user(unprivileged_body));
	int fd = open("open/rootwritable", O_WRONLY);
	chmod("open/rootwritable", 04755);
	CHECK("root writing a setuid file keeps the bit",
	      write(fd, "x", 1) == 1 && mode_of("open/rootwritable") == (S_IFREG | 04755));
	close(fd);
}

static void check_supplementary(void)
{
	enter("groups");
	put_file("f", "");
	chown("f", 0, OTHER);
	chmod("f", 0040);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		gid_t groups[1] = {OTHER};
		if (setgroups(1, groups) != 0 || setresgid(USER, USER, USER) != 0 ||
		    setresuid(USER, USER, USER) != 0)
			_exit(2);
		CHECK("a supplementary group grants group access", close(open("f", O_RDONLY)) == 0);
		CHECK_ERRNO("a group member who is not the owner may not chmod", chmod("f", 0),
			    EPERM);
		_exit(0);
	}
	int status = -1;
	CHECK("supplementary group child ran", waitpid(pid, &status, 0) == pid && status == 0);
}

static void check_statfs(void)
{
	struct statfs sf, fsf;
	char dir[96];
	static char big[2 << 20];

	enter("statfs");
	put_file("f", "");
	CHECK("statfs of a tmpfs", statfs(".", &sf) == 0);
	CHECK("tmpfs f_type is TMPFS_MAGIC", sf.f_type == TMPFS_MAGIC_);
	CHECK("tmpfs f_bsize is 4096", sf.f_bsize == 4096 && sf.f_frsize == 4096);
	CHECK("tmpfs f_namelen is 255", sf.f_namelen == 255);
	CHECK("fstatfs agrees", fstatfs(root_fd, &fsf) == 0 && fsf.f_type == TMPFS_MAGIC_ &&
					fsf.f_blocks == sf.f_blocks);
	CHECK("statfs of a file", statfs("f", &fsf) == 0 && fsf.f_type == TMPFS_MAGIC_);
	CHECK_ERRNO("statfs of a missing name is ENOENT", statfs("missing", &sf), ENOENT);
	CHECK_ERRNO("fstatfs of a bad fd is EBADF", fstatfs(99, &sf), EBADF);
	CHECK_ERRNO("statfs into a bad buffer is EFAULT", syscall(SYS_statfs, ".", 8L), EFAULT);

	snprintf(dir, sizeof(dir), "%s/statfs/small", root_path);
	mkdir("small", 0755);
	CHECK("tmpfs size=1m mounts",
	      mount("tmpfs", "small", "tmpfs", 0, "size=1m,nr_inodes=4") == 0);
	CHECK("size=1m gives 256 blocks", statfs("small", &sf) == 0 && sf.f_blocks == 256 &&
						  sf.f_bfree == 256 && sf.f_bavail == 256);
	CHECK("nr_inodes=4 gives 4 inodes, one used by the root",
	      sf.f_files == 4 && sf.f_ffree == 3);
	int fd = open("small/a", O_CREAT | O_WRONLY, 0644);
	memset(big, 'b', sizeof(big));
	CHECK("writing 2 MiB to a 1 MiB tmpfs is short", write(fd, big, sizeof(big)) == 1 << 20);
	CHECK_ERRNO("then writing is ENOSPC", write(fd, big, 1), ENOSPC);
	CHECK("a full tmpfs has no free blocks",
	      statfs("small", &sf) == 0 && sf.f_bfree == 0 && sf.f_ffree == 2);
	CHECK("ftruncate gives the blocks back",
	      ftruncate(fd, 0) == 0 && statfs("small", &sf) == 0 && sf.f_bfree == 256);
	close(fd);
	put_file("small/b", "");
	put_file("small/c", "");
	CHECK_ERRNO("creating past nr_inodes is ENOSPC", open("small/d", O_CREAT | O_WRONLY, 0644),
		    ENOSPC);
	CHECK_ERRNO("mkdir past nr_inodes is ENOSPC", mkdir("small/e", 0755), ENOSPC);
	CHECK_ERRNO("umount of a busy mount is EBUSY",
		    (fd = open("small/b", O_RDONLY), umount(dir)), EBUSY);
	close(fd);
	CHECK("umount", umount(dir) == 0 && access("small/a", F_OK) == -1);
	CHECK_ERRNO("umount of a directory that is not a mount point is EINVAL", umount(dir),
		    EINVAL);
	CHECK_ERRNO("mount on a missing directory is ENOENT",
		    mount("tmpfs", "missing", "tmpfs", 0, NULL), ENOENT);
	CHECK_ERRNO("mount of an unknown file system type is ENODEV",
		    mount("x", "small", "no-such-fs", 0, NULL), ENODEV);
	CHECK("a read-only tmpfs mounts", mount("tmpfs", "small", "tmpfs", MS_RDONLY, NULL) == 0);
	CHECK("statfs reports ST_RDONLY", statfs("small", &sf) == 0 && (sf.f_flags & ST_RDONLY_));
	CHECK_ERRNO("creating on a read-only tmpfs is EROFS",
		    open("small/x", O_CREAT | O_WRONLY, 0644), EROFS);
	CHECK_ERRNO("mkdir on a read-only tmpfs is EROFS", mkdir("small/x", 0755), EROFS);
	CHECK("umount of the read-only tmpfs", umount(dir) == 0);
}

int main(void)
{
	check_area = "files";
	umask(022);
	scratch_mount("files");
	check_stat_fields();
	check_statx();
	check_chmod();
	check_chown();
	check_umask();
	check_access_root();
	check_eaccess();
	check_utimensat();
	check_timestamps();
	check_unprivileged();
	check_supplementary();
	check_statfs();
	return check_failures ? 1 : 0;
}
