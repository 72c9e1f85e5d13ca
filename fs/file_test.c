// SPDX-License-Identifier: MIT
/*
 * Host tests for fs/file.c: read, write, pread, pwrite, lseek and
 * ftruncate with Linux's checks: positions, O_APPEND (also for pwrite),
 * access modes, the largest file offset, set-ID clearing on write,
 * timestamps, F_SETFL and shared file positions. Devices are memdev_test.c.
 */
#include <host_fault.h>
#include <tern/errno.h>
#include <tern/string.h>
#include <tern/vfs_testing.h>

static struct file *open_rw(struct ktest *t, struct vfs_fixture *f, const char *pathname,
			    unsigned int extra)
{
	struct file *file = NULL;

	KEXPECT_EQ(fx_open(f, pathname, O_RDWR | O_CREAT | extra, 0644, &file), 0);
	return file;
}

KTEST(file, test_file_read_write_advance_the_position)
{
	struct vfs_fixture f;
	struct file *file;
	char buf[16];
	size_t len;

	KASSERT(vfs_fixture_setup(t, &f));
	file = open_rw(t, &f, "/a", 0);
	KASSERT(file);
	KEXPECT_EQ(vfs_write(file, "hello world", 11, &len), 0);
	KEXPECT_EQ(len, 11);
	KEXPECT_EQ(file->pos, 11);
	KEXPECT_EQ(vfs_read(file, buf, sizeof(buf), &len), 0);
	KEXPECT_EQ(len, 0);
	KEXPECT_EQ(vfs_lseek(file, 6, SEEK_SET, &(int64_t){0}), 0);
	KEXPECT_EQ(vfs_read(file, buf, 3, &len), 0);
	KEXPECT(len == 3 && memcmp(buf, "wor", 3) == 0);
	KEXPECT_EQ(vfs_read(file, buf, sizeof(buf), &len), 0);
	KEXPECT(len == 2 && memcmp(buf, "ld", 2) == 0);
	/* Writing past the end leaves a hole of zeros. */
	KEXPECT_EQ(vfs_lseek(file, 20, SEEK_SET, &(int64_t){0}), 0);
	KEXPECT_EQ(vfs_write(file, "!", 1, &len), 0);
	KEXPECT_EQ(vfs_pread(file, buf, sizeof(buf), 10, &len), 0);
	KEXPECT(len == 11 && buf[0] == 'd' && buf[1] == 0 && buf[9] == 0 && buf[10] == '!');
	KEXPECT_EQ(vfs_write(file, "", 0, &len), 0);
	KEXPECT_EQ(len, 0);
	file_put(file);
	vfs_fixture_teardown(t, &f);
}

KTEST(file, test_file_pread_pwrite_keep_the_position)
{
	struct vfs_fixture f;
	struct file *file;
	char buf[8];
	size_t len;

	KASSERT(vfs_fixture_setup(t, &f));
	file = open_rw(t, &f, "/a", 0);
	KASSERT(file);
	KEXPECT_EQ(vfs_pwrite(file, "abcdef", 6, 100, &len), 0);
	KEXPECT_EQ(file->pos, 0);
	KEXPECT_EQ(vfs_pread(file, buf, 3, 102, &len), 0);
	KEXPECT(len == 3 && memcmp(buf, "cde", 3) == 0);
	KEXPECT_EQ(file->pos, 0);
	KEXPECT_EQ(vfs_pread(file, buf, 3, -1, &len), -EINVAL);
	KEXPECT_EQ(vfs_pwrite(file, buf, 3, -1, &len), -EINVAL);
	KEXPECT_EQ(vfs_pread(file, buf, 3, 1000, &len), 0);
	KEXPECT_EQ(len, 0);
	file_put(file);
	vfs_fixture_teardown(t, &f);
}

