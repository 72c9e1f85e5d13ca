// SPDX-License-Identifier: MIT
/*
 * Host tests for fs/stat.c: stat and statx layouts, device number
 * encodings, statfs of tmpfs, readlink, and the names getcwd(2) shows
 * (mounts, chroot, deleted directories, short buffers).
 */
#include <tern/errno.h>
#include <tern/string.h>
#include <tern/vfs_testing.h>

KTEST(stat, test_dev_encoding_round_trips)
{
	uint32_t dev = dev_make(259, 0x12345);

	KEXPECT_EQ(dev_major(dev), 259);
	KEXPECT_EQ(dev_minor(dev), 0x12345);
	/* The "huge" encoding of stat(2): minor's low byte, major, minor's high bits. */
	KEXPECT_EQ(dev_to_user(dev_make(8, 1)), 0x801);
	KEXPECT_EQ(dev_to_user(dev), 0x12310345ULL);
	KEXPECT_EQ(dev_from_user(dev_to_user(dev)), dev);
	KEXPECT_EQ(dev_from_user(0x0103), dev_make(1, 3));
}

KTEST(stat, test_stat_and_statx_layouts)
{
	struct vfs_fixture f;
	struct kstat ks;
	struct stat st;
	struct statx sx;

	KASSERT(vfs_fixture_setup(t, &f));
	KEXPECT_EQ(fx_write_file(&f, "/a", 0640, "12345", 5), 0);
	KEXPECT_EQ(vfs_chown(&f.ctx, NULL, "/a", 7, 8, 0), 0);
	KEXPECT_EQ(vfs_mknod(&f.ctx, NULL, "/null", S_IFCHR | 0666, dev_make(1, 3)), 0);
	KASSERT_EQ(fx_stat(&f, "/a", false, &ks), 0);
	vfs_fill_stat(&ks, &st);
	KEXPECT_EQ(st.st_ino, ks.ino);
	KEXPECT_EQ(st.st_mode, S_IFREG | 0640);
	KEXPECT_EQ(st.st_nlink, 1);
	KEXPECT(st.st_uid == 7 && st.st_gid == 8);
	KEXPECT_EQ(st.st_size, 5);
	KEXPECT_EQ(st.st_blocks, 8);
	KEXPECT_EQ(st.st_blksize, PAGE_SIZE);
	KEXPECT_EQ(st.st_mtime, FX_NOW_SEC);
	KEXPECT_EQ(st.st_dev, dev_to_user(f.root.dentry->sb->dev));
	KEXPECT_EQ(dev_major(f.root.dentry->sb->dev), 0);
	vfs_fill_statx(&ks, STATX_BASIC_STATS, &sx);
	KEXPECT_EQ(sx.stx_mask & STATX_BASIC_STATS, STATX_BASIC_STATS);
	KEXPECT_EQ(sx.stx_mode, S_IFREG | 0640);
	KEXPECT_EQ(sx.stx_size, 5);
	KEXPECT_EQ(sx.stx_mtime.tv_sec, FX_NOW_SEC);
	KEXPECT_EQ(sx.stx_mnt_id, f.root.mnt->id);
	KEXPECT_EQ(sx.stx_dev_minor, dev_minor(f.root.dentry->sb->dev));
	KEXPECT(!(sx.stx_mask & STATX_BTIME) && !(sx.stx_attributes & STATX_ATTR_MOUNT_ROOT));
	vfs_fill_statx(&ks, STATX_BTIME, &sx);
	KEXPECT((sx.stx_mask & STATX_BTIME) && sx.stx_btime.tv_sec == FX_NOW_SEC);
	KASSERT_EQ(fx_stat(&f, "/", false, &ks), 0);
	vfs_fill_statx(&ks, 0, &sx);
	KEXPECT(sx.stx_attributes & STATX_ATTR_MOUNT_ROOT);
	KASSERT_EQ(fx_stat(&f, "/null", false, &ks), 0);
	vfs_fill_stat(&ks, &st);
	KEXPECT_EQ(st.st_rdev, 0x103);
	vfs_fill_statx(&ks, 0, &sx);
	KEXPECT(sx.stx_rdev_major == 1 && sx.stx_rdev_minor == 3);
	KEXPECT_EQ(vfs_stat(&f.ctx, NULL, "/a", AT_REMOVEDIR, &ks), -EINVAL);
	KEXPECT_EQ(vfs_stat(&f.ctx, NULL, "/a", AT_STATX_DONT_SYNC | AT_NO_AUTOMOUNT, &ks), 0);
	vfs_fixture_teardown(t, &f);
}

KTEST(stat, test_statfs_of_tmpfs)
{
	struct tmpfs_options opts = {.mode = 0755, .max_pages = 100, .max_inodes = 10};
	struct vfs_fixture f;
	struct statfs sf;
	static char page[PAGE_SIZE];

	KASSERT(vfs_fixture_setup_opts(t, &f, &opts));
	KEXPECT_EQ(fx_write_file(&f, "/a", 0644, page, sizeof(page)), 0);
	KEXPECT_EQ(vfs_statfs(&f.ctx, NULL, "/a", &sf), 0);
	KEXPECT_EQ(sf.f_type, 0x01021994);
	KEXPECT_EQ(sf.f_bsize, PAGE_SIZE);
	KEXPECT_EQ(sf.f_blocks, 100);
	KEXPECT_EQ(sf.f_bfree, 99);
	KEXPECT_EQ(sf.f_bavail, 99);
	KEXPECT_EQ(sf.f_files, 10);
	KEXPECT_EQ(sf.f_ffree, 8);
	KEXPECT_EQ(sf.f_namelen, NAME_MAX);
	KEXPECT_EQ(sf.f_frsize, PAGE_SIZE);
	KEXPECT(sf.f_flags & 0x20);
	vfs_fixture_teardown(t, &f);
	/* Without limits, Linux reports zero blocks and files. */
	KASSERT(vfs_fixture_setup(t, &f));
	vfs_statfs_path(&f.root, &sf);
	KEXPECT(sf.f_blocks == 0 && sf.f_files == 0 && sf.f_type == 0x01021994);
	KEXPECT_EQ(vfs_statfs(&f.ctx, NULL, "/missing", &sf), -ENOENT);
	vfs_fixture_teardown(t, &f);
}

