/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vcache.bpf.h - the verdict cache of a governed file open and exec
 * (issue 16): an allow of a read-only open, of an exec (bprm_check_security)
 * or of a PROT_EXEC mapping (mmap_file), stored in a direct-mapped table
 * (enf_vc, global data read in place: a slot per hash of the inode's
 * address, overwritten in place by the next fill that maps to it; the
 * vcache array holds the slots' locks), answers the next one of the same
 * kind of the same file by the same kind of task without the path and
 * inode walks.  A hit is a few loads and compares: no helper call, no
 * lock.  One entry per slot: the kinds allowed under one key (vc_fill adds
 * a kind to an entry whose key is the one it would write, and replaces the
 * entry otherwise).
 *
 * An entry holds what the decision depended on; a lookup hits only when
 * every one of them equals its current value:
 *   - the generation (reload) and enf_vcache_epoch (enforcerd bumps it
 *     after every live `bind`, whose container paths change a policy's
 *     rules in the live generation, and at every start);
 *   - the task's cgroup id, which with the generation and the epoch fixes
 *     its governing policies (checked right after the ungoverned filter,
 *     before cg_cache: a hit pays neither that lookup nor the scratch);
 *   - the file's f_path (dentry, mount) and the task's root (dentry,
 *     mount: bpf_d_path resolves relative to it);
 *   - the sequence counters of the kernel's rename_lock (every d_move and
 *     d_exchange: rename of the file or of any directory above it) and
 *     mount_lock (mount, umount, move_mount, pivot_root, propagation),
 *     which the operation itself changes, after the LSM hook: a fill racing
 *     with it either sees the counter move (it then stores nothing) or
 *     stores the old value, which no later lookup equals;
 *   - the inode (its address), with i_nlink == 1 at the fill (a lookup
 *     need not look: the file's second name comes by a link, whose kill
 *     came first, and no fill stores while it has two); every link and
 *     unlink on the host bumps enf_vc_links and
 *     then kills the entry of the inode's slot (vc_kill: all its kinds
 *     "not stored", under the slot's lock), and a fill whose decision saw
 *     another enf_vc_links stores nothing: an entry never outlives a
 *     change of its inode's names (a dentry freed and its memory reused
 *     for another name of the same inode never hits);
 *   - the inode's life: inode_free_security kills the entry of a freed
 *     inode (enf_vc_free; no fill of it can be running, a fill holds the
 *     file), so that a new inode at the same address never hits an old
 *     entry.
 * Only an allow is stored, only when every governing policy allowed in
 * enforce mode (not an audit-mode "would deny"), by path and identity
 * alone: no policy with an `exe`/`parent` rule for the kind's hook (file
 * rules for an open, exec rules for an exec or a mapping: prog_hooks), no
 * rule with an owner condition among those the decision weighed (for a
 * mapping, those weighed before the "no deny rule" skip too), the
 * file's dentry hashed (not deleted), the counters even and unchanged from
 * before the decision to after it, and the task's fs_struct sequence
 * (chroot, chdir of a CLONE_FS sibling) too.  Writes, truncations and
 * creations are never cached (self-protection, cgroup.procs, /proc/sys are
 * judged before the rules).  Fills take the slot's spin lock and make its
 * sequence word odd while they write; a lookup misses on an odd or changed
 * word (no torn entry is ever used).  A slot holds one inode at a time:
 * two files whose inodes share a slot evict each other (a miss, never a
 * wrong hit: the key is compared).  A hit still counts each policy's
 * check and the rule that allowed, as the walk would have, and the hit
 * itself: cache_hit_account (audit.bpf.h), one per-CPU add per accounted
 * policy at the rule_slots index the fill computed, on the kind's own hook
 * (an open's file hook, an exec's exec hook; an allowed mapping is never
 * accounted, check_path skips the policies whose explicit rules do not
 * deny: its hit is one counter add).
 */
#ifndef ENF_VCACHE_BPF_H
#define ENF_VCACHE_BPF_H

#include "audit.bpf.h"
#include "kread.bpf.h"

#ifndef barrier
#define barrier() asm volatile("" ::: "memory")
#endif

