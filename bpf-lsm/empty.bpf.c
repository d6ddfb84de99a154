// SPDX-License-Identifier: GPL-2.0
/*
 * empty.bpf.c - the benchmark's "BPF floor" (configuration C1): one empty
 * program for each program enforcerd attaches (enforcer/daemon/bpf_setup.c,
 * two on a hook where it attaches two), each returning the previous
 * verdict (LSM) or 0 (the tp_btf tracepoints).  Their cost is what any BPF
 * LSM pays for trampolines on these hooks; t/bench/bin/floor.c loads them,
 * choosing among the variants as enforcerd does (the hooks' arguments
 * differ between kernels).  Keep it in step with bpf_setup_attach().
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
EMPTY_LSM(socket_bind, floor_bind, struct socket *sock, struct sockaddr *address, int addrlen)
EMPTY_LSM(socket_listen, floor_listen, struct socket *sock, int backlog)
EMPTY_LSM(socket_create, floor_socket_create, int family, int type, int protocol, int kern)
EMPTY_LSM(socket_setsockopt, floor_route_setsockopt, struct socket *sock, int level, int optname)
EMPTY_LSM(file_receive, floor_file_receive, struct file *file)
EMPTY_LSM(unix_stream_connect, floor_unix_connect, struct sock *sock, struct sock *other,
	  struct sock *newsk)
EMPTY_LSM(unix_stream_connect, floor_ctl_connect, struct sock *sock, struct sock *other,
	  struct sock *newsk)
EMPTY_LSM(unix_may_send, floor_unix_send, struct socket *sock, struct socket *other)
EMPTY_LSM(file_mprotect, floor_mprotect, struct vm_area_struct *vma, unsigned long reqprot,
	  unsigned long prot)
EMPTY_LSM(task_alloc, floor_task_alloc, struct task_struct *task, unsigned long clone_flags)
EMPTY_LSM(inode_link, floor_vc_link, struct dentry *old_dentry, struct inode *dir,
	  struct dentry *new_dentry)
EMPTY_LSM(inode_unlink, floor_vc_unlink, struct inode *dir, struct dentry *dentry)

/* a void hook: no ret argument */
SEC("lsm/inode_free_security")
int BPF_PROG(floor_vc_free, struct inode *inode)
{
	return 0;
}

EMPTY_LSM(inode_setxattr, floor_setxattr, void *idmap, struct dentry *dentry, const char *name,
	  const void *value, size_t size, int flags)
EMPTY_LSM(inode_removexattr, floor_removexattr, void *idmap, struct dentry *dentry, const char *name)
EMPTY_LSM(inode_set_acl, floor_set_acl, void *idmap, struct dentry *dentry, const char *acl_name,
	  void *kacl)
EMPTY_LSM(inode_remove_acl, floor_remove_acl, void *idmap, struct dentry *dentry,
	  const char *acl_name)
/* inode_setattr gained an idmap argument in 6.3: the loader picks one. */
EMPTY_LSM(inode_setattr, floor_setattr, void *idmap, struct dentry *dentry, struct iattr *attr)
EMPTY_LSM(inode_setattr, floor_setattr_old, struct dentry *dentry, struct iattr *attr)
EMPTY_LSM(task_prctl, floor_prctl_exe, int option, unsigned long arg2, unsigned long arg3,
	  unsigned long arg4, unsigned long arg5)
EMPTY_LSM(task_setrlimit, floor_task_setrlimit, struct task_struct *p, unsigned int resource,
	  struct rlimit *new_rlim)
EMPTY_LSM(task_setnice, floor_task_setnice, struct task_struct *p, int nice)
EMPTY_LSM(task_setioprio, floor_task_setioprio, struct task_struct *p, int ioprio)
EMPTY_LSM(task_setscheduler, floor_task_setscheduler, struct task_struct *p)
EMPTY_LSM(task_movememory, floor_task_movememory, struct task_struct *p)
EMPTY_LSM(file_send_sigiotask, floor_sigio, struct task_struct *tsk, struct fown_struct *fown, int sig)
EMPTY_LSM(sb_umount, floor_umount_guard, struct vfsmount *mnt, int flags)
EMPTY_LSM(sb_mount, floor_mount_guard, const char *dev_name, const struct path *path,
	  const char *type, unsigned long flags, void *data)
EMPTY_LSM(move_mount, floor_move_mount_guard, const struct path *from_path, const struct path *to_path)
EMPTY_LSM(file_ioctl, floor_tty_ioctl, struct file *file, unsigned int cmd, unsigned long arg)
EMPTY_LSM(file_ioctl_compat, floor_tty_ioctl_compat, struct file *file, unsigned int cmd,
	  unsigned long arg)
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

SEC("tp_btf/cgroup_rmdir")
int BPF_PROG(floor_cgroup_rmdir, struct cgroup *cgrp, const char *path)
{
	return 0;
}

SEC("tp_btf/cgroup_attach_task")
int BPF_PROG(floor_daemon_moved, struct cgroup *dst, const char *path, struct task_struct *task,
	     bool threadgroup)
{
	return 0;
}

SEC("tp_btf/cgroup_attach_task")
int BPF_PROG(floor_task_moved, struct cgroup *dst, const char *path, struct task_struct *task,
	     bool threadgroup)
{
	return 0;
}

SEC("fentry/cgroup_procs_write")
int BPF_PROG(floor_procs_write, struct kernfs_open_file *of, char *buf, size_t nbytes, loff_t off)
{
	return 0;
}

SEC("fentry/cgroup_threads_write")
int BPF_PROG(floor_threads_write, struct kernfs_open_file *of, char *buf, size_t nbytes, loff_t off)
{
	return 0;
}
