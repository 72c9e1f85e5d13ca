// SPDX-License-Identifier: MIT
/*
 * Host tests for fs/mount.c: attaching and detaching mounts and bind
 * mounts, what makes a mount busy, the errno of each refusal, and super
 * blocks that live on in a bind mount after their first mount goes.
 */
#include <tern/errno.h>
#include <tern/string.h>
#include <tern/vfs_testing.h>

/* Mounts a new tmpfs at pathname and drops the creator's reference. */
static int mount_new(struct ktest *t, struct vfs_fixture *f, const char *pathname)
{
	struct super_block *sb = fx_new_tmpfs(t, f, 0777);
	int err;

	if (!sb)
		return -ENOMEM;
	err = vfs_mount(&f->ctx, NULL, pathname, sb, MNT_RELATIME);
	vfs_super_put(sb);
	return err;
}

KTEST(mount, test_mount_errors)
{
	struct vfs_fixture f;
	struct super_block *sb;
	struct path p;

	KASSERT(vfs_fixture_setup(t, &f));
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, "/m", 0755), 0);
	KEXPECT_EQ(fx_write_file(&f, "/file", 0644, "", 0), 0);
	sb = fx_new_tmpfs(t, &f, 0777);
	KASSERT(sb);
	KEXPECT_EQ(vfs_mount_root(f.vfs, sb, 0, &p), -EBUSY);
	KEXPECT_EQ(vfs_mount(&f.ctx, NULL, "/file", sb, MNT_RELATIME), -ENOTDIR);
	KEXPECT_EQ(vfs_mount(&f.ctx, NULL, "/missing", sb, MNT_RELATIME), -ENOENT);
	fx_become_user(&f, 1000, 1000);
	KEXPECT_EQ(vfs_mount(&f.ctx, NULL, "/m", sb, MNT_RELATIME), -EPERM);
	KEXPECT_EQ(vfs_bind_mount(&f.ctx, NULL, "/file", NULL, "/m"), -EPERM);
	fx_become_root(&f);
	KEXPECT_EQ(vfs_mount(&f.ctx, NULL, "/m", sb, MNT_RELATIME), 0);
	fx_become_user(&f, 1000, 1000);
	KEXPECT_EQ(vfs_umount(&f.ctx, NULL, "/m"), -EPERM);
	fx_become_root(&f);
	KEXPECT_EQ(vfs_umount(&f.ctx, NULL, "/file"), -EINVAL);
	KEXPECT_EQ(vfs_umount(&f.ctx, NULL, "/"), -EBUSY);
	KEXPECT_EQ(vfs_umount(&f.ctx, NULL, "/m"), 0);
	KEXPECT_EQ(vfs_umount(&f.ctx, NULL, "/m"), -EINVAL);
	vfs_super_put(sb);
	vfs_fixture_teardown(t, &f);
}

KTEST(mount, test_umount_busy_while_used)
{
	struct vfs_fixture f;
	struct file *file;
	struct path cwd;

	KASSERT(vfs_fixture_setup(t, &f));
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, "/m", 0755), 0);
	KEXPECT_EQ(mount_new(t, &f, "/m"), 0);
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, "/m/sub", 0755), 0);
	KASSERT_EQ(fx_open(&f, "/m/sub", O_RDONLY, 0, &file), 0);
	KEXPECT_EQ(vfs_umount(&f.ctx, NULL, "/m"), -EBUSY);
	file_put(file);
	KASSERT_EQ(vfs_chdir(&f.ctx, NULL, "/m/sub", 0, &cwd), 0);
	f.ctx.cwd = cwd;
	KEXPECT_EQ(vfs_umount(&f.ctx, NULL, "/m"), -EBUSY);
	f.ctx.cwd = f.root;
	vfs_path_put(&cwd);
	KEXPECT_EQ(mount_new(t, &f, "/m/sub"), 0);
	KEXPECT_EQ(vfs_umount(&f.ctx, NULL, "/m"), -EBUSY);
	KEXPECT_EQ(vfs_umount(&f.ctx, NULL, "/m/sub"), 0);
	KEXPECT_EQ(vfs_umount(&f.ctx, NULL, "/m"), 0);
	KEXPECT(vfs_is_consistent(f.vfs));
	vfs_fixture_teardown(t, &f);
}

