// SPDX-License-Identifier: MIT
/*
 * The system-wide files of /proc (meminfo, cpuinfo, stat, uptime,
 * loadavg, version, filesystems, the mount table, /proc/sys/kernel) in
 * Linux 6.1's formats, and the kernel's procfs provider, which sends
 * per-process questions on to procfs_proc.c. Mounted by mount(2) with
 * type "proc" (kernel/sys_path.c).
 */
#include <linux/magic.h>
#include <linux/utsname.h>
#include <tern/errno.h>
#include <tern/files.h>
#include <tern/kernel.h>
#include <tern/kmem.h>
#include <tern/mm.h>
#include <tern/proc.h>
#include <tern/string.h>
#include <tern/time.h>

#include "internal.h"

#define NSEC_PER_SEC ((uint64_t)1000000000)
#define NSEC_PER_CENTISEC ((uint64_t)10000000)

static void show_meminfo(struct procfs_buf *b)
{
	uint64_t total_kb = mm_total_bytes() / 1024;
	uint64_t free_kb = mm_free_bytes() / 1024;
	struct kmem_stats ks;

	kmem_get_stats(&kernel_kmem, &ks);
	uint64_t slab_kb = ks.nr_pages * (PAGE_SIZE / 1024);
	const struct {
		const char *name;
		uint64_t kb;
	} lines[] = {
		{"MemTotal", total_kb},
		{"MemFree", free_kb},
		{"MemAvailable", free_kb},
		{"Buffers", 0},
		{"Cached", 0},
		{"SwapCached", 0},
		{"Active", 0},
		{"Inactive", 0},
		{"Active(anon)", 0},
		{"Inactive(anon)", 0},
		{"Active(file)", 0},
		{"Inactive(file)", 0},
		{"Unevictable", 0},
		{"Mlocked", 0},
		{"SwapTotal", 0},
		{"SwapFree", 0},
		{"Dirty", 0},
		{"Writeback", 0},
		{"AnonPages", 0},
		{"Mapped", 0},
		{"Shmem", 0},
		{"KReclaimable", 0},
		{"Slab", slab_kb},
		{"SReclaimable", 0},
		{"SUnreclaim", slab_kb},
		{"KernelStack", 0},
		{"PageTables", 0},
		{"NFS_Unstable", 0},
		{"Bounce", 0},
		{"WritebackTmp", 0},
		{"CommitLimit", total_kb},
		{"Committed_AS", total_kb - free_kb},
		{"VmallocTotal", (uint64_t)34359738367},
		{"VmallocUsed", 0},
		{"VmallocChunk", 0},
		{"Percpu", 0},
		{"HardwareCorrupted", 0},
		{"AnonHugePages", 0},
		{"ShmemHugePages", 0},
		{"ShmemPmdMapped", 0},
		{"FileHugePages", 0},
		{"FilePmdMapped", 0},
	};

	/* ABI: fs/proc/meminfo.c pads "Name:" to 16 columns and the value to 8. */
	for (size_t i = 0; i < ARRAY_SIZE(lines); i++) {
		char label[24];
		ksnprintf(label, sizeof(label), "%s:", lines[i].name);
		procfs_printf(b, "%-15s %8lu kB\n", label, lines[i].kb);
	}
	procfs_puts(b, "HugePages_Total:       0\nHugePages_Free:        0\n"
		       "HugePages_Rsvd:        0\nHugePages_Surp:        0\n"
		       "Hugepagesize:       2048 kB\nHugetlb:               0 kB\n");
	procfs_printf(b, "DirectMap4k:    %8lu kB\nDirectMap2M:    %8lu kB\n", 0UL, total_kb);
}

