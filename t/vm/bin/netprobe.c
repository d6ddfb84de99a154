// SPDX-License-Identifier: GPL-2.0-only
/*
 * netprobe.c - static helper run inside the test VM for issue 18's rules
 * ([bind], `exe` conditions, unix: sockets): one attempt, then "ok" or the
 * errno's name, so guest tests assert exactly what the kernel returned.
 *
 *   netprobe connect ADDR PORT                 TCP connect(2)
 *   netprobe bind ADDR PORT tcp|udp [reuseport] bind(2); ADDR may carry %SCOPE
 *   netprobe bind-listen ADDR PORT [reuseport] [hold SECS]
 *                                              bind + listen ("listen:ERRNO" when
 *                                              listen fails), then stay SECS
 *   netprobe listen-unbound 4|6                listen(2) on a socket never bound
 *   netprobe uring-connect ADDR PORT           IORING_OP_CONNECT
 *   netprobe uring-bind ADDR PORT              IORING_OP_BIND (6.11+; "EINVAL"
 *                                              where the kernel lacks the op)
 *   netprobe fd-serve UNIXPATH fresh|bound [ADDR PORT]
 *                                              pass one TCP socket (fresh, or
 *                                              bound to ADDR PORT) over
 *                                              SCM_RIGHTS to the first client
 *   netprobe fd-serve UNIXPATH raw|raw6|packet pass a raw ICMP (raw6: ICMPv6)
 *                                              or packet socket the same way
 *   netprobe fd-recv UNIXPATH                  receive it: "ok" when the fd was
 *                                              installed, "MSG_CTRUNC" when not
 *   netprobe fd-hold raw|packet SECS           make such a socket, print "PID FD",
 *                                              hold it SECS seconds
 *   netprobe pidfd-getfd PID FD                pidfd_getfd(2) of PID's FD
 *   netprobe fd-listen UNIXPATH                receive it, listen(2)
 *   netprobe fd-connect UNIXPATH ADDR PORT     receive it, connect(2)
 *   netprobe unix-serve PATH|@NAME stream|dgram SECS
 *                                              a Unix server for SECS seconds
 *   netprobe unix-connect PATH|@NAME stream|seqpacket|dgram
 *   netprobe unix-sendto PATH|@NAME            datagram sendto(2), unconnected
 *   netprobe uring-unix-connect PATH|@NAME     IORING_OP_CONNECT to a Unix stream socket
 *   netprobe udp-reconnect A1 P1 A2 P2 [unspec] UDP connect(2) to A1, then to A2 (the
 *                                              second's result; "first:ERRNO" if A1 fails;
 *                                              unspec: an AF_UNSPEC connect between)
 *   netprobe connect-seq tcp|udp|mptcp|ping|raw ADDR PORT [ADDR PORT]...
 *                                              connect(2) a fresh socket to each in turn,
 *                                              in this one process: the results on one
 *                                              line ("ok EPERM ok ..."); ping: an ICMP
 *                                              (ICMPv6) SOCK_DGRAM socket, raw: SOCK_RAW
 *                                              of that protocol, mptcp: IPPROTO_MPTCP;
 *                                              the pair "wait FILE" waits for FILE
 *   netprobe udp-sweep FIRST COUNT PORT        UDP connect(2) of a fresh socket to COUNT
 *                                              consecutive IPv4 addresses from FIRST:
 *                                              "ok=N" and, for each other result, its
 *                                              name=count
 *   netprobe uring-sendmsg ADDR PORT           IORING_OP_SENDMSG of a UDP datagram to ADDR
 *   netprobe uring-unix-sendmsg PATH|@NAME     IORING_OP_SENDMSG of a Unix datagram to it
 *   netprobe sctp-connect ADDR PORT            SCTP socket(2) and connect(2)
 *   netprobe bind ... v6only|dual              IPV6_V6ONLY set to 1 or 0 before bind(2)
 *   netprobe bind-exec ADDR PORT PROG ARG...   bind a TCP socket as fd 3 (inherited),
 *                                              then exec PROG (e.g. "listen-fd 3")
 *   netprobe listen-fd FD                      listen(2) on an inherited socket
 *   netprobe sock-exec PROG ARG...             a fresh TCP socket as fd 3, then exec PROG
 *   netprobe connect-fd FD ADDR PORT           connect(2) an inherited socket
 *   netprobe exec PROG ARG...                  execv(2) PROG in this process's place
 *   netprobe fork-exec PROG ARG...             a child execs PROG; its output is the result
 *   netprobe memfd-exec SRC ARG...             copy SRC into a memfd, execveat(AT_EMPTY_PATH)
 *   netprobe fd-exec SRC ARG...                execveat(AT_EMPTY_PATH) of SRC opened O_RDONLY
 *   netprobe script SCRIPT CMD ARG...          run as a #! interpreter: skip SCRIPT, do CMD
 *   netprobe unix-hold PATH GOFILE             connect a Unix datagram socket, wait for
 *                                              GOFILE to exist, then send(2) on it
 *   netprobe unix-pair                         socketpair(AF_UNIX) and a send on it
 *   netprobe srr-connect|srr-sendto|srr-cmsg HOP ADDR PORT
 *                                              an IPv4 loose source route through HOP:
 *                                              IP_OPTIONS then TCP connect or UDP sendto,
 *                                              or IP_RETOPTS in sendmsg's control data
 *                                              ("setsockopt:ERRNO" when IP_OPTIONS fails)
 *   netprobe rh2-cmsg|rh2-sendto HOP ADDR PORT an IPv6 routing header of type 2 naming
 *                                              HOP: in sendmsg's control data, or
 *                                              IPV6_RTHDR then UDP sendto
 *   netprobe tclass-cmsg ADDR PORT             UDP sendmsg to an IPv6 ADDR with an
 *                                              IPV6_TCLASS control message (no route)
 *   netprobe sniff DADDR SECS                  print "ready", then "seen" when an IPv4
 *                                              or IPv6 packet to DADDR crosses any
 *                                              interface within SECS (AF_PACKET), else
 *                                              "timeout"
 *   In Unix names, "\0" stands for a NUL byte (abstract names holding one).
 *   netprobe -U [-N] ...                       first unshare(CLONE_NEWUSER) and map the
 *                                              caller to root there (as `unshare -Ur`; -N:
 *                                              a new network namespace too), then the rest
 *
 * Exit status 0 when the call succeeded, 1 when it failed, 2 on misuse.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <linux/io_uring.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <netinet/ip.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include "uring_one.h"
#include "parse_addr.h"

#define OP_BIND 56      /* IORING_OP_BIND, Linux 6.11 */

