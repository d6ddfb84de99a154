// SPDX-License-Identifier: GPL-2.0-only
/*
 * enforcerctl.c - the command line client of enforcerd: sends one request on
 * the control socket (proto.h) and shows the answer, or checks policy files
 * offline.  Human output on a terminal, raw JSON lines otherwise or with
 * --json.  Exit 0 ok, 1 refused / error / daemon not running, 2 usage.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "enforcer_version.h"
#include "jparse.h"
#include "offline.h"
#include "json.h"
#include "policy.h"
#include "proto.h"
#include "proto_client.h"

#define DEFAULT_TIMEOUT_S 30

static struct {
	const char *socket;
	bool json;            /* raw JSON lines */
	bool json_given;      /* --json on the command line */
	int timeout_s;        /* 0: wait forever */
} opt;

static volatile sig_atomic_t interrupted;

static void usage(FILE *f)
{
	fprintf(f,
"usage: enforcerctl [--socket PATH] [--json] [--timeout SEC] COMMAND [ARGS]\n"
"\n"
"commands:\n"
"  status                     daemon, kernel, policy generation, bound cgroups\n"
"  policies                   the compiled rules of each policy\n"
"  stats [--prometheus|--rules]\n"
"                             counters (Prometheus text exposition with --prometheus;\n"
"                             each rule's allowed/denied/audited matches with --rules)\n"
"  reload                     re-read and compile the policy directory, atomically\n"
"  audit [--follow] [--policy NAME] [--hook exec|file|connect] [--action deny|audit|shadow]\n"
"                             recent audit events, or the live stream with --follow\n"
"  reopen                     reopen the audit log (after rotation)\n"
"  unload                     detach everything, remove the pins, stop the daemon\n"
"  bind CGROUP [namespace=NS] [pod=NAME] [container=ID] [root=PATH]\n"
"                             bind a cgroup to the pod policies that match\n"
"  ping                       check that the daemon answers\n"
"  check FILE...              parse and compile policy files offline\n"
"  check --unused             the live rules that never matched since load\n"
"  explain [--policy-dir DIR] --cgroup PATH ACTION\n"
"                             which policies govern PATH, the rule of each that\n"
"                             decides ACTION and why, and the verdict (offline);\n"
"                             ACTION: exec PATH | open PATH [read] [write] [truncate]\n"
"                             [create] [not-owner] (both: [exe P] [parent Q])\n"
"                             | connect ADDR PORT [tcp|udp]\n"
"                             [exe PATH] | connect unix:NAME | bind ADDR PORT [tcp|udp]\n"
"  test [--emit] [DIR|FILE.test]...\n"
"                             run the NAME.test files beside the policies offline\n"
"                             (default DIR: /etc/enforcer/policies)\n"
"  shadow DIR | --report | --drop\n"
"                             judge live actions by the candidate set of DIR too\n"
"                             (the live verdict is enforced), report what it would\n"
"                             deny or allow differently, or discard it\n"
"  promote                    make the shadowed candidate live (one atomic switch;\n"
"                             its files replace the policy directory's)\n"
"  learn --cgroup PATH|--unit NAME|--namespace NS [--duration D] [-o FILE]\n"
"        [--fold N] [--max-actions N] [--state FILE] [--from AUDITLOG [--policy P]]\n"
"                             observe the target under an audit-mode learning\n"
"                             policy and write the allowlist policy it needs\n"
"\n"
"options:\n"
"  --socket PATH   control socket (default $ENFORCER_SOCKET or %s)\n"
"  --json          raw JSON lines (the default when stdout is not a terminal)\n"
"  --timeout SEC   wait at most SEC seconds for an answer (default %d, 0 = forever)\n"
"  --help          this text\n"
"  --version       print the version and exit\n",
		PROTO_DEFAULT_SOCKET, DEFAULT_TIMEOUT_S);
}

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "enforcerctl: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n\n");
	usage(stderr);
	return 2;
}

int offline_usage(const char *fmt, const char *arg)
{
	return usage_error(fmt, arg);
}

static void on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;
}

/* ---- human output ---- */

/* Print bytes so that nothing reaches the terminal as a control sequence:
 * C0, DEL and C1 (U+0080-U+009F) controls are shown as \xNN. */
