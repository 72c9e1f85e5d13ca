// SPDX-License-Identifier: MIT
/*
 * execve: find the program, read its arguments, build a new address
 * space from its ELF image (lib/elf) or run the interpreter a `#!` line
 * names, lay out Linux's initial stack (exec_stack.c), and only then,
 * past the point of no return, replace the caller's program.
 *
 * Programs are opened through the VFS (vfs_open_exec) and their segments
 * read into anonymous memory.
 * FIXME: map segments from the file once tmpfs pages can be shared.
 */
#include <asm-generic/mman-common.h>
#include <linux/auxvec.h>
#include <linux/binfmts.h>
#include <linux/elf.h>
#include <linux/fcntl.h>
#include <linux/limits.h>
#include <linux/stat.h>
#include <tern/arch.h>
#include <tern/aspace.h>
#include <tern/base.h>
#include <tern/elf.h>
#include <tern/errno.h>
#include <tern/exec.h>
#include <tern/files.h>
#include <tern/proc.h>
#include <tern/ptimer.h>
#include <tern/signal.h>
#include <tern/string.h>
#include <tern/sys.h>
#include <tern/syscall.h>
#include <tern/uvm.h>

#include "internal.h"

#define STACK_TOP USER_ADDR_END
#define STACK_MIN_BYTES (128 * 1024)
#define PIE_BASE 0x555555554000ULL /* where Linux puts a PIE without ASLR */
#define MAX_SCRIPT_DEPTH 4	   /* Linux's BINPRM_MAX_RECURSION */
#define SCRIPT_LINE_MAX 256	   /* Linux's BINPRM_BUF_SIZE */

#define HEAD_BYTES (2 * PAGE_SIZE) /* ELF and program headers, or a #! line */
#define COPY_CHUNK (64 * 1024)

/* An open program: its first bytes are read at once, the rest on demand. */
struct exec_file {
	struct file *file;
	uint8_t *head;
	size_t head_len;
};

/* Where execveat starts its lookup. */
struct exec_ctx {
	int dirfd;
	unsigned int at_flags;
};

static void exec_close(struct exec_file *f)
{
	if (f->file)
		file_put(f->file);
	kfree(f->head);
	f->file = NULL;
	f->head = NULL;
}

/* Reads exactly len bytes at pos, fewer only at the end of the file. */
static int read_at(struct file *file, void *buf, size_t len, int64_t pos, size_t *got)
{
	size_t done = 0;

	while (done < len) {
		size_t n;
		int err =
			vfs_pread(file, (uint8_t *)buf + done, len - done, pos + (int64_t)done, &n);
		if (err)
			return err;
		if (!n)
			break;
		done += n;
	}
	*got = done;
	return 0;
}

static int exec_open(const struct exec_ctx *ec, const char *path, struct exec_file *f)
{
	struct files_ctx fc;
	struct file *hold;
	const struct path *dir;
	int err = files_dirfd(ec->dirfd, path, &hold, &dir);

	f->file = NULL;
	f->head = NULL;
	if (err)
		return err;
	files_ctx_begin(&fc, false);
	err = vfs_open_exec(&fc.ctx, dir, path, ec->at_flags, &f->file);
	files_ctx_end(&fc);
	if (hold)
		file_put(hold);
	if (!err && !(f->head = kmalloc(HEAD_BYTES)))
		err = -ENOMEM;
	if (!err)
		err = read_at(f->file, f->head, HEAD_BYTES, 0, &f->head_len);
	if (err)
		exec_close(f);
	return err;
}

/* Reads filesz bytes of the file at offset into as at vaddr. */
static int copy_segment(struct aspace *as, struct file *file, uint64_t offset, uint64_t vaddr,
			uint64_t filesz)
{
	uint8_t *buf = kmalloc(COPY_CHUNK);
	int err = buf ? 0 : -ENOMEM;

	for (uint64_t done = 0; !err && done < filesz;) {
		size_t got;
		err = read_at(file, buf, MIN(filesz - done, (uint64_t)COPY_CHUNK),
			      (int64_t)(offset + done), &got);
		if (!err && !got)
			break; /* past the end of the file: the rest stays zero */
		if (!err)
			err = aspace_write(as, vaddr + done, buf, got);
		done += got;
	}
	kfree(buf);
	return err;
}

