// SPDX-License-Identifier: MIT
/*
 * The N_TTY line discipline. Input bytes are processed one at a time as
 * Linux's n_tty does: strip, flow control, signal keys, CR/NL mapping,
 * then either canonical editing (the line being edited sits after the
 * committed lines in buf and is echoed as it changes) or raw buffering.
 * Echoes and written output go through the same post-processing, which
 * keeps track of the column so erasing a tab or a ^X echo takes back
 * exactly what was printed.
 */
#include <asm/signal.h>
#include <tern/ldisc.h>
#include <tern/string.h>

#define CTRL(c) ((c)&0x1f)

const struct termios ldisc_default_termios = {
	.c_iflag = ICRNL | IXON,
	.c_oflag = OPOST | ONLCR,
	.c_cflag = B38400 | CS8 | CREAD | HUPCL,
	.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN,
	.c_cc = {[VINTR] = CTRL('C'),
		 [VQUIT] = CTRL('\\'),
		 [VERASE] = 0177,
		 [VKILL] = CTRL('U'),
		 [VEOF] = CTRL('D'),
		 [VMIN] = 1,
		 [VSTART] = CTRL('Q'),
		 [VSTOP] = CTRL('S'),
		 [VSUSP] = CTRL('Z'),
		 [VREPRINT] = CTRL('R'),
		 [VDISCARD] = CTRL('O'),
		 [VWERASE] = CTRL('W'),
		 [VLNEXT] = CTRL('V')},
};

void ldisc_init(struct ldisc *ld, const struct termios *t, const struct ldisc_ops *ops, void *ctx)
{
	memset(ld, 0, sizeof(*ld));
	ld->termios = *t;
	ld->ops = ops;
	ld->ctx = ctx;
}

static bool iflag(const struct ldisc *ld, tcflag_t f)
{
	return ld->termios.c_iflag & f;
}

static bool lflag(const struct ldisc *ld, tcflag_t f)
{
	return ld->termios.c_lflag & f;
}

/* A control character: VDISABLE (0) never matches. */
static bool is_cc(const struct ldisc *ld, unsigned char c, int which)
{
	cc_t v = ld->termios.c_cc[which];

	return v != 0 && c == v;
}

/* --- output ------------------------------------------------------------- */

/* Post-processes one byte (OPOST) into out; returns the bytes written there. */
static size_t opost_char(struct ldisc *ld, unsigned char c, char *out)
{
	tcflag_t o = ld->termios.c_oflag;

	if (!(o & OPOST)) {
		out[0] = (char)c;
		return 1;
	}
	switch (c) {
	case '\n':
		if (o & ONLRET)
			ld->column = 0;
		if (o & ONLCR) {
			ld->column = 0;
			out[0] = '\r';
			out[1] = '\n';
			return 2;
		}
		break;
	case '\r':
		if ((o & ONOCR) && ld->column == 0)
			return 0;
		if (o & OCRNL) {
			c = '\n';
			if (o & ONLRET)
				ld->column = 0;
			break;
		}
		ld->column = 0;
		break;
	case '\t': {
		uint32_t spaces = 8 - (ld->column & 7);
		if ((o & TABDLY) == XTABS) {
			memset(out, ' ', spaces);
			ld->column += spaces;
			return spaces;
		}
		ld->column += spaces;
		break;
	}
	case '\b':
		if (ld->column > 0)
			ld->column--;
		break;
	default:
		if (c >= 0x20 && c != 0x7f)
			ld->column++;
	}
	out[0] = (char)c;
	return 1;
}

static void emit(struct ldisc *ld, const char *buf, size_t len)
{
	char out[64];
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		if (n + 8 > sizeof(out)) {
			ld->ops->output(ld->ctx, out, n);
			n = 0;
		}
		n += opost_char(ld, (unsigned char)buf[i], out + n);
	}
	if (n)
		ld->ops->output(ld->ctx, out, n);
}

void ldisc_write(struct ldisc *ld, const char *buf, size_t len)
{
	emit(ld, buf, len);
}

static bool echoes_as_ctl(const struct ldisc *ld, unsigned char c)
{
	return lflag(ld, ECHOCTL) && (c < 0x20 || c == 0x7f) && c != '\t' && c != '\n';
}

/* Echoes a typed byte: control characters as ^X when ECHOCTL says so. */
static void echo_char(struct ldisc *ld, unsigned char c)
{
	if (echoes_as_ctl(ld, c)) {
		char s[2] = {'^', (char)(c ^ 0x40)};
		emit(ld, s, 2);
	} else {
		emit(ld, (const char *)&c, 1);
	}
}

/* --- input buffer ------------------------------------------------------- */

