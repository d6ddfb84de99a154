// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_verdict_model.c - the offline matching model (verdict_model.c) and
 * policy tests (policy_test.c) on the host: most specific wins for exec,
 * file (rights, readonly, conditions), connect (prefix, port, protocol,
 * exe, loopback aliases), bind and unix:; stacking; audit mode; which
 * policies govern a cgroup; .test files and their malformed lines.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "compile_fixture.h"
#include "policy_test.h"
#include "verdict_model.h"
#include "tap.h"

/* Parse one or more policies (separated by "\f"), compile them. */
static int build(const char *text)
{
	char *copy = strdup(text), *save = NULL;
	int i = 0;

	reset();
	for (char *t = strtok_r(copy, "\f", &save); t; t = strtok_r(NULL, "\f", &save)) {
		char name[32];

		snprintf(name, sizeof(name), "p%d.ini", i++);
		policy_parse_buffer(name, t, strlen(t), &set, &err);
	}
	free(copy);
	if (!err.n)
		policy_compile(&set, NULL, &c, &err);
	for (size_t k = 0; k < err.n; k++)
		diag("build: %s", err.msg[k]);
	return err.n ? -1 : 0;
}

/* The outcome of action under the policies governing cgroup cg ("" : all). */
static const char *judge(const char *cg, const char *action, struct vm_result *r)
{
	static struct vm_result local;
	struct vm_action a;
	size_t gov[16], n;
	char msg[256];

	if (!r)
		r = &local;
	if (vm_action_parse(action, &a, msg, sizeof(msg)) < 0) {
		diag("parse '%s': %s", action, msg);
		return "parse error";
	}
	if (*cg) {
		n = vm_governing(&set, cg, gov, 16);
	} else {
		for (n = 0; n < set.n; n++)
			gov[n] = n;
	}
	vm_judge(&set, &c, gov, n, &a, r);
	return vm_outcome_name(r->outcome);
}

/* The text of the rule that decided for the first policy judging the hook. */
static const char *rule_of(const struct vm_result *r, enum enf_hook hook)
{
	for (size_t k = 0; k < r->n; k++)
		if (r->r[k].hook == hook && r->r[k].active)
			return r->r[k].rule ? r->r[k].rule->text : "default";
	return "none";
}

static void parse_errors(void)
{
	struct vm_action a;
	char msg[256];

	ok(vm_action_parse("frob /x", &a, msg, sizeof(msg)) < 0 &&
	   !strcmp(msg, "unknown action 'frob' (exec, open, connect, bind)"), "unknown action: %s", msg);
	ok(vm_action_parse("exec bin/ls", &a, msg, sizeof(msg)) < 0 &&
	   !strcmp(msg, "exec: the path must be absolute"), "relative exec path: %s", msg);
	ok(vm_action_parse("open /x append", &a, msg, sizeof(msg)) < 0 &&
	   strstr(msg, "unknown word 'append'"), "unknown open word: %s", msg);
	ok(vm_action_parse("connect 10.0.0.300 80", &a, msg, sizeof(msg)) < 0 &&
	   strstr(msg, "bad address '10.0.0.300'"), "bad address: %s", msg);
	ok(vm_action_parse("connect 10.0.0.3 70000", &a, msg, sizeof(msg)) < 0 &&
	   strstr(msg, "bad port '70000'"), "bad port: %s", msg);
	ok(vm_action_parse("connect 10.0.0.3", &a, msg, sizeof(msg)) < 0, "connect without port");
	ok(vm_action_parse("connect 10.0.0.3 80 sctp", &a, msg, sizeof(msg)) < 0 &&
	   strstr(msg, "unexpected 'sctp'"), "unknown protocol: %s", msg);
	ok(vm_action_parse("connect ::ffff:10.1.2.3 80 udp", &a, msg, sizeof(msg)) == 0 &&
	   a.family == 4 && a.addr[0] == 10 && a.addr[3] == 3 && a.proto == 17,
	   "IPv4-mapped IPv6 is judged as IPv4");
	ok(vm_action_parse("open /x truncate", &a, msg, sizeof(msg)) == 0 &&
	   a.need == (ENF_RIGHT_TRUNCATE | ENF_RIGHT_WRITE) && a.write, "truncate opens for writing");
	ok(vm_action_parse("open /x", &a, msg, sizeof(msg)) == 0 && a.need == ENF_RIGHT_READ && !a.write,
	   "open without words reads");
}

