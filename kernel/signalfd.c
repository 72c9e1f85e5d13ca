// SPDX-License-Identifier: MIT
/*
 * signalfd (Linux's fs/signalfd.c): a file that reads the caller's
 * pending signals in a mask, the thread's own first, then the process's,
 * as struct signalfd_siginfo records. It always reads whoever reads it,
 * so after fork the child's copy reads the child's signals. Readers and
 * pollers wait on one queue that every sent signal wakes (signal.c calls
 * signalfd_notify): Linux keeps one per sighand, but a single queue can
 * never outlive a process that an epoll item still points at. Signal
 * state is under proc_lock (proc.h); the file lives on anon_inodefs.
 *
 * Locks: L = proc_lock.
 */
#include <linux/signalfd.h>
#include <tern/anon_file.h>
#include <tern/errno.h>
#include <tern/files.h>
#include <tern/poll.h>
#include <tern/signal.h>
#include <tern/string.h>
#include <tern/sys.h>
#include <tern/syscall.h>

struct signalfd {
	uint64_t mask; /* L: the signals it reads, never SIGKILL or SIGSTOP */
};

static struct wait_queue signalfd_wq = {
	.waiters = LIST_HEAD_INIT(signalfd_wq.waiters),
};

_Static_assert(sizeof(struct signalfd_siginfo) == 128, "signalfd_siginfo is 128 bytes");

void signalfd_notify(void)
{
	wake_up_all(&signalfd_wq);
}

/* ABI: siginfo_layout (kernel/signal.c): which union member a siginfo carries. */
enum sig_layout { SIL_KILL, SIL_TIMER, SIL_POLL, SIL_FAULT, SIL_CHLD, SIL_RT, SIL_SYS };

static enum sig_layout sig_layout(int sig, int code)
{
	static const struct {
		int sig, limit;
		enum sig_layout layout;
	} by_signal[] = {
		{SIGILL, NSIGILL, SIL_FAULT},	{SIGFPE, NSIGFPE, SIL_FAULT},
		{SIGSEGV, NSIGSEGV, SIL_FAULT}, {SIGBUS, NSIGBUS, SIL_FAULT},
		{SIGTRAP, NSIGTRAP, SIL_FAULT}, {SIGCHLD, NSIGCHLD, SIL_CHLD},
		{SIGPOLL, NSIGPOLL, SIL_POLL},	{SIGSYS, NSIGSYS, SIL_SYS},
	};

	if (code > SI_USER && code < SI_KERNEL) {
		for (size_t i = 0; i < ARRAY_SIZE(by_signal); i++)
			if (by_signal[i].sig == sig && code <= by_signal[i].limit)
				return by_signal[i].layout;
		return code <= NSIGPOLL ? SIL_POLL : SIL_KILL;
	}
	if (code == SI_TIMER)
		return SIL_TIMER;
	if (code == SI_SIGIO)
		return SIL_POLL;
	return code < 0 ? SIL_RT : SIL_KILL;
}

/* ABI: signalfd_copyinfo: only the fields of the siginfo's layout are filled. */
static void siginfo_to_signalfd(const siginfo_t *info, struct signalfd_siginfo *out)
{
	memset(out, 0, sizeof(*out));
	out->ssi_signo = (uint32_t)info->si_signo;
	out->ssi_errno = info->si_errno;
	out->ssi_code = info->si_code;
	switch (sig_layout(info->si_signo, info->si_code)) {
	case SIL_KILL:
		out->ssi_pid = (uint32_t)info->si_pid;
		out->ssi_uid = info->si_uid;
		break;
	case SIL_TIMER:
		out->ssi_tid = (uint32_t)info->si_tid;
		out->ssi_overrun = (uint32_t)info->si_overrun;
		out->ssi_ptr = (uint64_t)info->si_ptr;
		out->ssi_int = info->si_int;
		break;
	case SIL_POLL:
		out->ssi_band = (uint32_t)info->si_band;
		out->ssi_fd = info->si_fd;
		break;
	case SIL_FAULT:
		out->ssi_addr = (uint64_t)info->si_addr;
		break;
	case SIL_CHLD:
		out->ssi_pid = (uint32_t)info->si_pid;
		out->ssi_uid = info->si_uid;
		out->ssi_status = info->si_status;
		out->ssi_utime = (uint64_t)info->si_utime;
		out->ssi_stime = (uint64_t)info->si_stime;
		break;
	case SIL_RT:
		out->ssi_pid = (uint32_t)info->si_pid;
		out->ssi_uid = info->si_uid;
		out->ssi_ptr = (uint64_t)info->si_ptr;
		out->ssi_int = info->si_int;
		break;
	case SIL_SYS:
		out->ssi_call_addr = (uint64_t)info->si_call_addr;
		out->ssi_syscall = info->si_syscall;
		out->ssi_arch = info->si_arch;
		break;
	}
}

