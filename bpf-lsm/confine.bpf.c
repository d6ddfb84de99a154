// SPDX-License-Identifier: GPL-2.0
/*
 * confine.bpf.c - the privilege model (confine.bpf.h): capabilities a
 * governed task's policies deny, judged in every user namespace
 * (lsm/capable), and the end of the setup phase at the exec of the
 * workload (lsm/bprm_committing_creds).
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

/* An exec while governed ends the setup phase, unless the new program is
 * a runtime binary too (systemd's child exec'ing systemd-executor). */
SEC("lsm/bprm_committing_creds")
int BPF_PROG(enf_exec_commit, struct linux_binprm *bprm)
{
	struct enf_task *ts;
	struct gov g;

	if (govern(&g) == GOV_NONE)
		return 0;
	if (is_runtime_file(&g.cfg, bprm->file))
		return 0;
	ts = bpf_task_storage_get(&task_state, bpf_get_current_task_btf(), 0,
				  BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (ts)
		ts->flags |= ENF_TASK_EXECED;
	else
		count(ENF_CNT_FAIL_CLOSED);     /* no storage: setup is judged by exe alone */
	return 0;
}
