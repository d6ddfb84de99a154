// SPDX-License-Identifier: GPL-2.0-only
/* test_oci_state.c - OCI state documents and bundle config.json as containerd
 * and CRI-O write them, the Kubernetes identity in their annotations, the
 * container's cgroup (/proc and both cgroupsPath forms), hostile documents
 * refused with clear errors, discovery from fake runtime state directories,
 * and build/enforcer-oci-hook against a fake control socket (the bind line
 * it sends, fail closed, fail open). */
#define _GNU_SOURCE
/* test paths are short; truncation of the fixed buffers cannot happen here */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wformat-truncation"
#endif
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "oci_state.h"
#include "tap.h"

static char tmp[256];

/* arrays through a pointer, so that is_string does not warn about them */
static const char *S(const char *s) { return s; }
static char err[1024];

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f || fputs(text, f) < 0 || fclose(f))
		bail("cannot write test file");
}

static void mkdirs(const char *path)
{
	char b[512];

	snprintf(b, sizeof(b), "mkdir -p '%s'", path);
	if (system(b))
		bail("mkdir");
}

static int parse(const char *doc, struct oci_state *st)
{
	err[0] = '\0';
	return oci_state_parse(doc, strlen(doc), st, err, sizeof(err));
}

/* state doc is refused and the message holds want */
static void refused(const char *doc, const char *want, const char *what)
{
	struct oci_state st;
	int r = parse(doc, &st);

	ok(r == -1 && strstr(err, want) && st.id[0] == '\0', "refused: %s", what);
	if (r != -1 || !strstr(err, want))
		diag("  rc %d, error '%s', expected to contain '%s'", r, err, want);
}

static void config_refused(const char *doc, const char *want, const char *what)
{
	struct oci_state st;
	int r;

	memset(&st, 0, sizeof(st));
	snprintf(st.bundle, sizeof(st.bundle), "/b");
	err[0] = '\0';
	r = oci_config_parse(doc, strlen(doc), "/b", &st, err, sizeof(err));
	ok(r == -1 && strstr(err, want) && !st.root[0] && !st.ns[0],
	   "config refused: %s", what);
	if (r != -1 || !strstr(err, want))
		diag("  rc %d, error '%s', expected to contain '%s'", r, err, want);
}

static void expand(const char *cp, const char *want)
{
	char out[OCI_PATH_MAX];

	err[0] = '\0';
	if (oci_cgroups_path_expand(cp, out, sizeof(out), err, sizeof(err)) < 0)
		snprintf(out, sizeof(out), "ERROR: %s", err);
	is_string(S(out), S(want), "cgroupsPath '%s'", cp);
}

static void test_containerd(void)
{
	char bundle[512], cfg[512], doc[2048], proc[512];
	struct oci_state st;

	/* containerd (runc/crun shim): annotations in config.json only */
	snprintf(bundle, sizeof(bundle), "%s/io.containerd.runtime.v2.task/k8s.io/abc123", tmp);
	mkdirs(bundle);
	snprintf(cfg, sizeof(cfg), "%s/config.json", bundle);
	put(cfg,
	    "{\"ociVersion\":\"1.1.0\",\"process\":{\"args\":[\"/pause\"]},"
	    "\"root\":{\"path\":\"rootfs\",\"readonly\":true},"
	    "\"annotations\":{\"io.kubernetes.cri.container-type\":\"container\","
	    "\"io.kubernetes.cri.sandbox-namespace\":\"payments\","
	    "\"io.kubernetes.cri.sandbox-name\":\"api-7d9f8-x2x\","
	    "\"io.kubernetes.cri.container-name\":\"app\","
	    "\"io.kubernetes.cri.sandbox-uid\":\"0b5e-11\"},"
	    "\"linux\":{\"cgroupsPath\":\"kubepods-besteffort-pod0b5e_11.slice:cri-containerd:abc123\","
	    "\"namespaces\":[{\"type\":\"pid\"}]}}\n");
	snprintf(doc, sizeof(doc),
		 "{\"ociVersion\":\"1.0.2\",\"id\":\"abc123\",\"status\":\"creating\",\"pid\":4242,"
		 "\"bundle\":\"%s\"}", bundle);
	is_int(parse(doc, &st), 0, "containerd state parses");
	is_string(S(st.id), "abc123", "containerd: id");
	is_int(st.pid, 4242, "containerd: pid");
	is_string(S(st.status), "creating", "containerd: status");
	is_string(S(st.ns), "", "containerd: no identity before config.json");
	is_int(oci_state_read_config(&st, NULL, err, sizeof(err)), 0, "containerd config.json reads");
	is_string(S(st.ns), "payments", "containerd: namespace from config annotations");
	is_string(S(st.pod), "api-7d9f8-x2x", "containerd: pod");
	is_string(S(st.container_name), "app", "containerd: container name");
	is_string(S(st.sandbox), "container", "containerd: container type");
	snprintf(doc, sizeof(doc), "%s/rootfs", bundle);
	is_string(S(st.root), S(doc), "containerd: root is bundle/rootfs");
	is_string(S(st.cgroups_path), "kubepods-besteffort-pod0b5e_11.slice:cri-containerd:abc123",
		  "containerd: cgroupsPath kept as written");

	/* its cgroup from /proc */
	snprintf(proc, sizeof(proc), "%s/proc/4242", tmp);
	mkdirs(proc);
	strcat(proc, "/cgroup");
	put(proc, "0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod0b5e_11.slice/"
		  "cri-containerd-abc123.scope\n");
	snprintf(proc, sizeof(proc), "%s/proc", tmp);
	is_int(oci_state_find_cgroup(&st, proc, err, sizeof(err)), 0, "containerd: cgroup found");
	is_string(S(st.cgroup), "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod0b5e_11.slice/"
		  "cri-containerd-abc123.scope", "containerd: cgroup from /proc/PID/cgroup");
	/* without a pid: from cgroupsPath */
	st.pid = 0;
	st.cgroup[0] = '\0';
	is_int(oci_state_find_cgroup(&st, proc, err, sizeof(err)), 0, "no pid: cgroup from cgroupsPath");
	is_string(S(st.cgroup), "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod0b5e_11.slice/"
		  "cri-containerd-abc123.scope", "no pid: systemd cgroupsPath expanded");

	/* state annotations win over config.json's */
	snprintf(doc, sizeof(doc),
		 "{\"id\":\"abc123\",\"status\":\"creating\",\"pid\":4242,\"bundle\":\"%s\","
		 "\"annotations\":{\"io.kubernetes.cri.sandbox-namespace\":\"dev\","
		 "\"io.kubernetes.cri.sandbox-name\":\"p\"}}", bundle);
	is_int(parse(doc, &st), 0, "state with annotations parses");
	is_int(oci_state_read_config(&st, NULL, err, sizeof(err)), 0, "... and its config.json");
	is_string(S(st.ns), "dev", "state annotations are not overridden by config.json");
}

