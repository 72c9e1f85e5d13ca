// SPDX-License-Identifier: MIT
/*
 * The names /proc holds, as tables: the root, /proc/sys, and the
 * directories of each process and thread. Modes are Linux's. Lookups
 * and getdents walk these (super.c, file.c); ids feed inode numbers.
 */
#include "internal.h"

#define DIR_MODE (S_IFDIR | 0555)
#define PRIVATE_DIR_MODE (S_IFDIR | 0500)
#define LINK_MODE (S_IFLNK | 0777)
#define RO (S_IFREG | 0444)
#define RW (S_IFREG | 0644)

#define FILE_ENTRY(n, i, m, f)                                                             \
	{                                                                                  \
		.name = (n), .id = (i), .type = PROCFS_NODE_FILE, .mode = (m), .file = (f) \
	}
#define LINK_ENTRY(n, i, l)                                                                   \
	{                                                                                     \
		.name = (n), .id = (i), .type = PROCFS_NODE_LINK_PROVIDER, .mode = LINK_MODE, \
		.link = (l)                                                                   \
	}
#define DIR_ENTRY(n, i, m, k, c)                                                               \
	{                                                                                      \
		.name = (n), .id = (i), .type = PROCFS_NODE_DIR, .mode = (m), .dir_kind = (k), \
		.children = (c)                                                                \
	}
#define TABLE(a)                                                         \
	{                                                                \
		.entries = (a), .nr_entries = sizeof(a) / sizeof((a)[0]) \
	}

/* Ids 1..99 are system-wide entries, 100.. per process. */
enum {
	ID_ROOT = 1,
	ID_SELF,
	ID_THREAD_SELF,
	ID_MOUNTS,
	ID_MEMINFO,
	ID_CPUINFO,
	ID_STAT,
	ID_UPTIME,
	ID_LOADAVG,
	ID_VERSION,
	ID_FILESYSTEMS,
	ID_SLABINFO,
	ID_SYS_VM,
	ID_DROP_CACHES,
	ID_SYS,
	ID_SYS_KERNEL,
	ID_HOSTNAME,
	ID_DOMAINNAME,
	ID_OSTYPE,
	ID_OSRELEASE,
	ID_SYS_VERSION,
	ID_PID_MAX,
	ID_NGROUPS_MAX,
	ID_RANDOM,
	ID_UUID,
	ID_BOOT_ID,
	ID_PID = 100,
	ID_TID,
	ID_TASK,
	ID_FD_DIR,
	ID_FDINFO_DIR,
	ID_FD,
	ID_FDINFO,
	ID_PID_STAT,
	ID_PID_STATUS,
	ID_PID_STATM,
	ID_PID_CMDLINE,
	ID_PID_ENVIRON,
	ID_PID_COMM,
	ID_PID_MAPS,
	ID_PID_MOUNTS,
	ID_CWD,
	ID_ROOT_LINK,
	ID_EXE,
};

static const struct procfs_entry random_entries[] = {
	FILE_ENTRY("boot_id", ID_BOOT_ID, RO, PROCFS_SYS_BOOT_ID),
	FILE_ENTRY("uuid", ID_UUID, RO, PROCFS_SYS_RANDOM_UUID),
};
static const struct procfs_table random_table = TABLE(random_entries);

static const struct procfs_entry kernel_entries[] = {
	FILE_ENTRY("domainname", ID_DOMAINNAME, RW, PROCFS_SYS_DOMAINNAME),
	FILE_ENTRY("hostname", ID_HOSTNAME, RW, PROCFS_SYS_HOSTNAME),
	FILE_ENTRY("ngroups_max", ID_NGROUPS_MAX, RO, PROCFS_SYS_NGROUPS_MAX),
	FILE_ENTRY("osrelease", ID_OSRELEASE, RO, PROCFS_SYS_OSRELEASE),
	FILE_ENTRY("ostype", ID_OSTYPE, RO, PROCFS_SYS_OSTYPE),
	FILE_ENTRY("pid_max", ID_PID_MAX, RO, PROCFS_SYS_PID_MAX),
	DIR_ENTRY("random", ID_RANDOM, DIR_MODE, PROCFS_DIR_FIXED, &random_table),
	FILE_ENTRY("version", ID_SYS_VERSION, RO, PROCFS_SYS_VERSION),
};
static const struct procfs_table kernel_table = TABLE(kernel_entries);

static const struct procfs_entry vm_entries[] = {
	FILE_ENTRY("drop_caches", ID_DROP_CACHES, S_IFREG | 0200, PROCFS_SYS_DROP_CACHES),
};
static const struct procfs_table vm_table = TABLE(vm_entries);

static const struct procfs_entry sys_entries[] = {
	DIR_ENTRY("kernel", ID_SYS_KERNEL, DIR_MODE, PROCFS_DIR_FIXED, &kernel_table),
	DIR_ENTRY("vm", ID_SYS_VM, DIR_MODE, PROCFS_DIR_FIXED, &vm_table),
};
static const struct procfs_table sys_table = TABLE(sys_entries);

