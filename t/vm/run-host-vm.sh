#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# run-host-vm.sh - boot the real-host image (Debian bookworm, systemd as
# PID 1; t/vm/debian-image.sh, `make host-image`) with Debian's KVER kernel
# and initrd under qemu TCG, run guest test scripts there and print their
# results as one TAP stream.
#
#   t/vm/run-host-vm.sh KVER SCRIPT...
#
# KVER is 6.1 or 6.12.  A SCRIPT is a path relative to the project root
# (t/vm/host/20-service.sh) or a bare name of t/vm/host/ (20-service.sh).
#
# What the guest gets: a second disk (/dev/vdb) holding a tar archive of
# this tree (git's tracked and untracked-but-not-ignored files, plus build/
# without kernels and images: the built enforcerd, enforcerctl, hook,
# vm-bin helpers and objects, with their mtimes, so `make install` there
# builds nothing; build/deb/*.deb from `make deb` when present).  After multi-user.target, host-test.service unpacks it as
# /root/enforcer and t/vm/host/harness.sh runs each SCRIPT in order as root
# with bash, cwd /root/enforcer, t/vm/host/lib.sh sourced (TAP helpers of
# t/vm/lib.sh plus systemd ones), HT_KVER=KVER, HT_SRC=/root/enforcer.
# A script's stdout/stderr go to the serial console behind a marker; this
# script renumbers the TAP lines.  A script that exits non-zero or runs
# past its time (a line "# guest-timeout: SECONDS", default 600) fails.
#
# Reboots: a script that calls `host_reboot` (lib.sh) ends there; the guest
# reboots for real (`systemctl reboot`: a clean shutdown, then a new boot
# from the same disk, whose changes are kept) and the next SCRIPT runs in
# the new boot.  At most HOST_VM_MAX_BOOTS boots (default 4).
#
# The root image stays pristine: each run boots a qcow2 overlay of it under
# build/host-vm/.  A guest that does not finish (HOST_VM_TIMEOUT seconds a
# boot, default 1800), panics or crashes gives `not ok`; so does anything
# missing here (image, kernel, built files): run `make host-image all`.
# Environment: BUILD (build), HOST_VM_MEM (MiB, 2048), HOST_VM_TIMEOUT,
# HOST_VM_KEEP=1 keeps the overlay, archive and console.log,
# HOST_VM_APPEND adds kernel parameters (e.g. lsm=...).  no_timer_check:
# under a loaded TCG host the 6.1 kernel may otherwise panic with
# "IO-APIC + timer doesn't work".
# Timing under TCG: about 40 s to multi-user.target, 5-10 s to power off.
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
cd "$top" || exit 1
BUILD=${BUILD:-build}
IMG=$BUILD/host-image
TMO=${HOST_VM_TIMEOUT:-1800}
MAXBOOTS=${HOST_VM_MAX_BOOTS:-4}

kver=${1:-}
[ $# -ge 2 ] || { echo "usage: $0 6.1|6.12 SCRIPT..." >&2; exit 2; }
shift

die_tap() {
	echo "1..1"
	echo "not ok 1 - real-host VM test on kernel $kver cannot run: $*"
	echo "# run 'make host-image all' (and 'make deps') to build what is missing"
	exit 1
}
case "$kver" in 6.1 | 6.12) ;; *) die_tap "unknown kernel series '$kver' (6.1 or 6.12)" ;; esac
for f in root.img "vmlinuz-$kver" "initrd-$kver"; do
	[ -s "$IMG/$f" ] || die_tap "$IMG/$f missing (make host-image)"
done
command -v qemu-system-x86_64 >/dev/null 2>&1 || die_tap "qemu-system-x86_64 missing (make deps)"
command -v qemu-img >/dev/null 2>&1 || die_tap "qemu-img missing (make deps: qemu-utils)"
for f in enforcerd enforcerctl vm-bin/probe vm-bin/runas; do
	[ -x "$BUILD/$f" ] || die_tap "$BUILD/$f missing (make all)"
done

