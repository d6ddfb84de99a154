# SPDX-License-Identifier: GPL-2.0-only
# guest-timeout: 900
# 28-shadow.sh - issue 17: shadow and promote against the kernel.  A live
# set and a candidate that differ both ways: the live verdicts are enforced
# (exact errno), the actions the candidate judges differently are `shadow`
# lines with both verdicts and rules, the report counts newly denied and
# newly allowed actions, a sibling cgroup the candidate does not govern
# gets no shadow line and no observation, a cgroup only the live set
# governs is reported newly allowed.  promote while a load loop runs: the
# rules common to both sets hold throughout, then the candidate's verdicts
# are enforced and stay across a reload and a daemon restart.  --drop, and
# the error cases (no shadow, a bad candidate, a missing directory): clear
# errors, nothing changes, the daemon keeps serving.

# the pins the script before this one left are adopted (t/vm/lib.sh): its
# programs are this build's, its checks need no fresh load
ADOPT_PINS=1

P=/tmp/pol28
C=/tmp/cand28
B=/tmp/bad28
D=/data/t28
S=/run/enforcer/enforcer.sock
rm -rf $P $C $B $D /tmp/t28.*
mkdir -p $P $C $B $D
for f in common old new free anc; do echo $f > $D/$f; done
cp /bin/probe /usr/bin/newdeny28
cg_make t28/app
cg_make t28/legacy
cg_make t28/other
cg_make t28/nest/kid
# line numbers matter: the shadow lines name rules by line
write_policy $P app <<INI
[policy]
name = app
cgroup = /t28/app
[exec]
deny = /usr/bin/denyme
[file]
deny = $D/common
deny = $D/old
INI
write_policy $P legacy <<INI
[policy]
name = legacy
cgroup = /t28/legacy
[file]
deny = $D/common
INI
# nest: a live policy on a parent of a cgroup only the candidate binds
# (the observation policy comes first in the kid's stack, the parent's
# denial after it: one action, two records, judged once)
write_policy $P nest <<INI
[policy]
name = nest
cgroup = /t28/nest
[file]
deny = $D/anc
INI
write_policy $C kid <<INI
[policy]
name = kid
cgroup = /t28/nest/kid
[file]
deny = $D/common
INI
write_policy $C app <<INI
[policy]
name = app
cgroup = /t28/app
[exec]
deny = /usr/bin/denyme
deny = /usr/bin/newdeny28
[file]
deny = $D/common
deny = $D/new
[connect]
deny = 127.0.0.1/32 port 9 tcp
INI
echo "open $D/new -> deny" > $C/app.test
write_policy $B broken <<INI
[policy]
cgroup = /t28/app
[file]
frobnicate = $D/new
INI

cleanup28() {
	touch /tmp/t28.stop
	# a normal stop left the pins for the next script
	[ -e /tmp/.pins_left ] || unload_enforcer
}
trap cleanup28 EXIT
start_enforcerd $P || exit 0

# status field (top level or inside "shadow"): jsonget prints objects raw
shadow_status() { enforcerctl --json status | jsonget shadow; }
gen() { enforcerctl --json status | jsonget generation; }

# ---- bad input before any shadow: clear errors, exit 1 ----
out=$(enforcerctl shadow --report 2>&1); rc=$?
is "$rc" 1 "shadow --report without a shadow: exit 1"
like "$out" 'no shadow loaded' "  no shadow loaded"
out=$(enforcerctl shadow --drop 2>&1); rc=$?
like "$rc:$out" '^1:.*no shadow loaded' "shadow --drop without a shadow: exit 1, no shadow loaded"
out=$(enforcerctl promote 2>&1); rc=$?
like "$rc:$out" '^1:.*promote: no shadow loaded' "promote without a shadow: exit 1, no shadow loaded"
g0=$(gen)
out=$(enforcerctl shadow $B 2>&1); rc=$?
is "$rc" 1 "shadow of a candidate with an error: exit 1"
like "$out" "$B/broken.ini:4: unknown key 'frobnicate'" "  file:line of the error"
like "$(shadow_status)" '"loaded":false' "  no shadow loaded"
is "$(gen)" "$g0" "  the generation did not change"
out=$(enforcerctl shadow /tmp/nonexistent28 2>&1); rc=$?
is "$rc" 1 "shadow of a missing directory: exit 1"
like "$out" 'nonexistent28: No such file' "  with the reason"
like "$(sockclient -s 'shadow /tmp/nonexistent28\n' -c 1 $S 2>&1)" 'cannot open the candidate directory' \
	"socket: the daemon's own error for a missing directory"
