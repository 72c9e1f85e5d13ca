// SPDX-License-Identifier: MIT
/*
 * Starting the first user program, as Linux's kernel_init does: find
 * init= / rdinit= (default /init) in the initramfs and exec it in the
 * thread that becomes pid 1. Without one, the kernel console runs.
 *
 * FIXME: the initramfs is read in place until the files issue unpacks it
 * into a tmpfs root.
 */
#include <tern/base.h>
#include <tern/boot.h>
#include <tern/cpio.h>
#include <tern/exec.h>
#include <tern/kernel.h>
#include <tern/string.h>

static const char *skip_prefix(const char *name, size_t *len)
{
	while (*len >= 2 && name[0] == '.' && name[1] == '/') {
		name += 2;
		*len -= 2;
	}
	while (*len >= 1 && name[0] == '/') {
		name++;
		(*len)--;
	}
	return name;
}

/* Finds path in the initramfs; true with its contents in *out. */
static bool initramfs_find(const char *path, struct cpio_entry *out)
{
	struct cpio_reader r;
	struct cpio_entry e;
	size_t want_len = strlen(path);
	const char *want = skip_prefix(path, &want_len);

	if (!boot_info.initrd_size)
		return false;
	cpio_reader_init(&r, phys_to_virt(boot_info.initrd_phys), boot_info.initrd_size);
	while (cpio_next_entry(&r, &e) == 1) {
		size_t len = e.name_len;
		const char *name = skip_prefix(e.name, &len);
		if (len == want_len && memcmp(name, want, len) == 0) {
			*out = e;
			return true;
		}
	}
	return false;
}

int init_thread(void *arg)
{
	const char *argv[] = {init_path, NULL};
	const char *envp[] = {"HOME=/", "TERM=linux", NULL};
	struct cpio_entry e;

	(void)arg;
	if (!initramfs_find(init_path, &e)) {
		pr_info("init: no %s in the initramfs; starting the kernel console\n", init_path);
		return kconsole_thread(NULL);
	}
	int err = exec_image(init_path, e.data, e.data_len, argv, envp);
	panic("Requested init %s failed (error %d)\n", init_path, err);
}
