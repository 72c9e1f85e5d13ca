/* SPDX-License-Identifier: MIT */
/*
 * The virtual file system (fs/): super blocks, inodes, dentries and the
 * dentry cache, mounts, the path walk, and the *at() operations as core
 * functions on kernel pointers with Linux's semantics and errno values.
 * Open files, I/O, character devices and descriptor tables are in
 * <tern/file.h>; tmpfs is in <tern/tmpfs.h>. Syscall glue copies
 * arguments in and calls these; nothing here touches user memory.
 *
 * Callers pass everything a lookup needs in a struct vfs_ctx (root, cwd,
 * credentials, umask): there is no global "current process" in fs/.
 *
 * Lock legend:
 *   I  immutable after creation
 *   N  the namespace lock, vfs->lock (one mutex per struct vfs): dentries,
 *      the dentry cache, mounts, super blocks, inode metadata and the
 *      contents of in-memory file systems
 *   a  atomic
 */
#pragma once

#include <asm/stat.h>
#include <asm/statfs.h>
#include <linux/capability.h>
#include <linux/fcntl.h>
#include <linux/fs.h>
#include <linux/limits.h>
#include <linux/stat.h>
#include <tern/base.h>
#include <tern/list.h>
#include <tern/vma.h>

struct vfs;
struct super_block;
struct inode;
struct dentry;
struct mount;
struct file;
struct file_ops;

/*
 * ABI: constants the syscalls use that the UAPI headers do not export
 * (they live in glibc's headers); values from the man pages.
 */
#define VFS_MAXSYMLINKS 40		/* path_resolution(7): ELOOP after 40 links */
#define VFS_UTIME_NOW ((1L << 30) - 1)	/* utimensat(2) */
#define VFS_UTIME_OMIT ((1L << 30) - 2) /* utimensat(2) */
#define VFS_MAX_FILE_BYTES INT64_MAX	/* MAX_LFS_FILESIZE on 64-bit */

/* Access modes of access(2) (R_OK, W_OK, X_OK) and of permission checks. */
enum vfs_may {
	MAY_EXEC = 1,  /* X_OK; search for directories */
	MAY_WRITE = 2, /* W_OK */
	MAY_READ = 4,  /* R_OK */
};

/* dirent d_type values, getdents64(2): the S_IFMT type shifted down. */
static inline uint8_t vfs_dtype(uint32_t mode)
{
	return (uint8_t)((mode & S_IFMT) >> 12);
}

/*
 * Device numbers inside the kernel: 12 bits of major, 20 of minor, as
 * Linux's kdev_t. User space sees them in the "huge" encoding that stat
 * and mknod use (new_encode_dev in Linux).
 */
static inline uint32_t dev_make(uint32_t major, uint32_t minor)
{
	return (major << 20) | (minor & 0xfffff);
}

static inline uint32_t dev_major(uint32_t dev)
{
	return dev >> 20;
}

static inline uint32_t dev_minor(uint32_t dev)
{
	return dev & 0xfffff;
}

static inline uint64_t dev_to_user(uint32_t dev)
{
	uint32_t ma = dev_major(dev);
	uint32_t mi = dev_minor(dev);

	return (mi & 0xff) | (ma << 8) | ((uint64_t)(mi & ~0xffu) << 12);
}

static inline uint32_t dev_from_user(uint64_t udev)
{
	uint32_t ma = (uint32_t)((udev & 0xfff00) >> 8);
	uint32_t mi = (uint32_t)((udev & 0xff) | ((udev >> 12) & 0xfff00));

	return dev_make(ma, mi);
}

/* A point in wall-clock time; nsec in [0, 1e9). */
struct vfs_time {
	int64_t sec;
	int64_t nsec;
};

/* The wall clock now, from the seam's clock_realtime_ns. */
struct vfs_time vfs_time_now(void);

/*
 * Who is asking. The process layer fills it from the task's credentials:
 * fsuid/fsgid for file access (or the real ids for access(2) without
 * AT_EACCESS), supplementary groups, and effective capabilities as bits
 * 1ULL << CAP_* (<linux/capability.h>); uid 0 normally has them all.
 */
