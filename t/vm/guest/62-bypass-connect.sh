# SPDX-License-Identifier: GPL-2.0-only
# 62-bypass-connect.sh - issue 5, connect: tricks around a connect rule,
# tried by a confined root and a confined uid 1000 (trick:
# t/vm/bin/trick.c).  IPv4-mapped IPv6 on a dual-stack socket, unconnected
# UDP sendto/sendmsg/sendmmsg (also with sa_family AF_UNSPEC, which IPv4 UDP
# accepts as a destination, and an AF_INET address given to an IPv6 UDP
# socket, which udpv6 hands to IPv4), TCP Fast Open, loopback aliases of a
# 127.0.0.0/8 deny (0.0.0.0, ::1, ::, ::ffff:127.0.0.1), io_uring connect,
# short and long addrlen, AF_UNSPEC disconnect then reconnect.  Loopback
# only: an allowed TCP connect without a listener is ECONNREFUSED.

# the pins the bypass script before this one left are adopted (t/vm/lib.sh):
# its programs are this build's, its checks need no fresh load
ADOPT_PINS=1

P=/tmp/pol62
cg_make t62/bound
cg_make t62/lo
cg_make t62/sibling

write_policy $P net <<'INI'
[policy]
cgroup = /t62/bound
[connect]
deny = 127.0.0.2
INI
write_policy $P loop <<'INI'
[policy]
cgroup = /t62/lo
[connect]
deny = 127.0.0.0/8
INI

start_enforcerd $P

both() {
	_cg=$1 _want=$2 _desc=$3
	shift 3
	is "$(in_cg "$_cg" "$@")" "$_want" "$_desc (root)"
	is "$(in_cg "$_cg" /bin/runas 1000 "$@")" "$_want" "$_desc (uid 1000)"
}
B=/t62/bound
L=/t62/lo
S=/t62/sibling

both $B EPERM "connect: plain TCP connect to the denied address" probe connect 127.0.0.2 80 tcp
both $B EPERM "connect: plain UDP connect to the denied address" probe connect 127.0.0.2 80 udp
is "$(in_cg $S probe connect 127.0.0.2 80 tcp)" ECONNREFUSED "connect: the sibling reaches it (control)"
is "$(in_cg $B probe connect 127.0.0.1 80 tcp)" ECONNREFUSED "connect: another address passes (control)"

both $B EPERM "connect: IPv4-mapped ::ffff:127.0.0.2 on a dual-stack TCP socket" probe connect ::ffff:127.0.0.2 80 tcp
both $B EPERM "connect: IPv4-mapped ::ffff:127.0.0.2 on a dual-stack UDP socket" probe connect ::ffff:127.0.0.2 80 udp
both $B EPERM "connect: UDP sendto to the denied address" trick sendto 127.0.0.2 80
both $B EPERM "connect: UDP sendmsg to the denied address" trick sendmsg 127.0.0.2 80
both $B EPERM "connect: UDP sendmmsg to the denied address" trick sendmmsg 127.0.0.2 80
both $B EPERM "connect: UDP sendto ::ffff:127.0.0.2 (dual stack)" trick sendto ::ffff:127.0.0.2 80
both $B EPERM "connect: UDP sendto with sa_family AF_UNSPEC (IPv4 UDP takes the address)" trick sendto-unspec 127.0.0.2 80
both $B EPERM "connect: UDP sendto from an IPv6 socket to an AF_INET address (udpv6 takes it)" \
	trick sendto-v6sock 127.0.0.2 80
both $B EPERM "connect: UDP connect of an IPv6 socket to an AF_INET address" trick connect-v6sock 127.0.0.2 80
is "$(in_cg $S trick sendto-v6sock 127.0.0.2 80)" ok "connect: ... the sibling sends that way (control)"
is "$(in_cg $B trick connect-v6sock 127.0.0.3 80)" ok "connect: ... another address passes that way (control)"
# ... and no datagram arrives there (a receiver outside every policy listens)
trick udp-recv 127.0.0.2 5555 3 > /tmp/t62.recv 2>&1 &
rp=$!
sleep 1
in_cg $B /bin/runas 1000 trick sendto-unspec 127.0.0.2 5555 >/dev/null
wait $rp
is "$(cat /tmp/t62.recv)" timeout "connect: no AF_UNSPEC datagram reached the denied address"
is "$(in_cg $S trick sendto 127.0.0.2 80)" ok "connect: the sibling may sendto (control)"
# Not defended (README): rules judge addresses, and a listener on a wildcard
# address is reached through every local address: deny = 127.0.0.0/8 does
# not cover the host's other addresses
ip addr add 10.62.0.1/32 dev lo
trick udp-recv 0.0.0.0 5562 3 > /tmp/t62.wild 2>&1 &
rp=$!
sleep 1
is "$(in_cg $L trick sendto 127.0.0.1 5562)" EPERM "wildcard: sendto 127.0.0.1 under deny = 127.0.0.0/8: EPERM"
is "$(in_cg $L trick sendto 10.62.0.1 5562)" ok \
	"wildcard: ... a local address outside 127.0.0.0/8 passes (README: not defended)"
