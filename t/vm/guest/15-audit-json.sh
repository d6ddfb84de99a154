# SPDX-License-Identifier: GPL-2.0-only
# 15-audit-json.sh - audit lines: every line valid JSON (checked by jsonget),
# one line per denial, with time, action, hook, policy, rule, pid, ppid,
# uid, comm, cgroup, and path + access or addr + port + proto.

# the pins the script before this one left are adopted (t/vm/lib.sh): its
# programs are this build's, its checks need no fresh load
ADOPT_PINS=1

P=/tmp/pol15
D=/data/t15
cg_make t15/bound
cg_make t15/allow
mkdir -p $D/ro $D/weird
echo data > $D/secret
echo data > $D/ro/f
chmod 666 $D/secret   # so uid 1000 passes DAC and meets the LSM
W="$D/weird/q\"uote\\back slash"
echo data > "$W"

write_policy $P t15 <<INI
[policy]
cgroup = /t15/bound
[exec]
deny = /usr/bin/denyme
[file]
deny = $D/secret
readonly = $D/ro/
deny = $D/weird/
[connect]
deny = 127.0.0.2
deny = ::1 port 7
INI
write_policy $P t15allow <<'INI'
[policy]
name = allowlist15
cgroup = /t15/allow
[connect]
default = deny
allow = 127.0.0.1
INI

start_enforcerd $P

# Each denial runs in the background so its pid (the shell that joins the
# cgroup, then execs probe) and ppid (this shell) are known; probe exec
# forks, so there the probe is the ppid.
run_bg() {
	sh -c 'echo $$ > /sys/fs/cgroup/$0/cgroup.procs && exec "$@"' "$@" >/tmp/t15.out &
	BGPID=$!
	wait $BGPID
	OUT=$(cat /tmp/t15.out)
}

run_bg t15/bound probe exec /usr/bin/denyme;           EXEC_PID=$BGPID; is "$OUT" EPERM "exec denied"
run_bg t15/bound probe open $D/secret r;               FILE_PID=$BGPID; is "$OUT" EPERM "open for read denied"
run_bg t15/bound /bin/runas 1000 probe open $D/secret w; U_PID=$BGPID;  is "$OUT" EPERM "open for write as uid 1000 denied"
run_bg t15/bound probe open $D/ro/f w;                 RO_PID=$BGPID;   is "$OUT" EPERM "readonly write denied"
run_bg t15/bound probe open "$W" r;                                     is "$OUT" EPERM "open of a path with a quote and backslash denied"
run_bg t15/bound probe connect 127.0.0.2 80 tcp;       NET_PID=$BGPID;  is "$OUT" EPERM "tcp connect denied"
run_bg t15/bound probe connect 127.0.0.2 53 udp;                        is "$OUT" EPERM "udp connect denied"
run_bg t15/bound probe connect ::1 7 tcp;                               is "$OUT" EPERM "IPv6 connect denied"
run_bg t15/allow probe connect 127.0.0.3 80 tcp;                        is "$OUT" EPERM "connect denied by default"
run_bg t15/bound probe open $D/ro/f r;                                  is "$OUT" ok "readonly read passes (no line)"

wait_audit '127\.0\.0\.3' 10
stop_enforcerd

L=$AUDIT_LOG
ok "every audit line is valid JSON" jsonget < $L
is "$(wc -l < $L | tr -d ' ')" 9 "one line per denial (9)"
if ! jsonget < $L >/dev/null 2>&1; then
	diag "audit log:"
	diag "$(cat $L)"
fi

# get FILTER... -- KEY: the KEY of the single line the -m filters select.
get() {
	_cnt=$#
	_i=0
	_key=
	while [ $_i -lt $_cnt ]; do
		_a=$1
		shift
		_i=$((_i + 1))
		if [ "$_a" = -- ]; then
			_key=$1
			shift
			_i=$((_i + 1))
			continue
		fi
		set -- "$@" -m "$_a"
	done
	jsonget "$@" "$_key" < $L
}

T='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{9}(Z|\+00:00)$'

# exec
like "$(get hook=exec -- time)" "$T" "exec line: time is RFC 3339 UTC with nanoseconds"
is "$(get hook=exec -- action)" deny "exec line: action"
is "$(get hook=exec -- policy)" t15 "exec line: policy (the file's name)"
like "$(get hook=exec -- rule)" '/usr/bin/denyme' "exec line: rule as written"
is "$(get hook=exec -- path)" /usr/bin/denyme "exec line: path"
is "$(get hook=exec -- access)" exec "exec line: access"
like "$(get hook=exec -- pid)" '^[0-9]+$' "exec line: pid is a number"
is "$(get hook=exec -- ppid)" "$EXEC_PID" "exec line: ppid (probe, which forked the exec)"
is "$(get hook=exec -- uid)" 0 "exec line: uid"
is "$(get hook=exec -- comm)" probe "exec line: comm"
is "$(get hook=exec -- cgroup)" /t15/bound "exec line: cgroup"

# file, read
F="hook=file path=$D/secret access=read"
like "$(get $F -- time)" "$T" "file line: time"
is "$(get $F -- action)" deny "file line: action"
is "$(get $F -- policy)" t15 "file line: policy"
like "$(get $F -- rule)" "$D/secret" "file line: rule as written"
is "$(get $F -- pid)" "$FILE_PID" "file line: pid"
is "$(get $F -- ppid)" "$$" "file line: ppid (the test shell)"
is "$(get $F -- uid)" 0 "file line: uid 0"
is "$(get $F -- comm)" probe "file line: comm"
is "$(get $F -- cgroup)" /t15/bound "file line: cgroup"

# file, write, uid 1000
F="hook=file path=$D/secret access=write"
is "$(get $F -- uid)" 1000 "file write line: uid 1000"
is "$(get $F -- pid)" "$U_PID" "file write line: pid"

# readonly
F="hook=file path=$D/ro/f"
is "$(get $F -- access)" write "readonly line: access write"
like "$(get $F -- rule)" "$D/ro/" "readonly line: rule as written"
is "$(get $F -- pid)" "$RO_PID" "readonly line: pid"

# escaping
is "$(get hook=file "path=$W" -- access)" read "path with quote and backslash round-trips through JSON"

# connect
F="hook=connect addr=127.0.0.2 proto=tcp"
like "$(get $F -- time)" "$T" "connect line: time"
is "$(get $F -- action)" deny "connect line: action"
is "$(get $F -- policy)" t15 "connect line: policy"
like "$(get $F -- rule)" '127\.0\.0\.2' "connect line: rule as written"
is "$(get $F -- port)" 80 "connect line: port"
is "$(get $F -- pid)" "$NET_PID" "connect line: pid"
is "$(get $F -- ppid)" "$$" "connect line: ppid"
is "$(get $F -- uid)" 0 "connect line: uid"
is "$(get $F -- comm)" probe "connect line: comm"
is "$(get $F -- cgroup)" /t15/bound "connect line: cgroup"
is "$(get hook=connect addr=127.0.0.2 proto=udp -- port)" 53 "connect line: udp"
is "$(get hook=connect addr=::1 -- port)" 7 "connect line: IPv6 address" ||
	diag "$(grep '"connect"' $L)"
is "$(get hook=connect addr=::1 -- proto)" tcp "connect line: IPv6 proto"
is "$(get hook=connect addr=127.0.0.3 -- rule)" default "connect line: rule 'default' for a default deny"
is "$(get hook=connect addr=127.0.0.3 -- policy)" allowlist15 "connect line: policy named in [policy] name"
is "$(get hook=connect addr=127.0.0.3 -- cgroup)" /t15/allow "connect line: its cgroup"
