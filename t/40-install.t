#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# 40-install.t - issue 6: `make install DESTDIR=...` puts every file where it
# belongs (binaries, unit, tmpfiles entry, man pages, example policies under
# share/doc/enforcer/examples), the live policy directory starts empty, a
# second install keeps a policy the admin enabled and changed, PREFIX=/usr uses systemd's
# own directories, `systemd-analyze verify` accepts the installed unit, the
# man pages render without a warning, and `make uninstall` removes what
# install added.  Never skips: a missing tool (systemd-analyze, groff) fails.
cd "$(dirname "$0")/.." || exit 1
unset MAKEFLAGS MFLAGS MAKELEVEL
export LC_ALL=C.UTF-8

n=0
failed=0
pass() { n=$((n + 1)); echo "ok $n - $*"; }
fail() { n=$((n + 1)); failed=1; echo "not ok $n - $*"; }
diag() { printf '%s\n' "$*" | sed 's/^/# /'; }
check() { _d=$1; shift; if "$@"; then pass "$_d"; else fail "$_d"; fi; }

D=$(mktemp -d) || exit 1
D2=$(mktemp -d) || exit 1
trap 'rm -rf "$D" "$D2"' EXIT

# ---- install ----
if log=$(make -s install DESTDIR="$D" 2>&1); then
	pass "make install DESTDIR=... succeeds"
else
	fail "make install DESTDIR=... succeeds"
	diag "$log"
fi

SBIN=$D/usr/local/sbin
UNIT=$D/usr/local/lib/systemd/system/enforcer.service
TMPF=$D/usr/local/lib/tmpfiles.d/enforcer.conf
MAN=$D/usr/local/share/man
POL=$D/etc/enforcer/policies
EX=$D/usr/local/share/doc/enforcer/examples

for b in enforcerd enforcerctl; do
	check "$b installed, executable, the built one" \
		sh -c '[ -x "$1" ] && cmp -s "$1" "build/$2"' sh "$SBIN/$b" "$b"
done
check "unit installed in \$(PREFIX)/lib/systemd/system" [ -f "$UNIT" ]
check "tmpfiles.d entry installed" [ -f "$TMPF" ]
check "tmpfiles.d entry creates /run/enforcer" grep -q '^d /run/enforcer ' "$TMPF"
for m in man8/enforcerd.8 man8/enforcerctl.8 man5/enforcer.ini.5; do
	check "man page $m installed" cmp -s "$MAN/$m" "enforcer/man/${m#*/}"
