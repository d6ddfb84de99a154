// SPDX-License-Identifier: GPL-2.0-only
/*
 * errors.c - the error list that the policy parser, resolver and compiler
 * fill: one "file:line: message" string per problem (see policy.h).
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "policy.h"

/* Append one message.  line <= 0 means the problem is not on a line (the
 * file cannot be opened...) and prints as "file: message".  When memory runs
 * out the message is lost: callers report failure through their return value,
 * never through e->n alone. */
void errors_add(struct enf_errors *e, const char *file, int line, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	char *s = NULL;
	char **nm;
	int r;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);

	if (!file)
		file = "(policy)";
	if (line > 0)
		r = asprintf(&s, "%s:%d: %s", file, line, msg);
	else
		r = asprintf(&s, "%s: %s", file, msg);
	if (r < 0)
		return;

	nm = realloc(e->msg, (e->n + 1) * sizeof(*e->msg));
	if (!nm) {
		free(s);
		return;
	}
	e->msg = nm;
	e->msg[e->n++] = s;
}

void errors_free(struct enf_errors *e)
{
	if (!e)
		return;
	for (size_t i = 0; i < e->n; i++)
		free(e->msg[i]);
	free(e->msg);
	e->msg = NULL;
	e->n = 0;
}
