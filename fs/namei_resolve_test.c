// SPDX-License-Identifier: MIT
/*
 * Host tests for openat2(2)'s RESOLVE_* restrictions on the path walk
 * (fs/namei.c, reached through vfs_openat2 in fs/open.c): no mount
 * crossings, no symlinks, no magic links, staying beneath the start or
 * treating it as the root, RESOLVE_CACHED, and the flag checks. The walk
 * without restrictions is in namei_test.c.
 */
#include <linux/openat2.h>
#include <tern/errno.h>
#include <tern/string.h>
#include <tern/vfs_testing.h>

/* What openat2 reaches: the inode number, or -errno. */
static int64_t open2(struct vfs_fixture *f, const struct path *dir, const char *pathname,
		     unsigned int flags, uint64_t resolve)
{
	struct file *file;
	int64_t ino;
	int err = vfs_openat2(&f->ctx, dir, pathname, flags, 0644, resolve, &file);

	if (err)
		return err;
	ino = (int64_t)file->inode->ino;
	file_put(file);
	return ino;
}

static int64_t ino(struct vfs_fixture *f, const char *pathname)
{
	return open2(f, NULL, pathname, O_PATH | O_NOFOLLOW, 0);
}

/*
 * /a/b/c and /d (directories), /a/file, /top, and symlinks /a/rel -> b,
 * /a/abs -> /a/b, /a/up -> ../top.
 */
static bool make_tree(struct ktest *t, struct vfs_fixture *f)
{
	bool ok = fx_make_tree(t, f);

	ok &= KEXPECT_EQ(vfs_mkdir(&f->ctx, NULL, "/d", 0755), 0);
	ok &= KEXPECT_EQ(vfs_symlink(&f->ctx, "b", NULL, "/a/rel"), 0);
	ok &= KEXPECT_EQ(vfs_symlink(&f->ctx, "/a/b", NULL, "/a/abs"), 0);
	ok &= KEXPECT_EQ(vfs_symlink(&f->ctx, "../top", NULL, "/a/up"), 0);
	return ok;
}

KTEST(namei_resolve, test_namei_resolve_flag_checks)
{
	KEXPECT_EQ(vfs_open_check(O_RDONLY, 0), 0);
	KEXPECT_EQ(vfs_open_check(O_RDONLY, 0x40), -EINVAL);
	KEXPECT_EQ(vfs_open_check(O_RDONLY, 1ull << 40), -EINVAL);
	KEXPECT_EQ(vfs_open_check(O_RDONLY, RESOLVE_BENEATH | RESOLVE_IN_ROOT), -EINVAL);
	KEXPECT_EQ(vfs_open_check(O_RDONLY, RESOLVE_CACHED | RESOLVE_NO_XDEV), 0);
	KEXPECT_EQ(vfs_open_check(O_RDWR | O_CREAT, RESOLVE_CACHED), -EAGAIN);
	KEXPECT_EQ(vfs_open_check(O_RDWR | O_TRUNC, RESOLVE_CACHED), -EAGAIN);
	KEXPECT_EQ(vfs_open_check(O_RDWR | O_TMPFILE, RESOLVE_CACHED), -EAGAIN);
	/* Bad flag combinations are EINVAL first, as in build_open_flags. */
	KEXPECT_EQ(vfs_open_check(O_CREAT | O_DIRECTORY, RESOLVE_CACHED), -EINVAL);
	KEXPECT_EQ(vfs_open_check(O_RDONLY | O_TMPFILE, RESOLVE_CACHED), -EINVAL);
}

KTEST(namei_resolve, test_namei_resolve_cached_opens_without_creating)
{
	struct vfs_fixture f;

	KASSERT(vfs_fixture_setup(t, &f));
	KASSERT(make_tree(t, &f));
	KEXPECT_EQ(open2(&f, NULL, "/a/file", O_RDONLY, RESOLVE_CACHED), ino(&f, "/a/file"));
	KEXPECT_EQ(open2(&f, NULL, "/a/new", O_RDWR | O_CREAT, RESOLVE_CACHED), -EAGAIN);
	KEXPECT(!fx_exists(&f, "/a/new"));
	vfs_fixture_teardown(t, &f);
}

