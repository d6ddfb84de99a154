/* SPDX-License-Identifier: GPL-2.0 */
/*
 * audit.bpf.h - verdicts and their audit records: judge() accounts one
 * policy's verdict and emits the record of a denial (or an audit-mode
 * "would deny") into the events ring buffer; fail_closed() and
 * deny_tamper() deny without a rule.  A full ring buffer counts the loss
 * (ENF_CNT_RB_DROPS) and never blocks the hook.
 */
#ifndef ENF_AUDIT_BPF_H
#define ENF_AUDIT_BPF_H

#include "govern.bpf.h"

/* What the event needs besides the common fields. */
struct verdict_ctx {
	__u32 policy_id;
	__u32 rule_id;
	__u8 hook;
	__u8 action;
	__u8 access;
	__u8 proto;
	__u8 family;
	__u8 flags;
	__u16 port;
	__u8 addr[16];
	__u32 op;
	__u8 cap;               /* ENF_HOOK_CAPABLE */
	__u16 sysno;            /* ENF_HOOK_CAPABLE */
	__u8 cond;              /* ENF_COND_* that decided */
	__u8 right;             /* ENF_RIGHT_* a rule denied on its own */
	__u8 sock_raw;          /* connect: a raw socket (matches `raw` rules) */
};

/*
 * One record into the events ring buffer (audit.bpf.c).  A global function:
 * the verifier checks it once per program, not at every place a hook may
 * deny (judge, fail_closed, deny_tamper inlined many times over: with emit
 * inlined at each, enf_file_open reached 98% of the 1M-instruction limit).
 * path_len > 0 with_scratch: this CPU's scratch key.path holds the path.
 */
__noinline int enf_emit(__u64 generation, const struct verdict_ctx *v, long path_len,
			__u32 with_scratch);

/* Deny storms (audit.bpf.c): 1 when this record is a repeat beyond its
 * key's burst, counted and not written; only with --storm-window. */
__noinline int enf_storm_check(__u64 generation, const struct verdict_ctx *v);

static __always_inline void emit(const struct enf_config *cfg, const struct verdict_ctx *v,
				 struct scratch *s, long path_len)
{
	if (enf_storm_check(cfg->generation, v))
		return;
	enf_emit(cfg->generation, v, path_len, s != NULL);
}

/*
 * Count one policy's verdict: its per-hook statistics and the deciding
 * rule's hits (audit.bpf.c; global: checked once per program).  action:
 * 0 allowed, ENF_ACTION_DENY, ENF_ACTION_AUDIT; gen_bit: the half whose
 * policy entry gives the rule's slot.
 */
__noinline int enf_account(__u32 policy_id, __u32 hook, __u32 rule_id, __u32 action, __u32 gen_bit);

/* Account one policy's verdict; returns -EPERM when it must be denied. */
static __always_inline int judge(const struct enf_config *cfg, const struct enf_policy *pol,
				 struct verdict_ctx *v, int denied, struct scratch *s, long path_len)
{
	__u8 action = !denied ? 0 : pol->mode == ENF_MODE_AUDIT ? ENF_ACTION_AUDIT : ENF_ACTION_DENY;

	enf_account(v->policy_id, v->hook, v->rule_id, action, cfg->gen_bit);
	if (!action)
		return 0;
	v->action = action;
	emit(cfg, v, s, path_len);   /* one call site: keeps the verifier's work small */
	return action == ENF_ACTION_DENY ? -EPERM : 0;
}

/* Deny because a bound ran out or a read failed for a governed task
 * (audit.bpf.c: global, so no hook carries its record on its stack). */
__noinline int enf_fail_closed(__u64 generation, __u32 hook, __u32 access, __u32 op);

static __always_inline int fail_closed(const struct enf_config *cfg, __u8 hook, __u8 access, __u8 op)
{
	enf_fail_closed(cfg->generation, hook, access, op);
	return -EPERM;
}