static void exec_and_file(void)
{
	struct vm_result r;

	if (build("[policy]\nname = a\ncgroup = /a\n"
		  "[exec]\ndefault = allow\ndeny = /opt/x/\nallow = /opt/x/ok\n"
		  "[file]\ndefault = allow\nreadonly = /srv/\nallow = /srv/data/\ndeny = /srv/data/secret\n"
		  "deny = /srv/data/sub/\nallow = /srv/drop/ read create\ndeny = /srv/log/ truncate\n"
		  "allow = /srv/home/ owner\nallow = /srv/shared/ owner-write\n") < 0)
		bail("build");
	is_string(judge("/a", "exec /opt/x/tool", &r), "deny", "exec: a directory rule denies below it");
	is_string(rule_of(&r, ENF_HOOK_EXEC), "deny = /opt/x/", "  decided by the directory rule");
	is_string(judge("/a", "exec /opt/x/ok", &r), "allow", "exec: a file rule beats its directory");
	is_string(rule_of(&r, ENF_HOOK_EXEC), "allow = /opt/x/ok", "  decided by the file rule");
	ok(r.r[1].nlost == 1 && !strcmp(r.r[1].lost[0]->text, "deny = /opt/x/"),
	   "  and the directory rule is listed as overruled");
	is_string(judge("/a", "exec /opt/x", NULL), "deny", "a directory rule covers the directory itself");
	is_string(judge("/a", "exec /opt/xy", NULL), "allow", "/opt/x/ does not cover /opt/xy");
	is_string(judge("/a", "exec /srv/data/secret", &r), "deny",
		  "exec opens the program: [file] rules judge it too");
	is_string(judge("/a", "open /srv/a read", NULL), "allow", "readonly lets reads pass");
	is_string(judge("/a", "open /srv/a write", &r), "deny", "readonly denies writes");
	is_string(rule_of(&r, ENF_HOOK_FILE), "readonly = /srv/", "  decided by readonly");
	is_string(judge("/a", "open /srv/data/f write", NULL), "allow", "a deeper directory beats a shallower one");
	is_string(judge("/a", "open /srv/data/secret read", NULL), "deny", "a file beats its directory");
	is_string(judge("/a", "open /srv/data/sub/f read", NULL), "deny", "the deepest directory decides");
	is_string(judge("/a", "open /srv/drop/new read create", NULL), "allow", "granted rights pass");
	is_string(judge("/a", "open /srv/drop/f read truncate", &r), "deny", "a right not granted is denied");
	is_string(judge("/a", "open /srv/drop/g write create", NULL), "deny", "creating for write: write is not granted");
	ok(r.r[0].right == ENF_RIGHT_TRUNCATE, "  the right that decided: truncate");
	is_string(judge("/a", "open /srv/log/app write", NULL), "allow", "deny = P truncate: writes pass");
	is_string(judge("/a", "open /srv/log/app write truncate", NULL), "deny", "  truncate is denied");
	is_string(judge("/a", "open /srv/home/f write", NULL), "allow", "owner: the owner writes");
	is_string(judge("/a", "open /srv/home/f read not-owner", &r), "deny", "owner: others are denied");
	ok(r.r[0].cond, "  the condition decided");
	is_string(judge("/a", "open /srv/shared/f read not-owner", NULL), "allow", "owner-write: others read");
	is_string(judge("/a", "open /srv/shared/f write not-owner", NULL), "deny", "owner-write: others do not write");
	is_string(judge("/a", "open /etc/passwd write", NULL), "allow", "the default where nothing matches");
	is_string(judge("/b", "exec /opt/x/tool", NULL), "allow", "a cgroup no policy governs: nothing judged");
	is_string(judge("/a/child/grandchild", "exec /opt/x/tool", NULL), "deny", "a descendant cgroup is governed");

	/* same path, two verdicts: the compiler keeps the most restrictive */
	if (build("[policy]\nname = t\ncgroup = /t\n[file]\nallow = /d/\nreadonly = /d/\n") < 0)
		bail("build");
	is_string(judge("/t", "open /d/f write", &r), "deny", "same path: readonly over allow");
	is_string(rule_of(&r, ENF_HOOK_FILE), "readonly = /d/", "  readonly decided");
	if (build("[policy]\nname = t\ncgroup = /t\n[file]\ndefault = deny\nallow = /d/\n") < 0)
		bail("build");
	is_string(judge("/t", "open /e read", &r), "deny", "default = deny where nothing matches");
	is_string(rule_of(&r, ENF_HOOK_FILE), "default", "  decided by the default");
	is_string(judge("/t", "exec /d/prog", NULL), "allow", "exec's open of the program is allowed by its rule");
	is_string(judge("/t", "exec /e/prog", NULL), "deny", "exec's open of the program: the [file] default");
}

