// SPDX-License-Identifier: MIT
/*
 * /dev/console and /dev/ttyS0 (character devices 5:1 and 4:64): the
 * serial port as a file. Output goes straight to the UART (which turns
 * "\n" into "\r\n", as OPOST|ONLCR would). Input goes through a small
 * line discipline: in canonical mode a line is edited (erase, kill,
 * word-erase) and echoed before read sees it, ^D ends the input; in raw
 * mode bytes pass through. termios is kept and reported, so programs
 * see a terminal.
 *
 * FIXME: a real tty layer (the files issue) replaces this: ISIG keys and
 * job control, controlling terminals, VMIN/VTIME, ptys.
 */
#include <asm/ioctls.h>
#include <asm/termbits.h>
#include <asm/termios.h>
#include <tern/errno.h>
#include <tern/files.h>
#include <tern/sched.h>
#include <tern/serial.h>
#include <tern/signal.h>
#include <tern/string.h>
#include <tern/sys.h>

#define LINE_MAX_BYTES 4096 /* Linux's N_TTY_BUF_SIZE */

static struct {
	struct mutex lock; /* everything below; readers hold it while they sleep */
	struct termios termios;
	struct winsize winsize;
	char line[LINE_MAX_BYTES]; /* canonical: the line being edited, then the ready one */
	size_t len;
	size_t ready; /* bytes of line[] that read may take (a finished line) */
	bool eof;     /* ^D on an empty line: the next read returns 0 */
} con;

static const struct termios default_termios = {
	.c_iflag = ICRNL | IXON,
	.c_oflag = OPOST | ONLCR,
	.c_cflag = B38400 | CS8 | CREAD | HUPCL | CLOCAL,
	.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN,
	.c_cc = {[VINTR] = 003,
		 [VQUIT] = 034,
		 [VERASE] = 0177,
		 [VKILL] = 025,
		 [VEOF] = 004,
		 [VMIN] = 1,
		 [VSTART] = 021,
		 [VSTOP] = 023,
		 [VSUSP] = 032,
		 [VREPRINT] = 022,
		 [VDISCARD] = 017,
		 [VWERASE] = 027,
		 [VLNEXT] = 026},
};

/* The next input byte; -EINTR if a signal comes first. */
static int next_byte(void)
{
	struct wait_queue *wq = serial_rx_queue();
	struct wait_entry we = {0};
	int c;

	for (;;) {
		wait_prepare(wq, &we);
		c = serial_try_read_byte();
		if (c >= 0 || signal_pending_current())
			break;
		schedule();
	}
	wait_finish(wq, &we);
	return c >= 0 ? c : -EINTR;
}

static void echo(const char *s, size_t n)
{
	if (con.termios.c_lflag & ECHO)
		serial_write(s, n);
}

