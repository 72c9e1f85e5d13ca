// SPDX-License-Identifier: MIT
/*
 * The character-device registry: which file ops serve which major and
 * minor numbers. open.c consults it when a device node is opened; the
 * drivers register at boot (memdev.c has null, zero and full). Guarded
 * by vfs->lock.
 */
#include <tern/errno.h>

#include "internal.h"

struct chrdev {
	uint32_t major;		    /* I */
	uint32_t minor_first;	    /* I */
	uint32_t nr_minors;	    /* I */
	const struct file_ops *ops; /* I */
	struct list_head link;	    /* N: in vfs->chrdev_list */
};

static bool ranges_overlap(const struct chrdev *c, uint32_t major, uint32_t first, uint32_t nr)
{
	return c->major == major && first < c->minor_first + c->nr_minors &&
	       c->minor_first < first + nr;
}

int vfs_register_chrdev(struct vfs *vfs, uint32_t major, uint32_t minor_first, uint32_t nr_minors,
			const struct file_ops *ops)
{
	struct list_head *pos;
	struct chrdev *c;
	int err = 0;

	if (nr_minors == 0 || major > 0xfff || minor_first > 0xfffff ||
	    nr_minors > 0x100000 - minor_first)
		return -EINVAL;
	vfs_lock(vfs);
	list_for_each(pos, &vfs->chrdev_list) {
		if (ranges_overlap(list_entry(pos, struct chrdev, link), major, minor_first,
				   nr_minors))
			err = -EBUSY;
	}
	c = err ? NULL : kmalloc(sizeof(*c));
	if (!err && !c)
		err = -ENOMEM;
	if (!err) {
		*c = (struct chrdev){major, minor_first, nr_minors, ops, LIST_HEAD_INIT(c->link)};
		list_insert_tail(&vfs->chrdev_list, &c->link);
	}
	vfs_unlock(vfs);
	return err;
}

const struct file_ops *chrdev_find(struct vfs *vfs, uint32_t rdev)
{
	struct list_head *pos;

	assert_vfs_locked(vfs);
	list_for_each(pos, &vfs->chrdev_list) {
		struct chrdev *c = list_entry(pos, struct chrdev, link);

		if (ranges_overlap(c, dev_major(rdev), dev_minor(rdev), 1))
			return c->ops;
	}
	return NULL;
}

void chrdev_unregister_all(struct vfs *vfs)
{
	assert_vfs_locked(vfs);
	while (!list_is_empty(&vfs->chrdev_list)) {
		struct chrdev *c = list_first_entry(&vfs->chrdev_list, struct chrdev, link);

		list_remove(&c->link);
		kfree(c);
	}
}

void vfs_set_fifo_ops(struct vfs *vfs, const struct file_ops *ops)
{
	vfs_lock(vfs);
	vfs->fifo_fops = ops;
	vfs_unlock(vfs);
}