static void connect_rules(void)
{
	struct vm_result r;

	if (build("[policy]\nname = n\ncgroup = /n\n"
		  "[connect]\ndefault = allow\ndeny = 10.0.0.0/8\nallow = 10.0.0.0/8 port 5432-5433 tcp\n"
		  "allow = 10.1.0.0/16 port 5432 tcp exe /usr/bin/true\ndeny = 10.1.0.0/16 port 5432 tcp\n"
		  "deny = 0.0.0.0/0 port 25\ndeny = 127.0.0.0/8 port 9\ndeny = ::/0 port 26\n"
		  "deny = unix:/run/x.sock\nallow = unix:/run/d/ok\ndeny = unix:/run/d/\n"
		  "allow = unix:/run/x.sock exe /usr/bin/true\ndeny = unix:/run/y/ exe /usr/bin/true\n"
		  "[bind]\ndefault = deny\nallow = 0.0.0.0/0 port 8080 tcp\ndeny = 0.0.0.0/0 port 8081\n"
		  "allow = ::/0 port 8081\n") < 0)
		bail("build");
	is_string(judge("/n", "connect 10.2.3.4 80", &r), "deny", "connect: the prefix rule denies");
	is_string(judge("/n", "connect 10.2.3.4 5432 tcp", &r), "allow", "a port-specific rule beats any-port");
	is_string(rule_of(&r, ENF_HOOK_CONNECT), "allow = 10.0.0.0/8 port 5432-5433 tcp", "  decided by it");
	is_string(judge("/n", "connect 10.2.3.4 5432 udp", NULL), "deny", "  not for another protocol");
	is_string(judge("/n", "connect 10.1.3.4 5432 tcp", &r), "deny", "a longer prefix beats a shorter one");
	is_string(rule_of(&r, ENF_HOOK_CONNECT), "deny = 10.1.0.0/16 port 5432 tcp", "  decided by the /16");
	is_string(judge("/n", "connect 10.1.3.4 5432 tcp exe /usr/bin/true", &r), "allow",
		  "a rule with exe beats one without, for that program");
	is_string(judge("/n", "connect 192.0.2.1 25", NULL), "deny", "0.0.0.0/0 port 25");
	is_string(judge("/n", "connect 192.0.2.1 80", NULL), "allow", "the default elsewhere");
	is_string(judge("/n", "connect 0.0.0.0 9", &r), "deny", "0.0.0.0 reaches loopback: 127/8's deny applies");
	is_string(judge("/n", "connect ::1 9", NULL), "deny", "::1 too");
	is_string(judge("/n", "connect ::2 9", NULL), "allow", "::2 does not");
	is_string(judge("/n", "connect 2001:db8::1 26", NULL), "deny", "IPv6 rules");
	is_string(judge("/n", "connect unix:/run/x.sock", NULL), "deny", "unix: a socket file");
	is_string(judge("/n", "connect unix:/run/d/any", NULL), "deny", "unix: below a directory");
	is_string(judge("/n", "connect unix:/run/d/ok", NULL), "allow", "unix: the file rule beats the directory");
	is_string(judge("/n", "connect unix:/run/other", NULL), "allow", "unix: no rule passes, whatever default");
	is_string(judge("/n", "connect unix:/run/x.sock exe /usr/bin/true", &r), "allow",
		  "unix: a rule with exe beats one without at one name, for that program");
	is_string(rule_of(&r, ENF_HOOK_CONNECT), "allow = unix:/run/x.sock exe /usr/bin/true", "  decided by it");
	is_string(judge("/n", "connect unix:/run/d/any exe /usr/bin/true", NULL), "deny",
		  "unix: that program is still judged by the rules without exe");
	is_string(judge("/n", "connect unix:/run/y/s exe /usr/bin/true", NULL), "deny", "unix: its own deny");
	is_string(judge("/n", "connect unix:/run/y/s", NULL), "allow", "unix: not for other programs");
	is_string(judge("/n", "bind 0.0.0.0 8080 tcp", NULL), "allow", "bind: allowed port");
	is_string(judge("/n", "bind 0.0.0.0 8082 tcp", &r), "deny", "bind: the default denies");
	is_string(judge("/n", "bind :: 8081", NULL), "deny", "bind :: is judged by 0.0.0.0's denies too");
	is_string(judge("/n", "bind 2001:db8::5 8081", NULL), "allow", "bind: another IPv6 address is not");

	/* issue 19: `exe DIR/` on connect, unix: and bind rules: every
	 * program below the directory */
	if (build("[policy]\nname = nd\ncgroup = /nd\n"
		  "[connect]\ndefault = deny\nallow = 10.9.0.0/16 port 80 tcp exe /usr/bin/\n"
		  "deny = unix:/run/nd.sock exe /usr/bin/\n"
		  "[bind]\ndefault = deny\nallow = 0.0.0.0/0 port 8080 tcp exe /usr/bin/\n") < 0)
		bail("build");
	is_string(judge("/nd", "connect 10.9.1.1 80 tcp exe /usr/bin/true", &r), "allow",
		  "connect exe DIR/: a program below the directory");
	is_string(rule_of(&r, ENF_HOOK_CONNECT), "allow = 10.9.0.0/16 port 80 tcp exe /usr/bin/", "  decided by it");
	is_string(judge("/nd", "connect 10.9.1.1 80 tcp exe /usr/sbin/nologin", NULL), "deny",
		  "connect exe DIR/: a program elsewhere: the default");
	is_string(judge("/nd", "connect 10.9.1.1 80 tcp", NULL), "deny", "connect exe DIR/: no program named");
	is_string(judge("/nd", "connect unix:/run/nd.sock exe /usr/bin/true", NULL), "deny",
		  "unix: exe DIR/: a program below the directory");
	is_string(judge("/nd", "connect unix:/run/nd.sock exe /usr/sbin/nologin", NULL), "allow",
		  "unix: exe DIR/: a program elsewhere passes");
	is_string(judge("/nd", "bind 0.0.0.0 8080 tcp exe /usr/bin/true", NULL), "allow",
		  "bind exe DIR/: a program below the directory");
	is_string(judge("/nd", "bind 0.0.0.0 8080 tcp exe /usr/sbin/nologin", NULL), "deny",
		  "bind exe DIR/: a program elsewhere: the default");
}

