/* SPDX-License-Identifier: MIT */
/*
 * ELF64 decoder for x86-64 Linux executables (lib/elf/elf.c). It turns the
 * first bytes of a file into a validated struct elf_info and applies
 * nothing: mapping the segments, choosing a load bias for ET_DYN and
 * building the auxiliary vector belong to the exec code. The checks and
 * their error numbers follow Linux's fs/binfmt_elf.c, so execve fails the
 * way it does on Linux.
 */
#pragma once

#include <tern/types.h>

/* Most PT_LOAD headers an image may have; real linkers emit 2 to 5. */
#define ELF_MAX_LOADS 16

/*
 * End of the user address range (exclusive): Linux's TASK_SIZE_MAX for
 * 64-bit tasks with 4-level paging. No segment may reach past it.
 */
#define ELF_USER_ADDR_END 0x00007ffffffff000ULL

/* One PT_LOAD segment: file bytes [offset, offset + filesz) at vaddr. */
struct elf_segment {
	uint64_t vaddr;	 /* p_vaddr; for ET_DYN add the load bias */
	uint64_t memsz;	 /* bytes in memory; those past filesz are zeroed */
	uint64_t offset; /* p_offset: file offset of the byte at vaddr */
	uint64_t filesz; /* bytes read from the file, never more than memsz */
	int prot;	 /* PROT_READ | PROT_WRITE | PROT_EXEC, from p_flags */
};

/*
 * What exec needs to know about an image. Addresses are the link-time
 * ones: for ET_DYN every address below moves by the chosen load bias.
 * phdr_vaddr is 0 when no PT_LOAD maps the program headers; Linux then
 * passes the bias alone as AT_PHDR. Without PT_GNU_STACK the stack is not
 * executable, as on x86-64 Linux since 5.8.
 */
struct elf_info {
	uint16_t type;	       /* ET_EXEC or ET_DYN (<linux/elf.h>) */
	uint64_t entry;	       /* e_entry */
	uint64_t phdr_offset;  /* e_phoff: file offset of the program headers */
	uint16_t nr_phdrs;     /* e_phnum, for AT_PHNUM */
	uint16_t phdr_entsize; /* e_phentsize (sizeof(Elf64_Phdr)), for AT_PHENT */
	uint64_t phdr_vaddr;   /* program headers in memory (AT_PHDR), else 0 */
	bool has_interp;       /* a PT_INTERP names a program interpreter */
	size_t interp_offset;  /* offset of its path in the image */
	size_t interp_len;     /* bytes of the path before its first NUL */
	bool has_gnu_stack;    /* a PT_GNU_STACK header was present */
	bool stack_exec;       /* the stack must be mapped executable */
	uint64_t start_vaddr;  /* lowest PT_LOAD address, rounded down to a page */
	uint64_t end_vaddr;    /* highest PT_LOAD vaddr + memsz (exclusive) */
	uint64_t max_align;    /* largest power-of-two p_align, at least PAGE_SIZE */
	uint32_t nr_loads;     /* entries used in loads[] */
	struct elf_segment loads[ELF_MAX_LOADS]; /* in program-header order */
};

/*
 * Decodes the executable named by execve. image holds the file from its
 * first byte: the whole file, or a prefix that contains the ELF header,
 * the program headers and the PT_INTERP path (every normal linker puts
 * them in the first page). Anything needed past image_len is treated as
 * past the end of the file. Returns 0 and fills out, or the errno Linux's
 * execve returns; the first problem in Linux's order decides:
 *   -ENOEXEC   not an x86-64 ELF64 ET_EXEC/ET_DYN file; bad e_phentsize,
 *              e_phnum 0 or a table over 4096 bytes; program headers past
 *              the end; PT_INTERP size not in [2, PATH_MAX] or path not
 *              NUL-terminated; more than ELF_MAX_LOADS PT_LOADs
 *   -EIO       the PT_INTERP path lies past the end of the file
 *   -EINVAL    PT_INTERP offset not a valid file position; p_offset not
 *              congruent to p_vaddr modulo the page size; file range
 *              wrapping around; p_filesz > p_memsz; p_vaddr or p_vaddr +
 *              p_memsz past ELF_USER_ADDR_END (unbiased, even for ET_DYN);
 *              ET_DYN whose PT_LOADs span nothing; ET_EXEC without an
 *              interpreter whose entry point is outside user space
 *   -ENOMEM    an ET_EXEC segment's mapping, or the whole ET_DYN span,
 *              does not fit below ELF_USER_ADDR_END
 *   -EOVERFLOW a segment's file range ends past the largest file offset
 * On failure out is zeroed. A PT_LOAD-free ET_EXEC or ET_DYN is accepted,
 * as on Linux. Not reproduced: Linux opens the interpreter before it
 * checks the segments, so a missing interpreter can win over a bad one.
 */
int elf_parse(const void *image, size_t image_len, struct elf_info *out) __must_check;

/*
 * Decodes a program interpreter (the file a PT_INTERP names), with the
 * error numbers Linux gives for an interpreter: -EIO if image_len is
 * shorter than the ELF header, -ELIBBAD where elf_parse says -ENOEXEC,
 * -EPERM for an e_type other than ET_EXEC/ET_DYN, -EINVAL if it has no
 * PT_LOAD, and -ENOMEM instead of -EINVAL for p_filesz > p_memsz or a
 * segment outside user space. Its own PT_INTERP is ignored, as on Linux,
 * and only the program's PT_GNU_STACK decides the stack.
 */
int elf_parse_interp(const void *image, size_t image_len, struct elf_info *out) __must_check;

/*
 * Bytes of address space the PT_LOAD segments span, from start_vaddr to
 * end_vaddr rounded up to a page: what to reserve when choosing an ET_DYN
 * load bias. 0 if there is no PT_LOAD.
 */
uint64_t elf_span_bytes(const struct elf_info *info);

/*
 * Whether adding bias (0 for ET_EXEC) to every address keeps the image in
 * user space: bias is page aligned, the span fits below ELF_USER_ADDR_END
 * and, for an image entered directly (no interpreter), so does the entry.
 */
bool elf_can_load_at(const struct elf_info *info, uint64_t bias);
