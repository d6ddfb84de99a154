// SPDX-License-Identifier: GPL-2.0
/*
 * file.bpf.c - file rules: opening a file (file_open, by path and inode),
 * and changing what a deny or readonly rule covers (path_* hooks: unlink,
 * rmdir, rename, link, truncate, chmod, chown, new names in a protected
 * directory; metadata: extended attributes such as security.capability,
 * POSIX ACLs, times and other attributes through setattr).  Also the inode
 * walk (enf_walk) that exec rules share.
 */
#define ENF_VCACHE_READS 1      /* the verdict cache's sequence reads (vcache.bpf.h) */
#include "path.bpf.h"
#include "cgroup.bpf.h"
#include "confine.bpf.h"
#include <bpf/bpf_tracing.h>

#define FMODE_READ 0x1
#define FMODE_WRITE 0x2
#define FMODE_CREATED 0x100000
#define O_TRUNC 01000
#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE 2
#endif
#define PROC_SUPER_MAGIC 0x9fa0

#define BINFMTFS_MAGIC 0x42494e4d

/*
 * Is this proc inode (pi: its struct proc_inode) a file of one of
 * enforcerd's threads?  Its struct pid's task, by thread group.  Writing
 * enforcerd's oom_score_adj (1000: the OOM killer's first pick, then a
 * memory hog), comm, timerslack_ns, mem ... is tampering with it: no
 * task_* hook sees those writes.
 */
static __always_inline int proc_of_daemon(void *pi)
{
	struct hlist_node *first = NULL;
	struct pid *pid = NULL;
	__u32 tgid = 0;

	if (!enf_daemon_tgid)
		return 0;
	bpf_probe_read_kernel(&pid, sizeof(pid), pi + bpf_core_field_offset(struct proc_inode, pid));
	if (!pid)
		return 0;
	first = BPF_CORE_READ(pid, tasks[0].first);    /* PIDTYPE_PID */
	if (!first)
		return 0;
	bpf_probe_read_kernel(&tgid, sizeof(tgid),
			      (void *)first - bpf_core_field_offset(struct task_struct, pid_links) +
			      bpf_core_field_offset(struct task_struct, tgid));
	return tgid == enf_daemon_tgid;
}

/*
 * Is this proc inode /proc/sysrq-trigger?  A write there runs any SysRq
 * for whoever may open it, whatever kernel.sysrq says: reboot or power
 * off the host (no CAP_SYS_BOOT asked), SIGKILL every process (enforcerd
 * too), an OOM kill.  By its proc_dir_entry: "sysrq-trigger" under
 * /proc's root entry (whose parent is itself).
 */
static __always_inline int proc_sysrq(void *pi)
{
	struct proc_dir_entry *pde = NULL, *parent;
	__u64 w[2] = {};

	bpf_probe_read_kernel(&pde, sizeof(pde), pi + bpf_core_field_offset(struct proc_inode, pde));
	if (!pde || BPF_CORE_READ(pde, namelen) != 13)
		return 0;
	parent = BPF_CORE_READ(pde, parent);
	if (!parent || BPF_CORE_READ(parent, parent) != parent)
		return 0;
	bpf_probe_read_kernel(w, 14, BPF_CORE_READ(pde, name));
	return w[0] == 0x72742d7172737973ULL && w[1] == 0x7265676769ULL;     /* "sysrq-trigger" */
}

/*
 * A write to /proc/sys (core_pattern, modprobe, ...: usermode helpers run
 * outside every cgroup policy) or to /proc/sysrq-trigger needs
 * CAP_SYS_ADMIN from the policies.
 * Recognised by the inode (a proc inode with a sysctl table), whatever
 * path or mount reached it.  So does a write to binfmt_misc (mounted on
 * /proc/sys/fs/binfmt_misc): a handler registered there runs for every
 * process on the host that execs a matching file, and writes to `status`
 * or a handler's file turn handlers off or remove them.
 */
static __always_inline int check_sysctl_write(struct file *file)
{
	struct inode *ino = BPF_CORE_READ(file, f_inode);
	struct ctl_table_header *sysctl = NULL;
	unsigned long magic = BPF_CORE_READ(ino, i_sb, s_magic);
	struct gov g;

	/* one call of check_privilege (inlined: a second copy put enf_file_open
	 * over the verifier's 1M instructions) */
	if (magic != BINFMTFS_MAGIC) {
		void *pi = (void *)ino - bpf_core_field_offset(struct proc_inode, vfs_inode);

		if (magic != PROC_SUPER_MAGIC)
			return 0;
		bpf_probe_read_kernel(&sysctl, sizeof(sysctl),
				      pi + bpf_core_field_offset(struct proc_inode, sysctl));
		if (!sysctl) {
			/* a file of a process: /proc/PID/... or .../task/TID/... */
			if (proc_of_daemon(pi)) {
				if (govern(&g) == GOV_NONE || !confined(&g.cfg, g.set))
					return 0;
				return deny_tamper(&g.cfg, g.set, ENF_ACC_WRITE, ENF_OP_TAMPER);
			}
			if (!proc_sysrq(pi))
				return 0;
		}
	}
	if (govern(&g) == GOV_NONE)
		return 0;
	return check_privilege(&g, ENF_CAP_SYS_ADMIN, 1, ENF_OP_SYSCTL, BPF_CORE_READ(file, f_path.dentry));
}

/*
 * An open for writing of a cgroup's cgroup.procs (a move) or of enforcerd's
 * cgroup's files (len: the file's path length in this CPU's scratch), and
 * of /proc/sys, binfmt_misc and enforcerd's /proc/PID files.  Global functions (file as a number):
 * verified once, apart from enf_file_open's own checks, which keeps that
 * program's size and its stack (512 bytes for a chain of calls) small.
 */
__noinline int enf_cgroup_write(__u64 file, long len)
{
	return check_cgroup_move((struct file *)file, len) ? -EPERM : 0;
}

