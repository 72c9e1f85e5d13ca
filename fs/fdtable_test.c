// SPDX-License-Identifier: MIT
/*
 * Host tests for fs/fdtable.c: the lowest-free rule, limits (EMFILE),
 * reservations, dup/dup2/dup3 and their errno, FD_CLOEXEC and the exec
 * sweep, close_range, sharing and cloning, and file references counted
 * right throughout (the fixture's leak check catches any that are not).
 */
#include <host_fault.h>
#include <tern/errno.h>
#include <tern/string.h>
#include <tern/vfs_testing.h>

#define LIMIT 64u

struct fd_fixture {
	struct vfs_fixture vf;
	struct fdtable *t;
	struct file *file; /* "/f", one reference held by the fixture */
};

static bool fd_setup(struct ktest *t, struct fd_fixture *ff)
{
	if (!vfs_fixture_setup(t, &ff->vf))
		return false;
	if (!KEXPECT_EQ(fx_open(&ff->vf, "/f", O_RDWR | O_CREAT, 0644, &ff->file), 0))
		return false;
	return KEXPECT_EQ(fdtable_create(&ff->t), 0);
}

static void fd_teardown(struct ktest *t, struct fd_fixture *ff)
{
	fdtable_put(ff->t);
	KEXPECT_EQ(ff->file->refcount, 1);
	file_put(ff->file);
	vfs_fixture_teardown(t, &ff->vf);
}

/* Installs another reference to the fixture's file at the lowest fd >= min. */
static int add(struct fd_fixture *ff, int min_fd, bool cloexec)
{
	int fd;
	int err;

	file_get(ff->file);
	err = fd_alloc(ff->t, min_fd, LIMIT, ff->file, cloexec, &fd);
	if (err) {
		file_put(ff->file);
		return err;
	}
	return fd;
}

static bool is_open(struct fd_fixture *ff, int fd)
{
	struct file *file;

	if (fd_get(ff->t, fd, &file) != 0)
		return false;
	file_put(file);
	return true;
}

KTEST(fdtable, test_fd_alloc_takes_the_lowest_free)
{
	struct fd_fixture ff;

	KASSERT(fd_setup(t, &ff));
	KEXPECT_EQ(add(&ff, 0, false), 0);
	KEXPECT_EQ(add(&ff, 0, false), 1);
	KEXPECT_EQ(add(&ff, 0, false), 2);
	KEXPECT_EQ(fd_close(ff.t, 1), 0);
	KEXPECT_EQ(add(&ff, 0, false), 1);
	KEXPECT_EQ(add(&ff, 10, false), 10);
	KEXPECT_EQ(add(&ff, 10, false), 11);
	KEXPECT_EQ(add(&ff, 0, false), 3);
	KEXPECT_EQ(fdtable_nr_open(ff.t), 6);
	KEXPECT_EQ(ff.file->refcount, 7);
	KEXPECT_EQ(add(&ff, -1, false), -EINVAL);
	fd_teardown(t, &ff);
}

KTEST(fdtable, test_fd_limit_is_emfile)
{
	struct fd_fixture ff;

	KASSERT(fd_setup(t, &ff));
	for (unsigned int i = 0; i < LIMIT; i++)
		KEXPECT_EQ(add(&ff, 0, false), (int)i);
	KEXPECT_EQ(add(&ff, 0, false), -EMFILE);
	KEXPECT_EQ(add(&ff, (int)LIMIT + 5, false), -EMFILE);
	KEXPECT_EQ(fd_close(ff.t, 17), 0);
	KEXPECT_EQ(add(&ff, 0, false), 17);
	fd_teardown(t, &ff);
}

KTEST(fdtable, test_fd_get_and_close_errors)
{
	struct fd_fixture ff;
	struct file *file;

	KASSERT(fd_setup(t, &ff));
	KEXPECT_EQ(fd_get(ff.t, 0, &file), -EBADF);
	KEXPECT_EQ(fd_get(ff.t, -1, &file), -EBADF);
	KEXPECT_EQ(fd_get(ff.t, 1 << 30, &file), -EBADF);
	KEXPECT_EQ(fd_close(ff.t, 0), -EBADF);
	KEXPECT_EQ(add(&ff, 0, false), 0);
	KASSERT_EQ(fd_get(ff.t, 0, &file), 0);
	KEXPECT(file == ff.file);
	file_put(file);
	KEXPECT_EQ(fd_close(ff.t, 0), 0);
	KEXPECT_EQ(fd_close(ff.t, 0), -EBADF);
	fd_teardown(t, &ff);
}

