// SPDX-License-Identifier: GPL-2.0-only
/*
 * bench.c - static workload helper run inside the benchmark VM.  Each
 * workload warms up (N/8 iterations), then times N iterations with
 * CLOCK_MONOTONIC (under qemu -icount: guest instructions) and prints the
 * cost of one iteration in ns and how many iterations failed with EPERM.
 *
 *   bench open PATH N          open(O_RDONLY)+close        -> "NS EPERMS"
 *   bench openeach PREFIX N    the first open+close of each of PREFIX0 ..
 *                              PREFIX<N-1>, once each, no warm-up (the cold
 *                              path: run it right after a reload)
 *                                                           -> "NS EPERMS"
 *   bench exec BIN N           vfork+execve+waitpid         -> "NS EPERMS P50"
 *   bench connect PORT N       TCP connect to a loopback listener, accept,
 *                              close both                   -> "NS EPERMS P50"
 *                              (exec and connect also time each iteration:
 *                              P50 is the median of the N iteration times,
 *                              the cost of a typical iteration without the
 *                              rare background work, a timer tick, a
 *                              kworker, that lands in a few iterations and
 *                              makes the mean noisy; NS stays the mean)
 *   bench bind PORT N          TCP socket, bind to 127.0.0.1:PORT
 *                              (SO_REUSEADDR), close        -> "NS EPERMS"
 *   bench storm PATH SECS      denied opens for SECS s      -> "COUNT EPERMS NS"
 *   bench time N CMD [ARG...]  run CMD N times, print each duration in us,
 *                              space-separated; exit 1 when one fails
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
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ull + (unsigned long long)ts.tv_nsec;
}

static unsigned long eperms;

static void one_open(const char *path)
{
	int fd = open(path, O_RDONLY);

	if (fd >= 0)
		close(fd);
	else if (errno == EPERM || errno == EACCES)
		eperms++;
	else {
		perror(path);
		exit(1);
	}
}

static void one_exec(const char *bin)
{
	char *argv[] = { (char *)bin, NULL };
	char *envp[] = { NULL };
	int st;
	pid_t p = vfork();

	if (p == 0) {
		execve(bin, argv, envp);
		_exit(errno == EPERM || errno == EACCES ? 126 : 127);
	}
	if (p < 0 || waitpid(p, &st, 0) != p) {
		perror("vfork/waitpid");
		exit(1);
	}
	if (WIFEXITED(st) && WEXITSTATUS(st) == 126)
		eperms++;
	else if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		fprintf(stderr, "%s: status %d\n", bin, st);
		exit(1);
	}
}

static int lsn = -1;
static struct sockaddr_in dst;

static void listener(int port)
{
	int one = 1;

	dst.sin_family = AF_INET;
	dst.sin_port = htons(port);
	dst.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lsn = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(lsn, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (lsn < 0 || bind(lsn, (struct sockaddr *)&dst, sizeof(dst)) || listen(lsn, 64)) {
		perror("listener");
		exit(1);
	}
}

/* Closed with an RST (linger 0): no TIME_WAIT, ports never run out. */
static void close_rst(int fd)
{
	struct linger l = { 1, 0 };

	setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
	close(fd);
}

static void one_connect(void)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);

	if (s < 0) {
		perror("socket");
		exit(1);
	}
	if (connect(s, (struct sockaddr *)&dst, sizeof(dst)) == 0) {
		int a = accept(lsn, NULL, NULL);

		if (a < 0) {
			perror("accept");
			exit(1);
		}
		close_rst(a);
	} else if (errno == EPERM || errno == EACCES) {
		eperms++;
	} else {
		perror("connect");
		exit(1);
	}
	close_rst(s);
}

static void one_bind(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int one = 1, s = socket(AF_INET, SOCK_STREAM, 0);

	if (s < 0) {
		perror("socket");
		exit(1);
	}
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(s, (struct sockaddr *)&a, sizeof(a)) < 0) {
		if (errno != EPERM && errno != EACCES) {
			perror("bind");
			exit(1);
		}
		eperms++;
	}
	close(s);
}

