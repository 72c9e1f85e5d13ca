// SPDX-License-Identifier: MIT
/*
 * tmpfs regular files: data in pages filed by index in a page tree
 * (page_tree.c). Unwritten ranges have no page and read as zeros; bytes
 * of a page past the file size are kept zero, so growing a file never
 * shows old data; fallocate may file zero pages past the size, which
 * truncation frees. SEEK_DATA and SEEK_HOLE see pages. The file ops take
 * vfs->lock themselves (the VFS calls them unlocked).
 */
#include <linux/falloc.h>
#include <tern/errno.h>
#include <tern/mm.h>
#include <tern/string.h>

#include "internal.h"

#define SECTORS_PER_PAGE (PAGE_SIZE / 512)

/*
 * Where file data pages come from: reference-counted page frames, filed
 * by their direct-map address. The tree owns one reference; a mapping
 * of the page holds its own (tmpfs_map_page), so the page outlives its
 * removal from the file by truncation or unlink.
 */
static void *data_page_alloc(void)
{
	uint64_t pa = mm_alloc_zeroed_page();

	return pa ? phys_to_virt(pa) : NULL;
}

static void data_page_free(void *page)
{
	mm_put_page(virt_to_phys(page));
}

/* Frees the pages at indices first..last, keeping the counts right. */
static void drop_pages(struct inode *inode, uint64_t first, uint64_t last)
{
	struct page_tree *pt = &to_tmpfs_inode(inode)->pages;
	uint64_t before = pt->nr_pages;

	page_tree_remove(pt, first, last, data_page_free);
	to_tmpfs_sb(inode->sb)->nr_pages -= before - pt->nr_pages;
	inode->nr_blocks = pt->nr_pages * SECTORS_PER_PAGE;
}

void tmpfs_free_pages(struct inode *inode)
{
	drop_pages(inode, 0, UINT64_MAX);
}

/* Files page (which must be absent) at index: 0, or ENOMEM leaving page to the caller. */
static int add_page(struct inode *inode, uint64_t index, void *page)
{
	int err = page_tree_insert(&to_tmpfs_inode(inode)->pages, index, page);

	if (err)
		return err;
	to_tmpfs_sb(inode->sb)->nr_pages++;
	inode->nr_blocks += SECTORS_PER_PAGE;
	return 0;
}

static int get_or_create_page(struct inode *inode, uint64_t index, void **out)
{
	struct tmpfs_sb *tsb = to_tmpfs_sb(inode->sb);
	struct page_tree *pt = &to_tmpfs_inode(inode)->pages;
	void *page = page_tree_lookup(pt, index);
	int err;

	if (page) {
		*out = page;
		return 0;
	}
	if (tsb->opts.max_pages && tsb->nr_pages >= tsb->opts.max_pages)
		return -ENOSPC;
	page = data_page_alloc();
	if (!page)
		return -ENOMEM;
	err = add_page(inode, index, page);
	if (err) {
		data_page_free(page);
		return err;
	}
	*out = page;
	return 0;
}

static void copy_out(struct inode *inode, uint64_t pos, char *buf, size_t len)
{
	struct page_tree *pt = &to_tmpfs_inode(inode)->pages;

	while (len > 0) {
		size_t off = pos % PAGE_SIZE;
		size_t chunk = MIN(len, PAGE_SIZE - off);
		const char *page = page_tree_lookup(pt, pos / PAGE_SIZE);

		if (page)
			memcpy(buf, page + off, chunk);
		else
			memset(buf, 0, chunk);
		buf += chunk;
		pos += chunk;
		len -= chunk;
	}
}