KTEST(fdtable, test_fd_reservations)
{
	struct fd_fixture ff;
	struct file *file;
	int fd;

	KASSERT(fd_setup(t, &ff));
	KASSERT_EQ(fd_reserve(ff.t, 0, LIMIT, &fd), 0);
	KEXPECT_EQ(fd, 0);
	/* A reserved slot is neither free nor open. */
	KEXPECT_EQ(add(&ff, 0, false), 1);
	KEXPECT_EQ(fd_get(ff.t, 0, &file), -EBADF);
	KEXPECT_EQ(fd_close(ff.t, 0), -EBADF);
	KEXPECT_EQ(fd_dup3(ff.t, 1, 0, 0, false, LIMIT), -EBUSY);
	fd_unreserve(ff.t, 0);
	KEXPECT_EQ(add(&ff, 0, false), 0);
	KASSERT_EQ(fd_reserve(ff.t, 0, LIMIT, &fd), 0);
	KEXPECT_EQ(fd, 2);
	file_get(ff.file);
	fd_install(ff.t, fd, ff.file, true);
	KEXPECT(is_open(&ff, 2));
	fd_teardown(t, &ff);
}

KTEST(fdtable, test_fd_dup_and_dup2_and_dup3)
{
	struct fd_fixture ff;
	struct file *other;
	struct file *got;
	bool cloexec;
	int fd;

	KASSERT(fd_setup(t, &ff));
	KASSERT_EQ(fx_open(&ff.vf, "/g", O_RDWR | O_CREAT, 0644, &other), 0);
	KEXPECT_EQ(add(&ff, 0, false), 0);
	KEXPECT_EQ(fd_dup(ff.t, 0, 0, false, LIMIT, &fd), 0);
	KEXPECT_EQ(fd, 1);
	KEXPECT_EQ(fd_dup(ff.t, 0, 5, true, LIMIT, &fd), 0);
	KEXPECT_EQ(fd, 5);
	KEXPECT(fd_get_cloexec(ff.t, 5, &cloexec) == 0 && cloexec);
	KEXPECT_EQ(fd_dup(ff.t, 9, 0, false, LIMIT, &fd), -EBADF);
	KEXPECT_EQ(fd_dup(ff.t, 0, (int)LIMIT, false, LIMIT, &fd), -EMFILE);
	/* dup2 onto an open descriptor replaces (and closes) what was there. */
	KEXPECT_EQ(fd_alloc(ff.t, 0, LIMIT, other, true, &fd), 0);
	KEXPECT_EQ(fd, 2);
	file_get(other);
	KEXPECT_EQ(fd_dup3(ff.t, 0, 2, 0, false, LIMIT), 0);
	KEXPECT_EQ(other->refcount, 1);
	KASSERT_EQ(fd_get(ff.t, 2, &got), 0);
	KEXPECT(got == ff.file);
	file_put(got);
	KEXPECT(fd_get_cloexec(ff.t, 2, &cloexec) == 0 && !cloexec);
	KEXPECT_EQ(fd_dup3(ff.t, 0, 30, O_CLOEXEC, true, LIMIT), 0);
	KEXPECT(fd_get_cloexec(ff.t, 30, &cloexec) == 0 && cloexec);
	/* The corner cases, in Linux's order. */
	KEXPECT_EQ(fd_dup3(ff.t, 0, 0, 0, false, LIMIT), 0);
	KEXPECT_EQ(fd_dup3(ff.t, 7, 7, 0, false, LIMIT), -EBADF);
	KEXPECT_EQ(fd_dup3(ff.t, 0, 0, 0, true, LIMIT), -EINVAL);
	KEXPECT_EQ(fd_dup3(ff.t, 7, 7, 0, true, LIMIT), -EINVAL);
	KEXPECT_EQ(fd_dup3(ff.t, 0, 3, O_APPEND, true, LIMIT), -EINVAL);
	KEXPECT_EQ(fd_dup3(ff.t, 0, (int)LIMIT, 0, false, LIMIT), -EBADF);
	KEXPECT_EQ(fd_dup3(ff.t, 0, -1, 0, false, LIMIT), -EBADF);
	KEXPECT_EQ(fd_dup3(ff.t, 7, 3, 0, false, LIMIT), -EBADF);
	KEXPECT(!is_open(&ff, 3));
	file_put(other);
	fd_teardown(t, &ff);
}

KTEST(fdtable, test_fd_cloexec_and_exec)
{
	struct fd_fixture ff;
	bool cloexec;

	KASSERT(fd_setup(t, &ff));
	KEXPECT_EQ(add(&ff, 0, true), 0);
	KEXPECT_EQ(add(&ff, 0, false), 1);
	KEXPECT_EQ(add(&ff, 0, true), 2);
	KEXPECT_EQ(add(&ff, 40, false), 40);
	KEXPECT_EQ(fd_set_cloexec(ff.t, 40, true), 0);
	KEXPECT_EQ(fd_set_cloexec(ff.t, 1, false), 0);
	KEXPECT_EQ(fd_set_cloexec(ff.t, 9, true), -EBADF);
	KEXPECT_EQ(fd_get_cloexec(ff.t, 9, &cloexec), -EBADF);
	fd_close_on_exec(ff.t);
	KEXPECT(!is_open(&ff, 0) && is_open(&ff, 1) && !is_open(&ff, 2) && !is_open(&ff, 40));
	KEXPECT_EQ(fdtable_nr_open(ff.t), 1);
	fd_teardown(t, &ff);
}

