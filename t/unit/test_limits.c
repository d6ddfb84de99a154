// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_limits.c - every limit of the policy language and of the control
 * protocol parser, tested at the limit (accepted) and one past it (rejected
 * with the exact "file:line: message" and -1), plus the hostile-text checks
 * (NUL byte, unterminated section, key without value, bytes that are not
 * UTF-8 text) and a policy directory with one over-limit file, which must be
 * rejected whole (issue 9).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "policy.h"
#include "proto.h"
#include "tap.h"

static struct enf_policy_set set;
static struct enf_errors err;

static void reset(void)
{
	policy_set_free(&set);
	errors_free(&err);
}

static void show_errors(void)
{
	for (size_t i = 0; i < err.n && i < 5; i++)
		diag("  got: '%s'", err.msg[i]);
}

static int parse_n(const char *file, const char *buf, size_t len)
{
	reset();
	return policy_parse_buffer(file, buf, len, &set, &err);
}

/* buf[0..len) is accepted as one policy. */
static void accepted(const char *file, const char *buf, size_t len, const char *what)
{
	int r = parse_n(file, buf, len);

	if (!ok(r == 0 && err.n == 0 && set.n == 1, "%s", what)) {
		diag("  rc %d, %zu errors, %zu policies", r, err.n, set.n);
		show_errors();
	}
}

/* buf[0..len) fails with -1, exactly this one message, and adds nothing. */
static void rejected(const char *file, const char *buf, size_t len, const char *msg, const char *what)
{
	int r = parse_n(file, buf, len);

	if (!ok(r == -1 && err.n == 1 && set.n == 0 && !strcmp(err.msg[0], msg), "%s", what)) {
		diag("  rc %d, %zu errors, %zu policies; expected '%s'", r, err.n, set.n, msg);
		show_errors();
	}
}

#define HDR "[policy]\ncgroup = /t\n"

static void rejected_s(const char *file, const char *text, const char *msg, const char *what)
{
	rejected(file, text, strlen(text), msg, what);
}

/* A buffer: HDR, then filler comment lines up to exactly len bytes. */
static char *filled(size_t len)
{
	char *b = malloc(len + 1);
	size_t n = strlen(HDR);

	if (!b)
		bail("out of memory");
	memcpy(b, HDR, n);
	while (n < len) {
		size_t line = len - n < 64 ? len - n : 64;

		memset(b + n, 'x', line);
		b[n] = ';';
		b[n + line - 1] = '\n';
		n += line;
	}
	b[len] = 0;
	return b;
}

static int line_of(const char *b, size_t off)
{
	int line = 1;

	for (size_t i = 0; i < off; i++)
		line += b[i] == '\n';
	return line;
}

static void write_file(const char *path, const char *buf, size_t len)
{
	FILE *f = fopen(path, "w");

	if (!f || fwrite(buf, 1, len, f) != len || fclose(f))
		bail("cannot write a temporary file");
}

static char tmpdir[] = "/tmp/enf-limits-XXXXXX";

static void test_file_size(void)
{
	char *b = filled(POLICY_FILE_MAX + 1), path[512], want[640];
	int line = line_of(b, POLICY_FILE_MAX);

	accepted("f.ini", b, POLICY_FILE_MAX, "file of exactly POLICY_FILE_MAX bytes accepted");
	snprintf(want, sizeof(want), "f.ini:%d: file too large (max %d bytes)", line, POLICY_FILE_MAX);
	rejected("f.ini", b, POLICY_FILE_MAX + 1, want, "one byte more: file too large");

	/* through a real file, read no further than the limit */
	snprintf(path, sizeof(path), "%s/big.ini", tmpdir);
	write_file(path, b, POLICY_FILE_MAX + 1);
	reset();
	is_int(policy_parse_file(path, &set, &err), -1, "policy_parse_file: too large");
	snprintf(want, sizeof(want), "%s:%d: file too large (max %d bytes)", path, line, POLICY_FILE_MAX);
	ok(err.n == 1 && set.n == 0 && !strcmp(err.msg[0], want), "policy_parse_file: message") || (show_errors(), 0);
	free(b);

	b = filled(5 * POLICY_FILE_MAX);
	write_file(path, b, 5 * POLICY_FILE_MAX);
	reset();
	is_int(policy_parse_file(path, &set, &err), -1, "a 5 MiB file: too large");
	ok(err.n == 1 && strstr(err.msg[0], ": file too large (max 1048576 bytes)"), "5 MiB message") || (show_errors(), 0);
	unlink(path);
	free(b);
}