/*
 * The sequence words: read inline in file.bpf.c (ENF_VCACHE_READS), through
 * its global functions elsewhere (exec.bpf.c; no pointer argument: a
 * global function takes scalars only): the bpf_rdonly_cast kfunc
 * and the untyped ksyms may be referenced by one object only (bpftool's
 * linker, libbpf 1.1, fails on a second reference).
 */
#ifdef ENF_VCACHE_READS
/* The kernel's seqlocks: their sequence word is the first of the object
 * on every kernel.  Untyped (kallsyms): neither kernel's BTF need carry
 * them; weak: missing, the cache stays off. */
extern const void rename_lock __ksym __weak;
extern const void mount_lock __ksym __weak;

/* 6.1: a probe read (1, "changing", when it fails) */
static __always_inline __u32 vc_seq_probe(const void *addr)
{
	__u32 v = 1;

	bpf_probe_read_kernel(&v, sizeof(v), addr);
	return v;
}

static __always_inline __u64 vc_seq_read(const void *addr)
{
	/* one plain load (kread.bpf.h; the word is a struct seqcount's
	 * sequence: seqlock_t and seqcount_spinlock_t start with one),
	 * zero-extended to a u64 the compiler cannot see through: it would
	 * otherwise narrow the compares with it to 32 bits and zero-extend
	 * each result (two shifts) */
	__u64 v;

	/* (in each branch: after their merge, the zero-extension is done) */
	if (KR_CAST()) {
		v = KR_PTR(struct seqcount, addr)->sequence;
		barrier_var(v);
	} else {
		v = vc_seq_probe(addr);
		barrier_var(v);
	}
	return v;
}

/* rename_lock's sequence | mount_lock's << 32 */
#define VC_RMSEQ() ((__u64)vc_seq_read(&rename_lock) | (__u64)vc_seq_read(&mount_lock) << 32)
/* the same word for a lookup, the kfunc's presence tested once for both
 * (its address, an ld_imm64 the verifier keeps where it folds the branch,
 * is not loaded again after the first cast) */
#define VC_RMSEQ_HIT() ({                                                       \
	__u64 __r, __m;                                                         \
	if (__builtin_expect(KR_CAST(), 1)) {                                   \
		__r = KR_PTR(struct seqcount, &rename_lock)->sequence;          \
		barrier_var(__r);                                               \
		__m = KR_PTR(struct seqcount, &mount_lock)->sequence;           \
		barrier_var(__m);                                               \
	} else {                                                                \
		__r = vc_seq_probe(&rename_lock);                               \
		barrier_var(__r);                                               \
		__m = vc_seq_probe(&mount_lock);                                \
		barrier_var(__m);                                               \
	}                                                                       \
	__r | __m << 32;                                                        \
})
/* the task's fs_struct sequence */
#define VC_FSSEQ(fs) vc_seq_read((void *)(fs) + bpf_core_field_offset(struct fs_struct, seq))
/* both seqlocks there (else nothing is stored) */
#define VC_LOCKS() (&rename_lock && &mount_lock)
#else
/* VC_RMSEQ() and VC_FSSEQ() as global functions (file.bpf.c): odd words
 * (nothing stored) when the seqlocks are missing */
__noinline __u64 enf_vc_rmseq(void);
__noinline __u32 enf_vc_fsseq(void);           /* the current task's (fs: it) */
#define VC_RMSEQ() enf_vc_rmseq()
#define VC_RMSEQ_HIT() enf_vc_rmseq()
#define VC_FSSEQ(fs) enf_vc_fsseq()
#define VC_LOCKS() 1
#endif

