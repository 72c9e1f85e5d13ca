// SPDX-License-Identifier: MIT
/*
 * Host tests for fs/memdev.c and fs/chrdev.c: /dev/null, /dev/zero and
 * /dev/full opened through device nodes, and the registry's rules for
 * overlapping and out-of-range device numbers.
 */
#include <tern/errno.h>
#include <tern/string.h>
#include <tern/vfs_testing.h>

static char memdev_buf[3 * PAGE_SIZE];

KTEST(file, test_memdev_null_zero_full)
{
	struct vfs_fixture f;
	struct file *file;
	size_t len;
	int64_t pos;

	KASSERT(vfs_fixture_setup(t, &f));
	KEXPECT_EQ(vfs_register_mem_devices(f.vfs), 0);
	KEXPECT_EQ(vfs_register_mem_devices(f.vfs), -EBUSY);
	KEXPECT_EQ(vfs_mknod(&f.ctx, NULL, "/null", S_IFCHR | 0666, dev_make(1, 3)), 0);
	KEXPECT_EQ(vfs_mknod(&f.ctx, NULL, "/zero", S_IFCHR | 0666, dev_make(1, 5)), 0);
	KEXPECT_EQ(vfs_mknod(&f.ctx, NULL, "/full", S_IFCHR | 0666, dev_make(1, 7)), 0);
	KASSERT_EQ(fx_open(&f, "/null", O_RDWR, 0, &file), 0);
	KEXPECT_EQ(vfs_write(file, memdev_buf, sizeof(memdev_buf), &len), 0);
	KEXPECT_EQ(len, sizeof(memdev_buf));
	KEXPECT_EQ(vfs_read(file, memdev_buf, sizeof(memdev_buf), &len), 0);
	KEXPECT_EQ(len, 0);
	KEXPECT_EQ(vfs_lseek(file, 1234, SEEK_SET, &pos), 0);
	KEXPECT_EQ(pos, 0);
	file_put(file);
	KASSERT_EQ(fx_open(&f, "/zero", O_RDONLY, 0, &file), 0);
	memset(memdev_buf, 0xff, sizeof(memdev_buf));
	KEXPECT_EQ(vfs_read(file, memdev_buf, sizeof(memdev_buf), &len), 0);
	KEXPECT(len == sizeof(memdev_buf) && memdev_buf[0] == 0 &&
		memdev_buf[sizeof(memdev_buf) - 1] == 0);
	KEXPECT_EQ(vfs_pread(file, memdev_buf, 10, 1000, &len), 0);
	KEXPECT_EQ(len, 10);
	file_put(file);
	KASSERT_EQ(fx_open(&f, "/full", O_RDWR, 0, &file), 0);
	KEXPECT_EQ(vfs_write(file, memdev_buf, 1, &len), -ENOSPC);
	KEXPECT_EQ(vfs_read(file, memdev_buf, 5, &len), 0);
	KEXPECT_EQ(len, 5);
	file_put(file);
	KEXPECT_EQ(vfs_register_chrdev(f.vfs, 1, 0, 4, NULL), -EBUSY);
	KEXPECT_EQ(vfs_register_chrdev(f.vfs, 4096, 0, 1, NULL), -EINVAL);
	KEXPECT_EQ(vfs_register_chrdev(f.vfs, 4, 0, 0, NULL), -EINVAL);
	KEXPECT_EQ(vfs_register_chrdev(f.vfs, 4, 0xfffff, 2, NULL), -EINVAL);
	KEXPECT_EQ(vfs_register_chrdev(f.vfs, 1, 8, 1, NULL), 0);
	vfs_fixture_teardown(t, &f);
}
