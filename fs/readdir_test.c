// SPDX-License-Identifier: MIT
/*
 * Host tests for fs/readdir.c and tmpfs directories: getdents64 records
 * (layout, d_type, d_off), "." and "..", small buffers, resuming at any
 * d_off while entries come and go, seeking, and the errors.
 */
#include <tern/errno.h>
#include <tern/string.h>
#include <tern/vfs_testing.h>

#define MAX_SEEN 64

struct seen {
	int nr;
	char names[MAX_SEEN][32];
	uint8_t types[MAX_SEEN];
	uint64_t inos[MAX_SEEN];
	int64_t offs[MAX_SEEN];
};

/* Reads records from one getdents64 call into s; returns its result. */
static int read_batch(struct file *file, size_t buf_len, struct seen *s, size_t *done)
{
	static char buf[4096];
	size_t pos = 0;
	int err = vfs_getdents64(file, buf, buf_len, done);

	if (err)
		return err;
	while (pos < *done && s->nr < MAX_SEEN) {
		struct vfs_dirent64 *d = (struct vfs_dirent64 *)(void *)(buf + pos);

		assert(d->d_reclen % 8 == 0 &&
		       d->d_reclen >= offsetof(struct vfs_dirent64, d_name) + 2);
		strlcpy(s->names[s->nr], d->d_name, sizeof(s->names[0]));
		s->types[s->nr] = d->d_type;
		s->inos[s->nr] = d->d_ino;
		s->offs[s->nr] = d->d_off;
		s->nr++;
		pos += d->d_reclen;
	}
	return 0;
}

static int read_all(struct file *file, size_t buf_len, struct seen *s)
{
	size_t done;
	int err;

	do {
		err = read_batch(file, buf_len, s, &done);
	} while (!err && done > 0);
	return err;
}

static int find(const struct seen *s, const char *name)
{
	for (int i = 0; i < s->nr; i++) {
		if (strcmp(s->names[i], name) == 0)
			return i;
	}
	return -1;
}

static int count(const struct seen *s, const char *name)
{
	int nr = 0;

	for (int i = 0; i < s->nr; i++)
		nr += strcmp(s->names[i], name) == 0;
	return nr;
}

static uint64_t ino(struct vfs_fixture *f, const char *pathname)
{
	struct kstat st;

	return fx_stat(f, pathname, true, &st) ? 0 : st.ino;
}

KTEST(readdir, test_getdents_empty_directory_has_dots)
{
	struct vfs_fixture f;
	struct file *file;
	struct seen s = {0};

	KASSERT(vfs_fixture_setup(t, &f));
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, "/d", 0755), 0);
	KASSERT_EQ(fx_open(&f, "/d", O_RDONLY | O_DIRECTORY, 0, &file), 0);
	KEXPECT_EQ(read_all(file, 4096, &s), 0);
	KEXPECT_EQ(s.nr, 2);
	KEXPECT(strcmp(s.names[0], ".") == 0 && strcmp(s.names[1], "..") == 0);
	KEXPECT(s.types[0] == 4 && s.types[1] == 4);
	KEXPECT_EQ(s.inos[0], ino(&f, "/d"));
	KEXPECT_EQ(s.inos[1], ino(&f, "/"));
	KEXPECT(s.offs[0] == 1 && s.offs[1] == 2);
	file_put(file);
	/* At a root, ".." is the root itself. */
	s.nr = 0;
	KASSERT_EQ(fx_open(&f, "/", O_RDONLY, 0, &file), 0);
	KEXPECT_EQ(read_all(file, 4096, &s), 0);
	KEXPECT_EQ(s.inos[1], ino(&f, "/"));
	file_put(file);
	vfs_fixture_teardown(t, &f);
}

KTEST(readdir, test_getdents_types_of_every_kind)
{
	struct vfs_fixture f;
	struct file *file;
	struct seen s = {0};

	KASSERT(vfs_fixture_setup(t, &f));
	KEXPECT_EQ(fx_write_file(&f, "/reg", 0644, "", 0), 0);
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, "/dir", 0755), 0);
	KEXPECT_EQ(vfs_symlink(&f.ctx, "x", NULL, "/lnk"), 0);
	KEXPECT_EQ(vfs_mknod(&f.ctx, NULL, "/fifo", S_IFIFO | 0644, 0), 0);
	KEXPECT_EQ(vfs_mknod(&f.ctx, NULL, "/chr", S_IFCHR | 0644, dev_make(1, 3)), 0);
	KEXPECT_EQ(vfs_mknod(&f.ctx, NULL, "/blk", S_IFBLK | 0644, dev_make(8, 1)), 0);
	KEXPECT_EQ(vfs_mknod(&f.ctx, NULL, "/sock", S_IFSOCK | 0644, 0), 0);
	KASSERT_EQ(fx_open(&f, "/", O_RDONLY, 0, &file), 0);
	KEXPECT_EQ(read_all(file, 4096, &s), 0);
	KEXPECT_EQ(s.nr, 9);
	/* DT_REG 8, DT_DIR 4, DT_LNK 10, DT_FIFO 1, DT_CHR 2, DT_BLK 6, DT_SOCK 12. */
	KEXPECT_EQ(s.types[find(&s, "reg")], 8);
	KEXPECT_EQ(s.types[find(&s, "dir")], 4);
	KEXPECT_EQ(s.types[find(&s, "lnk")], 10);
	KEXPECT_EQ(s.types[find(&s, "fifo")], 1);
	KEXPECT_EQ(s.types[find(&s, "chr")], 2);
	KEXPECT_EQ(s.types[find(&s, "blk")], 6);
	KEXPECT_EQ(s.types[find(&s, "sock")], 12);
	KEXPECT_EQ(s.inos[find(&s, "lnk")], ino(&f, "/lnk"));
	file_put(file);
	vfs_fixture_teardown(t, &f);
}

