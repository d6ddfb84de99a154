#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# 17-policy-tests.t - issue 17 on the host: `enforcerctl test` runs the
# NAME.test files shipped beside policies/*.ini with the offline matching
# model (every action passes, the count is every action line), a wrong
# expectation fails with the deciding rule, malformed lines are file:line
# errors; `enforcerctl explain` names the policies, the deciding rule and
# the verdict, and refuses bad input with a clear message.
cd "$(dirname "$0")/.." || exit 1
CTL=build/enforcerctl
n=0
failed=0
pass() { n=$((n + 1)); echo "ok $n - $*"; }
fail() { n=$((n + 1)); failed=1; echo "not ok $n - $*"; }
diag() { printf '%s\n' "$*" | sed 's/^/# /'; }
check() { # check DESC COMMAND...: pass when COMMAND succeeds
	d=$1; shift
	if "$@"; then pass "$d"; else fail "$d"; fi
}

[ -x "$CTL" ] || { echo "1..1"; echo "not ok 1 - $CTL missing (run make)"; exit 1; }
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT

# every shipped policy has its test file
for p in policies/*.ini; do
	check "${p%.ini}.test shipped beside $p" test -f "${p%.ini}.test"
done

want=$(cat policies/*.test | sed 's/[;#].*//' | grep -c -- '->')
out=$("$CTL" test policies 2>&1); rc=$?
check "enforcerctl test policies: exit 0" test "$rc" = 0
check "every action of the shipped tests passed ($want)" \
	sh -c 'printf "%s\n" "$1" | tail -1 | grep -qx "$2 passed, 0 failed, 0 errors"' - "$out" "$want"
[ "$rc" = 0 ] || diag "$out"
okl=$(printf '%s\n' "$out" | grep -c '^ok ')
check "one ok line per action ($okl)" test "$okl" = "$want"
out=$("$CTL" test policies/demo.test 2>&1)
check "one file: enforcerctl test policies/demo.test" \
	sh -c 'printf "%s\n" "$1" | tail -1 | grep -q "^[1-9][0-9]* passed, 0 failed, 0 errors$"' - "$out"
out=$(cd policies && "../$CTL" test demo.test 2>&1); rc=$?
check "one file named without a directory (test demo.test in its directory): exit 0" \
	sh -c '[ "$1" = 0 ] && printf "%s\n" "$2" | tail -1 | grep -q "^[1-9][0-9]* passed, 0 failed, 0 errors$"' - "$rc" "$out"

