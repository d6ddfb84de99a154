/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ncache.bpf.h - the connect cache (issue 16): an allowed connect() of a
 * governed task answers the next connect of a task of the same cgroup to
 * the same destination without the governing set, the LPM lookups and the
 * judge.
 *
 * The key is the whole input of the decision: the task's cgroup id (with
 * the generation and the epoch it fixes the governing policies: a live
 * `bind` bumps enf_vcache_epoch after dropping the cgroups' cg_cache
 * entries; a cgroup id is never reused), the destination as dest_parse
 * gives it to the judge (family, address with v4-mapped IPv6 as IPv4,
 * port; the loopback aliases of 0.0.0.0, :: and ::1 follow from it), the
 * socket's protocol (MPTCP as TCP) and whether it is a raw socket.  An
 * entry holds that key, the generation and the epoch read before the
 * decision; a lookup hits only when all of them equal the current ones.
 *
 * Only a clean allow is stored: every governing policy active on connect
 * allowed in enforce mode or allowed in audit mode (no audit-mode "would
 * deny": it writes a line each time), and none has an `exe` condition on
 * connect (prog_hooks: the program is not in the key).  Denials,
 * fail-closed results, an overflowing stack, a task moved between cgroups
 * while its set was collected (governing(): nc.ok cleared) are never
 * stored.  Connects only (op connect on socket_connect): sendto/sendmsg
 * and SCTP's lists are judged every time.
 *
 * The table is a direct-mapped array (slot: a hash of the key): a fill
 * overwrites its slot in place, whatever key it held, under the slot's
 * spin lock, with the sequence word odd while it writes; a lookup reads
 * the word (even), compares the stored key, generation and epoch, and
 * reads the word again (unchanged): a slot another key's fill is
 * rewriting, or one that holds another key, never passes (x86-64 keeps
 * loads in order and stores in order: the compiler barriers suffice).
 * Array slots are never freed, so nothing else ever reuses their memory.
 * A hit still counts each policy's check and the rule that allowed, as
 * the judge would have (the rule_slots indices the fill computed;
 * enf_account beyond a policy's slots).  An allowed connect writes no
 * audit line, cached or not.  --no-verdict-cache turns it off.
 */
#ifndef ENF_NCACHE_BPF_H
#define ENF_NCACHE_BPF_H

#include "audit.bpf.h"

#ifndef barrier
#define barrier() asm volatile("" ::: "memory")
#endif

/* The slot of key words w: the top bits of a multiplicative hash. */
static __always_inline __u32 nc_slot(const __u64 *w)
{
	__u64 h = w[0] * 0x9E3779B97F4A7C15ULL;

	h = (h ^ w[1]) * 0xC2B2AE3D27D4EB4FULL;
	h = (h ^ w[2]) * 0x165667B19E3779F9ULL;
	h = (h ^ w[3]) * 0x9E3779B97F4A7C15ULL;
	return (__u32)(h >> 52) & (ENF_NCACHE_SLOTS - 1);
}

/*
 * Right after gov_prefix (the task may be governed): 1 when the slot of
 * key k holds k's allow of this generation and epoch (counted, accounted:
 * allow), else 0.
 */
static __always_inline int nc_lookup(const struct gov *g, const struct ncache_key *k, __u64 epoch)
{
	const __u64 *w = (const __u64 *)k;
	struct ncache_val *v;
	__u32 slot = nc_slot(w), s1;
	__u64 diff;

	v = bpf_map_lookup_elem(&ncache, &slot);
	if (!v)
		return 0;
	s1 = *(volatile __u32 *)&v->seq;
	barrier();
	diff = (s1 & 1) | (v->generation ^ g->cfg.generation) | (v->epoch ^ epoch) |
	       (v->w[0] ^ w[0]) | (v->w[1] ^ w[1]) | (v->w[2] ^ w[2]) | (v->w[3] ^ w[3]);
	if (diff)
		return 0;
	barrier();
	if (*(volatile __u32 *)&v->seq != s1)
		return 0;
	/* the hit, and the check and rule hit of each policy the judge would
	 * have counted (a fill racing from now on may make these another
	 * key's: counters only, never the verdict) */
	cache_hit_account(&v->acct, ENF_HOOK_CONNECT, ENF_CNT_NCACHE_HIT, g->cfg.gen_bit);
	return 1;
}

/* After judge_ip's policy slot i allowed: accounted with the rule
 * enf_ip_judge left in the scratch; not cacheable unless that was a clean
 * allow. */
static __always_inline void nc_note(struct scratch *s, int i)
{
	struct nc_scratch *c = &s->nc;

	if (!c->clean)
		c->ok = 0;
	c->amask |= 1u << (i & (ENF_MAX_STACK - 1));
	c->rules[i & (ENF_MAX_STACK - 1)] = c->rule;
}

/* After an allow by every policy: store it under key k when it was
 * cacheable (g->s->nc.ok). */
static __always_inline void nc_fill(struct gov *g, const struct ncache_key *k)
{
	const __u64 *w = (const __u64 *)k;
	struct nc_scratch *c;
	struct ncache_val *v;
	__u32 slot, i;

	if (!g->s)
		return;
	c = &g->s->nc;
	if (!c->ok)
		return;
	c->ok = 0;
	if ((g->set->n - 1) >= ENF_MAX_STACK)
		return;
	/* Bound: ENF_MAX_STACK governing policies. */
	for (i = 0; i < ENF_MAX_STACK; i++)
		c->slots[i] = ((c->amask >> i) & 1) ?
			rule_slot_at(policy_get(&g->cfg, g->set->ids[i]), ENF_HOOK_CONNECT, c->rules[i]) : ~0u;
	slot = nc_slot(w);
	v = bpf_map_lookup_elem(&ncache, &slot);
	if (!v)
		return;
	bpf_spin_lock(&v->lock);
	*(volatile __u32 *)&v->seq = v->seq + 1;    /* odd: being written */
	barrier();
	v->generation = g->cfg.generation;
	v->epoch = c->epoch;
	v->w[0] = w[0];
	v->w[1] = w[1];
	v->w[2] = w[2];
	v->w[3] = w[3];
	acct_pack(&v->acct, g->set, c->amask, c->rules, c->slots);
	barrier();
	*(volatile __u32 *)&v->seq = v->seq + 1;    /* even again */
	bpf_spin_unlock(&v->lock);
	count(ENF_CNT_NCACHE_FILL);
}

#endif /* ENF_NCACHE_BPF_H */
