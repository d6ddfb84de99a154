// SPDX-License-Identifier: GPL-2.0
/*
 * tty.bpf.c - input pushed into a terminal.  TIOCSTI fakes a typed byte and
 * TIOCLINUX's selection subcodes (set, paste) put text into a virtual
 * console's input: whatever session reads that terminal next (an
 * unconfined shell that started the governed command, say) runs it outside
 * every policy.  The kernel lets any task do it on its controlling terminal
 * (6.1; 6.2+ only with dev.tty.legacy_tiocsti=1).  Here, as on kernels
 * without legacy TIOCSTI, it needs CAP_SYS_ADMIN: a governed task whose
 * policies deny it (the built-in default) gets EPERM and an audit line
 * (op "tiocsti", "tioclinux"); ungoverned tasks are not looked at.
 * Every ioctl on the machine comes here: the command is compared first.
 */
#include "confine.bpf.h"
#include <bpf/bpf_tracing.h>

#define TIOCSTI 0x5412
#define TIOCLINUX 0x541C
#define TIOCL_SETSEL 2          /* also TIOCL_SELMOUSEREPORT: a mouse report as input */
#define TIOCL_PASTESEL 3

static __noinline int judge_tty(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct gov g;
	__u8 sub = 0;

	if (govern(&g) == GOV_NONE)
		return 0;
	if (cmd == TIOCLINUX &&
	    bpf_probe_read_user(&sub, 1, (const void *)arg) == 0 &&
	    sub != TIOCL_SETSEL && sub != TIOCL_PASTESEL)
		return 0;       /* unreadable subcode: judged as a paste */
	return check_privilege(&g, ENF_CAP_SYS_ADMIN, 1,
			       cmd == TIOCSTI ? ENF_OP_TIOCSTI : ENF_OP_TIOCLINUX,
			       file ? BPF_CORE_READ(file, f_path.dentry) : NULL);
}

SEC("lsm/file_ioctl")
int BPF_PROG(enf_tty_ioctl, struct file *file, unsigned int cmd, unsigned long arg, int ret)
{
	if (ret)
		return ret;
	if (cmd != TIOCSTI && cmd != TIOCLINUX)
		return 0;
	return judge_tty(file, cmd, arg);
}

/* 32-bit tasks on kernels with the compat hook (6.8+, and stable kernels
 * that took it): the same commands, the same numbers. */
SEC("lsm/file_ioctl_compat")
int BPF_PROG(enf_tty_ioctl_compat, struct file *file, unsigned int cmd, unsigned long arg, int ret)
{
	if (ret)
		return ret;
	if (cmd != TIOCSTI && cmd != TIOCLINUX)
		return 0;
	return judge_tty(file, cmd, arg);
}