static void test_crio(void)
{
	char dir[512], cfg[512], doc[2048];
	struct oci_state st;

	snprintf(dir, sizeof(dir), "%s/overlay-containers/def456/userdata", tmp);
	mkdirs(dir);
	snprintf(cfg, sizeof(cfg), "%s/config.json", dir);
	put(cfg,
	    "{\"ociVersion\":\"1.0.2-dev\","
	    "\"root\":{\"path\":\"/var/lib/containers/storage/overlay/9f3a/merged\"},"
	    "\"annotations\":{\"io.kubernetes.pod.namespace\":\"dev\",\"io.kubernetes.pod.name\":\"web-0\","
	    "\"io.kubernetes.container.name\":\"nginx\",\"io.kubernetes.cri-o.ContainerType\":\"container\","
	    "\"io.kubernetes.pod.uid\":\"77-1\"},"
	    "\"linux\":{\"cgroupsPath\":\"/kubepods/besteffort/pod77-1/def456\"}}");
	snprintf(doc, sizeof(doc),
		 "{\"ociVersion\":\"1.0.2-dev\",\"id\":\"def456\",\"status\":\"created\",\"pid\":77,"
		 "\"bundle\":\"%s\",\"annotations\":{\"io.kubernetes.pod.namespace\":\"dev\","
		 "\"io.kubernetes.pod.name\":\"web-0\",\"io.kubernetes.container.name\":\"nginx\"}}", dir);
	is_int(parse(doc, &st), 0, "CRI-O state parses");
	is_string(S(st.ns), "dev", "CRI-O: namespace from state annotations");
	is_string(S(st.pod), "web-0", "CRI-O: pod");
	is_string(S(st.container_name), "nginx", "CRI-O: container name");
	is_int(oci_state_read_config(&st, NULL, err, sizeof(err)), 0, "CRI-O config.json reads");
	is_string(S(st.root), "/var/lib/containers/storage/overlay/9f3a/merged", "CRI-O: absolute root.path");
	st.pid = 0;
	is_int(oci_state_find_cgroup(&st, "/nonexistent", err, sizeof(err)), 0, "CRI-O: cgroup from plain cgroupsPath");
	is_string(S(st.cgroup), "/kubepods/besteffort/pod77-1/def456", "CRI-O: cgroupfs path as is");

	/* both runtimes' keys, agreeing: fine; disagreeing: refused */
	is_int(parse("{\"id\":\"x\",\"annotations\":{\"io.kubernetes.pod.namespace\":\"a\","
		     "\"io.kubernetes.cri.sandbox-namespace\":\"a\"}}", &st), 0, "both runtimes' keys agreeing");
	refused("{\"id\":\"x\",\"annotations\":{\"io.kubernetes.pod.namespace\":\"a\","
		"\"io.kubernetes.cri.sandbox-namespace\":\"b\"}}", "annotations disagree",
		"containerd and CRI-O keys disagree");
	/* no Kubernetes annotations: still a container, no identity */
	is_int(parse("{\"ociVersion\":\"1.0.2\",\"id\":\"plain\",\"status\":\"creating\",\"pid\":1,"
		     "\"bundle\":\"/b\",\"annotations\":{\"org.opencontainers.image.title\":\"x\"}}", &st), 0,
	       "a container without Kubernetes annotations parses");
	is_string(S(st.ns), "", "... with no namespace");
}

/* pod cgroup of a container cgroup: both kubelet drivers, and what is not one */
static void pod_is(const char *cg, const char *want)
{
	char out[512] = "untouched";
	int r = oci_pod_cgroup(cg, out, sizeof(out));

	if (want)
		ok(r == 1 && !strcmp(out, want), "pod cgroup of %s: %s (got %d '%s')", cg, want, r, out);
	else
		ok(r == 0 && !strcmp(out, "untouched"), "no pod cgroup for %s (got %d '%s')", cg, r, out);
}

static void test_pod_cgroup(void)
{
	char small[8];

	pod_is("/kubepods/besteffort/pod6f1c2a4e-0b7d-4c59-9a43-1e2f3a4b5c6d/abc123",
	       "/kubepods/besteffort/pod6f1c2a4e-0b7d-4c59-9a43-1e2f3a4b5c6d");
	pod_is("/kubepods/pod6f1c2a4e-0b7d-4c59-9a43-1e2f3a4b5c6d/abc", "/kubepods/pod6f1c2a4e-0b7d-4c59-9a43-1e2f3a4b5c6d");
	pod_is("/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod6f1c2a4e_0b7d_4c59_9a43_1e2f3a4b5c6d.slice/"
	       "cri-containerd-abc.scope",
	       "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod6f1c2a4e_0b7d_4c59_9a43_1e2f3a4b5c6d.slice");
	pod_is("/kubepods.slice/kubepods-pod6f1c2a4e_0b7d_4c59_9a43_1e2f3a4b5c6d.slice/cri-containerd-x.scope",
	       "/kubepods.slice/kubepods-pod6f1c2a4e_0b7d_4c59_9a43_1e2f3a4b5c6d.slice");
	pod_is("/kubepods/besteffort/abc123", NULL);
	pod_is("/kubepods.slice/kubepods-besteffort.slice/cri-containerd-x.scope", NULL);
	pod_is("/pod6f1c2a4e", NULL);                   /* a pod-shaped name, but no parent */
	pod_is("/default/abc", NULL);
	pod_is("/user.slice/podman-12345678.scope/x", NULL);
	pod_is("/machine.slice/podman-pod6f1c2a4e.slice/x", NULL);   /* not kubepods */
	pod_is("/kubepods/podXYZ12345/x", NULL);        /* not hex */
	pod_is("/kubepods/pod1234/x", NULL);            /* too short */
	pod_is("/kubepods-pod.slice/x", NULL);
	pod_is("/", NULL);
	pod_is("relative/pod6f1c2a4e/x", NULL);
	ok(oci_pod_cgroup("/kubepods/pod6f1c2a4e/x", small, sizeof(small)) == 0, "pod cgroup: too small a buffer");
}

