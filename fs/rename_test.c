// SPDX-License-Identifier: MIT
/*
 * Host tests for fs/rename.c: rename(2) and renameat2(2) with Linux's
 * rules: replacing files and empty directories, type mismatches, moving
 * a directory into its own subtree, hard links to one inode, EXDEV,
 * RENAME_NOREPLACE and RENAME_EXCHANGE, trailing slashes, sticky
 * directories, busy mountpoints, and link counts throughout.
 */
#include <tern/errno.h>
#include <tern/string.h>
#include <tern/vfs_testing.h>

static int ren(struct vfs_fixture *f, const char *from, const char *to, unsigned int flags)
{
	return vfs_rename(&f->ctx, NULL, from, NULL, to, flags);
}

static uint64_t ino(struct vfs_fixture *f, const char *pathname)
{
	struct kstat st;

	return fx_stat(f, pathname, true, &st) ? 0 : st.ino;
}

static uint32_t nlink_of(struct vfs_fixture *f, const char *pathname)
{
	struct kstat st;

	return fx_stat(f, pathname, true, &st) ? 0 : st.nlink;
}

/* /d1/f1, /d1/sub/ (with /d1/sub/x), /d2/f2, /d2/empty/, /top */
static bool make_tree(struct ktest *t, struct vfs_fixture *f)
{
	bool ok;

	f->ctx.umask = 0;
	ok = KEXPECT_EQ(vfs_mkdir(&f->ctx, NULL, "/d1", 0777), 0);

	ok &= KEXPECT_EQ(vfs_mkdir(&f->ctx, NULL, "/d1/sub", 0777), 0);
	ok &= KEXPECT_EQ(fx_write_file(f, "/d1/sub/x", 0644, "x", 1), 0);
	ok &= KEXPECT_EQ(vfs_mkdir(&f->ctx, NULL, "/d2", 0777), 0);
	ok &= KEXPECT_EQ(vfs_mkdir(&f->ctx, NULL, "/d2/empty", 0777), 0);
	ok &= KEXPECT_EQ(fx_write_file(f, "/d1/f1", 0644, "1", 1), 0);
	ok &= KEXPECT_EQ(fx_write_file(f, "/d2/f2", 0644, "22", 2), 0);
	ok &= KEXPECT_EQ(fx_write_file(f, "/top", 0644, "", 0), 0);
	return ok;
}

KTEST(rename, test_rename_moves_and_replaces_files)
{
	struct vfs_fixture f;
	uint64_t f1;
	char buf[4];
	size_t len;

	KASSERT(vfs_fixture_setup(t, &f));
	KASSERT(make_tree(t, &f));
	f1 = ino(&f, "/d1/f1");
	KEXPECT_EQ(ren(&f, "/d1/f1", "/d1/g1", 0), 0);
	KEXPECT_EQ(ino(&f, "/d1/g1"), f1);
	KEXPECT(!fx_exists(&f, "/d1/f1"));
	KEXPECT_EQ(ren(&f, "/d1/g1", "/d2/f2", 0), 0);
	KEXPECT_EQ(ino(&f, "/d2/f2"), f1);
	KEXPECT_EQ(fx_read_file(&f, "/d2/f2", buf, sizeof(buf), &len), 0);
	KEXPECT(len == 1 && buf[0] == '1');
	KEXPECT_EQ(nlink_of(&f, "/d2/f2"), 1);
	KEXPECT_EQ(ren(&f, "/missing", "/x", 0), -ENOENT);
	KEXPECT_EQ(ren(&f, "/d2/f2", "/missing/x", 0), -ENOENT);
	KEXPECT_EQ(ren(&f, "/top", "/d2/f2/x", 0), -ENOTDIR);
	KEXPECT(vfs_is_consistent(f.vfs));
	vfs_fixture_teardown(t, &f);
}

