// SPDX-License-Identifier: MIT
/*
 * Host tests for fs/open.c: open(2)'s flags with Linux's errno for each
 * case: O_CREAT and O_EXCL (also through symlinks), O_TRUNC, O_DIRECTORY,
 * O_NOFOLLOW, O_PATH, O_TMPFILE, access modes and permissions, device
 * nodes through the registry, FIFOs and sockets.
 */
#include <host_fault.h>
#include <tern/errno.h>
#include <tern/string.h>
#include <tern/vfs_testing.h>

static int open_err(struct vfs_fixture *f, const char *pathname, unsigned int flags, uint32_t mode)
{
	struct file *file;
	int err = fx_open(f, pathname, flags, mode, &file);

	if (!err)
		file_put(file);
	return err;
}

static uint64_t size_of(struct vfs_fixture *f, const char *pathname)
{
	struct kstat st;

	return fx_stat(f, pathname, false, &st) ? UINT64_MAX : st.size;
}

KTEST(open, test_open_creat_makes_a_file)
{
	struct vfs_fixture f;
	struct file *file;
	struct kstat st;

	KASSERT(vfs_fixture_setup(t, &f));
	KEXPECT_EQ(vfs_chmod(&f.ctx, NULL, "/", 0777, 0), 0);
	fx_become_user(&f, 1000, 100);
	KASSERT_EQ(fx_open(&f, "/new", O_WRONLY | O_CREAT | O_CLOEXEC, 0666, &file), 0);
	KEXPECT(file->mode & FMODE_WRITE);
	KEXPECT(!(file->mode & FMODE_READ));
	KEXPECT(!(file->flags & O_CLOEXEC) && !(file->flags & O_CREAT));
	file_put(file);
	KEXPECT_EQ(fx_stat(&f, "/new", true, &st), 0);
	KEXPECT_EQ(st.mode, S_IFREG | 0644);
	KEXPECT_EQ(st.uid, 1000);
	KEXPECT_EQ(st.gid, 100);
	KEXPECT_EQ(st.nlink, 1);
	/* An existing file is just opened; O_EXCL refuses it. */
	KEXPECT_EQ(fx_write_file(&f, "/new", 0, "abc", 3), 0);
	KEXPECT_EQ(open_err(&f, "/new", O_RDWR | O_CREAT, 0600), 0);
	KEXPECT_EQ(size_of(&f, "/new"), 3);
	KEXPECT_EQ(open_err(&f, "/new", O_RDWR | O_CREAT | O_EXCL, 0600), -EEXIST);
	KEXPECT_EQ(open_err(&f, "/", O_RDONLY | O_CREAT | O_EXCL, 0600), -EEXIST);
	KEXPECT_EQ(open_err(&f, "/missing/x", O_RDWR | O_CREAT, 0600), -ENOENT);
	KEXPECT_EQ(open_err(&f, "/new/x", O_RDWR | O_CREAT, 0600), -ENOTDIR);
	fx_become_root(&f);
	vfs_fixture_teardown(t, &f);
}

KTEST(open, test_open_creat_through_symlinks)
{
	struct vfs_fixture f;

	KASSERT(vfs_fixture_setup(t, &f));
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, "/d", 0755), 0);
	KEXPECT_EQ(vfs_symlink(&f.ctx, "target", NULL, "/d/dangle"), 0);
	/* O_EXCL does not follow: the link itself exists. */
	KEXPECT_EQ(open_err(&f, "/d/dangle", O_WRONLY | O_CREAT | O_EXCL, 0644), -EEXIST);
	KEXPECT(!fx_exists(&f, "/d/target"));
	/* Without it, the target is created next to the link. */
	KEXPECT_EQ(open_err(&f, "/d/dangle", O_WRONLY | O_CREAT, 0644), 0);
	KEXPECT(fx_exists(&f, "/d/target"));
	KEXPECT_EQ(open_err(&f, "/d/dangle", O_WRONLY | O_CREAT | O_NOFOLLOW, 0644), -ELOOP);
	KEXPECT_EQ(vfs_symlink(&f.ctx, "/d/t2", NULL, "/abs"), 0);
	KEXPECT_EQ(open_err(&f, "/abs", O_WRONLY | O_CREAT, 0644), 0);
	KEXPECT(fx_exists(&f, "/d/t2"));
	vfs_fixture_teardown(t, &f);
}

