# SPDX-License-Identifier: GPL-2.0-only
# 19-exec-cache.sh - the verdict cache of an exec and of a PROT_EXEC mapping
# (issue 16, bpf-lsm/vcache.bpf.h, kinds VC_EXEC and VC_MMAP): an allowed
# exec is stored on the binary's inode and answers the next one (stats
# exec_cache_fills / exec_cache_hits, mmap_cache_fills / mmap_cache_hits
# move as the execs say), and every change of what the verdict depends on
# gives the next exec the new verdict (errno and audit line): a reload, a
# live bind, another cgroup, a rename of the binary and of a directory
# above it (by an ungoverned and by a governed process), a hard link,
# unlink and re-creation, a bind mount over the directory and its umount,
# mount --move, a bind mount of the binary alone (by an ungoverned and a
# governed process); ld.so running a binary moved under a denied name (the
# mmap route); a memfd exec is never stored; renames racing with execs
# never leave a stale allow.  A hit's counts (exec checks, rule allows,
# hits) stay exact across reloads.
# guest-timeout: 900

# the pins the script before this one left are adopted (t/vm/lib.sh): its
# programs are this build's, its checks need no fresh load
ADOPT_PINS=1

P=/tmp/pol19
V=/v19
S=/run/enforcer/enforcer.sock
LDSO=/lib64/ld-linux-x86-64.so.2
cg_make t19/a
cg_make t19/b
cg_make t19/c
cg_make t19/al
mkdir -p $V
mount -t tmpfs t19 $V
mount --make-private $V
mkdir -p $V/ok/sub $V/deny/m1 $V/bdeny $V/rok
for f in ok/x1 ok/x2 ok/x3 ok/x4 ok/x5 ok/x6 ok/x7 ok/x8 ok/x9 ok/sub/g ok/fb ok/gb ok/gl \
	deny/y bdeny/b1 rok/x; do
	cp /usr/bin/allowme $V/$f
done
cp /bin/enforcerctl $V/ok/dyn
cp /bin/enforcerctl $V/ok/dyn2
: > $V/deny/fbt
: > $V/deny/gbt
chmod -R a+rwX $V

write_policy $P a <<INI
[policy]
cgroup = /t19/a
[exec]
deny = $V/deny/
deny = $V/bdeny/
deny = $V/rdeny/
[capabilities]
allow = CAP_SYS_ADMIN   ; a governed process mounts (invalidation by governed mounts)
INI
write_policy $P b <<INI
[policy]
cgroup = /t19/b
[exec]
deny = $V/ok/x3
INI
write_policy $P pod <<INI
[policy]
namespace = t19ns
[exec]
deny = $V/ok/x4
[capabilities]
allow = CAP_SYS_ADMIN   ; bound to t19/a below: its governed mount still passes
INI
write_policy $P al <<INI
[policy]
cgroup = /t19/al
[exec]
default = deny
allow = /bin/
allow = /usr/bin/
INI

start_enforcerd $P

# (st: t/vm/lib.sh) the exec and mapping counters before a step; xdelta:
# "fills hits" of execs since, mdelta: of mappings
xmark() {
	F0=$(st exec_cache_fills); H0=$(st exec_cache_hits)
	MF0=$(st mmap_cache_fills); MH0=$(st mmap_cache_hits)
}
xdelta() { echo "$(($(st exec_cache_fills) - F0)) $(($(st exec_cache_hits) - H0))"; }
mdelta() { echo "$(($(st mmap_cache_fills) - MF0)) $(($(st mmap_cache_hits) - MH0))"; }
# fill_hit NAME FILE: run twice, the first fills, the second hits
fill_hit() {
	xmark
	is "$(gexec t19/a "$2" "$2")" "ok ok" "$1: $2 run twice"
	is "$(xdelta)" "1 1" "$1: the first exec filled the cache, the second hit it"
}
xdenied_line() {
	wait_audit "\"path\":\"$1\"" 5
	like "$(grep "\"path\":\"$1\"" $AUDIT_LOG | tail -n 1)" "\"action\":\"deny\".*\"op\":\"$2\"" \
		"$3: the audit line names $1, op $2"
}

# ---- the cache is used ----
xmark
is "$(gexec t19/a $V/ok/x1 $V/ok/x1 $V/ok/x1 $V/ok/x1)" "ok ok ok ok" "four execs of one binary"
is "$(xdelta)" "1 3" "one exec fill, three hits"
m=$(mdelta)
diag "mappings: fills hits = $m"
ok "its PROT_EXEC mapping: one fill, a hit on each later exec ($m)" \
	sh -c '[ "${1% *}" = 1 ] && [ "${1#* }" -ge 3 ]' - "$m"