KTEST(namei_resolve, test_namei_resolve_no_symlinks)
{
	struct vfs_fixture f;

	KASSERT(vfs_fixture_setup(t, &f));
	KASSERT(make_tree(t, &f));
	KEXPECT_EQ(open2(&f, NULL, "/a/rel/c", O_RDONLY, 0), ino(&f, "/a/b/c"));
	KEXPECT_EQ(open2(&f, NULL, "/a/rel/c", O_RDONLY, RESOLVE_NO_SYMLINKS), -ELOOP);
	KEXPECT_EQ(open2(&f, NULL, "/a/abs", O_RDONLY, RESOLVE_NO_SYMLINKS), -ELOOP);
	KEXPECT_EQ(open2(&f, NULL, "/a/rel/", O_PATH | O_NOFOLLOW, RESOLVE_NO_SYMLINKS), -ELOOP);
	KEXPECT_EQ(open2(&f, NULL, "/a/rel", O_RDONLY | O_NOFOLLOW, RESOLVE_NO_SYMLINKS), -ELOOP);
	/* A last symlink that is not followed is no symlink in the path. */
	KEXPECT_EQ(open2(&f, NULL, "/a/rel", O_PATH | O_NOFOLLOW, RESOLVE_NO_SYMLINKS),
		   ino(&f, "/a/rel"));
	KEXPECT_EQ(open2(&f, NULL, "/a/rel/new", O_RDWR | O_CREAT, RESOLVE_NO_SYMLINKS), -ELOOP);
	KEXPECT(!fx_exists(&f, "/a/b/new"));
	KEXPECT_EQ(open2(&f, NULL, "/a/b/c", O_RDONLY, RESOLVE_NO_SYMLINKS), ino(&f, "/a/b/c"));
	vfs_fixture_teardown(t, &f);
}

/* Marks the symlink at pathname as a magic link, as procfs does for fd/N. */
static void make_magic(struct ktest *t, struct vfs_fixture *f, const char *pathname)
{
	struct path p;

	KASSERT_EQ(vfs_lookup(&f->ctx, NULL, pathname, AT_SYMLINK_NOFOLLOW, &p), 0);
	p.dentry->inode->flags |= INODE_MAGIC_LINK;
	vfs_path_put(&p);
}

KTEST(namei_resolve, test_namei_resolve_no_magiclinks)
{
	struct vfs_fixture f;

	KASSERT(vfs_fixture_setup(t, &f));
	KASSERT(make_tree(t, &f));
	make_magic(t, &f, "/a/abs");
	KEXPECT_EQ(open2(&f, NULL, "/a/abs/c", O_RDONLY, 0), ino(&f, "/a/b/c"));
	KEXPECT_EQ(open2(&f, NULL, "/a/abs/c", O_RDONLY, RESOLVE_NO_MAGICLINKS), -ELOOP);
	KEXPECT_EQ(open2(&f, NULL, "/a/abs", O_RDONLY, RESOLVE_NO_MAGICLINKS), -ELOOP);
	KEXPECT_EQ(open2(&f, NULL, "/a/abs", O_PATH | O_NOFOLLOW, RESOLVE_NO_MAGICLINKS),
		   ino(&f, "/a/abs"));
	/* Ordinary symlinks still work; NO_SYMLINKS covers magic ones too. */
	KEXPECT_EQ(open2(&f, NULL, "/a/rel", O_RDONLY, RESOLVE_NO_MAGICLINKS), ino(&f, "/a/b"));
	KEXPECT_EQ(open2(&f, NULL, "/a/abs", O_RDONLY, RESOLVE_NO_SYMLINKS), -ELOOP);
	/* nd_jump_link: NO_XDEV and the scoped lookups refuse magic links with EXDEV. */
	KEXPECT_EQ(open2(&f, NULL, "/a/abs", O_RDONLY, RESOLVE_NO_XDEV), -EXDEV);
	vfs_fixture_teardown(t, &f);
}

KTEST(namei_resolve, test_namei_resolve_scoped_refuse_magic_links)
{
	struct vfs_fixture f;
	struct path a;

	KASSERT(vfs_fixture_setup(t, &f));
	KASSERT(make_tree(t, &f));
	KEXPECT_EQ(vfs_symlink(&f.ctx, "b", NULL, "/a/magic"), 0);
	make_magic(t, &f, "/a/magic");
	KASSERT_EQ(vfs_lookup(&f.ctx, NULL, "/a", 0, &a), 0);
	KEXPECT_EQ(open2(&f, &a, "magic", O_RDONLY, 0), ino(&f, "/a/b"));
	KEXPECT_EQ(open2(&f, &a, "magic", O_RDONLY, RESOLVE_BENEATH), -EXDEV);
	KEXPECT_EQ(open2(&f, &a, "magic", O_RDONLY, RESOLVE_IN_ROOT), -EXDEV);
	KEXPECT_EQ(open2(&f, &a, "magic", O_RDONLY, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS),
		   -ELOOP);
	vfs_path_put(&a);
	vfs_fixture_teardown(t, &f);
}

