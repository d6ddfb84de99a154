// SPDX-License-Identifier: GPL-2.0
/*
 * enforcer.bpf.c - the BPF LSM programs that deny exec, file open and
 * connect for processes in governed cgroups, and the cgroup_mkdir tracepoint
 * that binds policies to cgroups the moment they are created.
 *
 * Hot path for an ungoverned process: one global read (the generation), two CO-RE
 * reads (its cgroup id) and one LRU hash lookup (the per-cgroup cache).
 * Rules live in LPM tries keyed by (generation, kind, policy id, path or
 * address): one lookup per governing policy, whatever the number of rules.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include "enforcer_abi.h"

char LICENSE[] SEC("license") = "GPL";

#define EPERM 1
#define AF_INET 2
#define AF_INET6 10
#define FMODE_READ 0x1
#define FMODE_WRITE 0x2
#define FMODE_CREATED 0x100000
#define O_TRUNC 01000
#define IPPROTO_TCP 6
#define IPPROTO_UDP 17
#define IPPROTO_MPTCP 262
#define PROT_EXEC 0x4
#define VM_EXEC 0x4
#define CLONE_INTO_CGROUP (1ULL << 33)
#define AF_UNSPEC 0
#define CGROUP2_SUPER_MAGIC 0x63677270

/*
 * The single switch a reload flips: user space stores the new generation
 * with one atomic 8-byte store through the mmap()ed .bss.  0 = nothing
 * loaded; otherwise generation & 1 selects the live half of every map.
 */
volatile __u64 enf_generation;
/* enforcerd's thread group id: governed tasks may not signal or trace it. */
volatile __u32 enf_daemon_tgid;

/* Exec and file rules: (tag, path prefix) -> verdict. */
struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 65536);            /* resized from user space */
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct enf_path_key);
	__type(value, struct enf_path_val);
} path_rules SEC(".maps");

/* Inode identity of rule targets and their ancestors. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);            /* resized from user space */
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct enf_inode_key);
	__type(value, struct enf_inode_val);
} inode_rules SEC(".maps");

/* Connect rules: (tag, address prefix) -> rules applicable below it. */
struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 16384);            /* 16 rules per prefix: ample */
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct enf_net_key);
	__type(value, struct enf_net_val);
} net_rules SEC(".maps");

/* Per-policy settings: gen * ENF_MAX_POLICIES + policy id. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2 * ENF_MAX_POLICIES);
	__type(key, __u32);
	__type(value, struct enf_policy);
} policies SEC(".maps");

/* (cgroup id, gen) -> policies bound directly to that cgroup. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct enf_cg_key);
	__type(value, struct enf_bind);
} cg_bind SEC(".maps");

/* (gen, cgroup path) -> policies for a cgroup that may not exist yet;
 * enf_cgroup_mkdir copies them into cg_bind as the cgroup is created. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct enf_cgpath_key);
	__type(value, struct enf_bind);
} cgpath_bind SEC(".maps");

/* (gen, cgroup name) -> policies bound by unit name. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, struct enf_cgname_key);
	__type(value, struct enf_bind);
} cgname_bind SEC(".maps");

/* cgroup id -> governing policies (own and ancestors'), per generation. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, __u64);
	__type(value, struct enf_cg_cache);
} cg_cache SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, ENF_CNT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, ENF_MAX_POLICIES * ENF_HOOK_MAX);
	__type(key, __u32);
	__type(value, struct enf_pstat);
} pstats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4 << 20);          /* resized from user space */
} events SEC(".maps");

/* pid_tgid -> argv of its last execve (governed tasks only). */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, struct enf_argv);
} argv_stash SEC(".maps");

/* Per-CPU scratch: the LPM key is followed by room for a whole PATH_MAX
 * path, so bpf_d_path() writes straight into the key. */
struct scratch {
	struct enf_path_key key;               /* key.path[] continues into ... */
	char rest[ENF_PATH_BUF - ENF_PATH_KEY_MAX + 8];
	struct enf_cg_cache cache;
	struct enf_cgpath_key cgpath;
	struct enf_argv argv;
	struct enf_cg_cache dst;
	struct enf_cgname_key cgname;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scratch);
} scratch_map SEC(".maps");

static __always_inline void count(__u32 idx)
{
	__u64 *v = bpf_map_lookup_elem(&counters, &idx);

	if (v)
		*v += 1;
}

static __always_inline struct enf_pstat *pstat(__u32 id, __u32 hook)
{
	__u32 idx = id * ENF_HOOK_MAX + hook;

	if (id >= ENF_MAX_POLICIES)
		return NULL;
	return bpf_map_lookup_elem(&pstats, &idx);
}

/*
 * The policies bound to cgroup cg and to each of its ancestors, into nc.
 * nc->n == ENF_CACHE_OVERFLOW when a bound ran out (fail closed).
 */
static __always_inline void collect(const struct enf_config *cfg, struct cgroup *cg,
				    struct enf_cg_cache *nc)
{
	struct enf_cg_key k = { .gen = cfg->gen_bit };
	int lvl;

	nc->generation = cfg->generation;
	nc->n = 0;
	/* Bound: ENF_MAX_CG_DEPTH levels from the cgroup up to the root. */
	for (lvl = 0; lvl < ENF_MAX_CG_DEPTH && cg; lvl++) {
		struct enf_bind *b;
		int i;

		k.cgid = BPF_CORE_READ(cg, kn, id);
		b = bpf_map_lookup_elem(&cg_bind, &k);
		if (b) {
			/* Bound: ENF_MAX_BIND policies bound to one cgroup. */
			for (i = 0; i < ENF_MAX_BIND; i++) {
				if (i >= b->n)
					break;
				if (nc->n >= ENF_MAX_STACK) {
					nc->n = ENF_CACHE_OVERFLOW;
					return;
				}
				nc->ids[nc->n & (ENF_MAX_STACK - 1)] = b->ids[i];
				nc->n++;
			}
		}
		cg = BPF_CORE_READ(cg, self.parent, cgroup);
	}
	if (cg) /* deeper than ENF_MAX_CG_DEPTH: ancestors unseen */
		nc->n = ENF_CACHE_OVERFLOW;
}

/*
 * The policies governing the current task: those bound to its cgroup and to
 * each ancestor.  Cached per cgroup id and generation.  Returns NULL when the
 * task is ungoverned; a cache with n == ENF_CACHE_OVERFLOW means "fail closed".
 */
