# SPDX-License-Identifier: GPL-2.0-only
# 64-escape-privilege.sh - issue 12, the privilege model: a governed root,
# and a governed uid 1000 in a user namespace it made (escape -U), try the
# privileged ways out of a policy (t/vm/bin/escape.c): chroot, pivot_root,
# a bind mount over an allowlisted binary, a tmpfs over the policy
# directory, fsopen/fsmount, open_tree(OPEN_TREE_CLONE) + execveat, umount
# of /sys/fs/bpf, raw/packet sockets (also made by io_uring's
# IORING_OP_SOCKET), a core_pattern write, ptrace of
# a process outside the governed subtree.  Each must fail with EPERM, and
# the same attempt must work in an ungoverned sibling cgroup (control).
# Then [capabilities] grants, audit lines naming what was denied, and the
# setup phase of a runtime (a copy of busybox registered with --runtime),
# and (issue 16) setup by lineage for a runtime exec'd ungoverned that joins
# a governed cgroup, across a live bind, and for a runtime binary renamed
# or replaced.
# guest-timeout: 1200

# the pins the bypass script before this one left are adopted (t/vm/lib.sh):
# its programs are this build's, its checks need no fresh load
ADOPT_PINS=1

P=/tmp/pol64
ENFORCERD_START_WAIT=${ENFORCERD_START_WAIT:-600}   # a loaded CI machine: the 6.1 verifier is slow
T=/tmp/t64
cg_make t64/gov
cg_make t64/grant
cg_make t64/sib
G=/t64/gov
GR=/t64/grant
S=/t64/sib
mkdir -p $T/new $T/mnt $T/bin $T/rt $T/rtcopy /mnt/t64
cp /bin/busybox $T/bin/allowed          # an allowlisted binary
cp /bin/busybox $T/bin/other            # one the allowlist does not name
cp /bin/busybox $T/rt/busybox           # registered as a runtime (setup phase)
cp /bin/busybox $T/rtcopy/busybox       # a copy of it: not the runtime
cp /bin/escape $T/rt/escape             # a runtime that re-execs a memfd copy of itself, as runc
RT=$T/rt/busybox
RTE=$T/rt/escape
chmod 755 $T/bin/allowed $T/bin/other $RT $RTE $T/rtcopy/busybox
chmod 777 $T $T/new $T/mnt

write_policy $P gov <<INI
[policy]
cgroup = $G
[exec]
default = deny
allow = /bin/
allow = /usr/
allow = $T/bin/allowed
allow = $RT
allow = $T/rtcopy/busybox
[file]
deny = /etc/t64-secret
INI
write_policy $P grant <<INI
[policy]
cgroup = $GR
[capabilities]
allow = cap_net_raw, CAP_SYS_CHROOT
INI
# a pod policy bound live to t64/live (issue 16: lineage across a live bind)
write_policy $P t64ns <<INI
[policy]
namespace = t64ns
[file]
deny = /etc/t64-secret
INI
cg_make t64/live
SOCK=/run/enforcer/enforcer.sock
echo secret > /etc/t64-secret

start_enforcerd $P --runtime $RT --runtime $RTE

# try DESC ARGS...: EPERM in the governed cgroup (as root and as uid 1000
# in a user namespace of its own), ok in the sibling (the control says the
# attempt works at all here; otherwise SKIP).
try() {
	_desc=$1
	shift
	_c=$(in_cg $S escape "$@" 2>/tmp/t64.err)
	if [ "$_c" != ok ]; then
		_why="not possible here even unconfined ($_c: $(cat /tmp/t64.err))"
		skip "$_desc: EPERM (root)" "$_why"
		skip "$_desc: works in the sibling (control)" "$_why"
		return
	fi
	is "$(in_cg $G escape "$@" 2>/tmp/t64.err)" EPERM "$_desc: EPERM (root)" ||
		diag "$(cat /tmp/t64.err)"
	pass "$_desc: works in the sibling (control)"
}
try_userns() {
	_desc=$1
	shift
	_c=$(in_cg $S runas 1000 escape -U "$@" 2>/tmp/t64.err)
	if [ "$_c" != ok ]; then
		skip "$_desc: EPERM (uid 1000 in a user namespace)" \
			"not possible here even unconfined ($_c: $(cat /tmp/t64.err))"
		return
	fi
	is "$(in_cg $G runas 1000 escape -U "$@" 2>/tmp/t64.err)" EPERM \
		"$_desc: EPERM (uid 1000 in a user namespace)" || diag "$(cat /tmp/t64.err)"
}

