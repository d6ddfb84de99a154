// SPDX-License-Identifier: GPL-2.0
/*
 * pattern.bpf.c - glob patterns of exec and file rules: enf_pat_match(),
 * called by the inode walk (file.bpf.c walk_step) when it reaches a
 * directory that patterns are anchored at (ENF_INO_PATTERNS).  It reads the
 * names between that directory and the file (the path as the file system
 * names it below the anchor), and matches them against the anchor's
 * patterns, most specific first: `*` and `?` never cross '/', a whole
 * component `**` matches any number of components (zero included).
 * A pattern with a program condition (`exe`, `parent`) matches only when
 * the task's program (its parent process's) is in its class, by identity.
 * Every loop runs in bpf_loop with its state in the per-CPU pat_scratch:
 * the verifier checks each callback once, and the cost falls only on
 * files below an anchor.  A bound or a failed read: -1 (fail closed).
 */
#include "path.bpf.h"
#include "prog.bpf.h"

enum { PAT_RUN = -1, PAT_NONE = 0, PAT_HIT = 1, PAT_BOUND = 2 };

/* v & m, the mask kept where the compiler knows v is in range already
 * (the verifier needs to see it) */
#define PMASK(v, m) ({ __u32 _v = (v); asm volatile("" : "+r"(_v)); _v & (m); })

static __always_inline struct pat_state *pat_state(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&pat_scratch, &zero);
}

/* Walk up from the file, keeping the top ENF_PAT_DEPTH dentries below the
 * anchor (level lvl - 1 is name 0). */
static long up_cb(__u32 l, void *ctx)
{
	struct pat_state *st = pat_state();
	struct dentry *d;
	__u32 j;

	if (!st)
		return 1;
	j = st->lvl - 1 - l;
	if (j < ENF_PAT_DEPTH)
		st->dent[PMASK(j, ENF_PAT_DEPTH - 1)] = st->cur;
	d = (struct dentry *)st->cur;
	st->cur = (__u64)BPF_CORE_READ(d, d_parent);
	return 0;
}

/* Read name j into subj after name j - 1, joined by '/'. */
static long name_cb(__u32 j, void *ctx)
{
	struct pat_state *st = pat_state();
	struct dentry *d;
	__u32 off;
	long n;

	if (!st || j >= ENF_PAT_DEPTH)
		return 1;
	off = st->cstart[PMASK(j, ENF_PAT_DEPTH - 1)];
	if (off >= ENF_PAT_SUBJECT) {
		st->result = PAT_BOUND;
		return 1;
	}
	d = (struct dentry *)st->dent[PMASK(j, ENF_PAT_DEPTH - 1)];
	n = bpf_probe_read_kernel_str(&st->subj[PMASK(off, ENF_PAT_SUBJECT - 1)], 256,
				      BPF_CORE_READ(d, d_name.name));
	if (n <= 0 || off + n > ENF_PAT_SUBJECT) {
		st->result = PAT_BOUND;
		return 1;
	}
	/* the NUL becomes the separator, except after the last name */
	if (j + 1 < st->n)
		st->subj[PMASK(off + n - 1, ENF_PAT_SUBJECT - 1)] = '/';
	if (j + 1 < ENF_PAT_DEPTH)
		st->cstart[PMASK(j + 1, ENF_PAT_DEPTH - 1)] = off + n;
	st->len = off + n - 1;
	return 0;
}

static __always_inline char gch(const struct enf_pattern *p, __u32 i)
{
	return i < ENF_PAT_GLOB ? p->glob[PMASK(i, ENF_PAT_GLOB - 1)] : 0;
}

static __always_inline char sch(const struct pat_state *st, __u32 i)
{
	return i < st->len ? st->subj[PMASK(i, ENF_PAT_SUBJECT - 1)] : 0;
}

/* One level of the program's classes (enf_prog_classes' steps, in a
 * bpf_loop with the state in the scratch: a call of that global function
 * here put enf_rename's chain of calls over 512 bytes of stack on 6.1). */
static long cls_cb(__u32 l, void *ctx)
{
	struct pat_state *st = pat_state();
	struct enf_inode_val *v;
	struct dentry *d, *up;
	struct inode *ino;

	if (!st)
		return 1;
	d = (struct dentry *)st->pcur;
	ino = BPF_CORE_READ(d, d_inode);
	if (ino) {
		st->pk.dev = BPF_CORE_READ(ino, i_sb, s_dev);
		st->pk.ino = BPF_CORE_READ(ino, i_ino);
		v = bpf_map_lookup_elem(&inode_rules, &st->pk);
		if (v)
			st->progs[st->pwhich & 1] |= v->progs;
	}
	up = BPF_CORE_READ(d, d_parent);
	if (!st->pdirs || !up || up == d) {
		st->pdone = 1;
		return 1;
	}
	st->pcur = (__u64)up;
	return 0;
}