KTEST(open, test_open_creat_on_directories_is_eisdir)
{
	struct vfs_fixture f;

	KASSERT(vfs_fixture_setup(t, &f));
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, "/d", 0755), 0);
	KEXPECT_EQ(open_err(&f, "/d", O_RDONLY | O_CREAT, 0644), -EISDIR);
	KEXPECT_EQ(open_err(&f, "/d/", O_RDONLY | O_CREAT, 0644), -EISDIR);
	KEXPECT_EQ(open_err(&f, "/new/", O_RDWR | O_CREAT, 0644), -EISDIR);
	KEXPECT_EQ(open_err(&f, "/d/.", O_RDONLY | O_CREAT, 0644), -EISDIR);
	KEXPECT(!fx_exists(&f, "/new"));
	KEXPECT_EQ(open_err(&f, "/x", O_RDONLY | O_CREAT | O_DIRECTORY, 0644), -EINVAL);
	KEXPECT(!fx_exists(&f, "/x"));
	vfs_fixture_teardown(t, &f);
}

KTEST(open, test_open_trunc)
{
	struct vfs_fixture f;
	struct kstat before;
	struct kstat after;

	KASSERT(vfs_fixture_setup(t, &f));
	KEXPECT_EQ(fx_write_file(&f, "/a", 0666, "hello", 5), 0);
	KEXPECT_EQ(fx_stat(&f, "/a", false, &before), 0);
	host_clock_set_realtime_ns((uint64_t)(FX_NOW_SEC + 10) * 1000000000ULL);
	KEXPECT_EQ(open_err(&f, "/a", O_RDONLY | O_TRUNC, 0), 0);
	KEXPECT_EQ(fx_stat(&f, "/a", false, &after), 0);
	KEXPECT_EQ(after.size, 0);
	KEXPECT_EQ(after.mtime.sec, FX_NOW_SEC + 10);
	KEXPECT_EQ(fx_write_file(&f, "/a", 0, "hello", 5), 0);
	KEXPECT_EQ(vfs_chmod(&f.ctx, NULL, "/a", 0644, 0), 0);
	fx_become_user(&f, 1000, 1000);
	KEXPECT_EQ(open_err(&f, "/a", O_RDONLY | O_TRUNC, 0), -EACCES);
	KEXPECT_EQ(size_of(&f, "/a"), 5);
	KEXPECT_EQ(open_err(&f, "/a", O_RDONLY, 0), 0);
	fx_become_root(&f);
	/* O_TRUNC asks for writing, which a directory refuses. */
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, "/d", 0755), 0);
	KEXPECT_EQ(open_err(&f, "/d", O_RDONLY | O_TRUNC, 0), -EISDIR);
	vfs_fixture_teardown(t, &f);
}