like "$(sockclient -s 'shadow relative/dir\n' -c 1 $S 2>&1)" 'not an absolute directory' \
	"socket: a relative directory is refused"

# ---- the limit of 8 policies per cgroup: the observation policy counts ----
F=/tmp/full28
mkdir -p $F
cg_make t28/full
for i in 1 2 3 4 5 6 7; do
	printf '[policy]\ncgroup = /t28/full\n[exec]\ndeny = /usr/bin/denyme\n' > $P/full$i.ini
done
printf '[policy]\nname = fullcand\ncgroup = /t28/full\n[exec]\ndeny = /usr/bin/denyme\n' > $F/fullcand.ini
enforcerctl reload >/dev/null
out=$(enforcerctl shadow $F 2>&1); rc=$?
is "$rc" 0 "shadow with 7 live policies on a cgroup: the observation policy is the 8th" || diag "$out"
printf '[policy]\ncgroup = /t28/full\n[exec]\ndeny = /usr/bin/denyme\n' > $P/full8.ini
out=$(enforcerctl --json reload 2>&1); rc=$?
is "$rc" 0 "a reload that fills the cgroup's 8 policies succeeds"
like "$out" '"shadow":"the shadow of /tmp/full28 was dropped by a reload: .*too many policies (bound to|govern) cgroup' \
	"  and drops the shadow, saying why"
like "$(shadow_status)" '"loaded":false,"last_dropped":"the shadow of /tmp/full28' "  status: not loaded, last_dropped"
g1=$(gen)
out=$(enforcerctl shadow $F 2>&1); rc=$?
is "$rc" 1 "shadow of a candidate whose cgroup has 8 live policies: exit 1"
like "$out" "too many policies (bound to|govern) cgroup '/t28/full'" "  too many policies on the cgroup"
is "$(gen)" "$g1" "  nothing changed"
rm -f $P/full*.ini
enforcerctl reload >/dev/null

# ---- load the shadow ----
out=$(enforcerctl shadow $C 2>&1); rc=$?
is "$rc" 0 "shadow $C: loaded" || diag "$out"
like "$(shadow_status)" "\"loaded\":true,\"dir\":\"$C\"" "status: the shadow is loaded, its directory"
ok "status: the observation policy is in the live generation" \
	sh -c 'enforcerctl --json status | grep -q "\"name\":\"enforcer-shadow-observe\""'

# ---- the live verdicts are enforced ----
is "$(in_cg t28/app probe open $D/common r)" EPERM "live: common rule denies (EPERM)"
is "$(in_cg t28/app probe open $D/old r)" EPERM "live: old rule denies (EPERM): the candidate would allow"
is "$(in_cg t28/app probe open $D/new r)" ok "live: new file allowed: the candidate would deny"
is "$(in_cg t28/app probe open $D/new r)" ok "live: again (counted twice)"
is "$(in_cg t28/app probe exec /usr/bin/newdeny28)" ok "live: exec newdeny28 allowed: the candidate would deny"
is "$(in_cg t28/app probe connect 127.0.0.1 9 tcp)" ECONNREFUSED "live: connect allowed: the candidate would deny"
is "$(in_cg t28/app probe open $D/free r)" ok "live: free file allowed by both"
is "$(in_cg t28/legacy probe open $D/common r)" EPERM "live: legacy (only the live set governs it) denies"
is "$(in_cg t28/nest/kid probe open $D/anc r)" EPERM "live: nest denies in its child kid (EPERM)"
obs0=$(enforcerctl --json status | grep -o '"observed":[0-9]*' | cut -d: -f2)
is "$(in_cg t28/other probe open $D/new r)" ok "sibling cgroup (governed by neither): allowed"
is "$(in_cg t28/other probe exec /usr/bin/newdeny28)" ok "sibling cgroup: exec allowed"

