// SPDX-License-Identifier: MIT
/*
 * tmpfs super block and inodes: creating the file system, making and
 * freeing inodes of every type, statfs, and the consistency check.
 * Directory operations are in dir.c, file data in file.c and
 * page_tree.c. Everything runs under vfs->lock.
 */
#include <linux/magic.h>
#include <tern/errno.h>
#include <tern/string.h>

#include "internal.h"

/* Symlinks and device nodes have no operations of their own beyond these. */
static int tmpfs_get_link(struct inode *inode, const char **out, size_t *len)
{
	*out = to_tmpfs_inode(inode)->target;
	*len = inode->size;
	return 0;
}

const struct inode_ops tmpfs_symlink_inode_ops = {
	.get_link = tmpfs_get_link,
};

const struct inode_ops tmpfs_special_inode_ops = {0};

static void free_inode_data(struct inode *inode)
{
	struct tmpfs_inode *ti = to_tmpfs_inode(inode);

	if (S_ISREG(inode->mode))
		tmpfs_free_pages(inode);
	else if (S_ISDIR(inode->mode))
		tmpfs_free_dirents(inode);
	else if (S_ISLNK(inode->mode))
		kfree(ti->target);
}

static void free_inode(struct inode *inode)
{
	free_inode_data(inode);
	inode_fini(inode);
	kfree(to_tmpfs_inode(inode));
}

static void set_type_ops(struct tmpfs_inode *ti)
{
	switch (ti->vfs.mode & S_IFMT) {
	case S_IFDIR:
		ti->vfs.ops = &tmpfs_dir_inode_ops;
		ti->vfs.fops = &tmpfs_dir_file_ops;
		list_init(&ti->dir.entry_list);
		ti->dir.next_cookie = 2;
		ti->vfs.nlink = 2;
		ti->vfs.size = 2 * TMPFS_DIRENT_BYTES;
		break;
	case S_IFREG:
		ti->vfs.ops = &tmpfs_file_inode_ops;
		ti->vfs.fops = &tmpfs_file_ops;
		page_tree_init(&ti->pages);
		break;
	case S_IFLNK:
		ti->vfs.ops = &tmpfs_symlink_inode_ops;
		break;
	default:
		ti->vfs.ops = &tmpfs_special_inode_ops;
		break;
	}
}

int tmpfs_new_inode(struct super_block *sb, const struct vfs_new_inode *ni, struct inode **out)
{
	struct tmpfs_sb *tsb = to_tmpfs_sb(sb);
	struct tmpfs_inode *ti;
	char *target = NULL;

	if (tsb->opts.max_inodes && sb->nr_inodes >= tsb->opts.max_inodes)
		return -ENOSPC;
	if (S_ISLNK(ni->mode)) {
		target = kmalloc(ni->link_len + 1);
		if (!target)
			return -ENOMEM;
		memcpy(target, ni->link_target, ni->link_len);
		target[ni->link_len] = '\0';
	}
	ti = kzalloc(sizeof(*ti));
	if (!ti) {
		kfree(target);
		return -ENOMEM;
	}
	inode_init(&ti->vfs, sb, tsb->next_ino++, ni->mode);
	ti->vfs.uid = ni->uid;
	ti->vfs.gid = ni->gid;
	set_type_ops(ti);
	if (S_ISLNK(ni->mode)) {
		ti->target = target;
		ti->vfs.size = ni->link_len;
	} else if (S_ISCHR(ni->mode) || S_ISBLK(ni->mode)) {
		ti->vfs.rdev = ni->rdev;
	}
	*out = &ti->vfs;
	return 0;
}

static void tmpfs_inode_unused(struct inode *inode)
{
	if (inode->nlink == 0)
		free_inode(inode);
}

static void tmpfs_destroy(struct super_block *sb)
{
	struct list_head *pos;
	struct list_head *tmp;

	list_for_each_safe(pos, tmp, &sb->inode_list) {
		struct inode *inode = list_entry(pos, struct inode, sb_link);

		assert(inode->refcount == 0);
		free_inode(inode);
	}
	if (sb->fs_private)
		assert(to_tmpfs_sb(sb)->nr_pages == 0);
	kfree(sb->fs_private);
}

static void tmpfs_statfs(struct super_block *sb, struct statfs *out)
{
	struct tmpfs_sb *tsb = to_tmpfs_sb(sb);

	out->f_type = TMPFS_MAGIC;
	out->f_bsize = PAGE_SIZE;
	out->f_frsize = PAGE_SIZE;
	out->f_namelen = NAME_MAX;
	if (tsb->opts.max_pages) {
		out->f_blocks = (long)tsb->opts.max_pages;
		out->f_bfree = (long)(tsb->opts.max_pages - tsb->nr_pages);
		out->f_bavail = out->f_bfree;
	}
	if (tsb->opts.max_inodes) {
		out->f_files = (long)tsb->opts.max_inodes;
		out->f_ffree = (long)(tsb->opts.max_inodes - sb->nr_inodes);
	}
}

static const struct super_ops tmpfs_super_ops = {
	.inode_unused = tmpfs_inode_unused,
	.destroy = tmpfs_destroy,
	.statfs = tmpfs_statfs,
	.reconfigure = tmpfs_reconfigure,
	.is_consistent = tmpfs_is_consistent,
};

static int fill_super(struct super_block *sb, const void *arg, struct inode **root)
{
	const struct tmpfs_options *opts = arg;
	struct tmpfs_sb *tsb = kzalloc(sizeof(*tsb));
	struct vfs_new_inode ni;

	if (!tsb)
		return -ENOMEM;
	tsb->opts = *opts;
	tsb->next_ino = 1;
	sb->fs_private = tsb;
	sb->magic = TMPFS_MAGIC;
	sb->is_readonly = opts->is_readonly;
	ni = (struct vfs_new_inode){
		.mode = S_IFDIR | (opts->mode & 07777), .uid = opts->uid, .gid = opts->gid};
	return tmpfs_new_inode(sb, &ni, root);
}

int tmpfs_create(struct vfs *vfs, const struct tmpfs_options *opts, struct super_block **out)
{
	return vfs_super_make(vfs, &tmpfs_super_ops, fill_super, opts, out);
}

bool is_tmpfs_inode(const struct inode *inode)
{
	return inode->sb->ops == &tmpfs_super_ops;
}
