// SPDX-License-Identifier: GPL-2.0-only
/*
 * policy_compile.c - parsed policies into BPF map entries (generation bit 0;
 * the loader sets the live one).
 *
 * Exec and file rules become LPM-trie keys (tag, path bytes):
 *   file "/etc/shadow" -> "/etc/shadow\0"      only that exact path
 *   dir  "/usr/"       -> "/usr/" (everything below) and "/usr\0" (itself)
 *   dir  "/"           -> "/"                   everything
 * The trie's longest match gives "a file over a directory, a deeper
 * directory over a shallower one" (the value's plen: the key's path
 * bytes, its specificity); the same key from two rules keeps the
 * most restrictive (deny > readonly > allow; at one verdict, a rule with
 * an owner condition, then the one denying more rights) and that rule's id.
 *
 * Connect and bind rules become one LPM entry per distinct prefix written
 * in a policy (and hook), whose value lists every rule of that prefix and
 * of the shorter prefixes covering it, most specific first (longer prefix,
 * narrower port range, protocol before any, a program (`exe`) before any,
 * deny before allow).  unix: connect rules are path keys of kind
 * ENF_KIND_UNIX, like file rules; those with `exe` go to their program
 * class's table (ENF_UNIX_TABLE), with a copy of every rule without `exe`
 * whose key no rule of the class has.  `packet` rules: one entry with no
 * address (kind ENF_KIND_PACKET, prefix 0); `PROTO socket` rules (raw
 * sockets' creation) one entry per family (ENF_KIND_RAW4, _RAW6, prefix 0;
 * a protocol's rule before `raw socket`).  The BPF side does one
 * lookup and takes the first entry whose port and protocol match.
 *
 * Exec and file rules with a program condition (`exe`, `parent`) are
 * keyed under their class's tag (rule_tag_id): the BPF side looks them up
 * only for a task whose program is in the class; the more specific path
 * wins, a program's rule at equal length (bpf-lsm/prog.bpf.c).
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include "array.h"
#include "capability.h"
#include "policy.h"

struct cstate {
	const struct enf_policy_set *set;
	struct enf_compiled *out;
	struct enf_errors *err;
	size_t paths_cap, nets_cap;
	int rc;
};

static void oom(struct cstate *cs, const struct enf_policy_src *p)
{
	if (cs->rc == 0 || !cs->err->n)
		errors_add(cs->err, p->file, 0, "out of memory");
	cs->rc = -1;
}

/* ---- exec and file rules ---- */

static void add_path_key(struct cstate *cs, const struct enf_policy_src *p, uint32_t id,
			 const struct enf_rule *r, const char *s, size_t n, bool nul)
{
	struct enf_path_entry *e;
	size_t bytes = n + (nul ? 1 : 0);

	if (bytes > ENF_PATH_KEY_MAX) {
		errors_add(cs->err, p->file, r->line, "path too long (max %d bytes)",
			   ENF_PATH_KEY_MAX - 1);
		cs->rc = -1;
		return;
	}
	/* room is made for a key per rule at once: no call for most */
	if (cs->out->npaths >= cs->paths_cap &&
	    !array_grow((void **)&cs->out->paths, &cs->paths_cap, cs->out->npaths + 1, sizeof(*e))) {
		oom(cs, p);
		return;
	}
	e = &cs->out->paths[cs->out->npaths++];
	memset(e, 0, sizeof(*e));
	e->k.prefixlen = (uint32_t)(32 + 8 * bytes);
	e->k.tag = ENF_TAG(0, rule_path_kind(r), rule_tag_id(r, id));
	memcpy(e->k.path, s, n);    /* the NUL, when counted, is already there */
	e->v.plen = (uint8_t)bytes;
	e->v.rule_id = r->id;
	e->v.verdict = policy_rule_verdict(r);
	e->v.cond = r->cond;
	e->v.rights = r->rights;
}

static void add_path_rule(struct cstate *cs, const struct enf_policy_src *p, uint32_t id,
			  const struct enf_rule *r, const char *s)
{
	size_t n = strlen(s);

	if (n == 0)
		return;
	if (n > 1 && s[n - 1] == '/') {
		add_path_key(cs, p, id, r, s, n, false);        /* "/usr/": below */
		add_path_key(cs, p, id, r, s, n - 1, true);     /* "/usr\0": itself */
	} else if (r->dir) {
		add_path_key(cs, p, id, r, s, n, false);        /* "/" */
	} else {
		add_path_key(cs, p, id, r, s, n, true);         /* "/etc/shadow\0" */
	}
}

