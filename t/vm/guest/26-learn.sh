# SPDX-License-Identifier: GPL-2.0-only
# guest-timeout: 1200
# 26-learn.sh - issue 17: `enforcerctl learn` against the kernel.  A
# workload runs under the learning policy (nothing changes for it), the
# daemon is killed and started again mid-way (learning goes on: an action
# made after the restart is learned), the learned policy is loaded in
# enforce mode: the same workload gets zero denials, one new action of
# each kind is denied (EPERM and its audit line).  A learn of a cgroup that
# does not exist is a clear error.

# the pins the script before this one left are adopted (t/vm/lib.sh): its
# programs are this build's, its checks need no fresh load
ADOPT_PINS=1

P=/tmp/pol26
D=/data/t26
L=/tmp/learned26.ini
S=/tmp/learn26.state
rm -rf $P $D $L $S
mkdir -p $P $D
echo hello > $D/in
echo hello > $D/in2
echo secret > $D/secret
echo out > $D/out
cg_make t26/app
cg_make t26/other
write_policy $P base <<'INI'
[policy]
cgroup = /t26/other
[exec]
deny = /usr/bin/denyme
INI

cleanup26() {
	[ -n "${LPID:-}" ] && kill "$LPID" 2>/dev/null
	# a normal stop left the pins for the next script
	[ -e /tmp/.pins_left ] || unload_enforcer
	rm -f $P/learn-app.ini
}
trap cleanup26 EXIT

start_enforcerd $P || exit 0

out=$(enforcerctl learn --cgroup /t26/nope --duration 5 2>&1)
rc=$?
is "$rc" 1 "learn of a cgroup that does not exist: exit 1"
like "$out" 'cgroup /t26/nope does not exist' "  with a clear message"
ok "  and no learning policy was left behind" test ! -e $P/learn-nope.ini

enforcerctl learn --cgroup /t26/app --fold 0 --state $S -o $L 2>/tmp/learn26.err &
LPID=$!
i=0
while [ $i -lt 300 ] && ! enforcerctl --json status 2>/dev/null | grep -q '"name":"learn-app"'; do
	sleep 0.2
	i=$((i + 1))
done
ok "the learning policy is loaded (learn-app, in the policy directory)" \
	sh -c 'enforcerctl --json status | grep -q "\"name\":\"learn-app\"" && grep -q "^mode = audit" '$P/learn-app.ini

# the workload, under learning: what it may do does not change
is "$(in_cg t26/app probe open $D/in r)" ok "learning: open for reading passes"
is "$(in_cg t26/app probe open $D/out w)" ok "learning: open for writing passes"
is "$(in_cg t26/app probe connect 127.0.0.1 9 tcp)" ECONNREFUSED "learning: connect passes (refused by nobody)"
is "$(in_cg t26/app probe exec /usr/bin/curl)" ok "learning: exec passes"
ok "learning: its records are there (audit mode)" wait_audit '"policy": *"learn-app".*"path": *"/data/t26/out"|"path": *"/data/t26/out".*"policy": *"learn-app"' 10

# the daemon restarts mid-way
kill_enforcerd
start_enforcerd $P || exit 0
# a crash leaves the pins (obj_sig still names this build): kept, not verified
like "$(cat /tmp/enforcerd.err)" 'kept the pinned programs' "after kill -9: the restart kept the pinned programs"
is "$(in_cg t26/app probe open $D/in2 r)" ok "after the restart: a new action passes"
i=0
while [ $i -lt 150 ] && ! grep -q "$D/in2" $S 2>/dev/null; do
	sleep 0.2
	i=$((i + 1))
done
ok "after the restart: learn reconnected and learned the new action (state file)" grep -q "$D/in2" $S
kill -INT $LPID
wait $LPID
rc=$?
LPID=
is "$rc" 0 "learn ends on SIGINT with exit 0" || diag "$(cat /tmp/learn26.err)"
ok "the learning policy was removed" test ! -e $P/learn-app.ini
ok "  and unloaded" sh -c '! enforcerctl --json status | grep -q "\"name\":\"learn-app\""'
ok "learn said the daemon went away and came back" grep -q 'the daemon is back' /tmp/learn26.err

# the learned policy
ok "learned policy written and valid" sh -c "enforcerctl --json check $L >/dev/null"
for rule in "allow = /bin/probe  ;" "allow = /usr/bin/curl  ;" "readonly = $D/in  ;" \
	"readonly = $D/in2  ;" "allow = $D/out  ;" "allow = 127.0.0.1 port 9 tcp  ;"; do
	ok "learned: $rule" grep -qF -- "$rule" $L
done
ok "learned: rules carry hits and first/last use" grep -q '^allow = /usr/bin/curl  ; hits [1-9][0-9]*, first 20..-..-..T.*, last 20' $L
is "$(grep -c '^default = deny$' $L)" 4 "learned: default = deny in each of the 4 sections"
diag "$(cat $L)"

# enforce it: the same workload, zero denials; new actions denied
cp $L $P/learned-app.ini
out=$(enforcerctl reload 2>&1)
ok "the learned policy loads in enforce mode" sh -c "enforcerctl --json status | grep -q '\"name\":\"learned-app\"'" ||
	diag "$out"
before=$(jsonget -m policy=learned-app -m action=deny action < $AUDIT_LOG | wc -l)
is "$(in_cg t26/app probe open $D/in r)" ok "enforced: open for reading passes"
is "$(in_cg t26/app probe open $D/in2 r)" ok "enforced: the action learned after the restart passes"
is "$(in_cg t26/app probe open $D/out w)" ok "enforced: open for writing passes"
is "$(in_cg t26/app probe connect 127.0.0.1 9 tcp)" ECONNREFUSED "enforced: connect passes"
is "$(in_cg t26/app probe exec /usr/bin/curl)" ok "enforced: exec passes"
sleep 1
is "$(jsonget -m policy=learned-app -m action=deny action < $AUDIT_LOG | wc -l)" "$before" \
	"enforced: zero denials for the learned workload"
is "$(in_cg t26/app probe open $D/secret r)" EPERM "enforced: a new file is denied"
is "$(in_cg t26/app probe open $D/in w)" EPERM "enforced: writing a file only read is denied"
is "$(in_cg t26/app probe connect 127.0.0.1 10 tcp)" EPERM "enforced: a new destination is denied"
is "$(in_cg t26/app probe exec /usr/bin/denyme)" EPERM "enforced: a new program is denied"
ok "enforced: the denial's audit line names the learned policy's default" \
	wait_audit '"policy":"learned-app".*"rule":"default".*"path":"/data/t26/secret"|"path":"/data/t26/secret".*"policy":"learned-app"' 10

stop_enforcerd
