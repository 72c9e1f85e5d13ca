// SPDX-License-Identifier: MIT
/*
 * Host tests for the pipe buffer (fs/pipe.c): merging of small writes,
 * page-sized slots and the full ring, packets, resizing, tee's copies,
 * and every allocation failure.
 */
#include <host_fault.h>
#include <tern/errno.h>
#include <tern/ktest.h>
#include <tern/pipe.h>
#include <tern/string.h>

static char pipe_src[8 * PAGE_SIZE];
static char pipe_dst[8 * PAGE_SIZE];

static void fill_pattern(void)
{
	for (size_t i = 0; i < sizeof(pipe_src); i++)
		pipe_src[i] = (char)(i * 7 + i / 251);
}

/* A whole write as kernel/pipe.c does one that never waits. */
static size_t write_all(struct pipe_ring *r, const void *buf, size_t len, bool is_packet)
{
	size_t merged = pipe_ring_merge(r, buf, len), done = 0;

	if (merged == len)
		return len;
	if (pipe_ring_push(r, (const char *)buf + merged, len - merged,
			   is_packet ? PIPE_SLOT_PACKET : PIPE_SLOT_PLAIN, &done) != 0)
		return merged;
	return merged + done;
}

KTEST(pipe, test_pipe_ring_small_writes_merge_into_one_slot)
{
	struct pipe_ring r;
	long live = host_kmalloc_live();

	fill_pattern();
	KASSERT_EQ(pipe_ring_init(&r, 4), 0);
	KEXPECT(pipe_ring_is_empty(&r));
	for (int i = 0; i < 100; i++)
		KEXPECT_EQ(write_all(&r, pipe_src + i * 10, 10, false), 10);
	KEXPECT_EQ(pipe_ring_nr_used(&r), 1);
	KEXPECT_EQ(r.nr_bytes, 1000);
	KEXPECT_EQ(pipe_ring_pop(&r, pipe_dst, 999), 999);
	KEXPECT_EQ(pipe_ring_pop(&r, pipe_dst + 999, 100), 1);
	KEXPECT(memcmp(pipe_src, pipe_dst, 1000) == 0);
	KEXPECT(pipe_ring_is_empty(&r));
	KEXPECT_EQ(r.nr_bytes, 0);
	pipe_ring_fini(&r);
	KEXPECT_EQ(host_kmalloc_live(), live);
}

KTEST(pipe, test_pipe_ring_fills_and_reports_full)
{
	struct pipe_ring r;
	size_t done;

	fill_pattern();
	KASSERT_EQ(pipe_ring_init(&r, 4), 0);
	KEXPECT_EQ(write_all(&r, pipe_src, 5 * PAGE_SIZE, false), 4 * PAGE_SIZE);
	KEXPECT(pipe_ring_is_full(&r));
	KEXPECT_EQ(pipe_ring_merge(&r, pipe_src, 1), 0);
	KEXPECT_EQ(pipe_ring_push(&r, pipe_src, 1, PIPE_SLOT_PLAIN, &done), 0);
	KEXPECT_EQ(done, 0);
	KEXPECT_EQ(pipe_ring_pop(&r, pipe_dst, sizeof(pipe_dst)), 4 * PAGE_SIZE);
	KEXPECT(memcmp(pipe_src, pipe_dst, 4 * PAGE_SIZE) == 0);
	pipe_ring_fini(&r);
}

KTEST(pipe, test_pipe_ring_write_of_pipe_buf_needs_a_whole_slot)
{
	struct pipe_ring r;

	KASSERT_EQ(pipe_ring_init(&r, 2), 0);
	KEXPECT_EQ(write_all(&r, pipe_src, 100, false), 100);
	/* A page-sized write never merges, a partial page only when all of it fits. */
	KEXPECT_EQ(pipe_ring_merge(&r, pipe_src, PAGE_SIZE), 0);
	KEXPECT_EQ(pipe_ring_merge(&r, pipe_src, PAGE_SIZE - 99), 0);
	KEXPECT_EQ(pipe_ring_merge(&r, pipe_src, PAGE_SIZE - 100), PAGE_SIZE - 100);
	KEXPECT_EQ(pipe_ring_nr_used(&r), 1);
	/* The last slot is full to its end even after a read: the ring takes one page more. */
	KEXPECT_EQ(pipe_ring_pop(&r, pipe_dst, 50), 50);
	KEXPECT_EQ(write_all(&r, pipe_src, PAGE_SIZE + 50, false), PAGE_SIZE);
	KEXPECT(pipe_ring_is_full(&r));
	KEXPECT_EQ(r.nr_bytes, 2 * PAGE_SIZE - 50);
	pipe_ring_fini(&r);
	/* A page and a bit: the bit merges first, the page takes a slot. */
	KASSERT_EQ(pipe_ring_init(&r, 4), 0);
	KEXPECT_EQ(write_all(&r, pipe_src, 100, false), 100);
	KEXPECT_EQ(write_all(&r, pipe_src, PAGE_SIZE + 50, false), PAGE_SIZE + 50);
	KEXPECT_EQ(pipe_ring_nr_used(&r), 2);
	KEXPECT_EQ(r.slots[0].len, 150);
	pipe_ring_fini(&r);
}