static void test_line_length(void)
{
	size_t n = strlen(HDR);
	char *b = malloc(n + POLICY_LINE_MAX + 64);

	/* a comment line of exactly POLICY_LINE_MAX bytes, newline not counted */
	memcpy(b, HDR, n);
	memset(b + n, 'x', POLICY_LINE_MAX);
	b[n] = ';';
	b[n + POLICY_LINE_MAX] = '\n';
	accepted("l.ini", b, n + POLICY_LINE_MAX + 1, "line of POLICY_LINE_MAX bytes accepted");
	accepted("l.ini", b, n + POLICY_LINE_MAX, "the same without its final newline");
	memset(b + n, 'x', POLICY_LINE_MAX + 1);
	b[n] = ';';
	b[n + POLICY_LINE_MAX + 1] = '\n';
	rejected("l.ini", b, n + POLICY_LINE_MAX + 2, "l.ini:3: line too long (max 4096 bytes)",
		 "one byte more: line too long");
	rejected("l.ini", b, n + POLICY_LINE_MAX + 1, "l.ini:3: line too long (max 4096 bytes)",
		 "line too long at the end of the file");
	/* a rule value too long for a line is a line error, not a path one */
	n = (size_t)sprintf(b, HDR "[exec]\ndeny = /");
	memset(b + n, 'a', POLICY_LINE_MAX);
	strcpy(b + n + POLICY_LINE_MAX, "\n");
	rejected_s("l.ini", b, "l.ini:4: line too long (max 4096 bytes)", "long rule line: line too long");
	free(b);
}

static void test_rules(void)
{
	/* The shortest rule line, "deny=/\n", is 7 bytes: POLICY_RULES_MAX
	 * of them cannot fit in POLICY_FILE_MAX bytes, so a file meets the
	 * size limit first. */
	ok((size_t)POLICY_RULES_MAX * 7 > POLICY_FILE_MAX, "POLICY_RULES_MAX is guarded by POLICY_FILE_MAX");

	size_t cap = (size_t)(POLICY_RULES_MAX + 1) * 8 + 64, n;
	char *b = malloc(cap);
	int r;

	n = (size_t)sprintf(b, HDR "[exec]\n");
	for (int i = 0; i <= POLICY_RULES_MAX; i++)
		n += (size_t)sprintf(b + n, "deny=/\n");
	r = parse_n("r.ini", b, n);
	ok(r == -1 && err.n == 1 && set.n == 0 && strstr(err.msg[0], ": file too large (max 1048576 bytes)"),
	   "POLICY_RULES_MAX + 1 rules: rejected (file too large)") || (show_errors(), 0);

	/* as many rules as fit in a file are accepted and compiled */
	n = (size_t)sprintf(b, HDR "[file]\n");
	int k;
	for (k = 0; n + 16 < POLICY_FILE_MAX; k++)
		n += (size_t)sprintf(b + n, "deny=/%x\n", k);
	accepted("r.ini", b, n, "a full file of rules accepted");
	is_int(set.n ? set.pol[0].nrules : 0, k, "every rule kept");
	{
		struct enf_compiled c;
		is_int(policy_compile(&set, NULL, &c, &err), 0, "and compiled");
		is_int(c.npaths, k, "one path key per rule");
		policy_compiled_free(&c);
	}
	free(b);
}

