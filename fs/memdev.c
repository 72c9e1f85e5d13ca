// SPDX-License-Identifier: MIT
/*
 * The memory character devices of major 1 (Linux drivers/char/mem.c):
 * /dev/null reads end-of-file and swallows writes, /dev/zero reads zeros
 * and swallows writes, /dev/full reads zeros and refuses writes with
 * ENOSPC. All three seek to 0 whatever is asked. Registered through
 * chrdev.c.
 */
#include <tern/errno.h>

#include "internal.h"

enum {
	MEM_MAJOR = 1,
	NULL_MINOR = 3,
	ZERO_MINOR = 5,
	FULL_MINOR = 7,
};

static int null_read(struct file *file, void *buf, size_t len, int64_t *pos, size_t *done)
{
	(void)file, (void)buf, (void)len, (void)pos;
	*done = 0;
	return 0;
}

static int sink_write(struct file *file, const void *buf, size_t len, int64_t *pos, size_t *done)
{
	(void)file, (void)buf, (void)pos;
	*done = len;
	return 0;
}

static int zero_read(struct file *file, void *buf, size_t len, int64_t *pos, size_t *done)
{
	(void)file, (void)pos;
	memset(buf, 0, len);
	*done = len;
	return 0;
}

static int full_write(struct file *file, const void *buf, size_t len, int64_t *pos, size_t *done)
{
	(void)file, (void)buf, (void)len, (void)pos;
	*done = 0;
	return -ENOSPC;
}

/* ABI: null_lseek: the position is 0 whatever is asked. */
static int mem_lseek(struct file *file, int64_t offset, int whence, int64_t *out)
{
	(void)file, (void)offset, (void)whence;
	*out = 0;
	return 0;
}

static const struct file_ops null_ops = {
	.read = null_read,
	.write = sink_write,
	.lseek = mem_lseek,
};

static const struct file_ops zero_ops = {
	.read = zero_read,
	.write = sink_write,
	.lseek = mem_lseek,
};

static const struct file_ops full_ops = {
	.read = zero_read,
	.write = full_write,
	.lseek = mem_lseek,
};

int vfs_register_mem_devices(struct vfs *vfs)
{
	int err = vfs_register_chrdev(vfs, MEM_MAJOR, NULL_MINOR, 1, &null_ops);

	if (!err)
		err = vfs_register_chrdev(vfs, MEM_MAJOR, ZERO_MINOR, 1, &zero_ops);
	if (!err)
		err = vfs_register_chrdev(vfs, MEM_MAJOR, FULL_MINOR, 1, &full_ops);
	return err;
}
