// SPDX-License-Identifier: MIT
/*
 * Pseudo-terminals. Opening /dev/ptmx (5:2) makes a pair: the file is
 * the master, and slave N (136:N) is a tty whose output the master reads
 * and whose input is what the master writes. The slave is locked until
 * the master unlocks it (TIOCSPTLCK) and appears as /dev/pts/N while a
 * devpts is mounted. Closing the master hangs up the slave; once the
 * slave has been opened and closed again, the master reads EIO and
 * polls POLLHUP.
 */
#include <asm/ioctls.h>
#include <linux/fcntl.h>
#include <linux/stat.h>
#include <tern/errno.h>
#include <tern/files.h>
#include <tern/kernel.h>
#include <tern/poll.h>
#include <tern/proc.h>
#include <tern/signal.h>
#include <tern/string.h>
#include <tern/tmpfs.h>
#include <tern/tty.h>

#define PTY_MAX 256	  /* slaves 136:0 .. 136:255 */
#define PTY_BUF_SIZE 8192 /* slave output waiting for the master */
#define PTS_MAJOR 136

struct pty {
	struct tty slave;
	int index;		  /* I */
	char out[PTY_BUF_SIZE];	  /* T: ring of slave output */
	size_t out_head, out_len; /* T */
	bool master_open;	  /* T */
	bool is_locked;		  /* T: TIOCSPTLCK */
	bool slave_was_opened;	  /* T */
	struct wait_queue master_wait;
};

static struct mutex pty_lock; /* ptys[], devpts */
static struct pty *ptys[PTY_MAX];
static struct super_block *devpts;	  /* the one devpts, made at its first mount */
static struct path devpts_root;		  /* where it was first mounted, referenced */
static struct devpts_options devpts_opts; /* pty_lock: the latest mount's */

static struct pty *pty_of(struct tty *tty)
{
	return tty->driver_data;
}

static void slave_output(struct tty *tty, const char *buf, size_t len)
{
	struct pty *pty = pty_of(tty);

	for (size_t i = 0; i < len && pty->out_len < PTY_BUF_SIZE; i++) {
		pty->out[(pty->out_head + pty->out_len) % PTY_BUF_SIZE] = buf[i];
		pty->out_len++;
	}
	wake_up_all(&pty->master_wait);
}

static size_t slave_write_room(struct tty *tty)
{
	return PTY_BUF_SIZE - pty_of(tty)->out_len;
}

static void pty_free_if_unused(struct pty *pty);

static void slave_release(struct tty *tty)
{
	struct pty *pty = pty_of(tty);

	wake_up_all(&pty->master_wait); /* the master may now read EIO */
	pty_free_if_unused(pty);
}

static const struct tty_driver_ops slave_ops = {
	.output = slave_output,
	.write_room = slave_write_room,
	.release = slave_release,
};

/*
 * A vfs_ctx for making and removing nodes in the devpts: the kernel does
 * it for the caller, whose ids own a new node unless uid= or gid= say
 * otherwise. pty_lock held.
 */
static void devpts_ctx(struct files_ctx *fc)
{
	files_ctx_begin(fc, false);
	fc->ctx.umask = 0;
	fc->cred.caps = VFS_CAPS_ALL;
	if (devpts_opts.has_uid)
		fc->cred.fsuid = devpts_opts.uid;
	if (devpts_opts.has_gid)
		fc->cred.fsgid = devpts_opts.gid;
}

static void pts_name(int index, char *buf)
{
	char tmp[8];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + index % 10);
		index /= 10;
	} while (index);
	for (int i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = 0;
}

/* Adds or removes /dev/pts/N; pty_lock held. Nothing to do without a devpts. */
static int update_node(struct pty *pty, bool add)
{
	struct files_ctx fc;
	char name[8];
	int err;

	if (!devpts)
		return 0;
	pts_name(pty->index, name);
	devpts_ctx(&fc);
	if (add)
		err = vfs_mknod(&fc.ctx, &devpts_root, name, S_IFCHR | devpts_opts.mode,
				dev_make(PTS_MAJOR, (uint32_t)pty->index));
	else
		err = vfs_unlink(&fc.ctx, &devpts_root, name);
	files_ctx_end(&fc);
	return err;
}

