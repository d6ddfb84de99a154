# SPDX-License-Identifier: GPL-2.0-only
# 23-flood.sh - a flood of denials (issue 4): a confined process opens a
# guest-timeout: 600
# denied file N times in a tight loop; every attempt is EPERM, lines
# received in the log + losses reported ({"lost":N} lines, and
# ringbuf_drops in stats) == what was provoked, the daemon's RSS stays
# bounded, a follower that never reads is dropped without holding up the
# log file, and other cgroups' enforcement and the socket stay responsive.
#
# Then a deny storm with suppression on (issue 16, --storm-window 1000
# --storm-burst 3): a process denies for 10 s and counts its attempts; its
# full lines + the "suppressed" counts (on later lines and on summary lines,
# written when a window ends and at stop) == its attempts exactly, nothing
# lost; its first line is a full one; another process on the same rule, and
# on another rule, gets full lines of its own.  A storm's last window may
# hold no more than the burst (its end is the workload's, not ours), so the
# summary line is checked on a short burst of its own: 200 denials in one
# window leave 197 pending that only a summary line (window end or stop)
# can report; it names the policy, rule, cgroup and process.
#
# N is 1,000,000 on 6.12 (40-65 s of flood under TCG).  On 6.1 the same
# flood takes 70-140 s under TCG and, with the log checks after it, can pass
# the harness's 240 s per-script limit, so 6.1 gets 200,000 (diag says so).

P=/tmp/pol23
D=/data/t23
CG=t23/gov
L=$AUDIT_LOG
S=/run/enforcer/enforcer.sock
mkdir -p $D
echo data > $D/secret
echo data > $D/other
cg_make $CG
cg_make t23/bystander
write_policy $P t23 <<INI
[policy]
cgroup = /$CG
[file]
deny = $D/secret
INI
write_policy $P t23b <<INI
[policy]
cgroup = /t23/bystander
[exec]
deny = /usr/bin/denyme
INI

case "$(uname -r)" in
6.1.*) N=200000 ;;
*) N=1000000 ;;
esac
diag "flood: $N denied opens on kernel $(uname -r)"

start_enforcerd $P
rss() {
	awk '/^VmRSS:/ { print $2 }' /proc/$ENFORCERD_PID/status
}
rss0=$(rss)

sockclient -s 'audit follow\n' -W -w 3600 $S &
STUCK=$!
i=0
while [ $i -lt 50 ]; do
	enforcerctl --json stats | grep -q '"followers":1' && break
	sleep 0.1
	i=$((i + 1))
done

in_cg $CG flood $N $D/secret > /tmp/t23.flood 2>&1 &
FPID=$!
sleep 3
# while it runs: another cgroup's enforcement and the socket
t0=$(flood ms)
st=$(enforcerctl --timeout 20 --json status | jsonget live)
t1=$(flood ms)
r=$(in_cg t23/bystander probe exec /usr/bin/denyme)
extra=1
is "$st $r" "true EPERM" "during the flood: status answers ($((t1 - t0)) ms), a bystander's exec is EPERM"
kill -0 $FPID 2>/dev/null || diag "(the flood was already over)"
wait $FPID
frc=$?
is "$frc" 0 "flood: every one of $N opens was EPERM"
diag "$(cat /tmp/t23.flood)"
ms=$(sed -n 's/.* ms=\([0-9]*\).*/\1/p' /tmp/t23.flood)
diag "flood-ms: $ms for $N denied opens ($(uname -r))"

# let the daemon drain and report losses (its tick is 1 s)
prev=-1
i=0
while [ $i -lt 60 ]; do
	cur=$(wc -l < $L)
	[ "$cur" = "$prev" ] && break
	prev=$cur
	sleep 2
	i=$((i + 1))
done
sleep 2
rss1=$(rss)

# one pass: validates every line and prints its "lost" ((missing) for events)
ok "every log line is valid JSON" sh -c "jsonget lost < $L > /tmp/t23.lost"
events=$(grep -c missing /tmp/t23.lost)
lost=$(grep -v missing /tmp/t23.lost | awk '{ s += $1 } END { print s + 0 }')
drops=$(enforcerctl --json stats | jsonget ringbuf_drops)
diag "received $events event lines, $lost reported lost, stats ringbuf_drops $drops"
is "$((events + lost))" "$((N + extra))" "received + lost == provoked ($N + $extra)"
is "$lost" "$drops" "the {\"lost\":N} lines add up to stats ringbuf_drops"
is "$(grep '"hook":' $L | grep -v "\"path\":\"$D/secret\"" | grep -vc '"path":"/usr/bin/denyme"')" 0 \
	"every event line is the flood's or the bystander's"
diag "enforcerd VmRSS: $rss0 kB before, $rss1 kB after"
like "$rss0 $rss1" '^[1-9][0-9]* [1-9][0-9]*$' "enforcerd VmRSS read before and after the flood (kB)"
grow=$((${rss1:-999999} - ${rss0:-0}))
# 16 MiB: the backlog (1024 lines) and a follower's queue (1 MiB) are
# bounded; a leak of 1 KiB per delivered line (about 55,000 lines on 6.12)
# grew it by 55 MB and was missed by the old 64 MiB bound
ok "enforcerd RSS growth bounded ($grow kB < 16384 kB)" test "$grow" -lt 16384
like "$(enforcerctl --json stats | jsonget control | grep -o '"followers_dropped":[0-9]*')" \
	'"followers_dropped":[1-9]' "the follower that never read was dropped"
