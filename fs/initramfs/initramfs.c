// SPDX-License-Identifier: MIT
/*
 * Unpacking cpio newc archives into the namespace, as Linux's
 * init/initramfs.c does: lib/cpio decodes the entries, this applies each
 * with ordinary VFS calls as root, so every rule (and every errno) is the
 * VFS's. Per entry: remove what is in the way if its type differs, then
 * create; hard links are matched within one archive; directory mtimes are
 * set at the very end, since filling a directory changes its mtime.
 */
#include <tern/cpio.h>
#include <tern/errno.h>
#include <tern/file.h>
#include <tern/initramfs.h>
#include <tern/string.h>

/* A file of the current archive that later entries may hard-link to. */
struct link_entry {
	struct list_head link;
	uint32_t ino;
	uint32_t dev_major;
	uint32_t dev_minor;
	uint32_t type; /* S_IFMT bits */
	char name[];
};

/* A directory whose mtime is set once everything is unpacked. */
struct dir_entry {
	struct list_head link;
	uint32_t mtime;
	char name[];
};

struct unpack {
	struct vfs_ctx ctx;
	struct list_head links; /* struct link_entry, this archive's */
	struct list_head dirs;	/* struct dir_entry */
	uint32_t archive;	/* index of the archive links belong to */
};

/* Errors that stop the unpacking; Linux ignores the others entry by entry. */
static bool is_fatal(int err)
{
	return err == -ENOMEM || err == -ENOSPC;
}

static int keep_fatal(int err)
{
	return is_fatal(err) ? err : 0;
}

static void *alloc_named(size_t header_bytes, const char *name, size_t len)
{
	char *p = kmalloc(header_bytes + len + 1);

	if (p) {
		memcpy(p + header_bytes, name, len);
		p[header_bytes + len] = '\0';
	}
	return p;
}

static void free_list(struct list_head *head)
{
	while (!list_is_empty(head)) {
		struct list_head *first = head->next;

		list_remove(first);
		kfree(first);
	}
}

/* ABI: Linux's clean_path: an existing entry of another type goes first. */
static int clean_path(struct unpack *u, const char *name, uint32_t type)
{
	struct kstat st;
	int err = vfs_stat(&u->ctx, NULL, name, AT_SYMLINK_NOFOLLOW, &st);

	if (err || (st.mode & S_IFMT) == type)
		return keep_fatal(err);
	if (S_ISDIR(st.mode))
		return keep_fatal(vfs_rmdir(&u->ctx, NULL, name));
	return keep_fatal(vfs_unlink(&u->ctx, NULL, name));
}

/*
 * ABI: Linux skips an entry whose parent directory is missing; Tern makes
 * the missing directories (0755, root's), which archives built without
 * their directory entries need.
 */
static int make_parents(struct unpack *u, const char *name)
{
	size_t len = strlen(name);
	char *path = alloc_named(0, name, len);
	int err = 0;

	if (!path)
		return -ENOMEM;
	for (size_t i = 1; i < len && !is_fatal(err); i++) {
		if (path[i] != '/' || path[i - 1] == '/')
			continue;
		path[i] = '\0';
		err = vfs_mkdir(&u->ctx, NULL, path, 0755);
		path[i] = '/';
	}
	kfree(path);
	return is_fatal(err) ? err : 0;
}

/* Runs op; if a parent was missing, makes the parents and runs it again. */
#define WITH_PARENTS(u, name, op)                         \
	({                                                \
		int err_ = (op);                          \
		if (err_ == -ENOENT) {                    \
			err_ = make_parents((u), (name)); \
			err_ = err_ ? err_ : (op);        \
		}                                         \
		err_;                                     \
	})

static struct link_entry *find_link(struct unpack *u, const struct cpio_entry *e)
{
	struct list_head *pos;

	list_for_each(pos, &u->links) {
		struct link_entry *l = list_entry(pos, struct link_entry, link);

		if (l->ino == e->ino && l->dev_major == e->dev_major &&
		    l->dev_minor == e->dev_minor && l->type == (e->mode & S_IFMT))
			return l;
	}
	return NULL;
}

/*
 * ABI: maybe_link: for nlink >= 2, the first entry of an (ino, dev) pair
 * is remembered and later ones become hard links to it. Returns 1 if e
 * was linked, 0 if it must be created, or a negative errno (the link
 * failed: skip the entry).
 */
static int maybe_link(struct unpack *u, const struct cpio_entry *e)
{
	struct link_entry *l;
	int err;

	if (e->nlink < 2)
		return 0;
	l = find_link(u, e);
	if (l) {
		err = clean_path(u, e->name, 0);
		if (err)
			return err;
		err = WITH_PARENTS(u, e->name, vfs_link(&u->ctx, NULL, l->name, NULL, e->name, 0));
		return err ? err : 1;
	}
	l = alloc_named(offsetof(struct link_entry, name), e->name, e->name_len);
	if (!l)
		return -ENOMEM;
	l->ino = e->ino;
	l->dev_major = e->dev_major;
	l->dev_minor = e->dev_minor;
	l->type = e->mode & S_IFMT;
	list_insert_tail(&u->links, &l->link);
	return 0;
}

static struct vfs_timespec_pair mtime_pair(uint32_t mtime)
{
	struct vfs_time t = {.sec = mtime, .nsec = 0};

	return (struct vfs_timespec_pair){t, t};
}

static int write_all(struct file *file, const void *data, size_t len)
{
	size_t done;

	while (len > 0) {
		int err = vfs_write(file, data, len, &done);

		if (err)
			return err;
		if (done == 0)
			return -EIO;
		data = (const char *)data + done;
		len -= done;
	}
	return 0;
}

