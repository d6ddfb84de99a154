// SPDX-License-Identifier: GPL-2.0
/*
 * confine.bpf.c - the privilege model (confine.bpf.h): capabilities a
 * governed task's policies deny, judged in every user namespace
 * (lsm/capable), the end of the setup phase at the exec of the
 * workload (lsm/bprm_committing_creds), a task renaming its own program
 * (lsm/task_prctl), and IPv6 routing headers (lsm/socket_setsockopt, and
 * enf_route_cmsg for sendmsg's control data).
 */
#include "confine.bpf.h"
#include <bpf/bpf_tracing.h>

/*
 * Every capability check of a governed task, in any user namespace.  Only
 * the task's own credentials are judged: the kernel acting with other
 * credentials (override_creds: overlayfs copy-up as its mounter, a file
 * opener's f_cred) is not the task using a privilege.
 */
SEC("lsm/capable")
int BPF_PROG(enf_capable, const struct cred *cred, struct user_namespace *ns, int cap,
	     unsigned int opts, int ret)
{
	struct task_struct *task;
	struct gov g;

	if (ret)
		return ret;
	if (govern(&g) == GOV_NONE)
		return 0;
	task = bpf_get_current_task_btf();
	if (cred != BPF_CORE_READ(task, real_cred) || cap < 0 || cap > 63)
		return 0;
	return check_privilege(&g, cap, !(opts & CAP_OPT_NOAUDIT), ENF_OP_NONE, NULL);
}

#define PR_SET_MM 35
#define PR_SET_MM_EXE_FILE 13
#define PR_SET_MM_MAP 14

/*
 * prctl(PR_SET_MM, PR_SET_MM_EXE_FILE) and PR_SET_MM_MAP (whose exe_fd does
 * the same) set mm->exe_file: the program that `exe PATH` conditions and
 * the setup phase match.  The kernel asks only CAP_SYS_RESOURCE (not in the
 * built-in denied set), or for the map CAP_CHECKPOINT_RESTORE in the
 * caller's own user namespace (any uid after unshare), and that the old
 * program be unmapped: a copy could take the allowed program's name and
 * its rules.  For a governed task it needs CAP_SYS_ADMIN from the policies
 * too, like a mount over the program would.  PR_SET_MM_MAP is judged
 * whatever its exe_fd says: the kernel reads the struct again after this
 * hook, so a value read here could change in between.  Every prctl on the
 * machine comes here: the option is compared first.
 */
SEC("lsm/task_prctl")
int BPF_PROG(enf_prctl_exe, int option, unsigned long arg2, unsigned long arg3, unsigned long arg4,
	     unsigned long arg5, int ret)
{
	enum gov_state st;
	struct gov g;

	if (ret)
		return ret;
	if (option != PR_SET_MM || (arg2 != PR_SET_MM_EXE_FILE && arg2 != PR_SET_MM_MAP))
		return 0;
	st = govern(&g);
	if (st == GOV_NONE)
		return 0;
	if (check_privilege(&g, ENF_CAP_SYS_ADMIN, 1, ENF_OP_PRCTL, NULL))
		return -EPERM;
	/* allowed: a workload that names a runtime binary its program is not
	 * in setup by it either (as if it exec'd it) */
	return refuse_workload(&g, st, bpf_get_current_task_btf(), ENF_HOOK_CAPABLE, ENF_ACC_NONE,
			       ENF_OP_PRCTL);
}

#define SOL_IPV6 41
#define IPV6_2292RTHDR 5
#define IPV6_2292PKTOPTIONS 6   /* sticky options as control messages */
#define IPV6_RTHDR 57
#define ENF_CAP_NET_RAW 13
#define ROUTE_CMSG_MAX 8        /* control messages looked at in one sendmsg */

/*
 * An IPv6 routing header (type 2, which the kernel takes from anyone, with
 * CONFIG_IPV6_MIP6) sends a connect's or a datagram's packets to the
 * address it names, not to the destination the connect rules judged.  Like
 * a raw socket's own addresses, it needs CAP_NET_RAW from the policies.
 * (IPv4's source routes, IP_OPTIONS and IP_RETOPTS, need CAP_NET_RAW from
 * the kernel already.)
 */
SEC("lsm/socket_setsockopt")
int BPF_PROG(enf_route_setsockopt, struct socket *sock, int level, int optname, int ret)
{
	struct gov g;

	if (ret)
		return ret;
	if (level != SOL_IPV6 ||
	    (optname != IPV6_RTHDR && optname != IPV6_2292RTHDR && optname != IPV6_2292PKTOPTIONS))
		return 0;
	if (govern(&g) == GOV_NONE)
		return 0;
	return check_privilege(&g, ENF_CAP_NET_RAW, 1, ENF_OP_SETSOCKOPT, NULL) ? -EPERM : 0;
}

/*
 * The control data (ctl, len bytes: the kernel's copy) of a sendmsg on an
 * IPv6 socket: 1 when it holds a routing header a governed task may not
 * use (judged as above, op sendmsg), or when it cannot be read or holds
 * more than ROUTE_CMSG_MAX messages (fail closed).  A global function
 * (net.bpf.c's enf_sendmsg calls it): verified once.
 */
