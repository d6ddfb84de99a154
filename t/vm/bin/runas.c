// SPDX-License-Identifier: GPL-2.0-only
/*
 * runas.c - static helper run inside the test VM: `runas UID CMD [ARG...]`
 * drops to UID (gid 1000, group "enforcer", no supplementary groups) and
 * execs CMD, so guest tests can act as an unprivileged user.
 */
#define _GNU_SOURCE
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char *end;
	long uid;

	if (argc < 3) {
		fputs("usage: runas UID CMD [ARG...]\n", stderr);
		return 2;
	}
	uid = strtol(argv[1], &end, 10);
	if (*end || uid < 0) {
		fprintf(stderr, "runas: bad uid '%s'\n", argv[1]);
		return 2;
	}
	if (setgroups(0, NULL) < 0 || setresgid(1000, 1000, 1000) < 0 ||
	    setresuid((uid_t)uid, (uid_t)uid, (uid_t)uid) < 0) {
		perror("runas");
		return 126;
	}
	execvp(argv[2], argv + 2);
	perror(argv[2]);
	return 127;
}
