// SPDX-License-Identifier: MIT
/*
 * The dentry cache: dentries by (parent, name) in a hash table, negative
 * entries for names known to be absent, and an LRU of unused dentries
 * that the shrinker frees oldest first. The path walk (namei.c) is the
 * main user; file systems never see dentries.
 *
 * Lifetime: a dentry's refcount counts its holders, each child counting
 * once for its parent. When it drops to zero a hashed dentry stays
 * cached on the LRU; an unhashed one (unlinked, replaced, or a root) is
 * freed at once, and so, in turn, may its parent. All under vfs->lock.
 */
#include <tern/errno.h>

#include "internal.h"

/* FNV-1a over the name, mixed with the parent's address. */
static struct list_head *bucket_of(struct vfs *vfs, const struct dentry *parent, const char *name,
				   size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (uint8_t)name[i]) * 0x100000001b3ULL;
	h ^= (uint64_t)(uintptr_t)parent * 0x9e3779b97f4a7c15ULL;
	h ^= h >> 29;
	return &vfs->dcache_buckets[h & vfs->dcache_mask];
}

static void set_name(struct dentry *d, const char *name, size_t len, char *prepared)
{
	if (d->name && d->name != d->inline_name)
		kfree(d->name);
	if (prepared) {
		d->name = prepared;
	} else {
		assert(len < DENTRY_INLINE_NAME);
		d->name = d->inline_name;
	}
	memmove(d->name, name, len);
	d->name[len] = '\0';
	d->name_len = (uint32_t)len;
}

int dentry_name_prepare(size_t len, char **out)
{
	*out = NULL;
	if (len < DENTRY_INLINE_NAME)
		return 0;
	*out = kmalloc(len + 1);
	return *out ? 0 : -ENOMEM;
}

static struct dentry *dentry_new(struct super_block *sb, const char *name, size_t len)
{
	struct dentry *d = kzalloc(sizeof(*d));
	char *prepared;

	if (!d)
		return NULL;
	if (dentry_name_prepare(len, &prepared)) {
		kfree(d);
		return NULL;
	}
	set_name(d, name, len, prepared);
	d->sb = sb;
	d->refcount = 1;
	list_init(&d->hash_link);
	list_init(&d->lru_link);
	list_init(&d->child_link);
	list_init(&d->children);
	sb->vfs->nr_dentries++;
	sb->nr_dentries++;
	return d;
}

int dentry_alloc(struct dentry *parent, const char *name, size_t len, struct dentry **out)
{
	struct dentry *d;

	assert_vfs_locked(parent->sb->vfs);
	d = dentry_new(parent->sb, name, len);
	if (!d)
		return -ENOMEM;
	dentry_get(parent);
	d->parent = parent;
	list_insert_tail(&parent->children, &d->child_link);
	*out = d;
	return 0;
}

int dentry_alloc_root(struct super_block *sb, struct inode *inode, struct dentry **out)
{
	struct dentry *d;

	assert_vfs_locked(sb->vfs);
	d = dentry_new(sb, "/", 1);
	if (!d)
		return -ENOMEM;
	d->parent = d;
	d->inode = inode;
	*out = d;
	return 0;
}

void dentry_get(struct dentry *d)
{
	assert_vfs_locked(d->sb->vfs);
	if (d->flags & DENTRY_ON_LRU) {
		list_remove(&d->lru_link);
		d->flags &= ~DENTRY_ON_LRU;
		d->sb->vfs->nr_unused--;
	}
	d->refcount++;
}

/* Frees an unreferenced dentry; returns its parent, whose reference is now the caller's. */
static struct dentry *dentry_free(struct dentry *d)
{
	struct dentry *parent = dentry_is_root(d) ? NULL : d->parent;
	struct vfs *vfs = d->sb->vfs;

	assert(d->refcount == 0 && !(d->flags & (DENTRY_HASHED | DENTRY_ON_LRU)));
	assert(list_is_empty(&d->children) && d->nr_mounts == 0);
	list_remove(&d->child_link);
	if (d->inode)
		inode_put(d->inode);
	if (d->name != d->inline_name)
		kfree(d->name);
	vfs->nr_dentries--;
	d->sb->nr_dentries--;
	kfree(d);
	return parent;
}

void dentry_put(struct dentry *d)
{
	struct vfs *vfs = d->sb->vfs;

	assert_vfs_locked(vfs);
	while (d) {
		assert(d->refcount > 0);
		if (--d->refcount > 0)
			return;
		if (d->flags & DENTRY_HASHED) {
			list_insert_head(&vfs->dcache_lru, &d->lru_link);
			d->flags |= DENTRY_ON_LRU;
			vfs->nr_unused++;
			return;
		}
		d = dentry_free(d);
	}
}