static void put_safe(FILE *f, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;

	for (size_t i = 0; i < n; i++) {
		if (u[i] < 0x20 || u[i] == 0x7f) {
			fprintf(f, "\\x%02x", u[i]);
		} else if (u[i] == 0xc2 && i + 1 < n && u[i + 1] >= 0x80 && u[i + 1] <= 0x9f) {
			fprintf(f, "\\u%04x", u[i + 1]);
			i++;
		} else {
			fputc(u[i], f);
		}
	}
}

static bool is_scalar(const struct jval *v)
{
	return v->type != J_ARR && v->type != J_OBJ;
}

static void put_scalar(FILE *f, const struct jval *v)
{
	switch (v->type) {
	case J_NULL: fputs("-", f); break;
	case J_BOOL: fputs(v->b ? "yes" : "no", f); break;
	case J_NUM: fputs(v->s, f); break;
	case J_STR: put_safe(f, v->s, v->slen); break;
	default: break;
	}
}

static void put_indent(FILE *f, int n)
{
	fprintf(f, "%*s", n, "");
}

/* YAML-like tree: "key: value", nested objects and lists indented. */
static void put_tree(FILE *f, const struct jval *v, int indent);

static void put_member(FILE *f, const char *key, const struct jval *v, int indent)
{
	put_indent(f, indent);
	put_safe(f, key, strlen(key));
	fputc(':', f);
	if (is_scalar(v)) {
		fputc(' ', f);
		put_scalar(f, v);
		fputc('\n', f);
		return;
	}
	if (v->n == 0) {
		fputs(v->type == J_ARR ? " (none)\n" : " -\n", f);
		return;
	}
	if (v->type == J_ARR) {
		bool all_scalar = true;

		for (size_t i = 0; i < v->n; i++)
			all_scalar &= is_scalar(&v->items[i]);
		if (all_scalar) {
			for (size_t i = 0; i < v->n; i++) {
				fputs(i ? ", " : " ", f);
				put_scalar(f, &v->items[i]);
			}
			fputc('\n', f);
			return;
		}
	}
	fputc('\n', f);
	put_tree(f, v, indent + 2);
}

static void put_tree(FILE *f, const struct jval *v, int indent)
{
	if (v->type == J_OBJ) {
		for (size_t i = 0; i < v->n; i++)
			if (strcmp(v->keys[i], "ok") || indent)
				put_member(f, v->keys[i], &v->items[i], indent);
	} else if (v->type == J_ARR) {
		for (size_t i = 0; i < v->n; i++) {
			const struct jval *it = &v->items[i];

			put_indent(f, indent);
			fputs("- ", f);
			if (is_scalar(it)) {
				put_scalar(f, it);
				fputc('\n', f);
			} else if (it->type == J_OBJ && it->n) {
				/* first member on the "- " line, the rest aligned */
				if (is_scalar(&it->items[0])) {
					put_safe(f, it->keys[0], strlen(it->keys[0]));
					fputs(": ", f);
					put_scalar(f, &it->items[0]);
					fputc('\n', f);
				} else {
					fputc('\n', f);
					put_member(f, it->keys[0], &it->items[0], indent + 2);
				}
				for (size_t k = 1; k < it->n; k++)
					put_member(f, it->keys[k], &it->items[k], indent + 2);
			} else {
				fputc('\n', f);
				put_tree(f, it, indent + 2);
			}
		}
	} else {
		put_indent(f, indent);
		put_scalar(f, v);
		fputc('\n', f);
	}
}

/* One audit event on one line: key=value ..., strings quoted when needed. */
static void put_event(FILE *f, const struct jval *v)
{
	if (v->type != J_OBJ) {
		put_tree(f, v, 0);
		return;
	}
	for (size_t i = 0; i < v->n; i++) {
		const struct jval *it = &v->items[i];

		if (i)
			fputc(' ', f);
		put_safe(f, v->keys[i], strlen(v->keys[i]));
		fputc('=', f);
		if (it->type == J_STR && (it->slen == 0 || memchr(it->s, ' ', it->slen))) {
			fputc('"', f);
			put_safe(f, it->s, it->slen);
			fputc('"', f);
		} else if (is_scalar(it)) {
			put_scalar(f, it);
		} else {
			fputc(it->type == J_ARR ? '[' : '{', f);
			for (size_t k = 0; k < it->n; k++) {
				if (k)
					fputc(',', f);
				if (it->type == J_OBJ) {
					put_safe(f, it->keys[k], strlen(it->keys[k]));
					fputc('=', f);
				}
				if (is_scalar(&it->items[k]))
					put_scalar(f, &it->items[k]);
				else
					fputs("...", f);
			}
			fputc(it->type == J_ARR ? ']' : '}', f);
		}
	}
	fputc('\n', f);
}