static void put_char(struct ldisc *ld, unsigned char c, bool is_delim)
{
	if (ld->len >= LDISC_BUF_SIZE)
		return;
	ld->buf[ld->len] = (char)c;
	ld->is_delim[ld->len] = is_delim;
	ld->len++;
	if (is_delim || !lflag(ld, ICANON)) {
		ld->committed = ld->len;
		ld->line_column = ld->column;
	}
}

/* Columns the line being edited takes on screen up to (not including) end. */
static uint32_t column_at(const struct ldisc *ld, size_t end)
{
	uint32_t col = ld->line_column;

	for (size_t i = ld->committed; i < end; i++) {
		unsigned char c = (unsigned char)ld->buf[i];
		if (c == '\t')
			col = (col | 7) + 1;
		else if (echoes_as_ctl(ld, c))
			col += 2;
		else
			col++;
	}
	return col;
}

static void erase_echo(struct ldisc *ld, uint32_t cols)
{
	for (uint32_t i = 0; i < cols; i++)
		emit(ld, "\b \b", 3);
}

/* Takes back the last edited byte, and its echo when ECHOE says so. */
static void erase_last(struct ldisc *ld)
{
	uint32_t before = column_at(ld, ld->len);
	unsigned char c = (unsigned char)ld->buf[ld->len - 1];

	ld->len--;
	if (!lflag(ld, ECHO))
		return;
	if (c == '\t') { /* backspaces only: a tab printed no characters */
		uint32_t after = column_at(ld, ld->len);
		for (uint32_t i = after; i < before; i++)
			emit(ld, "\b", 1);
		return;
	}
	erase_echo(ld, before - column_at(ld, ld->len));
}

static bool is_word_char(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       c == '_';
}

enum erase_kind { ERASE_CHAR, ERASE_WORD, ERASE_LINE };

static void eraser(struct ldisc *ld, unsigned char c, enum erase_kind kind)
{
	if (ld->len == ld->committed)
		return;
	if (kind == ERASE_CHAR && lflag(ld, ECHO) && !lflag(ld, ECHOE)) {
		ld->len--;
		echo_char(ld, c); /* ABI: without ECHOE the erase key itself is echoed */
		return;
	}
	if (kind == ERASE_LINE &&
	    (!lflag(ld, ECHO) || !lflag(ld, ECHOK) || !lflag(ld, ECHOKE) || !lflag(ld, ECHOE))) {
		ld->len = ld->committed;
		if (lflag(ld, ECHO)) {
			echo_char(ld, c);
			if (lflag(ld, ECHOK))
				emit(ld, "\n", 1);
		}
		return;
	}
	bool seen_word = false;
	while (ld->len > ld->committed) {
		unsigned char last = (unsigned char)ld->buf[ld->len - 1];
		if (kind == ERASE_WORD) {
			if (is_word_char(last))
				seen_word = true;
			else if (seen_word)
				break;
		}
		erase_last(ld);
		if (kind == ERASE_CHAR)
			break;
	}
}

/* VREPRINT: ^R, a new line, then the line being edited again. */
static void reprint(struct ldisc *ld, unsigned char c)
{
	echo_char(ld, c);
	emit(ld, "\n", 1);
	ld->line_column = ld->column;
	for (size_t i = ld->committed; i < ld->len; i++)
		echo_char(ld, (unsigned char)ld->buf[i]);
}

static void signal_key(struct ldisc *ld, unsigned char c, int sig)
{
	if (!lflag(ld, NOFLSH))
		ldisc_flush_input(ld);
	if (lflag(ld, ECHO))
		echo_char(ld, c);
	ld->ops->signal(ld->ctx, sig);
}

/* Canonical mode: one byte into the line being edited. */
static void receive_canonical(struct ldisc *ld, unsigned char c)
{
	bool echo = lflag(ld, ECHO);

	if (is_cc(ld, c, VERASE)) {
		eraser(ld, c, ERASE_CHAR);
	} else if (is_cc(ld, c, VKILL)) {
		eraser(ld, c, ERASE_LINE);
	} else if (lflag(ld, IEXTEN) && is_cc(ld, c, VWERASE)) {
		eraser(ld, c, ERASE_WORD);
	} else if (lflag(ld, IEXTEN) && is_cc(ld, c, VREPRINT)) {
		if (echo)
			reprint(ld, c);
	} else if (c == '\n') {
		if (echo || lflag(ld, ECHONL))
			emit(ld, "\n", 1);
		put_char(ld, c, true);
	} else if (is_cc(ld, c, VEOF)) {
		put_char(ld, c, true); /* ends the line; read drops it */
	} else if (is_cc(ld, c, VEOL) || is_cc(ld, c, VEOL2)) {
		if (echo)
			echo_char(ld, c);
		put_char(ld, c, true);
	} else if (ld->len < LDISC_BUF_SIZE - 1) { /* room is kept for the newline */
		if (echo)
			echo_char(ld, c);
		put_char(ld, c, false);
	}
}