/* "EPERM": glibc's name of the number (NULL for an unknown one) */
static const char *errno_name(int e)
{
	return strerrorname_np(e);
}

static int report(int rc, int err)
{
	const char *n;

	if (rc >= 0) {
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

/* The call's result and its errno, in that order (a function's arguments
 * are evaluated in no fixed order). */
#define REPORT(call) do { int r_ = (int)(call); return report(r_, errno); } while (0)

static int usage(void)
{
	fprintf(stderr, "usage: see the comment at the top of netprobe.c\n");
	return 2;
}

/* A Unix address: "@name" is abstract; "\\0" in it stands for a NUL byte. */
static socklen_t unix_addr(const char *path, struct sockaddr_un *un)
{
	size_t n = 0;

	memset(un, 0, sizeof(*un));
	un->sun_family = AF_UNIX;
	for (const char *p = path; *p; p++) {
		if (n >= sizeof(un->sun_path) - 1)
			return 0;
		if (p[0] == '\\' && p[1] == '0') {
			un->sun_path[n++] = 0;
			p++;
		} else {
			un->sun_path[n++] = *p;
		}
	}
	if (path[0] == '@') {
		un->sun_path[0] = 0;
		return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
	}
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + 1);
}

static int do_connect(const char *addr, const char *port)
{
	struct sockaddr_storage ss;
	socklen_t len = parse_addr(addr, port, &ss);
	int fd;

	if (!len)
		return usage();
	fd = socket(ss.ss_family, SOCK_STREAM, 0);
	if (fd < 0)
		return report(-1, errno);
	REPORT(connect(fd, (struct sockaddr *)&ss, len));
}

/* bound_socket's v6only: -1 leave it, 0 or 1 set IPV6_V6ONLY */
static int v6only_opt = -1;

static int bound_socket(const char *addr, const char *port, int type, int reuseport, int *err)
{
	struct sockaddr_storage ss;
	socklen_t len = parse_addr(addr, port, &ss);
	int fd, one = 1;

	*err = EINVAL;
	if (!len)
		return -1;
	fd = socket(ss.ss_family, type, 0);
	if (fd < 0) {
		*err = errno;
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (reuseport && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) < 0) {
		*err = errno;
		return -1;
	}
	if (v6only_opt >= 0 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only_opt, sizeof(v6only_opt)) < 0) {
		*err = errno;
		return -1;
	}
	if (bind(fd, (struct sockaddr *)&ss, len) < 0) {
		*err = errno;
		close(fd);
		return -1;
	}
	return fd;
}

static int do_bind(int argc, char **argv)
{
	int err, fd;

	int reuse = 0;

	if (argc < 5)
		return usage();
	for (int i = 5; i < argc; i++) {
		if (!strcmp(argv[i], "reuseport"))
			reuse = 1;
		else if (!strcmp(argv[i], "v6only"))
			v6only_opt = 1;
		else if (!strcmp(argv[i], "dual"))
			v6only_opt = 0;
	}
	fd = bound_socket(argv[2], argv[3], !strcmp(argv[4], "udp") ? SOCK_DGRAM : SOCK_STREAM,
			  reuse, &err);
	return report(fd, err);
}