/* ---- connection (proto_client.h), with enforcerctl's messages ---- */

#define ANSWER_MAX (256u << 20)   /* longest answer line accepted */

static long long deadline(bool wait_forever)
{
	if (wait_forever || !opt.timeout_s)
		return PROTO_NO_DEADLINE;
	return proto_now_ms() + (long long)opt.timeout_s * 1000;
}

static int conn_open(struct proto_conn *c)
{
	int e;

	c->stop = &interrupted;
	if (proto_conn_open(c, opt.socket, ANSWER_MAX, deadline(false)) == 0)
		return 0;
	e = c->errnum;
	if (c->err == PROTO_CLIENT_PATH)
		fprintf(stderr, "enforcerctl: socket path too long: %s\n", opt.socket);
	else if (c->err == PROTO_CLIENT_SOCKET)
		fprintf(stderr, "enforcerctl: socket: %s\n", strerror(e));
	else if (e == ENOENT || e == ECONNREFUSED)
		fprintf(stderr, "enforcerctl: cannot connect to %s: daemon not running? (%s)\n",
			opt.socket, strerror(e));
	else if (e == EACCES || e == EPERM)
		fprintf(stderr, "enforcerctl: cannot connect to %s: permission denied, "
			"need root or the socket's group (%s)\n", opt.socket, strerror(e));
	else
		fprintf(stderr, "enforcerctl: cannot connect to %s: %s\n", opt.socket,
			proto_conn_strerror(c));
	return -1;
}

/* Print why the last send or read failed (nothing when interrupted). */
static void conn_report(const struct proto_conn *c, const char *doing)
{
	switch (c->err) {
	case PROTO_CLIENT_INTERRUPTED:
		break;
	case PROTO_CLIENT_TIMEOUT:
		fprintf(stderr, "enforcerctl: no answer from %s within %d s\n", opt.socket,
			opt.timeout_s);
		break;
	case PROTO_CLIENT_TOO_LONG:
	case PROTO_CLIENT_NOMEM:
		fprintf(stderr, "enforcerctl: answer line too long\n");
		break;
	default:
		fprintf(stderr, "enforcerctl: %s %s: %s\n", doing, opt.socket, proto_conn_strerror(c));
	}
}

static int conn_send(struct proto_conn *c, const char *line)
{
	if (proto_conn_send(c, line, deadline(false)) == 0)
		return 0;
	conn_report(c, "sending to");
	return -1;
}

/* Next answer line (without '\n', NUL-terminated) into *line.
 * Returns 1, 0 at EOF, -1 on error/timeout/interrupt (message printed). */
static int conn_line(struct proto_conn *c, char **line, size_t *len, bool wait_forever)
{
	int r = proto_conn_line(c, line, len, deadline(wait_forever));

	if (r < 0)
		conn_report(c, "reading from");
	return r;
}

/* ---- requests ---- */

/* Print the error of a {"ok":false,...} answer (and its "errors" list). */
static int report_failure(const struct jval *v, const char *raw)
{
	const struct jval *err = jval_get(v, "error");
	const struct jval *errs = jval_get(v, "errors");

	if (opt.json)
		printf("%s\n", raw);
	if (errs && errs->type == J_ARR && errs->n) {
		for (size_t i = 0; i < errs->n; i++) {
			put_safe(stderr, errs->items[i].type == J_STR ? errs->items[i].s : "?",
				 errs->items[i].type == J_STR ? errs->items[i].slen : 1);
			fputc('\n', stderr);
		}
		if (!err || err->type != J_STR)
			fprintf(stderr, "enforcerctl: the daemon reported %zu error%s\n",
				errs->n, errs->n == 1 ? "" : "s");
	}
	if (err && err->type == J_STR) {
		fputs("enforcerctl: ", stderr);
		put_safe(stderr, err->s, err->slen);
		fputc('\n', stderr);
	} else if (!errs) {
		fprintf(stderr, "enforcerctl: the daemon reported a failure\n");
	}
	return 1;
}

/* A string or number field of an answer object, "?" when absent. */
static const char *field(const struct jval *o, const char *key)
{
	const struct jval *x = jval_get(o, key);

	return x && (x->type == J_STR || x->type == J_NUM) ? x->s : "?";
}