/* Deny a confined task's attempt on enforcer itself (rule "self"). */
static __always_inline int deny_tamper(const struct enf_config *cfg, const struct enf_cg_cache *gov,
				       __u8 access, __u8 op)
{
	struct verdict_ctx v = {
		.policy_id = gov->n == ENF_CACHE_OVERFLOW ? ENF_MAX_POLICIES : gov->ids[0],
		.rule_id = ENF_RULE_SELF, .hook = ENF_HOOK_FILE, .action = ENF_ACTION_DENY,
		.access = access, .op = op,
	};

	if (op == ENF_OP_TAMPER)
		count(ENF_CNT_TAMPER);
	emit(cfg, &v, NULL, 0);
	return -EPERM;
}

/* rule_slots' index of the hits of rule (ENF_RULE_DEFAULT: the section
 * default of hook) of policy pol, ~0 when the policy has no slot for it
 * (enf_account then counts it in the rule_hits hash). */
static __always_inline __u32 rule_slot_at(const struct enf_policy *pol, __u32 hook, __u32 rule)
{
	__u32 at;

	if (!pol)
		return ~0u;
	if (rule == ENF_RULE_DEFAULT)
		at = hook;
	else if (rule < pol->hits_n)     /* hits_n < ENF_RULE_SLOTS: no wrap */
		at = ENF_HOOK_MAX + rule;
	else
		return ~0u;
	if (at >= pol->hits_n)
		return ~0u;
	return at + pol->hits_base;
}

/* A fill's record of the policies accounted (bit i of amask: the set's
 * i-th policy allowed by rules[i], at rule_slots index slots[i]), packed. */
static __always_inline void acct_pack(struct enf_acct *a, const struct enf_cg_cache *set, __u32 amask,
				      const __u32 *rules, const __u32 *slots)
{
	__u32 i, k = 0;

	/* Bound: ENF_MAX_STACK governing policies. */
	for (i = 0; i < ENF_MAX_STACK; i++) {
		if (!((amask >> i) & 1))
			continue;
		a->ids[k & (ENF_MAX_STACK - 1)] = set->ids[i];
		a->rules[k & (ENF_MAX_STACK - 1)] = rules[i];
		a->slots[k & (ENF_MAX_STACK - 1)] = slots[i];
		k++;
	}
	a->nacc = k;
}

/*
 * A cache's allow (the verdict cache's, the connect cache's hit), counted
 * as the decision it stores was: the cache's hit (hit_cnt), and for each
 * policy that decision accounted a check of hook and an allow of its rule.
 * One per-CPU add per accounted policy, in the rule's slot (struct
 * enf_slot_hits): `lead` for the first (it stands for the cache's hit and
 * the check too), `more` for the others; enforcerd sums them into the
 * counters it reports (cache_acct.c).  A rule beyond its policy's slots
 * goes through enf_account; when no slot took the lead, hit_cnt is
 * counted on its own.  The entry may be refilled while this reads it:
 * counts only, never a verdict.
 */
static __always_inline void cache_hit_account(const struct enf_acct *a, __u32 hook, __u32 hit_cnt,
					      __u32 gen_bit)
{
	__u32 n, lead = 1, k;

	/* one policy whose rule has a slot (the common case): the entry's own
	 * word is the key, no loop.  A word of ~0 (no slot: enf_account; or a
	 * fill racing) is beyond the array: the lookup fails and the loop
	 * below handles it as before (the count read again there: nothing
	 * kept across the lookup on the common way) */
	if (__builtin_expect(a->nacc == 1, 1)) {
		struct enf_slot_hits *h = bpf_map_lookup_elem(&rule_slots, (void *)&a->slots[0]);

		if (h) {
			h->lead++;
			return;
		}
	}
	n = *(volatile __u32 *)&a->nacc;
	/* Bound: ENF_MAX_STACK governing policies. */
	for (k = 0; k < ENF_MAX_STACK && k < n; k++) {
		struct enf_slot_hits *h;
		__u32 sl = a->slots[k];

		if (sl == ~0u) {
			enf_account(a->ids[k], hook, a->rules[k], 0, gen_bit);
			continue;
		}
		h = bpf_map_lookup_elem(&rule_slots, &sl);
		if (!h)
			continue;
		if (lead)
			h->lead++;
		else
			h->more++;
		lead = 0;
	}
	if (lead)
		count(hit_cnt);
}

#endif /* ENF_AUDIT_BPF_H */
