// SPDX-License-Identifier: MIT
/*
 * Host tests for fs/attr.c: chmod, chown, utimensat, faccessat and
 * truncate with Linux's ownership and capability rules, set-ID bit
 * clearing, UTIME_NOW and UTIME_OMIT, and the errno of each refusal.
 */
#include <host_fault.h>
#include <tern/errno.h>
#include <tern/string.h>
#include <tern/vfs_testing.h>

static struct kstat st_of(struct vfs_fixture *f, const char *pathname, bool nofollow)
{
	struct kstat st = {0};

	(void)!fx_stat(f, pathname, nofollow, &st);
	return st;
}

static int chmod_(struct vfs_fixture *f, const char *pathname, uint32_t mode)
{
	return vfs_chmod(&f->ctx, NULL, pathname, mode, 0);
}

static int chown_(struct vfs_fixture *f, const char *pathname, uint32_t uid, uint32_t gid)
{
	return vfs_chown(&f->ctx, NULL, pathname, uid, gid, 0);
}

/* /mine owned by 1000:1000, mode 0644; /theirs by 2000:2000. */
static bool make_files(struct ktest *t, struct vfs_fixture *f)
{
	bool ok = KEXPECT_EQ(fx_write_file(f, "/mine", 0644, "mine", 4), 0);

	ok &= KEXPECT_EQ(fx_write_file(f, "/theirs", 0644, "theirs", 6), 0);
	ok &= KEXPECT_EQ(chown_(f, "/mine", 1000, 1000), 0);
	ok &= KEXPECT_EQ(chown_(f, "/theirs", 2000, 2000), 0);
	return ok;
}

KTEST(attr, test_chmod_owner_and_root_only)
{
	struct vfs_fixture f;

	KASSERT(vfs_fixture_setup(t, &f));
	KASSERT(make_files(t, &f));
	host_clock_set_realtime_ns((uint64_t)(FX_NOW_SEC + 7) * 1000000000ULL);
	fx_become_user(&f, 1000, 1000);
	KEXPECT_EQ(chmod_(&f, "/mine", 0600), 0);
	KEXPECT_EQ(st_of(&f, "/mine", false).mode, S_IFREG | 0600);
	KEXPECT_EQ(st_of(&f, "/mine", false).ctime.sec, FX_NOW_SEC + 7);
	KEXPECT_EQ(chmod_(&f, "/theirs", 0600), -EPERM);
	KEXPECT_EQ(chmod_(&f, "/missing", 0600), -ENOENT);
	/* Only permission bits change; the type stays. */
	KEXPECT_EQ(chmod_(&f, "/mine", S_IFDIR | 04755), 0);
	KEXPECT_EQ(st_of(&f, "/mine", false).mode, S_IFREG | 04755);
	fx_become_root(&f);
	KEXPECT_EQ(chmod_(&f, "/theirs", 0), 0);
	KEXPECT_EQ(st_of(&f, "/theirs", false).mode, S_IFREG);
	vfs_fixture_teardown(t, &f);
}

KTEST(attr, test_chmod_setgid_needs_the_group)
{
	struct vfs_fixture f;

	KASSERT(vfs_fixture_setup(t, &f));
	KASSERT(make_files(t, &f));
	KEXPECT_EQ(chown_(&f, "/mine", 1000, 500), 0);
	fx_become_user(&f, 1000, 1000);
	KEXPECT_EQ(chmod_(&f, "/mine", 02755), 0);
	KEXPECT_EQ(st_of(&f, "/mine", false).mode, S_IFREG | 0755);
	f.cred.nr_groups = 1;
	f.groups[0] = 500;
	KEXPECT_EQ(chmod_(&f, "/mine", 02755), 0);
	KEXPECT_EQ(st_of(&f, "/mine", false).mode, S_IFREG | 02755);
	fx_become_root(&f);
	vfs_fixture_teardown(t, &f);
}

KTEST(attr, test_chmod_symlink_itself_is_unsupported)
{
	struct vfs_fixture f;

	KASSERT(vfs_fixture_setup(t, &f));
	KASSERT(make_files(t, &f));
	KEXPECT_EQ(vfs_symlink(&f.ctx, "/mine", NULL, "/l"), 0);
	KEXPECT_EQ(vfs_chmod(&f.ctx, NULL, "/l", 0600, AT_SYMLINK_NOFOLLOW), -EOPNOTSUPP);
	KEXPECT_EQ(vfs_chmod(&f.ctx, NULL, "/l", 0600, 0), 0);
	KEXPECT_EQ(st_of(&f, "/mine", false).mode, S_IFREG | 0600);
	KEXPECT_EQ(vfs_chmod(&f.ctx, NULL, "/l", 0600, AT_REMOVEDIR), -EINVAL);
	vfs_fixture_teardown(t, &f);
}

