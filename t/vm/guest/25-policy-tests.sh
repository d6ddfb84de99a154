# SPDX-License-Identifier: GPL-2.0-only
# guest-timeout: 1200
# 25-policy-tests.sh - issue 17: the offline matching model (enforcerctl
# test --emit, explain) against the real kernel.
#  1. The shipped policies/NAME.test actions, each policy rebound to a
#     cgroup of its own (lines after a `cgroup =` line name host cgroups
#     and are left out here): actrun performs every action in that cgroup
#     and the kernel's verdict must be the model's, line for line.
#  1b. The peer test cases of t/peer (KubeArmor's ksp suite written as
#     policies, t/44-peer-cases.t): each policy in a cgroup of its own,
#     every path moved below /tpeer (files made for it: programs that
#     exec are probe copies, programs named by `exe` copies of actrun,
#     the files opened world-writable for `not-owner`, which actrun opens
#     (and execs) with file-system uid 65534), and the kernel's verdict must be the
#     one the peer's test expects, action by action. Tetragon's cases
#     (tg-*) alike: a .test as KubeArmor's (an `exe P` of any action
#     runs from a copy of actrun), a .ktest (name operations, a
#     module load) step by step as Landlock's, its files made below
#     /tpeer first.
#  2. A differential test: a seeded corpus of a few hundred actions over a
#     policy set written for it (file over directory, deeper directory,
#     readonly, rights, patterns (with program conditions the runner does
#     not meet), longest prefix, port ranges, protocol, deny first,
#     loopback alias, [bind], stacking with an ancestor's policy, an
#     audit-mode policy) judged by the model and by the kernel: they must
#     agree on every action, and the kernel's denials are the audit log's.
# Paths are resolved in the guest (busybox: /bin/sh is /bin/busybox) by
# both sides alike.

# the pins the script before this one left are adopted (t/vm/lib.sh): its
# programs are this build's, its checks need no fresh load
ADOPT_PINS=1

P=/tmp/pol25
W=/tmp/t25
SEED=${T25_SEED:-1717}
N=${T25_N:-300}
rm -rf $P $W /t25f
mkdir -p $P $W

cleanup25() {
	# a normal stop left the pins for the next script
	[ -e /tmp/.pins_left ] || unload_enforcer
	rm -rf /t25f /tpeer
}
trap cleanup25 EXIT

# same_lines A B: A is not empty and B holds the same lines
same_lines() {
	[ -s "$1" ] && cmp -s "$1" "$2"
}

# ---- 1. the shipped tests, each policy in a cgroup of its own ----
names=
for t in /policies/*.test; do
	n=$(basename "$t" .test)
	[ -f "/policies/$n.ini" ] || continue
	names="$names $n"
	cg_make "t25/s/$n"
	# rebind: drop cgroup=/unit= lines, bind /t25/s/NAME; let the runner exec
	awk -v cg="/t25/s/$n" '
		/^[ \t]*(cgroup|unit)[ \t]*=/ { next }
		{ print }
		/^\[policy\]/ { print "cgroup = " cg }
		/^\[exec\]/ { print "allow = /bin/actrun" }' "/policies/$n.ini" > "$P/$n.ini"
	# the lines before the first "cgroup =" (judged under NAME.ini alone)
	awk '/^[ \t]*cgroup[ \t]*=/ { exit } { print }' "$t" > "$P/$n.test"
done
is "$(echo $names | wc -w)" "$(ls /policies/*.ini | wc -l)" "every shipped policy has a .test to run"

# the files the actions name: programs (static stand-ins), files to open
for t in $P/*.test; do
	sed 's/[;#].*//' "$t" | grep -- '->' | while read -r verb path rest; do
		case "$verb" in
		exec)
			[ -e "$path" ] || { mkdir -p "$(dirname "$path")" && cp /bin/probe "$path"; } ;;
		open)
			mkdir -p "$(dirname "$path")"
			case " $rest " in
			*" create "*) rm -f "$path" ;;
			*) [ -e "$path" ] || echo x > "$path" ;;
			esac ;;
		esac
	done
done

