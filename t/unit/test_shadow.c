// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_shadow.c - the pure parts of shadow and promote on the host
 * (shadow_model.c, shadow_cand.c, the shadow line of audit_format.c, the
 * shadow and promote requests of proto.c): the candidate directory loaded
 * (errors as file:line, refused names and pod policies), the observation
 * policy (bound once per cgroup), a kernel record turned into the model's
 * action, both sides judged and the kind of difference, the bounded report
 * and its JSON.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "audit_format.h"
#include "enforcer_abi.h"
#include "jparse.h"
#include "json.h"
#include "proto.h"
#include "shadow_model.h"
#include "tap.h"

static void put(const char *dir, const char *name, const char *text)
{
	char p[512];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	f = fopen(p, "w");
	if (!f)
		bail("cannot write a test file");
	fputs(text, f);
	fclose(f);
}

static int parse_set(const char *text, struct enf_policy_set *set, struct enf_compiled *c)
{
	struct enf_errors err = { 0 };
	int r = policy_parse_buffer("t.ini", text, strlen(text), set, &err);

	if (r == 0)
		r = policy_resolve_paths(set, "/", &err);
	if (r == 0)
		r = policy_compile(set, NULL, c, &err);
	for (size_t i = 0; i < err.n; i++)
		diag("%s", err.msg[i]);
	errors_free(&err);
	return r;
}

static bool has_err(const struct enf_errors *e, const char *sub)
{
	for (size_t i = 0; i < e->n; i++)
		if (strstr(e->msg[i], sub))
			return true;
	return false;
}

static void rm_rf(const char *dir)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		diag("cleanup of %s failed", dir);
}

