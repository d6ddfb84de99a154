// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_policy_parse.c - the INI policy parser: a valid policy as understood,
 * every error message (exact "file:line: message" text), the limits, the
 * hostile-input checks, directory loading and symlink resolution.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "capability.h"
#include "pattern.h"
#include "policy.h"
#include "stat_memo.h"
#include "tap.h"

static struct enf_policy_set set;
static struct enf_errors err;

static void reset(void)
{
	policy_set_free(&set);
	errors_free(&err);
}

static int parse(const char *file, const char *text)
{
	reset();
	return policy_parse_buffer(file, text, strlen(text), &set, &err);
}

/* The policy fails with exactly this one message. */
static void fails_with(const char *file, const char *text, const char *msg, const char *what)
{
	int r = parse(file, text);

	if (!ok(r == -1 && err.n == 1 && set.n == 0 && !strcmp(err.msg[0], msg), "%s", what)) {
		diag("  rc %d, %zu errors, %zu policies; expected '%s'", r, err.n, set.n, msg);
		for (size_t i = 0; i < err.n; i++)
			diag("  got: '%s'", err.msg[i]);
	}
}

#define HDR "[policy]\ncgroup = /t\n"

static void test_valid(void)
{
	const char *text =
		"; the example of issue 2\n"
		"[policy]\n"
		"name = web            ; comment\n"
		"cgroup = /system.slice/nginx.service\n"
		"cgroup = /\n"
		"unit = nginx.service\n"
		"mode = audit\n"
		"\n"
		"[exec]\n"
		"default = allow\n"
		"deny = /usr/bin/curl  ; repeatable\n"
		"allow = /usr/sbin/nginx\n"
		"\n"
		"[file]\n"
		"default = deny\n"
		"deny = /etc/shadow\n"
		"readonly = /usr/\n"
		"  allow = /srv/my www/   # hash comment\n"
		"\n"
		"[connect]\n"
		"default = allow\n"
		"deny = 169.254.169.254\n"
		"deny = 0.0.0.0/0 port 25\n"
		"allow = 10.0.0.0/8 port 5432-5433 tcp\n"
		"deny = ::/0\n";
	const struct enf_policy_src *p;

	is_int(parse("policies/web.ini", text), 0, "issue example parses");
	is_int(err.n, 0, "no errors");
	if (set.n != 1)
		bail("no policy");
	p = &set.pol[0];
	is_string(p->name, "web", "name");
	is_string(p->file, "policies/web.ini", "file");
	is_int(p->ncgroups, 2, "two cgroups");
	is_string(p->cgroups[0], "/system.slice/nginx.service", "cgroup 0");
	is_string(p->cgroups[1], "/", "cgroup 1 is the host");
	is_int(p->cgroup_lines[1], 5, "cgroup line");
	is_int(p->nunits, 1, "one unit");
	is_string(p->units[0], "nginx.service", "unit");
	is_int(p->mode, ENF_MODE_AUDIT, "mode audit");
	is_int(p->line, 2, "[policy] line");
	is_int(p->name_line, 3, "name line");
	ok(p->sec[ENF_HOOK_EXEC].present && p->sec[ENF_HOOK_EXEC].deflt == ENF_ALLOW, "[exec] default allow");
	ok(p->sec[ENF_HOOK_FILE].present && p->sec[ENF_HOOK_FILE].deflt == ENF_DENY, "[file] default deny");
	is_int(p->nrules, 9, "nine rules");
	if (p->nrules != 9)
		bail("rules");
	for (size_t i = 0; i < p->nrules; i++)
		is_int(p->rules[i].id, i, "rule %zu id", i);
	is_string(p->rules[0].text, "deny = /usr/bin/curl", "text trimmed, comment dropped");
	is_string(p->rules[0].path, "/usr/bin/curl", "path");
	is_int(p->rules[0].line, 11, "line of rule 0");
	is_int(p->rules[0].hook, ENF_HOOK_EXEC, "exec hook");
	is_int(p->rules[0].verdict, ENF_DENY, "deny");
	ok(!p->rules[0].dir, "a file");
	is_int(p->rules[1].verdict, ENF_ALLOW, "allow");
	is_int(p->rules[3].verdict, ENF_READONLY, "readonly");
	ok(p->rules[3].dir, "/usr/ is a directory rule");
	is_string(p->rules[4].path, "/srv/my www/", "path with a space, '#' comment dropped");
	is_string(p->rules[4].text, "allow = /srv/my www/", "text of an indented line");
	is_int(p->rules[4].line, 18, "line of rule 4");
	is_int(p->rules[5].hook, ENF_HOOK_CONNECT, "connect hook");
	is_int(p->rules[5].family, 4, "IPv4");
	is_int(p->rules[5].plen, 32, "/32 by default");
	is_int(p->rules[6].plen, 0, "0.0.0.0/0");
	ok(p->rules[6].port_lo == 25 && p->rules[6].port_hi == 25 && !p->rules[6].port_any, "port 25");
	ok(p->rules[7].port_lo == 5432 && p->rules[7].port_hi == 5433 && p->rules[7].proto == 6, "port range tcp");
	ok(p->rules[8].family == 6 && p->rules[8].plen == 0 && p->rules[8].port_any, "::/0");
}

static void test_defaults(void)
{
	const struct enf_policy_src *p;

	is_int(parse("/etc/enforcer/policies/db-1.ini", "[policy]\ncgroup = /db\n"), 0, "minimal policy");
	if (set.n != 1)
		bail("no policy");
	p = &set.pol[0];
	is_string(p->name, "db-1", "name from the file name");
	is_int(p->name_line, 0, "no name line");
	is_int(p->mode, ENF_MODE_ENFORCE, "enforce by default");
	for (int h = 0; h < ENF_HOOK_MAX; h++)
		ok(!p->sec[h].present, "section %d absent", h);

	is_int(parse("x.ini", "[policy]\nunit = foo.service\n[exec]\n[file]\n"), 0, "unit only, empty sections");
	ok(set.n == 1 && set.pol[0].sec[ENF_HOOK_EXEC].present && set.pol[0].sec[ENF_HOOK_FILE].present &&
	   !set.pol[0].sec[ENF_HOOK_CONNECT].present, "empty sections are present");

	is_int(parse("x.ini", "\xef\xbb\xbf[policy]\r\ncgroup = /a/b\r\ncgroup = /a/b\r\n[EXEC]\r\nDeny = /bin/x\r\n"),
	       0, "BOM, CRLF, case-insensitive names");
	ok(set.n == 1 && set.pol[0].ncgroups == 1, "duplicate cgroup kept once");
	ok(set.n == 1 && set.pol[0].nrules == 1 && !strcmp(set.pol[0].rules[0].path, "/bin/x") &&
	   !strcmp(set.pol[0].rules[0].text, "Deny = /bin/x"), "CRLF stripped from path and text");

	is_int(parse("x.ini", "[policy]\ncgroup = /a\n[exec]\ndeny = /x;y\n"), 0, "';' inside a value");
	ok(set.n == 1 && !strcmp(set.pol[0].rules[0].path, "/x;y"), "kept as part of the path");

	is_int(parse("x.ini", "[policy]\nname=a.b_c-9\ncgroup=/\n[policy]\nmode=enforce\n"), 0,
	       "repeated [policy] section");
	ok(set.n == 1 && !strcmp(set.pol[0].name, "a.b_c-9"), "name chars");
	is_int(parse("x.ini", "[policy]\ncgroup=/\n[exec]\ndefault = deny\n"), 0, "default only");
	ok(set.n == 1 && set.pol[0].sec[0].deflt == ENF_DENY, "default deny");
}

