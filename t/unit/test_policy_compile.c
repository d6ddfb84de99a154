// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_policy_compile.c - the compiler: LPM keys for file, directory and
 * exec rules, the connect entries and their order, "most specific wins"
 * checked through a model of the BPF lookups, limits and error messages,
 * and the dump of a compiled set.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "compile_fixture.h"
#include "json.h"
#include "tap.h"

/* Parse text as one policy and compile it; 0 or -1. */
static int build(const char *file, const char *text)
{
	if (parse_text(file, text) < 0) {
		for (size_t i = 0; i < err.n; i++)
			diag("parse: %s", err.msg[i]);
		return -2;
	}
	return policy_compile(&set, NULL, &c, &err);
}

/* What the BPF side does for a path: the longest stored prefix of
 * tag + path + NUL.  Returns the verdict, or -1 (the section default). */
static int lookup_path(uint32_t tag, const char *path, uint32_t *rule_id)
{
	size_t n = strlen(path) + 1, best = 0;
	int v = -1;

	for (size_t i = 0; i < c.npaths; i++) {
		const struct enf_path_entry *e = &c.paths[i];
		size_t bytes = (e->k.prefixlen - 32) / 8;

		if (e->k.tag != tag || bytes > n || memcmp(e->k.path, path, bytes))
			continue;
		if (bytes >= best) {
			best = bytes;
			v = e->v.verdict;
			if (rule_id)
				*rule_id = e->v.rule_id;
		}
	}
	return v;
}

/* What the BPF side does for a connect: one longest-prefix lookup, then
 * the first entry whose port and protocol match.  -1: the default. */
static int lookup_net(uint32_t pid, const char *addr, uint16_t port, uint8_t proto, uint32_t *rule_id)
{
	uint8_t a[16] = { 0 };
	int fam = strchr(addr, ':') ? 6 : 4, bestlen = -1;
	const struct enf_net_entry *best = NULL;
	uint32_t tag = ENF_TAG(0, fam == 4 ? ENF_KIND_NET4 : ENF_KIND_NET6, pid);

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
		if (port >= r->port_lo && port <= r->port_hi && (!r->proto || r->proto == proto)) {
			if (rule_id)
				*rule_id = r->rule_id;
			return r->verdict;
		}
	}
	return -1;
}

static const struct enf_path_entry *find_path(uint32_t tag, const char *bytes, size_t n)
{
	for (size_t i = 0; i < c.npaths; i++)
		if (c.paths[i].k.tag == tag && c.paths[i].k.prefixlen == 32 + 8 * n &&
		    !memcmp(c.paths[i].k.path, bytes, n))
			return &c.paths[i];
	return NULL;
}

#define HDR "[policy]\ncgroup = /t\n"
#define FTAG ENF_TAG(0, ENF_KIND_FILE, 0)
#define XTAG ENF_TAG(0, ENF_KIND_EXEC, 0)

