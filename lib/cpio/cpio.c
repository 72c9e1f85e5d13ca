// SPDX-License-Identifier: MIT
/*
 * cpio "newc" reader (include/tern/cpio.h): decodes the initramfs archive
 * in place, one entry per call. Pure code; fs/initramfs/ creates the
 * files. The accepted input follows Linux's init/initramfs.c: both newc
 * magics, strict hex fields, NUL-terminated names, 4-byte alignment of
 * headers and data, and NUL padding skipped between entries and archives.
 */
#include <asm-generic/errno.h>
#include <linux/stat.h>
#include <tern/cpio.h>
#include <tern/string.h>

#define CPIO_FIELD_LEN 8
#define CPIO_MAGIC_LEN 6
#define CPIO_TRAILER "TRAILER!!!"

/* The 13 header fields, in archive order. */
enum cpio_field {
	CPIO_INO,
	CPIO_MODE,
	CPIO_UID,
	CPIO_GID,
	CPIO_NLINK,
	CPIO_MTIME,
	CPIO_FILESIZE,
	CPIO_DEVMAJOR,
	CPIO_DEVMINOR,
	CPIO_RDEVMAJOR,
	CPIO_RDEVMINOR,
	CPIO_NAMESIZE,
	CPIO_CHECK,
	CPIO_NR_FIELDS,
};

/* A decoded header and where its parts lie in the buffer. */
struct cpio_header {
	uint32_t field[CPIO_NR_FIELDS];
	bool has_check; /* magic "070702": c_check sums a regular file's data */
	size_t name_off;
	size_t data_off;
	size_t next_off; /* where the next header or padding starts */
};

static int cpio_hex_digit(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* ABI: since Linux 6.x a field must be exactly 8 hex digits (hex2bin). */
static bool cpio_parse_field(const uint8_t *s, uint32_t *out)
{
	uint32_t v = 0;

	for (int i = 0; i < CPIO_FIELD_LEN; i++) {
		int d = cpio_hex_digit(s[i]);

		if (d < 0)
			return false;
		v = v << 4 | (uint32_t)d;
	}
	*out = v;
	return true;
}

/*
 * Decodes the header at r->pos and checks that its name and data lie in
 * the buffer. The padding after the data may be cut off by the end.
 */
static int cpio_parse_header(const struct cpio_reader *r, struct cpio_header *h)
{
	const uint8_t *p = r->buf + r->pos;
	size_t left = r->len - r->pos;
	size_t name_size;
	size_t data_size;

	if (left < CPIO_HEADER_LEN)
		return -EINVAL;
	if (memcmp(p, "070701", CPIO_MAGIC_LEN) == 0)
		h->has_check = false;
	else if (memcmp(p, "070702", CPIO_MAGIC_LEN) == 0)
		h->has_check = true;
	else
		return -EINVAL;
	for (int i = 0; i < CPIO_NR_FIELDS; i++) {
		if (!cpio_parse_field(p + CPIO_MAGIC_LEN + i * CPIO_FIELD_LEN, &h->field[i]))
			return -EINVAL;
	}
	name_size = h->field[CPIO_NAMESIZE];
	data_size = h->field[CPIO_FILESIZE];
	if (name_size == 0 || name_size > left - CPIO_HEADER_LEN)
		return -EINVAL;
	if (p[CPIO_HEADER_LEN + name_size - 1] != '\0')
		return -EINVAL;
	h->name_off = r->pos + CPIO_HEADER_LEN;
	h->data_off = r->pos + ALIGN_UP(CPIO_HEADER_LEN + name_size, 4);
	if (data_size == 0) {
		h->next_off = MIN(h->data_off, r->len);
		return 0;
	}
	if (h->data_off > r->len || data_size > r->len - h->data_off)
		return -EINVAL;
	h->next_off = MIN(ALIGN_UP(h->data_off + data_size, 4), r->len);
	return 0;
}

/* ABI: Linux sums the bytes of regular files only, as GNU cpio writes them. */
static bool cpio_has_good_check(const struct cpio_reader *r, const struct cpio_header *h)
{
	uint32_t sum = 0;

	if (!h->has_check || !S_ISREG(h->field[CPIO_MODE]))
		return true;
	for (size_t i = 0; i < h->field[CPIO_FILESIZE]; i++)
		sum += r->buf[h->data_off + i];
	return sum == h->field[CPIO_CHECK];
}

static void cpio_fill_entry(const struct cpio_reader *r, const struct cpio_header *h,
			    struct cpio_entry *out)
{
	const char *name = (const char *)r->buf + h->name_off;

	*out = (struct cpio_entry){
		.name = name,
		.name_len = strnlen(name, h->field[CPIO_NAMESIZE]),
		.data = r->buf + h->data_off,
		.data_len = h->field[CPIO_FILESIZE],
		.mode = h->field[CPIO_MODE],
		.uid = h->field[CPIO_UID],
		.gid = h->field[CPIO_GID],
		.nlink = h->field[CPIO_NLINK],
		.mtime = h->field[CPIO_MTIME],
		.ino = h->field[CPIO_INO],
		.dev_major = h->field[CPIO_DEVMAJOR],
		.dev_minor = h->field[CPIO_DEVMINOR],
		.rdev_major = h->field[CPIO_RDEVMAJOR],
		.rdev_minor = h->field[CPIO_RDEVMINOR],
		.archive = r->archive,
	};
}

/*
 * ABI: Linux's do_reset and unpack_to_rootfs skip any run of NUL bytes
 * after an entry or an archive; what follows must start 4-byte aligned.
 */
static void cpio_skip_nuls(struct cpio_reader *r)
{
	while (r->pos < r->len && r->buf[r->pos] == '\0')
		r->pos++;
}

/* Name compare as Linux's strcmp: only the bytes before the first NUL count. */
static bool cpio_is_trailer(const struct cpio_entry *e)
{
	return e->name_len == sizeof(CPIO_TRAILER) - 1 &&
	       memcmp(e->name, CPIO_TRAILER, sizeof(CPIO_TRAILER) - 1) == 0;
}

/*
 * Outline:
 *   loop:
 *     skip NUL bytes
 *     at the end of the buffer: done (0) between archives, else -EINVAL
 *     decode and check the header, name and data at pos; move pos past them
 *     a trailer ends the archive: continue with the next one
 *     otherwise return the entry (1)
 */
int cpio_next_entry(struct cpio_reader *r, struct cpio_entry *out)
{
	struct cpio_header h;
	struct cpio_entry e;

	while (r->err == 0) {
		cpio_skip_nuls(r);
		/* ABI: Linux stops quietly at a missing trailer; we report it. */
		if (r->pos == r->len)
			return r->in_archive ? (r->err = -EINVAL) : 0;
		if (!IS_ALIGNED(r->pos, 4) || cpio_parse_header(r, &h) != 0 ||
		    !cpio_has_good_check(r, &h)) {
			r->err = -EINVAL;
			break;
		}
		cpio_fill_entry(r, &h, &e);
		r->pos = h.next_off;
		if (!cpio_is_trailer(&e)) {
			r->in_archive = true;
			*out = e;
			return 1;
		}
		r->in_archive = false;
		r->archive++;
	}
	return r->err;
}

void cpio_reader_init(struct cpio_reader *r, const void *buf, size_t len)
{
	*r = (struct cpio_reader){.buf = buf, .len = len};
}