static void test_errors(void)
{
	char *big, *longline;

	fails_with("p.ini", "[policy]\ncgroup = /t\n[bogus]\n", "p.ini:3: unknown section '[bogus]' (expected [policy], [exec], [file], [connect], [bind] or [capabilities])", "unknown section");
	fails_with("p.ini", "[policy]\ncgroup = /t\n[exec\ndeny = /x\n", "p.ini:3: unterminated section header '[exec' (missing ']')", "unterminated section");
	fails_with("p.ini", "[policy]\ncgroup = /t\n[exec] deny\n", "p.ini:3: unexpected text after section header '[exec] deny'", "text after section");
	fails_with("p.ini", HDR "[exec]\ndeny\n", "p.ini:4: key 'deny' has no value (expected 'key = value')", "key without '='");
	fails_with("p.ini", HDR "[exec]\ndeny =\n", "p.ini:4: key 'deny' has no value", "key with empty value");
	fails_with("p.ini", HDR "[exec]\ndeny =   ; only a comment\n", "p.ini:4: key 'deny' has no value", "key with only a comment");
	fails_with("p.ini", HDR "[exec]\n= /x\n", "p.ini:4: missing key before '='", "missing key");
	fails_with("p.ini", HDR "[exec]\nde ny = /x\n", "p.ini:4: bad key name 'de ny'", "bad key name");
	fails_with("p.ini", HDR "[exec]\ndeny: /x\n", "p.ini:4: key 'deny: /x' has no value (expected 'key = value')", "':' is not a separator");
	fails_with("p.ini", "mode = audit\n[policy]\ncgroup = /\n", "p.ini:1: key 'mode' outside of any section (start with [policy])", "key before any section");
	fails_with("p.ini", HDR "colour = red\n", "p.ini:3: unknown key 'colour' in [policy] (expected name, cgroup, unit, namespace, pod or mode)", "unknown key in [policy]");
	fails_with("p.ini", HDR "[exec]\nreadonly = /x\n", "p.ini:4: unknown key 'readonly' in [exec] (expected default, deny or allow)", "readonly in [exec]");
	fails_with("p.ini", HDR "[file]\nwrite = /x\n", "p.ini:4: unknown key 'write' in [file] (expected default, deny, readonly or allow)", "unknown key in [file]");
	fails_with("p.ini", HDR "[connect]\nreadonly = 1.2.3.4\n", "p.ini:4: unknown key 'readonly' in [connect] (expected default, deny or allow)", "unknown key in [connect]");
	fails_with("p.ini", HDR "[exec]\ndefault = maybe\n", "p.ini:4: bad default 'maybe' (expected allow or deny)", "bad default");
	fails_with("p.ini", HDR "[file]\ndefault = readonly\n", "p.ini:4: bad default 'readonly' (expected allow or deny)", "readonly is not a default");
	fails_with("p.ini", HDR "[exec]\ndefault = deny\ndefault = allow\n", "p.ini:5: duplicate key 'default' in [exec] (first on line 4)", "duplicate default");
	fails_with("p.ini", HDR "mode = permissive\n", "p.ini:3: bad mode 'permissive' (expected enforce or audit)", "bad mode");
	fails_with("p.ini", HDR "mode = audit\nmode = audit\n", "p.ini:4: duplicate key 'mode' (first on line 3)", "duplicate mode");
	fails_with("p.ini", HDR "name = a\nname = b\n", "p.ini:4: duplicate key 'name' (first on line 3)", "duplicate name");
	fails_with("p.ini", HDR "name = no/slash\n", "p.ini:3: bad policy name 'no/slash' (use A-Z a-z 0-9 _ . -, at most 64 bytes)", "bad name");
	fails_with("p.ini", HDR "name = aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n", "p.ini:3: bad policy name 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' (use A-Z a-z 0-9 _ . -, at most 64 bytes)", "name too long");
	fails_with("dir/my policy.ini", HDR, "dir/my policy.ini:1: policy name 'my policy' taken from the file name is not valid (use A-Z a-z 0-9 _ . -, at most 64 bytes): set name =", "bad name from the file");
	fails_with("p.ini", "[policy]\nname = x\n", "p.ini:1: no cgroup=, unit=, namespace= or pod= in [policy]: the policy would govern nothing", "no cgroup");
	fails_with("p.ini", "; nothing\n", "p.ini:1: no cgroup=, unit=, namespace= or pod= in [policy]: the policy would govern nothing", "empty file");
	fails_with("p.ini", "[policy]\ncgroup = system.slice\n", "p.ini:2: relative cgroup path 'system.slice' (cgroup paths are absolute, \"/\" is the whole host)", "relative cgroup");
	fails_with("p.ini", "[policy]\ncgroup = /a/../b\n", "p.ini:2: cgroup path '/a/../b' is not normalized (no '.', '..', '//' or trailing '/')", "cgroup ..");
	fails_with("p.ini", "[policy]\ncgroup = /a//b\n", "p.ini:2: cgroup path '/a//b' is not normalized (no '.', '..', '//' or trailing '/')", "cgroup //");
	fails_with("p.ini", "[policy]\ncgroup = /a/\n", "p.ini:2: cgroup path '/a/' is not normalized (no '.', '..', '//' or trailing '/')", "cgroup trailing /");
	fails_with("p.ini", "[policy]\ncgroup = /a/./b\n", "p.ini:2: cgroup path '/a/./b' is not normalized (no '.', '..', '//' or trailing '/')", "cgroup .");
	fails_with("p.ini", "[policy]\nunit = a/b.service\n", "p.ini:2: bad unit name 'a/b.service'", "bad unit");
	fails_with("p.ini", HDR "[exec]\ndeny = usr/bin/curl\n", "p.ini:4: relative path 'usr/bin/curl' (rule paths must be absolute)", "relative path");
	fails_with("p.ini", HDR "[file]\ndeny = ~/x\n", "p.ini:4: relative path '~/x' (rule paths must be absolute)", "tilde path");
	fails_with("p.ini", HDR "[file]\ndeny = /etc/../etc/shadow\n", "p.ini:4: path '/etc/../etc/shadow' is not normalized (no '.', '..' or '//')", "path with ..");
	fails_with("p.ini", HDR "[file]\ndeny = /etc//shadow\n", "p.ini:4: path '/etc//shadow' is not normalized (no '.', '..' or '//')", "path with //");
	fails_with("p.ini", HDR "[file]\ndeny = /etc/./\n", "p.ini:4: path '/etc/./' is not normalized (no '.', '..' or '//')", "path with .");
	fails_with("p.ini", HDR "[connect]\ndeny = 10.0.0.0/33\n", "p.ini:4: bad prefix length '/33' (0..32)", "bad CIDR");
	fails_with("p.ini", HDR "[connect]\ndeny = example.com\n", "p.ini:4: bad address 'example.com' (expected an IPv4 or IPv6 address)", "host name");
	fails_with("p.ini", HDR "[connect]\ndeny = 1.2.3.4 port 70000\n", "p.ini:4: bad port '70000' (expected N or N-M, 0..65535)", "bad port");
	fails_with("p.ini", HDR "[connect]\ndeny = 1.2.3.4 port 5-4\n", "p.ini:4: bad port range '5-4' (start above end)", "bad range");
	fails_with("p.ini", HDR "[connect]\ndeny = 1.2.3.4 sctp\n", "p.ini:4: unexpected 'sctp' (expected 'port N[-M]', 'tcp' or 'udp')", "bad proto");

	/* hostile bytes */
	{
		static const char nul[] = HDR "[exec]\ndeny = /bin/x\0/hidden\n";
		reset();
		is_int(policy_parse_buffer("n.ini", nul, sizeof(nul) - 1, &set, &err), -1, "NUL byte rejected");
		ok(err.n == 1 && !strcmp(err.msg[0], "n.ini:4: NUL byte (policy files are text)"), "NUL byte message");
	}
	fails_with("b.ini", HDR "[exec]\ndeny = /bin/\xff\xfe\n", "b.ini:4: invalid UTF-8 (policy files are text)", "invalid UTF-8");
	fails_with("b.ini", HDR "[exec]\ndeny = /bin/\xc0\xaf\n", "b.ini:4: invalid UTF-8 (policy files are text)", "overlong UTF-8");
	fails_with("b.ini", HDR "[exec]\ndeny = /bin/\xed\xa0\x80\n", "b.ini:4: invalid UTF-8 (policy files are text)", "UTF-8 surrogate");
	fails_with("b.ini", HDR "[exec]\ndeny = /bin/\x1b[31m\n", "b.ini:4: control character 0x1b (policy files are text)", "escape byte");
	fails_with("b.ini", HDR "[exec]\ndeny = /a\rb\n", "b.ini:4: control character 0x0d (policy files are text)", "CR inside a line");
	is_int(parse("u.ini", HDR "[exec]\ndeny = /usr/bin/caf\xc3\xa9\n"), 0, "UTF-8 path accepted");

	longline = malloc(2 * POLICY_LINE_MAX);
	snprintf(longline, 2 * POLICY_LINE_MAX, HDR "[exec]\ndeny = /%0*d\n", POLICY_LINE_MAX, 0);
	fails_with("l.ini", longline, "l.ini:4: line too long (max 4096 bytes)", "line too long");
	snprintf(longline, 2 * POLICY_LINE_MAX, HDR "; %0*d\n[exec]\ndeny = /%0*d\n", POLICY_LINE_MAX - 2, 0, 247, 0);
	fails_with("l.ini", longline, "l.ini:5: path too long (max 247 bytes)", "path too long (and a 4096-byte comment line is fine)");
	free(longline);

	big = malloc(POLICY_FILE_MAX + 100);
	strcpy(big, HDR);
	for (size_t n = strlen(big); n < POLICY_FILE_MAX + 50; n += 10)
		memcpy(big + n, ";23456789\n", 11);
	fails_with("big.ini", big, "big.ini:104858: file too large (max 1048576 bytes)", "file too large");
	free(big);
}

