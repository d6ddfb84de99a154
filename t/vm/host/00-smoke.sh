# SPDX-License-Identifier: GPL-2.0-only
# 00-smoke.sh - the real-host VM itself: systemd is PID 1, the bpf LSM is
# active with Debian's default LSM list, the built tree arrived.
is "$(cat /proc/1/comm)" systemd "systemd is PID 1"
like "$(cat /sys/kernel/security/lsm)" '(^|,)bpf(,|$)' "bpf LSM active without lsm= (Debian's CONFIG_LSM)"
like "$(uname -r)" "^$HT_KVER\." "kernel series $HT_KVER"
ok "built enforcerd in the tree" test -x build/enforcerd
is "$(unit_state multi-user.target)" active "multi-user.target reached"
# Failed units are shown, not asserted: under a heavily loaded TCG host,
# start timeouts of unrelated units (systemd-logind) are the machine's.
failed=$(systemctl --failed --no-legend --plain | awk '{print $1}' | paste -sd' ' -)
[ -z "$failed" ] || diag "failed units at boot (load: $(cut -d' ' -f1-3 /proc/loadavg)): $failed"