KTEST(file, test_file_append_goes_to_the_end)
{
	struct vfs_fixture f;
	struct file *file;
	struct kstat st;
	size_t len;

	KASSERT(vfs_fixture_setup(t, &f));
	KEXPECT_EQ(fx_write_file(&f, "/a", 0644, "12345", 5), 0);
	file = open_rw(t, &f, "/a", O_APPEND);
	KASSERT(file);
	KEXPECT(file->flags & O_APPEND);
	KEXPECT_EQ(vfs_write(file, "6", 1, &len), 0);
	KEXPECT_EQ(file->pos, 6);
	KEXPECT_EQ(vfs_lseek(file, 0, SEEK_SET, &(int64_t){0}), 0);
	KEXPECT_EQ(vfs_write(file, "7", 1, &len), 0);
	/* ABI: pwrite(2) BUGS: with O_APPEND Linux appends whatever the offset. */
	KEXPECT_EQ(vfs_pwrite(file, "8", 1, 0, &len), 0);
	vfs_fstat(file, &st);
	KEXPECT_EQ(st.size, 8);
	/* F_SETFL turns it off. */
	KEXPECT_EQ(vfs_file_set_flags(file, f.ctx.cred, O_NONBLOCK), 0);
	KEXPECT(!(file->flags & O_APPEND) && (file->flags & O_NONBLOCK));
	KEXPECT((file->flags & O_ACCMODE) == O_RDWR);
	KEXPECT_EQ(vfs_pwrite(file, "0", 1, 0, &len), 0);
	vfs_fstat(file, &st);
	KEXPECT_EQ(st.size, 8);
	file_put(file);
	vfs_fixture_teardown(t, &f);
}

KTEST(file, test_file_access_mode_is_enforced)
{
	struct vfs_fixture f;
	struct file *file;
	char buf[4];
	size_t len;

	KASSERT(vfs_fixture_setup(t, &f));
	KEXPECT_EQ(fx_write_file(&f, "/a", 0644, "abc", 3), 0);
	KASSERT_EQ(fx_open(&f, "/a", O_RDONLY, 0, &file), 0);
	KEXPECT_EQ(vfs_write(file, "x", 1, &len), -EBADF);
	KEXPECT_EQ(vfs_pwrite(file, "x", 1, 0, &len), -EBADF);
	KEXPECT_EQ(vfs_ftruncate(file, 0), -EINVAL);
	file_put(file);
	KASSERT_EQ(fx_open(&f, "/a", O_WRONLY, 0, &file), 0);
	KEXPECT_EQ(vfs_read(file, buf, 1, &len), -EBADF);
	KEXPECT_EQ(vfs_pread(file, buf, 1, 0, &len), -EBADF);
	KEXPECT_EQ(vfs_ioctl(file, 0x5401, 0, &(long){0}), -ENOTTY);
	file_put(file);
	vfs_fixture_teardown(t, &f);
}

KTEST(file, test_file_lseek)
{
	struct vfs_fixture f;
	struct file *file;
	int64_t pos;

	KASSERT(vfs_fixture_setup(t, &f));
	KEXPECT_EQ(fx_write_file(&f, "/a", 0644, "0123456789", 10), 0);
	KASSERT_EQ(fx_open(&f, "/a", O_RDONLY, 0, &file), 0);
	KEXPECT_EQ(vfs_lseek(file, 4, SEEK_SET, &pos), 0);
	KEXPECT_EQ(pos, 4);
	KEXPECT_EQ(vfs_lseek(file, 3, SEEK_CUR, &pos), 0);
	KEXPECT_EQ(pos, 7);
	KEXPECT_EQ(vfs_lseek(file, -2, SEEK_END, &pos), 0);
	KEXPECT_EQ(pos, 8);
	KEXPECT_EQ(vfs_lseek(file, 100, SEEK_END, &pos), 0);
	KEXPECT_EQ(pos, 110);
	KEXPECT_EQ(vfs_lseek(file, -1, SEEK_SET, &pos), -EINVAL);
	KEXPECT_EQ(vfs_lseek(file, -111, SEEK_CUR, &pos), -EINVAL);
	KEXPECT_EQ(vfs_lseek(file, -11, SEEK_END, &pos), -EINVAL);
	KEXPECT_EQ(file->pos, 110);
	KEXPECT_EQ(vfs_lseek(file, 0, 5, &pos), -EINVAL);
	KEXPECT_EQ(vfs_lseek(file, 0, -1, &pos), -EINVAL);
	/* Past INT64_MAX wraps negative in Linux: EINVAL, not EOVERFLOW. */
	KEXPECT_EQ(vfs_lseek(file, INT64_MAX, SEEK_SET, &pos), 0);
	KEXPECT_EQ(vfs_lseek(file, 1, SEEK_CUR, &pos), -EINVAL);
	KEXPECT_EQ(vfs_lseek(file, INT64_MAX, SEEK_END, &pos), -EINVAL);
	KEXPECT_EQ(vfs_lseek(file, 0, SEEK_CUR, &pos), 0);
	KEXPECT_EQ(pos, INT64_MAX);
	KEXPECT_EQ(vfs_lseek(file, 3, SEEK_DATA, &pos), 0);
	KEXPECT_EQ(pos, 3);
	KEXPECT_EQ(vfs_lseek(file, 3, SEEK_HOLE, &pos), 0);
	KEXPECT_EQ(pos, 10);
	KEXPECT_EQ(vfs_lseek(file, 10, SEEK_DATA, &pos), -ENXIO);
	KEXPECT_EQ(vfs_lseek(file, -1, SEEK_HOLE, &pos), -ENXIO);
	/* The generic seek: everything before the end is data, the end a hole. */
	KEXPECT_EQ(vfs_lseek_size(file, 3, SEEK_DATA, 10, &pos), 0);
	KEXPECT_EQ(pos, 3);
	KEXPECT_EQ(vfs_lseek_size(file, 3, SEEK_HOLE, 10, &pos), 0);
	KEXPECT_EQ(pos, 10);
	KEXPECT_EQ(vfs_lseek_size(file, 10, SEEK_HOLE, 10, &pos), -ENXIO);
	KEXPECT_EQ(vfs_lseek_size(file, -5, SEEK_DATA, 10, &pos), -ENXIO);
	file_put(file);
	vfs_fixture_teardown(t, &f);
}