struct vfs_cred {
	uint32_t fsuid;
	uint32_t fsgid;
	uint32_t nr_groups;
	const uint32_t *groups; /* supplementary groups, nr_groups of them */
	uint64_t caps;		/* effective capabilities, 1ULL << CAP_* */
};

#define VFS_CAPS_ALL UINT64_MAX

static inline bool cred_has_cap(const struct vfs_cred *cred, int cap)
{
	return (cred->caps >> cap) & 1;
}

/* True if gid is the caller's fsgid or one of its supplementary groups. */
bool cred_in_group(const struct vfs_cred *cred, uint32_t gid);

/* A position in the namespace: a dentry as seen through a mount. */
struct path {
	struct mount *mnt;
	struct dentry *dentry;
};

static inline bool path_equal(const struct path *a, const struct path *b)
{
	return a->mnt == b->mnt && a->dentry == b->dentry;
}

/*
 * The lookup context of a call: the caller's root (chroot) and working
 * directory, whose references the caller holds for the whole call, its
 * credentials and its umask.
 */
struct vfs_ctx {
	struct path root;
	struct path cwd;
	const struct vfs_cred *cred;
	uint32_t umask; /* only the 0777 bits are used */
};

struct vfs_timespec_pair {
	struct vfs_time atime;
	struct vfs_time mtime;
};

/* Attributes of a new inode, decided by the VFS before the fs makes it. */
struct vfs_new_inode {
	uint32_t mode; /* type and permission bits, umask applied */
	uint32_t uid;
	uint32_t gid;
	uint32_t rdev;		 /* device nodes */
	const char *link_target; /* symlinks: the target, link_len bytes */
	size_t link_len;
};

/*
 * Directory iteration (getdents): the fs calls emit for each entry from
 * position dc->pos on, in order. emit returns false when the caller's
 * buffer is full; the fs then stops. On success emit sets dc->pos to
 * next_pos, the position that resumes after this entry. Positions 0 and
 * 1 are "." and "..", which the VFS emits; fs positions start at 2.
 */
struct dir_context {
	uint64_t pos;
	bool (*emit)(struct dir_context *dc, const char *name, size_t len, uint64_t ino,
		     uint8_t dtype, uint64_t next_pos);
};

/*
 * What a file system implements for its inodes. Names are not
 * NUL-terminated; len is 1..NAME_MAX. All are called with vfs->lock held
 * and after the VFS checked permissions and Linux's rules; the fs checks
 * only what it alone knows (ENOTEMPTY, ENOSPC). Operations a type does not
 * support are NULL.
 */
struct inode_ops {
	/* Finds name in dir: 0 and a referenced *out, or *out NULL if absent. */
	int (*lookup)(struct inode *dir, const char *name, size_t len, struct inode **out);
	/* Makes an inode of any type (ni->mode) named name in dir; *out referenced. */
	int (*create)(struct inode *dir, const char *name, size_t len,
		      const struct vfs_new_inode *ni, struct inode **out);
	/* Makes an unnamed regular inode (nlink 0) for O_TMPFILE. */
	int (*tmpfile)(struct inode *dir, const struct vfs_new_inode *ni, struct inode **out);
	/* Adds name in dir for the existing inode. */
	int (*link)(struct inode *dir, const char *name, size_t len, struct inode *inode);
	/* Removes name (a non-directory inode) from dir. */
	int (*unlink)(struct inode *dir, const char *name, size_t len, struct inode *inode);
	/* Removes name (a directory) from dir; -ENOTEMPTY unless it is empty. */
	int (*rmdir)(struct inode *dir, const char *name, size_t len, struct inode *inode);
	/*
	 * Moves old_name in old_dir to new_name in new_dir, replacing what is
	 * there (an empty directory only: else -ENOTEMPTY), or swaps the two
	 * with RENAME_EXCHANGE.
	 */
	int (*rename)(struct inode *old_dir, const char *old_name, size_t old_len,
		      struct inode *new_dir, const char *new_name, size_t new_len,
		      unsigned int flags);
	/*
	 * A symlink's target, len bytes and NUL-terminated: *out stays valid
	 * while the inode is referenced.
	 */
	int (*get_link)(struct inode *inode, const char **out, size_t *len);
	/* Sets a regular file's size; new bytes read as zeros. */
	int (*truncate)(struct inode *inode, uint64_t size);
};

