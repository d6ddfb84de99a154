// SPDX-License-Identifier: GPL-2.0-only
/*
 * offline.c - enforcerctl's offline verbs on a policy directory, judged by
 * the matching model (enforcer/lib/verdict_model.c): `explain` (who
 * governs a cgroup, which rule of each decides an action and why) and
 * `test` (run the NAME.test files beside the policies).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "json.h"
#include "offline.h"
#include "policy.h"
#include "policy_test.h"
#include "verdict_model.h"

#define DEFAULT_POLICY_DIR "/etc/enforcer/policies"

/* Parse, validate, resolve and compile dir's policies (or the files). */
static int load_set(const char *dir, char **files, int nfiles, struct enf_policy_set *set,
		    struct enf_compiled *c)
{
	struct enf_errors err = { 0 };
	int rc = -1;

	if (dir) {
		struct stat st;

		if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
			fprintf(stderr, "enforcerctl: %s: not a policy directory\n", dir);
			return -1;
		}
		policy_load_dir(dir, set, &err);
	} else {
		for (int i = 0; i < nfiles; i++)
			policy_parse_file(files[i], set, &err);
		if (!err.n)
			policy_set_validate(set, &err);
	}
	if (!err.n)
		policy_resolve_paths(set, "/", &err);
	if (!err.n)
		policy_compile(set, NULL, c, &err);
	if (!err.n)
		rc = 0;
	for (size_t i = 0; i < err.n; i++)
		fprintf(stderr, "%s\n", err.msg[i]);
	if (err.n)
		fprintf(stderr, "enforcerctl: %zu policy error%s\n", err.n, err.n == 1 ? "" : "s");
	errors_free(&err);
	return rc;
}

/* ---- explain ---- */

static void explain_json(const struct enf_policy_set *set, const char *cgpath, const char *action,
			 const struct vm_action *a, const struct vm_result *r)
{
	struct jbuf b;

	jb_init(&b);
	jb_obj_open(&b);
	jb_key(&b, "ok"); jb_bool(&b, true);
	jb_key(&b, "cgroup"); jb_str(&b, cgpath);
	jb_key(&b, "action"); jb_str(&b, action);
	jb_key(&b, "verdict"); jb_str(&b, vm_outcome_name(r->outcome));
	jb_key(&b, "fail_closed"); jb_bool(&b, r->fail_closed);
	jb_key(&b, "policies");
	jb_arr_open(&b);
	for (size_t k = 0; k < r->n; k++) {
		const struct vm_pol_result *pr = &r->r[k];
		const struct enf_policy_src *p = &set->pol[pr->pol];

		jb_obj_open(&b);
		jb_key(&b, "policy"); jb_str(&b, p->name);
		jb_key(&b, "file"); jb_str(&b, p->file);
		jb_key(&b, "mode"); jb_str(&b, policy_mode_name(p->mode));
		jb_key(&b, "hook"); jb_str(&b, policy_hook_name(pr->hook));
		jb_key(&b, "judged"); jb_bool(&b, pr->active);
		jb_key(&b, "verdict"); jb_str(&b, !pr->active ? "allow" : pr->denied ?
					      (p->mode == ENF_MODE_AUDIT ? "audit" : "deny") : "allow");
		jb_key(&b, "rule"); jb_str(&b, pr->rule ? pr->rule->text : "default");
		jb_key(&b, "rule_line"); jb_int(&b, pr->rule ? pr->rule->line : 0);
		if (pr->right) {
			jb_key(&b, "right"); jb_str(&b, policy_right_name(pr->right));
		}
		jb_key(&b, "why"); jb_str(&b, pr->why);
		jb_key(&b, "over");
		jb_arr_open(&b);
		for (size_t l = 0; l < pr->nlost; l++) {
			jb_obj_open(&b);
			jb_key(&b, "rule"); jb_str(&b, pr->lost[l]->text);
			jb_key(&b, "rule_line"); jb_int(&b, pr->lost[l]->line);
			jb_key(&b, "because"); jb_str(&b, pr->rule ? vm_why_over(pr->rule, pr->lost[l], a->path)
							    : "?");
			jb_obj_close(&b);
		}
		jb_arr_close(&b);
		jb_obj_close(&b);
	}
	jb_arr_close(&b);
	jb_obj_close(&b);
	if (b.oom)
		fprintf(stderr, "enforcerctl: out of memory\n");
	else
		printf("%s\n", b.s);
	jb_free(&b);
}

