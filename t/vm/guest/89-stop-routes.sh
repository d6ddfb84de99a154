# SPDX-License-Identifier: GPL-2.0-only
# 89-stop-routes.sh - routes to enforcerd's process that 32-tamper.sh and
# 81-stop.sh do not take, by a confined root: queued signals
# (rt_sigqueueinfo, rt_tgsigqueueinfo), limits (prlimit: RLIMIT_CPU would
# have the kernel SIGKILL it, RLIMIT_NOFILE close its control socket,
# RLIMIT_FSIZE and RLIMIT_AS), priorities (setpriority, SCHED_IDLE,
# sched_setaffinity, the idle I/O class) and its /proc/PID files
# (oom_score_adj: the OOM killer's first pick; timerslack_ns, comm, mem,
# also by /proc/PID/task/TID).  Each is refused with EPERM, counted and
# audited as self-protection, enforcerd's values unchanged; the same calls
# from the confined root on a neighbour process, and from root outside the
# policies on enforcerd, pass.  The control socket's slots: 64 `audit
# follow` connections (read tier, never timed out) from the confined root
# get 48, and root outside the policies still reloads.  Pins, policy
# files and the audit log through io_uring (UNLINKAT, RENAMEAT) and
# RENAME_EXCHANGE: EPERM.  The flags of enforcer's mounts: a remount by
# mount(2) is refused even with CAP_SYS_ADMIN granted; mount_setattr(2)
# only without it (no LSM hook: README, not defended).  /proc/sysrq-trigger
# needs CAP_SYS_ADMIN from the policies.
# guest-timeout: 600

P=/tmp/pol89
CG=t89/conf
cg_make $CG
write_policy $P conf <<INI
[policy]
cgroup = /$CG
[exec]
deny = /usr/bin/denyme
INI
AD=t89/admin
cg_make $AD
write_policy $P admin <<INI
[policy]
cgroup = /$AD
[exec]
deny = /usr/bin/denyme
[capabilities]
allow = CAP_SYS_ADMIN     ; it may mount: the guard on enforcer's mounts is what refuses
INI
start_enforcerd $P
PID=$ENFORCERD_PID
# field N of /proc/PID/stat (after the comm, which may hold spaces)
statf() { sed 's/.*) //' /proc/$1/stat | cut -d' ' -f$(($2 - 2)); }
# running (not a zombie: kill -0 passes on one), answering, and enforcing
alive() {
	[ -e /proc/$PID/stat ] && [ "$(statf $PID 3)" != Z ] && enforcerctl --timeout 5 status >/dev/null 2>&1 &&
		[ "$(in_cg $CG probe exec /usr/bin/denyme)" = EPERM ]
}
tamper() { enforcerctl --json stats | jsonget tamper_denials; }
# a neighbour process, ungoverned: the control victim
sleep 1000 &
V=$!
t0=$(tamper)

# ---- queued signals ----
is "$(in_cg $CG attack sigqueue $PID 9)" EPERM "confined root: rt_sigqueueinfo(enforcerd, SIGKILL): EPERM"
is "$(in_cg $CG attack tgsigqueue $PID 9)" EPERM "confined root: rt_tgsigqueueinfo(enforcerd, SIGKILL): EPERM"
is "$(in_cg $CG attack sigqueue $V 18)" ok "control: rt_sigqueueinfo(neighbour, SIGCONT) passes"

# ---- limits ----
cpu0=$(grep '^Max cpu time' /proc/$PID/limits)
is "$(in_cg $CG attack prlimit $PID cpu 1 1)" EPERM \
	"confined root: prlimit(enforcerd, RLIMIT_CPU, 1 s): EPERM (the kernel would SIGKILL it)"
is "$(in_cg $CG attack prlimit $PID nofile 3 3)" EPERM "confined root: prlimit(enforcerd, RLIMIT_NOFILE, 3): EPERM"
is "$(in_cg $CG attack prlimit $PID fsize 0 0)" EPERM "confined root: prlimit(enforcerd, RLIMIT_FSIZE, 0): EPERM"
is "$(in_cg $CG attack prlimit $PID as 4096 4096)" EPERM "confined root: prlimit(enforcerd, RLIMIT_AS, 4096): EPERM"
sleep 2
is "$(grep '^Max cpu time' /proc/$PID/limits)" "$cpu0" "... enforcerd's RLIMIT_CPU unchanged"
ok "... enforcerd alive (not a zombie), answering and enforcing 2 s later" alive
is "$(in_cg $CG attack prlimit $V cpu 1 1)" ok "control: prlimit(neighbour, RLIMIT_CPU, 1 s) passes"
like "$(grep '^Max cpu time' /proc/$V/limits)" '^Max cpu time +1 +1 ' "... the neighbour's limit is 1 s"
is "$(in_cg $CG runas 1000 attack prlimit $PID cpu 1 1)" EPERM \
	"confined uid 1000: prlimit(enforcerd): EPERM (the kernel: not its process)"

