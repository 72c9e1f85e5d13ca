// SPDX-License-Identifier: MIT
/*
 * Host tests for fs/namei.c: the path walk as path_resolution(7) has it,
 * through vfs_lookup and friends: absolute and relative paths, dirfd
 * positions, "." and "..", chroot, symlinks and their limit, trailing
 * slashes, empty and over-long paths, search permission, mounts.
 */
#include <tern/errno.h>
#include <tern/string.h>
#include <tern/vfs_testing.h>

/* The inode number at pathname, or 0 when the lookup fails. */
static uint64_t ino_of(struct vfs_fixture *f, const struct path *dir, const char *pathname,
		       unsigned int at_flags)
{
	struct path p;
	uint64_t ino;

	if (vfs_lookup(&f->ctx, dir, pathname, at_flags, &p) != 0)
		return 0;
	ino = p.dentry->inode->ino;
	vfs_path_put(&p);
	return ino;
}

static int lookup_err(struct vfs_fixture *f, const struct path *dir, const char *pathname,
		      unsigned int at_flags)
{
	struct path p;
	int err = vfs_lookup(&f->ctx, dir, pathname, at_flags, &p);

	if (!err)
		vfs_path_put(&p);
	return err;
}

static uint64_t ino(struct vfs_fixture *f, const char *pathname)
{
	return ino_of(f, NULL, pathname, AT_SYMLINK_NOFOLLOW);
}

KTEST(namei, test_namei_absolute_and_relative_paths)
{
	struct vfs_fixture f;
	struct path a;

	KASSERT(vfs_fixture_setup(t, &f));
	KASSERT(fx_make_tree(t, &f));
	KEXPECT(ino(&f, "/a/b/c") != 0);
	KEXPECT_EQ(ino(&f, "a/b/c"), ino(&f, "/a/b/c"));
	KEXPECT_EQ(ino(&f, "//a///b//c"), ino(&f, "/a/b/c"));
	KEXPECT_EQ(ino(&f, "/"), f.root.dentry->inode->ino);
	KASSERT_EQ(vfs_lookup(&f.ctx, NULL, "/a", 0, &a), 0);
	KEXPECT_EQ(ino_of(&f, &a, "b/c", 0), ino(&f, "/a/b/c"));
	KEXPECT_EQ(ino_of(&f, &a, "/top", 0), ino(&f, "/top"));
	f.ctx.cwd = a;
	KEXPECT_EQ(ino(&f, "b"), ino(&f, "/a/b"));
	KEXPECT_EQ(ino(&f, "file"), ino(&f, "/a/file"));
	f.ctx.cwd = f.root;
	vfs_path_put(&a);
	vfs_fixture_teardown(t, &f);
}

KTEST(namei, test_namei_dot_and_dotdot)
{
	struct vfs_fixture f;

	KASSERT(vfs_fixture_setup(t, &f));
	KASSERT(fx_make_tree(t, &f));
	KEXPECT_EQ(ino(&f, "/a/b/c/.."), ino(&f, "/a/b"));
	KEXPECT_EQ(ino(&f, "/a/./b/./c/../../b"), ino(&f, "/a/b"));
	KEXPECT_EQ(ino(&f, "/a/b/."), ino(&f, "/a/b"));
	KEXPECT_EQ(ino(&f, "/a/b/c/../../.."), ino(&f, "/"));
	KEXPECT_EQ(lookup_err(&f, NULL, "/a/file/.", 0), -ENOTDIR);
	KEXPECT_EQ(lookup_err(&f, NULL, "/a/file/..", 0), -ENOTDIR);
	vfs_fixture_teardown(t, &f);
}

KTEST(namei, test_namei_dotdot_at_root_stays)
{
	struct vfs_fixture f;

	KASSERT(vfs_fixture_setup(t, &f));
	KASSERT(fx_make_tree(t, &f));
	KEXPECT_EQ(ino(&f, "/.."), ino(&f, "/"));
	KEXPECT_EQ(ino(&f, "/../../.."), ino(&f, "/"));
	KEXPECT_EQ(ino(&f, "../../a"), ino(&f, "/a"));
	vfs_fixture_teardown(t, &f);
}

