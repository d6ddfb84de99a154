/* SPDX-License-Identifier: GPL-2.0 */
/*
 * confine.bpf.h - the privilege model: after its setup phase, a governed
 * task may not use a capability its policies deny ([capabilities], or the
 * built-in ENF_CAP_DEFAULT_DENY), in any user namespace.  Mounts, chroot,
 * pivot_root, namespaces, raw and packet sockets, modules, bpf and ptrace
 * of others all need one of those capabilities: they are closed by
 * construction, whatever syscall reaches them.
 *
 * Setup phase: a governed task whose program (mm->exe_file) is a runtime
 * binary (ENF_KIND_RUNTIME: systemd, runc, crun ... resolved by enforcerd),
 * or in a container's cgroup that enforcerd marked (the OCI hook's bind
 * pid=: setup_cg, until the first exec of a workload in it), and that has
 * not exec'd anything else while
 * governed (task_state) builds the environment of a service or container:
 * its capabilities are not judged until it execs the workload.
 */
#ifndef ENF_CONFINE_BPF_H
#define ENF_CONFINE_BPF_H

#include "audit.bpf.h"

#define CAP_OPT_NOAUDIT 0x2     /* capable_noaudit(): a probe, not an action */

/* May inode number ino be a runtime binary's in half gen_bit?  The runtime
 * filter (enf_rt_bloom): two loads and a shift; never a false "no". */
static __always_inline int runtime_maybe(__u32 gen_bit, __u64 ino)
{
	__u32 b = ENF_RT_BLOOM_BIT(ino);

	return (enf_rt_bloom[gen_bit & 1][(b >> 6) & (ENF_RT_BLOOM_WORDS - 1)] >> (b & 63)) & 1;
}

/* Is inode ino (a BTF pointer: direct loads) a runtime binary, by
 * identity?  The runtime filter first, the hash lookup only past it. */
static __always_inline int is_runtime_inode(const struct enf_config *cfg, struct inode *ino)
{
	struct enf_inode_key k = { .tag = ENF_TAG(cfg->gen_bit, ENF_KIND_RUNTIME, 0) };
	__u64 i;

	if (!ino)
		return 0;
	i = ino->i_ino;
	if (!runtime_maybe(cfg->gen_bit, i))
		return 0;
	k.dev = ino->i_sb->s_dev;
	k.ino = i;
	return bpf_map_lookup_elem(&inode_rules, &k) != NULL;
}

/* Is f (a BTF pointer) a runtime binary? */
static __always_inline int is_runtime_file(const struct enf_config *cfg, struct file *f)
{
	return f && is_runtime_inode(cfg, f->f_inode);
}

/* Is cgroup cgid a container's before its first exec (setup_cg)?  No
 * lookup while the map is empty (enf_setup_n never counts fewer). */
static __always_inline int cg_in_setup(__u64 cgid)
{
	return enf_setup_n && bpf_map_lookup_elem(&setup_cg, &cgid);
}

/* Is thread t's process refused a setup phase through its thread group
 * leader (a BTF pointer: one load, and a lookup only for a thread that is
 * not the leader)?  A refusal marks the refused thread and its leader
 * (refuse_workload): another thread of the same process, an io-wq worker
 * of its io_uring included, is refused with it (99-lin-red.sh). */
static __always_inline int leader_refused(struct task_struct *t)
{
	struct task_struct *l = t->group_leader;
	struct enf_task *ls;

	if (!l || l == t)
		return 0;
	ls = bpf_task_storage_get(&task_state, l, 0, 0);
	return ls && (ls->flags & ENF_TASK_EXECED);
}

/* Task t's (a BTF pointer) standing for a setup phase, the flags of its
 * lineage in `grants` counting for it (task_in_setup, may_start_setup):
 * none after a refusal (ENF_TASK_EXECED, of t or of its thread group's
 * leader), else such a flag, a container's cgroup before its first exec,
 * or a runtime binary as its program. */
static __always_inline int setup_standing(const struct enf_config *cfg, struct task_struct *t,
					  __u32 grants)
{
	struct enf_task *ts = bpf_task_storage_get(&task_state, t, 0, 0);

	if ((ts && (ts->flags & ENF_TASK_EXECED)) || leader_refused(t))
		return 0;
	if (ts && (ts->flags & grants))
		return 1;
	if (cg_in_setup(task_cgid(t)))
		return 1;       /* a container's cgroup before its first exec */
	return t->mm && is_runtime_file(cfg, t->mm->exe_file);
}

