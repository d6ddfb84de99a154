#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# 44-peer-cases.t - issue 19 on the host: peer test cases written as
# enforcer policies in t/peer/ (KubeArmor's ksp suite: ka-*, with .test
# files that pass `enforcerctl test` as the peer expects; Landlock's
# selftests: ll-*, with .ktest steps the kernel runs in
# t/vm/guest/25-policy-tests.sh; Tetragon's tests and example policies:
# tg-*, with a .test where the model can judge them, else a .ktest);
# t/peer/README accounts for every case
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
grep -E '^(written|differs) ' $D/README | sed -E 's/^(written|differs) //; s/:.*//' | sort > "$T/index"
ls $D/ka-*.ini $D/ll-*.ini $D/tg-*.ini | sed 's|.*/||; s|\.ini$||' | sort > "$T/files"
check "t/peer/README lists a written or differs line for each ka-*.ini, ll-*.ini and tg-*.ini, and no other" cmp -s "$T/index" "$T/files"
for f in $D/ka-*.ini; do
	[ -f "${f%.ini}.test" ] || fail "${f%.ini}.test missing"
done
for f in $D/ll-*.ini; do
	[ -f "${f%.ini}.ktest" ] || fail "${f%.ini}.ktest missing"
done
for f in $D/tg-*.ini; do
	[ -f "${f%.ini}.test" ] || [ -f "${f%.ini}.ktest" ] || fail "${f%.ini}.test or .ktest missing"
done
check "the ll-*.ini and tg-*.ini compile (enforcerctl check)" sh -c '"$1" check "$2"/ll-*.ini "$2"/tg-*.ini > /dev/null' - "$CTL" $D
check "every tg .ktest step is an action actrun does, with a verdict" sh -c \
	'! sed "s/[;#].*//" "$1"/tg-*.ktest | grep . | grep -Evq "^(pre )?(unlink|rmdir|mkdir|mknod|symlink|link|rename|exchange|open|finit_module) [^>]* -> (allow|deny|error:E[A-Z]+)\$"' - $D
check "every .ktest step is a name operation with a verdict" sh -c \
	'! sed "s/[;#].*//" "$1"/ll-*.ktest | grep . | grep -Evq "^(pre )?(unlink|rmdir|mkdir|mknod|symlink|link|rename|exchange) [^>]* -> (allow|deny|error:E[A-Z]+)\$"' - $D
check "every not-written and differs case says why" sh -c '! grep -E "^(not-written|differs) " "$1" | grep -Eqv "^(not-written|differs) [a-z0-9-]*: ."' - $D/README
check "at least 25 KubeArmor cases written" test "$(grep -c '^ka-' "$T/index")" -ge 25
check "at least 12 Tetragon cases written" test "$(grep -c '^tg-' "$T/index")" -ge 12

# the peer's expectations hold
want=$(cat $D/ka-*.test $D/tg-*.test | sed 's/[;#].*//' | grep -c -- '->')
out=$("$CTL" test $D/ka-*.test $D/tg-*.test 2>&1); rc=$?
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

for peer in ka ll tg; do
	w=$(grep -c "^$peer-" "$T/index")
	df=$(grep -c "^differs $peer-" $D/README)
	nw=$(grep -c "^not-written $peer-" $D/README)
	ex=$(grep -c "^excluded $peer-" $D/README)
	diag "share ($peer): of $((w + nw)) blocking cases looked at, $w written ($((100 * w / (w + nw)))%), $((w - df)) enforced as the peer expects ($((100 * (w - df) / (w + nw)))%); $ex excluded"
done
diag "KubeArmor and Tetragon: $want expectations checked here ($(cat $D/tg-*.test | sed 's/[;#].*//' | grep -c -- '->') Tetragon's); Tetragon's kernel-only: $(sed 's/[;#].*//' $D/tg-*.ktest | grep -v '^pre ' | grep -c -- '->') steps; Landlock (the tests chosen for remove, create, refer): $(sed 's/[;#].*//' $D/ll-*.ktest | grep -c -- '->') steps, kernel only"
echo "1..$n"
exit $failed
