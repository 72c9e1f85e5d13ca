// SPDX-License-Identifier: MIT
/*
 * Unit tests for drivers/tty/ldisc.c against a fake terminal that
 * records what would appear on the screen and which signals were asked
 * for. Expected echoes follow what Linux's n_tty prints.
 */
#include <asm/signal.h>
#include <tern/kmem.h>
#include <tern/ktest.h>
#include <tern/ldisc.h>
#include <tern/string.h>

struct fake_term {
	char screen[1024];
	size_t len;
	int signals[8];
	int nr_signals;
};

static void fake_output(void *ctx, const char *buf, size_t len)
{
	struct fake_term *ft = ctx;

	for (size_t i = 0; i < len && ft->len < sizeof(ft->screen) - 1; i++)
		ft->screen[ft->len++] = buf[i];
	ft->screen[ft->len] = 0;
}

static void fake_signal(void *ctx, int sig)
{
	struct fake_term *ft = ctx;

	if (ft->nr_signals < 8)
		ft->signals[ft->nr_signals++] = sig;
}

static const struct ldisc_ops fake_ops = {.output = fake_output, .signal = fake_signal};

/* A discipline with Linux's default termios; freed by the caller. */
static struct ldisc *make(struct fake_term *ft)
{
	struct ldisc *ld = kmalloc(sizeof(*ld));

	memset(ft, 0, sizeof(*ft));
	if (ld)
		ldisc_init(ld, &ldisc_default_termios, &fake_ops, ft);
	return ld;
}

static void type(struct ldisc *ld, const char *s)
{
	ldisc_receive(ld, s, strlen(s));
}

/* Reads what is there into a NUL-terminated string; returns its length. */
static size_t take(struct ldisc *ld, char *buf, size_t size, bool *eof)
{
	size_t n = ldisc_read(ld, buf, size - 1, eof);

	buf[n] = 0;
	return n;
}

static void set_lflag(struct ldisc *ld, tcflag_t on, tcflag_t off)
{
	struct termios tio = ld->termios;

	tio.c_lflag = (tio.c_lflag | on) & ~off;
	ldisc_set_termios(ld, &tio);
}

KTEST(ldisc, test_canonical_line_is_held_until_newline)
{
	struct fake_term ft;
	struct ldisc *ld = make(&ft);
	char buf[64];
	bool eof;

	KASSERT(ld != NULL);
	type(ld, "ls -l");
	KEXPECT(!ldisc_can_read(ld));
	KEXPECT_EQ(take(ld, buf, sizeof(buf), &eof), 0);
	type(ld, "\r");
	KEXPECT(ldisc_can_read(ld));
	KEXPECT_EQ(ldisc_readable(ld), 6);
	KEXPECT_EQ(take(ld, buf, sizeof(buf), &eof), 6);
	KEXPECT(!strcmp(buf, "ls -l\n"));
	KEXPECT(!strcmp(ft.screen, "ls -l\r\n")); /* echoed, NL as CR-NL */
	kfree(ld);
}

KTEST(ldisc, test_canonical_read_returns_one_line_at_a_time)
{
	struct fake_term ft;
	struct ldisc *ld = make(&ft);
	char buf[64];
	bool eof;

	KASSERT(ld != NULL);
	type(ld, "one\ntwo\nthr");
	KEXPECT_EQ(take(ld, buf, sizeof(buf), &eof), 4);
	KEXPECT(!strcmp(buf, "one\n"));
	KEXPECT_EQ(take(ld, buf, 3, &eof), 2); /* a short buffer takes part of a line */
	KEXPECT(!strcmp(buf, "tw"));
	KEXPECT_EQ(take(ld, buf, sizeof(buf), &eof), 2);
	KEXPECT(!strcmp(buf, "o\n"));
	KEXPECT_EQ(take(ld, buf, sizeof(buf), &eof), 0);
	KEXPECT(!eof);
	kfree(ld);
}

KTEST(ldisc, test_erase_kill_and_word_erase)
{
	struct fake_term ft;
	struct ldisc *ld = make(&ft);
	char buf[64];
	bool eof;

	KASSERT(ld != NULL);
	type(ld, "helo\177lo\n");
	KEXPECT_EQ(take(ld, buf, sizeof(buf), &eof), 6);
	KEXPECT(!strcmp(buf, "hello\n"));
	KEXPECT(!strcmp(ft.screen, "helo\b \blo\r\n"));
	type(ld, "junk\025ok\n"); /* ^U kills the line */
	KEXPECT_EQ(take(ld, buf, sizeof(buf), &eof), 3);
	KEXPECT(!strcmp(buf, "ok\n"));
	type(ld, "cat foo.c \027bar\n"); /* ^W: the space, then "c", stops at "." */
	take(ld, buf, sizeof(buf), &eof);
	KEXPECT(!strcmp(buf, "cat foo.bar\n"));
	type(ld, "\177\177x\n"); /* erasing past the line start does nothing */
	take(ld, buf, sizeof(buf), &eof);
	KEXPECT(!strcmp(buf, "x\n"));
	kfree(ld);
}

