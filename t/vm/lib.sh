# SPDX-License-Identifier: GPL-2.0-only
# lib.sh - TAP output and helpers for the guest test scripts in the VM
# (sourced, busybox sh).  One test counter is shared by all scripts of a
# boot through /tmp/.tap_n; run-vm.sh renumbers anyway.
#
#   pass DESC / fail DESC          one test
#   skip DESC WHY...               one test not run: "ok N - DESC # SKIP WHY"
#                                  (only for an environment gap shown by an
#                                  unconfined control run; run-vm.sh turns it
#                                  into a failure when t/vm/must-run.txt
#                                  lists DESC)
#   ok DESC CMD...                 passes when CMD exits 0
#   is GOT WANT DESC               string equality
#   like GOT ERE DESC              grep -E match
#   diag MSG...                    "# MSG" lines
#   cg_make NAME                   mkdir -p /sys/fs/cgroup/NAME
#   in_cg CG CMD...                run CMD (an executable) inside cgroup CG
#   gexec CG FILE...               exec each FILE from one shell in CG: ok/EPERM/EACCES/ENOENT each
#   as_user UID CMD...             run CMD as UID (gid 1000 'enforcer')
#   start_enforcerd DIR [ARG...]   start the daemon, wait for "enforcement live"
#                                  (ENFORCERD_START_WAIT s, default 300: loading
#                                  takes ~15 s on 6.1 under TCG)
#   stop_enforcerd                 SIGTERM it, assert it exits 0, remove the pins
#                                  (KEEP_PINNED=1: keep them)
#   ADOPT_PINS=1                   set at the top of a script whose checks do
#                                  not depend on a fresh load: its
#                                  start_enforcerd adopts what the script
#                                  before it left (same BPF object: the
#                                  programs are kept, nothing is verified
#                                  again; README "Restarts") and its
#                                  stop_enforcerd leaves the pins for the next
#                                  one.  Without it, start_enforcerd first
#                                  removes pins such a script left: a fresh
#                                  load, as before.
#   kill_enforcerd                 SIGKILL it (no assertion): pinned state stays
#   unload_enforcer                kill it if running and remove pinned state (no
#                                  assertion): before a script, and at its EXIT
#   wait_audit ERE [SECS]          wait until /tmp/audit.log has a matching line

CG_ROOT=/sys/fs/cgroup
ENFORCERD=${ENFORCERD:-/bin/enforcerd}
AUDIT_LOG=/tmp/audit.log

_tap_next() {
	_n=$(cat /tmp/.tap_n 2>/dev/null || echo 0)
	_n=$((_n + 1))
	echo "$_n" > /tmp/.tap_n
}

pass() {
	_tap_next
	echo "ok $_n - $*"
}

fail() {
	_tap_next
	echo "not ok $_n - $*"
	return 1
}

skip() {
	_d=$1
	shift
	_tap_next
	echo "ok $_n - $_d # SKIP $*"
}

diag() {
	printf '%s\n' "$*" | sed 's/^/# /'
}

ok() {
	_d=$1
	shift
	if "$@"; then
		pass "$_d"
	else
		fail "$_d"
	fi
}

is() {
	if [ "$1" = "$2" ]; then
		pass "$3"
	else
		fail "$3"
		diag "     got: '$1'"
		diag "expected: '$2'"
		return 1
	fi
}

like() {
	# grep -q may stop reading early: printf's broken pipe is no failure
	if { printf '%s\n' "$1" 2>/dev/null; } | grep -qE -- "$2"; then
		pass "$3"
	else
		fail "$3"
		diag "     got: '$1'"
		diag "expected to match: /$2/"
		return 1
	fi
}

cg_make() {
	mkdir -p "$CG_ROOT/${1#/}"
}

# in_cg CG CMD...: a shell joins the cgroup, then execs CMD.
in_cg() {
	_cg=${1#/}
	shift
	sh -c 'echo $$ > "$0/cgroup.procs" || exit 125; exec "$@"' "$CG_ROOT/$_cg" "$@"
}

# gexec CG FILE...: one shell joins cgroup CG and runs each FILE (a fork
# and an exec each: the shell itself was exec'd before it joined); prints
# ok or the errno's name per file
gexec() {
	ge_cg=$1
	shift
	sh -c '
	echo $$ > "$0/cgroup.procs" || exit 125
	out=
	for f; do
		e=$( { "$f"; } 2>&1 )
		rc=$?
		case "$rc:$e" in
		0:) r=ok ;;
		*"not permitted"*) r=EPERM ;;
		*"ermission denied"*) r=EACCES ;;
		*"not found"*|*"o such file"*) r=ENOENT ;;
		*) r="other($rc:$e)" ;;
		esac
		out="$out${out:+ }$r"
	done
	echo "$out"' "$CG_ROOT/${ge_cg#/}" "$@"
}

as_user() {
	_uid=$1
	shift
	/bin/runas "$_uid" "$@"
}