static void test_binds(void)
{
	size_t cap = (size_t)(POLICY_CGROUPS_MAX + 8) * 40 + 64, n;
	char *b = malloc(cap), want[128];
	int line;

	/* cgroup= and unit= together, at most POLICY_CGROUPS_MAX */
	n = (size_t)sprintf(b, "[policy]\n");
	for (int i = 0; i < POLICY_CGROUPS_MAX; i++)
		n += (size_t)sprintf(b + n, i % 2 ? "cgroup = /c%d\n" : "unit = u%d.service\n", i);
	accepted("c.ini", b, n, "POLICY_CGROUPS_MAX cgroup= and unit= lines accepted");
	is_int(set.n ? set.pol[0].ncgroups + set.pol[0].nunits : 0, POLICY_CGROUPS_MAX, "all kept");
	line = POLICY_CGROUPS_MAX + 2;
	n += (size_t)sprintf(b + n, "cgroup = /one-more\n");
	snprintf(want, sizeof(want), "c.ini:%d: too many cgroup=, unit=, namespace= and pod= lines (max %d)", line, POLICY_CGROUPS_MAX);
	rejected("c.ini", b, n, want, "one more cgroup: rejected");
	n += (size_t)sprintf(b + n, "unit = more.service\ncgroup = /and-more\n");
	rejected("c.ini", b, n, want, "further ones: one message only");
	free(b);

	/* a repeated cgroup counts once */
	b = malloc(64 * (POLICY_CGROUPS_MAX + 8));
	n = (size_t)sprintf(b, "[policy]\n");
	for (int i = 0; i < POLICY_CGROUPS_MAX + 5; i++)
		n += (size_t)sprintf(b + n, "cgroup = /same\n");
	accepted("c.ini", b, n, "the same cgroup many times is one binding");
	free(b);

	/* cgroup path length */
	b = malloc(2 * ENF_CG_PATH_MAX + 64);
	n = (size_t)sprintf(b, "[policy]\ncgroup = /");
	memset(b + n, 'g', ENF_CG_PATH_MAX - 2);
	strcpy(b + n + ENF_CG_PATH_MAX - 2, "\n");
	accepted("g.ini", b, strlen(b), "cgroup path of ENF_CG_PATH_MAX - 1 bytes accepted");
	memset(b + n, 'g', ENF_CG_PATH_MAX - 1);
	strcpy(b + n + ENF_CG_PATH_MAX - 1, "\n");
	snprintf(want, sizeof(want), "g.ini:2: cgroup path too long (max %d bytes)", ENF_CG_PATH_MAX - 1);
	rejected_s("g.ini", b, want, "one byte more: cgroup path too long");
	free(b);
}

