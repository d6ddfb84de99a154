# SPDX-License-Identifier: GPL-2.0-only
# 67-prog-conditions.sh - issue 19, rules by program: `exe PATH` and the
# directory form `exe DIR/` on [file] and [exec] rules, `parent PATH` on
# [exec] rules ("only when started by"), matched by the program's identity:
# a hard link, a rename or a bind mount of the program after the load keeps
# its rules, a copy gets none, a program put below a named directory later
# is in it.  The more specific path wins, a program's rule at equal length.
# Protocol rules without an address (`deny = icmp`, `deny = raw`): ping
# sockets, ICMPv6, raw sockets (with CAP_NET_RAW granted), not UDP;
# `deny = tcp port 7` and `deny = sctp port 80` on every address.
# Packet sockets (`deny = packet`, `allow = packet exe`, `default = deny`):
# AF_PACKET raw and dgram and the old (AF_INET, SOCK_PACKET) at creation.
# Raw IP sockets (`deny = raw socket`, `deny = icmp socket`, `allow = raw
# socket exe`): IPv4 and IPv6 at creation, IPPROTO_RAW, io_uring, a uid
# 1000 in a user and network namespace of its own; netlink, ping and UDP
# sockets untouched.
# The directory form on [connect] (IP and unix:) and [bind] rules: a
# program below the directory (copied, linked or renamed there after the
# load, run through a symlink or a bind mount) is in it, a copy elsewhere
# is not ("netdir:").
# Exact errno, the audit line (rule, condition), uid 1000, a sibling cgroup
# unaffected.
# guest-timeout: 600

# the pins the bypass script before this one left are adopted (t/vm/lib.sh):
# its programs are this build's, its checks need no fresh load
ADOPT_PINS=1

P=/tmp/pol67
D=/opt/t67
F=/srv67
cg_make t67/prog
cg_make t67/sibling
cg_make t67/proto
cg_make t67/pkt
cg_make t67/raw
R=/t67/raw
E=/t67/prog
K=/t67/pkt
S=/t67/sibling
N=/t67/proto

mkdir -p $D/bin $D/dir $D/link $D/moved $D/copy $D/pkt $F /mnt/t67
cp /bin/probe $D/pkt/probe       # the program allowed packet sockets
mkdir -p $D/raw $D/rawcopy
cp /bin/probe $D/raw/probe       # the program allowed raw sockets
cp /bin/probe $D/bin/probe       # the program the rules name
cp /bin/probe $D/dir/probe       # a program below the named directory
mount -t tmpfs -o mode=755 t67 $F
mkdir -p $F/pub
for f in secret pub/f pub/open dirform; do echo data > $F/$f; done
chmod -R a+rX $F
ln $F/secret $F/secret-hl        # the protected file by another name

write_policy $P t67 <<INI
[policy]
cgroup = $E
[exec]
deny = /usr/bin/other1 parent $D/bin/probe   ; not started as a child of it
deny = /usr/bin/other2 exe $D/bin/probe      ; not started by it
[file]
deny = $F/secret
allow = $F/secret exe $D/bin/probe           ; only this program reads it
deny = $F/pub/ exe $D/bin/probe              ; this one may not read pub/
allow = $F/pub/open                          ; a longer path: for everyone
deny = $F/dirform exe $D/dir/                ; no program below $D/dir/
INI

write_policy $P t67proto <<INI
[policy]
cgroup = $N
[connect]
deny = icmp
deny = raw
deny = packet
allow = packet exe $D/pkt/probe   ; only this program makes packet sockets
deny = tcp port 7        ; any TCP destination on that port
deny = sctp port 80      ; any SCTP destination on that port
[capabilities]
allow = CAP_NET_RAW      ; raw sockets may be made, not used
INI

write_policy $P t67pkt <<INI
[policy]
cgroup = $K
[connect]
default = deny           ; no packet rule: packet sockets denied
allow = 0.0.0.0/0
allow = ::/0
[capabilities]
allow = CAP_NET_RAW
INI
write_policy $P t67raw <<INI
[policy]
cgroup = $R
[connect]
deny = raw socket                  ; no raw IP socket may be made ...
allow = raw socket exe $D/raw/probe   ; ... but by this program
allow = raw socket exe $D/rawrecv/netprobe   ; ... and this one (receive:)
deny = icmp socket
[capabilities]
allow = CAP_NET_RAW, CAP_SYS_ADMIN ; the kernel would let them (own netns: SYS_ADMIN)
allow = CAP_SYS_PTRACE             ; pidfd_getfd of the sibling (receive:)
INI
echo "0 2147483647" > /proc/sys/net/ipv4/ping_group_range   # ping sockets for every gid

