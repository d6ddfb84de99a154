/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mountinfo.h - one line of /proc/PID/mountinfo (proc(5)), parsed in place
 * (mountinfo.c): the mount's root within its file system, the mount point
 * and the file system type, with the kernel's octal escapes (\040 space,
 * \011 tab, \012 newline, \134 backslash) undone.  Used by cgroupfs.c to
 * find the cgroup v2 hierarchy; unit-tested on the host.
 */
#ifndef ENFORCER_MOUNTINFO_H
#define ENFORCER_MOUNTINFO_H

struct mountinfo_entry {
	const char *root;         /* field 4: "/" = the whole file system */
	const char *mount_point;  /* field 5 */
	const char *fstype;       /* first field after the " - " separator */
};

/* Parse line (modified: fields are NUL-terminated and unescaped in place).
 * 0, or -1 when it is not a mountinfo line. */
int mountinfo_parse(char *line, struct mountinfo_entry *e);

#endif
