// SPDX-License-Identifier: MIT
/*
 * Host tests for fs/initramfs/initramfs.c: archives written by a small
 * newc writer below are unpacked into a fresh tmpfs and checked: every
 * file type, modes, owners and mtimes, hard links (within one archive
 * only), later entries replacing earlier ones, entries skipped as Linux
 * skips them (missing parents, data where none belongs), "."
 * entries, concatenated archives, gzip members (written with stored
 * blocks below) mixed with plain archives, malformed input, and
 * allocation failures at every point.
 */
#include <host_fault.h>
#include <tern/crc32.h>
#include <tern/errno.h>
#include <tern/initramfs.h>
#include <tern/string.h>
#include <tern/vfs_testing.h>

#define ARCHIVE_MAX 262144

struct entry {
	const char *name;
	uint32_t mode;
	uint32_t uid;
	uint32_t gid;
	uint32_t nlink;
	uint32_t mtime;
	uint32_t ino;
	uint32_t rdev_major;
	uint32_t rdev_minor;
	const char *data; /* contents, or a symlink's target */
};

static uint8_t archive[ARCHIVE_MAX];
static size_t archive_len;

static void put(const void *p, size_t n)
{
	assert(archive_len + n <= ARCHIVE_MAX);
	memcpy(archive + archive_len, p, n);
	archive_len += n;
}

static void pad4(void)
{
	static const uint8_t zeros[4];

	put(zeros, ALIGN_UP(archive_len, 4) - archive_len);
}

static void put_hex(uint32_t v)
{
	char s[9];

	ksnprintf(s, sizeof(s), "%08x", v);
	put(s, 8);
}

static void add(const struct entry *e)
{
	size_t data_len = e->data ? strlen(e->data) : 0;
	uint32_t fields[] = {e->ino,
			     e->mode,
			     e->uid,
			     e->gid,
			     e->nlink ? e->nlink : 1,
			     e->mtime,
			     (uint32_t)data_len,
			     0,
			     0,
			     e->rdev_major,
			     e->rdev_minor,
			     (uint32_t)strlen(e->name) + 1,
			     0};

	put("070701", 6);
	for (size_t i = 0; i < ARRAY_SIZE(fields); i++)
		put_hex(fields[i]);
	put(e->name, strlen(e->name) + 1);
	pad4();
	if (data_len)
		put(e->data, data_len);
	pad4();
}

static void add_trailer(void)
{
	add(&(struct entry){.name = "TRAILER!!!"});
}

static void reset(void)
{
	archive_len = 0;
}

static int unpack(struct vfs_fixture *f)
{
	return vfs_unpack_initramfs(&f->root, archive, archive_len);
}

static struct kstat st_of(struct vfs_fixture *f, const char *pathname)
{
	struct kstat st = {0};

	(void)!fx_stat(f, pathname, true, &st);
	return st;
}

static bool has_contents(struct vfs_fixture *f, const char *pathname, const char *want)
{
	char buf[64];
	size_t len;

	return fx_read_file(f, pathname, buf, sizeof(buf), &len) == 0 && len == strlen(want) &&
	       memcmp(buf, want, len) == 0;
}

static void add_sample(void)
{
	add(&(struct entry){.name = ".", .mode = S_IFDIR | 0700, .mtime = 11});
	add(&(struct entry){.name = "bin", .mode = S_IFDIR | 0755, .mtime = 22});
	add(&(struct entry){.name = "bin/sh",
			    .mode = S_IFREG | 04755,
			    .uid = 5,
			    .gid = 6,
			    .mtime = 33,
			    .data = "#!shell"});
	add(&(struct entry){.name = "bin/ash", .mode = S_IFLNK | 0777, .mtime = 44, .data = "sh"});
	add(&(struct entry){.name = "dev", .mode = S_IFDIR | 0755, .mtime = 55});
	add(&(struct entry){.name = "dev/null",
			    .mode = S_IFCHR | 0666,
			    .rdev_major = 1,
			    .rdev_minor = 3,
			    .mtime = 66});
	add(&(struct entry){.name = "dev/sda", .mode = S_IFBLK | 0660, .gid = 6, .rdev_major = 8});
	add(&(struct entry){.name = "dev/pipe", .mode = S_IFIFO | 0600});
	add(&(struct entry){.name = "dev/sock", .mode = S_IFSOCK | 0600});
	add(&(struct entry){.name = "empty", .mode = S_IFREG | 0600});
	add_trailer();
}