KTEST(rename, test_rename_directories_and_link_counts)
{
	struct vfs_fixture f;

	KASSERT(vfs_fixture_setup(t, &f));
	KASSERT(make_tree(t, &f));
	KEXPECT_EQ(nlink_of(&f, "/d1"), 3);
	KEXPECT_EQ(nlink_of(&f, "/d2"), 3);
	KEXPECT_EQ(ren(&f, "/d1/sub", "/d2/sub", 0), 0);
	KEXPECT_EQ(nlink_of(&f, "/d1"), 2);
	KEXPECT_EQ(nlink_of(&f, "/d2"), 4);
	KEXPECT(fx_exists(&f, "/d2/sub/x"));
	/* Its ".." moved with it. */
	KEXPECT_EQ(ino(&f, "/d2/sub/.."), ino(&f, "/d2"));
	/* An empty directory may be replaced, a full one not. */
	KEXPECT_EQ(ren(&f, "/d2/sub", "/d2/empty", 0), 0);
	KEXPECT_EQ(nlink_of(&f, "/d2"), 3);
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, "/d1/e2", 0755), 0);
	KEXPECT_EQ(ren(&f, "/d1/e2", "/d2/empty", 0), -ENOTEMPTY);
	KEXPECT_EQ(ren(&f, "/d1/e2", "/d2/empty/", 0), -ENOTEMPTY);
	KEXPECT(vfs_is_consistent(f.vfs));
	vfs_fixture_teardown(t, &f);
}

KTEST(rename, test_rename_type_mismatches)
{
	struct vfs_fixture f;

	KASSERT(vfs_fixture_setup(t, &f));
	KASSERT(make_tree(t, &f));
	KEXPECT_EQ(ren(&f, "/d2/empty", "/top", 0), -ENOTDIR);
	KEXPECT_EQ(ren(&f, "/top", "/d2/empty", 0), -EISDIR);
	/* Trailing slashes: fine on directories, ENOTDIR on anything else. */
	KEXPECT_EQ(ren(&f, "/top/", "/top2", 0), -ENOTDIR);
	KEXPECT_EQ(ren(&f, "/top", "/top2/", 0), -ENOTDIR);
	KEXPECT_EQ(ren(&f, "/d2/empty/", "/d2/e3/", 0), 0);
	KEXPECT(fx_exists(&f, "/d2/e3"));
	vfs_fixture_teardown(t, &f);
}

KTEST(rename, test_rename_into_own_subtree_is_einval)
{
	struct vfs_fixture f;

	KASSERT(vfs_fixture_setup(t, &f));
	KASSERT(make_tree(t, &f));
	KEXPECT_EQ(ren(&f, "/d1", "/d1/sub/d1", 0), -EINVAL);
	KEXPECT_EQ(ren(&f, "/d1", "/d1/new", 0), -EINVAL);
	/* The other way round: the target is an ancestor of the source. */
	KEXPECT_EQ(ren(&f, "/d1/sub", "/d1", 0), -ENOTEMPTY);
	/* Even for a file: the ancestry check comes before the type check. */
	KEXPECT_EQ(ren(&f, "/d1/sub/x", "/d1", 0), -ENOTEMPTY);
	KEXPECT_EQ(ren(&f, "/d1/sub", "/d1", RENAME_EXCHANGE), -EINVAL);
	KEXPECT(vfs_is_consistent(f.vfs));
	vfs_fixture_teardown(t, &f);
}

KTEST(rename, test_rename_same_inode_does_nothing)
{
	struct vfs_fixture f;

	KASSERT(vfs_fixture_setup(t, &f));
	KASSERT(make_tree(t, &f));
	KEXPECT_EQ(vfs_link(&f.ctx, NULL, "/top", NULL, "/hard", 0), 0);
	KEXPECT_EQ(ren(&f, "/top", "/hard", 0), 0);
	KEXPECT(fx_exists(&f, "/top") && fx_exists(&f, "/hard"));
	KEXPECT_EQ(nlink_of(&f, "/top"), 2);
	KEXPECT_EQ(ren(&f, "/d1", "/d1", 0), 0);
	KEXPECT_EQ(ren(&f, "/d1", "/d1/", 0), 0);
	/* Even for a caller with no permission at all. */
	fx_become_user(&f, 1000, 1000);
	KEXPECT_EQ(ren(&f, "/top", "/hard", 0), 0);
	fx_become_root(&f);
	vfs_fixture_teardown(t, &f);
}

