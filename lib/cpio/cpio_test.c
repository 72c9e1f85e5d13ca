// SPDX-License-Identifier: MIT
/*
 * Unit tests for lib/cpio/cpio.c. Archives are written by a small newc
 * writer below, then read from the very end of a static pool, so any read
 * past the archive lands in AddressSanitizer's redzone after the pool.
 */
#include <asm-generic/errno.h>
#include <linux/stat.h>
#include <tern/cpio.h>
#include <tern/ktest.h>
#include <tern/string.h>

#define ARCHIVE_MAX_LEN 16384
#define MAX_ENTRIES 64

/* What the writer puts in one header; zero fields mean the defaults. */
struct test_entry {
	const char *magic;  /* NULL: "070701" */
	const char *name;   /* name_size bytes of it are written */
	uint32_t name_size; /* 0: strlen(name) + 1 */
	uint32_t mode;
	uint32_t uid;
	uint32_t gid;
	uint32_t nlink;
	uint32_t mtime;
	uint32_t ino;
	uint32_t dev_major;
	uint32_t dev_minor;
	uint32_t rdev_major;
	uint32_t rdev_minor;
	uint32_t check;	    /* "070702" only: added to the computed sum */
	const char *data;   /* data_len bytes of it are written */
	uint32_t data_len;  /* 0: strlen(data) when data is set */
	uint32_t file_size; /* 0: data_len; else the header lies about it */
};

static uint8_t archive[ARCHIVE_MAX_LEN];
static size_t archive_len;

static uint8_t pool[ARCHIVE_MAX_LEN];
static struct cpio_reader rd;
static struct cpio_entry ents[MAX_ENTRIES];
static int nr_ents;

static void put_bytes(const void *p, size_t n)
{
	memcpy(archive + archive_len, p, n);
	archive_len += n;
}

static void put_zeros(size_t n)
{
	memset(archive + archive_len, 0, n);
	archive_len += n;
}

static void put_field(uint32_t v)
{
	static const char digits[] = "0123456789abcdef";
	char s[8];

	for (int i = 7; i >= 0; i--, v >>= 4)
		s[i] = digits[v & 0xf];
	put_bytes(s, sizeof(s));
}

static void pad4(void)
{
	put_zeros(ALIGN_UP(archive_len, 4) - archive_len);
}

/* Appends one entry; returns the offset of its header. */
static size_t add_entry(const struct test_entry *e)
{
	size_t start = archive_len;
	uint32_t data_len = e->data_len ? e->data_len : e->data ? strlen(e->data) : 0;
	uint32_t name_size = e->name_size ? e->name_size : strlen(e->name) + 1;
	uint32_t sum = 0;

	for (uint32_t i = 0; i < data_len; i++)
		sum += (uint8_t)e->data[i];
	put_bytes(e->magic ? e->magic : "070701", 6);
	put_field(e->ino);
	put_field(e->mode);
	put_field(e->uid);
	put_field(e->gid);
	put_field(e->nlink);
	put_field(e->mtime);
	put_field(e->file_size ? e->file_size : data_len);
	put_field(e->dev_major);
	put_field(e->dev_minor);
	put_field(e->rdev_major);
	put_field(e->rdev_minor);
	put_field(name_size);
	put_field(e->magic && strcmp(e->magic, "070702") == 0 ? sum + e->check : 0);
	put_bytes(e->name, MIN(name_size, strlen(e->name) + 1));
	put_zeros(name_size - MIN(name_size, strlen(e->name) + 1));
	pad4();
	put_bytes(e->data, data_len);
	pad4();
	return start;
}

static size_t add_file(const char *name, const char *data)
{
	return add_entry(&(struct test_entry){
		.name = name, .mode = S_IFREG | 0644, .nlink = 1, .data = data});
}

static size_t add_trailer(void)
{
	return add_entry(&(struct test_entry){.name = "TRAILER!!!", .nlink = 1});
}

static void archive_reset(void)
{
	memset(archive, 0, sizeof(archive));
	archive_len = 0;
}

