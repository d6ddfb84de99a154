/* SPDX-License-Identifier: GPL-2.0-only */
/* tap.h - a tiny TAP producer for the unit tests (header-only).
 * plan(), ok(), is_int(), is_string(), skip(), diag(), skip_all(), bail(),
 * done_testing(); exit status is non-zero when any test failed. */
#ifndef ENFORCER_TAP_H
#define ENFORCER_TAP_H
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap_n, tap_failed, tap_planned;

static inline void plan(int n) { tap_planned = n; printf("1..%d\n", n); fflush(stdout); }

static inline void diag(const char *fmt, ...)
{
	va_list ap;
	char buf[4096];
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	for (char *l = strtok(buf, "\n"); l; l = strtok(NULL, "\n"))
		printf("# %s\n", l);
	fflush(stdout);
}

static inline int tap_vok(int cond, const char *fmt, va_list ap)
{
	tap_n++;
	if (!cond)
		tap_failed++;
	printf("%sok %d - ", cond ? "" : "not ", tap_n);
	vprintf(fmt, ap);
	printf("\n");
	fflush(stdout);
	return cond;
}

/* is_int()/is_string(): each argument is evaluated exactly once (a call
 * with side effects, such as sending a request, runs once). */
static inline int tap_is_int(long long got, long long want, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = tap_vok(got == want, fmt, ap);
	va_end(ap);
	if (!r)
		diag("  got: %lld, expected: %lld", got, want);
	return r;
}

static inline int tap_is_string(const char *got, const char *want, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = tap_vok(got && want && strcmp(got, want) == 0, fmt, ap);
	va_end(ap);
	if (!r)
		diag("  got: '%s'\n  expected: '%s'", got ? got : "(null)", want ? want : "(null)");
	return r;
}

#define is_int(got, want, ...) tap_is_int((long long)(got), (long long)(want), __VA_ARGS__)
#define is_string(got, want, ...) tap_is_string((got), (want), __VA_ARGS__)

/* skip(): one test not run because the environment lacks something ("ok N
 * # SKIP why"); also appended to $ENFORCER_SKIP_LOG when set (make check
 * reports how many were skipped). */
static inline void skip(const char *fmt, ...)
{
	va_list ap;
	char why[512];
	const char *log = getenv("ENFORCER_SKIP_LOG");

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	tap_n++;
	printf("ok %d # SKIP %s\n", tap_n, why);
	fflush(stdout);
	if (log && *log) {
		FILE *f = fopen(log, "a");

		if (f) {
			fprintf(f, "unit: %s\n", why);
			fclose(f);
		}
	}
}

static inline int ok(int cond, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = tap_vok(cond, fmt, ap);
	va_end(ap);
	return r;
}

static inline void skip_all(const char *why) { printf("1..0 # SKIP %s\n", why); exit(0); }

static inline void bail(const char *why) { printf("Bail out! %s\n", why); exit(255); }

static inline int done_testing(void)
{
	if (!tap_planned)
		printf("1..%d\n", tap_n);
	else if (tap_planned != tap_n)
		diag("planned %d tests but ran %d", tap_planned, tap_n);
	return (tap_failed || (tap_planned && tap_planned != tap_n)) ? 1 : 0;
}
#endif
