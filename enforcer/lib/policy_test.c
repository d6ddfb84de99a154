// SPDX-License-Identifier: GPL-2.0-only
/*
 * policy_test.c - runs a NAME.test file (policy_test.h) with the offline
 * matching model: every action judged, compared with the verdict it must
 * get; malformed lines reported as file:line: message.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "policy_test.h"

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		*--e = 0;
	return s;
}

/* Cut an inline comment: `;` or `#` at the start or after a blank. */
static void cut_comment(char *s)
{
	for (char *p = s; *p; p++)
		if ((*p == ';' || *p == '#') && (p == s || p[-1] == ' ' || p[-1] == '\t')) {
			*p = 0;
			return;
		}
}

void ptest_decider(const struct enf_policy_set *set, const struct vm_result *r, char *buf, size_t sz)
{
	buf[0] = 0;
	if (r->fail_closed) {
		snprintf(buf, sz, "more than %d policies govern the cgroup: fail closed", ENF_MAX_STACK);
		return;
	}
	for (size_t k = 0; k < r->n; k++) {
		const struct vm_pol_result *pr = &r->r[k];
		const struct enf_policy_src *p = &set->pol[pr->pol];

		if (!pr->denied && r->outcome != VM_ALLOWED)
			continue;
		if (!pr->active)
			continue;
		snprintf(buf, sz, "%s [%s]: %s%s%s (line %d)", p->name, policy_hook_name(pr->hook),
			 pr->rule ? pr->rule->text : "default", pr->right ? ", right " : "",
			 pr->right ? policy_right_name(pr->right) : "", pr->rule ? pr->rule->line : 0);
		if (pr->denied)
			return;
	}
	if (!buf[0])
		snprintf(buf, sz, "no policy judged it");
}

static int parse_verdict(const char *s, enum vm_outcome *o)
{
	if (!strcmp(s, "allow"))
		*o = VM_ALLOWED;
	else if (!strcmp(s, "deny"))
		*o = VM_DENIED;
	else if (!strcmp(s, "audit"))
		*o = VM_AUDITED;
	else
		return -1;
	return 0;
}

int ptest_run_file(const char *file, const struct enf_policy_set *set, const struct enf_compiled *c,
		   size_t self, bool emit, FILE *out, FILE *err, struct ptest_totals *tot)
{
	FILE *f = fopen(file, "r");
	char *line = NULL, cgroup[ENF_CG_PATH_MAX + 1] = "";
	size_t cap = 0;
	ssize_t len;
	int lineno = 0, rc = 0;

	if (!f) {
		fprintf(err, "%s: %s\n", file, strerror(errno));
		tot->errors++;
		return -1;
	}
	while ((len = getline(&line, &cap, f)) >= 0) {
		struct vm_action a;
		struct vm_result r;
		enum vm_outcome want = VM_ALLOWED;
		size_t gov[ENF_MAX_STACK + 1], ngov;
		char msg[256], shown[VM_PATH_MAX + 64], decider[512], *s, *arrow;
		bool has_want = false;

		lineno++;
		if ((size_t)len != strlen(line)) {
			fprintf(err, "%s:%d: NUL byte in line\n", file, lineno);
			tot->errors++;
			rc = -1;
			continue;
		}
		cut_comment(line);
		s = trim(line);
		if (!*s)
			continue;
		if (!strncmp(s, "cgroup", 6) && s[6 + strspn(s + 6, " \t")] == '=') {
			char *v = trim(strchr(s, '=') + 1);

			if (v[0] != '/' || strlen(v) > ENF_CG_PATH_MAX || strchr(v, ' ') ||
			    !policy_path_normal(v, false)) {
				fprintf(err, "%s:%d: cgroup = needs an absolute, normalised cgroup path\n",
					file, lineno);
				tot->errors++;
				rc = -1;
				cgroup[0] = 0;
				continue;
			}
			strcpy(cgroup, v);
			if (emit)
				fprintf(out, "cgroup = %s\n", cgroup);
			continue;
		}
		arrow = strstr(s, "->");
		if (arrow) {
			char *v = trim(arrow + 2);

			*arrow = 0;
			if (parse_verdict(v, &want) < 0) {
				fprintf(err, "%s:%d: bad verdict '%s' (allow, deny or audit)\n", file, lineno, v);
				tot->errors++;
				rc = -1;
				continue;
			}
			has_want = true;
		} else if (!emit) {
			fprintf(err, "%s:%d: missing '-> VERDICT' (allow, deny or audit)\n", file, lineno);
			tot->errors++;
			rc = -1;
			continue;
		}
		if (vm_action_parse(trim(s), &a, msg, sizeof(msg)) < 0) {
			fprintf(err, "%s:%d: %s\n", file, lineno, msg);
			tot->errors++;
			rc = -1;
			continue;
		}
		if (cgroup[0]) {
			ngov = vm_governing(set, cgroup, gov, ENF_MAX_STACK + 1);
			if (ngov == 0 && !emit) {
				fprintf(err, "%s:%d: no policy governs cgroup %s\n", file, lineno, cgroup);
				tot->errors++;
				rc = -1;
				continue;
			}
		} else if (self != (size_t)-1) {
			gov[0] = self;
			ngov = 1;
		} else {
			fprintf(err, "%s:%d: no policy NAME.ini beside the test: write cgroup = PATH first\n",
				file, lineno);
			tot->errors++;
			rc = -1;
			continue;
		}
		vm_action_format(&a, shown, sizeof(shown));
		vm_action_resolve(&a);
		vm_judge(set, c, gov, ngov, &a, &r);
		ptest_decider(set, &r, decider, sizeof(decider));
		if (emit) {
			fprintf(out, "%s -> %s\n", shown, vm_outcome_name(r.outcome));
			continue;
		}
		(void)has_want;
		if (r.outcome == want) {
			tot->passed++;
			fprintf(out, "ok %s:%d: %s -> %s\n", file, lineno, shown, vm_outcome_name(want));
		} else {
			tot->failed++;
			rc = -1;
			fprintf(out, "FAIL %s:%d: %s -> want %s, got %s (%s)\n", file, lineno, shown,
				vm_outcome_name(want), vm_outcome_name(r.outcome), decider);
		}
	}
	free(line);
	fclose(f);
	return rc;
}
