// SPDX-License-Identifier: GPL-2.0-only
/*
 * notifyrecv.c - static helper run inside the test VM: a stand-in for the
 * service manager's sd_notify socket.  Binds a Unix datagram socket at
 * PATH and prints every message received (newline-terminated), flushing
 * each, until SECS seconds have passed or it is killed.
 *
 *   notifyrecv PATH SECS
 *
 * Exit status 0 after SECS or a signal, 1 when the socket cannot be bound.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	static char buf[65536];
	struct timespec t0, now;
	long secs;
	int fd;

	if (argc != 3 || strlen(argv[1]) >= sizeof(sa.sun_path)) {
		fputs("usage: notifyrecv PATH SECS\n", stderr);
		return 2;
	}
	secs = atol(argv[2]);
	strcpy(sa.sun_path, argv[1]);
	unlink(argv[1]);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("notifyrecv: bind");
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - t0.tv_sec >= secs)
			break;
		if (poll(&p, 1, 200) <= 0)
			continue;
		n = recv(fd, buf, sizeof(buf) - 1, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		buf[n] = 0;
		printf("%s%s", buf, n > 0 && buf[n - 1] == '\n' ? "" : "\n");
		fflush(stdout);
	}
	return 0;
}
