# SPDX-License-Identifier: GPL-2.0-only
# 22-audit-stream.sh - the audit stream (issue 4): every line valid JSON
# whatever the bytes of the path (quotes, backslashes, newlines, control
# bytes, invalid UTF-8: path_hex), long paths marked path_truncated, exec
# lines carry argv and exe (named by the kernel: after the process exited,
# across mounts, deleted, deep, a memfd, a chroot, a mount or user namespace); `audit --follow` with filters gets only matching
# lines, `audit` the backlog; `reopen` and SIGUSR1 after the log was moved
# lose nothing; stats and stats --prometheus count what was provoked.

# the pins the script before this one left are adopted (t/vm/lib.sh): its
# programs are this build's, its checks need no fresh load (the
# ring-buffer drops the one before caused are a baseline)
ADOPT_PINS=1

P=/tmp/pol22
D=/data/t22
W=$D/weird
CG=t22/gov
L=$AUDIT_LOG
mkdir -p $W
echo data > $D/other
cg_make $CG
cg_make t22/other
write_policy $P t22 <<INI
[policy]
cgroup = /$CG
[exec]
deny = /usr/bin/denyme
[file]
deny = $W/
[capabilities]
allow = CAP_SYS_CHROOT, CAP_SYS_ADMIN   ; the exe disguises below: chroot, a mount namespace
INI
write_policy $P t22b <<INI
[policy]
cgroup = /t22/other
[file]
deny = $D/other
INI
start_enforcerd $P
# the adopted counters keep what earlier scripts caused (21's flood)
drops0=$(enforcerctl --json stats | jsonget ringbuf_drops)

nfile=0     # file denials provoked for policy t22
nexec=0
deny_open() {
	_r=$(in_cg $CG probe open "$1" r)
	nfile=$((nfile + 1))
	[ "$_r" = EPERM ] && return 0
	diag "open of $(printf '%s' "$1" | od -c | head -3): $_r"
	return 1
}
hexof() {
	printf '%s' "$1" | od -An -tx1 -v | tr -d ' \n'
}

# ---- escaping ----
set -- 'q"uote' 'back\slash' "$(printf 'new\nline')" "$(printf 'ctl\001x')" \
	"$(printf 'esc\033[31mred')" "$(printf 'tab\tcr\rdel\177')" 'utf8-ok-é-€' \
	"$(printf 'bad\377utf')" "$(printf 'trunc\342\202')"
for name in "$@"; do
	f="$W/$name"
	echo data > "$f" || diag "cannot create $name"
	ok "escaping: open of '$name' denied (EPERM)" deny_open "$f"
done
wait_audit 'trunc' 5
ok "escaping: every audit line is valid JSON" jsonget < $L
for name in 'q"uote' 'back\slash' "$(printf 'new\nline')" "$(printf 'ctl\001x')" \
	"$(printf 'esc\033[31mred')" "$(printf 'tab\tcr\rdel\177')" 'utf8-ok-é-€'; do
	is "$(jsonget -m hook=file -m "path=$W/$name" access < $L)" read \
		"escaping: path '$name' round-trips through JSON"
done
for name in "$(printf 'bad\377utf')" "$(printf 'trunc\342\202')"; do
	is "$(jsonget -m hook=file -m "path_hex=$(hexof "$W/$name")" access < $L)" read \
		"escaping: invalid UTF-8 path: path_hex has its exact bytes"
done
like "$(grep 'bad' $L)" '"path":"/data/t22/weird/bad\\ufffdutf"' \
	"escaping: invalid UTF-8 shown as \\ufffd in path"
like "$(grep 'new' $L)" '"path":"/data/t22/weird/new\\nline"' "escaping: newline as \\n"
like "$(grep 'ctl' $L)" '"path":"/data/t22/weird/ctl\\u0001x"' "escaping: \\001 as \\u0001"
like "$(grep 'esc' $L)" '"path":"/data/t22/weird/esc\\u001b\[31mred"' "escaping: ESC as \\u001b"

# a path longer than an event carries (256 bytes)
long=$W
for i in 1 2 3 4 5 6; do long=$long/dir$i-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx; done
mkdir -p $long
echo data > $long/file
ok "long path (${#long} bytes): open denied" deny_open $long/file
wait_audit 'path_truncated' 5
is "$(jsonget -m hook=file -m path_truncated=true access < $L)" read "long path: path_truncated is true"
p=$(jsonget -m path_truncated=true path < $L)
like "${#p}" '^2[0-9][0-9]$' "long path: the path carried is cut (${#p} bytes), not silently"
case "$long/file" in "$p"*) pass "long path: what is carried is its beginning" ;;
	*) fail "long path: what is carried is its beginning"; diag "$p" ;; esac

