/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * oci_state.h - reads what an OCI runtime knows about a container: the
 * runtime state document that hooks receive on stdin, the bundle's
 * config.json, the Kubernetes pod identity in their annotations (containerd
 * and CRI-O spellings), the container's cgroup (v2), and finds the running
 * containers of containerd and CRI-O from their state directories.
 *
 * Everything read is treated as hostile: documents are size-bounded, every
 * string is checked (no NUL, bounded, the characters each field allows) and
 * every refusal comes with a message naming the field.  What oci_state
 * returns is safe to put on a control request line (printable ASCII, no
 * spaces).
 */
#ifndef ENFORCER_OCI_STATE_H
#define ENFORCER_OCI_STATE_H

#include <stddef.h>
#include <sys/types.h>

#define OCI_STATE_MAX   (1024 * 1024)       /* bytes of a state document */
#define OCI_CONFIG_MAX  (16 * 1024 * 1024)  /* bytes of a bundle's config.json */
#define OCI_ID_MAX      128                 /* container id: [A-Za-z0-9_+.-] */
#define OCI_PATH_MAX    1024                /* bundle, rootfs, cgroup paths */
#define OCI_NS_MAX      63                  /* Kubernetes namespace: DNS-1123 label */
#define OCI_POD_MAX     253                 /* pod name: DNS-1123 subdomain */
#define OCI_CNAME_MAX   63                  /* container name: DNS-1123 label */

/* Annotation keys (runtime-set). */
#define OCI_ANN_CONTAINERD_NS    "io.kubernetes.cri.sandbox-namespace"
#define OCI_ANN_CONTAINERD_POD   "io.kubernetes.cri.sandbox-name"
#define OCI_ANN_CONTAINERD_CNAME "io.kubernetes.cri.container-name"
#define OCI_ANN_CONTAINERD_TYPE  "io.kubernetes.cri.container-type"
#define OCI_ANN_CRIO_NS          "io.kubernetes.pod.namespace"
#define OCI_ANN_CRIO_POD         "io.kubernetes.pod.name"
#define OCI_ANN_CRIO_CNAME       "io.kubernetes.container.name"
#define OCI_ANN_CRIO_TYPE        "io.kubernetes.cri-o.ContainerType"

struct oci_state {
	char id[OCI_ID_MAX + 1];           /* "" when unknown (discovery: the directory name) */
	char status[16];                   /* creating|created|running|stopped or "" */
	pid_t pid;                         /* 0 when unknown */
	char bundle[OCI_PATH_MAX];         /* absolute, or "" */
	char root[OCI_PATH_MAX];           /* absolute rootfs path (bundle + root.path), or "" */
	char ns[OCI_NS_MAX + 1];           /* pod namespace, "" when not a Kubernetes container */
	char pod[OCI_POD_MAX + 1];         /* pod name, or "" */
	char container_name[OCI_CNAME_MAX + 1]; /* or "" */
	char sandbox[16];                  /* "sandbox" (the pause container), "container" or "" */
	char cgroups_path[OCI_PATH_MAX];   /* config.json linux.cgroupsPath as written, or "" */
	char cgroup[OCI_PATH_MAX];         /* cgroup v2 path "/..." (oci_state_find_cgroup), or "" */
};

/*
 * Parse a state document (what a hook reads on stdin):
 *   {"ociVersion":..,"id":..,"status":..,"pid":N,"bundle":"/..","annotations":{..}}
 * into st (zeroed first).  The bundle's config.json is not read here: call
 * oci_state_read_config next.  Returns 0, or -1 with a message in err.
 */
int oci_state_parse(const char *doc, size_t len, struct oci_state *st, char *err, size_t errsz);

/* Read config.json from st->bundle (or the file path given) and fill in what
 * it holds that st lacks: root, annotations' pod identity, cgroups_path.
 * Returns 0, or -1 with a message in err. */
int oci_state_read_config(struct oci_state *st, const char *config_path, char *err, size_t errsz);
/* The same from a config document in memory (dir: what root.path is
 * relative to).  For tests and for callers that read the file themselves. */
int oci_config_parse(const char *doc, size_t len, const char *dir, struct oci_state *st,
		     char *err, size_t errsz);

/*
 * Find the container's cgroup into st->cgroup: from /proc/PID/cgroup's
 * "0::/PATH" line when st->pid is set (proc_root: "/proc" unless testing),
 * otherwise from st->cgroups_path (a plain "/path", or the systemd driver's
 * "SLICE:PREFIX:NAME" expanded to /a.slice/a-b.slice/PREFIX-NAME.scope).
 * Returns 0, or -1 with a message in err.
 */
int oci_state_find_cgroup(struct oci_state *st, const char *proc_root, char *err, size_t errsz);

/* The cgroup v2 path that cgroupsPath names (either form), into out.
 * Returns 0, or -1 with a message in err. */
int oci_cgroups_path_expand(const char *cgroups_path, char *out, size_t outsz, char *err, size_t errsz);

/*
 * The kubelet's pod cgroup that holds container cgroup cgpath, into out:
 * the parent of cgpath when its name is a pod cgroup's,
 *   cgroupfs driver: "pod<UID>"                    (/kubepods/besteffort/pod<UID>/<ID>)
 *   systemd driver:  "kubepods[-<qos>]-pod<UID>.slice" (.../kubepods-besteffort-pod<UID>.slice/
 *                                                   cri-containerd-<ID>.scope)
 * with UID at least 8 of [0-9a-f_-].  Every container of a pod, its sandbox
 * (pause) included, lives below that cgroup.  Returns 1 with out set, 0 when
 * the parent is not a pod cgroup (out untouched).
 */
int oci_pod_cgroup(const char *cgpath, char *out, size_t outsz);

/*
 * Running containers.  For each container directory under the runtimes'
 * state directories whose pid is alive and lives in the cgroup its
 * config.json names (a recycled pid is skipped), fn is called with its
 * state.  A container that cannot be read is passed to skip (when not
 * NULL) with the reason, and discovery goes on.  fn returning non-zero
 * stops the scan with that value.
 *   containerd: DIR/<namespace>/<id>/{config.json,init.pid}
 *               DIR = /run/containerd/io.containerd.runtime.v2.task
 *   CRI-O:      DIR/<id>/userdata/{config.json,pidfile}
 *               DIR = /run/containers/storage/overlay-containers
 * Returns the number of containers passed to fn, or fn's non-zero value,
 * or -errno when a state directory exists but cannot be read.
 */
typedef int (*oci_found_fn)(void *ctx, const struct oci_state *st);
typedef void (*oci_skip_fn)(void *ctx, const char *dir, const char *why);

#define OCI_CONTAINERD_DIR "/run/containerd/io.containerd.runtime.v2.task"
#define OCI_CRIO_DIR       "/run/containers/storage/overlay-containers"

struct oci_discover_opts {
	const char *containerd_dir;   /* NULL: OCI_CONTAINERD_DIR, "" to skip */
	const char *crio_dir;         /* NULL: OCI_CRIO_DIR, "" to skip */
	const char *proc_root;        /* NULL: "/proc" */
	oci_found_fn found;
	oci_skip_fn skip;             /* may be NULL */
	void *ctx;
};

int oci_discover(oci_found_fn fn, void *ctx);
int oci_discover_opts(const struct oci_discover_opts *o);

#endif