# a wrong expectation fails, naming the deciding rule
cp policies/*.ini policies/*.test "$T"/
sed -i 's|^exec /usr/bin/curl -> deny$|exec /usr/bin/curl -> allow|' "$T/demo.test"
out=$("$CTL" test "$T" 2>&1); rc=$?
check "a wrong expectation: exit 1" test "$rc" = 1
check "the failure names want, got and the rule that decided" sh -c 'printf "%s\n" "$1" | grep -qF "FAIL $2/demo.test:2: exec /usr/bin/curl -> want allow, got deny (demo [exec]: deny = /usr/bin/curl (line 13))"' - "$out" "$T"

# malformed lines: file:line errors, exit 1
cp policies/demo.test "$T/demo.test"
printf 'exec /usr/bin/ls => allow\nopen /etc/passwd sideways -> deny\nconnect 10.0.0.1 99999 -> allow\n' >>"$T/demo.test"
L=$(wc -l <"$T/demo.test")
out=$("$CTL" test "$T/demo.test" 2>&1); rc=$?
check "malformed lines: exit 1" test "$rc" = 1
check "missing arrow reported at its line" sh -c 'printf "%s\n" "$1" | grep -qF "$2/demo.test:$3: missing '"'"'-> VERDICT'"'"'"' - "$out" "$T" $((L - 2))
check "unknown open word reported at its line" sh -c 'printf "%s\n" "$1" | grep -qF "$2/demo.test:$3: open: unknown word '"'"'sideways'"'"'"' - "$out" "$T" $((L - 1))
check "bad port reported at its line" sh -c 'printf "%s\n" "$1" | grep -qF "$2/demo.test:$3: bad port '"'"'99999'"'"'"' - "$out" "$T" "$L"
out=$("$CTL" test "$T/nonexistent.test" 2>&1); rc=$?
check "a missing test file: exit 1, clear message" sh -c '[ "$1" = 1 ] && printf "%s\n" "$2" | grep -q "no such file"' - "$rc" "$out"
mkdir "$T/empty"
out=$("$CTL" test "$T/empty" 2>&1); rc=$?
check "a directory without tests: exit 1" sh -c '[ "$1" = 1 ] && printf "%s\n" "$2" | grep -q "no NAME.test files"' - "$rc" "$out"
printf '[policy]\nname = broken\ncgroup = /b\n[exec]\ndeny = relative\n' >"$T/empty/broken.ini"
echo 'exec /x -> allow' >"$T/empty/broken.test"
out=$("$CTL" test "$T/empty" 2>&1); rc=$?
check "a broken policy: exit 1 with its file:line error" sh -c '[ "$1" = 1 ] && printf "%s\n" "$2" | grep -q "broken.ini:5:"' - "$rc" "$out"

# explain
out=$("$CTL" --json explain --policy-dir policies --cgroup /system.slice/nginx.service open /etc/ssh/sshd_config 2>&1); rc=$?
check "explain: exit 0" test "$rc" = 0
check "explain: verdict deny" sh -c 'printf "%s\n" "$1" | grep -q "\"verdict\":\"deny\",\"fail_closed\":false"' - "$out"
check "explain: the deciding rule and why" sh -c 'printf "%s\n" "$1" | grep -qF "\"policy\":\"nginx\",\"file\":\"policies/nginx.ini\",\"mode\":\"enforce\",\"hook\":\"file\",\"judged\":true,\"verdict\":\"deny\",\"rule\":\"deny = /etc/ssh/\",\"rule_line\":39,\"why\":\"the most specific directory rule covering it: /etc/ssh/\",\"over\":[{\"rule\":\"readonly = /etc/\",\"rule_line\":33"' - "$out"
check "explain: the stacked host-wide policy is named" sh -c 'printf "%s\n" "$1" | grep -qF "\"policy\":\"no-cloud-metadata\""' - "$out"
out=$("$CTL" explain --policy-dir policies --cgroup /demo connect 10.0.0.5 443 tcp 2>&1)
check "explain: connect allowed" sh -c 'printf "%s\n" "$1" | grep -q "\"verdict\":\"allow\",\"fail_closed\":false"' - "$out"
cp "$T/demo.ini" "$T/empty/broken.ini"
out=$("$CTL" explain --policy-dir "$T/empty" --cgroup /nobody exec /bin/ls 2>&1); rc=$?
check "explain: a cgroup no policy governs is a clear error (exit 1)" sh -c '[ "$1" = 1 ] && printf "%s\n" "$2" | grep -q "no policy in .* governs cgroup /nobody"' - "$rc" "$out"
"$CTL" explain --policy-dir policies --cgroup demo exec /bin/ls >/dev/null 2>&1; rc=$?
check "explain: a relative cgroup is a usage error (2)" test "$rc" = 2
"$CTL" explain --policy-dir policies --cgroup /demo exec >/dev/null 2>&1; rc=$?
check "explain: exec without a path is a usage error (2)" test "$rc" = 2
"$CTL" explain --policy-dir policies exec /bin/ls >/dev/null 2>&1; rc=$?
check "explain: no --cgroup is a usage error (2)" test "$rc" = 2
out=$("$CTL" explain --policy-dir /nonexistent --cgroup /demo exec /bin/ls 2>&1); rc=$?
check "explain: a missing policy directory: exit 1, clear message" sh -c '[ "$1" = 1 ] && printf "%s\n" "$2" | grep -q "not a policy directory"' - "$rc" "$out"

echo "1..$n"
exit $failed
