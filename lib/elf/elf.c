// SPDX-License-Identifier: MIT
/*
 * ELF64 decoder (include/tern/elf.h): validates the headers of an x86-64
 * executable or interpreter and copies what exec needs into struct
 * elf_info. Pure code; mapping the segments is the exec code's job. The
 * checks, their order and their error numbers follow Linux's
 * fs/binfmt_elf.c (load_elf_binary, load_elf_interp, elf_map) and the
 * mmap checks those reach (mm/util.c vm_mmap, mm/mmap.c do_mmap).
 */
#include <asm-generic/errno.h>
#include <asm-generic/mman-common.h>
#include <linux/elf.h>
#include <linux/limits.h>
#include <tern/elf.h>
#include <tern/string.h>

/* ABI: load_elf_phdrs rejects a table over 64 KiB or over ELF_MIN_ALIGN. */
#define ELF_MAX_PHDR_BYTES 4096

#define ELF_PAGE_MASK ((uint64_t)PAGE_SIZE - 1)

/*
 * The error numbers that differ between the executable and its
 * interpreter; see elf_parse_interp in include/tern/elf.h.
 */
struct elf_role {
	bool is_interp;
	int short_header; /* the file ends inside the ELF header */
	int bad_header;	  /* ident, machine or program header table */
	int bad_type;	  /* e_type neither ET_EXEC nor ET_DYN */
	int bad_segment;  /* filesz > memsz, or outside user space */
};

static const struct elf_role elf_exec_role = {
	.is_interp = false,
	.short_header = -ENOEXEC,
	.bad_header = -ENOEXEC,
	.bad_type = -ENOEXEC,
	.bad_segment = -EINVAL,
};

/*
 * ABI: for the interpreter load_elf_binary says -EIO for a short read and
 * -ELIBBAD for bad headers; load_elf_interp fails a bad e_type with its
 * initial error value ~0UL, which reaches user space as -EPERM, and bad
 * segments with -ENOMEM.
 */
static const struct elf_role elf_interp_role = {
	.is_interp = true,
	.short_header = -EIO,
	.bad_header = -ELIBBAD,
	.bad_type = -EPERM,
	.bad_segment = -ENOMEM,
};

/* The image and its ELF header, copied out so alignment does not matter. */
struct elf_image {
	const uint8_t *bytes;
	size_t len;
	Elf64_Ehdr ehdr;
};

static void elf_read_phdr(const struct elf_image *img, unsigned int i, Elf64_Phdr *ph)
{
	memcpy(ph, img->bytes + img->ehdr.e_phoff + (size_t)i * sizeof(*ph), sizeof(*ph));
}

/*
 * ABI: Linux checks only the magic and e_machine here. We also require
 * ELFCLASS64, ELFDATA2LSB and EV_CURRENT: no toolchain makes an x86-64
 * executable without them, and an ELFCLASS32 EM_X86_64 file is x32,
 * which Tern does not run.
 */
static bool elf_has_valid_ident(const Elf64_Ehdr *eh)
{
	return memcmp(eh->e_ident, ELFMAG, SELFMAG) == 0 && eh->e_ident[EI_CLASS] == ELFCLASS64 &&
	       eh->e_ident[EI_DATA] == ELFDATA2LSB && eh->e_ident[EI_VERSION] == EV_CURRENT;
}

static bool elf_is_known_type(const Elf64_Ehdr *eh)
{
	return eh->e_type == ET_EXEC || eh->e_type == ET_DYN;
}

/* The program header table is sane and lies inside the image. */
static bool elf_has_valid_phdrs(const struct elf_image *img)
{
	const Elf64_Ehdr *eh = &img->ehdr;
	size_t size = (size_t)eh->e_phnum * sizeof(Elf64_Phdr);

	if (eh->e_phentsize != sizeof(Elf64_Phdr))
		return false;
	if (size == 0 || size > ELF_MAX_PHDR_BYTES)
		return false;
	return eh->e_phoff <= img->len && size <= img->len - eh->e_phoff;
}