# ---- 1b. the peer cases, below /tpeer ----
# peer_paths: prefix every absolute path of a rule or an action with /tpeer
peer_paths() {
	sed -E 's#^(allow|deny|readonly|default)([ \t]*=[ \t]*)/#\1\2/tpeer/#;
		s#^(exec|open)[ \t]+/#\1 /tpeer/#;
		s#([ \t])(exe|parent)[ \t]+/#\1\2 /tpeer/#g' "$1"
}
rm -rf /tpeer
peers=
for t in /peer/ka-*.test /peer/tg-*.test; do
	[ -f "$t" ] || continue
	n=$(basename "$t" .test)
	peers="$peers $n"
	cg_make "t25/p/$n"
	peer_paths "/peer/$n.ini" | awk -v cg="/t25/p/$n" '
		/^[ \t]*cgroup[ \t]*=/ { print "cgroup = " cg; next }
		{ print }
		/^\[exec\]/ || /^\[file\]/ { print "allow = /bin/actrun" }' > "$P/$n.ini"
	peer_paths "$t" > "$W/$n.peer"
	sed 's/[;#].*//' "$W/$n.peer" | grep -- '->' | while read -r verb path rest; do
		case "$verb" in
		exec) [ -e "$path" ] || { mkdir -p "$(dirname "$path")" && cp /bin/probe "$path"; } ;;
		open) [ -e "$path" ] || { mkdir -p "$(dirname "$path")" && echo x > "$path"; }
			chmod 666 "$path" ;;
		esac
		for p in $(echo "$rest" | sed -n 's#.*\(exe\|parent\) \(/tpeer/[^ ]*\).*#\2#p'); do
			# always actrun (over a probe copy an exec action made):
			# an exec of it passes too (no stdin, exit 0)
			mkdir -p "$(dirname "$p")" && cp "$(command -v actrun)" "$p"
		done
	done
done
is "$(echo $peers | wc -w)" "$(( $(ls /peer/ka-*.ini | wc -l) + $(ls /peer/tg-*.ini | wc -l) - $(ls /peer/tg-*.ktest | wc -l) ))" \
	"every KubeArmor case and each Tetragon case of the model has its .test to run"
# Landlock's cases: the layout1 fixture below /tpeer/ll-NAME, each
# policy in a cgroup of its own; the `pre` steps run here (ungoverned)
# Tetragon's .ktest cases alike, each below /tpeer/NAME, the directories
# of every path a step names made first, the programs of `exe P` copies
# of actrun
lls=
tgks=
llpre=0
for t in /peer/ll-*.ktest /peer/tg-*.ktest; do
	[ -f "$t" ] || continue
	n=$(basename "$t" .ktest)
	cg_make "t25/p/$n"
	peer_paths "/peer/$n.ini" | awk -v cg="/t25/p/$n" '
		/^[ \t]*cgroup[ \t]*=/ { print "cgroup = " cg; next }
		{ print }' > "$P/$n.ini"
	sed 's/[;#].*//; s# /# /tpeer/#g; s/[ \t]*$//' "$t" | grep -- '->' > "$W/$n.steps"
	case $n in
	ll-*)
		lls="$lls $n"
		r=/tpeer/$n
		mkdir -p $r/s1d1/s1d2/s1d3 $r/s2d1/s2d2/s2d3
		for f in s1d1/f1 s1d1/f2 s1d1/s1d2/f1 s1d1/s1d2/f2 s1d1/s1d2/s1d3/f1 s1d1/s1d2/s1d3/f2 \
			s2d1/f1 s2d1/s2d2/f1 s2d1/s2d2/f2 s2d1/s2d2/s2d3/f1 s2d1/s2d2/s2d3/f2; do
			echo x > $r/$f
		done ;;
	*)
		# each case in a tree of its own: /tpeer/NAME
		tgks="$tgks $n"
		sed -i "s#/tpeer/#/tpeer/$n/#g" "$P/$n.ini" "$W/$n.steps"
		for p in $(sed 's/ -> .*//' "$W/$n.steps" | tr ' ' '\n' | grep '^/tpeer/'); do
			mkdir -p "$(dirname "$p")"
		done
		for p in $(sed -n 's#.* exe \(/tpeer/[^ ]*\).*#\1#p' "$W/$n.steps"); do
			cp "$(command -v actrun)" "$p"
		done ;;
	esac
	grep '^pre ' "$W/$n.steps" | sed 's/^pre //' > "$W/$n.pre"
	grep -v '^pre ' "$W/$n.steps" > "$W/$n.pwant"
	actrun < "$W/$n.pre" > "$W/$n.prek"
	cmp -s "$W/$n.pre" "$W/$n.prek" || { llpre=$((llpre + 1)); diff "$W/$n.pre" "$W/$n.prek" | sed 's/^/# /'; }
done
is "$llpre" 0 "Landlock and Tetragon .ktest cases: every setup step passed ($(echo $lls $tgks | wc -w) cases)"

