// SPDX-License-Identifier: MIT
/*
 * Guest test: the vDSO. Finds it through AT_SYSINFO_EHDR, looks its
 * functions up by name and version (LINUX_2.6) in its dynamic symbol
 * table, as libc does, calls them directly and holds each result
 * against the syscall: clocks read through both never go backwards,
 * gettimeofday and time agree with CLOCK_REALTIME, clocks the vDSO
 * cannot serve still work, and a forked child's copy works too.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

#define ROUNDS 1000

typedef long (*clock_gettime_fn)(clockid_t id, struct timespec *ts);
typedef long (*clock_getres_fn)(clockid_t id, struct timespec *res);
typedef long (*gettimeofday_fn)(struct timeval *tv, void *tz);
typedef long (*time_fn)(long *t);
typedef long (*getcpu_fn)(unsigned int *cpu, unsigned int *node, void *cache);

struct vdso {
	uintptr_t load_offset; /* run-time address minus link-time address */
	const Elf64_Sym *symtab;
	const char *strtab;
	uint32_t nr_syms;
	const Elf64_Half *versym;
	const Elf64_Verdef *verdef;
};

static clock_gettime_fn vdso_clock_gettime;
static clock_getres_fn vdso_clock_getres;
static gettimeofday_fn vdso_gettimeofday;
static time_fn vdso_time;
static getcpu_fn vdso_getcpu;

static int64_t ts_ns(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * 1000000000 + ts->tv_nsec;
}

static int64_t sys_clock_ns(clockid_t id)
{
	struct timespec ts;

	if (syscall(SYS_clock_gettime, id, &ts) != 0)
		return -1;
	return ts_ns(&ts);
}

static int64_t vdso_clock_ns(clockid_t id)
{
	struct timespec ts;

	if (vdso_clock_gettime(id, &ts) != 0)
		return -1;
	return ts_ns(&ts);
}

/* Reads the dynamic section; false if something libc needs is missing. */
static bool vdso_parse(const Elf64_Ehdr *eh, struct vdso *v)
{
	const Elf64_Phdr *ph = (const Elf64_Phdr *)((uintptr_t)eh + eh->e_phoff);
	const Elf64_Dyn *dyn = NULL;
	bool have_load = false;

	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type == PT_LOAD && !have_load) {
			v->load_offset = (uintptr_t)eh + ph[i].p_offset - ph[i].p_vaddr;
			have_load = true;
		} else if (ph[i].p_type == PT_DYNAMIC) {
			dyn = (const Elf64_Dyn *)((uintptr_t)eh + ph[i].p_offset);
		}
	}
	if (!have_load || !dyn)
		return false;
	const uint32_t *hash = NULL;
	for (; dyn->d_tag != DT_NULL; dyn++) {
		uintptr_t p = v->load_offset + dyn->d_un.d_ptr;
		switch (dyn->d_tag) {
		case DT_SYMTAB:
			v->symtab = (const Elf64_Sym *)p;
			break;
		case DT_STRTAB:
			v->strtab = (const char *)p;
			break;
		case DT_HASH:
			hash = (const uint32_t *)p;
			break;
		case DT_VERSYM:
			v->versym = (const Elf64_Half *)p;
			break;
		case DT_VERDEF:
			v->verdef = (const Elf64_Verdef *)p;
			break;
		}
	}
	if (!v->symtab || !v->strtab || !hash || !v->versym || !v->verdef)
		return false;
	v->nr_syms = hash[1]; /* nchain: one entry per symbol */
	return true;
}

static bool has_version(const struct vdso *v, Elf64_Half index, const char *name)
{
	const Elf64_Verdef *d = v->verdef;

	for (;;) {
		if (!(d->vd_flags & VER_FLG_BASE) && (d->vd_ndx & 0x7fff) == (index & 0x7fff)) {
			const Elf64_Verdaux *aux =
				(const Elf64_Verdaux *)((uintptr_t)d + d->vd_aux);
			return strcmp(v->strtab + aux->vda_name, name) == 0;
		}
		if (!d->vd_next)
			return false;
		d = (const Elf64_Verdef *)((uintptr_t)d + d->vd_next);
	}
}

