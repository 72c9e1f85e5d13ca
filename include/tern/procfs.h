/* SPDX-License-Identifier: MIT */
/*
 * procfs (fs/procfs/): the /proc file system. fs/procfs holds the
 * mechanism: the fixed tree of names, the per-process directories, the
 * files whose text is generated when they are read and the symlinks
 * whose targets are computed when they are followed. Everything it
 * knows about processes and the system comes through a struct
 * procfs_provider, which the kernel implements (kernel/procfs_proc.c,
 * kernel/procfs_sys.c) and host tests fake. Text helpers shared by both
 * (procfs_buf, the stat and maps line formats) are in fs/procfs/format.c.
 */
#pragma once

#include <tern/vfs.h>

/* The generated files, one show routine each. */
enum procfs_file {
	PROCFS_FILE_NONE,
	/* Per process (pid) or thread (pid, tid). */
	PROCFS_PID_STAT,
	PROCFS_PID_STATUS,
	PROCFS_PID_STATM,
	PROCFS_PID_CMDLINE,
	PROCFS_PID_ENVIRON,
	PROCFS_PID_COMM,
	PROCFS_PID_MAPS,
	PROCFS_PID_MOUNTS,
	PROCFS_PID_FDINFO, /* fdinfo/N: the fd is the third id */
	/* System-wide. */
	PROCFS_MEMINFO,
	PROCFS_CPUINFO,
	PROCFS_STAT,
	PROCFS_UPTIME,
	PROCFS_LOADAVG,
	PROCFS_VERSION,
	PROCFS_FILESYSTEMS,
	PROCFS_SLABINFO,
	PROCFS_SYS_DROP_CACHES, /* /proc/sys/vm/drop_caches */
	PROCFS_SYS_HOSTNAME,
	PROCFS_SYS_DOMAINNAME,
	PROCFS_SYS_OSTYPE,
	PROCFS_SYS_OSRELEASE,
	PROCFS_SYS_VERSION,
	PROCFS_SYS_PID_MAX,
	PROCFS_SYS_NGROUPS_MAX,
	PROCFS_SYS_RANDOM_UUID,
	PROCFS_SYS_BOOT_ID,
};

/* Symlinks whose target the provider computes. */
enum procfs_link {
	PROCFS_LINK_CWD,
	PROCFS_LINK_ROOT,
	PROCFS_LINK_EXE,
	PROCFS_LINK_FD, /* fd/N */
};

/* Id lists the provider enumerates for directories. */
enum procfs_list {
	PROCFS_LIST_PIDS, /* live and zombie processes */
	PROCFS_LIST_TIDS, /* threads of pid */
	PROCFS_LIST_FDS,  /* open descriptors of (pid, tid) */
};

/* Who a process's entries belong to, and which incarnation of the pid it is. */
struct procfs_owner {
	uint32_t uid; /* effective ids, as Linux's task_dump_owner */
	uint32_t gid;
	uint64_t identity; /* changes when the pid is reused (creation time) */
};

/*
 * A growing text buffer for generated files. Appending never fails
 * outright: running out of memory sets err and later appends do nothing.
 */
struct procfs_buf {
	char *data;
	size_t len;
	size_t cap;
	int err; /* 0 or -ENOMEM */
};

void procfs_buf_init(struct procfs_buf *b);
void procfs_buf_fini(struct procfs_buf *b);
void procfs_write(struct procfs_buf *b, const void *data, size_t len);
void procfs_puts(struct procfs_buf *b, const char *s);
void procfs_printf(struct procfs_buf *b, const char *fmt, ...) __printf(2, 3);

/*
 * What procfs asks the kernel. pid is a process id, tid 0 or one of its
 * threads, fd a descriptor. Calls marked "locked" run with vfs->lock
 * held: they must not sleep on anything that waits for the VFS.
 */
struct procfs_provider {
	/* The caller's pid and tid (for self and thread-self). */
	void (*self)(int *pid, int *tid);
	/*
	 * Up to max ids greater than after, in increasing order, into out;
	 * returns how many. Not locked.
	 */
	int (*list)(enum procfs_list what, int pid, int tid, int after, int *out, int max);
	/*
	 * Locked. 0 and *out if pid exists (and tid, if not 0, is one of
	 * its threads); -ENOENT otherwise.
	 */
	int (*owner)(int pid, int tid, struct procfs_owner *out);
	/* Locked. True if fd is open in (pid, tid)'s descriptor table. */
	bool (*has_fd)(int pid, int tid, int fd);
	/*
	 * Locked. The link's target as the caller would read it, into buf
	 * (size bytes, NUL-terminated); *len gets strlen. -ENOENT if gone.
	 */
	int (*get_link)(enum procfs_link what, int pid, int tid, int fd, char *buf, size_t size,
			size_t *len);
	/* Not locked. Appends the file's text to b: 0 or -errno (-ENOENT if gone). */
	int (*show)(enum procfs_file what, int pid, int tid, int fd, struct procfs_buf *b);
	/* Not locked. A write to a writable file (the whole text); 0 or -errno. */
	int (*store)(enum procfs_file what, int pid, int tid, const char *data, size_t len);
};

/*
 * Makes a procfs super block over provider. 0 and *out (one reference,
 * the caller's, as tmpfs_create), or -ENOMEM.
 */
int procfs_create(struct vfs *vfs, const struct procfs_provider *provider,
		  struct super_block **out) __must_check;

/* The kernel's provider (kernel/procfs_proc.c, kernel/procfs_sys.c). */
extern const struct procfs_provider procfs_kernel_provider;

/* True if sb is a procfs. */
bool is_procfs_super(const struct super_block *sb);

/*
 * Text formats shared by the kernel's show routines and tested on the
 * host. /proc/[pid]/stat, all 52 fields of Linux 6.1 (proc(5)).
 */
struct procfs_stat {
	int pid;
	const char *comm;
	char state; /* R S D T Z ... */
	int ppid, pgrp, session, tty_nr, tpgid;
	uint32_t flags;
	uint64_t minflt, cminflt, majflt, cmajflt;
	uint64_t utime, stime; /* clock ticks */
	int64_t cutime, cstime;
	int64_t priority, nice, num_threads;
	uint64_t starttime; /* clock ticks after boot */
	uint64_t vsize;	    /* bytes */
	uint64_t rss;	    /* pages */
	uint64_t rsslim;
	uint64_t startcode, endcode, startstack;
	uint64_t signal, blocked, sigignore, sigcatch;
	int exit_signal, processor;
	uint64_t start_data, end_data, start_brk;
	uint64_t arg_start, arg_end, env_start, env_end;
	int exit_code;
};

void procfs_format_stat(struct procfs_buf *b, const struct procfs_stat *s);

/* One line of /proc/[pid]/maps; name may be NULL. */
struct procfs_map {
	uint64_t start, end;
	uint32_t prot; /* PROT_* */
	bool is_shared;
	uint64_t offset; /* bytes */
	uint32_t dev_major, dev_minor;
	uint64_t ino;
	const char *name;
};

void procfs_format_map(struct procfs_buf *b, const struct procfs_map *m);