/* `stats --rules` (a table) and `check --unused` (file:line: rule). */
static void print_rules(const struct jval *v, bool unused)
{
	const struct jval *rules = jval_get(v, "rules");
	size_t n = rules && rules->type == J_ARR ? rules->n : 0;

	if (!unused)
		printf("%-20s %-7s %5s %10s %10s %10s  %s\n", "POLICY", "HOOK", "LINE", "ALLOWED",
		       "DENIED", "AUDITED", "RULE");
	for (size_t i = 0; i < n; i++) {
		const struct jval *r = &rules->items[i];
		const char *rule = field(r, "rule");

		if (unused) {
			/* line 0: a section's default */
			if (!strcmp(field(r, "line"), "0")) {
				printf("%s: [%s] default", field(r, "file"), field(r, "hook"));
			} else {
				printf("%s:%s: ", field(r, "file"), field(r, "line"));
				put_safe(stdout, rule, strlen(rule));
			}
			printf(" (policy %s)\n", field(r, "policy"));
			continue;
		}
		printf("%-20s %-7s %5s %10s %10s %10s  ", field(r, "policy"), field(r, "hook"),
		       field(r, "line"), field(r, "allowed"), field(r, "denied"), field(r, "audited"));
		put_safe(stdout, rule, strlen(rule));
		putchar('\n');
	}
	if (unused)
		printf("%zu rule%s never matched since load\n", n, n == 1 ? "" : "s");
	if (strcmp(field(v, "rules_omitted"), "0") && strcmp(field(v, "rules_omitted"), "?"))
		printf("(%s more not listed)\n", field(v, "rules_omitted"));
}

/* One side of a shadow report entry: "deny (web: deny = /x, line 4)". */
static void put_verdict(const struct jval *s)
{
	const char *rule = field(s, "rule");

	printf("%s (", field(s, "verdict"));
	if (jval_get(s, "policy")) {
		put_safe(stdout, field(s, "policy"), strlen(field(s, "policy")));
		fputs(": ", stdout);
	} else {
		fputs("no policy: ", stdout);
	}
	put_safe(stdout, rule, strlen(rule));
	if (jval_get(s, "rule_line"))
		printf(", line %s", field(s, "rule_line"));
	putchar(')');
}

/* `shadow --report` on a terminal. */
static void print_shadow_report(const struct jval *v)
{
	static const char *kinds[][2] = {
		{ "newly_denied", "newly denied (the candidate denies, the live set does not)" },
		{ "newly_allowed", "newly allowed (the live set denies, the candidate does not)" },
		{ "audit_changed", "audit changes (would-deny records appear or go)" },
	};

	printf("shadow of %s since %s: %s observed, %s judged, %s unmodelled, %s differences",
	       field(v, "dir"), field(v, "since"), field(v, "observed"), field(v, "judged"),
	       field(v, "unmodelled"), field(v, "differences"));
	if (strcmp(field(v, "dropped"), "0"))
		printf(" (%s not kept: report full)", field(v, "dropped"));
	putchar('\n');
	for (size_t k = 0; k < 3; k++) {
		const struct jval *a = jval_get(v, kinds[k][0]);
		size_t n = a && a->type == J_ARR ? a->n : 0;

		printf("%s: %zu distinct\n", kinds[k][1], n);
		for (size_t i = 0; i < n; i++) {
			const struct jval *e = &a->items[i];
			const struct jval *l = jval_get(e, "live"), *c = jval_get(e, "candidate");

			printf("  %6s  ", field(e, "count"));
			put_safe(stdout, field(e, "cgroup"), strlen(field(e, "cgroup")));
			fputs("  ", stdout);
			put_safe(stdout, field(e, "action"), strlen(field(e, "action")));
			fputs("\n          live: ", stdout);
			if (l)
				put_verdict(l);
			fputs(" -> candidate: ", stdout);
			if (c)
				put_verdict(c);
			putchar('\n');
		}
	}
}

