// SPDX-License-Identifier: MIT
/*
 * Host tests for the lock set (fs/lock.c): struct flock ranges and their
 * errors, conflicts, splitting and merging of one owner's locks, flock
 * conversions, deadlock chains, and every allocation failure.
 */
#include <host_fault.h>
#include <tern/errno.h>
#include <tern/filelock.h>
#include <tern/ktest.h>
#include <tern/string.h>

static const int owner_a = 1, owner_b = 2, owner_c = 3;
#define A ((const void *)&owner_a)
#define B ((const void *)&owner_b)
#define C ((const void *)&owner_c)

static struct lock_request req(const void *owner, int type, int64_t start, int64_t end)
{
	return (struct lock_request){
		.owner = owner, .pid = 7, .type = type, .start = start, .end = end};
}

static int apply(struct lock_set *s, const void *owner, int type, int64_t start, int64_t end)
{
	struct lock_request r = req(owner, type, start, end);
	bool released;

	return lock_range_apply(s, &r, NULL, &released);
}

/* Writes the set as "owner:type:start-end " (type r/w, end -1 for the end of file). */
static void describe(const struct lock_set *s, char *buf, size_t size)
{
	struct list_head *pos;
	size_t n = 0;

	buf[0] = 0;
	list_for_each(pos, &s->range_locks) {
		const struct file_lock *fl = list_entry(pos, struct file_lock, link);
		n += ksnprintf(buf + n, size - n, "%s%d:%c:%lld-%lld", n ? " " : "",
			       *(const int *)fl->owner, fl->type == F_WRLCK ? 'w' : 'r',
			       (long long)fl->start,
			       fl->end == LOCK_OFFSET_MAX ? -1LL : (long long)fl->end);
	}
}

#define EXPECT_SET(s, want)                        \
	do {                                       \
		char got_[256];                    \
		describe((s), got_, sizeof(got_)); \
		KEXPECT(strcmp(got_, want) == 0);  \
	} while (0)

static int from_flock(short type, short whence, int64_t start, int64_t len, int64_t pos,
		      int64_t size, struct lock_request *out)
{
	struct flock l = {.l_type = type, .l_whence = whence, .l_start = start, .l_len = len};

	return lock_request_from_flock(&l, pos, size, out);
}

KTEST(lock, test_lock_request_from_flock_ranges)
{
	struct lock_request r;

	KEXPECT_EQ(from_flock(F_WRLCK, SEEK_SET, 10, 5, 0, 0, &r), 0);
	KEXPECT(r.start == 10 && r.end == 14 && r.type == F_WRLCK);
	KEXPECT_EQ(from_flock(F_RDLCK, SEEK_SET, 10, 0, 0, 0, &r), 0);
	KEXPECT(r.start == 10 && r.end == LOCK_OFFSET_MAX);
	KEXPECT_EQ(from_flock(F_RDLCK, SEEK_CUR, -5, 5, 100, 0, &r), 0);
	KEXPECT(r.start == 95 && r.end == 99);
	KEXPECT_EQ(from_flock(F_RDLCK, SEEK_END, 0, -10, 0, 50, &r), 0);
	KEXPECT(r.start == 40 && r.end == 49);
	KEXPECT_EQ(from_flock(F_UNLCK, SEEK_SET, 0, 1, 0, 0, &r), 0);
	KEXPECT(r.start == 0 && r.end == 0 && r.type == F_UNLCK);
}

KTEST(lock, test_lock_request_from_flock_errors)
{
	struct lock_request r;

	KEXPECT_EQ(from_flock(F_RDLCK, 3, 0, 0, 0, 0, &r), -EINVAL);
	KEXPECT_EQ(from_flock(F_RDLCK, SEEK_SET, -1, 0, 0, 0, &r), -EINVAL);
	KEXPECT_EQ(from_flock(F_RDLCK, SEEK_SET, 5, -6, 0, 0, &r), -EINVAL);
	KEXPECT_EQ(from_flock(F_RDLCK, SEEK_CUR, INT64_MAX, 1, 1, 0, &r), -EOVERFLOW);
	KEXPECT_EQ(from_flock(F_RDLCK, SEEK_SET, INT64_MAX, 2, 0, 0, &r), -EOVERFLOW);
	KEXPECT_EQ(from_flock(F_RDLCK, SEEK_SET, INT64_MAX, 1, 0, 0, &r), 0);
	KEXPECT_EQ(from_flock(42, SEEK_SET, 0, 0, 0, 0, &r), -EINVAL);
	/* The range is checked before the type, as Linux does. */
	KEXPECT_EQ(from_flock(42, SEEK_SET, INT64_MAX, 2, 0, 0, &r), -EOVERFLOW);
}

KTEST(lock, test_lock_to_flock_reports_length_and_pid)
{
	struct file_lock fl = {.type = F_WRLCK, .pid = 42, .start = 5, .end = 9};
	struct flock l;

	lock_to_flock(&fl, &l);
	KEXPECT(l.l_type == F_WRLCK && l.l_whence == SEEK_SET && l.l_start == 5 && l.l_len == 5 &&
		l.l_pid == 42);
	fl.end = LOCK_OFFSET_MAX;
	fl.is_ofd = true;
	lock_to_flock(&fl, &l);
	KEXPECT(l.l_len == 0 && l.l_pid == -1);
}

