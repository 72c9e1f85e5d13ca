/* SPDX-License-Identifier: MIT */
/*
 * Pipes and FIFOs. The buffer (fs/pipe.c) is Linux's ring of page-sized
 * slots: small writes merge into the last slot while they fit, others
 * take fresh slots, so a write of at most PIPE_BUF bytes lands whole in
 * one slot (atomic), and the pipe is full when every slot is used.
 * O_DIRECT writers make packets, slots that are never merged and that a
 * read takes whole; tee and vmsplice make sealed slots, never merged
 * either. The pipe object with its blocking, its files, FIFO
 * opening and readiness is kernel/pipe.c; pipe(2) is kernel/sys_pipe.c.
 *
 * A ring is not locked: its owner serializes every call.
 */
#pragma once

#include <tern/base.h>

#define PIPE_DEF_SLOTS 16	       /* Linux's PIPE_DEF_BUFFERS: 64 KiB */
#define PIPE_MAX_SIZE_BYTES (1u << 20) /* /proc/sys/fs/pipe-max-size */

enum pipe_slot_kind {
	PIPE_SLOT_PLAIN,  /* write(2): later small writes may merge into it */
	PIPE_SLOT_PACKET, /* written with O_DIRECT: never merged, read whole */
	PIPE_SLOT_SEALED, /* tee or vmsplice: never merged (Linux clears CAN_MERGE) */
};

struct pipe_slot {
	char *page;		  /* PAGE_SIZE bytes */
	uint32_t offset;	  /* first unread byte in page */
	uint32_t len;		  /* unread bytes from offset */
	enum pipe_slot_kind kind; /* how writes and reads treat it */
};

struct pipe_ring {
	struct pipe_slot *slots; /* nr_slots of them */
	uint32_t nr_slots;	 /* a power of two */
	uint32_t head;		 /* free-running: the next slot to fill */
	uint32_t tail;		 /* free-running: the oldest slot in use */
	size_t nr_bytes;	 /* unread bytes in all slots */
	char *spare;		 /* a free page kept for the next slot, or NULL */
};

/* An empty ring of nr_slots (a power of two) slots: 0 or -ENOMEM. */
int pipe_ring_init(struct pipe_ring *r, uint32_t nr_slots) __must_check;
/* Frees the pages and the slots. */
void pipe_ring_fini(struct pipe_ring *r);

static inline uint32_t pipe_ring_nr_used(const struct pipe_ring *r)
{
	return r->head - r->tail;
}

static inline bool pipe_ring_is_empty(const struct pipe_ring *r)
{
	return r->head == r->tail;
}

static inline bool pipe_ring_is_full(const struct pipe_ring *r)
{
	return pipe_ring_nr_used(r) >= r->nr_slots;
}

/*
 * The first step of a write of len bytes (Linux's pipe_write): the part
 * of len beyond whole pages goes into the last slot if all of it fits
 * there and the slot is no packet. Returns the bytes taken (0 or
 * len % PAGE_SIZE) from the start of buf.
 */
size_t pipe_ring_merge(struct pipe_ring *r, const void *buf, size_t len);
/* True if pipe_ring_merge would take the last len % PAGE_SIZE bytes of len. */
bool pipe_ring_can_merge(const struct pipe_ring *r, size_t len);

/*
 * Fills free slots of the given kind with up to a page of buf each,
 * until len bytes went in or the ring is full. 0 with the count in
 * *done, or -ENOMEM when not even one slot could get a page.
 */
int pipe_ring_push(struct pipe_ring *r, const void *buf, size_t len, enum pipe_slot_kind kind,
		   size_t *done) __must_check;

/*
 * Reads up to len bytes, oldest first, freeing the slots it empties. A
 * packet ends the read: what of it did not fit in len is dropped.
 * Returns the count (0 when empty).
 */
size_t pipe_ring_pop(struct pipe_ring *r, void *buf, size_t len);
/*
 * As pipe_ring_pop, for a read of len bytes of which only the first
 * nr_good can reach the reader: as Linux's pipe_read, it stops before
 * the first slot whose part for this read does not fit whole in them,
 * leaving that slot as it was.
 */
size_t pipe_ring_pop_prefix(struct pipe_ring *r, void *buf, size_t len, size_t nr_good);

/*
 * As pipe_ring_pop, but packets are read as plain bytes (Linux's
 * splice-side reads, vmsplice to user memory, ignore packet bounds).
 */
size_t pipe_ring_pop_bytes(struct pipe_ring *r, void *buf, size_t len);

