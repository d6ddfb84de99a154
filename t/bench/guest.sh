#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# guest.sh - /init of the benchmark VM (t/bench/run-bench.sh builds it):
# mounts the kernel file systems, then measures every workload under every
# configuration (C0 nothing, C1 empty BPF programs, C2..C4 enforcerd, P1
# AppArmor, P2 Landlock), interleaved round by round after a warm-up round,
# then the rule-count and policy-count sweeps, the pattern points (issue
# 19), the reload latency, the deny storm and a bpf_stats profile (per
# program, and per operation of each workload for C1, C2, C3); with the
# matrix, the first open of each of N files after a reload (cold).  Every
# result is one JSON line behind the "@@B@@ " marker on the console;
# "@@BENCHDONE@@" ends it.
#
# Sizes come from the kernel command line (after "--"): ROUNDS N_OPEN
# N_EXEC N_CONNECT STORM_SECS RELOADS MAXRULES.
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
export HOME=/root

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t securityfs securityfs /sys/kernel/security
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
mkdir -p /sys/fs/bpf /sys/fs/cgroup
mount -t bpf bpf /sys/fs/bpf
mount -t cgroup2 cgroup2 /sys/fs/cgroup
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
echo 1 > /proc/sys/kernel/printk
ip link set lo up

ROUNDS=${1:-5}
N_OPEN=${2:-2000}
N_EXEC=${3:-200}
N_CONNECT=${4:-300}
STORM_SECS=${5:-10}
RELOADS=${6:-50}
MAXRULES=${7:-100000}
PORT=7777
BPORT=7778
CG=/sys/fs/cgroup
P=/tmp/pol
S=/run/enforcer/enforcer.sock
EPID=

emit() {
	printf '@@B@@ %s\n' "$1"
}
phase() {
	printf '@@B@@ {"phase":"%s","uptime":%s}\n' "$1" "$(cut -d' ' -f1 /proc/uptime)"
}
note() {
	printf '@@B@@ {"note":"%s"}\n' "$(printf '%s' "$*" | tr '"\\\n' "''  ")"
}

# ---- fixtures: files at depth 1 and 8 (cached: the rootfs is in RAM) ----
echo data > /f1
mkdir -p /d2/d3/d4/d5/d6/d7/d8 /pt
echo data > /d2/d3/d4/d5/d6/d7/d8/f8
# the cold path: N_OPEN files at depth 8, each opened once per sample
_i=0
while [ $_i -lt "$N_OPEN" ]; do
	: > /d2/d3/d4/d5/d6/d7/d8/c$_i
	_i=$((_i + 1))
done
mkdir -p $CG/bench $CG/other $P /run/enforcer

# run_in_bench CMD...: CMD inside the bench cgroup.
run_in_bench() {
	sh -c 'echo $$ > /sys/fs/cgroup/bench/cgroup.procs || exit 125; exec "$@"' sh "$@"
}

# workload WL [WRAPPER...]: one sample of WL, printed as "NS EPERMS".
workload() {
	_wl=$1
	shift
	case $_wl in
	open1) run_in_bench "$@" open /f1 "$N_OPEN" ;;
	open8) run_in_bench "$@" open /d2/d3/d4/d5/d6/d7/d8/f8 "$N_OPEN" ;;
	exec) run_in_bench "$@" exec /bin/noop "$N_EXEC" ;;
	connect) run_in_bench "$@" connect "$PORT" "$N_CONNECT" ;;
	bind) run_in_bench "$@" bind "$BPORT" "$N_CONNECT" ;;
	esac
}

nprogs() {
	bpfstats -n
}

