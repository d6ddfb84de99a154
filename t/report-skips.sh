#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# report-skips.sh - after `make check`: how many tests were skipped, and
# which (the log t/tap.h and t/vm/run-vm.sh append to when ENFORCER_SKIP_LOG
# is set).  Skips listed in t/vm/must-run.txt already failed their test.
#   t/report-skips.sh LOG
log=$1
if [ ! -s "$log" ]; then
	echo "make check: 0 tests skipped"
	exit 0
fi
echo "make check: $(wc -l < "$log" | tr -d ' ') test(s) skipped:"
sed 's/^/  /' "$log"
