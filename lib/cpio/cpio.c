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

void cpio_stream_init(struct cpio_stream *s, const struct cpio_stream_ops *ops, void *ctx)
{
	memset(s, 0, sizeof(*s));
	s->ops = ops;
	s->ctx = ctx;
}

static int stream_parse_header(struct cpio_stream *s)
{
	uint32_t f[CPIO_NR_FIELDS];

	if (memcmp(s->header, "070701", CPIO_MAGIC_LEN) == 0)
		s->has_check = false;
	else if (memcmp(s->header, "070702", CPIO_MAGIC_LEN) == 0)
		s->has_check = true;
	else
		return -EINVAL;
	for (int i = 0; i < CPIO_NR_FIELDS; i++) {
		if (!cpio_parse_field(s->header + CPIO_MAGIC_LEN + i * CPIO_FIELD_LEN, &f[i]))
			return -EINVAL;
	}
	if (f[CPIO_NAMESIZE] == 0)
		return -EINVAL;
	s->name_size = f[CPIO_NAMESIZE];
	s->name_have = 0;
	s->data_left = f[CPIO_FILESIZE];
	s->sum = 0;
	s->check = f[CPIO_CHECK];
	s->entry = (struct cpio_entry){
		.name = s->name,
		.data_len = f[CPIO_FILESIZE],
		.mode = f[CPIO_MODE],
		.uid = f[CPIO_UID],
		.gid = f[CPIO_GID],
		.nlink = f[CPIO_NLINK],
		.mtime = f[CPIO_MTIME],
		.ino = f[CPIO_INO],
		.dev_major = f[CPIO_DEVMAJOR],
		.dev_minor = f[CPIO_DEVMINOR],
		.rdev_major = f[CPIO_RDEVMAJOR],
		.rdev_minor = f[CPIO_RDEVMINOR],
		.archive = s->archive,
	};
	return 0;
}

static uint64_t stream_pad_to_4(const struct cpio_stream *s)
{
	return ALIGN_UP(s->pos, 4) - s->pos;
}

/* The data (and its padding) went by: check it, end the entry, pad to the next header. */
static int stream_end_entry(struct cpio_stream *s)
{
	int err = 0;

	if (s->has_check && S_ISREG(s->entry.mode) && s->sum != s->check)
		return -EINVAL;
	if (s->is_passed_on)
		err = s->ops->end(s->ctx);
	if (s->is_trailer)
		s->has_ended_archive = true;
	s->pad_left = stream_pad_to_4(s);
	s->state = s->pad_left ? CPIO_STREAM_PAD : CPIO_STREAM_GAP;
	return err;
}

/* ABI: Linux's do_header skips a name longer than PATH_MAX, with its data. */
static int stream_begin_entry(struct cpio_stream *s)
{
	bool is_kept = s->name_size <= CPIO_NAME_MAX;

	if (s->name_last != '\0')
		return -EINVAL;
	s->entry.name_len = is_kept ? strnlen(s->name, s->name_size) : s->name_size;
	s->is_trailer = is_kept && cpio_is_trailer(&s->entry);
	s->is_passed_on = false;
	s->pad_left = stream_pad_to_4(s);
	s->state = CPIO_STREAM_DATA;
	if (s->is_trailer) {
		s->in_archive = false;
		s->archive++;
	} else {
		s->in_archive = true;
		s->is_passed_on = is_kept;
	}
	if (s->is_passed_on) {
		int err = s->ops->begin(s->ctx, &s->entry);

		if (err)
			return err;
	}
	if (s->pad_left == 0 && s->data_left == 0)
		return stream_end_entry(s);
	return 0;
}

static size_t stream_take_header(struct cpio_stream *s, const uint8_t *p, size_t len)
{
	size_t n = MIN(len, CPIO_HEADER_LEN - s->header_len);

	memcpy(s->header + s->header_len, p, n);
	s->header_len += n;
	s->pos += n;
	if (s->header_len == CPIO_HEADER_LEN) {
		s->err = stream_parse_header(s);
		s->state = CPIO_STREAM_NAME;
	}
	return n;
}

static size_t stream_take_name(struct cpio_stream *s, const uint8_t *p, size_t len)
{
	size_t n = (size_t)MIN((uint64_t)len, s->name_size - s->name_have);

	if (s->name_have < sizeof(s->name)) {
		size_t room = sizeof(s->name) - (size_t)s->name_have;

		memcpy(s->name + s->name_have, p, MIN(n, room));
	}
	s->name_last = p[n - 1];
	s->name_have += n;
	s->pos += n;
	if (s->name_have == s->name_size)
		s->err = stream_begin_entry(s);
	return n;
}

static size_t stream_take_data(struct cpio_stream *s, const uint8_t *p, size_t len)
{
	size_t n;

	if (s->pad_left) {
		n = (size_t)MIN((uint64_t)len, s->pad_left);
		s->pad_left -= n;
	} else {
		n = (size_t)MIN((uint64_t)len, s->data_left);
		for (size_t i = 0; s->has_check && i < n; i++)
			s->sum += p[i];
		if (s->is_passed_on)
			s->err = s->ops->data(s->ctx, p, n);
		s->data_left -= n;
	}
	s->pos += n;
	if (!s->err && s->pad_left == 0 && s->data_left == 0)
		s->err = stream_end_entry(s);
	return n;
}

/* Consumes what the current state takes from p[0, len), len > 0; may consume nothing. */
static size_t stream_step(struct cpio_stream *s, const uint8_t *p, size_t len)
{
	size_t n;

	switch (s->state) {
	case CPIO_STREAM_GAP:
		if (p[0] == '\0') {
			s->pos++;
			return 1;
		}
		if (!IS_ALIGNED(s->pos, 4))
			s->err = -EINVAL;
		s->state = CPIO_STREAM_HEADER;
		s->header_len = 0;
		return 0;
	case CPIO_STREAM_HEADER:
		return stream_take_header(s, p, len);
	case CPIO_STREAM_NAME:
		return stream_take_name(s, p, len);
	case CPIO_STREAM_DATA:
		return stream_take_data(s, p, len);
	case CPIO_STREAM_PAD:
		n = (size_t)MIN((uint64_t)len, s->pad_left);
		s->pad_left -= n;
		s->pos += n;
		if (s->pad_left == 0)
			s->state = CPIO_STREAM_GAP;
		return n;
	}
	return 0;
}

int cpio_stream_feed(struct cpio_stream *s, const void *buf, size_t len, bool stop_after_trailer,
		     size_t *used)
{
	const uint8_t *p = buf;
	size_t done = 0;

	s->has_ended_archive = false;
	while (!s->err && done < len) {
		done += stream_step(s, p + done, len - done);
		if (stop_after_trailer && s->has_ended_archive && s->state == CPIO_STREAM_GAP)
			break;
	}
	*used = done;
	return s->err;
}

/* A trailer's padding may be cut off by the end, as in cpio_next_entry. */
bool cpio_stream_is_between_archives(const struct cpio_stream *s)
{
	bool is_in_trailer_pad = s->state == CPIO_STREAM_DATA && s->is_trailer && s->data_left == 0;

	return !s->err && !s->in_archive &&
	       (s->state == CPIO_STREAM_GAP || s->state == CPIO_STREAM_PAD || is_in_trailer_pad);
}

int cpio_stream_finish(struct cpio_stream *s)
{
	if (!s->err && !cpio_stream_is_between_archives(s))
		s->err = -EINVAL;
	return s->err;
}
