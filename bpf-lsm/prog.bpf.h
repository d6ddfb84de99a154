/* SPDX-License-Identifier: GPL-2.0 */
/*
 * prog.bpf.h - program conditions (`exe PATH` after a rule): the current
 * task's executable (mm->exe_file) by inode identity, and the classes of a
 * policy it belongs to (inode_rules, ENF_KIND_PROG; see enforcer_abi.h).
 * Read only for policies whose rules on the hook have such a condition.
 */
#ifndef ENF_PROG_BPF_H
#define ENF_PROG_BPF_H

#include "govern.bpf.h"

/* The executable's identity, read at most once per hook call. */
struct prog_id {
	__u64 ino;
	__u32 dev;              /* s_dev (dev_t) */
	__u32 state;            /* 0 not read yet, 1 read, 2 none (kernel thread) */
};

/* The dentry of the current task's executable (mm->exe_file), or with
 * parent of its parent process's; NULL for a kernel thread (no program).
 * The one place that reads it: prog_mask, enf_prog_classes (prog.bpf.c)
 * and the pattern matcher's pat_classes (pattern.bpf.c). */
static __always_inline struct dentry *prog_exe_dentry(__u32 parent)
{
	struct task_struct *t = bpf_get_current_task_btf();
	struct file *f;

	if (parent)
		f = BPF_CORE_READ(t, real_parent, mm, exe_file);
	else
		f = BPF_CORE_READ(t, mm, exe_file);
	return f ? BPF_CORE_READ(f, f_path.dentry) : NULL;
}

/* The mask of program classes (ENF_KIND_PROG entries of tag) of the
 * current task's executable, or of its parent process's (parent), with
 * dirs the entries of the directories above it too (`exe DIR/`); -1 when
 * the program lies deeper than the bound (prog.bpf.c). */
__noinline long enf_prog_classes(__u32 tag, __u32 parent, __u32 dirs);

/* The mask of policy pid's program classes the task's executable is in. */
static __always_inline __u32 prog_mask(struct prog_id *pi, __u32 gen_bit, __u32 pid)
{
	struct enf_inode_key k = {};
	struct enf_inode_val *v;

	if (!pi->state) {
		struct dentry *d = prog_exe_dentry(0);
		struct inode *ino = d ? BPF_CORE_READ(d, d_inode) : NULL;

		pi->state = 2;
		if (ino) {
			pi->dev = BPF_CORE_READ(ino, i_sb, s_dev);
			pi->ino = BPF_CORE_READ(ino, i_ino);
			pi->state = 1;
		}
	}
	if (pi->state != 1)
		return 0;
	k.tag = ENF_TAG(gen_bit, ENF_KIND_PROG, pid);
	k.dev = pi->dev;
	k.ino = pi->ino;
	v = bpf_map_lookup_elem(&inode_rules, &k);
	return v ? v->progs : 0;
}

#endif /* ENF_PROG_BPF_H */
