// SPDX-License-Identifier: GPL-2.0-only
/*
 * ttyinject.c - static helper run inside the test VM: a process in a cgroup
 * pushes input into a terminal that an unconfined process reads, the way a
 * command started from an admin's shell could type into that shell.
 *
 *   ttyinject sti CGDIR            this process (unconfined) makes a pty and
 *                                  reads its slave side; a child moves into
 *                                  CGDIR, makes the slave its controlling
 *                                  terminal (setsid + open) and calls
 *                                  ioctl(TIOCSTI, "x").  Prints the ioctl's
 *                                  result ("ok" or the errno's name), then
 *                                  "injected" when the byte reached the
 *                                  reader, "none" when it did not
 *   ttyinject sti32 CGDIR PROG     the same, the child exec'ing PROG (the
 *                                  32-bit tiocsti32, its terminal as fd 0)
 *   ttyinject linux SUB CGDIR DEV  a child in CGDIR opens DEV and calls
 *                                  ioctl(TIOCLINUX) with subcode SUB (its
 *                                  other bytes zero); prints the result
 *
 * Exit status 0 when the run went as far as printing, 2 on misuse or a
 * failure of the set-up itself.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static const char *ename(int e)
{
	switch (e) {
	case 0: return "ok";
	case EPERM: return "EPERM";
	case EACCES: return "EACCES";
	case ENOTTY: return "ENOTTY";
	case EINVAL: return "EINVAL";
	case EIO: return "EIO";
	case ENXIO: return "ENXIO";
	case ENOENT: return "ENOENT";
	}
	return "EOTHER";
}

/* Move the calling process into the cgroup directory dir. */
static int enter(const char *dir)
{
	char p[4096], pid[32];
	int fd, n;

	snprintf(p, sizeof(p), "%s/cgroup.procs", dir);
	fd = open(p, O_WRONLY);
	if (fd < 0)
		return -1;
	n = snprintf(pid, sizeof(pid), "%d", getpid());
	n = write(fd, pid, n) == n ? 0 : -1;
	close(fd);
	return n;
}

/* Child of sti/sti32: report the ioctl's errno on fd w (one byte). */
static void child_sti(const char *slave, const char *cg, const char *prog, int w)
{
	unsigned char e = 0;
	int fd, st;

	if (enter(cg) || setsid() < 0)
		_exit(2);
	fd = open(slave, O_RDWR);       /* the first tty a session leader opens: its terminal */
	if (fd < 0)
		_exit(2);
	if (!prog) {
		e = ioctl(fd, TIOCSTI, "x") ? errno : 0;
	} else {
		pid_t p = fork();

		if (p == 0) {
			dup2(fd, 0);
			execl(prog, prog, (char *)NULL);
			_exit(127);
		}
		if (p < 0 || waitpid(p, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) == 127)
			_exit(2);
		e = WEXITSTATUS(st);
	}
	if (write(w, &e, 1) != 1)
		_exit(2);
	_exit(0);
}

static int sti(const char *cg, const char *prog)
{
	struct pollfd pf;
	struct termios t;
	int m, s, pfd[2], st;
	unsigned char e;
	char *name, c;
	pid_t pid;

	m = posix_openpt(O_RDWR | O_NOCTTY);
	if (m < 0 || grantpt(m) || unlockpt(m) || !(name = ptsname(m)))
		return 2;
	s = open(name, O_RDWR | O_NOCTTY | O_NONBLOCK);
	if (s < 0 || tcgetattr(s, &t))
		return 2;
	cfmakeraw(&t);                  /* one byte is readable at once */
	if (tcsetattr(s, TCSANOW, &t) || pipe(pfd))
		return 2;
	pid = fork();
	if (pid < 0)
		return 2;
	if (pid == 0) {
		close(pfd[0]);
		child_sti(name, cg, prog, pfd[1]);
	}
	close(pfd[1]);
	if (read(pfd[0], &e, 1) != 1 || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
		return 2;
	pf.fd = s;
	pf.events = POLLIN;
	printf("%s %s\n", ename(e), poll(&pf, 1, 500) == 1 && read(s, &c, 1) == 1 && c == 'x' ? "injected" : "none");
	return 0;
}

static int tioclinux(int sub, const char *cg, const char *dev)
{
	int pfd[2], st;
	unsigned char e;
	pid_t pid;

	if (pipe(pfd))
		return 2;
	pid = fork();
	if (pid < 0)
		return 2;
	if (pid == 0) {
		char arg[32] = { (char)sub };   /* subcode, then a zeroed selection */
		int fd;

		if (enter(cg))
			_exit(2);
		fd = open(dev, O_RDWR | O_NOCTTY);
		if (fd < 0)
			_exit(2);
		e = ioctl(fd, TIOCLINUX, arg) ? errno : 0;
		_exit(write(pfd[1], &e, 1) == 1 ? 0 : 2);
	}
	close(pfd[1]);
	if (read(pfd[0], &e, 1) != 1 || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
		return 2;
	printf("%s\n", ename(e));
	return 0;
}

int main(int argc, char **argv)
{
	alarm(30);              /* a test that hangs here fails, not the whole script */
	if (argc == 3 && !strcmp(argv[1], "sti"))
		return sti(argv[2], NULL);
	if (argc == 4 && !strcmp(argv[1], "sti32"))
		return sti(argv[2], argv[3]);
	if (argc == 5 && !strcmp(argv[1], "linux"))
		return tioclinux(atoi(argv[2]), argv[3], argv[4]);
	fprintf(stderr, "usage: ttyinject sti CGDIR | sti32 CGDIR PROG | linux SUB CGDIR DEV\n");
	return 2;
}
