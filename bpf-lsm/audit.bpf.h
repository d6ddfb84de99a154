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

/* One record; path_len > 0: s->key.path holds the path (or name). */
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
	} else if (v->hook == ENF_HOOK_EXEC) {
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
	struct enf_pstat *st = v->hook < ENF_HOOK_MAX ? pstat(v->policy_id, v->hook) : NULL;

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

#endif /* ENF_AUDIT_BPF_H */
