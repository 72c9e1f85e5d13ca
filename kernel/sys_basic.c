// SPDX-License-Identifier: MIT
/*
 * The first syscalls a user program needs. Until the file table exists
 * (the files issue), descriptors 1 and 2 are the console and every other
 * descriptor is -EBADF; exit ends the calling thread.
 */
#include <linux/uio.h>
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

long sys_getpid(const unsigned long args[6])
{
	(void)args;
	return current_task()->id;
}

long sys_gettid(const unsigned long args[6])
{
	(void)args;
	return current_task()->id;
}

long sys_exit(const unsigned long args[6])
{
	kthread_exit((int)(args[0] & 0xff));
}

long sys_exit_group(const unsigned long args[6])
{
	kthread_exit((int)(args[0] & 0xff));
}
