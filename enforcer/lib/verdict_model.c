// SPDX-License-Identifier: GPL-2.0-only
/*
 * verdict_model.c - the offline matching model (verdict_model.h): judges an
 * action with the compiler's map entries the way bpf-lsm/ reads them
 * (path.bpf.h check_path, net.bpf.c judge_ip, unix.bpf.c), and says why.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pattern.h"
#include "verdict_model.h"

const char *vm_outcome_name(enum vm_outcome o)
{
	return o == VM_DENIED ? "deny" : o == VM_AUDITED ? "audit" : "allow";
}

/* Append to a why string, never past its end. */
static void appendf(char *buf, size_t sz, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void appendf(char *buf, size_t sz, const char *fmt, ...)
{
	size_t l = strlen(buf);
	va_list ap;

	if (l + 1 >= sz)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + l, sz - l, fmt, ap);
	va_end(ap);
}

/* ---- actions ---- */

static int fail(char *err, size_t errsz, const char *fmt, const char *arg)
{
	snprintf(err, errsz, fmt, arg);
	return -1;
}

static int parse_addr(const char *s, struct vm_action *a)
{
	struct in_addr v4;
	struct in6_addr v6;

	memset(a->addr, 0, sizeof(a->addr));
	if (inet_pton(AF_INET, s, &v4) == 1) {
		a->family = 4;
		memcpy(a->addr, &v4, 4);
		return 0;
	}
	if (inet_pton(AF_INET6, s, &v6) == 1) {
		static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

		if (!memcmp(v6.s6_addr, mapped, 12)) {   /* judged as IPv4 */
			a->family = 4;
			memcpy(a->addr, v6.s6_addr + 12, 4);
		} else {
			a->family = 6;
			memcpy(a->addr, v6.s6_addr, 16);
		}
		return 0;
	}
	return -1;
}

static int set_path(char *dst, const char *s, const char *what, char *err, size_t errsz)
{
	if (s[0] != '/')
		return fail(err, errsz, "%s: the path must be absolute", what);
	if (strlen(s) >= VM_PATH_MAX)
		return fail(err, errsz, "%s: path too long", what);
	strcpy(dst, s);
	return 0;
}

