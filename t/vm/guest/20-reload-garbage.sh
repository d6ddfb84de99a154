# SPDX-License-Identifier: GPL-2.0-only
# 20-reload-garbage.sh - a reload that keeps none of the inactive half's
# path entries writes the new ones under the half's next epoch and leaves
# the old ones as garbage, deleted by enforcerd's idle thread
# (path_garbage.c, enforcer_abi.h ENF_TAG_EPOCH).  Checked while the
# garbage is still in the maps (ENFORCER_TEST_GARBAGE_HOLD=FILE: the thread
# deletes nothing while FILE exists): an old rule of the same policy in the
# same half is never matched (exact key, long trie key, directory prefix),
# the new ones are (files created after the reload: judged by path alone),
# a rollback to the set the inactive half holds keeps its entries (no
# epoch); an epoch whose garbage is pending is never used again (33
# switches of one half, the last set the same as the first: its entries
# survive the deletion of the first one's); the thread empties it when
# let; an enforcerd that adopts the pins with garbage in them enforces the
# same; maps too full for garbage beside both halves are cleared first.

P=/tmp/pol20g
D=/data/t20g
B=/t20g/bound
HOLD=/tmp/t20g.hold
rm -rf $D $P
cg_make t20g/bound
mkdir -p $D
# a path past the exact-path keys' 60 bytes: the trie
LD=$D/long/$(head -c 64 < /dev/zero | tr '\0' l)
mkdir -p $LD