# pass_fd KIND CGROUP PROG: the sibling makes a socket (netprobe fd-serve
# KIND) and passes it over SCM_RIGHTS to PROG (netprobe) in CGROUP; prints
# what the receiver saw: ok (installed) or MSG_CTRUNC (not).
pass_fd() {
	rm -f /tmp/t67fd.sock
	in_cg $S netprobe fd-serve /tmp/t67fd.sock $1 > /tmp/t67fd.out &
	pf=$!
	i=0; while [ $i -lt 50 ] && [ ! -S /tmp/t67fd.sock ]; do sleep 0.1; i=$((i + 1)); done
	in_cg $2 $3 fd-recv /tmp/t67fd.sock
	wait $pf
}
mkdir -p $D/rawrecv && cp "$(command -v netprobe)" $D/rawrecv/netprobe

# exe DIR/ on [connect] (IP and unix:) and [bind] rules (netdir:)
cg_make t67/netdir
ND=/t67/netdir
mkdir -p $D/netok $D/netno $D/elsewhere /mnt/t67nd /run/t67
for d in netok netno elsewhere; do cp "$(command -v netprobe)" $D/$d/np; done
write_policy $P t67netdir <<INI
[policy]
cgroup = $ND
[connect]
default = deny
allow = 127.0.0.5 port 80 tcp exe $D/netok/   ; only programs below netok/
deny = 127.0.0.6 exe $D/netno/                ; none below netno/ ...
allow = 127.0.0.6                             ; ... the others may
deny = unix:/run/t67/nd.sock exe $D/netno/
[bind]
default = deny
allow = 127.0.0.1 port 8090 tcp exe $D/netok/
[capabilities]
allow = CAP_SYS_ADMIN   ; uid 1000 may map itself to root of a user namespace of its own
INI
in_cg $S netprobe unix-serve /run/t67/nd.sock stream 900 > /dev/null &
ndsrv=$!
i=0; while [ $i -lt 50 ] && [ ! -S /run/t67/nd.sock ]; do sleep 0.1; i=$((i + 1)); done
chmod 777 /run/t67/nd.sock

start_enforcerd $P
diag "$(grep -E "verifier:" /tmp/enforcerd.err)"

# ---- exe on file rules ----
is "$(in_cg $E probe open $F/secret r)" EPERM "file exe: another program may not read the file"
is "$(in_cg $E $D/bin/probe open $F/secret r)" ok "file exe: the named program reads it"
is "$(in_cg $E /bin/runas 1000 $D/bin/probe open $F/secret r)" ok "file exe: ... as uid 1000"
is "$(in_cg $E /bin/runas 1000 probe open $F/secret r)" EPERM "file exe: another program as uid 1000 may not"
is "$(in_cg $E $D/bin/probe open $F/secret-hl r)" ok "file exe: the named program reads the file by a hard link"
is "$(in_cg $E probe open $F/secret-hl r)" EPERM "file exe: another program may not (hard link of the file)"
is "$(in_cg $E $D/bin/probe open $F/pub/f r)" EPERM "file exe: a deny for the named program"
F1=$(grep '"condition":"exe"' $AUDIT_LOG | tail -n 1)
like "$F1" "\"rule\":\"deny = $F/pub/ exe $D/bin/probe\"" "file exe: the audit line names the rule"
like "$F1" "\"path\":\"$F/pub/f\",\"access\":\"read\",\"condition\":\"exe\"" "file exe: ... path, access and the condition that decided"
is "$(in_cg $E probe open $F/pub/f r)" ok "file exe: ... other programs read there"
is "$(in_cg $E $D/bin/probe open $F/pub/open r)" ok "file exe: a longer path's rule beats the program's directory rule"
is "$(in_cg $S probe open $F/secret r)" ok "file exe: the sibling cgroup is unaffected (control)"

