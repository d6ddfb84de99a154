# SPDX-License-Identifier: GPL-2.0-only
# 87-verdict-cache.sh - the verdict cache of a governed file open (issue 16,
# bpf-lsm/vcache.bpf.h): a read-only open's allow is stored in the inode's slot and
# answers the next one (stats verdict_cache_fills / verdict_cache_hits move
# exactly as the opens say), and every change of what the verdict depends
# on gives the next open the new verdict (errno and audit line): a reload,
# a live bind, a move to another cgroup, a rename of the file or of a
# directory above it (by an ungoverned and by a governed process), a hard
# link, unlink and re-creation, mount --move, a bind mount over the
# directory and its umount, a write open after a cached read, another
# root (chroot), renameat2(RENAME_EXCHANGE) and io_uring's, a bind mount of the file alone, a hard link made by a governed
# task; and a rename racing with opens never leaves a stale allow.  A
# hit's counts (checks, rule allows, hits) stay exact across reloads.
# guest-timeout: 900

P=/tmp/pol87
V=/v87
S=/run/enforcer/enforcer.sock
cg_make t87/a
cg_make t87/b
cg_make t87/c
# a tmpfs of its own, private (mount --move needs a private parent)
mkdir -p $V
mount -t tmpfs t87 $V
mount --make-private $V
mkdir -p $V/ok/sub $V/deny $V/nr $V/ro $V/rok $V/m1 $V/deny/m1 $V/croot/cr $V/bdeny
for f in ok/f1 ok/f2 ok/f2b ok/f3 ok/f4 ok/f5 ok/f6 ok/f7 ok/f8 ok/sub/g ok/h ok/u ok/t ro/f rok/f \
	croot/cr/f bdeny/f1; do
	echo data > $V/$f
done
chmod -R a+rwX $V

write_policy $P a <<INI
[policy]
cgroup = /t87/a
[file]
deny = $V/deny/
deny = $V/bdeny/
deny = $V/rdeny/
deny = $V/nr/ read            ; only reading denied: a governed task may move files in
readonly = $V/ro/
deny = /cr/                   ; by path alone: only inside the chroot $V/croot
INI
write_policy $P b <<INI
[policy]
cgroup = /t87/b
[file]
deny = $V/ok/f3
deny = $V/ok/f2b
INI
write_policy $P pod <<INI
[policy]
namespace = t87ns
[file]
deny = $V/ok/f4
INI

start_enforcerd $P

st() { enforcerctl --json stats | jsonget "$1"; }
# gopen CG [w] FILE...: one shell joins cgroup CG and, with no exec after
# (so no program's open is counted), opens each FILE for reading (w: for
# appending); prints ok or the errno's name per file
gopen() {
	_cg=$1
	shift
	_mode=r
	[ "$1" = w ] && { _mode=w; shift; }
	sh -c '
	echo $$ > "$0/cgroup.procs" || exit 125
	mode=$1; shift
	out=
	for f; do
		if [ "$mode" = w ]; then e=$( { : >> "$f"; } 2>&1 ); else e=$( { : < "$f"; } 2>&1 ); fi
		case "$e" in
		"") r=ok ;;
		*"not permitted"*) r=EPERM ;;
		*"ermission denied"*) r=EACCES ;;
		*"o such file"*) r=ENOENT ;;
		*) r="other($e)" ;;
		esac
		out="$out${out:+ }$r"
	done
	echo "$out"' "$CG_ROOT/${_cg#/}" "$_mode" "$@"
}
# counters before a step: F0 fills, H0 hits; delta: "fills hits" since
mark() { F0=$(st verdict_cache_fills); H0=$(st verdict_cache_hits); }
delta() { echo "$(($(st verdict_cache_fills) - F0)) $(($(st verdict_cache_hits) - H0))"; }
# fill_hit NAME FILE: opened twice, the first fills, the second hits
fill_hit() {
	mark
	is "$(gopen t87/a "$2" "$2")" "ok ok" "$1: $2 read twice"
	is "$(delta)" "1 1" "$1: the first open filled the cache, the second hit it"
}
denied_line() {
	wait_audit "\"path\":\"$1\"" 5
	like "$(grep "\"path\":\"$1\"" $AUDIT_LOG | tail -n 1)" "\"action\":\"deny\".*\"access\":\"$2\"" \
		"$3: the audit line names $1, access $2"
}

