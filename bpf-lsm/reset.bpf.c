// SPDX-License-Identifier: GPL-2.0
/*
 * reset.bpf.c - enf_zero, a program enforcerd runs itself (BPF_PROG_RUN) at
 * reload: zero a range of the per-CPU rule hit slots (rule_slots, on every
 * CPU) or a half of the ungoverned filter (cg_ungov) in one loop in the
 * kernel.  A batched map update costs ~820 guest instructions an entry (a
 * copy from user space and the generic update path each); this is a few
 * stores.  Only entries no live program reads are given to it (a policy's
 * fresh slots, the inactive half), as with the batch it replaces; each
 * stored word is one aligned 8-byte store.  enforcerd falls back to the
 * batched update when the run fails or stops short (ctx->done).
 */
#include "maps.bpf.h"

struct zero_walk {
	__u32 first;
	__u32 ncpu;
	__u32 done;
};

static long zero_slot_cb(__u32 i, struct zero_walk *w)
{
	__u32 ncpu = w->ncpu ? w->ncpu : 1;
	__u32 key = w->first + i / ncpu;
	struct enf_hits *h = bpf_map_lookup_percpu_elem(&rule_slots, &key, i % ncpu);

	if (!h)
		return 1;       /* beyond the map or the CPUs: stop (done says where) */
	h->allowed = 0;
	h->denied = 0;
	h->audited = 0;
	w->done++;
	return 0;
}

static long zero_ungov_cb(__u32 i, struct zero_walk *w)
{
	__u32 key = w->first + i;
	__u64 *v = bpf_map_lookup_elem(&cg_ungov, &key);

	if (!v)
		return 1;
	*v = 0;
	w->done++;
	return 0;
}

SEC("syscall")
int enf_zero(struct enf_zero_ctx *ctx)
{
	struct zero_walk w = { .first = ctx->first, .ncpu = ctx->ncpu };
	__u64 iter = ctx->n;

	ctx->done = 0;
	if (ctx->map == ENF_ZERO_RULE_SLOTS) {
		iter *= w.ncpu;
		if (!w.ncpu || iter > ENF_ZERO_MAX_ITER)
			return 0;
		bpf_loop((__u32)iter, zero_slot_cb, &w, 0);
	} else if (ctx->map == ENF_ZERO_UNGOV) {
		if (iter > ENF_ZERO_MAX_ITER)
			return 0;
		bpf_loop((__u32)iter, zero_ungov_cb, &w, 0);
	}
	ctx->done = w.done;
	return 0;
}
