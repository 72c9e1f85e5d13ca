// SPDX-License-Identifier: MIT
/*
 * Guest test: mount flags and remounts (read-only mounts and the errno
 * of every write there, nodev, noexec, noatime, strictatime,
 * nosymfollow, bind mounts and MS_REMOUNT|MS_BIND, what keeps a remount
 * busy, statfs f_flags), tmpfs options on a remount, fallocate cases
 * fdio.c leaves out, and open(O_CREAT|O_DIRECTORY).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdbool.h>
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

/* statfs f_flags bits (statvfs(3)) and mount flags libcs may lack. */
enum {
	STF_RDONLY = 0x0001,
	STF_NOSUID = 0x0002,
	STF_NODEV = 0x0004,
	STF_NOEXEC = 0x0008,
	STF_VALID = 0x0020,
	STF_NOATIME = 0x0400,
	STF_RELATIME = 0x1000,
	STF_NOSYMFOLLOW = 0x2000,
	MSF_NOSYMFOLLOW = 256,
	USER = 1000,
};

static char base[64];

/* An absolute path below the test's scratch directory. */
static const char *at(const char *name)
{
	static char buf[4][128];
	static int next;
	char *p = buf[next++ % 4];

	snprintf(p, sizeof(buf[0]), "%s/%s", base, name);
	return p;
}

static long flags_of(const char *path)
{
	struct statfs sf;

	return statfs(path, &sf) == 0 ? (long)sf.f_flags : -1;
}

static int put_file(const char *path, const char *data, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	ssize_t len = (ssize_t)strlen(data);
	int ok;

	if (fd < 0)
		return -1;
	ok = write(fd, data, (size_t)len) == len;
	return close(fd) == 0 && ok ? 0 : -1;
}

static int open_close(const char *path, int flags)
{
	int fd = open(path, flags, 0644);

	return fd < 0 ? -1 : close(fd);
}

