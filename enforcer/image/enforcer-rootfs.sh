#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# enforcer-rootfs.sh - the root file system of the enforcer container image,
# from what `make all` built: enforcerd and enforcerctl with the shared
# libraries ldd lists (Debian's libbpf1, libcap2, libelf1, zlib,
# libc), the static enforcer-oci-hook, CRI-O's hook file, and busybox-static
# as /bin/sh and its applets (the DaemonSet's init container runs a shell
# script with install and mv).  Nothing is fetched.
#
#   enforcer-rootfs.sh BUILD_DIR OUT_DIR
set -eu

die() { echo "enforcer-rootfs: $*" >&2; exit 1; }
[ $# -eq 2 ] || die "usage: enforcer-rootfs.sh BUILD_DIR OUT_DIR"
b=$1 r=$2
for f in enforcerd enforcerctl enforcer-oci-hook; do
	[ -x "$b/$f" ] || die "$b/$f missing (make all)"
done
busybox=
for c in /bin/busybox /usr/bin/busybox; do
	if [ -x "$c" ] && file -L "$c" 2>/dev/null | grep -q 'statically linked'; then
		busybox=$c
		break
	fi
done
[ -n "$busybox" ] || die "a static busybox is needed (Debian: busybox-static, make deps)"

rm -rf "$r"
mkdir -p "$r/usr/local/sbin" "$r/usr/local/bin" "$r/bin" "$r/etc/enforcer/policies" \
	"$r/proc" "$r/sys" "$r/dev" "$r/run" "$r/tmp" "$r/var/lib" "$r/host"
chmod 1777 "$r/tmp"
install -m 0755 "$b/enforcerd" "$b/enforcerctl" "$r/usr/local/sbin/"
install -m 0755 "$b/enforcer-oci-hook" "$r/usr/local/bin/"
install -m 0644 "$(dirname "$0")/../../kubernetes/crio-hook.json" "$r/etc/enforcer/crio-hook.json"
# shared libraries, at the paths the binaries look for them
for lib in $(ldd "$b/enforcerd" "$b/enforcerctl" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' | sort -u); do
	mkdir -p "$r$(dirname "$lib")"
	cp -L "$lib" "$r$lib"
done
# usrmerge: /lib64 and /lib are where the loader and libraries are found
install -m 0755 "$busybox" "$r/bin/busybox"
for a in $("$busybox" --list); do
	[ -e "$r/bin/$a" ] || ln -s busybox "$r/bin/$a"
done
# what the DaemonSet's init container runs (kubernetes/daemonset.yaml)
for a in sh cp chmod mv [; do
	[ -e "$r/bin/$a" ] || die "busybox has no '$a' applet (the DaemonSet's init container needs it)"
done
printf 'root:x:0:0:root:/:/bin/sh\n' > "$r/etc/passwd"
printf 'root:x:0:\n' > "$r/etc/group"
# the image must run: the loader finds every library
chroot_ok=
if [ "$(id -u)" = 0 ] && command -v chroot >/dev/null 2>&1; then
	chroot "$r" /usr/local/sbin/enforcerctl --help >/dev/null 2>&1 || die "enforcerctl does not run in $r"
	chroot "$r" /usr/local/sbin/enforcerd --help >/dev/null 2>&1 || die "enforcerd does not run in $r"
	chroot_ok=" (enforcerd and enforcerctl run in it)"
fi
echo "enforcer-rootfs: $r$chroot_ok"
