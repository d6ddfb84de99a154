// SPDX-License-Identifier: GPL-2.0-only
/*
 * trick.c - static helper run inside the test VM: tries one known way around
 * an exec, file or connect rule (t/vm/guest/6*.sh) and prints "ok" or the
 * errno's name (EPERM, ENOENT, ...), like probe.
 *
 *   exec:    fexecve PATH | execveat-empty PATH | exec-procfd PATH |
 *            memfd-exec SRC | mmap-exec PATH | mprotect-exec PATH
 *   file:    openat2 PATH FLAGS [r|w] | opath-reopen PATH [r|w] |
 *            handle-open PATH | open-trunc PATH | truncate PATH |
 *            ftruncate PATH | fallocate PATH | mmap-shared-write PATH |
 *            chmod PATH | chown PATH | rename A B | link A B | unlink PATH |
 *            rmdir PATH | chroot-open DIR PATH [r|w] |
 *            userns-chroot-open DIR PATH [r|w] | opentree-open DIR NAME [r|w] |
 *            opentree-move DIR TARGET | chroot-exec DIR PATH
 *   mount:   mount-bind SRC DST | mount-tmpfs DST | unshare-mount-bind SRC DST
 *            (the bind in a new mount namespace of its own)
 *   cgroup:  clone-into CGDIR CMD [ARG...]  (clone3 CLONE_INTO_CGROUP: the
 *            child execs CMD, whose output is the result; a refused clone3
 *            prints its errno)
 *   connect: sendto ADDR PORT | sendto-unspec ADDR PORT | sendmsg ADDR PORT |
 *            sendmmsg ADDR PORT | tfo ADDR PORT | connect-shortlen ADDR PORT |
 *            connect-longlen ADDR PORT | connect-unspec-then ADDR PORT |
 *            uring-connect ADDR PORT | uring-openat PATH | uring-socket raw |
 *            uring-socket packet (AF_PACKET SOCK_RAW ETH_P_ALL) |
 *            sendto-v6sock ADDR PORT | connect-v6sock ADDR PORT (an IPv6 UDP
 *            socket, an IPv4 ADDR: udpv6 takes AF_INET) |
 *            udp-recv ADDR PORT SECS (prints the first datagram that
 *            arrives, or "timeout": did a sendto really get through?)
 *
 * FLAGS of openat2: comma-separated no-symlinks, no-magiclinks, no-xdev,
 * beneath, in-root, cached (or none); an absolute PATH is resolved from an
 * fd on "/", a relative one from the working directory.
 * The exec tricks run in a forked child (stdout to /dev/null) and report the
 * exec's errno.  io_uring unavailable at setup prints "ENOSYS-setup".
 * Exit status 0 when the call succeeded, 1 when it failed, 2 on misuse.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <linux/mount.h>
#include <linux/openat2.h>
#include <linux/sched.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include "uring_one.h"
#include "parse_addr.h"

#ifndef MSG_FASTOPEN
#define MSG_FASTOPEN 0x20000000
#endif

static char **g_argv;   /* argv of the exec tricks' target: PATH only */

static int report(int rc, int err)
{
	const char *n;

	if (rc == 0) {
		puts("ok");
		return 0;
	}
	n = strerrorname_np(err);
	if (n)
		puts(n);
	else
		printf("E%d\n", err);
	return 1;
}

/* rc of a call, then its errno: never report(call(), errno) (unordered) */
static int ev(int rc)
{
	return report(rc, errno);
}

static int usage(void)
{
	fputs("usage: trick SUBCOMMAND ARG... (see t/vm/bin/trick.c)\n", stderr);
	return 2;
}

/* ---- exec ---- */

/* Each returns only on failure, with errno set. */
static void ex_fexecve(const char *path)
{
	int fd = open(path, O_RDONLY);

	if (fd >= 0)
		fexecve(fd, g_argv, environ);
}

static void ex_execveat_empty(const char *path)
{
	int fd = open(path, O_RDONLY);

	if (fd >= 0)
		syscall(SYS_execveat, fd, "", g_argv, environ, AT_EMPTY_PATH);
}

