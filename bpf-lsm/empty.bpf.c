// SPDX-License-Identifier: GPL-2.0
/*
 * empty.bpf.c - the benchmark's "BPF floor" (configuration C1): empty
 * programs on exactly the hooks enforcer's object attaches, each returning the
 * previous verdict (LSM) or 0 (the cgroup_mkdir tracepoint).  Their cost is what any BPF
 * LSM pays for trampolines on these hooks; t/bench/bin/floor.c loads them.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

#define EMPTY_LSM(hook, name, ...)                         \
	SEC("lsm/" #hook)                                  \
	int BPF_PROG(name, __VA_ARGS__, int ret)           \
	{                                                  \
		return ret;                                \
	}

EMPTY_LSM(bprm_check_security, floor_exec, struct linux_binprm *bprm)
EMPTY_LSM(mmap_file, floor_mmap_file, struct file *file, unsigned long reqprot,
	  unsigned long prot, unsigned long flags)
EMPTY_LSM(file_open, floor_file_open, struct file *file)
EMPTY_LSM(socket_connect, floor_connect, struct socket *sock, struct sockaddr *address, int addrlen)
EMPTY_LSM(socket_sendmsg, floor_sendmsg, struct socket *sock, struct msghdr *msg, int size)
EMPTY_LSM(socket_sendmsg, floor_sctp_sendmsg, struct socket *sock, struct msghdr *msg, int size)
EMPTY_LSM(sctp_bind_connect, floor_sctp_connect, struct sock *sk, int optname,
	  struct sockaddr *address, int addrlen)
EMPTY_LSM(path_unlink, floor_unlink, const struct path *dir, struct dentry *dentry)
EMPTY_LSM(path_rmdir, floor_rmdir, const struct path *dir, struct dentry *dentry)
EMPTY_LSM(path_rename, floor_rename, const struct path *old_dir, struct dentry *old_dentry,
	  const struct path *new_dir, struct dentry *new_dentry, unsigned int flags)
EMPTY_LSM(path_link, floor_link, struct dentry *old_dentry, const struct path *new_dir,
	  struct dentry *new_dentry)
EMPTY_LSM(path_truncate, floor_truncate, const struct path *path)
EMPTY_LSM(path_chmod, floor_chmod, const struct path *path, umode_t mode)
EMPTY_LSM(path_chown, floor_chown, const struct path *path, __u64 uid, __u64 gid)
EMPTY_LSM(path_mknod, floor_mknod, const struct path *dir, struct dentry *dentry, umode_t mode,
	  unsigned int dev)
EMPTY_LSM(path_mkdir, floor_mkdir, const struct path *dir, struct dentry *dentry, umode_t mode)
EMPTY_LSM(path_symlink, floor_symlink, const struct path *dir, struct dentry *dentry,
	  const char *old_name)
EMPTY_LSM(capable, floor_capable, const struct cred *cred, struct user_namespace *ns, int cap,
	  unsigned int opts)

SEC("lsm/bprm_committing_creds")
int BPF_PROG(floor_exec_commit, struct linux_binprm *bprm)
{
	return 0;
}

/* The lsm/bpf hook gained a 'bool kernel' argument in 6.9: the loader picks one. */
EMPTY_LSM(bpf, floor_bpf, int cmd, union bpf_attr *attr, unsigned int size)
EMPTY_LSM(bpf, floor_bpf_kernel, int cmd, union bpf_attr *attr, unsigned int size, bool kernel)
EMPTY_LSM(task_kill, floor_task_kill, struct task_struct *p, struct kernel_siginfo *info, int sig,
	  const struct cred *cred)
EMPTY_LSM(ptrace_access_check, floor_ptrace, struct task_struct *child, unsigned int mode)

SEC("tp_btf/cgroup_mkdir")
int BPF_PROG(floor_cgroup_mkdir, struct cgroup *cgrp, const char *path)
{
	return 0;
}
