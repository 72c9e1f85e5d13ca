// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for lib/cpio/cpio.c: the initramfs comes from the
 * boot loader, so any bytes must decode without reading out of bounds,
 * and every entry handed out must lie inside the buffer, in order.
 */
#include <asm-generic/errno.h>
#include <tern/base.h>
#include <tern/cpio.h>
#include <tern/string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_entry(const struct cpio_reader *r, const struct cpio_entry *e, size_t prev_end)
{
	const uint8_t *name = (const uint8_t *)e->name;
	const uint8_t *bytes = e->data;
	size_t name_off = (size_t)(name - r->buf);
	size_t data_off = (size_t)(bytes - r->buf);

	assert(name >= r->buf && name_off >= CPIO_HEADER_LEN && name_off < r->len);
	assert(name_off - CPIO_HEADER_LEN >= prev_end);
	assert((name_off - CPIO_HEADER_LEN) % 4 == 0);
	assert(e->name_len < r->len - name_off && e->name[e->name_len] == '\0');
	assert(memchr(e->name, '\0', e->name_len) == NULL);
	assert(data_off % 4 == 0 && data_off > name_off + e->name_len);
	assert(e->data_len == 0 || (data_off <= r->len && e->data_len <= r->len - data_off));
	assert(r->pos <= r->len && r->pos >= name_off);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cpio_reader r;
	struct cpio_entry e;
	uint32_t last_archive = 0;
	size_t prev_end = 0;
	int ret;

	cpio_reader_init(&r, data, size);
	while ((ret = cpio_next_entry(&r, &e)) == 1) {
		check_entry(&r, &e, prev_end);
		assert(e.archive >= last_archive && e.archive == r.archive);
		last_archive = e.archive;
		prev_end = r.pos;
	}
	assert(ret == 0 || ret == -EINVAL);
	assert(cpio_next_entry(&r, &e) == ret);
	if (ret == 0)
		assert(r.pos == size && !r.in_archive);
	return 0;
}
