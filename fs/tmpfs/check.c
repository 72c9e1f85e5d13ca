// SPDX-License-Identifier: MIT
/*
 * tmpfs's invariants, for vfs_is_consistent (tests and fuzzers): link
 * counts against the entries that name each inode, directory cookies in
 * order, and page counts against the page trees. Under vfs->lock.
 */
#include "internal.h"

#define CHECK(cond)                                                                             \
	do {                                                                                    \
		if (!(cond)) {                                                                  \
			pr_err("tmpfs check failed at %s:%d: %s\n", __FILE__, __LINE__, #cond); \
			return false;                                                           \
		}                                                                               \
	} while (0)

/* Counts names per inode; checks the entries of one directory. */
static bool check_dir_entries(struct inode *dir)
{
	struct tmpfs_inode *td = to_tmpfs_inode(dir);
	struct list_head *pos;
	uint64_t last_cookie = 1;
	uint64_t nr_entries = 0;

	list_for_each(pos, &td->dir.entry_list) {
		struct tmpfs_dirent *de = list_entry(pos, struct tmpfs_dirent, link);

		CHECK(de->cookie > last_cookie && de->cookie < td->dir.next_cookie);
		CHECK(de->inode->sb == dir->sb && !(de->inode->flags & INODE_DEAD));
		CHECK(de->name_len > 0 && de->name[de->name_len] == '\0');
		last_cookie = de->cookie;
		to_tmpfs_inode(de->inode)->nr_names_seen++;
		nr_entries++;
	}
	CHECK(dir->size == (2 + nr_entries) * TMPFS_DIRENT_BYTES);
	return true;
}

static uint32_t count_subdirs(struct inode *dir)
{
	struct list_head *pos;
	uint32_t nr = 0;

	list_for_each(pos, &to_tmpfs_inode(dir)->dir.entry_list)
		nr += S_ISDIR(list_entry(pos, struct tmpfs_dirent, link)->inode->mode);
	return nr;
}

/* Pages past the size are allowed: fallocate with FALLOC_FL_KEEP_SIZE files them. */
static bool check_file_pages(struct inode *inode, uint64_t *nr_pages)
{
	struct page_tree *pt = &to_tmpfs_inode(inode)->pages;

	CHECK(inode->nr_blocks == pt->nr_pages * (PAGE_SIZE / 512));
	*nr_pages += pt->nr_pages;
	return true;
}

static bool check_links(struct super_block *sb, struct inode *inode)
{
	uint32_t seen = to_tmpfs_inode(inode)->nr_names_seen;

	if (!S_ISDIR(inode->mode)) {
		CHECK(inode->nlink == seen);
		return true;
	}
	if (inode->flags & INODE_DEAD) {
		CHECK(inode->nlink == 0 && seen == 0);
		return true;
	}
	CHECK(inode->nlink == 2 + count_subdirs(inode));
	CHECK(seen == (inode == sb->root->inode ? 0u : 1u));
	return true;
}

bool tmpfs_is_consistent(struct super_block *sb)
{
	struct tmpfs_sb *tsb = to_tmpfs_sb(sb);
	uint64_t nr_pages = 0;
	struct list_head *pos;

	list_for_each(pos, &sb->inode_list)
		to_tmpfs_inode(list_entry(pos, struct inode, sb_link))->nr_names_seen = 0;
	list_for_each(pos, &sb->inode_list) {
		struct inode *inode = list_entry(pos, struct inode, sb_link);

		if (S_ISDIR(inode->mode) && !check_dir_entries(inode))
			return false;
	}
	list_for_each(pos, &sb->inode_list) {
		struct inode *inode = list_entry(pos, struct inode, sb_link);

		if (!check_links(sb, inode))
			return false;
		if (S_ISREG(inode->mode) && !check_file_pages(inode, &nr_pages))
			return false;
	}
	CHECK(nr_pages == tsb->nr_pages);
	CHECK(!tsb->opts.max_pages || tsb->nr_pages <= tsb->opts.max_pages);
	CHECK(!tsb->opts.max_inodes || sb->nr_inodes <= tsb->opts.max_inodes);
	return true;
}
