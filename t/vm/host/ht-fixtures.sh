# SPDX-License-Identifier: GPL-2.0-only
# ht-fixtures.sh - shared fixtures of the real-host guest scripts (sourced):
# test binaries, files, the ht policy and its units.
#   ht_fixtures            install binaries, files and units (idempotent)
#   ht_policy              write /etc/enforcer/policies/ht.ini
#   ht_in_unit UNIT CMD... run CMD inside UNIT's cgroup (joins it), print output
#   ht_run NAME CMD...     run CMD as a new transient service NAME.service
#                          (systemd-run --wait --pipe), print its output
#   ht_tcg_allowance       drop-in: TimeoutStartSec=900 (see below)
#   ht_wait_active         wait (15 min at most) until enforcer is active;
#                          on failure show its status and journal
PROBE=/usr/local/bin/probe
DENYME=/usr/local/bin/denyme
SECRET=/srv/ht/secret
PLAIN=/srv/ht/plain
export PATH=/usr/local/sbin:/usr/local/bin:$PATH

ht_fixtures() {
	install -m 755 "$VMBIN/probe" $PROBE
	install -m 755 "$VMBIN/probe" $DENYME
	install -m 755 "$VMBIN/hammer" /usr/local/bin/hammer
	install -m 755 "$VMBIN/jsonget" /usr/local/bin/jsonget
	mkdir -p /srv/ht
	echo secret > $SECRET
	echo plain > $PLAIN
	cat > /etc/systemd/system/ht-before.service <<'UNIT'
[Unit]
Description=enforcer test: governed service running before enforcerd
[Service]
ExecStart=/bin/sleep infinity
UNIT
	cat > /etc/systemd/system/ht-boot.service <<'UNIT'
[Unit]
Description=enforcer test: governed ordinary service started at boot
[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/bin/sh -c '{ /usr/local/bin/probe exec /usr/local/bin/denyme; /usr/local/bin/probe open /srv/ht/secret r; } > /var/lib/ht-boot.result 2>&1; exit 0'
[Install]
WantedBy=multi-user.target
UNIT
	systemctl daemon-reload
}

ht_policy() {
	cat > /etc/enforcer/policies/ht.ini <<'INI'
# ht.ini - the real-host test policy
[policy]
name = ht
unit = ht-before.service
unit = ht-after.service
unit = ht-boot.service
unit = ht-load.service
[exec]
deny = /usr/local/bin/denyme
[file]
deny = /srv/ht/secret
[connect]
deny = 127.0.0.2 port 9
INI
	chmod 640 /etc/enforcer/policies/ht.ini
}

ht_in_unit() {
	_cg=$(systemctl show -P ControlGroup "$1")
	shift
	[ -n "$_cg" ] || { echo "(no cgroup)"; return 1; }
	sh -c 'echo $$ > "$0/cgroup.procs" || exit 125; exec "$@"' "/sys/fs/cgroup$_cg" "$@" 2>&1
}

ht_run() {
	_u=$1
	shift
	# the previous run's unit of that name may still be being collected
	wait_for 10 sh -c '! systemctl status "$1" >/dev/null 2>&1 || [ "$(systemctl show -P LoadState "$1")" = not-found ]' sh "$_u.service" 2>/dev/null
	systemd-run -q --unit="$_u" --wait --pipe --collect "$@" </dev/null 2>&1
}

# The one deviation from the unit as installed: under qemu TCG on a loaded
# 2-core machine, loading and verifying the BPF programs can take longer
# than the unit's TimeoutStartSec=120s (90 s measured with 6 VMs running).
ht_tcg_allowance() {
	mkdir -p /etc/systemd/system/enforcer.service.d
	printf '[Service]\nTimeoutStartSec=900\n' > /etc/systemd/system/enforcer.service.d/tcg-slow.conf
	systemctl daemon-reload
}

ht_enforcer_diag() {
	diag "$(systemctl status enforcer --no-pager -n 0 2>&1)"
	diag "$(journalctl -b -u enforcer --no-pager -n 25 -o short-monotonic 2>&1)"
}

ht_wait_active() {
	wait_for 900 sh -c '[ "$(systemctl show -P ActiveState enforcer)" = active ]' && return 0
	ht_enforcer_diag
	return 1
}
