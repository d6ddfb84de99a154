// SPDX-License-Identifier: GPL-2.0-only
/*
 * bindings.c - cgroups bound at run time by the `bind` request (the OCI hook
 * for Kubernetes pods, or any integration): cgroup path + pod namespace/name
 * + container root.  This file keeps the records (validated, pruned when the
 * cgroup is gone, saved in a state file so that a restarted enforcerd binds
 * them again); policy_apply.c writes them into the maps, at once for the
 * live generation and in every reload.  A container of a Kubernetes pod
 * (namespace given, its cgroup inside a kubelet pod cgroup) is bound at the
 * pod's cgroup: every container of the pod, the sandbox (pause) included, is
 * governed, also where the runtime runs no hook for the sandbox.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "daemon.h"
#include "oci_state.h"
#include "handlers.h"

#define DYN_MAX 65536

static struct dyn_bind *dyn;
static size_t ndyn, dyn_cap;

static bool valid_word(const char *s, size_t max)
{
	size_t n = s ? strlen(s) : 0;

	if (!n || n > max)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
			return false;
	return true;
}

/* An absolute, normalised cgroup path (no "..", ".", "//"). */
static bool valid_cgpath(const char *p)
{
	if (!valid_word(p, ENF_CG_PATH_MAX - 1) || p[0] != '/')
		return false;
	if (strstr(p, "//") || strstr(p, "/./") || strstr(p, "/../"))
		return false;
	size_t n = strlen(p);
	if (n > 1 && p[n - 1] == '/')
		return false;
	if ((n >= 2 && !strcmp(p + n - 2, "/.")) || (n >= 3 && !strcmp(p + n - 3, "/..")))
		return false;
	return true;
}

static void dyn_free_one(struct dyn_bind *b)
{
	free(b->cgpath);
	free(b->ns);
	free(b->pod);
	free(b->container);
	free(b->root);
}

const struct dyn_bind *bindings_get(size_t *n)
{
	*n = ndyn;
	return dyn;
}

static char *state_path(void)
{
	static char p[PATH_MAX];
	const char *slash = strrchr(D.socket_path, '/');

	snprintf(p, sizeof(p), "%.*s/bindings", slash ? (int)(slash - D.socket_path) : 1,
		 slash ? D.socket_path : ".");
	return p;
}

/* Rewrite the state file atomically (tmp + rename). */
static void save(void)
{
	char tmp[PATH_MAX + 8];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", state_path());
	f = fopen(tmp, "we");
	if (!f)
		return;
	for (size_t i = 0; i < ndyn; i++)
		fprintf(f, "%s %s %s %s %s\n", dyn[i].cgpath, dyn[i].ns ? dyn[i].ns : "-",
			dyn[i].pod ? dyn[i].pod : "-", dyn[i].container ? dyn[i].container : "-",
			dyn[i].root ? dyn[i].root : "-");
	if (fclose(f) == 0)
		rename(tmp, state_path());
	else
		unlink(tmp);
}

static char *dup_or_null(const char *s)
{
	return s && *s && strcmp(s, "-") ? strdup(s) : NULL;
}

/* Record (or replace) one binding.  Returns 0 or -errno with msg set. */
static int record(const char *cgpath, const char *ns, const char *pod, const char *container,
		  const char *root, char *msg, size_t msgsz)
{
	size_t i;

	if (!valid_cgpath(cgpath)) {
		snprintf(msg, msgsz, "bad cgroup path (absolute, normalised, at most %d bytes)",
			 ENF_CG_PATH_MAX - 1);
		return -EINVAL;
	}
	if ((ns && !valid_word(ns, 63)) || (pod && !valid_word(pod, 253)) ||
	    (container && !valid_word(container, 128)) || (root && (!valid_word(root, PATH_MAX / 2) ||
								     root[0] != '/'))) {
		snprintf(msg, msgsz, "bad namespace, pod, container or root value");
		return -EINVAL;
	}
	for (i = 0; i < ndyn; i++)
		if (!strcmp(dyn[i].cgpath, cgpath))
			break;
	if (i == ndyn) {
		if (ndyn >= DYN_MAX) {
			snprintf(msg, msgsz, "too many bindings (max %d)", DYN_MAX);
			return -E2BIG;
		}
		if (ndyn == dyn_cap) {
			struct dyn_bind *nv = realloc(dyn, (dyn_cap ? dyn_cap * 2 : 64) * sizeof(*nv));

			if (!nv) {
				snprintf(msg, msgsz, "out of memory");
				return -ENOMEM;
			}
			dyn = nv;
			dyn_cap = dyn_cap ? dyn_cap * 2 : 64;
		}
		ndyn++;
	} else {
		dyn_free_one(&dyn[i]);
	}
	memset(&dyn[i], 0, sizeof(dyn[i]));
	dyn[i].cgpath = strdup(cgpath);
	dyn[i].ns = dup_or_null(ns);
	dyn[i].pod = dup_or_null(pod);
	dyn[i].container = dup_or_null(container);
	dyn[i].root = dup_or_null(root);
	if (!dyn[i].cgpath) {
		ndyn--;
		snprintf(msg, msgsz, "out of memory");
		return -ENOMEM;
	}
	/* a pod's container: its pod's cgroup gets a record of its own */
	if (dyn[i].ns) {
		char podcg[ENF_CG_PATH_MAX];

		if (oci_pod_cgroup(cgpath, podcg, sizeof(podcg)) == 1) {
			int ret = record(podcg, ns, pod, NULL, NULL, msg, msgsz);

			dyn[i].via_pod = ret == 0;   /* dyn may have moved: by index */
			return ret;
		}
	}
	return 0;
}

