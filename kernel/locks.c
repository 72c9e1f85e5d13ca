// SPDX-License-Identifier: MIT
/*
 * Advisory locks as syscalls: fcntl's F_GETLK/F_SETLK/F_SETLKW and their
 * F_OFD_ forms, and flock(2). The rules of one inode's locks are
 * fs/lock.c's; this file keeps a lock set per locked inode, puts callers
 * to sleep until a lock in their way goes, and drops locks when files
 * close (the VFS calls the hooks registered here): a process's POSIX
 * locks on an inode go when it closes any descriptor of it, OFD and
 * flock locks when their open file description goes.
 *
 * Locks: M = locks_mutex (every set, the waiter list). It nests inside
 * nothing; the wait queue's lock nests inside it.
 */
#include <linux/fcntl.h>
#include <tern/errno.h>
#include <tern/filelock.h>
#include <tern/files.h>
#include <tern/poll.h>
#include <tern/proc.h>
#include <tern/signal.h>
#include <tern/sys.h>
#include <tern/syscall.h>

/* The locks of one inode; it exists while any lock does. */
struct inode_locks {
	struct list_head link;	   /* M: in locked_inodes */
	const struct inode *inode; /* I: kept alive by the files its locks came through */
	struct lock_set set;	   /* M */
};

static struct mutex locks_mutex;
static struct list_head locked_inodes; /* M: struct inode_locks by link */
static uint32_t nr_locked_inodes;      /* M, read unlocked as a hint */
static struct list_head lock_waiters;  /* M: struct lock_waiter of sleeping POSIX owners */
static struct wait_queue locks_wq;     /* sleepers; woken whenever a lock shrinks or goes */

/* The inode's set, made if create: NULL if there is none or no memory. M held. */
static struct inode_locks *inode_locks_find(const struct inode *inode, bool create)
{
	struct list_head *pos;
	struct inode_locks *il;

	assert_held(&locks_mutex);
	list_for_each(pos, &locked_inodes) {
		il = list_entry(pos, struct inode_locks, link);
		if (il->inode == inode)
			return il;
	}
	if (!create || !(il = kmalloc(sizeof(*il))))
		return NULL;
	il->inode = inode;
	lock_set_init(&il->set);
	list_insert_tail(&locked_inodes, &il->link);
	nr_locked_inodes++;
	return il;
}

/* Frees a set that has no lock left. M held. */
static void inode_locks_tidy(struct inode_locks *il)
{
	if (!il || !lock_set_is_empty(&il->set))
		return;
	list_remove(&il->link);
	nr_locked_inodes--;
	kfree(il);
}

/*
 * Drops owner's range locks on file's inode, and file's flock lock too
 * when the file itself goes (is_release), waking sleepers if any went.
 */
static void locks_drop(struct file *file, const void *owner, bool is_release)
{
	struct inode_locks *il;
	bool released = false;

	if (!READ_ONCE(nr_locked_inodes))
		return;
	mutex_lock(&locks_mutex);
	il = inode_locks_find(file->inode, false);
	if (il) {
		released = lock_range_remove_owner(&il->set, owner);
		if (is_release)
			released |= lock_flock_remove(&il->set, file);
	}
	inode_locks_tidy(il);
	mutex_unlock(&locks_mutex);
	if (released)
		wake_up_all(&locks_wq);
}

static void locks_close_hook(struct file *file, const void *owner)
{
	locks_drop(file, owner, false);
}

/* The OFD locks are the file's own (their owner is the file). */
static void locks_release_hook(struct file *file)
{
	locks_drop(file, file, true);
}

static const struct file_lock_hooks lock_hooks = {
	.close = locks_close_hook,
	.release = locks_release_hook,
};

void locks_register(struct vfs *vfs)
{
	mutex_init(&locks_mutex);
	list_init(&locked_inodes);
	list_init(&lock_waiters);
	wait_queue_init(&locks_wq);
	vfs_set_lock_hooks(vfs, &lock_hooks);
}

/*
 * One attempt at a range lock, then sleeping while it must wait: 0,
 * -EAGAIN (would wait and may not), -EDEADLK, -ENOLCK, -ERESTARTSYS.
 */
static int range_lock_wait(struct file *f, const struct lock_request *req, bool may_wait)
{
	struct lock_waiter waiter = {.owner = req->owner};
	struct wait_entry we = {0};
	int err;

	mutex_lock(&locks_mutex);
	for (;;) {
		const struct file_lock *conflict = NULL;
		bool released = false;
		struct inode_locks *il = inode_locks_find(f->inode, req->type != F_UNLCK);
		if (!il) {
			err = req->type == F_UNLCK ? 0 : -ENOLCK;
			break;
		}
		err = lock_range_apply(&il->set, req, &conflict, &released);
		if (released)
			wake_up_all(&locks_wq);
		inode_locks_tidy(il);
		if (err != -EAGAIN || !may_wait)
			break;
		/* ABI: posix_locks_deadlock: OFD owners are not followed. */
		if (!req->is_ofd &&
		    lock_would_deadlock(&lock_waiters, req->owner, conflict->owner)) {
			err = -EDEADLK;
			break;
		}
		waiter.blocker = conflict->owner;
		if (!req->is_ofd)
			list_insert_tail(&lock_waiters, &waiter.link);
		err = wait_dropping_mutex(&locks_wq, &we, &locks_mutex);
		if (!req->is_ofd)
			list_remove(&waiter.link);
		if (err)
			break;
	}
	mutex_unlock(&locks_mutex);
	if (we.task)
		wait_finish(&locks_wq, &we);
	return err;
}