__noinline int enf_sysctl_write(__u64 file)
{
	return check_sysctl_write((struct file *)file) ? -EPERM : 0;
}

/* The verdict cache's sequence reads for the other objects (exec.bpf.c;
 * vcache.bpf.h): odd, "changing", without the seqlocks. */
__noinline __u64 enf_vc_rmseq(void)
{
	if (!VC_LOCKS())
		return 1 | 1ULL << 32;
	return VC_RMSEQ();
}

__noinline __u32 enf_vc_fsseq(void)
{
	struct task_struct *t = bpf_get_current_task_btf();

	return VC_FSSEQ(t->fs);
}

/* dentry->d_flags: found through a file handle, not (yet) connected to
 * its parents: no walk from it reaches the root (include/linux/dcache.h). */
#define ENF_DCACHE_DISCONNECTED 0x20

/* An inode walk in progress. */
struct walk_ctx {
	__u64 d;                        /* the dentry to look at */
	__u64 d0;                       /* the one the walk started at */
	struct enf_inode_key k;
	__u32 self_any;
	__u32 lvl;
	int state;                      /* enum match_state once decided; -1 before;
					 * WALK_PATTERNS: walk_cb stopped at an anchor */
	struct rule_match m;            /* WALK_PATTERNS: m.rule_id is the anchor's
					 * pat | npat << 16 */
};

/* walk_ctx.self_any: bit 0 as given; WALK_PAT_DONE: d's patterns were
 * matched, none did (a bit here: enf_walk's frame has no room for more);
 * WALK_NO_PROGS: enf_walk's ENF_WALK_NO_PROGS (kept up the walk) */
#define WALK_PAT_DONE 2
#define WALK_NO_PROGS 4
#define WALK_SAME_DIR 8 /* ENF_WALK_SAME_DIR (kept up the walk) */

/* enf_pat_match's ref from an anchor's entry and the walk's flags */
#define PAT_REF(v, sa) ((v)->pat | ((__u32)(v)->npat << 16) | PAT_REF_FLAGS(sa))
#define PAT_REF_FLAGS(sa) ((((sa) & 1) ? PAT_SELF_ANY : 0) | (((sa) & WALK_NO_PROGS) ? PAT_NO_PROGS : 0) | \
			   (((sa) & WALK_SAME_DIR) ? PAT_SAME_DIR : 0))

#define WALK_PATTERNS (-2)

/* Look at one dentry and step to its parent.  Returns 1 once decided.
 * pats (a constant): 1 match the glob patterns anchored at the directories
 * met; 2 stop at such a directory (WALK_PATTERNS: walk_cb, whose frame
 * would put the matcher's chain of calls over 512 bytes of stack: enf_walk
 * matches them, then resumes); 0 ignore them (enf_walk_near, deep in a
 * call chain: rules with a program condition, whose patterns sit with
 * the others at their anchors). */
static __always_inline long walk_step_p(struct walk_ctx *w, const int pats)
{
	/* plain loads where the kernel has bpf_rdonly_cast (kread.bpf.h),
	 * probe reads elsewhere */
	__u64 ino = KR_READ(struct dentry, w->d, d_inode);
	struct enf_inode_val *v;
	__u64 parent;

	if (ino) {
		/* read once a walk: d_parent never leaves the superblock (d_alloc
		 * gives a dentry its parent's d_sb), and its inodes are that
		 * file system's: two reads fewer per level */
		if (!w->k.dev)
			w->k.dev = KR_READ2(struct inode, ino, i_sb, s_dev);
		w->k.ino = KR_READ(struct inode, ino, i_ino);
		v = bpf_map_lookup_elem(&inode_rules, &w->k);
		if (v) {
			w->m.rule_id = v->rule_id;
			w->m.cond = v->cond;
			w->m.rights = v->rights;
			w->m.plen = v->plen;
			if (w->lvl == 0 && (w->self_any & 1) && (v->flags & ENF_INO_ANCESTOR)) {
				w->m.verdict = ENF_DENY;
				w->m.plen = 255;
				w->state = MATCH_RULE;
				return 1;
			}
			/* patterns below this directory: more specific than its
			 * own rule (and the rules above), less than any rule below */
			if (pats == 2 && (v->flags & ENF_INO_PATTERNS) && !(w->self_any & WALK_PAT_DONE)) {
				w->m.rule_id = PAT_REF(v, w->self_any);
				w->state = WALK_PATTERNS;
				return 1;
			}
			if (pats == 1 && (v->flags & ENF_INO_PATTERNS)) {
				/* writes w->m only when it returns 1 */
				int r = enf_pat_match(w->d0, w->lvl, PAT_REF_TAG(PAT_REF(v, w->self_any), w->k.tag),
						      &w->m);

				if (r) {
					w->state = r < 0 ? MATCH_BOUND : MATCH_RULE;
					return 1;
				}
			}
			if ((v->flags & ENF_INO_DIR_RULE) ||
			    (w->lvl == 0 && (v->flags & ENF_INO_FILE_RULE))) {
				w->m.verdict = v->verdict;
				w->state = MATCH_RULE;
				return 1;
			}
		}
	}
	parent = KR_READ(struct dentry, w->d, d_parent);
	if (!parent || parent == w->d) {
		/* the top: the file system's root, or a dentry a file handle
		 * left disconnected, whose directories are unknown: it cannot
		 * prove that no rule above it applies */
		w->state = KR_READ(struct dentry, w->d, d_flags) & ENF_DCACHE_DISCONNECTED ? MATCH_BOUND
											  : MATCH_NONE;
		return 1;
	}
	w->d = parent;
	w->lvl++;
	w->self_any &= 1 | WALK_NO_PROGS | WALK_SAME_DIR;
	return 0;
}

static __always_inline long walk_step(struct walk_ctx *w)
{
	return walk_step_p(w, 1);
}