static void pty_free_if_unused(struct pty *pty)
{
	mutex_lock(&pty_lock);
	mutex_lock(&pty->slave.lock);
	bool unused = !pty->master_open && !pty->slave.nr_open;
	mutex_unlock(&pty->slave.lock);
	if (unused && ptys[pty->index] == pty) {
		ptys[pty->index] = NULL;
		spin_lock(&proc_lock);
		proc_forget_tty_locked(&pty->slave);
		spin_unlock(&proc_lock);
		kfree(pty);
	}
	mutex_unlock(&pty_lock);
}

static int master_open(struct inode *inode, struct file *file)
{
	struct pty *pty = kzalloc(sizeof(*pty));
	int index = -1;
	char name[16] = "pts/";

	(void)inode;
	if (!pty)
		return -ENOMEM;
	tty_file_nonseekable(file);
	mutex_lock(&pty_lock);
	for (int i = 0; i < PTY_MAX && (uint32_t)i < devpts_opts.max && index < 0; i++)
		if (!ptys[i])
			index = i;
	if (index < 0) {
		mutex_unlock(&pty_lock);
		kfree(pty);
		return -ENOSPC;
	}
	pts_name(index, name + 4);
	tty_init(&pty->slave, name, &slave_ops, pty);
	pty->index = index;
	pty->master_open = true;
	pty->is_locked = true;
	wait_queue_init(&pty->master_wait);
	int err = update_node(pty, true);
	if (!err)
		ptys[index] = pty;
	mutex_unlock(&pty_lock);
	if (err) {
		kfree(pty);
		return err;
	}
	file->private = pty;
	return 0;
}

/* Every slave file that was opened is closed again (Linux's TTY_OTHER_CLOSED); T held. */
static bool slave_is_closed(struct pty *pty)
{
	return pty->slave_was_opened && !pty->slave.nr_open;
}

static bool master_readable(struct pty *pty)
{
	return pty->out_len || slave_is_closed(pty);
}

static int master_read(struct file *file, void *buf, size_t len, int64_t *pos, size_t *done)
{
	struct pty *pty = file->private;
	struct tty *tty = &pty->slave;
	struct wait_entry we = {0};
	int err = 0;

	(void)pos;
	*done = 0;
	mutex_lock(&tty->lock);
	while (!master_readable(pty)) {
		if (file->flags & O_NONBLOCK) {
			err = -EAGAIN;
			break;
		}
		if (signal_pending_current()) {
			err = -ERESTARTSYS;
			break;
		}
		wait_prepare(&pty->master_wait, &we);
		mutex_unlock(&tty->lock);
		schedule();
		wait_finish(&pty->master_wait, &we);
		mutex_lock(&tty->lock);
	}
	if (!err && !pty->out_len)
		err = -EIO; /* ABI: the slave was closed */
	while (!err && *done < len && pty->out_len) {
		((char *)buf)[(*done)++] = pty->out[pty->out_head];
		pty->out_head = (pty->out_head + 1) % PTY_BUF_SIZE;
		pty->out_len--;
	}
	mutex_unlock(&tty->lock);
	if (*done)
		tty_wake_writers(tty);
	return err;
}

static int master_write(struct file *file, const void *buf, size_t len, int64_t *pos, size_t *done)
{
	struct pty *pty = file->private;

	(void)pos;
	return tty_receive_paced(&pty->slave, buf, len, file->flags & O_NONBLOCK, done);
}

