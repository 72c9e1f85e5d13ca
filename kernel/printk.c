// SPDX-License-Identifier: MIT
/*
 * printk: every message gets a "[seconds.micros] " prefix, goes into a
 * ring buffer (for syslog(2) and the console's dmesg command) and, if its
 * level is below the console level, to the serial console. The ring keeps
 * each message with its level in front, "<6>[    1.000000] text", which
 * is what syslog(2) hands out. panic() and assert_fail() live here too
 * since they end in the log.
 *
 * Locks: L = log_lock (spinlock) for the ring.
 */
#include <tern/arch.h>
#include <tern/base.h>
#include <tern/printk.h>
#include <tern/serial.h>
#include <tern/string.h>

#define LOG_RING PRINTK_LOG_BYTES

static struct spinlock log_lock;
static char log_ring[LOG_RING]; /* L */
static uint64_t log_head;	/* L: bytes ever written */
static uint64_t log_clear;	/* L: where SYSLOG_ACTION_CLEAR put the start of READ_ALL */
static uint64_t log_read;	/* L: the next byte SYSLOG_ACTION_READ hands out */
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

/* The oldest byte the ring still holds. L held. */
static uint64_t ring_tail_locked(void)
{
	return log_head > LOG_RING ? log_head - LOG_RING : 0;
}

static size_t ring_copy_locked(char *buf, uint64_t from, uint64_t to)
{
	for (uint64_t i = from; i < to; i++)
		buf[i - from] = log_ring[i % LOG_RING];
	return (size_t)(to - from);
}

size_t printk_read_log(char *buf, size_t size)
{
	size_t n = 0;

	if (!size)
		return 0;
	spin_lock(&log_lock);
	uint64_t start = ring_tail_locked();
	if (log_head - start > size - 1)
		start = log_head - (size - 1);
	size_t len = ring_copy_locked(buf, start, log_head);
	spin_unlock(&log_lock);
	/* The console shows the text without the "<level>" in front of each line. */
	for (size_t i = 0; i < len; i++) {
		bool line_start = i == 0 || buf[i - 1] == '\n';
		if (line_start && i + 2 < len && buf[i] == '<' && buf[i + 2] == '>')
			i += 2;
		else
			buf[n++] = buf[i];
	}
	buf[n] = '\0';
	return n;
}

size_t printk_log_newest(char *buf, size_t size, bool clear)
{
	spin_lock(&log_lock);
	uint64_t start = MAX(ring_tail_locked(), log_clear);
	if (log_head - start > size) {
		/* As Linux, whole messages only: from the first line start that fits. */
		start = log_head - size;
		while (start < log_head && log_ring[(start - 1) % LOG_RING] != '\n')
			start++;
	}
	size_t n = ring_copy_locked(buf, start, log_head);
	if (clear)
		log_clear = log_head;
	spin_unlock(&log_lock);
	return n;
}

size_t printk_log_unread(char *buf, size_t size)
{
	spin_lock(&log_lock);
	uint64_t start = MAX(ring_tail_locked(), log_read);
	uint64_t end = start + MIN((uint64_t)size, log_head - start);
	size_t n = buf ? ring_copy_locked(buf, start, end) : (size_t)(log_head - start);
	if (buf)
		log_read = end;
	spin_unlock(&log_lock);
	return n;
}

void printk_log_clear(void)
{
	spin_lock(&log_lock);
	log_clear = log_head;
	spin_unlock(&log_lock);
}

void klog_va(enum log_level level, const char *fmt, va_list ap)
{
	char line[512];
	uint64_t ns = clock_monotonic_ns();
	/* "<level>" (3 bytes) for the ring only, then the line the console prints. */
	int n = ksnprintf(line, sizeof(line), "<%d>[%5llu.%06llu] ", (int)level & 7,
			  (unsigned long long)(ns / 1000000000),
			  (unsigned long long)(ns / 1000 % 1000000));
	int m = kvsnprintf(line + n, sizeof(line) - n, fmt, ap);
	size_t len = MIN((size_t)(n + m), sizeof(line) - 1);

	ring_append(line, len);
	if ((int)level < console_level || in_panic)
		serial_write(line + 3, len - 3);
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
