// SPDX-License-Identifier: MIT
/*
 * /proc/[pid] and /proc/[pid]/task/[tid] on the kernel's side: what
 * procfs (fs/procfs/) asks about processes, answered from struct proc,
 * struct task, their address spaces and descriptor tables. The text
 * formats of stat and maps are in fs/procfs/format.c; system-wide files
 * and the provider table are in procfs_sys.c.
 *
 * Locking: process state is copied out under proc_lock (a spinlock) and
 * formatted after. Some calls run under vfs->lock (owner, has_fd,
 * get_link): they may take a descriptor table's lock (a leaf) but must
 * not drop the last reference to one, which would close files and take
 * vfs->lock again; such a reference is handed to deferred_list instead
 * and dropped by the next call that runs without vfs->lock.
 */
#include <asm-generic/mman-common.h>
#include <linux/capability.h>
#include <linux/resource.h>
#include <tern/aspace.h>
#include <tern/errno.h>
#include <tern/files.h>
#include <tern/proc.h>
#include <tern/string.h>
#include <tern/uvm.h>

#include "internal.h"

#define NSEC_PER_TICK ((uint64_t)10000000) /* USER_HZ = 100 */
#define ARGS_MAX_BYTES (256 * 1024)

/* A descriptor table reference taken while vfs->lock may be held. */
struct deferred_put {
	struct deferred_put *next;
	struct fdtable *table;
};

static struct spinlock deferred_lock;
static struct deferred_put *deferred_list; /* deferred_lock */

/* Drops the references deferred by calls made under vfs->lock. */
static void drain_deferred(void)
{
	spin_lock(&deferred_lock);
	struct deferred_put *d = deferred_list;
	deferred_list = NULL;
	spin_unlock(&deferred_lock);
	while (d) {
		struct deferred_put *next = d->next;
		fdtable_put(d->table);
		kfree(d);
		d = next;
	}
}

/* The process pid and the thread to report on (tid, else any live one); L held. */
static struct proc *find_locked(int pid, int tid, struct task **out)
{
	struct proc *p = proc_find_locked(pid);

	*out = NULL;
	if (!p || p->state == PROC_DEAD)
		return NULL;
	if (tid) {
		struct task *t = proc_find_task_locked(tid);
		if (!t || t->proc != p)
			return NULL;
		*out = t;
	} else if (!list_is_empty(&p->threads)) {
		*out = list_first_entry(&p->threads, struct task, thread_link);
	}
	return p;
}

void procfs_proc_self(int *pid, int *tid)
{
	struct task *t = current_task();

	*pid = t->proc ? t->proc->pid : 0;
	*tid = t->id;
}

int procfs_proc_owner(int pid, int tid, struct procfs_owner *out)
{
	struct task *t;
	int err = -ENOENT;

	spin_lock(&proc_lock);
	struct proc *p = find_locked(pid, tid, &t);
	if (p) {
		out->uid = p->cred.euid;
		out->gid = p->cred.egid;
		out->identity = p->start_ns;
		err = 0;
	}
	spin_unlock(&proc_lock);
	return err;
}

/* A referenced descriptor table of (pid, tid); deferred is set under vfs->lock. */
struct table_ref {
	struct fdtable *table;
	struct deferred_put *deferred;
};

static int table_get(int pid, int tid, bool vfs_locked, struct table_ref *r)
{
	struct task *t;

	r->table = NULL;
	r->deferred = NULL;
	if (vfs_locked && !(r->deferred = kmalloc(sizeof(*r->deferred))))
		return -ENOMEM;
	spin_lock(&proc_lock);
	if (find_locked(pid, tid, &t) && t && t->files) {
		r->table = t->files;
		fdtable_get(r->table);
	}
	spin_unlock(&proc_lock);
	if (!r->table) {
		kfree(r->deferred);
		return -ENOENT;
	}
	return 0;
}

