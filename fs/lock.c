// SPDX-License-Identifier: MIT
/*
 * The locks of one inode (<tern/filelock.h>), Linux's fs/locks.c rules:
 * byte-range locks of different owners conflict where they overlap and
 * one is a write lock; an owner's own locks never conflict, they are
 * replaced, split and merged (adjacent or overlapping locks of one type
 * become one). flock locks of different files conflict when one is
 * exclusive. Pure data structure: the locking, sleeping and the syscalls
 * around it are kernel/locks.c.
 */
#include <tern/errno.h>
#include <tern/filelock.h>

void lock_set_init(struct lock_set *s)
{
	list_init(&s->range_locks);
	list_init(&s->flocks);
}

bool lock_set_is_empty(const struct lock_set *s)
{
	return list_is_empty(&s->range_locks) && list_is_empty(&s->flocks);
}

static void free_list(struct list_head *h)
{
	while (!list_is_empty(h)) {
		struct file_lock *fl = list_first_entry(h, struct file_lock, link);
		list_remove(&fl->link);
		kfree(fl);
	}
}

void lock_set_fini(struct lock_set *s)
{
	free_list(&s->range_locks);
	free_list(&s->flocks);
}

int lock_request_from_flock(const struct flock *l, int64_t pos, int64_t size,
			    struct lock_request *out)
{
	int64_t start;

	switch (l->l_whence) {
	case SEEK_SET:
		start = 0;
		break;
	case SEEK_CUR:
		start = pos;
		break;
	case SEEK_END:
		start = size;
		break;
	default:
		return -EINVAL;
	}
	if (l->l_start > LOCK_OFFSET_MAX - start)
		return -EOVERFLOW;
	start += l->l_start;
	if (start < 0)
		return -EINVAL;
	out->start = start;
	if (l->l_len > 0) {
		if (l->l_len - 1 > LOCK_OFFSET_MAX - start)
			return -EOVERFLOW;
		out->end = start + (l->l_len - 1);
	} else if (l->l_len < 0) {
		/* POSIX-2001: a negative length locks the bytes before l_start. */
		if (start + l->l_len < 0)
			return -EINVAL;
		out->end = start - 1;
		out->start = start + l->l_len;
	} else {
		out->end = LOCK_OFFSET_MAX;
	}
	if (l->l_type != F_RDLCK && l->l_type != F_WRLCK && l->l_type != F_UNLCK)
		return -EINVAL;
	out->type = l->l_type;
	return 0;
}

void lock_to_flock(const struct file_lock *fl, struct flock *out)
{
	out->l_type = (short)fl->type;
	out->l_whence = SEEK_SET;
	out->l_start = fl->start;
	out->l_len = fl->end == LOCK_OFFSET_MAX ? 0 : fl->end - fl->start + 1;
	out->l_pid = fl->is_ofd ? -1 : fl->pid;
}

static bool ranges_overlap(const struct file_lock *fl, int64_t start, int64_t end)
{
	return fl->start <= end && start <= fl->end;
}

const struct file_lock *lock_range_find_conflict(const struct lock_set *s,
						 const struct lock_request *req)
{
	struct list_head *pos;

	if (req->type == F_UNLCK)
		return NULL;
	list_for_each(pos, &s->range_locks) {
		const struct file_lock *fl = list_entry(pos, struct file_lock, link);
		if (fl->owner != req->owner && ranges_overlap(fl, req->start, req->end) &&
		    (fl->type == F_WRLCK || req->type == F_WRLCK))
			return fl;
	}
	return NULL;
}

/* A lock of the owner's with req's type already covers req: nothing to do. */
static bool is_already_held(const struct lock_set *s, const struct lock_request *req)
{
	struct list_head *pos;

	list_for_each(pos, &s->range_locks) {
		const struct file_lock *fl = list_entry(pos, struct file_lock, link);
		if (fl->owner == req->owner && fl->type == req->type && fl->start <= req->start &&
		    fl->end >= req->end)
			return true;
	}
	return false;
}

/* One of the owner's locks strictly contains the range: taking it out splits it. */
static bool needs_split(const struct lock_set *s, const struct lock_request *req)
{
	struct list_head *pos;

	list_for_each(pos, &s->range_locks) {
		const struct file_lock *fl = list_entry(pos, struct file_lock, link);
		if (fl->owner == req->owner && fl->start < req->start && fl->end > req->end)
			return true;
	}
	return false;
}

/* Keeps range_locks ordered by start. */
static void insert_sorted(struct lock_set *s, struct file_lock *fl)
{
	struct list_head *pos;

	list_for_each(pos, &s->range_locks) {
		if (list_entry(pos, struct file_lock, link)->start > fl->start)
			break;
	}
	list_insert_between(&fl->link, pos->prev, pos);
}

/* Takes [start, end] out of the owner's locks; spare is the lock a split needs. */
static bool subtract_range(struct lock_set *s, const struct lock_request *req,
			   struct file_lock **spare)
{
	struct list_head *pos, *tmp;
	bool changed = false;