static void test_expand(void)
{
	expand("/kubepods/besteffort/pod1234/abcd", "/kubepods/besteffort/pod1234/abcd");
	expand("kubepods/burstable/pod1/c1", "/kubepods/burstable/pod1/c1");
	expand("/kubepods/x/", "/kubepods/x");
	expand("kubepods-burstable-pod12_34.slice:cri-containerd:0123abcd",
	       "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod12_34.slice/cri-containerd-0123abcd.scope");
	expand("kubepods-pod9.slice:crio:ff", "/kubepods.slice/kubepods-pod9.slice/crio-ff.scope");
	expand("-.slice::ctr", "/ctr.scope");
	expand(":docker:id", "/system.slice/docker-id.scope");
	expand("a.slice:p:b.slice", "/a.slice/b.slice");
	expand("notaslice:p:n", "ERROR: cgroupsPath: 'notaslice' is not a systemd slice name");
	expand("a--b.slice:p:n", "ERROR: cgroupsPath: bad slice name 'a--b.slice'");
	expand("a.slice:p", "ERROR: cgroupsPath: 'a.slice:p' is neither a path nor SLICE:PREFIX:NAME");
	expand("a.slice:p:n:x", "ERROR: cgroupsPath: 'a.slice:p:n:x' is neither a path nor SLICE:PREFIX:NAME");
	expand("a.slice:p:", "ERROR: cgroupsPath: 'a.slice:p:' has no unit name");
	expand("/kubepods/../etc", "ERROR: cgroupsPath: '/kubepods/../etc' is not a path of printable characters without spaces, '.' or '..' components");
	expand("/kube pods", "ERROR: cgroupsPath: '/kube pods' is not a path of printable characters without spaces, '.' or '..' components");
	expand("a.slice:p:n/../../x", "ERROR: cgroupsPath: 'a.slice:p:n/../../x' expands to a path the control protocol cannot carry");
	expand("", "ERROR: cgroupsPath: empty or too long");
}

