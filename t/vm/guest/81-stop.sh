# SPDX-License-Identifier: GPL-2.0-only
# 81-stop.sh - a confined process cannot stop enforcerd (issue 12): no
# signal by tgkill or pidfd_send_signal, no SIGIO/F_SETSIG (the kernel sends
# it from whoever causes the I/O: enforcerd stays alive, a neighbour victim
# is killed the same way), no freeze, kill or limit through the cgroup files
# of enforcerd's cgroup or the cgroups above it (a neighbour's work), no
# unmount of or mount over /sys/fs/bpf, the pins or the policy directory
# where enforcerd would see it (a private mount namespace may; a shared one
# may not); and readonly covers metadata: security.capability and other
# xattrs, POSIX ACLs, times.  enforcerd moved by a confined root into its
# own cgroup (also one it froze first) stays ungoverned and guarded; uid 1000
# in a delegated subtree cannot move it; process_vm_writev, pidfd_getfd and
# F_SETOWN_EX are refused.  Controls: the same attempts from an
# ungoverned process, or on things enforcer does not own, succeed.
# guest-timeout: 600

# the pins the script before this one left are adopted (t/vm/lib.sh): its
# programs are this build's, its checks need no fresh load
ADOPT_PINS=1

P=/tmp/pol81
D=/data/t81
CG=t81/conf
NF=t81/nofile
cg_make $CG
cg_make $NF
cg_make t81/svc
cg_make t81/other
cg_make t81/user/a
cg_make t81/user/b
# a subtree delegated to uid 1000 (its directories and cgroup.* files)
chown 1000 /sys/fs/cgroup/t81/user /sys/fs/cgroup/t81/user/cgroup.procs \
	/sys/fs/cgroup/t81/user/cgroup.threads /sys/fs/cgroup/t81/user/cgroup.subtree_control
for c in a b; do
	chown 1000 /sys/fs/cgroup/t81/user/$c /sys/fs/cgroup/t81/user/$c/cgroup.procs \
		/sys/fs/cgroup/t81/user/$c/cgroup.threads
done
mkdir -p $D
mount -t tmpfs t81 $D                # xattrs and ACLs need tmpfs, not rootfs
mkdir -p $D/ro $D/rw /mnt/t81free
echo x > $D/ro/f
cp /bin/probe $D/ro/bin
echo x > $D/rw/f

write_policy $P conf <<INI
[policy]
cgroup = /$CG
cgroup = /t81/user
[exec]
deny = /usr/bin/denyme
[file]
readonly = $D/ro/
INI
write_policy $P nofile <<INI
[policy]
cgroup = /$NF
[exec]
deny = /usr/bin/denyme
[capabilities]
allow = CAP_SYS_ADMIN     ; it may mount: the guard on enforcer's files is what refuses
INI

# enforcerd starts inside t81/svc (its cgroup and t81 above it are guarded)
echo $$ > /sys/fs/cgroup/t81/svc/cgroup.procs
start_enforcerd $P
echo $$ > /sys/fs/cgroup/cgroup.procs
PID=$ENFORCERD_PID
alive() { kill -0 $PID 2>/dev/null && [ "$(in_cg $CG probe exec /usr/bin/denyme)" = EPERM ]; }
tamper() { enforcerctl --json stats | jsonget tamper_denials; }

# ---- signals ----
is "$(in_cg $CG attack tgkill $PID 9)" EPERM "confined root: tgkill(enforcerd, SIGKILL): EPERM"
is "$(in_cg $CG attack pidfd $PID 9)" EPERM "confined root: pidfd_send_signal(enforcerd, SIGKILL): EPERM"
is "$(in_cg $CG runas 1000 attack pidfd $PID 9)" EPERM \
	"confined uid 1000: pidfd_send_signal(enforcerd): EPERM"
# (root in a user namespace of its own is out of its reach now: the
# privilege model refuses the namespace's set-up, 64-escape-privilege.sh)
t0=$(tamper)
is "$(in_cg $CG attack sigio $PID 9)" sent "confined root: F_SETOWN enforcerd + F_SETSIG SIGKILL, then I/O"
sleep 0.5
ok "... enforcerd is alive and enforcing" alive
ok "... the attempt is counted (tamper_denials $t0 -> $(tamper))" [ "$(tamper)" -gt "$t0" ]
sleep 100 & V=$!
in_cg $CG attack sigio $V 9 >/dev/null
sleep 0.5
ok "control: the same SIGIO from the confined root kills a neighbour process" sh -c "! kill -0 $V 2>/dev/null"
wait $V 2>/dev/null

