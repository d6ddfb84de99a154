#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# run-bench.sh - boot the 6.12 kernel once under qemu with
# `-icount shift=0,sleep=off` (guest time counts instructions, so samples
# repeat) and the bpf and apparmor LSMs on, run t/bench/guest.sh inside,
# and collect its JSON lines into $BUILD/bench/results.json.
#
#   t/bench/run-bench.sh [OUT.json]
#
# Environment: BUILD (default build), BENCH_KERNEL (default 6.12),
# BENCH_SIZES "ROUNDS N_OPEN N_EXEC N_CONNECT STORM_SECS RELOADS MAXRULES",
# BENCH_TIMEOUT seconds (default 1500), QEMU_EXTRA (more qemu arguments),
# BENCH_KEEP=1 keeps the initramfs and the console log.
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
cd "$top" || exit 1
BUILD=${BUILD:-build}
KVER=${BENCH_KERNEL:-6.12}
SIZES=${BENCH_SIZES:-5 2000 100 200 10 50 100000}
TMO=${BENCH_TIMEOUT:-1500}
out=${1:-$BUILD/bench/results.json}
bb=$BUILD/bench-bin

die() {
	echo "run-bench: $*" >&2
	exit 1
}
kernel=$BUILD/kernels/vmlinuz-$KVER
[ -s "$kernel" ] || die "$kernel missing (make kernels)"
command -v qemu-system-x86_64 >/dev/null 2>&1 || die "qemu-system-x86_64 missing (make deps)"
busybox=
for b in /bin/busybox /usr/bin/busybox; do
	[ -x "$b" ] && file -L "$b" 2>/dev/null | grep -q 'statically linked' && { busybox=$b; break; }
done
[ -n "$busybox" ] || die "busybox (static) missing (make deps)"
for f in $bb/bench $bb/noop $bb/landlock $bb/floor $bb/bpfstats $BUILD/enforcerd \
	$BUILD/enforcerctl $BUILD/vm-bin/jsonget; do
	[ -x "$f" ] || die "$f missing (make bench builds it)"
done

mkdir -p "$BUILD/bench" "$(dirname "$out")"
work=$(mktemp -d "$BUILD/bench/run.XXXXXX") || exit 1
[ "${BENCH_KEEP:-}" = 1 ] || trap 'rm -rf "$work"' EXIT
root=$work/root
mkdir -p "$root" && cd "$root" || exit 1
mkdir -p bin sbin usr/bin usr/sbin lib lib64 etc proc sys dev tmp run root t
cd "$top" || exit 1

cp "$busybox" "$root/bin/busybox"
for a in $("$busybox" --list); do
	[ "$a" = busybox ] || ln -s busybox "$root/bin/$a"
done
# copy_bin FILE DEST: FILE and the shared libraries ldd lists for it.
copy_bin() {
	cp "$1" "$root$2"
	ldd "$1" 2>/dev/null | awk '
		$2 == "=>" && $3 ~ /^\// { print $3 }
		$1 ~ /^\// { print $1 }' |
	while read -r lib; do
		mkdir -p "$root$(dirname "$lib")"
		[ -e "$root$lib" ] || cp -L "$lib" "$root$lib"
	done
}
for f in bench noop landlock floor bpfstats; do
	copy_bin "$bb/$f" /bin/$f
done
cp "$bb/bench" "$root/usr/bin/bench-aa"
copy_bin "$BUILD/enforcerd" /bin/enforcerd
copy_bin "$BUILD/enforcerctl" /bin/enforcerctl
cp "$BUILD/vm-bin/jsonget" "$root/bin/jsonget"
if [ -x "$BUILD/bench/apparmor/sbin/apparmor_parser" ]; then
	copy_bin "$BUILD/bench/apparmor/sbin/apparmor_parser" /sbin/apparmor_parser
	mkdir -p "$root/etc/apparmor"
else
	echo "run-bench: no apparmor_parser ($BUILD/bench/apparmor): P1 will be skipped" >&2
fi
cp t/bench/bench.aa "$root/t/bench.aa"
cp t/bench/guest.sh "$root/init"
chmod 755 "$root/init"
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$root/etc/passwd"
printf 'root:x:0:\n' > "$root/etc/group"

initrd=$work/initrd.cpio
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) > "$initrd" || die "cpio failed"

log=$work/console.log
append="console=ttyS0 panic=-1 quiet lsm=lockdown,capability,landlock,yama,apparmor,bpf -- $SIZES"
echo "run-bench: booting $kernel under -icount (sizes: $SIZES; timeout $TMO s)" >&2
start=$(date +%s)
# mawk reads its input in blocks: ask it for lines, to show progress as it comes.
awk_i=
awk -W version 2>&1 | grep -q mawk && awk_i="-W interactive"
# shellcheck disable=SC2086
timeout -k 10 "$TMO" qemu-system-x86_64 -accel tcg -cpu max -m 2048 \
	-icount shift=0,sleep=off ${QEMU_EXTRA:-} \
	-nographic -no-reboot -nic none -kernel "$kernel" -initrd "$initrd" \
	-append "$append" </dev/null 2>&1 |
tee "$log" | awk $awk_i -v out="$out.tmp" '
	{ sub(/\r+$/, "") }
	index($0, "@@BENCHDONE@@") { done = 1; next }
	index($0, "@@B@@ ") {
		s = substr($0, index($0, "@@B@@ ") + 6)
		print s > out
		"date +%s" | getline now
		close("date +%s")
		if (!t0) t0 = now
		printf "  [%4d s] %s\n", now - t0, s > "/dev/stderr"
		fflush("/dev/stderr")
		next
	}
	{ c++; tail[c % 20] = $0 }
	END {
		if (!done) {
			print "run-bench: the guest did not finish; last console lines:" > "/dev/stderr"
			for (i = c - 19; i <= c; i++)
				if (i > 0)
					print "  | " tail[i % 20] > "/dev/stderr"
		}
		exit done ? 0 : 1
	}'
rc=$?
echo "run-bench: $(($(date +%s) - start)) s of wall time" >&2
[ -s "$out.tmp" ] && mv "$out.tmp" "$out"
[ "${BENCH_KEEP:-}" = 1 ] && echo "run-bench: kept $work" >&2
exit $rc
