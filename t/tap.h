/* tap.h - a tiny TAP producer for the unit tests (header-only).
 * plan(), ok(), is_int(), is_string(), diag(), skip_all(), bail(),
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

static inline int ok(int cond, const char *fmt, ...)
{
	va_list ap;
	tap_n++;
	if (!cond)
		tap_failed++;
	printf("%sok %d - ", cond ? "" : "not ", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	return cond;
}

#define is_int(got, want, ...) \
	(ok((long long)(got) == (long long)(want), __VA_ARGS__) ? 1 : \
	 (diag("  got: %lld, expected: %lld", (long long)(got), (long long)(want)), 0))

#define is_string(got, want, ...) \
	(ok((got) && (want) && strcmp((got), (want)) == 0, __VA_ARGS__) ? 1 : \
	 (diag("  got: '%s'\n  expected: '%s'", (got) ? (got) : "(null)", (want) ? (want) : "(null)"), 0))

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