int vm_action_parse(const char *text, struct vm_action *a, char *err, size_t errsz)
{
	char buf[VM_PATH_MAX * 2 + 64], *w[16], *save = NULL, *t;
	size_t n = 0;

	memset(a, 0, sizeof(*a));
	if (strlen(text) >= sizeof(buf))
		return fail(err, errsz, "%s", "action too long");
	strcpy(buf, text);
	for (t = strtok_r(buf, " \t\r\n", &save); t; t = strtok_r(NULL, " \t\r\n", &save)) {
		if (n == sizeof(w) / sizeof(w[0]))
			return fail(err, errsz, "%s", "too many words in the action");
		w[n++] = t;
	}
	if (!n)
		return fail(err, errsz, "%s", "empty action (exec|open|connect|bind ...)");
	if (!strcmp(w[0], "exec") || !strcmp(w[0], "open")) {
		/* the program conditions' programs, at the end: exe P, parent Q */
		while (n >= 4 && (!strcmp(w[n - 2], "exe") || !strcmp(w[n - 2], "parent"))) {
			bool ex = w[n - 2][0] == 'e';
			char *dst = ex ? a->exe : a->parent;

			if (dst[0])
				return fail(err, errsz, "'%s' given twice", w[n - 2]);
			if (w[n - 1][strlen(w[n - 1]) - 1] == '/')
				return fail(err, errsz, "%s: a program is a file, not a directory (DIR/)", w[n - 2]);
			if (set_path(dst, w[n - 1], w[n - 2], err, errsz) < 0)
				return -1;
			n -= 2;
		}
		if (n >= 2 && (!strcmp(w[n - 1], "exe") || !strcmp(w[n - 1], "parent")))
			return fail(err, errsz, "'%s' needs a program PATH", w[n - 1]);
	}
	if (!strcmp(w[0], "exec")) {
		a->op = VM_EXEC;
		/* not-owner: the process does not own the program (`owner` on
		 * exec rules) */
		if (n == 3 && !strcmp(w[2], "not-owner")) {
			a->not_owner = true;
			n--;
		}
		if (n != 2)
			return fail(err, errsz, "%s", "exec takes one PATH [not-owner] [exe P] [parent Q]");
		return set_path(a->path, w[1], "exec", err, errsz);
	}
	if (!strcmp(w[0], "open")) {
		a->op = VM_OPEN;
		if (n < 2)
			return fail(err, errsz, "%s", "open needs a PATH");
		if (set_path(a->path, w[1], "open", err, errsz) < 0)
			return -1;
		for (size_t i = 2; i < n; i++) {
			if (!strcmp(w[i], "read"))
				a->need |= ENF_RIGHT_READ;
			else if (!strcmp(w[i], "write"))
				a->need |= ENF_RIGHT_WRITE;
			else if (!strcmp(w[i], "truncate"))
				a->need |= ENF_RIGHT_TRUNCATE;
			else if (!strcmp(w[i], "create"))
				a->need |= ENF_RIGHT_CREATE;
			else if (!strcmp(w[i], "not-owner"))
				a->not_owner = true;
			else
				return fail(err, errsz,
					    "open: unknown word '%s' (read, write, truncate, create, not-owner, exe P, parent Q)",
					    w[i]);
		}
		if (!(a->need & (ENF_RIGHT_READ | ENF_RIGHT_WRITE)))
			a->need |= a->need ? ENF_RIGHT_WRITE : ENF_RIGHT_READ; /* O_TRUNC/O_CREAT need an access mode */
		a->write = (a->need & (ENF_RIGHT_WRITE | ENF_RIGHT_TRUNCATE | ENF_RIGHT_CREATE)) != 0;
		return 0;
	}
	if (!strcmp(w[0], "connect") || !strcmp(w[0], "bind")) {
		size_t i = 3;
		char *end;
		long port;

		a->op = w[0][0] == 'c' ? VM_CONNECT : VM_BIND;
		if (n < 2)
			return fail(err, errsz, "%s needs an ADDRESS and a PORT", w[0]);
		if (a->op == VM_CONNECT && !strncmp(w[1], "unix:", 5)) {
			a->family = ENF_FAMILY_UNIX;
			if (n == 4 && !strcmp(w[2], "exe")) {
				if (set_path(a->exe, w[3], "exe", err, errsz) < 0)
					return -1;
			} else if (n != 2) {
				return fail(err, errsz, "%s", "connect unix:NAME takes nothing after the name but exe PATH");
			}
			if (w[1][5] != '/' && w[1][5] != '@')
				return fail(err, errsz, "%s", "connect unix: needs /PATH or @NAME");
			if (strlen(w[1] + 5) >= 108)
				return fail(err, errsz, "%s", "unix: name too long (108 bytes)");
			strcpy(a->path, w[1] + 5);
			return 0;
		}
		if (a->op == VM_CONNECT && !strcmp(w[1], "packet")) {
			/* creating a packet socket: judged by `packet` rules */
			a->family = ENF_FAMILY_PACKET;
			if (n == 4 && !strcmp(w[2], "exe"))
				return set_path(a->exe, w[3], "exe", err, errsz);
			if (n != 2)
				return fail(err, errsz, "%s", "connect packet takes only [exe PATH] after it");
			return 0;
		}
		if (a->op == VM_CONNECT && !strcmp(w[1], "raw")) {
			/* creating a raw socket: "connect raw PROTO [ipv6] [exe PATH]" */
			static const struct { const char *w; uint8_t v4, v6; } pw[] = {
				{ "icmp", ENF_PROTO_ICMP, ENF_PROTO_ICMPV6 }, { "tcp", 6, 6 },
				{ "udp", 17, 17 }, { "sctp", ENF_PROTO_SCTP, ENF_PROTO_SCTP },
			};
			bool v6 = false, named = false;
			long num = -1;

			if (n < 3)
				return fail(err, errsz, "%s", "connect raw needs a PROTOCOL (icmp, tcp, udp, sctp or 0-255)");
			for (size_t k = 0; k < sizeof(pw) / sizeof(pw[0]); k++)
				if (!strcmp(w[2], pw[k].w))
					num = k, named = true;
			if (!named) {
				errno = 0;
				num = strtol(w[2], &end, 10);
				if (errno || *end || end == w[2] || num < 0 || num > 255)
					return fail(err, errsz, "bad protocol '%s' (icmp, tcp, udp, sctp or 0-255)", w[2]);
			}
			if (i < n && !strcmp(w[i], "ipv6")) {
				v6 = true;
				i++;
			}
			a->family = v6 ? ENF_FAMILY_RAW6 : ENF_FAMILY_RAW4;
			a->proto = !named ? (uint8_t)num : v6 ? pw[num].v6 : pw[num].v4;
			if (i + 2 == n && !strcmp(w[i], "exe"))
				return set_path(a->exe, w[i + 1], "exe", err, errsz);
			if (i < n)
				return fail(err, errsz, "unexpected '%s' (connect raw PROTOCOL [ipv6] [exe PATH])", w[i]);
			return 0;
		}
		if (parse_addr(w[1], a) < 0)
			return fail(err, errsz, "bad address '%s' (IPv4 or IPv6, no prefix)", w[1]);
		if (n < 3)
			return fail(err, errsz, "%s needs a PORT after the address", w[0]);
		errno = 0;
		port = strtol(w[2], &end, 10);
		if (errno || *end || end == w[2] || port < 0 || port > 65535)
			return fail(err, errsz, "bad port '%s' (0-65535)", w[2]);
		a->port = (uint16_t)port;
		a->proto = 6;
		if (i < n && (!strcmp(w[i], "tcp") || !strcmp(w[i], "udp"))) {
			a->proto = w[i][0] == 't' ? 6 : 17;
			i++;
		}
		if (i < n && !strcmp(w[i], "exe")) {
			if (i + 2 != n)
				return fail(err, errsz, "%s", "exe takes one PATH, at the end");
			if (set_path(a->exe, w[i + 1], "exe", err, errsz) < 0)
				return -1;
			i += 2;
		}
		if (i < n)
			return fail(err, errsz, "unexpected '%s' (ADDRESS PORT [tcp|udp] [exe PATH])", w[i]);
		return 0;
	}
	return fail(err, errsz, "unknown action '%s' (exec, open, connect, bind)", w[0]);
}

