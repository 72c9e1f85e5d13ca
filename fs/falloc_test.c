// SPDX-License-Identifier: MIT
/*
 * Host tests for fallocate and fadvise (fs/falloc.c) on tmpfs
 * (fs/tmpfs/file.c): allocation with and without FALLOC_FL_KEEP_SIZE,
 * punched holes, the size limit, allocation failures that change
 * nothing, and the errno of each refusal in Linux's order.
 */
#include <host_fault.h>
#include <linux/fadvise.h>
#include <linux/falloc.h>
#include <tern/errno.h>
#include <tern/string.h>
#include <tern/vfs_testing.h>

static char buf[3 * PAGE_SIZE];

static uint64_t blocks_of(struct file *file)
{
	struct kstat st;

	vfs_fstat(file, &st);
	return st.blocks;
}

static uint64_t size_of(struct file *file)
{
	struct kstat st;

	vfs_fstat(file, &st);
	return st.size;
}

static bool is_zero(const char *p, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (p[i])
			return false;
	}
	return true;
}

KTEST(falloc, test_fallocate_allocates_zero_pages)
{
	struct vfs_fixture f;
	struct file *file;
	size_t len;

	KASSERT(vfs_fixture_setup(t, &f));
	KASSERT_EQ(fx_open(&f, "/f", O_RDWR | O_CREAT, 0644, &file), 0);
	KEXPECT_EQ(vfs_fallocate(file, 0, 0, 2 * PAGE_SIZE), 0);
	KEXPECT_EQ(size_of(file), 2 * PAGE_SIZE);
	KEXPECT_EQ(blocks_of(file), 2 * PAGE_SIZE / 512);
	memset(buf, 'x', sizeof(buf));
	KEXPECT_EQ(vfs_pread(file, buf, 100, 100, &len), 0);
	KEXPECT(len == 100 && is_zero(buf, 100));
	/* KEEP_SIZE allocates past the end without moving it. */
	KEXPECT_EQ(vfs_fallocate(file, FALLOC_FL_KEEP_SIZE, 2 * PAGE_SIZE, PAGE_SIZE), 0);
	KEXPECT_EQ(size_of(file), 2 * PAGE_SIZE);
	KEXPECT_EQ(blocks_of(file), 3 * PAGE_SIZE / 512);
	/* Allocated pages stay allocated; a partial page counts whole. */
	KEXPECT_EQ(vfs_fallocate(file, 0, 10, 1), 0);
	KEXPECT_EQ(blocks_of(file), 3 * PAGE_SIZE / 512);
	KEXPECT_EQ(vfs_fallocate(file, 0, 5 * PAGE_SIZE + 1, 1), 0);
	KEXPECT_EQ(size_of(file), 5 * PAGE_SIZE + 2);
	KEXPECT_EQ(blocks_of(file), 4 * PAGE_SIZE / 512);
	/* Truncating to the same size frees what lies past it. */
	KEXPECT_EQ(vfs_ftruncate(file, 2 * PAGE_SIZE), 0);
	KEXPECT_EQ(vfs_fallocate(file, FALLOC_FL_KEEP_SIZE, 2 * PAGE_SIZE, PAGE_SIZE), 0);
	KEXPECT_EQ(blocks_of(file), 3 * PAGE_SIZE / 512);
	KEXPECT_EQ(vfs_ftruncate(file, 2 * PAGE_SIZE), 0);
	KEXPECT_EQ(blocks_of(file), 2 * PAGE_SIZE / 512);
	file_put(file);
	vfs_fixture_teardown(t, &f);
}

