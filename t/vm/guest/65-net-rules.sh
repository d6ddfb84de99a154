# SPDX-License-Identifier: GPL-2.0-only
# guest-timeout: 600
# 65-net-rules.sh - issue 18: per-binary connect rules (`exe`), [bind]
# (bind and listen), unix: connect rules, and the ways around them: a binary
# renamed, hard-linked, symlinked or bind-mounted after the load (same
# verdict), a copy of the allowed binary or one put at its path (no allow),
# v4-mapped and dual-stack addresses, IPv6 scope ids, SO_REUSEPORT, sockets
# passed over SCM_RIGHTS, io_uring connect and bind, listen() without bind,
# socket files reached by symlink, hard link, bind mount, /proc/self/root,
# a relative name or bound under another name, abstract names, datagrams
# (sendto through a hard link or bind mount), io_uring connect to a Unix
# socket, uid 1000 as root of a user (and network) namespace of its own (the
# policies grant CAP_SYS_ADMIN so that it can map itself), unix: rules with
# `exe`.  Every denial: the exact errno, the audit line's fields, and the
# sibling cgroup (outside every policy) unaffected.  Helper:
# t/vm/bin/netprobe.c.

# the pins the bypass script before this one left are adopted (t/vm/lib.sh):
# its programs are this build's, its checks need no fresh load
ADOPT_PINS=1

P=/tmp/pol65
D=/opt/t65
cg_make t65/exe
cg_make t65/bind
cg_make t65/unix
cg_make t65/sibling
E=/t65/exe
B=/t65/bind
U=/t65/unix
S=/t65/sibling

mkdir -p $D /run/t65 /run/t65dir /run/t65d /mnt/t65 /mnt/t65u
cp /bin/netprobe $D/np           # the allowed program of [connect]
cp /bin/netprobe $D/npd          # the denied one
cp /bin/netprobe $D/srv          # the allowed listener of [bind]
cp /bin/netprobe /tmp/t65-copy   # any other program
cp /bin/netprobe $D/uok          # the program a unix: rule with exe allows
cp /bin/netprobe $D/unot         # the one a unix: rule with exe denies
ln $D/np $D/hl-before

# Unix servers, outside every policy, before the load (identity is taken then)
serve() {
	in_cg $S netprobe unix-serve "$@" 900 > /dev/null &
}
serve /run/t65/s.sock stream
serve /run/t65/d.sock dgram
serve /run/t65/other.sock stream
serve /run/t65/x.sock stream
serve /run/t65d/a.sock stream
serve /run/t65d/ok.sock stream
serve @t65-abs stream
serve @t65-free stream
in_cg $S sh -c 'cd /run/t65dir && exec netprobe unix-serve s2.sock stream 900' > /dev/null &
i=0
while [ $i -lt 100 ] && ! { [ -S /run/t65/s.sock ] && [ -S /run/t65/d.sock ] && [ -S /run/t65/other.sock ] && [ -S /run/t65/x.sock ] &&
	[ -S /run/t65d/a.sock ] && [ -S /run/t65d/ok.sock ] && [ -S /run/t65dir/s2.sock ] &&
	grep -q '@t65-free' /proc/net/unix && grep -q '@t65-abs$' /proc/net/unix; }; do
	sleep 0.1
	i=$((i + 1))
