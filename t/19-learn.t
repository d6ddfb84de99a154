#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# 19-learn.t - issue 17 on the host: `enforcerctl learn --from AUDITLOG`
# writes, from a learning policy's audit-mode records, an allowlist policy
# that passes `enforcerctl check`, allows exactly what was learned and
# denies one new action of each kind (checked with `enforcerctl test`);
# bad targets and options get clear errors.
cd "$(dirname "$0")/.." || exit 1
CTL=$PWD/build/enforcerctl
n=0
failed=0
pass() { n=$((n + 1)); echo "ok $n - $*"; }
fail() { n=$((n + 1)); failed=1; echo "not ok $n - $*"; }
diag() { printf '%s\n' "$*" | sed 's/^/# /'; }
check() { d=$1; shift; if "$@"; then pass "$d"; else fail "$d"; fi; }
has() { printf '%s\n' "$1" | grep -qF -- "$2"; }

[ -x "$CTL" ] || { echo "1..1"; echo "not ok 1 - $CTL missing (run make)"; exit 1; }
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT

rec() { # rec HOOK FIELDS...: one audit-mode record of policy learn-app
	printf '{"time":"2026-12-01T10:00:%02dZ","action":"audit","hook":"%s","op":"open","policy":"learn-app","rule":"default","rule_line":0,"mode":"audit",%s}\n' "$1" "$2" "$3"
}
{
	rec 1 exec '"path":"/usr/bin/app","access":"exec"'
	rec 2 file '"path":"/usr/bin/app","access":"read"'
	rec 3 file '"path":"/etc/app/a.conf","access":"read"'
	rec 4 file '"path":"/etc/app/b.conf","access":"read"'
	rec 5 file '"path":"/etc/app/c.conf","access":"read"'
	rec 6 file '"path":"/etc/hosts","access":"read"'
	rec 7 file '"path":"/var/lib/app/db","access":"write"'
	rec 8 connect '"addr":"10.0.0.5","port":5432,"proto":"tcp","family":"ipv4"'
	rec 9 bind '"addr":"0.0.0.0","port":8080,"proto":"tcp","family":"ipv4"'
	rec 10 file '"path":"/etc/hosts","access":"read"'
	printf '{"time":"2026-12-01T10:00:11Z","action":"deny","hook":"exec","policy":"other","path":"/usr/bin/nc","access":"exec"}\n'
} > "$T/audit.log"

mkdir "$T/pol"
out=$("$CTL" learn --cgroup /app --from "$T/audit.log" --fold 3 -o "$T/pol/learned-app.ini" 2>&1); rc=$?
check "learn --from: exit 0" test "$rc" = 0
check "learn --from: says what it learned" has "$out" "10 records, 9 actions written to $T/pol/learned-app.ini"
P=$(cat "$T/pol/learned-app.ini")
check "the policy passes enforcerctl check" sh -c '"$1" --json check "$2" >/dev/null' - "$CTL" "$T/pol/learned-app.ini"
check "bound to the target, enforce mode" has "$P" "[policy]
name = learned-app
cgroup = /app
mode = enforce"
for s in exec file connect bind; do
	check "[$s] default = deny" has "$P" "[$s]
default = deny"
done
check "exec rule with hits and first/last use" has "$P" "allow = /usr/bin/app  ; hits 1, first 2026-12-01T10:00:01Z, last 2026-12-01T10:00:01Z"
check "three files of one directory folded (--fold 3)" has "$P" "readonly = /etc/app/  ; 3 files folded, hits 3"
check "a file read twice: readonly, 2 hits" has "$P" "readonly = /etc/hosts  ; hits 2"
check "a written file: allow" has "$P" "allow = /var/lib/app/db  ; hits 1"
check "connect rule" has "$P" "allow = 10.0.0.5 port 5432 tcp  ; hits 1"
check "bind rule" has "$P" "allow = 0.0.0.0 port 8080 tcp  ; hits 1"
check "another policy's record is not learned" sh -c '! grep -q /usr/bin/nc "$1"' - "$T/pol/learned-app.ini"

