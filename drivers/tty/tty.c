// SPDX-License-Identifier: MIT
/*
 * The tty core: what every terminal file does. read and write go through
 * the line discipline with Linux's job-control checks (a background
 * process group reading its controlling terminal gets SIGTTIN, writing
 * with TOSTOP gets SIGTTOU, or EIO when the group is orphaned or the
 * signal ignored), the termios and window-size ioctls, and the ioctls
 * that manage controlling terminals and foreground groups. Drivers
 * (serial.c, pty.c) supply output and feed input through tty_receive.
 */
#include <asm/ioctls.h>
#include <linux/capability.h>
#include <linux/fcntl.h>
#include <tern/errno.h>
#include <tern/files.h>
#include <tern/poll.h>
#include <tern/proc.h>
#include <tern/signal.h>
#include <tern/string.h>
#include <tern/tty.h>

#define HZ_NS 100000000ULL /* VTIME counts tenths of a second */

static void ld_output(void *ctx, const char *buf, size_t len)
{
	struct tty *tty = ctx;

	tty->ops->output(tty, buf, len);
}

static void ld_signal(void *ctx, int sig)
{
	struct tty *tty = ctx;

	spin_lock(&proc_lock);
	proc_signal_pgrp_locked(tty->pgrp, sig);
	spin_unlock(&proc_lock);
}

static const struct ldisc_ops tty_ldisc_ops = {.output = ld_output, .signal = ld_signal};

void tty_init(struct tty *tty, const char *name, const struct tty_driver_ops *ops,
	      void *driver_data)
{
	memset(tty, 0, sizeof(*tty));
	mutex_init(&tty->lock);
	ldisc_init(&tty->ld, &ldisc_default_termios, &tty_ldisc_ops, tty);
	tty->ops = ops;
	tty->driver_data = driver_data;
	strlcpy(tty->name, name, sizeof(tty->name));
	/* ABI: a new tty's window size is 0 x 0 until someone sets it. */
	wait_queue_init(&tty->read_wait);
	wait_queue_init(&tty->write_wait);
	wait_queue_init(&tty->room_wait);
}

void tty_receive(struct tty *tty, const char *buf, size_t len)
{
	mutex_lock(&tty->lock);
	ldisc_receive(&tty->ld, buf, len);
	bool restarted = !tty->ld.stopped;
	mutex_unlock(&tty->lock);
	wake_up_all(&tty->read_wait);
	if (restarted)
		wake_up_all(&tty->write_wait);
}

void tty_wake_writers(struct tty *tty)
{
	wake_up_all(&tty->write_wait);
}

/* Drops every process's tie to tty; L held. */
static void forget_tty_locked(struct tty *tty)
{
	proc_forget_tty_locked(tty);
	tty->session = 0;
	tty->pgrp = 0;
}

/* The session loses its terminal: SIGHUP and SIGCONT to the foreground, as Linux. */
static void disassociate_locked(struct tty *tty)
{
	int pgrp = tty->pgrp;

	forget_tty_locked(tty);
	proc_signal_pgrp_locked(pgrp, SIGHUP);
	proc_signal_pgrp_locked(pgrp, SIGCONT);
}

void tty_hangup(struct tty *tty)
{
	mutex_lock(&tty->lock);
	tty->is_hung_up = true;
	spin_lock(&proc_lock);
	if (tty->session) {
		int sid = tty->session;
		proc_signal_pgrp_locked(sid, SIGHUP); /* the session leader's group */
		proc_signal_pgrp_locked(sid, SIGCONT);
		disassociate_locked(tty);
	}
	spin_unlock(&proc_lock);
	mutex_unlock(&tty->lock);
	wake_up_all(&tty->read_wait);
	wake_up_all(&tty->write_wait);
	wake_up_all(&tty->room_wait);
}

void tty_session_leader_exit(struct proc *p)
{
	spin_lock(&proc_lock);
	struct tty *tty = p->pid == p->sid ? p->tty : NULL;
	spin_unlock(&proc_lock);
	if (!tty)
		return;
	mutex_lock(&tty->lock);
	spin_lock(&proc_lock);
	if (tty->session == p->sid)
		disassociate_locked(tty);
	spin_unlock(&proc_lock);
	mutex_unlock(&tty->lock);
}