/* Points the reader at the first len bytes of the archive, moved to the pool's end. */
static void reader_start(size_t len)
{
	uint8_t *buf = pool + sizeof(pool) - len;

	memcpy(buf, archive, len);
	cpio_reader_init(&rd, buf, len);
	nr_ents = 0;
}

/* Reads every entry of archive[0, len) into ents; returns the final result. */
static int read_prefix(size_t len)
{
	int ret;

	reader_start(len);
	while ((ret = cpio_next_entry(&rd, &ents[nr_ents])) == 1) {
		if (++nr_ents == MAX_ENTRIES)
			return 12345;
	}
	return ret;
}

static int read_all(void)
{
	return read_prefix(archive_len);
}

static bool ent_is(int i, const char *name, const char *data)
{
	size_t data_len = data ? strlen(data) : 0;

	return i < nr_ents && ents[i].name_len == strlen(name) &&
	       memcmp(ents[i].name, name, strlen(name) + 1) == 0 && ents[i].data_len == data_len &&
	       memcmp(ents[i].data, data ? data : "", data_len) == 0;
}

static size_t data_offset(int i)
{
	return (size_t)((const uint8_t *)ents[i].data - rd.buf);
}

KTEST(cpio, test_cpio_next_entry_empty_buffer)
{
	archive_reset();
	KEXPECT_EQ(read_all(), 0);
	KEXPECT_EQ(nr_ents, 0);
	KEXPECT_EQ(cpio_next_entry(&rd, &ents[0]), 0);

	put_zeros(1000);
	KEXPECT_EQ(read_all(), 0);
	put_zeros(1);
	KEXPECT_EQ(read_all(), 0);
}

KTEST(cpio, test_cpio_next_entry_only_trailer)
{
	archive_reset();
	add_trailer();
	KEXPECT_EQ(read_all(), 0);
	KEXPECT_EQ(nr_ents, 0);
	KEXPECT_EQ(rd.archive, 1);
	KEXPECT_EQ(cpio_next_entry(&rd, &ents[0]), 0);
}

KTEST(cpio, test_cpio_next_entry_regular_file_fields)
{
	archive_reset();
	add_entry(&(struct test_entry){
		.name = "etc/hostname",
		.mode = S_IFREG | 0640,
		.uid = 1000,
		.gid = 0xfffffffe,
		.nlink = 1,
		.mtime = 1700000000,
		.ino = 0x1234abcd,
		.dev_major = 8,
		.dev_minor = 1,
		.data = "tern\n",
	});
	add_trailer();
	KASSERT_EQ(read_all(), 0);
	KASSERT_EQ(nr_ents, 1);
	KEXPECT(ent_is(0, "etc/hostname", "tern\n"));
	KEXPECT_EQ(ents[0].mode, S_IFREG | 0640);
	KEXPECT_EQ(ents[0].uid, 1000);
	KEXPECT_EQ(ents[0].gid, 0xfffffffe);
	KEXPECT_EQ(ents[0].nlink, 1);
	KEXPECT_EQ(ents[0].mtime, 1700000000);
	KEXPECT_EQ(ents[0].ino, 0x1234abcd);
	KEXPECT_EQ(ents[0].dev_major, 8);
	KEXPECT_EQ(ents[0].dev_minor, 1);
	KEXPECT_EQ(ents[0].rdev_major, 0);
	KEXPECT_EQ(ents[0].archive, 0);
	KEXPECT_EQ(ents[0].name[ents[0].name_len], '\0');
	KEXPECT_EQ(data_offset(0), 124);
}

KTEST(cpio, test_cpio_next_entry_upper_case_hex)
{
	archive_reset();
	add_entry(&(struct test_entry){.name = "f", .mode = S_IFREG, .ino = 0xabcdef01});
	add_trailer();
	memcpy(archive + 6, "ABCDEF01", 8);
	KASSERT_EQ(read_all(), 0);
	KEXPECT_EQ(ents[0].ino, 0xabcdef01);
}

