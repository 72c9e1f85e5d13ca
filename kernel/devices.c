// SPDX-License-Identifier: MIT
/*
 * The kernel's character devices and devtmpfs: /dev/random and
 * /dev/urandom (1:8, 1:9), the memory devices and the terminals
 * (drivers/tty), each registered with the VFS; and one devtmpfs instance, a
 * tmpfs holding a node for each, which every mount of "devtmpfs" shows.
 */
#include <linux/stat.h>
#include <tern/errno.h>
#include <tern/files.h>
#include <tern/kernel.h>
#include <tern/tmpfs.h>
#include <tern/tty.h>

struct dev_node {
	const char *name;
	uint32_t major, minor;
	uint32_t mode; /* permission bits, as Linux's drivers set them */
};

static const struct dev_node dev_nodes[] = {
	{"null", 1, 3, 0666},	 {"zero", 1, 5, 0666},	  {"full", 1, 7, 0666},
	{"random", 1, 8, 0666},	 {"urandom", 1, 9, 0666}, {"tty", 5, 0, 0666},
	{"console", 5, 1, 0600}, {"ttyS0", 4, 64, 0600},  {"ptmx", 5, 2, 0666},
};

/* The one devtmpfs, made at its first mount; every mount shows it. */
static struct super_block *devtmpfs;
static struct mutex devtmpfs_lock;

static int random_read(struct file *file, void *buf, size_t len, int64_t *pos, size_t *done)
{
	(void)file, (void)pos;
	random_bytes(buf, len);
	*done = len;
	return 0;
}

/*
 * ABI: Linux mixes written bytes into its pool without crediting entropy
 * and takes them all; Tern's generator takes no input, so they are dropped.
 */
static int random_write(struct file *file, const void *buf, size_t len, int64_t *pos, size_t *done)
{
	(void)file, (void)buf, (void)pos;
	*done = len;
	return 0;
}

static const struct file_ops random_ops = {
	.read = random_read,
	.write = random_write,
};

/* Makes the device nodes in a new devtmpfs, reached through its first mount. */
static int populate(const struct vfs_ctx *ctx, const struct path *dir, const char *name)
{
	static const struct vfs_cred root_cred = {.caps = VFS_CAPS_ALL};
	struct vfs_ctx kctx = {.root = ctx->root, .cwd = ctx->cwd, .cred = &root_cred};
	struct path top;
	int err = vfs_lookup(ctx, dir, name, 0, &top);

	if (err)
		return err;
	for (size_t i = 0; !err && i < ARRAY_SIZE(dev_nodes); i++) {
		const struct dev_node *d = &dev_nodes[i];
		err = vfs_mknod(&kctx, &top, d->name, S_IFCHR | d->mode,
				dev_make(d->major, d->minor));
	}
	vfs_path_put(&top);
	return err;
}

int devtmpfs_mount(const struct vfs_ctx *ctx, const struct path *dir, const char *name,
		   unsigned long ms_flags)
{
	struct tmpfs_options opts = {.mode = 0755};
	uint32_t mnt_flags = vfs_mount_flags_from_ms(ms_flags);

	mutex_lock(&devtmpfs_lock);
	bool is_new = !devtmpfs;
	int err = is_new ? tmpfs_create(root_vfs, &opts, &devtmpfs) : 0;
	/* The first mount is filled through, so it turns read-only only after. */
	if (!err)
		err = vfs_mount(ctx, dir, name, devtmpfs, mnt_flags & ~(uint32_t)MNT_READONLY);
	if (!err && is_new)
		err = populate(ctx, dir, name);
	if (!err && (mnt_flags & MNT_READONLY))
		err = vfs_remount(ctx, dir, name, ms_flags | MS_BIND, NULL);
	if (err && is_new) {
		vfs_super_put(devtmpfs);
		devtmpfs = NULL;
	}
	mutex_unlock(&devtmpfs_lock);
	return err;
}

bool is_devtmpfs_super(const struct super_block *sb)
{
	return sb == READ_ONCE(devtmpfs); /* set once, at the first mount */
}

int devices_init(struct vfs *vfs)
{
	int err = vfs_register_mem_devices(vfs);

	mutex_init(&devtmpfs_lock);
	if (!err)
		err = vfs_register_chrdev(vfs, 1, 8, 2, &random_ops);
	if (!err)
		err = ctty_register(vfs);
	if (!err)
		err = serial_tty_register(vfs);
	if (!err)
		err = pty_register(vfs);
	return err;
}