/* A fresh tmpfs at base/name with a file, a directory, a symlink and a null device. */
static int fresh_mount(const char *name, unsigned long flags)
{
	const char *dir = at(name);
	char path[160];

	mkdir(dir, 0755);
	if (mount("tmpfs", dir, "tmpfs", flags & ~(unsigned long)MS_RDONLY, "mode=0755") != 0)
		return -1;
	snprintf(path, sizeof(path), "%s/f", dir);
	put_file(path, "data", 0644);
	snprintf(path, sizeof(path), "%s/d", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/s", dir);
	symlink("f", path);
	snprintf(path, sizeof(path), "%s/null", dir);
	mknod(path, S_IFCHR | 0666, makedev(1, 3));
	if (flags & MS_RDONLY)
		return mount(NULL, dir, NULL, MS_REMOUNT | flags, NULL);
	return 0;
}

/* True if a line of /proc/mounts (proc mounted at base/proc) holds base/tail. */
static bool mounts_has(const char *tail)
{
	static char text[16384];
	char want[160];
	ssize_t n = 0;
	int fd;

	mkdir(at("proc"), 0755);
	if (access(at("proc/mounts"), F_OK) != 0)
		mount("proc", at("proc"), "proc", 0, NULL);
	fd = open(at("proc/mounts"), O_RDONLY);
	if (fd >= 0)
		n = read(fd, text, sizeof(text) - 1);
	close(fd);
	text[n > 0 ? n : 0] = '\0';
	snprintf(want, sizeof(want), " %s/%s", base, tail);
	return strstr(text, want) != NULL;
}

static void check_statfs_flags(void)
{
	CHECK("the initramfs root reports no mount flags", flags_of("/") == STF_VALID);
	CHECK("a new tmpfs is relatime",
	      fresh_mount("plain", 0) == 0 && flags_of(at("plain")) == (STF_VALID | STF_RELATIME));
	CHECK("MS_RDONLY, MS_NOSUID, MS_NODEV and MS_NOEXEC show in f_flags",
	      mount("tmpfs", at("plain/d"), "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
		    NULL) == 0 &&
		      flags_of(at("plain/d")) == (STF_VALID | STF_RELATIME | STF_RDONLY |
						  STF_NOSUID | STF_NODEV | STF_NOEXEC));
	CHECK("a mount's flags are its own", flags_of(at("plain")) == (STF_VALID | STF_RELATIME));
	CHECK("/proc/mounts shows them",
	      mounts_has("plain/d tmpfs ro,nosuid,nodev,noexec,relatime") &&
		      mounts_has("plain tmpfs rw,relatime"));
	CHECK("remounting changes the flags",
	      mount(NULL, at("plain/d"), NULL, MS_REMOUNT | MS_NOEXEC, NULL) == 0 &&
		      flags_of(at("plain/d")) == (STF_VALID | STF_RELATIME | STF_NOEXEC));
	CHECK("umount of the remounted tmpfs", umount(at("plain/d")) == 0);
	CHECK("MS_NOATIME is noatime without relatime",
	      mount("tmpfs", at("plain/d"), "tmpfs", MS_NOATIME, NULL) == 0 &&
		      flags_of(at("plain/d")) == (STF_VALID | STF_NOATIME));
	CHECK("a remount without atime flags keeps them",
	      mount(NULL, at("plain/d"), NULL, MS_REMOUNT | MS_NODEV, NULL) == 0 &&
		      flags_of(at("plain/d")) == (STF_VALID | STF_NOATIME | STF_NODEV));
	CHECK("MS_STRICTATIME clears relatime and noatime",
	      mount(NULL, at("plain/d"), NULL, MS_REMOUNT | MS_STRICTATIME, NULL) == 0 &&
		      flags_of(at("plain/d")) == STF_VALID);
	CHECK("umount of the noatime tmpfs", umount(at("plain/d")) == 0);
	CHECK("MS_NOSYMFOLLOW shows in f_flags",
	      mount("tmpfs", at("plain/d"), "tmpfs", MSF_NOSYMFOLLOW, NULL) == 0 &&
		      flags_of(at("plain/d")) == (STF_VALID | STF_RELATIME | STF_NOSYMFOLLOW));
	CHECK("umount of the nosymfollow tmpfs", umount(at("plain/d")) == 0);
	CHECK_ERRNO("MS_REMOUNT of a directory that is not a mount root is EINVAL",
		    mount(NULL, at("plain/d"), NULL, MS_REMOUNT, NULL), EINVAL);
	CHECK_ERRNO("MS_REMOUNT|MS_BIND of a directory that is not a mount root is EINVAL",
		    mount(NULL, at("plain/d"), NULL, MS_REMOUNT | MS_BIND, NULL), EINVAL);
	CHECK_ERRNO("MS_REMOUNT of a missing path is ENOENT",
		    mount(NULL, at("plain/missing"), NULL, MS_REMOUNT, NULL), ENOENT);
}

static long blocks_of(const char *path)
{
	struct statfs sf;

	return statfs(path, &sf) == 0 ? (long)sf.f_blocks : -1;
}

static void check_remount_options(void)
{
	struct stat st;

	mkdir(at("opt"), 0755);
	CHECK("a tmpfs with size=1m mounts",
	      mount("tmpfs", at("opt"), "tmpfs", 0, "size=1m,mode=0755") == 0 &&
		      blocks_of(at("opt")) == 256);
	int fd = open(at("opt/f"), O_RDWR | O_CREAT, 0644);
	CHECK("a file of two pages", syscall(SYS_fallocate, fd, 0, 0L, 8192L) == 0);
	close(fd);
	CHECK_ERRNO("remounting smaller than what is used is EINVAL",
		    mount(NULL, at("opt"), NULL, MS_REMOUNT, "size=4k"), EINVAL);
	CHECK_ERRNO("remounting with fewer inodes than are used is EINVAL",
		    mount(NULL, at("opt"), NULL, MS_REMOUNT, "nr_inodes=1"), EINVAL);
	CHECK_ERRNO("remounting with an unknown option is EINVAL",
		    mount(NULL, at("opt"), NULL, MS_REMOUNT, "bogus=1"), EINVAL);
	CHECK("remounting with size=2m grows it",
	      mount(NULL, at("opt"), NULL, MS_REMOUNT, "size=2m") == 0 &&
		      blocks_of(at("opt")) == 512);
	CHECK("mode= on a remount changes nothing",
	      mount(NULL, at("opt"), NULL, MS_REMOUNT, "mode=0700") == 0 &&
		      stat(at("opt"), &st) == 0 && st.st_mode == (S_IFDIR | 0755) &&
		      blocks_of(at("opt")) == 512);
}

static void check_readonly_errors(void)
{
	struct timespec times[2] = {{1, 0}, {2, 0}};

	CHECK("a tmpfs remounts read-only", fresh_mount("ro", MS_RDONLY) == 0);
	CHECK("a read-only tmpfs reports ST_RDONLY",
	      flags_of(at("ro")) == (STF_VALID | STF_RELATIME | STF_RDONLY));
	CHECK_ERRNO("open O_CREAT of a new name is EROFS",
		    open_close(at("ro/new"), O_CREAT | O_RDWR), EROFS);
	CHECK("open O_CREAT of an existing file for reading works",
	      open_close(at("ro/f"), O_CREAT | O_RDONLY) == 0);
	CHECK_ERRNO("open O_CREAT|O_EXCL of an existing file is EEXIST",
		    open_close(at("ro/f"), O_CREAT | O_EXCL | O_RDONLY), EEXIST);
	CHECK_ERRNO("open of a file for writing is EROFS", open_close(at("ro/f"), O_WRONLY), EROFS);
	CHECK_ERRNO("open O_RDONLY|O_TRUNC is EROFS", open_close(at("ro/f"), O_RDONLY | O_TRUNC),
		    EROFS);
	CHECK_ERRNO("open of a directory for writing is EISDIR", open_close(at("ro/d"), O_WRONLY),
		    EISDIR);
	CHECK("open of a device node for writing works", open_close(at("ro/null"), O_WRONLY) == 0);
	CHECK_ERRNO("O_TMPFILE is EROFS", open_close(at("ro"), O_TMPFILE | O_RDWR), EROFS);
	CHECK_ERRNO("mkdir of an existing name is EEXIST", mkdir(at("ro/d"), 0755), EEXIST);
	CHECK_ERRNO("mkdir of . is EEXIST", mkdir(at("ro/."), 0755), EEXIST);
	CHECK_ERRNO("mkdir is EROFS", mkdir(at("ro/new"), 0755), EROFS);
	CHECK_ERRNO("mknod is EROFS", mknod(at("ro/new"), S_IFIFO | 0644, 0), EROFS);
	CHECK_ERRNO("symlink is EROFS", symlink("f", at("ro/new")), EROFS);
	CHECK_ERRNO("link is EROFS", link(at("ro/f"), at("ro/new")), EROFS);
	CHECK_ERRNO("link to another mount is EXDEV", link(at("ro/f"), at("new")), EXDEV);
	CHECK_ERRNO("unlink of a missing name is EROFS", unlink(at("ro/missing")), EROFS);
	CHECK_ERRNO("unlink is EROFS", unlink(at("ro/f")), EROFS);
	CHECK_ERRNO("rmdir of a missing name is EROFS", rmdir(at("ro/missing")), EROFS);
	CHECK_ERRNO("rmdir of . is EINVAL", rmdir(at("ro/d/.")), EINVAL);
	CHECK_ERRNO("rename is EROFS", rename(at("ro/f"), at("ro/g")), EROFS);
	CHECK_ERRNO("rename of a missing name is EROFS", rename(at("ro/missing"), at("ro/g")),
		    EROFS);
	CHECK_ERRNO("chmod is EROFS", chmod(at("ro/f"), 0600), EROFS);
	CHECK_ERRNO("chown is EROFS", chown(at("ro/f"), 1, 1), EROFS);
	CHECK_ERRNO("utimensat is EROFS", utimensat(AT_FDCWD, at("ro/f"), times, 0), EROFS);
	CHECK_ERRNO("utimensat to now is EROFS", utimensat(AT_FDCWD, at("ro/f"), NULL, 0), EROFS);
	CHECK_ERRNO("truncate of a directory is EISDIR", truncate(at("ro/d"), 0), EISDIR);
	CHECK_ERRNO("truncate of a file is EROFS", truncate(at("ro/f"), 0), EROFS);
	CHECK_ERRNO("access W_OK of a file is EROFS", access(at("ro/f"), W_OK), EROFS);
	CHECK_ERRNO("access W_OK of a directory is EROFS", access(at("ro/d"), W_OK), EROFS);
	CHECK_ERRNO("faccessat W_OK of a symlink is EROFS",
		    faccessat(AT_FDCWD, at("ro/s"), W_OK, AT_SYMLINK_NOFOLLOW), EROFS);
	CHECK("access W_OK of a device node works", access(at("ro/null"), W_OK) == 0);
	CHECK("reading a file still works", open_close(at("ro/f"), O_RDONLY) == 0);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		if (setresgid(USER, USER, USER) != 0 || setresuid(USER, USER, USER) != 0)
			_exit(2);
		CHECK_ERRNO("user: open for writing of root's file is EROFS before EACCES",
			    open_close(at("ro/f"), O_WRONLY), EROFS);
		CHECK_ERRNO("user: mkdir in root's directory is EROFS before EACCES",
			    mkdir(at("ro/d/new"), 0755), EROFS);
		_exit(0);
	}
	int status = -1;
	CHECK("user child ran", waitpid(pid, &status, 0) == pid && status == 0);
	CHECK("remounting read-write", mount(NULL, at("ro"), NULL, MS_REMOUNT, NULL) == 0 &&
					       flags_of(at("ro")) == (STF_VALID | STF_RELATIME));
	CHECK("then writing works", mkdir(at("ro/new"), 0755) == 0);
}

