// SPDX-License-Identifier: MIT
/*
 * Starting the first user program, as Linux's kernel_init does: the
 * thread becomes pid 1 and execs init= / rdinit= (default /init) from
 * the initramfs. Without one, the kernel console runs.
 */
#include <tern/base.h>
#include <tern/exec.h>
#include <tern/files.h>
#include <tern/kernel.h>
#include <tern/proc.h>
#include <tern/string.h>

int init_thread(void *arg)
{
	char *argv[] = {(char *)init_path, NULL};
	char *envp[] = {"HOME=/", "TERM=linux", NULL};
	(void)arg;
	if (files_boot() != 0)
		panic("cannot make the root file system\n");
	if (!files_boot_has_file(init_path)) {
		pr_info("init: no %s in the initramfs; starting the kernel console\n", init_path);
		return kconsole_thread(NULL);
	}
	int err = proc_init_first();
	if (!err)
		err = exec_init(init_path, argv, envp);
	panic("Requested init %s failed (error %d)\n", init_path, err);
}
