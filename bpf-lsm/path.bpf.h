/* SPDX-License-Identifier: GPL-2.0 */
/*
 * path.bpf.h - judging a file for exec and file rules: by its path (LPM
 * trie path_rules, the most specific rule) and by inode identity walking
 * up its dentries (inode_rules: hard links, bind mounts, chroot, detached
 * mounts), plus the protection of enforcer's own files.
 *
 * enf_walk() is one global function (file.bpf.c): the verifier checks it
 * once, not at every call site.  It writes what it found into a
 * struct rule_match and returns an enum match_state.
 */
#ifndef ENF_PATH_BPF_H
#define ENF_PATH_BPF_H

#include "vcache.bpf.h"

/* What a rule lookup (enf_walk, enf_net_lookup) found. */
enum match_state {
	MATCH_NONE = 0,         /* no rule applies */
	MATCH_RULE,             /* struct rule_match holds the rule */
	MATCH_BOUND,            /* a bound ran out before an answer: fail closed */
};

struct rule_match {
	__u32 rule_id;
	__u8 verdict;           /* enum enf_verdict */
	__u8 cond;              /* ENF_COND_* of the rule */
	__u8 rights;            /* ENF_RIGHT_* it denies beyond its verdict */
	__u8 plen;              /* its path's specificity (enf_path_val.plen); 255: an
				 * ancestor of a protected rule */
};

/* rule_match.rights: the rule is a pattern (never a right of its own) */
#define RM_PATTERN 0x80

/* Every right a rule denies, its verdict's included. */
static __always_inline __u8 denied_rights(__u8 verdict, __u8 rights)
{
	rights &= ENF_RIGHTS_ALL;
	if (verdict == ENF_DENY)
		return ENF_RIGHTS_ALL;
	if (verdict == ENF_READONLY)
		return (ENF_RIGHTS_ALL & ~ENF_RIGHT_READ) | rights;
	return rights;
}

/*
 * Glob patterns anchored at the directory the walk reached at level lvl
 * above dentry d0 (pattern.bpf.c): ref is the anchor's enf_inode_val
 * pat | npat << 16.  1 with *m set (rights with RM_PATTERN; the rule it
 * overrides by path in the scratch's prog[PROG_COVER]; with self_any, a
 * directory that matches of a deny pattern may lie below is denied as an
 * ancestor), 0 when none matches, -1 when a bound ran out or a read failed.
 */
#define PROG_COVER    9     /* scratch.prog[PROG_COVER]: enf_pattern.cover of the last match */
/* ref's flags: self_any; patterns with a program condition never match
 * (ENF_WALK_NO_PROGS).  Its upper half: the walk's tag (policy, kind), for
 * the program's classes when a pattern has a condition (four arguments:
 * fewer values to keep on its stack; enf_rename's chain of calls is at the
 * 6.1 verifier's 512 bytes). */
#define PAT_SAME_DIR  (1u << 29)    /* a rename within one directory (ENF_PAT_NAME_ONLY) */
#define PAT_SELF_ANY  (1u << 30)
#define PAT_NO_PROGS  (1u << 31)
#define PAT_REF_TAG(ref, tag) ((__u64)(ref) | ((__u64)(tag) << 32))
__noinline int enf_pat_match(__u64 d0, __u32 lvl, __u64 ref, struct rule_match *m);

/*
 * Walk up from dentry d (passed as a number: global functions take
 * scalars) to the first rule met: a file rule on d itself, a directory
 * rule on d or above it, or, when self_any, d being the ancestor of a
 * protected rule (as a deny).  Returns an enum match_state.
 */
__noinline int enf_walk(__u64 d, __u32 tag, __u32 self_any, struct rule_match *m);
/* enf_walk's self_any flag: judge by the rules without a program condition
 * (patterns with `exe`/`parent` never match): mmap/mprotect PROT_EXEC, refer */