# ---- a new root ----
try "chroot" chroot $T/new
try_userns "chroot" chroot $T/new
try "pivot_root (in a new mount namespace)" -m pivot_root $T/new
try_userns "pivot_root (in a new mount namespace)" -m pivot_root $T/new

# ---- mounts, old and new API ----
# a bind mount over an allowlisted binary would run the other one under its name
try "bind mount over an allowlisted binary (in a new mount namespace)" -m bind $T/bin/other $T/bin/allowed
is "$(in_cg $G escape bind $T/bin/other $T/bin/allowed 2>/dev/null)" EPERM \
	"bind mount over an allowlisted binary in the host mount namespace: EPERM (root)"
try_userns "bind mount over an allowlisted binary (in a new mount namespace)" -m bind $T/bin/other $T/bin/allowed
try "tmpfs over the policy directory (in a new mount namespace)" -m tmpfs $P
is "$(in_cg $G escape tmpfs $P 2>/dev/null)" EPERM "tmpfs over the policy directory: EPERM (root)"
try_userns "tmpfs over the policy directory" -m tmpfs $P
try "fsopen/fsconfig/fsmount/move_mount (in a new mount namespace)" -m fsmount $T/mnt
try_userns "fsopen/fsconfig/fsmount/move_mount" -m fsmount $T/mnt
try "open_tree(OPEN_TREE_CLONE) + execveat of a binary the allowlist does not name" opentree-exec $T/bin other
try "umount of /sys/fs/bpf (in a new mount namespace)" -m umount /sys/fs/bpf
is "$(in_cg $G escape umount /sys/fs/bpf 2>/dev/null)" EPERM "umount of /sys/fs/bpf: EPERM (root)"
ok "the policy directory, the binary and /sys/fs/bpf are as they were" \
	sh -c "[ -f $P/gov.ini ] && cmp -s $T/bin/allowed /bin/busybox && grep -q ' /sys/fs/bpf ' /proc/mounts && ! grep -q ' $T/mnt ' /proc/mounts"

# ---- sockets that carry their own addresses ----
try "raw IPv4 socket" socket raw
try "packet socket" socket packet
# An SCTP socket is no privilege (the VM's /init loads the module): its
# connects and binds are judged by the rules (68-net-attack.sh "sctp:").
is "$(in_cg $S escape socket sctp 2>/dev/null)" ok "SCTP socket: made in the sibling (control: the module is loaded)"
is "$(in_cg $G escape socket sctp 2>/dev/null)" ok "SCTP socket: made by a governed root too (not a privilege)"
# io_uring makes sockets without socket(2): the capability check is the same
r=$(in_cg $S trick uring-socket raw)
if [ "$r" = ENOSYS-setup ]; then
	skip "io_uring IORING_OP_SOCKET of a raw socket: EPERM (root)" \
		"io_uring_setup refused to unconfined root in the sibling on kernel $(uname -r)"
else
	is "$r" ok "io_uring IORING_OP_SOCKET of a raw socket works in the sibling (control)"
	is "$(in_cg $G trick uring-socket raw)" EPERM "io_uring IORING_OP_SOCKET of a raw socket: EPERM (root)"
fi
is "$(in_cg $GR escape socket raw 2>/dev/null)" ok "[capabilities] allow = cap_net_raw: a raw socket works"
is "$(in_cg $GR escape chroot $T/new 2>/dev/null)" ok "[capabilities] allow = CAP_SYS_CHROOT: chroot works"
is "$(in_cg $GR escape -m tmpfs $T/mnt 2>/dev/null)" EPERM "[capabilities] without CAP_SYS_ADMIN: mounts still EPERM"