KTEST(namei, test_namei_dotdot_never_leaves_chroot)
{
	struct vfs_fixture f;
	struct path jail;

	KASSERT(vfs_fixture_setup(t, &f));
	KASSERT(fx_make_tree(t, &f));
	KASSERT_EQ(vfs_chroot(&f.ctx, NULL, "/a", &jail), 0);
	f.ctx.root = jail;
	f.ctx.cwd = jail;
	KEXPECT_EQ(ino(&f, ".."), ino_of(&f, NULL, "/", 0));
	KEXPECT_EQ(ino(&f, "/../../b"), ino(&f, "/b"));
	KEXPECT_EQ(ino(&f, "/file"), ino(&f, "b/../file"));
	KEXPECT_EQ(lookup_err(&f, NULL, "/top", 0), -ENOENT);
	/* An absolute symlink resolves inside the jail. */
	KEXPECT_EQ(vfs_symlink(&f.ctx, "/b/c", NULL, "/abs"), 0);
	KEXPECT_EQ(ino_of(&f, NULL, "/abs", 0), ino(&f, "/b/c"));
	f.ctx.root = f.root;
	f.ctx.cwd = f.root;
	KEXPECT_EQ(lookup_err(&f, NULL, "/a/abs", 0), -ENOENT);
	vfs_path_put(&jail);
	vfs_fixture_teardown(t, &f);
}

KTEST(namei, test_namei_chroot_needs_cap_and_search)
{
	struct vfs_fixture f;
	struct path p;

	KASSERT(vfs_fixture_setup(t, &f));
	KASSERT(fx_make_tree(t, &f));
	KEXPECT_EQ(vfs_chroot(&f.ctx, NULL, "/a/file", &p), -ENOTDIR);
	KEXPECT_EQ(vfs_chmod(&f.ctx, NULL, "/a/b", 0700, 0), 0);
	fx_become_user(&f, 1000, 1000);
	KEXPECT_EQ(vfs_chroot(&f.ctx, NULL, "/a", &p), -EPERM);
	KEXPECT_EQ(vfs_chroot(&f.ctx, NULL, "/a/b", &p), -EACCES);
	KEXPECT_EQ(vfs_chdir(&f.ctx, NULL, "/a/b", 0, &p), -EACCES);
	KEXPECT_EQ(vfs_chdir(&f.ctx, NULL, "/a/file", 0, &p), -ENOTDIR);
	KASSERT_EQ(vfs_chdir(&f.ctx, NULL, "/a", 0, &p), 0);
	vfs_path_put(&p);
	fx_become_root(&f);
	vfs_fixture_teardown(t, &f);
}

KTEST(namei, test_namei_symlinks_relative_and_absolute)
{
	struct vfs_fixture f;

	KASSERT(vfs_fixture_setup(t, &f));
	KASSERT(fx_make_tree(t, &f));
	KEXPECT_EQ(vfs_symlink(&f.ctx, "b/c", NULL, "/a/rel"), 0);
	KEXPECT_EQ(vfs_symlink(&f.ctx, "/a/b", NULL, "/a/b/c/abs"), 0);
	KEXPECT_EQ(vfs_symlink(&f.ctx, "../file", NULL, "/a/b/up"), 0);
	KEXPECT_EQ(ino_of(&f, NULL, "/a/rel", 0), ino(&f, "/a/b/c"));
	KEXPECT_EQ(ino_of(&f, NULL, "/a/rel/abs/c", 0), ino(&f, "/a/b/c"));
	KEXPECT_EQ(ino_of(&f, NULL, "/a/b/up", 0), ino(&f, "/a/file"));
	KEXPECT_EQ(ino_of(&f, NULL, "/a/rel/..", 0), ino(&f, "/a/b"));
	/* Without following, the link itself. */
	KEXPECT(ino(&f, "/a/rel") != ino(&f, "/a/b/c"));
	/* In the middle of a path a symlink is always followed. */
	KEXPECT_EQ(ino_of(&f, NULL, "/a/rel/abs", AT_SYMLINK_NOFOLLOW), ino(&f, "/a/b/c/abs"));
	vfs_fixture_teardown(t, &f);
}

KTEST(namei, test_namei_dangling_symlink_is_enoent)
{
	struct vfs_fixture f;

	KASSERT(vfs_fixture_setup(t, &f));
	KEXPECT_EQ(vfs_symlink(&f.ctx, "/nowhere", NULL, "/dangle"), 0);
	KEXPECT_EQ(lookup_err(&f, NULL, "/dangle", 0), -ENOENT);
	KEXPECT_EQ(lookup_err(&f, NULL, "/dangle", AT_SYMLINK_NOFOLLOW), 0);
	KEXPECT_EQ(lookup_err(&f, NULL, "/dangle/x", AT_SYMLINK_NOFOLLOW), -ENOENT);
	vfs_fixture_teardown(t, &f);
}

