#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# 61-bench-report.t - t/bench/report.sh decides a target only from complete,
# numeric, checked samples: run on the committed raw samples of the run
# before issue 16 (t/bench/baseline.json, C3 given its policy-check counts)
# it marks the connect targets met; with one sample missing, a non-numeric
# sample, a C4 sample that did not deny every iteration, or C3 samples
# without proof they ran governed, the affected target is "undecided", never
# met, and the report exits 1.  Issue 20: a results file with no samples at
# all marks no target met; a missing rule-count point, deny storm or reload
# sample, or a profile without program types, is "not measured"; a denial
# cheaper than the allowed action shows no negative cost.  Issue 19's
# pattern points decide their target only from governed samples, and so
# does the cold path (first opens after a reload).  Runs in a scratch
# directory (BENCHMARKS.md untouched).
cd "$(dirname "$0")/.." || exit 1
top=$(pwd)
n=0
failed=0
pass() { n=$((n + 1)); echo "ok $n - $*"; }
fail() { n=$((n + 1)); failed=1; echo "not ok $n - $*"; }
diag() { printf '%s\n' "$*" | sed 's/^/# /'; }
check() {   # check DESC CMD...
	_d=$1
	shift
	if "$@"; then pass "$_d"; else fail "$_d"; fi
}

w=$(mktemp -d) || exit 1
[ -n "${KEEP:-}" ] || trap 'rm -rf "$w"' EXIT
mkdir -p "$w/t/bench"
cp t/bench/report.sh "$w/t/bench/"
# the committed samples, with the checks a governed C3 run records
sed 's/\("cfg":"C3","wl":"open[18]".*"eperm":0\)}/\1,"checks":2000}/
     s/\("cfg":"C3","wl":"exec".*"eperm":0\)}/\1,"checks":100}/
     s/\("cfg":"C3","wl":"connect".*"eperm":0\)}/\1,"checks":200}/' \
	t/bench/baseline.json > "$w/base.json"

# report NAME SED-SCRIPT: run the report on base.json edited by SED-SCRIPT;
# sets rc and leaves the output in $w/NAME.md
report() {
	sed "$2" "$w/base.json" > "$w/$1.json"
	(cd "$w" && sh t/bench/report.sh "$1.json" >/dev/null 2>"$w/$1.err")
	rc=$?
	cp "$w/BENCHMARKS.md" "$w/$1.md" 2>/dev/null || : > "$w/$1.md"
}
line() {    # line NAME ERE: the lines of NAME.md matching ERE
	grep -E -- "$2" "$w/$1.md"
}
C2CONN='^- C2 overhead vs floor, TCP connect'
C3P1='^- C3 vs AppArmor \(P1\), TCP connect'

report good ''
check "complete samples: the report exits 0" [ "$rc" = 0 ]
check "complete samples: 'All samples complete and checked'" grep -q '^All samples complete and checked' "$w/good.md"
check "complete samples: C2 connect target met" sh -c "grep -E '$C2CONN' '$w/good.md' | grep -q '\*\*met\*\*'"
check "complete samples: C3 vs AppArmor, connect met" sh -c "grep -E '$C3P1' '$w/good.md' | grep -q '\*\*met\*\*'"

# one C2 connect sample (round 3) missing
report missing '/"cfg":"C2","wl":"connect","round":3,/d'
check "a missing C2 sample: exit 1" [ "$rc" = 1 ]
check "a missing C2 sample: named in Sample checks" sh -c "grep -q '^- C2 TCP connect, loopback: 4 of 5 samples' '$w/missing.md'"
l=$(line missing "$C2CONN")
case $l in *undecided*) pass "a missing C2 sample: C2 connect target undecided, not met" ;;
	*) fail "a missing C2 sample: C2 connect target undecided, not met"; diag "$l" ;; esac

# a non-numeric (empty) C0 connect sample: the floor goes with it
report nonnum 's/\("cfg":"C0","wl":"connect","round":2,"warmup":false,"ns":\)[0-9.]*/\1""/'
check "a non-numeric C0 sample: exit 1" [ "$rc" = 1 ]
check "a non-numeric C0 sample: named" sh -c "grep -q '^- C0 TCP connect, loopback: 4 of 5 samples; 1 non-numeric' '$w/nonnum.md'"
l=$(line nonnum "$C2CONN")
case $l in *undecided*) pass "a non-numeric C0 sample: C2 connect target undecided" ;;
	*) fail "a non-numeric C0 sample: C2 connect target undecided"; diag "$l" ;; esac