static int tmpfs_read(struct file *file, void *buf, size_t len, int64_t *pos, size_t *done)
{
	struct inode *inode = file->inode;
	size_t n = 0;

	vfs_lock(inode->sb->vfs);
	if ((uint64_t)*pos < inode->size) {
		n = (size_t)MIN((uint64_t)len, inode->size - (uint64_t)*pos);
		copy_out(inode, (uint64_t)*pos, buf, n);
	}
	*pos += (int64_t)n;
	*done = n;
	if (!(READ_ONCE(file->flags) & O_NOATIME))
		path_touch_atime(&file->path);
	vfs_unlock(inode->sb->vfs);
	return 0;
}

/* Copies in what it can; a page it cannot get ends the copy early. */
static int copy_in(struct inode *inode, uint64_t pos, const char *buf, size_t len, size_t *done)
{
	int err = 0;

	*done = 0;
	while (*done < len) {
		size_t off = pos % PAGE_SIZE;
		size_t chunk = MIN(len - *done, PAGE_SIZE - off);
		void *page;

		err = get_or_create_page(inode, pos / PAGE_SIZE, &page);
		if (err)
			break;
		memcpy((char *)page + off, buf + *done, chunk);
		*done += chunk;
		pos += chunk;
	}
	return *done ? 0 : err;
}

static int tmpfs_write(struct file *file, const void *buf, size_t len, int64_t *pos, size_t *done)
{
	struct inode *inode = file->inode;
	uint64_t max = inode->sb->max_file_bytes;
	int err = 0;

	*done = 0;
	if (len == 0)
		return 0;
	vfs_lock(inode->sb->vfs);
	if (READ_ONCE(file->flags) & O_APPEND)
		*pos = (int64_t)inode->size;
	if ((uint64_t)*pos >= max) {
		err = -EFBIG;
		goto out;
	}
	len = (size_t)MIN((uint64_t)len, max - (uint64_t)*pos);
	inode_kill_suid(inode, file->opener_can_fsetid);
	inode_touch_mtime(inode);
	err = copy_in(inode, (uint64_t)*pos, buf, len, done);
	*pos += (int64_t)*done;
	if (*done && (uint64_t)*pos > inode->size)
		inode->size = (uint64_t)*pos;
out:
	vfs_unlock(inode->sb->vfs);
	return err;
}

/* ABI: shmem_file_llseek: SEEK_DATA and SEEK_HOLE at page granularity, clamped to the size. */
static int seek_data_hole(struct inode *inode, int64_t offset, int whence, int64_t *out)
{
	struct page_tree *pt = &to_tmpfs_inode(inode)->pages;
	uint64_t size = inode->size;
	uint64_t last_index = size / PAGE_SIZE;
	uint64_t index;
	bool found;

	if (offset < 0 || (uint64_t)offset >= size)
		return -ENXIO;
	found = page_tree_find(pt, (uint64_t)offset / PAGE_SIZE, whence == SEEK_DATA, &index);
	if (whence == SEEK_DATA) {
		if (!found || index > last_index || index * PAGE_SIZE >= size)
			return -ENXIO;
		*out = MAX(offset, (int64_t)(index * PAGE_SIZE));
		return 0;
	}
	if (!found || index > last_index)
		*out = (int64_t)size;
	else
		*out = MIN(MAX(offset, (int64_t)(index * PAGE_SIZE)), (int64_t)size);
	return 0;
}

static int tmpfs_lseek(struct file *file, int64_t offset, int whence, int64_t *out)
{
	struct inode *inode = file->inode;
	uint64_t size;
	int err = 0;

	vfs_lock(inode->sb->vfs);
	size = inode->size;
	if (whence == SEEK_DATA || whence == SEEK_HOLE)
		err = seek_data_hole(inode, offset, whence, out);
	vfs_unlock(inode->sb->vfs);
	if (whence != SEEK_DATA && whence != SEEK_HOLE)
		return vfs_lseek_size(file, offset, whence, (int64_t)size, out);
	return err;
}

/*
 * ABI: shmem_setattr: a size not above the old one also frees pages
 * fallocated past it. Shrinking first unmaps every page wholly past the
 * new end from every process, private copies too (truncate_pagecache's
 * even_cows), so touching them raises SIGBUS.
 */