KTEST(namei, test_namei_symlink_loop_is_eloop)
{
	struct vfs_fixture f;

	KASSERT(vfs_fixture_setup(t, &f));
	KEXPECT_EQ(vfs_symlink(&f.ctx, "b", NULL, "/a"), 0);
	KEXPECT_EQ(vfs_symlink(&f.ctx, "a", NULL, "/b"), 0);
	KEXPECT_EQ(vfs_symlink(&f.ctx, "self/x", NULL, "/self"), 0);
	KEXPECT_EQ(lookup_err(&f, NULL, "/a", 0), -ELOOP);
	KEXPECT_EQ(lookup_err(&f, NULL, "/a/x", AT_SYMLINK_NOFOLLOW), -ELOOP);
	KEXPECT_EQ(lookup_err(&f, NULL, "/self", 0), -ELOOP);
	KEXPECT_EQ(lookup_err(&f, NULL, "/a", AT_SYMLINK_NOFOLLOW), 0);
	vfs_fixture_teardown(t, &f);
}

/* l0 -> l1 -> ... -> l<n-1> -> /target; returns the pathname of l0. */
static bool make_chain(struct ktest *t, struct vfs_fixture *f, int n)
{
	char name[16];
	char target[16];
	bool ok = KEXPECT_EQ(vfs_mkdir(&f->ctx, NULL, "/target", 0755), 0);

	for (int i = 0; i < n; i++) {
		ksnprintf(name, sizeof(name), "/l%d", i);
		if (i == n - 1)
			ksnprintf(target, sizeof(target), "/target");
		else
			ksnprintf(target, sizeof(target), "l%d", i + 1);
		ok &= KEXPECT_EQ(vfs_symlink(&f->ctx, target, NULL, name), 0);
	}
	return ok;
}

KTEST(namei, test_namei_forty_symlinks_resolve)
{
	struct vfs_fixture f;

	KASSERT(vfs_fixture_setup(t, &f));
	KASSERT(make_chain(t, &f, VFS_MAXSYMLINKS));
	KEXPECT_EQ(ino_of(&f, NULL, "/l0", 0), ino(&f, "/target"));
	/* One more link in the middle of a path still counts. */
	KEXPECT_EQ(vfs_symlink(&f.ctx, "l0", NULL, "/m"), 0);
	KEXPECT_EQ(lookup_err(&f, NULL, "/m", 0), -ELOOP);
	KEXPECT_EQ(lookup_err(&f, NULL, "/m/.", 0), -ELOOP);
	KEXPECT_EQ(lookup_err(&f, NULL, "/l1/.", 0), 0);
	vfs_fixture_teardown(t, &f);
}

KTEST(namei, test_namei_forty_one_symlinks_eloop)
{
	struct vfs_fixture f;

	KASSERT(vfs_fixture_setup(t, &f));
	KASSERT(make_chain(t, &f, VFS_MAXSYMLINKS + 1));
	KEXPECT_EQ(lookup_err(&f, NULL, "/l0", 0), -ELOOP);
	KEXPECT_EQ(lookup_err(&f, NULL, "/l1", 0), 0);
	vfs_fixture_teardown(t, &f);
}

KTEST(namei, test_namei_nested_symlinks_in_the_middle)
{
	struct vfs_fixture f;

	KASSERT(vfs_fixture_setup(t, &f));
	KASSERT(fx_make_tree(t, &f));
	/* x -> y/c, y -> a/b: x/.. walks two bodies and the rest of the path. */
	KEXPECT_EQ(vfs_symlink(&f.ctx, "y/c", NULL, "/x"), 0);
	KEXPECT_EQ(vfs_symlink(&f.ctx, "a/b", NULL, "/y"), 0);
	KEXPECT_EQ(ino_of(&f, NULL, "/x", 0), ino(&f, "/a/b/c"));
	KEXPECT_EQ(ino_of(&f, NULL, "/x/../../file", 0), ino(&f, "/a/file"));
	KEXPECT_EQ(vfs_symlink(&f.ctx, "/", NULL, "/r"), 0);
	KEXPECT_EQ(ino_of(&f, NULL, "/r", 0), ino(&f, "/"));
	KEXPECT_EQ(ino_of(&f, NULL, "/r/r/r/a", 0), ino(&f, "/a"));
	vfs_fixture_teardown(t, &f);
}

