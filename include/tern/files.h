/* SPDX-License-Identifier: MIT */
/*
 * Files as processes see them (kernel/files.c): the kernel's one VFS
 * with a tmpfs root filled from the initramfs, and each thread's
 * descriptor table and root/cwd, shared or copied at clone time as
 * CLONE_FILES and CLONE_FS say, as Linux's files_struct and fs_struct.
 * The syscalls (kernel/sys_fd.c, sys_path.c, sys_stat.c) build a
 * struct vfs_ctx per call from these and the caller's credentials.
 */
#pragma once

#include <tern/file.h>
#include <tern/vfs.h>

struct task;
struct cred;

/* Root and working directory: CLONE_FS shares one between threads. */
struct fs_struct {
	struct mutex lock; /* root, cwd */
	uint32_t refcount; /* a */
	struct path root;  /* referenced; changed under lock and proc_lock (/proc reads it) */
	struct path cwd;   /* referenced; as root */
};

/* The kernel's namespace, set up by files_boot. */
extern struct vfs *root_vfs;

/*
 * Makes the root: a tmpfs with /dev/console (as Linux's built-in
 * initramfs has), then the initramfs unpacked over it. Registers the
 * memory devices and the console.
 */
int files_boot(void) __must_check;

/* Every character device the kernel has (kernel/devices.c). */
int devices_init(struct vfs *vfs) __must_check;
/*
 * mount -t devtmpfs: the one devtmpfs, made and filled at its first
 * mount; ms_flags are mount(2)'s.
 */
int devtmpfs_mount(const struct vfs_ctx *ctx, const struct path *dir, const char *name,
		   unsigned long ms_flags) __must_check;
/* True if sb is the devtmpfs (for /proc/mounts). */
bool is_devtmpfs_super(const struct super_block *sb);

/* ABI: shmem's default size= for a tmpfs mounted without one: half of RAM. */
uint64_t tmpfs_default_max_pages(void);

/* True if path names a regular file in the root (the kernel looking for init). */
bool files_boot_has_file(const char *path);

/* pid 1: root and cwd at "/", descriptors 0, 1 and 2 on /dev/console. */
int files_init_first(struct task *t) __must_check;
/* clone: the child shares (CLONE_FILES, CLONE_FS) or copies the caller's. */
int files_clone(struct task *child, uint64_t clone_flags) __must_check;
/* Thread exit: drops the thread's table and fs_struct. */
void files_task_exit(struct task *t);
/* A table of the caller's own, copied if others share it (CLOSE_RANGE_UNSHARE). */
int files_unshare(void) __must_check;
/* execve, past the point of no return: an unshared table, FD_CLOEXEC closed. */
int files_exec(void) __must_check;

/* A syscall's lookup context: holds references until files_ctx_end. */
struct files_ctx {
	struct vfs_ctx ctx;
	struct vfs_cred cred;
	uint32_t groups[64];
	bool is_borrowed; /* ctx.root and ctx.cwd hold no references of their own */
};

/* Fills fc from the caller; access_ids: real ids (access(2) without AT_EACCESS). */
void files_ctx_begin(struct files_ctx *fc, bool access_ids);
void files_ctx_end(struct files_ctx *fc);
/* The capabilities cred has in effect (kernel/cred.c), as vfs_cred.caps bits. */
uint64_t cred_vfs_caps(const struct cred *c);

/* The caller's open file at fd, referenced: 0, or -EBADF. */
int files_fd_get(int fd, struct file **out) __must_check;
/* The caller's descriptor table (NULL for kernel-started processes without one). */
struct fdtable *files_table(void);
/* The caller's RLIMIT_NOFILE soft limit. */
unsigned int files_nofile_limit(void);

/*
 * Where a *at() call starts: NULL for AT_FDCWD or an absolute path
 * (Linux ignores dirfd then), else dirfd's position, referenced in
 * *hold (file_put it after the call). -EBADF for a bad dirfd.
 */
int files_dirfd(int dirfd, const char *path, struct file **hold,
		const struct path **dir) __must_check;

/* One path argument of a *at() call: its name and where it starts. */
struct at_path {
	char *name;
	struct file *hold;
	const struct path *dir;
};

/* files_getname then files_dirfd; at_path_put undoes both. */
int at_path_get(struct at_path *a, int dirfd, const char *upath, bool allow_empty) __must_check;
void at_path_put(struct at_path *a);

/* The common shape: one path, then an operation under the caller's context. */
struct at_call {
	struct at_path p;
	struct files_ctx fc;
};

/* at_path_get and files_ctx_begin; at_end undoes both and passes ret through. */
int at_begin(struct at_call *c, int dirfd, const char *upath, bool allow_empty) __must_check;
long at_end(struct at_call *c, long ret);

/*
 * A path argument: a kernel copy in a PATH_MAX buffer (kfree it).
 * -EFAULT, -ENAMETOOLONG, and -ENOENT for "" unless allow_empty.
 */
int files_getname(const char *upath, bool allow_empty, char **out) __must_check;
