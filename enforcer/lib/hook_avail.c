// SPDX-License-Identifier: GPL-2.0-only
/*
 * hook_avail.c - the availability class of a container for
 * enforcer-oci-hook (see hook_avail.h): enforcer's own namespace always
 * starts, the configured namespaces fail open, all others fail closed.
 */
#include <stdio.h>
#include <string.h>

#include "hook_avail.h"

/* A DNS-1123 label: [a-z0-9-], starts and ends alphanumeric, 1..63. */
static bool label_ok(const char *s, size_t n)
{
	if (n == 0 || n > HOOK_NS_MAX || s[0] == '-' || s[n - 1] == '-')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
	return true;
}

void hook_avail_init(struct hook_avail_cfg *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->system_ns, sizeof(c->system_ns), "%s", HOOK_SYSTEM_NS_DEFAULT);
}

int hook_avail_set_system(struct hook_avail_cfg *c, const char *ns, char *err, size_t errsz)
{
	size_t n = strlen(ns);

	if (n && !label_ok(ns, n)) {
		snprintf(err, errsz, "bad system namespace '%.80s' (a Kubernetes namespace name: "
			 "lower-case letters, digits and '-', at most %d)", ns, HOOK_NS_MAX);
		return -1;
	}
	memcpy(c->system_ns, ns, n + 1);
	return 0;
}

int hook_avail_add_open(struct hook_avail_cfg *c, const char *list, char *err, size_t errsz)
{
	const char *p = list;

	while (*p) {
		size_t n = strcspn(p, ",");

		if (n) {
			bool dup = false;

			if (!label_ok(p, n)) {
				snprintf(err, errsz, "bad fail-open namespace '%.*s' (a Kubernetes namespace "
					 "name: lower-case letters, digits and '-', at most %d)",
					 (int)(n > 80 ? 80 : n), p, HOOK_NS_MAX);
				return -1;
			}
			for (size_t i = 0; i < c->nopen; i++)
				dup |= strlen(c->open_ns[i]) == n && !memcmp(c->open_ns[i], p, n);
			if (!dup) {
				if (c->nopen >= HOOK_NS_LIST_MAX) {
					snprintf(err, errsz, "more than %d fail-open namespaces", HOOK_NS_LIST_MAX);
					return -1;
				}
				memcpy(c->open_ns[c->nopen], p, n);
				c->open_ns[c->nopen][n] = '\0';
				c->nopen++;
			}
		}
		p += n;
		if (*p == ',')
			p++;
	}
	return 0;
}

enum hook_avail hook_avail_of(const struct hook_avail_cfg *c, const char *ns)
{
	if (ns && ns[0] && c->system_ns[0] && !strcmp(ns, c->system_ns))
		return HOOK_ALWAYS;
	if (c->open_all)
		return HOOK_FAIL_OPEN;
	for (size_t i = 0; ns && ns[0] && i < c->nopen; i++)
		if (!strcmp(ns, c->open_ns[i]))
			return HOOK_FAIL_OPEN;
	return HOOK_FAIL_CLOSED;
}

const char *hook_avail_name(enum hook_avail a)
{
	switch (a) {
	case HOOK_ALWAYS:
		return "always";
	case HOOK_FAIL_OPEN:
		return "fail-open";
	default:
		return "fail-closed";
	}
}
