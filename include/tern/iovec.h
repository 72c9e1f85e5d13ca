/* SPDX-License-Identifier: MIT */
/*
 * User iovec arrays (Linux's import_iovec): the one way syscall glue
 * reads and checks the struct iovec array of readv, writev, their
 * positional forms and vmsplice. The code is kernel/iovec.c.
 */
#pragma once

#include <linux/uio.h>
#include <tern/types.h>

#define MAX_RW_COUNT ((size_t)(0x7fffffff & ~(PAGE_SIZE - 1)))

/*
 * Copies nr_segs iovecs from uiov and checks them in Linux's order:
 * EINVAL past UIO_MAXIOV, EFAULT if the array cannot be read, EINVAL for
 * a negative length, EFAULT for a segment outside user space. Lengths
 * past MAX_RW_COUNT in all are cut. *iov is fast (the caller's array of
 * UIO_FASTIOV) when they fit there, else an allocation iovec_free frees.
 * 0 with the total bytes in *total, or -errno (-ENOMEM).
 */
int iovec_import(const struct iovec *uiov, unsigned long nr_segs, struct iovec *fast,
		 struct iovec **iov, size_t *total) __must_check;
/* Frees what iovec_import allocated, if anything. */
void iovec_free(struct iovec *iov, const struct iovec *fast);
