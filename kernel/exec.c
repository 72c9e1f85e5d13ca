// SPDX-License-Identifier: MIT
/*
 * Starting a user program from an ELF image in kernel memory: validate
 * it (lib/elf), copy its PT_LOAD segments into fresh pages of a new
 * address space, build the initial stack (exec_stack.c) and leave for
 * user mode on a new thread.
 *
 * FIXME: pages are copied eagerly and there are no VMAs yet; execve,
 * demand paging and copy-on-write arrive with the address-space code
 * (include/tern/vma.h).
 */
#include <asm-generic/mman-common.h>
#include <linux/auxvec.h>
#include <linux/elf.h>
#include <tern/arch.h>
#include <tern/base.h>
#include <tern/elf.h>
#include <tern/errno.h>
#include <tern/exec.h>
#include <tern/mm.h>
#include <tern/sched.h>
#include <tern/string.h>
#include <tern/syscall.h>
#include <tern/uvm.h>

#define STACK_TOP USER_ADDR_END
#define STACK_BYTES (128 * 1024)
#define PIE_BASE 0x555555554000ULL /* where Linux puts a PIE without ASLR */

struct user_start {
	struct uvm *uvm;
	uint64_t entry;
	uint64_t sp;
};

static unsigned int uvm_prot_of(int prot)
{
	return ((prot & PROT_WRITE) ? UVM_WRITE : 0) | ((prot & PROT_EXEC) ? UVM_EXEC : 0);
}

/* Returns the page mapped at va, mapping a zeroed one with prot if none. */
static int ensure_page(struct uvm *uvm, uint64_t va, unsigned int prot, uint8_t **out)
{
	uint64_t pa = uvm_lookup(uvm, va);

	if (!pa) {
		pa = mm_alloc_zeroed_page();
		if (!pa)
			return -ENOMEM;
		if (uvm_map(uvm, va, pa, prot) != 0) {
			mm_put_page(pa);
			return -ENOMEM;
		}
	} else if (uvm_map(uvm, va, pa, prot) != 0) { /* overlapping segments: widen */
		return -ENOMEM;
	}
	*out = phys_to_virt(pa);
	return 0;
}

static int load_segment(struct uvm *uvm, const uint8_t *image, const struct elf_segment *seg,
			uint64_t bias)
{
	uint64_t start = ALIGN_DOWN(seg->vaddr, PAGE_SIZE);
	uint64_t end = ALIGN_UP(seg->vaddr + seg->memsz, PAGE_SIZE);
	uint64_t file_end = seg->vaddr + seg->filesz;

	for (uint64_t va = start; va < end; va += PAGE_SIZE) {
		uint8_t *page;
		int err = ensure_page(uvm, va + bias, uvm_prot_of(seg->prot), &page);
		if (err)
			return err;
		uint64_t from = MAX(va, seg->vaddr);
		uint64_t to = MIN(va + PAGE_SIZE, file_end);
		if (from < to)
			memcpy(page + (from - va), image + seg->offset + (from - seg->vaddr),
			       to - from);
	}
	return 0;
}

/* Maps the stack and copies the start-up image into it; returns sp. */
static int setup_stack(struct uvm *uvm, const struct exec_stack_args *args, uint64_t *sp)
{
	uint8_t *image = kzalloc(STACK_BYTES);
	int err;

	if (!image)
		return -ENOMEM;
	err = exec_stack_build(args, image, STACK_BYTES, STACK_TOP, sp);
	for (uint64_t off = 0; !err && off < STACK_BYTES; off += PAGE_SIZE) {
		uint8_t *page;
		err = ensure_page(uvm, STACK_TOP - STACK_BYTES + off, UVM_WRITE, &page);
		if (!err)
			memcpy(page, image + off, PAGE_SIZE);
	}
	kfree(image);
	return err;
}

static size_t count_strings(const char *const *v)
{
	size_t n = 0;

	while (v[n])
		n++;
	return n;
}

static int build_stack(struct uvm *uvm, const char *path, const struct elf_info *info,
		       uint64_t bias, const char *const *argv, const char *const *envp,
		       uint64_t *sp)
{
	const uint64_t auxv[] = {
		AT_PHDR,   info->phdr_vaddr + bias,
		AT_PHENT,  info->phdr_entsize,
		AT_PHNUM,  info->nr_phdrs,
		AT_PAGESZ, PAGE_SIZE,
		AT_BASE,   0,
		AT_FLAGS,  0,
		AT_ENTRY,  info->entry + bias,
		AT_UID,	   0,
		AT_EUID,   0,
		AT_GID,	   0,
		AT_EGID,   0,
		AT_SECURE, 0,
		AT_CLKTCK, 100,
	};
	struct exec_stack_args args = {
		.argv = argv,
		.argc = count_strings(argv),
		.envp = envp,
		.envc = count_strings(envp),
		.execfn = path,
		.auxv = auxv,
		.nr_auxv_pairs = ARRAY_SIZE(auxv) / 2,
	};

	random_bytes(args.random, sizeof(args.random));
	return setup_stack(uvm, &args, sp);
}

static int load_image(struct uvm *uvm, const char *path, const void *image, size_t image_len,
		      const char *const *argv, const char *const *envp, struct user_start *start)
{
	struct elf_info info;
	int err = elf_parse(image, image_len, &info);

	if (err)
		return err;
	if (info.has_interp)
		return -ENOEXEC; /* FIXME: dynamic programs need the interpreter loaded */
	uint64_t bias = info.type == ET_DYN ? PIE_BASE : 0;
	if (!elf_can_load_at(&info, bias))
		return -ENOMEM;
	for (uint32_t i = 0; i < info.nr_loads; i++) {
		err = load_segment(uvm, image, &info.loads[i], bias);
		if (err)
			return err;
	}
	start->entry = info.entry + bias;
	return build_stack(uvm, path, &info, bias, argv, envp, &start->sp);
}

int exec_image(const char *path, const void *image, size_t image_len, const char *const *argv,
	       const char *const *envp)
{
	struct user_start start = {0};
	struct task *self = current_task();
	int err;

	if (self->uvm)
		return -EBUSY; /* FIXME: execve over a running program needs mm teardown */
	err = uvm_create(&start.uvm);
	if (err)
		return err;
	err = load_image(start.uvm, path, image, image_len, argv, envp, &start);
	if (err) {
		uvm_destroy(start.uvm, mm_put_page);
		return err;
	}
	err = arch_user_fpu_init();
	if (err) {
		uvm_destroy(start.uvm, mm_put_page);
		return err;
	}
	self->uvm = start.uvm;
	uvm_activate(start.uvm);
	arch_enter_user(start.entry, start.sp);
}