static int elf_prot_from_flags(uint32_t flags)
{
	int prot = 0;

	if (flags & PF_R)
		prot |= PROT_READ;
	if (flags & PF_W)
		prot |= PROT_WRITE;
	if (flags & PF_X)
		prot |= PROT_EXEC;
	return prot;
}

static bool elf_is_power_of_2(uint64_t x)
{
	return x != 0 && (x & (x - 1)) == 0;
}

/*
 * Records the first PT_INTERP, the only one Linux looks at.
 * ABI: the read of the path fails with -EINVAL when its offset is not a
 * valid file position (rw_verify_area) and -EIO when the file ends first.
 */
static int elf_find_interp(const struct elf_image *img, struct elf_info *out)
{
	Elf64_Phdr ph;

	for (unsigned int i = 0; i < img->ehdr.e_phnum; i++) {
		elf_read_phdr(img, i, &ph);
		if (ph.p_type != PT_INTERP)
			continue;
		if (ph.p_filesz > PATH_MAX || ph.p_filesz < 2)
			return -ENOEXEC;
		if (ph.p_offset > (uint64_t)INT64_MAX - ph.p_filesz)
			return -EINVAL;
		if (ph.p_offset > img->len || ph.p_filesz > img->len - ph.p_offset)
			return -EIO;
		if (img->bytes[ph.p_offset + ph.p_filesz - 1] != '\0')
			return -ENOEXEC;
		out->has_interp = true;
		out->interp_offset = ph.p_offset;
		out->interp_len = strnlen((const char *)img->bytes + ph.p_offset, ph.p_filesz);
		return 0;
	}
	return 0;
}

/*
 * ABI: the last PT_GNU_STACK decides. Without one, x86-64 Linux (since
 * 5.8) maps the stack non-executable for 64-bit programs and no longer
 * sets READ_IMPLIES_EXEC (arch/x86/include/asm/elf.h).
 */
static void elf_scan_stack(const struct elf_image *img, struct elf_info *out)
{
	Elf64_Phdr ph;

	for (unsigned int i = 0; i < img->ehdr.e_phnum; i++) {
		elf_read_phdr(img, i, &ph);
		if (ph.p_type != PT_GNU_STACK)
			continue;
		out->has_gnu_stack = true;
		out->stack_exec = (ph.p_flags & PF_X) != 0;
	}
}

/*
 * Copies the PT_LOADs into out and measures their span and alignment the
 * way total_mapping_size and maximum_alignment do. Returns false if there
 * are more than ELF_MAX_LOADS. *wraps is set if some vaddr + memsz (or
 * filesz) passes 2^64.
 */
static bool elf_collect_loads(const struct elf_image *img, struct elf_info *out, bool *wraps)
{
	uint64_t start = UINT64_MAX;
	uint64_t end = 0;
	uint64_t align = 0;
	Elf64_Phdr ph;

	*wraps = false;
	for (unsigned int i = 0; i < img->ehdr.e_phnum; i++) {
		elf_read_phdr(img, i, &ph);
		if (ph.p_type != PT_LOAD)
			continue;
		if (out->nr_loads == ELF_MAX_LOADS)
			return false;
		out->loads[out->nr_loads++] = (struct elf_segment){
			.vaddr = ph.p_vaddr,
			.memsz = ph.p_memsz,
			.offset = ph.p_offset,
			.filesz = ph.p_filesz,
			.prot = elf_prot_from_flags(ph.p_flags),
		};
		if (ph.p_vaddr + MAX(ph.p_memsz, ph.p_filesz) < ph.p_vaddr)
			*wraps = true;
		start = MIN(start, ph.p_vaddr & ~ELF_PAGE_MASK);
		end = MAX(end, ph.p_vaddr + ph.p_memsz);
		if (elf_is_power_of_2(ph.p_align))
			align = MAX(align, ph.p_align);
	}
	out->start_vaddr = out->nr_loads ? start : 0;
	out->end_vaddr = out->nr_loads ? MAX(end, start) : 0;
	out->max_align = MAX(align, (uint64_t)PAGE_SIZE);
	return true;
}