# ---- priorities ----
nice0=$(statf $PID 19)
is "$(in_cg $CG attack nice $PID 19)" EPERM "confined root: setpriority(enforcerd, 19): EPERM"
is "$(in_cg $CG attack sched $PID)" EPERM "confined root: sched_setscheduler(enforcerd, SCHED_IDLE): EPERM"
is "$(in_cg $CG attack affinity $PID 0)" EPERM "confined root: sched_setaffinity(enforcerd, {0}): EPERM"
is "$(in_cg $CG attack ioprio $PID)" EPERM "confined root: ioprio_set(enforcerd, idle class): EPERM"
is "$(statf $PID 19) $(statf $PID 41)" "$nice0 0" "... enforcerd's nice ($nice0) and policy (SCHED_OTHER) unchanged"
is "$(in_cg $CG attack nice $V 19)" ok "control: setpriority(neighbour, 19) passes"
is "$(in_cg $CG attack sched $V)" ok "control: sched_setscheduler(neighbour, SCHED_IDLE) passes"
is "$(in_cg $CG attack affinity $V 0)" ok "control: sched_setaffinity(neighbour) passes"
is "$(in_cg $CG attack ioprio $V)" ok "control: ioprio_set(neighbour) passes"

# ---- enforcerd's /proc/PID files ----
oom0=$(cat /proc/$PID/oom_score_adj)
is "$(in_cg $CG attack write /proc/$PID/oom_score_adj 1000)" EPERM \
	"confined root: write 1000 to enforcerd's oom_score_adj: EPERM"
is "$(in_cg $CG attack write /proc/$PID/task/$PID/oom_score_adj 1000)" EPERM \
	"confined root: ... through /proc/PID/task/TID: EPERM"
is "$(in_cg $CG attack write /proc/$PID/oom_adj 15)" EPERM "confined root: ... oom_adj: EPERM"
is "$(cat /proc/$PID/oom_score_adj)" "$oom0" "... enforcerd's oom_score_adj unchanged ($oom0)"
is "$(in_cg $CG attack write /proc/$PID/timerslack_ns 100000000)" EPERM \
	"confined root: write enforcerd's timerslack_ns: EPERM"
comm0=$(cat /proc/$PID/comm)
is "$(in_cg $CG attack write /proc/$PID/comm evil)" EPERM "confined root: write enforcerd's comm: EPERM"
is "$(cat /proc/$PID/comm)" "$comm0" "... its comm unchanged"
is "$(in_cg $CG attack write /proc/$PID/mem x)" EPERM "confined root: open enforcerd's /proc/PID/mem for writing: EPERM"
is "$(in_cg $CG attack write /proc/$V/oom_score_adj 1000)" ok "control: the neighbour's oom_score_adj: ok"
is "$(cat /proc/$V/oom_score_adj)" 1000 "... the neighbour's oom_score_adj is 1000"
is "$(in_cg $CG attack write /proc/self/oom_score_adj 500)" ok "control: its own oom_score_adj: ok"

# ---- the control socket's slots: `audit follow` is the read tier's and
# never times out; 64 such connections would lock the admin (and the OCI
# hook's bind) out ----
set -- $(in_cg $CG attack ctlhold /run/enforcer/enforcer.sock 64)
is "$1" 48 "confined root: 64 'audit follow' connections: 48 held (the read tier's share of 64)"
out=$(enforcerctl reload 2>&1)
is "$?" 0 "... root outside the policies still reloads (16 slots kept for the admin tier)" || diag "$out"
like "$(grep 'too many clients' /tmp/enforcerd.err | tail -n 1)" 'too many clients \(48 of the read tier\)' \
	"... the refused connections are logged as the read tier's"
[ -n "$2" ] && kill "$2"

# ---- enforcer's files through io_uring and RENAME_EXCHANGE ----
pin=$(find /sys/fs/bpf/enforcer ! -type d | tail -n 1)
echo x > /tmp/t89.a
echo y > /tmp/t89.b
cp $P/conf.ini /tmp/t89.conf
is "$(in_cg $CG attack uring-unlink $pin)" EPERM "confined root: io_uring IORING_OP_UNLINKAT of a pin: EPERM"
is "$(in_cg $CG attack uring-rename $pin $pin.x)" EPERM "confined root: io_uring IORING_OP_RENAMEAT of a pin: EPERM"
is "$(in_cg $CG attack uring-unlink $P/conf.ini)" EPERM "confined root: io_uring IORING_OP_UNLINKAT of a policy file: EPERM"
is "$(in_cg $CG attack exchange /tmp/t89.a $P/conf.ini)" EPERM \
	"confined root: renameat2(RENAME_EXCHANGE) of its file with a policy file: EPERM"
is "$(in_cg $CG attack uring-rename /tmp/t89.a $P/conf.ini x)" EPERM \
	"confined root: io_uring IORING_OP_RENAMEAT(RENAME_EXCHANGE) with a policy file: EPERM"
