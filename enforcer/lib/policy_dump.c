// SPDX-License-Identifier: GPL-2.0-only
/*
 * policy_dump.c - a parsed policy set shown to people (`enforcerctl check`)
 * and to programs (JSON, for the control socket's "policies").
 */
#include <stdio.h>
#include <string.h>
#include "connect_rule.h"
#include "json.h"
#include "capability.h"
#include "policy.h"

const char *policy_verdict_name(uint8_t v)
{
	switch (v) {
	case ENF_ALLOW: return "allow";
	case ENF_DENY: return "deny";
	case ENF_READONLY: return "readonly";
	default: return "?";
	}
}

const char *policy_cond_name(uint8_t cond)
{
	if (cond & ENF_COND_OWNER)
		return "owner";
	if (cond & ENF_COND_OWNER_WRITE)
		return "owner-write";
	/* events: a rule with a program condition decided */
	if (cond & ENF_COND_PARENT)
		return "parent";
	if (cond & ENF_COND_EXE)
		return "exe";
	return NULL;
}

const char *policy_right_name(uint8_t right)
{
	switch (right) {
	case ENF_RIGHT_READ: return "read";
	case ENF_RIGHT_WRITE: return "write";
	case ENF_RIGHT_TRUNCATE: return "truncate";
	case ENF_RIGHT_CREATE: return "create";
	case ENF_RIGHT_REMOVE: return "remove";
	case ENF_RIGHT_REFER: return "refer";
	default: return NULL;
	}
}

uint8_t policy_rule_verdict(const struct enf_rule *r)
{
	return r->verdict == ENF_DENY && r->named_rights ? ENF_ALLOW : r->verdict;
}

/* " denies: truncate remove" */
static void dump_rights_text(FILE *f, uint8_t rights)
{
	if (!rights)
		return;
	fprintf(f, ", denies:");
	for (uint8_t b = 1; b & ENF_RIGHTS_ALL; b <<= 1)
		if (rights & b)
			fprintf(f, " %s", policy_right_name(b));
}

const char *policy_mode_name(uint8_t m)
{
	return m == ENF_MODE_AUDIT ? "audit" : "enforce";
}

const char *policy_hook_name(enum enf_hook h)
{
	switch (h) {
	case ENF_HOOK_EXEC: return "exec";
	case ENF_HOOK_FILE: return "file";
	case ENF_HOOK_CONNECT: return "connect";
	case ENF_HOOK_BIND: return "bind";
	default: return "?";
	}
}

static const char *proto_name(uint8_t p)
{
	return p == 6 ? "tcp" : p == 17 ? "udp" : p == ENF_PROTO_ICMP ? "icmp" :
	       p == ENF_PROTO_ICMPV6 ? "icmpv6" : p == ENF_PROTO_SCTP ? "sctp" :
	       p == ENF_PROTO_RAW ? "raw" : "any";
}

/* "10.0.0.0/8 port 5432-5433 tcp", "::/0" */
static void format_net(const struct enf_rule *r, char *buf, size_t sz)
{
	char net[80];
	size_t n;

	connect_rule_format_net(r, net, sizeof(net));
	n = (size_t)snprintf(buf, sz, "%s", net);
	if (!r->port_any && n < sz) {
		if (r->port_lo == r->port_hi)
			n += (size_t)snprintf(buf + n, sz - n, " port %u", r->port_lo);
		else
			n += (size_t)snprintf(buf + n, sz - n, " port %u-%u", r->port_lo, r->port_hi);
	}
	if (r->proto && n < sz)
		snprintf(buf + n, sz - n, " %s", proto_name(r->proto));
}

/* The capabilities denied after setup, as one line of names. */
static void dump_caps_text(FILE *f, const struct enf_policy_src *p)
{
	uint64_t deny = policy_cap_deny(p);

	fprintf(f, "  [capabilities] %s, denied after setup:",
		!p->caps.present ? "absent (built-in set)" :
		p->caps.deflt == CAPS_DEFAULT_ALLOW ? "default allow" :
		p->caps.deflt == CAPS_DEFAULT_DENY ? "default deny" : "built-in set");
	for (int c = 0; c <= ENF_CAP_LAST; c++)
		if ((deny >> c) & 1)
			fprintf(f, " %s", capability_name(c));
	fprintf(f, "%s\n", deny ? "" : " none");
}

