// SPDX-License-Identifier: GPL-2.0-only
/*
 * oci_state.c - OCI runtime state and bundle config.json reading, Kubernetes
 * pod identity from containerd's and CRI-O's annotations, the container's
 * cgroup, and discovery of running containers from the runtimes' state
 * directories (see oci_state.h).  All input is hostile: bounded, checked,
 * refused with a message naming the field.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jparse.h"
#include "oci_state.h"

#define OCI_PIDFILE_MAX   64           /* bytes of init.pid / pidfile */
#define OCI_PROC_CG_MAX   (64 * 1024)  /* bytes of /proc/PID/cgroup */
#define OCI_DISCOVER_MAX  65536        /* container directories per runtime */

static int errf(char *err, size_t errsz, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int errf(char *err, size_t errsz, const char *fmt, ...)
{
	va_list ap;

	if (err && errsz) {
		va_start(ap, fmt);
		vsnprintf(err, errsz, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* ---- validation ---- */

/* A short, printable rendering of hostile bytes for messages (at most 60
 * bytes shown, then "..."). */
static const char *shown(const char *s, size_t n)
{
	static __thread char buf[256];
	size_t j = 0;

	for (size_t i = 0; i < n && i < 60; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f && c != '\\' && c != '\'')
			buf[j++] = (char)c;
		else
			j += (size_t)snprintf(buf + j, sizeof(buf) - j, "\\x%02x", c);
	}
	buf[j] = '\0';
	if (n > 60)
		strcat(buf, "...");
	return buf;
}

static bool id_valid(const char *s, size_t n)
{
	if (n == 0 || n > OCI_ID_MAX || s[0] == '.')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '+' || c == '-' || c == '.'))
			return false;
	}
	return true;
}

/* DNS-1123 label: [a-z0-9]([-a-z0-9]*[a-z0-9])?, at most max. */
static bool label_valid(const char *s, size_t n, size_t max)
{
	if (n == 0 || n > max || s[0] == '-' || s[n - 1] == '-')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
	return true;
}

/* DNS-1123 subdomain: labels joined by '.', at most max in all. */
static bool subdomain_valid(const char *s, size_t n, size_t max)
{
	size_t start = 0;

	if (n == 0 || n > max)
		return false;
	for (size_t i = 0; i <= n; i++) {
		if (i == n || s[i] == '.') {
			if (!label_valid(s + start, i - start, 63))
				return false;
			start = i + 1;
		}
	}
	return true;
}

/* An absolute path that a request line can carry: printable ASCII without
 * spaces, no "." or ".." component, no empty component but a lone "/". */
static bool path_valid(const char *s, size_t n)
{
	if (n == 0 || n >= OCI_PATH_MAX || s[0] != '/')
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
			return false;
	if (n == 1)
		return true;
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;

		while (j < n && s[j] != '/')
			j++;
		/* component s[i+1 .. j) */
		if (j == i + 1 || (j - i - 1 == 1 && s[i + 1] == '.') ||
		    (j - i - 1 == 2 && s[i + 1] == '.' && s[i + 2] == '.'))
			return false;
		i = j;
	}
	return true;
}

/* Keys of an object are unique (the first of two equal keys would win here
 * and another reader might take the second). */
static int keys_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int no_dup_keys(const struct jval *o, const char *what, char *err, size_t errsz)
{
	char **k;
	int ret = 0;

	if (!o || o->type != J_OBJ || o->n < 2)
		return 0;
	k = malloc(o->n * sizeof(*k));
	if (!k)
		return errf(err, errsz, "%s: out of memory", what);
	memcpy(k, o->keys, o->n * sizeof(*k));
	qsort(k, o->n, sizeof(*k), keys_cmp);
	for (size_t i = 1; i < o->n; i++) {
		if (strcmp(k[i - 1], k[i]) == 0) {
			ret = errf(err, errsz, "%s: duplicate key \"%s\"", what,
				   shown(k[i], strlen(k[i])));
			break;
		}
	}
	free(k);
	return ret;
}

