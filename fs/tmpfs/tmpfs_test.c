// SPDX-License-Identifier: MIT
/*
 * Host tests for tmpfs (fs/tmpfs/): sparse files that read zeros and
 * take no pages, SEEK_DATA and SEEK_HOLE at page granularity, truncation
 * that zeroes what it cuts, large files, the page access mmap will use,
 * size and inode limits (ENOSPC), and inode numbers and link counts.
 */
#include <tern/errno.h>
#include <tern/mm.h>
#include <tern/string.h>
#include <tern/vfs_testing.h>

static char page_buf[2 * PAGE_SIZE];

static uint64_t blocks_of(struct file *file)
{
	struct kstat st;

	vfs_fstat(file, &st);
	return st.blocks;
}

KTEST(tmpfs, test_tmpfs_sparse_file_reads_zeros)
{
	struct vfs_fixture f;
	struct file *file;
	size_t len;

	KASSERT(vfs_fixture_setup(t, &f));
	KASSERT_EQ(fx_open(&f, "/s", O_RDWR | O_CREAT, 0644, &file), 0);
	KEXPECT_EQ(vfs_pwrite(file, "end", 3, 10 * PAGE_SIZE + 5, &len), 0);
	KEXPECT_EQ(blocks_of(file), PAGE_SIZE / 512);
	memset(page_buf, 0x55, sizeof(page_buf));
	KEXPECT_EQ(vfs_pread(file, page_buf, PAGE_SIZE, 3 * PAGE_SIZE, &len), 0);
	KEXPECT_EQ(len, PAGE_SIZE);
	KEXPECT(page_buf[0] == 0 && page_buf[PAGE_SIZE - 1] == 0);
	KEXPECT_EQ(vfs_pread(file, page_buf, 10, 10 * PAGE_SIZE, &len), 0);
	KEXPECT(len == 8 && page_buf[4] == 0 && memcmp(page_buf + 5, "end", 3) == 0);
	/* Reading does not allocate. */
	KEXPECT_EQ(blocks_of(file), PAGE_SIZE / 512);
	file_put(file);
	vfs_fixture_teardown(t, &f);
}

KTEST(tmpfs, test_tmpfs_seek_data_and_hole)
{
	struct vfs_fixture f;
	struct file *file;
	int64_t pos;
	size_t len;

	KASSERT(vfs_fixture_setup(t, &f));
	KASSERT_EQ(fx_open(&f, "/s", O_RDWR | O_CREAT, 0644, &file), 0);
	/* Data in pages 2 and 3 and 9; the file ends inside page 10. */
	KEXPECT_EQ(vfs_pwrite(file, "x", 1, 2 * PAGE_SIZE + 7, &len), 0);
	KEXPECT_EQ(vfs_pwrite(file, "y", 1, 3 * PAGE_SIZE, &len), 0);
	KEXPECT_EQ(vfs_pwrite(file, "z", 1, 9 * PAGE_SIZE, &len), 0);
	KEXPECT_EQ(vfs_ftruncate(file, 10 * PAGE_SIZE + 100), 0);
	KEXPECT_EQ(vfs_lseek(file, 0, SEEK_DATA, &pos), 0);
	KEXPECT_EQ(pos, 2 * PAGE_SIZE);
	KEXPECT_EQ(vfs_lseek(file, 2 * PAGE_SIZE + 9, SEEK_DATA, &pos), 0);
	KEXPECT_EQ(pos, 2 * PAGE_SIZE + 9);
	KEXPECT_EQ(vfs_lseek(file, 2 * PAGE_SIZE, SEEK_HOLE, &pos), 0);
	KEXPECT_EQ(pos, 4 * PAGE_SIZE);
	KEXPECT_EQ(vfs_lseek(file, 5 * PAGE_SIZE, SEEK_DATA, &pos), 0);
	KEXPECT_EQ(pos, 9 * PAGE_SIZE);
	KEXPECT_EQ(vfs_lseek(file, 5, SEEK_HOLE, &pos), 0);
	KEXPECT_EQ(pos, 5);
	/* The hole at the end is clamped to the size; past the size is ENXIO. */
	KEXPECT_EQ(vfs_lseek(file, 9 * PAGE_SIZE, SEEK_HOLE, &pos), 0);
	KEXPECT_EQ(pos, 10 * PAGE_SIZE);
	KEXPECT_EQ(vfs_lseek(file, 10 * PAGE_SIZE, SEEK_DATA, &pos), -ENXIO);
	KEXPECT_EQ(vfs_lseek(file, 10 * PAGE_SIZE + 100, SEEK_HOLE, &pos), -ENXIO);
	KEXPECT_EQ(vfs_lseek(file, -1, SEEK_DATA, &pos), -ENXIO);
	KEXPECT_EQ(file->pos, 10 * PAGE_SIZE);
	file_put(file);
	vfs_fixture_teardown(t, &f);
}

