/* SPDX-License-Identifier: MIT */
/*
 * tmpfs's private types: its super block and inode state, directory
 * entries, and the radix tree of data pages (page_tree.c). Everything
 * is guarded by vfs->lock (tag N).
 */
#pragma once

#include <tern/file.h>
#include <tern/tmpfs.h>

/* A radix tree of pages by index, 64 slots a node; height 0 is empty. */
#define PAGE_TREE_SHIFT 6
#define PAGE_TREE_FANOUT (1u << PAGE_TREE_SHIFT)

struct page_tree {
	void *root;	     /* N: a node (height >= 1) or NULL */
	unsigned int height; /* N: levels of nodes; leaves are at level 1 */
	uint64_t nr_pages;   /* N: pages in the tree */
};

struct page_tree_node {
	void *slots[PAGE_TREE_FANOUT]; /* pages at level 1, nodes above */
};

void page_tree_init(struct page_tree *pt);
/* The page at index, or NULL. */
void *page_tree_lookup(const struct page_tree *pt, uint64_t index);
/* Puts page at index (which must be empty); ENOMEM leaves the pages as they were. */
int page_tree_insert(struct page_tree *pt, uint64_t index, void *page) __must_check;
/* Removes every page at index >= first, calling free_page on each. */
void page_tree_truncate(struct page_tree *pt, uint64_t first, void (*free_page)(void *page));
/* Removes the pages at indices first..last (inclusive), calling free_page on each. */
void page_tree_remove(struct page_tree *pt, uint64_t first, uint64_t last,
		      void (*free_page)(void *page));
/*
 * The first index >= start that holds a page (want_page) or none; false
 * if there is no page at or after start (the tree is never "full").
 */
bool page_tree_find(const struct page_tree *pt, uint64_t start, bool want_page, uint64_t *out);

struct tmpfs_sb {
	struct tmpfs_options opts; /* I */
	uint64_t next_ino;	   /* N */
	uint64_t nr_pages;	   /* N: data pages of all files */
};

/*
 * ABI: BOGO_DIRENT_SIZE in Linux mm/shmem.c: a directory's st_size is
 * this much per entry, plus two for "." and "..".
 */
#define TMPFS_DIRENT_BYTES 20

/* One name in a directory. */
struct tmpfs_dirent {
	struct list_head link; /* N: in the directory's entry_list, by cookie */
	struct inode *inode;   /* N: the inode named; a link, not a reference */
	uint64_t cookie;       /* N: getdents position, increasing along the list */
	uint32_t name_len;     /* N */
	char name[];	       /* N: NUL-terminated */
};

struct tmpfs_inode {
	struct inode vfs;
	uint32_t nr_names_seen; /* scratch for tmpfs_is_consistent */
	union {
		struct {
			struct list_head entry_list; /* N: struct tmpfs_dirent */
			uint64_t next_cookie;	     /* N: for the next entry, from 2 */
		} dir;
		struct page_tree pages; /* N: regular files */
		char *target;		/* I: symlinks, NUL-terminated */
	};
};

static inline struct tmpfs_inode *to_tmpfs_inode(struct inode *inode)
{
	return container_of(inode, struct tmpfs_inode, vfs);
}

static inline struct tmpfs_sb *to_tmpfs_sb(struct super_block *sb)
{
	return sb->fs_private;
}

extern const struct inode_ops tmpfs_dir_inode_ops;
extern const struct inode_ops tmpfs_file_inode_ops;
extern const struct inode_ops tmpfs_symlink_inode_ops;
extern const struct inode_ops tmpfs_special_inode_ops;
extern const struct file_ops tmpfs_dir_file_ops;
extern const struct file_ops tmpfs_file_ops;

/* super.c */
int tmpfs_new_inode(struct super_block *sb, const struct vfs_new_inode *ni,
		    struct inode **out) __must_check;
/* file.c */
void tmpfs_free_pages(struct inode *inode);
/* dir.c */
void tmpfs_free_dirents(struct inode *dir);
/* options.c: the super_ops hook behind a remount's options. */
int tmpfs_reconfigure(struct super_block *sb, char *data) __must_check;
/* check.c: the super_ops hook behind vfs_is_consistent. */
bool tmpfs_is_consistent(struct super_block *sb);