static long walk_cb(__u32 i, void *ctx)
{
	return walk_step_p(ctx, 2);
}

#define ENF_PAT_RESUME 4        /* anchors met beyond the inline levels */

#define ENF_WALK_INLINE 16

__noinline int enf_walk(__u64 d, __u32 tag, __u32 self_any, struct rule_match *m)
{
	struct walk_ctx w = { .d = d, .d0 = d, .k = { .tag = tag },
			      .self_any = !!(self_any & ~(ENF_WALK_NO_PROGS | ENF_WALK_SAME_DIR)) |
					  ((self_any & ENF_WALK_NO_PROGS) ? WALK_NO_PROGS : 0) |
					  ((self_any & ENF_WALK_SAME_DIR) ? WALK_SAME_DIR : 0),
			      .state = -1 };
	int lvl;

	if (!m)
		return MATCH_BOUND;
	/* Bound: ENF_WALK_INLINE directory levels inline, the common case
	 * (the verifier checks each inlined level, in every program that
	 * reaches enf_walk: 64 of them made loading slow). */
	for (lvl = 0; lvl < ENF_WALK_INLINE; lvl++)
		if (walk_step(&w))
			break;
	/* Bound: ENF_MAX_WALK_LONG more levels (deep trees), stopping at up to
	 * ENF_PAT_RESUME directories with patterns (more: fail closed) */
	for (lvl = 0; lvl < ENF_PAT_RESUME && w.state < 0; lvl++) {
		int r;

		bpf_loop(ENF_MAX_WALK_LONG, walk_cb, &w, 0);
		if (w.state != WALK_PATTERNS)
			break;
		r = enf_pat_match(w.d0, w.lvl, PAT_REF_TAG(w.m.rule_id, w.k.tag), &w.m);
		if (r) {
			w.state = r < 0 ? MATCH_BOUND : MATCH_RULE;
			break;
		}
		w.state = -1;
		w.self_any |= WALK_PAT_DONE;    /* on to the anchor's own rule, then up */
	}
	if (w.state < 0)
		return MATCH_BOUND;
	*m = w.m;
	return w.state;
}

/*
 * The exact-path key of the path in the scratch key (check_path set
 * exact_len): the bytes after its NUL zeroed up to ENF_EXACT_PATH (bpf_d_path
 * leaves what was there), then one lookup.  Its hit is the longest match
 * path_rules could give (enforcer_abi.h, enf_exact_key).
 */
#define EXACT_WORDS ((ENF_EXACT_PATH + 7) / 8)
_Static_assert(__builtin_offsetof(struct enf_path_key, path) % 8 == 0, "the path is zeroed by 8-byte words");
_Static_assert(EXACT_WORDS * 8 <= ENF_PATH_KEY_MAX, "the zeroed words stay in the key's path");
static __always_inline struct enf_path_val *exact_lookup(struct scratch *s)
{
	__u32 len = s->exact_len;
	int i;

	if (!len || len > ENF_EXACT_PATH)
		return NULL;
#pragma unroll
	for (i = 0; i < EXACT_WORDS; i++) {
		__u64 *w = (__u64 *)(s->key.path + i * 8);

		if (len <= i * 8)
			*w = 0;
		else if (len < i * 8 + 8)
			*w &= (1ULL << ((len - i * 8) * 8)) - 1;    /* little endian: the bytes before */
	}
	return bpf_map_lookup_elem(&path_exact, &s->key.tag);
}

__noinline int enf_path_decide(__u64 dent, __u32 args, struct path_decision *out)
{
	struct dentry *dd = (struct dentry *)dent;
	__u8 how = args & 1, access = (args >> 1) & 7, deflt = (args >> 4) & 0xf;
	__u8 need = (args >> 8) & 0xff, progs = (args >> 16) & 0xff, hook = (args >> 24) & 3;
	struct rule_match m;
	struct enf_path_val *pv;
	struct scratch *s;
	__u32 zero = 0;
	__u8 verdict, plen;
	int owner = -1;
	int st, denied;
	__u32 tag;

	if (!out)
		return -1;
	s = bpf_map_lookup_elem(&scratch_map, &zero);
	if (!s)
		return -1;
	tag = s->key.tag;
	s->key.tag = enf_path_tag(tag);
	pv = exact_lookup(s);
	if (!pv)
		pv = bpf_map_lookup_elem(&path_rules, &s->key);
	s->key.tag = tag;
	/* by inode: check_path's enf_walk */
	st = (args >> 26) & 3;
	m = *(struct rule_match *)&s->prog[PROG_WALK];
	if (st == MATCH_BOUND)
		return -1;
	out->cond = 0;
	out->right = 0;
	out->skip = 0;
	out->weighed = 0;
	if (pv) {
		out->weighed = pv->cond;
		verdict = cond_verdict(pv->verdict, pv->cond, dd, &owner);
		out->rule_id = pv->rule_id;
		plen = pv->plen;
		if (verdict != pv->verdict)
			out->cond = pv->cond;
	} else if (how == CHECK_EXPLICIT && st == MATCH_NONE) {
		out->skip = 1;
		return 0;
	} else {
		verdict = how == CHECK_EXPLICIT ? ENF_ALLOW : deflt;
		out->rule_id = ENF_RULE_DEFAULT;
		plen = 0;
	}
	if (st == MATCH_RULE) {
		__u8 mv = cond_verdict(m.verdict, m.cond, dd, &owner);

		out->weighed |= m.cond;

		/* a pattern overrides the rule of its own directory (or above)
		 * that the path lookup found; any other, the stricter */
		int over = (m.rights & RM_PATTERN) &&
			   (pv ? pv->rule_id : ENF_RULE_DEFAULT) == (__u32)s->prog[PROG_COVER];

		if (over || stricter(mv, verdict) != verdict) {
			if (over)
				pv = NULL;      /* its rights too */
			verdict = mv;
			out->rule_id = m.rule_id;
			/* a pattern's program condition, met, decided */
			out->cond = mv != m.verdict ? m.cond : m.cond & ENF_COND_PROGS;
			plen = m.plen;
		}
	}
	/* rules with a program condition the task meets (check_path's call
	 * of enf_prog_rules left the best in the scratch): the more specific
	 * path wins, theirs at equal length */
	if ((progs >> hook) & 1) {
		struct rule_match *em = (struct rule_match *)&s->prog[PROG_OUT];
		__u64 es = s->prog[PROG_STATE];

		if (es == MATCH_BOUND)
			return -1;
		if (es == MATCH_RULE && em->plen >= plen) {
			verdict = em->verdict;
			out->rule_id = em->rule_id;
			out->cond = em->cond;
			pv = NULL;
			st = MATCH_RULE;
			m = *em;
		}
	}
	if (how == CHECK_EXPLICIT && verdict != ENF_DENY) {
		out->skip = 1;
		return 0;
	}
	denied = verdict == ENF_DENY || (verdict == ENF_READONLY && access == ENF_ACC_WRITE);
	/* a right the rule denies on its own (allow = P read: no write) */
	if (!denied && need) {
		__u8 r = 0;

		if (pv && (r = pv->rights & need)) {
			out->rule_id = pv->rule_id;
		} else if (st == MATCH_RULE && (r = m.rights & need)) {
			out->rule_id = m.rule_id;
		}
		if (r) {
			denied = 1;
			out->cond = 0;
			out->right = r & -r;
		}
	}
	return denied;
}