KTEST(tmpfs, test_tmpfs_truncate_zeroes_the_cut)
{
	struct vfs_fixture f;
	struct file *file;
	size_t len;

	KASSERT(vfs_fixture_setup(t, &f));
	KASSERT_EQ(fx_open(&f, "/t", O_RDWR | O_CREAT, 0644, &file), 0);
	memset(page_buf, 'a', sizeof(page_buf));
	for (int i = 0; i < 4; i++)
		KEXPECT_EQ(vfs_write(file, page_buf, PAGE_SIZE, &len), 0);
	KEXPECT_EQ(blocks_of(file), 4 * PAGE_SIZE / 512);
	KEXPECT_EQ(vfs_ftruncate(file, PAGE_SIZE + 10), 0);
	KEXPECT_EQ(blocks_of(file), 2 * PAGE_SIZE / 512);
	KEXPECT_EQ(vfs_ftruncate(file, 4 * PAGE_SIZE), 0);
	KEXPECT_EQ(vfs_pread(file, page_buf, PAGE_SIZE, PAGE_SIZE, &len), 0);
	KEXPECT(len == PAGE_SIZE && page_buf[9] == 'a' && page_buf[10] == 0 &&
		page_buf[PAGE_SIZE - 1] == 0);
	KEXPECT_EQ(vfs_pread(file, page_buf, PAGE_SIZE, 3 * PAGE_SIZE, &len), 0);
	KEXPECT(len == PAGE_SIZE && page_buf[0] == 0);
	KEXPECT_EQ(vfs_ftruncate(file, 0), 0);
	KEXPECT_EQ(blocks_of(file), 0);
	file_put(file);
	KEXPECT(vfs_is_consistent(f.vfs));
	vfs_fixture_teardown(t, &f);
}

static uint32_t pattern_at(uint64_t offset)
{
	return (uint32_t)(offset * 2654435761u) ^ (uint32_t)(offset >> 20);
}

/* Writes and reads back 256 MiB of data, and touches a page far out. */
KTEST(tmpfs, test_tmpfs_large_file)
{
	const uint64_t size = 256ULL << 20;
	struct vfs_fixture f;
	struct file *file;
	uint32_t *words = (uint32_t *)(void *)page_buf;
	bool same = true;
	size_t len;

	KASSERT(vfs_fixture_setup(t, &f));
	KASSERT_EQ(fx_open(&f, "/big", O_RDWR | O_CREAT, 0644, &file), 0);
	for (uint64_t off = 0; off < size; off += PAGE_SIZE) {
		for (size_t i = 0; i < PAGE_SIZE / 4; i++)
			words[i] = pattern_at(off + i * 4);
		KASSERT_EQ(vfs_write(file, page_buf, PAGE_SIZE, &len), 0);
	}
	KEXPECT_EQ(blocks_of(file), size / 512);
	for (uint64_t off = 0; off < size && same; off += PAGE_SIZE) {
		KASSERT_EQ(vfs_pread(file, page_buf, PAGE_SIZE, (int64_t)off, &len), 0);
		for (size_t i = 0; i < PAGE_SIZE / 4; i++)
			same &= words[i] == pattern_at(off + i * 4);
	}
	KEXPECT(same);
	/* 300 GiB out, sparse: one more page. */
	KEXPECT_EQ(vfs_pwrite(file, "far", 3, 300LL << 30, &len), 0);
	KEXPECT_EQ(blocks_of(file), size / 512 + PAGE_SIZE / 512);
	KEXPECT_EQ(vfs_ftruncate(file, 1 << 20), 0);
	KEXPECT_EQ(blocks_of(file), (1 << 20) / 512);
	file_put(file);
	vfs_fixture_teardown(t, &f);
}