/* ABI: what a QEMU "qemu64" CPU reports; Tern has no CPUID reader outside arch/ yet. */
static void show_cpuinfo(struct procfs_buf *b)
{
	procfs_puts(b, "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 15\n"
		       "model\t\t: 107\nmodel name\t: QEMU Virtual CPU version 2.5+\n"
		       "stepping\t: 1\nmicrocode\t: 0x1000065\ncpu MHz\t\t: 2000.000\n"
		       "cache size\t: 512 KB\nphysical id\t: 0\nsiblings\t: 1\ncore id\t\t: 0\n"
		       "cpu cores\t: 1\napicid\t\t: 0\ninitial apicid\t: 0\nfpu\t\t: yes\n"
		       "fpu_exception\t: yes\ncpuid level\t: 13\nwp\t\t: yes\n"
		       "flags\t\t: fpu de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat "
		       "pse36 clflush mmx fxsr sse sse2 syscall nx lm nopl cpuid pni cx16 "
		       "hypervisor lahf_lm svm\n"
		       "bugs\t\t: fxsave_leak sysret_ss_attrs\nbogomips\t: 4000.00\n"
		       "TLB size\t: 1024 4K pages\nclflush size\t: 64\ncache_alignment\t: 64\n"
		       "address sizes\t: 40 bits physical, 48 bits virtual\n"
		       "power management:\n\n");
}

/* CPU time of every process, live threads and exited ones, and context switches. */
static void cpu_totals(uint64_t *busy_ns, uint64_t *nr_switches, int *nr_running, int *nr_threads,
		       int *last_pid)
{
	struct list_head *pos;
	struct list_head *tpos;

	*busy_ns = *nr_switches = 0;
	*nr_running = *nr_threads = *last_pid = 0;
	spin_lock(&proc_lock);
	list_for_each(pos, proc_all_locked()) {
		struct proc *p = list_entry(pos, struct proc, all_link);
		*busy_ns += p->exited.cpu_ns + p->reaped.cpu_ns;
		*last_pid = MAX(*last_pid, p->pid);
		list_for_each(tpos, &p->threads) {
			const struct task *t = list_entry(tpos, struct task, thread_link);
			*busy_ns += t->runtime_ns;
			*nr_switches += t->nr_switches;
			*nr_threads += 1;
			*nr_running += t->state == TASK_RUNNABLE;
		}
	}
	spin_unlock(&proc_lock);
}

static void show_stat(struct procfs_buf *b)
{
	uint64_t up_ns = clock_monotonic_ns();
	uint64_t busy_ns, nr_switches;
	int nr_running, nr_threads, last_pid;

	cpu_totals(&busy_ns, &nr_switches, &nr_running, &nr_threads, &last_pid);
	busy_ns = MIN(busy_ns, up_ns);
	uint64_t user = busy_ns / NSEC_PER_CENTISEC;
	uint64_t idle = (up_ns - busy_ns) / NSEC_PER_CENTISEC;
	for (int i = 0; i < 2; i++)
		procfs_printf(b, "%s %lu 0 0 %lu 0 0 0 0 0 0\n", i ? "cpu0" : "cpu ", user, idle);
	procfs_printf(b,
		      "intr 0\nctxt %lu\nbtime %lu\nprocesses %d\nprocs_running %d\n"
		      "procs_blocked 0\nsoftirq 0 0 0 0 0 0 0 0 0 0 0\n",
		      nr_switches, (clock_realtime_ns() - up_ns) / NSEC_PER_SEC, last_pid,
		      MAX(nr_running, 1));
}

static void show_uptime(struct procfs_buf *b)
{
	uint64_t up_ns = clock_monotonic_ns();
	uint64_t busy_ns, nr_switches;
	int nr_running, nr_threads, last_pid;

	cpu_totals(&busy_ns, &nr_switches, &nr_running, &nr_threads, &last_pid);
	uint64_t idle_ns = up_ns - MIN(busy_ns, up_ns);
	procfs_printf(b, "%lu.%02lu %lu.%02lu\n", up_ns / NSEC_PER_SEC,
		      up_ns % NSEC_PER_SEC / NSEC_PER_CENTISEC, idle_ns / NSEC_PER_SEC,
		      idle_ns % NSEC_PER_SEC / NSEC_PER_CENTISEC);
}

/* FIXME: no load average is kept; the counts and the newest pid are real. */
static void show_loadavg(struct procfs_buf *b)
{
	uint64_t busy_ns, nr_switches;
	int nr_running, nr_threads, last_pid;

	cpu_totals(&busy_ns, &nr_switches, &nr_running, &nr_threads, &last_pid);
	procfs_printf(b, "0.00 0.00 0.00 %d/%d %d\n", MAX(nr_running, 1), nr_threads, last_pid);
}

static void show_version(struct procfs_buf *b)
{
	struct new_utsname u;

	uts_read(&u);
	procfs_printf(b, "%s version %s (tern@tern) (gcc) %s\n", u.sysname, u.release, u.version);
}