static void test_hostile_state(void)
{
	char *big, *deep;
	struct oci_state st;
	size_t n;

	refused("", "empty document", "empty");
	refused("nope", "not valid JSON", "not JSON");
	refused("{\"id\":\"a\"", "not valid JSON", "truncated");
	refused("{\"id\":\"a\"} x", "not valid JSON", "trailing garbage");
	refused("[1,2]", "not a JSON object", "an array");
	refused("\"id\"", "not a JSON object", "a string");
	refused("{}", "no \"id\"", "no id");
	refused("{\"id\":7}", "\"id\" is not a string", "id a number");
	refused("{\"id\":\"\"}", "is not 1-128 characters", "empty id");
	refused("{\"id\":\"../../etc\"}", "is not 1-128 characters", "id with slashes");
	refused("{\"id\":\"a b\"}", "is not 1-128 characters", "id with a space");
	refused("{\"id\":\"a\\u0000b\"}", "holds a NUL byte", "id with a NUL");
	refused("{\"id\":\"a\\nb\"}", "'a\\x0ab' is not 1-128", "id with a newline (shown escaped)");
	refused("{\"id\":\".hidden\"}", "is not 1-128", "id starting with a dot");
	refused("{\"id\":\"a\",\"id\":\"b\"}", "duplicate key \"id\"", "duplicate id");
	refused("{\"id\":\"a\",\"pid\":-1}", "\"pid\" is not a process id", "negative pid");
	refused("{\"id\":\"a\",\"pid\":1.5}", "\"pid\" is not a process id", "fractional pid");
	refused("{\"id\":\"a\",\"pid\":1e3}", "\"pid\" is not a process id", "pid with exponent");
	refused("{\"id\":\"a\",\"pid\":99999999999}", "\"pid\" is not a process id", "pid too large");
	refused("{\"id\":\"a\",\"pid\":\"12\"}", "\"pid\" is not a process id", "pid as a string");
	refused("{\"id\":\"a\",\"pid\":012}", "\"pid\" is not a process id", "pid with a leading zero");
	refused("{\"id\":\"a\",\"status\":\"dancing\"}", "unknown status 'dancing'", "unknown status");
	refused("{\"id\":\"a\",\"ociVersion\":1}", "\"ociVersion\" is not a string", "ociVersion a number");
	refused("{\"id\":\"a\",\"bundle\":\"rel/dir\"}", "bundle: 'rel/dir' is not an absolute path", "relative bundle");
	refused("{\"id\":\"a\",\"bundle\":\"/run/../etc\"}", "is not an absolute path", "bundle with ..");
	refused("{\"id\":\"a\",\"bundle\":\"/run/my bundle\"}", "without spaces", "bundle with a space");
	refused("{\"id\":\"a\",\"bundle\":\"/run/\\u00e9\"}", "is not an absolute path", "bundle with non-ASCII");
	refused("{\"id\":\"a\",\"annotations\":[]}", "\"annotations\" is not an object", "annotations an array");
	refused("{\"id\":\"a\",\"annotations\":{\"io.kubernetes.pod.namespace\":\"Payments\"}}",
		"is not a valid Kubernetes namespace", "upper-case namespace");
	refused("{\"id\":\"a\",\"annotations\":{\"io.kubernetes.pod.namespace\":\"a b\"}}",
		"is not a valid Kubernetes namespace", "namespace with a space");
	refused("{\"id\":\"a\",\"annotations\":{\"io.kubernetes.pod.namespace\":\"x=y\"}}",
		"is not a valid Kubernetes namespace", "namespace with '=' (request injection)");
	refused("{\"id\":\"a\",\"annotations\":{\"io.kubernetes.pod.namespace\":\"\"}}",
		"is not a valid Kubernetes namespace", "empty namespace");
	refused("{\"id\":\"a\",\"annotations\":{\"io.kubernetes.pod.namespace\":"
		"\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}}",
		"at most 63", "64-character namespace");
	refused("{\"id\":\"a\",\"annotations\":{\"io.kubernetes.pod.namespace\":7}}",
		"annotation io.kubernetes.pod.namespace is not a string", "namespace a number");
	refused("{\"id\":\"a\",\"annotations\":{\"io.kubernetes.pod.namespace\":\"a\\u0000b\"}}",
		"holds a NUL byte", "namespace with a NUL");
	refused("{\"id\":\"a\",\"annotations\":{\"io.kubernetes.pod.namespace\":\"a\","
		"\"io.kubernetes.pod.name\":\"x..y\"}}", "is not a valid pod name", "pod name with ..");
	refused("{\"id\":\"a\",\"annotations\":{\"io.kubernetes.pod.namespace\":\"a\","
		"\"io.kubernetes.pod.name\":\"x/y\"}}", "is not a valid pod name", "pod name with /");
	refused("{\"id\":\"a\",\"annotations\":{\"io.kubernetes.pod.name\":\"x\"}}",
		"name a pod ('x') but no namespace", "pod without namespace");
	refused("{\"id\":\"a\",\"annotations\":{\"io.kubernetes.cri.container-type\":\"vm\"}}",
		"container type", "unknown container type");
	refused("{\"id\":\"a\",\"annotations\":{\"io.kubernetes.pod.namespace\":\"a\","
		"\"io.kubernetes.pod.namespace\":\"b\"}}", "duplicate key", "duplicate annotation");

	/* deep nesting and a large document */
	n = 100;
	deep = malloc(2 * n + 32);
	strcpy(deep, "{\"id\":\"a\",\"x\":");
	for (size_t i = 0; i < n; i++)
		strcat(deep, "[");
	for (size_t i = 0; i < n; i++)
		strcat(deep, "]");
	strcat(deep, "}");
	refused(deep, "not valid JSON", "nesting 100 deep");
	free(deep);
	n = OCI_STATE_MAX + 10;
	big = malloc(n + 1);
	memset(big, ' ', n);
	memcpy(big, "{\"id\":\"a\"}", 10);
	big[n] = '\0';
	ok(oci_state_parse(big, n, &st, err, sizeof(err)) == -1 && strstr(err, "too large"),
	   "refused: state over %d bytes", OCI_STATE_MAX);
	free(big);
	/* invalid UTF-8 and control bytes inside an ignored string are fine */
	is_int(parse("{\"id\":\"a\",\"x\":\"\xff\xfe\x01\"}", &st), -1, "refused: raw control byte in a string");
	is_int(parse("{\"id\":\"a\",\"x\":\"\xff\xfe\"}", &st), 0, "invalid UTF-8 in an unused field is ignored");
}

static void test_hostile_config(void)
{
	char path[512], dir[512];
	struct oci_state st;
	int fd;

	config_refused("", "empty document", "empty");
	config_refused("{", "not valid JSON", "bad JSON");
	config_refused("null", "not a JSON object", "null");
	config_refused("{\"root\":\"rootfs\"}", "\"root\" is not an object", "root a string");
	config_refused("{\"root\":{\"path\":5}}", "\"path\" is not a string", "root.path a number");
	config_refused("{\"root\":{\"path\":\"\"}}", "root.path is empty", "empty root.path");
	config_refused("{\"root\":{\"path\":\"../../etc\"}}", "not an absolute path", "root.path escaping the bundle");
	config_refused("{\"root\":{\"path\":\"/x/./y\"}}", "not an absolute path", "root.path with .");
	config_refused("{\"root\":{\"path\":\"a\\u0000b\"}}", "holds a NUL byte", "root.path with a NUL");
	config_refused("{\"root\":{\"path\":\"r\",\"path\":\"s\"}}", "duplicate key \"path\"", "duplicate root.path");
	config_refused("{\"linux\":[]}", "\"linux\" is not an object", "linux an array");
	config_refused("{\"linux\":{\"cgroupsPath\":\"/a/../b\"}}", "cgroupsPath", "cgroupsPath with ..");
	config_refused("{\"linux\":{\"cgroupsPath\":\"x.slice:a\"}}", "neither a path", "bad systemd cgroupsPath");
	config_refused("{\"annotations\":{\"io.kubernetes.cri.sandbox-namespace\":\"UP\"}}",
		       "config.json: annotation io.kubernetes.cri.sandbox-namespace", "bad namespace in config.json");
	/* a relative root.path with no bundle */
	memset(&st, 0, sizeof(st));
	is_int(oci_config_parse("{\"root\":{\"path\":\"rootfs\"}}", 25, NULL, &st, err, sizeof(err)), -1,
	       "refused: relative root.path and no bundle");
	/* files: missing, a directory, a FIFO, too large */
	memset(&st, 0, sizeof(st));
	ok(oci_state_read_config(&st, NULL, err, sizeof(err)) == -1 && strstr(err, "no bundle"),
	   "refused: config.json without a bundle");
	snprintf(st.bundle, sizeof(st.bundle), "%s/nobundle", tmp);
	ok(oci_state_read_config(&st, NULL, err, sizeof(err)) == -1 && strstr(err, "cannot open") &&
	   strstr(err, "No such file"), "refused: missing config.json (%s)", err);
	snprintf(dir, sizeof(dir), "%s/dirbundle/config.json", tmp);
	mkdirs(dir);
	snprintf(st.bundle, sizeof(st.bundle), "%s/dirbundle", tmp);
	ok(oci_state_read_config(&st, NULL, err, sizeof(err)) == -1 && strstr(err, "not a regular file"),
	   "refused: config.json a directory");
	snprintf(dir, sizeof(dir), "%s/fifobundle", tmp);
	mkdirs(dir);
	snprintf(path, sizeof(path), "%s/config.json", dir);
	mkfifo(path, 0600);
	snprintf(st.bundle, sizeof(st.bundle), "%s", dir);
	ok(oci_state_read_config(&st, NULL, err, sizeof(err)) == -1 && strstr(err, "not a regular file"),
	   "refused: config.json a FIFO (no hang)");
	snprintf(dir, sizeof(dir), "%s/bigbundle", tmp);
	mkdirs(dir);
	snprintf(path, sizeof(path), "%s/config.json", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || ftruncate(fd, OCI_CONFIG_MAX + 1) < 0)
		bail("big file");
	close(fd);
	snprintf(st.bundle, sizeof(st.bundle), "%s", dir);
	ok(oci_state_read_config(&st, NULL, err, sizeof(err)) == -1 && strstr(err, "larger than"),
	   "refused: config.json over %d bytes", OCI_CONFIG_MAX);
}