/* Frees an unused dentry from the LRU, and parents that become unused and unhashed. */
static void dentry_kill_unused(struct dentry *d)
{
	struct vfs *vfs = d->sb->vfs;
	struct dentry *parent;

	assert(d->refcount == 0 && (d->flags & DENTRY_ON_LRU));
	list_remove(&d->lru_link);
	list_remove(&d->hash_link);
	d->flags &= ~(DENTRY_ON_LRU | DENTRY_HASHED);
	vfs->nr_unused--;
	parent = dentry_free(d);
	if (parent)
		dentry_put(parent);
}

struct dentry *dcache_find(struct dentry *parent, const char *name, size_t len)
{
	struct vfs *vfs = parent->sb->vfs;
	struct list_head *bucket = bucket_of(vfs, parent, name, len);
	struct list_head *pos;

	assert_vfs_locked(vfs);
	list_for_each(pos, bucket) {
		struct dentry *d = list_entry(pos, struct dentry, hash_link);

		if (d->parent == parent && d->name_len == len && memcmp(d->name, name, len) == 0) {
			dentry_get(d);
			return d;
		}
	}
	return NULL;
}

bool dcache_is_in_its_bucket(const struct dentry *d)
{
	struct list_head *bucket = bucket_of(d->sb->vfs, d->parent, d->name, d->name_len);
	struct list_head *pos;

	list_for_each(pos, bucket) {
		if (list_entry(pos, struct dentry, hash_link) == d)
			return true;
	}
	return false;
}

void dcache_insert(struct dentry *d)
{
	struct vfs *vfs = d->sb->vfs;

	assert_vfs_locked(vfs);
	assert(!(d->flags & DENTRY_HASHED) && !dentry_is_root(d));
	list_insert_head(bucket_of(vfs, d->parent, d->name, d->name_len), &d->hash_link);
	d->flags |= DENTRY_HASHED;
}

void dentry_unhash(struct dentry *d)
{
	assert_vfs_locked(d->sb->vfs);
	assert(d->refcount > 0);
	if (!(d->flags & DENTRY_HASHED))
		return;
	list_remove(&d->hash_link);
	d->flags &= ~DENTRY_HASHED;
}

void dentry_instantiate(struct dentry *d, struct inode *inode)
{
	assert_vfs_locked(d->sb->vfs);
	assert(!d->inode);
	d->inode = inode;
}

void dentry_move(struct dentry *d, struct dentry *new_parent, const char *name, size_t len,
		 char *prepared)
{
	bool was_hashed = d->flags & DENTRY_HASHED;
	struct dentry *old_parent = d->parent;

	assert_vfs_locked(d->sb->vfs);
	assert(d->refcount > 0 && !dentry_is_root(d));
	if (was_hashed)
		list_remove(&d->hash_link);
	d->flags &= ~DENTRY_HASHED;
	set_name(d, name, len, prepared);
	if (new_parent != old_parent) {
		dentry_get(new_parent);
		list_remove(&d->child_link);
		d->parent = new_parent;
		list_insert_tail(&new_parent->children, &d->child_link);
		dentry_put(old_parent);
	}
	if (was_hashed)
		dcache_insert(d);
}

void dentry_prune_children(struct dentry *d)
{
	struct list_head *pos;
	struct list_head *tmp;

	assert_vfs_locked(d->sb->vfs);
	assert(d->refcount > 0);
	list_for_each_safe(pos, tmp, &d->children) {
		struct dentry *child = list_entry(pos, struct dentry, child_link);

		if (child->flags & DENTRY_ON_LRU)
			dentry_kill_unused(child);
		else
			dentry_unhash(child);
	}
}

uint64_t dcache_shrink_locked(struct vfs *vfs, uint64_t nr)
{
	uint64_t nr_freed = 0;

	assert_vfs_locked(vfs);
	while (nr_freed < nr && !list_is_empty(&vfs->dcache_lru)) {
		dentry_kill_unused(list_entry(vfs->dcache_lru.prev, struct dentry, lru_link));
		nr_freed++;
	}
	return nr_freed;
}

uint64_t vfs_shrink_dcache(struct vfs *vfs, uint64_t nr)
{
	uint64_t nr_freed;

	vfs_lock(vfs);
	nr_freed = dcache_shrink_locked(vfs, nr);
	vfs_unlock(vfs);
	return nr_freed;
}

void dcache_shrink_sb(struct super_block *sb)
{
	struct vfs *vfs = sb->vfs;
	bool progress = true;

	assert_vfs_locked(vfs);
	while (progress) {
		struct list_head *pos;
		struct list_head *tmp;

		progress = false;
		list_for_each_safe(pos, tmp, &vfs->dcache_lru) {
			struct dentry *d = list_entry(pos, struct dentry, lru_link);

			if (d->sb == sb) {
				dentry_kill_unused(d);
				progress = true;
			}
		}
	}
}

bool dentry_is_ancestor(const struct dentry *ancestor, const struct dentry *d)
{
	for (;;) {
		if (d == ancestor)
			return true;
		if (dentry_is_root(d))
			return false;
		d = d->parent;
	}
}
