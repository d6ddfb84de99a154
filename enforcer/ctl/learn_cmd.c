// SPDX-License-Identifier: GPL-2.0-only
/*
 * learn_cmd.c - `enforcerctl learn`: puts the target under a learning
 * policy (mode = audit, default = deny everywhere, capabilities allowed:
 * nothing the processes do changes), follows its would-deny records,
 * keeps the distinct actions (bounded, state saved so that a daemon
 * restart or a new run resumes), and writes the allowlist policy
 * (enforcer/lib/learn.c).  With --from, learns offline from an audit log.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jparse.h"
#include "learn.h"
#include "offline.h"
#include "policy.h"
#include "proto.h"
#include "proto_client.h"

#define CG_ROOT "/sys/fs/cgroup"
#define STATE_DIR "/var/lib/enforcer/learn"
#define ANSWER_MAX (1024 * 1024)

struct learn_opts {
	const char *socket;
	int timeout_s;
	volatile sig_atomic_t *stop;
};

/* ---- the daemon ---- */

/* One request, its one JSON answer in *v (caller frees).  0 or -1 (said). */
static int ask(const struct learn_opts *o, const char *req, struct jval *v)
{
	struct proto_conn c = { .fd = -1, .stop = o->stop };
	long long dl = proto_now_ms() + (long long)o->timeout_s * 1000;
	char buf[PROTO_LINE_MAX + 2], *line;
	size_t len;
	int rc = -1;

	snprintf(buf, sizeof(buf), "%s\n", req);
	if (proto_conn_open(&c, o->socket, ANSWER_MAX, dl) < 0 || proto_conn_send(&c, buf, dl) < 0 ||
	    proto_conn_line(&c, &line, &len, dl) <= 0) {
		fprintf(stderr, "enforcerctl: learn: %s: %s (is enforcerd running?)\n", req,
			proto_conn_strerror(&c));
		goto out;
	}
	if (jparse(line, len, v) < 0) {
		fprintf(stderr, "enforcerctl: learn: the daemon sent a line that is not JSON\n");
		goto out;
	}
	rc = 0;
out:
	proto_conn_close(&c);
	return rc;
}

static bool answer_ok(const struct jval *v)
{
	const struct jval *ok = jval_get(v, "ok");

	return ok && ok->type == J_BOOL && ok->b;
}

static void say_errors(const char *what, const struct jval *v)
{
	const struct jval *e = jval_get(v, "error"), *es = jval_get(v, "errors");

	fprintf(stderr, "enforcerctl: learn: %s: %s\n", what, e && e->type == J_STR ? e->s : "refused");
	for (size_t i = 0; es && es->type == J_ARR && i < es->n; i++)
		if (es->items[i].type == J_STR)
			fprintf(stderr, "%s\n", es->items[i].s);
}

static int reload(const struct learn_opts *o)
{
	struct jval v;
	int rc;

	if (ask(o, "reload", &v) < 0)
		return -1;
	rc = answer_ok(&v) ? 0 : -1;
	if (rc)
		say_errors("reload", &v);
	jval_free(&v);
	return rc;
}

/* ---- the target ---- */

static bool has_cgroup_named(const char *dir, const char *name, int depth)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	bool found = false;

	if (!d)
		return false;
	while (!found && (de = readdir(d))) {
		char sub[4096];

		if (de->d_type != DT_DIR || de->d_name[0] == '.')
			continue;
		if (!strcmp(de->d_name, name)) {
			found = true;
			break;
		}
		if (depth > 0 && snprintf(sub, sizeof(sub), "%s/%s", dir, de->d_name) < (int)sizeof(sub))
			found = has_cgroup_named(sub, name, depth - 1);
	}
	closedir(d);
	return found;
}

static void policy_name_for(const char *target, char *out, size_t sz)
{
	const char *base = strrchr(target, '/');
	size_t n;

	base = base && base[1] ? base + 1 : target;
	snprintf(out, sz, "learn-%.50s", base);
	for (n = 6; out[n]; n++)
		if (!((out[n] >= 'a' && out[n] <= 'z') || (out[n] >= 'A' && out[n] <= 'Z') ||
		      (out[n] >= '0' && out[n] <= '9') || out[n] == '_' || out[n] == '.' || out[n] == '-'))
			out[n] = '-';
	if (!strcmp(out, "learn-"))
		snprintf(out, sz, "learn-root");
}

