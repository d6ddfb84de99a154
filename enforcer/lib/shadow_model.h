/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * shadow_model.h - the pure parts of `enforcerctl shadow` (README "Shadow
 * and promote"): the candidate policy set read from a directory (its files
 * kept in memory, for promote), the observation policy that makes every
 * action of the cgroups the candidate governs visible, the judgement of
 * one observed action by the live set and by the candidate with the
 * offline matching model (verdict_model.h), and the bounded report of the
 * actions they judge differently.  No daemon state: unit-tested on the
 * host (t/unit/test_shadow.c).
 */
#ifndef ENFORCER_SHADOW_MODEL_H
#define ENFORCER_SHADOW_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "enforcer_abi.h"
#include "json.h"
#include "policy.h"
#include "verdict_model.h"

/* The observation policy's name and file (reserved: a candidate or live
 * policy may not be called that). */
#define SHADOW_OBSERVE_NAME "enforcer-shadow-observe"
#define SHADOW_OBSERVE_FILE "(shadow observation policy)"
#define SHADOW_REPORT_MAX   1024    /* distinct differing actions kept */
#define SHADOW_FILES_MAX    4096    /* files of a candidate directory */

/* A candidate set: parsed, resolved, compiled for the model (ids are
 * indexes), and its files' bytes (*.ini and *.test), installed by promote. */
struct shadow_file {
	char *name;     /* base name: "web.ini" */
	char *data;
	size_t len;
};

struct shadow_cand {
	char dir[4096];
	struct enf_policy_set set;
	struct enf_compiled comp;
	struct shadow_file *files;
	size_t nfiles;
};

/* Read every *.ini (and *.test) of dir, parse, validate, resolve, compile.
 * 0, or -1 with "file:line: message" errors (nothing kept).  Refused: no
 * *.ini, a policy named SHADOW_OBSERVE_NAME, pod policies (namespace=,
 * pod=: bound at run time, not judged by the model). */
int shadow_cand_load(const char *dir, struct shadow_cand *c, struct enf_errors *err);
void shadow_cand_free(struct shadow_cand *c);

/* The observation policy's INI text (malloc'ed): audit mode, default deny
 * in [exec] [file] [connect] [bind], capabilities allowed, bound to the
 * cgroups (minimal: none below another) and units the candidate binds.
 * NULL with an error when there are more than POLICY_CGROUPS_MAX. */
char *shadow_observe_ini(const struct enf_policy_set *cand, struct enf_errors *err);

/* The action of a kernel record, as the model takes it (exe: the
 * process's program, or NULL).  0, or -1 when the model does not judge it
 * (another operation than exec/open/connect/sendmsg/bind/listen, a path cut
 * at the record's size, a packet socket, self-protection, fail closed). */
int shadow_action_of(const struct enf_event *e, const char *exe, struct vm_action *a);

/* One side's verdict on one action, for the record's hook only. */
struct shadow_side {
	enum vm_outcome outcome;
	bool governed;                   /* some policy of the set governs the cgroup */
	const char *policy;              /* the deciding policy (NULL: none) */
	const char *rule;                /* the deciding rule's text (NULL: the default) */
	int rule_line;
};

void shadow_judge(const struct enf_policy_set *set, const struct enf_compiled *c,
		  const char *cgpath, const struct vm_action *a, enum enf_hook hook,
		  struct shadow_side *out);

enum shadow_kind { SHADOW_SAME = 0, SHADOW_NEWLY_DENIED, SHADOW_NEWLY_ALLOWED, SHADOW_AUDIT_CHANGED };
enum shadow_kind shadow_kind_of(const struct shadow_side *live, const struct shadow_side *cand);
const char *shadow_kind_name(enum shadow_kind k);   /* "newly_denied" ... */

/* The report: distinct (kind, cgroup, hook, action, both sides) with their
 * count and first/last time, at most max (0: SHADOW_REPORT_MAX); a record
 * of a new distinct action past it is counted in dropped. */
struct shadow_entry {
	uint8_t kind, hook;
	char *cgroup, *action;
	char *live_policy, *live_rule, *cand_policy, *cand_rule;
	int live_line, cand_line;
	uint8_t live_outcome, cand_outcome;
	uint64_t count;
	char first[40], last[40];
};

struct shadow_report {
	struct shadow_entry *e;
	size_t n, cap, max;
	uint64_t differences;   /* records judged differently (kept or dropped) */
	uint64_t dropped;       /* of them, new distinct actions past max */
};

/* 0 kept (new or counted), 1 dropped, -1 out of memory (counted dropped). */
int shadow_report_add(struct shadow_report *r, enum shadow_kind k, const char *cgroup,
		      enum enf_hook hook, const char *action, const struct shadow_side *live,
		      const struct shadow_side *cand, const char *time);
/* "newly_denied":[...],"newly_allowed":[...],"audit_changed":[...] members
 * (inside an open object), most frequent first; "differences", "dropped". */
void shadow_report_json(struct jbuf *b, const struct shadow_report *r);
void shadow_report_free(struct shadow_report *r);

#endif
