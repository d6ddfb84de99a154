/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * policy_test.h - policy tests: NAME.test beside NAME.ini lists actions and
 * the verdicts they must get, judged offline by the matching model
 * (verdict_model.h).  Format, one per line (`;` or `#` starts a comment):
 *
 *     cgroup = /system.slice/nginx.service   ; optional, repeatable
 *     exec /usr/bin/curl -> deny
 *     open /etc/passwd write -> deny
 *     connect 10.0.0.5 443 tcp -> allow
 *
 * Before any `cgroup =` line, actions are judged under NAME.ini alone;
 * after one, under every policy of the set that governs that cgroup
 * (stacking).  Verdicts: allow, deny, audit (an audit-mode policy would
 * deny; the action passes).
 */
#ifndef ENFORCER_POLICY_TEST_H
#define ENFORCER_POLICY_TEST_H

#include <stdio.h>
#include "policy.h"
#include "verdict_model.h"

struct ptest_totals {
	unsigned passed, failed, errors;
};

/*
 * Run one .test file against set (compiled into c; policy ids = indexes).
 * self: the index of NAME.ini in set, or (size_t)-1 when there is none
 * (then every action needs a cgroup = line first).  out: one line per
 * action, "ok FILE:LINE: ACTION -> VERDICT" or "FAIL FILE:LINE: ACTION ->
 * want X, got Y (policy P: rule)"; malformed lines go to err as
 * "FILE:LINE: message".  emit: instead of checking, print every action
 * with the model's verdict in .test form (expected verdicts optional).
 * Returns 0 when every action passed and nothing was malformed.
 */
int ptest_run_file(const char *file, const struct enf_policy_set *set, const struct enf_compiled *c,
		   size_t self, bool emit, FILE *out, FILE *err, struct ptest_totals *tot);
/* A short description of the policy that decided r ("nginx: deny = /etc/ (line 9)"). */
void ptest_decider(const struct enf_policy_set *set, const struct vm_result *r, char *buf, size_t sz);

#endif
