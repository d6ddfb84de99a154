// SPDX-License-Identifier: GPL-2.0-only
/* test_mountinfo.c - mountinfo_parse(): fields, optional fields up to "-",
 * the kernel's octal escapes in the root and mount point, a bind mount of a
 * sub-tree (root not "/"), and lines that are not mountinfo. */
#include <stdio.h>
#include <string.h>

#include "mountinfo.h"
#include "tap.h"

static int parse(const char *text, struct mountinfo_entry *e)
{
	static char line[1024];

	snprintf(line, sizeof(line), "%s", text);
	return mountinfo_parse(line, e);
}

int main(void)
{
	struct mountinfo_entry e;

	plan(12);
	ok(parse("35 24 0:30 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 "
		 "rw,nsdelegate\n", &e) == 0 && !strcmp(e.root, "/") &&
	   !strcmp(e.mount_point, "/sys/fs/cgroup") && !strcmp(e.fstype, "cgroup2"),
	   "cgroup2 line with an optional field");
	ok(parse("35 24 0:30 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw", &e) == 0 &&
	   !strcmp(e.fstype, "cgroup2") && !strcmp(e.mount_point, "/sys/fs/cgroup"),
	   "no optional field, no newline");
	ok(parse("40 35 0:30 / /run/my\\040cgroups rw shared:1 master:2 - cgroup2 none rw\n", &e) == 0 &&
	   !strcmp(e.mount_point, "/run/my cgroups"), "\\040 in the mount point is a space");
	ok(parse("40 35 0:30 / /a\\011b\\134c\\012d rw - cgroup2 none rw\n", &e) == 0 &&
	   !strcmp(e.mount_point, "/a\tb\\c\nd"), "\\011, \\134 and \\012 unescaped");
	ok(parse("41 35 0:30 /kubepods/pod1 /host/cg rw - cgroup2 none rw\n", &e) == 0 &&
	   !strcmp(e.root, "/kubepods/pod1") && !strcmp(e.mount_point, "/host/cg"),
	   "a bind mount of a sub-tree keeps its root");
	ok(parse("42 35 0:30 /with\\040space /m rw - cgroup2 none rw", &e) == 0 &&
	   !strcmp(e.root, "/with space"), "the root is unescaped too");
	ok(parse("43 35 0:31 / /proc rw - proc proc rw", &e) == 0 && !strcmp(e.fstype, "proc"),
	   "another file system type");
	ok(parse("44 35 0:30 / /x\\9 rw - cgroup2 none rw", &e) == 0 && !strcmp(e.mount_point, "/x\\9"),
	   "a backslash without three octal digits stays");
	ok(parse("35 24 0:30 / /sys/fs/cgroup rw shared:9 cgroup2 cgroup2 rw", &e) < 0,
	   "no \" - \" separator: not a mountinfo line");
	ok(parse("35 24 0:30 /", &e) < 0, "too few fields");
	ok(parse("", &e) < 0, "empty line");
	ok(parse("35 24 0:30 / /m rw -", &e) < 0, "nothing after the separator");
	return done_testing();
}
