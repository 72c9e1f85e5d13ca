// SPDX-License-Identifier: MIT
/*
 * procfs open files: directory listings (fixed entries first, then the
 * ids the provider enumerates) and generated files. A file's text is
 * made by the provider on the first read and again on every read at
 * offset 0, as Linux's seq_file does, so a reader that seeks back to
 * the start sees fresh values. These run without vfs->lock.
 */
#include <tern/errno.h>
#include <tern/string.h>

#include "internal.h"

#define LIST_BATCH 32

static bool emit_fixed(struct dir_context *dc, const struct procfs_inode *dir)
{
	const struct procfs_table *t = dir->entry->children;

	for (size_t i = 0; t && i < t->nr_entries; i++) {
		const struct procfs_entry *e = &t->entries[i];

		if (2 + i < dc->pos)
			continue;
		if (!dc->emit(dc, e->name, strlen(e->name), procfs_ino(e, dir->pid, dir->tid, -1),
			      vfs_dtype(e->mode), 3 + i))
			return false;
	}
	return true;
}

/* Emits the dynamic ids from position base + id on. */
static void emit_dynamic(struct dir_context *dc, const struct procfs_inode *dir, uint64_t base)
{
	const struct procfs_provider *prov = procfs_provider_of(&dir->vfs);
	const struct procfs_entry *e;
	enum procfs_list what;
	int ids[LIST_BATCH];
	char name[16];

	switch (dir->entry->dir_kind) {
	case PROCFS_DIR_ROOT:
		what = PROCFS_LIST_PIDS;
		e = &procfs_pid_entry;
		break;
	case PROCFS_DIR_TASKS:
		what = PROCFS_LIST_TIDS;
		e = &procfs_tid_entry;
		break;
	case PROCFS_DIR_FDS:
	case PROCFS_DIR_FDINFOS:
		what = PROCFS_LIST_FDS;
		e = dir->entry->dir_kind == PROCFS_DIR_FDS ? &procfs_fd_entry
							   : &procfs_fdinfo_entry;
		break;
	default:
		return;
	}
	int after = dc->pos > base ? (int)(dc->pos - base) - 1 : -1;
	for (;;) {
		int n = prov->list(what, dir->pid, dir->tid, after, ids, LIST_BATCH);

		for (int i = 0; i < n; i++) {
			int pid = what == PROCFS_LIST_PIDS ? ids[i] : dir->pid;
			int tid = what == PROCFS_LIST_TIDS ? ids[i] : dir->tid;
			int fd = what == PROCFS_LIST_FDS ? ids[i] : -1;
			int len = ksnprintf(name, sizeof(name), "%d", ids[i]);

			if (!dc->emit(dc, name, (size_t)len, procfs_ino(e, pid, tid, fd),
				      vfs_dtype(e->mode), base + (uint64_t)ids[i] + 1))
				return;
			after = ids[i];
		}
		if (n < LIST_BATCH)
			return;
	}
}

static int procfs_iterate(struct file *file, struct dir_context *dc)
{
	struct procfs_inode *dir = to_procfs_inode(file->inode);
	const struct procfs_table *t = dir->entry->children;
	uint64_t base = 2 + (t ? t->nr_entries : 0);

	if (emit_fixed(dc, dir))
		emit_dynamic(dc, dir, base);
	return 0;
}

const struct file_ops procfs_dir_file_ops = {
	.iterate = procfs_iterate,
};

/* An open generated file: its text, made on demand. */
struct procfs_text {
	struct mutex lock;
	struct procfs_buf buf; /* lock */
	bool is_filled;	       /* lock */
};

/* The file's text state, made on first use; two racing readers agree on one. */
static int text_of(struct file *file, struct procfs_text **out)
{
	struct procfs_text *t =
		__atomic_load_n((struct procfs_text **)&file->private, __ATOMIC_ACQUIRE);
	void *expected = NULL;

	if (!t) {
		t = kzalloc(sizeof(*t));
		if (!t)
			return -ENOMEM;
		mutex_init(&t->lock);
		procfs_buf_init(&t->buf);
		if (!__atomic_compare_exchange_n(&file->private, &expected, t, false,
						 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
			kfree(t);
			t = expected;
		}
	}
	*out = t;
	return 0;
}

static int fill_text(struct file *file, struct procfs_text *t)
{
	struct procfs_inode *pi = to_procfs_inode(file->inode);
	int err;

	procfs_buf_fini(&t->buf);
	procfs_buf_init(&t->buf);
	t->is_filled = false;
	err = procfs_provider_of(file->inode)
		      ->show(pi->entry->file, pi->pid, pi->tid, pi->fd, &t->buf);
	if (!err)
		err = t->buf.err;
	if (!err)
		t->is_filled = true;
	return err;
}

static int procfs_file_read(struct file *file, void *buf, size_t len, int64_t *pos, size_t *done)
{
	struct procfs_text *t;
	int err = text_of(file, &t);

	*done = 0;
	if (err)
		return err;
	mutex_lock(&t->lock);
	if (*pos == 0 || !t->is_filled)
		err = fill_text(file, t);
	if (!err && (uint64_t)*pos < t->buf.len) {
		size_t n = MIN(len, t->buf.len - (size_t)*pos);

		memcpy(buf, t->buf.data + *pos, n);
		*pos += (int64_t)n;
		*done = n;
	}
	mutex_unlock(&t->lock);
	return err;
}

static int procfs_file_write(struct file *file, const void *buf, size_t len, int64_t *pos,
			     size_t *done)
{
	struct procfs_inode *pi = to_procfs_inode(file->inode);
	int err;

	*done = 0;
	if (!(pi->entry->mode & 0222))
		return -EIO; /* ABI: Linux's answer for a proc file without a write method */
	err = procfs_provider_of(file->inode)
		      ->store(pi->entry->file, pi->pid, pi->tid, (const char *)buf, len);
	if (err)
		return err;
	*pos += (int64_t)len;
	*done = len;
	return 0;
}

static void procfs_release(struct file *file)
{
	struct procfs_text *t = file->private;

	if (!t)
		return;
	procfs_buf_fini(&t->buf);
	kfree(t);
}

const struct file_ops procfs_file_ops = {
	.read = procfs_file_read,
	.write = procfs_file_write,
	.release = procfs_release,
};
