/* SPDX-License-Identifier: GPL-2.0 */
/*
 * govern.bpf.h - who governs the current task: the prologue every hook
 * starts with, written once.
 *
 *	struct gov g;
 *
 *	switch (govern(&g)) {
 *	case GOV_NONE:     return 0;                 ungoverned: allow
 *	case GOV_OVERFLOW: return fail_closed(...);  a bound ran out
 *	case GOV_POLICIES: break;                    judge by g.set
 *	}
 *
 * Hot path for an ungoverned task (gov_prefix, inlined in every hook): one
 * global read (the generation), the cgroup id by four direct BTF loads (no
 * helper call) and one load of a global word (enf_ungov, the ungoverned
 * filter); a governed one then looks up the LRU hash cg_cache (gov_rest).
 * A file open may first consult the verdict cache between the two
 * (vcache.bpf.h: keyed on the cgroup id, not on the governing set).
 */
#ifndef ENF_GOVERN_BPF_H
#define ENF_GOVERN_BPF_H

#include "maps.bpf.h"
#include <bpf/bpf_core_read.h>

static __always_inline void count(__u32 idx)
{
	__u64 *v = bpf_map_lookup_elem(&counters, &idx);

	if (v)
		*v += 1;
}

static __always_inline struct enf_pstat *pstat(__u32 id, __u32 hook)
{
	__u32 idx = id * ENF_HOOK_MAX + hook;

	if (id >= ENF_MAX_POLICIES)
		return NULL;
	return bpf_map_lookup_elem(&pstats, &idx);
}

/* Read the switch once per hook call: one consistent generation. */
static __always_inline int config_get(struct enf_config *cfg)
{
	__u64 g = enf_generation;

	if (!g)
		return 0;
	cfg->generation = g;
	cfg->gen_bit = g & 1;
	return 1;
}

/*
 * The policies bound to a cgroup and its ancestors, into this CPU's scratch
 * (s->dst when into_dst, else s->cache): govern.bpf.c.  A global function
 * (the cgroup as a number): the verifier checks the walk once per program,
 * not inside every hook's prologue.
 */
__noinline int enf_collect(__u64 generation, __u64 cg, __u32 into_dst);

static __always_inline void collect(const struct enf_config *cfg, struct cgroup *cg,
				    __u32 into_dst)
{
	__u64 cgv = 0;

	bpf_probe_read_kernel(&cgv, sizeof(cgv), &cg);
	enf_collect(cfg->generation, cgv, into_dst);
}

/* enf_ungov_note (cgroup.bpf.c, a global function: the miss path only):
 * remember that cgroup cgid is ungoverned in half gen_bit, just collected
 * from the bindings. */
__noinline int enf_ungov_note(__u64 cgid, __u32 gen_bit);

/* The word of cgroup cgid in the ungoverned filter for generation parity
 * gen & 1: the two halves interleaved (the parity flips the index's low
 * bit), so the word is found with one xor and one mask.  The mask after
 * barrier_var: 6.1's verifier tracks no bounds through an xor of two
 * unknown registers ("unbounded min value" at the array's index). */
static __always_inline __u32 ungov_word(__u64 cgid, __u64 gen)
{
	__u64 w = cgid ^ (gen & 1);

	barrier_var(w);
	return w & (2 * ENF_UNGOV_SLOTS - 1);
}

/* The ungoverned filter (enf_ungov), inlined: 1 when cgroup cgid is known
 * ungoverned in generation parity gen & 1.  One load and a compare.  A
 * word holds a cgroup id, so the parity it was written for is the low bit
 * of its index xor the id's: a word of one parity is never read as the
 * other's (ENF_UNGOV_SLOTS).  An empty word holds 0, which is no cgroup's
 * id (kernfs ids start at 1; the id is read by direct loads, never a
 * failed read's 0: task_cgid), and enf_ungov_note never stores 0. */
static __always_inline int ungov_known(__u64 cgid, __u64 gen)
{
	return enf_ungov[ungov_word(cgid, gen)] == cgid;
}

/* The task's cgroup (v2) id, as bpf_get_current_cgroup_id() returns it,
 * by direct loads through the task's trusted BTF pointers (no helper
 * call, no probe read). */
static __always_inline __u64 task_cgid(struct task_struct *t)
{
	return t->cgroups->dfl_cgrp->kn->id;
}

/*
 * The policies governing the current task (cgroup cgid): those bound to its
 * cgroup and to each ancestor.  Cached per cgroup id and generation.
 * Returns NULL when the task is ungoverned; a cache with n ==
 * ENF_CACHE_OVERFLOW means "fail closed".  An answer collected now from the
 * bindings (not read from the cache) that nothing governs it fills the
 * ungoverned filter: a live bind clears the slot after a grace period, so
 * a collect that read the old bindings cannot store after that clear.
 */
