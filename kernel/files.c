// SPDX-License-Identifier: MIT
/*
 * The VFS seen from processes: the root file system made at boot, each
 * thread's descriptor table and fs_struct (root and cwd) across clone,
 * exec and exit, and the per-call lookup context of the file syscalls.
 */
#include <linux/limits.h>
#include <linux/sched.h>
#include <tern/anon_file.h>
#include <tern/boot.h>
#include <tern/errno.h>
#include <tern/filelock.h>
#include <tern/files.h>
#include <tern/initramfs.h>
#include <tern/kernel.h>
#include <tern/pipe.h>
#include <tern/proc.h>
#include <tern/string.h>
#include <tern/sys.h>
#include <tern/tmpfs.h>

#include "internal.h"

#define DCACHE_HASH_BITS 12

struct vfs *root_vfs;

/* Root's credentials, for work the kernel does on its own behalf. */
static const struct vfs_cred kernel_cred = {.caps = VFS_CAPS_ALL};

static int unpack_initramfs(const struct path *root)
{
	const void *buf = phys_to_virt(boot_info.initrd_phys);
	size_t len = boot_info.initrd_size;

	if (!len)
		return 0;
	int err = vfs_unpack_initramfs(root, buf, len);
	if (err)
		pr_warn("initramfs: unpacking failed (%d); keeping what came before\n", err);
	return err == -EINVAL ? 0 : err;
}

uint64_t tmpfs_default_max_pages(void)
{
	return mm_total_bytes() / 2 / PAGE_SIZE;
}

int files_boot(void)
{
	struct tmpfs_options opts = {.mode = 0755, .max_pages = tmpfs_default_max_pages()};
	struct super_block *sb;
	struct path root;
	int err = vfs_create(DCACHE_HASH_BITS, &root_vfs);

	if (err)
		return err;
	err = devices_init(root_vfs);
	if (!err)
		err = pipe_register(root_vfs);
	if (!err)
		err = anon_inodes_register(root_vfs);
	if (!err)
		locks_register(root_vfs);
	if (!err)
		err = tmpfs_create(root_vfs, &opts, &sb);
	if (err)
		return err;
	err = vfs_mount_root(root_vfs, sb, 0, &root);
	vfs_super_put(sb);
	if (err)
		return err;
	/* What Linux's built-in initramfs holds, before the loaded one. */
	struct vfs_ctx ctx = {.root = root, .cwd = root, .cred = &kernel_cred};
	err = vfs_mkdir(&ctx, NULL, "/dev", 0755);
	if (!err)
		err = vfs_mknod(&ctx, NULL, "/dev/console", S_IFCHR | 0600, dev_make(5, 1));
	if (!err)
		err = unpack_initramfs(&root);
	vfs_path_put(&root);
	return err;
}

bool files_boot_has_file(const char *path)
{
	struct path root = {root_vfs->root_mount, root_vfs->root_mount->root};
	struct vfs_ctx ctx = {.root = root, .cwd = root, .cred = &kernel_cred};
	struct kstat ks;

	return vfs_stat(&ctx, NULL, path, 0, &ks) == 0 && S_ISREG(ks.mode);
}

static int fs_struct_create(const struct path *root, const struct path *cwd, struct fs_struct **out)
{
	struct fs_struct *fs = kzalloc(sizeof(*fs));

	if (!fs)
		return -ENOMEM;
	mutex_init(&fs->lock);
	fs->refcount = 1;
	fs->root = *root;
	fs->cwd = *cwd;
	vfs_path_get(root);
	vfs_path_get(cwd);
	*out = fs;
	return 0;
}

