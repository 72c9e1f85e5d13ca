/* SPDX-License-Identifier: MIT */
/*
 * procfs's private types: the fixed tables of names (tree.c), its inodes
 * and super block (super.c), and the file operations of directories,
 * generated files and links (file.c). Inode fields are immutable after
 * creation except the owner, which revalidation refreshes under
 * vfs->lock (tag N).
 */
#pragma once

#include <tern/file.h>
#include <tern/procfs.h>

/* What a directory holds beyond its fixed entries. */
enum procfs_dir_kind {
	PROCFS_DIR_FIXED,   /* only its table */
	PROCFS_DIR_ROOT,    /* the table, then one directory per pid */
	PROCFS_DIR_TASKS,   /* one directory per thread */
	PROCFS_DIR_FDS,	    /* one link per descriptor */
	PROCFS_DIR_FDINFOS, /* one file per descriptor */
};

enum procfs_node_type {
	PROCFS_NODE_DIR,
	PROCFS_NODE_FILE,
	PROCFS_NODE_LINK_SELF,	      /* "<pid>" */
	PROCFS_NODE_LINK_THREAD_SELF, /* "<pid>/task/<tid>" */
	PROCFS_NODE_LINK_FIXED,	      /* entry->target */
	PROCFS_NODE_LINK_PROVIDER,    /* entry->link, computed by the provider */
};

struct procfs_table;

/* One name, fixed or standing for every id of a dynamic directory. */
struct procfs_entry {
	const char *name;
	uint8_t id; /* unique among all entries: part of the inode number */
	enum procfs_node_type type;
	uint32_t mode;			     /* S_IFMT type and permission bits */
	enum procfs_file file;		     /* PROCFS_NODE_FILE */
	enum procfs_link link;		     /* PROCFS_NODE_LINK_PROVIDER */
	const char *target;		     /* PROCFS_NODE_LINK_FIXED */
	enum procfs_dir_kind dir_kind;	     /* directories */
	const struct procfs_table *children; /* directories: fixed entries, may be NULL */
};

struct procfs_table {
	const struct procfs_entry *entries;
	size_t nr_entries;
};

/* tree.c: the root, and what the dynamic directories hold. */
extern const struct procfs_entry procfs_root_entry;
extern const struct procfs_entry procfs_pid_entry;    /* /proc/<pid> */
extern const struct procfs_entry procfs_tid_entry;    /* /proc/<pid>/task/<tid> */
extern const struct procfs_entry procfs_fd_entry;     /* fd/<n> */
extern const struct procfs_entry procfs_fdinfo_entry; /* fdinfo/<n> */

struct procfs_inode {
	struct inode vfs;
	const struct procfs_entry *entry; /* I */
	int pid;			  /* I: 0 outside the per-process directories */
	int tid;			  /* I: 0 unless inside task/<tid> */
	int fd;				  /* I: fd/<n> and fdinfo/<n>, else -1 */
	uint64_t identity;		  /* I: the owner's identity at creation */
	char *link_buf;			  /* N: PATH_MAX bytes once a link was read */
};

struct procfs_sb {
	const struct procfs_provider *provider; /* I */
};

static inline struct procfs_inode *to_procfs_inode(struct inode *inode)
{
	return container_of(inode, struct procfs_inode, vfs);
}

static inline const struct procfs_provider *procfs_provider_of(const struct inode *inode)
{
	return ((struct procfs_sb *)inode->sb->fs_private)->provider;
}

/* super.c: the inode number of an entry for (pid, tid, fd). */
uint64_t procfs_ino(const struct procfs_entry *e, int pid, int tid, int fd);

/* file.c */
extern const struct file_ops procfs_dir_file_ops;
extern const struct file_ops procfs_file_ops;
