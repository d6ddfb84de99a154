// SPDX-License-Identifier: GPL-2.0-only
/*
 * prog_cond.c - the program condition of a rule, "... exe PATH" (or, on
 * exec rules, "... parent PATH"): found as the token "exe" (or "parent")
 * and the one token after it, at the end of the value.
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

static bool tok_is_parent(const char *s, size_t n)
{
	return n == 6 && !strncasecmp(s, "parent", 6);
}

int prog_cond_split(char *value, const char **exe, bool *parent, unsigned flags, size_t maxlen,
		    char *err, size_t errsz)
{
	char *s = value, *at = NULL, *path = NULL;
	const char *word = "exe";
	size_t plen = 0;

	*exe = NULL;
	*parent = false;
	/* the first token "exe" or "parent" (no rule syntax uses those words) */
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
		if (tok_is_exe(s, n) || tok_is_parent(s, n)) {
			*parent = tok_is_parent(s, n);
			word = *parent ? "parent" : "exe";
			at = s;
			s = t;
			break;
		}
		s = t;
	}
	if (!at)
		return 0;
	if (*parent && !(flags & PROG_COND_PARENT)) {
		snprintf(err, errsz, "'parent' is for [exec] rules only (the program of the parent process of the one being started)");
		return -1;
	}
	while (*s && isspace((unsigned char)*s))
		s++;
	if (!*s) {
		snprintf(err, errsz, "'%s' needs a program path", word);
		return -1;
	}
	path = s;
	while (*s && !isspace((unsigned char)*s))
		s++;
	plen = (size_t)(s - path);
	while (*s && isspace((unsigned char)*s))
		s++;
	if (*s) {
		snprintf(err, errsz, "unexpected '%.60s' after '%s %.*s' (one program per rule, nothing after it)",
			 s, word, (int)(plen > 60 ? 60 : plen), path);
		return -1;
	}
	path[plen] = 0;
	if (path[0] != '/') {
		snprintf(err, errsz, "relative program path '%.80s' (%s paths must be absolute)", path, word);
		return -1;
	}
	if (path[plen - 1] == '/' && !(flags & PROG_COND_DIR)) {
		/* the directory form: where the caller accepts it */
		snprintf(err, errsz, "program path '%.80s' is a directory (%s names one program file)",
			 path, word);
		return -1;
	}
	if (!policy_path_normal(path, (flags & PROG_COND_DIR) != 0)) {
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