KTEST(attr, test_chown_rules_for_non_root)
{
	struct vfs_fixture f;

	KASSERT(vfs_fixture_setup(t, &f));
	KASSERT(make_files(t, &f));
	fx_become_user(&f, 1000, 1000);
	f.cred.nr_groups = 1;
	f.groups[0] = 600;
	KEXPECT_EQ(chown_(&f, "/mine", 1000, (uint32_t)-1), 0);
	KEXPECT_EQ(chown_(&f, "/mine", 2000, (uint32_t)-1), -EPERM);
	KEXPECT_EQ(chown_(&f, "/mine", (uint32_t)-1, 600), 0);
	KEXPECT_EQ(st_of(&f, "/mine", false).gid, 600);
	KEXPECT_EQ(chown_(&f, "/mine", (uint32_t)-1, 1000), 0);
	KEXPECT_EQ(chown_(&f, "/mine", (uint32_t)-1, 700), -EPERM);
	KEXPECT_EQ(chown_(&f, "/mine", (uint32_t)-1, (uint32_t)-1), 0);
	KEXPECT_EQ(chown_(&f, "/theirs", (uint32_t)-1, 1000), -EPERM);
	/* Changing nothing is allowed to anyone, unless set-ID bits would go. */
	KEXPECT_EQ(chown_(&f, "/theirs", (uint32_t)-1, (uint32_t)-1), 0);
	fx_become_root(&f);
	KEXPECT_EQ(chmod_(&f, "/theirs", 04644), 0);
	fx_become_user(&f, 1000, 1000);
	KEXPECT_EQ(chown_(&f, "/theirs", (uint32_t)-1, (uint32_t)-1), -EPERM);
	KEXPECT_EQ(st_of(&f, "/theirs", false).mode, S_IFREG | 04644);
	fx_become_root(&f);
	KEXPECT_EQ(chown_(&f, "/theirs", 3000, 3000), 0);
	KEXPECT_EQ(st_of(&f, "/theirs", false).uid, 3000);
	vfs_fixture_teardown(t, &f);
}

KTEST(attr, test_chown_clears_setid_bits_of_files)
{
	struct vfs_fixture f;

	KASSERT(vfs_fixture_setup(t, &f));
	KASSERT(make_files(t, &f));
	KEXPECT_EQ(chmod_(&f, "/mine", 06755), 0);
	KEXPECT_EQ(chown_(&f, "/mine", 1000, 1000), 0);
	KEXPECT_EQ(st_of(&f, "/mine", false).mode, S_IFREG | 0755);
	/* Set-group-ID without group execute stays. */
	KEXPECT_EQ(chmod_(&f, "/mine", 06745), 0);
	KEXPECT_EQ(chown_(&f, "/mine", (uint32_t)-1, (uint32_t)-1), 0);
	KEXPECT_EQ(st_of(&f, "/mine", false).mode, S_IFREG | 02745);
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, "/d", 0755), 0);
	KEXPECT_EQ(chmod_(&f, "/d", 06755), 0);
	KEXPECT_EQ(chown_(&f, "/d", 5, 5), 0);
	KEXPECT_EQ(st_of(&f, "/d", false).mode, S_IFDIR | 06755);
	vfs_fixture_teardown(t, &f);
}

KTEST(attr, test_chown_symlink_with_nofollow)
{
	struct vfs_fixture f;

	KASSERT(vfs_fixture_setup(t, &f));
	KASSERT(make_files(t, &f));
	KEXPECT_EQ(vfs_symlink(&f.ctx, "/mine", NULL, "/l"), 0);
	KEXPECT_EQ(vfs_chown(&f.ctx, NULL, "/l", 7, 7, AT_SYMLINK_NOFOLLOW), 0);
	KEXPECT_EQ(st_of(&f, "/l", true).uid, 7);
	KEXPECT_EQ(st_of(&f, "/mine", false).uid, 1000);
	vfs_fixture_teardown(t, &f);
}

static struct vfs_timespec_pair times(int64_t a_sec, int64_t a_nsec, int64_t m_sec, int64_t m_nsec)
{
	return (struct vfs_timespec_pair){{a_sec, a_nsec}, {m_sec, m_nsec}};
}

