/* SPDX-License-Identifier: MIT */
/*
 * Advisory file locks: the byte-range locks of fcntl (POSIX locks, owned
 * by a descriptor table, and OFD locks, owned by an open file
 * description) and the whole-file locks of flock(2), owned by an open
 * file description. fs/lock.c keeps the locks of one inode in a struct
 * lock_set and decides conflicts, splitting and merging, and deadlocks;
 * it is a pure data structure whose owner serializes every call. The
 * registry of sets, sleeping and the syscalls are kernel/locks.c.
 */
#pragma once

#include <linux/fcntl.h>
#include <linux/fs.h>
#include <tern/base.h>
#include <tern/list.h>

#define LOCK_OFFSET_MAX INT64_MAX  /* Linux's OFFSET_MAX: a lock "to end of file" */
#define LOCK_MAX_DEADLOCK_STEPS 10 /* Linux's MAX_DEADLK_ITERATIONS */

/* One held lock. */
struct file_lock {
	struct list_head link; /* in the set's range_locks (by start) or flocks */
	const void *owner;     /* POSIX: the descriptor table; OFD and flock: the file */
	int pid;	       /* l_pid F_GETLK reports: the POSIX locker's pid, -1 for OFD */
	bool is_ofd;	       /* an OFD lock */
	int type;	       /* F_RDLCK or F_WRLCK */
	int64_t start;	       /* first byte */
	int64_t end;	       /* last byte, LOCK_OFFSET_MAX for "to end of file" */
};

/* A lock, unlock or test of a byte range by one owner. */
struct lock_request {
	const void *owner;
	int pid;
	bool is_ofd;
	int type; /* F_RDLCK, F_WRLCK or F_UNLCK */
	int64_t start;
	int64_t end;
};

/* Every lock on one inode. */
struct lock_set {
	struct list_head range_locks; /* POSIX and OFD locks, by start */
	struct list_head flocks;      /* flock locks, oldest first */
};

void lock_set_init(struct lock_set *s);
bool lock_set_is_empty(const struct lock_set *s);
/* Frees every lock. */
void lock_set_fini(struct lock_set *s);

/*
 * ABI: flock64_to_posix_lock: the range a struct flock names, relative to
 * the file position pos or the size: 0 and *out (owner, pid, is_ofd left
 * to the caller), -EINVAL for a bad l_whence, l_type or a range before
 * byte 0, -EOVERFLOW for one past LOCK_OFFSET_MAX.
 */
int lock_request_from_flock(const struct flock *l, int64_t pos, int64_t size,
			    struct lock_request *out) __must_check;
/* Fills l_type, l_whence (SEEK_SET), l_start, l_len and l_pid from fl. */
void lock_to_flock(const struct file_lock *fl, struct flock *out);

/* The first lock of another owner that conflicts with req (a lock request), or NULL. */
const struct file_lock *lock_range_find_conflict(const struct lock_set *s,
						 const struct lock_request *req);
/*
 * Locks or unlocks req's range for its owner, splitting and merging the
 * owner's locks as Linux does: 0 (*released says whether any lock of the
 * owner shrank or went, so waiters may try again), -EAGAIN with
 * *conflict when another owner's lock is in the way, -ENOLCK when memory
 * runs out (nothing changed).
 */
int lock_range_apply(struct lock_set *s, const struct lock_request *req,
		     const struct file_lock **conflict, bool *released) __must_check;
/* Drops every range lock of owner: true if there were any. */
bool lock_range_remove_owner(struct lock_set *s, const void *owner);

/*
 * flock(2) for the open file description file: type F_RDLCK (LOCK_SH),
 * F_WRLCK (LOCK_EX) or F_UNLCK. ABI: as Linux, a conversion first drops
 * the lock held, so a conversion that fails leaves none. 0, -EAGAIN with
 * *conflict_owner, -ENOMEM (nothing changed). *released as above.
 */
int lock_flock_apply(struct lock_set *s, const void *file, int type, const void **conflict_owner,
		     bool *released) __must_check;
/* Drops file's flock lock: true if it had one. */
bool lock_flock_remove(struct lock_set *s, const void *file);

/* A POSIX lock owner asleep until blocker (another owner) lets go. */
struct lock_waiter {
	struct list_head link;
	const void *owner;
	const void *blocker;
};

/*
 * ABI: posix_locks_deadlock: true when owner waiting for blocker would
 * close a cycle of waiters (followed for at most LOCK_MAX_DEADLOCK_STEPS).
 * waiters holds struct lock_waiter.
 */
bool lock_would_deadlock(const struct list_head *waiters, const void *owner, const void *blocker);

struct vfs;
struct file;

/* The syscalls' side (kernel/locks.c): drops locks as vfs's files close, from boot on. */
void locks_register(struct vfs *vfs);
/* fcntl F_GETLK, F_SETLK, F_SETLKW and the F_OFD_ forms, arg the user's struct flock. */
long locks_fcntl(struct file *f, unsigned int cmd, unsigned long arg);