kill $STUCK 2>/dev/null
wait $STUCK 2>/dev/null
is "$(in_cg $CG probe open $D/secret r)" EPERM "after the flood: still EPERM"
is "$(enforcerctl --json status | jsonget live)" true "after the flood: the daemon answers"
stop_enforcerd

# ---- a deny storm with suppression on: nothing lost, all counted ----
P2=/tmp/pol23s
echo data > $D/third
write_policy $P2 t23s <<INI
[policy]
cgroup = /$CG
[file]
deny = $D/secret
deny = $D/third
deny = $D/fourth
INI
echo data > $D/fourth
start_enforcerd $P2 --storm-window 1000 --storm-burst 3
in_cg $CG flood -t 10 $D/secret > /tmp/t23.storm 2>&1 &
FPID=$!
sleep 3
# another process: the storm's rule, then another rule
is "$(in_cg $CG probe open $D/secret r) $(in_cg $CG probe open $D/third r)" "EPERM EPERM" \
	"during the storm: another process's denials (same rule, another rule) are EPERM"
wait $FPID
is "$?" 0 "storm: every attempt was EPERM"
diag "storm: $(cat /tmp/t23.storm)"
attempts=$(sed -n 's/^attempts=\([0-9]*\) .*/\1/p' /tmp/t23.storm)
# the burst: 200 denials on another rule, well inside one 1000 ms window
in_cg $CG flood 200 $D/fourth > /tmp/t23.burst 2>&1
is "$?" 0 "burst: 200 denials, every one EPERM"
sleep 3          # a window ends and the daemon's tick (1 s) writes the summary
drops=$(enforcerctl --json stats | jsonget ringbuf_drops)
ssup=$(enforcerctl --json stats | jsonget storm_suppressed)
stop_enforcerd   # flushes whatever is still pending
L=$AUDIT_LOG
ok "storm: every log line is valid JSON" sh -c "jsonget < $L"
# the storm's process (in_cg's subshell forked it: not $!)
SPID=$(jsonget -m comm=flood -m path=$D/secret pid < $L | sort -u)
like "$SPID" '^[1-9][0-9]*$' "storm: one process named flood on $D/secret in the log ($SPID)"
BPID=$(jsonget -m comm=flood -m path=$D/fourth pid < $L | sort -u)
like "$BPID" '^[1-9][0-9]*$' "burst: one process named flood on $D/fourth in the log ($BPID)"
jsonget -m pid=$SPID summary suppressed path < $L > /tmp/t23.s
full=$(grep -c '^(missing)' /tmp/t23.s)
nsum=$(grep -c '^true' /tmp/t23.s)
sup=$(awk -F '\t' '$2 != "(missing)" { s += $2 } END { print s + 0 }' /tmp/t23.s)
diag "storm: attempts $attempts, full lines $full, summary lines $nsum, suppressed $sup (stats storm_suppressed $ssup), ringbuf_drops $drops"
like "$attempts" '^[1-9][0-9]*$' "storm: the workload counted its attempts"
is "$((full + sup))" "$attempts" "storm: full lines + suppressed == attempts ($full + $sup == $attempts)"
is "$(grep -c '"lost"' $L) $drops" "0 0" "storm: nothing lost (no lost line, ringbuf_drops 0)"
is "$(head -1 /tmp/t23.s | cut -f1,3)" "(missing)	$D/secret" "storm: the process's first line is a full one (with its path)"
ok "storm: suppressed (suppressed > 0; $nsum summary lines)" test "$sup" -gt 0
jsonget -m pid=$BPID summary suppressed < $L > /tmp/t23.b
bfull=$(grep -c '^(missing)' /tmp/t23.b)
bsum=$(grep -c '^true' /tmp/t23.b)
bsup=$(awk -F '\t' '$2 != "(missing)" { s += $2 } END { print s + 0 }' /tmp/t23.b)
diag "burst: full lines $bfull, summary lines $bsum, suppressed $bsup"
is "$((sup + bsup))" "$ssup" "the suppressed counts reported (storm $sup + burst $bsup) add up to stats storm_suppressed"
is "$((bfull + bsup))" 200 "burst: full lines + suppressed == 200 ($bfull + $bsup)"
ok "burst: its pending count reached the log on a summary line ($bsum lines)" test "$bsum" -ge 1
is "$(jsonget -m summary=true -m pid=$BPID policy rule cgroup comm hook op action < $L | sort -u)" \
	"t23s	deny = $D/fourth	/$CG	flood	file	open	deny" \
	"burst: summary lines name the policy, rule, cgroup, process, hook, op and action"
is "$(jsonget -m summary=true path < $L | sort -u)" "(missing)" "summary lines carry no object"
is "$(jsonget -m comm=probe -m path=$D/secret summary suppressed < $L)" "(missing)	(missing)" \
	"storm: another process on the same rule gets its own full line"
is "$(jsonget -m comm=probe -m path=$D/third rule summary < $L)" "deny = $D/third	(missing)" \
	"storm: another rule gets its own full line"
is "$(grep -c '"summary":true' $L)" "$((nsum + bsum))" "every summary line is the storm's or the burst's"