static void random_uuid(struct procfs_buf *b)
{
	uint8_t r[16];

	random_bytes(r, sizeof(r));
	r[6] = (r[6] & 0x0f) | 0x40; /* version 4 */
	r[8] = (r[8] & 0x3f) | 0x80; /* RFC 4122 variant */
	for (int i = 0; i < 16; i++)
		procfs_printf(b, "%02x%s", r[i], i == 3 || i == 5 || i == 7 || i == 9 ? "-" : "");
	procfs_puts(b, "\n");
}

static void show_boot_id(struct procfs_buf *b)
{
	static struct spinlock boot_id_lock;
	static char boot_id[40]; /* boot_id_lock */
	struct procfs_buf fresh;

	procfs_buf_init(&fresh);
	random_uuid(&fresh);
	spin_lock(&boot_id_lock);
	if (!boot_id[0] && !fresh.err)
		strlcpy(boot_id, fresh.data, sizeof(boot_id));
	spin_unlock(&boot_id_lock);
	procfs_buf_fini(&fresh);
	procfs_puts(b, boot_id);
}

static int show_sys_kernel(enum procfs_file what, struct procfs_buf *b)
{
	struct new_utsname u;
	const char *text;

	uts_read(&u);
	switch (what) {
	case PROCFS_SYS_HOSTNAME:
		text = u.nodename;
		break;
	case PROCFS_SYS_DOMAINNAME:
		text = u.domainname;
		break;
	case PROCFS_SYS_OSTYPE:
		text = u.sysname;
		break;
	case PROCFS_SYS_OSRELEASE:
		text = u.release;
		break;
	case PROCFS_SYS_VERSION:
		text = u.version;
		break;
	case PROCFS_SYS_PID_MAX:
		procfs_printf(b, "%d\n", PID_MAX);
		return 0;
	case PROCFS_SYS_NGROUPS_MAX:
		procfs_printf(b, "%d\n", NGROUPS_MAX_TERN);
		return 0;
	case PROCFS_SYS_RANDOM_UUID:
		random_uuid(b);
		return 0;
	case PROCFS_SYS_BOOT_ID:
		show_boot_id(b);
		return 0;
	default:
		return -EINVAL;
	}
	procfs_printf(b, "%s\n", text);
	return 0;
}

/*
 * ABI: /proc/slabinfo version 2.1, one line per kmalloc size class (and
 * one for allocations of whole pages). Active and total objects are the
 * live count and what the class's slab pages hold.
 */
static void show_slabinfo(struct procfs_buf *b)
{
	struct kmem_stats ks;

	kmem_get_stats(&kernel_kmem, &ks);
	procfs_puts(b, "slabinfo - version: 2.1\n"
		       "# name            <active_objs> <num_objs> <objsize> <objperslab> "
		       "<pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : "
		       "slabdata <active_slabs> <num_slabs> <sharedavail>\n");
	for (int i = KMEM_NR_CLASSES - 1; i >= 0; i--) {
		const struct kmem_class_stats *c = &ks.classes[i];
		uint64_t per_slab = PAGE_SIZE / c->object_size;
		char name[24];
		ksnprintf(name, sizeof(name), "kmalloc-%u", c->object_size);
		procfs_printf(
			b,
			"%-17s %6lu %6lu %6u %4lu %4d : tunables %4d %4d %4d : slabdata %6lu %6lu %6d\n",
			name, c->nr_live, c->nr_slabs * per_slab, c->object_size, per_slab, 1, 0, 0,
			0, c->nr_slabs, c->nr_slabs, 0);
	}
	procfs_printf(
		b, "%-17s %6lu %6lu %6u %4d %4d : tunables %4d %4d %4d : slabdata %6lu %6lu %6d\n",
		"kmalloc-pages", ks.nr_large_live, ks.nr_large_live, (unsigned int)PAGE_SIZE, 1, 1,
		0, 0, 0, ks.nr_large_pages, ks.nr_large_pages, 0);
}

/* The last value written to /proc/sys/vm/drop_caches, as Linux reports it. */
static int drop_caches_value;

