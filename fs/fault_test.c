// SPDX-License-Identifier: MIT
/*
 * Allocation failures across fs/: each key operation runs on a fresh
 * VFS with its 1st, 2nd, 3rd... allocation failing until it succeeds.
 * Every failure must be -ENOMEM, change nothing visible, leave the VFS
 * consistent and leak nothing (the fixture checks at teardown).
 */
#include <host_fault.h>
#include <tern/errno.h>
#include <tern/string.h>
#include <tern/vfs_testing.h>

#define LONG_A "/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define NAME_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define LONG_B "/d/" NAME_B

typedef bool (*prepare_fn)(struct ktest *t, struct vfs_fixture *f);
typedef int (*op_fn)(struct vfs_fixture *f);
/* Checks the state after op returned err (0 or -ENOMEM). */
typedef bool (*check_fn)(struct ktest *t, struct vfs_fixture *f, int err);

static struct file *held_file; /* an op's open file, closed after the check */

static void run_with_failures(struct ktest *t, prepare_fn prepare, op_fn op, check_fn check)
{
	int err = -ENOMEM;
	unsigned int n;

	for (n = 1; err == -ENOMEM && n < 500; n++) {
		struct vfs_fixture f;

		if (!vfs_fixture_setup(t, &f))
			return;
		held_file = NULL;
		if (!prepare || prepare(t, &f)) {
			vfs_shrink_dcache(f.vfs, UINT64_MAX);
			host_fail_kmalloc_nth(n);
			err = op(&f);
			host_fail_kmalloc_nth(0);
			KEXPECT(err == 0 || err == -ENOMEM);
			KEXPECT(check(t, &f, err));
		}
		if (held_file)
			file_put(held_file);
		vfs_fixture_teardown(t, &f);
	}
	KEXPECT_EQ(err, 0);
	KEXPECT(n > 2);
}

static bool prepare_tree(struct ktest *t, struct vfs_fixture *f)
{
	bool ok = KEXPECT_EQ(vfs_mkdir(&f->ctx, NULL, "/d", 0755), 0);

	ok &= KEXPECT_EQ(fx_write_file(f, LONG_A, 0644, "a", 1), 0);
	ok &= KEXPECT_EQ(fx_write_file(f, "/d/f", 0644, "f", 1), 0);
	ok &= KEXPECT_EQ(vfs_symlink(&f->ctx, "/d", NULL, "/dl"), 0);
	return ok;
}

static int op_mkdir(struct vfs_fixture *f)
{
	return vfs_mkdir(&f->ctx, NULL, LONG_B, 0755);
}

static bool check_exists_iff_done(struct ktest *t, struct vfs_fixture *f, int err)
{
	return KEXPECT_EQ(fx_exists(f, LONG_B), err == 0);
}

KTEST(fault, test_fault_mkdir)
{
	run_with_failures(t, prepare_tree, op_mkdir, check_exists_iff_done);
}

static int op_symlink(struct vfs_fixture *f)
{
	return vfs_symlink(&f->ctx, LONG_A LONG_A, NULL, LONG_B);
}

KTEST(fault, test_fault_symlink)
{
	run_with_failures(t, prepare_tree, op_symlink, check_exists_iff_done);
}

static int op_mknod(struct vfs_fixture *f)
{
	return vfs_mknod(&f->ctx, NULL, LONG_B, S_IFCHR | 0600, dev_make(1, 3));
}

KTEST(fault, test_fault_mknod)
{
	run_with_failures(t, prepare_tree, op_mknod, check_exists_iff_done);
}

static int op_open_creat(struct vfs_fixture *f)
{
	return fx_open(f, "/dl/../dl/" NAME_B, O_RDWR | O_CREAT, 0644, &held_file);
}

KTEST(fault, test_fault_open_creat)
{
	run_with_failures(t, prepare_tree, op_open_creat, check_exists_iff_done);
}

static int op_link(struct vfs_fixture *f)
{
	return vfs_link(&f->ctx, NULL, LONG_A, NULL, LONG_B, 0);
}

static bool check_link(struct ktest *t, struct vfs_fixture *f, int err)
{
	struct kstat st;

	return KEXPECT_EQ(fx_exists(f, LONG_B), err == 0) &&
	       KEXPECT_EQ(fx_stat(f, LONG_A, false, &st), 0) &&
	       KEXPECT_EQ(st.nlink, err == 0 ? 2 : 1);
}

KTEST(fault, test_fault_link)
{
	run_with_failures(t, prepare_tree, op_link, check_link);
}

static int op_rename(struct vfs_fixture *f)
{
	return vfs_rename(&f->ctx, NULL, LONG_A, NULL, LONG_B, 0);
}

static bool check_rename(struct ktest *t, struct vfs_fixture *f, int err)
{
	return KEXPECT_EQ(fx_exists(f, LONG_B), err == 0) &&
	       KEXPECT_EQ(fx_exists(f, LONG_A), err != 0);
}

KTEST(fault, test_fault_rename)
{
	run_with_failures(t, prepare_tree, op_rename, check_rename);
}

static int op_exchange(struct vfs_fixture *f)
{
	return vfs_rename(&f->ctx, NULL, LONG_A, NULL, "/d/f", RENAME_EXCHANGE);
}

static bool check_exchange(struct ktest *t, struct vfs_fixture *f, int err)
{
	char buf[4];
	size_t len;

	return KEXPECT_EQ(fx_read_file(f, "/d/f", buf, sizeof(buf), &len), 0) &&
	       KEXPECT(len == 1 && buf[0] == (err ? 'f' : 'a'));
}

KTEST(fault, test_fault_rename_exchange)
{
	run_with_failures(t, prepare_tree, op_exchange, check_exchange);
}