struct super_ops {
	/* The inode's last reference went; the fs frees it if nlink is 0. */
	void (*inode_unused)(struct inode *inode);
	/* The last mount went: free every inode and the fs's state. */
	void (*destroy)(struct super_block *sb);
	/* Fills the fs-specific fields of statfs(2). */
	void (*statfs)(struct super_block *sb, struct statfs *out);
	/* Optional: a remount's options (mount(2) data, modifiable); EINVAL for bad ones. */
	int (*reconfigure)(struct super_block *sb, char *data);
	/* Optional, for tests and fuzzers: checks the fs's own invariants. */
	bool (*is_consistent)(struct super_block *sb);
	/*
	 * Optional, for file systems whose names change behind the VFS's back
	 * (procfs): false if the cached dentry d must be looked up again.
	 */
	bool (*dentry_is_valid)(struct dentry *d);
};

enum inode_flags {
	INODE_DEAD = 1u << 0,	    /* a removed directory: lookups and creates fail */
	INODE_LINKABLE = 1u << 1,   /* O_TMPFILE without O_EXCL: linkat may name it */
	INODE_MAGIC_LINK = 1u << 2, /* a /proc "magic link" (fd/N, cwd, root, exe): openat2(2) */
};

struct inode {
	struct super_block *sb;	     /* I */
	const struct inode_ops *ops; /* I */
	const struct file_ops *fops; /* I: regular files and directories */
	uint64_t ino;		     /* I */
	uint32_t mode;		     /* N: S_IFMT type (I) and permission bits */
	uint32_t uid;		     /* N */
	uint32_t gid;		     /* N */
	uint32_t nlink;		     /* N */
	uint32_t rdev;		     /* I: device number of a device node */
	uint32_t flags;		     /* N: enum inode_flags */
	uint64_t size;		     /* N: bytes */
	uint64_t nr_blocks;	     /* N: 512-byte blocks allocated */
	struct vfs_time atime;	     /* N */
	struct vfs_time mtime;	     /* N */
	struct vfs_time ctime;	     /* N */
	struct vfs_time btime;	     /* I: creation */
	uint32_t refcount;	     /* N: dentries and other in-memory holders */
	uint32_t nr_check_refs;	     /* N: scratch for vfs_is_consistent */
	struct list_head sb_link;    /* N: in sb->inode_list */
	struct vma_rmap mmap_rmap;   /* its own lock: the areas mapping the inode (mm/vma.c) */
};

struct super_block {
	struct vfs *vfs;	     /* I */
	const struct super_ops *ops; /* I */
	struct dentry *root;	     /* N: root dentry; holds a reference */
	uint32_t dev;		     /* I: st_dev, an anonymous device number */
	uint32_t magic;		     /* I: statfs f_type */
	bool is_readonly;	     /* N: Linux's SB_RDONLY: no writes through any mount */
	uint64_t max_file_bytes;     /* I: largest file size */
	uint32_t refcount;	     /* N: mounts and the creator's reference */
	uint64_t nr_inodes;	     /* N: inodes in inode_list */
	uint64_t nr_dentries;	     /* N: dentries of this sb */
	struct list_head inode_list; /* N: struct inode by sb_link */
	struct list_head link;	     /* N: in vfs->sb_list */
	void *fs_private;	     /* the fs's state */
};

enum dentry_flags {
	DENTRY_HASHED = 1u << 0, /* findable through the cache; cleared when unlinked */
	DENTRY_ON_LRU = 1u << 1, /* unused and on vfs->dcache_lru */
};

#define DENTRY_INLINE_NAME 40

/*
 * A name in a directory, positive (inode set) or negative (NULL: the
 * name is known to be absent). Each child holds a reference on its
 * parent; an unused hashed dentry stays cached on the LRU until the
 * shrinker frees it.
 */
