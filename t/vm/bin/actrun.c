// SPDX-License-Identifier: GPL-2.0-only
/*
 * actrun.c - static helper run inside the test VM (issue 17): reads policy
 * test lines (`ACTION [-> VERDICT]`, as `enforcerctl test --emit` writes
 * them) on stdin, performs each action for real in its own cgroup, and
 * prints `ACTION -> allow|deny` as the kernel decided: deny for EPERM,
 * allow when the call passed or failed after the LSM hooks (a connect's
 * ECONNREFUSED, ENETUNREACH or EINPROGRESS, a bind's EADDRNOTAVAIL or
 * EADDRINUSE), `error:ERRNO` for anything else (a missing file: the test is
 * broken, never counted as allow).  `cgroup =` and comment lines are skipped.
 *
 *   exec PATH [not-owner]              execve in a child (stdio /dev/null, 5 s alarm;
 *                                      not-owner: file-system uid and gid 65534)
 *   open PATH [read] [write] [truncate] [create] [not-owner]
 *                                      (not-owner: in a child with file-system
 *                                      uid and gid 65534, so that a root-owned
 *                                      file is not its own; DAC must let it)
 *   connect ADDR PORT tcp|udp          non-blocking connect(2)
 *   connect raw PROTO [ipv6]           socket(2) of a raw IP socket (icmp,
 *                                      tcp, udp, sctp or a number)
 *   unlink P | rmdir P | mkdir P | mknod P (a regular file) | symlink T P
 *   link A B | rename A B | exchange A B (renameat2 RENAME_EXCHANGE)
 *                                      the name operations, done here
 *   bind ADDR PORT tcp|udp             bind(2)
 *   finit_module FD                    finit_module(2) (-1: no module; only
 *                                      CAP_SYS_MODULE is tried: EPERM deny)
 *
 * Any line may end in `exe P` and/or `parent Q` (issue 19's program
 * conditions): P and Q are copies of actrun.  The action is then
 * done by a process running P (default: actrun itself) whose parent
 * process runs Q (default: actrun): actrun starts Q (or P) as
 * `Q --act P ACTION`, Q starts P as `P --act "" ACTION`, and P does the
 * action itself (an exec: P's own execve, so that the kernel sees P as
 * the program and Q as its parent's), writing its errno to fd 3 (none
 * after a successful exec: fd 3 is closed on exec).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* Run argv[0] in a child with stdio on /dev/null and an alarm of secs:
 * the errno of its failed execve comes back over a pipe (nothing after a
 * successful exec: the pipe's end is closed on exec).  With fd3 the
 * child's end is also fd 3, left open across the exec, so that a program
 * it runs (actrun --act) can report the errno of its own action there.
 * The errno, or 0 when it passed. */
static int not_owner;   /* the next exec: file-system uid and gid 65534 */

/* fsuid and fsgid 65534 (before an exec `not-owner`): 0, or an errno */
static int be_nobody(void)
{
	setfsgid(65534);
	setfsuid(65534);
	return (int)setfsuid((uid_t)-1) == 65534 ? 0 : ENOTRECOVERABLE;
}

static int run_child(char *const argv[], int fd3, unsigned secs)
{
	int p[2], e = 0, st;
	pid_t pid;
	ssize_t n;

	if (pipe2(p, O_CLOEXEC) < 0)
		return errno;
	pid = fork();
	if (pid < 0)
		return errno;
	if (pid == 0) {
		char *envp[] = { NULL };
		int fd = open("/dev/null", O_RDWR), out = p[1];

		close(p[0]);
		if (fd3) {
			/* not closed on exec (dup2 onto itself would keep O_CLOEXEC) */
			if (p[1] == 3 ? fcntl(3, F_SETFD, 0) < 0 : dup2(p[1], 3) < 0)
				_exit(125);
			out = 3;
		}
		if (fd >= 0) {
			dup2(fd, 0);
			dup2(fd, 1);
			dup2(fd, 2);
		}
		alarm(secs);
		if (not_owner && (e = be_nobody()) != 0) {
			if (write(out, &e, sizeof(e)) < 0)
				_exit(126);
			_exit(127);
		}
		execve(argv[0], argv, envp);
		e = errno;
		if (write(out, &e, sizeof(e)) < 0)
			_exit(126);
		_exit(127);
	}
	close(p[1]);
	n = read(p[0], &e, sizeof(e));
	close(p[0]);
	waitpid(pid, &st, 0);
	return n == (ssize_t)sizeof(e) ? e : 0;
}

static int do_exec(const char *path)
{
	char *argv[] = { (char *)path, NULL };

	return run_child(argv, 0, 5);
}

/* An action done by program exe with a parent running par (either
 * "": actrun's own).  The errno, or 0 when it passed. */
static int do_as(const char *self, const char *exe, const char *par, const char *action)
{
	const char *first = par[0] ? par : exe;
	char *argv[] = { (char *)first, "--act", (char *)(par[0] ? (exe[0] ? exe : self) : ""),
			 (char *)action, NULL };

	return run_child(argv, 1, 10);
}

