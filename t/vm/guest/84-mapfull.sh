# SPDX-License-Identifier: GPL-2.0-only
# 84-mapfull.sh - a full cgroup binding map fails closed (issue 12): with
# --max-cgroups 32, uid 1000 creates cgroups named like a unit= policy's
# unit in its delegated subtree until cg_bind is full.  The next such cgroup,
# and a cgroup below it, are denied everything and counted
# (map_update_failures, fail_closed; the one below has no cache entry that
# could say so); their parent is not affected; a reload that cannot bind them all
# fails and changes nothing.  Once cgroups are removed, a new one is
# governed by its rule, and a reload governs the one that missed its
# binding by its rule too.
# guest-timeout: 600

# No ADOPT_PINS: --max-cgroups sizes cg_bind when the maps are made, so this
# script loads afresh (start_enforcerd removes the pins the one before left)
# and removes its own at the end (a 32-entry cg_bind is no map for the next).

P=/tmp/pol84
U=/sys/fs/cgroup/t84/deleg
cg_make t84/deleg
chown 1000 $U $U/cgroup.procs $U/cgroup.subtree_control
write_policy $P unit <<INI
[policy]
unit = full.service
[exec]
deny = /usr/bin/denyme
INI
start_enforcerd $P --max-cgroups 32
st() { enforcerctl --json stats | jsonget "$1"; }
# fc CG: run /bin/true there; fail closed, the shell's own exec of it is
# refused: "rc=126 ...: Operation not permitted" (EPERM)
fc() { _o=$(in_cg "$1" /bin/true 2>&1); echo "rc=$? $_o"; }
FC='^rc=126 .*Operation not permitted$'
m0=$(st map_update_failures)
fc0=$(st fail_closed)

# ---- fill cg_bind (one entry per cgroup: one half has names) ----
b0=$(st cgroup_bindings)
is "$(as_user 1000 sh -c "for i in \$(seq 40); do mkdir -p $U/d\$i/full.service || exit 1; done; echo made")" made \
	"uid 1000 made 40 full.service cgroups in its delegated subtree"
is "$(st cgroup_bindings)" 32 "cg_bind is full ($b0 entries before, 32 now)"
m1=$(st map_update_failures)
ok "the bindings that did not fit are counted (map_update_failures $m0 -> $m1)" [ "$m1" -ge $((m0 + 8)) ]
is "$(in_cg t84/deleg/d1/full.service probe exec /usr/bin/denyme)" EPERM "a bound one: its rule bites"
is "$(in_cg t84/deleg/d1/full.service probe exec /bin/true)" ok "a bound one: other execs pass"
like "$(fc t84/deleg/d40/full.service)" "$FC" \
	"one that could not be bound: denied everything (fail closed), even the exec of /bin/true"
as_user 1000 mkdir $U/d40/full.service/sub
like "$(fc t84/deleg/d40/full.service/sub)" "$FC" \
	"a cgroup created below it: fail closed too"
is "$(fc t84/deleg/d40)" "rc=0 " "control: their parent runs /bin/true"
is "$(in_cg t84/deleg/d40 probe exec /usr/bin/denyme)" ok "control: ... and is not governed"
fc1=$(st fail_closed)
ok "... counted (fail_closed $fc0 -> $fc1)" [ "$fc1" -ge $((fc0 + 2)) ]
wait_audit '"cgroup":"/t84/deleg/d40/full.service/sub"' 5
like "$(grep '"cgroup":"/t84/deleg/d40/full.service/sub"' $AUDIT_LOG | tail -n 1)" '"fail_closed":true' \
	"... its audit line says fail_closed"

# ---- a reload cannot bind them all: it fails and changes nothing ----
g0=$(enforcerctl --json status | jsonget generation)
out=$(enforcerctl reload 2>&1)
is "$?" 1 "reload with cg_bind full: refused"
like "$out" 'map update' "... saying a map update failed"
is "$(enforcerctl --json status | jsonget generation)" "$g0" "... generation unchanged"
like "$(fc t84/deleg/d40/full.service/sub)" "$FC" "... the one below still fails closed"
is "$(in_cg t84/deleg/d2/full.service probe exec /usr/bin/denyme)" EPERM "... a bound one still governed"

# ---- room again ----
as_user 1000 sh -c "for i in \$(seq 3 30); do rmdir $U/d\$i/full.service $U/d\$i; done"
ok "removing cgroups frees their entries ($(st cgroup_bindings) left)" [ "$(st cgroup_bindings)" -le 12 ]
as_user 1000 mkdir -p $U/new/full.service
is "$(in_cg t84/deleg/new/full.service probe exec /usr/bin/denyme)" EPERM "a new full.service cgroup: its rule bites"
is "$(in_cg t84/deleg/new/full.service probe exec /bin/true)" ok "... and nothing else is denied"
like "$(fc t84/deleg/d40/full.service)" "$FC" \
	"the one that missed its binding still fails closed (until a reload or its removal)"
enforcerctl reload >/dev/null 2>&1
is "$?" 0 "a reload with room succeeds"
is "$(in_cg t84/deleg/d40/full.service probe exec /bin/true)" ok "... it binds the one that missed: other execs pass"
is "$(in_cg t84/deleg/d40/full.service/sub probe exec /usr/bin/denyme)" EPERM "... and its rule bites below it"
stop_enforcerd
find $U -depth -type d -exec rmdir {} \; 2>/dev/null