# ---- the cache is used ----
mark
is "$(gopen t87/a $V/ok/f1 $V/ok/f1 $V/ok/f1 $V/ok/f1 $V/ok/f1)" "ok ok ok ok ok" "five reads of one file"
is "$(delta)" "1 4" "one fill, four hits"
mark
is "$(gopen t87/a $V/deny/nofile)" ENOENT "control: a missing file"
is "$(gopen t87/a $V/bdeny/f1 $V/bdeny/f1)" "EPERM EPERM" "a denial is judged every time"
is "$(delta)" "0 0" "... never stored"
denied_line $V/bdeny/f1 read "denial"
mark
is "$(in_cg t87/c sh -c "exec 3< $V/ok/f1 && echo ok")" ok "an ungoverned cgroup reads"
is "$(delta)" "0 0" "... without the cache"

# ---- reload to a policy that denies it ----
fill_hit reload $V/ok/f2
sed -i "s|^deny = /cr/ .*|&\ndeny = $V/ok/f2|" $P/a.ini
is "$(enforcerctl reload >/dev/null 2>&1; echo $?)" 0 "reload with deny = $V/ok/f2"
is "$(gopen t87/a $V/ok/f2)" EPERM "reload: the next open is denied"
denied_line $V/ok/f2 read reload

# ---- live bind of the cgroup to another policy ----
fill_hit bind $V/ok/f4
like "$(sockclient -s 'bind /t87/a namespace=t87ns\n' -c 1 $S)" '"ok":true' "bind /t87/a namespace=t87ns"
is "$(gopen t87/a $V/ok/f4)" EPERM "bind: the next open is denied"
denied_line $V/ok/f4 read bind

# ---- the task moved to another cgroup ----
fill_hit cgroup $V/ok/f3
is "$(gopen t87/b $V/ok/f3)" EPERM "cgroup: a process in t87/b is denied f3 (another stack)"
denied_line $V/ok/f3 read cgroup
# one shell reads f2b in t87/a, blocks opening a fifo, is moved to t87/b by
# the harness (a governed task may not move itself), reads f2b again (in a
# subshell: a failed redirection of `:` ends a shell)
rm -f /tmp/fifo87 /tmp/pid87
mkfifo /tmp/fifo87
sh -c 'echo $$ > "$0/cgroup.procs" || exit 125
	( : < "$1" ) 2>/dev/null && echo ok || echo denied
	echo $$ > /tmp/pid87
	read x < /tmp/fifo87
	( : < "$1" ) 2>/dev/null && echo ok || echo denied' "$CG_ROOT/t87/a" $V/ok/f2b > /tmp/out87 2>/tmp/err87 &
