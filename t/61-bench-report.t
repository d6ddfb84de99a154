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
# does the cold path (first opens after a reload).  Exec and connect: the
# paired estimate (per round, the median iteration of C1/C2/C3 less C0's)
# decides only from complete, checked samples whose per-round floor is
# positive and narrower than itself, and the profile estimate (bpf_stats
# per operation over the empty twins) is computed and labelled beside it,
# not measured when a window is missing.  Runs in a scratch directory
# (BENCHMARKS.md untouched).
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

# ---- exec and connect: the paired per-iteration medians (p50 by round) ----
# pp NAME AWK-P50: base.json with "p50" added to the C0..C3 connect samples,
# the value from AWK-P50 (awk expression of c, the configuration, and r, the
# round); then the report
pp() {
	awk -v OFS= '/"cfg":"C[0-3]","wl":"connect"/ {
		c = $0; sub(/.*"cfg":"/, "", c); c = substr(c, 1, 2)
		r = $0; sub(/.*"round":/, "", r); r = r + 0
		sub(/}$/, ",\"p50\":" ('"$2"') "}")
	} { print }' "$w/base.json" > "$w/$1.in"
	ran "$1" "$w/$1.in"
}
ran() {   # ran NAME FILE: the report on FILE, as report does
	cp "$2" "$w/$1.json"
	(cd "$w" && sh t/bench/report.sh "$1.json" >/dev/null 2>"$w/$1.err")
	rc=$?
	cp "$w/BENCHMARKS.md" "$w/$1.md" 2>/dev/null || : > "$w/$1.md"
}
FLC='^- Floor multiple, TCP connect'
C2C='^- C2 overhead vs floor, TCP connect'
# C0 56000, C1 +750, C2 +100, C3 +1200 in every round: 1.60 met, C2 0.13 met
PBASE='c == "C0" ? 56000 : c == "C1" ? 56750 : c == "C2" ? 56100 : 57200'
pp pgood "$PBASE"
check "paired p50: the report exits 0" [ "$rc" = 0 ]
l=$(line pgood "$FLC")
case $l in *"paired per-iteration medians: 1.60 [1.60-1.60]: **met**"*) pass "paired p50, C3-C0 1200 over a floor of 750: 1.60 met" ;;
	*) fail "paired p50, C3-C0 1200 over a floor of 750: 1.60 met"; diag "$l" ;; esac
l=$(line pgood "$C2C")
case $l in *"paired per-iteration medians: 0.13 [0.13-0.13]: **met**"*) pass "paired p50, C2-C0 100: 0.13 met" ;;
	*) fail "paired p50, C2-C0 100: 0.13 met"; diag "$l" ;; esac
check "paired p50: the table shows the per-round floor" grep -q '^| TCP connect, loopback | 56000 | +750, +750, +750, +750, +750 | +750 |' "$w/pgood.md"
# C3 +2000: 2.67 missed
pp pslow 'c == "C0" ? 56000 : c == "C1" ? 56750 : c == "C2" ? 56100 : 58000'
l=$(line pslow "$FLC")
case $l in *"paired per-iteration medians: 2.67 [2.67-2.67]: **missed**"*) pass "paired p50, C3-C0 2000: 2.67 missed" ;;
	*) fail "paired p50, C3-C0 2000: 2.67 missed"; diag "$l" ;; esac
# a drift shared by every configuration of a round (C0 56000 to 64000): the
# pairing cancels it (C0'"'"'s own spread is ten times the floor)
pp pdrift "($PBASE)"' + 2000 * (r % 5)'
l=$(line pdrift "$FLC")
case $l in *"paired per-iteration medians: 1.60 [1.60-1.60]: **met**"*) pass "a drift shared by each round: cancelled by pairing, 1.60 met" ;;
	*) fail "a drift shared by each round: cancelled by pairing, 1.60 met"; diag "$l" ;; esac
# one round'"'"'s C1-C0 negative: the floor is not decided
pp pneg 'c == "C1" && r == 2 ? 55900 : '"$PBASE"
l=$(line pneg "$FLC")
case $l in *"paired per-iteration medians: n/a: undecided"*) pass "a negative per-round floor: undecided" ;;
	*) fail "a negative per-round floor: undecided"; diag "$l" ;; esac
# a per-round floor of +750 in three rounds and +2000 in two: range 1250
# above the median 750: undecided
pp pwide 'c == "C1" && (r == 2 || r == 5) ? 58000 : '"$PBASE"
l=$(line pwide "$FLC")
case $l in *"paired per-iteration medians: n/a: undecided"*) pass "a per-round floor wider than itself: undecided" ;;
	*) fail "a per-round floor wider than itself: undecided"; diag "$l" ;; esac
# the per-round floor within its median: decided, the interval from the ranges
pp pint 'c == "C1" && r == 2 ? 57000 : c == "C3" && r == 3 ? 57500 : '"$PBASE"
l=$(line pint "$FLC")
case $l in *"paired per-iteration medians: 1.60 [1.20-2.00]: **met**"*) pass "per-round floors 750..1000, C3-C0 1200..1500: 1.60 [1.20-2.00] met" ;;
	*) fail "per-round floors 750..1000, C3-C0 1200..1500: 1.60 [1.20-2.00] met"; diag "$l" ;; esac