static void stacking(void)
{
	struct vm_result r;

	if (build("[policy]\nname = host\ncgroup = /\n[exec]\ndeny = /usr/bin/nc\n\f"
		  "[policy]\nname = svc\nunit = web.service\n[exec]\ndeny = /usr/bin/curl\n\f"
		  "[policy]\nname = aud\ncgroup = /system.slice\nmode = audit\n[exec]\ndeny = /usr/bin/wget\n"
		  "allow = /usr/bin/nc\n") < 0)
		bail("build");
	{
		size_t g[16];

		is_int(vm_governing(&set, "/system.slice/web.service", g, 16), 3,
		       "cgroup=/, unit= and an ancestor's cgroup= all govern");
		is_int(vm_governing(&set, "/user.slice/x", g, 16), 1, "only the host-wide one elsewhere");
		is_int(vm_governing(&set, "/system.slice/web.service.d", g, 16), 2,
		       "a unit name is matched whole");
	}
	is_string(judge("/system.slice/web.service", "exec /usr/bin/nc", &r), "deny",
		  "stacking: one policy's deny is enough, another's allow does not lift it");
	is_string(judge("/system.slice/web.service", "exec /usr/bin/curl", NULL), "deny", "the unit policy");
	is_string(judge("/system.slice/web.service", "exec /usr/bin/wget", NULL), "audit",
		  "an audit-mode policy would deny: audit (passes)");
	is_string(judge("/system.slice/web.service/sub", "exec /usr/bin/curl", NULL), "deny",
		  "below the unit's cgroup too");
	is_string(judge("/user.slice/x", "exec /usr/bin/curl", NULL), "allow", "not elsewhere");
}

static int write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