KTEST(readdir, test_getdents_small_buffers)
{
	struct vfs_fixture f;
	struct file *file;
	struct seen s = {0};
	size_t done;

	KASSERT(vfs_fixture_setup(t, &f));
	KEXPECT_EQ(fx_write_file(&f, "/a", 0644, "", 0), 0);
	KEXPECT_EQ(fx_write_file(&f, "/bbbbbbbbbbbbbbbbbbbbbbbb", 0644, "", 0), 0);
	KASSERT_EQ(fx_open(&f, "/", O_RDONLY, 0, &file), 0);
	/* 19 bytes of header and name: 24 fits "a", not the long one. */
	KEXPECT_EQ(read_batch(file, 10, &s, &done), -EINVAL);
	KEXPECT_EQ(read_all(file, 24, &s), -EINVAL);
	KEXPECT_EQ(s.nr, 3);
	KEXPECT_EQ(read_all(file, 48, &s), 0);
	KEXPECT_EQ(s.nr, 4);
	KEXPECT_EQ(count(&s, "bbbbbbbbbbbbbbbbbbbbbbbb"), 1);
	file_put(file);
	vfs_fixture_teardown(t, &f);
}

/*
 * Outline: list part of a directory, then remove seen and unseen entries
 * and add new ones, then list the rest: every entry present from start
 * to end shows up exactly once, removed unseen ones never.
 */
KTEST(readdir, test_getdents_resumes_while_entries_change)
{
	struct vfs_fixture f;
	struct file *file;
	struct seen s = {0};
	char name[16];
	size_t done;

	KASSERT(vfs_fixture_setup(t, &f));
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, "/d", 0755), 0);
	for (int i = 0; i < 20; i++) {
		ksnprintf(name, sizeof(name), "/d/e%02d", i);
		KEXPECT_EQ(fx_write_file(&f, name, 0644, "", 0), 0);
	}
	KASSERT_EQ(fx_open(&f, "/d", O_RDONLY, 0, &file), 0);
	KEXPECT_EQ(read_batch(file, 5 * 24, &s, &done), 0);
	KEXPECT_EQ(s.nr, 5);
	KEXPECT_EQ(find(&s, "e02"), 4);
	KEXPECT_EQ(vfs_unlink(&f.ctx, NULL, "/d/e00"), 0);
	KEXPECT_EQ(vfs_unlink(&f.ctx, NULL, "/d/e03"), 0);
	KEXPECT_EQ(vfs_unlink(&f.ctx, NULL, "/d/e10"), 0);
	KEXPECT_EQ(vfs_rename(&f.ctx, NULL, "/d/e11", NULL, "/d/moved", 0), 0);
	KEXPECT_EQ(fx_write_file(&f, "/d/new", 0644, "", 0), 0);
	KEXPECT_EQ(fx_write_file(&f, "/d/e00", 0644, "", 0), 0);
	KEXPECT_EQ(read_all(file, 100, &s), 0);
	for (int i = 1; i < 20; i++) {
		ksnprintf(name, sizeof(name), "e%02d", i);
		KEXPECT_EQ(count(&s, name), (i == 3 || i == 10 || i == 11) ? 0 : 1);
	}
	KEXPECT_EQ(count(&s, "new"), 1);
	KEXPECT_EQ(count(&s, "moved"), 1);
	KEXPECT_EQ(count(&s, "e00"), 2);
	KEXPECT_EQ(count(&s, "."), 1);
	file_put(file);
	vfs_fixture_teardown(t, &f);
}

