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

journal_mark() {
	journalctl -n 0 --show-cursor -q | sed -n 's/^-- cursor: //p' > "$1"
}

journal_since() {
	journalctl --after-cursor="$(cat "$1")" -q --no-pager "${@:2}"
}
