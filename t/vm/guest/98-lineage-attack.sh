# SPDX-License-Identifier: GPL-2.0-only
# 98-lineage-attack.sh - attacker trials against the setup phase by lineage
# (enf_exec_commit, enf_task_alloc's inherit_state, setup_cg): a confined
# workload (root, and uid 1000 as root of its own user + mount namespace)
# trying to get setup rights back by exec'ing the runtime binary through a
# hard link (made outside, and by itself), a rename, a copy, a memfd copy,
# execveat of an fd, /proc/self/fd, a #! script and ld.so; a cgroup marked
# in setup (bind pid=) removed and made again under the same name; children
# forked while their parent's exec of the workload commits; a shell moved
# in whose child execs the runtime (control), a refused task's children;
# and a process that ran before its cgroup was governed (no setup).  Each attack has a control that shows the
# same route gives setup rights where the lineage allows it (so a denial is
# enforcer's).  The runtime is a copy of atk97 registered with --runtime:
# `atk97 mnt` mounts a tmpfs on /mnt/t98 and prints ok or the errno's name.
# guest-timeout: 600

# the pins the script before this one left are adopted (t/vm/lib.sh)
ADOPT_PINS=1

P=/tmp/pol98
T=/tmp/t98
SOCK=/run/enforcer/enforcer.sock
LDSO=/lib64/ld-linux-x86-64.so.2
cg_make t98/g
cg_make t98/sib
cg_make t98/late
cg_make t98/c
G=t98/g
mkdir -p $T/rt $T/x /mnt/t98
cp /bin/atk97 $T/rt/atk     # registered as a runtime
cp /bin/atk97 $T/rt/atkb    # another one, for the rename
cp /bin/atk97 $T/x/copy     # a copy: no runtime
cp /bin/busybox $T/rt/busybox  # a runtime that forks (a shell)
cp /bin/atk97-dyn $T/rt/atkd   # a dynamic one (ld.so can map it)
RTA=$T/rt/atk
RTB=$T/rt/atkb
RTS=$T/rt/busybox
RTD=$T/rt/atkd
printf '#!%s mnt\n' $RTA > $T/x/s.sh
printf '#!%s uns\n' $RTA > $T/x/sns.sh
chmod 755 $RTA $RTB $RTS $RTD $T/x/copy $T/x/s.sh $T/x/sns.sh
chmod 777 $T $T/x

write_policy $P g <<INI
[policy]
cgroup = /$G
[file]
deny = /etc/t98-none
INI
write_policy $P late <<INI
[policy]
namespace = t98ns
[file]
deny = /etc/t98-none
INI
write_policy $P c <<INI
[policy]
cgroup = /t98/c
[file]
deny = /etc/t98-none
INI
start_enforcerd $P --runtime $RTA --runtime $RTB --runtime $RTS --runtime $RTD

# um: undo a mount a trial made (a failed trial made none)
um() { umount /mnt/t98 2>/dev/null; }
mounted() { grep -q ' /mnt/t98 ' /proc/mounts && echo mounted || echo none; }

# ---- controls: the runtime has setup rights when the lineage allows ----
is "$(in_cg $G $RTA mnt)" ok "control: the runtime exec'd into the governed cgroup mounts (setup)"
um
is "$(in_cg $G $T/x/s.sh)" ok "control: a #! script whose interpreter is the runtime, exec'd into the cgroup, mounts"
um
is "$(in_cg $G /bin/atk97 fdexec $RTA c mnt)" EPERM "workload: atk97 exec'd into the cgroup (its first exec there), then execveat of the runtime: mount EPERM"
is "$(sh -c "exec 3<$RTA; exec /proc/self/fd/3 mnt-in $CG_ROOT/$G")" ok \
	"control: the runtime exec'd by /proc/self/fd outside, joining the cgroup, mounts (identity by inode)"
um
ln $RTA $T/x/hl
is "$(in_cg $G $T/x/hl mnt)" ok "control: a hard link of the runtime (made outside) is the runtime (mounts)"
um