KTEST(pipe, test_pipe_ring_reads_span_slots)
{
	struct pipe_ring r;

	fill_pattern();
	KASSERT_EQ(pipe_ring_init(&r, 8), 0);
	KEXPECT_EQ(write_all(&r, pipe_src, 3 * PAGE_SIZE + 5, false), 3 * PAGE_SIZE + 5);
	KEXPECT_EQ(pipe_ring_pop(&r, pipe_dst, 10), 10);
	KEXPECT_EQ(pipe_ring_pop(&r, pipe_dst + 10, 2 * PAGE_SIZE), 2 * PAGE_SIZE);
	KEXPECT_EQ(pipe_ring_pop(&r, pipe_dst + 10 + 2 * PAGE_SIZE, 8 * PAGE_SIZE), PAGE_SIZE - 5);
	KEXPECT(memcmp(pipe_src, pipe_dst, 3 * PAGE_SIZE + 5) == 0);
	KEXPECT_EQ(pipe_ring_pop(&r, pipe_dst, 1), 0);
	pipe_ring_fini(&r);
}

KTEST(pipe, test_pipe_ring_packets_are_read_whole_and_never_merged)
{
	struct pipe_ring r;

	fill_pattern();
	KASSERT_EQ(pipe_ring_init(&r, 4), 0);
	KEXPECT_EQ(write_all(&r, pipe_src, 10, true), 10);
	KEXPECT_EQ(write_all(&r, pipe_src + 10, 20, true), 20);
	KEXPECT_EQ(pipe_ring_nr_used(&r), 2);
	KEXPECT_EQ(pipe_ring_pop(&r, pipe_dst, 100), 10);
	KEXPECT(memcmp(pipe_dst, pipe_src, 10) == 0);
	/* A short read drops the rest of its packet. */
	KEXPECT_EQ(pipe_ring_pop(&r, pipe_dst, 5), 5);
	KEXPECT(memcmp(pipe_dst, pipe_src + 10, 5) == 0);
	KEXPECT(pipe_ring_is_empty(&r));
	KEXPECT_EQ(r.nr_bytes, 0);
	/* Big packet writes split into page-sized packets; a plain write after one does not merge. */
	KEXPECT_EQ(write_all(&r, pipe_src, PAGE_SIZE + 1, true), PAGE_SIZE + 1);
	KEXPECT_EQ(write_all(&r, pipe_src, 1, false), 1);
	KEXPECT_EQ(pipe_ring_nr_used(&r), 3);
	KEXPECT_EQ(pipe_ring_pop(&r, pipe_dst, 2 * PAGE_SIZE), PAGE_SIZE);
	pipe_ring_fini(&r);
}

KTEST(pipe, test_pipe_ring_pop_bytes_reads_across_packets)
{
	struct pipe_ring r;

	fill_pattern();
	KASSERT_EQ(pipe_ring_init(&r, 4), 0);
	KEXPECT_EQ(write_all(&r, pipe_src, 10, true), 10);
	KEXPECT_EQ(write_all(&r, pipe_src + 10, 20, true), 20);
	KEXPECT_EQ(pipe_ring_pop_bytes(&r, pipe_dst, 15), 15);
	KEXPECT_EQ(pipe_ring_nr_used(&r), 1);
	KEXPECT_EQ(r.nr_bytes, 15);
	KEXPECT_EQ(pipe_ring_pop_bytes(&r, pipe_dst + 15, 100), 15);
	KEXPECT(memcmp(pipe_src, pipe_dst, 30) == 0);
	KEXPECT(pipe_ring_is_empty(&r));
	pipe_ring_fini(&r);
}