# ---- the directory form ----
is "$(in_cg $E $D/dir/probe open $F/dirform r)" EPERM "exe DIR/: a program below the directory"
is "$(in_cg $E probe open $F/dirform r)" ok "exe DIR/: a program elsewhere"
mkdir -p $D/dir/sub && cp /bin/probe $D/dir/sub/probe
is "$(in_cg $E $D/dir/sub/probe open $F/dirform r)" EPERM "exe DIR/: a program put in a subdirectory after the load"

# ---- exe and parent on exec rules ----
is "$(in_cg $E $D/bin/probe exec /usr/bin/other2)" EPERM "exec exe: the named program may not start it"
like "$(grep '"condition":"exe"' $AUDIT_LOG | tail -n 1)" "\"rule\":\"deny = /usr/bin/other2 exe $D/bin/probe\"" \
	"exec exe: the audit line names the rule"
is "$(in_cg $E probe exec /usr/bin/other2)" ok "exec exe: another program may"
is "$(in_cg $E $D/bin/probe exec /bin/runas 0 /usr/bin/other2 2>&1)" ok "exec exe: its child, another program, may"
is "$(in_cg $E $D/bin/probe exec /bin/runas 0 /usr/bin/other1 2>&1)" "/usr/bin/other1: Operation not permitted
ok" "exec parent: a child of the named program may not start it"
like "$(grep '"condition":"parent"' $AUDIT_LOG | tail -n 1)" "\"rule\":\"deny = /usr/bin/other1 parent $D/bin/probe\"" \
	"exec parent: the audit line names the rule and the condition"
is "$(in_cg $E /bin/runas 0 /usr/bin/other1 2>&1)" "" "exec parent: started by another parent, it runs"
is "$(in_cg $S $D/bin/probe exec /usr/bin/other2)" ok "exec exe: the sibling cgroup is unaffected (control)"

# ---- around it: the program linked, renamed, bind-mounted, copied ----
ln $D/bin/probe $D/link/probe
is "$(in_cg $E $D/link/probe open $F/secret r)" ok "identity: a hard link made after the load reads the file"
is "$(in_cg $E $D/link/probe open $F/pub/f r)" EPERM "identity: ... and is denied what the program is"
is "$(in_cg $E $D/link/probe exec /usr/bin/other2)" EPERM "identity: ... on exec rules too"
mv $D/link/probe $D/moved/probe
is "$(in_cg $E $D/moved/probe open $F/pub/f r)" EPERM "identity: renamed after the load"
mount -o bind $D/bin /mnt/t67
is "$(in_cg $E /mnt/t67/probe open $F/secret r)" ok "identity: through a bind mount of its directory"
umount /mnt/t67
cp $D/bin/probe $D/copy/probe
is "$(in_cg $E $D/copy/probe open $F/secret r)" EPERM "identity: a copy does not inherit the allow"
is "$(in_cg $E $D/copy/probe open $F/pub/f r)" ok "identity: ... nor the deny"
cp /bin/probe $D/bin/probe.new && mv $D/bin/probe.new $D/bin/probe
is "$(in_cg $E $D/bin/probe open $F/secret r)" EPERM "identity: another file put at the program's path gets no allow"

# ---- protocol rules ----
is "$(in_cg $N probe ping 127.0.0.1)" EPERM "proto: deny = icmp: a ping socket's echo"
F1=$(grep '"rule":"deny = icmp"' $AUDIT_LOG | tail -n 1)
like "$F1" '"op":"sendmsg"' "proto: the audit line names the rule and the send"
like "$F1" '"addr":"127.0.0.1","port":0,"proto":"icmp","family":"ipv4"' "proto: ... address, protocol icmp"
is "$(in_cg $N /bin/runas 1000 probe ping 127.0.0.1)" EPERM "proto: ... as uid 1000"
is "$(in_cg $S probe ping 127.0.0.1)" ok "proto: the sibling pings (control)"
if [ "$(in_cg $S probe ping ::1)" = ok ]; then
	is "$(in_cg $N probe ping ::1)" EPERM "proto: ICMPv6 by the rule's IPv6 twin"
else
	skip "proto: ICMPv6 by the rule's IPv6 twin" "the sibling cannot ping ::1 here"