static void explain_text(const struct enf_policy_set *set, const char *cgpath, const char *action,
			 const struct vm_action *a, const struct vm_result *r, size_t ngov)
{
	printf("cgroup %s: governed by %zu polic%s (stacked: each must allow)\n", cgpath, ngov,
	       ngov == 1 ? "y" : "ies");
	printf("action: %s\n", action);
	if (r->fail_closed)
		printf("  more than %d policies govern it: every action is denied (fail closed)\n",
		       ENF_MAX_STACK);
	for (size_t k = 0; k < r->n; k++) {
		const struct vm_pol_result *pr = &r->r[k];
		const struct enf_policy_src *p = &set->pol[pr->pol];

		printf("  %s (%s, %s) [%s]: ", p->name, policy_mode_name(p->mode), p->file,
		       policy_hook_name(pr->hook));
		if (!pr->active) {
			printf("allow: %s\n", pr->why);
			continue;
		}
		printf("%s by %s", pr->denied ? (p->mode == ENF_MODE_AUDIT ? "would deny (audit mode)" : "deny")
			       : "allow", pr->rule ? pr->rule->text : "the default");
		if (pr->rule)
			printf(" (line %d)", pr->rule->line);
		printf("\n      why: %s\n", pr->why);
		for (size_t l = 0; l < pr->nlost; l++)
			printf("      over %s (line %d): %s\n", pr->lost[l]->text, pr->lost[l]->line,
			       pr->rule ? vm_why_over(pr->rule, pr->lost[l], a->path) : "?");
	}
	printf("verdict: %s\n", r->outcome == VM_AUDITED ? "allow (audit: an audit-mode policy would deny)"
							 : vm_outcome_name(r->outcome));
}

int cmd_explain(int argc, char **argv, bool json)
{
	static const struct option lo[] = {
		{ "cgroup", required_argument, NULL, 'c' },
		{ "policy-dir", required_argument, NULL, 'd' },
		{ 0 }
	};
	struct enf_policy_set set = { 0 };
	struct enf_compiled comp = { 0 };
	const char *cgpath = NULL, *dir = DEFAULT_POLICY_DIR;
	char action[PTEST_ACTION_MAX] = "", msg[256], shown[VM_PATH_MAX + 64];
	struct vm_action a;
	struct vm_result r;
	size_t gov[ENF_MAX_STACK + 1], ngov;
	int c, rc = 1;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+", lo, NULL)) != -1) {
		switch (c) {
		case 'c': cgpath = optarg; break;
		case 'd': dir = optarg; break;
		default: return offline_usage("explain: bad option%s", "");
		}
	}
	if (!cgpath)
		return offline_usage("explain: --cgroup PATH is required%s", "");
	if (cgpath[0] != '/' || !policy_path_normal(cgpath, false) || strlen(cgpath) > ENF_CG_PATH_MAX)
		return offline_usage("explain: bad cgroup path '%s' (absolute, normalised)", cgpath);
	if (optind >= argc)
		return offline_usage("explain: no action (exec PATH [exe P] [parent Q] | open PATH [read|write|...] [exe P] | "
				     "connect ADDR PORT [tcp|udp]%s)", "");
	for (int i = optind; i < argc; i++) {
		size_t l = strlen(action);

		if (l + strlen(argv[i]) + 2 > sizeof(action))
			return offline_usage("explain: %s", "action too long");
		snprintf(action + l, sizeof(action) - l, "%s%s", l ? " " : "", argv[i]);
	}
	if (vm_action_parse(action, &a, msg, sizeof(msg)) < 0)
		return offline_usage("explain: %s", msg);
	vm_action_format(&a, shown, sizeof(shown));
	if (load_set(dir, NULL, 0, &set, &comp) < 0)
		goto out;
	ngov = vm_governing(&set, cgpath, gov, ENF_MAX_STACK + 1);
	if (!ngov) {
		fprintf(stderr, "enforcerctl: no policy in %s governs cgroup %s (cgroup=, unit=; pod "
			"policies are bound at run time): nothing there is judged\n", dir, cgpath);
		goto out;
	}
	vm_action_resolve(&a);
	vm_judge(&set, &comp, gov, ngov, &a, &r);
	if (json)
		explain_json(&set, cgpath, shown, &a, &r);
	else
		explain_text(&set, cgpath, shown, &a, &r, ngov);
	rc = fflush(stdout) ? 1 : 0;