/* Is governed task t in its setup phase?  (Its last exec was of a runtime
 * binary, and its anonymous copy, counts.) */
static __always_inline int task_in_setup(const struct enf_config *cfg, struct task_struct *t)
{
	return setup_standing(cfg, t, ENF_TASK_RUNTIME);
}

/* Does any policy governing the task whose flags hold all of `flags`
 * deny it a capability (or can that not be decided)? */
static __always_inline int caps_denied_by(struct gov *g, enum gov_state st, __u32 flags)
{
	int i;

	if (st == GOV_NONE)
		return 0;
	if (st == GOV_OVERFLOW)
		return 1;
	/* Bound: ENF_MAX_STACK governing policies. */
	for (i = 0; i < ENF_MAX_STACK; i++) {
		struct gov_pol p = gov_policy(g, i);

		if (p.state == POL_END)
			return 0;
		if (p.state == POL_MISSING || ((p.pol->flags & flags) == flags && p.pol->cap_deny))
			return 1;
	}
	return 0;
}

/* Does any policy governing the task deny it a capability?  Such a task
 * may start a setup phase only as may_start_setup says. */
static __always_inline int confines_privilege(struct gov *g, enum gov_state st)
{
	return caps_denied_by(g, st, 0);
}

/*
 * May task t (a BTF pointer) start a setup phase, by exec'ing a runtime
 * binary?  A task refused one (ENF_TASK_EXECED) never; one in its setup
 * phase (task_in_setup) may, and so may one that joined its cgroup by a
 * trusted move (the cgroup_attach_task tracepoint, or clone3 into it:
 * ENF_TASK_MOVED, inherited at fork) and exec'd nothing since: cgexec,
 * `systemd-run --scope`, a runtime's own init.  A workload (a task that
 * exec'd anything else while governed, or that ran in its cgroup before a
 * policy governed it) has neither.
 */
static __always_inline int may_start_setup(const struct enf_config *cfg, struct task_struct *t)
{
	return setup_standing(cfg, t, ENF_TASK_RUNTIME | ENF_TASK_MOVED);
}

/* Mark task t (a BTF pointer) and its thread group's leader refused a
 * setup phase (ENF_TASK_EXECED); 0, or -1 when a mark cannot be stored. */
static __always_inline int mark_refused(struct task_struct *t)
{
	struct task_struct *l = t->group_leader;
	struct enf_task *ts;

	ts = bpf_task_storage_get(&task_state, t, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!ts)
		return -1;
	ts->flags = ENF_TASK_EXECED;
	if (!l || l == t)
		return 0;
	ts = bpf_task_storage_get(&task_state, l, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!ts)
		return -1;
	ts->flags = ENF_TASK_EXECED;
	return 0;
}

/*
 * Refuse governed task t (a BTF pointer; st: its governance) a setup phase
 * for good (ENF_TASK_EXECED, inherited at fork) unless its policies deny no
 * capability or it may start one (may_start_setup).  The mark goes on t and
 * on its thread group's leader (mark_refused): the process is refused, not
 * the thread (another thread, or the io-wq worker that opened a file for
 * it, would otherwise do what was refused); an exec by another thread
 * keeps it (keep_refusal, exec.bpf.c).  A mark that cannot be stored fails
 * closed (counted, -EPERM, audited as hook/access/op).
 */
static __always_inline int refuse_workload(struct gov *g, enum gov_state st, struct task_struct *t,
					   __u8 hook, __u8 access, __u8 op)
{
	if (!confines_privilege(g, st) || may_start_setup(&g->cfg, t))
		return 0;
	if (mark_refused(t))
		return fail_closed(&g->cfg, hook, access, op);
	return 0;
}

/*
 * A thread that is not its thread group's leader execs (bprm_check, before
 * de_thread makes it the leader and the old leader, with its mark, goes):
 * a refusal its leader holds becomes its own.  1: a mark that cannot be
 * stored (the caller fails closed).
 */
static __always_inline int keep_refusal(struct task_struct *t)
{
	struct enf_task *ts;

	if (!leader_refused(t))
		return 0;
	ts = bpf_task_storage_get(&task_state, t, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!ts)
		return 1;
	ts->flags = ENF_TASK_EXECED;
	return 0;
}

/*
 * May the current task (g, st: its governance) hand task `moved`, which
 * it moved into a cgroup (or starts in one: clone3), the standing of
 * ENF_TASK_MOVED?  Not a task
 * under a policy that confines privileges that may not start a setup phase
 * itself.  A task that moved itself is judged by what governed it before
 * (the tracepoint comes after the move): a confined task may not write
 * cgroup.procs (cgroup.bpf.h), so what can have governed it is a host-wide
 * policy, which governs it after the move too.
 */