/* ABI: tty_open makes every terminal file nonseekable: lseek, pread and pwrite are ESPIPE. */
void tty_file_nonseekable(struct file *file)
{
	file->mode &= ~(FMODE_PREAD | FMODE_LSEEK);
}

int tty_open_file(struct tty *tty, struct file *file, bool may_become_ctty)
{
	struct proc *p = current_proc();

	tty_file_nonseekable(file);
	mutex_lock(&tty->lock);
	if (tty->is_hung_up && !tty->nr_open)
		tty->is_hung_up = false; /* a new open of a hung-up line starts afresh */
	tty->nr_open++;
	file->private = tty;
	spin_lock(&proc_lock);
	/* ABI: a session leader without a terminal acquires one it opens. */
	if (may_become_ctty && !(file->flags & O_NOCTTY) && p && p->pid == p->sid && !p->tty &&
	    !tty->session) {
		p->tty = tty;
		tty->session = p->sid;
		tty->pgrp = p->pgid;
	}
	spin_unlock(&proc_lock);
	mutex_unlock(&tty->lock);
	return 0;
}

static struct tty *file_tty(struct file *file)
{
	return file->private;
}

static bool is_ignored_or_blocked(int sig)
{
	struct task *t = current_task();
	bool ret;

	spin_lock(&proc_lock);
	ret = t->proc->actions[sig - 1].handler == (uint64_t)SIG_IGN ||
	      (t->sig_blocked & SIGBIT(sig));
	spin_unlock(&proc_lock);
	return ret;
}

/*
 * Linux's __tty_check_change: may the caller touch its controlling
 * terminal as if in the foreground? 0 yes; -EIO; or -ERESTARTSYS after
 * sending sig to the caller's group (it stops, then retries).
 */
static int job_control(struct tty *tty, int sig)
{
	struct proc *p = current_proc();

	spin_lock(&proc_lock);
	bool is_background = p->tty == tty && tty->pgrp && p->pgid != tty->pgrp;
	int pgid = p->pgid;
	bool is_orphaned = is_background && proc_pgrp_is_orphaned_locked(pgid);
	spin_unlock(&proc_lock);
	if (!is_background)
		return 0;
	if (is_ignored_or_blocked(sig))
		return sig == SIGTTIN ? -EIO : 0;
	if (is_orphaned)
		return -EIO;
	spin_lock(&proc_lock);
	proc_signal_pgrp_locked(pgid, sig);
	spin_unlock(&proc_lock);
	return -ERESTARTSYS;
}

/*
 * Sleeps on wq with T dropped until ready(tty) holds (T held again, 0),
 * a signal comes (-ERESTARTSYS) or the monotonic deadline passes
 * (-ETIMEDOUT; 0 = none).
 */
static int tty_wait(struct tty *tty, struct wait_queue *wq, bool (*ready)(struct tty *),
		    uint64_t deadline)
{
	struct wait_entry we = {0};

	for (;;) {
		if (ready(tty))
			return 0;
		if (signal_pending_current())
			return -ERESTARTSYS;
		uint64_t now = clock_monotonic_ns();
		if (deadline && now >= deadline)
			return -ETIMEDOUT;
		wait_prepare(wq, &we);
		mutex_unlock(&tty->lock);
		if (deadline)
			sched_sleep_timeout(deadline - now);
		else
			schedule();
		wait_finish(wq, &we);
		mutex_lock(&tty->lock);
	}
}

static bool input_ready(struct tty *tty)
{
	return ldisc_can_read(&tty->ld) || tty->is_hung_up;
}

static bool has_input_room(struct tty *tty)
{
	return ldisc_receive_room(&tty->ld) > 0 || tty->is_hung_up;
}

/* Bytes a master hands over per round, so a signal is noticed soon in a long write. */
#define RECEIVE_ROUND_BYTES 256

/*
 * ABI: Linux's pty master writes go to the slave only as the line
 * discipline takes them (n_tty receive_room), and a full slave blocks
 * its master's writer (or EAGAIN), so a huge write is paced by the reader
 * and a signal can always end it.
 */