struct dentry {
	struct super_block *sb;		      /* I */
	struct dentry *parent;		      /* N: itself for a root, else referenced */
	struct inode *inode;		      /* N: NULL when negative; referenced */
	char *name;			      /* N: NUL-terminated; inline_name or kmalloc'd */
	uint32_t name_len;		      /* N */
	uint32_t refcount;		      /* N: holders, one per child included */
	uint32_t nr_mounts;		      /* N: mounts whose mountpoint this is */
	uint32_t flags;			      /* N: enum dentry_flags */
	struct list_head hash_link;	      /* N: in a dcache bucket while hashed */
	struct list_head lru_link;	      /* N: in vfs->dcache_lru while on it */
	struct list_head child_link;	      /* N: in parent->children */
	struct list_head children;	      /* N: child dentries */
	char inline_name[DENTRY_INLINE_NAME]; /* N */
};

/*
 * Per-mount flags, Linux's MNT_* (mount(2) sets them from MS_*). A write
 * through a mount needs it and its super block writable (EROFS).
 */
enum mount_flags {
	MNT_READONLY = 1u << 0,	   /* MS_RDONLY */
	MNT_NOSUID = 1u << 1,	   /* MS_NOSUID (exec honours no set-ID bits yet anyway) */
	MNT_NODEV = 1u << 2,	   /* MS_NODEV: device nodes do not open (EACCES) */
	MNT_NOEXEC = 1u << 3,	   /* MS_NOEXEC: nothing executes (EACCES) */
	MNT_NOATIME = 1u << 4,	   /* MS_NOATIME */
	MNT_NODIRATIME = 1u << 5,  /* MS_NODIRATIME */
	MNT_RELATIME = 1u << 6,	   /* the default of mount(2); else strictatime */
	MNT_NOSYMFOLLOW = 1u << 7, /* MS_NOSYMFOLLOW: following a symlink is ELOOP */
};

#define MNT_ATIME_MASK (MNT_NOATIME | MNT_NODIRATIME | MNT_RELATIME)

/*
 * A mount: the subtree of sb below root, attached at mountpoint of parent
 * (the namespace root mount has no parent). A bind mount is a second
 * mount of an existing dentry.
 */
struct mount {
	struct vfs *vfs;	   /* I */
	struct super_block *sb;	   /* I: holds a reference */
	struct dentry *root;	   /* I: holds a reference */
	struct mount *parent;	   /* N: NULL for the root mount; referenced */
	struct dentry *mountpoint; /* N: in parent; referenced */
	uint32_t refcount;	   /* N: paths, child mounts and the tree's own */
	uint32_t nr_children;	   /* N: mounts attached inside this one */
	uint32_t flags;		   /* N: enum mount_flags */
	uint32_t nr_writers;	   /* N: open files with write access through it */
	uint64_t id;		   /* I: mount id (statx stx_mnt_id) */
	struct list_head link;	   /* N: in vfs->mount_list */
};

struct chrdev;

/* One VFS instance: the kernel has one, tests make as many as they like. */
struct vfs {
	struct mutex lock;
	struct list_head *dcache_buckets;	  /* I: the array; N: the lists */
	uint32_t dcache_mask;			  /* I: number of buckets - 1 */
	struct list_head dcache_lru;		  /* N: unused dentries, most recent first */
	uint64_t nr_dentries;			  /* N: all dentries */
	uint64_t nr_unused;			  /* N: dentries on the LRU */
	struct list_head mount_list;		  /* N: struct mount by link */
	struct mount *root_mount;		  /* N: the namespace root, or NULL */
	uint64_t next_mount_id;			  /* N */
	struct list_head sb_list;		  /* N: struct super_block by link */
	uint32_t next_anon_minor;		  /* N: for anonymous st_dev numbers */
	struct list_head chrdev_list;		  /* N: struct chrdev by link */
	const struct file_ops *fifo_fops;	  /* N: how FIFOs open, once pipes exist */
	const struct file_lock_hooks *lock_hooks; /* I after boot: <tern/file.h>, or NULL */
};

/*
 * Makes an empty VFS with a dentry hash of 2^hash_bits buckets. 0 and
 * *out, or -ENOMEM. Destroy with vfs_destroy once every reference is gone.
 */
int vfs_create(unsigned int hash_bits, struct vfs **out) __must_check;

/*
 * Unmounts everything and frees the VFS. Every file, path and other
 * reference must already be dropped (asserted).
 */
void vfs_destroy(struct vfs *vfs);

/*
 * The namespace lock, for file systems' file ops (which the VFS calls
 * unlocked) and tmpfs_get_page. Never held across user copies or sleeps
 * that wait for other tasks.
 */
