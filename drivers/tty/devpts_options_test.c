// SPDX-License-Identifier: MIT
/*
 * Unit tests for drivers/tty/devpts_options.c: which mount strings Linux's
 * devpts takes and what they set.
 */
#include <tern/errno.h>
#include <tern/ktest.h>
#include <tern/string.h>
#include <tern/tty.h>

static int parse(const char *s, struct devpts_options *o)
{
	char buf[128];

	strlcpy(buf, s, sizeof(buf));
	return devpts_parse_options(buf, o);
}

KTEST(devpts_options, test_devpts_options_defaults)
{
	struct devpts_options o;

	KEXPECT_EQ(parse("", &o), 0);
	KEXPECT_EQ(o.mode, 0600u);
	KEXPECT_EQ(o.ptmx_mode, 0u);
	KEXPECT(!o.has_uid && !o.has_gid);
	KEXPECT_EQ(o.max, 1u << 20);
}

KTEST(devpts_options, test_devpts_options_all_set)
{
	struct devpts_options o;

	KEXPECT_EQ(parse("mode=620,,gid=5,ptmxmode=0666,uid=7,max=4,newinstance", &o), 0);
	KEXPECT_EQ(o.mode, 0620u);
	KEXPECT_EQ(o.ptmx_mode, 0666u);
	KEXPECT(o.has_uid && o.uid == 7);
	KEXPECT(o.has_gid && o.gid == 5);
	KEXPECT_EQ(o.max, 4u);
	KEXPECT_EQ(parse("mode=017777", &o), 0);
	KEXPECT_EQ(o.mode, 07777u); /* ABI: masked to S_IALLUGO */
}

KTEST(devpts_options, test_devpts_options_rejects_bad_ones)
{
	struct devpts_options o;

	KEXPECT_EQ(parse("bogus", &o), -EINVAL);
	KEXPECT_EQ(parse("bogus=1", &o), -EINVAL);
	KEXPECT_EQ(parse("mode=9", &o), -EINVAL);
	KEXPECT_EQ(parse("mode=", &o), -EINVAL);
	KEXPECT_EQ(parse("mode", &o), -EINVAL);
	KEXPECT_EQ(parse("ptmxmode=0x1", &o), -EINVAL);
	KEXPECT_EQ(parse("gid=-1", &o), -EINVAL);
	KEXPECT_EQ(parse("uid=abc", &o), -EINVAL);
	KEXPECT_EQ(parse("max=1048577", &o), -EINVAL);
	KEXPECT_EQ(parse("newinstance=1", &o), -EINVAL);
	KEXPECT_EQ(parse("mode=99999999999", &o), -EINVAL);
}

KTEST(devpts_options, test_devpts_options_keep_those_before_a_bad_one)
{
	struct devpts_options o;

	KEXPECT_EQ(parse("mode=0640,gid=5,bogus=1,ptmxmode=0666", &o), -EINVAL);
	KEXPECT_EQ(o.mode, 0640u);
	KEXPECT(o.has_gid && o.gid == 5);
	KEXPECT_EQ(o.ptmx_mode, 0u);
}