KTEST(lock, test_lock_range_conflicts)
{
	struct lock_set s;
	struct lock_request r;
	long live = host_kmalloc_live();

	lock_set_init(&s);
	KEXPECT_EQ(apply(&s, A, F_RDLCK, 0, 9), 0);
	KEXPECT_EQ(apply(&s, B, F_RDLCK, 5, 20), 0);
	KEXPECT_EQ(apply(&s, B, F_WRLCK, 5, 20), -EAGAIN);
	KEXPECT_EQ(apply(&s, B, F_WRLCK, 10, 20), 0);
	r = req(A, F_WRLCK, 3, 4);
	KEXPECT(lock_range_find_conflict(&s, &r) == NULL);
	r = req(A, F_WRLCK, 9, 10);
	const struct file_lock *c = lock_range_find_conflict(&s, &r);
	KEXPECT(c && c->owner == B && c->start == 5 && c->end == 9 && c->type == F_RDLCK);
	r = req(A, F_RDLCK, 10, 10);
	c = lock_range_find_conflict(&s, &r);
	KEXPECT(c && c->owner == B && c->start == 10 && c->type == F_WRLCK);
	r = req(C, F_UNLCK, 0, 100);
	KEXPECT(lock_range_find_conflict(&s, &r) == NULL);
	r = req(C, F_RDLCK, 0, 9);
	KEXPECT(lock_range_find_conflict(&s, &r) == NULL);
	lock_set_fini(&s);
	KEXPECT_EQ(host_kmalloc_live(), live);
}

KTEST(lock, test_lock_range_merges_same_type)
{
	struct lock_set s;
	long live = host_kmalloc_live();

	lock_set_init(&s);
	KEXPECT_EQ(apply(&s, A, F_RDLCK, 0, 9), 0);
	KEXPECT_EQ(apply(&s, A, F_RDLCK, 10, 19), 0);
	EXPECT_SET(&s, "1:r:0-19");
	KEXPECT_EQ(apply(&s, A, F_RDLCK, 30, 39), 0);
	EXPECT_SET(&s, "1:r:0-19 1:r:30-39");
	KEXPECT_EQ(apply(&s, A, F_RDLCK, 15, 35), 0);
	EXPECT_SET(&s, "1:r:0-39");
	KEXPECT_EQ(apply(&s, A, F_RDLCK, 50, LOCK_OFFSET_MAX), 0);
	KEXPECT_EQ(apply(&s, A, F_RDLCK, 40, 49), 0);
	EXPECT_SET(&s, "1:r:0--1");
	lock_set_fini(&s);
	KEXPECT_EQ(host_kmalloc_live(), live);
}

KTEST(lock, test_lock_range_splits_on_other_type_and_unlock)
{
	struct lock_set s;
	long live = host_kmalloc_live();

	lock_set_init(&s);
	KEXPECT_EQ(apply(&s, A, F_RDLCK, 0, 99), 0);
	KEXPECT_EQ(apply(&s, A, F_WRLCK, 40, 59), 0);
	EXPECT_SET(&s, "1:r:0-39 1:w:40-59 1:r:60-99");
	KEXPECT_EQ(apply(&s, A, F_UNLCK, 45, 49), 0);
	EXPECT_SET(&s, "1:r:0-39 1:w:40-44 1:w:50-59 1:r:60-99");
	KEXPECT_EQ(apply(&s, A, F_RDLCK, 40, 59), 0);
	EXPECT_SET(&s, "1:r:0-99");
	KEXPECT_EQ(apply(&s, A, F_UNLCK, 0, 0), 0);
	EXPECT_SET(&s, "1:r:1-99");
	KEXPECT_EQ(apply(&s, A, F_UNLCK, 99, LOCK_OFFSET_MAX), 0);
	EXPECT_SET(&s, "1:r:1-98");
	KEXPECT_EQ(apply(&s, A, F_WRLCK, 0, LOCK_OFFSET_MAX), 0);
	EXPECT_SET(&s, "1:w:0--1");
	KEXPECT_EQ(apply(&s, A, F_UNLCK, 0, LOCK_OFFSET_MAX), 0);
	KEXPECT(lock_set_is_empty(&s));
	lock_set_fini(&s);
	KEXPECT_EQ(host_kmalloc_live(), live);
}

KTEST(lock, test_lock_range_owners_are_kept_apart)
{
	struct lock_set s;
	long live = host_kmalloc_live();

	lock_set_init(&s);
	KEXPECT_EQ(apply(&s, A, F_RDLCK, 0, 9), 0);
	KEXPECT_EQ(apply(&s, B, F_RDLCK, 10, 19), 0);
	EXPECT_SET(&s, "1:r:0-9 2:r:10-19");
	KEXPECT_EQ(apply(&s, B, F_UNLCK, 0, 100), 0);
	EXPECT_SET(&s, "1:r:0-9");
	KEXPECT_EQ(apply(&s, B, F_RDLCK, 5, 6), 0);
	KEXPECT(lock_range_remove_owner(&s, A));
	KEXPECT(!lock_range_remove_owner(&s, A));
	EXPECT_SET(&s, "2:r:5-6");
	lock_set_fini(&s);
	KEXPECT_EQ(host_kmalloc_live(), live);
}

