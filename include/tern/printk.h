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
/* Called once by panic: output becomes synchronous and ignores levels. */
void printk_enter_panic(void);
