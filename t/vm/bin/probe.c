// SPDX-License-Identifier: GPL-2.0-only
/*
 * probe.c - static helper run inside the test VM: attempts one exec, open or
 * connect and prints "ok" or the errno's name (EPERM, ENOENT, ...), so guest
 * tests can assert exactly what the kernel returned.
 *
 *   probe exec PATH [ARG...]          execve in a forked child
 *   probe open PATH r|w|rw            open(2)
 *   probe connect ADDR PORT tcp|udp   connect(2), IPv4 or IPv6 literal
 *   probe sendto ADDR PORT            UDP sendto(2) without connect
 *   probe listen ADDR PORT [SECS]     TCP listener in the background
 *   probe ping ADDR                   an ICMP echo on a ping socket (sendto)
 *   probe rawsend ADDR                sendto(2) of a raw socket (IPPROTO_UDP)
 *   probe rawsock 4|6|netlink PROTO [userns]
 *                                     socket(2) of a SOCK_RAW socket of that
 *                                     family and protocol (after unshare of a
 *                                     user and a network namespace: userns;
 *                                     its failure prints "unshare:ERRNO")
 *   probe packet raw|dgram|inet       socket(2) of a packet socket (ETH_P_ALL):
 *                                     AF_PACKET SOCK_RAW or SOCK_DGRAM, or the
 *                                     old (AF_INET, SOCK_PACKET)
 *   probe kill PID SIG                kill(2) (SIG 0: the permission check only)
 *
 * Exit status 0 when the call succeeded, 1 when it failed, 2 on misuse.
 * Run under any other name (a copy at /usr/bin/denyme, say) it does nothing
 * and exits 0, so it can serve as the target of exec tests.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include "parse_addr.h"

/* "EPERM": glibc's name of the number (NULL for an unknown one) */
static const char *errno_name(int e)
{
	return strerrorname_np(e);
}

static int report(int rc, int err)
{
	const char *n;

	if (rc == 0) {
		puts("ok");
		return 0;
	}
	n = errno_name(err);
	if (n)
		puts(n);
	else
		printf("E%d\n", err);
	return 1;
}

static int usage(void)
{
	fputs("usage: probe exec PATH [ARG...] | open PATH r|w|rw |"
	      " connect ADDR PORT tcp|udp | sendto ADDR PORT |"
	      " listen ADDR PORT [SECS] | ping ADDR | rawsend ADDR |"
	      " rawsock 4|6|netlink PROTO [userns] | packet raw|dgram|inet\n", stderr);
	return 2;
}

/* Fork; the child execs and, if that fails, writes its errno into a
 * close-on-exec pipe.  EOF without data means the exec succeeded. */
static int do_exec(char **argv)
{
	int p[2], err = 0, st;
	ssize_t n;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return report(-1, errno);
	pid = fork();
	if (pid < 0)
		return report(-1, errno);
	if (pid == 0) {
		int e;
		int null = open("/dev/null", O_WRONLY | O_CLOEXEC);

		close(p[0]);
		if (null >= 0)
			dup2(null, STDOUT_FILENO);
		execv(argv[0], argv);
		e = errno;
		if (write(p[1], &e, sizeof(e)) < 0)
			_exit(127);
		_exit(127);
	}
	close(p[1]);
	do
		n = read(p[0], &err, sizeof(err));
	while (n < 0 && errno == EINTR);
	close(p[0]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (n == (ssize_t)sizeof(err))
		return report(-1, err);
	return report(0, 0);
}

static int do_open(const char *path, const char *how)
{
	int flags, fd;

	if (!strcmp(how, "r"))
		flags = O_RDONLY;
	else if (!strcmp(how, "w"))
		flags = O_WRONLY;
	else if (!strcmp(how, "rw"))
		flags = O_RDWR;
	else
		return usage();
	fd = open(path, flags | O_CLOEXEC);
	if (fd < 0)
		return report(-1, errno);
	close(fd);
	return report(0, 0);
}

static int do_connect(const char *addr, const char *port, const char *proto)
{
	struct sockaddr_storage ss;
	socklen_t len = parse_addr(addr, port, &ss);
	int type, fd, rc;

	if (!len)
		return usage();
	if (!strcmp(proto, "tcp"))
		type = SOCK_STREAM;
	else if (!strcmp(proto, "udp"))
		type = SOCK_DGRAM;
	else
		return usage();
	fd = socket(ss.ss_family, type | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return report(-1, errno);
	rc = connect(fd, (struct sockaddr *)&ss, len);
	rc = report(rc, errno);
	close(fd);
	return rc;
}

/* sendto(2) of a datagram socket of type and protocol proto (UDP; an ICMP
 * echo request on a ping socket; a raw socket). */
static int sendto_as(const char *addr, const char *port, int type, int proto)
{
	struct sockaddr_storage ss;
	socklen_t len = parse_addr(addr, port, &ss);
	/* an ICMP (v4) echo request: type 8, code 0, checksum of the rest */
	unsigned char echo[8] = { 8, 0, 0xf7, 0xff, 0, 0, 0, 0 };
	int fd, rc;

	if (!len)
		return usage();
	fd = socket(ss.ss_family, type | SOCK_CLOEXEC, proto);
	if (fd < 0)
		return report(-1, errno);
	if (proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6) {
		echo[0] = proto == IPPROTO_ICMP ? 8 : 128;
		rc = sendto(fd, echo, sizeof(echo), 0, (struct sockaddr *)&ss, len) < 0 ? -1 : 0;
	} else {
		rc = sendto(fd, "probe", 5, 0, (struct sockaddr *)&ss, len) < 0 ? -1 : 0;
	}
	rc = report(rc, errno);
	close(fd);
	return rc;
}

/* A SOCK_RAW socket of family fam (4, 6, netlink) and protocol proto:
 * created, then closed; first in a user and network namespace of its own
 * when userns is set (any uid: the new namespace's capabilities). */
static int do_rawsock(const char *fam, const char *proto, const char *userns)
{
	int family = !strcmp(fam, "4") ? AF_INET : !strcmp(fam, "6") ? AF_INET6 :
		     !strcmp(fam, "netlink") ? AF_NETLINK : -1;
	int fd;

	if (family < 0 || (userns && strcmp(userns, "userns")))
		return usage();
	if (userns && unshare(CLONE_NEWUSER | CLONE_NEWNET) < 0) {
		const char *n = errno_name(errno);

		printf("unshare:%s\n", n ? n : "other");
		return 1;
	}
	fd = socket(family, SOCK_RAW | SOCK_CLOEXEC, atoi(proto));
	if (fd < 0)
		return report(-1, errno);
	close(fd);
	return report(0, 0);
}

/* A packet socket: created, then closed. */
static int do_packet(const char *how)
{
	int proto = htons(0x0003);      /* ETH_P_ALL */
	int fd;

	if (!strcmp(how, "raw"))
		fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, proto);
	else if (!strcmp(how, "dgram"))
		fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, proto);
	else if (!strcmp(how, "inet"))
		fd = socket(AF_INET, SOCK_PACKET | SOCK_CLOEXEC, proto);
	else
		return usage();
	if (fd < 0)
		return report(-1, errno);
	close(fd);
	return report(0, 0);
}