KTEST(namei, test_namei_trailing_slash_requires_directory)
{
	struct vfs_fixture f;

	KASSERT(vfs_fixture_setup(t, &f));
	KASSERT(fx_make_tree(t, &f));
	KEXPECT_EQ(vfs_symlink(&f.ctx, "a/b", NULL, "/dirlink"), 0);
	KEXPECT_EQ(vfs_symlink(&f.ctx, "top", NULL, "/filelink"), 0);
	KEXPECT_EQ(vfs_symlink(&f.ctx, "top/", NULL, "/slashlink"), 0);
	KEXPECT_EQ(lookup_err(&f, NULL, "/a/", 0), 0);
	KEXPECT_EQ(lookup_err(&f, NULL, "/a//", 0), 0);
	KEXPECT_EQ(lookup_err(&f, NULL, "/top/", 0), -ENOTDIR);
	KEXPECT_EQ(lookup_err(&f, NULL, "/top//", AT_SYMLINK_NOFOLLOW), -ENOTDIR);
	/* A trailing slash follows a final symlink even with NOFOLLOW. */
	KEXPECT_EQ(ino_of(&f, NULL, "/dirlink/", AT_SYMLINK_NOFOLLOW), ino(&f, "/a/b"));
	KEXPECT_EQ(lookup_err(&f, NULL, "/filelink/", AT_SYMLINK_NOFOLLOW), -ENOTDIR);
	/* A body ending in a slash asks for a directory too. */
	KEXPECT_EQ(lookup_err(&f, NULL, "/slashlink", 0), -ENOTDIR);
	KEXPECT_EQ(lookup_err(&f, NULL, "/missing/", 0), -ENOENT);
	KEXPECT_EQ(vfs_lookup_dir(&f.ctx, NULL, "/top", 0, &(struct path){0}), -ENOTDIR);
	vfs_fixture_teardown(t, &f);
}

KTEST(namei, test_namei_empty_path)
{
	struct vfs_fixture f;
	struct path a;
	struct path p;

	KASSERT(vfs_fixture_setup(t, &f));
	KASSERT(fx_make_tree(t, &f));
	KEXPECT_EQ(lookup_err(&f, NULL, "", 0), -ENOENT);
	KEXPECT_EQ(ino_of(&f, NULL, "", AT_EMPTY_PATH), ino(&f, "/"));
	KASSERT_EQ(vfs_lookup(&f.ctx, NULL, "/a/file", 0, &a), 0);
	KEXPECT_EQ(ino_of(&f, &a, "", AT_EMPTY_PATH), ino(&f, "/a/file"));
	KEXPECT_EQ(lookup_err(&f, &a, "", 0), -ENOENT);
	/* A relative path from a file position is ENOTDIR, an absolute one ignores it. */
	KEXPECT_EQ(lookup_err(&f, &a, "x", 0), -ENOTDIR);
	KEXPECT_EQ(lookup_err(&f, &a, "/a", 0), 0);
	KEXPECT_EQ(vfs_lookup(&f.ctx, NULL, "", AT_EMPTY_PATH | AT_REMOVEDIR, &p), -EINVAL);
	vfs_path_put(&a);
	vfs_fixture_teardown(t, &f);
}

static char long_path[PATH_MAX + 8];

/* "/a/././.../." of n characters (a trailing "/" when n is odd): names /a. */
static const char *path_of_len(size_t n)
{
	size_t i = 2;

	long_path[0] = '/';
	long_path[1] = 'a';
	for (; i + 2 <= n; i += 2) {
		long_path[i] = '/';
		long_path[i + 1] = '.';
	}
	if (i < n)
		long_path[i++] = '/';
	long_path[i] = '\0';
	return long_path;
}

KTEST(namei, test_namei_name_max_and_path_max)
{
	struct vfs_fixture f;
	char name[NAME_MAX + 3];

	KASSERT(vfs_fixture_setup(t, &f));
	name[0] = '/';
	memset(name + 1, 'n', NAME_MAX);
	name[NAME_MAX + 1] = '\0';
	KEXPECT_EQ(lookup_err(&f, NULL, name, 0), -ENOENT);
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, name, 0755), 0);
	KEXPECT_EQ(lookup_err(&f, NULL, name, 0), 0);
	name[NAME_MAX + 1] = 'n';
	name[NAME_MAX + 2] = '\0';
	KEXPECT_EQ(lookup_err(&f, NULL, name, 0), -ENAMETOOLONG);
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, name, 0755), -ENAMETOOLONG);
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, "/a", 0755), 0);
	/* PATH_MAX counts the NUL: 4095 characters walk, 4096 do not. */
	KEXPECT_EQ(lookup_err(&f, NULL, path_of_len(PATH_MAX - 1), 0), 0);
	KEXPECT_EQ(lookup_err(&f, NULL, path_of_len(PATH_MAX), 0), -ENAMETOOLONG);
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, path_of_len(PATH_MAX + 1), 0755), -ENAMETOOLONG);
	vfs_fixture_teardown(t, &f);
}

