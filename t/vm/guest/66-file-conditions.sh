# SPDX-License-Identifier: GPL-2.0-only
# 66-file-conditions.sh - issue 19, file rules as peers' users write them:
# removing an entry is a write to its parent directory (Landlock: with
# readonly = /lr/ and allow = /lr/s1d1/s1d2/, s1d2 itself cannot be
# removed or renamed away, its entries can).  Exact errno, the audit line,
# a sibling cgroup unaffected.

P=/tmp/pol66
L=/lr66
cg_make t66/bound
cg_make t66/sibling
B=/t66/bound
S=/t66/sibling

# Landlock's layout: /lr/s1d1/{f1,s1d2/{f2,s1d3/}}
mkdir -p $L/s1d1/s1d2/s1d3 $L/s1d1/other
for f in s1d1/f1 s1d1/s1d2/f2; do echo data > $L/$f; done
chmod -R 777 $L

write_policy $P lr <<INI
[policy]
cgroup = $B
[file]
readonly = $L/
allow = $L/s1d1/s1d2/
INI

start_enforcerd $P

both() {
	_want=$1 _desc=$2
	shift 2
	is "$(in_cg $B "$@")" "$_want" "$_desc (root)"
	is "$(in_cg $B /bin/runas 1000 "$@")" "$_want" "$_desc (uid 1000)"
}

# ---- removing an entry is a write to its parent ----
both ok "remove: a new file in the allowed directory" sh -c "echo x > $L/s1d1/s1d2/new-\$\$ && echo ok"
both ok "remove: unlink an entry of the allowed directory" sh -c "echo x > $L/s1d1/s1d2/u-\$\$ && exec trick unlink $L/s1d1/s1d2/u-\$\$"
both ok "remove: rename within the allowed directory" sh -c "echo x > $L/s1d1/s1d2/r-\$\$ && exec trick rename $L/s1d1/s1d2/r-\$\$ $L/s1d1/s1d2/r2-\$\$"
both ok "remove: rmdir an empty directory below the allowed one" sh -c "mkdir $L/s1d1/s1d2/d-\$\$ && exec trick rmdir $L/s1d1/s1d2/d-\$\$"
both EPERM "remove: rmdir the allowed directory, not empty (judged before emptiness)" trick rmdir $L/s1d1/s1d2
rm -rf $L/s1d1/s1d2/*
both EPERM "remove: rmdir the empty allowed directory (the issue's case)" trick rmdir $L/s1d1/s1d2
F=$(grep '"op":"rmdir"' $AUDIT_LOG | tail -n 1)
like "$F" "\"rule\":\"readonly = $L/\"" "remove: the audit line names the parent's readonly rule"
like "$F" '"path":"s1d2","path_is_name":true,"access":"write"' "remove: ... the removed entry's name, access write"
both EPERM "remove: rename the allowed directory within its readonly parent" trick rename $L/s1d1/s1d2 $L/s1d1/moved
both EPERM "remove: rename the allowed directory into another directory" trick rename $L/s1d1/s1d2 $L/s1d1/other/s1d2
both EPERM "remove: move an entry of the allowed directory out to the readonly parent" sh -c "echo x > $L/s1d1/s1d2/m-\$\$ && exec trick rename $L/s1d1/s1d2/m-\$\$ $L/s1d1/m-\$\$"
both EPERM "remove: unlink a file of the readonly parent" trick unlink $L/s1d1/f1
ok "remove: s1d2 still there" [ -d $L/s1d1/s1d2 ]
rm -f $L/s1d1/s1d2/*
is "$(in_cg $S trick rmdir $L/s1d1/s1d2)" ok "remove: the sibling may rmdir it (control)"
mkdir $L/s1d1/s1d2 && chmod 777 $L/s1d1/s1d2

stop_enforcerd
rm -rf $L
