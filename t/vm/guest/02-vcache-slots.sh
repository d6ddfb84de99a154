# SPDX-License-Identifier: GPL-2.0-only
# 02-vcache-slots.sh - the verdict cache's table (bpf-lsm/vcache.bpf.h): a
# direct-mapped array, a slot per hash of the inode's address.  Files whose
# inodes share a slot evict each other and never answer for each other (a
# denied file opened after thousands of allowed ones, many in its slot, is
# still denied, with its audit line; an ungoverned neighbour reads it); a
# freed inode's entry dies with it (enf_vc_free: the entries of a tmpfs's
# files go at its umount, which unlinks nothing); a link or unlink by any
# task (io_uring's IORING_OP_UNLINKAT by uid 1000 too) kills the file's
# entry (stats verdict_cache_live: the live entries of the table).
# guest-timeout: 600

P=/tmp/pol02
V=/v02
N=2500
cg_make t02/a
mkdir -p $V/ok $V/deny $V/m
i=0
while [ $i -lt $N ]; do
	echo x > $V/ok/f$i
	echo x > $V/deny/f$i
	i=$((i + 1))
done
chmod -R a+rwX $V

write_policy $P a <<INI
[policy]
cgroup = /t02/a
[file]
deny = $V/deny/
INI
start_enforcerd $P

st() { enforcerctl --json stats | jsonget "$1"; }
live() { st verdict_cache_live; }
# readall CG DIR: one shell in CG reads $N files DIR/f0.. twice each; prints
# "ok DENIED OTHER" counts
# (the shell joins the cgroup itself, with no exec after: no program's
# open is counted)
readall() {
	sh -c '
	echo $$ > "$1/cgroup.procs" || exit 125
	ok=0; den=0; oth=0; i=0
	while [ $i -lt '"$N"' ]; do
		for k in 1 2; do
			if e=$( { : < "$0/f$i"; } 2>&1 ); then ok=$((ok + 1))
			else case "$e" in *"not permitted"*) den=$((den + 1)) ;; *) oth=$((oth + 1)) ;; esac
			fi
		done
		i=$((i + 1))
	done
	echo "$ok $den $oth"' "$2" "$CG_ROOT/$1"
}
# gsh CG SCRIPT: sh -c SCRIPT in cgroup CG, joined with no exec after
gsh() {
	sh -c 'echo $$ > "$0/cgroup.procs" || exit 125; eval "$1"' "$CG_ROOT/$1" "$2"
}

L0=$(live)
like "$L0" '^[0-9]+$' "stats verdict_cache_live ($L0 live)"
F0=$(st verdict_cache_fills)
H0=$(st verdict_cache_hits)
is "$(readall t02/a $V/ok)" "$((2 * N)) 0 0" "$N allowed files read twice each by a governed task"
F1=$(st verdict_cache_fills)
H1=$(st verdict_cache_hits)
is "$((F1 - F0))" "$N" "... each first read filled an entry"
# a second read hits unless a collision evicted the entry in between (it
# cannot: the two reads of a file follow each other)
is "$((H1 - H0))" "$N" "... each second read hit it"
L1=$(live)
diag "live entries after $N files: $L1 (of 8192 slots; $N - $L1 lost to shared slots)"
ok "some files shared a slot (a direct-mapped table: $((L1 - L0)) more live, $N filled)" [ $((L1 - L0)) -lt $N ]

# every denied file, many of them in a slot holding an allowed file's entry
is "$(readall t02/a $V/deny)" "0 $((2 * N)) 0" "$N denied files read twice each: every read EPERM, none answered by a slot's other file"
wait_audit "\"path\":\"$V/deny/f$((N - 1))\"" 5
like "$(grep "\"path\":\"$V/deny/f$((N - 1))\"" $AUDIT_LOG | tail -n 1)" '"action":"deny".*"access":"read"' \
	"the last denied file's audit line names it, action deny, access read"
is "$(sh -c ": < $V/deny/f7 && echo ok")" ok "neighbour: an ungoverned task reads a denied file"
is "$(st verdict_cache_fills)" "$F1" "denials fill nothing"
H2=$(st verdict_cache_hits)
is "$(readall t02/a $V/ok)" "$((2 * N)) 0 0" "the allowed files again: all read"
F3=$(st verdict_cache_fills)
H3=$(st verdict_cache_hits)
diag "second pass: fills $((F3 - F1)), hits $((H3 - H2))"
ok "second pass: at least one hit per file (the survivors' two, the refilled ones' second)" [ $((H3 - H2)) -ge $N ]

# a link or unlink by an ungoverned task kills the file's entry
echo x > $V/ok/one
is "$(gsh t02/a ": < $V/ok/one && : < $V/ok/one && echo ok")" ok "ok/one read twice (filled)"
L4=$(live)
ln $V/ok/one $V/ok/two
L5=$(live)
is "$((L4 - L5))" 1 "a hard link of it (ungoverned) killed its entry: one fewer live"
rm $V/ok/two
is "$(gsh t02/a ": < $V/ok/one && : < $V/ok/one && echo ok")" ok "one name again: read twice (filled anew)"
is "$(live)" "$L4" "... live again"
rm $V/ok/one
is "$(live)" "$L5" "its unlink killed its entry"

# the same kill through another syscall family, by an unprivileged governed
# task: uid 1000 unlinks a cached file with io_uring's IORING_OP_UNLINKAT
# (a first run on a missing name fills the entries of runas's and attack's
# execs, so that the counts below move by the kill alone)
echo x > $V/ok/ur
chmod a+r $V/ok/ur
is "$(in_cg t02/a /bin/runas 1000 attack uring-unlink $V/ok/nofile)" ENOENT "uid 1000, io_uring unlink of a missing name: ENOENT"
is "$(gsh t02/a ": < $V/ok/ur && : < $V/ok/ur && echo ok")" ok "ok/ur read twice (filled)"
L8=$(live)
is "$(in_cg t02/a /bin/runas 1000 attack uring-unlink $V/ok/ur)" ok "uid 1000, governed: IORING_OP_UNLINKAT of the cached ok/ur: ok"
is "$(live)" "$((L8 - 1))" "... its entry killed (one fewer live)"

# a freed inode's entry: a tmpfs's files, filled, then the tmpfs unmounted
# (no unlink: the inodes are freed at the umount)
mount -t tmpfs t02m $V/m
i=0
while [ $i -lt 40 ]; do echo x > $V/m/f$i; i=$((i + 1)); done
chmod -R a+rwX $V/m
F5=$(st verdict_cache_fills)
is "$(gsh t02/a 'i=0; n=0; while [ $i -lt 40 ]; do : < '$V'/m/f$i && : < '$V'/m/f$i && n=$((n + 1)); i=$((i + 1)); done; echo $n')" 40 \
	"40 files of a tmpfs read twice each"
is "$(($(st verdict_cache_fills) - F5))" 40 "... 40 fills"
L6=$(live)
umount $V/m
L7=$(live)
diag "live before the umount $L6, after $L7"
# (at least 36: a few of the 40 may share a slot)
ok "the umount freed the 40 inodes: their entries died with them (enf_vc_free: $((L6 - L7)) fewer live)" \
	[ $((L6 - L7)) -ge 36 -a $((L6 - L7)) -le 40 ]

stop_enforcerd
is "$?" 0 "enforcerd exits 0 on SIGTERM"