	list_for_each_safe(pos, tmp, &s->range_locks) {
		struct file_lock *fl = list_entry(pos, struct file_lock, link);
		if (fl->owner != req->owner || !ranges_overlap(fl, req->start, req->end))
			continue;
		changed = true;
		if (fl->start < req->start && fl->end > req->end) {
			struct file_lock *right = *spare;
			*spare = NULL;
			*right = *fl;
			right->start = req->end + 1;
			fl->end = req->start - 1;
			insert_sorted(s, right);
		} else if (fl->start < req->start) {
			fl->end = req->start - 1;
		} else if (fl->end > req->end) {
			list_remove(&fl->link);
			fl->start = req->end + 1;
			insert_sorted(s, fl);
		} else {
			list_remove(&fl->link);
			kfree(fl);
		}
	}
	return changed;
}

/* Joins the owner's locks of nl's type that touch nl into nl. */
static void merge_neighbours(struct lock_set *s, struct file_lock *nl)
{
	struct list_head *pos, *tmp;

	list_for_each_safe(pos, tmp, &s->range_locks) {
		struct file_lock *fl = list_entry(pos, struct file_lock, link);
		if (fl == nl || fl->owner != nl->owner || fl->type != nl->type)
			continue;
		if (nl->start > 0 && fl->end == nl->start - 1) {
			nl->start = fl->start;
		} else if (nl->end < LOCK_OFFSET_MAX && fl->start == nl->end + 1) {
			nl->end = fl->end;
		} else {
			continue;
		}
		list_remove(&fl->link);
		kfree(fl);
	}
}

/*
 * Outline:
 *   a lock request another owner's lock conflicts with -> EAGAIN
 *   an identical lock already covering the range -> done
 *   allocate what the change needs (a split piece, the new lock) or ENOLCK
 *   take the range out of every lock of the owner (trim, split, drop)
 *   for a lock: insert the new one, absorbing the owner's same-type neighbours
 */
int lock_range_apply(struct lock_set *s, const struct lock_request *req,
		     const struct file_lock **conflict, bool *released)
{
	struct file_lock *spare = NULL, *nl = NULL;
	const struct file_lock *c = lock_range_find_conflict(s, req);

	*released = false;
	if (c) {
		if (conflict)
			*conflict = c;
		return -EAGAIN;
	}
	if (req->type != F_UNLCK && is_already_held(s, req))
		return 0;
	if (needs_split(s, req) && !(spare = kmalloc(sizeof(*spare))))
		return -ENOLCK;
	if (req->type != F_UNLCK && !(nl = kmalloc(sizeof(*nl)))) {
		kfree(spare);
		return -ENOLCK;
	}
	*released = subtract_range(s, req, &spare);
	kfree(spare);
	if (nl) {
		*nl = (struct file_lock){
			.owner = req->owner,
			.pid = req->pid,
			.is_ofd = req->is_ofd,
			.type = req->type,
			.start = req->start,
			.end = req->end,
		};
		merge_neighbours(s, nl);
		insert_sorted(s, nl);
	}
	return 0;
}

static bool remove_matching(struct list_head *h, const void *owner)
{
	struct list_head *pos, *tmp;
	bool any = false;

	list_for_each_safe(pos, tmp, h) {
		struct file_lock *fl = list_entry(pos, struct file_lock, link);
		if (fl->owner == owner) {
			list_remove(&fl->link);
			kfree(fl);
			any = true;
		}
	}
	return any;
}

bool lock_range_remove_owner(struct lock_set *s, const void *owner)
{
	return remove_matching(&s->range_locks, owner);
}

bool lock_flock_remove(struct lock_set *s, const void *file)
{
	return remove_matching(&s->flocks, file);
}

static struct file_lock *find_flock(struct lock_set *s, const void *file)
{
	struct list_head *pos;

	list_for_each(pos, &s->flocks) {
		struct file_lock *fl = list_entry(pos, struct file_lock, link);
		if (fl->owner == file)
			return fl;
	}
	return NULL;
}

int lock_flock_apply(struct lock_set *s, const void *file, int type, const void **conflict_owner,
		     bool *released)
{
	struct file_lock *nl = NULL, *held;
	struct list_head *pos;

	*released = false;
	if (type != F_UNLCK && !(nl = kmalloc(sizeof(*nl))))
		return -ENOMEM;
	held = find_flock(s, file);
	if (held && held->type == type) {
		kfree(nl);
		return 0;
	}
	if (held) {
		*released = lock_flock_remove(s, file);
	}
	if (!nl)
		return 0;
	list_for_each(pos, &s->flocks) {
		struct file_lock *fl = list_entry(pos, struct file_lock, link);
		if (fl->type == F_WRLCK || type == F_WRLCK) {
			if (conflict_owner)
				*conflict_owner = fl->owner;
			kfree(nl);
			return -EAGAIN;
		}
	}
	*nl = (struct file_lock){.owner = file, .pid = -1, .type = type, .end = LOCK_OFFSET_MAX};
	list_insert_tail(&s->flocks, &nl->link);
	return 0;
}

bool lock_would_deadlock(const struct list_head *waiters, const void *owner, const void *blocker)
{
	for (int i = 0;; i++) {
		const struct lock_waiter *found = NULL;
		struct list_head *pos;

		list_for_each(pos, waiters) {
			const struct lock_waiter *w = list_entry(pos, struct lock_waiter, link);
			if (w->owner == blocker) {
				found = w;
				break;
			}
		}
		if (!found || i > LOCK_MAX_DEADLOCK_STEPS)
			return false;
		blocker = found->blocker;
		if (blocker == owner)
			return true;
	}
}