static void proc_case(const char *content, const char *want, const char *what)
{
	char p[512];
	struct oci_state st;

	snprintf(p, sizeof(p), "%s/proc/555", tmp);
	mkdirs(p);
	strcat(p, "/cgroup");
	put(p, content);
	memset(&st, 0, sizeof(st));
	st.pid = 555;
	snprintf(p, sizeof(p), "%s/proc", tmp);
	err[0] = '\0';
	if (oci_state_find_cgroup(&st, p, err, sizeof(err)) == 0)
		snprintf(err, sizeof(err), "OK %s", st.cgroup);
	ok(strstr(err, want) != NULL, "/proc/PID/cgroup: %s", what);
	if (!strstr(err, want))
		diag("  got '%s', expected '%s'", err, want);
}

static void test_proc(void)
{
	struct oci_state st;

	proc_case("0::/a/b\n", "OK /a/b", "plain v2");
	proc_case("12:memory:/x\n1:name=systemd:/y\n0::/kubepods/c\n", "OK /kubepods/c", "hybrid: the 0:: line");
	proc_case("0::/\n", "OK /", "the root cgroup");
	proc_case("12:memory:/x\n", "no cgroup v2 (0::) line", "v1 only");
	proc_case("0::/a/b (deleted)\n", "in a removed cgroup", "removed cgroup");
	proc_case("0::/a b/c\n", "not a path the control", "cgroup name with a space");
	proc_case("0::/a/../b\n", "not a path the control", "cgroup with ..");
	proc_case("", "no cgroup v2", "empty file");
	memset(&st, 0, sizeof(st));
	st.pid = 556;
	ok(oci_state_find_cgroup(&st, "/nonexistent-proc", err, sizeof(err)) == -1 &&
	   strstr(err, "cannot open"), "/proc/PID/cgroup: a dead pid is an error");
	memset(&st, 0, sizeof(st));
	ok(oci_state_find_cgroup(&st, NULL, err, sizeof(err)) == -1 &&
	   strstr(err, "neither a pid nor"), "no pid and no cgroupsPath: error");
	/* the real /proc: this process */
	memset(&st, 0, sizeof(st));
	st.pid = getpid();
	ok(oci_state_find_cgroup(&st, NULL, err, sizeof(err)) == 0 ||
	   strstr(err, "no cgroup v2") || strstr(err, "not a path"), "/proc/self works (%s)",
	   st.cgroup[0] ? st.cgroup : err);
}

/* ---- discovery ---- */

struct seen {
	int n;
	char ids[8][64];
	char ns[8][64];
	char cg[8][256];
	int skipped;
	char why[8][512];
};

static int on_found(void *ctx, const struct oci_state *st)
{
	struct seen *s = ctx;

	if (s->n < 8) {
		snprintf(s->ids[s->n], 64, "%s", st->id);
		snprintf(s->ns[s->n], 64, "%s", st->ns);
		snprintf(s->cg[s->n], 256, "%s", st->cgroup);
	}
	s->n++;
	return 0;
}

static void on_skip(void *ctx, const char *dir, const char *why)
{
	struct seen *s = ctx;

	(void)dir;
	if (s->skipped < 8)
		snprintf(s->why[s->skipped], 512, "%s", why);
	s->skipped++;
}

static bool any_why(struct seen *s, const char *w)
{
	for (int i = 0; i < s->skipped && i < 8; i++)
		if (strstr(s->why[i], w))
			return true;
	return false;
}

