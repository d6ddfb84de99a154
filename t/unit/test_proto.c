// SPDX-License-Identifier: GPL-2.0-only
/* test_proto.c - parsing of control protocol request lines: every verb and
 * argument, and the errors for everything else. */
#include <string.h>

#include "proto.h"
#include "tap.h"

static struct proto_req req;
static char err[256];

/* The line with \n and \r made visible, for test names. */
static const char *show(const char *line)
{
	static char out[128];
	size_t n = 0;

	for (; *line && n < sizeof(out) - 3; line++) {
		if (*line == '\n' || *line == '\r') {
			out[n++] = '\\';
			out[n++] = *line == '\n' ? 'n' : 'r';
		} else {
			out[n++] = *line;
		}
	}
	out[n] = '\0';
	return out;
}

static int parse(const char *line)
{
	err[0] = '\0';
	return proto_parse(line, strlen(line), &req, err, sizeof(err));
}

static void good(const char *line, enum proto_verb verb)
{
	int r = parse(line);

	ok(r == 0 && req.verb == verb, "'%s' parses as %s", show(line), proto_verb_name(verb));
	if (r)
		diag("error: %s", err);
}

static void bad(const char *line, size_t len, const char *want, const char *name)
{
	int r;

	err[0] = '\0';
	r = proto_parse(line, len, &req, err, sizeof(err));
	ok(r == -1 && strstr(err, want) != NULL, "%s is refused (%s)", name, err);
}

#define BAD(lit, want) bad(lit, strlen(lit), want, show(lit))

int main(void)
{
	char big[PROTO_LINE_MAX + 8];

	ok(PROTO_VERSION == 1, "protocol version 1");
	ok(PROTO_LINE_MAX == 4096, "line max 4096");

	good("ping", PROTO_PING);
	good("status", PROTO_STATUS);
	good("status\n", PROTO_STATUS);
	good("status\r\n", PROTO_STATUS);
	good("  status  ", PROTO_STATUS);
	good("reload", PROTO_RELOAD);
	good("policies", PROTO_POLICIES);
	good("reopen", PROTO_REOPEN);
	good("unload", PROTO_UNLOAD);
	good("stats", PROTO_STATS);
	ok(!req.prometheus, "stats: not prometheus");
	good("stats prometheus", PROTO_STATS);
	ok(req.prometheus, "stats prometheus: flag set");
	ok(req.rules == PROTO_RULES_NONE, "stats prometheus: no rule listing");
	good("stats rules", PROTO_STATS);
	ok(req.rules == PROTO_RULES_ALL && !req.prometheus, "stats rules: every rule");
	good("stats rules unused", PROTO_STATS);
	ok(req.rules == PROTO_RULES_UNUSED, "stats rules unused: the unused ones");
	BAD("stats rules used", "stats rules: unknown argument 'used' (expected: unused)");
	BAD("stats rules unused x", "stats rules: unknown argument");
	BAD("stats prometheus rules", "stats takes at most one argument");
	BAD("stats bogus", "stats: unknown argument 'bogus'");

	good("audit", PROTO_AUDIT);
	ok(!req.follow && !req.policy[0] && !req.hook[0] && !req.action[0], "audit: no filters");
	good("audit follow", PROTO_AUDIT);
	ok(req.follow, "audit follow: follow set");
	good("audit follow policy=web-1.x hook=connect action=audit", PROTO_AUDIT);
	ok(req.follow && !strcmp(req.policy, "web-1.x") && !strcmp(req.hook, "connect") &&
	   !strcmp(req.action, "audit"), "audit follow: all filters");
	good("audit hook=exec", PROTO_AUDIT);
	ok(!req.follow && !strcmp(req.hook, "exec"), "audit hook=exec without follow");
	good("audit hook=file action=deny", PROTO_AUDIT);
	ok(!strcmp(req.hook, "file") && !strcmp(req.action, "deny"), "audit hook=file action=deny");

	good("bind web /sys/fs/cgroup/x", PROTO_BIND);
	ok(req.argc == 3 && !strcmp(req.argv[1], "web") && !strcmp(req.argv[2], "/sys/fs/cgroup/x"),
	   "bind keeps its arguments");

	BAD("", "empty request");
	BAD("   ", "empty request");
	BAD("\n", "empty request");
	BAD("frobnicate", "unknown request 'frobnicate'");
	BAD("STATUS", "unknown request");
	BAD("status now", "status takes no argument");
	BAD("reload x", "reload takes no argument");
	BAD("ping x", "ping takes no argument");
	BAD("stats json", "stats: unknown argument 'json'");
	BAD("stats prometheus prometheus", "at most one argument");
	BAD("audit sideways", "audit: unknown argument 'sideways'");
	BAD("audit follow follow", "'follow' given twice");
	BAD("audit hook=mount", "bad hook 'mount'");
	BAD("audit hook=", "bad hook ''");
	BAD("audit action=allow", "bad action 'allow'");
	BAD("audit policy=", "bad policy name");
	BAD("audit policy=a/b", "bad policy name");
	BAD("audit policy=x policy=y", "'policy=' given twice");
	BAD("audit hook=exec hook=file", "'hook=' given twice");
	BAD("audit action=deny action=deny", "'action=' given twice");
	BAD("audit policy=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	    "bad policy name");
	BAD("bind", "bind needs arguments");
	BAD("status\tx", "binary data");
	BAD("a b c d e f g h i j k l m n o p q", "too many arguments");
	bad("sta\0tus", 7, "binary data", "NUL byte");
	bad("status\xff", 7, "byte 0xff", "high byte");
	bad("\x16\x03\x01\x02", 4, "binary data", "TLS hello");
	bad("status\n\n", 8, "binary data", "two newlines");

	memset(big, 'a', sizeof(big));
	bad(big, PROTO_LINE_MAX, "too long", "a 4096-byte line");
	memcpy(big, "audit policy=", 13);
	big[PROTO_LINE_MAX - 1] = '\n';
	bad(big, PROTO_LINE_MAX, "bad policy name", "a 4095-byte line with its newline is parsed");
	return done_testing();
}
