// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_policy.c - libFuzzer target for the policy pipeline as the daemon
 * runs it on a reload: parse (policy_parse_buffer), cross-check
 * (policy_set_validate), resolve symlinks inside a scratch root, compile
 * into map entries, dump as text and JSON.
 *
 * The input is split on form feeds ('\f', which no valid policy holds) into
 * up to MAX_FILES files p0.ini, p1.ini... so that cross-file checks
 * (duplicate names, cgroup stacking) are reached too.  Besides the
 * sanitizers, it checks: a failed parse adds an error and no policy, a good
 * one adds exactly one policy; every error reads "pN.ini:LINE: message" or
 * "pN.ini: message" with a line that exists, in valid UTF-8 on one line;
 * compiled path keys fit the BPF key; the JSON dump is valid JSON.
 */
#define _GNU_SOURCE
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "json.h"
#include "json_check.h"
#include "policy.h"

#define MAX_FILES 8
#define FAIL(...) do { fprintf(stderr, "fuzz_policy: " __VA_ARGS__); fputc('\n', stderr); abort(); } while (0)

static char root[] = "/tmp/enf-fuzz-root-XXXXXX";
static bool root_made;
static FILE *devnull;

static int rm_one(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)sb, (void)type, (void)ftw;
	remove(path);
	return 0;
}

static void cleanup(void)
{
	if (root_made)
		nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void mk(const char *what, const char *rel, const char *target)
{
	char p[512];
	int r = 0;

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	if (!strcmp(what, "dir")) {
		r = mkdir(p, 0755);
	} else if (!strcmp(what, "file")) {
		FILE *f = fopen(p, "w");
		r = f ? fclose(f) : -1;
	} else {
		r = symlink(target, p);
	}
	if (r < 0) {
		perror(p);
		exit(1);
	}
}

/* A small tree with the kinds of links that resolution must handle. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	if (!mkdtemp(root)) {
		perror("mkdtemp");
		exit(1);
	}
	root_made = true;
	atexit(cleanup);
	mk("dir", "usr", NULL);
	mk("dir", "usr/bin", NULL);
	mk("dir", "etc", NULL);
	mk("file", "usr/bin/dash", NULL);
	mk("file", "etc/shadow", NULL);
	mk("link", "bin", "usr/bin");                   /* merged /usr */
	mk("link", "usr/bin/sh", "dash");               /* relative */
	mk("link", "usr/bin/abs", "/etc/shadow");       /* absolute: from root */
	mk("link", "usr/bin/up", "../../../../..");     /* never above root */
	mk("link", "a", "b");                           /* loop */
	mk("link", "b", "a");
	mk("link", "self", "self");
	mk("link", "dangling", "/nowhere/at/all");
	mk("link", "x", "x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x");
	devnull = fopen("/dev/null", "w");
	if (!devnull)
		exit(1);
	return 0;
}

/* The number of lines of a file as the parser counts them. */
static int lines_of(const char *s, size_t n)
{
	int l = 1;

	for (size_t i = 0; i < n; i++)
		if (s[i] == '\n')
			l++;
	return l;
}