static __always_inline struct enf_cg_cache *governing(const struct enf_config *cfg,
						      struct scratch *s)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct cgroup *cg = BPF_CORE_READ(task, cgroups, dfl_cgrp);
	__u64 cgid = BPF_CORE_READ(cg, kn, id);
	struct enf_cg_cache *c = bpf_map_lookup_elem(&cg_cache, &cgid);
	struct enf_cg_cache *nc = &s->cache;

	if (c && c->generation == cfg->generation)
		return c->n ? c : NULL;
	count(ENF_CNT_CACHE_MISS);
	collect(cfg, cg, nc);
	bpf_map_update_elem(&cg_cache, &cgid, nc, BPF_ANY);
	return nc->n ? nc : NULL;
}

static __always_inline const struct enf_policy *policy_get(const struct enf_config *cfg, __u32 id)
{
	__u32 idx;

	if (id >= ENF_MAX_POLICIES)
		return NULL;
	idx = cfg->gen_bit * ENF_MAX_POLICIES + id;
	return bpf_map_lookup_elem(&policies, &idx);
}

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
};

/* The thread group's pid as its own pid namespace numbers it. */
static __always_inline void ns_pid(struct task_struct *task, struct enf_event *ev)
{
	struct pid *p = BPF_CORE_READ(task, group_leader, thread_pid);
	unsigned int level = BPF_CORE_READ(p, level);
	struct upid up = {};

	ev->ns_level = level;
	ev->ns_pid = ev->pid;
	if (!level)
		return;
	bpf_probe_read_kernel(&up, sizeof(up), (void *)p + bpf_core_field_offset(struct pid, numbers) +
			      (level & 31) * bpf_core_type_size(struct upid));
	ev->ns_pid = up.nr;
}

static __always_inline void emit(const struct enf_config *cfg, const struct verdict_ctx *v,
				 struct scratch *s, long path_len)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct enf_event *ev;
	__u64 id = bpf_get_current_pid_tgid();
	__u64 ug = bpf_get_current_uid_gid();

	ev = bpf_ringbuf_reserve(&events, sizeof(*ev), 0);
	if (!ev) {
		count(ENF_CNT_RB_DROPS);
		return;
	}
	ev->ts_boot = bpf_ktime_get_boot_ns();
	ev->cgid = BPF_CORE_READ(task, cgroups, dfl_cgrp, kn, id);
	ev->generation = cfg->generation;
	ev->pid = id >> 32;
	ev->tid = (__u32)id;
	ev->ppid = BPF_CORE_READ(task, real_parent, tgid);
	ev->uid = (__u32)ug;
	ev->gid = ug >> 32;
	ev->policy_id = v->policy_id;
	ev->rule_id = v->rule_id;
	ev->hook = v->hook;
	ev->action = v->action;
	ev->access = v->access;
	ev->proto = v->proto;
	ev->family = v->family;
	ev->flags = v->flags;
	ev->port = v->port;
	ev->op = v->op;
	__builtin_memcpy(ev->addr, v->addr, sizeof(ev->addr));
	bpf_get_current_comm(ev->comm, sizeof(ev->comm));
	ns_pid(task, ev);
	ev->path_len = 0;
	ev->path[0] = 0;
	if (s && path_len > 0) {
		/* d_path's length includes the NUL */
		__u32 n = path_len - 1;

		if (n >= ENF_EVENT_PATH) {
			n = ENF_EVENT_PATH - 1;
			ev->flags |= ENF_EV_PATH_TRUNC;
		}
		bpf_probe_read_kernel(ev->path, ENF_EVENT_PATH, s->key.path);
		ev->path[ENF_EVENT_PATH - 1] = 0;
		ev->path_len = n;
	}
	ev->argv_len = 0;
	if (v->hook == ENF_HOOK_EXEC) {
		struct enf_argv *a = bpf_map_lookup_elem(&argv_stash, &id);

		if (a) {
			__u32 n = a->len;

			if (n > ENF_ARGV_MAX) {
				n = ENF_ARGV_MAX;
				ev->flags |= ENF_EV_ARGV_TRUNC;
			}
			if (a->trunc)
				ev->flags |= ENF_EV_ARGV_TRUNC;
			bpf_probe_read_kernel(ev->argv, ENF_ARGV_MAX, a->buf);
			ev->argv_len = n;
			ev->flags |= ENF_EV_HAS_ARGV;
		}
	}
	bpf_ringbuf_submit(ev, 0);
}

/* Account one policy's verdict; returns -EPERM when it must be denied. */
static __always_inline int judge(const struct enf_config *cfg, const struct enf_policy *pol,
				 struct verdict_ctx *v, int denied, struct scratch *s, long path_len)
{
	struct enf_pstat *st = pstat(v->policy_id, v->hook);

	if (st)
		st->checks++;
	if (!denied)
		return 0;
	if (pol->mode == ENF_MODE_AUDIT) {
		if (st)
			st->audits++;
		v->action = ENF_ACTION_AUDIT;
	} else {
		if (st)
			st->denials++;
		v->action = ENF_ACTION_DENY;
	}
	emit(cfg, v, s, path_len);   /* one call site: keeps the verifier's work small */
	return v->action == ENF_ACTION_DENY ? -EPERM : 0;
}

/* Deny because a bound ran out or a read failed for a governed task. */
static __always_inline int fail_closed(const struct enf_config *cfg, __u8 hook, __u8 access, __u8 op)
{
	struct verdict_ctx v = {
		.policy_id = ENF_MAX_POLICIES, .rule_id = ENF_RULE_DEFAULT,
		.hook = hook, .action = ENF_ACTION_DENY, .access = access,
		.flags = ENF_EV_FAIL_CLOSED, .op = op,
	};

	count(ENF_CNT_FAIL_CLOSED);
	emit(cfg, &v, NULL, 0);
	return -EPERM;
}

/* Read the switch once per hook call: one consistent generation. */
static __always_inline int config_get(struct enf_config *cfg)
{
	__u64 g = enf_generation;

	if (!g)
		return 0;
	cfg->generation = g;
	cfg->gen_bit = g & 1;
	return 1;
}

/* Shared by exec and file: judge one path against every governing policy. */
__noinline long enf_walk(__u64 d, __u32 tag, __u32 self_any);

/* Governed by a policy other than a host-wide baseline: such a task may not
 * touch enforcer itself. */
static __always_inline int confined(const struct enf_config *cfg, const struct enf_cg_cache *gov)
{
	int i;

	if (gov->n == ENF_CACHE_OVERFLOW)
		return 1;
	/* Bound: ENF_MAX_STACK governing policies. */
	for (i = 0; i < ENF_MAX_STACK; i++) {
		const struct enf_policy *pol;

		if (i >= gov->n)
			break;
		pol = policy_get(cfg, gov->ids[i & (ENF_MAX_STACK - 1)]);
		if (!pol || !(pol->flags & ENF_POL_HOSTWIDE))
			return 1;
	}
	return 0;
}

