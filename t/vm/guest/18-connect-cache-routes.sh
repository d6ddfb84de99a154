# SPDX-License-Identifier: GPL-2.0-only
# 18-connect-cache-routes.sh - routes around the connect cache (issue 16,
# bpf-lsm/ncache.bpf.h), tried as an attacker would: a process whose connect
# was stored, moved into a stricter cgroup, connects again in the same
# process; a cgroup's parent bound live to a stricter policy (the child's
# entries die, and a stack of two policies still counts both); a ping
# socket's stored allow never answers a raw socket's connect (deny = raw);
# MPTCP judged as TCP; io_uring's IORING_OP_CONNECT answered like connect();
# SCTP's connectx lists (and a one-to-many connect) to a denied address
# after a stored allowed connect of the same cgroup;
# --no-verdict-cache stores and answers nothing.  Each verdict asserted by
# errno, the denials by their audit line.  Helper: t/vm/bin/netprobe.c
# (connect-seq with ping, raw, mptcp and "wait FILE"; uring-connect).
# guest-timeout: 900

# the pins the script before this one left are adopted (t/vm/lib.sh)
ADOPT_PINS=1

P=/tmp/pol18
S=/run/enforcer/enforcer.sock
GO=/tmp/t18.go
cg_make t18/a
cg_make t18/b
cg_make t18/p/c
cg_make t18/r
cg_make t18/free
rm -f $GO

write_policy $P a <<INI
[policy]
cgroup = /t18/a
[connect]
deny = 127.0.12.12 tcp
INI
write_policy $P b <<INI
[policy]
cgroup = /t18/b
[connect]
deny = 127.0.5.5
INI
write_policy $P c <<INI
[policy]
cgroup = /t18/p/c
[connect]
deny = 127.0.9.9
INI
write_policy $P r <<INI
[policy]
cgroup = /t18/r
[connect]
deny = raw
[capabilities]
allow = CAP_NET_RAW
INI
write_policy $P ns <<INI
[policy]
namespace = t18ns
[connect]
deny = 127.0.6.6
INI

start_enforcerd $P

# ---- a process moved into a stricter cgroup between its connects ----
# in t18/a (127.0.5.5 allowed): two connects (a fill, a hit), then it waits;
# the test moves it into t18/b (127.0.5.5 denied); its next connects, in the
# same process, to the same destination, must be judged by t18/b
mark
rm -f /tmp/t18.pid /tmp/t18.move
in_cg t18/a sh -c 'echo $$ > /tmp/t18.pid; exec netprobe connect-seq udp 127.0.5.5 5000 127.0.5.5 5000 \
	wait '$GO' 127.0.5.5 5000 127.0.5.5 5000' > /tmp/t18.move &