KTEST(pipe, test_pipe_ring_sealed_slots_take_no_merges)
{
	struct pipe_ring r;
	size_t done;

	KASSERT_EQ(pipe_ring_init(&r, 4), 0);
	KEXPECT_EQ(pipe_ring_push(&r, pipe_src, 10, PIPE_SLOT_SEALED, &done), 0);
	KEXPECT_EQ(done, 10);
	KEXPECT_EQ(write_all(&r, pipe_src, 10, false), 10);
	KEXPECT_EQ(pipe_ring_nr_used(&r), 2);
	KEXPECT_EQ(write_all(&r, pipe_src, 10, false), 10);
	KEXPECT_EQ(pipe_ring_nr_used(&r), 2);
	KEXPECT_EQ(pipe_ring_pop(&r, pipe_dst, 100), 30);
	pipe_ring_fini(&r);
}

KTEST(pipe, test_pipe_ring_tee_copies_without_consuming)
{
	struct pipe_ring src, dst;
	long live = host_kmalloc_live();
	size_t len = 2 * PAGE_SIZE + 100, done = 0;

	fill_pattern();
	KASSERT_EQ(pipe_ring_init(&src, 4), 0);
	KASSERT_EQ(pipe_ring_init(&dst, 8), 0);
	KEXPECT_EQ(write_all(&src, pipe_src, len, false), len);
	KEXPECT_EQ(pipe_ring_pop(&src, pipe_dst, 7), 7);
	KEXPECT_EQ(pipe_ring_tee(&src, &dst, SIZE_MAX, &done), 0);
	KEXPECT_EQ(done, len - 7);
	KEXPECT_EQ(src.nr_bytes, len - 7);
	KEXPECT_EQ(pipe_ring_nr_used(&src), 3);
	KEXPECT_EQ(pipe_ring_nr_used(&dst), 3);
	KEXPECT_EQ(dst.nr_bytes, len - 7);
	KEXPECT_EQ(pipe_ring_pop(&dst, pipe_dst + 7, sizeof(pipe_dst) - 7), len - 7);
	KEXPECT(memcmp(pipe_src, pipe_dst, len) == 0);
	memset(pipe_dst, 0, sizeof(pipe_dst));
	KEXPECT_EQ(pipe_ring_pop(&src, pipe_dst + 7, sizeof(pipe_dst) - 7), len - 7);
	KEXPECT(memcmp(pipe_src + 7, pipe_dst + 7, len - 7) == 0);
	KEXPECT_EQ(pipe_ring_tee(&src, &dst, 10, &done), 0);
	KEXPECT_EQ(done, 0);
	pipe_ring_fini(&src);
	pipe_ring_fini(&dst);
	KEXPECT_EQ(host_kmalloc_live(), live);
}

KTEST(pipe, test_pipe_ring_tee_stops_at_len_and_at_a_full_ring)
{
	struct pipe_ring src, dst;
	size_t done = 0;

	fill_pattern();
	KASSERT_EQ(pipe_ring_init(&src, 8), 0);
	KASSERT_EQ(pipe_ring_init(&dst, 2), 0);
	KEXPECT_EQ(write_all(&src, pipe_src, 3 * PAGE_SIZE, false), 3 * PAGE_SIZE);
	KEXPECT_EQ(pipe_ring_tee(&src, &dst, PAGE_SIZE + 10, &done), 0);
	KEXPECT_EQ(done, PAGE_SIZE + 10);
	KEXPECT_EQ(dst.slots[1].len, 10);
	/* A copy is sealed: not even a byte merges into it. */
	KEXPECT_EQ(write_all(&dst, pipe_src, 1, false), 0);
	KEXPECT(pipe_ring_is_full(&dst));
	KEXPECT_EQ(pipe_ring_tee(&src, &dst, SIZE_MAX, &done), 0);
	KEXPECT_EQ(done, 0);
	KEXPECT_EQ(pipe_ring_pop(&dst, pipe_dst, PAGE_SIZE), PAGE_SIZE);
	KEXPECT_EQ(pipe_ring_tee(&src, &dst, SIZE_MAX, &done), 0);
	KEXPECT_EQ(done, PAGE_SIZE);
	KEXPECT_EQ(src.nr_bytes, 3 * PAGE_SIZE);
	pipe_ring_fini(&src);
	pipe_ring_fini(&dst);
	/* Packets stay packets. */
	KASSERT_EQ(pipe_ring_init(&src, 4), 0);
	KASSERT_EQ(pipe_ring_init(&dst, 4), 0);
	KEXPECT_EQ(write_all(&src, pipe_src, 10, true), 10);
	KEXPECT_EQ(write_all(&src, pipe_src + 10, 10, true), 10);
	KEXPECT_EQ(pipe_ring_tee(&src, &dst, 15, &done), 0);
	KEXPECT_EQ(done, 15);
	KEXPECT_EQ(pipe_ring_pop(&dst, pipe_dst, 100), 10);
	KEXPECT_EQ(pipe_ring_pop(&dst, pipe_dst + 10, 100), 5);
	KEXPECT(memcmp(pipe_src, pipe_dst, 15) == 0);
	pipe_ring_fini(&src);
	pipe_ring_fini(&dst);
}