static int do_bind_listen(int argc, char **argv)
{
	int err, fd, reuse = 0, hold = 0;

	if (argc < 4)
		return usage();
	for (int i = 4; i < argc; i++) {
		if (!strcmp(argv[i], "reuseport"))
			reuse = 1;
		else if (!strcmp(argv[i], "hold") && i + 1 < argc)
			hold = atoi(argv[++i]);
	}
	fd = bound_socket(argv[2], argv[3], SOCK_STREAM, reuse, &err);
	if (fd < 0)
		return report(-1, err);
	if (listen(fd, 8) < 0) {
		printf("listen:");
		return report(-1, errno);
	}
	report(0, 0);
	fflush(stdout);
	if (hold > 0)
		sleep((unsigned)hold);
	return 0;
}

static int do_listen_unbound(const char *fam)
{
	int fd = socket(!strcmp(fam, "6") ? AF_INET6 : AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		return report(-1, errno);
	REPORT(listen(fd, 8));
}

/* ---- io_uring: one SQE (uring_one.h) ---- */

/* IORING_OP_CONNECT of a Unix stream socket to path. */
static int do_uring_unix(const char *path)
{
	struct sockaddr_un un;
	socklen_t len = unix_addr(path, &un);
	struct io_uring_sqe sqe;
	int fd = socket(AF_UNIX, SOCK_STREAM, 0), res, serr = 0;

	if (fd < 0 || !len)
		return report(-1, fd < 0 ? errno : EINVAL);
	memset(&sqe, 0, sizeof(sqe));
	sqe.opcode = IORING_OP_CONNECT;
	sqe.fd = fd;
	sqe.addr = (unsigned long)&un;
	sqe.off = len;
	res = uring_one(&sqe, &serr);
	if (serr == ENOSYS || serr == EPERM) {
		puts("ENOSYS-setup");
		return 1;
	}
	if (serr)
		return report(-1, serr);
	return report(res < 0 ? -1 : 0, -res);
}

static int do_uring(int bind_op, const char *addr, const char *port)
{
	struct sockaddr_storage ss;
	socklen_t len = parse_addr(addr, port, &ss);
	struct io_uring_sqe sqe;
	int fd, res, serr = 0;

	if (!len)
		return usage();
	fd = socket(ss.ss_family, SOCK_STREAM, 0);
	if (fd < 0)
		return report(-1, errno);
	memset(&sqe, 0, sizeof(sqe));
	sqe.opcode = bind_op ? OP_BIND : IORING_OP_CONNECT;
	sqe.fd = fd;
	sqe.addr = (unsigned long)&ss;
	if (bind_op)
		sqe.addr2 = len;
	else
		sqe.off = len;
	res = uring_one(&sqe, &serr);
	if (serr == ENOSYS || serr == EPERM) {
		puts("ENOSYS-setup");
		return 1;
	}
	if (serr)
		return report(-1, serr);
	return report(res < 0 ? -1 : 0, -res);
}

/* ---- SCM_RIGHTS ---- */

static int unix_stream(const char *path, int server)
{
	struct sockaddr_un un;
	socklen_t len = unix_addr(path, &un);
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	if (fd < 0 || !len)
		return -1;
	if (server) {
		unlink(path);
		if (bind(fd, (struct sockaddr *)&un, len) < 0 || listen(fd, 4) < 0)
			return -1;
		return fd;
	}
	return connect(fd, (struct sockaddr *)&un, len) < 0 ? -1 : fd;
}

static int do_fd_serve(int argc, char **argv)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 }, c = 'x';
	struct iovec iov = { &c, 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm;
	int l, cl, fd, err;

	if (argc < 4)
		return usage();
	if (!strcmp(argv[3], "bound")) {
		if (argc < 6)
			return usage();
		fd = bound_socket(argv[4], argv[5], SOCK_STREAM, 0, &err);
	} else if (!strcmp(argv[3], "raw") || !strcmp(argv[3], "raw6")) {
		fd = argv[3][3] ? socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6) : socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
		err = errno;
	} else if (!strcmp(argv[3], "packet")) {
		fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
		err = errno;
	} else {
		fd = socket(AF_INET, SOCK_STREAM, 0);
		err = errno;
	}
	if (fd < 0)
		return report(-1, err);
	l = unix_stream(argv[2], 1);
	if (l < 0)
		return report(-1, errno);
	report(0, 0);
	fflush(stdout);
	cl = accept(l, NULL, NULL);
	if (cl < 0)
		return report(-1, errno);
	cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	if (sendmsg(cl, &mh, 0) < 0)
		return report(-1, errno);
	sleep(1);
	return 0;
}

static int fd_receive(const char *path, int *err)
{
	char cbuf[CMSG_SPACE(sizeof(int))], c;
	struct iovec iov = { &c, 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm;
	int s = unix_stream(path, 0), fd;

	*err = errno;
	if (s < 0)
		return -1;
	if (recvmsg(s, &mh, 0) <= 0 || !(cm = CMSG_FIRSTHDR(&mh)) || cm->cmsg_type != SCM_RIGHTS) {
		*err = EPROTOTYPE;
		return -1;
	}
	memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	return fd;
}

/* A raw ICMP or packet socket held for another process to take. */
static int do_fd_hold(const char *kind, const char *secs)
{
	int fd = !strcmp(kind, "packet") ? socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL))
					 : socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);

	if (fd < 0)
		return report(-1, errno);
	printf("%d %d\n", (int)getpid(), fd);
	fflush(stdout);
	sleep((unsigned)atoi(secs));
	return 0;
}