KTEST(initramfs, test_unpack_every_kind_of_entry)
{
	struct vfs_fixture f;
	struct kstat st;
	char buf[8];
	size_t len;

	KASSERT(vfs_fixture_setup(t, &f));
	reset();
	add_sample();
	KEXPECT_EQ(unpack(&f), 0);
	st = st_of(&f, "/bin/sh");
	KEXPECT_EQ(st.mode, S_IFREG | 04755);
	KEXPECT(st.uid == 5 && st.gid == 6 && st.size == 7);
	KEXPECT(st.mtime.sec == 33 && st.atime.sec == 33);
	KEXPECT(has_contents(&f, "/bin/sh", "#!shell"));
	st = st_of(&f, "/bin/ash");
	KEXPECT(st.mode == (S_IFLNK | 0777) && st.mtime.sec == 44);
	KEXPECT_EQ(vfs_readlink(&f.ctx, NULL, "/bin/ash", buf, sizeof(buf), &len), 0);
	KEXPECT(len == 2 && memcmp(buf, "sh", 2) == 0);
	st = st_of(&f, "/dev/null");
	KEXPECT(st.mode == (S_IFCHR | 0666) && st.rdev == dev_make(1, 3) && st.mtime.sec == 66);
	st = st_of(&f, "/dev/sda");
	KEXPECT(st.mode == (S_IFBLK | 0660) && st.rdev == dev_make(8, 0) && st.gid == 6);
	KEXPECT_EQ(st_of(&f, "/dev/pipe").mode, S_IFIFO | 0600);
	KEXPECT_EQ(st_of(&f, "/dev/sock").mode, S_IFSOCK | 0600);
	KEXPECT_EQ(st_of(&f, "/empty").size, 0);
	/* Directory mtimes survive the entries made in them; "." is the root. */
	KEXPECT_EQ(st_of(&f, "/bin").mtime.sec, 22);
	KEXPECT_EQ(st_of(&f, "/dev").mtime.sec, 55);
	st = st_of(&f, "/");
	KEXPECT(st.mode == (S_IFDIR | 0700) && st.mtime.sec == 11);
	KEXPECT(vfs_is_consistent(f.vfs));
	vfs_fixture_teardown(t, &f);
}

KTEST(initramfs, test_unpack_hard_links_within_an_archive)
{
	struct vfs_fixture f;
	struct kstat a;
	struct kstat b;

	KASSERT(vfs_fixture_setup(t, &f));
	reset();
	/* GNU cpio puts the data in the last of the links. */
	add(&(struct entry){.name = "a", .mode = S_IFREG | 0644, .nlink = 3, .ino = 9});
	add(&(struct entry){.name = "b", .mode = S_IFREG | 0644, .nlink = 3, .ino = 9});
	add(&(struct entry){
		.name = "c", .mode = S_IFREG | 0644, .nlink = 3, .ino = 9, .data = "shared"});
	add(&(struct entry){.name = "n1",
			    .mode = S_IFCHR | 0600,
			    .nlink = 2,
			    .ino = 10,
			    .rdev_major = 1,
			    .rdev_minor = 5});
	add(&(struct entry){.name = "n2",
			    .mode = S_IFCHR | 0600,
			    .nlink = 2,
			    .ino = 10,
			    .rdev_major = 1,
			    .rdev_minor = 5});
	add_trailer();
	/* The same ino in the next archive is another file. */
	add(&(struct entry){
		.name = "d", .mode = S_IFREG | 0644, .nlink = 2, .ino = 9, .data = "other"});
	add_trailer();
	KEXPECT_EQ(unpack(&f), 0);
	a = st_of(&f, "/a");
	b = st_of(&f, "/c");
	KEXPECT(a.ino == b.ino && a.nlink == 3);
	KEXPECT(has_contents(&f, "/a", "shared"));
	KEXPECT(has_contents(&f, "/b", "shared"));
	KEXPECT(st_of(&f, "/n1").ino == st_of(&f, "/n2").ino);
	KEXPECT(st_of(&f, "/d").ino != a.ino);
	KEXPECT(has_contents(&f, "/d", "other"));
	KEXPECT(vfs_is_consistent(f.vfs));
	vfs_fixture_teardown(t, &f);
}

