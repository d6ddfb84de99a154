#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# 42-deb.t - issue 13: the Debian package built by `make deb` (debian/,
# dpkg-buildpackage): its version is the release version, binaries in
# /usr/sbin, the unit in /lib/systemd/system enabled and started by
# debhelper's maintainer scripts, tmpfiles created, /etc/default/enforcer a
# conffile, the live policy directory empty (0750) and the examples under
# /usr/share/doc/enforcer/examples, man pages compressed, shared-library
# dependencies computed (dh_shlibdeps), hardened binaries (BIND_NOW).
# The package is installed and exercised in the real-host VM by
# t/64,65-vm-host-*.t (t/vm/host/30-deb.sh, 40-sandbox.sh, 45-deb-remove.sh).
# Fails (never skips) when the package was not built: run `make deb`.
cd "$(dirname "$0")/.." || exit 1

n=0
failed=0
pass() { n=$((n + 1)); echo "ok $n - $*"; }
fail() { n=$((n + 1)); failed=1; echo "not ok $n - $*"; }
diag() { printf '%s\n' "$*" | sed 's/^/# /'; }
check() { _d=$1; shift; if "$@"; then pass "$_d"; else fail "$_d"; fi; }

ver=$(sed -n 's/^#define ENFORCER_VERSION "\(.*\)"/\1/p' include/enforcer_version.h)
cver=$(sed -n '1s/^[^(]*(\([^)]*\)).*/\1/p' debian/changelog)
check "debian/changelog version ($cver) is ENFORCER_VERSION ($ver)" [ -n "$ver" ] && [ "$cver" = "$ver" ]
check "enforcerctl --version prints $ver" [ "$(build/enforcerctl --version 2>&1)" = "enforcerctl $ver" ]
check "enforcerd --version prints $ver" [ "$(build/enforcerd --version 2>&1)" = "enforcerd $ver" ]

deb=build/deb/enforcer_${ver}_amd64.deb
if [ ! -f "$deb" ]; then
	fail "$deb exists (run make deb)"
	echo "1..$n"
	exit 1
fi
pass "$deb built"
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
dpkg-deb -c "$deb" | awk '{ print $1, $6 }' > "$T/list"
dpkg-deb -e "$deb" "$T/ctl"
has() { grep -qx -- "$1" "$T/list"; }
for f in ./usr/sbin/enforcerd ./usr/sbin/enforcerctl ./lib/systemd/system/enforcer.service \
	./usr/lib/tmpfiles.d/enforcer.conf ./etc/default/enforcer \
	./usr/share/man/man8/enforcerd.8.gz ./usr/share/man/man8/enforcerctl.8.gz \
	./usr/share/man/man5/enforcer.ini.5.gz ./usr/share/doc/enforcer/copyright \
	./usr/share/doc/enforcer/examples/no-cloud-metadata.ini; do
	check "package ships $f" grep -q " $f\$" "$T/list"
done
check "policy directory shipped empty, mode 0750" has "drwxr-x--- ./etc/enforcer/policies/"
check "no policy shipped into /etc/enforcer/policies" \
	sh -c '! grep -q " ./etc/enforcer/policies/." "$1"' sh "$T/list"
check "/etc/default/enforcer is a conffile" grep -qx /etc/default/enforcer "$T/ctl/conffiles"
dep=$(dpkg-deb -f "$deb" Depends)
for l in libbpf1 libcap2 libc6; do
	check "Depends computed by dh_shlibdeps: $l" sh -c 'printf "%s" "$1" | grep -q "$2 ("' sh "$dep" "$l"
done
check "postinst enables the unit (deb-systemd-helper)" grep -q "deb-systemd-helper enable 'enforcer.service'" "$T/ctl/postinst"
check "postinst starts it (deb-systemd-invoke)" grep -q "deb-systemd-invoke" "$T/ctl/postinst"
check "postinst creates the tmpfiles entries" grep -q "systemd-tmpfiles.*enforcer.conf" "$T/ctl/postinst"
check "prerm unloads the pinned enforcement on remove" grep -q -- "enforcerd --unload" "$T/ctl/prerm"
dpkg-deb -x "$deb" "$T/root"
check "the unit runs /usr/sbin/enforcerd" grep -q '^ExecStart=/usr/sbin/enforcerd ' "$T/root/lib/systemd/system/enforcer.service"
check "the drop-in reads /etc/default/enforcer" grep -q '^EnvironmentFile=-/etc/default/enforcer' \
	"$T/root/lib/systemd/system/enforcer.service.d/debian.conf"
check "enforcerd built with BIND_NOW (hardening)" sh -c 'readelf -d "$1" | grep -q "BIND_NOW\|FLAGS.*NOW"' sh "$T/root/usr/sbin/enforcerd"
echo "1..$n"
exit $failed