# ---- a confined workload (it exec'd while governed) execs the runtime ----
is "$(in_cg $G sh -c "exec $RTA mnt")" EPERM "workload: exec of the runtime: mount EPERM"
is "$(in_cg $G sh -c "exec $T/x/hl mnt")" EPERM "workload: exec of a hard link made outside: mount EPERM"
r=$(in_cg $G sh -c "ln $RTA $T/x/hl2 2>/dev/null && exec $T/x/hl2 mnt || echo nolink")
like "$r" '^(EPERM|nolink)$' "workload: a hard link it makes itself, exec'd: no mount ($r)"
r=$(in_cg $G sh -c "mv $RTB $T/x/mv 2>/dev/null && exec $T/x/mv mnt || echo norename")
like "$r" '^(EPERM|norename)$' "workload: the runtime renamed by itself, exec'd: no mount ($r)"
[ -e $RTB ] || mv $T/x/mv $RTB
is "$(in_cg $G sh -c "exec $T/x/copy mnt")" EPERM "workload: a copy of the runtime: mount EPERM"
is "$(in_cg $G sh -c "exec /bin/escape memfd-exec $RTA c mnt" 2>/dev/null)" EPERM "workload: a memfd copy of the runtime: mount EPERM"
is "$(in_cg $G sh -c "exec /bin/atk97 fdexec $RTA c mnt")" EPERM "workload: execveat(AT_EMPTY_PATH) of the runtime: mount EPERM"
is "$(in_cg $G sh -c "exec 3<$RTA; exec /proc/self/fd/3 mnt")" EPERM "workload: exec of /proc/self/fd/N of the runtime: mount EPERM"
is "$(in_cg $G sh -c "exec $T/x/s.sh")" EPERM "workload: a #! script whose interpreter is the runtime: mount EPERM"
is "$(in_cg $G sh -c "$RTA mnt")" EPERM "workload: its child (forked after the workload's exec) execs the runtime: mount EPERM"
# ld.so maps a (dynamic) runtime: ld.so is the program, no runtime by identity
is "$(in_cg $G $RTD mnt)" ok "control: the dynamic runtime exec'd into the cgroup mounts (setup)"
um
is "$(in_cg $G sh -c "exec $LDSO $RTD mnt" 2>&1)" EPERM "workload: ld.so running the dynamic runtime: mount EPERM"
is "$(in_cg $G $LDSO $RTD mnt 2>&1)" EPERM "ld.so running the dynamic runtime as the cgroup's first exec: mount EPERM"
is "$(in_cg $G sh -c "exec $LDSO $RTA mnt" 2>&1)" EPERM "workload: ld.so given the static runtime (it execs it): mount EPERM"
is "$(mounted)" none "workload: no trial left a mount"
um
# a runtime started in the cgroup now that workloads have run there: moved
# in by a shell (cgexec, runc init), and as systemd starts ExecReload= or
# ExecStartPost= in a running service: clone3(CLONE_INTO_CGROUP) from an
# ungoverned parent with no lineage of its own
is "$(in_cg $G $RTA mnt)" ok "runtime moved into the cgroup after its workloads' execs: setup (mount ok)"
um
is "$(trick clone-into $CG_ROOT/$G $RTA mnt)" ok \
	"runtime started by clone3(CLONE_INTO_CGROUP) into the cgroup after its workloads' execs: setup (mount ok)"
um
# uid 1000 making a user namespace: writing its uid map needs CAP_SYS_ADMIN
# there, which the policy denies but a runtime in its setup phase is let do
# (rootless crun's steps; atk97 uns: unshare(CLONE_NEWUSER), the uid map, a
# mount namespace, the mount)
U="/bin/runas 1000"
is "$(in_cg t98/sib $U $RTA uns)" ok "control: uid 1000, the runtime makes a userns, maps it and mounts in a mount namespace (ungoverned sibling)"
is "$(in_cg $G $RTA uns)" ok "control: the runtime exec'd into the governed cgroup does the same as root (setup)"
is "$(in_cg $G $U $RTA uns)" EPERM "userns: uid 1000 execs the runtime: EPERM"
is "$(in_cg $G $U /bin/sh -c "exec 3<$RTA; exec /proc/self/fd/3 uns")" EPERM \
	"userns: uid 1000 execs the runtime by /proc/self/fd: EPERM"
is "$(in_cg $G $U /bin/escape memfd-exec $RTA c uns 2>/dev/null)" EPERM "userns: uid 1000, a memfd copy of the runtime: EPERM"
is "$(in_cg $G $U /bin/atk97 fdexec $RTA c uns)" EPERM "userns: uid 1000, execveat of the runtime: EPERM"
is "$(in_cg $G $U $LDSO $RTD uns)" EPERM "userns: uid 1000, ld.so running the dynamic runtime: EPERM"
is "$(in_cg $G $U $T/x/sns.sh)" EPERM "userns: uid 1000, a #! script of the runtime: EPERM"
is "$(in_cg $G $U /bin/escape -U run $RTA mnt-ns 2>/dev/null)" EPERM "userns: uid 1000 maps a userns itself first: EPERM"

# a shell moved into the cgroup (no exec since) whose child (a fork, no
# exec) execs the runtime: the move's standing is inherited (as cgexec
# with a shell that forks its command)
is "$(sh -c "echo \$\$ > $CG_ROOT/$G/cgroup.procs || exit 1; $RTA mnt; true")" ok \
	"moved: the child of a shell moved into the cgroup execs the runtime: setup (mount ok)"