static void test_path_keys(void)
{
	const struct enf_path_entry *e;
	uint32_t id;

	is_int(build("k.ini", HDR
		     "[exec]\n"
		     "deny = /usr/bin/curl\n"
		     "[file]\n"
		     "deny = /etc/shadow\n"
		     "readonly = /usr/\n"
		     "allow = /\n"), 0, "compiles");
	is_int(c.npaths, 5, "five keys (a dir rule makes two)");
	e = find_path(FTAG, "/etc/shadow", 12);
	ok(e && e->v.verdict == ENF_DENY && e->v.rule_id == 1, "file rule: path + NUL, prefixlen 32+8*12");
	ok(e && e->k.path[11] == 0 && e->k.path[12] == 0, "NUL inside the prefix, zero after");
	e = find_path(FTAG, "/usr/", 5);
	ok(e && e->v.verdict == ENF_READONLY && e->v.rule_id == 2, "dir rule: '/usr/' without NUL");
	e = find_path(FTAG, "/usr", 5);
	ok(e && e->v.verdict == ENF_READONLY && e->v.rule_id == 2, "dir rule: '/usr' NUL for itself");
	e = find_path(FTAG, "/", 1);
	ok(e && e->v.verdict == ENF_ALLOW && e->v.rule_id == 3, "'/' covers everything");
	e = find_path(XTAG, "/usr/bin/curl", 14);
	ok(e && e->v.verdict == ENF_DENY && e->v.rule_id == 0, "exec kind in the tag");
	ok(!find_path(FTAG, "/usr/bin/curl", 14), "exec rule not in the file kind");

	is_int(lookup_path(FTAG, "/etc/shadow", &id), ENF_DENY, "/etc/shadow denied");
	is_int(id, 1, "by rule 1");
	is_int(lookup_path(FTAG, "/etc/shadow-", NULL), ENF_ALLOW, "/etc/shadow- is not /etc/shadow");
	is_int(lookup_path(FTAG, "/etc/shadow/x", NULL), ENF_ALLOW, "nor below it");
	is_int(lookup_path(FTAG, "/usr/lib/x", NULL), ENF_READONLY, "below /usr/");
	is_int(lookup_path(FTAG, "/usr", NULL), ENF_READONLY, "/usr itself");
	is_int(lookup_path(FTAG, "/usrx", NULL), ENF_ALLOW, "/usrx is not under /usr/");
	is_int(lookup_path(XTAG, "/usr/bin/curl", NULL), ENF_DENY, "exec of curl");
	is_int(lookup_path(XTAG, "/usr/bin/wget", NULL), -1, "exec default");

	ok(c.npols == 1 && c.pols[0].used == 1 && c.pols[0].mode == ENF_MODE_ENFORCE, "policy used, enforce");
	ok(c.pols[0].active[ENF_HOOK_EXEC] && c.pols[0].active[ENF_HOOK_FILE] &&
	   !c.pols[0].active[ENF_HOOK_CONNECT], "active hooks");
	ok(c.pols[0].deflt[0] == ENF_ALLOW && c.pols[0].deflt[1] == ENF_ALLOW && c.pols[0].deflt[2] == ENF_ALLOW,
	   "defaults allow");
	is_int(c.ids[0], 0, "id 0");
}

static void test_path_precedence(void)
{
	uint32_t id;

	is_int(build("p.ini", HDR
		     "[file]\n"
		     "default = deny\n"
		     "allow = /srv/\n"               /* 0 */
		     "deny = /srv/secret/\n"         /* 1 */
		     "allow = /srv/secret/ok\n"      /* 2 */
		     "readonly = /srv/secret/\n"     /* 3: same key as 1, deny wins */
		     "allow = /etc/a\n"              /* 4 */
		     "readonly = /etc/a\n"           /* 5: readonly beats allow */
		     "allow = /etc/\n"               /* 6 */
		     "deny = /etc/b\n"), 0, "compiles");   /* 7 */
	is_int(lookup_path(FTAG, "/srv/www/index.html", NULL), ENF_ALLOW, "directory rule");
	is_int(lookup_path(FTAG, "/srv/secret/key", &id), ENF_DENY, "a deeper directory wins");
	is_int(id, 1, "deny's rule id kept over the readonly one");
	is_int(lookup_path(FTAG, "/srv/secret", NULL), ENF_DENY, "the directory itself");
	is_int(lookup_path(FTAG, "/srv/secret/ok", NULL), ENF_ALLOW, "a file wins over its directory");
	is_int(lookup_path(FTAG, "/etc/a", &id), ENF_READONLY, "readonly beats allow at equal specificity");
	is_int(id, 5, "readonly's id");
	is_int(lookup_path(FTAG, "/etc/b", NULL), ENF_DENY, "file deny under an allowed dir");
	is_int(lookup_path(FTAG, "/var/x", NULL), -1, "default");
	ok(c.pols[0].deflt[ENF_HOOK_FILE] == ENF_DENY && c.pols[0].active[ENF_HOOK_FILE], "default deny");
	{
		size_t dup = 0;
		for (size_t i = 0; i + 1 < c.npaths; i++)
			for (size_t j = i + 1; j < c.npaths; j++)
				if (!memcmp(&c.paths[i].k, &c.paths[j].k, sizeof(c.paths[i].k)))
					dup++;
		is_int(dup, 0, "no duplicate keys");
	}

	is_int(build("d.ini", HDR "[exec]\ndefault = deny\n"), 0, "allowlist without rules");
	ok(c.pols[0].active[ENF_HOOK_EXEC] && c.pols[0].deflt[ENF_HOOK_EXEC] == ENF_DENY, "active by its default");
	is_int(c.npaths, 0, "no keys");

	is_int(build("a.ini", "[policy]\ncgroup=/\nmode=audit\n"), 0, "no sections");
	ok(c.pols[0].mode == ENF_MODE_AUDIT && !c.pols[0].active[0] && !c.pols[0].active[1] &&
	   !c.pols[0].active[2], "audit, nothing active");
}

