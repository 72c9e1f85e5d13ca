/* SPDX-License-Identifier: MIT */
/*
 * The kernel log (kernel/printk.c): klog() from base.h formats a line
 * with a timestamp since boot, keeps it in a ring for dmesg and prints it
 * on the console when its level is below the console log level.
 */
#pragma once

#include <tern/types.h>

/* Messages with level < console_level are printed (Linux's console_loglevel). */
void printk_set_console_level(int level);
int printk_console_level(void);
/* Writes raw text to the console, no timestamp, whatever the level. */
void console_print(const char *fmt, ...) __printf(1, 2);
/* Copies the newest log text into buf (terminated); returns its length. */
size_t printk_read_log(char *buf, size_t size);

/* The ring's size in bytes (syslog's SYSLOG_ACTION_SIZE_BUFFER). */
#define PRINTK_LOG_BYTES 16384
/*
 * For syslog(2), into kernel buffers, messages with their "<level>":
 * the newest whole messages that fit in size since the last clear (and
 * clear after, if asked); the unread bytes, up to size, which are then
 * read (buf NULL: only how many there are); and clear.
 */
size_t printk_log_newest(char *buf, size_t size, bool clear);
size_t printk_log_unread(char *buf, size_t size);
void printk_log_clear(void);
/* Called once by panic: output becomes synchronous and ignores levels. */
void printk_enter_panic(void);