KTEST(file, test_file_largest_offset)
{
	struct vfs_fixture f;
	struct file *file;
	struct kstat st;
	char c = 0;
	size_t len;

	KASSERT(vfs_fixture_setup(t, &f));
	file = open_rw(t, &f, "/big", 0);
	KASSERT(file);
	KEXPECT_EQ(vfs_pwrite(file, "z", 1, INT64_MAX - 1, &len), 0);
	KEXPECT_EQ(len, 1);
	vfs_fstat(file, &st);
	KEXPECT_EQ(st.size, (uint64_t)INT64_MAX);
	KEXPECT_EQ(st.blocks, PAGE_SIZE / 512);
	KEXPECT_EQ(vfs_pread(file, &c, 1, INT64_MAX - 1, &len), 0);
	KEXPECT(len == 1 && c == 'z');
	KEXPECT_EQ(vfs_pwrite(file, "zz", 2, INT64_MAX - 1, &len), -EINVAL);
	/* pos + len past INT64_MAX is EINVAL before any size limit. */
	KEXPECT_EQ(vfs_lseek(file, INT64_MAX, SEEK_SET, &(int64_t){0}), 0);
	KEXPECT_EQ(vfs_write(file, "z", 1, &len), -EINVAL);
	KEXPECT_EQ(vfs_ftruncate(file, 4096), 0);
	vfs_fstat(file, &st);
	KEXPECT_EQ(st.blocks, 0);
	file_put(file);
	vfs_fixture_teardown(t, &f);
}

KTEST(file, test_file_size_limit_of_the_super_block)
{
	struct vfs_fixture f;
	struct file *file;
	size_t len;

	KASSERT(vfs_fixture_setup(t, &f));
	f.root.dentry->sb->max_file_bytes = 1 << 20;
	file = open_rw(t, &f, "/a", 0);
	KASSERT(file);
	KEXPECT_EQ(vfs_pwrite(file, "abcde", 5, (1 << 20) - 2, &len), 0);
	KEXPECT_EQ(len, 2);
	KEXPECT_EQ(vfs_pwrite(file, "abcde", 5, 1 << 20, &len), -EFBIG);
	KEXPECT_EQ(vfs_ftruncate(file, (1 << 20) + 1), -EFBIG);
	KEXPECT_EQ(vfs_truncate(&f.ctx, NULL, "/a", (1 << 20) + 1), -EFBIG);
	KEXPECT_EQ(vfs_ftruncate(file, 1 << 20), 0);
	file_put(file);
	vfs_fixture_teardown(t, &f);
}

