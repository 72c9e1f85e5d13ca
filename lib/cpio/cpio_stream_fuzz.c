// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the cpio stream reader (lib/cpio/cpio.c): the
 * decompressed initramfs is untrusted, so any bytes fed in any chunks
 * must decode without reading out of bounds, the callbacks must come in
 * order with exactly each entry's data, the result must not depend on
 * where the chunks split, and it must be the buffer reader's result.
 */
#include <asm-generic/errno.h>
#include <tern/base.h>
#include <tern/cpio.h>
#include <tern/string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What the callbacks saw, folded into one number. */
struct trace {
	uint64_t hash;
	bool in_entry;
	uint64_t data_left;
	uint32_t nr_ents;
};

static void mix(struct trace *t, const void *p, size_t len)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < len; i++)
		t->hash = (t->hash ^ b[i]) * 1099511628211ULL;
}

static int trace_begin(void *ctx, const struct cpio_entry *e)
{
	struct trace *t = ctx;

	assert(!t->in_entry && e->data == NULL && e->name[e->name_len] == '\0');
	assert(e->name_len <= CPIO_NAME_MAX);
	t->in_entry = true;
	t->data_left = e->data_len;
	t->nr_ents++;
	mix(t, e->name, e->name_len);
	mix(t, &e->mode, sizeof(e->mode));
	mix(t, &e->archive, sizeof(e->archive));
	return 0;
}

static int trace_data(void *ctx, const void *buf, size_t len)
{
	struct trace *t = ctx;

	assert(t->in_entry && len > 0 && len <= t->data_left);
	t->data_left -= len;
	mix(t, buf, len);
	return 0;
}

static int trace_end(void *ctx)
{
	struct trace *t = ctx;

	assert(t->in_entry && t->data_left == 0);
	t->in_entry = false;
	return 0;
}

static const struct cpio_stream_ops trace_ops = {trace_begin, trace_data, trace_end};

static struct cpio_stream stream;

/* Feeds data in chunks of chunk bytes, each in a buffer of its own (for ASan). */
static int feed(const uint8_t *data, size_t size, size_t chunk, struct trace *t)
{
	int err = 0;

	*t = (struct trace){.hash = 14695981039346656037ULL};
	cpio_stream_init(&stream, &trace_ops, t);
	for (size_t pos = 0; !err && pos < size; pos += chunk) {
		size_t n = MIN(chunk, size - pos);
		uint8_t *copy = kmalloc(n);
		size_t used;

		assert(copy);
		memcpy(copy, data + pos, n);
		err = cpio_stream_feed(&stream, copy, n, false, &used);
		assert(err || used == n);
		kfree(copy);
	}
	return err ? err : cpio_stream_finish(&stream);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cpio_reader r;
	struct cpio_entry e;
	struct trace whole;
	struct trace split;
	uint32_t nr_read = 0;
	int want;
	size_t chunk;

	if (size < 1)
		return 0;
	chunk = data[0] % 64 + 1;
	data++;
	size--;
	cpio_reader_init(&r, data, size);
	while ((want = cpio_next_entry(&r, &e)) == 1)
		nr_read += e.name_len <= CPIO_NAME_MAX;
	int got = feed(data, size, size ? size : 1, &whole);
	assert(got == want);
	assert(want == 0 ? whole.nr_ents == nr_read : whole.nr_ents <= nr_read + 1);
	assert(feed(data, size, chunk, &split) == got);
	assert(split.hash == whole.hash && split.nr_ents == whole.nr_ents);
	return 0;
}
