// SPDX-License-Identifier: GPL-2.0-only
/* test_tap.c - t/tap.h itself: is_int() and is_string() evaluate each
 * argument exactly once, on success and on failure (a failing call with a
 * side effect, such as sending a request, must not run twice), and report
 * pass/fail right.  The failures provoked here are marked TODO (expected),
 * then taken off the failure count. */
#include "tap.h"

static int calls;

static long bump(long v)
{
	calls++;
	return v;
}

static const char *sbump(const char *s)
{
	calls++;
	return s;
}

int main(void)
{
	int r;

	plan(8);
	calls = 0;
	r = is_int(bump(7), bump(7), "is_int passes on equal values");
	ok(r == 1 && calls == 2, "is_int: each argument evaluated once on success (%d calls)", calls);
	calls = 0;
	r = is_int(bump(7), bump(8), "is_int fails on different values # TODO deliberate failure");
	tap_failed--;
	ok(r == 0 && calls == 2, "is_int: each argument evaluated once on failure (%d calls)", calls);
	calls = 0;
	r = is_string(sbump("a"), sbump("a"), "is_string passes on equal strings");
	ok(r == 1 && calls == 2, "is_string: each argument evaluated once on success (%d calls)", calls);
	calls = 0;
	r = is_string(sbump("a"), sbump("b"), "is_string fails on different strings # TODO deliberate failure");
	tap_failed--;
	ok(r == 0 && calls == 2, "is_string: each argument evaluated once on failure (%d calls)", calls);
	return done_testing();
}