/* enf_walk without its bpf_loop tail: ENF_MAX_WALK levels, MATCH_BOUND
 * beyond.  For callers deep in a call chain (prog.bpf.c): bpf_loop's
 * callback is one more frame of the 512-byte stack the chain shares. */
__noinline int enf_walk_near(__u64 d, __u32 tag, __u32 self_any, struct rule_match *m)
{
	struct walk_ctx w = { .d = d, .d0 = d, .k = { .tag = tag }, .self_any = !!self_any, .state = -1 };
	int lvl;

	if (!m)
		return MATCH_BOUND;
	/* Bound: ENF_MAX_WALK directory levels. */
	for (lvl = 0; lvl < ENF_MAX_WALK; lvl++)
		if (walk_step_p(&w, 0))
			break;
	if (w.state < 0)
		return MATCH_BOUND;
	*m = w.m;
	return w.state;
}

__noinline int enf_self_protect(const struct enf_config *cfg, __u32 policy_id, __u64 dent,
				__u32 self_any, __u32 op)
{
	struct dentry *d = (struct dentry *)dent;
	struct rule_match m = {};
	enum match_state st;
	struct scratch *s;
	__u32 zero = 0;

	if (!cfg)
		return -EPERM;
	st = enf_walk(dent, ENF_TAG(cfg->gen_bit, ENF_KIND_SELF, 0), self_any, &m);
	if (st == MATCH_NONE || (st == MATCH_RULE && m.verdict == ENF_ALLOW))
		return 0;
	if (st == MATCH_BOUND)
		return fail_closed(cfg, ENF_HOOK_FILE, ENF_ACC_WRITE, op);
	s = bpf_map_lookup_elem(&scratch_map, &zero);
	{
		struct verdict_ctx v = {
			.policy_id = policy_id, .rule_id = ENF_RULE_SELF, .hook = ENF_HOOK_FILE,
			.action = ENF_ACTION_DENY, .access = ENF_ACC_WRITE, .op = op,
			.flags = ENF_EV_NAME_ONLY,
		};
		long len = s ? bpf_probe_read_kernel_str(s->key.path, ENF_EVENT_PATH,
							 BPF_CORE_READ(d, d_name.name)) : 0;

		count(ENF_CNT_TAMPER);
		emit(cfg, &v, s, len);
	}
	return -EPERM;
}

