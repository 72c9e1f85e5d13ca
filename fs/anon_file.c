// SPDX-License-Identifier: MIT
/*
 * Pseudo file systems for files with no name (<tern/anon_file.h>): a
 * super block whose root directory holds one unhashed dentry per file,
 * mounted in no namespace. An inode goes when its last file does. The
 * users (kernel/pipe.c, kernel/eventfd.c, kernel/epoll.c) bring the
 * file ops.
 */
#include <tern/anon_file.h>
#include <tern/errno.h>

#include "internal.h"

static int anon_lookup(struct inode *dir, const char *name, size_t len, struct inode **out)
{
	(void)dir, (void)name, (void)len;
	*out = NULL;
	return 0;
}

static const struct inode_ops anon_dir_ops = {.lookup = anon_lookup};
static const struct inode_ops anon_inode_ops = {0};

static void anon_inode_unused(struct inode *inode)
{
	inode_fini(inode);
	kfree(inode);
}

static void anon_destroy(struct super_block *sb)
{
	(void)sb;
}

static void anon_statfs(struct super_block *sb, struct statfs *out)
{
	struct anon_fs *fs = sb->fs_private;

	out->f_type = fs->magic;
	out->f_bsize = PAGE_SIZE;
	out->f_namelen = NAME_MAX;
	out->f_frsize = PAGE_SIZE;
}

static const struct super_ops anon_super_ops = {
	.inode_unused = anon_inode_unused,
	.destroy = anon_destroy,
	.statfs = anon_statfs,
};

static int new_inode(struct anon_fs *fs, struct super_block *sb, uint32_t mode, struct inode **out)
{
	struct inode *inode = kzalloc(sizeof(*inode));

	if (!inode)
		return -ENOMEM;
	inode_init(inode, sb, ++fs->next_ino, mode);
	inode->ops = S_ISDIR(mode) ? &anon_dir_ops : &anon_inode_ops;
	*out = inode;
	return 0;
}

/* The super block, its root and the mount, under vfs->lock. */
static int anon_fs_setup_locked(struct anon_fs *fs)
{
	struct super_block *sb;
	struct inode *root;
	int err = vfs_super_create(fs->vfs, &sb);

	if (err)
		return err;
	sb->ops = &anon_super_ops;
	sb->magic = fs->magic;
	sb->fs_private = fs;
	err = new_inode(fs, sb, S_IFDIR | 0700, &root);
	if (!err) {
		err = vfs_super_set_root(sb, root);
		if (err)
			inode_put(root);
	}
	if (!err)
		err = vfs_mount_internal(sb, &fs->mnt);
	super_put_locked(sb);
	return err;
}

int anon_fs_create(struct vfs *vfs, uint32_t magic, struct anon_fs **out)
{
	struct anon_fs *fs = kzalloc(sizeof(*fs));
	int err;

	if (!fs)
		return -ENOMEM;
	fs->vfs = vfs;
	fs->magic = magic;
	vfs_lock(vfs);
	err = anon_fs_setup_locked(fs);
	vfs_unlock(vfs);
	if (err) {
		kfree(fs);
		return err;
	}
	*out = fs;
	return 0;
}

void anon_fs_destroy(struct anon_fs *fs)
{
	vfs_lock(fs->vfs);
	assert(fs->mnt->refcount == 1);
	mount_put(fs->mnt);
	vfs_unlock(fs->vfs);
	kfree(fs);
}

static void file_setup(struct file *file, const struct path *path,
		       const struct anon_file_spec *spec)
{
	struct vfs_ctx ctx = {.cred = spec->cred};

	file_init(file, &ctx, path, spec->fmode, spec->flags);
	file->ops = spec->ops;
	file->private = spec->private;
}

/* The named dentry of a new inode, under vfs->lock: referenced in *out. */
static int new_dentry_locked(struct anon_fs *fs, const struct anon_file_spec *spec,
			     struct dentry **out)
{
	struct super_block *sb = fs->mnt->sb;
	struct inode *inode;
	char name[64];
	size_t len = strlen(spec->name);
	int err;

	err = new_inode(fs, sb, spec->mode, &inode);
	if (err)
		return err;
	inode->uid = spec->cred->fsuid;
	inode->gid = spec->cred->fsgid;
	/* ABI: Linux shows a pipe as "pipe:[ino]" in /proc/PID/fd. */
	if (len && spec->name[len - 1] == ':')
		ksnprintf(name, sizeof(name), "%s[%llu]", spec->name,
			  (unsigned long long)inode->ino);
	else
		strlcpy(name, spec->name, sizeof(name));
	err = dentry_alloc(sb->root, name, strlen(name), out);
	if (err) {
		inode_put(inode);
		return err;
	}
	dentry_instantiate(*out, inode);
	return 0;
}

int anon_file_create(struct anon_fs *fs, const struct anon_file_spec *spec, struct file **out)
{
	struct file *file = kmalloc(sizeof(*file));
	struct dentry *d;
	int err;

	if (!file)
		return -ENOMEM;
	vfs_lock(fs->vfs);
	err = new_dentry_locked(fs, spec, &d);
	if (!err) {
		struct path path = {fs->mnt, d};
		file_setup(file, &path, spec);
		dentry_put(d);
	}
	vfs_unlock(fs->vfs);
	if (err) {
		kfree(file);
		return err;
	}
	*out = file;
	return 0;
}

int anon_file_open_again(const struct file *like, const struct anon_file_spec *spec,
			 struct file **out)
{
	struct vfs *vfs = like->path.mnt->vfs;
	struct file *file = kmalloc(sizeof(*file));

	if (!file)
		return -ENOMEM;
	vfs_lock(vfs);
	file_setup(file, &like->path, spec);
	vfs_unlock(vfs);
	*out = file;
	return 0;
}
