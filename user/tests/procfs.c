// SPDX-License-Identifier: MIT
/*
 * Guest test: /proc. Mounts proc at /proc if nothing is there (as both
 * kernels boot this initramfs without it), then checks the caller's own
 * entries against the syscalls that report the same facts, a child's
 * entries while it lives, is a zombie and after it is reaped, and the
 * system-wide files busybox's ps, top, free, uptime and mount read.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "util.h"

#define PROC_SUPER_MAGIC 0x9fa0

static char text[65536];

/* Reads path whole into text (NUL-terminated); the length, or -1. */
static long read_file(const char *path)
{
	int fd = open(path, O_RDONLY);
	long len = 0;

	if (fd < 0)
		return -1;
	for (;;) {
		long n = read(fd, text + len, sizeof(text) - 1 - (size_t)len);
		if (n <= 0)
			break;
		len += n;
	}
	close(fd);
	text[len] = '\0';
	return len;
}

static bool link_is(const char *path, const char *want)
{
	char buf[4096];
	long n = readlink(path, buf, sizeof(buf) - 1);

	if (n < 0)
		return false;
	buf[n] = '\0';
	return strcmp(buf, want) == 0;
}

static bool dir_has(const char *path, const char *name)
{
	DIR *d = opendir(path);
	struct dirent *e;
	bool found = false;

	if (!d)
		return false;
	while (!found && (e = readdir(d)))
		found = strcmp(e->d_name, name) == 0;
	closedir(d);
	return found;
}

/* Fields of a stat line after "(comm)", 1-based as in proc(5): field 3 is the state. */
static int stat_fields(char *line, char **fields, int max)
{
	char *p = strrchr(line, ')');
	int n = 2;

	if (!p)
		return 0;
	for (char *tok = strtok(p + 1, " \n"); tok && n < max; tok = strtok(NULL, " \n"))
		fields[++n] = tok;
	return n;
}

static void check_mount(void)
{
	struct statfs sf;

	if (access("/proc/self", F_OK) != 0) {
		mkdir("/proc", 0555);
		CHECK("mount -t proc", mount("proc", "/proc", "proc", 0, NULL) == 0);
	}
	CHECK("statfs /proc is PROC_SUPER_MAGIC",
	      statfs("/proc", &sf) == 0 && sf.f_type == PROC_SUPER_MAGIC);
	CHECK("/proc/mounts lists /proc",
	      read_file("/proc/mounts") > 0 && strstr(text, " /proc proc rw") != NULL);
	CHECK("/proc/mounts is a link to self/mounts", link_is("/proc/mounts", "self/mounts"));
	CHECK("/proc/filesystems has proc",
	      read_file("/proc/filesystems") > 0 && strstr(text, "nodev\tproc\n") != NULL);
}

static void check_self_links(const char *argv0)
{
	char want[64];

	snprintf(want, sizeof(want), "%d", getpid());
	CHECK("readlink /proc/self is the pid", link_is("/proc/self", want));
	snprintf(want, sizeof(want), "%d/task/%ld", getpid(), (long)syscall(SYS_gettid));
	CHECK("readlink /proc/thread-self", link_is("/proc/thread-self", want));
	CHECK("readlink /proc/self/exe is the program", link_is("/proc/self/exe", argv0));
	CHECK("readlink /proc/self/root is /", link_is("/proc/self/root", "/"));
	CHECK("readlink /proc/self/cwd is /", link_is("/proc/self/cwd", "/"));
	mkdir("/procfs_dir", 0755);
	CHECK("chdir", chdir("/procfs_dir") == 0);
	CHECK("readlink /proc/self/cwd follows chdir", link_is("/proc/self/cwd", "/procfs_dir"));
	CHECK("chdir back", chdir("/") == 0);
	rmdir("/procfs_dir");
	snprintf(want, sizeof(want), "%d", getpid());
	CHECK("getdents /proc lists the caller's pid", dir_has("/proc", want));
	CHECK("getdents /proc lists self", dir_has("/proc", "self"));
	CHECK("getdents /proc/self/task lists the tid", dir_has("/proc/self/task", want));
}

