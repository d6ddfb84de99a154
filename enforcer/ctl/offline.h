/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * offline.h - enforcerctl's offline verbs (offline.c): explain and test.
 * Each returns the exit code (0 ok, 1 error or failed test, 2 usage).
 */
#ifndef ENFORCER_CTL_OFFLINE_H
#define ENFORCER_CTL_OFFLINE_H

#include <stdbool.h>

#define PTEST_ACTION_MAX 8192

int cmd_explain(int argc, char **argv, bool json);
int cmd_test(int argc, char **argv);
/* enforcerctl.c: print the message and the usage; returns 2. */
int offline_usage(const char *fmt, const char *arg);

#endif