/*
 * The checks vm_mmap and do_mmap make on the file part of a segment:
 * elf_map passes offset p_offset - pageoff(p_vaddr) and length
 * PAGE_ALIGN(p_filesz + pageoff(p_vaddr)).
 */
static int elf_check_file_range(const Elf64_Phdr *ph)
{
	uint64_t page_off = ph->p_vaddr & ELF_PAGE_MASK;
	uint64_t off = ph->p_offset - page_off;
	uint64_t len;

	if (off & ELF_PAGE_MASK)
		return -EINVAL;
	if (ph->p_filesz > UINT64_MAX - page_off - ELF_PAGE_MASK)
		return -EINVAL;
	len = ALIGN_UP(ph->p_filesz + page_off, PAGE_SIZE);
	if (off + len < off)
		return -EINVAL;
	return 0;
}

/* do_mmap's file_mmap_ok: the mapping must end below the largest loff_t. */
static int elf_check_file_end(const Elf64_Phdr *ph)
{
	uint64_t page_off = ph->p_vaddr & ELF_PAGE_MASK;
	uint64_t end = ph->p_offset - page_off + ALIGN_UP(ph->p_filesz + page_off, PAGE_SIZE);

	return end > (uint64_t)INT64_MAX ? -EOVERFLOW : 0;
}

/* Whether an ET_EXEC segment's mappings (file part, then bss) fit in user space. */
static bool elf_fits_user_space(const Elf64_Phdr *ph)
{
	uint64_t size = MAX(ph->p_filesz, ph->p_memsz);

	if (size == 0)
		return true;
	return ph->p_vaddr < ELF_USER_ADDR_END && size <= ELF_USER_ADDR_END - ph->p_vaddr;
}

/* Whether the ET_DYN span fits in user space wherever the bias puts it. */
static bool elf_span_fits(const struct elf_info *out, bool wraps)
{
	return !wraps && elf_span_bytes(out) <= ELF_USER_ADDR_END;
}

/*
 * Checks one PT_LOAD in the order Linux meets the problems: mmap of the
 * file part (or, for the first ET_DYN segment, of the whole span), then
 * load_elf_binary's or load_elf_interp's size checks.
 */
static int elf_check_load(const Elf64_Phdr *ph, const struct elf_role *role,
			  const struct elf_info *out, bool is_first, bool wraps)
{
	bool is_dyn = out->type == ET_DYN;
	int err;

	if (ph->p_filesz) {
		err = elf_check_file_range(ph);
		if (err)
			return err;
	}
	if (is_dyn ? is_first && !elf_span_fits(out, wraps) : !elf_fits_user_space(ph))
		return -ENOMEM;
	if (ph->p_filesz) {
		err = elf_check_file_end(ph);
		if (err)
			return err;
	}
	if (ph->p_filesz > ph->p_memsz)
		return role->bad_segment;
	/* ABI: load_elf_binary checks the unbiased p_vaddr, even for ET_DYN. */
	if (is_dyn && role->is_interp)
		return 0;
	if (ph->p_vaddr >= ELF_USER_ADDR_END || ph->p_memsz > ELF_USER_ADDR_END - ph->p_vaddr)
		return role->bad_segment;
	return 0;
}

/*
 * Outline:
 *   if an interpreter, or an ET_DYN with PT_LOADs: an empty span is -EINVAL
 *   for each PT_LOAD, in table order:
 *     check it (elf_check_load); the first failure wins
 *     if it maps the program headers, remember where (AT_PHDR)
 */
static int elf_check_loads(const struct elf_image *img, const struct elf_role *role,
			   struct elf_info *out, bool wraps)
{
	bool is_first = true;
	Elf64_Phdr ph;
	int err;

