// SPDX-License-Identifier: MIT
/*
 * Address spaces: the VMA set decides what an access may do, the page
 * tables hold what has been touched. Pages arrive on first touch
 * (demand paging); fork shares private pages read-only and the first
 * write to one copies it unless no one else holds it (copy-on-write).
 * Shared anonymous memory lives in a shm object that owns one reference
 * to each of its pages, so every mapping of it, in any process, sees the
 * same page after a fault. A file mapping's object holds the file
 * instead, and faults ask the file for its page (file_ops.map_page):
 * shared mappings map it writable, private ones read-only until a write
 * copies it.
 *
 * Every area mapping a file is on the inode's reverse map (vma.h), which
 * truncation and hole punching walk to unmap what they cut, from any
 * process (as_zap_pages). A fault looks the file's page up without that
 * lock and maps it only if no zap ran meanwhile (rmap->zap_seq), so a
 * page cut from the file never stays mapped. Page-table changes happen
 * under pt_lock, which a zap takes without the space's own lock.
 */
#include <asm-generic/mman-common.h>
#include <tern/aspace.h>
#include <tern/base.h>
#include <tern/errno.h>
#include <tern/file.h>
#include <tern/mm.h>
#include <tern/string.h>
#include <tern/syscall.h>
#include <tern/uvm.h>

#define USER_START 0x10000ULL		/* Linux's default mmap_min_addr */
#define MMAP_BASE 0x00007ffff7fff000ULL /* top-down placement starts here */

/*
 * What a shared or file VMA refers to. Shared anonymous memory: one page
 * per index, allocated on first fault. A file: its pages are the file's.
 */
struct shm_obj {
	int refcount;	   /* atomic: VMAs referring to it */
	struct file *file; /* I: the mapped file (referenced), or NULL for anonymous memory */
	uint64_t nr_slots; /* length of pages[] */
	uint64_t *pages;   /* physical addresses; 0 = not yet touched */
	struct mutex lock; /* pages[], nr_slots */
	uint64_t ino;	   /* I: anonymous memory's inode number in /proc/PID/maps */
};

/*
 * atomic: the last inode number given to shared anonymous memory. Linux
 * numbers the shmem files behind it from its internal mount's counter.
 */
static uint64_t shm_last_ino;

static void shm_get(void *backing)
{
	struct shm_obj *o = backing;

	__atomic_fetch_add(&o->refcount, 1, __ATOMIC_RELAXED);
}

