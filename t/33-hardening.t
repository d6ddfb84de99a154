#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# 33-hardening.t - issue 15: the binaries a host runs as root are built with
# the Makefile's hardening flags: position-independent (ELF type DYN with the
# PIE flag), relocations read-only (PT_GNU_RELRO) and bound at start
# (BIND_NOW), the stack protector (__stack_chk_fail referenced) and, for the
# dynamically linked ones, FORTIFY (__*_chk functions referenced).  Reads the
# binaries of $BUILD (default build/, made by `make all`); never skips: a
# missing binary or readelf fails.
cd "$(dirname "$0")/.." || exit 1
BUILD=${BUILD:-build}
export LC_ALL=C

n=0
failed=0
pass() { n=$((n + 1)); echo "ok $n - $*"; }
fail() { n=$((n + 1)); failed=1; echo "not ok $n - $*"; }
check() { _d=$1; shift; if "$@"; then pass "$_d"; else fail "$_d"; fi; }

echo "1..15"
command -v readelf >/dev/null 2>&1 || echo "# readelf missing (binutils): every check fails"

pie() { readelf -h "$1" 2>/dev/null | grep -q 'Type: *DYN' &&
	readelf -d "$1" 2>/dev/null | grep -q 'FLAGS_1.*PIE'; }
bind_now() { readelf -d "$1" 2>/dev/null | grep -Eq '\(BIND_NOW\)|FLAGS.*BIND_NOW|FLAGS_1.*NOW'; }
relro() { readelf -lW "$1" 2>/dev/null | grep -q 'GNU_RELRO'; }
# static binaries have no dynamic symbols: read the symbol table
syms() { { readelf -W --dyn-syms "$1"; readelf -Ws "$1"; } 2>/dev/null; }
stack_protector() { syms "$1" | grep -q '__stack_chk_fail'; }
fortify() { syms "$1" | grep -Eq ' __[a-z_]+_chk(@|$)'; }

for b in enforcerd enforcerctl enforcer-oci-hook; do
	f=$BUILD/$b
	check "$b: position-independent executable (PIE)" pie "$f"
	check "$b: relocations read-only after start (GNU_RELRO)" relro "$f"
	check "$b: symbols bound at start (BIND_NOW)" bind_now "$f"
	case $b in
	enforcer-oci-hook)
		# static: libc.a brings its own __stack_chk_fail and __*_chk, so
		# look at the hook's own object instead
		f=$BUILD/enforcer/hook/oci_hook.o ;;
	esac
	check "$b: stack protector (__stack_chk_fail)" stack_protector "$f"
	check "$b: FORTIFY_SOURCE (__*_chk calls)" fortify "$f"
done
exit $failed