static void test_resolved(void)
{
	char root[] = "/tmp/enf-croot-XXXXXX", p[512];

	if (!mkdtemp(root))
		bail("mkdtemp");
	snprintf(p, sizeof(p), "%s/usr", root);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/usr/bin", root);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/bin", root);
	if (symlink("usr/bin", p))
		bail("symlink");
	is_int(build("s.ini", HDR "[exec]\ndeny = /bin/sh\n[file]\nreadonly = /bin/\n"), 0, "compile unresolved");
	reset();
	{
		const char *t = HDR "[exec]\ndeny = /bin/sh\n[file]\nreadonly = /bin/\n";
		policy_parse_buffer("s.ini", t, strlen(t), &set, &err);
	}
	is_int(policy_resolve_paths(&set, root, &err), 0, "resolve");
	is_int(policy_compile(&set, NULL, &c, &err), 0, "compile resolved");
	ok(find_path(XTAG, "/usr/bin/sh", 12) != NULL, "the resolved path");
	ok(find_path(XTAG, "/bin/sh", 8) != NULL, "and the path as written");
	ok(find_path(FTAG, "/usr/bin/", 9) && find_path(FTAG, "/usr/bin", 9), "resolved dir, both keys");
	is_int(lookup_path(FTAG, "/usr/bin/ls", NULL), ENF_READONLY, "a file through the link's target");
	unlink(p);
	snprintf(p, sizeof(p), "%s/usr/bin", root);
	rmdir(p);
	snprintf(p, sizeof(p), "%s/usr", root);
	rmdir(p);
	rmdir(root);
}

static void test_net_example(void)
{
	uint32_t id;
	const struct enf_net_entry *e = NULL;

	is_int(build("n.ini", HDR
		     "[connect]\n"
		     "default = allow\n"
		     "deny = 169.254.169.254\n"                 /* 0 */
		     "deny = 0.0.0.0/0 port 25\n"               /* 1 */
		     "allow = 10.0.0.0/8 port 5432-5433 tcp\n"  /* 2 */
		     "deny = ::/0\n"), 0, "issue example");     /* 3 */
	is_int(c.nnets, 4, "one node per written prefix");
	for (size_t i = 0; i < c.nnets; i++)
		if (c.nets[i].k.prefixlen == 40 && c.nets[i].k.tag == ENF_TAG(0, ENF_KIND_NET4, 0))
			e = &c.nets[i];
	ok(e && e->k.addr[0] == 10 && e->v.n == 2 && e->v.r[0].rule_id == 2 && e->v.r[1].rule_id == 1,
	   "10/8 lists its rule, then the covering /0 one");
	ok(e && e->v.r[0].port_lo == 5432 && e->v.r[0].port_hi == 5433 && e->v.r[0].proto == 6 &&
	   e->v.r[0].verdict == ENF_ALLOW, "entry fields");
	is_int(lookup_net(0, "169.254.169.254", 80, 6, &id), ENF_DENY, "metadata denied");
	is_int(id, 0, "by its rule");
	is_int(lookup_net(0, "169.254.169.254", 25, 6, &id), ENF_DENY, "metadata port 25");
	is_int(id, 0, "the /32 rule wins (longer prefix)");
	is_int(lookup_net(0, "8.8.8.8", 25, 6, &id), ENF_DENY, "port 25 anywhere");
	is_int(id, 1, "port rule");
	is_int(lookup_net(0, "8.8.8.8", 443, 6, NULL), -1, "default elsewhere");
	is_int(lookup_net(0, "10.1.2.3", 5432, 6, NULL), ENF_ALLOW, "postgres allowed");
	is_int(lookup_net(0, "10.1.2.3", 5432, 17, NULL), -1, "not over udp: default");
	is_int(lookup_net(0, "10.1.2.3", 25, 6, NULL), ENF_DENY, "port 25 inside 10/8: the /0 rule still applies");
	is_int(lookup_net(0, "2001:db8::1", 443, 6, &id), ENF_DENY, "IPv6 denied");
	is_int(id, 3, "by ::/0");
	ok(c.pols[0].active[ENF_HOOK_CONNECT], "connect active");
}