# exec: argv and exe
r=$(in_cg $CG probe exec /usr/bin/denyme first 'two words' "$(printf 'q"\\')")
nexec=$((nexec + 1))
is "$r" EPERM "exec with arguments denied"
wait_audit '"hook":"exec"' 5
is "$(jsonget -m hook=exec argv < $L)" '["/usr/bin/denyme","first","two words","q\"\\"]' \
	"exec line: argv as a JSON array"
is "$(jsonget -m hook=exec exe < $L)" /bin/probe "exec line: exe of the acting process"

# ---- exe: the kernel names the program as the record is written ----
# enforcerd is stopped (SIGSTOP) while each process is denied and exits:
# its line still names its program (read from /proc it would be gone)
mkdir -p /mnt/t22m /mnt/t22b
mount -t tmpfs t22 /mnt/t22m
mkdir /mnt/t22m/x
cp /bin/probe /mnt/t22m/x/probe   # probe acts only when named probe
mkdir /mnt/t22m/y
cp /bin/busybox /mnt/t22m/y/busybox   # busybox too goes by its name
deep=/mnt/t22m
for i in $(seq 1 17); do deep=$deep/d$i; done
mkdir -p $deep
cp /bin/probe $deep/probe
mount -o bind /mnt/t22m /mnt/t22b
for f in exe1 exe2 exe3 exe4; do echo data > $W/$f; done
kill -STOP $ENFORCERD_PID
r1=$(in_cg $CG /mnt/t22m/x/probe open $W/exe1 r)
r2=$(in_cg $CG /mnt/t22b/x/probe open $W/exe2 r)
in_cg $CG /mnt/t22m/y/busybox sh -c "rm /mnt/t22m/y/busybox; exec 3< $W/exe3" 2>/dev/null
r4=$(in_cg $CG $deep/probe open $W/exe4 r)
kill -CONT $ENFORCERD_PID
nfile=$((nfile + 4))
is "$r1 $r2 $r4" "EPERM EPERM EPERM" "exe: the opens denied while enforcerd was stopped"
wait_audit "$W/exe4" 10
is "$(jsonget -m path=$W/exe1 exe < $L)" /mnt/t22m/x/probe \
	"exe: named although the process had exited before enforcerd read the record (a tmpfs mount)"
is "$(jsonget -m path=$W/exe2 exe < $L)" /mnt/t22b/x/probe "exe: through a bind mount, the path it ran by"
is "$(jsonget -m path=$W/exe3 exe < $L)" "/mnt/t22m/y/busybox (deleted)" \
	"exe: a program removed while it ran: ' (deleted)', as /proc shows it"
like "$(jsonget -m path=$W/exe4 exe < $L)" '^/d3/d4/d5/.*/d16/d17/probe$' \
	"exe: deeper than 16 components: the last 16"
is "$(jsonget -m path=$W/exe4 exe_truncated < $L)" true "exe: ... marked exe_truncated"
is "$(jsonget -m path=$W/exe1 exe_truncated < $L)" "(missing)" "exe: no exe_truncated when whole"
umount /mnt/t22b
umount /mnt/t22m
# the attacker's disguises: a memfd named like /proc/self/exe (its name
# chosen by the caller: the line keeps the memfd: prefix, as /proc does), a
# chroot (the path from the mount namespace's root, not the chroot's), a
# tmpfs mounted in a mount namespace of its own, uid 1000 in a user namespace
for f in exe5 exe6 exe7 exe8; do echo data > $W/$f; done
mkdir -p /mnt/t22c /mnt/t22n
mount -t tmpfs t22c /mnt/t22c
cp /bin/probe /mnt/t22c/probe
mkdir -p /mnt/t22c$W
mount -o bind $W /mnt/t22c$W   # the same files, reached from inside the chroot
r5=$(in_cg $CG escape memfd-exec /bin/probe probe open $W/exe5 r)
r6=$(in_cg $CG chroot /mnt/t22c /probe open $W/exe6 r 2>&1)
r7=$(in_cg $CG escape -m run busybox sh -c \
	"mount -t tmpfs t22n /mnt/t22n && cp /bin/probe /mnt/t22n/probe && exec /mnt/t22n/probe open $W/exe7 r" 2>&1)
r8=$(in_cg $CG runas 1000 escape -U run probe open $W/exe8 r 2>&1)
nfile=$((nfile + 4))
is "$r5 $r6 $r7 $r8" "EPERM EPERM EPERM EPERM" \
	"exe: memfd, chroot, own mount namespace, userns uid 1000: each open denied"
wait_audit "$W/exe8" 10
is "$(jsonget -m path=$W/exe5 exe < $L)" "/memfd:escape_cloned:/proc/self/exe (deleted)" \
	"exe: a memfd: /memfd:NAME (deleted), as /proc shows it, whatever name the caller gave it"
is "$(jsonget -m path=$W/exe6 exe < $L)" /mnt/t22c/probe \
	"exe: a chroot: the path from the mount namespace's root, not the chroot's /probe"
is "$(jsonget -m path=$W/exe7 exe < $L)" /mnt/t22n/probe \
	"exe: a tmpfs mounted in the process's own mount namespace: its path there"
is "$(jsonget -m path=$W/exe8 exe < $L)" /bin/probe "exe: uid 1000 in a user namespace: the same program"
is "$(jsonget -m path=$W/exe8 uid < $L)" 1000 "exe: ... and uid 1000"
umount /mnt/t22c$W
umount /mnt/t22c
ok "still valid JSON" jsonget < $L

# ---- audit --follow with filters ----
enforcerctl audit --follow --policy t22 --hook file > /tmp/t22.follow 2>/tmp/t22.ferr &
FPID=$!
i=0
while [ $i -lt 50 ]; do
	enforcerctl --json stats | grep -q '"followers":1' && break
	sleep 0.1
	i=$((i + 1))
done
echo data > $W/follow1
deny_open $W/follow1
deny_open $W/follow1
deny_open $W/follow1
in_cg $CG probe exec /usr/bin/denyme >/dev/null; nexec=$((nexec + 1))
in_cg t22/other probe open $D/other r >/dev/null
deny_open $W/follow1
wait_audit '"policy":"t22b"' 5
sleep 1
kill $FPID
wait $FPID 2>/dev/null
ok "follow: every line received is valid JSON" jsonget < /tmp/t22.follow
is "$(wc -l < /tmp/t22.follow | tr -d ' ')" 4 "follow --policy t22 --hook file: 4 lines"
is "$(jsonget -m policy=t22 -m hook=file -m path=$W/follow1 access < /tmp/t22.follow | wc -l | tr -d ' ')" 4 \
	"follow: all 4 are the t22 file denials"

# ---- audit (backlog) ----
enforcerctl audit > /tmp/t22.backlog
is "$?" 0 "audit (backlog): exit 0"
ok "audit (backlog): valid JSON" jsonget < /tmp/t22.backlog
is "$(wc -l < /tmp/t22.backlog | tr -d ' ')" "$(wc -l < $L | tr -d ' ')" \
	"audit (backlog): as many lines as the log so far"
is "$(enforcerctl audit --policy t22b | jsonget policy)" t22b "audit --policy t22b: only its line"
is "$(enforcerctl audit --hook exec | jsonget hook | sort -u)" exec "audit --hook exec: only exec lines"

# ---- reopen and SIGUSR1 ----
n0=$(wc -l < $L)
mv $L $L.1
for f in a b c d e; do echo data > $W/r1$f; deny_open $W/r1$f; done
# in_file ERE FILE: wait (5 s at most) until FILE has a matching line
in_file() {
	_i=0
	while ! grep -qE -- "$1" "$2" 2>/dev/null && [ $_i -lt 50 ]; do sleep 0.1; _i=$((_i + 1)); done
}
in_file r1e $L.1
enforcerctl reopen >/dev/null
is "$?" 0 "reopen: exit 0"
ok "reopen: a new $L was created" test -e $L
for f in a b c d e f g; do echo data > $W/r2$f; deny_open $W/r2$f; done
wait_audit 'r2g' 5
# a reopen that did nothing would leave the daemon writing to $L.1
is "$(grep -c '/r2' $L)" 7 "reopen: the 7 lines after it are in the new $L"
is "$(grep -c '/r2' $L.1)" 0 "reopen: none of them went to the moved file"
is "$(grep -c '/r1' $L.1)" 5 "reopen: the 5 lines before it are in the moved file"
mv $L $L.2
for f in a b c; do echo data > $W/r3$f; deny_open $W/r3$f; done
in_file r3c $L.2
kill -USR1 $ENFORCERD_PID
i=0
while [ ! -e $L ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
ok "SIGUSR1: the log was reopened" test -e $L
for f in a b c d; do echo data > $W/r4$f; deny_open $W/r4$f; done
wait_audit 'r4d' 5
total=$(cat $L.1 $L.2 $L | wc -l)
is "$total" $((n0 + 19)) "reopen/SIGUSR1: nothing lost ($n0 + 19 lines across 3 files)"
is "$(grep -c '/r4' $L)" 4 "after SIGUSR1 the new lines are in the new file"
is "$(grep -c '/r[34]' $L.2)" 3 "SIGUSR1: the 3 lines before it are in the moved file, none after"
ok "rotated files are valid JSON" sh -c "cat $L.1 $L.2 $L | jsonget"

# ---- stats ----
sleep 1
prom=$(enforcerctl stats --prometheus)
is "$?" 0 "stats --prometheus: exit 0"
bad=$(printf '%s\n' "$prom" | grep -vE '^(# (HELP|TYPE) [a-z_]+ .+|[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? [0-9]+(\.[0-9]+)?)$')
is "$bad" "" "stats --prometheus: every line is valid exposition text"
is "$(printf '%s\n' "$prom" | grep '^enforcer_denials_total{policy="t22",hook="file"}')" \
	"enforcer_denials_total{policy=\"t22\",hook=\"file\"} $nfile" "prometheus: t22 file denials = $nfile provoked"
is "$(printf '%s\n' "$prom" | grep '^enforcer_denials_total{policy="t22",hook="exec"}')" \
	"enforcer_denials_total{policy=\"t22\",hook=\"exec\"} $nexec" "prometheus: t22 exec denials = $nexec provoked"
is "$(printf '%s\n' "$prom" | grep '^enforcer_denials_total{policy="t22b",hook="file"}')" \
	'enforcer_denials_total{policy="t22b",hook="file"} 1' "prometheus: t22b file denials = 1"
like "$(printf '%s\n' "$prom" | grep '^enforcer_checks_total{policy="t22",hook="file"}' | awk '{print $2}')" \
	'^[0-9]+$' "prometheus: checks counted"
ck=$(printf '%s\n' "$prom" | grep '^enforcer_checks_total{policy="t22",hook="file"}' | awk '{print $2}')
ok "prometheus: checks ($ck) >= denials ($nfile)" test "$ck" -ge "$nfile"
# every scalar of the JSON stats is in the exposition too, with its value
# (the ones nothing here moves between the two calls)
js0=$(enforcerctl --json stats)
prom=$(enforcerctl stats --prometheus)
miss=
for k in generation:enforcer_generation reloads:enforcer_reloads_total \
	reload_failures:enforcer_reload_failures_total reloads_unchanged:enforcer_reloads_unchanged_total \
	ringbuf_drops:enforcer_ringbuf_drops_total storm_suppressed:enforcer_storm_suppressed_total \
	fail_closed:enforcer_fail_closed_total tamper_denials:enforcer_tamper_denials_total \
	map_update_failures:enforcer_map_update_failures_total cgroup_bindings:enforcer_cgroup_bindings \
	rule_hits_lost:enforcer_rule_hits_lost_total audit_write_errors:enforcer_audit_write_errors_total; do
	j=$(printf '%s\n' "$js0" | jsonget "${k%%:*}")
	pv=$(printf '%s\n' "$prom" | sed -n "s/^${k#*:} //p")
	# (one line per series: a name twice is invalid exposition)
	[ -n "$j" ] && [ "$j" = "$pv" ] || miss="$miss ${k%%:*}=$j/${k#*:}=$pv"
done
is "$miss" "" "prometheus: the JSON stats' counters with the same values"
is "$(printf '%s\n' "$prom" | grep -v '^#' | sed 's/ [^ ]*$//' | sort | uniq -d)" "" \
	"prometheus: no series twice"
for m in enforcer_verdict_cache_hits_total enforcer_verdict_cache_fills_total \
	enforcer_connect_cache_hits_total enforcer_connect_cache_fills_total \
	enforcer_cgroups_bound_on_mkdir_total enforcer_cgroup_cache_misses_total enforcer_audit_lines_written_total; do
	like "$(printf '%s\n' "$prom" | grep "^$m ")" "^$m [0-9]+\$" "prometheus: $m"
done
js=$(enforcerctl --json stats)
ok "stats --json: valid JSON" sh -c "printf '%s\n' '$(printf '%s' "$js" | sed "s/'/'\\\\''/g")' | jsonget"
like "$js" "\"name\":\"t22\",\"exec\":\\{\"checks\":[0-9]+,\"denials\":$nexec,[^}]*\\},\"file\":\\{\"checks\":[0-9]+,\"denials\":$nfile," \
	"stats --json: per policy and hook checks and denials"
is "$(printf '%s\n' "$js" | jsonget ringbuf_drops)" "$drops0" "stats: no ring-buffer drops at this pace (still $drops0, as at the start)"
stop_enforcerd