KTEST(namei, test_namei_component_not_a_directory)
{
	struct vfs_fixture f;

	KASSERT(vfs_fixture_setup(t, &f));
	KASSERT(fx_make_tree(t, &f));
	KEXPECT_EQ(lookup_err(&f, NULL, "/top/x", 0), -ENOTDIR);
	KEXPECT_EQ(lookup_err(&f, NULL, "/a/file/b/c", 0), -ENOTDIR);
	KEXPECT_EQ(lookup_err(&f, NULL, "/missing/x", 0), -ENOENT);
	vfs_fixture_teardown(t, &f);
}

KTEST(namei, test_namei_search_permission)
{
	struct vfs_fixture f;

	KASSERT(vfs_fixture_setup(t, &f));
	KASSERT(fx_make_tree(t, &f));
	KEXPECT_EQ(vfs_chmod(&f.ctx, NULL, "/a", 0666, 0), 0);
	fx_become_user(&f, 1000, 1000);
	KEXPECT_EQ(lookup_err(&f, NULL, "/a/b", 0), -EACCES);
	KEXPECT_EQ(lookup_err(&f, NULL, "/a/missing", 0), -EACCES);
	KEXPECT_EQ(lookup_err(&f, NULL, "/a", 0), 0);
	/* Root searches anything (CAP_DAC_READ_SEARCH / CAP_DAC_OVERRIDE). */
	fx_become_root(&f);
	KEXPECT_EQ(vfs_chmod(&f.ctx, NULL, "/a", 0, 0), 0);
	KEXPECT_EQ(lookup_err(&f, NULL, "/a/b/c", 0), 0);
	/* Group and owner classes: the owner's bits win even if the group's would allow. */
	KEXPECT_EQ(vfs_chown(&f.ctx, NULL, "/a", 1000, 2000, 0), 0);
	KEXPECT_EQ(vfs_chmod(&f.ctx, NULL, "/a", 0110, 0), 0);
	fx_become_user(&f, 1000, 2000);
	KEXPECT_EQ(lookup_err(&f, NULL, "/a/b", 0), 0);
	KEXPECT_EQ(vfs_chmod(&f.ctx, NULL, "/a", 0010, 0), 0);
	KEXPECT_EQ(lookup_err(&f, NULL, "/a/b", 0), -EACCES);
	fx_become_user(&f, 1001, 2000);
	KEXPECT_EQ(lookup_err(&f, NULL, "/a/b", 0), 0);
	fx_become_user(&f, 1001, 3000);
	f.cred.nr_groups = 1;
	f.groups[0] = 2000;
	KEXPECT_EQ(lookup_err(&f, NULL, "/a/b", 0), 0);
	fx_become_user(&f, 1001, 3000);
	KEXPECT_EQ(lookup_err(&f, NULL, "/a/b", 0), -EACCES);
	fx_become_root(&f);
	vfs_fixture_teardown(t, &f);
}

KTEST(namei, test_namei_lookup_in_removed_directory)
{
	struct vfs_fixture f;
	struct path gone;

	KASSERT(vfs_fixture_setup(t, &f));
	KASSERT(fx_make_tree(t, &f));
	KASSERT_EQ(vfs_lookup(&f.ctx, NULL, "/a/b/c", 0, &gone), 0);
	KEXPECT_EQ(vfs_rmdir(&f.ctx, NULL, "/a/b/c"), 0);
	f.ctx.cwd = gone;
	KEXPECT_EQ(lookup_err(&f, NULL, "x", 0), -ENOENT);
	KEXPECT_EQ(lookup_err(&f, NULL, ".", 0), 0);
	KEXPECT_EQ(ino(&f, ".."), ino(&f, "/a/b"));
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, "x", 0755), -ENOENT);
	KEXPECT_EQ(fx_write_file(&f, "y", 0644, "", 0), -ENOENT);
	f.ctx.cwd = f.root;
	vfs_path_put(&gone);
	vfs_fixture_teardown(t, &f);
}

