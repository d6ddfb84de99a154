#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# debian-image.sh - build (once, cached) the real-host VM image: Debian
# bookworm with systemd as PID 1, journald, dbus, containerd, runc, python3
# and Debian's 6.1 and 6.12 cloud kernels with their own initrds.
#
#   t/vm/debian-image.sh [OUTDIR]        (make host-image; OUTDIR default
#                                         $BUILD/host-image, BUILD=build)
#
# Makes, in OUTDIR:
#   root.img                 ext4 root file system (raw, 4 GiB sparse); boot
#                            it with qemu -snapshot so it stays pristine
#   vmlinuz-6.1  initrd-6.1  the bookworm kernel and Debian's initrd for it
#   vmlinuz-6.12 initrd-6.12 the bookworm-updates/-security 6.12 kernel
#   packages.txt             the installed package versions
#   recipe                   hash of this script and t/vm/host-image.packages
# Nothing is done when `recipe` matches: editing this script or the package
# list (t/vm/host-image.packages, one package a line) rebuilds the image.
# HOST_IMAGE_FORCE=1 rebuilds anyway.  Needs root, mmdebstrap and
# mkfs.ext4 (`make deps`) and the network (deb.debian.org, or
# HOST_IMAGE_MIRROR / HOST_IMAGE_SECURITY_MIRROR); about 3 minutes, ~1 GB.
#
# The image boots to multi-user.target and then runs host-test.service, a
# oneshot unit that unpacks the tar archive on the second disk (/dev/vdb)
# into /root and runs /root/enforcer/t/vm/host/harness.sh with its output
# on ttyS0 (see t/vm/run-host-vm.sh, which makes that disk).  Without a
# second disk it reports `not ok` and powers off.  containerd is installed
# but not enabled (faster boots): tests `systemctl start containerd`.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
cd "$top"
BUILD=${BUILD:-build}
out=${1:-$BUILD/host-image}
pkgfile=t/vm/host-image.packages
MIRROR=${HOST_IMAGE_MIRROR:-http://deb.debian.org/debian}
SECMIRROR=${HOST_IMAGE_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
SUITE=bookworm

die() { echo "host-image: $*" >&2; exit 1; }

recipe=$(cat "$0" "$pkgfile" | sha256sum | cut -d' ' -f1)
if [ "${HOST_IMAGE_FORCE:-}" != 1 ] && [ -f "$out/recipe" ] &&
	[ "$(cat "$out/recipe")" = "$recipe" ] && [ -s "$out/root.img" ] &&
	[ -s "$out/vmlinuz-6.1" ] && [ -s "$out/initrd-6.1" ] &&
	[ -s "$out/vmlinuz-6.12" ] && [ -s "$out/initrd-6.12" ]; then
	echo "host-image: $out is up to date"
	exit 0
fi

[ "$(id -u)" = 0 ] || die "must run as root (mmdebstrap, file ownership in the image)"
command -v mmdebstrap >/dev/null 2>&1 || die "mmdebstrap missing (make deps)"
command -v mkfs.ext4 >/dev/null 2>&1 || die "mkfs.ext4 missing (make deps: e2fsprogs)"

pkgs=$(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$pkgfile" | grep -v '^$' | paste -sd, -)
[ -n "$pkgs" ] || die "no packages in $pkgfile"

mkdir -p "$(dirname "$out")"
tmp=$(mktemp -d "$(dirname "$out")/.host-image.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
rootfs=$tmp/rootfs

echo "host-image: mmdebstrap $SUITE (${pkgs})"
mmdebstrap --variant=minbase --include="$pkgs" \
	--aptopt='Acquire::Retries "3"' \
	"$SUITE" "$rootfs" \
	"deb $MIRROR $SUITE main" \
	"deb $MIRROR $SUITE-updates main" \
	"deb $SECMIRROR $SUITE-security main"

# ---- configure the image (files written directly, no chroot needed) ----
echo enforcer-host > "$rootfs/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\tenforcer-host\n::1\tlocalhost\n' > "$rootfs/etc/hosts"
echo '/dev/vda / ext4 rw,relatime 0 0' > "$rootfs/etc/fstab"
# A fixed machine id: not a "first boot" (no systemd-firstboot prompts).
echo 3c0b6e0d1f8a4e5f9d2c7b1a0e9f8d7c > "$rootfs/etc/machine-id"
# Quiet, deterministic boots: no getty on the test console, no timers.
for u in serial-getty@ttyS0.service getty@tty1.service apt-daily.timer \
	apt-daily-upgrade.timer e2scrub_all.timer e2scrub_reap.service \
	fstrim.timer dpkg-db-backup.timer systemd-tmpfiles-clean.timer man-db.timer; do
	ln -sf /dev/null "$rootfs/etc/systemd/system/$u"
done
rm -f "$rootfs/etc/systemd/system/multi-user.target.wants/containerd.service"

cat > "$rootfs/usr/local/sbin/host-test-boot" <<'BOOT'
#!/bin/sh
# host-test-boot - run by host-test.service: unpack the test archive on
# /dev/vdb into /root (once; kept across guest reboots) and run its harness.
exec >/dev/ttyS0 2>&1 </dev/null
if [ ! -e /root/host-test/.unpacked ]; then
	if ! tar -xf /dev/vdb -C /root || [ ! -f /root/enforcer/t/vm/host/harness.sh ]; then
		echo "@@G@@ not ok - host-test-boot: no test archive on /dev/vdb"
		echo "@@DONE@@"
		systemctl poweroff --force --force
	fi
	touch /root/host-test/.unpacked
fi
exec /bin/sh /root/enforcer/t/vm/host/harness.sh
BOOT
chmod 755 "$rootfs/usr/local/sbin/host-test-boot"
cat > "$rootfs/etc/systemd/system/host-test.service" <<'UNIT'
# host-test.service - runs the real-host VM tests once the system is up.
[Unit]
Description=enforcer real-host VM tests
After=multi-user.target
ConditionPathExists=/dev/vdb

[Service]
Type=oneshot
ExecStart=/usr/local/sbin/host-test-boot
TimeoutStartSec=infinity
StandardOutput=null
StandardError=null

[Install]
WantedBy=multi-user.target
UNIT
ln -sf /etc/systemd/system/host-test.service \
	"$rootfs/etc/systemd/system/multi-user.target.wants/host-test.service"

# ---- kernels and Debian's initrds ----
take() { # SERIES GLOB
	k=$(ls "$rootfs"/boot/vmlinuz-$2 2>/dev/null | sort -V | tail -n 1)
	[ -n "$k" ] || die "no /boot/vmlinuz-$2 in the image"
	v=${k##*/vmlinuz-}
	[ -s "$rootfs/boot/initrd.img-$v" ] || die "no /boot/initrd.img-$v (initramfs-tools)"
	cp "$k" "$tmp/vmlinuz-$1"
	cp "$rootfs/boot/initrd.img-$v" "$tmp/initrd-$1"
	echo "host-image: kernel $1 = $v"
}
take 6.1 '6.1.*-cloud-amd64'
take 6.12 '6.12.*-cloud-amd64'

chroot "$rootfs" dpkg-query -W -f '${Package} ${Version}\n' > "$tmp/packages.txt"

echo "host-image: mkfs.ext4 -d (4 GiB sparse)"
rm -f "$tmp/root.img"
truncate -s 4G "$tmp/root.img"
mkfs.ext4 -q -F -L enforcer-host -d "$rootfs" "$tmp/root.img"

mkdir -p "$out"
for f in root.img vmlinuz-6.1 initrd-6.1 vmlinuz-6.12 initrd-6.12 packages.txt; do
	mv "$tmp/$f" "$out/$f"
done
echo "$recipe" > "$out/recipe"
echo "host-image: $out ready"