# the learned policy: what was learned passes, one new action of each kind is denied
cat > "$T/pol/learned-app.test" <<'TEST'
exec /usr/bin/app -> allow
open /etc/app/a.conf read -> allow
open /etc/app/d.conf read -> allow
open /etc/hosts read -> allow
open /var/lib/app/db write -> allow
connect 10.0.0.5 5432 tcp -> allow
bind 0.0.0.0 8080 tcp -> allow
exec /usr/bin/nc -> deny
open /etc/shadow read -> deny
open /etc/hosts write -> deny
open /etc/app/a.conf write -> deny
connect 10.0.0.5 80 tcp -> deny
connect 10.0.0.6 5432 tcp -> deny
bind 0.0.0.0 8081 tcp -> deny
TEST
out=$("$CTL" test "$T/pol" 2>&1); rc=$?
check "learned actions allowed, new ones denied (enforcerctl test: 14 passed)" \
	sh -c '[ "$1" = 0 ] && printf "%s\n" "$2" | tail -1 | grep -qx "14 passed, 0 failed, 0 errors"' - "$rc" "$out"
[ "$rc" = 0 ] || diag "$out"

# no folding
"$CTL" learn --cgroup /app --from "$T/audit.log" --fold 0 -o "$T/nofold.ini" 2>/dev/null
check "--fold 0 keeps every file" sh -c 'grep -q "^readonly = /etc/app/a.conf " "$1" && ! grep -q "^readonly = /etc/app/ " "$1"' - "$T/nofold.ini"
# the bound
out=$("$CTL" learn --cgroup /app --from "$T/audit.log" --max-actions 2 -o "$T/bound.ini" 2>&1)
check "--max-actions: new actions past it are reported in the policy" grep -q "WARNING: 8 records of new actions past the bound were not learned" "$T/bound.ini"

# errors
out=$("$CTL" learn --cgroup /app --from "$T/none.log" 2>&1); rc=$?
check "a missing audit log: exit 1, clear message" sh -c '[ "$1" = 1 ] && printf "%s\n" "$2" | grep -q "none.log: No such file"' - "$rc" "$out"
out=$("$CTL" learn --cgroup /other --from "$T/audit.log" 2>&1); rc=$?
check "no record of the learning policy: exit 1, clear message" sh -c '[ "$1" = 1 ] && printf "%s\n" "$2" | grep -q "no audit record of policy learn-other"' - "$rc" "$out"
out=$("$CTL" --socket "$T/nosock" learn --cgroup /no-such-cgroup-t19 2>&1); rc=$?
check "an unknown cgroup: exit 1, clear message" sh -c '[ "$1" = 1 ] && printf "%s\n" "$2" | grep -q "cgroup /no-such-cgroup-t19 does not exist"' - "$rc" "$out"
out=$("$CTL" --socket "$T/nosock" learn --unit no-such-unit-t19.service 2>&1); rc=$?
check "an unknown unit: exit 1, clear message" sh -c '[ "$1" = 1 ] && printf "%s\n" "$2" | grep -q "no cgroup named no-such-unit-t19.service"' - "$rc" "$out"
"$CTL" learn --from "$T/audit.log" >/dev/null 2>&1; rc=$?
check "no target: usage error (2)" test "$rc" = 2
"$CTL" learn --cgroup /a --unit b.service >/dev/null 2>&1; rc=$?
check "two targets: usage error (2)" test "$rc" = 2
"$CTL" learn --cgroup /a --duration 5x >/dev/null 2>&1; rc=$?
check "bad duration: usage error (2)" test "$rc" = 2
"$CTL" learn --cgroup a/b >/dev/null 2>&1; rc=$?
check "relative cgroup: usage error (2)" test "$rc" = 2

echo "1..$n"
exit $failed