/* The record whose cgroup the policies of a bind of cgpath go to. */
static struct dyn_bind *target_of(const char *cgpath)
{
	char podcg[ENF_CG_PATH_MAX];
	size_t i;

	for (i = 0; i < ndyn && strcmp(dyn[i].cgpath, cgpath); i++)
		;
	if (i == ndyn)
		return NULL;
	if (dyn[i].via_pod && oci_pod_cgroup(cgpath, podcg, sizeof(podcg)) == 1)
		return target_of(podcg);
	return &dyn[i];
}

/* Drop bindings whose cgroup is gone (containers that ended). */
static void prune(void)
{
	size_t j = 0;

	for (size_t i = 0; i < ndyn; i++) {
		uint64_t id;

		if (cgroupfs_id(dyn[i].cgpath, &id) < 0) {
			dyn_free_one(&dyn[i]);
			continue;
		}
		dyn[j++] = dyn[i];
	}
	ndyn = j;
}

/* The policy ids of set that a binding gets. */
static size_t match_ids(const struct dyn_bind *b, uint32_t *ids, const char **names, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < D.cur.n && n < max; i++)
		if (policy_matches_pod(&D.cur.pol[i], b->ns, b->pod)) {
			names[n] = D.cur.pol[i].name;
			ids[n++] = D.cur_ids[i];
		}
	return n;
}

int handle_bind(struct jbuf *out, const struct proto_req *req)
{
	int argc = req->argc - 1;                 /* the words after "bind" */
	char *const *argv = req->argv + 1;
	const char *cgpath = NULL, *ns = NULL, *pod = NULL, *container = NULL, *root = NULL;
	const char *pid = NULL;
	const char *names[ENF_MAX_BIND];
	uint32_t ids[ENF_MAX_BIND];
	char msg[320] = "", bound[ENF_CG_PATH_MAX] = "";
	struct dyn_bind *tgt;
	size_t n = 0;
	int ret = -EINVAL;

	for (int i = 0; i < argc; i++) {
		if (!strncmp(argv[i], "namespace=", 10))
			ns = argv[i] + 10;
		else if (!strncmp(argv[i], "pod=", 4))
			pod = argv[i] + 4;
		else if (!strncmp(argv[i], "container=", 10))
			container = argv[i] + 10;
		else if (!strncmp(argv[i], "root=", 5))
			root = argv[i] + 5;
		else if (!strncmp(argv[i], "pid=", 4))
			pid = argv[i] + 4;
		else if (argv[i][0] == '/' && !cgpath)
			cgpath = argv[i];
		else {
			snprintf(msg, sizeof(msg), "bind: unexpected argument '%.64s' (usage: bind CGROUP_PATH "
				 "[namespace=NS] [pod=NAME] [container=ID] [root=PATH] [pid=PID])", argv[i]);
			goto fail;
		}
	}
	if (!cgpath) {
		snprintf(msg, sizeof(msg), "bind: missing CGROUP_PATH (usage: bind CGROUP_PATH "
			 "[namespace=NS] [pod=NAME] [container=ID] [root=PATH])");
		goto fail;
	}
	ret = record(cgpath, ns, pod, container, root, msg, sizeof(msg));
	if (ret)
		goto fail;
	tgt = target_of(cgpath);
	if (tgt) {
		n = match_ids(tgt, ids, names, ENF_MAX_BIND);
		ret = policy_apply_bind(tgt, ids, n, dyn, ndyn);
		if (strcmp(tgt->cgpath, cgpath))
			snprintf(bound, sizeof(bound), "%s", tgt->cgpath);
	}
	if (ret) {
		snprintf(msg, sizeof(msg), "bind: %s", ret == -E2BIG ? "more than 8 policies bound to this cgroup"
								   : strerror(-ret));
		goto fail;
	}
	if (pid && (ret = policy_apply_mark_setup(cgpath)) < 0) {
		snprintf(msg, sizeof(msg), "bind: pid=%.16s: marking the runtime's setup phase: %s", pid,
			 strerror(-ret));
		goto fail;
	}
	prune();
	save();
	jb_obj_open(out);
	jb_kbool(out, "ok", true);
	jb_kstr(out, "cgroup", cgpath);
	if (bound[0])
		jb_kstr(out, "pod_cgroup", bound);
	jb_key(out, "policies");
	jb_arr_open(out);
	for (size_t i = 0; i < n; i++)
		jb_str(out, names[i]);
	jb_arr_close(out);
	jb_obj_close(out);
	log_info("bind: %s%s%s (namespace %s, pod %s): %zu policies", cgpath, bound[0] ? " at its pod's cgroup " : "",
		 bound, ns ? ns : "-", pod ? pod : "-", n);
	return 0;
fail:
	jb_obj_open(out);
	jb_kbool(out, "ok", false);
	jb_kstr(out, "error", msg);
	jb_obj_close(out);
	return ret ? ret : -EINVAL;
}

/* Start-up: the state file of a previous enforcerd, then running containers. */
static void found(void *ctx, const char *cgpath, const char *ns, const char *pod,
		  const char *container, const char *root)
{
	char msg[160];

	(void)ctx;
	record(cgpath, ns, pod, container, root, msg, sizeof(msg));
}

void bindings_load(void)
{
	FILE *f = fopen(state_path(), "re");
	char line[PATH_MAX * 2];

	if (f) {
		while (fgets(line, sizeof(line), f)) {
			char a[5][PATH_MAX / 2 + 1];

			if (sscanf(line, "%2048s %2048s %2048s %2048s %2048s", a[0], a[1], a[2], a[3], a[4]) == 5)
				found(NULL, a[0], a[1], a[2], a[3], a[4]);
		}
		fclose(f);
	}
	oci_discover_bindings(found, NULL);
	prune();
}
