// SPDX-License-Identifier: MIT
/*
 * Futexes: a waiter sleeps on a key, the address space and user address
 * of a private futex or the physical address of a shared one, after
 * checking under its bucket's lock that the word still holds the value
 * it expects; wakers take the same lock. Waiters are hashed by key into
 * buckets, each with its own list and lock, so a wake only looks at the
 * waiters that may share its key. Also robust lists: at thread exit each
 * futex the thread still owns is marked FUTEX_OWNER_DIED and one waiter
 * is woken.
 *
 * Locks: b = futex_bucket.lock, a mutex (reading the user word may
 * fault). Requeue and wake-op hold two buckets' locks: the one at the
 * lower address first.
 */
#include <linux/futex.h>
#include <linux/time_types.h>
#include <tern/arch.h>
#include <tern/aspace.h>
#include <tern/base.h>
#include <tern/errno.h>
#include <tern/futex.h>
#include <tern/proc.h>
#include <tern/signal.h>
#include <tern/sys.h>
#include <tern/time.h>
#include <tern/uvm.h>

struct futex_key {
	const void *space; /* the aspace of a private futex, NULL for shared */
	uint64_t addr;	   /* user address, or physical address when shared */
};

#define FUTEX_HASH_BITS 6

struct futex_bucket {
	struct mutex lock;
	struct list_head waiters; /* b: struct futex_waiter.link */
};

struct futex_waiter {
	struct list_head link;	     /* b */
	struct futex_key key;	     /* b */
	struct futex_bucket *bucket; /* b (both when requeued): where link is */
	uint32_t bitset;	     /* I */
	struct task *task;	     /* I */
	bool woken;		     /* b */
};

static struct futex_bucket buckets[1 << FUTEX_HASH_BITS];
static struct spinlock buckets_init_lock; /* zeroed: unlocked */
static bool buckets_ready;		  /* set once, under buckets_init_lock */

/* First use: no futex exists before the first user thread. */
static void buckets_init(void)
{
	spin_lock(&buckets_init_lock);
	if (!buckets_ready) {
		for (size_t i = 0; i < ARRAY_SIZE(buckets); i++) {
			mutex_init(&buckets[i].lock);
			list_init(&buckets[i].waiters);
		}
		__atomic_store_n(&buckets_ready, true, __ATOMIC_RELEASE);
	}
	spin_unlock(&buckets_init_lock);
}

static struct futex_bucket *bucket_of(const struct futex_key *key)
{
	uint64_t h = (key->addr >> 2) ^ ((uint64_t)(uintptr_t)key->space >> 4);

	if (!__atomic_load_n(&buckets_ready, __ATOMIC_ACQUIRE))
		buckets_init();
	h *= 0x9e3779b97f4a7c15ULL; /* Fibonacci hashing: the top bits mix every input bit */
	return &buckets[h >> (64 - FUTEX_HASH_BITS)];
}

/* Locks two buckets, the lower address first; once if they are the same. */
static void lock_pair(struct futex_bucket *a, struct futex_bucket *b)
{
	if (a == b) {
		mutex_lock(&a->lock);
		return;
	}
	if (a > b) {
		struct futex_bucket *t = a;
		a = b;
		b = t;
	}
	mutex_lock(&a->lock);
	mutex_lock(&b->lock);
}

static void unlock_pair(struct futex_bucket *a, struct futex_bucket *b)
{
	mutex_unlock(&a->lock);
	if (b != a)
		mutex_unlock(&b->lock);
}

/* Locks the bucket w sits in, which a requeue may change until its lock is held. */
static struct futex_bucket *lock_waiter_bucket(struct futex_waiter *w)
{
	for (;;) {
		struct futex_bucket *b = READ_ONCE(w->bucket);
		mutex_lock(&b->lock);
		if (READ_ONCE(w->bucket) == b)
			return b;
		mutex_unlock(&b->lock);
	}
}

static int get_key(uint64_t uaddr, bool shared, struct futex_key *key)
{
	struct aspace *as = current_proc()->as;
	uint32_t v;

	if (uaddr & 3)
		return -EINVAL;
	if (!shared) {
		*key = (struct futex_key){as, uaddr};
		return 0;
	}
	if (copy_from_user(&v, (const void *)uaddr, sizeof(v)) != 0)
		return -EFAULT; /* also faults the page in */
	uint64_t pa = uvm_lookup(aspace_uvm(as), uaddr);
	if (!pa)
		return -EFAULT;
	*key = (struct futex_key){NULL, pa};
	return 0;
}

