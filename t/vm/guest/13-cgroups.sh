# SPDX-License-Identifier: GPL-2.0-only
# 13-cgroups.sh - how policies stack over the cgroup tree: every policy bound
# to a cgroup or any ancestor governs it and an action passes only if each
# allows it (a child cannot loosen its parent); deep nesting; a policy bound
# to several cgroups; a process that moves between cgroups.

# the pins the script before this one left are adopted (t/vm/lib.sh): its
# programs are this build's, its checks need no fresh load
ADOPT_PINS=1

P=/tmp/pol13
D=/data/t13
cg_make t13/a/b/c/d/e/f
cg_make t13/a/sib
cg_make t13/other
cg_make t13/m1
cg_make t13/m2
cg_make t13/m3
cg_make t13/loose/tight
cg_make t13/strict/lax
mkdir -p $D
for f in secret one two; do echo data > $D/$f; done

write_policy $P outer <<'INI'
[policy]
cgroup = /t13/a
[exec]
deny = /usr/bin/denyme
INI
write_policy $P inner <<INI
[policy]
cgroup = /t13/a/b
[file]
deny = $D/secret
INI
write_policy $P multi <<'INI'
[policy]
cgroup = /t13/m1
cgroup = /t13/m2
[exec]
deny = /usr/bin/other1
INI
write_policy $P loose <<INI
[policy]
cgroup = /t13/loose
[file]
allow = $D/one
INI
write_policy $P tight <<INI
[policy]
cgroup = /t13/loose/tight
[file]
deny = $D/one
INI
write_policy $P strict <<INI
[policy]
cgroup = /t13/strict
[file]
deny = $D/two
INI
write_policy $P lax <<INI
[policy]
cgroup = /t13/strict/lax
[file]
allow = $D/two
INI

start_enforcerd $P

is "$(in_cg /t13/a probe exec /usr/bin/denyme)" EPERM "stack: outer policy applies in its cgroup"
is "$(in_cg /t13/a probe open $D/secret r)" ok "stack: inner policy does not apply to its parent"
is "$(in_cg /t13/a/b probe exec /usr/bin/denyme)" EPERM "stack: outer policy applies in the inner cgroup"
is "$(in_cg /t13/a/b probe open $D/secret r)" EPERM "stack: inner policy applies in its cgroup"
is "$(in_cg /t13/a/b/c/d/e/f probe exec /usr/bin/denyme)" EPERM "stack: outer policy applies 6 levels down"
is "$(in_cg /t13/a/b/c/d/e/f probe open $D/secret r)" EPERM "stack: inner policy applies 5 levels down"
is "$(in_cg /t13/a/sib probe exec /usr/bin/denyme)" EPERM "stack: outer policy applies in the inner cgroup's sibling"
is "$(in_cg /t13/a/sib probe open $D/secret r)" ok "stack: inner policy does not apply to its sibling"
is "$(in_cg /t13/other probe exec /usr/bin/denyme)" ok "stack: unrelated cgroup unaffected (exec)"
is "$(in_cg /t13/other probe open $D/secret r)" ok "stack: unrelated cgroup unaffected (file)"

is "$(in_cg /t13/m1 probe exec /usr/bin/other1)" EPERM "multi: first bound cgroup denies"
is "$(in_cg /t13/m2 probe exec /usr/bin/other1)" EPERM "multi: second bound cgroup denies"
is "$(in_cg /t13/m3 probe exec /usr/bin/other1)" ok "multi: unbound cgroup unaffected"

is "$(in_cg /t13/loose probe open $D/one r)" ok "parent allow: passes in the parent"
is "$(in_cg /t13/loose/tight probe open $D/one r)" EPERM "child deny beats the parent's allow"
is "$(in_cg /t13/strict/lax probe open $D/two r)" EPERM "child allow cannot loosen the parent's deny"

# The process does not move itself (a confined process may be refused to
# leave its cgroup); this unconfined shell moves it between steps.
rm -f /tmp/m13.*
sh -c 'echo $$ > /sys/fs/cgroup/t13/a/cgroup.procs
for s in 1 2 3; do
	while [ ! -e /tmp/m13.go$s ]; do sleep 0.05; done
	probe exec /usr/bin/denyme > /tmp/m13.tmp; mv /tmp/m13.tmp /tmp/m13.out$s
done' &
M=$!
step() {
	touch /tmp/m13.go$1
	_i=0
	while [ ! -e /tmp/m13.out$1 ] && [ $_i -lt 100 ]; do sleep 0.1; _i=$((_i + 1)); done
}
step 1
echo $M > /sys/fs/cgroup/t13/other/cgroup.procs
step 2
echo $M > /sys/fs/cgroup/t13/a/b/c/cgroup.procs
step 3
wait $M
out=$(cat /tmp/m13.out1 /tmp/m13.out2 /tmp/m13.out3 2>/dev/null | tr '\n' ' ')
is "$out" "EPERM ok EPERM " "move: a process follows its cgroup (bound, unbound, bound again)"

stop_enforcerd
