# SPDX-License-Identifier: GPL-2.0-only
# 21-control.sh - the control socket (issue 3): mode 0660 and group;
# guest-timeout: 600
# unprivileged peers refused (by the file mode, and by SO_PEERCRED when the
# mode is opened up) with a clear message, exit 1 and a line in the
# daemon's log; --socket-group admits its members; hostile raw clients (50
# at once, more than 64, a 100 KiB line, binary garbage, half-written
# requests, silent clients, a follower that never reads during a flood) get
# an error or a timeout while enforcement and other clients carry on;
# enforcerctl's exit codes.

# the pins the script before this one left are adopted (t/vm/lib.sh): its
# programs are this build's, its checks need no fresh load
ADOPT_PINS=1

P=/tmp/pol21
D=/data/t21
S=/run/enforcer/enforcer.sock
CG=t21/gov
mkdir -p $D
echo data > $D/secret
cg_make $CG
write_policy $P t21 <<INI
[policy]
cgroup = /$CG
[exec]
deny = /usr/bin/denyme
[file]
deny = $D/secret
INI

# ---- root only (no --socket-group) ----
start_enforcerd $P
is "$(stat -c '%a %U %G' $S)" "660 root root" "socket mode 0660, root:root"
as_user 1000 enforcerctl status >/tmp/t21.out 2>/tmp/t21.err
is "$?" 1 "uid 1000, socket root only: exit 1"
like "$(cat /tmp/t21.err)" "permission denied" "uid 1000: the message says permission denied"
diag "$(cat /tmp/t21.err)"
# open the file mode up: the daemon's own SO_PEERCRED check must refuse
chmod 666 $S
as_user 1000 enforcerctl status >/tmp/t21.out 2>/tmp/t21.err
is "$?" 1 "uid 1000 past the file mode: refused by the daemon, exit 1"
like "$(cat /tmp/t21.err)" "permission denied: uid 1000 is not root" \
	"uid 1000: the daemon's refusal is shown"
diag "$(cat /tmp/t21.err)"
like "$(grep 'refused' /tmp/enforcerd.err)" "refused connection from uid 1000" \
	"the refusal is in enforcerd's log"
# (the daemon refuses at accept: the request may meet a closed socket, and
# the close may reach the client as ECONNRESET rather than EOF)
like "$(sockclient -u 1000 -g 1000 -s 'status\n' $S | grep -v SEND | tr '\n' '|')" \
	'^0: \{"ok":false,"error":"permission denied[^}]*\}\|0: (EOF|ERR ECONNRESET)\|$' \
	"raw client as uid 1000: one error line, then disconnected"
is "$(enforcerctl status >/dev/null; echo $?)" 0 "root still served"
stop_enforcerd

# ---- --socket-group enforcer (gid 1000; user is a member) ----
start_enforcerd $P --socket-group enforcer
is "$(stat -c '%a %U %G' $S)" "660 root enforcer" "socket mode 0660, root:enforcer"
as_user 1000 enforcerctl status >/tmp/t21.out 2>/tmp/t21.err
is "$?" 0 "uid 1000 in group enforcer: status exit 0"
is "$(as_user 1000 enforcerctl --json status | jsonget live)" true "uid 1000 in group enforcer: live"
chmod 666 $S
like "$(sockclient -u 1001 -g 1001 -s 'status\n' $S | grep -v SEND | tr '\n' '|')" \
	'^0: \{"ok":false,"error":"permission denied: uid 1001 is not root or in group enforcer"\}\|0: (EOF|ERR ECONNRESET)\|$' \
	"uid 1001 (not a member) past the file mode: refused by the daemon"
like "$(grep 'refused' /tmp/enforcerd.err)" "uid 1001" "that refusal is logged too"
like "$(sockclient -u 1000 -g 1001 -s 'ping\n' -c 1 $S)" '"pong":true' \
	"uid 1000 with another gid: a member through /etc/group, served"
chmod 660 $S

# ---- hostile clients ----
# enforcement and the socket must stay responsive; checked after each.
alive() {
	_t0=$(flood ms)
	_s=$(enforcerctl --timeout 5 --json status | jsonget live)
	_t1=$(flood ms)
	_e=$(in_cg $CG probe exec /usr/bin/denyme)
	_o=$(in_cg $CG probe open $D/secret r)
	if [ "$_s $_e $_o" = "true EPERM EPERM" ] && [ $((_t1 - _t0)) -lt 3000 ]; then
		pass "$1: status answered in $((_t1 - _t0)) ms, exec and open still EPERM"
	else
		fail "$1: status live=$_s in $((_t1 - _t0)) ms, exec=$_e open=$_o"
	fi
}

