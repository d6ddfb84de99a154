// SPDX-License-Identifier: GPL-2.0
/*
 * protect.bpf.c - enforcer's own process and mounts, by identity:
 *   - no SIGIO/SIGURG, whatever F_SETOWN/F_SETSIG set up, reaches enforcerd
 *     (file_send_sigiotask: the signal is sent from whoever causes the I/O,
 *     so it is judged by its target, enforcerd's thread group id);
 *   - a confined task may not unmount, or mount over, the pins, the policy
 *     directory, the binaries, the audit log or any directory above them
 *     (sb_umount, sb_mount, move_mount), when enforcerd would see the change:
 *     the mount is in enforcerd's mount namespace, or shared (propagates);
 *     a change of propagation type alone covers nothing and passes.
 *   - enforcerd moved to another cgroup (a confined root may write its pid
 *     into a cgroup.procs of its own subtree): daemon_cg follows it, so the
 *     guard on its cgroups' files holds where it now is (cgroup_attach_task);
 *   - a connection to enforcerd's control socket carries, on the socket, who
 *     connected and whether a policy confined it (unix_stream_connect): the
 *     daemon decides the peer's tier from that, never from a pid.
 * Signals and ptrace (escape.bpf.c), writes to enforcerd's cgroups
 * (cgroup.bpf.h) and its files (path.bpf.h self_protect) are judged where
 * those hooks are.
 */
#include "path.bpf.h"
#include <bpf/bpf_tracing.h>

#define MNT_SHARED 0x1000
/* mount(2) flags (include/uapi/linux/mount.h) */
#define MS_REMOUNT 32
#define MS_BIND 4096
#define MS_UNBINDABLE (1 << 17)
#define MS_PRIVATE (1 << 18)
#define MS_SLAVE (1 << 19)
#define MS_SHARED (1 << 20)

SEC("lsm/file_send_sigiotask")
int BPF_PROG(enf_sigio, struct task_struct *tsk, struct fown_struct *fown, int sig, int ret)
{
	if (ret)
		return ret;
	if (!enf_daemon_tgid || BPF_CORE_READ(tsk, tgid) != enf_daemon_tgid)
		return 0;
	/* enforcerd asks for no SIGIO: whoever named it owner of a file did */
	count(ENF_CNT_TAMPER);
	return -EPERM;
}

/* Would enforcerd see a change of this mount? */
static __always_inline int seen_by_daemon(struct vfsmount *mnt)
{
	__u64 a = 0;
	struct mount *m;

	if (BPF_CORE_READ(mnt, mnt_flags) & MNT_SHARED)
		return 1;
	bpf_probe_read_kernel(&a, sizeof(a), &mnt);
	m = (struct mount *)(a - bpf_core_field_offset(struct mount, mnt));
	return BPF_CORE_READ(m, mnt_ns, ns.inum) == enf_daemon_mntns;
}

/* A confined task may not unmount or cover d (a mount's root, or where a
 * mount goes) when d is one of enforcer's files or a directory above them. */
static __always_inline int guard_mount(struct vfsmount *mnt, struct dentry *d)
{
	struct gov g;

	if (!enf_daemon_mntns || !mnt || !d)
		return 0;
	if (govern(&g) == GOV_NONE || !seen_by_daemon(mnt))
		return 0;
	return self_protect(&g, d, 1, ENF_OP_MOUNT);
}

SEC("lsm/sb_umount")
int BPF_PROG(enf_umount_guard, struct vfsmount *mnt, int flags, int ret)
{
	if (ret)
		return ret;
	return guard_mount(mnt, BPF_CORE_READ(mnt, mnt_root));
}

/*
 * A propagation change (mount --make-slave/-private/-shared/-unbindable,
 * MS_REC or not) covers nothing: the kernel takes it when neither
 * MS_REMOUNT nor MS_BIND is set, whatever else is.  systemd's first step
 * in a unit's new mount namespace (PrivateTmp=, ProtectSystem= ...) is
 * MS_SLAVE|MS_REC on "/", while "/" is still shared with enforcerd's.
 */