static void resolve_in_place(char *path)
{
	struct enf_rule r = { .path = path };
	char out[VM_PATH_MAX];

	if (path[0] == '/' && policy_resolve_rule("/", &r, out, sizeof(out)) == 0)
		strcpy(path, out);
}

void vm_action_resolve(struct vm_action *a)
{
	if (a->op == VM_EXEC || a->op == VM_OPEN)
		resolve_in_place(a->path);
	if (a->exe[0])
		resolve_in_place(a->exe);
	if (a->parent[0])
		resolve_in_place(a->parent);
}

static const char *right_words(uint8_t need, char *buf, size_t sz)
{
	buf[0] = 0;
	for (uint8_t b = 1; b && b <= ENF_RIGHT_REFER; b <<= 1)
		if (need & b) {
			size_t l = strlen(buf);
			snprintf(buf + l, sz - l, "%s%s", l ? " " : "", policy_right_name(b));
		}
	return buf;
}

void vm_action_format(const struct vm_action *a, char *out, size_t outsz)
{
	char addr[INET6_ADDRSTRLEN] = "", rights[64];

	switch (a->op) {
	case VM_EXEC:
		snprintf(out, outsz, "exec %s%s%s%s%s%s", a->path, a->not_owner ? " not-owner" : "",
			 a->exe[0] ? " exe " : "", a->exe, a->parent[0] ? " parent " : "", a->parent);
		return;
	case VM_OPEN:
		snprintf(out, outsz, "open %s %s%s%s%s%s%s", a->path, right_words(a->need, rights, sizeof(rights)),
			 a->not_owner ? " not-owner" : "", a->exe[0] ? " exe " : "", a->exe,
			 a->parent[0] ? " parent " : "", a->parent);
		return;
	case VM_CONNECT:
	case VM_BIND:
		if (a->family == ENF_FAMILY_UNIX) {
			snprintf(out, outsz, "connect unix:%s%s%s", a->path, a->exe[0] ? " exe " : "", a->exe);
			return;
		}
		if (a->family == ENF_FAMILY_PACKET) {
			snprintf(out, outsz, "connect packet%s%s", a->exe[0] ? " exe " : "", a->exe);
			return;
		}
		if (a->family == ENF_FAMILY_RAW4 || a->family == ENF_FAMILY_RAW6) {
			snprintf(out, outsz, "connect raw %u%s%s%s", a->proto, a->family == ENF_FAMILY_RAW6 ? " ipv6" : "",
				 a->exe[0] ? " exe " : "", a->exe);
			return;
		}
		inet_ntop(a->family == 4 ? AF_INET : AF_INET6, a->addr, addr, sizeof(addr));
		snprintf(out, outsz, "%s %s %u %s%s%s", a->op == VM_CONNECT ? "connect" : "bind", addr,
			 a->port, a->proto == 17 ? "udp" : "tcp", a->exe[0] ? " exe " : "", a->exe);
		return;
	}
}

/* ---- governing policies ---- */

/* cg is cgpath or an ancestor of it ("/" is everyone's). */
static bool cg_covers(const char *cg, const char *cgpath)
{
	size_t n = strlen(cg);

	while (n > 1 && cg[n - 1] == '/')
		n--;
	if (n == 1 && cg[0] == '/')
		return true;
	return !strncmp(cg, cgpath, n) && (cgpath[n] == 0 || cgpath[n] == '/');
}

/* A cgroup named unit on cgpath's way down (cgpath included). */
static bool unit_on_path(const char *unit, const char *cgpath)
{
	size_t ul = strlen(unit);

	for (const char *s = cgpath; *s; s++) {
		if (*s != '/')
			continue;
		if (!strncmp(s + 1, unit, ul) && (s[1 + ul] == 0 || s[1 + ul] == '/'))
			return true;
	}
	return false;
}

size_t vm_governing(const struct enf_policy_set *set, const char *cgpath, size_t *idx, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < set->n; i++) {
		const struct enf_policy_src *p = &set->pol[i];
		bool gov = false;

		for (size_t k = 0; k < p->ncgroups && !gov; k++)
			gov = cg_covers(p->cgroups[k], cgpath);
		for (size_t k = 0; k < p->nunits && !gov; k++)
			gov = unit_on_path(p->units[k], cgpath);
		if (!gov)
			continue;
		if (n < max)
			idx[n] = i;
		n++;
	}
	return n;
}

/* ---- path rules (exec, file, unix:) ---- */

/* The LPM trie's answer: the longest key with tag that prefixes path's
 * first ENF_PATH_KEY_MAX bytes (the NUL counted). */
