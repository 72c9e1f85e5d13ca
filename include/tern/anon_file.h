/* SPDX-License-Identifier: MIT */
/*
 * Files with no name (fs/anon_file.c): pipes, eventfds, epoll instances.
 * Each lives on an inode of a pseudo file system mounted in no namespace
 * (Linux's pipefs and anon_inodefs), so fstat, fstatfs and the rest of
 * the VFS see an ordinary open file.
 */
#pragma once

#include <tern/file.h>

/* One pseudo file system: its super block and internal mount. */
struct anon_fs {
	struct vfs *vfs;   /* I */
	struct mount *mnt; /* I: the internal mount; holds its reference */
	uint32_t magic;	   /* I: statfs f_type */
	uint64_t next_ino; /* N */
};

/* Makes one with statfs type magic (PIPEFS_MAGIC, ...): 0 or -ENOMEM. */
int anon_fs_create(struct vfs *vfs, uint32_t magic, struct anon_fs **out) __must_check;
/* Frees it; every file made on it must be closed (for tests). */
void anon_fs_destroy(struct anon_fs *fs);

/* What a new anonymous file is. */
struct anon_file_spec {
	uint32_t mode;		     /* inode type and permissions: S_IFIFO | 0600, 0600 */
	const char *name;	     /* the dentry's name: "pipe:", "anon_inode:[eventfd]" */
	const struct file_ops *ops;  /* the file's ops */
	void *private;		     /* file->private */
	uint32_t fmode;		     /* enum file_mode bits */
	unsigned int flags;	     /* O_* status flags (O_NONBLOCK, O_DIRECT, ...) */
	const struct vfs_cred *cred; /* the creator: owner of the inode and opener */
};

/*
 * A new inode on fs (numbered from 1 up, named spec->name with "[ino]"
 * appended when it ends in ':') and an open file on it, as spec says.
 * 0 and *out with one reference, or -ENOMEM.
 */
int anon_file_create(struct anon_fs *fs, const struct anon_file_spec *spec,
		     struct file **out) __must_check;

/*
 * Another open file description of like's inode (the other end of a
 * pipe); spec->mode and spec->name are unused. 0 or -ENOMEM.
 */
int anon_file_open_again(const struct file *like, const struct anon_file_spec *spec,
			 struct file **out) __must_check;

/*
 * The kernel's anonymous files (kernel/anon_files.c): anon_inodefs for
 * eventfd and epoll, made at boot, and installing a new file as a
 * descriptor of the caller.
 */
int anon_inodes_register(struct vfs *vfs) __must_check;
/* The caller's file-system identity, the owner of the files it makes. */
void current_vfs_cred(struct vfs_cred *out);
/*
 * A new file on anon_inodefs named "anon_inode:" name, opened with
 * fmode and O_* flags, as the caller: 0 and *out, or -ENOMEM.
 */
int anon_inode_file_create(const char *name, const struct file_ops *ops, void *private,
			   uint32_t fmode, unsigned int flags, struct file **out) __must_check;
/* Installs f at the lowest free descriptor: the fd, or -EMFILE (f is put then). */
long files_install_new(struct file *f, bool cloexec);
/* ABI: noop_llseek, the lseek of eventfd and epoll files: the position stays (0). */
int anon_noop_lseek(struct file *file, int64_t offset, int whence, int64_t *out);
/* epoll's lock, set up with anon_inodefs (kernel/epoll.c). */
void epoll_init(void);