static int cmp_path_key(const struct enf_path_entry *a, const struct enf_path_entry *b)
{
	if (a->k.tag != b->k.tag)
		return a->k.tag < b->k.tag ? -1 : 1;
	if (a->k.prefixlen != b->k.prefixlen)
		return a->k.prefixlen < b->k.prefixlen ? -1 : 1;
	return memcmp(a->k.path, b->k.path, (a->k.prefixlen - 32) / 8);
}

/* The keys of one path or unix: rule: its name as resolved, and as written. */
static void add_rule_keys(struct cstate *cs, const struct enf_policy_src *p, uint32_t id,
			  const struct enf_rule *r)
{
	if (r->resolved) {
		add_path_rule(cs, p, id, r, r->resolved);
		if (r->resolved != r->path && strcmp(r->resolved, r->path))
			add_path_rule(cs, p, id, r, r->path);
	} else if (r->path) {
		add_path_rule(cs, p, id, r, r->path);
	}
}

/*
 * The table of program class cls for a policy's unix: rules: the rules
 * naming that program, then every rule without `exe` at a key none of
 * them has (a rule with exe wins over one without at one name; the name's
 * depth still comes first, by the LPM).
 */
static void add_unix_table(struct cstate *cs, const struct enf_policy_src *p, uint32_t id,
			   uint8_t cls)
{
	uint32_t tag = ENF_TAG(0, ENF_KIND_UNIX, ENF_UNIX_TABLE(id, cls));
	size_t start = cs->out->npaths, mid, w;

	for (size_t k = 0; k < p->nrules; k++)
		if (p->rules[k].family == ENF_FAMILY_UNIX && p->rules[k].prog == cls)
			add_rule_keys(cs, p, id, &p->rules[k]);
	mid = cs->out->npaths;
	for (size_t k = 0; k < p->nrules; k++)
		if (p->rules[k].family == ENF_FAMILY_UNIX && !p->rules[k].prog)
			add_rule_keys(cs, p, id, &p->rules[k]);
	if (cs->rc < 0)
		return;
	for (size_t i = start; i < cs->out->npaths; i++)
		cs->out->paths[i].k.tag = tag;
	/* drop the copies whose key a rule of the class holds */
	w = mid;
	for (size_t i = mid; i < cs->out->npaths; i++) {
		bool taken = false;

		for (size_t j = start; j < mid && !taken; j++)
			taken = !cmp_path_key(&cs->out->paths[j], &cs->out->paths[i]);
		if (!taken)
			cs->out->paths[w++] = cs->out->paths[i];
	}
	cs->out->npaths = w;
}

static int verdict_rank(uint8_t v)
{
	return v == ENF_DENY ? 2 : v == ENF_READONLY ? 1 : 0;
}

/* At one verdict, a rule with an owner condition denies more. */
static int cond_rank(uint8_t c)
{
	return c & ENF_COND_OWNER ? 2 : c & ENF_COND_OWNER_WRITE ? 1 : 0;
}

static int cmp_path_entry(const void *x, const void *y)
{
	const struct enf_path_entry *a = x, *b = y;
	int c = cmp_path_key(a, b);

	if (c)
		return c;
	/* the entry that survives first: more restrictive, then lower id */
	if (verdict_rank(a->v.verdict) != verdict_rank(b->v.verdict))
		return verdict_rank(b->v.verdict) - verdict_rank(a->v.verdict);
	if (cond_rank(a->v.cond) != cond_rank(b->v.cond))
		return cond_rank(b->v.cond) - cond_rank(a->v.cond);
	if (__builtin_popcount(a->v.rights) != __builtin_popcount(b->v.rights))
		return __builtin_popcount(b->v.rights) - __builtin_popcount(a->v.rights);
	return (a->v.rule_id > b->v.rule_id) - (a->v.rule_id < b->v.rule_id);
}

/* A hash of a key's tag, length and path bytes: 8 bytes a step, each
 * step mixed down (the table takes the low bits). */
