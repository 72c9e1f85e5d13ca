// SPDX-License-Identifier: MIT
/*
 * Host tests for fs/nameops.c: mkdir, mknod, symlink, link, unlink and
 * rmdir with Linux's errno for each case, the umask, set-group-ID
 * directories, sticky directories, and unlinked files kept alive by an
 * open file.
 */
#include <tern/errno.h>
#include <tern/string.h>
#include <tern/vfs_testing.h>

static uint32_t mode_of(struct vfs_fixture *f, const char *pathname)
{
	struct kstat st;

	return fx_stat(f, pathname, true, &st) ? 0 : st.mode;
}

static uint32_t nlink_of(struct vfs_fixture *f, const char *pathname)
{
	struct kstat st;

	return fx_stat(f, pathname, true, &st) ? 0 : st.nlink;
}

static int mkdir_(struct vfs_fixture *f, const char *pathname, uint32_t mode)
{
	return vfs_mkdir(&f->ctx, NULL, pathname, mode);
}

KTEST(nameops, test_mkdir_applies_umask_and_counts_links)
{
	struct vfs_fixture f;

	KASSERT(vfs_fixture_setup(t, &f));
	KEXPECT_EQ(mkdir_(&f, "/d", 0777), 0);
	KEXPECT_EQ(mode_of(&f, "/d"), S_IFDIR | 0755);
	KEXPECT_EQ(nlink_of(&f, "/d"), 2);
	KEXPECT_EQ(nlink_of(&f, "/"), 3);
	KEXPECT_EQ(mkdir_(&f, "/d/e/", 01777), 0);
	KEXPECT_EQ(mode_of(&f, "/d/e"), S_IFDIR | 01755);
	KEXPECT_EQ(mkdir_(&f, "/d/s", 06777), 0);
	KEXPECT_EQ(mode_of(&f, "/d/s"), S_IFDIR | 0755);
	KEXPECT_EQ(nlink_of(&f, "/d"), 4);
	f.ctx.umask = 0;
	KEXPECT_EQ(mkdir_(&f, "/open", 0777), 0);
	KEXPECT_EQ(mode_of(&f, "/open"), S_IFDIR | 0777);
	vfs_fixture_teardown(t, &f);
}

KTEST(nameops, test_mkdir_errors)
{
	struct vfs_fixture f;

	KASSERT(vfs_fixture_setup(t, &f));
	KEXPECT_EQ(mkdir_(&f, "/d", 0755), 0);
	KEXPECT_EQ(fx_write_file(&f, "/file", 0644, "", 0), 0);
	KEXPECT_EQ(vfs_symlink(&f.ctx, "/nowhere", NULL, "/dangle"), 0);
	KEXPECT_EQ(mkdir_(&f, "/d", 0755), -EEXIST);
	KEXPECT_EQ(mkdir_(&f, "/file", 0755), -EEXIST);
	KEXPECT_EQ(mkdir_(&f, "/dangle", 0755), -EEXIST);
	KEXPECT_EQ(mkdir_(&f, "/dangle/", 0755), -EEXIST);
	KEXPECT_EQ(mkdir_(&f, "/", 0755), -EEXIST);
	KEXPECT_EQ(mkdir_(&f, "/d/.", 0755), -EEXIST);
	KEXPECT_EQ(mkdir_(&f, "/d/..", 0755), -EEXIST);
	KEXPECT_EQ(mkdir_(&f, "/missing/x", 0755), -ENOENT);
	KEXPECT_EQ(mkdir_(&f, "/file/x", 0755), -ENOTDIR);
	KEXPECT_EQ(mkdir_(&f, "", 0755), -ENOENT);
	fx_become_user(&f, 1000, 1000);
	KEXPECT_EQ(mkdir_(&f, "/mine", 0755), -EACCES);
	KEXPECT_EQ(mkdir_(&f, "/d", 0755), -EEXIST);
	fx_become_root(&f);
	vfs_fixture_teardown(t, &f);
}