MP=$!
i=0
while [ ! -s /tmp/pid87 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
MPID=$(cat /tmp/pid87)
echo "$MPID" > "$CG_ROOT/t87/b/cgroup.procs"
is "$(cat /proc/$MPID/cgroup 2>&1)" "0::/t87/b" "cgroup: the reader was moved to t87/b"
echo go > /tmp/fifo87
wait $MP
diag "cgroup: reader exit $?, stderr: $(cat /tmp/err87)"
is "$(cat /tmp/out87)" "ok
denied" "cgroup: one process reads f2b in t87/a, then, moved to t87/b, is denied"


# ---- rename of the file, of a directory above it ----
fill_hit "rename (ungoverned)" $V/ok/f5
mv $V/ok/f5 $V/deny/f5
is "$(gopen t87/a $V/deny/f5)" EPERM "rename (ungoverned): the file moved into deny/ is denied"
denied_line $V/deny/f5 read "rename (ungoverned)"
fill_hit "rename (governed)" $V/ok/f6
is "$(in_cg t87/a trick rename $V/ok/f6 $V/nr/f6)" ok "rename (governed): it moves f6 into nr/ (create allowed there)"
is "$(gopen t87/a $V/nr/f6)" EPERM "rename (governed): the file moved into nr/ is denied"
like "$(grep "\"path\":\"$V/nr/f6\"" $AUDIT_LOG | tail -n 1)" '"right":"read"' "rename (governed): the audit line names the right read"
fill_hit "directory rename (ungoverned)" $V/ok/sub/g
mv $V/ok/sub $V/deny/sub
is "$(gopen t87/a $V/deny/sub/g)" EPERM "directory rename (ungoverned): a file below a directory moved into deny/"
denied_line $V/deny/sub/g read "directory rename (ungoverned)"
mkdir -p $V/ok/sub2 && echo data > $V/ok/sub2/g && chmod -R a+rwX $V/ok/sub2
fill_hit "directory rename (governed)" $V/ok/sub2/g
is "$(in_cg t87/a trick rename $V/ok/sub2 $V/nr/sub2)" ok "directory rename (governed): it moves sub2 into nr/"
is "$(gopen t87/a $V/nr/sub2/g)" EPERM "directory rename (governed): a file below it is denied"
denied_line $V/nr/sub2/g read "directory rename (governed)"

# ---- hard link, unlink, re-creation ----
fill_hit link $V/ok/h
ln $V/ok/h $V/deny/h
is "$(gopen t87/a $V/deny/h)" EPERM "link: the allowed file's hard link in deny/ is denied"
denied_line $V/deny/h read link
mark
is "$(gopen t87/a $V/ok/h $V/ok/h)" "ok ok" "link: the first name still reads"
is "$(delta)" "0 0" "link: ... judged each time: two names, never cached"
rm $V/deny/h
mark
is "$(gopen t87/a $V/ok/h $V/ok/h)" "ok ok" "link: one name again, reads"
is "$(delta)" "1 1" "link: ... filled and hit again (the unlink killed the entry; one name, judged anew)"
fill_hit unlink $V/ok/u
rm $V/ok/u
is "$(gopen t87/a $V/ok/u)" ENOENT "unlink: gone"
echo new > $V/ok/u
mark
is "$(gopen t87/a $V/ok/u)" ok "unlink: re-created, it reads"
is "$(delta)" "1 0" "unlink: ... a new inode: judged and filled, no hit"

# ---- mounts ----
mkdir -p $V/ok/m
mount -t tmpfs t87m $V/ok/m
echo data > $V/ok/m/f && chmod 666 $V/ok/m/f
fill_hit "mount --move" $V/ok/m/f
mount --move $V/ok/m $V/deny/m1
is "$(gopen t87/a $V/deny/m1/f)" EPERM "mount --move: the same file (dentry, mount) under deny/ is denied"
denied_line $V/deny/m1/f read "mount --move"
umount $V/deny/m1
fill_hit "bind mount" $V/ok/f7
mount --bind $V/bdeny $V/ok
is "$(gopen t87/a $V/ok/f1)" EPERM "bind mount: bdeny/ mounted over ok/: its f1 is denied"
umount $V/ok
mark
is "$(gopen t87/a $V/ok/f7 $V/ok/f7)" "ok ok" "umount: ok/f7 reads again"
is "$(delta)" "1 1" "umount: ... judged again (the mount changed), then cached"

# ---- a write after a cached read ----
fill_hit "write after read" $V/ro/f
is "$(gopen t87/a w $V/ro/f)" EPERM "write after read: a write open of the readonly file is denied"
denied_line $V/ro/f write "write after read"

# ---- another root ----
fill_hit chroot $V/croot/cr/f
# chroot needs a privilege a governed task lacks: the harness chroots, the
# chrooted shell (busybox, static) joins t87/a through an inherited fd
cp /bin/busybox $V/croot/sh
is "$( (exec 9> "$CG_ROOT/t87/a/cgroup.procs"; chroot $V/croot /sh -c 'echo $$ >&9 || exit 125
	if e=$( { : < /cr/f; } 2>&1 ); then echo ok; else case $e in *"not permitted"*) echo EPERM ;; *) echo "other($e)" ;; esac; fi') )" \
	EPERM "chroot: the same file as /cr/f inside the chroot is denied (by path)"
