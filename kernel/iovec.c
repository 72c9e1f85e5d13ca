// SPDX-License-Identifier: MIT
/*
 * Reading a user iovec array for the vectored syscalls (<tern/iovec.h>),
 * as Linux's import_iovec (lib/iov_iter.c) does. The syscalls that use
 * it are in sys_fd.c (readv, writev) and sys_copy.c (vmsplice).
 */
#include <tern/base.h>
#include <tern/errno.h>
#include <tern/iovec.h>
#include <tern/syscall.h>

/* ABI: iovec_from_user checks every length before __import_iovec checks any address. */
static int check_segments(struct iovec *iov, unsigned long nr_segs, size_t *total)
{
	size_t sum = 0;

	for (unsigned long i = 0; i < nr_segs; i++)
		if ((int64_t)iov[i].iov_len < 0)
			return -EINVAL;
	for (unsigned long i = 0; i < nr_segs; i++) {
		if (!user_range_ok(iov[i].iov_base, iov[i].iov_len))
			return -EFAULT;
		iov[i].iov_len = MIN(iov[i].iov_len, MAX_RW_COUNT - sum);
		sum += iov[i].iov_len;
	}
	*total = sum;
	return 0;
}

int iovec_import(const struct iovec *uiov, unsigned long nr_segs, struct iovec *fast,
		 struct iovec **iov, size_t *total)
{
	struct iovec *v = fast;
	int err;

	*iov = fast;
	if (nr_segs > UIO_MAXIOV)
		return -EINVAL;
	if (nr_segs > UIO_FASTIOV && !(v = kmalloc(nr_segs * sizeof(*v))))
		return -ENOMEM;
	err = copy_from_user(v, uiov, nr_segs * sizeof(*v)) ? -EFAULT
							    : check_segments(v, nr_segs, total);
	if (err) {
		iovec_free(v, fast);
		return err;
	}
	*iov = v;
	return 0;
}

void iovec_free(struct iovec *iov, const struct iovec *fast)
{
	if (iov != fast)
		kfree(iov);
}
