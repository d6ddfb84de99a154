#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# run-vm.sh - boot a Debian cloud kernel in qemu (TCG) with the bpf LSM on,
# run guest test scripts inside and print their results as one TAP stream.
#
#   t/vm/run-vm.sh [--demo] KERNEL_VERSION [SCRIPT...]
#
# KERNEL_VERSION is 6.1 or 6.12 (build/kernels/vmlinuz-VERSION, made by
# `make kernels`).  SCRIPTs are names of t/vm/guest/*.sh (default: all of
# them), run in one boot, in order, sharing one test counter.  --demo runs
# t/vm/demo.sh instead and shows its output as it is.
#
# The guest prefixes each line it reports with a marker on the serial
# console; everything else (kernel messages) is dropped, except that the
# last console lines are shown when the guest does not finish.  A script
# that dies mid-way, a guest that hangs (VM_TIMEOUT seconds, default 600)
# or crashes gives `not ok`.  A test skipped in the guest (`# SKIP`: an
# environment gap) stays a skip, unless its description contains a line of
# t/vm/must-run.txt (what must run on the 6.1 and 6.12 kernels): then it is
# `not ok`, and so is a skip without a description (the report would name
# nothing).  Skips are counted ("# N skipped") and, when ENFORCER_SKIP_LOG
# names a file, appended to it (`make check` reports them).
# Environment: BUILD (default build), VM_TIMEOUT, GUEST_SCRIPT_TIMEOUT, VM_KEEP=1 keeps the
# initramfs and console log.
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
cd "$top" || exit 1
BUILD=${BUILD:-build}
VM_TIMEOUT=${VM_TIMEOUT:-600}

mode=tap
if [ "${1:-}" = --demo ]; then
	mode=demo
	shift
fi
kver=${1:-}
[ -n "$kver" ] || { echo "usage: $0 [--demo] 6.1|6.12 [SCRIPT...]" >&2; exit 2; }
shift

# Fail (never skip) when something needed is missing: `make check` makes it.
die_tap() {
	if [ "$mode" = tap ]; then
		echo "1..1"
		echo "not ok 1 - VM test on kernel $kver cannot run: $*"
		echo "# run 'make check' (or 'make deps kernels all') to install and build what is missing"
	else
		echo "run-vm: cannot run: $*" >&2
	fi
	exit 1
}
kernel=$BUILD/kernels/vmlinuz-$kver
[ -s "$kernel" ] || die_tap "kernel $kernel missing (make kernels)"
# the kernel's SCTP module and its dependencies (t/vm/fetch-kernel.sh)
modules=$BUILD/kernels/modules-$kver
[ -s "$modules/order" ] || die_tap "$modules/order missing (make kernels)"
command -v qemu-system-x86_64 >/dev/null 2>&1 || die_tap "qemu-system-x86_64 missing (make deps)"
command -v cpio >/dev/null 2>&1 || die_tap "cpio missing (make deps)"
busybox=
for b in /bin/busybox /usr/bin/busybox; do
	if [ -x "$b" ] && file -L "$b" 2>/dev/null | grep -q 'statically linked'; then
		busybox=$b
		break
	fi
done
[ -n "$busybox" ] || [ ! -x /bin/busybox ] || busybox=/bin/busybox
[ -n "$busybox" ] || die_tap "busybox (static) missing (make deps)"
for h in probe jsonget runas; do
	[ -x "$BUILD/vm-bin/$h" ] || die_tap "$BUILD/vm-bin/$h missing (make all)"
done

if [ "$mode" = demo ]; then
	set -- demo.sh