static void test_multiple_errors(void)
{
	is_int(parse("m.ini", HDR "[exec]\ndeny = rel\nallow = /ok\nfoo = 1\n"), -1, "several errors");
	is_int(err.n, 2, "both reported");
	ok(err.n == 2 && !strcmp(err.msg[0], "m.ini:4: relative path 'rel' (rule paths must be absolute)") &&
	   !strcmp(err.msg[1], "m.ini:6: unknown key 'foo' in [exec] (expected default, deny or allow)"), "in order");
	is_int(set.n, 0, "nothing appended");
}

static void test_limits(void)
{
	size_t cap = (size_t)(POLICY_CGROUPS_MAX + 2) * 24 + 64, n;
	char *b = malloc(cap);

	n = (size_t)sprintf(b, "[policy]\n");
	for (int i = 0; i <= POLICY_CGROUPS_MAX; i++)
		n += (size_t)sprintf(b + n, "cgroup = /c%d\n", i);
	fails_with("c.ini", b, "c.ini:258: too many cgroup=, unit=, namespace= and pod= lines (max 256)", "too many cgroups");
	free(b);

	cap = (size_t)(POLICY_RULES_MAX + 1) * 20 + 64;
	b = malloc(cap);
	n = (size_t)sprintf(b, HDR "[file]\n");
	for (int i = 0; i <= POLICY_RULES_MAX; i++)
		n += (size_t)sprintf(b + n, "deny=/%d\n", i);
	/* POLICY_RULES_MAX rules cannot fit in POLICY_FILE_MAX bytes: the
	 * size limit is what a file meets first */
	{
		int r = parse("r.ini", b);
		ok(r == -1 && err.n == 1 && strstr(err.msg[0], ": file too large (max 1048576 bytes)"),
		   "200001 rules: file too large");
		if (err.n)
			diag("  %s", err.msg[0]);
	}
	free(b);
}