KTEST(mount, test_umount_busy_for_a_chroot_inside)
{
	struct vfs_fixture f;
	struct path jail;

	KASSERT(vfs_fixture_setup(t, &f));
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, "/m", 0755), 0);
	KEXPECT_EQ(mount_new(t, &f, "/m"), 0);
	KASSERT_EQ(vfs_lookup(&f.ctx, NULL, "/m", 0, &jail), 0);
	f.ctx.root = jail;
	KEXPECT_EQ(vfs_umount(&f.ctx, NULL, "/"), -EBUSY);
	f.ctx.root = f.root;
	vfs_path_put(&jail);
	KEXPECT_EQ(vfs_umount(&f.ctx, NULL, "/m"), 0);
	vfs_fixture_teardown(t, &f);
}

KTEST(mount, test_bind_mount_shapes)
{
	struct vfs_fixture f;
	char buf[8];
	size_t len;

	KASSERT(vfs_fixture_setup(t, &f));
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, "/d", 0755), 0);
	KEXPECT_EQ(fx_write_file(&f, "/a", 0644, "aaa", 3), 0);
	KEXPECT_EQ(fx_write_file(&f, "/b", 0644, "b", 1), 0);
	KEXPECT_EQ(vfs_bind_mount(&f.ctx, NULL, "/d", NULL, "/a"), -ENOTDIR);
	KEXPECT_EQ(vfs_bind_mount(&f.ctx, NULL, "/a", NULL, "/d"), -ENOTDIR);
	KEXPECT_EQ(vfs_bind_mount(&f.ctx, NULL, "/missing", NULL, "/d"), -ENOENT);
	KEXPECT_EQ(vfs_bind_mount(&f.ctx, NULL, "/a", NULL, "/b"), 0);
	KEXPECT_EQ(fx_read_file(&f, "/b", buf, sizeof(buf), &len), 0);
	KEXPECT(len == 3 && memcmp(buf, "aaa", 3) == 0);
	KEXPECT_EQ(vfs_umount(&f.ctx, NULL, "/b"), 0);
	KEXPECT_EQ(fx_read_file(&f, "/b", buf, sizeof(buf), &len), 0);
	KEXPECT_EQ(len, 1);
	vfs_fixture_teardown(t, &f);
}

KTEST(mount, test_bind_keeps_the_super_block_after_umount)
{
	struct vfs_fixture f;

	KASSERT(vfs_fixture_setup(t, &f));
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, "/m", 0755), 0);
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, "/view", 0755), 0);
	KEXPECT_EQ(mount_new(t, &f, "/m"), 0);
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, "/m/sub", 0755), 0);
	KEXPECT_EQ(fx_write_file(&f, "/m/sub/x", 0644, "x", 1), 0);
	KEXPECT_EQ(vfs_bind_mount(&f.ctx, NULL, "/m/sub", NULL, "/view"), 0);
	KEXPECT_EQ(vfs_umount(&f.ctx, NULL, "/m"), 0);
	KEXPECT(fx_exists(&f, "/view/x"));
	KEXPECT(!fx_exists(&f, "/m/sub"));
	KEXPECT(vfs_is_consistent(f.vfs));
	KEXPECT_EQ(vfs_umount(&f.ctx, NULL, "/view"), 0);
	vfs_fixture_teardown(t, &f);
}

KTEST(mount, test_mount_on_a_removed_directory_is_enoent)
{
	struct vfs_fixture f;
	struct super_block *sb;
	struct path gone;

	KASSERT(vfs_fixture_setup(t, &f));
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, "/d", 0755), 0);
	KASSERT_EQ(vfs_lookup(&f.ctx, NULL, "/d", 0, &gone), 0);
	KEXPECT_EQ(vfs_rmdir(&f.ctx, NULL, "/d"), 0);
	sb = fx_new_tmpfs(t, &f, 0777);
	KASSERT(sb);
	f.ctx.cwd = gone;
	KEXPECT_EQ(vfs_mount(&f.ctx, NULL, ".", sb, MNT_RELATIME), -ENOENT);
	f.ctx.cwd = f.root;
	vfs_super_put(sb);
	vfs_path_put(&gone);
	vfs_fixture_teardown(t, &f);
}
