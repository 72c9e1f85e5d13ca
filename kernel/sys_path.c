// SPDX-License-Identifier: MIT
/*
 * Syscalls that take path names: open and the namespace operations,
 * attributes, the working directory and root, mount. Each copies its
 * names in, resolves its dirfds and calls the VFS (<tern/vfs.h>) with
 * the caller's lookup context.
 */
#include <linux/fcntl.h>
#include <linux/fs.h>
#include <linux/mount.h>
#include <linux/openat2.h>
#include <linux/stat.h>
#include <linux/time_types.h>
#include <tern/errno.h>
#include <tern/files.h>
#include <tern/proc.h>
#include <tern/procfs.h>
#include <tern/sched.h>
#include <tern/string.h>
#include <tern/sys.h>
#include <tern/tmpfs.h>
#include <tern/tty.h>

/* ABI: values from the man pages that the UAPI headers keep to themselves. */
#define OPEN_HOW_SIZE_VER0 24 /* openat2(2): the first struct open_how */
#define MNT_FORCE 1	      /* umount2(2) */
#define MNT_DETACH 2
#define MNT_EXPIRE 4
#define UMOUNT_NOFOLLOW 8

/*
 * ABI: RESOLVE_IN_ROOT resolves an absolute path from dirfd too (path_init
 * in Linux's fs/namei.c), where at_begin leaves absolute paths dirfd-free.
 */
static int hold_in_root_dirfd(struct at_call *c, int dirfd)
{
	int err;

	if (c->p.dir || dirfd == AT_FDCWD)
		return 0;
	err = files_fd_get(dirfd, &c->p.hold);
	if (!err)
		c->p.dir = &c->p.hold->path;
	return err;
}

/*
 * open, openat, creat, openat2 (resolve: RESOLVE_*, checked already): a
 * descriptor is reserved first (EMFILE wins).
 */
static long do_open(int dirfd, const char *upath, unsigned int flags, uint32_t mode,
		    uint64_t resolve)
{
	struct fdtable *t = files_table();
	struct at_call c;
	struct file *f;
	int fd, err;

	if (!t)
		return -EMFILE;
	err = at_begin(&c, dirfd, upath, false);
	if (err)
		return err;
	if (resolve & RESOLVE_IN_ROOT) {
		err = hold_in_root_dirfd(&c, dirfd);
		if (err)
			return at_end(&c, err);
	}
	err = fd_reserve(t, 0, files_nofile_limit(), &fd);
	if (err)
		return at_end(&c, err);
	/* ABI: force_o_largefile on 64-bit; the mode only matters when creating. */
	flags |= O_LARGEFILE;
	if (!(flags & (O_CREAT | __O_TMPFILE)))
		mode = 0;
	err = vfs_openat2(&c.fc.ctx, c.p.dir, c.p.name, flags, mode & 07777, resolve, &f);
	if (err) {
		fd_unreserve(t, fd);
		return at_end(&c, err);
	}
	fd_install(t, fd, f, flags & O_CLOEXEC);
	return at_end(&c, fd);
}

long sys_open(const unsigned long args[6])
{
	return do_open(AT_FDCWD, (const char *)args[0], (unsigned int)args[1], (uint32_t)args[2],
		       0);
}

long sys_openat(const unsigned long args[6])
{
	return do_open((int)args[0], (const char *)args[1], (unsigned int)args[2],
		       (uint32_t)args[3], 0);
}

long sys_creat(const unsigned long args[6])
{
	return do_open(AT_FDCWD, (const char *)args[0], O_CREAT | O_WRONLY | O_TRUNC,
		       (uint32_t)args[1], 0);
}

/* ABI: the flags openat2 accepts (VALID_OPEN_FLAGS). */
#define VALID_OPEN_FLAGS                                                                       \
	(O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_APPEND | O_NONBLOCK | O_DSYNC | \
	 FASYNC | O_DIRECT | O_LARGEFILE | O_DIRECTORY | O_NOFOLLOW | O_NOATIME | O_CLOEXEC |  \
	 O_PATH | __O_TMPFILE | __O_SYNC)
/* ABI: O_PATH_FLAGS; openat2 refuses what openat ignores. */
#define OPENAT2_O_PATH_FLAGS (O_DIRECTORY | O_NOFOLLOW | O_PATH | O_CLOEXEC)