KTEST(falloc, test_punch_hole_frees_whole_pages_and_zeroes_parts)
{
	struct vfs_fixture f;
	struct file *file;
	size_t len;

	KASSERT(vfs_fixture_setup(t, &f));
	KASSERT_EQ(fx_open(&f, "/f", O_RDWR | O_CREAT, 0644, &file), 0);
	memset(buf, 'a', sizeof(buf));
	KEXPECT_EQ(vfs_pwrite(file, buf, sizeof(buf), 0, &len), 0);
	KEXPECT_EQ(blocks_of(file), 3 * PAGE_SIZE / 512);
	/* From the middle of page 0 to the middle of page 2: page 1 goes. */
	KEXPECT_EQ(
		vfs_fallocate(file, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 100, 2 * PAGE_SIZE),
		0);
	KEXPECT_EQ(blocks_of(file), 2 * PAGE_SIZE / 512);
	KEXPECT_EQ(size_of(file), 3 * PAGE_SIZE);
	KEXPECT_EQ(vfs_pread(file, buf, sizeof(buf), 0, &len), 0);
	KEXPECT_EQ(len, sizeof(buf));
	KEXPECT(buf[99] == 'a' && is_zero(buf + 100, 2 * PAGE_SIZE) &&
		buf[2 * PAGE_SIZE + 100] == 'a');
	/* Inside one page: only those bytes. */
	KEXPECT_EQ(vfs_fallocate(file, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
				 2 * PAGE_SIZE + 200, 10),
		   0);
	KEXPECT_EQ(vfs_pread(file, buf, 300, 2 * PAGE_SIZE, &len), 0);
	KEXPECT(buf[199] == 'a' && is_zero(buf + 200, 10) && buf[210] == 'a');
	/* An aligned start with a partial end. */
	KEXPECT_EQ(vfs_fallocate(file, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, 5), 0);
	KEXPECT_EQ(vfs_pread(file, buf, 10, 0, &len), 0);
	KEXPECT(is_zero(buf, 5) && buf[5] == 'a');
	/* Past the end and over holes is fine; whole pages go. */
	KEXPECT_EQ(
		vfs_fallocate(file, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, 100 * PAGE_SIZE),
		0);
	KEXPECT_EQ(blocks_of(file), 0);
	KEXPECT_EQ(size_of(file), 3 * PAGE_SIZE);
	file_put(file);
	vfs_fixture_teardown(t, &f);
}

KTEST(falloc, test_fallocate_past_the_size_limit_changes_nothing)
{
	struct tmpfs_options opts = {.mode = 0755, .max_pages = 4};
	struct vfs_fixture f;
	struct file *file;
	size_t len;

	KASSERT(vfs_fixture_setup_opts(t, &f, &opts));
	KASSERT_EQ(fx_open(&f, "/f", O_RDWR | O_CREAT, 0644, &file), 0);
	KEXPECT_EQ(vfs_pwrite(file, "x", 1, PAGE_SIZE, &len), 0);
	KEXPECT_EQ(vfs_fallocate(file, 0, 0, 5 * PAGE_SIZE), -ENOSPC);
	KEXPECT_EQ(blocks_of(file), PAGE_SIZE / 512);
	KEXPECT_EQ(size_of(file), PAGE_SIZE + 1);
	KEXPECT_EQ(vfs_fallocate(file, 0, 0, 4 * PAGE_SIZE), 0);
	KEXPECT_EQ(blocks_of(file), 4 * PAGE_SIZE / 512);
	file_put(file);
	vfs_fixture_teardown(t, &f);
}

KTEST(falloc, test_fallocate_allocation_failures_change_nothing)
{
	struct vfs_fixture f;
	struct file *file;
	int err = -ENOMEM;

	KASSERT(vfs_fixture_setup(t, &f));
	KASSERT_EQ(fx_open(&f, "/f", O_RDWR | O_CREAT, 0644, &file), 0);
	for (unsigned int n = 1; err == -ENOMEM && n < 100; n++) {
		host_fail_kmalloc_nth(n);
		err = vfs_fallocate(file, 0, 0, 8 * PAGE_SIZE);
		host_fail_kmalloc_nth(0);
		if (err == -ENOMEM) {
			KEXPECT_EQ(size_of(file), 0);
			KEXPECT(vfs_is_consistent(f.vfs));
		}
	}
	KEXPECT_EQ(err, 0);
	KEXPECT_EQ(blocks_of(file), 8 * PAGE_SIZE / 512);
	file_put(file);
	vfs_fixture_teardown(t, &f);
}