static const struct enf_path_entry *path_lookup(const struct enf_compiled *c, uint32_t tag,
						const char *path)
{
	char key[ENF_PATH_KEY_MAX];
	const struct enf_path_entry *best = NULL;
	size_t n = strlen(path);

	memset(key, 0, sizeof(key));
	memcpy(key, path, n < sizeof(key) ? n : sizeof(key));
	for (size_t i = 0; i < c->npaths; i++) {
		const struct enf_path_entry *e = &c->paths[i];
		size_t bytes = (e->k.prefixlen - 32) / 8;

		if (e->k.tag != tag || bytes > sizeof(key) || memcmp(e->k.path, key, bytes))
			continue;
		if (!best || e->k.prefixlen > best->k.prefixlen)
			best = e;
	}
	return best;
}

/* How many bytes of path a path rule's key covers, or 0 when it does not. */
static size_t rule_path_cover(const char *rp, bool dir, const char *path)
{
	size_t n = strlen(rp);

	if (!rp[0])
		return 0;
	if (!strcmp(rp, "/"))
		return 1;
	if (n > 1 && rp[n - 1] == '/') {
		if (!strncmp(rp, path, n))
			return n;
		if (!strncmp(rp, path, n - 1) && path[n - 1] == 0)
			return n;    /* the directory itself */
		return 0;
	}
	(void)dir;
	return strcmp(rp, path) ? 0 : n + 1;
}

static size_t rule_cover(const struct enf_rule *r, const char *path)
{
	size_t a = r->resolved ? rule_path_cover(r->resolved, r->dir, path) : 0;
	size_t b = r->path ? rule_path_cover(r->path, r->dir, path) : 0;

	return a > b ? a : b;
}

static void add_lost(struct vm_pol_result *pr, const struct enf_rule *r)
{
	if (pr->nlost < sizeof(pr->lost) / sizeof(pr->lost[0]))
		pr->lost[pr->nlost++] = r;
}

/* The other rules of kind that cover path, deepest first. */
static bool prog_met(const struct enf_rule *r, uint32_t m0, uint32_t m1);

/* The other rules of kind that cover path, deepest first (those with a
 * program condition: when the programs m0, m1 meet it). */
static void path_losers(const struct enf_policy_src *p, uint32_t kind, const char *path,
			const struct enf_rule *win, struct vm_pol_result *pr, uint32_t m0, uint32_t m1)
{
	for (size_t best = (size_t)-1;;) {
		size_t top = 0;
		const struct enf_rule *pick = NULL;

		for (size_t k = 0; k < p->nrules; k++) {
			const struct enf_rule *r = &p->rules[k];
			size_t cv;

			if (r == win || rule_is_ip(r) || !r->path || rule_path_kind(r) != kind || r->pattern ||
			    (kind != ENF_KIND_UNIX && !prog_met(r, m0, m1)))
				continue;
			cv = rule_cover(r, path);
			if (cv && cv < best && cv > top) {
				top = cv;
				pick = r;
			}
		}
		if (!pick)
			return;
		for (size_t k = 0; k < p->nrules; k++) {
			const struct enf_rule *r = &p->rules[k];

			if (r != win && !rule_is_ip(r) && r->path && rule_path_kind(r) == kind &&
			    !r->pattern && (kind == ENF_KIND_UNIX || prog_met(r, m0, m1)) &&
			    rule_cover(r, path) == top)
				add_lost(pr, r);
		}
		best = top;
	}
}

static const char *verdict_word(uint8_t v)
{
	return policy_verdict_name(v);
}

static uint32_t prog_mask(const struct enf_policy_src *p, const char *exe);

/* Does the program with classes m0 (its parent's: m1) meet r's condition? */
static bool prog_met(const struct enf_rule *r, uint32_t m0, uint32_t m1)
{
	return !r->prog || (((r->parent ? m1 : m0) >> ((r->prog - 1) & 31)) & 1);
}

/* The kernel's pattern matcher (pattern.bpf.c): the first pattern, most
 * specific first, that matches and whose program condition is met. */
static const struct enf_rule *pattern_best_masks(const struct enf_policy_src *p, uint32_t kind,
						 const char *path, uint32_t m0, uint32_t m1)
{
	const struct enf_rule *best = NULL;

	for (size_t k = 0; k < p->nrules; k++) {
		const struct enf_rule *r = &p->rules[k];

		if (!r->pattern || rule_path_kind(r) != kind || !prog_met(r, m0, m1))
			continue;
		if (pattern_rule_matches(r, path) && (!best || pattern_cmp(&r, &best) < 0))
			best = r;
	}
	return best;
}

/* At equal specificity the stricter (deny, readonly, allow). */
static int strict_rank(uint8_t v)
{
	return v == ENF_DENY ? 2 : v == ENF_READONLY ? 1 : 0;
}

/*
 * prog.bpf.c prog_search: over the classes of the program (m0) and of its
 * parent's (m1), their rules by path (the class's LPM entries) and the
 * class's patterns (identity entries of the files they decide): the
 * longest wins, the stricter at equal length.  Its entry in *out.
 */