fi
is "$(in_cg $N probe rawsend 127.0.0.1)" EPERM "proto: deny = raw: a raw socket's send (CAP_NET_RAW granted)"
like "$(grep '"rule":"deny = raw"' $AUDIT_LOG | tail -n 1)" '"addr":"127.0.0.1"' "proto: the audit line names the raw rule"
is "$(in_cg $S probe rawsend 127.0.0.1)" ok "proto: the sibling sends raw (control)"
is "$(in_cg $N probe sendto 127.0.0.1 9)" ok "proto: a UDP socket is neither icmp nor raw"
is "$(in_cg $N probe connect 127.0.0.1 7 tcp)" EPERM "proto: deny = tcp port 7: a TCP connect to any address on port 7"
like "$(grep '"rule":"deny = tcp port 7"' $AUDIT_LOG | tail -n 1)" '"addr":"127.0.0.1","port":7,"proto":"tcp","family":"ipv4"' \
	"proto: ... the audit line names the rule, port and protocol"
is "$(in_cg $N probe connect ::1 7 tcp)" EPERM "proto: ... and on IPv6 (the rule's twin)"
is "$(in_cg $N probe connect 127.0.0.1 8 tcp)" ECONNREFUSED "proto: ... another port passes (no listener)"
is "$(in_cg $N probe sendto 127.0.0.1 7)" ok "proto: ... UDP to port 7 passes"
is "$(in_cg $S probe connect 127.0.0.1 7 tcp)" ECONNREFUSED "proto: the sibling connects to port 7 (control)"
r=$(in_cg $S netprobe sctp-connect 127.0.0.3 80)
case $r in
socket:*)
	# t/vm/must-run.txt: a skip naming SCTP fails on the 6.1 and 6.12 kernels
	skip "proto: deny = sctp port 80 (SCTP)" "the sibling cannot make an SCTP socket on kernel $(uname -r) ($r)"
	;;
*)
	is "$(in_cg $N netprobe sctp-connect 127.0.0.3 80)" EPERM "proto: deny = sctp port 80: an SCTP connect (sibling: $r)"
	like "$(grep '"rule":"deny = sctp port 80"' $AUDIT_LOG | tail -n 1)" \
		'"hook":"connect","op":"connect","policy":"t67proto".*"addr":"127.0.0.3","port":80,"proto":"sctp","family":"ipv4"' \
		"proto: ... the audit line names the rule, port and protocol sctp"
	is "$(in_cg $N netprobe sctp-connect ::1 80)" EPERM "proto: ... and an SCTP connect on IPv6 (the rule's twin)"
	is "$(in_cg $N netprobe sctp-connect 127.0.0.3 81)" "$r" "proto: ... another port as in the sibling"
	is "$(in_cg $N netprobe connect 127.0.0.3 80)" ECONNREFUSED "proto: ... TCP to port 80 untouched"
	;;
esac

# ---- packet sockets: judged when created ----
if [ "$(in_cg $S probe packet raw)" = ok ] && [ "$(in_cg $S probe packet inet)" = ok ]; then
	is "$(in_cg $N probe packet raw)" EPERM "packet: deny = packet: AF_PACKET SOCK_RAW (CAP_NET_RAW granted)"
	F1=$(grep '"rule":"deny = packet"' $AUDIT_LOG | tail -n 1)
	like "$F1" '"hook":"connect","op":"socket"' "packet: the audit line names the rule, hook and op"
	like "$F1" '"family":"packet","ethertype":3,"sock_type":"raw"' "packet: ... family, ethertype, socket type"
	like "$F1" '"cgroup":"/t67/proto"' "packet: ... and the cgroup"
	is "$(in_cg $N probe packet dgram)" EPERM "packet: AF_PACKET SOCK_DGRAM"
	is "$(in_cg $N probe packet inet)" EPERM "packet: the old (AF_INET, SOCK_PACKET)"
	is "$(in_cg $S trick uring-socket packet)" ok \
		"packet: io_uring IORING_OP_SOCKET of a packet socket in the sibling (control)"
	is "$(in_cg $N trick uring-socket packet)" EPERM "packet: io_uring IORING_OP_SOCKET of a packet socket: EPERM"
	like "$(grep '"family":"packet"' $AUDIT_LOG | tail -n 1)" '"rule":"deny = packet".*"op":"socket"|"op":"socket".*"rule":"deny = packet"' \
		"packet: ... its audit line names deny = packet and op socket"
	is "$(in_cg $N $D/pkt/probe packet raw)" ok "packet: allow = packet exe: the named program"
	mkdir -p $D/pktlink $D/pktcopy      # probe acts under its own name only
	ln $D/pkt/probe $D/pktlink/probe
	is "$(in_cg $N $D/pktlink/probe packet raw)" ok "packet: ... by a hard link made after the load"
	cp $D/pkt/probe $D/pktcopy/probe
	is "$(in_cg $N $D/pktcopy/probe packet raw)" EPERM "packet: ... a copy does not inherit the allow"
	is "$(in_cg $K probe packet raw)" EPERM "packet: default = deny and no packet rule: denied"
	like "$(grep '"family":"packet"' $AUDIT_LOG | tail -n 1)" '"rule":"default".*"cgroup":"/t67/pkt"' \
		"packet: ... the audit line names the default"
	is "$(in_cg $K probe sendto 127.0.0.1 9)" ok "packet: ... the address rules still allow UDP"
	is "$(in_cg $E probe packet raw)" EPERM "packet: a policy without [connect]: CAP_NET_RAW still denied"
	is "$(in_cg $S probe packet raw)" ok "packet: the sibling makes packet sockets (control)"
	is "$(pass_fd packet $N netprobe)" MSG_CTRUNC "receive: a packet socket passed in over SCM_RIGHTS is not installed"
	like "$(grep '"op":"receive"' $AUDIT_LOG | tail -n 1)" '"rule":"deny = packet".*"family":"packet","sock_type":"raw"' \
		"receive: ... the audit line names deny = packet, family and socket type"
	is "$(pass_fd packet $S netprobe)" ok "receive: the sibling receives a packet socket (control)"