# ---- 2. the corpus policies and files ----
cg_make t25/d/a
write_policy $P d-a <<'INI'
[policy]
cgroup = /t25/d/a
[exec]
default = allow
deny = /t25f/bin/
allow = /t25f/bin/ok
deny = /t25f/x/tool
[file]
default = allow
readonly = /t25f/
allow = /t25f/rw/
deny = /t25f/rw/secret
deny = /t25f/rw/deep/
readonly = /t25f/rw/deep/ro/
allow = /t25f/drop/ read create
deny = /t25f/log/ truncate
deny = /t25f/bin/data
[connect]
default = allow
deny = 10.0.0.0/8
allow = 10.0.0.0/8 port 5432-5433 tcp
deny = 10.1.0.0/16 port 5432 tcp
allow = 10.1.2.0/24 port 5432
deny = 0.0.0.0/0 port 25
deny = 127.0.0.0/8 port 9
allow = 127.0.0.5 port 9 udp
deny = 2001:db8::/32
allow = 2001:db8:1::/48 port 443 tcp
deny = ::/0 port 26
[bind]
default = allow
deny = 0.0.0.0/0 port 7000-7010
allow = 127.0.0.1 port 7005 tcp
deny = ::/0 port 7100
deny = 127.0.0.0/8 port 7200 udp
; patterns (issue 19), after the lines explain's checks name
[exec]
deny = /t25f/free/*-x
deny = /t25f/free/* parent /bin/probe   ; a condition actrun's parent does not meet
[file]
deny = /t25f/other/*.key
allow = /t25f/rw/deep/*.ok
allow = /t25f/pat/**/*.log
; patterns with a program condition actrun does not meet: the verdicts
; stay the model's (which leaves them out)
allow = /t25f/other/*.key exe /bin/probe
deny = /t25f/rw/deep/*.ok exe /bin/probe
; program conditions the corpus meets (issue 19): its exe/parent actions
; run from copies of actrun (/t25f/pr/), which the kernel tells apart
[exec]
deny = /t25f/free/prog parent /t25f/pr/b
deny = /t25f/rw/prog exe /t25f/pr/d/
[file]
deny = /t25f/rw/f exe /t25f/pr/a
allow = /t25f/rw/secret exe /t25f/pr/b
readonly = /t25f/drop/ exe /t25f/pr/d/
allow = /t25f/other/*.key exe /t25f/pr/a
deny = /t25f/pat/**/*.log exe /t25f/pr/b
INI
write_policy $P d-parent <<'INI'
[policy]
cgroup = /t25/d
[exec]
deny = /t25f/x/
[file]
deny = /t25f/rw/b-only
readonly = /t25f/drop/sub/
[connect]
deny = 10.9.0.0/16
allow = 10.9.9.0/24 port 80
INI
write_policy $P d-watch <<'INI'
[policy]
cgroup = /t25/d/a
mode = audit
[exec]
deny = /t25f/bin/ok
[file]
deny = /t25f/rw/
[connect]
deny = 0.0.0.0/0 port 80
INI

for d in bin x free rw rw/deep rw/deep/ro drop drop/sub log other pat/s pr/d; do mkdir -p /t25f/$d; done
# the programs of the exe/parent actions: copies of actrun (inodes of their own)
for f in pr/a pr/b pr/d/c; do
	cp "$(command -v actrun)" /t25f/$f
done
for f in bin/ok bin/tool bin/okx x/tool x/other free/prog free/p-x rw/prog drop/prog; do
	cp /bin/probe /t25f/$f
done
for f in a rw/f rw/secret rw/deep/f rw/deep/ro/f drop/f drop/sub/f log/app other/f rw/b-only \
	bin/data other/a.key rw/deep/x.ok pat/t.log pat/s/u.log pat/s/v; do
	echo data > /t25f/$f
done