KTEST(attr, test_utimens_explicit_times)
{
	struct vfs_fixture f;
	struct vfs_timespec_pair tp = times(100, 5, 200, 6);
	struct kstat st;

	KASSERT(vfs_fixture_setup(t, &f));
	KASSERT(make_files(t, &f));
	host_clock_set_realtime_ns((uint64_t)(FX_NOW_SEC + 3) * 1000000000ULL);
	KEXPECT_EQ(vfs_utimens(&f.ctx, NULL, "/mine", &tp, 0), 0);
	st = st_of(&f, "/mine", false);
	KEXPECT(st.atime.sec == 100 && st.atime.nsec == 5);
	KEXPECT(st.mtime.sec == 200 && st.mtime.nsec == 6);
	KEXPECT_EQ(st.ctime.sec, FX_NOW_SEC + 3);
	tp = times(1, VFS_UTIME_OMIT, 2, VFS_UTIME_NOW);
	KEXPECT_EQ(vfs_utimens(&f.ctx, NULL, "/mine", &tp, 0), 0);
	st = st_of(&f, "/mine", false);
	KEXPECT(st.atime.sec == 100 && st.mtime.sec == FX_NOW_SEC + 3);
	tp = times(1, 1000000000, 2, 0);
	KEXPECT_EQ(vfs_utimens(&f.ctx, NULL, "/mine", &tp, 0), -EINVAL);
	tp = times(1, -1, 2, 0);
	KEXPECT_EQ(vfs_utimens(&f.ctx, NULL, "/mine", &tp, 0), -EINVAL);
	/* Both omitted: nothing to do, the path is not even looked up. */
	tp = times(1, VFS_UTIME_OMIT, 2, VFS_UTIME_OMIT);
	KEXPECT_EQ(vfs_utimens(&f.ctx, NULL, "/missing", &tp, 0), 0);
	KEXPECT_EQ(vfs_utimens(&f.ctx, NULL, "/mine", NULL, 0x8000), -EINVAL);
	vfs_fixture_teardown(t, &f);
}

KTEST(attr, test_utimens_permissions)
{
	struct vfs_fixture f;
	struct vfs_timespec_pair tp = times(1, 0, 2, 0);
	struct vfs_timespec_pair now = times(0, VFS_UTIME_NOW, 0, VFS_UTIME_NOW);
	struct vfs_timespec_pair half = times(0, VFS_UTIME_OMIT, 0, VFS_UTIME_NOW);

	KASSERT(vfs_fixture_setup(t, &f));
	KASSERT(make_files(t, &f));
	KEXPECT_EQ(chmod_(&f, "/theirs", 0666), 0);
	fx_become_user(&f, 1000, 1000);
	KEXPECT_EQ(vfs_utimens(&f.ctx, NULL, "/mine", &tp, 0), 0);
	/* "Now" needs write access, anything else ownership. */
	KEXPECT_EQ(vfs_utimens(&f.ctx, NULL, "/theirs", NULL, 0), 0);
	KEXPECT_EQ(vfs_utimens(&f.ctx, NULL, "/theirs", &now, 0), 0);
	KEXPECT_EQ(vfs_utimens(&f.ctx, NULL, "/theirs", &tp, 0), -EPERM);
	KEXPECT_EQ(vfs_utimens(&f.ctx, NULL, "/theirs", &half, 0), -EPERM);
	fx_become_root(&f);
	KEXPECT_EQ(chmod_(&f, "/theirs", 0644), 0);
	fx_become_user(&f, 1000, 1000);
	KEXPECT_EQ(vfs_utimens(&f.ctx, NULL, "/theirs", NULL, 0), -EACCES);
	fx_become_root(&f);
	KEXPECT_EQ(vfs_utimens(&f.ctx, NULL, "/theirs", &tp, 0), 0);
	vfs_fixture_teardown(t, &f);
}

KTEST(attr, test_utimens_on_symlink_and_path)
{
	struct vfs_fixture f;
	struct vfs_timespec_pair tp = times(10, 0, 20, 0);
	struct path p;

	KASSERT(vfs_fixture_setup(t, &f));
	KASSERT(make_files(t, &f));
	KEXPECT_EQ(vfs_symlink(&f.ctx, "/mine", NULL, "/l"), 0);
	KEXPECT_EQ(vfs_utimens(&f.ctx, NULL, "/l", &tp, AT_SYMLINK_NOFOLLOW), 0);
	KEXPECT_EQ(st_of(&f, "/l", true).mtime.sec, 20);
	KEXPECT(st_of(&f, "/mine", false).mtime.sec != 20);
	KASSERT_EQ(vfs_lookup(&f.ctx, NULL, "/mine", 0, &p), 0);
	KEXPECT_EQ(vfs_utimens_path(&f.ctx, &p, &tp), 0);
	KEXPECT_EQ(st_of(&f, "/mine", false).mtime.sec, 20);
	vfs_path_put(&p);
	vfs_fixture_teardown(t, &f);
}