KTEST(cpio, test_cpio_next_entry_every_file_type)
{
	archive_reset();
	add_entry(&(struct test_entry){.name = "dev", .mode = S_IFDIR | 0755, .nlink = 2});
	add_entry(&(struct test_entry){
		.name = "dev/console", .mode = S_IFCHR | 0600, .rdev_major = 5, .rdev_minor = 1});
	add_entry(&(struct test_entry){
		.name = "dev/vda", .mode = S_IFBLK | 0660, .rdev_major = 254, .rdev_minor = 0});
	add_entry(&(struct test_entry){.name = "run/fifo", .mode = S_IFIFO | 0644});
	add_entry(&(struct test_entry){.name = "run/sock", .mode = S_IFSOCK | 0755});
	add_entry(
		&(struct test_entry){.name = "bin/sh", .mode = S_IFLNK | 0777, .data = "busybox"});
	add_file("empty", NULL);
	add_trailer();
	KASSERT_EQ(read_all(), 0);
	KASSERT_EQ(nr_ents, 7);
	KEXPECT(ent_is(0, "dev", NULL));
	KEXPECT(S_ISDIR(ents[0].mode));
	KEXPECT_EQ(ents[0].nlink, 2);
	KEXPECT(S_ISCHR(ents[1].mode));
	KEXPECT_EQ(ents[1].rdev_major, 5);
	KEXPECT_EQ(ents[1].rdev_minor, 1);
	KEXPECT(S_ISBLK(ents[2].mode));
	KEXPECT_EQ(ents[2].rdev_major, 254);
	KEXPECT(S_ISFIFO(ents[3].mode));
	KEXPECT(S_ISSOCK(ents[4].mode));
	KEXPECT(S_ISLNK(ents[5].mode));
	KEXPECT(ent_is(5, "bin/sh", "busybox"));
	KEXPECT(ent_is(6, "empty", NULL));
	KEXPECT(S_ISREG(ents[6].mode));
}

KTEST(cpio, test_cpio_next_entry_hard_links)
{
	/* GNU cpio stores the data once, with the last link. */
	archive_reset();
	add_entry(&(struct test_entry){
		.name = "bin/a", .mode = S_IFREG | 0755, .nlink = 2, .ino = 77, .dev_major = 3});
	add_entry(&(struct test_entry){.name = "bin/b",
				       .mode = S_IFREG | 0755,
				       .nlink = 2,
				       .ino = 77,
				       .dev_major = 3,
				       .data = "#!/bin/sh\n"});
	add_trailer();
	KASSERT_EQ(read_all(), 0);
	KASSERT_EQ(nr_ents, 2);
	KEXPECT(ent_is(0, "bin/a", NULL));
	KEXPECT(ent_is(1, "bin/b", "#!/bin/sh\n"));
	KEXPECT_EQ(ents[0].nlink, 2);
	KEXPECT_EQ(ents[0].ino, ents[1].ino);
	KEXPECT_EQ(ents[0].dev_major, ents[1].dev_major);
	KEXPECT_EQ(ents[0].archive, ents[1].archive);
}

KTEST(cpio, test_cpio_next_entry_name_alignment)
{
	static const char long_name[] = "abcdefghijklmnop";

	for (size_t len = 1; len < sizeof(long_name); len++) {
		char name[sizeof(long_name)];

		memcpy(name, long_name, len);
		name[len] = '\0';
		archive_reset();
		add_file(name, "data");
		add_file("next", "x");
		add_trailer();
		KASSERT_EQ(read_all(), 0);
		KASSERT_EQ(nr_ents, 2);
		KEXPECT(ent_is(0, name, "data"));
		KEXPECT(ent_is(1, "next", "x"));
		KEXPECT_EQ(data_offset(0), ALIGN_UP(CPIO_HEADER_LEN + len + 1, 4));
		KEXPECT_EQ(data_offset(0) % 4, 0);
	}
}

KTEST(cpio, test_cpio_next_entry_data_alignment)
{
	static const char long_data[] = "0123456789";

	for (size_t len = 0; len < sizeof(long_data); len++) {
		char data[sizeof(long_data)];

		memcpy(data, long_data, len);
		data[len] = '\0';
		archive_reset();
		add_file("a", len ? data : NULL);
		add_file("bb", "y");
		add_trailer();
		KASSERT_EQ(read_all(), 0);
		KASSERT_EQ(nr_ents, 2);
		KEXPECT(ent_is(0, "a", len ? data : NULL));
		KEXPECT(ent_is(1, "bb", "y"));
		KEXPECT_EQ(data_offset(1) % 4, 0);
	}
}

