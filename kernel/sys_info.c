// SPDX-License-Identifier: MIT
/*
 * System information and per-process settings: uname and the host and
 * domain names, sysinfo, getrandom, resource limits, prctl, and the
 * scheduler queries of a one-CPU round-robin kernel.
 *
 * Locks: U = uts_lock (spinlock), guarding the names; L = proc_lock.
 */
#include <linux/prctl.h>
#include <linux/random.h>
#include <linux/resource.h>
#include <linux/sched.h>
#include <linux/sysinfo.h>
#include <linux/utsname.h>
#include <tern/base.h>
#include <tern/errno.h>
#include <tern/iovec.h>
#include <tern/kernel.h>
#include <tern/proc.h>
#include <tern/sched.h>
#include <tern/signal.h>
#include <tern/string.h>
#include <tern/sys.h>

#include "internal.h"

#define UTS_SYSNAME "Linux"
#define UTS_RELEASE "6.1.0-tern" /* libcs compare this with their minimum kernel */
#define UTS_VERSION "#1 SMP Tern 0.1.0"
#define UTS_MACHINE "x86_64"
#define NSEC_PER_SEC 1000000000ULL
#define NR_OPEN_MAX (1024 * 1024) /* Linux's default fs.nr_open */
#define CPUMASK_BYTES 8		  /* one unsigned long: CPU 0 is the only one */
#define RANDOM_CHUNK_BYTES 256
#define RANDOM_SIGNAL_CHECK_BYTES 4096

static struct spinlock uts_lock;
static char uts_nodename[__NEW_UTS_LEN + 1] = "(none)";	  /* U */
static char uts_domainname[__NEW_UTS_LEN + 1] = "(none)"; /* U */

static bool has_cap(int cap)
{
	return proc_cred_has_cap(current_cred(), cap);
}

void uts_read(struct new_utsname *u)
{
	memset(u, 0, sizeof(*u));
	strlcpy(u->sysname, UTS_SYSNAME, sizeof(u->sysname));
	strlcpy(u->release, UTS_RELEASE, sizeof(u->release));
	strlcpy(u->version, UTS_VERSION, sizeof(u->version));
	strlcpy(u->machine, UTS_MACHINE, sizeof(u->machine));
	spin_lock(&uts_lock);
	memcpy(u->nodename, uts_nodename, sizeof(u->nodename));
	memcpy(u->domainname, uts_domainname, sizeof(u->domainname));
	spin_unlock(&uts_lock);
}

int uts_write(bool is_domainname, const char *name, size_t len)
{
	char *dst = is_domainname ? uts_domainname : uts_nodename;

	if (len > __NEW_UTS_LEN)
		return -EINVAL;
	spin_lock(&uts_lock);
	memset(dst, 0, __NEW_UTS_LEN + 1);
	memcpy(dst, name, len);
	spin_unlock(&uts_lock);
	return 0;
}

/* uname(2) */
long sys_uname(const unsigned long args[6])
{
	struct new_utsname u;

	uts_read(&u);
	if (copy_to_user((void *)args[0], &u, sizeof(u)) != 0)
		return -EFAULT;
	return 0;
}

/* The core of sethostname and setdomainname: name need not be NUL-terminated. */
static long uts_set_name(char *dst, const void *uname, long len)
{
	char buf[__NEW_UTS_LEN + 1];

	if (!has_cap(CAP_SYS_ADMIN))
		return -EPERM; /* CAP_SYS_ADMIN */
	if (len < 0 || len > __NEW_UTS_LEN)
		return -EINVAL;
	if (copy_from_user(buf, uname, (size_t)len) != 0)
		return -EFAULT;
	return uts_write(dst == uts_domainname, buf, (size_t)len);
}

/* sethostname(2) */
long sys_sethostname(const unsigned long args[6])
{
	return uts_set_name(uts_nodename, (const void *)args[0], (long)(int)args[1]);
}