KTEST(fdtable, test_fd_close_range)
{
	struct fd_fixture ff;
	bool cloexec;

	KASSERT(fd_setup(t, &ff));
	for (int i = 0; i < 10; i++)
		KEXPECT_EQ(add(&ff, 0, false), i);
	KEXPECT_EQ(fd_close_range(ff.t, 3, 5, 0), 0);
	KEXPECT(is_open(&ff, 2) && !is_open(&ff, 3) && !is_open(&ff, 5) && is_open(&ff, 6));
	KEXPECT_EQ(fd_close_range(ff.t, 7, ~0u, CLOSE_RANGE_CLOEXEC), 0);
	KEXPECT(fd_get_cloexec(ff.t, 9, &cloexec) == 0 && cloexec);
	KEXPECT(fd_get_cloexec(ff.t, 6, &cloexec) == 0 && !cloexec);
	KEXPECT_EQ(fd_close_range(ff.t, 5, 4, 0), -EINVAL);
	KEXPECT_EQ(fd_close_range(ff.t, 0, 1, 1u << 7), -EINVAL);
	KEXPECT_EQ(fd_close_range(ff.t, 8, ~0u, CLOSE_RANGE_UNSHARE), 0);
	KEXPECT_EQ(fdtable_nr_open(ff.t), 5);
	KEXPECT_EQ(fd_close_range(ff.t, 0, ~0u, 0), 0);
	KEXPECT_EQ(fdtable_nr_open(ff.t), 0);
	fd_teardown(t, &ff);
}

KTEST(fdtable, test_fdtable_share_and_clone)
{
	struct fd_fixture ff;
	struct fdtable *copy;
	bool cloexec;

	KASSERT(fd_setup(t, &ff));
	KEXPECT_EQ(add(&ff, 0, false), 0);
	KEXPECT_EQ(add(&ff, 3, true), 3);
	/* Sharing (CLONE_FILES): the same table. */
	fdtable_get(ff.t);
	fdtable_put(ff.t);
	KEXPECT_EQ(ff.file->refcount, 3);
	/* Fork: a copy with its own slots and the same files. */
	KASSERT_EQ(fdtable_clone(ff.t, &copy), 0);
	KEXPECT_EQ(ff.file->refcount, 5);
	KEXPECT_EQ(fdtable_nr_open(copy), 2);
	KEXPECT(fd_get_cloexec(copy, 3, &cloexec) == 0 && cloexec);
	KEXPECT_EQ(fd_close(copy, 0), 0);
	KEXPECT(is_open(&ff, 0));
	fdtable_put(copy);
	KEXPECT_EQ(ff.file->refcount, 3);
	fd_teardown(t, &ff);
}

KTEST(fdtable, test_fdtable_grows_to_many_descriptors)
{
	struct fd_fixture ff;
	int fd;

	KASSERT(fd_setup(t, &ff));
	for (int i = 0; i < 1000; i++) {
		file_get(ff.file);
		KEXPECT_EQ(fd_alloc(ff.t, 0, 4096, ff.file, false, &fd), 0);
		KEXPECT_EQ(fd, i);
	}
	KEXPECT_EQ(fd_dup3(ff.t, 0, 3000, 0, false, 4096), 0);
	KEXPECT_EQ(fdtable_nr_open(ff.t), 1001);
	KEXPECT_EQ(ff.file->refcount, 1002);
	fd_teardown(t, &ff);
}

KTEST(fdtable, test_fdtable_allocation_failures)
{
	struct fd_fixture ff;
	struct fdtable *copy;
	int fd;

	KASSERT(fd_setup(t, &ff));
	KEXPECT_EQ(add(&ff, 0, false), 0);
	host_fail_kmalloc_nth(1);
	KEXPECT_EQ(fd_alloc(ff.t, 100, LIMIT * 8, ff.file, false, &fd), -ENOMEM);
	host_fail_kmalloc_nth(1);
	KEXPECT_EQ(fd_dup3(ff.t, 0, 200, 0, false, LIMIT * 8), -ENOMEM);
	host_fail_kmalloc_nth(1);
	KEXPECT_EQ(fd_dup(ff.t, 0, 300, false, LIMIT * 8, &fd), -ENOMEM);
	for (unsigned int n = 1; n <= 2; n++) {
		host_fail_kmalloc_nth(n);
		KEXPECT_EQ(fdtable_clone(ff.t, &copy), -ENOMEM);
	}
	host_fail_kmalloc_nth(0);
	KEXPECT_EQ(fdtable_nr_open(ff.t), 1);
	KEXPECT_EQ(ff.file->refcount, 2);
	fd_teardown(t, &ff);
}
