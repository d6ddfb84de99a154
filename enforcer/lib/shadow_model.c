// SPDX-License-Identifier: GPL-2.0-only
/*
 * shadow_model.c - judging one observed action by the live set and by the
 * candidate with the offline matching model, the observation policy's
 * text, and the bounded report of the actions judged differently
 * (shadow_model.h).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "array.h"
#include "shadow_model.h"

/* ---- the observation policy ---- */

/* path is below (or is) one of the others kept before it */
static bool covered(char **paths, size_t n, size_t self, const char *path)
{
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(paths[i]);

		if (i == self)
			continue;
		if (!strcmp(paths[i], path)) {
			if (i < self)   /* the same path twice: the first is kept */
				return true;
			continue;
		}
		if (!strcmp(paths[i], "/") || (!strncmp(paths[i], path, l) && path[l] == '/'))
			return true;
	}
	return false;
}

char *shadow_observe_ini(const struct enf_policy_set *cand, struct enf_errors *err)
{
	char **cg = NULL, **un = NULL, *out = NULL;
	size_t ncg = 0, cgcap = 0, nun = 0, uncap = 0, len = 0;
	FILE *f;
	size_t nbound = 0;

	for (size_t i = 0; i < cand->n; i++) {
		const struct enf_policy_src *p = &cand->pol[i];

		for (size_t k = 0; k < p->ncgroups; k++) {
			if (!array_grow((void **)&cg, &cgcap, ncg + 1, sizeof(*cg)))
				goto oom;
			cg[ncg++] = p->cgroups[k];
		}
		for (size_t k = 0; k < p->nunits; k++) {
			bool dup = false;

			for (size_t j = 0; j < nun; j++)
				dup |= !strcmp(un[j], p->units[k]);
			if (dup)
				continue;
			if (!array_grow((void **)&un, &uncap, nun + 1, sizeof(*un)))
				goto oom;
			un[nun++] = p->units[k];
		}
	}
	f = open_memstream(&out, &len);
	if (!f)
		goto oom;
	fprintf(f, "; written by enforcerd for `enforcerctl shadow`: every action of the cgroups\n"
		"; the candidate governs is one would-deny record (mode = audit: nothing is denied)\n"
		"[policy]\nname = %s\nmode = audit\n", SHADOW_OBSERVE_NAME);
	/* once per cgroup: a binding below another would stack it twice */
	for (size_t i = 0; i < ncg; i++) {
		if (covered(cg, ncg, i, cg[i]))
			continue;
		fprintf(f, "cgroup = %s\n", cg[i]);
		nbound++;
	}
	for (size_t i = 0; i < nun; i++) {
		fprintf(f, "unit = %s\n", un[i]);
		nbound++;
	}
	fprintf(f, "[exec]\ndefault = deny\n[file]\ndefault = deny\n[connect]\ndefault = deny\n"
		"[bind]\ndefault = deny\n[capabilities]\ndefault = allow\n");
	if (fclose(f) != 0) {
		free(out);
		out = NULL;
		goto oom;
	}
	free(cg);
	free(un);
	if (!nbound) {
		errors_add(err, SHADOW_OBSERVE_FILE, 0, "the candidate binds no cgroup or unit");
		free(out);
		return NULL;
	}
	if (nbound > POLICY_CGROUPS_MAX) {
		errors_add(err, SHADOW_OBSERVE_FILE, 0, "the candidate binds %zu cgroups and units: "
			   "shadow observes at most %d", nbound, POLICY_CGROUPS_MAX);
		free(out);
		return NULL;
	}
	return out;
oom:
	free(cg);
	free(un);
	errors_add(err, SHADOW_OBSERVE_FILE, 0, "out of memory");
	return NULL;
}

/* ---- one record's action ---- */