void vfs_lock(struct vfs *vfs);
void vfs_unlock(struct vfs *vfs);

/* Frees up to nr unused cached dentries, oldest first; returns how many. */
uint64_t vfs_shrink_dcache(struct vfs *vfs, uint64_t nr);

/*
 * Checks the VFS's invariants, for tests and fuzzers: every dentry's
 * counts and cache state, that every cached name agrees with the file
 * system's own lookup, that each inode's references are exactly its
 * dentries', mount bookkeeping, and each file system's own check. Logs
 * the first problem; takes vfs->lock.
 */
bool vfs_is_consistent(struct vfs *vfs);

/* References on namespace positions; vfs_path_put takes vfs->lock. */
void vfs_path_get(const struct path *path);
void vfs_path_put(const struct path *path);

/*
 * Super blocks, for file systems (vfs->lock held, except vfs_super_put):
 * vfs_super_create gives an sb with one reference (the caller's), an
 * anonymous device number and no root; the fs sets ops, magic and
 * fs_private at once, then calls vfs_super_set_root.
 * Mounting takes its own reference; drop yours with vfs_super_put.
 */
int vfs_super_create(struct vfs *vfs, struct super_block **out) __must_check;
/* Gives sb its root dentry for root_inode, taking over the inode reference. */
int vfs_super_set_root(struct super_block *sb, struct inode *root_inode) __must_check;
void vfs_super_put(struct super_block *sb);
/*
 * The usual way to make a file system's super block: takes vfs->lock,
 * creates the sb with ops, calls fill (which sets fs_private and magic
 * and makes the root inode, referenced, in *root) and gives the sb its
 * root. 0 and *out (one reference, the caller's), or fill's error.
 */
int vfs_super_make(struct vfs *vfs, const struct super_ops *ops,
		   int (*fill)(struct super_block *sb, const void *arg, struct inode **root),
		   const void *arg, struct super_block **out) __must_check;

/*
 * Inodes, for file systems (vfs->lock held): inode_init links a
 * zero-filled inode into sb with one reference, times set to now;
 * inode_fini unlinks it before the fs frees it.
 */
void inode_init(struct inode *inode, struct super_block *sb, uint64_t ino, uint32_t mode);
void inode_fini(struct inode *inode);
void inode_get(struct inode *inode);
void inode_put(struct inode *inode);
/*
 * Timestamps. An access through path moves atime as the mount says:
 * never on a read-only or noatime mount (nodiratime: not for
 * directories), as "relatime" with MNT_RELATIME, else always. mtime
 * moves ctime along.
 */
void path_touch_atime(const struct path *path);
void inode_touch_mtime(struct inode *inode);
void inode_touch_ctime(struct inode *inode);
/* After a write or truncate: clears set-user-ID and group-executable set-group-ID. */
void inode_kill_suid(struct inode *inode, bool can_fsetid);

/*
 * Mounts. vfs_mount_root makes sb's root the namespace root ("/"),
 * *out gets a referenced path to it. vfs_mount attaches sb at a directory
 * (ENOTDIR, ENOENT), vfs_bind_mount attaches the subtree at source there
 * with the source mount's flags; both need CAP_SYS_ADMIN (EPERM).
 * vfs_umount detaches the mount whose root the path names: EINVAL if it
 * is not a mount root, EBUSY while anything else uses it or it has
 * mounts inside. mnt_flags are enum mount_flags.
 */
int vfs_mount_root(struct vfs *vfs, struct super_block *sb, uint32_t mnt_flags,
		   struct path *out) __must_check;
int vfs_mount(const struct vfs_ctx *ctx, const struct path *dir, const char *pathname,
	      struct super_block *sb, uint32_t mnt_flags) __must_check;
/*
 * A mount's options as /proc/mounts shows them (Linux's show_vfsmnt and
 * show_mnt_opts): "ro" or "rw", then ",nosuid", ",nodev" and so on, in
 * buf (NUL-terminated; VFS_MOUNT_OPTS_MAX bytes always do). vfs->lock held.
 */
