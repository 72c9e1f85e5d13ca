// SPDX-License-Identifier: MIT
/*
 * printk: every message gets a "[seconds.micros] " prefix, goes into a
 * ring buffer (for the console's dmesg command) and, if its level is
 * below the console level, to the serial console. panic() and
 * assert_fail() live here too since they end in the log.
 *
 * Locks: L = log_lock (spinlock) for the ring.
 */
#include <tern/arch.h>
#include <tern/base.h>
#include <tern/printk.h>
#include <tern/serial.h>
#include <tern/string.h>

#define LOG_RING 16384

static struct spinlock log_lock;
static char log_ring[LOG_RING]; /* L */
static uint64_t log_head;	/* L: bytes ever written */
static int console_level = 7;	/* messages below this level are printed */
static bool in_panic;

void printk_set_console_level(int level)
{
	console_level = level;
}

int printk_console_level(void)
{
	return console_level;
}

static void ring_append(const char *s, size_t len)
{
	spin_lock(&log_lock);
	for (size_t i = 0; i < len; i++)
		log_ring[log_head++ % LOG_RING] = s[i];
	spin_unlock(&log_lock);
}

size_t printk_read_log(char *buf, size_t size)
{
	size_t n = 0;

	if (!size)
		return 0;
	spin_lock(&log_lock);
	uint64_t start = log_head > LOG_RING ? log_head - LOG_RING : 0;
	if (log_head - start > size - 1)
		start = log_head - (size - 1);
	for (uint64_t i = start; i < log_head; i++)
		buf[n++] = log_ring[i % LOG_RING];
	spin_unlock(&log_lock);
	buf[n] = '\0';
	return n;
}

void klog_va(enum log_level level, const char *fmt, va_list ap)
{
	char line[512];
	uint64_t ns = clock_monotonic_ns();
	int n = ksnprintf(line, sizeof(line), "[%5llu.%06llu] ",
			  (unsigned long long)(ns / 1000000000),
			  (unsigned long long)(ns / 1000 % 1000000));
	int m = kvsnprintf(line + n, sizeof(line) - n, fmt, ap);
	size_t len = MIN((size_t)(n + m), sizeof(line) - 1);

	ring_append(line, len);
	if ((int)level < console_level || in_panic)
		serial_write(line, len);
}

void klog(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	klog_va(level, fmt, ap);
	va_end(ap);
}

void console_print(const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	int n = kvsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	serial_write(buf, MIN((size_t)n, sizeof(buf) - 1));
}

void printk_enter_panic(void)
{
	arch_irq_save();
	in_panic = true;
	serial_set_polled();
}

void panic(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	printk_enter_panic();
	va_start(ap, fmt);
	kvsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	klog(LOG_EMERG, "Kernel panic: %s", msg);
	arch_dump_stack();
	arch_exit_vm(3);
}

void assert_fail(const char *expr, const char *file, int line)
{
	panic("assertion failed: %s at %s:%d\n", expr, file, line);
}
