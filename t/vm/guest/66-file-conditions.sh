# SPDX-License-Identifier: GPL-2.0-only
# 66-file-conditions.sh - issue 19, file rules as peers' users write them:
# removing an entry is a write to its parent directory (Landlock: with
# readonly = /lr/ and allow = /lr/s1d1/s1d2/, s1d2 itself cannot be
# removed or renamed away, its entries can); the owner conditions
# (KubeArmor's ownerOnly: `allow = DIR/ owner`, `readonly = ... owner`,
# `allow = ... owner-write`), judged by the file's owner at the time of
# the access (a chown after the load counts), through hard links,
# symlinks and bind mounts, and on exec rules (ownerOnly on a process:
# the program's owner alone runs it, root included; links, a copy, a
# chown after the load); rights of their own (Landlock's truncate,
# make/remove and refer: `deny = DIR/ truncate`, `allow = DIR/ read write
# create remove refer`, a file may not gain a right by moving).  Exact
# errno, the audit line, a sibling cgroup unaffected.
# guest-timeout: 900

# the pins the bypass script before this one left are adopted (t/vm/lib.sh):
# its programs are this build's, its checks need no fresh load
ADOPT_PINS=1

P=/tmp/pol66
L=/lr66
cg_make t66/bound
cg_make t66/sibling
cg_make t66/owner
cg_make t66/rights
RC=/t66/rights
B=/t66/bound
S=/t66/sibling
O=/t66/owner

# Landlock's layout: /lr/s1d1/{f1,s1d2/{f2,s1d3/}}
mkdir -p $L/s1d1/s1d2/s1d3 $L/s1d1/other
for f in s1d1/f1 s1d1/s1d2/f2; do echo data > $L/$f; done
chmod -R 777 $L

write_policy $P lr <<INI
[policy]
cgroup = $B
[file]
readonly = $L/
allow = $L/s1d1/s1d2/
INI

# ---- owner conditions: a tmpfs of its own (links, binds) ----
H=/srv66
mkdir -p $H /mnt/t66
mount -t tmpfs -o mode=755 t66 $H
mkdir -p $H/home/a $H/home/b $H/ro $H/pub $H/out
for f in home/a/f home/a/g home/b/f ro/f pub/f; do echo data > $H/$f; done
chmod 777 $H/home/a $H/home/b $H/out $H/ro $H/pub
chmod 666 $H/home/a/f $H/home/a/g $H/home/b/f $H/ro/f $H/pub/f
chown 1000 $H/home/a $H/home/a/f $H/home/a/g $H/ro/f $H/pub/f
chown 1001 $H/home/b $H/home/b/f
write_policy $P owner <<INI
[policy]
cgroup = $O
[file]
allow = $H/home/ owner          ; only the owner reads or writes
readonly = $H/ro/ owner         ; the owner reads, nobody writes
allow = $H/pub/ owner-write     ; everyone reads, only the owner writes
INI

# ---- owner on exec rules (KubeArmor's process ownerOnly) ----
X=$H/xbin
mkdir -p $X/sub $H/cp
chmod 777 $H/cp
for f in hello sub/rootprog sub/prog2; do cp /bin/probe $X/$f; done
chmod 755 $X/hello $X/sub/rootprog $X/sub/prog2
chown 1000 $X/hello $X/sub/prog2
cg_make t66/xowner
XO=/t66/xowner
write_policy $P xowner <<INI
[policy]
cgroup = $XO
[exec]
default = deny
allow = /bin/
allow = /usr/
allow = $X/hello owner          ; only its owner (uid 1000) runs it
allow = $X/sub/ owner           ; each program there only by its owner
allow = $H/out/                 ; anything there (its hard links: by identity)
INI