KTEST(open, test_open_directory_and_nofollow)
{
	struct vfs_fixture f;
	struct file *file;
	char buf[8];
	size_t len;

	KASSERT(vfs_fixture_setup(t, &f));
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, "/d", 0755), 0);
	KEXPECT_EQ(fx_write_file(&f, "/file", 0644, "", 0), 0);
	KEXPECT_EQ(vfs_symlink(&f.ctx, "d", NULL, "/dl"), 0);
	KEXPECT_EQ(vfs_symlink(&f.ctx, "file", NULL, "/fl"), 0);
	KEXPECT_EQ(open_err(&f, "/file", O_RDONLY | O_DIRECTORY, 0), -ENOTDIR);
	KEXPECT_EQ(open_err(&f, "/file/", O_RDONLY, 0), -ENOTDIR);
	KEXPECT_EQ(open_err(&f, "/dl", O_RDONLY | O_DIRECTORY, 0), 0);
	KEXPECT_EQ(open_err(&f, "/dl", O_RDONLY | O_DIRECTORY | O_NOFOLLOW, 0), -ENOTDIR);
	KEXPECT_EQ(open_err(&f, "/fl", O_RDONLY | O_NOFOLLOW, 0), -ELOOP);
	KEXPECT_EQ(open_err(&f, "/dl/", O_RDONLY | O_NOFOLLOW, 0), 0);
	KEXPECT_EQ(open_err(&f, "/fl", O_RDONLY, 0), 0);
	/* Directories open for reading only, and read(2) on one is EISDIR. */
	KEXPECT_EQ(open_err(&f, "/d", O_WRONLY, 0), -EISDIR);
	KEXPECT_EQ(open_err(&f, "/d", O_RDWR, 0), -EISDIR);
	KASSERT_EQ(fx_open(&f, "/d", O_RDONLY, 0, &file), 0);
	KEXPECT_EQ(vfs_read(file, buf, sizeof(buf), &len), -EISDIR);
	KEXPECT_EQ(vfs_write(file, buf, 1, &len), -EBADF);
	file_put(file);
	vfs_fixture_teardown(t, &f);
}

KTEST(open, test_open_access_modes_and_permissions)
{
	struct vfs_fixture f;
	struct file *file;
	char buf[8];
	size_t len;

	KASSERT(vfs_fixture_setup(t, &f));
	f.ctx.umask = 0;
	KEXPECT_EQ(fx_write_file(&f, "/ro", 0444, "r", 1), 0);
	KEXPECT_EQ(fx_write_file(&f, "/wo", 0222, "w", 1), 0);
	KEXPECT_EQ(fx_write_file(&f, "/none", 0, "n", 1), 0);
	fx_become_user(&f, 1000, 1000);
	KEXPECT_EQ(open_err(&f, "/ro", O_RDONLY, 0), 0);
	KEXPECT_EQ(open_err(&f, "/ro", O_WRONLY, 0), -EACCES);
	KEXPECT_EQ(open_err(&f, "/ro", O_RDWR, 0), -EACCES);
	KEXPECT_EQ(open_err(&f, "/wo", O_WRONLY, 0), 0);
	KEXPECT_EQ(open_err(&f, "/wo", O_RDONLY, 0), -EACCES);
	KEXPECT_EQ(open_err(&f, "/none", O_RDONLY, 0), -EACCES);
	KEXPECT_EQ(open_err(&f, "/none", O_RDONLY | O_NOATIME, 0), -EACCES);
	KEXPECT_EQ(open_err(&f, "/ro", O_RDONLY | O_NOATIME, 0), -EPERM);
	fx_become_root(&f);
	KEXPECT_EQ(open_err(&f, "/none", O_RDWR | O_NOATIME, 0), 0);
	/* O_ACCMODE 3: permission for both, but neither read nor write. */
	KASSERT_EQ(fx_open(&f, "/none", 3, 0, &file), 0);
	KEXPECT_EQ(vfs_read(file, buf, 1, &len), -EBADF);
	KEXPECT_EQ(vfs_write(file, buf, 1, &len), -EBADF);
	file_put(file);
	fx_become_user(&f, 1000, 1000);
	KEXPECT_EQ(open_err(&f, "/ro", 3, 0), -EACCES);
	fx_become_root(&f);
	vfs_fixture_teardown(t, &f);
}

