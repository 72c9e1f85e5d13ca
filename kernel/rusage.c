// SPDX-License-Identifier: MIT
/*
 * Resource usage accounting: the CPU time of threads and processes, their
 * minor faults and peak resident sets, summed as threads exit and as
 * parents reap children. The syscalls that report it (getrusage, times,
 * the CPU clocks, wait4's rusage) are in sys_time.c and sys_proc.c.
 */
#include <linux/resource.h>
#include <tern/arch.h>
#include <tern/aspace.h>
#include <tern/base.h>
#include <tern/errno.h>
#include <tern/proc.h>
#include <tern/string.h>

#include "internal.h"

#define NSEC_PER_SEC 1000000000ULL

uint64_t task_cputime_ns(const struct task *t, uint64_t now_ns)
{
	uint64_t ns = t->runtime_ns;

	if (t == current_task() && now_ns > t->slice_start_ns)
		ns += now_ns - t->slice_start_ns;
	return ns;
}

uint64_t proc_cputime_locked(const struct proc *p)
{
	uint64_t now = clock_monotonic_ns();
	uint64_t ns = p->exited.cpu_ns;
	struct list_head *pos;

	assert_held(&proc_lock);
	list_for_each(pos, &p->threads)
		ns += task_cputime_ns(list_entry(pos, struct task, thread_link), now);
	return ns;
}

uint64_t proc_cputime_ns(struct proc *p)
{
	spin_lock(&proc_lock);
	uint64_t ns = proc_cputime_locked(p);
	spin_unlock(&proc_lock);
	return ns;
}

uint64_t thread_cputime_ns(void)
{
	uint64_t flags = arch_irq_save();
	uint64_t ns = task_cputime_ns(current_task(), clock_monotonic_ns());

	arch_irq_restore(flags);
	return ns;
}

void usage_thread_exit_locked(struct proc *p, const struct task *t)
{
	assert_held(&proc_lock);
	p->exited.cpu_ns += task_cputime_ns(t, clock_monotonic_ns());
	p->exited.min_flt += t->min_flt;
}

void usage_leave_aspace(struct proc *p, struct aspace *as)
{
	uint64_t pages = aspace_rss_hiwater_pages(as);

	spin_lock(&proc_lock);
	p->exited.maxrss_pages = MAX(p->exited.maxrss_pages, pages);
	spin_unlock(&proc_lock);
}

void usage_of_zombie_locked(const struct proc *c, struct usage *out)
{
	assert_held(&proc_lock);
	out->cpu_ns = c->exited.cpu_ns + c->reaped.cpu_ns;
	out->min_flt = c->exited.min_flt + c->reaped.min_flt;
	out->maxrss_pages = MAX(c->exited.maxrss_pages, c->reaped.maxrss_pages);
}

void usage_reap_locked(struct proc *parent, const struct proc *c)
{
	struct usage u;

	usage_of_zombie_locked(c, &u);
	parent->reaped.cpu_ns += u.cpu_ns;
	parent->reaped.min_flt += u.min_flt;
	parent->reaped.maxrss_pages = MAX(parent->reaped.maxrss_pages, u.maxrss_pages);
}

void usage_to_rusage(const struct usage *u, struct rusage *ru)
{
	memset(ru, 0, sizeof(*ru));
	ru->ru_utime.tv_sec = (long)(u->cpu_ns / NSEC_PER_SEC);
	ru->ru_utime.tv_usec = (long)(u->cpu_ns % NSEC_PER_SEC / 1000);
	ru->ru_minflt = (long)u->min_flt;
	ru->ru_maxrss = (long)(u->maxrss_pages * (PAGE_SIZE / 1024));
}

int usage_get(int who, struct usage *u)
{
	struct proc *p = current_proc();
	struct task *self = current_task();
	uint64_t rss = aspace_rss_hiwater_pages(p->as);
	struct list_head *pos;

	memset(u, 0, sizeof(*u));
	spin_lock(&proc_lock);
	switch (who) {
	case RUSAGE_SELF:
		u->cpu_ns = proc_cputime_locked(p);
		u->min_flt = p->exited.min_flt;
		list_for_each(pos, &p->threads)
			u->min_flt += list_entry(pos, struct task, thread_link)->min_flt;
		u->maxrss_pages = MAX(p->exited.maxrss_pages, rss);
		break;
	case RUSAGE_CHILDREN:
		*u = p->reaped;
		break;
	case RUSAGE_THREAD:
		u->cpu_ns = task_cputime_ns(self, clock_monotonic_ns());
		u->min_flt = self->min_flt;
		u->maxrss_pages = MAX(p->exited.maxrss_pages, rss);
		break;
	default:
		spin_unlock(&proc_lock);
		return -EINVAL;
	}
	spin_unlock(&proc_lock);
	return 0;
}