static void test_files(void)
{
	char dir[] = "/tmp/vmtestXXXXXX", path[256], outbuf[8192], errbuf[8192];
	struct ptest_totals tot = { 0 };
	FILE *out, *errf;
	int rc;

	if (!mkdtemp(dir))
		bail("mkdtemp");
	if (build("[policy]\nname = p0\ncgroup = /p\n[exec]\ndeny = /usr/bin/curl\n") < 0)
		bail("build");
	snprintf(path, sizeof(path), "%s/p0.test", dir);
	write_file(path, "; a comment\nexec /usr/bin/curl -> deny  ; inline\nexec /usr/bin/ls -> allow\n"
			 "cgroup = /p/q\nexec /usr/bin/curl -> deny\n");
	out = fmemopen(outbuf, sizeof(outbuf), "w");
	errf = fmemopen(errbuf, sizeof(errbuf), "w");
	rc = ptest_run_file(path, &set, &c, 0, false, out, errf, &tot);
	fclose(out);
	fclose(errf);
	ok(rc == 0 && tot.passed == 3 && tot.failed == 0 && tot.errors == 0, "a passing .test file: 3 passed");

	write_file(path, "exec /usr/bin/curl -> allow\nexec /usr/bin/ls\nexec /usr/bin/ls -> maybe\n"
			 "fly /x -> deny\ncgroup = relative\ncgroup = /nobody\nexec /x -> allow\n");
	memset(outbuf, 0, sizeof(outbuf));
	memset(errbuf, 0, sizeof(errbuf));
	tot = (struct ptest_totals){ 0 };
	out = fmemopen(outbuf, sizeof(outbuf), "w");
	errf = fmemopen(errbuf, sizeof(errbuf), "w");
	rc = ptest_run_file(path, &set, &c, 0, false, out, errf, &tot);
	fclose(out);
	fclose(errf);
	ok(rc < 0 && tot.failed == 1 && tot.errors == 5, "failures and malformed lines counted (%u, %u)",
	   tot.failed, tot.errors);
	ok(strstr(outbuf, "FAIL ") && strstr(outbuf, ":1: exec /usr/bin/curl -> want allow, got deny (p0 [exec]: deny = /usr/bin/curl (line 5))"),
	   "a failure names want, got and the deciding rule");
	ok(strstr(errbuf, ":2: missing '-> VERDICT' (allow, deny or audit)") != NULL, "missing verdict: file:line");
	ok(strstr(errbuf, ":3: bad verdict 'maybe' (allow, deny or audit)") != NULL, "bad verdict: file:line");
	ok(strstr(errbuf, ":4: unknown action 'fly' (exec, open, connect, bind)") != NULL, "unknown action: file:line");
	ok(strstr(errbuf, ":5: cgroup = needs an absolute, normalised cgroup path") != NULL, "bad cgroup: file:line");
	ok(strstr(errbuf, ":7: no policy governs cgroup /nobody") != NULL, "ungoverned cgroup: file:line");
	if (tot.errors != 5)
		diag("%s", errbuf);
	unlink(path);
	rmdir(dir);
}

/* Program conditions on exec and file rules (issue 19): judged for the
 * programs the action names (exe P, parent Q), by path (nothing on this
 * host needs to exist: paths under /nonexistent resolve as written). */