is "$(in_cg $CG attack exchange /tmp/t89.a $AUDIT_LOG)" EPERM \
	"confined root: renameat2(RENAME_EXCHANGE) with the audit log: EPERM"
ok "the pin, the policy file and the audit log are in place" \
	sh -c "[ -e $pin ] && [ ! -e $pin.x ] && cmp -s $P/conf.ini /tmp/t89.conf && grep -q '^x' /tmp/t89.a && [ -s $AUDIT_LOG ]"
is "$(in_cg $CG attack uring-rename /tmp/t89.a /tmp/t89.b x)" ok \
	"control: io_uring IORING_OP_RENAMEAT(RENAME_EXCHANGE) of its own files: ok"
is "$(cat /tmp/t89.a)" y "... exchanged"
is "$(in_cg $CG attack uring-unlink /tmp/t89.b)" ok "control: io_uring IORING_OP_UNLINKAT of its own file: ok"

# ---- the flags of enforcer's mounts: mount(2)'s remount is guarded;
# mount_setattr(2) has no LSM hook: only the privilege model stops it
# (README: not defended where a policy grants CAP_SYS_ADMIN) ----
is "$(in_cg $CG attack setattr-ro /sys/fs/bpf)" EPERM \
	"confined root: mount_setattr(/sys/fs/bpf, RDONLY): EPERM (CAP_SYS_ADMIN)"
is "$(in_cg $CG attack remount-ro /sys/fs/bpf)" EPERM "confined root: remount /sys/fs/bpf read-only: EPERM (CAP_SYS_ADMIN)"
is "$(in_cg $AD attack remount-ro /sys/fs/bpf)" EPERM \
	"confined root granted CAP_SYS_ADMIN: remount /sys/fs/bpf read-only by mount(2): EPERM (self-protection)"
is "$(in_cg $AD attack remount-ro $P)" EPERM \
	"confined root granted CAP_SYS_ADMIN: remount the policy directory's mount read-only: EPERM"
like "$(grep /sys/fs/bpf /proc/mounts)" ' rw[ ,]' "... /sys/fs/bpf stays read-write"
is "$(in_cg $AD attack setattr-ro /sys/fs/bpf)" ok \
	"confined root granted CAP_SYS_ADMIN: mount_setattr(/sys/fs/bpf, RDONLY) passes (no LSM hook: README, not defended)"
like "$(grep /sys/fs/bpf /proc/mounts)" ' ro[ ,]' "... /sys/fs/bpf is read-only for enforcerd too"
is "$(attack setattr-rw /sys/fs/bpf)" ok "root outside the policies makes it read-write again"
is "$(in_cg $AD probe exec /usr/bin/denyme)" EPERM "... enforcement held throughout"

# ---- /proc/sysrq-trigger runs any SysRq for whoever opens it for writing,
# whatever kernel.sysrq says (b: reboot without CAP_SYS_BOOT, i: SIGKILL to
# every process, enforcerd too): CAP_SYS_ADMIN from the policies, as for
# /proc/sys.  h (help) is the harmless probe ----
is "$(in_cg $CG attack write /proc/sysrq-trigger h)" EPERM \
	"confined root: write /proc/sysrq-trigger: EPERM (CAP_SYS_ADMIN, as /proc/sys)"
like "$(grep '"op":"sysctl"' $AUDIT_LOG | tail -n 1)" 'sysrq-trigger' "... audited as op sysctl, naming the file"
is "$(in_cg $AD attack write /proc/sysrq-trigger h)" ok "confined root granted CAP_SYS_ADMIN: passes"
is "$(attack write /proc/sysrq-trigger h)" ok "control: root outside the policies: passes"
is "$(in_cg $CG attack write /proc/sys/kernel/sysrq 0)" EPERM "confined root: write /proc/sys/kernel/sysrq: EPERM"
diag "uevent_helper: $(ls -l /sys/kernel/uevent_helper 2>&1)"

# ---- counted, audited ----
ok "the attempts are counted (tamper_denials $t0 -> $(tamper), at least 16 more)" \
	[ "$(tamper)" -ge $((t0 + 16)) ]
wait_audit '"comm":"attack".*"op":"tamper"|"op":"tamper".*"comm":"attack"' 5
like "$(grep '"op":"tamper"' $AUDIT_LOG | grep '"comm":"attack"' | tail -n 1)" '"rule":"self-protection"' \
	"the refusals are audited as self-protection (op tamper)"

# ---- root outside the policies may ----
is "$(attack nice $PID 0)" ok "root outside the policies: setpriority(enforcerd) passes"
is "$(attack write /proc/$PID/oom_score_adj $oom0)" ok "root outside the policies: enforcerd's oom_score_adj: ok"
is "$(attack prlimit $PID cpu -1 -1)" ok "root outside the policies: prlimit(enforcerd, RLIMIT_CPU, unlimited) passes"
kill $V 2>/dev/null
wait $V 2>/dev/null
ok "after every attempt: enforcerd alive and enforcing" alive
stop_enforcerd