/* One request, one answer object. */
static int cmd_simple(const char *request, const char *what)
{
	struct proto_conn c = { .fd = -1 };
	struct jval v;
	const struct jval *ok, *x;
	char *line, req[4200];
	size_t len;
	int r;

	if (conn_open(&c) < 0)
		return 1;
	snprintf(req, sizeof(req), "%s\n", request);
	if (conn_send(&c, req) < 0)
		goto fail;
	r = conn_line(&c, &line, &len, false);
	if (r == 0)
		fprintf(stderr, "enforcerctl: %s closed the connection without an answer\n",
			opt.socket);
	if (r <= 0)
		goto fail;
	if (jparse(line, len, &v) < 0 || v.type != J_OBJ) {
		fprintf(stderr, "enforcerctl: the daemon sent an answer that is not JSON\n");
		jval_free(&v);
		goto fail;
	}
	ok = jval_get(&v, "ok");
	if (!ok || ok->type != J_BOOL || !ok->b) {
		r = report_failure(&v, line);
		jval_free(&v);
		proto_conn_close(&c);
		return r;
	}
	if (strcmp(what, "prometheus") == 0 && !opt.json_given) {
		/* the exposition text whatever stdout is: `> file.prom` for a
		 * textfile collector; --json (explicit) still gives the answer */
		x = jval_get(&v, "text");
		if (x && x->type == J_STR)
			fwrite(x->s, 1, x->slen, stdout);
	} else if (opt.json) {
		printf("%s\n", line);
	} else if (strcmp(what, "prometheus") == 0) {
		x = jval_get(&v, "text");
		if (x && x->type == J_STR)
			fwrite(x->s, 1, x->slen, stdout);
	} else if (strcmp(what, "reload") == 0) {
		x = jval_get(&v, "generation");
		printf("reloaded");
		if (x && x->type == J_NUM)
			printf(": policy generation %s", x->s);
		printf("\n");
	} else if (strcmp(what, "reopen") == 0) {
		printf("audit log reopened\n");
	} else if (!strcmp(what, "shadow-report")) {
		print_shadow_report(&v);
	} else if (!strcmp(what, "shadow")) {
		printf("shadow: %s judged beside the live set (policy generation %s); "
		       "enforcerctl shadow --report shows what it would change\n",
		       field(&v, "dir"), field(&v, "generation"));
	} else if (!strcmp(what, "shadow-drop")) {
		printf("shadow of %s dropped (policy generation %s)\n", field(&v, "dropped"),
		       field(&v, "generation"));
	} else if (!strcmp(what, "promote")) {
		printf("promoted %s: policy generation %s, %s policies (the previous files are in %s)\n",
		       field(&v, "promoted"), field(&v, "generation"), field(&v, "policies"),
		       field(&v, "previous"));
	} else if (!strcmp(what, "rules") || !strcmp(what, "unused")) {
		print_rules(&v, what[0] == 'u');
	} else {
		put_tree(stdout, &v, 0);
	}
	jval_free(&v);
	proto_conn_close(&c);
	return fflush(stdout) == 0 ? 0 : 1;
fail:
	proto_conn_close(&c);
	return 1;
}

static int cmd_audit(bool follow, const char *policy, const char *hook, const char *action)
{
	struct proto_conn c = { .fd = -1 };
	char req[PROTO_LINE_MAX];
	size_t len;
	char *line;
	int r, rc = 1;
	bool first = true;

	snprintf(req, sizeof(req), "audit%s%s%s%s%s%s%s\n", follow ? " follow" : "",
		 policy ? " policy=" : "", policy ? policy : "",
		 hook ? " hook=" : "", hook ? hook : "",
		 action ? " action=" : "", action ? action : "");
	if (conn_open(&c) < 0)
		return 1;
	if (conn_send(&c, req) < 0)
		goto out;
	while ((r = conn_line(&c, &line, &len, follow && !first)) > 0) {
		struct jval v;
		const struct jval *ok;

		if (jparse(line, len, &v) < 0) {
			fprintf(stderr, "enforcerctl: the daemon sent a line that is not JSON\n");
			goto out;
		}
		ok = jval_get(&v, "ok");
		if (ok) {
			/* framing: {"ok":true,"stream":"audit"} ... {"ok":true,"end":true} */
			if (ok->type != J_BOOL || !ok->b) {
				rc = report_failure(&v, line);
				jval_free(&v);
				goto out;
			}
			first = false;
			if (jval_get(&v, "end")) {
				jval_free(&v);
				rc = 0;
				goto out;
			}
			jval_free(&v);
			continue;
		}
		if (opt.json)
			printf("%s\n", line);
		else
			put_event(stdout, &v);
		jval_free(&v);
		if (fflush(stdout) != 0) {
			rc = errno == EPIPE ? 0 : 1;
			goto out;
		}
	}
	if (interrupted)
		rc = 0;
	else if (r == 0)
		fprintf(stderr, "enforcerctl: %s closed the connection\n", opt.socket);
out:
	proto_conn_close(&c);
	return rc;
}