# half-written request, and silent clients: held in the background (30 s
# timeout), looked at the end
sockclient -s 'sta' -t 45 $S > /tmp/t21.half 2>&1 &
HALF=$!
sockclient -n 5 -t 45 $S > /tmp/t21.silent 2>&1 &
SILENT=$!
sleep 1
alive "with a half-written request and 5 silent clients"

sockclient -n 50 -s 'status\n' -c 1 -t 30 $S > /tmp/t21.50
is "$(grep -c '^[0-9]*: {"ok":true,"version"' /tmp/t21.50)" 50 "50 clients at once: 50 status answers"
alive "after 50 clients"

# 6 held + 70 new > 64: the excess is told so, the others served
sockclient -n 70 -s 'ping\n' -c 1 -t 30 $S > /tmp/t21.70
np=$(grep -c '"pong":true' /tmp/t21.70)
nb=$(grep -c '"error":"too many clients"' /tmp/t21.70)
is "$((np + nb))" 70 "70 more clients: each is served or told 'too many clients'"
like "$nb" '^[1-9]' "some were told 'too many clients' ($np served, $nb refused)"
alive "after 70 clients"

# the daemon closes with the rest of the line unread: the kernel may send a
# reset (ECONNRESET) instead of a FIN (EOF); either is the disconnect
like "$(sockclient -l 102400 $S | grep -v SEND | tr '\n' '|')" \
	'^0: \{"ok":false,"error":"request too long[^}]*\}\|0: (EOF|ERR ECONNRESET)\|$' \
	"100 KiB line: an error, then disconnected"
alive "after a 100 KiB line"

like "$(sockclient -s '\x00\x01\xff\xfe\x1b[2Jgarbage\n' $S | tr '\n' '|')" \
	'^0: \{"ok":false,"error":"binary[^}]*\}\|0: EOF\|$' "binary garbage: an error, then disconnected"
like "$(sockclient -s 'frobnicate\nping\n' -c 2 $S | tr '\n' '|')" \
	'^0: \{"ok":false,"error":"[^}]*\}\|0: \{"ok":true,"pong":true' \
	"unknown verb: an error, the connection goes on"
alive "after garbage"

# a follower that never reads, while a flood of denials runs
sockclient -s 'audit follow\n' -W -w 60 $S &
STUCK=$!
sleep 1
before=$(wc -l < $AUDIT_LOG)
in_cg $CG flood 30000 $D/secret > /tmp/t21.flood
like "$(cat /tmp/t21.flood)" '^attempts=30000 eperm=30000 ' "flood: 30000 denied opens, all EPERM"
alive "during a stuck follower"
sleep 2
after=$(wc -l < $AUDIT_LOG)
like "$((after - before))" '^[0-9]{4,}$' "the audit log advanced past a stuck follower ($((after - before)) lines)"
like "$(enforcerctl --json stats | jsonget control | grep -o '"followers_dropped":[0-9]*')" \
	'"followers_dropped":[1-9]' "the stuck follower was dropped"
kill $STUCK 2>/dev/null
wait $STUCK 2>/dev/null

wait $HALF $SILENT
like "$(cat /tmp/t21.half | tr '\n' '|')" '^0: \{"ok":false,"error":"timeout[^}]*\}\|0: EOF\|$' \
	"half-written request: a timeout error, then disconnected"
is "$(grep -c '"error":"timeout' /tmp/t21.silent)" 5 "5 silent clients: each got a timeout error"
alive "at the end"

# ---- exit codes ----
enforcerctl frobnicate >/dev/null 2>&1
is "$?" 2 "enforcerctl: unknown command exits 2"
enforcerctl status extra >/dev/null 2>&1
is "$?" 2 "enforcerctl: extra argument exits 2"
enforcerctl --timeout x status >/dev/null 2>&1
is "$?" 2 "enforcerctl: bad option value exits 2"
enforcerctl audit --hook bogus >/dev/null 2>&1
is "$?" 2 "enforcerctl: bad audit filter exits 2"
enforcerctl status >/dev/null 2>&1
is "$?" 0 "enforcerctl status: exit 0"
stop_enforcerd
enforcerctl status >/dev/null 2>/tmp/t21.err
is "$?" 1 "daemon stopped: status exits 1"
like "$(cat /tmp/t21.err)" "not running" "daemon stopped: the message says not running"
