// SPDX-License-Identifier: MIT
/*
 * Unpacking an initramfs into the namespace, as Linux's init/initramfs.c
 * does: a sequence of cpio newc archives, each plain or gzip-compressed
 * (lib/inflate), with NUL padding between. lib/cpio's stream reader
 * decodes the entries from the decompressed chunks as they come; this
 * applies each with ordinary VFS calls as root, so every rule (and every
 * errno) is the VFS's, writing file data as it arrives. Per entry: remove
 * what is in the way if its type differs, then create (an entry whose
 * directory is missing fails and is skipped, as in Linux); hard links are
 * matched within one archive; directory mtimes are set at the very end,
 * since filling a directory changes its mtime.
 */
#include <tern/cpio.h>
#include <tern/errno.h>
#include <tern/file.h>
#include <tern/inflate.h>
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
	struct cpio_entry e;	/* the entry being unpacked; name is the stream's */
	struct file *file;	/* the regular file its data goes to, or NULL */
	char *target;		/* the symlink target being collected, or NULL */
	size_t target_len;	/* bytes of it so far */
	struct cpio_stream stream;
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
		err = vfs_link(&u->ctx, NULL, l->name, NULL, e->name, 0);
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

/* Opens the file the data will go to; end_regular finishes it. */
static int begin_regular(struct unpack *u, const struct cpio_entry *e)
{
	int linked = maybe_link(u, e);
	unsigned int flags = O_WRONLY | O_CREAT;
	struct file *file;
	int err;

	if (linked < 0)
		return keep_fatal(linked);
	if (linked == 0)
		flags |= O_TRUNC;
	err = vfs_open(&u->ctx, NULL, e->name, flags, e->mode, &file);
	if (err)
		return keep_fatal(err);
	err = keep_fatal(vfs_chown_path(&u->ctx, &file->path, e->uid, e->gid));
	if (!err)
		err = keep_fatal(vfs_chmod_path(&u->ctx, &file->path, e->mode));
	if (err) {
		file_put(file);
		return err;
	}
	u->file = file;
	return 0;
}

static int end_regular(struct unpack *u)
{
	struct vfs_timespec_pair t = mtime_pair(u->e.mtime);
	int err = vfs_utimens_path(&u->ctx, &u->file->path, &t);

	file_put(u->file);
	u->file = NULL;
	return keep_fatal(err);
}

static int unpack_dir(struct unpack *u, const struct cpio_entry *e)
{
	struct dir_entry *d;
	int err;

	err = keep_fatal(vfs_mkdir(&u->ctx, NULL, e->name, e->mode));
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
	err = keep_fatal(vfs_mknod(&u->ctx, NULL, e->name, e->mode, rdev));
	if (!err)
		err = keep_fatal(vfs_chown(&u->ctx, NULL, e->name, e->uid, e->gid, 0));
	if (!err)
		err = keep_fatal(vfs_chmod(&u->ctx, NULL, e->name, e->mode, 0));
	if (!err)
		err = keep_fatal(vfs_utimens(&u->ctx, NULL, e->name, &t, AT_SYMLINK_NOFOLLOW));
	return err;
}

/* ABI: do_header: a symlink target longer than PATH_MAX skips the entry. */
static int begin_symlink(struct unpack *u, const struct cpio_entry *e)
{
	if (e->data_len > PATH_MAX)
		return 0;
	u->target = kmalloc(e->data_len + 1);
	u->target_len = 0;
	return u->target ? 0 : -ENOMEM;
}

static int end_symlink(struct unpack *u)
{
	struct vfs_timespec_pair t = mtime_pair(u->e.mtime);
	const char *name = u->e.name;
	int err;

	u->target[u->target_len] = '\0';
	err = clean_path(u, name, 0);
	if (!err)
		err = keep_fatal(vfs_symlink(&u->ctx, u->target, NULL, name));
	kfree(u->target);
	u->target = NULL;
	if (!err)
		err = keep_fatal(
			vfs_chown(&u->ctx, NULL, name, u->e.uid, u->e.gid, AT_SYMLINK_NOFOLLOW));
	if (!err)
		err = keep_fatal(vfs_utimens(&u->ctx, NULL, name, &t, AT_SYMLINK_NOFOLLOW));
	return err;
}

