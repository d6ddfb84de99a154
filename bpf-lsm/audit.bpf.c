// SPDX-License-Identifier: GPL-2.0
/*
 * audit.bpf.c - enf_emit(), the one global function that writes an audit
 * record (a denial, an audit-mode "would deny", a fail-closed denial) into
 * the events ring buffer, and enf_fail_closed(), the record of a denial no
 * rule made (a bound ran out, a read failed).  Every hook reaches them through emit()
 * (audit.bpf.h); being global, the verifier checks its body once per
 * program instead of at each of the many places a hook may deny.
 * enf_account() counts every verdict judge() reaches: the policy's
 * per-hook statistics and the deciding rule's hit counters.
 * Deny storms (enforcer_abi.h, enf_storm_key): with suppression on, a
 * record beyond its key's burst is only counted (storm_entry), and the
 * next line of the key, or enf_storm_flush's summary record, reports the
 * count as "suppressed".  Nothing of this runs on an allowed access.
 */
#include "audit.bpf.h"
#include <bpf/bpf_tracing.h>

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
	/* level & 31: a bound for the verifier (MAX_PID_NS_LEVEL is 32) */
	bpf_probe_read_kernel(&up, sizeof(up), (void *)p + bpf_core_field_offset(struct pid, numbers) +
			      (level & 31) * bpf_core_type_size(struct upid));
	ev->ns_pid = up.nr;
}

#define ENF_NR_EXECVE 59          /* x86_64 */
#define ENF_NR_EXECVEAT 322
#define ENF_TS_COMPAT 0x0002      /* thread_info.status: a 32-bit syscall */

/*
 * The arguments for an exec audit line, into a (this CPU's scratch argv),
 * with no syscall tracepoint: nothing runs on other tasks' syscalls.  An
 * execve being judged (op ENF_OP_EXEC, bprm_check_security: the task still
 * has its old memory) reads the argv array the syscall was given, through
 * the task's saved user registers; any later hook (an executable mapping)
 * reads the process's own command line (mm->arg_start..arg_end, as
 * /proc/PID/cmdline).  Only a record being written calls it, inline (no
 * call level more for the hooks' shared 512-byte stack).  Returns the bytes
 * stored (0: none).
 */
static __always_inline __u32 argv_fill(struct enf_argv *a, __u32 op)
{
	struct task_struct *task = bpf_get_current_task_btf();
	int i;

	a->len = 0;
	a->argc = 0;
	a->trunc = 0;
	if (op == ENF_OP_EXEC) {
		struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(task);
		const char *const *argv;
		long nr;

		if (!regs || (BPF_CORE_READ(task, thread_info.status) & ENF_TS_COMPAT))
			return 0;
		nr = BPF_CORE_READ(regs, orig_ax);
		if (nr == ENF_NR_EXECVE)
			argv = (const char *const *)BPF_CORE_READ(regs, si);
		else if (nr == ENF_NR_EXECVEAT)
			argv = (const char *const *)BPF_CORE_READ(regs, dx);
		else
			return 0;       /* a kernel-started exec: no user argv */
		/* Bound: ENF_ARGV_ARGS arguments, ENF_ARGV_MAX bytes. */
		for (i = 0; i < ENF_ARGV_ARGS; i++) {
			__u32 off = a->len & (ENF_ARGV_MAX - 1);
			const char *arg;
			long n;

			if (a->len >= ENF_ARGV_MAX) {
				a->trunc = 1;
				break;
			}
			/* the pointer lands where its string then goes: no
			 * stack slot (enf_emit's frame is in the 512 bytes) */
			if (bpf_probe_read_user(&a->buf[off], sizeof(arg), &argv[i]))
				break;
			arg = *(const char **)&a->buf[off];
			if (!arg)
				break;
			n = bpf_probe_read_user_str(&a->buf[off], ENF_ARGV_MAX, arg);
			if (n <= 0)
				break;
			a->len += n;
			a->argc++;
		}
		if (i == ENF_ARGV_ARGS)
			a->trunc = 1;
	} else {
		struct mm_struct *mm = BPF_CORE_READ(task, mm);
		unsigned long start = BPF_CORE_READ(mm, arg_start);
		unsigned long end = BPF_CORE_READ(mm, arg_end);
		__u32 n;

		if (!mm || end <= start)
			return 0;
		n = end - start;
		if (n > ENF_ARGV_MAX) {
			n = ENF_ARGV_MAX;
			a->trunc = 1;
		}
		barrier_var(n);         /* keep the clamp: the verifier needs the bound */
		if (bpf_probe_read_user(a->buf, n & (2 * ENF_ARGV_MAX - 1), (void *)start))
			return 0;
		a->len = n;
	}
	return a->len;
}