static void table_put(struct table_ref *r)
{
	uint32_t n = __atomic_load_n(&r->table->refcount, __ATOMIC_ACQUIRE);

	if (!r->deferred) {
		fdtable_put(r->table);
		return;
	}
	while (n > 1) {
		if (__atomic_compare_exchange_n(&r->table->refcount, &n, n - 1, false,
						__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
			kfree(r->deferred);
			return;
		}
	}
	r->deferred->table = r->table; /* ours is the last: the table closes files */
	spin_lock(&deferred_lock);
	r->deferred->next = deferred_list;
	deferred_list = r->deferred;
	spin_unlock(&deferred_lock);
}

/* Keeps the max smallest ids seen in out[0..*n), sorted. */
static void keep_smallest(int *out, int *n, int max, int id)
{
	int i = *n;

	if (*n == max && id >= out[max - 1])
		return;
	if (*n < max)
		(*n)++;
	else
		i = max - 1;
	while (i > 0 && out[i - 1] > id) {
		out[i] = out[i - 1];
		i--;
	}
	out[i] = id;
}

static int list_fds(int pid, int tid, int after, int *out, int max)
{
	struct table_ref r;
	int n = 0;

	if (table_get(pid, tid, false, &r) != 0)
		return 0;
	mutex_lock(&r.table->lock);
	for (uint32_t fd = (uint32_t)(after + 1); fd < r.table->nr_slots && n < max; fd++)
		if (r.table->slots[fd].file)
			out[n++] = (int)fd;
	mutex_unlock(&r.table->lock);
	table_put(&r);
	return n;
}

int procfs_proc_list(enum procfs_list what, int pid, int tid, int after, int *out, int max)
{
	struct list_head *pos;
	struct task *t;
	int n = 0;

	drain_deferred();
	if (what == PROCFS_LIST_FDS)
		return list_fds(pid, tid, after, out, max);
	spin_lock(&proc_lock);
	if (what == PROCFS_LIST_PIDS) {
		list_for_each(pos, proc_all_locked()) {
			struct proc *p = list_entry(pos, struct proc, all_link);
			if (p->pid > after && p->state != PROC_DEAD)
				keep_smallest(out, &n, max, p->pid);
		}
	} else {
		struct proc *p = find_locked(pid, 0, &t);
		for (pos = p ? p->threads.next : NULL; pos && pos != &p->threads; pos = pos->next) {
			t = list_entry(pos, struct task, thread_link);
			if (t->id > after)
				keep_smallest(out, &n, max, t->id);
		}
	}
	spin_unlock(&proc_lock);
	return n;
}

bool procfs_proc_has_fd(int pid, int tid, int fd)
{
	struct table_ref r;
	bool cloexec;

	if (fd < 0 || table_get(pid, tid, true, &r) != 0)
		return false;
	bool open = fd_get_cloexec(r.table, fd, &cloexec) == 0;
	table_put(&r);
	return open;
}

/* The caller's root, for naming paths as it sees them; L held. */
static bool reader_root_locked(struct path *out)
{
	struct fs_struct *fs = current_task()->fs;

	if (!fs)
		return false;
	*out = fs->root;
	return true;
}

/* vfs_path_name_locked, with strlen in *len. */
static int name_of(const struct path *root, const struct path *path, char *buf, size_t size,
		   size_t *len)
{
	size_t n;
	int err = vfs_path_name_locked(root, path, false, buf, size, &n);

	if (err)
		return err == -ERANGE ? -ENAMETOOLONG : err;
	*len = n - 1;
	return 0;
}

/* What an open file's link says: its path, or Linux's "pipe:[ino]" forms. */
static int describe_file(const struct path *root, struct file *f, char *buf, size_t size,
			 size_t *len)
{
	static const char unreachable[] = "(unreachable)";
	uint32_t type = f->inode->mode & S_IFMT;
	int err = name_of(root, &f->path, buf, size, len);

	if (err || (type != S_IFIFO && type != S_IFSOCK) ||
	    strncmp(buf, unreachable, sizeof(unreachable) - 1) != 0)
		return err;
	*len = (size_t)ksnprintf(buf, size, "%s:[%lu]", type == S_IFIFO ? "pipe" : "socket",
				 f->inode->ino);
	return 0;
}

static int fd_link(int pid, int tid, int fd, const struct path *root, char *buf, size_t size,
		   size_t *len)
{
	struct table_ref r;
	int err = table_get(pid, tid, true, &r);

	if (err)
		return err;
	mutex_lock(&r.table->lock);
	struct file *f =
		fd >= 0 && (uint32_t)fd < r.table->nr_slots ? r.table->slots[fd].file : NULL;
	err = f ? describe_file(root, f, buf, size, len) : -ENOENT;
	mutex_unlock(&r.table->lock);
	table_put(&r);
	return err;
}

int procfs_proc_get_link(enum procfs_link what, int pid, int tid, int fd, char *buf, size_t size,
			 size_t *len)
{
	struct path root;
	struct task *t;
	int err = -ENOENT;

	spin_lock(&proc_lock);
	struct proc *p = find_locked(pid, tid, &t);
	bool has_root = reader_root_locked(&root);
	if (!p || !has_root) {
		spin_unlock(&proc_lock);
		return -ENOENT;
	}
	if (what == PROCFS_LINK_EXE && p->exe_file)
		err = name_of(&root, &p->exe_file->path, buf, size, len);
	else if ((what == PROCFS_LINK_CWD || what == PROCFS_LINK_ROOT) && t && t->fs)
		err = name_of(&root, what == PROCFS_LINK_CWD ? &t->fs->cwd : &t->fs->root, buf,
			      size, len);
	spin_unlock(&proc_lock);
	if (what == PROCFS_LINK_FD)
		err = fd_link(pid, tid, fd, &root, buf, size, len);
	return err;
}

/* What the per-process files show, copied under proc_lock. */
struct proc_snapshot {
	int pid, tid, ppid, pgid, sid, nr_threads, exit_signal, exit_code;
	char comm[16];
	char state;
	bool no_new_privs;
	struct cred cred;
	uint32_t umask;
	uint64_t run_ns, children_ns, start_ns, nr_switches;
	uint64_t pending, shared_pending, blocked, ignored, caught;
	uint64_t rlim_rss, rlim_sigpending;
	int nr_queued;
	struct aspace *as; /* referenced, NULL for a zombie */
};

static char state_of_locked(const struct proc *p, const struct task *t)
{
	if (p->state == PROC_ZOMBIE)
		return 'Z';
	if (p->stopped)
		return 'T';
	if (!t || t == current_task() || t->state == TASK_RUNNABLE)
		return 'R';
	return 'S';
}

static void snapshot_signals_locked(const struct proc *p, const struct task *t,
				    struct proc_snapshot *s)
{
	struct list_head *pos;

	s->shared_pending = p->shared_pending.set;
	s->pending = t ? t->sig_pending : 0;
	s->blocked = t ? t->sig_blocked : 0;
	for (int sig = 1; sig <= NSIG_TERN; sig++) {
		uint64_t h = p->actions[sig - 1].handler;
		if (h == 1)
			s->ignored |= 1ULL << (sig - 1);
		else if (h > 1)
			s->caught |= 1ULL << (sig - 1);
	}
	list_for_each(pos, &p->shared_pending.queue)
		s->nr_queued++;
}

static void snapshot_times_locked(const struct proc *p, const struct task *t, bool thread,
				  struct proc_snapshot *s)
{
	struct list_head *pos;

	if (thread) {
		s->run_ns = t ? t->runtime_ns : 0;
		s->nr_switches = t ? t->nr_switches : 0;
		return;
	}
	s->run_ns = p->exited.cpu_ns;
	list_for_each(pos, &p->threads) {
		const struct task *th = list_entry(pos, struct task, thread_link);
		s->run_ns += th->runtime_ns;
		s->nr_switches += th->nr_switches;
	}
}

static int snapshot(int pid, int tid, struct proc_snapshot *s)
{
	struct task *t;

	memset(s, 0, sizeof(*s));
	spin_lock(&proc_lock);
	struct proc *p = find_locked(pid, tid, &t);
	if (!p) {
		spin_unlock(&proc_lock);
		return -ENOENT;
	}
	s->pid = p->pid;
	s->tid = tid ? tid : p->pid;
	s->ppid = p->parent ? p->parent->pid : 0;
	s->pgid = p->pgid;
	s->sid = p->sid;
	s->nr_threads = p->nr_threads;
	s->exit_signal = p->exit_signal;
	s->exit_code = p->state == PROC_ZOMBIE ? p->exit_status : 0;
	memcpy(s->comm, p->comm, sizeof(s->comm));
	s->comm[sizeof(s->comm) - 1] = '\0';
	s->state = state_of_locked(p, t);
	s->cred = p->cred;
	s->umask = p->umask;
	s->children_ns = p->reaped.cpu_ns;
	s->no_new_privs = p->no_new_privs;
	s->start_ns = p->start_ns;
	s->rlim_rss = p->rlim[RLIMIT_RSS].rlim_cur;
	s->rlim_sigpending = p->rlim[RLIMIT_SIGPENDING].rlim_cur;
	snapshot_signals_locked(p, t, s);
	snapshot_times_locked(p, t, tid != 0, s);
	s->as = p->as;
	if (s->as)
		aspace_get(s->as);
	spin_unlock(&proc_lock);
	return 0;
}

static void snapshot_put(struct proc_snapshot *s)
{
	if (s->as)
		aspace_put(s->as);
}

/* Memory figures of an address space, in bytes, and its layout. */
struct vm_stats {
	uint64_t size, rss, shared_rss, data, stack, exe;
	uint64_t start_code, end_code, start_data, end_data;
	struct aspace_layout lay;
};

static uint64_t resident_bytes(struct aspace *as, const struct vma *v)
{
	uint64_t n = 0;
	uint64_t pa;
	unsigned int prot;

	if (!(v->prot & VMA_PROT_MASK))
		return 0;
	for (uint64_t va = v->start; va < v->end; va += PAGE_SIZE)
		if (uvm_query(as->uvm, va, &pa, &prot))
			n += PAGE_SIZE;
	return n;
}

/* Code and data are the image's areas below the break (exec maps nothing else there). */
static void add_vma_stats(struct aspace *as, const struct vma *v, struct vm_stats *st)
{
	uint64_t len = v->end - v->start;
	uint64_t rss = resident_bytes(as, v);

	st->size += len;
	st->rss += rss;
	if (v->flags & VMA_SHARED)
		st->shared_rss += rss;
	if (v->flags & VMA_GROWSDOWN)
		st->stack += len;
	else if ((v->prot & PROT_WRITE) && !(v->flags & VMA_SHARED))
		st->data += len;
	if (v->end > as->lay.brk_start)
		return;
	if (v->prot & PROT_EXEC) {
		st->exe += len;
		st->start_code = st->start_code ? MIN(st->start_code, v->start) : v->start;
		st->end_code = MAX(st->end_code, v->end);
	} else if (v->prot & PROT_WRITE) {
		st->start_data = st->start_data ? MIN(st->start_data, v->start) : v->start;
		st->end_data = MAX(st->end_data, v->end);
	}
}

static void vm_stats(struct aspace *as, struct vm_stats *st)
{
	memset(st, 0, sizeof(*st));
	if (!as)
		return;
	mutex_lock(&as->lock);
	for (struct vma *v = vma_first(&as->vmas); v; v = vma_next(&as->vmas, v))
		add_vma_stats(as, v, st);
	st->lay = as->lay;
	mutex_unlock(&as->lock);
}

static void show_stat(const struct proc_snapshot *s, struct procfs_buf *b)
{
	struct vm_stats vm;

	vm_stats(s->as, &vm);
	struct procfs_stat st = {
		.pid = s->tid,
		.comm = s->comm,
		.state = s->state,
		.ppid = s->ppid,
		.pgrp = s->pgid,
		.session = s->sid,
		.tpgid = -1,
		.utime = s->run_ns / NSEC_PER_TICK,
		.cutime = (int64_t)(s->children_ns / NSEC_PER_TICK),
		.priority = 20,
		.num_threads = s->nr_threads,
		.starttime = s->start_ns / NSEC_PER_TICK,
		.vsize = vm.size,
		.rss = vm.rss / PAGE_SIZE,
		.rsslim = s->rlim_rss,
		.startcode = vm.start_code,
		.endcode = vm.end_code,
		.startstack = vm.lay.arg_start ? ALIGN_DOWN(vm.lay.arg_start, 8) : 0,
		.signal = s->pending,
		.blocked = s->blocked,
		.sigignore = s->ignored,
		.sigcatch = s->caught,
		.exit_signal = s->exit_signal,
		.start_data = vm.start_data,
		.end_data = vm.end_data,
		.start_brk = vm.lay.brk_start,
		.arg_start = vm.lay.arg_start,
		.arg_end = vm.lay.arg_end,
		.env_start = vm.lay.env_start,
		.env_end = vm.lay.env_end,
		.exit_code = s->exit_code,
	};
	procfs_format_stat(b, &st);
}

static void show_statm(const struct proc_snapshot *s, struct procfs_buf *b)
{
	struct vm_stats vm;

	vm_stats(s->as, &vm);
	procfs_printf(b, "%lu %lu %lu %lu 0 %lu 0\n", vm.size / PAGE_SIZE, vm.rss / PAGE_SIZE,
		      vm.shared_rss / PAGE_SIZE, vm.exe / PAGE_SIZE,
		      (vm.data + vm.stack) / PAGE_SIZE);
}

static const char *state_name(char state)
{
	switch (state) {
	case 'R':
		return "R (running)";
	case 'T':
		return "T (stopped)";
	case 'Z':
		return "Z (zombie)";
	default:
		return "S (sleeping)";
	}
}

static void show_status_ids(const struct proc_snapshot *s, struct procfs_buf *b)
{
	const struct cred *c = &s->cred;

	procfs_printf(b, "Name:\t%s\nUmask:\t%04o\nState:\t%s\n", s->comm, s->umask,
		      state_name(s->state));
	procfs_printf(b, "Tgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\nTracerPid:\t0\n", s->pid,
		      s->tid, s->ppid);
	procfs_printf(b, "Uid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\nFDSize:\t64\nGroups:\t",
		      c->uid, c->euid, c->suid, c->fsuid, c->gid, c->egid, c->sgid, c->fsgid);
	for (uint32_t i = 0; i < c->ngroups && i < NGROUPS_MAX_TERN; i++)
		procfs_printf(b, "%u ", c->groups[i]);
	procfs_printf(b, "\nNStgid:\t%d\nNSpid:\t%d\nNSpgid:\t%d\nNSsid:\t%d\n", s->pid, s->tid,
		      s->pgid, s->sid);
}

static void show_status_mem(const struct proc_snapshot *s, struct procfs_buf *b)
{
	struct vm_stats vm;

	if (!s->as)
		return;
	vm_stats(s->as, &vm);
	const struct {
		const char *name;
		uint64_t bytes;
	} lines[] = {
		{"VmPeak", vm.size},
		{"VmSize", vm.size},
		{"VmLck", 0},
		{"VmPin", 0},
		{"VmHWM", vm.rss},
		{"VmRSS", vm.rss},
		{"RssAnon", vm.rss - vm.shared_rss},
		{"RssFile", 0},
		{"RssShmem", vm.shared_rss},
		{"VmData", vm.data},
		{"VmStk", vm.stack},
		{"VmExe", vm.exe},
		{"VmLib", 0},
		{"VmPTE", 0},
		{"VmSwap", 0},
		{"HugetlbPages", 0},
	};
	for (size_t i = 0; i < ARRAY_SIZE(lines); i++)
		procfs_printf(b, "%s:\t%8lu kB\n", lines[i].name, lines[i].bytes / 1024);
	procfs_puts(b, "CoreDumping:\t0\nTHP_enabled:\t1\n");
}

static void show_status(const struct proc_snapshot *s, struct procfs_buf *b)
{
	show_status_ids(s, b);
	show_status_mem(s, b);
	procfs_printf(b, "Threads:\t%d\nSigQ:\t%d/%lu\n", s->nr_threads, s->nr_queued,
		      s->rlim_sigpending);
	procfs_printf(b,
		      "SigPnd:\t%016lx\nShdPnd:\t%016lx\nSigBlk:\t%016lx\nSigIgn:\t%016lx\n"
		      "SigCgt:\t%016lx\n",
		      s->pending, s->shared_pending, s->blocked, s->ignored, s->caught);
	procfs_printf(b,
		      "CapInh:\t%016lx\nCapPrm:\t%016lx\nCapEff:\t%016lx\nCapBnd:\t%016lx\n"
		      "CapAmb:\t%016lx\n",
		      s->cred.cap_inheritable, s->cred.cap_permitted, s->cred.cap_effective,
		      (uint64_t)CAP_FULL_SET, 0UL);
	procfs_printf(b, "NoNewPrivs:\t%d\n", s->no_new_privs);
	procfs_puts(b, "Seccomp:\t0\nSeccomp_filters:\t0\n"
		       "Speculation_Store_Bypass:\tunknown\nSpeculationIndirectBranch:\tunknown\n"
		       "Cpus_allowed:\t1\nCpus_allowed_list:\t0\nMems_allowed:\t1\n"
		       "Mems_allowed_list:\t0\n");
	procfs_printf(b, "voluntary_ctxt_switches:\t%lu\nnonvoluntary_ctxt_switches:\t0\n",
		      s->nr_switches);
}

/* argv or envp strings, read from the process's memory. */
static int show_strings(const struct proc_snapshot *s, bool env, struct procfs_buf *b)
{
	uint64_t start = env ? s->as->lay.env_start : s->as->lay.arg_start;
	uint64_t end = env ? s->as->lay.env_end : s->as->lay.arg_end;
	uint64_t len = end > start ? MIN(end - start, (uint64_t)ARGS_MAX_BYTES) : 0;
	uint64_t got;

	if (!len)
		return 0;
	char *buf = kmalloc(len);
	if (!buf)
		return -ENOMEM;
	aspace_read(s->as, start, buf, len, &got);
	procfs_write(b, buf, got);
	kfree(buf);
	return 0;
}

/* The name maps gives an anonymous area: [heap], [stack] or none. */
static const char *map_name(const struct aspace *as, const struct vma *v)
{
	if (as->lay.brk > as->lay.brk_start && v->start < as->lay.brk && v->end > as->lay.brk_start)
		return "[heap]";
	if (v->start < as->lay.stack_top && as->lay.stack_top <= v->end)
		return "[stack]";
	return NULL;
}

/*
 * ABI: seq_file_path(m, file, "\n") in show_map_vma: the path as the
 * reader sees it, " (deleted)" once unlinked, a newline in it as \012.
 */
static void escape_newlines(char *name, size_t size)
{
	size_t len = strlen(name);

	for (size_t i = 0; i < len; i++) {
		if (name[i] != '\n')
			continue;
		if (len + 3 >= size) {
			name[i] = '?';
			continue;
		}
		memmove(name + i + 4, name + i + 1, len - i);
		memcpy(name + i, "\\012", 4);
		len += 3;
		i += 3;
	}
}

/* The maps fields of file mapping v: offset, device, inode and path; vfs->lock held. */
static void describe_map_file(const struct path *root, const struct vma *v, struct file *f,
			      char *name, struct procfs_map *m)
{
	size_t len;

	m->offset = v->pgoff << PAGE_SHIFT;
	m->dev_major = dev_major(f->inode->sb->dev);
	m->dev_minor = dev_minor(f->inode->sb->dev);
	m->ino = f->inode->ino;
	if (!root || name_of(root, &f->path, name, PATH_MAX, &len) != 0)
		return;
	escape_newlines(name, PATH_MAX);
	m->name = name;
}

/*
 * ABI: shmem_zero_setup: Linux backs shared anonymous memory with an
 * unlinked shmem file "/dev/zero" on its internal tmpfs, device 00:01.
 */
static void describe_map_shared_anon(const struct vma *v, uint64_t ino, struct procfs_map *m)
{
	m->offset = v->pgoff << PAGE_SHIFT;
	m->dev_minor = 1;
	m->ino = ino;
	m->name = "/dev/zero (deleted)";
}

/*
 * Lock order: as->lock, then vfs->lock (which keeps the reader's root and
 * the mapped files' paths alive), then proc_lock for reading the root.
 */
static void show_maps(struct aspace *as, struct procfs_buf *b)
{
	char *name = kmalloc(PATH_MAX);
	struct path root;
	bool has_root;

	if (!name) {
		b->err = -ENOMEM;
		return;
	}
	mutex_lock(&as->lock);
	vfs_lock(root_vfs);
	spin_lock(&proc_lock);
	has_root = reader_root_locked(&root);
	spin_unlock(&proc_lock);
	for (struct vma *v = vma_first(&as->vmas); v; v = vma_next(&as->vmas, v)) {
		struct file *f = aspace_vma_file(v);
		struct procfs_map m = {
			.start = v->start,
			.end = v->end,
			.prot = v->prot,
			.is_shared = v->flags & VMA_SHARED,
		};
		uint64_t shm_ino = aspace_vma_shared_anon_ino(v);
		if (f)
			describe_map_file(has_root ? &root : NULL, v, f, name, &m);
		else if (shm_ino)
			describe_map_shared_anon(v, shm_ino, &m);
		else
			m.name = map_name(as, v);
		procfs_format_map(b, &m);
	}
	vfs_unlock(root_vfs);
	mutex_unlock(&as->lock);
	kfree(name);
}

static int show_fdinfo(int pid, int tid, int fd, struct procfs_buf *b)
{
	struct table_ref r;
	int err = table_get(pid, tid, false, &r);

	if (err)
		return err;
	mutex_lock(&r.table->lock);
	struct fd_slot *slot =
		fd >= 0 && (uint32_t)fd < r.table->nr_slots ? &r.table->slots[fd] : NULL;
	if (slot && slot->file) {
		struct file *f = slot->file;
		uint32_t acc = (f->mode & FMODE_READ) && (f->mode & FMODE_WRITE) ? O_RDWR
			       : (f->mode & FMODE_WRITE)			 ? O_WRONLY
										 : O_RDONLY;
		/* ABI: as f_flags on Linux: open-time-only bits gone, O_LARGEFILE on 64-bit. */
		uint32_t gone = O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC;
		uint32_t flags =
			acc | (f->flags & ~gone) | O_LARGEFILE | (slot->is_cloexec ? O_CLOEXEC : 0);
		procfs_printf(b, "pos:\t%ld\nflags:\t0%o\nmnt_id:\t%lu\nino:\t%lu\n",
			      READ_ONCE(f->pos), flags, f->path.mnt->id, f->inode->ino);
	} else {
		err = -ENOENT;
	}
	mutex_unlock(&r.table->lock);
	table_put(&r);
	return err;
}

static int show_mounts(int pid, int tid, struct procfs_buf *b)
{
	struct task *t;
	struct path root;
	bool found = false;

	vfs_lock(root_vfs); /* keeps the root alive: putting it needs this lock */
	spin_lock(&proc_lock);
	if (find_locked(pid, tid, &t) && t && t->fs) {
		root = t->fs->root;
		found = true;
	}
	spin_unlock(&proc_lock);
	if (found)
		procfs_show_mounts_locked(&root, b);
	vfs_unlock(root_vfs);
	return found ? 0 : -ENOENT;
}

int procfs_proc_show(enum procfs_file what, int pid, int tid, int fd, struct procfs_buf *b)
{
	struct proc_snapshot s;
	int err = 0;

	drain_deferred();
	if (what == PROCFS_PID_FDINFO)
		return show_fdinfo(pid, tid, fd, b);
	if (what == PROCFS_PID_MOUNTS)
		return show_mounts(pid, tid, b);
	err = snapshot(pid, tid, &s);
	if (err)
		return err;
	switch (what) {
	case PROCFS_PID_STAT:
		show_stat(&s, b);
		break;
	case PROCFS_PID_STATUS:
		show_status(&s, b);
		break;
	case PROCFS_PID_STATM:
		show_statm(&s, b);
		break;
	case PROCFS_PID_COMM:
		procfs_printf(b, "%s\n", s.comm);
		break;
	case PROCFS_PID_CMDLINE:
	case PROCFS_PID_ENVIRON:
		if (s.as)
			err = show_strings(&s, what == PROCFS_PID_ENVIRON, b);
		break;
	case PROCFS_PID_MAPS:
		if (s.as)
			show_maps(s.as, b);
		break;
	default:
		err = -EINVAL;
		break;
	}
	snapshot_put(&s);
	return err;
}

/* ABI: as Linux's comm_write, the bytes as written (a newline included), and only
 * for the writer's own thread group. */
int procfs_proc_store_comm(int pid, int tid, const char *data, size_t len)
{
	struct task *t;
	int err = -ENOENT;

	spin_lock(&proc_lock);
	struct proc *p = find_locked(pid, tid, &t);
	if (p && p != current_proc()) {
		err = -EINVAL;
	} else if (p) {
		size_t n = MIN(len, sizeof(p->comm) - 1);
		memset(p->comm, 0, sizeof(p->comm));
		memcpy(p->comm, data, n);
		err = 0;
	}
	spin_unlock(&proc_lock);
	return err;
}
