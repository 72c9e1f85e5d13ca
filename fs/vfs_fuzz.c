// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the VFS: the input is a sequence of operations
 * (create, mkdir, rmdir, unlink, rename, link, symlink, mknod, open with
 * openat2's RESOLVE_* restrictions, write, truncate, read, getdents,
 * lookup, chmod, chdir, mount, umount, dcache shrinking) on a small tree
 * of names, as root or as a user, some with an allocation failure
 * injected. After each one the VFS must be consistent (dentry cache
 * against tmpfs, link and reference counts, mounts); at the end, once
 * everything is closed, nothing may leak.
 */
#include <host_fault.h>
#include <tern/errno.h>
#include <tern/file.h>
#include <tern/string.h>
#include <tern/tmpfs.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define OP_BYTES 6
#define NR_FILES 4

static const char *const paths[] = {
	"/a",	  "/b",	    "/c",      "/a/b",	"/a/c",	     "/b/a",   "/a/b/c", "a",
	"b/a",	  ".",	    "..",      "/",	"/a/..",     "/l",     "/a/l",	 "/m",
	"/m/a",	  "l/a",    "/c/",     "/b/",	"/a/b/../c", "/m/a/b", "l",	 "/a/b/c/d",
	"/l/b/c", "/a/./b", "/b/../a", "/m/..", "c/d",	     "/d",     "d/a",	 "",
};

static const char *const targets[] = {"a", "/a", "../b", "b/c", "/l", "l", "/", "x", "/m/a", "."};

struct fuzz_state {
	struct vfs *vfs;
	struct path root;
	struct path cwd;
	struct vfs_cred cred;
	struct vfs_ctx ctx;
	struct file *files[NR_FILES];
};

static const char *path_of(uint8_t b)
{
	return paths[b % ARRAY_SIZE(paths)];
}

static void set_cred(struct fuzz_state *s, uint8_t b)
{
	if (b & 0x80)
		s->cred = (struct vfs_cred){.fsuid = 1000 + (b & 1), .fsgid = 1000};
	else
		s->cred = (struct vfs_cred){.caps = VFS_CAPS_ALL};
}

static void drop_file(struct fuzz_state *s, unsigned int slot)
{
	if (s->files[slot]) {
		file_put(s->files[slot]);
		s->files[slot] = NULL;
	}
}

static void op_open(struct fuzz_state *s, const uint8_t *op)
{
	static const unsigned int flag_bits[] = {O_CREAT,     O_EXCL,	  O_TRUNC, O_APPEND,
						 O_DIRECTORY, O_NOFOLLOW, O_PATH,  O_TMPFILE};
	unsigned int slot = op[2] % NR_FILES;
	unsigned int flags = op[3] & 3;
	uint64_t resolve = (op[2] >> 2) & 0x3f; /* RESOLVE_*, BENEATH|IN_ROOT included */
	struct file *file;

	for (unsigned int i = 0; i < ARRAY_SIZE(flag_bits); i++) {
		if (op[4] & (1u << i))
			flags |= flag_bits[i];
	}
	if ((op[4] & 0x80) && !(op[5] & 1))
		flags &= ~(unsigned int)__O_TMPFILE;
	if (vfs_openat2(&s->ctx, NULL, path_of(op[1]), flags, op[5] * 8u, resolve, &file) == 0) {
		drop_file(s, slot);
		s->files[slot] = file;
	}
}

static void op_io(struct fuzz_state *s, const uint8_t *op)
{
	static char buf[3 * PAGE_SIZE];
	struct file *file = s->files[op[1] % NR_FILES];
	int64_t pos = (int64_t)op[3] * 1531 + ((int64_t)(op[4] & 3) << 30);
	size_t len = (size_t)op[5] * 47;
	size_t done;
	int64_t out;

	if (!file)
		return;
	memset(buf, op[2], sizeof(buf));
	switch (op[2] % 7) {
	case 0:
		(void)!vfs_write(file, buf, len, &done);
		break;
	case 6:
		(void)!vfs_fallocate(file, op[4] >> 5, pos, (int64_t)len * 97);
		break;
	case 1:
		(void)!vfs_pread(file, buf, len, pos, &done);
		break;
	case 2:
		(void)!vfs_pwrite(file, buf, len, pos, &done);
		break;
	case 3:
		(void)!vfs_ftruncate(file, pos);
		break;
	case 4:
		(void)!vfs_lseek(file, pos - 3000, op[3] % 6, &out);
		break;
	default:
		(void)!vfs_getdents64(file, buf, len, &done);
		break;
	}
}