long sys_openat2(const unsigned long args[6])
{
	struct open_how how = {0};
	size_t size = args[3];

	if (size < OPEN_HOW_SIZE_VER0)
		return -EINVAL;
	if (size > PAGE_SIZE)
		return -E2BIG;
	if (copy_from_user(&how, (const void *)args[2], MIN(size, sizeof(how))) != 0)
		return -EFAULT;
	/* ABI: copy_struct_from_user: unknown trailing bytes must be zero. */
	for (size_t off = sizeof(how); off < size; off++) {
		uint8_t b;
		if (copy_from_user(&b, (const uint8_t *)args[2] + off, 1) != 0)
			return -EFAULT;
		if (b)
			return -E2BIG;
	}
	/* ABI: build_open_flags' order; vfs_open_check does the rest of it. */
	if (how.flags & ~(uint64_t)VALID_OPEN_FLAGS)
		return -EINVAL;
	bool creates = how.flags & (O_CREAT | __O_TMPFILE);
	if (how.mode & ~(uint64_t)07777 || (!creates && how.mode))
		return -EINVAL;
	if ((how.flags & O_PATH) && (how.flags & ~(uint64_t)OPENAT2_O_PATH_FLAGS))
		return -EINVAL;
	int err = vfs_open_check((unsigned int)how.flags, how.resolve);
	if (err)
		return err;
	return do_open((int)args[0], (const char *)args[1], (unsigned int)how.flags,
		       (uint32_t)how.mode, how.resolve);
}

long sys_mkdirat(const unsigned long args[6])
{
	struct at_call c;
	int err = at_begin(&c, (int)args[0], (const char *)args[1], false);

	if (err)
		return err;
	return at_end(&c, vfs_mkdir(&c.fc.ctx, c.p.dir, c.p.name, (uint32_t)args[2] & 07777));
}

long sys_mkdir(const unsigned long args[6])
{
	const unsigned long a[6] = {(unsigned long)AT_FDCWD, args[0], args[1]};

	return sys_mkdirat(a);
}

long sys_mknodat(const unsigned long args[6])
{
	uint32_t mode = (uint32_t)args[2];
	struct at_call c;
	int err;

	/* ABI: no type means a regular file; directories and unknown types are EINVAL/EPERM. */
	if (!(mode & S_IFMT))
		mode |= S_IFREG;
	switch (mode & S_IFMT) {
	case S_IFREG:
	case S_IFCHR:
	case S_IFBLK:
	case S_IFIFO:
	case S_IFSOCK:
		break;
	case S_IFDIR:
		return -EPERM;
	default:
		return -EINVAL;
	}
	err = at_begin(&c, (int)args[0], (const char *)args[1], false);
	if (err)
		return err;
	return at_end(&c, vfs_mknod(&c.fc.ctx, c.p.dir, c.p.name, mode & (S_IFMT | 07777),
				    dev_from_user(args[3])));
}

long sys_mknod(const unsigned long args[6])
{
	const unsigned long a[6] = {(unsigned long)AT_FDCWD, args[0], args[1], args[2]};

	return sys_mknodat(a);
}

long sys_unlinkat(const unsigned long args[6])
{
	unsigned int flags = (unsigned int)args[2];
	struct at_call c;
	int err;

	if (flags & ~(unsigned int)AT_REMOVEDIR)
		return -EINVAL;
	err = at_begin(&c, (int)args[0], (const char *)args[1], false);
	if (err)
		return err;
	if (flags & AT_REMOVEDIR)
		return at_end(&c, vfs_rmdir(&c.fc.ctx, c.p.dir, c.p.name));
	return at_end(&c, vfs_unlink(&c.fc.ctx, c.p.dir, c.p.name));
}

long sys_unlink(const unsigned long args[6])
{
	const unsigned long a[6] = {(unsigned long)AT_FDCWD, args[0], 0};

	return sys_unlinkat(a);
}

long sys_rmdir(const unsigned long args[6])
{
	const unsigned long a[6] = {(unsigned long)AT_FDCWD, args[0], AT_REMOVEDIR};

	return sys_unlinkat(a);
}

/* Two-path calls (rename, link): both names, then the context. */
static long two_paths(int olddirfd, const char *uold, int newdirfd, const char *unew,
		      bool old_may_be_empty, unsigned int op, unsigned int flags)
{
	struct at_path o, n;
	struct files_ctx fc;
	int err = at_path_get(&o, olddirfd, uold, old_may_be_empty);

	if (err)
		return err;
	err = at_path_get(&n, newdirfd, unew, false);
	if (err) {
		at_path_put(&o);
		return err;
	}
	files_ctx_begin(&fc, false);
	if (op == 'r')
		err = vfs_rename(&fc.ctx, o.dir, o.name, n.dir, n.name, flags);
	else
		err = vfs_link(&fc.ctx, o.dir, o.name, n.dir, n.name, flags);
	files_ctx_end(&fc);
	at_path_put(&n);
	at_path_put(&o);
	return err;
}

