// SPDX-License-Identifier: MIT
/*
 * Credential syscalls (user and group ids, supplementary groups, umask)
 * and process groups and sessions. There are no capabilities: an
 * effective uid of 0 holds them all. -1 as an id argument means "leave
 * unchanged" where Linux says so.
 *
 * ABI: credentials belong to the process, not to each thread, so the
 * per-thread setuid of the raw syscall acts on every thread (what
 * glibc's and musl's setxid broadcast achieve anyway).
 */
#include <tern/base.h>
#include <tern/errno.h>
#include <tern/proc.h>
#include <tern/string.h>
#include <tern/sys.h>

#include "internal.h"

#define ID_UNCHANGED ((uint32_t)-1)

static bool cred_is_privileged(const struct cred *c)
{
	return c->euid == 0;
}

/* An unprivileged caller may only switch an id to its real, effective or saved value. */
static bool cred_is_own_id(uint32_t id, uint32_t r, uint32_t e, uint32_t s)
{
	return id == r || id == e || id == s;
}

/* getuid(2) */
long sys_getuid(const unsigned long args[6])
{
	(void)args;
	return current_cred()->uid;
}

/* geteuid(2) */
long sys_geteuid(const unsigned long args[6])
{
	(void)args;
	return current_cred()->euid;
}

/* getgid(2) */
long sys_getgid(const unsigned long args[6])
{
	(void)args;
	return current_cred()->gid;
}

/* getegid(2) */
long sys_getegid(const unsigned long args[6])
{
	(void)args;
	return current_cred()->egid;
}

static long put_three_ids(const unsigned long args[6], uint32_t a, uint32_t b, uint32_t c)
{
	if (copy_to_user((void *)args[0], &a, sizeof(a)) != 0 ||
	    copy_to_user((void *)args[1], &b, sizeof(b)) != 0 ||
	    copy_to_user((void *)args[2], &c, sizeof(c)) != 0)
		return -EFAULT;
	return 0;
}

/* getresuid(2) */
long sys_getresuid(const unsigned long args[6])
{
	struct cred c;

	spin_lock(&proc_lock);
	c = *current_cred();
	spin_unlock(&proc_lock);
	return put_three_ids(args, c.uid, c.euid, c.suid);
}

/* getresgid(2) */
long sys_getresgid(const unsigned long args[6])
{
	struct cred c;

	spin_lock(&proc_lock);
	c = *current_cred();
	spin_unlock(&proc_lock);
	return put_three_ids(args, c.gid, c.egid, c.sgid);
}

/*
 * The id-setting cores take pointers to one triple (real, effective,
 * saved) plus the fs id, so the uid and gid calls share them; L held.
 */
struct id_set {
	uint32_t *r, *e, *s, *fs;
};

static struct id_set cred_uids(struct cred *c)
{
	return (struct id_set){&c->uid, &c->euid, &c->suid, &c->fsuid};
}

static struct id_set cred_gids(struct cred *c)
{
	return (struct id_set){&c->gid, &c->egid, &c->sgid, &c->fsgid};
}

/* setuid(2)/setgid(2): privileged sets all three, otherwise only the effective id. */
static long cred_set_one(bool is_uid, uint32_t id)
{
	long ret = 0;

	if (id == ID_UNCHANGED)
		return -EINVAL;
	spin_lock(&proc_lock);
	struct cred *c = current_cred();
	bool priv = cred_is_privileged(c);
	struct id_set ids = is_uid ? cred_uids(c) : cred_gids(c);
	if (priv) {
		*ids.r = *ids.e = *ids.s = *ids.fs = id;
	} else if (id == *ids.r || id == *ids.s) {
		*ids.e = *ids.fs = id;
	} else {
		ret = -EPERM;
	}
	spin_unlock(&proc_lock);
	return ret;
}

