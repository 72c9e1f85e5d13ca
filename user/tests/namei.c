// SPDX-License-Identifier: MIT
/*
 * Guest test: names. mkdir, rmdir, unlink, rename and renameat2, link,
 * symlink and readlink, path walks (".", "..", trailing slashes, ELOOP,
 * ENAMETOOLONG), getdents64, chdir, fchdir, getcwd, chroot and openat2's
 * RESOLVE_* restrictions on the walk. Everything
 * happens on a tmpfs mounted on a fresh /tmp/namei-PID; each case works
 * in its own directory. Descriptors and data are in fdio.c.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <linux/openat2.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "util.h"

#ifndef SYS_openat2
#define SYS_openat2 437
#endif

#define NOREPLACE (1U << 0) /* RENAME_NOREPLACE */
#define EXCHANGE (1U << 1)  /* RENAME_EXCHANGE */

static ino_t ino_of(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? st.st_ino : 0;
}

static int same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_ino == sb.st_ino &&
	       sa.st_dev == sb.st_dev;
}

static long nlink_of(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0 ? (long)st.st_nlink : -1;
}

static mode_t type_of(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0 ? st.st_mode & S_IFMT : 0;
}

static int exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

static long readlink_raw(const char *path, char *buf, long size)
{
	return syscall(SYS_readlinkat, AT_FDCWD, path, buf, size);
}

static long rename2(const char *from, const char *to, unsigned flags)
{
	return syscall(SYS_renameat2, AT_FDCWD, from, AT_FDCWD, to, flags);
}

static void check_mkdir(void)
{
	struct stat st;

	enter("mkdir");
	put_file("f", "");
	symlink("nowhere", "dangling");
	CHECK("mkdir makes a directory", mkdir("d", 0755) == 0 && type_of("d") == S_IFDIR);
	CHECK("a new directory has two links", nlink_of("d") == 2);
	CHECK("a subdirectory adds a link to its parent",
	      mkdir("d/sub", 0755) == 0 && nlink_of("d") == 3);
	CHECK("mkdir applies the umask",
	      mkdir("m", 0777) == 0 && stat("m", &st) == 0 && st.st_mode == (S_IFDIR | 0755));
	CHECK("mkdir keeps the sticky bit",
	      mkdir("t", 01777) == 0 && stat("t", &st) == 0 && st.st_mode == (S_IFDIR | 01755));
	CHECK_ERRNO("mkdir of an existing directory is EEXIST", mkdir("d", 0755), EEXIST);
	CHECK_ERRNO("mkdir of an existing file is EEXIST", mkdir("f", 0755), EEXIST);
	CHECK_ERRNO("mkdir of a dangling symlink is EEXIST", mkdir("dangling", 0755), EEXIST);
	CHECK_ERRNO("mkdir with a missing parent is ENOENT", mkdir("no/d", 0755), ENOENT);
	CHECK_ERRNO("mkdir under a file is ENOTDIR", mkdir("f/d", 0755), ENOTDIR);
	CHECK_ERRNO("mkdir . is EEXIST", mkdir(".", 0755), EEXIST);
	CHECK_ERRNO("mkdir .. is EEXIST", mkdir("..", 0755), EEXIST);
	CHECK_ERRNO("mkdir d/. is EEXIST", mkdir("d/.", 0755), EEXIST);
	CHECK_ERRNO("mkdir / is EEXIST", mkdir("/", 0755), EEXIST);
	CHECK_ERRNO("mkdir of the empty path is ENOENT", mkdir("", 0755), ENOENT);
	CHECK("mkdir with a trailing slash",
	      mkdir("slash/", 0755) == 0 && type_of("slash") == S_IFDIR);
	CHECK("mkdir with two trailing slashes", mkdir("slash2//", 0755) == 0 && exists("slash2"));
	CHECK("mkdirat relative to a dirfd",
	      mkdirat(root_fd, "mkdir/viafd", 0700) == 0 && type_of("viafd") == S_IFDIR);
}

static void check_rmdir(void)
{
	enter("rmdir");
	mkdir("d", 0755);
	mkdir("d/sub", 0755);
	put_file("d/sub/f", "x");
	put_file("f", "");
	symlink("d", "dlink");
	CHECK_ERRNO("rmdir of a non-empty directory is ENOTEMPTY", rmdir("d"), ENOTEMPTY);
	CHECK_ERRNO("rmdir of a file is ENOTDIR", rmdir("f"), ENOTDIR);
	CHECK_ERRNO("rmdir of a symlink to a directory is ENOTDIR", rmdir("dlink"), ENOTDIR);
	CHECK_ERRNO("rmdir of a missing name is ENOENT", rmdir("missing"), ENOENT);
	CHECK_ERRNO("rmdir . is EINVAL", rmdir("."), EINVAL);
	CHECK_ERRNO("rmdir d/. is EINVAL", rmdir("d/."), EINVAL);
	CHECK_ERRNO("rmdir .. is ENOTEMPTY", rmdir(".."), ENOTEMPTY);
	CHECK_ERRNO("rmdir d/sub/.. is ENOTEMPTY", rmdir("d/sub/.."), ENOTEMPTY);
	CHECK_ERRNO("rmdir / is EBUSY", rmdir("/"), EBUSY);
	CHECK_ERRNO("rmdir of a mount point is EBUSY", rmdir(root_path), EBUSY);
	CHECK_ERRNO("rmdir of a file with a trailing slash is ENOTDIR", rmdir("f/"), ENOTDIR);
	unlink("d/sub/f");
	CHECK("rmdir with a trailing slash", rmdir("d/sub/") == 0 && !exists("d/sub"));
	CHECK("rmdir gives the parent its link back", nlink_of("d") == 2);
	CHECK("unlinkat AT_REMOVEDIR", unlinkat(AT_FDCWD, "d", AT_REMOVEDIR) == 0 && !exists("d"));
	CHECK_ERRNO("unlinkat AT_REMOVEDIR of a file is ENOTDIR",
		    unlinkat(AT_FDCWD, "f", AT_REMOVEDIR), ENOTDIR);
	CHECK_ERRNO("unlinkat with an unknown flag is EINVAL", unlinkat(AT_FDCWD, "f", 1), EINVAL);
}

