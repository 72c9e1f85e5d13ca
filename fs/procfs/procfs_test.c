// SPDX-License-Identifier: MIT
/*
 * Host tests for procfs (fs/procfs/) over a fake provider: the fixed
 * tree, per-process directories that vanish when the process dies or
 * its pid is reused (even while cached), descriptor links, generated
 * files regenerated at offset 0, writes, getdents, and the exact text
 * of the stat and maps line formats.
 */
#include <asm-generic/mman-common.h>
#include <tern/errno.h>
#include <tern/procfs.h>
#include <tern/string.h>
#include <tern/vfs_testing.h>

/* The fake system: pid 1 (root) and pid 42 (uid 1000) with threads 42, 43. */
static struct {
	bool alive42;
	uint64_t identity42;
	bool fd5_open;
	int nr_shows;
	char stored[64];
} fake;

static void fake_self(int *pid, int *tid)
{
	*pid = 42;
	*tid = 43;
}

static int fake_list(enum procfs_list what, int pid, int tid, int after, int *out, int max)
{
	static const int pids[] = {1, 42};
	static const int tids[] = {42, 43};
	static const int fds[] = {0, 1, 5};
	const int *ids = what == PROCFS_LIST_PIDS ? pids : what == PROCFS_LIST_TIDS ? tids : fds;
	int nr_ids = what == PROCFS_LIST_FDS ? 3 : 2;
	int n = 0;

	(void)tid;
	if (what != PROCFS_LIST_PIDS && (pid != 42 || !fake.alive42))
		return 0;
	for (int i = 0; i < nr_ids && n < max; i++) {
		if (ids[i] <= after || (what == PROCFS_LIST_PIDS && ids[i] == 42 && !fake.alive42))
			continue;
		if (what == PROCFS_LIST_FDS && ids[i] == 5 && !fake.fd5_open)
			continue;
		out[n++] = ids[i];
	}
	return n;
}

static int fake_owner(int pid, int tid, struct procfs_owner *out)
{
	if (pid == 1 && (tid == 0 || tid == 1)) {
		*out = (struct procfs_owner){.uid = 0, .gid = 0, .identity = 1};
		return 0;
	}
	if (pid == 42 && fake.alive42 && (tid == 0 || tid == 42 || tid == 43)) {
		*out = (struct procfs_owner){.uid = 1000, .gid = 100, .identity = fake.identity42};
		return 0;
	}
	return -ENOENT;
}

static bool fake_has_fd(int pid, int tid, int fd)
{
	(void)tid;
	return pid == 42 && (fd == 0 || fd == 1 || (fd == 5 && fake.fd5_open));
}

static int fake_get_link(enum procfs_link what, int pid, int tid, int fd, char *buf, size_t size,
			 size_t *len)
{
	(void)tid;
	if (what == PROCFS_LINK_FD)
		*len = (size_t)ksnprintf(buf, size, "/dev/fd%d-of-%d", fd, pid);
	else
		*len = strlcpy(buf, what == PROCFS_LINK_CWD ? "/home" : "/", size);
	return 0;
}

static int fake_show(enum procfs_file what, int pid, int tid, int fd, struct procfs_buf *b)
{
	fake.nr_shows++;
	if (what == PROCFS_MEMINFO)
		procfs_printf(b, "MemTotal: %d\n", fake.nr_shows);
	else
		procfs_printf(b, "file %d pid %d tid %d fd %d\n", (int)what, pid, tid, fd);
	return 0;
}

static int fake_store(enum procfs_file what, int pid, int tid, const char *data, size_t len)
{
	(void)pid;
	(void)tid;
	if (what != PROCFS_SYS_HOSTNAME || len >= sizeof(fake.stored))
		return -EINVAL;
	memcpy(fake.stored, data, len);
	fake.stored[len] = '\0';
	return 0;
}

static const struct procfs_provider fake_provider = {
	.self = fake_self,
	.list = fake_list,
	.owner = fake_owner,
	.has_fd = fake_has_fd,
	.get_link = fake_get_link,
	.show = fake_show,
	.store = fake_store,
};