done
ok "unix servers up" test $i -lt 100
chmod 777 /run/t65/*.sock /run/t65d/*.sock /run/t65dir/*.sock   # uid 1000 may connect (DAC)

write_policy $P t65exe <<INI
[policy]
cgroup = $E
[connect]
default = deny
allow = 127.0.0.3 port 80 tcp exe $D/np
deny = 127.0.0.4 exe $D/npd
allow = 127.0.0.4
allow = fe80::/10 port 80 tcp exe $D/np
[capabilities]
allow = CAP_SYS_ADMIN   ; uid 1000 may map itself to root of a user namespace of its own
INI
write_policy $P t65bind <<INI
[policy]
cgroup = $B
[bind]
default = deny
allow = 0.0.0.0/0 port 8080 tcp exe $D/srv
allow = ::/0 port 8080 tcp exe $D/srv
allow = 127.0.0.1 port 5353 udp
allow = ::1 port 6000-6010
allow = ::/0 port 7000 tcp
deny = 0.0.0.0/0 port 7000
deny = fe80::/10
[capabilities]
allow = CAP_SYS_ADMIN
INI
write_policy $P t65unix <<'INI'
[policy]
cgroup = /t65/unix
[connect]
deny = unix:/run/t65/s.sock
deny = unix:/run/t65/d.sock
deny = unix:/run/t65dir/s2.sock
deny = unix:/run/t65d/
allow = unix:/run/t65d/ok.sock
deny = unix:@t65-abs
deny = fe80::/10 port 81
deny = unix:/run/t65/x.sock
allow = unix:/run/t65/x.sock exe /opt/t65/uok
deny = unix:@t65-free exe /opt/t65/unot
[capabilities]
allow = CAP_SYS_ADMIN
INI

start_enforcerd $P

# ---- [connect] with exe: only the named program reaches the address ----
is "$(in_cg $E $D/np connect 127.0.0.3 80)" ECONNREFUSED "exe: the allowed program connects (no listener)"
is "$(in_cg $E /tmp/t65-copy connect 127.0.0.3 80)" EPERM "exe: a copy of it is denied (default deny)"
ok "exe: audit line: hook, op, default rule, exe, addr, port, proto" \
	wait_audit '"hook":"connect","op":"connect","policy":"t65exe","rule":"default".*"comm":"t65-copy".*"addr":"127\.0\.0\.3","port":80,"proto":"tcp","family":"ipv4"'
is "$(in_cg $E /tmp/t65-copy connect 127.0.0.1 80)" EPERM "exe: another address, default deny (control of the default)"
is "$(in_cg $S /tmp/t65-copy connect 127.0.0.3 80)" ECONNREFUSED "exe: the sibling's copy connects (control)"
is "$(in_cg $E $D/np connect ::ffff:127.0.0.3 80)" ECONNREFUSED "exe: v4-mapped destination, allowed program"
is "$(in_cg $E /tmp/t65-copy connect ::ffff:127.0.0.3 80)" EPERM "exe: v4-mapped destination, copy denied"
is "$(in_cg $E /bin/runas 1000 $D/np connect 127.0.0.3 80)" ECONNREFUSED "exe: allowed program as uid 1000"
is "$(in_cg $E $D/hl-before connect 127.0.0.3 80)" ECONNREFUSED "exe: a hard link made before the load"
ln $D/np $D/hl-after
is "$(in_cg $E $D/hl-after connect 127.0.0.3 80)" ECONNREFUSED "exe: a hard link made after the load"
ln -s $D/np /tmp/t65-sym
is "$(in_cg $E /tmp/t65-sym connect 127.0.0.3 80)" ECONNREFUSED "exe: through a symlink"
mount --bind $D /mnt/t65
is "$(in_cg $E /mnt/t65/np connect 127.0.0.3 80)" ECONNREFUSED "exe: through a bind mount"
umount /mnt/t65
mv $D/np $D/np-renamed
is "$(in_cg $E $D/np-renamed connect 127.0.0.3 80)" ECONNREFUSED "exe: renamed after the load"
cp /bin/netprobe $D/np
is "$(in_cg $E $D/np connect 127.0.0.3 80)" EPERM "exe: a copy put at the rule's path after the load is denied"
is "$(in_cg $E sh -c 'cp /bin/netprobe /tmp/t65-own && exec /tmp/t65-own connect 127.0.0.3 80')" EPERM \
	"exe: a copy made by the confined process is denied"
NP=$D/np-renamed
# deny with exe: only that program is stopped
is "$(in_cg $E $D/npd connect 127.0.0.4 80)" EPERM "exe deny: the named program is denied"
ok "exe deny: audit line names the exe rule" \
	wait_audit '"policy":"t65exe","rule":"deny = 127\.0\.0\.4 exe /opt/t65/npd","rule_line":6.*"comm":"npd".*"addr":"127\.0\.0\.4"'
ln $D/npd $D/npd-hl
is "$(in_cg $E $D/npd-hl connect 127.0.0.4 80)" EPERM "exe deny: a hard link of it made after the load"
is "$(in_cg $E $NP connect 127.0.0.4 80)" ECONNREFUSED "exe deny: another program passes (allow rule)"
is "$(in_cg $E /tmp/t65-copy connect 127.0.0.4 80)" ECONNREFUSED "exe deny: a copy is not the denied program (deny-lists stop names, not content)"
# IPv6 scope ids: the rule judges the address, whatever interface the scope names
for a in fe80::1%1 fe80::1%2; do
	r=$(in_cg $S $NP connect $a 80)
	is "$(in_cg $E $NP connect $a 80)" "$r" "exe: link-local $a by the allowed program: as unconfined ($r)"
	is "$(in_cg $E /tmp/t65-copy connect $a 80)" EPERM "exe: link-local $a by a copy"
done
ok "exe: audit line of the scoped destination" \
	wait_audit '"policy":"t65exe","rule":"default".*"comm":"t65-copy".*"addr":"fe80::1","port":80,"proto":"tcp","family":"ipv6"'
# uid 1000 as root of a user namespace of its own (and of a network namespace)
r=$(in_cg $S /bin/runas 1000 netprobe -U connect 127.0.0.3 80)
case $r in
userns:*)
	skip "exe: uid 1000 in a user namespace" "unconfined uid 1000 cannot unshare a user namespace here ($r)"
	USERNS=0
	;;
*)
	USERNS=1
	is "$r" ECONNREFUSED "exe: uid 1000 in a user namespace in the sibling connects (control)"
	is "$(in_cg $E /bin/runas 1000 $NP -U connect 127.0.0.3 80)" ECONNREFUSED \
		"exe: the allowed program, uid 1000 as root of a user namespace"
	is "$(in_cg $E /bin/runas 1000 /tmp/t65-copy -U connect 127.0.0.3 80)" EPERM \
		"exe: a copy, uid 1000 as root of a user namespace"
	ok "exe: audit line of the user-namespace denial names uid 1000" \
		wait_audit '"policy":"t65exe","rule":"default".*"uid":1000,.*"comm":"t65-copy".*"addr":"127\.0\.0\.3","port":80'
	r=$(in_cg $S /bin/runas 1000 netprobe -U -N connect 127.0.0.3 80)
	is "$(in_cg $E /bin/runas 1000 /tmp/t65-copy -U -N connect 127.0.0.3 80)" EPERM \
		"exe: a copy in a user and network namespace of its own (unconfined: $r)"
	;;
esac
# a socket passed over SCM_RIGHTS is judged at the receiver's connect
in_cg $S netprobe fd-serve /tmp/t65fd1.sock fresh > /tmp/t65fd1.out &
fp=$!
i=0; while [ $i -lt 50 ] && [ ! -S /tmp/t65fd1.sock ]; do sleep 0.1; i=$((i + 1)); done
is "$(in_cg $E /tmp/t65-copy fd-connect /tmp/t65fd1.sock 127.0.0.3 80)" EPERM "exe: a socket received over SCM_RIGHTS, connected by a copy"
wait $fp
in_cg $S netprobe fd-serve /tmp/t65fd2.sock fresh > /tmp/t65fd2.out &
fp=$!
i=0; while [ $i -lt 50 ] && [ ! -S /tmp/t65fd2.sock ]; do sleep 0.1; i=$((i + 1)); done
is "$(in_cg $E $NP fd-connect /tmp/t65fd2.sock 127.0.0.3 80)" ECONNREFUSED "exe: the same by the allowed program (control)"
wait $fp
# io_uring: the ring's worker is the same program
r=$(in_cg $S netprobe uring-connect 127.0.0.3 80)
if [ "$r" = ENOSYS-setup ]; then
	skip "exe: io_uring connect" "io_uring_setup refused to unconfined root in the sibling on kernel $(uname -r)"
else
	is "$r" ECONNREFUSED "exe: io_uring connect in the sibling (control)"
	is "$(in_cg $E $NP uring-connect 127.0.0.3 80)" ECONNREFUSED "exe: io_uring connect by the allowed program"
	is "$(in_cg $E /tmp/t65-copy uring-connect 127.0.0.3 80)" EPERM "exe: io_uring connect by a copy"
fi

# ---- [bind]: who may listen ----
is "$(in_cg $B /tmp/t65-copy bind-listen 0.0.0.0 4444)" EPERM "bind: a bind shell on 0.0.0.0:4444"
ok "bind: audit line: hook bind, op bind, addr, port, proto" \
	wait_audit '"hook":"bind","op":"bind","policy":"t65bind","rule":"default".*"comm":"t65-copy".*"addr":"0\.0\.0\.0","port":4444,"proto":"tcp","family":"ipv4"'
is "$(in_cg $S /tmp/t65-copy bind-listen 0.0.0.0 4444)" ok "bind: the sibling listens on 4444 (control)"
is "$(in_cg $B /tmp/t65-copy listen-unbound 4)" EPERM "bind: listen() without bind (autobind), IPv4"
ok "bind: audit line: op listen, port 0" \
	wait_audit '"hook":"bind","op":"listen","policy":"t65bind".*"addr":"0\.0\.0\.0","port":0,"proto":"tcp","family":"ipv4"'
is "$(in_cg $B /tmp/t65-copy listen-unbound 6)" EPERM "bind: listen() without bind, IPv6"
is "$(in_cg $S /tmp/t65-copy listen-unbound 4)" ok "bind: the sibling listens unbound (control)"
is "$(in_cg $B $D/srv bind-listen 0.0.0.0 8080)" ok "bind: the allowed program listens on 8080"
is "$(in_cg $B /bin/runas 1000 $D/srv bind-listen 0.0.0.0 8080)" ok "bind: the allowed program as uid 1000"
is "$(in_cg $B /tmp/t65-copy bind-listen 0.0.0.0 8080)" EPERM "bind: a copy may not listen on 8080"
is "$(in_cg $B $D/srv bind-listen :: 8080)" ok "bind: the allowed program on [::]:8080 (dual stack)"
is "$(in_cg $B /tmp/t65-copy bind-listen ::ffff:0.0.0.0 8080)" EPERM "bind: a copy on v4-mapped ::ffff:0.0.0.0:8080"
ln $D/srv $D/srv-hl
is "$(in_cg $B $D/srv-hl bind-listen 0.0.0.0 8080)" ok "bind: a hard link of the allowed program made after the load"
mount --bind $D /mnt/t65
is "$(in_cg $B /mnt/t65/srv bind-listen 0.0.0.0 8080)" ok "bind: the allowed program through a bind mount"
umount /mnt/t65
if [ "$USERNS" = 1 ]; then
	is "$(in_cg $S /bin/runas 1000 /tmp/t65-copy -U -N bind-listen 0.0.0.0 4444)" ok \
		"bind: uid 1000 in a user and network namespace in the sibling listens (control)"
	is "$(in_cg $B /bin/runas 1000 /tmp/t65-copy -U -N bind-listen 0.0.0.0 4444)" EPERM \
		"bind: a bind shell by uid 1000 in a user and network namespace of its own"
	ok "bind: audit line of it names uid 1000" \
		wait_audit '"hook":"bind","op":"bind","policy":"t65bind".*"uid":1000,.*"comm":"t65-copy".*"port":4444'
	is "$(in_cg $B /bin/runas 1000 $D/srv -U -N bind-listen 0.0.0.0 8080)" ok \
		"bind: the allowed program there listens on 8080"
fi
# SO_REUSEPORT: the allowed listener holds the port; a copy may not join its group
in_cg $B $D/srv bind-listen 0.0.0.0 8080 reuseport hold 6 > /tmp/t65-rp.out &
rp=$!
sleep 1
is "$(cat /tmp/t65-rp.out)" ok "bind: the allowed program holds 8080 with SO_REUSEPORT"
is "$(in_cg $B /tmp/t65-copy bind-listen 0.0.0.0 8080 reuseport)" EPERM "bind: a copy joining it with SO_REUSEPORT"
is "$(in_cg $B /tmp/t65-copy bind 0.0.0.0 8080 tcp reuseport)" EPERM "bind: a copy's SO_REUSEPORT bind alone"
is "$(in_cg $B $D/srv bind-listen 0.0.0.0 8080 reuseport)" ok "bind: a second allowed one joins (control)"
is "$(in_cg $S /tmp/t65-copy bind-listen 0.0.0.0 8080 reuseport)" ok "bind: the sibling joins with SO_REUSEPORT (control)"
wait $rp
# UDP, exact addresses, v4-mapped, ranges, IPv6 scope ids, dual stack
is "$(in_cg $B /tmp/t65-copy bind 127.0.0.1 5353 udp)" ok "bind: UDP 127.0.0.1:5353 allowed"
is "$(in_cg $B /tmp/t65-copy bind 127.0.0.1 5354 udp)" EPERM "bind: UDP 127.0.0.1:5354 denied"
is "$(in_cg $B /tmp/t65-copy bind 0.0.0.0 5353 udp)" EPERM "bind: UDP 0.0.0.0:5353 (not the allowed address)"
is "$(in_cg $B /tmp/t65-copy bind 127.0.0.1 5353 tcp)" EPERM "bind: TCP 127.0.0.1:5353 (the rule is udp)"
is "$(in_cg $B /tmp/t65-copy bind ::ffff:127.0.0.1 5353 udp)" ok "bind: v4-mapped ::ffff:127.0.0.1:5353 folds to IPv4 (allowed)"
is "$(in_cg $B /tmp/t65-copy bind ::ffff:127.0.0.1 5354 udp)" EPERM "bind: v4-mapped ::ffff:127.0.0.1:5354 denied"
ok "bind: audit line of the v4-mapped bind is IPv4" \
	wait_audit '"hook":"bind","op":"bind","policy":"t65bind".*"addr":"127\.0\.0\.1","port":5354,"proto":"udp","family":"ipv4"'
is "$(in_cg $B /tmp/t65-copy bind ::1 6005 tcp)" ok "bind: [::1]:6005 inside the range"
is "$(in_cg $B /tmp/t65-copy bind ::1 6011 tcp)" EPERM "bind: [::1]:6011 outside the range"
is "$(in_cg $B /tmp/t65-copy bind ::1 7000 tcp)" ok "bind: [::1]:7000 (IPv6 allowed)"
is "$(in_cg $B /tmp/t65-copy bind :: 7000 tcp)" EPERM "bind: [::]:7000 dual stack would open 0.0.0.0:7000 (denied)"
is "$(in_cg $B /tmp/t65-copy bind 0.0.0.0 7000 tcp)" EPERM "bind: 0.0.0.0:7000 denied"
is "$(in_cg $B /tmp/t65-copy bind fe80::1%1 9000 tcp)" EPERM "bind: link-local fe80::1 with scope id 1"
like "$(in_cg $S /tmp/t65-copy bind fe80::1%1 9000 tcp)" '^(EADDRNOTAVAIL|EINVAL|ENODEV|ok)$' \
	"bind: the sibling's link-local bind is not EPERM (control)"
ok "bind: audit line of the scoped address" \
	wait_audit '"hook":"bind","op":"bind","policy":"t65bind".*"addr":"fe80::1","port":9000,"proto":"tcp","family":"ipv6"'
# ephemeral ports taken by connect() and sendto() stay allowed
is "$(in_cg $B /tmp/t65-copy connect 127.0.0.1 80)" ECONNREFUSED "bind: connect() takes an ephemeral port (not judged)"
is "$(in_cg $B trick sendto 127.0.0.1 80)" ok "bind: UDP sendto() takes an ephemeral port (not judged)"
# a socket bound outside the policy, passed in, may not listen
in_cg $S netprobe fd-serve /tmp/t65fd3.sock bound 0.0.0.0 4445 > /tmp/t65fd3.out &
fp=$!
i=0; while [ $i -lt 50 ] && [ ! -S /tmp/t65fd3.sock ]; do sleep 0.1; i=$((i + 1)); done
is "$(in_cg $B /tmp/t65-copy fd-listen /tmp/t65fd3.sock)" EPERM "bind: listen() on a socket bound by the sibling, received over SCM_RIGHTS"
ok "bind: audit line: op listen, the socket's port" \
	wait_audit '"hook":"bind","op":"listen","policy":"t65bind".*"addr":"0\.0\.0\.0","port":4445'
wait $fp
in_cg $S netprobe fd-serve /tmp/t65fd4.sock bound 0.0.0.0 4445 > /tmp/t65fd4.out &
fp=$!
i=0; while [ $i -lt 50 ] && [ ! -S /tmp/t65fd4.sock ]; do sleep 0.1; i=$((i + 1)); done
is "$(in_cg $S /tmp/t65-copy fd-listen /tmp/t65fd4.sock)" ok "bind: the sibling listens on the passed socket (control)"
wait $fp
# io_uring bind (IORING_OP_BIND, Linux 6.11): an unconfined control decides
r=$(in_cg $S netprobe uring-bind 127.0.0.1 4446)
if [ "$r" = ENOSYS-setup ]; then
	skip "bind: IORING_OP_BIND" "io_uring_setup refused to unconfined root in the sibling on kernel $(uname -r)"
elif [ "$r" = EINVAL ]; then
	skip "bind: IORING_OP_BIND" "kernel $(uname -r) has no IORING_OP_BIND (unconfined control: EINVAL)"
else
	is "$r" ok "bind: IORING_OP_BIND in the sibling (control)"
	is "$(in_cg $B /tmp/t65-copy uring-bind 127.0.0.1 4446)" EPERM "bind: IORING_OP_BIND in the policy's cgroup"
	is "$(in_cg $B $D/srv uring-bind 127.0.0.1 8080)" ok "bind: IORING_OP_BIND by the allowed program on 8080"
fi
r=$(in_cg $S netprobe uring-connect 127.0.0.1 80)
if [ "$r" = ENOSYS-setup ]; then
	skip "bind: io_uring connect autobinds" "io_uring_setup refused to unconfined root in the sibling on kernel $(uname -r)"
else
	is "$(in_cg $B /tmp/t65-copy uring-connect 127.0.0.1 80)" ECONNREFUSED "bind: io_uring connect autobinds (not judged)"
fi

# ---- unix: sockets ----
is "$(in_cg $U netprobe unix-connect /run/t65/s.sock stream)" EPERM "unix: connect to a denied socket"
ok "unix: audit line: hook connect, op connect, family unix, path" \
	wait_audit '"hook":"connect","op":"connect","policy":"t65unix","rule":"deny = unix:/run/t65/s\.sock".*"family":"unix","path":"/run/t65/s\.sock"'
is "$(in_cg $U /bin/runas 1000 netprobe unix-connect /run/t65/s.sock stream)" EPERM "unix: the same as uid 1000"
is "$(in_cg $S netprobe unix-connect /run/t65/s.sock stream)" ok "unix: the sibling connects (control)"
is "$(in_cg $U netprobe unix-connect /run/t65/other.sock stream)" ok "unix: another socket (control)"
ln -s /run/t65/s.sock /tmp/t65-l.sock
is "$(in_cg $U netprobe unix-connect /tmp/t65-l.sock stream)" EPERM "unix: through a symlink"
ln /run/t65/s.sock /run/t65/hl.sock
is "$(in_cg $U netprobe unix-connect /run/t65/hl.sock stream)" EPERM "unix: through a hard link made after the load"
is "$(in_cg $U netprobe unix-connect /proc/self/root/run/t65/s.sock stream)" EPERM "unix: through /proc/self/root"
is "$(in_cg $U sh -c 'cd /run/t65 && exec netprobe unix-connect s.sock stream')" EPERM "unix: by a relative name"
mount --bind /run/t65 /mnt/t65u
is "$(in_cg $U netprobe unix-connect /mnt/t65u/s.sock stream)" EPERM "unix: through a bind mount"
is "$(in_cg $U netprobe unix-sendto /mnt/t65u/d.sock)" EPERM "unix: datagram sendto through a bind mount"
umount /mnt/t65u
ln /run/t65/d.sock /run/t65/d-hl.sock
is "$(in_cg $U netprobe unix-sendto /run/t65/d-hl.sock)" EPERM "unix: datagram sendto through a hard link made after the load"
is "$(in_cg $S netprobe unix-sendto /run/t65/d-hl.sock)" ok "unix: the sibling sends through the hard link (control)"
r=$(in_cg $S netprobe uring-unix-connect /run/t65/s.sock)
if [ "$r" = ENOSYS-setup ]; then
	skip "unix: io_uring connect" "io_uring_setup refused to unconfined root in the sibling on kernel $(uname -r)"
else
	is "$r" ok "unix: io_uring connect in the sibling (control)"
	is "$(in_cg $U netprobe uring-unix-connect /run/t65/s.sock)" EPERM "unix: io_uring connect to a denied socket"
fi
if [ "$USERNS" = 1 ]; then
	is "$(in_cg $S /bin/runas 1000 netprobe -U unix-connect /run/t65/s.sock stream)" ok \
		"unix: uid 1000 in a user namespace in the sibling connects (control)"
	is "$(in_cg $U /bin/runas 1000 netprobe -U unix-connect /run/t65/s.sock stream)" EPERM \
		"unix: uid 1000 as root of a user namespace"
	is "$(in_cg $S /bin/runas 1000 netprobe -U -N unix-connect /run/t65/s.sock stream)" ok \
		"unix: the same in a network namespace of its own in the sibling (control)"
	is "$(in_cg $U /bin/runas 1000 netprobe -U -N unix-connect /run/t65/s.sock stream)" EPERM \
		"unix: the same in a network namespace of its own (path sockets cross it)"
fi
# IPv6 scope ids on a [connect] deny
r=$(in_cg $S netprobe connect fe80::1%1 81)
is "$(in_cg $U netprobe connect fe80::1%1 81)" EPERM "connect: deny = fe80::/10 port 81 with scope id 1 (unconfined: $r)"
is "$(in_cg $U netprobe connect fe80::1%1 82)" "$(in_cg $S netprobe connect fe80::1%1 82)" "connect: port 82 is not denied (as unconfined)"

is "$(in_cg $U netprobe unix-sendto /run/t65/d.sock)" EPERM "unix: datagram sendto by path"
ok "unix: audit line: op sendmsg" \
	wait_audit '"op":"sendmsg","policy":"t65unix","rule":"deny = unix:/run/t65/d\.sock".*"family":"unix","path":"/run/t65/d\.sock"'
is "$(in_cg $U netprobe unix-connect /run/t65/d.sock dgram)" EPERM "unix: datagram connect by path"
is "$(in_cg $S netprobe unix-sendto /run/t65/d.sock)" ok "unix: the sibling sends (control)"
is "$(in_cg $U netprobe unix-connect /run/t65dir/s2.sock stream)" EPERM \
	"unix: a socket bound by a relative name (matched by identity)"
is "$(in_cg $S netprobe unix-connect /run/t65dir/s2.sock stream)" ok "unix: the sibling reaches it (control)"
is "$(in_cg $U netprobe unix-connect /run/t65d/a.sock stream)" EPERM "unix: a socket below a denied directory"
is "$(in_cg $U netprobe unix-connect /run/t65d/ok.sock stream)" ok "unix: the allowed one below it (most specific wins)"
is "$(in_cg $U netprobe unix-connect @t65-abs stream)" EPERM "unix: an abstract name"
ok "unix: audit line: abstract" \
	wait_audit '"policy":"t65unix","rule":"deny = unix:@t65-abs".*"family":"unix","path":"@t65-abs","abstract":true'
is "$(in_cg $U netprobe unix-connect @t65-free stream)" ok "unix: another abstract name (control)"
is "$(in_cg $S netprobe unix-connect @t65-abs stream)" ok "unix: the sibling reaches the abstract name (control)"
# unix: rules with exe: that program's rules win at one name; the others still apply to it
is "$(in_cg $U netprobe unix-connect /run/t65/x.sock stream)" EPERM "unix exe: another program is denied x.sock"
is "$(in_cg $U $D/uok unix-connect /run/t65/x.sock stream)" ok "unix exe: the named program connects (its allow beats the deny)"
is "$(in_cg $U /bin/runas 1000 $D/uok unix-connect /run/t65/x.sock stream)" ok "unix exe: the named program as uid 1000"
ln $D/uok $D/uok-hl
is "$(in_cg $U $D/uok-hl unix-connect /run/t65/x.sock stream)" ok "unix exe: a hard link of it made after the load"
cp $D/uok /tmp/t65-uok-copy
is "$(in_cg $U /tmp/t65-uok-copy unix-connect /run/t65/x.sock stream)" EPERM "unix exe: a copy of it is denied"
ok "unix exe: audit line names the rule without exe" \
	wait_audit '"policy":"t65unix","rule":"deny = unix:/run/t65/x\.sock","rule_line":[0-9]*,.*"comm":"t65-uok-copy".*"path":"/run/t65/x\.sock"'
ln /run/t65/x.sock /run/t65/x-hl.sock
is "$(in_cg $U $D/uok unix-connect /run/t65/x-hl.sock stream)" ok "unix exe: the named program through a hard link of the socket"
is "$(in_cg $U netprobe unix-connect /run/t65/x-hl.sock stream)" EPERM "unix exe: another program through the hard link"
is "$(in_cg $U $D/uok unix-connect /run/t65/s.sock stream)" EPERM "unix exe: the named program is still denied s.sock (rules without exe)"
is "$(in_cg $U $D/uok unix-sendto /run/t65/d.sock)" EPERM "unix exe: and the datagram socket"
is "$(in_cg $U $D/unot unix-connect @t65-free stream)" EPERM "unix exe: deny with exe stops that program"
ok "unix exe: audit line names the exe rule" \
	wait_audit '"policy":"t65unix","rule":"deny = unix:@t65-free exe /opt/t65/unot".*"comm":"unot".*"path":"@t65-free","abstract":true'
is "$(in_cg $U netprobe unix-connect @t65-free stream)" ok "unix exe: other programs reach @t65-free (control)"
is "$(in_cg $S $D/unot unix-connect @t65-free stream)" ok "unix exe: the sibling's unot reaches it (control)"
mv /run/t65/s.sock /run/t65/moved.sock
is "$(in_cg $U netprobe unix-connect /run/t65/moved.sock stream)" EPERM "unix: the socket file renamed after the load"
# stats count the new rules
js=$(enforcerctl --json stats)
like "$js" '"name":"t65bind",[^]]*"bind":\{"checks":[1-9][0-9]*,"denials":[1-9][0-9]*,' "stats: bind checks and denials of t65bind"
like "$js" '"name":"t65unix",[^]]*"connect":\{"checks":[1-9][0-9]*,"denials":[1-9][0-9]*,' "stats: unix connect denials of t65unix"
like "$(enforcerctl policies)" 'by program /opt/t65/np|"exe":"/opt/t65/np"' "policies: the exe condition is shown"

# the servers (netprobe unix-serve) of this script
# shellcheck disable=SC2046
kill $(pidof netprobe) 2>/dev/null
stop_enforcerd