/* A string member: absent -> 1 (out untouched); present -> checked copy, 0;
 * wrong type, NUL byte or too long -> -1. */
static int get_str(const struct jval *o, const char *key, const char *what, char *out,
		   size_t outsz, char *err, size_t errsz)
{
	const struct jval *v = jval_get(o, key);

	if (!v)
		return 1;
	if (v->type != J_STR)
		return errf(err, errsz, "%s: \"%s\" is not a string", what, key);
	if (strlen(v->s) != v->slen)
		return errf(err, errsz, "%s: \"%s\" holds a NUL byte", what, key);
	if (v->slen >= outsz)
		return errf(err, errsz, "%s: \"%s\" is too long (%zu bytes, at most %zu)", what, key,
			    v->slen, outsz - 1);
	memcpy(out, v->s, v->slen + 1);
	return 0;
}

/* Join dir and a relative path p into out (p absolute: p itself). */
static int join_path(const char *dir, const char *p, char *out, size_t outsz, const char *what,
		     char *err, size_t errsz)
{
	char src[OCI_PATH_MAX];
	int n;

	/* out may be p itself */
	if (strlen(p) >= sizeof(src))
		return errf(err, errsz, "%s: path too long", what);
	strcpy(src, p);
	p = src;
	while (p[0] == '.' && p[1] == '/')
		p += 2;
	if (p[0] == '/' || !dir)
		n = snprintf(out, outsz, "%s", p);
	else
		n = snprintf(out, outsz, "%s/%s", strcmp(dir, "/") ? dir : "", p);
	if (n < 0 || (size_t)n >= outsz)
		return errf(err, errsz, "%s: path too long", what);
	/* no trailing slashes */
	while (n > 1 && out[n - 1] == '/')
		out[--n] = '\0';
	if (!path_valid(out, (size_t)n))
		return errf(err, errsz,
			    "%s: '%s' is not an absolute path of printable characters without spaces, "
			    "'.' or '..' components", what, shown(out, (size_t)n));
	return 0;
}

/* ---- annotations: the pod identity ---- */

static int ann_one(const struct jval *ann, const char *key, int kind, size_t max, char *dst,
		   bool *seen, char *err, size_t errsz)
{
	const struct jval *v = jval_get(ann, key);
	bool good;

	if (!v)
		return 0;
	if (v->type != J_STR)
		return errf(err, errsz, "annotation %s is not a string", key);
	if (strlen(v->s) != v->slen)
		return errf(err, errsz, "annotation %s holds a NUL byte", key);
	switch (kind) {
	case 0: good = label_valid(v->s, v->slen, max); break;
	case 1: good = subdomain_valid(v->s, v->slen, max); break;
	case 2: good = label_valid(v->s, v->slen, max); break;
	default:
		good = strcmp(v->s, "sandbox") == 0 || strcmp(v->s, "container") == 0;
		break;
	}
	if (!good)
		return errf(err, errsz, "annotation %s: '%s' is not a valid %s", key,
			    shown(v->s, v->slen),
			    kind == 0 ? "Kubernetes namespace (DNS-1123 label, at most 63)" :
			    kind == 1 ? "pod name (DNS-1123 subdomain, at most 253)" :
			    kind == 2 ? "container name (DNS-1123 label, at most 63)" :
			    "container type (sandbox or container)");
	if (*seen && strcmp(dst, v->s) != 0)
		return errf(err, errsz,
			    "annotations disagree: %s is '%s' but another runtime's key says '%s'",
			    key, shown(v->s, v->slen), dst);
	memcpy(dst, v->s, v->slen + 1);
	*seen = true;
	return 0;
}

/* Fill the identity from an annotations object.  Returns 1 when it held any
 * Kubernetes key, 0 when none, -1 on error. */
