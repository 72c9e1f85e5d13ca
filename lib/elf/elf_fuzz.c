// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for lib/elf/elf.c: execve hands the decoder any file a
 * user can write, so every input must decode without reading out of
 * bounds, and whatever is accepted must be consistent.
 */
#include <asm-generic/errno.h>
#include <linux/elf.h>
#include <tern/base.h>
#include <tern/elf.h>
#include <tern/string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct elf_info info;

static bool is_expected_error(int err)
{
	return err == -ENOEXEC || err == -EIO || err == -EINVAL || err == -ENOMEM ||
	       err == -EOVERFLOW || err == -ELIBBAD || err == -EPERM;
}

static void check_info(const uint8_t *data, size_t size, bool is_interp)
{
	assert(info.type == ET_EXEC || info.type == ET_DYN);
	assert(info.phdr_entsize == sizeof(Elf64_Phdr));
	assert(info.nr_phdrs > 0 && info.nr_phdrs * sizeof(Elf64_Phdr) <= 4096);
	assert(info.phdr_offset + info.nr_phdrs * sizeof(Elf64_Phdr) <= size);
	assert(info.nr_loads <= ELF_MAX_LOADS && info.nr_loads <= info.nr_phdrs);
	assert(info.max_align >= PAGE_SIZE && (info.max_align & (info.max_align - 1)) == 0);
	assert(info.start_vaddr <= info.end_vaddr);
	assert(!(is_interp && info.has_interp));
	if (info.has_interp) {
		assert(info.interp_offset < size && info.interp_len < size - info.interp_offset);
		assert(data[info.interp_offset + info.interp_len] == '\0');
		assert(memchr(data + info.interp_offset, '\0', info.interp_len) == NULL);
	}
	if (info.stack_exec)
		assert(info.has_gnu_stack);
	for (uint32_t i = 0; i < info.nr_loads; i++) {
		const struct elf_segment *seg = &info.loads[i];

		assert(seg->filesz <= seg->memsz);
		assert(seg->vaddr >= info.start_vaddr && seg->vaddr + seg->memsz <= info.end_vaddr);
		assert(seg->filesz == 0 || (seg->offset - seg->vaddr) % PAGE_SIZE == 0);
		if (info.type == ET_EXEC)
			assert(seg->vaddr + seg->memsz <= ELF_USER_ADDR_END);
	}
	if (info.type == ET_EXEC)
		assert(elf_can_load_at(&info, 0) || info.has_interp || info.nr_loads == 0);
	if (info.type == ET_DYN && info.nr_loads)
		assert(elf_span_bytes(&info) <= ELF_USER_ADDR_END);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int err = elf_parse(data, size, &info);

	if (err == 0)
		check_info(data, size, false);
	else
		assert(is_expected_error(err));
	err = elf_parse_interp(data, size, &info);
	if (err == 0)
		check_info(data, size, true);
	else
		assert(is_expected_error(err));
	return 0;
}