/* Maps the PT_LOAD segments, page ranges clipped so shared pages stay mapped. */
static int load_segments(struct aspace *as, const struct exec_file *f, const struct elf_info *info,
			 uint64_t bias, uint64_t *image_end)
{
	uint64_t prev_end = 0;
	int err;

	for (uint32_t i = 0; i < info->nr_loads; i++) {
		const struct elf_segment *s = &info->loads[i];
		uint64_t start = MAX(ALIGN_DOWN(s->vaddr + bias, PAGE_SIZE), prev_end);
		uint64_t end = ALIGN_UP(s->vaddr + bias + s->memsz, PAGE_SIZE);
		uint64_t got;
		if (end > start) {
			err = aspace_map_anon(as, start, end - start, PROT_READ | PROT_WRITE, 0,
					      true, false, &got);
			if (err)
				return err;
		}
		err = copy_segment(as, f->file, s->offset, s->vaddr + bias, s->filesz);
		if (err)
			return err;
		prev_end = MAX(prev_end, end);
	}
	for (uint32_t i = 0; i < info->nr_loads; i++) {
		const struct elf_segment *s = &info->loads[i];
		uint64_t start = ALIGN_DOWN(s->vaddr + bias, PAGE_SIZE);
		uint64_t end = ALIGN_UP(s->vaddr + bias + s->memsz, PAGE_SIZE);
		uint32_t prot = (uint32_t)s->prot;
		/* A page shared with the previous segment gets both protections. */
		if (i > 0) {
			const struct elf_segment *p = &info->loads[i - 1];
			if (ALIGN_UP(p->vaddr + bias + p->memsz, PAGE_SIZE) > start)
				prot |= (uint32_t)p->prot;
		}
		if (i + 1 < info->nr_loads) {
			const struct elf_segment *n = &info->loads[i + 1];
			if (ALIGN_DOWN(n->vaddr + bias, PAGE_SIZE) < end)
				prot |= (uint32_t)n->prot;
		}
		if (end > start && (err = aspace_protect(as, start, end - start, prot)) != 0)
			return err;
	}
	*image_end = prev_end;
	return 0;
}

struct exec_args {
	char **argv; /* kernel copies, NULL-terminated */
	char **envp;
	size_t argc, envc;
};

