# SPDX-License-Identifier: GPL-2.0-only
# 63-bypass-cgroup.sh - issue 5, cgroups: a confined process that may write
# guest-timeout: 600
# cgroup.procs (root, and uid 1000 in a subtree delegated to it) cannot
# leave its policy: a move to a sibling, to the root cgroup, through
# cgroup.threads or by clone3(CLONE_INTO_CGROUP) with a cgroup fd it opened
# itself is refused or stays governed; a move into a fresh child cgroup it made is allowed and stays
# governed.  No race at start: a policy bound to a cgroup path that is
# created (and deleted and recreated) later governs the very first exec in
# it, 1000 times in a row.

# the pins the bypass script before this one left are adopted (t/vm/lib.sh):
# its programs are this build's, its checks need no fresh load
ADOPT_PINS=1

P=/tmp/pol63
G=$CG_ROOT/t63
cg_make t63/a
cg_make t63/sib
cg_make race
chown -R 1000:1000 $G         # delegated: DAC lets uid 1000 move within t63

write_policy $P cg <<'INI'
[policy]
cgroup = /t63/a
[exec]
deny = /usr/bin/denyme
INI
write_policy $P race <<'INI'
[policy]
cgroup = /race/c           ; does not exist yet
[exec]
deny = /usr/bin/denyme
INI

start_enforcerd $P

# try WHO DEST: inside t63/a, as WHO ("" = root, else a runas prefix), write
# the shell's pid to DEST, then say where it is and whether denyme runs.
try() {
	in_cg /t63/a $1 sh -c '
		if { echo $$ > "$0"; } 2>"$1"; then echo moved; else echo refused; fi
		sed -n "s|^0::/||p" /proc/$$/cgroup
		probe exec /usr/bin/denyme' "$2" "/tmp/t63${1:+-u}.err" | tr '\n' ' '
}
for who in root "uid 1000"; do
	case $who in root) pre= ;; *) pre="/bin/runas 1000" ;; esac
	is "$(in_cg /t63/a $pre probe exec /usr/bin/denyme)" EPERM "cgroup: denyme is denied in t63/a ($who)"
	is "$(try "$pre" $G/sib/cgroup.procs)" "refused t63/a EPERM " \
		"cgroup: a move to the sibling's cgroup.procs is refused, still governed ($who)"
	like "$(cat /tmp/t63${pre:+-u}.err)" "Operation not permitted" "cgroup: ... with EPERM ($who)"
	is "$(try "$pre" $G/sib/cgroup.threads)" "refused t63/a EPERM " \
		"cgroup: a move through the sibling's cgroup.threads is refused ($who)"
	is "$(try "$pre" $G/cgroup.procs)" "refused t63/a EPERM " \
		"cgroup: a move to the parent (unbound) is refused ($who)"
	if [ "$who" = root ]; then
		is "$(try "" $CG_ROOT/cgroup.procs)" "refused t63/a EPERM " \
			"cgroup: a move to the root cgroup is refused ($who)"
	fi
	kid=kid$$-${pre:+u}
	is "$(in_cg /t63/a $pre sh -c "mkdir $G/a/$kid && echo \$\$ > $G/a/$kid/cgroup.procs && sed -n 's|^0::/||p' /proc/\$\$/cgroup && exec probe exec /usr/bin/denyme" | tr '\n' ' ')" \
		"t63/a/$kid EPERM " "cgroup: a move into a fresh child it made is allowed and still governed ($who)"
	rmdir $G/a/$kid 2>/dev/null
	r=$(in_cg /t63/a $pre trick clone-into $G/sib /bin/probe exec /usr/bin/denyme)
	like "$r" '^EPERM$' "cgroup: clone3(CLONE_INTO_CGROUP) to the sibling: refused or still governed ($who)"
	is "$(in_cg /t63/sib $pre probe exec /usr/bin/denyme)" ok "cgroup: denyme runs in the sibling itself (control, $who)"
done
is "$(sed -n 's|^0::/||p' /proc/$$/cgroup)" "" "cgroup: the harness is still in the root cgroup"
ok "cgroup: nothing of t63/a ended up in the sibling" [ -z "$(cat $G/sib/cgroup.procs)" ]

# ---- no race at start ----
t0=$(date +%s)
n=0 bad=0 i=0
while [ $i -lt 1000 ]; do
	rmdir $CG_ROOT/race/c 2>/dev/null
	mkdir $CG_ROOT/race/c
	r=$(in_cg /race/c probe exec /usr/bin/denyme)
	if [ "$r" = EPERM ]; then
		n=$((n + 1))
	else
		bad=$((bad + 1))
		[ $bad -le 3 ] && diag "iteration $i: got '$r'"
	fi
	i=$((i + 1))
done
is "$n" 1000 "race: a fresh /race/c governs the first exec, 1000 times in a row"
diag "1000 rmdir/mkdir/first-exec rounds took $(( $(date +%s) - t0 )) s"
rmdir $CG_ROOT/race/c 2>/dev/null

stop_enforcerd
