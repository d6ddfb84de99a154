/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * proto_client.h - the one client side of the control protocol (proto.h):
 * connect to enforcerd's socket, send request lines, read answer lines, all
 * bounded by a deadline.  Used by enforcerctl, `enforcerd --unload` and the
 * OCI hook (which links it statically: libc only).
 *
 * Failures return -1 and leave what happened in the connection (err, errnum)
 * so that each program words its own message.
 */
#ifndef ENFORCER_PROTO_CLIENT_H
#define ENFORCER_PROTO_CLIENT_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#define PROTO_NO_DEADLINE (-1LL)

enum proto_client_err {
	PROTO_CLIENT_OK,
	PROTO_CLIENT_PATH,        /* socket path too long */
	PROTO_CLIENT_SOCKET,      /* socket(2) failed (errnum) */
	PROTO_CLIENT_CONNECT,     /* connect(2) failed (errnum: ENOENT, ECONNREFUSED, EACCES...) */
	PROTO_CLIENT_SEND,        /* send(2) failed (errnum) */
	PROTO_CLIENT_RECV,        /* recv(2) or poll(2) failed (errnum) */
	PROTO_CLIENT_TIMEOUT,     /* the deadline passed */
	PROTO_CLIENT_TOO_LONG,    /* an answer line longer than the limit */
	PROTO_CLIENT_NOMEM,
	PROTO_CLIENT_INTERRUPTED, /* *stop was set */
};

struct proto_conn {
	int fd;
	const char *path;
	size_t max_line;                  /* longest answer line accepted */
	volatile sig_atomic_t *stop;      /* optional, set before open: checked while waiting */
	enum proto_client_err err;        /* why the last call failed */
	int errnum;                       /* its errno, when there is one */
	char *buf;
	size_t len, off, cap;
};

/* CLOCK_MONOTONIC in ms: deadlines are now + timeout. */
long long proto_now_ms(void);
/* Connect to path (retrying while the listen queue is full, until the
 * deadline).  max_line bounds each answer line.  0 or -1. */
int proto_conn_open(struct proto_conn *c, const char *path, size_t max_line, long long deadline);
/* Send all of line (the caller adds '\n').  A peer that closed the
 * connection (a refusal) is not an error: its answer is read next. */
int proto_conn_send(struct proto_conn *c, const char *line, long long deadline);
/* Next answer line, without '\n' and NUL-terminated, valid until the next
 * call.  1, 0 at EOF (no more lines), -1 on failure. */
int proto_conn_line(struct proto_conn *c, char **line, size_t *len, long long deadline);
void proto_conn_close(struct proto_conn *c);
/* A readable phrase for c->err (and c->errnum). */
const char *proto_conn_strerror(const struct proto_conn *c);

#endif
