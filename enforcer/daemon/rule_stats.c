// SPDX-License-Identifier: GPL-2.0-only
/*
 * rule_stats.c - rule hit counters as the control socket shows them: each
 * rule's (and each section default's) allowed, denied and audited matches
 * since load, for `stats rules [unused]`, the per-policy "rules" of the
 * JSON `stats` and the enforcer_rule_hits_total series of `stats
 * prometheus`.  The kernel counts them (enf_account, bpf-lsm/audit.bpf.c).
 */
#include <stdio.h>
#include <string.h>
#include "daemon.h"
#include "shadow_model.h"
#include "handlers.h"
#include "json.h"
#include "policy.h"
#include "proto.h"

/* One rule of a policy, or a section's default (rule == NULL). */
struct rule_row {
	const struct enf_policy_src *pol;
	uint32_t hook;
	const struct enf_rule *rule;
	struct enf_hits hits;
};

typedef void (*rule_fn)(const struct rule_row *row, void *ctx);

static bool row_used(const struct rule_row *r)
{
	return r->hits.allowed || r->hits.denied || r->hits.audited;
}

/* Every rule of policy i of the live set, then each present section's default. */
static void policy_rows(size_t i, rule_fn fn, void *ctx)
{
	const struct enf_policy_src *p = &D.cur.pol[i];
	struct rule_row row = { .pol = p };

	for (size_t r = 0; r < p->nrules; r++) {
		row.rule = &p->rules[r];
		row.hook = p->rules[r].hook;
		rule_hits_get(D.cur_ids[i], row.hook, p->rules[r].id, &row.hits);
		fn(&row, ctx);
	}
	row.rule = NULL;
	for (uint32_t h = 0; h < ENF_HOOK_MAX; h++) {
		if (!p->sec[h].present)
			continue;
		row.hook = h;
		rule_hits_get(D.cur_ids[i], h, ENF_RULE_DEFAULT, &row.hits);
		fn(&row, ctx);
	}
}

static void row_fields(struct jbuf *b, const struct rule_row *r)
{
	jb_kstr(b, "hook", policy_hook_name(r->hook));
	jb_kint(b, "line", r->rule ? r->rule->line : 0);
	jb_kstr(b, "rule", r->rule ? r->rule->text : "default");
	jb_kuint(b, "allowed", r->hits.allowed);
	jb_kuint(b, "denied", r->hits.denied);
	jb_kuint(b, "audited", r->hits.audited);
}

/* Is row r listed under mode?  PROTO_RULES_NONE (the JSON stats): the
 * rules that matched; ALL: every rule; UNUSED: those that never matched. */
static bool row_wanted(int mode, const struct rule_row *r)
{
	switch (mode) {
	case PROTO_RULES_ALL:
		return true;
	case PROTO_RULES_UNUSED:
		return !row_used(r);
	default:
		return row_used(r);
	}
}

struct list_ctx {
	struct jbuf *b;
	int mode;               /* PROTO_RULES_*; NONE: rules with hits */
	size_t listed, omitted, max;
	bool with_policy;
};

static void list_row(const struct rule_row *r, void *vctx)
{
	struct list_ctx *c = vctx;

	if (!row_wanted(c->mode, r))
		return;
	if (c->listed >= c->max) {
		c->omitted++;
		return;
	}
	c->listed++;
	jb_obj_open(c->b);
	if (c->with_policy) {
		jb_kstr(c->b, "policy", r->pol->name);
		jb_kstr(c->b, "file", r->pol->file);
	}
	row_fields(c->b, r);
	jb_obj_close(c->b);
}

