#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# 30-fuzz.t - issue 9: every libFuzzer target t/fuzz/fuzz_*.c builds (clang,
# -fsanitize=fuzzer,address,undefined), replays its seed corpus and its
# regression inputs, and survives FUZZ_CHECK_SECONDS (default 10) seconds of
# fuzzing.  Never skips: a target that cannot be built or run fails.
cd "$(dirname "$0")/.." || exit 1
unset MAKEFLAGS MFLAGS MAKELEVEL
secs=${FUZZ_CHECK_SECONDS:-10}
names=$(cd t/fuzz && ls fuzz_*.c | sed 's/\.c$//')
n=$(echo $names | wc -w)
[ "$n" -gt 0 ] || { echo "1..1"; echo "not ok 1 - no fuzz targets in t/fuzz"; exit 1; }
echo "1..$((2 * n))"
i=0
fail=0
for t in $names; do
	i=$((i + 1))
	if log=$(make -s "build/fuzz/$t" 2>&1); then
		echo "ok $i - $t builds"
	else
		echo "not ok $i - $t builds"
		echo "$log" | tail -30 | sed 's/^/# /'
		fail=1
	fi
	i=$((i + 1))
	if log=$(sh t/fuzz/run.sh check "$t" build/fuzz "$secs" 2>&1); then
		echo "ok $i - $t: seeds, regressions and ${secs} s of fuzzing ($(echo "$log" | tail -1))"
	else
		echo "not ok $i - $t: seeds, regressions and ${secs} s of fuzzing"
		echo "$log" | tail -60 | sed 's/^/# /'
		fail=1
	fi
done
exit $fail