static int ann_identity(const struct jval *ann, struct oci_state *st, char *err, size_t errsz)
{
	struct {
		const char *ckey, *okey;
		int kind;
		size_t max;
		char *dst;
	} k[] = {
		{ OCI_ANN_CONTAINERD_NS, OCI_ANN_CRIO_NS, 0, OCI_NS_MAX, st->ns },
		{ OCI_ANN_CONTAINERD_POD, OCI_ANN_CRIO_POD, 1, OCI_POD_MAX, st->pod },
		{ OCI_ANN_CONTAINERD_CNAME, OCI_ANN_CRIO_CNAME, 2, OCI_CNAME_MAX, st->container_name },
		{ OCI_ANN_CONTAINERD_TYPE, OCI_ANN_CRIO_TYPE, 3, sizeof(st->sandbox) - 1, st->sandbox },
	};
	bool any = false;

	if (!ann)
		return 0;
	if (ann->type != J_OBJ)
		return errf(err, errsz, "\"annotations\" is not an object");
	if (no_dup_keys(ann, "annotations", err, errsz) < 0)
		return -1;
	for (size_t i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
		bool seen = false;

		if (ann_one(ann, k[i].ckey, k[i].kind, k[i].max, k[i].dst, &seen, err, errsz) < 0 ||
		    ann_one(ann, k[i].okey, k[i].kind, k[i].max, k[i].dst, &seen, err, errsz) < 0)
			return -1;
		any |= seen;
	}
	if (st->pod[0] && !st->ns[0])
		return errf(err, errsz, "annotations name a pod ('%s') but no namespace", st->pod);
	return any ? 1 : 0;
}

static bool has_identity(const struct oci_state *st)
{
	return st->ns[0] || st->pod[0] || st->container_name[0] || st->sandbox[0];
}

/* ---- the state document ---- */

static int parse_pid(const char *s, size_t n, pid_t *out)
{
	long long v = 0;

	if (n == 0 || n > 10)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	if (n > 1 && s[0] == '0')
		return -1;
	if (v > INT_MAX)
		return -1;
	*out = (pid_t)v;
	return 0;
}

int oci_state_parse(const char *doc, size_t len, struct oci_state *st, char *err, size_t errsz)
{
	struct jval v;
	const struct jval *pid;
	int ret = -1, r;

	memset(st, 0, sizeof(*st));
	if (!doc || len == 0)
		return errf(err, errsz, "state: empty document");
	if (len > OCI_STATE_MAX)
		return errf(err, errsz, "state: document too large (%zu bytes, at most %d)", len,
			    OCI_STATE_MAX);
	if (jparse(doc, len, &v) < 0)
		return errf(err, errsz, "state: not valid JSON");
	if (v.type != J_OBJ) {
		errf(err, errsz, "state: not a JSON object");
		goto out;
	}
	if (no_dup_keys(&v, "state", err, errsz) < 0)
		goto out;

	r = get_str(&v, "id", "state", st->id, sizeof(st->id), err, errsz);
	if (r < 0)
		goto out;
	if (r > 0) {
		errf(err, errsz, "state: no \"id\"");
		goto out;
	}
	if (!id_valid(st->id, strlen(st->id))) {
		errf(err, errsz, "state: id '%s' is not 1-%d characters of [A-Za-z0-9_+.-]",
		     shown(st->id, strlen(st->id)), OCI_ID_MAX);
		goto out;
	}
	if (jval_get(&v, "ociVersion") && jval_get(&v, "ociVersion")->type != J_STR) {
		errf(err, errsz, "state: \"ociVersion\" is not a string");
		goto out;
	}
	r = get_str(&v, "status", "state", st->status, sizeof(st->status), err, errsz);
	if (r < 0)
		goto out;
	if (r == 0 && strcmp(st->status, "creating") && strcmp(st->status, "created") &&
	    strcmp(st->status, "running") && strcmp(st->status, "stopped")) {
		errf(err, errsz, "state: unknown status '%s'", shown(st->status, strlen(st->status)));
		goto out;
	}
	pid = jval_get(&v, "pid");
	if (pid) {
		if (pid->type != J_NUM || parse_pid(pid->s, pid->slen, &st->pid) < 0) {
			errf(err, errsz, "state: \"pid\" is not a process id (0 to %d)", INT_MAX);
			goto out;
		}
	}
	r = get_str(&v, "bundle", "state", st->bundle, sizeof(st->bundle), err, errsz);
	if (r < 0)
		goto out;
	if (r == 0 && join_path(NULL, st->bundle, st->bundle, sizeof(st->bundle), "state: bundle",
				err, errsz) < 0)
		goto out;
	if (ann_identity(jval_get(&v, "annotations"), st, err, errsz) < 0) {
		/* prefix: the message names the annotation */
		char m[512];

		snprintf(m, sizeof(m), "state: %s", err ? err : "");
		errf(err, errsz, "%s", m);
		goto out;
	}
	ret = 0;
out:
	jval_free(&v);
	if (ret < 0) {
		char keep[512] = "";

		if (err && errsz)
			snprintf(keep, sizeof(keep), "%s", err);
		memset(st, 0, sizeof(*st));
		if (err && errsz)
			snprintf(err, errsz, "%s", keep);
	}
	return ret;
}

