# SPDX-License-Identifier: GPL-2.0-only
# 10-install.sh - first boot of the real host: install enforcer exactly as
# the README tells an admin (`make install` in the built tree, enable a
# policy, `systemctl enable --now enforcer`), then: the unit starts and is
# live (READY=1 and its status text), a unit started BEFORE enforcerd and
# one started AFTER it are bound by `unit=` and denied (exec, file,
# connect) while a neighbour unit is not, stop keeps enforcement (pinned)
# and a denial made while enforcerd is stopped is attributed after the start.
# Sets up ht-boot.service (enabled, an ordinary service the policy governs)
# and reboots: 20-boot.sh checks boot ordering in the next boot.
# guest-timeout: 600
. t/vm/host/ht-fixtures.sh

# ---- make install, as the README says ----
out=$(make install 2>&1)
rc=$?
is "$rc" 0 "make install in the built tree succeeds"
[ "$rc" = 0 ] || diag "$out"
if printf '%s\n' "$out" | grep -qE '^ *(CC|BPF|LINK|SKEL|GEN) '; then
	fail "make install builds nothing (the tree was built: make all)"
	diag "$out"
else
	pass "make install builds nothing (the tree was built: make all)"
fi
ok "enforcerd installed in /usr/local/sbin" test -x /usr/local/sbin/enforcerd
ok "enforcerctl installed in /usr/local/sbin" test -x /usr/local/sbin/enforcerctl
ok "unit installed where systemd finds it" \
	sh -c 'systemctl cat enforcer.service | grep -q "^ExecStart=/usr/local/sbin/enforcerd"'
ok "man page enforcerd(8) installed" test -f /usr/local/share/man/man8/enforcerd.8
ok "example policies in /usr/local/share/doc/enforcer/examples" \
	test -f /usr/local/share/doc/enforcer/examples/demo.ini
is "$(ls -A /etc/enforcer/policies 2>&1)" "" "live policy directory starts empty"
is "$(stat -c %a /etc/enforcer/policies)" 750 "policy directory mode 0750"
is "$(systemctl is-enabled enforcer 2>&1)" disabled "installing enables nothing"
is "$(unit_state enforcer)" inactive "installing starts nothing"

ht_fixtures

# A governed service already running when enforcerd first starts.
systemctl start ht-before.service
is "$(unit_state ht-before.service)" active "ht-before.service running before enforcerd"
is "$(ht_in_unit ht-before.service probe exec $DENYME)" ok "before enforcerd: exec in ht-before passes"

# ---- enable a policy, start ----
cp /usr/local/share/doc/enforcer/examples/no-cloud-metadata.ini /etc/enforcer/policies/
ht_policy
ht_tcg_allowance
t0=$(date +%s)
systemctl enable --now enforcer 2>/dev/null
rc=$?
is "$rc" 0 "systemctl enable --now enforcer succeeds"
diag "enforcer started in $(( $(date +%s) - t0 )) s"
is "$(unit_state enforcer)" active "enforcer.service active (READY=1 sent once live)" || ht_enforcer_diag
is "$(systemctl is-enabled enforcer 2>&1)" enabled "enforcer.service enabled"
like "$(systemctl show -P StatusText enforcer)" '^enforcing generation [0-9]+, 2 policies$' \
	"status text from READY=1: generation and 2 policies"
like "$(enforcerctl status 2>&1)" 'ht' "enforcerctl status lists policy ht"
ok "pinned in /sys/fs/bpf/enforcer" test -d /sys/fs/bpf/enforcer

# ---- unit= binding: started before and after enforcerd ----
is "$(ht_in_unit ht-before.service probe exec $DENYME)" EPERM "unit started before enforcerd: exec denied"
is "$(ht_in_unit ht-before.service probe open $SECRET r)" EPERM "unit started before enforcerd: open denied"
is "$(ht_in_unit ht-before.service probe connect 127.0.0.2 9 tcp)" EPERM "unit started before enforcerd: connect denied"
is "$(ht_in_unit ht-before.service probe open $PLAIN r)" ok "unit started before enforcerd: other file passes"
is "$(ht_run ht-after probe exec $DENYME)" EPERM "unit started after enforcerd (systemd-run): exec denied"
is "$(ht_run ht-after probe open $SECRET r)" EPERM "unit started after enforcerd: open denied"
is "$(ht_run ht-after probe connect 127.0.0.2 9 tcp)" EPERM "unit started after enforcerd: connect denied"
is "$(ht_run ht-after probe connect 127.0.0.3 9 tcp)" ECONNREFUSED "unit started after enforcerd: other address passes"
is "$(ht_run ht-free probe exec $DENYME)" ok "neighbour unit ht-free: exec passes"
is "$(ht_run ht-free probe open $SECRET r)" ok "neighbour unit ht-free: open passes"
is "$(probe exec $DENYME)" ok "this (ungoverned) test unit: exec passes"

# ---- stop keeps enforcement (pinned); start adopts ----
systemctl stop enforcer
is "$(unit_state enforcer)" inactive "systemctl stop enforcer"
is "$(ht_in_unit ht-before.service probe exec $DENYME while-stopped)" EPERM "stopped: pinned enforcement still denies"
# The admin edits the policy before the start: the rule moves 3 lines down
# (line 9 -> 12).  The denial above was decided by the pinned generation,
# whose rule is on line 9: naming line 12 would be the new file's word.
old_line=$(grep -n '^deny = /usr/local/bin/denyme' /etc/enforcer/policies/ht.ini | cut -d: -f1)
sed -i '1a # edited while enforcerd was stopped\n#\n#' /etc/enforcer/policies/ht.ini
new_line=$(grep -n '^deny = /usr/local/bin/denyme' /etc/enforcer/policies/ht.ini | cut -d: -f1)
diag "the exec rule was on line $old_line, is now on line $new_line"
systemctl start enforcer
is "$(unit_state enforcer)" active "systemctl start enforcer again" || ht_enforcer_diag
like "$(enforcerctl --json status 2>&1)" '"adopted":true' "the new enforcerd adopted the pinned state"
# attribution across the restart: the denial made while no enforcerd ran
# is logged by the new one, naming the policy and rule that decided it
wait_for 20 sh -c 'journalctl -u enforcer -o cat --no-pager | grep -q while-stopped'
line=$(journalctl -u enforcer -o cat --no-pager | grep while-stopped | head -n 1)
like "$line" '"action":"deny","hook":"exec","op":"exec","policy":"ht","rule":"deny = /usr/local/bin/denyme","rule_line":'"$old_line"'[,}]' \
	"denial while enforcerd was stopped, logged after the restart, names policy ht, its rule and the rule's line when it decided ($old_line)"
like "$line" '"cgroup":"/system.slice/ht-before.service"' "... and the unit's cgroup"
ok "generation.json kept beside the socket" test -s /run/enforcer/generation.json

# ---- for the next boot: an ordinary enabled service the policy governs ----
systemctl enable ht-boot.service 2>/dev/null
ok "ht-boot.service enabled" systemctl is-enabled -q ht-boot.service
host_reboot