static int do_open(char **w, int n);
static int do_name(char **w, int n);
static int do_raw(char **w, int n);
static int do_net(char **w, int n, int bind_it);
static int do_module(char **w, int n);

/* `--act NEXT ACTION`: start NEXT to do it (as its parent), or do it here. */
static int act(const char *next, const char *action)
{
	char copy[8192], *w[16], *save = NULL, *t;
	int n = 0, e, st;

	if (next[0]) {
		pid_t pid = fork();

		if (pid < 0)
			return 1;
		if (pid == 0) {
			char *argv[] = { (char *)next, "--act", "", (char *)action, NULL };
			char *envp[] = { NULL };

			execve(next, argv, envp);
			e = errno;
			if (write(3, &e, sizeof(e)) < 0)
				_exit(126);
			_exit(127);
		}
		close(3);
		waitpid(pid, &st, 0);
		return 0;
	}
	snprintf(copy, sizeof(copy), "%s", action);
	for (t = strtok_r(copy, " \t", &save); t && n < 16; t = strtok_r(NULL, " \t", &save))
		w[n++] = t;
	if (n >= 2 && !strcmp(w[0], "exec")) {
		char *argv[] = { w[1], NULL }, *envp[] = { NULL };

		fcntl(3, F_SETFD, FD_CLOEXEC);
		e = n == 3 && !strcmp(w[2], "not-owner") ? be_nobody() : 0;
		if (!e) {
			execve(w[1], argv, envp);
			e = errno;
		}
	} else if (n >= 2 && !strcmp(w[0], "open")) {
		e = do_open(w, n);
	} else if (n >= 2 && !strcmp(w[0], "connect") && !strcmp(w[1], "raw")) {
		e = do_raw(w, n);
	} else if (n >= 2 && (!strcmp(w[0], "connect") || !strcmp(w[0], "bind"))) {
		e = do_net(w, n, w[0][0] == 'b');
	} else if (n >= 2 && !strcmp(w[0], "finit_module")) {
		e = do_module(w, n);
	} else {
		e = do_name(w, n);
	}
	if (e < 0)
		e = EINVAL;
	if (write(3, &e, sizeof(e)) < 0)
		return 1;
	return 0;
}

static int do_open(char **w, int n)
{
	int rd = 0, wr = 0, flags = 0, fd, other = 0;

	for (int i = 2; i < n; i++) {
		if (!strcmp(w[i], "read"))
			rd = 1;
		else if (!strcmp(w[i], "write"))
			wr = 1;
		else if (!strcmp(w[i], "truncate"))
			flags |= O_TRUNC;
		else if (!strcmp(w[i], "create"))
			flags |= O_CREAT | O_EXCL;
		else if (!strcmp(w[i], "not-owner"))
			other = 1;
		else
			return -1;
	}
	if (!rd && !wr)
		wr = flags ? 1 : 0, rd = !wr;
	flags |= rd && wr ? O_RDWR : wr ? O_WRONLY : O_RDONLY;
	if (other) {
		int st;
		pid_t pid = fork();

		if (pid < 0)
			return errno;
		if (pid == 0) {
			if (be_nobody())
				_exit(ENOTRECOVERABLE);
			fd = open(w[1], flags | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, 0644);
			_exit(fd < 0 ? errno : 0);
		}
		if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st))
			return ECHILD;
		return WEXITSTATUS(st);
	}
	fd = open(w[1], flags | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, 0644);
	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

static int sockaddr_of(const char *a, const char *port, struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
	long p = strtol(port, NULL, 10);

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, a, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)p);
		*len = sizeof(*s4);
		return 0;
	}
	if (inet_pton(AF_INET6, a, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)p);
		*len = sizeof(*s6);
		return 0;
	}
	return -1;
}

/* A name operation (unlink, rmdir, mkdir, mknod, symlink, link, rename,
 * exchange): 0, an errno, or -1 for a line it does not know. */
static int do_name(char **w, int n)
{
	int rc;

	if (n == 2 && !strcmp(w[0], "unlink"))
		rc = unlink(w[1]);
	else if (n == 2 && !strcmp(w[0], "rmdir"))
		rc = rmdir(w[1]);
	else if (n == 2 && !strcmp(w[0], "mkdir"))
		rc = mkdir(w[1], 0700);
	else if (n == 2 && !strcmp(w[0], "mknod"))
		rc = mknod(w[1], S_IFREG | 0400, 0);
	else if (n == 3 && !strcmp(w[0], "symlink"))
		rc = symlink(w[1], w[2]);
	else if (n == 3 && !strcmp(w[0], "link"))
		rc = link(w[1], w[2]);
	else if (n == 3 && !strcmp(w[0], "rename"))
		rc = rename(w[1], w[2]);
	else if (n == 3 && !strcmp(w[0], "exchange"))
		rc = renameat2(AT_FDCWD, w[1], AT_FDCWD, w[2], RENAME_EXCHANGE);
	else
		return -1;
	return rc < 0 ? errno : 0;
}