# ---- rights of their own: truncate, create, remove, refer ----
R=$H/r
mkdir -p $R/notrunc $R/rw $R/keep $R/ra $R/rb $R/s1 $R/s2 $R/s3/d
for f in notrunc/f rw/f keep/f ra/f s1/f s1/g s2/f s2/h s2/k s3/f s3/g; do echo data > $R/$f; done
chmod -R a+rwX $R
write_policy $P rights <<INI
[policy]
cgroup = $RC
[file]
deny = $R/notrunc/ truncate                       ; truncation only
allow = $R/rw/ read write create remove refer     ; all but truncate (Landlock's file_rw)
deny = $R/keep/ remove                            ; names come, never go
allow = $R/ra/ read write truncate create remove  ; no refer: nothing moves out or in
deny = $R/s1/ truncate
deny = $R/s3/ create                               ; no new names (Landlock's MAKE_* not granted)
INI

start_enforcerd $P

both() {
	_want=$1 _desc=$2
	shift 2
	is "$(in_cg $B "$@")" "$_want" "$_desc (root)"
	is "$(in_cg $B /bin/runas 1000 "$@")" "$_want" "$_desc (uid 1000)"
}

# ---- removing an entry is a write to its parent ----
both ok "remove: a new file in the allowed directory" sh -c "echo x > $L/s1d1/s1d2/new-\$\$ && echo ok"
both ok "remove: unlink an entry of the allowed directory" sh -c "echo x > $L/s1d1/s1d2/u-\$\$ && exec trick unlink $L/s1d1/s1d2/u-\$\$"
both ok "remove: rename within the allowed directory" sh -c "echo x > $L/s1d1/s1d2/r-\$\$ && exec trick rename $L/s1d1/s1d2/r-\$\$ $L/s1d1/s1d2/r2-\$\$"
both ok "remove: rmdir an empty directory below the allowed one" sh -c "mkdir $L/s1d1/s1d2/d-\$\$ && exec trick rmdir $L/s1d1/s1d2/d-\$\$"
both EPERM "remove: rmdir the allowed directory, not empty (judged before emptiness)" trick rmdir $L/s1d1/s1d2
rm -rf $L/s1d1/s1d2/*
both EPERM "remove: rmdir the empty allowed directory (the issue's case)" trick rmdir $L/s1d1/s1d2
F=$(grep '"op":"rmdir"' $AUDIT_LOG | tail -n 1)
like "$F" "\"rule\":\"readonly = $L/\"" "remove: the audit line names the parent's readonly rule"
like "$F" '"path":"s1d2","path_is_name":true,"access":"write"' "remove: ... the removed entry's name, access write"
both EPERM "remove: rename the allowed directory within its readonly parent" trick rename $L/s1d1/s1d2 $L/s1d1/moved
both EPERM "remove: rename the allowed directory into another directory" trick rename $L/s1d1/s1d2 $L/s1d1/other/s1d2
both EPERM "remove: move an entry of the allowed directory out to the readonly parent" sh -c "echo x > $L/s1d1/s1d2/m-\$\$ && exec trick rename $L/s1d1/s1d2/m-\$\$ $L/s1d1/m-\$\$"
both EPERM "remove: unlink a file of the readonly parent" trick unlink $L/s1d1/f1
ok "remove: s1d2 still there" [ -d $L/s1d1/s1d2 ]
rm -f $L/s1d1/s1d2/*
is "$(in_cg $S trick rmdir $L/s1d1/s1d2)" ok "remove: the sibling may rmdir it (control)"
mkdir $L/s1d1/s1d2 && chmod 777 $L/s1d1/s1d2

# ---- owner ----
u() { _uid=$1; shift; in_cg $O /bin/runas "$_uid" "$@"; }
is "$(u 1000 probe open $H/home/a/f r)" ok "owner: the owner reads her file"
is "$(u 1000 probe open $H/home/a/f w)" ok "owner: the owner writes her file"
is "$(u 1001 probe open $H/home/b/f rw)" ok "owner: another owner uses his own file"
is "$(u 1001 probe open $H/home/a/f r)" EPERM "owner: another uid may not read it (mode 666)"
F=$(grep '"condition":"owner"' $AUDIT_LOG | tail -n 1)
like "$F" "\"rule\":\"allow = $H/home/ owner\"" "owner: the audit line names the rule"
like "$F" '"uid":1001,' "owner: ... the uid"
like "$F" "\"path\":\"$H/home/a/f\",\"access\":\"read\",\"condition\":\"owner\"" "owner: ... path, access and the condition that decided"
is "$(u 1001 probe open $H/home/a/f w)" EPERM "owner: another uid may not write it"
is "$(in_cg $O probe open $H/home/a/f r)" EPERM "owner: neither may root (not the owner)"
is "$(in_cg $S /bin/runas 1001 probe open $H/home/a/f rw)" ok "owner: the sibling cgroup is unaffected (control)"
is "$(probe open $H/home/a/f r)" ok "owner: the harness (root cgroup) is unaffected"
is "$(u 1000 sh -c "echo x > $H/home/a/new && echo ok")" ok "owner: the owner creates in her directory"
is "$(u 1001 sh -c "echo x > $H/home/a/new2 2>/dev/null && echo ok || echo EPERM")" EPERM "owner: another uid may not create there (mode 777)"
is "$(u 1001 trick unlink $H/home/a/new)" EPERM "owner: nor unlink her file"
is "$(u 1001 trick rename $H/home/a/new $H/home/b/new)" EPERM "owner: nor move it into his own directory"
is "$(u 1001 trick chmod $H/home/a/f)" EPERM "owner: nor chmod it"
is "$(u 1000 trick unlink $H/home/a/new)" ok "owner: the owner unlinks her file"
# ro: the owner reads only; pub: everyone reads, only the owner writes
is "$(u 1000 probe open $H/ro/f r)" ok "readonly owner: the owner reads"
is "$(u 1000 probe open $H/ro/f w)" EPERM "readonly owner: the owner may not write"
is "$(u 1001 probe open $H/ro/f r)" EPERM "readonly owner: another uid may not read"
is "$(u 1001 probe open $H/pub/f r)" ok "owner-write: another uid reads"
is "$(u 1001 probe open $H/pub/f w)" EPERM "owner-write: another uid may not write"
like "$(grep '"condition":"owner-write"' $AUDIT_LOG | tail -n 1)" "\"path\":\"$H/pub/f\",\"access\":\"write\",\"condition\":\"owner-write\"" \
	"owner-write: the audit line names the condition"
is "$(u 1001 trick truncate $H/pub/f)" EPERM "owner-write: another uid may not truncate"
is "$(u 1000 probe open $H/pub/f w)" ok "owner-write: the owner writes"

# ---- around the owner condition ----
chown 1001 $H/home/a/g            # by unconfined root, after the load
is "$(u 1001 probe open $H/home/a/g r)" ok "owner: a file chowned after the load: the new owner reads"
is "$(u 1000 probe open $H/home/a/g r)" EPERM "owner: ... the old owner may not"
is "$(u 1001 trick link $H/home/a/f $H/out/hl)" EPERM "owner: another uid may not hard-link her file out"
is "$(in_cg $S /bin/runas 1001 trick link $H/home/a/f $H/out/hl-sib)" ok "owner: the sibling may (control: no protected_hardlinks)"
ln $H/home/a/f $H/home/b/hl       # by unconfined root, into his directory
is "$(u 1001 probe open $H/home/b/hl r)" EPERM "owner: a hard link to her file in his own directory: judged by the file's owner"
is "$(u 1001 sh -c "ln -s $H/home/a/f $H/out/sl-\$\$ && exec probe open $H/out/sl-\$\$ r")" EPERM \
	"owner: a symlink another uid made to her file"
mount -o bind $H/home/a /mnt/t66
is "$(u 1001 probe open /mnt/t66/f r)" EPERM "owner: her file through a bind mount of her directory"
is "$(u 1000 probe open /mnt/t66/f r)" ok "owner: ... the owner reads it there"
umount /mnt/t66

# ---- owner on exec rules: the process's fsuid must own the program ----
x() { _uid=$1; shift; in_cg $XO /bin/runas "$_uid" "$@"; }
is "$(x 1000 probe exec $X/hello)" ok "exec owner: the owner runs her program"
is "$(x 1001 probe exec $X/hello)" EPERM "exec owner: another uid may not (mode 755)"
F=$(grep '"op":"exec"' $AUDIT_LOG | grep '"condition":"owner"' | tail -n 1)
like "$F" "\"rule\":\"allow = $X/hello owner\"" "exec owner: the audit line names the rule"
like "$F" '"uid":1001,' "exec owner: ... the uid"
like "$F" "\"path\":\"$X/hello\"" "exec owner: ... the program's path"
like "$F" '"hook":"exec".*"condition":"owner"' "exec owner: ... the exec hook and the condition that decided"
is "$(in_cg $XO probe exec $X/hello)" EPERM "exec owner: neither may root (not the owner)"
is "$(in_cg $XO probe exec $X/sub/rootprog)" ok "exec owner: root runs a program it owns (directory rule)"
is "$(x 1000 probe exec $X/sub/rootprog)" EPERM "exec owner: ... uid 1000 may not"
is "$(x 1000 probe exec $X/sub/prog2)" ok "exec owner: uid 1000 runs hers there"
is "$(in_cg $S /bin/runas 1001 probe exec $X/hello)" ok "exec owner: the sibling cgroup is unaffected (control)"
is "$(probe exec $X/hello)" ok "exec owner: the harness (root cgroup) is unaffected"
# its executable mappings (ld.so PROGRAM), made so or by mprotect
is "$(x 1001 trick mmap-exec $X/hello)" EPERM "exec owner: another uid may not map it PROT_EXEC (ld.so PROGRAM)"
is "$(x 1000 trick mmap-exec $X/hello)" ok "exec owner: ... the owner may"
is "$(x 1001 trick mprotect-exec $X/hello)" EPERM "exec owner: nor mprotect a read mapping of it to PROT_EXEC"
F=$(grep '"op":"mmap_exec"' $AUDIT_LOG | grep '"path":"hello","path_is_name":true' | tail -n 1)
like "$F" "\"rule\":\"allow = $X/hello owner\".*\"condition\":\"owner\"" \
	"exec owner: ... its audit line (mprotect: the name only) names the rule and the condition"
is "$(x 1000 trick mprotect-exec $X/hello)" ok "exec owner: ... the owner may"
# around it: links, a copy, a chown after the load
ln $X/hello $H/out/hello-hl       # by unconfined root, after the load
ln -s $X/hello $H/out/hello-sl
is "$(x 1001 probe exec $H/out/hello-hl)" EPERM \
	"exec owner: a hard link made after the load into a directory allowed outright: still her program"
is "$(x 1000 probe exec $H/out/hello-hl)" ok "exec owner: ... which the owner runs"
is "$(x 1001 probe exec $H/out/hello-sl)" EPERM "exec owner: a symlink to it"
is "$(x 1001 sh -c "cp $X/hello $H/cp/hello-cp-\$\$ && exec probe exec $H/cp/hello-cp-\$\$")" EPERM \
	"exec owner: a copy uid 1001 made (his own file) is another program: default deny"
cp $X/hello $H/cp/hello-cp && chmod 755 $H/cp/hello-cp
is "$(in_cg $S /bin/runas 1001 probe exec $H/cp/hello-cp)" ok "exec owner: ... the copy itself runs (sibling: control)"
chown 1001 $X/sub/prog2           # by unconfined root, after the load
is "$(x 1001 probe exec $X/sub/prog2)" ok "exec owner: a program chowned after the load: the new owner runs it"
is "$(x 1000 probe exec $X/sub/prog2)" EPERM "exec owner: ... the old owner may not"

# ---- rights ----
r() { in_cg $RC /bin/runas 1000 "$@"; }
is "$(r probe open $R/notrunc/f rw)" ok "truncate: a write open passes"
is "$(r trick open-trunc $R/notrunc/f)" EPERM "truncate: O_TRUNC denied"
F=$(grep '"right":"truncate"' $AUDIT_LOG | tail -n 1)
like "$F" "\"rule\":\"deny = $R/notrunc/ truncate\"" "truncate: the audit line names the rule"
like "$F" '"access":"write","right":"truncate"' "truncate: ... and the right"
is "$(r trick truncate $R/notrunc/f)" EPERM "truncate: truncate(2) denied"
is "$(r trick ftruncate $R/notrunc/f)" EPERM "truncate: ftruncate denied"
is "$(r sh -c "echo x > $R/notrunc/new && echo ok")" ok "truncate: a new file is created (O_TRUNC of a new file truncates nothing)"
is "$(r trick unlink $R/notrunc/new)" ok "truncate: and removed"
is "$(in_cg $S trick open-trunc $R/notrunc/f)" ok "truncate: the sibling truncates (control)"
is "$(r trick open-trunc $R/rw/f)" EPERM "truncate: file_rw: O_TRUNC denied"
is "$(r probe open $R/rw/f rw)" ok "truncate: file_rw: read-write passes"
is "$(r sh -c "mkdir $R/rw/d && echo ok")" ok "create: file_rw: mkdir passes"
is "$(r sh -c "mkdir $R/keep/d && echo x > $R/keep/d2 && echo ok")" ok "remove: keep: new names pass"
is "$(r trick unlink $R/keep/f)" EPERM "remove: keep: unlink denied"
like "$(grep '"op":"unlink"' $AUDIT_LOG | tail -n 1)" '"path":"f","path_is_name":true,"access":"write","right":"remove"' \
	"remove: the audit line names the right"
is "$(r trick rmdir $R/keep/d)" EPERM "remove: keep: rmdir denied"
is "$(r trick rename $R/keep/f $R/keep/f2)" EPERM "remove: keep: rename within denied (the old name goes)"
is "$(r trick rename $R/rw/f $R/keep/f3)" EPERM "refer: a file may not move from rw into keep (it would gain truncate)"
is "$(r trick rename $R/s2/k $R/keep/k)" ok "refer: a file moves into keep from a directory without rules (it gains nothing)"
is "$(r probe open $R/keep/k rw)" ok "remove: keep: the moved file is written"
is "$(r trick rename $R/ra/f $R/ra/g)" ok "refer: a rename within the directory passes"
is "$(r trick rename $R/ra/g $R/rb/g)" EPERM "refer: a rename out of a directory without refer"
like "$(grep '"right":"refer"' $AUDIT_LOG | tail -n 1)" "\"op\":\"rename\".*\"rule\":\"allow = $R/ra/ read write truncate create remove\".*\"path\":\"g\",\"path_is_name\":true,\"access\":\"write\",\"right\":\"refer\"" \
	"refer: the audit line names the rule and the right"
is "$(r trick link $R/ra/g $R/rb/l)" EPERM "refer: a hard link out of it"
is "$(r trick rename $R/s2/h $R/ra/h)" EPERM "refer: a rename into it"
is "$(r trick rename $R/s1/f $R/s2/f1)" EPERM "refer: a file may not gain truncate by moving out of s1"
is "$(r trick link $R/s1/g $R/s2/g1)" EPERM "refer: ... nor by a hard link"
is "$(r trick rename $R/s2/f $R/s1/f2)" ok "refer: a file may move into s1 (it loses truncate)"
is "$(r trick open-trunc $R/s1/f2)" EPERM "refer: ... and cannot be truncated there"
is "$(in_cg $S trick rename $R/s1/f $R/s2/f1)" ok "refer: the sibling moves it (control)"
# create, remove and refer are rights over a directory's entries: a file
# gains none of them by moving (as in Landlock), a directory does
is "$(r trick rename $R/s3/f $R/s2/f3)" ok "refer: a file moves out of s3 (create is no right of a file)"
is "$(r trick link $R/s3/g $R/s2/g3)" ok "refer: ... and is linked out of it"
is "$(r trick rename $R/s3/d $R/s2/d3)" EPERM "refer: a directory may not move out of s3 (it would gain create)"
is "$(r sh -c "echo mkdir $R/s3/d/x | actrun")" "mkdir $R/s3/d/x -> deny" "refer: ... and still takes no new name"

stop_enforcerd
rm -rf $L
umount $H
