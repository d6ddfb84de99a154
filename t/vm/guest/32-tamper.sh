# SPDX-License-Identifier: GPL-2.0-only
# 32-tamper.sh - tamper resistance of the host service (issue 6), as root
# in a governed cgroup: bpf() on enforcer's pins and by id (get, detach,
# map update), kill and ptrace of enforcerd, writes, creates, renames and
# unlinks in the policy directory, in /sys/fs/bpf/enforcer, of the binaries
# and of the audit log: all refused (EPERM), nothing changed.  On the control
# socket a confined peer may read status and stats but reload, reopen, bind
# and unload are refused with one clear error; `enforcerd --unload` fails.
# Root outside every policy keeps control, and so does root governed only by
# a host-wide policy (`cgroup = /`), which still enforces its own rules; root
# finally unloads.  bpfpoke (t/vm/bin/bpfpoke.c) stands in for bpftool.

P=/tmp/pol32
D=/data/t32
CG=t32/conf
PIN=/sys/fs/bpf/enforcer
mkdir -p $D $P
echo secret > $D/secret
cg_make $CG

write_policy $P svc <<INI
[policy]
name = svc
cgroup = /$CG
[exec]
deny = /usr/bin/denyme
[file]
deny = $D/secret
INI

denied_now() {
	[ "$(in_cg $CG probe open $D/secret r)" = EPERM ] &&
		[ "$(in_cg $CG probe exec /usr/bin/denyme)" = EPERM ]
}
pins() {
	find $PIN ! -type d 2>/dev/null | sort
}
# fails CMD...: CMD exits non-zero (its output dropped).
fails() {
	! "$@" >/dev/null 2>&1
}
cleanup32() {
	unload_enforcer
}
trap cleanup32 EXIT
unload_enforcer     # a state an earlier script left

start_enforcerd $P
ok "enforcing" denied_now

# ---- bpf() ----
set -- $(pins)
npins=$#
ok "there are pinned objects to attack ($npins)" [ "$npins" -gt 0 ]
bad=
for f in "$@"; do
	for op in get detach mapwrite; do
		r=$(in_cg $CG bpfpoke $op "$f")
		[ "$r" = EPERM ] || bad="$bad $op:$f=$r"
	done
done
is "$bad" "" "confined root: BPF_OBJ_GET, BPF_LINK_DETACH, BPF_MAP_UPDATE_ELEM on every pin: EPERM"
bad=
for k in prog map link; do
	for op in nextid byid; do
		r=$(in_cg $CG bpfpoke $op $k)
		[ "$r" = EPERM ] || bad="$bad $op:$k=$r"
	done
done
is "$bad" "" "confined root: bpf() by id (GET_NEXT_ID, GET_FD_BY_ID) EPERM"
# ---- signals, ptrace ----
is "$(in_cg $CG bpfpoke kill $ENFORCERD_PID 15)" EPERM "confined root: kill -TERM enforcerd: EPERM"
is "$(in_cg $CG bpfpoke kill $ENFORCERD_PID 9)" EPERM "confined root: kill -KILL enforcerd: EPERM"
is "$(in_cg $CG bpfpoke kill $ENFORCERD_PID 19)" EPERM "confined root: kill -STOP enforcerd: EPERM"
like "$(in_cg $CG kill -TERM $ENFORCERD_PID 2>&1)" "Operation not permitted" \
	"confined root: busybox kill -TERM enforcerd: Operation not permitted (EPERM)"
is "$(in_cg $CG bpfpoke ptrace $ENFORCERD_PID)" EPERM "confined root: ptrace(PTRACE_ATTACH) enforcerd: EPERM"
ok "enforcerd still running after the attempts" kill -0 "$ENFORCERD_PID"

# ---- the policy directory ----
cp $P/svc.ini /tmp/t32.svc.ini
is "$(in_cg $CG bpfpoke write $P/svc.ini)" EPERM "confined root: open a policy file for writing: EPERM"
in_cg $CG sh -c "echo '[exec]' > $P/svc.ini" 2>/dev/null
ok "confined root: echo > policy file changes nothing" cmp -s $P/svc.ini /tmp/t32.svc.ini
is "$(in_cg $CG bpfpoke create $P/evil.ini)" EPERM "confined root: create a file in the policy directory: EPERM"
is "$(in_cg $CG bpfpoke rename $P/svc.ini $P/svc.off)" EPERM "confined root: rename a policy file: EPERM"
is "$(in_cg $CG bpfpoke unlink $P/svc.ini)" EPERM "confined root: unlink a policy file: EPERM"
ok "the policy file is intact" cmp -s $P/svc.ini /tmp/t32.svc.ini

