// SPDX-License-Identifier: GPL-2.0-only
/*
 * peer.c - may this control-socket peer change enforcer?  A process under a
 * policy other than a host-wide one may read (status, stats, audit) but not
 * reload, reopen, bind or unload.  Decided once, when the connection is
 * accepted: from what the kernel recorded on the connection, or else from
 * the peer's cgroup read through a pidfd.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
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

/* Is the process whose cgroup file f is governed by a policy other than a
 * host-wide one?  -EIO when f says nothing. */
static int cgroup_file_confined(FILE *f)
{
	char line[PATH_MAX + 8], prefix[PATH_MAX];

	while (fgets(line, sizeof(line), f)) {
		char *path = line + 3;
		size_t n;

		if (strncmp(line, "0::", 3))
			continue;
		path[strcspn(path, "\n")] = 0;
		n = strlen(path);
		/* "/", then "/a", "/a/b", ... up to the path itself */
		if (binds_confining("/"))
			return 1;
		for (size_t i = 1; i <= n; i++)
			if (i == n || path[i] == '/') {
				snprintf(prefix, sizeof(prefix), "%.*s", (int)i, path);
				if (binds_confining(prefix))
					return 1;
			}
		return 0;
	}
	return -EIO;
}

/* Mark the control socket for the kernel: connections to it carry who
 * connected (ctl_peers).  0 or -errno. */
int peer_mark_listener(int fd)
{
	struct enf_ctl_peer v = { .flags = ENF_CTL_LISTENER };

	if (fd < 0 || bpf_map_update_elem(bpf_map__fd(D.skel->maps.ctl_peers), &fd, &v, BPF_ANY) < 0) {
		D.map_update_failures++;
		return log_err(-errno, "control: cannot mark the socket for peer checks: %s "
			       "(falling back to pidfd checks)", strerror(errno));
	}
	return 0;
}

/* What the kernel recorded when the peer connected (unix_stream_connect),
 * on the connection itself: 1 confined, 0 not, -ENOENT without a record. */
static int peer_recorded(const struct control_peer *peer)
{
	struct enf_ctl_peer v;

	if (bpf_map_lookup_elem(bpf_map__fd(D.skel->maps.ctl_peers), &peer->fd, &v) < 0 ||
	    !(v.flags & ENF_CTL_RECORDED))
		return -ENOENT;
	return v.flags & ENF_CTL_CONFINED ? 1 : 0;
}

/*
 * Is the peer that just connected governed by a policy other than a
 * host-wide one?  Such peers may read status but not reload, reopen, bind
 * or unload.  First what the kernel recorded at connect (no pid involved);
 * without a record (an older pinned program), the pid is pinned with a
 * pidfd before its cgroup is read, and the process must still be alive
 * after the read: what was read is that process's.  Asked once, at accept.
 */
int peer_confined(const struct control_peer *peer)
{
	struct pollfd pf;
	char p[64];
	int pidfd, r;
	FILE *f;

	if (!D.generation)
		return 0;
	r = peer_recorded(peer);
	if (r >= 0)
		return r;
	if (peer->pid <= 0)
		return -ESRCH;
	pidfd = (int)syscall(SYS_pidfd_open, peer->pid, 0);
	if (pidfd < 0)
		return -errno;
	snprintf(p, sizeof(p), "/proc/%d/cgroup", (int)peer->pid);
	f = fopen(p, "re");
	if (!f) {
		r = -errno;
		close(pidfd);
		return r;
	}
	r = cgroup_file_confined(f);
	fclose(f);
	/* a pidfd polls readable once its process has exited */
	pf = (struct pollfd){ .fd = pidfd, .events = POLLIN };
	if (poll(&pf, 1, 0) != 0)
		r = -ESRCH;
	close(pidfd);
	return r;
}
