// SPDX-License-Identifier: MIT
/*
 * tmpfs mount options (size=, nr_inodes=, mode=, uid=, gid=), parsed for
 * a new mount (the syscall glue in kernel/sys_path.c hands the string
 * over) and applied again by a remount. The super block is super.c's.
 */
#include <tern/errno.h>
#include <tern/string.h>

#include "internal.h"

/* ABI: memparse's k, m and g suffixes (shmem_parse_one); EINVAL past 64 bits. */
static int parse_size(char *val, uint64_t *out)
{
	size_t len = strlen(val);
	unsigned int shift = 0;
	uint64_t v;

	if (len > 0) {
		switch (val[len - 1]) {
		case 'k':
		case 'K':
			shift = 10;
			break;
		case 'm':
		case 'M':
			shift = 20;
			break;
		case 'g':
		case 'G':
			shift = 30;
			break;
		default:
			break;
		}
	}
	if (shift)
		val[len - 1] = '\0';
	if (kstrtou64(val, 10, &v) || v > (UINT64_MAX >> shift))
		return -EINVAL;
	*out = v << shift;
	return 0;
}

/* One key=value option into o; EINVAL for an unknown key or a bad value. */
static int parse_one(char *opt, struct tmpfs_options *o, uint32_t *seen)
{
	char *val = strchr(opt, '=');
	uint64_t v;

	if (!val)
		return -EINVAL;
	*val++ = '\0';
	if (!strcmp(opt, "mode")) {
		if (kstrtou64(val, 8, &v) || v > 07777)
			return -EINVAL;
		o->mode = (uint32_t)v;
	} else if (!strcmp(opt, "size")) {
		if (parse_size(val, &v))
			return -EINVAL;
		o->max_pages = v / PAGE_SIZE + (v % PAGE_SIZE != 0);
		*seen |= TMPFS_SEEN_SIZE;
	} else if (!strcmp(opt, "nr_inodes")) {
		if (parse_size(val, &o->max_inodes))
			return -EINVAL;
		*seen |= TMPFS_SEEN_INODES;
	} else if (!strcmp(opt, "uid") || !strcmp(opt, "gid")) {
		if (kstrtou64(val, 10, &v) || v > UINT32_MAX - 1)
			return -EINVAL;
		*(opt[0] == 'u' ? &o->uid : &o->gid) = (uint32_t)v;
	} else {
		return -EINVAL;
	}
	return 0;
}

int tmpfs_parse_options(char *s, struct tmpfs_options *o, uint32_t *seen)
{
	uint32_t seen_here = 0;
	char *opt;

	while ((opt = next_option(&s))) {
		int err = parse_one(opt, o, &seen_here);
		if (err)
			return err;
	}
	if (seen)
		*seen = seen_here;
	return 0;
}

/*
 * ABI: shmem_reconfigure: size= and nr_inodes= change (EINVAL below what
 * is in use); mode=, uid= and gid= are accepted and change nothing. Linux
 * also refuses to limit a tmpfs mounted with size=0 or nr_inodes=0; Tern
 * cannot tell those from its default mount, which Linux limits to half of
 * memory, so it allows the limit.
 */
int tmpfs_reconfigure(struct super_block *sb, char *data)
{
	struct tmpfs_sb *tsb = to_tmpfs_sb(sb);
	struct tmpfs_options o = tsb->opts;
	uint32_t seen;
	int err = tmpfs_parse_options(data, &o, &seen);

	if (err)
		return err;
	if ((seen & TMPFS_SEEN_SIZE) && o.max_pages && o.max_pages < tsb->nr_pages)
		return -EINVAL;
	if ((seen & TMPFS_SEEN_INODES) && o.max_inodes && o.max_inodes < sb->nr_inodes)
		return -EINVAL;
	if (seen & TMPFS_SEEN_SIZE)
		tsb->opts.max_pages = o.max_pages;
	if (seen & TMPFS_SEEN_INODES)
		tsb->opts.max_inodes = o.max_inodes;
	return 0;
}
