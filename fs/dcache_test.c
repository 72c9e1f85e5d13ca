// SPDX-License-Identifier: MIT
/*
 * Host tests for fs/dcache.c: negative entries, the LRU of unused
 * dentries and the shrinker (with live references kept alive), long
 * names across renames, pinning by mounts, pruning under removed
 * directories, and a tiny hash table full of collisions.
 */
#include <host_fault.h>
#include <tern/errno.h>
#include <tern/string.h>
#include <tern/vfs_testing.h>

static int lookup_err(struct vfs_fixture *f, const char *pathname)
{
	struct path p;
	int err = vfs_lookup(&f->ctx, NULL, pathname, AT_SYMLINK_NOFOLLOW, &p);

	if (!err)
		vfs_path_put(&p);
	return err;
}

KTEST(dcache, test_dcache_negative_entries_are_cached)
{
	struct vfs_fixture f;
	uint64_t before;

	KASSERT(vfs_fixture_setup(t, &f));
	before = f.vfs->nr_dentries;
	KEXPECT_EQ(lookup_err(&f, "/missing"), -ENOENT);
	KEXPECT_EQ(f.vfs->nr_dentries, before + 1);
	KEXPECT_EQ(f.vfs->nr_unused, 1);
	KEXPECT_EQ(lookup_err(&f, "/missing"), -ENOENT);
	KEXPECT_EQ(f.vfs->nr_dentries, before + 1);
	/* Creating the name turns the cached negative entry positive. */
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, "/missing", 0755), 0);
	KEXPECT_EQ(f.vfs->nr_dentries, before + 1);
	KEXPECT_EQ(lookup_err(&f, "/missing"), 0);
	KEXPECT(vfs_is_consistent(f.vfs));
	vfs_fixture_teardown(t, &f);
}

KTEST(dcache, test_dcache_shrink_frees_unused_and_lookups_refill)
{
	struct vfs_fixture f;
	char name[16];

	KASSERT(vfs_fixture_setup(t, &f));
	for (int i = 0; i < 10; i++) {
		ksnprintf(name, sizeof(name), "/f%d", i);
		KEXPECT_EQ(fx_write_file(&f, name, 0644, name, strlen(name)), 0);
	}
	KEXPECT_EQ(f.vfs->nr_unused, 10);
	KEXPECT_EQ(vfs_shrink_dcache(f.vfs, 3), 3);
	KEXPECT_EQ(f.vfs->nr_unused, 7);
	KEXPECT_EQ(vfs_shrink_dcache(f.vfs, UINT64_MAX), 7);
	KEXPECT_EQ(f.vfs->nr_dentries, 1);
	KEXPECT_EQ(vfs_shrink_dcache(f.vfs, UINT64_MAX), 0);
	for (int i = 0; i < 10; i++) {
		char buf[16];
		size_t len;

		ksnprintf(name, sizeof(name), "/f%d", i);
		KEXPECT_EQ(fx_read_file(&f, name, buf, sizeof(buf), &len), 0);
		KEXPECT(len == strlen(name) && memcmp(buf, name, len) == 0);
	}
	KEXPECT(vfs_is_consistent(f.vfs));
	vfs_fixture_teardown(t, &f);
}

KTEST(dcache, test_dcache_shrink_evicts_least_recently_used_first)
{
	struct vfs_fixture f;
	struct dentry *oldest;

	KASSERT(vfs_fixture_setup(t, &f));
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, "/a", 0755), 0);
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, "/b", 0755), 0);
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, "/c", 0755), 0);
	KEXPECT_EQ(lookup_err(&f, "/a"), 0);
	KEXPECT_EQ(lookup_err(&f, "/c"), 0);
	oldest = list_entry(f.vfs->dcache_lru.prev, struct dentry, lru_link);
	KEXPECT(strcmp(oldest->name, "b") == 0);
	KEXPECT_EQ(vfs_shrink_dcache(f.vfs, 1), 1);
	oldest = list_entry(f.vfs->dcache_lru.prev, struct dentry, lru_link);
	KEXPECT(strcmp(oldest->name, "a") == 0);
	vfs_fixture_teardown(t, &f);
}

KTEST(dcache, test_dcache_eviction_keeps_live_references)
{
	struct vfs_fixture f;
	struct file *file;
	char buf[32];
	size_t len;

	KASSERT(vfs_fixture_setup(t, &f));
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, "/d", 0755), 0);
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, "/d/e", 0755), 0);
	KEXPECT_EQ(fx_write_file(&f, "/d/e/f", 0644, "kept alive", 10), 0);
	KEXPECT_EQ(fx_write_file(&f, "/d/other", 0644, "x", 1), 0);
	KASSERT_EQ(fx_open(&f, "/d/e/f", O_RDONLY, 0, &file), 0);
	vfs_shrink_dcache(f.vfs, UINT64_MAX);
	/* The root, and the file with its parents: the rest is gone. */
	KEXPECT_EQ(f.vfs->nr_dentries, 4);
	KEXPECT_EQ(f.vfs->nr_unused, 0);
	KEXPECT_EQ(vfs_read(file, buf, sizeof(buf), &len), 0);
	KEXPECT(len == 10 && memcmp(buf, "kept alive", 10) == 0);
	KEXPECT_EQ(vfs_path_name(&f.ctx, &file->path, true, buf, sizeof(buf), &len), 0);
	KEXPECT(strcmp(buf, "/d/e/f") == 0);
	KEXPECT_EQ(lookup_err(&f, "/d/other"), 0);
	file_put(file);
	KEXPECT(vfs_is_consistent(f.vfs));
	vfs_shrink_dcache(f.vfs, UINT64_MAX);
	KEXPECT_EQ(f.vfs->nr_dentries, 1);
	vfs_fixture_teardown(t, &f);
}