# the corpus: seeded, every "create" on a fresh name
awk -v seed="$SEED" -v n="$N" 'BEGIN {
	srand(seed)
	ne = split("/t25f/bin/ok /t25f/bin/tool /t25f/bin/okx /t25f/x/tool /t25f/x/other /t25f/free/prog /t25f/free/p-x /t25f/rw/prog /t25f/drop/prog", ex, " ")
	nf = split("/t25f/a /t25f/rw/f /t25f/rw/secret /t25f/rw/deep/f /t25f/rw/deep/ro/f /t25f/drop/f /t25f/drop/sub/f /t25f/log/app /t25f/other/f /t25f/rw/b-only /t25f/bin/data /t25f/bin/ok /t25f/other/a.key /t25f/rw/deep/x.ok /t25f/pat/t.log /t25f/pat/s/u.log /t25f/pat/s/v", fi, " ")
	nd = split("/t25f /t25f/rw /t25f/rw/deep /t25f/rw/deep/ro /t25f/drop /t25f/drop/sub /t25f/log /t25f/other", di, " ")
	nw = split("read|write|read write|write truncate|read truncate|read write truncate", wo, "|")
	nc = split("read create|write create|read write create", cw, "|")
	na = split("10.0.0.1 10.1.2.3 10.1.3.4 10.9.1.1 10.9.9.9 11.0.0.1 127.0.0.1 127.0.0.5 0.0.0.0 192.0.2.1 ::1 :: 2001:db8::1 2001:db8:1::1 2001:db9::1 ::ffff:10.1.2.3", ad, " ")
	np = split("9 25 26 80 443 5431 5432 5433 5434", po, " ")
	nb = split("127.0.0.1 0.0.0.0 :: ::1 127.0.0.2", ba, " ")
	npr = split("/t25f/pr/a /t25f/pr/b /t25f/pr/d/c", pr, " ")
	nq = split("7000 7005 7010 7011 7100 7200 7300", bp, " ")
	print "cgroup = /t25/d/a"
	for (i = 0; i < n; i++) {
		k = int(rand() * 10)
		proto = rand() < 0.5 ? "tcp" : "udp"
		# an exec or open by a named program (exe), started by another (parent)
		q = rand()
		by = q < 0.25 ? " exe " pr[1 + int(rand() * npr)] : ""
		by = by (q >= 0.15 && q < 0.35 ? " parent " pr[1 + int(rand() * 2)] : "")
		if (k < 2)
			print "exec " ex[1 + int(rand() * ne)] by
		else if (k < 5)
			print "open " fi[1 + int(rand() * nf)] " " wo[1 + int(rand() * nw)] by
		else if (k < 6)
			print "open " di[1 + int(rand() * nd)] "/new" i " " cw[1 + int(rand() * nc)] by
		else if (k < 9)
			print "connect " ad[1 + int(rand() * na)] " " po[1 + int(rand() * np)] " " proto
		else
			print "bind " ba[1 + int(rand() * nb)] " " bp[1 + int(rand() * nq)] " " proto
	}
}' > $P/corpus.test
# each program condition met and not met, whatever the seed draws
cat >> $P/corpus.test <<'EOF'
open /t25f/rw/secret read exe /t25f/pr/b
open /t25f/rw/secret read exe /t25f/pr/a
open /t25f/rw/f read exe /t25f/pr/a
open /t25f/rw/f read exe /t25f/pr/b
open /t25f/drop/f write exe /t25f/pr/d/c
open /t25f/drop/f read exe /t25f/pr/d/c
open /t25f/other/a.key read exe /t25f/pr/a
open /t25f/other/a.key read exe /t25f/pr/b
open /t25f/pat/s/u.log read exe /t25f/pr/b
open /t25f/pat/s/u.log read parent /t25f/pr/b
exec /t25f/free/prog parent /t25f/pr/b
exec /t25f/free/prog exe /t25f/pr/b parent /t25f/pr/a
exec /t25f/rw/prog exe /t25f/pr/d/c
exec /t25f/rw/prog exe /t25f/pr/a
EOF
N=$((N + 14))
is "$(grep -c '^[a-z]* /\|^connect\|^bind' $P/corpus.test)" "$N" "corpus: $N actions (seed $SEED)"

T0=$(date +%s)
start_enforcerd $P || exit 0
diag "enforcerd live after $(( $(date +%s) - T0 )) s"

