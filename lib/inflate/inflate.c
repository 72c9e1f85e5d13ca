// SPDX-License-Identifier: MIT
/*
 * DEFLATE decoder (RFC 1951), the core of include/tern/inflate.h. Pure
 * code over an input buffer in memory; the gzip framing around a stream
 * is in gzip.c. Huffman codes are decoded by table lookup, not bit by
 * bit: a root table indexed by the next 10 (literal/length) or 8
 * (distance) input bits gives the symbol of any code that short, and
 * points longer codes to a second-level table for their remaining bits.
 */
#include <asm-generic/errno.h>
#include <tern/base.h>
#include <tern/inflate.h>
#include <tern/string.h>

enum {
	WINDOW_BYTES = 32768, /* how far back a distance may reach */
	STREAM_BUF_BYTES = INFLATE_CHUNK_MAX,
	MAX_MATCH_LEN = 258,
	COPY_SLACK = 8, /* copy_match may write up to 7 bytes past a match */
	MAX_CODE_BITS = 15,
	NR_LITLEN_SYMS = 288, /* 286 and 287 only complete the fixed code */
	NR_DYNAMIC_LITLEN_SYMS = 286,
	NR_DIST_SYMS = 32, /* 30 and 31 likewise */
	NR_DYNAMIC_DIST_SYMS = 30,
	NR_CODELEN_SYMS = 19,
	END_OF_BLOCK = 256,
	LITLEN_ROOT_BITS = 10,
	DIST_ROOT_BITS = 8,
	CODELEN_ROOT_BITS = 7, /* code-length codes are at most 7 bits */
};

/*
 * Table sizes. A second-level table for codes up to k bits longer than
 * the root has 2^k entries and, the code being complete, at least k + 1
 * codes (a full binary tree of depth k has k + 1 leaves or more), which
 * no other table shares. 2^k / (k + 1) is largest for the largest k: 5
 * for literal/length codes (15 - 10), so 286 symbols need at most
 * 286 * 32 / 6 < 1526 second-level entries; 7 for distance codes, so 30
 * symbols need at most 30 * 16 = 480. The only incomplete codes accepted
 * have one 1-bit code and no second level.
 */
enum {
	LITLEN_TABLE_LEN = (1 << LITLEN_ROOT_BITS) + 1526,
	DIST_TABLE_LEN = (1 << DIST_ROOT_BITS) + 480,
	CODELEN_TABLE_LEN = 1 << CODELEN_ROOT_BITS,
};

/*
 * A table entry, packed in 32 bits:
 *   bits 0-3    code bits it accounts for (beyond the root bits, in a
 *               second-level table)
 *   bits 4-7    extra bits that follow the code (ENTRY_BASE), or index
 *               bits of the second-level table (ENTRY_LINK)
 *   bits 8-10   enum entry_kind
 *   bits 16-31  the value: a literal byte or code-length symbol, a base
 *               length or distance, or a second-level table's offset
 * A zero entry is ENTRY_INVALID: no code leads there.
 */
enum entry_kind {
	ENTRY_INVALID,
	ENTRY_LITERAL,
	ENTRY_BASE,
	ENTRY_END,
	ENTRY_LINK,
};

enum code_kind {
	CODE_LITLEN,
	CODE_DIST,
	CODE_CODELEN,
};

/* The input, read least significant bit first (RFC 1951 3.1.1). */
struct bit_reader {
	const uint8_t *in;
	size_t in_len;
	size_t in_pos;	     /* next byte not yet in bitbuf */
	uint64_t bitbuf;     /* input bits, the next one lowest */
	unsigned int bitcnt; /* valid bits in bitbuf; above them, 0 or later input */
};