static void test_net_precedence(void)
{
	uint32_t id;

	is_int(build("o.ini", HDR
		     "[connect]\n"
		     "allow = 10.0.0.0/8\n"                     /* 0 */
		     "deny = 10.0.0.0/8 port 22\n"              /* 1: port beats any port */
		     "allow = 10.0.0.0/8 port 20-30 tcp\n"      /* 2: wider range loses to 1 */
		     "deny = 10.0.0.0/8 port 80\n"              /* 3 */
		     "allow = 10.0.0.0/8 port 80 tcp\n"         /* 4: protocol beats any */
		     "allow = 10.0.0.0/8 port 443\n"            /* 5 */
		     "deny = 10.0.0.0/8 port 443\n"             /* 6: deny wins at equal */
		     "deny = 10.0.0.0/8\n"                      /* 7: deny wins over 0 */
		     "deny = 10.5.0.0/16 udp\n"                 /* 8 */
		     "deny = 10.5.5.5\n"                        /* 9 */
		     "allow = 10.5.5.5 port 53 udp\n"), 0,      /* 10 */
	       "compiles");
	is_int(lookup_net(0, "10.1.1.1", 22, 6, &id), ENF_DENY, "port-specific over any-port");
	is_int(id, 1, "rule 1");
	is_int(lookup_net(0, "10.1.1.1", 25, 6, &id), ENF_ALLOW, "the range rule");
	is_int(id, 2, "rule 2");
	is_int(lookup_net(0, "10.1.1.1", 25, 17, &id), ENF_DENY, "the range is tcp only");
	is_int(id, 7, "deny over allow at equal specificity");
	is_int(lookup_net(0, "10.1.1.1", 80, 6, &id), ENF_ALLOW, "protocol-specific over any");
	is_int(id, 4, "rule 4");
	is_int(lookup_net(0, "10.1.1.1", 80, 17, &id), ENF_DENY, "port 80 udp");
	is_int(id, 3, "rule 3");
	is_int(lookup_net(0, "10.1.1.1", 443, 6, &id), ENF_DENY, "equal specificity: deny");
	is_int(id, 6, "rule 6");
	is_int(lookup_net(0, "10.5.1.1", 443, 17, &id), ENF_DENY, "longer prefix over port rules");
	is_int(id, 8, "rule 8");
	is_int(lookup_net(0, "10.5.1.1", 443, 6, &id), ENF_DENY, "/16 node holds the /8 rules");
	is_int(id, 6, "rule 6 again");
	is_int(lookup_net(0, "10.5.1.1", 80, 6, &id), ENF_ALLOW, "port 80 tcp through the /16 node");
	is_int(lookup_net(0, "10.5.5.5", 53, 17, &id), ENF_ALLOW, "the /32 port rule");
	is_int(id, 10, "rule 10");
	is_int(lookup_net(0, "10.5.5.5", 443, 6, &id), ENF_DENY, "the /32 rule");
	is_int(id, 9, "rule 9");

	/* the order of the 10/8 node, and rules that can never match dropped */
	for (size_t i = 0; i < c.nnets; i++) {
		const struct enf_net_entry *e = &c.nets[i];
		char order[128] = "";
		size_t n = 0;

		if (e->k.prefixlen != 40)
			continue;
		for (uint32_t k = 0; k < e->v.n; k++)
			n += (size_t)snprintf(order + n, sizeof(order) - n, "%s%u", k ? "," : "", e->v.r[k].rule_id);
		{
			const char *got = order;
			is_string(got, "4,1,3,6,2,7", "10/8 node: most specific first, shadowed 5 and 0 dropped");
		}
	}
}