# ---- shadow lines ----
ok "shadow line: newly denied open" wait_audit '"shadow":"newly_denied".*"shadow_action":"open /data/t28/new read"' 15
ok "shadow line: newly denied connect" wait_audit '"shadow":"newly_denied","hook":"connect"' 10
ok "shadow line: newly allowed (legacy)" wait_audit '"shadow":"newly_allowed".*"policy":"legacy"' 10
sleep 1
line=$(grep '"shadow_action":"open /data/t28/new read"' $AUDIT_LOG | head -1)
like "$line" '"action":"shadow","shadow":"newly_denied","hook":"file","op":"open","shadow_action":"open /data/t28/new read","live":\{"verdict":"allow","policy":"app","rule":"default"\},"candidate":\{"verdict":"deny","policy":"app","rule":"deny = /data/t28/new","rule_line":9\}' \
	"open new: newly denied, live allow (app default), candidate deny (rule line 9)"
like "$line" '"cgroup":"/t28/app".*"path":"/data/t28/new","access":"read"' "  cgroup, path and access"
line=$(grep '"shadow_action":"open /data/t28/old read"' $AUDIT_LOG | head -1)
like "$line" '"shadow":"newly_allowed","hook":"file","op":"open","shadow_action":"open /data/t28/old read","live":\{"verdict":"deny","policy":"app","rule":"deny = /data/t28/old","rule_line":8\},"candidate":\{"verdict":"allow","policy":"app","rule":"default"\}' \
	"open old: newly allowed, live deny (rule line 8), candidate allow"
line=$(grep '"shadow_action":"exec /usr/bin/newdeny28"' $AUDIT_LOG | head -1)
like "$line" '"shadow":"newly_denied","hook":"exec","op":"exec","shadow_action":"exec /usr/bin/newdeny28","live":\{"verdict":"allow","policy":"app","rule":"default"\},"candidate":\{"verdict":"deny","policy":"app","rule":"deny = /usr/bin/newdeny28","rule_line":6\}' \
	"exec newdeny28: newly denied, candidate rule line 6"
line=$(grep '"shadow":"newly_denied","hook":"connect"' $AUDIT_LOG | head -1)
like "$line" '"shadow_action":"connect 127.0.0.1 9 tcp exe /bin/probe","live":\{"verdict":"allow","policy":"app","rule":"default"\},"candidate":\{"verdict":"deny","policy":"app","rule":"deny = 127.0.0.1/32 port 9 tcp","rule_line":11\}' \
	"connect 127.0.0.1 9: newly denied, candidate rule line 11"
line=$(grep '"shadow":"newly_allowed".*"cgroup":"/t28/legacy"' $AUDIT_LOG | head -1)
like "$line" '"live":\{"verdict":"deny","policy":"legacy","rule":"deny = /data/t28/common","rule_line":5\},"candidate":\{"verdict":"allow","rule":"default"\}' \
	"legacy: the candidate does not govern it: newly allowed, no candidate policy"
is "$(jsonget -m action=shadow -m cgroup=/t28/app shadow_action < $AUDIT_LOG | sort -u | tr '\n' '|')" \
	"connect 127.0.0.1 9 tcp exe /bin/probe|exec /usr/bin/newdeny28|open /data/t28/new read|open /data/t28/old read|" \
	"exactly the differing actions of t28/app have shadow lines (not common, not free)"
is "$(jsonget -m action=shadow -m cgroup=/t28/other shadow < $AUDIT_LOG | wc -l)" 0 \
	"no shadow line for the sibling cgroup the candidate does not govern"