KTEST(namei, test_namei_crosses_mounts_both_ways)
{
	struct vfs_fixture f;
	struct super_block *sb;
	struct path mnt;

	KASSERT(vfs_fixture_setup(t, &f));
	KASSERT(fx_make_tree(t, &f));
	sb = fx_new_tmpfs(t, &f, 0755);
	KASSERT(sb);
	KEXPECT_EQ(vfs_mount(&f.ctx, NULL, "/a/b", sb, MNT_RELATIME), 0);
	vfs_super_put(sb);
	KEXPECT_EQ(lookup_err(&f, NULL, "/a/b/c", 0), -ENOENT);
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, "/a/b/inside", 0755), 0);
	KEXPECT_EQ(ino(&f, "/a/b/inside/.."), ino(&f, "/a/b"));
	KEXPECT_EQ(ino(&f, "/a/b/.."), ino(&f, "/a"));
	KEXPECT_EQ(ino(&f, "/a/b/inside/../../file"), ino(&f, "/a/file"));
	/* Symlinks inside the mount resolve against the caller's root. */
	KEXPECT_EQ(vfs_symlink(&f.ctx, "/top", NULL, "/a/b/totop"), 0);
	KEXPECT_EQ(ino_of(&f, NULL, "/a/b/totop", 0), ino(&f, "/top"));
	KASSERT_EQ(vfs_lookup(&f.ctx, NULL, "/a/b", 0, &mnt), 0);
	KEXPECT(mnt.mnt != f.root.mnt && mnt.dentry == mnt.mnt->root);
	KEXPECT_EQ(ino_of(&f, &mnt, "..", 0), ino(&f, "/a"));
	vfs_path_put(&mnt);
	KEXPECT_EQ(vfs_umount(&f.ctx, NULL, "/a/b"), 0);
	KEXPECT_EQ(lookup_err(&f, NULL, "/a/b/c", 0), 0);
	vfs_fixture_teardown(t, &f);
}

KTEST(namei, test_namei_stacked_mounts_show_the_top_one)
{
	struct vfs_fixture f;
	struct super_block *sb1;
	struct super_block *sb2;

	KASSERT(vfs_fixture_setup(t, &f));
	KASSERT(fx_make_tree(t, &f));
	sb1 = fx_new_tmpfs(t, &f, 0755);
	sb2 = fx_new_tmpfs(t, &f, 0755);
	KASSERT(sb1 && sb2);
	KEXPECT_EQ(vfs_mount(&f.ctx, NULL, "/a", sb1, MNT_RELATIME), 0);
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, "/a/one", 0755), 0);
	KEXPECT_EQ(vfs_mount(&f.ctx, NULL, "/a", sb2, MNT_RELATIME), 0);
	KEXPECT_EQ(lookup_err(&f, NULL, "/a/one", 0), -ENOENT);
	KEXPECT_EQ(ino(&f, "/a/.."), ino(&f, "/"));
	KEXPECT_EQ(vfs_umount(&f.ctx, NULL, "/a"), 0);
	KEXPECT_EQ(lookup_err(&f, NULL, "/a/one", 0), 0);
	KEXPECT_EQ(vfs_umount(&f.ctx, NULL, "/a"), 0);
	KEXPECT_EQ(lookup_err(&f, NULL, "/a/b", 0), 0);
	vfs_super_put(sb1);
	vfs_super_put(sb2);
	vfs_fixture_teardown(t, &f);
}

KTEST(namei, test_namei_bind_mount_of_a_subdirectory)
{
	struct vfs_fixture f;

	KASSERT(vfs_fixture_setup(t, &f));
	KASSERT(fx_make_tree(t, &f));
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, "/view", 0755), 0);
	KEXPECT_EQ(vfs_bind_mount(&f.ctx, NULL, "/a/b", NULL, "/view"), 0);
	KEXPECT_EQ(ino(&f, "/view/c"), ino(&f, "/a/b/c"));
	/* ".." at the root of the bind mount leaves through the mountpoint. */
	KEXPECT_EQ(ino(&f, "/view/.."), ino(&f, "/"));
	KEXPECT_EQ(ino(&f, "/view/c/.."), ino(&f, "/a/b"));
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, "/view/new", 0755), 0);
	KEXPECT_EQ(ino(&f, "/a/b/new"), ino(&f, "/view/new"));
	KEXPECT_EQ(vfs_umount(&f.ctx, NULL, "/view"), 0);
	KEXPECT_EQ(lookup_err(&f, NULL, "/view/c", 0), -ENOENT);
	vfs_fixture_teardown(t, &f);
}