um
# a refused task (a workload that exec'd the runtime, a shell) hands its
# refusal to its children: neither it nor they start a setup phase
is "$(in_cg $G sh -c "exec $RTS sh -c '$RTA mnt'" 2>/dev/null)" EPERM \
	"refused: the runtime shell a workload exec'd forks a child that execs the runtime: mount EPERM"
is "$(in_cg $G sh -c "exec $RTS sh -c 'exec $RTA mnt'" 2>/dev/null)" EPERM \
	"refused: the runtime shell a workload exec'd execs the runtime again: mount EPERM"
is "$(in_cg $G sh -c "exec $RTS sh -c 'echo \$\$ > $CG_ROOT/t98/sib/cgroup.procs; exec $RTA mnt'" 2>/dev/null)" EPERM \
	"refused: ... moving itself to another cgroup first: no standing from the move (mount EPERM)"
is "$(mounted)" none "refused/moved: no trial left a mount"

# ---- forks around the exec that ends setup: a runtime (a busybox copy)
# forks 10 children, then execs the workload (sh), whose 10 children are
# forked while the first ones still run; each child execs the runtime.
# Those of the runtime inherit its setup (the runtime's own code); every
# child of the workload must be EPERM.
r=$(in_cg $G $RTS sh -c "
	for i in 0 1 2 3 4 5 6 7 8 9; do ( exec $RTA mnt ) & done
	exec /bin/sh -c 'for i in 0 1 2 3 4 5 6 7 8 9; do ( exec $RTA mnt ) & done; wait'" 2>/dev/null | sort | uniq -c | awk '{ printf "%s %s ", $1, $2 }')
diag "forks: 20 runtime execs, 10 by children of the runtime, 10 by children of the workload: $r"
is "$r" "10 EPERM 10 ok " "forks: the runtime's 10 children mount, the workload's 10 get EPERM"
while grep -q ' /mnt/t98 ' /proc/mounts; do umount /mnt/t98 || break; done
is "$(in_cg $G sh -c "for i in 0 1 2 3 4 5 6 7 8 9; do ( exec $RTA mnt ) & done; wait" | sort -u)" EPERM \
	"forks: 10 children of the workload exec'ing the runtime at once: all EPERM"

# ---- a cgroup in setup (bind pid=) removed, then made again ----
like "$(sockclient -s "bind /t98/c pid=1\n" -c 1 $SOCK)" '"ok":true' "setup_cg: bind /t98/c pid=1 (its setup phase)"
is "$(/bin/atk97 mnt-in $CG_ROOT/t98/c)" ok "setup_cg: a plain program joining the cgroup in setup mounts (control)"
um
rmdir $CG_ROOT/t98/c
cg_make t98/c
is "$(/bin/atk97 mnt-in $CG_ROOT/t98/c)" EPERM "setup_cg: the cgroup removed and made again under its name: no setup (mount EPERM)"
um
like "$(sockclient -s "bind /t98/c pid=1\n" -c 1 $SOCK)" '"ok":true' "setup_cg: bind /t98/c pid=1 again"
in_cg t98/c /bin/true
is "$(/bin/atk97 mnt-in $CG_ROOT/t98/c)" EPERM "setup_cg: after the first exec in it, setup has ended (mount EPERM)"
um

# ---- a process that ran before its cgroup was governed ----
# a plain program exec'd in t98/late while no policy governs it (no task
# storage), then the cgroup is bound live; it then execs the runtime binary
rm -f $T/go
in_cg t98/late /bin/escape -w $T/go run $RTA mnt >$T/late.out 2>/dev/null &
LP=$!
_i=0
while [ $_i -lt 100 ] && [ "$(readlink /proc/$(head -n 1 $CG_ROOT/t98/late/cgroup.procs 2>/dev/null)/exe 2>/dev/null)" != /bin/escape ]; do
	sleep 0.1
	_i=$((_i + 1))
done
like "$(sockclient -s 'bind /t98/late namespace=t98ns\n' -c 1 $SOCK)" '"ok":true' "late: bind /t98/late namespace=t98ns"
is "$(in_cg t98/late /bin/atk97 mnt)" EPERM "late: t98/late governed at once (a new plain program's mount EPERM)"
touch $T/go
wait $LP
is "$(cat $T/late.out)" EPERM "late: a plain program exec'd before the bind, exec'ing the runtime after it: no setup (mount EPERM)"
um

stop_enforcerd
rm -rf $T
rmdir $CG_ROOT/t98/g $CG_ROOT/t98/sib $CG_ROOT/t98/late $CG_ROOT/t98/c $CG_ROOT/t98 2>/dev/null