start_enforcerd() {
	_dir=$1
	shift
	mkdir -p /run/enforcer
	rm -f "$AUDIT_LOG" /tmp/enforcerd.err /tmp/enforcerd.out
	# pins an ADOPT_PINS script left: only another such script takes them
	_adopt=
	if [ -e /tmp/.pins_left ] && [ "${ADOPT_PINS:-}" = 1 ]; then
		_adopt=1
	elif [ -e /tmp/.pins_left ]; then
		"$ENFORCERD" --unload >/dev/null 2>&1
	fi
	rm -f /tmp/.pins_left
	if [ ! -x "$ENFORCERD" ]; then
		fail "enforcerd starts with $_dir ($ENFORCERD missing: was it built?)"
		return 1
	fi
	"$ENFORCERD" --policy-dir "$_dir" --socket /run/enforcer/enforcer.sock \
		--audit-log "$AUDIT_LOG" "$@" </dev/null >/tmp/enforcerd.out 2>/tmp/enforcerd.err &
	ENFORCERD_PID=$!
	echo "$ENFORCERD_PID" > /tmp/enforcerd.pid
	_i=0
	while [ $_i -lt "$((${ENFORCERD_START_WAIT:-300} * 10))" ]; do
		grep -q 'enforcement live' /tmp/enforcerd.err 2>/dev/null && break
		kill -0 "$ENFORCERD_PID" 2>/dev/null || break
		sleep 0.1
		_i=$((_i + 1))
	done
	if grep -q 'enforcement live' /tmp/enforcerd.err 2>/dev/null; then
		pass "enforcerd live with $_dir"
		[ -z "$_adopt" ] || like "$(cat /tmp/enforcerd.err)" 'kept the pinned programs' \
			"enforcerd kept the programs the script before left (nothing verified again)"
		return 0
	fi
	if kill -0 "$ENFORCERD_PID" 2>/dev/null; then
		fail "enforcerd live with $_dir (no 'enforcement live' within ${ENFORCERD_START_WAIT:-300} s)"
	else
		wait "$ENFORCERD_PID"
		fail "enforcerd live with $_dir (exited with status $?)"
	fi
	diag "enforcerd stderr:"
	diag "$(cat /tmp/enforcerd.err 2>/dev/null)"
	return 1
}

stop_enforcerd() {
	_pid=${ENFORCERD_PID:-$(cat /tmp/enforcerd.pid 2>/dev/null)}
	if [ -z "$_pid" ] || ! kill -0 "$_pid" 2>/dev/null; then
		fail "enforcerd still running at stop"
		diag "$(cat /tmp/enforcerd.err 2>/dev/null)"
		rm -f /tmp/enforcerd.pid
		return 1
	fi
	kill -TERM "$_pid"
	_i=0
	while kill -0 "$_pid" 2>/dev/null && [ $_i -lt 100 ]; do
		# a zombie child still answers kill -0: check its state
		grep -q '^State:.*Z' "/proc/$_pid/status" 2>/dev/null && break
		sleep 0.1
		_i=$((_i + 1))
	done
	if [ $_i -ge 100 ]; then
		kill -KILL "$_pid" 2>/dev/null
		wait "$_pid" 2>/dev/null
		fail "enforcerd exits on SIGTERM (still running after 10 s)"
		diag "$(cat /tmp/enforcerd.err 2>/dev/null)"
	else
		wait "$_pid"
		_rc=$?
		is "$_rc" 0 "enforcerd exits 0 on SIGTERM" ||
			diag "$(cat /tmp/enforcerd.err 2>/dev/null)"
	fi
	rm -f /tmp/enforcerd.pid
	ENFORCERD_PID=
	# enforcement is pinned and outlives the daemon: remove it (KEEP_PINNED=1 keeps
	# it; ADOPT_PINS=1 leaves it for the next script)
	if [ "${ADOPT_PINS:-}" = 1 ] && [ "${KEEP_PINNED:-}" != 1 ]; then
		: > /tmp/.pins_left
	elif [ "${KEEP_PINNED:-}" != 1 ]; then
		"$ENFORCERD" --unload >/dev/null 2>&1
	fi
}

kill_enforcerd() {
	[ -n "${ENFORCERD_PID:-}" ] && kill -KILL "$ENFORCERD_PID" 2>/dev/null &&
		wait "$ENFORCERD_PID" 2>/dev/null
	rm -f /tmp/enforcerd.pid
	ENFORCERD_PID=
}

unload_enforcer() {
	kill_enforcerd
	"$ENFORCERD" --unload >/dev/null 2>&1
	rm -f /tmp/.pins_left
}

wait_audit() {
	_i=0
	_max=$(( ${2:-5} * 10 ))
	while [ $_i -lt $_max ]; do
		grep -qE -- "$1" "$AUDIT_LOG" 2>/dev/null && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	return 1
}