static bool key_eq(const struct futex_key *a, const struct futex_key *b)
{
	return a->space == b->space && a->addr == b->addr;
}

/* Wakes up to n waiters on key with a bit of bitset; b is key's bucket, locked. */
static int wake_key(struct futex_bucket *b, const struct futex_key *key, int n, uint32_t bitset)
{
	struct list_head *pos, *tmp;
	int woken = 0;

	list_for_each_safe(pos, tmp, &b->waiters) {
		if (woken >= n)
			break;
		struct futex_waiter *w = list_entry(pos, struct futex_waiter, link);
		if (!key_eq(&w->key, key) || !(w->bitset & bitset))
			continue;
		list_remove(&w->link);
		w->woken = true;
		task_wake(w->task);
		woken++;
	}
	return woken;
}

static int futex_wait(uint64_t uaddr, bool shared, uint32_t val, uint32_t bitset,
		      uint64_t deadline_ns)
{
	struct futex_waiter w = {.bitset = bitset, .task = current_task()};
	struct futex_bucket *b;
	uint32_t cur;
	int err = get_key(uaddr, shared, &w.key);

	if (err)
		return err;
	if (!bitset)
		return -EINVAL;
	b = w.bucket = bucket_of(&w.key);
	mutex_lock(&b->lock);
	if (copy_from_user(&cur, (const void *)uaddr, sizeof(cur)) != 0) {
		mutex_unlock(&b->lock);
		return -EFAULT;
	}
	if (cur != val) {
		mutex_unlock(&b->lock);
		return -EAGAIN;
	}
	list_insert_tail(&b->waiters, &w.link);
	for (;;) {
		uint64_t flags = arch_irq_save();
		w.task->state = TASK_SLEEPING;
		mutex_unlock(&b->lock);
		uint64_t now = clock_monotonic_ns();
		bool timed_out = false;
		if (deadline_ns && now >= deadline_ns) {
			w.task->state = TASK_RUNNABLE;
			timed_out = true;
		} else {
			timed_out = sched_sleep_timeout(deadline_ns ? deadline_ns - now : 0);
		}
		w.task->state = TASK_RUNNABLE;
		arch_irq_restore(flags);
		b = lock_waiter_bucket(&w);
		if (w.woken) {
			err = 0;
			break;
		}
		if (timed_out || (deadline_ns && clock_monotonic_ns() >= deadline_ns)) {
			err = -ETIMEDOUT;
			break;
		}
		if (signal_pending_current()) {
			err = deadline_ns ? -EINTR : -ERESTARTSYS;
			break;
		}
	}
	if (!w.woken)
		list_remove(&w.link);
	mutex_unlock(&b->lock);
	return err;
}

static int futex_wake(uint64_t uaddr, bool shared, int n, uint32_t bitset)
{
	struct futex_key key;
	int err = get_key(uaddr, shared, &key);

	if (err)
		return err;
	if (!bitset)
		return -EINVAL;
	struct futex_bucket *b = bucket_of(&key);
	mutex_lock(&b->lock);
	int woken = wake_key(b, &key, n, bitset);
	mutex_unlock(&b->lock);
	return woken;
}

/*
 * ABI: the exit-time wake on a thread's clear_child_tid word is a shared
 * wake in Linux (kernel/fork.c, mm_release), and glibc's pthread_join
 * waits there without FUTEX_PRIVATE_FLAG. Private waiters are woken too,
 * as Tern always did.
 */
int futex_wake_addr(uint64_t uaddr, int n)
{
	int woken = futex_wake(uaddr, false, n, FUTEX_BITSET_MATCH_ANY);

	if (woken < 0)
		woken = 0;
	if (woken < n) {
		int shared = futex_wake(uaddr, true, n - woken, FUTEX_BITSET_MATCH_ANY);
		if (shared > 0)
			woken += shared;
	}
	return woken;
}

