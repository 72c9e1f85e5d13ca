// SPDX-License-Identifier: MIT
/*
 * Text for generated /proc files: a growing buffer, and the line formats
 * of /proc/[pid]/stat and /proc/[pid]/maps exactly as Linux 6.1 prints
 * them (fs/proc/array.c do_task_stat, fs/proc/task_mmu.c
 * show_vma_header_prefix). Pure code: the kernel's show routines fill
 * the structs, host tests check the text.
 */
#include <asm-generic/mman-common.h>
#include <tern/errno.h>
#include <tern/string.h>

#include "internal.h"

#define BUF_MIN_CAP 256
#define MAPS_NAME_COLUMN 72 /* 25 + sizeof(void *) * 6 - 1 */

void procfs_buf_init(struct procfs_buf *b)
{
	*b = (struct procfs_buf){0};
}

void procfs_buf_fini(struct procfs_buf *b)
{
	kfree(b->data);
	*b = (struct procfs_buf){0};
}

static bool reserve(struct procfs_buf *b, size_t extra)
{
	size_t cap;
	char *data;

	if (b->err)
		return false;
	if (b->len + extra + 1 <= b->cap)
		return true;
	cap = MAX(b->cap * 2, (size_t)BUF_MIN_CAP);
	while (cap < b->len + extra + 1)
		cap *= 2;
	data = kmalloc(cap);
	if (!data) {
		b->err = -ENOMEM;
		return false;
	}
	if (b->len)
		memcpy(data, b->data, b->len);
	kfree(b->data);
	b->data = data;
	b->cap = cap;
	return true;
}

void procfs_write(struct procfs_buf *b, const void *data, size_t len)
{
	if (!reserve(b, len))
		return;
	memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
}

void procfs_puts(struct procfs_buf *b, const char *s)
{
	procfs_write(b, s, strlen(s));
}

void procfs_printf(struct procfs_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !reserve(b, (size_t)n))
		return;
	va_start(ap, fmt);
	kvsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void procfs_format_stat(struct procfs_buf *b, const struct procfs_stat *s)
{
	const uint64_t sig_mask = 0x7fffffffUL; /* ABI: only 31 bits, as Linux */

	procfs_printf(b,
		      "%d (%s) %c %d %d %d %d %d %u %lu %lu %lu %lu %lu %lu %ld %ld %ld %ld %ld 0",
		      s->pid, s->comm, s->state, s->ppid, s->pgrp, s->session, s->tty_nr, s->tpgid,
		      s->flags, s->minflt, s->cminflt, s->majflt, s->cmajflt, s->utime, s->stime,
		      s->cutime, s->cstime, s->priority, s->nice, s->num_threads);
	procfs_printf(b, " %lu %lu %lu %lu %lu %lu %lu 0 0", s->starttime, s->vsize, s->rss,
		      s->rsslim, s->startcode, s->endcode, s->startstack);
	procfs_printf(b, " %lu %lu %lu %lu 0 0 0 %d %d 0 0 0 0 0", s->signal & sig_mask,
		      s->blocked & sig_mask, s->sigignore & sig_mask, s->sigcatch & sig_mask,
		      s->exit_signal, s->processor);
	procfs_printf(b, " %lu %lu %lu %lu %lu %lu %lu %d\n", s->start_data, s->end_data,
		      s->start_brk, s->arg_start, s->arg_end, s->env_start, s->env_end,
		      s->exit_code);
}

void procfs_format_map(struct procfs_buf *b, const struct procfs_map *m)
{
	size_t start = b->len;

	procfs_printf(b, "%08lx-%08lx %c%c%c%c %08lx %02x:%02x %lu ", m->start, m->end,
		      (m->prot & PROT_READ) ? 'r' : '-', (m->prot & PROT_WRITE) ? 'w' : '-',
		      (m->prot & PROT_EXEC) ? 'x' : '-', m->is_shared ? 's' : 'p', m->offset,
		      m->dev_major, m->dev_minor, m->ino);
	if (m->name) {
		size_t used = b->len - start;

		if (!b->err && used < MAPS_NAME_COLUMN)
			procfs_printf(b, "%*s", (int)(MAPS_NAME_COLUMN - used), "");
		procfs_printf(b, " %s", m->name);
	}
	procfs_puts(b, "\n");
}
