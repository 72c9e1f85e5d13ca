// SPDX-License-Identifier: MIT
/*
 * Host tests for per-mount flags and read-only super blocks (fs/mount.c
 * and the checks in open.c, nameops.c, rename.c, attr.c, namei.c): the
 * errno of every write on a read-only mount in Linux's order, remounts
 * and what keeps them busy, statfs f_flags, nodev, noexec, noatime and
 * nosymfollow.
 */
#include <host_fault.h>
#include <tern/errno.h>
#include <tern/string.h>
#include <tern/vfs_testing.h>

#define ST_RDONLY 0x0001
#define ST_NODEV 0x0004
#define ST_NOEXEC 0x0008
#define ST_VALID 0x0020
#define ST_RELATIME 0x1000

/* A tmpfs at /m holding a file, a directory, a symlink and /dev/null's node. */
static bool setup_m(struct ktest *t, struct vfs_fixture *f, uint32_t mnt_flags)
{
	struct tmpfs_options opts = {.mode = 0755};
	struct super_block *sb;

	if (!vfs_fixture_setup(t, f))
		return false;
	KEXPECT_EQ(vfs_register_mem_devices(f->vfs), 0);
	KEXPECT_EQ(vfs_mkdir(&f->ctx, NULL, "/m", 0755), 0);
	KEXPECT_EQ(tmpfs_create(f->vfs, &opts, &sb), 0);
	KEXPECT_EQ(vfs_mount(&f->ctx, NULL, "/m", sb, mnt_flags), 0);
	vfs_super_put(sb);
	KEXPECT_EQ(fx_write_file(f, "/m/f", 0644, "data", 4), 0);
	KEXPECT_EQ(fx_write_file(f, "/m/x", 0755, "", 0), 0);
	KEXPECT_EQ(vfs_mkdir(&f->ctx, NULL, "/m/d", 0755), 0);
	KEXPECT_EQ(vfs_symlink(&f->ctx, "f", NULL, "/m/s"), 0);
	KEXPECT_EQ(vfs_mknod(&f->ctx, NULL, "/m/null", S_IFCHR | 0666, dev_make(1, 3)), 0);
	return true;
}

static int open_close(struct vfs_fixture *f, const char *pathname, unsigned int flags)
{
	struct file *file;
	int err = fx_open(f, pathname, flags, 0644, &file);

	if (!err)
		file_put(file);
	return err;
}

static long statfs_flags(struct vfs_fixture *f, const char *pathname)
{
	struct statfs sf;

	if (vfs_statfs(&f->ctx, NULL, pathname, &sf) != 0)
		return -1;
	return sf.f_flags;
}

KTEST(mount_flags, test_mount_flags_from_ms)
{
	KEXPECT_EQ(vfs_mount_flags_from_ms(0), MNT_RELATIME);
	KEXPECT_EQ(vfs_mount_flags_from_ms(MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC),
		   MNT_READONLY | MNT_NOSUID | MNT_NODEV | MNT_NOEXEC | MNT_RELATIME);
	KEXPECT_EQ(vfs_mount_flags_from_ms(MS_NOATIME), MNT_NOATIME);
	KEXPECT_EQ(vfs_mount_flags_from_ms(MS_STRICTATIME), 0);
	KEXPECT_EQ(vfs_mount_flags_from_ms(MS_NODIRATIME | MS_NOSYMFOLLOW),
		   MNT_NODIRATIME | MNT_NOSYMFOLLOW | MNT_RELATIME);
}