_Static_assert(ENF_PATH_KEY_MAX % 8 == 0, "key_hash reads whole words of a key's path");

static uint64_t key_hash(const struct enf_path_key *k)
{
	size_t n = (k->prefixlen - 32) / 8, i = 0;
	uint64_t h = 0xcbf29ce484222325ull ^ ((uint64_t)k->tag << 32 | k->prefixlen);

	if (n > ENF_PATH_KEY_MAX)
		n = ENF_PATH_KEY_MAX;
	for (;; i += 8) {
		uint64_t w;

		if (i >= n)
			break;
		/* whole words: the key's bytes after its path are zero
		 * (add_path_key), what a shorter copy into w = 0 would give; the
		 * last word, at 240, ends at ENF_PATH_KEY_MAX */
		memcpy(&w, k->path + i, 8);
		h = (h ^ w) * 0x9e3779b97f4a7c15ull;
		h ^= h >> 29;
	}
	h *= 0xbf58476d1ce4e5b9ull;
	return h ^ (h >> 31);
}

/*
 * One entry per key, the one cmp_path_entry() puts first (the most
 * restrictive, then the lowest rule id), each where its key first came
 * (an order that follows from the rules alone): found through a hash
 * table, not by sorting 10,000 entries of 264 bytes.  Without memory for
 * the table, sorted by key.
 */
static void dedupe_paths(struct enf_compiled *c)
{
	size_t w = 0, cap = 16;
	uint32_t *tab;

	if (!c->npaths)
		return;
	while (cap < 2 * c->npaths)
		cap *= 2;
	tab = c->npaths < UINT32_MAX / 2 ? calloc(cap, sizeof(*tab)) : NULL;
	if (tab) {
		for (size_t i = 0; i < c->npaths; i++) {
			size_t j = key_hash(&c->paths[i].k) & (cap - 1);

			/* tab: an entry's place in the output + 1; 0 free */
			while (tab[j] && cmp_path_key(&c->paths[tab[j] - 1], &c->paths[i]))
				j = (j + 1) & (cap - 1);
			if (tab[j]) {
				if (cmp_path_entry(&c->paths[i], &c->paths[tab[j] - 1]) < 0)
					c->paths[tab[j] - 1] = c->paths[i];
				continue;
			}
			if (w != i)
				c->paths[w] = c->paths[i];
			tab[j] = (uint32_t)++w;
		}
		free(tab);
		c->npaths = w;
		return;
	}
	qsort(c->paths, c->npaths, sizeof(*c->paths), cmp_path_entry);
	for (size_t i = 0; i < c->npaths; i++) {
		if (w && !cmp_path_key(&c->paths[w - 1], &c->paths[i]))
			continue;
		c->paths[w++] = c->paths[i];
	}
	c->npaths = w;
}

/* ---- connect rules ---- */

struct netctx {
	const struct enf_rule *rules;   /* the policy's rules */
	size_t *idx;                    /* rules of one family, sorted by prefix */
	size_t n;
	unsigned alen;                  /* 4 or 16 */
};

static void mask(uint8_t *out, const uint8_t *in, unsigned alen, unsigned plen)
{
	for (unsigned i = 0; i < alen; i++) {
		unsigned bit = i * 8;
		if (bit >= plen)
			out[i] = 0;
		else if (plen - bit < 8)
			out[i] = in[i] & (uint8_t)(0xff << (8 - (plen - bit)));
		else
			out[i] = in[i];
	}
}

static int cmp_prefix(const struct enf_rule *a, unsigned plen, const uint8_t *addr, unsigned alen)
{
	if (a->plen != plen)
		return a->plen < plen ? -1 : 1;
	return memcmp(a->addr, addr, alen);
}

static int cmp_by_prefix(const void *x, const void *y, void *arg)
{
	const struct netctx *ctx = arg;
	const struct enf_rule *a = &ctx->rules[*(const size_t *)x];
	const struct enf_rule *b = &ctx->rules[*(const size_t *)y];
	int c = cmp_prefix(a, b->plen, b->addr, ctx->alen);

	return c ? c : (a->id > b->id) - (a->id < b->id);
}