static const struct enf_rule *prog_best(const struct enf_policy_src *p, const struct enf_compiled *c,
					size_t i, uint32_t kind, const char *path, uint32_t m0, uint32_t m1,
					struct enf_path_val *out)
{
	const struct enf_rule *best = NULL;

	for (uint32_t k = 0; k < 2 * 32; k++) {
		bool par = k >= 32;
		uint32_t cls = k & 31;
		const struct enf_path_entry *ek;
		const struct enf_rule *pt;
		struct enf_path_val v = {};

		if (!((((par ? m1 : m0)) >> cls) & 1))
			continue;
		for (int pass = 0; pass < 2; pass++) {
			if (pass == 0) {
				ek = path_lookup(c, ENF_TAG(0, kind, c->ids[i] | ENF_TAG_CLASS(cls + 1) |
							   (par ? ENF_TAG_PARENT : 0)), path);
				if (!ek)
					continue;
				v = ek->v;
			} else {
				pt = pattern_best_prog(p, kind, path, (uint8_t)(cls + 1), par);
				if (!pt || !pt->prog)
					continue;
				v.rule_id = pt->id;
				v.verdict = policy_rule_verdict(pt);
				v.cond = pt->cond;
				v.rights = pt->rights;
				v.plen = pattern_plen(pt);
			}
			if (best && (v.plen < out->plen ||
				     (v.plen == out->plen && strict_rank(v.verdict) <= strict_rank(out->verdict))))
				continue;
			*out = v;
			best = &p->rules[v.rule_id];
		}
	}
	return best;
}

static void judge_path(const struct enf_policy_src *p, const struct enf_compiled *c, size_t i,
		       const struct vm_action *a, struct vm_pol_result *pr)
{
	const struct enf_policy *ep = &c->pols[i];
	enum enf_hook hook = a->op == VM_EXEC ? ENF_HOOK_EXEC : ENF_HOOK_FILE;
	uint32_t kind = a->op == VM_EXEC ? ENF_KIND_EXEC : ENF_KIND_FILE;
	const struct enf_path_entry *e;
	const struct enf_rule *pat;
	struct enf_path_entry pe = {};
	struct enf_path_val pv = {};
	uint8_t need = a->op == VM_OPEN ? a->need : 0;
	bool write = a->op == VM_OPEN && a->write;
	uint32_t m0 = 0, m1 = 0;
	const struct enf_rule *prule;
	struct enf_path_entry qe = {};
	uint8_t cur;

	if (!ep->active[hook]) {
		snprintf(pr->why, sizeof(pr->why), "no [%s] rules and default allow: not judged",
			 policy_hook_name(hook));
		return;
	}
	pr->active = true;
	/* the program's classes, its parent's (program conditions) */
	if ((ep->prog_hooks >> hook) & 1) {
		m0 = prog_mask(p, a->exe);
		m1 = prog_mask(p, a->parent);
	}
	e = path_lookup(c, ENF_TAG(0, kind, c->ids[i]), a->path);
	pat = pattern_best_masks(p, kind, a->path, m0, m1);
	/* a pattern beats the literal rules of its directory and above, a
	 * literal rule below that directory beats the pattern */
	if (pat && (!e || e->v.plen < pattern_plen(pat))) {
		pv.rule_id = pat->id;
		pv.verdict = policy_rule_verdict(pat);
		pv.cond = pat->cond;
		pv.rights = pat->rights;
		pv.plen = pattern_plen(pat);
		e = &pe;
		pe.v = pv;
	} else {
		pat = NULL;
	}
	/* rules with a program condition the program (its parent's) meets:
	 * the more specific path wins over the rule above, theirs at equal
	 * length (prog.bpf.c, file.bpf.c enf_path_decide) */
	cur = e ? e->v.plen : 0;
	prule = prog_best(p, c, i, kind, a->path, m0, m1, &qe.v);
	if (prule && qe.v.plen >= cur) {
		e = &qe;
		pat = prule->pattern ? prule : NULL;
	} else {
		prule = NULL;
	}
	if (e) {
		const struct enf_rule *r = &p->rules[e->v.rule_id];
		bool file = !r->dir && r->path[strlen(r->path) - 1] != '/';

		pr->rule = r;
		pr->verdict = e->v.verdict;
		appendf(pr->why, sizeof(pr->why), "%s: %.250s",
			      pat ? "the most specific pattern matching it" :
			      file ? "the rule naming the file itself"
				   : "the most specific directory rule covering it",
			      r->resolved && strcmp(r->resolved, r->path) ? r->resolved : r->path);
		if (r->prog)
			appendf(pr->why, sizeof(pr->why), " (%s %.200s, which the action's %s is)",
				r->parent ? "parent" : "exe", p->progs[r->prog - 1],
				r->parent ? "parent process's program" : "program");
		if ((e->v.cond & (ENF_COND_OWNER | ENF_COND_OWNER_WRITE)) && e->v.verdict != ENF_DENY &&
		    a->not_owner) {
			pr->verdict = e->v.cond & ENF_COND_OWNER ? ENF_DENY : ENF_READONLY;
			pr->cond = true;
			appendf(pr->why, sizeof(pr->why), "; condition %s: the process does not own the file, so %s",
				      policy_cond_name(e->v.cond), verdict_word(pr->verdict));
		}
	} else {
		pr->verdict = ep->deflt[hook];
		appendf(pr->why, sizeof(pr->why), "no rule covers %.200s: [%s] default = %s",
			      a->path, policy_hook_name(hook), verdict_word(ep->deflt[hook]));
	}
	pr->denied = pr->verdict == ENF_DENY || (pr->verdict == ENF_READONLY && write);
	if (pr->verdict == ENF_READONLY)
		appendf(pr->why, sizeof(pr->why), "; readonly %s",
			      write ? "denies opening for write, truncate or create" : "lets reads pass");
	if (!pr->denied && need && e && (e->v.rights & need)) {
		char rights[64];

		pr->denied = true;
		pr->right = (uint8_t)((e->v.rights & need) & -(e->v.rights & need));
		appendf(pr->why, sizeof(pr->why), "; the rule %s %s",
				      e->v.verdict == ENF_ALLOW && pr->rule->verdict == ENF_ALLOW ?
				      "does not grant" : "denies",
				      right_words(e->v.rights & need, rights, sizeof(rights)));
	}
	path_losers(p, kind, a->path, pr->rule, pr, m0, m1);
	/* a rule with a program condition the action's programs do not
	 * meet: say that one matches its path */
	for (size_t k = 0; k < p->nrules; k++) {
		const struct enf_rule *r = &p->rules[k];

		if (r == pr->rule || !r->prog || rule_is_ip(r) || !r->path || rule_path_kind(r) != kind ||
		    (((r->parent ? m1 : m0) >> (r->prog - 1)) & 1) ||
		    !(r->pattern ? pattern_rule_matches(r, a->path) : rule_cover(r, a->path) != 0))
			continue;
		appendf(pr->why, sizeof(pr->why), "; for %s %.160s, the %s %.160s (line %d) may decide otherwise",
			r->parent ? "a parent process running" : "the program", p->progs[r->prog - 1],
			r->pattern ? "pattern" : "rule", r->text, r->line);
		break;
	}
}

