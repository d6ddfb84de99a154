// SPDX-License-Identifier: GPL-2.0-only
/*
 * cache_acct.c - the allows a cache answered (verdict cache, connect cache),
 * as the counters enforcerd reports them.  A hit counts one per-CPU add in
 * the rule slot of each policy it accounts (struct enf_slot_hits: `lead`
 * for the first, `more` for the others; cache_hit_account in
 * bpf-lsm/audit.bpf.h): each is a check of the policy's hook and an allow
 * of the rule, and a `lead` is the cache's hit.  Here those are summed by
 * the slot's hook (enf_slot_hook, which this file writes when a policy
 * range is assigned) and by the policy that owns the slot, and added to
 * the policy's checks (policy_stat) and the cache's hit counter
 * (audit_counter).  Before slots are zeroed or given to another policy,
 * their counts are folded: into folded[] for the policy's checks, into
 * counters[ENF_CNT_CACHE_FOLDED + hook] (by enf_zero) for the caches' hits.
 */
#include <errno.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "daemon.h"
#include "enforcer.skel.h"

_Static_assert(sizeof(struct enf_slot_hits) == 5 * sizeof(uint64_t), "enf_slot_hits is five u64 counters");

/* Owner of each slot whose counts go to a policy's checks: id + 1, 0 for
 * none (a slot of another enforcerd's, or of a policy whose stats were
 * reset: its counts still go to the caches' hits). */
static uint16_t slot_owner[ENF_RULE_SLOTS];
/* checks folded out of zeroed slots, per policy id and hook */
static uint64_t folded[ENF_MAX_POLICIES][ENF_HOOK_MAX];

struct sums {
	uint64_t lead[ENF_HOOK_MAX], more[ENF_HOOK_MAX];
};

/* Slots [first, first + n) summed by hook (zero: then zeroed, their hooks
 * cleared, their lead kept in counters[ENF_CNT_CACHE_FOLDED + hook]); in
 * the kernel (enf_zero), else slot by slot from here.  0 or -errno. */
static int slots_sum(uint32_t first, uint32_t n, bool zero, struct sums *out)
{
	int ncpu = libbpf_num_possible_cpus();
	struct enf_zero_ctx c = { .map = zero ? ENF_ZERO_RULE_SLOTS : ENF_SUM_RULE_SLOTS, .first = first,
				  .n = n, .ncpu = ncpu > 0 ? ncpu : 0 };
	LIBBPF_OPTS(bpf_test_run_opts, o, .ctx_in = &c, .ctx_size_in = sizeof(c));
	volatile uint8_t *hook = D.skel->bss->enf_slot_hook;
	int fd = bpf_map__fd(D.skel->maps.rule_slots);

	memset(out, 0, sizeof(*out));
	if (!n)
		return 0;
	if (ncpu <= 0 || first >= ENF_RULE_SLOTS || n > ENF_RULE_SLOTS - first)
		return -EINVAL;
	if ((uint64_t)n * ncpu <= ENF_ZERO_MAX_ITER &&
	    bpf_prog_test_run_opts(bpf_program__fd(D.skel->progs.enf_zero), &o) == 0 &&
	    (uint64_t)c.done == (uint64_t)n * ncpu) {
		memcpy(out->lead, c.lead, sizeof(out->lead));
		memcpy(out->more, c.more, sizeof(out->more));
		return 0;
	}
	/* the fallback: what enf_zero does, one slot at a time */
	{
		struct enf_slot_hits v[ncpu];

		for (uint32_t s = first; s < first + n; s++) {
			uint32_t hk = hook[s];

			if (!hk || hk > ENF_HOOK_MAX)
				continue;
			if (bpf_map_lookup_elem(fd, &s, v) < 0)
				return -errno;
			for (int cpu = 0; cpu < ncpu; cpu++) {
				out->lead[hk - 1] += v[cpu].lead;
				out->more[hk - 1] += v[cpu].more;
			}
			if (!zero)
				continue;
			memset(v, 0, sizeof(v));
			if (bpf_map_update_elem(fd, &s, v, BPF_ANY) < 0)
				return -errno;
			hook[s] = 0;
		}
		for (uint32_t h = 0; zero && h < ENF_HOOK_MAX; h++) {
			uint32_t key = ENF_CNT_CACHE_FOLDED + h;
			uint64_t cv[ncpu];

			if (!out->lead[h] || bpf_map_lookup_elem(bpf_map__fd(D.skel->maps.counters), &key, cv) < 0)
				continue;
			cv[0] += out->lead[h];
			bpf_map_update_elem(bpf_map__fd(D.skel->maps.counters), &key, cv, BPF_ANY);
		}
	}
	return 0;
}