KTEST(cpio, test_cpio_next_entry_every_truncation)
{
	size_t ends[4];
	size_t trailer_end;
	size_t full;

	archive_reset();
	add_entry(&(struct test_entry){.name = "d", .mode = S_IFDIR | 0755});
	add_file("f1", "hello");
	ends[1] = archive_len - 3;
	add_entry(&(struct test_entry){.name = "l", .mode = S_IFLNK | 0777, .data = "f1"});
	ends[2] = archive_len - 2;
	add_file("e", NULL);
	trailer_end = add_trailer() + CPIO_HEADER_LEN + sizeof("TRAILER!!!");
	put_zeros(512 - archive_len % 512);
	full = archive_len;
	ends[0] = CPIO_HEADER_LEN + 2;
	ends[3] = ends[2] + 2 + CPIO_HEADER_LEN + 2;
	for (size_t len = 0; len <= full; len++) {
		int want_nr = 0;

		while (want_nr < 4 && ends[want_nr] <= len)
			want_nr++;
		KEXPECT_EQ(read_prefix(len), len == 0 || len >= trailer_end ? 0 : -EINVAL);
		KEXPECT_EQ(nr_ents, want_nr);
	}
}

KTEST(cpio, test_cpio_next_entry_bad_magic)
{
	static const char *const magics[] = {"070707", "070703", "070700",
					     "170701", "07070 ", "O70701"};

	for (size_t i = 0; i < ARRAY_SIZE(magics); i++) {
		size_t bad;

		archive_reset();
		add_file("ok", "1");
		bad = add_entry(
			&(struct test_entry){.magic = magics[i], .name = "bad", .mode = S_IFREG});
		add_trailer();
		KEXPECT_EQ(read_all(), -EINVAL);
		KEXPECT_EQ(nr_ents, 1);
		KEXPECT_EQ(rd.pos, bad);
	}
}

KTEST(cpio, test_cpio_next_entry_crc_variant)
{
	archive_reset();
	add_entry(&(struct test_entry){.magic = "070702",
				       .name = "f",
				       .mode = S_IFREG | 0644,
				       .data = "\xff\xfe\x01 checksummed"});
	add_entry(&(struct test_entry){.magic = "070702",
				       .name = "l",
				       .mode = S_IFLNK | 0777,
				       .data = "target",
				       .check = 99});
	add_trailer();
	KASSERT_EQ(read_all(), 0);
	KEXPECT_EQ(nr_ents, 2);
	KEXPECT(ent_is(0, "f", "\xff\xfe\x01 checksummed"));

	archive_reset();
	add_entry(&(struct test_entry){
		.magic = "070702", .name = "f", .mode = S_IFREG | 0644, .data = "abc", .check = 1});
	add_trailer();
	KEXPECT_EQ(read_all(), -EINVAL);
	KEXPECT_EQ(nr_ents, 0);
}

KTEST(cpio, test_cpio_next_entry_bad_hex)
{
	static const char bad[] = {'g', 'G', ' ', 'x', '-', '+', '\0', '\xff'};

	for (int field = 0; field < 13; field++) {
		for (size_t i = 0; i < sizeof(bad); i++) {
			archive_reset();
			add_file("x", "y");
			add_trailer();
			archive[6 + field * 8 + (i % 8)] = (uint8_t)bad[i];
			KEXPECT_EQ(read_all(), -EINVAL);
			KEXPECT_EQ(nr_ents, 0);
		}
	}
}

KTEST(cpio, test_cpio_next_entry_name_size_zero)
{
	archive_reset();
	add_entry(&(struct test_entry){.name = "", .mode = S_IFREG});
	add_trailer();
	memcpy(archive + 6 + 11 * 8, "00000000", 8);
	KEXPECT_EQ(read_all(), -EINVAL);
}