KTEST(tmpfs, test_tmpfs_get_page_for_mmap)
{
	struct vfs_fixture f;
	struct file *file;
	struct path dir;
	char *page;
	void *again;
	size_t len;

	KASSERT(vfs_fixture_setup(t, &f));
	KASSERT_EQ(fx_open(&f, "/m", O_RDWR | O_CREAT, 0644, &file), 0);
	KEXPECT_EQ(vfs_pwrite(file, "hello", 5, PAGE_SIZE + 10, &len), 0);
	KEXPECT_EQ(tmpfs_get_page(file->inode, 0, false, &again), 0);
	KEXPECT(again == NULL);
	KASSERT_EQ(tmpfs_get_page(file->inode, 1, false, (void **)&page), 0);
	KASSERT(page != NULL);
	KEXPECT(memcmp(page + 10, "hello", 5) == 0);
	/* Stores through the page are the file's data. */
	memcpy(page, "abc", 3);
	KEXPECT_EQ(vfs_pread(file, page_buf, 3, PAGE_SIZE, &len), 0);
	KEXPECT(memcmp(page_buf, "abc", 3) == 0);
	KASSERT_EQ(tmpfs_get_page(file->inode, 5, true, (void **)&page), 0);
	KEXPECT(page != NULL && page[0] == 0 && page[PAGE_SIZE - 1] == 0);
	KEXPECT_EQ(tmpfs_get_page(file->inode, 5, true, &again), 0);
	KEXPECT(again == page);
	KEXPECT_EQ(blocks_of(file), 2 * PAGE_SIZE / 512);
	KEXPECT_EQ(tmpfs_get_page(file->inode, 1ULL << 51, true, &again), -EFBIG);
	KASSERT_EQ(vfs_lookup(&f.ctx, NULL, "/", 0, &dir), 0);
	KEXPECT_EQ(tmpfs_get_page(dir.dentry->inode, 0, true, &again), -EINVAL);
	vfs_path_put(&dir);
	/*
	 * A page past the size (as mmap can make) is not data until the file
	 * grows over it; truncation takes it away.
	 */
	KEXPECT_EQ(vfs_ftruncate(file, 0), 0);
	KEXPECT_EQ(blocks_of(file), 0);
	file_put(file);
	vfs_fixture_teardown(t, &f);
}