void policy_dump_text(FILE *f, const struct enf_policy_set *s)
{
	for (size_t i = 0; i < s->n; i++) {
		const struct enf_policy_src *p = &s->pol[i];

		fprintf(f, "policy %s (%s)\n", p->name, p->file);
		fprintf(f, "  mode: %s\n", policy_mode_name(p->mode));
		for (size_t k = 0; k < p->ncgroups; k++)
			fprintf(f, "  cgroup: %s\n", p->cgroups[k]);
		for (size_t k = 0; k < p->nunits; k++)
			fprintf(f, "  unit: %s\n", p->units[k]);
		for (size_t k = 0; k < p->nnamespaces; k++)
			fprintf(f, "  namespace: %s\n", p->namespaces[k]);
		for (size_t k = 0; k < p->npods; k++)
			fprintf(f, "  pod: %s\n", p->pods[k]);
		for (int h = 0; h < ENF_HOOK_MAX; h++) {
			size_t nr = 0;

			for (size_t k = 0; k < p->nrules; k++)
				nr += p->rules[k].hook == (enum enf_hook)h;
			if (!p->sec[h].present && !nr) {
				fprintf(f, "  [%s] absent: everything allowed\n", policy_hook_name(h));
				continue;
			}
			fprintf(f, "  [%s] default %s, %zu rule%s\n", policy_hook_name(h),
				policy_verdict_name(p->sec[h].present ? p->sec[h].deflt : ENF_ALLOW),
				nr, nr == 1 ? "" : "s");
			for (size_t k = 0; k < p->nrules; k++) {
				const struct enf_rule *r = &p->rules[k];
				char net[160];

				if (r->hook != (enum enf_hook)h)
					continue;
				fprintf(f, "    line %d: %-8s ", r->line, policy_verdict_name(r->verdict));
				if (r->family == ENF_FAMILY_PACKET) {
					fprintf(f, "packet sockets (at creation)");
				} else if (rule_is_rawsock(r)) {
					fprintf(f, "raw %s sockets%s%s (at creation)",
						r->family == ENF_FAMILY_RAW4 ? "IPv4" : "IPv6",
						r->proto == ENF_PROTO_RAW ? "" : " of protocol ",
						r->proto == ENF_PROTO_RAW ? "" : proto_name(r->proto));
				} else if (rule_is_ip(r)) {
					format_net(r, net, sizeof(net));
					fprintf(f, "%s (IPv%u)", net, r->family);
				} else if (r->family == ENF_FAMILY_UNIX) {
					fprintf(f, "unix:%s%s", r->path, r->dir ? " (and below)" : "");
					if (r->resolved && strcmp(r->resolved, r->path))
						fprintf(f, " -> %s", r->resolved);
				} else {
					fprintf(f, "%s%s", r->path, r->dir ? " (and below)" : r->pattern ? " (pattern)" : "");
					if (r->resolved && strcmp(r->resolved, r->path))
						fprintf(f, " -> %s", r->resolved);
					if ((r->cond & ENF_COND_OWNER) && r->hook == ENF_HOOK_EXEC)
						fprintf(f, ", only for the program file's owner (others may not run it)");
					else if (r->cond & ENF_COND_OWNER)
						fprintf(f, ", only for the file's owner (others denied)");
					else if (r->cond & ENF_COND_OWNER_WRITE)
						fprintf(f, ", writes only by the file's owner (others read)");
					dump_rights_text(f, r->rights);
				}
				if (r->exe && r->parent)
					fprintf(f, " when the parent process runs program %s (by identity)", r->exe);
				else if (r->exe && r->exe[strlen(r->exe) - 1] == '/')
					fprintf(f, " by programs below %s (by identity)", r->exe);
				else if (r->exe)
					fprintf(f, " by program %s (by identity)", r->exe);
				fprintf(f, "    [%s]\n", r->text);
			}
		}
		dump_caps_text(f, p);
	}
}