/* ABI: Linux 6.1's errno for each write on a read-only mount (checked on Linux too). */
KTEST(mount_flags, test_readonly_mount_errors)
{
	struct vfs_timespec_pair times = {{1, 0}, {2, 0}};
	struct vfs_fixture f;
	struct file *file;

	KASSERT(setup_m(t, &f, MNT_RELATIME));
	KEXPECT_EQ(vfs_remount(&f.ctx, NULL, "/m", MS_REMOUNT | MS_RDONLY, NULL), 0);
	KEXPECT_EQ(statfs_flags(&f, "/m/f"), ST_VALID | ST_RELATIME | ST_RDONLY);
	KEXPECT_EQ(open_close(&f, "/m/new", O_CREAT | O_WRONLY), -EROFS);
	KEXPECT_EQ(open_close(&f, "/m/f", O_CREAT | O_RDONLY), 0);
	KEXPECT_EQ(open_close(&f, "/m/f", O_CREAT | O_EXCL | O_RDONLY), -EEXIST);
	KEXPECT_EQ(open_close(&f, "/m/f", O_WRONLY), -EROFS);
	KEXPECT_EQ(open_close(&f, "/m/f", O_RDONLY | O_TRUNC), -EROFS);
	KEXPECT_EQ(open_close(&f, "/m/d", O_WRONLY), -EISDIR);
	KEXPECT_EQ(open_close(&f, "/m/null", O_WRONLY), 0);
	KEXPECT_EQ(open_close(&f, "/m", O_TMPFILE | O_RDWR), -EROFS);
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, "/m/d", 0755), -EEXIST);
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, "/m/.", 0755), -EEXIST);
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, "/m/new", 0755), -EROFS);
	KEXPECT_EQ(vfs_mknod(&f.ctx, NULL, "/m/new", S_IFIFO | 0644, 0), -EROFS);
	KEXPECT_EQ(vfs_symlink(&f.ctx, "f", NULL, "/m/new"), -EROFS);
	KEXPECT_EQ(vfs_link(&f.ctx, NULL, "/m/f", NULL, "/m/new", 0), -EROFS);
	KEXPECT_EQ(vfs_link(&f.ctx, NULL, "/m/f", NULL, "/new", 0), -EXDEV);
	KEXPECT_EQ(vfs_unlink(&f.ctx, NULL, "/m/missing"), -EROFS);
	KEXPECT_EQ(vfs_unlink(&f.ctx, NULL, "/m/."), -EISDIR);
	KEXPECT_EQ(vfs_rmdir(&f.ctx, NULL, "/m/missing"), -EROFS);
	KEXPECT_EQ(vfs_rmdir(&f.ctx, NULL, "/m/d/."), -EINVAL);
	KEXPECT_EQ(vfs_rename(&f.ctx, NULL, "/m/missing", NULL, "/m/new", 0), -EROFS);
	KEXPECT_EQ(vfs_rename(&f.ctx, NULL, "/m/f", NULL, "/new", 0), -EXDEV);
	KEXPECT_EQ(vfs_chmod(&f.ctx, NULL, "/m/f", 0600, 0), -EROFS);
	KEXPECT_EQ(vfs_chown(&f.ctx, NULL, "/m/f", 1, 1, 0), -EROFS);
	KEXPECT_EQ(vfs_utimens(&f.ctx, NULL, "/m/f", &times, 0), -EROFS);
	KEXPECT_EQ(vfs_utimens(&f.ctx, NULL, "/m/f", NULL, 0), -EROFS);
	KEXPECT_EQ(vfs_truncate(&f.ctx, NULL, "/m/d", 0), -EISDIR);
	KEXPECT_EQ(vfs_truncate(&f.ctx, NULL, "/m/null", 0), -EINVAL);
	KEXPECT_EQ(vfs_truncate(&f.ctx, NULL, "/m/f", 0), -EROFS);
	KEXPECT_EQ(vfs_access(&f.ctx, NULL, "/m/f", MAY_WRITE, 0), -EROFS);
	KEXPECT_EQ(vfs_access(&f.ctx, NULL, "/m/d", MAY_WRITE, 0), -EROFS);
	KEXPECT_EQ(vfs_access(&f.ctx, NULL, "/m/s", MAY_WRITE, AT_SYMLINK_NOFOLLOW), -EROFS);
	KEXPECT_EQ(vfs_access(&f.ctx, NULL, "/m/null", MAY_WRITE, 0), 0);
	KEXPECT_EQ(vfs_access(&f.ctx, NULL, "/m/f", MAY_READ, 0), 0);
	/* EROFS comes before EACCES. */
	fx_become_user(&f, 1000, 1000);
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, "/m/new", 0755), -EROFS);
	KEXPECT_EQ(open_close(&f, "/m/new", O_CREAT | O_WRONLY), -EROFS);
	KEXPECT_EQ(open_close(&f, "/m/f", O_WRONLY), -EROFS);
	fx_become_root(&f);
	/* Reading still works; so does making it writable again. */
	KEXPECT_EQ(fx_open(&f, "/m/f", O_RDONLY, 0, &file), 0);
	KEXPECT_EQ(vfs_remount(&f.ctx, NULL, "/m", MS_REMOUNT, NULL), 0);
	KEXPECT_EQ(statfs_flags(&f, "/m"), ST_VALID | ST_RELATIME);
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, "/m/new", 0755), 0);
	file_put(file);
	vfs_fixture_teardown(t, &f);
}