else
	skip "packet: packet sockets" "the unconfined sibling cannot create packet sockets here"
fi

# ---- raw IP sockets: judged when created ----
if [ "$(in_cg $S probe rawsock 4 17)" = ok ] && [ "$(in_cg $S probe rawsock 6 58)" = ok ]; then
	is "$(in_cg $R probe rawsock 4 17)" EPERM "raw: deny = raw socket: (AF_INET, SOCK_RAW, UDP) (CAP_NET_RAW granted)"
	F1=$(grep '"rule":"deny = raw socket"' $AUDIT_LOG | tail -n 1)
	like "$F1" '"hook":"connect","op":"socket"' "raw: the audit line names the rule, hook and op"
	like "$F1" '"family":"ipv4","sock_type":"raw","proto":"udp","protocol":17' "raw: ... family, socket type, protocol"
	like "$F1" '"cgroup":"/t67/raw"' "raw: ... and the cgroup"
	is "$(in_cg $R probe rawsock 4 1)" EPERM "raw: deny = icmp socket: a raw ICMP socket"
	like "$(grep '"rule":"deny = icmp socket"' $AUDIT_LOG | tail -n 1)" '"family":"ipv4","sock_type":"raw","proto":"icmp","protocol":1' \
		"raw: ... the audit line names icmp socket"
	is "$(in_cg $R probe rawsock 6 58)" EPERM "raw: a raw ICMPv6 socket (IPv6)"
	like "$(grep '"rule":"deny = icmp socket"' $AUDIT_LOG | tail -n 1)" '"family":"ipv6","sock_type":"raw","proto":"icmpv6","protocol":58' \
		"raw: ... by icmp socket's IPv6 twin"
	is "$(in_cg $R probe rawsock 6 17)" EPERM "raw: a raw IPv6 UDP socket"
	is "$(in_cg $R probe rawsock 4 255)" EPERM "raw: IPPROTO_RAW (255: IP_HDRINCL)"
	is "$(in_cg $R probe rawsock 4 0)" EPERM "raw: protocol 0"
	is "$(in_cg $R $D/raw/probe rawsock 4 1)" ok "raw: allow = raw socket exe: the named program (ICMP too: exe first)"
	is "$(in_cg $R $D/raw/probe rawsock 6 17)" ok "raw: ... and IPv6"
	cp $D/raw/probe $D/rawcopy/probe
	is "$(in_cg $R $D/rawcopy/probe rawsock 4 17)" EPERM "raw: ... a copy does not inherit the allow"
	r=$(in_cg $R trick uring-socket raw)
	if [ "$r" = ENOSYS-setup ]; then
		skip "raw: io_uring IORING_OP_SOCKET" "io_uring unavailable"
	else
		is "$r" EPERM "raw: io_uring IORING_OP_SOCKET of a raw ICMP socket"
	fi
	if [ "$(in_cg $S /bin/runas 1000 probe rawsock 4 17 userns)" = ok ]; then
		is "$(in_cg $R /bin/runas 1000 probe rawsock 4 17 userns)" EPERM \
			"raw: uid 1000 in a user and network namespace of its own"
		like "$(grep '"rule":"deny = raw socket"' $AUDIT_LOG | tail -n 1)" '"uid":1000,' "raw: ... the audit line names uid 1000"
	else
		skip "raw: uid 1000 in a user and network namespace of its own" "the sibling cannot make one here"
	fi
	is "$(in_cg $R probe rawsock netlink 0)" ok "raw: a netlink SOCK_RAW socket is no raw IP socket"
	is "$(in_cg $R probe ping 127.0.0.1)" ok "raw: a ping socket is no raw socket"
	is "$(in_cg $R probe sendto 127.0.0.1 9)" ok "raw: nor is UDP"
	is "$(in_cg $K probe rawsock 4 17)" EPERM "raw: default = deny and no socket rule: denied"
	like "$(grep '"sock_type":"raw","proto":"udp"' $AUDIT_LOG | tail -n 1)" '"rule":"default".*"cgroup":"/t67/pkt"' \
		"raw: ... the audit line names the default"
	is "$(in_cg $S probe rawsock 4 1)" ok "raw: the sibling makes raw sockets (control)"
	# ---- receive: a raw socket made by the sibling, passed in over SCM_RIGHTS ----
	is "$(pass_fd raw $R netprobe)" MSG_CTRUNC "receive: a raw ICMP socket passed in over SCM_RIGHTS is not installed"
	F1=$(grep '"op":"receive"' $AUDIT_LOG | tail -n 1)
	like "$F1" '"hook":"connect","op":"receive","policy":"t67raw","rule":"deny = icmp socket"' \
		"receive: the audit line names the hook, op receive and the rule"
	like "$F1" '"family":"ipv4","sock_type":"raw","proto":"icmp","protocol":1' "receive: ... family, socket type, protocol"
	like "$F1" '"cgroup":"/t67/raw"' "receive: ... and the receiver's cgroup"
	is "$(pass_fd raw6 $R netprobe)" MSG_CTRUNC "receive: a raw ICMPv6 socket"
	is "$(pass_fd raw $R $D/rawrecv/netprobe)" ok "receive: allow = raw socket exe: the named program receives it"
	is "$(pass_fd fresh $R netprobe)" ok "receive: a TCP socket passed in is no raw socket"
	is "$(pass_fd raw $S netprobe)" ok "receive: the sibling receives it (control)"
	# pidfd_getfd(2): the same receipt, by taking the sibling's descriptor
	rm -f /tmp/t67hold.out
	in_cg $S netprobe fd-hold raw 20 > /tmp/t67hold.out &
	hp=$!
	i=0; while [ $i -lt 50 ] && [ ! -s /tmp/t67hold.out ]; do sleep 0.1; i=$((i + 1)); done
	read -r hpid hfd < /tmp/t67hold.out
	n0=$(grep -c '"op":"receive"' $AUDIT_LOG)
	is "$(in_cg $R netprobe pidfd-getfd $hpid $hfd)" EPERM "receive: pidfd_getfd(2) of the sibling's raw socket"
	sleep 1
	n1=$(grep -c '"op":"receive"' $AUDIT_LOG)
	ok "receive: ... an audit line says op receive ($((n1 - n0)) new)" [ $((n1 - n0)) -ge 1 ]
	like "$(grep '"op":"receive"' $AUDIT_LOG | tail -n 1)" '"rule":"deny = icmp socket".*"cgroup":"/t67/raw"' \
		"receive: ... and names the rule and the taker's cgroup"
	is "$(in_cg $R $D/rawrecv/netprobe pidfd-getfd $hpid $hfd)" ok \
		"receive: ... the allowed program takes it (the policy grants CAP_SYS_PTRACE: the route is open)"
	kill $hpid 2>/dev/null
	wait $hp
