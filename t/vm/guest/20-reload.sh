# SPDX-License-Identifier: GPL-2.0-only
# 20-reload.sh - live reload (issue 3): 200 reloads (enforcerctl reload and
# guest-timeout: 600
# SIGHUP) alternating between two policy sets while a hammer loop in the
# governed cgroup execs, opens and connects without pause: what both sets
# deny never succeeds, what both allow never fails, what differs follows
# the set in force.  A broken reload changes nothing; a policy bound to a
# cgroup that does not exist yet is pending, then binds the moment the
# cgroup is created.  Measures (does not assert) a 10,000-rule reload;
# a reload that would write what the live half holds changes nothing (not
# even the generation), one that would write what the other half holds
# switches halves only; the same policy bytes with a
# symbolic link in a rule's path retargeted are compiled anew; 30 reloads
# cycling five sets leave no rule of an earlier set behind.

# The group's first script: it loads afresh (unload_enforcer: whatever pins
# are there go), so "generation 1 after start" holds, and leaves its pins
# for the next (ADOPT_PINS=1, t/vm/lib.sh).
ADOPT_PINS=1
unload_enforcer

P=/tmp/pol20
D=/data/t20
CG=t20/gov
mkdir -p $D $P
for f in both never flip; do echo data > $D/$f; done
cg_make $CG

# Set A and set B: both deny X (denyme, $D/both, 127.0.0.2), both allow Y
# (allowme, $D/never, 127.0.0.1), A denies and B allows Z (other1,
# $D/flip, 127.0.0.3).
cat > /tmp/t20.A <<INI
[policy]
name = t20
cgroup = /$CG
[exec]
deny = /usr/bin/denyme
deny = /usr/bin/other1
[file]
deny = $D/both
deny = $D/flip
[connect]
deny = 127.0.0.2
deny = 127.0.0.3
INI
cat > /tmp/t20.B <<INI
[policy]
name = t20
cgroup = /$CG
[exec]
deny = /usr/bin/denyme
[file]
deny = $D/both
[connect]
deny = 127.0.0.2
INI

# use SET: atomically replace the policy file with set A or B.
use() {
	cp /tmp/t20.$1 $P/.t20.tmp && mv $P/.t20.tmp $P/t20.ini
}
gen() {
	enforcerctl --json status | jsonget generation
}
# zcheck SET: the Z actions as SET says, right now.
zcheck() {
	if [ "$1" = A ]; then _w=EPERM; else _w=ok; fi
	_e=$(in_cg $CG probe exec /usr/bin/other1)
	_o=$(in_cg $CG probe open $D/flip r)
	_c=$(in_cg $CG probe connect 127.0.0.3 9 udp)
	[ "$_e $_o $_c" = "$_w $_w $_w" ] && return 0
	diag "set $1 in force: exec=$_e open=$_o connect=$_c, expected $_w"
	return 1
}

use A
start_enforcerd $P
is "$(gen)" 1 "generation 1 after start"
ok "set A: Z denied" zcheck A

rm -f /tmp/t20.stop
in_cg $CG hammer /tmp/t20.stop \
	exec:/usr/bin/denyme:EPERM exec:/usr/bin/allowme:ok exec:/usr/bin/other1:any \
	open:$D/both:EPERM open:$D/never:ok open:$D/flip:any \
	udp:127.0.0.2:9:EPERM udp:127.0.0.1:9:ok udp:127.0.0.3:9:any \
	> /tmp/t20.hammer 2>&1 &
HPID=$!

fails=0 hupfail=0 zfail=0 nhup=0 nreq=0 nz=0 i=1
expect=1
while [ $i -le 200 ]; do
	if [ $((i % 2)) = 1 ]; then set=B; else set=A; fi
	use $set
	expect=$((expect + 1))
	if [ $((i % 5)) = 0 ]; then
		# SIGHUP: asynchronous, wait for the generation to move
		kill -HUP "$ENFORCERD_PID"
		nhup=$((nhup + 1))
		# at most 20 s (once one SIGHUP failed, 2 s: a broken SIGHUP
		# fails the test below instead of hanging the script)
		if [ $hupfail = 0 ]; then _end=$(($(date +%s) + 20)); else _end=$(($(date +%s) + 2)); fi
		while [ "$(gen)" != $expect ] && [ "$(date +%s)" -lt $_end ]; do
			sleep 0.05
		done
		[ "$(gen)" = $expect ] || hupfail=$((hupfail + 1))
	else
		nreq=$((nreq + 1))
		enforcerctl reload >/tmp/t20.rl 2>&1 || {
			fails=$((fails + 1))
			diag "reload $i: $(cat /tmp/t20.rl)"
		}
	fi
	if [ $((i % 20)) = 0 ] || [ $i -ge 199 ]; then
		zcheck $set || zfail=$((zfail + 1))
		nz=$((nz + 1))
	fi
	i=$((i + 1))