W=$!
i=0
while [ "$(cat /tmp/t18.move 2>/dev/null)" != "ok ok" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
MP=$(cat /tmp/t18.pid)
is "$(cat /tmp/t18.move)" "ok ok" "move: two connects in t18/a allowed"
is "$(delta)" "1 1" "move: ... a fill, then a hit"
echo $MP > $CG_ROOT/t18/b/cgroup.procs
is "$(cat /proc/$MP/comm) $(cat /proc/$MP/cgroup)" "netprobe 0::/t18/b" "move: the process (netprobe) is now in t18/b"
touch $GO
wait $W
rm -f $GO
is "$(cat /tmp/t18.move)" "ok ok EPERM EPERM" "move: its next two connects, same destination, are denied by t18/b's policy"
denied_line b 127.0.5.5 5000 move
is "$(cs t18/a udp 127.0.5.5 5000)" ok "move: t18/a still connects there (its entry untouched)"

# ---- the parent of a governed cgroup bound live to a stricter policy ----
mark
C0=$(pstat c)
is "$(cs t18/p/c udp 127.0.6.6 53 127.0.6.6 53)" "ok ok" "parent: t18/p/c connects to 127.0.6.6 twice"
is "$(delta)" "1 1" "parent: ... a fill, then a hit"
like "$(sockclient -s 'bind /t18/p namespace=t18ns\n' -c 1 $S)" '"ok":true' "parent: bind /t18/p namespace=t18ns"
is "$(cs t18/p/c udp 127.0.6.6 53 127.0.6.6 53)" "EPERM EPERM" "parent: the child's next connects are denied by the parent's policy"
denied_line ns 127.0.6.6 53 parent
mark
C1=$(pstat c)
N1=$(pstat ns)
is "$(cs t18/p/c udp 127.0.6.7 53 127.0.6.7 53 127.0.6.7 53)" "ok ok ok" "parent: a destination both allow, three times"
is "$(delta)" "1 2" "parent: ... under the stack of two: a fill, two hits"
is "$(sub "$C1" "$(pstat c)")" "3 0 0" "parent: policy c counted three checks"
is "$(sub "$N1" "$(pstat ns)")" "3 0 0" "parent: policy ns counted three checks (the hits too)"
is "$(cs t18/p/c udp 127.0.9.9 53)" EPERM "parent: the child's own deny still holds"

# ---- the socket type: a ping socket's allow never answers a raw socket ----
echo "0 2147483647" > /proc/sys/net/ipv4/ping_group_range
r=$(in_cg t18/free sh -c 'netprobe connect-seq ping 127.0.13.13 0; netprobe connect-seq raw 127.0.13.13 0')
if [ "$(echo $r)" = "ok ok" ]; then
	mark
	is "$(cs t18/r ping 127.0.13.13 0 127.0.13.13 0)" "ok ok" "raw: a ping socket connects twice (deny = raw does not cover it)"
	is "$(delta)" "1 1" "raw: ... a fill, then a hit"
	is "$(cs t18/r raw 127.0.13.13 0 127.0.13.13 0)" "EPERM EPERM" "raw: a raw ICMP socket to the same address and port: denied"
	denied_line r 127.0.13.13 0 raw
	is "$(cs t18/r ping 127.0.13.13 0)" ok "raw: the ping socket again (its own entry)"
else
	skip "raw: the socket type is in the key" "ping/raw sockets not usable here: $r"
fi

# ---- MPTCP is TCP, stored or not ----
r=$(cs t18/free mptcp 127.0.0.1 1)
if [ "$r" = ECONNREFUSED ]; then
	mark
	is "$(cs t18/a udp 127.0.12.12 80 127.0.12.12 80)" "ok ok" "mptcp: UDP to a TCP-only deny: allowed (a fill, a hit)"
	is "$(cs t18/a mptcp 127.0.12.12 80)" EPERM "mptcp: an MPTCP connect there is denied as TCP"
	denied_line a 127.0.12.12 80 mptcp
	is "$(cs t18/a tcp 127.0.5.7 80)" ECONNREFUSED "mptcp: TCP to an allowed address (filled)"
	is "$(cs t18/a mptcp 127.0.5.7 80 127.0.5.7 80)" "ECONNREFUSED ECONNREFUSED" "mptcp: MPTCP there: allowed"
	is "$(delta)" "2 3" "mptcp: ... MPTCP answered by TCP's entry (one key)"
else
	skip "mptcp: judged as TCP" "no MPTCP here: $r"
fi

# ---- io_uring's connect: the same hook, the same entries ----
mark
is "$(cs t18/a tcp 127.0.5.8 80)" ECONNREFUSED "uring: a TCP connect in t18/a (filled)"
r=$(in_cg t18/a netprobe uring-connect 127.0.5.8 80)
if [ "$r" != ENOSYS-setup ]; then
	is "$r" ECONNREFUSED "uring: IORING_OP_CONNECT to it: allowed"
	d=$(delta)
	ok "uring: ... answered by the entry (fills hits: $d)" test "${d% *}" = 1 -a "${d#* }" -ge 1
	is "$(in_cg t18/a netprobe uring-connect 127.0.12.12 80)" EPERM "uring: IORING_OP_CONNECT to the TCP-only deny: denied"
	is "$(in_cg t18/b netprobe uring-connect 127.0.5.5 80)" EPERM "uring: t18/b's deny by IORING_OP_CONNECT"
else
	skip "uring: IORING_OP_CONNECT" "io_uring not available"
fi

# ---- SCTP: connectx to a denied address after a stored allow ----
# t18/b denies 127.0.5.5 (any protocol); an SCTP connect(2) to 127.0.0.1
# there is allowed (stored, then answered); sctp_connectx's list (setsockopt
# and getsockopt routes) to the denied address, alone or after the stored
# one, and a one-to-many connect to it, must still be denied
r=$(in_cg t18/free sctpprobe connect 127.0.0.1 9)
if [ "$r" = EINPROGRESS ] || [ "$r" = ok ]; then
	mark
	is "$(in_cg t18/b sctpprobe connect 127.0.0.1 9)" "$r" "sctp: t18/b connects to 127.0.0.1:9 (allowed)"
	is "$(in_cg t18/b sctpprobe connect 127.0.0.1 9)" "$r" "sctp: ... again"
	is "$(delta)" "1 1" "sctp: ... a fill, then a hit (the connect cache answered)"
	for how in new old 3; do
		is "$(in_cg t18/b sctpprobe connectx $how 9 127.0.5.5)" EPERM "sctp: connectx ($how) to the denied 127.0.5.5: denied"
		is "$(in_cg t18/b sctpprobe connectx $how 9 127.0.0.1 127.0.5.5)" EPERM \
			"sctp: connectx ($how) to the stored 127.0.0.1 and the denied 127.0.5.5: denied"
	done
	is "$(in_cg t18/b sctpprobe connect-seq 127.0.5.5 9)" EPERM "sctp: a one-to-many connect to 127.0.5.5: denied"
	is "$(in_cg t18/b sctpprobe connect 127.0.5.5 9)" EPERM "sctp: connect(2) to 127.0.5.5: denied"
	is "$(in_cg t18/b sctpprobe connectx new 9 127.0.0.1)" "$r" "sctp: connectx to the stored 127.0.0.1 alone: allowed"
else
	skip "sctp: connectx after a stored allow" "an ungoverned SCTP connect gives $r on kernel $(uname -r)"
fi

# ---- --no-verdict-cache: nothing stored, nothing answered ----
stop_enforcerd
start_enforcerd $P --no-verdict-cache
mark
is "$(cs t18/a udp 127.0.5.5 5000 127.0.5.5 5000 127.0.5.5 5000)" "ok ok ok" "off: three allowed connects"
is "$(delta)" "0 0" "off: no fill, no hit"
C0=$(pstat a)
is "$(cs t18/a udp 127.0.5.5 5000 127.0.5.5 5000)" "ok ok" "off: two more"
is "$(sub "$C0" "$(pstat a)")" "2 0 0" "off: each judged (two checks)"
is "$(cs t18/b udp 127.0.5.5 5000)" EPERM "off: t18/b's deny holds"
is "$(cs t18/free udp 127.0.5.5 5000)" ok "off: the ungoverned neighbour connects"

stop_enforcerd