int shadow_action_of(const struct enf_event *e, const char *exe, struct vm_action *a)
{
	size_t n = e->path_len < ENF_EVENT_PATH ? e->path_len : ENF_EVENT_PATH - 1;

	memset(a, 0, sizeof(*a));
	if (e->rule_id == ENF_RULE_SELF || (e->flags & (ENF_EV_FAIL_CLOSED | ENF_EV_NAME_ONLY)))
		return -1;
	if (exe && strlen(exe) < sizeof(a->exe))
		strcpy(a->exe, exe);
	switch (e->hook) {
	case ENF_HOOK_EXEC:
	case ENF_HOOK_FILE:
		if ((e->hook == ENF_HOOK_EXEC && e->op != ENF_OP_EXEC) ||
		    (e->hook == ENF_HOOK_FILE && e->op != ENF_OP_OPEN))
			return -1;
		if ((e->flags & ENF_EV_PATH_TRUNC) || !n || e->path[0] != '/' || memchr(e->path, 0, n))
			return -1;
		memcpy(a->path, e->path, n);
		a->path[n] = 0;
		/* the record's program is not known to be the one the hook saw
		 * (an exec's: the caller's, replaced since): judged for no
		 * program, as before the model took exe on exec and open */
		a->exe[0] = 0;
		if (e->hook == ENF_HOOK_EXEC) {
			a->op = VM_EXEC;
		} else {
			a->op = VM_OPEN;
			a->write = e->access == ENF_ACC_WRITE;
			a->need = a->write ? ENF_RIGHT_WRITE : ENF_RIGHT_READ;
		}
		return 0;
	case ENF_HOOK_CONNECT:
	case ENF_HOOK_BIND: {
		char text[128], addr[INET6_ADDRSTRLEN], err[128], keep[VM_PATH_MAX];

		if (e->hook == ENF_HOOK_CONNECT && e->op != ENF_OP_CONNECT && e->op != ENF_OP_SENDMSG)
			return -1;
		if (e->hook == ENF_HOOK_BIND && e->op != ENF_OP_BIND && e->op != ENF_OP_LISTEN)
			return -1;
		if (e->hook == ENF_HOOK_CONNECT && e->family == ENF_FAMILY_UNIX) {
			bool abs = e->flags & ENF_EV_ABSTRACT;

			if (!n || n + 1 >= 108 || memchr(e->path, 0, n) || (!abs && e->path[0] != '/'))
				return -1;
			a->op = VM_CONNECT;
			a->family = ENF_FAMILY_UNIX;
			snprintf(a->path, sizeof(a->path), "%s%.*s", abs ? "@" : "", (int)n, e->path);
			return 0;
		}
		if (e->family != 4 && e->family != 6)
			return -1;
		if (e->proto != 6 && e->proto != 17)
			return -1;
		if (!inet_ntop(e->family == 4 ? AF_INET : AF_INET6, e->addr, addr, sizeof(addr)))
			return -1;
		snprintf(text, sizeof(text), "%s %s %u %s", e->hook == ENF_HOOK_BIND ? "bind" : "connect",
			 addr, e->port, e->proto == 6 ? "tcp" : "udp");
		strcpy(keep, a->exe);
		if (vm_action_parse(text, a, err, sizeof(err)) < 0)
			return -1;
		strcpy(a->exe, keep);
		return 0;
	}
	default:
		return -1;
	}
}

/* ---- judging ---- */

void shadow_judge(const struct enf_policy_set *set, const struct enf_compiled *c,
		  const char *cgpath, const struct vm_action *a, enum enf_hook hook,
		  struct shadow_side *out)
{
	size_t gov[ENF_MAX_STACK + 1], ngov;
	static struct vm_result r;   /* large: not on the stack */
	const struct vm_pol_result *deny = NULL, *audit = NULL, *allow = NULL;

	memset(out, 0, sizeof(*out));
	out->outcome = VM_ALLOWED;
	ngov = set ? vm_governing(set, cgpath, gov, ENF_MAX_STACK + 1) : 0;
	if (!ngov)
		return;
	out->governed = true;
	if (ngov > ENF_MAX_STACK) {
		out->outcome = VM_DENIED;
		out->rule = "fail-closed";
		return;
	}
	vm_judge(set, c, gov, ngov, a, &r);
	for (size_t i = 0; i < r.n; i++) {
		const struct vm_pol_result *pr = &r.r[i];

		if (pr->hook != hook)
			continue;
		if (pr->denied && set->pol[pr->pol].mode != ENF_MODE_AUDIT) {
			if (!deny)
				deny = pr;
		} else if (pr->denied) {
			if (!audit)
				audit = pr;
		} else if (!allow && pr->active) {
			allow = pr;
		}
	}
	const struct vm_pol_result *d = deny ? deny : audit ? audit : allow;

	out->outcome = deny ? VM_DENIED : audit ? VM_AUDITED : VM_ALLOWED;
	if (!d) {
		out->policy = set->pol[gov[0]].name;
		return;
	}
	out->policy = set->pol[d->pol].name;
	if (d->rule) {
		out->rule = d->rule->text;
		out->rule_line = d->rule->line;
	}
}

enum shadow_kind shadow_kind_of(const struct shadow_side *live, const struct shadow_side *cand)
{
	if (live->outcome == cand->outcome)
		return SHADOW_SAME;
	if (cand->outcome == VM_DENIED)
		return SHADOW_NEWLY_DENIED;
	if (live->outcome == VM_DENIED)
		return SHADOW_NEWLY_ALLOWED;
	return SHADOW_AUDIT_CHANGED;
}

const char *shadow_kind_name(enum shadow_kind k)
{
	switch (k) {
	case SHADOW_NEWLY_DENIED: return "newly_denied";
	case SHADOW_NEWLY_ALLOWED: return "newly_allowed";
	case SHADOW_AUDIT_CHANGED: return "audit_changed";
	default: return "same";
	}
}

/* ---- the report ---- */