wait $rp
is "$(cat /tmp/t62.wild)" trick "wildcard: ... and reaches the listener on 0.0.0.0"
ip addr del 10.62.0.1/32 dev lo
is "$(in_cg $B trick sendto 127.0.0.1 80)" ok "connect: sendto another address passes (control)"
both $B EPERM "connect: TCP Fast Open (sendto MSG_FASTOPEN)" trick tfo 127.0.0.2 80
both $B EPERM "connect: TCP Fast Open to ::ffff:127.0.0.2" trick tfo ::ffff:127.0.0.2 80
diag "TFO to an allowed address (control): $(in_cg $B trick tfo 127.0.0.1 80)"

for how in "root:" "uid 1000:/bin/runas 1000"; do
	who=${how%%:*}
	pre=${how#*:}
	# the kernel itself refuses these (EINVAL, the sibling's control); a
	# governed task never gets that far: an address enforcer cannot read
	# whole fails closed (EPERM, counted)
	is "$(in_cg $S $pre trick connect-shortlen 127.0.0.2 80)" EINVAL \
		"connect: short addrlen (8) in the sibling: the kernel's EINVAL (control, $who)"
	fc0=$(enforcerctl --json stats | jsonget fail_closed)
	is "$(in_cg $B $pre trick connect-shortlen 127.0.0.2 80)" EPERM \
		"connect: short addrlen (8) fails closed: EPERM ($who)"
	is "$(in_cg $B $pre trick connect-shortlen ::ffff:127.0.0.2 80)" EPERM \
		"connect: short IPv6 addrlen (20) fails closed: EPERM ($who)"
	fc1=$(enforcerctl --json stats | jsonget fail_closed)
	ok "... both counted as fail-closed ($fc0 -> $fc1, $who)" [ "$fc1" -ge $((fc0 + 2)) ]
done
both $B EPERM "connect: addrlen = sizeof(sockaddr_storage)" trick connect-longlen 127.0.0.2 80
both $B EPERM "connect: IPv6 addrlen = sizeof(sockaddr_storage), mapped" trick connect-longlen ::ffff:127.0.0.2 80
both $B EPERM "connect: UDP connect allowed, AF_UNSPEC, then the denied address" trick connect-unspec-then 127.0.0.2 80
both $B EPERM "connect: same through a dual-stack socket" trick connect-unspec-then ::ffff:127.0.0.2 80

# io_uring: an unconfined control run in the sibling decides whether this
# kernel lets anyone use it (a refused setup there is a SKIP, never a pass).
r=$(in_cg $S trick uring-connect 127.0.0.2 80)
if [ "$r" = ENOSYS-setup ]; then
	skip "connect: io_uring IORING_OP_CONNECT" "io_uring_setup refused to unconfined root in the sibling on kernel $(uname -r)"
else
	is "$r" ECONNREFUSED "connect: io_uring connect in the sibling reaches it (control)"
	is "$(in_cg $B trick uring-connect 127.0.0.2 80)" EPERM "connect: io_uring IORING_OP_CONNECT (root)"
	is "$(in_cg $B /bin/runas 1000 trick uring-connect 127.0.0.2 80)" EPERM "connect: io_uring IORING_OP_CONNECT (uid 1000)"
	is "$(in_cg $B trick uring-connect ::ffff:127.0.0.2 80)" EPERM "connect: io_uring connect, mapped address"
	is "$(in_cg $B trick uring-connect 127.0.0.1 80)" ECONNREFUSED "connect: io_uring connect to another address passes (control)"
fi

# ---- loopback aliases under deny = 127.0.0.0/8 ----
for a in 127.0.0.1 127.9.9.9 0.0.0.0 ::1 :: ::ffff:127.0.0.1 ::ffff:0.0.0.0; do
	both $L EPERM "loopback: TCP connect to $a" probe connect $a 80 tcp
	both $L EPERM "loopback: UDP sendto $a" trick sendto $a 80
done
both $L EPERM "loopback: TCP Fast Open to ::1" trick tfo ::1 80
both $L EPERM "loopback: UDP connect to ::" probe connect :: 80 udp
is "$(in_cg $S probe connect 0.0.0.0 80 tcp)" ECONNREFUSED "loopback: the sibling reaches 0.0.0.0 (control)"
is "$(in_cg $S probe connect ::1 80 tcp)" ECONNREFUSED "loopback: the sibling reaches ::1 (control)"

stop_enforcerd
