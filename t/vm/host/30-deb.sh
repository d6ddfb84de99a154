# SPDX-License-Identifier: GPL-2.0-only
# 30-deb.sh - install the Debian package (make deb) on the real host as an
# admin would (dpkg -i): the unit is enabled and started by the
# package, the live policy directory is empty, /etc/default/enforcer is a
# conffile whose options reach enforcerd, man pages and examples are where
# Debian puts them; then a policy enabled from the examples and one of ours
# are enforced after `systemctl reload`, deny lines reach the journal at
# warning.  40-sandbox.sh runs next against this installation.
# guest-timeout: 900
. t/vm/host/ht-fixtures.sh

deb=$(ls build/deb/enforcer_*_amd64.deb 2>/dev/null | head -n 1)
ok "the package was built (make deb): ${deb:-none}" test -n "$deb"
ht_fixtures
systemctl start ht-before.service
ver=$(sed -n 's/^#define ENFORCER_VERSION "\(.*\)"/\1/p' include/enforcer_version.h)
# The package starts enforcerd from postinst: allow TCG's slow BPF load.
ht_tcg_allowance
out=$(dpkg -i "$deb" 2>&1)
rc=$?
is "$rc" 0 "dpkg -i $(basename "$deb")" || diag "$out"
is "$(dpkg-query -W -f '${Status} ${Version}' enforcer 2>&1)" "install ok installed $ver" "package installed, version $ver"
is "$(enforcerctl --version)" "enforcerctl $ver" "enforcerctl --version"
is "$(enforcerd --version)" "enforcerd $ver" "enforcerd --version"
is "$(command -v enforcerd)" /usr/sbin/enforcerd "enforcerd in /usr/sbin"
is "$(systemctl is-enabled enforcer 2>&1)" enabled "unit enabled by the package (deb-systemd-helper)"
ok "unit started by the package" ht_wait_active
like "$(systemctl show -P StatusText enforcer)" '^enforcing generation [0-9]+, 0 policies$' "live with 0 policies"
is "$(ls -A /etc/enforcer/policies)" "" "live policy directory is empty"
is "$(stat -c %a /etc/enforcer/policies)" 750 "policy directory 0750"
like "$(dpkg-query -W -f '${Conffiles}' enforcer)" '/etc/default/enforcer [0-9a-f]{32}' "/etc/default/enforcer is a conffile"
ok "man page enforcerd(8)" test -f /usr/share/man/man8/enforcerd.8.gz
ok "examples in /usr/share/doc/enforcer/examples" test -f /usr/share/doc/enforcer/examples/sshd.ini
like "$(systemctl show -P DropInPaths enforcer)" 'enforcer.service.d/debian.conf' "the package's drop-in applies"
is "$(ht_in_unit ht-before.service probe exec $DENYME)" ok "nothing enforced before a policy is enabled"

# ---- enable policies as the README says, reload ----
cp /usr/share/doc/enforcer/examples/no-cloud-metadata.ini /etc/enforcer/policies/
ht_policy
systemctl reload enforcer
is "$?" 0 "systemctl reload enforcer"
like "$(systemctl show -P StatusText enforcer)" ', 2 policies$' "2 policies after the reload"
is "$(ht_in_unit ht-before.service probe exec $DENYME)" EPERM "unit started before the reload: exec denied"
is "$(ht_run ht-after probe open $SECRET r)" EPERM "unit started after: open denied"
is "$(ht_run ht-free probe open $SECRET r)" ok "neighbour unit: open passes"
sleep 2
like "$(journalctl -u enforcer -p warning -o cat --no-pager)" '"action":"deny".*"policy":"ht"' \
	"deny lines in journalctl -u enforcer -p warning"

# ---- the conffile's options reach enforcerd ----
sed -i 's/^ENFORCERD_OPTS=.*/ENFORCERD_OPTS="--watch"/' /etc/default/enforcer
systemctl restart enforcer
ok "restarted with ENFORCERD_OPTS=--watch" ht_wait_active
like "$(tr '\0' ' ' < /proc/"$(systemctl show -P MainPID enforcer)"/cmdline)" '--watch' "enforcerd runs with --watch"
g0=$(enforcerctl --json status | jsonget generation)
printf '[policy]\nname = watched\nunit = ht-watched.service\n[exec]\ndeny = /usr/local/bin/nothing-here\n' \
	> /etc/enforcer/policies/watched.ini
ok "--watch reloads on a new policy file" wait_for 60 sh -c \
	'[ "$(enforcerctl --json status | jsonget generation)" -gt '"$g0"' ]'
like "$(enforcerctl policies 2>&1)" 'watched' "--watch: the new policy is loaded"
rm -f /etc/enforcer/policies/watched.ini