# ---- acting through a process that is not confined ----
try "a core_pattern write (usermode helper)" rewrite /proc/sys/kernel/core_pattern
try "a modprobe path write (usermode helper)" rewrite /proc/sys/kernel/modprobe
# binfmt_misc: a handler registered there runs for any process on the host
# (mounted here unconfined; where the kernel lacks it, the control says so)
BM=/proc/sys/fs/binfmt_misc
mount -t binfmt_misc binfmt_misc $BM 2>/dev/null ||
	{ BM=$T/bm; mkdir -p $BM; mount -t binfmt_misc binfmt_misc $BM 2>/dev/null; }
diag "binfmt_misc: $(grep binfmt_misc /proc/filesystems || echo 'not in /proc/filesystems') ($BM)"
try "binfmt_misc: enable handlers (status)" write $BM/status 1
if [ -e $BM/register ]; then
	is "$(in_cg $G escape write $BM/register ':t64g:E::t64g::/bin/true:' 2>/dev/null)" EPERM \
		"binfmt_misc: register a handler: EPERM (root)"
	ok "binfmt_misc: ... nothing registered" [ ! -e $BM/t64g ]
	is "$(in_cg $S escape write $BM/register ':t64s:E::t64s::/bin/true:' 2>/dev/null)" ok \
		"binfmt_misc: register a handler works in the sibling (control)"
	[ -e $BM/t64s ] && echo -1 > $BM/t64s
else
	skip "binfmt_misc: register a handler: EPERM (root)" "no binfmt_misc in kernel $(uname -r)"
fi
umount $BM 2>/dev/null
in_cg $S sleep 60 &
victim=$!
sleep 0.2
is "$(in_cg $G escape ptrace $victim 2>/dev/null)" EPERM "ptrace of a process outside the governed subtree: EPERM (root)"
is "$(in_cg $S escape ptrace $victim 2>/dev/null)" ok "ptrace of it from the sibling (control)"
kill $victim 2>/dev/null
wait $victim 2>/dev/null

# ---- audit lines name what was denied ----
wait_audit '"op":"mount"' 5
# (a mount over the policy directory is refused earlier, by sb_mount's
# self-protection, before the kernel asks for CAP_SYS_ADMIN: a tmpfs on a
# plain directory is the capability line to read)
is "$(in_cg $G escape tmpfs $T/mnt 2>/dev/null)" EPERM "tmpfs on a plain directory in the host mount namespace: EPERM (root)"
is "$(jsonget -m op=mount -m path=$T/mnt hook capability fstype < $AUDIT_LOG | head -1)" \
	"$(printf 'capability\tCAP_SYS_ADMIN\ttmpfs')" "audit: the tmpfs mount names op, capability, path and fstype"
is "$(jsonget -m op=mount -m hook=file rule < $AUDIT_LOG | head -1)" self-protection \
	"audit: the tmpfs over the policy directory names the self-protection rule"
is "$(jsonget -m op=chroot capability path < $AUDIT_LOG | head -1)" \
	"$(printf 'CAP_SYS_CHROOT\t%s' $T/new)" "audit: the chroot names its capability and path"
is "$(jsonget -m op=umount path < $AUDIT_LOG | head -1)" /sys/fs/bpf "audit: the umount names /sys/fs/bpf"
is "$(jsonget -m op=sysctl path < $AUDIT_LOG | head -1)" core_pattern "audit: the sysctl write names core_pattern"
is "$(jsonget -m op=ptrace capability < $AUDIT_LOG | head -1)" CAP_SYS_PTRACE "audit: the ptrace names CAP_SYS_PTRACE"

