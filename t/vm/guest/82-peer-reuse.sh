# SPDX-License-Identifier: GPL-2.0-only
# 82-peer-reuse.sh - the control socket's peer check is not fooled by pid
# reuse (issue 12).  While enforcerd is stopped (busy), a confined root
# connects, hands the connection to a child and exits; an unconfined process
# takes its pid; enforcerd then accepts: SO_PEERCRED names that pid, but the
# connection was recorded as the confined peer's when it connected, and its
# reload is refused.  Control: the same from an ungoverned cgroup is served.
# And enforcerd's own pid, taken by a confined process while enforcerd is
# stopped (its enforcement pinned), lends that process no exemption.
# guest-timeout: 600

# the pins the script before this one left are adopted (t/vm/lib.sh): its
# programs are this build's, its checks need no fresh load
ADOPT_PINS=1

P=/tmp/pol82
CG=t82/conf
S=/run/enforcer/enforcer.sock
cg_make $CG
cg_make t82/free
write_policy $P t82 <<INI
[policy]
cgroup = /$CG
[exec]
deny = /usr/bin/denyme
[file]
deny = /tmp/t82.secret
INI
echo secret > /tmp/t82.secret
start_enforcerd $P
PID=$ENFORCERD_PID
pid_max=$(cat /proc/sys/kernel/pid_max)
echo 1000 > /proc/sys/kernel/pid_max     # pids come round again quickly

# reuse CGROUP: the dance; sets A (the connecting pid) and ANSWER
reuse() {
	rm -f /tmp/t82.go /tmp/t82.out
	kill -STOP $PID
	A=$(in_cg $1 attack ctlreuse $S /tmp/t82.go /tmp/t82.out)
	GRAB=$(attack pidgrab "$A")
	kill -CONT $PID
	sleep 1
	touch /tmp/t82.go
	_i=0
	while [ ! -s /tmp/t82.out ] && [ $_i -lt 100 ]; do sleep 0.1; _i=$((_i + 1)); done
	ANSWER=$(cat /tmp/t82.out 2>/dev/null)
}

reuse $CG
is "$GRAB" ok "an unconfined process took the confined connector's pid ($A)"
is "$(cat /proc/$A/cgroup 2>/dev/null)" "0::/" "... it is in the root cgroup, under no policy"
is "$ANSWER" '{"ok":false,"error":"permission denied: a process under a policy cannot change enforcer (reload)"}' \
	"the confined peer's connection cannot reload through the reused pid"
kill -9 "$A" 2>/dev/null
reuse t82/free
like "$ANSWER" '^\{"ok":true,"generation":' "control: the same dance from an ungoverned cgroup reloads"
kill -9 "$A" 2>/dev/null
ok "enforcerd alive" kill -0 $PID
stop_enforcerd

# ---- enforcerd's own pid, taken while it is stopped ----
# enforcerd is never governed (gov_rest: by its thread group id); stopped,
# its enforcement stays pinned and in force: a confined process that takes
# the pid it had must stay confined
# (started again above pid 300: the pids a wrap hands out again)
[ "$(cat /proc/sys/kernel/ns_last_pid)" -ge 400 ] || echo 400 > /proc/sys/kernel/ns_last_pid
start_enforcerd $P
PID=$ENFORCERD_PID
stop_enforcerd
is "$(in_cg $CG probe open /tmp/t82.secret r)" EPERM "stopped: the policy still denies the secret"
if [ "$PID" -ge 301 ]; then
	R=$(in_cg $CG attack pidgrab "$PID" /bin/probe open /tmp/t82.secret r)
	is "$R" EPERM "stopped: a confined process that took enforcerd's pid ($PID) is denied the secret"
	R=$(in_cg $CG attack pidgrab "$PID" /usr/bin/denyme; echo "exit $?")
	is "$R" "exit 127" "stopped: ... and the exec of denyme (exec failed: 127)"
else
	skip "stopped: enforcerd's pid taken by a confined process" "pid $PID is below the wrap's 300"
fi
echo "$pid_max" > /proc/sys/kernel/pid_max