KTEST(tmpfs, test_tmpfs_map_page_outlives_truncate_and_unlink)
{
	struct vfs_fixture f;
	struct file *file;
	uint64_t pa;
	uint64_t pa2;
	size_t len;

	KASSERT(vfs_fixture_setup(t, &f));
	KASSERT_EQ(fx_open(&f, "/m", O_RDWR | O_CREAT, 0644, &file), 0);
	KEXPECT_EQ(file->ops->map_page(file, 0, &pa), -ENXIO);
	KEXPECT_EQ(vfs_pwrite(file, "hello", 5, PAGE_SIZE + 10, &len), 0);
	/* A hole below the end of file gets a page; the page holding EOF is the last. */
	KASSERT_EQ(file->ops->map_page(file, 0, &pa), 0);
	KEXPECT_EQ(mm_page_refcount(pa), 2);
	KEXPECT_EQ(blocks_of(file), 2 * PAGE_SIZE / 512);
	mm_put_page(pa);
	KEXPECT_EQ(file->ops->map_page(file, 2, &pa), -ENXIO);
	KASSERT_EQ(file->ops->map_page(file, 1, &pa), 0);
	KEXPECT(memcmp((char *)phys_to_virt(pa) + 10, "hello", 5) == 0);
	KASSERT_EQ(file->ops->map_page(file, 1, &pa2), 0);
	KEXPECT(pa2 == pa);
	mm_put_page(pa2);
	/* Truncation takes the page from the file; the holder keeps it. */
	KEXPECT_EQ(vfs_ftruncate(file, 0), 0);
	KEXPECT_EQ(mm_page_refcount(pa), 1);
	KEXPECT(memcmp((char *)phys_to_virt(pa) + 10, "hello", 5) == 0);
	KEXPECT_EQ(file->ops->map_page(file, 1, &pa2), -ENXIO);
	mm_put_page(pa);
	/* So does unlinking and closing it. */
	KEXPECT_EQ(vfs_pwrite(file, "x", 1, 0, &len), 0);
	KASSERT_EQ(file->ops->map_page(file, 0, &pa), 0);
	KEXPECT_EQ(vfs_unlink(&f.ctx, NULL, "/m"), 0);
	file_put(file);
	KEXPECT_EQ(mm_page_refcount(pa), 1);
	KEXPECT_EQ(*(char *)phys_to_virt(pa), 'x');
	mm_put_page(pa);
	vfs_fixture_teardown(t, &f);
}

KTEST(tmpfs, test_tmpfs_size_limit_is_enospc)
{
	struct tmpfs_options opts = {.mode = 0755, .max_pages = 3};
	struct vfs_fixture f;
	struct file *file;
	void *page;
	size_t len;

	KASSERT(vfs_fixture_setup_opts(t, &f, &opts));
	KASSERT_EQ(fx_open(&f, "/a", O_RDWR | O_CREAT, 0644, &file), 0);
	KEXPECT_EQ(vfs_write(file, page_buf, 2 * PAGE_SIZE, &len), 0);
	/* A write that runs out of room half way stops there. */
	KEXPECT_EQ(vfs_write(file, page_buf, 2 * PAGE_SIZE, &len), 0);
	KEXPECT_EQ(len, PAGE_SIZE);
	KEXPECT_EQ(vfs_write(file, page_buf, 1, &len), -ENOSPC);
	KEXPECT_EQ(tmpfs_get_page(file->inode, 100, true, &page), -ENOSPC);
	/* Overwriting what exists needs no room. */
	KEXPECT_EQ(vfs_pwrite(file, page_buf, 10, 5, &len), 0);
	/* Sparse growth needs none either. */
	KEXPECT_EQ(vfs_ftruncate(file, 1 << 30), 0);
	KEXPECT_EQ(vfs_ftruncate(file, PAGE_SIZE), 0);
	KEXPECT_EQ(vfs_write(file, page_buf, 1, &len), 0);
	file_put(file);
	KEXPECT(vfs_is_consistent(f.vfs));
	vfs_fixture_teardown(t, &f);
}

KTEST(tmpfs, test_tmpfs_inode_limit_is_enospc)
{
	struct tmpfs_options opts = {.mode = 0755, .max_inodes = 3};
	struct vfs_fixture f;

	KASSERT(vfs_fixture_setup_opts(t, &f, &opts));
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, "/a", 0755), 0);
	KEXPECT_EQ(fx_write_file(&f, "/b", 0644, "", 0), 0);
	KEXPECT_EQ(vfs_symlink(&f.ctx, "x", NULL, "/c"), -ENOSPC);
	KEXPECT_EQ(vfs_mknod(&f.ctx, NULL, "/c", S_IFIFO | 0644, 0), -ENOSPC);
	KEXPECT_EQ(vfs_link(&f.ctx, NULL, "/b", NULL, "/c", 0), 0);
	KEXPECT_EQ(vfs_unlink(&f.ctx, NULL, "/b"), 0);
	KEXPECT_EQ(vfs_unlink(&f.ctx, NULL, "/c"), 0);
	KEXPECT_EQ(vfs_symlink(&f.ctx, "x", NULL, "/c"), 0);
	vfs_fixture_teardown(t, &f);
}