# write_policy DIR NAME: the policy text on stdin goes to DIR/NAME.ini.
write_policy() {
	mkdir -p "$1"
	cat > "$1/$2.ini"
}

# ---- the connect cache's counters (17-, 18-connect-cache) ----
# st KEY: one field of `enforcerctl --json stats`
st() { enforcerctl --json stats | jsonget "$1"; }
# mark: the connect cache's counters before a step (F0 fills, H0 hits);
# delta: "fills hits" since the mark
mark() { F0=$(st connect_cache_fills); H0=$(st connect_cache_hits); }
delta() { echo "$(($(st connect_cache_fills) - F0)) $(($(st connect_cache_hits) - H0))"; }
# cs CG tcp|udp ADDR PORT...: one process in CG connects to each in turn
cs() { _cg=$1; shift; in_cg "$_cg" netprobe connect-seq "$@"; }
# pstat POLICY: "checks denials audits" of its connect hook
pstat() {
	enforcerctl --json stats | grep -o "\"name\":\"$1\",[^]]*" |
		grep -o '"connect":{"checks":[0-9]*,"denials":[0-9]*,"audits":[0-9]*' |
		sed 's/[^0-9,]//g; s/,/ /g; s/^ *//'
}
# sub "a b c" "d e f": the difference, field by field
sub() { echo "$1 $2" | awk '{ print $4 - $1, $5 - $2, $6 - $3 }'; }
# denied_line POLICY ADDR PORT DESC: the judge's audit line of a denied connect came
denied_line() {
	wait_audit "\"hook\":\"connect\",\"op\":\"connect\",\"policy\":\"$1\".*\"addr\":\"$2\",\"port\":$3," 5
	like "$(grep "\"policy\":\"$1\"" $AUDIT_LOG | grep "\"addr\":\"$2\",\"port\":$3," | tail -n 1)" \
		'"action":"deny"' "$4: the audit line (policy $1, $2 port $3, deny)"
}

# ---- a rename racing with a verdict cache (19-exec-cache, 87-verdict-cache) ----
# rename_race CG KIND NAME PROBE RATIO MIN: a hammer in CG runs KIND (open or
# exec) of $V/rok/NAME and $V/rdeny/NAME in a loop while the test swaps the
# two directories (10 rounds of 20 renames), and after each round PROBE CG
# $V/rdeny/NAME (gopen, gexec) must be EPERM.  A path is resolved before the
# LSM hook runs: a rename between the two lets the hook judge the other name,
# cached or not, so rdeny/NAME may run or be read at most once in RATIO of the
# hammer's resolved attempts (at least MIN of them); a stale cached allow
# would pass every time.
rename_race() {
	rr_cg=$1 rr_k=$2 rr_n=$3 rr_probe=$4 rr_ratio=$5 rr_min=$6
	rm -f /tmp/stop.race
	in_cg "$rr_cg" hammer /tmp/stop.race "$rr_k:$V/rok/$rr_n:any" "$rr_k:$V/rdeny/$rr_n:any" > /tmp/hammer.race 2>&1 &
	rr_hp=$!
	rr_bad=
	for rr_round in 1 2 3 4 5 6 7 8 9 10; do
		for rr_i in 1 2 3 4 5 6 7 8 9 10; do
			mv $V/rok $V/rdeny
			mv $V/rdeny $V/rok
		done
		mv $V/rok $V/rdeny
		rr_r=$($rr_probe "$rr_cg" $V/rdeny/$rr_n)
		[ "$rr_r" = EPERM ] || rr_bad="$rr_bad round$rr_round=$rr_r"
		mv $V/rdeny $V/rok
	done
	: > /tmp/stop.race
	wait $rr_hp
	is "$rr_bad" "" "race: after 10 rounds of 20 renames racing with ${rr_k}s, rdeny/$rr_n is denied every time"
	diag "hammer: $(tr '\n' ' ' < /tmp/hammer.race)"
	like "$(cat /tmp/hammer.race)" "$rr_k:$V/rok/$rr_n:any ok=[1-9]" "race: the hammer's $rr_k of rok/$rr_n passed meanwhile"
	rr_dok=$(sed -n "s|^$rr_k:$V/rdeny/$rr_n:any ok=\([0-9]*\) eperm=\([0-9]*\) .*|\1|p" /tmp/hammer.race)
	rr_dall=$(sed -n "s|^$rr_k:$V/rdeny/$rr_n:any ok=\([0-9]*\) eperm=\([0-9]*\) .*|\1 + \2|p" /tmp/hammer.race)
	rr_ok() { [ -n "$rr_dok" ] && [ $((rr_dok * rr_ratio)) -le $(($rr_dall)) ] && [ $(($rr_dall)) -ge "$rr_min" ]; }
	ok "race: rdeny/$rr_n passed at most in the lookup-to-hook window: $rr_dok of $(($rr_dall)) (at most 1 in $rr_ratio)" rr_ok
}