/*
 * tee (Linux's link_pipe): copies up to len bytes from the oldest slots
 * of src into fresh slots of dst, one for each slot of src, while dst
 * has free slots; src stays as it was. A copied packet stays a packet,
 * other copies are sealed. 0 with the count in *done, or -ENOMEM when
 * not even one slot could get a page. src and dst differ.
 */
int pipe_ring_tee(const struct pipe_ring *src, struct pipe_ring *dst, size_t len,
		  size_t *done) __must_check;

/*
 * F_SETPIPE_SZ: nr_slots (a power of two) slots from now on. 0, -EBUSY
 * when more slots are in use, -ENOMEM.
 */
int pipe_ring_resize(struct pipe_ring *r, uint32_t nr_slots) __must_check;

/*
 * F_SETPIPE_SZ's rounding (Linux's round_pipe_size): a power of two of at
 * least a page, in slots; 0 for sizes over 2^31 bytes (EINVAL).
 */
uint32_t pipe_slots_for_size(uint64_t size_bytes);

/*
 * The pipe files (kernel/pipe.c). pipe_register makes pipefs in vfs and
 * lets its FIFOs open.
 */
struct vfs;
struct vfs_cred;
struct file;

int pipe_register(struct vfs *vfs) __must_check;
/*
 * pipe2(2) without the descriptors: a read end and a write end owned by
 * cred; flags O_NONBLOCK, O_DIRECT (packets). 0 or -ENOMEM.
 */
int pipe_create_files(const struct vfs_cred *cred, unsigned int flags, struct file **rd,
		      struct file **wr) __must_check;
/* fcntl F_GETPIPE_SZ and F_SETPIPE_SZ: the size in bytes, or -errno (EBADF: no pipe). */
long pipe_fcntl(struct file *file, unsigned int cmd, unsigned long arg);
/* True if file is either end of a pipe or an open FIFO. */
bool pipe_file_is_pipe(const struct file *file);
/*
 * read(2) and write(2) of len bytes on a pipe when only the first
 * nr_good bytes of the user's buffer can be copied (sys_fd.c), cut where
 * Linux's pipe_read and pipe_write cut them: at whole slots, the rest
 * left in the pipe or never written. -EFAULT if nothing could move, after
 * the same waits and checks as a read or write with a good buffer.
 */
int pipe_read_prefix(struct file *file, void *buf, size_t len, size_t nr_good,
		     size_t *done) __must_check;
int pipe_write_prefix(struct file *file, const void *buf, size_t len, size_t nr_good,
		      size_t *done) __must_check;
/*
 * For splice and sendfile (kernel/sys_copy.c): sleeps, unless nonblock,
 * until file's pipe has room (for_write) or data, then *bytes is the room
 * in whole free slots or the unread bytes (0 at end of file: no writer
 * left). 0, -EAGAIN, -EPIPE (and SIGPIPE: no reader), -ERESTARTSYS.
 */
int pipe_splice_wait(struct file *file, bool for_write, bool nonblock, size_t *bytes) __must_check;
/*
 * tee(2) between two different pipes (Linux's do_tee): sleeps, unless
 * nonblock, until in has data and out has room, then duplicates up to
 * len bytes of in into out without consuming them. The count (0: in is
 * empty and has no writer), -EAGAIN, -EPIPE (and SIGPIPE: out has no
 * reader), -ERESTARTSYS or -ENOMEM.
 */
long pipe_tee(struct file *in, struct file *out, size_t len, bool nonblock);
/*
 * vmsplice(2) into file's pipe: the nr pieces of buf, lens[i] bytes each
 * (at most a page), take a sealed slot each while slots are free. The
 * first call of a syscall (is_first) sleeps, unless nonblock, for a free
 * slot: -EAGAIN, -EPIPE (and SIGPIPE: no reader), -ERESTARTSYS; later ones
 * stop quietly at a full pipe or a lost reader. 0 with the bytes taken in
 * *done, or -errno (-ENOMEM) if none were.
 */
int pipe_vmsplice_write(struct file *file, const char *buf, const uint32_t *lens, uint32_t nr,
			bool is_first, bool nonblock, size_t *done) __must_check;
/*
 * vmsplice(2) out of file's pipe: up to len bytes, packets read as plain
 * bytes. The first call of a syscall sleeps, unless nonblock, for data
 * (-EAGAIN, -ERESTARTSYS; *done 0 at end of file); later ones take what
 * is there. 0 with the count in *done, or -errno.
 */
int pipe_vmsplice_read(struct file *file, void *buf, size_t len, bool is_first, bool nonblock,
		       size_t *done) __must_check;
