// SPDX-License-Identifier: MIT
/*
 * Odds and ends: arch_prctl and reboot.
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