KTEST(ldisc, test_erase_takes_back_control_echo_and_tabs)
{
	struct fake_term ft;
	struct ldisc *ld = make(&ft);
	char buf[64];
	bool eof;

	KASSERT(ld != NULL);
	type(ld, "a\001\177");
	KEXPECT(!strcmp(ft.screen, "a^A\b \b\b \b"));
	ft.len = 0;
	type(ld, "\tb\177\177");
	KEXPECT(!strcmp(ft.screen, "\tb\b \b\b\b\b\b\b\b\b")); /* tab from column 1: 7 back */
	type(ld, "\n");
	take(ld, buf, sizeof(buf), &eof);
	KEXPECT(!strcmp(buf, "a\n"));
	kfree(ld);
}

KTEST(ldisc, test_eof_key_at_line_start_reads_as_end_of_file)
{
	struct fake_term ft;
	struct ldisc *ld = make(&ft);
	char buf[64];
	bool eof;

	KASSERT(ld != NULL);
	type(ld, "\004");
	KEXPECT(ldisc_can_read(ld));
	KEXPECT_EQ(take(ld, buf, sizeof(buf), &eof), 0);
	KEXPECT(eof);
	KEXPECT(!ldisc_can_read(ld));
	type(ld, "abc\004"); /* mid-line: pushes the line without a newline */
	KEXPECT_EQ(take(ld, buf, sizeof(buf), &eof), 3);
	KEXPECT(!eof);
	KEXPECT(!strcmp(buf, "abc"));
	KEXPECT_EQ(ft.len, 3); /* EOF is not echoed */
	kfree(ld);
}

KTEST(ldisc, test_signal_keys_flush_and_echo)
{
	struct fake_term ft;
	struct ldisc *ld = make(&ft);
	char buf[64];
	bool eof;

	KASSERT(ld != NULL);
	type(ld, "done\npartial\003");
	KEXPECT_EQ(ft.nr_signals, 1);
	KEXPECT_EQ(ft.signals[0], SIGINT);
	KEXPECT(!ldisc_can_read(ld)); /* the whole input was flushed */
	KEXPECT(!strcmp(ft.screen + ft.len - 9, "partial^C"));
	type(ld, "\034\032");
	KEXPECT_EQ(ft.nr_signals, 3);
	KEXPECT_EQ(ft.signals[1], SIGQUIT);
	KEXPECT_EQ(ft.signals[2], SIGTSTP);
	set_lflag(ld, NOFLSH, 0);
	type(ld, "keep\n\003");
	KEXPECT_EQ(take(ld, buf, sizeof(buf), &eof), 5);
	set_lflag(ld, 0, ISIG);
	type(ld, "\003\n");
	KEXPECT_EQ(ft.nr_signals, 4);
	KEXPECT_EQ(take(ld, buf, sizeof(buf), &eof), 2);
	KEXPECT_EQ(buf[0], 3);
	kfree(ld);
}

KTEST(ldisc, test_raw_mode_passes_bytes_through)
{
	struct fake_term ft;
	struct ldisc *ld = make(&ft);
	char buf[64];
	bool eof;

	KASSERT(ld != NULL);
	set_lflag(ld, 0, ICANON | ECHO);
	type(ld, "a\177\025b\r");
	KEXPECT_EQ(ldisc_readable(ld), 5);
	KEXPECT_EQ(take(ld, buf, 3, &eof), 2);
	KEXPECT(!memcmp(buf, "a\177", 2));
	KEXPECT_EQ(take(ld, buf, sizeof(buf), &eof), 3);
	KEXPECT(!memcmp(buf, "\025b\n", 3)); /* ICRNL still applies */
	KEXPECT_EQ(ft.len, 0);
	kfree(ld);
}

KTEST(ldisc, test_switching_modes_keeps_pending_input)
{
	struct fake_term ft;
	struct ldisc *ld = make(&ft);
	char buf[64];
	bool eof;

	KASSERT(ld != NULL);
	type(ld, "half");
	set_lflag(ld, 0, ICANON);
	KEXPECT_EQ(ldisc_readable(ld), 4);
	type(ld, "xy");
	set_lflag(ld, ICANON, 0);
	KEXPECT_EQ(take(ld, buf, sizeof(buf), &eof), 6);
	KEXPECT(!strcmp(buf, "halfxy"));
	kfree(ld);
}

