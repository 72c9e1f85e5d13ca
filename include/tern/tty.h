/* SPDX-License-Identifier: MIT */
/*
 * Terminals (drivers/tty/): a struct tty is a line discipline
 * (<tern/ldisc.h>) between a driver (the serial port, a pty master) and
 * the processes that read and write it, with Linux's job control: the
 * session it controls, its foreground process group, SIGTTIN/SIGTTOU for
 * background access, the signal keys for the foreground, and hangup.
 *
 * Locks: T = tty->lock (a mutex). A process's controlling terminal
 * (proc->tty) is guarded by proc_lock; never take T under proc_lock.
 */
#pragma once

#include <asm/termbits.h>
#include <asm/termios.h>
#include <tern/base.h>
#include <tern/file.h>
#include <tern/ldisc.h>
#include <tern/sched.h>

struct tty;
struct proc;

struct tty_driver_ops {
	/* Bytes for the device: the discipline's post-processed output. T held. */
	void (*output)(struct tty *tty, const char *buf, size_t len);
	/* Bytes of output the device can take now; NULL means no limit. T held. */
	size_t (*write_room)(struct tty *tty);
	/* A file of the tty was closed; nr_open is already down. T not held. */
	void (*release)(struct tty *tty);
};

struct tty {
	struct mutex lock;
	struct ldisc ld;		  /* T */
	const struct tty_driver_ops *ops; /* I */
	void *driver_data;		  /* I */
	char name[16];			  /* I: "ttyS0", "pts/3" */
	struct winsize winsize;		  /* T */
	int session;			  /* T and proc_lock: sid it controls, 0 = none */
	int pgrp;			  /* T and proc_lock: foreground process group */
	bool is_hung_up;		  /* T: reads see end-of-file, writes EIO */
	bool other_closed;		  /* T: a pty whose master went away */
	uint32_t nr_open;		  /* T: open files */
	struct wait_queue read_wait;	  /* input arrived, hangup */
	struct wait_queue write_wait;	  /* output may go on */
	struct wait_queue room_wait;	  /* input room freed (a pty master's writers) */
};

/* Sets up a tty for a driver. */
void tty_init(struct tty *tty, const char *name, const struct tty_driver_ops *ops,
	      void *driver_data);

/* The file operations of every tty; file->private is the struct tty. */
extern const struct file_ops tty_file_ops;
/* For drivers' open ops: ties file to tty and applies controlling-terminal rules. */
int tty_open_file(struct tty *tty, struct file *file, bool may_become_ctty);
/*
 * Input from a pty master's write: as much as the line discipline has
 * room for, waiting for the reader to make more (unless nonblock: then
 * -EAGAIN if none went in); a signal ends it. 0 with *done > 0, or
 * -EAGAIN/-ERESTARTSYS with nothing taken.
 */
int tty_receive_paced(struct tty *tty, const char *buf, size_t len, bool nonblock, size_t *done);
/* Clears the file's seek and positional-I/O modes, as every terminal file has. */
void tty_file_nonseekable(struct file *file);

/* Input from the device (keyboard, pty master writes). Takes T. */
void tty_receive(struct tty *tty, const char *buf, size_t len);
/* The device went away (pty master closed): hangup for the session. Takes T. */
void tty_hangup(struct tty *tty);
/* Wakes writers waiting for room (pty master read). */
void tty_wake_writers(struct tty *tty);

/* A process left its session or exited as session leader (kernel/exit.c, setsid). */
void tty_session_leader_exit(struct proc *p);

/* The serial console (drivers/tty/serial.c): /dev/console and /dev/ttyS0. */
int serial_tty_register(struct vfs *vfs) __must_check;
/* /dev/tty: the caller's controlling terminal, or ENXIO. */
int ctty_register(struct vfs *vfs) __must_check;
/* Pseudo-terminals (drivers/tty/pty.c): /dev/ptmx and the /dev/pts/N slaves. */
int pty_register(struct vfs *vfs) __must_check;
/*
 * mount -t devpts: the slaves' directory, one instance, made at its first
 * mount; ms_flags are mount(2)'s, data its option string (NULL for none;
 * modified). 0, or -EINVAL for a bad option.
 */
int devpts_mount(const struct vfs_ctx *ctx, const struct path *dir, const char *name,
		 unsigned long ms_flags, char *data) __must_check;
/* Whether the path names the root of a devpts mount (following a last symlink). */
bool devpts_is_mounted_at(const struct vfs_ctx *ctx, const struct path *dir, const char *name);
/*
 * mount(2) MS_REMOUNT of a devpts, its options only (the VFS does the
 * flags): the devpts's options become the defaults plus data's (NULL for
 * none; modified). 0, or -EINVAL for a bad option, as devpts_parse_options.
 */
int devpts_remount(char *data) __must_check;

/* devpts mount options (drivers/tty/devpts_options.c). */
struct devpts_options {
	uint32_t mode;	    /* of new pts/N nodes (07777 bits) */
	uint32_t ptmx_mode; /* of pts/ptmx */
	uint32_t uid, gid;  /* owner of new pts/N nodes, when has_uid / has_gid */
	bool has_uid, has_gid;
	uint32_t max; /* pty indices stay below this */
};

/* Linux's defaults: mode 0600, ptmxmode 0000, the opener's ids, 2^20 ptys. */
extern const struct devpts_options devpts_default_options;
/*
 * Parses a mount data string (modified) into *o over the defaults: 0, or
 * -EINVAL with the options before the bad one in *o.
 */
int devpts_parse_options(char *s, struct devpts_options *o) __must_check;