elif [ $# -eq 0 ]; then
	for f in t/vm/guest/*.sh; do
		set -- "$@" "$(basename "$f")"
	done
fi
for s in "$@"; do
	[ "$mode" = demo ] || [ -f "t/vm/guest/$s" ] || die_tap "no guest script t/vm/guest/$s"
done

# ---- the initramfs ----
mkdir -p "$BUILD/vm"
work=$(mktemp -d "$BUILD/vm/run-$kver.XXXXXX") || exit 1
[ "${VM_KEEP:-}" = 1 ] || trap 'rm -rf "$work"' EXIT
root=$work/root
mkdir -p "$root" && cd "$root" || exit 1
mkdir -p bin sbin usr/bin usr/sbin lib lib64 etc proc sys dev tmp run root \
	home/user t/guest policies var/log
cd "$top" || exit 1

cp "$busybox" "$root/bin/busybox"
# /init loads these (insmod, in the order of the file order)
mkdir -p "$root/lib/modules/vm"
cp "$modules"/order "$modules"/*.ko "$root/lib/modules/vm/"
for a in $("$busybox" --list); do
	[ "$a" = busybox ] || ln -s busybox "$root/bin/$a"
done
for h in "$BUILD"/vm-bin/*; do
	[ -x "$h" ] && cp "$h" "$root/bin/"
done
# Distinct static binaries to exec (probe run under another name exits 0).
for n in allowme denyme other1 other2 other3 symtarget; do
	cp "$BUILD/vm-bin/probe" "$root/usr/bin/$n"
done
cp "$BUILD/vm-bin/probe" "$root/usr/bin/curl"
mkdir -p "$root/usr/local/bin"
ln -s /usr/bin/symtarget "$root/usr/local/bin/viasym"

# enforcerd, enforcerctl, the OCI hook and the host programs named in
# VM_EXTRA_BINS (default: crun, the OCI runtime of t/vm/guest/40-oci.sh,
# when installed), with the shared libraries they need (plus loader).
for b in enforcerd enforcerctl enforcer-oci-hook ${VM_EXTRA_BINS-crun}; do
	case $b in
	enforcer*) src=$BUILD/$b ;;
	*) src=$(command -v "$b" 2>/dev/null) || continue ;;
	esac
	[ -x "$src" ] || continue
	cp "$src" "$root/bin/$b"
	ldd "$src" 2>/dev/null | awk '
		$2 == "=>" && $3 ~ /^\// { print $3 }
		$1 ~ /^\// { print $1 }' |
	while read -r lib; do
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
done
[ -d policies ] && cp -R policies/. "$root/policies/"
# peer test cases written as policies (t/peer, 25-policy-tests.sh)
[ -d t/peer ] && mkdir -p "$root/peer" && cp t/peer/*.ini t/peer/*test "$root/peer/"
cp t/vm/lib.sh "$root/t/lib.sh"
cp t/vm/guest/*.sh "$root/t/guest/" 2>/dev/null
[ -f t/vm/demo.sh ] && cp t/vm/demo.sh "$root/t/demo.sh"
cp t/vm/init.sh "$root/init"
chmod 755 "$root/init"

cat > "$root/etc/passwd" <<'PW'
root:x:0:0:root:/root:/bin/sh
user:x:1000:1000:unprivileged test user:/home/user:/bin/sh
PW
cat > "$root/etc/group" <<'GR'
root:x:0:
enforcer:x:1000:user
enfadmin:x:1001:
GR
printf 'root:*:19000:0:99999:7:::\nuser:*:19000:0:99999:7:::\n' > "$root/etc/shadow"
chmod 600 "$root/etc/shadow"
chown -R 1000:1000 "$root/home/user" 2>/dev/null

initrd=$work/initrd.cpio
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) > "$initrd" ||
	die_tap "cpio failed"

# ---- boot ----
log=$work/console.log
# GUEST_SCRIPT_TIMEOUT (seconds per guest script, default 240 in init.sh) and
# ENFORCERD_START_WAIT (lib.sh, default 300)
# reach /init as environment variables from the kernel command line.
append="console=ttyS0 panic=-1 quiet no_timer_check lsm=lockdown,capability,landlock,yama,bpf"
append="$append${GUEST_SCRIPT_TIMEOUT:+ GUEST_SCRIPT_TIMEOUT=$GUEST_SCRIPT_TIMEOUT}${ENFORCERD_START_WAIT:+ ENFORCERD_START_WAIT=$ENFORCERD_START_WAIT} -- $mode $*"
timeout -k 10 "$VM_TIMEOUT" qemu-system-x86_64 -accel tcg -cpu max -m 1024 \
	-nographic -no-reboot -nic none -kernel "$kernel" -initrd "$initrd" \
	-append "$append" </dev/null 2>&1 |
tee "$log" | awk -v mode="$mode" -v kver="$kver" -v tmo="$VM_TIMEOUT" \
	-v mustfile="$top/t/vm/must-run.txt" -v skiplog="${ENFORCER_SKIP_LOG:-}" '
	function emit(s) { print s; fflush() }
	BEGIN {
		n = 0; failed = 0; done = 0; keep = 30; nmust = 0; skipped = 0
		while ((getline l < mustfile) > 0)
			if (l !~ /^[ \t]*(#|$)/)
				must[++nmust] = l
	}
	{ sub(/\r+$/, "") }
	index($0, "@@DONE@@") { done = 1; next }
	index($0, "@@G@@ ") {
		s = substr($0, index($0, "@@G@@ ") + 6)
		if (mode == "demo") { emit(s); next }
		if (s ~ /^(not )?ok([ \t]|$)/) {
			neg = (s ~ /^not /)
			sub(/^(not )?ok[ \t]*[0-9]*[ \t]*/, "", s)
			n++
			if (!neg && s ~ /# SKIP/) {
				d = s
				sub(/[ \t]*# SKIP.*/, "", d)
				sub(/^-[ \t]*/, "", d)
				why = s
				sub(/.*# SKIP[ \t]*/, "", why)
				skipped++
				if (d == "") {
					# a skip must say which test it stands for
					neg = 1
					d = "(a test skipped without a description)"
					s = "- " d " -- skipped (" why ")"
				}
				if (skiplog != "")
					print "kernel " kver ": " d " (" why ")" >> skiplog
				for (i = 1; i <= nmust; i++)
					if (index(d, must[i])) {
						neg = 1
						s = "- " d " -- skipped (" why "), but it must run on kernel " kver " (t/vm/must-run.txt)"
						break
					}
			}
			if (neg) failed++
			emit((neg ? "not ok " : "ok ") n (s == "" ? "" : " " s))
		} else if (s ~ /^#/) {
			emit(s)
		} else if (s ~ /^Bail out!/) {
			emit(s)
		} else {
			emit("# " s)
		}
		next
	}
	{ c++; tail[c % keep] = $0 }
	END {
		if (!done) {
			msg = "guest on kernel " kver " did not finish (timeout after " tmo " s, panic or crash)"
			if (mode == "demo") {
				print "run-vm: " msg > "/dev/stderr"
			} else {
				n++
				failed++
				emit("not ok " n " - " msg)
			}
			for (i = c - keep + 1; i <= c; i++)
				if (i > 0)
					print "# console: " tail[i % keep] > (mode == "demo" ? "/dev/stderr" : "/dev/stdout")
		}
		if (mode != "demo") {
			emit("# kernel " kver ": " skipped " test(s) skipped")
			if (n == 0) { n = 1; failed = 1; emit("not ok 1 - guest reported no tests") }
			emit("1.." n)
		}
		exit (failed || !done) ? 1 : 0
	}'
