/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cgroup.bpf.h - a governed task may not leave the policies that govern
 * it by writing its pid into another cgroup's cgroup.procs or
 * cgroup.threads.  Called from file_open (file.bpf.c) for opens for
 * writing; the other ways out (clone3 into a cgroup) are in cgroup.bpf.c.
 */
#ifndef ENF_CGROUP_BPF_H
#define ENF_CGROUP_BPF_H

#include "audit.bpf.h"
#include "confine.bpf.h"

#define CGROUP2_SUPER_MAGIC 0x63677270

/*
 * The control files of enforcerd's cgroup and of every cgroup above it
 * (cgroup.freeze, cgroup.kill, memory.max, ...): not for a confined task,
 * which could freeze, kill or starve enforcerd through them.  The cgroups
 * are those enforcerd recorded in daemon_cg, by id and level.
 */
static __always_inline int guard_daemon_cgroup(struct dentry *d)
{
	struct kernfs_node *kn = BPF_CORE_READ(d, d_parent, d_inode, i_private);
	struct cgroup *cg = BPF_CORE_READ(kn, priv);
	__u32 level = BPF_CORE_READ(cg, level);
	__u64 *id;
	struct gov g;

	if (level < 1 || level >= ENF_DAEMON_CG_LEVELS)
		return 0;
	id = bpf_map_lookup_elem(&daemon_cg, &level);
	if (!id || !*id || *id != BPF_CORE_READ(cg, kn, id))
		return 0;
	if (govern(&g) == GOV_NONE || !confined(&g.cfg, g.set))
		return 0;
	return deny_tamper(&g.cfg, g.set, ENF_ACC_WRITE, ENF_OP_TAMPER);
}

/* Is d (a cgroup v2 file) a cgroup.procs or cgroup.threads? */
static __always_inline int is_move_file(struct dentry *d)
{
	__u64 name[2] = {};     /* the file's name, compared as two words */

	bpf_probe_read_kernel_str(name, sizeof(name), BPF_CORE_READ(d, d_name.name));
	if (name[0] != 0x702e70756f726763ull /* "cgroup.p" */ && name[0] != 0x742e70756f726763ull /* "cgroup.t" */)
		return 0;
	return name[1] == 0x73636f72ull /* "rocs" */ || name[1] == 0x736461657268ull /* "hreads" */;
}

/*
 * A cgroup.procs or cgroup.threads another task opened for writing,
 * received (SCM_RIGHTS, pidfd_getfd): its open was judged for the opener,
 * not for the receiver.  A confined task may not take one (it could move
 * itself where its policies do not govern); another governed task is
 * refused a setup phase first, as if it had opened it (refuse_mover: a
 * workload moving itself would otherwise count as a trusted self-move).
 */
static __always_inline int check_move_receive(struct file *file)
{
	struct dentry *d = BPF_CORE_READ(file, f_path.dentry);
	struct gov g;

	if (!(BPF_CORE_READ(file, f_mode) & 0x2 /* FMODE_WRITE */) ||
	    BPF_CORE_READ(d, d_sb, s_magic) != CGROUP2_SUPER_MAGIC || !is_move_file(d))
		return 0;
	switch (govern(&g)) {
	case GOV_NONE:
		return 0;
	case GOV_OVERFLOW:
		return fail_closed(&g.cfg, ENF_HOOK_FILE, ENF_ACC_WRITE, ENF_OP_RECEIVE);
	case GOV_POLICIES:
		break;
	}
	if (confined(&g.cfg, g.set))
		return deny_tamper(&g.cfg, g.set, ENF_ACC_WRITE, ENF_OP_RECEIVE);
	return refuse_mover(&g);
}

/*
 * A governed task may write a cgroup.procs/cgroup.threads only where every
 * policy governing it governs too (its subtree): it cannot move out.
 * file is a number (called from the global enf_open_write); len: the
 * length of its path, which the hook left in this CPU's scratch.
 */
static __always_inline int check_cgroup_move(struct file *file, long len)
{
	struct dentry *d = BPF_CORE_READ(file, f_path.dentry);
	struct enf_cg_cache *dst;
	struct kernfs_node *kn;
	struct gov g;
	int i;

	if (BPF_CORE_READ(d, d_sb, s_magic) != CGROUP2_SUPER_MAGIC)
		return 0;
	if (guard_daemon_cgroup(d))
		return -EPERM;
	if (!is_move_file(d))
		return 0;
	switch (govern(&g)) {
	case GOV_NONE:
		return 0;
	case GOV_OVERFLOW:
		return fail_closed(&g.cfg, ENF_HOOK_FILE, ENF_ACC_WRITE, ENF_OP_CGROUP_MOVE);
	case GOV_POLICIES:
		break;
	}
	/* The destination: the cgroup of the directory holding the file. */
	kn = BPF_CORE_READ(d, d_parent, d_inode, i_private);
	dst = &g.s->dst;
	collect(&g.cfg, (struct cgroup *)BPF_CORE_READ(kn, priv), 1);
	if (dst->n == ENF_CACHE_OVERFLOW)
		return fail_closed(&g.cfg, ENF_HOOK_FILE, ENF_ACC_WRITE, ENF_OP_CGROUP_MOVE);
	/* Bound: ENF_MAX_STACK governing policies. */
	for (i = 0; i < ENF_MAX_STACK; i++) {
		struct gov_pol p = gov_policy(&g, i);
		struct verdict_ctx v = {
			.rule_id = ENF_RULE_DEFAULT, .hook = ENF_HOOK_FILE,
			.access = ENF_ACC_WRITE, .op = ENF_OP_CGROUP_MOVE,
		};

		if (p.state == POL_END)
			break;
		if (p.state == POL_MISSING)
			return fail_closed(&g.cfg, ENF_HOOK_FILE, ENF_ACC_WRITE, ENF_OP_CGROUP_MOVE);
		if (set_has(dst, p.id))
			continue;
		v.policy_id = p.id;
		if (judge(&g.cfg, p.pol, &v, 1, g.s, len))
			return -EPERM;
	}
	/* allowed: a workload moving a task inside its subtree, itself
	 * included, is refused a setup phase first (refuse_mover) */
	return refuse_mover(&g);
}

#endif /* ENF_CGROUP_BPF_H */