KTEST(nameops, test_mkdir_in_setgid_directory_inherits_group)
{
	struct vfs_fixture f;
	struct kstat st;

	KASSERT(vfs_fixture_setup(t, &f));
	KEXPECT_EQ(mkdir_(&f, "/g", 0777), 0);
	KEXPECT_EQ(vfs_chown(&f.ctx, NULL, "/g", 0, 500, 0), 0);
	KEXPECT_EQ(vfs_chmod(&f.ctx, NULL, "/g", 02777, 0), 0);
	fx_become_user(&f, 1000, 1000);
	KEXPECT_EQ(mkdir_(&f, "/g/sub", 0755), 0);
	KEXPECT_EQ(fx_stat(&f, "/g/sub", true, &st), 0);
	KEXPECT_EQ(st.gid, 500);
	KEXPECT_EQ(st.uid, 1000);
	KEXPECT_EQ(st.mode, S_IFDIR | S_ISGID | 0755);
	/* A file there takes the group; an outsider's set-group-ID executable loses the bit. */
	KEXPECT_EQ(fx_write_file(&f, "/g/file", 02755, "", 0), 0);
	KEXPECT_EQ(fx_stat(&f, "/g/file", true, &st), 0);
	KEXPECT_EQ(st.gid, 500);
	KEXPECT_EQ(st.mode, S_IFREG | 0755);
	fx_become_root(&f);
	vfs_fixture_teardown(t, &f);
}

KTEST(nameops, test_mknod_types_and_rules)
{
	struct vfs_fixture f;
	struct kstat st;

	KASSERT(vfs_fixture_setup(t, &f));
	KEXPECT_EQ(vfs_mknod(&f.ctx, NULL, "/reg", 0666, 0), 0);
	KEXPECT_EQ(mode_of(&f, "/reg"), S_IFREG | 0644);
	KEXPECT_EQ(vfs_mknod(&f.ctx, NULL, "/fifo", S_IFIFO | 0600, 0), 0);
	KEXPECT_EQ(mode_of(&f, "/fifo"), S_IFIFO | 0600);
	KEXPECT_EQ(vfs_mknod(&f.ctx, NULL, "/sock", S_IFSOCK | 0600, 0), 0);
	KEXPECT_EQ(vfs_mknod(&f.ctx, NULL, "/null", S_IFCHR | 0666, dev_make(1, 3)), 0);
	KEXPECT_EQ(fx_stat(&f, "/null", true, &st), 0);
	KEXPECT_EQ(st.mode, S_IFCHR | 0644);
	KEXPECT_EQ(st.rdev, dev_make(1, 3));
	KEXPECT_EQ(vfs_mknod(&f.ctx, NULL, "/blk", S_IFBLK | 0600, dev_make(8, 0x12345)), 0);
	KEXPECT_EQ(fx_stat(&f, "/blk", true, &st), 0);
	KEXPECT_EQ(dev_major(st.rdev), 8);
	KEXPECT_EQ(dev_minor(st.rdev), 0x12345);
	KEXPECT_EQ(vfs_mknod(&f.ctx, NULL, "/dir", S_IFDIR | 0755, 0), -EPERM);
	KEXPECT_EQ(vfs_mknod(&f.ctx, NULL, "/bad", 0170000 | 0755, 0), -EINVAL);
	KEXPECT_EQ(vfs_mknod(&f.ctx, NULL, "/reg", S_IFIFO | 0600, 0), -EEXIST);
	KEXPECT_EQ(vfs_mknod(&f.ctx, NULL, "/new/", S_IFIFO | 0600, 0), -ENOENT);
	KEXPECT_EQ(vfs_chmod(&f.ctx, NULL, "/", 0777, 0), 0);
	fx_become_user(&f, 1000, 1000);
	KEXPECT_EQ(vfs_mknod(&f.ctx, NULL, "/c", S_IFCHR | 0600, dev_make(1, 3)), -EPERM);
	KEXPECT_EQ(vfs_mknod(&f.ctx, NULL, "/null", S_IFCHR | 0600, dev_make(1, 3)), -EEXIST);
	KEXPECT_EQ(vfs_mknod(&f.ctx, NULL, "/myfifo", S_IFIFO | 0600, 0), 0);
	fx_become_root(&f);
	vfs_fixture_teardown(t, &f);
}

KTEST(nameops, test_symlink_rules)
{
	struct vfs_fixture f;
	static char target[PATH_MAX + 1];
	struct kstat st;
	char buf[16];
	size_t len;

	KASSERT(vfs_fixture_setup(t, &f));
	KEXPECT_EQ(vfs_symlink(&f.ctx, "", NULL, "/empty"), -ENOENT);
	KEXPECT_EQ(vfs_symlink(&f.ctx, "target", NULL, "/l"), 0);
	KEXPECT_EQ(fx_stat(&f, "/l", true, &st), 0);
	KEXPECT_EQ(st.mode, S_IFLNK | 0777);
	KEXPECT_EQ(st.size, 6);
	KEXPECT_EQ(vfs_readlink(&f.ctx, NULL, "/l", buf, sizeof(buf), &len), 0);
	KEXPECT(len == 6 && memcmp(buf, "target", 6) == 0);
	KEXPECT_EQ(vfs_symlink(&f.ctx, "x", NULL, "/l"), -EEXIST);
	KEXPECT_EQ(vfs_symlink(&f.ctx, "x", NULL, "/new/"), -ENOENT);
	KEXPECT_EQ(vfs_symlink(&f.ctx, "x", NULL, "/"), -EEXIST);
	memset(target, 't', PATH_MAX - 1);
	KEXPECT_EQ(vfs_symlink(&f.ctx, target, NULL, "/long"), 0);
	memset(target, 't', PATH_MAX);
	KEXPECT_EQ(vfs_symlink(&f.ctx, target, NULL, "/toolong"), -ENAMETOOLONG);
	vfs_fixture_teardown(t, &f);
}

