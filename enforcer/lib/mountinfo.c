// SPDX-License-Identifier: GPL-2.0-only
/*
 * mountinfo.c - mountinfo_parse() (mountinfo.h).  Fields are separated by
 * single spaces; optional fields (shared:N master:N ...) run up to a lone
 * "-"; the kernel escapes space, tab, newline and backslash in paths as
 * three octal digits.
 */
#include <string.h>
#include "mountinfo.h"

/* Undo \NNN escapes in place. */
static void unescape(char *s)
{
	char *d = s;

	while (*s) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*d++ = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 | (s[3] - '0'));
			s += 4;
		} else {
			*d++ = *s++;
		}
	}
	*d = '\0';
}

/* The next space-separated field of *p (NUL-terminated), or NULL. */
static char *field(char **p)
{
	char *s = *p, *sp;

	if (!s || !*s)
		return NULL;
	sp = strchr(s, ' ');
	if (sp) {
		*sp = '\0';
		*p = sp + 1;
	} else {
		s[strcspn(s, "\n")] = '\0';
		*p = NULL;
	}
	return s;
}

int mountinfo_parse(char *line, struct mountinfo_entry *e)
{
	char *p = line, *f[5], *opt;

	/* mount id, parent id, major:minor, root, mount point */
	for (int i = 0; i < 5; i++)
		if (!(f[i] = field(&p)))
			return -1;
	if (!field(&p))                     /* mount options */
		return -1;
	do {                                /* optional fields up to "-" */
		opt = field(&p);
		if (!opt)
			return -1;
	} while (strcmp(opt, "-"));
	e->fstype = field(&p);
	if (!e->fstype || f[3][0] != '/' || f[4][0] != '/')
		return -1;
	unescape(f[3]);
	unescape(f[4]);
	e->root = f[3];
	e->mount_point = f[4];
	return 0;
}