KTEST(mount_flags, test_readonly_super_block_from_tmpfs_options)
{
	struct tmpfs_options opts = {.mode = 0755, .is_readonly = true};
	struct vfs_fixture f;
	struct super_block *sb;

	KASSERT(vfs_fixture_setup(t, &f));
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, "/m", 0755), 0);
	KASSERT_EQ(tmpfs_create(f.vfs, &opts, &sb), 0);
	KEXPECT_EQ(vfs_mount(&f.ctx, NULL, "/m", sb, MNT_READONLY | MNT_RELATIME), 0);
	vfs_super_put(sb);
	KEXPECT_EQ(statfs_flags(&f, "/m"), ST_VALID | ST_RELATIME | ST_RDONLY);
	KEXPECT_EQ(open_close(&f, "/m/x", O_CREAT | O_WRONLY), -EROFS);
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, "/m/x", 0755), -EROFS);
	KEXPECT_EQ(vfs_umount(&f.ctx, NULL, "/m"), 0);
	vfs_fixture_teardown(t, &f);
}

KTEST(mount_flags, test_remount_busy_and_errors)
{
	struct vfs_fixture f;
	struct file *file;

	KASSERT(setup_m(t, &f, MNT_RELATIME));
	KEXPECT_EQ(vfs_remount(&f.ctx, NULL, "/m/d", MS_REMOUNT, NULL), -EINVAL);
	KEXPECT_EQ(vfs_remount(&f.ctx, NULL, "/m/d", MS_REMOUNT | MS_BIND, NULL), -EINVAL);
	KEXPECT_EQ(vfs_remount(&f.ctx, NULL, "/m/missing", MS_REMOUNT, NULL), -ENOENT);
	fx_become_user(&f, 1000, 1000);
	KEXPECT_EQ(vfs_remount(&f.ctx, NULL, "/m", MS_REMOUNT, NULL), -EPERM);
	fx_become_root(&f);
	/* A file open for writing keeps both kinds of remount from going read-only. */
	KASSERT_EQ(fx_open(&f, "/m/f", O_WRONLY, 0, &file), 0);
	KEXPECT_EQ(vfs_remount(&f.ctx, NULL, "/m", MS_REMOUNT | MS_RDONLY, NULL), -EBUSY);
	KEXPECT_EQ(vfs_remount(&f.ctx, NULL, "/m", MS_REMOUNT | MS_BIND | MS_RDONLY, NULL), -EBUSY);
	KEXPECT_EQ(statfs_flags(&f, "/m"), ST_VALID | ST_RELATIME);
	file_put(file);
	/* So does an unlinked file still open, for the super block only. */
	KASSERT_EQ(fx_open(&f, "/m/f", O_RDONLY, 0, &file), 0);
	KEXPECT_EQ(vfs_unlink(&f.ctx, NULL, "/m/f"), 0);
	KEXPECT_EQ(vfs_remount(&f.ctx, NULL, "/m", MS_REMOUNT | MS_RDONLY, NULL), -EBUSY);
	KEXPECT_EQ(vfs_remount(&f.ctx, NULL, "/m", MS_REMOUNT | MS_BIND | MS_RDONLY, NULL), 0);
	KEXPECT_EQ(statfs_flags(&f, "/m"), ST_VALID | ST_RELATIME | ST_RDONLY);
	file_put(file);
	KEXPECT_EQ(vfs_remount(&f.ctx, NULL, "/m", MS_REMOUNT | MS_RDONLY, NULL), 0);
	vfs_fixture_teardown(t, &f);
}