/*
 * Before the decision, right after gov_prefix (the task may be governed;
 * gov_rest has not run: no cg_cache lookup, no scratch), for a read-only
 * open (FMODE_READ without FMODE_WRITE, FMODE_CREATED, O_TRUNC: the
 * cacheable kind, checked by the hook; kind VC_OPEN), an exec (VC_EXEC) or
 * a PROT_EXEC mapping (VC_MMAP) of the file: 1 when the entry on the
 * file's inode holds an allow of that kind that answers this one
 * (counted, accounted: allow).  The
 * entry is keyed on the task's cgroup id, generation and epoch, which fix
 * its governing policies (cg_cache holds the same answer: a live bind
 * drops a cgroup's entries after a grace period and only then bumps the
 * epoch; a cgroup id is never reused).  The file's f_path and the task's
 * root are compared as pointers, loaded directly.  On a miss of a cacheable
 * open, the values read now stay in the scratch for vc_fill (s->vc.ok) and
 * it returns 0; -1: not cacheable (no vc_note, no vc_fill for this open).
 *
 * Cost (issue 16): a hit is the path every repeated open takes, so it
 * reads what it compares straight into registers: the two sequence words
 * first (the only calls, to the compiler, of the hit: the kfunc casts,
 * which the verifier turns into register moves on 6.2+), joined into one
 * word, then the entry; it uses the task gov_prefix_task found (one helper
 * call a hook call), takes the generation and the cgroup id as values
 * (vc_hit: enf_file_open keeps them in registers, its struct gov is
 * written on a miss only), and leaves to the miss (vc_miss: still before
 * anything the decision reads, which a miss only starts after it returns)
 * what only a miss needs: enf_vcache_off (with the cache off nothing is
 * ever stored: vc_fill needs s->vc.ok), the epoch and the task's root as
 * vc_fill will compare and store them, the scratch.  Measured by the
 * instructions of enf_file_open's hit (llvm-objdump of the object, and
 * bpf_stats under make bench): each spill of a value kept across the
 * casts, each load done twice, is one more on every cached open.
 */
/* The hook a kind's allow is accounted on, its counters. */
#define VC_HOOK(kind) ((kind) == VC_OPEN ? ENF_HOOK_FILE : ENF_HOOK_EXEC)
#define VC_CNT_HIT(kind) ((kind) == VC_OPEN ? ENF_CNT_VCACHE_HIT : \
			  (kind) == VC_EXEC ? ENF_CNT_XCACHE_HIT : ENF_CNT_MCACHE_HIT)
#define VC_CNT_FILL(kind) ((kind) == VC_OPEN ? ENF_CNT_VCACHE_FILL : \
			   (kind) == VC_EXEC ? ENF_CNT_XCACHE_FILL : ENF_CNT_MCACHE_FILL)

static const __u32 vc_zero = 0;

/* An inode's key: its address as a number (a pointer minus a pointer is a
 * scalar to a privileged program: the table's address, a constant, which
 * a lookup loads anyway for the slot's address), never 0; and its slot, a
 * hash of it. */
static __always_inline __u64 vc_key(const struct inode *ino)
{
	return (__u64)ino - (__u64)enf_vc;
}

/* (multiply, fold, multiply: one multiplication alone maps the addresses
 * of a slab cache's objects, an arithmetic progression in each slab, onto
 * a fraction of the slots for some object sizes) */
static __always_inline __u32 vc_slot(__u64 key)
{
	__u64 h = key * 0x9E3779B97F4A7C15ULL;

	h ^= h >> 32;
	return (h * 0x9E3779B97F4A7C15ULL) >> (64 - ENF_VC_SLOT_BITS);
}

/* What a lookup read before the decision (vc_hit), for vc_miss: the two
 * sequence words, rename_lock's | mount_lock's << 32. */
struct vc_read {
	__u64 rmseq;
};

/*
 * The hit alone: 1 when the entry answers (counted, accounted: allow), 0
 * otherwise, with the sequence words it read in *rd.  It takes the
 * generation and the cgroup id gov_prefix found as values, not in struct
 * gov: a hook whose struct gov lives on the stack (its address goes to
 * functions of the miss) stores them there only on a miss (file.bpf.c,
 * enf_file_open).  What a miss needs besides (the epoch, the task's
 * root) vc_miss reads again: still before the decision.
 */