KTEST(stat, test_readlink)
{
	struct vfs_fixture f;
	struct file *file;
	char buf[16];
	size_t len;

	KASSERT(vfs_fixture_setup(t, &f));
	KEXPECT_EQ(vfs_symlink(&f.ctx, "some/target", NULL, "/l"), 0);
	KEXPECT_EQ(fx_write_file(&f, "/file", 0644, "", 0), 0);
	KEXPECT_EQ(vfs_readlink(&f.ctx, NULL, "/l", buf, sizeof(buf), &len), 0);
	KEXPECT(len == 11 && memcmp(buf, "some/target", 11) == 0);
	KEXPECT_EQ(vfs_readlink(&f.ctx, NULL, "/l", buf, 4, &len), 0);
	KEXPECT(len == 4 && memcmp(buf, "some", 4) == 0);
	KEXPECT_EQ(vfs_readlink(&f.ctx, NULL, "/l", buf, 0, &len), -EINVAL);
	KEXPECT_EQ(vfs_readlink(&f.ctx, NULL, "/file", buf, sizeof(buf), &len), -EINVAL);
	KEXPECT_EQ(vfs_readlink(&f.ctx, NULL, "/missing", buf, sizeof(buf), &len), -ENOENT);
	KEXPECT_EQ(vfs_readlink(&f.ctx, NULL, "", buf, sizeof(buf), &len), -ENOENT);
	KEXPECT_EQ(vfs_readlink(&f.ctx, NULL, "/l/", buf, sizeof(buf), &len), -ENOENT);
	KASSERT_EQ(fx_open(&f, "/l", O_PATH | O_NOFOLLOW, 0, &file), 0);
	KEXPECT_EQ(vfs_readlink(&f.ctx, &file->path, "", buf, sizeof(buf), &len), 0);
	KEXPECT_EQ(len, 11);
	file_put(file);
	vfs_fixture_teardown(t, &f);
}

static bool name_is(struct ktest *t, struct vfs_fixture *f, const struct path *p, bool must_exist,
		    const char *want)
{
	char buf[64];
	size_t len;

	if (!KEXPECT_EQ(vfs_path_name(&f->ctx, p, must_exist, buf, sizeof(buf), &len), 0))
		return false;
	return KEXPECT_EQ(len, strlen(want) + 1) && KEXPECT(strcmp(buf, want) == 0);
}

KTEST(stat, test_path_names)
{
	struct vfs_fixture f;
	struct tmpfs_options opts = {.mode = 0755};
	struct super_block *sb;
	struct path p;
	char buf[8];
	size_t len;

	KASSERT(vfs_fixture_setup(t, &f));
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, "/a", 0755), 0);
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, "/a/bb", 0755), 0);
	KEXPECT(name_is(t, &f, &f.root, true, "/"));
	KASSERT_EQ(vfs_lookup(&f.ctx, NULL, "/a/bb", 0, &p), 0);
	KEXPECT(name_is(t, &f, &p, true, "/a/bb"));
	KEXPECT_EQ(vfs_path_name(&f.ctx, &p, true, buf, 5, &len), -ERANGE);
	KEXPECT_EQ(vfs_path_name(&f.ctx, &p, true, buf, 6, &len), 0);
	/* Chrooted into /a: /a/bb is /bb, and / is out of reach. */
	f.ctx.root = p;
	KEXPECT(name_is(t, &f, &p, true, "/"));
	KEXPECT(name_is(t, &f, &f.root, true, "(unreachable)/"));
	f.ctx.root = f.root;
	vfs_path_put(&p);
	/* Across a mount. */
	KASSERT_EQ(tmpfs_create(f.vfs, &opts, &sb), 0);
	KEXPECT_EQ(vfs_mount(&f.ctx, NULL, "/a/bb", sb, MNT_RELATIME), 0);
	vfs_super_put(sb);
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, "/a/bb/in", 0755), 0);
	KASSERT_EQ(vfs_lookup(&f.ctx, NULL, "/a/bb/in", 0, &p), 0);
	KEXPECT(name_is(t, &f, &p, true, "/a/bb/in"));
	/* Removed: getcwd says ENOENT, /proc says " (deleted)". */
	KEXPECT_EQ(vfs_rmdir(&f.ctx, NULL, "/a/bb/in"), 0);
	KEXPECT_EQ(vfs_path_name(&f.ctx, &p, true, buf, sizeof(buf), &len), -ENOENT);
	KEXPECT(name_is(t, &f, &p, false, "/a/bb/in (deleted)"));
	vfs_path_put(&p);
	KEXPECT_EQ(vfs_umount(&f.ctx, NULL, "/a/bb"), 0);
	vfs_fixture_teardown(t, &f);
}