#define ENF_WALK_NO_PROGS (1u << 31)
/* ... and: the victim is renamed within its own directory (self_any set) */
#define ENF_WALK_SAME_DIR (1u << 30)
/* The same within ENF_MAX_WALK levels (MATCH_BOUND beyond): no bpf_loop
 * frame, for deep call chains. */
__noinline int enf_walk_near(__u64 d, __u32 tag, __u32 self_any, struct rule_match *m);

/*
 * Program conditions (prog.bpf.c): the most specific rule, with a program
 * condition the task meets, that applies at dentry d for the policy of
 * plain tag `tag` (by identity walking up; with PROG_BY_PATH also by the
 * path in the scratch key), if its path is at least as long as
 * PROG_MIN_PLEN (that of the rule without a condition that applies).
 * flags: the policy's prog_hooks bits (ENF_PROG_PARENT, ENF_PROG_DIRS) and
 * PROG_*.  Returns an enum match_state; m->cond carries ENF_COND_EXE or
 * ENF_COND_PARENT.  With PROG_OWNER, m->verdict is the verdict once the
 * rule's owner condition is judged for d (m->cond keeps the owner bit only
 * when it failed).  Kept out of line: enf_file_open is near the 6.1
 * verifier's budget.
 */
#define PROG_BY_PATH  0x100
#define PROG_SELF_ANY 0x200
#define PROG_OWNER    0x400
#define PROG_PLEN(n)  ((__u32)(n) << 16)
#define PROG_MIN_PLEN(f) (((f) >> 16) & 0xff)
#define PROG_HOOK(h)  ((__u32)(h) << 24)   /* the hook judged (its prog_hooks bit) */
#define PROG_HOOK_OF(f) (((f) >> 24) & 3)
#define PROG_OUT      6     /* scratch.prog[PROG_OUT]: check_path's result slot */
#define PROG_STATE    7     /* scratch.prog[PROG_STATE]: its enum match_state */
#define PROG_WALK     8     /* scratch.prog[PROG_WALK]: check_path's enf_walk result */
__noinline int enf_prog_rules(__u64 d, __u32 tag, __u32 flags, struct rule_match *m);
#define ENF_COND_PROGS (ENF_COND_EXE | ENF_COND_PARENT)

/* The dentry as enf_walk's scalar argument. */
static __always_inline __u64 dentry_arg(struct dentry *d)
{
	__u64 v = 0;

	bpf_probe_read_kernel(&v, sizeof(v), &d);
	return v;
}

/* More restrictive of two verdicts: deny > readonly > allow. */
static __always_inline __u8 stricter(__u8 a, __u8 b)
{
	if (a == ENF_DENY || b == ENF_DENY)
		return ENF_DENY;
	if (a == ENF_READONLY || b == ENF_READONLY)
		return ENF_READONLY;
	return ENF_ALLOW;
}

/*
 * A rule's verdict once its condition is judged for dentry d: a rule with
 * an owner condition applies as written only when the task's fsuid owns
 * d's inode (its current owner: a chown after the load counts); anyone
 * else is denied (ENF_COND_OWNER) or limited to reading
 * (ENF_COND_OWNER_WRITE).  Rules without a condition cost nothing here.
 * *owner caches the comparison (-1: not read yet).
 */
static __always_inline __u8 cond_verdict(__u8 verdict, __u8 cond, struct dentry *d, int *owner)
{
	if (!(cond & (ENF_COND_OWNER | ENF_COND_OWNER_WRITE)) || verdict == ENF_DENY)
		return verdict;
	if (*owner < 0) {
		struct task_struct *t = bpf_get_current_task_btf();

		*owner = BPF_CORE_READ(d, d_inode, i_uid.val) == BPF_CORE_READ(t, cred, fsuid.val);
	}
	if (*owner)
		return verdict;
	return cond & ENF_COND_OWNER ? ENF_DENY : ENF_READONLY;
}