static void fs_struct_put(struct fs_struct *fs)
{
	if (!fs || __atomic_sub_fetch(&fs->refcount, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	vfs_path_put(&fs->root);
	vfs_path_put(&fs->cwd);
	kfree(fs);
}

int files_init_first(struct task *t)
{
	struct path root = {root_vfs->root_mount, root_vfs->root_mount->root};
	struct file *console;
	int err = fs_struct_create(&root, &root, &t->fs);

	if (!err)
		err = fdtable_create(&t->files);
	if (err)
		return err;
	struct files_ctx fc;
	files_ctx_begin(&fc, false);
	err = vfs_open(&fc.ctx, NULL, "/dev/console", O_RDWR, 0, &console);
	files_ctx_end(&fc);
	if (err) {
		pr_warn("Warning: unable to open an initial console.\n");
		return 0;
	}
	for (int fd = 0; fd < 3 && !err; fd++) {
		int got;
		file_get(console);
		err = fd_alloc(t->files, fd, 3, console, false, &got);
		if (err)
			file_put(console);
	}
	file_put(console);
	return err;
}

int files_clone(struct task *child, uint64_t clone_flags)
{
	struct task *self = current_task();
	int err = 0;

	child->files = NULL;
	child->fs = NULL;
	if (self->files && (clone_flags & CLONE_FILES)) {
		fdtable_get(self->files);
		child->files = self->files;
	} else if (self->files) {
		err = fdtable_clone(self->files, &child->files);
	}
	if (err || !self->fs)
		return err;
	if (clone_flags & CLONE_FS) {
		__atomic_add_fetch(&self->fs->refcount, 1, __ATOMIC_RELAXED);
		child->fs = self->fs;
		return 0;
	}
	mutex_lock(&self->fs->lock);
	err = fs_struct_create(&self->fs->root, &self->fs->cwd, &child->fs);
	mutex_unlock(&self->fs->lock);
	if (err) {
		fdtable_put(child->files);
		child->files = NULL;
	}
	return err;
}

void files_task_exit(struct task *t)
{
	spin_lock(&proc_lock); /* /proc finds them through the task */
	struct fdtable *files = t->files;

	t->files = NULL;
	spin_unlock(&proc_lock);
	/*
	 * The table goes first, while the task still has its root and cwd:
	 * closing the last descriptor of a file may need them (a pty
	 * master's release removes its /dev/pts node through a files_ctx),
	 * as Linux's do_exit runs exit_files before exit_fs.
	 */
	if (files)
		fdtable_put(files);
	spin_lock(&proc_lock);
	struct fs_struct *fs = t->fs;

	t->fs = NULL;
	spin_unlock(&proc_lock);
	fs_struct_put(fs);
}

int files_unshare(void)
{
	struct task *t = current_task();
	struct fdtable *old = t->files;
	struct fdtable *copy;

	if (!old || __atomic_load_n(&old->refcount, __ATOMIC_ACQUIRE) == 1)
		return 0;
	int err = fdtable_clone(old, &copy);
	if (err)
		return err;
	spin_lock(&proc_lock); /* /proc reads other tasks' tables under it */
	t->files = copy;
	spin_unlock(&proc_lock);
	fdtable_put(old);
	return 0;
}

int files_exec(void)
{
	int err = files_unshare();

	if (!err && current_task()->files)
		fd_close_on_exec(current_task()->files);
	return err;
}

uint64_t cred_vfs_caps(const struct cred *c)
{
	/* The effective set already follows the euid and the fsuid (kernel/cred.c). */
	return c->cap_effective;
}

void files_ctx_begin(struct files_ctx *fc, bool access_ids)
{
	struct task *t = current_task();
	struct proc *p = t->proc;
	struct fs_struct *fs = t->fs;

	spin_lock(&proc_lock);
	const struct cred *c = &p->cred;
	if (access_ids) {
		/*
		 * access(2): the real ids, and the permitted capabilities only
		 * for real uid 0, as Linux's faccessat override_creds.
		 */
		fc->cred.caps = c->uid == 0 ? c->cap_permitted : 0;
		fc->cred.fsuid = c->uid;
		fc->cred.fsgid = c->gid;
	} else {
		fc->cred.caps = cred_vfs_caps(c);
		fc->cred.fsuid = c->fsuid;
		fc->cred.fsgid = c->fsgid;
	}
	fc->cred.nr_groups = MIN(c->ngroups, (uint32_t)ARRAY_SIZE(fc->groups));
	memcpy(fc->groups, c->groups, fc->cred.nr_groups * sizeof(fc->groups[0]));
	fc->ctx.umask = p->umask;
	spin_unlock(&proc_lock);
	fc->cred.groups = fc->groups;
	fc->ctx.cred = &fc->cred;
	/*
	 * An fs_struct only this task uses (no CLONE_FS sharer) can change
	 * only through this task's own chdir/chroot, which read ctx before
	 * they swap: its root and cwd stay put for the whole call and are
	 * borrowed, saving four VFS-lock round trips per path syscall. Only
	 * this task could share the struct, so the count cannot rise meanwhile.
	 */
	fc->is_borrowed = __atomic_load_n(&fs->refcount, __ATOMIC_ACQUIRE) == 1;
	if (fc->is_borrowed) {
		fc->ctx.root = fs->root;
		fc->ctx.cwd = fs->cwd;
		return;
	}
	mutex_lock(&fs->lock);
	fc->ctx.root = fs->root;
	fc->ctx.cwd = fs->cwd;
	vfs_path_get(&fc->ctx.root);
	vfs_path_get(&fc->ctx.cwd);
	mutex_unlock(&fs->lock);
}

void files_ctx_end(struct files_ctx *fc)
{
	if (fc->is_borrowed)
		return;
	vfs_path_put(&fc->ctx.root);
	vfs_path_put(&fc->ctx.cwd);
}

struct fdtable *files_table(void)
{
	return current_task()->files;
}

unsigned int files_nofile_limit(void)
{
	uint64_t lim = current_proc()->rlim[RLIMIT_NOFILE].rlim_cur;

	return (unsigned int)MIN(lim, (uint64_t)FDTABLE_MAX_FDS);
}

int files_fd_get(int fd, struct file **out)
{
	struct fdtable *t = files_table();

	if (!t || fd < 0)
		return -EBADF;
	return fd_get(t, fd, out);
}

int files_dirfd(int dirfd, const char *path, struct file **hold, const struct path **dir)
{
	*hold = NULL;
	*dir = NULL;
	if (path[0] == '/' || dirfd == AT_FDCWD)
		return 0;
	int err = files_fd_get(dirfd, hold);
	if (err)
		return err;
	*dir = &(*hold)->path;
	return 0;
}

int files_getname(const char *upath, bool allow_empty, char **out)
{
	char *buf = kmalloc(PATH_MAX);

	if (!buf)
		return -ENOMEM;
	long n = strncpy_from_user(buf, upath, PATH_MAX);
	if (n >= 0 && n == 0 && !allow_empty)
		n = -ENOENT;
	if (n < 0) {
		kfree(buf);
		return (int)n;
	}
	*out = buf;
	return 0;
}

int at_path_get(struct at_path *a, int dirfd, const char *upath, bool allow_empty)
{
	int err = files_getname(upath, allow_empty, &a->name);

	a->hold = NULL;
	a->dir = NULL;
	if (err)
		return err;
	err = files_dirfd(dirfd, a->name, &a->hold, &a->dir);
	if (err) {
		kfree(a->name);
		a->name = NULL;
	}
	return err;
}

void at_path_put(struct at_path *a)
{
	if (a->hold)
		file_put(a->hold);
	kfree(a->name);
}

int at_begin(struct at_call *c, int dirfd, const char *upath, bool allow_empty)
{
	int err = at_path_get(&c->p, dirfd, upath, allow_empty);

	if (!err)
		files_ctx_begin(&c->fc, false);
	return err;
}

long at_end(struct at_call *c, long ret)
{
	files_ctx_end(&c->fc);
	at_path_put(&c->p);
	return ret;
}