static uint32_t prog_mask(const struct enf_policy_src *p, const char *exe);

/* unix.bpf.c unix_match: table 0, or the tables of the program's classes
 * (ENF_UNIX_TABLE; the stricter entry when several match). */
static void judge_unix(const struct enf_policy_src *p, const struct enf_compiled *c, size_t i,
		       const struct vm_action *a, struct vm_pol_result *pr)
{
	const struct enf_path_entry *e = NULL;
	uint32_t progs;

	if (!(c->pols[i].flags & ENF_POL_UNIX)) {
		snprintf(pr->why, sizeof(pr->why), "no unix: rules: Unix sockets not judged");
		return;
	}
	pr->active = true;
	progs = prog_mask(p, a->exe) & c->pols[i].unix_progs;
	if (!progs)
		e = path_lookup(c, ENF_TAG(0, ENF_KIND_UNIX, c->ids[i]), a->path);
	for (uint32_t k = 0; k < 32; k++) {
		const struct enf_path_entry *ek;

		if (!((progs >> k) & 1))
			continue;
		ek = path_lookup(c, ENF_TAG(0, ENF_KIND_UNIX, ENF_UNIX_TABLE(c->ids[i], k + 1)), a->path);
		if (ek && (!e || (ek->v.verdict == ENF_DENY && e->v.verdict != ENF_DENY)))
			e = ek;
	}
	if (!e) {
		pr->verdict = ENF_ALLOW;
		snprintf(pr->why, sizeof(pr->why),
			 "no unix: rule covers %.200s: passes (default is for IP destinations)", a->path);
		return;
	}
	pr->rule = &p->rules[e->v.rule_id];
	pr->verdict = e->v.verdict;
	pr->denied = e->v.verdict == ENF_DENY;
	snprintf(pr->why, sizeof(pr->why), "the most specific unix: rule covering %.200s%s", a->path,
		 progs ? " (for this program: a socket file over a directory, then a rule with exe over one without)" : "");
	path_losers(p, ENF_KIND_UNIX, a->path, pr->rule, pr, 0, 0);
}

/* ---- connect and bind rules ---- */

static bool prefix_match(const uint8_t *x, const uint8_t *y, unsigned plen)
{
	unsigned full = plen / 8, rest = plen % 8;

	if (memcmp(x, y, full))
		return false;
	return !rest || ((x[full] ^ y[full]) & (uint8_t)(0xff << (8 - rest))) == 0;
}

/* The program classes of policy p the action's program has. */
static uint32_t prog_mask(const struct enf_policy_src *p, const char *exe)
{
	uint32_t m = 0;

	if (!exe[0])
		return 0;
	for (size_t k = 0; k < p->nprogs && k < 32; k++) {
		char rp[VM_PATH_MAX];
		size_t n = strlen(p->progs[k]);

		if (n > 1 && p->progs[k][n - 1] == '/') {
			/* `exe DIR/`: a program anywhere below the directory */
			snprintf(rp, sizeof(rp), "%.*s", (int)(n - 1), p->progs[k]);
			resolve_in_place(rp);
			n = strlen(rp);
			if ((n == 1 || !strncmp(rp, exe, n)) && exe[n == 1 ? 0 : n] == '/')
				m |= 1u << k;
			continue;
		}
		snprintf(rp, sizeof(rp), "%s", p->progs[k]);
		resolve_in_place(rp);
		if (!strcmp(rp, exe) || !strcmp(p->progs[k], exe))
			m |= 1u << k;
	}
	return m;
}

