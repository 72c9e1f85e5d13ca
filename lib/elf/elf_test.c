// SPDX-License-Identifier: MIT
/*
 * Unit tests for lib/elf/elf.c. Each test describes an image as an ELF
 * header plus program headers, serializes it into a heap buffer of the
 * exact length (so AddressSanitizer catches any read past it) and checks
 * the decoded struct or the errno Linux's execve would return.
 */
#include <asm-generic/errno.h>
#include <asm-generic/mman-common.h>
#include <linux/elf.h>
#include <linux/limits.h>
#include <tern/base.h>
#include <tern/elf.h>
#include <tern/ktest.h>
#include <tern/string.h>

#define IMAGE_MAX_LEN 8192
#define IMAGE_MAX_PHDRS 80
#define INTERP_OFFSET 0x318
#define LD_SO "/lib64/ld-linux-x86-64.so.2"

struct test_image {
	Elf64_Ehdr eh;
	Elf64_Phdr ph[IMAGE_MAX_PHDRS];
	unsigned int nr_ph;
	const char *interp; /* bytes written at INTERP_OFFSET, NUL included */
	size_t interp_size;
	size_t len; /* bytes handed to the parser */
};

/* Large; kept off the host test stacks. */
static struct test_image img;
static uint8_t bytes[IMAGE_MAX_LEN];
static struct elf_info info;

static void image_reset(uint16_t type, uint64_t entry)
{
	memset(&img, 0, sizeof(img));
	memcpy(img.eh.e_ident, ELFMAG, SELFMAG);
	img.eh.e_ident[EI_CLASS] = ELFCLASS64;
	img.eh.e_ident[EI_DATA] = ELFDATA2LSB;
	img.eh.e_ident[EI_VERSION] = EV_CURRENT;
	img.eh.e_type = type;
	img.eh.e_machine = EM_X86_64;
	img.eh.e_version = EV_CURRENT;
	img.eh.e_entry = entry;
	img.eh.e_phoff = sizeof(Elf64_Ehdr);
	img.eh.e_ehsize = sizeof(Elf64_Ehdr);
	img.eh.e_phentsize = sizeof(Elf64_Phdr);
	img.len = 4096;
}

static Elf64_Phdr *image_add(uint32_t type, uint32_t flags, uint64_t offset, uint64_t vaddr,
			     uint64_t filesz, uint64_t memsz)
{
	Elf64_Phdr *ph = &img.ph[img.nr_ph++];

	*ph = (Elf64_Phdr){
		.p_type = type,
		.p_flags = flags,
		.p_offset = offset,
		.p_vaddr = vaddr,
		.p_paddr = vaddr,
		.p_filesz = filesz,
		.p_memsz = memsz,
		.p_align = type == PT_LOAD ? 0x1000 : 8,
	};
	img.eh.e_phnum = img.nr_ph;
	return ph;
}

static void image_set_interp(const char *path, size_t size)
{
	img.interp = path;
	img.interp_size = size;
	image_add(PT_INTERP, PF_R, INTERP_OFFSET, 0x318, size, size);
}

/* A static ET_EXEC laid out as GNU ld lays out a small program. */
static void image_static_exec(void)
{
	image_reset(ET_EXEC, 0x401000);
	image_add(PT_LOAD, PF_R, 0, 0x400000, 0x1000, 0x1000);
	image_add(PT_LOAD, PF_R | PF_X, 0x1000, 0x401000, 0x800, 0x800);
	image_add(PT_LOAD, PF_R | PF_W, 0x2e10, 0x403e10, 0x200, 0x1200);
	image_add(PT_TLS, PF_R, 0x2e10, 0x403e10, 0x10, 0x20);
	image_add(PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0);
}

/* A static PIE (ET_DYN without PT_INTERP), linked at 0. */
static void image_static_pie(void)
{
	image_reset(ET_DYN, 0x1040);
	image_add(PT_LOAD, PF_R, 0, 0, 0x800, 0x800);
	image_add(PT_LOAD, PF_R | PF_X, 0x1000, 0x1000, 0x900, 0x900)->p_align = 0x200000;
	image_add(PT_LOAD, PF_R | PF_W, 0x2df0, 0x3df0, 0x220, 0x2000);
	image_add(PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0);
}