# ---- the binaries, the control socket ----
is "$(in_cg $CG bpfpoke write /bin/enforcerctl)" EPERM "confined root: open enforcerctl for writing: EPERM"
is "$(in_cg $CG bpfpoke unlink /bin/enforcerctl)" EPERM "confined root: unlink enforcerctl: EPERM"
is "$(in_cg $CG bpfpoke unlink /bin/enforcerd)" EPERM "confined root: unlink enforcerd: EPERM"
is "$(in_cg $CG bpfpoke rename /bin/enforcerd /bin/enforcerd.old)" EPERM "confined root: rename enforcerd: EPERM"
# ---- the pins ----
# the destructive attempts on the last pin (a map), so that a failure
# here leaves the links for the checks that follow
eval "f=\${$#}"
in_cg $CG rm -f "$f" 2>/dev/null
ok "confined root: rm of a pin ($f) leaves it" [ -e "$f" ]
is "$(in_cg $CG bpfpoke unlink "$f")" EPERM "confined root: unlink a pin: EPERM"
is "$(in_cg $CG bpfpoke rename "$f" "$f.x")" EPERM "confined root: rename a pin: EPERM"
is "$(in_cg $CG bpfpoke unlink $PIN)" EPERM "confined root: rmdir $PIN: EPERM"
is "$(in_cg $CG bpfpoke create $PIN/x)" EPERM "confined root: create in $PIN: EPERM"

# ---- the audit log ----
AL=$AUDIT_LOG
cp $AL /tmp/t32.audit.before
is "$(in_cg $CG bpfpoke write $AL)" EPERM "confined root: open the audit log for writing: EPERM"
is "$(in_cg $CG bpfpoke rename $AL $AL.x)" EPERM "confined root: rename the audit log: EPERM"
is "$(in_cg $CG bpfpoke unlink $AL)" EPERM "confined root: unlink the audit log: EPERM"
ok "the audit log is still there, not renamed" sh -c "[ -f $AL ] && [ ! -e $AL.x ]"
ok "the audit log only grew (nothing written into it by the confined root)" \
	sh -c "head -c $(wc -c < /tmp/t32.audit.before) $AL | cmp -s - /tmp/t32.audit.before"

# ---- the control socket: reads allowed, changes refused ----
REFUSED='permission denied: a process under a policy cannot change enforcer'
for v in reload reopen unload; do
	out=$(in_cg $CG enforcerctl $v 2>&1)
	rc=$?
	like "$rc $out" "^1 enforcerctl: $REFUSED" "confined root: enforcerctl $v refused (exit 1, '$REFUSED')"
done
like "$(in_cg $CG sockclient -s 'bind /t32/x namespace=ns\n' -c 1 /run/enforcer/enforcer.sock)" \
	"^0: \\{\"ok\":false,\"error\":\"$REFUSED" "confined root: bind refused with the same error"
like "$(in_cg $CG enforcerctl --json status)" '^\{"ok":true,' "confined root: enforcerctl status answered"
like "$(in_cg $CG enforcerctl --json stats)" '^\{"ok":true,' "confined root: enforcerctl stats answered"
like "$(grep -c 'refused .*from uid 0' /tmp/enforcerd.err)" '^[4-9]$|^[1-9][0-9]+$' \
	"enforcerd logged the 4 refusals"
ok "confined root: enforcerd --unload fails" fails in_cg $CG enforcerd --unload
ok "after every attempt: pins in place" [ "$(pins | wc -l)" -eq "$npins" ]
ok "after every attempt: still denied" denied_now
ok "after every attempt: enforcerd alive" kill -0 "$ENFORCERD_PID"

# root outside every policy keeps control
is "$(bpfpoke get "$1")" ok "root outside the policies: BPF_OBJ_GET of a pin works"
is "$(bpfpoke nextid prog)" ok "root outside the policies: bpf() by id works"
is "$(bpfpoke write $P/svc.ini)" ok "root outside the policies: may write the policy directory"
is "$(bpfpoke kill $ENFORCERD_PID 0)" ok "root outside the policies: may signal enforcerd"
is "$(bpfpoke ptrace $ENFORCERD_PID)" ok "root outside the policies: may ptrace enforcerd (so the EPERM above was enforcer's)"
is "$(bpfpoke write $AL)" ok "root outside the policies: may open the audit log for writing"
like "$(enforcerctl reopen 2>&1; echo "rc=$?")" 'rc=0' "root outside the policies: enforcerctl reopen works"

