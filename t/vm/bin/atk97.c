// SPDX-License-Identifier: GPL-2.0-only
/*
 * atk97.c - attacker helper for t/vm/guest/9*-*.sh:
 *   atk97 fhexec DIR IN   open_by_handle_at(DIR's mount, handle IN saved by
 *                         `attack fhsave`, O_RDONLY), then execveat(fd, "",
 *                         AT_EMPTY_PATH) in a child (stdout to /dev/null);
 *                         prints ok or the errno's name
 *   atk97 mnt [ANY...]    mount a tmpfs on /mnt/t98 (extra arguments, such as
 *                         a script's path when it is a #! interpreter, are
 *                         ignored); prints ok or the errno's name
 *   atk97 mnt-ns [ANY...] unshare(CLONE_NEWNS), make every mount private, then
 *                         as mnt (in a user namespace: the runtime's own
 *                         namespace work, capabilities judged there)
 *   atk97 uns [ANY...]    unshare(CLONE_NEWUSER), write its uid_map "0 UID 1"
 *                         (UID: its own), then as mnt-ns (rootless crun's
 *                         steps; the map needs CAP_SYS_ADMIN there)
 *   atk97 mnt-in CGDIR [ANY...]
 *                         move itself into cgroup CGDIR, then as mnt (no
 *                         exec in between)
 *   atk97 fdexec PATH ARG0 ARGS...
 *                         open PATH, execveat(fd, "", AT_EMPTY_PATH) with
 *                         ARG0 ARGS...; prints the errno's name if it fails
 *   atk97 getfd-move PID FD PROG ARGS...
 *                         take PID's descriptor FD (pidfd_getfd: a file
 *                         receipt), write its own pid through it (a
 *                         cgroup.procs: a self-move), then exec PROG ARGS;
 *                         prints "getfd:ERRNO" or "move:ERRNO" on failure
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static const char *en(int e)
{
	switch (e) {
	case EPERM: return "EPERM";
	case EACCES: return "EACCES";
	case ENOENT: return "ENOENT";
	case ESTALE: return "ESTALE";
	case EINVAL: return "EINVAL";
	default: return strerror(e);
	}
}

static int mnt(void)
{
	if (mount("t98", "/mnt/t98", "tmpfs", 0, NULL)) {
		printf("%s\n", en(errno));
		return 1;
	}
	printf("ok\n");
	return 0;
}

static int getfd_move(char **argv)
{
	int pfd = (int)syscall(SYS_pidfd_open, atoi(argv[2]), 0);
	int fd = pfd < 0 ? -1 : (int)syscall(SYS_pidfd_getfd, pfd, atoi(argv[3]), 0);
	char pid[32];
	int n;

	if (fd < 0) {
		printf("getfd:%s\n", en(errno));
		return 1;
	}
	n = snprintf(pid, sizeof(pid), "%d\n", getpid());
	if (write(fd, pid, n) != n) {
		printf("move:%s\n", en(errno));
		return 1;
	}
	fflush(stdout);
	execve(argv[4], argv + 4, environ);
	printf("%s\n", en(errno));
	return 1;
}

int main(int argc, char **argv)
{
	struct file_handle *h = malloc(sizeof(*h) + MAX_HANDLE_SZ);
	int mfd, fd, p[2], st, e = 0;
	FILE *f;
	pid_t c;

	if (argc >= 2 && !strcmp(argv[1], "mnt"))
		return mnt();
	if (argc >= 2 && !strcmp(argv[1], "uns")) {
		char m[64];

		snprintf(m, sizeof(m), "0 %u 1\n", (unsigned)getuid());
		if (unshare(CLONE_NEWUSER)) {
			printf("%s\n", en(errno));
			fprintf(stderr, "atk97: unshare(CLONE_NEWUSER): %s\n", en(errno));
			return 1;
		}
		fd = open("/proc/self/uid_map", O_WRONLY);
		if (fd < 0 || write(fd, m, strlen(m)) < 0) {
			printf("%s\n", en(errno));
			fprintf(stderr, "atk97: uid_map: %s\n", en(errno));
			return 1;
		}
		close(fd);
		argv[1] = "mnt-ns";
	}
	if (argc >= 2 && !strcmp(argv[1], "mnt-ns")) {
		if (unshare(CLONE_NEWNS)) {
			printf("%s\n", en(errno));
			fprintf(stderr, "atk97: unshare(CLONE_NEWNS): %s\n", en(errno));
			return 1;
		}
		if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL)) {
			printf("%s\n", en(errno));
			fprintf(stderr, "atk97: MS_PRIVATE: %s\n", en(errno));
			return 1;
		}
		return mnt();
	}
	if (argc >= 5 && !strcmp(argv[1], "getfd-move"))
		return getfd_move(argv);
	if (argc >= 3 && !strcmp(argv[1], "mnt-in")) {
		char path[4096];

		snprintf(path, sizeof(path), "%s/cgroup.procs", argv[2]);
		f = fopen(path, "w");
		if (!f || fprintf(f, "0\n") < 0 || fclose(f)) {
			printf("join %s\n", en(errno));
			return 1;
		}
		return mnt();
	}
	if (argc >= 4 && !strcmp(argv[1], "fdexec")) {
		fd = open(argv[2], O_RDONLY);
		if (fd < 0) {
			printf("open %s\n", en(errno));
			return 1;
		}
		syscall(SYS_execveat, fd, "", argv + 3, environ, AT_EMPTY_PATH);
		printf("%s\n", en(errno));
		return 1;
	}
	if (argc != 4 || strcmp(argv[1], "fhexec"))
		return 2;
	mfd = open(argv[2], O_RDONLY | O_DIRECTORY);
	f = fopen(argv[3], "r");
	if (mfd < 0 || !f || fread(h, 1, sizeof(*h) + MAX_HANDLE_SZ, f) < sizeof(*h)) {
		printf("setup %s\n", en(errno));
		return 1;
	}
	fd = open_by_handle_at(mfd, h, O_RDONLY);
	if (fd < 0) {
		printf("open_by_handle_at %s\n", en(errno));
		return 1;
	}
	if (pipe2(p, O_CLOEXEC) < 0)
		return 1;
	c = fork();
	if (!c) {
		char *av[] = { "x", NULL };
		int n = open("/dev/null", O_WRONLY);

		dup2(n, 1);
		syscall(SYS_execveat, fd, "", av, environ, AT_EMPTY_PATH);
		e = errno;
		if (write(p[1], &e, sizeof(e)) < 0)
			_exit(3);
		_exit(127);
	}
	close(p[1]);
	if (read(p[0], &e, sizeof(e)) != sizeof(e))
		e = 0;
	waitpid(c, &st, 0);
	if (e) {
		printf("%s\n", en(e));
		return 1;
	}
	printf("ok\n");
	return 0;
}
