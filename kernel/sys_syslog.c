// SPDX-License-Identifier: MIT
/*
 * syslog(2) (glibc's klogctl; busybox dmesg reads the log with it) over
 * the kernel log ring (kernel/printk.c): messages come out as Linux's do,
 * "<level>[seconds.micros] text" per line. Tern behaves as a Linux built
 * with SECURITY_DMESG_RESTRICT (as Debian's kernels are): every action
 * needs CAP_SYSLOG (or CAP_SYS_ADMIN).
 */
#include <linux/capability.h>
#include <tern/errno.h>
#include <tern/kmem.h>
#include <tern/printk.h>
#include <tern/proc.h>
#include <tern/signal.h>
#include <tern/sys.h>
#include <tern/syscall.h>
#include <tern/time.h>

/* ABI: SYSLOG_ACTION_* (include/linux/syslog.h, not exported to user space). */
enum {
	SYSLOG_ACTION_CLOSE = 0,
	SYSLOG_ACTION_OPEN = 1,
	SYSLOG_ACTION_READ = 2,
	SYSLOG_ACTION_READ_ALL = 3,
	SYSLOG_ACTION_READ_CLEAR = 4,
	SYSLOG_ACTION_CLEAR = 5,
	SYSLOG_ACTION_CONSOLE_OFF = 6,
	SYSLOG_ACTION_CONSOLE_ON = 7,
	SYSLOG_ACTION_CONSOLE_LEVEL = 8,
	SYSLOG_ACTION_SIZE_UNREAD = 9,
	SYSLOG_ACTION_SIZE_BUFFER = 10,
};

#define MIN_CONSOLE_LEVEL 1 /* minimum_console_loglevel */
#define READ_POLL_NS 20000000ULL

static int saved_console_level = -1; /* what CONSOLE_ON restores */

/* Hands a kernel copy of the log to user space: the count, or -EFAULT. */
static long copy_out(void *ubuf, const char *kbuf, size_t n)
{
	return copy_to_user(ubuf, kbuf, n) ? -EFAULT : (long)n;
}

/* ABI: SYSLOG_ACTION_READ waits for unread text (interruptibly), then consumes it. */
static long read_unread(void *ubuf, size_t len, char *kbuf)
{
	size_t n;

	while ((n = printk_log_unread(NULL, 0)) == 0) {
		if (signal_sleep_until(clock_monotonic_ns() + READ_POLL_NS) == -EINTR)
			return -ERESTARTSYS;
	}
	n = printk_log_unread(kbuf, len);
	return copy_out(ubuf, kbuf, n);
}

static long do_syslog(int type, void *ubuf, int len)
{
	char *kbuf;
	long ret;

	switch (type) {
	case SYSLOG_ACTION_CLOSE:
	case SYSLOG_ACTION_OPEN:
		return 0;
	case SYSLOG_ACTION_READ:
	case SYSLOG_ACTION_READ_ALL:
	case SYSLOG_ACTION_READ_CLEAR:
		if (!ubuf || len < 0)
			return -EINVAL;
		if (!len)
			return 0;
		if (!user_range_ok(ubuf, (size_t)len))
			return -EFAULT;
		len = MIN(len, PRINTK_LOG_BYTES);
		kbuf = kmalloc((size_t)len);
		if (!kbuf)
			return -ENOMEM;
		if (type == SYSLOG_ACTION_READ)
			ret = read_unread(ubuf, (size_t)len, kbuf);
		else
			ret = copy_out(ubuf, kbuf,
				       printk_log_newest(kbuf, (size_t)len,
							 type == SYSLOG_ACTION_READ_CLEAR));
		kfree(kbuf);
		return ret;
	case SYSLOG_ACTION_CLEAR:
		printk_log_clear();
		return 0;
	case SYSLOG_ACTION_CONSOLE_OFF:
		if (saved_console_level < 0)
			saved_console_level = printk_console_level();
		printk_set_console_level(MIN_CONSOLE_LEVEL);
		return 0;
	case SYSLOG_ACTION_CONSOLE_ON:
		if (saved_console_level >= 0) {
			printk_set_console_level(saved_console_level);
			saved_console_level = -1;
		}
		return 0;
	case SYSLOG_ACTION_CONSOLE_LEVEL:
		if (len < 1 || len > 8)
			return -EINVAL;
		printk_set_console_level(MAX(len, MIN_CONSOLE_LEVEL));
		saved_console_level = -1; /* an explicit level ends CONSOLE_OFF */
		return 0;
	case SYSLOG_ACTION_SIZE_UNREAD:
		return (long)printk_log_unread(NULL, 0);
	case SYSLOG_ACTION_SIZE_BUFFER:
		return PRINTK_LOG_BYTES;
	default:
		return -EINVAL;
	}
}

/* syslog(2): ABI: check_syslog_permissions comes before anything else. */
long sys_syslog(const unsigned long args[6])
{
	const struct cred *c = current_cred();

	if (!proc_cred_has_cap(c, CAP_SYSLOG) && !proc_cred_has_cap(c, CAP_SYS_ADMIN))
		return -EPERM;
	return do_syslog((int)args[0], (void *)args[1], (int)args[2]);
}