# a C4 exec sample that denied 99 of 100
report c4 's/\("cfg":"C4","wl":"exec","round":1,"warmup":false,"ns":[0-9.]*,"eperm":\)100/\199/'
check "C4 not denying every iteration: exit 1" [ "$rc" = 1 ]
check "C4 not denying every iteration: named (EPERM 99 of 100)" \
	sh -c "grep -q '^- C4 vfork+exec (static no-op): 1 sample(s) not denying every iteration (first: EPERM 99' '$w/c4.md'"

# C3 without proof it ran governed (no checks recorded, as before issue 20)
report c3 's/,"checks":[0-9]*}/}/'
check "C3 not shown governed: exit 1" [ "$rc" = 1 ]
l=$(line c3 "$C3P1")
case $l in *"**met**"*) fail "C3 not shown governed: C3 vs AppArmor not met"; diag "$l" ;;
	*) pass "C3 not shown governed: C3 vs AppArmor not met" ;; esac
check "C3 not shown governed: named" sh -c "grep -q '^- C3 TCP connect, loopback: 5 sample(s) not shown governed' '$w/c3.md'"
report c3few 's/\("cfg":"C3","wl":"connect","round":5,.*,"checks":\)200/\1150/'
check "C3 with fewer policy checks than iterations: exit 1" [ "$rc" = 1 ]

# ---- issue 20: nothing is met from samples that are not there ----
T16='/^## Issue 16 targets/,/^## /'
# the meta lines only: every target not measured, none met
report empty '/"meta"/!d'
l=$(sed -n "${T16}p" "$w/empty.md" | grep '^- ')
check "no samples: the targets section lists targets" [ "$(printf '%s\n' "$l" | grep -c .)" -ge 10 ]
case $l in *"**met**"*) fail "no samples: no target met"; diag "$(printf '%s\n' "$l" | grep -F '**met**')" ;;
	*) pass "no samples: no target met" ;; esac
check "no samples: the rule-count target not measured" \
	sh -c "printf '%s\n' \"\$1\" | grep '^- Rule count' | grep -q 'not measured'" _ "$l"
check "no samples: the deny-storm target not measured" \
	sh -c "printf '%s\n' \"\$1\" | grep '^- Deny storm' | grep -q 'not measured'" _ "$l"
check "no samples: the reload target not measured" \
	sh -c "printf '%s\n' \"\$1\" | grep '^- Reload of 10,000 rules, no file' | grep -q 'not measured'" _ "$l"

# the 1,000-rule point of the sweep missing: the rule-count target not measured
report sweep '/"sweep":"rules","series":"A","k":1000,/d'
l=$(line sweep '^- Rule count')
case $l in *"not measured"*) pass "a missing rule-count point: not measured" ;;
	*) fail "a missing rule-count point: not measured"; diag "$l" ;; esac
# all points (100,000 given the 10-rule samples): decided from them
report sweepall 's/\("sweep":"rules","series":"A","k":\)10,\(.*\)$/&\n{"sweep":"rules","series":"A","k":100000,\2/'
l=$(line sweepall '^- Rule count')
case $l in *"**met**"*) pass "every rule-count point present and flat: met" ;;
	*) fail "every rule-count point present and flat: met"; diag "$l" ;; esac

# deny storm: lost > 0 missed (the baseline), lost = 0 met, no storm line not measured
report storm ''
l=$(line storm '^- Deny storm')
case $l in *"**missed**"*) pass "a storm that lost records: missed" ;;
	*) fail "a storm that lost records: missed"; diag "$l" ;; esac
report storm0 's/"lines":152126,"lost":537858/"lines":689984,"lost":0/'
l=$(line storm0 '^- Deny storm')
case $l in *"**met**"*) pass "a storm with lost 0: met" ;;
	*) fail "a storm with lost 0: met"; diag "$l" ;; esac
report stormnone '/"storm":true/d'
l=$(line stormnone '^- Deny storm')
case $l in *"not measured"*) pass "no storm sample: not measured" ;;
	*) fail "no storm sample: not measured"; diag "$l" ;; esac