int tty_receive_paced(struct tty *tty, const char *buf, size_t len, bool nonblock, size_t *done)
{
	int err = 0;

	*done = 0;
	mutex_lock(&tty->lock);
	while (*done < len) {
		/* A hung-up line takes everything at once, as before the pacing. */
		size_t room = tty->is_hung_up ? len - *done : ldisc_receive_room(&tty->ld);
		if (!room) {
			err = nonblock ? -EAGAIN
				       : tty_wait(tty, &tty->room_wait, has_input_room, 0);
			if (err)
				break;
			continue;
		}
		size_t n = MIN(MIN(room, len - *done), (size_t)RECEIVE_ROUND_BYTES);
		ldisc_receive(&tty->ld, buf + *done, n);
		*done += n;
		wake_up_all(&tty->read_wait);
		if (*done < len && signal_pending_current())
			break;
	}
	bool restarted = !tty->ld.stopped;
	mutex_unlock(&tty->lock);
	if (restarted)
		wake_up_all(&tty->write_wait);
	return *done ? 0 : err;
}

/*
 * read(2) on a terminal. Canonical mode: one line (or end-of-file).
 * Raw mode follows VMIN/VTIME as termios(3) describes: MIN 0 TIME 0
 * polls; MIN 0 TIME t waits up to t for any input; MIN m TIME 0 waits
 * for m bytes; MIN m TIME t waits for the first byte, then at most t
 * between bytes until m have come.
 */
static int tty_read(struct file *file, void *buf, size_t len, int64_t *pos, size_t *done)
{
	struct tty *tty = file_tty(file);
	bool eof = false;
	int err = job_control(tty, SIGTTIN);

	(void)pos;
	*done = 0;
	if (err)
		return err;
	mutex_lock(&tty->lock);
	bool was_hung_up = tty->is_hung_up;
	const cc_t *cc = tty->ld.termios.c_cc;
	bool canon = tty->ld.termios.c_lflag & ICANON;
	size_t min = canon ? 1 : MIN((size_t)cc[VMIN], len);
	uint64_t vtime = canon ? 0 : cc[VTIME] * HZ_NS;
	uint64_t deadline = vtime && !min ? clock_monotonic_ns() + vtime : 0;
	for (;;) {
		if (ldisc_can_read(&tty->ld)) {
			*done += ldisc_read(&tty->ld, (char *)buf + *done, len - *done, &eof);
			if (canon || eof || *done >= len || *done >= min)
				break;
			continue;
		}
		if (tty->is_hung_up) {
			/*
			 * ABI: a read begun after the hangup sees end-of-file;
			 * one that was waiting when a pty master went away, EIO.
			 */
			if (!was_hung_up && tty->other_closed)
				err = -EIO;
			break;
		}
		if (!canon && !min && !vtime)
			break;
		if (file->flags & O_NONBLOCK) {
			err = -EAGAIN;
			break;
		}
		if (min && vtime && *done)
			deadline = clock_monotonic_ns() + vtime;
		err = tty_wait(tty, &tty->read_wait, input_ready, deadline);
		if (err == -ETIMEDOUT) {
			err = 0;
			break;
		}
		if (err)
			break;
	}
	mutex_unlock(&tty->lock);
	if (*done)
		wake_up_all(&tty->room_wait);
	return *done ? 0 : err;
}

/* Output bytes the device takes now (a pty master's buffer fills up). */
static size_t write_room(struct tty *tty)
{
	return tty->ops->write_room ? tty->ops->write_room(tty) : SIZE_MAX;
}

static bool output_ready(struct tty *tty)
{
	return tty->is_hung_up || (!tty->ld.stopped && write_room(tty) > 0);
}

static int tty_write(struct file *file, const void *buf, size_t len, int64_t *pos, size_t *done)
{
	struct tty *tty = file_tty(file);
	int err = 0;

	(void)pos;
	*done = 0;
	if (tty->ld.termios.c_lflag & TOSTOP)
		err = job_control(tty, SIGTTOU);
	if (err)
		return err;
	mutex_lock(&tty->lock);
	while (!err && *done < len) {
		if (!output_ready(tty))
			err = (file->flags & O_NONBLOCK)
				      ? -EAGAIN
				      : tty_wait(tty, &tty->write_wait, output_ready, 0);
		if (!err && tty->is_hung_up)
			err = -EIO;
		if (err)
			break;
		/* Half the room: output processing may double every byte (NL to CR-NL). */
		size_t n = MIN(len - *done, MAX(write_room(tty) / 2, (size_t)1));
		ldisc_write(&tty->ld, (const char *)buf + *done, n);
		*done += n;
	}
	mutex_unlock(&tty->lock);
	return *done ? 0 : err;
}

