// SPDX-License-Identifier: GPL-2.0-only
/*
 * proto.c - parsing of control protocol request lines (see proto.h for the
 * protocol itself).  Shared by enforcerd and enforcerctl.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "policy.h"
#include "proto.h"

static const char *const verb_names[] = {
	[PROTO_PING] = "ping",
	[PROTO_STATUS] = "status",
	[PROTO_POLICIES] = "policies",
	[PROTO_STATS] = "stats",
	[PROTO_RELOAD] = "reload",
	[PROTO_REOPEN] = "reopen",
	[PROTO_AUDIT] = "audit",
	[PROTO_UNLOAD] = "unload",
	[PROTO_BIND] = "bind",
	[PROTO_SHADOW] = "shadow",
	[PROTO_PROMOTE] = "promote",
};

#define NVERBS (sizeof(verb_names) / sizeof(verb_names[0]))

const char *proto_verb_name(enum proto_verb v)
{
	if ((size_t)v < NVERBS && verb_names[v])
		return verb_names[v];
	return "?";
}

static int fail(char *err, size_t errsz, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errsz, const char *fmt, ...)
{
	va_list ap;

	if (err && errsz) {
		va_start(ap, fmt);
		vsnprintf(err, errsz, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static bool name_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > PROTO_NAME_MAX)
		return false;
	for (; *s; s++) {
		char c = *s;

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-'))
			return false;
	}
	return true;
}

/* One of the hook names audit lines carry (policy_hook_name). */
static bool hook_ok(const char *s)
{
	for (int h = 0; h < ENF_HOOK_MAX; h++)
		if (!strcmp(s, policy_hook_name(h)))
			return true;
	return false;
}

static int parse_audit(struct proto_req *r, char *err, size_t errsz)
{
	for (int i = 1; i < r->argc; i++) {
		const char *a = r->argv[i];

		if (strcmp(a, "follow") == 0) {
			if (r->follow)
				return fail(err, errsz, "audit: 'follow' given twice");
			r->follow = true;
		} else if (strncmp(a, "policy=", 7) == 0) {
			if (r->policy[0])
				return fail(err, errsz, "audit: 'policy=' given twice");
			if (!name_ok(a + 7))
				return fail(err, errsz, "audit: bad policy name '%.64s' "
					    "(1-64 characters of A-Z a-z 0-9 _ . -)", a + 7);
			snprintf(r->policy, sizeof(r->policy), "%s", a + 7);
		} else if (strncmp(a, "hook=", 5) == 0) {
			if (r->hook[0])
				return fail(err, errsz, "audit: 'hook=' given twice");
			if (!hook_ok(a + 5))
				return fail(err, errsz, "audit: bad hook '%.32s' (exec, file or connect)",
					    a + 5);
			snprintf(r->hook, sizeof(r->hook), "%s", a + 5);
		} else if (strncmp(a, "action=", 7) == 0) {
			if (r->action[0])
				return fail(err, errsz, "audit: 'action=' given twice");
			if (strcmp(a + 7, "deny") && strcmp(a + 7, "audit") && strcmp(a + 7, "shadow"))
				return fail(err, errsz, "audit: bad action '%.32s' (deny, audit or shadow)",
					    a + 7);
			snprintf(r->action, sizeof(r->action), "%s", a + 7);
		} else {
			return fail(err, errsz, "audit: unknown argument '%.64s' (follow, "
				    "policy=NAME, hook=exec|file|connect, action=deny|audit|shadow)", a);
		}
	}
	return 0;
}

int proto_parse(const char *line, size_t len, struct proto_req *r, char *err, size_t errsz)
{
	size_t i;
	char *p;

	memset(r, 0, offsetof(struct proto_req, buf));
	r->buf[0] = '\0';
	if (len && line[len - 1] == '\n')
		len--;
	if (len && line[len - 1] == '\r')
		len--;
	if (len >= PROTO_LINE_MAX)
		return fail(err, errsz, "request too long (max %d bytes)", PROTO_LINE_MAX - 1);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)line[i];

		if (c < 0x20 || c > 0x7e)
			return fail(err, errsz, "binary data in request (byte 0x%02x at offset %zu): "
				    "requests are printable ASCII lines", c, i);
	}
	memcpy(r->buf, line, len);
	r->buf[len] = '\0';

	/* split on spaces */
	p = r->buf;
	for (;;) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		if (r->argc == PROTO_ARGS_MAX)
			return fail(err, errsz, "too many arguments (max %d)", PROTO_ARGS_MAX - 1);
		r->argv[r->argc++] = p;
		while (*p && *p != ' ')
			p++;
		if (*p)
			*p++ = '\0';
	}
	if (r->argc == 0)
		return fail(err, errsz, "empty request");

	for (i = 0; i < NVERBS; i++)
		if (strcmp(r->argv[0], verb_names[i]) == 0)
			break;
	if (i == NVERBS)
		return fail(err, errsz, "unknown request '%.64s' (expected one of: ping status "
			    "policies stats reload reopen audit unload bind shadow promote)", r->argv[0]);
	r->verb = (enum proto_verb)i;

	switch (r->verb) {
	case PROTO_PING:
	case PROTO_STATUS:
	case PROTO_POLICIES:
	case PROTO_RELOAD:
	case PROTO_REOPEN:
	case PROTO_UNLOAD:
	case PROTO_PROMOTE:
		if (r->argc > 1)
			return fail(err, errsz, "%s takes no argument (got '%.64s')",
				    verb_names[r->verb], r->argv[1]);
		return 0;
	case PROTO_STATS:
		if (r->argc == 1)
			return 0;
		if (r->argc == 2 && !strcmp(r->argv[1], "prometheus")) {
			r->prometheus = true;
			return 0;
		}
		if (!strcmp(r->argv[1], "rules")) {
			r->rules = PROTO_RULES_ALL;
			if (r->argc == 2)
				return 0;
			if (r->argc == 3 && !strcmp(r->argv[2], "unused")) {
				r->rules = PROTO_RULES_UNUSED;
				return 0;
			}
			return fail(err, errsz, "stats rules: unknown argument '%.64s' (expected: unused)",
				    r->argv[2]);
		}
		if (r->argc > 2)
			return fail(err, errsz, "stats takes at most one argument (prometheus), "
				    "or rules [unused]");
		return fail(err, errsz, "stats: unknown argument '%.64s' "
			    "(expected: prometheus, rules, rules unused)", r->argv[1]);
	case PROTO_AUDIT:
		return parse_audit(r, err, errsz);
	case PROTO_BIND:
		if (r->argc < 2)
			return fail(err, errsz, "bind needs arguments");
		return 0;
	case PROTO_SHADOW:
		if (r->argc != 2)
			return fail(err, errsz, "shadow takes one argument: DIR (absolute), report or drop");
		if (strcmp(r->argv[1], "report") && strcmp(r->argv[1], "drop") && r->argv[1][0] != '/')
			return fail(err, errsz, "shadow: '%.64s' is not an absolute directory, "
				    "report or drop", r->argv[1]);
		return 0;
	}
	return fail(err, errsz, "unknown request");
}