report stormbad 's/"lost":537858/"lost":""/'
l=$(line stormbad '^- Deny storm')
case $l in *"**met**"*) fail "a non-numeric lost count: not met"; diag "$l" ;;
	*) pass "a non-numeric lost count: not met" ;; esac

# reloads: fewer samples than the run made decide nothing
report reloadfew 's/"n_connect":200}/"n_connect":200,"reloads":60}/; s/"us":\[[0-9.]*,/"us":[1.0,/'
l=$(line reloadfew '^- Reload of 10,000 rules, no file')
case $l in *"not measured"*) pass "50 of 60 reload samples: not measured" ;;
	*) fail "50 of 60 reload samples: not measured"; diag "$l" ;; esac

# every rule changed (issue 16): 50 fast samples met; one slow sample missed;
# one failed reload, or none of these samples, decide nothing
chg() {   # chg NAME US: report NAME on base.json plus a "10000-changed" line of samples US
	report "$1" "\$a {\"reload\":\"10000-changed\",\"us\":[$2]}"
}
fifty() { _i=0; _o=$1; while [ $_i -lt 49 ]; do _o="$_o,$1"; _i=$((_i + 1)); done; echo "$_o"; }
CHG='^- Reload of 10,000 rules, every rule changed'
chg chgok "$(fifty 30000.0)"
case $(line chgok "$CHG") in *"**met**"*) pass "changed reloads of 30 ms: met" ;;
	*) fail "changed reloads of 30 ms: met"; diag "$(line chgok "$CHG")" ;; esac
chg chgslow "$(fifty 30000.0),90000.0"
case $(line chgslow "$CHG") in *"**missed**"*) pass "a changed reload of 90 ms in 51: missed (p99)" ;;
	*) fail "a changed reload of 90 ms in 51: missed (p99)"; diag "$(line chgslow "$CHG")" ;; esac
chg chgbad "$(fifty 30000.0),failed"
case $(line chgbad "$CHG") in *"not measured"*) pass "a failed changed reload: not measured" ;;
	*) fail "a failed changed reload: not measured"; diag "$(line chgbad "$CHG")" ;; esac
case $(line good "$CHG") in *"not measured"*) pass "no changed-reload samples: not measured" ;;
	*) fail "no changed-reload samples: not measured"; diag "$(line good "$CHG")" ;; esac
# a rollback (two sets in turn, "10000-alternate") is reported apart: fast
# alternating reloads decide neither the changed nor the unchanged target
report alt "\$a {\"reload\":\"10000-alternate\",\"us\":[$(fifty 1000.0)]}"
case $(line alt "$CHG") in *"not measured"*) pass "alternating reloads only: every-rule-changed not measured" ;;
	*) fail "alternating reloads only: every-rule-changed not measured"; diag "$(line alt "$CHG")" ;; esac
check "alternating reloads reported as a rollback, apart" grep -q 'switching between two sets of 10,000 different rules (a rollback' "$w/alt.md"
is_same() { [ "$(line alt "$1")" = "$(line good "$1")" ]; }
check "alternating reloads leave the unchanged-reload figure as it was" is_same '^- Reload of 10,000 rules, no file'

# the syscall tracepoint of the baseline (enf_execve, type 5): missed; gone: met;
# a profile without types: not measured
l=$(line good '^- Exec: no syscall tracepoint')
case $l in *"**missed**"*"enf_execve"*) pass "enf_execve (a tracepoint) loaded: missed" ;;
	*) fail "enf_execve (a tracepoint) loaded: missed"; diag "$l" ;; esac
report notp '/"prog":"enf_execve/d'
l=$(line notp '^- Exec: no syscall tracepoint')
case $l in *"**met**"*) pass "no tracepoint program: met" ;;
	*) fail "no tracepoint program: met"; diag "$l" ;; esac
report notype 's/"type":[0-9]*,//'
l=$(line notype '^- Exec: no syscall tracepoint')
case $l in *"not measured"*) pass "program types not recorded: not measured" ;;
	*) fail "program types not recorded: not measured"; diag "$l" ;; esac

# a denied connect is cheaper than an allowed one: no negative "cost"
l=$(line good '^\| TCP connect, loopback \| [0-9.]* \| [0-9.]* \|')
case $l in *"| -"[0-9]*) fail "denied connect: no negative C4-C3"; diag "$l" ;;
	*"denied before the work"*) pass "denied connect: no negative C4-C3" ;;
	*) fail "denied connect: no negative C4-C3"; diag "$l" ;; esac
