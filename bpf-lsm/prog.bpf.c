// SPDX-License-Identifier: GPL-2.0
/*
 * prog.bpf.c - program conditions on exec and file rules (`exe PATH`,
 * `exe DIR/`, and on exec rules `parent PATH`): the classes the current
 * program, or its parent process's, belongs to (by inode identity), and
 * the most specific rule of those classes that applies to a file.  Global
 * functions: the verifier checks them once per program, whatever calls
 * them (check_path, mutation).
 */
#include "path.bpf.h"
#include "prog.bpf.h"

/*
 * The mask of program classes (ENF_KIND_PROG entries of tag) of the
 * current task's executable, or of its parent process's (parent): the
 * file's own entry, and with dirs the entries of the directories above it
 * (`exe /usr/bin/`).  -1 when the program lies deeper than the bound.
 */
__noinline long enf_prog_classes(__u32 tag, __u32 parent, __u32 dirs)
{
	struct enf_inode_key k = { .tag = tag };
	struct dentry *d = prog_exe_dentry(parent), *up;
	long mask = 0;
	int lvl;

	if (!d)
		return 0;           /* a kernel thread: no program */
	/* Bound: ENF_MAX_WALK directory levels above the program. */
	for (lvl = 0; lvl < ENF_MAX_WALK; lvl++) {
		struct inode *ino = BPF_CORE_READ(d, d_inode);
		struct enf_inode_val *v;

		if (ino) {
			k.dev = BPF_CORE_READ(ino, i_sb, s_dev);
			k.ino = BPF_CORE_READ(ino, i_ino);
			v = bpf_map_lookup_elem(&inode_rules, &k);
			if (v)
				mask |= v->progs;
		}
		if (!dirs)
			return mask;
		up = BPF_CORE_READ(d, d_parent);
		if (!up || up == d)
			return mask;
		d = up;
	}
	return -1;
}

/* The search: the classes to try, the best rule so far. */
struct prog_ctx {
	__u64 dent;
	__u32 tag;              /* the policy's plain tag (generation, kind, policy id) */
	__u32 flags;            /* ENF_PROG_*, PROG_BY_PATH, PROG_SELF_ANY */
	__u32 mask[2];          /* classes of the program, of its parent's */
	int state;              /* MATCH_NONE, MATCH_RULE */
	struct rule_match best;
};
_Static_assert(sizeof(struct prog_ctx) <= PROG_OUT * sizeof(__u64) &&
	       sizeof(struct rule_match) <= sizeof(__u64) &&
	       PROG_WALK + 1 <= sizeof(((struct scratch *)0)->prog) / sizeof(__u64),
	       "the search and the results fit in the scratch");

/* The more specific rule wins (a longer path); at equal length the stricter. */
static __always_inline void prog_consider(struct prog_ctx *c, struct rule_match *r)
{
	if (c->state == MATCH_RULE &&
	    (r->plen < c->best.plen ||
	     (r->plen == c->best.plen && stricter(r->verdict, c->best.verdict) != r->verdict)))
		return;
	c->best = *r;
	c->state = MATCH_RULE;
}

/* Class i (0..31: of the program; 32..63: of the parent's): its rules by
 * path (the scratch key check_path filled) and by identity.  1 when a
 * bound ran out. */
static __always_inline int prog_class_rules(struct prog_ctx *c, __u32 i)
{
	__u32 par = i >= ENF_PROG_CLASSES;
	__u32 cls = i & (ENF_PROG_CLASSES - 1);
	__u32 mask = par ? c->mask[1] : c->mask[0];
	__u32 tag = c->tag | ENF_TAG_CLASS(cls + 1) | (par ? ENF_TAG_PARENT : 0);
	__u8 which = par ? ENF_COND_PARENT : ENF_COND_EXE;
	struct rule_match m = {};
	int st;

	if (!((mask >> cls) & 1))
		return 0;
	if (c->flags & PROG_BY_PATH) {
		__u32 zero = 0;
		struct scratch *s = bpf_map_lookup_elem(&scratch_map, &zero);
		struct enf_path_val *pv;

		if (!s)
			return 1;
		s->key.tag = enf_path_tag(tag);
		pv = bpf_map_lookup_elem(&path_rules, &s->key);
		if (pv) {
			m.rule_id = pv->rule_id;
			m.verdict = pv->verdict;
			m.cond = pv->cond | which;
			m.rights = pv->rights;
			m.plen = pv->plen;
			prog_consider(c, &m);
		}
	}
	st = enf_walk_near(c->dent, tag, (c->flags & PROG_SELF_ANY) ? 1 : 0, &m);
	if (st == MATCH_BOUND)
		return 1;
	if (st == MATCH_RULE) {
		m.cond |= which;
		prog_consider(c, &m);
	}
	return 0;
}

