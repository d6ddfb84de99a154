# SPDX-License-Identifier: GPL-2.0-only
# 34-bind-race.sh - a live `bind` of a cgroup path racing the mkdir of that
# cgroup and of cgroups below it.  Round after round, one helper (attack
# bindrace) sends `bind /t34/V/rI namespace=t34ns` and, a swept number of
# microseconds later (the daemon runs the bind meanwhile), makes rI, rI/c1,
# rI/c1/d and a neighbour nI beside rI.  After the bind has answered, every
# new cgroup at or below the path is governed by the pod policy (its exec
# denied, EPERM) and the neighbour is not (its exec allowed), in two
# variants: below an ungoverned parent (V = a) and below a parent bound by
# an older cgroup= policy (V = b: its file rule stays in force everywhere,
# the neighbour included).  enforcerd used to look the cgroup up before it
# wrote the path binding the mkdir program reads: a cgroup made in between
# got neither and ran ungoverned.
# guest-timeout: 300

P=/tmp/pol34
S=/run/enforcer/enforcer.sock
D=/data/t34
N=${T34_ROUNDS:-90}
mkdir -p $D
echo secret > $D/anc
cg_make t34/a
cg_make t34/b
write_policy $P pod <<INI
[policy]
namespace = t34ns
[exec]
deny = /usr/bin/denyme
INI
write_policy $P anc <<INI
[policy]
cgroup = /t34/b
[file]
deny = $D/anc
INI
start_enforcerd $P

is "$(in_cg t34/a probe exec /usr/bin/denyme) $(in_cg t34/b probe exec /usr/bin/denyme)" "ok ok" \
	"before any bind: exec allowed in /t34/a and /t34/b"
is "$(in_cg t34/b probe open $D/anc r)" EPERM "the older cgroup= binding of /t34/b denies $D/anc"

# race V I: one round in variant V; appends what went wrong to $bad
race() {
	_p=/t34/$1/r$2
	_n=/t34/$1/n$2
	_us=$(( ($2 * 97) % 2000 ))
	_out=$(attack bindrace $S "bind $_p namespace=t34ns" $_us \
		$CG_ROOT$_p $CG_ROOT$_p/c1 $CG_ROOT$_p/c1/d $CG_ROOT$_n)
	case $_out in
	*'"ok":true'*) ;;
	*) bad="$bad $_p:bind=$_out" ;;
	esac
	for _c in $_p $_p/c1 $_p/c1/d; do
		_r=$(in_cg $_c probe exec /usr/bin/denyme)
		[ "$_r" = EPERM ] || bad="$bad $_c=$_r(${_us}us)"
	done
	_r=$(in_cg $_n probe exec /usr/bin/denyme)
	[ "$_r" = ok ] || bad="$bad $_n=$_r"
	if [ "$1" = b ]; then
		_r="$(in_cg $_p/c1/d probe open $D/anc r) $(in_cg $_n probe open $D/anc r)"
		[ "$_r" = "EPERM EPERM" ] || bad="$bad $_p/c1/d,$_n:anc=$_r"
	fi
	rmdir $CG_ROOT$_p/c1/d $CG_ROOT$_p/c1 $CG_ROOT$_p $CG_ROOT$_n
}

t0=$(date +%s)
for v in a b; do
	bad=
	i=0
	while [ $i -lt $N ]; do
		i=$((i + 1))
		race $v $i
	done
	if [ $v = a ]; then
		d="below an ungoverned parent"
	else
		d="below a parent bound by an older cgroup= policy (its rule kept, the neighbour's too)"
	fi
	is "$bad" "" "$N binds racing the mkdir of the bound cgroup and of two below it, $d: every new cgroup governed (exec EPERM), the neighbour's exec allowed"
done
diag "$((2 * N)) rounds in $(($(date +%s) - t0)) s; re-binds after a racing mkdir: $(grep -c 're-bound after a mkdir' /tmp/enforcerd.err)"
is "$(in_cg t34/a probe exec /usr/bin/denyme) $(in_cg t34/b probe exec /usr/bin/denyme)" "ok ok" \
	"after the binds: /t34/a and /t34/b themselves still allow the exec"
stop_enforcerd
