/*
 * peer.c - may this control-socket peer change enforcer?  A process under a
 * policy other than a host-wide one may read (status, stats, audit) but not
 * reload, reopen, bind or unload: its cgroup and every ancestor are looked
 * up in the live bindings.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "daemon.h"
#include "enforcer.skel.h"

/* Are policies other than host-wide ones bound directly to cgroup cgpath? */
static bool binds_confining(const char *cgpath)
{
	struct enf_cg_key k = { .gen = D.generation & 1 };
	struct enf_bind b;
	uint64_t id;

	if (cgroupfs_id(cgpath, &id) < 0)
		return false;
	k.cgid = id;
	if (bpf_map_lookup_elem(bpf_map__fd(D.skel->maps.cg_bind), &k, &b) < 0)
		return false;
	for (uint32_t i = 0; i < b.n && i < ENF_MAX_BIND; i++) {
		const struct enf_policy_src *p = daemon_policy_by_id(D.generation, b.ids[i]);

		if (!p || !policy_is_hostwide(p))
			return true;
	}
	return false;
}

/* Is pid governed by a policy other than a host-wide one?  Such peers may
 * read status but not reload, reopen, bind or unload. */
bool peer_confined(const struct control_peer *peer)
{
	char p[64], line[PATH_MAX + 8], prefix[PATH_MAX];
	pid_t pid = peer->pid;
	bool confined = false;
	FILE *f;

	if (pid <= 0 || !D.generation)
		return false;
	snprintf(p, sizeof(p), "/proc/%d/cgroup", (int)pid);
	f = fopen(p, "re");
	if (!f)
		return true;           /* cannot tell: refuse */
	while (!confined && fgets(line, sizeof(line), f)) {
		char *path = line + 3;
		size_t n;

		if (strncmp(line, "0::", 3))
			continue;
		path[strcspn(path, "\n")] = 0;
		n = strlen(path);
		/* "/", then "/a", "/a/b", ... up to the path itself */
		confined = binds_confining("/");
		for (size_t i = 1; i <= n && !confined; i++)
			if (i == n || path[i] == '/') {
				snprintf(prefix, sizeof(prefix), "%.*s", (int)i, path);
				confined = binds_confining(prefix);
			}
	}
	fclose(f);
	return confined;
}