static void dump_rule_json(struct jbuf *b, const struct enf_rule *r)
{
	jb_obj_open(b);
	jb_kint(b, "line", r->line);
	jb_kuint(b, "id", r->id);
	jb_kstr(b, "rule", r->text);
	jb_kstr(b, "verdict", policy_verdict_name(r->verdict));
	if (r->family == ENF_FAMILY_PACKET) {
		jb_kstr(b, "family", "packet");
	} else if (rule_is_rawsock(r)) {
		/* raw sockets' creation: no address, no port */
		jb_kuint(b, "family", r->family == ENF_FAMILY_RAW4 ? 4 : 6);
		jb_kstr(b, "sock_type", "raw");
		jb_kstr(b, "proto", proto_name(r->proto));
	} else if (rule_is_ip(r)) {
		char net[80], *slash;

		connect_rule_format_net(r, net, sizeof(net));
		slash = strchr(net, '/');
		if (slash)
			*slash = 0;
		jb_kuint(b, "family", r->family);
		jb_kstr(b, "addr", net);
		jb_kuint(b, "prefix", r->plen);
		jb_kuint(b, "port_lo", r->port_lo);
		jb_kuint(b, "port_hi", r->port_hi);
		jb_kstr(b, "proto", proto_name(r->proto));
	} else if (r->family == ENF_FAMILY_UNIX) {
		jb_kstr(b, "family", "unix");
		jb_kstr(b, "socket", r->path);
		jb_kbool(b, "abstract", r->path[0] == '@');
		jb_kbool(b, "dir", r->dir);
		if (r->resolved)
			jb_kstr(b, "resolved", r->resolved);
	} else {
		jb_kstr(b, "path", r->path);
		jb_kbool(b, "dir", r->dir);
		if (r->pattern)
			jb_kbool(b, "pattern", true);
		if (policy_cond_name(r->cond))
			jb_kstr(b, "condition", policy_cond_name(r->cond));
		if (r->rights) {
			jb_key(b, "denied_rights");
			jb_arr_open(b);
			for (uint8_t bit = 1; bit & ENF_RIGHTS_ALL; bit <<= 1)
				if (r->rights & bit)
					jb_str(b, policy_right_name(bit));
			jb_arr_close(b);
		}
		if (r->resolved)
			jb_kstr(b, "resolved", r->resolved);
		else
			jb_kstr(b, "resolved", r->path);
	}
	if (r->exe)
		jb_kstr(b, r->parent ? "parent" : "exe", r->exe);
	jb_obj_close(b);
}

void policy_dump_json(struct jbuf *b, const struct enf_policy_set *s)
{
	jb_arr_open(b);
	for (size_t i = 0; i < s->n; i++) {
		const struct enf_policy_src *p = &s->pol[i];

		jb_obj_open(b);
		jb_kstr(b, "name", p->name);
		jb_kstr(b, "file", p->file);
		jb_kstr(b, "mode", policy_mode_name(p->mode));
		jb_key(b, "cgroups");
		jb_arr_open(b);
		for (size_t k = 0; k < p->ncgroups; k++)
			jb_str(b, p->cgroups[k]);
		jb_arr_close(b);
		jb_key(b, "units");
		jb_arr_open(b);
		for (size_t k = 0; k < p->nunits; k++)
			jb_str(b, p->units[k]);
		jb_arr_close(b);
		jb_key(b, "namespaces");
		jb_arr_open(b);
		for (size_t k = 0; k < p->nnamespaces; k++)
			jb_str(b, p->namespaces[k]);
		jb_arr_close(b);
		jb_key(b, "pods");
		jb_arr_open(b);
		for (size_t k = 0; k < p->npods; k++)
			jb_str(b, p->pods[k]);
		jb_arr_close(b);
		for (int h = 0; h < ENF_HOOK_MAX; h++) {
			jb_key(b, policy_hook_name(h));
			jb_obj_open(b);
			jb_kbool(b, "present", p->sec[h].present);
			jb_kstr(b, "default",
				policy_verdict_name(p->sec[h].present ? p->sec[h].deflt : ENF_ALLOW));
			jb_key(b, "rules");
			jb_arr_open(b);
			for (size_t k = 0; k < p->nrules; k++)
				if (p->rules[k].hook == (enum enf_hook)h)
					dump_rule_json(b, &p->rules[k]);
			jb_arr_close(b);
			jb_obj_close(b);
		}
		jb_key(b, "capabilities");
		jb_obj_open(b);
		jb_kbool(b, "present", p->caps.present);
		jb_key(b, "denied");
		jb_arr_open(b);
		for (int c = 0; c <= ENF_CAP_LAST; c++)
			if ((policy_cap_deny(p) >> c) & 1)
				jb_str(b, capability_name(c));
		jb_arr_close(b);
		jb_obj_close(b);
		jb_obj_close(b);
	}
	jb_arr_close(b);
}