/* ---- config.json ---- */

int oci_config_parse(const char *doc, size_t len, const char *dir, struct oci_state *st,
		     char *err, size_t errsz)
{
	struct jval v;
	const struct jval *root, *linux_;
	char tmp[OCI_PATH_MAX];
	int ret = -1, r;
	bool had = has_identity(st);
	struct oci_state save = *st;

	if (!doc || len == 0)
		return errf(err, errsz, "config.json: empty document");
	if (len > OCI_CONFIG_MAX)
		return errf(err, errsz, "config.json: too large (%zu bytes, at most %d)", len,
			    OCI_CONFIG_MAX);
	if (jparse(doc, len, &v) < 0)
		return errf(err, errsz, "config.json: not valid JSON");
	if (v.type != J_OBJ) {
		errf(err, errsz, "config.json: not a JSON object");
		goto out;
	}
	if (no_dup_keys(&v, "config.json", err, errsz) < 0)
		goto out;

	root = jval_get(&v, "root");
	if (root) {
		if (root->type != J_OBJ) {
			errf(err, errsz, "config.json: \"root\" is not an object");
			goto out;
		}
		if (no_dup_keys(root, "config.json: root", err, errsz) < 0)
			goto out;
		r = get_str(root, "path", "config.json: root", tmp, sizeof(tmp), err, errsz);
		if (r < 0)
			goto out;
		if (r == 0) {
			if (!tmp[0]) {
				errf(err, errsz, "config.json: root.path is empty");
				goto out;
			}
			if (tmp[0] != '/' && !dir) {
				errf(err, errsz, "config.json: root.path '%s' is relative and no bundle is known",
				     shown(tmp, strlen(tmp)));
				goto out;
			}
			if (join_path(dir, tmp, st->root, sizeof(st->root), "config.json: root.path",
				      err, errsz) < 0)
				goto out;
		}
	}
	linux_ = jval_get(&v, "linux");
	if (linux_) {
		if (linux_->type != J_OBJ) {
			errf(err, errsz, "config.json: \"linux\" is not an object");
			goto out;
		}
		if (no_dup_keys(linux_, "config.json: linux", err, errsz) < 0)
			goto out;
		r = get_str(linux_, "cgroupsPath", "config.json: linux", st->cgroups_path,
			    sizeof(st->cgroups_path), err, errsz);
		if (r < 0)
			goto out;
		if (r == 0 && st->cgroups_path[0] &&
		    oci_cgroups_path_expand(st->cgroups_path, tmp, sizeof(tmp), err, errsz) < 0)
			goto out;
	}
	if (!had) {
		char m[512];

		if (ann_identity(jval_get(&v, "annotations"), st, err, errsz) < 0) {
			snprintf(m, sizeof(m), "config.json: %s", err ? err : "");
			errf(err, errsz, "%s", m);
			goto out;
		}
	}
	ret = 0;
out:
	jval_free(&v);
	if (ret < 0)
		*st = save;
	return ret;
}