KTEST(initramfs, test_unpack_later_entries_replace_earlier_ones)
{
	struct vfs_fixture f;

	KASSERT(vfs_fixture_setup(t, &f));
	reset();
	add(&(struct entry){.name = "f", .mode = S_IFREG | 0644, .data = "first version"});
	add(&(struct entry){.name = "f", .mode = S_IFREG | 0600, .data = "second"});
	add(&(struct entry){.name = "x", .mode = S_IFREG | 0644, .data = "file"});
	add(&(struct entry){.name = "x", .mode = S_IFDIR | 0755});
	add(&(struct entry){.name = "y", .mode = S_IFDIR | 0755});
	add(&(struct entry){.name = "y/inside", .mode = S_IFREG | 0644});
	/* A full directory cannot be replaced: the symlink is skipped. */
	add(&(struct entry){.name = "y", .mode = S_IFLNK | 0777, .data = "x"});
	add(&(struct entry){.name = "l", .mode = S_IFLNK | 0777, .data = "f"});
	add(&(struct entry){.name = "l", .mode = S_IFLNK | 0777, .data = "x"});
	add(&(struct entry){.name = "d", .mode = S_IFDIR | 0700});
	add(&(struct entry){.name = "d", .mode = S_IFDIR | 0755, .uid = 3});
	add_trailer();
	KEXPECT_EQ(unpack(&f), 0);
	KEXPECT(has_contents(&f, "/f", "second"));
	KEXPECT_EQ(st_of(&f, "/f").mode, S_IFREG | 0600);
	KEXPECT_EQ(st_of(&f, "/x").mode, S_IFDIR | 0755);
	KEXPECT_EQ(st_of(&f, "/y").mode, S_IFDIR | 0755);
	KEXPECT_EQ(st_of(&f, "/l").size, 1);
	KEXPECT_EQ(st_of(&f, "/d").mode, S_IFDIR | 0755);
	KEXPECT_EQ(st_of(&f, "/d").uid, 3);
	KEXPECT(vfs_is_consistent(f.vfs));
	vfs_fixture_teardown(t, &f);
}

/* ABI: Linux's do_name: creating in a missing directory fails, and the entry is skipped. */
KTEST(initramfs, test_unpack_skips_entries_without_parents)
{
	struct vfs_fixture f;

	KASSERT(vfs_fixture_setup(t, &f));
	reset();
	add(&(struct entry){.name = "a/b/c/file", .mode = S_IFREG | 0644, .data = "deep"});
	add(&(struct entry){.name = "./x/y/link", .mode = S_IFLNK | 0777, .data = "/a"});
	add(&(struct entry){.name = "/p/q/dir", .mode = S_IFDIR | 0700});
	add(&(struct entry){
		.name = "n/o/null", .mode = S_IFCHR | 0666, .rdev_major = 1, .rdev_minor = 3});
	add(&(struct entry){.name = "h1", .mode = S_IFREG | 0644, .nlink = 2, .ino = 3});
	add(&(struct entry){
		.name = "gone/h2", .mode = S_IFREG | 0644, .nlink = 2, .ino = 3, .data = "lost"});
	add(&(struct entry){.name = "p", .mode = S_IFDIR | 0755});
	add(&(struct entry){.name = "p/q", .mode = S_IFDIR | 0700});
	add(&(struct entry){.name = "p/q/file", .mode = S_IFREG | 0644, .data = "here"});
	/* Linux skips a directory, device or FIFO entry that carries data. */
	add(&(struct entry){.name = "d", .mode = S_IFDIR | 0755, .data = "junk"});
	add(&(struct entry){.name = "fifo", .mode = S_IFIFO | 0644, .data = "junk"});
	add_trailer();
	KEXPECT_EQ(unpack(&f), 0);
	KEXPECT(!fx_exists(&f, "/a"));
	KEXPECT(!fx_exists(&f, "/x"));
	KEXPECT(!fx_exists(&f, "/n"));
	KEXPECT(!fx_exists(&f, "/gone"));
	KEXPECT(!fx_exists(&f, "/d"));
	KEXPECT(!fx_exists(&f, "/fifo"));
	KEXPECT(has_contents(&f, "/h1", ""));
	KEXPECT(has_contents(&f, "/p/q/file", "here"));
	KEXPECT_EQ(st_of(&f, "/p/q").mode, S_IFDIR | 0700);
	KEXPECT(vfs_is_consistent(f.vfs));
	vfs_fixture_teardown(t, &f);
}

