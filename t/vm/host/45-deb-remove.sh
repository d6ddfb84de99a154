# SPDX-License-Identifier: GPL-2.0-only
# 45-deb-remove.sh - removing the package (after 30-deb.sh, 40-sandbox.sh)
# stops the service and ends the pinned enforcement; the admin's policies
# stay; purge removes the conffile.  Then the admin's additions go too, so
# that 10-install.sh (next in t/64,65) starts from a host without enforcer.
. t/vm/host/ht-fixtures.sh

out=$(dpkg -r enforcer 2>&1)
is "$?" 0 "dpkg -r enforcer" || diag "$out"
is "$(unit_state enforcer)" inactive "service stopped"
ok "pins removed" test ! -e /sys/fs/bpf/enforcer
is "$(ht_in_unit ht-before.service probe exec $DENYME)" ok "no enforcement left after removal"
ok "the admin's policy stays" test -f /etc/enforcer/policies/ht.ini
ok "the conffile stays until purge" test -f /etc/default/enforcer
out=$(dpkg -P enforcer 2>&1)
is "$?" 0 "dpkg -P enforcer" || diag "$out"
ok "purge removes /etc/default/enforcer" test ! -e /etc/default/enforcer

# The host as it was before any enforcer: the next script (10-install.sh)
# installs from source into an empty /etc/enforcer.
rm -rf /etc/enforcer /etc/systemd/system/enforcer.service.d
systemctl daemon-reload