static int cmd_check(int argc, char **argv)
{
	struct enf_policy_set set = { 0 };
	struct enf_errors err = { 0 };
	struct enf_compiled comp = { 0 };
	int rc = 1;

	if (argc < 1)
		return usage_error("check needs at least one FILE%s", "");
	for (int i = 0; i < argc; i++)
		policy_parse_file(argv[i], &set, &err);
	if (err.n)
		goto out;
	if (policy_set_validate(&set, &err) < 0 || err.n)
		goto out;
	if (policy_resolve_paths(&set, "/", &err) < 0 || err.n)
		goto out;
	if (policy_compile(&set, NULL, &comp, &err) < 0 || err.n)
		goto out;
	if (opt.json) {
		struct jbuf b;

		jb_init(&b);
		policy_dump_json(&b, &set);
		if (b.oom) {
			fprintf(stderr, "enforcerctl: out of memory\n");
		} else {
			printf("%s\n", b.s ? b.s : "{}");
			rc = 0;
		}
		jb_free(&b);
	} else {
		policy_dump_text(stdout, &set);
		rc = 0;
	}
	if (fflush(stdout) != 0)
		rc = 1;
out:
	for (size_t i = 0; i < err.n; i++)
		fprintf(stderr, "%s\n", err.msg[i]);
	if (err.n)
		fprintf(stderr, "enforcerctl: %zu error%s, nothing would be applied\n",
			err.n, err.n == 1 ? "" : "s");
	else if (rc)
		fprintf(stderr, "enforcerctl: check failed\n");
	policy_compiled_free(&comp);
	policy_set_free(&set);
	errors_free(&err);
	return rc;
}

/* ---- main ---- */