KTEST(nameops, test_link_counts_and_errors)
{
	struct vfs_fixture f;
	struct tmpfs_options opts = {.mode = 0755};
	struct super_block *sb;

	KASSERT(vfs_fixture_setup(t, &f));
	KEXPECT_EQ(fx_write_file(&f, "/a", 0644, "data", 4), 0);
	KEXPECT_EQ(mkdir_(&f, "/d", 0755), 0);
	KEXPECT_EQ(vfs_link(&f.ctx, NULL, "/a", NULL, "/d/b", 0), 0);
	KEXPECT_EQ(nlink_of(&f, "/a"), 2);
	KEXPECT_EQ(nlink_of(&f, "/d/b"), 2);
	KEXPECT_EQ(vfs_link(&f.ctx, NULL, "/a", NULL, "/d/b", 0), -EEXIST);
	KEXPECT_EQ(vfs_link(&f.ctx, NULL, "/d", NULL, "/d2", 0), -EPERM);
	KEXPECT_EQ(vfs_link(&f.ctx, NULL, "/missing", NULL, "/x", 0), -ENOENT);
	KEXPECT_EQ(vfs_link(&f.ctx, NULL, "/a", NULL, "/x/", 0), -ENOENT);
	KEXPECT_EQ(vfs_link(&f.ctx, NULL, "/a", NULL, "/d/.", 0), -EEXIST);
	KEXPECT_EQ(vfs_link(&f.ctx, NULL, "/a", NULL, "/x", 0x8000), -EINVAL);
	/* Without AT_SYMLINK_FOLLOW the link itself is linked. */
	KEXPECT_EQ(vfs_symlink(&f.ctx, "/a", NULL, "/sl"), 0);
	KEXPECT_EQ(vfs_link(&f.ctx, NULL, "/sl", NULL, "/sl2", 0), 0);
	KEXPECT_EQ(mode_of(&f, "/sl2"), S_IFLNK | 0777);
	KEXPECT_EQ(vfs_link(&f.ctx, NULL, "/sl", NULL, "/a3", AT_SYMLINK_FOLLOW), 0);
	KEXPECT_EQ(nlink_of(&f, "/a"), 3);
	/* Another mount is another device. */
	KASSERT_EQ(tmpfs_create(f.vfs, &opts, &sb), 0);
	KEXPECT_EQ(vfs_mount(&f.ctx, NULL, "/d", sb, MNT_RELATIME), 0);
	vfs_super_put(sb);
	KEXPECT_EQ(vfs_link(&f.ctx, NULL, "/a", NULL, "/d/c", 0), -EXDEV);
	KEXPECT_EQ(vfs_umount(&f.ctx, NULL, "/d"), 0);
	fx_become_user(&f, 1000, 1000);
	KEXPECT_EQ(vfs_link(&f.ctx, NULL, "/a", NULL, "/mine", 0), -EACCES);
	fx_become_root(&f);
	vfs_fixture_teardown(t, &f);
}

KTEST(nameops, test_link_empty_path_needs_capability)
{
	struct vfs_fixture f;
	struct file *file;

	KASSERT(vfs_fixture_setup(t, &f));
	KASSERT_EQ(fx_open(&f, "/a", O_RDWR | O_CREAT, 0644, &file), 0);
	KEXPECT_EQ(vfs_link(&f.ctx, &file->path, "", NULL, "/b", AT_EMPTY_PATH), 0);
	KEXPECT_EQ(nlink_of(&f, "/b"), 2);
	KEXPECT_EQ(vfs_chmod(&f.ctx, NULL, "/", 0777, 0), 0);
	fx_become_user(&f, 1000, 1000);
	KEXPECT_EQ(vfs_link(&f.ctx, &file->path, "", NULL, "/c", AT_EMPTY_PATH), -ENOENT);
	fx_become_root(&f);
	/* Once unlinked everywhere, an ordinary file cannot be named again. */
	KEXPECT_EQ(vfs_unlink(&f.ctx, NULL, "/a"), 0);
	KEXPECT_EQ(vfs_unlink(&f.ctx, NULL, "/b"), 0);
	KEXPECT_EQ(vfs_link(&f.ctx, &file->path, "", NULL, "/c", AT_EMPTY_PATH), -ENOENT);
	file_put(file);
	vfs_fixture_teardown(t, &f);
}