static int build_stack(struct aspace *as, const char *path, const struct elf_info *info,
		       uint64_t bias, const struct exec_args *a, uint64_t *sp)
{
	const struct cred *c = current_cred();
	uint64_t vdso;
	int err = arch_vdso_map(as, &vdso);

	if (err)
		return err;
	const uint64_t auxv[] = {
		AT_SYSINFO_EHDR, vdso,
		AT_MINSIGSTKSZ,	 arch_sigframe_max_bytes(),
		AT_HWCAP,	 0x178bfbff,
		AT_PAGESZ,	 PAGE_SIZE,
		AT_CLKTCK,	 100,
		AT_PHDR,	 info->phdr_vaddr + bias,
		AT_PHENT,	 info->phdr_entsize,
		AT_PHNUM,	 info->nr_phdrs,
		AT_BASE,	 0,
		AT_FLAGS,	 0,
		AT_ENTRY,	 info->entry + bias,
		AT_UID,		 c->uid,
		AT_EUID,	 c->euid,
		AT_GID,		 c->gid,
		AT_EGID,	 c->egid,
		AT_SECURE,	 0,
	};
	struct exec_stack_args args = {
		.argv = (const char *const *)a->argv,
		.argc = a->argc,
		.envp = (const char *const *)a->envp,
		.envc = a->envc,
		.execfn = path,
		.auxv = vdso ? auxv : auxv + 2, /* without a vDSO, AT_SYSINFO_EHDR is left out */
		.nr_auxv_pairs = ARRAY_SIZE(auxv) / 2 - (vdso ? 0 : 1),
	};
	size_t need = strlen(path) + 512 + (a->argc + a->envc + 2) * 8 + sizeof(auxv) + 64;
	for (size_t i = 0; i < a->argc; i++)
		need += strlen(a->argv[i]) + 1;
	for (size_t i = 0; i < a->envc; i++)
		need += strlen(a->envp[i]) + 1;
	need = ALIGN_UP(need, PAGE_SIZE);
	/* For /proc: the strings lie top down as execfn, environment, arguments. */
	as->lay.env_end = STACK_TOP - sizeof(uint64_t) - (strlen(path) + 1);
	as->lay.env_start = as->lay.env_end;
	for (size_t i = 0; i < a->envc; i++)
		as->lay.env_start -= strlen(a->envp[i]) + 1;
	as->lay.arg_end = as->lay.env_start;
	as->lay.arg_start = as->lay.arg_end;
	for (size_t i = 0; i < a->argc; i++)
		as->lay.arg_start -= strlen(a->argv[i]) + 1;
	uint8_t *image = kmalloc(need);
	uint64_t got;

	if (!image)
		return -ENOMEM;
	random_bytes(args.random, sizeof(args.random));
	err = exec_stack_build(&args, image, need, STACK_TOP, sp);
	uint64_t vma_bytes = MAX(need, STACK_MIN_BYTES);
	if (!err)
		err = aspace_map_anon(as, STACK_TOP - vma_bytes, vma_bytes, PROT_READ | PROT_WRITE,
				      VMA_GROWSDOWN, true, false, &got);
	uint64_t low = ALIGN_DOWN(*sp, 64);
	if (!err)
		err = aspace_write(as, low, image + (low - (STACK_TOP - need)), STACK_TOP - low);
	kfree(image);
	return err;
}

static int load_elf(struct aspace *as, const char *path, const struct exec_file *f,
		    const struct exec_args *a, uint64_t *entry, uint64_t *sp)
{
	struct elf_info info;
	uint64_t image_end;
	int err = elf_parse(f->head, f->head_len, &info);

	if (err)
		return err;
	if (info.has_interp)
		return -ENOEXEC; /* FIXME: dynamic programs need the interpreter loaded */
	uint64_t bias = info.type == ET_DYN ? PIE_BASE : 0;
	if (!elf_can_load_at(&info, bias))
		return -ENOMEM;
	err = load_segments(as, f, &info, bias, &image_end);
	if (err)
		return err;
	as->lay.brk_start = as->lay.brk = image_end;
	as->lay.stack_top = STACK_TOP;
	*entry = info.entry + bias;
	return build_stack(as, path, &info, bias, a, sp);
}

/* Copies a NULL-terminated array of user strings (or kernel ones when kernel). */
struct strv_builder {
	char **v;
	size_t n, cap;
	size_t total; /* bytes counted against the ARG_MAX-like limit */
};

static int strv_push(struct strv_builder *b, const char *s, size_t len)
{
	if (b->n + 2 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 16;
		char **v = kmalloc(cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		if (b->n)
			memcpy(v, b->v, b->n * sizeof(*v));
		kfree(b->v);
		b->v = v;
		b->cap = cap;
	}
	char *copy = kmalloc(len + 1);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, s, len);
	copy[len] = 0;
	b->v[b->n++] = copy;
	b->v[b->n] = NULL;
	b->total += len + 1 + sizeof(char *);
	return 0;
}

static void strv_free(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		kfree(v[i]);
	kfree(v);
}