static void erase_one(void)
{
	if (con.len > con.ready) {
		con.len--;
		echo("\b \b", 3);
	}
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* Canonical mode: applies one typed byte to the line being edited. */
static void edit_line(char c)
{
	const cc_t *cc = con.termios.c_cc;

	if (c == '\r' && (con.termios.c_iflag & ICRNL))
		c = '\n';
	if (c == (char)cc[VERASE] || c == '\b') {
		erase_one();
	} else if (c == (char)cc[VKILL]) {
		while (con.len > con.ready)
			erase_one();
	} else if (c == (char)cc[VWERASE]) {
		while (con.len > con.ready && is_space(con.line[con.len - 1]))
			erase_one();
		while (con.len > con.ready && !is_space(con.line[con.len - 1]))
			erase_one();
	} else if (c == (char)cc[VEOF]) {
		con.eof = con.len == con.ready; /* ^D on an empty line: end of file */
		con.ready = con.len;
	} else if (c == '\n') {
		if (con.len < LINE_MAX_BYTES)
			con.line[con.len++] = c;
		con.ready = con.len;
		echo("\n", 1);
	} else if (con.len < LINE_MAX_BYTES - 1) {
		con.line[con.len++] = c;
		echo(&c, 1);
	}
}

static void take(void *buf, size_t n)
{
	memcpy(buf, con.line, n);
	memmove(con.line, con.line + n, con.len - n);
	con.len -= n;
	con.ready -= n;
}

static int read_canonical(char *buf, size_t len, size_t *done)
{
	while (!con.ready && !con.eof) {
		int c = next_byte();
		if (c < 0)
			return -ERESTARTSYS;
		edit_line((char)c);
	}
	size_t n = MIN(len, con.ready);
	take(buf, n);
	if (!n)
		con.eof = false; /* end-of-file is read once */
	*done = n;
	return 0;
}

static int read_raw(char *buf, size_t len, size_t *done)
{
	size_t n = 0;

	if (con.len) { /* what canonical mode left behind */
		n = MIN(len, con.len);
		con.ready = con.len;
		take(buf, n);
	}
	while (n < len) {
		int c = n ? serial_try_read_byte() : next_byte();
		if (c == -EINTR)
			return -ERESTARTSYS;
		if (c < 0)
			break;
		if (c == '\r' && (con.termios.c_iflag & ICRNL))
			c = '\n';
		buf[n++] = (char)c;
		echo(&buf[n - 1], 1);
	}
	*done = n;
	return 0;
}

static int console_read(struct file *file, void *buf, size_t len, int64_t *pos, size_t *done)
{
	(void)file, (void)pos;
	mutex_lock(&con.lock);
	int err = (con.termios.c_lflag & ICANON) ? read_canonical(buf, len, done)
						 : read_raw(buf, len, done);
	mutex_unlock(&con.lock);
	return err;
}

static int console_write(struct file *file, const void *buf, size_t len, int64_t *pos, size_t *done)
{
	(void)file, (void)pos;
	serial_write(buf, len);
	*done = len;
	return 0;
}

static int console_ioctl(struct file *file, unsigned int cmd, unsigned long arg, long *out)
{
	void *uarg = (void *)arg;
	struct termios t;
	struct winsize ws;
	int err = 0;

	(void)file;
	*out = 0;
	switch (cmd) {
	case TCGETS:
		mutex_lock(&con.lock);
		t = con.termios;
		mutex_unlock(&con.lock);
		return copy_to_user(uarg, &t, sizeof(t));
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		if (copy_from_user(&t, uarg, sizeof(t)) != 0)
			return -EFAULT;
		mutex_lock(&con.lock);
		con.termios = t;
		if (cmd == TCSETSF)
			con.len = con.ready = 0;
		mutex_unlock(&con.lock);
		return 0;
	case TIOCGWINSZ:
		mutex_lock(&con.lock);
		ws = con.winsize;
		mutex_unlock(&con.lock);
		return copy_to_user(uarg, &ws, sizeof(ws));
	case TIOCSWINSZ:
		if (copy_from_user(&ws, uarg, sizeof(ws)) != 0)
			return -EFAULT;
		mutex_lock(&con.lock);
		con.winsize = ws;
		mutex_unlock(&con.lock);
		return 0;
	case FIONREAD:
		mutex_lock(&con.lock);
		err = (int)con.ready;
		mutex_unlock(&con.lock);
		return copy_to_user(uarg, &err, sizeof(err));
	default:
		return -ENOTTY;
	}
}

static const struct file_ops console_ops = {
	.read = console_read,
	.write = console_write,
	.ioctl = console_ioctl,
};

int console_register(struct vfs *vfs)
{
	mutex_init(&con.lock);
	con.termios = default_termios;
	con.winsize = (struct winsize){.ws_row = 24, .ws_col = 80};
	int err = vfs_register_chrdev(vfs, 5, 1, 1, &console_ops);
	if (!err)
		err = vfs_register_chrdev(vfs, 4, 64, 1, &console_ops);
	return err;
}
