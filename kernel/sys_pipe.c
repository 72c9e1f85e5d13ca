// SPDX-License-Identifier: MIT
/*
 * pipe and pipe2: two descriptors on a new pipe (kernel/pipe.c), both
 * installed only once the caller's array took them.
 */
#include <linux/watch_queue.h>
#include <tern/anon_file.h>
#include <tern/errno.h>
#include <tern/files.h>
#include <tern/pipe.h>
#include <tern/proc.h>
#include <tern/sys.h>
#include <tern/syscall.h>

/* ABI: do_pipe2: EINVAL for unknown flags; O_NOTIFICATION_PIPE needs watch queues (ENOPKG). */
static long do_pipe2(int *ufds, unsigned int flags)
{
	struct fdtable *t = files_table();
	unsigned int limit = files_nofile_limit();
	struct file *rd, *wr;
	struct vfs_cred cred;
	int fds[2];
	int err;

	if (flags & ~(unsigned int)(O_CLOEXEC | O_NONBLOCK | O_DIRECT | O_NOTIFICATION_PIPE))
		return -EINVAL;
	if (flags & O_NOTIFICATION_PIPE)
		return -ENOPKG;
	if (!t)
		return -EMFILE;
	err = fd_reserve(t, 0, limit, &fds[0]);
	if (err)
		return err;
	err = fd_reserve(t, 0, limit, &fds[1]);
	if (err)
		goto out_fd0;
	current_vfs_cred(&cred);
	err = pipe_create_files(&cred, flags, &rd, &wr);
	if (err)
		goto out_fd1;
	if (copy_to_user(ufds, fds, sizeof(fds)) != 0) {
		file_put(rd);
		file_put(wr);
		err = -EFAULT;
		goto out_fd1;
	}
	fd_install(t, fds[0], rd, flags & O_CLOEXEC);
	fd_install(t, fds[1], wr, flags & O_CLOEXEC);
	return 0;
out_fd1:
	fd_unreserve(t, fds[1]);
out_fd0:
	fd_unreserve(t, fds[0]);
	return err;
}

/* pipe(2) */
long sys_pipe(const unsigned long args[6])
{
	return do_pipe2((int *)args[0], 0);
}

/* pipe2(2) */
long sys_pipe2(const unsigned long args[6])
{
	return do_pipe2((int *)args[0], (unsigned int)args[1]);
}
