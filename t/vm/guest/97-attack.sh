# SPDX-License-Identifier: GPL-2.0-only
# 97-attack.sh - attacker trials kept as regression checks (session 16):
# routes around the verdict caches (open, exec, mmap): open_by_handle_at and
# execveat of a handle after a cached allow, owner conditions judged for
# another uid (and inside a user namespace) after root's cached allow, a
# bind mount in a user+mount namespace, replacing a cached binary, scripts
# whose interpreter is denied, ld.so filling the mmap kind then an exec,
# and an enforcerd restart that keeps the pinned maps (and so the cache
# entries) with new deny rules.
# guest-timeout: 900

# the pins the script before this one left are adopted (t/vm/lib.sh); the
# restart below keeps the programs and maps, cache entries included
ADOPT_PINS=1

P=/tmp/pol97
V=/v97
LDSO=/lib64/ld-linux-x86-64.so.2
cg_make t97/a
cg_make t97/o
cg_make t97/al
cg_make t97/al2
mkdir -p $V
mount -t tmpfs t97 $V
mount --make-private $V
mkdir -p $V/ok $V/fdeny $V/xdeny $V/home $V/pub $V/obin $V/other $V/okd
for f in fdeny/s ok/f1 ok/f2 home/f; do echo data > $V/$f; done
for f in ok/x1 ok/x2 ok/x3 ok/x4 ok/x5 xdeny/y xdeny/z xdeny/w obin/prog; do cp /usr/bin/allowme $V/$f; done
cp /bin/busybox $V/xdeny/sh
cp /bin/busybox $V/ok/sh
cp /bin/enforcerctl $V/other/dyn
cp /bin/enforcerctl $V/ok/dyn
printf '#!%s\nexit 0\n' $V/ok/sh > $V/ok/s1.sh
printf '#!%s\nexit 0\n' $V/xdeny/sh > $V/ok/s2.sh
chmod -R a+rwX $V
chmod 755 $V/home $V/obin
chmod 644 $V/home/f
chmod 755 $V/obin/prog
cp /usr/bin/allowme $V/obin/prog2
chmod 755 $V/obin/prog2 $V/ok/s1.sh $V/ok/s2.sh
LDR=$(readlink -f $LDSO)
diag "ld.so: $LDSO -> $LDR"
mount --bind $V/home $V/pub

write_policy $P a <<INI
[policy]
cgroup = /t97/a
[file]
deny = $V/fdeny/
[exec]
deny = $V/xdeny/
deny = $V/xdeny/z
[capabilities]
allow = CAP_DAC_READ_SEARCH
allow = CAP_SYS_ADMIN
INI
write_policy $P o <<INI
[policy]
cgroup = /t97/o
[file]
allow = $V/home/ owner
[exec]
allow = $V/obin/prog owner
allow = $V/obin/prog2 owner
[capabilities]
allow = CAP_SYS_ADMIN
INI
write_policy $P al <<INI
[policy]
cgroup = /t97/al
[exec]
default = deny
allow = /bin/
allow = /usr/bin/
allow = /lib64/
allow = /lib/
allow = /usr/lib/
allow = $LDR
allow = $V/ok/
INI
write_policy $P al2 <<INI
[policy]
cgroup = /t97/al2
[exec]
default = deny
allow = /bin/
allow = /usr/bin/
allow = /lib64/
INI
start_enforcerd $P

c() { echo "of=$(st verdict_cache_fills) oh=$(st verdict_cache_hits) xf=$(st exec_cache_fills) xh=$(st exec_cache_hits) mf=$(st mmap_cache_fills) mh=$(st mmap_cache_hits)"; }
rd() { in_cg "$1" probe open "$2" r; }
rdu() { in_cg "$1" /bin/runas "$2" probe open "$3" r; }
deny_re='^(EPERM|EACCES)$'

