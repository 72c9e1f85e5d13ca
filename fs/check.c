// SPDX-License-Identifier: MIT
/*
 * The VFS's invariants, checked on demand by tests and fuzzers: dentry
 * counts and cache state, agreement of the cache with each file system,
 * inode reference counts, mount bookkeeping. Slow on purpose: it
 * recounts everything from scratch.
 */
#include "internal.h"

#define CHECK(cond)                                                                           \
	do {                                                                                  \
		if (!(cond)) {                                                                \
			pr_err("vfs check failed at %s:%d: %s\n", __FILE__, __LINE__, #cond); \
			return false;                                                         \
		}                                                                             \
	} while (0)

struct counts {
	uint64_t nr_dentries;
	uint64_t nr_unused;
};

/* The cache says d->inode (or nothing) is at d's name: does the fs agree? */
static bool agrees_with_fs(const struct dentry *d)
{
	struct inode *dir = d->parent->inode;
	struct inode *found;

	if (dir->ops->lookup(dir, d->name, d->name_len, &found) != 0)
		return false;
	if (found)
		inode_put(found);
	return found == d->inode;
}

static uint32_t nr_children(const struct dentry *d)
{
	const struct list_head *pos;
	uint32_t nr = 0;

	list_for_each(pos, &d->children)
		nr++;
	return nr;
}

static uint32_t nr_mounts_on(struct vfs *vfs, const struct dentry *d)
{
	struct list_head *pos;
	uint32_t nr = 0;

	list_for_each(pos, &vfs->mount_list)
		nr += list_entry(pos, struct mount, link)->mountpoint == d;
	return nr;
}

static bool check_dentry(struct vfs *vfs, struct dentry *d, struct counts *c)
{
	c->nr_dentries++;
	CHECK(d->name[d->name_len] == '\0' && d->name_len > 0 && d->name_len <= NAME_MAX);
	CHECK(d->refcount >= nr_children(d) + d->nr_mounts);
	CHECK(d->nr_mounts == nr_mounts_on(vfs, d));
	CHECK(!(d->flags & DENTRY_ON_LRU) == (d->refcount > 0));
	if (d->flags & DENTRY_ON_LRU) {
		CHECK(d->flags & DENTRY_HASHED);
		c->nr_unused++;
	}
	if (d->inode) {
		CHECK(d->inode->sb == d->sb);
		d->inode->nr_check_refs++;
	}
	if (dentry_is_root(d)) {
		CHECK(d->sb->root == d && !(d->flags & DENTRY_HASHED));
		return true;
	}
	CHECK(d->parent->sb == d->sb && dentry_is_dir(d->parent));
	if (d->flags & DENTRY_HASHED) {
		CHECK(dcache_is_in_its_bucket(d));
		/* A file system that revalidates makes new inodes on each lookup. */
		CHECK(d->sb->ops->dentry_is_valid || agrees_with_fs(d));
	}
	return true;
}

static bool check_tree(struct vfs *vfs, struct dentry *d, struct counts *c)
{
	struct list_head *pos;

	if (!check_dentry(vfs, d, c))
		return false;
	list_for_each(pos, &d->children) {
		struct dentry *child = list_entry(pos, struct dentry, child_link);

		CHECK(child->parent == d);
		if (!check_tree(vfs, child, c))
			return false;
	}
	return true;
}

static void clear_inode_counts(struct super_block *sb)
{
	struct list_head *pos;

	list_for_each(pos, &sb->inode_list)
		list_entry(pos, struct inode, sb_link)->nr_check_refs = 0;
}

static bool check_inode_counts(struct super_block *sb)
{
	struct list_head *pos;
	uint64_t nr = 0;

	list_for_each(pos, &sb->inode_list) {
		struct inode *inode = list_entry(pos, struct inode, sb_link);

		CHECK(inode->refcount == inode->nr_check_refs);
		CHECK(inode->refcount > 0 || inode->nlink > 0);
		nr++;
	}
	CHECK(nr == sb->nr_inodes);
	return true;
}

static bool check_mounts(struct vfs *vfs)
{
	struct list_head *pos;
	struct list_head *other;

	list_for_each(pos, &vfs->mount_list) {
		struct mount *mnt = list_entry(pos, struct mount, link);
		uint32_t nr_children = 0;

		CHECK(mnt->parent || mnt == vfs->root_mount);
		CHECK(!mnt->parent == !mnt->mountpoint);
		CHECK(mnt->root->sb == mnt->sb && mnt->root->refcount > 0);
		list_for_each(other, &vfs->mount_list)
			nr_children += list_entry(other, struct mount, link)->parent == mnt;
		CHECK(mnt->nr_children == nr_children);
		CHECK(mnt->refcount >= 1 + nr_children);
		CHECK(mnt->sb->refcount >= 1);
	}
	return true;
}

bool vfs_is_consistent(struct vfs *vfs)
{
	struct counts c = {0};
	struct list_head *pos;
	bool ok;

	vfs_lock(vfs);
	ok = check_mounts(vfs);
	list_for_each(pos, &vfs->sb_list)
		clear_inode_counts(list_entry(pos, struct super_block, link));
	list_for_each(pos, &vfs->sb_list) {
		struct super_block *sb = list_entry(pos, struct super_block, link);

		ok = ok && (!sb->root || check_tree(vfs, sb->root, &c));
	}
	list_for_each(pos, &vfs->sb_list) {
		struct super_block *sb = list_entry(pos, struct super_block, link);

		ok = ok && check_inode_counts(sb);
		ok = ok && (!sb->ops->is_consistent || sb->ops->is_consistent(sb));
	}
	if (ok && (c.nr_dentries != vfs->nr_dentries || c.nr_unused != vfs->nr_unused)) {
		pr_err("vfs check failed: %llu dentries (%llu unused) found, %llu (%llu) counted\n",
		       (unsigned long long)c.nr_dentries, (unsigned long long)c.nr_unused,
		       (unsigned long long)vfs->nr_dentries, (unsigned long long)vfs->nr_unused);
		ok = false;
	}
	vfs_unlock(vfs);
	return ok;
}
