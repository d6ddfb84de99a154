/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * audit_format.h - one audit line from one kernel event (audit_format.c):
 * pure, no I/O and no daemon state, so that the format (README "Audit
 * format") is unit-tested on the host (t/unit/test_audit_format.c).  The
 * daemon's audit.c resolves what the event only names (policy, cgroup path,
 * executable, wall-clock time) and delivers the line.
 */
#ifndef ENFORCER_AUDIT_FORMAT_H
#define ENFORCER_AUDIT_FORMAT_H

#include <stdint.h>
#include "enforcer_abi.h"
#include "json.h"
#include "policy.h"

/* What subscribers filter on: set with each line, passed to its sinks. */
struct audit_meta {
	const char *policy;   /* policy name, or NULL for "lost" lines */
	const char *hook;     /* "exec" | "file" | "connect" | NULL */
	const char *action;   /* "deny" | "audit" | "shadow" | NULL */
};

/* What the daemon resolved for one event; NULL when unknown. */
struct audit_context {
	const struct enf_policy_src *policy;   /* the policy named by (generation, policy_id) */
	const char *cgroup;                    /* cgroup path of cgid */
	const char *exe;                       /* the record's exe (audit_event_exe), else
						* /proc/PID/exe */
	size_t exe_len;
	bool exe_truncated;                    /* exe holds its last components only */
	uint64_t real_ns;                      /* the event's time, CLOCK_REALTIME */
};

/* The executable the kernel named in the record (ENF_EXE_SET), into out
 * (NUL-terminated; " (deleted)" appended for an unlinked file, as
 * /proc/PID/exe shows it); *trunc tells ENF_EXE_TRUNC.  Returns its length,
 * 0 when the record carries none. */
size_t audit_event_exe(const struct enf_event *e, char *out, size_t sz, bool *trunc);

/* Append the event's JSON object (no newline) to b and fill m. */
void audit_format_event(struct jbuf *b, const struct enf_event *e, const struct audit_context *ctx,
			struct audit_meta *m);
/* One side of a shadow line: what the live set or the candidate decided. */
struct audit_side {
	const char *verdict;    /* "allow", "deny", "audit" */
	const char *policy;     /* the deciding policy, NULL: none governs */
	const char *rule;       /* the rule as written, NULL: "default" */
	int rule_line;          /* 0: none */
};

/* A shadow line (README "Shadow and promote"): the action of event e,
 * judged differently by the live set and the candidate; kind is
 * "newly_denied", "newly_allowed" or "audit_changed", action the action as
 * a test line writes it ("exec /usr/bin/curl").  m->action is "shadow". */
void audit_format_shadow(struct jbuf *b, const struct enf_event *e, const struct audit_context *ctx,
			 const char *kind, const char *action, const struct audit_side *live,
			 const struct audit_side *cand, struct audit_meta *m);
/* {"lost":N,"lost_total":T,"time":..,"reason":"ring buffer full"} */
void audit_format_lost(struct jbuf *b, uint64_t lost, uint64_t lost_total, uint64_t real_ns);

#endif