static int futex_requeue(uint64_t uaddr, bool shared, int nr_wake, int nr_requeue, uint64_t uaddr2,
			 bool cmp, uint32_t cmpval)
{
	struct futex_key k1, k2;
	int err = get_key(uaddr, shared, &k1);

	if (!err)
		err = get_key(uaddr2, shared, &k2);
	if (err)
		return err;
	if (nr_wake < 0 || nr_requeue < 0)
		return -EINVAL;
	struct futex_bucket *b1 = bucket_of(&k1), *b2 = bucket_of(&k2);
	lock_pair(b1, b2);
	if (cmp) {
		uint32_t cur;
		if (copy_from_user(&cur, (const void *)uaddr, sizeof(cur)) != 0) {
			unlock_pair(b1, b2);
			return -EFAULT;
		}
		if (cur != cmpval) {
			unlock_pair(b1, b2);
			return -EAGAIN;
		}
	}
	int done = wake_key(b1, &k1, nr_wake, FUTEX_BITSET_MATCH_ANY);
	struct list_head *pos, *tmp;
	int moved = 0;
	list_for_each_safe(pos, tmp, &b1->waiters) {
		struct futex_waiter *w = list_entry(pos, struct futex_waiter, link);
		if (moved >= nr_requeue)
			break;
		if (!key_eq(&w->key, &k1))
			continue;
		w->key = k2;
		if (b2 != b1) {
			list_remove(&w->link);
			list_insert_tail(&b2->waiters, &w->link);
			WRITE_ONCE(w->bucket, b2);
		}
		moved++;
	}
	unlock_pair(b1, b2);
	return done + moved;
}

static int futex_wake_op(uint64_t uaddr, bool shared, int nr_wake, int nr_wake2, uint64_t uaddr2,
			 uint32_t encoded)
{
	struct futex_key k1, k2;
	int err = get_key(uaddr, shared, &k1);
	uint32_t op = (encoded >> 28) & 7, cmp = (encoded >> 24) & 15;
	uint32_t oparg = (encoded >> 12) & 0xfff, cmparg = encoded & 0xfff;
	uint32_t old, val;

	if (!err)
		err = get_key(uaddr2, shared, &k2);
	if (err)
		return err;
	if (encoded & (FUTEX_OP_OPARG_SHIFT << 28))
		oparg = 1u << (oparg & 31);
	struct futex_bucket *b1 = bucket_of(&k1), *b2 = bucket_of(&k2);
	lock_pair(b1, b2);
	if (copy_from_user(&old, (const void *)uaddr2, sizeof(old)) != 0) {
		unlock_pair(b1, b2);
		return -EFAULT;
	}
	switch (op) {
	case FUTEX_OP_SET:
		val = oparg;
		break;
	case FUTEX_OP_ADD:
		val = old + oparg;
		break;
	case FUTEX_OP_OR:
		val = old | oparg;
		break;
	case FUTEX_OP_ANDN:
		val = old & ~oparg;
		break;
	case FUTEX_OP_XOR:
		val = old ^ oparg;
		break;
	default:
		unlock_pair(b1, b2);
		return -ENOSYS;
	}
	if (copy_to_user((void *)uaddr2, &val, sizeof(val)) != 0) {
		unlock_pair(b1, b2);
		return -EFAULT;
	}
	int32_t o = (int32_t)old, c = (int32_t)((cmparg << 20)) >> 20;
	bool hit;
	switch (cmp) {
	case FUTEX_OP_CMP_EQ:
		hit = o == c;
		break;
	case FUTEX_OP_CMP_NE:
		hit = o != c;
		break;
	case FUTEX_OP_CMP_LT:
		hit = o < c;
		break;
	case FUTEX_OP_CMP_LE:
		hit = o <= c;
		break;
	case FUTEX_OP_CMP_GT:
		hit = o > c;
		break;
	case FUTEX_OP_CMP_GE:
		hit = o >= c;
		break;
	default:
		unlock_pair(b1, b2);
		return -ENOSYS;
	}
	int n = wake_key(b1, &k1, nr_wake, FUTEX_BITSET_MATCH_ANY);
	if (hit)
		n += wake_key(b2, &k2, nr_wake2, FUTEX_BITSET_MATCH_ANY);
	unlock_pair(b1, b2);
	return n;
}

/* A user timespec as an absolute monotonic deadline; 0 = none. */
static int timeout_deadline(uint64_t uts, bool absolute, bool realtime, uint64_t *out)
{
	uint64_t ns;

	*out = 0;
	if (!uts)
		return 0;
	int err = timespec_from_user((const void *)uts, &ns);
	if (err)
		return err;
	uint64_t now = clock_monotonic_ns();
	if (!absolute) {
		*out = deadline_after(now, ns);
	} else if (realtime) {
		uint64_t real = clock_realtime_ns();
		*out = ns > real ? deadline_after(now, ns - real) : now;
	} else {
		*out = ns ? ns : 1;
	}
	return 0;
}