/*
 * Deny storms: 1 beyond the burst of this window: counted in the key's
 * pending, no record; else 0, a record, and this CPU's scratch says
 * whether it is a full line of the key (storm_keyed: storm_take() gives it
 * the key's pending count) or a plain one (suppression off, or no room for
 * the key).  The key stays in the scratch (storm_key) for storm_take(); a
 * new key's value is built there too: nothing on the stack, nothing kept
 * in the caller across calls (the hooks' call chains share 512 bytes).
 */
static __always_inline int storm_check(__u64 generation, const struct verdict_ctx *v, __u32 *zero)
{
	struct task_struct *task;
	struct enf_storm_val *e;
	struct scratch *sc;
	__u64 now, ug;

	/* the window and the time read where used: nothing held across calls */
	if (!enf_storm_window_ns)
		return 0;
	sc = bpf_map_lookup_elem(&scratch_map, zero);
	if (!sc)
		return 0;
	sc->storm_keyed = 0;
	/* helpers called again, not the caller's values: its stack frame */
	task = bpf_get_current_task_btf();
	/* direct BTF loads (the current task's BTF pointer): no probe-read
	 * temporaries on the stack */
	sc->storm_key.cgid = task->cgroups->dfl_cgrp->kn->id;
	sc->storm_key.generation = generation;
	sc->storm_key.policy_id = v->policy_id;
	sc->storm_key.rule_id = v->rule_id;
	sc->storm_key.pid = bpf_get_current_pid_tgid() >> 32;
	sc->storm_key.op = v->op;
	sc->storm_key.hook = v->hook;
	sc->storm_key.action = v->action;
	e = bpf_map_lookup_elem(&storms, &sc->storm_key);
	if (!e) {
		sc->storm_val.win_start = bpf_ktime_get_boot_ns();
		sc->storm_val.pending = 0;
		sc->storm_val.lines = 0;
		ug = bpf_get_current_uid_gid();
		sc->storm_val.uid = (__u32)ug;
		sc->storm_val.gid = ug >> 32;
		sc->storm_val.ppid = bpf_get_current_task_btf()->real_parent->tgid;
		sc->storm_val.flags = v->flags & ENF_EV_FAIL_CLOSED;
		sc->storm_val.pad = 0;
		bpf_get_current_comm(sc->storm_val.comm, sizeof(sc->storm_val.comm));
		/* EEXIST: another thread of the key made it first */
		bpf_map_update_elem(&storms, &sc->storm_key, &sc->storm_val, BPF_NOEXIST);
		e = bpf_map_lookup_elem(&storms, &sc->storm_key);
		if (!e)
			return 0;
	}
	now = bpf_ktime_get_boot_ns();
	if (now - e->win_start >= enf_storm_window_ns) {
		e->win_start = now;
		e->lines = 0;
	}
	if (e->lines < enf_storm_burst) {
		e->lines++;
		sc->storm_keyed = 1;
		return 0;
	}
	__sync_fetch_and_add(&e->pending, 1);
	count(ENF_CNT_SUPPRESSED);
	return 1;
}

/* A keyed line (storm_check() set storm_keyed): ev gets the key's pending
 * count, or, when the ring buffer had no room (ev NULL), the denial is
 * counted as pending instead of lost.  Returns 0 when it counted ev's
 * absence, 1 for a plain record. */
static __always_inline int storm_take(struct enf_event *ev, __u32 *zero)
{
	struct enf_storm_val *e = NULL;
	struct scratch *sc;
	__u64 n;

	if (!enf_storm_window_ns)
		return 1;
	sc = bpf_map_lookup_elem(&scratch_map, zero);
	if (sc && sc->storm_keyed)
		e = bpf_map_lookup_elem(&storms, &sc->storm_key);
	if (!e)
		return 1;
	if (!ev) {
		__sync_fetch_and_add(&e->pending, 1);
		count(ENF_CNT_SUPPRESSED);
		return 0;
	}
	n = e->pending;
	if (n > 0xffffffffULL)
		n = 0xffffffffULL;
	/* what arrives meanwhile stays pending */
	__sync_fetch_and_add(&e->pending, -n);
	ev->suppressed = n;
	return 1;
}