SEC("lsm/file_open")
int BPF_PROG(enf_file_open, struct file *file_arg, int ret)
{
	__u8 access = ENF_ACC_READ, need = 0;
	struct file *vcf = NULL, *file;
	struct task_struct *task;
	__u64 gen, cgid;
	struct gov g;
	int prev;

	/* an ungoverned task leaves here: every check below is for governed
	 * tasks only (cgroup moves, enforcerd's cgroup, /proc/sys).  It
	 * returns ret as it came, 0 or not, without a test of its own; a
	 * governed one stops at a nonzero ret too.  ret is its low 32 bits,
	 * one narrow load (not a 64-bit load and a zero-extension: this is on
	 * every open of every task), returned as it is (an int: those 32 bits
	 * are all of it), loaded on each way out: straight into the return
	 * register, nothing kept across the helper call but ctx */
	if (!gov_test(&gen, &cgid, &task))
		return *(volatile __u32 *)&ctx[1];
	prev = *(volatile __u32 *)&ctx[1];
	if (prev)
		return prev;
	/* the file (ctx[0]) read here, not at entry: an ungoverned open neither
	 * loads it nor keeps it on the stack across the helper call */
	file = *(struct file *volatile *)&ctx[0];
	/* a read-only open (no write, creation or truncation): the verdict
	 * cache first, before anything else is computed (vcache.bpf.h).  The
	 * generation and the cgroup id stay in registers for the hit: g (on
	 * the stack, its address goes to the functions of a miss) is written
	 * after it (gov_set, what gov_prefix_task stores) */
	if ((file->f_mode & (FMODE_READ | FMODE_WRITE | FMODE_CREATED)) == FMODE_READ &&
	    !(file->f_flags & O_TRUNC)) {
		struct vc_read rd;
		int r;

		if (vc_hit(gen, cgid, file, task, VC_OPEN, &rd)) {
			/* allow, leaving from here: the compiler would join this
			 * return to the others (a move of 0 into the register
			 * they share, two jumps and a move) */
			asm volatile("r0 = 0\n\texit" ::: "memory");
			__builtin_unreachable();
		}
		gov_set(&g, gen, cgid);
		r = vc_miss(&g, task, &rd);
		if (!r)
			vcf = file;     /* cacheable: vc_fill after an allow */
	} else {
		gov_set(&g, gen, cgid);
	}
	/* Writing, truncating or creating all change what readonly protects. */
	if ((file->f_mode & (FMODE_WRITE | FMODE_CREATED)) || (file->f_flags & O_TRUNC))
		access = ENF_ACC_WRITE;
	/* the rights a rule can deny on their own */
	if (file->f_mode & FMODE_READ)
		need |= ENF_RIGHT_READ;
	if (file->f_mode & FMODE_WRITE)
		need |= ENF_RIGHT_WRITE;
	if ((file->f_flags & O_TRUNC) && !(file->f_mode & FMODE_CREATED))
		need |= ENF_RIGHT_TRUNCATE;     /* a file just created is not truncated */
	if (file->f_mode & FMODE_CREATED)
		need |= ENF_RIGHT_CREATE;
	if (access == ENF_ACC_WRITE) {
		__u64 f = 0;
		long len = 0;

		/* a cgroup.procs move's audit line names the file: d_path here,
		 * where the path is a trusted pointer */
		if (BPF_CORE_READ(file, f_path.dentry, d_sb, s_magic) == CGROUP2_SUPER_MAGIC) {
			__u32 zero = 0;
			struct scratch *s = bpf_map_lookup_elem(&scratch_map, &zero);

			if (s)
				len = bpf_d_path((struct path *)&file->f_path, s->key.path, ENF_PATH_BUF);
		}
		bpf_probe_read_kernel(&f, sizeof(f), &file);
		if (enf_cgroup_write(f, len) || enf_sysctl_write(f))
			return -EPERM;
	}
	return check_path_gov(&g, &file->f_path, ENF_HOOK_FILE, ENF_KIND_FILE, access, need, ENF_OP_OPEN,
			      CHECK_DEFAULT, vcf);
}

/* enf_mutation_policy's flags: self_any | op << 8 | need << 16; self_any
 * 1, or MUT_SAME_DIR | 1: the victim renamed within its own directory */
#define MUT_SAME_DIR 2
#define MUT_FLAGS(self_any, op, need) ((self_any) | ((__u32)(op) << 8) | ((__u32)(need) << 16))

/*
 * One governing policy's verdict on a mutation: 0 it allows, 1 it denies
 * (the record is written), 2 fail closed.  A global function: the verifier
 * checks it once per program, not at each of mutation()'s ENF_MAX_STACK
 * iterations (inlined there, the mutation hooks were the slowest programs
 * to load: 175,000 to 240,000 processed instructions each on 6.1).
 */
__noinline int enf_mutation_policy(__u64 generation, __u32 pol_id, __u64 victim, __u64 named,
				   __u32 flags)
{
	struct enf_config cfg = { .generation = generation, .gen_bit = generation & 1 };
	__u32 self_any = flags & 0xff, zero = 0;
	__u8 op = flags >> 8, need = flags >> 16;
	const struct enf_policy *pol = policy_get(&cfg, pol_id);
	struct scratch *s = bpf_map_lookup_elem(&scratch_map, &zero);
	struct rule_match m = {};
	struct verdict_ctx v = {};
	enum match_state st;
	int owner = -1;
	__u8 verdict;
	long len;

	if (!pol || !pol->used || !s)
		return 2;
	st = enf_walk(victim, ENF_TAG(cfg.gen_bit, ENF_KIND_FILE, pol_id),
		      (self_any & 1) | ((self_any & MUT_SAME_DIR) ? ENF_WALK_SAME_DIR : 0), &m);
	if (st == MATCH_BOUND)
		return 2;
	/* rules with a program condition the task meets (by identity):
	 * the more specific wins, theirs at equal length */
	if ((pol->prog_hooks >> ENF_HOOK_FILE) & 1) {
		struct rule_match em = {};
		int es = enf_prog_rules(victim, ENF_TAG(cfg.gen_bit, ENF_KIND_FILE, pol_id),
					pol->prog_hooks | (self_any ? PROG_SELF_ANY : 0) |
					PROG_HOOK(ENF_HOOK_FILE) |
					PROG_PLEN(st == MATCH_NONE ? 0 : m.plen), &em);

		if (es == MATCH_BOUND)
			return 2;
		if (es == MATCH_RULE) {
			st = MATCH_RULE;
			m = em;
		}
	}
	v.policy_id = pol_id;
	v.hook = ENF_HOOK_FILE;
	v.access = ENF_ACC_WRITE;
	v.op = op;
	if (st == MATCH_NONE) {
		verdict = pol->deflt[ENF_HOOK_FILE];
		v.rule_id = ENF_RULE_DEFAULT;
	} else {
		verdict = cond_verdict(m.verdict, m.cond, (struct dentry *)victim, &owner);
		v.rule_id = m.rule_id;
		v.cond = verdict != m.verdict ? m.cond : m.cond & ENF_COND_PROGS;
		/* a right the rule denies on its own (deny = P remove) */
		if (verdict == ENF_ALLOW && (m.rights & need)) {
			verdict = ENF_DENY;
			v.right = (m.rights & need) & -(m.rights & need);
		}
	}
	if (verdict == ENF_ALLOW)
		return 0;
	/* the victim's name only: no full path in these hooks on 6.1 */
	len = bpf_probe_read_kernel_str(s->key.path, ENF_EVENT_PATH,
					BPF_CORE_READ((struct dentry *)named, d_name.name));
	v.flags = ENF_EV_NAME_ONLY;
	return judge(&cfg, pol, &v, 1, s, len) ? 1 : 0;
}