static void check_stat(const char *comm)
{
	char *f[64] = {0};
	char head[64];

	CHECK("read /proc/self/stat", read_file("/proc/self/stat") > 0);
	snprintf(head, sizeof(head), "%d (%s) R ", getpid(), comm);
	CHECK("stat starts with pid (comm) R", strncmp(text, head, strlen(head)) == 0);
	int n = stat_fields(text, f, 64);
	CHECK("stat has 52 fields", n == 52);
	CHECK("stat ppid is getppid", f[4] && atoi(f[4]) == getppid());
	CHECK("stat pgrp is getpgrp", f[5] && atoi(f[5]) == getpgrp());
	CHECK("stat session is getsid", f[6] && atoi(f[6]) == getsid(0));
	CHECK("stat num_threads is 1", f[20] && atoi(f[20]) == 1);
	CHECK("stat vsize is not 0", f[23] && strtoull(f[23], NULL, 10) > 0);
	CHECK("stat exit_signal is SIGCHLD", f[38] && atoi(f[38]) == SIGCHLD);

	int fd = open("/proc/self/stat", O_RDONLY);
	char a[16] = {0}, b[16] = {0};
	CHECK("stat reads again after lseek 0",
	      fd >= 0 && read(fd, a, 15) == 15 && lseek(fd, 0, SEEK_SET) == 0 &&
		      read(fd, b, 15) == 15 && memcmp(a, b, 15) == 0);
	close(fd);
}

static bool has_line(const char *want)
{
	return strstr(text, want) != NULL;
}

static void check_status(const char *comm)
{
	char want[128];
	struct stat st;

	CHECK("read /proc/self/status", read_file("/proc/self/status") > 0);
	snprintf(want, sizeof(want), "Name:\t%s\n", comm);
	CHECK("status starts with Name", strncmp(text, want, strlen(want)) == 0);
	snprintf(want, sizeof(want), "\nTgid:\t%d\n", getpid());
	CHECK("status Tgid", has_line(want));
	snprintf(want, sizeof(want), "\nPid:\t%d\nPPid:\t%d\n", getpid(), getppid());
	CHECK("status Pid and PPid", has_line(want));
	snprintf(want, sizeof(want), "\nUid:\t%d\t%d\t%d\t%d\n", getuid(), geteuid(), getuid(),
		 geteuid());
	CHECK("status Uid", has_line(want));
	snprintf(want, sizeof(want), "\nGid:\t%d\t%d\t%d\t%d\n", getgid(), getegid(), getgid(),
		 getegid());
	CHECK("status Gid", has_line(want));
	CHECK("status State is running", has_line("\nState:\tR (running)\n"));
	CHECK("status Umask", has_line("\nUmask:\t0022\n"));
	CHECK("status VmRSS in kB", has_line("\nVmRSS:\t") && has_line(" kB\n"));
	CHECK("status Threads", has_line("\nThreads:\t1\n"));
	CHECK("status SigBlk", has_line("\nSigBlk:\t0000000000000000\n"));
	CHECK("status file mode 0444",
	      stat("/proc/self/status", &st) == 0 && st.st_mode == (S_IFREG | 0444));
	CHECK("/proc/self owned by euid",
	      stat("/proc/self/", &st) == 0 && st.st_uid == geteuid() && S_ISDIR(st.st_mode));
}

static void check_statm_comm_cmdline(int argc, char **argv, const char *comm)
{
	unsigned long v[7];
	char want[64];

	CHECK("read /proc/self/statm", read_file("/proc/self/statm") > 0);
	CHECK("statm has 7 numbers, size >= resident > 0",
	      sscanf(text, "%lu %lu %lu %lu %lu %lu %lu", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
		     &v[6]) == 7 &&
		      v[0] >= v[1] && v[1] > 0);
	snprintf(want, sizeof(want), "%s\n", comm);
	CHECK("comm is the program name", read_file("/proc/self/comm") > 0 && !strcmp(text, want));

	long len = read_file("/proc/self/cmdline");
	long pos = 0;
	bool same = len > 0;
	for (int i = 0; same && i < argc; i++) {
		same = pos < len && strcmp(text + pos, argv[i]) == 0;
		pos += (long)strlen(argv[i]) + 1;
	}
	CHECK("cmdline is argv", same && pos == len);
	len = read_file("/proc/self/environ");
	pos = 0;
	same = len >= 0;
	for (char **e = environ; same && *e; e++) {
		same = pos < len && strcmp(text + pos, *e) == 0;
		pos += (long)strlen(*e) + 1;
	}
	CHECK("environ is the environment", same && pos == len);
}

