// SPDX-License-Identifier: MIT
/*
 * getdents64(2): "." and "..", then the file system's entries through
 * its iterate op, packed as struct vfs_dirent64 records. The file
 * position is the directory position to resume from: each record's
 * d_off is the position after it.
 */
#include <tern/errno.h>

#include "internal.h"

struct getdents_ctx {
	struct dir_context dc;
	char *buf;
	size_t len;
	size_t used;
	size_t nr_good;	 /* bytes of buf the caller can deliver */
	bool is_full;	 /* a record did not fit in len */
	bool is_faulted; /* a record fit in len but its bytes not in nr_good */
};

static bool emit_dirent(struct dir_context *dc, const char *name, size_t len, uint64_t ino,
			uint8_t dtype, uint64_t next_pos)
{
	struct getdents_ctx *g = container_of(dc, struct getdents_ctx, dc);
	size_t reclen = ALIGN_UP(offsetof(struct vfs_dirent64, d_name) + len + 1, 8);
	struct vfs_dirent64 *d;

	if (reclen > g->len - g->used) {
		g->is_full = true;
		return false;
	}
	/* ABI: filldir64 writes no padding, so only the name's NUL must fit. */
	if (g->used + offsetof(struct vfs_dirent64, d_name) + len + 1 > g->nr_good) {
		g->is_faulted = true;
		return false;
	}
	d = (struct vfs_dirent64 *)(void *)(g->buf + g->used);
	d->d_ino = ino;
	d->d_off = (int64_t)next_pos;
	d->d_reclen = (uint16_t)reclen;
	d->d_type = dtype;
	memcpy(d->d_name, name, len);
	memset(d->d_name + len, 0, reclen - offsetof(struct vfs_dirent64, d_name) - len);
	g->used += reclen;
	dc->pos = next_pos;
	return true;
}

/*
 * "." and ".." at positions 0 and 1. ".." of a file system's root is the
 * root itself, as Linux shows it, even where a mount hides the parent.
 */
static int emit_dots(struct file *file, struct getdents_ctx *g)
{
	struct dentry *d = file->path.dentry;
	struct vfs *vfs = d->sb->vfs;
	int err = 0;

	vfs_lock(vfs);
	if (d->inode->flags & INODE_DEAD)
		err = -ENOENT;
	if (!err && g->dc.pos == 0)
		emit_dirent(&g->dc, ".", 1, d->inode->ino, vfs_dtype(S_IFDIR), 1);
	if (!err && g->dc.pos == 1)
		emit_dirent(&g->dc, "..", 2, d->parent->inode->ino, vfs_dtype(S_IFDIR), 2);
	if (!err && !(READ_ONCE(file->flags) & O_NOATIME))
		path_touch_atime(&file->path);
	vfs_unlock(vfs);
	return err;
}

int vfs_getdents64(struct file *file, void *buf, size_t len, size_t *done)
{
	return vfs_getdents64_prefix(file, buf, len, len, done);
}

int vfs_getdents64_prefix(struct file *file, void *buf, size_t len, size_t nr_good, size_t *done)
{
	struct getdents_ctx g = {
		.dc.emit = emit_dirent, .buf = buf, .len = len, .nr_good = nr_good};
	int err;

	*done = 0;
	if (file->mode & FMODE_PATH)
		return -EBADF;
	if (!S_ISDIR(file->inode->mode) || !file->ops->iterate)
		return -ENOTDIR;
	mutex_lock(&file->pos_lock);
	g.dc.pos = (uint64_t)file->pos;
	err = emit_dots(file, &g);
	if (!err && !g.is_full && !g.is_faulted && g.dc.pos >= 2)
		err = file->ops->iterate(file, &g.dc);
	if (!err && g.used == 0 && g.is_full)
		err = -EINVAL;
	if (!err && g.used == 0 && g.is_faulted)
		err = -EFAULT;
	if (!err) {
		file->pos = (int64_t)g.dc.pos;
		*done = g.used;
	}
	mutex_unlock(&file->pos_lock);
	return err;
}
