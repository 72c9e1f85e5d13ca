/* SPDX-License-Identifier: MIT */
/*
 * Open files (fs/open.c, fs/file.c, fs/readdir.c), the character-device
 * registry with null, zero and full (fs/chrdev.c, fs/memdev.c), and
 * descriptor tables (fs/fdtable.c). Buffers are kernel memory: the
 * syscall glue copies to and from user space around these calls, in
 * chunks if it likes, and never holds a lock across them.
 *
 * Lock legend (see also <tern/vfs.h>):
 *   I  immutable after creation
 *   a  atomic
 *   p  the file's pos_lock
 *   t  the descriptor table's lock
 */
#pragma once

#include <linux/close_range.h>
#include <tern/vfs.h>

struct poll_table;
struct file_watch;

/* How a file was opened; not the O_* flags. */
enum file_mode {
	FMODE_READ = 1u << 0,	    /* read allowed */
	FMODE_WRITE = 1u << 1,	    /* write allowed */
	FMODE_PATH = 1u << 2,	    /* O_PATH: a position only, no I/O */
	FMODE_PREAD = 1u << 3,	    /* pread/pwrite allowed (else ESPIPE) */
	FMODE_LSEEK = 1u << 4,	    /* lseek allowed (else ESPIPE) */
	FMODE_ATOMIC_POS = 1u << 5, /* read/write/lseek serialize on pos_lock */
	FMODE_WRITER = 1u << 6,	    /* counted in its mount's nr_writers */
};

/* O_* status flags fcntl(F_SETFL) may change. */
#define FILE_SETFL_MASK (O_APPEND | O_NONBLOCK | O_NDELAY | FASYNC | O_DIRECT | O_NOATIME)

/*
 * What an open file does. Every entry may be NULL: the VFS then answers
 * as Linux does for a file without it (EINVAL for read/write, ESPIPE or
 * a generic seek, ENOTTY for ioctl). Called without vfs->lock: an op
 * takes the locks it needs and may sleep.
 */
struct file_ops {
	/* Called once when a device node or FIFO is opened. */
	int (*open)(struct inode *inode, struct file *file);
	/* Reads up to len bytes at *pos (advanced); *done gets the count. */
	int (*read)(struct file *file, void *buf, size_t len, int64_t *pos, size_t *done);
	/* Writes up to len bytes at *pos (advanced); *done gets the count. */
	int (*write)(struct file *file, const void *buf, size_t len, int64_t *pos, size_t *done);
	/* Seeks; NULL with FMODE_LSEEK means the generic seek over inode size. */
	int (*lseek)(struct file *file, int64_t offset, int whence, int64_t *out);
	/* Directory entries from dc->pos on (directories only). */
	int (*iterate)(struct file *file, struct dir_context *dc);
	/* arg is the raw syscall argument, often a user pointer. */
	int (*ioctl)(struct file *file, unsigned int cmd, unsigned long arg, long *out);
	/*
	 * fallocate(2) modes the file's type supports (EOPNOTSUPP for others),
	 * after the VFS's checks; offset + len is within the largest file.
	 */
	int (*fallocate)(struct file *file, int mode, uint64_t offset, uint64_t len);
	/*
	 * mmap's page at index (file offset index * PAGE_SIZE), made if
	 * absent, with a reference for the caller (mm_put_page it): 0 and its
	 * physical address in *pa_out; -ENXIO at or past the page holding the
	 * end of file (a fault there is SIGBUS), -ENOSPC, -ENOMEM. NULL: the
	 * file cannot be mapped (ENODEV).
	 */
	int (*map_page)(struct file *file, uint64_t index, uint64_t *pa_out);
	/* The POLL* bits ready now; queues pt on the file's wait queues (<tern/poll.h>). */
	unsigned int (*poll)(struct file *file, struct poll_table *pt);
	/* The last reference is going; free private state. */
	void (*release)(struct file *file);
};

/*
 * An open file description, shared by every descriptor dup'ed or
 * inherited from the same open.
 */
