// SPDX-License-Identifier: GPL-2.0-only
/*
 * oci_hook.c - enforcer-oci-hook: an OCI runtime hook (createRuntime stage)
 * that registers a new container's cgroup with enforcerd before the
 * container's process runs.  It reads the runtime state on stdin, reads the
 * bundle's config.json, finds the container's cgroup and sends
 *     bind CGROUP [namespace=NS] [pod=NAME] [container=ID] [root=ROOTFS] [pid=PID]
 * on the control socket (proto.h), then waits for the answer.
 *
 *   enforcer-oci-hook [--socket PATH] [--fail-open] [--fail-open-namespace NS[,NS..]]
 *                     [--system-namespace NS] [--timeout SEC] [--verbose]
 *   environment: ENFORCER_SOCKET, ENFORCER_HOOK_FAIL_OPEN=1,
 *                ENFORCER_HOOK_FAIL_OPEN_NAMESPACES=NS,NS, ENFORCER_HOOK_SYSTEM_NAMESPACE=NS
 *
 * Exit 0 when the daemon bound the cgroup; 1 otherwise, so that the runtime
 * refuses to start the container (fail closed).  What happens when enforcerd
 * cannot be reached depends on the pod's namespace (hook_avail.h): enforcer's
 * own namespace starts at once (no deadlock: the pod that brings enforcerd
 * back always runs), the fail-open namespaces start after --timeout with a
 * warning, every other container is refused after --timeout.  A daemon that
 * answers with an error fails the hook except in enforcer's own namespace.
 * 2 on a usage error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hook_avail.h"
#include "jparse.h"
#include "oci_state.h"
#include "proto.h"
#include "proto_client.h"

#define HOOK_TIMEOUT_S 5
#define ANSWER_MAX     65536

static struct {
	const char *socket;
	struct hook_avail_cfg avail;
	bool verbose;
	int timeout_s;
} opt;

enum { BOUND = 0, REFUSED = 1, UNREACHABLE = 3 };

static void usage(FILE *f)
{
	fprintf(f,
"usage: enforcer-oci-hook [--socket PATH] [--fail-open] [--fail-open-namespace NS[,NS..]]\n"
"                         [--system-namespace NS] [--timeout SEC] [--verbose]\n"
"\n"
"An OCI runtime hook for the createRuntime stage: reads the container's state\n"
"on stdin and binds its cgroup to the enforcer policies of its Kubernetes\n"
"namespace and pod (enforcerd's 'bind' request) before the container runs.\n"
"When enforcerd cannot be reached, containers of the system namespace start\n"
"at once, those of a fail-open namespace start after the timeout with a\n"
"warning, and every other container is refused after the timeout.\n"
"\n"
"  --socket PATH   control socket (default $ENFORCER_SOCKET or %s)\n"
"  --system-namespace NS\n"
"                  enforcer's own namespace, whose pods always start (default\n"
"                  $ENFORCER_HOOK_SYSTEM_NAMESPACE or %s; \"\" for none)\n"
"  --fail-open-namespace NS[,NS..]\n"
"                  namespaces whose containers start ungoverned, with a\n"
"                  warning, when enforcerd cannot be reached (repeatable;\n"
"                  also $ENFORCER_HOOK_FAIL_OPEN_NAMESPACES)\n"
"  --fail-open     the same for every container (also ENFORCER_HOOK_FAIL_OPEN=1)\n"
"  --timeout SEC   wait at most SEC seconds for enforcerd (default %d)\n"
"  --verbose       say what was bound on stderr\n",
		PROTO_DEFAULT_SOCKET, HOOK_SYSTEM_NS_DEFAULT, HOOK_TIMEOUT_S);
}

static int read_stdin(char **out, size_t *outlen)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap), *nb;

	if (!buf)
		return -1;
	for (;;) {
		ssize_t r;

		if (n == cap) {
			if (cap > OCI_STATE_MAX)
				break;
			cap *= 2;
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				return -1;
			}
			buf = nb;
		}
		r = read(0, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			free(buf);
			return -1;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	*out = buf;
	*outlen = n;
	return 0;
}

/* Send line, read one answer line into ans (NUL-terminated, without '\n').
 * Returns BOUND (an answer came), UNREACHABLE (with why). */