static void test_net_mapped(void)
{
	is_int(build("m.ini", HDR
		     "[connect]\n"
		     "deny = ::ffff:169.254.169.254\n"
		     "deny = ::1 port 22\n"
		     "deny = fd00:ec2::254\n"), 0, "compiles");
	is_int(lookup_net(0, "169.254.169.254", 80, 6, NULL), ENF_DENY, "mapped rule is an IPv4 rule");
	is_int(lookup_net(0, "::1", 22, 6, NULL), ENF_DENY, "::1 stays an IPv6 rule");
	is_int(lookup_net(0, "fd00:ec2::254", 80, 6, NULL), ENF_DENY, "IPv6 host");
	is_int(lookup_net(0, "fd00:ec2::253", 80, 6, NULL), -1, "its neighbour");
	{
		size_t v6 = 0;
		for (size_t i = 0; i < c.nnets; i++)
			v6 += c.nets[i].k.tag == ENF_TAG(0, ENF_KIND_NET6, 0);
		is_int(v6, 2, "two IPv6 nodes");
	}
}

static void test_net_limits(void)
{
	char *t = malloc(8192);
	size_t n;

	n = (size_t)sprintf(t, HDR "[connect]\n");
	for (int i = 0; i <= ENF_NET_SLOTS; i++)
		n += (size_t)sprintf(t + n, "deny = 10.0.0.0/8 port %d\n", 1000 + i);
	is_int(build("l.ini", t), -1, "17 rules on one prefix");
	ok(err.n == 1 && !strcmp(err.msg[0], "l.ini:20: too many overlapping connect rules (max 16)"),
	   "message on the rule that overflows");
	if (err.n)
		diag("  %s", err.msg[0]);
	ok(c.npaths == 0 && c.nnets == 0 && !c.pols, "nothing compiled");

	n = (size_t)sprintf(t, HDR "[connect]\n");
	for (int i = 0; i < ENF_NET_SLOTS; i++)
		n += (size_t)sprintf(t + n, "deny = 0.0.0.0/0 port %d\n", 1000 + i);
	is_int(build("l.ini", t), 0, "16 rules fit");
	sprintf(t + n, "allow = 10.0.0.0/8 port 80\nallow = 10.1.0.0/16 port 81\n");
	is_int(build("l.ini", t), -1, "a covered prefix overflows");
	ok(err.n == 2 && !strcmp(err.msg[0], "l.ini:20: too many overlapping connect rules (max 16)") &&
	   !strcmp(err.msg[1], "l.ini:21: too many overlapping connect rules (max 16)"), "each offending rule once");

	n = (size_t)sprintf(t, HDR "[connect]\n");
	for (int i = 0; i < 40; i++)
		n += (size_t)sprintf(t + n, "%s = 10.0.0.0/8\n", i % 2 ? "deny" : "allow");
	is_int(build("l.ini", t), 0, "duplicates do not count against the limit");
	ok(c.nnets == 1 && c.nets[0].v.n == 1 && c.nets[0].v.r[0].verdict == ENF_DENY, "one deny kept");
	free(t);

	/* policy ids */
	reset();
	{
		const char *a = HDR "[exec]\ndeny=/x\n", *b = "[policy]\ncgroup=/u\n[file]\ndeny=/y\n";
		uint32_t ids[2] = { 7, 4095 }, bad[2] = { 1, 4096 };

		policy_parse_buffer("a.ini", a, strlen(a), &set, &err);
		policy_parse_buffer("b.ini", b, strlen(b), &set, &err);
		is_int(policy_compile(&set, ids, &c, &err), 0, "explicit ids");
		ok(c.ids[0] == 7 && c.ids[1] == 4095 && find_path(ENF_TAG(0, ENF_KIND_EXEC, 7), "/x", 3) &&
		   find_path(ENF_TAG(0, ENF_KIND_FILE, 4095), "/y", 3), "ids in the tags");
		policy_compiled_free(&c);
		is_int(policy_compile(&set, bad, &c, &err), -1, "id out of range");
		ok(err.n == 1 && !strcmp(err.msg[0], "b.ini:1: policy id 4096 out of range (max 4095)"), "id message");
	}
}

