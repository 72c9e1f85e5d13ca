// SPDX-License-Identifier: MIT
/*
 * Process groups and sessions as a whole: membership, orphaned groups
 * (POSIX: no member has a parent in another group of the same
 * session), the hangup an exit sends to a group it orphans while some
 * member is stopped, and signals to a whole group from the kernel
 * (terminal keys, hangup). All with proc_lock held.
 */
#include <tern/proc.h>
#include <tern/signal.h>

#include "internal.h"

static bool is_member(const struct proc *q, int pgid)
{
	return q->state != PROC_DEAD && q->pgid == pgid;
}

bool proc_pgrp_exists_locked(int pgid, int sid)
{
	struct list_head *pos;

	assert_held(&proc_lock);
	list_for_each(pos, proc_all_locked()) {
		struct proc *q = list_entry(pos, struct proc, all_link);
		if (is_member(q, pgid) && (sid <= 0 || q->sid == sid))
			return true;
	}
	return false;
}

int proc_pgrp_session_locked(int pgid)
{
	struct list_head *pos;

	assert_held(&proc_lock);
	list_for_each(pos, proc_all_locked()) {
		struct proc *q = list_entry(pos, struct proc, all_link);
		if (is_member(q, pgid))
			return q->sid;
	}
	return -ESRCH;
}

/*
 * Linux's will_become_orphaned_pgrp: true when no live member of pgid but
 * ignored (which is exiting) has a parent in another group of the same
 * session. ABI: a parent that is init does not count as a link.
 */
static bool will_be_orphaned_locked(int pgid, const struct proc *ignored)
{
	struct list_head *pos;

	list_for_each(pos, proc_all_locked()) {
		struct proc *q = list_entry(pos, struct proc, all_link);
		if (q == ignored || !is_member(q, pgid) || q->state != PROC_LIVE)
			continue;
		struct proc *parent = q->parent;
		if (!parent || parent->pid == 1)
			continue;
		if (parent->pgid != pgid && parent->sid == q->sid)
			return false;
	}
	return true;
}

bool proc_pgrp_is_orphaned_locked(int pgid)
{
	assert_held(&proc_lock);
	return will_be_orphaned_locked(pgid, NULL);
}

/* Has pgid a member stopped by job control? */
static bool has_stopped_locked(int pgid)
{
	struct list_head *pos;

	list_for_each(pos, proc_all_locked()) {
		struct proc *q = list_entry(pos, struct proc, all_link);
		if (is_member(q, pgid) && q->state == PROC_LIVE && q->stopped)
			return true;
	}
	return false;
}

void proc_pgrp_orphan_check_locked(struct proc *p, struct proc *old_parent)
{
	const struct proc *ignored = old_parent ? NULL : p;
	struct proc *parent = old_parent ? old_parent : p->parent;

	assert_held(&proc_lock);
	if (!parent || parent->pgid == p->pgid || parent->sid != p->sid)
		return;
	if (!will_be_orphaned_locked(p->pgid, ignored) || !has_stopped_locked(p->pgid))
		return;
	proc_signal_pgrp_locked(p->pgid, SIGHUP);
	proc_signal_pgrp_locked(p->pgid, SIGCONT);
}

void proc_forget_tty_locked(const struct tty *tty)
{
	struct list_head *pos;

	assert_held(&proc_lock);
	list_for_each(pos, proc_all_locked()) {
		struct proc *q = list_entry(pos, struct proc, all_link);
		if (q->tty == tty)
			q->tty = NULL;
	}
}

void proc_signal_pgrp_locked(int pgid, int sig)
{
	struct sigqueue_entry info = {.signo = sig, .code = SI_KERNEL};
	struct list_head *pos;

	assert_held(&proc_lock);
	if (pgid <= 0)
		return;
	list_for_each(pos, proc_all_locked()) {
		struct proc *q = list_entry(pos, struct proc, all_link);
		if (is_member(q, pgid) && q->state == PROC_LIVE)
			signal_send_locked(q, NULL, &info);
	}
}
