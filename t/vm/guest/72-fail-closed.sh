# 72-fail-closed.sh - fail closed (issue 20): when a bound runs out for a
# guest-timeout: 400
# governed process the action is denied with EPERM, the audit line carries
# "fail_closed":true and rule "fail-closed", and stats fail_closed counts
# it; the same action in a governed cgroup within the bounds, and in an
# ungoverned sibling, is judged as usual.
#   - a cgroup 40 levels below a governed cgroup (more than the 32 levels
#     walked up, ENF_MAX_CG_DEPTH): its exec and its open fail closed;
#   - a file 70 directories deep (more than the 64 dentry levels walked up,
#     ENF_MAX_WALK), opened or unlinked by a governed process.
# (More than 8 stacked policies cannot be provoked: the daemon refuses such
# a set at load, t/unit/test_limits.c.)
# (A deep cgroup that no policy governs is not tested here.)

P=/tmp/pol72
D=/data/t72
CG=t72/gov
mkdir -p $D
echo data > $D/plain
echo data > $D/secret
cg_make $CG/l1
cg_make t72/free
write_policy $P t72 <<INI
[policy]
cgroup = /$CG
[exec]
deny = /usr/bin/denyme
[file]
deny = $D/secret
INI
start_enforcerd $P

fc() {
	enforcerctl --json stats | jsonget fail_closed
}
# nfc CGROUP: audit lines with fail_closed true from CGROUP
nfc() {
	jsonget -m fail_closed=true -m cgroup=$1 rule < $AUDIT_LOG 2>/dev/null | grep -c '^fail-closed$'
}
# fc_wait N0: wait (5 s at most) until stats fail_closed moves from N0
fc_wait() {
	_i=0
	while [ "$(fc)" = "$1" ] && [ $_i -lt 50 ]; do sleep 0.1; _i=$((_i + 1)); done
}

# ---- a governed cgroup deeper than the walk up ----
deep=$CG
i=1
while [ $i -le 40 ]; do deep=$deep/l$i; i=$((i + 1)); done
cg_make $deep
# in_sh CG SCRIPT: a shell joins CG, then runs SCRIPT: it opens (its own
# redirection, no exec) or execs
in_sh() {
	sh -c 'echo $$ > "$0/cgroup.procs" || exit 125; '"$2" "$CG_ROOT/$1"
}
is "$(in_cg $CG/l1 sh -c "cat $D/plain && exec /usr/bin/allowme")" data \
	"within the bound ($CG/l1): open and exec of what the policy allows pass (control)"
f0=$(fc)
out=$(in_sh $deep "exec 3< $D/plain && echo opened" 2>&1)
like "$out" "Operation not permitted" "40 levels below $CG: open of an allowed file is denied (EPERM)"
out=$(in_sh $deep "exec /usr/bin/allowme" 2>&1)
rc=$?
like "$rc $out" "^126 .*Operation not permitted" "40 levels below $CG: exec of an allowed binary is denied (EPERM, exit 126)"
fc_wait "$f0"
wait_audit "\"cgroup\":\"/$deep\"" 5
f1=$(fc)
like "$((f1 - f0))" '^([2-9]|[1-9][0-9]+)$' "deep cgroup: stats fail_closed counts the denials ($f0 -> $f1)"
like "$(nfc /$deep)" '^([2-9]|[1-9][0-9]+)$' "deep cgroup: audit lines with fail_closed true, rule fail-closed, cgroup /$deep"
is "$(jsonget -m cgroup=/$deep action < $AUDIT_LOG | sort -u)" deny \
	"deep cgroup: every line from it says action deny"

# ---- a path deeper than the dentry walk ----
w=$D/w
i=1
while [ $i -le 70 ]; do w=$w/d; i=$((i + 1)); done
mkdir -p $w
echo data > $w/f
is "$(in_cg t72/free probe open $w/f r)" ok "70 directories deep: the ungoverned sibling opens the file (control)"
f0=$(fc)
is "$(in_cg $CG probe open $w/f r)" EPERM "70 directories deep: a governed open is denied (EPERM)"
is "$(in_cg $CG trick unlink $w/f)" EPERM "70 directories deep: a governed unlink is denied (EPERM)"
ok "... and the file is still there" test -f $w/f
fc_wait "$f0"
wait_audit '"op":"unlink".*"fail_closed":true|"fail_closed":true.*"op":"unlink"' 5
f1=$(fc)
is "$((f1 - f0))" 2 "deep path: stats fail_closed counts the 2 denials ($f0 -> $f1)"
is "$(jsonget -m fail_closed=true -m cgroup=/$CG op < $AUDIT_LOG | sort | tr '\n' ' ')" "open unlink " \
	"deep path: one fail_closed line each for the open and the unlink, from /$CG"
is "$(in_cg $CG probe open $D/plain r) $(in_cg $CG probe open $D/secret r)" "ok EPERM" \
	"within the bounds the policy is judged as written (control)"
is "$(fc)" "$f1" "... and nothing more fails closed"

stop_enforcerd
