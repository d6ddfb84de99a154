// SPDX-License-Identifier: GPL-2.0-only
/*
 * counters.c - the kernel's per-CPU counters as user space reads them: one
 * sum over CPUs (percpu_sum) behind the global counters (enum enf_counter)
 * and the per-policy, per-hook statistics (struct enf_pstat), and their
 * reset when a policy id is given to another policy.  A cache's allows,
 * counted in rule slots, are added in (cache_acct.c).
 */
#include <errno.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "daemon.h"
#include "enforcer.skel.h"

_Static_assert(sizeof(struct enf_pstat) == 3 * sizeof(uint64_t), "enf_pstat is three u64 counters");

/* out[0..n) = the value of key (n u64 fields) summed over every CPU; zeros
 * when it cannot be read.  0 or -errno. */
static int percpu_sum_key(int fd, const void *key, uint64_t *out, size_t n)
{
	int ncpu = libbpf_num_possible_cpus();
	uint64_t vals[(ncpu > 0 ? ncpu : 1) * n];

	memset(out, 0, n * sizeof(*out));
	if (ncpu <= 0)
		return ncpu < 0 ? ncpu : -EINVAL;
	if (bpf_map_lookup_elem(fd, key, vals) < 0)
		return -errno;
	for (int c = 0; c < ncpu; c++)
		for (size_t f = 0; f < n; f++)
			out[f] += vals[c * n + f];
	return 0;
}

static int percpu_sum(int fd, uint32_t key, uint64_t *out, size_t n)
{
	return percpu_sum_key(fd, &key, out, n);
}

uint64_t audit_counter_raw(uint32_t idx)
{
	uint64_t v;

	percpu_sum(bpf_map__fd(D.skel->maps.counters), idx, &v, 1);
	return v;
}

/* A cache's hits: those counted here and the `lead` of its hits in rule
 * slots (cache_acct.c). */
uint64_t audit_counter(uint32_t idx)
{
	uint64_t v = audit_counter_raw(idx);

	if (idx == ENF_CNT_VCACHE_HIT)
		v += cache_acct_hits(ENF_HOOK_FILE);
	else if (idx == ENF_CNT_XCACHE_HIT)
		v += cache_acct_hits(ENF_HOOK_EXEC);
	else if (idx == ENF_CNT_NCACHE_HIT)
		v += cache_acct_hits(ENF_HOOK_CONNECT);
	return v;
}

/* checks: those counted in pstats and a cache's allows (cache_acct.c). */
void policy_stat(uint32_t id, uint32_t hook, struct enf_pstat *out)
{
	uint64_t v[3];

	percpu_sum(bpf_map__fd(D.skel->maps.pstats), id * ENF_HOOK_MAX + hook, v, 3);
	out->checks = v[0] + cache_acct_checks(id, hook);
	out->denials = v[1];
	out->audits = v[2];
}

void policy_stat_reset(uint32_t id)
{
	cache_acct_forget(id);
	int ncpu = libbpf_num_possible_cpus();
	struct enf_pstat zero[ncpu > 0 ? ncpu : 1];

	memset(zero, 0, sizeof(zero));
	for (uint32_t h = 0; h < ENF_HOOK_MAX; h++) {
		uint32_t idx = id * ENF_HOOK_MAX + h;

		if (bpf_map_update_elem(bpf_map__fd(D.skel->maps.pstats), &idx, zero, BPF_ANY) < 0)
			D.map_update_failures++;   /* the slot's old counts stay visible */
	}
}

_Static_assert(sizeof(struct enf_hits) == 3 * sizeof(uint64_t), "enf_hits is three u64 counters");

/* As enf_account (bpf-lsm/audit.bpf.c) counts: the policy's slot in
 * rule_slots in the live half, else the rule_hits hash. */
void rule_hits_get(uint32_t policy_id, uint32_t hook, uint32_t rule_id, struct enf_hits *out)
{
	struct enf_hit_key k = { .policy_id = policy_id, .rule_id = rule_id, .hook = hook };
	uint32_t idx = (uint32_t)(D.generation & 1) * ENF_MAX_POLICIES + policy_id, at = UINT32_MAX;
	struct enf_policy p = {};
	uint64_t v[3];

	if (policy_id < ENF_MAX_POLICIES && bpf_map_lookup_elem(bpf_map__fd(D.skel->maps.policies), &idx, &p) == 0) {
		if (rule_id == ENF_RULE_DEFAULT)
			at = hook;
		else if (rule_id < p.hits_n)
			at = ENF_HOOK_MAX + rule_id;
	}
	if (at < p.hits_n && p.hits_base + at < ENF_RULE_SLOTS) {
		uint64_t s[5];   /* struct enf_slot_hits: a cache's allows (lead, more) too */

		percpu_sum(bpf_map__fd(D.skel->maps.rule_slots), p.hits_base + at, s, 5);
		v[0] = s[0] + s[3] + s[4];
		v[1] = s[1];
		v[2] = s[2];
	} else {
		percpu_sum_key(bpf_map__fd(D.skel->maps.rule_hits), &k, v, 3);
	}
	out->allowed = v[0];
	out->denied = v[1];
	out->audited = v[2];
}

void rule_hits_reset(uint32_t policy_id)
{
	int fd = bpf_map__fd(D.skel->maps.rule_hits);
	struct enf_hit_key k, next, gone[256];
	void *prev = NULL;
	size_t n;

	/* Collect a batch, delete it, start over: deleting the key that
	 * get_next_key stands on would restart the walk anyway.  Bounded by
	 * ENF_RULE_HITS_MAX entries. */
	do {
		n = 0;
		prev = NULL;
		while (n < sizeof(gone) / sizeof(gone[0]) && bpf_map_get_next_key(fd, prev, &next) == 0) {
			if (next.policy_id == policy_id)
				gone[n++] = next;
			k = next;
			prev = &k;
		}
		for (size_t i = 0; i < n; i++)
			bpf_map_delete_elem(fd, &gone[i]);
	} while (n == sizeof(gone) / sizeof(gone[0]));
}