/* Most specific first; see the comment at the top. */
static int cmp_specific(const void *x, const void *y)
{
	const struct enf_rule *a = *(const struct enf_rule *const *)x;
	const struct enf_rule *b = *(const struct enf_rule *const *)y;
	unsigned wa = (unsigned)a->port_hi - a->port_lo, wb = (unsigned)b->port_hi - b->port_lo;

	if (a->plen != b->plen)
		return a->plen > b->plen ? -1 : 1;
	if (wa != wb)
		return wa < wb ? -1 : 1;
	if ((a->proto != 0) != (b->proto != 0))
		return a->proto ? -1 : 1;
	if ((a->prog != 0) != (b->prog != 0))
		return a->prog ? -1 : 1;
	/* raw sockets' creation: a protocol's rule (icmp socket) before raw socket */
	if (rule_is_rawsock(a) && (a->proto == ENF_PROTO_RAW) != (b->proto == ENF_PROTO_RAW))
		return a->proto == ENF_PROTO_RAW ? 1 : -1;
	if (a->verdict != b->verdict)
		return a->verdict == ENF_DENY ? -1 : 1;
	return (a->id > b->id) - (a->id < b->id);
}

/* First index in ctx->idx whose prefix is (plen, addr), or ctx->n. */
static size_t find_prefix(const struct netctx *ctx, unsigned plen, const uint8_t *addr)
{
	size_t lo = 0, hi = ctx->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (cmp_prefix(&ctx->rules[ctx->idx[mid]], plen, addr, ctx->alen) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < ctx->n && !cmp_prefix(&ctx->rules[ctx->idx[lo]], plen, addr, ctx->alen))
		return lo;
	return ctx->n;
}

/* Can an entry like b ever be chosen after a? Not when a matches all it does. */
static bool shadows(const struct enf_rule *a, const struct enf_rule *b)
{
	return a->port_lo <= b->port_lo && a->port_hi >= b->port_hi &&
	       (a->proto == 0 || a->proto == b->proto) && (a->prog == 0 || a->prog == b->prog);
}

static void compile_family(struct cstate *cs, const struct enf_policy_src *p, uint32_t id,
			   enum enf_hook hook, uint8_t family, bool *reported)
{
	struct netctx ctx = { .rules = p->rules, .alen = family == 6 ? 16 : 4 };
	const struct enf_rule **cand = NULL;
	size_t ncand_cap = 0;

	for (size_t i = 0; i < p->nrules; i++)
		if (p->rules[i].hook == hook && p->rules[i].family == family)
			ctx.n++;
	if (!ctx.n)
		return;
	ctx.idx = malloc(ctx.n * sizeof(*ctx.idx));
	if (!ctx.idx) {
		oom(cs, p);
		return;
	}
	ctx.n = 0;
	for (size_t i = 0; i < p->nrules; i++)
		if (p->rules[i].hook == hook && p->rules[i].family == family)
			ctx.idx[ctx.n++] = i;
	qsort_r(ctx.idx, ctx.n, sizeof(*ctx.idx), cmp_by_prefix, &ctx);