static int do_sendto(const char *addr, const char *port)
{
	struct sockaddr_storage ss;
	socklen_t len = parse_addr(addr, port, &ss);
	int fd, rc;

	if (!len)
		return usage();
	fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return report(-1, errno);
	rc = sendto(fd, "probe", 5, 0, (struct sockaddr *)&ss, len) < 0 ? -1 : 0;
	rc = report(rc, errno);
	close(fd);
	return rc;
}

/* Listen, print ok, then accept and close connections in a background child
 * for SECS seconds (default 60). */
static int do_listen(const char *addr, const char *port, const char *secs)
{
	struct sockaddr_storage ss;
	socklen_t len = parse_addr(addr, port, &ss);
	int fd, one = 1;
	pid_t pid;

	if (!len)
		return usage();
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return report(-1, errno);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, len) < 0 || listen(fd, 64) < 0)
		return report(-1, errno);
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return report(-1, errno);
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);

		if (null >= 0) {        /* do not hold the caller's pipes open */
			dup2(null, STDIN_FILENO);
			dup2(null, STDOUT_FILENO);
			dup2(null, STDERR_FILENO);
		}
		setsid();
		alarm(secs ? (unsigned)atoi(secs) : 60);
		for (;;) {
			int c = accept(fd, NULL, NULL);

			if (c >= 0)
				close(c);
		}
	}
	return report(0, 0);
}

int main(int argc, char **argv)
{
	const char *base = strrchr(argv[0], '/');

	base = base ? base + 1 : argv[0];
	if (strcmp(base, "probe") != 0)
		return 0;       /* a stand-in binary for exec tests */
	if (argc < 2)
		return usage();
	if (!strcmp(argv[1], "exec") && argc >= 3)
		return do_exec(argv + 2);
	if (!strcmp(argv[1], "open") && argc == 4)
		return do_open(argv[2], argv[3]);
	if (!strcmp(argv[1], "connect") && argc == 5)
		return do_connect(argv[2], argv[3], argv[4]);
	if (!strcmp(argv[1], "sendto") && argc == 4)
		return do_sendto(argv[2], argv[3]);
	if (!strcmp(argv[1], "ping") && argc == 3)
		return sendto_as(argv[2], "0", SOCK_DGRAM,
				 strchr(argv[2], ':') ? IPPROTO_ICMPV6 : IPPROTO_ICMP);
	if (!strcmp(argv[1], "rawsend") && argc == 3)
		return sendto_as(argv[2], "0", SOCK_RAW, IPPROTO_UDP);
	if (!strcmp(argv[1], "rawsock") && (argc == 4 || argc == 5))
		return do_rawsock(argv[2], argv[3], argc == 5 ? argv[4] : NULL);
	if (!strcmp(argv[1], "packet") && argc == 3)
		return do_packet(argv[2]);
	if (!strcmp(argv[1], "kill") && argc == 4) {
		int rc = kill((pid_t)atoi(argv[2]), atoi(argv[3]));

		return report(rc, errno);
	}
	if (!strcmp(argv[1], "listen") && (argc == 4 || argc == 5))
		return do_listen(argv[2], argv[3], argc == 5 ? argv[4] : NULL);
	return usage();
}
