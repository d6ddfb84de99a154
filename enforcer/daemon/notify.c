// SPDX-License-Identifier: GPL-2.0-only
/*
 * notify.c - the sd_notify(3) protocol without libsystemd: one datagram to
 * $NOTIFY_SOCKET per message (READY=1, RELOADING=1, STATUS=..., WATCHDOG=1).
 * Outside systemd (no NOTIFY_SOCKET) every call is a no-op.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include "daemon.h"
#include "loop.h"

void notify(const char *fmt, ...)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char msg[512];
	va_list ap;
	socklen_t len;
	int fd;

	if (!path || !*path || strlen(path) >= sizeof(sa.sun_path))
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	memcpy(sa.sun_path, path, strlen(path));
	if (sa.sun_path[0] == '@')          /* abstract namespace */
		sa.sun_path[0] = 0;
	len = offsetof(struct sockaddr_un, sun_path) + strlen(path);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	sendto(fd, msg, strlen(msg), MSG_NOSIGNAL, (struct sockaddr *)&sa, len);
	close(fd);
}

/* Called every second: WATCHDOG=1 at half the interval systemd asked for. */
void notify_watchdog_tick(void *ctx)
{
	static uint64_t last;
	const char *w = getenv("WATCHDOG_USEC");
	uint64_t now = loop_now_ms(), every;

	(void)ctx;
	if (!w)
		return;
	every = strtoull(w, NULL, 10) / 2000;
	if (every < 1000)
		every = 1000;
	if (now - last >= every - 500) {
		notify("WATCHDOG=1");
		last = now;
	}
}