static void check_unlink(void)
{
	struct stat st;
	char buf[8] = {0};

	enter("unlink");
	mkdir("d", 0755);
	put_file("f", "data");
	symlink("f", "flink");
	symlink("d", "dlink");
	symlink("nowhere", "dangling");
	CHECK_ERRNO("unlink of a directory is EISDIR", unlink("d"), EISDIR);
	CHECK_ERRNO("unlink of a directory with a trailing slash is EISDIR", unlink("d/"), EISDIR);
	CHECK_ERRNO("unlink of a file with a trailing slash is ENOTDIR", unlink("f/"), ENOTDIR);
	CHECK_ERRNO("unlink of a symlink to a directory with a trailing slash is ENOTDIR",
		    unlink("dlink/"), ENOTDIR);
	CHECK_ERRNO("unlink of a missing name with a trailing slash is ENOENT", unlink("none/"),
		    ENOENT);
	CHECK_ERRNO("unlink . is EISDIR", unlink("."), EISDIR);
	CHECK_ERRNO("unlink .. is EISDIR", unlink(".."), EISDIR);
	CHECK_ERRNO("unlink of the empty path is ENOENT", unlink(""), ENOENT);
	CHECK_ERRNO("unlink of a missing name is ENOENT", unlink("missing"), ENOENT);
	CHECK_ERRNO("unlink under a file is ENOTDIR", unlink("f/x"), ENOTDIR);
	CHECK("unlink of a symlink removes the link only",
	      unlink("flink") == 0 && !exists("flink") && exists("f"));
	CHECK("unlink of a dangling symlink", unlink("dangling") == 0 && !exists("dangling"));
	CHECK("unlink of a symlink to a directory", unlink("dlink") == 0 && exists("d"));
	int fd = open("f", O_RDONLY);
	CHECK("unlink of an open file", unlink("f") == 0 && !exists("f"));
	CHECK("an unlinked open file is still readable",
	      read(fd, buf, sizeof(buf)) == 4 && strcmp(buf, "data") == 0);
	CHECK("an unlinked open file has no links", fstat(fd, &st) == 0 && st.st_nlink == 0);
	close(fd);
}

static void check_rename(void)
{
	enter("rename");
	put_file("a", "A");
	put_file("b", "B");
	mkdir("d", 0755);
	mkdir("e", 0755);
	mkdir("full", 0755);
	put_file("full/x", "");
	ino_t a_ino = ino_of("a");
	CHECK("rename over a file replaces it", rename("a", "b") == 0 && !exists("a") &&
							strcmp(get_file("b"), "A") == 0 &&
							ino_of("b") == a_ino);
	CHECK_ERRNO("rename of a missing name is ENOENT", rename("a", "c"), ENOENT);
	CHECK_ERRNO("rename into a missing directory is ENOENT", rename("b", "no/c"), ENOENT);
	CHECK_ERRNO("rename of a file over a directory is EISDIR", rename("b", "d"), EISDIR);
	CHECK_ERRNO("rename of a directory over a file is ENOTDIR", rename("d", "b"), ENOTDIR);
	CHECK_ERRNO("rename over a non-empty directory is ENOTEMPTY", rename("d", "full"),
		    ENOTEMPTY);
	CHECK_ERRNO("rename of a directory into itself is EINVAL", rename("d", "d/sub"), EINVAL);
	mkdir("d/sub", 0755);
	CHECK_ERRNO("rename of a directory below itself is EINVAL", rename("d", "d/sub/x"), EINVAL);
	CHECK_ERRNO("rename of a directory over its ancestor is ENOTEMPTY", rename("d/sub", "d"),
		    ENOTEMPTY);
	CHECK("rename to itself does nothing", rename("b", "b") == 0 && exists("b"));
	link("b", "b2");
	CHECK("rename between links of one file does nothing",
	      rename("b", "b2") == 0 && exists("b") && exists("b2") && nlink_of("b") == 2);
	CHECK_ERRNO("rename of a file with a trailing slash is ENOTDIR", rename("b/", "c"),
		    ENOTDIR);
	CHECK_ERRNO("rename to a file name with a trailing slash is ENOTDIR", rename("b", "c/"),
		    ENOTDIR);
	CHECK("rename of a directory with trailing slashes",
	      rename("e/", "e2/") == 0 && type_of("e2") == S_IFDIR);
	CHECK("rename over an empty directory", rename("e2", "d/sub") == 0 && !exists("e2"));
	CHECK_ERRNO("rename of . is EBUSY", rename(".", "x"), EBUSY);
	CHECK_ERRNO("rename onto . is EBUSY", rename("b", "."), EBUSY);
	CHECK_ERRNO("rename of d/.. is EBUSY", rename("d/..", "x"), EBUSY);
	mkdir("p", 0755);
	mkdir("q", 0755);
	mkdir("p/c", 0755);
	CHECK("rename of a directory across parents moves the links",
	      rename("p/c", "q/c") == 0 && nlink_of("p") == 2 && nlink_of("q") == 3);
	CHECK("a moved directory's .. is its new parent", same_file("q/c/..", "q"));
	CHECK("renameat with dirfds", renameat(root_fd, "rename/b2", AT_FDCWD, "q/b3") == 0 &&
					      exists("q/b3") && !exists("b2"));
}

