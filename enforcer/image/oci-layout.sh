#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# oci-layout.sh - pack a directory into a one-layer OCI image, written as an
# OCI image layout tar archive that `ctr -n k8s.io image import` (and skopeo,
# podman load) read.  No registry, no daemon: tar, gzip, sha256sum.  The
# archive is reproducible (sorted names, owner 0, mtime 0, gzip -n).
#
#   oci-layout.sh OUT.tar NAME:TAG ROOTDIR [--entrypoint 'A B'] [--cmd 'A B']
#                 [--env K=V]...
#
# NAME is the full reference the image is imported as (for example
# docker.io/library/busybox:latest); it goes into index.json as
# io.containerd.image.name and, the tag, as org.opencontainers.image.ref.name.
# Words of --entrypoint and --cmd are split on spaces.
set -eu

die() { echo "oci-layout: $*" >&2; exit 1; }
[ $# -ge 3 ] || die "usage: oci-layout.sh OUT.tar NAME:TAG ROOTDIR [--entrypoint 'A B'] [--cmd 'A B'] [--env K=V]..."
out=$1 ref=$2 root=$3
shift 3
[ -d "$root" ] || die "$root is not a directory"
case $ref in
*:*) tag=${ref##*:} ;;
*) die "NAME:TAG expected, got $ref" ;;
esac
entry= cmd= env='"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"'
# JSON array of the space-separated words of $1 (plain words only)
jarr() {
	_o=
	for _w in $1; do
		case $_w in *'"'*|*'\'*) die "no quotes or backslashes in '$_w'" ;; esac
		_o="$_o${_o:+,}\"$_w\""
	done
	echo "[$_o]"
}
while [ $# -gt 0 ]; do
	case $1 in
	--entrypoint) entry=$(jarr "$2"); shift 2 ;;
	--cmd) cmd=$(jarr "$2"); shift 2 ;;
	--env) case $2 in *'"'*|*'\'*) die "no quotes in --env" ;; esac; env="$env,\"$2\""; shift 2 ;;
	*) die "unknown option $1" ;;
	esac
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/l/blobs/sha256"
blob() {   # FILE -> moves it into blobs/, prints its digest
	_d=$(sha256sum "$1" | cut -d' ' -f1)
	mv "$1" "$work/l/blobs/sha256/$_d"
	echo "$_d"
}
size() { wc -c < "$work/l/blobs/sha256/$1" | tr -d ' '; }

tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 --format=posix \
	--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
	-C "$root" -cf "$work/layer.tar" .
diff_id=$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
gzip -n -6 "$work/layer.tar"
layer=$(blob "$work/layer.tar.gz")

{
	printf '{"architecture":"amd64","os":"linux","config":{"Env":[%s]' "$env"
	[ -z "$entry" ] || printf ',"Entrypoint":%s' "$entry"
	[ -z "$cmd" ] || printf ',"Cmd":%s' "$cmd"
	printf ',"WorkingDir":"/"},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]},' "$diff_id"
	printf '"history":[{"created_by":"enforcer oci-layout.sh"}]}'
} > "$work/config.json"
config=$(blob "$work/config.json")

printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",%s%s}' \
	"$(printf '"config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},' "$config" "$(size "$config")")" \
	"$(printf '"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:%s","size":%s}]' "$layer" "$(size "$layer")")" \
	> "$work/manifest.json"
manifest=$(blob "$work/manifest.json")

printf '{"imageLayoutVersion":"1.0.0"}' > "$work/l/oci-layout"
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"platform":{"architecture":"amd64","os":"linux"},"annotations":{"io.containerd.image.name":"%s","org.opencontainers.image.ref.name":"%s"}}]}' \
	"$manifest" "$(size "$manifest")" "$ref" "$tag" > "$work/l/index.json"
mkdir -p "$(dirname "$out")"
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$work/l" -cf "$out.tmp" oci-layout index.json blobs
mv "$out.tmp" "$out"
echo "oci-layout: $out: $ref (manifest sha256:$manifest)"
