# SPDX-License-Identifier: GPL-2.0-only
# 40-sandbox.sh - hardened units under a `unit=` policy on real systemd:
# one transient service per sandboxing option (PrivateTmp=, ProtectSystem=
# strict, ProtectHome=, PrivateDevices=, ReadOnlyPaths=, InaccessiblePaths=,
# TemporaryFileSystem=, BindReadOnlyPaths=, DynamicUser=, RootDirectory=),
# each bound to policy sb with exec, file and connect rules (and the
# built-in capability denials).  Each must start and run normally (systemd
# builds its mount namespace inside the unit's cgroup: no 226/NAMESPACE),
# the option must have taken effect, and the rules must still bite inside:
# the denied exec, open (also through a read-only bind mount of the denied
# file) and connect get EPERM, with one journal line each naming policy sb,
# the rule and the unit's own cgroup, while other actions pass.  A control
# unit with the same option and no policy (sbc-*) gets none of that.
# guest-timeout: 900
. t/vm/host/ht-fixtures.sh

OPTS="privatetmp protectsystem protecthome privatedevices readonly inaccessible tmpfs
bindro dynamicuser rootdir"

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
	for o in $OPTS; do echo "unit = sb-$o.service"; done
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
	/usr/local/bin/probe $a 2>/dev/null
done
exit 0   # the results above are what counts; the unit itself ran normally
SH
chmod 755 /usr/local/bin/sb-probes
GOVERNED="EPERM EPERM EPERM ok ok ECONNREFUSED"
CONTROL="ok ok ECONNREFUSED ok ok ECONNREFUSED"

journal_mark /tmp/sb-j0
# sb_run NAME CHECK_WANT CHECK PROPERTY...: run NAME.service with the
# properties, one test: sb-* must show the rules biting, sbc-* nothing
# denied.  sb_unit OPTION ...: sb-OPTION, then its control sbc-OPTION.
# (Variables sb_*: lib.sh's helpers use _n, _d.)
sb_run() {
	sb_n=$1 sb_want=$2 sb_check=$3
	shift 3
	sb_np=$#
	for sb_p in "$@"; do set -- "$@" -p "$sb_p"; done
	shift "$sb_np"
	sb_t0=$(date +%s)
	sb_out=$(systemd-run -q --unit="$sb_n" --wait --pipe --collect "$@" \
		/usr/local/bin/sb-probes "$sb_check" </dev/null 2>&1)
	sb_rc=$?
	sb_got=$(printf '%s\n' "$sb_out" | paste -sd' ' -)
	case "$sb_n" in sbc-*) sb_exp="$sb_want $CONTROL" sb_what="no policy: nothing denied" ;;
	*) sb_exp="$sb_want $GOVERNED" sb_what="rules bite inside (exec, open, connect: EPERM)" ;;
	esac
	if [ "$sb_rc" = 0 ] && [ "$sb_got" = "$sb_exp" ]; then
		pass "$sb_n starts, sandboxed ($sb_want), $sb_what"
	else
		fail "$sb_n starts, sandboxed ($sb_want), $sb_what"
		diag "exit $sb_rc after $(( $(date +%s) - sb_t0 )) s; got: $sb_got"
		diag "expected: $sb_exp"
		diag "$(journalctl -q --no-pager -o cat --cursor="$(cat /tmp/sb-j0)" | grep -F "$sb_n" | tail -n 8)"
	fi
}
sb_unit() {
	sb_o=$1
	shift
	sb_run "sb-$sb_o" "$@"
	sb_run "sbc-$sb_o" "$@"
}

sb_unit privatetmp tmp-private \
	'[ -e /tmp/ht-outside ] && echo tmp-shared || echo tmp-private' PrivateTmp=yes
sb_unit protectsystem EROFS 'probe open /etc/hostname w' ProtectSystem=strict
sb_unit protecthome home-hidden \
	'cat /root/ht-home 2>/dev/null || echo home-hidden' ProtectHome=yes
sb_unit privatedevices dev-private \
	'[ -e /dev/vda ] && echo dev-host || echo dev-private' PrivateDevices=yes
sb_unit readonly EROFS 'probe open /srv/ht/plain w' ReadOnlyPaths=/srv/ht
sb_unit inaccessible hidden \
	'cat /srv/ht-hidden/f 2>/dev/null || echo hidden' InaccessiblePaths=/srv/ht-hidden
