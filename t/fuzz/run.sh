#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# run.sh - run one libFuzzer target the way `make fuzz` and `make fuzz-check`
# (and t/30-fuzz.t) do:
#   run.sh check NAME FUZZ_DIR SECONDS   replay t/fuzz/corpus/NAME/* and
#                                        t/fuzz/regress/NAME/*, then fuzz for
#                                        SECONDS from that corpus
#   run.sh fuzz  NAME FUZZ_DIR SECONDS   fuzz for SECONDS, keeping what it
#                                        finds in FUZZ_DIR/corpus/NAME
# The seed corpus in the repository is never written to.  Crash inputs go to
# FUZZ_DIR/artifacts/NAME/.  Exit status 0 when the target never failed.
set -u
mode=$1 name=$2 dir=$3 secs=$4
bin=$dir/$name
seeds=t/fuzz/corpus/$name
regress=t/fuzz/regress/$name
work=$dir/corpus/$name
art=$dir/artifacts/$name
[ -x "$bin" ] || { echo "$bin: not built" >&2; exit 1; }
mkdir -p "$work" "$art"
opts="-artifact_prefix=$art/ -max_len=16384 -timeout=20 -rss_limit_mb=2048 -print_final_stats=0"

if [ "$mode" = check ]; then
	# every seed and regression input once, by itself
	files=$(find "$seeds" "$regress" -type f ! -name README 2>/dev/null | sort)
	if [ -n "$files" ]; then
		# shellcheck disable=SC2086
		"$bin" $opts $files >"$art/replay.log" 2>&1 || {
			echo "$name: a seed or regression input fails:" >&2
			tail -40 "$art/replay.log" >&2
			exit 1
		}
	fi
	# a scratch corpus, so that the run starts from the seeds
	work=$(mktemp -d "$dir/corpus/$name.XXXXXX")
	trap 'rm -rf "$work"' EXIT
fi
# shellcheck disable=SC2086
dirs="$work"
for d in "$seeds" "$regress"; do
	[ -d "$d" ] && dirs="$dirs $d"
done
# shellcheck disable=SC2086
"$bin" $opts -max_total_time="$secs" $dirs \
	>"$art/fuzz.log" 2>&1
rc=$?
if [ $rc -ne 0 ]; then
	echo "$name: failed after fuzzing (exit $rc), input saved in $art/:" >&2
	tail -60 "$art/fuzz.log" >&2
	exit 1
fi
grep -h 'DONE\|Done' "$art/fuzz.log" | tail -1
exit 0