long sys_renameat2(const unsigned long args[6])
{
	unsigned int flags = (unsigned int)args[4];

	if (flags & ~(unsigned int)(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT))
		return -EINVAL;
	if ((flags & RENAME_EXCHANGE) && (flags & (RENAME_NOREPLACE | RENAME_WHITEOUT)))
		return -EINVAL;
	if (flags & RENAME_WHITEOUT)
		return -EINVAL; /* tmpfs has no whiteouts without overlayfs */
	return two_paths((int)args[0], (const char *)args[1], (int)args[2], (const char *)args[3],
			 false, 'r', flags);
}

long sys_renameat(const unsigned long args[6])
{
	const unsigned long a[6] = {args[0], args[1], args[2], args[3], 0};

	return sys_renameat2(a);
}

long sys_rename(const unsigned long args[6])
{
	const unsigned long a[6] = {(unsigned long)AT_FDCWD, args[0], (unsigned long)AT_FDCWD,
				    args[1], 0};

	return sys_renameat2(a);
}

long sys_linkat(const unsigned long args[6])
{
	unsigned int flags = (unsigned int)args[4];

	if (flags & ~(unsigned int)(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	return two_paths((int)args[0], (const char *)args[1], (int)args[2], (const char *)args[3],
			 flags & AT_EMPTY_PATH, 'l', flags);
}

long sys_link(const unsigned long args[6])
{
	const unsigned long a[6] = {(unsigned long)AT_FDCWD, args[0], (unsigned long)AT_FDCWD,
				    args[1], 0};

	return sys_linkat(a);
}

long sys_symlinkat(const unsigned long args[6])
{
	char *target;
	struct at_call c;
	int err = files_getname((const char *)args[0], false, &target);

	if (err)
		return err;
	err = at_begin(&c, (int)args[1], (const char *)args[2], false);
	if (!err)
		err = (int)at_end(&c, vfs_symlink(&c.fc.ctx, target, c.p.dir, c.p.name));
	kfree(target);
	return err;
}

long sys_symlink(const unsigned long args[6])
{
	const unsigned long a[6] = {args[0], (unsigned long)AT_FDCWD, args[1]};

	return sys_symlinkat(a);
}

long sys_readlinkat(const unsigned long args[6])
{
	int size = (int)args[3];
	struct at_call c;
	size_t len;
	int err;

	if (size <= 0)
		return -EINVAL;
	err = at_begin(&c, (int)args[0], (const char *)args[1], true);
	if (err)
		return err;
	size_t cap = MIN((size_t)size, (size_t)PATH_MAX);
	char *buf = kmalloc(cap);
	err = buf ? vfs_readlink(&c.fc.ctx, c.p.dir, c.p.name, buf, cap, &len) : -ENOMEM;
	if (!err && copy_to_user((void *)args[2], buf, len) != 0)
		err = -EFAULT;
	kfree(buf);
	return at_end(&c, err ? err : (long)len);
}

long sys_readlink(const unsigned long args[6])
{
	const unsigned long a[6] = {(unsigned long)AT_FDCWD, args[0], args[1], args[2]};

	return sys_readlinkat(a);
}

long sys_fchmodat(const unsigned long args[6])
{
	struct at_call c;
	int err = at_begin(&c, (int)args[0], (const char *)args[1], false);

	if (err)
		return err;
	return at_end(&c, vfs_chmod(&c.fc.ctx, c.p.dir, c.p.name, (uint32_t)args[2] & 07777, 0));
}

long sys_chmod(const unsigned long args[6])
{
	const unsigned long a[6] = {(unsigned long)AT_FDCWD, args[0], args[1]};

	return sys_fchmodat(a);
}

/* The fchmod/fchown/futimens forms: an open (not O_PATH) descriptor. */
static int fd_path_begin(unsigned long fd, struct file **f, struct files_ctx *fc)
{
	int err = files_fd_get((int)fd, f);

	if (err)
		return err;
	if ((*f)->mode & FMODE_PATH) {
		file_put(*f);
		return -EBADF;
	}
	files_ctx_begin(fc, false);
	return 0;
}

static long fd_path_end(struct file *f, struct files_ctx *fc, long ret)
{
	files_ctx_end(fc);
	file_put(f);
	return ret;
}

long sys_fchmod(const unsigned long args[6])
{
	struct files_ctx fc;
	struct file *f;
	int err = fd_path_begin(args[0], &f, &fc);

	if (err)
		return err;
	return fd_path_end(f, &fc, vfs_chmod_path(&fc.ctx, &f->path, (uint32_t)args[1] & 07777));
}

long sys_fchownat(const unsigned long args[6])
{
	unsigned int flags = (unsigned int)args[4];
	struct at_call c;
	int err;

	if (flags & ~(unsigned int)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	err = at_begin(&c, (int)args[0], (const char *)args[1], flags & AT_EMPTY_PATH);
	if (err)
		return err;
	return at_end(&c, vfs_chown(&c.fc.ctx, c.p.dir, c.p.name, (uint32_t)args[2],
				    (uint32_t)args[3], flags));
}

long sys_chown(const unsigned long args[6])
{
	const unsigned long a[6] = {(unsigned long)AT_FDCWD, args[0], args[1], args[2], 0};

	return sys_fchownat(a);
}

long sys_lchown(const unsigned long args[6])
{
	const unsigned long a[6] = {(unsigned long)AT_FDCWD, args[0], args[1], args[2],
				    AT_SYMLINK_NOFOLLOW};

	return sys_fchownat(a);
}

long sys_fchown(const unsigned long args[6])
{
	struct files_ctx fc;
	struct file *f;
	int err = fd_path_begin(args[0], &f, &fc);

	if (err)
		return err;
	return fd_path_end(f, &fc,
			   vfs_chown_path(&fc.ctx, &f->path, (uint32_t)args[1], (uint32_t)args[2]));
}

static bool utime_nsec_ok(long nsec)
{
	return nsec == VFS_UTIME_NOW || nsec == VFS_UTIME_OMIT || (nsec >= 0 && nsec < 1000000000L);
}

long sys_utimensat(const unsigned long args[6])
{
	const struct __kernel_timespec *utimes = (const struct __kernel_timespec *)args[2];
	unsigned int flags = (unsigned int)args[3];
	struct vfs_timespec_pair times, *tp = NULL;

	if (utimes) {
		struct __kernel_timespec ts[2];
		if (copy_from_user(ts, utimes, sizeof(ts)) != 0)
			return -EFAULT;
		if (!utime_nsec_ok(ts[0].tv_nsec) || !utime_nsec_ok(ts[1].tv_nsec))
			return -EINVAL;
		times = (struct vfs_timespec_pair){{ts[0].tv_sec, ts[0].tv_nsec},
						   {ts[1].tv_sec, ts[1].tv_nsec}};
		tp = &times;
	}
	if (flags & ~(unsigned int)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (!args[1] && (int)args[0] != AT_FDCWD) { /* futimens(2) */
		struct files_ctx fc;
		struct file *f;
		if (flags & AT_SYMLINK_NOFOLLOW)
			return -EINVAL;
		int err = files_fd_get((int)args[0], &f);
		if (err)
			return err;
		files_ctx_begin(&fc, false);
		return fd_path_end(f, &fc, vfs_utimens_path(&fc.ctx, &f->path, tp));
	}
	struct at_call c;
	int err = at_begin(&c, (int)args[0], (const char *)args[1], flags & AT_EMPTY_PATH);
	if (err)
		return err;
	return at_end(&c, vfs_utimens(&c.fc.ctx, c.p.dir, c.p.name, tp, flags));
}

static long do_access(int dirfd, const char *upath, uint32_t mode, unsigned int flags)
{
	struct at_call c;
	int err;

	if (mode & ~(uint32_t)S_IRWXO)
		return -EINVAL;
	if (flags & ~(unsigned int)(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	err = at_path_get(&c.p, dirfd, upath, flags & AT_EMPTY_PATH);
	if (err)
		return err;
	files_ctx_begin(&c.fc, !(flags & AT_EACCESS));
	return at_end(&c, vfs_access(&c.fc.ctx, c.p.dir, c.p.name, mode, flags));
}

long sys_access(const unsigned long args[6])
{
	return do_access(AT_FDCWD, (const char *)args[0], (uint32_t)args[1], 0);
}

long sys_faccessat(const unsigned long args[6])
{
	return do_access((int)args[0], (const char *)args[1], (uint32_t)args[2], 0);
}

long sys_faccessat2(const unsigned long args[6])
{
	return do_access((int)args[0], (const char *)args[1], (uint32_t)args[2],
			 (unsigned int)args[3]);
}

long sys_truncate(const unsigned long args[6])
{
	struct at_call c;
	int err = at_begin(&c, AT_FDCWD, (const char *)args[0], false);

	if (err)
		return err;
	return at_end(&c, vfs_truncate(&c.fc.ctx, NULL, c.p.name, (int64_t)args[1]));
}

/* chdir, fchdir, chroot: a new directory swapped into the caller's fs_struct. */
static void set_fs_path(struct path *slot, const struct path *now)
{
	struct fs_struct *fs = current_task()->fs;

	mutex_lock(&fs->lock);
	struct path old = *slot;
	spin_lock(&proc_lock); /* /proc reads other tasks' paths under it */
	*slot = *now;
	spin_unlock(&proc_lock);
	mutex_unlock(&fs->lock);
	vfs_path_put(&old);
}

long sys_chdir(const unsigned long args[6])
{
	struct path now;
	struct at_call c;
	int err = at_begin(&c, AT_FDCWD, (const char *)args[0], false);

	if (err)
		return err;
	err = vfs_chdir(&c.fc.ctx, NULL, c.p.name, 0, &now);
	if (!err)
		set_fs_path(&current_task()->fs->cwd, &now);
	return at_end(&c, err);
}

long sys_fchdir(const unsigned long args[6])
{
	struct files_ctx fc;
	struct path now;
	struct file *f;
	int err = files_fd_get((int)args[0], &f);

	if (err)
		return err;
	files_ctx_begin(&fc, false);
	err = vfs_chdir(&fc.ctx, &f->path, "", AT_EMPTY_PATH, &now);
	if (!err)
		set_fs_path(&current_task()->fs->cwd, &now);
	return fd_path_end(f, &fc, err);
}

long sys_chroot(const unsigned long args[6])
{
	struct path now;
	struct at_call c;
	int err = at_begin(&c, AT_FDCWD, (const char *)args[0], false);

	if (err)
		return err;
	err = vfs_chroot(&c.fc.ctx, NULL, c.p.name, &now);
	if (!err)
		set_fs_path(&current_task()->fs->root, &now);
	return at_end(&c, err);
}

long sys_getcwd(const unsigned long args[6])
{
	struct files_ctx fc;
	char *buf = kmalloc(PATH_MAX);
	size_t len;
	int err;

	if (!buf)
		return -ENOMEM;
	files_ctx_begin(&fc, false);
	err = vfs_path_name(&fc.ctx, &fc.ctx.cwd, true, buf, PATH_MAX, &len);
	files_ctx_end(&fc);
	if (err == -ERANGE)
		err = -ENAMETOOLONG;
	if (!err && len > args[1])
		err = -ERANGE;
	if (!err && copy_to_user((void *)args[0], buf, len) != 0)
		err = -EFAULT;
	kfree(buf);
	return err ? err : (long)len;
}

/* mount(2)'s data, a string of at most a page; *out NULL when udata is. */
static int mount_data_get(const char *udata, char **out)
{
	long n;

	*out = NULL;
	if (!udata)
		return 0;
	*out = kmalloc(PAGE_SIZE);
	if (!*out)
		return -ENOMEM;
	n = strncpy_from_user(*out, udata, PAGE_SIZE);
	if (n < 0) {
		kfree(*out);
		*out = NULL;
		return (int)n;
	}
	return 0;
}

static long mount_tmpfs(struct at_call *c, const char *udata, unsigned long flags)
{
	struct tmpfs_options opts = {.mode = 01777,
				     .is_readonly = flags & MS_RDONLY,
				     .max_pages = tmpfs_default_max_pages()};
	struct super_block *sb;
	char *data;
	int err = mount_data_get(udata, &data);

	if (!err && data)
		err = tmpfs_parse_options(data, &opts, NULL);
	kfree(data);
	if (!err)
		err = tmpfs_create(root_vfs, &opts, &sb);
	if (err)
		return err;
	err = vfs_mount(&c->fc.ctx, c->p.dir, c->p.name, sb, vfs_mount_flags_from_ms(flags));
	vfs_super_put(sb);
	return err;
}

/*
 * MS_REMOUNT, with MS_BIND or not: the options are copied in first, as
 * Linux does. A devpts takes its own options (drivers/tty/pty.c) before
 * the VFS changes the flags; a bind remount changes only the flags.
 */
static long remount(const char *upath, const char *udata, unsigned long flags)
{
	struct at_call c;
	char *data;
	int err = mount_data_get(udata, &data);

	if (err)
		return err;
	err = at_begin(&c, AT_FDCWD, upath, false);
	if (err)
		goto out;
	bool is_devpts = !(flags & MS_BIND) && devpts_is_mounted_at(&c.fc.ctx, c.p.dir, c.p.name);
	if (is_devpts)
		err = devpts_remount(data);
	if (!err)
		err = vfs_remount(&c.fc.ctx, c.p.dir, c.p.name, flags, is_devpts ? NULL : data);
	err = (int)at_end(&c, err);
out:
	kfree(data);
	return err;
}

/* mount -t devpts: its options are devpts's (drivers/tty/pty.c). */
static long mount_devpts(struct at_call *c, const char *udata, unsigned long flags)
{
	char *data;
	int err = mount_data_get(udata, &data);

	if (!err)
		err = devpts_mount(&c->fc.ctx, c->p.dir, c->p.name, flags, data);
	kfree(data);
	return err;
}

/* mount -t proc: a procfs over the kernel's processes; options are ignored. */
static long mount_proc(struct at_call *c, unsigned long flags)
{
	struct super_block *sb;
	int err = procfs_create(root_vfs, &procfs_kernel_provider, &sb);

	if (err)
		return err;
	err = vfs_mount(&c->fc.ctx, c->p.dir, c->p.name, sb, vfs_mount_flags_from_ms(flags));
	vfs_super_put(sb);
	return err;
}

/*
 * mount(2): tmpfs, devtmpfs, devpts, proc and bind mounts with their flags
 * (MS_RDONLY, MS_NOSUID, ...), and remounts that change them. Other file
 * systems are ENODEV until they exist; propagation changes and moves are
 * EINVAL. FIXME: sysfs.
 */
long sys_mount(const unsigned long args[6])
{
	unsigned long flags = args[3];
	char type[32];
	struct at_call c;
	long err;

	if (!proc_cred_has_cap(current_cred(), CAP_SYS_ADMIN))
		return -EPERM;
	if ((flags & MS_MGC_MSK) == MS_MGC_VAL)
		flags &= ~MS_MGC_MSK;
	if (flags & MS_NOUSER)
		return -EINVAL;
	if (flags & MS_REMOUNT)
		return remount((const char *)args[1], (const char *)args[4], flags);
	if (flags & MS_BIND) {
		struct at_path src;
		err = at_path_get(&src, AT_FDCWD, (const char *)args[0], false);
		if (err)
			return err;
		err = at_begin(&c, AT_FDCWD, (const char *)args[1], false);
		if (!err)
			err = at_end(&c, vfs_bind_mount(&c.fc.ctx, NULL, src.name, NULL, c.p.name));
		at_path_put(&src);
		return err;
	}
	if (flags & (MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE | MS_MOVE))
		return -EINVAL;
	err = strncpy_from_user(type, (const char *)args[2], sizeof(type));
	if (err < 0)
		return err == -ENAMETOOLONG ? -ENODEV : err;
	bool is_devtmpfs = !strcmp(type, "devtmpfs");
	bool is_devpts = !strcmp(type, "devpts");
	bool is_proc = !strcmp(type, "proc");
	if (strcmp(type, "tmpfs") != 0 && !is_devtmpfs && !is_devpts && !is_proc)
		return -ENODEV;
	err = at_begin(&c, AT_FDCWD, (const char *)args[1], false);
	if (err)
		return err;
	if (is_devtmpfs)
		return at_end(&c, devtmpfs_mount(&c.fc.ctx, c.p.dir, c.p.name, flags));
	if (is_devpts)
		return at_end(&c, mount_devpts(&c, (const char *)args[4], flags));
	if (is_proc)
		return at_end(&c, mount_proc(&c, flags));
	return at_end(&c, mount_tmpfs(&c, (const char *)args[4], flags));
}

long sys_umount2(const unsigned long args[6])
{
	unsigned int flags = (unsigned int)args[1];
	struct at_call c;
	int err;

	if (flags & ~(unsigned int)(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW))
		return -EINVAL;
	if ((flags & MNT_EXPIRE) && (flags & (MNT_FORCE | MNT_DETACH)))
		return -EINVAL;
	err = at_begin(&c, AT_FDCWD, (const char *)args[0], false);
	if (err)
		return err;
	/* FIXME: MNT_DETACH detaches only what nothing uses (EBUSY otherwise). */
	return at_end(&c, vfs_umount(&c.fc.ctx, NULL, c.p.name));
}