KTEST(cpio, test_cpio_next_entry_name_not_terminated)
{
	archive_reset();
	add_entry(&(struct test_entry){.name = "abc", .name_size = 3, .mode = S_IFREG});
	add_trailer();
	KEXPECT_EQ(read_all(), -EINVAL);

	archive_reset();
	add_entry(&(struct test_entry){.name = "TRAILER!!!", .name_size = 10});
	KEXPECT_EQ(read_all(), -EINVAL);
}

KTEST(cpio, test_cpio_next_entry_name_with_inner_nul)
{
	archive_reset();
	add_entry(&(struct test_entry){.name = "abc", .name_size = 8, .mode = S_IFREG});
	add_trailer();
	KASSERT_EQ(read_all(), 0);
	KEXPECT(ent_is(0, "abc", NULL));
	KEXPECT_EQ(data_offset(0), 120);
}

KTEST(cpio, test_cpio_next_entry_sizes_past_end)
{
	archive_reset();
	add_file("a", "1");
	add_trailer();
	memcpy(archive + 6 + 11 * 8, "ffffffff", 8);
	KEXPECT_EQ(read_all(), -EINVAL);

	archive_reset();
	add_entry(&(struct test_entry){
		.name = "a", .mode = S_IFREG, .data = "x", .file_size = 0xffffffff});
	add_trailer();
	KEXPECT_EQ(read_all(), -EINVAL);

	/* One byte more than the rest of the buffer. */
	archive_reset();
	add_entry(
		&(struct test_entry){.name = "a", .mode = S_IFREG, .data = "xyz", .file_size = 5});
	KEXPECT_EQ(read_all(), -EINVAL);
	archive_len -= 1;
	KEXPECT_EQ(read_all(), -EINVAL);
	archive_len += 1;
	put_zeros(1);
	KEXPECT_EQ(read_all(), -EINVAL);
	KEXPECT_EQ(nr_ents, 1);
}

KTEST(cpio, test_cpio_next_entry_missing_trailer)
{
	struct cpio_entry e;

	archive_reset();
	add_file("a", "1");
	add_file("b", "2");
	KEXPECT_EQ(read_all(), -EINVAL);
	KEXPECT_EQ(nr_ents, 2);
	KEXPECT_EQ(cpio_next_entry(&rd, &e), -EINVAL);
	put_zeros(64);
	KEXPECT_EQ(read_all(), -EINVAL);
	KEXPECT_EQ(nr_ents, 2);
}

KTEST(cpio, test_cpio_next_entry_concatenated_archives)
{
	archive_reset();
	add_file("a", "1");
	add_file("b", "22");
	add_trailer();
	put_zeros(512 - archive_len % 512);
	add_file("c", "333");
	add_trailer();
	add_file("d", "4444");
	add_trailer();
	put_zeros(100);
	KASSERT_EQ(read_all(), 0);
	KASSERT_EQ(nr_ents, 4);
	KEXPECT(ent_is(0, "a", "1"));
	KEXPECT(ent_is(3, "d", "4444"));
	KEXPECT_EQ(ents[0].archive, 0);
	KEXPECT_EQ(ents[1].archive, 0);
	KEXPECT_EQ(ents[2].archive, 1);
	KEXPECT_EQ(ents[3].archive, 2);
	KEXPECT_EQ(rd.archive, 3);
}

KTEST(cpio, test_cpio_next_entry_nul_runs_between_entries)
{
	archive_reset();
	put_zeros(8);
	add_file("a", "1");
	put_zeros(12);
	add_file("b", "2");
	add_trailer();
	KASSERT_EQ(read_all(), 0);
	KEXPECT_EQ(nr_ents, 2);
	KEXPECT(ent_is(1, "b", "2"));
}

KTEST(cpio, test_cpio_next_entry_misaligned_header)
{
	size_t bad;

	archive_reset();
	add_file("a", "1");
	put_zeros(3);
	bad = add_file("b", "2");
	add_trailer();
	KEXPECT_EQ(read_all(), -EINVAL);
	KEXPECT_EQ(nr_ents, 1);
	KEXPECT_EQ(rd.pos, bad);

	archive_reset();
	put_zeros(1);
	add_file("a", "1");
	add_trailer();
	KEXPECT_EQ(read_all(), -EINVAL);
	KEXPECT_EQ(nr_ents, 0);
}

