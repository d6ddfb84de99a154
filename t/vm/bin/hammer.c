// SPDX-License-Identifier: GPL-2.0-only
/*
 * hammer.c - static helper run inside the test VM: repeats a list of
 * actions (exec, open, connect) as fast as it can until a stop file
 * appears, checks each outcome against what is expected and counts every
 * mismatch, so reload tests can prove that no action ever slipped through
 * (or failed) while the policy set was being switched.
 *
 *   hammer STOPFILE ACTION...
 *
 * ACTION is one of (EXPECT is ok, EPERM, any, or an errno name):
 *   exec:PATH:EXPECT           fork, execve PATH (which exits at once)
 *   open:PATH:EXPECT           open(PATH, O_RDONLY)
 *   udp:ADDR:PORT:EXPECT       connect(2) of a UDP socket, IPv4 literal
 * "any" accepts anything and only counts (for the actions a reload flips).
 * Prints one line per action at the end:
 *   ACTION ok=N eperm=N other=N violations=N
 * then "rounds=N violations=N"; exit 0 when there were no violations.
 * The first few violations are also printed as they happen.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_ACTIONS 16

enum kind { K_EXEC, K_OPEN, K_UDP };

struct action {
	const char *spec;
	enum kind kind;
	char path[256];
	struct sockaddr_in sin;
	int expect;               /* 0 ok, -1 any, else errno */
	unsigned long ok, eperm, other, violations;
};

static int parse_expect(const char *s)
{
	static const struct { const char *n; int e; } names[] = {
		{ "ok", 0 }, { "any", -1 }, { "EPERM", EPERM }, { "ENOENT", ENOENT },
		{ "EACCES", EACCES }, { "ECONNREFUSED", ECONNREFUSED },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(s, names[i].n))
			return names[i].e;
	return -2;
}

static int parse_action(const char *spec, struct action *a)
{
	char buf[512], *f[5];
	int n = 0;
	char *save = NULL, *tok;

	if (strlen(spec) >= sizeof(buf))
		return -1;
	strcpy(buf, spec);
	for (tok = strtok_r(buf, ":", &save); tok && n < 5; tok = strtok_r(NULL, ":", &save))
		f[n++] = tok;
	memset(a, 0, sizeof(*a));
	a->spec = spec;
	if (n == 3 && (!strcmp(f[0], "exec") || !strcmp(f[0], "open"))) {
		a->kind = f[0][0] == 'e' ? K_EXEC : K_OPEN;
		snprintf(a->path, sizeof(a->path), "%s", f[1]);
		a->expect = parse_expect(f[2]);
	} else if (n == 4 && !strcmp(f[0], "udp")) {
		a->kind = K_UDP;
		a->sin.sin_family = AF_INET;
		a->sin.sin_port = htons((unsigned short)atoi(f[2]));
		if (inet_pton(AF_INET, f[1], &a->sin.sin_addr) != 1)
			return -1;
		a->expect = parse_expect(f[3]);
	} else {
		return -1;
	}
	return a->expect == -2 ? -1 : 0;
}

/* Returns 0 or the errno of the attempt. */
static int attempt(struct action *a)
{
	int fd, rc, e, p[2], st;
	ssize_t n;
	pid_t pid;

	switch (a->kind) {
	case K_OPEN:
		fd = open(a->path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return errno;
		close(fd);
		return 0;
	case K_UDP:
		fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return errno;
		rc = connect(fd, (struct sockaddr *)&a->sin, sizeof(a->sin));
		e = rc < 0 ? errno : 0;
		close(fd);
		return e;
	case K_EXEC:
		if (pipe2(p, O_CLOEXEC) < 0)
			return errno;
		pid = fork();
		if (pid < 0) {
			e = errno;
			close(p[0]);
			close(p[1]);
			return e;
		}
		if (pid == 0) {
			char *argv[] = { a->path, NULL };

			close(p[0]);
			execv(a->path, argv);
			e = errno;
			if (write(p[1], &e, sizeof(e)) < 0)
				_exit(127);
			_exit(127);
		}
		close(p[1]);
		e = 0;
		do
			n = read(p[0], &e, sizeof(e));
		while (n < 0 && errno == EINTR);
		close(p[0]);
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
		return n == (ssize_t)sizeof(e) ? e : 0;
	}
	return EINVAL;
}

int main(int argc, char **argv)
{
	struct action acts[MAX_ACTIONS];
	unsigned long rounds = 0, total = 0, printed = 0;
	struct stat sb;
	int n = argc - 2;

	if (argc < 3 || n > MAX_ACTIONS) {
		fputs("usage: hammer STOPFILE exec:PATH:EXPECT|open:PATH:EXPECT|"
		      "udp:ADDR:PORT:EXPECT...\n", stderr);
		return 2;
	}
	for (int i = 0; i < n; i++)
		if (parse_action(argv[i + 2], &acts[i]) < 0) {
			fprintf(stderr, "hammer: bad action '%s'\n", argv[i + 2]);
			return 2;
		}
	while (stat(argv[1], &sb) < 0) {
		for (int i = 0; i < n; i++) {
			struct action *a = &acts[i];
			int e = attempt(a);

			if (e == 0)
				a->ok++;
			else if (e == EPERM)
				a->eperm++;
			else
				a->other++;
			if (a->expect != -1 && e != a->expect) {
				a->violations++;
				total++;
				if (printed++ < 10)
					printf("violation: %s got %s (errno %d) in round %lu\n",
					       a->spec, e ? strerror(e) : "success", e, rounds);
			}
		}
		rounds++;
	}
	for (int i = 0; i < n; i++)
		printf("%s ok=%lu eperm=%lu other=%lu violations=%lu\n", acts[i].spec,
		       acts[i].ok, acts[i].eperm, acts[i].other, acts[i].violations);
	printf("rounds=%lu violations=%lu\n", rounds, total);
	return total ? 1 : 0;
}