/* pidfd_getfd(2): another process's descriptor, taken (a file receipt). */
static int do_pidfd_getfd(const char *pid, const char *fd)
{
	int pfd = (int)syscall(SYS_pidfd_open, atoi(pid), 0);

	if (pfd < 0) {
		printf("pidfd_open:");
		return report(-1, errno);
	}
	REPORT(syscall(SYS_pidfd_getfd, pfd, atoi(fd), 0));
}

/* Receive one fd: was it installed, or cut from the message? */
static int do_fd_recv(const char *path)
{
	char cbuf[CMSG_SPACE(sizeof(int))], c;
	struct iovec iov = { &c, 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm;
	int s = unix_stream(path, 0);

	if (s < 0)
		return report(-1, errno);
	if (recvmsg(s, &mh, 0) <= 0)
		return report(-1, errno);
	cm = CMSG_FIRSTHDR(&mh);
	if (cm && cm->cmsg_type == SCM_RIGHTS)
		return report(0, 0);
	printf("%s\n", mh.msg_flags & MSG_CTRUNC ? "MSG_CTRUNC" : "no-fd");
	return 1;
}

static int do_fd_use(int argc, char **argv, int connect_it)
{
	int err, fd = fd_receive(argv[2], &err);

	if (fd < 0) {
		printf("receive:");
		return report(-1, err);
	}
	if (connect_it) {
		struct sockaddr_storage ss;
		socklen_t len;

		if (argc < 5 || !(len = parse_addr(argv[3], argv[4], &ss)))
			return usage();
		REPORT(connect(fd, (struct sockaddr *)&ss, len));
	}
	REPORT(listen(fd, 8));
}

/* ---- Unix sockets ---- */

static int sock_type(const char *t)
{
	return !strcmp(t, "dgram") ? SOCK_DGRAM : !strcmp(t, "seqpacket") ? SOCK_SEQPACKET : SOCK_STREAM;
}

static int do_unix_serve(int argc, char **argv)
{
	struct sockaddr_un un;
	socklen_t len;
	int type, fd;
	time_t end;

	if (argc < 5)
		return usage();
	len = unix_addr(argv[2], &un);
	type = sock_type(argv[3]);
	end = time(NULL) + atoi(argv[4]);
	fd = socket(AF_UNIX, type, 0);
	if (fd < 0 || !len)
		return report(-1, errno);
	if (argv[2][0] != '@')
		unlink(argv[2]);
	if (bind(fd, (struct sockaddr *)&un, len) < 0 || (type != SOCK_DGRAM && listen(fd, 16) < 0))
		return report(-1, errno);
	report(0, 0);
	fflush(stdout);
	while (time(NULL) < end) {
		struct timeval tv = { 1, 0 };
		char buf[64];

		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		if (type == SOCK_DGRAM) {
			recv(fd, buf, sizeof(buf), 0);
		} else {
			int c = accept(fd, NULL, NULL);

			if (c >= 0)
				close(c);
		}
	}
	return 0;
}

static int do_unix_connect(const char *path, const char *type)
{
	struct sockaddr_un un;
	socklen_t len = unix_addr(path, &un);
	int fd = socket(AF_UNIX, sock_type(type), 0);

	if (fd < 0 || !len)
		return report(-1, fd < 0 ? errno : EINVAL);
	REPORT(connect(fd, (struct sockaddr *)&un, len));
}

static int do_unix_sendto(const char *path)
{
	struct sockaddr_un un;
	socklen_t len = unix_addr(path, &un);
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0);

	if (fd < 0 || !len)
		return report(-1, fd < 0 ? errno : EINVAL);
	REPORT(sendto(fd, "x", 1, 0, (struct sockaddr *)&un, len));
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* unshare -Ur [-n]: root in a user namespace of its own (and a network
 * namespace of its own with net).  Prints "userns:ERRNO" on failure. */
static int enter_userns(int net)
{
	char map[64];
	unsigned uid = getuid(), gid = getgid();

	if (unshare(CLONE_NEWUSER | (net ? CLONE_NEWNET : 0)) < 0) {
		printf("userns:%s\n", errno_name(errno) ? errno_name(errno) : "other");
		return -1;
	}
	snprintf(map, sizeof(map), "0 %u 1\n", uid);
	if (write_file("/proc/self/uid_map", map) < 0 || write_file("/proc/self/setgroups", "deny") < 0) {
		printf("userns:%s\n", errno_name(errno) ? errno_name(errno) : "other");
		return -1;
	}
	snprintf(map, sizeof(map), "0 %u 1\n", gid);
	if (write_file("/proc/self/gid_map", map) < 0) {
		printf("userns:%s\n", errno_name(errno) ? errno_name(errno) : "other");
		return -1;
	}
	return 0;
}

/* ---- issue 18's attack suite (68-net-attack.sh) ---- */

/* A UDP socket connected to A1, then connected again to A2. */
static int do_udp_reconnect(char **argv)
{
	struct sockaddr_storage s1, s2;
	socklen_t l1 = parse_addr(argv[2], argv[3], &s1), l2 = parse_addr(argv[4], argv[5], &s2);
	int fd;

	if (!l1 || !l2)
		return usage();
	fd = socket(s1.ss_family, SOCK_DGRAM, 0);
	if (fd < 0)
		return report(-1, errno);
	if (connect(fd, (struct sockaddr *)&s1, l1) < 0) {
		printf("first:");
		return report(-1, errno);
	}
	if (argv[6] && !strcmp(argv[6], "unspec")) {
		struct sockaddr un = { .sa_family = AF_UNSPEC };

		if (connect(fd, &un, sizeof(un)) < 0) {
			printf("unspec:");
			return report(-1, errno);
		}
	}
	REPORT(connect(fd, (struct sockaddr *)&s2, l2));
}

/* One connect(2) of a fresh socket: 0, or the errno. */
static int connect_proto(int type, int proto, struct sockaddr_storage *ss, socklen_t len)
{
	int fd = socket(ss->ss_family, type, proto), e = 0;

	if (fd < 0)
		return errno;
	if (connect(fd, (struct sockaddr *)ss, len) < 0)
		e = errno;
	close(fd);
	return e;
}

static int connect_once(int type, struct sockaddr_storage *ss, socklen_t len)
{
	return connect_proto(type, 0, ss, len);
}

#ifndef IPPROTO_MPTCP
#define IPPROTO_MPTCP 262
#endif

static int do_connect_seq(int argc, char **argv)
{
	int type, proto = 0, i, out = 0;
	const char *t = argv[2];

	if (argc < 5 || (argc - 3) % 2)
		return usage();
	type = !strcmp(t, "udp") ? SOCK_DGRAM : !strcmp(t, "tcp") ? SOCK_STREAM :
	       !strcmp(t, "mptcp") ? SOCK_STREAM : !strcmp(t, "ping") ? SOCK_DGRAM :
	       !strcmp(t, "raw") ? SOCK_RAW : -1;
	if (type < 0)
		return usage();
	if (!strcmp(t, "mptcp"))
		proto = IPPROTO_MPTCP;
	for (i = 3; i + 1 < argc; i += 2) {
		struct sockaddr_storage ss;
		socklen_t len;
		int e, n;

		if (!strcmp(argv[i], "wait")) {
			/* "wait FILE": until FILE exists (at most 60 s), no output */
			for (n = 0; n < 600 && access(argv[i + 1], F_OK); n++)
				usleep(100000);
			continue;
		}
		len = parse_addr(argv[i], argv[i + 1], &ss);
		if (!len)
			return usage();
		if (!strcmp(t, "ping") || !strcmp(t, "raw"))
			proto = ss.ss_family == AF_INET6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
		e = connect_proto(type, proto, &ss, len);
		printf("%s%s", out++ ? " " : "", !e ? "ok" : errno_name(e) ? errno_name(e) : "E?");
		fflush(stdout);
	}
	putchar('\n');
	return 0;
}

static int do_udp_sweep(const char *first, const char *count, const char *port)
{
	struct sockaddr_storage ss;
	socklen_t len = parse_addr(first, port, &ss);
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	long n = atol(count), i, nok = 0;
	int errs[256] = { 0 };
	uint32_t a;

	if (!len || ss.ss_family != AF_INET || n <= 0)
		return usage();
	a = ntohl(s4->sin_addr.s_addr);
	for (i = 0; i < n; i++) {
		int e;

		s4->sin_addr.s_addr = htonl(a + (uint32_t)i);
		e = connect_once(SOCK_DGRAM, &ss, len);
		if (!e)
			nok++;
		else
			errs[e & 255]++;
	}
	printf("ok=%ld", nok);
	for (i = 1; i < 256; i++)
		if (errs[i])
			printf(" %s=%d", errno_name((int)i) ? errno_name((int)i) : "E?", errs[i]);
	putchar('\n');
	return 0;
}

/* IORING_OP_SENDMSG of one datagram (UDP or Unix) to the address in ss. */
static int uring_sendmsg(int family, struct sockaddr *sa, socklen_t len)
{
	struct iovec iov = { "x", 1 };
	struct msghdr mh = { .msg_name = sa, .msg_namelen = len, .msg_iov = &iov, .msg_iovlen = 1 };
	struct io_uring_sqe sqe;
	int fd = socket(family, SOCK_DGRAM, 0), res, serr = 0;

	if (fd < 0)
		return report(-1, errno);
	memset(&sqe, 0, sizeof(sqe));
	sqe.opcode = IORING_OP_SENDMSG;
	sqe.fd = fd;
	sqe.addr = (unsigned long)&mh;
	sqe.len = 1;
	res = uring_one(&sqe, &serr);
	if (serr == ENOSYS || serr == EPERM) {
		puts("ENOSYS-setup");
		return 1;
	}
	if (serr)
		return report(-1, serr);
	return report(res < 0 ? -1 : 0, -res);
}

static int do_uring_sendmsg(const char *addr, const char *port)
{
	struct sockaddr_storage ss;
	socklen_t len = parse_addr(addr, port, &ss);

	if (!len)
		return usage();
	return uring_sendmsg(ss.ss_family, (struct sockaddr *)&ss, len);
}

static int do_uring_unix_sendmsg(const char *path)
{
	struct sockaddr_un un;
	socklen_t len = unix_addr(path, &un);

	if (!len)
		return usage();
	return uring_sendmsg(AF_UNIX, (struct sockaddr *)&un, len);
}

static int do_sctp_connect(const char *addr, const char *port)
{
	struct sockaddr_storage ss;
	socklen_t len = parse_addr(addr, port, &ss);
	int fd;

	if (!len)
		return usage();
	fd = socket(ss.ss_family, SOCK_STREAM, IPPROTO_SCTP);
	if (fd < 0) {
		printf("socket:");
		return report(-1, errno);
	}
	REPORT(connect(fd, (struct sockaddr *)&ss, len));
}

/* Put fd at 3 (inherited: no close-on-exec) and exec argv[0]. */
static int exec_with_fd3(int fd, char **argv)
{
	if (fd < 0)
		return report(-1, errno);
	if (fd != 3 && (dup2(fd, 3) < 0 || close(fd) < 0))
		return report(-1, errno);
	execv(argv[0], argv);
	printf("exec:");
	return report(-1, errno);
}

static int do_bind_exec(int argc, char **argv)
{
	int err, fd;

	if (argc < 5)
		return usage();
	fd = bound_socket(argv[2], argv[3], SOCK_STREAM, 0, &err);
	if (fd < 0) {
		printf("bind:");
		return report(-1, err);
	}
	return exec_with_fd3(fd, argv + 4);
}

static int do_sock_exec(int argc, char **argv)
{
	if (argc < 3)
		return usage();
	return exec_with_fd3(socket(AF_INET, SOCK_STREAM, 0), argv + 2);
}

static int do_connect_fd(const char *fdname, const char *addr, const char *port)
{
	struct sockaddr_storage ss;
	socklen_t len = parse_addr(addr, port, &ss);

	if (!len)
		return usage();
	REPORT(connect(atoi(fdname), (struct sockaddr *)&ss, len));
}

static int do_exec(char **argv)
{
	execv(argv[0], argv);
	printf("exec:");
	return report(-1, errno);
}

static int do_fork_exec(char **argv)
{
	int st = 0;
	pid_t p;

	fflush(stdout);
	p = fork();
	if (p < 0)
		return report(-1, errno);
	if (p == 0) {
		execv(argv[0], argv);
		printf("exec:");
		report(-1, errno);
		_exit(127);
	}
	if (waitpid(p, &st, 0) < 0)
		return report(-1, errno);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}

/* execveat(fd, "", AT_EMPTY_PATH) of src itself (fd_exec) or of a memfd copy. */
static int do_empty_path_exec(char **argv, int copy)
{
	extern char **environ;
	int fd = open(argv[0], O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return report(-1, errno);
	if (copy) {
		int m = (int)syscall(SYS_memfd_create, "np-copy", 0);
		char buf[65536];
		ssize_t n;

		if (m < 0)
			return report(-1, errno);
		while ((n = read(fd, buf, sizeof(buf))) > 0)
			if (write(m, buf, (size_t)n) != n)
				return report(-1, errno);
		close(fd);
		fd = m;
	}
	syscall(SYS_execveat, fd, "", argv, environ, AT_EMPTY_PATH);
	printf("exec:");
	return report(-1, errno);
}

/* A Unix datagram socket connected to path now, sending once gofile exists. */
static int do_unix_hold(const char *path, const char *gofile)
{
	struct sockaddr_un un;
	socklen_t len = unix_addr(path, &un);
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0), i;

	if (fd < 0 || !len)
		return report(-1, fd < 0 ? errno : EINVAL);
	if (connect(fd, (struct sockaddr *)&un, len) < 0) {
		printf("connect:");
		return report(-1, errno);
	}
	/* Bound: 600 s */
	for (i = 0; i < 6000 && access(gofile, F_OK) < 0; i++)
		usleep(100000);
	REPORT(send(fd, "x", 1, 0));
}

static int do_unix_pair(void)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) < 0)
		return report(-1, errno);
	REPORT(send(sv[0], "x", 1, 0));
}