static int locks_getlk(struct file *f, bool is_ofd, struct flock *l)
{
	struct lock_request req;
	int err;

	if (l->l_type != F_RDLCK && l->l_type != F_WRLCK)
		return -EINVAL;
	err = lock_request_from_flock(l, READ_ONCE(f->pos), (int64_t)READ_ONCE(f->inode->size),
				      &req);
	if (err)
		return err;
	if (is_ofd && l->l_pid != 0)
		return -EINVAL;
	req.owner = is_ofd ? (const void *)f : (const void *)files_table();
	mutex_lock(&locks_mutex);
	struct inode_locks *il = inode_locks_find(f->inode, false);
	const struct file_lock *conflict = il ? lock_range_find_conflict(&il->set, &req) : NULL;
	if (conflict)
		lock_to_flock(conflict, l);
	else
		l->l_type = F_UNLCK;
	mutex_unlock(&locks_mutex);
	return 0;
}

static int locks_setlk(struct file *f, unsigned int cmd, struct flock *l)
{
	bool is_ofd = cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW;
	struct lock_request req;
	int err;

	err = lock_request_from_flock(l, READ_ONCE(f->pos), (int64_t)READ_ONCE(f->inode->size),
				      &req);
	if (err)
		return err;
	if ((req.type == F_RDLCK && !(f->mode & FMODE_READ)) ||
	    (req.type == F_WRLCK && !(f->mode & FMODE_WRITE)))
		return -EBADF;
	if (is_ofd && l->l_pid != 0)
		return -EINVAL;
	req.is_ofd = is_ofd;
	req.owner = is_ofd ? (const void *)f : (const void *)files_table();
	spin_lock(&proc_lock);
	req.pid = is_ofd ? -1 : current_proc()->pid;
	spin_unlock(&proc_lock);
	return range_lock_wait(f, &req, cmd == F_SETLKW || cmd == F_OFD_SETLKW);
}

long locks_fcntl(struct file *f, unsigned int cmd, unsigned long arg)
{
	struct flock l;
	int err;

	if (copy_from_user(&l, (const void *)arg, sizeof(l)) != 0)
		return -EFAULT;
	if (cmd == F_GETLK || cmd == F_OFD_GETLK) {
		err = locks_getlk(f, cmd == F_OFD_GETLK, &l);
		if (!err && copy_to_user((void *)arg, &l, sizeof(l)) != 0)
			return -EFAULT;
		return err;
	}
	return locks_setlk(f, cmd, &l);
}

/* flock(2): one attempt, then sleeping unless LOCK_NB. */
static int flock_wait(struct file *f, int type, bool may_wait)
{
	struct wait_entry we = {0};
	int err;

	mutex_lock(&locks_mutex);
	for (;;) {
		bool released = false;
		struct inode_locks *il = inode_locks_find(f->inode, type != F_UNLCK);
		if (!il) {
			err = type == F_UNLCK ? 0 : -ENOMEM;
			break;
		}
		err = lock_flock_apply(&il->set, f, type, NULL, &released);
		if (released)
			wake_up_all(&locks_wq);
		inode_locks_tidy(il);
		if (err != -EAGAIN || !may_wait)
			break;
		err = wait_dropping_mutex(&locks_wq, &we, &locks_mutex);
		if (err)
			break;
	}
	mutex_unlock(&locks_mutex);
	if (we.task)
		wait_finish(&locks_wq, &we);
	return err;
}

/* flock(2) */
long sys_flock(const unsigned long args[6])
{
	unsigned int cmd = (unsigned int)args[1];
	struct file *f;
	int type, err;

	/* ABI: LOCK_MAND was never enforced; Linux 6.1 ignores it and succeeds. */
	if (cmd & LOCK_MAND)
		return 0;
	switch (cmd & ~(unsigned int)LOCK_NB) {
	case LOCK_SH:
		type = F_RDLCK;
		break;
	case LOCK_EX:
		type = F_WRLCK;
		break;
	case LOCK_UN:
		type = F_UNLCK;
		break;
	default:
		return -EINVAL;
	}
	err = files_fd_get((int)args[0], &f);
	if (err)
		return err;
	if ((f->mode & FMODE_PATH) || (type != F_UNLCK && !(f->mode & (FMODE_READ | FMODE_WRITE))))
		err = -EBADF;
	else
		err = flock_wait(f, type, !(cmd & LOCK_NB));
	file_put(f);
	return err;
}
