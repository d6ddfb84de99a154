# SPDX-License-Identifier: GPL-2.0-only
# 99-lin-red.sh - red-team trials against the setup model (who may start a
# setup phase: refuse_workload, mark_refused, keep_refusal, may_start_setup
# in confine.bpf.h; check_ptrace in escape.bpf.c; enf_procs_write and
# enf_threads_write in cgroup.bpf.c).  A confined workload tries to get the
# standing of a process moved in by a trusted mover (ENF_TASK_MOVED) and
# then exec the runtime binary (setup: its mount succeeds):
#   R1 io_uring's IORING_OP_OPENAT of its cgroup.procs (an io-wq worker
#      thread opens it), then a self-move through it;
#   R2-R4 threads: another thread opens the cgroup.procs and the leader
#      moves the process; another thread opens and moves; the leader opens
#      and another thread execs (de_thread: it becomes the leader);
#   R5 ptrace of a shell a trusted mover moved in (it execs the runtime
#      for the tracer);
#   R7 a cgroup.procs / cgroup.threads descriptor opened before the
#      process was governed (by itself, ungoverned, then kept across its
#      exec of the workload), written after.
# Each attack has a neighbour: the same step where it gives nothing
# (the open by openat(2), the leader alone, ptrace of a workload) or the
# ungoverned sibling cgroup, where it mounts.  The runtime is a copy of
# atk97 registered with --runtime (`atk97 mnt`: mount a tmpfs on /mnt/t98,
# print ok or the errno's name); the attacks are t/vm/bin/atk99.c.
# guest-timeout: 400

ADOPT_PINS=1

P=/tmp/pol99r
T=/tmp/t99r
G=t99r/g
S=t99r/sib
cg_make $G/sub
cg_make $S
mkdir -p $T/rt /mnt/t98
cp /bin/atk97 $T/rt/atk
RTA=$T/rt/atk
chmod 755 $RTA
chmod 777 $T
GP=$CG_ROOT/$G/cgroup.procs
SP=$CG_ROOT/$S/cgroup.procs
write_policy $P g <<INI
[policy]
cgroup = /$G
[file]
deny = /etc/t99r-none
INI
start_enforcerd $P --runtime $RTA
um() { umount /mnt/t98 2>/dev/null; }
sw() { _v=$(enforcerctl --json stats | jsonget setup_write_refusals); echo "${_v:-0}"; }
# Yama (where active) would refuse ptrace of a non-child: R5 is enforcer's
[ -w /proc/sys/kernel/yama/ptrace_scope ] && echo 0 > /proc/sys/kernel/yama/ptrace_scope

# controls
is "$(in_cg $G $RTA mnt)" ok "control: the runtime exec'd into the governed cgroup (a trusted move) mounts"
um
is "$(in_cg $G sh -c "exec $RTA mnt")" EPERM "control: a workload execs the runtime: refused (mount EPERM)"
um
sw0=$(sw)

# R1: io_uring's openat runs in an io-wq worker (IOSQE_ASYNC), a thread of
# the workload's process: the refusal reaches the process
is "$(in_cg $G sh -c "exec atk99 open-move $GP $RTA mnt")" EPERM \
	"R1 neighbour: a workload opens its cgroup.procs (openat), moves itself, execs the runtime: refused (EPERM)"
um
is "$(in_cg $G sh -c "exec atk99 uring-move $GP $RTA mnt")" EPERM \
	"R1: a workload opens its cgroup.procs by io_uring (io-wq worker), moves itself, execs the runtime: refused (EPERM)"
um
is "$(in_cg $S sh -c "exec atk99 uring-move $SP $RTA mnt")" ok \
	"R1 sibling: the same io_uring move in the ungoverned sibling mounts"
um

# R2-R4: threads of one workload process
is "$(in_cg $G sh -c "exec atk99 thr-open $GP $RTA mnt")" EPERM \
	"R2: a second thread opens the cgroup.procs, the leader moves the process and execs the runtime: refused (EPERM)"
um
is "$(in_cg $G sh -c "exec atk99 thr-move $CG_ROOT/$G/sub/cgroup.procs $RTA mnt")" EPERM \
	"R3: a second thread opens a child cgroup's cgroup.procs and moves the process; the leader execs the runtime: refused (EPERM)"