KTEST(cpio, test_cpio_next_entry_garbage_after_trailer)
{
	archive_reset();
	add_file("a", "1");
	add_trailer();
	put_bytes("\x1f\x8b\x08\x00", 4);
	KEXPECT_EQ(read_all(), -EINVAL);
	KEXPECT_EQ(nr_ents, 1);
}

KTEST(cpio, test_cpio_next_entry_trailer_name_matching)
{
	/* Only the bytes before the first NUL count, as in Linux's strcmp. */
	archive_reset();
	add_entry(&(struct test_entry){.name = "TRAILER!!!", .name_size = 14});
	KEXPECT_EQ(read_all(), 0);
	KEXPECT_EQ(nr_ents, 0);

	archive_reset();
	add_file("TRAILER!!", NULL);
	add_file("TRAILER!!!!", NULL);
	add_file("trailer!!!", NULL);
	add_trailer();
	KEXPECT_EQ(read_all(), 0);
	KEXPECT_EQ(nr_ents, 3);
}

KTEST(cpio, test_cpio_next_entry_trailer_without_padding)
{
	archive_reset();
	add_file("a", "1");
	add_trailer();
	archive_len -= 3; /* the pad after "TRAILER!!!\0" */
	KEXPECT_EQ(read_all(), 0);
	KEXPECT_EQ(nr_ents, 1);
	archive_len -= 1;
	KEXPECT_EQ(read_all(), -EINVAL);
}

KTEST(cpio, test_cpio_next_entry_error_is_sticky)
{
	struct cpio_entry e = {.name = "untouched"};

	archive_reset();
	add_file("a", "1");
	add_trailer();
	archive[0] = 'X';
	KEXPECT_EQ(read_all(), -EINVAL);
	for (int i = 0; i < 3; i++)
		KEXPECT_EQ(cpio_next_entry(&rd, &e), -EINVAL);
	KEXPECT_EQ(rd.pos, 0);
	KEXPECT(strcmp(e.name, "untouched") == 0);
}

KTEST(cpio, test_cpio_next_entry_largest_field_values)
{
	archive_reset();
	add_entry(&(struct test_entry){.name = "m",
				       .mode = 0xffffffff,
				       .uid = 0xffffffff,
				       .gid = 0xffffffff,
				       .nlink = 0xffffffff,
				       .mtime = 0xffffffff,
				       .ino = 0xffffffff,
				       .dev_major = 0xffffffff,
				       .dev_minor = 0xffffffff,
				       .rdev_major = 0xffffffff,
				       .rdev_minor = 0xffffffff});
	add_trailer();
	KASSERT_EQ(read_all(), 0);
	KEXPECT_EQ(ents[0].mode, 0xffffffff);
	KEXPECT_EQ(ents[0].mtime, 0xffffffff);
	KEXPECT_EQ(ents[0].rdev_minor, 0xffffffff);
}

KTEST(cpio, test_cpio_next_entry_many_entries)
{
	char name[8] = "f00";

	archive_reset();
	for (int i = 0; i < MAX_ENTRIES - 1; i++) {
		name[1] = (char)('0' + i / 10);
		name[2] = (char)('0' + i % 10);
		add_file(name, name);
	}
	add_trailer();
	KASSERT_EQ(read_all(), 0);
	KEXPECT_EQ(nr_ents, MAX_ENTRIES - 1);
	KEXPECT(ent_is(62, "f62", "f62"));
}

/*
 * The stream reader against the buffer reader: what the stream reader
 * makes of the archive fed in chunks of chunk bytes (the first one first
 * bytes long) must be what cpio_next_entry makes of it whole.
 */
struct stream_seen {
	struct cpio_entry ents[MAX_ENTRIES];
	char names[MAX_ENTRIES][64];
	size_t data_off[MAX_ENTRIES];
	int nr_ents;
	int nr_ended;
	uint8_t data[ARCHIVE_MAX_LEN];
	size_t data_len;
};