struct file {
	const struct file_ops *ops; /* I */
	struct path path;	    /* I: referenced */
	struct inode *inode;	    /* I: path.dentry->inode, kept by the dentry */
	uint32_t mode;		    /* I: enum file_mode */
	uint32_t flags;		    /* a: O_* status flags (O_APPEND, O_NONBLOCK, ...) */
	int64_t pos;		    /* p: file offset */
	uint32_t refcount;	    /* a */
	uint32_t opener_uid;	    /* I: fsuid of the opener */
	/*
	 * I: the opener had CAP_FSETID. ABI: Linux asks the writer at write
	 * time whether set-ID bits survive a write; Tern asks the opener.
	 */
	bool opener_can_fsetid;
	struct mutex pos_lock;
	void *private; /* the ops' state */
	/* epoll's record of the instances watching this file, or NULL (kernel/epoll.c) */
	struct file_watch *watch;
};

/*
 * What closing a file means for its advisory locks (kernel/locks.c),
 * set on a VFS once at boot (vfs_set_lock_hooks); without them there
 * are no locks to drop.
 */
struct file_lock_hooks {
	/* A descriptor of file in table owner closes: owner's POSIX locks on the inode go. */
	void (*close)(struct file *file, const void *owner);
	/* The file's last reference goes: its OFD and flock locks go. */
	void (*release)(struct file *file);
};

void vfs_set_lock_hooks(struct vfs *vfs, const struct file_lock_hooks *hooks);

/* Set on a file while epoll watches it: release runs when the file goes. */
struct file_watch {
	void (*release)(struct file *file);
};

/*
 * openat(2): flags are O_* (O_CLOEXEC is the descriptor's business and
 * ignored here), mode is for O_CREAT/O_TMPFILE. 0 and a new file with
 * one reference in *out, or -errno as Linux: EEXIST, EISDIR, ENOTDIR,
 * ELOOP (O_NOFOLLOW on a symlink), EACCES, ENOENT, ENXIO (a device with
 * no driver), EINVAL (bad flag combinations), ENOMEM, ENOSPC.
 */
int vfs_open(const struct vfs_ctx *ctx, const struct path *dir, const char *pathname,
	     unsigned int flags, uint32_t mode, struct file **out) __must_check;

/*
 * openat2(2): vfs_open with resolve, RESOLVE_* bits restricting the walk:
 * EXDEV for a mount crossing (NO_XDEV) or for leaving the start (BENEATH;
 * IN_ROOT makes the start the root instead), ELOOP for following a
 * symlink (NO_SYMLINKS) or a /proc magic link (NO_MAGICLINKS). Flag
 * errors as vfs_open_check.
 */
int vfs_openat2(const struct vfs_ctx *ctx, const struct path *dir, const char *pathname,
		unsigned int flags, uint32_t mode, uint64_t resolve,
		struct file **out) __must_check;

/*
 * The checks of openat2's flags (O_PATH already reduced to the flags it
 * keeps) and resolve that need no lookup, in Linux's order: EINVAL for
 * unknown or conflicting resolve bits and bad flag combinations, EAGAIN
 * for RESOLVE_CACHED with O_CREAT, O_TRUNC or O_TMPFILE.
 */
int vfs_open_check(unsigned int flags, uint64_t resolve) __must_check;

/* Opens an already resolved path (exec, /proc links), checking access. */
int vfs_open_path(const struct vfs_ctx *ctx, const struct path *path, unsigned int flags,
		  struct file **out) __must_check;

/*
 * execve/execveat: opens a regular file the caller may execute, for the
 * kernel to read (no read permission needed). at_flags AT_SYMLINK_NOFOLLOW
 * (ELOOP on a symlink), AT_EMPTY_PATH. EACCES for anything not a regular
 * executable file. FIXME: no ETXTBSY (files open for writing) yet.
 */
int vfs_open_exec(const struct vfs_ctx *ctx, const struct path *dir, const char *pathname,
		  unsigned int at_flags, struct file **out) __must_check;

void file_get(struct file *file);
/* Drops a reference; the last calls release and frees the file. */
void file_put(struct file *file);
/* A descriptor table (owner) lets go of file: its POSIX locks go, then file_put. */
void file_close(struct file *file, const void *owner);