static void check_renameat2(void)
{
	enter("renameat2");
	put_file("a", "A");
	put_file("b", "B");
	mkdir("d", 0755);
	mkdir("d/sub", 0755);
	mkdir("e", 0755);
	CHECK_ERRNO("RENAME_NOREPLACE over a file is EEXIST", rename2("a", "b", NOREPLACE), EEXIST);
	CHECK("RENAME_NOREPLACE to a new name", rename2("a", "c", NOREPLACE) == 0 && exists("c"));
	CHECK_ERRNO("RENAME_NOREPLACE onto . is EEXIST", rename2("c", ".", NOREPLACE), EEXIST);
	CHECK("RENAME_EXCHANGE swaps two files", rename2("b", "c", EXCHANGE) == 0 &&
							 strcmp(get_file("b"), "A") == 0 &&
							 strcmp(get_file("c"), "B") == 0);
	CHECK("RENAME_EXCHANGE swaps a file and a directory",
	      rename2("b", "d", EXCHANGE) == 0 && type_of("b") == S_IFDIR &&
		      type_of("d") == S_IFREG && exists("b/sub"));
	CHECK("RENAME_EXCHANGE of a directory and a file across parents fixes link counts",
	      rename2("b/sub", "c", EXCHANGE) == 0 && nlink_of("b") == 2 && nlink_of(".") == 5 &&
		      same_file("c/..", "."));
	CHECK_ERRNO("RENAME_EXCHANGE with a missing target is ENOENT", rename2("c", "zz", EXCHANGE),
		    ENOENT);
	CHECK_ERRNO("RENAME_NOREPLACE|RENAME_EXCHANGE is EINVAL",
		    rename2("c", "d", NOREPLACE | EXCHANGE), EINVAL);
	CHECK_ERRNO("renameat2 with an unknown flag is EINVAL", rename2("c", "zz", 1U << 7),
		    EINVAL);
	mkdir("e/x", 0755);
	CHECK_ERRNO("RENAME_EXCHANGE of a directory with its child is EINVAL",
		    rename2("e", "e/x", EXCHANGE), EINVAL);
	CHECK_ERRNO("RENAME_EXCHANGE of a directory with its parent is EINVAL",
		    rename2("e/x", "e", EXCHANGE), EINVAL);
}

static void check_link(void)
{
	enter("link");
	put_file("f", "F");
	mkdir("d", 0755);
	symlink("f", "sym");
	CHECK("link adds a name", link("f", "g") == 0 && ino_of("g") == ino_of("f"));
	CHECK("link raises the link count", nlink_of("f") == 2);
	CHECK_ERRNO("link of a directory is EPERM", link("d", "d2"), EPERM);
	CHECK_ERRNO("link over an existing name is EEXIST", link("f", "g"), EEXIST);
	CHECK_ERRNO("link to . is EEXIST", link("f", "."), EEXIST);
	CHECK_ERRNO("link of a missing file is ENOENT", link("missing", "x"), ENOENT);
	CHECK_ERRNO("link to a new name with a trailing slash is ENOENT", link("f", "x/"), ENOENT);
	CHECK_ERRNO("link to an existing name with a trailing slash is EEXIST", link("f", "d/"),
		    EEXIST);
	CHECK_ERRNO("link of a file with a trailing slash is ENOTDIR", link("f/", "x"), ENOTDIR);
	CHECK("link does not follow a symlink",
	      link("sym", "hsym") == 0 && type_of("hsym") == S_IFLNK && nlink_of("sym") == 2);
	CHECK("linkat AT_SYMLINK_FOLLOW links the target",
	      linkat(AT_FDCWD, "sym", AT_FDCWD, "hf", AT_SYMLINK_FOLLOW) == 0 &&
		      type_of("hf") == S_IFREG && ino_of("hf") == ino_of("f") &&
		      nlink_of("f") == 3);
	CHECK_ERRNO("linkat with an unknown flag is EINVAL",
		    linkat(AT_FDCWD, "f", AT_FDCWD, "x", 0x1), EINVAL);
	CHECK("unlink of one link keeps the others",
	      unlink("f") == 0 && nlink_of("g") == 2 && strcmp(get_file("g"), "F") == 0);
}

