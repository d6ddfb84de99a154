#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# 44-peer-cases.t - issue 19 on the host: peer test cases (KubeArmor's
# ksp suite) written as enforcer policies in t/peer/ pass `enforcerctl
# test` as the peer expects; t/peer/README accounts for every case
# (written, not-written with why, excluded), and the share is reported.
cd "$(dirname "$0")/.." || exit 1
CTL=build/enforcerctl
D=t/peer
n=0
failed=0
pass() { n=$((n + 1)); echo "ok $n - $*"; }
fail() { n=$((n + 1)); failed=1; echo "not ok $n - $*"; }
diag() { printf '%s\n' "$*" | sed 's/^/# /'; }
check() { d=$1; shift; if "$@"; then pass "$d"; else fail "$d"; fi; }

[ -x "$CTL" ] || { echo "1..1"; echo "not ok 1 - $CTL missing (run make)"; exit 1; }
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT

# the index and the files agree: every written case has its pair, every pair is written
grep '^written ' $D/README | sed 's/^written //' | sort > "$T/index"
ls $D/ka-*.ini | sed 's|.*/ka-||; s|\.ini$||' | sort > "$T/files"
check "t/peer/README lists a written line for each ka-*.ini, and no other" cmp -s "$T/index" "$T/files"
for f in $D/ka-*.ini; do
	[ -f "${f%.ini}.test" ] || fail "${f%.ini}.test missing"
done
check "every not-written case says why" sh -c '! grep "^not-written " "$1" | grep -qv "^not-written [a-z0-9-]*: ."' - $D/README
check "at least 25 cases written" test "$(wc -l < "$T/index")" -ge 25

# the peer's expectations hold
want=$(cat $D/ka-*.test | sed 's/[;#].*//' | grep -c -- '->')
out=$("$CTL" test $D 2>&1); rc=$?
check "enforcerctl test t/peer: exit 0" test "$rc" = 0
check "every expectation of the peer tests holds ($want)" \
	sh -c 'printf "%s\n" "$1" | tail -1 | grep -qx "$2 passed, 0 failed, 0 errors"' - "$out" "$want"
[ "$rc" = 0 ] || diag "$(printf '%s\n' "$out" | grep -v '^ok ')"

# the run can fail: one expectation turned around is reported
cp $D/ka-*.ini $D/ka-*.test "$T/"
sed -i 's|^open /secret.txt read exe /usr/bin/cat -> deny$|open /secret.txt read exe /usr/bin/cat -> allow|' \
	"$T/ka-group-2-block-file-path-from-source-path.test"
out=$("$CTL" test "$T" 2>&1)
check "a turned expectation fails, naming the deciding rule" \
	sh -c 'printf "%s\n" "$1" | grep -q "^FAIL .*ka-group-2-block-file-path-from-source-path.test:.*want allow, got deny (ka-group-2-block-file-path-from-source-path \[file\]: deny = /secret.txt exe /usr/bin/cat"' - "$out"

w=$(wc -l < "$T/index")
nw=$(grep -c '^not-written ' $D/README)
ex=$(grep -c '^excluded ' $D/README)
diag "share: $w of $((w + nw)) blocking KubeArmor cases written ($((100 * w / (w + nw)))%), $want expectations; $ex audit-only cases excluded"
echo "1..$n"
exit $failed