/* A dynamically linked PIE. */
static void image_dynamic_pie(void)
{
	image_reset(ET_DYN, 0x1100);
	image_add(PT_PHDR, PF_R, 0x40, 0x40, 0x2d8, 0x2d8);
	image_set_interp(LD_SO, sizeof(LD_SO));
	image_add(PT_LOAD, PF_R, 0, 0, 0x700, 0x700);
	image_add(PT_LOAD, PF_R | PF_X, 0x1000, 0x1000, 0x300, 0x300);
	image_add(PT_LOAD, PF_R | PF_W, 0x1df0, 0x2df0, 0x250, 0x258);
	image_add(PT_DYNAMIC, PF_R | PF_W, 0x1e00, 0x2e00, 0x1c0, 0x1c0);
	image_add(PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0);
}

/* Serializes img into a heap buffer of img.len bytes and parses it. */
static int image_parse_as(bool is_interp)
{
	size_t phdrs_len = img.nr_ph * sizeof(Elf64_Phdr);
	uint8_t *buf;
	int err;

	memset(bytes, 0, sizeof(bytes));
	memcpy(bytes, &img.eh, sizeof(img.eh));
	memcpy(bytes + sizeof(img.eh), img.ph, phdrs_len);
	if (img.interp)
		memcpy(bytes + INTERP_OFFSET, img.interp, img.interp_size);
	buf = kmalloc(img.len ? img.len : 1);
	if (!buf)
		return -12345;
	memcpy(buf, bytes, MIN(img.len, sizeof(bytes)));
	err = is_interp ? elf_parse_interp(buf, img.len, &info) : elf_parse(buf, img.len, &info);
	kfree(buf);
	return err;
}

static int image_parse(void)
{
	return image_parse_as(false);
}

static int image_parse_interp(void)
{
	return image_parse_as(true);
}

static bool info_is_zero(void)
{
	static const struct elf_info zero;

	return memcmp(&info, &zero, sizeof(info)) == 0;
}

KTEST(elf, test_elf_parse_static_exec)
{
	image_static_exec();
	KASSERT_EQ(image_parse(), 0);
	KEXPECT_EQ(info.type, ET_EXEC);
	KEXPECT_EQ(info.entry, 0x401000);
	KEXPECT_EQ(info.phdr_offset, 64);
	KEXPECT_EQ(info.nr_phdrs, 5);
	KEXPECT_EQ(info.phdr_entsize, sizeof(Elf64_Phdr));
	KEXPECT_EQ(info.phdr_vaddr, 0x400040);
	KEXPECT(!info.has_interp);
	KEXPECT(info.has_gnu_stack);
	KEXPECT(!info.stack_exec);
	KEXPECT_EQ(info.start_vaddr, 0x400000);
	KEXPECT_EQ(info.end_vaddr, 0x405010);
	KEXPECT_EQ(info.max_align, 0x1000);
	KASSERT_EQ(info.nr_loads, 3);
	KEXPECT_EQ(info.loads[0].vaddr, 0x400000);
	KEXPECT_EQ(info.loads[0].prot, PROT_READ);
	KEXPECT_EQ(info.loads[1].offset, 0x1000);
	KEXPECT_EQ(info.loads[1].filesz, 0x800);
	KEXPECT_EQ(info.loads[1].prot, PROT_READ | PROT_EXEC);
	KEXPECT_EQ(info.loads[2].vaddr, 0x403e10);
	KEXPECT_EQ(info.loads[2].offset, 0x2e10);
	KEXPECT_EQ(info.loads[2].filesz, 0x200);
	KEXPECT_EQ(info.loads[2].memsz, 0x1200);
	KEXPECT_EQ(info.loads[2].prot, PROT_READ | PROT_WRITE);
	KEXPECT_EQ(elf_span_bytes(&info), 0x6000);
	KEXPECT(elf_can_load_at(&info, 0));
	KEXPECT(!elf_can_load_at(&info, 0x1000));
}