__noinline int enf_route_cmsg(__u64 ctl, __u64 len)
{
	__u64 off = 0;
	struct gov g;
	int i;

	if (govern(&g) == GOV_NONE)
		return 0;
	/* Bound: ROUTE_CMSG_MAX control messages. */
	for (i = 0; i < ROUTE_CMSG_MAX; i++) {
		struct {
			__u64 len;
			int level;
			int type;
		} h = {};

		if (off + sizeof(h) > len)
			return 0;
		if (bpf_probe_read_kernel(&h, sizeof(h), (void *)(ctl + off)) &&
		    bpf_probe_read_user(&h, sizeof(h), (void *)(ctl + off))) {
			fail_closed(&g.cfg, ENF_HOOK_CAPABLE, ENF_ACC_NONE, ENF_OP_SENDMSG);
			return 1;
		}
		if (h.level == SOL_IPV6 && (h.type == IPV6_RTHDR || h.type == IPV6_2292RTHDR))
			return check_privilege(&g, ENF_CAP_NET_RAW, 1, ENF_OP_SENDMSG, NULL) ? 1 : 0;
		if (h.len < sizeof(h) || h.len > len)
			return 0;       /* the kernel refuses it (CMSG_OK) */
		off += (h.len + 7) & ~7ULL;
	}
	if (off + 16 > len)
		return 0;
	fail_closed(&g.cfg, ENF_HOOK_CAPABLE, ENF_ACC_NONE, ENF_OP_SENDMSG);
	return 1;
}

/* Is f (a BTF pointer) an anonymous copy (a memfd, an O_TMPFILE): the copy
 * of itself a runtime re-execs (runc's and crun's defence against
 * CVE-2019-5736)? */
static __always_inline int is_anon_copy(struct file *f)
{
	struct inode *ino = f ? f->f_inode : NULL;

	return ino && ino->__i_nlink == 0;
}

/* Has task t (a BTF pointer) any task local storage at all (of any map)?
 * None: it has no task_state entry either, without the helper call.  Only
 * the task itself (this hook) and its parent's fork (enf_task_alloc, before
 * it runs) create its task_state entry. */
static __always_inline int has_storage(struct task_struct *t)
{
	return t->bpf_storage != NULL;
}

/*
 * The setup phase by lineage (enf_task): an exec of a runtime binary (by
 * identity) starts it, governed or not (the shim's runc is not, yet),
 * and ends a trusted move's standing (ENF_TASK_MOVED), unless enf_exec
 * refused it (refuse_setup: a confined task not in its
 * setup phase; ENF_TASK_EXECED, for good); the runtime's one re-exec of an
 * anonymous copy of itself keeps it; any other exec ends it, and a governed
 * one ends its cgroup's setup phase (setup_cg).  A workload carries no
 * task storage: what it may not do is decided when it tries (enf_exec),
 * from what it is then, not from a mark copied to each of its children.
 *
 * Every exec of the machine comes here.  A task with no task storage,
 * exec'ing a program the runtime filter says is no runtime binary, leaves
 * after a few loads (and, only while a container is in setup, its
 * cgroup's governing policies).
 */
SEC("lsm/bprm_committing_creds")
int BPF_PROG(enf_exec_commit, struct linux_binprm *bprm)
{
	struct file *f = bprm->file;
	struct task_struct *task;
	struct enf_task *ts;
	int maybe_gov, rt;
	struct gov g;

	g.cfg.generation = 0;
	maybe_gov = gov_prefix_task(&g, &task);
	if (!g.cfg.generation)
		return 0;               /* nothing loaded */
	rt = f && f->f_inode && runtime_maybe(g.cfg.gen_bit, f->f_inode->i_ino);
	if (!rt && !has_storage(task))
		goto end_setup;         /* no lineage, no runtime binary */
	if (rt)
		rt = is_runtime_file(&g.cfg, f);
	ts = has_storage(task) ? bpf_task_storage_get(&task_state, task, 0, 0) : NULL;
	if (rt) {
		if (ts && (ts->flags & ENF_TASK_EXECED))
			return 0;       /* refused (enf_exec): for good */
		if (!ts)
			ts = bpf_task_storage_get(&task_state, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
		if (ts)
			ts->flags = ENF_TASK_RUNTIME;
		else
			count(ENF_CNT_FAIL_CLOSED);     /* no lineage: judged by exe alone */
		return 0;
	}
	if (ts && (ts->flags & (ENF_TASK_RUNTIME | ENF_TASK_CLONED)) == ENF_TASK_RUNTIME &&
	    is_anon_copy(f)) {
		ts->flags |= ENF_TASK_CLONED;   /* runc init from its memfd */
		return 0;
	}
	if (ts && (ts->flags & (ENF_TASK_RUNTIME | ENF_TASK_CLONED | ENF_TASK_MOVED))) {
		/* the lineage ends; with no mark left the task has no entry
		 * (its children then inherit nothing, at one load) */
		ts->flags &= ~(ENF_TASK_RUNTIME | ENF_TASK_CLONED | ENF_TASK_MOVED);
		if (!ts->flags)
			bpf_task_storage_delete(&task_state, task);
	}
end_setup:
	/* a governed exec of a program: its cgroup's setup phase ends */
	if (!maybe_gov || !enf_setup_n || gov_rest(&g) == GOV_NONE)
		return 0;
	if (bpf_map_delete_elem(&setup_cg, &g.cgid) == 0)
		__sync_fetch_and_add(&enf_setup_n, -1);
	return 0;
}
