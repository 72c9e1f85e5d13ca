// SPDX-License-Identifier: MIT
/*
 * Credential rules shared by the id-changing syscalls (sys_cred.c) and
 * exec: how the capability sets follow uid changes, which changes make a
 * process non-dumpable, and what a new program starts with. Tern has no
 * file capabilities or set-user-ID programs, so exec only applies the
 * rules for root (Linux's security/commoncap.c with no file caps).
 */
#include <linux/capability.h>
#include <tern/base.h>
#include <tern/proc.h>

#include "internal.h"

#define CAP_BIT(cap) (1ULL << (cap))
/* What Linux's CAP_FS_SET holds: the capabilities that follow the fsuid. */
#define CAP_FS_SET                                                                  \
	(CAP_BIT(CAP_CHOWN) | CAP_BIT(CAP_MKNOD) | CAP_BIT(CAP_DAC_OVERRIDE) |      \
	 CAP_BIT(CAP_DAC_READ_SEARCH) | CAP_BIT(CAP_FOWNER) | CAP_BIT(CAP_FSETID) | \
	 CAP_BIT(CAP_LINUX_IMMUTABLE) | CAP_BIT(CAP_MAC_OVERRIDE))

void cred_init_root(struct cred *c)
{
	c->cap_effective = CAP_FULL_SET;
	c->cap_permitted = CAP_FULL_SET;
	c->cap_inheritable = 0;
}

static bool has_root_id(const struct cred *c)
{
	return c->uid == 0 || c->euid == 0 || c->suid == 0;
}

/*
 * ABI: Linux's cap_emulate_setxuid: leaving uid 0 in all of the real,
 * effective and saved uids drops the permitted and effective sets
 * (unless keep_caps); leaving euid 0 drops the effective set and
 * regaining it restores it from the permitted set. An fsuid change moves
 * only the file-system capabilities.
 */
static void fix_caps(struct cred *c, const struct cred *old, enum cred_change kind)
{
	if (kind == CRED_FSUID) {
		if (old->fsuid == 0 && c->fsuid != 0)
			c->cap_effective &= ~CAP_FS_SET;
		if (old->fsuid != 0 && c->fsuid == 0)
			c->cap_effective |= c->cap_permitted & CAP_FS_SET;
		return;
	}
	if (has_root_id(old) && !has_root_id(c) && !c->keep_caps)
		c->cap_permitted = c->cap_effective = 0;
	if (old->euid == 0 && c->euid != 0)
		c->cap_effective = 0;
	if (old->euid != 0 && c->euid == 0)
		c->cap_effective = c->cap_permitted;
}

void cred_changed_locked(struct proc *p, const struct cred *old, enum cred_change kind)
{
	struct cred *c = &p->cred;

	assert_held(&proc_lock);
	if (kind != CRED_OTHER)
		fix_caps(c, old, kind);
	/* ABI: as Linux's commit_creds (with suid_dumpable 0). */
	if (c->euid != old->euid || c->egid != old->egid || c->fsuid != old->fsuid ||
	    c->fsgid != old->fsgid || (c->cap_permitted & ~old->cap_permitted)) {
		p->dumpable = false;
		p->pdeath_signal = 0;
	}
}

void cred_exec_locked(struct proc *p)
{
	struct cred *c = &p->cred;

	assert_held(&proc_lock);
	c->cap_permitted = (c->euid == 0 || c->uid == 0) ? CAP_FULL_SET : 0;
	c->cap_effective = c->euid == 0 ? c->cap_permitted : 0;
	c->keep_caps = false;
	p->dumpable = c->euid == c->uid && c->egid == c->gid;
}
