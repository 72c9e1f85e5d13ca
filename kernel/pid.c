// SPDX-License-Identifier: MIT
/*
 * Task and process ids. Linux hands them out in increasing order and
 * wraps at pid_max, skipping ids still in use; one table slot per id
 * records which thread and which process use it, so lookups are O(1).
 * A process keeps its pid (its leader's tid) until it is reaped.
 */
#include <tern/base.h>
#include <tern/errno.h>
#include <tern/proc.h>
#include <tern/sched.h>

struct pid_slot {
	struct task *task; /* L: the live thread with this tid */
	struct proc *proc; /* L: the process (live or zombie) with this pid */
	bool used;	   /* L */
};

struct spinlock proc_lock;
static struct pid_slot pid_table[PID_MAX]; /* L */
static int next_pid = 1;		   /* L: pid 1 is the first process, init */
static int nr_pids;			   /* L */

int pid_alloc(void)
{
	spin_lock(&proc_lock);
	int id = pid_alloc_locked();
	spin_unlock(&proc_lock);
	return id;
}

int pid_alloc_locked(void)
{
	if (nr_pids >= PID_MAX - 1)
		return -EAGAIN;
	while (pid_table[next_pid].used)
		next_pid = next_pid + 1 < PID_MAX ? next_pid + 1 : 2;
	int id = next_pid;
	next_pid = next_pid + 1 < PID_MAX ? next_pid + 1 : 2;
	pid_table[id].used = true;
	nr_pids++;
	return id;
}

void pid_free_locked(int id)
{
	assert(id > 0 && id < PID_MAX && pid_table[id].used);
	pid_table[id] = (struct pid_slot){0};
	nr_pids--;
}

void pid_free(int id)
{
	spin_lock(&proc_lock);
	pid_free_locked(id);
	spin_unlock(&proc_lock);
}

void pid_set_task_locked(int id, struct task *t)
{
	pid_table[id].task = t;
}

void pid_set_proc_locked(int id, struct proc *p)
{
	pid_table[id].proc = p;
}

struct task *proc_find_task_locked(int tid)
{
	return tid > 0 && tid < PID_MAX ? pid_table[tid].task : NULL;
}

struct proc *proc_find_locked(int pid)
{
	return pid > 0 && pid < PID_MAX ? pid_table[pid].proc : NULL;
}