diag "start: $(c)"
# ---- 1. open_by_handle_at ----
is "$(rd t97/a $V/ok/f1)$(rd t97/a $V/ok/f1)" okok "handle: ok/f1 read twice (cache fill+hit)"
diag "after f1: $(c)"
is "$(rd t97/a $V/fdeny/s)" EPERM "handle: control: fdeny/s by name denied"
attack fhsave $V/fdeny/s /tmp/h97s >/dev/null
attack fhsave $V/ok/f1 /tmp/h97f1 >/dev/null
is "$(in_cg t97/a attack fhopen $V/ok /tmp/h97s)" EPERM "handle: open_by_handle_at(fdeny/s) after a cached allow of ok/f1: denied"
is "$(in_cg t97/a trick handle-open $V/fdeny/s)" EPERM "handle: trick handle-open fdeny/s: denied"
is "$(in_cg t97/a attack fhopen $V/ok /tmp/h97f1)" ok "handle: control: open_by_handle_at(ok/f1) allowed"
# same inode: a bind of the denied file at an allowed name, cached there
: > $V/ok/bs
mount --bind $V/fdeny/s $V/ok/bs
r1=$(rd t97/a $V/ok/bs); r2=$(rd t97/a $V/ok/bs)
diag "handle: ok/bs (bind of fdeny/s) read twice: $r1 $r2 (identity says deny); $(c)"
ok "handle: ok/bs, the denied inode bound at an allowed name, is denied (identity)" sh -c "echo '$r1$r2' | grep -Eq '^(EPERM)+$'"
is "$(in_cg t97/a attack fhopen $V/ok /tmp/h97s)" EPERM "handle: open_by_handle_at(fdeny/s) after reads through the bind: denied"
# a directory bind: the denied directory also at okd/
mount --bind $V/fdeny $V/okd
r1=$(rd t97/a $V/okd/s); r2=$(rd t97/a $V/okd/s)
is "$r1 $r2" "EPERM EPERM" "handle: okd/s (directory bind of fdeny/) denied by identity"
is "$(in_cg t97/a attack fhopen $V/okd /tmp/h97s)" EPERM "handle: open_by_handle_at(fdeny/s) through the okd mount: denied"
umount $V/okd
umount $V/ok/bs
# exec by handle
attack fhsave $V/xdeny/y /tmp/h97y >/dev/null
attack fhsave $V/ok/x1 /tmp/h97x1 >/dev/null
is "$(gexec t97/a $V/ok/x1 $V/ok/x1)" "ok ok" "handle exec: ok/x1 run twice"
diag "after x1: $(c)"
is "$(in_cg t97/a atk97 fhexec $V/ok /tmp/h97x1)" ok "handle exec: control: execveat(handle fd of ok/x1) allowed"
is "$(in_cg t97/a atk97 fhexec $V/ok /tmp/h97y)" EPERM "handle exec: execveat(AT_EMPTY_PATH) of a handle fd of xdeny/y after a cached exec: denied"
is "$(gexec t97/a $V/xdeny/y)" EPERM "handle exec: control: xdeny/y by name denied"
is "$(in_cg t97/a trick fexecve $V/xdeny/y)" EPERM "handle exec: fexecve xdeny/y denied"