static void check_remount_busy(void)
{
	CHECK("busy: a tmpfs mounts", fresh_mount("busy", 0) == 0);
	int fd = open(at("busy/f"), O_WRONLY);
	CHECK_ERRNO("remounting read-only with a file open for writing is EBUSY",
		    mount(NULL, at("busy"), NULL, MS_REMOUNT | MS_RDONLY, NULL), EBUSY);
	CHECK_ERRNO("so is a read-only bind remount",
		    mount(NULL, at("busy"), NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL), EBUSY);
	close(fd);
	fd = open(at("busy/f"), O_RDONLY);
	unlink(at("busy/f"));
	CHECK_ERRNO("an open unlinked file keeps the super block from going read-only",
		    mount(NULL, at("busy"), NULL, MS_REMOUNT | MS_RDONLY, NULL), EBUSY);
	CHECK("but not the mount",
	      mount(NULL, at("busy"), NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) == 0 &&
		      flags_of(at("busy")) == (STF_VALID | STF_RELATIME | STF_RDONLY));
	close(fd);
	CHECK("closed, the super block goes read-only",
	      mount(NULL, at("busy"), NULL, MS_REMOUNT | MS_RDONLY, NULL) == 0);
	CHECK("umount of a read-only tmpfs", umount(at("busy")) == 0);
}

