// SPDX-License-Identifier: MIT
/*
 * Memory syscalls: mmap, munmap, mprotect, mremap, madvise and brk,
 * translating MAP_* and PROT_* into calls on the address space
 * (aspace.h). Files map through their file_ops.map_page.
 */
#include <asm-generic/mman.h>
#include <linux/mman.h>
#include <linux/resource.h>
#include <tern/aspace.h>
#include <tern/base.h>
#include <tern/errno.h>
#include <tern/file.h>
#include <tern/files.h>
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

/*
 * ABI: do_mmap's checks of a file mapping against how the file was
 * opened: EACCES without read access, or for a shared writable mapping
 * without write access; EPERM for PROT_EXEC on a noexec mount; ENODEV
 * for a file that cannot be mapped.
 */
static int check_file_map(struct file *file, uint32_t prot, uint32_t vflags, uint32_t flags)
{
	if ((vflags & VMA_SHARED) && (prot & PROT_WRITE) && !(file->mode & FMODE_WRITE))
		return -EACCES;
	if (!(file->mode & FMODE_READ))
		return -EACCES;
	if ((prot & PROT_EXEC) && (file->path.mnt->flags & MNT_NOEXEC))
		return -EPERM;
	if (!file->ops->map_page)
		return -ENODEV;
	if (flags & MAP_GROWSDOWN)
		return -EINVAL;
	return 0;
}

static long map_file(int fd, uint64_t addr, uint64_t len, uint32_t prot, uint32_t vflags,
		     uint32_t flags, uint64_t off)
{
	struct file *file;
	uint64_t out;
	int err = files_fd_get(fd, &file);

	if (err)
		return err;
	if (file->mode & FMODE_PATH) {
		err = -EBADF;
		goto out;
	}
	if ((off >> PAGE_SHIFT) + (ALIGN_UP(len, PAGE_SIZE) >> PAGE_SHIFT) < (off >> PAGE_SHIFT)) {
		err = -EOVERFLOW;
		goto out;
	}
	err = check_file_map(file, prot, vflags, flags);
	if (err)
		goto out;
	err = aspace_map_file(current_as(), file, addr, len, prot, vflags, off >> PAGE_SHIFT,
			      flags & MAP_FIXED, flags & MAP_FIXED_NOREPLACE, &out);
	if (!err && (flags & (MAP_POPULATE | MAP_LOCKED)))
		aspace_populate(current_as(), out, len);
out:
	file_put(file);
	return err ? err : (long)out;
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
	if ((flags & MAP_HUGETLB) && !(flags & MAP_ANONYMOUS))
		return -EINVAL;
	if (flags & MAP_HUGETLB)
		return -EINVAL;
	bool fixed = flags & (MAP_FIXED | MAP_FIXED_NOREPLACE);
	if (fixed && (addr & (PAGE_SIZE - 1)))
		return -EINVAL;
	if (flags & MAP_GROWSDOWN)
		vflags |= VMA_GROWSDOWN;
	if (flags & MAP_NORESERVE)
		vflags |= VMA_NORESERVE;
	if (!fixed && (flags & MAP_32BIT) && !addr)
		addr = 0x40000000; /* Linux searches [1 GiB, 2 GiB) for MAP_32BIT */
	struct proc *p = current_proc();
	if (aspace_mapped_bytes(p->as) + ALIGN_UP(len, PAGE_SIZE) > p->rlim[RLIMIT_AS].rlim_cur)
		return -ENOMEM;
	if (!(flags & MAP_ANONYMOUS))
		return map_file((int)args[4], addr, len, prot & ~(uint32_t)PROT_SEM, vflags, flags,
				off);
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
	if (!len)
		return 0;
	switch (advice) {
	case MADV_DONTNEED:
	case MADV_FREE:
		return aspace_discard(current_as(), addr, len);
	case MADV_DONTFORK:
		return aspace_set_flags(current_as(), addr, len, VMA_DONTCOPY, 0);
	case MADV_DOFORK:
		return aspace_set_flags(current_as(), addr, len, 0, VMA_DONTCOPY);
	case MADV_WIPEONFORK:
		return aspace_set_flags(current_as(), addr, len, VMA_WIPEONFORK, 0);
	case MADV_KEEPONFORK:
		return aspace_set_flags(current_as(), addr, len, 0, VMA_WIPEONFORK);
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
		/* Hints: nothing to do for anonymous memory, but the range must exist. */
		return aspace_is_mapped(current_as(), addr, len) ? 0 : -ENOMEM;
	default:
		return -EINVAL;
	}
}

/* brk(2): returns the new break, or the unchanged one on failure. */
long sys_brk(const unsigned long args[6])
{
	return (long)aspace_brk(current_as(), args[0]);
}

/* mincore(2) */
long sys_mincore(const unsigned long args[6])
{
	uint64_t addr = args[0], len = args[1];
	uint8_t vec[256];

	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	if (ALIGN_UP(len, PAGE_SIZE) < len || addr + len < addr)
		return -ENOMEM;
	for (uint64_t done = 0; done < len;) {
		uint64_t n = MIN(ALIGN_UP(len - done, PAGE_SIZE), sizeof(vec) * PAGE_SIZE);
		int err = aspace_residency(current_as(), addr + done, n, vec);
		if (err)
			return err;
		if (copy_to_user((uint8_t *)args[2] + (done >> PAGE_SHIFT), vec, n >> PAGE_SHIFT))
			return -EFAULT;
		done += n;
	}
	return 0;
}

/* Pages never leave memory in Tern, so locking is faulting them in. */
static long lock_range(uint64_t addr, uint64_t len)
{
	uint64_t start = ALIGN_DOWN(addr, PAGE_SIZE);
	uint64_t end = ALIGN_UP(addr + len, PAGE_SIZE);

	if (end < start)
		return -ENOMEM;
	if (!aspace_is_mapped(current_as(), start, end - start))
		return -ENOMEM;
	aspace_populate(current_as(), start, end - start);
	return 0;
}

/* mlock(2) */
long sys_mlock(const unsigned long args[6])
{
	return lock_range(args[0], args[1]);
}

/* mlock2(2) */
long sys_mlock2(const unsigned long args[6])
{
	if (args[2] & ~(unsigned long)MLOCK_ONFAULT)
		return -EINVAL;
	return lock_range(args[0], args[1]);
}

/* munlock(2) */
long sys_munlock(const unsigned long args[6])
{
	uint64_t start = ALIGN_DOWN(args[0], PAGE_SIZE);
	uint64_t end = ALIGN_UP(args[0] + args[1], PAGE_SIZE);

	if (end < start || !aspace_is_mapped(current_as(), start, end - start))
		return -ENOMEM;
	return 0;
}

/* mlockall(2) */
long sys_mlockall(const unsigned long args[6])
{
	if (!args[0] || (args[0] & ~(unsigned long)(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) ||
	    args[0] == MCL_ONFAULT)
		return -EINVAL;
	return 0;
}

/* munlockall(2) */
long sys_munlockall(const unsigned long args[6])
{
	(void)args;
	return 0;
}

/* msync(2): anonymous memory has nothing to write back; the checks are Linux's. */
long sys_msync(const unsigned long args[6])
{
	uint64_t addr = args[0], len = args[1];
	int flags = (int)args[2];

	if (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC))
		return -EINVAL;
	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	if ((flags & MS_ASYNC) && (flags & MS_SYNC))
		return -EINVAL;
	if (!len)
		return 0;
	if (ALIGN_UP(len, PAGE_SIZE) < len)
		return -ENOMEM;
	return aspace_is_mapped(current_as(), addr, len) ? 0 : -ENOMEM;
}