	/* ABI: Linux checks the interpreter's span before the loop, the program's in it. */
	if ((role->is_interp || (out->type == ET_DYN && out->nr_loads)) &&
	    out->end_vaddr == out->start_vaddr)
		return -EINVAL;
	for (unsigned int i = 0; i < img->ehdr.e_phnum; i++) {
		elf_read_phdr(img, i, &ph);
		if (ph.p_type != PT_LOAD)
			continue;
		err = elf_check_load(&ph, role, out, is_first, wraps);
		if (err)
			return err;
		is_first = false;
		if (ph.p_offset <= img->ehdr.e_phoff &&
		    img->ehdr.e_phoff - ph.p_offset < ph.p_filesz)
			out->phdr_vaddr = img->ehdr.e_phoff - ph.p_offset + ph.p_vaddr;
	}
	return 0;
}

/* Everything after the ELF header checks, shared by both roles. */
static int elf_parse_body(const struct elf_image *img, const struct elf_role *role,
			  struct elf_info *out)
{
	const Elf64_Ehdr *eh = &img->ehdr;
	bool wraps;
	int err;

	out->type = eh->e_type;
	out->entry = eh->e_entry;
	out->phdr_offset = eh->e_phoff;
	out->nr_phdrs = eh->e_phnum;
	out->phdr_entsize = eh->e_phentsize;
	if (!role->is_interp) {
		err = elf_find_interp(img, out);
		if (err)
			return err;
	}
	elf_scan_stack(img, out);
	/* ABI: a Tern limit; Linux maps any number of PT_LOADs. */
	if (!elf_collect_loads(img, out, &wraps))
		return role->bad_header;
	err = elf_check_loads(img, role, out, wraps);
	if (err)
		return err;
	/* ABI: BAD_ADDR(elf_entry) is -EINVAL; a PIE's entry is checked with its bias. */
	if (!out->has_interp && out->type == ET_EXEC && out->entry >= ELF_USER_ADDR_END)
		return -EINVAL;
	return 0;
}

static int elf_parse_as(const void *image, size_t image_len, const struct elf_role *role,
			struct elf_info *out)
{
	struct elf_image img = {.bytes = image, .len = image_len};
	int err;

	memset(out, 0, sizeof(*out));
	if (image_len < sizeof(img.ehdr))
		return role->short_header;
	memcpy(&img.ehdr, image, sizeof(img.ehdr));
	if (!elf_has_valid_ident(&img.ehdr) || img.ehdr.e_machine != EM_X86_64)
		return role->bad_header;
	/* ABI: the program checks e_type before its headers, the interpreter after. */
	if (!role->is_interp && !elf_is_known_type(&img.ehdr))
		return role->bad_type;
	if (!elf_has_valid_phdrs(&img))
		return role->bad_header;
	if (!elf_is_known_type(&img.ehdr))
		return role->bad_type;
	err = elf_parse_body(&img, role, out);
	if (err)
		memset(out, 0, sizeof(*out));
	return err;
}

int elf_parse(const void *image, size_t image_len, struct elf_info *out)
{
	return elf_parse_as(image, image_len, &elf_exec_role, out);
}

int elf_parse_interp(const void *image, size_t image_len, struct elf_info *out)
{
	return elf_parse_as(image, image_len, &elf_interp_role, out);
}

uint64_t elf_span_bytes(const struct elf_info *info)
{
	uint64_t span = info->end_vaddr - info->start_vaddr;

	if (span > UINT64_MAX - ELF_PAGE_MASK)
		return UINT64_MAX & ~ELF_PAGE_MASK;
	return ALIGN_UP(span, PAGE_SIZE);
}

bool elf_can_load_at(const struct elf_info *info, uint64_t bias)
{
	uint64_t span = elf_span_bytes(info);
	uint64_t start = info->start_vaddr + bias;

	if ((bias & ELF_PAGE_MASK) || (info->type == ET_EXEC && bias != 0))
		return false;
	if (info->nr_loads && (start >= ELF_USER_ADDR_END || span > ELF_USER_ADDR_END - start))
		return false;
	if (info->has_interp)
		return true;
	return info->entry + bias < ELF_USER_ADDR_END;
}
