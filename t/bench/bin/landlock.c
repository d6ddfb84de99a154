// SPDX-License-Identifier: GPL-2.0-only
/*
 * landlock.c - configuration P2 of the benchmark: runs a command under a
 * Landlock ruleset equivalent to the C3 policy (everything allowed beneath
 * "/" for every file access right the running kernel handles; TCP connect
 * allowed to the given ports where the kernel has Landlock network rules).
 *
 *   landlock [-p PORT]... -- CMD [ARG...]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The uapi as of 6.12, declared here: the build host's headers are older. */
#define LL_CREATE_RULESET_VERSION (1U << 0)
#define LL_RULE_PATH_BENEATH 1
#define LL_RULE_NET_PORT 2
#define LL_NET_CONNECT_TCP (1ULL << 1)

struct ll_ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;
};

struct ll_path_beneath {
	uint64_t allowed_access;
	int32_t parent_fd;
} __attribute__((packed));

struct ll_net_port {
	uint64_t allowed_access;
	uint64_t port;
};

/* Access rights known to each ABI version (1 = 5.13 ... 5 = 6.10). */
static uint64_t fs_rights(int abi)
{
	uint64_t r = (1ULL << 13) - 1;          /* ABI 1: execute .. make_sym */

	if (abi >= 2)
		r |= 1ULL << 13;                /* refer */
	if (abi >= 3)
		r |= 1ULL << 14;                /* truncate */
	if (abi >= 5)
		r |= 1ULL << 15;                /* ioctl_dev */
	return r;
}

int main(int argc, char **argv)
{
	struct ll_ruleset_attr attr = {};
	struct ll_path_beneath pb = {};
	int ports[16], nports = 0, i, abi, rs;

	for (i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		if (!strcmp(argv[i], "-p") && i + 1 < argc && nports < 16)
			ports[nports++] = atoi(argv[++i]);
		else
			goto usage;
	}
	if (i + 1 >= argc)
		goto usage;
	abi = syscall(SYS_landlock_create_ruleset, NULL, 0, LL_CREATE_RULESET_VERSION);
	if (abi < 1) {
		perror("landlock: ABI version");
		return 1;
	}
	attr.handled_access_fs = fs_rights(abi);
	if (abi >= 4 && nports)
		attr.handled_access_net = LL_NET_CONNECT_TCP;
	rs = syscall(SYS_landlock_create_ruleset, &attr,
		     abi >= 4 ? sizeof(attr) : sizeof(attr.handled_access_fs), 0);
	if (rs < 0) {
		perror("landlock: create ruleset");
		return 1;
	}
	pb.allowed_access = attr.handled_access_fs;
	pb.parent_fd = open("/", O_PATH | O_CLOEXEC);
	if (pb.parent_fd < 0 || syscall(SYS_landlock_add_rule, rs, LL_RULE_PATH_BENEATH, &pb, 0)) {
		perror("landlock: add rule /");
		return 1;
	}
	for (int p = 0; attr.handled_access_net && p < nports; p++) {
		struct ll_net_port np = { LL_NET_CONNECT_TCP, (uint64_t)ports[p] };

		if (syscall(SYS_landlock_add_rule, rs, LL_RULE_NET_PORT, &np, 0)) {
			perror("landlock: add port rule");
			return 1;
		}
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    syscall(SYS_landlock_restrict_self, rs, 0)) {
		perror("landlock: restrict self");
		return 1;
	}
	close(rs);
	close(pb.parent_fd);
	fprintf(stderr, "landlock: ABI %d, fs rights %#llx, net %s\n", abi,
		(unsigned long long)attr.handled_access_fs, attr.handled_access_net ? "connect" : "none");
	execvp(argv[i + 1], argv + i + 1);
	perror(argv[i + 1]);
	return 127;
usage:
	fputs("usage: landlock [-p PORT]... -- CMD [ARG...]\n", stderr);
	return 2;
}