/* Read a regular file of at most max bytes into a NUL-terminated buffer. */
static int read_small(const char *path, size_t max, char **out, size_t *outlen, const char *what,
		      char *err, size_t errsz)
{
	struct stat sb;
	char *buf, *nb;
	size_t n = 0, cap;
	ssize_t r;
	int fd, e;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return errf(err, errsz, "%s: cannot open %s: %s", what, path, strerror(errno));
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return errf(err, errsz, "%s: %s is not a regular file", what, path);
	}
	/* st_size is a hint (proc files say 0); the read loop is the bound */
	cap = sb.st_size > 0 && (size_t)sb.st_size < max ? (size_t)sb.st_size + 2 : 4096;
	if (cap > max + 2)
		cap = max + 2;
	buf = malloc(cap);
	if (!buf) {
		close(fd);
		return errf(err, errsz, "%s: out of memory", what);
	}
	for (;;) {
		if (n + 1 >= cap) {
			if (n > max)
				break;
			cap = cap * 2 > max + 2 ? max + 2 : cap * 2;
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				close(fd);
				return errf(err, errsz, "%s: out of memory", what);
			}
			buf = nb;
		}
		r = read(fd, buf + n, cap - 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			e = errno;
			free(buf);
			close(fd);
			return errf(err, errsz, "%s: cannot read %s: %s", what, path, strerror(e));
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	if (n > max) {
		free(buf);
		return errf(err, errsz, "%s: %s is larger than %zu bytes", what, path, max);
	}
	buf[n] = '\0';
	*out = buf;
	*outlen = n;
	return 0;
}

int oci_state_read_config(struct oci_state *st, const char *config_path, char *err, size_t errsz)
{
	char path[OCI_PATH_MAX + 32];
	char *doc;
	size_t len;
	int ret;

	if (!config_path) {
		if (!st->bundle[0])
			return errf(err, errsz, "config.json: no bundle to read it from");
		snprintf(path, sizeof(path), "%s/config.json", st->bundle);
		config_path = path;
	}
	if (read_small(config_path, OCI_CONFIG_MAX, &doc, &len, "config.json", err, errsz) < 0)
		return -1;
	ret = oci_config_parse(doc, len, st->bundle[0] ? st->bundle : NULL, st, err, errsz);
	free(doc);
	return ret;
}

/* ---- the cgroup ---- */

/* systemd slice "a-b-c.slice" -> "/a.slice/a-b.slice/a-b-c.slice" ("-.slice": ""). */
static int slice_expand(const char *slice, char *out, size_t outsz, char *err, size_t errsz)
{
	size_t n = strlen(slice), len, o = 0;

	if (n < 6 || strcmp(slice + n - 6, ".slice"))
		return errf(err, errsz, "cgroupsPath: '%s' is not a systemd slice name",
			    shown(slice, n));
	if (strcmp(slice, "-.slice") == 0) {
		out[0] = '\0';
		return 0;
	}
	len = n - 6;
	if (len == 0 || slice[0] == '-' || slice[len - 1] == '-' || strstr(slice, "--") ||
	    strchr(slice, '/'))
		return errf(err, errsz, "cgroupsPath: bad slice name '%s'", shown(slice, n));
	for (size_t i = 0; i <= len; i++) {
		if (i == len || slice[i] == '-') {
			int w = snprintf(out + o, outsz - o, "/%.*s.slice", (int)i, slice);

			if (w < 0 || (size_t)w >= outsz - o)
				return errf(err, errsz, "cgroupsPath: too long");
			o += (size_t)w;
		}
	}
	return 0;
}

