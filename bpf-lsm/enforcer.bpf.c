// SPDX-License-Identifier: GPL-2.0
/*
 * enforcer.bpf.c - the root of enforcer's BPF object: the license, the
 * maps and globals (maps.bpf.h) defined once.  The hooks live in one file
 * per family, linked with this one by `bpftool gen object` into
 * build/enforcer.bpf.o and its single skeleton (build/enforcer.skel.h):
 *
 *   exec.bpf.c    bprm_check_security, mmap_file, file_mprotect, exec argv
 *   file.bpf.c    file_open, path_* mutations (unlink, rename, chmod, ...),
 *                 metadata (inode_setxattr, removexattr, set_acl, setattr),
 *                 inode_link, inode_unlink, inode_free_security (the verdict
 *                 cache's kills)
 *   net.bpf.c     socket_connect, socket_sendmsg, sctp_bind_connect,
 *                 socket_bind, socket_listen ([bind])
 *   unix.bpf.c    unix_stream_connect, unix_may_send (unix: connect rules)
 *   escape.bpf.c  bpf, task_kill, ptrace_access_check, task_setrlimit,
 *                 task_setnice, task_setioprio, task_setscheduler,
 *                 task_movememory (aimed at enforcerd)
 *   confine.bpf.c capable (the privilege model), bprm_committing_creds,
 *                 task_prctl (PR_SET_MM: a task renaming its program),
 *                 socket_setsockopt (IPv6 routing headers need CAP_NET_RAW)
 *   cgroup.bpf.c  task_alloc (clone3 into a cgroup), cgroup_attach_task
 *                 (a trusted move), fentry on cgroup_procs_write and
 *                 cgroup_threads_write (a write through a descriptor opened
 *                 before its writer was refused a setup phase),
 *                 cgroup_mkdir binding, cgroup_rmdir clean-up
 *   protect.bpf.c enforcerd's own process and mounts by identity: SIGIO,
 *                 sb_umount, sb_mount/move_mount over its files
 *   tty.bpf.c     file_ioctl(_compat): TIOCSTI and TIOCLINUX paste need
 *                 CAP_SYS_ADMIN from the policies
 *   prog.bpf.c    program conditions of exec and file rules (`exe`,
 *                 `parent`): global functions, no hook of its own
 *   pattern.bpf.c glob patterns of exec and file rules (enf_pat_match,
 *                 called by the inode walk): no hook of its own
 *
 *   audit.bpf.c   enf_emit(): every audit record (a global function)
 *   govern.bpf.c  enf_collect(): the policies bound to a cgroup and above
 *   reset.bpf.c   enf_zero(): fresh rule hit slots and the ungoverned
 *                 filter's half zeroed at reload (run by enforcerd)
 *
 * Shared headers: maps.bpf.h (maps), govern.bpf.h (who governs a task: the
 * prologue of every hook), audit.bpf.h (verdicts, audit records),
 * path.bpf.h (path and inode matching), vcache.bpf.h (the verdict cache of
 * read-only opens), net.bpf.h (address matching),
 * prog.bpf.h (the executable of `exe` conditions),
 * cgroup.bpf.h (cgroup.procs writes), confine.bpf.h (capabilities, setup
 * phase, /proc/sys writes).
 */
#define ENF_DEFINE_MAPS
#include "maps.bpf.h"

char LICENSE[] SEC("license") = "GPL";