/* `finit_module FD`: load a module from FD (-1: none); CAP_SYS_MODULE is
 * checked first, so EPERM is the capability refused and EBADF (or any
 * other error) the call passed it. */
static int do_module(char **w, int n)
{
	if (n != 2)
		return -1;
	if (syscall(SYS_finit_module, atoi(w[1]), "", 0) < 0 && errno == EPERM)
		return EPERM;
	return 0;
}

/* `connect raw PROTO [ipv6]`: make the raw socket (judged when made). */
static int do_raw(char **w, int n)
{
	int v6 = n > 3 && !strcmp(w[3], "ipv6"), proto, fd;

	if (n < 3)
		return -1;
	if (!strcmp(w[2], "icmp"))
		proto = v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
	else if (!strcmp(w[2], "tcp"))
		proto = IPPROTO_TCP;
	else if (!strcmp(w[2], "udp"))
		proto = IPPROTO_UDP;
	else if (!strcmp(w[2], "sctp"))
		proto = IPPROTO_SCTP;
	else
		proto = atoi(w[2]);
	if (proto < 0 || proto > 255)
		return -1;
	fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_RAW | SOCK_CLOEXEC, proto);
	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

static int do_net(char **w, int n, int bind_it)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int udp = n > 3 && !strcmp(w[3], "udp"), fd, rc, one = 1;

	if (n < 3 || sockaddr_of(w[1], w[2], &ss, &len) < 0)
		return -1;
	fd = socket(ss.ss_family, (udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	rc = bind_it ? bind(fd, (struct sockaddr *)&ss, len) : connect(fd, (struct sockaddr *)&ss, len);
	rc = rc < 0 ? errno : 0;
	close(fd);
	if (!bind_it && (rc == ECONNREFUSED || rc == ENETUNREACH || rc == EINPROGRESS ||
			 rc == EHOSTUNREACH))
		return 0;
	if (bind_it && (rc == EADDRNOTAVAIL || rc == EADDRINUSE))
		return 0;
	return rc;
}

int main(int argc, char **argv)
{
	char line[8192], self[4096];
	ssize_t sl;

	signal(SIGPIPE, SIG_IGN);
	if (argc == 4 && !strcmp(argv[1], "--act"))
		return act(argv[2], argv[3]);
	sl = readlink("/proc/self/exe", self, sizeof(self) - 1);
	self[sl > 0 ? sl : 0] = 0;
	while (fgets(line, sizeof(line), stdin)) {
		char copy[8192], *w[16], *save = NULL, *arrow, *t;
		int n = 0, e;

		line[strcspn(line, "\n")] = 0;
		if (!line[0] || line[0] == ';' || line[0] == '#' || !strncmp(line, "cgroup", 6))
			continue;
		arrow = strstr(line, " ->");
		if (arrow)
			*arrow = 0;
		snprintf(copy, sizeof(copy), "%s", line);
		for (t = strtok_r(copy, " \t", &save); t && n < 16; t = strtok_r(NULL, " \t", &save))
			w[n++] = t;
		if (n < 2) {
			printf("%s -> error:syntax\n", line);
			continue;
		}
		/* `exe P`, `parent Q` at the end of a line */
		const char *exe = "", *par = "";

		while (n >= 4 && (!strcmp(w[n - 2], "exe") || !strcmp(w[n - 2], "parent"))) {
			if (w[n - 2][0] == 'e')
				exe = w[n - 1];
			else
				par = w[n - 1];
			n -= 2;
		}
		if (exe[0] || par[0]) {
			char action[8192];
			size_t al = 0;

			action[0] = 0;
			for (int k = 0; k < n; k++)
				al += (size_t)snprintf(action + al, sizeof(action) - al, "%s%s", k ? " " : "", w[k]);
			e = do_as(self, exe, par, action);
		} else if (!strcmp(w[0], "exec")) {
			not_owner = n == 3 && !strcmp(w[2], "not-owner");
			e = n == 2 || not_owner ? do_exec(w[1]) : -1;
			not_owner = 0;
		}
		else if (!strcmp(w[0], "open"))
			e = do_open(w, n);
		else if (!strcmp(w[0], "connect") && !strcmp(w[1], "raw"))
			e = do_raw(w, n);
		else if (!strcmp(w[0], "connect"))
			e = do_net(w, n, 0);
		else if (!strcmp(w[0], "bind"))
			e = do_net(w, n, 1);
		else if (!strcmp(w[0], "finit_module"))
			e = do_module(w, n);
		else
			e = do_name(w, n);
		if (e == 0)
			printf("%s -> allow\n", line);
		else if (e == EPERM)
			printf("%s -> deny\n", line);
		else if (e < 0)
			printf("%s -> error:syntax\n", line);
		else
			printf("%s -> error:%s\n", line, strerrorname_np(e) ? strerrorname_np(e) : "?");
		fflush(stdout);
	}
	return 0;
}
