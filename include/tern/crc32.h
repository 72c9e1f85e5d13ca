/* SPDX-License-Identifier: MIT */
/*
 * CRC-32 as gzip (RFC 1952), zlib, PNG and Ethernet compute it: the
 * reflected polynomial 0xedb88320, initial value and final XOR all ones.
 * In lib/crc32.c; lib/inflate/ checks gzip members with it.
 */
#pragma once

#include <tern/types.h>

/*
 * Returns the CRC-32 of the bytes before data followed by data[0, len),
 * given crc, the value returned for the bytes before (0 for none). So
 * crc32_update(0, "123456789", 9) is 0xcbf43926, and a buffer may be
 * summed in pieces.
 */
uint32_t crc32_update(uint32_t crc, const void *data, size_t len);