KTEST(mount_flags, test_readonly_bind_mount)
{
	struct vfs_fixture f;
	struct file *file;

	KASSERT(setup_m(t, &f, MNT_RELATIME));
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, "/b", 0755), 0);
	KEXPECT_EQ(vfs_bind_mount(&f.ctx, NULL, "/m", NULL, "/b"), 0);
	KEXPECT_EQ(
		vfs_remount(&f.ctx, NULL, "/b", MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOEXEC, NULL),
		0);
	KEXPECT_EQ(statfs_flags(&f, "/b"), ST_VALID | ST_RELATIME | ST_RDONLY | ST_NOEXEC);
	KEXPECT_EQ(statfs_flags(&f, "/m"), ST_VALID | ST_RELATIME);
	KEXPECT_EQ(open_close(&f, "/b/f", O_WRONLY), -EROFS);
	KEXPECT_EQ(open_close(&f, "/m/f", O_WRONLY), 0);
	KEXPECT_EQ(vfs_access(&f.ctx, NULL, "/b/f", MAY_WRITE, 0), -EROFS);
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, "/b/new", 0755), -EROFS);
	/* Only the super block's state comes before permissions: a mount's comes after. */
	KEXPECT_EQ(vfs_chmod(&f.ctx, NULL, "/m/f", 0444, 0), 0);
	fx_become_user(&f, 1000, 1000);
	KEXPECT_EQ(open_close(&f, "/b/f", O_WRONLY), -EACCES);
	fx_become_root(&f);
	/* A bind mount of a read-only mount is read-only too. */
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, "/m/b2", 0755), 0);
	KEXPECT_EQ(vfs_bind_mount(&f.ctx, NULL, "/b/d", NULL, "/m/b2"), 0);
	KEXPECT_EQ(statfs_flags(&f, "/m/b2"), ST_VALID | ST_RELATIME | ST_RDONLY | ST_NOEXEC);
	KEXPECT_EQ(vfs_umount(&f.ctx, NULL, "/m/b2"), 0);
	/* Writable again, with the atime flags kept. */
	KEXPECT_EQ(vfs_remount(&f.ctx, NULL, "/b", MS_REMOUNT | MS_BIND, NULL), 0);
	KEXPECT_EQ(statfs_flags(&f, "/b"), ST_VALID | ST_RELATIME);
	KASSERT_EQ(fx_open(&f, "/b/f", O_WRONLY, 0, &file), 0);
	file_put(file);
	KEXPECT_EQ(vfs_umount(&f.ctx, NULL, "/b"), 0);
	vfs_fixture_teardown(t, &f);
}

KTEST(mount_flags, test_nodev_and_noexec)
{
	struct vfs_fixture f;
	struct file *file;

	KASSERT(setup_m(t, &f, MNT_RELATIME | MNT_NODEV | MNT_NOEXEC));
	KEXPECT_EQ(statfs_flags(&f, "/m"), ST_VALID | ST_RELATIME | ST_NODEV | ST_NOEXEC);
	KEXPECT_EQ(open_close(&f, "/m/null", O_RDONLY), -EACCES);
	KEXPECT_EQ(open_close(&f, "/m/null", O_PATH), 0);
	KEXPECT_EQ(vfs_open_exec(&f.ctx, NULL, "/m/x", 0, &file), -EACCES);
	KEXPECT_EQ(vfs_remount(&f.ctx, NULL, "/m", MS_REMOUNT, NULL), 0);
	KEXPECT_EQ(open_close(&f, "/m/null", O_RDONLY), 0);
	KASSERT_EQ(vfs_open_exec(&f.ctx, NULL, "/m/x", 0, &file), 0);
	file_put(file);
	vfs_fixture_teardown(t, &f);
}

static struct vfs_time atime_of(struct vfs_fixture *f, const char *pathname)
{
	struct kstat st = {0};

	(void)!fx_stat(f, pathname, true, &st);
	return st.atime;
}

static bool has_opts(struct vfs_fixture *f, const char *pathname, const char *want)
{
	char opts[VFS_MOUNT_OPTS_MAX];
	struct path p;

	if (vfs_lookup(&f->ctx, NULL, pathname, 0, &p) != 0)
		return false;
	vfs_lock(f->vfs);
	vfs_mount_opts(p.mnt, opts, sizeof(opts));
	vfs_unlock(f->vfs);
	vfs_path_put(&p);
	return strcmp(opts, want) == 0;
}