/* The address of a defined function name@LINUX_2.6, or NULL. */
static void *vdso_lookup(const struct vdso *v, const char *name)
{
	for (uint32_t i = 0; i < v->nr_syms; i++) {
		const Elf64_Sym *s = &v->symtab[i];
		if (ELF64_ST_TYPE(s->st_info) != STT_FUNC || s->st_shndx == SHN_UNDEF)
			continue;
		if (strcmp(v->strtab + s->st_name, name) != 0)
			continue;
		if (has_version(v, v->versym[i], "LINUX_2.6"))
			return (void *)(v->load_offset + s->st_value);
	}
	return NULL;
}

static bool find_vdso(void)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)getauxval(AT_SYSINFO_EHDR);
	struct vdso v = {0};

	CHECK("AT_SYSINFO_EHDR is given", eh != NULL);
	if (!eh)
		return false;
	CHECK("AT_SYSINFO_EHDR points at an ELF shared object",
	      memcmp(eh->e_ident, ELFMAG, SELFMAG) == 0 && eh->e_ident[EI_CLASS] == ELFCLASS64 &&
		      eh->e_type == ET_DYN);
	bool parsed = vdso_parse(eh, &v);
	CHECK("the vDSO has symbols, a DT_HASH table and versions", parsed);
	if (!parsed)
		return false;
	vdso_clock_gettime = (clock_gettime_fn)vdso_lookup(&v, "__vdso_clock_gettime");
	vdso_clock_getres = (clock_getres_fn)vdso_lookup(&v, "__vdso_clock_getres");
	vdso_gettimeofday = (gettimeofday_fn)vdso_lookup(&v, "__vdso_gettimeofday");
	vdso_time = (time_fn)vdso_lookup(&v, "__vdso_time");
	vdso_getcpu = (getcpu_fn)vdso_lookup(&v, "__vdso_getcpu");
	CHECK("__vdso_clock_gettime@LINUX_2.6 is exported", vdso_clock_gettime != NULL);
	CHECK("__vdso_clock_getres@LINUX_2.6 is exported", vdso_clock_getres != NULL);
	CHECK("__vdso_gettimeofday@LINUX_2.6 is exported", vdso_gettimeofday != NULL);
	CHECK("__vdso_time@LINUX_2.6 is exported", vdso_time != NULL);
	CHECK("__vdso_getcpu@LINUX_2.6 is exported", vdso_getcpu != NULL);
	return vdso_clock_gettime && vdso_clock_getres && vdso_gettimeofday && vdso_time &&
	       vdso_getcpu;
}

/* vDSO, syscall, vDSO, ...: every read is at least the one before. */
static bool is_interleaving_monotonic(clockid_t id)
{
	int64_t prev = vdso_clock_ns(id);

	for (int i = 0; i < ROUNDS; i++) {
		int64_t s = sys_clock_ns(id);
		int64_t v = vdso_clock_ns(id);
		if (prev < 0 || s < prev || v < s)
			return false;
		prev = v;
	}
	return true;
}