KTEST(open, test_open_o_path)
{
	struct vfs_fixture f;
	struct file *file;
	struct kstat st;
	char buf[8];
	size_t len;
	int64_t pos;

	KASSERT(vfs_fixture_setup(t, &f));
	KEXPECT_EQ(fx_write_file(&f, "/none", 0, "n", 1), 0);
	KEXPECT_EQ(vfs_symlink(&f.ctx, "none", NULL, "/l"), 0);
	fx_become_user(&f, 1000, 1000);
	KASSERT_EQ(fx_open(&f, "/none", O_PATH | O_RDWR | O_TRUNC, 0, &file), 0);
	KEXPECT_EQ(file->mode, FMODE_PATH);
	KEXPECT_EQ(vfs_read(file, buf, 1, &len), -EBADF);
	KEXPECT_EQ(vfs_write(file, buf, 1, &len), -EBADF);
	KEXPECT_EQ(vfs_lseek(file, 0, SEEK_SET, &pos), -EBADF);
	KEXPECT_EQ(vfs_ftruncate(file, 0), -EBADF);
	vfs_fstat(file, &st);
	KEXPECT_EQ(st.size, 1);
	file_put(file);
	KASSERT_EQ(fx_open(&f, "/l", O_PATH | O_NOFOLLOW, 0, &file), 0);
	KEXPECT(S_ISLNK(file->inode->mode));
	KEXPECT_EQ(vfs_readlink(&f.ctx, &file->path, "", buf, sizeof(buf), &len), 0);
	KEXPECT(len == 4 && memcmp(buf, "none", 4) == 0);
	file_put(file);
	/* O_PATH drops O_CREAT: nothing is made. */
	KEXPECT_EQ(open_err(&f, "/x", O_PATH | O_CREAT, 0644), -ENOENT);
	KEXPECT_EQ(open_err(&f, "/none", O_PATH | O_DIRECTORY, 0), -ENOTDIR);
	fx_become_root(&f);
	vfs_fixture_teardown(t, &f);
}

KTEST(open, test_open_tmpfile)
{
	struct vfs_fixture f;
	struct file *file;
	struct kstat st;
	char buf[8];
	size_t len;

	KASSERT(vfs_fixture_setup(t, &f));
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, "/d", 0755), 0);
	KEXPECT_EQ(fx_write_file(&f, "/file", 0644, "", 0), 0);
	KEXPECT_EQ(open_err(&f, "/d", O_TMPFILE | O_RDONLY, 0600), -EINVAL);
	KEXPECT_EQ(open_err(&f, "/d", __O_TMPFILE | O_RDWR, 0600), -EINVAL);
	KEXPECT_EQ(open_err(&f, "/d", O_TMPFILE | O_CREAT | O_RDWR, 0600), -EINVAL);
	KEXPECT_EQ(open_err(&f, "/file", O_TMPFILE | O_RDWR, 0600), -ENOTDIR);
	KEXPECT_EQ(open_err(&f, "/missing", O_TMPFILE | O_RDWR, 0600), -ENOENT);
	/* Unnamed until linked; gone when closed unlinked. */
	KEXPECT_EQ(open_err(&f, "/d", O_TMPFILE | O_RDWR, 0600), 0);
	KASSERT_EQ(fx_open(&f, "/d", O_TMPFILE | O_RDWR, 0666, &file), 0);
	vfs_fstat(file, &st);
	KEXPECT_EQ(st.nlink, 0);
	KEXPECT_EQ(st.mode, S_IFREG | 0644);
	KEXPECT_EQ(vfs_write(file, "tmp", 3, &len), 0);
	KEXPECT_EQ(vfs_link(&f.ctx, &file->path, "", NULL, "/d/named", AT_EMPTY_PATH), 0);
	vfs_fstat(file, &st);
	KEXPECT_EQ(st.nlink, 1);
	file_put(file);
	KEXPECT_EQ(fx_read_file(&f, "/d/named", buf, sizeof(buf), &len), 0);
	KEXPECT(len == 3 && memcmp(buf, "tmp", 3) == 0);
	/* With O_EXCL it can never be linked. */
	KASSERT_EQ(fx_open(&f, "/d", O_TMPFILE | O_EXCL | O_WRONLY, 0600, &file), 0);
	KEXPECT_EQ(vfs_link(&f.ctx, &file->path, "", NULL, "/d/x", AT_EMPTY_PATH), -ENOENT);
	file_put(file);
	KEXPECT(vfs_is_consistent(f.vfs));
	vfs_fixture_teardown(t, &f);
}

