// SPDX-License-Identifier: GPL-2.0-only
/*
 * proto_client.c - the client side of the control protocol (proto_client.h):
 * a non-blocking Unix stream connection driven by poll(2) with a deadline.
 * libc only: the OCI hook links it statically.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "proto_client.h"

long long proto_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int fail(struct proto_conn *c, enum proto_client_err err, int errnum)
{
	c->err = err;
	c->errnum = errnum;
	return -1;
}

/* poll(2) timeout until deadline; 0 once it has passed. */
static int time_left(long long deadline)
{
	long long left;

	if (deadline == PROTO_NO_DEADLINE)
		return -1;
	left = deadline - proto_now_ms();
	if (left <= 0)
		return 0;
	return left > 1000000 ? 1000000 : (int)left;
}

/* Wait for events on c->fd.  1 ready, -1 failed (err set). */
static int wait_for(struct proto_conn *c, short events, long long deadline)
{
	for (;;) {
		struct pollfd pfd = { .fd = c->fd, .events = events };
		int r;

		if (c->stop && *c->stop)
			return fail(c, PROTO_CLIENT_INTERRUPTED, EINTR);
		if (deadline != PROTO_NO_DEADLINE && time_left(deadline) == 0)
			return fail(c, PROTO_CLIENT_TIMEOUT, ETIMEDOUT);
		r = poll(&pfd, 1, time_left(deadline));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return fail(c, PROTO_CLIENT_RECV, errno);
		if (r > 0)
			return 1;
	}
}

int proto_conn_open(struct proto_conn *c, const char *path, size_t max_line, long long deadline)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	volatile sig_atomic_t *stop = c->stop;

	memset(c, 0, sizeof(*c));
	c->fd = -1;
	c->path = path;
	c->max_line = max_line;
	c->stop = stop;
	if (strlen(path) >= sizeof(sa.sun_path))
		return fail(c, PROTO_CLIENT_PATH, ENAMETOOLONG);
	memcpy(sa.sun_path, path, strlen(path));
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (c->fd < 0)
		return fail(c, PROTO_CLIENT_SOCKET, errno);
	for (;;) {
		struct timespec pause = { 0, 10 * 1000 * 1000 };

		if (connect(c->fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
			return 0;
		if (errno == EINTR)
			continue;
		/* the listen queue is full: a Unix socket does not queue us */
		if (errno != EAGAIN || (c->stop && *c->stop) ||
		    (deadline != PROTO_NO_DEADLINE && time_left(deadline) == 0))
			break;
		nanosleep(&pause, NULL);
	}
	fail(c, PROTO_CLIENT_CONNECT, errno);
	close(c->fd);
	c->fd = -1;
	return -1;
}

int proto_conn_send(struct proto_conn *c, const char *line, long long deadline)
{
	size_t n = strlen(line), off = 0;

	while (off < n) {
		ssize_t w = send(c->fd, line + off, n - off, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EPIPE || errno == ECONNRESET))
			return 0;   /* closed on us (a refusal): read its answer next */
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (wait_for(c, POLLOUT, deadline) < 0)
				return -1;
			continue;
		}
		if (w < 0)
			return fail(c, PROTO_CLIENT_SEND, errno);
		off += (size_t)w;
	}
	return 0;
}

int proto_conn_line(struct proto_conn *c, char **line, size_t *len, long long deadline)
{
	for (;;) {
		char *nl = c->buf ? memchr(c->buf + c->off, '\n', c->len - c->off) : NULL;
		ssize_t r;

		if (nl) {
			*nl = '\0';
			*line = c->buf + c->off;
			*len = (size_t)(nl - *line);
			c->off = (size_t)(nl - c->buf) + 1;
			return 1;
		}
		if (c->off) {
			memmove(c->buf, c->buf + c->off, c->len - c->off);
			c->len -= c->off;
			c->off = 0;
		}
		if (c->len >= c->max_line)
			return fail(c, PROTO_CLIENT_TOO_LONG, E2BIG);
		if (c->cap - c->len < 4096 + 1) {
			size_t cap = c->cap ? c->cap * 2 : 8192;
			char *b;

			if (cap > c->max_line + 4096 + 1)
				cap = c->max_line + 4096 + 1;
			b = realloc(c->buf, cap);
			if (!b)
				return fail(c, PROTO_CLIENT_NOMEM, ENOMEM);
			c->buf = b;
			c->cap = cap;
		}
		r = recv(c->fd, c->buf + c->len, c->cap - 1 - c->len, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (wait_for(c, POLLIN, deadline) < 0)
				return -1;
			continue;
		}
		if (r < 0)
			return fail(c, PROTO_CLIENT_RECV, errno);
		if (r == 0) {
			if (c->len) {
				/* a last line without its '\n' */
				c->buf[c->len++] = '\n';
				continue;
			}
			return 0;
		}
		c->len += (size_t)r;
	}
}

void proto_conn_close(struct proto_conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	free(c->buf);
	c->buf = NULL;
	c->len = c->off = c->cap = 0;
}

const char *proto_conn_strerror(const struct proto_conn *c)
{
	switch (c->err) {
	case PROTO_CLIENT_OK:
		return "no error";
	case PROTO_CLIENT_PATH:
		return "socket path too long";
	case PROTO_CLIENT_TIMEOUT:
		return "timed out";
	case PROTO_CLIENT_TOO_LONG:
		return "answer line too long";
	case PROTO_CLIENT_INTERRUPTED:
		return "interrupted";
	default:
		return strerror(c->errnum);
	}
}