static void check_symlink(void)
{
	char buf[16];

	enter("symlink");
	put_file("f", "F");
	mkdir("d", 0755);
	CHECK("symlink makes a link", symlink("target", "s") == 0 && type_of("s") == S_IFLNK);
	struct stat st;
	CHECK("a symlink has mode 0777 and the target's length",
	      lstat("s", &st) == 0 && st.st_mode == (S_IFLNK | 0777) && st.st_size == 6);
	memset(buf, 'X', sizeof(buf));
	CHECK("readlink returns the target without a NUL",
	      readlink("s", buf, sizeof(buf)) == 6 && memcmp(buf, "targetX", 7) == 0);
	memset(buf, 'X', sizeof(buf));
	CHECK("readlink truncates to the buffer",
	      readlink_raw("s", buf, 3) == 3 && memcmp(buf, "tarX", 4) == 0);
	CHECK_ERRNO("readlink with size 0 is EINVAL", readlink_raw("s", buf, 0), EINVAL);
	CHECK_ERRNO("readlink with a negative size is EINVAL", readlink_raw("s", buf, -1), EINVAL);
	CHECK_ERRNO("readlink of a file is EINVAL", readlink_raw("f", buf, 16), EINVAL);
	CHECK_ERRNO("readlink of a directory is EINVAL", readlink_raw("d", buf, 16), EINVAL);
	CHECK_ERRNO("readlink of a missing name is ENOENT", readlink_raw("no", buf, 16), ENOENT);
	CHECK_ERRNO("readlink into a bad buffer is EFAULT", readlink_raw("s", (char *)8, 16),
		    EFAULT);
	symlink("d", "ds");
	CHECK_ERRNO("readlink with a trailing slash follows the link", readlink_raw("ds/", buf, 16),
		    EINVAL);
	CHECK_ERRNO("symlink over an existing name is EEXIST", symlink("x", "f"), EEXIST);
	CHECK_ERRNO("symlink to an empty target is ENOENT", symlink("", "e"), ENOENT);
	CHECK_ERRNO("symlink to a new name with a trailing slash is ENOENT", symlink("x", "n/"),
		    ENOENT);
	CHECK_ERRNO("stat of a dangling symlink is ENOENT", stat("s", &st), ENOENT);
	symlink("../f", "d/up");
	CHECK("a relative target is resolved from the link's directory",
	      strcmp(get_file("d/up"), "F") == 0);
	CHECK("a symlink in the middle of a path",
	      symlink("d", "mid") == 0 && same_file("mid/up", "f"));
	CHECK("stat through a symlink to a directory with a trailing slash",
	      stat("ds/", &st) == 0 && S_ISDIR(st.st_mode));
	CHECK("lstat with a trailing slash follows the symlink",
	      lstat("ds/", &st) == 0 && S_ISDIR(st.st_mode));
	symlink("f", "fs");
	CHECK_ERRNO("lstat of a symlink to a file with a trailing slash is ENOTDIR",
		    lstat("fs/", &st), ENOTDIR);
	symlink("/", "abs");
	CHECK("an absolute target starts at the root", same_file("abs", "/"));
}

static void check_symlink_limits(void)
{
	char name[8], prev[8];
	struct stat st;

	enter("loop");
	put_file("target", "T");
	strcpy(prev, "target");
	for (int i = 1; i <= 41; i++) {
		snprintf(name, sizeof(name), "l%d", i);
		symlink(prev, name);
		strcpy(prev, name);
	}
	CHECK("40 nested symlinks resolve", stat("l40", &st) == 0 && S_ISREG(st.st_mode));
	CHECK_ERRNO("41 nested symlinks are ELOOP", stat("l41", &st), ELOOP);
	CHECK_ERRNO("open of 41 nested symlinks is ELOOP", open("l41", O_RDONLY), ELOOP);
	CHECK("lstat of the 41st link works", lstat("l41", &st) == 0 && S_ISLNK(st.st_mode));
	symlink("self", "self");
	CHECK_ERRNO("a symlink to itself is ELOOP", stat("self", &st), ELOOP);
	CHECK_ERRNO("a looping symlink as a directory is ELOOP", stat("self/x", &st), ELOOP);
	symlink("pong", "ping");
	symlink("ping", "pong");
	CHECK_ERRNO("two symlinks pointing at each other are ELOOP", open("ping", O_RDONLY), ELOOP);
}

static void check_name_limits(void)
{
	static char path[4200];
	struct stat st;
	char name[300];

	enter("names");
	memset(name, 'n', 255);
	name[255] = 0;
	int fd = open(name, O_CREAT | O_WRONLY, 0644);
	CHECK("a 255-byte name works", fd >= 0 && stat(name, &st) == 0);
	close(fd);
	name[255] = 'n';
	name[256] = 0;
	CHECK_ERRNO("a 256-byte name is ENAMETOOLONG in open", open(name, O_CREAT | O_WRONLY, 0644),
		    ENAMETOOLONG);
	CHECK_ERRNO("a 256-byte name is ENAMETOOLONG in stat", stat(name, &st), ENAMETOOLONG);
	CHECK_ERRNO("a 256-byte name is ENAMETOOLONG in mkdir", mkdir(name, 0755), ENAMETOOLONG);
	CHECK_ERRNO("a 256-byte directory in a path is ENAMETOOLONG", stat(strcat(name, "/x"), &st),
		    ENAMETOOLONG);
	/* "./" repeated, then a last name: exactly 4095 and 4096 bytes long. */
	for (int i = 0; i < 2046; i++)
		memcpy(path + 2 * i, "./", 2);
	strcpy(path + 4092, "abc");
	put_file("abc", "");
	CHECK("a 4095-byte path works", strlen(path) == 4095 && stat(path, &st) == 0);
	strcpy(path + 4092, "abcd");
	CHECK_ERRNO("a 4096-byte path is ENAMETOOLONG", stat(path, &st), ENAMETOOLONG);
	memset(path, 'x', 4095);
	path[4095] = 0;
	CHECK("a 4095-byte symlink target works",
	      symlink(path, "long") == 0 && lstat("long", &st) == 0 && st.st_size == 4095);
	CHECK("readlink returns all 4095 bytes", readlink_raw("long", path, 4200) == 4095);
	memset(path, 'x', 4096);
	path[4096] = 0;
	CHECK_ERRNO("a 4096-byte symlink target is ENAMETOOLONG", symlink(path, "long2"),
		    ENAMETOOLONG);
}

