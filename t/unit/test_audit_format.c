// SPDX-License-Identifier: GPL-2.0-only
/* test_audit_format.c - the audit line of one event (audit_format.c), byte
 * for byte: an exec denial naming its rule, a connect audit, a fail-closed
 * denial, an unknown policy, argv (cut), tamper and mount lines without a
 * path, a capability denial, invalid bytes with their _hex companion, the
 * "lost" line, deny storms (a line carrying "suppressed" repeats and a
 * summary line, no object), and the executable the kernel named
 * (audit_event_exe), the condition a network rule with exe names. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include "audit_format.h"
#include "tap.h"

#define T0 1700000000123456789ull   /* 2023-11-14T22:13:20.123456789Z */

static struct enf_rule rules[4] = {
	{ .line = 4, .id = 0, .hook = ENF_HOOK_EXEC, .verdict = ENF_DENY, .text = "deny = /usr/bin/curl" },
	{ .line = 9, .id = 1, .hook = ENF_HOOK_CONNECT, .verdict = ENF_DENY, .text = "deny = 10.0.0.0/8" },
	{ .line = 10, .id = 2, .hook = ENF_HOOK_CONNECT, .verdict = ENF_DENY, .prog = 1,
	  .text = "deny = 10.0.0.0/8 exe /opt/bin/" },
	{ .line = 11, .id = 3, .hook = ENF_HOOK_BIND, .verdict = ENF_DENY, .prog = 1,
	  .text = "deny = 0.0.0.0/0 port 80 exe /opt/bin/" },
};
static struct enf_policy_src web = { .name = "web", .file = "/p/web.ini", .mode = ENF_MODE_ENFORCE,
				     .rules = rules, .nrules = 4 };

/* Format e with ctx; returns the line (static) and the meta. */
static const char *fmt(const struct enf_event *e, const struct audit_context *ctx, struct audit_meta *m)
{
	static char out[8192];
	struct jbuf b;

	jb_init(&b);
	audit_format_event(&b, e, ctx, m);
	snprintf(out, sizeof(out), "%s", b.oom ? "OOM" : b.s);
	jb_free(&b);
	return out;
}

static struct enf_event ev(uint8_t hook, uint32_t op)
{
	struct enf_event e;

	memset(&e, 0, sizeof(e));
	e.cgid = 77;
	e.generation = 3;
	e.pid = 100;
	e.tid = 101;
	e.ppid = 1;
	e.uid = 0;
	e.gid = 0;
	e.hook = hook;
	e.op = op;
	e.action = ENF_ACTION_DENY;
	memcpy(e.comm, "sh", 3);
	return e;
}