static void check_bind(void)
{
	CHECK("bind: a tmpfs mounts", fresh_mount("src", 0) == 0);
	mkdir(at("bind"), 0755);
	CHECK("a bind mount ignores MS_RDONLY",
	      mount(at("src"), at("bind"), NULL, MS_BIND | MS_RDONLY, NULL) == 0 &&
		      flags_of(at("bind")) == (STF_VALID | STF_RELATIME));
	CHECK("MS_REMOUNT|MS_BIND makes it read-only",
	      mount(NULL, at("bind"), NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) == 0 &&
		      flags_of(at("bind")) == (STF_VALID | STF_RELATIME | STF_RDONLY));
	CHECK("the source mount stays writable",
	      flags_of(at("src")) == (STF_VALID | STF_RELATIME) &&
		      open_close(at("src/f"), O_WRONLY) == 0);
	CHECK_ERRNO("open for writing through it is EROFS", open_close(at("bind/f"), O_WRONLY),
		    EROFS);
	CHECK_ERRNO("access W_OK through it is EROFS", access(at("bind/f"), W_OK), EROFS);
	CHECK_ERRNO("mkdir through it is EROFS", mkdir(at("bind/new"), 0755), EROFS);
	chmod(at("src/f"), 0444);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		if (setresgid(USER, USER, USER) != 0 || setresuid(USER, USER, USER) != 0)
			_exit(2);
		CHECK_ERRNO("user: a read-only mount comes after permissions (EACCES)",
			    open_close(at("bind/f"), O_WRONLY), EACCES);
		_exit(0);
	}
	int status = -1;
	CHECK("bind user child ran", waitpid(pid, &status, 0) == pid && status == 0);
	mkdir(at("src/b2"), 0755);
	CHECK("a bind of a read-only mount is read-only",
	      mount(at("bind/d"), at("src/b2"), NULL, MS_BIND, NULL) == 0 &&
		      flags_of(at("src/b2")) == (STF_VALID | STF_RELATIME | STF_RDONLY));
	CHECK("umount of the second bind", umount(at("src/b2")) == 0);
	CHECK("MS_REMOUNT|MS_BIND makes it writable again",
	      mount(NULL, at("bind"), NULL, MS_REMOUNT | MS_BIND, NULL) == 0 &&
		      flags_of(at("bind")) == (STF_VALID | STF_RELATIME) &&
		      open_close(at("bind/d/new"), O_CREAT | O_WRONLY) == 0);
	CHECK("umount of the bind mount", umount(at("bind")) == 0);
}