/* TIOCSPGRP's checks: the caller's terminal, a group of its session. */
static int set_pgrp(struct tty *tty, int pgrp)
{
	struct proc *p = current_proc();
	int err = 0;

	if (pgrp < 0)
		return -EINVAL;
	spin_lock(&proc_lock);
	if (p->tty != tty || tty->session != p->sid)
		err = -ENOTTY;
	else if (proc_pgrp_session_locked(pgrp) == -ESRCH)
		err = -ESRCH;
	else if (proc_pgrp_session_locked(pgrp) != p->sid)
		err = -EPERM;
	else
		tty->pgrp = pgrp;
	spin_unlock(&proc_lock);
	return err;
}

static int set_ctty(struct tty *tty, unsigned long arg)
{
	struct proc *p = current_proc();
	bool may_steal = arg == 1 && proc_cred_has_cap(current_cred(), CAP_SYS_ADMIN);
	int err = 0;

	spin_lock(&proc_lock);
	if (p->tty == tty && p->pid == p->sid)
		err = 0;
	else if (p->pid != p->sid || p->tty)
		err = -EPERM;
	else if (tty->session && !may_steal)
		err = -EPERM;
	else {
		if (tty->session)
			forget_tty_locked(tty);
		p->tty = tty;
		tty->session = p->sid;
		tty->pgrp = p->pgid;
	}
	spin_unlock(&proc_lock);
	return err;
}

static int give_up_ctty(struct tty *tty)
{
	struct proc *p = current_proc();
	int err = 0;

	spin_lock(&proc_lock);
	if (p->tty != tty)
		err = -ENOTTY;
	else if (p->pid == p->sid)
		disassociate_locked(tty);
	else
		p->tty = NULL;
	spin_unlock(&proc_lock);
	return err;
}

/* The ioctls that only read or change the caller's own terminal session. */
static int session_ioctl(struct tty *tty, unsigned int cmd, void *uarg)
{
	struct proc *p = current_proc();
	int value, err;

	switch (cmd) {
	case TIOCGPGRP:
	case TIOCGSID:
		spin_lock(&proc_lock);
		err = p->tty == tty ? 0 : -ENOTTY;
		value = cmd == TIOCGPGRP ? tty->pgrp : tty->session;
		if (!err && cmd == TIOCGSID && !value)
			err = -ENOTTY;
		spin_unlock(&proc_lock);
		return err ? err : copy_to_user(uarg, &value, sizeof(value));
	case TIOCSPGRP:
		err = job_control(tty, SIGTTOU);
		if (err)
			return err;
		if (copy_from_user(&value, uarg, sizeof(value)) != 0)
			return -EFAULT;
		return set_pgrp(tty, value);
	default:
		return -ENOTTY;
	}
}

static int termios_ioctl(struct tty *tty, unsigned int cmd, void *uarg)
{
	struct termios t;
	struct winsize ws;
	int err;

	switch (cmd) {
	case TCGETS:
		mutex_lock(&tty->lock);
		t = tty->ld.termios;
		mutex_unlock(&tty->lock);
		return copy_to_user(uarg, &t, sizeof(t));
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		err = job_control(tty, SIGTTOU);
		if (err)
			return err;
		if (copy_from_user(&t, uarg, sizeof(t)) != 0)
			return -EFAULT;
		mutex_lock(&tty->lock);
		if (cmd == TCSETSF)
			ldisc_flush_input(&tty->ld);
		ldisc_set_termios(&tty->ld, &t);
		mutex_unlock(&tty->lock);
		wake_up_all(&tty->read_wait);
		wake_up_all(&tty->write_wait);
		wake_up_all(&tty->room_wait); /* flushed, or a mode with other room */
		return 0;
	case TIOCGWINSZ:
		mutex_lock(&tty->lock);
		ws = tty->winsize;
		mutex_unlock(&tty->lock);
		return copy_to_user(uarg, &ws, sizeof(ws));
	case TIOCSWINSZ:
		if (copy_from_user(&ws, uarg, sizeof(ws)) != 0)
			return -EFAULT;
		mutex_lock(&tty->lock);
		bool changed = memcmp(&ws, &tty->winsize, sizeof(ws)) != 0;
		tty->winsize = ws;
		spin_lock(&proc_lock);
		if (changed)
			proc_signal_pgrp_locked(tty->pgrp, SIGWINCH);
		spin_unlock(&proc_lock);
		mutex_unlock(&tty->lock);
		return 0;
	default:
		return -ENOTTY;
	}
}

