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

#include "audit.bpf.h"

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
	__u8 pad;
};

/* Every right a rule denies, its verdict's included. */
static __always_inline __u8 denied_rights(__u8 verdict, __u8 rights)
{
	if (verdict == ENF_DENY)
		return ENF_RIGHTS_ALL;
	if (verdict == ENF_READONLY)
		return (ENF_RIGHTS_ALL & ~ENF_RIGHT_READ) | rights;
	return rights;
}

/*
 * Walk up from dentry d (passed as a number: global functions take
 * scalars) to the first rule met: a file rule on d itself, a directory
 * rule on d or above it, or, when self_any, d being the ancestor of a
 * protected rule (as a deny).  Returns an enum match_state.
 */
__noinline int enf_walk(__u64 d, __u32 tag, __u32 self_any, struct rule_match *m);

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

/* check_path's arguments for enf_path_judge, packed into one number. */
#define ENF_PATH_ARGS(hook, kind, access, need, op, how)                                \
	((__u64)(hook) | (__u64)(kind) << 8 | (__u64)(access) << 16 | (__u64)(need) << 24 | \
	 (__u64)(op) << 32 | (__u64)(how) << 40)

/*
 * One governing policy's verdict on one file (file.bpf.c): its path rule
 * (LPM on the path d_path left in this CPU's scratch), its inode rules
 * (enf_walk from dentry dent), conditions and rights, then judge().
 * Returns 0 or -EPERM.  A global function: the verifier checks it once,
 * not once per policy of check_path's loop and per combination of the
 * hook's arguments (inlined, it put enf_file_open at 95% of the 1M limit).
 */
__noinline int enf_path_judge(const struct enf_config *cfg, __u32 pol_id, __u64 dent, __u64 args,
			      long len);

/*
 * Shared by exec, file and mmap: judge one file against every governing
 * policy, by its path (LPM, most specific rule) and by its inode (a rule's
 * file reached through a hard link or a bind mount).
 */
static __always_inline int check_path(const struct path *path, __u8 hook, __u8 kind, __u8 access,
				      __u8 need, __u8 op, enum check_how how)
{
	__u64 args = ENF_PATH_ARGS(hook, kind, access, need, op, how);
	struct gov g;
	__u64 dent = 0;
	long len = 0;
	int i;

	switch (govern(&g)) {
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

		if (p.state == POL_END)
			break;
		if (p.state == POL_MISSING)
			return fail_closed(&g.cfg, hook, access, op);
		if (!p.pol->active[hook & 3])
			continue;
		/* mmap PROT_EXEC: enforce-mode only (an exec an audit-mode policy
		 * let pass maps its binary: no second line for it) */
		if (how == CHECK_EXPLICIT && p.pol->mode == ENF_MODE_AUDIT)
			continue;
		if (!len) {
			len = bpf_d_path((struct path *)path, g.s->key.path, ENF_PATH_BUF);
			if (len <= 0)
				return fail_closed(&g.cfg, hook, access, op);
		}
		if (enf_path_judge(&g.cfg, p.id, dent, args, len))
			return -EPERM;
	}
	return 0;
}

#endif /* ENF_PATH_BPF_H */
