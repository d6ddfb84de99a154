// SPDX-License-Identifier: GPL-2.0-only
/*
 * sockclient.c - static helper run inside the test VM: a raw, possibly
 * hostile, client of enforcerd's control socket (no enforcerctl logic), to
 * test what the daemon does with odd peers: other uids/gids, many
 * connections at once, over-long lines, binary garbage, half-written
 * requests, silent clients, followers that never read.
 *
 *   sockclient [OPTIONS] SOCKET
 *     -u UID -g GID   become UID / GID (no supplementary groups) first
 *     -n N            open N connections (all before sending anything)
 *     -s TEXT         send TEXT on each (escapes: \n \r \t \\ \xNN)
 *     -l BYTES        then send BYTES of 'a' followed by "\n"
 *     -w SECS         then wait SECS before reading
 *     -W              never read: wait (-w) and exit (for stuck followers)
 *     -c LINES        stop reading a connection after LINES lines (0 = EOF)
 *     -t SECS         give up reading after SECS in all (default 10)
 *
 * Output, per connection I (0-based): "I: LINE" for each line received
 * (cut at 400 bytes, with its length), then "I: EOF", "I: DONE" (-c
 * reached), "I: TIMEOUT" or "I: ERR ENAME"; "I: CONNECT ENAME" when the
 * connection failed; "I: SEND ENAME" when sending failed.  Exit 0.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONNS 256
#define SHOW_MAX  400

struct conn {
	int fd;
	int done;
	unsigned long lines;
	size_t len, cap;
	char *buf;
};

static const char *ename(int e)
{
	switch (e) {
	case EPERM: return "EPERM";
	case EACCES: return "EACCES";
	case ENOENT: return "ENOENT";
	case ECONNREFUSED: return "ECONNREFUSED";
	case ECONNRESET: return "ECONNRESET";
	case EPIPE: return "EPIPE";
	case EAGAIN: return "EAGAIN";
	default: return strerror(e);
	}
}

static size_t unescape(const char *s, char *out)
{
	size_t n = 0;

	while (*s) {
		if (*s != '\\' || !s[1]) {
			out[n++] = *s++;
			continue;
		}
		s++;
		switch (*s) {
		case 'n': out[n++] = '\n'; s++; break;
		case 'r': out[n++] = '\r'; s++; break;
		case 't': out[n++] = '\t'; s++; break;
		case 'x': {
			char hex[3] = { s[1], s[1] ? s[2] : 0, 0 };

			out[n++] = (char)strtol(hex, NULL, 16);
			s += 1 + strlen(hex);
			break;
		}
		default: out[n++] = *s++; break;
		}
	}
	return n;
}

static int send_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return errno;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static void show(int i, const char *line, size_t len)
{
	if (len > SHOW_MAX)
		printf("%d: %.*s...(%zu bytes)\n", i, SHOW_MAX, line, len);
	else
		printf("%d: %.*s\n", i, (int)len, line);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	static struct conn c[MAX_CONNS];
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	long uid = -1, gid = -1, longb = 0, maxlines = 0;
	double wait_s = 0, tmo = 10, end;
	int n = 1, never_read = 0, opt;
	char *text = NULL;
	size_t textlen = 0;

	while ((opt = getopt(argc, argv, "u:g:n:s:l:w:Wc:t:")) != -1) {
		switch (opt) {
		case 'u': uid = atol(optarg); break;
		case 'g': gid = atol(optarg); break;
		case 'n': n = atoi(optarg); break;
		case 's':
			text = malloc(strlen(optarg) + 1);
			textlen = unescape(optarg, text);
			break;
		case 'l': longb = atol(optarg); break;
		case 'w': wait_s = atof(optarg); break;
		case 'W': never_read = 1; break;
		case 'c': maxlines = atol(optarg); break;
		case 't': tmo = atof(optarg); break;
		default: goto usage;
		}
	}
	if (optind != argc - 1 || n < 1 || n > MAX_CONNS ||
	    strlen(argv[optind]) >= sizeof(sa.sun_path))
		goto usage;
	memcpy(sa.sun_path, argv[optind], strlen(argv[optind]));
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (gid >= 0 && (setgroups(0, NULL) < 0 || setresgid(gid, gid, gid) < 0)) {
		perror("sockclient: setgid");
		return 1;
	}
	if (uid >= 0 && setresuid(uid, uid, uid) < 0) {
		perror("sockclient: setuid");
		return 1;
	}
	for (int i = 0; i < n; i++) {
		c[i].fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (c[i].fd < 0 || connect(c[i].fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
			printf("%d: CONNECT %s\n", i, ename(errno));
			if (c[i].fd >= 0)
				close(c[i].fd);
			c[i].fd = -1;
			c[i].done = 1;
		}
	}
	for (int i = 0; i < n; i++) {
		int e = 0;

		if (c[i].fd < 0)
			continue;
		if (textlen)
			e = send_all(c[i].fd, text, textlen);
		if (!e && longb > 0) {
			char *l = malloc((size_t)longb + 1);

			memset(l, 'a', (size_t)longb);
			l[longb] = '\n';
			e = send_all(c[i].fd, l, (size_t)longb + 1);
			free(l);
		}
		if (e)
			printf("%d: SEND %s\n", i, ename(e));
	}
	if (wait_s > 0)
		usleep((useconds_t)(wait_s * 1e6));
	if (never_read)
		return 0;

	end = now_s() + tmo;
	for (;;) {
		struct pollfd pfd[MAX_CONNS];
		int idx[MAX_CONNS], np = 0, r;
		double left = end - now_s();

		for (int i = 0; i < n; i++)
			if (!c[i].done) {
				pfd[np].fd = c[i].fd;
				pfd[np].events = POLLIN;
				idx[np++] = i;
			}
		if (!np)
			break;
		if (left <= 0) {
			for (int k = 0; k < np; k++)
				printf("%d: TIMEOUT\n", idx[k]);
			break;
		}
		r = poll(pfd, (nfds_t)np, (int)(left * 1000) + 1);
		if (r < 0 && errno == EINTR)
			continue;
		for (int k = 0; k < np && r > 0; k++) {
			struct conn *x = &c[idx[k]];
			ssize_t got;
			char *nl;

			if (!pfd[k].revents)
				continue;
			if (x->cap - x->len < 65536) {
				x->cap = x->cap ? x->cap * 2 : 131072;
				x->buf = realloc(x->buf, x->cap);
			}
			got = recv(x->fd, x->buf + x->len, x->cap - x->len, 0);
			if (got < 0) {
				if (errno == EINTR || errno == EAGAIN)
					continue;
				printf("%d: ERR %s\n", idx[k], ename(errno));
				x->done = 1;
				continue;
			}
			if (got == 0) {
				if (x->len)
					show(idx[k], x->buf, x->len);
				printf("%d: EOF\n", idx[k]);
				x->done = 1;
				continue;
			}
			x->len += (size_t)got;
			while (!x->done && (nl = memchr(x->buf, '\n', x->len))) {
				size_t l = (size_t)(nl - x->buf);

				show(idx[k], x->buf, l);
				memmove(x->buf, nl + 1, x->len - l - 1);
				x->len -= l + 1;
				if (maxlines && ++x->lines >= (unsigned long)maxlines) {
					printf("%d: DONE\n", idx[k]);
					x->done = 1;
				}
			}
		}
	}
	return 0;
usage:
	fputs("usage: sockclient [-u UID] [-g GID] [-n N] [-s TEXT] [-l BYTES] [-w SECS] [-W]"
	      " [-c LINES] [-t SECS] SOCKET\n", stderr);
	return 2;
}
