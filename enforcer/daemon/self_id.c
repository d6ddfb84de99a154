// SPDX-License-Identifier: GPL-2.0-only
/*
 * self_id.c - enforcerd's own identity, told to the BPF side so that
 * confined tasks cannot stop it: its thread group id (signals, ptrace,
 * SIGIO), its mount namespace (mounts over or removal of its files) and its
 * cgroup with every cgroup above it (freeze, kill, limits).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "daemon.h"
#include "enforcer.skel.h"

/* daemon_cg[level] = id of enforcerd's cgroup's ancestor at that level. */
static int cgroups_fill(void)
{
	int fd = bpf_map__fd(D.skel->maps.daemon_cg);
	char line[PATH_MAX + 8], prefix[PATH_MAX];
	uint32_t level = 0;
	FILE *f = fopen("/proc/self/cgroup", "re");
	int ret = -ENOENT;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char *path = line + 3;
		size_t n;

		if (strncmp(line, "0::", 3))
			continue;
		path[strcspn(path, "\n")] = 0;
		n = strlen(path);
		ret = 0;
		for (size_t i = 1; i <= n && level + 1 < ENF_DAEMON_CG_LEVELS; i++) {
			uint64_t id;

			if (i != n && path[i] != '/')
				continue;
			snprintf(prefix, sizeof(prefix), "%.*s", (int)i, path);
			level++;
			if ((ret = cgroupfs_id(prefix, &id)) < 0)
				break;
			if (bpf_map_update_elem(fd, &level, &id, BPF_ANY) < 0) {
				ret = -errno;
				D.map_update_failures++;
				break;
			}
		}
		break;
	}
	fclose(f);
	/* levels below it (from an earlier enforcerd in another cgroup) */
	for (uint64_t zero = 0; !ret && ++level < ENF_DAEMON_CG_LEVELS;)
		if (bpf_map_update_elem(fd, &level, &zero, BPF_ANY) < 0)
			D.map_update_failures++;   /* a stale level guards one cgroup more */
	return ret;
}

int self_id_publish(void)
{
	struct stat st;
	int ret;

	D.skel->bss->enf_daemon_tgid = getpid();
	if (stat("/proc/self/ns/mnt", &st) == 0)
		D.skel->bss->enf_daemon_mntns = (uint32_t)st.st_ino;
	ret = cgroups_fill();
	if (ret < 0)
		log_err(ret, "self: cannot record enforcerd's cgroups (%s): a confined task could "
			"freeze or limit them", strerror(-ret));
	return ret;
}