# ---- setup phase: a runtime builds the environment, then execs the workload ----
# the runtime itself (no exec since it was governed, its exe a registered runtime)
is "$(in_cg $G $RT mount -t tmpfs t64setup /mnt/t64 2>&1; echo rc=$?)" rc=0 "setup: the runtime mounts in the governed cgroup"
ok "setup: the mount is there" grep -q ' /mnt/t64 ' /proc/mounts
is "$(in_cg $G $RT umount /mnt/t64 2>&1; echo rc=$?)" rc=0 "setup: the runtime unmounts"
# ... until it execs something else: the workload
out=$(in_cg $G $RT sh -c "exec /bin/busybox mount -t tmpfs t64work /mnt/t64" 2>&1)
ok "setup ends at the exec of the workload: its mount fails" [ $? -ne 0 ]
ok "setup ends at the exec of the workload: no mount appeared" sh -c "! grep -q ' /mnt/t64 ' /proc/mounts"
# a governed root that execs the runtime itself gets no setup rights
out=$(in_cg $G sh -c "$RT mount -t tmpfs t64root /mnt/t64" 2>&1)
ok "a governed shell's child exec'ing the runtime: mount fails (no setup rights)" [ $? -ne 0 ]
out=$(in_cg $G sh -c "exec $RT sh -c 'exec $RT mount -t tmpfs t64root2 /mnt/t64'" 2>&1)
ok "a governed shell exec'ing the runtime: mount fails (no setup rights)" [ $? -ne 0 ]
ok "no mount appeared" sh -c "! grep -q ' /mnt/t64 ' /proc/mounts"
# a copy of the runtime is not the runtime (identity, not name)
out=$(in_cg $G $T/rtcopy/busybox mount -t tmpfs t64copy /mnt/t64 2>&1)
ok "a copy of the runtime binary has no setup rights" [ $? -ne 0 ]
is "$(in_cg $G probe open $RT w)" EPERM "the runtime binary cannot be rewritten from the governed cgroup"
is "$(in_cg $G $RT chroot / /bin/busybox true 2>&1; echo rc=$?)" rc=0 "setup: the runtime may chroot"
# setup by lineage (runc, crun): the runtime binary, then the anonymous copy
# of itself it re-execs (a memfd: no binary identity), in a cgroup whose
# policy denies CAP_SYS_ADMIN by default ($GR)
is "$(in_cg $GR $RTE memfd-exec $RTE escape-cloned tmpfs /mnt/t64 2>&1)" ok \
	"setup by lineage: the runtime re-exec'd from a memfd mounts (as runc init does)"
is "$(in_cg $GR $RT umount /mnt/t64 2>&1; echo rc=$?)" rc=0 "setup by lineage: ... and it was mounted"
is "$(in_cg $GR $RTE memfd-exec $RTE c1 memfd-exec $RTE c2 tmpfs /mnt/t64 2>/dev/null)" EPERM \
	"setup by lineage: one anonymous re-exec only (a second one ends setup): mount EPERM"
is "$(in_cg $GR sh -c "exec $RTE tmpfs /mnt/t64" 2>/dev/null)" EPERM \
	"a governed workload re-executing the runtime gets no setup rights: mount EPERM"
is "$(in_cg $GR sh -c "exec $RTE memfd-exec $RTE c1 tmpfs /mnt/t64" 2>/dev/null)" EPERM \
	"a governed workload re-executing the runtime, then its memfd copy: mount EPERM"
is "$(in_cg $GR sh -c "exec /bin/escape memfd-exec $RTE c1 tmpfs /mnt/t64" 2>/dev/null)" EPERM \
	"a governed workload executing a memfd copy of the runtime: mount EPERM"
is "$(in_cg $GR sh -c "exec $RT sh -c 'exec $RTE memfd-exec $RTE c1 tmpfs /mnt/t64'" 2>/dev/null)" EPERM \
	"a governed workload exec'ing one runtime, then another and its copy: mount EPERM"
ok "no mount appeared" sh -c "! grep -q ' /mnt/t64 ' /proc/mounts"

# ---- setup by lineage from outside (issue 16: enf_exec_commit's path for
# an ungoverned task: the ungoverned filter, then the runtime filter) ----
# runc starts ungoverned (the shim's child), runc init joins the
# container's cgroup and re-execs its memfd copy: the runtime's exec while
# ungoverned must still be seen
is "$(in_cg $S true; in_cg $S $RTE -g $CG_ROOT$GR memfd-exec $RTE escape-cloned tmpfs /mnt/t64 2>&1)" ok \
	"lineage from outside: the runtime exec'd ungoverned joins a governed cgroup, re-execs its memfd copy and mounts (as runc init)"
