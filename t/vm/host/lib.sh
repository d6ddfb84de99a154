# SPDX-License-Identifier: GPL-2.0-only
# lib.sh - helpers for the real-host guest scripts (sourced by bash in the
# Debian/systemd VM; t/vm/host/harness.sh).  The TAP helpers are those of
# t/vm/lib.sh (pass, fail, ok, is, like, diag, wait_audit ...); added here:
#
#   host_reboot                 end this script; the guest reboots for real
#                               and the next script runs in the new boot
#   wait_for SECS CMD...        poll CMD every 0.2 s until it succeeds
#   unit_state UNIT             ActiveState of UNIT (active, failed ...)
#   journal_since CURSORFILE    journal lines after the cursor saved by
#                               journal_mark CURSORFILE
. "$HT_SRC/t/vm/lib.sh"
ENFORCERD=/usr/local/sbin/enforcerd
VMBIN=$HT_SRC/build/vm-bin

host_reboot() {
	touch /run/host-test-reboot
	touch /root/host-test/reached
	exit 0
}

# wait_for SECONDS CMD...: retry CMD until it succeeds or SECONDS of wall
# time have passed (a deadline, not a count: a slow CMD must not stretch it).
wait_for() {
	_end=$(( $(date +%s) + $1 ))
	shift
	while [ "$(date +%s)" -lt "$_end" ]; do
		"$@" && return 0
		sleep 0.2
	done
	"$@"
}

unit_state() {
	systemctl show -P ActiveState "$1"
}

# journal_mark FILE: log a marker entry of the test's own (never enforcer's)
# and keep its cursor.  Queries start AT the marker (--cursor), not after
# it: journalctl 252 (bookworm) with --after-cursor skips one entry too
# many when the cursor's entry does not match the query's filters (-u,
# -p), so the first deny line after the mark went missing.
journal_mark() {
	_jm="ht-mark-$(date +%s%N)"
	logger -t ht-mark "$_jm"
	_ji=0
	until journalctl -q --no-pager -t ht-mark -o cat | grep -qx "$_jm" || [ $_ji -ge 100 ]; do
		sleep 0.1
		_ji=$((_ji + 1))
	done
	journalctl -q --no-pager -t ht-mark -n 1 --show-cursor | sed -n 's/^-- cursor: //p' > "$1"
}

journal_since() {
	journalctl --cursor="$(cat "$1")" -q --no-pager "${@:2}"
}