static void check_dots(void)
{
	struct stat st, root;

	enter("dots");
	mkdir("d", 0755);
	put_file("f", "");
	CHECK("stat . and d/.. agree", ino_of(".") == ino_of("d/.."));
	CHECK("d/./. is d", ino_of("d/./.") == ino_of("d"));
	CHECK("/.. is /", stat("/", &root) == 0 && stat("/..", &st) == 0 &&
				  st.st_ino == root.st_ino && st.st_dev == root.st_dev);
	CHECK("/../../. is /", ino_of("/../../.") == root.st_ino);
	CHECK("multiple slashes collapse", ino_of(".//d///") == ino_of("d"));
	CHECK(".. of the tmpfs root leaves the mount",
	      stat("../..", &st) == 0 && stat("/tmp", &root) == 0 && st.st_ino == root.st_ino &&
		      st.st_dev == root.st_dev);
	CHECK_ERRNO("f/. is ENOTDIR", stat("f/.", &st), ENOTDIR);
	CHECK_ERRNO("f/.. is ENOTDIR", stat("f/..", &st), ENOTDIR);
	CHECK_ERRNO("missing/.. is ENOENT", stat("missing/..", &st), ENOENT);
	CHECK_ERRNO("stat of the empty path is ENOENT", stat("", &st), ENOENT);
}

struct dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	uint16_t d_reclen;
	uint8_t d_type;
	char d_name[];
};

enum { DT_UNKNOWN_ = 0, DT_CHR_ = 2, DT_DIR_ = 4, DT_REG_ = 8, DT_LNK_ = 10 };

struct listing {
	int nr;
	int bad_reclen;
	char names[16][16];
	unsigned char types[16];
	uint64_t inos[16];
};

static long getdents(int fd, void *buf, long size)
{
	return syscall(SYS_getdents64, fd, buf, size);
}

/* Reads a whole directory with a buffer of size bytes per call. */
static int list_dir(int fd, long size, struct listing *out)
{
	static char buf[4096] __attribute__((aligned(8)));
	long n;

	memset(out, 0, sizeof(*out));
	while ((n = getdents(fd, buf, size)) > 0) {
		for (long off = 0; off < n;) {
			struct dirent64 *d = (struct dirent64 *)(buf + off);
			if (d->d_reclen % 8 != 0 || d->d_reclen < 20)
				out->bad_reclen++;
			if (out->nr < 16) {
				snprintf(out->names[out->nr], 16, "%s", d->d_name);
				out->types[out->nr] = d->d_type;
				out->inos[out->nr] = d->d_ino;
			}
			out->nr++;
			off += d->d_reclen;
		}
	}
	return (int)n;
}

static int find_entry(const struct listing *l, const char *name)
{
	for (int i = 0; i < l->nr && i < 16; i++)
		if (strcmp(l->names[i], name) == 0)
			return i;
	return -1;
}

static int type_in(const struct listing *l, const char *name)
{
	int i = find_entry(l, name);

	return i < 0 ? -1 : l->types[i];
}

static void check_getdents(void)
{
	struct listing l;
	char buf[64] __attribute__((aligned(8)));

	enter("getdents");
	mkdir("d", 0755);
	put_file("f", "");
	symlink("f", "s");
	mknod("c", S_IFCHR | 0600, makedev(1, 3));
	int fd = open(".", O_RDONLY | O_DIRECTORY);
	CHECK("getdents64 reads to the end", list_dir(fd, 4096, &l) == 0);
	CHECK("a directory lists its entries and . and ..", l.nr == 6 && l.bad_reclen == 0);
	CHECK(". is DT_DIR", type_in(&l, ".") == DT_DIR_);
	CHECK(".. is DT_DIR", type_in(&l, "..") == DT_DIR_);
	CHECK("a directory is DT_DIR", type_in(&l, "d") == DT_DIR_);
	CHECK("a file is DT_REG", type_in(&l, "f") == DT_REG_);
	CHECK("a symlink is DT_LNK", type_in(&l, "s") == DT_LNK_);
	CHECK("a device is DT_CHR", type_in(&l, "c") == DT_CHR_);
	CHECK("d_ino matches stat", find_entry(&l, "f") >= 0 &&
					    l.inos[find_entry(&l, "f")] == ino_of("f") &&
					    l.inos[find_entry(&l, ".")] == ino_of(".") &&
					    l.inos[find_entry(&l, "..")] == ino_of(".."));
	CHECK("getdents64 at the end is 0", getdents(fd, buf, sizeof(buf)) == 0);
	CHECK("lseek to 0 rewinds",
	      lseek(fd, 0, SEEK_SET) == 0 && list_dir(fd, 4096, &l) == 0 && l.nr == 6);
	lseek(fd, 0, SEEK_SET);
	CHECK_ERRNO("getdents64 with a buffer too small for one entry is EINVAL",
		    getdents(fd, buf, 10), EINVAL);
	CHECK("a one-record buffer returns exactly ., 24 bytes",
	      getdents(fd, buf, 24) == 24 && strcmp(buf + 19, ".") == 0);
	CHECK_ERRNO("a buffer one byte short of the next record is EINVAL", getdents(fd, buf, 23),
		    EINVAL);
	lseek(fd, 0, SEEK_SET);
	CHECK("reading one record at a time sees every entry once",
	      list_dir(fd, 24, &l) == 0 && l.nr == 6 && find_entry(&l, "d") >= 0 &&
		      find_entry(&l, "c") >= 0);
	lseek(fd, 0, SEEK_SET);
	CHECK("d_off of a record resumes after it",
	      getdents(fd, buf, 24) == 24 && getdents(fd, buf, 24) == 24 &&
		      strcmp(buf + 19, "..") == 0 &&
		      lseek(fd, ((struct dirent64 *)buf)->d_off, SEEK_SET) ==
			      ((struct dirent64 *)buf)->d_off &&
		      getdents(fd, buf, 24) == 24 && strcmp(buf + 19, l.names[2]) == 0);
	CHECK_ERRNO("lseek SEEK_END on a tmpfs directory is EINVAL", lseek(fd, 0, SEEK_END),
		    EINVAL);
	lseek(fd, 0, SEEK_SET);
	CHECK_ERRNO("getdents64 into a bad buffer is EFAULT", getdents(fd, (void *)8, 4096),
		    EFAULT);
	close(fd);
	fd = open("f", O_RDONLY);
	CHECK_ERRNO("getdents64 of a file is ENOTDIR", getdents(fd, buf, sizeof(buf)), ENOTDIR);
	close(fd);
	CHECK_ERRNO("getdents64 of a bad fd is EBADF", getdents(99, buf, sizeof(buf)), EBADF);
	fd = open("d", O_PATH);
	CHECK_ERRNO("getdents64 of an O_PATH fd is EBADF", getdents(fd, buf, sizeof(buf)), EBADF);
	close(fd);
	fd = open("d", O_RDONLY);
	CHECK("an empty directory lists . and ..", list_dir(fd, 4096, &l) == 0 && l.nr == 2);
	rmdir("d");
	lseek(fd, 0, SEEK_SET);
	CHECK_ERRNO("getdents64 of a removed directory is ENOENT", getdents(fd, buf, sizeof(buf)),
		    ENOENT);
	close(fd);
	unlink("f");
	fd = open(".", O_RDONLY);
	CHECK("an unlinked name disappears from the listing",
	      list_dir(fd, 4096, &l) == 0 && l.nr == 4 && find_entry(&l, "f") < 0);
	close(fd);
}

