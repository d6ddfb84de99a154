/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * offline.h - enforcerctl's verbs on policies: explain and test (offline.c),
 * learn (learn_cmd.c).
 * Each returns the exit code (0 ok, 1 error or failed test, 2 usage).
 */
#ifndef ENFORCER_CTL_OFFLINE_H
#define ENFORCER_CTL_OFFLINE_H

#include <signal.h>
#include <stdbool.h>

#define PTEST_ACTION_MAX 8192

int cmd_explain(int argc, char **argv, bool json);
int cmd_test(int argc, char **argv);
/* learn_cmd.c */
int cmd_learn(int argc, char **argv, const char *socket, int timeout_s, volatile sig_atomic_t *stop);
/* enforcerctl.c: print the message and the usage; returns 2. */
int offline_usage(const char *fmt, const char *arg);

#endif
