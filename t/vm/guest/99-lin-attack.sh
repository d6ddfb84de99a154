# SPDX-License-Identifier: GPL-2.0-only
# 99-lin-attack.sh - attacker trials against who may start a setup phase
# (confine.bpf.h may_start_setup, mover_trusted, mark_moved, refuse_setup;
# cgroup.bpf.c enf_task_moved): a confined workload trying to get
# ENF_TASK_MOVED (a trusted move's standing) and then exec the runtime
# binary: moving itself into its own cgroup or a child cgroup of its
# subtree (a governed task may write cgroup.procs there), moving a child,
# a cgroup.procs fd it opened before a live bind governed it (L5: its
# write refuses it, cgroup.bpf.c enf_procs_write), one another process holds taken with
# pidfd_getfd (L6), as root and as uid 1000 in a delegated subtree.  Each workload trial has a control
# (the same step with a trusted mover) that mounts.  The runtime is a copy
# of atk97 registered with --runtime: `atk97 mnt` mounts a tmpfs on
# /mnt/t98 and prints ok or the errno's name; `atk97 uns` as uid 1000 makes
# a user namespace and mounts there.
# guest-timeout: 600

ADOPT_PINS=1

P=/tmp/pol99l
T=/tmp/t99l
SOCK=/run/enforcer/enforcer.sock
G=t99l/g
cg_make $G/sub
cg_make $G/deleg/a
cg_make t99l/late
chown 1000:1000 $CG_ROOT/$G/deleg $CG_ROOT/$G/deleg/cgroup.procs $CG_ROOT/$G/deleg/a $CG_ROOT/$G/deleg/a/cgroup.procs
mkdir -p $T/rt /mnt/t98
cp /bin/atk97 $T/rt/atk
RTA=$T/rt/atk
chmod 755 $RTA
chmod 777 $T
write_policy $P g <<INI
[policy]
cgroup = /$G
[file]
deny = /etc/t99l-none
INI
write_policy $P late <<INI
[policy]
namespace = t99lns
[file]
deny = /etc/t99l-none
INI
start_enforcerd $P --runtime $RTA
um() { umount /mnt/t98 2>/dev/null; }
U="/bin/runas 1000"

# controls
is "$(in_cg $G $RTA mnt)" ok "control: the runtime exec'd into the governed cgroup (a trusted move) mounts"
um
is "$(in_cg $G sh -c "exec $RTA mnt")" EPERM "control: a workload (sh exec'd in the cgroup) execs the runtime: refused (mount EPERM)"
um

# L1: a workload writes its own pid into its own cgroup's cgroup.procs (a
# move to where it is: the kernel reports it as a move), then execs the runtime
is "$(in_cg $G sh -c "echo \$\$ > $CG_ROOT/$G/cgroup.procs || echo nomove; exec $RTA mnt")" EPERM \
	"L1: a workload moves itself into its own cgroup, then execs the runtime: refused (mount EPERM)"
um
# L2: ... into a child cgroup of its subtree (the same policies govern it there)
is "$(in_cg $G sh -c "echo \$\$ > $CG_ROOT/$G/sub/cgroup.procs || echo nomove; exec $RTA mnt")" EPERM \
	"L2: a workload moves itself into a child cgroup of its subtree, then execs the runtime: refused (mount EPERM)"
um
# L3: a workload moves its child (which waits, then execs the runtime)
rm -f $T/go3
r=$(in_cg $G sh -c "/bin/escape -w $T/go3 run $RTA mnt & c=\$!; echo \$c > $CG_ROOT/$G/sub/cgroup.procs || echo nomove; : > $T/go3; wait")
is "$r" EPERM "L3: a workload moves its child into a child cgroup; the child execs the runtime: refused (mount EPERM)"
um
# L4: uid 1000 in its delegated subtree: moves itself, then the runtime
# makes a user namespace (needs CAP_SYS_ADMIN there: setup only)
is "$(in_cg $G/deleg $U sh -c "echo \$\$ > $CG_ROOT/$G/deleg/a/cgroup.procs || echo nomove; exec $RTA uns")" EPERM \
	"L4: uid 1000 moves itself inside its delegated subtree, then execs the runtime (userns): refused (EPERM)"
is "$(in_cg $G/deleg $U sh -c "echo \$\$ > $CG_ROOT/$G/deleg/cgroup.procs || echo nomove; exec $RTA uns")" EPERM \
	"L4: uid 1000 moves itself into its own cgroup, then execs the runtime (userns): refused (EPERM)"
# L5: a process opens its cgroup's cgroup.procs for writing while no
# policy governs it, a live bind governs the cgroup, then it writes its
# pid through that fd and execs the runtime (it ran before the policy: a
# workload)
rm -f $T/go5
in_cg t99l/late sh -c "exec 3>$CG_ROOT/t99l/late/cgroup.procs; while [ ! -e $T/go5 ]; do sleep 0.2; done; echo \$\$ >&3 || echo nomove; exec $RTA mnt" > $T/l5.out 2>&1 &
lp=$!
sleep 1
like "$(sockclient -s 'bind /t99l/late namespace=t99lns\n' -c 1 $SOCK)" '"ok":true' "L5: bind /t99l/late namespace=t99lns (live)"
: > $T/go5
wait $lp
is "$(cat $T/l5.out)" EPERM \
	"L5: a process that ran before the bind writes its pid through a cgroup.procs fd opened then, and execs the runtime: refused (mount EPERM; enf_procs_write)"
um
# control for L5: without the self-move it is refused
rm -f $T/go5
in_cg t99l/late sh -c "while [ ! -e $T/go5 ]; do sleep 0.2; done; exec $RTA mnt" > $T/l5c.out 2>&1 &
lp=$!
sleep 1
: > $T/go5
wait $lp
is "$(cat $T/l5c.out)" EPERM "L5 control: a process of the bound cgroup execs the runtime: refused (mount EPERM)"
um
# L6: a workload takes a cgroup.procs fd another process holds (opened by
# an ungoverned holder, and by a workload of its own cgroup) with
# pidfd_getfd (a file receipt), moves itself through it, execs the runtime
sh -c "exec 3>$CG_ROOT/$G/cgroup.procs; exec sleep 30" &
hp=$!
sleep 0.3
r=$(in_cg $G sh -c "exec /bin/atk97 getfd-move $hp 3 $RTA mnt")
like "$r" '^(EPERM|getfd:EPERM)$' "L6: a workload takes an ungoverned holder's cgroup.procs fd (ptrace rules, or the receipt), moves itself, execs the runtime: no setup ($r)"
um
kill $hp 2>/dev/null; wait $hp 2>/dev/null
in_cg $G sh -c "exec 3>$CG_ROOT/$G/cgroup.procs; exec sleep 30" &
hp=$!
sleep 0.3
r=$(in_cg $G sh -c "exec /bin/atk97 getfd-move $hp 3 $RTA mnt")
is "$r" getfd:EPERM "L6: a workload takes a cgroup.procs fd a process of its cgroup holds (pidfd_getfd): the confined receiver may not take it"
um
kill $hp 2>/dev/null; wait $hp 2>/dev/null
is "$(grep -c ' /mnt/t98 ' /proc/mounts)" 0 "no trial left a mount"
while grep -q ' /mnt/t98 ' /proc/mounts; do umount /mnt/t98 || break; done
stop_enforcerd