static void check_maps(void)
{
	char want[64];
	char *p = mmap(NULL, 5 * 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned long a = (unsigned long)p;

	/* Writable pages 1 and 3 between read-only ones: no neighbour can merge with them. */
	CHECK("mmap", p != MAP_FAILED);
	CHECK("mprotect pages 1 and 3",
	      mprotect(p + 4096, 4096, PROT_READ | PROT_WRITE) == 0 &&
		      mprotect(p + 3 * 4096, 4096, PROT_READ | PROT_WRITE) == 0);
	CHECK("read /proc/self/maps", read_file("/proc/self/maps") > 0);
	snprintf(want, sizeof(want), "\n%08lx-%08lx rw-p 00000000 00:00 0 \n", a + 4096, a + 8192);
	CHECK("maps lists a writable page", has_line(want));
	snprintf(want, sizeof(want), "\n%08lx-%08lx r--p 00000000 00:00 0 \n", a + 8192, a + 12288);
	CHECK("maps lists the read-only page between", has_line(want));
	CHECK("maps names the stack", has_line(" [stack]\n"));
	munmap(p, 5 * 4096);
	CHECK("maps drops an unmapped area", read_file("/proc/self/maps") > 0 && !has_line(want));
}

/*
 * The maps line Linux's show_map_vma prints for a file mapping at a with
 * len bytes: the fields, then the path from column 74 (seq_pad to 72,
 * then a space).
 */
static void map_line(char *out, size_t size, unsigned long a, unsigned long len, const char *perms,
		     unsigned long offset, const struct stat *st, const char *path)
{
	int n = snprintf(out, size, "\n%08lx-%08lx %s %08lx %02x:%02x %lu ", a, a + len, perms,
			 offset, major(st->st_dev), minor(st->st_dev), (unsigned long)st->st_ino);

	/* The leading newline is not part of the line's columns. */
	while (n < 1 + 72 && (size_t)n < size - 1)
		out[n++] = ' ';
	snprintf(out + n, size - (size_t)n, " %s\n", path);
}

static void check_maps_file(void)
{
	char path[128], deleted[160], want[512];
	struct stat st;
	char buf[3 * 4096];

	scratch_mount("procfs");
	snprintf(path, sizeof(path), "%s/mapped", root_path);
	snprintf(deleted, sizeof(deleted), "%s (deleted)", path);
	memset(buf, 'm', sizeof(buf));
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK("maps: a file to map is made",
	      fd >= 0 && write(fd, buf, sizeof(buf)) == (ssize_t)sizeof(buf) &&
		      fstat(fd, &st) == 0);
	char *sh = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 4096);
	char *pr = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 2 * 4096);
	CHECK("maps: the file is mapped shared and private", sh != MAP_FAILED && pr != MAP_FAILED);
	read_file("/proc/self/maps");
	map_line(want, sizeof(want), (unsigned long)sh, 2 * 4096, "rw-s", 4096, &st, path);
	CHECK("maps: a shared file mapping shows offset, device, inode and path", has_line(want));
	map_line(want, sizeof(want), (unsigned long)pr, 4096, "r--p", 2 * 4096, &st, path);
	CHECK("maps: a private one too", has_line(want));
	CHECK("maps: an unlinked file is (deleted)",
	      unlink(path) == 0 && read_file("/proc/self/maps") > 0);
	map_line(want, sizeof(want), (unsigned long)sh, 2 * 4096, "rw-s", 4096, &st, deleted);
	CHECK("maps: an unlinked file's path ends in (deleted)", has_line(want));
	munmap(sh, 2 * 4096);
	munmap(pr, 4096);
	close(fd);
	close(root_fd);
	CHECK("maps: the scratch tmpfs unmounts", umount(root_path) == 0);
}