xmark
is "$(gexec t19/a $V/deny/y $V/deny/y)" "EPERM EPERM" "a denial is judged every time"
is "$(xdelta) $(mdelta)" "0 0 0 0" "... never stored"
xdenied_line $V/deny/y exec "denial"
xmark
is "$(gexec t19/c $V/ok/x1 $V/ok/x1)" "ok ok" "an ungoverned cgroup runs it"
is "$(xdelta) $(mdelta)" "0 0 0 0" "... without the cache"

# ---- reload to a policy that denies it ----
fill_hit reload $V/ok/x2
sed -i "s|^deny = $V/rdeny/|&\ndeny = $V/ok/x2|" $P/a.ini
is "$(enforcerctl reload >/dev/null 2>&1; echo $?)" 0 "reload with deny = $V/ok/x2"
is "$(gexec t19/a $V/ok/x2)" EPERM "reload: the next exec is denied"
xdenied_line $V/ok/x2 exec reload

# ---- live bind of the cgroup to another policy ----
fill_hit bind $V/ok/x4
like "$(sockclient -s 'bind /t19/a namespace=t19ns\n' -c 1 $S)" '"ok":true' "bind /t19/a namespace=t19ns"
is "$(gexec t19/a $V/ok/x4)" EPERM "bind: the next exec is denied"
xdenied_line $V/ok/x4 exec bind

# ---- another cgroup ----
fill_hit cgroup $V/ok/x3
is "$(gexec t19/b $V/ok/x3)" EPERM "cgroup: a process in t19/b is denied x3 (another stack)"
xdenied_line $V/ok/x3 exec cgroup

# ---- rename of the binary, of a directory above it ----
fill_hit "rename (ungoverned)" $V/ok/x5
mv $V/ok/x5 $V/deny/x5
is "$(gexec t19/a $V/deny/x5)" EPERM "rename (ungoverned): the binary moved into deny/ is denied"
xdenied_line $V/deny/x5 exec "rename (ungoverned)"
fill_hit "rename (governed)" $V/ok/x6
is "$(in_cg t19/a trick rename $V/ok/x6 $V/deny/x6)" ok "rename (governed): a t19/a process moves x6 into deny/"
is "$(gexec t19/a $V/deny/x6)" EPERM "rename (governed): the binary moved into deny/ is denied"
xdenied_line $V/deny/x6 exec "rename (governed)"
fill_hit "directory rename (ungoverned)" $V/ok/sub/g
mv $V/ok/sub $V/deny/sub
is "$(gexec t19/a $V/deny/sub/g)" EPERM "directory rename (ungoverned): a binary below a directory moved into deny/"
xdenied_line $V/deny/sub/g exec "directory rename (ungoverned)"
mkdir -p $V/ok/sub2 && cp /usr/bin/allowme $V/ok/sub2/g && chmod -R a+rwX $V/ok/sub2
fill_hit "directory rename (governed)" $V/ok/sub2/g
is "$(in_cg t19/a trick rename $V/ok/sub2 $V/deny/sub2)" ok "directory rename (governed): it moves sub2 into deny/"
is "$(gexec t19/a $V/deny/sub2/g)" EPERM "directory rename (governed): a binary below it is denied"
xdenied_line $V/deny/sub2/g exec "directory rename (governed)"

# ---- hard link, unlink, re-creation ----
fill_hit link $V/ok/x7
ln $V/ok/x7 $V/deny/x7
is "$(gexec t19/a $V/deny/x7)" EPERM "link: the allowed binary's hard link in deny/ is denied"
xdenied_line $V/deny/x7 exec link
xmark
is "$(gexec t19/a $V/ok/x7 $V/ok/x7)" "ok ok" "link: the first name still runs"
is "$(xdelta)" "0 0" "link: ... judged each time: two names, never cached"
rm $V/deny/x7
xmark
is "$(gexec t19/a $V/ok/x7 $V/ok/x7)" "ok ok" "link: one name again, runs"
is "$(xdelta)" "1 1" "link: ... filled and hit again (the unlink killed the entry; one name, judged anew)"
fill_hit "link (governed)" $V/ok/gl
is "$(in_cg t19/a sh -c "ln $V/ok/gl $V/deny/gl && echo ok")" ok "link (governed): it links ok/gl into deny/"
is "$(gexec t19/a $V/deny/gl)" EPERM "link (governed): the cached binary's new name in deny/ is denied"
xdenied_line $V/deny/gl exec "link (governed)"
fill_hit unlink $V/ok/x8
rm $V/ok/x8
is "$(gexec t19/a $V/ok/x8)" ENOENT "unlink: gone"
cp /usr/bin/allowme $V/ok/x8
xmark
is "$(gexec t19/a $V/ok/x8)" ok "unlink: re-created, it runs"
is "$(xdelta)" "1 0" "unlink: ... a new inode: judged and filled, no hit"

