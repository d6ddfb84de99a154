#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# fetch-kernel.sh VERSION OUT - download Debian's cloud kernel of one LTS
# series (6.1 or 6.12) with `apt-get download`, without installing it, and
# copy its boot/vmlinuz-* to OUT.  Does nothing when OUT exists.
set -e

ver=$1
out=$2
[ -n "$ver" ] && [ -n "$out" ] || { echo "usage: $0 6.1|6.12 OUT" >&2; exit 2; }
if [ -s "$out" ]; then
	echo "kernels: $out already present"
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
pkg=$(resolve)
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
cp "$vmlinuz" "$out.tmp"
mv "$out.tmp" "$out"
echo "kernels: $out <- $(basename "$deb")"