/*
 * enforcer's own files (policy directory, binaries, pins): a governed task
 * may not write, create, rename or unlink them, whatever its policies say
 * (audit mode included).  Judged by inode identity walking up from d.
 */
static __always_inline int self_protect(const struct enf_config *cfg, struct enf_cg_cache *gov,
					struct dentry *d, __u32 self_any, __u8 op, struct scratch *s)
{
	__u64 vd = 0;
	long r;

	if (!confined(cfg, gov))
		return 0;
	bpf_probe_read_kernel(&vd, sizeof(vd), &d);
	r = enf_walk(vd, ENF_TAG(cfg->gen_bit, ENF_KIND_SELF, 0), self_any);
	if (r == -1 || (r >= 0 && (r >> 32) == ENF_ALLOW))
		return 0;
	if (r == -2)
		return fail_closed(cfg, ENF_HOOK_FILE, ENF_ACC_WRITE, op);
	{
		struct verdict_ctx v = {
			.policy_id = gov->ids[0], .rule_id = ENF_RULE_SELF, .hook = ENF_HOOK_FILE,
			.action = ENF_ACTION_DENY, .access = ENF_ACC_WRITE, .op = op,
			.flags = ENF_EV_NAME_ONLY,
		};
		long len = bpf_probe_read_kernel_str(s->key.path, ENF_EVENT_PATH,
						     BPF_CORE_READ(d, d_name.name));

		count(ENF_CNT_TAMPER);
		emit(cfg, &v, s, len);
	}
	return -EPERM;
}