/*
 * Renaming, linking, unlinking, truncating, chmod/chown of what a deny or
 * readonly file rule covers, or creating names in such a directory: denied
 * to governed tasks.  Judged by inode identity walking up the dentries, so
 * it works on every kernel (bpf_d_path is not allowed in path hooks on 6.1).
 * The audit line names `named` (the entry acted on; victim itself, or the
 * entry removed from the directory victim).
 */
static __always_inline int mutation(struct dentry *victim, struct dentry *named, __u32 self_any,
				    __u8 op, __u8 need)
{
	struct gov g;
	__u64 vd, nd;
	int i;

	if (!victim)
		return 0;
	switch (govern(&g)) {
	case GOV_NONE:
		return 0;
	case GOV_OVERFLOW:
		return fail_closed(&g.cfg, ENF_HOOK_FILE, ENF_ACC_WRITE, op);
	case GOV_POLICIES:
		break;
	}
	if (self_protect(&g, victim, self_any, op))
		return -EPERM;
	vd = dentry_arg(victim);
	nd = dentry_arg(named);

	/* Bound: ENF_MAX_STACK governing policies. */
	for (i = 0; i < ENF_MAX_STACK; i++) {
		struct gov_pol p = gov_policy(&g, i);
		int r;

		if (p.state == POL_END)
			break;
		if (p.state == POL_MISSING)
			return fail_closed(&g.cfg, ENF_HOOK_FILE, ENF_ACC_WRITE, op);
		if (!p.pol->active[ENF_HOOK_FILE])
			continue;
		r = enf_mutation_policy(g.cfg.generation, p.id, vd, nd, MUT_FLAGS(self_any, op, need));
		if (r == 2)
			return fail_closed(&g.cfg, ENF_HOOK_FILE, ENF_ACC_WRITE, op);
		if (r)
			return -EPERM;
	}
	return 0;
}

/*
 * mutation() as one global function: the verifier checks it once, not at
 * each of the hooks' call sites (rename calls it up to six times, past the
 * 6.1 verifier's budget when inlined).  Dentries pass as scalars (read
 * with probe reads only).  Returns nonzero to deny.
 */
__noinline int enf_mutation(__u64 victim, __u64 named, __u32 self_any, __u32 op, __u32 need)
{
	return mutation((struct dentry *)victim, (struct dentry *)named, self_any, (__u8)op,
			(__u8)need) ? 1 : 0;
}

static __always_inline int check_mutation_named(struct dentry *victim, struct dentry *named,
						__u32 self_any, __u8 op, __u8 need)
{
	if (!victim)
		return 0;
	return enf_mutation(dentry_arg(victim), dentry_arg(named), self_any, op, need) ? -EPERM : 0;
}

static __always_inline int check_mutation(struct dentry *victim, __u32 self_any, __u8 op,
					  __u8 need)
{
	return check_mutation_named(victim, victim, self_any, op, need);
}

/* The rights denied at dentry d by policy p's file rules (its default
 * where none applies), judged for the file `owned` (owner conditions);
 * -1 when a bound ran out.  *rule_id: the rule that applies. */
static __always_inline int rights_at(const struct gov *g, const struct gov_pol *p, struct dentry *d,
				     struct dentry *owned, int *owner, __u32 *rule_id)
{
	struct rule_match m = {};
	enum match_state st;

	/* refer: the rules without a program condition (their patterns too) */
	st = enf_walk(dentry_arg(d), ENF_TAG(g->cfg.gen_bit, ENF_KIND_FILE, p->id), ENF_WALK_NO_PROGS, &m);
	if (st == MATCH_BOUND)
		return -1;
	if (st == MATCH_NONE) {
		*rule_id = ENF_RULE_DEFAULT;
		return p->pol->deflt[ENF_HOOK_FILE] == ENF_DENY ? ENF_RIGHTS_ALL : 0;
	}
	*rule_id = m.rule_id;
	return denied_rights(cond_verdict(m.verdict, m.cond, owned, owner), m.rights);
}

/* The rights a file that is not a directory can gain by a move: create,
 * remove and refer are rights over a directory's entries (as Landlock's
 * MAKE_*, REMOVE_* and REFER, which a file move does not weigh). */
#define ENF_RIGHTS_NONDIR (ENF_RIGHT_READ | ENF_RIGHT_WRITE | ENF_RIGHT_TRUNCATE)
#define ENF_S_IFMT  00170000
#define ENF_S_IFDIR 0040000

/*
 * Moving or linking `moved` from its directory into another one, dst
 * (Landlock's REFER): neither directory's rules may deny `refer`, and the
 * file may not gain a right there that its old directory denied (dst
 * denies at least what the source did; for anything but a directory only
 * read, write and truncate count).  Without rights written in the rules,
 * the removal and creation checks have decided already.
 */