int main(void)
{
	char tmpl[] = "/tmp/shadowXXXXXX", *dir = mkdtemp(tmpl), sub[600];
	struct shadow_cand c;
	struct enf_errors err = { 0 };
	struct proto_req req;
	char msg[256];

	if (!dir)
		bail("mkdtemp");

	/* ---- the candidate directory ---- */
	snprintf(sub, sizeof(sub), "%s/good", dir);
	mkdir(sub, 0755);
	put(sub, "web.ini", "[policy]\ncgroup = /a\n[file]\ndeny = /etc/shadow\n");
	put(sub, "web.test", "open /etc/shadow -> deny\n");
	put(sub, "db.ini", "[policy]\ncgroup = /a/b\ncgroup = /c\nunit = x.service\n[exec]\ndeny = /usr/bin/curl\n");
	put(sub, "README", "not a policy\n");
	is_int(shadow_cand_load(sub, &c, &err), 0, "a good candidate directory loads");
	is_int(c.set.n, 2, "  two policies");
	is_int(c.nfiles, 3, "  three files kept for promote (*.ini and *.test, not README)");
	ok(c.nfiles == 3 && !strcmp(c.files[0].name, "db.ini") && !strcmp(c.files[2].name, "web.test") &&
	   c.files[2].len == strlen("open /etc/shadow -> deny\n"), "  sorted by name, with their bytes");
	{
		char *ini = shadow_observe_ini(&c.set, &err);
		struct enf_policy_set obs = { 0 };

		ok(ini && strstr(ini, "\ncgroup = /a\n") && strstr(ini, "\ncgroup = /c\n") &&
		   !strstr(ini, "cgroup = /a/b") && strstr(ini, "\nunit = x.service\n"),
		   "observation policy: bound to /a, /c and x.service, not again to /a/b below /a");
		ok(ini && strstr(ini, "mode = audit") && strstr(ini, "[capabilities]\ndefault = allow"),
		   "  audit mode, capabilities allowed");
		is_int(ini ? policy_parse_buffer(SHADOW_OBSERVE_FILE, ini, strlen(ini), &obs, &err) : -1, 0,
		       "  it parses");
		ok(obs.n == 1 && !strcmp(obs.pol[0].name, SHADOW_OBSERVE_NAME) &&
		   obs.pol[0].sec[ENF_HOOK_FILE].deflt == ENF_DENY && obs.pol[0].mode == ENF_MODE_AUDIT,
		   "  named %s, default deny", SHADOW_OBSERVE_NAME);
		policy_set_free(&obs);
		free(ini);
	}
	shadow_cand_free(&c);
	errors_free(&err);

	snprintf(sub, sizeof(sub), "%s/bad", dir);
	mkdir(sub, 0755);
	put(sub, "x.ini", "[policy]\ncgroup = /a\n[file]\nfrobnicate = /x\n");
	is_int(shadow_cand_load(sub, &c, &err), -1, "a candidate with a syntax error is refused");
	ok(err.n && strstr(err.msg[0], "/bad/x.ini:4:"), "  file:line in the message (%s)",
	   err.n ? err.msg[0] : "none");
	errors_free(&err);

	snprintf(sub, sizeof(sub), "%s/empty", dir);
	mkdir(sub, 0755);
	is_int(shadow_cand_load(sub, &c, &err), -1, "a directory without *.ini is refused");
	ok(has_err(&err, "no policy (*.ini)"), "  no policy (*.ini)");
	errors_free(&err);

	snprintf(sub, sizeof(sub), "%s/nope", dir);
	is_int(shadow_cand_load(sub, &c, &err), -1, "a directory that does not exist");
	ok(has_err(&err, "cannot open the candidate directory"), "  cannot open the candidate directory");
	errors_free(&err);
	is_int(shadow_cand_load("rel/dir", &c, &err), -1, "a relative directory");
	errors_free(&err);

	snprintf(sub, sizeof(sub), "%s/reserved", dir);
	mkdir(sub, 0755);
	put(sub, "x.ini", "[policy]\nname = " SHADOW_OBSERVE_NAME "\ncgroup = /a\n");
	is_int(shadow_cand_load(sub, &c, &err), -1, "the observation policy's name is reserved");
	ok(has_err(&err, "reserved"), "  said so");
	errors_free(&err);

	snprintf(sub, sizeof(sub), "%s/pod", dir);
	mkdir(sub, 0755);
	put(sub, "x.ini", "[policy]\nnamespace = payments\n[exec]\ndeny = /usr/bin/curl\n");
	is_int(shadow_cand_load(sub, &c, &err), -1, "pod policies cannot be shadowed");
	ok(has_err(&err, "pod policies"), "  said so");
	errors_free(&err);

	snprintf(sub, sizeof(sub), "%s/nobind", dir);
	mkdir(sub, 0755);
	put(sub, "x.ini", "[policy]\n[exec]\ndeny = /usr/bin/curl\n");
	if (shadow_cand_load(sub, &c, &err) == 0) {
		char *ini = shadow_observe_ini(&c.set, &err);

		ok(!ini && has_err(&err, "binds no cgroup"), "a candidate that binds nothing: no observation policy");
		free(ini);
		shadow_cand_free(&c);
	} else {
		ok(err.n > 0, "a candidate that binds nothing is refused (%s)", err.msg[0]);
	}
	errors_free(&err);

	/* ---- a kernel record as the model's action ---- */
	{
		struct enf_event e = { 0 };
		struct vm_action a;
		char text[512];

		e.hook = ENF_HOOK_EXEC;
		e.op = ENF_OP_EXEC;
		strcpy(e.path, "/usr/bin/curl");
		e.path_len = strlen(e.path);
		is_int(shadow_action_of(&e, "/bin/sh", &a), 0, "exec record: judged");
		vm_action_format(&a, text, sizeof(text));
		is_string(text, "exec /usr/bin/curl", "  exec /usr/bin/curl");
		e.hook = ENF_HOOK_FILE;
		e.op = ENF_OP_OPEN;
		e.access = ENF_ACC_WRITE;
		is_int(shadow_action_of(&e, NULL, &a), 0, "open record: judged");
		ok(a.op == VM_OPEN && a.write && a.need == ENF_RIGHT_WRITE, "  open for writing");
		e.access = ENF_ACC_READ;
		shadow_action_of(&e, NULL, &a);
		vm_action_format(&a, text, sizeof(text));
		is_string(text, "open /usr/bin/curl read", "  open for reading");
		e.op = ENF_OP_UNLINK;
		is_int(shadow_action_of(&e, NULL, &a), -1, "unlink: not modelled");
		e.op = ENF_OP_OPEN;
		e.flags = ENF_EV_PATH_TRUNC;
		is_int(shadow_action_of(&e, NULL, &a), -1, "a path cut at the record's size: not modelled");
		e.flags = 0;
		e.rule_id = ENF_RULE_SELF;
		is_int(shadow_action_of(&e, NULL, &a), -1, "self-protection: not modelled");
		e.rule_id = 0;
		e.hook = ENF_HOOK_CONNECT;
		e.op = ENF_OP_CONNECT;
		e.family = 4;
		e.proto = 6;
		e.port = 443;
		memcpy(e.addr, "\x0a\x00\x00\x05", 4);
		is_int(shadow_action_of(&e, "/usr/bin/curl", &a), 0, "connect record: judged");
		vm_action_format(&a, text, sizeof(text));
		is_string(text, "connect 10.0.0.5 443 tcp exe /usr/bin/curl", "  with the process's program");
		e.family = ENF_FAMILY_UNIX;
		e.flags = ENF_EV_ABSTRACT;
		strcpy(e.path, "bus");
		e.path_len = 3;
		shadow_action_of(&e, NULL, &a);
		vm_action_format(&a, text, sizeof(text));
		is_string(text, "connect unix:@bus", "abstract unix socket: unix:@NAME");
		e.family = ENF_FAMILY_PACKET;
		e.flags = 0;
		is_int(shadow_action_of(&e, NULL, &a), -1, "packet socket: not modelled");
		e.hook = ENF_HOOK_CAPABLE;
		is_int(shadow_action_of(&e, NULL, &a), -1, "capability: not modelled");
	}

	/* ---- both sides judged ---- */
	{
		struct enf_policy_set live = { 0 }, cand = { 0 };
		struct enf_compiled lc = { 0 }, cc = { 0 };
		struct shadow_side l, k;
		struct vm_action a;
		char e2[128];

		is_int(parse_set("[policy]\nname = app\ncgroup = /app\n[file]\ndeny = /data/old\n"
				 "deny = /data/common\n", &live, &lc), 0, "live set");
		is_int(parse_set("[policy]\nname = app\ncgroup = /app\n[file]\ndeny = /data/new\n"
				 "deny = /data/common\n[exec]\ndeny = /usr/bin/curl\n", &cand, &cc), 0, "candidate set");
		vm_action_parse("open /data/new", &a, e2, sizeof(e2));
		shadow_judge(&live, &lc, "/app/x", &a, ENF_HOOK_FILE, &l);
		shadow_judge(&cand, &cc, "/app/x", &a, ENF_HOOK_FILE, &k);
		is_int(shadow_kind_of(&l, &k), SHADOW_NEWLY_DENIED, "open /data/new: newly denied");
		ok(k.rule && !strcmp(k.rule, "deny = /data/new") && k.rule_line == 5 && !strcmp(k.policy, "app"),
		   "  the candidate's rule and line");
		ok(l.outcome == VM_ALLOWED && l.governed && !l.rule && !strcmp(l.policy, "app"),
		   "  the live side: allowed by app's default");
		vm_action_parse("open /data/old", &a, e2, sizeof(e2));
		shadow_judge(&live, &lc, "/app", &a, ENF_HOOK_FILE, &l);
		shadow_judge(&cand, &cc, "/app", &a, ENF_HOOK_FILE, &k);
		is_int(shadow_kind_of(&l, &k), SHADOW_NEWLY_ALLOWED, "open /data/old: newly allowed");
		ok(l.rule && !strcmp(l.rule, "deny = /data/old") && l.rule_line == 5, "  the live rule and line");
		vm_action_parse("open /data/common", &a, e2, sizeof(e2));
		shadow_judge(&live, &lc, "/app", &a, ENF_HOOK_FILE, &l);
		shadow_judge(&cand, &cc, "/app", &a, ENF_HOOK_FILE, &k);
		is_int(shadow_kind_of(&l, &k), SHADOW_SAME, "open /data/common: the same (both deny)");
		vm_action_parse("exec /usr/bin/curl", &a, e2, sizeof(e2));
		shadow_judge(&live, &lc, "/app", &a, ENF_HOOK_EXEC, &l);
		shadow_judge(&cand, &cc, "/app", &a, ENF_HOOK_EXEC, &k);
		is_int(shadow_kind_of(&l, &k), SHADOW_NEWLY_DENIED, "exec /usr/bin/curl: newly denied (exec hook)");
		shadow_judge(&live, &lc, "/app", &a, ENF_HOOK_FILE, &l);
		shadow_judge(&cand, &cc, "/app", &a, ENF_HOOK_FILE, &k);
		is_int(shadow_kind_of(&l, &k), SHADOW_SAME, "  its [file] open of the program: the same");
		vm_action_parse("open /data/new", &a, e2, sizeof(e2));
		shadow_judge(&live, &lc, "/other", &a, ENF_HOOK_FILE, &l);
		shadow_judge(&cand, &cc, "/other", &a, ENF_HOOK_FILE, &k);
		ok(!l.governed && !k.governed && shadow_kind_of(&l, &k) == SHADOW_SAME,
		   "a cgroup neither set governs: not governed, the same");
		policy_compiled_free(&lc);
		policy_set_free(&live);
		is_int(parse_set("[policy]\nname = app\ncgroup = /app\nmode = audit\n[file]\ndeny = /data/new\n",
				 &live, &lc), 0, "an audit-mode live set");
		shadow_judge(&live, &lc, "/app", &a, ENF_HOOK_FILE, &l);
		shadow_judge(&cand, &cc, "/app", &a, ENF_HOOK_FILE, &k);
		ok(l.outcome == VM_AUDITED && shadow_kind_of(&l, &k) == SHADOW_NEWLY_DENIED,
		   "audit -> deny: newly denied");
		vm_action_parse("open /data/x", &a, e2, sizeof(e2));
		l.outcome = VM_AUDITED;
		k.outcome = VM_ALLOWED;
		is_int(shadow_kind_of(&l, &k), SHADOW_AUDIT_CHANGED, "audit -> allow: audit_changed");
		is_string(shadow_kind_name(SHADOW_NEWLY_ALLOWED), "newly_allowed", "kind names");
		policy_compiled_free(&lc);
		policy_set_free(&live);
		policy_compiled_free(&cc);
		policy_set_free(&cand);
	}

	/* ---- the report ---- */
	{
		struct shadow_report r = { .max = 2 };
		struct shadow_side l = { .outcome = VM_ALLOWED, .governed = true, .policy = "app" };
		struct shadow_side k = { .outcome = VM_DENIED, .governed = true, .policy = "app",
					 .rule = "deny = /x", .rule_line = 4 };
		struct jbuf b;
		struct jval v;
		const struct jval *nd, *na;

		is_int(shadow_report_add(&r, SHADOW_NEWLY_DENIED, "/app", ENF_HOOK_FILE, "open /x read",
					 &l, &k, "T1"), 0, "report: a difference");
		shadow_report_add(&r, SHADOW_NEWLY_DENIED, "/app", ENF_HOOK_FILE, "open /x read", &l, &k, "T2");
		shadow_report_add(&r, SHADOW_NEWLY_DENIED, "/app", ENF_HOOK_FILE, "open /x read", &l, &k, "T3");
		is_int(r.n, 1, "  the same action three times: one entry");
		ok(r.e[0].count == 3 && !strcmp(r.e[0].first, "T1") && !strcmp(r.e[0].last, "T3"),
		   "  count 3, first T1, last T3");
		is_int(shadow_report_add(&r, SHADOW_NEWLY_ALLOWED, "/app", ENF_HOOK_FILE, "open /y read",
					 &k, &l, "T4"), 0, "another action: a second entry");
		is_int(shadow_report_add(&r, SHADOW_NEWLY_ALLOWED, "/app", ENF_HOOK_FILE, "open /z read",
					 &k, &l, "T5"), 1, "a third past the bound (2): dropped");
		shadow_report_add(&r, SHADOW_NEWLY_DENIED, "/app", ENF_HOOK_FILE, "open /x read", &l, &k, "T6");
		ok(r.differences == 6 && r.dropped == 1 && r.e[0].count == 4,
		   "  counted: 6 differences, 1 dropped, a kept action still counted");
		jb_init(&b);
		jb_obj_open(&b);
		shadow_report_json(&b, &r);
		jb_obj_close(&b);
		ok(!b.oom && jparse(b.s, b.len, &v) == 0 && v.type == J_OBJ, "report JSON is valid");
		nd = jval_get(&v, "newly_denied");
		na = jval_get(&v, "newly_allowed");
		ok(nd && nd->type == J_ARR && nd->n == 1 && na && na->n == 1, "  one newly denied, one newly allowed");
		ok(b.s && strstr(b.s, "\"action\":\"open /x read\",\"cgroup\":\"/app\",\"hook\":\"file\",\"count\":4,"
				 "\"first\":\"T1\",\"last\":\"T6\",\"live\":{\"verdict\":\"allow\",\"policy\":\"app\","
				 "\"rule\":\"default\"},\"candidate\":{\"verdict\":\"deny\",\"policy\":\"app\","
				 "\"rule\":\"deny = /x\",\"rule_line\":4}"), "  an entry with both sides");
		ok(b.s && strstr(b.s, "\"differences\":6,\"dropped\":1"), "  differences and dropped");
		jval_free(&v);
		jb_free(&b);
		shadow_report_free(&r);
	}

	/* ---- the shadow line ---- */
	{
		struct enf_event e = { 0 };
		struct audit_context ac = { .cgroup = "/app", .real_ns = 1 };
		struct audit_side l = { "allow", "app", NULL, 0 }, k = { "deny", "app", "deny = /x", 4 };
		struct audit_meta m = { 0 };
		struct jbuf b;
		struct jval v;

		e.hook = ENF_HOOK_FILE;
		e.op = ENF_OP_OPEN;
		e.access = ENF_ACC_READ;
		e.pid = 7;
		strcpy(e.path, "/x");
		e.path_len = 2;
		jb_init(&b);
		audit_format_shadow(&b, &e, &ac, "newly_denied", "open /x read", &l, &k, &m);
		ok(!b.oom && jparse(b.s, b.len, &v) == 0, "shadow line: valid JSON");
		ok(b.s && strstr(b.s, "\"action\":\"shadow\",\"shadow\":\"newly_denied\",\"hook\":\"file\","
				 "\"op\":\"open\",\"shadow_action\":\"open /x read\",\"live\":{\"verdict\":\"allow\","
				 "\"policy\":\"app\",\"rule\":\"default\"},\"candidate\":{\"verdict\":\"deny\","
				 "\"policy\":\"app\",\"rule\":\"deny = /x\",\"rule_line\":4},\"pid\":7"),
		   "  kind, action, both sides, then the subject");
		ok(b.s && strstr(b.s, "\"cgroup\":\"/app\"") && strstr(b.s, "\"path\":\"/x\",\"access\":\"read\""),
		   "  cgroup, path and access");
		ok(m.action && !strcmp(m.action, "shadow") && m.policy && !strcmp(m.policy, "app"),
		   "  meta: action shadow, the candidate's policy (for audit filters)");
		jval_free(&v);
		jb_free(&b);
	}

	/* ---- requests ---- */
	is_int(proto_parse("shadow /etc/cand", 16, &req, msg, sizeof(msg)), 0, "proto: shadow DIR");
	ok(req.verb == PROTO_SHADOW && req.argc == 2 && !strcmp(req.argv[1], "/etc/cand"), "  verb and DIR");
	is_int(proto_parse("shadow report", 13, &req, msg, sizeof(msg)), 0, "proto: shadow report");
	is_int(proto_parse("shadow drop", 11, &req, msg, sizeof(msg)), 0, "proto: shadow drop");
	is_int(proto_parse("shadow", 6, &req, msg, sizeof(msg)), -1, "proto: shadow without argument");
	is_int(proto_parse("shadow rel/dir", 14, &req, msg, sizeof(msg)), -1, "proto: shadow with a relative DIR");
	ok(strstr(msg, "not an absolute directory") != NULL, "  said so (%s)", msg);
	is_int(proto_parse("shadow /a /b", 12, &req, msg, sizeof(msg)), -1, "proto: shadow with two arguments");
	is_int(proto_parse("promote", 7, &req, msg, sizeof(msg)), 0, "proto: promote");
	ok(req.verb == PROTO_PROMOTE, "  verb");
	is_int(proto_parse("promote now", 11, &req, msg, sizeof(msg)), -1, "proto: promote takes no argument");
	is_int(proto_parse("audit action=shadow", 19, &req, msg, sizeof(msg)), 0, "proto: audit action=shadow");
	is_string(proto_verb_name(PROTO_PROMOTE), "promote", "verb name");

	rm_rf(dir);
	return done_testing();
}
