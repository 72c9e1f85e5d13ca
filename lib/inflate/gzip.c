// SPDX-License-Identifier: MIT
/*
 * gzip members (RFC 1952; include/tern/inflate.h): the header, then a
 * DEFLATE stream decoded by inflate.c, then a trailer with the CRC-32
 * (lib/crc32.c) and length of the output. Where a member ends is handed
 * back, so a caller can go on to the next one.
 */
#include <asm-generic/errno.h>
#include <tern/crc32.h>
#include <tern/inflate.h>
#include <tern/string.h>

enum {
	GZIP_ID1 = 0x1f,
	GZIP_ID2 = 0x8b,
	GZIP_CM_DEFLATE = 8,
	GZIP_FIXED_HEADER_LEN = 10, /* ID1 ID2 CM FLG MTIME(4) XFL OS */
	GZIP_TRAILER_LEN = 8,	    /* CRC32 ISIZE */
};

/* FLG bits. FTEXT is only a hint and ignored. */
enum {
	GZIP_FHCRC = 1 << 1,
	GZIP_FEXTRA = 1 << 2,
	GZIP_FNAME = 1 << 3,
	GZIP_FCOMMENT = 1 << 4,
	GZIP_FRESERVED = 0xe0,
};

/* Passes the output on to the caller's sink, summing it on the way. */
struct gzip_sink {
	const struct inflate_output *out;
	uint32_t crc;
};

static uint32_t gzip_load_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Moves *pos past the NUL-terminated string there; -EINVAL if there is no NUL. */
static int gzip_skip_string(const uint8_t *in, size_t in_len, size_t *pos)
{
	const uint8_t *nul = memchr(in + *pos, 0, in_len - *pos);

	if (!nul)
		return -EINVAL;
	*pos = (size_t)(nul - in) + 1;
	return 0;
}

/* Checks the header at in[0] and sets *body_off to where the DEFLATE stream starts. */
static int gzip_parse_header(const uint8_t *in, size_t in_len, size_t *body_off)
{
	size_t pos = GZIP_FIXED_HEADER_LEN;
	uint8_t flags;

	if (in_len < GZIP_FIXED_HEADER_LEN || in[0] != GZIP_ID1 || in[1] != GZIP_ID2 ||
	    in[2] != GZIP_CM_DEFLATE)
		return -EINVAL;
	flags = in[3];
	if (flags & GZIP_FRESERVED)
		return -EINVAL;
	if (flags & GZIP_FEXTRA) {
		size_t xlen;

		if (in_len - pos < 2)
			return -EINVAL;
		xlen = in[pos] | (size_t)in[pos + 1] << 8;
		if (in_len - pos - 2 < xlen)
			return -EINVAL;
		pos += 2 + xlen;
	}
	if ((flags & GZIP_FNAME) && gzip_skip_string(in, in_len, &pos))
		return -EINVAL;
	if ((flags & GZIP_FCOMMENT) && gzip_skip_string(in, in_len, &pos))
		return -EINVAL;
	if (flags & GZIP_FHCRC) {
		if (in_len - pos < 2)
			return -EINVAL;
		if ((crc32_update(0, in, pos) & 0xffff) != (in[pos] | (uint32_t)in[pos + 1] << 8))
			return -EINVAL;
		pos += 2;
	}
	*body_off = pos;
	return 0;
}

static int gzip_sink_write(void *ctx, const void *data, size_t len)
{
	struct gzip_sink *gs = ctx;

	gs->crc = crc32_update(gs->crc, data, len);
	return gs->out->sink(gs->out->ctx, data, len);
}

int inflate_decode_gzip(const void *in, size_t in_len, const struct inflate_output *out,
			struct inflate_result *res)
{
	const uint8_t *p = in;
	struct gzip_sink gs = {.out = out, .crc = 0};
	struct inflate_output body_out = *out;
	struct inflate_result body;
	size_t body_off;
	size_t trailer_off;
	uint32_t crc;
	int err;

	err = gzip_parse_header(p, in_len, &body_off);
	if (err)
		return err;
	if (out->sink) {
		body_out.sink = gzip_sink_write;
		body_out.ctx = &gs;
	}
	err = inflate_decode_raw(p + body_off, in_len - body_off, &body_out, &body);
	if (err)
		return err;
	trailer_off = body_off + body.in_len;
	if (in_len - trailer_off < GZIP_TRAILER_LEN)
		return -EINVAL;
	crc = out->sink ? gs.crc : crc32_update(0, out->buf, body.out_len);
	if (gzip_load_le32(p + trailer_off) != crc ||
	    gzip_load_le32(p + trailer_off + 4) != (uint32_t)body.out_len)
		return -EINVAL;
	res->in_len = trailer_off + GZIP_TRAILER_LEN;
	res->out_len = body.out_len;
	return 0;
}

bool inflate_is_gzip(const void *in, size_t in_len)
{
	const uint8_t *p = in;

	return in_len >= 2 && p[0] == GZIP_ID1 && p[1] == GZIP_ID2;
}