out:
	policy_compiled_free(&comp);
	policy_set_free(&set);
	return rc;
}

/* ---- test ---- */

static int has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);

	return n > m && !strcmp(s + n - m, suf);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Run the test files of one directory (all of them, or just one). */
static int test_dir(const char *dir, const char *only, bool emit, struct ptest_totals *tot)
{
	struct enf_policy_set set = { 0 };
	struct enf_compiled comp = { 0 };
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;
	DIR *d;
	struct dirent *de;

	if (load_set(dir, NULL, 0, &set, &comp) < 0) {
		tot->errors++;
		return -1;
	}
	if (only) {
		names = malloc(sizeof(*names));
		if (!names || !(names[0] = strdup(only))) {
			free(names);
			names = NULL;
			rc = -1;
		} else {
			n = 1;
		}
	} else if ((d = opendir(dir))) {
		while ((de = readdir(d))) {
			if (!has_suffix(de->d_name, ".test") || de->d_name[0] == '.')
				continue;
			if (n == cap) {
				char **nn = realloc(names, (cap = cap ? cap * 2 : 16) * sizeof(*names));
				if (!nn)
					break;
				names = nn;
			}
			if (!(names[n] = strdup(de->d_name)))
				break;
			n++;
		}
		closedir(d);
		qsort(names, n, sizeof(*names), cmp_str);
		if (!n) {
			fprintf(stderr, "enforcerctl: no NAME.test files in %s\n", dir);
			tot->errors++;
			rc = -1;
		}
	}
	for (size_t i = 0; i < n; i++) {
		char path[4096], ini[4096];
		size_t self = (size_t)-1;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		snprintf(ini, sizeof(ini), "%s/%.*s.ini", dir, (int)(strlen(names[i]) - 5), names[i]);
		for (size_t k = 0; k < set.n; k++)
			if (!strcmp(set.pol[k].file, ini))
				self = k;
		if (ptest_run_file(path, &set, &comp, self, emit, stdout, stderr, tot) < 0)
			rc = -1;
		free(names[i]);
	}
	free(names);
	policy_compiled_free(&comp);
	policy_set_free(&set);
	return rc;
}

int cmd_test(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "emit", no_argument, NULL, 'e' },
		{ 0 }
	};
	struct ptest_totals tot = { 0 };
	bool emit = false;
	int c, rc = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+", lo, NULL)) != -1) {
		switch (c) {
		case 'e': emit = true; break;
		default: return offline_usage("test: bad option%s", "");
		}
	}
	if (optind >= argc) {
		if (test_dir(DEFAULT_POLICY_DIR, NULL, emit, &tot) < 0)
			rc = 1;
	}
	for (int i = optind; i < argc; i++) {
		struct stat st;
		char *copy, *dcopy, *base, *dir;

		if (stat(argv[i], &st) < 0) {
			fprintf(stderr, "enforcerctl: %s: no such file or directory\n", argv[i]);
			tot.errors++;
			rc = 1;
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			if (test_dir(argv[i], NULL, emit, &tot) < 0)
				rc = 1;
			continue;
		}
		if (!has_suffix(argv[i], ".test")) {
			fprintf(stderr, "enforcerctl: %s: not a NAME.test file or a directory\n", argv[i]);
			tot.errors++;
			rc = 1;
			continue;
		}
		copy = strdup(argv[i]);
		dcopy = strdup(argv[i]);
		if (!copy || !dcopy) {
			free(copy);
			free(dcopy);
			return 1;
		}
		base = basename(copy);
		/* dirname("x.test") is a static "." : free what strdup gave */
		dir = dirname(dcopy);
		if (test_dir(dir, base, emit, &tot) < 0)
			rc = 1;
		free(copy);
		free(dcopy);
	}
	if (!emit)
		printf("%u passed, %u failed, %u error%s\n", tot.passed, tot.failed, tot.errors,
		       tot.errors == 1 ? "" : "s");
	if (tot.failed || tot.errors)
		rc = 1;
	return fflush(stdout) ? 1 : rc;
}