KTEST(dcache, test_dcache_mountpoints_stay_pinned)
{
	struct vfs_fixture f;
	struct tmpfs_options opts = {.mode = 0755};
	struct super_block *sb;

	KASSERT(vfs_fixture_setup(t, &f));
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, "/m", 0755), 0);
	KASSERT_EQ(tmpfs_create(f.vfs, &opts, &sb), 0);
	KEXPECT_EQ(vfs_mount(&f.ctx, NULL, "/m", sb, MNT_RELATIME), 0);
	vfs_super_put(sb);
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, "/m/in", 0755), 0);
	vfs_shrink_dcache(f.vfs, UINT64_MAX);
	/* Both roots and the mountpoint. */
	KEXPECT_EQ(f.vfs->nr_dentries, 3);
	KEXPECT_EQ(lookup_err(&f, "/m/in"), 0);
	KEXPECT(vfs_is_consistent(f.vfs));
	KEXPECT_EQ(vfs_umount(&f.ctx, NULL, "/m"), 0);
	vfs_fixture_teardown(t, &f);
}

KTEST(dcache, test_dcache_removed_directory_drops_cached_children)
{
	struct vfs_fixture f;
	uint64_t before;

	KASSERT(vfs_fixture_setup(t, &f));
	before = f.vfs->nr_dentries;
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, "/d", 0755), 0);
	KEXPECT_EQ(lookup_err(&f, "/d/x"), -ENOENT);
	KEXPECT_EQ(lookup_err(&f, "/d/y"), -ENOENT);
	KEXPECT_EQ(f.vfs->nr_dentries, before + 3);
	KEXPECT_EQ(vfs_rmdir(&f.ctx, NULL, "/d"), 0);
	KEXPECT_EQ(f.vfs->nr_dentries, before);
	KEXPECT(vfs_is_consistent(f.vfs));
	vfs_fixture_teardown(t, &f);
}

KTEST(dcache, test_dcache_long_names_across_renames)
{
	struct vfs_fixture f;
	char a[128];
	char b[128];

	KASSERT(vfs_fixture_setup(t, &f));
	a[0] = '/';
	memset(a + 1, 'a', 100);
	a[101] = '\0';
	b[0] = '/';
	memset(b + 1, 'b', 120);
	b[121] = '\0';
	KEXPECT_EQ(fx_write_file(&f, a, 0644, "1", 1), 0);
	KEXPECT_EQ(vfs_rename(&f.ctx, NULL, a, NULL, "/short", 0), 0);
	KEXPECT_EQ(vfs_rename(&f.ctx, NULL, "/short", NULL, b, 0), 0);
	KEXPECT_EQ(fx_write_file(&f, "/s", 0644, "2", 1), 0);
	KEXPECT_EQ(vfs_rename(&f.ctx, NULL, b, NULL, "/s", RENAME_EXCHANGE), 0);
	KEXPECT_EQ(lookup_err(&f, a), -ENOENT);
	KEXPECT_EQ(lookup_err(&f, b), 0);
	KEXPECT_EQ(lookup_err(&f, "/s"), 0);
	KEXPECT(vfs_is_consistent(f.vfs));
	vfs_shrink_dcache(f.vfs, UINT64_MAX);
	KEXPECT_EQ(lookup_err(&f, b), 0);
	vfs_fixture_teardown(t, &f);
}

KTEST(dcache, test_dcache_two_buckets_full_of_collisions)
{
	struct tmpfs_options opts = {.mode = 0755};
	long live = host_kmalloc_live();
	struct vfs_cred cred = {.caps = VFS_CAPS_ALL};
	struct super_block *sb;
	struct vfs_ctx ctx;
	struct path root;
	struct path p;
	struct vfs *vfs;
	char name[16];

	KASSERT_EQ(vfs_create(1, &vfs), 0);
	KASSERT_EQ(tmpfs_create(vfs, &opts, &sb), 0);
	KASSERT_EQ(vfs_mount_root(vfs, sb, MNT_RELATIME, &root), 0);
	vfs_super_put(sb);
	ctx = (struct vfs_ctx){root, root, &cred, 0};
	for (int i = 0; i < 200; i++) {
		ksnprintf(name, sizeof(name), "/n%d", i);
		KEXPECT_EQ(vfs_mkdir(&ctx, NULL, name, 0755), 0);
	}
	for (int i = 0; i < 200; i++) {
		ksnprintf(name, sizeof(name), "/n%d/..", i);
		KEXPECT_EQ(vfs_lookup(&ctx, NULL, name, 0, &p), 0);
		KEXPECT(p.dentry == root.dentry);
		vfs_path_put(&p);
	}
	KEXPECT(vfs_is_consistent(vfs));
	vfs_path_put(&root);
	vfs_destroy(vfs);
	KEXPECT_EQ(host_kmalloc_live(), live);
}
