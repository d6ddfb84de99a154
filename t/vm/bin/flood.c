// SPDX-License-Identifier: GPL-2.0-only
/*
 * flood.c - static helper run inside the test VM: opens PATH N times in a
 * tight loop (each one expected to be denied) and counts the outcomes, so
 * audit tests can compare what they provoked with what the daemon logged.
 *
 *   flood N PATH        prints "attempts=N eperm=N ok=N other=N ms=T"
 *   flood -t S PATH     the same, opening for S seconds (a deny storm)
 *   flood ms            prints a monotonic clock in milliseconds
 *
 * Exit 0 when every attempt failed with EPERM, 1 otherwise.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static unsigned long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000 + (unsigned long long)ts.tv_nsec / 1000000;
}

int main(int argc, char **argv)
{
	unsigned long n, eperm = 0, ok = 0, other = 0, secs = 0;
	unsigned long long t0;
	char *end;

	if (argc == 2 && argv[1][0] == 'm') {
		printf("%llu\n", now_ms());
		return 0;
	}
	if (argc == 4 && !strcmp(argv[1], "-t")) {
		secs = strtoul(argv[2], &end, 10);
		if (*end || !secs) {
			fputs("usage: flood -t SECONDS PATH\n", stderr);
			return 2;
		}
		n = ~0UL;
		argv++;
	} else if (argc != 3 || (n = strtoul(argv[1], &end, 10), *end)) {
		fputs("usage: flood N PATH | flood -t SECONDS PATH | flood ms\n", stderr);
		return 2;
	}
	t0 = now_ms();
	for (unsigned long i = 0; i < n; i++) {
		/* a timed storm: the clock every 256 attempts, then stop */
		if (secs && !(i & 255) && now_ms() - t0 >= secs * 1000) {
			n = i;
			break;
		}
		int fd = open(argv[2], O_RDONLY | O_CLOEXEC);

		if (fd >= 0) {
			ok++;
			close(fd);
		} else if (errno == EPERM) {
			eperm++;
		} else {
			other++;
		}
	}
	printf("attempts=%lu eperm=%lu ok=%lu other=%lu ms=%llu\n", n, eperm, ok, other,
	       now_ms() - t0);
	return eperm == n ? 0 : 1;
}