KTEST(elf, test_elf_parse_static_pie)
{
	image_static_pie();
	KASSERT_EQ(image_parse(), 0);
	KEXPECT_EQ(info.type, ET_DYN);
	KEXPECT_EQ(info.entry, 0x1040);
	KEXPECT_EQ(info.phdr_vaddr, 0x40);
	KEXPECT(!info.has_interp);
	KEXPECT_EQ(info.start_vaddr, 0);
	KEXPECT_EQ(info.end_vaddr, 0x5df0);
	KEXPECT_EQ(info.max_align, 0x200000);
	KEXPECT_EQ(elf_span_bytes(&info), 0x6000);
	KEXPECT_EQ(info.nr_loads, 3);
	KEXPECT(elf_can_load_at(&info, 0x555555554000));
	KEXPECT(!elf_can_load_at(&info, 0x555555554001));
	KEXPECT(elf_can_load_at(&info, ELF_USER_ADDR_END - 0x6000));
	KEXPECT(!elf_can_load_at(&info, ELF_USER_ADDR_END - 0x5000));
	KEXPECT(!elf_can_load_at(&info, 0xfffffffffffff000));
}

KTEST(elf, test_elf_parse_dynamic_pie_with_interp)
{
	image_dynamic_pie();
	KASSERT_EQ(image_parse(), 0);
	KEXPECT(info.has_interp);
	KEXPECT_EQ(info.interp_offset, INTERP_OFFSET);
	KEXPECT_EQ(info.interp_len, strlen(LD_SO));
	KEXPECT_EQ(info.phdr_vaddr, 0x40);
	KEXPECT_EQ(info.nr_phdrs, 7);
	KEXPECT_EQ(info.nr_loads, 3);
	KEXPECT_EQ(info.end_vaddr, 0x3048);
}

KTEST(elf, test_elf_parse_interp_path_is_in_image)
{
	char path[sizeof(LD_SO)];

	image_dynamic_pie();
	KASSERT_EQ(image_parse(), 0);
	memcpy(path, bytes + info.interp_offset, info.interp_len + 1);
	KEXPECT(strcmp(path, LD_SO) == 0);
}

KTEST(elf, test_elf_parse_stack_flags)
{
	image_static_exec();
	img.ph[4].p_flags = PF_R | PF_W | PF_X;
	KASSERT_EQ(image_parse(), 0);
	KEXPECT(info.has_gnu_stack);
	KEXPECT(info.stack_exec);

	/* ABI: no PT_GNU_STACK means a non-executable stack on x86-64. */
	image_static_exec();
	img.ph[4].p_type = PT_NULL;
	KASSERT_EQ(image_parse(), 0);
	KEXPECT(!info.has_gnu_stack);
	KEXPECT(!info.stack_exec);
}

KTEST(elf, test_elf_parse_last_gnu_stack_wins)
{
	image_static_exec();
	img.ph[4].p_flags = PF_R | PF_W | PF_X;
	image_add(PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0);
	KASSERT_EQ(image_parse(), 0);
	KEXPECT(!info.stack_exec);

	image_static_exec();
	image_add(PT_GNU_STACK, PF_X, 0, 0, 0, 0);
	KASSERT_EQ(image_parse(), 0);
	KEXPECT(info.stack_exec);
}

KTEST(elf, test_elf_parse_phdr_vaddr_from_covering_load)
{
	/* The table sits in the second segment, which maps file 0 at 0x500000. */
	image_static_exec();
	img.ph[0].p_offset = 0x100;
	img.ph[0].p_vaddr = 0x400100;
	img.ph[0].p_filesz = 0x10;
	image_add(PT_LOAD, PF_R, 0, 0x500000, 0x400, 0x400);
	KASSERT_EQ(image_parse(), 0);
	KEXPECT_EQ(info.phdr_vaddr, 0x500040);

	/* Not mapped at all: AT_PHDR falls back to the bias (0 here). */
	image_static_exec();
	img.ph[0].p_offset = 0x1000;
	img.ph[0].p_vaddr = 0x400000;
	KASSERT_EQ(image_parse(), 0);
	KEXPECT_EQ(info.phdr_vaddr, 0);
}