/* The classes of the task's program (which 0) or of its parent process's
 * (1) into st->progs[which]: 0 done, -1 a bound ran out. */
static __always_inline int pat_classes(struct pat_state *st, __u32 which)
{
	struct dentry *d = prog_exe_dentry(which);

	if (!d)
		return 0;       /* a kernel thread: no program */
	st->pwhich = which;
	st->pcur = (__u64)d;
	st->pdone = 0;
	/* Bound: ENF_MAX_WALK directory levels above the program. */
	bpf_loop(ENF_MAX_WALK, cls_cb, NULL, 0);
	return st->pdone ? 0 : -1;
}

/* Does the task meet p's program condition (none: yes)? */
static __always_inline int pat_prog_met(const struct pat_state *st, const struct enf_pattern *p)
{
	__u32 par = (p->flags & ENF_PAT_PARENT) ? 1 : 0;

	if (!p->prog)
		return 1;
	if (st->no_progs)
		return 0;
	return (st->progs[par] >> ((p->prog - 1) & (ENF_PROG_CLASSES - 1))) & 1;
}

/* This pattern failed: the next one. */
static __always_inline void pat_next(struct pat_state *st, const struct enf_pattern *p)
{
	/* a deny (or rights) pattern that could match below this directory:
	 * renaming or removing it would move those files out of its reach
	 * (for the programs its condition names) */
	if (st->self_any && !st->has_anc && (st->partial || st->dstar) && pat_prog_met(st, p) &&
	    (p->verdict != ENF_ALLOW || p->rights) &&
	    /* a directory below a name-only anchor renamed in its parent:
	     * every file below it keeps its verdict */
	    !(st->same_dir && st->lvl && (p->flags & ENF_PAT_NAME_ONLY))) {
		st->has_anc = 1;
		st->anc = st->first + st->k;
	}
	st->k++;
	st->g = st->s = st->ci = 0;
	st->star = st->dstar = st->partial = 0;
	if (st->k >= st->npat)
		st->result = PAT_NONE;
}

/* One step of matching pattern k against subj. */
static long step_cb(__u32 i, void *ctx)
{
	struct pat_state *st = pat_state();
	const struct enf_pattern *p;
	char c, s;

	if (!st)
		return 1;
	st->idx = st->first + st->k;
	p = bpf_map_lookup_elem(&patterns, &st->idx);
	if (!p) {
		st->result = PAT_BOUND;
		return 1;
	}
	c = gch(p, st->g);
	/* `**` (a whole component: the parser sees to it) */
	if (c == '*' && gch(p, st->g + 1) == '*' && (st->g == 0 || gch(p, st->g - 1) == '/')) {
		if (gch(p, st->g + 2) == 0)
			goto hit;               /* the rest, whatever it is */
		st->dg = st->g + 3;
		st->dc = st->ci;
		st->dstar = 1;
		st->star = 0;
		st->g = st->dg;
		return 0;
	}
	if (c == '*') {
		st->sg = st->g + 1;
		st->ss = st->s;
		st->star = 1;
		st->g++;
		return 0;
	}
	s = sch(st, st->s);
	if (!s && st->s >= st->len) {
		if (st->trunc)
			goto bound;             /* names above the ones read follow */
		if (!c)
			goto hit;
		if (c == '/') {
			/* a last component "**" matches no name too; otherwise matches
			 * could lie below this directory */
			if (gch(p, st->g + 1) == '*' && gch(p, st->g + 2) == '*' && !gch(p, st->g + 3))
				goto hit;
			st->partial = 1;
		}
	} else if (c && (c == s || (c == '?' && s != '/'))) {
		if (s == '/') {
			st->star = 0;   /* a '*' never crosses '/' */
			st->ci++;
		}
		st->g++;
		st->s++;
		return 0;
	}
	/* a mismatch: a '*' takes one more byte, else a '**' one more name */
	if (st->star && sch(st, st->ss) != '/' && st->ss < st->len) {
		st->ss++;
		st->s = st->ss;
		st->g = st->sg;
		return 0;
	}
	if (st->dstar) {
		if (st->dc + 1 < st->n) {
			st->dc++;
			st->ci = st->dc;
			st->s = st->cstart[PMASK(st->dc, ENF_PAT_DEPTH - 1)];
			st->g = st->dg;
			st->star = 0;
			return 0;
		}
		if (st->trunc)
			goto bound;
	}
	pat_next(st, p);
	return st->result != PAT_RUN;
hit:
	if (!pat_prog_met(st, p)) {
		/* not this task's pattern: as if it did not match */
		pat_next(st, p);
		return st->result != PAT_RUN;
	}
	if (!st->has_hit) {
		st->has_hit = 1;
		st->hit = st->idx;
	}
	if (st->self_any) {
		/* a partial match of a later pattern still protects the
		 * directory: look at them all */
		pat_next(st, p);
		return st->result != PAT_RUN;
	}
	st->result = PAT_HIT;
	return 1;
bound:
	st->result = PAT_BOUND;
	return 1;
}