KTEST(namei_resolve, test_namei_resolve_beneath)
{
	struct vfs_fixture f;
	struct path a;

	KASSERT(vfs_fixture_setup(t, &f));
	KASSERT(make_tree(t, &f));
	KASSERT_EQ(vfs_lookup(&f.ctx, NULL, "/a", 0, &a), 0);
	KEXPECT_EQ(open2(&f, &a, "/a/file", O_RDONLY, RESOLVE_BENEATH), -EXDEV);
	KEXPECT_EQ(open2(&f, &a, "..", O_RDONLY, RESOLVE_BENEATH), -EXDEV);
	KEXPECT_EQ(open2(&f, &a, "b/../../top", O_RDONLY, RESOLVE_BENEATH), -EXDEV);
	KEXPECT_EQ(open2(&f, &a, "b/../file", O_RDONLY, RESOLVE_BENEATH), ino(&f, "/a/file"));
	KEXPECT_EQ(open2(&f, &a, "b/c/../..", O_RDONLY, RESOLVE_BENEATH), ino(&f, "/a"));
	KEXPECT_EQ(open2(&f, &a, "rel/c", O_RDONLY, RESOLVE_BENEATH), ino(&f, "/a/b/c"));
	KEXPECT_EQ(open2(&f, &a, "abs", O_RDONLY, RESOLVE_BENEATH), -EXDEV);
	KEXPECT_EQ(open2(&f, &a, "up", O_RDONLY, RESOLVE_BENEATH), -EXDEV);
	KEXPECT_EQ(open2(&f, &a, "abs", O_PATH | O_NOFOLLOW, RESOLVE_BENEATH), ino(&f, "/a/abs"));
	KEXPECT_EQ(open2(&f, &a, "../a/new", O_RDWR | O_CREAT, RESOLVE_BENEATH), -EXDEV);
	KEXPECT(!fx_exists(&f, "/a/new"));
	/* Without a dirfd the working directory is the start. */
	f.ctx.cwd = a;
	KEXPECT_EQ(open2(&f, NULL, "file", O_RDONLY, RESOLVE_BENEATH), ino(&f, "/a/file"));
	KEXPECT_EQ(open2(&f, NULL, "../top", O_RDONLY, RESOLVE_BENEATH), -EXDEV);
	f.ctx.cwd = f.root;
	vfs_path_put(&a);
	vfs_fixture_teardown(t, &f);
}

KTEST(namei_resolve, test_namei_resolve_in_root)
{
	struct vfs_fixture f;
	struct path a;

	KASSERT(vfs_fixture_setup(t, &f));
	KASSERT(make_tree(t, &f));
	KEXPECT_EQ(vfs_symlink(&f.ctx, "/b/c", NULL, "/a/inner"), 0);
	KASSERT_EQ(vfs_lookup(&f.ctx, NULL, "/a", 0, &a), 0);
	KEXPECT_EQ(open2(&f, &a, "/file", O_RDONLY, RESOLVE_IN_ROOT), ino(&f, "/a/file"));
	KEXPECT_EQ(open2(&f, &a, "..", O_RDONLY, RESOLVE_IN_ROOT), ino(&f, "/a"));
	KEXPECT_EQ(open2(&f, &a, "../../b/../file", O_RDONLY, RESOLVE_IN_ROOT), ino(&f, "/a/file"));
	KEXPECT_EQ(open2(&f, &a, "inner", O_RDONLY, RESOLVE_IN_ROOT), ino(&f, "/a/b/c"));
	KEXPECT_EQ(open2(&f, &a, "inner", O_RDONLY, 0), -ENOENT);
	/* "/a/b" inside the root /a is /a/a/b: absent. */
	KEXPECT_EQ(open2(&f, &a, "abs", O_RDONLY, RESOLVE_IN_ROOT), -ENOENT);
	KEXPECT_EQ(open2(&f, &a, "up", O_RDONLY, RESOLVE_IN_ROOT), -ENOENT);
	KEXPECT(open2(&f, &a, "/new", O_RDWR | O_CREAT, RESOLVE_IN_ROOT) > 0);
	KEXPECT(fx_exists(&f, "/a/new") && !fx_exists(&f, "/new"));
	vfs_path_put(&a);
	vfs_fixture_teardown(t, &f);
}