static __always_inline int vc_hit(__u64 gen, __u64 cgid, struct file *file, struct task_struct *task,
				  const __u32 kind, struct vc_read *rd)
{
	struct vcache_val *v;
	struct fs_struct *fs;
	__u64 diff, rmseq, key;
	__u32 s1;

	/* the counters first: nothing else is live across their reads (calls,
	 * to the compiler, which would otherwise spill what it holds), joined
	 * at once into one word (one register; the entry's is one load) */
	rmseq = VC_RMSEQ_HIT();
	barrier_var(rmseq);     /* the halves not kept apart for a miss */
	rd->rmseq = rmseq;
	key = vc_key(file->f_inode);
	v = &enf_vc[vc_slot(key)];
	barrier_var(v);         /* one register, not its address computed again per field */
	s1 = *(volatile __u32 *)&v->seq;
	barrier();
	/* odd (being written), or this kind not stored: one mask (VC_SEQ_NO) */
	diff = (s1 & (1 | VC_SEQ_NO(kind))) | (v->rmseq ^ rmseq) | (v->key ^ key) |
	       (v->generation ^ gen) | (v->cgid ^ cgid) | (v->epoch ^ enf_vcache_epoch);
	if (diff)
		return 0;
	/* pointers: compared, not mixed into diff (no arithmetic on them) */
	if (v->dentry != (__u64)file->f_path.dentry || v->mnt != (__u64)file->f_path.mnt)
		return 0;
	fs = task->fs;
	if (v->root_d != (__u64)fs->root.dentry || v->root_m != (__u64)fs->root.mnt)
		return 0;
	barrier();
	if (*(volatile __u32 *)&v->seq != s1)
		return 0;
	/* the hit, and the check and rule hit of each policy the walk would
	 * have counted, at the slots the fill computed (a fill racing from now
	 * on may make these counts another cgroup's: counters only) */
	if (kind == VC_MMAP)
		count(ENF_CNT_MCACHE_HIT);
	else
		cache_hit_account(&v->acc[kind == VC_OPEN ? VC_ACC_OPEN : VC_ACC_EXEC], VC_HOOK(kind),
				  VC_CNT_HIT(kind), gen & 1);
	return 1;
}

/* After vc_hit missed (still before the decision): what vc_fill compares
 * and stores, into the scratch (s->vc.ok), 0; -1: not cacheable (no
 * vc_note, no vc_fill). */
static __always_inline int vc_miss(struct gov *g, struct task_struct *task, const struct vc_read *rd)
{
	struct fs_struct *fs = task->fs;
	struct vc_scratch *c;

	if (enf_vcache_off)
		return -1;
	/* the key of the scratch's lookup from .rodata, not the stack: a hit
	 * pays no store of it */
	g->s = bpf_map_lookup_elem(&scratch_map, &vc_zero);
	if (!g->s)
		return -1;
	c = &g->s->vc;
	c->epoch = enf_vcache_epoch;
	c->links = enf_vc_links;
	c->rseq = (__u32)rd->rmseq;
	c->mseq = rd->rmseq >> 32;
	c->root_d = (__u64)fs->root.dentry;
	c->root_m = (__u64)fs->root.mnt;
	c->amask = 0;
	/* before the decision, as the counters above: vc_fill compares */
	c->fsseq = VC_FSSEQ(fs);
	c->ok = ((c->rseq | c->mseq | c->fsseq) & 1) || !VC_LOCKS() ? 0 : 1;
	return 0;
}

static __always_inline int vc_lookup(struct gov *g, struct file *file, struct task_struct *task,
				     const __u32 kind)
{
	struct vc_read rd;

	if (vc_hit(g->cfg.generation, g->cgid, file, task, kind, &rd))
		return 1;
	return vc_miss(g, task, &rd);
}

/* check_path, policy slot i allowed by rule: accounted (amask), or not
 * cacheable (why: the decision depended on more than path and policy). */
static __always_inline void vc_note(struct gov *g, int i, __u32 rule, int accounted, int why)
{
	struct vc_scratch *c = &g->s->vc;

	if (why)
		c->ok = 0;
	if (accounted) {
		c->amask |= 1u << (i & (ENF_MAX_STACK - 1));
		c->rules[i & (ENF_MAX_STACK - 1)] = rule;
	}
}

/*
 * After an allow by every policy: store it when the decision was cacheable
 * and nothing it read changed while it ran.  An entry whose key is the one
 * this fill would write gains the kind; any other is replaced whole.
 */
