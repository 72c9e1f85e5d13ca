// SPDX-License-Identifier: MIT
/*
 * Host tests for fs/anon_file.c: files with no name on a pseudo file
 * system, what fstat and fstatfs see of them, and that inodes, dentries
 * and the internal mount all go away.
 */
#include <host_fault.h>
#include <linux/magic.h>
#include <tern/anon_file.h>
#include <tern/errno.h>
#include <tern/string.h>
#include <tern/vfs_testing.h>

static int nr_released;

static void count_release(struct file *file)
{
	(void)file;
	nr_released++;
}

static const struct file_ops counted_ops = {.release = count_release};

static struct anon_file_spec spec_for(struct vfs_fixture *f)
{
	return (struct anon_file_spec){
		.mode = S_IFIFO | 0600,
		.name = "pipe:",
		.ops = &counted_ops,
		.fmode = FMODE_WRITE,
		.flags = O_WRONLY,
		.cred = &f->cred,
	};
}

KTEST(anon_file, test_anon_file_two_ends_share_an_inode)
{
	struct vfs_fixture f;
	struct anon_fs *fs;
	struct file *a, *b, *c;
	struct kstat ka, kb, kc;
	struct statfs sfs;

	KASSERT(vfs_fixture_setup(t, &f));
	KASSERT_EQ(anon_fs_create(f.vfs, PIPEFS_MAGIC, &fs), 0);
	fx_become_user(&f, 1000, 100);
	struct anon_file_spec spec = spec_for(&f);
	nr_released = 0;
	KASSERT_EQ(anon_file_create(fs, &spec, &a), 0);
	spec.fmode = FMODE_READ;
	spec.flags = O_RDONLY;
	KASSERT_EQ(anon_file_open_again(a, &spec, &b), 0);
	KASSERT_EQ(anon_file_create(fs, &spec, &c), 0);
	vfs_fstat(a, &ka);
	vfs_fstat(b, &kb);
	vfs_fstat(c, &kc);
	KEXPECT_EQ(ka.mode, S_IFIFO | 0600);
	KEXPECT_EQ(ka.ino, kb.ino);
	KEXPECT(ka.ino != kc.ino);
	KEXPECT_EQ(ka.uid, 1000);
	KEXPECT_EQ(ka.gid, 100);
	KEXPECT_EQ(ka.nlink, 1);
	KEXPECT_EQ(ka.size, 0);
	vfs_statfs_path(&a->path, &sfs);
	KEXPECT_EQ(sfs.f_type, PIPEFS_MAGIC);
	KEXPECT(strcmp(a->path.dentry->name, "pipe:[2]") == 0);
	KEXPECT_EQ(a->mode, FMODE_WRITE);
	KEXPECT_EQ(b->mode, FMODE_READ);
	KEXPECT(vfs_is_consistent(f.vfs));
	int64_t pos;
	size_t done;
	KEXPECT_EQ(vfs_lseek(a, 0, SEEK_SET, &pos), -ESPIPE);
	KEXPECT_EQ(vfs_read(a, &pos, 1, &done), -EBADF);
	file_put(a);
	file_put(c);
	KEXPECT(vfs_is_consistent(f.vfs));
	file_put(b);
	KEXPECT_EQ(nr_released, 3);
	anon_fs_destroy(fs);
	vfs_fixture_teardown(t, &f);
}

KTEST(anon_file, test_anon_file_survives_every_allocation_failure)
{
	for (unsigned int n = 1; n < 12; n++) {
		struct vfs_fixture f;
		struct anon_fs *fs;
		struct file *a, *b;

		KASSERT(vfs_fixture_setup(t, &f));
		struct anon_file_spec spec = spec_for(&f);
		spec.name = "anon_inode:[eventfd]";
		spec.mode = 0600;
		host_fail_kmalloc_nth(n);
		int err = anon_fs_create(f.vfs, ANON_INODE_FS_MAGIC, &fs);
		if (!err) {
			err = anon_file_create(fs, &spec, &a);
			if (!err) {
				KEXPECT(strcmp(a->path.dentry->name, "anon_inode:[eventfd]") == 0);
				if (anon_file_open_again(a, &spec, &b) == 0)
					file_put(b);
				file_put(a);
			}
			host_fail_kmalloc_nth(0);
			anon_fs_destroy(fs);
		}
		KEXPECT(err == 0 || err == -ENOMEM);
		host_fail_kmalloc_nth(0);
		vfs_fixture_teardown(t, &f);
	}
}
