#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# host-group.sh - run one group of real-host guest scripts in one VM run
# (one boot, more when a script reboots) of one kernel:
#   t/vm/host-group.sh KERNEL_VERSION PATTERN...
# PATTERNs are globs over t/vm/host/ (e.g. '[0-3]*.sh').  A pattern that
# matches nothing is an error (a test that silently runs nothing is a defect).
cd "$(dirname "$0")/../.." || exit 1
kver=$1
shift
scripts=
for pat in "$@"; do
	found=
	for f in t/vm/host/$pat; do
		[ -f "$f" ] || continue
		scripts="$scripts $f"
		found=1
	done
	if [ -z "$found" ]; then
		echo "1..1"
		echo "not ok 1 - no real-host guest script matches t/vm/host/$pat"
		exit 1
	fi
done
# shellcheck disable=SC2086
exec t/vm/run-host-vm.sh "$kver" $scripts