done
npol=0
for p in policies/*.ini; do
	npol=$((npol + 1))
	check "example policy ${p#policies/} installed into \$(PREFIX)/share/doc/enforcer/examples" \
		cmp -s "$p" "$EX/${p#policies/}"
done
check "at least the six shipped policies" [ "$npol" -ge 6 ]
check "the live policy directory starts empty (installing enforces nothing)" \
	sh -c '[ -d "$1" ] && [ -z "$(ls -A "$1")" ]' sh "$POL"
check "policy directory is not world-readable" \
	sh -c '[ "$(stat -c %a "$1")" = 750 ]' sh "$POL"

# ---- the unit ----
check "unit: ExecStart uses the installed enforcerd" \
	grep -qx 'ExecStart=/usr/local/sbin/enforcerd --policy-dir /etc/enforcer/policies --audit-log -' "$UNIT"
check "unit: ExecReload reloads through the socket" \
	grep -qx 'ExecReload=/usr/local/sbin/enforcerctl reload' "$UNIT"
for kv in Type=notify DefaultDependencies=no NoNewPrivileges=yes ProtectSystem=strict \
	Restart=always RuntimeDirectory=enforcer RuntimeDirectoryPreserve=yes; do
	check "unit: $kv" grep -qx "$kv" "$UNIT"
done
check "unit: WatchdogSec set" grep -q '^WatchdogSec=[1-9]' "$UNIT"
check "unit: ordered before sysinit.target (so before the services it guards)" \
	grep -q '^Before=.*sysinit\.target' "$UNIT"
check "unit: bounded capability set with CAP_BPF, no CAP_SYS_MODULE" \
	sh -c 'grep "^CapabilityBoundingSet=" "$1" | grep -q CAP_BPF &&
		! grep "^CapabilityBoundingSet=" "$1" | grep -q CAP_SYS_MODULE' sh "$UNIT"

# systemd-analyze verify: exit 0 and not a single warning.  --root makes it
# find the binaries and man pages inside DESTDIR.
verify() {
	_root=$1 _unit=$2 _man=$3
	if ! command -v systemd-analyze >/dev/null 2>&1; then
		diag "systemd-analyze missing: install the systemd package (make deps)"
		return 1
	fi
	_out=$(MANPATH=$_man systemd-analyze verify --root="$_root" "$_unit" 2>&1)
	_rc=$?
	[ "$_rc" = 0 ] && [ -z "$_out" ] && return 0
	diag "systemd-analyze verify exit $_rc:"
	diag "$_out"
	return 1
}
check "systemd-analyze verify passes on the installed unit (man pages found)" \
	verify "$D" "$UNIT" "$MAN"

# ---- man pages ----
render() {
	if ! command -v groff >/dev/null 2>&1; then
		diag "groff missing: install groff-base (make deps)"
		return 1
	fi
	_out=$(groff -man -Tutf8 -ww -z "$1" 2>&1)
	_rc=$?
	[ "$_rc" = 0 ] && [ -z "$_out" ] && return 0
	diag "$_out"
	return 1
}
for m in enforcer/man/*.[58]; do
	check "$m renders without warnings (groff -man -ww)" render "$m"
done
for opt in --policy-dir --socket --socket-group --audit-log --pin-dir --no-pin --unload; do
	check "enforcerd(8) documents $opt" grep -q -- "$(echo "$opt" | sed 's/-/\\\\-/g')" enforcer/man/enforcerd.8
done
for cmd in status policies stats reload audit reopen unload ping check; do
	check "enforcerctl(8) documents $cmd" grep -q "^\.B[IR]* $cmd" enforcer/man/enforcerctl.8
done
for key in name cgroup unit mode default deny allow readonly; do
	check "enforcer.ini(5) documents $key" grep -q "^\.B[IR]* $key\b" enforcer/man/enforcer.ini.5
done

# ---- a second install keeps the admin's policy ----
# The admin enables an example as the README says, then changes it.
cp "$EX/demo.ini" "$POL/demo.ini"
printf '; changed by the admin\n' >> "$POL/demo.ini"
rm -f "$EX/nginx.ini"
if log=$(make -s install DESTDIR="$D" 2>&1); then
	pass "second make install succeeds"
else
	fail "second make install succeeds"
	diag "$log"
fi
check "second install does not overwrite a modified policy" \
	grep -q '^; changed by the admin' "$POL/demo.ini"
check "second install puts back a deleted example" cmp -s policies/nginx.ini "$EX/nginx.ini"
check "second install enables no example" [ "$(ls -A "$POL")" = demo.ini ]

# ---- PREFIX=/usr, SYSCONFDIR ----
if log=$(make -s install DESTDIR="$D2" PREFIX=/usr SYSCONFDIR=/etc/x 2>&1); then
	pass "make install PREFIX=/usr SYSCONFDIR=/etc/x succeeds"
else
	fail "make install PREFIX=/usr SYSCONFDIR=/etc/x succeeds"
	diag "$log"
fi
U2=$D2/lib/systemd/system/enforcer.service
check "PREFIX=/usr: binaries in /usr/sbin" [ -x "$D2/usr/sbin/enforcerd" ]
check "PREFIX=/usr: unit in /lib/systemd/system" [ -f "$U2" ]
check "PREFIX=/usr: tmpfiles entry in /usr/lib/tmpfiles.d" [ -f "$D2/usr/lib/tmpfiles.d/enforcer.conf" ]
check "PREFIX=/usr: man pages in /usr/share/man" [ -f "$D2/usr/share/man/man8/enforcerd.8" ]
check "PREFIX=/usr: examples in /usr/share/doc/enforcer/examples" [ -f "$D2/usr/share/doc/enforcer/examples/demo.ini" ]
check "SYSCONFDIR: empty policy directory /etc/x/enforcer/policies" \
	sh -c '[ -d "$1" ] && [ -z "$(ls -A "$1")" ]' sh "$D2/etc/x/enforcer/policies"
check "PREFIX=/usr SYSCONFDIR=/etc/x: unit paths rewritten" \
	grep -qx 'ExecStart=/usr/sbin/enforcerd --policy-dir /etc/x/enforcer/policies --audit-log -' "$U2"
check "systemd-analyze verify passes on the PREFIX=/usr unit" verify "$D2" "$U2" "$D2/usr/share/man"

# ---- uninstall ----
if log=$(make -s uninstall DESTDIR="$D" 2>&1); then
	pass "make uninstall DESTDIR=... succeeds"
else
	fail "make uninstall DESTDIR=... succeeds"
	diag "$log"
fi
left=$(cd "$D" && find . ! -type d | sort)
check "uninstall removes every installed file but the admin's enabled policy" \
	[ "$left" = "./etc/enforcer/policies/demo.ini" ]
[ "$left" = "./etc/enforcer/policies/demo.ini" ] || diag "left: $left"
rm -f "$POL/demo.ini"
make -s uninstall DESTDIR="$D" >/dev/null 2>&1
check "uninstall removes the emptied /etc/enforcer" [ ! -e "$D/etc/enforcer" ]
make -s uninstall DESTDIR="$D2" PREFIX=/usr SYSCONFDIR=/etc/x >/dev/null 2>&1
left=$(cd "$D2" && find . ! -type d)
check "uninstall with PREFIX=/usr removes everything" [ -z "$left" ]
[ -z "$left" ] || diag "left: $left"

echo "1..$n"
exit $failed