static int exchange(const char *line, long long deadline, char *ans, size_t anssz, char *why,
		    size_t whysz)
{
	struct proto_conn c = { .fd = -1 };
	char *got;
	size_t n;
	int r;

	if (proto_conn_open(&c, opt.socket, anssz - 1, deadline) < 0) {
		if (c.err == PROTO_CLIENT_CONNECT)
			snprintf(why, whysz, "cannot connect to %s: %s", opt.socket, proto_conn_strerror(&c));
		else
			snprintf(why, whysz, "%s", proto_conn_strerror(&c));
		return UNREACHABLE;
	}
	if (proto_conn_send(&c, line, deadline) < 0 ||
	    (r = proto_conn_line(&c, &got, &n, deadline)) < 0) {
		if (c.err == PROTO_CLIENT_TIMEOUT)
			snprintf(why, whysz, "no answer from %s within %d s", opt.socket, opt.timeout_s);
		else if (c.err == PROTO_CLIENT_TOO_LONG)
			snprintf(why, whysz, "answer longer than %zu bytes", anssz - 1);
		else
			snprintf(why, whysz, "connection closed by %s without an answer: %s", opt.socket,
				 proto_conn_strerror(&c));
		proto_conn_close(&c);
		return UNREACHABLE;
	}
	if (r == 0) {
		snprintf(why, whysz, "connection closed by %s without an answer", opt.socket);
		proto_conn_close(&c);
		return UNREACHABLE;
	}
	memcpy(ans, got, n + 1);
	proto_conn_close(&c);
	return BOUND;
}