static void test_dump(void)
{
	struct jbuf b;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	if (build("/p/web.ini", HDR "unit = u.service\n[exec]\ndeny = /usr/bin/curl\n[file]\nreadonly = /usr/\n"
		  "[connect]\nallow = 10.0.0.0/8 port 5432-5433 tcp\n") != 0)
		bail("build");
	f = open_memstream(&text, &len);
	policy_dump_text(f, &set);
	fclose(f);
	ok(strstr(text, "policy web (/p/web.ini)") && strstr(text, "cgroup: /t") &&
	   strstr(text, "line 5: deny     /usr/bin/curl") &&
	   strstr(text, "10.0.0.0/8 port 5432-5433 tcp (IPv4)") &&
	   strstr(text, "[allow = 10.0.0.0/8 port 5432-5433 tcp]"), "text dump");
	diag("%s", text);
	free(text);

	jb_init(&b);
	policy_dump_json(&b, &set);
	ok(!b.oom && b.s && b.s[0] == '[' && b.len && b.s[b.len - 1] == ']', "JSON array");
	ok(b.s && strstr(b.s, "\"name\":\"web\"") && strstr(b.s, "\"units\":[\"u.service\"]") &&
	   strstr(b.s, "\"rule\":\"deny = /usr/bin/curl\"") && strstr(b.s, "\"addr\":\"10.0.0.0\"") &&
	   strstr(b.s, "\"prefix\":8") && strstr(b.s, "\"port_lo\":5432") && strstr(b.s, "\"proto\":\"tcp\""),
	   "JSON fields");
	if (b.s)
		diag("%.*s", (int)b.len, b.s);
	jb_free(&b);
}

/* An owner condition reaches the map value; at one key and verdict the
 * rule with the condition survives (issue 19). */
static void test_conditions(void)
{
	const struct enf_path_entry *e;

	if (build("/p/o.ini", HDR "[file]\nallow = /home/ owner\nallow = /home/\nreadonly = /srv/ owner\n"
		  "allow = /tmp/x owner-write\n") != 0)
		bail("build");
	e = find_path(FTAG, "/home/", 6);
	ok(e && e->v.verdict == ENF_ALLOW && e->v.cond == ENF_COND_OWNER && e->v.rule_id == 0,
	   "cond: allow owner beats a plain allow of the same path");
	e = find_path(FTAG, "/home", 6);
	ok(e && e->v.cond == ENF_COND_OWNER, "cond: the directory itself carries it too");
	e = find_path(FTAG, "/srv/", 5);
	ok(e && e->v.verdict == ENF_READONLY && e->v.cond == ENF_COND_OWNER, "cond: readonly owner");
	e = find_path(FTAG, "/tmp/x", 7);
	ok(e && e->v.verdict == ENF_ALLOW && e->v.cond == ENF_COND_OWNER_WRITE, "cond: owner-write");
	{
		char *text = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&text, &len);
		struct jbuf b;

		policy_dump_text(f, &set);
		fclose(f);
		ok(text && strstr(text, "line 4: allow    /home/ (and below), only for the file's owner (others denied)    [allow = /home/ owner]") &&
		   strstr(text, "line 7: allow    /tmp/x, writes only by the file's owner (others read)"),
		   "cond: check prints the condition");
		free(text);
		jb_init(&b);
		policy_dump_json(&b, &set);
		ok(b.s && strstr(b.s, "\"path\":\"/home/\",\"dir\":true,\"condition\":\"owner\"") &&
		   strstr(b.s, "\"condition\":\"owner-write\""), "cond: JSON names the condition");
		jb_free(&b);
	}
	/* rights: the value carries what the rule denies beyond its verdict */
	if (build("/p/r.ini", HDR "[file]\ndeny = /a/ truncate remove\nallow = /b/ read write\n") != 0)
		bail("build");
	e = find_path(FTAG, "/a/", 3);
	ok(e && e->v.verdict == ENF_ALLOW && e->v.rights == (ENF_RIGHT_TRUNCATE | ENF_RIGHT_REMOVE),
	   "rights: deny with rights compiles to allow + those rights denied");
	e = find_path(FTAG, "/b/", 3);
	ok(e && e->v.verdict == ENF_ALLOW &&
	   e->v.rights == (ENF_RIGHT_TRUNCATE | ENF_RIGHT_CREATE | ENF_RIGHT_REMOVE | ENF_RIGHT_REFER),
	   "rights: allow with rights denies the others");
	{
		char *text = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&text, &len);

		policy_dump_text(f, &set);
		fclose(f);
		ok(text && strstr(text, "line 4: deny     /a/ (and below), denies: truncate remove    [deny = /a/ truncate remove]") &&
		   strstr(text, "/b/ (and below), denies: truncate create remove refer"), "rights: check prints the denied rights");
		free(text);
	}
}