else
	skip "raw: raw IP sockets" "the unconfined sibling cannot create raw sockets here"
fi

# ---- netdir: exe DIR/ on [connect] and [bind] rules ----
is "$(in_cg $ND $D/netok/np connect 127.0.0.5 80)" ECONNREFUSED "netdir: a program below the allowed directory connects (no listener)"
is "$(in_cg $ND /bin/runas 1000 $D/netok/np connect 127.0.0.5 80)" ECONNREFUSED "netdir: ... as uid 1000"
is "$(in_cg $ND $D/elsewhere/np connect 127.0.0.5 80)" EPERM "netdir: a copy elsewhere is denied (default deny)"
ok "netdir: ... its audit line names the default" \
	wait_audit '"policy":"t67netdir","rule":"default".*"addr":"127\.0\.0\.5","port":80'
is "$(in_cg $ND $D/netno/np connect 127.0.0.6 80)" EPERM "netdir: a program below the denied directory may not connect"
like "$(grep '"rule":"deny = 127.0.0.6 exe' $AUDIT_LOG | tail -n 1)" \
	"\"policy\":\"t67netdir\",\"rule\":\"deny = 127.0.0.6 exe $D/netno/\".*\"addr\":\"127.0.0.6\",\"port\":80,\"proto\":\"tcp\",\"family\":\"ipv4\",\"condition\":\"exe\"" \
	"netdir: ... the audit line names the rule and the condition that decided"