static bool setup(struct ktest *t, struct vfs_fixture *f)
{
	struct super_block *sb;

	fake.alive42 = true;
	fake.identity42 = 7;
	fake.fd5_open = true;
	fake.nr_shows = 0;
	if (!vfs_fixture_setup(t, f))
		return false;
	if (!KEXPECT_EQ(vfs_mkdir(&f->ctx, NULL, "/proc", 0555), 0) ||
	    !KEXPECT_EQ(procfs_create(f->vfs, &fake_provider, &sb), 0))
		return false;
	bool ok = KEXPECT_EQ(vfs_mount(&f->ctx, NULL, "/proc", sb, MNT_RELATIME), 0);
	vfs_super_put(sb);
	return ok;
}

static char text[256];

/* Reads pathname whole into text; returns -errno or the length. */
static long read_text(struct vfs_fixture *f, const char *pathname)
{
	size_t len;
	int err = fx_read_file(f, pathname, text, sizeof(text) - 1, &len);

	if (err)
		return err;
	text[len] = '\0';
	return (long)len;
}

static long read_link(struct vfs_fixture *f, const char *pathname)
{
	size_t len;
	int err = vfs_readlink(&f->ctx, NULL, pathname, text, sizeof(text) - 1, &len);

	if (err)
		return err;
	text[len] = '\0';
	return (long)len;
}

/* True if getdents of pathname lists name. */
static bool dir_has(struct vfs_fixture *f, const char *pathname, const char *name)
{
	static char buf[4096];
	struct file *file;
	size_t done;
	bool found = false;

	if (fx_open(f, pathname, O_RDONLY | O_DIRECTORY, 0, &file) != 0)
		return false;
	while (!found && vfs_getdents64(file, buf, sizeof(buf), &done) == 0 && done) {
		for (size_t pos = 0; pos < done;) {
			struct vfs_dirent64 *d = (struct vfs_dirent64 *)(void *)(buf + pos);

			found |= strcmp(d->d_name, name) == 0;
			pos += d->d_reclen;
		}
	}
	file_put(file);
	return found;
}

KTEST(procfs, test_procfs_fixed_tree_and_self_links)
{
	struct vfs_fixture f;
	struct kstat st;

	KASSERT(setup(t, &f));
	KEXPECT_EQ(fx_stat(&f, "/proc", false, &st), 0);
	KEXPECT_EQ(st.mode, S_IFDIR | 0555);
	KEXPECT_EQ(fx_stat(&f, "/proc/meminfo", false, &st), 0);
	KEXPECT_EQ(st.mode, S_IFREG | 0444);
	KEXPECT_EQ(st.size, 0);
	KEXPECT_EQ(fx_stat(&f, "/proc/sys/kernel/hostname", false, &st), 0);
	KEXPECT_EQ(st.mode, S_IFREG | 0644);
	KEXPECT_EQ(read_link(&f, "/proc/self"), 2);
	KEXPECT(strcmp(text, "42") == 0);
	KEXPECT_EQ(read_link(&f, "/proc/thread-self"), 10);
	KEXPECT(strcmp(text, "42/task/43") == 0);
	KEXPECT_EQ(read_link(&f, "/proc/mounts"), 11);
	KEXPECT(strcmp(text, "self/mounts") == 0);
	KEXPECT(read_text(&f, "/proc/mounts") > 0);
	KEXPECT(strcmp(text, "file 8 pid 42 tid 0 fd -1\n") == 0);
	KEXPECT(read_text(&f, "/proc/thread-self/stat") > 0);
	KEXPECT(strcmp(text, "file 1 pid 42 tid 43 fd -1\n") == 0);
	KEXPECT_EQ(fx_stat(&f, "/proc/nope", false, &st), -ENOENT);
	KEXPECT_EQ(fx_stat(&f, "/proc/042", false, &st), -ENOENT);
	KEXPECT_EQ(fx_stat(&f, "/proc/7", false, &st), -ENOENT);
	KEXPECT(dir_has(&f, "/proc", "self"));
	KEXPECT(dir_has(&f, "/proc", "meminfo"));
	KEXPECT(dir_has(&f, "/proc", "1"));
	KEXPECT(dir_has(&f, "/proc", "42"));
	KEXPECT(dir_has(&f, "/proc/sys/kernel", "osrelease"));
	KEXPECT(dir_has(&f, "/proc/42/task", "43"));
	KEXPECT(dir_has(&f, "/proc/42", "status"));
	KEXPECT(!dir_has(&f, "/proc/42/task/43", "task"));
	vfs_fixture_teardown(t, &f);
}