static void shm_put(void *backing)
{
	struct shm_obj *o = backing;

	if (__atomic_sub_fetch(&o->refcount, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	for (uint64_t i = 0; i < o->nr_slots; i++)
		if (o->pages[i])
			mm_put_page(o->pages[i]);
	if (o->file)
		file_put(o->file);
	kfree(o->pages);
	kfree(o);
}

/* The page at index idx of o, allocated if new; 0 or -ENOMEM. */
static int shm_page(struct shm_obj *o, uint64_t idx, uint64_t *pa)
{
	int err = 0;

	mutex_lock(&o->lock);
	if (idx >= o->nr_slots) { /* mremap grew a shared mapping */
		uint64_t n = MAX(idx + 1, o->nr_slots * 2);
		uint64_t *pages = kzalloc(n * sizeof(*pages));
		if (!pages) {
			err = -ENOMEM;
			goto out;
		}
		if (o->nr_slots)
			memcpy(pages, o->pages, o->nr_slots * sizeof(*pages));
		kfree(o->pages);
		o->pages = pages;
		o->nr_slots = n;
	}
	if (!o->pages[idx]) {
		o->pages[idx] = mm_alloc_zeroed_page();
		if (!o->pages[idx])
			err = -ENOMEM;
	}
	*pa = o->pages[idx];
out:
	mutex_unlock(&o->lock);
	return err;
}

static int shm_create(uint64_t nr_pages, struct shm_obj **out)
{
	struct shm_obj *o = kzalloc(sizeof(*o));

	if (!o)
		return -ENOMEM;
	o->pages = kzalloc(MAX(nr_pages, 1) * sizeof(*o->pages));
	if (!o->pages) {
		kfree(o);
		return -ENOMEM;
	}
	o->nr_slots = MAX(nr_pages, 1);
	o->refcount = 1;
	o->ino = __atomic_add_fetch(&shm_last_ino, 1, __ATOMIC_RELAXED);
	mutex_init(&o->lock);
	*out = o;
	return 0;
}

/* A mapping of file: an object with no page slots of its own, holding a file reference. */
static int file_obj_create(struct file *file, struct shm_obj **out)
{
	struct shm_obj *o = kzalloc(sizeof(*o));

	if (!o)
		return -ENOMEM;
	file_get(file);
	o->file = file;
	o->refcount = 1;
	mutex_init(&o->lock);
	*out = o;
	return 0;
}

static struct vma_rmap *shm_rmap(void *backing)
{
	struct shm_obj *o = backing;

	return o->file ? &o->file->inode->mmap_rmap : NULL;
}

static bool is_file_vma(const struct vma *v)
{
	return !(v->flags & VMA_ANON) && v->backing;
}

static struct file *vma_file(const struct vma *v)
{
	return ((struct shm_obj *)v->backing)->file;
}

struct file *aspace_vma_file(const struct vma *v)
{
	return is_file_vma(v) ? vma_file(v) : NULL;
}

uint64_t aspace_vma_shared_anon_ino(const struct vma *v)
{
	return (v->flags & VMA_ANON) && v->backing ? ((struct shm_obj *)v->backing)->ino : 0;
}

static unsigned int uvm_prot(uint32_t prot)
{
	return ((prot & PROT_READ) ? UVM_READ : 0) | ((prot & PROT_WRITE) ? UVM_WRITE : 0) |
	       ((prot & PROT_EXEC) ? UVM_EXEC : 0);
}

static void as_unmap_pages(void *ctx, uint64_t start, uint64_t end)
{
	struct aspace *as = ctx;

	mutex_lock(&as->pt_lock);
	uvm_unmap_range(as->uvm, start, end, mm_put_page);
	mutex_unlock(&as->pt_lock);
}

static void as_protect_pages(void *ctx, uint64_t start, uint64_t end, uint32_t prot)
{
	struct aspace *as = ctx;

	mutex_lock(&as->pt_lock);
	uvm_protect_range(as->uvm, start, end, uvm_prot(prot));
	mutex_unlock(&as->pt_lock);
}

static void as_move_pages(void *ctx, uint64_t old_start, uint64_t new_start, uint64_t len)
{
	struct aspace *as = ctx;

	mutex_lock(&as->pt_lock);
	if (uvm_move_range(as->uvm, old_start, new_start, len) != 0)
		as->move_err = -ENOMEM; /* vma_ops.move_pages cannot fail; report it after */
	mutex_unlock(&as->pt_lock);
}

/*
 * Truncation or hole punching cut the file pages that [start, end) of vma
 * maps. Shared areas and truncation drop every page there; a hole punched
 * under a private area takes only the file's own pages, not private
 * copies (Linux's even_cows). Called under vma->rmap->lock, not as->lock.
 */
static void as_zap_pages(void *ctx, const struct vma *vma, uint64_t start, uint64_t end,
			 const struct vma_zap *zap)
{
	struct aspace *as = ctx;

	mutex_lock(&as->pt_lock);
	if ((vma->flags & VMA_SHARED) || zap->even_cows) {
		uvm_unmap_range(as->uvm, start, end, mm_put_page);
	} else {
		for (uint64_t va = start; va < end; va += PAGE_SIZE) {
			uint64_t index = vma->pgoff + ((va - vma->start) >> PAGE_SHIFT);
			uint64_t pa;
			unsigned int have;

			if (uvm_query(as->uvm, va, &pa, &have) &&
			    zap->is_file_page(zap->arg, index, pa))
				uvm_unmap_range(as->uvm, va, va + PAGE_SIZE, mm_put_page);
		}
	}
	mutex_unlock(&as->pt_lock);
}

static const struct vma_ops aspace_vma_ops = {
	.unmap_pages = as_unmap_pages,
	.protect_pages = as_protect_pages,
	.move_pages = as_move_pages,
	.backing_get = shm_get,
	.backing_put = shm_put,
	.backing_rmap = shm_rmap,
	.zap_pages = as_zap_pages,
};

static int aspace_alloc(struct aspace **out)
{
	struct aspace *as = kzalloc(sizeof(*as));
	int err;

	if (!as)
		return -ENOMEM;
	err = uvm_create(&as->uvm);
	if (err) {
		kfree(as);
		return err;
	}
	mutex_init(&as->lock);
	mutex_init(&as->pt_lock);
	as->refcount = 1;
	vma_set_init(&as->vmas, USER_START, USER_ADDR_END, MMAP_BASE, &aspace_vma_ops, as);
	*out = as;
	return 0;
}

int aspace_create(struct aspace **out)
{
	return aspace_alloc(out);
}

int aspace_fork(struct aspace *src, struct aspace **out)
{
	struct aspace *as;
	int err = aspace_alloc(&as);

	if (err)
		return err;
	mutex_lock(&src->lock);
	err = vma_set_clone(&as->vmas, &src->vmas);
	for (struct vma *v = vma_first(&src->vmas); !err && v; v = vma_next(&src->vmas, v)) {
		if (v->flags & VMA_DONTCOPY)
			continue;
		/* Shared pages are found again through the shm object on the child's faults. */
		if (v->flags & (VMA_SHARED | VMA_WIPEONFORK))
			continue;
		/*
		 * Both page-table locks, parent first: a zap may reach either
		 * through the copy's place on the reverse map, right after v.
		 */
		mutex_lock(&src->pt_lock);
		mutex_lock(&as->pt_lock);
		err = uvm_copy_range(as->uvm, src->uvm, v->start, v->end, true, mm_get_page);
		mutex_unlock(&as->pt_lock);
		mutex_unlock(&src->pt_lock);
	}
	as->lay = src->lay;
	as->rss_hiwater_pages = uvm_resident_pages(as->uvm);
	mutex_unlock(&src->lock);
	if (err) {
		aspace_put(as);
		return err;
	}
	*out = as;
	return 0;
}

uint64_t aspace_rss_hiwater_pages(struct aspace *as)
{
	mutex_lock(&as->lock);
	uint64_t pages = as->rss_hiwater_pages;
	mutex_unlock(&as->lock);
	return pages;
}

void aspace_get(struct aspace *as)
{
	__atomic_fetch_add(&as->refcount, 1, __ATOMIC_RELAXED);
}

void aspace_put(struct aspace *as)
{
	if (__atomic_sub_fetch(&as->refcount, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	vma_set_destroy(&as->vmas);
	uvm_destroy(as->uvm, mm_put_page);
	kfree(as);
}

void aspace_activate(struct aspace *as)
{
	uvm_activate(as->uvm);
}

struct uvm *aspace_uvm(struct aspace *as)
{
	return as->uvm;
}

static bool is_allowed(const struct vma *v, unsigned int flags)
{
	if (flags & FAULT_WRITE)
		return v->prot & PROT_WRITE;
	if (flags & FAULT_EXEC)
		return v->prot & PROT_EXEC;
	/* x86 cannot make a page writable or executable but unreadable. */
	return v->prot & (PROT_READ | PROT_WRITE | PROT_EXEC);
}

static int pt_map(struct aspace *as, uint64_t va, uint64_t pa, unsigned int prot)
{
	mutex_lock(&as->pt_lock);
	int err = uvm_map(as->uvm, va, pa, prot);
	mutex_unlock(&as->pt_lock);
	return err;
}

static bool pt_query(struct aspace *as, uint64_t va, uint64_t *pa, unsigned int *have)
{
	mutex_lock(&as->pt_lock);
	bool found = uvm_query(as->uvm, va, pa, have);
	mutex_unlock(&as->pt_lock);
	return found;
}

/* The page mapped at va, with a reference the caller puts (a zap cannot free it meanwhile). */
static bool pt_get_page(struct aspace *as, uint64_t va, uint64_t *pa)
{
	unsigned int have;

	mutex_lock(&as->pt_lock);
	bool found = uvm_query(as->uvm, va, pa, &have);
	if (found)
		mm_get_page(*pa);
	mutex_unlock(&as->pt_lock);
	return found;
}

/*
 * ABI: a write fault through a shared mapping updates the file's mtime and
 * ctime, as Linux's fault_dirty_shared_page does (file_update_time) for
 * files without page_mkwrite, such as tmpfs.
 */
static void file_update_time(struct file *file)
{
	struct vfs *vfs = file->inode->sb->vfs;

	vfs_lock(vfs);
	inode_touch_mtime(file->inode);
	vfs_unlock(vfs);
}

static bool is_shared_file_write(const struct vma *v, unsigned int flags)
{
	return (flags & FAULT_WRITE) && (v->flags & VMA_SHARED) && is_file_vma(v);
}

/* A write to a present page that the tables keep read-only. */
static int fault_cow(struct aspace *as, struct vma *v, uint64_t va, uint64_t pa)
{
	unsigned int prot = uvm_prot(v->prot);

	uint64_t copy;

	if ((v->flags & VMA_SHARED) || mm_page_refcount(pa) == 1)
		return pt_map(as, va, pa, prot);
	copy = mm_alloc_zeroed_page();
	if (!copy)
		return -ENOMEM;
	memcpy(phys_to_virt(copy), phys_to_virt(pa), PAGE_SIZE);
	if (pt_map(as, va, copy, prot) != 0) {
		mm_put_page(copy);
		return -ENOMEM;
	}
	mm_put_page(pa);
	return 0;
}

/* A fault on a page the tables hold: copy-on-write, or restoring a PROT_NONE entry. */
static int fault_present(struct aspace *as, struct vma *v, uint64_t va, unsigned int flags,
			 uint64_t pa, unsigned int have)
{
	if ((flags & FAULT_WRITE) && !(have & UVM_WRITE))
		return fault_cow(as, v, va, pa);
	if (!have || ((flags & FAULT_EXEC) && !(have & UVM_EXEC)))
		return pt_map(as, va, pa, uvm_prot(v->prot) & ~UVM_WRITE);
	return 0; /* another thread got here first */
}

/*
 * A file's page for a fault at va (with a reference): private mappings
 * get it read-only, or a copy of it on a write.
 */
static int file_page(struct vma *v, uint64_t va, unsigned int flags, uint64_t *pa,
		     unsigned int *prot)
{
	struct file *file = vma_file(v);
	uint64_t copy;
	int err = file->ops->map_page(file, v->pgoff + ((va - v->start) >> PAGE_SHIFT), pa);

	if (err)
		return err == -ENOMEM ? err : -ENXIO;
	if (v->flags & VMA_SHARED)
		return 0;
	if (!(flags & FAULT_WRITE)) {
		*prot &= ~UVM_WRITE;
		return 0;
	}
	copy = mm_alloc_zeroed_page();
	if (copy)
		memcpy(phys_to_virt(copy), phys_to_virt(*pa), PAGE_SIZE);
	mm_put_page(*pa);
	*pa = copy;
	return copy ? 0 : -ENOMEM;
}

static void note_rss(struct aspace *as)
{
	as->rss_hiwater_pages = MAX(as->rss_hiwater_pages, uvm_resident_pages(as->uvm));
}

/*
 * A file page for va, which has no entry. map_page runs without the
 * reverse map's lock (vfs->lock comes first); if a zap ran since seq was
 * read, the page may have been cut from the file, so it is dropped and
 * -EAGAIN asks for a retry.
 */
static int fault_file_missing(struct aspace *as, struct vma *v, uint64_t va, unsigned int flags,
			      uint64_t seq)
{
	unsigned int prot = uvm_prot(v->prot);
	uint64_t pa;
	int err = file_page(v, va, flags, &pa, &prot);

	if (err)
		return err;
	mutex_lock(&v->rmap->lock);
	err = v->rmap->zap_seq == seq ? pt_map(as, va, pa, prot) : -EAGAIN;
	mutex_unlock(&v->rmap->lock);
	if (err)
		mm_put_page(pa);
	return err;
}

/*
 * Outline (faults in file areas):
 *   under the reverse map's lock: note zap_seq; a present page is handled
 *     there (no zap can take it away meanwhile)
 *   else ask the file for its page, and map it if zap_seq has not moved,
 *     else start again
 */
static int fault_file(struct aspace *as, struct vma *v, uint64_t va, unsigned int flags)
{
	uint64_t pa;
	unsigned int have;
	int err;

	assert(v->rmap);
	do {
		mutex_lock(&v->rmap->lock);
		uint64_t seq = v->rmap->zap_seq;
		if (pt_query(as, va, &pa, &have)) {
			err = fault_present(as, v, va, flags, pa, have);
			mutex_unlock(&v->rmap->lock);
			return err;
		}
		mutex_unlock(&v->rmap->lock);
		err = fault_file_missing(as, v, va, flags, seq);
	} while (err == -EAGAIN);
	return err;
}

/* Shared anonymous memory: the shared object's page. */
static int fault_shared_anon(struct aspace *as, struct vma *v, uint64_t va)
{
	unsigned int prot = uvm_prot(v->prot);
	uint64_t pa;
	int err;

	err = shm_page(v->backing, v->pgoff + ((va - v->start) >> PAGE_SHIFT), &pa);
	if (err)
		return err;
	mm_get_page(pa);
	err = pt_map(as, va, pa, prot);
	if (err)
		mm_put_page(pa);
	return err;
}

/*
 * Private anonymous memory, the common fault: the lookup and the new
 * zeroed page's entry under one pt_lock hold (a zap never touches these
 * areas, so only the cost is saved).
 */
static int fault_private_anon(struct aspace *as, struct vma *v, uint64_t va, unsigned int flags)
{
	uint64_t pa;
	unsigned int have;
	int err;

	mutex_lock(&as->pt_lock);
	if (uvm_query(as->uvm, va, &pa, &have)) {
		mutex_unlock(&as->pt_lock);
		return fault_present(as, v, va, flags, pa, have);
	}
	pa = mm_alloc_zeroed_page();
	err = pa ? uvm_map(as->uvm, va, pa, uvm_prot(v->prot)) : -ENOMEM;
	mutex_unlock(&as->pt_lock);
	if (err && pa)
		mm_put_page(pa);
	return err;
}

static int fault_locked(struct aspace *as, uint64_t addr, unsigned int flags, uint64_t stack_max)
{
	uint64_t va = ALIGN_DOWN(addr, PAGE_SIZE);
	struct vma *v = vma_find(&as->vmas, addr);
	uint64_t pa;
	unsigned int have;
	int err;

	if (!v) {
		v = vma_find_next(&as->vmas, addr);
		if (!v || !(v->flags & VMA_GROWSDOWN) ||
		    addr < as->lay.stack_top - MIN(stack_max, as->lay.stack_top))
			return -EFAULT;
		if (vma_expand_stack(&as->vmas, v, addr) != 0)
			return -EFAULT;
	}
	if (!is_allowed(v, flags))
		return -EACCES;
	if (is_file_vma(v))
		err = fault_file(as, v, va, flags);
	else if (!(v->flags & VMA_SHARED))
		err = fault_private_anon(as, v, va, flags);
	else if (!pt_query(as, va, &pa, &have))
		err = fault_shared_anon(as, v, va);
	else
		err = fault_present(as, v, va, flags, pa, have);
	if (!err && is_shared_file_write(v, flags))
		file_update_time(vma_file(v));
	if (!err)
		note_rss(as);
	return err;
}

int aspace_fault(struct aspace *as, uint64_t addr, unsigned int flags, uint64_t stack_max)
{
	int err;

	mutex_lock(&as->lock);
	err = fault_locked(as, addr, flags, stack_max);
	mutex_unlock(&as->lock);
	return err;
}

/* Places and maps an area referring to obj (which keeps the caller's reference). */
static int map_object(struct aspace *as, uint64_t addr, uint64_t len, uint32_t prot,
		      uint32_t vma_flags, struct shm_obj *obj, uint64_t pgoff, bool fixed,
		      bool noreplace, uint64_t *out)
{
	int err;

	mutex_lock(&as->lock);
	if (!fixed && !noreplace) {
		err = vma_find_free(&as->vmas, len, addr, &addr);
		if (err)
			goto out;
	}
	err = vma_map(&as->vmas, addr, len, prot, vma_flags, obj, pgoff, !noreplace);
	if (!err)
		*out = addr;
out:
	mutex_unlock(&as->lock);
	return err;
}

int aspace_map_anon(struct aspace *as, uint64_t addr, uint64_t len, uint32_t prot,
		    uint32_t vma_flags, bool fixed, bool noreplace, uint64_t *out)
{
	struct shm_obj *shm = NULL;
	uint64_t pages = ALIGN_UP(len, PAGE_SIZE) >> PAGE_SHIFT;
	int err;

	if (!len)
		return -EINVAL;
	if ((vma_flags & VMA_SHARED) && (err = shm_create(pages, &shm)) != 0)
		return err;
	err = map_object(as, addr, len, prot, vma_flags | VMA_ANON, shm, 0, fixed, noreplace, out);
	if (shm)
		shm_put(shm); /* the VMA holds its own reference */
	return err;
}

int aspace_map_file(struct aspace *as, struct file *file, uint64_t addr, uint64_t len,
		    uint32_t prot, uint32_t vma_flags, uint64_t pgoff, bool fixed, bool noreplace,
		    uint64_t *out)
{
	struct shm_obj *obj;
	int err;

	if (!len)
		return -EINVAL;
	err = file_obj_create(file, &obj);
	if (err)
		return err;
	err = map_object(as, addr, len, prot, vma_flags & ~(uint32_t)VMA_ANON, obj, pgoff, fixed,
			 noreplace, out);
	shm_put(obj); /* the VMA holds its own reference */
	return err;
}

int aspace_write(struct aspace *as, uint64_t addr, const void *data, uint64_t len)
{
	int err = 0;

	mutex_lock(&as->lock);
	for (uint64_t done = 0; done < len;) {
		uint64_t at = addr + done;
		uint64_t va = ALIGN_DOWN(at, PAGE_SIZE);
		uint64_t pa;
		err = fault_locked(as, at, FAULT_WRITE, 0);
		if (err)
			break;
		if (!pt_get_page(as, va, &pa))
			continue; /* a truncation took it since: fault again */
		uint64_t n = MIN(len - done, va + PAGE_SIZE - at);
		memcpy((uint8_t *)phys_to_virt(pa) + (at - va), (const uint8_t *)data + done, n);
		mm_put_page(pa);
		done += n;
	}
	mutex_unlock(&as->lock);
	return err;
}

void aspace_read(struct aspace *as, uint64_t addr, void *buf, uint64_t len, uint64_t *done)
{
	uint64_t n = 0;

	mutex_lock(&as->lock);
	while (n < len) {
		uint64_t at = addr + n;
		uint64_t va = ALIGN_DOWN(at, PAGE_SIZE);
		uint64_t pa;
		if (at < addr || fault_locked(as, at, 0, 0) != 0)
			break;
		if (!pt_get_page(as, va, &pa))
			continue; /* a truncation took it since: fault again */
		uint64_t chunk = MIN(len - n, va + PAGE_SIZE - at);
		memcpy((uint8_t *)buf + n, (const uint8_t *)phys_to_virt(pa) + (at - va), chunk);
		mm_put_page(pa);
		n += chunk;
	}
	mutex_unlock(&as->lock);
	*done = n;
}

int aspace_unmap(struct aspace *as, uint64_t addr, uint64_t len)
{
	int err;

	mutex_lock(&as->lock);
	err = vma_unmap(&as->vmas, addr, len);
	mutex_unlock(&as->lock);
	return err;
}

/*
 * ABI: mprotect_fixup: EACCES for write access to a shared mapping of a
 * file not open for writing, or exec access to a file on a noexec mount.
 */
static bool may_protect(struct aspace *as, uint64_t addr, uint64_t len, uint32_t prot)
{
	uint64_t end = addr + ALIGN_UP(len, PAGE_SIZE);

	for (struct vma *v = vma_find_next(&as->vmas, addr); v && v->start < end;
	     v = vma_next(&as->vmas, v)) {
		struct file *file = is_file_vma(v) ? vma_file(v) : NULL;

		if (!file)
			continue;
		if ((prot & PROT_WRITE) && (v->flags & VMA_SHARED) && !(file->mode & FMODE_WRITE))
			return false;
		if ((prot & PROT_EXEC) && (file->path.mnt->flags & MNT_NOEXEC))
			return false;
	}
	return true;
}

int aspace_protect(struct aspace *as, uint64_t addr, uint64_t len, uint32_t prot)
{
	int err;

	mutex_lock(&as->lock);
	if (IS_ALIGNED(addr, PAGE_SIZE) && !may_protect(as, addr, len, prot))
		err = -EACCES;
	else
		err = vma_protect(&as->vmas, addr, len, prot);
	mutex_unlock(&as->lock);
	return err;
}

int aspace_remap(struct aspace *as, uint64_t old_addr, uint64_t old_len, uint64_t new_len,
		 uint32_t flags, uint64_t new_addr, uint64_t *out)
{
	int err;

	mutex_lock(&as->lock);
	as->move_err = 0;
	err = vma_remap(&as->vmas, old_addr, old_len, new_len, flags, new_addr, out);
	if (!err && as->move_err)
		err = as->move_err;
	mutex_unlock(&as->lock);
	return err;
}

int aspace_discard(struct aspace *as, uint64_t addr, uint64_t len)
{
	uint64_t end = addr + ALIGN_UP(len, PAGE_SIZE);
	int err = 0;

	if (!IS_ALIGNED(addr, PAGE_SIZE) || end < addr)
		return -EINVAL;
	mutex_lock(&as->lock);
	for (uint64_t a = addr; a < end;) {
		struct vma *v = vma_find(&as->vmas, a);
		if (!v) {
			err = -ENOMEM;
			break;
		}
		a = v->end;
	}
	if (!err)
		as_unmap_pages(as, addr, end);
	mutex_unlock(&as->lock);
	return err;
}

uint64_t aspace_brk(struct aspace *as, uint64_t new_brk)
{
	uint64_t out;

	mutex_lock(&as->lock);
	if (vma_brk(&as->vmas, as->lay.brk_start, as->lay.brk, new_brk, &out) == 0)
		as->lay.brk = out;
	out = as->lay.brk;
	mutex_unlock(&as->lock);
	return out;
}

/*
 * ABI: as Linux's populate_vma_page_range, only private writable areas
 * are faulted for writing (to break copy-on-write); shared ones are read,
 * which maps them writable anyway and leaves the file's mtime alone.
 */
void aspace_populate(struct aspace *as, uint64_t addr, uint64_t len)
{
	mutex_lock(&as->lock);
	for (uint64_t a = ALIGN_DOWN(addr, PAGE_SIZE); a < addr + len; a += PAGE_SIZE) {
		struct vma *v = vma_find(&as->vmas, a);
		bool cow = v && (v->prot & PROT_WRITE) && !(v->flags & VMA_SHARED);
		if (!v || fault_locked(as, a, cow ? FAULT_WRITE : 0, 0) != 0)
			break;
	}
	mutex_unlock(&as->lock);
}

int aspace_set_flags(struct aspace *as, uint64_t addr, uint64_t len, uint32_t set_mask,
		     uint32_t clear_mask)
{
	mutex_lock(&as->lock);
	int err = vma_set_flags(&as->vmas, addr, len, set_mask, clear_mask);
	mutex_unlock(&as->lock);
	return err;
}

int aspace_residency(struct aspace *as, uint64_t addr, uint64_t len, uint8_t *vec)
{
	uint64_t end = addr + ALIGN_UP(len, PAGE_SIZE);
	int err = 0;

	mutex_lock(&as->lock);
	if (end < addr || !vma_range_is_mapped(&as->vmas, addr, end)) {
		err = -ENOMEM;
	} else {
		for (uint64_t a = addr; a < end; a += PAGE_SIZE) {
			uint64_t pa;
			unsigned int have;
			vec[(a - addr) >> PAGE_SHIFT] = pt_query(as, a, &pa, &have) ? 1 : 0;
		}
	}
	mutex_unlock(&as->lock);
	return err;
}

bool aspace_is_mapped(struct aspace *as, uint64_t addr, uint64_t len)
{
	uint64_t end = addr + ALIGN_UP(len, PAGE_SIZE);

	mutex_lock(&as->lock);
	bool ok = end >= addr && vma_range_is_mapped(&as->vmas, addr, end);
	mutex_unlock(&as->lock);
	return ok;
}

uint64_t aspace_mapped_bytes(struct aspace *as)
{
	return vma_set_mapped_bytes(&as->vmas);
}