/* IP_OPTIONS bytes of a loose source route through hop: NOP, LSRR, 7, 4, hop. */
static void lsrr(unsigned char opt[8], struct in_addr hop)
{
	opt[0] = IPOPT_NOP;
	opt[1] = IPOPT_LSRR;
	opt[2] = 7;
	opt[3] = 4;
	memcpy(opt + 4, &hop, 4);
}

static int do_srr(const char *how, char **argv)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	struct timeval tv = { 2, 0 };
	unsigned char opt[8];
	struct in_addr hop;
	int tcp = !strcmp(how, "srr-connect"), fd;

	if (inet_pton(AF_INET, argv[2], &hop) != 1 || inet_pton(AF_INET, argv[3], &sa.sin_addr) != 1)
		return usage();
	sa.sin_port = htons((unsigned short)atoi(argv[4]));
	lsrr(opt, hop);
	fd = socket(AF_INET, tcp ? SOCK_STREAM : SOCK_DGRAM, 0);
	if (fd < 0)
		return report(-1, errno);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (!strcmp(how, "srr-cmsg")) {
		char cbuf[CMSG_SPACE(sizeof(opt))] = { 0 };
		struct iovec iov = { "x", 1 };
		struct msghdr mh = { .msg_name = &sa, .msg_namelen = sizeof(sa), .msg_iov = &iov,
				     .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
		struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);

		cm->cmsg_level = IPPROTO_IP;
		cm->cmsg_type = IP_RETOPTS;
		cm->cmsg_len = CMSG_LEN(sizeof(opt));
		memcpy(CMSG_DATA(cm), opt, sizeof(opt));
		REPORT(sendmsg(fd, &mh, 0));
	}
	if (setsockopt(fd, IPPROTO_IP, IP_OPTIONS, opt, sizeof(opt)) < 0) {
		printf("setsockopt:");
		return report(-1, errno);
	}
	if (tcp)
		REPORT(connect(fd, (struct sockaddr *)&sa, sizeof(sa)));
	REPORT(sendto(fd, "x", 1, 0, (struct sockaddr *)&sa, sizeof(sa)));
}