# ---- 2. owner conditions for another uid after root's cached allow ----
is "$(rd t97/o $V/home/f)$(rd t97/o $V/home/f)" okok "owner: root (owner) reads home/f twice"
diag "after root home/f: $(c)"
is "$(rdu t97/o 1000 $V/home/f)" EPERM "owner: uid 1000 reads home/f after root's reads: denied"
is "$(rd t97/o $V/pub/f)$(rd t97/o $V/pub/f)" okok "owner: root reads pub/f (bind of home/) twice"
diag "after root pub/f: $(c)"
is "$(rdu t97/o 1000 $V/pub/f)" EPERM "owner: uid 1000 reads pub/f (bind of home/) after root's reads: denied"
un=$(in_cg t97/o /bin/runas 1000 escape -U run probe open $V/home/f r)
is "$un" EPERM "owner: uid 1000 as root of a user namespace reads home/f after root's reads: denied"
un=$(in_cg t97/o /bin/runas 1000 escape -U -m run probe open $V/pub/f r)
is "$un" EPERM "owner: uid 1000 in userns+mountns reads pub/f: denied"
is "$(gexec t97/o $V/obin/prog $V/obin/prog)" "ok ok" "exec owner: root runs obin/prog twice"
diag "after root prog: $(c)"
is "$(in_cg t97/o /bin/runas 1000 sh -c "$V/obin/prog >/dev/null 2>&1; echo \$?")" 126 "exec owner: uid 1000 runs obin/prog after root's cached exec: denied (126)"
is "$(in_cg t97/o sh -c "$LDSO $V/obin/prog >/dev/null 2>&1; echo \$?")" 0 "exec owner: root ld.so obin/prog (mapping filled)"
is "$(in_cg t97/o sh -c "$LDSO $V/obin/prog >/dev/null 2>&1; echo \$?")" 0 "exec owner: root ld.so obin/prog again"
diag "after root ld.so prog: $(c)"
is "$(in_cg t97/o /bin/runas 1000 sh -c "$LDSO $V/obin/prog >/dev/null 2>&1; echo \$?")" 127 "exec owner: uid 1000 ld.so obin/prog after root's cached mapping: denied (127)"
is "$(gexec t97/o $V/obin/prog2 $V/obin/prog2)" "ok ok" "exec owner: root runs obin/prog2 twice"
chown 1000 $V/obin/prog2
is "$(gexec t97/o $V/obin/prog2)" EPERM "exec owner: after chown 1000 obin/prog2, root's exec: denied"
is "$(in_cg t97/o /bin/runas 1000 sh -c "$V/obin/prog2 >/dev/null 2>&1; echo \$?")" 0 "exec owner: ... uid 1000's runs"
# userns + mountns in the governed cgroup a: binds made inside
is "$(gexec t97/a $V/ok/x3 $V/ok/x3)" "ok ok" "userns bind: ok/x3 run twice (cached)"
r=$(in_cg t97/a /bin/runas 1000 escape -U -m run sh -c "mount --bind $V/xdeny/y $V/ok/x3 && { $V/ok/x3 >/dev/null 2>&1; echo \$?; }")
is "$r" 126 "userns bind: uid 1000 in userns+mountns binds xdeny/y over ok/x3, runs ok/x3: denied (126)"
r=$(in_cg t97/a /bin/runas 1000 escape -U -m run sh -c "mount --bind $V/ok/x3 $V/xdeny/w && { $V/xdeny/w >/dev/null 2>&1; echo \$?; }")
is "$r" 126 "userns bind: uid 1000 binds ok/x3 (cached) over xdeny/w, runs xdeny/w: denied (126)"
r=$(in_cg t97/a /bin/runas 1000 escape -U -m run sh -c "mount --bind $V/fdeny $V/okd && cat $V/okd/s >/dev/null 2>&1; echo \$?")
is "$r" 1 "userns bind: uid 1000 binds fdeny/ on okd/, reads okd/s: denied (1)"
is "$(in_cg t97/a /bin/runas 1000 escape -U run probe open $V/fdeny/s r)" EPERM "userns: uid 1000 as ns root reads fdeny/s after root cached ok/f1: denied"
is "$(in_cg t97/a /bin/runas 1000 escape -U run sh -c "$V/xdeny/y >/dev/null 2>&1; echo \$?")" 126 "userns: uid 1000 as ns root runs xdeny/y: denied"