static int unpack_regular(struct unpack *u, const struct cpio_entry *e)
{
	struct vfs_timespec_pair t = mtime_pair(e->mtime);
	int linked = maybe_link(u, e);
	unsigned int flags = O_WRONLY | O_CREAT;
	struct file *file;
	int err;

	if (linked < 0)
		return keep_fatal(linked);
	if (linked == 0)
		flags |= O_TRUNC;
	err = WITH_PARENTS(u, e->name, vfs_open(&u->ctx, NULL, e->name, flags, e->mode, &file));
	if (err)
		return keep_fatal(err);
	err = keep_fatal(vfs_chown_path(&u->ctx, &file->path, e->uid, e->gid));
	if (!err)
		err = keep_fatal(vfs_chmod_path(&u->ctx, &file->path, e->mode));
	if (!err)
		err = write_all(file, e->data, e->data_len);
	if (!err)
		err = vfs_utimens_path(&u->ctx, &file->path, &t);
	file_put(file);
	return keep_fatal(err);
}

static int unpack_dir(struct unpack *u, const struct cpio_entry *e)
{
	struct dir_entry *d;
	int err;

	err = keep_fatal(WITH_PARENTS(u, e->name, vfs_mkdir(&u->ctx, NULL, e->name, e->mode)));
	if (!err)
		err = keep_fatal(vfs_chown(&u->ctx, NULL, e->name, e->uid, e->gid, 0));
	if (!err)
		err = keep_fatal(vfs_chmod(&u->ctx, NULL, e->name, e->mode, 0));
	if (err)
		return err;
	d = alloc_named(offsetof(struct dir_entry, name), e->name, e->name_len);
	if (!d)
		return -ENOMEM;
	d->mtime = e->mtime;
	list_insert_head(&u->dirs, &d->link);
	return 0;
}

static int unpack_special(struct unpack *u, const struct cpio_entry *e)
{
	struct vfs_timespec_pair t = mtime_pair(e->mtime);
	uint32_t rdev = dev_make(e->rdev_major & 0xfff, e->rdev_minor & 0xfffff);
	int err = maybe_link(u, e);

	if (err)
		return keep_fatal(err);
	err = keep_fatal(
		WITH_PARENTS(u, e->name, vfs_mknod(&u->ctx, NULL, e->name, e->mode, rdev)));
	if (!err)
		err = keep_fatal(vfs_chown(&u->ctx, NULL, e->name, e->uid, e->gid, 0));
	if (!err)
		err = keep_fatal(vfs_chmod(&u->ctx, NULL, e->name, e->mode, 0));
	if (!err)
		err = keep_fatal(vfs_utimens(&u->ctx, NULL, e->name, &t, AT_SYMLINK_NOFOLLOW));
	return err;
}

static int unpack_symlink(struct unpack *u, const struct cpio_entry *e)
{
	struct vfs_timespec_pair t = mtime_pair(e->mtime);
	char *target;
	int err;

	if (e->data_len > PATH_MAX)
		return 0;
	target = alloc_named(0, e->data, e->data_len);
	if (!target)
		return -ENOMEM;
	err = clean_path(u, e->name, 0);
	if (!err)
		err = keep_fatal(
			WITH_PARENTS(u, e->name, vfs_symlink(&u->ctx, target, NULL, e->name)));
	kfree(target);
	if (!err)
		err = keep_fatal(
			vfs_chown(&u->ctx, NULL, e->name, e->uid, e->gid, AT_SYMLINK_NOFOLLOW));
	if (!err)
		err = keep_fatal(vfs_utimens(&u->ctx, NULL, e->name, &t, AT_SYMLINK_NOFOLLOW));
	return err;
}

static int unpack_entry(struct unpack *u, const struct cpio_entry *e)
{
	uint32_t type = e->mode & S_IFMT;

	if (e->archive != u->archive) {
		free_list(&u->links);
		u->archive = e->archive;
	}
	if (e->name_len == 0 || e->name_len >= PATH_MAX)
		return 0;
	if (type != S_IFLNK) {
		int err = clean_path(u, e->name, type);

		if (err)
			return err;
	}
	switch (type) {
	case S_IFREG:
		return unpack_regular(u, e);
	case S_IFDIR:
		return unpack_dir(u, e);
	case S_IFCHR:
	case S_IFBLK:
	case S_IFIFO:
	case S_IFSOCK:
		return unpack_special(u, e);
	case S_IFLNK:
		return unpack_symlink(u, e);
	default:
		return 0;
	}
}

/* Directory mtimes, last created first (children before parents, as Linux). */
static int set_dir_times(struct unpack *u)
{
	struct list_head *pos;

	list_for_each(pos, &u->dirs) {
		struct dir_entry *d = list_entry(pos, struct dir_entry, link);
		struct vfs_timespec_pair t = mtime_pair(d->mtime);
		int err = vfs_utimens(&u->ctx, NULL, d->name, &t, 0);

		if (is_fatal(err))
			return err;
	}
	return 0;
}

int vfs_unpack_cpio(const struct path *root, const void *buf, size_t len)
{
	static const struct vfs_cred root_cred = {.caps = VFS_CAPS_ALL};
	struct unpack u = {.ctx = {*root, *root, &root_cred, 0}};
	struct cpio_reader r;
	struct cpio_entry e;
	int err = 0;
	int ret = 0;

	list_init(&u.links);
	list_init(&u.dirs);
	cpio_reader_init(&r, buf, len);
	while (!err && (ret = cpio_next_entry(&r, &e)) == 1)
		err = unpack_entry(&u, &e);
	if (!err && ret < 0)
		err = ret;
	if (!is_fatal(err)) {
		int time_err = set_dir_times(&u);

		err = err ? err : time_err;
	}
	free_list(&u.links);
	free_list(&u.dirs);
	return err;
}