static long parse_duration(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || v <= 0)
		return -1;
	if (!strcmp(end, "") || !strcmp(end, "s"))
		return v;
	if (!strcmp(end, "m"))
		return v * 60;
	if (!strcmp(end, "h"))
		return v * 3600;
	return -1;
}

/* ---- following the records ---- */

/* Follow the learning policy's records until the end time (ms) or a stop;
 * reconnects when the daemon goes away (a restart); saves the state. */
static void follow(const struct learn_opts *o, const char *policy, struct learn_set *s,
		   const char *state, long long end)
{
	long long next_save = proto_now_ms() + 2000;
	bool said_gone = false;

	while (!*o->stop && (end < 0 || proto_now_ms() < end)) {
		struct proto_conn c = { .fd = -1, .stop = o->stop };
		char req[256], *line;
		size_t len;
		int r;

		/* the backlog first (what happened while we were away), then the stream */
		for (int pass = 0; pass < 2 && !*o->stop; pass++) {
			char since[40];

			snprintf(since, sizeof(since), "%s", s->last_time);
			snprintf(req, sizeof(req), "audit%s policy=%s action=audit\n",
				 pass ? " follow" : "", policy);
			if (proto_conn_open(&c, o->socket, ANSWER_MAX, proto_now_ms() + 2000) < 0 ||
			    proto_conn_send(&c, req, proto_now_ms() + 2000) < 0) {
				if (!said_gone)
					fprintf(stderr, "enforcerctl: learn: the daemon is gone (%s): "
						"retrying; the learning policy stays in its directory\n",
						proto_conn_strerror(&c));
				said_gone = true;
				proto_conn_close(&c);
				break;
			}
			if (said_gone)
				fprintf(stderr, "enforcerctl: learn: the daemon is back: learning goes on\n");
			said_gone = false;
			for (;;) {
				long long dl = proto_now_ms() + 1000;

				if (end >= 0 && dl > end)
					dl = end;
				r = proto_conn_line(&c, &line, &len, dl);
				if (r < 0 && c.err == PROTO_CLIENT_TIMEOUT &&
				    (end < 0 || proto_now_ms() < end) && !*o->stop) {
					c.err = PROTO_CLIENT_OK;
					if (proto_now_ms() >= next_save) {
						learn_save(s, state);
						next_save = proto_now_ms() + 2000;
					}
					continue;
				}
				if (r <= 0)
					break;
				if (!strncmp(line, "{\"ok\":", 6)) {
					if (strstr(line, "\"end\":true"))
						break;
					continue;
				}
				/* the backlog repeats what we may have: only newer records */
				if (!pass && since[0]) {
					const char *t = strstr(line, "\"time\":\"");

					if (t && strncmp(t + 8, since, strlen(since)) <= 0)
						continue;
				}
				learn_add_line(s, policy, line, len);
			}
			proto_conn_close(&c);
			if (pass == 1 || r < 0)
				break;
		}
		learn_save(s, state);
		if (!*o->stop && (end < 0 || proto_now_ms() < end))
			usleep(500 * 1000);
	}
}

/* ---- the command ---- */

