// SPDX-License-Identifier: MIT
/*
 * The kernel console: until user space exists, `make run` lands here.
 * It reads a line from the serial port with echo and simple editing
 * (backspace, ^U, ^C) and runs a few built-in commands.
 */
#include <tern/arch.h>
#include <tern/base.h>
#include <tern/kernel.h>
#include <tern/printk.h>
#include <tern/sched.h>
#include <tern/serial.h>
#include <tern/string.h>
#include <tern/time.h>

#define LINE_MAX 128

static void read_line(char *line, size_t size)
{
	size_t len = 0;

	for (;;) {
		int c = serial_read_byte();
		if (c == '\r' || c == '\n') {
			console_print("\n");
			break;
		}
		if ((c == 0x7f || c == 0x08) && len > 0) {
			len--;
			console_print("\b \b");
		} else if (c == 0x15) { /* ^U */
			while (len > 0) {
				len--;
				console_print("\b \b");
			}
		} else if (c == 0x03) { /* ^C */
			console_print("^C\n");
			len = 0;
			break;
		} else if (c >= 0x20 && c < 0x7f && len + 1 < size) {
			line[len++] = (char)c;
			console_print("%c", c);
		}
	}
	line[len] = '\0';
}

static void cmd_uptime(void)
{
	uint64_t ns = clock_monotonic_ns();

	console_print("up %llu.%03llu s\n", (unsigned long long)(ns / 1000000000),
		      (unsigned long long)(ns / 1000000 % 1000));
}

static void cmd_date(void)
{
	struct calendar_time ct;

	unix_to_calendar((int64_t)(clock_realtime_ns() / 1000000000), &ct);
	console_print("%04d-%02d-%02d %02d:%02d:%02d UTC\n", ct.year, ct.month, ct.day, ct.hour,
		      ct.minute, ct.second);
}

static void cmd_dmesg(void)
{
	static char buf[16384];
	size_t n = printk_read_log(buf, sizeof(buf));

	serial_write(buf, n);
}

static void run_command(const char *line)
{
	if (strcmp(line, "") == 0)
		return;
	if (strcmp(line, "help") == 0)
		console_print("commands: help uptime date mem tasks dmesg poweroff\n");
	else if (strcmp(line, "uptime") == 0)
		cmd_uptime();
	else if (strcmp(line, "date") == 0)
		cmd_date();
	else if (strcmp(line, "mem") == 0)
		console_print("%llu KiB free of %llu KiB\n",
			      (unsigned long long)(mm_free_bytes() >> 10),
			      (unsigned long long)(mm_total_bytes() >> 10));
	else if (strcmp(line, "tasks") == 0)
		sched_dump_tasks();
	else if (strcmp(line, "dmesg") == 0)
		cmd_dmesg();
	else if (strcmp(line, "poweroff") == 0)
		arch_power_off();
	else
		console_print("%s: unknown command (try help)\n", line);
}

int kconsole_thread(void *arg)
{
	char line[LINE_MAX];

	(void)arg;
	console_print("Tern kernel console. Type 'help'; Ctrl-A x leaves QEMU.\n");
	for (;;) {
		console_print("tern> ");
		read_line(line, sizeof(line));
		run_command(line);
	}
}
