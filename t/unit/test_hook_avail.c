// SPDX-License-Identifier: GPL-2.0-only
/* test_hook_avail.c - the OCI hook's availability decision (hook_avail.c):
 * enforcer's own namespace always starts, configured namespaces fail open,
 * every other container (and one without Kubernetes annotations) fails
 * closed; bad namespace names and lists are refused with a message. */
#include <string.h>

#include "hook_avail.h"
#include "tap.h"

int main(void)
{
	struct hook_avail_cfg c;
	char err[256];
	char many[HOOK_NS_LIST_MAX * 8 + 16];
	size_t n = 0;

	hook_avail_init(&c);
	is_int(hook_avail_of(&c, "enforcer-system"), HOOK_ALWAYS, "default: enforcer-system always starts");
	is_int(hook_avail_of(&c, "payments"), HOOK_FAIL_CLOSED, "default: payments fails closed");
	is_int(hook_avail_of(&c, "kube-system"), HOOK_FAIL_CLOSED, "default: kube-system fails closed");
	is_int(hook_avail_of(&c, ""), HOOK_FAIL_CLOSED, "default: no Kubernetes namespace fails closed");
	is_int(hook_avail_of(&c, NULL), HOOK_FAIL_CLOSED, "default: NULL namespace fails closed");
	is_int(hook_avail_of(&c, "enforcer-system2"), HOOK_FAIL_CLOSED, "a longer name is another namespace");
	is_int(hook_avail_of(&c, "enforcer"), HOOK_FAIL_CLOSED, "a prefix is another namespace");

	ok(hook_avail_add_open(&c, "kube-system,monitoring", err, sizeof(err)) == 0, "fail-open list a,b");
	is_int(hook_avail_of(&c, "kube-system"), HOOK_FAIL_OPEN, "kube-system now fails open");
	is_int(hook_avail_of(&c, "monitoring"), HOOK_FAIL_OPEN, "monitoring fails open");
	is_int(hook_avail_of(&c, "payments"), HOOK_FAIL_CLOSED, "payments still fails closed");
	is_int(hook_avail_of(&c, "kube"), HOOK_FAIL_CLOSED, "a prefix of a listed name fails closed");
	is_int(hook_avail_of(&c, ""), HOOK_FAIL_CLOSED, "no namespace still fails closed");
	ok(hook_avail_add_open(&c, ",kube-system,,dev,", err, sizeof(err)) == 0, "empty items and duplicates");
	is_int(c.nopen, 3, "... kept once each");
	is_int(hook_avail_of(&c, "enforcer-system"), HOOK_ALWAYS, "the system namespace wins over the list");

	ok(hook_avail_add_open(&c, "Payments", err, sizeof(err)) < 0 && strstr(err, "Payments"),
	   "upper case refused, named (%s)", err);
	ok(hook_avail_add_open(&c, "a b", err, sizeof(err)) < 0, "a space refused");
	ok(hook_avail_add_open(&c, "-x", err, sizeof(err)) < 0, "leading '-' refused");
	ok(hook_avail_add_open(&c, "x-", err, sizeof(err)) < 0, "trailing '-' refused");
	ok(hook_avail_add_open(&c, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", err, sizeof(err)) < 0,
	   "64 characters refused");
	ok(hook_avail_add_open(&c, "a*", err, sizeof(err)) < 0, "no wildcards");

	hook_avail_init(&c);
	many[0] = '\0';
	for (int i = 0; i <= HOOK_NS_LIST_MAX; i++)
		n += (size_t)snprintf(many + n, sizeof(many) - n, "ns%d,", i);
	ok(hook_avail_add_open(&c, many, err, sizeof(err)) < 0 && strstr(err, "more than"),
	   "more than %d namespaces refused (%s)", HOOK_NS_LIST_MAX, err);

	hook_avail_init(&c);
	ok(hook_avail_set_system(&c, "sec-agents", err, sizeof(err)) == 0, "another system namespace");
	is_int(hook_avail_of(&c, "sec-agents"), HOOK_ALWAYS, "... always starts");
	is_int(hook_avail_of(&c, "enforcer-system"), HOOK_FAIL_CLOSED, "... and enforcer-system no longer does");
	ok(hook_avail_set_system(&c, "", err, sizeof(err)) == 0, "no system namespace");
	is_int(hook_avail_of(&c, "sec-agents"), HOOK_FAIL_CLOSED, "... nothing always starts");
	is_int(hook_avail_of(&c, ""), HOOK_FAIL_CLOSED, "... not even an empty namespace");
	ok(hook_avail_set_system(&c, "Bad_Name", err, sizeof(err)) < 0 && strstr(err, "Bad_Name"),
	   "a bad system namespace refused (%s)", err);

	hook_avail_init(&c);
	c.open_all = true;
	is_int(hook_avail_of(&c, "payments"), HOOK_FAIL_OPEN, "--fail-open: every namespace fails open");
	is_int(hook_avail_of(&c, ""), HOOK_FAIL_OPEN, "--fail-open: also without annotations");
	is_int(hook_avail_of(&c, "enforcer-system"), HOOK_ALWAYS, "--fail-open: the system namespace still always");

	is_string(hook_avail_name(HOOK_ALWAYS), "always", "name: always");
	is_string(hook_avail_name(HOOK_FAIL_OPEN), "fail-open", "name: fail-open");
	is_string(hook_avail_name(HOOK_FAIL_CLOSED), "fail-closed", "name: fail-closed");
	return done_testing();
}