/*
 * I/O, as read/write/pread64/pwrite64/lseek/getdents64 (man 2). Counts
 * go to *done (short counts are not errors). EBADF when the file is not
 * open for it, EISDIR reading a directory, ESPIPE for positional I/O on
 * a stream, EINVAL for a negative position, EFBIG past the largest size.
 */
int vfs_read(struct file *file, void *buf, size_t len, size_t *done) __must_check;
int vfs_write(struct file *file, const void *buf, size_t len, size_t *done) __must_check;
int vfs_pread(struct file *file, void *buf, size_t len, int64_t pos, size_t *done) __must_check;
int vfs_pwrite(struct file *file, const void *buf, size_t len, int64_t pos,
	       size_t *done) __must_check;
/*
 * The checks read/write (pos NULL) or pread/pwrite (at *pos) make before
 * any byte moves, for callers that must fail before touching user memory.
 */
int vfs_check_io(struct file *file, bool is_write, const int64_t *pos) __must_check;
/* whence SEEK_SET/CUR/END/DATA/HOLE; *out gets the new offset. */
int vfs_lseek(struct file *file, int64_t offset, int whence, int64_t *out) __must_check;
/* Fills buf with struct linux_dirent64 records; EINVAL if none fits. */
int vfs_getdents64(struct file *file, void *buf, size_t len, size_t *done) __must_check;
/*
 * getdents64 into a user buffer of len bytes of which only the first
 * nr_good can be written: as Linux's filldir64, the records stop before
 * the first one whose bytes (up to its name's NUL, not its padding) do
 * not fit there, and the position stays at it; EFAULT if none fits.
 */
int vfs_getdents64_prefix(struct file *file, void *buf, size_t len, size_t nr_good,
			  size_t *done) __must_check;
int vfs_ioctl(struct file *file, unsigned int cmd, unsigned long arg, long *out) __must_check;
/* ftruncate(2): EINVAL unless a regular file open for writing. */
int vfs_ftruncate(struct file *file, int64_t length) __must_check;
void vfs_fstat(struct file *file, struct kstat *out);
/*
 * fallocate(2), mode FALLOC_FL_* (<linux/falloc.h>), with Linux's checks
 * in its order: EINVAL (offset < 0, len <= 0), EOPNOTSUPP or EINVAL for
 * the mode, EBADF (not open for writing), ESPIPE (a FIFO), EISDIR,
 * ENODEV (not a regular file), EFBIG past the largest file; then the
 * file's op (EOPNOTSUPP without one): ENOSPC, ENOMEM.
 */
int vfs_fallocate(struct file *file, int mode, int64_t offset, int64_t len) __must_check;
/*
 * fadvise64(2): ESPIPE for a FIFO, EINVAL for a negative len or unknown
 * advice, else 0; memory file systems have no readahead or cache to drop.
 */
int vfs_fadvise(struct file *file, int64_t offset, int64_t len, int advice) __must_check;
/* fcntl F_SETFL: only FILE_SETFL_MASK bits change; O_NOATIME needs the owner (EPERM). */
int vfs_file_set_flags(struct file *file, const struct vfs_cred *cred, uint32_t flags) __must_check;

/*
 * For file ops: Linux's generic seek over a file whose data ends at size
 * (SEEK_DATA and SEEK_HOLE see it all as data). Reads file->pos, which
 * the VFS guards while the op runs. EINVAL for a negative result.
 */
int vfs_lseek_size(struct file *file, int64_t offset, int whence, int64_t size,
		   int64_t *out) __must_check;

/*
 * The dirent record of getdents64(2), per the man page (Linux keeps it
 * out of its UAPI headers). Records are 8-byte aligned.
 */
struct vfs_dirent64 {
	uint64_t d_ino;
	int64_t d_off; /* position of the next record */
	uint16_t d_reclen;
	uint8_t d_type;
	char d_name[];
};

/*
 * Character devices: opening a node with major/minor in a registered
 * range uses ops (whose open, if any, runs first). EBUSY if the range
 * overlaps one already registered.
 */
int vfs_register_chrdev(struct vfs *vfs, uint32_t major, uint32_t minor_first, uint32_t nr_minors,
			const struct file_ops *ops) __must_check;