static __always_inline int mover_trusted(struct gov *g, enum gov_state st, struct task_struct *moved)
{
	struct task_struct *cur = bpf_get_current_task_btf();

	if (!confines_privilege(g, st) || may_start_setup(&g->cfg, cur))
		return 1;
	if (moved->tgid != cur->tgid)
		return 0;
	return !caps_denied_by(g, st, ENF_POL_HOSTWIDE);
}

/*
 * The current task, governed, may write a cgroup.procs or cgroup.threads
 * (a move inside its subtree: cgroup.bpf.h).  A workload (under a policy
 * that confines privileges, not in its setup phase) is refused a setup
 * phase for good first (ENF_TASK_EXECED): mover_trusted trusts a self-move
 * by what governs the mover after it, and a workload moving itself into
 * its own cgroup or one below would otherwise take ENF_TASK_MOVED and then
 * start a setup phase by exec'ing the runtime binary (99-lin-attack.sh
 * L1, L2, L4).  A mark that cannot be stored denies the open (fail
 * closed, counted).
 */
static __always_inline int refuse_mover(struct gov *g)
{
	return refuse_workload(g, GOV_POLICIES, bpf_get_current_task_btf(), ENF_HOOK_FILE,
			       ENF_ACC_WRITE, ENF_OP_CGROUP_MOVE);
}

/* Mark task t (a BTF pointer) ENF_TASK_MOVED (a trusted move); a task
 * refused a setup phase stays refused. */
static __always_inline void mark_moved(struct task_struct *t)
{
	struct enf_task *ts = bpf_task_storage_get(&task_state, t, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);

	if (!ts)
		count(ENF_CNT_FAIL_CLOSED);     /* it cannot start a setup phase */
	else if (!(ts->flags & ENF_TASK_EXECED) && !leader_refused(t))
		ts->flags |= ENF_TASK_MOVED;
}

/*
 * A governed task exec'ing the file of inode ino, which the runtime filter
 * let through (bprm_check_security, before the exec commits: the task's
 * program is still the old one).  A runtime binary starts a setup phase
 * (enf_exec_commit) unless the task is refused one here (refuse_workload):
 * the mark is stored before the exec goes on, so that the runtime it now
 * runs, and its children, are not in setup by their program; a mark that
 * cannot be stored denies the exec.
 */
static __always_inline int refuse_setup(struct gov *g, struct task_struct *t, struct inode *ino)
{
	if (!is_runtime_inode(&g->cfg, ino))
		return 0;
	return refuse_workload(g, gov_rest(g), t, ENF_HOOK_EXEC, ENF_ACC_EXEC, ENF_OP_EXEC);
}

/* Does any policy governing the task deny capability cap?  POL_OK with the
 * first such policy, POL_END if none, POL_MISSING to fail closed. */
static __always_inline struct gov_pol cap_denier(const struct gov *g, int cap)
{
	struct gov_pol none = { .state = POL_END };
	int i;

	/* Bound: ENF_MAX_STACK governing policies. */
	for (i = 0; i < ENF_MAX_STACK; i++) {
		struct gov_pol p = gov_policy(g, i);

		if (p.state != POL_OK)
			return p;
		if ((p.pol->cap_deny >> (cap & 63)) & 1)
			return p;
	}
	return none;
}

/* What the current syscall is, for the audit line of a denial. */
struct sys_info {
	__u32 op;               /* enum enf_op */
	__u16 sysno;
	__s8 path_arg;          /* argument holding a path, -1: none */
	__s8 fstype_arg;        /* argument holding a file system type, -1: none */
};

