// SPDX-License-Identifier: GPL-2.0-only
/*
 * parse_addr.h - for the VM test helpers (netprobe, probe, trick): an
 * IPv4 or IPv6 address ("1.2.3.4", "::1", "fe80::1%2" with a scope id)
 * and a decimal port (0-65535) into a sockaddr_storage.
 */
#ifndef ENF_PARSE_ADDR_H
#define ENF_PARSE_ADDR_H
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* addr and port into ss; the address length, or 0 when either is bad. */
static socklen_t parse_addr(const char *addr, const char *port, struct sockaddr_storage *ss)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
	char buf[128];
	char *pct, *end;
	long p = strtol(port, &end, 10);

	if (*end || p < 0 || p > 65535)
		return 0;
	memset(ss, 0, sizeof(*ss));
	snprintf(buf, sizeof(buf), "%s", addr);
	pct = strchr(buf, '%');
	if (pct)
		*pct++ = 0;
	if (!pct && inet_pton(AF_INET, buf, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((unsigned short)p);
		return sizeof(*s4);
	}
	if (inet_pton(AF_INET6, buf, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((unsigned short)p);
		s6->sin6_scope_id = pct ? (uint32_t)atoi(pct) : 0;
		return sizeof(*s6);
	}
	return 0;
}
#endif