KTEST(nameops, test_unlink_rules)
{
	struct vfs_fixture f;

	KASSERT(vfs_fixture_setup(t, &f));
	KEXPECT_EQ(fx_write_file(&f, "/a", 0644, "", 0), 0);
	KEXPECT_EQ(mkdir_(&f, "/d", 0755), 0);
	KEXPECT_EQ(vfs_link(&f.ctx, NULL, "/a", NULL, "/b", 0), 0);
	KEXPECT_EQ(vfs_unlink(&f.ctx, NULL, "/a"), 0);
	KEXPECT(!fx_exists(&f, "/a"));
	KEXPECT_EQ(nlink_of(&f, "/b"), 1);
	KEXPECT_EQ(vfs_unlink(&f.ctx, NULL, "/a"), -ENOENT);
	KEXPECT_EQ(vfs_unlink(&f.ctx, NULL, "/d"), -EISDIR);
	KEXPECT_EQ(vfs_unlink(&f.ctx, NULL, "/d/"), -EISDIR);
	KEXPECT_EQ(vfs_unlink(&f.ctx, NULL, "/b/"), -ENOTDIR);
	KEXPECT_EQ(vfs_unlink(&f.ctx, NULL, "/a/"), -ENOENT);
	KEXPECT_EQ(vfs_unlink(&f.ctx, NULL, "/d/."), -EISDIR);
	KEXPECT_EQ(vfs_unlink(&f.ctx, NULL, "/d/.."), -EISDIR);
	KEXPECT_EQ(vfs_unlink(&f.ctx, NULL, "/"), -EISDIR);
	KEXPECT_EQ(vfs_unlink(&f.ctx, NULL, "/b/x"), -ENOTDIR);
	/* A symlink goes, not its target. */
	KEXPECT_EQ(vfs_symlink(&f.ctx, "/b", NULL, "/l"), 0);
	KEXPECT_EQ(vfs_unlink(&f.ctx, NULL, "/l"), 0);
	KEXPECT(fx_exists(&f, "/b"));
	fx_become_user(&f, 1000, 1000);
	KEXPECT_EQ(vfs_unlink(&f.ctx, NULL, "/b"), -EACCES);
	fx_become_root(&f);
	vfs_fixture_teardown(t, &f);
}

KTEST(nameops, test_unlink_busy_mountpoint)
{
	struct vfs_fixture f;

	KASSERT(vfs_fixture_setup(t, &f));
	KEXPECT_EQ(fx_write_file(&f, "/a", 0644, "a", 1), 0);
	KEXPECT_EQ(fx_write_file(&f, "/b", 0644, "b", 1), 0);
	KEXPECT_EQ(vfs_bind_mount(&f.ctx, NULL, "/a", NULL, "/b"), 0);
	KEXPECT_EQ(vfs_unlink(&f.ctx, NULL, "/b"), -EBUSY);
	KEXPECT_EQ(vfs_umount(&f.ctx, NULL, "/b"), 0);
	KEXPECT_EQ(vfs_unlink(&f.ctx, NULL, "/b"), 0);
	vfs_fixture_teardown(t, &f);
}

/* /tmp is 1777 and root's; 1000 and 2000 each own a file there. */
static bool make_sticky_tmp(struct ktest *t, struct vfs_fixture *f)
{
	bool ok = KEXPECT_EQ(mkdir_(f, "/tmp", 0777), 0);

	ok &= KEXPECT_EQ(vfs_chmod(&f->ctx, NULL, "/tmp", 01777, 0), 0);
	fx_become_user(f, 1000, 1000);
	ok &= KEXPECT_EQ(fx_write_file(f, "/tmp/a", 0666, "", 0), 0);
	ok &= KEXPECT_EQ(mkdir_(f, "/tmp/da", 0777), 0);
	fx_become_user(f, 2000, 2000);
	ok &= KEXPECT_EQ(fx_write_file(f, "/tmp/b", 0666, "", 0), 0);
	fx_become_root(f);
	return ok;
}