/* Is the current task governed?  Fills cfg; NULL when not. */
static __always_inline struct enf_cg_cache *governed_now(struct enf_config *cfg, struct scratch **sp)
{
	__u32 zero = 0;
	struct scratch *s;

	if (!config_get(cfg))
		return NULL;
	s = bpf_map_lookup_elem(&scratch_map, &zero);
	if (!s)
		return NULL;
	*sp = s;
	return governing(cfg, s);
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

#define CHECK_EXPLICIT 1   /* only rules decide (mmap PROT_EXEC), never the default */

/*
 * Shared by exec, file and mmap: judge one file against every governing
 * policy, by its path (LPM, most specific rule) and by its inode (a rule's
 * file reached through a hard link or a bind mount).
 */
static __always_inline int check_path(const struct path *path, struct inode *inode, __u8 hook,
				      __u8 kind, __u8 access, __u8 op, int how)
{
	struct enf_config cfgv, *cfg = &cfgv;
	struct enf_cg_cache *gov;
	struct scratch *s;
	__u32 zero = 0;
	__u64 dent = 0;
	long len = 0;
	int i;

	if (!config_get(cfg))
		return 0;
	s = bpf_map_lookup_elem(&scratch_map, &zero);
	if (!s)
		return 0;
	gov = governing(cfg, s);
	if (!gov)
		return 0;
	if (gov->n == ENF_CACHE_OVERFLOW)
		return fail_closed(cfg, hook, access, op);
	if (access == ENF_ACC_WRITE && self_protect(cfg, gov, path->dentry, 0, op, s))
		return -EPERM;
	bpf_probe_read_kernel(&dent, sizeof(dent), &path->dentry);

	/* Bound: ENF_MAX_STACK governing policies. */
	for (i = 0; i < ENF_MAX_STACK; i++) {
		const struct enf_policy *pol;
		struct enf_path_val *pv;
		struct verdict_ctx v = {};
		__u8 verdict;
		long r;
		__u32 id;

		if (i >= gov->n)
			break;
		id = gov->ids[i & (ENF_MAX_STACK - 1)];
		pol = policy_get(cfg, id);
		if (!pol || !pol->used)
			return fail_closed(cfg, hook, access, op);
		if (!pol->active[hook & 3])
			continue;
		/* mmap PROT_EXEC: enforce-mode only (an exec an audit-mode policy
		 * let pass maps its binary: no second line for it) */
		if (how == CHECK_EXPLICIT && pol->mode == ENF_MODE_AUDIT)
			continue;
		if (!len) {
			len = bpf_d_path((struct path *)path, s->key.path, ENF_PATH_BUF);
			if (len <= 0)
				return fail_closed(cfg, hook, access, op);
		}
		s->key.prefixlen = 32 + ENF_PATH_KEY_MAX * 8;
		s->key.tag = ENF_TAG(cfg->gen_bit, kind, id);
		pv = bpf_map_lookup_elem(&path_rules, &s->key);
		/* By inode: the file a rule names (hard links, bind mounts) or the
		 * nearest directory a rule names above it, whatever path, root
		 * (chroot) or detached mount (open_tree) the task reached it by. */
		r = enf_walk(dent, s->key.tag, 0);
		if (r == -2)
			return fail_closed(cfg, hook, access, op);
		v.policy_id = id;
		v.hook = hook;
		v.access = access;
		v.op = op;
		if (pv) {
			verdict = pv->verdict;
			v.rule_id = pv->rule_id;
		} else if (how == CHECK_EXPLICIT && r < 0) {
			continue;
		} else {
			verdict = how == CHECK_EXPLICIT ? ENF_ALLOW : pol->deflt[hook & 3];
			v.rule_id = ENF_RULE_DEFAULT;
		}
		if (r >= 0 && stricter(r >> 32, verdict) != verdict) {
			verdict = r >> 32;
			v.rule_id = (__u32)r;
		}
		if (how == CHECK_EXPLICIT && verdict != ENF_DENY)
			continue;
		if (judge(cfg, pol, &v, verdict == ENF_DENY ||
			  (verdict == ENF_READONLY && access == ENF_ACC_WRITE), s, len))
			return -EPERM;
	}
	return 0;
}

SEC("lsm/bprm_check_security")
int BPF_PROG(enf_exec, struct linux_binprm *bprm, int ret)
{
	struct file *f = bprm->file;

	if (ret)
		return ret;
	return check_path(&f->f_path, f->f_inode, ENF_HOOK_EXEC, ENF_KIND_EXEC, ENF_ACC_EXEC,
			  ENF_OP_EXEC, 0);
}

/* ld.so /usr/bin/x maps x with PROT_EXEC without an exec of it: explicit
 * exec deny rules apply to executable file mappings too. */
SEC("lsm/mmap_file")
int BPF_PROG(enf_mmap_file, struct file *file, unsigned long reqprot, unsigned long prot,
	     unsigned long flags, int ret)
{
	if (ret)
		return ret;
	if (!file || !(prot & PROT_EXEC))
		return 0;
	return check_path(&file->f_path, file->f_inode, ENF_HOOK_EXEC, ENF_KIND_EXEC, ENF_ACC_EXEC,
			  ENF_OP_MMAP_EXEC, CHECK_EXPLICIT);
}

/*
 * mprotect(PROT_EXEC) of a file mapping made without it: explicit exec deny
 * rules apply, judged by inode walking up from the file (no bpf_d_path in
 * this hook on 6.1).
 */
SEC("lsm/file_mprotect")
int BPF_PROG(enf_mprotect, struct vm_area_struct *vma, unsigned long reqprot, unsigned long prot,
	     int ret)
{
	struct enf_config cfgv, *cfg = &cfgv;
	struct enf_cg_cache *gov;
	struct scratch *s;
	struct dentry *d;
	__u64 dent = 0;
	__u32 zero = 0;
	int i;

	if (ret)
		return ret;
	if (!(prot & PROT_EXEC) || (BPF_CORE_READ(vma, vm_flags) & VM_EXEC) || !vma->vm_file)
		return 0;
	if (!config_get(cfg))
		return 0;
	s = bpf_map_lookup_elem(&scratch_map, &zero);
	if (!s)
		return 0;
	gov = governing(cfg, s);
	if (!gov)
		return 0;
	if (gov->n == ENF_CACHE_OVERFLOW)
		return fail_closed(cfg, ENF_HOOK_EXEC, ENF_ACC_EXEC, ENF_OP_MMAP_EXEC);
	d = BPF_CORE_READ(vma, vm_file, f_path.dentry);
	bpf_probe_read_kernel(&dent, sizeof(dent), &d);
	/* Bound: ENF_MAX_STACK governing policies. */
	for (i = 0; i < ENF_MAX_STACK; i++) {
		const struct enf_policy *pol;
		__u32 id;
		long r;

		if (i >= gov->n)
			break;
		id = gov->ids[i & (ENF_MAX_STACK - 1)];
		pol = policy_get(cfg, id);
		if (!pol || !pol->used)
			return fail_closed(cfg, ENF_HOOK_EXEC, ENF_ACC_EXEC, ENF_OP_MMAP_EXEC);
		if (!pol->active[ENF_HOOK_EXEC] || pol->mode == ENF_MODE_AUDIT)
			continue;
		r = enf_walk(dent, ENF_TAG(cfg->gen_bit, ENF_KIND_EXEC, id), 0);
		if (r == -2)
			return fail_closed(cfg, ENF_HOOK_EXEC, ENF_ACC_EXEC, ENF_OP_MMAP_EXEC);
		if (r >= 0 && (r >> 32) == ENF_DENY) {
			struct verdict_ctx v = {
				.policy_id = id, .rule_id = (__u32)r, .hook = ENF_HOOK_EXEC,
				.access = ENF_ACC_EXEC, .op = ENF_OP_MMAP_EXEC, .flags = ENF_EV_NAME_ONLY,
			};
			long len = bpf_probe_read_kernel_str(s->key.path, ENF_EVENT_PATH,
							     BPF_CORE_READ(d, d_name.name));

			if (judge(cfg, pol, &v, 1, s, len))
				return -EPERM;
		}
	}
	return 0;
}

/* clone3(CLONE_INTO_CGROUP) starts a child in another cgroup without writing
 * any cgroup.procs: a confined task may not use it. */
SEC("lsm/task_alloc")
int BPF_PROG(enf_task_alloc, struct task_struct *task, unsigned long clone_flags, int ret)
{
	struct enf_config cfg;
	struct enf_cg_cache *gov;
	struct scratch *s;

	if (ret)
		return ret;
	if (!(clone_flags & CLONE_INTO_CGROUP))
		return 0;
	gov = governed_now(&cfg, &s);
	if (!gov || !confined(&cfg, gov))
		return 0;
	{
		struct verdict_ctx v = {
			.policy_id = gov->n == ENF_CACHE_OVERFLOW ? ENF_MAX_POLICIES : gov->ids[0],
			.rule_id = ENF_RULE_SELF, .hook = ENF_HOOK_FILE, .action = ENF_ACTION_DENY,
			.access = ENF_ACC_WRITE, .op = ENF_OP_CGROUP_MOVE,
		};

		emit(&cfg, &v, NULL, 0);
	}
	return -EPERM;
}

/*
 * A governed task may write a cgroup.procs/cgroup.threads only where every
 * policy governing it governs too (its subtree): it cannot move out.
 */
static __always_inline int check_cgroup_move(struct file *file)
{
	struct enf_config cfgv, *cfg = &cfgv;
	struct dentry *d = file->f_path.dentry;
	struct enf_cg_cache *gov, *dst;
	struct kernfs_node *kn;
	struct scratch *s;
	__u64 name[2] = {};     /* the file's name, compared as two words */
	__u32 zero = 0;
	int i, j;

	if (BPF_CORE_READ(d, d_sb, s_magic) != CGROUP2_SUPER_MAGIC)
		return 0;
	bpf_probe_read_kernel_str(name, sizeof(name), BPF_CORE_READ(d, d_name.name));
	if (name[0] != 0x702e70756f726763ull /* "cgroup.p" */ && name[0] != 0x742e70756f726763ull /* "cgroup.t" */)
		return 0;
	if (name[1] != 0x73636f72ull /* "rocs" */ && name[1] != 0x736461657268ull /* "hreads" */)
		return 0;
	if (!config_get(cfg))
		return 0;
	s = bpf_map_lookup_elem(&scratch_map, &zero);
	if (!s)
		return 0;
	gov = governing(cfg, s);
	if (!gov)
		return 0;
	if (gov->n == ENF_CACHE_OVERFLOW)
		return fail_closed(cfg, ENF_HOOK_FILE, ENF_ACC_WRITE, ENF_OP_CGROUP_MOVE);
	/* The destination: the cgroup of the directory holding the file. */
	kn = BPF_CORE_READ(d, d_parent, d_inode, i_private);
	dst = &s->dst;
	collect(cfg, (struct cgroup *)BPF_CORE_READ(kn, priv), dst);
	if (dst->n == ENF_CACHE_OVERFLOW)
		return fail_closed(cfg, ENF_HOOK_FILE, ENF_ACC_WRITE, ENF_OP_CGROUP_MOVE);
	/* Bound: ENF_MAX_STACK x ENF_MAX_STACK policy ids. */
	for (i = 0; i < ENF_MAX_STACK; i++) {
		__u32 id;
		int found = 0;

		if (i >= gov->n)
			break;
		id = gov->ids[i & (ENF_MAX_STACK - 1)];
		for (j = 0; j < ENF_MAX_STACK; j++) {
			if (j >= dst->n)
				break;
			if (dst->ids[j & (ENF_MAX_STACK - 1)] == id)
				found = 1;
		}
		if (!found) {
			struct verdict_ctx v = {
				.policy_id = id, .rule_id = ENF_RULE_DEFAULT, .hook = ENF_HOOK_FILE,
				.access = ENF_ACC_WRITE, .op = ENF_OP_CGROUP_MOVE,
			};
			const struct enf_policy *pol = policy_get(cfg, id);
			long len = bpf_d_path((struct path *)&file->f_path, s->key.path, ENF_PATH_BUF);

			if (!pol)
				return fail_closed(cfg, ENF_HOOK_FILE, ENF_ACC_WRITE, ENF_OP_CGROUP_MOVE);
			if (judge(cfg, pol, &v, 1, s, len))
				return -EPERM;
		}
	}
	return 0;
}

SEC("lsm/file_open")
int BPF_PROG(enf_file_open, struct file *file, int ret)
{
	__u8 access = ENF_ACC_READ;

	if (ret)
		return ret;
	/* Writing, truncating or creating all change what readonly protects. */
	if ((file->f_mode & (FMODE_WRITE | FMODE_CREATED)) || (file->f_flags & O_TRUNC))
		access = ENF_ACC_WRITE;
	if (access == ENF_ACC_WRITE) {
		ret = check_cgroup_move(file);
		if (ret)
			return ret;
	}
	return check_path(&file->f_path, file->f_inode, ENF_HOOK_FILE, ENF_KIND_FILE, access,
			  ENF_OP_OPEN, 0);
}

/* The destination as looked up: IPv4 (mapped, 0.0.0.0 and the IPv6 loopback
 * aliases folded into it) or IPv6. */
static __always_inline int dest_parse(struct sockaddr *address, int addrlen, struct verdict_ctx *v,
				      int *alias, int unspec_is_inet)
{
	/* The kernel's copy is a sockaddr_storage: reading 28 bytes is safe
	 * whatever addrlen says; addrlen decides what is meaningful. */
	struct sockaddr_in6 sa;
	__u16 family;

	if (bpf_probe_read_kernel(&sa, sizeof(sa), address))
		return -1;
	family = sa.sin6_family;
	/* udp_sendmsg (and raw) on an IPv4 socket take AF_UNSPEC as AF_INET */
	if (family == AF_UNSPEC && unspec_is_inet)
		family = AF_INET;
	if (family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&sa;

		if (addrlen < (int)sizeof(*sin))
			return -1;
		v->family = 4;
		v->port = bpf_ntohs(sin->sin_port);
		__builtin_memcpy(v->addr, &sin->sin_addr.s_addr, 4);
	} else if (family == AF_INET6) {
		__u32 a[4];

		if (addrlen < 24) /* SIN6_LEN_RFC2133 */
			return -1;
		v->port = bpf_ntohs(sa.sin6_port);
		__builtin_memcpy(a, &sa.sin6_addr, 16);
		if (a[0] == 0 && a[1] == 0 && a[2] == bpf_htonl(0xffff)) {
			v->family = 4;
			__builtin_memcpy(v->addr, &a[3], 4);
		} else {
			v->family = 6;
			__builtin_memcpy(v->addr, a, 16);
			/* :: and ::1 reach loopback */
			*alias = a[0] == 0 && a[1] == 0 && a[2] == 0 && (a[3] == 0 || a[3] == bpf_htonl(1));
		}
	} else {
		return 1;                        /* not ours to judge */
	}
	if (v->family == 4 && v->addr[0] == 0 && v->addr[1] == 0 &&
	    v->addr[2] == 0 && v->addr[3] == 0)
		*alias = 1;                      /* 0.0.0.0 reaches loopback */
	return 0;
}

/*
 * The first rule of a prefix's list that matches port and protocol, or -1.
 * A global function: the verifier checks it once, not once per policy.
 */
__noinline int enf_net_match(struct enf_net_val *nv, __u32 port, __u32 proto)
{
	int j;

	if (!nv)
		return -1;
	/* Bound: ENF_NET_SLOTS rules per prefix, most specific first. */
	for (j = 0; j < ENF_NET_SLOTS; j++) {
		struct enf_net_rule *r;

		if (j >= nv->n)
			break;
		r = &nv->r[j];
		if (port < r->port_lo || port > r->port_hi)
			continue;
		if (r->proto && r->proto != proto)
			continue;
		return j;
	}
	return -1;
}

/*
 * The first connect rule for (tag, address) whose port and protocol match,
 * packed as verdict << 32 | rule_id, or -1.  pp = port << 16 | protocol.
 */
__noinline long enf_net_lookup(__u32 tag, __u32 prefixlen, __u64 a0, __u64 a1, __u32 pp)
{
	struct enf_net_key key = { .prefixlen = prefixlen, .tag = tag };
	struct enf_net_val *nv;
	int j;

	__builtin_memcpy(key.addr, &a0, 8);
	__builtin_memcpy(key.addr + 8, &a1, 8);
	nv = bpf_map_lookup_elem(&net_rules, &key);
	if (!nv)
		return -1;
	j = enf_net_match(nv, pp >> 16, pp & 0xffff);
	if (j < 0)
		return -1;
	return ((long)nv->r[j & (ENF_NET_SLOTS - 1)].verdict << 32) | nv->r[j & (ENF_NET_SLOTS - 1)].rule_id;
}

static __always_inline int check_dest(struct socket *sock, struct sockaddr *address, int addrlen,
				      __u8 op)
{
	struct enf_config cfgv, *cfg = &cfgv;
	struct enf_cg_cache *gov;
	struct verdict_ctx d = {};
	struct scratch *s;
	__u32 zero = 0, pp;
	int parsed, i, alias = 0;
	__u64 a0, a1;
	__u16 proto;

	if (!config_get(cfg))
		return 0;
	s = bpf_map_lookup_elem(&scratch_map, &zero);
	if (!s)
		return 0;
	gov = governing(cfg, s);
	if (!gov)
		return 0;
	if (gov->n == ENF_CACHE_OVERFLOW)
		return fail_closed(cfg, ENF_HOOK_CONNECT, ENF_ACC_NONE, op);

	parsed = dest_parse(address, addrlen, &d, &alias,
			    op == ENF_OP_SENDMSG && BPF_CORE_READ(sock, sk, __sk_common.skc_family) == AF_INET);
	if (parsed > 0)
		return 0;        /* not an IP destination (AF_UNSPEC, AF_UNIX...) */
	if (parsed < 0)
		return fail_closed(cfg, ENF_HOOK_CONNECT, ENF_ACC_NONE, op);
	proto = BPF_CORE_READ(sock, sk, sk_protocol);
	if (proto == IPPROTO_MPTCP)
		proto = IPPROTO_TCP;
	d.proto = proto;
	d.op = op;
	__builtin_memcpy(&a0, d.addr, 8);
	__builtin_memcpy(&a1, d.addr + 8, 8);
	pp = ((__u32)d.port << 16) | proto;

	/* Bound: ENF_MAX_STACK governing policies. */
	for (i = 0; i < ENF_MAX_STACK; i++) {
		const struct enf_policy *pol;
		struct verdict_ctx v;
		__u8 verdict;
		long r1, r2 = -1;
		__u32 id;

		if (i >= gov->n)
			break;
		id = gov->ids[i & (ENF_MAX_STACK - 1)];
		pol = policy_get(cfg, id);
		if (!pol || !pol->used)
			return fail_closed(cfg, ENF_HOOK_CONNECT, ENF_ACC_NONE, op);
		if (!pol->active[ENF_HOOK_CONNECT])
			continue;
		if (d.family == 4)
			r1 = enf_net_lookup(ENF_TAG(cfg->gen_bit, ENF_KIND_NET4, id), 32 + 32, a0, a1, pp);
		else
			r1 = enf_net_lookup(ENF_TAG(cfg->gen_bit, ENF_KIND_NET6, id), 32 + 128, a0, a1, pp);
		/* a loopback alias is judged as 127.0.0.1 too */
		if (alias)
			r2 = enf_net_lookup(ENF_TAG(cfg->gen_bit, ENF_KIND_NET4, id), 32 + 32,
					    bpf_htonl(0x7f000001), 0, pp);
		/* the alias adds its explicit denies; allows come from the address itself */
		if (r2 >= 0 && (r2 >> 32) == ENF_DENY)
			r1 = r2;
		v = d;
		v.policy_id = id;
		v.hook = ENF_HOOK_CONNECT;
		if (r1 >= 0) {
			verdict = r1 >> 32;
			v.rule_id = (__u32)r1;
		} else {
			verdict = pol->deflt[ENF_HOOK_CONNECT];
			v.rule_id = ENF_RULE_DEFAULT;
		}
		if (judge(cfg, pol, &v, verdict == ENF_DENY, NULL, 0))
			return -EPERM;
	}
	return 0;
}

SEC("lsm/socket_connect")
int BPF_PROG(enf_connect, struct socket *sock, struct sockaddr *address, int addrlen, int ret)
{
	if (ret)
		return ret;
	return check_dest(sock, address, addrlen, ENF_OP_CONNECT);
}

/* sendto/sendmsg/sendmmsg with a destination (unconnected UDP, TCP Fast
 * Open) never call connect: judge the address they carry. */
SEC("lsm/socket_sendmsg")
int BPF_PROG(enf_sendmsg, struct socket *sock, struct msghdr *msg, int size, int ret)
{
	void *name;

	if (ret)
		return ret;
	name = BPF_CORE_READ(msg, msg_name);
	if (!name)
		return 0;           /* connected: judged at connect */
	return check_dest(sock, name, BPF_CORE_READ(msg, msg_namelen), ENF_OP_SENDMSG);
}

/*
 * Walk up from dentry d (passed as a number: a global function is verified
 * once) and return the first rule met, packed as verdict << 32 | rule_id:
 * a file rule on d itself, a directory rule on d or above it, or, when
 * self_any, d being the ancestor of a protected rule.  -1: no rule; -2: the
 * bound ran out.
 */
__noinline long enf_walk(__u64 d, __u32 tag, __u32 self_any)
{
	struct enf_inode_key k = { .tag = tag };
	int lvl;

	/* Bound: ENF_MAX_WALK directory levels. */
	for (lvl = 0; lvl < ENF_MAX_WALK; lvl++) {
		struct dentry *de = (struct dentry *)d;
		struct inode *ino = BPF_CORE_READ(de, d_inode);
		struct enf_inode_val *v;
		__u64 parent;

		if (ino) {
			k.dev = BPF_CORE_READ(ino, i_sb, s_dev);
			k.ino = BPF_CORE_READ(ino, i_ino);
			v = bpf_map_lookup_elem(&inode_rules, &k);
			if (v) {
				if (lvl == 0 && self_any && (v->flags & ENF_INO_ANCESTOR))
					return ((long)ENF_DENY << 32) | v->rule_id;
				if ((v->flags & ENF_INO_DIR_RULE) ||
				    (lvl == 0 && (v->flags & ENF_INO_FILE_RULE)))
					return ((long)v->verdict << 32) | v->rule_id;
			}
		}
		parent = (__u64)BPF_CORE_READ(de, d_parent);
		if (!parent || parent == d)
			return -1;
		d = parent;
	}
	return -2;
}

/*
 * Renaming, linking, unlinking, truncating, chmod/chown of what a deny or
 * readonly file rule covers, or creating names in such a directory: denied
 * to governed tasks.  Judged by inode identity walking up the dentries, so
 * it works on every kernel (bpf_d_path is not allowed in path hooks on 6.1).
 */
static __always_inline int check_mutation(struct dentry *victim, __u32 self_any, __u8 op)
{
	struct enf_config cfgv, *cfg = &cfgv;
	struct enf_cg_cache *gov;
	struct scratch *s;
	__u32 zero = 0;
	long len = -1;
	int i;

	__u64 vd = 0;

	if (!victim || !config_get(cfg))
		return 0;
	/* as a plain number for enf_walk (global functions take scalars) */
	bpf_probe_read_kernel(&vd, sizeof(vd), &victim);
	s = bpf_map_lookup_elem(&scratch_map, &zero);
	if (!s)
		return 0;
	gov = governing(cfg, s);
	if (!gov)
		return 0;
	if (gov->n == ENF_CACHE_OVERFLOW)
		return fail_closed(cfg, ENF_HOOK_FILE, ENF_ACC_WRITE, op);
	if (self_protect(cfg, gov, victim, self_any, op, s))
		return -EPERM;

	/* Bound: ENF_MAX_STACK governing policies. */
	for (i = 0; i < ENF_MAX_STACK; i++) {
		const struct enf_policy *pol;
		struct verdict_ctx v = {};
		__u8 verdict;
		long r;
		__u32 id;

		if (i >= gov->n)
			break;
		id = gov->ids[i & (ENF_MAX_STACK - 1)];
		pol = policy_get(cfg, id);
		if (!pol || !pol->used)
			return fail_closed(cfg, ENF_HOOK_FILE, ENF_ACC_WRITE, op);
		if (!pol->active[ENF_HOOK_FILE])
			continue;
		r = enf_walk(vd, ENF_TAG(cfg->gen_bit, ENF_KIND_FILE, id), self_any);
		if (r == -2)
			return fail_closed(cfg, ENF_HOOK_FILE, ENF_ACC_WRITE, op);
		v.policy_id = id;
		v.hook = ENF_HOOK_FILE;
		v.access = ENF_ACC_WRITE;
		v.op = op;
		if (r < 0) {
			verdict = pol->deflt[ENF_HOOK_FILE];
			v.rule_id = ENF_RULE_DEFAULT;
		} else {
			verdict = r >> 32;
			v.rule_id = (__u32)r;
		}
		if (verdict == ENF_ALLOW)
			continue;
		if (len < 0) {
			/* the victim's name only: no full path in these hooks on 6.1 */
			len = bpf_probe_read_kernel_str(s->key.path, ENF_EVENT_PATH,
							BPF_CORE_READ(victim, d_name.name));
			v.flags = ENF_EV_NAME_ONLY;
		}
		if (judge(cfg, pol, &v, 1, s, len))
			return -EPERM;
	}
	return 0;
}

SEC("lsm/path_unlink")
int BPF_PROG(enf_unlink, const struct path *dir, struct dentry *dentry, int ret)
{
	return ret ? ret : check_mutation(dentry, 1, ENF_OP_UNLINK);
}

SEC("lsm/path_rmdir")
int BPF_PROG(enf_rmdir, const struct path *dir, struct dentry *dentry, int ret)
{
	return ret ? ret : check_mutation(dentry, 1, ENF_OP_RMDIR);
}

SEC("lsm/path_rename")
int BPF_PROG(enf_rename, const struct path *old_dir, struct dentry *old_dentry,
	     const struct path *new_dir, struct dentry *new_dentry, unsigned int flags, int ret)
{
	if (ret)
		return ret;
	ret = check_mutation(old_dentry, 1, ENF_OP_RENAME);
	if (!ret && BPF_CORE_READ(new_dentry, d_inode))     /* replacing (or exchanging) a file */
		ret = check_mutation(new_dentry, 1, ENF_OP_RENAME);
	if (!ret)                                           /* moving into a protected directory */
		ret = check_mutation(BPF_CORE_READ(new_dir, dentry), 0, ENF_OP_RENAME);
	return ret;
}

SEC("lsm/path_link")
int BPF_PROG(enf_link, struct dentry *old_dentry, const struct path *new_dir,
	     struct dentry *new_dentry, int ret)
{
	if (ret)
		return ret;
	ret = check_mutation(old_dentry, 1, ENF_OP_LINK);
	if (!ret)
		ret = check_mutation(BPF_CORE_READ(new_dir, dentry), 0, ENF_OP_LINK);
	return ret;
}

SEC("lsm/path_truncate")
int BPF_PROG(enf_truncate, const struct path *path, int ret)
{
	return ret ? ret : check_mutation(BPF_CORE_READ(path, dentry), 0, ENF_OP_TRUNCATE);
}

SEC("lsm/path_chmod")
int BPF_PROG(enf_chmod, const struct path *path, umode_t mode, int ret)
{
	return ret ? ret : check_mutation(BPF_CORE_READ(path, dentry), 0, ENF_OP_CHMOD);
}

SEC("lsm/path_chown")
int BPF_PROG(enf_chown, const struct path *path, __u64 uid, __u64 gid, int ret)
{
	return ret ? ret : check_mutation(BPF_CORE_READ(path, dentry), 0, ENF_OP_CHOWN);
}

/* New names in a protected directory: O_CREAT files, mknod, mkdir, symlink. */
SEC("lsm/path_mknod")
int BPF_PROG(enf_mknod, const struct path *dir, struct dentry *dentry, umode_t mode,
	     unsigned int dev, int ret)
{
	return ret ? ret : check_mutation(BPF_CORE_READ(dir, dentry), 0, ENF_OP_CREATE);
}

SEC("lsm/path_mkdir")
int BPF_PROG(enf_mkdir, const struct path *dir, struct dentry *dentry, umode_t mode, int ret)
{
	return ret ? ret : check_mutation(BPF_CORE_READ(dir, dentry), 0, ENF_OP_CREATE);
}

SEC("lsm/path_symlink")
int BPF_PROG(enf_symlink, const struct path *dir, struct dentry *dentry, const char *old_name,
	     int ret)
{
	return ret ? ret : check_mutation(BPF_CORE_READ(dir, dentry), 0, ENF_OP_CREATE);
}

/* Mounts would let a governed task show a protected directory under another
 * path: denied to tasks under a policy with file rules. */
static __always_inline int check_mount(void)
{
	struct enf_config cfgv, *cfg = &cfgv;
	struct enf_cg_cache *gov;
	struct scratch *s;
	__u32 zero = 0;
	int i;

	if (!config_get(cfg))
		return 0;
	s = bpf_map_lookup_elem(&scratch_map, &zero);
	if (!s)
		return 0;
	gov = governing(cfg, s);
	if (!gov)
		return 0;
	if (gov->n == ENF_CACHE_OVERFLOW)
		return fail_closed(cfg, ENF_HOOK_FILE, ENF_ACC_WRITE, ENF_OP_MOUNT);
	/* Bound: ENF_MAX_STACK governing policies. */
	for (i = 0; i < ENF_MAX_STACK; i++) {
		const struct enf_policy *pol;
		__u32 id;

		if (i >= gov->n)
			break;
		id = gov->ids[i & (ENF_MAX_STACK - 1)];
		pol = policy_get(cfg, id);
		if (!pol || !pol->used)
			return fail_closed(cfg, ENF_HOOK_FILE, ENF_ACC_WRITE, ENF_OP_MOUNT);
		if (pol->active[ENF_HOOK_FILE] && !(pol->flags & ENF_POL_POD)) {
			struct verdict_ctx v = {
				.policy_id = id, .rule_id = ENF_RULE_DEFAULT, .hook = ENF_HOOK_FILE,
				.access = ENF_ACC_WRITE, .op = ENF_OP_MOUNT,
			};

			if (judge(cfg, pol, &v, 1, NULL, 0))
				return -EPERM;
		}
	}
	return 0;
}

SEC("lsm/sb_mount")
int BPF_PROG(enf_sb_mount, const char *dev_name, const struct path *path, const char *type,
	     unsigned long flags, void *data, int ret)
{
	return ret ? ret : check_mount();
}

SEC("lsm/move_mount")
int BPF_PROG(enf_move_mount, const struct path *from_path, const struct path *to_path, int ret)
{
	return ret ? ret : check_mount();
}


static __always_inline int tamper(const struct enf_config *cfg, struct enf_cg_cache *gov)
{
	struct verdict_ctx v = {
		.policy_id = gov->n == ENF_CACHE_OVERFLOW ? ENF_MAX_POLICIES : gov->ids[0],
		.rule_id = ENF_RULE_SELF, .hook = ENF_HOOK_FILE, .action = ENF_ACTION_DENY,
		.op = ENF_OP_TAMPER,
	};

	count(ENF_CNT_TAMPER);
	emit(cfg, &v, NULL, 0);
	return -EPERM;
}

/* No bpf() at all for governed tasks: they cannot detach, unpin or change
 * enforcer's programs, links or maps.  Two variants: 6.9+ added an argument. */
static __always_inline int check_bpf(void)
{
	struct enf_config cfg;
	struct enf_cg_cache *gov;
	struct scratch *s;

	gov = governed_now(&cfg, &s);
	return gov && confined(&cfg, gov) ? tamper(&cfg, gov) : 0;
}

SEC("lsm/bpf")
int BPF_PROG(enf_bpf, int cmd, union bpf_attr *attr, unsigned int size, int ret)
{
	return ret ? ret : check_bpf();
}

SEC("lsm/bpf")
int BPF_PROG(enf_bpf_kernel, int cmd, union bpf_attr *attr, unsigned int size, bool kernel, int ret)
{
	return ret ? ret : check_bpf();
}

/* Governed tasks may not signal (beyond probing with 0) or trace enforcerd. */
static __always_inline int check_target(struct task_struct *p, int sig)
{
	struct enf_config cfg;
	struct enf_cg_cache *gov;
	struct scratch *s;
	__u32 tgid = BPF_CORE_READ(p, tgid);

	if (!enf_daemon_tgid || tgid != enf_daemon_tgid || sig == 0)
		return 0;
	gov = governed_now(&cfg, &s);
	return gov && confined(&cfg, gov) ? tamper(&cfg, gov) : 0;
}

SEC("lsm/task_kill")
int BPF_PROG(enf_task_kill, struct task_struct *p, struct kernel_siginfo *info, int sig,
	     const struct cred *cred, int ret)
{
	return ret ? ret : check_target(p, sig);
}

SEC("lsm/ptrace_access_check")
int BPF_PROG(enf_ptrace, struct task_struct *child, unsigned int mode, int ret)
{
	return ret ? ret : check_target(child, -1);
}

/* Bind policies to a cgroup as it is created, before any task can enter it. */
SEC("tp_btf/cgroup_mkdir")
int BPF_PROG(enf_cgroup_mkdir, struct cgroup *cgrp, const char *path)
{
	struct enf_cg_key k = {};
	struct enf_bind *b;
	struct scratch *s;
	__u32 zero = 0;
	long n;
	int gen;

	if (BPF_CORE_READ(cgrp, root, hierarchy_id) != 0)   /* cgroup v2 only */
		return 0;
	s = bpf_map_lookup_elem(&scratch_map, &zero);
	if (!s)
		return 0;
	__builtin_memset(&s->cgpath, 0, sizeof(s->cgpath));
	n = bpf_probe_read_kernel_str(s->cgpath.path, sizeof(s->cgpath.path), path);
	if (n <= 0 || n >= (long)sizeof(s->cgpath.path))
		return 0;               /* longer than any path a policy may bind */
	k.cgid = BPF_CORE_READ(cgrp, kn, id);
	__builtin_memset(&s->cgname, 0, sizeof(s->cgname));
	bpf_probe_read_kernel_str(s->cgname.name, sizeof(s->cgname.name), BPF_CORE_READ(cgrp, kn, name));
	for (gen = 0; gen < 2; gen++) {
		struct enf_bind merged = {};
		int i;

		k.gen = gen;
		s->cgpath.gen = gen;
		s->cgname.gen = gen;
		b = bpf_map_lookup_elem(&cgpath_bind, &s->cgpath);
		if (b)
			merged = *b;
		b = bpf_map_lookup_elem(&cgname_bind, &s->cgname);
		if (b) {
			/* Bound: ENF_MAX_BIND policies per cgroup. */
			for (i = 0; i < ENF_MAX_BIND; i++) {
				if (i >= b->n)
					break;
				if (merged.n >= ENF_MAX_BIND)
					break;   /* user space rejects this case; keep what fits */
				merged.ids[merged.n & (ENF_MAX_BIND - 1)] = b->ids[i];
				merged.n++;
			}
		}
		if (!merged.n)
			continue;
		bpf_map_update_elem(&cg_bind, &k, &merged, BPF_ANY);
		count(ENF_CNT_BIND_ON_MKDIR);
	}
	return 0;
}

/* Stash argv of an execve by a governed task, for its exec audit line. */
static __always_inline int stash_argv(const char *const *argv)
{
	struct enf_config cfg;
	struct scratch *s;
	struct enf_argv *a;
	__u32 zero = 0;
	__u64 id;
	int i;

	if (!config_get(&cfg))
		return 0;
	s = bpf_map_lookup_elem(&scratch_map, &zero);
	if (!s || !governing(&cfg, s))
		return 0;
	a = &s->argv;
	a->len = 0;
	a->argc = 0;
	a->trunc = 0;
	/* Bound: ENF_ARGV_ARGS arguments, ENF_ARGV_MAX bytes. */
	for (i = 0; i < ENF_ARGV_ARGS; i++) {
		const char *arg = NULL;
		long n;

		if (bpf_probe_read_user(&arg, sizeof(arg), &argv[i]) || !arg)
			break;
		if (a->len >= ENF_ARGV_MAX) {
			a->trunc = 1;
			break;
		}
		n = bpf_probe_read_user_str(&a->buf[a->len & (ENF_ARGV_MAX - 1)], ENF_ARGV_MAX, arg);
		if (n <= 0)
			break;
		a->len += n;
		a->argc++;
	}
	if (i == ENF_ARGV_ARGS)
		a->trunc = 1;
	id = bpf_get_current_pid_tgid();
	bpf_map_update_elem(&argv_stash, &id, a, BPF_ANY);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_execve")
int enf_execve(struct trace_event_raw_sys_enter *ctx)
{
	return stash_argv((const char *const *)ctx->args[1]);
}

SEC("tracepoint/syscalls/sys_enter_execveat")
int enf_execveat(struct trace_event_raw_sys_enter *ctx)
{
	return stash_argv((const char *const *)ctx->args[2]);
}
