// SPDX-License-Identifier: MIT
/*
 * The serial port as a terminal: /dev/ttyS0 (4:64) and /dev/console
 * (5:1) are one tty whose output goes to the UART and whose input a
 * kernel thread feeds from the UART's receive ring, started when the
 * terminal is first opened (until then the kernel console may read it).
 * /dev/console never becomes a controlling terminal, as on Linux.
 */
#include <tern/errno.h>
#include <tern/kernel.h>
#include <tern/serial.h>
#include <tern/tty.h>

static struct tty serial_tty;
static bool rx_started; /* serial_tty.lock */

static void serial_output(struct tty *tty, const char *buf, size_t len)
{
	(void)tty;
	serial_write_raw(buf, len);
}

static const struct tty_driver_ops serial_ops = {.output = serial_output};

/* Moves received bytes into the line discipline, a burst at a time. */
static int rx_thread(void *arg)
{
	char buf[64];

	(void)arg;
	for (;;) {
		size_t n = 0;
		buf[n++] = (char)serial_read_byte();
		int c;
		while (n < sizeof(buf) && (c = serial_try_read_byte()) >= 0)
			buf[n++] = (char)c;
		tty_receive(&serial_tty, buf, n);
	}
	return 0;
}

static int serial_open(struct file *file, bool may_become_ctty)
{
	struct task *t;
	int err = 0;

	mutex_lock(&serial_tty.lock);
	if (!rx_started) {
		err = kthread_create("ttyS0-rx", rx_thread, NULL, &t);
		rx_started = !err;
	}
	mutex_unlock(&serial_tty.lock);
	return err ? err : tty_open_file(&serial_tty, file, may_become_ctty);
}

static int console_open(struct inode *inode, struct file *file)
{
	(void)inode;
	return serial_open(file, false);
}

static int ttys_open(struct inode *inode, struct file *file)
{
	(void)inode;
	return serial_open(file, true);
}

/* tty_file_ops with each device's open; filled in at registration. */
static struct file_ops console_file_ops;
static struct file_ops ttys_file_ops;

int serial_tty_register(struct vfs *vfs)
{
	tty_init(&serial_tty, "ttyS0", &serial_ops, NULL);
	console_file_ops = tty_file_ops;
	console_file_ops.open = console_open;
	ttys_file_ops = tty_file_ops;
	ttys_file_ops.open = ttys_open;
	int err = vfs_register_chrdev(vfs, 5, 1, 1, &console_file_ops);
	if (!err)
		err = vfs_register_chrdev(vfs, 4, 64, 1, &ttys_file_ops);
	return err;
}