/* A type 2 routing header (Mobile IPv6: one address) naming hop. */
struct rh2 {
	unsigned char nexthdr, hdrlen, type, segleft;
	unsigned int reserved;
	struct in6_addr addr;
};

static int do_rh2(const char *how, char **argv)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6 };
	struct rh2 rh = { .hdrlen = 2, .type = 2, .segleft = 1 };
	int fd;

	if (!strcmp(how, "tclass-cmsg"))
		argv--;         /* no HOP */
	else if (inet_pton(AF_INET6, argv[2], &rh.addr) != 1)
		return usage();
	if (inet_pton(AF_INET6, argv[3], &sa.sin6_addr) != 1)
		return usage();
	sa.sin6_port = htons((unsigned short)atoi(argv[4]));
	fd = socket(AF_INET6, SOCK_DGRAM, 0);
	if (fd < 0)
		return report(-1, errno);
	if (!strcmp(how, "rh2-cmsg") || !strcmp(how, "tclass-cmsg")) {
		char cbuf[CMSG_SPACE(sizeof(rh))] = { 0 };
		struct iovec iov = { "x", 1 };
		struct msghdr mh = { .msg_name = &sa, .msg_namelen = sizeof(sa), .msg_iov = &iov,
				     .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
		struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);

		cm->cmsg_level = IPPROTO_IPV6;
		cm->cmsg_type = IPV6_RTHDR;
		cm->cmsg_len = CMSG_LEN(sizeof(rh));
		memcpy(CMSG_DATA(cm), &rh, sizeof(rh));
		if (!strcmp(how, "tclass-cmsg")) {
			int tclass = 0x10;

			cm->cmsg_type = IPV6_TCLASS;
			cm->cmsg_len = CMSG_LEN(sizeof(tclass));
			memcpy(CMSG_DATA(cm), &tclass, sizeof(tclass));
			mh.msg_controllen = CMSG_SPACE(sizeof(tclass));
		}
		REPORT(sendmsg(fd, &mh, 0));
	}
	if (setsockopt(fd, IPPROTO_IPV6, IPV6_RTHDR, &rh, sizeof(rh)) < 0) {
		printf("setsockopt:");
		return report(-1, errno);
	}
	REPORT(sendto(fd, "x", 1, 0, (struct sockaddr *)&sa, sizeof(sa)));
}