static void test_paths(void)
{
	char b[ENF_PATH_KEY_MAX * 20 + 128], want[256];
	size_t n;
	const char *hooks[] = { "exec", "file" };

	for (int h = 0; h < 2; h++) {
		n = (size_t)sprintf(b, HDR "[%s]\ndeny = /", hooks[h]);
		memset(b + n, 'p', ENF_PATH_KEY_MAX - 2);
		strcpy(b + n + ENF_PATH_KEY_MAX - 2, "\n");
		accepted("p.ini", b, strlen(b), h ? "[file] path of ENF_PATH_KEY_MAX - 1 bytes accepted"
						  : "[exec] path of ENF_PATH_KEY_MAX - 1 bytes accepted");
		{
			struct enf_compiled c;
			ok(policy_compile(&set, NULL, &c, &err) == 0 && c.npaths == 1, "  and compiled");
			policy_compiled_free(&c);
		}
		memset(b + n, 'p', ENF_PATH_KEY_MAX - 1);
		strcpy(b + n + ENF_PATH_KEY_MAX - 1, "\n");
		snprintf(want, sizeof(want), "p.ini:4: path too long (max %d bytes)", ENF_PATH_KEY_MAX - 1);
		rejected_s("p.ini", b, want, "one byte more (ENF_PATH_KEY_MAX): path too long");
		memset(b + n, 'p', ENF_PATH_KEY_MAX * 10);
		strcpy(b + n + ENF_PATH_KEY_MAX * 10, "\n");
		rejected_s("p.ini", b, want, "a path of 10 x ENF_PATH_KEY_MAX: path too long");
	}
	/* a directory rule: the trailing '/' counts */
	n = (size_t)sprintf(b, HDR "[file]\nreadonly = /");
	memset(b + n, 'd', ENF_PATH_KEY_MAX - 2);
	strcpy(b + n + ENF_PATH_KEY_MAX - 2, "/\n");
	rejected_s("p.ini", b, want, "directory rule one byte too long");

	/* a short path that only becomes too long through a symlink */
	{
		char link[512], target[ENF_PATH_KEY_MAX + 16];

		memset(target, 't', ENF_PATH_KEY_MAX);
		target[0] = '/';
		target[ENF_PATH_KEY_MAX] = 0;
		snprintf(link, sizeof(link), "%s/lnk", tmpdir);
		if (symlink(target, link) < 0)
			bail("symlink");
		accepted("s.ini", HDR "[exec]\ndeny = /lnk\n", strlen(HDR "[exec]\ndeny = /lnk\n"), "short rule through a long link parses");
		is_int(policy_resolve_paths(&set, tmpdir, &err), -1, "but does not resolve");
		ok(err.n == 1 && !strcmp(err.msg[0], "s.ini:4: path too long (max 247 bytes)"), "path too long once resolved") || (show_errors(), 0);
		unlink(link);
	}

	/* policy names */
	n = (size_t)sprintf(b, HDR "name = ");
	memset(b + n, 'n', POLICY_NAME_MAX);
	strcpy(b + n + POLICY_NAME_MAX, "\n");
	accepted("n.ini", b, strlen(b), "name of POLICY_NAME_MAX bytes accepted");
	memset(b + n, 'n', POLICY_NAME_MAX + 1);
	strcpy(b + n + POLICY_NAME_MAX + 1, "\n");
	snprintf(want, sizeof(want), "n.ini:3: bad policy name '%.*s' (use A-Z a-z 0-9 _ . -, at most 64 bytes)", POLICY_NAME_MAX + 1, b + n);
	rejected_s("n.ini", b, want, "one byte more: bad policy name");
}

static int add_unit_policy(int i, const char *cgroup)
{
	char t[128], fn[32];

	snprintf(fn, sizeof(fn), "q%d.ini", i);
	if (cgroup)
		snprintf(t, sizeof(t), "[policy]\nname = q%d\ncgroup = %s\n", i, cgroup);
	else
		snprintf(t, sizeof(t), "[policy]\nname = q%d\nunit = q%d.service\n", i, i);
	return policy_parse_buffer(fn, t, strlen(t), &set, &err);
}

