// SPDX-License-Identifier: GPL-2.0-only
/*
 * sctpprobe.c - static helper run inside the test VM: one SCTP call by
 * every route that names a peer or a local address (issue 19's `sctp`
 * rules, [connect] and [bind]), then "ok" (EINPROGRESS for a non-blocking
 * connect that started) or the errno's name.
 *
 *   sctpprobe connect ADDR PORT          SOCK_STREAM, non-blocking connect(2)
 *   sctpprobe connect-seq ADDR PORT      the same on a one-to-many (SEQPACKET) socket
 *   sctpprobe connectx new|old|3 PORT ADDR...
 *                                        sctp_connectx: setsockopt
 *                                        SCTP_SOCKOPT_CONNECTX (new), _OLD, or
 *                                        getsockopt SCTP_SOCKOPT_CONNECTX3 (3),
 *                                        with the packed list of ADDRs on PORT
 *   sctpprobe sendto ADDR PORT [ADDR2...] one-to-many sendmsg(2) opening an
 *                                        association to ADDR (MSG_DONTWAIT);
 *                                        each ADDR2 as an SCTP_DSTADDRV4/V6
 *                                        control message (more peer addresses)
 *   sctpprobe bind ADDR PORT             bind(2) of an SCTP socket
 *   sctpprobe bindx PORT ADDR...         sctp_bindx(SCTP_BINDX_ADD_ADDR): setsockopt
 *                                        SCTP_SOCKOPT_BINDX_ADD, no bind(2)
 *   sctpprobe bind-bindx ADDR PORT ADDR2 bind(2) to ADDR, then bindx ADDR2
 *                                        ("bind:ERRNO" when the bind fails)
 *
 * The socket's family is IPv6 when any address is, else IPv4 (an IPv6
 * socket takes IPv4 addresses too).  Exit status 0 on success, 1 when the
 * call failed, 2 on misuse.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "parse_addr.h"

#ifndef IPPROTO_SCTP
#define IPPROTO_SCTP 132
#endif
#define SOL_SCTP 132
#define SCTP_SOCKOPT_BINDX_ADD 100
#define SCTP_SOCKOPT_CONNECTX_OLD 107
#define SCTP_SOCKOPT_CONNECTX 110
#define SCTP_SOCKOPT_CONNECTX3 111
#define SCTP_DSTADDRV4 7
#define SCTP_DSTADDRV6 8
#define MAX_ADDRS 16

struct getaddrs_old {   /* struct sctp_getaddrs_old */
	int assoc_id;
	int addr_num;   /* for CONNECTX3: the list's length in bytes */
	struct sockaddr *addrs;
};

static int report(int rc, int err)
{
	const char *n = strerrorname_np(err);   /* "EPERM"; NULL for an unknown number */

	if (rc >= 0) {
		puts("ok");
		return 0;
	}
	if (n)
		puts(n);
	else
		printf("E%d\n", err);
	return 1;
}

static int usage(void)
{
	fprintf(stderr, "usage: see the comment at the top of sctpprobe.c\n");
	return 2;
}

/* A non-blocking SCTP socket of family fam and type type, or -1 (reported). */
static int sctp_socket(int fam, int type)
{
	int fd = socket(fam, type | SOCK_NONBLOCK, IPPROTO_SCTP);

	if (fd < 0) {
		printf("socket:");
		report(-1, errno);
	}
	return fd;
}

/* The addresses av[0..n-1] on port packed into buf; their total length, or
 * 0 when one is bad.  *fam: AF_INET6 when any is IPv6. */
static int pack(char **av, int n, const char *port, char *buf, int *fam)
{
	int len = 0;

	*fam = AF_INET;
	for (int i = 0; i < n; i++) {
		struct sockaddr_storage ss;
		socklen_t l = parse_addr(av[i], port, &ss);

		if (!l || len + (int)l > MAX_ADDRS * (int)sizeof(struct sockaddr_in6))
			return 0;
		if (ss.ss_family == AF_INET6)
			*fam = AF_INET6;
		memcpy(buf + len, &ss, l);
		len += (int)l;
	}
	return len;
}

static int do_connect(const char *addr, const char *port, int type)
{
	struct sockaddr_storage ss;
	socklen_t len = parse_addr(addr, port, &ss);
	int fd;

	if (!len)
		return usage();
	fd = sctp_socket(ss.ss_family, type);
	if (fd < 0)
		return 1;
	if (connect(fd, (struct sockaddr *)&ss, len) < 0)
		return report(-1, errno);
	return report(0, 0);
}

static int do_connectx(const char *how, const char *port, char **av, int n)
{
	char buf[MAX_ADDRS * sizeof(struct sockaddr_in6)];
	int fam, fd, len = pack(av, n, port, buf, &fam), r;

	if (!len)
		return usage();
	fd = sctp_socket(fam, SOCK_SEQPACKET);
	if (fd < 0)
		return 1;
	if (!strcmp(how, "new")) {
		r = setsockopt(fd, SOL_SCTP, SCTP_SOCKOPT_CONNECTX, buf, (socklen_t)len);
	} else if (!strcmp(how, "old")) {
		r = setsockopt(fd, SOL_SCTP, SCTP_SOCKOPT_CONNECTX_OLD, buf, (socklen_t)len);
	} else if (!strcmp(how, "3")) {
		struct getaddrs_old p = { .assoc_id = 0, .addr_num = len, .addrs = (struct sockaddr *)buf };
		socklen_t pl = sizeof(p);

		r = getsockopt(fd, SOL_SCTP, SCTP_SOCKOPT_CONNECTX3, &p, &pl);
	} else {
		return usage();
	}
	return report(r < 0 ? -1 : 0, errno);
}

