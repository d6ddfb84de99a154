/*
 * log.h - enforcerd's stderr logging (log.c): one line per message,
 * "enforcerd: <msg>".  Modules put their subsystem first in the message
 * ("control: ...", "audit log ...").
 */
#ifndef ENFORCER_LOG_H
#define ENFORCER_LOG_H

/* Print the message and return err (a negative errno, or 0), so that
 * `return log_err(-errno, ...)` logs and fails in one step. */
int log_err(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