static void program_conditions(void)
{
	struct vm_result r;
	struct vm_action a;
	char msg[256], out[512];

	ok(build("[policy]\ncgroup = /pc\n"
		 "[file]\ndefault = allow\n"
		 "deny = /nonexistent/d/secret\n"
		 "allow = /nonexistent/d/secret exe /nonexistent/bin/reader\n"
		 "deny = /nonexistent/d/f exe /nonexistent/bin/a\n"
		 "readonly = /nonexistent/d/ exe /nonexistent/tools/\n"
		 "deny = /nonexistent/k/*.key\n"
		 "allow = /nonexistent/k/*.key exe /nonexistent/bin/a\n"
		 "[exec]\ndefault = allow\n"
		 "deny = /nonexistent/x/ls parent /nonexistent/bin/dash\n"
		 "deny = /nonexistent/x/* exe /nonexistent/bin/b\n") == 0, "a policy with exe, exe DIR/ and parent rules");
	is_string(judge("/pc", "open /nonexistent/d/secret", &r), "deny", "no program named: the rule without a condition");
	ok(strstr(r.r[0].why, "may decide otherwise") != NULL, "... and explain says a rule with a condition matches: %s",
	   r.r[0].why);
	is_string(judge("/pc", "open /nonexistent/d/secret exe /nonexistent/bin/reader", &r), "allow",
		  "exe P: the rule for that program wins at equal length");
	is_string(rule_of(&r, ENF_HOOK_FILE), "allow = /nonexistent/d/secret exe /nonexistent/bin/reader",
		  "... named as the deciding rule");
	is_string(judge("/pc", "open /nonexistent/d/secret exe /nonexistent/bin/other", NULL), "deny",
		  "another program (a copy, another name): the rule without a condition");
	is_string(judge("/pc", "open /nonexistent/d/f exe /nonexistent/bin/a", NULL), "deny",
		  "a literal deny for one program");
	is_string(judge("/pc", "open /nonexistent/d/f exe /nonexistent/bin/reader", NULL), "allow",
		  "... not for another");
	is_string(judge("/pc", "open /nonexistent/d/g write exe /nonexistent/tools/sub/t", NULL), "deny",
		  "exe DIR/: a program anywhere below it, readonly denies a write");
	is_string(judge("/pc", "open /nonexistent/d/g read exe /nonexistent/tools/sub/t", NULL), "allow",
		  "... and lets a read pass");
	is_string(judge("/pc", "open /nonexistent/d/g write exe /nonexistent/toolsx", NULL), "allow",
		  "... /nonexistent/toolsx is not below /nonexistent/tools/");
	is_string(judge("/pc", "open /nonexistent/d/f write exe /nonexistent/tools/t", &r), "deny",
		  "... its class's directory rule covers f (another class's file rule does not apply)");
	is_string(rule_of(&r, ENF_HOOK_FILE), "readonly = /nonexistent/d/ exe /nonexistent/tools/", "... named");
	is_string(judge("/pc", "open /nonexistent/k/a.key", NULL), "deny", "a pattern without a condition");
	is_string(judge("/pc", "open /nonexistent/k/a.key exe /nonexistent/bin/a", &r), "allow",
		  "a pattern with exe, met: it decides");
	is_string(rule_of(&r, ENF_HOOK_FILE), "allow = /nonexistent/k/*.key exe /nonexistent/bin/a", "... named");
	is_string(judge("/pc", "exec /nonexistent/x/ls", NULL), "allow", "parent: no parent named, allowed");
	is_string(judge("/pc", "exec /nonexistent/x/ls parent /nonexistent/bin/dash", &r), "deny",
		  "parent Q: started by dash, denied");
	is_string(rule_of(&r, ENF_HOOK_EXEC), "deny = /nonexistent/x/ls parent /nonexistent/bin/dash", "... by the parent rule");
	is_string(judge("/pc", "exec /nonexistent/x/ls exe /nonexistent/bin/dash", NULL), "allow",
		  "... exe dash is not parent dash");
	is_string(judge("/pc", "exec /nonexistent/x/cat exe /nonexistent/bin/b parent /nonexistent/bin/dash", NULL), "deny",
		  "an exec pattern with exe, both named");
	/* parsing and writing back */
	ok(vm_action_parse("open /a/b write exe /p/q parent /p/r", &a, msg, sizeof(msg)) == 0 &&
	   !strcmp(a.exe, "/p/q") && !strcmp(a.parent, "/p/r"), "parse: exe and parent on open");
	vm_action_format(&a, out, sizeof(out));
	is_string(out, "open /a/b write exe /p/q parent /p/r", "format: written back for the kernel's runner");
	ok(vm_action_parse("exec /a/b exe", &a, msg, sizeof(msg)) < 0 && !strcmp(msg, "'exe' needs a program PATH"),
	   "parse: exe without a path: %s", msg);
	ok(vm_action_parse("exec /a/b exe /p/ exe /q", &a, msg, sizeof(msg)) < 0,
	   "parse: exe twice or a directory refused: %s", msg);
	ok(vm_action_parse("exec /a/b parent p", &a, msg, sizeof(msg)) < 0 &&
	   !strcmp(msg, "parent: the path must be absolute"), "parse: a relative parent: %s", msg);
}

int main(void)
{
	parse_errors();
	exec_and_file();
	connect_rules();
	stacking();
	test_files();
	program_conditions();
	reset();
	return done_testing();
}