KTEST(rename, test_rename_dots_and_root_are_busy)
{
	struct vfs_fixture f;

	KASSERT(vfs_fixture_setup(t, &f));
	KASSERT(make_tree(t, &f));
	KEXPECT_EQ(ren(&f, "/d1/.", "/x", 0), -EBUSY);
	KEXPECT_EQ(ren(&f, "/d1/..", "/x", 0), -EBUSY);
	KEXPECT_EQ(ren(&f, "/", "/x", 0), -EBUSY);
	KEXPECT_EQ(ren(&f, "/top", "/d1/.", 0), -EBUSY);
	KEXPECT_EQ(ren(&f, "/top", "/d1/.", RENAME_NOREPLACE), -EEXIST);
	vfs_fixture_teardown(t, &f);
}

KTEST(rename, test_rename_noreplace)
{
	struct vfs_fixture f;

	KASSERT(vfs_fixture_setup(t, &f));
	KASSERT(make_tree(t, &f));
	KEXPECT_EQ(ren(&f, "/top", "/d1/f1", RENAME_NOREPLACE), -EEXIST);
	KEXPECT_EQ(ren(&f, "/top", "/d1/new", RENAME_NOREPLACE), 0);
	KEXPECT_EQ(ren(&f, "/d1/new", "/x", RENAME_NOREPLACE | RENAME_EXCHANGE), -EINVAL);
	KEXPECT_EQ(ren(&f, "/d1/new", "/x", RENAME_WHITEOUT), -EINVAL);
	KEXPECT_EQ(ren(&f, "/d1/new", "/x", 1u << 7), -EINVAL);
	vfs_fixture_teardown(t, &f);
}

KTEST(rename, test_rename_exchange)
{
	struct vfs_fixture f;
	uint64_t file;
	uint64_t dir;

	KASSERT(vfs_fixture_setup(t, &f));
	KASSERT(make_tree(t, &f));
	file = ino(&f, "/d1/f1");
	dir = ino(&f, "/d2/empty");
	KEXPECT_EQ(ren(&f, "/d1/f1", "/d2/empty", RENAME_EXCHANGE), 0);
	KEXPECT_EQ(ino(&f, "/d1/f1"), dir);
	KEXPECT_EQ(ino(&f, "/d2/empty"), file);
	/* The directory moved from d2 to d1. */
	KEXPECT_EQ(nlink_of(&f, "/d1"), 4);
	KEXPECT_EQ(nlink_of(&f, "/d2"), 2);
	KEXPECT_EQ(ino(&f, "/d1/f1/.."), ino(&f, "/d1"));
	KEXPECT_EQ(ren(&f, "/d1/f1", "/nothing", RENAME_EXCHANGE), -ENOENT);
	KEXPECT_EQ(ren(&f, "/d1/f1", "/top/", RENAME_EXCHANGE), -ENOTDIR);
	/* Exchanging two full directories is fine. */
	KEXPECT_EQ(ren(&f, "/d1", "/d2", RENAME_EXCHANGE), 0);
	KEXPECT(fx_exists(&f, "/d2/sub/x"));
	KEXPECT(fx_exists(&f, "/d1/empty"));
	KEXPECT(vfs_is_consistent(f.vfs));
	vfs_fixture_teardown(t, &f);
}

KTEST(rename, test_rename_across_mounts_is_exdev)
{
	struct vfs_fixture f;
	struct tmpfs_options opts = {.mode = 0777};
	struct super_block *sb;

	KASSERT(vfs_fixture_setup(t, &f));
	KASSERT(make_tree(t, &f));
	KASSERT_EQ(tmpfs_create(f.vfs, &opts, &sb), 0);
	KEXPECT_EQ(vfs_mount(&f.ctx, NULL, "/d2", sb, MNT_RELATIME), 0);
	vfs_super_put(sb);
	KEXPECT_EQ(ren(&f, "/top", "/d2/top", 0), -EXDEV);
	KEXPECT_EQ(ren(&f, "/d2", "/d3", 0), -EBUSY);
	/* The mountpoint is a directory in the same mount: that is checked first. */
	KEXPECT_EQ(ren(&f, "/top", "/d2", 0), -EISDIR);
	KEXPECT_EQ(vfs_umount(&f.ctx, NULL, "/d2"), 0);
	vfs_fixture_teardown(t, &f);
}

