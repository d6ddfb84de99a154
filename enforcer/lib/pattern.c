// SPDX-License-Identifier: GPL-2.0-only
/*
 * pattern.c - glob patterns in exec and file rule paths: syntax, order and
 * the matcher (the same steps as bpf-lsm/pattern.bpf.c step_cb, so that
 * the verdict model and the kernel agree).  See pattern.h.
 */
#include <stdio.h>
#include <string.h>
#include "pattern.h"

bool pattern_is(const char *path)
{
	return path && strpbrk(path, "*?") != NULL;
}

size_t pattern_glob_start(const char *path)
{
	const char *w = strpbrk(path, "*?");

	if (!w)
		return 0;
	while (w > path && w[-1] != '/')
		w--;
	return (size_t)(w - path);
}

const char *pattern_error(const char *path)
{
	static char msg[160];
	size_t gs = pattern_glob_start(path), comps = 0;
	const char *g = path + gs;

	for (const char *c = g; *c;) {
		const char *e = strchr(c, '/');
		size_t n = e ? (size_t)(e - c) : strlen(c);
		bool ds = false;

		for (size_t i = 0; i + 1 < n; i++)
			ds |= c[i] == '*' && c[i + 1] == '*';

		if (ds && n != 2)
			return "'**' must be a whole path component (as in /a/**/b)";
		if (!(n == 2 && ds))
			comps++;
		if (!e)
			break;
		c = e + 1;
	}
	if (strlen(g) + 1 > ENF_PAT_GLOB) {
		snprintf(msg, sizeof(msg), "pattern too long after its literal directory (max %d bytes)",
			 ENF_PAT_GLOB - 1);
		return msg;
	}
	if (comps > ENF_PAT_DEPTH) {
		snprintf(msg, sizeof(msg), "pattern with more than %d components after its literal directory",
			 ENF_PAT_DEPTH);
		return msg;
	}
	return NULL;
}

/* The kernel's steps (pattern.bpf.c step_cb), one pattern. */
bool pattern_match(const char *glob, const char *subj, bool *partial)
{
	size_t len = strlen(subj), gl = strlen(glob);
	size_t g = 0, s = 0, ci = 0, sg = 0, ss = 0, dg = 0, dc = 0;
	size_t cstart[4096];
	size_t n = 0;
	bool star = false, dstar = false, part = false;

#define GCH(i) ((i) < gl ? glob[i] : 0)
#define SCH(i) ((i) < len ? subj[i] : 0)
	cstart[n++] = 0;
	for (size_t i = 0; i < len && n < sizeof(cstart) / sizeof(cstart[0]); i++)
		if (subj[i] == '/')
			cstart[n++] = i + 1;
	if (partial)
		*partial = false;
	for (;;) {
		char c = GCH(g), sc;

		if (c == '*' && GCH(g + 1) == '*' && (g == 0 || GCH(g - 1) == '/')) {
			if (GCH(g + 2) == 0)
				return true;
			dg = g + 3;
			dc = ci;
			dstar = true;
			star = false;
			g = dg;
			continue;
		}
		if (c == '*') {
			sg = g + 1;
			ss = s;
			star = true;
			g++;
			continue;
		}
		sc = SCH(s);
		if (s >= len) {
			if (!c)
				return true;
			if (c == '/') {
				if (GCH(g + 1) == '*' && GCH(g + 2) == '*' && !GCH(g + 3))
					return true;
				part = true;
			}
		} else if (c && (c == sc || (c == '?' && sc != '/'))) {
			if (sc == '/') {
				star = false;
				ci++;
			}
			g++;
			s++;
			continue;
		}
		if (star && SCH(ss) != '/' && ss < len) {
			ss++;
			s = ss;
			g = sg;
			continue;
		}
		if (dstar && dc + 1 < n) {
			dc++;
			ci = dc;
			s = cstart[dc];
			g = dg;
			star = false;
			continue;
		}
		if (partial)
			*partial = part || dstar;
		return false;
	}
#undef GCH
#undef SCH
}

size_t pattern_literals(const char *glob)
{
	size_t n = 0;

	for (; *glob; glob++)
		n += *glob != '*' && *glob != '?';
	return n;
}