static void test_policies(void)
{
	struct enf_compiled c;
	char want[128];
	int bad = 0;

	reset();
	for (int i = 0; i < ENF_MAX_POLICIES; i++)
		bad |= add_unit_policy(i, NULL);
	is_int(bad, 0, "ENF_MAX_POLICIES policies parse");
	is_int(policy_set_validate(&set, &err), 0, "ENF_MAX_POLICIES policies are a valid set");
	is_int(policy_compile(&set, NULL, &c, &err), 0, "and compile");
	policy_compiled_free(&c);
	add_unit_policy(ENF_MAX_POLICIES, NULL);
	is_int(policy_set_validate(&set, &err), -1, "one policy more: set rejected");
	snprintf(want, sizeof(want), "q%d.ini:1: too many policies (max %d)", ENF_MAX_POLICIES, ENF_MAX_POLICIES);
	ok(err.n == 1 && !strcmp(err.msg[0], want), "too many policies message") || (show_errors(), 0);
	errors_free(&err);
	is_int(policy_compile(&set, NULL, &c, &err), -1, "and the compiler refuses it too");
	ok(err.n == 1 && !strcmp(err.msg[0], want), "same message from the compiler") || (show_errors(), 0);

	/* policies bound directly to one cgroup, and stacked on ancestors */
	reset();
	for (int i = 0; i < ENF_MAX_BIND; i++)
		add_unit_policy(i, "/shared");
	is_int(policy_set_validate(&set, &err), 0, "ENF_MAX_BIND policies on one cgroup");
	add_unit_policy(ENF_MAX_BIND, "/shared");
	is_int(policy_set_validate(&set, &err), -1, "one more: rejected");
	snprintf(want, sizeof(want), "q%d.ini:3: too many policies bound to cgroup '/shared' (max %d)", ENF_MAX_BIND, ENF_MAX_BIND);
	ok(err.n == 1 && !strcmp(err.msg[0], want), "bind limit message") || (show_errors(), 0);

	reset();
	for (int i = 0; i < ENF_MAX_STACK; i++)
		add_unit_policy(i, i < 3 ? "/" : i < 6 ? "/a" : "/a/b");
	is_int(policy_set_validate(&set, &err), 0, "ENF_MAX_STACK policies over a cgroup and its ancestors");
	add_unit_policy(ENF_MAX_STACK, "/a/b/c");
	is_int(policy_set_validate(&set, &err), -1, "one more below: rejected");
	snprintf(want, sizeof(want), "q%d.ini:3: too many policies govern cgroup '/a/b/c' with its ancestors (max %d)", ENF_MAX_STACK, ENF_MAX_STACK);
	ok(err.n == 1 && !strcmp(err.msg[0], want), "stack limit message") || (show_errors(), 0);
	reset();
}

static void test_hostile_text(void)
{
	static const char nul[] = HDR "[exec]\ndeny = /bin/x\0/hidden\n";
	static const char nul1[] = "[pol\0icy]\ncgroup = /t\n";
	static const char nul_end[] = HDR "\0";
	char path[512], want[640];

	rejected("n.ini", nul, sizeof(nul) - 1, "n.ini:4: NUL byte (policy files are text)", "NUL byte inside a rule");
	rejected("n.ini", nul1, sizeof(nul1) - 1, "n.ini:1: NUL byte (policy files are text)", "NUL byte on line 1");
	rejected("n.ini", nul_end, sizeof(nul_end) - 1, "n.ini:3: NUL byte (policy files are text)", "NUL as the last byte");
	snprintf(path, sizeof(path), "%s/nul.ini", tmpdir);
	write_file(path, nul, sizeof(nul) - 1);
	reset();
	is_int(policy_parse_file(path, &set, &err), -1, "NUL byte in a real file");
	snprintf(want, sizeof(want), "%s:4: NUL byte (policy files are text)", path);
	ok(err.n == 1 && !strcmp(err.msg[0], want), "  not truncated: the file:line message") || (show_errors(), 0);
	unlink(path);

	rejected_s("s.ini", HDR "[exec\ndeny = /x\n", "s.ini:3: unterminated section header '[exec' (missing ']')", "unterminated section");
	rejected_s("s.ini", HDR "[exec", "s.ini:3: unterminated section header '[exec' (missing ']')", "unterminated section at the end of the file");
	rejected_s("s.ini", HDR "[", "s.ini:3: unterminated section header '[' (missing ']')", "a lone '['");
	rejected_s("s.ini", "[policy\ncgroup = /t\n", "s.ini:1: unterminated section header '[policy' (missing ']')", "unterminated [policy");

	rejected_s("k.ini", HDR "[exec]\ndeny\n", "k.ini:4: key 'deny' has no value (expected 'key = value')", "key without '='");
	rejected_s("k.ini", HDR "[exec]\ndeny", "k.ini:4: key 'deny' has no value (expected 'key = value')", "key without '=' at the end of the file");
	rejected_s("k.ini", HDR "[exec]\ndeny =\n", "k.ini:4: key 'deny' has no value", "key with '=' and no value");
	rejected_s("k.ini", HDR "[exec]\ndeny =    \n", "k.ini:4: key 'deny' has no value", "key with blanks only");
	rejected_s("k.ini", "[policy]\ncgroup\n", "k.ini:2: key 'cgroup' has no value (expected 'key = value')", "cgroup without a value");

	rejected_s("u.ini", HDR "[exec]\ndeny = /usr/bin/caf\xe9\n", "u.ini:4: invalid UTF-8 (policy files are text)", "Latin-1 byte");
	rejected_s("u.ini", HDR "[exec]\ndeny = /x\xff\n", "u.ini:4: invalid UTF-8 (policy files are text)", "0xff byte");
	rejected_s("u.ini", HDR "[exec]\ndeny = /x\xc3", "u.ini:4: invalid UTF-8 (policy files are text)", "truncated sequence at the end of the file");
	rejected_s("u.ini", HDR "[exec]\ndeny = /x\xe0\x80\xaf\n", "u.ini:4: invalid UTF-8 (policy files are text)", "overlong sequence");
	rejected_s("u.ini", HDR "[exec]\ndeny = /x\xf4\x90\x80\x80\n", "u.ini:4: invalid UTF-8 (policy files are text)", "above U+10FFFF");
	rejected_s("u.ini", HDR "; comment \xff\n", "u.ini:3: invalid UTF-8 (policy files are text)", "even in a comment");
	rejected_s("u.ini", HDR "[exec]\ndeny = /bin/\x07\n", "u.ini:4: control character 0x07 (policy files are text)", "control character");
	rejected_s("u.ini", HDR "[exec]\ndeny = /bin/\x7f\n", "u.ini:4: control character 0x7f (policy files are text)", "DEL");
	accepted("u.ini", HDR "[exec]\ndeny = /usr/bin/caf\xc3\xa9\n", strlen(HDR "[exec]\ndeny = /usr/bin/caf\xc3\xa9\n"), "UTF-8 text accepted");
}