KTEST(rename, test_rename_permissions)
{
	struct vfs_fixture f;

	KASSERT(vfs_fixture_setup(t, &f));
	KASSERT(make_tree(t, &f));
	KEXPECT_EQ(vfs_chmod(&f.ctx, NULL, "/d1", 0755, 0), 0);
	fx_become_user(&f, 1000, 1000);
	KEXPECT_EQ(ren(&f, "/d1/f1", "/d2/f1", 0), -EACCES);
	KEXPECT_EQ(ren(&f, "/d2/f2", "/d1/f2", 0), -EACCES);
	KEXPECT_EQ(ren(&f, "/d2/f2", "/d2/f3", 0), 0);
	/* Moving a directory to another parent needs write access to it (for ".."). */
	fx_become_root(&f);
	KEXPECT_EQ(vfs_chmod(&f.ctx, NULL, "/d2/empty", 0555, 0), 0);
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, "/d3", 0777), 0);
	KEXPECT_EQ(vfs_chmod(&f.ctx, NULL, "/d3", 0777, 0), 0);
	fx_become_user(&f, 1000, 1000);
	KEXPECT_EQ(ren(&f, "/d2/empty", "/d3/empty", 0), -EACCES);
	KEXPECT_EQ(ren(&f, "/d2/empty", "/d2/renamed", 0), 0);
	fx_become_root(&f);
	vfs_fixture_teardown(t, &f);
}

KTEST(rename, test_rename_in_sticky_directory)
{
	struct vfs_fixture f;

	KASSERT(vfs_fixture_setup(t, &f));
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, "/tmp", 0777), 0);
	KEXPECT_EQ(vfs_chmod(&f.ctx, NULL, "/tmp", 01777, 0), 0);
	fx_become_user(&f, 1000, 1000);
	KEXPECT_EQ(fx_write_file(&f, "/tmp/a", 0666, "", 0), 0);
	fx_become_user(&f, 2000, 2000);
	KEXPECT_EQ(fx_write_file(&f, "/tmp/b", 0666, "", 0), 0);
	KEXPECT_EQ(ren(&f, "/tmp/a", "/tmp/c", 0), -EPERM);
	KEXPECT_EQ(ren(&f, "/tmp/b", "/tmp/a", 0), -EPERM);
	KEXPECT_EQ(ren(&f, "/tmp/b", "/tmp/c", 0), 0);
	fx_become_root(&f);
	vfs_fixture_teardown(t, &f);
}

KTEST(rename, test_rename_keeps_open_files_and_cwd_names)
{
	struct vfs_fixture f;
	struct file *file;
	struct path dir;
	char buf[32];
	size_t len;

	KASSERT(vfs_fixture_setup(t, &f));
	KASSERT(make_tree(t, &f));
	KASSERT_EQ(fx_open(&f, "/d1/sub/x", O_RDONLY, 0, &file), 0);
	KASSERT_EQ(vfs_lookup(&f.ctx, NULL, "/d1/sub", 0, &dir), 0);
	KEXPECT_EQ(ren(&f, "/d1/sub", "/d2/moved", 0), 0);
	KEXPECT_EQ(vfs_path_name(&f.ctx, &dir, true, buf, sizeof(buf), &len), 0);
	KEXPECT(strcmp(buf, "/d2/moved") == 0);
	KEXPECT_EQ(vfs_path_name(&f.ctx, &file->path, true, buf, sizeof(buf), &len), 0);
	KEXPECT(strcmp(buf, "/d2/moved/x") == 0);
	/* A replaced file stays readable through its open file. */
	KEXPECT_EQ(ren(&f, "/top", "/d2/moved/x", 0), 0);
	KEXPECT_EQ(vfs_read(file, buf, sizeof(buf), &len), 0);
	KEXPECT(len == 1 && buf[0] == 'x');
	KEXPECT(vfs_is_consistent(f.vfs));
	file_put(file);
	vfs_path_put(&dir);
	vfs_fixture_teardown(t, &f);
}