/* The stream reader's begin: everything but a file's or symlink's data. */
static int begin_entry(void *ctx, const struct cpio_entry *e)
{
	struct unpack *u = ctx;
	uint32_t type = e->mode & S_IFMT;

	if (e->archive != u->archive) {
		free_list(&u->links);
		u->archive = e->archive;
	}
	u->e = *e;
	if (e->name_len == 0 || e->name_len >= PATH_MAX)
		return 0;
	/* ABI: do_header skips anything but a file or symlink that has data. */
	if (type != S_IFREG && type != S_IFLNK && e->data_len > 0)
		return 0;
	if (type != S_IFLNK) {
		int err = clean_path(u, e->name, type);

		if (err)
			return err;
	}
	switch (type) {
	case S_IFREG:
		return begin_regular(u, e);
	case S_IFDIR:
		return unpack_dir(u, e);
	case S_IFCHR:
	case S_IFBLK:
	case S_IFIFO:
	case S_IFSOCK:
		return unpack_special(u, e);
	case S_IFLNK:
		return begin_symlink(u, e);
	default:
		return 0;
	}
}

static int entry_data(void *ctx, const void *buf, size_t len)
{
	struct unpack *u = ctx;

	if (u->file)
		return keep_fatal(write_all(u->file, buf, len));
	if (u->target) {
		memcpy(u->target + u->target_len, buf, len);
		u->target_len += len;
	}
	return 0;
}

static int end_entry(void *ctx)
{
	struct unpack *u = ctx;

	if (u->file)
		return end_regular(u);
	if (u->target)
		return end_symlink(u);
	return 0;
}

static const struct cpio_stream_ops unpack_ops = {
	.begin = begin_entry,
	.data = entry_data,
	.end = end_entry,
};

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

/* Decompressed bytes go to the stream reader, which may see several archives. */
static int gzip_sink(void *ctx, const void *data, size_t len)
{
	struct unpack *u = ctx;
	size_t used;

	return cpio_stream_feed(&u->stream, data, len, false, &used);
}

/*
 * ABI: unpack_to_rootfs: NUL bytes are skipped; a '0' at a multiple of 4
 * starts a plain archive (read to its trailer), anything else must be a
 * gzip member holding whole archives. Plain archives count alignment from
 * the start of the image, compressed ones from the start of their member.
 */
static int unpack_image(struct unpack *u, const uint8_t *buf, size_t len)
{
	struct inflate_output out = {.sink = gzip_sink, .ctx = u};
	struct inflate_result res;
	size_t pos = 0;
	size_t used;
	int err;

	while (pos < len) {
		if (buf[pos] == '\0') {
			pos++;
			continue;
		}
		if (buf[pos] == '0' && IS_ALIGNED(pos, 4)) {
			u->stream.pos = pos;
			err = cpio_stream_feed(&u->stream, buf + pos, len - pos, true, &used);
			if (err)
				return err;
			pos += used;
			continue;
		}
		if (!inflate_is_gzip(buf + pos, len - pos))
			return -EINVAL;
		u->stream.pos = 0;
		err = inflate_decode_gzip(buf + pos, len - pos, &out, &res);
		if (err)
			return err;
		if (!cpio_stream_is_between_archives(&u->stream))
			return -EINVAL;
		pos += res.in_len;
	}
	return cpio_stream_finish(&u->stream);
}

int vfs_unpack_initramfs(const struct path *root, const void *buf, size_t len)
{
	static const struct vfs_cred root_cred = {.caps = VFS_CAPS_ALL};
	struct unpack *u = kzalloc(sizeof(*u));
	int err;

	if (!u)
		return -ENOMEM;
	u->ctx = (struct vfs_ctx){*root, *root, &root_cred, 0};
	list_init(&u->links);
	list_init(&u->dirs);
	cpio_stream_init(&u->stream, &unpack_ops, u);
	err = unpack_image(u, buf, len);
	if (u->file)
		file_put(u->file);
	kfree(u->target);
	if (!is_fatal(err)) {
		int time_err = set_dir_times(u);

		err = err ? err : time_err;
	}
	free_list(&u->links);
	free_list(&u->dirs);
	kfree(u);
	return err;
}