static void ex_procfd(const char *path)
{
	char buf[64];
	int fd = open(path, O_PATH);

	if (fd < 0)
		return;
	snprintf(buf, sizeof(buf), "/proc/self/fd/%d", fd);
	execve(buf, g_argv, environ);
}

static void ex_memfd(const char *src)
{
	char buf[65536];
	ssize_t n;
	int in = open(src, O_RDONLY), mfd;

	if (in < 0)
		return;
	mfd = memfd_create("payload", 0);
	if (mfd < 0)
		return;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(mfd, buf, (size_t)n) != n)
			return;
	if (n < 0)
		return;
	close(in);
	fexecve(mfd, g_argv, environ);
}

/* Fork; the child runs fn and, when it returns, writes errno into a
 * close-on-exec pipe.  EOF without data means the exec succeeded. */
static int run_exec(void (*fn)(const char *), const char *path)
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
		int e, null = open("/dev/null", O_WRONLY | O_CLOEXEC);

		close(p[0]);
		if (null >= 0)
			dup2(null, STDOUT_FILENO);
		errno = 0;
		fn(path);
		e = errno ? errno : EINVAL;
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

/* A PROT_EXEC mapping of the file, straight or through mprotect. */
static int do_mmap_exec(const char *path, int via_mprotect)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	void *p;

	if (fd < 0)
		return report(-1, errno);
	p = mmap(NULL, 4096, via_mprotect ? PROT_READ : PROT_READ | PROT_EXEC,
		 MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		return report(-1, errno);
	if (via_mprotect && mprotect(p, 4096, PROT_READ | PROT_EXEC) < 0)
		return report(-1, errno);
	return report(0, 0);
}

/* ---- files ---- */

static int mode_flags(const char *how)
{
	if (!how || !strcmp(how, "r"))
		return O_RDONLY;
	if (!strcmp(how, "w"))
		return O_WRONLY;
	if (!strcmp(how, "rw"))
		return O_RDWR;
	return -1;
}

static int do_openat2(const char *path, const char *flags, const char *how)
{
	struct open_how oh = { 0 };
	char *list = strdup(flags), *tok, *save = NULL;
	int dfd, fd, mode = mode_flags(how);

	if (!list || mode < 0)
		return usage();
	for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "no-symlinks"))
			oh.resolve |= RESOLVE_NO_SYMLINKS;
		else if (!strcmp(tok, "no-magiclinks"))
			oh.resolve |= RESOLVE_NO_MAGICLINKS;
		else if (!strcmp(tok, "no-xdev"))
			oh.resolve |= RESOLVE_NO_XDEV;
		else if (!strcmp(tok, "beneath"))
			oh.resolve |= RESOLVE_BENEATH;
		else if (!strcmp(tok, "in-root"))
			oh.resolve |= RESOLVE_IN_ROOT;
		else if (!strcmp(tok, "cached"))
			oh.resolve |= RESOLVE_CACHED;
		else if (strcmp(tok, "none"))
			return usage();
	}
	free(list);
	oh.flags = (unsigned)(mode | O_CLOEXEC);
	dfd = AT_FDCWD;
	if (*path == '/') {
		dfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (dfd < 0)
			return report(-1, errno);
		while (*path == '/')
			path++;
	}
	fd = (int)syscall(SYS_openat2, dfd, path, &oh, sizeof(oh));
	if (fd < 0)
		return report(-1, errno);
	close(fd);
	return report(0, 0);
}

static int do_opath_reopen(const char *path, const char *how)
{
	char buf[64];
	int fd = open(path, O_PATH), fd2, mode = mode_flags(how);

	if (mode < 0)
		return usage();
	if (fd < 0)
		return report(-1, errno);
	snprintf(buf, sizeof(buf), "/proc/self/fd/%d", fd);
	fd2 = open(buf, mode | O_CLOEXEC);
	if (fd2 < 0)
		return report(-1, errno);
	close(fd2);
	return report(0, 0);
}