static int do_sniff(const char *daddr, const char *secs)
{
	struct in6_addr want6;
	struct in_addr want;
	time_t end = time(NULL) + atoi(secs);
	int fd, v6 = 0;

	if (inet_pton(AF_INET, daddr, &want) != 1) {
		if (inet_pton(AF_INET6, daddr, &want6) != 1)
			return usage();
		v6 = 1;
	}
	fd = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_ALL));
	if (fd < 0)
		return report(-1, errno);
	puts("ready");
	fflush(stdout);
	while (time(NULL) < end) {
		struct pollfd pf = { .fd = fd, .events = POLLIN };
		unsigned char buf[2048];
		struct iphdr *ip = (struct iphdr *)buf;
		ssize_t n;

		if (poll(&pf, 1, 200) <= 0)
			continue;
		n = recv(fd, buf, sizeof(buf), 0);
		if (v6 && n >= 40 && (buf[0] >> 4) == 6 && !memcmp(buf + 24, &want6, 16)) {
			puts("seen");
			return 0;
		}
		if (!v6 && n >= (ssize_t)sizeof(*ip) && ip->version == 4 && ip->daddr == want.s_addr) {
			puts("seen");
			return 0;
		}
	}
	puts("timeout");
	return 1;
}

int main(int argc, char **argv)
{
	const char *c;

	if (argc > 1 && !strcmp(argv[1], "-U")) {
		int net = argc > 2 && !strcmp(argv[2], "-N");

		if (enter_userns(net) < 0)
			return 1;
		argv += net ? 2 : 1;
		argc -= net ? 2 : 1;
	}
	c = argc > 1 ? argv[1] : "";

	if (!strcmp(c, "connect") && argc > 3)
		return do_connect(argv[2], argv[3]);
	if (!strcmp(c, "bind"))
		return do_bind(argc, argv);
	if (!strcmp(c, "bind-listen"))
		return do_bind_listen(argc, argv);
	if (!strcmp(c, "listen-unbound") && argc > 2)
		return do_listen_unbound(argv[2]);
	if (!strcmp(c, "uring-connect") && argc > 3)
		return do_uring(0, argv[2], argv[3]);
	if (!strcmp(c, "uring-bind") && argc > 3)
		return do_uring(1, argv[2], argv[3]);
	if (!strcmp(c, "fd-serve"))
		return do_fd_serve(argc, argv);
	if (!strcmp(c, "fd-hold") && argc > 3)
		return do_fd_hold(argv[2], argv[3]);
	if (!strcmp(c, "pidfd-getfd") && argc > 3)
		return do_pidfd_getfd(argv[2], argv[3]);
	if (!strcmp(c, "fd-recv") && argc > 2)
		return do_fd_recv(argv[2]);
	if (!strcmp(c, "fd-listen") && argc > 2)
		return do_fd_use(argc, argv, 0);
	if (!strcmp(c, "fd-connect") && argc > 4)
		return do_fd_use(argc, argv, 1);
	if (!strcmp(c, "unix-serve"))
		return do_unix_serve(argc, argv);
	if (!strcmp(c, "unix-connect") && argc > 3)
		return do_unix_connect(argv[2], argv[3]);
	if (!strcmp(c, "unix-sendto") && argc > 2)
		return do_unix_sendto(argv[2]);
	if (!strcmp(c, "uring-unix-connect") && argc > 2)
		return do_uring_unix(argv[2]);
	if (!strcmp(c, "udp-reconnect") && argc > 5)
		return do_udp_reconnect(argv);
	if (!strcmp(c, "connect-seq"))
		return do_connect_seq(argc, argv);
	if (!strcmp(c, "udp-sweep") && argc > 4)
		return do_udp_sweep(argv[2], argv[3], argv[4]);
	if (!strcmp(c, "uring-sendmsg") && argc > 3)
		return do_uring_sendmsg(argv[2], argv[3]);
	if (!strcmp(c, "uring-unix-sendmsg") && argc > 2)
		return do_uring_unix_sendmsg(argv[2]);
	if (!strcmp(c, "sctp-connect") && argc > 3)
		return do_sctp_connect(argv[2], argv[3]);
	if (!strcmp(c, "bind-exec"))
		return do_bind_exec(argc, argv);
	if (!strcmp(c, "sock-exec"))
		return do_sock_exec(argc, argv);
	if (!strcmp(c, "listen-fd") && argc > 2)
		REPORT(listen(atoi(argv[2]), 8));
	if (!strcmp(c, "connect-fd") && argc > 4)
		return do_connect_fd(argv[2], argv[3], argv[4]);
	if (!strcmp(c, "exec") && argc > 2)
		return do_exec(argv + 2);
	if (!strcmp(c, "fork-exec") && argc > 2)
		return do_fork_exec(argv + 2);
	if (!strcmp(c, "memfd-exec") && argc > 2)
		return do_empty_path_exec(argv + 2, 1);
	if (!strcmp(c, "fd-exec") && argc > 2)
		return do_empty_path_exec(argv + 2, 0);
	if (!strcmp(c, "script") && argc > 3)
		return main(argc - 2, argv + 2);
	if (!strcmp(c, "unix-hold") && argc > 3)
		return do_unix_hold(argv[2], argv[3]);
	if (!strcmp(c, "unix-pair"))
		return do_unix_pair();
	if (!strncmp(c, "srr-", 4) && argc > 4)
		return do_srr(c, argv);
	if (!strncmp(c, "rh2-", 4) && argc > 4)
		return do_rh2(c, argv);
	if (!strcmp(c, "tclass-cmsg") && argc > 3)
		return do_rh2(c, argv);
	if (!strcmp(c, "sniff") && argc > 3)
		return do_sniff(argv[2], argv[3]);
	return usage();
}
