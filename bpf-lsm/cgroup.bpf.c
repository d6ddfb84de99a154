// SPDX-License-Identifier: GPL-2.0
/*
 * cgroup.bpf.c - keeping governed tasks in their cgroups and binding
 * policies to cgroups as they appear: clone3(CLONE_INTO_CGROUP) denied to
 * confined tasks (task_alloc, which also hands a parent's lineage to its
 * child), the cgroup_attach_task tracepoint that marks a task moved into
 * a cgroup by a trusted mover (ENF_TASK_MOVED), the writes to a
 * cgroup.procs/cgroup.threads (fentry: a descriptor opened before its
 * writer was refused a setup phase), and the cgroup_mkdir tracepoint that
 * copies
 * path and unit-name bindings into cg_bind.  cgroup.procs writes are
 * judged at file_open (cgroup.bpf.h).  cgroup_rmdir removes what a cgroup
 * leaves behind in cg_bind, cg_cache, cg_unbound and setup_cg.  Also the
 * ungoverned filter's fill (enf_ungov_note: enf_ungov; govern.bpf.h reads
 * it).
 */
#include "confine.bpf.h"
#include <bpf/bpf_tracing.h>

#define CLONE_INTO_CGROUP (1ULL << 33)

/* A child inherits its parent's lineage (task_state: a runtime's, or a
 * refusal).  Only runtimes and refused tasks have an entry: a parent with
 * no task storage at all (of any map: one load), a workload's, has nothing
 * to hand on. */