sb_unit tmpfs tmpfs-empty \
	'[ -e /srv/ht-hidden/f ] && echo visible || echo tmpfs-empty' TemporaryFileSystem=/srv/ht-hidden
# The denied file through a read-only bind mount at another name: denied
# as the file it is (EPERM) under policy, readable (ok) in the control.
sb_run sb-bindro "plain EPERM" \
	'cat /srv/ht-bound; probe open /srv/ht-bsecret r' \
	BindReadOnlyPaths=/srv/ht/plain:/srv/ht-bound BindReadOnlyPaths=/srv/ht/secret:/srv/ht-bsecret
sb_run sbc-bindro "plain ok" \
	'cat /srv/ht-bound; probe open /srv/ht-bsecret r' \
	BindReadOnlyPaths=/srv/ht/plain:/srv/ht-bound BindReadOnlyPaths=/srv/ht/secret:/srv/ht-bsecret
sb_unit dynamicuser dynamic-uid \
	'u=$(id -u); [ "$u" -ge 61184 ] && [ "$u" -le 65519 ] && echo dynamic-uid || echo uid-$u' DynamicUser=yes
sb_unit rootdir in-root \
	'[ -e /inside-root ] && echo in-root || echo not-in-root' RootDirectory=/srv/sbroot \
	BindReadOnlyPaths=/usr BindReadOnlyPaths=/srv/ht MountAPIVFS=yes

# ---- what enforcer logged about them ----
# Every denial of an sb unit is one of the rules' (exec, open, connect);
# each names policy sb, the rule, and the unit's own cgroup.
sleep 5
wait_for 60 sh -c 'journalctl -u enforcer -o cat --no-pager --cursor="$(cat /tmp/sb-j0)" |
	grep -q "/sb-rootdir.service\""'
lines=$(journalctl -u enforcer -p warning -o cat --no-pager --cursor="$(cat /tmp/sb-j0)" |
	grep '"action":"deny"')
for o in $OPTS; do
	u=sb-$o.service
	mine=$(printf '%s\n' "$lines" | grep -F "\"cgroup\":\"/system.slice/$u\"")
	miss=
	for r in 'exec","policy":"sb","rule":"deny = /usr/local/bin/denyme"' \
		'open","policy":"sb","rule":"deny = /srv/ht/secret"' \
		'connect","policy":"sb","rule":"deny = 127.0.0.2 port 9"'; do
		printf '%s\n' "$mine" | grep -qF "\"op\":\"$r" || miss="$miss [op $r]"
	done
	if [ -z "$miss" ]; then
		pass "sb-$o: exec, open and connect denials logged with policy sb, the rule and cgroup /system.slice/$u"
	else
		fail "sb-$o: exec, open and connect denials logged with policy sb, the rule and cgroup /system.slice/$u"
		diag "missing:$miss"
		diag "$(printf '%s\n' "$lines" | grep -F "sb-$o" | head -n 6)"
		diag "enforcer's lines (any priority) naming denyme or sb-$o, or not a deny:"
		diag "$(journalctl -u enforcer -o cat --no-pager --cursor="$(cat /tmp/sb-j0)" |
			grep -e denyme -e "sb-$o" -e '^[^{]' | cut -c1-400 | head -n 12)"
		diag "$(journalctl -q --no-pager -o cat --cursor="$(cat /tmp/sb-j0)" | grep -i suppress)"
		diag "enforcer's journal entries (priority, pid, stream, start of message):"
		diag "$(journalctl -u enforcer -o verbose --no-pager --cursor="$(cat /tmp/sb-j0)" |
			grep -E '^ *(PRIORITY|_PID|_STREAM_ID|_TRANSPORT|MESSAGE)=' | cut -c1-90 | head -n 80)"
	fi
	other=$(printf '%s\n' "$mine" | grep -v '"op":"\(exec\|open\|connect\)"')
	is "$other" "" "sb-$o: no other denial (no mount, capability or setup step denied)"
done
is "$(printf '%s\n' "$lines" | grep -c '"cgroup":"/system.slice/sbc-')" 0 "control units (sbc-*): no denial logged"
is "$(printf '%s\n' "$lines" | grep '"policy":"sb"' | grep -c '"cgroup":"(unknown)"')" 0 \
	"no sb denial with an unknown cgroup"
is "$(printf '%s\n' "$lines" | grep -c '"op":"mount"')" 0 "no mount denied while systemd set up the sandboxes"