done
touch /tmp/t20.stop
wait $HPID
hrc=$?

is "$nreq $nhup $nz" "160 40 11" "the loop sent 160 requests and 40 SIGHUPs, checked Z 11 times"
is "$fails" 0 "160 'enforcerctl reload' answered ok (exit 0)"
is "$hupfail" 0 "40 SIGHUP reloads each moved the generation"
is "$(gen)" 201 "generation 201 after 200 reloads"
is "$zfail" 0 "Z actions followed the set in force (checked after every 20th reload)"
is "$hrc" 0 "hammer: no violation during 200 reloads"
diag "$(cat /tmp/t20.hammer)"
like "$(grep '^exec:/usr/bin/denyme' /tmp/t20.hammer)" 'ok=0 eperm=[1-9][0-9]* other=0 violations=0' \
	"X exec (denied by both sets) never succeeded"
like "$(grep '^open:.*both' /tmp/t20.hammer)" 'ok=0 eperm=[1-9][0-9]* other=0 violations=0' \
	"X open (denied by both sets) never succeeded"
like "$(grep '^udp:127.0.0.2' /tmp/t20.hammer)" 'ok=0 eperm=[1-9][0-9]* other=0 violations=0' \
	"X connect (denied by both sets) never succeeded"
like "$(grep '^exec:/usr/bin/allowme' /tmp/t20.hammer)" 'ok=[1-9][0-9]* eperm=0 other=0 violations=0' \
	"Y exec (allowed by both sets) never failed"
like "$(grep '^open:.*never' /tmp/t20.hammer)" 'ok=[1-9][0-9]* eperm=0 other=0 violations=0' \
	"Y open (allowed by both sets) never failed"
like "$(grep '^udp:127.0.0.1' /tmp/t20.hammer)" 'ok=[1-9][0-9]* eperm=0 other=0 violations=0' \
	"Y connect (allowed by both sets) never failed"
like "$(grep '^open:.*flip' /tmp/t20.hammer)" 'ok=[1-9][0-9]* eperm=[1-9][0-9]* other=0' \
	"Z open saw both outcomes while the sets alternated"
# the last reload (200, even) applied set A
ok "final set A: Z denied" zcheck A
use B
enforcerctl reload >/dev/null
ok "one more reload to set B: Z allowed" zcheck B

# ---- every rule changed, 30 times: nothing of an earlier set stays ----
# Five sets each deny one of z1..z5 (and X), cycled, so each generation
# half gets a set it did not hold the time before (nor 2, 4 or 6 reloads
# before): a reload deletes exactly the path and identity keys it recorded
# for the half (policy_apply.c), so a key left over from an earlier fill
# would deny what the set in force allows.
for f in z1 z2 z3 z4 z5; do echo data > $D/$f; done
for k in 1 2 3 4 5; do
	printf '[policy]\nname = t20\ncgroup = /%s\n[exec]\ndeny = /usr/bin/denyme\n[file]\ndeny = %s/both\ndeny = %s/z%s\n' \
		"$CG" "$D" "$D" $k > /tmp/t20.Z$k
done
zbad=0 zrl=0
for i in $(seq 1 30); do
	k=$(( (i % 5) + 1 ))
	use Z$k
	enforcerctl reload >/tmp/t20.rl 2>&1 || { zrl=$((zrl + 1)); diag "reload Z$k: $(cat /tmp/t20.rl)"; }
	got=
	for j in 1 2 3 4 5; do got="$got $(in_cg $CG probe open $D/z$j r)"; done
	want=
	for j in 1 2 3 4 5; do if [ $j = $k ]; then want="$want EPERM"; else want="$want ok"; fi; done
	[ "$got" = "$want" ] || { zbad=$((zbad + 1)); diag "reload $i (set Z$k): z1..z5:$got, expected$want"; }
done
is "$zrl" 0 "5 sets cycled: 30 reloads answered ok"
is "$zbad" 0 "5 sets cycled: after each of 30 reloads exactly the set's own file denied (no rule of an earlier set left)"
use A
enforcerctl reload >/dev/null

