# SPDX-License-Identifier: GPL-2.0-only
# 20-boot.sh - second boot of the real host (after 10-install.sh): enforcer
# started at boot before the ordinary service it governs; reload through
# systemd (a broken policy fails the reload and keeps the set; RELOADING=1
# and READY=1 reach systemd); the watchdog is fed; restart and kill -9
# under a load loop with zero slips; journal priorities.
# guest-timeout: 900
. t/vm/host/ht-fixtures.sh

systemctl start ht-before.service

# ---- boot ordering ----
is "$(systemctl is-enabled enforcer)" enabled "enforcer enabled"
ok "enforcer active after boot" ht_wait_active
is "$(systemctl show -P NRestarts enforcer)" 0 "enforcer started once at boot (no restart)" || ht_enforcer_diag
is "$(unit_state ht-boot.service)" active "ht-boot.service ran at boot"
is "$(cat /var/lib/ht-boot.result 2>&1 | paste -sd' ' -)" "EPERM EPERM" \
	"ht-boot.service, started at boot, was already denied (exec, open)"
e_ready=$(systemctl show -P ActiveEnterTimestampMonotonic enforcer)
b_start=$(systemctl show -P ExecMainStartTimestampMonotonic ht-boot.service)
ok "enforcer was live (active) before ht-boot.service started ($e_ready < $b_start)" \
	test "$e_ready" -gt 0 -a "$e_ready" -lt "$b_start"
s_init=$(systemctl show -P ActiveEnterTimestampMonotonic sysinit.target)
ok "enforcer was live before sysinit.target ($e_ready <= $s_init)" test "$e_ready" -le "$s_init"
gen=$(enforcerctl --json status | jsonget generation)
like "$gen" '^[0-9]+$' "generation after boot: $gen"

# ---- reload through systemd ----
journal_mark /tmp/ht-j0
systemd-analyze log-level debug
printf '[policy]\nname = extra\nunit = ht-extra.service\n[exec]\ndeny = /usr/local/bin/probe\n' \
	> /etc/enforcer/policies/extra.ini
out=$(systemctl reload enforcer 2>&1)
is "$?" 0 "systemctl reload enforcer with a new policy succeeds" || { diag "$out"; ht_enforcer_diag; }
gen2=$(enforcerctl --json status | jsonget generation)
ok "generation advanced ($gen -> $gen2)" test "$gen2" -gt "$gen"
like "$(systemctl show -P StatusText enforcer)" "^enforcing generation $gen2, 3 policies$" "status text: new generation, 3 policies"
rm -f /etc/enforcer/policies/extra.ini
printf '[policy]\nname = broken\n[exec]\ndeny = relative/path\n' > /etc/enforcer/policies/broken.ini
systemctl reload enforcer 2>/dev/null
rc=$?
ok "systemctl reload with a broken policy fails (exit $rc)" test "$rc" != 0
is "$(unit_state enforcer)" active "enforcer still active after the failed reload"
is "$(enforcerctl --json status | jsonget generation)" "$gen2" "failed reload keeps the generation"
is "$(ht_in_unit ht-before.service probe exec $DENYME)" EPERM "failed reload keeps the set: still denied"
like "$(systemctl show -P StatusText enforcer)" '\(last reload failed\)$' "status text says the last reload failed"
rm -f /etc/enforcer/policies/broken.ini
systemctl kill -s HUP --kill-who=main enforcer
wait_for 60 sh -c '[ "$(enforcerctl --json status | jsonget generation)" -gt '"$gen2"' ]'
gen3=$(enforcerctl --json status | jsonget generation)
ok "SIGHUP reloads ($gen2 -> $gen3)" test "$gen3" -gt "$gen2"
sleep 16   # one watchdog interval (WatchdogSec=30s: a ping every 15 s)
systemd-analyze log-level info
notes=$(journal_since /tmp/ht-j0 -u enforcer -o cat | grep 'Got notification message')
like "$notes" 'RELOADING=1' "systemd got RELOADING=1 from enforcerd"
like "$notes" 'READY=1.*STATUS=enforcing generation' "systemd got READY=1 with the status after a reload"
like "$notes" 'WATCHDOG=1' "systemd got WATCHDOG=1 pings"
is "$(systemctl show -P WatchdogUSec enforcer)" 30s "watchdog armed (30 s)"

# ---- restart, kill -9 and a watchdog-sized wait under a load loop ----
rm -f /run/ht-load.stop
systemd-run -q --unit=ht-load --wait --pipe --collect /usr/local/bin/hammer /run/ht-load.stop \
	exec:$DENYME:EPERM open:$SECRET:EPERM udp:127.0.0.2:9:EPERM open:$PLAIN:ok \
	</dev/null > /tmp/ht-load.out 2>&1 &
LOADPID=$!
wait_for 30 sh -c '[ "$(systemctl show -P ActiveState ht-load.service)" = active ]'
n0=$(systemctl show -P NRestarts enforcer)
systemctl restart enforcer
is "$(unit_state enforcer)" active "systemctl restart enforcer under load" || ht_enforcer_diag
pid=$(systemctl show -P MainPID enforcer)
kill -9 "$pid"
wait_for 30 sh -c '[ "$(systemctl show -P NRestarts enforcer)" -gt '"$n0"' ]'
ok "kill -9: systemd restarted enforcer (Restart=always)" ht_wait_active
ok "kill -9: a new main pid" test "$(systemctl show -P MainPID enforcer)" != "$pid"
like "$(enforcerctl --json status 2>&1)" '"adopted":true' "the restarted enforcerd adopted the pinned state"
sleep 5
touch /run/ht-load.stop
wait "$LOADPID"
rc=$?
load=$(cat /tmp/ht-load.out)
diag "$load"
is "$rc" 0 "load loop: zero slips through restart and kill -9 (hammer exit 0)"
like "$load" 'rounds=[1-9][0-9]* violations=0' "load loop ran rounds, no violation"
n1=$(systemctl show -P NRestarts enforcer)
is "$n1" "$((n0 + 1))" "one automatic restart (the kill -9), no watchdog kill"

# ---- the journal ----
warn=$(journalctl -u enforcer -p warning -o cat --no-pager)
like "$warn" '"action":"deny".*"policy":"ht"' "deny lines found with journalctl -u enforcer -p warning"
like "$warn" "\"path\":\"$SECRET\"" "a file deny line among them"
like "$warn" 'reload: .*relative' "the failed reload's error is at warning or above"
if printf '%s\n' "$warn" | grep -q 'reload: generation\|enforcement live'; then
	fail "routine output (reload answers, start) stays below warning"
	diag "$(printf '%s\n' "$warn" | grep 'reload: generation\|enforcement live' | head -5)"
else
	pass "routine output (reload answers, start) stays below warning"
fi
like "$(journalctl -u enforcer -p info -o cat --no-pager | grep -c 'reload: generation')" '^[1-9]' \
	"routine reload lines are in the journal at info"
ndeny=$(printf '%s\n' "$warn" | grep -c '"action":"deny"')
nother=$(printf '%s\n' "$warn" | grep -v '"action":"deny"' | grep -c 'enforcerd')
diag "journal at warning: $ndeny deny lines, $nother other enforcerd lines"
ok "deny lines are valid JSON (the priority prefix is not part of them)" \
	sh -c 'journalctl -u enforcer -p warning -o cat --no-pager | grep "^{" | jsonget >/dev/null'