static struct stream_seen seen;
static struct cpio_stream stream;

static int seen_begin(void *ctx, const struct cpio_entry *e)
{
	struct stream_seen *s = ctx;

	if (s->nr_ents == MAX_ENTRIES || s->nr_ended != s->nr_ents)
		return -E2BIG;
	s->ents[s->nr_ents] = *e;
	memcpy(s->names[s->nr_ents], e->name, MIN(e->name_len + 1, 63));
	s->data_off[s->nr_ents] = s->data_len;
	s->nr_ents++;
	return 0;
}

static int seen_data(void *ctx, const void *buf, size_t len)
{
	struct stream_seen *s = ctx;

	if (s->nr_ended == s->nr_ents || len == 0 || s->data_len + len > sizeof(s->data))
		return -E2BIG;
	memcpy(s->data + s->data_len, buf, len);
	s->data_len += len;
	return 0;
}

static int seen_end(void *ctx)
{
	struct stream_seen *s = ctx;

	s->nr_ended++;
	return s->data_len - s->data_off[s->nr_ended - 1] == s->ents[s->nr_ended - 1].data_len
		       ? 0
		       : -E2BIG;
}

static const struct cpio_stream_ops seen_ops = {seen_begin, seen_data, seen_end};

static int stream_read(size_t first, size_t chunk)
{
	size_t pos = 0;
	size_t used;
	int err = 0;

	memset(&seen, 0, sizeof(seen));
	cpio_stream_init(&stream, &seen_ops, &seen);
	while (!err && pos < archive_len) {
		size_t n = MIN(pos == 0 ? first : chunk, archive_len - pos);

		err = cpio_stream_feed(&stream, archive + pos, n, false, &used);
		if (!err && used != n)
			return 54321;
		pos += n;
	}
	return err ? err : cpio_stream_finish(&stream);
}

static bool same_entry(int i)
{
	const struct cpio_entry *a = &ents[i];
	const struct cpio_entry *b = &seen.ents[i];

	return a->name_len == b->name_len && memcmp(a->name, seen.names[i], a->name_len + 1) == 0 &&
	       a->data_len == b->data_len &&
	       memcmp(a->data, seen.data + seen.data_off[i], a->data_len) == 0 &&
	       a->mode == b->mode && a->uid == b->uid && a->gid == b->gid && a->nlink == b->nlink &&
	       a->mtime == b->mtime && a->ino == b->ino && a->dev_major == b->dev_major &&
	       a->dev_minor == b->dev_minor && a->rdev_major == b->rdev_major &&
	       a->rdev_minor == b->rdev_minor && a->archive == b->archive;
}

/* Whole, it must agree exactly; malformed, it may have begun one more entry before failing. */
static bool stream_agrees(size_t first, size_t chunk)
{
	int want = read_all();
	int got = stream_read(first, chunk);

	if (got != want)
		return false;
	if (want == 0 ? seen.nr_ents != nr_ents : seen.nr_ents > nr_ents + 1)
		return false;
	for (int i = 0; i < nr_ents; i++) {
		if (!same_entry(i))
			return false;
	}
	return true;
}

static bool stream_agrees_at_every_split(void)
{
	if (!stream_agrees(1, 1) || !stream_agrees(archive_len, archive_len))
		return false;
	for (size_t split = 1; split < archive_len; split++) {
		if (!stream_agrees(split, archive_len))
			return false;
	}
	return true;
}

