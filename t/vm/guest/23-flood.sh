# SPDX-License-Identifier: GPL-2.0-only
# 23-flood.sh - a flood of denials (issue 4): a confined process opens a
# guest-timeout: 600
# denied file N times in a tight loop; every attempt is EPERM, lines
# received in the log + losses reported ({"lost":N} lines, and
# ringbuf_drops in stats) == what was provoked, the daemon's RSS stays
# bounded, a follower that never reads is dropped without holding up the
# log file, and other cgroups' enforcement and the socket stay responsive.
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
