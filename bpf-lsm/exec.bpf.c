// SPDX-License-Identifier: GPL-2.0
/*
 * exec.bpf.c - exec rules: execve of a file (bprm_check_security), its
 * executable mappings (mmap_file, file_mprotect with PROT_EXEC; the first
 * two answered by the verdict cache when they can be), and the
 * arguments of an exec audit line (read by audit.bpf.c only when a record
 * is written: no syscall tracepoint).  The exec of a runtime binary by a
 * confined task not in its setup phase is refused a setup phase here
 * (confine.bpf.h, refuse_setup), before the exec commits; so is one whose
 * thread group's leader was refused, when it is not the leader
 * (keep_refusal: de_thread would take the leader's mark away).
 */
#include "path.bpf.h"
#include "confine.bpf.h"
#include <bpf/bpf_tracing.h>

#define PROT_EXEC 0x4
#define VM_EXEC 0x4

/*
 * The verdict cache first (vcache.bpf.h), right after the ungoverned filter:
 * an allow of this file's exec (or mapping) stored on its inode under the
 * same key answers without the path and inode walks.  An ungoverned task
 * leaves at gov_prefix, with the instructions it ran before the cache: an
 * exec's file is read from bprm only after the filter (a volatile load of
 * the argument: not kept on the stack across it), and the task
 * is fetched again for the lookup (not kept from the filter: one register
 * move an ungoverned call would pay).
 */
static __always_inline int exec_check(unsigned long long *ctx, struct gov *g, struct file *f, __u8 op,
				      enum check_how how, const __u32 kind)
{
	struct file *vcf = NULL;
	int r;

	/* bprm_check_security(bprm): bprm->file (mmap_file: f, which its
	 * test of file kept in a register anyway) */
	if (kind == VC_EXEC) {
		struct inode *ino;

		f = ((struct linux_binprm *)*(volatile __u64 *)&ctx[0])->file;
		/* a runtime binary (the filter: a few loads): may this task
		 * start a setup phase with it?  (confine.bpf.h) */
		ino = f->f_inode;
		if (ino && runtime_maybe(g->cfg.gen_bit, ino->i_ino)) {
			r = refuse_setup(g, bpf_get_current_task_btf(), ino);
			if (r)
				return r;
		}
	}
	r = vc_lookup(g, f, bpf_get_current_task_btf(), kind);
	if (r > 0)
		return 0;
	if (!r)
		vcf = f;        /* cacheable: vc_fill after an allow */
	return check_path_gov(g, &f->f_path, ENF_HOOK_EXEC, ENF_KIND_EXEC, ENF_ACC_EXEC, 0, op, how, vcf);
}

/* Both hooks read ret as enf_file_open does: its low 32 bits by one narrow
 * load (an int: all of it), returned as it came by an ungoverned task, with
 * no test of its own; a governed one stops at a nonzero ret too. */
SEC("lsm/bprm_check_security")
int BPF_PROG(enf_exec, struct linux_binprm *bprm, int ret)
{
	int prev = *(volatile __u32 *)&ctx[1];
	struct task_struct *t;
	struct gov g;

	if (!gov_prefix_task(&g, &t) || prev)
		return prev;
	/* an exec by a thread that is not the leader: the leader's refusal
	 * is kept (de_thread ends the leader: confine.bpf.h, keep_refusal) */
	if (t->group_leader != t && keep_refusal(t))
		return fail_closed(&g.cfg, ENF_HOOK_EXEC, ENF_ACC_EXEC, ENF_OP_EXEC);
	return exec_check(ctx, &g, NULL, ENF_OP_EXEC, CHECK_DEFAULT, VC_EXEC);
}

/* ld.so /usr/bin/x maps x with PROT_EXEC without an exec of it: explicit
 * exec deny rules apply to executable file mappings too.  Most mappings
 * are not executable: prot is tested before the filter. */
SEC("lsm/mmap_file")
int BPF_PROG(enf_mmap_file, struct file *file, unsigned long reqprot, unsigned long prot,
	     unsigned long flags, int ret)
{
	int prev = *(volatile __u32 *)&ctx[4];
	struct gov g;

	if (!(prot & PROT_EXEC) || !file || !gov_prefix(&g) || prev)
		return prev;
	return exec_check(ctx, &g, file, ENF_OP_MMAP_EXEC, CHECK_EXPLICIT, VC_MMAP);
}

/*
 * mprotect(PROT_EXEC) of a file mapping made without it: explicit exec deny
 * rules apply (and `owner` rules to whoever does not own the file), judged
 * by inode walking up from the file (no bpf_d_path in this hook on 6.1).
 */
SEC("lsm/file_mprotect")
int BPF_PROG(enf_mprotect, struct vm_area_struct *vma, unsigned long reqprot, unsigned long prot,
	     int ret)
{
	struct dentry *d;
	struct gov g;
	__u64 dent;
	int owner = -1;
	int i;

	if (ret)
		return ret;
	if (!(prot & PROT_EXEC) || (BPF_CORE_READ(vma, vm_flags) & VM_EXEC) || !vma->vm_file)
		return 0;
	switch (govern(&g)) {
	case GOV_NONE:
		return 0;
	case GOV_OVERFLOW:
		return fail_closed(&g.cfg, ENF_HOOK_EXEC, ENF_ACC_EXEC, ENF_OP_MMAP_EXEC);
	case GOV_POLICIES:
		break;
	}
	d = BPF_CORE_READ(vma, vm_file, f_path.dentry);
	dent = dentry_arg(d);
	/* Bound: ENF_MAX_STACK governing policies. */
	for (i = 0; i < ENF_MAX_STACK; i++) {
		struct gov_pol p = gov_policy(&g, i);
		struct rule_match m = {};
		enum match_state st;

		if (p.state == POL_END)
			break;
		if (p.state == POL_MISSING)
			return fail_closed(&g.cfg, ENF_HOOK_EXEC, ENF_ACC_EXEC, ENF_OP_MMAP_EXEC);
		if (!p.pol->active[ENF_HOOK_EXEC] || p.pol->mode == ENF_MODE_AUDIT)
			continue;
		/* exec rules without a program condition (their patterns too) */
		st = enf_walk(dent, ENF_TAG(g.cfg.gen_bit, ENF_KIND_EXEC, p.id), ENF_WALK_NO_PROGS, &m);
		if (st == MATCH_BOUND)
			return fail_closed(&g.cfg, ENF_HOOK_EXEC, ENF_ACC_EXEC, ENF_OP_MMAP_EXEC);
		/* deny rules, and `owner` rules for whoever does not own the file */
		if (st == MATCH_RULE && cond_verdict(m.verdict, m.cond, d, &owner) == ENF_DENY) {
			struct verdict_ctx v = {
				.policy_id = p.id, .rule_id = m.rule_id, .hook = ENF_HOOK_EXEC,
				.access = ENF_ACC_EXEC, .op = ENF_OP_MMAP_EXEC, .flags = ENF_EV_NAME_ONLY,
				.cond = m.verdict != ENF_DENY ? m.cond & ~ENF_COND_PROGS : 0,
			};
			long len = bpf_probe_read_kernel_str(g.s->key.path, ENF_EVENT_PATH,
							     BPF_CORE_READ(d, d_name.name));

			if (judge(&g.cfg, p.pol, &v, 1, g.s, len))
				return -EPERM;
		}
	}
	return 0;
}