/*
 * The inode number in the maps line of the area at a with len bytes and
 * perms, if the line is exactly Linux's for shared anonymous memory
 * (shmem_zero_setup's file): offset, dev 00:01, an inode, and
 * "/dev/zero (deleted)" as the path; 0 otherwise.
 */
static unsigned long shared_anon_ino(unsigned long a, unsigned long len, const char *perms,
				     unsigned long offset)
{
	char head[64], want[512];
	struct stat st = {.st_dev = makedev(0, 1)};

	if (read_file("/proc/self/maps") <= 0)
		return 0;
	snprintf(head, sizeof(head), "\n%08lx-%08lx ", a, a + len);
	const char *line = strstr(text, head);
	if (!line)
		return 0;
	if (sscanf(line + strlen(head), "%*s %*s %*s %lu", &st.st_ino) != 1)
		return 0;
	map_line(want, sizeof(want), a, len, perms, offset, &st, "/dev/zero (deleted)");
	return strncmp(line, want, strlen(want)) == 0 ? st.st_ino : 0;
}

static void check_maps_shared_anon(void)
{
	char *p = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char *q = mmap(NULL, 4096, PROT_READ, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	unsigned long a = (unsigned long)p;

	CHECK("maps: shared anonymous memory is mapped", p != MAP_FAILED && q != MAP_FAILED);
	unsigned long ino = shared_anon_ino(a, 3 * 4096, "rw-s", 0);
	CHECK("maps: shared anonymous memory is /dev/zero (deleted) on 00:01", ino != 0);
	unsigned long other = shared_anon_ino((unsigned long)q, 4096, "r--s", 0);
	CHECK("maps: another shared anonymous area has an inode of its own",
	      other != 0 && other != ino);
	munmap(p, 4096);
	CHECK("maps: its tail keeps the inode, at page offset 1",
	      shared_anon_ino(a + 4096, 2 * 4096, "rw-s", 4096) == ino);
	char *r = mremap(p + 4096, 2 * 4096, 3 * 4096, MREMAP_MAYMOVE);
	CHECK("maps: mremap'd shared anonymous memory keeps name, inode and offset",
	      r != MAP_FAILED && shared_anon_ino((unsigned long)r, 3 * 4096, "rw-s", 4096) == ino);
	munmap(r, 3 * 4096);
	munmap(q, 4096);
}

static void check_fds(void)
{
	char path[64], name[16];
	int fd = open("/procfs_file", O_RDWR | O_CREAT | O_TRUNC, 0644);

	CHECK("open a file", fd >= 0);
	snprintf(name, sizeof(name), "%d", fd);
	CHECK("getdents /proc/self/fd lists it", dir_has("/proc/self/fd", name));
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	CHECK("readlink /proc/self/fd/N is its path", link_is(path, "/procfs_file"));
	CHECK("write", write(fd, "abc", 3) == 3);
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	CHECK("fdinfo has pos and flags",
	      read_file(path) > 0 && strncmp(text, "pos:\t3\nflags:\t0100002\n", 22) == 0);
	close(fd);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	errno = 0;
	CHECK("a closed fd is ENOENT", readlink(path, name, sizeof(name)) < 0 && errno == ENOENT);
	unlink("/procfs_file");
}

static void check_child(void)
{
	char path[64];
	char *f[64] = {0};
	pid_t pid = fork();

	if (pid == 0) {
		pause();
		_exit(0);
	}
	CHECK("fork", pid > 0);
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	CHECK("a child's stat names the parent",
	      read_file(path) > 0 && stat_fields(text, f, 64) == 52 && atoi(f[4]) == getpid());
	kill(pid, SIGKILL);
	siginfo_t si;
	CHECK("waitid WNOWAIT", waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT) == 0);
	CHECK("a zombie's state is Z",
	      read_file(path) > 0 && stat_fields(text, f, 64) == 52 && strcmp(f[3], "Z") == 0);
	CHECK("reap", waitpid(pid, NULL, 0) == pid);
	struct stat st;
	snprintf(path, sizeof(path), "/proc/%d", pid);
	errno = 0;
	CHECK("a reaped pid is ENOENT", stat(path, &st) < 0 && errno == ENOENT);
}