obs1=$(enforcerctl --json status | grep -o '"observed":[0-9]*' | cut -d: -f2)
is "$obs1" "$obs0" "  and no observation record there (observed stays $obs0)"
is "$(grep -c '"policy":"enforcer-shadow-observe"' $AUDIT_LOG)" 0 "observation records are not audit lines"
is "$(jsonget -m policy=app -m action=deny path < $AUDIT_LOG | sort -u | tr '\n' '|')" \
	"/data/t28/common|/data/t28/old|" "the live denials are audit lines as before"

# ---- the report ----
enforcerctl --json shadow --report > /tmp/t28.report; rc=$?
is "$rc" 0 "shadow --report: exit 0"
ok "  valid JSON" jsonget < /tmp/t28.report
nd=$(jsonget newly_denied < /tmp/t28.report)
na=$(jsonget newly_allowed < /tmp/t28.report)
like "$nd" '\{"action":"open /data/t28/new read","cgroup":"/t28/app","hook":"file","count":2,' \
	"report: newly denied open, count 2 (distinct action)"
like "$nd" '"action":"exec /usr/bin/newdeny28","cgroup":"/t28/app","hook":"exec","count":1,' \
	"report: newly denied exec, count 1"
like "$nd" '"action":"connect 127.0.0.1 9 tcp exe /bin/probe"' "report: newly denied connect"
like "$na" '"action":"open /data/t28/old read","cgroup":"/t28/app","hook":"file","count":1,.*"live":\{"verdict":"deny","policy":"app","rule":"deny = /data/t28/old","rule_line":8\}' \
	"report: newly allowed open with the live rule"
like "$na" '"action":"open /data/t28/common read","cgroup":"/t28/legacy"' "report: newly allowed in legacy"
like "$na" '"action":"open /data/t28/anc read","cgroup":"/t28/nest/kid","hook":"file","count":1,.*"live":\{"verdict":"deny","policy":"nest","rule":"deny = /data/t28/anc","rule_line":5\},"candidate":\{"verdict":"allow","policy":"kid","rule":"default"\}' \
	"report: newly allowed in kid, counted once (the observation record and the parent's denial are one action)"
like "$(shadow_status)" '"duplicates":[1-9]' "  the parent's denial after the observation record was recognised as the same action"
is "$(echo "$nd" | grep -o '"action":' | wc -l):$(echo "$na" | grep -o '"action":' | wc -l)" "3:3" \
	"report: 3 newly denied, 3 newly allowed distinct actions"
is "$(jsonget dropped < /tmp/t28.report)" 0 "report: nothing dropped"

# ---- reload while the shadow is loaded: kept ----
like "$(enforcerctl --json reload)" '"shadow":"kept"' "reload with a shadow loaded: the shadow is kept"
like "$(shadow_status)" '"loaded":true' "  status: still loaded"
is "$(in_cg t28/app probe open $D/new r)" ok "  live verdict still enforced"
sleep 1
like "$(enforcerctl --json shadow --report | jsonget newly_denied)" '"action":"open /data/t28/new read","cgroup":"/t28/app","hook":"file","count":3,' \
	"  still judged after the reload (count 3)"