int handle_stats_rules(struct jbuf *b, int mode)
{
	struct list_ctx c = { .b = b, .mode = mode, .max = PROTO_RULES_LIST, .with_policy = true };

	jb_obj_open(b);
	jb_kbool(b, "ok", true);
	jb_kuint(b, "generation", D.generation);
	jb_key(b, "rules");
	jb_arr_open(b);
	for (size_t i = 0; i < D.cur.n; i++)
		/* the shadow's observation policy has no rules of anyone's */
		if (strcmp(D.cur.pol[i].name, SHADOW_OBSERVE_NAME))
			policy_rows(i, list_row, &c);
	jb_arr_close(b);
	jb_kuint(b, "rules_omitted", c.omitted);
	jb_kuint(b, "rule_hits_lost", audit_counter(ENF_CNT_HITS_LOST));
	jb_obj_close(b);
	return 0;
}

/* The "rules" of policy i in the JSON stats: those that matched, within the
 * shared budget *left (PROTO_RULES_METRICS over all policies). */
void stats_json_rules(struct jbuf *b, size_t i, size_t *left, size_t *omitted)
{
	struct list_ctx c = { .b = b, .mode = PROTO_RULES_NONE, .max = *left };

	jb_key(b, "rules");
	jb_arr_open(b);
	policy_rows(i, list_row, &c);
	jb_arr_close(b);
	*left -= c.listed;
	*omitted += c.omitted;
}

/* A Prometheus label value: backslash, double quote and newline escaped,
 * at most 160 bytes of the rule. */
static void label_value(char *out, size_t outsz, const char *s)
{
	size_t o = 0;

	for (size_t i = 0; s[i] && i < 160 && o + 3 < outsz; i++) {
		if (s[i] == '\\' || s[i] == '"') {
			out[o++] = '\\';
			out[o++] = s[i];
		} else if (s[i] == '\n') {
			out[o++] = '\\';
			out[o++] = 'n';
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = 0;
}

struct prom_ctx {
	struct jbuf *t;
	size_t listed, omitted;
};

static void prom_row(const struct rule_row *r, void *vctx)
{
	static const char *outcome[] = { "allowed", "denied", "audited" };
	struct prom_ctx *c = vctx;
	uint64_t v[3] = { r->hits.allowed, r->hits.denied, r->hits.audited };
	char rule[400], line[640];

	if (!row_used(r))
		return;
	if (c->listed >= PROTO_RULES_METRICS) {
		c->omitted++;
		return;
	}
	c->listed++;
	label_value(rule, sizeof(rule), r->rule ? r->rule->text : "default");
	for (int k = 0; k < 3; k++) {
		/* policy names are [A-Za-z0-9_.-]: no escaping needed */
		int n = snprintf(line, sizeof(line),
				 "enforcer_rule_hits_total{policy=\"%s\",hook=\"%s\",line=\"%d\","
				 "rule=\"%s\",outcome=\"%s\"} %llu\n", r->pol->name,
				 policy_hook_name(r->hook), r->rule ? r->rule->line : 0, rule,
				 outcome[k], (unsigned long long)v[k]);

		if (n > 0 && (size_t)n < sizeof(line))
			jb_raw(c->t, line, n);
	}
}

void stats_prometheus_rules(struct jbuf *t)
{
	struct prom_ctx c = { .t = t };
	char line[512];

	snprintf(line, sizeof(line), "# HELP enforcer_rule_hits_total Matches of each rule since load "
		 "(rules that matched, at most %d).\n# TYPE enforcer_rule_hits_total counter\n",
		 PROTO_RULES_METRICS);
	jb_raw(t, line, strlen(line));
	for (size_t i = 0; i < D.cur.n; i++)
		policy_rows(i, prom_row, &c);
	snprintf(line, sizeof(line), "# HELP enforcer_rule_series_omitted Rules that matched but are "
		 "not listed (cardinality bound).\n# TYPE enforcer_rule_series_omitted gauge\n"
		 "enforcer_rule_series_omitted %zu\n"
		 "# HELP enforcer_rule_hits_lost_total Rule matches not counted (counter map full).\n"
		 "# TYPE enforcer_rule_hits_lost_total counter\nenforcer_rule_hits_lost_total %llu\n",
		 c.omitted, (unsigned long long)audit_counter(ENF_CNT_HITS_LOST));
	jb_raw(t, line, strlen(line));
}
