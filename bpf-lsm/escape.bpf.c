// SPDX-License-Identifier: GPL-2.0
/*
 * escape.bpf.c - ways out of the policies and attacks on enforcer itself:
 * mounts (which could show a protected directory under another path),
 * bpf() (which could detach enforcer's programs), and signals or ptrace
 * aimed at enforcerd.
 */
#include "audit.bpf.h"
#include <bpf/bpf_tracing.h>

/* Mounts would let a governed task show a protected directory under another
 * path: denied to tasks under a policy with file rules. */
static __always_inline int check_mount(void)
{
	struct gov g;
	int i;

	switch (govern(&g)) {
	case GOV_NONE:
		return 0;
	case GOV_OVERFLOW:
		return fail_closed(&g.cfg, ENF_HOOK_FILE, ENF_ACC_WRITE, ENF_OP_MOUNT);
	case GOV_POLICIES:
		break;
	}
	/* Bound: ENF_MAX_STACK governing policies. */
	for (i = 0; i < ENF_MAX_STACK; i++) {
		struct gov_pol p = gov_policy(&g, i);

		if (p.state == POL_END)
			break;
		if (p.state == POL_MISSING)
			return fail_closed(&g.cfg, ENF_HOOK_FILE, ENF_ACC_WRITE, ENF_OP_MOUNT);
		if (p.pol->active[ENF_HOOK_FILE] && !(p.pol->flags & ENF_POL_POD)) {
			struct verdict_ctx v = {
				.policy_id = p.id, .rule_id = ENF_RULE_DEFAULT, .hook = ENF_HOOK_FILE,
				.access = ENF_ACC_WRITE, .op = ENF_OP_MOUNT,
			};

			if (judge(&g.cfg, p.pol, &v, 1, NULL, 0))
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

/* Governed by a policy other than a host-wide baseline: denied, rule "self". */
static __always_inline int deny_if_confined(__u8 access, __u8 op)
{
	struct gov g;

	if (govern(&g) == GOV_NONE || !confined(&g.cfg, g.set))
		return 0;
	return deny_tamper(&g.cfg, g.set, access, op);
}

/* No bpf() at all for governed tasks: they cannot detach, unpin or change
 * enforcer's programs, links or maps.  Two variants: 6.9+ added an argument;
 * the daemon loads the one that matches the running kernel. */
SEC("lsm/bpf")
int BPF_PROG(enf_bpf, int cmd, union bpf_attr *attr, unsigned int size, int ret)
{
	return ret ? ret : deny_if_confined(ENF_ACC_NONE, ENF_OP_TAMPER);
}

SEC("lsm/bpf")
int BPF_PROG(enf_bpf_kernel, int cmd, union bpf_attr *attr, unsigned int size, bool kernel, int ret)
{
	return ret ? ret : deny_if_confined(ENF_ACC_NONE, ENF_OP_TAMPER);
}

/* Governed tasks may not signal (beyond probing with 0) or trace enforcerd. */
static __always_inline int check_target(struct task_struct *p, int sig)
{
	__u32 tgid = BPF_CORE_READ(p, tgid);

	if (!enf_daemon_tgid || tgid != enf_daemon_tgid || sig == 0)
		return 0;
	return deny_if_confined(ENF_ACC_NONE, ENF_OP_TAMPER);
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