__noinline int enf_pat_match(__u64 d0, __u32 lvl, __u64 ref, struct rule_match *m)
{
	struct pat_state *st = pat_state();
	const struct enf_pattern *p;
	struct scratch *s;

	if (!m || !st)
		return -1;
	/* everything in the scratch at once: few values live across the
	 * calls below keep this frame small (the 6.1 verifier sums frames
	 * along enf_rename's chain of calls against 512 bytes) */
	st->pk.tag = ref >> 32;
	st->first = ref & 0xffff;
	st->npat = (ref >> 16) & 0xff;
	st->lvl = lvl;
	st->cur = d0;
	st->self_any = (ref & PAT_SELF_ANY) ? 1 : 0;
	st->same_dir = (ref & PAT_SAME_DIR) ? 1 : 0;
	st->no_progs = (ref & PAT_NO_PROGS) ? 1 : 0;
	st->trunc = lvl > ENF_PAT_DEPTH;
	st->n = st->trunc ? ENF_PAT_DEPTH : lvl;
	st->len = 0;
	st->cstart[0] = 0;
	st->result = PAT_RUN;
	if (!st->npat || st->npat > ENF_PAT_PER_DIR)
		return st->npat ? -1 : 0;
	/* the program's classes, when the policy's patterns have conditions */
	st->progs[0] = st->progs[1] = 0;
	p = bpf_map_lookup_elem(&patterns, &st->first);
	if (!p)
		return -1;
	if ((p->flags & ENF_PAT_PROGS) && !st->no_progs) {
		st->pk.tag = (st->pk.tag & ~(0x7fu << 24)) | ((__u32)ENF_KIND_PROG << 24);
		st->pk.pad = 0;
		st->pdirs = (p->flags & ENF_PAT_DIRS) ? 1 : 0;
		if (pat_classes(st, 0))
			return -1;
		if ((p->flags & ENF_PAT_ANY_PARENT) && pat_classes(st, 1))
			return -1;
	}
	/* Bound: the walk that found the anchor went up lvl levels. */
	if (st->lvl && bpf_loop(st->lvl, up_cb, NULL, 0) != st->lvl)
		return -1;
	/* Bound: ENF_PAT_DEPTH names. */
	if (st->n && bpf_loop(st->n, name_cb, NULL, 0) != st->n)
		return -1;
	if (st->result != PAT_RUN)
		return -1;
	st->k = 0;
	st->g = st->s = st->ci = 0;
	st->star = st->dstar = st->partial = 0;
	st->has_anc = st->has_hit = 0;
	/* Bound: ENF_PAT_STEPS steps over all the anchor's patterns. */
	bpf_loop(ENF_PAT_STEPS, step_cb, NULL, 0);
	if (st->result == PAT_RUN || st->result == PAT_BOUND)
		return -1;
	if (st->has_anc) {
		/* rename, unlink of a directory matches may lie below */
		p = bpf_map_lookup_elem(&patterns, &st->anc);
		if (!p)
			return -1;
		m->rule_id = p->rule_id;
		m->verdict = ENF_DENY;
		m->cond = 0;
		m->rights = 0;          /* an ancestor's deny: no override of the path lookup */
		m->plen = 255;
		return 1;
	}
	if (!st->has_hit)
		return 0;
	p = bpf_map_lookup_elem(&patterns, &st->hit);
	if (!p)
		return -1;
	m->rule_id = p->rule_id;
	m->verdict = p->verdict;
	m->cond = p->cond;
	m->rights = p->rights | RM_PATTERN;
	m->plen = p->plen;
	/* the literal rule it overrides by path (enf_path_decide) */
	st->zero = 0;
	s = bpf_map_lookup_elem(&scratch_map, &st->zero);
	if (s)
		s->prog[PROG_COVER] = p->cover;
	return 1;
}