static void check_errors(const struct enf_errors *err, size_t from, char files[][16],
			 const int *nlines, int nfiles)
{
	for (size_t i = from; i < err->n; i++) {
		const char *m = err->msg[i], *rest = NULL;
		int f;

		if (!m)
			FAIL("NULL message");
		if (strchr(m, '\n') || !jcheck_utf8_valid(m, strlen(m)))
			FAIL("message not one line of UTF-8: '%s'", m);
		if (!strncmp(m, "(policy set): ", 14))
			continue;
		for (f = 0; f < nfiles; f++) {
			size_t l = strlen(files[f]);
			if (!strncmp(m, files[f], l) && m[l] == ':') {
				rest = m + l + 1;
				break;
			}
		}
		if (!rest)
			FAIL("message does not start with a file name: '%s'", m);
		if (rest[0] >= '0' && rest[0] <= '9') {
			char *end;
			long line = strtol(rest, &end, 10);

			if (line < 1 || line > nlines[f] || end[0] != ':' || end[1] != ' ' || !end[2])
				FAIL("bad line in '%s' (file has %d lines)", m, nlines[f]);
		} else if (rest[0] != ' ' || !rest[1]) {
			FAIL("no message in '%s'", m);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct enf_policy_set set = { 0 };
	struct enf_errors err = { 0 };
	struct enf_compiled c;
	struct jbuf b;
	char files[MAX_FILES][16];
	int nlines[MAX_FILES], nfiles = 0;
	const char *s = (const char *)data;
	size_t off = 0;

	/* parse each piece, from a copy of exactly its size */
	while (nfiles < MAX_FILES && (off < size || nfiles == 0)) {
		const char *ff = nfiles < MAX_FILES - 1 ? memchr(s + off, '\f', size - off) : NULL;
		size_t n = ff ? (size_t)(ff - (s + off)) : size - off;
		char *piece = malloc(n ? n : 1);
		size_t before_n = set.n, before_err = err.n;
		int rc;

		if (!piece)
			abort();
		memcpy(piece, s + off, n);
		snprintf(files[nfiles], sizeof(files[nfiles]), "p%d.ini", nfiles);
		nlines[nfiles] = lines_of(piece, n);
		rc = policy_parse_buffer(files[nfiles], piece, n, &set, &err);
		free(piece);
		nfiles++;
		if (rc == 0 && (set.n != before_n + 1 || err.n != before_err))
			FAIL("parse ok but %zu policies and %zu errors added", set.n - before_n,
			     err.n - before_err);
		if (rc != 0 && (rc != -1 || set.n != before_n || err.n == before_err))
			FAIL("parse %d but %zu policies and %zu errors added", rc, set.n - before_n,
			     err.n - before_err);
		if (rc == 0) {
			const struct enf_policy_src *p = &set.pol[set.n - 1];

			if (!p->name || !p->file || (!p->ncgroups && !p->nunits))
				FAIL("parsed policy without name, file or binding");
			if (p->ncgroups > POLICY_CGROUPS_MAX || p->nunits > POLICY_CGROUPS_MAX ||
			    p->nrules > POLICY_RULES_MAX)
				FAIL("limits exceeded");
			for (size_t k = 0; k < p->nrules; k++)
				if (p->rules[k].id != k || !p->rules[k].text ||
				    (p->rules[k].hook != ENF_HOOK_CONNECT &&
				     (!p->rules[k].path || strlen(p->rules[k].path) > ENF_PATH_KEY_MAX - 1)))
					FAIL("bad rule %zu", k);
		}
		off += n + (ff ? 1 : 0);
		if (!ff)
			break;
	}
	check_errors(&err, 0, files, nlines, nfiles);

	policy_set_validate(&set, &err);
	check_errors(&err, 0, files, nlines, nfiles);

	if (policy_resolve_paths(&set, root, &err) == 0) {
		for (size_t i = 0; i < set.n; i++)
			for (size_t k = 0; k < set.pol[i].nrules; k++) {
				const struct enf_rule *r = &set.pol[i].rules[k];
				if (r->hook != ENF_HOOK_CONNECT &&
				    (!r->resolved || r->resolved[0] != '/' ||
				     strlen(r->resolved) > ENF_PATH_KEY_MAX - 1))
					FAIL("bad resolved path for '%s'", r->text);
			}
	}
	check_errors(&err, 0, files, nlines, nfiles);

	if (policy_compile(&set, NULL, &c, &err) == 0) {
		if (c.npols != set.n)
			FAIL("%zu compiled policies for %zu", c.npols, set.n);
		for (size_t i = 0; i < c.npaths; i++) {
			uint32_t pl = c.paths[i].k.prefixlen;
			if (pl < 32 || pl > 32 + 8 * ENF_PATH_KEY_MAX || (pl - 32) % 8)
				FAIL("path key prefixlen %u", pl);
		}
		policy_compiled_free(&c);
	}
	check_errors(&err, 0, files, nlines, nfiles);

	policy_dump_text(devnull, &set);
	jb_init(&b);
	policy_dump_json(&b, &set);
	if (b.oom)
		FAIL("JSON dump out of memory");
	if (!json_check(b.s ? b.s : "", b.len))
		FAIL("JSON dump is not valid JSON: %.*s", (int)(b.len > 4000 ? 4000 : b.len), b.s);
	jb_free(&b);

	policy_set_free(&set);
	errors_free(&err);
	return 0;
}
