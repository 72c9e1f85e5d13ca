/* SPDX-License-Identifier: MIT */
/*
 * Fixtures for the host tests of fs/ (fs/vfs_testing.c, linked into the
 * test binary only): a VFS with a tmpfs root, a context for root or an
 * ordinary user, leak and consistency checks at teardown, and shorthands
 * for reading and writing whole files.
 */
#pragma once

#include <tern/file.h>
#include <tern/ktest.h>
#include <tern/tmpfs.h>

#define FX_NOW_SEC 1700000000LL /* the wall clock the fixture starts at */

struct vfs_fixture {
	struct vfs *vfs;
	struct path root;     /* referenced: "/" */
	struct vfs_cred cred; /* the caller's credentials, root at first */
	uint32_t groups[4];   /* cred.groups points here */
	struct vfs_ctx ctx;   /* root and cwd at "/", cred, umask 022 */
	long kmalloc_before;  /* live allocations before setup */
};

/*
 * Makes a VFS with a tmpfs root (mode 0755, root's, or the options
 * given). False (and a failed check) if anything went wrong.
 */
bool vfs_fixture_setup(struct ktest *t, struct vfs_fixture *f);
bool vfs_fixture_setup_opts(struct ktest *t, struct vfs_fixture *f,
			    const struct tmpfs_options *opts);
/* Checks consistency, tears everything down and checks nothing leaked. */
void vfs_fixture_teardown(struct ktest *t, struct vfs_fixture *f);

/* The tree the path-walk tests share: /a/b/c (directories), /a/file, /top. */
bool fx_make_tree(struct ktest *t, struct vfs_fixture *f);

/* A new tmpfs (root directory mode given) for the test to mount; NULL after a failed check. */
struct super_block *fx_new_tmpfs(struct ktest *t, struct vfs_fixture *f, uint32_t mode);

/* Switches the fixture's caller to an unprivileged uid/gid, or back to root. */
void fx_become_user(struct vfs_fixture *f, uint32_t uid, uint32_t gid);
void fx_become_root(struct vfs_fixture *f);

/* Creates (or truncates) pathname with mode and writes len bytes of data. */
int fx_write_file(struct vfs_fixture *f, const char *pathname, uint32_t mode, const void *data,
		  size_t len) __must_check;
/* Reads up to size bytes of pathname from the start; *len gets the count. */
int fx_read_file(struct vfs_fixture *f, const char *pathname, void *buf, size_t size,
		 size_t *len) __must_check;
/* Opens pathname; returns -errno or 0, with *out set. */
int fx_open(struct vfs_fixture *f, const char *pathname, unsigned int flags, uint32_t mode,
	    struct file **out) __must_check;
/* stat with AT_SYMLINK_NOFOLLOW when nofollow. */
int fx_stat(struct vfs_fixture *f, const char *pathname, bool nofollow,
	    struct kstat *out) __must_check;
/* True if pathname exists (not following a final symlink). */
bool fx_exists(struct vfs_fixture *f, const char *pathname);
