# SPDX-License-Identifier: GPL-2.0-only
# 01-verifier.sh - how close each BPF program is to the verifier's limit of
# 1,000,000 processed instructions on this kernel, and how long enforcerd
# takes to load and go live.  A change that pushes a program past 90% of the
# limit fails here, before a merge of two such changes stops enforcerd from
# loading at all (it happened: enf_file_open on 6.1 and 6.12).
# guest-timeout: 900

LIMIT=1000000
HEADROOM=900000
mkdir -p /tmp/pol01
_t0=$(date +%s)
ENFORCER_VERIFIER_STATS=1 start_enforcerd /tmp/pol01 || true
_t1=$(date +%s)
diag "enforcerd went live $((_t1 - _t0)) s after start (TCG guest)"
diag "$(grep -E 'bpf: programs (loaded|attached)' /tmp/enforcerd.err | tr '\n' ' ')"

grep 'verifier: ' /tmp/enforcerd.err | sed -n 's/.*verifier: \([a-z0-9_]*\): .*processed \([0-9]*\) insns.*/\1 \2/p' > /tmp/verifier01
n=$(wc -l < /tmp/verifier01)
ok "the verifier reported statistics for the loaded programs ($n)" [ "$n" -ge 30 ]
while read -r prog insns; do
	if [ "$insns" -lt "$HEADROOM" ]; then
		pass "$prog: $insns of $LIMIT instructions processed (below $HEADROOM)"
	else
		fail "$prog: $insns of $LIMIT instructions processed (at or above $HEADROOM: split it before it stops loading)"
	fi
done < /tmp/verifier01
diag "largest: $(sort -k2 -n -r /tmp/verifier01 | head -5 | tr '\n' ' ')"
diag "slowest to verify (usec): $(sed -n 's/.*verifier: \([a-z0-9_]*\): .*verification time \([0-9]*\) usec.*/\1 \2/p' /tmp/enforcerd.err | sort -k2 -n -r | head -5 | tr '\n' ' ')"
stop_enforcerd