/* Steps of exe_fill's walk: components plus mount crossings. */
#define ENF_EXE_STEPS (ENF_EXE_DEPTH + 8)

/*
 * The acting process's executable as a path, into this CPU's scratch exe
 * (the record's "exe"): its dentries walked up to the root of its mount
 * namespace, crossing mounts, as /proc/PID/exe names it to a reader in the
 * host's root.  Read as the record is written, so a process that exits, or
 * a pid reused, before enforcerd reads the record cannot change the line.
 * Bound: ENF_EXE_STEPS steps and ENF_EXE_DEPTH components (deeper: the
 * last ones, ENF_EXE_TRUNC).  Inline in enf_emit only (checked once per
 * program; a call of its own would be one frame more on chains that
 * already reach the 512 bytes on 6.1); its counters live in the scratch
 * map, not in registers, so the verifier sees one state per step instead
 * of one per (step, depth), and the compiler spills nothing.  Leaves the
 * length | ENF_EXE_* << 16 in scratch exe_ret (0: no executable, e.g. a
 * kernel thread, or a read failed).  s: this CPU's scratch, as its caller
 * (emit_record) looked it up (no second lookup).
 */
static __always_inline int exe_fill(struct scratch *s)
{
	__u32 off = 0, o, n;
	struct task_struct *task = bpf_get_current_task_btf();
	struct mm_struct *mm;
	struct dentry *d, *c;
	struct file *f;
	struct mount *m;
	int i;

	if (!s)
		return 0;
	s->exe_ret = 0;
	/* every read lands in the scratch map, and the walk's dentry and
	 * mount live there too: no stack (the hooks' chains share 512 bytes,
	 * and this is their deepest call) */
	s->exe_n = 0;
	s->exe_flags = 0;
	s->exe_tmp = 0;
	bpf_core_read(&s->exe_tmp, sizeof(s->exe_tmp), &task->mm);
	if (!s->exe_tmp)
		return 0;
	/* the casts outside bpf_core_read: scratch is not a kernel type */
	mm = (struct mm_struct *)s->exe_tmp;
	bpf_core_read(&s->exe_file, sizeof(s->exe_file), &mm->exe_file);
	if (!s->exe_file)
		return 0;
	f = (struct file *)s->exe_file;
	bpf_core_read(&s->exe_d, sizeof(s->exe_d), &f->f_path.dentry);
	s->exe_top = s->exe_d;
	bpf_core_read(&s->exe_tmp, sizeof(s->exe_tmp), &f->f_path.mnt);
	s->exe_m = s->exe_tmp - bpf_core_field_offset(struct mount, mnt);
	/* a pseudo file (a memfd: its dentry names itself through d_dname, as
	 * d_path does for /proc): "/" NAME " (deleted)", no walk */
	c = (struct dentry *)s->exe_d;
	s->exe_tmp = 0;
	bpf_core_read(&s->exe_tmp, sizeof(s->exe_tmp), &c->d_op);
	if (s->exe_tmp) {
		const struct dentry_operations *dop = (const struct dentry_operations *)s->exe_tmp;

		s->exe_tmp = 0;
		bpf_core_read(&s->exe_tmp, sizeof(s->exe_tmp), &dop->d_dname);
	}
	if (s->exe_tmp) {
		s->exe_dent[0] = s->exe_d;
		s->exe_n = 1;
		s->exe_flags = ENF_EXE_DELETED;
		goto names;
	}
	for (i = 0; i < ENF_EXE_STEPS; i++) {
		barrier_var(s);         /* no field addresses kept (spilled) across the loop */
		m = (struct mount *)s->exe_m;
		bpf_core_read(&s->exe_tmp, sizeof(s->exe_tmp), &m->mnt.mnt_root);
		if (s->exe_d == s->exe_tmp) {
			bpf_core_read(&s->exe_tmp, sizeof(s->exe_tmp), &m->mnt_parent);
			if (s->exe_tmp == s->exe_m || !s->exe_tmp)
				break;          /* the namespace's root */
			bpf_core_read(&s->exe_d, sizeof(s->exe_d), &m->mnt_mountpoint);
			s->exe_m = s->exe_tmp;
			continue;
		}
		d = (struct dentry *)s->exe_d;
		bpf_core_read(&s->exe_up, sizeof(s->exe_up), &d->d_parent);
		if (!s->exe_up || s->exe_up == s->exe_d)
			break;                  /* a detached tree's top: as far as it goes */
		n = s->exe_n;
		if (n >= ENF_EXE_DEPTH) {
			s->exe_flags |= ENF_EXE_TRUNC;
			break;
		}
		s->exe_dent[n & (ENF_EXE_DEPTH - 1)] = s->exe_d;
		s->exe_n = n + 1;
		s->exe_d = s->exe_up;
	}
	if (i == ENF_EXE_STEPS)
		s->exe_flags |= ENF_EXE_TRUNC;
names:
	/* top down: "/" and each name */
	n = s->exe_n;
	for (i = 0; i < ENF_EXE_DEPTH; i++) {
		long r;

		if (i >= n)
			break;
		barrier_var(s);
		if (off >= ENF_EVENT_PATH - 1) {
			s->exe_flags |= ENF_EXE_TRUNC;
			break;
		}
		c = (struct dentry *)s->exe_dent[(n - 1 - i) & (ENF_EXE_DEPTH - 1)];
		bpf_core_read(&s->exe_tmp, sizeof(s->exe_tmp), &c->d_name.name);
		/* forget off's range: the masks stay, and bound the writes */
		barrier_var(off);
		s->exe[off & (ENF_EVENT_PATH - 1)] = '/';
		o = (off + 1) & (ENF_EVENT_PATH - 1);
		r = bpf_probe_read_kernel_str(&s->exe[o], ENF_EVENT_PATH, (void *)s->exe_tmp);
		if (r <= 0)
			return 0;
		off += r;               /* the "/" and the name */
	}
	if (!n) {
		s->exe[0] = '/';
		s->exe[1] = 0;
		off = 1;
	}
	if (off > ENF_EVENT_PATH - 1) {
		off = ENF_EVENT_PATH - 1;
		s->exe_flags |= ENF_EXE_TRUNC;
	}
	/* unlinked (d_unlinked: unhashed, not a root): a removed file */
	o = s->exe_flags | ENF_EXE_SET;
	c = (struct dentry *)s->exe_top;
	s->exe_tmp = 1;
	bpf_core_read(&s->exe_tmp, sizeof(s->exe_tmp), &c->d_hash.pprev);
	bpf_core_read(&s->exe_up, sizeof(s->exe_up), &c->d_parent);
	if (!s->exe_tmp && s->exe_up != (__u64)c)
		o |= ENF_EXE_DELETED;
	s->exe_ret = off | o << 16;
	return 0;
}

