// SPDX-License-Identifier: MIT
/*
 * Test fixtures for fs/ (include/tern/vfs_testing.h), shared by the other
 * fs tests, and the tests of the fixture itself. Host test binary only.
 */
#include <host_fault.h>
#include <tern/errno.h>
#include <tern/string.h>
#include <tern/vfs_testing.h>

bool vfs_fixture_setup_opts(struct ktest *t, struct vfs_fixture *f,
			    const struct tmpfs_options *opts)
{
	struct super_block *sb;

	memset(f, 0, sizeof(*f));
	f->kmalloc_before = host_kmalloc_live();
	host_clock_set_realtime_ns((uint64_t)FX_NOW_SEC * 1000000000ULL);
	if (!KEXPECT_EQ(vfs_create(6, &f->vfs), 0))
		return false;
	if (!KEXPECT_EQ(tmpfs_create(f->vfs, opts, &sb), 0))
		return false;
	if (!KEXPECT_EQ(vfs_mount_root(f->vfs, sb, MNT_RELATIME, &f->root), 0))
		return false;
	vfs_super_put(sb);
	fx_become_root(f);
	f->ctx = (struct vfs_ctx){f->root, f->root, &f->cred, 022};
	return true;
}

bool vfs_fixture_setup(struct ktest *t, struct vfs_fixture *f)
{
	struct tmpfs_options opts = {.mode = 0755};

	return vfs_fixture_setup_opts(t, f, &opts);
}

void vfs_fixture_teardown(struct ktest *t, struct vfs_fixture *f)
{
	if (!f->vfs)
		return;
	KEXPECT(vfs_is_consistent(f->vfs));
	if (f->root.mnt)
		vfs_path_put(&f->root);
	vfs_destroy(f->vfs);
	f->vfs = NULL;
	KEXPECT_EQ(host_kmalloc_live(), f->kmalloc_before);
}

void fx_become_user(struct vfs_fixture *f, uint32_t uid, uint32_t gid)
{
	f->cred = (struct vfs_cred){.fsuid = uid, .fsgid = gid, .groups = f->groups};
}

void fx_become_root(struct vfs_fixture *f)
{
	f->cred = (struct vfs_cred){.caps = VFS_CAPS_ALL, .groups = f->groups};
}

bool fx_make_tree(struct ktest *t, struct vfs_fixture *f)
{
	bool ok = KEXPECT_EQ(vfs_mkdir(&f->ctx, NULL, "/a", 0755), 0);

	ok &= KEXPECT_EQ(vfs_mkdir(&f->ctx, NULL, "/a/b", 0755), 0);
	ok &= KEXPECT_EQ(vfs_mkdir(&f->ctx, NULL, "/a/b/c", 0755), 0);
	ok &= KEXPECT_EQ(fx_write_file(f, "/a/file", 0644, "x", 1), 0);
	ok &= KEXPECT_EQ(fx_write_file(f, "/top", 0644, "y", 1), 0);
	return ok;
}

struct super_block *fx_new_tmpfs(struct ktest *t, struct vfs_fixture *f, uint32_t mode)
{
	struct tmpfs_options opts = {.mode = mode};
	struct super_block *sb = NULL;

	KEXPECT_EQ(tmpfs_create(f->vfs, &opts, &sb), 0);
	return sb;
}

int fx_open(struct vfs_fixture *f, const char *pathname, unsigned int flags, uint32_t mode,
	    struct file **out)
{
	return vfs_open(&f->ctx, NULL, pathname, flags, mode, out);
}

int fx_write_file(struct vfs_fixture *f, const char *pathname, uint32_t mode, const void *data,
		  size_t len)
{
	struct file *file;
	size_t done;
	int err = fx_open(f, pathname, O_WRONLY | O_CREAT | O_TRUNC, mode, &file);

	if (err)
		return err;
	err = vfs_write(file, data, len, &done);
	if (!err && done != len)
		err = -EIO;
	file_put(file);
	return err;
}

int fx_read_file(struct vfs_fixture *f, const char *pathname, void *buf, size_t size, size_t *len)
{
	struct file *file;
	int err = fx_open(f, pathname, O_RDONLY, 0, &file);

	if (err)
		return err;
	err = vfs_read(file, buf, size, len);
	file_put(file);
	return err;
}

int fx_stat(struct vfs_fixture *f, const char *pathname, bool nofollow, struct kstat *out)
{
	return vfs_stat(&f->ctx, NULL, pathname, nofollow ? AT_SYMLINK_NOFOLLOW : 0, out);
}

bool fx_exists(struct vfs_fixture *f, const char *pathname)
{
	struct kstat st;

	return fx_stat(f, pathname, true, &st) == 0;
}

KTEST(fixture, test_fixture_setup_teardown_leaks_nothing)
{
	struct vfs_fixture f;

	KASSERT(vfs_fixture_setup(t, &f));
	KEXPECT(fx_exists(&f, "/"));
	KEXPECT_EQ(fx_write_file(&f, "/a", 0644, "hello", 5), 0);
	vfs_fixture_teardown(t, &f);
}

KTEST(fixture, test_fixture_read_back_what_was_written)
{
	struct vfs_fixture f;
	char buf[16];
	size_t len;

	KASSERT(vfs_fixture_setup(t, &f));
	KEXPECT_EQ(fx_write_file(&f, "/a", 0644, "hello", 5), 0);
	KEXPECT_EQ(fx_read_file(&f, "/a", buf, sizeof(buf), &len), 0);
	KEXPECT_EQ(len, 5);
	KEXPECT(memcmp(buf, "hello", 5) == 0);
	vfs_fixture_teardown(t, &f);
}