static int do_handle_open(const char *path)
{
	struct {
		struct file_handle fh;
		unsigned char buf[MAX_HANDLE_SZ];
	} h;
	char dir[4096], *slash;
	int mount_id, mfd, fd;

	h.fh.handle_bytes = MAX_HANDLE_SZ;
	if (name_to_handle_at(AT_FDCWD, path, &h.fh, &mount_id, 0) < 0) {
		printf("name_to_handle_at: ");
		return report(-1, errno);
	}
	/* any descriptor on the same mount: the file's directory */
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash && slash != dir)
		*slash = 0;
	else
		strcpy(dir, "/");
	mfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (mfd < 0)
		return report(-1, errno);
	fd = open_by_handle_at(mfd, &h.fh, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return report(-1, errno);
	close(fd);
	return report(0, 0);
}

/* open for writing, then do what = 't' ftruncate, 'f' fallocate, 'm' mmap */
static int do_fd_write(const char *path, int what)
{
	int fd = open(path, (what == 'm' ? O_RDWR : O_WRONLY) | O_CLOEXEC);
	int rc = 0;

	if (fd < 0)
		return report(-1, errno);
	if (what == 't')
		rc = ftruncate(fd, 0);
	else if (what == 'f')
		rc = fallocate(fd, 0, 0, 8192);
	else if (what == 'm') {
		void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

		rc = p == MAP_FAILED ? -1 : 0;
	}
	return report(rc, errno);
}

static int do_open_trunc(const char *path)
{
	int fd = open(path, O_RDONLY | O_TRUNC | O_CLOEXEC);

	if (fd < 0)
		return report(-1, errno);
	close(fd);
	return report(0, 0);
}

/* chmod/chown to what the file already has: only the hooks can refuse. */
static int do_chmod_chown(const char *path, int own)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return report(-1, errno);
	if (own)
		return ev(chown(path, st.st_uid, st.st_gid));
	return ev(chmod(path, st.st_mode & 07777));
}

/* Open PATH after chroot(DIR) (optionally in a new user namespace, where an
 * unprivileged user holds CAP_SYS_CHROOT): d_path is then relative to DIR. */
static int do_chroot_open(const char *dir, const char *path, const char *how, int userns)
{
	int fd, mode = mode_flags(how);

	if (mode < 0)
		return usage();
	if (userns && syscall(SYS_unshare, CLONE_NEWUSER) < 0) {
		printf("unshare: ");
		return report(-1, errno);
	}
	if (chroot(dir) < 0) {
		printf("chroot: ");
		return report(-1, errno);
	}
	if (chdir("/") < 0)
		return report(-1, errno);
	fd = open(path, mode | O_CLOEXEC);
	if (fd < 0)
		return report(-1, errno);
	close(fd);
	return report(0, 0);
}

static void ex_chroot(const char *path)
{
	/* g_argv[1] holds the directory (see main) */
	if (chroot(g_argv[1]) < 0 || chdir("/") < 0)
		return;
	g_argv[1] = NULL;
	execve(path, g_argv, environ);
}

/* open_tree(OPEN_TREE_CLONE): a detached copy of DIR's mount, never attached;
 * NAME is opened relative to it. */
