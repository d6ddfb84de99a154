#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# fetch-apparmor.sh - puts Debian's apparmor_parser under DIR (DIR/sbin/)
# for the benchmark VM's P1 configuration, without installing the package
# on this machine: `apt-get download apparmor` and unpack it.
#
#   t/bench/fetch-apparmor.sh DIR
set -eu
dir=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && apt-get download apparmor >/dev/null 2>&1) ||
	{ apt-get update >/dev/null 2>&1 && (cd "$tmp" && apt-get download apparmor >/dev/null); }
mkdir -p "$dir"
dpkg-deb -x "$tmp"/apparmor_*.deb "$tmp/x"
mkdir -p "$dir/sbin"
cp "$tmp/x/sbin/apparmor_parser" "$dir/sbin/apparmor_parser"
