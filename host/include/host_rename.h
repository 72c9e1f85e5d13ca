/* SPDX-License-Identifier: MIT */
/*
 * Forced into every core file compiled for the host: Tern's own string
 * functions get tern_* names there so they are tested without replacing
 * libc's (which AddressSanitizer intercepts).
 */
#pragma once
#define memcpy tern_memcpy
#define memmove tern_memmove
#define memset tern_memset
#define memcmp tern_memcmp
#define memchr tern_memchr
#define strlen tern_strlen
#define strnlen tern_strnlen
#define strcmp tern_strcmp
#define strncmp tern_strncmp
#define strchr tern_strchr
#define strrchr tern_strrchr
#define strlcpy tern_strlcpy