KTEST(procfs, test_procfs_pid_dir_owned_by_process)
{
	struct vfs_fixture f;
	struct kstat st;

	KASSERT(setup(t, &f));
	KEXPECT_EQ(fx_stat(&f, "/proc/42", false, &st), 0);
	KEXPECT_EQ(st.mode, S_IFDIR | 0555);
	KEXPECT_EQ(st.uid, 1000);
	KEXPECT_EQ(st.gid, 100);
	KEXPECT_EQ(fx_stat(&f, "/proc/42/environ", false, &st), 0);
	KEXPECT_EQ(st.mode, S_IFREG | 0400);
	KEXPECT_EQ(st.uid, 1000);
	KEXPECT_EQ(fx_stat(&f, "/proc/1/stat", false, &st), 0);
	KEXPECT_EQ(st.uid, 0);
	vfs_fixture_teardown(t, &f);
}

KTEST(procfs, test_procfs_dead_pid_is_enoent_even_when_cached)
{
	struct vfs_fixture f;
	struct kstat st;
	struct file *held;

	KASSERT(setup(t, &f));
	KEXPECT_EQ(fx_stat(&f, "/proc/42/status", false, &st), 0);
	KASSERT_EQ(fx_open(&f, "/proc/42/stat", O_RDONLY, 0, &held), 0);
	fake.alive42 = false;
	KEXPECT_EQ(fx_stat(&f, "/proc/42/status", false, &st), -ENOENT);
	KEXPECT_EQ(fx_stat(&f, "/proc/42", false, &st), -ENOENT);
	KEXPECT(!dir_has(&f, "/proc", "42"));
	/* The pid comes back as another process: a new directory. */
	fake.alive42 = true;
	fake.identity42 = 8;
	KEXPECT_EQ(fx_stat(&f, "/proc/42/status", false, &st), 0);
	file_put(held);
	vfs_fixture_teardown(t, &f);
}

KTEST(procfs, test_procfs_fd_links_follow_the_table)
{
	struct vfs_fixture f;
	struct kstat st;

	KASSERT(setup(t, &f));
	KEXPECT(dir_has(&f, "/proc/42/fd", "5"));
	KEXPECT(dir_has(&f, "/proc/42/fdinfo", "1"));
	KEXPECT_EQ(fx_stat(&f, "/proc/42/fd/5", true, &st), 0);
	KEXPECT_EQ(st.mode & S_IFMT, S_IFLNK);
	KEXPECT(read_link(&f, "/proc/42/task/43/fd/5") > 0);
	KEXPECT(strcmp(text, "/dev/fd5-of-42") == 0);
	KEXPECT(read_text(&f, "/proc/42/fdinfo/5") > 0);
	KEXPECT(strcmp(text, "file 9 pid 42 tid 0 fd 5\n") == 0);
	fake.fd5_open = false;
	KEXPECT_EQ(fx_stat(&f, "/proc/42/fd/5", true, &st), -ENOENT);
	KEXPECT(!dir_has(&f, "/proc/42/fd", "5"));
	KEXPECT(read_link(&f, "/proc/42/cwd") > 0);
	KEXPECT(strcmp(text, "/home") == 0);
	vfs_fixture_teardown(t, &f);
}

KTEST(procfs, test_procfs_read_at_zero_regenerates)
{
	struct vfs_fixture f;
	struct file *file;
	char buf[32];
	size_t len;
	int64_t pos;

	KASSERT(setup(t, &f));
	KASSERT_EQ(fx_open(&f, "/proc/meminfo", O_RDONLY, 0, &file), 0);
	KEXPECT_EQ(vfs_read(file, buf, 4, &len), 0);
	KEXPECT(len == 4 && memcmp(buf, "MemT", 4) == 0);
	KEXPECT_EQ(vfs_read(file, buf, sizeof(buf), &len), 0);
	KEXPECT(len == 8 && memcmp(buf, "otal: 1\n", 8) == 0);
	KEXPECT_EQ(vfs_read(file, buf, sizeof(buf), &len), 0);
	KEXPECT_EQ(len, 0);
	KEXPECT_EQ(vfs_lseek(file, 0, SEEK_SET, &pos), 0);
	KEXPECT_EQ(vfs_read(file, buf, sizeof(buf), &len), 0);
	KEXPECT(len == 12 && memcmp(buf, "MemTotal: 2\n", 12) == 0);
	KEXPECT_EQ(vfs_write(file, "x", 1, &len), -EBADF);
	file_put(file);
	vfs_fixture_teardown(t, &f);
}