static int do_sendto(const char *addr, const char *port, char **av, int n)
{
	char cbuf[MAX_ADDRS * CMSG_SPACE(sizeof(struct in6_addr))];
	struct sockaddr_storage ss;
	socklen_t len = parse_addr(addr, port, &ss);
	struct msghdr m = { 0 };
	struct iovec io = { .iov_base = "x", .iov_len = 1 };
	struct cmsghdr *c;
	int fam = ss.ss_family, fd;

	if (!len || n > MAX_ADDRS)
		return usage();
	memset(cbuf, 0, sizeof(cbuf));
	m.msg_name = &ss;
	m.msg_namelen = len;
	m.msg_iov = &io;
	m.msg_iovlen = 1;
	if (n) {
		m.msg_control = cbuf;
		m.msg_controllen = sizeof(cbuf);
		c = CMSG_FIRSTHDR(&m);
		m.msg_controllen = 0;
		for (int i = 0; i < n; i++) {
			struct sockaddr_storage s2;

			if (!parse_addr(av[i], port, &s2))
				return usage();
			c->cmsg_level = IPPROTO_SCTP;
			if (s2.ss_family == AF_INET) {
				c->cmsg_type = SCTP_DSTADDRV4;
				c->cmsg_len = CMSG_LEN(sizeof(struct in_addr));
				memcpy(CMSG_DATA(c), &((struct sockaddr_in *)&s2)->sin_addr, sizeof(struct in_addr));
				m.msg_controllen += CMSG_SPACE(sizeof(struct in_addr));
			} else {
				fam = AF_INET6;
				c->cmsg_type = SCTP_DSTADDRV6;
				c->cmsg_len = CMSG_LEN(sizeof(struct in6_addr));
				memcpy(CMSG_DATA(c), &((struct sockaddr_in6 *)&s2)->sin6_addr, sizeof(struct in6_addr));
				m.msg_controllen += CMSG_SPACE(sizeof(struct in6_addr));
			}
			c = (struct cmsghdr *)((char *)c + CMSG_SPACE(c->cmsg_len - CMSG_LEN(0)));
		}
	}
	fd = sctp_socket(fam, SOCK_SEQPACKET);
	if (fd < 0)
		return 1;
	if (sendmsg(fd, &m, MSG_DONTWAIT) < 0)
		return report(-1, errno);
	return report(0, 0);
}

static int do_bind(const char *addr, const char *port)
{
	struct sockaddr_storage ss;
	socklen_t len = parse_addr(addr, port, &ss);
	int fd;

	if (!len)
		return usage();
	fd = sctp_socket(ss.ss_family, SOCK_SEQPACKET);
	if (fd < 0)
		return 1;
	if (bind(fd, (struct sockaddr *)&ss, len) < 0)
		return report(-1, errno);
	return report(0, 0);
}

/* bindx of av[0..n-1] on port; bind first to first/fport when first. */
static int do_bindx(const char *first, const char *fport, const char *port, char **av, int n)
{
	char buf[MAX_ADDRS * sizeof(struct sockaddr_in6)];
	int fam, fd, len = pack(av, n, port, buf, &fam);

	if (!len)
		return usage();
	if (first) {
		struct sockaddr_storage ss;
		socklen_t l = parse_addr(first, fport, &ss);

		if (!l)
			return usage();
		if (ss.ss_family == AF_INET6)
			fam = AF_INET6;
		fd = sctp_socket(fam, SOCK_SEQPACKET);
		if (fd < 0)
			return 1;
		if (bind(fd, (struct sockaddr *)&ss, l) < 0) {
			printf("bind:");
			return report(-1, errno);
		}
	} else {
		fd = sctp_socket(fam, SOCK_SEQPACKET);
		if (fd < 0)
			return 1;
	}
	if (setsockopt(fd, SOL_SCTP, SCTP_SOCKOPT_BINDX_ADD, buf, (socklen_t)len) < 0)
		return report(-1, errno);
	return report(0, 0);
}

int main(int argc, char **argv)
{
	const char *c = argc > 1 ? argv[1] : "";

	setvbuf(stdout, NULL, _IONBF, 0);
	if (!strcmp(c, "connect") && argc == 4)
		return do_connect(argv[2], argv[3], SOCK_STREAM);
	if (!strcmp(c, "connect-seq") && argc == 4)
		return do_connect(argv[2], argv[3], SOCK_SEQPACKET);
	if (!strcmp(c, "connectx") && argc > 4)
		return do_connectx(argv[2], argv[3], argv + 4, argc - 4);
	if (!strcmp(c, "sendto") && argc > 3)
		return do_sendto(argv[2], argv[3], argv + 4, argc - 4);
	if (!strcmp(c, "bind") && argc == 4)
		return do_bind(argv[2], argv[3]);
	if (!strcmp(c, "bindx") && argc > 3)
		return do_bindx(NULL, NULL, argv[2], argv + 3, argc - 3);
	if (!strcmp(c, "bind-bindx") && argc == 5)
		return do_bindx(argv[2], argv[3], argv[3], argv + 4, 1);
	return usage();
}