static __always_inline void vc_fill(struct gov *g, struct file *file, const __u32 kind)
{
	struct vc_scratch *c;
	struct task_struct *t;
	struct vcache_val *v;
	struct vcache_lock *l;
	struct inode *ino;
	struct fs_struct *fs;
	__u64 rmseq, key;
	__u32 i, s0, no, slot;

	if (!g->s)
		return;
	c = &g->s->vc;
	if (!c->ok)
		return;
	c->ok = 0;
	if ((g->set->n - 1) >= ENF_MAX_STACK)
		return;
	if (kind == VC_MMAP) {
		/* an allowed mapping is never accounted (check_path skips it) */
		if (c->amask)
			return;
	} else {
		/* Bound: ENF_MAX_STACK governing policies. */
		for (i = 0; i < ENF_MAX_STACK; i++)
			c->slots[i] = ((c->amask >> i) & 1) ?
				rule_slot_at(policy_get(&g->cfg, g->set->ids[i]), VC_HOOK(kind),
					     c->rules[i]) : ~0u;
	}
	ino = file->f_inode;
	t = bpf_get_current_task_btf();
	fs = t->fs;
	if (!file->f_path.dentry->d_hash.pprev || ino->i_nlink != 1 ||
	    c->root_d != (__u64)fs->root.dentry || c->root_m != (__u64)fs->root.mnt)
		return;
	rmseq = (__u64)c->rseq | (__u64)c->mseq << 32;
	if (VC_RMSEQ() != rmseq || VC_FSSEQ(fs) != c->fsseq)
		return;
	key = vc_key(ino);
	slot = vc_slot(key);
	/* the entry's address before the lock's lookup: a slot read back
	 * from the stack after it would have lost its bound */
	v = &enf_vc[slot];
	barrier_var(v);
	l = bpf_map_lookup_elem(&vcache, &slot);
	if (!l)
		return;
	bpf_spin_lock(&l->lock);
	/* a link or unlink since the decision began: its kill may have come
	 * before this lock (it then runs under the lock after us otherwise) */
	if (enf_vc_links != c->links) {
		bpf_spin_unlock(&l->lock);
		return;
	}
	s0 = v->seq;
	/* odd: being written (the counter bits only) */
	*(volatile __u32 *)&v->seq = (s0 & ~VC_SEQ_CNT) | ((s0 + 1) & VC_SEQ_CNT);
	barrier();
	no = s0 & VC_SEQ_NOALL;
	if (no == VC_SEQ_NOALL || v->key != key || v->generation != g->cfg.generation ||
	    v->epoch != c->epoch || v->dentry != (__u64)file->f_path.dentry ||
	    v->mnt != (__u64)file->f_path.mnt || v->root_d != c->root_d || v->root_m != c->root_m ||
	    v->rmseq != rmseq || v->cgid != g->cgid) {
		/* another key: the kinds stored under it go */
		no = VC_SEQ_NOALL;
		v->key = key;
		v->generation = g->cfg.generation;
		v->epoch = c->epoch;
		v->dentry = (__u64)file->f_path.dentry;
		v->mnt = (__u64)file->f_path.mnt;
		v->root_d = c->root_d;
		v->root_m = c->root_m;
		v->rmseq = rmseq;
		v->cgid = g->cgid;
	}
	/* the accounted policies, packed: a hit loops over these only */
	if (kind != VC_MMAP)
		acct_pack(&v->acc[kind == VC_OPEN ? VC_ACC_OPEN : VC_ACC_EXEC], g->set, c->amask,
			  c->rules, c->slots);
	barrier();
	/* even again, with this kind stored */
	*(volatile __u32 *)&v->seq = ((s0 + 2) & VC_SEQ_CNT) | (no & ~VC_SEQ_NO(kind));
	bpf_spin_unlock(&l->lock);
	count(VC_CNT_FILL(kind));
}

/*
 * The entry in ino's slot answers nothing any more (every kind "not
 * stored", the sequence moved: a lookup racing with this misses); only
 * when it is ino's (only_own), or whatever it holds.  Under the slot's
 * lock: a fill is either done (its entry killed here) or not yet begun.
 */
static __always_inline void vc_kill(const struct inode *ino, int only_own)
{
	__u64 key = vc_key(ino);
	__u32 slot = vc_slot(key), s0;
	struct vcache_val *v = &enf_vc[slot];
	struct vcache_lock *l;

	barrier_var(v);
	if (only_own && v->key != key)
		return;
	l = bpf_map_lookup_elem(&vcache, &slot);
	if (!l)
		return;
	bpf_spin_lock(&l->lock);
	s0 = v->seq;
	*(volatile __u32 *)&v->seq = ((s0 + 2) & VC_SEQ_CNT) | VC_SEQ_NOALL;
	bpf_spin_unlock(&l->lock);
}

#endif /* ENF_VCACHE_BPF_H */
