// SPDX-License-Identifier: GPL-2.0-only
/*
 * exeswap.c - static helper run inside the test VM: a process that renames
 * its own program (mm->exe_file, what `exe PATH` conditions match) to PROG
 * with prctl, then connects to ADDR PORT (t/vm/guest/68-net-attack.sh).
 *
 *   exeswap [-U] file|map PROG ADDR PORT
 *
 * file: prctl(PR_SET_MM, PR_SET_MM_EXE_FILE) (needs CAP_SYS_RESOURCE);
 * map: prctl(PR_SET_MM, PR_SET_MM_MAP) with exe_fd (CAP_CHECKPOINT_RESTORE
 * or CAP_SYS_ADMIN in the caller's user namespace); -U: first a user
 * namespace of its own (no id mapping needed for that capability).  The
 * kernel refuses while the old program is still mapped, so a child copies
 * a small payload into anonymous memory, unmaps every mapping of its
 * program and runs the payload there: prctl, then connect, raw syscalls.
 * Prints "prctl:ERRNO", or the connect's "ok"/ERRNO (the prctl passed).
 * Exit status 0 when both passed, 1 otherwise, 2 on misuse.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/prctl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_RANGES 16

struct shared {
	unsigned long ranges[MAX_RANGES][2];
	int n;
	int use_map;
	int exe_fd;
	int sock;
	struct sockaddr_in sa;
	struct prctl_mm_map map;
	long prctl_res;
	long connect_res;
	int done;
};

static inline __attribute__((always_inline)) long sc5(long nr, long a, long b, long c, long d, long e)
{
	long r;
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;

	__asm__ volatile("syscall" : "=a"(r) : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8)
			 : "rcx", "r11", "memory");
	return r;
}

/* Runs from anonymous memory: no calls, no globals, only p and syscalls. */
__attribute__((noinline, used, section("exeswap_payload"))) void payload(struct shared *p)
{
	long r;

	for (int i = 0; i < p->n && i < MAX_RANGES; i++)
		sc5(SYS_munmap, (long)p->ranges[i][0], (long)(p->ranges[i][1] - p->ranges[i][0]), 0, 0, 0);
	if (p->use_map)
		r = sc5(SYS_prctl, PR_SET_MM, PR_SET_MM_MAP, (long)&p->map, sizeof(p->map), 0);
	else
		r = sc5(SYS_prctl, PR_SET_MM, PR_SET_MM_EXE_FILE, p->exe_fd, 0, 0);
	p->prctl_res = r;
	if (r == 0)
		p->connect_res = sc5(SYS_connect, p->sock, (long)&p->sa, sizeof(p->sa), 0, 0);
	p->done = 1;
	sc5(SYS_exit_group, 0, 0, 0, 0, 0);
}

extern char __start_exeswap_payload[], __stop_exeswap_payload[];

/* "EPERM" (glibc's name of the number), or "E<number>" when it has none */
static const char *errno_name(long e)
{
	static char buf[32];
	const char *n = strerrorname_np((int)e);

	if (n)
		return n;
	snprintf(buf, sizeof(buf), "E%ld", e);
	return buf;
}

/* The mappings of our own program, from /proc/self/maps. */
static int own_ranges(struct shared *p)
{
	char exe[4096], line[8192];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	FILE *f;

	if (n <= 0)
		return -1;
	exe[n] = 0;
	f = fopen("/proc/self/maps", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;
		char *path = strchr(line, '/');

		if (!path || sscanf(line, "%lx-%lx", &lo, &hi) != 2)
			continue;
		path[strcspn(path, "\n")] = 0;
		if (strcmp(path, exe) || p->n >= MAX_RANGES)
			continue;
		p->ranges[p->n][0] = lo;
		p->ranges[p->n][1] = hi;
		p->n++;
	}
	fclose(f);
	return p->n ? 0 : -1;
}

/* PR_SET_MM_MAP wants the whole layout: ours, from /proc/self/stat. */
static int own_layout(struct prctl_mm_map *m)
{
	char buf[4096], *s;
	unsigned long long v[52] = { 0 };
	int fd = open("/proc/self/stat", O_RDONLY), i;
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	s = strrchr(buf, ')');
	if (!s)
		return -1;
	s += 2;         /* field 3 */
	for (i = 3; i <= 51 && *s; i++) {
		v[i] = strtoull(s, &s, 10);
		if (i == 3)     /* the state is a letter */
			while (*s && *s != ' ')
				s++;
		while (*s == ' ')
			s++;
	}
	m->start_code = v[26];
	m->end_code = v[27];
	m->start_stack = v[28];
	m->start_data = v[45];
	m->end_data = v[46];
	m->start_brk = v[47];
	m->brk = (unsigned long)sbrk(0);
	m->arg_start = v[48];
	m->arg_end = v[49];
	m->env_start = v[50];
	m->env_end = v[51];
	m->auxv = NULL;
	m->auxv_size = 0;
	return 0;
}

int main(int argc, char **argv)
{
	struct shared *p;
	size_t plen = (size_t)(__stop_exeswap_payload - __start_exeswap_payload);
	int userns = 0, st = 0;
	void *code;
	pid_t pid;

	if (argc > 1 && !strcmp(argv[1], "-U")) {
		userns = 1;
		argv++;
		argc--;
	}
	if (argc != 5 || (strcmp(argv[1], "file") && strcmp(argv[1], "map")))
		return 2;
	p = mmap(NULL, sizeof(*p), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return 2;
	memset(p, 0, sizeof(*p));
	p->use_map = !strcmp(argv[1], "map");
	p->prctl_res = -EINVAL;
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return 2;
	if (pid == 0) {
		if (userns && unshare(CLONE_NEWUSER) < 0) {
			printf("userns:%s\n", errno_name(errno));
			_exit(1);
		}
		p->exe_fd = open(argv[2], O_RDONLY);
		p->sock = socket(AF_INET, SOCK_STREAM, 0);
		p->sa.sin_family = AF_INET;
		p->sa.sin_port = htons((unsigned short)atoi(argv[4]));
		if (p->exe_fd < 0 || p->sock < 0 || inet_pton(AF_INET, argv[3], &p->sa.sin_addr) != 1 ||
		    own_ranges(p) < 0 || (p->use_map && own_layout(&p->map) < 0)) {
			printf("setup:%s\n", errno_name(errno));
			_exit(1);
		}
		p->map.exe_fd = (__u32)p->exe_fd;
		code = mmap(NULL, plen + 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (code == MAP_FAILED) {
			printf("mmap:%s\n", errno_name(errno));
			_exit(1);
		}
		memcpy(code, __start_exeswap_payload, plen);
		((void (*)(struct shared *))code)(p);
		_exit(3);       /* not reached: the payload exits */
	}
	if (waitpid(pid, &st, 0) < 0)
		return 2;
	if (!p->done)
		return 1;       /* the child printed why */
	if (p->prctl_res < 0) {
		printf("prctl:%s\n", errno_name(-p->prctl_res));
		return 1;
	}
	if (p->connect_res < 0) {
		printf("%s\n", errno_name(-p->connect_res));
		return 1;
	}
	puts("ok");
	return 0;
}