static __always_inline struct enf_cg_cache *governing(const struct enf_config *cfg,
						      struct scratch *s, __u64 cgid)
{
	struct enf_cg_cache *c = bpf_map_lookup_elem(&cg_cache, &cgid);
	struct enf_cg_cache *nc = &s->cache;
	struct task_struct *task;
	struct cgroup *cg;

	if (c && c->generation == cfg->generation)
		return c->n ? c : NULL;
	count(ENF_CNT_CACHE_MISS);
	task = bpf_get_current_task_btf();
	cg = BPF_CORE_READ(task, cgroups, dfl_cgrp);
	collect(cfg, cg, 0);
	/* the task may have been moved since cgid was read: what was just
	 * collected is then another cgroup's answer, used but not stored */
	if (BPF_CORE_READ(cg, kn, id) != cgid) {
		s->vc.ok = 0;   /* nor stored by the verdict cache under cgid */
		s->nc.ok = 0;   /* nor by the connect cache (ncache.bpf.h) */
		return nc->n ? nc : NULL;
	}
	if (bpf_map_update_elem(&cg_cache, &cgid, nc, BPF_ANY))
		count(ENF_CNT_MAP_FAIL);        /* nc is used uncached: nothing fails open */
	if (nc->n)
		return nc;
	enf_ungov_note(cgid, cfg->gen_bit);
	return NULL;
}

static __always_inline const struct enf_policy *policy_get(const struct enf_config *cfg, __u32 id)
{
	__u32 idx;

	if (id >= ENF_MAX_POLICIES)
		return NULL;
	idx = cfg->gen_bit * ENF_MAX_POLICIES + id;
	return bpf_map_lookup_elem(&policies, &idx);
}

/* What govern() found for the current task. */
enum gov_state {
	GOV_NONE = 0,           /* nothing loaded, or no policy governs it: allow */
	GOV_POLICIES,           /* g->set lists the policies that govern it */
	GOV_OVERFLOW,           /* a bound ran out collecting them: fail closed */
};

struct gov {
	struct enf_config cfg;          /* the generation this hook call judges by */
	struct enf_cg_cache *set;       /* governing policies (GOV_POLICIES, GOV_OVERFLOW) */
	struct scratch *s;              /* this CPU's scratch (gov_rest; NULL before) */
	__u64 cgid;                     /* the task's cgroup id (gov_prefix) */
};

/* The first half of govern(), all an ungoverned task pays: 0 when nothing
 * is loaded or the task's cgroup is known ungoverned (allow), 1 when it may
 * be governed (gov_rest decides).  g->cfg and *task (the current task)
 * are filled whenever something is loaded, for an ungoverned task too: a
 * hook may still act on one (the exec of a runtime binary by the shim
 * starts a setup phase: confine.bpf.c, enf_exec_commit); a hook that does
 * not read them pays nothing (inlined, the stores are dropped). */
static __always_inline int gov_prefix_task(struct gov *g, struct task_struct **task)
{
	/* the helper call first: nothing read before it is kept across it
	 * (no register saved to the stack on the ungoverned path) */
	struct task_struct *t = bpf_get_current_task_btf();
	__u64 gen = enf_generation, cgid;

	*task = t;      /* (inlined: a register, not a stack slot) */
	cgid = task_cgid(t);
	/* one consistent generation for the whole hook call (config_get),
	 * stored on both ways out (after the filter's load: a hook that has
	 * no use for it on the ungoverned one does not pay the stores).  The
	 * filter before the test of "nothing loaded": both allow, and an
	 * ungoverned task then pays no test of its own */
	if (ungov_known(cgid, gen)) {
		asm volatile("" ::: "memory");   /* not hoisted above the test */
		g->cfg.generation = gen;
		g->cfg.gen_bit = gen & 1;
		return 0;
	}
	if (!gen)
		return 0;
	g->cfg.generation = gen;
	g->cfg.gen_bit = gen & 1;
	g->cgid = cgid;
	g->s = NULL;
	return 1;
}

/* gov_prefix_task's test with its values in registers, for a hook that
 * stores them in its struct gov only when it needs it (gov_set): 1 when
 * the task may be governed (something loaded, the cgroup not known
 * ungoverned), 0 otherwise; *gen, *cgid and *task are set either way. */