static __always_inline int inherit_state(struct task_struct *child)
{
	struct task_struct *parent = bpf_get_current_task_btf();
	struct enf_task *pt, *ct;
	struct gov g;

	if (!parent->bpf_storage)
		return 0;
	pt = bpf_task_storage_get(&task_state, parent, 0, 0);
	if (!pt || !pt->flags)
		return 0;
	ct = bpf_task_storage_get(&task_state, child, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (ct) {
		ct->flags = pt->flags;
		return 0;
	}
	count(ENF_CNT_FAIL_CLOSED);
	/* the child would lose its parent's refusal: a governed parent may
	 * not fork; losing a runtime's lineage only takes setup rights
	 * away, and an ungoverned parent is never denied */
	if (!(pt->flags & ENF_TASK_EXECED) || govern(&g) == GOV_NONE)
		return 0;
	return -EPERM;
}

/* clone3(CLONE_INTO_CGROUP) starts a child in another cgroup without writing
 * any cgroup.procs: a confined task may not use it.  Every fork of the
 * machine comes here: a parent with no task storage that does not ask for
 * CLONE_INTO_CGROUP leaves after two tests, ungoverned or not. */
SEC("lsm/task_alloc")
int BPF_PROG(enf_task_alloc, struct task_struct *task, unsigned long clone_flags, int ret)
{
	enum gov_state st;
	struct gov g;

	if (ret)
		return ret;
	ret = inherit_state(task);
	if (ret)
		return ret;
	if (!(clone_flags & CLONE_INTO_CGROUP))
		return 0;
	g.cfg.generation = 0;
	st = govern(&g);
	if (st != GOV_NONE && confined(&g.cfg, g.set))
		return deny_tamper(&g.cfg, g.set, ENF_ACC_WRITE, ENF_OP_CGROUP_MOVE);
	if (g.cfg.generation && mover_trusted(&g, st, task))
		mark_moved(task);       /* started in its cgroup: like a move */
	return 0;
}

/* A task moved into a cgroup (cgroup.procs, cgroup.threads) by a trusted
 * mover joins it with no exec since (ENF_TASK_MOVED: it may start a setup
 * phase, confine.bpf.h).  Moves are rare: the marking costs nothing on
 * the paths of exec, open or fork.  (A process moved whole is marked in
 * its thread group leader.) */
SEC("tp_btf/cgroup_attach_task")
int BPF_PROG(enf_task_moved, struct cgroup *dst, const char *path, struct task_struct *task,
	     bool threadgroup)
{
	struct gov g;

	if (!enf_generation || BPF_CORE_READ(dst, root, hierarchy_id) != 0)
		return 0;       /* nothing loaded; cgroup v2 only */
	if (mover_trusted(&g, govern(&g), task))
		mark_moved(task);
	return 0;
}

/*
 * A write to a cgroup.procs or cgroup.threads (cgroup v2's handlers, before
 * the move; no LSM hook sees a write).  Its open was judged for whoever
 * opened it: a workload that opens one is refused a setup phase then
 * (refuse_mover).  A descriptor opened before, and written now by a
 * governed task under a policy that confines privileges, that may not start
 * a setup phase and was not refused one (opened before a live bind
 * governed it, by its parent or by itself before its exec of the workload;
 * 99-lin-red.sh, 99-lin-attack.sh L5) would make its self-move count as
 * trusted (mover_trusted) and the task a process moved in (ENF_TASK_MOVED).
 * fentry cannot deny: the writer is refused a setup phase here (it and its
 * leader: mark_refused), so the move gives it nothing, and the write is
 * counted (ENF_CNT_SETUP_WRITE) and audited (action audit, rule self, op
 * cgroup_move).  A mark that cannot be stored is counted as fail_closed.
 */
static __always_inline int setup_write(struct kernfs_open_file *of)
{
	struct task_struct *cur;
	enum gov_state st;
	struct enf_task *ts;
	struct gov g;
	long len;

	if (!enf_generation)
		return 0;
	st = govern(&g);
	if (st == GOV_NONE)
		return 0;
	cur = bpf_get_current_task_btf();
	if (!confines_privilege(&g, st) || may_start_setup(&g.cfg, cur))
		return 0;
	ts = bpf_task_storage_get(&task_state, cur, 0, 0);
	if ((ts && (ts->flags & ENF_TASK_EXECED)) || leader_refused(cur))
		return 0;       /* refused already (its own open) */
	count(ENF_CNT_SETUP_WRITE);
	if (mark_refused(cur))
		count(ENF_CNT_FAIL_CLOSED);
	{
		struct verdict_ctx v = {
			.policy_id = st == GOV_OVERFLOW || g.set->n == ENF_CACHE_OVERFLOW ?
				     ENF_MAX_POLICIES : g.set->ids[0],
			.rule_id = ENF_RULE_SELF, .hook = ENF_HOOK_FILE, .action = ENF_ACTION_AUDIT,
			.access = ENF_ACC_WRITE, .op = ENF_OP_CGROUP_MOVE, .flags = ENF_EV_NAME_ONLY,
		};

		len = bpf_probe_read_kernel_str(g.s->key.path, ENF_EVENT_PATH,
						BPF_CORE_READ(of, file, f_path.dentry, d_name.name));
		emit(&g.cfg, &v, g.s, len);
	}
	return 0;
}

SEC("fentry/cgroup_procs_write")
int BPF_PROG(enf_procs_write, struct kernfs_open_file *of, char *buf, size_t nbytes, loff_t off)
{
	return setup_write(of);
}

SEC("fentry/cgroup_threads_write")
int BPF_PROG(enf_threads_write, struct kernfs_open_file *of, char *buf, size_t nbytes, loff_t off)
{
	return setup_write(of);
}

/* Bind policies to a cgroup as it is created, before any task can enter it. */
SEC("tp_btf/cgroup_mkdir")
int BPF_PROG(enf_cgroup_mkdir, struct cgroup *cgrp, const char *path)
{
	struct enf_cg_key k = {};
	struct enf_bind *b;
	struct scratch *s;
	__u32 zero = 0;
	long n;
	int gen;

	if (BPF_CORE_READ(cgrp, root, hierarchy_id) != 0)   /* cgroup v2 only */
		return 0;
	s = bpf_map_lookup_elem(&scratch_map, &zero);
	if (!s)
		return 0;
	__builtin_memset(&s->cgpath, 0, sizeof(s->cgpath));
	n = bpf_probe_read_kernel_str(s->cgpath.path, sizeof(s->cgpath.path), path);
	if (n <= 0 || n >= (long)sizeof(s->cgpath.path))
		return 0;               /* longer than any path a policy may bind */
	k.cgid = BPF_CORE_READ(cgrp, kn, id);
	__builtin_memset(&s->cgname, 0, sizeof(s->cgname));
	bpf_probe_read_kernel_str(s->cgname.name, sizeof(s->cgname.name), BPF_CORE_READ(cgrp, kn, name));
	/* Bound: the two generations. */
	for (gen = 0; gen < 2; gen++) {
		struct enf_bind merged = {};
		int i;

		k.gen = gen;
		s->cgpath.gen = gen;
		s->cgname.gen = gen;
		b = bpf_map_lookup_elem(&cgpath_bind, &s->cgpath);
		if (b)
			merged = *b;
		b = bpf_map_lookup_elem(&cgname_bind, &s->cgname);
		if (b) {
			/* Bound: ENF_MAX_BIND policies per cgroup. */
			for (i = 0; i < ENF_MAX_BIND; i++) {
				if (i >= b->n)
					break;
				if (merged.n >= ENF_MAX_BIND)
					break;   /* user space rejects this case; keep what fits */
				merged.ids[merged.n & (ENF_MAX_BIND - 1)] = b->ids[i];
				merged.n++;
			}
		}
		if (!merged.n)
			continue;
		if (bpf_map_update_elem(&cg_bind, &k, &merged, BPF_ANY)) {
			/* cannot bind it: its tasks, and those of the cgroups
			 * below it, fail closed in this half (cg_unbound, which
			 * the LRU cache cannot evict), and it is counted */
			struct enf_cg_cache *oc = &s->cache;
			__u8 *miss = bpf_map_lookup_elem(&cg_unbound, &k.cgid);
			__u8 mask = 1 << gen;

			count(ENF_CNT_MAP_FAIL);
			if (miss) {
				*miss |= mask;
			} else if (bpf_map_update_elem(&cg_unbound, &k.cgid, &mask, BPF_NOEXIST)) {
				count(ENF_CNT_MAP_FAIL);   /* last resort: the cache entry */
			} else {
				__sync_fetch_and_add(&enf_unbound_n, 1);
			}
			oc->generation = enf_generation;
			oc->n = ENF_CACHE_OVERFLOW;
			if (bpf_map_update_elem(&cg_cache, &k.cgid, oc, BPF_ANY))
				count(ENF_CNT_MAP_FAIL);
			continue;
		}
		count(ENF_CNT_BIND_ON_MKDIR);
	}
	return 0;
}

/* A cgroup that goes away takes its bindings and its cached verdict with
 * it: cg_bind never fills with cgroups that no longer exist. */
SEC("tp_btf/cgroup_rmdir")
int BPF_PROG(enf_cgroup_rmdir, struct cgroup *cgrp, const char *path)
{
	struct enf_cg_key k = {};
	int gen;

	if (BPF_CORE_READ(cgrp, root, hierarchy_id) != 0)   /* cgroup v2 only */
		return 0;
	k.cgid = BPF_CORE_READ(cgrp, kn, id);
	/* Bound: the two generations. */
	for (gen = 0; gen < 2; gen++) {
		k.gen = gen;
		bpf_map_delete_elem(&cg_bind, &k);
	}
	bpf_map_delete_elem(&cg_cache, &k.cgid);
	/* a container removed before its first exec: its setup mark */
	if (enf_setup_n && bpf_map_delete_elem(&setup_cg, &k.cgid) == 0)
		__sync_fetch_and_add(&enf_setup_n, -1);
	if (enf_unbound_n && bpf_map_delete_elem(&cg_unbound, &k.cgid) == 0)
		__sync_fetch_and_add(&enf_unbound_n, -1);
	return 0;
}

__noinline int enf_ungov_note(__u64 cgid, __u32 gen_bit)
{
	if (cgid)       /* one 8-byte store: never seen torn */
		enf_ungov[ungov_word(cgid, gen_bit)] = cgid;
	return 0;
}