struct inflate_state {
	struct bit_reader br;
	uint8_t *out;	       /* the caller's buffer, or the stream window */
	size_t out_size;       /* bytes in out */
	size_t out_pos;	       /* next byte of out to write */
	size_t out_flushed;    /* stream: out[0, out_flushed) went to the sink */
	size_t out_dropped;    /* stream: output bytes slid out of the window */
	bool has_fixed_tables; /* litlen and dist hold the fixed codes */
	int (*sink)(void *ctx, const void *data, size_t len);
	void *ctx;
	uint32_t litlen[LITLEN_TABLE_LEN];
	uint32_t dist[DIST_TABLE_LEN];
	uint32_t codelen[CODELEN_TABLE_LEN];
	uint8_t lens[NR_DYNAMIC_LITLEN_SYMS + NR_DYNAMIC_DIST_SYMS + 4]; /* code lengths read */
	uint16_t codes[NR_LITLEN_SYMS];		 /* table building: bit-reversed codes */
	uint8_t sub_bits[1 << LITLEN_ROOT_BITS]; /* table building: second-level index bits */
};

/* kmalloc hands out whole power-of-two page blocks for requests this big. */
_Static_assert(sizeof(struct inflate_state) <= 4 * PAGE_SIZE, "inflate state outgrew 16 KiB");
_Static_assert(STREAM_BUF_BYTES - WINDOW_BYTES >= MAX_MATCH_LEN + COPY_SLACK,
	       "a slide must make room for a match");

/* RFC 1951 3.2.5: lengths of symbols 257..285 and distances 0..29. */
static const uint16_t length_base[] = {3,  4,  5,  6,	7,   8,	  9,   10,  11, 13,
				       15, 17, 19, 23,	27,  31,  35,  43,  51, 59,
				       67, 83, 99, 115, 131, 163, 195, 227, 258};
static const uint8_t length_extra[] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
				       2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
