// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_net_rules.c - issue 18's rules on the host: program conditions
 * (`exe PATH`, prog_cond.c) on [connect] and [bind] rules, the [bind]
 * section, unix: connect rules; their parse errors (exact file:line
 * text), limits, compiled entries (kinds, classes, flags, "most specific
 * wins" with exe, through a model of the BPF lookup) and audit lines;
 * issue 19's `packet` rules (packet sockets, judged when created) and
 * `PROTO socket` rules (raw IP sockets, judged when created).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "audit_format.h"
#include "compile_fixture.h"
#include "verdict_model.h"
#include "tap.h"

static int parse(const char *text)
{
	return parse_text("n.ini", text);
}

/* A denial event of hook and op (the rest zero, for the caller to fill). */
static struct enf_event denial(uint8_t hook, uint32_t op)
{
	struct enf_event e;

	memset(&e, 0, sizeof(e));
	e.hook = hook;
	e.op = op;
	e.action = ENF_ACTION_DENY;
	return e;
}

/* e formatted as an audit line through ctx, into b (jb_free it). */
static void format(struct jbuf *b, const struct enf_event *e, const struct audit_context *ctx,
		   struct audit_meta *m)
{
	jb_init(b);
	audit_format_event(b, e, ctx, m);
}

static void fails_with(const char *text, const char *msg, const char *what)
{
	int r = parse(text);

	if (!ok(r == -1 && err.n == 1 && set.n == 0 && !strcmp(err.msg[0], msg), "%s", what)) {
		diag("  rc %d, %zu errors; expected '%s'", r, err.n, msg);
		for (size_t i = 0; i < err.n; i++)
			diag("  got: '%s'", err.msg[i]);
	}
}

static int build(const char *text)
{
	if (parse(text) < 0) {
		for (size_t i = 0; i < err.n; i++)
			diag("parse: %s", err.msg[i]);
		return -2;
	}
	return policy_compile(&set, NULL, &c, &err);
}

/* The BPF lookup (net.bpf.c): longest prefix of kind, then the first rule
 * whose port, protocol and program classes match.  -1: the default. */
static int lookup(uint32_t kind4, const char *addr, uint16_t port, uint16_t proto, uint32_t progs,
		  uint32_t *rule_id)
{
	uint8_t a[16] = { 0 };
	int fam = strchr(addr, ':') ? 6 : 4, bestlen = -1;
	const struct enf_net_entry *best = NULL;
	uint32_t tag = ENF_TAG(0, fam == 4 ? kind4 : kind4 + 1, 0);

	if (inet_pton(fam == 4 ? AF_INET : AF_INET6, addr, a) != 1)
		bail("bad test address");
	for (size_t i = 0; i < c.nnets; i++) {
		const struct enf_net_entry *e = &c.nets[i];
		int plen = (int)e->k.prefixlen - 32;
		bool match = e->k.tag == tag;

		for (int b = 0; match && b < plen; b++)
			if (((a[b / 8] ^ e->k.addr[b / 8]) >> (7 - b % 8)) & 1)
				match = false;
		if (match && plen > bestlen) {
			bestlen = plen;
			best = e;
		}
	}
	if (!best)
		return -1;
	for (uint32_t i = 0; i < best->v.n; i++) {
		const struct enf_net_rule *r = &best->v.r[i];

		if (port < r->port_lo || port > r->port_hi ||
		    (r->proto && r->proto != (proto & 0xff) &&
		     !(r->proto == ENF_PROTO_RAW && (proto & ENF_PROTO_RAW_SOCK))))
			continue;
		if (r->prog && !((progs >> (r->prog - 1)) & 1))
			continue;
		if (rule_id)
			*rule_id = r->rule_id;
		return r->verdict;
	}
	return -1;
}

static const struct enf_path_entry *find_path(uint32_t kind, const char *bytes, size_t n)
{
	for (size_t i = 0; i < c.npaths; i++)
		if (c.paths[i].k.tag == ENF_TAG(0, kind, 0) && c.paths[i].k.prefixlen == 32 + 8 * n &&
		    !memcmp(c.paths[i].k.path, bytes, n))
			return &c.paths[i];
	return NULL;
}

/* The BPF lookup of unix.bpf.c's name table `table` (ENF_UNIX_TABLE): the
 * longest key that is a prefix of name + NUL.  -1: no rule. */
static int unix_lookup(uint32_t table, const char *name, uint32_t *rule_id)
{
	const struct enf_path_entry *best = NULL;
	size_t n = strlen(name) + 1;

	for (size_t i = 0; i < c.npaths; i++) {
		const struct enf_path_entry *e = &c.paths[i];
		size_t kl = (e->k.prefixlen - 32) / 8;

		if (e->k.tag != ENF_TAG(0, ENF_KIND_UNIX, table) || kl > n || memcmp(e->k.path, name, kl))
			continue;
		if (!best || e->k.prefixlen > best->k.prefixlen)
			best = e;
	}
	if (!best)
		return -1;
	if (rule_id)
		*rule_id = best->v.rule_id;
	return best->v.verdict;
}

#define HDR "[policy]\ncgroup = /t\n"

static void test_parse(void)
{
	is_int(parse(HDR "[connect]\nallow = 10.0.0.0/8 port 5432 tcp exe /usr/bin/psql\n"
		     "deny = 10.0.0.0/8 port 5432 tcp\n"
		     "deny = 0.0.0.0/0 EXE /usr/bin/curl\n"
		     "allow = ::/0 exe /usr/bin/psql\n"
		     "[bind]\ndefault = deny\nallow = 0.0.0.0/0 port 8080 tcp exe /usr/sbin/nginx\n"
		     "allow = ::/0 port 1000-2000 udp\n"), 0, "exe and [bind] parse");
	is_int(set.pol[0].nprogs, 3, "three distinct programs");
	is_string(set.pol[0].progs[0], "/usr/bin/psql", "class 1");
	is_int(set.pol[0].rules[0].prog, 1, "rule 0: class 1");
	is_int(set.pol[0].rules[1].prog, 0, "rule 1: any program");
	is_int(set.pol[0].rules[2].prog, 2, "rule 2: class 2 (EXE is case-insensitive)");
	is_int(set.pol[0].rules[3].prog, 1, "rule 3: the same program, the same class");
	is_string(set.pol[0].rules[3].exe, "/usr/bin/psql", "exe kept");
	is_int(set.pol[0].rules[4].hook, ENF_HOOK_BIND, "bind hook");
	is_int(set.pol[0].rules[4].port_lo, 8080, "bind port");
	is_int(set.pol[0].rules[4].prog, 3, "bind rule's class");
	is_int(set.pol[0].sec[ENF_HOOK_BIND].deflt, ENF_DENY, "[bind] default");
	is_string(set.pol[0].rules[0].text, "allow = 10.0.0.0/8 port 5432 tcp exe /usr/bin/psql", "text as written");

	is_int(parse(HDR "[connect]\ndeny = unix:/run/containerd/containerd.sock\n"
		     "deny = unix:@dbus-abstract\nallow = unix:/run/user/\ndeny = UNIX:/\n"), 0, "unix rules parse");
	is_int(set.pol[0].rules[0].family, ENF_FAMILY_UNIX, "unix family");
	is_string(set.pol[0].rules[0].path, "/run/containerd/containerd.sock", "socket path");
	is_string(set.pol[0].rules[1].path, "@dbus-abstract", "abstract name");
	ok(set.pol[0].rules[2].dir && !set.pol[0].rules[0].dir, "directory form");
	ok(set.pol[0].rules[3].dir, "unix:/ is every path socket");

	fails_with(HDR "[connect]\nallow = 1.2.3.4 exe\n", "n.ini:4: 'exe' needs a program path", "exe without path");
	fails_with(HDR "[bind]\nallow = 1.2.3.4 exe bin/sh\n",
		   "n.ini:4: relative program path 'bin/sh' (exe paths must be absolute)", "relative exe");
	fails_with(HDR "[connect]\nallow = 1.2.3.4 exe /bin/sh tcp\n",
		   "n.ini:4: unexpected 'tcp' after 'exe /bin/sh' (one program per rule, nothing after it)",
		   "tokens after exe");
	is_int(parse(HDR "[connect]\nallow = 1.2.3.4 exe /usr/bin/\n"), 0, "exe DIR/: every program below (issue 19)");
	ok(set.pol[0].rules[0].prog == 1 && !strcmp(set.pol[0].progs[0], "/usr/bin/"), "exe DIR/: its class");
	fails_with(HDR "[connect]\nallow = 1.2.3.4 exe /usr/../bin/sh\n",
		   "n.ini:4: program path '/usr/../bin/sh' is not normalized (no '.', '..' or '//')", "unnormalized exe");
	fails_with(HDR "[connect]\nallow = exe /bin/sh\n", "n.ini:4: missing address", "exe without address");
	fails_with(HDR "[bind]\ndeny = 10.0.0.0/33\n", "n.ini:4: bad prefix length '/33' (0..32)", "bad bind prefix");
	fails_with(HDR "[bind]\ndeny = 0.0.0.0/0 port 70000\n",
		   "n.ini:4: bad port '70000' (expected N or N-M, 0..65535)", "bad bind port");
	fails_with(HDR "[bind]\ndefault = maybe\n", "n.ini:4: bad default 'maybe' (expected allow or deny)", "bad bind default");
	fails_with(HDR "[bind]\nreadonly = 0.0.0.0/0\n",
		   "n.ini:4: unknown key 'readonly' in [bind] (expected default, deny or allow)", "bind key");
	fails_with(HDR "[bind]\ndeny = unix:/run/x.sock\n",
		   "n.ini:4: unix: rules belong in [connect] ([bind] judges IP sockets)", "unix: in [bind]");
	fails_with(HDR "[connect]\ndeny = unix:run/x.sock\n",
		   "n.ini:4: bad unix: socket 'run/x.sock' (expected unix:/absolute/path or unix:@abstract-name)",
		   "relative unix path");
	fails_with(HDR "[connect]\ndeny = unix:/run//x.sock\n",
		   "n.ini:4: socket path '/run//x.sock' is not normalized (no '.', '..' or '//')", "unnormalized unix path");
	fails_with(HDR "[connect]\ndeny = unix:@\n", "n.ini:4: empty abstract socket name (expected unix:@NAME)",
		   "empty abstract");
	fails_with(HDR "[connect]\ndeny = unix:/run/x.sock port 80\n",
		   "n.ini:4: unexpected ' port 80' after a unix: socket name (unix: rules take no port, protocol or blank)",
		   "unix with port");
	is_int(parse(HDR "[connect]\ndeny = unix:/run/x.sock exe /bin/sh\nallow = unix:@y EXE /bin/sh\n"
		     "deny = unix:/run/d/ exe /bin/nc\n"), 0, "unix rules with exe parse");
	is_int(set.pol[0].rules[0].prog, 1, "unix exe: class 1");
	is_string(set.pol[0].rules[0].path, "/run/x.sock", "unix exe: the socket without the condition");
	is_int(set.pol[0].rules[1].prog, 1, "unix exe: the same program, the same class");
	ok(set.pol[0].rules[2].prog == 2 && set.pol[0].rules[2].dir, "unix exe: directory form, class 2");
	fails_with(HDR "[connect]\ndeny = unix:/run/x.sock exe\n", "n.ini:4: 'exe' needs a program path",
		   "unix exe without path");
	fails_with(HDR "[connect]\ndeny = unix:/run/x.sock exe bin/sh\n",
		   "n.ini:4: relative program path 'bin/sh' (exe paths must be absolute)", "unix relative exe");
	fails_with(HDR "[connect]\ndeny = unix:/run/x.sock exe /bin/sh exe /bin/nc\n",
		   "n.ini:4: unexpected 'exe /bin/nc' after 'exe /bin/sh' (one program per rule, nothing after it)",
		   "unix exe twice");
	fails_with(HDR "[connect]\ndeny = unix:/run/x.sock stream exe /bin/sh\n",
		   "n.ini:4: unexpected ' stream' after a unix: socket name (unix: rules take no port, protocol or blank)",
		   "unix word before exe");
	fails_with(HDR "[connect]\ndeny = unix: exe /bin/sh\n",
		   "n.ini:4: bad unix: socket '' (expected unix:/absolute/path or unix:@abstract-name)",
		   "unix exe without a socket");
	fails_with(HDR "[connect]\ndeny = unix:/run/../x.sock exe /bin/sh\n",
		   "n.ini:4: socket path '/run/../x.sock' is not normalized (no '.', '..' or '//')",
		   "unix exe, unnormalized socket");
	is_int(parse("[policy]\nnamespace = pay\n[connect]\ndeny = unix:/run/x.sock\nallow = unix:/run/x.sock exe /bin/sh\n"), 0,
	       "pod policies take unix: rules with exe");
	fails_with(HDR "[bind]\nallow = 0.0.0.0/0 port 80 tcp exe /bin/a exe /bin/b\n",
		   "n.ini:4: unexpected 'exe /bin/b' after 'exe /bin/a' (one program per rule, nothing after it)",
		   "bind exe twice");
	fails_with(HDR "[bind]\nallow = 0.0.0.0/0 port 80 sctp\n",
		   "n.ini:4: unexpected 'sctp' (expected 'port N[-M]', 'tcp' or 'udp')", "bind unknown protocol");
	{
		char long_name[200], text[400];

		memset(long_name, 'a', 108);
		long_name[108] = 0;
		snprintf(text, sizeof(text), HDR "[connect]\ndeny = unix:/%s\n", long_name);
		fails_with(text, "n.ini:4: unix: socket name too long (max 107 bytes)", "unix path limit");
	}
	is_int(parse("[policy]\nnamespace = pay\n[connect]\nallow = 1.2.3.4\nallow = 10.0.0.0/8 exe /bin/psql\n"), 0,
	       "pod policies take exe (resolved inside each container's root)");
	fails_with(HDR "[connect]\ndefault = deny\n[bind]\ndefault = allow\ndefault = deny\n",
		   "n.ini:7: duplicate key 'default' in [bind] (first on line 6)", "duplicate bind default");
	{
		/* 32 distinct programs per policy; the 33rd fails at its line */
		char *text = malloc(8192);
		size_t n = (size_t)snprintf(text, 8192, HDR "[connect]\n");

		for (int i = 0; i < 33; i++)
			n += (size_t)snprintf(text + n, 8192 - n, "allow = 10.0.0.%d exe /bin/p%d\n", i, i);
		fails_with(text, "n.ini:36: too many programs named by exe (max 32 distinct per policy)", "class limit");
		n = (size_t)snprintf(text, 8192, HDR "[connect]\n");
		for (int i = 0; i < 40; i++)
			n += (size_t)snprintf(text + n, 8192 - n, "allow = 10.0.0.%d exe /bin/p%d\n", i, i % 32);
		is_int(parse(text), 0, "40 rules over 32 programs");
		free(text);
	}
}

static void test_compile(void)
{
	uint32_t id;

	is_int(build(HDR "[connect]\ndefault = deny\n"
		     "allow = 10.0.0.0/8 port 5432 tcp exe /usr/bin/psql\n"   /* 0 */
		     "deny = 10.0.0.0/8 port 5432 tcp\n"                       /* 1 */
		     "allow = 10.0.0.0/8 port 5432 tcp\n"                      /* 2: loses to 1 */
		     "deny = 10.1.0.0/16 exe /usr/bin/psql\n"                 /* 3 */
		     "allow = 0.0.0.0/0 exe /usr/bin/curl\n"                  /* 4 */
		     "deny = 169.254.169.254\n"                                /* 5 */
		     "[bind]\ndefault = deny\n"
		     "allow = 0.0.0.0/0 port 8080 tcp exe /usr/sbin/nginx\n"  /* 6 */
		     "allow = ::/0 port 53 udp\n"                              /* 7 */
		     "deny = 127.0.0.1 port 8080\n"), 0, "compiles");          /* 8 */
	/* psql is class 1, curl 2, nginx 3 */
	is_int(lookup(ENF_KIND_NET4, "10.2.3.4", 5432, 6, 1u << 0, &id), ENF_ALLOW, "psql reaches 10/8:5432");
	is_int(id, 0, "by its exe rule");
	is_int(lookup(ENF_KIND_NET4, "10.2.3.4", 5432, 6, 0, &id), ENF_DENY, "another program does not");
	is_int(id, 1, "the any-program rule of equal address, port and protocol");
	is_int(lookup(ENF_KIND_NET4, "10.2.3.4", 5432, 6, 1u << 1, &id), ENF_DENY, "curl does not either");
	is_int(lookup(ENF_KIND_NET4, "10.1.3.4", 5432, 6, 1u << 0, &id), ENF_DENY, "a longer prefix beats exe");
	is_int(id, 3, "rule 3");
	is_int(lookup(ENF_KIND_NET4, "10.1.3.4", 5432, 6, 0, &id), ENF_DENY, "others in 10.1/16: the /8 rules");
	is_int(id, 1, "rule 1");
	is_int(lookup(ENF_KIND_NET4, "8.8.8.8", 443, 6, 1u << 1, &id), ENF_ALLOW, "curl anywhere");
	is_int(id, 4, "rule 4");
	is_int(lookup(ENF_KIND_NET4, "8.8.8.8", 443, 6, 1u << 0, NULL), -1, "psql elsewhere: the default");
	is_int(lookup(ENF_KIND_NET4, "169.254.169.254", 80, 6, 1u << 1, &id), ENF_DENY, "metadata: longer prefix");
	is_int(id, 5, "rule 5");
	is_int(lookup(ENF_KIND_NET4, "10.2.3.4", 5432, 6, (1u << 0) | (1u << 1), &id), ENF_ALLOW,
	       "two classes of one file: either matches");
	/* bind entries have kinds of their own */
	is_int(lookup(ENF_KIND_BIND4, "0.0.0.0", 8080, 6, 1u << 2, &id), ENF_ALLOW, "nginx binds 8080");
	is_int(id, 6, "rule 6");
	is_int(lookup(ENF_KIND_BIND4, "0.0.0.0", 8080, 6, 0, NULL), -1, "a bind shell on 8080: default");
	is_int(lookup(ENF_KIND_BIND4, "127.0.0.1", 8080, 6, 1u << 2, &id), ENF_DENY, "127.0.0.1:8080 denied even to nginx");
	is_int(id, 8, "rule 8");
	is_int(lookup(ENF_KIND_BIND4, "0.0.0.0", 53, 17, 0, NULL), -1, "IPv6 rule does not cover IPv4");
	is_int(lookup(ENF_KIND_BIND4 + 0, "::", 53, 17, 0, &id), ENF_ALLOW, "::53 udp");
	is_int(lookup(ENF_KIND_NET4, "0.0.0.0", 8080, 6, 1u << 2, NULL), -1, "bind rules are not connect rules");
	is_int(c.pols[0].prog_hooks, (1 << ENF_HOOK_CONNECT) | (1 << ENF_HOOK_BIND), "prog_hooks");
	ok(c.pols[0].active[ENF_HOOK_BIND] && c.pols[0].deflt[ENF_HOOK_BIND] == ENF_DENY, "bind active, default deny");
	ok(!(c.pols[0].flags & ENF_POL_UNIX), "no unix rules");

	is_int(build(HDR "[connect]\ndeny = unix:/run/containerd/containerd.sock\n"
		     "deny = unix:@hidden\nallow = unix:/run/user/\ndeny = unix:@/containerd-shim/\n"), 0,
	       "unix rules compile");
	ok(find_path(ENF_KIND_UNIX, "/run/containerd/containerd.sock", 32) != NULL, "path key, NUL included");
	ok(find_path(ENF_KIND_UNIX, "@hidden", 8) != NULL, "abstract key '@name' + NUL");
	ok(find_path(ENF_KIND_UNIX, "/run/user/", 10) != NULL, "directory key");
	ok(find_path(ENF_KIND_UNIX, "@/containerd-shim/", 18) != NULL, "abstract prefix key");
	ok(find_path(ENF_KIND_FILE, "@hidden", 8) == NULL, "not a file rule");
	ok(c.pols[0].flags & ENF_POL_UNIX, "ENF_POL_UNIX");
	ok(c.pols[0].active[ENF_HOOK_CONNECT] && c.pols[0].deflt[ENF_HOOK_CONNECT] == ENF_ALLOW,
	   "connect active, default allow");
	is_int(c.nnets, 0, "no IP entries");
	is_int(c.pols[0].prog_hooks, 0, "no programs");

	/* unix: rules with exe: a table per program class */
	is_int(build(HDR "[connect]\n"
		     "deny = unix:/run/docker.sock\n"                        /* 0 */
		     "allow = unix:/run/docker.sock exe /usr/bin/docker\n"   /* 1: class 1 */
		     "deny = unix:/run/ exe /usr/bin/curl\n"                 /* 2: class 2 */
		     "allow = unix:/run/app.sock\n"                          /* 3 */
		     "deny = unix:@x exe /usr/bin/docker\n"                  /* 4: class 1 */
		     "allow = 10.0.0.1 exe /usr/bin/nc\n"), 0, "unix rules with exe compile"); /* 5: class 3, IP */
	is_int(c.pols[0].unix_progs, 3, "unix_progs: classes 1 and 2");
	is_int(c.pols[0].prog_hooks, 1 << ENF_HOOK_CONNECT, "prog_hooks: from the IP rule only");
	is_int(unix_lookup(0, "/run/docker.sock", &id), ENF_DENY, "table 0: docker.sock denied");
	is_int(id, 0, "by rule 0");
	is_int(unix_lookup(0, "/run/other.sock", NULL), -1, "table 0: the exe-only directory rule is not there");
	is_int(unix_lookup(0, "@x", NULL), -1, "table 0: the exe-only abstract rule is not there");
	is_int(unix_lookup(ENF_UNIX_TABLE(0, 1), "/run/docker.sock", &id), ENF_ALLOW,
	       "docker's table: its allow beats the deny without exe at one name");
	is_int(id, 1, "by rule 1");
	is_int(unix_lookup(ENF_UNIX_TABLE(0, 1), "/run/app.sock", &id), ENF_ALLOW, "docker's table: app.sock (copied)");
	is_int(id, 3, "by rule 3");
	is_int(unix_lookup(ENF_UNIX_TABLE(0, 1), "@x", &id), ENF_DENY, "docker's table: @x");
	is_int(id, 4, "by rule 4");
	is_int(unix_lookup(ENF_UNIX_TABLE(0, 2), "/run/other.sock", &id), ENF_DENY, "curl's table: below /run/");
	is_int(id, 2, "by rule 2");
	is_int(unix_lookup(ENF_UNIX_TABLE(0, 2), "/run/docker.sock", &id), ENF_DENY,
	       "curl's table: docker.sock by the file rule (a file over a directory)");
	is_int(id, 0, "by rule 0");
	is_int(unix_lookup(ENF_UNIX_TABLE(0, 2), "/run/app.sock", &id), ENF_ALLOW,
	       "curl's table: app.sock allowed (a file over a directory)");
	is_int(id, 3, "by rule 3");
	is_int(unix_lookup(ENF_UNIX_TABLE(0, 3), "/run/docker.sock", NULL), -1, "no table for the IP rule's class");

	{
		/* 17 bind rules over one prefix: the slot limit, at the last line */
		char text[4096];
		size_t n = (size_t)snprintf(text, sizeof(text), HDR "[bind]\n");

		for (int i = 0; i < 17; i++)
			n += (size_t)snprintf(text + n, sizeof(text) - n, "deny = 0.0.0.0/0 port %d\n", 1000 + i);
		is_int(build(text), -1, "17 overlapping bind rules fail");
		is_string(err.n ? err.msg[0] : "", "n.ini:20: too many overlapping bind rules (max 16)", "slot limit message");
	}
	/* issue 19: `exe DIR/` on IP and unix: rules marks the walk up */
	is_int(build(HDR "[connect]\nallow = 10.0.0.1 exe /usr/bin/\n"), 0, "IP rule with exe DIR/ compiles");
	is_int(c.pols[0].prog_hooks, (1 << ENF_HOOK_CONNECT) | ENF_PROG_DIRS, "prog_hooks: connect, directories");
	is_int(build(HDR "[connect]\ndeny = unix:/run/x.sock exe /usr/bin/\n"), 0, "unix: rule with exe DIR/ compiles");
	ok(c.pols[0].prog_hooks == ENF_PROG_DIRS && c.pols[0].unix_progs == 1,
	   "prog_hooks: directories (unix_progs: its class)");
	is_int(build(HDR "[bind]\nallow = 0.0.0.0/0 port 80 exe /usr/sbin/\n"), 0, "bind rule with exe DIR/ compiles");
	is_int(c.pols[0].prog_hooks, (1 << ENF_HOOK_BIND) | ENF_PROG_DIRS, "prog_hooks: bind, directories");
	is_int(build(HDR "[connect]\nallow = 10.0.0.1 exe /usr/bin/true\n"), 0, "exe PATH: no directories");
	is_int(c.pols[0].prog_hooks, 1 << ENF_HOOK_CONNECT, "prog_hooks: connect only");
}

static void test_audit(void)
{
	static struct enf_rule rules[2] = {
		{ .line = 5, .id = 0, .hook = ENF_HOOK_BIND, .verdict = ENF_DENY, .text = "deny = 0.0.0.0/0 port 4444" },
		{ .line = 6, .id = 1, .hook = ENF_HOOK_CONNECT, .verdict = ENF_DENY,
		  .text = "deny = unix:/run/containerd/containerd.sock" },
	};
	static struct enf_policy_src pol = { .name = "svc", .file = "/p/svc.ini", .rules = rules, .nrules = 2 };
	struct audit_context ctx = { .policy = &pol, .cgroup = "/app", .exe = "/bin/nc", .exe_len = 7 };
	struct audit_meta m;
	struct enf_event e;
	struct jbuf b;

	e = denial(ENF_HOOK_BIND, ENF_OP_LISTEN);
	e.family = 4;
	e.proto = 6;
	e.port = 4444;
	e.pid = e.tid = 9;
	memcpy(e.comm, "nc", 3);
	format(&b, &e, &ctx, &m);
	ok(strstr(b.s, "\"hook\":\"bind\",\"op\":\"listen\",\"policy\":\"svc\",\"rule\":\"deny = 0.0.0.0/0 port 4444\",\"rule_line\":5") &&
	   strstr(b.s, "\"addr\":\"0.0.0.0\",\"port\":4444,\"proto\":\"tcp\",\"family\":\"ipv4\""), "bind/listen line");
	is_string(m.hook, "bind", "meta hook bind");
	jb_free(&b);

	e = denial(ENF_HOOK_CONNECT, ENF_OP_CONNECT);
	e.rule_id = 1;
	e.family = ENF_FAMILY_UNIX;
	memcpy(e.path, "@x", 2);
	e.path_len = 2;
	e.flags = ENF_EV_ABSTRACT;
	format(&b, &e, &ctx, &m);
	ok(strstr(b.s, "\"op\":\"connect\"") && strstr(b.s, "\"family\":\"unix\",\"path\":\"@x\",\"abstract\":true,\"generation\"") &&
	   !strstr(b.s, "\"port\""), "unix line: family, path, abstract, no port");
	jb_free(&b);
}

/* Protocol rules without an address (issue 19): one rule per family,
 * ICMPv6 for icmp's IPv6 twin, `raw` for every raw socket. */
static void test_protocols(void)
{
	uint32_t id = 99;

	is_int(build(HDR "[connect]\ndeny = icmp\nallow = tcp port 443\ndeny = RAW\n"
		     "deny = sctp port 9\ndefault = allow\n"), 0, "proto: rules parse and compile");
	if (set.n == 1 && set.pol[0].nrules == 8) {
		const struct enf_rule *r = set.pol[0].rules;

		ok(r[0].family == 4 && r[0].proto == ENF_PROTO_ICMP && r[0].plen == 0 &&
		   r[1].family == 6 && r[1].proto == ENF_PROTO_ICMPV6 && r[1].plen == 0 && r[1].line == r[0].line &&
		   !strcmp(r[1].text, "deny = icmp"), "proto: icmp: one rule per family, ICMPv6 for IPv6");
		ok(r[2].family == 4 && r[3].family == 6 && r[2].proto == 6 && r[2].port_lo == 443 &&
		   r[3].port_hi == 443, "proto: tcp port 443 in both families");
		ok(r[4].proto == ENF_PROTO_RAW && r[5].proto == ENF_PROTO_RAW, "proto: raw");
		ok(r[6].family == 4 && r[6].plen == 0 && r[6].proto == ENF_PROTO_SCTP && r[6].port_lo == 9 &&
		   r[7].family == 6 && r[7].proto == ENF_PROTO_SCTP, "proto: sctp port 9");
	} else {
		ok(0, "proto: eight rules");
	}
	is_int(lookup(ENF_KIND_NET4, "8.8.8.8", 0, ENF_PROTO_ICMP, 0, &id), ENF_DENY, "proto: ping 8.8.8.8 denied");
	is_int((int)id, 0, "proto: ... by the icmp rule");
	is_int(lookup(ENF_KIND_NET4, "2001:db8::1", 0, ENF_PROTO_ICMPV6, 0, &id), ENF_DENY, "proto: ICMPv6 denied");
	is_int((int)id, 1, "proto: ... by its IPv6 twin");
	is_int(lookup(ENF_KIND_NET4, "1.1.1.1", 443, 6, 0, NULL), ENF_ALLOW, "proto: tcp 443 allowed");
	is_int(lookup(ENF_KIND_NET4, "1.1.1.1", 80, 6, 0, NULL), -1, "proto: tcp 80: the default");
	is_int(lookup(ENF_KIND_NET4, "1.1.1.1", 0, 17 | ENF_PROTO_RAW_SOCK, 0, NULL), ENF_DENY,
	       "proto: a raw socket of any protocol: raw");
	is_int(lookup(ENF_KIND_NET4, "1.1.1.1", 443, 6 | ENF_PROTO_RAW_SOCK, 0, NULL), ENF_ALLOW,
	       "proto: a raw TCP socket to 443: the tcp rule is more specific (a port)");
	is_int(lookup(ENF_KIND_NET4, "10.1.2.3", 9, ENF_PROTO_SCTP, 0, NULL), ENF_DENY, "proto: sctp to port 9");
	is_int(lookup(ENF_KIND_NET4, "10.1.2.3", 9, 17, 0, NULL), -1, "proto: udp to port 9: the default");
	fails_with(HDR "[connect]\ndeny = 10.0.0.0/8 icmp\n",
		   "n.ini:4: unexpected 'icmp' (expected 'port N[-M]', 'tcp' or 'udp')",
		   "proto: after an address, only tcp or udp");
	fails_with(HDR "[connect]\ndeny = icmp port 7\n", "n.ini:4: 'port' with icmp (only tcp, udp and sctp have ports)",
		   "proto: no port with icmp");
	fails_with(HDR "[connect]\ndeny = tcp udp\n", "n.ini:4: protocol given twice", "proto: twice");
	fails_with(HDR "[connect]\ndeny = raw exe /bin/ping\ndeny = ipx\n",
		   "n.ini:5: bad address 'ipx' (expected an IPv4 or IPv6 address)", "proto: an unknown word is still an address");
}

/* The model's verdict (verdict_model.c) on one action under policy 0. */
static const char *model(const char *action, const struct enf_rule **rule)
{
	static struct vm_result res;
	struct vm_action a;
	size_t gov[1] = { 0 };
	char msg[256];

	if (vm_action_parse(action, &a, msg, sizeof(msg)) < 0)
		return msg[0] ? "parse error" : "?";
	vm_judge(&set, &c, gov, 1, &a, &res);
	if (rule)
		*rule = res.n ? res.r[0].rule : NULL;
	return vm_outcome_name(res.outcome);
}

/* `packet` (issue 19): AF_PACKET sockets judged at creation by [connect]'s
 * packet rules and default; one entry of kind ENF_KIND_PACKET, no address. */
static void test_packet(void)
{
	const struct enf_rule *rule = NULL;
	struct vm_action a;
	char msg[256];

	is_int(build(HDR "[connect]\ndefault = deny\nallow = 0.0.0.0/0\nallow = PACKET exe /bin/true\n"
		     "deny = packet\n"), 0, "packet: rules parse and compile");
	if (set.n == 1 && set.pol[0].nrules == 3) {
		const struct enf_rule *r = set.pol[0].rules;

		ok(r[1].family == ENF_FAMILY_PACKET && r[1].plen == 0 && r[1].proto == 0 && r[1].prog == 1 &&
		   r[2].family == ENF_FAMILY_PACKET && !r[2].prog && r[2].verdict == ENF_DENY,
		   "packet: one rule each, family ENF_FAMILY_PACKET, no second family");
	} else {
		ok(0, "packet: three rules");
	}
	{
		const struct enf_net_entry *pe = NULL;
		size_t npk = 0;

		for (size_t i = 0; i < c.nnets; i++)
			if (c.nets[i].k.tag == ENF_TAG(0, ENF_KIND_PACKET, 0)) {
				pe = &c.nets[i];
				npk++;
			}
		ok(npk == 1 && pe->k.prefixlen == 32 && pe->v.n == 2 && pe->v.r[0].prog == 1 &&
		   pe->v.r[0].verdict == ENF_ALLOW && pe->v.r[1].prog == 0 && pe->v.r[1].verdict == ENF_DENY,
		   "packet: one entry (tag only), the exe rule first");
		ok(c.pols[0].prog_hooks & (1u << ENF_HOOK_CONNECT), "packet: exe marks connect's programs");
	}
	is_string(model("connect packet", &rule), "deny", "packet model: denied");
	ok(rule && !strcmp(rule->text, "deny = packet"), "packet model: ... by deny = packet, not 0.0.0.0/0");
	is_string(model("connect 10.0.0.1 80", NULL), "allow", "packet model: IP connects keep their rules");
	is_int(build(HDR "[connect]\ndefault = deny\nallow = 0.0.0.0/0\nallow = ::/0\n"), 0, "packet: default deny");
	is_string(model("connect packet", &rule), "deny", "packet model: default deny, no packet rule: denied");
	ok(rule == NULL, "packet model: ... by the default");
	is_int(build(HDR "[connect]\ndeny = 0.0.0.0/0\ndeny = ::/0\n"), 0, "packet: address denies only");
	is_string(model("connect packet", NULL), "allow", "packet model: address rules do not judge packet sockets");
	is_int(build(HDR "[connect]\ndefault = deny\nallow = packet\n"), 0, "packet: allow");
	is_string(model("connect packet", NULL), "allow", "packet model: allow = packet");
	ok(vm_action_parse("connect packet 80", &a, msg, sizeof(msg)) < 0, "packet model: no port");
	vm_action_parse("connect packet exe /usr/sbin/tcpdump", &a, msg, sizeof(msg));
	vm_action_format(&a, msg, sizeof(msg));
	is_string(msg, "connect packet exe /usr/sbin/tcpdump", "packet model: action written back");

	fails_with(HDR "[connect]\ndeny = packet port 3\n",
		   "n.ini:4: unexpected 'port' after 'packet' (it takes no address, port or protocol)",
		   "packet: no port");
	fails_with(HDR "[connect]\ndeny = packet tcp\n",
		   "n.ini:4: unexpected 'tcp' after 'packet' (it takes no address, port or protocol)",
		   "packet: no protocol");
	fails_with(HDR "[bind]\ndeny = packet\n",
		   "n.ini:4: packet rules belong in [connect] (a packet socket is judged when it is created)",
		   "packet: not in [bind]");
}

static void test_packet_audit(void)
{
	static struct enf_rule rules[1] = {
		{ .line = 7, .id = 0, .hook = ENF_HOOK_CONNECT, .verdict = ENF_DENY, .text = "deny = packet",
		  .family = ENF_FAMILY_PACKET },
	};
	static struct enf_policy_src pol = { .name = "svc", .file = "/p/svc.ini", .rules = rules, .nrules = 1 };
	struct audit_context ctx = { .policy = &pol, .cgroup = "/app", .exe = "/bin/x", .exe_len = 6 };
	struct audit_meta m;
	struct enf_event e;
	struct jbuf b;

	e = denial(ENF_HOOK_CONNECT, ENF_OP_SOCKET);
	e.family = ENF_FAMILY_PACKET;
	e.proto = 3;
	e.port = 3;
	format(&b, &e, &ctx, &m);
	ok(strstr(b.s, "\"hook\":\"connect\",\"op\":\"socket\",\"policy\":\"svc\",\"rule\":\"deny = packet\",\"rule_line\":7") &&
	   strstr(b.s, "\"family\":\"packet\",\"ethertype\":3,\"sock_type\":\"raw\"") && !strstr(b.s, "\"addr\""),
	   "packet line: op socket, the rule, family, ethertype, socket type");
	jb_free(&b);
}

/* The compiled entry of a raw-socket kind (ENF_KIND_RAW4/_RAW6), or NULL;
 * *count: how many there are. */
static const struct enf_net_entry *raw_entry(uint32_t kind, size_t *count)
{
	const struct enf_net_entry *pe = NULL;

	*count = 0;
	for (size_t i = 0; i < c.nnets; i++)
		if (c.nets[i].k.tag == ENF_TAG(0, kind, 0)) {
			pe = &c.nets[i];
			(*count)++;
		}
	return pe;
}

/* `PROTO socket` (issue 19): raw IP sockets judged at creation by [connect]'s
 * socket rules and default; one entry per family, no address. */
static void test_rawsock(void)
{
	const struct enf_rule *rule = NULL;
	const struct enf_net_entry *e4, *e6;
	struct vm_action a;
	size_t n4, n6;
	char msg[256];

	is_int(build(HDR "[connect]\ndefault = allow\ndeny = raw socket\nallow = RAW Socket exe /bin/true\n"
		     "deny = icmp socket\nallow = 0.0.0.0/0\ndeny = raw\n"), 0, "raw socket: rules parse and compile");
	if (set.n == 1 && set.pol[0].nrules == 9) {
		const struct enf_rule *r = set.pol[0].rules;

		ok(r[0].family == ENF_FAMILY_RAW4 && r[1].family == ENF_FAMILY_RAW6 && r[0].proto == ENF_PROTO_RAW &&
		   r[1].proto == ENF_PROTO_RAW && r[0].plen == 0 && r[0].port_any && !strcmp(r[1].text, "deny = raw socket"),
		   "raw socket: one rule per family, raw");
		ok(r[2].prog == 1 && r[3].prog == 1 && r[2].verdict == ENF_ALLOW, "raw socket: exe");
		ok(r[4].family == ENF_FAMILY_RAW4 && r[4].proto == ENF_PROTO_ICMP && r[5].family == ENF_FAMILY_RAW6 &&
		   r[5].proto == ENF_PROTO_ICMPV6, "raw socket: icmp socket: ICMPv6 for IPv6");
		ok(r[7].family == 4 && r[8].family == 6 && r[7].proto == ENF_PROTO_RAW, "raw socket: plain raw stays a send rule");
	} else {
		ok(0, "raw socket: nine rules");
	}
	e4 = raw_entry(ENF_KIND_RAW4, &n4);
	e6 = raw_entry(ENF_KIND_RAW6, &n6);
	ok(n4 == 1 && n6 == 1 && e4->k.prefixlen == 32 && e6->k.prefixlen == 32 && e4->v.n == 3 &&
	   e4->v.r[0].prog == 1 && e4->v.r[0].verdict == ENF_ALLOW &&
	   e4->v.r[1].proto == ENF_PROTO_ICMP && e4->v.r[1].verdict == ENF_DENY &&
	   e4->v.r[2].proto == ENF_PROTO_RAW && e4->v.r[2].verdict == ENF_DENY && e6->v.r[1].proto == ENF_PROTO_ICMPV6,
	   "raw socket: one entry per family (tag only): exe first, a protocol before raw");
	ok(c.pols[0].prog_hooks & (1u << ENF_HOOK_CONNECT), "raw socket: exe marks connect's programs");
	{
		size_t np = 0;

		for (size_t i = 0; i < c.nnets; i++)
			for (uint32_t j = 0; j < c.nets[i].v.n; j++)
				if ((c.nets[i].k.tag >> 24 & 0x7f) == ENF_KIND_NET4 &&
				    set.pol[0].rules[c.nets[i].v.r[j].rule_id].family != 4)
					np++;
		ok(np == 0, "raw socket: no socket rule in the address entries");
	}
	is_string(model("connect raw icmp", &rule), "deny", "raw model: a raw ICMP socket denied");
	ok(rule && !strcmp(rule->text, "deny = icmp socket"), "raw model: ... by icmp socket");
	is_string(model("connect raw 58 ipv6", &rule), "deny", "raw model: a raw ICMPv6 socket denied");
	ok(rule && rule->family == ENF_FAMILY_RAW6 && rule->proto == ENF_PROTO_ICMPV6, "raw model: ... by its IPv6 twin");
	is_string(model("connect raw 255", &rule), "deny", "raw model: IPPROTO_RAW denied");
	ok(rule && !strcmp(rule->text, "deny = raw socket"), "raw model: ... by raw socket");
	is_string(model("connect raw icmp exe /bin/true", NULL), "allow", "raw model: the program's allow first");
	is_string(model("connect raw 1 ipv6", NULL), "deny", "raw model: protocol 1 on IPv6 is not ICMPv6: raw socket");
	is_string(model("connect 10.0.0.1 80", NULL), "allow", "raw model: IP connects keep their rules");
	ok(vm_action_parse("connect raw 256", &a, msg, sizeof(msg)) < 0, "raw model: protocol 0-255");
	vm_action_parse("connect raw tcp ipv6 exe /usr/sbin/x", &a, msg, sizeof(msg));
	vm_action_format(&a, msg, sizeof(msg));
	is_string(msg, "connect raw 6 ipv6 exe /usr/sbin/x", "raw model: action written back");

	is_int(build(HDR "[connect]\ndefault = deny\nallow = 0.0.0.0/0\nallow = ::/0\nallow = raw\n"), 0,
	       "raw socket: default deny");
	is_string(model("connect raw udp", &rule), "deny", "raw model: default deny, no socket rule: denied");
	ok(rule == NULL, "raw model: ... by the default (address and plain raw rules do not judge creation)");
	is_int(build(HDR "[connect]\ndeny = raw\ndeny = icmp\ndeny = 0.0.0.0/0\n"), 0, "raw socket: send rules only");
	is_string(model("connect raw icmp", NULL), "allow", "raw model: deny = raw and deny = icmp judge sends, not creation");
	ok(raw_entry(ENF_KIND_RAW4, &n4) == NULL && n4 == 0, "raw socket: ... and compile no socket entry");
	is_int(build(HDR "[connect]\ndefault = deny\nallow = udp socket\n"), 0, "raw socket: allow a protocol");
	is_string(model("connect raw udp ipv6", NULL), "allow", "raw model: allow = udp socket (IPv6 too)");
	is_string(model("connect raw tcp", NULL), "deny", "raw model: ... not tcp");

	fails_with(HDR "[connect]\ndeny = raw socket port 3\n",
		   "n.ini:4: 'port' with 'socket' (a socket is judged when it is made, before any port)",
		   "raw socket: no port");
	fails_with(HDR "[connect]\ndeny = tcp socket socket\n", "n.ini:4: 'socket' given twice", "raw socket: twice");
	fails_with(HDR "[connect]\ndeny = 10.0.0.0/8 socket\n",
		   "n.ini:4: unexpected 'socket' (expected 'port N[-M]', 'tcp' or 'udp')",
		   "raw socket: not after an address");
	fails_with(HDR "[bind]\ndeny = raw socket\n",
		   "n.ini:4: socket rules belong in [connect] (a raw socket is judged when it is created)",
		   "raw socket: not in [bind]");
}

static void test_rawsock_audit(void)
{
	static struct enf_rule rules[1] = {
		{ .line = 9, .id = 0, .hook = ENF_HOOK_CONNECT, .verdict = ENF_DENY, .text = "deny = icmp socket",
		  .family = ENF_FAMILY_RAW6, .proto = ENF_PROTO_ICMPV6 },
	};
	static struct enf_policy_src pol = { .name = "svc", .file = "/p/svc.ini", .rules = rules, .nrules = 1 };
	struct audit_context ctx = { .policy = &pol, .cgroup = "/app", .exe = "/bin/x", .exe_len = 6 };
	struct audit_meta m;
	struct enf_event e;
	struct jbuf b;

	e = denial(ENF_HOOK_CONNECT, ENF_OP_SOCKET);
	e.family = 6;
	e.proto = ENF_PROTO_ICMPV6;
	format(&b, &e, &ctx, &m);
	ok(strstr(b.s, "\"hook\":\"connect\",\"op\":\"socket\",\"policy\":\"svc\",\"rule\":\"deny = icmp socket\",\"rule_line\":9") &&
	   strstr(b.s, "\"family\":\"ipv6\",\"sock_type\":\"raw\",\"proto\":\"icmpv6\",\"protocol\":58") &&
	   !strstr(b.s, "\"addr\"") && !strstr(b.s, "\"port\""),
	   "raw socket line: op socket, the rule, family, socket type, protocol; no address");
	jb_free(&b);

	e = denial(ENF_HOOK_CONNECT, ENF_OP_RECEIVE);
	e.family = 4;
	e.proto = ENF_PROTO_ICMP;
	format(&b, &e, &ctx, &m);
	ok(strstr(b.s, "\"hook\":\"connect\",\"op\":\"receive\"") &&
	   strstr(b.s, "\"family\":\"ipv4\",\"sock_type\":\"raw\",\"proto\":\"icmp\",\"protocol\":1") &&
	   !strstr(b.s, "\"addr\""), "a raw socket received: op receive, family, socket type, protocol; no address");
	jb_free(&b);
}

int main(void)
{
	test_parse();
	test_compile();
	test_audit();
	test_protocols();
	test_packet();
	test_packet_audit();
	test_rawsock();
	test_rawsock_audit();
	reset();
	return done_testing();
}