# ---- a broken reload changes nothing ----
use A
enforcerctl reload >/dev/null
G=$(gen)
use B                                   # would allow Z...
printf '[policy]\ncgroup = /t20/x\n[file]\ndeny = relative/path\n' > $P/zz-broken.ini
enforcerctl reload >/tmp/t20.out 2>/tmp/t20.err
is "$?" 1 "reload with a broken file: exit 1"
like "$(cat /tmp/t20.err)" "zz-broken\.ini:4: " "the error is reported as file:line: message"
diag "$(cat /tmp/t20.err)"
is "$(gen)" "$G" "broken reload: generation unchanged"
ok "broken reload: the old set (A) still denies Z" zcheck A
is "$(in_cg $CG probe exec /usr/bin/denyme)" EPERM "broken reload: X still denied"
like "$(enforcerctl --json status | jsonget reload_failures)" '^[1-9]' "status counts the failed reload"
# SIGHUP must try (and fail) a reload of its own: reload_failures and the
# error lines in enforcerd's log each grow by one, set by the SIGHUP alone.
rf0=$(enforcerctl --json status | jsonget reload_failures)
el0=$(grep -c "zz-broken\.ini:4: " /tmp/enforcerd.err)
kill -HUP "$ENFORCERD_PID"
i=0
while [ "$(enforcerctl --json status | jsonget reload_failures)" = "$rf0" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
is "$(enforcerctl --json status | jsonget reload_failures)" $((rf0 + 1)) \
	"broken SIGHUP reload: reload_failures $rf0 -> $((rf0 + 1)) (the SIGHUP tried a reload)"
is "$(grep -c "zz-broken\.ini:4: " /tmp/enforcerd.err)" $((el0 + 1)) \
	"broken SIGHUP reload: one more 'zz-broken.ini:4:' error line in enforcerd's log"
is "$(gen)" "$G" "broken SIGHUP reload: generation unchanged"
ok "broken SIGHUP reload: the old set still denies Z" zcheck A
# ... and a good SIGHUP reload applies what only it was asked to apply:
# set B on disk, no request sent, Z allowed once the generation moves.
rm -f $P/zz-broken.ini
kill -HUP "$ENFORCERD_PID"
i=0
while [ "$(gen)" = "$G" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
is "$(gen)" $((G + 1)) "SIGHUP alone (no request): generation $G -> $((G + 1))"
ok "SIGHUP alone: set B applied, Z allowed" zcheck B
use A
kill -HUP "$ENFORCERD_PID"
i=0
while [ "$(gen)" = $((G + 1)) ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
ok "SIGHUP alone: set A applied again, Z denied" zcheck A
G=$(gen)
use B
printf '[policy]\ncgroup = /t20/x\n[file]\ndeny = relative/path\n' > $P/zz-broken.ini
rm -f $P/zz-broken.ini
enforcerctl reload >/dev/null
is "$(gen)" $((G + 1)) "fixed: the reload goes through"
ok "fixed: set B applied, Z allowed" zcheck B

# ---- pending: bound to a cgroup that does not exist yet ----
rmdir /sys/fs/cgroup/t20/later 2>/dev/null
printf '[policy]\nname = t20later\ncgroup = /t20/later\n[exec]\ndeny = /usr/bin/denyme\n' > $P/later.ini
enforcerctl reload >/dev/null
is "$(enforcerctl --json status | grep -o '"path":"/t20/later","state":"[a-z]*"')" \
	'"path":"/t20/later","state":"pending"' "status: the policy's cgroup is pending"
bad=0 n=0
while [ $n -lt 100 ]; do
	mkdir /sys/fs/cgroup/t20/later
	r=$(in_cg t20/later probe exec /usr/bin/denyme)
	[ "$r" = EPERM ] || { bad=$((bad + 1)); diag "round $n: first exec gave $r"; }
	[ $n = 0 ] && like "$(enforcerctl --json status | grep -o '"path":"/t20/later","state":"[a-z]*"')" \
		'"state":"bound"' "status: bound once the cgroup exists"
	rmdir /sys/fs/cgroup/t20/later
	n=$((n + 1))
done
is "$bad" 0 "100 times: the first exec in a freshly created cgroup is denied"

# ---- reload time for 10,000 rules (measured, not asserted) ----
awk 'BEGIN { print "[policy]\nname = big\ncgroup = /t20/big\n[file]";
	for (i = 0; i < 10000; i++) printf "deny = /some/path/%d\n", i }' > $P/big.ini
t0=$(flood ms)
enforcerctl reload >/tmp/t20.big 2>&1
rc=$?
t1=$(flood ms)
is "$rc" 0 "reload with a 10,000-rule policy"
diag "reload-10000-rules-ms: $((t1 - t0))"
t0=$(flood ms)
enforcerctl reload >/dev/null 2>&1
t1=$(flood ms)
diag "reload-10000-rules-ms (again, replacing 10,000): $((t1 - t0))"
diag "path rules: $(grep -o 'refuses batched map [a-z]* ([^)]*)' /tmp/enforcerd.err || echo 'batched map operations taken by this kernel')"
cg_make t20/big
mkdir -p /some/path && echo data > /some/path/9999
is "$(in_cg t20/big probe open /some/path/9999 r)" EPERM "the 10,000th rule is in force" ||
	diag "$(cat /tmp/t20.big)"

# ---- unchanged reloads (issue 16): nothing written, identities still
# taken anew.  /some/path/9999 exists now: the next reload fills the other
# half (it learns the file's identity) and switches to it; the one after
# finds the live half holding the set and changes nothing, not even the
# generation; a hard link made before them is denied.  Replacing the file
# (a new inode) makes the next reload fill again. ----
# rl: one reload; prints "unchanged" or "filled" (or the failure)
rl() {
	_r=$(enforcerctl --json reload 2>&1) || { echo "failed: $_r"; return; }
	case $_r in *'"unchanged":true'*) echo unchanged ;; *) echo filled ;; esac
}
ln -f /some/path/9999 /some/link1
g0=$(gen)
u0=$(enforcerctl --json stats | jsonget reloads_unchanged)
is "$(rl)" filled "a new file below a rule: the reload fills the other half (its identity)"
is "$(gen)" $((g0 + 1)) "... and switches to it ($g0 -> $(gen))"
t0=$(flood ms)
r=$(rl)
t1=$(flood ms)
is "$r" unchanged "second reload, nothing changed: nothing written (\"unchanged\":true)"
diag "reload-10000-rules-ms (unchanged, nothing written): $((t1 - t0))"
is "$(gen)" $((g0 + 1)) "... and no switch: the generation stays ($(gen))"
is "$(enforcerctl --json stats | jsonget reloads_unchanged)" $((u0 + 1)) "stats: reloads_unchanged counts it ($u0 -> $((u0 + 1)))"
is "$(in_cg t20/big probe open /some/path/9999 r) $(in_cg t20/big probe open /some/link1 r)" "EPERM EPERM" \
	"after it: the file and a hard link to it denied"