is "$(in_cg $GR $RT umount /mnt/t64 2>&1; echo rc=$?)" rc=0 "lineage from outside: ... and it was mounted"
is "$(in_cg $S /bin/escape -g $CG_ROOT$GR memfd-exec /bin/escape c tmpfs /mnt/t64 2>/dev/null)" EPERM \
	"lineage from outside: the same with a program that is no runtime: mount EPERM (control)"
# a renamed runtime binary keeps its identity; one replaced by another file
# is no runtime until a reload resolves the name again (identities and the
# runtime filter are refilled together)
mv $RTE $T/rt/escape.moved
is "$(in_cg $GR $T/rt/escape.moved memfd-exec $T/rt/escape.moved c tmpfs /mnt/t64 2>&1)" ok \
	"a renamed runtime binary is still the runtime (identity): setup by lineage mounts"
is "$(in_cg $GR $RT umount /mnt/t64 2>&1; echo rc=$?)" rc=0 "... and it was mounted"
mv $T/rt/escape.moved $RTE
cp $RTE $T/rt/escape.new && chmod 755 $T/rt/escape.new && mv $T/rt/escape.new $RTE
is "$(in_cg $GR $RTE memfd-exec $RTE c tmpfs /mnt/t64 2>/dev/null)" EPERM \
	"a runtime binary replaced by another file: no setup rights before a reload (mount EPERM)"
enforcerctl reload >/dev/null 2>&1 || fail "enforcerctl reload after the replacement"
is "$(in_cg $GR $RTE memfd-exec $RTE c tmpfs /mnt/t64 2>&1)" ok \
	"... after a reload the replacement is the runtime: setup by lineage mounts"
is "$(in_cg $GR $RT umount /mnt/t64 2>&1; echo rc=$?)" rc=0 "... and it was mounted"
# lineage across a live bind: a runtime and a plain program both exec'd
# while t64/live was ungoverned (no storage for the latter), then the
# cgroup is bound live; the runtime's memfd copy keeps setup, the plain
# program's gets none
mkdir -p /mnt/t64b /mnt/t64c
rm -f /tmp/t64.go
in_cg t64/live $RTE -w /tmp/t64.go memfd-exec $RTE c tmpfs /mnt/t64 >/tmp/t64.rt 2>/dev/null &
LP1=$!
in_cg t64/live /bin/escape -w /tmp/t64.go memfd-exec /bin/escape c tmpfs /mnt/t64b >/tmp/t64.nrt 2>/dev/null &
LP2=$!
# the programs t64/live runs now (LP1, LP2 are the subshells around them)
live_exes() {
	for _p in $(cat $CG_ROOT/t64/live/cgroup.procs); do
		readlink /proc/$_p/exe
	done | sort | tr '\n' ' '
}
_i=0
while [ $_i -lt 100 ] && [ "$(live_exes)" != "/bin/escape $RTE " ]; do
	sleep 0.1
	_i=$((_i + 1))
done
is "$(live_exes)" "/bin/escape $RTE " "live bind: both programs exec'd in t64/live before the bind"
is "$(in_cg t64/live escape tmpfs /mnt/t64c 2>/dev/null)" ok "live bind: t64/live ungoverned before it (control)"
umount /mnt/t64c 2>/dev/null
like "$(sockclient -s 'bind /t64/live namespace=t64ns\n' -c 1 $SOCK)" '"ok":true' "bind /t64/live namespace=t64ns"
is "$(in_cg t64/live escape tmpfs /mnt/t64c 2>/dev/null)" EPERM "live bind: t64/live governed at once (a new process's mount EPERM)"
touch /tmp/t64.go
wait $LP1
wait $LP2
is "$(cat /tmp/t64.rt)" ok \
	"live bind: the runtime exec'd before it re-execs its memfd copy governed, keeps setup: mount ok"
is "$(cat /tmp/t64.nrt)" EPERM \
	"live bind: the plain program exec'd before it re-execs a copy governed: no setup rights (mount EPERM)"
umount /mnt/t64 2>/dev/null
umount /mnt/t64b 2>/dev/null
umount /mnt/t64c 2>/dev/null
rm -f /tmp/t64.go

stop_enforcerd
rm -f /etc/t64-secret