KTEST(nameops, test_unlink_in_sticky_directory)
{
	struct vfs_fixture f;

	KASSERT(vfs_fixture_setup(t, &f));
	KASSERT(make_sticky_tmp(t, &f));
	fx_become_user(&f, 2000, 2000);
	KEXPECT_EQ(vfs_unlink(&f.ctx, NULL, "/tmp/a"), -EPERM);
	KEXPECT_EQ(vfs_rmdir(&f.ctx, NULL, "/tmp/da"), -EPERM);
	KEXPECT_EQ(vfs_unlink(&f.ctx, NULL, "/tmp/b"), 0);
	fx_become_user(&f, 1000, 1000);
	KEXPECT_EQ(vfs_rmdir(&f.ctx, NULL, "/tmp/da"), 0);
	fx_become_root(&f);
	KEXPECT_EQ(vfs_chown(&f.ctx, NULL, "/tmp", 3000, 3000, 0), 0);
	fx_become_user(&f, 3000, 3000);
	KEXPECT_EQ(vfs_unlink(&f.ctx, NULL, "/tmp/a"), 0);
	fx_become_root(&f);
	vfs_fixture_teardown(t, &f);
}

KTEST(nameops, test_unlinked_open_file_lives_until_closed)
{
	struct vfs_fixture f;
	struct file *file;
	struct kstat st;
	char buf[8];
	size_t len;

	KASSERT(vfs_fixture_setup(t, &f));
	KEXPECT_EQ(fx_write_file(&f, "/a", 0644, "alive", 5), 0);
	KASSERT_EQ(fx_open(&f, "/a", O_RDWR, 0, &file), 0);
	KEXPECT_EQ(vfs_unlink(&f.ctx, NULL, "/a"), 0);
	KEXPECT(!fx_exists(&f, "/a"));
	vfs_fstat(file, &st);
	KEXPECT_EQ(st.nlink, 0);
	KEXPECT_EQ(vfs_read(file, buf, sizeof(buf), &len), 0);
	KEXPECT(len == 5 && memcmp(buf, "alive", 5) == 0);
	KEXPECT_EQ(vfs_path_name(&f.ctx, &file->path, false, buf, sizeof(buf), &len), -ERANGE);
	/* A new file of the same name is a different inode. */
	KEXPECT_EQ(fx_write_file(&f, "/a", 0644, "new", 3), 0);
	KEXPECT(vfs_is_consistent(f.vfs));
	file_put(file);
	vfs_fixture_teardown(t, &f);
}

KTEST(nameops, test_rmdir_rules)
{
	struct vfs_fixture f;
	struct tmpfs_options opts = {.mode = 0755};
	struct super_block *sb;

	KASSERT(vfs_fixture_setup(t, &f));
	KEXPECT_EQ(mkdir_(&f, "/d", 0755), 0);
	KEXPECT_EQ(mkdir_(&f, "/d/e", 0755), 0);
	KEXPECT_EQ(fx_write_file(&f, "/file", 0644, "", 0), 0);
	KEXPECT_EQ(vfs_rmdir(&f.ctx, NULL, "/d"), -ENOTEMPTY);
	KEXPECT_EQ(vfs_rmdir(&f.ctx, NULL, "/d/e/."), -EINVAL);
	KEXPECT_EQ(vfs_rmdir(&f.ctx, NULL, "/d/e/.."), -ENOTEMPTY);
	KEXPECT_EQ(vfs_rmdir(&f.ctx, NULL, "/"), -EBUSY);
	KEXPECT_EQ(vfs_rmdir(&f.ctx, NULL, "/file"), -ENOTDIR);
	KEXPECT_EQ(vfs_rmdir(&f.ctx, NULL, "/missing"), -ENOENT);
	KEXPECT_EQ(nlink_of(&f, "/d"), 3);
	KEXPECT_EQ(vfs_rmdir(&f.ctx, NULL, "/d/e/"), 0);
	KEXPECT_EQ(nlink_of(&f, "/d"), 2);
	KASSERT_EQ(tmpfs_create(f.vfs, &opts, &sb), 0);
	KEXPECT_EQ(vfs_mount(&f.ctx, NULL, "/d", sb, MNT_RELATIME), 0);
	vfs_super_put(sb);
	KEXPECT_EQ(vfs_rmdir(&f.ctx, NULL, "/d"), -EBUSY);
	KEXPECT_EQ(vfs_umount(&f.ctx, NULL, "/d"), 0);
	fx_become_user(&f, 1000, 1000);
	KEXPECT_EQ(vfs_rmdir(&f.ctx, NULL, "/d"), -EACCES);
	fx_become_root(&f);
	KEXPECT_EQ(vfs_rmdir(&f.ctx, NULL, "/d"), 0);
	KEXPECT_EQ(nlink_of(&f, "/"), 2);
	vfs_fixture_teardown(t, &f);
}
