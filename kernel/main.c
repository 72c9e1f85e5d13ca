// SPDX-License-Identifier: MIT
/*
 * kmain: the order in which Tern comes up, from the PVH entry
 * (arch/x86_64/boot.S) to the banner, then either the in-kernel
 * self-tests (ktest=) or the interactive kernel console.
 */
#include <tern/arch.h>
#include <tern/base.h>
#include <tern/boot.h>
#include <tern/cmdline.h>
#include <tern/kernel.h>
#include <tern/files.h>
#include <tern/ktest.h>
#include <tern/printk.h>
#include <tern/sched.h>
#include <tern/serial.h>
#include <tern/string.h>
#include <tern/syscall.h>
#include <tern/time.h>

struct cmdline kernel_cmdline;
uint64_t boot_banner_ns;

const char *init_path = "/init";

/*
 * ABI: Linux's names. console= may only name the one console there is,
 * the first serial port; init=/rdinit= choose the first user program
 * (rdinit= wins for an initramfs, as in Linux's init/main.c).
 */
static void apply_options(void)
{
	uint64_t level;
	const char *console = cmdline_get(&kernel_cmdline, "console");
	const char *init = cmdline_get(&kernel_cmdline, "init");
	const char *rdinit = cmdline_get(&kernel_cmdline, "rdinit");

	syscall_trace = cmdline_has_key(&kernel_cmdline, "strace");
	if (console && strncmp(console, "ttyS0", 5) != 0)
		pr_warn("console=%s: no such console; using ttyS0\n", console);
	if (init && init[0])
		init_path = init;
	if (rdinit && rdinit[0])
		init_path = rdinit;

	if (cmdline_has_key(&kernel_cmdline, "quiet"))
		printk_set_console_level(4);
	if (cmdline_get_u64(&kernel_cmdline, "loglevel", &level) == 0 && level <= 15)
		printk_set_console_level((int)level + 1);
}

static void print_banner(void)
{
	uint64_t ram = boot_ram_bytes(&boot_info);

	boot_banner_ns = clock_monotonic_ns();
	klog(LOG_NOTICE, "Tern %s (%s) x86_64\n", TERN_VERSION, TERN_GIT_REV);
	klog(LOG_NOTICE, "Memory: %llu MiB RAM, %llu MiB free\n", (unsigned long long)(ram >> 20),
	     (unsigned long long)(mm_free_bytes() >> 20));
	klog(LOG_NOTICE, "Command line: %s\n", boot_info.cmdline);
	klog(LOG_INFO, "Init program: %s; initramfs: %llu KiB\n", init_path,
	     (unsigned long long)(boot_info.initrd_size >> 10));
	klog(LOG_NOTICE, "Boot: %llu.%03llu ms from kernel entry to banner\n",
	     (unsigned long long)(boot_banner_ns / 1000000),
	     (unsigned long long)(boot_banner_ns / 1000 % 1000));
}

static int ktest_thread(void *arg)
{
	const char *filter = arg;
	int nr_passed = 0;
	int nr_failed = 0;

	if (files_boot() != 0)
		panic("cannot make the root file system\n");
	ktest_run_all(filter, &nr_passed, &nr_failed);
	arch_exit_vm(nr_failed ? 1 : 0);
}

static void start_thread(const char *name, int (*fn)(void *), void *arg)
{
	struct task *t;

	if (kthread_create(name, fn, arg, &t) != 0)
		panic("cannot start %s\n", name);
}

void kmain(uint64_t start_info_pa);
void kmain(uint64_t start_info_pa)
{
	serial_early_init();
	pvh_parse(start_info_pa);
	if (cmdline_parse(&kernel_cmdline, boot_info.cmdline) != 0)
		pr_warn("cmdline: too long or malformed; ignoring it\n");
	apply_options();
	arch_init(&boot_info);
	time_init();
	sched_init();
	arch_irq_enable();
	serial_start_irq();
	print_banner();

	const char *fault = cmdline_get(&kernel_cmdline, "ktest_fault");
	const char *filter = cmdline_get(&kernel_cmdline, "ktest");
	if (fault)
		ktest_fault(fault);
	else if (filter)
		start_thread("ktest", ktest_thread, (void *)filter);
	else
		start_thread("init", init_thread, NULL);
	sched_run_idle();
}