um
is "$(in_cg $G sh -c "exec atk99 open-exec $GP $RTA mnt")" EPERM \
	"R4 neighbour: the leader opens the cgroup.procs and execs (it keeps the fd), moves itself, execs the runtime: refused (EPERM)"
um
is "$(in_cg $G sh -c "exec atk99 thr-exec $GP $RTA mnt")" EPERM \
	"R4: the leader opens the cgroup.procs, a second thread execs (de_thread), moves itself, execs the runtime: refused (EPERM)"
um
is "$(in_cg $S sh -c "exec atk99 thr-exec $SP $RTA mnt")" ok \
	"R2-R4 sibling: the same thread exec in the ungoverned sibling mounts"
um

# R5: ptrace of a shell a trusted mover moved in (it may start a setup
# phase: ptrace of it needs CAP_SYS_PTRACE, like one in its setup phase)
rm -f $T/f5 $T/f5w $T/v5.out $T/w5.out
mkfifo $T/f5 $T/f5w
sh -c "echo \$\$ > $GP; echo \$\$ > $T/v5.pid; read x < $T/f5" > $T/v5.out 2>&1 &
vp=$!
in_cg $G sh -c "echo \$\$ > $T/w5.pid; read x < $T/f5w" > $T/w5.out 2>&1 &
wp=$!
sleep 0.5
is "$(in_cg $G sh -c "exec atk99 ptrace-exec $(cat $T/v5.pid) $RTA mnt")" attach:EPERM \
	"R5: a workload ptraces a shell moved in by a trusted mover (to exec the runtime there): EPERM"
is "$(in_cg $G sh -c "exec atk99 ptrace-exec $(cat $T/w5.pid) $RTA mnt")" injected \
	"R5 neighbour: a workload ptraces a workload shell of its cgroup: allowed"
sleep 0.5
is "$(cat $T/w5.out)" EPERM "R5 neighbour: ... which then execs the runtime: refused (mount EPERM)"
um
kill $vp $wp 2>/dev/null
diag "R5: moved-in shell: $(cat $T/v5.out)"
um

# R7: a descriptor opened before the process was governed (it opened its
# cgroup's cgroup.procs ungoverned, joined the cgroup, exec'd the workload
# and kept the descriptor), written after: counted, audited, refused
is "$(sh -c "exec 3>$GP; echo \$\$ > $GP; exec atk99 fd-move 3 $RTA mnt")" EPERM \
	"R7: a workload writes its pid through a cgroup.procs fd opened before it was governed, execs the runtime: refused (EPERM)"
um
is "$(sh -c "exec 3>$CG_ROOT/$G/cgroup.threads; echo \$\$ > $GP; exec atk99 fd-tmove 3 $RTA mnt")" EPERM \
	"R7: the same through cgroup.threads (its tid): refused (EPERM)"
um
is "$(sh -c "exec 3>$SP; echo \$\$ > $SP; exec atk99 fd-move 3 $RTA mnt")" ok \
	"R7 sibling: the same in the ungoverned sibling mounts"
um
is "$(($(sw) - sw0))" 2 "R7: setup_write_refusals counts the two writes (not R1-R4's, refused at their open)"
wait_audit '"op":"cgroup_move".*"action":"audit"|"action":"audit".*"op":"cgroup_move"' 3
is "$(jsonget -m op=cgroup_move -m action=audit path < $AUDIT_LOG | sort | tr '\n' ' ')" "cgroup.procs cgroup.threads " \
	"R7: audit: one line each (op cgroup_move, action audit), naming the file"
is "$(jsonget -m op=cgroup_move -m action=audit rule < $AUDIT_LOG | sort -u)" self-protection \
	"R7: audit: rule self-protection"
is "$(in_cg $G $RTA mnt)" ok "R7 neighbour: the runtime moved in by a trusted mover still mounts"
um
is "$(($(sw) - sw0))" 2 "R7 neighbour: a trusted mover's write is not counted"
is "$(grep -c ' /mnt/t98 ' /proc/mounts)" 0 "no trial left a mount"
while grep -q ' /mnt/t98 ' /proc/mounts; do umount /mnt/t98 || break; done
stop_enforcerd