/* Opens the slave for TIOCGPTPEER: through its devpts node. */
static int open_peer(struct pty *pty, unsigned int flags, long *out)
{
	struct fdtable *t = files_table();
	struct files_ctx fc;
	struct file *f;
	char name[8];
	int fd, err;

	if (flags & ~(unsigned int)(O_ACCMODE | O_NOCTTY | O_NONBLOCK | O_CLOEXEC))
		return -EINVAL;
	mutex_lock(&pty_lock);
	if (!devpts) {
		mutex_unlock(&pty_lock);
		return -ENOENT;
	}
	struct path root = devpts_root;
	vfs_path_get(&root);
	mutex_unlock(&pty_lock);
	pts_name(pty->index, name);
	err = fd_reserve(t, 0, files_nofile_limit(), &fd);
	if (!err) {
		files_ctx_begin(&fc, false);
		err = vfs_open(&fc.ctx, &root, name, flags | O_NOCTTY, 0, &f);
		files_ctx_end(&fc);
		if (err)
			fd_unreserve(t, fd);
		else
			fd_install(t, fd, f, flags & O_CLOEXEC);
	}
	vfs_path_put(&root);
	*out = fd;
	return err;
}

static int master_ioctl(struct file *file, unsigned int cmd, unsigned long arg, long *out)
{
	struct pty *pty = file->private;
	struct tty *tty = &pty->slave;
	void *uarg = (void *)arg;
	int value;

	*out = 0;
	switch (cmd) {
	case TIOCGPTN:
		return copy_to_user(uarg, &pty->index, sizeof(int));
	case TIOCSPTLCK:
		if (copy_from_user(&value, uarg, sizeof(value)) != 0)
			return -EFAULT;
		mutex_lock(&tty->lock);
		pty->is_locked = value != 0;
		mutex_unlock(&tty->lock);
		return 0;
	case TIOCGPTLCK:
		mutex_lock(&tty->lock);
		value = pty->is_locked;
		mutex_unlock(&tty->lock);
		return copy_to_user(uarg, &value, sizeof(value));
	case TIOCGPTPEER:
		return open_peer(pty, (unsigned int)arg, out);
	case FIONREAD:
		mutex_lock(&tty->lock);
		value = (int)pty->out_len;
		mutex_unlock(&tty->lock);
		return copy_to_user(uarg, &value, sizeof(value));
	case TCGETS:
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
	case TIOCGWINSZ:
	case TIOCSWINSZ:
		/*
		 * ABI: Linux's tty_mode_ioctl and tiocswinsz act on the slave
		 * (tty->link) when called on a pty master.
		 */
		return tty_file_ops.ioctl(&(struct file){.private = tty}, cmd, arg, out);
	default:
		return -ENOTTY;
	}
}

/*
 * ABI: as n_tty_poll on the master: POLLIN for slave output, POLLHUP
 * while the slave is closed, and POLLOUT always, since a master write
 * never waits (it goes straight into the slave's input).
 */
static unsigned int master_poll(struct file *file, struct poll_table *pt)
{
	struct pty *pty = file->private;
	unsigned int mask = POLLOUT | POLLWRNORM;

	poll_wait(file, &pty->master_wait, pt);
	mutex_lock(&pty->slave.lock);
	if (pty->out_len)
		mask |= POLLIN | POLLRDNORM;
	if (slave_is_closed(pty))
		mask |= POLLHUP;
	mutex_unlock(&pty->slave.lock);
	return mask;
}

static void master_release(struct file *file)
{
	struct pty *pty = file->private;

	mutex_lock(&pty_lock);
	if (update_node(pty, false) != 0)
		pr_warn("pty: cannot remove pts/%d\n", pty->index);
	mutex_unlock(&pty_lock);
	mutex_lock(&pty->slave.lock);
	pty->master_open = false;
	pty->slave.other_closed = true;
	mutex_unlock(&pty->slave.lock);
	tty_hangup(&pty->slave);
	pty_free_if_unused(pty);
}

static const struct file_ops master_ops = {
	.open = master_open,
	.read = master_read,
	.write = master_write,
	.ioctl = master_ioctl,
	.poll = master_poll,
	.release = master_release,
};

static int slave_open(struct inode *inode, struct file *file)
{
	uint32_t index = dev_minor(inode->rdev);
	int err = 0;

	mutex_lock(&pty_lock);
	struct pty *pty = index < PTY_MAX ? ptys[index] : NULL;
	if (!pty)
		err = -EIO;
	if (!err) {
		mutex_lock(&pty->slave.lock);
		if (!pty->master_open || pty->is_locked)
			err = -EIO;
		mutex_unlock(&pty->slave.lock);
	}
	if (!err)
		err = tty_open_file(&pty->slave, file, true);
	if (!err) { /* only now: the master must not see a closed slave meanwhile */
		mutex_lock(&pty->slave.lock);
		pty->slave_was_opened = true;
		mutex_unlock(&pty->slave.lock);
	}
	mutex_unlock(&pty_lock);
	return err;
}