/* futex(2) */
long sys_futex(const unsigned long args[6])
{
	uint64_t uaddr = args[0];
	int op = (int)args[1];
	uint32_t val = (uint32_t)args[2];
	int cmd = op & FUTEX_CMD_MASK;
	bool shared = !(op & FUTEX_PRIVATE_FLAG);
	bool realtime = op & FUTEX_CLOCK_REALTIME;
	uint64_t deadline;
	int err;

	if (realtime && cmd != FUTEX_WAIT && cmd != FUTEX_WAIT_BITSET)
		return -ENOSYS;
	switch (cmd) {
	case FUTEX_WAIT:
		err = timeout_deadline(args[3], false, false, &deadline);
		return err ? err : futex_wait(uaddr, shared, val, FUTEX_BITSET_MATCH_ANY, deadline);
	case FUTEX_WAIT_BITSET:
		err = timeout_deadline(args[3], true, realtime, &deadline);
		return err ? err : futex_wait(uaddr, shared, val, (uint32_t)args[5], deadline);
	case FUTEX_WAKE:
		return futex_wake(uaddr, shared, (int)val, FUTEX_BITSET_MATCH_ANY);
	case FUTEX_WAKE_BITSET:
		return futex_wake(uaddr, shared, (int)val, (uint32_t)args[5]);
	case FUTEX_REQUEUE:
		return futex_requeue(uaddr, shared, (int)val, (int)args[3], args[4], false, 0);
	case FUTEX_CMP_REQUEUE:
		return futex_requeue(uaddr, shared, (int)val, (int)args[3], args[4], true,
				     (uint32_t)args[5]);
	case FUTEX_WAKE_OP:
		return futex_wake_op(uaddr, shared, (int)val, (int)args[3], args[4],
				     (uint32_t)args[5]);
	default:
		return -ENOSYS;
	}
}

/* set_robust_list(2) */
long sys_set_robust_list(const unsigned long args[6])
{
	if (args[1] != sizeof(struct robust_list_head))
		return -EINVAL;
	current_task()->robust_list = args[0];
	current_task()->robust_len = args[1];
	return 0;
}

/* get_robust_list(2) */
long sys_get_robust_list(const unsigned long args[6])
{
	int pid = (int)args[0];
	uint64_t head;
	uint64_t len = sizeof(struct robust_list_head);

	if (pid) {
		spin_lock(&proc_lock);
		struct task *t = proc_find_task_locked(pid);
		head = t ? t->robust_list : 0;
		spin_unlock(&proc_lock);
		if (!t)
			return -ESRCH;
	} else {
		head = current_task()->robust_list;
	}
	if (copy_to_user((void *)args[2], &len, sizeof(len)) != 0 ||
	    copy_to_user((void *)args[1], &head, sizeof(head)) != 0)
		return -EFAULT;
	return 0;
}

/* Marks one robust futex of the dying thread owner-dead and wakes a waiter. */
static void robust_release(uint64_t uaddr, int tid)
{
	uint32_t v;

	if (copy_from_user(&v, (const void *)uaddr, sizeof(v)) != 0)
		return;
	if ((v & FUTEX_TID_MASK) != (uint32_t)tid)
		return;
	uint32_t nv = (v & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
	if (copy_to_user((void *)uaddr, &nv, sizeof(nv)) != 0)
		return;
	if (v & FUTEX_WAITERS) {
		futex_wake(uaddr, false, 1, FUTEX_BITSET_MATCH_ANY);
		futex_wake(uaddr, true, 1, FUTEX_BITSET_MATCH_ANY);
	}
}

void futex_exit_robust_list(struct task *t)
{
	struct robust_list_head head;
	uint64_t entry;

	if (!t->robust_list ||
	    copy_from_user(&head, (const void *)t->robust_list, sizeof(head)) != 0)
		return;
	entry = (uint64_t)head.list.next;
	for (int limit = ROBUST_LIST_LIMIT; limit > 0 && entry != t->robust_list; limit--) {
		uint64_t next;
		if (copy_from_user(&next, (const void *)entry, sizeof(next)) != 0)
			break;
		if (entry != (uint64_t)head.list_op_pending)
			robust_release(entry + (uint64_t)head.futex_offset, t->id);
		entry = next;
	}
	if (head.list_op_pending)
		robust_release((uint64_t)head.list_op_pending + (uint64_t)head.futex_offset, t->id);
	t->robust_list = 0;
}