KTEST(namei_resolve, test_namei_resolve_no_xdev)
{
	struct vfs_fixture f;
	struct super_block *sb;
	struct path a;
	struct path mnt;

	KASSERT(vfs_fixture_setup(t, &f));
	KASSERT(make_tree(t, &f));
	sb = fx_new_tmpfs(t, &f, 0755);
	KASSERT(sb);
	KEXPECT_EQ(vfs_mount(&f.ctx, NULL, "/a/b", sb, MNT_RELATIME), 0);
	vfs_super_put(sb);
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, "/a/b/in", 0755), 0);
	KASSERT_EQ(vfs_lookup(&f.ctx, NULL, "/a", 0, &a), 0);
	KASSERT_EQ(vfs_lookup(&f.ctx, NULL, "/a/b", 0, &mnt), 0);
	KEXPECT_EQ(open2(&f, &a, "file", O_RDONLY, RESOLVE_NO_XDEV), ino(&f, "/a/file"));
	KEXPECT_EQ(open2(&f, &a, "b", O_RDONLY, RESOLVE_NO_XDEV), -EXDEV);
	KEXPECT_EQ(open2(&f, &a, "b/in", O_RDONLY, RESOLVE_NO_XDEV), -EXDEV);
	KEXPECT_EQ(open2(&f, &a, "rel/in", O_RDONLY, RESOLVE_NO_XDEV), -EXDEV);
	KEXPECT_EQ(open2(&f, &mnt, "in/..", O_RDONLY, RESOLVE_NO_XDEV), ino(&f, "/a/b"));
	KEXPECT_EQ(open2(&f, &mnt, "..", O_RDONLY, RESOLVE_NO_XDEV), -EXDEV);
	KEXPECT_EQ(open2(&f, &mnt, "in/../../file", O_RDONLY, RESOLVE_NO_XDEV), -EXDEV);
	/* An absolute path starts at the root without crossing anything. */
	KEXPECT_EQ(open2(&f, &mnt, "/a/file", O_RDONLY, RESOLVE_NO_XDEV), ino(&f, "/a/file"));
	KEXPECT_EQ(open2(&f, NULL, "/a/b/in", O_RDONLY, RESOLVE_NO_XDEV), -EXDEV);
	KEXPECT_EQ(open2(&f, NULL, "/a/b", O_PATH | O_NOFOLLOW, RESOLVE_NO_XDEV), -EXDEV);
	/* A bind mount is a mount like any other. */
	KEXPECT_EQ(vfs_bind_mount(&f.ctx, NULL, "/d", NULL, "/a/b/in"), 0);
	KEXPECT_EQ(open2(&f, &mnt, "in", O_RDONLY, RESOLVE_NO_XDEV), -EXDEV);
	KEXPECT_EQ(open2(&f, &mnt, "in", O_RDONLY, 0), ino(&f, "/d"));
	KEXPECT_EQ(vfs_umount(&f.ctx, NULL, "/a/b/in"), 0);
	vfs_path_put(&mnt);
	vfs_path_put(&a);
	KEXPECT_EQ(vfs_umount(&f.ctx, NULL, "/a/b"), 0);
	vfs_fixture_teardown(t, &f);
}

/*
 * ABI: nd_jump_root refuses an absolute symlink under NO_XDEV unless the
 * walk stands on its root's mount, and a relative walk that has not met
 * ".." has no root yet: EXDEV even on one mount, as Linux does.
 */
KTEST(namei_resolve, test_namei_resolve_no_xdev_absolute_symlink)
{
	struct vfs_fixture f;
	struct path a;

	KASSERT(vfs_fixture_setup(t, &f));
	KASSERT(make_tree(t, &f));
	KASSERT_EQ(vfs_lookup(&f.ctx, NULL, "/a", 0, &a), 0);
	KEXPECT_EQ(open2(&f, NULL, "/a/abs", O_RDONLY, RESOLVE_NO_XDEV), ino(&f, "/a/b"));
	KEXPECT_EQ(open2(&f, &a, "abs", O_RDONLY, RESOLVE_NO_XDEV), -EXDEV);
	KEXPECT_EQ(open2(&f, &a, "../a/abs", O_RDONLY, RESOLVE_NO_XDEV), ino(&f, "/a/b"));
	KEXPECT_EQ(open2(&f, &a, "up", O_RDONLY, RESOLVE_NO_XDEV), ino(&f, "/top"));
	vfs_path_put(&a);
	vfs_fixture_teardown(t, &f);
}