# ---- mounts ----
mkdir -p $V/ok/m
mount -t tmpfs t19m $V/ok/m
cp /usr/bin/allowme $V/ok/m/f && chmod 755 $V/ok/m/f
fill_hit "mount --move" $V/ok/m/f
mount --move $V/ok/m $V/deny/m1
is "$(gexec t19/a $V/deny/m1/f)" EPERM "mount --move: the same binary (dentry, mount) under deny/ is denied"
xdenied_line $V/deny/m1/f exec "mount --move"
umount $V/deny/m1
fill_hit "bind mount" $V/ok/x9
mount --bind $V/bdeny $V/ok
is "$(gexec t19/a $V/ok/b1)" EPERM "bind mount: bdeny/ mounted over ok/: its b1 is denied"
umount $V/ok
xmark
is "$(gexec t19/a $V/ok/x9 $V/ok/x9)" "ok ok" "umount: ok/x9 runs again"
is "$(xdelta)" "1 1" "umount: ... judged again (the mount changed), then cached"
fill_hit "file bind mount (ungoverned)" $V/ok/fb
mount --bind $V/ok/fb $V/deny/fbt
is "$(gexec t19/a $V/deny/fbt)" EPERM "file bind mount (ungoverned): the cached binary bind-mounted on deny/fbt is denied there"
xdenied_line $V/deny/fbt exec "file bind mount (ungoverned)"
is "$(gexec t19/a $V/ok/fb)" ok "file bind mount (ungoverned): ... and still runs as ok/fb"
umount $V/deny/fbt
fill_hit "file bind mount (governed)" $V/ok/gb
r=$(in_cg t19/a trick mount-bind $V/ok/gb $V/deny/gbt)
is "$r" ok "file bind mount (governed): a t19/a process (CAP_SYS_ADMIN allowed) binds ok/gb on deny/gbt"
is "$(gexec t19/a $V/deny/gbt)" EPERM "file bind mount (governed): the cached binary is denied there"
xdenied_line $V/deny/gbt exec "file bind mount (governed)"
umount $V/deny/gbt 2>/dev/null

# ---- ld.so runs a binary by mapping it (mmap_file) ----
xmark
is "$(in_cg t19/a $LDSO $V/ok/dyn --help >/dev/null 2>&1; echo $?)" 0 "ld.so: ld.so $V/ok/dyn --help runs"
is "$(in_cg t19/a $LDSO $V/ok/dyn --help >/dev/null 2>&1; echo $?)" 0 "ld.so: ... twice"
m=$(mdelta)
ok "ld.so: its mappings filled the cache, then hit it ($m)" sh -c '[ "${1% *}" -ge 1 ] && [ "${1#* }" -ge 1 ]' - "$m"
mv $V/ok/dyn $V/deny/dyn
is "$(in_cg t19/a $LDSO $V/deny/dyn --help >/dev/null 2>&1; echo $?)" 127 \
	"ld.so: the binary moved into deny/: ld.so cannot map it (exit 127)"
xdenied_line $V/deny/dyn mmap_exec "ld.so (rename)"
is "$(in_cg t19/a $LDSO $V/ok/dyn2 --help >/dev/null 2>&1; echo $?)" 0 "ld.so: ok/dyn2 runs (filled)"
sed -i "s|^deny = $V/rdeny/|&\ndeny = $V/ok/dyn2|" $P/a.ini
is "$(enforcerctl reload >/dev/null 2>&1; echo $?)" 0 "reload with deny = $V/ok/dyn2"
is "$(in_cg t19/a $LDSO $V/ok/dyn2 --help >/dev/null 2>&1; echo $?)" 127 "ld.so (reload): ok/dyn2 no longer maps (exit 127)"
xdenied_line $V/ok/dyn2 mmap_exec "ld.so (reload)"