static int audit_main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "follow", no_argument, NULL, 'f' },
		{ "policy", required_argument, NULL, 'p' },
		{ "hook", required_argument, NULL, 'k' },
		{ "action", required_argument, NULL, 'a' },
		{ 0 }
	};
	const char *policy = NULL, *hook = NULL, *action = NULL;
	struct proto_req req;
	char line[PROTO_LINE_MAX], err[256];
	bool follow = false;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+", lo, NULL)) != -1) {
		switch (c) {
		case 'f': follow = true; break;
		case 'p': policy = optarg; break;
		case 'k': hook = optarg; break;
		case 'a': action = optarg; break;
		default: return usage_error("bad audit option%s", "");
		}
	}
	if (optind < argc)
		return usage_error("audit: unexpected argument '%s'", argv[optind]);
	/* validate locally with the daemon's own parser: a usage error, not 1 */
	snprintf(line, sizeof(line), "audit%s%s%s%s%s%s%s", follow ? " follow" : "",
		 policy ? " policy=" : "", policy ? policy : "",
		 hook ? " hook=" : "", hook ? hook : "",
		 action ? " action=" : "", action ? action : "");
	if ((policy && (!*policy || strchr(policy, ' '))) || (hook && strchr(hook, ' ')) ||
	    (action && strchr(action, ' ')) ||
	    proto_parse(line, strlen(line), &req, err, sizeof(err)) < 0)
		return usage_error("%s", policy && (!*policy || strchr(policy, ' '))
				   ? "audit: bad policy name" : err);
	return cmd_audit(follow, policy, hook, action);
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "timeout", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 }
	};
	struct sigaction sa = { .sa_handler = on_sigint };
	const char *cmd, *env;
	char *end;
	int c;

	opt.socket = PROTO_DEFAULT_SOCKET;
	env = getenv("ENFORCER_SOCKET");
	if (env && *env)
		opt.socket = env;
	opt.timeout_s = DEFAULT_TIMEOUT_S;
	opt.json = !isatty(STDOUT_FILENO);

	while ((c = getopt_long(argc, argv, "+s:jt:hV", lo, NULL)) != -1) {
		switch (c) {
		case 's':
			opt.socket = optarg;
			break;
		case 'j':
			opt.json = true;
			opt.json_given = true;
			break;
		case 't':
			errno = 0;
			opt.timeout_s = (int)strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || opt.timeout_s < 0 ||
			    opt.timeout_s > 86400)
				return usage_error("bad --timeout '%s' (seconds, 0-86400)", optarg);
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("enforcerctl %s\n", ENFORCER_VERSION);
			return 0;
		default:
			fputc('\n', stderr);
			usage(stderr);
			return 2;
		}
	}
	if (optind >= argc)
		return usage_error("no command given%s", "");
	cmd = argv[optind];
	argc -= optind;
	argv += optind;

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	if (strcmp(cmd, "check") == 0) {
		if (argc == 2 && strcmp(argv[1], "--unused") == 0)
			return cmd_simple("stats rules unused", "unused");
		return cmd_check(argc - 1, argv + 1);
	}
	if (strcmp(cmd, "audit") == 0)
		return audit_main(argc, argv);
	if (strcmp(cmd, "explain") == 0)
		return cmd_explain(argc, argv, opt.json);
	if (strcmp(cmd, "test") == 0)
		return cmd_test(argc, argv);
	if (strcmp(cmd, "learn") == 0)
		return cmd_learn(argc, argv, opt.socket, opt.timeout_s, &interrupted);
	if (strcmp(cmd, "stats") == 0) {
		if (argc == 2 && strcmp(argv[1], "--prometheus") == 0)
			return cmd_simple("stats prometheus", "prometheus");
		if (argc == 2 && strcmp(argv[1], "--rules") == 0)
			return cmd_simple("stats rules", "rules");
		if (argc > 1)
			return usage_error("stats: unexpected argument '%s'", argv[1]);
		return cmd_simple("stats", "stats");
	}
	if (!strcmp(cmd, "status") || !strcmp(cmd, "reload") || !strcmp(cmd, "policies") ||
	    !strcmp(cmd, "reopen") || !strcmp(cmd, "unload") || !strcmp(cmd, "ping")) {
		if (argc > 1)
			return usage_error("unexpected argument '%s'", argv[1]);
		return cmd_simple(cmd, cmd);
	}
	if (strcmp(cmd, "shadow") == 0) {
		char req[PROTO_LINE_MAX], *abs;

		if (argc != 2)
			return usage_error("shadow takes one argument: DIR, --report or --drop%s", "");
		if (!strcmp(argv[1], "--report"))
			return cmd_simple("shadow report", "shadow-report");
		if (!strcmp(argv[1], "--drop"))
			return cmd_simple("shadow drop", "shadow-drop");
		if (argv[1][0] == '-')
			return usage_error("shadow: unknown option '%s'", argv[1]);
		/* the daemon reads DIR: an absolute path (as this process sees it) */
		abs = realpath(argv[1], NULL);
		if (!abs) {
			fprintf(stderr, "enforcerctl: shadow: %s: %s\n", argv[1], strerror(errno));
			return 1;
		}
		for (const char *s = abs; *s; s++)
			if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f) {
				fprintf(stderr, "enforcerctl: shadow: %s: the path holds a space or a "
					"non-ASCII byte (the protocol cannot carry it)\n", abs);
				free(abs);
				return 1;
			}
		if (strlen(abs) > 3000) {
			fprintf(stderr, "enforcerctl: shadow: %s: path too long\n", abs);
			free(abs);
			return 1;
		}
		snprintf(req, sizeof(req), "shadow %s", abs);
		free(abs);
		return cmd_simple(req, "shadow");
	}
	if (strcmp(cmd, "promote") == 0) {
		if (argc > 1)
			return usage_error("promote: unexpected argument '%s'", argv[1]);
		return cmd_simple("promote", "promote");
	}
	if (strcmp(cmd, "bind") == 0) {
		/* bind CGROUP_PATH [namespace=NS] [pod=NAME] [container=ID] [root=PATH] */
		char req[4200] = "bind";
		size_t n = 4;

		if (argc < 2)
			return usage_error("bind: missing %s", "CGROUP_PATH");
		for (int i = 1; i < argc; i++) {
			size_t l = strlen(argv[i]);

			for (size_t k = 0; k < l; k++)
				if ((unsigned char)argv[i][k] <= 0x20 || (unsigned char)argv[i][k] >= 0x7f)
					return usage_error("bind: argument '%s' holds a space or non-ASCII byte", argv[i]);
			if (n + 1 + l >= 4000)
				return usage_error("bind: %s", "request too long");
			req[n++] = ' ';
			memcpy(req + n, argv[i], l + 1);
			n += l;
		}
		return cmd_simple(req, "bind");
	}
	return usage_error("unknown command '%s'", cmd);
}
