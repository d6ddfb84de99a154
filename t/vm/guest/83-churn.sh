# SPDX-License-Identifier: GPL-2.0-only
# 83-churn.sh - maps that track cgroups shrink when cgroups go away (issue
# 12): uid 1000 creates and removes 10000 cgroups named like a unit= policy's
# unit in its delegated subtree, root 10000 more; cg_bind stays bounded
# (stats cgroup_bindings), no map update fails, and a cgroup of that unit
# created afterwards is governed by the rule (not by fail-closed).  Races:
# unit cgroups created while reloads run are all governed afterwards; a live
# `bind` of a cgroup whose child already ran a process (cached "ungoverned")
# governs that child at once.
# guest-timeout: 600

# the pins the script before this one left are adopted (t/vm/lib.sh): its
# programs are this build's, its checks need no fresh load
ADOPT_PINS=1

P=/tmp/pol83
S=/run/enforcer/enforcer.sock
cg_make t83/deleg
cg_make t83/real
cg_make t83/race
cg_make t83/pod/c1
chown 1000:1000 /sys/fs/cgroup/t83/deleg
write_policy $P unit <<INI
[policy]
unit = churn.service
[exec]
deny = /usr/bin/denyme
INI
write_policy $P race <<INI
[policy]
unit = race.service
[exec]
deny = /usr/bin/denyme
INI
write_policy $P pod <<INI
[policy]
namespace = t83ns
[exec]
deny = /usr/bin/denyme
INI
start_enforcerd $P
st() { enforcerctl --json stats | jsonget "$1"; }
b0=$(st cgroup_bindings)
m0=$(st map_update_failures)
mem0=$(awk '/^MemAvailable/ { print $2 }' /proc/meminfo)

# ---- churn ----
is "$(as_user 1000 attack churn /sys/fs/cgroup/t83/deleg churn.service 10000)" "ok 10000" \
	"uid 1000 created and removed 10000 churn.service cgroups in its subtree"
is "$(attack churn /sys/fs/cgroup/t83 churn.service 10000)" "ok 10000" \
	"root created and removed 10000 more"
b1=$(st cgroup_bindings)
ok "cg_bind stays bounded: $b0 entries before, $b1 after" [ "$b1" -le $((b0 + 4)) ]
is "$(st map_update_failures)" "$m0" "no map update failed"
mem1=$(awk '/^MemAvailable/ { print $2 }' /proc/meminfo)
ok "memory available: $mem0 kB before, $mem1 kB after (less than 64 MiB gone)" \
	[ $((mem0 - mem1)) -lt 65536 ]
cg_make t83/real/churn.service
is "$(in_cg t83/real/churn.service probe exec /usr/bin/denyme)" EPERM \
	"a churn.service cgroup created afterwards is governed"
wait_audit '"cgroup":"/t83/real/churn.service"' 5
like "$(grep '"cgroup":"/t83/real/churn.service"' $AUDIT_LOG | tail -n 1)" '"rule":"deny = /usr/bin/denyme"' \
	"... by its rule, not fail-closed"
is "$(in_cg t83/real probe exec /usr/bin/denyme)" ok "control: its parent is not governed"

# ---- unit cgroups created during reloads ----
(for i in 1 2 3 4; do enforcerctl reload >/dev/null 2>&1; done) &
R=$!
n=0
while kill -0 $R 2>/dev/null && [ $n -lt 60 ]; do
	n=$((n + 1))
	mkdir -p /sys/fs/cgroup/t83/race/r$n/race.service
done
wait $R
bad=
for i in $(seq $n); do
	r=$(in_cg t83/race/r$i/race.service probe exec /usr/bin/denyme)
	[ "$r" = EPERM ] || bad="$bad r$i=$r"
done
is "$bad" "" "all $n race.service cgroups created during 4 reloads are governed"

# ---- live bind above a child that already ran a process ----
is "$(in_cg t83/pod/c1 probe exec /usr/bin/denyme)" ok "before the bind: the child is ungoverned (cached)"
like "$(sockclient -s 'bind /t83/pod namespace=t83ns\n' -c 1 $S)" '"ok":true' "bind /t83/pod namespace=t83ns"
is "$(in_cg t83/pod/c1 probe exec /usr/bin/denyme)" EPERM "after the bind: the child is governed at once"
stop_enforcerd
