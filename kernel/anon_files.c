// SPDX-License-Identifier: MIT
/*
 * anon_inodefs, where eventfd (eventfd.c) and epoll (epoll.c) files live,
 * and the glue that hands a new file to the caller as a descriptor. The
 * pseudo file system itself is fs/anon_file.c.
 */
#include <linux/magic.h>
#include <tern/anon_file.h>
#include <tern/errno.h>
#include <tern/files.h>
#include <tern/proc.h>
#include <tern/string.h>

static struct anon_fs *anon_inodes; /* I: set at boot */

int anon_inodes_register(struct vfs *vfs)
{
	epoll_init();
	return anon_fs_create(vfs, ANON_INODE_FS_MAGIC, &anon_inodes);
}

void current_vfs_cred(struct vfs_cred *out)
{
	spin_lock(&proc_lock);
	const struct cred *c = current_cred();
	*out = (struct vfs_cred){.fsuid = c->fsuid, .fsgid = c->fsgid, .caps = cred_vfs_caps(c)};
	spin_unlock(&proc_lock);
}

int anon_inode_file_create(const char *name, const struct file_ops *ops, void *private,
			   uint32_t fmode, unsigned int flags, struct file **out)
{
	char full[48];
	struct vfs_cred cred;

	ksnprintf(full, sizeof(full), "anon_inode:%s", name);
	current_vfs_cred(&cred);
	/* ABI: an anonymous inode has mode 0600 and no file type (alloc_anon_inode). */
	struct anon_file_spec spec = {
		.mode = 0600,
		.name = full,
		.ops = ops,
		.private = private,
		.fmode = fmode,
		.flags = flags,
		.cred = &cred,
	};
	return anon_file_create(anon_inodes, &spec, out);
}

long files_install_new(struct file *f, bool cloexec)
{
	struct fdtable *t = files_table();
	int fd;
	int err = t ? fd_alloc(t, 0, files_nofile_limit(), f, cloexec, &fd) : -EMFILE;

	if (err) {
		file_put(f);
		return err;
	}
	return fd;
}

int anon_noop_lseek(struct file *file, int64_t offset, int whence, int64_t *out)
{
	(void)offset, (void)whence;
	*out = READ_ONCE(file->pos);
	return 0;
}