static bool streq(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static char *dup_or_null(const char *s, bool *oom)
{
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	if (!d)
		*oom = true;
	return d;
}

static void entry_free(struct shadow_entry *e)
{
	free(e->cgroup);
	free(e->action);
	free(e->live_policy);
	free(e->live_rule);
	free(e->cand_policy);
	free(e->cand_rule);
}

int shadow_report_add(struct shadow_report *r, enum shadow_kind k, const char *cgroup,
		      enum enf_hook hook, const char *action, const struct shadow_side *live,
		      const struct shadow_side *cand, const char *time)
{
	struct shadow_entry *e;
	size_t max = r->max ? r->max : SHADOW_REPORT_MAX;
	bool oom = false;

	r->differences++;
	for (size_t i = 0; i < r->n; i++) {
		e = &r->e[i];
		if (e->kind == k && e->hook == hook && !strcmp(e->cgroup, cgroup) &&
		    !strcmp(e->action, action) && e->live_line == live->rule_line &&
		    e->cand_line == cand->rule_line && streq(e->live_policy, live->policy) &&
		    streq(e->cand_policy, cand->policy) && streq(e->live_rule, live->rule) &&
		    streq(e->cand_rule, cand->rule)) {
			e->count++;
			snprintf(e->last, sizeof(e->last), "%s", time);
			return 0;
		}
	}
	if (r->n >= max || !array_grow((void **)&r->e, &r->cap, r->n + 1, sizeof(*r->e))) {
		r->dropped++;
		return r->n >= max ? 1 : -1;
	}
	e = &r->e[r->n];
	memset(e, 0, sizeof(*e));
	e->kind = k;
	e->hook = hook;
	e->cgroup = dup_or_null(cgroup, &oom);
	e->action = dup_or_null(action, &oom);
	e->live_policy = dup_or_null(live->policy, &oom);
	e->live_rule = dup_or_null(live->rule, &oom);
	e->cand_policy = dup_or_null(cand->policy, &oom);
	e->cand_rule = dup_or_null(cand->rule, &oom);
	e->live_line = live->rule_line;
	e->cand_line = cand->rule_line;
	e->live_outcome = live->outcome;
	e->cand_outcome = cand->outcome;
	e->count = 1;
	snprintf(e->first, sizeof(e->first), "%s", time);
	snprintf(e->last, sizeof(e->last), "%s", time);
	if (oom || !e->cgroup || !e->action) {
		entry_free(e);
		r->dropped++;
		return -1;
	}
	r->n++;
	return 0;
}

static void put_side(struct jbuf *b, const char *key, uint8_t outcome, const char *policy,
		     const char *rule, int line)
{
	jb_key(b, key);
	jb_obj_open(b);
	jb_kstr(b, "verdict", vm_outcome_name(outcome));
	if (policy)
		jb_kstr(b, "policy", policy);
	jb_kstr(b, "rule", rule ? rule : "default");
	if (line)
		jb_kint(b, "rule_line", line);
	jb_obj_close(b);
}

static const struct shadow_entry *sort_base;

static int by_count(const void *x, const void *y)
{
	const struct shadow_entry *a = &sort_base[*(const size_t *)x];
	const struct shadow_entry *b = &sort_base[*(const size_t *)y];

	if (a->count != b->count)
		return a->count < b->count ? 1 : -1;
	return (*(const size_t *)x > *(const size_t *)y) - (*(const size_t *)x < *(const size_t *)y);
}

void shadow_report_json(struct jbuf *b, const struct shadow_report *r)
{
	size_t *order = r->n ? malloc(r->n * sizeof(*order)) : NULL;

	for (size_t i = 0; order && i < r->n; i++)
		order[i] = i;
	if (order) {
		sort_base = r->e;
		qsort(order, r->n, sizeof(*order), by_count);
	}
	jb_kuint(b, "differences", r->differences);
	jb_kuint(b, "dropped", r->dropped);
	for (int k = SHADOW_NEWLY_DENIED; k <= SHADOW_AUDIT_CHANGED; k++) {
		jb_key(b, shadow_kind_name(k));
		jb_arr_open(b);
		for (size_t j = 0; j < r->n; j++) {
			const struct shadow_entry *e = &r->e[order ? order[j] : j];

			if (e->kind != k)
				continue;
			jb_obj_open(b);
			jb_kstr(b, "action", e->action);
			jb_kstr(b, "cgroup", e->cgroup);
			jb_kstr(b, "hook", policy_hook_name(e->hook));
			jb_kuint(b, "count", e->count);
			jb_kstr(b, "first", e->first);
			jb_kstr(b, "last", e->last);
			put_side(b, "live", e->live_outcome, e->live_policy, e->live_rule, e->live_line);
			put_side(b, "candidate", e->cand_outcome, e->cand_policy, e->cand_rule,
				 e->cand_line);
			jb_obj_close(b);
		}
		jb_arr_close(b);
	}
	free(order);
}

void shadow_report_free(struct shadow_report *r)
{
	for (size_t i = 0; i < r->n; i++)
		entry_free(&r->e[i]);
	free(r->e);
	r->e = NULL;
	r->n = r->cap = 0;
	r->differences = r->dropped = 0;
}