static int op_unlink(struct vfs_fixture *f)
{
	return vfs_unlink(&f->ctx, NULL, "/dl/f");
}

static bool check_unlink(struct ktest *t, struct vfs_fixture *f, int err)
{
	return KEXPECT_EQ(fx_exists(f, "/d/f"), err != 0);
}

KTEST(fault, test_fault_unlink)
{
	run_with_failures(t, prepare_tree, op_unlink, check_unlink);
}

static int op_tmpfile(struct vfs_fixture *f)
{
	int err = fx_open(f, "/dl", O_TMPFILE | O_RDWR, 0600, &held_file);

	return err ? err : vfs_link(&f->ctx, &held_file->path, "", NULL, LONG_B, AT_EMPTY_PATH);
}

KTEST(fault, test_fault_tmpfile_and_link)
{
	run_with_failures(t, prepare_tree, op_tmpfile, check_exists_iff_done);
}

static int op_write_far(struct vfs_fixture *f)
{
	static char data[3 * PAGE_SIZE];
	size_t done;
	int err;

	memset(data, 'w', sizeof(data));
	err = fx_open(f, LONG_A, O_RDWR, 0, &held_file);
	if (!err)
		err = vfs_pwrite(held_file, data, sizeof(data), 1LL << 40, &done);
	return err;
}

static bool check_write_far(struct ktest *t, struct vfs_fixture *f, int err)
{
	char c = 0;
	size_t len;
	struct kstat st;

	if (!held_file)
		return KEXPECT_EQ(err, -ENOMEM);
	vfs_fstat(held_file, &st);
	if (err)
		return KEXPECT_EQ(st.size, 1);
	/* A short write is a success: what was written reads back. */
	KEXPECT(st.size > (1ULL << 40) && st.size <= (1ULL << 40) + 3 * PAGE_SIZE);
	KEXPECT_EQ(vfs_pread(held_file, &c, 1, 1LL << 40, &len), 0);
	return KEXPECT(c == 'w') && KEXPECT(fx_exists(f, LONG_A));
}

KTEST(fault, test_fault_write_far_out)
{
	run_with_failures(t, prepare_tree, op_write_far, check_write_far);
}

static int op_mount(struct vfs_fixture *f)
{
	struct tmpfs_options opts = {.mode = 0755};
	struct super_block *sb;
	int err = tmpfs_create(f->vfs, &opts, &sb);

	if (err)
		return err;
	err = vfs_mount(&f->ctx, NULL, "/dl", sb, MNT_RELATIME);
	vfs_super_put(sb);
	return err;
}

static bool check_mount(struct ktest *t, struct vfs_fixture *f, int err)
{
	return KEXPECT_EQ(fx_exists(f, "/d/f"), err != 0) &&
	       (err || KEXPECT_EQ(vfs_umount(&f->ctx, NULL, "/d"), 0));
}

KTEST(fault, test_fault_mount)
{
	run_with_failures(t, prepare_tree, op_mount, check_mount);
}

static int op_bind(struct vfs_fixture *f)
{
	return vfs_bind_mount(&f->ctx, NULL, "/dl/f", NULL, LONG_A);
}

static bool check_bind(struct ktest *t, struct vfs_fixture *f, int err)
{
	char buf[4];
	size_t len;

	return KEXPECT_EQ(fx_read_file(f, LONG_A, buf, sizeof(buf), &len), 0) &&
	       KEXPECT(buf[0] == (err ? 'a' : 'f')) &&
	       (err || KEXPECT_EQ(vfs_umount(&f->ctx, NULL, LONG_A), 0));
}

KTEST(fault, test_fault_bind_mount)
{
	run_with_failures(t, prepare_tree, op_bind, check_bind);
}

static int op_attrs(struct vfs_fixture *f)
{
	struct kstat st;
	int err = vfs_chmod(&f->ctx, NULL, "/dl/f", 0600, 0);

	if (!err)
		err = vfs_stat(&f->ctx, NULL, LONG_A, 0, &st);
	return err;
}

static bool check_attrs(struct ktest *t, struct vfs_fixture *f, int err)
{
	struct kstat st;

	return KEXPECT_EQ(fx_stat(f, "/d/f", false, &st), 0) &&
	       (err || KEXPECT_EQ(st.mode, S_IFREG | 0600));
}

KTEST(fault, test_fault_lookups)
{
	run_with_failures(t, prepare_tree, op_attrs, check_attrs);
}

KTEST(fault, test_fault_vfs_and_tmpfs_creation)
{
	struct tmpfs_options opts = {.mode = 0755};
	long live = host_kmalloc_live();
	int err = -ENOMEM;
	unsigned int n;

	for (n = 1; err == -ENOMEM && n < 50; n++) {
		struct super_block *sb = NULL;
		struct vfs *vfs = NULL;
		struct path root;

		host_fail_kmalloc_nth(n);
		err = vfs_create(4, &vfs);
		if (!err)
			err = tmpfs_create(vfs, &opts, &sb);
		if (!err)
			err = vfs_mount_root(vfs, sb, MNT_RELATIME, &root);
		if (!err)
			err = vfs_register_mem_devices(vfs);
		host_fail_kmalloc_nth(0);
		KEXPECT(err == 0 || err == -ENOMEM);
		if (sb)
			vfs_super_put(sb);
		if (vfs && vfs->root_mount)
			vfs_path_put(&root);
		if (vfs)
			vfs_destroy(vfs);
		KEXPECT_EQ(host_kmalloc_live(), live);
	}
	KEXPECT_EQ(err, 0);
	KEXPECT(n > 5);
}