# ---- a memfd exec: no name, never stored ----
is "$(in_cg t19/a trick memfd-exec /usr/bin/allowme)" ok "memfd: warm-up (trick's own exec filled)"
xmark
is "$(in_cg t19/a trick memfd-exec /usr/bin/allowme)" ok "memfd: the payload runs"
is "$(in_cg t19/a trick memfd-exec /usr/bin/allowme)" ok "memfd: ... twice"
is "$(xdelta)" "0 2" "memfd: only trick's own execs hit; the memfd's exec was never stored"
is "$(in_cg t19/al trick memfd-exec /usr/bin/allowme)" EPERM "memfd: denied under default = deny"
is "$(in_cg t19/al trick memfd-exec /usr/bin/allowme)" EPERM "memfd: ... every time"

# ---- a hit's accounting across reloads (cache_hit_account, cache_acct.c) ----
# An exec hit counts one per-CPU add in the allowing rule's slot (here b's
# exec default); enforcerd adds it to b's exec checks, the rule's allows
# and exec_cache_hits, and folds it out before the slot is zeroed.  xacct:
# "checks denials audits" of b's exec hook, the allows of its exec
# default, the exec cache's hits; dxacct BEFORE AFTER: the differences.
xacct() {
	_c=$(enforcerctl --json stats | grep -o '"name":"b",[^]]*' |
		grep -o '"exec":{"checks":[0-9]*,"denials":[0-9]*,"audits":[0-9]*' |
		sed 's/[^0-9,]//g; s/,/ /g; s/^ *//')
	_d=$(enforcerctl --json stats --rules | grep -o '{"policy":"b",[^}]*}' |
		jsonget -m hook=exec -m rule=default allowed)
	echo "$_c ${_d:-none} $(st exec_cache_hits)"
}
dxacct() { echo "$1 $2" | awk '{ print $6 - $1, $7 - $2, $8 - $3, $9 - $4, $10 - $5 }'; }
cp /usr/bin/allowme $V/ok/xa && chmod 755 $V/ok/xa
A0=$(xacct)
is "$(gexec t19/b $V/ok/xa $V/ok/xa $V/ok/xa)" "ok ok ok" "accounting: three execs in t19/b"
is "$(dxacct "$A0" "$(xacct)")" "3 0 0 3 2" "accounting: 3 exec checks, 3 allows by b's exec default, 2 cache hits"
A1=$(xacct)
echo "deny = $V/ok/xa-no1" >> $P/b.ini
is "$(enforcerctl reload >/dev/null 2>&1; echo $?)" 0 "accounting: reload with b's rules changed"
A2=$(xacct)
is "$(dxacct "$A1" "$A2" | cut -d' ' -f1,2,3,5)" "0 0 0 0" "accounting: after it, b's exec checks and the hits as before"
is "$(echo "$A2" | cut -d' ' -f4)" 0 "accounting: b's exec default counts from zero"
is "$(gexec t19/b $V/ok/xa $V/ok/xa $V/ok/xa)" "ok ok ok" "accounting: three execs again"
is "$(dxacct "$A2" "$(xacct)")" "3 0 0 3 2" "accounting: 3 checks, 3 allows, 2 hits (the first filled again)"
A3=$(xacct)
echo "deny = $V/ok/xa-no2" >> $P/b.ini
is "$(enforcerctl reload >/dev/null 2>&1; echo $?)" 0 "accounting: a second change (its half: the first range's, folded now)"
is "$(dxacct "$A3" "$(xacct)" | cut -d' ' -f1,2,3,5)" "0 0 0 0" "accounting: b's exec checks and the hits kept through the fold"
echo "deny = $V/ok/xa-no3" >> $P/b.ini
is "$(enforcerctl reload >/dev/null 2>&1; echo $?)" 0 "accounting: a third change (the second range folded)"
is "$(dxacct "$A3" "$(xacct)" | cut -d' ' -f1,2,3,5)" "0 0 0 0" "accounting: ... kept again"

# ---- renames racing with execs ----
# an exec resolves its path before the hook (and opens and reads the file
# between the two): a rename back in that window lets the hook judge the
# allowed name, cached or not (seen: 0 to 4 in ~100 resolved); a stale
# cached allow runs rdeny/x whenever its path resolved
rename_race t19/a exec x gexec 4 20
diag "exec cache: fills $(st exec_cache_fills), hits $(st exec_cache_hits); mmap: fills $(st mmap_cache_fills), hits $(st mmap_cache_hits)"

stop_enforcerd
umount $V 2>/dev/null || umount -l $V
rm -rf $V
