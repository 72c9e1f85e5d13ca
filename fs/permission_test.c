// SPDX-License-Identifier: MIT
/*
 * Host tests for fs/permission.c, table-driven on bare inodes: the owner,
 * group and other classes, supplementary groups, the capabilities that
 * override them (and the execute-bit rule for root), sticky directories,
 * and the owner, group and mode of new inodes.
 */
#include <tern/errno.h>
#include <tern/ktest.h>

#include "internal.h"

static const uint32_t groups[] = {50, 60};

static struct vfs_cred user(uint32_t uid, uint32_t gid)
{
	return (struct vfs_cred){.fsuid = uid, .fsgid = gid, .nr_groups = 2, .groups = groups};
}

static const struct vfs_cred root = {.caps = VFS_CAPS_ALL};

/* Bare inodes: inode_permission reads only mode, uid, gid and the sb's read-only state. */
static struct super_block bare_sb;

static struct inode file_of(uint32_t mode, uint32_t uid, uint32_t gid)
{
	return (struct inode){.sb = &bare_sb, .mode = S_IFREG | mode, .uid = uid, .gid = gid};
}

struct perm_case {
	uint32_t mode;
	uint32_t uid; /* the caller's; the file is 10:20 */
	uint32_t gid;
	unsigned int mask;
	int want;
};

KTEST(permission, test_inode_permission_classes)
{
	static const struct perm_case cases[] = {
		{0600, 10, 99, MAY_READ | MAY_WRITE, 0},
		{0600, 11, 20, MAY_READ, -EACCES},
		{0060, 11, 20, MAY_READ | MAY_WRITE, 0},
		/* The owner's class applies even when the group's would allow. */
		{0060, 10, 20, MAY_READ, -EACCES},
		/* Supplementary groups count as the group. */
		{0040, 11, 99, MAY_READ, -EACCES},
		{0004, 11, 99, MAY_READ, 0},
		{0004, 11, 20, MAY_READ, -EACCES},
		{0001, 11, 98, MAY_EXEC, 0},
		{0777, 11, 98, MAY_READ | MAY_WRITE | MAY_EXEC, 0},
		{0000, 10, 20, 0, 0},
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct perm_case *c = &cases[i];
		struct inode inode = file_of(c->mode, 10, 20);
		struct vfs_cred cred = user(c->uid, c->gid);

		if (!KEXPECT_EQ(inode_permission(&cred, &inode, c->mask), c->want))
			klog(LOG_ERR, "  case %zu\n", i);
	}
	struct inode in_group = file_of(0040, 10, 60);
	struct vfs_cred outsider = user(11, 99);

	KEXPECT_EQ(inode_permission(&outsider, &in_group, MAY_READ), 0);
}

KTEST(permission, test_inode_permission_capabilities)
{
	struct inode plain = file_of(0000, 10, 20);
	struct inode exec = file_of(0010, 10, 20);
	struct inode dir = {.sb = &bare_sb, .mode = S_IFDIR | 0000, .uid = 10, .gid = 20};
	struct vfs_cred reader = user(11, 99);

	KEXPECT_EQ(inode_permission(&root, &plain, MAY_READ | MAY_WRITE), 0);
	KEXPECT_EQ(inode_permission(&root, &plain, MAY_EXEC), -EACCES);
	KEXPECT_EQ(inode_permission(&root, &exec, MAY_EXEC), 0);
	KEXPECT_EQ(inode_permission(&root, &dir, MAY_EXEC | MAY_READ | MAY_WRITE), 0);
	/* CAP_DAC_READ_SEARCH alone: read anything, search directories, nothing more. */
	reader.caps = 1ULL << CAP_DAC_READ_SEARCH;
	KEXPECT_EQ(inode_permission(&reader, &plain, MAY_READ), 0);
	KEXPECT_EQ(inode_permission(&reader, &plain, MAY_WRITE), -EACCES);
	KEXPECT_EQ(inode_permission(&reader, &exec, MAY_EXEC), -EACCES);
	KEXPECT_EQ(inode_permission(&reader, &dir, MAY_READ | MAY_EXEC), 0);
	KEXPECT_EQ(inode_permission(&reader, &dir, MAY_WRITE), -EACCES);
	KEXPECT(inode_owner_or_capable(&root, &plain));
	KEXPECT(!inode_owner_or_capable(&reader, &plain));
	reader.fsuid = 10;
	KEXPECT(inode_owner_or_capable(&reader, &plain));
}

KTEST(permission, test_new_inode_attrs)
{
	struct vfs_cred cred = user(5, 6);
	struct vfs_ctx ctx = {.cred = &cred};
	struct inode plain_dir = {.mode = S_IFDIR | 0777, .uid = 1, .gid = 2};
	struct inode sgid_dir = {.mode = S_IFDIR | 02777, .uid = 1, .gid = 60};
	struct vfs_new_inode ni;

	new_inode_attrs(&ctx, &plain_dir, S_IFREG | 02755, &ni);
	KEXPECT(ni.uid == 5 && ni.gid == 6 && ni.mode == (S_IFREG | 02755));
	new_inode_attrs(&ctx, &sgid_dir, S_IFDIR | 0755, &ni);
	KEXPECT(ni.gid == 60 && ni.mode == (S_IFDIR | 02755));
	/* In the group (a supplementary one): the bit stays. */
	new_inode_attrs(&ctx, &sgid_dir, S_IFREG | 02755, &ni);
	KEXPECT(ni.gid == 60 && ni.mode == (S_IFREG | 02755));
	sgid_dir.gid = 70;
	new_inode_attrs(&ctx, &sgid_dir, S_IFREG | 02755, &ni);
	KEXPECT(ni.gid == 70 && ni.mode == (S_IFREG | 0755));
	new_inode_attrs(&ctx, &sgid_dir, S_IFREG | 02745, &ni);
	KEXPECT_EQ(ni.mode, S_IFREG | 02745);
	ctx.cred = &root;
	new_inode_attrs(&ctx, &sgid_dir, S_IFREG | 02755, &ni);
	KEXPECT(ni.uid == 0 && ni.gid == 70 && ni.mode == (S_IFREG | 02755));
}
