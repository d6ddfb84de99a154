// SPDX-License-Identifier: GPL-2.0
/*
 * escape.bpf.c - attacks on enforcer itself and ways out through another
 * process: bpf() (which could detach enforcer's programs), signals, ptrace,
 * limits and priorities aimed at enforcerd, and ptrace of a process outside the governed
 * subtree or still in its setup phase.  Mounts, chroot and namespaces are
 * closed by the capability model (confine.bpf.c).
 */
#include "confine.bpf.h"
#include <bpf/bpf_tracing.h>

#define PTRACE_MODE_ATTACH 0x02
#define PTRACE_MODE_NOAUDIT 0x04

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

/*
 * Limits, priorities and memory placement of enforcerd: prlimit(RLIMIT_CPU)
 * has the kernel SIGKILL it (no task_kill hook sees that signal, nor
 * RLIMIT_FSIZE's SIGXFSZ), RLIMIT_NOFILE stops its control socket, nice,
 * SCHED_IDLE, an affinity or the idle I/O class starve it.  setpriority and
 * ioprio_set by user or group reach each task through these hooks too.
 */
SEC("lsm/task_setrlimit")
int BPF_PROG(enf_task_setrlimit, struct task_struct *p, unsigned int resource, struct rlimit *new_rlim,
	     int ret)
{
	return ret ? ret : check_target(p, -1);
}

SEC("lsm/task_setnice")
int BPF_PROG(enf_task_setnice, struct task_struct *p, int nice, int ret)
{
	return ret ? ret : check_target(p, -1);
}

SEC("lsm/task_setioprio")
int BPF_PROG(enf_task_setioprio, struct task_struct *p, int ioprio, int ret)
{
	return ret ? ret : check_target(p, -1);
}

/* sched_setscheduler, sched_setattr, sched_setaffinity, timerslack_ns */
SEC("lsm/task_setscheduler")
int BPF_PROG(enf_task_setscheduler, struct task_struct *p, int ret)
{
	return ret ? ret : check_target(p, -1);
}

/* migrate_pages, move_pages */
SEC("lsm/task_movememory")
int BPF_PROG(enf_task_movememory, struct task_struct *p, int ret)
{
	return ret ? ret : check_target(p, -1);
}

/*
 * ptrace (and /proc/PID/mem, process_vm_writev, pidfd_getfd) of a task that
 * the tracer's policies do not all govern, or of a task that may start a
 * setup phase (may_start_setup: in one, or moved in by a trusted mover and
 * no exec since, whose exec of a runtime binary would start one; the same
 * standing as at that exec): a way to act through a process that is not
 * confined as much.  Denied unless every governing policy grants
 * CAP_SYS_PTRACE.
 */
static __always_inline int check_ptrace(struct task_struct *child, unsigned int mode)
{
	struct enf_cg_cache *dst;
	struct gov_pol p;
	struct gov g;

	if (!(mode & PTRACE_MODE_ATTACH))
		return 0;       /* reading /proc/PID/stat and the like */
	switch (govern(&g)) {
	case GOV_NONE:
		return 0;
	case GOV_OVERFLOW:
		return check_privilege(&g, ENF_CAP_SYS_PTRACE, !(mode & PTRACE_MODE_NOAUDIT),
				       ENF_OP_PTRACE, NULL);
	case GOV_POLICIES:
		break;
	}
	p = cap_denier(&g, ENF_CAP_SYS_PTRACE);
	if (p.state == POL_END)
		return 0;
	if (!may_start_setup(&g.cfg, child)) {
		dst = &g.s->dst;
		collect(&g.cfg, BPF_CORE_READ(child, cgroups, dfl_cgrp), 1);
		if (dst->n != ENF_CACHE_OVERFLOW) {
			int i;

			/* Bound: ENF_MAX_STACK governing policies. */
			for (i = 0; i < ENF_MAX_STACK; i++) {
				if (i >= g.set->n)
					return 0;   /* inside the governed subtree */
				if (!set_has(dst, g.set->ids[i & (ENF_MAX_STACK - 1)]))
					break;
			}
		}
	}
	return check_privilege(&g, ENF_CAP_SYS_PTRACE, !(mode & PTRACE_MODE_NOAUDIT), ENF_OP_PTRACE,
			       NULL);
}

SEC("lsm/ptrace_access_check")
int BPF_PROG(enf_ptrace, struct task_struct *child, unsigned int mode, int ret)
{
	if (ret)
		return ret;
	ret = check_target(child, -1);
	return ret ? ret : check_ptrace(child, mode);
}