static int strv_from_user(struct strv_builder *b, const char *const *uv, uint64_t limit)
{
	char *tmp;
	int err = 0;

	if (!uv)
		return 0;
	tmp = kmalloc(MAX_ARG_STRLEN);
	if (!tmp)
		return -ENOMEM;
	for (size_t i = 0;; i++) {
		uint64_t up;
		if (copy_from_user(&up, &uv[i], sizeof(up)) != 0) {
			err = -EFAULT;
			break;
		}
		if (!up)
			break;
		long n = strncpy_from_user(tmp, (const char *)up, MAX_ARG_STRLEN);
		if (n < 0) {
			err = n == -ENAMETOOLONG ? -E2BIG : (int)n;
			break;
		}
		err = strv_push(b, tmp, (size_t)n);
		if (!err && b->total > limit)
			err = -E2BIG;
		if (err)
			break;
		if (signal_pending_current()) {
			err = -ERESTARTNOHAND;
			break;
		}
	}
	kfree(tmp);
	return err;
}

static size_t strv_len(char *const *v)
{
	size_t n = 0;

	while (v && v[n])
		n++;
	return n;
}

/* A `#!` line: interpreter and optional single argument; -ENOEXEC if none. */
static int parse_script(const struct exec_file *f, char *interp, char *arg)
{
	const char *d = (const char *)f->head;
	size_t n = MIN(f->head_len, SCRIPT_LINE_MAX - 1);
	size_t i = 2, end;

	if (f->head_len < 2 || d[0] != '#' || d[1] != '!')
		return -ENOEXEC;
	for (end = 2; end < n && d[end] != '\n'; end++)
		;
	while (i < end && (d[i] == ' ' || d[i] == '\t'))
		i++;
	while (end > i && (d[end - 1] == ' ' || d[end - 1] == '\t'))
		end--;
	if (i == end)
		return -ENOEXEC;
	size_t j = i;
	while (j < end && d[j] != ' ' && d[j] != '\t')
		j++;
	memcpy(interp, d + i, j - i);
	interp[j - i] = 0;
	while (j < end && (d[j] == ' ' || d[j] == '\t'))
		j++;
	memcpy(arg, d + j, end - j);
	arg[end - j] = 0;
	return 0;
}

/* Rewrites argv for an interpreter: interp [arg] path argv[1..]. */
static int script_argv(char **argv, const char *interp, const char *arg, const char *path,
		       char ***out)
{
	struct strv_builder b = {0};
	int err = strv_push(&b, interp, strlen(interp));

	if (!err && arg[0])
		err = strv_push(&b, arg, strlen(arg));
	if (!err)
		err = strv_push(&b, path, strlen(path));
	for (size_t i = 1; !err && argv[0] && argv[i]; i++)
		err = strv_push(&b, argv[i], strlen(argv[i]));
	if (err) {
		strv_free(b.v);
		return err;
	}
	*out = b.v;
	return 0;
}

/* Replaces the caller's program: past here, failure is fatal to the process. */
static void exec_commit(struct aspace *as, const char *path, struct file *exe)
{
	struct task *t = current_task();
	struct proc *p = t->proc;
	struct aspace *old = p->as;
	struct file *old_exe;

	file_get(exe);
	spin_lock(&proc_lock);
	p->as = as;
	old_exe = p->exe_file;
	p->exe_file = exe;
	spin_unlock(&proc_lock);
	t->uvm = aspace_uvm(as);
	aspace_activate(as);
	if (old) {
		usage_leave_aspace(p, old);
		aspace_put(old);
	}
	if (old_exe)
		file_put(old_exe);
	signal_exec_reset(p);
	ptimer_exec(p);
	const char *base = strrchr(path, '/');
	spin_lock(&proc_lock);
	strlcpy(p->comm, base ? base + 1 : path, sizeof(p->comm));
	strlcpy(t->name, p->comm, sizeof(t->name));
	p->did_exec = true;
	cred_exec_locked(p);
	proc_vfork_release_locked(p);
	spin_unlock(&proc_lock);
	t->clear_child_tid = 0;
	t->robust_list = 0;
	t->robust_len = 0;
	t->fs_base = 0;
}