static int tmpfs_truncate(struct inode *inode, uint64_t size)
{
	if (size <= inode->size) {
		size_t tail = size % PAGE_SIZE;
		struct vma_zap zap = {
			.first = (size + PAGE_SIZE - 1) / PAGE_SIZE,
			.last = UINT64_MAX,
			.even_cows = true,
		};

		if (size < inode->size)
			vma_rmap_zap(&inode->mmap_rmap, &zap);
		drop_pages(inode, (size + PAGE_SIZE - 1) / PAGE_SIZE, UINT64_MAX);
		if (tail) {
			char *page =
				page_tree_lookup(&to_tmpfs_inode(inode)->pages, size / PAGE_SIZE);

			if (page)
				memset(page + tail, 0, PAGE_SIZE - tail);
		}
	}
	inode->size = size;
	return 0;
}

int tmpfs_get_page(struct inode *inode, uint64_t index, bool create, void **out)
{
	struct vfs *vfs = inode->sb->vfs;
	int err = 0;

	*out = NULL;
	if (!is_tmpfs_inode(inode) || !S_ISREG(inode->mode))
		return -EINVAL;
	if (index > (inode->sb->max_file_bytes - 1) / PAGE_SIZE)
		return -EFBIG;
	vfs_lock(vfs);
	if (create)
		err = get_or_create_page(inode, index, out);
	else
		*out = page_tree_lookup(&to_tmpfs_inode(inode)->pages, index);
	vfs_unlock(vfs);
	return err;
}

/* ABI: shmem_fault: SIGBUS from the first page wholly past the end of file. */
static int tmpfs_map_page(struct file *file, uint64_t index, uint64_t *pa_out)
{
	struct inode *inode = file->inode;
	void *page;
	int err = -ENXIO;

	vfs_lock(inode->sb->vfs);
	if (index < (inode->size + PAGE_SIZE - 1) / PAGE_SIZE) {
		err = get_or_create_page(inode, index, &page);
		if (!err) {
			*pa_out = virt_to_phys(page);
			mm_get_page(*pa_out);
		}
	}
	vfs_unlock(inode->sb->vfs);
	return err;
}

/* Zeroes bytes [from, to) of the page at index, if there is one; they lie in one page. */
static void zero_in_page(struct inode *inode, uint64_t index, uint64_t from, uint64_t to)
{
	char *page = page_tree_lookup(&to_tmpfs_inode(inode)->pages, index);

	if (page)
		memset(page + from % PAGE_SIZE, 0, (size_t)(to - from));
}

/* For a punch's zap: whether page is the file's own page at index (arg: the inode). */
static bool is_file_page(void *arg, uint64_t index, uint64_t page)
{
	struct inode *inode = arg;

	assert_held(&inode->sb->vfs->lock);
	return page_tree_lookup(&to_tmpfs_inode(inode)->pages, index) == phys_to_virt(page);
}

/* Unmaps the file's pages first..last from every process, leaving private copies. */
static void unmap_hole(struct inode *inode, uint64_t first, uint64_t last)
{
	struct vma_zap zap = {
		.first = first,
		.last = last,
		.is_file_page = is_file_page,
		.arg = inode,
	};

	vma_rmap_zap(&inode->mmap_rmap, &zap);
}

/*
 * ABI: shmem_fallocate and shmem_truncate_range: whole pages are unmapped
 * (not private copies: unmap_mapping_range without even_cows) and go, the
 * partial ones at the ends are zeroed in place.
 */
