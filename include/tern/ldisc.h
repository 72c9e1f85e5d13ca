/* SPDX-License-Identifier: MIT */
/*
 * The terminal line discipline (drivers/tty/ldisc.c), Linux's N_TTY:
 * input processing (CR/NL mapping, signal keys, flow control, literal
 * next), canonical line editing with echo (erase, word-erase, kill,
 * reprint, end-of-file) or raw input, and output post-processing
 * (NL to CR-NL, tab expansion). It only buffers and transforms bytes:
 * the tty layer decides who may read, sleeps, and delivers the signals
 * the discipline asks for. Portable: host-tested with a fake terminal.
 *
 * Not locked: the tty layer serializes every call.
 */
#pragma once

#include <asm/termbits.h>
#include <tern/types.h>

#define LDISC_BUF_SIZE 4096 /* Linux's N_TTY_BUF_SIZE */

struct ldisc_ops {
	/* Bytes for the terminal (echoes and written output, post-processed). */
	void (*output)(void *ctx, const char *buf, size_t len);
	/* A signal key was typed: SIGINT, SIGQUIT or SIGTSTP for the foreground. */
	void (*signal)(void *ctx, int sig);
};

struct ldisc {
	struct termios termios;
	const struct ldisc_ops *ops;
	void *ctx;
	char buf[LDISC_BUF_SIZE];      /* input, oldest first */
	bool is_delim[LDISC_BUF_SIZE]; /* canonical: this byte ends a line */
	size_t len;		       /* bytes in buf */
	size_t committed;	       /* bytes a reader may take (complete lines) */
	bool lnext;		       /* the next byte is literal (VLNEXT) */
	bool stopped;		       /* output stopped by VSTOP (IXON) */
	uint32_t column;	       /* output column, for tabs and erasing */
	uint32_t line_column;	       /* column where the line being edited began */
};

/* A discipline with termios t (Linux's defaults: ldisc_default_termios). */
void ldisc_init(struct ldisc *ld, const struct termios *t, const struct ldisc_ops *ops, void *ctx);
/* The termios a new terminal starts with (tty_std_termios). */
extern const struct termios ldisc_default_termios;

/* Bytes that arrived from the keyboard (or a pty master). */
void ldisc_receive(struct ldisc *ld, const char *buf, size_t len);

/*
 * What read may take now: canonical mode, a whole line (or the start of
 * one that does not fit in len); raw mode, what is there. Returns the
 * count copied into buf; *eof is set when an end-of-file key at the start
 * of a line was consumed (read returns 0 then).
 */
size_t ldisc_read(struct ldisc *ld, char *buf, size_t len, bool *eof);
/*
 * Bytes the input can take now (Linux's n_tty receive_room): what is left
 * of the buffer, one byte kept back; when a canonical line has filled it,
 * still one at a time, so erase and newline keys work.
 */
size_t ldisc_receive_room(const struct ldisc *ld);
/* Bytes a read could take now (FIONREAD); in canonical mode, whole lines only. */
size_t ldisc_readable(const struct ldisc *ld);
/* True if a read would return at once (data, or an end-of-file key). */
bool ldisc_can_read(const struct ldisc *ld);

/* Output from a writer, post-processed (OPOST) and handed to ops->output. */
void ldisc_write(struct ldisc *ld, const char *buf, size_t len);

/* TCSETS: the new termios; switching to canonical mode makes pending input a line. */
void ldisc_set_termios(struct ldisc *ld, const struct termios *t);
/* TCFLSH / TCSETSF: drops unread input. */
void ldisc_flush_input(struct ldisc *ld);