int cmd_learn(int argc, char **argv, const char *socket, int timeout_s, volatile sig_atomic_t *stop)
{
	static const struct option lo[] = {
		{ "cgroup", required_argument, NULL, 'c' },
		{ "unit", required_argument, NULL, 'u' },
		{ "namespace", required_argument, NULL, 'n' },
		{ "duration", required_argument, NULL, 'd' },
		{ "output", required_argument, NULL, 'o' },
		{ "fold", required_argument, NULL, 'F' },
		{ "max-actions", required_argument, NULL, 'm' },
		{ "state", required_argument, NULL, 's' },
		{ "from", required_argument, NULL, 'f' },
		{ "policy", required_argument, NULL, 'p' },
		{ 0 }
	};
	struct learn_opts o = { .socket = socket, .timeout_s = timeout_s ? timeout_s : 30, .stop = stop };
	struct learn_set s = { 0 };
	const char *cg = NULL, *unit = NULL, *ns = NULL, *out = NULL, *state = NULL, *from = NULL;
	const char *policy = NULL;
	char name[PROTO_NAME_MAX + 1], target[300], statebuf[512], polfile[4096] = "";
	long duration = -1, fold = 4, maxa = LEARN_MAX_DEFAULT;
	int c, ntarget = 0, rc = 1;
	FILE *f;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+o:", lo, NULL)) != -1) {
		char *end;

		switch (c) {
		case 'c': cg = optarg; ntarget++; break;
		case 'u': unit = optarg; ntarget++; break;
		case 'n': ns = optarg; ntarget++; break;
		case 'o': out = optarg; break;
		case 's': state = optarg; break;
		case 'f': from = optarg; break;
		case 'p': policy = optarg; break;
		case 'd':
			duration = parse_duration(optarg);
			if (duration < 0)
				return offline_usage("learn: bad --duration '%s' (N, Ns, Nm or Nh)", optarg);
			break;
		case 'F':
			fold = strtol(optarg, &end, 10);
			if (*end || end == optarg || fold < 0 || fold > 100000)
				return offline_usage("learn: bad --fold '%s' (files per directory, 0 = never)", optarg);
			break;
		case 'm':
			maxa = strtol(optarg, &end, 10);
			if (*end || end == optarg || maxa < 1 || maxa > 1000000)
				return offline_usage("learn: bad --max-actions '%s' (1-1000000)", optarg);
			break;
		default:
			return offline_usage("learn: bad option%s", "");
		}
	}
	if (optind < argc)
		return offline_usage("learn: unexpected argument '%s'", argv[optind]);
	if (ntarget != 1)
		return offline_usage("learn: name one target: --cgroup PATH, --unit NAME or --namespace NS%s", "");
	if (cg && (cg[0] != '/' || !policy_path_normal(cg, false) || strlen(cg) > ENF_CG_PATH_MAX))
		return offline_usage("learn: bad cgroup path '%s' (absolute, normalised)", cg);
	if ((unit && (!*unit || strchr(unit, '/') || strlen(unit) >= ENF_CG_NAME_MAX)) ||
	    (ns && (!*ns || strchr(ns, '/') || strlen(ns) > 63)))
		return offline_usage("learn: bad unit or namespace name '%s'", unit ? unit : ns);
	for (const char *p = cg ? cg : unit ? unit : ns; *p; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f || *p == ';' || *p == '#')
			return offline_usage("learn: the target '%s' holds a blank or a special byte",
					     cg ? cg : unit ? unit : ns);
	snprintf(target, sizeof(target), "%s = %s", cg ? "cgroup" : unit ? "unit" : "namespace",
		 cg ? cg : unit ? unit : ns);
	policy_name_for(cg ? cg : unit ? unit : ns, name, sizeof(name));
	s.max = (size_t)maxa;

	if (from) {
		/* offline: the records of an existing learning policy in an audit log */
		char *line = NULL;
		size_t cap = 0;
		ssize_t len;

		f = fopen(from, "r");
		if (!f) {
			fprintf(stderr, "enforcerctl: learn: %s: %s\n", from, strerror(errno));
			return 1;
		}
		if (!policy)
			policy = name;
		while ((len = getline(&line, &cap, f)) > 0)
			learn_add_line(&s, policy, line, (size_t)len);
		free(line);
		fclose(f);
		if (!s.events) {
			fprintf(stderr, "enforcerctl: learn: no audit record of policy %s in %s\n", policy, from);
			learn_free(&s);
			return 1;
		}
		goto write;
	}

	/* the target must exist now */
	if (cg) {
		char p[4096];
		struct stat st;

		snprintf(p, sizeof(p), "%s%s", CG_ROOT, cg);
		if (stat(p, &st) < 0 || !S_ISDIR(st.st_mode)) {
			fprintf(stderr, "enforcerctl: learn: cgroup %s does not exist (below %s): "
				"nothing to learn from\n", cg, CG_ROOT);
			return 1;
		}
	} else if (unit && !has_cgroup_named(CG_ROOT, unit, 6)) {
		fprintf(stderr, "enforcerctl: learn: no cgroup named %s (is the unit running?)\n", unit);
		return 1;
	}
	if (!state) {
		mkdir("/var/lib/enforcer", 0755);
		mkdir(STATE_DIR, 0700);
		snprintf(statebuf, sizeof(statebuf), "%s/%s.state", STATE_DIR, name);
		state = statebuf;
	}
	if (learn_load(&s, state) == 0)
		fprintf(stderr, "enforcerctl: learn: resuming from %s (%llu records, %zu actions)\n", state,
			(unsigned long long)s.events, s.n);
	else if (errno != ENOENT) {
		fprintf(stderr, "enforcerctl: learn: %s: unreadable state (%s): remove it or pass --state\n",
			state, strerror(errno));
		learn_free(&s);
		return 1;
	}
	{
		struct jval v;
		const struct jval *pd;
		int fd;

		if (ask(&o, "status", &v) < 0) {
			learn_free(&s);
			return 1;
		}
		pd = jval_get(&v, "policy_dir");
		if (!answer_ok(&v) || !pd || pd->type != J_STR) {
			say_errors("status", &v);
			jval_free(&v);
			learn_free(&s);
			return 1;
		}
		snprintf(polfile, sizeof(polfile), "%s/%s.ini", pd->s, name);
		jval_free(&v);
		fd = open(polfile, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
		if (fd < 0) {
			fprintf(stderr, "enforcerctl: learn: cannot write the learning policy %s: %s\n",
				polfile, strerror(errno));
			learn_free(&s);
			return 1;
		}
		f = fdopen(fd, "w");
		if (!f) {
			close(fd);
			learn_free(&s);
			return 1;
		}
		fprintf(f, "; %s.ini - written by enforcerctl learn, removed when it ends: records what\n"
			"; the target does (mode = audit: nothing is denied)\n"
			"[policy]\nname = %s\n%s\nmode = audit\n[exec]\ndefault = deny\n[file]\n"
			"default = deny\n[connect]\ndefault = deny\n[bind]\ndefault = deny\n"
			"[capabilities]\ndefault = allow\n", name, name, target);
		if (fclose(f) != 0 || reload(&o) < 0) {
			fprintf(stderr, "enforcerctl: learn: the learning policy did not load: removed\n");
			unlink(polfile);
			reload(&o);
			learn_free(&s);
			return 1;
		}
	}
	fprintf(stderr, "enforcerctl: learn: learning %s as policy %s%s (Ctrl-C ends)\n", target, name,
		duration > 0 ? "" : "");
	follow(&o, name, &s, state, duration > 0 ? proto_now_ms() + duration * 1000 : -1);
	learn_save(&s, state);
	unlink(polfile);
	*o.stop = 0;
	if (reload(&o) < 0)
		fprintf(stderr, "enforcerctl: learn: %s removed; reload the daemon to drop it\n", polfile);
	policy = name;

write:
	{
		char lname[PROTO_NAME_MAX + 1];

		snprintf(lname, sizeof(lname), "learned-%.54s", name + (strncmp(name, "learn-", 6) ? 0 : 6));
		f = out ? fopen(out, "w") : stdout;
		if (!f) {
			fprintf(stderr, "enforcerctl: learn: %s: %s (state kept in %s)\n", out, strerror(errno),
				state ? state : "-");
			learn_free(&s);
			return 1;
		}
		learn_write_ini(f, &s, lname, target, (unsigned)fold);
		rc = (out ? fclose(f) : fflush(f)) ? 1 : 0;
		if (rc == 0 && state && !from)
			unlink(state);
		fprintf(stderr, "enforcerctl: learn: %llu records, %zu actions%s%s\n",
			(unsigned long long)s.events, s.n, out ? " written to " : "", out ? out : "");
	}
	learn_free(&s);
	return rc;
}