static void test_discover(void)
{
	char cd[512], cr[512], d[768], p[1024], proc[512];
	struct seen s;
	struct oci_discover_opts o = { 0 };
	int r;

	snprintf(cd, sizeof(cd), "%s/disc/containerd", tmp);
	snprintf(cr, sizeof(cr), "%s/disc/crio", tmp);
	snprintf(proc, sizeof(proc), "%s/disc/proc", tmp);

	/* a live containerd container (our own pid, fake /proc) */
	snprintf(d, sizeof(d), "%s/k8s.io/c1live", cd);
	mkdirs(d);
	snprintf(p, sizeof(p), "%s/config.json", d);
	put(p, "{\"root\":{\"path\":\"rootfs\"},\"annotations\":{\"io.kubernetes.cri.sandbox-namespace\":\"payments\","
	       "\"io.kubernetes.cri.sandbox-name\":\"api\"},\"linux\":{\"cgroupsPath\":"
	       "\"kubepods-besteffort-podu1.slice:cri-containerd:c1live\"}}");
	snprintf(p, sizeof(p), "%s/init.pid", d);
	snprintf(d, sizeof(d), "%d", (int)getpid());
	put(p, d);
	snprintf(d, sizeof(d), "%s/%d", proc, (int)getpid());
	mkdirs(d);
	snprintf(p, sizeof(p), "%s/cgroup", d);
	put(p, "0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-podu1.slice/cri-containerd-c1live.scope\n");

	/* a dead one */
	snprintf(d, sizeof(d), "%s/k8s.io/c2dead", cd);
	mkdirs(d);
	snprintf(p, sizeof(p), "%s/config.json", d);
	put(p, "{\"root\":{\"path\":\"rootfs\"}}");
	snprintf(p, sizeof(p), "%s/init.pid", d);
	put(p, "2147483647\n");

	/* a recycled pid: alive (pid 1) but in another cgroup */
	snprintf(d, sizeof(d), "%s/moby/c3recycled", cd);
	mkdirs(d);
	snprintf(p, sizeof(p), "%s/config.json", d);
	put(p, "{\"linux\":{\"cgroupsPath\":\"/kubepods/besteffort/podx/c3recycled\"}}");
	snprintf(p, sizeof(p), "%s/init.pid", d);
	put(p, "1");
	snprintf(d, sizeof(d), "%s/1", proc);
	mkdirs(d);
	snprintf(p, sizeof(p), "%s/cgroup", d);
	put(p, "0::/init.scope\n");

	/* a bad name and a garbage pid file */
	snprintf(d, sizeof(d), "%s/k8s.io/bad name", cd);
	mkdirs(d);
	snprintf(d, sizeof(d), "%s/k8s.io/c4garbage", cd);
	mkdirs(d);
	snprintf(p, sizeof(p), "%s/init.pid", d);
	put(p, "12abc");

	/* CRI-O: a live one (in a cgroupfs-driver cgroup, nested below a cgroup
	 * namespace prefix) */
	snprintf(d, sizeof(d), "%s/c5crio/userdata", cr);
	mkdirs(d);
	snprintf(p, sizeof(p), "%s/config.json", d);
	put(p, "{\"root\":{\"path\":\"/var/lib/containers/storage/overlay/1/merged\"},\"annotations\":{"
	       "\"io.kubernetes.pod.namespace\":\"dev\",\"io.kubernetes.pod.name\":\"web\"},"
	       "\"linux\":{\"cgroupsPath\":\"/kubepods/besteffort/pod5/c5crio\"}}");
	snprintf(p, sizeof(p), "%s/pidfile", d);
	snprintf(d, sizeof(d), "%d", (int)getppid());
	put(p, d);
	snprintf(d, sizeof(d), "%s/%d", proc, (int)getppid());
	mkdirs(d);
	snprintf(p, sizeof(p), "%s/cgroup", d);
	put(p, "0::/kind-node/kubepods/besteffort/pod5/c5crio\n");
	/* CRI-O: a directory without userdata is not a container */
	snprintf(d, sizeof(d), "%s/c6empty", cr);
	mkdirs(d);

	memset(&s, 0, sizeof(s));
	o.containerd_dir = cd;
	o.crio_dir = cr;
	o.proc_root = proc;
	o.found = on_found;
	o.skip = on_skip;
	o.ctx = &s;
	r = oci_discover_opts(&o);
	is_int(r, 2, "discovery: two running containers");
	is_string(S(s.ids[0]), "c1live", "discovery: the containerd one");
	is_string(S(s.ns[0]), "payments", "discovery: its namespace from config.json");
	is_string(S(s.cg[0]), "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-podu1.slice/cri-containerd-c1live.scope",
		  "discovery: its cgroup");
	is_string(S(s.ids[1]), "c5crio", "discovery: the CRI-O one");
	is_string(S(s.ns[1]), "dev", "discovery: its namespace");
	is_string(S(s.cg[1]), "/kind-node/kubepods/besteffort/pod5/c5crio", "discovery: cgroup below a prefix accepted");
	is_int(s.skipped, 4, "discovery: four skipped");
	ok(any_why(&s, "is not running"), "discovery: dead pid skipped");
	ok(any_why(&s, "a recycled pid?"), "discovery: recycled pid skipped");
	ok(any_why(&s, "not a container id"), "discovery: bad directory name skipped");
	ok(any_why(&s, "does not hold a process id"), "discovery: garbage pid file skipped");
	for (int i = 0; i < s.skipped && i < 8; i++)
		diag("skipped: %s", s.why[i]);

	/* missing directories: nothing found, no error */
	o.containerd_dir = "/nonexistent/a";
	o.crio_dir = "/nonexistent/b";
	is_int(oci_discover_opts(&o), 0, "discovery: no runtime directories, no containers");
}

/* ---- the hook binary against a fake daemon ---- */

struct hook_run {
	int rc;
	char line[4096];   /* what the fake daemon received */
	char out[4096];    /* the hook's stderr */
};

/* answer: what the fake daemon says (NULL: no daemon at all; "" : accept
 * and never answer) */
static void run_hook(const char *state, const char *answer, const char *args, struct hook_run *hr)
{
	char sock[300], cmd[1024], outp[300], statep[300];
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	pid_t srv = -1;
	int lfd = -1, pfd[2];
	FILE *f;
	size_t n;

	memset(hr, 0, sizeof(*hr));
	snprintf(sock, sizeof(sock), "%s/hook.sock", tmp);
	unlink(sock);
	if (pipe(pfd) < 0)
		bail("pipe");
	if (answer) {
		lfd = socket(AF_UNIX, SOCK_STREAM, 0);
		snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock);
		if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(lfd, 4) < 0)
			bail("fake daemon socket");
		srv = fork();
		if (srv == 0) {
			char buf[4096];
			size_t got = 0;
			int c = accept(lfd, NULL, NULL);

			close(pfd[0]);
			while (c >= 0 && got < sizeof(buf) - 1) {
				ssize_t r = read(c, buf + got, sizeof(buf) - 1 - got);

				if (r <= 0)
					break;
				got += (size_t)r;
				if (memchr(buf, '\n', got))
					break;
			}
			if (write(pfd[1], buf, got) < 0)
				_exit(1);
			close(pfd[1]);
			if (answer[0]) {
				if (write(c, answer, strlen(answer)) < 0)
					_exit(1);
			} else {
				sleep(30);
			}
			_exit(0);
		}
		close(lfd);
	}
	close(pfd[1]);
	snprintf(statep, sizeof(statep), "%s/hook.state", tmp);
	put(statep, state);
	snprintf(outp, sizeof(outp), "%s/hook.err", tmp);
	snprintf(cmd, sizeof(cmd), "build/enforcer-oci-hook --socket %s %s < %s 2> %s", sock, args,
		 statep, outp);
	hr->rc = system(cmd);
	hr->rc = WIFEXITED(hr->rc) ? WEXITSTATUS(hr->rc) : -1;
	if (srv > 0) {
		kill(srv, SIGKILL);
		waitpid(srv, NULL, 0);
	}
	n = (size_t)read(pfd[0], hr->line, sizeof(hr->line) - 1);
	hr->line[n < sizeof(hr->line) ? n : 0] = '\0';
	close(pfd[0]);
	f = fopen(outp, "r");
	if (f) {
		n = fread(hr->out, 1, sizeof(hr->out) - 1, f);
		hr->out[n] = '\0';
		fclose(f);
		for (char *c = hr->out; *c; c++)   /* one line, for TAP descriptions */
			if (*c == '\n')
				*c = ' ';
	}
}