static long getcwd_raw(char *buf, long size)
{
	return syscall(SYS_getcwd, buf, size);
}

static void check_cwd(void)
{
	char buf[256], want[256];
	struct stat st;

	enter("cwd");
	snprintf(want, sizeof(want), "%s/cwd", root_path);
	long len = (long)strlen(want);
	CHECK("getcwd returns the path and its size with the NUL",
	      getcwd_raw(buf, sizeof(buf)) == len + 1 && strcmp(buf, want) == 0);
	CHECK_ERRNO("getcwd without room for the NUL is ERANGE", getcwd_raw(buf, len), ERANGE);
	CHECK("getcwd with exactly enough room", getcwd_raw(buf, len + 1) == len + 1);
	CHECK_ERRNO("getcwd with size 0 is ERANGE", getcwd_raw(buf, 0), ERANGE);
	CHECK_ERRNO("getcwd into a bad buffer is EFAULT", getcwd_raw((char *)8, 256), EFAULT);
	mkdir("sub", 0755);
	put_file("f", "");
	CHECK("chdir to a subdirectory", chdir("sub") == 0 && getcwd_raw(buf, sizeof(buf)) > 0 &&
						 strcmp(buf + len, "/sub") == 0);
	CHECK("chdir ..", chdir("..") == 0 && getcwd_raw(buf, sizeof(buf)) == len + 1);
	CHECK_ERRNO("chdir to a file is ENOTDIR", chdir("f"), ENOTDIR);
	CHECK_ERRNO("chdir to a missing name is ENOENT", chdir("missing"), ENOENT);
	CHECK_ERRNO("chdir to the empty path is ENOENT", chdir(""), ENOENT);
	int fd = open("f", O_RDONLY);
	CHECK_ERRNO("fchdir to a file is ENOTDIR", fchdir(fd), ENOTDIR);
	close(fd);
	CHECK_ERRNO("fchdir to a bad fd is EBADF", fchdir(99), EBADF);
	fd = open("sub", O_RDONLY);
	CHECK("fchdir to a directory fd", fchdir(fd) == 0 && getcwd_raw(buf, sizeof(buf)) > 0 &&
						  strcmp(buf + len, "/sub") == 0);
	close(fd);
	chdir("..");
	symlink("sub", "slink");
	CHECK("chdir through a symlink lands in the target",
	      chdir("slink") == 0 && getcwd_raw(buf, sizeof(buf)) > 0 &&
		      strcmp(buf + len, "/sub") == 0);
	chdir("..");
	mkdir("gone", 0755);
	chdir("gone");
	CHECK("rmdir of the working directory", rmdir("../gone") == 0);
	CHECK_ERRNO("getcwd in a removed directory is ENOENT", getcwd_raw(buf, sizeof(buf)),
		    ENOENT);
	CHECK("stat . in a removed directory shows no links",
	      stat(".", &st) == 0 && st.st_nlink == 0);
	CHECK_ERRNO("creating in a removed directory is ENOENT",
		    open("new", O_CREAT | O_WRONLY, 0644), ENOENT);
	CHECK_ERRNO("mkdir in a removed directory is ENOENT", mkdir("new", 0755), ENOENT);
	CHECK("chdir .. from a removed directory",
	      chdir("..") == 0 && getcwd_raw(buf, sizeof(buf)) == len + 1);
}

static void chroot_child(void)
{
	char buf[256], want[256];
	struct stat st;

	snprintf(want, sizeof(want), "(unreachable)%s/chroot", root_path);
	CHECK_ERRNO("chroot to a file is ENOTDIR", chroot("jail/marker"), ENOTDIR);
	CHECK_ERRNO("chroot to a missing name is ENOENT", chroot("missing"), ENOENT);
	CHECK("chroot as root", chroot("jail") == 0);
	CHECK("getcwd outside the new root is marked unreachable",
	      getcwd_raw(buf, sizeof(buf)) > 0 && strcmp(buf, want) == 0);
	CHECK("chdir / goes to the new root",
	      chdir("/") == 0 && getcwd_raw(buf, sizeof(buf)) == 2 && strcmp(buf, "/") == 0);
	CHECK("the new root holds the marker", stat("/marker", &st) == 0 && st.st_size == 1);
	CHECK(".. of the new root is itself",
	      ino_of("/..") == ino_of("/") && ino_of("/inner/../..") == ino_of("/"));
	symlink("/marker", "/inner/abs");
	CHECK("an absolute symlink resolves inside the new root",
	      stat("/inner/abs", &st) == 0 && st.st_size == 1);
	CHECK("chdir through .. stops at the new root",
	      chdir("/inner/../../..") == 0 && getcwd_raw(buf, sizeof(buf)) == 2);
	setresuid(1000, 1000, 1000);
	CHECK_ERRNO("chroot unprivileged is EPERM", chroot("/inner"), EPERM);
	_exit(0);
}