KTEST(elf, test_elf_parse_bad_magic)
{
	for (int i = 0; i < SELFMAG; i++) {
		image_static_exec();
		img.eh.e_ident[i] ^= 0x20;
		KEXPECT_EQ(image_parse(), -ENOEXEC);
		KEXPECT(info_is_zero());
		KEXPECT_EQ(image_parse_interp(), -ELIBBAD);
	}
}

KTEST(elf, test_elf_parse_bad_class_data_version)
{
	image_static_exec();
	img.eh.e_ident[EI_CLASS] = ELFCLASS32;
	KEXPECT_EQ(image_parse(), -ENOEXEC);
	image_static_exec();
	img.eh.e_ident[EI_CLASS] = ELFCLASSNONE;
	KEXPECT_EQ(image_parse(), -ENOEXEC);
	image_static_exec();
	img.eh.e_ident[EI_DATA] = ELFDATA2MSB;
	KEXPECT_EQ(image_parse(), -ENOEXEC);
	KEXPECT_EQ(image_parse_interp(), -ELIBBAD);
	image_static_exec();
	img.eh.e_ident[EI_VERSION] = EV_NONE;
	KEXPECT_EQ(image_parse(), -ENOEXEC);
}

KTEST(elf, test_elf_parse_bad_machine)
{
	image_static_exec();
	img.eh.e_machine = EM_386;
	KEXPECT_EQ(image_parse(), -ENOEXEC);
	KEXPECT_EQ(image_parse_interp(), -ELIBBAD);
	img.eh.e_machine = EM_AARCH64;
	KEXPECT_EQ(image_parse(), -ENOEXEC);
}

KTEST(elf, test_elf_parse_bad_type)
{
	static const uint16_t types[] = {ET_NONE, ET_REL, ET_CORE, 0xfe00, 0xffff};

	for (size_t i = 0; i < ARRAY_SIZE(types); i++) {
		image_static_exec();
		img.eh.e_type = types[i];
		KEXPECT_EQ(image_parse(), -ENOEXEC);
		/* ABI: load_elf_interp's ~0UL error value is -EPERM. */
		KEXPECT_EQ(image_parse_interp(), -EPERM);
	}
}

KTEST(elf, test_elf_parse_interp_checks_phdrs_before_type)
{
	image_static_exec();
	img.eh.e_type = ET_REL;
	img.eh.e_phnum = 0;
	KEXPECT_EQ(image_parse(), -ENOEXEC);
	KEXPECT_EQ(image_parse_interp(), -ELIBBAD);
}

KTEST(elf, test_elf_parse_short_header)
{
	for (size_t len = 0; len < sizeof(Elf64_Ehdr); len++) {
		image_static_exec();
		img.len = len;
		KEXPECT_EQ(image_parse(), -ENOEXEC);
		KEXPECT_EQ(image_parse_interp(), -EIO);
	}
}

KTEST(elf, test_elf_parse_bad_phentsize)
{
	static const uint16_t sizes[] = {0, 32, sizeof(Elf64_Phdr) - 1, sizeof(Elf64_Phdr) + 8};

	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		image_static_exec();
		img.eh.e_phentsize = sizes[i];
		KEXPECT_EQ(image_parse(), -ENOEXEC);
		KEXPECT_EQ(image_parse_interp(), -ELIBBAD);
	}
}

KTEST(elf, test_elf_parse_phnum_limits)
{
	image_static_exec();
	img.eh.e_phnum = 0;
	KEXPECT_EQ(image_parse(), -ENOEXEC);

	/* ABI: at most ELF_MIN_ALIGN (4096) bytes of headers: 73 entries. */
	image_reset(ET_EXEC, 0x401000);
	image_add(PT_LOAD, PF_R | PF_X, 0, 0x400000, 0x2000, 0x2000);
	while (img.nr_ph < 4096 / sizeof(Elf64_Phdr))
		image_add(PT_NOTE, PF_R, 0, 0, 0, 0);
	img.len = IMAGE_MAX_LEN;
	KEXPECT_EQ(image_parse(), 0);
	KEXPECT_EQ(info.nr_phdrs, 73);
	image_add(PT_NOTE, PF_R, 0, 0, 0, 0);
	KEXPECT_EQ(image_parse(), -ENOEXEC);
	KEXPECT_EQ(image_parse_interp(), -ELIBBAD);

	image_static_exec();
	img.eh.e_phnum = 0xffff;
	KEXPECT_EQ(image_parse(), -ENOEXEC);
}