/* self_protect's walk and denial (file.bpf.c; global: verified once). */
__noinline int enf_self_protect(const struct enf_config *cfg, __u32 policy_id, __u64 dent,
				__u32 self_any, __u32 op);

/*
 * enforcer's own files (policy directory, binaries, pins): a governed task
 * may not write, create, rename or unlink them, whatever its policies say
 * (audit mode included).  Judged by inode identity walking up from d.
 */
static __always_inline int self_protect(const struct gov *g, struct dentry *d, __u32 self_any,
					__u8 op)
{
	if (!confined(&g->cfg, g->set))
		return 0;
	/* a constant: an LSM program may not return a global function's result (6.12) */
	return enf_self_protect(&g->cfg, g->set->ids[0], dentry_arg(d), self_any, op) ? -EPERM : 0;
}

/* How check_path decides. */
enum check_how {
	CHECK_DEFAULT = 0,      /* rules, then the section's default */
	CHECK_EXPLICIT = 1,     /* only deny rules decide (mmap PROT_EXEC), never the default */
};

/* One policy's verdict on a file (enf_path_decide). */
struct path_decision {
	__u32 rule_id;
	__u8 cond;              /* the condition that decided (audit) */
	__u8 right;             /* a right the rule denied on its own (audit) */
	__u8 skip;              /* CHECK_EXPLICIT: no deny rule applies */
	__u8 weighed;           /* ENF_COND_* of the rules the decision weighed (the
				 * verdict cache stores none with an owner condition) */
};

/* enf_path_decide's arguments, packed (global functions take five). */
#define DECIDE_ARGS(how, access, need, deflt, progs, hook)                                   \
	((__u32)(how) | ((__u32)(access) << 1) | ((__u32)(deflt) << 4) | ((__u32)(need) << 8) |  \
	 ((__u32)(progs) << 16) | ((__u32)(hook) << 24))

/*
 * One policy's rules for the file at dentry d whose path is in the scratch
 * key (its tag: the policy's, of the hook's kind): the most specific rule by
 * path (LPM), the nearest by identity (check_path's enf_walk: its state in
 * args bits 26-27, its rule in the scratch; the stricter of the two),
 * the owner conditions, rules with a program condition the task meets
 * (when progs has the hook's bit: the search check_path's call of
 * enf_prog_rules left in the scratch), the rights a rule
 * denies on its own (need).  Returns 1 to deny, 0 to allow, -1 when a
 * bound ran out; *out names the rule.  One global function calling none:
 * the verifier checks it once, not in each policy's iteration of
 * check_path, and it adds no level to a call chain (file.bpf.c).
 */
__noinline int enf_path_decide(__u64 d, __u32 args, struct path_decision *out);

/*
 * Shared by exec, file and mmap: judge one file against every governing
 * policy, by its path (LPM, most specific rule) and by its inode (a rule's
 * file reached through a hard link or a bind mount).
 */
static __always_inline int check_path_gov(struct gov *gp, const struct path *path, __u8 hook, __u8 kind,
					  __u8 access, __u8 need, __u8 op, enum check_how how,
					  struct file *vcf)
{
#define g (*gp)
	__u64 dent = 0;
	long len = 0;
	int i;

	/* vcf: the hook's verdict cache lookup missed on a cacheable file
	 * (vc_lookup returned 0); fill it after an allow, as the kind the hook
	 * and how make it: an open, an exec, a PROT_EXEC mapping */
	const __u32 vkind = hook == ENF_HOOK_FILE ? VC_OPEN : how == CHECK_EXPLICIT ? VC_MMAP : VC_EXEC;
	switch (gov_rest(&g)) {
	case GOV_NONE:
		return 0;
	case GOV_OVERFLOW:
		return fail_closed(&g.cfg, hook, access, op);
	case GOV_POLICIES:
		break;
	}
	if (access == ENF_ACC_WRITE && self_protect(&g, path->dentry, 0, op))
		return -EPERM;
	bpf_probe_read_kernel(&dent, sizeof(dent), &path->dentry);

