# SPDX-License-Identifier: GPL-2.0-only
# 17-connect-cache.sh - the connect cache (issue 16, bpf-lsm/ncache.bpf.h):
# a governed connect's allow is stored under its cgroup and destination and
# answers the next one (stats connect_cache_fills / connect_cache_hits move
# exactly as the connects say; the rule hit counters and per-policy checks
# still count every connect), and every change of what the verdict depends
# on gives the next connect the judge's verdict (errno and audit line): a
# reload that denies the destination, a live bind of the cgroup to a
# stricter policy, another cgroup with another policy, IPv4, v4-mapped
# IPv6 and IPv6 forms, the loopback alias of ::1, the protocol; thousands of
# destinations overwrite the direct-mapped slots and denied destinations
# stay denied (the stored-key guard); a denial, an audit-mode would-be
# denial and an allow under an `exe` condition are never stored; an
# ungoverned neighbour is untouched.  Helper: t/vm/bin/netprobe.c
# (connect-seq, udp-sweep).
# guest-timeout: 900

# the pins the script before this one left are adopted (t/vm/lib.sh): its
# programs are this build's, its checks need no fresh load
ADOPT_PINS=1

P=/tmp/pol17
S=/run/enforcer/enforcer.sock
cg_make t17/a
cg_make t17/b
cg_make t17/aud
cg_make t17/exe
cg_make t17/free
mkdir -p /opt/t17
cp /bin/netprobe /opt/t17/npd           # the program an `exe` rule denies

# line numbers matter: the rule hit counters name rules by line
write_policy $P a <<INI
[policy]
cgroup = /t17/a
[connect]
allow = 127.0.5.0/24 port 5000-5999
deny = 127.0.9.0/24
deny = ::1 port 7002
deny = 127.0.0.1 port 7003
deny = 127.0.8.8
deny = 127.0.7.8
deny = 127.2.0.0/16
deny = 127.0.12.12 tcp
INI
write_policy $P b <<INI
[policy]
cgroup = /t17/b
[connect]
deny = 127.0.7.7
INI
write_policy $P aud <<INI
[policy]
cgroup = /t17/aud
mode = audit
[connect]
deny = 127.0.10.10
INI
write_policy $P exe <<INI
[policy]
cgroup = /t17/exe
[connect]
deny = 127.0.11.11 exe /opt/t17/npd
INI
write_policy $P ns <<INI
[policy]
namespace = t17ns
[connect]
deny = 127.0.6.6
INI

start_enforcerd $P

# hits POLICY LINE: "allowed denied audited" of that rule (stats rules)
hits() {
	enforcerctl --json stats --rules | grep -o '{"policy":"'"$1"'",[^}]*}' |
		jsonget -m "line=$2" allowed denied audited | tr '\t' ' '
}
# lines POLICY ADDR PORT: audit lines of connects to ADDR PORT by POLICY
lines() {
	grep '"hook":"connect","op":"connect","policy":"'"$1"'"' $AUDIT_LOG 2>/dev/null |
		grep -c "\"addr\":\"$2\",\"port\":$3,"
}

# ---- the cache is used, and still counts ----
R0=$(hits a 4)
C0=$(pstat a)
mark
is "$(cs t17/a udp 127.0.5.5 5000 127.0.5.5 5000 127.0.5.5 5000 127.0.5.5 5000)" "ok ok ok ok" \
	"four UDP connects to an allowed destination"
is "$(delta)" "1 3" "one fill, three hits"
is "$(sub "$R0" "$(hits a 4)")" "4 0 0" "the allow rule (line 4) counted all four (hits too)"
is "$(sub "$C0" "$(pstat a)")" "4 0 0" "policy a: four connect checks, no denial"
mark
is "$(cs t17/a tcp 127.0.5.5 5000 127.0.5.5 5000 127.0.5.5 5000)" \
	"ECONNREFUSED ECONNREFUSED ECONNREFUSED" "three TCP connects to the same address and port: allowed (refused, no listener)"
is "$(delta)" "1 2" "... the protocol is in the key: a fill of its own, then hits"