KTEST(file, test_file_ftruncate)
{
	struct vfs_fixture f;
	struct file *file;
	char buf[8];
	size_t len;

	KASSERT(vfs_fixture_setup(t, &f));
	file = open_rw(t, &f, "/a", 0);
	KASSERT(file);
	KEXPECT_EQ(vfs_write(file, "abcdef", 6, &len), 0);
	KEXPECT_EQ(vfs_ftruncate(file, -1), -EINVAL);
	KEXPECT_EQ(vfs_ftruncate(file, 2), 0);
	KEXPECT_EQ(vfs_ftruncate(file, 5), 0);
	KEXPECT_EQ(vfs_pread(file, buf, sizeof(buf), 0, &len), 0);
	KEXPECT(len == 5 && memcmp(buf, "ab\0\0\0", 5) == 0);
	file_put(file);
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, "/d", 0755), 0);
	KASSERT_EQ(fx_open(&f, "/d", O_RDONLY, 0, &file), 0);
	KEXPECT_EQ(vfs_ftruncate(file, 0), -EINVAL);
	file_put(file);
	vfs_fixture_teardown(t, &f);
}

KTEST(file, test_file_write_clears_setid_bits)
{
	struct vfs_fixture f;
	struct file *file;
	struct kstat st;
	size_t len;

	KASSERT(vfs_fixture_setup(t, &f));
	f.ctx.umask = 0;
	KEXPECT_EQ(fx_write_file(&f, "/s", 06777, "", 0), 0);
	KEXPECT_EQ(vfs_chmod(&f.ctx, NULL, "/s", 06777, 0), 0);
	/* Root (CAP_FSETID) keeps them. */
	KEXPECT_EQ(fx_write_file(&f, "/s", 0, "x", 1), 0);
	KEXPECT_EQ(fx_stat(&f, "/s", false, &st), 0);
	KEXPECT_EQ(st.mode, S_IFREG | 06777);
	fx_become_user(&f, 1000, 1000);
	KASSERT_EQ(fx_open(&f, "/s", O_WRONLY, 0, &file), 0);
	KEXPECT_EQ(vfs_write(file, "y", 1, &len), 0);
	file_put(file);
	KEXPECT_EQ(fx_stat(&f, "/s", false, &st), 0);
	KEXPECT_EQ(st.mode, S_IFREG | 0777);
	/* Set-group-ID without group execute is mandatory locking: it stays. */
	fx_become_root(&f);
	KEXPECT_EQ(vfs_chmod(&f.ctx, NULL, "/s", 02766, 0), 0);
	fx_become_user(&f, 1000, 1000);
	KASSERT_EQ(fx_open(&f, "/s", O_WRONLY, 0, &file), 0);
	KEXPECT_EQ(vfs_ftruncate(file, 0), 0);
	file_put(file);
	KEXPECT_EQ(fx_stat(&f, "/s", false, &st), 0);
	KEXPECT_EQ(st.mode, S_IFREG | 02766);
	fx_become_root(&f);
	vfs_fixture_teardown(t, &f);
}