static void check_clocks(void)
{
	CHECK("CLOCK_MONOTONIC: vDSO and syscall reads never go backwards",
	      is_interleaving_monotonic(CLOCK_MONOTONIC));
	CHECK("CLOCK_REALTIME: vDSO and syscall reads never go backwards",
	      is_interleaving_monotonic(CLOCK_REALTIME));
	CHECK("CLOCK_BOOTTIME: vDSO and syscall reads never go backwards",
	      is_interleaving_monotonic(CLOCK_BOOTTIME));
	CHECK("CLOCK_MONOTONIC_RAW: vDSO and syscall reads never go backwards",
	      is_interleaving_monotonic(CLOCK_MONOTONIC_RAW));

	int64_t a = sys_clock_ns(CLOCK_MONOTONIC);
	struct timespec ts;
	CHECK("libc clock_gettime(MONOTONIC) lies between two syscalls",
	      clock_gettime(CLOCK_MONOTONIC, &ts) == 0 && ts_ns(&ts) >= a &&
		      ts_ns(&ts) <= sys_clock_ns(CLOCK_MONOTONIC));

	struct timespec cpu = {-1, -1};
	CHECK("CPU-time clocks work through the vDSO (it asks the kernel)",
	      vdso_clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu) == 0 && cpu.tv_sec >= 0 &&
		      cpu.tv_nsec >= 0 && cpu.tv_nsec < 1000000000);
	CHECK("an unknown clock is -EINVAL from the vDSO",
	      vdso_clock_gettime(1000, &ts) == -EINVAL);

	struct timespec vres = {-1, -1}, sres = {-2, -2};
	CHECK("clock_getres(MONOTONIC) through the vDSO matches the syscall",
	      vdso_clock_getres(CLOCK_MONOTONIC, &vres) == 0 &&
		      syscall(SYS_clock_getres, CLOCK_MONOTONIC, &sres) == 0 &&
		      vres.tv_sec == sres.tv_sec && vres.tv_nsec == sres.tv_nsec);
	CHECK("clock_getres(MONOTONIC_COARSE) through the vDSO matches the syscall",
	      vdso_clock_getres(CLOCK_MONOTONIC_COARSE, &vres) == 0 &&
		      syscall(SYS_clock_getres, CLOCK_MONOTONIC_COARSE, &sres) == 0 &&
		      vres.tv_sec == sres.tv_sec && vres.tv_nsec == sres.tv_nsec);
}

static void check_wall_clock(void)
{
	struct timeval tv;
	struct timezone tz = {1, 1};
	int64_t before = sys_clock_ns(CLOCK_REALTIME);
	long r = vdso_gettimeofday(&tv, &tz);
	int64_t after = sys_clock_ns(CLOCK_REALTIME);
	int64_t us = (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;

	CHECK("gettimeofday through the vDSO lies between two CLOCK_REALTIME syscalls",
	      r == 0 && us >= before / 1000 && us <= after / 1000 && tv.tv_usec < 1000000);
	CHECK("gettimeofday through the vDSO reports UTC",
	      tz.tz_minuteswest == 0 && tz.tz_dsttime == 0);
	CHECK("gettimeofday through the vDSO with no arguments",
	      vdso_gettimeofday(NULL, NULL) == 0);

	long t = 0;
	before = sys_clock_ns(CLOCK_REALTIME);
	long secs = vdso_time(&t);
	after = sys_clock_ns(CLOCK_REALTIME);
	/* ABI: Linux's time() may lag by one tick, so allow the previous second. */
	CHECK("time through the vDSO agrees with CLOCK_REALTIME",
	      secs == t && secs >= before / 1000000000 - 1 && secs <= after / 1000000000);
	CHECK("time through the vDSO agrees with the syscall",
	      labs(vdso_time(NULL) - syscall(SYS_time, NULL)) <= 1);
}

static void check_getcpu(void)
{
	unsigned int cpu = 999999, node = 999999;
	long nr_cpus = sysconf(_SC_NPROCESSORS_ONLN);

	CHECK("getcpu through the vDSO names an online CPU",
	      vdso_getcpu(&cpu, &node, NULL) == 0 && cpu < (unsigned long)nr_cpus && node == 0);
	CHECK("getcpu through the vDSO accepts NULL pointers", vdso_getcpu(NULL, NULL, NULL) == 0);
}

static void check_fork(void)
{
	int status = -1;
	pid_t pid = fork();

	if (pid == 0)
		_exit(is_interleaving_monotonic(CLOCK_MONOTONIC) ? 0 : 1);
	CHECK("a forked child's vDSO works", pid > 0 && waitpid(pid, &status, 0) == pid &&
						     WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

int main(void)
{
	check_area = "vdso";
	if (find_vdso()) {
		check_clocks();
		check_wall_clock();
		check_getcpu();
		check_fork();
	}
	return check_failures ? 1 : 0;
}
