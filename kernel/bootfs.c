// SPDX-License-Identifier: MIT
/*
 * Programs from the initramfs, read in place: until the files issue
 * unpacks the archive into a tmpfs root, exec finds its files here.
 * Paths are taken from the root; "." and repeated slashes are skipped.
 */
#include <linux/limits.h>
#include <tern/base.h>
#include <tern/boot.h>
#include <tern/cpio.h>
#include <tern/errno.h>
#include <tern/exec.h>
#include <tern/string.h>

/* Drops leading "/" and "./" so archive names and paths compare equal. */
static const char *skip_prefix(const char *name, size_t *len)
{
	for (;;) {
		if (*len >= 2 && name[0] == '.' && name[1] == '/') {
			name += 2;
			*len -= 2;
		} else if (*len >= 1 && name[0] == '/') {
			name++;
			(*len)--;
		} else {
			return name;
		}
	}
}

int bootfs_lookup(const char *path, const void **data, size_t *len, uint32_t *mode, uint32_t *uid,
		  uint32_t *gid)
{
	struct cpio_reader r;
	struct cpio_entry e;
	size_t want_len = strlen(path);
	const char *want = skip_prefix(path, &want_len);
	bool found = false;

	if (want_len >= PATH_MAX)
		return -ENAMETOOLONG;
	if (!boot_info.initrd_size)
		return -ENOENT;
	cpio_reader_init(&r, phys_to_virt(boot_info.initrd_phys), boot_info.initrd_size);
	while (cpio_next_entry(&r, &e) == 1) {
		size_t n = e.name_len;
		const char *name = skip_prefix(e.name, &n);
		if (n == want_len && memcmp(name, want, n) == 0) {
			*data = e.data;
			*len = e.data_len;
			*mode = e.mode;
			*uid = e.uid;
			*gid = e.gid;
			found = true; /* a later entry of the same name wins, as when unpacking */
		}
	}
	return found ? 0 : -ENOENT;
}