/* Each run of slots [s, e) with a hook, one owner (owner != 0: only that
 * owner's, live[] set: skipped), summed (or folded) into *acc. */
static int runs(uint16_t owner, const uint8_t *live, bool zero, struct sums *acc)
{
	volatile uint8_t *hook = D.skel->bss->enf_slot_hook;
	int ret = 0;

	memset(acc, 0, sizeof(*acc));
	for (uint32_t s = 0; s < ENF_RULE_SLOTS;) {
		uint32_t e = s + 1;
		struct sums one;
		int r;

		if (!hook[s] || (owner && slot_owner[s] != owner) || (live && live[s])) {
			s++;
			continue;
		}
		while (e < ENF_RULE_SLOTS && hook[e] && slot_owner[e] == slot_owner[s] &&
		       !(live && live[e]))
			e++;
		r = slots_sum(s, e - s, zero, &one);
		if (r < 0) {
			ret = r;
		} else {
			for (int h = 0; h < ENF_HOOK_MAX; h++) {
				acc->lead[h] += one.lead[h];
				acc->more[h] += one.more[h];
				if (zero && slot_owner[s])
					folded[slot_owner[s] - 1][h] += one.lead[h] + one.more[h];
			}
			if (zero)
				memset(&slot_owner[s], 0, (e - s) * sizeof(slot_owner[0]));
		}
		s = e;
	}
	return ret;
}

uint64_t cache_acct_hits(uint32_t hook)
{
	struct sums acc;
	uint64_t v = audit_counter_raw(ENF_CNT_CACHE_FOLDED + hook);

	if (hook >= ENF_HOOK_MAX)
		return 0;
	runs(0, NULL, false, &acc);
	return v + acc.lead[hook];
}

uint64_t cache_acct_checks(uint32_t id, uint32_t hook)
{
	struct sums acc;

	if (id >= ENF_MAX_POLICIES || hook >= ENF_HOOK_MAX)
		return 0;
	runs(id + 1, NULL, false, &acc);
	return folded[id][hook] + acc.lead[hook] + acc.more[hook];
}

void cache_acct_forget(uint32_t id)
{
	if (id >= ENF_MAX_POLICIES)
		return;
	memset(folded[id], 0, sizeof(folded[id]));
	for (uint32_t s = 0; s < ENF_RULE_SLOTS; s++)
		if (slot_owner[s] == id + 1)
			slot_owner[s] = 0;
}

int cache_acct_retire(const uint8_t *live)
{
	struct sums acc;

	return runs(0, live, true, &acc);
}

void cache_acct_track(uint32_t id, uint32_t base, uint32_t n, const struct enf_policy_src *p)
{
	volatile uint8_t *hook = D.skel->bss->enf_slot_hook;

	if (id >= ENF_MAX_POLICIES || base >= ENF_RULE_SLOTS || n > ENF_RULE_SLOTS - base)
		return;
	/* rule_slot_at (bpf-lsm/audit.bpf.h): a section default at its hook,
	 * rule id r at ENF_HOOK_MAX + r */
	for (uint32_t at = 0; at < n && at < ENF_HOOK_MAX; at++)
		hook[base + at] = at + 1;
	for (size_t r = 0; r < p->nrules; r++) {
		uint32_t at = ENF_HOOK_MAX + p->rules[r].id;

		if (p->rules[r].id < n && at < n && p->rules[r].hook < ENF_HOOK_MAX)
			hook[base + at] = p->rules[r].hook + 1;
	}
	for (uint32_t at = 0; at < n; at++)
		slot_owner[base + at] = id + 1;
}