/* Program conditions (issue 19): keys under the class's tag, the
 * specificity in the value, the policy's prog_hooks bits, check's text. */
static void test_prog_conds(void)
{
	const struct enf_path_entry *e;

	if (build("/p/x.ini", HDR "[exec]\ndeny = /usr/bin/ls parent /bin/dash\n[file]\ndeny = /secret\n"
		  "allow = /secret exe /usr/bin/cat\ndeny = /etc/ exe /usr/bin/\n") != 0)
		bail("build");
	e = find_path(FTAG, "/secret", 8);
	ok(e && e->v.verdict == ENF_DENY && e->v.plen == 8, "prog: the plain rule, plen 8");
	e = find_path(ENF_TAG(0, ENF_KIND_FILE, ENF_TAG_CLASS(2)), "/secret", 8);
	ok(e && e->v.verdict == ENF_ALLOW && e->v.rule_id == 2 && e->v.plen == 8,
	   "prog: exe /usr/bin/cat: class 2's tag, same plen");
	e = find_path(ENF_TAG(0, ENF_KIND_FILE, ENF_TAG_CLASS(3)), "/etc/", 5);
	ok(e && e->v.verdict == ENF_DENY && e->v.plen == 5, "prog: exe DIR/: class 3");
	e = find_path(ENF_TAG(0, ENF_KIND_EXEC, ENF_TAG_CLASS(1) | ENF_TAG_PARENT), "/usr/bin/ls", 12);
	ok(e && e->v.verdict == ENF_DENY, "prog: parent: the class and the parent bit");
	ok(!find_path(XTAG, "/usr/bin/ls", 12), "prog: not a plain exec rule");
	ok(c.npols == 1 && c.pols[0].prog_hooks == ((1u << ENF_HOOK_EXEC) | (1u << ENF_HOOK_FILE) |
						     ENF_PROG_PARENT | ENF_PROG_DIRS),
	   "prog: prog_hooks: exec, file, parent, directories");
	{
		char *text = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&text, &len);
		struct jbuf b;

		policy_dump_text(f, &set);
		fclose(f);
		ok(text && strstr(text, "/usr/bin/ls when the parent process runs program /bin/dash (by identity)") &&
		   strstr(text, "/secret by program /usr/bin/cat (by identity)") &&
		   strstr(text, "/etc/ (and below) by programs below /usr/bin/ (by identity)"),
		   "prog: check prints the conditions");
		free(text);
		jb_init(&b);
		policy_dump_json(&b, &set);
		ok(b.s && strstr(b.s, "\"parent\":\"/bin/dash\"") && strstr(b.s, "\"exe\":\"/usr/bin/cat\""),
		   "prog: JSON names exe and parent");
		jb_free(&b);
	}
}

int main(void)
{
	test_path_keys();
	test_path_precedence();
	test_resolved();
	test_net_example();
	test_net_precedence();
	test_net_mapped();
	test_net_limits();
	test_dump();
	test_conditions();
	test_prog_conds();
	reset();
	return done_testing();
}
