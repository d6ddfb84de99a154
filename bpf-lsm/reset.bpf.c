// SPDX-License-Identifier: GPL-2.0
/*
 * reset.bpf.c - enf_zero, a program enforcerd runs itself (BPF_PROG_RUN) at
 * reload: zero a range of the per-CPU rule hit slots (rule_slots, on every
 * CPU) in one loop in the kernel.  A batched map update costs ~820 guest
 * instructions an entry (a copy from user space and the generic update
 * path each); this is a few stores.  Only entries no live program reads
 * are given to it (a policy's fresh slots, the inactive half's), as with
 * the batch it replaces; each stored word is one aligned 8-byte store.
 * enforcerd falls back to the batched update when the run fails or stops
 * short (ctx->done).  It first sums the slots' cached allows by hook
 * (ctx->lead, ctx->more: enforcerd folds them into what it reports) and
 * keeps the caches' hit counts (counters[ENF_CNT_CACHE_FOLDED + hook]);
 * ENF_SUM_RULE_SLOTS only sums (enforcerd's reads of those counters).
 */
#include "maps.bpf.h"

struct zero_walk {
	__u32 first;
	__u32 ncpu;
	__u32 done;
	__u32 zero;             /* 0: sum only (ENF_SUM_RULE_SLOTS) */
	__u64 lead[ENF_HOOK_MAX];
	__u64 more[ENF_HOOK_MAX];
};

/* Slot first + i / ncpu on CPU i % ncpu: its cached allows summed by its
 * hook (enf_slot_hook), then (zero) the slot zeroed, and after its last
 * CPU its hook cleared: nothing is left to fold twice. */
static long zero_slot_cb(__u32 i, struct zero_walk *w)
{
	__u32 ncpu = w->ncpu ? w->ncpu : 1;
	__u32 key = w->first + i / ncpu, hk;
	struct enf_slot_hits *h = bpf_map_lookup_percpu_elem(&rule_slots, &key, i % ncpu);

	if (!h)
		return 1;       /* beyond the map or the CPUs: stop (done says where) */
	hk = enf_slot_hook[key & (ENF_RULE_SLOTS - 1)];
	if (hk && hk <= ENF_HOOK_MAX) {
		w->lead[(hk - 1) & (ENF_HOOK_MAX - 1)] += h->lead;
		w->more[(hk - 1) & (ENF_HOOK_MAX - 1)] += h->more;
	}
	w->done++;
	if (!w->zero)
		return 0;
	h->h.allowed = 0;
	h->h.denied = 0;
	h->h.audited = 0;
	h->lead = 0;
	h->more = 0;
	if (i % ncpu == ncpu - 1)
		enf_slot_hook[key & (ENF_RULE_SLOTS - 1)] = 0;
	return 0;
}

SEC("syscall")
int enf_zero(struct enf_zero_ctx *ctx)
{
	struct zero_walk w = { .first = ctx->first, .ncpu = ctx->ncpu,
			       .zero = ctx->map == ENF_ZERO_RULE_SLOTS };
	__u64 iter = ctx->n;
	__u32 h;

	ctx->done = 0;
	if (ctx->map == ENF_ZERO_RULE_SLOTS || ctx->map == ENF_SUM_RULE_SLOTS) {
		iter *= w.ncpu;
		if (!w.ncpu || iter > ENF_ZERO_MAX_ITER)
			return 0;
		bpf_loop((__u32)iter, zero_slot_cb, &w, 0);
		/* Bound: ENF_HOOK_MAX hooks. */
		for (h = 0; h < ENF_HOOK_MAX; h++) {
			__u32 key = ENF_CNT_CACHE_FOLDED + h;
			__u64 *c;

			ctx->lead[h] = w.lead[h];
			ctx->more[h] = w.more[h];
			/* what is zeroed stays counted: no hook writes this key */
			if (w.zero && w.lead[h] && (c = bpf_map_lookup_elem(&counters, &key)))
				*c += w.lead[h];
		}
	}
	ctx->done = w.done;
	return 0;
}