static __always_inline int gov_test(__u64 *genp, __u64 *cgidp, struct task_struct **task)
{
	/* the helper call first, as gov_prefix_task */
	struct task_struct *t = bpf_get_current_task_btf();
	__u64 gen = enf_generation, cgid;

	*task = t;
	cgid = task_cgid(t);
	*genp = gen;
	*cgidp = cgid;
	/* the filter before the test of "nothing loaded", as gov_prefix_task */
	if (ungov_known(cgid, gen))
		return 0;
	return gen != 0;
}

/* What gov_prefix_task stores for a task that may be governed. */
static __always_inline void gov_set(struct gov *g, __u64 gen, __u64 cgid)
{
	g->cfg.generation = gen;
	g->cfg.gen_bit = gen & 1;
	g->cgid = cgid;
	g->s = NULL;
}

/* gov_prefix_task for a hook that has no use for the task. */
static __always_inline int gov_prefix(struct gov *g)
{
	struct task_struct *t;

	return gov_prefix_task(g, &t);
}

#define ENF_TICK_NS 10000000ULL        /* x86_64's USER_HZ (100): /proc's clock tick */

/* Is the current task enforcerd?  Its thread group id, and its start time
 * (the thread group leader's, as /proc/PID/stat gives it): a pid taken
 * again after enforcerd stopped names another process. */
static __always_inline int current_is_daemon(void)
{
	struct task_struct *t;

	if (!enf_daemon_tgid || (__u32)(bpf_get_current_pid_tgid() >> 32) != enf_daemon_tgid)
		return 0;
	t = bpf_get_current_task_btf();
	return t->group_leader->start_boottime / ENF_TICK_NS == enf_daemon_start;
}

/* The second half: the governing policies of cgroup g->cgid. */
static __always_inline enum gov_state gov_rest(struct gov *g)
{
	__u32 zero = 0;

	if (!g->s)
		g->s = bpf_map_lookup_elem(&scratch_map, &zero);
	if (!g->s)
		return GOV_NONE;
	g->set = governing(&g->cfg, g->s, g->cgid);
	if (!g->set)
		return GOV_NONE;
	/* enforcerd itself is never governed, whatever cgroup it was moved to */
	if (current_is_daemon())
		return GOV_NONE;
	return g->set->n == ENF_CACHE_OVERFLOW ? GOV_OVERFLOW : GOV_POLICIES;
}

/* The prologue of every hook: who governs the current task.  An
 * ungoverned task pays gov_prefix only. */
static __always_inline enum gov_state govern(struct gov *g)
{
	if (!gov_prefix(g))
		return GOV_NONE;
	return gov_rest(g);
}

/* One governing policy, as the per-policy loops of the hooks see it. */
enum gov_pol_state {
	POL_END = 0,            /* past the last governing policy */
	POL_OK,                 /* pol holds its settings */
	POL_MISSING,            /* its settings are missing: fail closed */
};

struct gov_pol {
	enum gov_pol_state state;
	__u32 id;
	const struct enf_policy *pol;
};

/* The i-th policy governing the task (i < ENF_MAX_STACK, the loop's bound). */
static __always_inline struct gov_pol gov_policy(const struct gov *g, int i)
{
	struct gov_pol p = { .state = POL_END };

	if (i >= g->set->n)
		return p;
	p.id = g->set->ids[i & (ENF_MAX_STACK - 1)];
	p.pol = policy_get(&g->cfg, p.id);
	p.state = p.pol && p.pol->used ? POL_OK : POL_MISSING;
	return p;
}

/* Is policy id among the set's (a cgroup's governing policies)? */
static __always_inline int set_has(const struct enf_cg_cache *set, __u32 id)
{
	int j, found = 0;

	/* Bound: ENF_MAX_STACK policy ids. */
	for (j = 0; j < ENF_MAX_STACK; j++) {
		if (j >= set->n)
			break;
		if (set->ids[j & (ENF_MAX_STACK - 1)] == id)
			found = 1;
	}
	return found;
}

/* Governed by a policy other than a host-wide baseline: such a task may not
 * touch enforcer itself. */
static __always_inline int confined(const struct enf_config *cfg, const struct enf_cg_cache *gov)
{
	int i;

	if (gov->n == ENF_CACHE_OVERFLOW)
		return 1;
	/* Bound: ENF_MAX_STACK governing policies. */
	for (i = 0; i < ENF_MAX_STACK; i++) {
		const struct enf_policy *pol;

		if (i >= gov->n)
			break;
		pol = policy_get(cfg, gov->ids[i & (ENF_MAX_STACK - 1)]);
		if (!pol || !(pol->flags & ENF_POL_HOSTWIDE))
			return 1;
	}
	return 0;
}

#endif /* ENF_GOVERN_BPF_H */