# ---- a denial is judged, counted and audited every time ----
R0=$(hits a 5)
C0=$(pstat a)
n0=$(lines a 127.0.9.1 53)
mark
is "$(cs t17/a udp 127.0.9.1 53 127.0.9.1 53 127.0.9.1 53)" "EPERM EPERM EPERM" "a denied destination, three times: EPERM each"
is "$(delta)" "0 0" "... never stored"
is "$(sub "$R0" "$(hits a 5)")" "0 3 0" "the deny rule (line 5) counted three denials"
is "$(sub "$C0" "$(pstat a)")" "3 3 0" "policy a: three checks, three denials"
wait_audit '"addr":"127.0.9.1","port":53,' 5
i=0
while [ "$(lines a 127.0.9.1 53)" -lt $((n0 + 3)) ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
is "$(lines a 127.0.9.1 53)" "$((n0 + 3))" "three audit lines, one per denial"
denied_line a 127.0.9.1 53 "repeated denial"

# ---- the ungoverned neighbour ----
mark
is "$(cs t17/free udp 127.0.9.1 53 127.0.9.1 53)" "ok ok" "an ungoverned cgroup connects where t17/a is denied"
is "$(delta)" "0 0" "... without the cache"

# ---- reload to a policy that denies the cached destination ----
mark
is "$(cs t17/a udp 127.0.5.6 5000 127.0.5.6 5000)" "ok ok" "reload: 127.0.5.6 allowed twice"
is "$(delta)" "1 1" "reload: ... filled, then a hit"
echo "deny = 127.0.5.6" >> $P/a.ini
is "$(enforcerctl reload >/dev/null 2>&1; echo $?)" 0 "reload with deny = 127.0.5.6"
is "$(cs t17/a udp 127.0.5.6 5000 127.0.5.6 5000)" "EPERM EPERM" "reload: the very next connect is denied (and the one after)"
denied_line a 127.0.5.6 5000 reload

# ---- another cgroup, another policy, the same destination ----
mark
is "$(cs t17/a udp 127.0.7.7 53 127.0.7.7 53)" "ok ok" "cgroups: t17/a connects to 127.0.7.7 (filled, hit)"
is "$(cs t17/b udp 127.0.7.7 53)" EPERM "cgroups: t17/b is denied 127.0.7.7 by its own policy"
denied_line b 127.0.7.7 53 "cgroups (b)"
is "$(cs t17/b udp 127.0.7.8 53 127.0.7.8 53)" "ok ok" "cgroups: t17/b connects to 127.0.7.8 (filled, hit)"
is "$(cs t17/a udp 127.0.7.8 53)" EPERM "cgroups: t17/a is denied 127.0.7.8 by its own policy"
denied_line a 127.0.7.8 53 "cgroups (a)"
is "$(delta)" "2 2" "cgroups: two fills, two hits, the denials never hit another cgroup's entry"

# ---- IPv4, v4-mapped IPv6, IPv6, the ::1 alias, the protocol ----
mark
is "$(cs t17/a udp 127.0.5.9 5000 ::ffff:127.0.5.9 5000 127.0.5.9 5000 ::ffff:127.0.5.9 5000)" "ok ok ok ok" \
	"forms: 127.0.5.9 and ::ffff:127.0.5.9, twice each"
is "$(delta)" "1 3" "forms: one key for both forms (as the judge sees one address): one fill, three hits"
is "$(cs t17/a udp ::ffff:127.0.8.8 53 127.0.8.8 53 ::ffff:127.0.8.8 53)" "EPERM EPERM EPERM" \
	"forms: a denied IPv4 address is denied in either form"
denied_line a 127.0.8.8 53 "forms (mapped)"
echo "deny = 127.0.5.9" >> $P/a.ini
is "$(enforcerctl reload >/dev/null 2>&1; echo $?)" 0 "forms: reload with deny = 127.0.5.9"
is "$(cs t17/a udp ::ffff:127.0.5.9 5000 127.0.5.9 5000)" "EPERM EPERM" "forms: after it, both forms are denied"
mark
is "$(cs t17/a udp ::1 6000 ::1 6000 ::1 7002 ::1 7002)" "ok ok EPERM EPERM" \
	"IPv6: [::1]:6000 allowed twice, [::1]:7002 denied twice"
is "$(delta)" "1 1" "IPv6: the allow filled and hit, the denial neither"
denied_line a ::1 7002 "IPv6"
is "$(cs t17/a udp ::1 7003 127.0.0.1 7003 ::1 7003)" "EPERM EPERM EPERM" \
	"alias: ::1 is judged by 127.0.0.1's deny (port 7003), each time"
mark
is "$(cs t17/a udp 127.0.12.12 80 127.0.12.12 80 127.0.12.12 80)" "ok ok ok" "protocol: UDP to a TCP-only deny: allowed (filled, hits)"
is "$(cs t17/a tcp 127.0.12.12 80 127.0.12.12 80)" "EPERM EPERM" "protocol: TCP to it stays denied"
is "$(delta)" "1 2" "protocol: the UDP allow never answered the TCP connect"
denied_line a 127.0.12.12 80 protocol

# ---- audit mode: a would-be denial is never stored ----
R0=$(hits aud 5)
n0=$(lines aud 127.0.10.10 53)
mark
is "$(cs t17/aud udp 127.0.10.10 53 127.0.10.10 53 127.0.10.10 53)" "ok ok ok" "audit mode: three would-be denials pass"
is "$(delta)" "0 0" "audit mode: ... never stored"
is "$(sub "$R0" "$(hits aud 5)")" "0 0 3" "audit mode: the rule counted three audited"
i=0
while [ "$(lines aud 127.0.10.10 53)" -lt $((n0 + 3)) ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
is "$(lines aud 127.0.10.10 53)" "$((n0 + 3))" "audit mode: three audit lines"
like "$(grep '"policy":"aud"' $AUDIT_LOG | tail -n 1)" '"action":"audit"' "audit mode: action audit"

# ---- an `exe` condition: never stored ----
mark
is "$(cs t17/exe udp 127.0.11.11 53 127.0.11.11 53)" "ok ok" "exe: netprobe is allowed twice"
is "$(delta)" "0 0" "exe: ... never stored (the program is not in the key)"
is "$(in_cg t17/exe /opt/t17/npd connect-seq udp 127.0.11.11 53)" EPERM "exe: the denied program is denied"
denied_line exe 127.0.11.11 53 exe

# ---- thousands of destinations: slots overwritten, denials stay ----
# 12288 allowed destinations (three times the 4096 slots) in one process,
# then 256 denied ones (127.2.0.0/16): each lands on a slot some allow
# filled; a lookup that did not compare the stored key would pass them
mark
is "$(cs t17/a udp 127.2.0.0 9 127.2.0.1 9)" "EPERM EPERM" "sweep: control, 127.2.0.0/16 is denied"
is "$(in_cg t17/a netprobe udp-sweep 127.1.0.0 12288 9)" "ok=12288" "sweep: 12288 allowed destinations"
F1=$(st connect_cache_fills)
ok "sweep: every allowed destination was stored ($((F1 - F0)) fills)" test $((F1 - F0)) -ge 12288
is "$(in_cg t17/a netprobe udp-sweep 127.2.0.0 256 9)" "ok=0 EPERM=256" \
	"sweep: 256 denied destinations over the filled slots: all EPERM"
is "$(in_cg t17/a netprobe udp-sweep 127.1.0.0 12288 9)" "ok=12288" "sweep: the allowed ones again (recycled slots judged again)"
is "$(in_cg t17/b netprobe udp-sweep 127.0.7.0 256 53)" "ok=255 EPERM=1" \
	"sweep: t17/b over t17/a's slots: its own verdicts (127.0.7.7 denied, the rest allowed)"
is "$(in_cg t17/a netprobe udp-sweep 127.2.0.0 256 9)" "ok=0 EPERM=256" "sweep: the denied ones after that: all EPERM"

# ---- live bind of the cgroup to a stricter policy ----
mark
is "$(cs t17/a udp 127.0.6.6 53 127.0.6.6 53)" "ok ok" "bind: 127.0.6.6 allowed twice"
is "$(delta)" "1 1" "bind: ... filled, then a hit"
like "$(sockclient -s 'bind /t17/a namespace=t17ns\n' -c 1 $S)" '"ok":true' "bind /t17/a namespace=t17ns"
is "$(cs t17/a udp 127.0.6.6 53 127.0.6.6 53)" "EPERM EPERM" "bind: the very next connect is denied (and the one after)"
denied_line ns 127.0.6.6 53 bind
is "$(cs t17/free udp 127.0.6.6 53)" ok "bind: the ungoverned neighbour still connects"

stop_enforcerd