static __always_inline int refer(struct dentry *moved, struct dentry *dst, __u8 op)
{
	struct dentry *src;
	struct gov g;
	int owner = -1;
	__u16 mode;
	long len;
	int i;

	if (!moved || !dst)
		return 0;
	src = BPF_CORE_READ(moved, d_parent);
	if (src == dst)
		return 0;
	mode = BPF_CORE_READ(moved, d_inode, i_mode);
	switch (govern(&g)) {
	case GOV_NONE:
		return 0;
	case GOV_OVERFLOW:
		return fail_closed(&g.cfg, ENF_HOOK_FILE, ENF_ACC_WRITE, op);
	case GOV_POLICIES:
		break;
	}
	/* Every right for a directory, and for a mode it cannot read (0).
	 * In the scratch map, not a register: two constants carried through
	 * the loop made enf_rename's verification 30% longer. */
	g.s->refer_gain = ENF_RIGHTS_ALL;
	if (mode && (mode & ENF_S_IFMT) != ENF_S_IFDIR)
		g.s->refer_gain = ENF_RIGHTS_NONDIR;
	/* Bound: ENF_MAX_STACK governing policies. */
	for (i = 0; i < ENF_MAX_STACK; i++) {
		struct gov_pol p = gov_policy(&g, i);
		struct verdict_ctx v = {};
		__u32 src_rule = 0, dst_rule = 0;
		int ds, dd;

		if (p.state == POL_END)
			break;
		if (p.state == POL_MISSING)
			return fail_closed(&g.cfg, ENF_HOOK_FILE, ENF_ACC_WRITE, op);
		if (!p.pol->active[ENF_HOOK_FILE])
			continue;
		ds = rights_at(&g, &p, src, moved, &owner, &src_rule);
		dd = rights_at(&g, &p, dst, moved, &owner, &dst_rule);
		if (ds < 0 || dd < 0)
			return fail_closed(&g.cfg, ENF_HOOK_FILE, ENF_ACC_WRITE, op);
		if (!((ds | dd) & ENF_RIGHT_REFER) && !(ds & ~dd & g.s->refer_gain))
			continue;
		v.policy_id = p.id;
		v.hook = ENF_HOOK_FILE;
		v.access = ENF_ACC_WRITE;
		v.op = op;
		v.right = ENF_RIGHT_REFER;
		v.rule_id = (dd & ENF_RIGHT_REFER) ? dst_rule : src_rule;
		v.flags = ENF_EV_NAME_ONLY;
		len = bpf_probe_read_kernel_str(g.s->key.path, ENF_EVENT_PATH,
						BPF_CORE_READ(moved, d_name.name));
		if (judge(&g.cfg, p.pol, &v, 1, g.s, len))
			return -EPERM;
	}
	return 0;
}

/* refer() as one global function (see enf_mutation); nonzero denies. */
__noinline int enf_refer(__u64 moved, __u64 dst, __u32 op)
{
	return refer((struct dentry *)moved, (struct dentry *)dst, (__u8)op) ? 1 : 0;
}

static __always_inline int check_refer(struct dentry *moved, struct dentry *dst, __u8 op)
{
	if (!moved || !dst)
		return 0;
	return enf_refer(dentry_arg(moved), dentry_arg(dst), op) ? -EPERM : 0;
}

/*
 * Removing an entry (unlink, rmdir, rename away or over it) is a write to
 * the directory holding it (Landlock's semantics): the entry's own rules
 * (a protected file or directory, or one above a protected rule), then the
 * rules of its parent directory.  So with readonly = /lr/ and allow =
 * /lr/a/b/, b itself cannot be removed or renamed, while entries of b can.
 */
static __always_inline int check_removal(struct dentry *victim, __u8 op, __u32 same_dir)
{
	int ret = check_mutation(victim, 1 | same_dir, op, ENF_RIGHT_REMOVE);

	if (!ret && victim)
		ret = check_mutation_named(BPF_CORE_READ(victim, d_parent), victim, 0, op,
					   ENF_RIGHT_REMOVE);
	return ret;
}

SEC("lsm/path_unlink")
int BPF_PROG(enf_unlink, const struct path *dir, struct dentry *dentry, int ret)
{
	return ret ? ret : check_removal(dentry, ENF_OP_UNLINK, 0);
}

SEC("lsm/path_rmdir")
int BPF_PROG(enf_rmdir, const struct path *dir, struct dentry *dentry, int ret)
{
	return ret ? ret : check_removal(dentry, ENF_OP_RMDIR, 0);
}

/* MUT_SAME_DIR when a rename's two directories are one */
#define SAME_DIR(od, nd) \
	(BPF_CORE_READ(od, dentry) == BPF_CORE_READ(nd, dentry) ? MUT_SAME_DIR : 0)

SEC("lsm/path_rename")
int BPF_PROG(enf_rename, const struct path *old_dir, struct dentry *old_dentry,
	     const struct path *new_dir, struct dentry *new_dentry, unsigned int flags, int ret)
{
	if (ret)
		return ret;
	/* within one directory: a name-only pattern's anchor lets a directory
	 * below it be renamed (ENF_PAT_NAME_ONLY) */
	ret = check_removal(old_dentry, ENF_OP_RENAME, SAME_DIR(old_dir, new_dir));
	if (!ret && BPF_CORE_READ(new_dentry, d_inode))     /* replacing (or exchanging) a file */
		ret = check_removal(new_dentry, ENF_OP_RENAME, SAME_DIR(old_dir, new_dir));
	if (!ret)                                           /* moving into a protected directory */
		ret = check_mutation(BPF_CORE_READ(new_dir, dentry), 0, ENF_OP_RENAME,
				     ENF_RIGHT_CREATE);
	if (!ret)                                           /* to another directory */
		ret = check_refer(old_dentry, BPF_CORE_READ(new_dir, dentry), ENF_OP_RENAME);
	if (!ret && (flags & RENAME_EXCHANGE)) {            /* and the other way */
		ret = check_mutation(BPF_CORE_READ(old_dir, dentry), 0, ENF_OP_RENAME,
				     ENF_RIGHT_CREATE);
		if (!ret)
			ret = check_refer(new_dentry, BPF_CORE_READ(old_dir, dentry), ENF_OP_RENAME);
	}
	return ret;
}

SEC("lsm/path_link")
int BPF_PROG(enf_link, struct dentry *old_dentry, const struct path *new_dir,
	     struct dentry *new_dentry, int ret)
{
	if (ret)
		return ret;
	ret = check_mutation(old_dentry, 1, ENF_OP_LINK, 0);
	if (!ret)
		ret = check_mutation(BPF_CORE_READ(new_dir, dentry), 0, ENF_OP_LINK, ENF_RIGHT_CREATE);
	if (!ret)
		ret = check_refer(old_dentry, BPF_CORE_READ(new_dir, dentry), ENF_OP_LINK);
	return ret;
}

