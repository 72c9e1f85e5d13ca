// SPDX-License-Identifier: MIT
/*
 * procfs super block and inodes. Inodes are made on lookup, one per
 * (entry, pid, tid, fd), and freed when the dentry cache lets go of
 * them. Because processes come and go, every cached dentry is checked
 * again before the VFS reuses it (procfs_dentry_is_valid): a dead pid,
 * a pid reused by a new process or a closed descriptor sends the walk
 * back to procfs_lookup. Runs under vfs->lock; directory listing and
 * file contents are in file.c.
 */
#include <linux/magic.h>
#include <tern/errno.h>
#include <tern/string.h>

#include "internal.h"

/* Inode numbers: entry id, fd + 1, tid and pid in separate bit fields. */
uint64_t procfs_ino(const struct procfs_entry *e, int pid, int tid, int fd)
{
	return (uint64_t)e->id | ((uint64_t)(uint32_t)(fd + 1) & 0xffffff) << 8 |
	       ((uint64_t)(uint32_t)tid & 0xffff) << 32 | ((uint64_t)(uint32_t)pid & 0xffff) << 48;
}

static int procfs_get_link(struct inode *inode, const char **out, size_t *len);
static int procfs_lookup(struct inode *dir, const char *name, size_t len, struct inode **out);

static const struct inode_ops procfs_dir_inode_ops = {
	.lookup = procfs_lookup,
};

static const struct inode_ops procfs_link_inode_ops = {
	.get_link = procfs_get_link,
};

/*
 * ABI: proc_setattr accepts a size change and keeps nothing, so
 * open(O_TRUNC) of a writable /proc file (a shell's `echo 3 > ...`) works.
 */
static int procfs_truncate(struct inode *inode, uint64_t size)
{
	(void)inode, (void)size;
	return 0;
}

static const struct inode_ops procfs_file_inode_ops = {.truncate = procfs_truncate};

static int new_inode(struct super_block *sb, const struct procfs_entry *e, int pid, int tid, int fd,
		     const struct procfs_owner *owner, struct inode **out)
{
	struct procfs_inode *pi = kzalloc(sizeof(*pi));

	if (!pi)
		return -ENOMEM;
	inode_init(&pi->vfs, sb, procfs_ino(e, pid, tid, fd), e->mode);
	pi->entry = e;
	pi->pid = pid;
	pi->tid = tid;
	pi->fd = fd;
	if (owner) {
		pi->identity = owner->identity;
		pi->vfs.uid = owner->uid;
		pi->vfs.gid = owner->gid;
	}
	switch (e->type) {
	case PROCFS_NODE_DIR:
		pi->vfs.ops = &procfs_dir_inode_ops;
		pi->vfs.fops = &procfs_dir_file_ops;
		pi->vfs.nlink = 2;
		break;
	case PROCFS_NODE_FILE:
		pi->vfs.ops = &procfs_file_inode_ops;
		pi->vfs.fops = &procfs_file_ops;
		pi->vfs.nlink = 1;
		break;
	case PROCFS_NODE_LINK_PROVIDER:
		/* ABI: fd/N, cwd, root and exe; self and thread-self are ordinary links. */
		pi->vfs.flags |= INODE_MAGIC_LINK;
		pi->vfs.ops = &procfs_link_inode_ops;
		pi->vfs.nlink = 1;
		break;
	default:
		pi->vfs.ops = &procfs_link_inode_ops;
		pi->vfs.nlink = 1;
		break;
	}
	*out = &pi->vfs;
	return 0;
}

static const struct procfs_entry *find_fixed(const struct procfs_table *t, const char *name,
					     size_t len)
{
	for (size_t i = 0; t && i < t->nr_entries; i++) {
		const struct procfs_entry *e = &t->entries[i];

		if (strlen(e->name) == len && memcmp(e->name, name, len) == 0)
			return e;
	}
	return NULL;
}

/* A decimal id without sign or leading zeros, as Linux's name_to_int; -1 if not one. */
static int parse_id(const char *name, size_t len)
{
	uint64_t v = 0;

	if (len == 0 || len > 9 || (name[0] == '0' && len > 1))
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (name[i] < '0' || name[i] > '9')
			return -1;
		v = v * 10 + (uint64_t)(name[i] - '0');
	}
	return (int)v;
}

/* The dynamic child name names in dir, if any: 0 with *out or NULL. */
static int lookup_dynamic(struct procfs_inode *dir, const char *name, size_t len,
			  struct inode **out)
{
	const struct procfs_provider *prov = procfs_provider_of(&dir->vfs);
	struct procfs_owner owner;
	int id = parse_id(name, len);

	*out = NULL;
	if (id < 0)
		return 0;
	switch (dir->entry->dir_kind) {
	case PROCFS_DIR_ROOT:
		if (id == 0 || prov->owner(id, 0, &owner) != 0)
			return 0;
		return new_inode(dir->vfs.sb, &procfs_pid_entry, id, 0, -1, &owner, out);
	case PROCFS_DIR_TASKS:
		if (id == 0 || prov->owner(dir->pid, id, &owner) != 0)
			return 0;
		return new_inode(dir->vfs.sb, &procfs_tid_entry, dir->pid, id, -1, &owner, out);
	case PROCFS_DIR_FDS:
	case PROCFS_DIR_FDINFOS:
		if (prov->owner(dir->pid, dir->tid, &owner) != 0 ||
		    !prov->has_fd(dir->pid, dir->tid, id))
			return 0;
		return new_inode(dir->vfs.sb,
				 dir->entry->dir_kind == PROCFS_DIR_FDS ? &procfs_fd_entry
									: &procfs_fdinfo_entry,
				 dir->pid, dir->tid, id, &owner, out);
	default:
		return 0;
	}
}

