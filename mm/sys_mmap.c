// SPDX-License-Identifier: MIT
/*
 * Memory syscalls: mmap, munmap, mprotect, mremap, madvise and brk,
 * translating MAP_* and PROT_* into calls on the address space
 * (aspace.h). Only anonymous memory until files can be mapped.
 */
#include <asm-generic/mman.h>
#include <linux/mman.h>
#include <tern/aspace.h>
#include <tern/base.h>
#include <tern/errno.h>
#include <tern/proc.h>
#include <tern/sys.h>

#define MAP_KNOWN                                                                                 \
	(MAP_SHARED | MAP_PRIVATE | MAP_SHARED_VALIDATE | MAP_FIXED | MAP_ANONYMOUS |             \
	 MAP_GROWSDOWN | MAP_DENYWRITE | MAP_EXECUTABLE | MAP_LOCKED | MAP_NORESERVE |            \
	 MAP_POPULATE | MAP_NONBLOCK | MAP_STACK | MAP_HUGETLB | MAP_SYNC | MAP_FIXED_NOREPLACE | \
	 MAP_UNINITIALIZED | MAP_32BIT)

static struct aspace *current_as(void)
{
	return current_proc()->as;
}

/* mmap(2) */
long sys_mmap(const unsigned long args[6])
{
	uint64_t addr = args[0], len = args[1], off = args[5];
	uint32_t prot = (uint32_t)args[2], flags = (uint32_t)args[3];
	uint32_t vflags = 0;
	uint64_t out;
	int err;

	if (prot & ~(uint32_t)(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM))
		return -EINVAL;
	switch (flags & MAP_TYPE) {
	case MAP_SHARED_VALIDATE:
		if (flags & ~(uint32_t)MAP_KNOWN)
			return -EOPNOTSUPP;
		vflags |= VMA_SHARED;
		break;
	case MAP_SHARED:
		vflags |= VMA_SHARED;
		break;
	case MAP_PRIVATE:
		break;
	default:
		return -EINVAL;
	}
	if (!len)
		return -EINVAL;
	if (off & (PAGE_SIZE - 1))
		return -EINVAL;
	if (ALIGN_UP(len, PAGE_SIZE) < len || ALIGN_UP(len, PAGE_SIZE) == 0)
		return -ENOMEM;
	if (!(flags & MAP_ANONYMOUS))
		return -EBADF; /* FIXME: file mappings arrive with the files issue */
	if (flags & MAP_HUGETLB)
		return -EINVAL;
	bool fixed = flags & (MAP_FIXED | MAP_FIXED_NOREPLACE);
	if (fixed && (addr & (PAGE_SIZE - 1)))
		return -EINVAL;
	if (flags & MAP_GROWSDOWN)
		vflags |= VMA_GROWSDOWN;
	if (flags & MAP_NORESERVE)
		vflags |= VMA_NORESERVE;
	err = aspace_map_anon(current_as(), addr, len, prot & ~(uint32_t)PROT_SEM, vflags,
			      flags & MAP_FIXED, flags & MAP_FIXED_NOREPLACE, &out);
	if (err)
		return err;
	if (flags & (MAP_POPULATE | MAP_LOCKED))
		aspace_populate(current_as(), out, len);
	return (long)out;
}

/* munmap(2) */
long sys_munmap(const unsigned long args[6])
{
	return aspace_unmap(current_as(), args[0], args[1]);
}

/* mprotect(2) */
long sys_mprotect(const unsigned long args[6])
{
	uint32_t prot = (uint32_t)args[2];

	if (prot & ~(uint32_t)(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM | PROT_GROWSDOWN |
			       PROT_GROWSUP))
		return -EINVAL;
	return aspace_protect(current_as(), args[0], args[1], prot & ~(uint32_t)PROT_SEM);
}

/* mremap(2) */
long sys_mremap(const unsigned long args[6])
{
	uint64_t out;
	int err = aspace_remap(current_as(), args[0], args[1], args[2], (uint32_t)args[3], args[4],
			       &out);

	return err ? err : (long)out;
}

/* madvise(2): DONTNEED/FREE drop pages; the hints are accepted as Linux does. */
long sys_madvise(const unsigned long args[6])
{
	uint64_t addr = args[0], len = args[1];
	int advice = (int)args[2];

	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	if (ALIGN_UP(len, PAGE_SIZE) < len)
		return -EINVAL;
	switch (advice) {
	case MADV_DONTNEED:
	case MADV_FREE:
		return len ? aspace_discard(current_as(), addr, len) : 0;
	case MADV_NORMAL:
	case MADV_RANDOM:
	case MADV_SEQUENTIAL:
	case MADV_WILLNEED:
	case MADV_HUGEPAGE:
	case MADV_NOHUGEPAGE:
	case MADV_DONTDUMP:
	case MADV_DODUMP:
	case MADV_COLD:
	case MADV_PAGEOUT:
		return 0; /* hints: nothing to do for anonymous memory here */
	default:
		return -EINVAL;
	}
}

/* brk(2): returns the new break, or the unchanged one on failure. */
long sys_brk(const unsigned long args[6])
{
	return (long)aspace_brk(current_as(), args[0]);
}