denied_line /cr/f read chroot

# ---- RENAME_EXCHANGE, a single file's bind mount, a governed task's link ----
for f in ok/x1 deny/x2 ok/x3 deny/x4 ok/fb deny/fbt ok/gl; do
	echo data > $V/$f
	chmod a+rw $V/$f
done
fill_hit "exchange (ungoverned)" $V/ok/x1
is "$(attack exchange $V/ok/x1 $V/deny/x2)" ok "exchange (ungoverned): renameat2(RENAME_EXCHANGE) ok/x1 <-> deny/x2"
is "$(gopen t87/a $V/deny/x2)" EPERM "exchange (ungoverned): the cached file, now deny/x2, is denied"
denied_line $V/deny/x2 read "exchange (ungoverned)"
is "$(gopen t87/a $V/ok/x1)" ok "exchange (ungoverned): the other file, now ok/x1, reads"
fill_hit "exchange (io_uring)" $V/ok/x3
r=$(attack uring-rename $V/ok/x3 $V/deny/x4 x)
case $r in
SETUP-*)
	skip "exchange (io_uring): the cached file swapped into deny/" "no io_uring here: $r" ;;
*)
	is "$r" ok "exchange (io_uring): IORING_OP_RENAMEAT with RENAME_EXCHANGE ok/x3 <-> deny/x4 (ungoverned)"
	is "$(gopen t87/a $V/deny/x4)" EPERM "exchange (io_uring): the cached file, now deny/x4, is denied"
	denied_line $V/deny/x4 read "exchange (io_uring)" ;;
esac
fill_hit "file bind mount" $V/ok/fb
mount --bind $V/ok/fb $V/deny/fbt
is "$(gopen t87/a $V/deny/fbt)" EPERM "file bind mount: the cached file bind-mounted on deny/fbt is denied there"
denied_line $V/deny/fbt read "file bind mount"
is "$(gopen t87/a $V/ok/fb)" ok "file bind mount: ... and still reads as ok/fb"
umount $V/deny/fbt
fill_hit "link (governed)" $V/ok/gl
is "$(in_cg t87/a sh -c "ln $V/ok/gl $V/nr/gl && echo ok")" ok "link (governed): it links ok/gl into nr/ (create allowed there)"
is "$(gopen t87/a $V/nr/gl)" EPERM "link (governed): the cached file's new name in nr/ is denied"
denied_line $V/nr/gl read "link (governed)"
is "$(in_cg t87/a sh -c "rm $V/nr/gl && echo ok")" ok "link (governed): it removes that name again"
mark
is "$(gopen t87/a $V/ok/gl $V/ok/gl)" "ok ok" "link (governed): ok/gl, one name again, reads"
is "$(delta)" "1 1" "link (governed): ... filled and hit again (judged anew after the unlink)"