static int procfs_lookup(struct inode *dir, const char *name, size_t len, struct inode **out)
{
	struct procfs_inode *pd = to_procfs_inode(dir);
	const struct procfs_entry *e = find_fixed(pd->entry->children, name, len);
	struct procfs_owner owner;

	if (!e)
		return lookup_dynamic(pd, name, len, out);
	*out = NULL;
	if (pd->pid && procfs_provider_of(dir)->owner(pd->pid, pd->tid, &owner) != 0)
		return 0;
	return new_inode(dir->sb, e, pd->pid, pd->tid, -1, pd->pid ? &owner : NULL, out);
}

static int procfs_get_link(struct inode *inode, const char **out, size_t *len)
{
	struct procfs_inode *pi = to_procfs_inode(inode);
	const struct procfs_provider *prov = procfs_provider_of(inode);
	int pid, tid;
	int n;

	if (pi->entry->type == PROCFS_NODE_LINK_FIXED) {
		*out = pi->entry->target;
		*len = strlen(pi->entry->target);
		return 0;
	}
	/*
	 * The text is rebuilt on each call; a walk that meets the link again
	 * before it is done with the old text is its own caller and gets the
	 * same text, since vfs->lock keeps every other caller out.
	 */
	if (!pi->link_buf && !(pi->link_buf = kmalloc(PATH_MAX)))
		return -ENOMEM;
	*out = pi->link_buf;
	switch (pi->entry->type) {
	case PROCFS_NODE_LINK_SELF:
	case PROCFS_NODE_LINK_THREAD_SELF:
		prov->self(&pid, &tid);
		if (pid <= 0)
			return -ENOENT;
		if (pi->entry->type == PROCFS_NODE_LINK_SELF)
			n = ksnprintf(pi->link_buf, PATH_MAX, "%d", pid);
		else
			n = ksnprintf(pi->link_buf, PATH_MAX, "%d/task/%d", pid, tid);
		*len = (size_t)n;
		return 0;
	default:
		return prov->get_link(pi->entry->link, pi->pid, pi->tid, pi->fd, pi->link_buf,
				      PATH_MAX, len);
	}
}

/* Is the cached d still what a lookup would find? Refreshes the owner. */
static bool procfs_dentry_is_valid(struct dentry *d)
{
	struct procfs_owner owner;
	struct procfs_inode *pi;
	const struct procfs_provider *prov;

	if (!d->inode)
		return false; /* names come and go: never trust a negative entry */
	pi = to_procfs_inode(d->inode);
	if (!pi->pid)
		return true;
	prov = procfs_provider_of(d->inode);
	if (prov->owner(pi->pid, pi->tid, &owner) != 0 || owner.identity != pi->identity)
		return false;
	if (pi->fd >= 0 && !prov->has_fd(pi->pid, pi->tid, pi->fd))
		return false;
	d->inode->uid = owner.uid;
	d->inode->gid = owner.gid;
	return true;
}

static void free_inode(struct inode *inode)
{
	struct procfs_inode *pi = to_procfs_inode(inode);

	kfree(pi->link_buf);
	inode_fini(inode);
	kfree(pi);
}

static void procfs_inode_unused(struct inode *inode)
{
	free_inode(inode);
}

static void procfs_destroy(struct super_block *sb)
{
	struct list_head *pos;
	struct list_head *tmp;

	list_for_each_safe(pos, tmp, &sb->inode_list) {
		struct inode *inode = list_entry(pos, struct inode, sb_link);

		assert(inode->refcount == 0);
		free_inode(inode);
	}
	kfree(sb->fs_private);
}

static void procfs_statfs(struct super_block *sb, struct statfs *out)
{
	(void)sb;
	out->f_type = PROC_SUPER_MAGIC;
	out->f_bsize = PAGE_SIZE;
	out->f_frsize = PAGE_SIZE;
	out->f_namelen = NAME_MAX;
}

static const struct super_ops procfs_super_ops = {
	.inode_unused = procfs_inode_unused,
	.destroy = procfs_destroy,
	.statfs = procfs_statfs,
	.dentry_is_valid = procfs_dentry_is_valid,
};

static int fill_super(struct super_block *sb, const void *arg, struct inode **root)
{
	struct procfs_sb *psb = kzalloc(sizeof(*psb));

	if (!psb)
		return -ENOMEM;
	psb->provider = arg;
	sb->fs_private = psb;
	sb->magic = PROC_SUPER_MAGIC;
	return new_inode(sb, &procfs_root_entry, 0, 0, -1, NULL, root);
}

int procfs_create(struct vfs *vfs, const struct procfs_provider *provider, struct super_block **out)
{
	return vfs_super_make(vfs, &procfs_super_ops, fill_super, provider, out);
}

bool is_procfs_super(const struct super_block *sb)
{
	return sb->ops == &procfs_super_ops;
}