/* The action creates a raw IP socket (`raw socket` rules match it). */
static bool raw_action(const struct vm_action *a)
{
	return a->family == ENF_FAMILY_RAW4 || a->family == ENF_FAMILY_RAW6;
}

/* The kernel's enf_net_lookup: the longest prefix entry, then its first
 * rule whose port, protocol and program match. */
static const struct enf_rule *net_lookup(const struct enf_policy_src *p, const struct enf_compiled *c,
					 uint32_t tag, unsigned alen, const uint8_t *addr,
					 const struct vm_action *a, uint32_t progs, unsigned *plen)
{
	const struct enf_net_entry *best = NULL;

	for (size_t i = 0; i < c->nnets; i++) {
		const struct enf_net_entry *e = &c->nets[i];

		if (e->k.tag != tag || e->k.prefixlen - 32 > alen * 8 ||
		    !prefix_match(e->k.addr, addr, e->k.prefixlen - 32))
			continue;
		if (!best || e->k.prefixlen > best->k.prefixlen)
			best = e;
	}
	if (!best)
		return NULL;
	*plen = best->k.prefixlen - 32;
	for (uint32_t j = 0; j < best->v.n && j < ENF_NET_SLOTS; j++) {
		const struct enf_net_rule *r = &best->v.r[j];

		if (a->port < r->port_lo || a->port > r->port_hi)
			continue;
		if (r->proto && r->proto != a->proto && !(r->proto == ENF_PROTO_RAW && raw_action(a)))
			continue;
		if (r->prog && !((progs >> ((r->prog - 1) & 31)) & 1))
			continue;
		return &p->rules[r->rule_id];
	}
	return NULL;
}

static bool rule_matches_ip(const struct enf_rule *r, enum enf_hook hook, uint8_t family,
			    const uint8_t *addr, const struct vm_action *a, uint32_t progs)
{
	return r->hook == hook && rule_is_ip(r) && r->family == family &&
	       prefix_match(r->addr, addr, r->plen) && a->port >= r->port_lo && a->port <= r->port_hi &&
	       (!r->proto || r->proto == a->proto || (r->proto == ENF_PROTO_RAW && raw_action(a))) &&
	       (!r->prog || ((progs >> (r->prog - 1)) & 1));
}

/* Why w beats l (both match): the first criterion of the compiler's order. */
static const char *beats(const struct enf_rule *w, const struct enf_rule *l)
{
	unsigned ww = (unsigned)w->port_hi - w->port_lo, wl = (unsigned)l->port_hi - l->port_lo;

	if (w->plen != l->plen)
		return w->plen > l->plen ? "a longer prefix" : "the alias's deny";
	if (ww != wl)
		return ww < wl ? "a narrower port range" : "the alias's deny";
	if ((w->proto != 0) != (l->proto != 0))
		return "a protocol-specific rule";
	if ((w->prog != 0) != (l->prog != 0))
		return "a rule with exe";
	if (rule_is_rawsock(w) && (w->proto == ENF_PROTO_RAW) != (l->proto == ENF_PROTO_RAW))
		return "a protocol's socket rule over raw socket";
	if (w->verdict != l->verdict)
		return "deny at equal specificity";
	return "written first";
}