static void check_chroot(void)
{
	int status = -1;

	enter("chroot");
	mkdir("jail", 0755);
	mkdir("jail/inner", 0755);
	put_file("jail/marker", "m");
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0)
		chroot_child();
	CHECK("the chroot child ran", waitpid(pid, &status, 0) == pid && status == 0);
}

static int open2(int dirfd, const char *path, uint64_t flags, uint64_t resolve)
{
	struct open_how how = {.flags = flags, .resolve = resolve};

	return (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
}

/* True if openat2 opens something that is the same file as want (then closed). */
static int opens_as(int dirfd, const char *path, uint64_t flags, uint64_t resolve, const char *want)
{
	struct stat got, st;
	int fd = open2(dirfd, path, flags, resolve);
	int same = fd >= 0 && fstat(fd, &got) == 0 && lstat(want, &st) == 0 &&
		   got.st_ino == st.st_ino && got.st_dev == st.st_dev;

	if (fd >= 0)
		close(fd);
	return same;
}

static void check_resolve_flags(int dfd)
{
	CHECK_ERRNO("openat2 with an unknown resolve bit is EINVAL",
		    open2(dfd, "f", O_RDONLY, 0x40), EINVAL);
	CHECK_ERRNO("openat2 RESOLVE_BENEATH|RESOLVE_IN_ROOT is EINVAL",
		    open2(dfd, "f", O_RDONLY, RESOLVE_BENEATH | RESOLVE_IN_ROOT), EINVAL);
	CHECK_ERRNO("openat2 O_PATH with O_RDWR is EINVAL", open2(dfd, "f", O_PATH | O_RDWR, 0),
		    EINVAL);
	CHECK_ERRNO("RESOLVE_CACHED with O_CREAT is EAGAIN",
		    open2(dfd, "new", O_WRONLY | O_CREAT, RESOLVE_CACHED), EAGAIN);
	CHECK("RESOLVE_CACHED with O_CREAT creates nothing", !exists("d/new"));
	CHECK("RESOLVE_CACHED opens a name in the cache",
	      opens_as(dfd, "f", O_RDONLY, RESOLVE_CACHED, "d/f"));
}

static void check_resolve_symlinks(int dfd)
{
	struct stat st;
	char buf[64];
	int fd, pfd;

	CHECK("without resolve flags a middle symlink is followed",
	      opens_as(dfd, "rel/x", O_RDONLY, 0, "d/sub/x"));
	CHECK_ERRNO("RESOLVE_NO_SYMLINKS: a middle symlink is ELOOP",
		    open2(dfd, "rel/x", O_RDONLY, RESOLVE_NO_SYMLINKS), ELOOP);
	CHECK_ERRNO("RESOLVE_NO_SYMLINKS: a final symlink is ELOOP",
		    open2(dfd, "rel", O_RDONLY, RESOLVE_NO_SYMLINKS), ELOOP);
	fd = open2(dfd, "rel", O_PATH | O_NOFOLLOW, RESOLVE_NO_SYMLINKS);
	CHECK("RESOLVE_NO_SYMLINKS with O_PATH|O_NOFOLLOW opens the final symlink",
	      fd >= 0 && fstatat(fd, "", &st, AT_EMPTY_PATH) == 0 && S_ISLNK(st.st_mode));
	close(fd);
	fd = open("d/f", O_RDONLY);
	snprintf(buf, sizeof(buf), "/proc/self/fd/%d", fd);
	CHECK("a /proc/self/fd link opens without resolve flags",
	      opens_as(AT_FDCWD, buf, O_RDONLY, 0, "d/f"));
	CHECK_ERRNO("RESOLVE_NO_MAGICLINKS: /proc/self/fd/N is ELOOP",
		    open2(AT_FDCWD, buf, O_RDONLY, RESOLVE_NO_MAGICLINKS), ELOOP);
	CHECK_ERRNO("RESOLVE_NO_MAGICLINKS: /proc/self/exe is ELOOP",
		    open2(AT_FDCWD, "/proc/self/exe", O_RDONLY, RESOLVE_NO_MAGICLINKS), ELOOP);
	pfd = open2(AT_FDCWD, "/proc/self/exe", O_PATH | O_NOFOLLOW, RESOLVE_NO_MAGICLINKS);
	CHECK("RESOLVE_NO_MAGICLINKS with O_PATH|O_NOFOLLOW opens the magic link",
	      pfd >= 0 && fstatat(pfd, "", &st, AT_EMPTY_PATH) == 0 && S_ISLNK(st.st_mode));
	close(pfd);
	CHECK("RESOLVE_NO_MAGICLINKS still follows /proc/self",
	      opens_as(AT_FDCWD, "/proc/self/cwd", O_PATH | O_NOFOLLOW, RESOLVE_NO_MAGICLINKS,
		       "/proc/self/cwd"));
	close(fd);
}

static void check_resolve_scoped(int dfd)
{
	char buf[160];

	snprintf(buf, sizeof(buf), "%s/resolve/d/f", root_path);
	CHECK_ERRNO("RESOLVE_BENEATH: an absolute path is EXDEV",
		    open2(dfd, buf, O_RDONLY, RESOLVE_BENEATH), EXDEV);
	CHECK_ERRNO("RESOLVE_BENEATH: .. is EXDEV", open2(dfd, "..", O_RDONLY, RESOLVE_BENEATH),
		    EXDEV);
	CHECK("RESOLVE_BENEATH: sub/../f stays inside and opens",
	      opens_as(dfd, "sub/../f", O_RDONLY, RESOLVE_BENEATH, "d/f"));
	CHECK_ERRNO("RESOLVE_BENEATH: an absolute symlink is EXDEV",
		    open2(dfd, "abs/x", O_RDONLY, RESOLVE_BENEATH), EXDEV);
	CHECK_ERRNO("RESOLVE_BENEATH: a symlink to ../top is EXDEV",
		    open2(dfd, "up", O_RDONLY, RESOLVE_BENEATH), EXDEV);
	CHECK("RESOLVE_IN_ROOT: an absolute symlink resolves inside the dirfd",
	      opens_as(dfd, "inroot/x", O_RDONLY, RESOLVE_IN_ROOT, "d/sub/x"));
	CHECK("RESOLVE_IN_ROOT: .. at the root stays there",
	      opens_as(dfd, "../../f", O_RDONLY, RESOLVE_IN_ROOT, "d/f"));
	CHECK("RESOLVE_IN_ROOT: an absolute path starts at the dirfd",
	      opens_as(dfd, "/sub/x", O_RDONLY, RESOLVE_IN_ROOT, "d/sub/x"));
	int rfd = open("/", O_PATH | O_DIRECTORY);
	CHECK_ERRNO("RESOLVE_IN_ROOT: a magic link is EXDEV",
		    open2(rfd, "proc/self/exe", O_RDONLY, RESOLVE_IN_ROOT), EXDEV);
	close(rfd);
}

static void check_resolve_xdev(int dfd)
{
	int mfd;

	CHECK("RESOLVE_NO_XDEV: a walk inside one mount opens",
	      opens_as(dfd, "sub/x", O_RDONLY, RESOLVE_NO_XDEV, "d/sub/x"));
	CHECK("a tmpfs mounts on d/mnt", mount("tmpfs", "d/mnt", "tmpfs", 0, "mode=0755") == 0);
	put_file("d/mnt/inner", "i");
	CHECK_ERRNO("RESOLVE_NO_XDEV: crossing into a mount is EXDEV",
		    open2(dfd, "mnt/inner", O_RDONLY, RESOLVE_NO_XDEV), EXDEV);
	CHECK_ERRNO("RESOLVE_NO_XDEV: a mountpoint as the last name is EXDEV",
		    open2(dfd, "mnt", O_PATH, RESOLVE_NO_XDEV), EXDEV);
	mfd = open("d/mnt", O_PATH | O_DIRECTORY);
	CHECK("RESOLVE_NO_XDEV: names inside the mount open",
	      opens_as(mfd, "inner", O_RDONLY, RESOLVE_NO_XDEV, "d/mnt/inner"));
	CHECK_ERRNO("RESOLVE_NO_XDEV: .. out of a mount is EXDEV",
		    open2(mfd, "../f", O_RDONLY, RESOLVE_NO_XDEV), EXDEV);
	close(mfd);
	umount("d/mnt");
}

/*
 * In a chroot to the scratch tmpfs, the root and the walk share a mount:
 * NO_XDEV allows an absolute symlink once ".." has fetched the root, but
 * (as Linux's nd_jump_root) not in a relative walk that has not.
 */
static void xdev_chroot_child(void)
{
	int dfd;

	if (chroot(root_path) != 0 || chdir("/resolve") != 0)
		_exit(1);
	dfd = open("d", O_PATH | O_DIRECTORY);
	CHECK_ERRNO("RESOLVE_NO_XDEV: an absolute symlink before any .. is EXDEV",
		    open2(dfd, "jail", O_RDONLY, RESOLVE_NO_XDEV), EXDEV);
	CHECK("RESOLVE_NO_XDEV: an absolute symlink on the root's mount after ..",
	      opens_as(dfd, "../d/jail/x", O_RDONLY, RESOLVE_NO_XDEV, "/resolve/d/sub/x"));
	_exit(0);
}

static void check_resolve(void)
{
	char buf[160];
	int status = -1;
	int dfd;

	enter("resolve");
	mkdir("d", 0755);
	mkdir("d/sub", 0755);
	mkdir("d/mnt", 0755);
	put_file("d/f", "f");
	put_file("d/sub/x", "x");
	put_file("top", "t");
	symlink("sub", "d/rel");
	snprintf(buf, sizeof(buf), "%s/resolve/d/sub", root_path);
	symlink(buf, "d/abs");
	symlink("../top", "d/up");
	symlink("/sub", "d/inroot");
	symlink("/resolve/d/sub", "d/jail");
	if (access("/proc/self", F_OK) != 0) {
		mkdir("/proc", 0555);
		mount("proc", "/proc", "proc", 0, NULL);
	}
	dfd = open("d", O_PATH | O_DIRECTORY);
	check_resolve_flags(dfd);
	check_resolve_symlinks(dfd);
	check_resolve_scoped(dfd);
	check_resolve_xdev(dfd);
	close(dfd);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0)
		xdev_chroot_child();
	CHECK("the RESOLVE_NO_XDEV chroot child ran",
	      waitpid(pid, &status, 0) == pid && status == 0);
}

int main(void)
{
	check_area = "namei";
	umask(022);
	scratch_mount("namei");
	check_mkdir();
	check_rmdir();
	check_unlink();
	check_rename();
	check_renameat2();
	check_link();
	check_symlink();
	check_symlink_limits();
	check_name_limits();
	check_dots();
	check_getdents();
	check_cwd();
	check_chroot();
	check_resolve();
	return check_failures ? 1 : 0;
}
