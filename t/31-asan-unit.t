#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# 31-asan-unit.t - issue 9: every unit test t/unit/test_*.c built with
# AddressSanitizer and UndefinedBehaviorSanitizer (build/asan/, see
# t/fuzz/fuzz.mk) runs cleanly: exit status 0 and no sanitizer report
# (leaks included).  One ok/not ok per test program; never skips.
cd "$(dirname "$0")/.." || exit 1
unset MAKEFLAGS MFLAGS MAKELEVEL
export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:abort_on_error=0:strict_string_checks=1:detect_stack_use_after_return=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
names=$(cd t/unit && ls test_*.c | sed 's/\.c$//')
n=$(echo $names | wc -w)
echo "1..$n"
i=0
fail=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for t in $names; do
	i=$((i + 1))
	if ! log=$(make -s "build/asan/$t" 2>&1); then
		echo "not ok $i - $t: ASan/UBSan build failed"
		echo "$log" | tail -30 | sed 's/^/# /'
		fail=1
		continue
	fi
	"build/asan/$t" >"$out" 2>&1
	rc=$?
	if [ $rc -eq 0 ] && ! grep -q 'Sanitizer\|runtime error:' "$out"; then
		echo "ok $i - $t under ASan+UBSan ($(grep -c '^ok ' "$out") checks)"
	else
		echo "not ok $i - $t under ASan+UBSan (exit $rc)"
		grep -n 'Sanitizer\|runtime error:\|^not ok' "$out" | head -20 | sed 's/^/# /'
		tail -40 "$out" | sed 's/^/# /'
		fail=1
	fi
done
exit $fail