KTEST(tmpfs, test_tmpfs_inode_numbers_are_unique)
{
	struct vfs_fixture f;
	struct kstat a;
	struct kstat b;

	KASSERT(vfs_fixture_setup(t, &f));
	KEXPECT_EQ(fx_write_file(&f, "/a", 0644, "", 0), 0);
	KEXPECT_EQ(fx_write_file(&f, "/b", 0644, "", 0), 0);
	KEXPECT_EQ(fx_stat(&f, "/a", false, &a), 0);
	KEXPECT_EQ(fx_stat(&f, "/b", false, &b), 0);
	KEXPECT(a.ino != b.ino && a.dev == b.dev);
	KEXPECT_EQ(vfs_unlink(&f.ctx, NULL, "/a"), 0);
	KEXPECT_EQ(fx_write_file(&f, "/a", 0644, "", 0), 0);
	KEXPECT_EQ(fx_stat(&f, "/a", false, &b), 0);
	KEXPECT(a.ino != b.ino);
	vfs_fixture_teardown(t, &f);
}

static uint64_t size_of(struct vfs_fixture *f, const char *pathname)
{
	struct kstat st;

	if (fx_stat(f, pathname, true, &st) != 0)
		return UINT64_MAX;
	return st.size;
}

/* ABI: shmem's BOGO_DIRENT_SIZE: 40 for "." and "..", 20 more per name. */
KTEST(tmpfs, test_tmpfs_directory_size_counts_entries)
{
	struct vfs_fixture f;
	struct kstat st;

	KASSERT(vfs_fixture_setup(t, &f));
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, "/d", 0755), 0);
	KEXPECT_EQ(size_of(&f, "/d"), 40);
	KEXPECT_EQ(fx_stat(&f, "/d", true, &st), 0);
	KEXPECT_EQ(st.blocks, 0);
	KEXPECT_EQ(fx_write_file(&f, "/d/a", 0644, "", 0), 0);
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, "/d/sub", 0755), 0);
	KEXPECT_EQ(vfs_symlink(&f.ctx, "a", NULL, "/d/s"), 0);
	KEXPECT_EQ(size_of(&f, "/d"), 100);
	KEXPECT_EQ(vfs_link(&f.ctx, NULL, "/d/a", NULL, "/d/b", 0), 0);
	KEXPECT_EQ(size_of(&f, "/d"), 120);
	KEXPECT_EQ(fx_write_file(&f, "/d/c", 0644, "", 0), 0);
	KEXPECT_EQ(vfs_rename(&f.ctx, NULL, "/d/c", NULL, "/d/b", 0), 0);
	KEXPECT_EQ(size_of(&f, "/d"), 120);
	KEXPECT_EQ(vfs_unlink(&f.ctx, NULL, "/d/b"), 0);
	KEXPECT_EQ(size_of(&f, "/d"), 100);
	KEXPECT_EQ(vfs_rename(&f.ctx, NULL, "/d/a", NULL, "/a", 0), 0);
	KEXPECT_EQ(size_of(&f, "/d"), 80);
	KEXPECT_EQ(vfs_rename(&f.ctx, NULL, "/a", NULL, "/d/s", RENAME_EXCHANGE), 0);
	KEXPECT_EQ(size_of(&f, "/d"), 80);
	KEXPECT_EQ(vfs_unlink(&f.ctx, NULL, "/d/s"), 0);
	KEXPECT_EQ(vfs_rmdir(&f.ctx, NULL, "/d/sub"), 0);
	KEXPECT_EQ(size_of(&f, "/d"), 40);
	vfs_fixture_teardown(t, &f);
}

static int parse(const char *s, struct tmpfs_options *o, uint32_t *seen)
{
	static char buf[128];

	strlcpy(buf, s, sizeof(buf));
	*o = (struct tmpfs_options){.mode = 01777};
	return tmpfs_parse_options(buf, o, seen);
}