check "no negative C4-C3 anywhere in the ratios table" \
	sh -c "! sed -n '/^## Ratios and targets/,/^## /p' '$w/good.md' | grep -Eq '\| [-][0-9]+ \|\$'"

# issue 19's pattern points: decided only from complete, allowed, governed samples
for nr in 10 10000; do
	for np in 0 1 16; do
		for s in 1 2 3; do
			printf '{"sweep":"patterns","rules":%d,"patterns":%d,"sample":%d,"warmup":false,"ns":%d,"eperm":0,"checks":2000}\n' \
				$nr $np $s $((3000 + np * 10 + s))
		done
	done
done > "$w/pt.json"
report ptgood "\$r $w/pt.json"
l=$(line ptgood '^- \(issue 19\) The cost of patterns')
case $l in *"**met**"*) pass "pattern points complete and flat: met" ;;
	*) fail "pattern points complete and flat: met"; diag "$l" ;; esac
sed 's/\("rules":10000,"patterns":16,"sample":2,.*"checks":\)2000/\11999/' "$w/pt.json" > "$w/ptfew.in"
report ptfew "\$r $w/ptfew.in"
check "a pattern sample with fewer policy checks than opens: exit 1" [ "$rc" = 1 ]
l=$(line ptfew '^- \(issue 19\) The cost of patterns')
case $l in *"not measured"*) pass "a pattern sample not shown governed: not measured" ;;
	*) fail "a pattern sample not shown governed: not measured"; diag "$l" ;; esac
l=$(line good '^- \(issue 19\)')
check "no pattern samples: no issue 19 line" [ -z "$l" ]

# the cold path (first open of each of N files after a reload): decided
# only from complete samples, C3 governed (checks >= N) and nothing denied
: > "$w/cold.json"
for c in C0:8000 C1:8200 C2:8400 C3:12000 P1:10000 P2:10500; do
	for r in 0 1 2 3 4 5 6; do
		wu=false
		case $r in 0|4) wu=true ;; esac
		ck=
		[ "${c%%:*}" = C3 ] && ck=',"checks":2000'
		printf '{"cold":"%s","round":%d,"warmup":%s,"ns":%d,"eperm":0%s}\n' "${c%%:*}" $r $wu "${c#*:}" "$ck" >> "$w/cold.json"
	done
done
COLD='^- First open of a file after a reload'
report coldgood "\$r $w/cold.json"
check "cold samples complete: exit 0" [ "$rc" = 0 ]
l=$(line coldgood "$COLD")
case $l in *"C3/P1 1.20"*"**met**"*) pass "cold path 1.2x AppArmor: met" ;;
	*) fail "cold path 1.2x AppArmor: met"; diag "$l" ;; esac
sed 's/\("cold":"C3","round":2,.*"checks":\)2000/\11999/' "$w/cold.json" > "$w/coldfew.in"
report coldfew "\$r $w/coldfew.in"
check "a cold C3 sample with fewer policy checks than files: exit 1" [ "$rc" = 1 ]
l=$(line coldfew "$COLD")
case $l in *"not measured"*) pass "a cold C3 sample not shown governed: not measured" ;;
	*) fail "a cold C3 sample not shown governed: not measured"; diag "$l" ;; esac
sed 's/\("cold":"P1","round":5,.*"eperm":\)0/\13/' "$w/cold.json" > "$w/colddeny.in"
report colddeny "\$r $w/colddeny.in"
l=$(line colddeny "$COLD")
case $l in *"not measured"*) pass "a cold P1 sample with denials: not measured" ;;
	*) fail "a cold P1 sample with denials: not measured"; diag "$l" ;; esac
sed 's/^\({"cold":"C3".*"ns":\)12000/\116000/' "$w/cold.json" > "$w/coldslow.in"
report coldslow "\$r $w/coldslow.in"
l=$(line coldslow "$COLD")
case $l in *"C3/P1 1.60"*"**missed**"*) pass "cold path 1.6x AppArmor: missed" ;;
	*) fail "cold path 1.6x AppArmor: missed"; diag "$l" ;; esac
l=$(line good "$COLD")
case $l in *"not measured"*) pass "no cold samples: not measured" ;;
	*) fail "no cold samples: not measured"; diag "$l" ;; esac

echo "1..$n"
exit $failed