/* a bundle of a pod in namespace ns; the state document for it into state */
static void avail_bundle(const char *ns, char *state, size_t statesz)
{
	char bundle[512], cfg[600], doc[1024];

	snprintf(bundle, sizeof(bundle), "%s/avail-%s", tmp, ns);
	mkdirs(bundle);
	snprintf(cfg, sizeof(cfg), "%s/config.json", bundle);
	snprintf(doc, sizeof(doc), "{\"root\":{\"path\":\"rootfs\"},\"annotations\":{"
		 "\"io.kubernetes.cri.sandbox-namespace\":\"%s\",\"io.kubernetes.cri.sandbox-name\":\"p-0\"},"
		 "\"linux\":{\"cgroupsPath\":\"/kubepods/besteffort/podq/c-%s\"}}", ns, ns);
	put(cfg, doc);
	snprintf(state, statesz, "{\"ociVersion\":\"1.0.2\",\"id\":\"c-%s\",\"status\":\"creating\","
		 "\"bundle\":\"%s\"}", ns, bundle);
}

static long long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* enforcerd down or refusing: enforcer's own namespace starts at once, the
 * fail-open namespaces after the timeout with a warning, the rest not. */
static void test_hook_avail(void)
{
	char sys[2048], pay[2048], mon[2048];
	struct hook_run hr;
	long long t0, dt;

	avail_bundle("enforcer-system", sys, sizeof(sys));
	avail_bundle("payments", pay, sizeof(pay));
	avail_bundle("monitoring", mon, sizeof(mon));

	t0 = mono_ms();
	run_hook(sys, NULL, "--timeout 5", &hr);
	dt = mono_ms() - t0;
	is_int(hr.rc, 0, "avail: no daemon, namespace enforcer-system -> exit 0 (its pods always start)");
	ok(dt < 3000, "avail: ... without waiting for the 5 s timeout (%lld ms)", dt);
	ok(strstr(hr.out, "UNGOVERNED") && strstr(hr.out, "enforcer-system"), "avail: ... and says so (%s)", hr.out);

	run_hook(sys, "", "--timeout 5", &hr);
	is_int(hr.rc, 0, "avail: daemon never answers, enforcer-system -> exit 0");
	ok(hr.line[0] != '\0', "avail: ... after asking it to bind (%s)", hr.line);

	run_hook(sys, "{\"ok\":false,\"error\":\"too many bindings\"}\n", "", &hr);
	is_int(hr.rc, 0, "avail: daemon refuses, enforcer-system -> exit 0");
	ok(strstr(hr.out, "too many bindings") != NULL, "avail: ... with the daemon's message (%s)", hr.out);

	run_hook(sys, "{\"ok\":true,\"cgroup\":\"/x\",\"policies\":[]}\n", "", &hr);
	is_int(hr.rc, 0, "avail: daemon up, enforcer-system -> bound, exit 0");
	ok(strstr(hr.line, "bind /kubepods/besteffort/podq/c-enforcer-system namespace=enforcer-system") == hr.line,
	   "avail: ... with a bind request (%s)", hr.line);
	ok(hr.out[0] == '\0', "avail: ... and no warning (%s)", hr.out);

	run_hook(pay, NULL, "--timeout 1 --fail-open-namespace monitoring", &hr);
	is_int(hr.rc, 1, "avail: no daemon, payments (not in the fail-open list) -> exit 1");
	t0 = mono_ms();
	run_hook(mon, NULL, "--timeout 1 --fail-open-namespace kube-system,monitoring", &hr);
	dt = mono_ms() - t0;
	is_int(hr.rc, 0, "avail: no daemon, monitoring (fail-open list) -> exit 0");
	ok(dt >= 900, "avail: ... after waiting for the timeout (%lld ms)", dt);
	ok(strstr(hr.out, "WARNING") && strstr(hr.out, "namespace monitoring"), "avail: ... with a warning (%s)", hr.out);
	run_hook(mon, "{\"ok\":false,\"error\":\"nope\"}\n", "--fail-open-namespace monitoring", &hr);
	is_int(hr.rc, 1, "avail: daemon refuses, monitoring (fail-open) -> still exit 1");

	setenv("ENFORCER_HOOK_FAIL_OPEN_NAMESPACES", "monitoring", 1);
	run_hook(mon, NULL, "--timeout 1", &hr);
	is_int(hr.rc, 0, "avail: ENFORCER_HOOK_FAIL_OPEN_NAMESPACES=monitoring -> exit 0");
	run_hook(pay, NULL, "--timeout 1", &hr);
	is_int(hr.rc, 1, "avail: ... payments still exit 1");
	unsetenv("ENFORCER_HOOK_FAIL_OPEN_NAMESPACES");

	run_hook(sys, NULL, "--timeout 1 --system-namespace ''", &hr);
	is_int(hr.rc, 1, "avail: --system-namespace '' -> enforcer-system fails closed too");
	run_hook(pay, NULL, "--timeout 1 --system-namespace payments", &hr);
	is_int(hr.rc, 0, "avail: --system-namespace payments -> payments always starts");
	setenv("ENFORCER_HOOK_SYSTEM_NAMESPACE", "monitoring", 1);
	run_hook(mon, NULL, "--timeout 1", &hr);
	is_int(hr.rc, 0, "avail: ENFORCER_HOOK_SYSTEM_NAMESPACE=monitoring -> monitoring always starts");
	run_hook(sys, NULL, "--timeout 1", &hr);
	is_int(hr.rc, 1, "avail: ... and enforcer-system no longer does");
	unsetenv("ENFORCER_HOOK_SYSTEM_NAMESPACE");

	run_hook(pay, NULL, "--fail-open-namespace Bad", &hr);
	is_int(hr.rc, 2, "avail: a bad --fail-open-namespace -> exit 2");
	ok(strstr(hr.out, "Bad") != NULL, "avail: ... naming it (%s)", hr.out);
	run_hook(pay, NULL, "--system-namespace a_b", &hr);
	is_int(hr.rc, 2, "avail: a bad --system-namespace -> exit 2");
}

