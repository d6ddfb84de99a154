// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_pattern.c - glob patterns in exec and file rule paths on the host:
 * the matcher (pattern.c, the kernel's steps) against a plain recursive
 * definition on random globs and names, its partial matches, the order
 * among patterns, the parser's errors with file:line, and the offline
 * verdict model (precedence against literal rules, conditions, rights),
 * program conditions on patterns (order, which pattern decides per class).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "compile_fixture.h"
#include "pattern.h"
#include "verdict_model.h"
#include "tap.h"

/* The definition: '*' and '?' never match '/', a whole component "**"
 * matches any number of whole components (zero included). */
static bool ref_match(const char *g, const char *s)
{
	if (!*g)
		return !*s;
	if (g[0] == '*' && g[1] == '*' && (g[2] == '/' || !g[2])) {
		/* "**" or "**" "/" REST: zero or more whole components */
		if (!g[2])
			return true;
		for (const char *t = s;; ) {
			if (ref_match(g + 3, t))
				return true;
			t = strchr(t, '/');
			if (!t)
				return false;
			t++;
		}
	}
	if (*g == '*') {
		for (const char *t = s;; t++) {
			if (ref_match(g + 1, t))
				return true;
			if (!*t || *t == '/')
				return false;
		}
	}
	if (!*s)
		/* "/" "**" at the end matches no name too */
		return !strcmp(g, "/**");
	if (*g == '?')
		return *s != '/' && ref_match(g + 1, s + 1);
	return *g == *s && ref_match(g + 1, s + 1);
}

static void matcher(void)
{
	static const struct { const char *g, *s; bool want; } t[] = {
		{ "*shadow*", "shadow", true }, { "*shadow*", "gshadow-", true },
		{ "*shadow*", "passwd", false }, { "*shadow*", "x/shadow", false },
		{ "*/.ssh/**", "a/.ssh", true }, { "*/.ssh/**", "a/.ssh/id_rsa", true },
		{ "*/.ssh/**", "a/.ssh/k/l/m", true }, { "*/.ssh/**", "a/x/.ssh/k", false },
		{ "*/.ssh/**", "a", false }, { "*.log", "app.log", true },
		{ "*.log", "app.log.1", false }, { "*.log", "sub/x.log", false },
		{ "k?y", "key", true }, { "k?y", "keey", false }, { "k?y", "k/y", false },
		{ "**", "", true }, { "**", "a/b/c", true }, { "**/z", "z", true },
		{ "**/z", "a/b/z", true }, { "**/z", "a/b/zz", false }, { "a/**/b", "a/b", true },
		{ "a/**/b", "a/x/y/b", true }, { "a/**/b", "ab", false }, { "*x*/**/*.c", "axb/q/r.c", true },
		{ "[a]", "[a]", true }, { "[a]", "a", false }, { "a\\*", "a\\bc", true },
	};
	char glob[64], subj[64];
	unsigned seed = 19, bad = 0;

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		ok(pattern_match(t[i].g, t[i].s, NULL) == t[i].want, "match: '%s' %s '%s'", t[i].g,
		   t[i].want ? "matches" : "does not match", t[i].s);
	/* random globs and subjects against the definition */
	for (int n = 0; n < 200000; n++) {
		static const char *gparts[] = { "a", "b", "*", "?", "**", "a*", "*b", "?a" };
		static const char *sparts[] = { "a", "b", "ab", "ba", "aa", "abab" };
		int gn = 1 + rand_r(&seed) % 4, sn = rand_r(&seed) % 5;

		glob[0] = subj[0] = 0;
		for (int k = 0; k < gn; k++) {
			strcat(glob, k ? "/" : "");
			strcat(glob, gparts[rand_r(&seed) % 8]);
		}
		for (int k = 0; k < sn; k++) {
			strcat(subj, k ? "/" : "");
			strcat(subj, sparts[rand_r(&seed) % 6]);
		}
		if (pattern_match(glob, subj, NULL) != ref_match(glob, subj) && bad++ < 5)
			diag("differ: '%s' vs '%s': kernel steps %d, definition %d", glob, subj,
			     pattern_match(glob, subj, NULL), ref_match(glob, subj));
	}
	is_int(bad, 0, "match: the kernel's steps agree with the definition on 200000 random cases");
	{
		bool partial;

		ok(!pattern_match("*/.ssh/**", "alice", &partial) && partial,
		   "partial: a home directory may hold matches of */.ssh/**");
		ok(!pattern_match("*shadow*", "dir", &partial) && !partial, "partial: no match below a file name");
		ok(!pattern_match("**/id_rsa", "docs", &partial) && partial, "partial: ** may hold matches at any depth");
	}
}

static int build(const char *text)
{
	parse_text("p.ini", text);
	if (!err.n)
		policy_compile(&set, NULL, &c, &err);
	return err.n ? -1 : 0;
}

/* The first error of text, or "". */
static const char *error_of(const char *text)
{
	build(text);
	return err.n ? err.msg[0] : "";
}

static void parse_errors(void)
{
	char buf[16384];
	size_t n;

#define HEAD "[policy]\ncgroup = /a\n[file]\n"
	is_string(error_of(HEAD "deny = /a/**x\n"), "p.ini:4: '**' must be a whole path component (as in /a/**/b)",
		  "error: ** inside a component");
	is_string(error_of(HEAD "deny = /a/b**/c\n"), "p.ini:4: '**' must be a whole path component (as in /a/**/b)",
		  "error: ** after a name");
	is_string(error_of(HEAD "deny = /a/***\n"), "p.ini:4: '**' must be a whole path component (as in /a/**/b)",
		  "error: ***");
	is_string(error_of(HEAD "deny = /a//*\n"), "p.ini:4: path '/a//*' is not normalized (no '.', '..' or '//')",
		  "error: an empty component");
	is_string(error_of(HEAD "deny = /a/*/../b\n"), "p.ini:4: path '/a/*/../b' is not normalized (no '.', '..' or '//')",
		  "error: .. after a wildcard");
	n = (size_t)snprintf(buf, sizeof(buf), HEAD "deny = /a/*");
	memset(buf + n, 'x', 130);
	strcpy(buf + n + 130, "\n");
	is_string(error_of(buf), "p.ini:4: pattern too long after its literal directory (max 127 bytes)",
		  "error: a glob too long");
	is_string(error_of(HEAD "deny = /a/*/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15/16\n"),
		  "p.ini:4: pattern with more than 16 components after its literal directory",
		  "error: too many components");
	/* program conditions on patterns (issue 19) */
	is_string(error_of(HEAD "deny = /a/* exe /bin/sh\nallow = /b/*.txt read exe /usr/bin/\n"), "",
		  "exe PATH and exe DIR/ follow a file pattern");
	ok(set.n == 1 && set.pol[0].nrules == 2 && set.pol[0].rules[0].pattern && set.pol[0].rules[0].prog == 1 &&
	   !set.pol[0].rules[0].parent && set.pol[0].rules[1].prog == 2 && !strcmp(set.pol[0].rules[1].path, "/b/*.txt"),
	   "... each its program class, the path without the condition");
	is_string(error_of("[policy]\ncgroup = /a\n[exec]\ndeny = /x/*-tool parent /bin/dash\n"
			   "deny = /x/**/t? exe /bin/sh\n"), "", "exe and parent follow an exec pattern");
	ok(set.n == 1 && set.pol[0].rules[0].parent && set.pol[0].rules[0].pattern && !set.pol[0].rules[1].parent,
	   "... parent marked on the first only");
	ok(c.npols == 1 && (c.pols[0].prog_hooks & (1u << ENF_HOOK_EXEC)) && (c.pols[0].prog_hooks & ENF_PROG_PARENT),
	   "... the policy's exec hook has program conditions, parent among them");
	is_string(error_of(HEAD "deny = /a/* parent /bin/sh\n"),
		  "p.ini:4: 'parent' is for [exec] rules only (the program of the parent process of the one being started)", "error: parent on a file pattern");
	is_string(error_of(HEAD "deny = /a/* exe\n"), "p.ini:4: 'exe' needs a program path", "error: exe without a path");
	is_string(error_of(HEAD "allow = /a/* exe /usr/bin/*\n"),
		  "p.ini:4: a program path takes no wildcard ('*', '?'): name the program, or a directory as DIR/",
		  "error: a wildcard in the program path");
	is_string(error_of("[policy]\ncgroup = /a\n[connect]\nallow = 10.0.0.0/8 exe /usr/bin/p?ql\n"),
		  "p.ini:4: a program path takes no wildcard ('*', '?'): name the program, or a directory as DIR/",
		  "error: ... on a connect rule too");
	is_string(error_of("[policy]\nnamespace = ns\n[file]\ndeny = /etc/*shadow* exe /bin/cat\n"), "",
		  "a pattern with exe in a pod policy: accepted (the program resolved in each container's root)");
	is_string(error_of("[policy]\nnamespace = ns\n[file]\ndeny = /etc/*shadow*\n"), "",
		  "a pattern in a pod policy: accepted (anchored in each container's root)");
	{
		const char *pod = "[policy]\nnamespace = ns\n[file]\ndeny = /etc/*shadow*\ndeny = /data/**/*.key\n";

		ok(build(pod) == 0 && set.n == 1 && set.pol[0].nrules == 2 && set.pol[0].rules[0].pattern &&
		   set.pol[0].rules[1].pattern, "... both patterns kept as rules of the pod policy");
		ok(policy_resolve_paths(&set, "/nonexistent-root", &err) == 0 && set.pol[0].rules[1].resolved &&
		   !strcmp(set.pol[0].rules[1].resolved, "/data/**/*.key"),
		   "... kept as written at load (resolved in each container's root at bind)");
	}
	n = (size_t)snprintf(buf, sizeof(buf), HEAD);
	for (int k = 0; k < 17; k++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "deny = /d/x%d*\n", k);
	is_string(error_of(buf), "p.ini:20: too many patterns below /d/ (max 16 per directory)",
		  "error: 17 patterns of one directory");
	n = (size_t)snprintf(buf, sizeof(buf), HEAD);
	for (int k = 0; k < POLICY_PATTERNS_MAX + 1; k++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "deny = /d%d/*\n", k);
	build(buf);
	ok(err.n == 1 && strstr(err.msg[0], "p.ini:260: too many patterns (max 256 per policy)"),
	   "error: 257 patterns in one policy: %s", err.n ? err.msg[0] : "none");
	is_string(error_of(HEAD "deny = /a/*\nallow = /a/*.txt owner\ndeny = /b/*.new create\n"), "",
		  "conditions and rights follow a pattern");
	ok(set.n == 1 && set.pol[0].rules[0].pattern && !set.pol[0].rules[0].dir, "a pattern rule is marked");
	is_string(error_of(HEAD "readonly = /var/log/*/\n"), "", "a trailing / ...");
	is_string(set.n ? set.pol[0].rules[0].path : "", "/var/log/*/**", "... reads as a last component **");
	ok(c.npaths == 0, "patterns have no path keys (the inode walk matches them)");
}

static const char *judge(const char *action, const char **rule)
{
	static struct vm_result r;
	struct vm_action a;
	size_t gov[1] = { 0 };
	char msg[256];

	if (vm_action_parse(action, &a, msg, sizeof(msg)) < 0)
		return "parse error";
	vm_judge(&set, &c, gov, 1, &a, &r);
	*rule = "none";
	for (size_t k = 0; k < r.n; k++)
		if (r.r[k].active)
			*rule = r.r[k].rule ? r.r[k].rule->text : "default";
	return vm_outcome_name(r.outcome);
}

static void model(void)
{
	const char *rule;

	if (build("[policy]\ncgroup = /a\n[exec]\ndeny = /x/bin/*-tool\n[file]\n"
		  "deny = /x/etc/*shadow*\nallow = /x/etc/gshadow\ndeny = /x/home/*/.ssh/**\n"
		  "readonly = /x/log/*.log\ndeny = /x/pub/\nallow = /x/pub/*.txt\n"
		  "deny = /x/data/**\nallow = /x/data/*.csv\nallow = /x/own/* owner\n"
		  "deny = /x/out/*.new create\nallow = /x/etc/sub/\n") < 0)
	{
		diag("build: %s", err.n ? err.msg[0] : "");
		bail("build");
	}
	is_string(judge("open /x/etc/shadow", &rule), "deny", "model: *shadow* denies shadow");
	is_string(rule, "deny = /x/etc/*shadow*", "model: ... by the pattern");
	is_string(judge("open /x/etc/passwd", &rule), "allow", "model: passwd not matched");
	is_string(judge("open /x/etc/gshadow", &rule), "allow", "model: a literal file rule beats the pattern");
	is_string(judge("open /x/etc/sub/shadow", &rule), "allow", "model: '*' never crosses '/'");
	is_string(judge("open /x/home/a/.ssh/k", &rule), "deny", "model: */.ssh/**");
	is_string(judge("open /x/home/a/.ssh", &rule), "deny", "model: ... .ssh itself");
	is_string(judge("open /x/home/a/b/.ssh/k", &rule), "allow", "model: ... not one level deeper");
	is_string(judge("open /x/log/app.log write", &rule), "deny", "model: a readonly pattern denies writes");
	is_string(judge("open /x/log/app.log", &rule), "allow", "model: ... and lets reads pass");
	is_string(judge("open /x/pub/a.txt", &rule), "allow", "model: a pattern beats its directory's rule");
	is_string(rule, "allow = /x/pub/*.txt", "model: ... decided by the pattern");
	is_string(judge("open /x/pub/a.bin", &rule), "deny", "model: ... which holds for the rest");
	is_string(judge("open /x/data/x.csv", &rule), "allow", "model: more literal bytes win among patterns");
	is_string(judge("open /x/data/s/x.csv", &rule), "deny", "model: ... data/** for s/x.csv");
	is_string(judge("exec /x/bin/a-tool", &rule), "deny", "model: an exec pattern");
	is_string(judge("exec /x/bin/tool", &rule), "allow", "model: ... not matched");
	is_string(judge("open /x/own/f read not-owner", &rule), "deny", "model: an owner condition on a pattern");
	is_string(judge("open /x/own/f read", &rule), "allow", "model: ... the owner passes");
	is_string(judge("open /x/out/a.new write create", &rule), "deny", "model: a right on a pattern");
	is_string(judge("open /x/out/a.new write", &rule), "allow", "model: ... only that right");
	reset();
}

/* Which pattern decides for a program class (pattern_best_prog): the
 * load-time identity entries of a program's pattern follow it. */
static void by_program(void)
{
	const struct enf_policy_src *p;
	const char *rule;

	if (build("[policy]\ncgroup = /a\n[file]\ndeny = /x/etc/*shadow*\n"
		  "allow = /x/etc/*shadow* exe /bin/cat\ndeny = /x/etc/*.conf exe /bin/sh\n"
		  "allow = /x/etc/g* exe /bin/cat\n[exec]\ndeny = /x/bin/* parent /bin/dash\n") < 0)
		bail("build");
	p = &set.pol[0];
	ok(pattern_best(p, ENF_KIND_FILE, "/x/etc/shadow") == &p->rules[0],
	   "by program: without one, the pattern without a condition");
	ok(pattern_best_prog(p, ENF_KIND_FILE, "/x/etc/shadow", 1, false) == &p->rules[1],
	   "by program: cat's pattern over the one without at equal length and bytes");
	ok(pattern_best_prog(p, ENF_KIND_FILE, "/x/etc/shadow", 2, false) == &p->rules[0],
	   "by program: another class's pattern not considered");
	ok(pattern_best_prog(p, ENF_KIND_FILE, "/x/etc/a.conf", 2, false) == &p->rules[2],
	   "by program: sh's pattern for a.conf");
	ok(pattern_best_prog(p, ENF_KIND_FILE, "/x/etc/a.conf", 1, false) == NULL,
	   "by program: ... none for cat");
	ok(pattern_best_prog(p, ENF_KIND_FILE, "/x/etc/gshadow", 1, false) == &p->rules[1],
	   "by program: more literal bytes first among cat's (*shadow* over g*)");
	ok(pattern_best_prog(p, ENF_KIND_EXEC, "/x/bin/t", 3, true) == &p->rules[4],
	   "by program: an exec pattern by its parent's class");
	ok(pattern_best_prog(p, ENF_KIND_EXEC, "/x/bin/t", 3, false) == NULL,
	   "by program: ... not as the program's own class");
	/* the model judges without a program: rules with one are not its (as
	 * for literal rules) */
	is_string(judge("open /x/etc/shadow", &rule), "deny", "model: a pattern with exe is not the model's");
	is_string(rule, "deny = /x/etc/*shadow*", "model: ... the pattern without decides");
	is_string(judge("exec /x/bin/t", &rule), "allow", "model: ... nor one with parent");
	{
		static struct vm_result r;
		struct vm_action a;
		size_t gov[1] = { 0 };
		char msg[256];
		bool said = false;

		vm_action_parse("open /x/etc/shadow", &a, msg, sizeof(msg));
		vm_judge(&set, &c, gov, 1, &a, &r);
		for (size_t k = 0; k < r.n; k++)
			said |= r.r[k].active && strstr(r.r[k].why, "the pattern allow = /x/etc/*shadow* exe /bin/cat (line 5) may decide otherwise");
		ok(said, "explain: says that a pattern with exe matching the file may decide otherwise for its programs");
	}
	reset();
}

static void order(void)
{
	struct enf_rule a = { .id = 0, .verdict = ENF_ALLOW, .path = "/x/data/*.csv", .pattern = true };
	struct enf_rule b = { .id = 1, .verdict = ENF_DENY, .path = "/x/data/**", .pattern = true };
	struct enf_rule d = { .id = 2, .verdict = ENF_ALLOW, .path = "/x/data/sub/*", .pattern = true };
	struct enf_rule e = { .id = 3, .verdict = ENF_DENY, .path = "/x/data/*.csv", .pattern = true };
	const struct enf_rule *pa = &a, *pb = &b, *pd = &d, *pe = &e;

	ok(pattern_cmp(&pa, &pb) < 0, "order: more literal bytes first");
	ok(pattern_cmp(&pd, &pa) < 0, "order: a longer literal directory first");
	ok(pattern_cmp(&pe, &pa) < 0, "order: at equal length and bytes, the stricter first");
	{
		/* a program condition at equal length and bytes: first, even before
		 * a stricter pattern without one; fewer bytes: after */
		struct enf_rule pc = { .id = 4, .verdict = ENF_ALLOW, .path = "/x/data/*.csv", .pattern = true, .prog = 1 };
		struct enf_rule qc = { .id = 5, .verdict = ENF_DENY, .path = "/x/data/**", .pattern = true, .prog = 1 };
		const struct enf_rule *ppc = &pc, *pqc = &qc;

		ok(pattern_cmp(&ppc, &pe) < 0 && pattern_cmp(&pe, &ppc) > 0,
		   "order: at equal length and bytes, a pattern with exe before one without, the stricter too");
		ok(pattern_cmp(&pa, &pqc) < 0, "order: ... more literal bytes still first");
		ok(pattern_cmp(&pqc, &pb) < 0, "order: ... exe before none for data/**");
	}
	is_int(pattern_plen(&a), (long long)strlen("/x/data/") + 1, "plen: the literal directory's length + 1");
	is_int(pattern_glob_start("/etc/*shadow*"), 5, "glob start: after /etc/");
	is_int(pattern_glob_start("/*"), 1, "glob start: at the root");
}

int main(void)
{
	matcher();
	parse_errors();
	model();
	by_program();
	order();
	return done_testing();
}
