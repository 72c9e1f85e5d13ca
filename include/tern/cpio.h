/* SPDX-License-Identifier: MIT */
/*
 * Reader for cpio "newc" archives (lib/cpio/cpio.c), the initramfs
 * format. It walks an archive in memory and hands out one validated entry
 * at a time, pointing into the buffer; creating the files is the
 * initramfs code's job. Like Linux's init/initramfs.c it accepts several
 * archives one after another, with runs of NUL bytes between them.
 */
#pragma once

#include <tern/types.h>

/* Bytes in a newc header: 6 of magic and 13 fields of 8 hex digits. */
#define CPIO_HEADER_LEN 110

/* Iterator state over one buffer; initialize with cpio_reader_init. */
struct cpio_reader {
	const uint8_t *buf; /* the archives; not owned, must outlive the entries */
	size_t len;	    /* bytes in buf */
	size_t pos;	    /* offset of the next header; at an error, the bad one */
	uint32_t archive;   /* index of the archive being read, from 0 */
	bool in_archive;    /* an archive has started and its trailer is not yet seen */
	int err;	    /* first error met; returned again by every later call */
};

/*
 * One archive member. name and data point into the reader's buffer. The
 * numbers are the header's, unchecked: what to do with an odd mode or a
 * name longer than PATH_MAX is the caller's decision.
 */
struct cpio_entry {
	const char *name; /* NUL-terminated */
	size_t name_len;  /* bytes before the first NUL */
	const void *data; /* file contents, or the target of a symlink */
	size_t data_len;  /* c_filesize; the data is not NUL-terminated */
	uint32_t mode;	  /* file type (S_IFMT bits) and permissions */
	uint32_t uid;
	uint32_t gid;
	uint32_t nlink; /* > 1: hard links share ino, dev_major and dev_minor */
	uint32_t mtime; /* seconds since the epoch */
	uint32_t ino;
	uint32_t dev_major; /* device of the archived file, for hard links */
	uint32_t dev_minor;
	uint32_t rdev_major; /* device number of a block or character device */
	uint32_t rdev_minor;
	uint32_t archive; /* which archive of the buffer, from 0; see below */
};

/*
 * Hard links: entries with nlink > 1 and the same ino, dev_major and
 * dev_minor are one file, but only within one archive (Linux forgets them
 * at each trailer); GNU cpio puts the data in the last of them.
 */

/* Starts reading the archives in buf[0, len). */
void cpio_reader_init(struct cpio_reader *r, const void *buf, size_t len);

/*
 * Decodes the next entry into out. Returns 1 for an entry, 0 when the
 * buffer ends just after an archive's "TRAILER!!!" (or holds nothing but
 * NUL bytes), and -EINVAL for a malformed buffer: a magic other than
 * "070701" or "070702", a field that is not 8 hex digits, c_namesize 0, a
 * name whose last byte is not NUL, a header, name or data cut off by the
 * end of the buffer, a header not at a multiple of 4 from the start, a
 * "070702" regular file whose data does not sum to c_check, or the end of
 * the buffer inside an archive (no trailer). Trailers and the NUL bytes
 * between entries and between archives are skipped; trailer entries are
 * not returned. out is written only when 1 is returned. After an error
 * r->pos is the offset of the bad header.
 */
int cpio_next_entry(struct cpio_reader *r, struct cpio_entry *out) __must_check;