SEC("lsm/path_truncate")
int BPF_PROG(enf_truncate, const struct path *path, int ret)
{
	return ret ? ret : check_mutation(BPF_CORE_READ(path, dentry), 0, ENF_OP_TRUNCATE,
						   ENF_RIGHT_TRUNCATE);
}

SEC("lsm/path_chmod")
int BPF_PROG(enf_chmod, const struct path *path, umode_t mode, int ret)
{
	return ret ? ret : check_mutation(BPF_CORE_READ(path, dentry), 0, ENF_OP_CHMOD,
						   ENF_RIGHT_WRITE);
}

SEC("lsm/path_chown")
int BPF_PROG(enf_chown, const struct path *path, __u64 uid, __u64 gid, int ret)
{
	return ret ? ret : check_mutation(BPF_CORE_READ(path, dentry), 0, ENF_OP_CHOWN,
						   ENF_RIGHT_WRITE);
}

/* New names in a protected directory: O_CREAT files, mknod, mkdir, symlink. */
SEC("lsm/path_mknod")
int BPF_PROG(enf_mknod, const struct path *dir, struct dentry *dentry, umode_t mode,
	     unsigned int dev, int ret)
{
	return ret ? ret : check_mutation(BPF_CORE_READ(dir, dentry), 0, ENF_OP_CREATE,
						   ENF_RIGHT_CREATE);
}

SEC("lsm/path_mkdir")
int BPF_PROG(enf_mkdir, const struct path *dir, struct dentry *dentry, umode_t mode, int ret)
{
	return ret ? ret : check_mutation(BPF_CORE_READ(dir, dentry), 0, ENF_OP_CREATE,
						   ENF_RIGHT_CREATE);
}

SEC("lsm/path_symlink")
int BPF_PROG(enf_symlink, const struct path *dir, struct dentry *dentry, const char *old_name,
	     int ret)
{
	return ret ? ret : check_mutation(BPF_CORE_READ(dir, dentry), 0, ENF_OP_CREATE,
						   ENF_RIGHT_CREATE);
}

/* Metadata of what a deny or readonly rule covers: extended attributes
 * (security.capability would give a binary privileges), POSIX ACLs (their
 * own hooks from 6.2), times, mode, ownership. */
SEC("lsm/inode_setxattr")
int BPF_PROG(enf_setxattr, void *idmap, struct dentry *dentry, const char *name,
	     const void *value, size_t size, int flags, int ret)
{
	return ret ? ret : check_mutation(dentry, 0, ENF_OP_XATTR, ENF_RIGHT_WRITE);
}

SEC("lsm/inode_removexattr")
int BPF_PROG(enf_removexattr, void *idmap, struct dentry *dentry, const char *name, int ret)
{
	return ret ? ret : check_mutation(dentry, 0, ENF_OP_XATTR, ENF_RIGHT_WRITE);
}

/* 6.2+ only: the daemon loads them where the kernel has the hooks. */
SEC("lsm/inode_set_acl")
int BPF_PROG(enf_set_acl, void *idmap, struct dentry *dentry, const char *acl_name, void *kacl,
	     int ret)
{
	return ret ? ret : check_mutation(dentry, 0, ENF_OP_XATTR, ENF_RIGHT_WRITE);
}

SEC("lsm/inode_remove_acl")
int BPF_PROG(enf_remove_acl, void *idmap, struct dentry *dentry, const char *acl_name, int ret)
{
	return ret ? ret : check_mutation(dentry, 0, ENF_OP_XATTR, ENF_RIGHT_WRITE);
}

#define ENF_ATTR_SIZE 8   /* include/linux/fs.h */
/* A size change is a truncation; times, mode, owner are writes. */
static __always_inline __u8 setattr_right(struct iattr *attr)
{
	return BPF_CORE_READ(attr, ia_valid) & ENF_ATTR_SIZE ? ENF_RIGHT_TRUNCATE : ENF_RIGHT_WRITE;
}

/* inode_setattr gained a leading idmap argument (6.3): two variants, the
 * daemon loads the one that matches the running kernel. */
SEC("lsm/inode_setattr")
int BPF_PROG(enf_setattr, void *idmap, struct dentry *dentry, struct iattr *attr, int ret)
{
	return ret ? ret : check_mutation(dentry, 0, ENF_OP_SETATTR, setattr_right(attr));
}

SEC("lsm/inode_setattr")
int BPF_PROG(enf_setattr_old, struct dentry *dentry, struct iattr *attr, int ret)
{
	return ret ? ret : check_mutation(dentry, 0, ENF_OP_SETATTR, setattr_right(attr));
}

/*
 * The verdict cache (vcache.bpf.h): a new name for an inode, or one of its
 * names going (any task, governed or not; before the change) bumps
 * enf_vc_links, then kills the entry of the inode's slot: a fill whose
 * decision began before the bump stores nothing, one done before the kill
 * is killed.  An inode freed takes its entry with it (enf_vc_free): a new
 * inode at the same address never hits an old one's entry.
 */
static __always_inline void vc_names_change(struct inode *ino)
{
	if (!ino)
		return;
	__sync_fetch_and_add(&enf_vc_links, 1);
	vc_kill(ino, 0);
}

SEC("lsm/inode_link")
int BPF_PROG(enf_vc_link, struct dentry *old_dentry, struct inode *dir, struct dentry *new_dentry,
	     int ret)
{
	if (!ret)
		vc_names_change(old_dentry->d_inode);
	return ret;
}

SEC("lsm/inode_unlink")
int BPF_PROG(enf_vc_unlink, struct inode *dir, struct dentry *dentry, int ret)
{
	if (!ret)
		vc_names_change(dentry->d_inode);
	return ret;
}

/* inode_free_security returns nothing: no ret argument */
SEC("lsm/inode_free_security")
int BPF_PROG(enf_vc_free, struct inode *inode)
{
	vc_kill(inode, 1);
	return 0;
}