KTEST(elf, test_elf_parse_phdrs_past_end)
{
	image_static_exec();
	img.len = sizeof(Elf64_Ehdr) + 5 * sizeof(Elf64_Phdr);
	KEXPECT_EQ(image_parse(), 0);
	img.len--;
	KEXPECT_EQ(image_parse(), -ENOEXEC);
	KEXPECT_EQ(image_parse_interp(), -ELIBBAD);

	image_static_exec();
	img.eh.e_phoff = 4096 - 4 * sizeof(Elf64_Phdr);
	KEXPECT_EQ(image_parse(), -ENOEXEC);
	img.eh.e_phoff = UINT64_MAX - 8;
	KEXPECT_EQ(image_parse(), -ENOEXEC);
	img.eh.e_phoff = 1ULL << 63;
	KEXPECT_EQ(image_parse(), -ENOEXEC);
}

KTEST(elf, test_elf_parse_every_truncation)
{
	size_t full;

	image_dynamic_pie();
	full = INTERP_OFFSET + sizeof(LD_SO);
	for (size_t len = 0; len <= full; len++) {
		int want = len < sizeof(Elf64_Ehdr) + 7 * sizeof(Elf64_Phdr) ? -ENOEXEC
			   : len < full					     ? -EIO
									     : 0;
		img.len = len;
		KEXPECT_EQ(image_parse(), want);
	}
}

KTEST(elf, test_elf_parse_unaligned_image)
{
	uint8_t *buf = kmalloc(4096 + 3);

	KASSERT(buf != NULL);
	image_dynamic_pie();
	KASSERT_EQ(image_parse(), 0);
	memcpy(buf + 3, bytes, 4096);
	KEXPECT_EQ(elf_parse(buf + 3, 4096, &info), 0);
	KEXPECT_EQ(info.interp_offset, INTERP_OFFSET);
	KEXPECT_EQ(info.nr_loads, 3);
	kfree(buf);
}

KTEST(elf, test_elf_parse_interp_size_limits)
{
	static char long_path[PATH_MAX + 1];

	image_static_exec();
	image_set_interp("/", 1);
	KEXPECT_EQ(image_parse(), -ENOEXEC);

	image_static_exec();
	image_set_interp("/", 0);
	KEXPECT_EQ(image_parse(), -ENOEXEC);

	image_static_exec();
	image_set_interp("a", 2);
	KEXPECT_EQ(image_parse(), 0);
	KEXPECT_EQ(info.interp_len, 1);

	memset(long_path, 'a', sizeof(long_path));
	long_path[PATH_MAX - 1] = '\0';
	image_static_exec();
	image_set_interp(long_path, PATH_MAX);
	img.len = IMAGE_MAX_LEN;
	KEXPECT_EQ(image_parse(), 0);
	KEXPECT_EQ(info.interp_len, PATH_MAX - 1);

	long_path[PATH_MAX - 1] = 'a';
	long_path[PATH_MAX] = '\0';
	image_static_exec();
	image_set_interp(long_path, PATH_MAX + 1);
	img.len = IMAGE_MAX_LEN;
	KEXPECT_EQ(image_parse(), -ENOEXEC);
}

KTEST(elf, test_elf_parse_interp_not_terminated)
{
	image_static_exec();
	image_set_interp(LD_SO, strlen(LD_SO));
	KEXPECT_EQ(image_parse(), -ENOEXEC);
}

KTEST(elf, test_elf_parse_interp_embedded_nul)
{
	image_static_exec();
	image_set_interp("/lib/ld\0junk", 13);
	KASSERT_EQ(image_parse(), 0);
	KEXPECT(info.has_interp);
	KEXPECT_EQ(info.interp_len, 7);
}