KTEST(cpio, test_cpio_stream_agrees_with_the_reader_at_every_split)
{
	archive_reset();
	KEXPECT(stream_agrees_at_every_split());
	put_zeros(9);
	KEXPECT(stream_agrees_at_every_split());
	archive_reset();
	add_entry(&(struct test_entry){
		.name = "dir", .mode = S_IFDIR | 0755, .nlink = 2, .mtime = 5, .ino = 7});
	add_file("dir/a", "hello");
	add_entry(&(struct test_entry){.name = "l", .mode = S_IFLNK | 0777, .data = "dir/a"});
	add_entry(&(struct test_entry){.magic = "070702",
				       .name = "crc",
				       .mode = S_IFREG | 0600,
				       .data = "\xff\xfe summed"});
	add_entry(&(struct test_entry){
		.name = "null", .mode = S_IFCHR | 0666, .rdev_major = 1, .rdev_minor = 3});
	add_file("empty", NULL);
	add_trailer();
	put_zeros(12);
	add_file("second", "archive");
	add_trailer();
	KEXPECT(stream_agrees_at_every_split());
	KEXPECT_EQ(stream_read(5, 3), 0);
	KEXPECT_EQ(seen.nr_ents, 7);
	/* Every truncation is malformed for both, with what came before. */
	size_t whole = archive_len;
	for (archive_len = 1; archive_len < whole; archive_len++) {
		if (!KEXPECT(stream_agrees(archive_len, archive_len) && stream_agrees(1, 1)))
			break;
	}
	archive_len = whole;
}

KTEST(cpio, test_cpio_stream_malformed_input)
{
	/* A bad checksum is found after the data went out. */
	archive_reset();
	add_file("a", "1");
	add_entry(&(struct test_entry){
		.magic = "070702", .name = "f", .mode = S_IFREG | 0644, .data = "abc", .check = 1});
	add_trailer();
	KEXPECT(stream_agrees_at_every_split());
	KEXPECT_EQ(seen.nr_ents, 2);
	KEXPECT_EQ(seen.nr_ended, 1);
	/* Misaligned headers, bad magic, garbage after a trailer, no trailer. */
	archive_reset();
	add_file("a", "1");
	put_zeros(3);
	add_file("b", "2");
	add_trailer();
	KEXPECT(stream_agrees_at_every_split());
	KEXPECT_EQ(stream_read(archive_len, 1), -EINVAL);
	archive_reset();
	add_file("a", "1");
	add_trailer();
	put_bytes("070707", 6);
	put_zeros(200);
	KEXPECT(stream_agrees_at_every_split());
	archive_reset();
	add_file("a", "1");
	KEXPECT(stream_agrees_at_every_split());
	KEXPECT_EQ(stream_read(archive_len, 1), -EINVAL);
	/* The error is sticky. */
	size_t used;
	KEXPECT_EQ(cpio_stream_feed(&stream, "0", 1, false, &used), -EINVAL);
	KEXPECT_EQ(cpio_stream_finish(&stream), -EINVAL);
}

KTEST(cpio, test_cpio_stream_skips_names_longer_than_path_max)
{
	static char long_name[CPIO_NAME_MAX + 2];

	memset(long_name, 'n', sizeof(long_name) - 1);
	archive_reset();
	add_entry(&(struct test_entry){.name = long_name, .mode = S_IFREG | 0644, .data = "x"});
	long_name[CPIO_NAME_MAX - 1] = '\0';
	add_entry(&(struct test_entry){.name = long_name, .mode = S_IFREG | 0644, .data = "y"});
	add_file("after", "z");
	add_trailer();
	KEXPECT_EQ(stream_read(archive_len, 7), 0);
	KEXPECT_EQ(seen.nr_ents, 2);
	KEXPECT_EQ(seen.ents[0].name_len, CPIO_NAME_MAX - 1);
	KEXPECT_EQ(strcmp(seen.names[1], "after"), 0);
}

KTEST(cpio, test_cpio_stream_stops_after_a_trailer)
{
	size_t first_end;
	size_t used;

	archive_reset();
	add_file("a", "1");
	first_end = add_trailer();
	first_end = archive_len;
	put_zeros(8);
	add_file("b", "2");
	add_trailer();
	memset(&seen, 0, sizeof(seen));
	cpio_stream_init(&stream, &seen_ops, &seen);
	KEXPECT_EQ(cpio_stream_feed(&stream, archive, archive_len, true, &used), 0);
	KEXPECT_EQ(used, first_end);
	KEXPECT(cpio_stream_is_between_archives(&stream));
	KEXPECT_EQ(cpio_stream_feed(&stream, archive + used, archive_len - used, true, &used), 0);
	KEXPECT_EQ(seen.nr_ents, 2);
	KEXPECT_EQ(cpio_stream_finish(&stream), 0);
}