/* Append " key=value" when value is set. */
static void add_arg(char *line, size_t sz, const char *key, const char *val)
{
	size_t n = strlen(line);

	if (val && val[0])
		snprintf(line + n, sz - n, " %s=%s", key, val);
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "fail-open", no_argument, NULL, 'f' },
		{ "fail-open-namespace", required_argument, NULL, 'N' },
		{ "system-namespace", required_argument, NULL, 'S' },
		{ "timeout", required_argument, NULL, 't' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	static struct oci_state st;
	char err[1024], why[512], line[PROTO_LINE_MAX + 64], *doc = NULL, *e;
	static char ans[ANSWER_MAX];
	enum hook_avail avail;
	const char *env;
	struct jval v;
	long long deadline;
	size_t len;
	int c, r;

	signal(SIGPIPE, SIG_IGN);
	opt.socket = getenv("ENFORCER_SOCKET") && getenv("ENFORCER_SOCKET")[0] ?
		     getenv("ENFORCER_SOCKET") : PROTO_DEFAULT_SOCKET;
	hook_avail_init(&opt.avail);
	env = getenv("ENFORCER_HOOK_FAIL_OPEN");
	opt.avail.open_all = env && (strcmp(env, "1") == 0 || strcmp(env, "true") == 0 ||
				     strcmp(env, "yes") == 0);
	env = getenv("ENFORCER_HOOK_SYSTEM_NAMESPACE");
	if (env && hook_avail_set_system(&opt.avail, env, err, sizeof(err)) < 0) {
		fprintf(stderr, "enforcer-oci-hook: ENFORCER_HOOK_SYSTEM_NAMESPACE: %s\n", err);
		return 2;
	}
	env = getenv("ENFORCER_HOOK_FAIL_OPEN_NAMESPACES");
	if (env && hook_avail_add_open(&opt.avail, env, err, sizeof(err)) < 0) {
		fprintf(stderr, "enforcer-oci-hook: ENFORCER_HOOK_FAIL_OPEN_NAMESPACES: %s\n", err);
		return 2;
	}
	opt.timeout_s = HOOK_TIMEOUT_S;
	while ((c = getopt_long(argc, argv, "s:ft:vh", lopts, NULL)) != -1) {
		switch (c) {
		case 's':
			opt.socket = optarg;
			break;
		case 'f':
			opt.avail.open_all = true;
			break;
		case 'N':
			if (hook_avail_add_open(&opt.avail, optarg, err, sizeof(err)) < 0) {
				fprintf(stderr, "enforcer-oci-hook: --fail-open-namespace: %s\n", err);
				return 2;
			}
			break;
		case 'S':
			if (hook_avail_set_system(&opt.avail, optarg, err, sizeof(err)) < 0) {
				fprintf(stderr, "enforcer-oci-hook: --system-namespace: %s\n", err);
				return 2;
			}
			break;
		case 't': {
			long t = strtol(optarg, &e, 10);

			if (*optarg == '\0' || *e || t < 1 || t > 3600) {
				fprintf(stderr, "enforcer-oci-hook: bad --timeout '%s' (1 to 3600)\n", optarg);
				return 2;
			}
			opt.timeout_s = (int)t;
			break;
		}
		case 'v':
			opt.verbose = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "enforcer-oci-hook: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	deadline = proto_now_ms() + (long long)opt.timeout_s * 1000;

	/* the container: everything about it must be read, or it does not start */
	if (read_stdin(&doc, &len) < 0) {
		fprintf(stderr, "enforcer-oci-hook: cannot read the state on stdin: %s\n", strerror(errno));
		return REFUSED;
	}
	r = oci_state_parse(doc, len, &st, err, sizeof(err));
	free(doc);
	if (r < 0) {
		fprintf(stderr, "enforcer-oci-hook: bad OCI state on stdin: %s\n", err);
		return REFUSED;
	}
	if (st.bundle[0] && oci_state_read_config(&st, NULL, err, sizeof(err)) < 0) {
		fprintf(stderr, "enforcer-oci-hook: container %s: %s\n", st.id, err);
		return REFUSED;
	}
	if (oci_state_find_cgroup(&st, NULL, err, sizeof(err)) < 0) {
		fprintf(stderr, "enforcer-oci-hook: container %s: %s\n", st.id, err);
		return REFUSED;
	}
	snprintf(line, sizeof(line), "bind %s", st.cgroup);
	add_arg(line, sizeof(line), "namespace", st.ns);
	add_arg(line, sizeof(line), "pod", st.pod);
	add_arg(line, sizeof(line), "container", st.id);
	add_arg(line, sizeof(line), "root", st.root);
	if (st.pid > 0) {
		char pid[16];

		snprintf(pid, sizeof(pid), "%d", (int)st.pid);
		add_arg(line, sizeof(line), "pid", pid);   /* the init: in its setup phase */
	}
	if (strlen(line) + 1 >= PROTO_LINE_MAX) {
		fprintf(stderr, "enforcer-oci-hook: container %s: bind request longer than %d bytes\n",
			st.id, PROTO_LINE_MAX);
		return REFUSED;
	}
	strcat(line, "\n");
	/* enforcer's own pods wait only briefly: they must start for enforcerd
	 * to come back */
	avail = hook_avail_of(&opt.avail, st.ns);
	if (avail == HOOK_ALWAYS && deadline > proto_now_ms() + HOOK_ALWAYS_WAIT_MS)
		deadline = proto_now_ms() + HOOK_ALWAYS_WAIT_MS;

	/* the daemon: retry while it is busy (too many clients) or restarting,
	 * until the deadline */
	for (;;) {
		const struct jval *okv, *ev;

		r = exchange(line, deadline, ans, sizeof(ans), why, sizeof(why));
		if (r == BOUND) {
			len = strlen(ans);
			while (len && (ans[len - 1] == '\n' || ans[len - 1] == '\r'))
				ans[--len] = '\0';
			if (jparse(ans, len, &v) < 0 || v.type != J_OBJ) {
				jval_free(&v);   /* zeroed on a parse error */
				fprintf(stderr, "enforcer-oci-hook: container %s: enforcerd answered "
					"something that is not a JSON object\n", st.id);
				return REFUSED;
			}
			okv = jval_get(&v, "ok");
			ev = jval_get(&v, "error");
			if (okv && okv->type == J_BOOL && okv->b) {
				if (opt.verbose)
					fprintf(stderr, "enforcer-oci-hook: container %s: %s\n", st.id, ans);
				jval_free(&v);
				return BOUND;
			}
			if (ev && ev->type == J_STR && strcmp(ev->s, "too many clients") == 0 &&
			    proto_now_ms() < deadline) {
				jval_free(&v);
				usleep(50 * 1000);
				continue;
			}
			fprintf(stderr, "enforcer-oci-hook: container %s: enforcerd refused '%.*s': %s%s\n",
				st.id, (int)strlen(line) - 1, line,
				ev && ev->type == J_STR ? ev->s : "(no error message)",
				avail == HOOK_ALWAYS ? "; it starts UNGOVERNED (enforcer's own namespace)" : "");
			jval_free(&v);
			return avail == HOOK_ALWAYS ? BOUND : REFUSED;
		}
		if (proto_now_ms() + 100 < deadline) {
			usleep(100 * 1000);
			continue;
		}
		break;
	}
	if (avail == HOOK_ALWAYS) {
		fprintf(stderr, "enforcer-oci-hook: container %s starts UNGOVERNED (namespace %s is "
			"enforcer's own, its pods always start): %s\n", st.id, st.ns, why);
		return BOUND;
	}
	if (avail == HOOK_FAIL_OPEN) {
		fprintf(stderr, "enforcer-oci-hook: WARNING: container %s starts UNGOVERNED "
			"(fail-open%s%s): %s\n", st.id, opt.avail.open_all ? "" : ", namespace ",
			opt.avail.open_all ? "" : st.ns, why);
		return BOUND;
	}
	fprintf(stderr, "enforcer-oci-hook: container %s not started: enforcerd unreachable: %s\n",
		st.id, why);
	return REFUSED;
}