/* The owner condition of the winning rule, judged for dentry dent: the
 * verdict as it applies; cond keeps the owner bit only when it failed. */
static __always_inline void prog_owner(struct rule_match *m, __u64 dent)
{
	struct task_struct *t = bpf_get_current_task_btf();
	struct dentry *d = (struct dentry *)dent;

	if (!(m->cond & (ENF_COND_OWNER | ENF_COND_OWNER_WRITE)))
		return;
	if (m->verdict != ENF_DENY &&
	    BPF_CORE_READ(d, d_inode, i_uid.val) != BPF_CORE_READ(t, cred, fsuid.val)) {
		m->verdict = m->cond & ENF_COND_OWNER ? ENF_DENY : ENF_READONLY;
		return;
	}
	m->cond &= ENF_COND_PROGS;
}

static __always_inline long prog_search(struct scratch *s, __u64 dent, __u32 tag, __u32 flags,
					struct rule_match *out);

__noinline int enf_prog_rules(__u64 dent, __u32 tag, __u32 flags, struct rule_match *out)
{
	__u32 zero = 0;
	struct scratch *s;
	long e;

	if (!out)
		return MATCH_BOUND;
	/* the search lives in the per-CPU scratch (stack is short in call
	 * chains), and so does the state check_path's call leaves for
	 * enf_path_decide */
	s = bpf_map_lookup_elem(&scratch_map, &zero);
	if (!s)
		return MATCH_BOUND;
	s->prog[PROG_STATE] = MATCH_BOUND;
	e = prog_search(s, dent, tag, flags, out);
	s->prog[PROG_STATE] = e;
	/* the lookups changed the scratch key's tag: the caller's again */
	s->key.tag = tag;
	return e;
}

static __always_inline long prog_search(struct scratch *s, __u64 dent, __u32 tag, __u32 flags,
					struct rule_match *out)
{
	__u32 ptag = (tag & ~(0x7fu << 24)) | ((__u32)ENF_KIND_PROG << 24);
	struct prog_ctx *c;
	long e;
	int i;

	if (!((flags >> PROG_HOOK_OF(flags)) & 1))
		return MATCH_NONE;      /* no rule of this hook has a program condition */
	c = (struct prog_ctx *)s->prog;
	c->dent = dent;
	c->tag = tag;
	c->flags = flags;
	c->state = MATCH_NONE;
	c->mask[1] = 0;
	e = enf_prog_classes(ptag, 0, flags & ENF_PROG_DIRS);
	if (e < 0)
		return MATCH_BOUND;
	c->mask[0] = e;
	if (flags & ENF_PROG_PARENT) {
		e = enf_prog_classes(ptag, 1, flags & ENF_PROG_DIRS);
		if (e < 0)
			return MATCH_BOUND;
		c->mask[1] = e;
	}
	if (!(c->mask[0] | c->mask[1]))
		return MATCH_NONE;
	/* Bound: ENF_PROG_CLASSES classes of the program and of its parent's. */
	for (i = 0; i < 2 * ENF_PROG_CLASSES; i++)
		if (prog_class_rules(c, i))
			return MATCH_BOUND;
	/* less specific than the rule without a condition that applies */
	if (c->state != MATCH_RULE || c->best.plen < PROG_MIN_PLEN(flags))
		return MATCH_NONE;
	if (flags & PROG_OWNER)
		prog_owner(&c->best, dent);
	*out = c->best;
	return MATCH_RULE;
}