static void check_nodev_noexec(void)
{
	char *argv[] = {"x", NULL};
	char *envp[] = {NULL};

	CHECK("nodev,noexec: a tmpfs mounts", fresh_mount("nx", MS_NODEV | MS_NOEXEC) == 0);
	CHECK("a file with no known format", put_file(at("nx/x"), "\1\2\3\4", 0755) == 0);
	CHECK_ERRNO("opening a device node on a nodev mount is EACCES",
		    open_close(at("nx/null"), O_RDONLY), EACCES);
	CHECK("O_PATH of it works", open_close(at("nx/null"), O_PATH) == 0);
	CHECK_ERRNO("execve on a noexec mount is EACCES", execve(at("nx/x"), argv, envp), EACCES);
	CHECK("remounting without them", mount(NULL, at("nx"), NULL, MS_REMOUNT, NULL) == 0);
	CHECK("the device node opens", open_close(at("nx/null"), O_RDONLY) == 0);
	CHECK_ERRNO("execve reads the file (ENOEXEC)", execve(at("nx/x"), argv, envp), ENOEXEC);
}

static int set_times(const char *path, time_t atime, time_t mtime)
{
	struct timespec times[2] = {{atime, 0}, {mtime, 0}};

	return utimensat(AT_FDCWD, path, times, 0);
}

static time_t atime_of(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? st.st_atim.tv_sec : -1;
}

static void check_atime(void)
{
	time_t future = time(NULL) + 100000;

	CHECK("atime: a tmpfs mounts", fresh_mount("at", 0) == 0);
	int fd = open(at("at/f"), O_RDONLY);
	char c;

	CHECK("relatime: a read moves an atime older than mtime",
	      set_times(at("at/f"), 1000, 2000) == 0 && read(fd, &c, 1) == 1 &&
		      atime_of(at("at/f")) > 2000);
	CHECK("relatime: a read leaves a recent atime", set_times(at("at/f"), future, 2000) == 0 &&
								read(fd, &c, 1) == 1 &&
								atime_of(at("at/f")) == future);
	CHECK("strictatime: every read moves atime",
	      mount(NULL, at("at"), NULL, MS_REMOUNT | MS_STRICTATIME, NULL) == 0 &&
		      pread(fd, &c, 1, 0) == 1 && atime_of(at("at/f")) < future);
	CHECK("noatime: a read leaves atime",
	      mount(NULL, at("at"), NULL, MS_REMOUNT | MS_NOATIME, NULL) == 0 &&
		      set_times(at("at/f"), 1000, 2000) == 0 && pread(fd, &c, 1, 0) == 1 &&
		      atime_of(at("at/f")) == 1000);
	close(fd);
}

static void check_nosymfollow(void)
{
	char buf[8];

	CHECK("nosymfollow: a tmpfs mounts", fresh_mount("nf", MSF_NOSYMFOLLOW) == 0);
	CHECK_ERRNO("following a symlink there is ELOOP", open_close(at("nf/s"), O_RDONLY), ELOOP);
	CHECK("readlink still works", readlink(at("nf/s"), buf, sizeof(buf)) == 1);
	CHECK("lstat still works", access(at("nf/f"), R_OK) == 0);
}

static void check_creat_directory(void)
{
	struct stat st;

	CHECK("creat: a tmpfs mounts", fresh_mount("cd", 0) == 0);
	CHECK_ERRNO("O_CREAT|O_DIRECTORY of a new name is EINVAL",
		    open_close(at("cd/new"), O_CREAT | O_DIRECTORY | O_RDWR), EINVAL);
	CHECK_ERRNO("and makes nothing", stat(at("cd/new"), &st), ENOENT);
	CHECK_ERRNO("O_CREAT|O_DIRECTORY of a directory is EINVAL",
		    open_close(at("cd/d"), O_CREAT | O_DIRECTORY | O_RDONLY), EINVAL);
	CHECK_ERRNO("O_CREAT|O_DIRECTORY of a file is EINVAL",
		    open_close(at("cd/f"), O_CREAT | O_DIRECTORY | O_RDONLY), EINVAL);
}