static void receive_char(struct ldisc *ld, unsigned char c)
{
	if (iflag(ld, ISTRIP))
		c &= 0x7f;
	if (ld->lnext) {
		ld->lnext = false;
		if (lflag(ld, ECHO)) {
			if (echoes_as_ctl(ld, c))
				emit(ld, "\b", 1); /* over the ^ shown for VLNEXT */
			echo_char(ld, c);
		}
		if (!lflag(ld, ICANON) || ld->len < LDISC_BUF_SIZE - 1)
			put_char(ld, c, false);
		return;
	}
	if (iflag(ld, IXON)) {
		if (is_cc(ld, c, VSTART)) {
			ld->stopped = false;
			return;
		}
		if (is_cc(ld, c, VSTOP)) {
			ld->stopped = true;
			return;
		}
	}
	if (lflag(ld, ISIG)) {
		if (is_cc(ld, c, VINTR))
			return signal_key(ld, c, SIGINT);
		if (is_cc(ld, c, VQUIT))
			return signal_key(ld, c, SIGQUIT);
		if (is_cc(ld, c, VSUSP))
			return signal_key(ld, c, SIGTSTP);
	}
	if (c == '\r') {
		if (iflag(ld, IGNCR))
			return;
		if (iflag(ld, ICRNL))
			c = '\n';
	} else if (c == '\n' && iflag(ld, INLCR)) {
		c = '\r';
	}
	if (lflag(ld, ICANON) && lflag(ld, IEXTEN) && is_cc(ld, c, VLNEXT)) {
		ld->lnext = true;
		if (lflag(ld, ECHO) && lflag(ld, ECHOCTL))
			emit(ld, "^\b", 2);
		return;
	}
	if (lflag(ld, ICANON)) {
		receive_canonical(ld, c);
		return;
	}
	if (lflag(ld, ECHO))
		echo_char(ld, c);
	else if (c == '\n' && lflag(ld, ECHONL))
		emit(ld, "\n", 1);
	put_char(ld, c, false);
}

void ldisc_receive(struct ldisc *ld, const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		receive_char(ld, (unsigned char)buf[i]);
}

/* --- reading ------------------------------------------------------------ */

static void consume(struct ldisc *ld, size_t n)
{
	memmove(ld->buf, ld->buf + n, ld->len - n);
	memmove(ld->is_delim, ld->is_delim + n, ld->len - n);
	ld->len -= n;
	ld->committed -= n;
}

static bool is_eof_delim(const struct ldisc *ld, size_t i)
{
	return ld->is_delim[i] && is_cc(ld, (unsigned char)ld->buf[i], VEOF);
}

size_t ldisc_read(struct ldisc *ld, char *buf, size_t len, bool *eof)
{
	size_t n = 0;

	*eof = false;
	if (!lflag(ld, ICANON)) {
		n = MIN(len, ld->committed);
		memcpy(buf, ld->buf, n);
		consume(ld, n);
		return n;
	}
	if (!ld->committed)
		return 0;
	if (is_eof_delim(ld, 0)) {
		consume(ld, 1);
		*eof = true;
		return 0;
	}
	while (n < len && n < ld->committed) {
		bool end = ld->is_delim[n];
		if (end && is_eof_delim(ld, n)) {
			consume(ld, n + 1); /* the EOF key ends the line and is dropped */
			return n;
		}
		buf[n] = ld->buf[n];
		n++;
		if (end)
			break;
	}
	consume(ld, n);
	return n;
}

size_t ldisc_receive_room(const struct ldisc *ld)
{
	if (ld->len + 1 < LDISC_BUF_SIZE)
		return LDISC_BUF_SIZE - 1 - ld->len;
	return lflag(ld, ICANON) && ld->committed == 0 ? 1 : 0;
}

size_t ldisc_readable(const struct ldisc *ld)
{
	return ld->committed;
}

bool ldisc_can_read(const struct ldisc *ld)
{
	return ld->committed > 0;
}

void ldisc_set_termios(struct ldisc *ld, const struct termios *t)
{
	bool was_canon = lflag(ld, ICANON);

	ld->termios = *t;
	if (lflag(ld, ICANON) && !was_canon && ld->len) {
		/* ABI: n_tty_set_termios: pending raw input becomes one line. */
		ld->is_delim[ld->len - 1] = true;
		ld->committed = ld->len;
	} else if (!lflag(ld, ICANON)) {
		ld->committed = ld->len;
	}
	ld->lnext = false;
	if (!iflag(ld, IXON))
		ld->stopped = false;
}

void ldisc_flush_input(struct ldisc *ld)
{
	ld->len = 0;
	ld->committed = 0;
	ld->lnext = false;
}