static int run_cmd(char **argv)
{
	int st;
	pid_t p = fork();

	if (p == 0) {
		int null = open("/dev/null", O_WRONLY);

		if (null >= 0)
			dup2(null, 1);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (p < 0 || waitpid(p, &st, 0) != p)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int cmp_ull(const void *a, const void *b)
{
	unsigned long long x = *(const unsigned long long *)a, y = *(const unsigned long long *)b;

	return x < y ? -1 : x > y;
}

static unsigned long num(const char *s)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (!*s || *end) {
		fprintf(stderr, "bench: not a number: %s\n", s);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	unsigned long n, i, w;
	unsigned long long t0, t1;
	int port = 0;
	const char *wl = argc > 1 ? argv[1] : "";
	unsigned long long *it = NULL;   /* per-iteration times (exec, connect) */

	if (!strcmp(wl, "time") && argc >= 4) {
		int bad = 0;

		n = num(argv[2]);
		for (i = 0; i < n; i++) {
			t0 = now_ns();
			bad |= run_cmd(argv + 3) != 0;
			t1 = now_ns();
			printf("%s%.1f", i ? " " : "", (t1 - t0) / 1000.0);
		}
		printf("\n");
		return bad;
	}
	if (!strcmp(wl, "storm") && argc == 4) {
		unsigned long long end, cnt = 0;

		t0 = now_ns();
		end = t0 + num(argv[3]) * 1000000000ull;
		do {
			for (i = 0; i < 64; i++)
				one_open(argv[2]);
			cnt += 64;
			t1 = now_ns();
		} while (t1 < end);
		printf("%llu %lu %llu\n", cnt, eperms, t1 - t0);
		return 0;
	}
	if (!strcmp(wl, "openeach") && argc == 4) {
		char **names;

		n = num(argv[3]);
		names = calloc(n ? n : 1, sizeof(*names));
		if (!names)
			return 1;
		for (i = 0; i < n; i++)      /* the names made before the timing */
			if (asprintf(&names[i], "%s%lu", argv[2], i) < 0)
				return 1;
		t0 = now_ns();
		for (i = 0; i < n; i++)
			one_open(names[i]);
		t1 = now_ns();
		printf("%.1f %lu\n", (double)(t1 - t0) / (n ? n : 1), eperms);
		return 0;
	}
	if (argc != 4) {
		fputs("usage: bench open PATH N | openeach PREFIX N | exec BIN N | connect PORT N | bind PORT N | "
		      "storm PATH SECS | time N CMD...\n", stderr);
		return 2;
	}
	n = num(argv[3]);
	w = n / 8 + 1;
	if (!strcmp(wl, "connect"))
		listener((int)num(argv[2]));
	if (!strcmp(wl, "bind"))
		port = (int)num(argv[2]);
	if ((!strcmp(wl, "exec") || !strcmp(wl, "connect")) && n) {
		it = calloc(n, sizeof(*it));
		if (!it)
			return 1;
	}
	for (int pass = 0; pass < 2; pass++) {
		unsigned long iters = pass ? n : w;

		eperms = 0;
		t0 = now_ns();
		for (i = 0; i < iters; i++) {
			unsigned long long ti = it && pass ? now_ns() : 0;

			if (!strcmp(wl, "open"))
				one_open(argv[2]);
			else if (!strcmp(wl, "exec"))
				one_exec(argv[2]);
			else if (!strcmp(wl, "connect"))
				one_connect();
			else if (!strcmp(wl, "bind"))
				one_bind(port);
			else {
				fprintf(stderr, "bench: unknown workload %s\n", wl);
				return 2;
			}
			if (it && pass)
				it[i] = now_ns() - ti;
		}
		t1 = now_ns();
	}
	if (it) {
		qsort(it, n, sizeof(*it), cmp_ull);
		printf("%.1f %lu %.1f\n", (double)(t1 - t0) / n, eperms,
		       n % 2 ? (double)it[n / 2] : (it[n / 2 - 1] + it[n / 2]) / 2.0);
		return 0;
	}
	printf("%.1f %lu\n", (double)(t1 - t0) / n, eperms);
	return 0;
}