scripts=
for s in "$@"; do
	case "$s" in */*) p=$s ;; *) p=t/vm/host/$s ;; esac
	[ -f "$p" ] || die_tap "no guest script $p"
	scripts="$scripts$p
"
done

mkdir -p "$BUILD/host-vm"
work=$(mktemp -d "$BUILD/host-vm/run-$kver.XXXXXX") || exit 1
cleanup() {
	[ -s "$work/qemu.pid" ] && kill "$(cat "$work/qemu.pid")" 2>/dev/null
	[ "${HOST_VM_KEEP:-}" = 1 ] || rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 143' INT TERM

# ---- the test archive (second disk) ----
mkdir -p "$work/stage/host-test"
printf '%s' "$scripts" > "$work/stage/host-test/scripts"
echo "$kver" > "$work/stage/host-test/kver"
{
	if git rev-parse --git-dir >/dev/null 2>&1; then
		git ls-files -co --exclude-standard
	else
		find . -path ./build -prune -o \( -type f -o -type l \) -print | sed 's|^\./||'
	fi | while IFS= read -r f; do [ -e "$f" ] || [ -L "$f" ] && printf '%s\n' "$f"; done
	find "$BUILD" \( -path "$BUILD/kernels" -o -path "$BUILD/host-image" -o \
		-path "$BUILD/host-vm" -o -path "$BUILD/vm" -o -path "$BUILD/deb-build" \) -prune -o \
		\( -type f -o -type l \) -print
} | LC_ALL=C sort -u > "$work/files"
data=$work/data.tar
tar -cf "$data" -C "$work/stage" host-test || die_tap "tar failed"
tar -rf "$data" --transform='s,^,enforcer/,S' -T "$work/files" || die_tap "tar of the tree failed"

qemu-img create -q -f qcow2 -F raw -b "$top/$IMG/root.img" "$work/root.qcow2" ||
	die_tap "qemu-img create failed"

# ---- boots (one per host_reboot), all output into one filter ----
log=$work/console.log
: > "$log"
{
	boot=0
	while [ "$boot" -lt "$MAXBOOTS" ]; do
		boot=$((boot + 1))
		echo "@@BOOT@@ $boot"
		timeout --foreground -k 10 "$TMO" qemu-system-x86_64 -accel tcg -cpu max -smp 1 \
			-pidfile "$work/qemu.pid" \
			-m "${HOST_VM_MEM:-2048}" -nographic -no-reboot -nic none \
			-kernel "$IMG/vmlinuz-$kver" -initrd "$IMG/initrd-$kver" \
			-drive "file=$work/root.qcow2,if=virtio,format=qcow2" \
			-drive "file=$data,if=virtio,format=raw,readonly=on" \
			-append "root=/dev/vda rw console=ttyS0 panic=-1 quiet no_timer_check ${HOST_VM_APPEND:-}" \
			</dev/null 2>&1 | tee -a "$log"
		# Another boot only when the guest asked for it (last marker).
		last=$(grep -a -o -E '@@(REBOOT|DONE)@@' "$log" | tail -n 1)
		[ "$last" = "@@REBOOT@@" ] && [ "$(grep -a -c '@@REBOOT@@' "$log")" -ge "$boot" ] || break
	done
} | awk -v kver="$kver" -v tmo="$TMO" -v maxb="$MAXBOOTS" '
	function emit(s) { print s; fflush() }
	BEGIN { n = 0; failed = 0; done = 0; keep = 40; boots = 0 }
	{ sub(/\r+$/, "") }
	/^@@BOOT@@ / { boots = $2; next }
	index($0, "@@DONE@@") { done = 1; next }
	index($0, "@@REBOOT@@") { emit("# guest reboots (boot " boots " of at most " maxb ")"); next }
	index($0, "@@G@@ ") {
		s = substr($0, index($0, "@@G@@ ") + 6)
		if (s ~ /^(not )?ok([ \t]|$)/) {
			neg = (s ~ /^not /)
			sub(/^(not )?ok[ \t]*[0-9]*[ \t]*/, "", s)
			n++
			if (neg) failed++
			emit((neg ? "not ok " : "ok ") n (s == "" ? "" : " " s))
		} else if (s ~ /^#/ || s ~ /^Bail out!/) {
			emit(s)
		} else {
			emit("# " s)
		}
		next
	}
	{ c++; tail[c % keep] = $0 }
	END {
		if (!done) {
			n++
			failed++
			emit("not ok " n " - real-host guest on kernel " kver " did not finish (boot " boots ": timeout after " tmo " s, panic, crash or too many reboots)")
			for (i = c - keep + 1; i <= c; i++)
				if (i > 0)
					emit("# console: " tail[i % keep])
		}
		if (n == 0) { n = 1; failed = 1; emit("not ok 1 - guest reported no tests") }
		emit("1.." n)
		exit (failed || !done) ? 1 : 0
	}'
