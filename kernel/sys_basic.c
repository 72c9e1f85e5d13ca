// SPDX-License-Identifier: MIT
/*
 * The first syscalls a user program needs. Until the file table exists
 * (the files issue), descriptors 1 and 2 are the console and every other
 * descriptor is -EBADF; exit ends the calling thread.
 */
#include <asm/prctl.h>
#include <linux/reboot.h>
#include <linux/uio.h>
#include <tern/arch.h>
#include <tern/base.h>
#include <tern/errno.h>
#include <tern/sched.h>
#include <tern/serial.h>
#include <tern/sys.h>

#define CHUNK 256

static bool is_console_fd(unsigned long fd)
{
	return fd == 1 || fd == 2;
}

/* write(2): copies through a bounce buffer so a bad page mid-way is -EFAULT. */
static long console_write_user(const void *ubuf, size_t len)
{
	char buf[CHUNK];
	size_t done = 0;

	while (done < len) {
		size_t n = MIN(len - done, sizeof(buf));
		if (copy_from_user(buf, (const char *)ubuf + done, n) != 0)
			return done ? (long)done : -EFAULT;
		serial_write(buf, n);
		done += n;
	}
	return (long)done;
}

long sys_write(const unsigned long args[6])
{
	if (!is_console_fd(args[0]))
		return -EBADF;
	if ((long)args[2] < 0)
		return -EINVAL;
	return console_write_user((const void *)args[1], args[2]);
}

/* writev(2): IOV_MAX iovecs at most, total length capped like Linux's. */
long sys_writev(const unsigned long args[6])
{
	const struct iovec *uiov = (const struct iovec *)args[1];
	unsigned long count = args[2];
	long total = 0;

	if (!is_console_fd(args[0]))
		return -EBADF;
	if (count > UIO_MAXIOV)
		return -EINVAL;
	for (unsigned long i = 0; i < count; i++) {
		struct iovec iov;
		if (copy_from_user(&iov, &uiov[i], sizeof(iov)) != 0)
			return total ? total : -EFAULT;
		if ((long)iov.iov_len < 0)
			return -EINVAL;
		long n = console_write_user(iov.iov_base, iov.iov_len);
		if (n < 0)
			return total ? total : n;
		total += n;
	}
	return total;
}

/* arch_prctl(2): only the FS base so far, which libc start-up needs for TLS. */
long sys_arch_prctl(const unsigned long args[6])
{
	switch (args[0]) {
	case ARCH_SET_FS:
		return arch_set_user_fs(args[1]);
	case ARCH_GET_FS:
		return copy_to_user((void *)args[1], &current_task()->fs_base, 8);
	default:
		return -EINVAL;
	}
}

/* ioctl(2): no descriptor is a terminal until the tty layer exists. */
long sys_ioctl(const unsigned long args[6])
{
	if (!is_console_fd(args[0]) && args[0] != 0)
		return -EBADF;
	return -ENOTTY;
}

/* reboot(2): the magic numbers and commands of <linux/reboot.h>. */
long sys_reboot(const unsigned long args[6])
{
	if (args[0] != LINUX_REBOOT_MAGIC1 ||
	    (args[1] != LINUX_REBOOT_MAGIC2 && args[1] != LINUX_REBOOT_MAGIC2A &&
	     args[1] != LINUX_REBOOT_MAGIC2B && args[1] != LINUX_REBOOT_MAGIC2C))
		return -EINVAL;
	switch (args[2]) {
	case LINUX_REBOOT_CMD_POWER_OFF:
	case LINUX_REBOOT_CMD_HALT:
		pr_notice("reboot: Power down\n");
		arch_power_off();
		return -EIO;
	case LINUX_REBOOT_CMD_RESTART:
		pr_notice("reboot: Restarting system\n");
		arch_exit_vm(0);
	case LINUX_REBOOT_CMD_CAD_ON:
	case LINUX_REBOOT_CMD_CAD_OFF:
		return 0;
	default:
		return -EINVAL;
	}
}