static const uint16_t dist_base[] = {1,	   2,	 3,    4,    5,	   7,	 9,    13,    17,    25,
				     33,   49,	 65,   97,   129,  193,	 257,  385,   513,   769,
				     1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
static const uint8_t dist_extra[] = {0, 0, 0, 0, 1, 1, 2, 2,  3,  3,  4,  4,  5,  5,  6,
				     6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

/* RFC 1951 3.2.7: the order in which code-length code lengths are sent. */
static const uint8_t codelen_order[NR_CODELEN_SYMS] = {16, 17, 18, 0, 8,  7, 9,	 6, 10, 5,
						       11, 4,  12, 3, 13, 2, 14, 1, 15};

static inline uint32_t entry_make(enum entry_kind kind, unsigned int extra, unsigned int value)
{
	return (uint32_t)value << 16 | (uint32_t)kind << 8 | extra << 4;
}

static inline unsigned int entry_nbits(uint32_t e)
{
	return e & 0xf;
}

static inline unsigned int entry_extra(uint32_t e)
{
	return (e >> 4) & 0xf;
}

static inline enum entry_kind entry_kind(uint32_t e)
{
	return (e >> 8) & 0x7;
}

static inline unsigned int entry_value(uint32_t e)
{
	return e >> 16;
}

static inline uint64_t load_le64(const uint8_t *p)
{
	uint64_t v;

	__builtin_memcpy(&v, p, sizeof(v));
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

/*
 * Tops bitbuf up to at least 56 bits while the input lasts. The fast
 * path loads 8 bytes and keeps the whole bytes that fit; bits of a byte
 * loaded twice are the same both times, so OR-ing them in is harmless.
 */
static inline void bits_refill(struct bit_reader *br)
{
	if (likely(br->in_len - br->in_pos >= 8)) {
		br->bitbuf |= load_le64(br->in + br->in_pos) << br->bitcnt;
		br->in_pos += (63 - br->bitcnt) >> 3;
		br->bitcnt |= 56;
		return;
	}
	while (br->bitcnt <= 56 && br->in_pos < br->in_len) {
		br->bitbuf |= (uint64_t)br->in[br->in_pos++] << br->bitcnt;
		br->bitcnt += 8;
	}
}

static inline bool bits_have(const struct bit_reader *br, unsigned int n)
{
	return likely(br->bitcnt >= n);
}

static inline unsigned int bits_peek(const struct bit_reader *br, unsigned int n)
{
	return (unsigned int)(br->bitbuf & ((1u << n) - 1));
}

static inline void bits_drop(struct bit_reader *br, unsigned int n)
{
	br->bitbuf >>= n;
	br->bitcnt -= n;
}

/* Reads an n-bit field (n <= 16); -EINVAL if the input ends first. */
static int bits_read(struct bit_reader *br, unsigned int n, unsigned int *out)
{
	bits_refill(br);
	if (!bits_have(br, n))
		return -EINVAL;
	*out = bits_peek(br, n);
	bits_drop(br, n);
	return 0;
}

/*
 * Decodes one symbol of the code in table (root_bits wide) from bitbuf,
 * which the caller has refilled, and hands out its entry. -EINVAL for a
 * bit pattern no code has, or a code cut off by the end of the input
 * (the lookup saw zeros past it).
 */
static inline int huff_decode(struct bit_reader *br, const uint32_t *table, unsigned int root_bits,
			      uint32_t *out)
{
	uint32_t e = table[bits_peek(br, root_bits)];
	unsigned int nbits = 0;

	if (entry_kind(e) == ENTRY_LINK) {
		nbits = root_bits;
		e = table[entry_value(e) +
			  ((br->bitbuf >> root_bits) & ((1u << entry_extra(e)) - 1))];
	}
	nbits += entry_nbits(e);
	if (unlikely(!bits_have(br, nbits) || entry_kind(e) == ENTRY_INVALID))
		return -EINVAL;
	bits_drop(br, nbits);
	*out = e;
	return 0;
}

static unsigned int reverse_bits(unsigned int code, unsigned int nbits)
{
	unsigned int r = 0;

	while (nbits--) {
		r = r << 1 | (code & 1);
		code >>= 1;
	}
	return r;
}

/* What decoding symbol sym of a code of this kind means, without its length. */
static uint32_t symbol_entry(enum code_kind kind, unsigned int sym)
{
	switch (kind) {
	case CODE_LITLEN:
		if (sym < END_OF_BLOCK)
			return entry_make(ENTRY_LITERAL, 0, sym);
		if (sym == END_OF_BLOCK)
			return entry_make(ENTRY_END, 0, 0);
		if (sym < NR_DYNAMIC_LITLEN_SYMS)
			return entry_make(ENTRY_BASE, length_extra[sym - 257],
					  length_base[sym - 257]);
		return entry_make(ENTRY_INVALID, 0, 0);
	case CODE_DIST:
		if (sym < NR_DYNAMIC_DIST_SYMS)
			return entry_make(ENTRY_BASE, dist_extra[sym], dist_base[sym]);
		return entry_make(ENTRY_INVALID, 0, 0);
	case CODE_CODELEN:
		return entry_make(ENTRY_LITERAL, 0, sym);
	}
	return entry_make(ENTRY_INVALID, 0, 0);
}

/*
 * Checks the code lengths lens[0, nr_syms) and gives each used symbol its
 * canonical code (RFC 1951 3.2.2), bit-reversed into s->codes since the
 * input holds Huffman codes most significant bit first. Sets *max_len to
 * the longest length. -EINVAL if the lengths over-subscribe the code
 * space, or leave part of it unused other than with a single 1-bit
 * literal/length or distance code (or none), as zlib accepts.
 */
static int huff_assign_codes(struct inflate_state *s, const uint8_t *lens, unsigned int nr_syms,
			     enum code_kind kind, unsigned int *max_len)
{
	unsigned int count[MAX_CODE_BITS + 1] = {0};
	unsigned int next_code[MAX_CODE_BITS + 1];
	unsigned int code = 0;
	int left = 1;

	for (unsigned int sym = 0; sym < nr_syms; sym++)
		count[lens[sym]]++;
	*max_len = 0;
	for (unsigned int len = 1; len <= MAX_CODE_BITS; len++) {
		left = 2 * left - (int)count[len];
		if (left < 0)
			return -EINVAL;
		next_code[len] = code;
		code = (code + count[len]) << 1;
		if (count[len])
			*max_len = len;
	}
	if (left > 0 && (kind == CODE_CODELEN || *max_len > 1))
		return -EINVAL;
	for (unsigned int sym = 0; sym < nr_syms; sym++) {
		if (lens[sym])
			s->codes[sym] = (uint16_t)reverse_bits(next_code[lens[sym]]++, lens[sym]);
	}
	return 0;
}

/*
 * Links each root entry whose codes are longer than root_bits to a
 * second-level table just big enough for the longest of them.
 */
static void huff_link_subtables(struct inflate_state *s, uint32_t *table, size_t table_len,
				unsigned int root_bits, const uint8_t *lens, unsigned int nr_syms)
{
	unsigned int root_len = 1u << root_bits;
	unsigned int next = root_len;

	memset(s->sub_bits, 0, root_len);
	for (unsigned int sym = 0; sym < nr_syms; sym++) {
		unsigned int root = s->codes[sym] & (root_len - 1);

		if (lens[sym] > root_bits)
			s->sub_bits[root] = MAX(s->sub_bits[root], lens[sym] - root_bits);
	}
	for (unsigned int root = 0; root < root_len; root++) {
		if (!s->sub_bits[root])
			continue;
		table[root] = entry_make(ENTRY_LINK, s->sub_bits[root], next);
		next += 1u << s->sub_bits[root];
		assert(next <= table_len);
	}
}

/*
 * Builds the decoding table of the code with lengths lens[0, nr_syms):
 * each code's entry is repeated at every index whose low bits are the
 * code, in the root table or in its second-level table. -EINVAL for
 * lengths huff_assign_codes rejects.
 */
static int huff_build(struct inflate_state *s, uint32_t *table, size_t table_len,
		      unsigned int root_bits, const uint8_t *lens, unsigned int nr_syms,
		      enum code_kind kind)
{
	unsigned int root_len = 1u << root_bits;
	unsigned int max_len;
	int err;

	err = huff_assign_codes(s, lens, nr_syms, kind, &max_len);
	if (err)
		return err;
	memset(table, 0, root_len * sizeof(*table));
	if (max_len > root_bits)
		huff_link_subtables(s, table, table_len, root_bits, lens, nr_syms);
	for (unsigned int sym = 0; sym < nr_syms; sym++) {
		unsigned int len = lens[sym];
		unsigned int code = s->codes[sym];
		uint32_t e = symbol_entry(kind, sym);
		uint32_t *sub;
		unsigned int sub_len;

		if (len == 0)
			continue;
		if (len <= root_bits) {
			for (unsigned int i = code; i < root_len; i += 1u << len)
				table[i] = e | len;
			continue;
		}
		sub = table + entry_value(table[code & (root_len - 1)]);
		sub_len = 1u << entry_extra(table[code & (root_len - 1)]);
		for (unsigned int i = code >> root_bits; i < sub_len; i += 1u << (len - root_bits))
			sub[i] = e | (len - root_bits);
	}
	return 0;
}

/* RFC 1951 3.2.6. */
static void inflate_build_fixed_tables(struct inflate_state *s)
{
	uint8_t *lens = s->lens;
	int err;

	memset(lens, 8, 144);
	memset(lens + 144, 9, 256 - 144);
	memset(lens + 256, 7, 280 - 256);
	memset(lens + 280, 8, NR_LITLEN_SYMS - 280);
	err = huff_build(s, s->litlen, LITLEN_TABLE_LEN, LITLEN_ROOT_BITS, lens, NR_LITLEN_SYMS,
			 CODE_LITLEN);
	assert(err == 0);
	memset(lens, 5, NR_DIST_SYMS);
	err = huff_build(s, s->dist, DIST_TABLE_LEN, DIST_ROOT_BITS, lens, NR_DIST_SYMS, CODE_DIST);
	assert(err == 0);
	s->has_fixed_tables = true;
}

/*
 * Reads nr code lengths into s->lens with the code-length code: symbols
 * 0-15 are lengths, 16 repeats the previous length 3-6 times, 17 and 18
 * give 3-10 and 11-138 zeros. A repeat may not run past nr.
 */
static int inflate_read_lens(struct inflate_state *s, unsigned int nr)
{
	unsigned int i = 0;

	while (i < nr) {
		unsigned int sym;
		unsigned int repeat;
		uint8_t len = 0;
		uint32_t e;
		int err;

		bits_refill(&s->br);
		err = huff_decode(&s->br, s->codelen, CODELEN_ROOT_BITS, &e);
		if (err)
			return err;
		sym = entry_value(e);
		if (sym < 16) {
			s->lens[i++] = (uint8_t)sym;
			continue;
		}
		if (sym == 16) {
			if (i == 0)
				return -EINVAL;
			len = s->lens[i - 1];
			err = bits_read(&s->br, 2, &repeat);
			repeat += 3;
		} else if (sym == 17) {
			err = bits_read(&s->br, 3, &repeat);
			repeat += 3;
		} else {
			err = bits_read(&s->br, 7, &repeat);
			repeat += 11;
		}
		if (err)
			return err;
		if (repeat > nr - i)
			return -EINVAL;
		memset(s->lens + i, len, repeat);
		i += repeat;
	}
	return 0;
}

/* RFC 1951 3.2.7: the header of a block with dynamic Huffman codes. */
static int inflate_read_dynamic_tables(struct inflate_state *s)
{
	unsigned int nr_litlen;
	unsigned int nr_dist;
	unsigned int nr_codelen;
	int err;

	s->has_fixed_tables = false;
	if ((err = bits_read(&s->br, 5, &nr_litlen)) || (err = bits_read(&s->br, 5, &nr_dist)) ||
	    (err = bits_read(&s->br, 4, &nr_codelen)))
		return err;
	nr_litlen += 257;
	nr_dist += 1;
	nr_codelen += 4;
	if (nr_litlen > NR_DYNAMIC_LITLEN_SYMS || nr_dist > NR_DYNAMIC_DIST_SYMS)
		return -EINVAL;
	memset(s->lens, 0, NR_CODELEN_SYMS);
	for (unsigned int i = 0; i < nr_codelen; i++) {
		unsigned int len;

		err = bits_read(&s->br, 3, &len);
		if (err)
			return err;
		s->lens[codelen_order[i]] = (uint8_t)len;
	}
	err = huff_build(s, s->codelen, CODELEN_TABLE_LEN, CODELEN_ROOT_BITS, s->lens,
			 NR_CODELEN_SYMS, CODE_CODELEN);
	if (err)
		return err;
	err = inflate_read_lens(s, nr_litlen + nr_dist);
	if (err)
		return err;
	if (s->lens[END_OF_BLOCK] == 0)
		return -EINVAL;
	err = huff_build(s, s->litlen, LITLEN_TABLE_LEN, LITLEN_ROOT_BITS, s->lens, nr_litlen,
			 CODE_LITLEN);
	if (err)
		return err;
	return huff_build(s, s->dist, DIST_TABLE_LEN, DIST_ROOT_BITS, s->lens + nr_litlen, nr_dist,
			  CODE_DIST);
}

/* Stream mode: hands the output not yet flushed to the sink. */
static int out_flush(struct inflate_state *s)
{
	int err;

	if (s->out_pos == s->out_flushed)
		return 0;
	err = s->sink(s->ctx, s->out + s->out_flushed, s->out_pos - s->out_flushed);
	assert(err <= 0);
	s->out_flushed = s->out_pos;
	return err;
}

/*
 * Called when fewer than need (<= MAX_MATCH_LEN) bytes of out are free.
 * A caller's buffer is full: -ENOSPC. The stream window is flushed and
 * slid down, keeping the last WINDOW_BYTES for later matches.
 */
static int out_make_room(struct inflate_state *s, size_t need)
{
	size_t keep;
	int err;

	if (!s->sink)
		return -ENOSPC;
	err = out_flush(s);
	if (err)
		return err;
	keep = MIN(s->out_pos, (size_t)WINDOW_BYTES);
	memmove(s->out, s->out + s->out_pos - keep, keep);
	s->out_dropped += s->out_pos - keep;
	s->out_pos = keep;
	s->out_flushed = keep;
	assert(s->out_size - s->out_pos >= need);
	return 0;
}

/*
 * Copies len bytes from dist back, 8 at a time, and up to 7 bytes past
 * len: the caller has checked there is room. The bytes repeat with
 * period dist, so once the first step - dist are written, those step
 * back equal those dist back, for step a multiple of dist.
 */
static inline void copy_match(uint8_t *dst, size_t dist, size_t len)
{
	static const uint8_t step_for_dist[8] = {0, 8, 8, 9, 8, 10, 12, 14};
	uint8_t *end = dst + len;
	size_t step = dist;

	if (dist < 8) {
		step = step_for_dist[dist];
		for (size_t n = step - dist; n; n--, dst++)
			*dst = *(dst - dist);
	}
	for (; dst < end; dst += 8) {
		uint64_t w;

		__builtin_memcpy(&w, dst - step, 8);
		__builtin_memcpy(dst, &w, 8);
	}
}

/* Copies len bytes from dist back, one at a time, writing nothing past them. */
static void copy_match_exact(uint8_t *dst, size_t dist, size_t len)
{
	for (; len; len--, dst++)
		*dst = *(dst - dist);
}

/* Reads base + extra bits for the length or distance code whose entry is e. */
static inline int bits_read_base(struct bit_reader *br, uint32_t e, size_t *out)
{
	unsigned int extra = entry_extra(e);

	if (!bits_have(br, extra))
		return -EINVAL;
	*out = entry_value(e) + bits_peek(br, extra);
	bits_drop(br, extra);
	return 0;
}

/*
 * The symbols of a block with Huffman codes, up to end-of-block. One
 * refill covers a whole <length, distance> pair (at most 48 bits) except
 * near the end of the input, where every step checks its bits. The
 * reader and output position live in locals here, where the compiler
 * can keep them in registers, and go back to s on the way out or when
 * out_make_room needs them.
 */
static int inflate_huffman_block(struct inflate_state *s)
{
	struct bit_reader br = s->br;
	uint8_t *out = s->out;
	size_t out_size = s->out_size;
	size_t out_pos = s->out_pos;
	int err;

	for (;;) {
		uint32_t e;
		size_t len;
		size_t dist;

		bits_refill(&br);
		err = huff_decode(&br, s->litlen, LITLEN_ROOT_BITS, &e);
		if (err)
			break;
		if (entry_kind(e) == ENTRY_LITERAL) {
			if (unlikely(out_pos == out_size)) {
				s->out_pos = out_pos;
				err = out_make_room(s, 1);
				out_pos = s->out_pos;
				if (err)
					break;
			}
			out[out_pos++] = (uint8_t)entry_value(e);
			continue;
		}
		if (entry_kind(e) == ENTRY_END)
			break;
		if ((err = bits_read_base(&br, e, &len)) ||
		    (err = huff_decode(&br, s->dist, DIST_ROOT_BITS, &e)) ||
		    (err = bits_read_base(&br, e, &dist)))
			break;
		if (dist > out_pos) {
			err = -EINVAL;
			break;
		}
		if (unlikely(out_size - out_pos < len)) {
			s->out_pos = out_pos;
			err = out_make_room(s, len);
			out_pos = s->out_pos;
			if (err)
				break;
		}
		if (likely(out_size - out_pos >= len + COPY_SLACK))
			copy_match(out + out_pos, dist, len);
		else
			copy_match_exact(out + out_pos, dist, len);
		out_pos += len;
	}
	s->br = br;
	s->out_pos = out_pos;
	return err;
}

/*
 * RFC 1951 3.2.4: skip to a byte boundary, then LEN, its complement
 * NLEN, and LEN bytes copied as they are. Whole bytes still in bitbuf
 * go back to the input; the rest of a partial byte is dropped.
 */
static int inflate_stored_block(struct inflate_state *s)
{
	struct bit_reader *br = &s->br;
	size_t len;

	br->in_pos -= br->bitcnt >> 3;
	br->bitbuf = 0;
	br->bitcnt = 0;
	if (br->in_len - br->in_pos < 4)
		return -EINVAL;
	len = br->in[br->in_pos] | (size_t)br->in[br->in_pos + 1] << 8;
	if ((len ^ 0xffff) != (br->in[br->in_pos + 2] | (size_t)br->in[br->in_pos + 3] << 8))
		return -EINVAL;
	br->in_pos += 4;
	if (br->in_len - br->in_pos < len)
		return -EINVAL;
	while (len) {
		size_t n;

		if (s->out_pos == s->out_size) {
			int err = out_make_room(s, 1);

			if (err)
				return err;
		}
		n = MIN(len, s->out_size - s->out_pos);
		memcpy(s->out + s->out_pos, br->in + br->in_pos, n);
		s->out_pos += n;
		br->in_pos += n;
		len -= n;
	}
	return 0;
}

static int inflate_blocks(struct inflate_state *s)
{
	unsigned int is_final;
	unsigned int type;
	int err;

	do {
		if ((err = bits_read(&s->br, 1, &is_final)) || (err = bits_read(&s->br, 2, &type)))
			return err;
		switch (type) {
		case 0:
			err = inflate_stored_block(s);
			break;
		case 1:
			if (!s->has_fixed_tables)
				inflate_build_fixed_tables(s);
			err = inflate_huffman_block(s);
			break;
		case 2:
			err = inflate_read_dynamic_tables(s);
			if (!err)
				err = inflate_huffman_block(s);
			break;
		default:
			err = -EINVAL;
		}
		if (err)
			return err;
	} while (!is_final);
	return 0;
}

static void inflate_state_init(struct inflate_state *s, const void *in, size_t in_len,
			       const struct inflate_output *out)
{
	s->br = (struct bit_reader){.in = in, .in_len = in_len};
	s->out = out->buf;
	s->out_size = out->buf_size;
	s->out_pos = 0;
	s->out_flushed = 0;
	s->out_dropped = 0;
	s->has_fixed_tables = false;
	s->sink = out->sink;
	s->ctx = out->ctx;
}

int inflate_decode_raw(const void *in, size_t in_len, const struct inflate_output *out,
		       struct inflate_result *res)
{
	struct inflate_state *s;
	int err;

	s = kmalloc(sizeof(*s));
	if (!s)
		return -ENOMEM;
	inflate_state_init(s, in, in_len, out);
	if (s->sink) {
		s->out_size = STREAM_BUF_BYTES;
		s->out = kmalloc(s->out_size);
		if (!s->out) {
			err = -ENOMEM;
			goto out_free_state;
		}
	}
	err = inflate_blocks(s);
	if (!err && s->sink)
		err = out_flush(s);
	if (!err) {
		res->in_len = s->br.in_pos - (s->br.bitcnt >> 3);
		res->out_len = s->out_dropped + s->out_pos;
	}
	if (s->sink)
		kfree(s->out);
out_free_state:
	kfree(s);
	return err;
}