#define VFS_MOUNT_OPTS_MAX 64
void vfs_mount_opts(const struct mount *mnt, char *buf, size_t size);
/*
 * ABI: path_mount: the mount flags that mount(2)'s MS_* flags ask for,
 * relatime unless MS_NOATIME or MS_STRICTATIME.
 */
uint32_t vfs_mount_flags_from_ms(unsigned long ms_flags);
/*
 * mount(2) with MS_REMOUNT on the mount whose root pathname names
 * (EINVAL otherwise): its flags become those of ms_flags (keeping its
 * atime flags if ms_flags names none). With MS_BIND only the mount
 * changes; without, MS_RDONLY also sets or clears the super block's
 * read-only state, and data (if not NULL: mount(2)'s options, which this
 * may modify) goes to the file system's reconfigure. EBUSY making
 * something read-only while files are open for writing through it (or,
 * for a super block, while unlinked files are still open); EINVAL for
 * options the file system refuses; EPERM without CAP_SYS_ADMIN.
 */
int vfs_remount(const struct vfs_ctx *ctx, const struct path *dir, const char *pathname,
		unsigned long ms_flags, char *data) __must_check;
int vfs_bind_mount(const struct vfs_ctx *ctx, const struct path *src_dir, const char *src_path,
		   const struct path *dst_dir, const char *dst_path) __must_check;
int vfs_umount(const struct vfs_ctx *ctx, const struct path *dir,
	       const char *pathname) __must_check;

/*
 * Path lookup. dir is where relative paths start (a dirfd's position),
 * NULL for ctx->cwd. at_flags: AT_SYMLINK_NOFOLLOW (do not follow a
 * final symlink), AT_EMPTY_PATH (an empty path names dir itself); other
 * bits are -EINVAL. *out gets a referenced path (vfs_path_put it).
 * Errors: ENOENT, ENOTDIR, EACCES, ELOOP, ENAMETOOLONG, ENOMEM.
 */
int vfs_lookup(const struct vfs_ctx *ctx, const struct path *dir, const char *pathname,
	       unsigned int at_flags, struct path *out) __must_check;
/* Like vfs_lookup, and the result must be a directory (ENOTDIR). */
int vfs_lookup_dir(const struct vfs_ctx *ctx, const struct path *dir, const char *pathname,
		   unsigned int at_flags, struct path *out) __must_check;

/*
 * chdir/fchdir and chroot: look up a directory the caller may search
 * (EACCES); chroot also needs CAP_SYS_CHROOT (EPERM). *out is referenced;
 * the process layer swaps it into its cwd or root.
 */
int vfs_chdir(const struct vfs_ctx *ctx, const struct path *dir, const char *pathname,
	      unsigned int at_flags, struct path *out) __must_check;
int vfs_chroot(const struct vfs_ctx *ctx, const struct path *dir, const char *pathname,
	       struct path *out) __must_check;

/*
 * The name of path as seen from ctx->root, for getcwd(2) and /proc:
 * NUL-terminated in buf. *len_out gets strlen + 1. ERANGE if buf is too
 * small; a path not below the root gets Linux's "(unreachable)" prefix,
 * a deleted one -ENOENT when must_exist (getcwd) or a " (deleted)" suffix.
 */
int vfs_path_name(const struct vfs_ctx *ctx, const struct path *path, bool must_exist, char *buf,
		  size_t size, size_t *len_out) __must_check;
/* The same, as seen from root, for callers that hold vfs->lock (/proc links). */
int vfs_path_name_locked(const struct path *root, const struct path *path, bool must_exist,
			 char *buf, size_t size, size_t *len_out) __must_check;

/*
 * The namespace operations, each as its syscall on Linux (man 2 <name>).
 * dir and pathname as for vfs_lookup; modes have the umask applied here.
 */
int vfs_mkdir(const struct vfs_ctx *ctx, const struct path *dir, const char *pathname,
	      uint32_t mode) __must_check;
/* dev is a kernel device number (dev_from_user converts mknod's). */
int vfs_mknod(const struct vfs_ctx *ctx, const struct path *dir, const char *pathname,
	      uint32_t mode, uint32_t dev) __must_check;
int vfs_symlink(const struct vfs_ctx *ctx, const char *target, const struct path *dir,
		const char *pathname) __must_check;