static int access_(struct vfs_fixture *f, const char *pathname, uint32_t mode)
{
	return vfs_access(&f->ctx, NULL, pathname, mode, 0);
}

KTEST(attr, test_access_checks)
{
	struct vfs_fixture f;

	KASSERT(vfs_fixture_setup(t, &f));
	KASSERT(make_files(t, &f));
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, "/d", 0700), 0);
	fx_become_user(&f, 1000, 1000);
	KEXPECT_EQ(access_(&f, "/mine", 0), 0);
	KEXPECT_EQ(access_(&f, "/mine", MAY_READ | MAY_WRITE), 0);
	KEXPECT_EQ(access_(&f, "/mine", MAY_EXEC), -EACCES);
	KEXPECT_EQ(access_(&f, "/theirs", MAY_READ), 0);
	KEXPECT_EQ(access_(&f, "/theirs", MAY_WRITE), -EACCES);
	KEXPECT_EQ(access_(&f, "/d", 0), 0);
	KEXPECT_EQ(access_(&f, "/d/x", 0), -EACCES);
	KEXPECT_EQ(access_(&f, "/missing", 0), -ENOENT);
	KEXPECT_EQ(access_(&f, "/mine", 8), -EINVAL);
	KEXPECT_EQ(vfs_access(&f.ctx, NULL, "/mine", 0, AT_REMOVEDIR << 8), -EINVAL);
	KEXPECT_EQ(vfs_access(&f.ctx, NULL, "/mine", 0, AT_EACCESS), 0);
	/* Root: anything, but execute needs some execute bit on a file. */
	fx_become_root(&f);
	KEXPECT_EQ(access_(&f, "/theirs", MAY_READ | MAY_WRITE), 0);
	KEXPECT_EQ(access_(&f, "/theirs", MAY_EXEC), -EACCES);
	KEXPECT_EQ(chmod_(&f, "/theirs", 0001), 0);
	KEXPECT_EQ(access_(&f, "/theirs", MAY_EXEC), 0);
	KEXPECT_EQ(chmod_(&f, "/d", 0), 0);
	KEXPECT_EQ(access_(&f, "/d", MAY_EXEC | MAY_READ | MAY_WRITE), 0);
	/* Root without capabilities is just uid 0. */
	f.cred.caps = 0;
	KEXPECT_EQ(access_(&f, "/d", MAY_READ), -EACCES);
	fx_become_root(&f);
	vfs_fixture_teardown(t, &f);
}

KTEST(attr, test_access_follows_symlinks_unless_told)
{
	struct vfs_fixture f;

	KASSERT(vfs_fixture_setup(t, &f));
	KEXPECT_EQ(vfs_symlink(&f.ctx, "/missing", NULL, "/dangle"), 0);
	KEXPECT_EQ(access_(&f, "/dangle", 0), -ENOENT);
	KEXPECT_EQ(vfs_access(&f.ctx, NULL, "/dangle", 0, AT_SYMLINK_NOFOLLOW), 0);
	vfs_fixture_teardown(t, &f);
}

KTEST(attr, test_truncate_rules)
{
	struct vfs_fixture f;
	char buf[8];
	size_t len;

	KASSERT(vfs_fixture_setup(t, &f));
	KASSERT(make_files(t, &f));
	KEXPECT_EQ(vfs_truncate(&f.ctx, NULL, "/mine", 2), 0);
	KEXPECT_EQ(vfs_truncate(&f.ctx, NULL, "/mine", 6), 0);
	KEXPECT_EQ(fx_read_file(&f, "/mine", buf, sizeof(buf), &len), 0);
	KEXPECT(len == 6 && memcmp(buf, "mi\0\0\0\0", 6) == 0);
	KEXPECT_EQ(vfs_truncate(&f.ctx, NULL, "/mine", -1), -EINVAL);
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, "/d", 0755), 0);
	KEXPECT_EQ(vfs_truncate(&f.ctx, NULL, "/d", 0), -EISDIR);
	KEXPECT_EQ(vfs_mknod(&f.ctx, NULL, "/fifo", S_IFIFO | 0666, 0), 0);
	KEXPECT_EQ(vfs_truncate(&f.ctx, NULL, "/fifo", 0), -EINVAL);
	KEXPECT_EQ(vfs_truncate(&f.ctx, NULL, "/missing", 0), -ENOENT);
	fx_become_user(&f, 1000, 1000);
	KEXPECT_EQ(vfs_truncate(&f.ctx, NULL, "/theirs", 0), -EACCES);
	KEXPECT_EQ(vfs_truncate(&f.ctx, NULL, "/mine", 0), 0);
	fx_become_root(&f);
	vfs_fixture_teardown(t, &f);
}