# ---- 1. shipped tests: kernel == model ----
for n in $names; do
	enforcerctl test --emit "$P/$n.test" > "$W/$n.model" 2>"$W/$n.err"
	grep -- '->' "$W/$n.model" | sed 's/ -> audit$/ -> allow/' > "$W/$n.want"
	in_cg "t25/s/$n" actrun < "$W/$n.model" > "$W/$n.kernel"
	total=$(wc -l < "$W/$n.want")
	ok "$n.test: $total actions, the kernel agrees with the model on each" \
		same_lines "$W/$n.want" "$W/$n.kernel" ||
		{ diff "$W/$n.want" "$W/$n.kernel" | sed 's/^/# /'; cat "$W/$n.err" | sed 's/^/# /'; }
	# and with what the file expects (line by line: emit keeps the order),
	# where the guest's files are the host's
	sed 's/[;#].*//' "$P/$n.test" | grep -- '->' | sed 's/.*->[ \t]*//; s/[ \t]*$//; s/^audit$/allow/' > "$W/$n.exp"
	sed 's/.* -> //' "$W/$n.kernel" | paste -d' ' "$W/$n.exp" - > "$W/$n.pair"
	diffs=$(grep -cv '^\(allow allow\|deny deny\)$' "$W/$n.pair")
	[ "$diffs" = 0 ] || diag "$n.test: $diffs expectation(s) differ in the guest (busybox paths):" \
		"$(paste -d' ' "$W/$n.kernel" "$W/$n.exp" | grep -v ' -> \(allow allow\|deny deny\)$')"
done
# demo's expectations hold in the guest as written (no busybox path in it)
is "$(grep -cv '^\(allow allow\|deny deny\)$' "$W/demo.pair")" 0 \
	"demo.test: every expectation holds in the kernel ($(wc -l < "$W/demo.pair") actions)"

diag "shipped tests done after $(( $(date +%s) - T0 )) s"

# ---- 1b. peer cases: the kernel does what the peer's test expects ----
pfail=0
pn=0
for n in $peers; do
	grep -- '->' "$W/$n.peer" | sed 's/[;#].*//' | sed 's/[ \t]*$//' > "$W/$n.pwant"
	in_cg "t25/p/$n" actrun < "$W/$n.pwant" > "$W/$n.pkernel"
	pn=$((pn + $(wc -l < "$W/$n.pwant")))
	if ! same_lines "$W/$n.pwant" "$W/$n.pkernel"; then
		pfail=$((pfail + 1))
		diag "peer $n: the kernel differs from the peer's expectation:" \
			"$(diff "$W/$n.pwant" "$W/$n.pkernel")"
	fi
done
is "$pfail" 0 "peer cases: the kernel gives each of the $pn expectations of $(echo $peers | wc -w) cases"
# Landlock's: each case's steps in order, in its cgroup
lfail=0
ln=0
for n in $lls; do
	in_cg "t25/p/$n" actrun < "$W/$n.pwant" > "$W/$n.pkernel"
	ln=$((ln + $(wc -l < "$W/$n.pwant")))
	if ! same_lines "$W/$n.pwant" "$W/$n.pkernel"; then
		lfail=$((lfail + 1))
		diag "peer $n: the kernel differs from Landlock's test:" \
			"$(diff "$W/$n.pwant" "$W/$n.pkernel")"
	fi
done
is "$lfail" 0 "Landlock cases: the kernel gives each of the $ln steps of $(echo $lls | wc -w) cases"
# Tetragon's kernel-only cases: the same, step by step in order
tfail=0
tn=0
for n in $tgks; do
	in_cg "t25/p/$n" actrun < "$W/$n.pwant" > "$W/$n.pkernel"
	tn=$((tn + $(wc -l < "$W/$n.pwant")))
	if ! same_lines "$W/$n.pwant" "$W/$n.pkernel"; then
		tfail=$((tfail + 1))
		diag "peer $n: the kernel differs from the Tetragon case's .ktest:" \
			"$(diff "$W/$n.pwant" "$W/$n.pkernel")"
	fi
done
is "$tfail" 0 "Tetragon .ktest cases: the kernel gives each of the $tn steps of $(echo $tgks | wc -w) cases"
# and it can fail: the first case's first expectation turned around
n=$(echo $peers | cut -d' ' -f1)
head -1 "$W/$n.pwant" | sed 's/-> allow$/-> ALLOW/; s/-> deny$/-> allow/; s/-> ALLOW$/-> deny/' > "$W/turned"
in_cg "t25/p/$n" actrun < "$W/turned" > "$W/turned.kernel"
ok "peer cases: a turned expectation is told apart ($(cat "$W/turned.kernel"))" \
	sh -c '[ -s "$1" ] && ! cmp -s "$1" "$2"' - "$W/turned" "$W/turned.kernel"