KTEST(procfs, test_procfs_hostname_write_reaches_provider)
{
	struct vfs_fixture f;
	struct file *file;
	size_t len;

	KASSERT(setup(t, &f));
	KASSERT_EQ(fx_open(&f, "/proc/sys/kernel/hostname", O_WRONLY, 0, &file), 0);
	KEXPECT_EQ(vfs_write(file, "tern\n", 5, &len), 0);
	KEXPECT_EQ(len, 5);
	KEXPECT(strcmp(fake.stored, "tern\n") == 0);
	file_put(file);
	fx_become_user(&f, 1000, 1000);
	KEXPECT_EQ(fx_open(&f, "/proc/sys/kernel/hostname", O_WRONLY, 0, &file), -EACCES);
	KEXPECT_EQ(fx_open(&f, "/proc/meminfo", O_WRONLY, 0, &file), -EACCES);
	fx_become_root(&f);
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, "/proc/x", 0755), -EPERM);
	vfs_fixture_teardown(t, &f);
}

KTEST(procfs, test_procfs_format_stat_has_52_fields)
{
	struct procfs_buf b;
	struct procfs_stat s = {.pid = 42,
				.comm = "a b)",
				.state = 'R',
				.ppid = 1,
				.pgrp = 42,
				.session = 42,
				.priority = 20,
				.num_threads = 2,
				.starttime = 123,
				.vsize = 8192,
				.rss = 2,
				.rsslim = UINT64_MAX,
				.signal = 0xffffffffffULL,
				.exit_signal = 17,
				.arg_start = 10,
				.env_end = 20,
				.exit_code = 0};
	int fields = 0;

	procfs_buf_init(&b);
	procfs_format_stat(&b, &s);
	KASSERT_EQ(b.err, 0);
	KEXPECT(strcmp(b.data, "42 (a b)) R 1 42 42 0 0 0 0 0 0 0 0 0 0 0 20 0 2 0 123 8192 2 "
			       "18446744073709551615 0 0 0 0 0 2147483647 0 0 0 0 0 0 17 0 0 0 0 0 "
			       "0 0 0 0 10 0 0 20 0\n") == 0);
	/* Fields after the comm: 50 more, so 52 in all. */
	for (const char *p = strrchr(b.data, ')'); *p; p++)
		fields += *p == ' ';
	KEXPECT_EQ(fields, 50);
	procfs_buf_fini(&b);
}

KTEST(procfs, test_procfs_format_map_pads_names_to_column_73)
{
	struct procfs_buf b;
	struct procfs_map m = {.start = 0x400000,
			       .end = 0x401000,
			       .prot = PROT_READ | PROT_EXEC,
			       .offset = 0x2000,
			       .dev_major = 0xfe,
			       .ino = 247498,
			       .name = "/usr/bin/head"};

	procfs_buf_init(&b);
	procfs_format_map(&b, &m);
	m = (struct procfs_map){.start = 0x7ffff7ff0000,
				.end = 0x7ffff7ff8000,
				.prot = PROT_READ | PROT_WRITE,
				.is_shared = true};
	procfs_format_map(&b, &m);
	KASSERT_EQ(b.err, 0);
	KEXPECT(strcmp(b.data, "00400000-00401000 r-xp 00002000 fe:00 247498"
			       "                             /usr/bin/head\n"
			       "7ffff7ff0000-7ffff7ff8000 rw-s 00000000 00:00 0 \n") == 0);
	KEXPECT_EQ(strchr(b.data, '/') - b.data, 73);
	procfs_buf_fini(&b);
}