/* setreuid(2)/setregid(2) */
static long cred_set_re(bool is_uid, uint32_t r, uint32_t e)
{
	long ret = 0;

	spin_lock(&proc_lock);
	struct cred *c = current_cred();
	bool priv = cred_is_privileged(c);
	struct id_set ids = is_uid ? cred_uids(c) : cred_gids(c);
	if (!priv && r != ID_UNCHANGED && r != *ids.r && r != *ids.e) {
		ret = -EPERM;
		goto out;
	}
	if (!priv && e != ID_UNCHANGED && !cred_is_own_id(e, *ids.r, *ids.e, *ids.s)) {
		ret = -EPERM;
		goto out;
	}
	uint32_t old_r = *ids.r;
	if (r != ID_UNCHANGED)
		*ids.r = r;
	if (e != ID_UNCHANGED)
		*ids.e = e;
	/* The saved id follows a new effective one when the real id changes or differs. */
	if (r != ID_UNCHANGED || (e != ID_UNCHANGED && e != old_r))
		*ids.s = *ids.e;
	*ids.fs = *ids.e;
out:
	spin_unlock(&proc_lock);
	return ret;
}

/* setresuid(2)/setresgid(2) */
static long cred_set_res(bool is_uid, uint32_t r, uint32_t e, uint32_t s)
{
	long ret = 0;

	spin_lock(&proc_lock);
	struct cred *c = current_cred();
	bool priv = cred_is_privileged(c);
	struct id_set ids = is_uid ? cred_uids(c) : cred_gids(c);
	uint32_t want[3] = {r, e, s};
	for (int i = 0; i < 3 && !priv; i++) {
		if (want[i] != ID_UNCHANGED && !cred_is_own_id(want[i], *ids.r, *ids.e, *ids.s)) {
			ret = -EPERM;
			goto out;
		}
	}
	if (r != ID_UNCHANGED)
		*ids.r = r;
	if (e != ID_UNCHANGED)
		*ids.e = e;
	if (s != ID_UNCHANGED)
		*ids.s = s;
	*ids.fs = *ids.e;
out:
	spin_unlock(&proc_lock);
	return ret;
}

/* setfsuid(2)/setfsgid(2): always returns the old fs id. */
static long cred_set_fs(bool is_uid, uint32_t id)
{
	spin_lock(&proc_lock);
	struct cred *c = current_cred();
	bool priv = cred_is_privileged(c);
	struct id_set ids = is_uid ? cred_uids(c) : cred_gids(c);
	uint32_t old = *ids.fs;
	if (id != ID_UNCHANGED &&
	    (priv || id == *ids.fs || cred_is_own_id(id, *ids.r, *ids.e, *ids.s)))
		*ids.fs = id;
	spin_unlock(&proc_lock);
	return old;
}

/* setuid(2) */
long sys_setuid(const unsigned long args[6])
{
	return cred_set_one(true, (uint32_t)args[0]);
}

/* setgid(2) */
long sys_setgid(const unsigned long args[6])
{
	return cred_set_one(false, (uint32_t)args[0]);
}

/* setreuid(2) */
long sys_setreuid(const unsigned long args[6])
{
	return cred_set_re(true, (uint32_t)args[0], (uint32_t)args[1]);
}

/* setregid(2) */
long sys_setregid(const unsigned long args[6])
{
	return cred_set_re(false, (uint32_t)args[0], (uint32_t)args[1]);
}

/* setresuid(2) */
long sys_setresuid(const unsigned long args[6])
{
	return cred_set_res(true, (uint32_t)args[0], (uint32_t)args[1], (uint32_t)args[2]);
}

/* setresgid(2) */
long sys_setresgid(const unsigned long args[6])
{
	return cred_set_res(false, (uint32_t)args[0], (uint32_t)args[1], (uint32_t)args[2]);
}

/* setfsuid(2) */
long sys_setfsuid(const unsigned long args[6])
{
	return cred_set_fs(true, (uint32_t)args[0]);
}

/* setfsgid(2) */
long sys_setfsgid(const unsigned long args[6])
{
	return cred_set_fs(false, (uint32_t)args[0]);
}

/* getgroups(2): size 0 asks for the count. */
long sys_getgroups(const unsigned long args[6])
{
	int size = (int)args[0];
	uint32_t groups[NGROUPS_MAX_TERN];
	uint32_t n;

	if (size < 0)
		return -EINVAL;
	spin_lock(&proc_lock);
	n = current_cred()->ngroups;
	memcpy(groups, current_cred()->groups, n * sizeof(groups[0]));
	spin_unlock(&proc_lock);
	if (size == 0)
		return n;
	if ((uint32_t)size < n)
		return -EINVAL;
	if (copy_to_user((void *)args[1], groups, n * sizeof(groups[0])) != 0)
		return -EFAULT;
	return n;
}