static void test_set(void)
{
	const char *dir;
	char tmpl[] = "/tmp/enf-parse-XXXXXX", path[256];
	FILE *f;

	reset();
	is_int(policy_parse_buffer("a.ini", HDR "name = same\n", strlen(HDR "name = same\n"), &set, &err), 0, "first");
	{
		const char *t = "[policy]\nunit = x.service\nname = same\n";
		is_int(policy_parse_buffer("b.ini", t, strlen(t), &set, &err), 0, "second");
	}
	is_int(policy_set_validate(&set, &err), -1, "duplicate names rejected");
	ok(err.n == 1 && !strcmp(err.msg[0], "b.ini:3: duplicate policy name 'same' (also in a.ini:3)"), "duplicate name message");
	if (err.n)
		diag("  %s", err.msg[0]);

	reset();
	for (int i = 0; i <= ENF_MAX_BIND; i++) {
		char t[64], fn[32];
		snprintf(fn, sizeof(fn), "p%d.ini", i);
		snprintf(t, sizeof(t), "[policy]\ncgroup = /shared\n");
		policy_parse_buffer(fn, t, strlen(t), &set, &err);
	}
	is_int(policy_set_validate(&set, &err), -1, "too many policies on one cgroup");
	ok(err.n == 1 && !strcmp(err.msg[0], "p8.ini:2: too many policies bound to cgroup '/shared' (max 8)"), "bind limit message");

	reset();
	for (int i = 0; i <= ENF_MAX_STACK; i++) {
		char t[96], fn[32];
		snprintf(fn, sizeof(fn), "s%d.ini", i);
		snprintf(t, sizeof(t), "[policy]\ncgroup = %s\n", i == 0 ? "/" : i < 4 ? "/a" : "/a/b");
		policy_parse_buffer(fn, t, strlen(t), &set, &err);
	}
	is_int(policy_set_validate(&set, &err), -1, "too many policies stacked");
	ok(err.n == 1 && !strcmp(err.msg[0], "s8.ini:2: too many policies govern cgroup '/a/b' with its ancestors (max 8)"), "stack limit message");
	if (err.n)
		diag("  %s", err.msg[0]);

	/* a directory with one bad file: errors and -1 */
	reset();
	dir = mkdtemp(tmpl);
	if (!dir)
		bail("mkdtemp");
	snprintf(path, sizeof(path), "%s/10-good.ini", dir);
	f = fopen(path, "w");
	fputs("[policy]\ncgroup = /good\n[exec]\ndeny = /usr/bin/curl\n", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/20-bad.ini", dir);
	f = fopen(path, "w");
	fputs("[policy]\ncgroup = /bad\n[connect]\ndeny = 300.1.1.1\n", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/README.txt", dir);
	f = fopen(path, "w");
	fputs("not a policy\n", f);
	fclose(f);
	is_int(policy_load_dir(dir, &set, &err), -1, "a set with one bad file fails");
	is_int(err.n, 1, "one error");
	snprintf(path, sizeof(path), "%s/20-bad.ini:4: bad address '300.1.1.1' (expected an IPv4 or IPv6 address)", dir);
	if (err.n) {
		const char *want = path;
		is_string(err.msg[0], want, "bad file's message");
	}
	is_int(set.n, 1, "the good file is parsed (caller drops the set)");
	ok(set.n == 1 && !strcmp(set.pol[0].name, "10-good"), "named after its file");

	snprintf(path, sizeof(path), "%s/20-bad.ini", dir);
	unlink(path);
	reset();
	is_int(policy_load_dir(dir, &set, &err), 0, "the good file alone loads");
	snprintf(path, sizeof(path), "%s/10-good.ini", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/README.txt", dir);
	unlink(path);
	rmdir(dir);

	reset();
	is_int(policy_parse_file("/nonexistent/x.ini", &set, &err), -1, "missing file");
	ok(err.n == 1 && !strcmp(err.msg[0], "/nonexistent/x.ini: cannot open: No such file or directory"), "missing file message");
	reset();
	is_int(policy_load_dir("/nonexistent", &set, &err), -1, "missing directory");
	ok(err.n == 1 && !strcmp(err.msg[0], "/nonexistent: cannot open policy directory: No such file or directory"), "missing directory message");
	reset();
	is_int(policy_parse_file("/tmp", &set, &err), -1, "a directory is not a policy");
	ok(err.n == 1 && !strcmp(err.msg[0], "/tmp: not a regular file"), "not a regular file");
}

static int mkfile(const char *path)
{
	int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

static void test_resolve(void)
{
	char tmpl[] = "/tmp/enf-root-XXXXXX", p[512], *root = mkdtemp(tmpl);
	const char *text =
		HDR
		"[exec]\n"
		"deny = /bin/sh\n"              /* /bin -> usr/bin, sh -> dash */
		"deny = /usr/bin/curl\n"        /* plain file */
		"deny = /bin/\n"                /* dir through a link */
		"deny = /opt/new/tool\n"        /* does not exist yet */
		"deny = /abs/x\n"               /* /abs -> /usr/lib (absolute, within root) */
		"deny = /up/y\n"                /* /up -> ../../../usr (cannot climb above root) */
		"deny = /loop/z\n"              /* a loop */
		"deny = /usr/lib/alt/\n"        /* alt -> ../bin: relative, dir */
		"deny = /\n";
	const struct enf_rule *r;

	if (!root)
		bail("mkdtemp");
#define P(x) (snprintf(p, sizeof(p), "%s%s", root, x), p)
	mkdir(P("/usr"), 0755);
	mkdir(P("/usr/bin"), 0755);
	mkdir(P("/usr/lib"), 0755);
	mkfile(P("/usr/bin/dash"));
	mkfile(P("/usr/bin/curl"));
	if (symlink("usr/bin", P("/bin")) || symlink("dash", P("/usr/bin/sh")) ||
	    symlink("/usr/lib", P("/abs")) || symlink("../../../usr", P("/up")) ||
	    symlink("loop", P("/loop")) || symlink("../bin", P("/usr/lib/alt")))
		bail("symlink");

	is_int(parse("r.ini", text), 0, "parse");
	is_int(policy_resolve_paths(&set, root, &err), -1, "the loop fails");
	ok(err.n == 1 && !strcmp(err.msg[0], "r.ini:10: too many levels of symbolic links"), "loop message");
	if (err.n)
		diag("  %s", err.msg[0]);
	r = set.pol[0].rules;
	is_string(r[0].resolved, "/usr/bin/dash", "two links followed");
	is_string(r[1].resolved, "/usr/bin/curl", "plain file");
	is_string(r[2].resolved, "/usr/bin/", "dir through a link keeps its '/'");
	is_string(r[3].resolved, "/opt/new/tool", "missing tail appended");
	is_string(r[4].resolved, "/usr/lib/x", "absolute target is within root");
	is_string(r[5].resolved, "/usr/y", "'..' stops at root");
	ok(r[6].resolved == NULL, "loop unresolved");
	is_string(r[7].resolved, "/usr/bin/", "relative dir link");
	is_string(r[8].resolved, "/", "root");

	/* too long once resolved */
	{
		char lt[400], target[300];
		memset(target, 'a', 240);
		target[0] = '/';
		target[240] = 0;
		if (symlink(target, P("/long")))
			bail("symlink");
		snprintf(lt, sizeof(lt), HDR "[file]\ndeny = /long/abcdefghij\n");
		is_int(parse("t.ini", lt), 0, "short as written");
		is_int(policy_resolve_paths(&set, root, &err), -1, "too long resolved");
		ok(err.n == 1 && !strcmp(err.msg[0], "t.ini:4: path too long (max 247 bytes)"), "too long message");
		unlink(P("/long"));
	}

	/* host root: "/" resolves to itself */
	is_int(parse("h.ini", HDR "[file]\ndeny = /\nreadonly = /nonexistent-enf/x/\n"), 0, "parse host");
	is_int(policy_resolve_paths(&set, "/", &err), 0, "host resolve");
	is_string(set.pol[0].rules[0].resolved, "/", "/ on the host");
	is_string(set.pol[0].rules[1].resolved, "/nonexistent-enf/x/", "missing dir on the host");

	unlink(P("/usr/lib/alt"));
	unlink(P("/loop"));
	unlink(P("/up"));
	unlink(P("/abs"));
	unlink(P("/usr/bin/sh"));
	unlink(P("/bin"));
	unlink(P("/usr/bin/curl"));
	unlink(P("/usr/bin/dash"));
	rmdir(P("/usr/lib"));
	rmdir(P("/usr/bin"));
	rmdir(P("/usr"));
	rmdir(root);
#undef P
}

/* policy_resolve_unchanged: true only while every rule resolves, without an
 * error, to the path it holds; it writes nothing (a reload with the same
 * policy bytes applies the set in force again only then). */
static void test_resolve_unchanged(void)
{
	char tmpl[] = "/tmp/enf-unch-XXXXXX", p[512];
	char *root = mkdtemp(tmpl);
	const char *text = HDR "[file]\n"
		"deny = /usr/bin/sh\n"         /* sh -> dash, later -> ash */
		"deny = /opt/new/tool\n";      /* missing, later through a link */

	if (!root)
		bail("mkdtemp");
#define P(x) (snprintf(p, sizeof(p), "%s%s", root, x), p)
	mkdir(P("/usr"), 0755);
	mkdir(P("/usr/bin"), 0755);
	mkdir(P("/opt"), 0755);
	mkfile(P("/usr/bin/dash"));
	mkfile(P("/usr/bin/ash"));
	if (symlink("dash", P("/usr/bin/sh")))
		bail("symlink");
	is_int(parse("u.ini", text), 0, "parse");
	is_int(policy_resolve_paths(&set, root, &err), 0, "resolve");
	ok(policy_resolve_unchanged(&set, root), "nothing changed: unchanged");
	unlink(P("/usr/bin/sh"));
	if (symlink("ash", P("/usr/bin/sh")))
		bail("symlink");
	ok(!policy_resolve_unchanged(&set, root), "a link retargeted: changed");
	is_string(set.pol[0].rules[0].resolved, "/usr/bin/dash", "the check wrote nothing");
	is_int(policy_resolve_paths(&set, root, &err), 0, "resolve again");
	is_string(set.pol[0].rules[0].resolved, "/usr/bin/ash", "the new target");
	ok(policy_resolve_unchanged(&set, root), "and unchanged from then on");
	if (symlink("/usr", P("/opt/new")))
		bail("symlink");
	ok(!policy_resolve_unchanged(&set, root), "a missing directory now a link: changed");
	unlink(P("/opt/new"));
	if (symlink("new", P("/opt/new")))
		bail("symlink");
	ok(!policy_resolve_unchanged(&set, root), "a path that no longer resolves (a loop): changed");
	unlink(P("/opt/new"));
	ok(policy_resolve_unchanged(&set, root), "the link gone: unchanged again");
	unlink(P("/usr/bin/sh"));
	unlink(P("/usr/bin/ash"));
	unlink(P("/usr/bin/dash"));
	rmdir(P("/usr/bin"));
	rmdir(P("/usr"));
	rmdir(P("/opt"));
	rmdir(root);
#undef P
}

/* Rules in one directory: the walk of that directory is reused for the
 * next rule there (within one stat_memo pass, for the same root), and the
 * answers are those of a full walk: a symbolic link as last component, a
 * missing one, a directory reached through a link, another root. */
static void test_resolve_same_dir(void)
{
	char tmpl[] = "/tmp/enf-sdir-XXXXXX", tmpl2[] = "/tmp/enf-sdi2-XXXXXX", p[512];
	char *root = mkdtemp(tmpl), *root2 = mkdtemp(tmpl2);
	const char *text = HDR "[exec]\n"
		"deny = /usr/bin/curl\n"       /* plain file: the walk of /usr/bin kept */
		"deny = /usr/bin/sh\n"         /* a link in the same directory: followed */
		"deny = /usr/bin/nothere\n"    /* missing: appended */
		"deny = /usr/bin\n"            /* another directory's */
		"deny = /bin/curl\n"           /* through the link /bin */
		"deny = /bin/sh\n"             /* again through it, then sh -> dash */
		"deny = /opt/new/a\n"          /* below a missing directory */
		"deny = /opt/new/b\n"
		"deny = /usr/bin/bin2/x\n";    /* bin2 -> /opt: a link as a directory */
	const char *want[] = { "/usr/bin/curl", "/usr/bin/dash", "/usr/bin/nothere", "/usr/bin",
			       "/usr/bin/curl", "/usr/bin/dash", "/opt/new/a", "/opt/new/b", "/opt/x" };

	if (!root || !root2)
		bail("mkdtemp");
#define P(r, x) (snprintf(p, sizeof(p), "%s%s", r, x), p)
	mkdir(P(root, "/usr"), 0755);
	mkdir(P(root, "/usr/bin"), 0755);
	mkfile(P(root, "/usr/bin/dash"));
	mkfile(P(root, "/usr/bin/curl"));
	mkdir(P(root2, "/usr"), 0755);
	mkdir(P(root2, "/usr/bin"), 0755);
	if (symlink("usr/bin", P(root, "/bin")) || symlink("dash", P(root, "/usr/bin/sh")) ||
	    symlink("/opt", P(root, "/usr/bin/bin2")) || symlink("/usr/bin/dash", P(root2, "/usr/bin/curl")))
		bail("symlink");
	is_int(parse("d.ini", text), 0, "parse");
	if (err.n)
		diag("  %s", err.msg[0]);
	stat_memo_begin();      /* one pass over both roots */
	is_int(policy_resolve_paths(&set, root, &err), 0, "resolve");
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		is_string(set.pol[0].rules[i].resolved, want[i], "one directory, rule %zu", i + 1);
	/* the same pass, another root: its own answers */
	is_int(parse("d2.ini", HDR "[exec]\ndeny = /usr/bin/curl\n"), 0, "parse");
	is_int(policy_resolve_paths(&set, root2, &err), 0, "resolve in another root");
	is_string(set.pol[0].rules[0].resolved, "/usr/bin/dash", "another root: its link followed");
	stat_memo_end();
	/* the check compares rules in one directory without resolving them:
	 * it still sees a link retargeted and a file become a link */
	is_int(parse("d.ini", text), 0, "parse again");
	is_int(policy_resolve_paths(&set, root, &err), 0, "resolve again");
	ok(policy_resolve_unchanged(&set, root), "one directory: unchanged");
	unlink(P(root, "/usr/bin/sh"));
	if (symlink("curl", P(root, "/usr/bin/sh")))
		bail("symlink");
	ok(!policy_resolve_unchanged(&set, root), "one directory: a link in it retargeted: changed");
	unlink(P(root, "/usr/bin/sh"));
	if (symlink("dash", P(root, "/usr/bin/sh")))
		bail("symlink");
	ok(policy_resolve_unchanged(&set, root), "one directory: the link back: unchanged");
	unlink(P(root, "/usr/bin/curl"));
	if (symlink("dash", P(root, "/usr/bin/curl")))
		bail("symlink");
	ok(!policy_resolve_unchanged(&set, root), "one directory: a file replaced by a link: changed");
	unlink(P(root, "/usr/bin/curl"));
	mkfile(P(root, "/usr/bin/curl"));
	mkdir(P(root, "/opt"), 0755);
	mkdir(P(root, "/opt/new"), 0755);
	ok(policy_resolve_unchanged(&set, root), "one directory: a missing directory created: the same paths");
	rmdir(P(root, "/opt/new"));
	if (symlink("/usr", P(root, "/opt/new")))
		bail("symlink");
	ok(!policy_resolve_unchanged(&set, root), "one directory: a missing directory now a link: changed");
	unlink(P(root, "/opt/new"));
	rmdir(P(root, "/opt"));
	unlink(P(root2, "/usr/bin/curl"));
	rmdir(P(root2, "/usr/bin"));
	rmdir(P(root2, "/usr"));
	rmdir(root2);
	unlink(P(root, "/usr/bin/bin2"));
	unlink(P(root, "/usr/bin/sh"));
	unlink(P(root, "/bin"));
	unlink(P(root, "/usr/bin/curl"));
	unlink(P(root, "/usr/bin/dash"));
	rmdir(P(root, "/usr/bin"));
	rmdir(P(root, "/usr"));
	rmdir(root);
#undef P
}

/* [capabilities]: names, lists, defaults, and the mask compiled from them. */
static void test_capabilities(void)
{
	const uint64_t admin = 1ULL << 21, raw = 1ULL << 13, chroot_ = 1ULL << 18, kill_ = 1ULL << 5;

	is_int(parse("c.ini", HDR "[exec]\ndeny = /x\n"), 0, "caps: no section");
	ok(set.n == 1 && !set.pol[0].caps.present &&
	   policy_cap_deny(&set.pol[0]) == ENF_CAP_DEFAULT_DENY, "caps: no section denies the built-in set");
	is_int(parse("c.ini", "[policy]\nnamespace = payments\n[exec]\ndeny = /x\n"), 0, "caps: a pod policy");
	ok(set.n == 1 && policy_cap_deny(&set.pol[0]) == ENF_CAP_DEFAULT_DENY,
	   "caps: a pod policy without the section denies the built-in set (runtimes keep setup by lineage)");
	ok((ENF_CAP_DEFAULT_DENY & (admin | raw | chroot_)) == (admin | raw | chroot_) &&
	   !(ENF_CAP_DEFAULT_DENY & kill_), "caps: built-in set has SYS_ADMIN, NET_RAW, SYS_CHROOT, not KILL");
	is_int(parse("c.ini", HDR "[Capabilities]\nallow = cap_net_raw, CAP_SYS_CHROOT\ndeny = kill\n"), 0,
	       "caps: lists, case-insensitive names, with and without CAP_");
	ok(set.n == 1 && set.pol[0].caps.present &&
	   policy_cap_deny(&set.pol[0]) == ((ENF_CAP_DEFAULT_DENY | kill_) & ~(raw | chroot_)),
	   "caps: allow removes from the built-in set, deny adds to it");
	is_int(parse("c.ini", HDR "[capabilities]\ndefault = deny\nallow = CAP_CHOWN CAP_SETUID\n"), 0,
	       "caps: default deny, blank-separated list");
	ok(set.n == 1 && policy_cap_deny(&set.pol[0]) == (ENF_CAP_ALL & ~((1ULL << 0) | (1ULL << 7))),
	   "caps: default deny denies every capability but the allowed");
	is_int(parse("c.ini", HDR "[capabilities]\ndefault = ALLOW\ndeny = CAP_SYS_ADMIN\n"), 0,
	       "caps: default allow");
	ok(set.n == 1 && policy_cap_deny(&set.pol[0]) == admin, "caps: default allow denies only the named");
	fails_with("c.ini", HDR "[capabilities]\nallow = CAP_SYS_ADMIN, CAP_FLY\n",
		   "c.ini:4: unknown capability 'CAP_FLY' (expected a name like CAP_SYS_ADMIN)", "caps: unknown name");
	fails_with("c.ini", HDR "[capabilities]\nallow = CAP_SYS_ADMIN\ndeny = sys_admin\n",
		   "c.ini:5: CAP_SYS_ADMIN already named on line 4", "caps: named twice");
	fails_with("c.ini", HDR "[capabilities]\ndefault = maybe\n",
		   "c.ini:4: bad default 'maybe' (expected allow or deny)", "caps: bad default");
	fails_with("c.ini", HDR "[capabilities]\ngrant = CAP_KILL\n",
		   "c.ini:4: unknown key 'grant' in [capabilities] (expected default, allow or deny)", "caps: unknown key");
	fails_with("c.ini", HDR "[capabilities]\ndefault = deny\ndefault = allow\n",
		   "c.ini:5: duplicate key 'default' in [capabilities] (first on line 4)", "caps: duplicate default");
	is_string(capability_name(39), "CAP_BPF", "caps: number to name");
	is_int(capability_from_name("Cap_Bpf", 7), 39, "caps: name to number");
}

/* Conditions after a file rule's path (issue 19): owner, owner-write. */
static void test_conditions(void)
{
	is_int(parse("o.ini", HDR "[file]\nallow = /home/ owner\nreadonly = /srv/my www/  OWNER ; c\n"
		     "allow = /tmp/x owner-write\nallow = /srv/owner/ \nallow = /a owner/b\n"), 0,
	       "cond: owner, owner-write, case-insensitive, paths with blanks");
	if (set.n == 1 && set.pol[0].nrules == 5) {
		const struct enf_rule *r = set.pol[0].rules;

		ok(!strcmp(r[0].path, "/home/") && r[0].dir && r[0].cond == ENF_COND_OWNER &&
		   !strcmp(r[0].text, "allow = /home/ owner"), "cond: allow = /home/ owner");
		ok(!strcmp(r[1].path, "/srv/my www/") && r[1].dir && r[1].cond == ENF_COND_OWNER &&
		   r[1].verdict == ENF_READONLY, "cond: a path with a blank, then owner");
		ok(!strcmp(r[2].path, "/tmp/x") && !r[2].dir && r[2].cond == ENF_COND_OWNER_WRITE,
		   "cond: owner-write on a file");
		ok(!strcmp(r[3].path, "/srv/owner/") && !r[3].cond, "cond: 'owner' as a path component is a path");
		ok(!strcmp(r[4].path, "/a owner/b") && !r[4].cond, "cond: 'owner' inside a path is a path");
	} else {
		ok(0, "cond: five rules parsed");
	}
	fails_with("o.ini", HDR "[file]\nallow = /home/ owner sometimes\n",
		   "o.ini:4: unknown word 'sometimes' after the path (expected owner, owner-write or a right: read, write, truncate, create, remove, refer)",
		   "cond: unknown word after a condition");
	fails_with("o.ini", HDR "[file]\nallow = /home/ owner owner\n",
		   "o.ini:4: 'owner' written twice", "cond: twice");
	fails_with("o.ini", HDR "[file]\nallow = /home/ owner owner-write\n",
		   "o.ini:4: conditions 'owner' and 'owner-write' together (owner alone denies others everything)",
		   "cond: owner and owner-write");
	fails_with("o.ini", HDR "[file]\ndeny = /home/ owner\n",
		   "o.ini:4: condition 'owner' on a deny rule (it denies everyone already)", "cond: on deny");
	fails_with("o.ini", HDR "[file]\nreadonly = /home/ owner-write\n",
		   "o.ini:4: condition 'owner-write' on a readonly rule (it denies writes to everyone already; 'owner' denies others reads too)",
		   "cond: owner-write on readonly");
	is_int(parse("o.ini", HDR "[exec]\nallow = /home/user1/hello owner\nallow = /opt/ OWNER exe /bin/sh\n"), 0,
	       "cond: owner on exec rules (KubeArmor's process ownerOnly), with exe");
	if (set.n == 1 && set.pol[0].nrules == 2) {
		const struct enf_rule *r = set.pol[0].rules;

		ok(r[0].hook == ENF_HOOK_EXEC && !strcmp(r[0].path, "/home/user1/hello") && !r[0].dir &&
		   r[0].cond == ENF_COND_OWNER && !r[0].rights, "cond: exec allow = FILE owner");
		ok(!strcmp(r[1].path, "/opt/") && r[1].dir && r[1].cond == ENF_COND_OWNER && r[1].exe &&
		   !strcmp(r[1].exe, "/bin/sh"), "cond: exec allow = DIR/ owner exe P");
	} else {
		ok(0, "cond: two exec rules parsed");
	}
	fails_with("o.ini", HDR "[exec]\nallow = /usr/bin/ owner-write\n",
		   "o.ini:4: condition 'owner-write' on an [exec] rule (an exec only reads the program: 'owner' lets its owner alone run it)",
		   "cond: no owner-write on exec rules");
	fails_with("o.ini", HDR "[exec]\ndeny = /usr/bin/x owner\n",
		   "o.ini:4: condition 'owner' on a deny rule (it denies everyone already)", "cond: exec deny with owner");
	fails_with("o.ini", HDR "[file]\nallow = home/ owner\n",
		   "o.ini:4: relative path 'home/' (rule paths must be absolute)", "cond: the path still checked");
	fails_with("o.ini", HDR "[connect]\nallow = 10.0.0.1 owner\n",
		   "o.ini:4: unexpected 'owner' (expected 'port N[-M]', 'tcp' or 'udp')", "cond: not on connect rules");
}

/* Rights after a file rule's path (issue 19): truncate, create, remove,
 * refer, read, write. */
static void test_rights(void)
{
	is_int(parse("r.ini", HDR "[file]\nallow = /a/ read write create\ndeny = /b/ truncate REMOVE\n"
		     "allow = /c/ owner read\ndeny = /d/\nallow = /e/\n"), 0,
	       "rights: allow and deny with rights, with a condition");
	if (set.n == 1 && set.pol[0].nrules == 5) {
		const struct enf_rule *r = set.pol[0].rules;

		ok(r[0].rights == (ENF_RIGHT_TRUNCATE | ENF_RIGHT_REMOVE | ENF_RIGHT_REFER) &&
		   policy_rule_verdict(&r[0]) == ENF_ALLOW && !strcmp(r[0].path, "/a/"),
		   "rights: allow with rights denies every other right");
		ok(r[1].rights == (ENF_RIGHT_TRUNCATE | ENF_RIGHT_REMOVE) && r[1].verdict == ENF_DENY &&
		   policy_rule_verdict(&r[1]) == ENF_ALLOW, "rights: deny with rights denies those only");
		ok(r[2].cond == ENF_COND_OWNER && r[2].rights == (ENF_RIGHTS_ALL & ~ENF_RIGHT_READ),
		   "rights: owner read");
		ok(!r[3].rights && policy_rule_verdict(&r[3]) == ENF_DENY && !r[4].rights,
		   "rights: none written, none denied beyond the verdict");
	} else {
		ok(0, "rights: five rules parsed");
	}
	fails_with("r.ini", HDR "[file]\nreadonly = /a/ create\n",
		   "r.ini:4: rights after a readonly rule (write 'allow = PATH read RIGHT...' to grant more than reading)",
		   "rights: not after readonly");
	fails_with("r.ini", HDR "[file]\ndeny = /a/ remove remove\n", "r.ini:4: 'remove' written twice",
		   "rights: twice");
	fails_with("r.ini", HDR "[exec]\ndeny = /a/ truncate\n",
		   "r.ini:4: 'truncate' after the path is for [file] rules only ([exec] rules take 'owner')", "rights: not on exec rules");
	fails_with("r.ini", HDR "[file]\ndeny = /a/ truncate owner\n",
		   "r.ini:4: condition 'owner' on a deny rule (it denies everyone already)", "rights: deny with a condition");
}

/* Program conditions on exec and file rules (issue 19): exe PATH, exe
 * DIR/, parent PATH (exec only); one class per distinct program. */
static void test_prog_conds(void)
{
	is_int(parse("x.ini", HDR "[exec]\ndeny = /usr/bin/ls parent /bin/dash\n"
		     "deny = /usr/bin/curl exe /bin/sh\n[file]\nallow = /secret read exe /usr/bin/cat\n"
		     "deny = /etc/ exe /usr/bin/\nallow = /srv/my www/ owner EXE /bin/sh\n"), 0,
	       "prog: exe and parent on exec rules, exe on file rules, the directory form");
	if (set.n == 1 && set.pol[0].nrules == 5) {
		const struct enf_policy_src *p = &set.pol[0];
		const struct enf_rule *r = p->rules;

		ok(!strcmp(r[0].path, "/usr/bin/ls") && r[0].parent && r[0].prog == 1 &&
		   !strcmp(r[0].exe, "/bin/dash"), "prog: parent /bin/dash, class 1");
		ok(!strcmp(r[1].path, "/usr/bin/curl") && !r[1].parent && r[1].prog == 2, "prog: exe /bin/sh, class 2");
		ok(!strcmp(r[2].path, "/secret") && r[2].prog == 3 &&
		   r[2].rights == (ENF_RIGHTS_ALL & ~ENF_RIGHT_READ) && !strcmp(r[2].text, "allow = /secret read exe /usr/bin/cat"),
		   "prog: exe after a right");
		ok(!strcmp(r[3].path, "/etc/") && r[3].dir && r[3].prog == 4 && !strcmp(r[3].exe, "/usr/bin/"),
		   "prog: exe DIR/");
		ok(!strcmp(r[4].path, "/srv/my www/") && r[4].cond == ENF_COND_OWNER && r[4].prog == 2,
		   "prog: a path with a blank, owner, exe (case-insensitive), the class shared");
		is_int((int)p->nprogs, 4, "prog: four distinct programs");
	} else {
		ok(0, "prog: five rules parsed");
	}
	fails_with("x.ini", HDR "[file]\nallow = /secret parent /bin/sh\n",
		   "x.ini:4: 'parent' is for [exec] rules only (the program of the parent process of the one being started)",
		   "prog: parent not on file rules");
	fails_with("x.ini", HDR "[connect]\nallow = 10.0.0.1 parent /bin/sh\n",
		   "x.ini:4: 'parent' is for [exec] rules only (the program of the parent process of the one being started)",
		   "prog: parent not on connect rules");
	fails_with("x.ini", HDR "[file]\nallow = /secret exe\n", "x.ini:4: 'exe' needs a program path",
		   "prog: exe without a program");
	fails_with("x.ini", HDR "[exec]\ndeny = /bin/ls parent\n", "x.ini:4: 'parent' needs a program path",
		   "prog: parent without a program");
	fails_with("x.ini", HDR "[file]\nallow = /secret exe bin/cat\n",
		   "x.ini:4: relative program path 'bin/cat' (exe paths must be absolute)", "prog: relative program");
	fails_with("x.ini", HDR "[exec]\ndeny = /bin/ls parent /bin/sh exe /bin/dash\n",
		   "x.ini:4: unexpected 'exe /bin/dash' after 'parent /bin/sh' (one program per rule, nothing after it)",
		   "prog: one condition per rule");
	fails_with("x.ini", HDR "[file]\nallow = /secret exe /usr//bin/cat\n",
		   "x.ini:4: program path '/usr//bin/cat' is not normalized (no '.', '..' or '//')", "prog: unnormalized");
	fails_with("x.ini", HDR "[file]\nallow = exe /usr/bin/cat\n",
		   "x.ini:4: missing path before 'exe /usr/bin/cat'", "prog: no path");
	/* the directory form on [connect] (IP and unix:) and [bind] rules too */
	is_int(parse("x.ini", HDR "[connect]\nallow = 10.0.0.1 exe /usr/bin/\ndeny = unix:/run/x.sock exe /usr/bin/\n"
		     "[bind]\nallow = 0.0.0.0/0 port 80 tcp exe /opt/srv/\n"), 0,
	       "prog: exe DIR/ on connect, unix: and bind rules");
	{
		const struct enf_rule *r = set.n == 1 && set.pol[0].nrules == 3 ? set.pol[0].rules : NULL;

		ok(r && r[0].prog == 1 && r[1].prog == 1 && r[2].prog == 2 && !r[0].parent &&
		   set.pol[0].nprogs == 2 && !strcmp(set.pol[0].progs[0], "/usr/bin/") &&
		   !strcmp(set.pol[0].progs[1], "/opt/srv/") && !strcmp(r[0].text, "allow = 10.0.0.1 exe /usr/bin/"),
		   "prog: ... a class each directory, shared by the rules naming it");
	}
	fails_with("x.ini", HDR "[bind]\nallow = 0.0.0.0/0 port 80 exe /opt/*/\n",
		   "x.ini:4: a program path takes no wildcard ('*', '?'): name the program, or a directory as DIR/",
		   "prog: a wildcard in a bind rule's exe DIR/");
	fails_with("x.ini", HDR "[connect]\nallow = 10.0.0.1 exe /usr/../bin/\n",
		   "x.ini:4: program path '/usr/../bin/' is not normalized (no '.', '..' or '//')",
		   "prog: an unnormalized exe DIR/ on a connect rule");
	fails_with("x.ini", HDR "[connect]\nallow = 10.0.0.1 exe usr/bin/\n",
		   "x.ini:4: relative program path 'usr/bin/' (exe paths must be absolute)",
		   "prog: a relative exe DIR/ on a connect rule");
	/* pod policies: the program paths are the container's (resolved in
	 * each bound container's root, by enforcerd) */
	is_int(parse("x.ini", "[policy]\nnamespace = web\n[exec]\ndeny = /bin/ls parent /bin/sh\n"
		     "deny = /bin/sleep exe /opt/p/\n[file]\ndeny = /secret\nallow = /secret read exe /usr/bin/cat\n"), 0,
	       "prog: exe, parent and exe DIR/ on exec and file rules of a pod policy");
	{
		const struct enf_rule *r = set.n == 1 && set.pol[0].nrules == 4 ? set.pol[0].rules : NULL;

		ok(r && r[0].parent && r[0].prog == 1 && !strcmp(r[0].path, "/bin/ls") && r[1].prog == 2 &&
		   r[3].prog == 3 && !strcmp(r[3].exe, "/usr/bin/cat") && !r[2].prog &&
		   set.pol[0].nprogs == 3 && !strcmp(set.pol[0].progs[1], "/opt/p/"),
		   "prog: ... classes as in host policies, the programs kept as written");
	}
	fails_with("x.ini", "[policy]\npod = web/a-0\n[file]\nallow = /secret exe usr/bin/cat\n",
		   "x.ini:4: relative program path 'usr/bin/cat' (exe paths must be absolute)",
		   "prog: a pod policy's program path is absolute too");
}

/* The parser judges a plain rule path in one pass (path_scan()) and any
 * other with policy_path_normal() and pattern_is(): both must agree, on
 * every path of a few bytes from the ones that matter there. */
static void test_path_fast_path(void)
{
	static const char alpha[] = "/.a*?-";
	char path[8], text[128], msg[256];
	size_t bad = 0, total = 0;

	for (size_t len = 1; len <= 6; len++) {
		size_t combos = 1;

		for (size_t i = 0; i < len; i++)
			combos *= sizeof(alpha) - 1;
		for (size_t k = 0; k < combos; k++) {
			size_t v = k;
			bool ok_expect;
			int r;

			for (size_t i = 0; i < len; i++, v /= sizeof(alpha) - 1)
				path[i] = alpha[v % (sizeof(alpha) - 1)];
			path[len] = '\0';
			snprintf(text, sizeof(text), HDR "[file]\ndeny = %s\n", path);
			ok_expect = path[0] == '/' && policy_path_normal(path, true) &&
				    (!pattern_is(path) || !pattern_error(path));
			r = parse("x.ini", text);
			total++;
			if (ok_expect ? r == 0 && set.n == 1 && set.pol[0].nrules == 1 &&
						set.pol[0].rules[0].pattern == pattern_is(path)
				      : r == -1 && err.n == 1)
				continue;
			if (bad++ < 5) {
				snprintf(msg, sizeof(msg), "'%s': rc %d, expected %s", path, r,
					 ok_expect ? "a rule" : "an error");
				diag("%s", msg);
			}
		}
	}
	ok(!bad, "path fast path: %zu paths judged as policy_path_normal() and pattern_is() do", total);
	fails_with("x.ini", HDR "[file]\ndeny = /a/./b\n",
		   "x.ini:4: path '/a/./b' is not normalized (no '.', '..' or '//')", "path fast path: '.'");
	fails_with("x.ini", HDR "[file]\ndeny = /a//b*\n",
		   "x.ini:4: path '/a//b*' is not normalized (no '.', '..' or '//')", "path fast path: '//'");
	fails_with("x.ini", HDR "[file]\ndeny = /a/..\n",
		   "x.ini:4: path '/a/..' is not normalized (no '.', '..' or '//')", "path fast path: '..' last");
	is_int(parse("x.ini", HDR "[file]\ndeny = /a/..b/.c/*/\n"), 0, "path fast path: '..b', '.c', a glob directory");
	ok(set.n == 1 && set.pol[0].nrules == 1 && set.pol[0].rules[0].pattern &&
	   !strcmp(set.pol[0].rules[0].path, "/a/..b/.c/*/**"), "path fast path: ... a pattern, \"**\" added");
}

/* Inline comments wherever scan_bytes() meets the ';' or '#' (in an 8-byte
 * word or a byte after the last one), and the key found in one walk. */
static void test_comment_places(void)
{
	static const struct { const char *line, *path; } c[] = {
		{ "deny = /a ;b", "/a" },
		{ "deny = /a;b", "/a;b" },
		{ "deny = /a#b #c", "/a#b" },
		{ "deny = /abcdefgh\t#x", "/abcdefgh" },
		{ "deny = /abcdefghi ;", "/abcdefghi" },
		{ "deny = /abcdefghijklmnop ;x", "/abcdefghijklmnop" },
		{ "deny = /abcdefghijklmno#", "/abcdefghijklmno#" },
		{ "DENY\t=/x", "/x" },
		{ "deny=/x", "/x" },
		{ "deny \t = \t/é ;c", "/é" },
	};
	char text[128];

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		snprintf(text, sizeof(text), HDR "[file]\n%s\n", c[i].line);
		is_int(parse("x.ini", text), 0, "comment places: '%s' parses", c[i].line);
		ok(set.n == 1 && set.pol[0].nrules == 1 && !strcmp(set.pol[0].rules[0].path, c[i].path),
		   "comment places: ... path '%s'", c[i].path);
	}
	fails_with("x.ini", HDR "[file]\nde-ny_2 = /x\n",
		   "x.ini:4: unknown key 'de-ny_2' in [file] (expected default, deny, readonly or allow)",
		   "comment places: a key of every key character");
	fails_with("x.ini", HDR "[file]\nde.ny = /x\n", "x.ini:4: bad key name 'de.ny'",
		   "comment places: a bad key character after good ones");
}

int main(void)
{
	test_valid();
	test_defaults();
	test_errors();
	test_multiple_errors();
	test_limits();
	test_set();
	test_resolve();
	test_resolve_unchanged();
	test_resolve_same_dir();
	test_capabilities();
	test_conditions();
	test_rights();
	test_prog_conds();
	test_path_fast_path();
	test_comment_places();
	reset();
	return done_testing();
}