	/* Bound: ENF_MAX_STACK governing policies. */
	for (i = 0; i < ENF_MAX_STACK; i++) {
		struct gov_pol p = gov_policy(&g, i);
		struct path_decision d = {};
		struct verdict_ctx v = {};
		int denied, st;

		if (p.state == POL_END)
			break;
		if (p.state == POL_MISSING)
			return fail_closed(&g.cfg, hook, access, op);
		if (!p.pol->active[hook & 3])
			continue;
		if (vcf && ((p.pol->prog_hooks >> (hook & 3)) & 1))
			vc_note(&g, i, 0, 0, 1);        /* exe/parent rules: by task */
		/* mmap PROT_EXEC: enforce-mode only (an exec an audit-mode policy
		 * let pass maps its binary: no second line for it) */
		if (how == CHECK_EXPLICIT && p.pol->mode == ENF_MODE_AUDIT)
			continue;
		if (!len) {
			len = bpf_d_path((struct path *)path, g.s->key.path, ENF_PATH_BUF);
			if (len <= 0)
				return fail_closed(&g.cfg, hook, access, op);
			g.s->exact_len = len <= ENF_EXACT_PATH ? len : 0;
		}
		g.s->key.prefixlen = 32 + ENF_PATH_KEY_MAX * 8;
		g.s->key.tag = ENF_TAG(g.cfg.gen_bit, kind, p.id);
		/* rules with a program condition: the search leaves its result in
		 * the scratch for enf_path_decide (one call level each: both call
		 * enf_walk, within 512 bytes of stack) */
		enf_prog_rules(dent, g.s->key.tag,
			       (how == CHECK_DEFAULT ? p.pol->prog_hooks : 0) | PROG_BY_PATH | PROG_OWNER |
			       PROG_HOOK(hook & 3), (struct rule_match *)&g.s->prog[PROG_OUT]);
		/* By inode: the file a rule names (hard links, bind mounts) or the
		 * nearest directory a rule names above it, whatever path, root
		 * (chroot) or detached mount (open_tree) the task reached it by. */
		st = enf_walk(dent, g.s->key.tag, how == CHECK_EXPLICIT ? ENF_WALK_NO_PROGS : 0,
			      (struct rule_match *)&g.s->prog[PROG_WALK]);
		if (st == MATCH_BOUND)
			return fail_closed(&g.cfg, hook, access, op);
		denied = enf_path_decide(dent,
					 DECIDE_ARGS(how, access, need, p.pol->deflt[hook & 3],
						     how == CHECK_DEFAULT ? p.pol->prog_hooks : 0, hook & 3) |
					 ((__u32)st << 26), &d);
		if (denied < 0)
			return fail_closed(&g.cfg, hook, access, op);
		/* an owner condition weighed (a mapping's skip included): by task */
		if (vcf && (d.weighed & (ENF_COND_OWNER | ENF_COND_OWNER_WRITE)))
			vc_note(&g, i, 0, 0, 1);
		if (d.skip)
			continue;
		v.policy_id = p.id;
		v.hook = hook;
		v.access = access;
		v.op = op;
		v.rule_id = d.rule_id;
		v.cond = d.cond;
		v.right = d.right;
		if (vcf)
			vc_note(&g, i, d.rule_id, 1, denied);
		if (judge(&g.cfg, p.pol, &v, denied, g.s, len))
			return -EPERM;
	}
	if (vcf)
		vc_fill(&g, vcf, vkind);
	return 0;
#undef g
}

/* check_path_gov for a hook that has not run gov_prefix. */
static __always_inline int check_path(const struct path *path, __u8 hook, __u8 kind, __u8 access,
				      __u8 need, __u8 op, enum check_how how, struct file *vcf)
{
	struct gov g;

	if (!gov_prefix(&g))
		return 0;
	return check_path_gov(&g, path, hook, kind, access, need, op, how, vcf);
}

#endif /* ENF_PATH_BPF_H */