static int tty_ioctl(struct file *file, unsigned int cmd, unsigned long arg, long *out)
{
	struct tty *tty = file_tty(file);
	void *uarg = (void *)arg;
	int value;

	*out = 0;
	switch (cmd) {
	case TCGETS:
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
	case TIOCGWINSZ:
	case TIOCSWINSZ:
		return termios_ioctl(tty, cmd, uarg);
	case TIOCGPGRP:
	case TIOCSPGRP:
	case TIOCGSID:
		return session_ioctl(tty, cmd, uarg);
	case TIOCSCTTY:
		return set_ctty(tty, arg);
	case TIOCNOTTY:
		return give_up_ctty(tty);
	case FIONREAD:
		mutex_lock(&tty->lock);
		value = (int)ldisc_readable(&tty->ld);
		mutex_unlock(&tty->lock);
		return copy_to_user(uarg, &value, sizeof(value));
	case TIOCOUTQ:
		value = 0; /* output goes to the device at once */
		return copy_to_user(uarg, &value, sizeof(value));
	case TCFLSH:
		if (arg > TCIOFLUSH)
			return -EINVAL;
		mutex_lock(&tty->lock);
		if (arg != TCOFLUSH)
			ldisc_flush_input(&tty->ld);
		mutex_unlock(&tty->lock);
		wake_up_all(&tty->room_wait);
		return 0;
	case TCSBRK:
	case TCSBRKP:
		return 0; /* output is already drained */
	case TCXONC:
		if (arg > TCION)
			return -EINVAL;
		mutex_lock(&tty->lock);
		if (arg == TCOOFF || arg == TCOON)
			tty->ld.stopped = arg == TCOOFF;
		mutex_unlock(&tty->lock);
		wake_up_all(&tty->write_wait);
		return 0;
	default:
		return -ENOTTY;
	}
}

static void tty_release(struct file *file)
{
	struct tty *tty = file_tty(file);

	mutex_lock(&tty->lock);
	tty->nr_open--;
	mutex_unlock(&tty->lock);
	if (tty->ops->release)
		tty->ops->release(tty);
}

/* ABI: n_tty_poll: input (a line when canonical), room for output, POLLHUP after a hangup. */
static unsigned int tty_poll(struct file *file, struct poll_table *pt)
{
	struct tty *tty = file_tty(file);
	unsigned int mask = 0;

	poll_wait(file, &tty->read_wait, pt);
	poll_wait(file, &tty->write_wait, pt);
	mutex_lock(&tty->lock);
	if (ldisc_can_read(&tty->ld))
		mask |= POLLIN | POLLRDNORM;
	if (tty->is_hung_up)
		mask |= POLLHUP;
	if (output_ready(tty))
		mask |= POLLOUT | POLLWRNORM;
	mutex_unlock(&tty->lock);
	return mask;
}

const struct file_ops tty_file_ops = {
	.read = tty_read,
	.write = tty_write,
	.ioctl = tty_ioctl,
	.poll = tty_poll,
	.release = tty_release,
};

/* /dev/tty (5:0): opens the caller's controlling terminal. */
static int ctty_open(struct inode *inode, struct file *file)
{
	struct proc *p = current_proc();

	(void)inode;
	spin_lock(&proc_lock);
	struct tty *tty = p ? p->tty : NULL;
	spin_unlock(&proc_lock);
	if (!tty)
		return -ENXIO;
	return tty_open_file(tty, file, false);
}

static const struct file_ops ctty_ops = {
	.open = ctty_open,
	.read = tty_read,
	.write = tty_write,
	.ioctl = tty_ioctl,
	.poll = tty_poll,
	.release = tty_release,
};

int ctty_register(struct vfs *vfs)
{
	return vfs_register_chrdev(vfs, 5, 0, 1, &ctty_ops);
}
