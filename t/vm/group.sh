#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# group.sh - run one group of guest scripts in one boot of one kernel:
#   t/vm/group.sh KERNEL_VERSION PATTERN...
# PATTERNs are globs over t/vm/guest/ (e.g. '1*.sh').  A pattern that matches
# nothing is an error (a test that silently runs nothing is a defect).
cd "$(dirname "$0")/../.." || exit 1
kver=$1
shift
scripts=
for pat in "$@"; do
	found=
	for f in t/vm/guest/$pat; do
		[ -f "$f" ] || continue
		scripts="$scripts $(basename "$f")"
		found=1
	done
	if [ -z "$found" ]; then
		echo "1..1"
		echo "not ok 1 - no guest script matches t/vm/guest/$pat"
		exit 1
	fi
done
# shellcheck disable=SC2086
exec t/vm/run-vm.sh "$kver" $scripts