int oci_cgroups_path_expand(const char *cp, char *out, size_t outsz, char *err, size_t errsz)
{
	const char *c1, *c2;
	char slice[OCI_PATH_MAX], unit[OCI_PATH_MAX];
	size_t n = strlen(cp);
	int w;

	if (n == 0 || n >= OCI_PATH_MAX)
		return errf(err, errsz, "cgroupsPath: empty or too long");
	c1 = cp[0] == '/' ? NULL : strchr(cp, ':');
	if (!c1) {
		/* cgroupfs driver: a path below the cgroup v2 root */
		w = snprintf(out, outsz, "%s%s", cp[0] == '/' ? "" : "/", cp);
		if (w < 0 || (size_t)w >= outsz)
			return errf(err, errsz, "cgroupsPath: too long");
		while (w > 1 && out[w - 1] == '/')
			out[--w] = '\0';
		if (!path_valid(out, (size_t)w))
			return errf(err, errsz,
				    "cgroupsPath: '%s' is not a path of printable characters without "
				    "spaces, '.' or '..' components", shown(cp, n));
		return 0;
	}
	/* systemd driver: SLICE:PREFIX:NAME */
	c2 = strchr(c1 + 1, ':');
	if (!c2 || strchr(c2 + 1, ':'))
		return errf(err, errsz, "cgroupsPath: '%s' is neither a path nor SLICE:PREFIX:NAME",
			    shown(cp, n));
	snprintf(slice, sizeof(slice), "%.*s", (int)(c1 - cp), cp);
	if (!slice[0])
		snprintf(slice, sizeof(slice), "system.slice");
	if (slice_expand(slice, out, outsz, err, errsz) < 0)
		return -1;
	if (!c2[1])
		return errf(err, errsz, "cgroupsPath: '%s' has no unit name", shown(cp, n));
	if (n > 6 && strcmp(cp + n - 6, ".slice") == 0)
		w = snprintf(unit, sizeof(unit), "%s", c2 + 1);
	else if (c2 > c1 + 1)
		w = snprintf(unit, sizeof(unit), "%.*s-%s.scope", (int)(c2 - c1 - 1), c1 + 1, c2 + 1);
	else
		w = snprintf(unit, sizeof(unit), "%s.scope", c2 + 1);
	if (w < 0 || (size_t)w >= sizeof(unit) || strlen(out) + 1 + (size_t)w >= outsz)
		return errf(err, errsz, "cgroupsPath: too long");
	strcat(out, "/");
	strcat(out, unit);
	if (!path_valid(out, strlen(out)))
		return errf(err, errsz,
			    "cgroupsPath: '%s' expands to a path the control protocol cannot carry",
			    shown(cp, n));
	return 0;
}

static int proc_cgroup(const char *proc_root, pid_t pid, char *out, size_t outsz, char *err,
		       size_t errsz)
{
	char path[PATH_MAX], *buf, *line, *save = NULL;
	size_t len;
	int ret = -1;

	snprintf(path, sizeof(path), "%s/%d/cgroup", proc_root ? proc_root : "/proc", (int)pid);
	if (read_small(path, OCI_PROC_CG_MAX, &buf, &len, "cgroup", err, errsz) < 0)
		return -1;
	buf[len] = '\0';
	if (strlen(buf) != len) {
		errf(err, errsz, "cgroup: %s holds a NUL byte", path);
		goto out;
	}
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		size_t n;

		if (strncmp(line, "0::", 3))
			continue;
		line += 3;
		n = strlen(line);
		if (n >= 10 && strcmp(line + n - 10, " (deleted)") == 0) {
			errf(err, errsz, "cgroup: process %d is in a removed cgroup", (int)pid);
			goto out;
		}
		if (!path_valid(line, n) || n >= outsz) {
			errf(err, errsz, "cgroup: process %d's cgroup '%s' is not a path the control "
			     "protocol can carry", (int)pid, shown(line, n));
			goto out;
		}
		memcpy(out, line, n + 1);
		ret = 0;
		goto out;
	}
	errf(err, errsz, "cgroup: %s has no cgroup v2 (0::) line", path);