KTEST(elf, test_elf_parse_interp_past_end)
{
	image_static_exec();
	image_set_interp(LD_SO, sizeof(LD_SO));
	img.ph[img.nr_ph - 1].p_offset = 4090;
	KEXPECT_EQ(image_parse(), -EIO);
	img.ph[img.nr_ph - 1].p_offset = UINT64_MAX / 4;
	KEXPECT_EQ(image_parse(), -EIO);
	/* ABI: an offset that is not a valid file position fails the read with -EINVAL. */
	img.ph[img.nr_ph - 1].p_offset = 1ULL << 63;
	KEXPECT_EQ(image_parse(), -EINVAL);
	img.ph[img.nr_ph - 1].p_offset = INT64_MAX - 5;
	KEXPECT_EQ(image_parse(), -EINVAL);
}

KTEST(elf, test_elf_parse_only_first_interp_counts)
{
	image_static_exec();
	image_set_interp(LD_SO, sizeof(LD_SO));
	image_add(PT_INTERP, PF_R, 0, 0, 1, 1);
	KASSERT_EQ(image_parse(), 0);
	KEXPECT_EQ(info.interp_len, strlen(LD_SO));
}

KTEST(elf, test_elf_parse_interp_errors_come_first)
{
	image_static_exec();
	img.ph[2].p_filesz = 0x2000;
	image_set_interp(LD_SO, strlen(LD_SO));
	KEXPECT_EQ(image_parse(), -ENOEXEC);
}

KTEST(elf, test_elf_parse_interp_ignores_own_interp)
{
	image_dynamic_pie();
	img.ph[1].p_filesz = 1;
	KEXPECT_EQ(image_parse(), -ENOEXEC);
	KASSERT_EQ(image_parse_interp(), 0);
	KEXPECT(!info.has_interp);
	KEXPECT_EQ(info.type, ET_DYN);
}

KTEST(elf, test_elf_parse_filesz_over_memsz)
{
	image_static_exec();
	img.ph[2].p_filesz = img.ph[2].p_memsz + 1;
	KEXPECT_EQ(image_parse(), -EINVAL);
	KEXPECT(info_is_zero());
	KEXPECT_EQ(image_parse_interp(), -ENOMEM);

	image_static_pie();
	img.ph[0].p_filesz = 0x801;
	KEXPECT_EQ(image_parse(), -EINVAL);
	KEXPECT_EQ(image_parse_interp(), -ENOMEM);
}

KTEST(elf, test_elf_parse_offset_not_congruent)
{
	image_static_exec();
	img.ph[2].p_offset = 0x2e18;
	KEXPECT_EQ(image_parse(), -EINVAL);
	KEXPECT_EQ(image_parse_interp(), -EINVAL);

	/* Nothing is read from the file, so the offset does not matter. */
	image_static_exec();
	image_add(PT_LOAD, PF_R | PF_W, 0x123, 0x600000, 0, 0x3000);
	KEXPECT_EQ(image_parse(), 0);
	KEXPECT_EQ(info.end_vaddr, 0x603000);
}

KTEST(elf, test_elf_parse_file_range_wraps)
{
	image_static_exec();
	img.ph[1].p_offset = 0xfffffffffffff000;
	img.ph[1].p_vaddr = 0x401000;
	KEXPECT_EQ(image_parse(), -EINVAL);

	image_static_exec();
	img.ph[1].p_filesz = UINT64_MAX - 0x100;
	img.ph[1].p_memsz = UINT64_MAX;
	KEXPECT_EQ(image_parse(), -EINVAL);
}

KTEST(elf, test_elf_parse_file_range_past_max_offset)
{
	image_static_exec();
	img.ph[1].p_offset = 0x8000000000000000;
	KEXPECT_EQ(image_parse(), -EOVERFLOW);

	image_static_exec();
	img.ph[1].p_offset = 0x7ffffffffffff000;
	KEXPECT_EQ(image_parse(), -EOVERFLOW);

	image_static_exec();
	img.ph[1].p_offset = 0x7fffffffffffe000;
	img.ph[1].p_filesz = 0x1000;
	img.ph[1].p_memsz = 0x1000;
	KEXPECT_EQ(image_parse(), 0);
}