/* at_flags: AT_SYMLINK_FOLLOW, AT_EMPTY_PATH (needs CAP_DAC_READ_SEARCH). */
int vfs_link(const struct vfs_ctx *ctx, const struct path *old_dir, const char *old_path,
	     const struct path *new_dir, const char *new_path, unsigned int at_flags) __must_check;
int vfs_unlink(const struct vfs_ctx *ctx, const struct path *dir,
	       const char *pathname) __must_check;
int vfs_rmdir(const struct vfs_ctx *ctx, const struct path *dir, const char *pathname) __must_check;
/* flags: RENAME_NOREPLACE, RENAME_EXCHANGE (<linux/fs.h>). */
int vfs_rename(const struct vfs_ctx *ctx, const struct path *old_dir, const char *old_path,
	       const struct path *new_dir, const char *new_path, unsigned int flags) __must_check;
/* Copies up to size bytes of the target (no NUL); *len_out gets the count. */
int vfs_readlink(const struct vfs_ctx *ctx, const struct path *dir, const char *pathname, char *buf,
		 size_t size, size_t *len_out) __must_check;

/*
 * Attribute changes by name (at_flags AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH)
 * and on a resolved path (the fchmod/fchown/futimens forms). Owner and
 * capability rules as Linux: EPERM for a non-owner.
 */
int vfs_chmod(const struct vfs_ctx *ctx, const struct path *dir, const char *pathname,
	      uint32_t mode, unsigned int at_flags) __must_check;
int vfs_chmod_path(const struct vfs_ctx *ctx, const struct path *path, uint32_t mode) __must_check;
/* uid or gid (uint32_t)-1 leaves that id alone. */
int vfs_chown(const struct vfs_ctx *ctx, const struct path *dir, const char *pathname, uint32_t uid,
	      uint32_t gid, unsigned int at_flags) __must_check;
int vfs_chown_path(const struct vfs_ctx *ctx, const struct path *path, uint32_t uid,
		   uint32_t gid) __must_check;
/* times NULL means both now; nsec may be VFS_UTIME_NOW or VFS_UTIME_OMIT. */
int vfs_utimens(const struct vfs_ctx *ctx, const struct path *dir, const char *pathname,
		const struct vfs_timespec_pair *times, unsigned int at_flags) __must_check;
int vfs_utimens_path(const struct vfs_ctx *ctx, const struct path *path,
		     const struct vfs_timespec_pair *times) __must_check;
/*
 * faccessat: mode is F_OK (0) or R_OK|W_OK|X_OK; at_flags AT_EACCESS (the
 * caller picks which ids go in ctx->cred), AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH.
 */
int vfs_access(const struct vfs_ctx *ctx, const struct path *dir, const char *pathname,
	       uint32_t mode, unsigned int at_flags) __must_check;
int vfs_truncate(const struct vfs_ctx *ctx, const struct path *dir, const char *pathname,
		 int64_t length) __must_check;

/* What stat and statx report, before the glue lays it out. */
struct kstat {
	uint64_t ino;
	uint32_t dev;
	uint32_t mode;
	uint32_t nlink;
	uint32_t uid;
	uint32_t gid;
	uint32_t rdev;
	uint64_t size;
	uint64_t blocks; /* 512-byte units */
	uint32_t blksize;
	uint64_t mnt_id;
	bool is_mount_root; /* the root of the mount it was reached through */
	struct vfs_time atime;
	struct vfs_time mtime;
	struct vfs_time ctime;
	struct vfs_time btime;
};

/* at_flags: AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH, AT_NO_AUTOMOUNT, AT_STATX_*. */
int vfs_stat(const struct vfs_ctx *ctx, const struct path *dir, const char *pathname,
	     unsigned int at_flags, struct kstat *out) __must_check;
void vfs_getattr(const struct path *path, struct kstat *out);
void vfs_fill_stat(const struct kstat *ks, struct stat *out);
/* Fills a statx; the basic fields whatever mask asks, btime only if asked. */
void vfs_fill_statx(const struct kstat *ks, uint32_t mask, struct statx *out);
int vfs_statfs(const struct vfs_ctx *ctx, const struct path *dir, const char *pathname,
	       struct statfs *out) __must_check;
void vfs_statfs_path(const struct path *path, struct statfs *out);