is "$(rl) $(gen)" "unchanged $((g0 + 1))" "and again: nothing written, the generation stays"
echo new > /some/path/9999.new && mv /some/path/9999.new /some/path/9999
ln -f /some/path/9999 /some/link2
is "$(rl)" filled "the file replaced (a new inode): the reload fills"
is "$(gen)" $((g0 + 2)) "... and switches ($(gen))"
is "$(in_cg t20/big probe open /some/link2 r)" EPERM "a hard link to the new file denied (its identity)"
is "$(rl) $(rl) $(gen)" "unchanged unchanged $((g0 + 2))" "then nothing to write: no switch"
is "$(in_cg t20/big probe open /some/link2 r) $(in_cg t20/big probe open /some/link1 r)" "EPERM ok" \
	"after it: the new file's link denied, the old file's (no rule names it now) allowed"
# the switch alone: a set whose identities the other half holds (the file
# restored, as the other half saw it: a hard link keeps its inode)
mv /some/link1 /some/path/9999
is "$(rl) $(gen)" "unchanged $((g0 + 3))" \
	"the file as the other half knew it: the switch alone (\"unchanged\":true, generation moved)"
is "$(in_cg t20/big probe open /some/path/9999 r) $(in_cg t20/big probe open /some/link2 r)" "EPERM ok" \
	"after it: the restored file denied, the replaced one (no rule names it now) allowed"
rm -f /some/link2

# ---- the policy files' bytes unchanged, a symbolic link in a rule's path
# retargeted: the reload resolves every path again and, finding one that
# resolves elsewhere, parses and compiles anew (the set in force is not
# applied again as it was) ----
mkdir -p /t20s/a /t20s/b
echo a > /t20s/a/f
echo b > /t20s/b/f
ln -s /t20s/a /t20s/cur
cg_make t20/sym
printf '[policy]\nname = t20sym\ncgroup = /t20/sym\n[file]\ndeny = /t20s/cur/f\n' > $P/sym.ini
enforcerctl reload >/dev/null 2>&1
is "$(in_cg t20/sym probe open /t20s/a/f r) $(in_cg t20/sym probe open /t20s/b/f r)" "EPERM ok" \
	"a rule through a symbolic link: its target denied, the other file allowed"
rm /t20s/cur && ln -s /t20s/b /t20s/cur
is "$(rl)" filled "the same policy bytes, the link retargeted: the reload fills the maps"
is "$(in_cg t20/sym probe open /t20s/a/f r) $(in_cg t20/sym probe open /t20s/b/f r)" "ok EPERM" \
	"after it: the link's new target denied, its old one allowed"
rm -rf /t20s $P/sym.ini

stop_enforcerd
