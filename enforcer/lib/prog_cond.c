// SPDX-License-Identifier: GPL-2.0-only
/*
 * prog_cond.c - the program condition of a rule, "... exe PATH": found as
 * the token "exe" and the one token after it, at the end of the value.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "policy.h"
#include "prog_cond.h"

static bool tok_is_exe(const char *s, size_t n)
{
	return n == 3 && !strncasecmp(s, "exe", 3);
}

int prog_cond_split(char *value, const char **exe, size_t maxlen, char *err, size_t errsz)
{
	char *s = value, *at = NULL, *path = NULL;
	size_t plen = 0;

	*exe = NULL;
	/* the first token "exe" (no rule syntax uses that word) */
	while (*s) {
		char *t;
		size_t n;

		while (*s && isspace((unsigned char)*s))
			s++;
		if (!*s)
			break;
		for (t = s; *t && !isspace((unsigned char)*t); t++)
			;
		n = (size_t)(t - s);
		if (tok_is_exe(s, n)) {
			at = s;
			s = t;
			break;
		}
		s = t;
	}
	if (!at)
		return 0;
	while (*s && isspace((unsigned char)*s))
		s++;
	if (!*s) {
		snprintf(err, errsz, "'exe' needs a program path");
		return -1;
	}
	path = s;
	while (*s && !isspace((unsigned char)*s))
		s++;
	plen = (size_t)(s - path);
	while (*s && isspace((unsigned char)*s))
		s++;
	if (*s) {
		snprintf(err, errsz, "unexpected '%.60s' after 'exe %.*s' (one program per rule, nothing after it)",
			 s, (int)(plen > 60 ? 60 : plen), path);
		return -1;
	}
	path[plen] = 0;
	if (path[0] != '/') {
		snprintf(err, errsz, "relative program path '%.80s' (exe paths must be absolute)", path);
		return -1;
	}
	if (path[plen - 1] == '/') {
		snprintf(err, errsz, "program path '%.80s' is a directory (exe names one program file)", path);
		return -1;
	}
	if (!policy_path_normal(path, false)) {
		snprintf(err, errsz, "program path '%.80s' is not normalized (no '.', '..' or '//')", path);
		return -1;
	}
	if (plen >= maxlen) {
		snprintf(err, errsz, "program path too long (max %zu bytes)", maxlen - 1);
		return -1;
	}
	/* cut the rule before "exe" */
	while (at > value && isspace((unsigned char)at[-1]))
		at--;
	*at = 0;
	*exe = path;
	return 1;
}