KTEST(lock, test_lock_range_reports_released)
{
	struct lock_set s;
	struct lock_request r;
	bool released;

	lock_set_init(&s);
	r = req(A, F_WRLCK, 0, 9);
	KEXPECT_EQ(lock_range_apply(&s, &r, NULL, &released), 0);
	KEXPECT(!released);
	r = req(A, F_WRLCK, 0, 9);
	KEXPECT_EQ(lock_range_apply(&s, &r, NULL, &released), 0);
	KEXPECT(!released);
	r = req(A, F_RDLCK, 0, 4);
	KEXPECT_EQ(lock_range_apply(&s, &r, NULL, &released), 0);
	KEXPECT(released);
	r = req(A, F_UNLCK, 20, 30);
	KEXPECT_EQ(lock_range_apply(&s, &r, NULL, &released), 0);
	KEXPECT(!released);
	const struct file_lock *c = NULL;
	r = req(B, F_RDLCK, 5, 5);
	KEXPECT_EQ(lock_range_apply(&s, &r, &c, &released), -EAGAIN);
	KEXPECT(c && c->owner == A && c->type == F_WRLCK && c->start == 5 && c->end == 9);
	lock_set_fini(&s);
}

KTEST(lock, test_lock_range_allocation_failures_change_nothing)
{
	struct lock_set s;
	struct lock_request r;
	bool released;
	long live = host_kmalloc_live();

	lock_set_init(&s);
	KEXPECT_EQ(apply(&s, A, F_RDLCK, 0, 99), 0);
	for (unsigned int n = 1; n <= 2; n++) {
		host_fail_kmalloc_nth(n);
		r = req(A, F_WRLCK, 40, 59);
		KEXPECT_EQ(lock_range_apply(&s, &r, NULL, &released), -ENOLCK);
		host_fail_kmalloc_nth(0);
		EXPECT_SET(&s, "1:r:0-99");
	}
	host_fail_kmalloc_nth(1);
	r = req(A, F_RDLCK, 10, 20);
	KEXPECT_EQ(lock_range_apply(&s, &r, NULL, &released), 0);
	host_fail_kmalloc_nth(0);
	lock_set_fini(&s);
	KEXPECT_EQ(host_kmalloc_live(), live);
}

KTEST(lock, test_lock_flock_shared_exclusive_and_conversion)
{
	struct lock_set s;
	const void *who = NULL;
	bool released;
	long live = host_kmalloc_live();

	lock_set_init(&s);
	KEXPECT_EQ(lock_flock_apply(&s, A, F_RDLCK, &who, &released), 0);
	KEXPECT_EQ(lock_flock_apply(&s, B, F_RDLCK, &who, &released), 0);
	KEXPECT_EQ(lock_flock_apply(&s, C, F_WRLCK, &who, &released), -EAGAIN);
	KEXPECT(who == A);
	/* A failed conversion has dropped the shared lock, as on Linux. */
	KEXPECT_EQ(lock_flock_apply(&s, A, F_WRLCK, &who, &released), -EAGAIN);
	KEXPECT(released && who == B);
	KEXPECT_EQ(lock_flock_apply(&s, B, F_WRLCK, &who, &released), 0);
	KEXPECT(released);
	KEXPECT_EQ(lock_flock_apply(&s, B, F_WRLCK, &who, &released), 0);
	KEXPECT(!released);
	KEXPECT_EQ(lock_flock_apply(&s, A, F_UNLCK, &who, &released), 0);
	KEXPECT(!released);
	KEXPECT(lock_flock_remove(&s, B));
	KEXPECT(lock_set_is_empty(&s));
	host_fail_kmalloc_nth(1);
	KEXPECT_EQ(lock_flock_apply(&s, A, F_RDLCK, &who, &released), -ENOMEM);
	host_fail_kmalloc_nth(0);
	lock_set_fini(&s);
	KEXPECT_EQ(host_kmalloc_live(), live);
}

KTEST(lock, test_lock_would_deadlock_follows_chains)
{
	struct list_head waiters;
	struct lock_waiter wa = {.owner = A, .blocker = B};
	struct lock_waiter wb = {.owner = B, .blocker = C};

	list_init(&waiters);
	KEXPECT(!lock_would_deadlock(&waiters, A, B));
	list_insert_tail(&waiters, &wb.link);
	/* C waits for A, A for B, B for C. */
	KEXPECT(!lock_would_deadlock(&waiters, C, A));
	KEXPECT(lock_would_deadlock(&waiters, C, B));
	list_insert_tail(&waiters, &wa.link);
	KEXPECT(lock_would_deadlock(&waiters, C, A));
	KEXPECT(!lock_would_deadlock(&waiters, A, C));
}