/* ABI: drop_caches takes 1 (page cache), 2 (dentries and inodes), 3 (both) or 4. */
static int drop_caches(const char *data, size_t len)
{
	char buf[8];
	uint64_t v;

	if (len == 0 || len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, data, len);
	buf[len] = 0;
	if (kstrtou64(buf, 10, &v) != 0 || v < 1 || v > 4)
		return -EINVAL;
	if (v & 2)
		vfs_shrink_dcache(root_vfs, UINT64_MAX);
	if (v & 3)
		kmem_shrink(&kernel_kmem);
	drop_caches_value = (int)v;
	return 0;
}

static int sys_show(enum procfs_file what, int pid, int tid, int fd, struct procfs_buf *b)
{
	switch (what) {
	case PROCFS_SLABINFO:
		show_slabinfo(b);
		return 0;
	case PROCFS_SYS_DROP_CACHES:
		procfs_printf(b, "%d\n", drop_caches_value);
		return 0;
	case PROCFS_MEMINFO:
		show_meminfo(b);
		return 0;
	case PROCFS_CPUINFO:
		show_cpuinfo(b);
		return 0;
	case PROCFS_STAT:
		show_stat(b);
		return 0;
	case PROCFS_UPTIME:
		show_uptime(b);
		return 0;
	case PROCFS_LOADAVG:
		show_loadavg(b);
		return 0;
	case PROCFS_VERSION:
		show_version(b);
		return 0;
	case PROCFS_FILESYSTEMS:
		procfs_puts(b, "nodev\ttmpfs\nnodev\tdevtmpfs\nnodev\tproc\n");
		return 0;
	default:
		if (what >= PROCFS_SYS_HOSTNAME)
			return show_sys_kernel(what, b);
		return procfs_proc_show(what, pid, tid, fd, b);
	}
}

/* ABI: as proc_dostring, the text up to a newline; longer names are EINVAL here. */
static int sys_store(enum procfs_file what, int pid, int tid, const char *data, size_t len)
{
	const char *nl = memchr(data, '\n', len);

	if (what == PROCFS_PID_COMM)
		return procfs_proc_store_comm(pid, tid, data, len);
	if (nl)
		len = (size_t)(nl - data);
	if (what == PROCFS_SYS_HOSTNAME || what == PROCFS_SYS_DOMAINNAME)
		return uts_write(what == PROCFS_SYS_DOMAINNAME, data, len);
	if (what == PROCFS_SYS_DROP_CACHES)
		return drop_caches(data, len);
	return -EINVAL;
}

/* Mount points with Linux's escapes for space, tab, newline and backslash. */
static void put_escaped(struct procfs_buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\\')
			procfs_printf(b, "\\%03o", (unsigned int)(unsigned char)*s);
		else
			procfs_write(b, s, 1);
	}
}

static const char *fs_type_name(const struct super_block *sb)
{
	switch (sb->magic) {
	case TMPFS_MAGIC:
		return is_devtmpfs_super(sb) ? "devtmpfs" : "tmpfs";
	case PROC_SUPER_MAGIC:
		return "proc";
	default:
		return "unknown";
	}
}

void procfs_show_mounts_locked(const struct path *root, struct procfs_buf *b)
{
	static const char unreachable[] = "(unreachable)";
	char *name = kmalloc(PATH_MAX);
	struct list_head *pos;
	size_t len;

	if (!name) {
		b->err = -ENOMEM;
		return;
	}
	list_for_each(pos, &root_vfs->mount_list) {
		struct mount *m = list_entry(pos, struct mount, link);
		struct path at = {m, m->root};
		if (vfs_path_name_locked(root, &at, false, name, PATH_MAX, &len) != 0 ||
		    strncmp(name, unreachable, sizeof(unreachable) - 1) == 0)
			continue;
		const char *type = m->parent ? fs_type_name(m->sb) : "rootfs";
		char opts[VFS_MOUNT_OPTS_MAX];
		vfs_mount_opts(m, opts, sizeof(opts));
		procfs_printf(b, "%s ", type);
		put_escaped(b, name);
		procfs_printf(b, " %s %s 0 0\n", type, opts);
	}
	kfree(name);
}

const struct procfs_provider procfs_kernel_provider = {
	.self = procfs_proc_self,
	.list = procfs_proc_list,
	.owner = procfs_proc_owner,
	.has_fd = procfs_proc_has_fd,
	.get_link = procfs_proc_get_link,
	.show = sys_show,
	.store = sys_store,
};