/* ABI: vfs_fallocate's order, checked against Linux 6.1 (user/tests/fdio.c, mounts.c). */
KTEST(falloc, test_fallocate_errors)
{
	struct vfs_fixture f;
	struct file *file;
	struct file *ro;
	struct file *dev;

	KASSERT(vfs_fixture_setup(t, &f));
	KEXPECT_EQ(vfs_register_mem_devices(f.vfs), 0);
	KEXPECT_EQ(vfs_mknod(&f.ctx, NULL, "/null", S_IFCHR | 0666, dev_make(1, 3)), 0);
	KASSERT_EQ(fx_open(&f, "/f", O_RDWR | O_CREAT, 0644, &file), 0);
	KASSERT_EQ(fx_open(&f, "/f", O_RDONLY, 0, &ro), 0);
	KASSERT_EQ(fx_open(&f, "/null", O_RDWR, 0, &dev), 0);
	KEXPECT_EQ(vfs_fallocate(file, 0, 0, 0), -EINVAL);
	KEXPECT_EQ(vfs_fallocate(file, 0, -1, 10), -EINVAL);
	KEXPECT_EQ(vfs_fallocate(ro, 0x100, 0, 0), -EINVAL);
	KEXPECT_EQ(vfs_fallocate(file, 0x100, 0, 10), -EOPNOTSUPP);
	KEXPECT_EQ(vfs_fallocate(file, FALLOC_FL_NO_HIDE_STALE, 0, 10), -EOPNOTSUPP);
	KEXPECT_EQ(vfs_fallocate(file, FALLOC_FL_PUNCH_HOLE, 0, 10), -EOPNOTSUPP);
	KEXPECT_EQ(vfs_fallocate(file, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_ZERO_RANGE, 0, 10),
		   -EOPNOTSUPP);
	KEXPECT_EQ(vfs_fallocate(ro, FALLOC_FL_COLLAPSE_RANGE | FALLOC_FL_KEEP_SIZE, 0, 10),
		   -EINVAL);
	KEXPECT_EQ(vfs_fallocate(ro, FALLOC_FL_INSERT_RANGE | FALLOC_FL_KEEP_SIZE, 0, 10), -EINVAL);
	KEXPECT_EQ(vfs_fallocate(ro, FALLOC_FL_UNSHARE_RANGE | FALLOC_FL_ZERO_RANGE, 0, 10),
		   -EINVAL);
	KEXPECT_EQ(vfs_fallocate(ro, 0, 0, 10), -EBADF);
	KEXPECT_EQ(vfs_fallocate(ro, FALLOC_FL_PUNCH_HOLE, 0, 10), -EOPNOTSUPP);
	KEXPECT_EQ(vfs_fallocate(dev, 0, 0, 10), -ENODEV);
	KEXPECT_EQ(vfs_fallocate(file, 0, INT64_MAX - 10, 100), -EFBIG);
	KEXPECT_EQ(vfs_fallocate(file, FALLOC_FL_COLLAPSE_RANGE, 0, PAGE_SIZE), -EOPNOTSUPP);
	KEXPECT_EQ(vfs_fallocate(file, FALLOC_FL_ZERO_RANGE, 0, PAGE_SIZE), -EOPNOTSUPP);
	KEXPECT_EQ(blocks_of(file), 0);
	file_put(dev);
	file_put(ro);
	file_put(file);
	vfs_fixture_teardown(t, &f);
}

KTEST(falloc, test_fadvise)
{
	struct vfs_fixture f;
	struct file *file;

	KASSERT(vfs_fixture_setup(t, &f));
	KASSERT_EQ(fx_open(&f, "/f", O_RDONLY | O_CREAT, 0644, &file), 0);
	KEXPECT_EQ(vfs_fadvise(file, 0, 0, POSIX_FADV_SEQUENTIAL), 0);
	KEXPECT_EQ(vfs_fadvise(file, -1, 1, POSIX_FADV_DONTNEED), 0);
	KEXPECT_EQ(vfs_fadvise(file, 0, 0, 99), -EINVAL);
	KEXPECT_EQ(vfs_fadvise(file, 0, -1, POSIX_FADV_NORMAL), -EINVAL);
	file_put(file);
	vfs_fixture_teardown(t, &f);
}
