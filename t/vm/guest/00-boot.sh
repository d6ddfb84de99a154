# SPDX-License-Identifier: GPL-2.0-only
# 00-boot.sh - the guest itself: bpf LSM active, cgroup2 and bpffs mounted,
# loopback up, and the helpers (probe, runas, jsonget, in_cg) working.

like "$(cat /sys/kernel/security/lsm)" '(^|,)bpf(,|$)' "bpf is in the active LSM list"
like "$(grep ' /sys/fs/cgroup ' /proc/mounts)" '^cgroup2 /sys/fs/cgroup cgroup2 ' "cgroup2 mounted"
like "$(grep ' /sys/fs/bpf ' /proc/mounts)" '^bpf /sys/fs/bpf bpf ' "bpffs mounted"
like "$(uname -r)" '^6\.(1|12)\.' "kernel is 6.1 or 6.12 ($(uname -r))"

is "$(probe open /etc/passwd r)" ok "probe open of an existing file"
is "$(probe open /nonexistent r)" ENOENT "probe open of a missing file: ENOENT"
is "$(probe exec /usr/bin/allowme)" ok "probe exec of a static binary"
is "$(probe exec /nonexistent)" ENOENT "probe exec of a missing file: ENOENT"
is "$(probe connect 127.0.0.1 9 tcp)" ECONNREFUSED "loopback up: tcp 127.0.0.1:9 refused"
is "$(probe connect ::1 9 tcp)" ECONNREFUSED "IPv6 loopback up: tcp [::1]:9 refused"
is "$(probe connect 127.0.0.1 9 udp)" ok "udp connect to loopback"

cg_make t00/a
is "$(in_cg /t00/a cat /proc/self/cgroup)" "0::/t00/a" "in_cg runs a command in a cgroup"
is "$(as_user 1000 id -u)" 1000 "as_user runs a command as uid 1000"
is "$(in_cg /t00/a /bin/runas 1000 id -un)" user "in_cg + runas: user name from /etc/passwd"
is "$(echo '{"a":"b\"c","n":1}' | jsonget a n)" "$(printf 'b"c\t1')" "jsonget reads fields"
ok "jsonget rejects invalid JSON" sh -c "echo '{\"a\":1,}' | jsonget 2>/dev/null; [ \$? = 1 ]"
if [ -x /bin/enforcerd ]; then
	diag "enforcerd present"
else
	diag "enforcerd not built: enforcement tests will fail"
fi