static __always_inline int propagation_change(unsigned long flags)
{
	return !(flags & (MS_REMOUNT | MS_BIND)) &&
	       (flags & (MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE));
}

SEC("lsm/sb_mount")
int BPF_PROG(enf_mount_guard, const char *dev_name, const struct path *path, const char *type,
	     unsigned long flags, void *data, int ret)
{
	if (ret)
		return ret;
	if (propagation_change(flags))
		return 0;
	return guard_mount(path->mnt, path->dentry);
}

SEC("lsm/move_mount")
int BPF_PROG(enf_move_mount_guard, const struct path *from_path, const struct path *to_path, int ret)
{
	if (ret)
		return ret;
	return guard_mount(to_path->mnt, to_path->dentry);
}

SEC("lsm/unix_stream_connect")
int BPF_PROG(enf_ctl_connect, struct sock *sock, struct sock *other, struct sock *newsk, int ret)
{
	struct enf_ctl_peer *l, *p;
	struct gov g;
	__u32 flags = ENF_CTL_RECORDED;

	if (ret)
		return ret;
	l = bpf_sk_storage_get(&ctl_peers, other, 0, 0);
	if (!l || !(l->flags & ENF_CTL_LISTENER))
		return 0;
	p = bpf_sk_storage_get(&ctl_peers, newsk, 0, BPF_SK_STORAGE_GET_F_CREATE);
	if (!p) {
		count(ENF_CNT_MAP_FAIL);   /* enforcerd finds nothing: read tier only */
		return 0;
	}
	if (govern(&g) != GOV_NONE && confined(&g.cfg, g.set))
		flags |= ENF_CTL_CONFINED;
	p->tgid = bpf_get_current_pid_tgid() >> 32;
	p->cgid = bpf_get_current_cgroup_id();
	p->flags = flags;
	return 0;
}

/* Levels of daemon_cg filled or cleared per call. */
#define DAEMON_CG_MASK (ENF_DAEMON_CG_LEVELS - 1)
_Static_assert((ENF_DAEMON_CG_LEVELS & DAEMON_CG_MASK) == 0, "a power of two");

SEC("tp_btf/cgroup_attach_task")
int BPF_PROG(enf_daemon_moved, struct cgroup *dst, const char *path, struct task_struct *task,
	     bool threadgroup)
{
	struct cgroup *cg = dst;
	__u32 level, l;
	__u64 zero = 0;
	int i;

	if (!enf_daemon_tgid || BPF_CORE_READ(task, tgid) != enf_daemon_tgid)
		return 0;
	if (BPF_CORE_READ(dst, root, hierarchy_id) != 0)    /* cgroup v2 only */
		return 0;
	level = BPF_CORE_READ(dst, level);
	/* Bound: ENF_DAEMON_CG_LEVELS levels below the new cgroup cleared. */
	for (l = level + 1, i = 0; i < ENF_DAEMON_CG_LEVELS && l < ENF_DAEMON_CG_LEVELS; i++, l++)
		if (bpf_map_update_elem(&daemon_cg, &l, &zero, BPF_ANY))
			count(ENF_CNT_MAP_FAIL);   /* a stale level guards one cgroup more */
	/* Bound: ENF_DAEMON_CG_LEVELS levels from the new cgroup up. */
	for (i = 0; i < ENF_DAEMON_CG_LEVELS && cg; i++) {
		__u64 id = BPF_CORE_READ(cg, kn, id);

		l = BPF_CORE_READ(cg, level);
		if (l < 1)
			break;
		if (l < ENF_DAEMON_CG_LEVELS && bpf_map_update_elem(&daemon_cg, &l, &id, BPF_ANY))
			count(ENF_CNT_MAP_FAIL);
		cg = BPF_CORE_READ(cg, self.parent, cgroup);
	}
	return 0;
}