KTEST(pipe, test_pipe_ring_resize_keeps_data_in_order)
{
	struct pipe_ring r;

	fill_pattern();
	KASSERT_EQ(pipe_ring_init(&r, 4), 0);
	KEXPECT_EQ(write_all(&r, pipe_src, 3 * PAGE_SIZE, false), 3 * PAGE_SIZE);
	KEXPECT_EQ(pipe_ring_pop(&r, pipe_dst, 2 * PAGE_SIZE), 2 * PAGE_SIZE);
	KEXPECT_EQ(write_all(&r, pipe_src + 3 * PAGE_SIZE, 3 * PAGE_SIZE, false), 3 * PAGE_SIZE);
	KEXPECT_EQ(pipe_ring_resize(&r, 2), -EBUSY);
	KEXPECT_EQ(pipe_ring_resize(&r, 8), 0);
	KEXPECT_EQ(write_all(&r, pipe_src + 6 * PAGE_SIZE, 2 * PAGE_SIZE, false), 2 * PAGE_SIZE);
	KEXPECT_EQ(pipe_ring_pop(&r, pipe_dst + 2 * PAGE_SIZE, 6 * PAGE_SIZE), 6 * PAGE_SIZE);
	KEXPECT(memcmp(pipe_src, pipe_dst, 8 * PAGE_SIZE) == 0);
	KEXPECT_EQ(pipe_ring_resize(&r, 1), 0);
	KEXPECT_EQ(r.nr_slots, 1);
	pipe_ring_fini(&r);
}

KTEST(pipe, test_pipe_slots_for_size_rounds_like_linux)
{
	KEXPECT_EQ(pipe_slots_for_size(0), 1);
	KEXPECT_EQ(pipe_slots_for_size(1), 1);
	KEXPECT_EQ(pipe_slots_for_size(PAGE_SIZE), 1);
	KEXPECT_EQ(pipe_slots_for_size(PAGE_SIZE + 1), 2);
	KEXPECT_EQ(pipe_slots_for_size(65536), 16);
	KEXPECT_EQ(pipe_slots_for_size(100000), 32);
	KEXPECT_EQ(pipe_slots_for_size(1ull << 31), 1u << 19);
	KEXPECT_EQ(pipe_slots_for_size((1ull << 31) + 1), 0);
}

/* A tee out of the empty r that may fail: what it claims to have copied is there. */
static void tee_under_failure(struct ktest *t, struct pipe_ring *r)
{
	struct pipe_ring dst;
	size_t put = write_all(r, pipe_src, 2 * PAGE_SIZE, false), done = 0;

	if (pipe_ring_init(&dst, 4) != 0)
		return;
	int err = pipe_ring_tee(r, &dst, SIZE_MAX, &done);
	KEXPECT(err == 0 || (err == -ENOMEM && done == 0));
	KEXPECT(done <= put);
	KEXPECT_EQ(pipe_ring_pop(&dst, pipe_dst, sizeof(pipe_dst)), done);
	KEXPECT(memcmp(pipe_src, pipe_dst, done) == 0);
	pipe_ring_fini(&dst);
}

KTEST(pipe, test_pipe_ring_survives_every_allocation_failure)
{
	fill_pattern();
	for (unsigned int n = 1; n < 16; n++) {
		struct pipe_ring r;
		long live = host_kmalloc_live();
		size_t done = 0;

		host_fail_kmalloc_nth(n);
		int err = pipe_ring_init(&r, 2);
		if (!err) {
			err = pipe_ring_push(&r, pipe_src, 2 * PAGE_SIZE, PIPE_SLOT_PLAIN, &done);
			KEXPECT(err == 0 || (err == -ENOMEM && done == 0));
			KEXPECT_EQ(pipe_ring_pop(&r, pipe_dst, sizeof(pipe_dst)), done);
			KEXPECT(memcmp(pipe_src, pipe_dst, done) == 0);
			err = pipe_ring_resize(&r, 4);
			KEXPECT(err == 0 || err == -ENOMEM);
			tee_under_failure(t, &r);
			pipe_ring_fini(&r);
		} else {
			KEXPECT_EQ(err, -ENOMEM);
		}
		host_fail_kmalloc_nth(0);
		KEXPECT_EQ(host_kmalloc_live(), live);
	}
}