KTEST(open, test_open_device_nodes_use_the_registry)
{
	struct vfs_fixture f;
	struct file *file;
	char buf[4] = {1, 2, 3, 4};
	size_t len;

	KASSERT(vfs_fixture_setup(t, &f));
	KEXPECT_EQ(vfs_mknod(&f.ctx, NULL, "/null", S_IFCHR | 0666, dev_make(1, 3)), 0);
	KEXPECT_EQ(vfs_mknod(&f.ctx, NULL, "/zero", S_IFCHR | 0666, dev_make(1, 5)), 0);
	KEXPECT_EQ(vfs_mknod(&f.ctx, NULL, "/nodrv", S_IFCHR | 0666, dev_make(42, 0)), 0);
	KEXPECT_EQ(vfs_mknod(&f.ctx, NULL, "/blk", S_IFBLK | 0666, dev_make(8, 0)), 0);
	KEXPECT_EQ(vfs_mknod(&f.ctx, NULL, "/fifo", S_IFIFO | 0666, 0), 0);
	KEXPECT_EQ(vfs_mknod(&f.ctx, NULL, "/sock", S_IFSOCK | 0666, 0), 0);
	KEXPECT_EQ(open_err(&f, "/null", O_RDWR, 0), -ENXIO);
	KEXPECT_EQ(vfs_register_mem_devices(f.vfs), 0);
	KEXPECT_EQ(open_err(&f, "/nodrv", O_RDWR, 0), -ENXIO);
	KEXPECT_EQ(open_err(&f, "/blk", O_RDWR, 0), -ENXIO);
	KEXPECT_EQ(open_err(&f, "/fifo", O_RDWR, 0), -ENXIO);
	KEXPECT_EQ(open_err(&f, "/sock", O_RDWR, 0), -ENXIO);
	KASSERT_EQ(fx_open(&f, "/zero", O_RDWR | O_TRUNC, 0, &file), 0);
	KEXPECT_EQ(vfs_read(file, buf, sizeof(buf), &len), 0);
	KEXPECT(len == 4 && buf[0] == 0 && buf[3] == 0);
	file_put(file);
	/* Device permissions are the node's. */
	KEXPECT_EQ(vfs_chmod(&f.ctx, NULL, "/null", 0600, 0), 0);
	fx_become_user(&f, 1000, 1000);
	KEXPECT_EQ(open_err(&f, "/null", O_WRONLY, 0), -EACCES);
	fx_become_root(&f);
	vfs_fixture_teardown(t, &f);
}

static int fifo_open_calls;

static int fake_fifo_open(struct inode *inode, struct file *file)
{
	(void)inode;
	fifo_open_calls++;
	return (file->flags & O_NONBLOCK) ? -ENXIO : 0;
}

static const struct file_ops fake_fifo_ops = {.open = fake_fifo_open};

KTEST(open, test_open_fifo_goes_to_the_fifo_ops)
{
	struct vfs_fixture f;
	struct file *file;
	int64_t pos;
	size_t len;

	KASSERT(vfs_fixture_setup(t, &f));
	KEXPECT_EQ(vfs_mknod(&f.ctx, NULL, "/fifo", S_IFIFO | 0666, 0), 0);
	vfs_set_fifo_ops(f.vfs, &fake_fifo_ops);
	fifo_open_calls = 0;
	KEXPECT_EQ(open_err(&f, "/fifo", O_WRONLY | O_NONBLOCK, 0), -ENXIO);
	KASSERT_EQ(fx_open(&f, "/fifo", O_RDONLY, 0, &file), 0);
	KEXPECT_EQ(fifo_open_calls, 2);
	KEXPECT_EQ(vfs_lseek(file, 0, SEEK_SET, &pos), -ESPIPE);
	KEXPECT_EQ(vfs_pread(file, &pos, 1, 0, &len), -ESPIPE);
	KEXPECT_EQ(vfs_read(file, &pos, 1, &len), -EINVAL);
	file_put(file);
	vfs_fixture_teardown(t, &f);
}