KTEST(file, test_file_timestamps)
{
	struct vfs_fixture f;
	struct file *file;
	struct kstat st;
	char buf[4];
	size_t len;

	KASSERT(vfs_fixture_setup(t, &f));
	host_clock_set_realtime_ns((uint64_t)FX_NOW_SEC * 1000000000ULL + 5);
	KEXPECT_EQ(fx_write_file(&f, "/a", 0644, "abc", 3), 0);
	KEXPECT_EQ(fx_stat(&f, "/a", false, &st), 0);
	KEXPECT(st.mtime.sec == FX_NOW_SEC && st.mtime.nsec == 5);
	host_clock_set_realtime_ns((uint64_t)(FX_NOW_SEC + 100) * 1000000000ULL);
	KEXPECT_EQ(fx_write_file(&f, "/a", 0644, "abc", 3), 0);
	KEXPECT_EQ(fx_stat(&f, "/a", false, &st), 0);
	KEXPECT_EQ(st.mtime.sec, FX_NOW_SEC + 100);
	KEXPECT_EQ(st.ctime.sec, FX_NOW_SEC + 100);
	KEXPECT_EQ(st.atime.sec, FX_NOW_SEC);
	/*
	 * relatime: a read moves atime while it is not newer than mtime (equal
	 * counts), then not again for a day.
	 */
	KEXPECT_EQ(fx_read_file(&f, "/a", buf, sizeof(buf), &len), 0);
	KEXPECT_EQ(fx_stat(&f, "/a", false, &st), 0);
	KEXPECT_EQ(st.atime.sec, FX_NOW_SEC + 100);
	host_clock_set_realtime_ns((uint64_t)(FX_NOW_SEC + 200) * 1000000000ULL);
	KEXPECT_EQ(fx_read_file(&f, "/a", buf, sizeof(buf), &len), 0);
	KEXPECT_EQ(fx_stat(&f, "/a", false, &st), 0);
	KEXPECT_EQ(st.atime.sec, FX_NOW_SEC + 200);
	host_clock_set_realtime_ns((uint64_t)(FX_NOW_SEC + 300) * 1000000000ULL);
	KEXPECT_EQ(fx_read_file(&f, "/a", buf, sizeof(buf), &len), 0);
	KEXPECT_EQ(fx_stat(&f, "/a", false, &st), 0);
	KEXPECT_EQ(st.atime.sec, FX_NOW_SEC + 200);
	host_clock_set_realtime_ns((uint64_t)(FX_NOW_SEC + 200 + 86400) * 1000000000ULL);
	KASSERT_EQ(fx_open(&f, "/a", O_RDONLY | O_NOATIME, 0, &file), 0);
	KEXPECT_EQ(vfs_read(file, buf, sizeof(buf), &len), 0);
	file_put(file);
	KEXPECT_EQ(fx_stat(&f, "/a", false, &st), 0);
	KEXPECT_EQ(st.atime.sec, FX_NOW_SEC + 200);
	KEXPECT_EQ(fx_read_file(&f, "/a", buf, sizeof(buf), &len), 0);
	KEXPECT_EQ(fx_stat(&f, "/a", false, &st), 0);
	KEXPECT_EQ(st.atime.sec, FX_NOW_SEC + 200 + 86400);
	vfs_fixture_teardown(t, &f);
}

KTEST(file, test_file_set_flags_rules)
{
	struct vfs_fixture f;
	struct file *file;

	KASSERT(vfs_fixture_setup(t, &f));
	KEXPECT_EQ(fx_write_file(&f, "/a", 0666, "", 0), 0);
	KEXPECT_EQ(vfs_chmod(&f.ctx, NULL, "/a", 0666, 0), 0);
	fx_become_user(&f, 1000, 1000);
	KASSERT_EQ(fx_open(&f, "/a", O_RDWR, 0, &file), 0);
	KEXPECT_EQ(vfs_file_set_flags(file, f.ctx.cred, O_NOATIME), -EPERM);
	KEXPECT_EQ(vfs_file_set_flags(file, f.ctx.cred, O_APPEND | O_WRONLY | O_CREAT), 0);
	KEXPECT_EQ(file->flags, O_RDWR | O_APPEND);
	file_put(file);
	fx_become_root(&f);
	KASSERT_EQ(fx_open(&f, "/a", O_PATH, 0, &file), 0);
	KEXPECT_EQ(vfs_file_set_flags(file, f.ctx.cred, O_APPEND), -EBADF);
	file_put(file);
	vfs_fixture_teardown(t, &f);
}

KTEST(file, test_file_shared_position_between_references)
{
	struct vfs_fixture f;
	struct file *file;
	char buf[4];
	size_t len;

	KASSERT(vfs_fixture_setup(t, &f));
	KEXPECT_EQ(fx_write_file(&f, "/a", 0644, "abcdef", 6), 0);
	KASSERT_EQ(fx_open(&f, "/a", O_RDONLY, 0, &file), 0);
	file_get(file);
	KEXPECT_EQ(vfs_read(file, buf, 2, &len), 0);
	file_put(file);
	KEXPECT_EQ(vfs_read(file, buf, 2, &len), 0);
	KEXPECT(len == 2 && memcmp(buf, "cd", 2) == 0);
	file_put(file);
	vfs_fixture_teardown(t, &f);
}