/* fallocate and fadvise on what user/tests/fdio.c leaves out: partial holes, pipes, devices, O_PATH. */
static void check_fallocate(void)
{
	enum { KEEP_SIZE = 1, PUNCH_HOLE = 2 };
	char buf[8192];
	struct stat st;

	CHECK("falloc: a tmpfs mounts", fresh_mount("fa", 0) == 0);
	int fd = open(at("fa/g"), O_RDWR | O_CREAT, 0644);
	memset(buf, 'a', sizeof(buf));
	CHECK("two pages written", pwrite(fd, buf, sizeof(buf), 0) == (ssize_t)sizeof(buf));
	CHECK("a hole inside one page zeroes it and frees nothing",
	      syscall(SYS_fallocate, fd, PUNCH_HOLE | KEEP_SIZE, 10L, 20L) == 0 &&
		      fstat(fd, &st) == 0 && st.st_blocks == 16 && pread(fd, buf, 40, 0) == 40 &&
		      buf[9] == 'a' && buf[10] == 0 && buf[29] == 0 && buf[30] == 'a');
	CHECK("a hole over a page boundary frees the whole page only",
	      syscall(SYS_fallocate, fd, PUNCH_HOLE | KEEP_SIZE, 4000L, 4196L) == 0 &&
		      fstat(fd, &st) == 0 && st.st_blocks == 8 && st.st_size == 8192 &&
		      pread(fd, buf, sizeof(buf), 0) == (ssize_t)sizeof(buf) && buf[3999] == 'a' &&
		      buf[4000] == 0 && buf[8191] == 0);
	CHECK("truncating to the same size frees fallocated pages past it",
	      syscall(SYS_fallocate, fd, KEEP_SIZE, 8192L, 8192L) == 0 && fstat(fd, &st) == 0 &&
		      st.st_blocks == 24 && ftruncate(fd, 8192) == 0 && fstat(fd, &st) == 0 &&
		      st.st_blocks == 8);
	CHECK_ERRNO("fallocate checks the length before the mode",
		    syscall(SYS_fallocate, fd, 0x100, 0L, 0L), EINVAL);
	CHECK_ERRNO("COLLAPSE_RANGE with KEEP_SIZE is EINVAL",
		    syscall(SYS_fallocate, fd, 0x08 | KEEP_SIZE, 0L, 4096L), EINVAL);
	CHECK_ERRNO("COLLAPSE_RANGE on tmpfs is EOPNOTSUPP",
		    syscall(SYS_fallocate, fd, 0x08, 0L, 4096L), EOPNOTSUPP);
	CHECK_ERRNO("fadvise with a negative length is EINVAL",
		    syscall(SYS_fadvise64, fd, 0L, -1L, 0), EINVAL);
	CHECK("fadvise at a negative offset works", syscall(SYS_fadvise64, fd, -1L, 1L, 0) == 0);
	close(fd);
	int pfd[2];
	CHECK("a pipe", pipe(pfd) == 0);
	CHECK_ERRNO("fallocate on a pipe is ESPIPE", syscall(SYS_fallocate, pfd[1], 0, 0L, 10L),
		    ESPIPE);
	CHECK_ERRNO("fallocate on a pipe's read end is EBADF",
		    syscall(SYS_fallocate, pfd[0], 0, 0L, 10L), EBADF);
	CHECK_ERRNO("fadvise on a pipe is ESPIPE before EINVAL",
		    syscall(SYS_fadvise64, pfd[0], 0L, -1L, 99), ESPIPE);
	close(pfd[0]);
	close(pfd[1]);
	fd = open(at("fa/null"), O_RDWR);
	CHECK_ERRNO("fallocate on a device is ENODEV", syscall(SYS_fallocate, fd, 0, 0L, 10L),
		    ENODEV);
	close(fd);
	fd = open(at("fa/g"), O_PATH);
	CHECK_ERRNO("fallocate on an O_PATH fd is EBADF", syscall(SYS_fallocate, fd, 0, -1L, 10L),
		    EBADF);
	CHECK_ERRNO("fadvise on an O_PATH fd is EBADF", syscall(SYS_fadvise64, fd, 0L, 0L, 0),
		    EBADF);
	close(fd);
}

int main(void)
{
	check_area = "mounts";
	mkdir("/tmp", 01777);
	snprintf(base, sizeof(base), "/tmp/mounts-%d", (int)getpid());
	CHECK("scratch directory is made", mkdir(base, 0755) == 0);
	check_statfs_flags();
	check_remount_options();
	check_readonly_errors();
	check_remount_busy();
	check_bind();
	check_nodev_noexec();
	check_atime();
	check_nosymfollow();
	check_creat_directory();
	check_fallocate();
	return check_failures ? 1 : 0;
}