# ---- enforcerd's cgroups ----
S=/sys/fs/cgroup/t81/svc
is "$(in_cg $CG attack write $S/cgroup.freeze 1)" EPERM "confined root: freeze enforcerd's cgroup: EPERM"
is "$(in_cg $CG attack write $S/cgroup.kill 1)" EPERM "confined root: cgroup.kill of enforcerd's cgroup: EPERM"
is "$(in_cg $CG attack write /sys/fs/cgroup/t81/cgroup.freeze 1)" EPERM \
	"confined root: freeze the cgroup above enforcerd's: EPERM"
is "$(in_cg $CG attack write $S/cgroup.max.descendants 0)" EPERM \
	"confined root: a limit on enforcerd's cgroup: EPERM"
is "$(in_cg $CG attack write /sys/fs/cgroup/t81/other/cgroup.freeze 1)" ok \
	"control: the confined root may freeze a neighbour cgroup"
echo 0 > /sys/fs/cgroup/t81/other/cgroup.freeze
is "$(cat $S/cgroup.freeze)" 0 "enforcerd's cgroup is not frozen"
# moved into the attacker's own cgroup (allowed: it is the attacker's
# subtree), enforcerd is still no one's to freeze, and still not governed
in_cg $CG sh -c "echo $PID > /sys/fs/cgroup/$CG/cgroup.procs"
is "$(cat /proc/$PID/cgroup)" "0::/$CG" "a confined root moved enforcerd into its own cgroup"
is "$(in_cg $CG attack write /sys/fs/cgroup/$CG/cgroup.freeze 1)" EPERM \
	"... then freezing that cgroup: EPERM (enforcerd's cgroup follows it)"
enforcerctl reload >/dev/null 2>&1
is "$?" 0 "... enforcerd there is not governed: it still reloads (bpf() allowed)"
echo $PID > /sys/fs/cgroup/t81/svc/cgroup.procs
is "$(cat /proc/$PID/cgroup)" "0::/t81/svc" "root outside the policies moved it back"
# uid 1000 in its delegated subtree: the kernel wants write access to the
# cgroup.procs of the common ancestor (t81, root's): it cannot pull enforcerd
is "$(in_cg t81/user/a runas 1000 attack write /sys/fs/cgroup/t81/user/a/cgroup.procs $PID)" EACCES \
	"confined uid 1000: moving enforcerd into its delegated subtree: EACCES"
is "$(cat /proc/$PID/cgroup)" "0::/t81/svc" "... enforcerd stays in its cgroup"
is "$(in_cg t81/user/a runas 1000 sh -c 'echo $$ > /sys/fs/cgroup/t81/user/b/cgroup.procs && echo moved')" moved \
	"control: uid 1000 moves its own process within its delegated subtree"
# A cgroup the confined root froze first, then moved enforcerd into (no LSM
# hook sees the pid written to cgroup.procs): enforcerd stops, enforcement
# does not (pinned programs); then it is guarded there, and root outside
# thaws it (README threat model: not defended)
cg_make $CG/fz
is "$(in_cg $CG attack write /sys/fs/cgroup/$CG/fz/cgroup.freeze 1)" ok \
	"confined root: freezes a cgroup of its own subtree"
is "$(in_cg $CG attack write /sys/fs/cgroup/$CG/fz/cgroup.procs $PID)" ok \
	"confined root: moves enforcerd into it (not defended: enforcerd is frozen)"
_i=0
until grep -q '^frozen 1' /sys/fs/cgroup/$CG/fz/cgroup.events || [ $_i -ge 50 ]; do sleep 0.1; _i=$((_i + 1)); done
like "$(cat /proc/$PID/cgroup) $(grep frozen /sys/fs/cgroup/$CG/fz/cgroup.events)" "^0::/$CG/fz frozen 1\$" \
	"... enforcerd is in it, frozen"
ok "... enforcerd does not answer (enforcerctl --timeout 2 status fails)" \
	sh -c '! enforcerctl --timeout 2 status >/dev/null 2>&1'
is "$(in_cg $CG probe exec /usr/bin/denyme)" EPERM "enforcerd frozen: enforcement holds (pinned programs)"
is "$(in_cg $CG attack write /sys/fs/cgroup/$CG/fz/cgroup.freeze 0)" EPERM \
	"... the frozen cgroup is enforcerd's now: guarded (the attacker cannot even thaw it)"