KTEST(tmpfs, test_tmpfs_parse_options)
{
	struct tmpfs_options o;
	uint32_t seen;

	KEXPECT_EQ(parse("", &o, &seen), 0);
	KEXPECT(seen == 0 && o.mode == 01777 && o.max_pages == 0);
	KEXPECT_EQ(parse("size=1m,nr_inodes=2k,mode=0755,uid=5,gid=6", &o, &seen), 0);
	KEXPECT_EQ(seen, TMPFS_SEEN_SIZE | TMPFS_SEEN_INODES);
	KEXPECT(o.max_pages == 256 && o.max_inodes == 2048 && o.mode == 0755);
	KEXPECT(o.uid == 5 && o.gid == 6);
	KEXPECT_EQ(parse(",size=4097,,", &o, &seen), 0);
	KEXPECT_EQ(o.max_pages, 2);
	KEXPECT_EQ(parse("size=1G", &o, &seen), 0);
	KEXPECT_EQ(o.max_pages, 262144);
	KEXPECT_EQ(parse("size", &o, &seen), -EINVAL);
	KEXPECT_EQ(parse("size=1x", &o, &seen), -EINVAL);
	KEXPECT_EQ(parse("size=99999999999999999g", &o, &seen), -EINVAL);
	KEXPECT_EQ(parse("mode=8", &o, &seen), -EINVAL);
	KEXPECT_EQ(parse("mode=10000", &o, &seen), -EINVAL);
	KEXPECT_EQ(parse("uid=4294967295", &o, &seen), -EINVAL);
	KEXPECT_EQ(parse("uid=1k", &o, &seen), -EINVAL);
	KEXPECT_EQ(parse("bogus=1", &o, &seen), -EINVAL);
}

KTEST(tmpfs, test_tmpfs_remount_changes_limits)
{
	struct tmpfs_options opts = {.mode = 0755, .max_pages = 8, .max_inodes = 8};
	struct vfs_fixture f;
	struct statfs sf;
	char data[64];

	KASSERT(vfs_fixture_setup_opts(t, &f, &opts));
	memset(page_buf, 'x', sizeof(page_buf));
	KEXPECT_EQ(fx_write_file(&f, "/a", 0644, page_buf, 2 * PAGE_SIZE), 0);
	strlcpy(data, "size=1,mode=0700,uid=7", sizeof(data));
	KEXPECT_EQ(vfs_remount(&f.ctx, NULL, "/", MS_REMOUNT, data), -EINVAL);
	strlcpy(data, "nr_inodes=1", sizeof(data));
	KEXPECT_EQ(vfs_remount(&f.ctx, NULL, "/", MS_REMOUNT, data), -EINVAL);
	strlcpy(data, "what=1", sizeof(data));
	KEXPECT_EQ(vfs_remount(&f.ctx, NULL, "/", MS_REMOUNT, data), -EINVAL);
	strlcpy(data, "size=12k,nr_inodes=3,mode=0700,uid=7", sizeof(data));
	KEXPECT_EQ(vfs_remount(&f.ctx, NULL, "/", MS_REMOUNT, data), 0);
	KEXPECT_EQ(vfs_statfs(&f.ctx, NULL, "/", &sf), 0);
	KEXPECT(sf.f_blocks == 3 && sf.f_bfree == 1 && sf.f_files == 3 && sf.f_ffree == 1);
	/* mode= and uid= change nothing on a remount. */
	KEXPECT_EQ(size_of(&f, "/a"), 2 * PAGE_SIZE);
	struct kstat st;
	KEXPECT_EQ(fx_stat(&f, "/", true, &st), 0);
	KEXPECT(st.mode == (S_IFDIR | 0755) && st.uid == 0);
	KEXPECT(fx_write_file(&f, "/b", 0644, page_buf, 2 * PAGE_SIZE) != 0); /* short: ENOSPC */
	strlcpy(data, "size=0", sizeof(data));
	KEXPECT_EQ(vfs_remount(&f.ctx, NULL, "/", MS_REMOUNT, data), 0);
	KEXPECT_EQ(fx_write_file(&f, "/b", 0644, page_buf, 2 * PAGE_SIZE), 0);
	vfs_fixture_teardown(t, &f);
}
