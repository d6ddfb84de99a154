// SPDX-License-Identifier: GPL-2.0-only
/*
 * atk97.c - attacker helper for t/vm/guest/9*-*.sh:
 *   atk97 fhexec DIR IN   open_by_handle_at(DIR's mount, handle IN saved by
 *                         `attack fhsave`, O_RDONLY), then execveat(fd, "",
 *                         AT_EMPTY_PATH) in a child (stdout to /dev/null);
 *                         prints ok or the errno's name
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

int main(int argc, char **argv)
{
	struct file_handle *h = malloc(sizeof(*h) + MAX_HANDLE_SZ);
	int mfd, fd, p[2], st, e = 0;
	FILE *f;
	pid_t c;

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