/* A policy directory with one good and one over-limit file: -1, whole. */
static void test_dir_rejected_whole(void)
{
	char dir[600], good[700], bad[700], want[900];
	char *b;
	int line;

	snprintf(dir, sizeof(dir), "%s/policies", tmpdir);
	if (mkdir(dir, 0700) < 0)
		bail("mkdir");
	snprintf(good, sizeof(good), "%s/10-good.ini", dir);
	snprintf(bad, sizeof(bad), "%s/20-big.ini", dir);
	write_file(good, "[policy]\ncgroup = /good\n[exec]\ndeny = /usr/bin/curl\n",
		   strlen("[policy]\ncgroup = /good\n[exec]\ndeny = /usr/bin/curl\n"));

	b = filled(POLICY_FILE_MAX + 1);
	line = line_of(b, POLICY_FILE_MAX);
	write_file(bad, b, POLICY_FILE_MAX + 1);
	free(b);
	reset();
	is_int(policy_load_dir(dir, &set, &err), -1, "directory with one too large file: -1");
	snprintf(want, sizeof(want), "%s:%d: file too large (max %d bytes)", bad, line, POLICY_FILE_MAX);
	ok(err.n == 1 && !strcmp(err.msg[0], want), "  its file:line message") || (show_errors(), 0);

	b = malloc(64 * (POLICY_CGROUPS_MAX + 4));
	{
		size_t n = (size_t)sprintf(b, "[policy]\n");
		for (int i = 0; i <= POLICY_CGROUPS_MAX; i++)
			n += (size_t)sprintf(b + n, "cgroup = /c%d\n", i);
		write_file(bad, b, n);
	}
	free(b);
	reset();
	is_int(policy_load_dir(dir, &set, &err), -1, "directory with one file over the cgroups limit: -1");
	snprintf(want, sizeof(want), "%s:%d: too many cgroup=, unit=, namespace= and pod= lines (max %d)", bad, POLICY_CGROUPS_MAX + 2, POLICY_CGROUPS_MAX);
	ok(err.n == 1 && !strcmp(err.msg[0], want), "  its file:line message") || (show_errors(), 0);

	{
		char t[ENF_PATH_KEY_MAX + 64];
		size_t n = (size_t)sprintf(t, "[policy]\ncgroup = /b\n[file]\ndeny = /");
		memset(t + n, 'p', ENF_PATH_KEY_MAX);
		strcpy(t + n + ENF_PATH_KEY_MAX, "\n");
		write_file(bad, t, strlen(t));
	}
	reset();
	is_int(policy_load_dir(dir, &set, &err), -1, "directory with one over-long path: -1");
	snprintf(want, sizeof(want), "%s:4: path too long (max %d bytes)", bad, ENF_PATH_KEY_MAX - 1);
	ok(err.n == 1 && !strcmp(err.msg[0], want), "  its file:line message") || (show_errors(), 0);

	write_file(bad, "[policy]\ncgroup = /b\n[exec]\ndeny = /x\0y\n", strlen("[policy]\ncgroup = /b\n[exec]\ndeny = /x") + 3);
	reset();
	is_int(policy_load_dir(dir, &set, &err), -1, "directory with one file holding a NUL: -1");
	snprintf(want, sizeof(want), "%s:4: NUL byte (policy files are text)", bad);
	ok(err.n == 1 && !strcmp(err.msg[0], want), "  its file:line message") || (show_errors(), 0);

	unlink(bad);
	reset();
	is_int(policy_load_dir(dir, &set, &err), 0, "the good file alone loads");
	unlink(good);
	rmdir(dir);
	reset();
}