# ---- a rotated audit log: the file enforcerd writes now is protected at once ----
# (its identity is read again at reopen: before, only the next reload did)
gen_before=$(enforcerctl --json status | jsonget generation)
mv $AL $AL.rot1
like "$(enforcerctl reopen 2>&1; echo "rc=$?")" 'rc=0' "rotation: enforcerctl reopen works"
ok "rotation: a new audit log was created" test -f $AL
is "$(in_cg $CG bpfpoke unlink $AL)" EPERM "rotation (reopen): confined root: unlink the new audit log: EPERM"
is "$(in_cg $CG bpfpoke rename $AL $AL.x)" EPERM "rotation (reopen): confined root: rename the new audit log: EPERM"
is "$(in_cg $CG bpfpoke write $AL)" EPERM "rotation (reopen): confined root: open the new audit log for writing: EPERM"
ok "rotation (reopen): the new audit log is still there" sh -c "[ -f $AL ] && [ ! -e $AL.x ]"
ok "rotation (reopen): the protection was applied by a switch of generation" \
	[ "$(enforcerctl --json status | jsonget generation)" != "$gen_before" ]
ok "rotation (reopen): still denied after the switch" denied_now
mv $AL $AL.rot2
kill -USR1 "$ENFORCERD_PID"
i=0
while [ ! -f $AL ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
ok "rotation (SIGUSR1): a new audit log was created" test -f $AL
# the reopen and the switch are one step in enforcerd's loop: a status
# answered after the file appeared comes after both
enforcerctl status >/dev/null
is "$(in_cg $CG bpfpoke unlink $AL)" EPERM "rotation (SIGUSR1): confined root: unlink the new audit log: EPERM"
is "$(in_cg $CG bpfpoke write $AL)" EPERM "rotation (SIGUSR1): confined root: open the new audit log for writing: EPERM"
is "$(in_cg $CG attack uring-unlink $AL)" EPERM "rotation (SIGUSR1): confined root: io_uring IORING_OP_UNLINKAT of the new audit log: EPERM"
is "$(in_cg $CG attack uring-rename $AL $AL.x)" EPERM "rotation (SIGUSR1): confined root: io_uring IORING_OP_RENAMEAT of the new audit log: EPERM"
ok "rotation (SIGUSR1): still denied" denied_now
is "$(bpfpoke unlink $AL.rot1)" ok "rotation: root outside the policies may remove a rotated file (logrotate)"
rm -f $AL.rot2

# ---- a host-wide policy (cgroup = /) governs everyone but confines no one ----
cg_make t32/free
echo secret > $D/hostwide
write_policy $P hostwide <<INI
[policy]
name = hostwide
cgroup = /
[file]
deny = $D/hostwide
INI
enforcerctl reload >/tmp/t32.rl 2>&1
is "$?" 0 "host-wide policy loaded (enforcerctl reload)" || diag "$(cat /tmp/t32.rl)"
is "$(in_cg t32/free probe open $D/hostwide r)" EPERM "host-wide: it governs root in t32/free (its rule: EPERM)"
is "$(probe open $D/hostwide r)" EPERM "host-wide: it governs the admin's shell too"
is "$(in_cg t32/free bpfpoke get "$1")" ok "host-wide only: root may still use bpf() (BPF_OBJ_GET of a pin)"
is "$(in_cg t32/free bpfpoke write $P/svc.ini)" ok "host-wide only: root may write the policy directory"
is "$(in_cg t32/free bpfpoke kill $ENFORCERD_PID 0)" ok "host-wide only: root may signal enforcerd"
like "$(in_cg t32/free enforcerctl reload 2>&1; echo "rc=$?")" 'rc=0$' "host-wide only: root may reload"
is "$(in_cg $CG bpfpoke get "$1")" EPERM "the confined cgroup (svc + host-wide) still may not use bpf()"
like "$(in_cg $CG enforcerctl reload 2>&1)" "$REFUSED" "the confined cgroup still may not reload"
rm -f $P/hostwide.ini
enforcerctl reload >/dev/null 2>&1
is "$(probe open $D/hostwide r)" ok "host-wide policy removed: the shell opens the file again"


# ---- root outside every policy unloads ----
enforcerctl unload >/tmp/t32.unload 2>&1
is "$?" 0 "root outside the policies: enforcerctl unload" || diag "$(cat /tmp/t32.unload)"
i=0
while [ -n "$(pins)" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
is "$(pins)" "" "unload: the pins are removed"
i=0
while [ "$(in_cg $CG probe open $D/secret r)" != ok ] && [ $i -lt 50 ]; do sleep 0.2; i=$((i + 1)); done
is "$(in_cg $CG probe open $D/secret r)" ok "unload: the open passes (within 10 s)"
kill -TERM "$ENFORCERD_PID" 2>/dev/null
wait "$ENFORCERD_PID" 2>/dev/null
rm -f /tmp/enforcerd.pid
ENFORCERD_PID=
