// SPDX-License-Identifier: MIT
/*
 * tmpfs directories: a list of entries in creation order, each with a
 * cookie that is its getdents position. Cookies only grow, so a reader
 * resuming at a position never sees an entry twice, whatever is added or
 * removed meanwhile. The VFS has checked permissions and Linux's rules;
 * this keeps entries and link counts right. Under vfs->lock.
 */
#include <tern/errno.h>
#include <tern/string.h>

#include "internal.h"

static struct tmpfs_dirent *find_dirent(struct inode *dir, const char *name, size_t len)
{
	struct list_head *pos;

	list_for_each(pos, &to_tmpfs_inode(dir)->dir.entry_list) {
		struct tmpfs_dirent *de = list_entry(pos, struct tmpfs_dirent, link);

		if (de->name_len == len && memcmp(de->name, name, len) == 0)
			return de;
	}
	return NULL;
}

static struct tmpfs_dirent *dirent_alloc(const char *name, size_t len)
{
	struct tmpfs_dirent *de = kmalloc(sizeof(*de) + len + 1);

	if (!de)
		return NULL;
	memcpy(de->name, name, len);
	de->name[len] = '\0';
	de->name_len = (uint32_t)len;
	de->inode = NULL;
	list_init(&de->link);
	return de;
}

/* Appends de naming inode to dir with the next cookie. */
static void dirent_add(struct inode *dir, struct tmpfs_dirent *de, struct inode *inode)
{
	struct tmpfs_inode *td = to_tmpfs_inode(dir);

	de->inode = inode;
	de->cookie = td->dir.next_cookie++;
	list_insert_tail(&td->dir.entry_list, &de->link);
	dir->size += TMPFS_DIRENT_BYTES;
}

static void dirent_free(struct tmpfs_dirent *de)
{
	list_remove(&de->link);
	kfree(de);
}

/* Takes de out of dir and frees it. */
static void dirent_remove(struct inode *dir, struct tmpfs_dirent *de)
{
	dir->size -= TMPFS_DIRENT_BYTES;
	dirent_free(de);
}

void tmpfs_free_dirents(struct inode *dir)
{
	struct list_head *entries = &to_tmpfs_inode(dir)->dir.entry_list;

	while (!list_is_empty(entries))
		dirent_free(list_first_entry(entries, struct tmpfs_dirent, link));
}

static int tmpfs_dir_lookup(struct inode *dir, const char *name, size_t len, struct inode **out)
{
	struct tmpfs_dirent *de = find_dirent(dir, name, len);

	*out = NULL;
	if (de) {
		inode_get(de->inode);
		*out = de->inode;
	}
	return 0;
}

static int tmpfs_dir_create(struct inode *dir, const char *name, size_t len,
			    const struct vfs_new_inode *ni, struct inode **out)
{
	struct tmpfs_dirent *de = dirent_alloc(name, len);
	struct inode *inode;
	int err;

	if (!de)
		return -ENOMEM;
	err = tmpfs_new_inode(dir->sb, ni, &inode);
	if (err) {
		kfree(de);
		return err;
	}
	dirent_add(dir, de, inode);
	if (S_ISDIR(ni->mode))
		dir->nlink++;
	inode_touch_mtime(dir);
	*out = inode;
	return 0;
}

static int tmpfs_dir_tmpfile(struct inode *dir, const struct vfs_new_inode *ni, struct inode **out)
{
	int err = tmpfs_new_inode(dir->sb, ni, out);

	if (!err)
		(*out)->nlink = 0;
	return err;
}

static int tmpfs_dir_link(struct inode *dir, const char *name, size_t len, struct inode *inode)
{
	struct tmpfs_dirent *de = dirent_alloc(name, len);

	if (!de)
		return -ENOMEM;
	dirent_add(dir, de, inode);
	inode->nlink++;
	inode_touch_ctime(inode);
	inode_touch_mtime(dir);
	return 0;
}

static int tmpfs_dir_unlink(struct inode *dir, const char *name, size_t len, struct inode *inode)
{
	struct tmpfs_dirent *de = find_dirent(dir, name, len);

	assert(de && de->inode == inode);
	dirent_remove(dir, de);
	inode->nlink--;
	inode_touch_ctime(inode);
	inode_touch_mtime(dir);
	return 0;
}

static bool is_empty_dir(struct inode *dir)
{
	return list_is_empty(&to_tmpfs_inode(dir)->dir.entry_list);
}