static void op_mount(struct fuzz_state *s, const uint8_t *op)
{
	struct tmpfs_options opts = {.mode = 0777, .max_pages = op[3] % 8, .max_inodes = op[4] % 8};
	struct super_block *sb;

	if (op[2] & 1) {
		(void)!vfs_umount(&s->ctx, NULL, path_of(op[1]));
		return;
	}
	if (op[2] & 2) {
		(void)!vfs_bind_mount(&s->ctx, NULL, path_of(op[3]), NULL, path_of(op[1]));
		return;
	}
	if (op[2] & 4) {
		unsigned long bind = (op[5] & 0x10) ? MS_BIND : 0;

		(void)!vfs_remount(&s->ctx, NULL, path_of(op[1]),
				   MS_REMOUNT | bind | (op[5] & 0x0f), NULL);
		return;
	}
	if (tmpfs_create(s->vfs, &opts, &sb) != 0)
		return;
	(void)!vfs_mount(&s->ctx, NULL, path_of(op[1]), sb, vfs_mount_flags_from_ms(op[5] & 0x0f));
	vfs_super_put(sb);
}

static void op_chdir(struct fuzz_state *s, const uint8_t *op)
{
	struct path p;

	if (vfs_chdir(&s->ctx, NULL, path_of(op[1]), 0, &p) != 0)
		return;
	vfs_path_put(&s->cwd);
	s->cwd = p;
	s->ctx.cwd = p;
}

static void op_names(struct fuzz_state *s, const uint8_t *op)
{
	const char *a = path_of(op[1]);
	const char *b = path_of(op[2]);
	struct kstat st;
	char buf[64];
	size_t len;

	switch (op[0] % 12) {
	case 0:
		(void)!vfs_mkdir(&s->ctx, NULL, a, op[3] * 4u);
		break;
	case 1:
		(void)!vfs_rmdir(&s->ctx, NULL, a);
		break;
	case 2:
		(void)!vfs_unlink(&s->ctx, NULL, a);
		break;
	case 3:
		(void)!vfs_rename(&s->ctx, NULL, a, NULL, b, op[3] % 4);
		break;
	case 4:
		(void)!vfs_link(&s->ctx, NULL, a, NULL, b, (op[3] & 1) ? AT_SYMLINK_FOLLOW : 0);
		break;
	case 5:
		(void)!vfs_symlink(&s->ctx, targets[op[3] % ARRAY_SIZE(targets)], NULL, a);
		break;
	case 6:
		(void)!vfs_mknod(&s->ctx, NULL, a, (op[3] & 1) ? S_IFIFO | 0644 : S_IFREG | 0600,
				 0);
		break;
	case 7:
		(void)!vfs_stat(&s->ctx, NULL, a, (op[3] & 1) ? AT_SYMLINK_NOFOLLOW : 0, &st);
		break;
	case 8:
		(void)!vfs_chmod(&s->ctx, NULL, a, op[3] * 33u, 0);
		break;
	case 9:
		(void)!vfs_readlink(&s->ctx, NULL, a, buf, sizeof(buf), &len);
		break;
	case 10:
		(void)!vfs_truncate(&s->ctx, NULL, a, op[3] * 999);
		break;
	default:
		(void)!vfs_path_name(&s->ctx, &s->cwd, op[3] & 1, buf, op[3] % sizeof(buf), &len);
		break;
	}
}

static void run_op(struct fuzz_state *s, const uint8_t *op)
{
	set_cred(s, op[5]);
	switch (op[0] >> 4) {
	case 0 ... 5:
		op_names(s, op);
		break;
	case 6:
	case 7:
		op_open(s, op);
		break;
	case 8 ... 10:
		op_io(s, op);
		break;
	case 11:
		drop_file(s, op[1] % NR_FILES);
		break;
	case 12:
		op_mount(s, op);
		break;
	case 13:
		op_chdir(s, op);
		break;
	case 14:
		vfs_shrink_dcache(s->vfs, op[1]);
		break;
	default:
		(void)!vfs_access(&s->ctx, NULL, path_of(op[1]), op[2] & 7, 0);
		break;
	}
}

static bool setup(struct fuzz_state *s)
{
	struct tmpfs_options opts = {.mode = 0777};
	struct super_block *sb;

	memset(s, 0, sizeof(*s));
	if (vfs_create(3, &s->vfs) != 0)
		return false;
	if (tmpfs_create(s->vfs, &opts, &sb) != 0 ||
	    vfs_mount_root(s->vfs, sb, MNT_RELATIME, &s->root) != 0)
		panic("vfs_fuzz: no root file system\n");
	vfs_super_put(sb);
	vfs_path_get(&s->root);
	s->cwd = s->root;
	s->ctx = (struct vfs_ctx){s->root, s->cwd, &s->cred, 022};
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	long live = host_kmalloc_live();
	struct fuzz_state s;

	if (!setup(&s))
		return 0;
	for (size_t pos = 0; pos + OP_BYTES <= size; pos += OP_BYTES) {
		const uint8_t *op = data + pos;

		if ((op[5] & 0x60) == 0x60)
			host_fail_kmalloc_nth(1 + (op[4] & 7));
		run_op(&s, op);
		host_fail_kmalloc_nth(0);
		assert(vfs_is_consistent(s.vfs));
	}
	for (unsigned int i = 0; i < NR_FILES; i++)
		drop_file(&s, i);
	vfs_path_put(&s.cwd);
	vfs_path_put(&s.root);
	vfs_destroy(s.vfs);
	assert(host_kmalloc_live() == live);
	return 0;
}