static const struct procfs_entry root_entries[] = {
	{.name = "self", .id = ID_SELF, .type = PROCFS_NODE_LINK_SELF, .mode = LINK_MODE},
	{.name = "thread-self",
	 .id = ID_THREAD_SELF,
	 .type = PROCFS_NODE_LINK_THREAD_SELF,
	 .mode = LINK_MODE},
	{.name = "mounts",
	 .id = ID_MOUNTS,
	 .type = PROCFS_NODE_LINK_FIXED,
	 .mode = LINK_MODE,
	 .target = "self/mounts"},
	FILE_ENTRY("cpuinfo", ID_CPUINFO, RO, PROCFS_CPUINFO),
	FILE_ENTRY("filesystems", ID_FILESYSTEMS, RO, PROCFS_FILESYSTEMS),
	FILE_ENTRY("loadavg", ID_LOADAVG, RO, PROCFS_LOADAVG),
	FILE_ENTRY("meminfo", ID_MEMINFO, RO, PROCFS_MEMINFO),
	FILE_ENTRY("slabinfo", ID_SLABINFO, S_IFREG | 0400, PROCFS_SLABINFO),
	FILE_ENTRY("stat", ID_STAT, RO, PROCFS_STAT),
	DIR_ENTRY("sys", ID_SYS, DIR_MODE, PROCFS_DIR_FIXED, &sys_table),
	FILE_ENTRY("uptime", ID_UPTIME, RO, PROCFS_UPTIME),
	FILE_ENTRY("version", ID_VERSION, RO, PROCFS_VERSION),
};
static const struct procfs_table root_table = TABLE(root_entries);

const struct procfs_entry procfs_fd_entry = {.name = "",
					     .id = ID_FD,
					     .type = PROCFS_NODE_LINK_PROVIDER,
					     .mode = S_IFLNK | 0700,
					     .link = PROCFS_LINK_FD};
const struct procfs_entry procfs_fdinfo_entry = FILE_ENTRY("", ID_FDINFO, RO, PROCFS_PID_FDINFO);

/* What /proc/<pid> and /proc/<pid>/task/<tid> share, in Linux's order. */
#define PER_THREAD_ENTRIES                                                                      \
	DIR_ENTRY("fd", ID_FD_DIR, PRIVATE_DIR_MODE, PROCFS_DIR_FDS, NULL),                     \
		DIR_ENTRY("fdinfo", ID_FDINFO_DIR, PRIVATE_DIR_MODE, PROCFS_DIR_FDINFOS, NULL), \
		FILE_ENTRY("environ", ID_PID_ENVIRON, S_IFREG | 0400, PROCFS_PID_ENVIRON),      \
		FILE_ENTRY("status", ID_PID_STATUS, RO, PROCFS_PID_STATUS),                     \
		FILE_ENTRY("cmdline", ID_PID_CMDLINE, RO, PROCFS_PID_CMDLINE),                  \
		FILE_ENTRY("comm", ID_PID_COMM, RW, PROCFS_PID_COMM),                           \
		FILE_ENTRY("maps", ID_PID_MAPS, RO, PROCFS_PID_MAPS),                           \
		FILE_ENTRY("mounts", ID_PID_MOUNTS, RO, PROCFS_PID_MOUNTS),                     \
		LINK_ENTRY("cwd", ID_CWD, PROCFS_LINK_CWD),                                     \
		LINK_ENTRY("root", ID_ROOT_LINK, PROCFS_LINK_ROOT),                             \
		LINK_ENTRY("exe", ID_EXE, PROCFS_LINK_EXE),                                     \
		FILE_ENTRY("stat", ID_PID_STAT, RO, PROCFS_PID_STAT),                           \
		FILE_ENTRY("statm", ID_PID_STATM, RO, PROCFS_PID_STATM)

static const struct procfs_entry tid_entries[] = {PER_THREAD_ENTRIES};
static const struct procfs_table tid_table = TABLE(tid_entries);

const struct procfs_entry procfs_tid_entry =
	DIR_ENTRY("", ID_TID, DIR_MODE, PROCFS_DIR_FIXED, &tid_table);

static const struct procfs_entry pid_entries[] = {
	DIR_ENTRY("task", ID_TASK, DIR_MODE, PROCFS_DIR_TASKS, NULL),
	PER_THREAD_ENTRIES,
};
static const struct procfs_table pid_table = TABLE(pid_entries);

const struct procfs_entry procfs_pid_entry =
	DIR_ENTRY("", ID_PID, DIR_MODE, PROCFS_DIR_FIXED, &pid_table);

const struct procfs_entry procfs_root_entry =
	DIR_ENTRY("", ID_ROOT, DIR_MODE, PROCFS_DIR_ROOT, &root_table);