static void test_proto_limits(void)
{
	struct proto_req *r = malloc(sizeof(*r));
	char *line = malloc(PROTO_LINE_MAX + 64), e[256];
	size_t n;

	/* PROTO_LINE_MAX bytes including the '\n' */
	n = (size_t)sprintf(line, "bind ");
	memset(line + n, 'a', PROTO_LINE_MAX - 1 - n);
	line[PROTO_LINE_MAX - 1] = '\n';
	is_int(proto_parse(line, PROTO_LINE_MAX, r, e, sizeof(e)), 0, "request of PROTO_LINE_MAX bytes with its newline");
	line[PROTO_LINE_MAX - 1] = 'a';
	line[PROTO_LINE_MAX] = '\n';
	is_int(proto_parse(line, PROTO_LINE_MAX + 1, r, e, sizeof(e)), -1, "one byte more: rejected");
	ok(!strcmp(e, "request too long (max 4095 bytes)"), "  message") || (diag("  got '%s'", e), 0);

	/* words: the verb and PROTO_ARGS_MAX - 1 arguments */
	strcpy(line, "bind");
	for (int i = 1; i < PROTO_ARGS_MAX; i++)
		strcat(line, " x");
	is_int(proto_parse(line, strlen(line), r, e, sizeof(e)), 0, "verb and PROTO_ARGS_MAX - 1 arguments accepted");
	strcat(line, " x");
	is_int(proto_parse(line, strlen(line), r, e, sizeof(e)), -1, "one argument more: rejected");
	ok(!strcmp(e, "too many arguments (max 15)"), "  message") || (diag("  got '%s'", e), 0);

	/* policy names in filters */
	n = (size_t)sprintf(line, "audit policy=");
	memset(line + n, 'p', PROTO_NAME_MAX);
	line[n + PROTO_NAME_MAX] = 0;
	is_int(proto_parse(line, strlen(line), r, e, sizeof(e)), 0, "policy= of PROTO_NAME_MAX bytes");
	strcat(line, "p");
	is_int(proto_parse(line, strlen(line), r, e, sizeof(e)), -1, "one byte more: rejected");
	ok(!strncmp(e, "audit: bad policy name '", 24), "  message") || (diag("  got '%s'", e), 0);
	free(line);
	free(r);
}

int main(void)
{
	if (!mkdtemp(tmpdir))
		bail("mkdtemp");
	test_file_size();
	test_line_length();
	test_rules();
	test_binds();
	test_paths();
	test_policies();
	test_hostile_text();
	test_dir_rejected_whole();
	test_proto_limits();
	reset();
	rmdir(tmpdir);
	return done_testing();
}