KTEST(initramfs, test_unpack_stays_below_its_root)
{
	struct vfs_fixture f;
	struct path sub;

	KASSERT(vfs_fixture_setup(t, &f));
	KEXPECT_EQ(vfs_mkdir(&f.ctx, NULL, "/sub", 0755), 0);
	KASSERT_EQ(vfs_lookup(&f.ctx, NULL, "/sub", 0, &sub), 0);
	reset();
	add(&(struct entry){.name = "../escape", .mode = S_IFREG | 0644, .data = "no"});
	add(&(struct entry){.name = "/abs", .mode = S_IFREG | 0644, .data = "yes"});
	add_trailer();
	KEXPECT_EQ(vfs_unpack_initramfs(&sub, archive, archive_len), 0);
	KEXPECT(!fx_exists(&f, "/escape"));
	KEXPECT(has_contents(&f, "/sub/escape", "no"));
	KEXPECT(has_contents(&f, "/sub/abs", "yes"));
	vfs_path_put(&sub);
	vfs_fixture_teardown(t, &f);
}

KTEST(initramfs, test_unpack_malformed_archive_keeps_what_came_before)
{
	struct vfs_fixture f;

	KASSERT(vfs_fixture_setup(t, &f));
	reset();
	add(&(struct entry){.name = "good", .mode = S_IFREG | 0644, .data = "ok"});
	add(&(struct entry){.name = "dir", .mode = S_IFDIR | 0755, .mtime = 77});
	add(&(struct entry){.name = "dir/f", .mode = S_IFREG | 0644});
	put("070799", 6);
	put("garbage garbage garbage", 23);
	KEXPECT_EQ(unpack(&f), -EINVAL);
	KEXPECT(has_contents(&f, "/good", "ok"));
	KEXPECT_EQ(st_of(&f, "/dir").mtime.sec, 77);
	/* An archive without its trailer is malformed too, after its entries. */
	reset();
	add(&(struct entry){.name = "late", .mode = S_IFREG | 0644});
	KEXPECT_EQ(unpack(&f), -EINVAL);
	KEXPECT(fx_exists(&f, "/late"));
	/* Nothing at all is fine. */
	reset();
	KEXPECT_EQ(unpack(&f), 0);
	vfs_fixture_teardown(t, &f);
}