# a C3 round without its p50: not decided, never met
sed '/"cfg":"C3","wl":"connect","round":5,/s/,"p50":[0-9.]*//' "$w/pgood.in" > "$w/pgap.in"
ran pgap "$w/pgap.in"
l=$(line pgap "$FLC")
case $l in *"paired per-iteration medians: n/a: **not measured**"*) pass "a C3 round without p50: not measured" ;;
	*) fail "a C3 round without p50: not measured"; diag "$l" ;; esac
# C3 samples not shown governed: no paired multiple from them
sed 's/\("cfg":"C3","wl":"connect".*\),"checks":[0-9]*/\1/' "$w/pgood.in" > "$w/pgov.in"
ran pgov "$w/pgov.in"
l=$(line pgov "$FLC")
case $l in *"medians: n/a: **not measured**"*) pass "C3 not shown governed: no paired multiple" ;;
	*) fail "C3 not shown governed: no paired multiple"; diag "$l" ;; esac
l=$(line good "$FLC")
case $l in *"paired"*) fail "no p50 in the samples: no paired estimate"; diag "$l" ;;
	*) pass "no p50 in the samples: no paired estimate" ;; esac

# ---- the floor multiples by the profile (bpf_stats per operation) ----
# psum lines for CFG:WL:0|1|2 such that each window is a wrapper cost W plus
# it(N) operations of X ns and K runs each: the report must recover X and K
prof() {   # prof CFG WL N X K
	awk -v c=$1 -v w=$2 -v n=$3 -v x=$4 -v k=$5 'BEGIN {
		i1 = n + int(n / 8) + 1; i2 = 2 * n + int(2 * n / 8) + 1
		t0 = 1000000; c0 = 5000
		t1 = t0 + 7777 + i1 * x; c1 = c0 + 11 + i1 * k
		t2 = t1 + 7777 + i2 * x; c2 = c1 + 11 + i2 * k
		printf "{\"psum\":\"%s:%s:0\",\"run_time_ns\":%d,\"run_cnt\":%d,\"progs\":17}\n", c, w, t0, c0
		printf "{\"psum\":\"%s:%s:1\",\"run_time_ns\":%d,\"run_cnt\":%d,\"progs\":17}\n", c, w, t1, c1
		printf "{\"psum\":\"%s:%s:2\",\"run_time_ns\":%d,\"run_cnt\":%d,\"progs\":17}\n", c, w, t2, c2
	}'
}
{
	for c in C1:68 C2:120 C3:370; do
		prof ${c%%:*} open1 2000 ${c#*:} 1
		prof ${c%%:*} open8 2000 ${c#*:} 1
	done
	# exec: 8 runs per op; C1 8 x 68, C2 +200, C3 +6000; connect: 4 runs, C2 +40, C3 +400
	prof C1 exec 100 544 8; prof C2 exec 100 744 8; prof C3 exec 100 6544 8
	prof C1 connect 200 272 4; prof C2 connect 200 312 4; prof C3 connect 200 672 4
} > "$w/prof.in"
report prof "\$r $w/prof.in"
# one trampoline call: the baseline'"'"'s open floors (C1-C0) over 1 run per open
tc=$(sed -n 's/^One trampoline call: \([0-9]*\) instructions.*/\1/p' "$w/prof.md")
check "profile: the cost of one trampoline call from the open samples" [ -n "$tc" ]
exp_m() {   # exp_m PART RUNS: 1 + PART / (RUNS x tc), as the report prints it
	awk -v p=$1 -v k=$2 -v t="$tc" 'BEGIN { printf "%.2f", 1 + p / (k * t) }'
}
E=$(exp_m 6000 8)
l=$(line prof '^- Floor multiple, vfork\+exec')
case $l in *"by the profile (a second estimate): $E: **missed**"*) pass "profile: exec 6000 over 8 calls: $E missed" ;;
	*) fail "profile: exec 6000 over 8 calls: $E missed"; diag "$l" ;; esac
E=$(exp_m 400 4)
l=$(line prof "$FLC")
case $l in *"by the profile (a second estimate): $E: **met**"*) pass "profile: connect 400 over 4 calls: $E met" ;;
	*) fail "profile: connect 400 over 4 calls: $E met"; diag "$l" ;; esac
E=$(exp_m 200 8)
l=$(line prof '^- C2 overhead vs floor, vfork\+exec')
case $l in *"by the profile (a second estimate): $E: **met**"*) pass "profile: C2 exec 200 over 8 calls: $E met" ;;
	*) fail "profile: C2 exec 200 over 8 calls: $E met"; diag "$l" ;; esac
check "profile: the per-operation table" grep -q '^| vfork+exec (static no-op) | 8.00 | [0-9]* | 544 | 744 | 6544 | +6000 |' "$w/prof.md"
# a window'"'"'s last dump missing: not measured
sed '/"psum":"C3:connect:2"/d' "$w/prof.in" > "$w/profgap.in"
report profgap "\$r $w/profgap.in"
l=$(line profgap "$FLC")
case $l in *"by the profile (a second estimate): n/a: **not measured**"*) pass "profile: a missing window: not measured" ;;
	*) fail "profile: a missing window: not measured"; diag "$l" ;; esac
l=$(line good "$FLC")
case $l in *"by the profile (a second estimate): n/a: **not measured**"*) pass "no profile windows: not measured" ;;
	*) fail "no profile windows: not measured"; diag "$l" ;; esac

echo "1..$n"
exit $failed