KTEST(ldisc, test_input_mapping_and_literal_next)
{
	struct fake_term ft;
	struct ldisc *ld = make(&ft);
	struct termios tio;
	char buf[64];
	bool eof;

	KASSERT(ld != NULL);
	type(ld, "\026\003\026\177\n"); /* ^V^C and ^V DEL are literal */
	KEXPECT_EQ(ft.nr_signals, 0);
	KEXPECT_EQ(take(ld, buf, sizeof(buf), &eof), 3);
	KEXPECT(!memcmp(buf, "\003\177\n", 3));
	tio = ld->termios;
	tio.c_iflag = (tio.c_iflag & ~ICRNL) | IGNCR;
	ldisc_set_termios(ld, &tio);
	type(ld, "a\rb\n");
	take(ld, buf, sizeof(buf), &eof);
	KEXPECT(!strcmp(buf, "ab\n"));
	tio.c_iflag = (tio.c_iflag & ~IGNCR) | INLCR;
	tio.c_cc[VEOL] = ';';
	ldisc_set_termios(ld, &tio);
	type(ld, "x\ny;z");
	KEXPECT_EQ(take(ld, buf, sizeof(buf), &eof), 4); /* NL became CR; ';' ends the line */
	KEXPECT(!memcmp(buf, "x\ry;", 4));
	kfree(ld);
}

KTEST(ldisc, test_flow_control_keys)
{
	struct fake_term ft;
	struct ldisc *ld = make(&ft);

	KASSERT(ld != NULL);
	type(ld, "\023");
	KEXPECT(ld->stopped);
	type(ld, "\021");
	KEXPECT(!ld->stopped);
	KEXPECT_EQ(ld->len, 0);
	kfree(ld);
}

KTEST(ldisc, test_output_processing)
{
	struct fake_term ft;
	struct ldisc *ld = make(&ft);
	struct termios tio;

	KASSERT(ld != NULL);
	ldisc_write(ld, "a\nb", 3);
	KEXPECT(!strcmp(ft.screen, "a\r\nb"));
	tio = ld->termios;
	tio.c_oflag |= XTABS;
	ldisc_set_termios(ld, &tio);
	ft.len = 0;
	ldisc_write(ld, "\tx", 2); /* from column 1 */
	KEXPECT(!strcmp(ft.screen, "       x"));
	tio.c_oflag &= ~OPOST;
	ldisc_set_termios(ld, &tio);
	ft.len = 0;
	ldisc_write(ld, "\n", 1);
	KEXPECT(!strcmp(ft.screen, "\n"));
	kfree(ld);
}

KTEST(ldisc, test_full_buffer_keeps_room_for_newline)
{
	struct fake_term ft;
	struct ldisc *ld = make(&ft);
	char *buf = kmalloc(LDISC_BUF_SIZE + 1);
	bool eof;

	KASSERT(ld != NULL && buf != NULL);
	set_lflag(ld, 0, ECHO);
	for (int i = 0; i < LDISC_BUF_SIZE + 100; i++)
		type(ld, "x");
	KEXPECT_EQ(ld->len, LDISC_BUF_SIZE - 1);
	type(ld, "\n");
	KEXPECT_EQ(ldisc_read(ld, buf, LDISC_BUF_SIZE + 1, &eof), LDISC_BUF_SIZE);
	KEXPECT_EQ(buf[LDISC_BUF_SIZE - 1], '\n');
	kfree(buf);
	kfree(ld);
}

KTEST(ldisc, test_receive_room_is_what_the_buffer_has_left)
{
	struct fake_term ft;
	struct ldisc *ld = make(&ft);
	static char fill[LDISC_BUF_SIZE];
	char buf[128];
	bool eof;

	KASSERT(ld != NULL);
	memset(fill, 'a', sizeof(fill));
	set_lflag(ld, 0, ICANON | ECHO);
	KEXPECT_EQ(ldisc_receive_room(ld), LDISC_BUF_SIZE - 1);
	ldisc_receive(ld, fill, 1000);
	KEXPECT_EQ(ldisc_receive_room(ld), LDISC_BUF_SIZE - 1 - 1000);
	ldisc_receive(ld, fill, LDISC_BUF_SIZE);
	KEXPECT_EQ(ldisc_receive_room(ld), 0);
	KEXPECT_EQ(ldisc_read(ld, buf, 100, &eof), 100);
	KEXPECT_EQ(ldisc_receive_room(ld), LDISC_BUF_SIZE - 1 - ldisc_readable(ld));
	KEXPECT(ldisc_receive_room(ld) >= 99);
	ldisc_flush_input(ld);
	/* A canonical line that fills the buffer still takes one key at a time. */
	set_lflag(ld, ICANON, 0);
	ldisc_receive(ld, fill, LDISC_BUF_SIZE);
	KEXPECT(!ldisc_can_read(ld));
	KEXPECT_EQ(ldisc_receive_room(ld), 1);
	type(ld, "\n");
	KEXPECT(ldisc_can_read(ld));
	KEXPECT_EQ(ldisc_receive_room(ld), 0); /* a whole line waits for its reader */
	kfree(ld);
}