static const char *pat_path(const struct enf_rule *r)
{
	return r->resolved ? r->resolved : r->path;
}

uint8_t pattern_plen(const struct enf_rule *r)
{
	size_t n = pattern_glob_start(pat_path(r)) + 1;

	return (uint8_t)(n > 255 ? 255 : n);
}

static int strictness(uint8_t v)
{
	return v == ENF_DENY ? 2 : v == ENF_READONLY ? 1 : 0;
}

int pattern_cmp(const void *x, const void *y)
{
	const struct enf_rule *a = *(const struct enf_rule *const *)x;
	const struct enf_rule *b = *(const struct enf_rule *const *)y;
	const char *pa = pat_path(a), *pb = pat_path(b);
	size_t la = pattern_glob_start(pa), lb = pattern_glob_start(pb);
	size_t na = pattern_literals(pa + la), nb = pattern_literals(pb + lb);

	if (la != lb)
		return la > lb ? -1 : 1;
	if (na != nb)
		return na > nb ? -1 : 1;
	/* a program condition before none (as at a literal rule's equal length) */
	if ((a->prog != 0) != (b->prog != 0))
		return a->prog ? -1 : 1;
	if (strictness(policy_rule_verdict(a)) != strictness(policy_rule_verdict(b)))
		return strictness(policy_rule_verdict(a)) > strictness(policy_rule_verdict(b)) ? -1 : 1;
	if (a->rights != b->rights)
		return __builtin_popcount(a->rights) > __builtin_popcount(b->rights) ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

uint32_t pattern_cover(const struct enf_compiled *c, uint32_t tag, const char *dir)
{
	const struct enf_path_entry *best = NULL;
	size_t n = strlen(dir);

	for (size_t i = 0; i < c->npaths; i++) {
		const struct enf_path_entry *e = &c->paths[i];
		size_t bytes = (e->k.prefixlen - 32) / 8;

		if (e->k.tag != tag || bytes > n || memcmp(e->k.path, dir, bytes))
			continue;
		if (!best || e->k.prefixlen > best->k.prefixlen)
			best = e;
	}
	return best ? best->v.rule_id : ENF_RULE_DEFAULT;
}

const struct enf_rule *pattern_best(const struct enf_policy_src *p, uint32_t kind, const char *path)
{
	return pattern_best_prog(p, kind, path, 0, false);
}

bool pattern_rule_matches(const struct enf_rule *r, const char *path)
{
	const char *rp = pat_path(r), *subj;
	size_t gs = pattern_glob_start(rp);

	if (!strncmp(path, rp, gs))
		subj = path + gs;
	else if (gs > 1 && strlen(path) == gs - 1 && !strncmp(path, rp, gs - 1))
		subj = "";      /* the literal directory itself */
	else
		return false;
	return pattern_match(rp + gs, subj, NULL);
}

const struct enf_rule *pattern_best_prog(const struct enf_policy_src *p, uint32_t kind, const char *path,
					 uint8_t prog, bool parent)
{
	const struct enf_rule *best = NULL;

	for (size_t k = 0; k < p->nrules; k++) {
		const struct enf_rule *r = &p->rules[k];

		if (!r->pattern || rule_path_kind(r) != kind ||
		    (r->prog && (r->prog != prog || r->parent != parent)))
			continue;
		if (pattern_rule_matches(r, path) && (!best || pattern_cmp(&r, &best) < 0))
			best = r;
	}
	return best;
}

const struct enf_path_entry *pattern_lpm(const struct enf_compiled *c, uint32_t tag, const char *path)
{
	const struct enf_path_entry *best = NULL;
	size_t n = strlen(path) + 1;

	for (size_t i = 0; i < c->npaths; i++) {
		const struct enf_path_entry *e = &c->paths[i];
		size_t bytes = (e->k.prefixlen - 32) / 8;

		if (e->k.tag != tag || bytes > n || bytes > ENF_PATH_KEY_MAX || memcmp(e->k.path, path, bytes))
			continue;
		if (!best || e->k.prefixlen > best->k.prefixlen)
			best = e;
	}
	return best;
}