	for (size_t g = 0; g < ctx.n;) {
		const struct enf_rule *P = &p->rules[ctx.idx[g]];
		size_t gend = g, ncand = 0, nkept = 0;
		struct enf_net_entry *e;

		while (gend < ctx.n && !cmp_prefix(&p->rules[ctx.idx[gend]], P->plen, P->addr, ctx.alen))
			gend++;

		/* every written prefix covering P, P's own included */
		for (unsigned l = 0; l <= P->plen; l++) {
			uint8_t a[16];
			size_t k;

			mask(a, P->addr, ctx.alen, l);
			for (k = find_prefix(&ctx, l, a);
			     k < ctx.n && !cmp_prefix(&p->rules[ctx.idx[k]], l, a, ctx.alen); k++) {
				if (!array_grow((void **)&cand, &ncand_cap, ncand + 1, sizeof(*cand))) {
					oom(cs, p);
					goto out;
				}
				cand[ncand++] = &p->rules[ctx.idx[k]];
			}
		}
		qsort(cand, ncand, sizeof(*cand), cmp_specific);
		for (size_t i = 0; i < ncand; i++) {
			size_t k;
			for (k = 0; k < nkept && !shadows(cand[k], cand[i]); k++)
				;
			if (k == nkept)
				cand[nkept++] = cand[i];
		}
		if (nkept > ENF_NET_SLOTS) {
			/* blame P's own rule written last: it made the node overflow */
			const struct enf_rule *last = P;
			for (size_t k = g; k < gend; k++)
				if (p->rules[ctx.idx[k]].line > last->line)
					last = &p->rules[ctx.idx[k]];
			if (!reported[last->id])
				errors_add(cs->err, p->file, last->line,
					   "too many overlapping %s rules (max %d)", policy_hook_name(hook),
					   ENF_NET_SLOTS);
			reported[last->id] = true;
			cs->rc = -1;
			g = gend;
			continue;
		}
		if (!array_grow((void **)&cs->out->nets, &cs->nets_cap, cs->out->nnets + 1, sizeof(*e))) {
			oom(cs, p);
			goto out;
		}
		e = &cs->out->nets[cs->out->nnets++];
		memset(e, 0, sizeof(*e));
		e->k.prefixlen = 32u + P->plen;
		e->k.tag = ENF_TAG(0, family == ENF_FAMILY_PACKET ? ENF_KIND_PACKET :
				      family == ENF_FAMILY_RAW4 ? ENF_KIND_RAW4 :
				      family == ENF_FAMILY_RAW6 ? ENF_KIND_RAW6 :
				      hook == ENF_HOOK_BIND ? (family == 4 ? ENF_KIND_BIND4 : ENF_KIND_BIND6)
							    : (family == 4 ? ENF_KIND_NET4 : ENF_KIND_NET6), id);
		memcpy(e->k.addr, P->addr, ctx.alen);
		e->v.n = (uint32_t)nkept;
		for (size_t i = 0; i < nkept; i++) {
			e->v.r[i].port_lo = cand[i]->port_lo;
			e->v.r[i].port_hi = cand[i]->port_hi;
			e->v.r[i].proto = cand[i]->proto;
			e->v.r[i].verdict = cand[i]->verdict;
			e->v.r[i].rule_id = cand[i]->id;
			e->v.r[i].prog = cand[i]->prog;
		}
		g = gend;
	}
out:
	free(cand);
	free(ctx.idx);
}

/* ---- the policy set ---- */

int policy_compile(const struct enf_policy_set *set, const uint32_t *ids,
		   struct enf_compiled *out, struct enf_errors *err)
{
	struct cstate cs = { .set = set, .out = out, .err = err };

	memset(out, 0, sizeof(*out));
	if (set->n > ENF_MAX_POLICIES) {
		errors_add(err, set->pol[ENF_MAX_POLICIES].file, set->pol[ENF_MAX_POLICIES].line,
			   "too many policies (max %d)", ENF_MAX_POLICIES);
		return -1;
	}
	if (set->n) {
		out->pols = calloc(set->n, sizeof(*out->pols));
		out->ids = calloc(set->n, sizeof(*out->ids));
		if (!out->pols || !out->ids) {
			errors_add(err, set->pol[0].file, 0, "out of memory");
			policy_compiled_free(out);
			return -1;
		}
	}
	out->npols = set->n;
	/* a key per rule, at once (10,000 rules: no copies of a growing array;
	 * a directory or a rule named through a symbolic link adds more) */
	{
		size_t total = 0;

		for (size_t i = 0; i < set->n; i++)
			total += set->pol[i].nrules;
		if (total && !array_grow((void **)&out->paths, &cs.paths_cap, total, sizeof(*out->paths))) {
			errors_add(err, set->pol[0].file, 0, "out of memory");
			policy_compiled_free(out);
			return -1;
		}
	}

