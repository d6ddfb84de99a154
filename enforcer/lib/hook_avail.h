/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hook_avail.h - what enforcer-oci-hook does with a container when enforcerd
 * cannot be reached (down, restarting, not yet started on a booting node) or
 * refuses to bind it, decided by the pod's Kubernetes namespace:
 *
 *   HOOK_ALWAYS       enforcer's own namespace (--system-namespace, default
 *                     enforcer-system): the container starts, so that the
 *                     pod that brings enforcerd back can always run (no
 *                     deadlock).  It is still bound when enforcerd answers.
 *   HOOK_FAIL_OPEN    a namespace of --fail-open-namespace (or every
 *                     container with --fail-open): wait up to --timeout,
 *                     then start ungoverned with a warning.
 *   HOOK_FAIL_CLOSED  every other container: wait up to --timeout, then
 *                     refuse; the runtime does not start it.
 */
#ifndef ENFORCER_HOOK_AVAIL_H
#define ENFORCER_HOOK_AVAIL_H

#include <stdbool.h>
#include <stddef.h>

#define HOOK_SYSTEM_NS_DEFAULT "enforcer-system"
#define HOOK_NS_LIST_MAX       64      /* --fail-open-namespace entries */
#define HOOK_NS_MAX            63      /* a Kubernetes namespace: DNS-1123 label */
#define HOOK_ALWAYS_WAIT_MS    1000    /* HOOK_ALWAYS waits at most this long */

enum hook_avail {
	HOOK_FAIL_CLOSED = 0,
	HOOK_FAIL_OPEN,
	HOOK_ALWAYS,
};

struct hook_avail_cfg {
	char system_ns[HOOK_NS_MAX + 1];              /* "" : none */
	char open_ns[HOOK_NS_LIST_MAX][HOOK_NS_MAX + 1];
	size_t nopen;
	bool open_all;                                /* --fail-open */
};

/* Defaults: system namespace enforcer-system, no fail-open namespace. */
void hook_avail_init(struct hook_avail_cfg *c);

/* The system namespace (a DNS-1123 label, or "" for none).  Returns 0, or
 * -1 with a message in err. */
int hook_avail_set_system(struct hook_avail_cfg *c, const char *ns, char *err, size_t errsz);

/* Add a comma-separated list of namespaces that fail open ("a,b").  Empty
 * items are skipped.  Returns 0, or -1 with a message in err (a bad name,
 * too many). */
int hook_avail_add_open(struct hook_avail_cfg *c, const char *list, char *err, size_t errsz);

/* The class of a container of namespace ns ("" or NULL: no Kubernetes
 * annotations). */
enum hook_avail hook_avail_of(const struct hook_avail_cfg *c, const char *ns);

/* "fail-closed", "fail-open", "always" */
const char *hook_avail_name(enum hook_avail a);

#endif
