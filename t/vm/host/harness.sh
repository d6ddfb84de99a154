#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# harness.sh - runs in the real-host VM (host-test.service, output on
# ttyS0): each script listed in /root/host-test/scripts, in order, with bash
# and t/vm/host/lib.sh sourced, its lines behind the "@@G@@ " marker that
# t/vm/run-host-vm.sh reads.  The index of the next script is kept in
# /root/host-test/state, so that after a `host_reboot` the next boot goes
# on with the next script.  Ends with @@DONE@@ and an immediate power-off.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root LANG=C.UTF-8
HT=/root/host-test
export HT_SRC=/root/enforcer HT_KVER="$(cat $HT/kver)"
TIMEOUT_DEFAULT=600

report() {
	while IFS= read -r line; do
		case "$line" in
		"@@RC@@ "*)
			echo "${line#@@RC@@ }" > $HT/rc
			return 0
			;;
		esac
		printf '@@G@@ %s\n' "$line"
	done
}

echo 1 > /proc/sys/kernel/printk
i=$(cat $HT/state 2>/dev/null || echo 0)
[ "$i" = 0 ] && echo 0 > /tmp/.tap_n
idx=0
while IFS= read -r s; do
	[ -n "$s" ] || continue
	idx=$((idx + 1))
	[ "$idx" -gt "$i" ] || continue
	echo "$idx" > $HT/state
	sync
	rm -f $HT/rc $HT/reached
	echo "# ---- $s (kernel $(uname -r), boot $(cat /proc/sys/kernel/random/boot_id | cut -c1-8)) ----" | report
	t0=$(cut -d. -f1 /proc/uptime)
	tmo=$(sed -n 's/^# guest-timeout: *\([0-9][0-9]*\).*/\1/p' "$HT_SRC/$s" | head -n 1)
	tmo=${tmo:-$TIMEOUT_DEFAULT}
	{
		cd "$HT_SRC" && timeout -s KILL "$tmo" bash -c \
			'. t/vm/host/lib.sh && . "$1" && touch '$HT'/reached' sh "$s" </dev/null 2>&1
		echo "@@RC@@ $?"
	} | report
	rc=$(cat $HT/rc 2>/dev/null || echo '?')
	t1=$(cut -d. -f1 /proc/uptime)
	echo "# $s took $((t1 - t0)) s (guest uptime $t1 s)" | report
	if [ "$rc" = 137 ]; then
		echo "not ok - $s: killed after $tmo s (hung)" | report
	elif [ "$rc" != 0 ] || [ ! -e $HT/reached ]; then
		echo "not ok - $s: exited with status $rc before its end" | report
	fi
	if [ -e /run/host-test-reboot ]; then
		echo "@@REBOOT@@"
		sync
		systemctl reboot
		exit 0
	fi
done < $HT/scripts
echo "@@DONE@@"
sync
systemctl poweroff --force --force