/* setgroups(2): kept sorted, as Linux does. ABI: at most 64 groups (Linux: 65536). */
long sys_setgroups(const unsigned long args[6])
{
	int size = (int)args[0];
	uint32_t groups[NGROUPS_MAX_TERN];

	if (!cred_is_privileged(current_cred()))
		return -EPERM;
	if (size < 0 || size > NGROUPS_MAX_TERN)
		return -EINVAL;
	if (copy_from_user(groups, (const void *)args[1], (size_t)size * sizeof(groups[0])) != 0)
		return -EFAULT;
	for (int i = 1; i < size; i++) {
		uint32_t g = groups[i];
		int j = i;
		for (; j > 0 && groups[j - 1] > g; j--)
			groups[j] = groups[j - 1];
		groups[j] = g;
	}
	spin_lock(&proc_lock);
	struct cred *c = current_cred();
	c->ngroups = (uint32_t)size;
	memcpy(c->groups, groups, (size_t)size * sizeof(groups[0]));
	spin_unlock(&proc_lock);
	return 0;
}

/* umask(2) */
long sys_umask(const unsigned long args[6])
{
	struct proc *p = current_proc();
	uint32_t old = p->umask;

	p->umask = (uint32_t)args[0] & 0777;
	return old;
}

/* The process owning thread or process id; NULL if none. L held. */
static struct proc *proc_of_id_locked(int id)
{
	struct proc *p = proc_find_locked(id);

	if (!p) {
		struct task *t = proc_find_task_locked(id);
		p = t ? t->proc : NULL;
	}
	return p;
}

/* setpgid(2) */
long sys_setpgid(const unsigned long args[6])
{
	struct proc *self = current_proc();
	int pid = (int)args[0] ? (int)args[0] : self->pid;
	int pgid = (int)args[1] ? (int)args[1] : pid;
	long ret = 0;

	if (pgid < 0)
		return -EINVAL;
	spin_lock(&proc_lock);
	struct proc *p = proc_find_locked(pid);
	if (!p) {
		ret = proc_find_task_locked(pid) ? -EINVAL : -ESRCH; /* a thread, not a leader */
		goto out;
	}
	if (p != self) {
		if (p->parent != self) {
			ret = -ESRCH;
			goto out;
		}
		if (p->sid != self->sid) {
			ret = -EPERM;
			goto out;
		}
		if (p->did_exec) {
			ret = -EACCES;
			goto out;
		}
	}
	if (p->sid == p->pid) { /* a session leader */
		ret = -EPERM;
		goto out;
	}
	if (pgid != pid && !proc_pgrp_exists_locked(pgid, self->sid)) {
		ret = -EPERM;
		goto out;
	}
	p->pgid = pgid;
out:
	spin_unlock(&proc_lock);
	return ret;
}

/* The process group (or session, with sid) of pid, 0 meaning the caller; -ESRCH. */
static long group_of(int pid, bool sid)
{
	long ret;

	spin_lock(&proc_lock);
	struct proc *p = pid ? proc_of_id_locked(pid) : current_proc();
	ret = !p ? -ESRCH : sid ? p->sid : p->pgid;
	spin_unlock(&proc_lock);
	return ret;
}

/* getpgid(2) */
long sys_getpgid(const unsigned long args[6])
{
	return group_of((int)args[0], false);
}

/* getpgrp(2) */
long sys_getpgrp(const unsigned long args[6])
{
	(void)args;
	return group_of(0, false);
}

/* getsid(2) */
long sys_getsid(const unsigned long args[6])
{
	return group_of((int)args[0], true);
}

/* setsid(2): EPERM if a process group already has the caller's pid as its id. */
long sys_setsid(const unsigned long args[6])
{
	struct proc *self = current_proc();
	long ret;

	(void)args;
	spin_lock(&proc_lock);
	if (proc_pgrp_exists_locked(self->pid, 0)) {
		ret = -EPERM;
	} else {
		self->sid = self->pgid = self->pid;
		self->tty = NULL; /* a new session has no controlling terminal */
		ret = self->pid;
	}
	spin_unlock(&proc_lock);
	return ret;
}