KTEST(open, test_open_path_of_resolved_position)
{
	struct vfs_fixture f;
	struct file *file;
	struct path p;
	size_t len;

	KASSERT(vfs_fixture_setup(t, &f));
	KEXPECT_EQ(fx_write_file(&f, "/a", 0644, "abc", 3), 0);
	KASSERT_EQ(vfs_lookup(&f.ctx, NULL, "/a", 0, &p), 0);
	KEXPECT_EQ(vfs_open_path(&f.ctx, &p, O_RDONLY | O_DIRECTORY, &file), -ENOTDIR);
	KEXPECT_EQ(vfs_open_path(&f.ctx, &p, O_RDONLY | O_CREAT, &file), -EINVAL);
	KASSERT_EQ(vfs_open_path(&f.ctx, &p, O_WRONLY | O_TRUNC, &file), 0);
	KEXPECT_EQ(vfs_write(file, "z", 1, &len), 0);
	file_put(file);
	KEXPECT_EQ(size_of(&f, "/a"), 1);
	fx_become_user(&f, 1000, 1000);
	KEXPECT_EQ(vfs_open_path(&f.ctx, &p, O_WRONLY, &file), -EACCES);
	fx_become_root(&f);
	vfs_path_put(&p);
	vfs_fixture_teardown(t, &f);
}

KTEST(open, test_open_exec_needs_execute_not_read)
{
	struct vfs_fixture f;
	struct file *file;
	char buf[4];
	size_t len;

	KASSERT(vfs_fixture_setup(t, &f));
	f.ctx.umask = 0;
	KEXPECT_EQ(fx_write_file(&f, "/prog", 0111, "ELF", 3), 0);
	KEXPECT_EQ(fx_write_file(&f, "/data", 0644, "", 0), 0);
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, "/d", 0777), 0);
	KEXPECT_EQ(vfs_symlink(&f.ctx, "prog", NULL, "/l"), 0);
	fx_become_user(&f, 1000, 1000);
	KASSERT_EQ(vfs_open_exec(&f.ctx, NULL, "/l", 0, &file), 0);
	KEXPECT_EQ(vfs_read(file, buf, sizeof(buf), &len), 0);
	KEXPECT(len == 3 && memcmp(buf, "ELF", 3) == 0);
	KEXPECT_EQ(vfs_write(file, buf, 1, &len), -EBADF);
	file_put(file);
	KEXPECT_EQ(vfs_open_exec(&f.ctx, NULL, "/l", AT_SYMLINK_NOFOLLOW, &file), -ELOOP);
	KEXPECT_EQ(vfs_open_exec(&f.ctx, NULL, "/data", 0, &file), -EACCES);
	KEXPECT_EQ(vfs_open_exec(&f.ctx, NULL, "/d", 0, &file), -EACCES);
	KEXPECT_EQ(vfs_open_exec(&f.ctx, NULL, "/missing", 0, &file), -ENOENT);
	KEXPECT_EQ(vfs_open_exec(&f.ctx, NULL, "/prog", AT_REMOVEDIR, &file), -EINVAL);
	fx_become_root(&f);
	/* Root needs an execute bit too. */
	KEXPECT_EQ(vfs_open_exec(&f.ctx, NULL, "/data", 0, &file), -EACCES);
	vfs_fixture_teardown(t, &f);
}
