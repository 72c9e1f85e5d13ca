// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for lib/inflate/: the initramfs comes from the boot
 * loader, so any bytes must decode, or fail with -EINVAL, without
 * reading or writing out of bounds. The first input byte picks gzip or
 * raw DEFLATE and the size of the output buffer; the rest is decoded
 * into that buffer and again through a sink, and the two runs must agree.
 */
#include <asm-generic/errno.h>
#include <tern/base.h>
#include <tern/inflate.h>
#include <tern/string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define OUT_LIMIT (512 * 1024) /* more than a window's slide */

static uint8_t buffered[OUT_LIMIT];
static uint8_t streamed[OUT_LIMIT];
static size_t streamed_len;

/* Collects up to OUT_LIMIT bytes; more stops decoding with -EFBIG. */
static int fuzz_sink(void *ctx, const void *data, size_t len)
{
	(void)ctx;
	assert(len > 0 && len <= INFLATE_CHUNK_MAX);
	if (len > OUT_LIMIT - streamed_len)
		return -EFBIG;
	memcpy(streamed + streamed_len, data, len);
	streamed_len += len;
	return 0;
}

static int fuzz_decode(bool is_gzip, const uint8_t *in, size_t in_len,
		       const struct inflate_output *out, struct inflate_result *res)
{
	int err;

	if (is_gzip)
		err = inflate_decode_gzip(in, in_len, out, res);
	else
		err = inflate_decode_raw(in, in_len, out, res);
	if (err == 0)
		assert(res->in_len <= in_len && (!is_gzip || res->in_len >= 18));
	return err;
}

/* Decodes one stream or member both ways; returns its length in the input, or 0. */
static size_t fuzz_one(bool is_gzip, size_t buf_size, const uint8_t *in, size_t in_len)
{
	struct inflate_output to_buf = {.buf = buffered, .buf_size = buf_size};
	struct inflate_output to_sink = {.sink = fuzz_sink};
	struct inflate_result buf_res;
	struct inflate_result sink_res;
	int buf_err;
	int sink_err;

	buf_err = fuzz_decode(is_gzip, in, in_len, &to_buf, &buf_res);
	streamed_len = 0;
	sink_err = fuzz_decode(is_gzip, in, in_len, &to_sink, &sink_res);
	assert(buf_err == 0 || buf_err == -EINVAL || buf_err == -ENOSPC);
	assert(sink_err == 0 || sink_err == -EINVAL || sink_err == -EFBIG);
	if (sink_err == 0) {
		assert(sink_res.out_len == streamed_len);
		if (streamed_len > buf_size) {
			assert(buf_err == -ENOSPC);
			return 0;
		}
		assert(buf_err == 0);
		assert(buf_res.in_len == sink_res.in_len && buf_res.out_len == streamed_len);
		assert(memcmp(buffered, streamed, streamed_len) == 0);
		return sink_res.in_len;
	}
	/* The window may hold output past the limit when an error turns up. */
	if (sink_err == -EFBIG)
		assert(buf_err == -ENOSPC);
	else
		assert(buf_err == -EINVAL || buf_err == -ENOSPC);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	bool is_gzip;
	size_t buf_size;
	size_t used;

	if (size < 1)
		return 0;
	is_gzip = data[0] & 1;
	buf_size = (data[0] >> 1) == 0x7f ? OUT_LIMIT : (size_t)(data[0] >> 1) * 37;
	data++;
	size--;
	/* Members back to back, as in an initramfs. */
	while (size > 0 && (used = fuzz_one(is_gzip, buf_size, data, size)) != 0) {
		data += used;
		size -= used;
	}
	return 0;
}