# ---- promote while a load loop runs ----
rm -f /tmp/t28.stop /tmp/t28.viol
echo 0 > /tmp/t28.iters
(
	i=0
	while [ ! -e /tmp/t28.stop ]; do
		r1=$(in_cg t28/app probe exec /usr/bin/denyme)
		r2=$(in_cg t28/app probe open $D/common r)
		[ "$r1" = EPERM ] || echo "exec denyme: $r1" >> /tmp/t28.viol
		[ "$r2" = EPERM ] || echo "open common: $r2" >> /tmp/t28.viol
		i=$((i + 1))
		echo $i > /tmp/t28.iters.new && mv /tmp/t28.iters.new /tmp/t28.iters
	done
) &
LOOP=$!
i=0
while [ "$(cat /tmp/t28.iters)" -lt 3 ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
g1=$(gen)
out=$(enforcerctl --json promote 2>&1); rc=$?
is "$rc" 0 "promote while the load loop runs: exit 0" || diag "$out"
like "$out" "\"promoted\":\"$C\"" "  the candidate's directory"
n0=$(cat /tmp/t28.iters)
i=0
while [ "$(cat /tmp/t28.iters)" -lt $((n0 + 3)) ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
touch /tmp/t28.stop
wait $LOOP
ok "the load loop ran across the switch ($(cat /tmp/t28.iters) rounds, $n0 before it ended)" \
	test "$(cat /tmp/t28.iters)" -gt "$n0"
ok "no violation of the rules common to both sets during the switch" test ! -s /tmp/t28.viol ||
	diag "$(cat /tmp/t28.viol)"
ok "one generation flip: $g1 -> $(gen)" test "$(gen)" -eq $((g1 + 1))
like "$(shadow_status)" '"loaded":false' "after promote: no shadow loaded"
ok "the candidate's files are in the policy directory" cmp $C/app.ini $P/app.ini
ok "  with its test file" cmp $C/app.test $P/app.test
ok "the replaced files are kept in .enforcer-previous" test -f $P/.enforcer-previous/legacy.ini -a ! -e $P/legacy.ini
ok "the observation policy left with the switch" \
	sh -c '! enforcerctl --json status | grep -q "\"name\":\"enforcer-shadow-observe\""'
check_candidate() {
	is "$(in_cg t28/app probe open $D/new r)" EPERM "$1: open new denied (EPERM)"
	is "$(in_cg t28/app probe open $D/old r)" ok "$1: open old allowed"
	is "$(in_cg t28/app probe exec /usr/bin/newdeny28)" EPERM "$1: exec newdeny28 denied (EPERM)"
	is "$(in_cg t28/app probe connect 127.0.0.1 9 tcp)" EPERM "$1: connect 127.0.0.1 9 denied (EPERM)"
	is "$(in_cg t28/app probe open $D/common r)" EPERM "$1: common rule still denies"
	is "$(in_cg t28/legacy probe open $D/common r)" ok "$1: legacy is no longer governed"
}
check_candidate "promoted"
enforcerctl reload >/dev/null
check_candidate "after a reload"
stop_enforcerd
start_enforcerd $P || exit 0
check_candidate "after a daemon restart"
out=$(enforcerctl shadow --report 2>&1); rc=$?
is "$rc" 1 "after promote: shadow --report says no shadow loaded (exit 1)"

# ---- drop ----
mkdir -p $C.2
sed "s|deny = $D/new|deny = $D/free|" $P/app.ini > $C.2/app.ini
is "$(enforcerctl shadow $C.2 >/dev/null 2>&1; echo $?)" 0 "a second candidate: loaded"
is "$(in_cg t28/app probe open $D/free r)" ok "  live: free allowed"
ok "  its shadow line" wait_audit '"shadow":"newly_denied".*"shadow_action":"open /data/t28/free read"' 15
out=$(enforcerctl --json shadow --drop 2>&1); rc=$?
is "$rc" 0 "shadow --drop: exit 0"
like "$out" "\"dropped\":\"$C.2\"" "  names the candidate"
like "$(shadow_status)" '"loaded":false' "  status: no shadow loaded"
before=$(grep -c '"action":"shadow"' $AUDIT_LOG)
is "$(in_cg t28/app probe open $D/free r)" ok "after --drop: free allowed"
is "$(in_cg t28/app probe open $D/new r)" EPERM "after --drop: the live set unchanged (new denied)"
sleep 1
is "$(grep -c '"action":"shadow"' $AUDIT_LOG)" "$before" "after --drop: no more shadow lines"
out=$(enforcerctl shadow --drop 2>&1); rc=$?
like "$rc:$out" '^1:.*no shadow loaded' "a second --drop: exit 1, no shadow loaded"
like "$(enforcerctl --json ping)" '"pong":true' "the daemon keeps serving"
stop_enforcerd
