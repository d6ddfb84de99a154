/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * log.h - enforcerd's stderr logging (log.c): one line per message,
 * "enforcerd: <msg>", behind a "<N>" priority when stderr is the journal.  Modules put their subsystem first in the message
 * ("control: ...", "audit log ...").
 */
#ifndef ENFORCER_LOG_H
#define ENFORCER_LOG_H

/* Print the message and return err (a negative errno, or 0), so that
 * `return log_err(-errno, ...)` logs and fails in one step. */
int log_err(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* 1 when fd is the journal stream systemd connected ($JOURNAL_STREAM):
 * lines written there may start with a "<N>" syslog priority. */
int fd_is_journal(int fd);

#endif