is "$(in_cg $ND /bin/runas 1000 $D/netno/np connect 127.0.0.6 80)" EPERM "netdir: ... as uid 1000"
r=$(in_cg $S /bin/runas 1000 $D/netno/np -U connect 127.0.0.6 80)
if [ "$r" = ECONNREFUSED ]; then
	is "$(in_cg $ND /bin/runas 1000 $D/netno/np -U connect 127.0.0.6 80)" EPERM \
		"netdir: ... as root of a user namespace of its own (the sibling's: $r)"
else
	skip "netdir: ... as root of a user namespace of its own" "uid 1000 cannot make one in the sibling here ($r)"
fi
is "$(in_cg $ND $D/elsewhere/np connect 127.0.0.6 80)" ECONNREFUSED "netdir: a program elsewhere connects there"
is "$(in_cg $ND $D/netno/np unix-connect /run/t67/nd.sock stream)" EPERM "netdir: unix: a program below the directory is denied the socket"
is "$(in_cg $ND $D/elsewhere/np unix-connect /run/t67/nd.sock stream)" ok "netdir: unix: a program elsewhere reaches it"
is "$(in_cg $ND $D/netok/np bind-listen 127.0.0.1 8090)" ok "netdir: bind: a program below the allowed directory listens"
is "$(in_cg $ND $D/elsewhere/np bind-listen 127.0.0.1 8090)" EPERM "netdir: bind: a program elsewhere may not (default deny)"
# around it: the program moved, linked, copied into the directory, bind-mounted, symlinked
mkdir -p $D/netok/sub
cp $D/elsewhere/np $D/netok/sub/np
is "$(in_cg $ND $D/netok/sub/np connect 127.0.0.5 80)" ECONNREFUSED "netdir: a program copied below the directory after the load is in it"
ln $D/elsewhere/np $D/netno/hl
is "$(in_cg $ND $D/netno/hl connect 127.0.0.6 80)" EPERM "netdir: a program hard-linked into the denied directory after the load is in it"
mv $D/netno/np $D/netno/np-renamed
is "$(in_cg $ND $D/netno/np-renamed connect 127.0.0.6 80)" EPERM "netdir: renamed within the directory after the load"
ln -s $D/netno/np-renamed /tmp/t67-ndlink
is "$(in_cg $ND /tmp/t67-ndlink connect 127.0.0.6 80)" EPERM "netdir: run through a symlink from elsewhere"
mount -o bind $D/netno /mnt/t67nd
is "$(in_cg $ND /mnt/t67nd/np-renamed connect 127.0.0.6 80)" EPERM "netdir: run through a bind mount of the directory"
is "$(in_cg $ND /mnt/t67nd/np-renamed unix-connect /run/t67/nd.sock stream)" EPERM "netdir: unix: ... through the bind mount too"
umount /mnt/t67nd
is "$(in_cg $S $D/netno/np-renamed connect 127.0.0.6 80)" ECONNREFUSED "netdir: the sibling cgroup is unaffected (control)"
is "$(in_cg $S $D/elsewhere/np bind-listen 127.0.0.1 8090)" ok "netdir: bind: the sibling is unaffected (control)"
kill $ndsrv 2>/dev/null
rm -f /tmp/t67-ndlink

stop_enforcerd
umount $F
rm -rf $D