int exec_program(int dirfd, const char *path, unsigned int at_flags, char **argv, char **envp,
		 uint64_t *entry, uint64_t *sp)
{
	char interp[SCRIPT_LINE_MAX], arg[SCRIPT_LINE_MAX];
	char **script_v = NULL;
	struct exec_file f = {0};
	struct aspace *as = NULL;
	struct exec_args a = {.argv = argv, .envp = envp};
	struct exec_ctx ec = {.dirfd = dirfd, .at_flags = at_flags};
	const char *file = path;
	int err;

	for (int depth = 0;; depth++) {
		exec_close(&f);
		err = exec_open(&ec, file, &f);
		if (err)
			goto out;
		ec = (struct exec_ctx){.dirfd =
					       AT_FDCWD}; /* an interpreter is found from the cwd */
		if (parse_script(&f, interp, arg) != 0)
			break;
		if (depth == MAX_SCRIPT_DEPTH) {
			err = -ELOOP;
			goto out;
		}
		char **v;
		err = script_argv(a.argv, interp, arg, file, &v);
		if (err)
			goto out;
		strv_free(script_v);
		script_v = a.argv = v;
		file = a.argv[0];
	}
	a.argc = strv_len(a.argv);
	a.envc = strv_len(a.envp);
	err = aspace_create(&as);
	if (!err)
		err = load_elf(as, path, &f, &a, entry, sp);
	if (!err)
		err = proc_exec_single_thread();
	if (err) {
		if (as)
			aspace_put(as);
		goto out;
	}
	exec_commit(as, path, f.file);
	err = files_exec();
	if (!err)
		err = arch_user_fpu_init();
	if (err)
		signal_group_exit(current_proc(), wait_status_signaled(SIGKILL, false));
out:
	exec_close(&f);
	strv_free(script_v);
	return err;
}

/* execve(2) and execveat(2). */
static long do_execve(int dirfd, const char *upath, const char *const *uargv,
		      const char *const *uenvp, unsigned int at_flags)
{
	struct strv_builder argv = {0}, envp = {0};
	char *path = NULL;
	uint64_t entry, sp;
	long err;

	if (at_flags & ~(unsigned int)(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW))
		return -EINVAL;
	err = files_getname(upath, at_flags & AT_EMPTY_PATH, &path);
	if (err)
		return err;
	uint64_t limit = current_proc()->rlim[RLIMIT_STACK].rlim_cur / 4;
	limit = MAX(limit, (uint64_t)ARG_MAX);
	if (err >= 0)
		err = strv_from_user(&argv, uargv, limit);
	/* ABI: an empty argv gets one empty string, as Linux since 5.18 (do_execveat_common). */
	if (err >= 0 && (!argv.v || !argv.v[0]))
		err = strv_push(&argv, "", 0);
	if (err >= 0) {
		envp.total = argv.total;
		err = strv_from_user(&envp, uenvp, limit);
	}
	char *empty[] = {NULL};
	if (err >= 0)
		err = exec_program(dirfd, path, at_flags, argv.v ? argv.v : empty,
				   envp.v ? envp.v : empty, &entry, &sp);
	if (err >= 0)
		arch_exec_frame(entry, sp);
	strv_free(argv.v);
	strv_free(envp.v);
	kfree(path);
	return err < 0 ? err : 0;
}

/* execve(2) */
long sys_execve(const unsigned long args[6])
{
	return do_execve(AT_FDCWD, (const char *)args[0], (const char *const *)args[1],
			 (const char *const *)args[2], 0);
}

/* execveat(2) */
long sys_execveat(const unsigned long args[6])
{
	return do_execve((int)args[0], (const char *)args[1], (const char *const *)args[2],
			 (const char *const *)args[3], (unsigned int)args[4]);
}

int exec_init(const char *path, char **argv, char **envp)
{
	uint64_t entry, sp;
	int err = exec_program(AT_FDCWD, path, 0, argv, envp, &entry, &sp);

	if (err)
		return err;
	arch_enter_user(entry, sp);
}