# ---- 2. the differential corpus ----
enforcerctl test --emit $P/corpus.test > $W/corpus.model 2>$W/corpus.err
grep -- '->' $W/corpus.model | sed 's/ -> audit$/ -> allow/' > $W/corpus.want
is "$(wc -l < $W/corpus.want)" "$N" "model: a verdict for every corpus action" || cat $W/corpus.err | sed 's/^/# /'
rm -f $AUDIT_LOG.mark
in_cg t25/d/a actrun < $W/corpus.model > $W/corpus.kernel
diag "corpus run by the kernel after $(( $(date +%s) - T0 )) s"
is "$(wc -l < $W/corpus.kernel)" "$N" "kernel: a verdict for every corpus action"
is "$(grep -c ' -> error' $W/corpus.kernel)" 0 "kernel: no action failed for another reason (missing file...)" ||
	grep ' -> error' $W/corpus.kernel | head -5 | sed 's/^/# /'
mism=$(paste -d'|' $W/corpus.want $W/corpus.kernel | awk -F'|' '$1 != $2' | wc -l)
is "$mism" 0 "differential: the model and the kernel agree on all $N actions" ||
	diff $W/corpus.want $W/corpus.kernel | head -20 | sed 's/^/# /'
denies=$(grep -c ' -> deny$' $W/corpus.kernel)
allows=$(grep -c ' -> allow$' $W/corpus.kernel)
audits=$(grep -c ' -> audit$' $W/corpus.model)
diag "corpus: $denies denied, $allows allowed ($audits of them audit-mode would-denies)"
ok "corpus exercises both verdicts and audit mode (>= 50 denied, >= 50 allowed, >= 5 audited)" \
	[ "$denies" -ge 50 -a "$allows" -ge 50 -a "$audits" -ge 5 ]
for h in exec file connect bind; do
	c=$(grep -- ' -> deny$' $W/corpus.kernel | grep -c "^$(echo $h | sed 's/file/open/')")
	ok "corpus: the kernel denied some $h actions ($c)" [ "$c" -gt 0 ]
done
# every kernel denial is enforcer's: one deny line per denial in the cgroup
i=0
while [ $i -lt 50 ]; do
	got=$(jsonget -m cgroup=/t25/d/a -m action=deny action < $AUDIT_LOG | wc -l)
	[ "$got" -ge "$denies" ] && break
	sleep 0.2
	i=$((i + 1))
done
is "$(jsonget -m cgroup=/t25/d/a -m action=deny action < $AUDIT_LOG | wc -l)" "$denies" \
	"audit log: one deny line per kernel denial of the corpus"
is "$(jsonget -m cgroup=/t25/d/a -m policy=d-watch -m action=deny action < $AUDIT_LOG | wc -l)" 0 \
	"audit log: the audit-mode policy denied nothing"

# program conditions: the kernel told the programs apart as the model did
for want in 'open /t25f/rw/secret read exe /t25f/pr/b -> allow' 'open /t25f/rw/secret read exe /t25f/pr/a -> deny' \
	'open /t25f/drop/f write exe /t25f/pr/d/c -> deny' 'open /t25f/other/a.key read exe /t25f/pr/a -> allow' \
	'open /t25f/other/a.key read exe /t25f/pr/b -> deny' 'exec /t25f/free/prog parent /t25f/pr/b -> deny' \
	'exec /t25f/free/prog exe /t25f/pr/b parent /t25f/pr/a -> allow' 'exec /t25f/rw/prog exe /t25f/pr/d/c -> deny'; do
	is "$(grep -F -x -m 1 -- "$want" $W/corpus.kernel)" "$want" "program condition, kernel: $want"
done
out=$(enforcerctl --json explain --policy-dir $P --cgroup /t25/d/a open /t25f/rw/secret read exe /t25f/pr/b)
like "$out" '"policy":"d-a".*"verdict":"allow","rule":"allow = /t25f/rw/secret exe /t25f/pr/b"' \
	"explain: exe P names the program's rule that decides"

# explain in the guest: the model names the deciding rule of the kernel's denial
out=$(enforcerctl --json explain --policy-dir $P --cgroup /t25/d/a connect 10.1.3.4 5432 tcp)
like "$out" '"verdict":"deny".*"rule":"deny = 10.1.0.0/16 port 5432 tcp","rule_line":22' \
	"explain: the /16 port rule beats the /8 port range"
is "$(echo 'connect 10.1.3.4 5432 tcp' | in_cg t25/d/a actrun)" "connect 10.1.3.4 5432 tcp -> deny" \
	"  and the kernel denies it"
like "$(tail -50 $AUDIT_LOG | jsonget -m cgroup=/t25/d/a -m hook=connect -m port=5432 rule | tail -1)" \
	'^deny = 10.1.0.0/16 port 5432 tcp$' "  by the rule explain named"

stop_enforcerd