out:
	free(buf);
	return ret;
}

int oci_state_find_cgroup(struct oci_state *st, const char *proc_root, char *err, size_t errsz)
{
	if (st->pid > 0)
		return proc_cgroup(proc_root, st->pid, st->cgroup, sizeof(st->cgroup), err, errsz);
	if (st->cgroups_path[0])
		return oci_cgroups_path_expand(st->cgroups_path, st->cgroup, sizeof(st->cgroup), err,
					       errsz);
	return errf(err, errsz, "cgroup: neither a pid nor linux.cgroupsPath to find it from");
}

/* ---- discovery ---- */

/* n bytes of s: at least 8 of [0-9a-f_-] */
static bool pod_uid_ok(const char *s, size_t n)
{
	if (n < 8)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') || s[i] == '_' ||
		      s[i] == '-'))
			return false;
	return true;
}

int oci_pod_cgroup(const char *cgpath, char *out, size_t outsz)
{
	const char *last, *name, *p;
	size_t plen, nlen;

	if (!cgpath || cgpath[0] != '/')
		return 0;
	last = strrchr(cgpath, '/');
	if (last == cgpath || !last[1])
		return 0;                       /* the parent is the root, or a trailing '/' */
	plen = (size_t)(last - cgpath);
	for (name = last - 1; name > cgpath && *name != '/'; name--)
		;
	name++;
	nlen = (size_t)(last - name);
	if (nlen > 3 && !strncmp(name, "pod", 3) && pod_uid_ok(name + 3, nlen - 3))
		goto found;                     /* cgroupfs: pod<UID> */
	if (nlen > 14 && !strncmp(name, "kubepods", 8) && !memcmp(name + nlen - 6, ".slice", 6)) {
		/* systemd: kubepods[-qos]-pod<UID>.slice: the last "-pod" */
		for (p = name + nlen - 6; p > name + 8; p--)
			if (!strncmp(p - 4, "-pod", 4))
				break;
		if (p > name + 8 && pod_uid_ok(p, (size_t)(name + nlen - 6 - p)))
			goto found;
	}
	return 0;
found:
	if (plen + 1 > outsz)
		return 0;
	memcpy(out, cgpath, plen);
	out[plen] = '\0';
	return 1;
}

static bool pid_alive(pid_t pid)
{
	return pid > 0 && (kill(pid, 0) == 0 || errno == EPERM);
}

/* a ends with b at a component boundary */
static bool path_suffix(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (lb > la || strcmp(a + la - lb, b))
		return false;
	return la == lb || b[0] == '/';
}

/* One container directory: config.json and a pid file in dir. */
static int discover_one(const struct oci_discover_opts *o, const char *dir, const char *id,
			const char *pidfile, int *count)
{
	struct oci_state st;
	char err[512], path[OCI_PATH_MAX + 32], want[OCI_PATH_MAX], *buf = NULL;
	size_t len;
	int r;

	memset(&st, 0, sizeof(st));
	if (!id_valid(id, strlen(id))) {
		if (o->skip)
			o->skip(o->ctx, dir, "directory name is not a container id");
		return 0;
	}
	snprintf(st.id, sizeof(st.id), "%s", id);
	snprintf(st.status, sizeof(st.status), "running");
	if (join_path(NULL, dir, st.bundle, sizeof(st.bundle), "bundle", err, sizeof(err)) < 0)
		goto skip;
	snprintf(path, sizeof(path), "%s/%s", dir, pidfile);
	if (read_small(path, OCI_PIDFILE_MAX, &buf, &len, "pid file", err, sizeof(err)) < 0)
		goto skip;
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
		len--;
	r = parse_pid(buf, len, &st.pid);
	free(buf);
	if (r < 0 || st.pid <= 0) {
		errf(err, sizeof(err), "%s does not hold a process id", path);
		goto skip;
	}
	if (!pid_alive(st.pid)) {
		errf(err, sizeof(err), "process %d is not running", (int)st.pid);
		goto skip;
	}
	if (oci_state_read_config(&st, NULL, err, sizeof(err)) < 0)
		goto skip;
	if (oci_state_find_cgroup(&st, o->proc_root, err, sizeof(err)) < 0)
		goto skip;
	if (st.cgroups_path[0]) {
		if (oci_cgroups_path_expand(st.cgroups_path, want, sizeof(want), err, sizeof(err)) < 0)
			goto skip;
		if (!path_suffix(st.cgroup, want)) {
			errf(err, sizeof(err), "process %d is in %s, not in the container's cgroup %s "
				 "(a recycled pid?)", (int)st.pid, st.cgroup, want);
			goto skip;
		}
	}
	r = o->found(o->ctx, &st);
	if (r)
		return r;
	(*count)++;
	return 0;
skip:
	if (o->skip)
		o->skip(o->ctx, dir, err);
	return 0;
}

