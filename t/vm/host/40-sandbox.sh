# SPDX-License-Identifier: GPL-2.0-only
# 40-sandbox.sh - hardened units under a `unit=` policy on real systemd:
# one transient service per sandboxing option (PrivateTmp=, ProtectSystem=
# strict, ProtectHome=, PrivateDevices=, ReadOnlyPaths=, InaccessiblePaths=,
# TemporaryFileSystem=, BindReadOnlyPaths=, DynamicUser=, RootDirectory=),
# each bound to policy sb with exec, file and connect rules.  Each must
# start and run normally (systemd sets up its mount namespace inside the
# unit's cgroup: no 226/NAMESPACE), the option must have taken effect, and
# the rules must still bite inside: a denied exec, open (also through a
# read-only bind mount of the denied file) and connect get EPERM with an
# audit line naming policy sb and the rule, while other actions pass.
# guest-timeout: 900
. t/vm/host/ht-fixtures.sh

UNITS="sb-privatetmp sb-protectsystem sb-protecthome sb-privatedevices sb-readonly
sb-inaccessible sb-tmpfs sb-bindro sb-dynamicuser sb-rootdir"

# ---- install and start enforcer (as 10-install.sh), the sb policy ----
if ! command -v enforcerd >/dev/null 2>&1; then
	make install >/tmp/sb-install.log 2>&1 || { fail "make install"; diag "$(cat /tmp/sb-install.log)"; }
fi
ht_fixtures
install -m 755 "$VMBIN/probe" /usr/local/bin/allowme
chmod 644 $SECRET $PLAIN
echo outside > /tmp/ht-outside
echo home > /root/ht-home
mkdir -p /srv/ht-hidden /srv/sbroot/srv/ht /srv/sbroot/usr /srv/sbroot/proc /srv/sbroot/dev \
	/srv/sbroot/tmp /srv/sbroot/sys /srv/sbroot/run
echo hidden > /srv/ht-hidden/f
touch /srv/sbroot/inside-root
for l in bin sbin lib lib64; do ln -sfn usr/$l /srv/sbroot/$l; done
{
	echo '# sb.ini - hardened test units'
	echo '[policy]'
	echo 'name = sb'
	for u in $UNITS; do echo "unit = $u.service"; done
	echo '[exec]'
	echo 'deny = /usr/local/bin/denyme'
	echo '[file]'
	echo 'deny = /srv/ht/secret'
	echo '[connect]'
	echo 'deny = 127.0.0.2 port 9'
} > /etc/enforcer/policies/sb.ini
ht_tcg_allowance
if [ "$(unit_state enforcer)" = active ]; then
	systemctl reload enforcer
else
	systemctl start enforcer
fi
ok "enforcer active with policy sb" ht_wait_active
like "$(enforcerctl policies 2>&1)" 'sb' "policy sb loaded"

# The probes every unit runs; its own check comes first (one line).
cat > /usr/local/bin/sb-probes <<'SH'
#!/bin/sh
# sb-probes CHECK...: run CHECK (a shell command printing one word), then
# the policy probes, one result per line.
sh -c "$*"
for a in "exec /usr/local/bin/denyme" "open /srv/ht/secret r" \
	"connect 127.0.0.2 9 tcp" "exec /usr/local/bin/allowme" \
	"open /srv/ht/plain r" "connect 127.0.0.3 9 tcp"; do
	/usr/local/bin/probe $a
done
exit 0   # the results above are what counts; the unit itself ran normally
SH
chmod 755 /usr/local/bin/sb-probes
COMMON="EPERM EPERM EPERM ok ok ECONNREFUSED"

journal_mark /tmp/sb-j0
# sb_unit NAME EXPECTED_CHECK CHECK PROPERTY...: run the unit, compare.
sb_unit() {
	_n=$1 _want=$2 _check=$3
	shift 3
	_props=()
	for _p in "$@"; do _props+=(-p "$_p"); done
	_out=$(systemd-run -q --unit="$_n" --wait --pipe --collect "${_props[@]}" \
		/usr/local/bin/sb-probes "$_check" </dev/null 2>&1)
	_rc=$?
	_got=$(printf '%s\n' "$_out" | paste -sd' ' -)
	if [ "$_rc" = 0 ] && [ "$_got" = "$_want $COMMON" ]; then
		pass "$_n ($*): starts, sandboxed ($_want), rules bite inside"
	else
		fail "$_n ($*): starts, sandboxed ($_want), rules bite inside"
		diag "exit $_rc; got: $_got"
		diag "expected: $_want $COMMON"
		diag "$(journal_since /tmp/sb-j0 -u "$_n.service" -o cat | tail -n 5)"
	fi
}

sb_unit sb-privatetmp tmp-private \
	'[ -e /tmp/ht-outside ] && echo tmp-shared || echo tmp-private' PrivateTmp=yes
sb_unit sb-protectsystem EROFS 'probe open /etc/hostname w' ProtectSystem=strict
sb_unit sb-protecthome home-hidden \
	'cat /root/ht-home 2>/dev/null || echo home-hidden' ProtectHome=yes
sb_unit sb-privatedevices dev-private \
	'[ -e /dev/vda ] && echo dev-host || echo dev-private' PrivateDevices=yes
sb_unit sb-readonly EROFS 'probe open /srv/ht/plain w' ReadOnlyPaths=/srv/ht
sb_unit sb-inaccessible hidden \
	'cat /srv/ht-hidden/f 2>/dev/null || echo hidden' InaccessiblePaths=/srv/ht-hidden
sb_unit sb-tmpfs tmpfs-empty \
	'[ -e /srv/ht-hidden/f ] && echo visible || echo tmpfs-empty' TemporaryFileSystem=/srv/ht-hidden
sb_unit sb-bindro "plain EPERM" \
	'cat /srv/ht-bound; probe open /srv/ht-bsecret r' \
	BindReadOnlyPaths=/srv/ht/plain:/srv/ht-bound BindReadOnlyPaths=/srv/ht/secret:/srv/ht-bsecret
sb_unit sb-dynamicuser dynamic-uid \
	'u=$(id -u); [ "$u" -ge 61184 ] && [ "$u" -le 65519 ] && echo dynamic-uid || echo uid-$u' DynamicUser=yes
sb_unit sb-rootdir in-root \
	'[ -e /inside-root ] && echo in-root || echo not-in-root' RootDirectory=/srv/sbroot \
	BindReadOnlyPaths=/usr BindReadOnlyPaths=/srv/ht MountAPIVFS=yes

# ---- what enforcer logged about them ----
sleep 5
lines=$(journalctl -u enforcer -p warning -o cat --no-pager --after-cursor="$(cat /tmp/sb-j0)")
for u in $UNITS; do
	n=$(printf '%s\n' "$lines" | grep '"policy":"sb"' | grep -c "/$u.service\"")
	ok "$u: its denials logged with policy sb ($n lines)" test "$n" -ge 3
done
like "$lines" '"policy":"sb","rule":"deny = /usr/local/bin/denyme"' "exec denial names the rule"
like "$lines" '"policy":"sb","rule":"deny = /srv/ht/secret"' "file denial names the rule"
like "$lines" '"policy":"sb","rule":"deny = 127.0.0.2 port 9"' "connect denial names the rule"
mounts=$(printf '%s\n' "$lines" | grep '"op":"mount"')
is "$mounts" "" "no mount denied while systemd set up the sandboxes"
