/* SPDX-License-Identifier: MIT */
/*
 * String and memory functions (lib/string.c) and formatting (lib/fmt.c).
 * On the host these names are redirected to tern_* by
 * host/include/host_rename.h so the tested code never collides with libc.
 */
#pragma once

#include <tern/types.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max_len);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
/*
 * The next non-empty item of a comma-separated list (mount options) at
 * *s, terminated in place; *s moves past it. NULL when none is left.
 */
char *next_option(char **s);
/* Copies at most size-1 bytes and always terminates; returns strlen(src). */
size_t strlcpy(char *dst, const char *src, size_t size);
/* Parses an unsigned number (base 0 = auto 0x/0 prefix); 0 or -EINVAL/-ERANGE. */
int kstrtou64(const char *s, unsigned int base, uint64_t *out) __must_check;

/*
 * printf-style formatting into buf (always terminated when size > 0).
 * Returns the length the full output would have had, like C's vsnprintf.
 * Supports %d %i %u %x %X %o %p %s %c %% with hh/h/l/ll/z/t/j, the flags
 * - 0 + space #, and width and precision (also as *).
 */
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