/* Registers /dev/null (1,3), /dev/zero (1,5) and /dev/full (1,7). */
int vfs_register_mem_devices(struct vfs *vfs) __must_check;
/* How FIFOs open, for the pipe code; until set, opening one is ENXIO. */
void vfs_set_fifo_ops(struct vfs *vfs, const struct file_ops *ops);

/*
 * Descriptor tables. A table is shared by CLONE_FILES tasks through
 * fdtable_get/fdtable_put and copied for fork with fdtable_clone. limit
 * is the caller's RLIMIT_NOFILE: no descriptor >= limit is handed out.
 */
struct fd_slot {
	struct file *file; /* t: NULL when free or reserved */
	bool is_reserved;  /* t: taken by an open still in progress */
	bool is_cloexec;   /* t: FD_CLOEXEC */
};

struct fdtable {
	struct mutex lock;
	uint32_t refcount;     /* a */
	uint32_t nr_slots;     /* t: size of slots */
	struct fd_slot *slots; /* t */
};

/* Largest table (Linux's default fs.nr_open). */
#define FDTABLE_MAX_FDS (1u << 20)

int fdtable_create(struct fdtable **out) __must_check;
void fdtable_get(struct fdtable *t);
/* The last reference closes every descriptor and frees the table. */
void fdtable_put(struct fdtable *t);
/* For fork: a new table with the same files (referenced) and flags. */
int fdtable_clone(struct fdtable *src, struct fdtable **out) __must_check;

/*
 * Takes the lowest free descriptor >= min_fd below limit and marks it
 * reserved: 0 and *fd, EMFILE if none, ENOMEM. Then either install a
 * file there (taking over the caller's reference) or unreserve it.
 */
int fd_reserve(struct fdtable *t, int min_fd, unsigned int limit, int *fd) __must_check;
void fd_install(struct fdtable *t, int fd, struct file *file, bool cloexec);
void fd_unreserve(struct fdtable *t, int fd);
/* fd_reserve then fd_install: takes over the reference on success. */
int fd_alloc(struct fdtable *t, int min_fd, unsigned int limit, struct file *file, bool cloexec,
	     int *fd) __must_check;
/* 0 and a referenced *out, or EBADF. */
int fd_get(struct fdtable *t, int fd, struct file **out) __must_check;
/*
 * For scans over many descriptors (poll, select): with the table locked,
 * the file at fd (NULL if none) without a reference, valid until unlock.
 * What runs under the lock must not take it again.
 */
void fdtable_lock(struct fdtable *t);
void fdtable_unlock(struct fdtable *t);
struct file *fd_peek_locked(struct fdtable *t, int fd);
/* close(2): EBADF if fd is not open. */
int fd_close(struct fdtable *t, int fd) __must_check;
/* dup and fcntl F_DUPFD/F_DUPFD_CLOEXEC: a copy at the lowest fd >= min_fd. */
int fd_dup(struct fdtable *t, int old_fd, int min_fd, bool cloexec, unsigned int limit,
	   int *new_fd) __must_check;
/*
 * dup2 (is_dup3 false: old == new only checks old) and dup3 (flags may
 * be O_CLOEXEC; old == new is EINVAL). EBADF for a bad old_fd or new_fd
 * >= limit, EBUSY if new_fd is reserved by an open in progress.
 */
int fd_dup3(struct fdtable *t, int old_fd, int new_fd, unsigned int flags, bool is_dup3,
	    unsigned int limit) __must_check;
int fd_get_cloexec(struct fdtable *t, int fd, bool *out) __must_check;
int fd_set_cloexec(struct fdtable *t, int fd, bool cloexec) __must_check;
/* execve: closes every FD_CLOEXEC descriptor. */
void fd_close_on_exec(struct fdtable *t);
/*
 * close_range(2) on this table. flags: CLOSE_RANGE_CLOEXEC marks instead
 * of closing; CLOSE_RANGE_UNSHARE is accepted, the caller having cloned
 * the table already. EINVAL for other flags or first > last.
 */
int fd_close_range(struct fdtable *t, unsigned int first, unsigned int last,
		   unsigned int flags) __must_check;
/* Number of open descriptors (tests and /proc). */
unsigned int fdtable_nr_open(struct fdtable *t);