KTEST(elf, test_elf_parse_exec_outside_user_space)
{
	image_static_exec();
	img.ph[2].p_vaddr = ELF_USER_ADDR_END + 0xe10;
	KEXPECT_EQ(image_parse(), -ENOMEM);
	KEXPECT_EQ(image_parse_interp(), -ENOMEM);

	image_static_exec();
	img.ph[2].p_memsz = ELF_USER_ADDR_END;
	KEXPECT_EQ(image_parse(), -ENOMEM);

	image_static_exec();
	img.ph[2].p_memsz = UINT64_MAX - 0x1000;
	KEXPECT_EQ(image_parse(), -ENOMEM);

	/* A segment ending exactly at the limit fits. */
	image_static_exec();
	img.ph[2].p_memsz = ELF_USER_ADDR_END - img.ph[2].p_vaddr;
	KEXPECT_EQ(image_parse(), 0);
	KEXPECT_EQ(info.end_vaddr, ELF_USER_ADDR_END);
}

KTEST(elf, test_elf_parse_empty_segment_outside_user_space)
{
	/* Nothing is mapped, so only load_elf_binary's own check fails it. */
	image_static_exec();
	image_add(PT_LOAD, PF_R, 0, 0xffff800000000000, 0, 0);
	KEXPECT_EQ(image_parse(), -EINVAL);
	KEXPECT_EQ(image_parse_interp(), -ENOMEM);
}

KTEST(elf, test_elf_parse_first_failing_segment_decides)
{
	image_static_exec();
	img.ph[1].p_vaddr = ELF_USER_ADDR_END;
	img.ph[2].p_filesz = 0x2000;
	KEXPECT_EQ(image_parse(), -ENOMEM);

	image_static_exec();
	img.ph[1].p_filesz = 0x900;
	img.ph[2].p_vaddr = ELF_USER_ADDR_END + 0xe10;
	KEXPECT_EQ(image_parse(), -EINVAL);
}

KTEST(elf, test_elf_parse_dyn_span)
{
	/* Empty span: a single page-aligned empty PT_LOAD. */
	image_reset(ET_DYN, 0x1000);
	image_add(PT_LOAD, PF_R, 0, 0x1000, 0, 0);
	KEXPECT_EQ(image_parse(), -EINVAL);
	KEXPECT_EQ(image_parse_interp(), -EINVAL);

	/* Too big to fit anywhere. */
	image_static_pie();
	img.ph[2].p_memsz = ELF_USER_ADDR_END;
	KEXPECT_EQ(image_parse(), -ENOMEM);
	KEXPECT_EQ(image_parse_interp(), -ENOMEM);

	image_static_pie();
	img.ph[2].p_memsz = UINT64_MAX - 0x2000;
	KEXPECT_EQ(image_parse(), -ENOMEM);
}

KTEST(elf, test_elf_parse_dyn_checks_unbiased_vaddr)
{
	/* ABI: Linux checks the program's p_vaddr before adding the bias. */
	image_reset(ET_DYN, 0x1000);
	image_add(PT_LOAD, PF_R | PF_X, 0, 0xffffffff00000000, 0x1000, 0x1000);
	KEXPECT_EQ(image_parse(), -EINVAL);
	/* The interpreter's addresses are checked after the bias only. */
	KASSERT_EQ(image_parse_interp(), 0);
	KEXPECT_EQ(elf_span_bytes(&info), 0x1000);
	KEXPECT(elf_can_load_at(&info, 0x100001000));
}

KTEST(elf, test_elf_parse_no_loads)
{
	image_reset(ET_EXEC, 0x401000);
	image_add(PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0);
	KASSERT_EQ(image_parse(), 0);
	KEXPECT_EQ(info.nr_loads, 0);
	KEXPECT_EQ(elf_span_bytes(&info), 0);
	KEXPECT_EQ(image_parse_interp(), -EINVAL);

	image_reset(ET_DYN, 0x1000);
	image_add(PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0);
	KEXPECT_EQ(image_parse(), 0);
	KEXPECT_EQ(image_parse_interp(), -EINVAL);
}