is "$(in_cg $CG attack write /sys/fs/cgroup/$CG/fz/cgroup.kill 1)" EPERM "... nor kill it"
echo 0 > /sys/fs/cgroup/$CG/fz/cgroup.freeze
echo $PID > /sys/fs/cgroup/t81/svc/cgroup.procs
rmdir /sys/fs/cgroup/$CG/fz
ok "root outside the policies thawed it and moved it back: enforcerd answers" enforcerctl status
# The same through a descriptor of cgroup.freeze opened before the move (the
# guard is at open): not defended either (README), enforcement holds
cg_make $CG/fz2
is "$(in_cg $CG attack prewrite /sys/fs/cgroup/$CG/fz2/cgroup.freeze 1 $PID /sys/fs/cgroup/$CG/fz2)" ok \
	"confined root: cgroup.freeze opened before moving enforcerd in, written after (not defended)"
_i=0
until grep -q '^frozen 1' /sys/fs/cgroup/$CG/fz2/cgroup.events || [ $_i -ge 50 ]; do sleep 0.1; _i=$((_i + 1)); done
like "$(cat /proc/$PID/cgroup) $(grep frozen /sys/fs/cgroup/$CG/fz2/cgroup.events)" "^0::/$CG/fz2 frozen 1\$" \
	"... enforcerd is in it, frozen"
is "$(in_cg $CG probe exec /usr/bin/denyme)" EPERM "... enforcement holds"
echo 0 > /sys/fs/cgroup/$CG/fz2/cgroup.freeze
echo $PID > /sys/fs/cgroup/t81/svc/cgroup.procs
rmdir /sys/fs/cgroup/$CG/fz2
ok "root outside the policies thawed it and moved it back: enforcerd answers" enforcerctl status

# ---- enforcerd's cgroups by other routes: another view of cgroupfs, a
# cgroup namespace, clone3 into its cgroup, uid 1000 ----
O=/sys/fs/cgroup/t81/other
is "$(in_cg $CG attack cg2fsmount t81/svc/cgroup.freeze 1)" EPERM \
	"confined root: fsopen(cgroup2) for another view of cgroupfs: EPERM (CAP_SYS_ADMIN)"
is "$(in_cg $NF attack cg2fsmount t81/svc/cgroup.freeze 1)" EPERM \
	"confined root granted CAP_SYS_ADMIN: freeze enforcerd's cgroup through a detached cgroup2 mount (fsmount): EPERM"
is "$(in_cg $NF attack cg2fsmount t81/other/cgroup.freeze 1)" ok \
	"control: ... the same detached mount freezes a neighbour cgroup"
echo 0 > $O/cgroup.freeze
mkdir -p /mnt/t81cg
is "$(in_cg $NF sh -c 'mount -t cgroup2 none /mnt/t81cg && attack write /mnt/t81cg/t81/svc/cgroup.kill 1')" EPERM \
	"confined root granted CAP_SYS_ADMIN: cgroup.kill of enforcerd's cgroup through a second cgroup2 mount: EPERM"
is "$(in_cg $NF attack write /mnt/t81cg/t81/other/cgroup.freeze 1)" ok "control: ... a neighbour's through it: ok"
echo 0 > $O/cgroup.freeze
umount /mnt/t81cg
is "$(in_cg $CG attack cgns $S/cgroup.freeze 1)" EPERM \
	"confined root: a cgroup namespace: EPERM (CAP_SYS_ADMIN)"
is "$(in_cg $NF attack cgns $S/cgroup.freeze 1)" EPERM \
	"confined root granted CAP_SYS_ADMIN: in a cgroup namespace of its own, freeze enforcerd's cgroup: EPERM"
is "$(in_cg $NF attack cgns $O/cgroup.freeze 1)" ok "control: ... a neighbour's from there: ok"
echo 0 > $O/cgroup.freeze
is "$(in_cg $CG trick clone-into $S /bin/probe exec /usr/bin/denyme)" EPERM \
	"confined root: clone3(CLONE_INTO_CGROUP) into enforcerd's cgroup: EPERM"
is "$(in_cg t81/user/a runas 1000 attack write $S/cgroup.freeze 1)" EACCES \
	"confined uid 1000: freeze enforcerd's cgroup: EACCES"
is "$(in_cg t81/user/a runas 1000 trick clone-into $S /bin/probe exec /usr/bin/denyme)" EPERM \
	"confined uid 1000: clone3(CLONE_INTO_CGROUP) into enforcerd's cgroup: EPERM"
is "$(cat $S/cgroup.freeze) $(cat /proc/$PID/cgroup)" "0 0::/t81/svc" "enforcerd's cgroup is not frozen, enforcerd in it"
ok "enforcerd alive and enforcing after the cgroup attempts" alive