/* setdomainname(2) */
long sys_setdomainname(const unsigned long args[6])
{
	return uts_set_name(uts_domainname, (const void *)args[0], (long)(int)args[1]);
}

/* sysinfo(2): no swap, load averages or shared/buffer memory; procs counts threads. */
long sys_sysinfo(const unsigned long args[6])
{
	struct sysinfo si;
	uint64_t up_ns = clock_monotonic_ns();
	unsigned long nr = 0;
	struct list_head *pos;

	memset(&si, 0, sizeof(si));
	si.uptime = (long)(up_ns / NSEC_PER_SEC + (up_ns % NSEC_PER_SEC ? 1 : 0));
	si.totalram = mm_total_bytes();
	si.freeram = mm_free_bytes();
	si.mem_unit = 1;
	spin_lock(&proc_lock);
	list_for_each(pos, proc_all_locked()) {
		struct proc *p = list_entry(pos, struct proc, all_link);
		if (p->state == PROC_LIVE)
			nr += (unsigned long)p->nr_threads;
	}
	spin_unlock(&proc_lock);
	si.procs = (__u16)MIN(nr, 0xffffUL);
	if (copy_to_user((void *)args[0], &si, sizeof(si)) != 0)
		return -EFAULT;
	return 0;
}

/* getrandom(2): never blocks (the generator is seeded at boot). */
long sys_getrandom(const unsigned long args[6])
{
	uint8_t *ubuf = (uint8_t *)args[0];
	size_t len = MIN(args[1], (unsigned long)MAX_RW_COUNT);
	unsigned int flags = (unsigned int)args[2];
	uint8_t chunk[RANDOM_CHUNK_BYTES];
	size_t done = 0;

	if (flags & ~(unsigned int)(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	if ((flags & (GRND_INSECURE | GRND_RANDOM)) == (GRND_INSECURE | GRND_RANDOM))
		return -EINVAL;
	while (done < len) {
		if (done && done % RANDOM_SIGNAL_CHECK_BYTES == 0 && signal_pending_current())
			break;
		size_t n = MIN(len - done, sizeof(chunk));
		random_bytes(chunk, n);
		if (copy_to_user(ubuf + done, chunk, n) != 0) {
			memset(chunk, 0, sizeof(chunk));
			return done ? (long)done : -EFAULT;
		}
		done += n;
	}
	memset(chunk, 0, sizeof(chunk));
	return (long)done;
}

/* Looks up the process for a limit call and checks the caller may touch it; L held. */
static int rlimit_target_locked(int pid, struct proc **out)
{
	struct proc *self = current_proc();
	struct proc *p = pid ? proc_find_locked(pid) : self;

	assert_held(&proc_lock);
	if (!p || p->state != PROC_LIVE)
		return -ESRCH;
	if (p != self && !has_cap(CAP_SYS_RESOURCE)) {
		const struct cred *c = &self->cred, *t = &p->cred;
		if (c->uid != t->uid || c->uid != t->euid || c->uid != t->suid ||
		    c->gid != t->gid || c->gid != t->egid || c->gid != t->sgid)
			return -EPERM;
	}
	*out = p;
	return 0;
}

/*
 * The core of prlimit64, getrlimit and setrlimit: reads the old limit
 * into *old and installs *new (either may be NULL). Raising the hard
 * limit needs privilege. ABI: limits other than RLIMIT_STACK are
 * recorded but not enforced yet.
 */
static int rlimit_do(int pid, unsigned int resource, const struct rlimit64 *new,
		     struct rlimit64 *old)
{
	struct proc *p;
	int ret;

	if (resource >= RLIM_NLIMITS)
		return -EINVAL;
	if (new) {
		if (new->rlim_cur > new->rlim_max)
			return -EINVAL;
		if (resource == RLIMIT_NOFILE && new->rlim_max > NR_OPEN_MAX)
			return -EPERM;
	}
	spin_lock(&proc_lock);
	ret = rlimit_target_locked(pid, &p);
	if (ret)
		goto out;
	struct rlimit *r = &p->rlim[resource];
	if (new &&new->rlim_max > r->rlim_max && !has_cap(CAP_SYS_RESOURCE)) {
		ret = -EPERM;
		goto out;
	}
	if (old) {
		old->rlim_cur = r->rlim_cur;
		old->rlim_max = r->rlim_max;
	}
	if (new) {
		r->rlim_cur = new->rlim_cur;
		r->rlim_max = new->rlim_max;
	}
out:
	spin_unlock(&proc_lock);
	return ret;
}

/* prlimit64(2) */
long sys_prlimit64(const unsigned long args[6])
{
	struct rlimit64 new, old;
	int ret;

	if (args[2] && copy_from_user(&new, (const void *)args[2], sizeof(new)) != 0)
		return -EFAULT;
	ret = rlimit_do((int)args[0], (unsigned int)args[1], args[2] ? &new : NULL,
			args[3] ? &old : NULL);
	if (ret)
		return ret;
	if (args[3] && copy_to_user((void *)args[3], &old, sizeof(old)) != 0)
		return -EFAULT;
	return 0;
}

/* getrlimit(2) */
long sys_getrlimit(const unsigned long args[6])
{
	struct rlimit64 old;
	int ret = rlimit_do(0, (unsigned int)args[0], NULL, &old);

	if (ret)
		return ret;
	struct rlimit r = {.rlim_cur = old.rlim_cur, .rlim_max = old.rlim_max};
	if (copy_to_user((void *)args[1], &r, sizeof(r)) != 0)
		return -EFAULT;
	return 0;
}

/* setrlimit(2) */
long sys_setrlimit(const unsigned long args[6])
{
	struct rlimit r;

	if (copy_from_user(&r, (const void *)args[1], sizeof(r)) != 0)
		return -EFAULT;
	struct rlimit64 new = {.rlim_cur = r.rlim_cur, .rlim_max = r.rlim_max};
	return rlimit_do(0, (unsigned int)args[0], &new, NULL);
}

/* The PR_GET_* options that store an int at args[1]. */
static long prctl_put_int(unsigned long uaddr, int value)
{
	return copy_to_user((void *)uaddr, &value, sizeof(value)) != 0 ? -EFAULT : 0;
}

/* Sets a process flag that prctl controls (L). */
static long prctl_set_flag(bool *flag, bool value)
{
	spin_lock(&proc_lock);
	*flag = value;
	spin_unlock(&proc_lock);
	return 0;
}

/*
 * prctl(2): names, the parent-death signal, dumpability, child subreapers,
 * keepcaps and no_new_privs; other options are EINVAL.
 */
long sys_prctl(const unsigned long args[6])
{
	struct task *t = current_task();
	struct proc *p = current_proc();
	char name[16];

	switch ((int)args[0]) {
	case PR_SET_NAME: {
		/* At most 15 bytes are read, as in Linux; a longer name is cut. */
		long n = strncpy_from_user(name, (const void *)args[1], sizeof(name) - 1);
		if (n < 0 && n != -ENAMETOOLONG)
			return -EFAULT;
		name[sizeof(name) - 1] = '\0';
		spin_lock(&proc_lock);
		strlcpy(t->name, name, sizeof(t->name));
		if (t->id == p->pid) /* the leader's name is the process's */
			strlcpy(p->comm, name, sizeof(p->comm));
		spin_unlock(&proc_lock);
		return 0;
	}
	case PR_GET_NAME:
		memset(name, 0, sizeof(name));
		spin_lock(&proc_lock);
		strlcpy(name, t->name, sizeof(name));
		spin_unlock(&proc_lock);
		if (copy_to_user((void *)args[1], name, sizeof(name)) != 0)
			return -EFAULT;
		return 0;
	case PR_SET_PDEATHSIG:
		if (args[1] > NSIG_TERN)
			return -EINVAL;
		spin_lock(&proc_lock);
		p->pdeath_signal = (int)args[1];
		spin_unlock(&proc_lock);
		return 0;
	case PR_GET_PDEATHSIG:
		return prctl_put_int(args[1], READ_ONCE(p->pdeath_signal));
	case PR_SET_CHILD_SUBREAPER:
		return prctl_set_flag(&p->child_subreaper, args[1] != 0);
	case PR_GET_CHILD_SUBREAPER:
		return prctl_put_int(args[1], READ_ONCE(p->child_subreaper));
	case PR_GET_DUMPABLE:
		return READ_ONCE(p->dumpable);
	case PR_SET_DUMPABLE:
		/* ABI: kept and reported; there are no core dumps or ptrace for it to govern. */
		if (args[1] > 1)
			return -EINVAL;
		return prctl_set_flag(&p->dumpable, args[1]);
	case PR_GET_KEEPCAPS:
		return READ_ONCE(p->cred.keep_caps);
	case PR_SET_KEEPCAPS:
		if (args[1] > 1)
			return -EINVAL;
		return prctl_set_flag(&p->cred.keep_caps, args[1]);
	case PR_SET_NO_NEW_PRIVS:
		/* ABI: kept for good; without set-user-ID programs it has nothing to stop. */
		if (args[1] != 1 || args[2] || args[3] || args[4])
			return -EINVAL;
		return prctl_set_flag(&p->no_new_privs, true);
	case PR_GET_NO_NEW_PRIVS:
		if (args[1] || args[2] || args[3] || args[4])
			return -EINVAL;
		return READ_ONCE(p->no_new_privs);
	default:
		return -EINVAL;
	}
}

/* personality(2): recorded and reported; Tern honours none of the flags. */
long sys_personality(const unsigned long args[6])
{
	struct proc *p = current_proc();
	unsigned int persona = (unsigned int)args[0];

	spin_lock(&proc_lock);
	long old = p->personality;
	if (persona != 0xffffffff)
		p->personality = persona;
	spin_unlock(&proc_lock);
	return old;
}

/* sched_yield(2) */
long sys_sched_yield(const unsigned long args[6])
{
	(void)args;
	sched_yield_cpu();
	return 0;
}

/* Does thread id (0 = the caller) exist? */
static bool sched_has_task(int id)
{
	bool found;

	if (id == 0)
		return true;
	spin_lock(&proc_lock);
	found = proc_find_task_locked(id) != NULL;
	spin_unlock(&proc_lock);
	return found;
}

/* sched_getaffinity(2): returns the bytes written, one unsigned long. */
long sys_sched_getaffinity(const unsigned long args[6])
{
	size_t len = args[1];
	unsigned long mask = 1;

	if (len == 0 || len % sizeof(unsigned long))
		return -EINVAL;
	if (!sched_has_task((int)args[0]))
		return -ESRCH;
	if (copy_to_user((void *)args[2], &mask, CPUMASK_BYTES) != 0)
		return -EFAULT;
	return CPUMASK_BYTES;
}

/* sched_setaffinity(2): any mask including CPU 0 is accepted. */
long sys_sched_setaffinity(const unsigned long args[6])
{
	unsigned long mask = 0;
	size_t len = MIN(args[1], (unsigned long)CPUMASK_BYTES);

	if (copy_from_user(&mask, (const void *)args[2], len) != 0)
		return -EFAULT;
	if (!sched_has_task((int)args[0]))
		return -ESRCH;
	if (!(mask & 1))
		return -EINVAL;
	return 0;
}

/* getcpu(2) */
long sys_getcpu(const unsigned long args[6])
{
	unsigned int zero = 0;

	if (args[0] && copy_to_user((void *)args[0], &zero, sizeof(zero)) != 0)
		return -EFAULT;
	if (args[1] && copy_to_user((void *)args[1], &zero, sizeof(zero)) != 0)
		return -EFAULT;
	return 0;
}