KTEST(mount_flags, test_mount_opts_as_proc_mounts_shows_them)
{
	struct vfs_fixture f;
	char small[8];

	KASSERT(setup_m(t, &f, MNT_RELATIME | MNT_NODEV | MNT_NOEXEC));
	KEXPECT(has_opts(&f, "/m", "rw,nodev,noexec,relatime"));
	KEXPECT(has_opts(&f, "/", "rw,relatime"));
	KEXPECT_EQ(vfs_remount(&f.ctx, NULL, "/m",
			       MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NOATIME | MS_NODIRATIME |
				       MS_NOSYMFOLLOW,
			       NULL),
		   0);
	KEXPECT(has_opts(&f, "/m", "ro,nosuid,noatime,nodiratime,nosymfollow"));
	/* A small buffer gets what fits. */
	vfs_lock(f.vfs);
	vfs_mount_opts(f.root.mnt, small, sizeof(small));
	vfs_unlock(f.vfs);
	KEXPECT_EQ(strcmp(small, "rw,rela"), 0);
	vfs_fixture_teardown(t, &f);
}

KTEST(mount_flags, test_atime_follows_the_mount)
{
	struct vfs_fixture f;
	char buf[8];
	size_t len;

	/* Strict atime (no MNT_RELATIME): every read moves it. */
	KASSERT(setup_m(t, &f, 0));
	KEXPECT_EQ(fx_read_file(&f, "/m/f", buf, sizeof(buf), &len), 0);
	host_clock_set_realtime_ns((uint64_t)(FX_NOW_SEC + 10) * 1000000000ULL);
	KEXPECT_EQ(fx_read_file(&f, "/m/f", buf, sizeof(buf), &len), 0);
	KEXPECT_EQ(atime_of(&f, "/m/f").sec, FX_NOW_SEC + 10);
	host_clock_set_realtime_ns((uint64_t)(FX_NOW_SEC + 20) * 1000000000ULL);
	KEXPECT_EQ(fx_read_file(&f, "/m/f", buf, sizeof(buf), &len), 0);
	KEXPECT_EQ(atime_of(&f, "/m/f").sec, FX_NOW_SEC + 20);
	/* noatime: never; a read-only mount: never. */
	KEXPECT_EQ(vfs_remount(&f.ctx, NULL, "/m", MS_REMOUNT | MS_BIND | MS_NOATIME, NULL), 0);
	host_clock_set_realtime_ns((uint64_t)(FX_NOW_SEC + 30) * 1000000000ULL);
	KEXPECT_EQ(fx_read_file(&f, "/m/f", buf, sizeof(buf), &len), 0);
	KEXPECT_EQ(atime_of(&f, "/m/f").sec, FX_NOW_SEC + 20);
	KEXPECT_EQ(vfs_remount(&f.ctx, NULL, "/m", MS_REMOUNT | MS_RDONLY | MS_STRICTATIME, NULL),
		   0);
	KEXPECT_EQ(fx_read_file(&f, "/m/f", buf, sizeof(buf), &len), 0);
	KEXPECT_EQ(atime_of(&f, "/m/f").sec, FX_NOW_SEC + 20);
	KEXPECT_EQ(vfs_remount(&f.ctx, NULL, "/m", MS_REMOUNT, NULL), 0);
	KEXPECT_EQ(fx_read_file(&f, "/m/f", buf, sizeof(buf), &len), 0);
	KEXPECT_EQ(atime_of(&f, "/m/f").sec, FX_NOW_SEC + 30);
	vfs_fixture_teardown(t, &f);
}

KTEST(mount_flags, test_nosymfollow)
{
	struct vfs_fixture f;
	char buf[8];
	size_t len;

	KASSERT(setup_m(t, &f, MNT_RELATIME | MNT_NOSYMFOLLOW));
	KEXPECT_EQ(open_close(&f, "/m/s", O_RDONLY), -ELOOP);
	KEXPECT_EQ(vfs_readlink(&f.ctx, NULL, "/m/s", buf, sizeof(buf), &len), 0);
	KEXPECT_EQ(len, 1);
	KEXPECT_EQ(open_close(&f, "/m/f", O_RDONLY), 0);
	vfs_fixture_teardown(t, &f);
}