# ---- 3. exec cache: replacing a cached binary ----
is "$(gexec t97/a $V/ok/x2 $V/ok/x2)" "ok ok" "replace: ok/x2 run twice"
diag "after x2: $(c)"
mv $V/xdeny/z $V/ok/x2
is "$(gexec t97/a $V/ok/x2 $V/ok/x2)" "EPERM EPERM" "replace: xdeny/z (deny by file identity) renamed over cached ok/x2: denied"
is "$(gexec t97/a $V/ok/x4 $V/ok/x4)" "ok ok" "replace: ok/x4 run twice"
diag "replace: a governed rename of xdeny/y over cached ok/x4: $(in_cg t97/a trick rename $V/xdeny/y $V/ok/x4); ok/x4 then: $(gexec t97/a $V/ok/x4) (dir rule: allowed by rules)"
# a governed write into the cached binary
is "$(gexec t97/a $V/ok/x5 $V/ok/x5)" "ok ok" "write: ok/x5 run twice"
x0=$(st exec_cache_hits)
is "$(in_cg t97/a sh -c "cat $V/xdeny/w > $V/ok/x5 && echo ok")" ok "write: a governed task writes xdeny/w's bytes into ok/x5 (no file rule denies)"
r=$(gexec t97/a $V/ok/x5)
diag "write: ok/x5 after the write: $r; exec hits +$(( $(st exec_cache_hits) - x0 )) (path rules: allowed either way)"
# hard links
ln $V/xdeny/w $V/ok/wl
diag "link: ok/wl, hard link of xdeny/w (dir rule): $(gexec t97/a $V/ok/wl $V/ok/wl)"
ln $V/ok/x2 $V/ok/zl
is "$(gexec t97/a $V/ok/zl $V/ok/zl)" "EPERM EPERM" "link: ok/zl, a hard link of the file-identity-denied z (now ok/x2): denied"
rm $V/ok/x2
is "$(gexec t97/a $V/ok/zl $V/ok/zl)" "EPERM EPERM" "link: ok/zl, z's last name after the other removed (nlink 1): denied"
# scripts
is "$(gexec t97/a $V/ok/s1.sh $V/ok/s1.sh)" "ok ok" "script: s1.sh (interpreter ok/sh) twice"
is "$(gexec t97/a $V/ok/s2.sh $V/ok/s2.sh)" "EPERM EPERM" "script: s2.sh, interpreter xdeny/sh: denied"
diag "after scripts: $(c)"
printf '#!%s\nexit 0\n' $V/xdeny/sh > $V/ok/s1.sh
is "$(gexec t97/a $V/ok/s1.sh)" EPERM "script: cached s1.sh rewritten to #!xdeny/sh: denied"
# ---- ld.so fills the mapping kind, then an exec of the same file ----
r=$(in_cg t97/al sh -c "$LDSO $V/other/dyn --help >/dev/null 2>&1; echo \$?")
r2=$(in_cg t97/al sh -c "$LDSO $V/other/dyn --help >/dev/null 2>&1; echo \$?")
diag "allowlist: ld.so other/dyn (not allowed): exit $r $r2; $(c)"
is "$(gexec t97/al $V/other/dyn)" EPERM "allowlist: other/dyn exec after ld.so mapped it: denied"
is "$(gexec t97/al $V/ok/x1 $V/ok/x1)" "ok ok" "allowlist: control ok/x1 runs"
diag "end: $(c)"
diag "side: allowlist with allow = /lib64/ only: ld.so --version exit $(in_cg t97/al2 sh -c "$LDSO --version >/dev/null 2>&1; echo \$?"); last deny: $(grep '"action":"deny"' $AUDIT_LOG | tail -n 1)"
# ---- an enforcerd restart with a policy that denies a cached file ----
is "$(rd t97/a $V/ok/f2)$(rd t97/a $V/ok/f2)" okok "restart: ok/f2 read twice"
is "$(gexec t97/a $V/ok/x1 $V/ok/x1)" "ok ok" "restart: ok/x1 run twice"
stop_enforcerd
sed -i "s|^deny = $V/fdeny/\$|&\ndeny = $V/ok/f2|; s|^deny = $V/xdeny/\$|&\ndeny = $V/ok/x1|" $P/a.ini
diag "policy a now: $(grep '^deny' $P/a.ini | tr '\n' ' ')"
start_enforcerd $P
is "$(rd t97/a $V/ok/f2)" EPERM "restart: ok/f2, cached before the restart, now denied"
is "$(gexec t97/a $V/ok/x1)" EPERM "restart: ok/x1, cached before the restart, now denied"
grep -c '"action":"deny"' $AUDIT_LOG | sed 's/^/# deny lines: /'
stop_enforcerd
umount $V/pub
umount $V
rm -rf $V