static void add_failure_sample(void)
{
	reset();
	add_sample();
	add(&(struct entry){.name = "h1", .mode = S_IFREG | 0644, .nlink = 2, .ino = 3});
	add(&(struct entry){.name = "deep", .mode = S_IFDIR | 0755});
	add(&(struct entry){
		.name = "deep/h2", .mode = S_IFREG | 0644, .nlink = 2, .ino = 3, .data = "x"});
	add(&(struct entry){.name = "long", .mode = S_IFDIR | 0755});
	add(&(struct entry){
		.name = "long/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		.mode = S_IFDIR | 0755});
	add_trailer();
}

/* Fails each allocation in turn: ENOMEM or success, and a consistent VFS either way. */
static void check_allocation_failures(struct ktest *t)
{
	struct vfs_fixture f;
	int err = -ENOMEM;

	for (unsigned int n = 1; err == -ENOMEM && n < 2000; n++) {
		KASSERT(vfs_fixture_setup(t, &f));
		host_fail_kmalloc_nth(n);
		err = unpack(&f);
		host_fail_kmalloc_nth(0);
		KEXPECT(err == 0 || err == -ENOMEM);
		KEXPECT(vfs_is_consistent(f.vfs));
		if (err == 0)
			KEXPECT(has_contents(&f, "/deep/h2", "x") && has_contents(&f, "/h1", "x"));
		vfs_fixture_teardown(t, &f);
	}
	KEXPECT_EQ(err, 0);
}

KTEST(initramfs, test_unpack_survives_allocation_failures)
{
	add_failure_sample();
	check_allocation_failures(t);
}

static void compress_from(size_t start, size_t block_max);

KTEST(initramfs, test_unpack_gzip_survives_allocation_failures)
{
	add_failure_sample();
	compress_from(0, 300);
	check_allocation_failures(t);
}

static uint8_t plain[ARCHIVE_MAX];

static void put_le(uint32_t v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t b = (uint8_t)(v >> (8 * i));

		put(&b, 1);
	}
}

/* Appends src[0, len) as one gzip member of stored (uncompressed) DEFLATE blocks. */
static void put_gzip(const uint8_t *src, size_t len, size_t block_max)
{
	static const uint8_t header[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
	size_t pos = 0;

	put(header, sizeof(header));
	do {
		size_t n = MIN(len - pos, block_max);
		uint8_t final = pos + n == len;

		put(&final, 1);
		put_le((uint32_t)n, 2);
		put_le((uint32_t)~n & 0xffff, 2);
		put(src + pos, n);
		pos += n;
	} while (pos < len);
	put_le(crc32_update(0, src, len), 4);
	put_le((uint32_t)len, 4);
}

/* Turns what was written since start into a gzip member in its place. */
static void compress_from(size_t start, size_t block_max)
{
	size_t len = archive_len - start;

	memcpy(plain, archive + start, len);
	archive_len = start;
	put_gzip(plain, len, block_max);
}

KTEST(initramfs, test_unpack_gzip_members_and_plain_archives)
{
	static char big[200000];
	struct vfs_fixture f;
	struct kstat st;
	size_t start;

	memset(big, 'b', sizeof(big) - 1);
	KASSERT(vfs_fixture_setup(t, &f));
	reset();
	/* A plain archive, NUL padding, a member of two archives, another member. */
	add(&(struct entry){.name = "plain", .mode = S_IFREG | 0644, .data = "p"});
	add_trailer();
	put("\0\0\0\0\0\0\0", 7);
	/* The writer aligns entries from the start of the buffer; members count from theirs. */
	pad4();
	start = archive_len;
	add_sample();
	put("\0\0\0\0", 4);
	add(&(struct entry){.name = "big", .mode = S_IFREG | 0600, .mtime = 9, .data = big});
	add_trailer();
	compress_from(start, 65535);
	put("\0\0\0", 3);
	pad4();
	start = archive_len;
	add(&(struct entry){.name = "plain", .mode = S_IFREG | 0644, .data = "replaced"});
	add_trailer();
	compress_from(start, 1000);
	KEXPECT_EQ(unpack(&f), 0);
	KEXPECT(has_contents(&f, "/plain", "replaced"));
	KEXPECT(has_contents(&f, "/bin/sh", "#!shell"));
	KEXPECT_EQ(st_of(&f, "/bin/ash").mode, S_IFLNK | 0777);
	st = st_of(&f, "/big");
	KEXPECT(st.size == sizeof(big) - 1 && st.mtime.sec == 9 && st.mode == (S_IFREG | 0600));
	KEXPECT_EQ(st_of(&f, "/bin").mtime.sec, 22);
	KEXPECT(vfs_is_consistent(f.vfs));
	vfs_fixture_teardown(t, &f);
}

KTEST(initramfs, test_unpack_malformed_gzip)
{
	struct vfs_fixture f;
	size_t start;

	KASSERT(vfs_fixture_setup(t, &f));
	/* A member whose archive has no trailer is junk at its end. */
	reset();
	add(&(struct entry){.name = "a", .mode = S_IFREG | 0644, .data = "1"});
	compress_from(0, 100);
	KEXPECT_EQ(unpack(&f), -EINVAL);
	KEXPECT(has_contents(&f, "/a", "1"));
	/* A bad CRC is found at the member's end, after its files. */
	reset();
	add(&(struct entry){.name = "b", .mode = S_IFREG | 0644, .data = "2"});
	add_trailer();
	compress_from(0, 100);
	archive[archive_len - 8] ^= 1;
	KEXPECT_EQ(unpack(&f), -EINVAL);
	KEXPECT(has_contents(&f, "/b", "2"));
	/* Neither a plain archive nor gzip; a plain archive at a bad offset. */
	reset();
	put("junk", 4);
	KEXPECT_EQ(unpack(&f), -EINVAL);
	reset();
	put("\0", 1);
	add(&(struct entry){.name = "c", .mode = S_IFREG | 0644, .data = "3"});
	add_trailer();
	KEXPECT_EQ(unpack(&f), -EINVAL);
	KEXPECT(!fx_exists(&f, "/c"));
	/* Junk after a member's archives, inside the member. */
	reset();
	add(&(struct entry){.name = "d", .mode = S_IFREG | 0644, .data = "4"});
	add_trailer();
	put("xyz", 3);
	start = 0;
	compress_from(start, 100);
	KEXPECT_EQ(unpack(&f), -EINVAL);
	KEXPECT(has_contents(&f, "/d", "4"));
	vfs_fixture_teardown(t, &f);
}