static void test_hook(void)
{
	char bundle[512], state[2048], want[2048];
	struct hook_run hr;

	if (access("build/enforcer-oci-hook", X_OK) < 0) {
		ok(0, "build/enforcer-oci-hook exists (make all)");
		return;
	}
	snprintf(bundle, sizeof(bundle), "%s/hookbundle", tmp);
	mkdirs(bundle);
	snprintf(want, sizeof(want), "%s/config.json", bundle);
	put(want, "{\"root\":{\"path\":\"rootfs\"},\"annotations\":{\"io.kubernetes.cri.sandbox-namespace\":\"payments\","
		  "\"io.kubernetes.cri.sandbox-name\":\"api-1\"},\"linux\":{\"cgroupsPath\":\"/kubepods/besteffort/podq/ctr1\"}}");
	/* no pid: the cgroup comes from cgroupsPath */
	snprintf(state, sizeof(state), "{\"ociVersion\":\"1.0.2\",\"id\":\"ctr1\",\"status\":\"creating\","
		 "\"bundle\":\"%s\",\"annotations\":{}}", bundle);

	run_hook(state, "{\"ok\":true,\"cgroup\":\"/kubepods/besteffort/podq/ctr1\",\"policies\":[\"p\"]}\n", "", &hr);
	is_int(hr.rc, 0, "hook: bound -> exit 0");
	snprintf(want, sizeof(want), "bind /kubepods/besteffort/podq/ctr1 namespace=payments pod=api-1 "
		 "container=ctr1 root=%s/rootfs\n", bundle);
	is_string(S(hr.line), S(want), "hook: the bind request line");

	run_hook(state, "{\"ok\":false,\"error\":\"bind is not supported by this daemon\"}\n", "", &hr);
	is_int(hr.rc, 1, "hook: refused -> exit 1");
	ok(strstr(hr.out, "not supported") != NULL, "hook: the daemon's error on stderr");

	run_hook(state, "{\"ok\":false,\"error\":\"nope\"}\n", "--fail-open", &hr);
	is_int(hr.rc, 1, "hook: refused with --fail-open still exit 1");

	run_hook(state, NULL, "--timeout 1", &hr);
	is_int(hr.rc, 1, "hook: no daemon -> exit 1 (fail closed)");
	ok(strstr(hr.out, "not started: enforcerd unreachable") != NULL, "hook: says why (%s)", hr.out);

	run_hook(state, NULL, "--timeout 1 --fail-open", &hr);
	is_int(hr.rc, 0, "hook: no daemon, --fail-open -> exit 0");
	ok(strstr(hr.out, "WARNING") && strstr(hr.out, "UNGOVERNED"), "hook: fail-open warns");

	setenv("ENFORCER_HOOK_FAIL_OPEN", "1", 1);
	run_hook(state, NULL, "--timeout 1", &hr);
	is_int(hr.rc, 0, "hook: no daemon, ENFORCER_HOOK_FAIL_OPEN=1 -> exit 0");
	unsetenv("ENFORCER_HOOK_FAIL_OPEN");

	run_hook(state, "", "--timeout 1", &hr);
	is_int(hr.rc, 1, "hook: daemon never answers -> exit 1 after the timeout");
	ok(strstr(hr.out, "no answer") != NULL, "hook: says no answer (%s)", hr.out);

	run_hook(state, "garbage\n", "", &hr);
	is_int(hr.rc, 1, "hook: a non-JSON answer -> exit 1");

	run_hook("{\"id\":\"../x\"}", "{\"ok\":true}\n", "", &hr);
	is_int(hr.rc, 1, "hook: hostile state -> exit 1");
	ok(strstr(hr.out, "bad OCI state") != NULL && hr.line[0] == '\0', "hook: nothing sent for a hostile state");

	snprintf(state, sizeof(state), "{\"id\":\"ctr2\",\"bundle\":\"%s/missing\"}", tmp);
	run_hook(state, "{\"ok\":true}\n", "", &hr);
	is_int(hr.rc, 1, "hook: unreadable config.json -> exit 1");

	run_hook("{\"id\":\"c\",\"pid\":2147483000}", "{\"ok\":true}\n", "", &hr);
	is_int(hr.rc, 1, "hook: pid without a cgroup -> exit 1");

	run_hook("{\"id\":\"c\"}", "{\"ok\":true}\n", "--bogus", &hr);
	is_int(hr.rc, 2, "hook: unknown option -> exit 2");
	test_hook_avail();
}

int main(void)
{
	char cmd[300];

	snprintf(tmp, sizeof(tmp), "/tmp/test_oci_state.XXXXXX");
	if (!mkdtemp(tmp))
		bail("mkdtemp");
	test_containerd();
	test_crio();
	test_expand();
	test_pod_cgroup();
	test_hostile_state();
	test_hostile_config();
	test_proc();
	test_discover();
	test_hook();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	if (system(cmd))
		diag("cannot remove %s", tmp);
	return done_testing();
}