static struct file_ops slave_file_ops; /* tty_file_ops with slave_open */

/* Makes pts/ptmx in a new devpts, or gives it the new ptmxmode; pty_lock held. */
static int update_ptmx(bool is_new)
{
	struct files_ctx fc;
	int err;

	devpts_ctx(&fc);
	if (is_new)
		err = vfs_mknod(&fc.ctx, &devpts_root, "ptmx", S_IFCHR | devpts_opts.ptmx_mode,
				dev_make(5, 2));
	else
		err = vfs_chmod(&fc.ctx, &devpts_root, "ptmx", devpts_opts.ptmx_mode, 0);
	files_ctx_end(&fc);
	return err;
}

/*
 * ABI: since Linux 4.7 every devpts mount is an instance of its own, with
 * its own options and ptys. Tern has one instance, so a mount's options
 * replace the instance's (new nodes and pts/ptmx follow them), as a mount
 * without newinstance did before 4.7.
 */
int devpts_mount(const struct vfs_ctx *ctx, const struct path *dir, const char *name,
		 unsigned long ms_flags, char *data)
{
	/* FIXME: MS_RDONLY is ignored: the nodes are made through the first mount. */
	uint32_t mnt_flags = vfs_mount_flags_from_ms(ms_flags) & ~(uint32_t)MNT_READONLY;
	struct tmpfs_options opts = {.mode = 0755};
	struct devpts_options dopts;
	int err = devpts_parse_options(data, &dopts);

	if (err)
		return err;
	mutex_lock(&pty_lock);
	bool is_new = !devpts;
	if (is_new)
		err = tmpfs_create(root_vfs, &opts, &devpts);
	if (!err)
		err = vfs_mount(ctx, dir, name, devpts, mnt_flags);
	if (!err && is_new)
		err = vfs_lookup(ctx, dir, name, 0, &devpts_root);
	if (err && is_new) {
		vfs_super_put(devpts);
		devpts = NULL;
	}
	if (!err)
		devpts_opts = dopts;
	if (!err)
		err = update_ptmx(is_new);
	for (int i = 0; !err && is_new && i < PTY_MAX; i++)
		if (ptys[i])
			err = update_node(ptys[i], true);
	mutex_unlock(&pty_lock);
	return err;
}

bool devpts_is_mounted_at(const struct vfs_ctx *ctx, const struct path *dir, const char *name)
{
	struct path p;

	if (vfs_lookup(ctx, dir, name, 0, &p) != 0)
		return false;
	mutex_lock(&pty_lock);
	bool is_devpts = devpts && p.mnt->sb == devpts && p.dentry == p.mnt->root;
	mutex_unlock(&pty_lock);
	vfs_path_put(&p);
	return is_devpts;
}

/*
 * ABI: devpts_remount: the options before a bad one stay applied, and
 * pts/ptmx gets the (new or default) ptmxmode even when the remount fails.
 */
int devpts_remount(char *data)
{
	struct devpts_options dopts;
	int err = devpts_parse_options(data, &dopts);

	mutex_lock(&pty_lock);
	devpts_opts = dopts;
	int ptmx_err = devpts ? update_ptmx(false) : 0;
	mutex_unlock(&pty_lock);
	return err ? err : ptmx_err;
}

int pty_register(struct vfs *vfs)
{
	mutex_init(&pty_lock);
	devpts_opts = devpts_default_options;
	slave_file_ops = tty_file_ops;
	slave_file_ops.open = slave_open;
	int err = vfs_register_chrdev(vfs, 5, 2, 1, &master_ops);
	if (!err)
		err = vfs_register_chrdev(vfs, PTS_MAJOR, 0, PTY_MAX, &slave_file_ops);
	return err;
}
