#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# init.sh - /init of the test VM's initramfs: mounts the kernel file
# systems, loads the SCTP module, brings up loopback, then runs the guest scripts named on the
# kernel command line (after "--": MODE SCRIPT...) and powers off.
#
# MODE "tap": each /t/guest/SCRIPT runs in its own shell with /t/lib.sh
# sourced (one test counter shared through /tmp); a script that exits
# non-zero, stops before its end or runs past GUEST_SCRIPT_TIMEOUT seconds
# gets a failing test.  MODE "demo": runs /t/demo.sh.  Every line is sent
# to the console behind the "@@G@@ " marker that run-vm.sh looks for.
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
export HOME=/root
GUEST_SCRIPT_TIMEOUT=${GUEST_SCRIPT_TIMEOUT:-240}

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t securityfs securityfs /sys/kernel/security
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mkdir -p /sys/fs/bpf /sys/fs/cgroup
mount -t bpf bpf /sys/fs/bpf
mount -t cgroup2 cgroup2 /sys/fs/cgroup
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
echo 1 > /proc/sys/kernel/printk
ip link set lo up
hostname enforcer-vm

# Copy lines to the console behind the marker.  Stops at the "@@RC@@ N"
# line (saving N in /tmp/.tap_rc) rather than at end of file, so a
# background process a script leaves holding the pipe cannot stall the boot.
report() {
	while IFS= read -r line; do
		case "$line" in
		"@@RC@@ "*)
			echo "${line#@@RC@@ }" > /tmp/.tap_rc
			return 0
			;;
		esac
		printf '@@G@@ %s\n' "$line"
	done
}

# The kernel's SCTP and binfmt_misc modules and their dependencies
# (t/vm/fetch-kernel.sh, listed in the order to load them), so that SCTP
# rules and binfmt_misc writes are tested: a module that does not load is
# reported, and those tests then fail (t/vm/must-run.txt), never skip.
if [ -s /lib/modules/vm/order ]; then
	while read -r m; do
		err=$(insmod "/lib/modules/vm/$m.ko" 2>&1) ||
			printf '@@G@@ # init: insmod %s failed: %s\n' "$m" "$err"
	done < /lib/modules/vm/order
fi

mode=${1:-tap}
[ $# -gt 0 ] && shift

if [ "$mode" = demo ]; then
	{ sh /t/demo.sh </dev/null 2>&1; echo "@@RC@@ $?"; } | report
else
	. /t/lib.sh
	echo 0 > /tmp/.tap_n
	for s in "$@"; do
		rm -f /tmp/.tap_reached /tmp/.tap_rc
		echo "# ---- $s (kernel $(uname -r)) ----" | report
		t0=$(cut -d. -f1 /proc/uptime)
		# a script may ask for more time with a line "# guest-timeout: SECONDS"
		tmo=$(sed -n 's/^# guest-timeout: *\([0-9][0-9]*\).*/\1/p' "/t/guest/$s" | head -n 1)
		tmo=${tmo:-$GUEST_SCRIPT_TIMEOUT}
		{
			timeout -s KILL "$tmo" \
				sh -c 'cd /tmp && . /t/lib.sh && . "/t/guest/$1" && touch /tmp/.tap_reached' \
				sh "$s" </dev/null 2>&1
			echo "@@RC@@ $?"
		} | report
		rc=$(cat /tmp/.tap_rc 2>/dev/null || echo '?')
		echo "# ---- $s took $(( $(cut -d. -f1 /proc/uptime) - t0 )) s ----" | report
		# A daemon a failed script left behind must not spill into the next.
		if [ -s /tmp/enforcerd.pid ]; then
			pid=$(cat /tmp/enforcerd.pid)
			if kill -0 "$pid" 2>/dev/null; then
				kill -KILL "$pid" 2>/dev/null
				echo "# $s left enforcerd ($pid) running: killed" | report
			fi
			rm -f /tmp/enforcerd.pid
		fi
		# Pinned enforcement outlives the daemon: the next script starts clean,
		# unless a script that ended well left it for the next (ADOPT_PINS, lib.sh).
		if [ ! -e /tmp/.pins_left ] || [ "$rc" != 0 ] || [ ! -e /tmp/.tap_reached ]; then
			rm -f /tmp/.pins_left
			[ -e /sys/fs/bpf/enforcer ] && /bin/enforcerd --unload >/dev/null 2>&1
		fi
		if [ "$rc" = 137 ]; then
			fail "$s: killed after $tmo s (hung)" 2>&1 | report
		elif [ "$rc" != 0 ] || [ ! -e /tmp/.tap_reached ]; then
			fail "$s: exited with status $rc before its end" 2>&1 | report
		fi
	done
fi
echo "@@DONE@@"
sync
poweroff -f