/* Takes one signal in the file's mask, waiting unless nonblock: 0, -EAGAIN, -ERESTARTSYS. */
static int signalfd_dequeue(struct signalfd *ctx, bool nonblock, siginfo_t *info)
{
	struct task *t = current_task();
	struct wait_entry we = {0};
	int err = 0;

	for (;;) {
		spin_lock(&proc_lock);
		if (signal_dequeue_locked(t, ctx->mask, info)) {
			spin_unlock(&proc_lock);
			break;
		}
		if (nonblock) {
			spin_unlock(&proc_lock);
			err = -EAGAIN;
			break;
		}
		wait_prepare(&signalfd_wq, &we);
		spin_unlock(&proc_lock);
		if (signal_pending_current()) {
			err = -ERESTARTSYS;
			break;
		}
		schedule();
	}
	if (we.task)
		wait_finish(&signalfd_wq, &we);
	return err;
}

/* Reads as many whole records as fit, waiting only for the first. */
static int signalfd_read(struct file *file, void *buf, size_t len, int64_t *pos, size_t *done)
{
	struct signalfd *ctx = file->private;
	size_t nr = len / sizeof(struct signalfd_siginfo);
	bool nonblock = file->flags & O_NONBLOCK;
	size_t total = 0;
	siginfo_t info;
	int err = 0;

	(void)pos;
	if (!nr)
		return -EINVAL;
	while (nr--) {
		err = signalfd_dequeue(ctx, nonblock, &info);
		if (err)
			break;
		siginfo_to_signalfd(&info, (struct signalfd_siginfo *)((char *)buf + total));
		total += sizeof(struct signalfd_siginfo);
		nonblock = true;
	}
	*done = total;
	return total ? 0 : err;
}

static unsigned int signalfd_poll(struct file *file, struct poll_table *pt)
{
	struct signalfd *ctx = file->private;
	struct task *t = current_task();
	unsigned int mask = 0;

	poll_wait(file, &signalfd_wq, pt);
	spin_lock(&proc_lock);
	if ((t->sig_pending | t->proc->shared_pending.set) & ctx->mask)
		mask = POLLIN;
	spin_unlock(&proc_lock);
	return mask;
}

static void signalfd_release(struct file *file)
{
	kfree(file->private);
}

static const struct file_ops signalfd_ops = {
	.read = signalfd_read,
	.lseek = anon_noop_lseek,
	.poll = signalfd_poll,
	.release = signalfd_release,
};

/* A new signalfd (fd -1) or a new mask for an existing one. */
static long do_signalfd4(int fd, uint64_t mask, unsigned int flags)
{
	struct signalfd *ctx;
	struct file *f;
	int err;

	if (flags & ~(unsigned int)(SFD_CLOEXEC | SFD_NONBLOCK))
		return -EINVAL;
	mask &= ~SIG_UNBLOCKABLE;
	if (fd != -1) {
		err = files_fd_get(fd, &f);
		if (err)
			return err;
		if (f->ops != &signalfd_ops) {
			file_put(f);
			return -EINVAL;
		}
		ctx = f->private;
		spin_lock(&proc_lock);
		ctx->mask = mask;
		spin_unlock(&proc_lock);
		file_put(f);
		signalfd_notify();
		return fd;
	}
	ctx = kzalloc(sizeof(*ctx));
	if (!ctx)
		return -ENOMEM;
	ctx->mask = mask;
	err = anon_inode_file_create("[signalfd]", &signalfd_ops, ctx,
				     FMODE_READ | FMODE_WRITE | FMODE_PREAD | FMODE_LSEEK,
				     O_RDWR | (flags & SFD_NONBLOCK), &f);
	if (err) {
		kfree(ctx);
		return err;
	}
	return files_install_new(f, flags & SFD_CLOEXEC);
}

static long signalfd_common(const unsigned long args[6], unsigned int flags)
{
	uint64_t mask;

	if (args[2] != sizeof(mask))
		return -EINVAL;
	if (copy_from_user(&mask, (const void *)args[1], sizeof(mask)) != 0)
		return -EFAULT;
	return do_signalfd4((int)args[0], mask, flags);
}

/* signalfd4(2) */
long sys_signalfd4(const unsigned long args[6])
{
	return signalfd_common(args, (unsigned int)args[3]);
}

/* signalfd(2) */
long sys_signalfd(const unsigned long args[6])
{
	return signalfd_common(args, 0);
}