int main(void)
{
	struct audit_context ctx = { .policy = &web, .cgroup = "/app", .exe = "/bin/sh", .exe_len = 7,
				     .real_ns = T0 };
	struct audit_meta m;
	struct enf_event e;
	struct jbuf b;

	plan(40);

	e = ev(ENF_HOOK_EXEC, ENF_OP_EXEC);
	e.rule_id = 0;
	e.access = ENF_ACC_EXEC;
	e.path_len = 13;
	memcpy(e.path, "/usr/bin/curl", 13);
	e.flags = ENF_EV_HAS_ARGV | ENF_EV_ARGV_TRUNC;
	e.argv_len = 12;
	memcpy(e.argv, "curl\0-s\0http", 12);
	is_string(fmt(&e, &ctx, &m),
		  "{\"time\":\"2023-11-14T22:13:20.123456789Z\",\"action\":\"deny\",\"hook\":\"exec\","
		  "\"op\":\"exec\",\"policy\":\"web\",\"rule\":\"deny = /usr/bin/curl\",\"rule_line\":4,"
		  "\"mode\":\"enforce\",\"pid\":100,\"tid\":101,\"ppid\":1,\"uid\":0,\"gid\":0,"
		  "\"comm\":\"sh\",\"exe\":\"/bin/sh\",\"cgroup\":\"/app\",\"cgroup_id\":77,"
		  "\"path\":\"/usr/bin/curl\",\"access\":\"exec\",\"argv\":[\"curl\",\"-s\",\"http\"],"
		  "\"argv_truncated\":true,\"generation\":3}",
		  "exec denial: rule text and line, argv cut");
	ok(!strcmp(m.policy, "web") && !strcmp(m.hook, "exec") && !strcmp(m.action, "deny"),
	   "exec denial: meta for the subscribers' filters");

	e = ev(ENF_HOOK_CONNECT, ENF_OP_CONNECT);
	e.action = ENF_ACTION_AUDIT;
	e.rule_id = 1;
	e.family = 4;
	e.proto = 6;
	e.port = 443;
	memcpy(e.addr, "\x0a\x01\x02\x03", 4);
	e.ns_pid = 5;
	e.ns_level = 1;
	ctx.exe = NULL;
	is_string(fmt(&e, &ctx, &m),
		  "{\"time\":\"2023-11-14T22:13:20.123456789Z\",\"action\":\"audit\",\"hook\":\"connect\","
		  "\"op\":\"connect\",\"policy\":\"web\",\"rule\":\"deny = 10.0.0.0/8\",\"rule_line\":9,"
		  "\"mode\":\"enforce\",\"pid\":100,\"tid\":101,\"ns_pid\":5,\"pidns_level\":1,\"ppid\":1,"
		  "\"uid\":0,\"gid\":0,\"comm\":\"sh\",\"cgroup\":\"/app\",\"cgroup_id\":77,"
		  "\"addr\":\"10.1.2.3\",\"port\":443,\"proto\":\"tcp\",\"family\":\"ipv4\",\"generation\":3}",
		  "connect audit: address fields, namespace pid, no exe when gone");
	ok(!strcmp(m.action, "audit") && !strcmp(m.hook, "connect"), "connect audit: meta");
	/* issue 19: a connect or bind rule with `exe` that decided is named
	 * as the condition, as on exec and file rules */
	e.rule_id = 2;
	ok(strstr(fmt(&e, &ctx, &m), "\"rule\":\"deny = 10.0.0.0/8 exe /opt/bin/\",\"rule_line\":10,") &&
	   strstr(fmt(&e, &ctx, &m), "\"family\":\"ipv4\",\"condition\":\"exe\",\"generation\":3}"),
	   "connect: a rule with exe decided: \"condition\":\"exe\"");
	e.hook = ENF_HOOK_BIND;
	e.op = ENF_OP_BIND;
	e.rule_id = 3;
	ok(strstr(fmt(&e, &ctx, &m), "\"family\":\"ipv4\",\"condition\":\"exe\",\"generation\":3}") != NULL,
	   "bind: a rule with exe decided: \"condition\":\"exe\"");
	e.rule_id = ENF_RULE_DEFAULT;
	ok(!strstr(fmt(&e, &ctx, &m), "condition"), "bind: the default decided: no condition");
	e.hook = ENF_HOOK_CONNECT;
	e.op = ENF_OP_CONNECT;
	e.rule_id = 1;
	ok(!strstr(fmt(&e, &ctx, &m), "condition"), "connect: a rule without exe decided: no condition");

	e = ev(ENF_HOOK_FILE, ENF_OP_OPEN);
	e.rule_id = ENF_RULE_DEFAULT;
	e.flags = ENF_EV_FAIL_CLOSED | ENF_EV_PATH_TRUNC;
	e.access = ENF_ACC_READ;
	e.path_len = 2;
	memcpy(e.path, "/x", 2);
	ctx.policy = NULL;
	ctx.cgroup = NULL;
	is_string(fmt(&e, &ctx, &m),
		  "{\"time\":\"2023-11-14T22:13:20.123456789Z\",\"action\":\"deny\",\"hook\":\"file\","
		  "\"op\":\"open\",\"policy\":\"(fail-closed)\",\"rule\":\"fail-closed\",\"pid\":100,"
		  "\"tid\":101,\"ppid\":1,\"uid\":0,\"gid\":0,\"comm\":\"sh\",\"cgroup\":\"(unknown)\","
		  "\"cgroup_id\":77,\"path\":\"/x\",\"path_truncated\":true,\"access\":\"read\","
		  "\"fail_closed\":true,\"generation\":3}",
		  "fail-closed denial: no policy, no mode, unknown cgroup");

	e.flags = 0;
	e.rule_id = 0;
	ok(strstr(fmt(&e, &ctx, &m), "\"policy\":\"(unknown)\",\"rule\":\"default\",") != NULL,
	   "a policy the daemon cannot name: (unknown), default");
	ctx.policy = &web;
	e.rule_id = 7;
	ok(strstr(fmt(&e, &ctx, &m), "\"policy\":\"web\",\"rule\":\"default\",\"mode\":\"enforce\",") != NULL,
	   "a rule id beyond the policy's rules: default");

	e = ev(ENF_HOOK_FILE, ENF_OP_TAMPER);
	e.rule_id = ENF_RULE_SELF;
	e.path_len = 4;
	memcpy(e.path, "/pin", 4);
	ok(strstr(fmt(&e, &ctx, &m), "\"rule\":\"self-protection\"") &&
	   !strstr(fmt(&e, &ctx, &m), "\"path\"") && !strstr(fmt(&e, &ctx, &m), "\"access\""),
	   "tamper: self-protection, no path, no access");
	e.op = ENF_OP_MOUNT;
	e.flags = ENF_EV_NAME_ONLY;
	ok(strstr(fmt(&e, &ctx, &m), "\"path\":\"/pin\",\"path_is_name\":true,\"access\":\"none\"") != NULL,
	   "mount refused by self-protection: names what it would cover, access none");
	e.path_len = 0;
	ok(!strstr(fmt(&e, &ctx, &m), "\"path\""), "mount without a name: no path");
	e.flags = 0;
	e.op = ENF_OP_TIOCSTI;
	ok(strstr(fmt(&e, &ctx, &m), "\"op\":\"tiocsti\"") != NULL, "TIOCSTI refused: op tiocsti");
	e.op = ENF_OP_TIOCLINUX;
	ok(strstr(fmt(&e, &ctx, &m), "\"op\":\"tioclinux\"") != NULL, "TIOCLINUX paste refused: op tioclinux");
	e.op = ENF_OP_PRCTL;
	ok(strstr(fmt(&e, &ctx, &m), "\"op\":\"prctl\"") != NULL, "PR_SET_MM refused: op prctl");
	e.op = ENF_OP_SETSOCKOPT;
	ok(strstr(fmt(&e, &ctx, &m), "\"op\":\"setsockopt\"") != NULL, "IPV6_RTHDR refused: op setsockopt");
	e.op = ENF_OP_MAX + 3;
	e.hook = 200;
	ok(strstr(fmt(&e, &ctx, &m), "\"hook\":\"unknown\",\"op\":\"unknown\"") != NULL,
	   "hook and op out of range: unknown");

	e = ev(ENF_HOOK_FILE, ENF_OP_UNLINK);
	ctx.cgroup = "/app";
	e.path_len = 4;
	memcpy(e.path, "/a\xff\x00", 4);
	memcpy(e.comm, "a\tb", 4);
	is_string(strstr(fmt(&e, &ctx, &m), "\"comm\""),
		  "\"comm\":\"a\\tb\",\"cgroup\":\"/app\",\"cgroup_id\":77,\"path\":\"/a\\ufffd\\u0000\","
		  "\"path_hex\":\"2f61ff00\",\"access\":\"none\",\"generation\":3}",
		  "invalid UTF-8 and NUL in a path: escaped, exact bytes in path_hex");
	e.path_len = ENF_EVENT_PATH + 50;
	ok(strlen(fmt(&e, &ctx, &m)) < 8192, "a path_len beyond the event is bounded");

	e = ev(ENF_HOOK_FILE, ENF_OP_OPEN);
	e.access = ENF_ACC_READ;
	e.path_len = 2;
	memcpy(e.path, "/x", 2);
	e.cond = ENF_COND_OWNER;
	ok(strstr(fmt(&e, &ctx, &m), "\"path\":\"/x\",\"access\":\"read\",\"condition\":\"owner\",") != NULL,
	   "file denial decided by an owner condition: condition owner");
	e.cond = ENF_COND_OWNER_WRITE;
	ok(strstr(fmt(&e, &ctx, &m), "\"access\":\"read\",\"condition\":\"owner-write\",") != NULL,
	   "... owner-write");
	e.cond = 0;
	ok(!strstr(fmt(&e, &ctx, &m), "\"condition\""), "no condition: no field");
	e.right = ENF_RIGHT_TRUNCATE;
	ok(strstr(fmt(&e, &ctx, &m), "\"access\":\"read\",\"right\":\"truncate\",") != NULL,
	   "file denial by a right a rule denies: right truncate");
	e.right = 0;
	ok(!strstr(fmt(&e, &ctx, &m), "\"right\""), "no right: no field");

	e = ev(ENF_HOOK_CAPABLE, ENF_OP_MOUNT);
	e.cap = 21;
	e.sysno = 165;
	e.path_len = 4;
	memcpy(e.path, "/mnt", 4);
	e.flags = ENF_EV_HAS_FSTYPE;
	e.argv_len = 6;
	memcpy(e.argv, "tmpfs", 6);
	is_string(strstr(fmt(&e, &ctx, &m), "\"cgroup_id\""),
		  "\"cgroup_id\":77,\"capability\":\"CAP_SYS_ADMIN\",\"syscall_nr\":165,\"path\":\"/mnt\","
		  "\"fstype\":\"tmpfs\",\"generation\":3}",
		  "capability denial: capability, syscall, path and fstype");
	ok(!strcmp(m.hook, "capability"), "capability denial: hook capability");

	/* deny storms: a full line with the repeats suppressed before it */
	e = ev(ENF_HOOK_EXEC, ENF_OP_EXEC);
	e.rule_id = 0;
	e.access = ENF_ACC_EXEC;
	e.path_len = 13;
	memcpy(e.path, "/usr/bin/curl", 13);
	e.suppressed = 41;
	ctx.exe = "/bin/sh";
	ctx.cgroup = "/app";
	is_string(strstr(fmt(&e, &ctx, &m), "\"cgroup_id\""),
		  "\"cgroup_id\":77,\"path\":\"/usr/bin/curl\",\"access\":\"exec\",\"suppressed\":41,"
		  "\"generation\":3}",
		  "storm: a full line carries the suppressed repeats of its key");
	/* ... and the summary of a window: who, which rule, how many; no object */
	e.summary = 1;
	e.suppressed = 1000;
	is_string(fmt(&e, &ctx, &m),
		  "{\"time\":\"2023-11-14T22:13:20.123456789Z\",\"action\":\"deny\",\"hook\":\"exec\","
		  "\"op\":\"exec\",\"policy\":\"web\",\"rule\":\"deny = /usr/bin/curl\",\"rule_line\":4,"
		  "\"mode\":\"enforce\",\"pid\":100,\"tid\":101,\"ppid\":1,\"uid\":0,\"gid\":0,"
		  "\"comm\":\"sh\",\"exe\":\"/bin/sh\",\"cgroup\":\"/app\",\"cgroup_id\":77,"
		  "\"summary\":true,\"suppressed\":1000,\"generation\":3}",
		  "storm: a summary line names policy, rule, cgroup and process, no object");
	e.summary = 0;
	e.suppressed = 0;
	ok(!strstr(fmt(&e, &ctx, &m), "suppressed") && !strstr(fmt(&e, &ctx, &m), "summary"),
	   "storm: a line with nothing suppressed has neither field");
	/* the exe the kernel put in the record */
	{
		char x[ENF_EVENT_PATH + 16];
		struct audit_context c2 = ctx;
		bool tr = true;

		e = ev(ENF_HOOK_EXEC, ENF_OP_EXEC);
		ok(audit_event_exe(&e, x, sizeof(x), &tr) == 0 && !tr, "exe: none in the record: 0");
		memcpy(e.exe, "/usr/bin/probe", 14);
		e.exe_len = 14;
		ok(audit_event_exe(&e, x, sizeof(x), &tr) == 0, "exe: without ENF_EXE_SET: 0 (not trusted)");
		e.exe_flags = ENF_EXE_SET;
		ok(audit_event_exe(&e, x, sizeof(x), &tr) == 14 && !strcmp(x, "/usr/bin/probe") && !tr,
		   "exe: the record's path, NUL-terminated");
		e.exe_flags = ENF_EXE_SET | ENF_EXE_DELETED;
		ok(audit_event_exe(&e, x, sizeof(x), &tr) == 24 && !strcmp(x, "/usr/bin/probe (deleted)"),
		   "exe: an unlinked file as /proc shows it: ' (deleted)'");
		e.exe_flags = ENF_EXE_SET | ENF_EXE_TRUNC;
		ok(audit_event_exe(&e, x, sizeof(x), &tr) == 14 && tr, "exe: truncated flag");
		ok(audit_event_exe(&e, x, 64, &tr) == 0, "exe: an output too small: 0, no overflow");
		e.exe_len = 60000;
		ok(audit_event_exe(&e, x, sizeof(x), &tr) == ENF_EVENT_PATH - 1,
		   "exe: a length beyond the record is clamped");
		c2.exe = "/a/b";
		c2.exe_len = 4;
		c2.exe_truncated = true;
		ok(strstr(fmt(&e, &c2, &m), "\"exe\":\"/a/b\",\"exe_truncated\":true,\"cgroup\"") != NULL,
		   "exe_truncated follows exe");
	}

	jb_init(&b);
	audit_format_lost(&b, 5, 12, T0);
	is_string(b.s, "{\"lost\":5,\"lost_total\":12,\"time\":\"2023-11-14T22:13:20.123456789Z\","
		  "\"reason\":\"ring buffer full\"}", "lost line");
	jb_free(&b);
	return done_testing();
}