static void punch_hole(struct inode *inode, uint64_t offset, uint64_t end)
{
	uint64_t first_whole = (offset + PAGE_SIZE - 1) / PAGE_SIZE;
	uint64_t end_whole = end / PAGE_SIZE;

	if (offset % PAGE_SIZE)
		zero_in_page(inode, offset / PAGE_SIZE, offset,
			     MIN(end, (offset / PAGE_SIZE + 1) * PAGE_SIZE));
	if (end % PAGE_SIZE && end_whole * PAGE_SIZE >= offset)
		zero_in_page(inode, end_whole, end_whole * PAGE_SIZE, end);
	if (first_whole < end_whole) {
		unmap_hole(inode, first_whole, end_whole - 1);
		drop_pages(inode, first_whole, end_whole - 1);
	}
	inode_touch_mtime(inode);
}

/* The number of absent pages in [first, end). */
static uint64_t count_holes(const struct page_tree *pt, uint64_t first, uint64_t end)
{
	uint64_t nr = 0;
	uint64_t hole;
	uint64_t data;

	while (first < end && page_tree_find(pt, first, false, &hole) && hole < end) {
		if (!page_tree_find(pt, hole, true, &data) || data > end)
			data = end;
		nr += data - hole;
		first = data;
	}
	return nr;
}

/* Files the pages of *list (linked through their first word) into the holes of [first, end). */
static int fill_holes(struct inode *inode, uint64_t first, uint64_t end, void **list)
{
	struct page_tree *pt = &to_tmpfs_inode(inode)->pages;
	uint64_t index;
	int err;

	for (index = first; index < end && *list; index++) {
		void *page = *list;

		if (page_tree_lookup(pt, index))
			continue;
		*list = *(void **)page;
		*(void **)page = NULL;
		err = add_page(inode, index, page);
		if (err) {
			data_page_free(page);
			return err;
		}
	}
	return 0;
}

/*
 * ABI: shmem_fallocate's allocation: every page of the range, ENOSPC
 * (changing nothing) past the size limit. The pages are allocated before
 * any is filed, so running out of memory changes nothing either, except
 * when a tree node cannot be had: the zero pages filed by then stay.
 */
static int allocate_range(struct inode *inode, uint64_t offset, uint64_t end, bool keep_size)
{
	struct tmpfs_sb *tsb = to_tmpfs_sb(inode->sb);
	uint64_t first = offset / PAGE_SIZE;
	uint64_t last_end = (end + PAGE_SIZE - 1) / PAGE_SIZE;
	uint64_t nr = count_holes(&to_tmpfs_inode(inode)->pages, first, last_end);
	void *list = NULL;
	int err = 0;

	if (tsb->opts.max_pages && nr > tsb->opts.max_pages - tsb->nr_pages)
		return -ENOSPC;
	for (uint64_t i = 0; i < nr; i++) {
		void *page = data_page_alloc();

		if (!page) {
			err = -ENOMEM;
			break;
		}
		*(void **)page = list;
		list = page;
	}
	if (!err)
		err = fill_holes(inode, first, last_end, &list);
	while (list) {
		void *page = list;

		list = *(void **)page;
		data_page_free(page);
	}
	if (err)
		return err;
	if (!keep_size && end > inode->size)
		inode->size = end;
	inode_touch_ctime(inode);
	return 0;
}

static int tmpfs_fallocate(struct file *file, int mode, uint64_t offset, uint64_t len)
{
	struct inode *inode = file->inode;
	int err = 0;

	if (mode & ~(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE))
		return -EOPNOTSUPP;
	vfs_lock(inode->sb->vfs);
	if (mode & FALLOC_FL_PUNCH_HOLE)
		punch_hole(inode, offset, offset + len);
	else
		err = allocate_range(inode, offset, offset + len, mode & FALLOC_FL_KEEP_SIZE);
	vfs_unlock(inode->sb->vfs);
	return err;
}

const struct inode_ops tmpfs_file_inode_ops = {
	.truncate = tmpfs_truncate,
};

const struct file_ops tmpfs_file_ops = {
	.read = tmpfs_read,
	.write = tmpfs_write,
	.lseek = tmpfs_lseek,
	.fallocate = tmpfs_fallocate,
	.map_page = tmpfs_map_page,
};
