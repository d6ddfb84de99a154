// SPDX-License-Identifier: GPL-2.0-only
/*
 * rule_slots.c - where each policy of a new generation counts its rules'
 * hits: a range of the per-CPU array rule_slots (enf_policy.hits_base,
 * hits_n; enf_account in bpf-lsm/audit.bpf.c).  A policy whose rules the
 * reload keeps keeps its range, and so its counts; any other gets a range
 * used by no policy of the live half (whose programs may still be
 * counting), zeroed before its own half goes live.  When the slots run out
 * a policy gets what is left (rule ids beyond it are counted in the
 * rule_hits hash); rule_hits_get() reads either.  Slots that stop counting
 * have their caches' allows folded first (cache_acct.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "daemon.h"
#include "enforcer.skel.h"

struct range {
	uint32_t base, n;
};

/* The first free gap of at least want slots in used (sorted by base),
 * else the largest one (cut to want). */
static struct range free_gap(const struct range *used, size_t nused, uint32_t want)
{
	struct range best = { 0, 0 };
	uint32_t at = 0;

	for (size_t i = 0; i <= nused; i++) {
		uint32_t end = i < nused ? used[i].base : ENF_RULE_SLOTS;

		if (end > at && end - at > best.n) {
			best.base = at;
			best.n = end - at;
			if (best.n >= want)
				break;
		}
		if (i < nused && used[i].base + used[i].n > at)
			at = used[i].base + used[i].n;
	}
	if (best.n > want)
		best.n = want;
	return best;
}

/* Insert r into used, keeping it sorted by base. */
static void use(struct range *used, size_t *nused, struct range r)
{
	size_t i = *nused;

	while (i > 0 && used[i - 1].base > r.base) {
		used[i] = used[i - 1];
		i--;
	}
	used[i] = r;
	(*nused)++;
}

static const struct enf_policy_set *sort_set;

static int by_rules(const void *a, const void *b)
{
	size_t x = sort_set->pol[*(const size_t *)a].nrules, y = sort_set->pol[*(const size_t *)b].nrules;

	return x < y ? -1 : x > y;
}

/* Zero slots [base, base + n) on every CPU. */
static int zero_range(int fd, uint32_t base, uint32_t n)
{
	int ncpu = libbpf_num_possible_cpus();
	uint32_t *keys;
	void *zeros;
	uint32_t count = n;
	int ret = 0;

	if (!n || map_zero(ENF_ZERO_RULE_SLOTS, base, n) == 0)
		return 0;    /* the kernel's loop zeroed them: the batch below is the fallback */
	if (ncpu <= 0)
		return -EINVAL;
	keys = malloc(n * sizeof(*keys));
	zeros = calloc((size_t)n * ncpu, sizeof(struct enf_slot_hits));
	if (!keys || !zeros) {
		ret = -ENOMEM;
		goto out;
	}
	for (uint32_t i = 0; i < n; i++)
		keys[i] = base + i;
	if (bpf_map_update_batch(fd, keys, zeros, &count, NULL) < 0) {
		/* no batch operations: one slot at a time */
		for (uint32_t i = 0; i < n && !ret; i++)
			if (bpf_map_update_elem(fd, &keys[i], zeros, BPF_ANY) < 0)
				ret = -errno;
	}
out:
	free(keys);
	free(zeros);
	return ret;
}

int rule_slots_assign(uint32_t live_bit, const uint8_t *live_ids, const struct enf_policy_set *set,
		      const struct enf_compiled *c, const bool *kept, uint32_t *base, uint32_t *n)
{
	int pol_fd = bpf_map__fd(D.skel->maps.policies);
	int slots_fd = bpf_map__fd(D.skel->maps.rule_slots);
	static struct range used[2 * ENF_MAX_POLICIES];
	static struct range live[ENF_MAX_POLICIES];
	static size_t order[ENF_MAX_POLICIES];
	static uint8_t live_slot[ENF_RULE_SLOTS];
	size_t nused = 0, nnew = 0;
	int ret;

	memset(live, 0, sizeof(live));
	memset(live_slot, 0, sizeof(live_slot));
	for (uint32_t id = 0; id < ENF_MAX_POLICIES; id++) {
		uint32_t idx = live_bit * ENF_MAX_POLICIES + id;
		struct enf_policy p;

		if (!live_ids[id] || bpf_map_lookup_elem(pol_fd, &idx, &p) < 0 || !p.used || !p.hits_n ||
		    p.hits_base >= ENF_RULE_SLOTS || p.hits_n > ENF_RULE_SLOTS - p.hits_base)
			continue;
		live[id].base = p.hits_base;
		live[id].n = p.hits_n;
		use(used, &nused, live[id]);
		memset(&live_slot[p.hits_base], 1, p.hits_n);
	}
	/* the inactive half's slots no live policy shares stopped counting a
	 * grace period ago: their caches' allows are folded, they are zeroed */
	ret = cache_acct_retire(live_slot);
	if (ret < 0)
		return ret;
	for (size_t i = 0; i < c->npols; i++) {
		base[i] = 0;
		n[i] = 0;
		if (kept[i] && live[c->ids[i]].n) {
			base[i] = live[c->ids[i]].base;
			n[i] = live[c->ids[i]].n;
		} else {
			order[nnew++] = i;
		}
	}
	/* smallest first: a huge policy does not starve the small ones */
	sort_set = set;
	qsort(order, nnew, sizeof(order[0]), by_rules);
	for (size_t k = 0; k < nnew; k++) {
		size_t i = order[k];
		size_t want = set->pol[i].nrules + ENF_HOOK_MAX;
		struct range r = free_gap(used, nused, want > ENF_RULE_SLOTS ? ENF_RULE_SLOTS : (uint32_t)want);

		if (!r.n)
			continue;       /* none left: its hits go to the hash */
		ret = zero_range(slots_fd, r.base, r.n);
		if (ret < 0)
			return ret;
		base[i] = r.base;
		n[i] = r.n;
		use(used, &nused, r);
	}
	for (size_t i = 0; i < c->npols; i++)
		cache_acct_track(c->ids[i], base[i], n[i], &set->pol[i]);
	return 0;
}