# ---- other ways into enforcerd (by identity: its thread group id) ----
is "$(in_cg $CG attack vmwrite $PID)" EPERM "confined root: process_vm_writev into enforcerd: EPERM"
is "$(attack vmwrite $PID)" EFAULT \
	"control: root outside the policies passes the permission check (EFAULT at an unmapped address)"
is "$(in_cg $CG attack getfd $PID 0)" EPERM "confined root: pidfd_getfd of enforcerd's descriptor: EPERM"
is "$(attack getfd $PID 0)" ok "control: root outside the policies may take it"
t0=$(tamper)
is "$(in_cg $CG attack sigioex $PID 9)" sent \
	"confined root: F_SETOWN_EX (F_OWNER_TID enforcerd) + F_SETSIG SIGKILL, then I/O"
sleep 0.5
ok "... enforcerd is alive and enforcing" alive
ok "... the attempt is counted (tamper_denials $t0 -> $(tamper))" [ "$(tamper)" -gt "$t0" ]

# ---- mounts over or under enforcer's files ----
is "$(in_cg $NF attack umount /sys/fs/bpf)" EPERM "confined root: umount -l /sys/fs/bpf: EPERM"
is "$(in_cg $NF attack umount /sys)" EPERM "confined root: umount -l /sys (above the pins): EPERM"
is "$(in_cg $NF attack mount /sys/fs/bpf)" EPERM "confined root: a tmpfs over /sys/fs/bpf: EPERM"
is "$(in_cg $NF attack mount /sys/fs/bpf/enforcer)" EPERM "confined root: a tmpfs over the pins: EPERM"
is "$(in_cg $NF attack mount $P)" EPERM "confined root: a tmpfs over the policy directory: EPERM"
is "$(in_cg $NF attack bind /mnt/t81free $P)" EPERM "confined root: a bind mount over the policy directory: EPERM"
is "$(in_cg $NF attack mount /mnt/t81free)" ok "control: the confined root may mount elsewhere"
umount /mnt/t81free
is "$(in_cg $NF attack nsmount /sys/fs/bpf)" ok \
	"control: in a new mount namespace, /sys/fs/bpf private (enforcerd does not see it): passes"
mount --make-shared /sys/fs/bpf
is "$(in_cg $NF attack nsmount /sys/fs/bpf)" EPERM \
	"in a new mount namespace where /sys/fs/bpf is shared with enforcerd's: EPERM"
mount --make-private /sys/fs/bpf
ok "the pins are in place" [ -e /sys/fs/bpf/enforcer ] && [ -n "$(ls /sys/fs/bpf/enforcer)" ]
like "$(grep '"op":"mount"' $AUDIT_LOG | tail -n 1)" '"rule":"self-protection"' \
	"the mount refusals are audited as self-protection"

# ---- readonly covers metadata ----
CAP=0100000280000000000000000000000000000000     # vfs_cap_data v2: CAP_SETUID, effective
is "$(in_cg $CG attack setxattr $D/ro/bin security.capability $CAP)" EPERM \
	"confined root: security.capability on a readonly binary: EPERM"
is "$(in_cg $CG attack setxattr $D/ro/f trusted.x 01)" EPERM "confined root: trusted.x on a readonly file: EPERM"
attack setxattr $D/ro/f trusted.y 01 >/dev/null
is "$(in_cg $CG attack rmxattr $D/ro/f trusted.y)" EPERM "confined root: removexattr on a readonly file: EPERM"
is "$(in_cg $CG attack acl $D/ro/f)" EPERM "confined root: a POSIX ACL on a readonly file: EPERM"
is "$(in_cg $CG attack utimes $D/ro/f)" EPERM "confined root: utimensat on a readonly file: EPERM"
like "$(grep '"op":"xattr"' $AUDIT_LOG | tail -n 1)" '"rule":"readonly = /data/t81/ro/"' \
	"the xattr refusal names the readonly rule"
is "$(in_cg $CG attack setxattr $D/rw/f security.capability $CAP)" ok \
	"control: the confined root may set xattrs outside the rule"
is "$(in_cg $CG attack acl $D/rw/f)" ok "control: ... and ACLs"
is "$(in_cg $CG attack utimes $D/rw/f)" ok "control: ... and times"
is "$(attack setxattr $D/ro/bin security.capability $CAP)" ok "control: root outside the policies may"
is "$(attack acl $D/ro/f)" ok "control: ... set an ACL there too"
ok "after every attempt: enforcerd alive and enforcing" alive
stop_enforcerd
umount $D