KTEST(elf, test_elf_parse_too_many_loads)
{
	image_reset(ET_EXEC, 0x401000);
	for (uint64_t i = 0; i < ELF_MAX_LOADS; i++)
		image_add(PT_LOAD, PF_R, 0, 0x400000 + i * 0x1000, 0x100, 0x100);
	KASSERT_EQ(image_parse(), 0);
	KEXPECT_EQ(info.nr_loads, ELF_MAX_LOADS);
	KEXPECT_EQ(info.loads[ELF_MAX_LOADS - 1].vaddr, 0x40f000);
	image_add(PT_LOAD, PF_R, 0, 0x410000, 0x100, 0x100);
	KEXPECT_EQ(image_parse(), -ENOEXEC);
	KEXPECT_EQ(image_parse_interp(), -ELIBBAD);
}

KTEST(elf, test_elf_parse_unordered_loads)
{
	image_reset(ET_DYN, 0x2000);
	image_add(PT_LOAD, PF_R | PF_W, 0x2000, 0x5000, 0x100, 0x100);
	image_add(PT_LOAD, PF_R | PF_X, 0x1000, 0x2000, 0x100, 0x100);
	image_add(PT_LOAD, PF_R, 0, 0x1000, 0x100, 0x100);
	KASSERT_EQ(image_parse(), 0);
	KEXPECT_EQ(info.start_vaddr, 0x1000);
	KEXPECT_EQ(info.end_vaddr, 0x5100);
	KEXPECT_EQ(elf_span_bytes(&info), 0x5000);
	KEXPECT_EQ(info.loads[0].vaddr, 0x5000);
	KEXPECT_EQ(info.phdr_vaddr, 0x1040);
}

KTEST(elf, test_elf_parse_entry_outside_user_space)
{
	image_static_exec();
	img.eh.e_entry = ELF_USER_ADDR_END;
	KEXPECT_EQ(image_parse(), -EINVAL);
	KEXPECT_EQ(image_parse_interp(), -EINVAL);

	/* With an interpreter, the program's entry is only passed on in AT_ENTRY. */
	image_set_interp(LD_SO, sizeof(LD_SO));
	KEXPECT_EQ(image_parse(), 0);

	image_static_pie();
	img.eh.e_entry = 0x7fffffff0000;
	KASSERT_EQ(image_parse(), 0);
	KEXPECT(!elf_can_load_at(&info, 0x10000));
	KEXPECT(elf_can_load_at(&info, 0x2000));
}

KTEST(elf, test_elf_parse_max_align)
{
	image_static_pie();
	img.ph[1].p_align = 0x300000; /* not a power of two: ignored */
	KASSERT_EQ(image_parse(), 0);
	KEXPECT_EQ(info.max_align, 0x1000);

	image_static_pie();
	for (unsigned int i = 0; i < img.nr_ph; i++)
		img.ph[i].p_align = 16;
	KASSERT_EQ(image_parse(), 0);
	KEXPECT_EQ(info.max_align, PAGE_SIZE);
}

KTEST(elf, test_elf_parse_prot_flags)
{
	static const struct {
		uint32_t flags;
		int prot;
	} cases[] = {
		{0, 0},
		{PF_R, PROT_READ},
		{PF_W, PROT_WRITE},
		{PF_X, PROT_EXEC},
		{PF_R | PF_W | PF_X, PROT_READ | PROT_WRITE | PROT_EXEC},
		{PF_R | 0xf0000000, PROT_READ},
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		image_static_exec();
		img.ph[1].p_flags = cases[i].flags;
		KASSERT_EQ(image_parse(), 0);
		KEXPECT_EQ(info.loads[1].prot, cases[i].prot);
	}
}

KTEST(elf, test_elf_can_load_at_rejects_exec_bias)
{
	image_static_exec();
	KASSERT_EQ(image_parse(), 0);
	KEXPECT(elf_can_load_at(&info, 0));
	KEXPECT(!elf_can_load_at(&info, 0x10000));

	memset(&info, 0, sizeof(info));
	KEXPECT_EQ(elf_span_bytes(&info), 0);
}