# ---- a hit's accounting across reloads (cache_hit_account, cache_acct.c) ----
# A hit counts one per-CPU add in the allowing rule's slot; enforcerd adds
# it to the policy's checks, the rule's allows and verdict_cache_hits, and
# folds it out before the slot is zeroed.  acct: "checks denials audits"
# of policy b's file hook, the allows of its file default, the hits.
acct() {
	_c=$(enforcerctl --json stats | grep -o '"name":"b",[^]]*' |
		grep -o '"file":{"checks":[0-9]*,"denials":[0-9]*,"audits":[0-9]*' |
		sed 's/[^0-9,]//g; s/,/ /g; s/^ *//')
	_d=$(enforcerctl --json stats --rules | grep -o '{"policy":"b",[^}]*}' |
		jsonget -m hook=file -m rule=default allowed)
	echo "$_c ${_d:-none} $(st verdict_cache_hits)"
}
# dacct BEFORE AFTER: the five differences
dacct() { echo "$1 $2" | awk '{ print $6 - $1, $7 - $2, $8 - $3, $9 - $4, $10 - $5 }'; }
echo data > $V/ok/acct
A0=$(acct)
is "$(gopen t87/b $V/ok/acct $V/ok/acct $V/ok/acct)" "ok ok ok" "accounting: three reads in t87/b"
is "$(dacct "$A0" "$(acct)")" "3 0 0 3 2" "accounting: 3 checks, 3 allows by b's file default, 2 cache hits"
A1=$(acct)
# b's rules change: its rule counts start at zero (a new range of slots),
# its checks and the cache's hits stay (the old slots are counted until a
# reload writes their half again, then folded and zeroed)
echo "deny = $V/ok/acct-no1" >> $P/b.ini
is "$(enforcerctl reload >/dev/null 2>&1; echo $?)" 0 "accounting: reload with b's rules changed"
A2=$(acct)
is "$(dacct "$A1" "$A2" | cut -d' ' -f1,2,3,5)" "0 0 0 0" "accounting: after it, b's checks and the hits as before"
is "$(echo "$A2" | cut -d' ' -f4)" 0 "accounting: b's file default counts from zero"
is "$(gopen t87/b $V/ok/acct $V/ok/acct $V/ok/acct)" "ok ok ok" "accounting: three reads again"
is "$(dacct "$A2" "$(acct)")" "3 0 0 3 2" "accounting: 3 checks, 3 allows, 2 hits (the first filled again)"
A3=$(acct)
echo "deny = $V/ok/acct-no2" >> $P/b.ini
is "$(enforcerctl reload >/dev/null 2>&1; echo $?)" 0 "accounting: a second change (its half: the first range's, folded now)"
is "$(dacct "$A3" "$(acct)" | cut -d' ' -f1,2,3,5)" "0 0 0 0" "accounting: b's checks and the hits kept through the fold"
is "$(enforcerctl reload >/dev/null 2>&1; echo $?)" 0 "accounting: a reload with nothing changed"
echo "deny = $V/ok/acct-no3" >> $P/b.ini
is "$(enforcerctl reload >/dev/null 2>&1; echo $?)" 0 "accounting: a third change (the second range folded)"
is "$(dacct "$A3" "$(acct)" | cut -d' ' -f1,2,3,5)" "0 0 0 0" "accounting: ... kept again"
# a new policy takes freed slots: it counts from zero, b keeps its counts
cg_make t87/d
write_policy $P acctnew <<INI
[policy]
cgroup = /t87/d
[file]
deny = $V/ok/acct-no
INI
is "$(enforcerctl reload >/dev/null 2>&1; echo $?)" 0 "accounting: reload with a new policy"
is "$(enforcerctl --json stats --rules | grep -o '{"policy":"acctnew",[^}]*}' |
	jsonget -m hook=file -m rule=default allowed)" 0 "accounting: the new policy's default counts from zero"
is "$(gopen t87/d $V/ok/acct $V/ok/acct)" "ok ok" "accounting: two reads under the new policy"
is "$(enforcerctl --json stats --rules | grep -o '{"policy":"acctnew",[^}]*}' |
	jsonget -m hook=file -m rule=default allowed)" 2 "accounting: ... its default counts them (one hit)"
is "$(dacct "$A3" "$(acct)" | cut -d' ' -f1,2,3)" "0 0 0" "accounting: b's checks unchanged by them"
is "$(dacct "$A3" "$(acct)" | cut -d' ' -f5)" 1 "accounting: the hits: one more"
rm -f $P/acctnew.ini

# ---- a rename racing with opens ----
# an open resolves its path before the LSM hook runs: a rename between the
# two lets the hook judge the new name, cached or not (seen: 0 or 1 in
# ~5000); a stale cached allow reads rdeny/f thousands of times (the cache
# without the rename_lock compare: 13644 of 13644 that found the file)
rename_race t87/a open f gopen 200 1001
diag "verdict cache: fills $(st verdict_cache_fills), hits $(st verdict_cache_hits)"

stop_enforcerd
umount $V
rm -rf $V
