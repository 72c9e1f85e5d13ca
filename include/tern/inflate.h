/* SPDX-License-Identifier: MIT */
/*
 * Decompression of DEFLATE (RFC 1951) and gzip (RFC 1952), for gzip'd
 * initramfs images. lib/inflate/inflate.c decodes DEFLATE streams;
 * lib/inflate/gzip.c reads the gzip member around one and checks its
 * CRC-32 (lib/crc32.c) and length. The whole input is one buffer in
 * memory. Output goes either into the caller's buffer, which then also
 * holds the 32 KiB history, or through a callback in chunks. Decoding
 * state (about 16 KiB of tables, plus a 128 KiB window when streaming)
 * comes from kmalloc and is freed before returning; the stack use is
 * small and fixed.
 */
#pragma once

#include <tern/types.h>

/*
 * Where decoded bytes go, one of two ways:
 *  - sink NULL: into buf[0, buf_size). Output that would not fit stops
 *    decoding with -ENOSPC. buf may be NULL when buf_size is 0. Bytes
 *    of buf past the output may be written too (matches are copied 8
 *    bytes at a time).
 *  - sink set: buf and buf_size are ignored; sink(ctx, data, len) gets
 *    the output in order, in chunks of 1 to INFLATE_CHUNK_MAX bytes. It
 *    returns 0 to go on, or a negative errno, which stops decoding and
 *    is returned by the decoder. data is valid only during the call.
 * Either way the output so far is unverified until the decoder returns
 * 0: a corrupt stream is often detected only at its end (by the gzip
 * CRC), after most of its output was written or handed out.
 */
struct inflate_output {
	void *buf;
	size_t buf_size;
	int (*sink)(void *ctx, const void *data, size_t len);
	void *ctx; /* passed to sink */
};

/* Largest chunk handed to a sink: the size of the streaming window. */
#define INFLATE_CHUNK_MAX (128 * 1024)

/* What a successful decode consumed and produced. */
struct inflate_result {
	size_t in_len;	/* input bytes of the stream or member; whatever follows starts here */
	size_t out_len; /* bytes of output */
};

/*
 * Decodes the raw DEFLATE stream at the start of in[0, in_len): blocks
 * up to and including the one marked final. Bytes after its last bit's
 * byte are not looked at. Returns 0 and fills *res on success, or
 *   -EINVAL  for a corrupt or truncated stream: block type 3, a stored
 *            block whose length check fails, a Huffman code that is
 *            over-subscribed or incomplete (only a distance or
 *            literal/length code of one 1-bit code may be incomplete),
 *            too many code lengths, no end-of-block code, a symbol or
 *            distance code that is not valid, a distance further back
 *            than the output so far, or the input ending first;
 *   -ENOSPC  when sink is NULL and the output does not fit in buf;
 *   -ENOMEM  when the decoding state cannot be allocated;
 *   the sink's error when it returns one.
 * *res is written only on success.
 */
int inflate_decode_raw(const void *in, size_t in_len, const struct inflate_output *out,
		       struct inflate_result *res) __must_check;

/*
 * Decodes the gzip member at the start of in[0, in_len): a header (with
 * any of FEXTRA, FNAME, FCOMMENT and FHCRC, whose CRC-16 is checked), a
 * DEFLATE stream, and a trailer whose CRC-32 and ISIZE (the output length
 * modulo 2^32) must match the output. res->in_len is the member's length,
 * trailer included: the next member, if any, starts there (Linux accepts
 * an initramfs of several members, possibly with NUL padding between).
 * Returns 0, or the errors of inflate_decode_raw; -EINVAL also covers a
 * bad magic, a method other than 8 (deflate), reserved flag bits set, a
 * bad header CRC, a bad CRC-32 or ISIZE, and a header or trailer cut off.
 */
int inflate_decode_gzip(const void *in, size_t in_len, const struct inflate_output *out,
			struct inflate_result *res) __must_check;

/* True if in[0, in_len) starts with the gzip magic bytes 1f 8b. */
bool inflate_is_gzip(const void *in, size_t in_len);