KTEST(readdir, test_getdents_seek_to_a_saved_offset)
{
	struct vfs_fixture f;
	struct file *file;
	struct seen first = {0};
	struct seen again = {0};
	int64_t pos;

	KASSERT(vfs_fixture_setup(t, &f));
	KEXPECT_EQ(fx_write_file(&f, "/x", 0644, "", 0), 0);
	KEXPECT_EQ(fx_write_file(&f, "/y", 0644, "", 0), 0);
	KEXPECT_EQ(fx_write_file(&f, "/z", 0644, "", 0), 0);
	KASSERT_EQ(fx_open(&f, "/", O_RDONLY, 0, &file), 0);
	KEXPECT_EQ(read_all(file, 4096, &first), 0);
	KEXPECT_EQ(first.nr, 5);
	KEXPECT_EQ(vfs_lseek(file, first.offs[2], SEEK_SET, &pos), 0);
	KEXPECT_EQ(read_all(file, 4096, &again), 0);
	KEXPECT_EQ(again.nr, 2);
	KEXPECT(strcmp(again.names[0], "y") == 0 && strcmp(again.names[1], "z") == 0);
	KEXPECT_EQ(vfs_lseek(file, 0, SEEK_SET, &pos), 0);
	again.nr = 0;
	KEXPECT_EQ(read_all(file, 4096, &again), 0);
	KEXPECT_EQ(again.nr, 5);
	KEXPECT_EQ(vfs_lseek(file, -1, SEEK_SET, &pos), -EINVAL);
	KEXPECT_EQ(vfs_lseek(file, 0, SEEK_END, &pos), -EINVAL);
	KEXPECT_EQ(vfs_lseek(file, 1, SEEK_CUR, &pos), 0);
	file_put(file);
	vfs_fixture_teardown(t, &f);
}

KTEST(readdir, test_getdents_prefix_stops_at_the_first_record_that_faults)
{
	struct vfs_fixture f;
	struct file *file;
	char buf[256];
	size_t done;

	KASSERT(vfs_fixture_setup(t, &f));
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, "/d", 0755), 0);
	KEXPECT_EQ(fx_write_file(&f, "/d/abcd", 0644, "", 0), 0);
	KASSERT_EQ(fx_open(&f, "/d", O_RDONLY, 0, &file), 0);
	KEXPECT_EQ(vfs_getdents64_prefix(file, buf, sizeof(buf), 0, &done), -EFAULT);
	/* "." needs 21 bytes, its padding does not count. */
	KEXPECT_EQ(vfs_getdents64_prefix(file, buf, sizeof(buf), 20, &done), -EFAULT);
	KEXPECT_EQ(vfs_getdents64_prefix(file, buf, sizeof(buf), 21, &done), 0);
	KEXPECT_EQ(done, 24);
	/* ".." is next: the failed calls kept the position. */
	KEXPECT_EQ(vfs_getdents64_prefix(file, buf, sizeof(buf), 24 + 22, &done), 0);
	KEXPECT_EQ(done, 24);
	KEXPECT_EQ(strcmp(((struct vfs_dirent64 *)(void *)buf)->d_name, ".."), 0);
	KEXPECT_EQ(vfs_getdents64_prefix(file, buf, 16, 0, &done), -EINVAL);
	KEXPECT_EQ(vfs_getdents64_prefix(file, buf, sizeof(buf), 23, &done), -EFAULT);
	KEXPECT_EQ(vfs_getdents64_prefix(file, buf, sizeof(buf), 24, &done), 0);
	KEXPECT_EQ(strcmp(((struct vfs_dirent64 *)(void *)buf)->d_name, "abcd"), 0);
	KEXPECT_EQ(vfs_getdents64_prefix(file, buf, sizeof(buf), 0, &done), 0);
	KEXPECT_EQ(done, 0);
	file_put(file);
	vfs_fixture_teardown(t, &f);
}

KTEST(readdir, test_getdents_errors)
{
	struct vfs_fixture f;
	struct file *file;
	char buf[64];
	size_t done;

	KASSERT(vfs_fixture_setup(t, &f));
	KEXPECT_EQ(fx_write_file(&f, "/a", 0644, "", 0), 0);
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, "/d", 0755), 0);
	KASSERT_EQ(fx_open(&f, "/a", O_RDONLY, 0, &file), 0);
	KEXPECT_EQ(vfs_getdents64(file, buf, sizeof(buf), &done), -ENOTDIR);
	file_put(file);
	KASSERT_EQ(fx_open(&f, "/d", O_PATH, 0, &file), 0);
	KEXPECT_EQ(vfs_getdents64(file, buf, sizeof(buf), &done), -EBADF);
	file_put(file);
	KASSERT_EQ(fx_open(&f, "/d", O_RDONLY, 0, &file), 0);
	KEXPECT_EQ(vfs_rmdir(&f.ctx, NULL, "/d"), 0);
	KEXPECT_EQ(vfs_getdents64(file, buf, sizeof(buf), &done), -ENOENT);
	file_put(file);
	vfs_fixture_teardown(t, &f);
}