/* Takes away a directory that lost its name: no links, no lookups. */
static void kill_dir(struct inode *parent, struct inode *dir)
{
	dir->nlink = 0;
	dir->flags |= INODE_DEAD;
	parent->nlink--;
}

static int tmpfs_dir_rmdir(struct inode *dir, const char *name, size_t len, struct inode *inode)
{
	struct tmpfs_dirent *de = find_dirent(dir, name, len);

	assert(de && de->inode == inode);
	if (!is_empty_dir(inode))
		return -ENOTEMPTY;
	dirent_remove(dir, de);
	kill_dir(dir, inode);
	inode_touch_ctime(inode);
	inode_touch_mtime(dir);
	return 0;
}

/* Link counts of the two directories when a subdirectory moves from one to the other. */
static void move_subdir_link(struct inode *from, struct inode *to)
{
	from->nlink--;
	to->nlink++;
}

static void rename_exchange(struct inode *old_dir, struct tmpfs_dirent *src, struct inode *new_dir,
			    struct tmpfs_dirent *dst)
{
	struct inode *a = src->inode;
	struct inode *b = dst->inode;

	if (old_dir != new_dir && S_ISDIR(a->mode) != S_ISDIR(b->mode)) {
		if (S_ISDIR(a->mode))
			move_subdir_link(old_dir, new_dir);
		else
			move_subdir_link(new_dir, old_dir);
	}
	src->inode = b;
	dst->inode = a;
	inode_touch_ctime(a);
	inode_touch_ctime(b);
}

/* Drops the inode that a rename replaces at dst. */
static int replace_target(struct inode *new_dir, struct tmpfs_dirent *dst)
{
	struct inode *victim = dst->inode;

	if (S_ISDIR(victim->mode)) {
		if (!is_empty_dir(victim))
			return -ENOTEMPTY;
		kill_dir(new_dir, victim);
	} else {
		victim->nlink--;
	}
	inode_touch_ctime(victim);
	return 0;
}

static int tmpfs_dir_rename(struct inode *old_dir, const char *old_name, size_t old_len,
			    struct inode *new_dir, const char *new_name, size_t new_len,
			    unsigned int flags)
{
	struct tmpfs_dirent *src = find_dirent(old_dir, old_name, old_len);
	struct tmpfs_dirent *dst = find_dirent(new_dir, new_name, new_len);
	struct tmpfs_dirent *fresh;
	struct inode *inode = src->inode;
	int err;

	if (flags & RENAME_EXCHANGE) {
		rename_exchange(old_dir, src, new_dir, dst);
		goto out_touch;
	}
	fresh = dirent_alloc(new_name, new_len);
	if (!fresh)
		return -ENOMEM;
	if (dst) {
		err = replace_target(new_dir, dst);
		if (err) {
			kfree(fresh);
			return err;
		}
		dirent_remove(new_dir, dst);
	}
	if (S_ISDIR(inode->mode) && old_dir != new_dir)
		move_subdir_link(old_dir, new_dir);
	dirent_remove(old_dir, src);
	dirent_add(new_dir, fresh, inode);
	inode_touch_ctime(inode);
out_touch:
	inode_touch_mtime(old_dir);
	inode_touch_mtime(new_dir);
	return 0;
}

static int tmpfs_dir_iterate(struct file *file, struct dir_context *dc)
{
	struct inode *dir = file->inode;
	struct list_head *pos;

	vfs_lock(dir->sb->vfs);
	list_for_each(pos, &to_tmpfs_inode(dir)->dir.entry_list) {
		struct tmpfs_dirent *de = list_entry(pos, struct tmpfs_dirent, link);

		if (de->cookie < dc->pos)
			continue;
		if (!dc->emit(dc, de->name, de->name_len, de->inode->ino,
			      vfs_dtype(de->inode->mode), de->cookie + 1))
			break;
	}
	vfs_unlock(dir->sb->vfs);
	return 0;
}

const struct inode_ops tmpfs_dir_inode_ops = {
	.lookup = tmpfs_dir_lookup,
	.create = tmpfs_dir_create,
	.tmpfile = tmpfs_dir_tmpfile,
	.link = tmpfs_dir_link,
	.unlink = tmpfs_dir_unlink,
	.rmdir = tmpfs_dir_rmdir,
	.rename = tmpfs_dir_rename,
};

const struct file_ops tmpfs_dir_file_ops = {
	.iterate = tmpfs_dir_iterate,
};
