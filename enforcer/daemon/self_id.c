// SPDX-License-Identifier: GPL-2.0-only
/*
 * self_id.c - enforcerd's own identity, told to the BPF side so that
 * confined tasks cannot stop it: its thread group id (signals, ptrace,
 * SIGIO) and start time (the two name it: never governed), its mount namespace (mounts over or removal of its files) and its
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

/* This process's start time, in clock ticks since boot: /proc/self/stat's
 * field 22 (the 20th after the ")" that ends the command name). */
static int start_ticks(unsigned long long *ticks)
{
	char buf[1024], *p;
	FILE *f = fopen("/proc/self/stat", "re");
	size_t n;
	int i;

	if (!f)
		return -errno;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	p = strrchr(buf, ')');
	for (i = 0; p && i < 20; i++)
		p = strchr(p + 1, ' ');
	if (!p || sscanf(p + 1, "%llu", ticks) != 1)
		return -EINVAL;
	return 0;
}

int self_id_publish(void)
{
	unsigned long long ticks = 0;
	struct stat st;
	int ret;

	/* the start time first: the pair names enforcerd only once both are its
	 * own (never governed: gov_rest); 0 when unread (then it is governed
	 * like any process of its cgroup) */
	ret = start_ticks(&ticks);
	if (ret < 0)
		log_err(ret, "self: cannot read /proc/self/stat's start time (%s): enforcerd is governed "
			"like any process of its cgroup", strerror(-ret));
	__atomic_store_n(&D.skel->bss->enf_daemon_start, (uint64_t)ticks, __ATOMIC_SEQ_CST);
	__atomic_store_n(&D.skel->bss->enf_daemon_tgid, (uint32_t)getpid(), __ATOMIC_SEQ_CST);
	if (stat("/proc/self/ns/mnt", &st) == 0)
		D.skel->bss->enf_daemon_mntns = (uint32_t)st.st_ino;
	ret = cgroups_fill();
	if (ret < 0)
		log_err(ret, "self: cannot record enforcerd's cgroups (%s): a confined task could "
			"freeze or limit them", strerror(-ret));
	return ret;
}