# set R: one policy, the same name each time (the same policy id), whose
# rules name round R's paths: an exact key, a long one, a directory
set_r() {
	write_policy $P t20g <<INI
[policy]
cgroup = $B
[file]
deny = $D/x$1
deny = $LD/x$1
deny = $D/d$1/
INI
}
# mk R: round R's files (made after the reloads: judged by path alone)
mk() {
	mkdir -p $D/d$1
	echo data > $D/x$1
	echo data > $LD/x$1
	echo data > $D/d$1/f
}
# verdicts R: "EXACT LONG DIR" for round R's files, from the bound cgroup
verdicts() {
	echo "$(in_cg $B probe open $D/x$1 r) $(in_cg $B probe open $LD/x$1 r) $(in_cg $B probe open $D/d$1/f r)"
}
rl() {
	_r=$(enforcerctl --json reload 2>&1) || { echo "failed: $_r"; return; }
	case $_r in *'"unchanged":true'*) echo unchanged ;; *) echo filled ;; esac
}
gen() { enforcerctl --json status | jsonget generation; }
# drained: wait up to 20 s for the thread to delete every garbage key
drained() {
	_i=0
	while [ "$(st reload_path_garbage)" != 0 ] && [ $_i -lt 200 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	st reload_path_garbage
}

# ---- garbage held: old entries in the maps, never matched ----
set_r 1
: > $HOLD
export ENFORCER_TEST_GARBAGE_HOLD=$HOLD
start_enforcerd $P
unset ENFORCER_TEST_GARBAGE_HOLD
is "$(st reload_path_epochs)" 0 "stats: reload_path_epochs 0 after the first load (the half's keys were not known)"
set_r 2
is "$(rl)" filled "set 2 into the other half (its keys not known yet: cleared by walking)"
is "$(st reload_path_epochs)" 0 "... no epoch: walked, not left"
set_r 3
is "$(rl)" filled "set 3: into set 1's half, none of its entries kept"
is "$(st reload_path_epochs)" 1 "... set 1's entries left under the old epoch (reload_path_epochs 1)"
G1=$(st reload_path_garbage)
ok "... and still in the maps, held ($G1 keys of garbage)" [ "${G1:-0}" -ge 3 ]
mk 1
mk 2
is "$(verdicts 1)" "ok ok ok" "set 1's entries, in the live half under the old epoch: not matched"
is "$(verdicts 2)" "ok ok ok" "set 2 (the inactive half): not in force"

set_r 4
is "$(rl)" filled "set 4: into set 2's half"
is "$(st reload_path_epochs)" 2 "... a second epoch"
G2=$(st reload_path_garbage)
ok "... sets 1's and 2's garbage both held ($G2 keys; $G1 before)" [ "${G2:-0}" -gt "$G1" ]
is "$(verdicts 2) $(verdicts 1)" "ok ok ok ok ok ok" "sets 2 (garbage in the live half) and 1: not matched"

# a rollback: the inactive half holds set 3 under its epoch, whose path
# entries are kept (neither deleted nor written: no epoch)
set_r 3
g0=$(gen)
is "$(rl) $(gen)" "filled $((g0 + 1))" "rollback to set 3: the half that holds it, switched to"
is "$(st reload_path_epochs) $(st reload_path_garbage)" "2 $G2" "... its entries kept: no epoch, no garbage"
mk 3
mk 4
is "$(verdicts 3)" "EPERM EPERM EPERM" "set 3 in force: exact, long and directory rule by path (the new epoch)"
is "$(verdicts 4)" "ok ok ok" "set 4 (inactive) not"
is "$(in_cg /t20g probe open $D/x3 r)" ok "an ungoverned neighbour: not denied"

# an edit that keeps entries: cleared in place, no epoch
write_policy $P t20g <<INI
[policy]
cgroup = $B
[file]
deny = $D/x4
deny = $LD/x4
deny = $D/d4/
deny = $D/x5
INI
is "$(rl)" filled "set 4 plus one rule: into set 4's half"
is "$(st reload_path_epochs)" 2 "... its entries kept: no epoch"
mk 5
is "$(verdicts 4) $(in_cg $B probe open $D/x5 r)" "EPERM EPERM EPERM EPERM" "set 4 and the added rule in force"
is "$(verdicts 3)" "ok ok ok" "set 3 no longer"

# ---- 33 epochs of one half: an epoch whose garbage is pending is not
# used again.  Sets 100..131 go to one half, set 200 to the other in turn
# (kept there: no garbage, so fewer entries wait than the queue holds);
# then set 100 again into the first: had it the epoch set 100 was written
# under (its garbage still held), the deletion of that garbage would
# delete its entries. ----
set_r 200
rl >/dev/null
E0=$(st reload_path_epochs)
r=0
bad=
while [ $r -lt 32 ]; do
	set_r $((100 + r))
	[ "$(rl)" = filled ] || bad="$bad $((100 + r))"
	set_r 200
	rl >/dev/null
	r=$((r + 1))
done
set_r 100
[ "$(rl)" = filled ] || bad="$bad 100"
is "$bad" "" "33 reloads of sets new to one half: each filled"
E1=$(st reload_path_epochs)
is "$((E1 - E0))" 33 "... each left the half's entries as garbage (reload_path_epochs +33)"
mk 100
mk 131
mk 200
is "$(verdicts 100) $(verdicts 131) $(verdicts 200)" "EPERM EPERM EPERM ok ok ok ok ok ok" \
	"set 100 in force again, the sets before it not"
rm -f $HOLD
is "$(drained)" 0 "the hold lifted: the thread deletes all the garbage"
is "$(verdicts 100) $(verdicts 131) $(verdicts 200)" "EPERM EPERM EPERM ok ok ok ok ok ok" \
	"... and set 100's entries are still there (not under an epoch that was garbage)"

# ---- the garbage kept over a restart that adopts the pins ----
: > $HOLD
set_r 6
is "$(rl)" filled "set 6 (garbage held again)"
ok "... garbage in the maps ($(st reload_path_garbage) keys)" [ "$(st reload_path_garbage)" -gt 0 ]
KEEP_PINNED=1 stop_enforcerd
mk 6
is "$(verdicts 6) $(verdicts 100)" "EPERM EPERM EPERM ok ok ok" "no enforcerd: set 6 in force, set 100's garbage not matched"
rm -f $HOLD
start_enforcerd $P
like "$(cat /tmp/enforcerd.err)" 'kept the pinned programs' "the new enforcerd adopted the pins"
is "$(verdicts 6) $(verdicts 100)" "EPERM EPERM EPERM ok ok ok" "... and enforces the same (the epochs were adopted)"
set_r 7
is "$(rl)" filled "set 7 (adopted maps: their keys not known, cleared by walking)"
set_r 8
is "$(rl)" filled "set 8"
set_r 9
is "$(rl)" filled "set 9"
ok "... left garbage by an epoch ($(st reload_path_epochs))" [ "$(st reload_path_epochs)" -ge 1 ]
is "$(drained)" 0 "the idle thread deleted it"
mk 7
mk 8
mk 9
is "$(verdicts 9) $(verdicts 8) $(verdicts 7) $(verdicts 6)" "EPERM EPERM EPERM ok ok ok ok ok ok ok ok ok" \
	"set 9 in force, 8, 7 and 6 not"
stop_enforcerd

# ---- maps too full for garbage beside both halves: cleared first ----
# --max-rules 1024: 2048 entries a map; three sets of 700 rules do not fit
big() {
	{
		printf '[policy]\ncgroup = %s\n[file]\n' $B
		_j=0
		while [ $_j -lt 700 ]; do
			echo "deny = $D/b$1/n$_j"
			_j=$((_j + 1))
		done
	} > $P/t20g.ini
}
big 1
start_enforcerd $P --max-rules 1024
big 2
is "$(rl)" filled "700 rules into the other half"
big 3
is "$(rl)" filled "700 new rules into the first half"
big 4
is "$(rl)" filled "700 new rules again"
is "$(st reload_path_epochs) $(st reload_path_garbage)" "0 0" "no room for garbage: cleared in place, no epoch"
mkdir -p $D/b4 $D/b3
echo data > $D/b4/n699
echo data > $D/b3/n699
is "$(in_cg $B probe open $D/b4/n699 r) $(in_cg $B probe open $D/b3/n699 r)" "EPERM ok" \
	"the set in force, not the one before"
stop_enforcerd
rm -rf $D $P $HOLD