static bool is_dir_at(int dfd, const char *name)
{
	struct stat sb;

	return fstatat(dfd, name, &sb, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(sb.st_mode);
}

/* Sorted entries of a directory (bounded), or NULL with errno. */
static char **list_dir(const char *path, size_t *n)
{
	DIR *d = opendir(path);
	struct dirent *e;
	char **v = NULL;
	size_t cap = 0;

	*n = 0;
	if (!d)
		return NULL;
	while ((e = readdir(d)) && *n < OCI_DISCOVER_MAX) {
		if (e->d_name[0] == '.' || !is_dir_at(dirfd(d), e->d_name))
			continue;
		if (*n == cap) {
			char **nv = realloc(v, (cap ? cap * 2 : 16) * sizeof(*v));

			if (!nv)
				break;
			v = nv;
			cap = cap ? cap * 2 : 16;
		}
		v[*n] = strdup(e->d_name);
		if (!v[*n])
			break;
		(*n)++;
	}
	closedir(d);
	if (!v)
		v = calloc(1, sizeof(*v));
	if (v)
		qsort(v, *n, sizeof(*v), keys_cmp);
	return v;
}

static void list_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int oci_discover_opts(const struct oci_discover_opts *o)
{
	const char *cd = o->containerd_dir ? o->containerd_dir : OCI_CONTAINERD_DIR;
	const char *cr = o->crio_dir ? o->crio_dir : OCI_CRIO_DIR;
	char path[PATH_MAX];
	char **a, **b;
	size_t na, nb;
	int count = 0, r = 0;

	if (cd[0]) {
		a = list_dir(cd, &na);
		if (!a && errno != ENOENT)
			return -errno;
		for (size_t i = 0; a && i < na && !r; i++) {
			snprintf(path, sizeof(path), "%s/%s", cd, a[i]);
			b = list_dir(path, &nb);
			for (size_t j = 0; b && j < nb && !r; j++) {
				char dir[PATH_MAX];

				if (snprintf(dir, sizeof(dir), "%s/%s", path, b[j]) >= (int)sizeof(dir))
					continue;
				r = discover_one(o, dir, b[j], "init.pid", &count);
			}
			if (b)
				list_free(b, nb);
		}
		if (a)
			list_free(a, na);
	}
	if (cr[0] && !r) {
		a = list_dir(cr, &na);
		if (!a && errno != ENOENT)
			return -errno;
		for (size_t i = 0; a && i < na && !r; i++) {
			if (snprintf(path, sizeof(path), "%s/%s/userdata", cr, a[i]) >= (int)sizeof(path))
				continue;
			if (access(path, F_OK) < 0)
				continue;
			r = discover_one(o, path, a[i], "pidfile", &count);
		}
		if (a)
			list_free(a, na);
	}
	return r ? r : count;
}

int oci_discover(oci_found_fn fn, void *ctx)
{
	struct oci_discover_opts o = { .found = fn, .ctx = ctx };

	return oci_discover_opts(&o);
}