# ---- enforcerd ----
daemon_start() {     # daemon_start [ENFORCERD OPTIONS...]
	rm -f /tmp/audit.log /tmp/enforcerd.err
	enforcerd --no-pin --policy-dir $P --socket $S --audit-log /tmp/audit.log "$@" \
		</dev/null >/dev/null 2>/tmp/enforcerd.err &
	EPID=$!
	_i=0
	while [ $_i -lt 1200 ]; do
		grep -q 'enforcement live' /tmp/enforcerd.err 2>/dev/null && return 0
		kill -0 $EPID 2>/dev/null || break
		sleep 0.1
		_i=$((_i + 1))
	done
	note "enforcerd did not start: $(tail -3 /tmp/enforcerd.err)"
	return 1
}
daemon_stop() {
	[ -n "$EPID" ] || return 0
	kill -TERM $EPID 2>/dev/null
	wait $EPID 2>/dev/null
	EPID=
}
# use_policies NAME...: the policy dir holds exactly /tmp/sets/NAME*.ini; reload.
use_policies() {
	rm -f $P/*.ini
	for _n in "$@"; do
		cp /tmp/sets/$_n*.ini $P/ 2>/dev/null
	done
	enforcerctl --socket $S reload >/tmp/reload.out 2>&1 && return 0
	note "reload with $* failed: $(head -c 300 /tmp/reload.out)"
	return 1
}

mkdir -p /tmp/sets
cat > /tmp/sets/c2.ini <<INI
[policy]
name = c2
cgroup = /other
[exec]
deny = /usr/bin/denyme
[file]
deny = /nonexistent/secret
[connect]
deny = 10.9.9.9
INI
cat > /tmp/sets/c3.ini <<INI
[policy]
name = c3
cgroup = /bench
[exec]
default = allow
deny = /usr/bin/denyme
[file]
default = allow
deny = /nonexistent/secret
[connect]
default = allow
deny = 10.9.9.9
INI
cat > /tmp/sets/c4.ini <<INI
[policy]
name = c4
cgroup = /bench
[exec]
deny = /bin/noop
[file]
deny = /f1
deny = /d2/d3/d4/d5/d6/d7/d8/f8
[connect]
deny = 127.0.0.1 port $PORT
INI
# per-binary network rules (issue 18): N3 the same rules by address only,
# NX by address and program (exe: the benchmark binary)
for x in n3 nx; do
	e=
	[ $x = nx ] && e=" exe /bin/bench"
	cat > /tmp/sets/$x.ini <<INI
[policy]
name = $x
cgroup = /bench
[connect]
default = deny
allow = 127.0.0.1 port $PORT tcp$e
[bind]
default = deny
allow = 127.0.0.1 port $PORT-$BPORT tcp$e
INI
done

# ---- AppArmor (P1) ----
HAVE_AA=0
if [ -x /sbin/apparmor_parser ] && grep -q apparmor /sys/kernel/security/lsm; then
	HAVE_AA=1
fi
aa_load() {
	apparmor_parser -r -K /t/bench.aa >/tmp/aa.out 2>&1 && return 0
	note "apparmor_parser -r failed: $(head -c 300 /tmp/aa.out)"
	return 1
}
aa_unload() {
	apparmor_parser -R -K /t/bench.aa >/dev/null 2>&1
}

# ---- configurations ----
# cfg_up CFG: set CFG up; cfg_down CFG: tear it down, back to nothing attached.
FPID=
cfg_up() {
	case $1 in
	C0) ;;
	C1)
		floor 2>/tmp/floor.err &
		FPID=$!
		_i=0
		while ! grep -q 'floor attached' /tmp/floor.err 2>/dev/null; do
			kill -0 $FPID 2>/dev/null || { note "floor failed: $(cat /tmp/floor.err)"; return 1; }
			sleep 0.1
			_i=$((_i + 1))
		done
		;;
	C2) use_policies c2 ;;
	C3) use_policies c3 ;;
	C4) use_policies c4 ;;
	P1) [ $HAVE_AA = 1 ] && aa_load ;;
	P2) ;;
	esac
}
# wait_drain: until enforcerd has written every audit line of a denying
# sample (it consumes a bounded batch per wake-up), so that its backlog
# does not spill into the next configuration's samples.
wait_drain() {
	_prev=-1
	_i=0
	while [ $_i -lt 30 ]; do
		_cur=$(wc -l < /tmp/audit.log 2>/dev/null)
		[ "$_cur" = "$_prev" ] && return 0
		_prev=$_cur
		sleep 1.5
		_i=$((_i + 1))
	done
}
cfg_down() {
	case $1 in
	C4) wait_drain ;;
	C1) kill -TERM $FPID; wait $FPID; FPID=; check_clean C1 ;;
	P1) [ $HAVE_AA = 1 ] && aa_unload ;;
	esac
}
# The command a sample runs under CFG.
runner() {
	case $1 in
	P1) echo /usr/bin/bench-aa ;;
	P2) echo "landlock -p $PORT -- bench" ;;
	*) echo bench ;;
	esac
}
check_clean() {
	for _t in 1 2 3 4 5 6 7 8 9 10; do   # programs are freed after an RCU grace period
		_n=$(nprogs)
		_p=$(ls /sys/fs/bpf | wc -l)
		[ "$_n" = 0 ] && [ "$_p" = 0 ] && return 0
		sleep 0.2
	done
	note "round $1: $_n BPF programs loaded, $_p entries in /sys/fs/bpf after teardown"
	return 1
}

emit "{\"meta\":\"kernel\",\"value\":\"$(uname -r)\"}"
emit "{\"meta\":\"lsm\",\"value\":\"$(cat /sys/kernel/security/lsm)\"}"
emit "{\"meta\":\"sizes\",\"rounds\":$ROUNDS,\"n_open\":$N_OPEN,\"n_exec\":$N_EXEC,\"n_connect\":$N_CONNECT,\"reloads\":$RELOADS}"
emit "{\"meta\":\"apparmor\",\"value\":$HAVE_AA}"


phase main
# ---- main matrix ----
# Loading enforcerd's programs costs ~10 s of guest time under TCG, so the
# daemon starts once per block, not once per round: two blocks, each runs
# its rounds of the daemon-less configurations interleaved (C0 C1 P2 P1
# C0 C1 ...), then starts enforcerd and runs its rounds of C2 C3 C4
# interleaved (switched by reloads), then stops it and checks that nothing
# is left attached.  The first round of each block is a warm-up (flagged).
# pchecks POLICY HOOK: the policy's check counter for HOOK (enforcerctl stats)
pchecks() {
	enforcerctl --socket $S --json stats 2>/dev/null | tr -d '\n' |
		sed -n "s/.*\"name\":\"$1\",[^]]*\"$2\":{\"checks\":\([0-9]*\).*/\1/p"
}
# C3 and C4 samples also carry "checks": how many checks the configuration's
# policy counted during the sample (report.sh: proof that C3 ran governed).
sample() {   # sample CFG ROUND WARMUP
	# the cold path first, right after cfg_up (for C3 an enforcerctl reload,
	# for P1 apparmor_parser -r): the first open of each of N_OPEN files at
	# depth 8 (C4 denies other paths: not measured there)
	if [ "$1" != C4 ]; then
		[ "$1" = C3 ] && ck0=$(pchecks c3 file)
		if out=$(run_in_bench $(runner $1) openeach /d2/d3/d4/d5/d6/d7/d8/c "$N_OPEN" 2>/tmp/wl.err); then
			ck=
			if [ "$1" = C3 ]; then
				ck1=$(pchecks c3 file)
				case "$ck0.$ck1" in
				[0-9]*.[0-9]*) ck=",\"checks\":$((ck1 - ck0))" ;;
				*) ck=",\"checks\":\"unreadable\"" ;;
				esac
			fi
			set -- "$1" "$2" "$3" $out
			emit "{\"cold\":\"$1\",\"round\":$2,\"warmup\":$3,\"ns\":$4,\"eperm\":$5$ck}"
			set -- "$1" "$2" "$3"
		else
			note "$1 cold open failed: $(head -c 200 /tmp/wl.err)"
		fi
	fi
	for wl in open1 open8 exec connect; do
		case $wl in open*) hk=file ;; *) hk=$wl ;; esac
		pol=
		case $1 in C3) pol=c3 ;; C4) pol=c4 ;; esac
		[ -z "$pol" ] || ck0=$(pchecks $pol $hk)
		out=$(workload $wl $(runner $1) 2>/tmp/wl.err) ||
			{ note "$1 $wl failed: $(head -c 200 /tmp/wl.err)"; continue; }
		ck=
		if [ -n "$pol" ]; then
			ck1=$(pchecks $pol $hk)
			case "$ck0.$ck1" in
			[0-9]*.[0-9]*) ck=",\"checks\":$((ck1 - ck0))" ;;
			*) ck=",\"checks\":\"unreadable\"" ;;   # report.sh: not shown governed
			esac
		fi
		set -- "$1" "$2" "$3" $out
		# exec and connect: also the median iteration (report.sh: the paired floor)
		[ -n "${6:-}" ] && ck="$ck,\"p50\":$6"
		emit "{\"cfg\":\"$1\",\"wl\":\"$wl\",\"round\":$2,\"warmup\":$3,\"ns\":$4,\"eperm\":$5$ck}"
		set -- "$1" "$2" "$3"
	done
}
NODAEMON="C0 C1 P2"
[ $HAVE_AA = 1 ] && NODAEMON="$NODAEMON P1"
[ $HAVE_AA = 1 ] || note "P1 skipped: apparmor_parser missing or apparmor not in the lsm list"
half=$(( (ROUNDS + 1) / 2 ))
r0=0
for blk in 1 2; do
	n=$half
	[ $blk = 2 ] && n=$((ROUNDS - half))
	[ $n -gt 0 ] || continue
	for group in nodaemon daemon; do
		if [ $group = daemon ]; then
			cp /tmp/sets/c2.ini $P/ && daemon_start || break
			cfgs="C2 C3 C4"
		else
			cfgs=$NODAEMON
		fi
		r=$r0
		while [ $r -le $((r0 + n)) ]; do
			w=false
			[ $r = $r0 ] && w=true
			for c in $cfgs; do
				cfg_up $c || { cfg_down $c; continue; }
				sample $c $r $w
				cfg_down $c
			done
			r=$((r + 1))
		done
		# the last block's daemon goes on into the sweeps (one load less)
		[ $group = daemon ] && [ $blk = 2 ] && break
		[ $group = daemon ] && daemon_stop
		rm -f $P/*.ini
		check_clean "block $blk $group"
	done
	r0=$((r0 + n + 1))
done

phase net-exe
# ---- per-binary connect and bind rules (issue 18), enforcerd running ----
# N2: the benchmark cgroup ungoverned (policy c2 elsewhere); N3: governed,
# connect and bind allowed by address rules; NX: the same rules with
# `exe /bin/bench`.  Interleaved round by round, the first a warm-up.
# Each N3/NX sample carries the policy's check count (proof it ran governed).
if [ -z "$EPID" ]; then
	cp /tmp/sets/c2.ini $P/
	daemon_start
fi
r=0
while [ -n "$EPID" ] && [ $r -le "$ROUNDS" ]; do
	for c in N2 N3 NX; do
		case $c in N2) pol= ; set_ok=c2 ;; N3) pol=n3 ; set_ok=n3 ;; NX) pol=nx ; set_ok=nx ;; esac
		use_policies $set_ok || continue
		for wl in connect bind; do
			[ -z "$pol" ] || ck0=$(pchecks $pol $wl)
			out=$(workload $wl bench 2>/tmp/wl.err) ||
				{ note "$c $wl failed: $(head -c 200 /tmp/wl.err)"; continue; }
			ck=
			if [ -n "$pol" ]; then
				ck1=$(pchecks $pol $wl)
				case "$ck0.$ck1" in
				[0-9]*.[0-9]*) ck=",\"checks\":$((ck1 - ck0))" ;;
				*) ck=",\"checks\":\"unreadable\"" ;;
				esac
			fi
			set -- $out
			emit "{\"netexe\":\"$c\",\"wl\":\"$wl\",\"round\":$r,\"warmup\":$([ $r = 0 ] && echo true || echo false),\"ns\":$1,\"eperm\":$2$ck}"
		done
	done
	r=$((r + 1))
done

phase rule-count
# ---- rule-count sweep: the open workload with K rules in force ----
# Rules are file deny rules on paths that do not exist.  The bench cgroup's
# policy holds min(K, 25000); the rest are in policies bound to /other.
mkrules() {   # mkrules FILE NAME CGROUP COUNT START
	awk -v name="$2" -v cg="$3" -v n="$4" -v s="$5" 'BEGIN {
		print "[policy]\nname = " name "\ncgroup = " cg "\n[file]\ndefault = allow";
		for (i = s; i < s + n; i++) printf "deny = /nx/%d\n", i }' > "$1"
}
sweep_sets() {   # sweep_sets K: /tmp/sets/kA* (bench) and kB* (other only)
	rm -f /tmp/sets/kA* /tmp/sets/kB*
	_b=$1
	[ "$_b" -gt 25000 ] && _b=25000
	mkrules /tmp/sets/kA0.ini kbench /bench "$_b" 0
	_s=$_b
	_i=1
	while [ $_s -lt "$1" ]; do
		_c=$(($1 - _s))
		[ $_c -gt 25000 ] && _c=25000
		mkrules /tmp/sets/kA$_i.ini kother$_i /other "$_c" "$_s"
		_s=$((_s + _c))
		_i=$((_i + 1))
	done
	# series B: the same rules, all bound to /other; bench under c3
	for f in /tmp/sets/kA*.ini; do
		sed 's|^cgroup = /bench$|cgroup = /other|; s|^name = kbench$|name = kbenchother|' "$f" \
			> "/tmp/sets/kB${f#/tmp/sets/kA}"
	done
}
if [ -n "$EPID" ]; then
	use_policies c2
else
	cp /tmp/sets/c2.ini $P/
	daemon_start
fi
for k in 1 10 100 1000 10000 30000 100000; do
	[ "$k" -le "$MAXRULES" ] || continue
	sweep_sets $k
	for series in A B; do
		# B at 100,000 would add ~7 s of guest time (minutes under TCG)
		[ $series = B ] && [ "$k" -ge 100000 ] && continue
		if [ $series = A ]; then use_policies kA || continue; else use_policies kB c3 || continue; fi
		s=0
		while [ $s -le 3 ]; do
			out=$(workload open1 bench 2>/tmp/wl.err) || { note "rules $k: $(cat /tmp/wl.err)"; break; }
			set -- $out
			emit "{\"sweep\":\"rules\",\"series\":\"$series\",\"k\":$k,\"sample\":$s,\"warmup\":$([ $s = 0 ] && echo true || echo false),\"ns\":$1,\"eperm\":$2}"
			s=$((s + 1))
		done
	done
done

phase policy-count
# ---- policy-count sweep: bench under c3, M policies bound to other cgroups ----
for m in 1 100 1000; do
	rm -f /tmp/sets/pm*
	i=0
	while [ $i -lt $m ]; do
		mkdir -p $CG/p/$i
		printf '[policy]\nname = pm%d\ncgroup = /p/%d\n[file]\ndeny = /nx/p%d\n' $i $i $i > /tmp/sets/pm$i.ini
		i=$((i + 1))
	done
	use_policies pm c3 || continue
	s=0
	while [ $s -le 3 ]; do
		out=$(workload open1 bench 2>/tmp/wl.err) || { note "policies $m: $(cat /tmp/wl.err)"; break; }
		set -- $out
		emit "{\"sweep\":\"policies\",\"m\":$m,\"sample\":$s,\"warmup\":$([ $s = 0 ] && echo true || echo false),\"ns\":$1,\"eperm\":$2}"
		s=$((s + 1))
	done
done
rm -f /tmp/sets/pm*

phase patterns
# ---- patterns (issue 19): an allowed open of /pt/f, below the literal
# directory /pt/ of the policy's patterns (`deny = /pt/*.noI`, none of
# which matches), with 0, 1 and 16 patterns and 10 or 10,000 literal rules
# in the same policy: the patterns' cost should stay flat in rule count.
# Each sample carries the policy's check count (proof it ran governed).
echo data > /pt/f
for nr in 10 10000; do
	for np in 0 1 16; do
		awk -v nr=$nr -v np=$np 'BEGIN {
			print "[policy]\nname = pt\ncgroup = /bench\n[file]\ndefault = allow";
			for (i = 0; i < np; i++) printf "deny = /pt/*.no%d\n", i
			for (i = 0; i < nr; i++) printf "deny = /nx/%d\n", i }' > /tmp/sets/pt.ini
		use_policies pt || continue
		s=0
		while [ $s -le 3 ]; do
			ck0=$(pchecks pt file)
			out=$(run_in_bench bench open /pt/f "$N_OPEN" 2>/tmp/wl.err) ||
				{ note "patterns $np rules $nr: $(head -c 200 /tmp/wl.err)"; break; }
			ck1=$(pchecks pt file)
			case "$ck0.$ck1" in
			[0-9]*.[0-9]*) ck=$((ck1 - ck0)) ;;
			*) ck='"unreadable"' ;;
			esac
			set -- $out
			emit "{\"sweep\":\"patterns\",\"rules\":$nr,\"patterns\":$np,\"sample\":$s,\"warmup\":$([ $s = 0 ] && echo true || echo false),\"ns\":$1,\"eperm\":$2,\"checks\":$ck}"
			s=$((s + 1))
		done
	done
done
rm -f /tmp/sets/pt.ini

phase reload
# ---- reload latency: a 10,000-rule policy set, RELOADS reloads ----
rm -f $P/*.ini
mkrules $P/r10k.ini r10k /other 10000 0
cp /tmp/sets/c3.ini $P/
enforcerctl --socket $S reload >/dev/null 2>&1
us=$(bench time "$RELOADS" enforcerctl --socket $S reload) || note "a reload failed"
emit "{\"reload\":\"10000\",\"us\":[$(echo $us | tr ' ' ',')]}"
# every rule changed: each timed reload brings a set of 10,000 rules that
# neither half of the maps has held (/nx/10000.., /nx/20000.., ...: new to
# the active half and to the inactive one, which holds the set before), the
# file replaced by rename before each timed reload
us=
i=0
while [ $i -lt "$RELOADS" ]; do
	mkrules $P/.r10k.new r10k /other 10000 $(((i + 1) * 10000))
	mv $P/.r10k.new $P/r10k.ini
	u=$(bench time 1 enforcerctl --socket $S reload) || { note "a changed reload failed"; u=failed; }
	us="$us $u"
	i=$((i + 1))
done
emit "{\"reload\":\"10000-changed\",\"us\":[$(echo $us | tr ' ' ',')]}"
# a rollback: two sets of 10,000 different rules in turn (A B A B ...):
# each reload brings the set the inactive half held before the last one
mkrules /tmp/sets/r10k.A r10k /other 10000 0
mkrules /tmp/sets/r10k.B r10k /other 10000 $(((RELOADS + 1) * 10000))
us=
i=0
while [ $i -lt "$RELOADS" ]; do
	[ $((i % 2)) = 0 ] && _s=A || _s=B
	cp /tmp/sets/r10k.$_s $P/.r10k.new && mv $P/.r10k.new $P/r10k.ini
	u=$(bench time 1 enforcerctl --socket $S reload) || { note "an alternating reload failed"; u=failed; }
	us="$us $u"
	i=$((i + 1))
done
emit "{\"reload\":\"10000-alternate\",\"us\":[$(echo $us | tr ' ' ',')]}"
rm -f /tmp/sets/r10k.A /tmp/sets/r10k.B

phase deny
# ---- deny storm: denied opens for STORM_SECS s, audit lines flowing ----
# enforcerd with deny-storm suppression (issue 16): at most STORM_BURST
# lines per key and STORM_WINDOW_MS, the repeats counted as "suppressed";
# restarted without it for the profile below
STORM_WINDOW_MS=1000
STORM_BURST=5
daemon_stop
daemon_start --storm-window $STORM_WINDOW_MS --storm-burst $STORM_BURST || note "storm: enforcerd did not start"
use_policies c4
: > /tmp/audit.log
cpu0=$(awk '{ print $14 + $15 }' /proc/$EPID/stat)
set -- $(run_in_bench bench storm /f1 "$STORM_SECS")
cnt=$1 eperm=$2 ns=$3
cpu1=$(awk '{ print $14 + $15 }' /proc/$EPID/stat)
prev=-1
i=0
while [ $i -lt 30 ]; do      # let the daemon drain (its tick is 1 s)
	cur=$(wc -l < /tmp/audit.log)
	[ "$cur" = "$prev" ] && break
	prev=$cur
	sleep 2
	i=$((i + 1))
done
cpu2=$(awk '{ print $14 + $15 }' /proc/$EPID/stat)
drops=$(enforcerctl --socket $S --json stats | jsonget ringbuf_drops)
daemon_stop          # writes what is still pending as summary lines
lines=$(grep '"hook":' /tmp/audit.log | grep -vc '"summary":true')
summaries=$(grep -c '"summary":true' /tmp/audit.log)
suppressed=$(jsonget suppressed < /tmp/audit.log | grep -v missing | awk '{ s += $1 } END { print s + 0 }')
lost=$(jsonget lost < /tmp/audit.log | grep -v missing | awk '{ s += $1 } END { print s + 0 }')
emit "{\"storm\":true,\"secs\":$STORM_SECS,\"ns\":$ns,\"denials\":$cnt,\"eperm\":$eperm,\"lines\":$lines,\"lost\":$lost,\"ringbuf_drops\":\"$drops\",\"summaries\":$summaries,\"suppressed\":$suppressed,\"window_ms\":$STORM_WINDOW_MS,\"burst\":$STORM_BURST,\"daemon_ticks_during\":$((cpu1 - cpu0)),\"daemon_ticks_total\":$((cpu2 - cpu0)),\"clk_tck\":$(getconf CLK_TCK 2>/dev/null || echo 100)}"
daemon_start || note "enforcerd did not restart after the storm"

phase profile
# ---- profile: bpf_stats run time per program, C3 and C1 ----
# what the verifier processed for each of enforcerd's programs, once
bpfstats -i | while IFS= read -r l; do emit "$l"; done
use_policies c3
echo 1 > /proc/sys/kernel/bpf_stats_enabled
for wl in open1 open8 exec connect; do workload $wl bench >/dev/null; done
bpfstats C3 | while IFS= read -r l; do emit "$l"; done
echo 0 > /proc/sys/kernel/bpf_stats_enabled
# the same with every action denied: the difference per run is the record
use_policies c4
echo 1 > /proc/sys/kernel/bpf_stats_enabled
for wl in open1 open8 exec connect; do workload $wl bench >/dev/null; done
bpfstats C4 | while IFS= read -r l; do emit "$l"; done
# per-operation windows (report.sh: the floor multiples "by the profile"):
# for each workload, the sums over every loaded program before, after a
# run of N iterations and after one of 2N; the difference of the two runs
# over N + N/8 more iterations is the programs' time per operation, the
# wrapper (sh, the exec of bench, the listener) and bpfstats cancelled
pwin() {   # pwin CFG
	for wl in open1 open8 exec connect; do
		# a warm-up run first, outside the windows: the first run after a
		# reload pays one-time work (the verdict caches' fills, cg_cache,
		# the ungoverned filter) in its N run only, which the 2N-less-N
		# difference would take off the per-operation cost (session 18:
		# open depth 1 read 57 below depth 8, whose 2N runs were equal)
		workload $wl bench >/dev/null
		emit "$(bpfstats -s "$1:$wl:0")"
		workload $wl bench >/dev/null
		emit "$(bpfstats -s "$1:$wl:1")"
		(N_OPEN=$((N_OPEN * 2)) N_EXEC=$((N_EXEC * 2)) N_CONNECT=$((N_CONNECT * 2))
		 workload $wl bench >/dev/null)
		emit "$(bpfstats -s "$1:$wl:2")"
	done
}
wait_drain
use_policies c2 && pwin C2
use_policies c3 && pwin C3
echo 0 > /proc/sys/kernel/bpf_stats_enabled
daemon_stop
cfg_up C1
echo 1 > /proc/sys/kernel/bpf_stats_enabled
for wl in open1 open8 exec connect; do workload $wl bench >/dev/null; done
bpfstats C1 | while IFS= read -r l; do emit "$l"; done
pwin C1
echo 0 > /proc/sys/kernel/bpf_stats_enabled
cfg_down C1
rm -f $P/*.ini
check_clean end && emit '{"meta":"clean","value":true}'
emit "{\"meta\":\"workload_sizes\",\"open\":$N_OPEN,\"exec\":$N_EXEC,\"connect\":$N_CONNECT}"

echo "@@BENCHDONE@@"
sync
poweroff -f