static int do_opentree_open(const char *dir, const char *name, const char *how)
{
	int tfd, fd, mode = mode_flags(how);

	if (mode < 0)
		return usage();
	tfd = (int)syscall(SYS_open_tree, AT_FDCWD, dir, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	if (tfd < 0) {
		printf("open_tree: ");
		return report(-1, errno);
	}
	fd = openat(tfd, name, mode | O_CLOEXEC);
	if (fd < 0)
		return report(-1, errno);
	close(fd);
	return report(0, 0);
}

static int do_opentree_move(const char *dir, const char *target)
{
	int tfd = (int)syscall(SYS_open_tree, AT_FDCWD, dir, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);

	if (tfd < 0) {
		printf("open_tree: ");
		return report(-1, errno);
	}
	return ev((int)syscall(SYS_move_mount, tfd, "", AT_FDCWD, target,
			       MOVE_MOUNT_F_EMPTY_PATH));
}

/* ---- network ---- */

/* how: 's' sendto, 'u' sendto with sa_family AF_UNSPEC (IPv4 UDP takes the
 * address anyway), 'm' sendmsg, 'M' sendmmsg, 'f' TCP Fast Open; '6'
 * sendto and 'C' connect then send, from an IPv6 UDP socket to an IPv4
 * sockaddr_in (udpv6 hands AF_INET over to IPv4) */
static int do_send(const char *addr, const char *port, int how)
{
	struct sockaddr_storage ss;
	socklen_t len = parse_addr(addr, port, &ss);
	struct iovec iov = { .iov_base = "trick", .iov_len = 5 };
	struct msghdr mh = { 0 };
	struct mmsghdr mm = { 0 };
	int fd, rc;
	ssize_t n;

	if (!len)
		return usage();
	fd = socket(how == '6' || how == 'C' ? AF_INET6 : ss.ss_family,
		    (how == 'f' ? SOCK_STREAM : SOCK_DGRAM) | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return report(-1, errno);
	mh.msg_name = &ss;
	mh.msg_namelen = len;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	switch (how) {
	case 'u':
		ss.ss_family = AF_UNSPEC;
		/* fall through */
	case 's':
	case '6':
		n = sendto(fd, "trick", 5, 0, (struct sockaddr *)&ss, len);
		break;
	case 'C':
		n = connect(fd, (struct sockaddr *)&ss, len);
		if (n == 0)
			n = send(fd, "trick", 5, 0);
		break;
	case 'm':
		n = sendmsg(fd, &mh, 0);
		break;
	case 'M':
		mm.msg_hdr = mh;
		n = sendmmsg(fd, &mm, 1, 0);
		if (n == 0) {
			n = -1;
			errno = EAGAIN;
		}
		break;
	default:
		n = sendto(fd, "trick", 5, MSG_FASTOPEN, (struct sockaddr *)&ss, len);
	}
	rc = report(n < 0 ? -1 : 0, errno);
	close(fd);
	return rc;
}

static int do_udp_recv(const char *addr, const char *port, const char *secs)
{
	struct sockaddr_storage ss;
	socklen_t len = parse_addr(addr, port, &ss);
	struct timeval tv = { .tv_sec = atoi(secs) };
	char buf[256];
	ssize_t n;
	int fd;

	if (!len)
		return usage();
	fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return report(-1, errno);
	if (bind(fd, (struct sockaddr *)&ss, len) < 0)
		return report(-1, errno);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	n = recv(fd, buf, sizeof(buf) - 1, 0);
	if (n < 0) {
		puts("timeout");
		return 1;
	}
	buf[n] = 0;
	puts(buf);
	return 0;
}

/* how: 's' short addrlen, 'l' sizeof(sockaddr_storage), 'u' connect to
 * 127.0.0.1 (or ::1), AF_UNSPEC, then ADDR (UDP) */
static int do_connect_odd(const char *addr, const char *port, int how)
{
	struct sockaddr_storage ss, first;
	socklen_t len = parse_addr(addr, port, &ss);
	int fd, rc;

	if (!len)
		return usage();
	fd = socket(ss.ss_family, (how == 'u' ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return report(-1, errno);
	if (how == 's')
		len = ss.ss_family == AF_INET ? 8 : 20;
	else if (how == 'l')
		len = sizeof(ss);
	else {
		struct sockaddr unspec = { .sa_family = AF_UNSPEC };
		socklen_t flen = parse_addr(ss.ss_family == AF_INET ? "127.0.0.1" : "::1",
					    port, &first);

		if (connect(fd, (struct sockaddr *)&first, flen) < 0) {
			printf("first connect: ");
			return report(-1, errno);
		}
		if (connect(fd, &unspec, sizeof(unspec)) < 0) {
			printf("AF_UNSPEC connect: ");
			return report(-1, errno);
		}
	}
	rc = ev(connect(fd, (struct sockaddr *)&ss, len));
	close(fd);
	return rc;
}

/* ---- io_uring, raw ---- */

static int uring_report(int res, int setup_err)
{
	if (setup_err == ENOSYS || setup_err == EPERM) {
		puts("ENOSYS-setup");
		return 1;
	}
	if (setup_err) {
		printf("setup: ");
		return report(-1, setup_err);
	}
	return report(res < 0 ? -1 : 0, -res);
}

static int do_uring_connect(const char *addr, const char *port)
{
	struct sockaddr_storage ss;
	socklen_t len = parse_addr(addr, port, &ss);
	struct io_uring_sqe sqe;
	int fd, res, serr = 0;

	if (!len)
		return usage();
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return report(-1, errno);
	memset(&sqe, 0, sizeof(sqe));
	sqe.opcode = IORING_OP_CONNECT;
	sqe.fd = fd;
	sqe.addr = (uint64_t)(uintptr_t)&ss;
	sqe.off = len;
	res = uring_one(&sqe, &serr);
	return uring_report(res, serr);
}

static int do_uring_openat(const char *path)
{
	struct io_uring_sqe sqe;
	int res, serr = 0;

	memset(&sqe, 0, sizeof(sqe));
	sqe.opcode = IORING_OP_OPENAT;
	sqe.fd = AT_FDCWD;
	sqe.addr = (uint64_t)(uintptr_t)path;
	sqe.open_flags = O_RDONLY | O_CLOEXEC;
	res = uring_one(&sqe, &serr);
	return uring_report(res, serr);
}

/* IORING_OP_SOCKET of a raw IPv4 socket, or of a packet socket (both need
 * CAP_NET_RAW), never through socket(2). */
static int do_uring_rawsocket(int packet)
{
	struct io_uring_sqe sqe;
	int res, serr = 0;

	memset(&sqe, 0, sizeof(sqe));
	sqe.opcode = IORING_OP_SOCKET;
	sqe.fd = packet ? AF_PACKET : AF_INET;
	sqe.off = SOCK_RAW;
	sqe.len = packet ? htons(0x0003) /* ETH_P_ALL */ : IPPROTO_ICMP;
	res = uring_one(&sqe, &serr);
	return uring_report(res, serr);
}

/* clone3(CLONE_INTO_CGROUP) with a cgroup fd the caller opened itself. */
static int do_clone_into(const char *cgdir, char **cmd)
{
	struct clone_args ca;
	int cfd = open(cgdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), st;
	long pid;

	if (cfd < 0)
		return report(-1, errno);
	memset(&ca, 0, sizeof(ca));
	ca.flags = CLONE_INTO_CGROUP;
	ca.exit_signal = SIGCHLD;
	ca.cgroup = (uint64_t)cfd;
	fflush(stdout);
	pid = syscall(SYS_clone3, &ca, sizeof(ca));
	if (pid < 0)
		return report(-1, errno);
	if (pid == 0) {
		execv(cmd[0], cmd);
		_exit(127);
	}
	while (waitpid((pid_t)pid, &st, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}

/* mount(2) as the confined process: a bind, or a tmpfs; optionally in a
 * new mount namespace first (how = 'b', 't', 'u'). */
static int do_mount(const char *src, const char *dst, int how)
{
	if (how == 'u' && syscall(SYS_unshare, CLONE_NEWNS) < 0) {
		printf("unshare: ");
		return report(-1, errno);
	}
	if (how == 't')
		return ev((int)syscall(SYS_mount, "t61", dst, "tmpfs", 0UL, NULL));
	return ev((int)syscall(SYS_mount, src, dst, NULL, (unsigned long)MS_BIND, NULL));
}

int main(int argc, char **argv)
{
	const char *c;
	char *a1, *a2;
	char *target[3] = { 0 };

	if (argc < 3)
		return usage();
	c = argv[1];
	a1 = argv[2];
	a2 = argc > 3 ? argv[3] : NULL;
	target[0] = a1;
	g_argv = target;

	if (!strcmp(c, "clone-into") && argc > 3)
		return do_clone_into(a1, argv + 3);
	if (!strcmp(c, "fexecve"))
		return run_exec(ex_fexecve, a1);
	if (!strcmp(c, "execveat-empty"))
		return run_exec(ex_execveat_empty, a1);
	if (!strcmp(c, "exec-procfd"))
		return run_exec(ex_procfd, a1);
	if (!strcmp(c, "memfd-exec"))
		return run_exec(ex_memfd, a1);
	if (!strcmp(c, "mmap-exec"))
		return do_mmap_exec(a1, 0);
	if (!strcmp(c, "mprotect-exec"))
		return do_mmap_exec(a1, 1);
	if (!strcmp(c, "openat2") && a2)
		return do_openat2(a1, a2, argc > 4 ? argv[4] : NULL);
	if (!strcmp(c, "opath-reopen"))
		return do_opath_reopen(a1, a2);
	if (!strcmp(c, "handle-open"))
		return do_handle_open(a1);
	if (!strcmp(c, "open-trunc"))
		return do_open_trunc(a1);
	if (!strcmp(c, "truncate"))
		return ev(truncate(a1, 0));
	if (!strcmp(c, "ftruncate"))
		return do_fd_write(a1, 't');
	if (!strcmp(c, "fallocate"))
		return do_fd_write(a1, 'f');
	if (!strcmp(c, "mmap-shared-write"))
		return do_fd_write(a1, 'm');
	if (!strcmp(c, "chmod"))
		return do_chmod_chown(a1, 0);
	if (!strcmp(c, "chown"))
		return do_chmod_chown(a1, 1);
	if (!strcmp(c, "rename") && a2)
		return ev(rename(a1, a2));
	if (!strcmp(c, "link") && a2)
		return ev(link(a1, a2));
	if (!strcmp(c, "unlink"))
		return ev(unlink(a1));
	if (!strcmp(c, "rmdir"))
		return ev(rmdir(a1));
	if (!strcmp(c, "chroot-open") && a2)
		return do_chroot_open(a1, a2, argc > 4 ? argv[4] : NULL, 0);
	if (!strcmp(c, "userns-chroot-open") && a2)
		return do_chroot_open(a1, a2, argc > 4 ? argv[4] : NULL, 1);
	if (!strcmp(c, "opentree-open") && a2)
		return do_opentree_open(a1, a2, argc > 4 ? argv[4] : NULL);
	if (!strcmp(c, "opentree-move") && a2)
		return do_opentree_move(a1, a2);
	if (!strcmp(c, "chroot-exec") && a2) {
		target[0] = a2;
		target[1] = a1;
		return run_exec(ex_chroot, a2);
	}
	if (!strcmp(c, "uring-openat"))
		return do_uring_openat(a1);
	if (!strcmp(c, "uring-socket") && (!strcmp(a1, "raw") || !strcmp(a1, "packet")))
		return do_uring_rawsocket(a1[0] == 'p');
	if (!strcmp(c, "mount-tmpfs"))
		return do_mount(NULL, a1, 't');
	if (!strcmp(c, "mount-bind") && a2)
		return do_mount(a1, a2, 'b');
	if (!strcmp(c, "unshare-mount-bind") && a2)
		return do_mount(a1, a2, 'u');
	if (!a2)
		return usage();
	if (!strcmp(c, "sendto"))
		return do_send(a1, a2, 's');
	if (!strcmp(c, "sendto-unspec"))
		return do_send(a1, a2, 'u');
	if (!strcmp(c, "sendto-v6sock"))
		return do_send(a1, a2, '6');
	if (!strcmp(c, "connect-v6sock"))
		return do_send(a1, a2, 'C');
	if (!strcmp(c, "sendmsg"))
		return do_send(a1, a2, 'm');
	if (!strcmp(c, "sendmmsg"))
		return do_send(a1, a2, 'M');
	if (!strcmp(c, "tfo"))
		return do_send(a1, a2, 'f');
	if (!strcmp(c, "connect-shortlen"))
		return do_connect_odd(a1, a2, 's');
	if (!strcmp(c, "connect-longlen"))
		return do_connect_odd(a1, a2, 'l');
	if (!strcmp(c, "connect-unspec-then"))
		return do_connect_odd(a1, a2, 'u');
	if (!strcmp(c, "udp-recv") && argc == 5)
		return do_udp_recv(a1, a2, argv[4]);
	if (!strcmp(c, "uring-connect"))
		return do_uring_connect(a1, a2);
	return usage();
}
