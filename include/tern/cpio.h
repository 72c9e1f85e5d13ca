/* SPDX-License-Identifier: MIT */
/*
 * Readers for cpio "newc" archives (lib/cpio/cpio.c), the initramfs
 * format: one walks an archive in memory and hands out one validated
 * entry at a time, pointing into the buffer; the other is fed the bytes
 * in chunks of any size (a decompressor's output) and calls back with
 * each entry's header and then its data as it arrives. Creating the
 * files is the initramfs code's job. Like Linux's init/initramfs.c both
 * accept several archives one after another, with runs of NUL bytes
 * between them.
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

/* Longest name the stream reader hands out; longer ones are skipped, as Linux does. */
#define CPIO_NAME_MAX 4096

/*
 * What a stream reader calls, in order, for each entry but trailers:
 * begin with the header and name (e->data is NULL: the data_len bytes
 * follow through data, in pieces), then end once they are all there.
 * Each returns 0 to go on or a negative errno, which stops the reader
 * and is returned by cpio_stream_feed. e is valid until end returns.
 */
struct cpio_stream_ops {
	int (*begin)(void *ctx, const struct cpio_entry *e);
	int (*data)(void *ctx, const void *buf, size_t len);
	int (*end)(void *ctx);
};

enum cpio_stream_state {
	CPIO_STREAM_GAP,    /* between entries: NUL bytes, then a header */
	CPIO_STREAM_HEADER, /* collecting the 110 header bytes */
	CPIO_STREAM_NAME,   /* collecting the name */
	CPIO_STREAM_DATA,   /* passing the data on */
	CPIO_STREAM_PAD,    /* skipping to the next multiple of 4 */
};

/* A push reader; initialize with cpio_stream_init. */
struct cpio_stream {
	const struct cpio_stream_ops *ops;
	void *ctx;
	/*
	 * Bytes fed so far, for the 4-byte alignment of headers. The caller
	 * may set it between archives: Linux counts from the start of each
	 * compressed member, and from the start of the image otherwise.
	 */
	uint64_t pos;
	enum cpio_stream_state state;
	uint8_t header[CPIO_HEADER_LEN];
	size_t header_len;	      /* bytes of header collected */
	uint64_t name_size;	      /* c_namesize */
	uint64_t name_have;	      /* bytes of the name seen */
	uint8_t name_last;	      /* the last name byte seen */
	char name[CPIO_NAME_MAX + 1]; /* the name, if it fits */
	uint64_t data_left;	      /* data bytes still to come */
	uint64_t pad_left;	      /* padding bytes still to skip */
	uint32_t sum;		      /* of the data, for "070702" regular files */
	uint32_t check;		      /* c_check */
	struct cpio_entry entry;      /* the entry being read */
	bool has_check;		      /* the entry's magic is "070702" */
	bool is_passed_on;	      /* the entry goes to the ops (begun, not skipped) */
	bool is_trailer;	      /* the entry is a trailer */
	bool has_ended_archive;	      /* a trailer was read since the last feed began */
	bool in_archive;	      /* an archive has started and its trailer is not yet seen */
	uint32_t archive;	      /* index of the archive being read, from 0 */
	int err;		      /* first error; returned again by every later call */
};

void cpio_stream_init(struct cpio_stream *s, const struct cpio_stream_ops *ops, void *ctx);

/*
 * Reads buf[0, len): calls the ops for the entries in it, keeping
 * partial headers, names and data for the next call. With
 * stop_after_trailer it returns as soon as an archive's trailer (and its
 * padding) is read, so that the caller can look at what follows itself.
 * *used gets the bytes read. Returns 0, -EINVAL for malformed input (as
 * for cpio_next_entry; a bad "070702" checksum is found after the data
 * went out, as in Linux), or an op's error.
 */
int cpio_stream_feed(struct cpio_stream *s, const void *buf, size_t len, bool stop_after_trailer,
		     size_t *used) __must_check;

/* True if the input so far ends between archives (after a trailer, or before any archive). */
bool cpio_stream_is_between_archives(const struct cpio_stream *s);

/* The end of the input: 0 if it ends between archives, else -EINVAL (or the earlier error). */
int cpio_stream_finish(struct cpio_stream *s) __must_check;