static void check_system(void)
{
	struct utsname u;
	char want[128];
	double up1 = 0, up2 = 0, idle = -1;

	CHECK("uptime format", read_file("/proc/uptime") > 0 &&
				       sscanf(text, "%lf %lf", &up1, &idle) == 2 && up1 > 0 &&
				       idle >= 0);
	usleep(20000);
	CHECK("uptime grows",
	      read_file("/proc/uptime") > 0 && sscanf(text, "%lf", &up2) == 1 && up2 > up1);
	CHECK("meminfo keys", read_file("/proc/meminfo") > 0 && !strncmp(text, "MemTotal:", 9) &&
				      has_line("\nMemFree:") && has_line("\nMemAvailable:") &&
				      has_line("\nBuffers:") && has_line("\nCached:") &&
				      has_line("\nSwapTotal:") && has_line("\nSwapFree:"));
	unsigned long kb = 0;
	CHECK("meminfo MemTotal in kB", sscanf(text, "MemTotal: %lu kB", &kb) == 1 && kb > 1024);
	CHECK("stat has cpu and btime",
	      read_file("/proc/stat") > 0 && !strncmp(text, "cpu  ", 5) && has_line("\nbtime "));
	int r = 0, t = 0, last = 0;
	double l1 = -1;
	CHECK("loadavg format",
	      read_file("/proc/loadavg") > 0 &&
		      sscanf(text, "%lf %*f %*f %d/%d %d", &l1, &r, &t, &last) == 4 && r >= 1 &&
		      t >= r && last > 0);
	CHECK("version", read_file("/proc/version") > 0 && !strncmp(text, "Linux version ", 14));
	CHECK("cpuinfo has processor 0",
	      read_file("/proc/cpuinfo") > 0 && !strncmp(text, "processor\t: 0\n", 14));
	uname(&u);
	snprintf(want, sizeof(want), "%s\n", u.release);
	CHECK("osrelease is uname's",
	      read_file("/proc/sys/kernel/osrelease") > 0 && !strcmp(text, want));
	CHECK("ostype is Linux",
	      read_file("/proc/sys/kernel/ostype") > 0 && !strcmp(text, "Linux\n"));
	CHECK("pid_max", read_file("/proc/sys/kernel/pid_max") > 0 && atoi(text) >= 32768);
	snprintf(want, sizeof(want), "%s\n", u.nodename);
	CHECK("hostname is uname's",
	      read_file("/proc/sys/kernel/hostname") > 0 && !strcmp(text, want));
	int fd = open("/proc/sys/kernel/hostname", O_WRONLY);
	CHECK("write hostname", fd >= 0 && write(fd, "procfs-test\n", 12) == 12);
	close(fd);
	CHECK("uname sees the new hostname",
	      uname(&u) == 0 && strcmp(u.nodename, "procfs-test") == 0);
	CHECK("sethostname back", sethostname(want, strlen(want) - 1) == 0);
	fd = open("/proc/sys/kernel/ostype", O_RDONLY);
	errno = 0;
	CHECK("write on a read-only open is EBADF",
	      fd >= 0 && write(fd, "x", 1) < 0 && errno == EBADF);
	close(fd);
}

int main(int argc, char **argv)
{
	const char *base = strrchr(argv[0], '/');
	char comm[16];

	check_area = "procfs";
	snprintf(comm, sizeof(comm), "%s", base ? base + 1 : argv[0]);
	check_mount();
	check_self_links(argv[0]);
	check_stat(comm);
	check_status(comm);
	check_statm_comm_cmdline(argc, argv, comm);
	check_maps();
	check_maps_file();
	check_maps_shared_anon();
	check_fds();
	check_child();
	check_system();
	return check_failures ? 1 : 0;
}
