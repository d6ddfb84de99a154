// SPDX-License-Identifier: GPL-2.0
/*
 * govern.bpf.c - enf_collect(): the policies bound to a cgroup and to each
 * of its ancestors (cg_bind), the slow path of govern() (govern.bpf.h) on a
 * cg_cache miss and of a cgroup.procs write's destination.  One global
 * function, verified once per program.
 */
#include "govern.bpf.h"
#include <bpf/bpf_core_read.h>

/* Walking a cgroup's ancestors: where the walk is and what it found. */
struct collect_ctx {
	__u64 cg;                       /* the next cgroup to look at (0: past the root) */
	struct enf_cg_key k;
	struct enf_cg_cache *nc;
};

/* Look at one cgroup and step to its parent.  Returns 1 when the walk is
 * over (the root passed, or more policies than ENF_MAX_STACK: overflow). */
static __always_inline long collect_step(struct collect_ctx *c)
{
	struct cgroup *cg = (struct cgroup *)c->cg;
	struct enf_cg_cache *nc = c->nc;
	struct enf_bind *b;
	int i;

	if (!cg || !nc)
		return 1;
	c->k.cgid = BPF_CORE_READ(cg, kn, id);
	if (enf_unbound_n) {
		/* its bindings were lost at mkdir (cg_bind full): fail closed */
		__u8 *miss = bpf_map_lookup_elem(&cg_unbound, &c->k.cgid);

		if (miss && (*miss & (1 << (c->k.gen & 1)))) {
			nc->n = ENF_CACHE_OVERFLOW;
			c->cg = 0;
			return 1;
		}
	}
	b = bpf_map_lookup_elem(&cg_bind, &c->k);
	if (b) {
		/* Bound: ENF_MAX_BIND policies bound to one cgroup. */
		for (i = 0; i < ENF_MAX_BIND; i++) {
			if (i >= b->n)
				break;
			if (nc->n >= ENF_MAX_STACK) {
				nc->n = ENF_CACHE_OVERFLOW;
				c->cg = 0;
				return 1;
			}
			nc->ids[nc->n & (ENF_MAX_STACK - 1)] = b->ids[i];
			nc->n++;
		}
	}
	c->cg = (__u64)BPF_CORE_READ(cg, self.parent, cgroup);
	return c->cg == 0;
}

static long collect_cb(__u32 i, void *ctx)
{
	return collect_step(ctx);
}

/*
 * The policies bound to cgroup cg and to each of its ancestors, into nc.
 * nc->n == ENF_CACHE_OVERFLOW when a bound ran out (fail closed).  The
 * walk goes on in bpf_loop up to ENF_MAX_CG_DEPTH + ENF_MAX_CG_WALK levels,
 * so depth alone never denies: a deep cgroup with no policy above it is
 * ungoverned, one with policies is governed by all of them.  No level is
 * inlined: this is the slow path (a cg_cache miss), and every program
 * reaches it, where the verifier checked each inlined level again (32 of
 * them, with the bound policies' loop in each).
 */
__noinline int enf_collect(__u64 generation, __u64 cg, __u32 into_dst)
{
	__u32 zero = 0;
	struct scratch *s = bpf_map_lookup_elem(&scratch_map, &zero);
	struct enf_cg_cache *nc;
	struct collect_ctx c = { .k = { .gen = generation & 1 }, .cg = cg };

	if (!s)
		return 0;
	nc = into_dst ? &s->dst : &s->cache;
	c.nc = nc;
	nc->generation = generation;
	nc->n = 0;
	/* Bound: ENF_MAX_CG_DEPTH + ENF_MAX_CG_WALK levels up to the root. */
	bpf_loop(ENF_MAX_CG_DEPTH + ENF_MAX_CG_WALK, collect_cb, &c, 0);
	if (c.cg) /* deeper still: ancestors unseen */
		nc->n = ENF_CACHE_OVERFLOW;
	return 0;
}
