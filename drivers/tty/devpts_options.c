// SPDX-License-Identifier: MIT
/*
 * devpts mount options (mode=, ptmxmode=, uid=, gid=, max=, newinstance),
 * parsed from mount(2)'s data string with Linux's rules (fs/devpts/inode.c
 * parse_mount_options). Applying them, to new slave nodes and to
 * pts/ptmx, is pty.c's job; host tests are in devpts_options_test.c.
 */
#include <tern/errno.h>
#include <tern/string.h>
#include <tern/tty.h>

#define DEVPTS_MAX_PTYS (1u << 20) /* Linux's NR_UNIX98_PTY_MAX */
#define S_IALLUGO 07777

const struct devpts_options devpts_default_options = {
	.mode = 0600,
	.ptmx_mode = 0,
	.max = DEVPTS_MAX_PTYS,
};

/* ABI: match_int and match_octal: the whole value, which must fit an int. */
static int parse_number(const char *val, unsigned int base, uint32_t *out)
{
	uint64_t v;

	if (!*val || kstrtou64(val, base, &v) || v > INT32_MAX)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

/* One option into o; EINVAL for an unknown key or a bad value. */
static int parse_one(char *opt, struct devpts_options *o)
{
	char *val = strchr(opt, '=');
	uint32_t v;

	if (!strcmp(opt, "newinstance"))
		return 0; /* ABI: every mount is a new instance since Linux 4.7 */
	if (!val)
		return -EINVAL;
	*val++ = '\0';
	if (!strcmp(opt, "mode") || !strcmp(opt, "ptmxmode")) {
		if (parse_number(val, 8, &v))
			return -EINVAL;
		*(opt[0] == 'm' ? &o->mode : &o->ptmx_mode) = v & S_IALLUGO;
	} else if (!strcmp(opt, "uid")) {
		if (parse_number(val, 10, &o->uid))
			return -EINVAL;
		o->has_uid = true;
	} else if (!strcmp(opt, "gid")) {
		if (parse_number(val, 10, &o->gid))
			return -EINVAL;
		o->has_gid = true;
	} else if (!strcmp(opt, "max")) {
		if (parse_number(val, 10, &v) || v > DEVPTS_MAX_PTYS)
			return -EINVAL;
		o->max = v;
	} else {
		return -EINVAL;
	}
	return 0;
}

int devpts_parse_options(char *s, struct devpts_options *o)
{
	char *opt;

	*o = devpts_default_options;
	while ((opt = next_option(&s))) {
		int err = parse_one(opt, o);
		if (err)
			return err;
	}
	return 0;
}