static void judge_ip(const struct enf_policy_src *p, const struct enf_compiled *c, size_t i,
		     const struct vm_action *a, struct vm_pol_result *pr)
{
	const struct enf_policy *ep = &c->pols[i];
	enum enf_hook hook = a->op == VM_BIND ? ENF_HOOK_BIND : ENF_HOOK_CONNECT;
	uint32_t k4 = hook == ENF_HOOK_BIND ? ENF_KIND_BIND4 : ENF_KIND_NET4;
	uint32_t k6 = hook == ENF_HOOK_BIND ? ENF_KIND_BIND6 : ENF_KIND_NET6;
	uint32_t progs = (ep->prog_hooks >> hook) & 1 ? prog_mask(p, a->exe) : 0;
	const struct enf_rule *m, *ml = NULL;
	uint8_t alias_addr[16] = { 0 };
	unsigned plen = 0, plenl = 0;
	bool alias, zero4, zero6;

	if (!ep->active[hook]) {
		snprintf(pr->why, sizeof(pr->why), "no [%s] rules and default allow: not judged",
			 policy_hook_name(hook));
		return;
	}
	pr->active = true;
	zero4 = a->family == 4 && !(a->addr[0] | a->addr[1] | a->addr[2] | a->addr[3]);
	zero6 = a->family == 6;
	for (int k = 0; k < 16 && zero6; k++)
		zero6 = a->addr[k] == 0 || (k == 15 && a->addr[k] == 1 && hook == ENF_HOOK_CONNECT);
	alias = hook == ENF_HOOK_CONNECT ? (zero4 || zero6) : zero6;
	m = net_lookup(p, c, ENF_TAG(0, a->family == ENF_FAMILY_PACKET ? ENF_KIND_PACKET :
				     a->family == ENF_FAMILY_RAW4 ? ENF_KIND_RAW4 :
				     a->family == ENF_FAMILY_RAW6 ? ENF_KIND_RAW6 : a->family == 4 ? k4 : k6,
				     c->ids[i]),
		       a->family == 6 ? 16 : 4, a->addr, a, progs, &plen);
	if (alias) {
		if (hook == ENF_HOOK_CONNECT) {
			alias_addr[0] = 127;
			alias_addr[3] = 1;
		}
		ml = net_lookup(p, c, ENF_TAG(0, k4, c->ids[i]), 4, alias_addr, a, progs, &plenl);
	}
	if (ml && ml->verdict == ENF_DENY) {
		m = ml;
		appendf(pr->why, sizeof(pr->why), "the address also reaches %s, whose deny rules apply: ",
			      hook == ENF_HOOK_CONNECT ? "127.0.0.1" : "0.0.0.0");
		plen = plenl;
	}
	if (m) {
		pr->rule = m;
		pr->verdict = m->verdict;
		if (a->family == ENF_FAMILY_PACKET)
			appendf(pr->why, sizeof(pr->why), "%s",
				"the most specific matching packet rule (exe first, then deny)");
		else if (raw_action(a))
			appendf(pr->why, sizeof(pr->why), "%s",
				"the most specific matching socket rule (exe first, then a protocol over raw, then deny)");
		else
			appendf(pr->why, sizeof(pr->why), "the most specific matching rule (prefix /%u, then port range, protocol, exe, deny first)",
				plen);
	} else {
		pr->verdict = ep->deflt[hook];
		appendf(pr->why, sizeof(pr->why), "no rule matches: [%s] default = %s",
			 policy_hook_name(hook), verdict_word(pr->verdict));
	}
	pr->denied = pr->verdict == ENF_DENY;
	/* the rules that matched too and lost */
	for (size_t k = 0; k < p->nrules; k++) {
		const struct enf_rule *r = &p->rules[k];

		if (r != m && (rule_matches_ip(r, hook, a->family, a->addr, a, progs) ||
			       (alias && rule_matches_ip(r, hook, 4, alias_addr, a, progs))))
			add_lost(pr, r);
	}
}

void vm_judge(const struct enf_policy_set *set, const struct enf_compiled *c,
	      const size_t *gov, size_t ngov, const struct vm_action *a, struct vm_result *out)
{
	bool denied = false, audited = false;

	memset(out, 0, sizeof(*out));
	if (ngov > ENF_MAX_STACK) {
		/* the kernel's govern(): more than it can walk fails closed */
		out->fail_closed = true;
		out->outcome = VM_DENIED;
		return;
	}
	for (size_t g = 0; g < ngov; g++) {
		size_t i = gov[g];
		const struct enf_policy_src *p = &set->pol[i];
		for (int pass = 0; pass < (a->op == VM_EXEC ? 2 : 1); pass++) {
			struct vm_pol_result *pr = &out->r[out->n++];

			pr->pol = i;
			if (a->op == VM_EXEC && pass == 0) {
				/* exec opens the program first: [file] judges a read */
				struct vm_action o = *a;

				o.op = VM_OPEN;
				o.need = ENF_RIGHT_READ;
				o.write = false;
				pr->hook = ENF_HOOK_FILE;
				judge_path(p, c, i, &o, pr);
			} else if (a->op == VM_EXEC || a->op == VM_OPEN) {
				pr->hook = a->op == VM_EXEC ? ENF_HOOK_EXEC : ENF_HOOK_FILE;
				judge_path(p, c, i, a, pr);
			} else if (a->family == ENF_FAMILY_UNIX) {
				pr->hook = ENF_HOOK_CONNECT;
				judge_unix(p, c, i, a, pr);
			} else {
				pr->hook = a->op == VM_BIND ? ENF_HOOK_BIND : ENF_HOOK_CONNECT;
				judge_ip(p, c, i, a, pr);
			}
			if (pr->denied) {
				if (p->mode == ENF_MODE_AUDIT)
					audited = true;
				else
					denied = true;
			}
		}
	}
	out->outcome = denied ? VM_DENIED : audited ? VM_AUDITED : VM_ALLOWED;
}

const char *vm_why_over(const struct enf_rule *w, const struct enf_rule *l, const char *path)
{
	size_t cw, cl;

	if (rule_is_ip(w) && rule_is_ip(l))
		return beats(w, l);
	if (w->pattern)
		return "a pattern over the rules of its literal directory and above";
	cw = rule_cover(w, path);
	cl = rule_cover(l, path);
	if (cw != cl)
		return "more specific (a file over a directory, a deeper directory over a shallower one)";
	return "the same path: deny over readonly over allow, a condition first";
}
