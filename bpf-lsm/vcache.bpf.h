/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vcache.bpf.h - the verdict cache of a governed file open (issue 16): an
 * allow of a read-only open, stored on the opened file's inode (inode
 * storage: freed with the inode), answers the next read-only open of the
 * same file by the same kind of task without the path and inode walks.
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
 *   - i_nlink == 1 at the fill and at the lookup, and no link or unlink of
 *     the inode's names since the entry was created (vc_poison: inode_link,
 *     and inode_unlink of a file with more than one name, mark the entry
 *     for good, for any task: a dentry freed and its memory reused for
 *     another name of the same inode can then never hit).
 * Only an allow is stored, only when every governing policy allowed in
 * enforce mode (not an audit-mode "would deny"), by path and identity
 * alone: no policy with an `exe`/`parent` rule for files (prog_hooks), no
 * rule with an owner condition among those the decision weighed, the
 * file's dentry hashed (not deleted), the counters even and unchanged from
 * before the decision to after it, and the task's fs_struct sequence
 * (chroot, chdir of a CLONE_FS sibling) too.  Writes, truncations and
 * creations are never cached (self-protection, cgroup.procs, /proc/sys are
 * judged before the rules).  Fills take the entry's spin lock and make its
 * sequence word odd while they write; a lookup misses on an odd or changed
 * word (no torn entry is ever used).  A hit still counts each policy's
 * check and the rule that allowed, as the walk would have: per-CPU adds at
 * the pstats and rule_slots indices the fill computed (enf_account for a
 * rule beyond its policy's slots).
 */
#ifndef ENF_VCACHE_BPF_H
#define ENF_VCACHE_BPF_H

#include "audit.bpf.h"

#ifndef barrier
#define barrier() asm volatile("" ::: "memory")
#endif

/* The kernel's seqlocks: their sequence word is the first of the object
 * on every kernel.  Untyped (kallsyms): neither kernel's BTF need carry
 * them; weak: missing, the cache stays off. */
extern const void rename_lock __ksym __weak;
extern const void mount_lock __ksym __weak;

static __always_inline __u32 vc_seq_read(const void *addr)
{
	__u32 v = 1;    /* odd: "changing", never cached */

	bpf_probe_read_kernel(&v, sizeof(v), addr);
	return v;
}

/* The cacheable kind of open: read only. */
static __always_inline int vc_kind(__u8 access, __u8 need)
{
	return access == ENF_ACC_READ && need == ENF_RIGHT_READ;
}

/*
 * Before the decision: 1 when the entry on the file's inode answers this
 * open (counted, accounted: allow).  On a miss of a cacheable open, the
 * values read now stay in the scratch for vc_fill (s->vc.ok).
 */
static __always_inline int vc_lookup(struct gov *g, struct file *file, __u8 access, __u8 need)
{
	struct vc_scratch *c = &g->s->vc;
	struct task_struct *t;
	struct vcache_val *v;
	struct inode *ino;
	struct fs_struct *fs;
	__u64 diff, p[2] = {}, r[2] = {};
	__u32 s1, i;

	c->ok = 0;
	if (enf_vcache_off || !vc_kind(access, need) || !&rename_lock || !&mount_lock)
		return 0;
	if ((g->set->n - 1) >= ENF_MAX_STACK)
		return 0;
	c->rseq = vc_seq_read(&rename_lock);
	c->mseq = vc_seq_read(&mount_lock);
	c->epoch = enf_vcache_epoch;
	t = bpf_get_current_task_btf();
	fs = t->fs;
	bpf_probe_read_kernel(p, sizeof(p), &file->f_path);
	bpf_probe_read_kernel(r, sizeof(r), &fs->root);
	c->root_d = r[0];
	c->root_m = r[1];
	c->amask = 0;
	ino = file->f_inode;
	v = bpf_inode_storage_get(&vcache, ino, 0, 0);
	if (!v)
		goto miss;
	s1 = *(volatile __u32 *)&v->seq;
	barrier();
	diff = (s1 & 1) | v->poison | (v->generation ^ g->cfg.generation) | (v->epoch ^ c->epoch) |
	       (v->dentry ^ p[0]) | (v->mnt ^ p[1]) | (v->root_d ^ r[0]) | (v->root_m ^ r[1]) |
	       (v->rseq ^ c->rseq) | (v->mseq ^ c->mseq) | (ino->i_nlink ^ 1) | (v->n ^ g->set->n);
	/* Bound: ENF_MAX_STACK governing policies. */
	for (i = 0; i < ENF_MAX_STACK; i++)
		if (i < g->set->n)
			diff |= v->ids[i] ^ g->set->ids[i];
	barrier();
	if (diff || *(volatile __u32 *)&v->seq != s1)
		goto miss;
	/* the checks and rule hits the walk would have counted */
	for (i = 0; i < ENF_MAX_STACK; i++) {
		if (i >= g->set->n)
			break;
		if ((v->amask >> i) & 1)
			enf_account(g->set->ids[i], ENF_HOOK_FILE, v->rules[i], 0, g->cfg.gen_bit);
	}
	count(ENF_CNT_VCACHE_HIT);
	return 1;
miss:
	/* before the decision, as the counters above: vc_fill compares */
	c->fsseq = vc_seq_read((void *)fs + bpf_core_field_offset(struct fs_struct, seq));
	c->ok = ((c->rseq | c->mseq | c->fsseq) & 1) ? 0 : 1;
	return 0;
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
 * and nothing it read changed while it ran.
 */
static __always_inline void vc_fill(struct gov *g, struct file *file)
{
	struct vc_scratch *c = &g->s->vc;
	struct task_struct *t;
	struct vcache_val *v;
	struct inode *ino;
	struct fs_struct *fs;
	__u64 p[2] = {}, r[2] = {}, pprev = 0;
	__u32 i;

	if (!c->ok)
		return;
	c->ok = 0;
	ino = file->f_inode;
	t = bpf_get_current_task_btf();
	fs = t->fs;
	bpf_probe_read_kernel(p, sizeof(p), &file->f_path);
	bpf_probe_read_kernel(r, sizeof(r), &fs->root);
	bpf_probe_read_kernel(&pprev, sizeof(pprev), &file->f_path.dentry->d_hash.pprev);
	if (!pprev || ino->i_nlink != 1 || r[0] != c->root_d || r[1] != c->root_m)
		return;
	if (vc_seq_read(&rename_lock) != c->rseq || vc_seq_read(&mount_lock) != c->mseq ||
	    vc_seq_read((void *)fs + bpf_core_field_offset(struct fs_struct, seq)) != c->fsseq)
		return;
	v = bpf_inode_storage_get(&vcache, ino, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!v || v->poison)
		return;
	bpf_spin_lock(&v->lock);
	*(volatile __u32 *)&v->seq = v->seq + 1;    /* odd: being written */
	barrier();
	v->generation = g->cfg.generation;
	v->epoch = c->epoch;
	v->dentry = p[0];
	v->mnt = p[1];
	v->root_d = c->root_d;
	v->root_m = c->root_m;
	v->rseq = c->rseq;
	v->mseq = c->mseq;
	v->n = g->set->n;
	v->amask = c->amask;
	/* Bound: ENF_MAX_STACK governing policies. */
	for (i = 0; i < ENF_MAX_STACK; i++) {
		v->ids[i] = g->set->ids[i];
		v->rules[i] = c->rules[i];
	}
	barrier();
	*(volatile __u32 *)&v->seq = v->seq + 1;    /* even again */
	bpf_spin_unlock(&v->lock);
	count(ENF_CNT_VCACHE_FILL);
}

#endif /* ENF_VCACHE_BPF_H */