/* One record; path_len > 0: s->key.path holds the path (or name); with_argv
 * (a constant): an exec record gets its arguments (argv_fill), every record
 * its program's path (exe_fill), and a deny storm key's line its suppressed
 * count (storm_take; enf_storm_check() decided before: not for fail-closed
 * records). */
static __always_inline int emit_record(__u64 generation, const struct verdict_ctx *v,
				       long path_len, __u32 with_scratch, const int with_argv)
{
	__u32 zero = 0;
	struct scratch *s = with_scratch ? bpf_map_lookup_elem(&scratch_map, &zero) : NULL;
	struct task_struct *task;
	struct enf_event *ev;
	struct scratch *as = NULL;
	__u32 alen = 0;
	__u64 id, ug;

	if (!v)
		return 0;
	/* the program's path (exe_fill, into scratch: not in fail-closed
	 * records, whose stack is tight) and an exec record's arguments, read before the
	 * record is reserved; as (this CPU's scratch) serves both, so no
	 * other local lives across the calls below */
	if (with_argv) {
		as = bpf_map_lookup_elem(&scratch_map, &zero);
		if (as) {
			exe_fill(as);
			if (v->hook == ENF_HOOK_EXEC && !(v->flags & ENF_EV_HAS_FSTYPE))
				alen = argv_fill(&as->argv, v->op);
		}
	}
	ev = bpf_ringbuf_reserve(&events, sizeof(*ev), 0);
	if (!ev) {
		/* a keyed line that does not fit: counted as pending */
		if (!with_argv || storm_take(NULL, &zero))
			count(ENF_CNT_RB_DROPS);
		return 0;
	}
	ev->suppressed = 0;
	if (with_argv)
		storm_take(ev, &zero);
	ev->summary = 0;
	ev->exe_flags = 0;
	ev->exe_len = 0;
	ev->exe[0] = 0;
	if (as && (as->exe_ret & 0xffff)) {
		ev->exe_len = as->exe_ret & 0xffff;
		ev->exe_flags = as->exe_ret >> 16;
		bpf_probe_read_kernel(ev->exe, ENF_EVENT_PATH, as->exe);
		ev->exe[ENF_EVENT_PATH - 1] = 0;
	}
	/* read here, not above: nothing more lives across the calls above */
	task = bpf_get_current_task_btf();
	id = bpf_get_current_pid_tgid();
	ug = bpf_get_current_uid_gid();
	ev->ts_boot = bpf_ktime_get_boot_ns();
	ev->cgid = BPF_CORE_READ(task, cgroups, dfl_cgrp, kn, id);
	ev->generation = generation;
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
	ev->cap = v->cap;
	ev->cond = v->cond;
	ev->right = v->right;
	ev->pad4[0] = ev->pad4[1] = ev->pad4[2] = 0;
	ev->sysno = v->sysno;
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
	if (s && (v->flags & ENF_EV_HAS_FSTYPE)) {
		/* a file system type, NUL-terminated in s->argv.buf */
		bpf_probe_read_kernel(ev->argv, ENF_ARGV_MAX, s->argv.buf);
		ev->argv[ENF_ARGV_MAX - 1] = 0;
		ev->argv_len = s->argv.len;
	} else if (as && alen > 0) {
		struct enf_argv *a = &as->argv;
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
	bpf_ringbuf_submit(ev, 0);
	return 0;
}

/* A global function of its own, called by emit() before enf_emit(): a
 * sibling in the hooks' call chains, so enf_emit's frame (the deepest of
 * those chains) does not grow.  1: a deny storm's repeat, counted. */
__noinline int enf_storm_check(__u64 generation, const struct verdict_ctx *v)
{
	__u32 zero = 0;

	if (!v)
		return 0;
	return storm_check(generation, v, &zero);
}

__noinline int enf_emit(__u64 generation, const struct verdict_ctx *v, long path_len,
			__u32 with_scratch)
{
	return emit_record(generation, v, path_len, with_scratch, 1);
}

/* Its record inline, not through enf_emit: one call level less in the
 * chains that end here (their stacks share 512 bytes). */
__noinline int enf_fail_closed(__u64 generation, __u32 hook, __u32 access, __u32 op)
{
	struct verdict_ctx v = {
		.policy_id = ENF_MAX_POLICIES, .rule_id = ENF_RULE_DEFAULT,
		.hook = hook, .action = ENF_ACTION_DENY, .access = access,
		.flags = ENF_EV_FAIL_CLOSED, .op = op,
	};

	count(ENF_CNT_FAIL_CLOSED);
	emit_record(generation, &v, 0, 0, 0);   /* no argv: its stack (the 512 bytes) */
	return -EPERM;
}

/* The slot in rule_slots of (hook, rule_id) of policy policy_id in half
 * gen_bit; NULL beyond the policy's range (then the rule_hits hash). */
static __always_inline struct enf_hits *hits_slot(__u32 policy_id, __u32 hook, __u32 rule_id,
						  __u32 gen_bit)
{
	__u32 idx = (gen_bit & 1) * ENF_MAX_POLICIES + policy_id;
	const struct enf_policy *pol;
	__u32 at;

	if (policy_id >= ENF_MAX_POLICIES)
		return NULL;
	pol = bpf_map_lookup_elem(&policies, &idx);
	at = rule_slot_at(pol, hook, rule_id);
	if (at == ~0u)
		return NULL;
	/* struct enf_slot_hits starts with the judged hits */
	return bpf_map_lookup_elem(&rule_slots, &at);
}

__noinline int enf_account(__u32 policy_id, __u32 hook, __u32 rule_id, __u32 action, __u32 gen_bit)
{
	struct enf_hit_key k = { .policy_id = policy_id, .rule_id = rule_id, .hook = hook };
	struct enf_pstat *st;
	struct enf_hits *h;

	if (hook >= ENF_HOOK_MAX)
		return 0;
	st = pstat(policy_id, hook);
	if (st) {
		st->checks++;
		if (action == ENF_ACTION_DENY)
			st->denials++;
		else if (action == ENF_ACTION_AUDIT)
			st->audits++;
	}
	h = hits_slot(policy_id, hook, rule_id, gen_bit);
	if (!h)
		h = bpf_map_lookup_elem(&rule_hits, &k);
	if (!h) {
		struct enf_hits zero = {};

		/* EEXIST: another CPU made it first */
		bpf_map_update_elem(&rule_hits, &k, &zero, BPF_NOEXIST);
		h = bpf_map_lookup_elem(&rule_hits, &k);
		if (!h) {
			count(ENF_CNT_HITS_LOST);
			return 0;
		}
	}
	if (action == ENF_ACTION_DENY)
		h->denied++;
	else if (action == ENF_ACTION_AUDIT)
		h->audited++;
	else
		h->allowed++;
	return 0;
}

/*
 * enf_storm_flush (BPF_PROG_RUN by enforcerd every second, at reload and
 * at stop): a summary record for each key whose window has ended with
 * denials still pending (ctx->force: every key with any), so that no count
 * waits for a next denial that may never come.  Keys idle for two windows
 * and more, and (force) keys of another generation, are dropped once
 * nothing is pending.  A full ring buffer stops the walk: the counts stay
 * pending for the next flush.
 */
#define ENF_STORM_IDLE_NS 1000000000ULL

struct storm_walk {
	__u64 now;
	__u64 window;
	__u64 generation;
	__u32 force;
	__u32 written;
};

static long storm_flush_one(struct bpf_map *map, struct enf_storm_key *k, struct enf_storm_val *e,
			    struct storm_walk *w)
{
	struct enf_event *ev;
	__u64 n = e->pending;

	if (!n) {
		if (w->now - e->win_start > 2 * w->window + ENF_STORM_IDLE_NS ||
		    (w->force && k->generation != w->generation))
			bpf_map_delete_elem(map, k);
		return 0;
	}
	if (!w->force && w->now - e->win_start < w->window)
		return 0;
	ev = bpf_ringbuf_reserve(&events, sizeof(*ev), 0);
	if (!ev)
		return 1;
	if (n > 0xffffffffULL)
		n = 0xffffffffULL;
	__sync_fetch_and_add(&e->pending, -n);
	ev->ts_boot = w->now;
	ev->cgid = k->cgid;
	ev->generation = k->generation;
	ev->pid = k->pid;
	ev->tid = k->pid;
	ev->ppid = e->ppid;
	ev->uid = e->uid;
	ev->gid = e->gid;
	ev->policy_id = k->policy_id;
	ev->rule_id = k->rule_id;
	ev->hook = k->hook;
	ev->action = k->action;
	ev->access = 0;
	ev->proto = 0;
	ev->family = 0;
	ev->flags = e->flags & ENF_EV_FAIL_CLOSED;
	ev->port = 0;
	__builtin_memset(ev->addr, 0, sizeof(ev->addr));
	__builtin_memcpy(ev->comm, e->comm, sizeof(ev->comm));
	ev->path_len = 0;
	ev->ns_pid = k->pid;
	ev->ns_level = 0;
	ev->argv_len = 0;
	ev->op = k->op;
	ev->cap = 0;
	ev->cond = 0;
	ev->sysno = 0;
	ev->right = 0;
	ev->summary = 1;
	ev->pad4[0] = ev->pad4[1] = ev->pad4[2] = 0;
	ev->exe_flags = 0;      /* a summary names no program: the daemon reads /proc */
	ev->exe_len = 0;
	ev->exe[0] = 0;
	ev->suppressed = n;
	ev->path[0] = 0;
	ev->argv[0] = 0;
	bpf_ringbuf_submit(ev, 0);
	w->written++;
	return 0;
}

SEC("syscall")
int enf_storm_flush(struct enf_storm_flush_ctx *ctx)
{
	struct storm_walk w = {
		.now = bpf_ktime_get_boot_ns(),
		.window = enf_storm_window_ns,
		.generation = ctx->generation,
		.force = ctx->force,
	};

	bpf_for_each_map_elem(&storms, storm_flush_one, &w, 0);
	ctx->written = w.written;
	return 0;
}