	for (size_t i = 0; i < set->n; i++) {
		const struct enf_policy_src *p = &set->pol[i];
		struct enf_policy *ep = &out->pols[i];
		uint32_t id = ids ? ids[i] : (uint32_t)i;
		size_t per_hook[ENF_HOOK_MAX] = { 0 };
		bool *reported;

		if (id >= ENF_MAX_POLICIES) {
			errors_add(err, p->file, p->line, "policy id %u out of range (max %d)",
				   id, ENF_MAX_POLICIES - 1);
			cs.rc = -1;
			continue;
		}
		out->ids[i] = id;
		ep->used = 1;
		ep->mode = p->mode;
		for (size_t k = 0; k < p->nrules; k++) {
			const struct enf_rule *r = &p->rules[k];

			if (r->hook >= ENF_HOOK_MAX)
				continue;
			per_hook[r->hook]++;
			if (r->prog && r->family != ENF_FAMILY_UNIX) {
				const char *e = p->progs[r->prog - 1];

				/* unix: rules with exe have tables of their own (unix_progs) */
				ep->prog_hooks |= (uint8_t)(1u << r->hook);
				if (r->parent)
					ep->prog_hooks |= ENF_PROG_PARENT;
				if (e[strlen(e) - 1] == '/')
					ep->prog_hooks |= ENF_PROG_DIRS;
			}
			if (r->family == ENF_FAMILY_UNIX) {
				ep->flags |= ENF_POL_UNIX;
				if (r->prog) {
					ep->unix_progs |= 1u << (r->prog - 1);
					/* `exe DIR/`: the walk up from the program */
					if (p->progs[r->prog - 1][strlen(p->progs[r->prog - 1]) - 1] == '/')
						ep->prog_hooks |= ENF_PROG_DIRS;
				}
			}
			/* patterns are matched by the inode walk (enf_pattern entries,
			 * filled with the identities) */
			if (rule_is_ip(r) || (r->family == ENF_FAMILY_UNIX && r->prog) || r->pattern)
				continue;
			/* the name as written too, in case the link changes later */
			add_rule_keys(&cs, p, id, r);
		}
		for (uint8_t cls = 1; cls <= ENF_PROG_CLASSES; cls++)
			if (ep->unix_progs & (1u << (cls - 1)))
				add_unix_table(&cs, p, id, cls);
		ep->cap_deny = policy_cap_deny(p);
		for (int h = 0; h < ENF_HOOK_MAX; h++) {
			ep->deflt[h] = p->sec[h].present ? p->sec[h].deflt : ENF_ALLOW;
			ep->active[h] = per_hook[h] > 0 || ep->deflt[h] != ENF_ALLOW;
		}
		if (!per_hook[ENF_HOOK_CONNECT] && !per_hook[ENF_HOOK_BIND])
			continue;
		reported = calloc(p->nrules, sizeof(*reported));
		if (!reported) {
			oom(&cs, p);
			continue;
		}
		compile_family(&cs, p, id, ENF_HOOK_CONNECT, 4, reported);
		compile_family(&cs, p, id, ENF_HOOK_CONNECT, 6, reported);
		compile_family(&cs, p, id, ENF_HOOK_CONNECT, ENF_FAMILY_PACKET, reported);
		compile_family(&cs, p, id, ENF_HOOK_CONNECT, ENF_FAMILY_RAW4, reported);
		compile_family(&cs, p, id, ENF_HOOK_CONNECT, ENF_FAMILY_RAW6, reported);
		compile_family(&cs, p, id, ENF_HOOK_BIND, 4, reported);
		compile_family(&cs, p, id, ENF_HOOK_BIND, 6, reported);
		free(reported);
	}
	dedupe_paths(out);
	if (cs.rc < 0) {
		policy_compiled_free(out);
		return -1;
	}
	static uint64_t serials;
	out->serial = ++serials;
	return 0;
}

uint64_t policy_cap_deny(const struct enf_policy_src *p)
{
	uint64_t deny = ENF_CAP_DEFAULT_DENY;

	/* A host-wide baseline governs PID 1, the admin and enforcerd too:
	 * it confines no privilege unless its [capabilities] says so. */
	if (policy_is_hostwide(p) && p->caps.deflt == CAPS_DEFAULT_CONFINE)
		deny = 0;
	if (p->caps.deflt == CAPS_DEFAULT_DENY)
		deny = ENF_CAP_ALL;
	else if (p->caps.deflt == CAPS_DEFAULT_ALLOW)
		deny = 0;
	return (deny | p->caps.deny) & ~p->caps.allow;
}

void policy_compiled_free(struct enf_compiled *c)
{
	if (!c)
		return;
	free(c->paths);
	free(c->nets);
	free(c->pols);
	free(c->ids);
	memset(c, 0, sizeof(*c));
}
