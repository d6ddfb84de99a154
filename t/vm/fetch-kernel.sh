#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# fetch-kernel.sh VERSION OUT - download Debian's cloud kernel of one LTS
# series (6.1 or 6.12) with `apt-get download`, without installing it, and
# copy its boot/vmlinuz-* to OUT, and the SCTP and binfmt_misc modules with
# the modules they depend on (uncompressed, for busybox insmod) to the directory
# modules-VERSION next to OUT, with a file `order` naming them in the order
# to load (the VM's /init loads them: t/vm/init.sh).  Does nothing when both
# exist (and the modules name every module of MODULES); when only OUT exists, the modules are taken from the package of
# OUT's own kernel release, so that they match it.
set -e

ver=$1
out=$2
[ -n "$ver" ] && [ -n "$out" ] || { echo "usage: $0 6.1|6.12 OUT" >&2; exit 2; }
moddir=$(dirname "$out")/modules-$ver
# the modules the guest loads (their dependencies are added from the .ko files)
MODULES="sctp binfmt_misc"
have_all() {
	[ -s "$moddir/order" ] || return 1
	for m in $MODULES; do
		grep -qx "$m" "$moddir/order" || return 1
	done
}
if [ -s "$out" ] && have_all; then
	touch "$moddir/order"   # newer than this script: make is done
	echo "kernels: $out and $moddir already present"
	exit 0
fi
case "$ver" in
6.1) meta=linux-image-cloud-amd64 ;;
6.12) meta=linux-image-6.12-cloud-amd64 ;;
*) echo "kernels: unknown version $ver (6.1 or 6.12)" >&2; exit 2 ;;
esac

resolve() {
	apt-cache depends "$meta" 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[^ ]*-cloud-amd64\)$/\1/p' | head -n 1
}
# The kernel release of a bzImage (its header's version string).
release_of() {
	o=$(od -An -tu2 -j526 -N2 "$1" | tr -d ' ')
	dd if="$1" bs=1 skip=$((o + 512)) count=200 2>/dev/null | tr '\0' '\n' | head -n 1 | cut -d' ' -f1
}
pkg=
keep=
if [ -s "$out" ]; then
	rel=$(release_of "$out")
	case "$rel" in
	*-cloud-amd64) pkg=linux-image-$rel; keep=1 ;;
	esac
fi
[ -n "$pkg" ] || pkg=$(resolve)
if [ -z "$pkg" ]; then
	echo "kernels: $meta unknown to apt-cache; running apt-get update"
	apt-get update
	pkg=$(resolve)
fi
[ -n "$pkg" ] || { echo "kernels: cannot resolve $meta with apt-cache depends" >&2; exit 1; }

outdir=$(dirname "$out")
mkdir -p "$outdir"
tmp=$(mktemp -d "$outdir/.fetch-$ver.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# As root, apt's sandbox user _apt cannot write here: run unsandboxed.
sandbox=
[ "$(id -u)" = 0 ] && sandbox="-o APT::Sandbox::User=root"
got=
for cand in "$pkg-unsigned" "$pkg"; do
	echo "kernels: apt-get download $cand"
	if (cd "$tmp" && apt-get download $sandbox "$cand"); then
		got=$cand
		break
	fi
done
if [ -z "$got" ]; then
	echo "kernels: apt-get update and retry"
	apt-get update
	(cd "$tmp" && apt-get download $sandbox "$pkg-unsigned") ||
		(cd "$tmp" && apt-get download $sandbox "$pkg")
fi
deb=$(ls "$tmp"/*.deb | head -n 1)
dpkg-deb -x "$deb" "$tmp/x"
vmlinuz=$(ls "$tmp"/x/boot/vmlinuz-* | head -n 1)
[ -s "$vmlinuz" ] || { echo "kernels: no boot/vmlinuz-* in $deb" >&2; exit 1; }
krel=$(basename "$vmlinuz")
krel=${krel#vmlinuz-}
if [ -n "$keep" ] && [ "$krel" != "$rel" ]; then
	echo "kernels: $deb holds $krel, not $out's $rel" >&2
	exit 1
fi

# The modules: each one's .ko (or .ko.xz) under lib/modules/RELEASE/kernel,
# its dependencies (modinfo's depends=, read from the file) loaded first.
kdir=$tmp/x/lib/modules/$krel/kernel
mkdir -p "$tmp/m"
: > "$tmp/m/order"
add_module() {
	grep -qx "$1" "$tmp/m/order" && return 0
	n=$(echo "$1" | sed "s/[-_]/[-_]/g")
	f=$(find "$kdir" \( -name "$n.ko" -o -name "$n.ko.xz" \) | head -n 1)
	[ -n "$f" ] || { echo "kernels: module $1 not in $deb" >&2; exit 1; }
	case "$f" in
	*.xz) xz -dc "$f" > "$tmp/m/$1.ko" ;;
	*) cp "$f" "$tmp/m/$1.ko" ;;
	esac
	for d in $(strings -a "$tmp/m/$1.ko" | sed -n 's/^depends=//p' | tr ',' ' '); do
		add_module "$(echo "$d" | tr '-' '_')"
	done
	echo "$1" >> "$tmp/m/order"
}
for m in $MODULES; do
	add_module "$m"
done
if [ -z "$keep" ]; then
	cp "$vmlinuz" "$out.tmp"
	mv "$out.tmp" "$out"
	echo "kernels: $out <- $(basename "$deb")"
fi
# last: make's target modules-VERSION/order is then newer than OUT
rm -rf "$moddir"
mv "$tmp/m" "$moddir"
touch "$moddir/order"
echo "kernels: $moddir <- $(tr '\n' ' ' < "$moddir/order")"
