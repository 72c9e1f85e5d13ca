// SPDX-License-Identifier: MIT
/*
 * The VFS instance: creation and teardown, the namespace lock, the wall
 * clock for timestamps and credentials helpers. Objects live in dcache.c,
 * inode.c and mount.c; the walk in namei.c; operations in nameops.c,
 * rename.c, attr.c, stat.c, open.c and file.c.
 *
 * Locking: one mutex per struct vfs, vfs->lock (tag N in <tern/vfs.h>),
 * guards the whole namespace: dentries and the dentry cache, mounts,
 * super blocks, inode metadata and tmpfs contents. Every exported
 * namespace operation takes it for its whole length, so a walk and the
 * change it leads to are atomic. File I/O takes it inside the file op, so
 * a device that sleeps (a tty, a pipe) never holds it.
 *
 * Lock order:
 *   fdtable->lock      leaf: files are put only after it is released
 *   file->pos_lock  -> vfs->lock   (I/O on regular files and directories)
 *   vfs->lock       -> the allocator's locks
 * There is never more than one vfs->lock held: operations do not span
 * VFS instances.
 */
#include <tern/errno.h>
#include <tern/time.h>

#include "internal.h"

int vfs_create(unsigned int hash_bits, struct vfs **out)
{
	struct vfs *vfs;
	uint32_t nr_buckets;

	if (hash_bits < 1 || hash_bits > 20)
		return -EINVAL;
	nr_buckets = 1u << hash_bits;
	vfs = kzalloc(sizeof(*vfs));
	if (!vfs)
		return -ENOMEM;
	vfs->dcache_buckets = kmalloc(nr_buckets * sizeof(struct list_head));
	if (!vfs->dcache_buckets) {
		kfree(vfs);
		return -ENOMEM;
	}
	for (uint32_t i = 0; i < nr_buckets; i++)
		list_init(&vfs->dcache_buckets[i]);
	vfs->dcache_mask = nr_buckets - 1;
	mutex_init(&vfs->lock);
	list_init(&vfs->dcache_lru);
	list_init(&vfs->mount_list);
	list_init(&vfs->sb_list);
	list_init(&vfs->chrdev_list);
	vfs->next_mount_id = 1;
	vfs->next_anon_minor = 1;
	*out = vfs;
	return 0;
}

/* A mount with nothing mounted inside it, or NULL when none is left. */
static struct mount *find_leaf_mount(struct vfs *vfs)
{
	struct list_head *pos;

	list_for_each(pos, &vfs->mount_list) {
		struct mount *mnt = list_entry(pos, struct mount, link);

		if (mnt->nr_children == 0)
			return mnt;
	}
	return NULL;
}

void vfs_destroy(struct vfs *vfs)
{
	struct mount *mnt;

	vfs_lock(vfs);
	while ((mnt = find_leaf_mount(vfs)) != NULL) {
		assert(mnt->refcount == 1);
		mount_detach(mnt);
	}
	vfs->root_mount = NULL;
	dcache_shrink_locked(vfs, UINT64_MAX);
	assert(list_is_empty(&vfs->sb_list));
	assert(vfs->nr_dentries == 0 && vfs->nr_unused == 0);
	chrdev_unregister_all(vfs);
	vfs_unlock(vfs);
	kfree(vfs->dcache_buckets);
	kfree(vfs);
}

void vfs_lock(struct vfs *vfs)
{
	mutex_lock(&vfs->lock);
}

void vfs_unlock(struct vfs *vfs)
{
	mutex_unlock(&vfs->lock);
}

/* Anonymous device numbers (major 0) for st_dev, as Linux gives tmpfs. */
uint32_t vfs_alloc_anon_dev(struct vfs *vfs)
{
	assert_vfs_locked(vfs);
	return dev_make(0, vfs->next_anon_minor++);
}

struct vfs_time vfs_time_now(void)
{
	uint64_t ns = clock_realtime_ns();

	return (struct vfs_time){.sec = (int64_t)(ns / 1000000000u),
				 .nsec = (int64_t)(ns % 1000000000u)};
}

bool cred_in_group(const struct vfs_cred *cred, uint32_t gid)
{
	if (cred->fsgid == gid)
		return true;
	for (uint32_t i = 0; i < cred->nr_groups; i++) {
		if (cred->groups[i] == gid)
			return true;
	}
	return false;
}

void vfs_path_get(const struct path *path)
{
	struct vfs *vfs = path->mnt->vfs;

	vfs_lock(vfs);
	path_get_locked(path);
	vfs_unlock(vfs);
}

void vfs_path_put(const struct path *path)
{
	struct vfs *vfs = path->mnt->vfs;

	vfs_lock(vfs);
	path_put_locked(path);
	vfs_unlock(vfs);
}