static __always_inline struct sys_info sys_describe(long nr)
{
	struct sys_info si = { .op = ENF_OP_CAPABLE, .sysno = nr, .path_arg = -1, .fstype_arg = -1 };

	/* x86_64 syscall numbers */
	switch (nr) {
	case 165: si.op = ENF_OP_MOUNT; si.path_arg = 1; si.fstype_arg = 2; break;
	case 166: si.op = ENF_OP_UMOUNT; si.path_arg = 0; break;
	case 155: si.op = ENF_OP_PIVOT_ROOT; si.path_arg = 0; break;
	case 161: si.op = ENF_OP_CHROOT; si.path_arg = 0; break;
	case 428: si.op = ENF_OP_OPEN_TREE; si.path_arg = 1; break;
	case 429: si.op = ENF_OP_MOVE_MOUNT; si.path_arg = 3; break;
	case 430: si.op = ENF_OP_FSOPEN; si.fstype_arg = 0; break;
	case 431: si.op = ENF_OP_FSCONFIG; break;
	case 432: si.op = ENF_OP_FSMOUNT; break;
	case 442: si.op = ENF_OP_MOUNT_SETATTR; si.path_arg = 1; break;
	case 272: si.op = ENF_OP_UNSHARE; break;
	case 308: si.op = ENF_OP_SETNS; break;
	case 41: si.op = ENF_OP_SOCKET; break;
	case 101: si.op = ENF_OP_PTRACE; break;
	}
	return si;
}

static __always_inline unsigned long sys_arg(struct pt_regs *regs, int n)
{
	switch (n) {
	case 0: return BPF_CORE_READ(regs, di);
	case 1: return BPF_CORE_READ(regs, si);
	case 2: return BPF_CORE_READ(regs, dx);
	case 3: return BPF_CORE_READ(regs, r10);
	}
	return 0;
}

/*
 * Judge a privileged action by cap for the current (governed) task: denied
 * when a policy denies cap and the task is past setup.  audit: emit the
 * record (not for capable_noaudit probes); op: ENF_OP_NONE to take it from
 * the syscall being made; d: the file it is about (its name is recorded).
 */
static __always_inline int check_privilege(struct gov *g, int cap, int audit, __u32 op,
					   struct dentry *d)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct gov_pol p;
	int i;

	if (g->set->n == ENF_CACHE_OVERFLOW) {
		if (!((ENF_CAP_DEFAULT_DENY >> (cap & 63)) & 1) || task_in_setup(&g->cfg, task))
			return 0;
		return audit ? fail_closed(&g->cfg, ENF_HOOK_CAPABLE, ENF_ACC_NONE, op) : -EPERM;
	}
	p = cap_denier(g, cap);
	if (p.state == POL_END || task_in_setup(&g->cfg, task))
		return 0;
	if (p.state == POL_MISSING)
		return audit ? fail_closed(&g->cfg, ENF_HOOK_CAPABLE, ENF_ACC_NONE, op) : -EPERM;
	/* Bound: ENF_MAX_STACK governing policies; each denying one judges. */
	for (i = 0; i < ENF_MAX_STACK; i++) {
		struct verdict_ctx v = {};
		struct sys_info si;
		struct pt_regs *regs;
		long len = 0;

		p = gov_policy(g, i);
		if (p.state == POL_END)
			break;
		if (p.state == POL_MISSING)
			return audit ? fail_closed(&g->cfg, ENF_HOOK_CAPABLE, ENF_ACC_NONE, op) : -EPERM;
		if (!((p.pol->cap_deny >> (cap & 63)) & 1))
			continue;
		if (!audit) {
			if (p.pol->mode == ENF_MODE_AUDIT)
				continue;
			return -EPERM;
		}
		regs = (struct pt_regs *)bpf_task_pt_regs(task);
		si = sys_describe(regs ? BPF_CORE_READ(regs, orig_ax) : -1);
		v.policy_id = p.id;
		v.rule_id = ENF_RULE_DEFAULT;
		v.hook = ENF_HOOK_CAPABLE;
		v.cap = cap;
		v.sysno = si.sysno;
		v.op = op != ENF_OP_NONE ? op : si.op;
		if (d) {
			len = bpf_probe_read_kernel_str(g->s->key.path, ENF_EVENT_PATH,
							BPF_CORE_READ(d, d_name.name));
			v.flags |= ENF_EV_NAME_ONLY;
		} else if (regs && si.path_arg >= 0) {
			len = bpf_probe_read_user_str(g->s->key.path, ENF_EVENT_PATH,
						      (const void *)sys_arg(regs, si.path_arg));
			v.flags |= ENF_EV_PATH_AS_GIVEN;
		}
		if (regs && si.fstype_arg >= 0) {
			long n = bpf_probe_read_user_str(g->s->argv.buf, 64,
							 (const void *)sys_arg(regs, si.fstype_arg));

			if (n > 0) {
				g->s->argv.len = n - 1;
				v.flags |= ENF_EV_HAS_FSTYPE;
			}
		}
		if (judge(&g->cfg, p.pol, &v, 1, g->s, len))
			return -EPERM;
	}
	return 0;
}

#endif /* ENF_CONFINE_BPF_H */
