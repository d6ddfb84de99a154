// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_proto.c - libFuzzer target for the control-protocol request parser
 * (proto_parse in enforcer/lib/proto.c): any bytes are either one of the
 * protocol's requests, with every field in bounds, or an error with a
 * non-empty one-line message; never a read or write out of bounds.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "proto.h"

#define FAIL(...) do { fprintf(stderr, "fuzz_proto: " __VA_ARGS__); fputc('\n', stderr); abort(); } while (0)

static bool printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return false;
	return true;
}

static void check_field(const char *f, size_t sz, const char *what)
{
	if (!memchr(f, 0, sz))
		FAIL("%s not terminated", what);
	if (!printable(f))
		FAIL("%s not printable", what);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* a copy of exactly size bytes, so that ASan sees any read past it */
	char *line = malloc(size ? size : 1), err[512], tiny[3];
	struct proto_req *r = malloc(sizeof(*r)), *r2 = malloc(sizeof(*r2));
	int rc, rc2;

	if (!line || !r || !r2)
		abort();
	memcpy(line, data, size);
	memset(r, 0xa5, sizeof(*r));
	memset(err, 'X', sizeof(err));
	rc = proto_parse(line, size, r, err, sizeof(err));
	if (rc == 0) {
		if (strcmp(proto_verb_name(r->verb), "?") == 0)
			FAIL("unknown verb %d accepted", (int)r->verb);
		if (r->argc < 1 || r->argc > PROTO_ARGS_MAX)
			FAIL("argc %d", r->argc);
		for (int i = 0; i < r->argc; i++) {
			if (r->argv[i] < r->buf || r->argv[i] >= r->buf + sizeof(r->buf))
				FAIL("argv[%d] outside buf", i);
			if (!memchr(r->argv[i], 0, (size_t)(r->buf + sizeof(r->buf) - r->argv[i])))
				FAIL("argv[%d] not terminated", i);
			if (!r->argv[i][0] || strchr(r->argv[i], ' ') || !printable(r->argv[i]))
				FAIL("argv[%d] = '%s'", i, r->argv[i]);
		}
		if (strcmp(r->argv[0], proto_verb_name(r->verb)))
			FAIL("verb '%s' parsed as %s", r->argv[0], proto_verb_name(r->verb));
		check_field(r->policy, sizeof(r->policy), "policy");
		check_field(r->hook, sizeof(r->hook), "hook");
		check_field(r->action, sizeof(r->action), "action");
		if (r->hook[0] && strcmp(r->hook, "exec") && strcmp(r->hook, "file") && strcmp(r->hook, "connect") &&
		    strcmp(r->hook, "bind"))
			FAIL("hook '%s'", r->hook);
		if (r->action[0] && strcmp(r->action, "deny") && strcmp(r->action, "audit") &&
		    strcmp(r->action, "shadow"))
			FAIL("action '%s'", r->action);
		if (r->verb == PROTO_SHADOW &&
		    (r->argc != 2 || (strcmp(r->argv[1], "report") && strcmp(r->argv[1], "drop") &&
				      r->argv[1][0] != '/')))
			FAIL("shadow with argc %d", r->argc);
		if (r->verb == PROTO_PROMOTE && r->argc != 1)
			FAIL("promote with an argument");
		if ((r->follow || r->policy[0] || r->hook[0] || r->action[0]) && r->verb != PROTO_AUDIT)
			FAIL("audit fields set for %s", proto_verb_name(r->verb));
		if (r->prometheus && r->verb != PROTO_STATS)
			FAIL("prometheus set for %s", proto_verb_name(r->verb));
		{
			size_t n = size;    /* the request without its "\n" or "\r\n" */

			if (n && line[n - 1] == '\n')
				n--;
			if (n && line[n - 1] == '\r')
				n--;
			if (n + 1 > PROTO_LINE_MAX)
				FAIL("a %zu-byte request accepted (max %d with its newline)", n, PROTO_LINE_MAX);
		}
	} else if (rc == -1) {
		if (!memchr(err, 0, sizeof(err)) || !err[0] || strchr(err, '\n'))
			FAIL("bad error message");
		if (!printable(err))
			FAIL("error message not printable ASCII: the bytes would go back to the client");
	} else {
		FAIL("returned %d", rc);
	}

	/* again with a 1..3 byte error buffer: same verdict, no overflow */
	rc2 = proto_parse(line, size, r2, tiny, 1 + size % sizeof(tiny));
	if (rc2 != rc)
		FAIL("%d with a small error buffer, %d otherwise", rc2, rc);
	if (rc2 < 0 && !memchr(tiny, 0, 1 + size % sizeof(tiny)))
		FAIL("small error buffer not terminated");
	free(line);
	free(r);
	free(r2);
	return 0;
}
