// SPDX-License-Identifier: MIT
/*
 * Descriptor tables: small integers to open files, with FD_CLOEXEC, the
 * lowest-free rule, dup/dup2/dup3, close_range and the close-on-exec
 * sweep. A table is shared by CLONE_FILES tasks (refcounted) and copied
 * for fork. Files are put only after t->lock is released, so closing a
 * file never runs under it (see the lock order in vfs.c).
 */
#include <tern/errno.h>

#include "internal.h"

#define FDTABLE_MIN_SLOTS 16u

int fdtable_create(struct fdtable **out)
{
	struct fdtable *t = kzalloc(sizeof(*t));

	if (!t)
		return -ENOMEM;
	mutex_init(&t->lock);
	t->refcount = 1;
	*out = t;
	return 0;
}

void fdtable_get(struct fdtable *t)
{
	uint32_t old = __atomic_fetch_add(&t->refcount, 1, __ATOMIC_RELAXED);

	assert(old > 0);
}

void fdtable_put(struct fdtable *t)
{
	if (__atomic_sub_fetch(&t->refcount, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	for (uint32_t fd = 0; fd < t->nr_slots; fd++) {
		assert(!t->slots[fd].is_reserved);
		if (t->slots[fd].file)
			file_close(t->slots[fd].file, t);
	}
	kfree(t->slots);
	kfree(t);
}

/* Makes room for at least nr slots. */
static int grow(struct fdtable *t, uint32_t nr)
{
	uint32_t new_nr = MAX(MAX(FDTABLE_MIN_SLOTS, t->nr_slots * 2), nr);
	struct fd_slot *slots;

	assert_held(&t->lock);
	if (nr <= t->nr_slots)
		return 0;
	new_nr = MIN(new_nr, FDTABLE_MAX_FDS);
	slots = kzalloc(new_nr * sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	if (t->nr_slots)
		memcpy(slots, t->slots, t->nr_slots * sizeof(*slots));
	kfree(t->slots);
	t->slots = slots;
	t->nr_slots = new_nr;
	return 0;
}

int fdtable_clone(struct fdtable *src, struct fdtable **out)
{
	struct fdtable *t;
	int err = fdtable_create(&t);

	if (err)
		return err;
	mutex_lock(&src->lock);
	mutex_lock(&t->lock); /* a new table nobody else can see: no order to keep */
	err = grow(t, src->nr_slots);
	for (uint32_t fd = 0; !err && fd < src->nr_slots; fd++) {
		struct fd_slot *s = &src->slots[fd];

		if (!s->file)
			continue;
		file_get(s->file);
		t->slots[fd] = (struct fd_slot){.file = s->file, .is_cloexec = s->is_cloexec};
	}
	mutex_unlock(&t->lock);
	mutex_unlock(&src->lock);
	if (err) {
		fdtable_put(t);
		return err;
	}
	*out = t;
	return 0;
}

static bool is_free(const struct fdtable *t, uint32_t fd)
{
	return fd >= t->nr_slots || (!t->slots[fd].file && !t->slots[fd].is_reserved);
}

/* The lowest free descriptor >= min_fd below limit, with a slot for it. */
static int find_free(struct fdtable *t, uint32_t min_fd, uint32_t limit, uint32_t *out)
{
	uint32_t fd = min_fd;
	int err;

	while (fd < t->nr_slots && !is_free(t, fd))
		fd++;
	if (fd >= MIN(limit, FDTABLE_MAX_FDS))
		return -EMFILE;
	err = grow(t, fd + 1);
	if (err)
		return err;
	*out = fd;
	return 0;
}

int fd_reserve(struct fdtable *t, int min_fd, unsigned int limit, int *fd)
{
	uint32_t found;
	int err;

	if (min_fd < 0)
		return -EINVAL;
	mutex_lock(&t->lock);
	err = find_free(t, (uint32_t)min_fd, limit, &found);
	if (!err) {
		t->slots[found].is_reserved = true;
		*fd = (int)found;
	}
	mutex_unlock(&t->lock);
	return err;
}

void fd_install(struct fdtable *t, int fd, struct file *file, bool cloexec)
{
	mutex_lock(&t->lock);
	assert(fd >= 0 && (uint32_t)fd < t->nr_slots && t->slots[fd].is_reserved);
	t->slots[fd] = (struct fd_slot){.file = file, .is_cloexec = cloexec};
	mutex_unlock(&t->lock);
}

void fd_unreserve(struct fdtable *t, int fd)
{
	mutex_lock(&t->lock);
	assert(fd >= 0 && (uint32_t)fd < t->nr_slots && t->slots[fd].is_reserved);
	t->slots[fd].is_reserved = false;
	mutex_unlock(&t->lock);
}

int fd_alloc(struct fdtable *t, int min_fd, unsigned int limit, struct file *file, bool cloexec,
	     int *fd)
{
	int err = fd_reserve(t, min_fd, limit, fd);

	if (!err)
		fd_install(t, *fd, file, cloexec);
	return err;
}

static struct file *lookup_locked(struct fdtable *t, int fd)
{
	if (fd < 0 || (uint32_t)fd >= t->nr_slots)
		return NULL;
	return t->slots[fd].file;
}

void fdtable_lock(struct fdtable *t)
{
	mutex_lock(&t->lock);
}

void fdtable_unlock(struct fdtable *t)
{
	mutex_unlock(&t->lock);
}

struct file *fd_peek_locked(struct fdtable *t, int fd)
{
	assert_held(&t->lock);
	return lookup_locked(t, fd);
}

int fd_get(struct fdtable *t, int fd, struct file **out)
{
	struct file *file;

	mutex_lock(&t->lock);
	file = lookup_locked(t, fd);
	if (file)
		file_get(file);
	mutex_unlock(&t->lock);
	if (!file)
		return -EBADF;
	*out = file;
	return 0;
}

int fd_close(struct fdtable *t, int fd)
{
	struct file *file;

	mutex_lock(&t->lock);
	file = lookup_locked(t, fd);
	if (file)
		t->slots[fd] = (struct fd_slot){0};
	mutex_unlock(&t->lock);
	if (!file)
		return -EBADF;
	file_close(file, t);
	return 0;
}

int fd_dup(struct fdtable *t, int old_fd, int min_fd, bool cloexec, unsigned int limit, int *new_fd)
{
	struct file *file;
	uint32_t found;
	int err = -EBADF;

	if (min_fd < 0)
		return -EINVAL;
	mutex_lock(&t->lock);
	file = lookup_locked(t, old_fd);
	if (file)
		err = find_free(t, (uint32_t)min_fd, limit, &found);
	if (!err) {
		file_get(file);
		t->slots[found] = (struct fd_slot){.file = file, .is_cloexec = cloexec};
		*new_fd = (int)found;
	}
	mutex_unlock(&t->lock);
	return err;
}

/* ABI: ksys_dup3 and dup2's same-descriptor corner case, in Linux's order of checks. */
int fd_dup3(struct fdtable *t, int old_fd, int new_fd, unsigned int flags, bool is_dup3,
	    unsigned int limit)
{
	struct file *displaced = NULL;
	struct file *file;
	int err = 0;

	if (flags & ~(unsigned int)O_CLOEXEC)
		return -EINVAL;
	if (is_dup3 && old_fd == new_fd)
		return -EINVAL;
	if (new_fd < 0 || (uint32_t)new_fd >= MIN(limit, FDTABLE_MAX_FDS))
		return -EBADF;
	mutex_lock(&t->lock);
	file = lookup_locked(t, old_fd);
	if (!file)
		err = -EBADF;
	else if (old_fd != new_fd)
		err = grow(t, (uint32_t)new_fd + 1);
	if (!err && old_fd != new_fd && t->slots[new_fd].is_reserved)
		err = -EBUSY;
	if (!err && old_fd != new_fd) {
		displaced = t->slots[new_fd].file;
		file_get(file);
		t->slots[new_fd] = (struct fd_slot){.file = file, .is_cloexec = flags & O_CLOEXEC};
	}
	mutex_unlock(&t->lock);
	if (displaced)
		file_close(displaced, t);
	return err;
}

int fd_get_cloexec(struct fdtable *t, int fd, bool *out)
{
	int err = -EBADF;

	mutex_lock(&t->lock);
	if (lookup_locked(t, fd)) {
		*out = t->slots[fd].is_cloexec;
		err = 0;
	}
	mutex_unlock(&t->lock);
	return err;
}

int fd_set_cloexec(struct fdtable *t, int fd, bool cloexec)
{
	int err = -EBADF;

	mutex_lock(&t->lock);
	if (lookup_locked(t, fd)) {
		t->slots[fd].is_cloexec = cloexec;
		err = 0;
	}
	mutex_unlock(&t->lock);
	return err;
}

/*
 * Closes the open descriptors in [first, last] (only the FD_CLOEXEC ones
 * if only_cloexec), one at a time so no file is put under the lock.
 */
static void close_matching(struct fdtable *t, uint32_t first, uint32_t last, bool only_cloexec)
{
	uint32_t fd = first;

	for (;;) {
		struct file *file = NULL;

		mutex_lock(&t->lock);
		for (; fd < t->nr_slots && fd <= last; fd++) {
			struct fd_slot *s = &t->slots[fd];

			if (s->file && (!only_cloexec || s->is_cloexec)) {
				file = s->file;
				*s = (struct fd_slot){0};
				break;
			}
		}
		mutex_unlock(&t->lock);
		if (!file)
			return;
		file_close(file, t);
	}
}

void fd_close_on_exec(struct fdtable *t)
{
	close_matching(t, 0, UINT32_MAX, true);
}

int fd_close_range(struct fdtable *t, unsigned int first, unsigned int last, unsigned int flags)
{
	if (flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC))
		return -EINVAL;
	if (first > last)
		return -EINVAL;
	if (!(flags & CLOSE_RANGE_CLOEXEC)) {
		close_matching(t, first, last, false);
		return 0;
	}
	mutex_lock(&t->lock);
	for (uint32_t fd = first; fd < t->nr_slots && fd <= last; fd++) {
		if (t->slots[fd].file)
			t->slots[fd].is_cloexec = true;
	}
	mutex_unlock(&t->lock);
	return 0;
}

unsigned int fdtable_nr_open(struct fdtable *t)
{
	unsigned int nr = 0;

	mutex_lock(&t->lock);
	for (uint32_t fd = 0; fd < t->nr_slots; fd++)
		nr += t->slots[fd].file != NULL;
	mutex_unlock(&t->lock);
	return nr;
}
