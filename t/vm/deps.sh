#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# deps.sh - install the Debian packages needed to build enforcer, run its
# tests in a VM and show the demo.  Asks the network only when something is
# missing (apt-get update once, then apt-get install).  Run as root.
set -e

PKGS="make gcc libc6-dev clang llvm libbpf-dev libelf-dev zlib1g-dev bpftool
pkg-config libcap-dev busybox-static cpio qemu-system-x86 socat
python3 perl coreutils libclang-rt-dev systemd groff-base crun python3-yaml gnuplot-nox
mmdebstrap e2fsprogs qemu-utils debhelper dpkg-dev binutils xz-utils"

missing=
for p in $PKGS; do
	st=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
	case "$st" in
	ii*) ;;
	*) missing="$missing $p" ;;
	esac
done
if [ -z "$missing" ]; then
	echo "deps: all packages already installed"
	exit 0
fi
echo "deps: missing:$missing"
if [ "$(id -u)" != 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		SUDO=sudo
	else
		echo "deps: not root and no sudo: install these packages:$missing" >&2
		exit 1
	fi
fi
echo "deps: apt-get update"
${SUDO:-} apt-get update
echo "deps: apt-get install -y --no-install-recommends$missing"
DEBIAN_FRONTEND=noninteractive ${SUDO:-} apt-get install -y --no-install-recommends $missing
