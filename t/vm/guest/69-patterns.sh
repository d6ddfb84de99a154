# SPDX-License-Identifier: GPL-2.0-only
# 69-patterns.sh - issue 19, glob patterns in [file] and [exec] rule paths
# (KubeArmor's and Tetragon's `/etc/*shadow*`, `/home/*/.ssh/**`): each
# form (`*`, `?`, `**`, a trailing `/`), precedence (a literal rule below
# the pattern's directory beats it, the pattern beats its directory's own
# rule, the longer literal part then more literal bytes win among
# patterns), conditions and rights as on literal rules, exact errno, the
# audit line, a sibling cgroup unaffected, and attempts to get around a
# pattern: a symlink, a hard link made after the load, a bind mount, a
# rename, odd bytes in names, a tree deeper than the matcher reads.
# Program conditions on patterns (`exe PATH`, `exe DIR/`, `parent PATH`):
# matched by the program's identity (a hard link or a symlink to it is it,
# a copy is not), at equal specificity over the pattern without one, and
# the files a program's deny pattern matches at load by identity too.
# guest-timeout: 600

# the pins the bypass script before this one left are adopted (t/vm/lib.sh):
# its programs are this build's, its checks need no fresh load
ADOPT_PINS=1

P=/tmp/pol69
X=/srv69
cg_make t69/bound
cg_make t69/sibling
cg_make t69/prog
B=/t69/bound
S=/t69/sibling
PC=/t69/prog
mkdir -p $X /mnt/t69
mount -t tmpfs -o mode=755 t69 $X
mkdir -p $X/etc $X/home/a/.ssh $X/home/b/.ssh $X/home/a/x/.ssh $X/log/sub $X/tmp $X/pub \
	$X/data/sub $X/out $X/bin $X/own $X/sec $X/p $X/pd $X/hl $X/sl $X/copy \
	$X/nk/a/b $X/nl/a $X/np/a/x
for f in etc/shadow etc/gshadow etc/shadow- etc/passwd home/a/.ssh/id_rsa home/b/.ssh/id_rsa \
	home/a/notes home/a/x/.ssh/k log/app.log log/app.log.1 log/sub/x.log tmp/key tmp/keey \
	pub/a.txt pub/a.bin data/x.csv data/sub/x.csv data/y own/f nk/a/b/s.key nk/a/notes nl/a/s.key \
	np/a/x/s.key; do
	echo data > $X/$f
done
# deeper than ENF_PAT_DEPTH (16) names below the anchor
D=$X/deep/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15/16/17
mkdir -p $D
echo data > $D/y
echo data > $X/deep/y
cp /bin/true $X/bin/x-tool
cp /bin/true $X/bin/true
for f in a.key a.pem a.crt; do echo data > $X/sec/$f; done
ln $X/sec/a.pem $X/out/pem-hl    # another name of a file a program's deny pattern matches
ln $X/sec/a.key $X/out/key-hl    # ... and of one its allow pattern matches
cp /bin/probe $X/p/probe         # the program the conditions name
cp /bin/probe $X/pd/probe        # a program below the named directory
cp /bin/trick $X/pd/trick        # ... and another
cp /bin/probe $X/copy/probe      # a copy of the named program (another file)
chmod -R a+rwX $X
chown 1000 $X/own/f
ln $X/etc/shadow $X/out/hl0       # another name, made before the load

write_policy $P pat <<INI
[policy]
cgroup = $B
[exec]
deny = $X/bin/*-tool
[file]
deny = $X/etc/*shadow*
allow = $X/etc/gshadow              ; a literal rule below the pattern's directory wins
deny = $X/home/*/.ssh/**
readonly = $X/log/*.log
deny = $X/tmp/k?y
deny = $X/pub/
allow = $X/pub/*.txt                ; beats its directory's own rule
deny = $X/data/**
allow = $X/data/*.csv               ; same directory, more literal bytes
deny = $X/deep/**/z
allow = $X/own/* owner              ; conditions as on literal rules
deny = $X/out/*.new create          ; rights too
deny = $X/nk/**/*.key               ; a file's last name decides: its directories may be renamed
deny = $X/nl/**/*.key               ; ... not with a literal rule below the directory
allow = $X/nl/pub/
deny = $X/np/**/*.key               ; ... nor with a pattern whose directory lies below
allow = $X/np/a/new/*.key
INI

write_policy $P patprog <<INI
[policy]
cgroup = $PC
[exec]
deny = $X/bin/*-tool exe $X/p/probe     ; this program may not start the tools
deny = $X/bin/t?ue parent $X/p/probe    ; nor may its children start true
[file]
deny = $X/sec/*.key
allow = $X/sec/*.key exe $X/p/probe     ; ... but this program reads the keys
deny = $X/sec/*.pem exe $X/p/probe      ; this program may not read the pems
deny = $X/sec/*.crt exe $X/pd/          ; no program below $X/pd/ reads the crts
INI

start_enforcerd $P
# names made after the load: matched by their names alone
printf 'data\n' > "$X/etc/x
shadow"
printf 'data\n' > "$(printf '%s/etc/\377shadow' $X)"
echo data > $X/etc/new-shadow

c() { in_cg $B "$@"; }
# each form
is "$(c probe open $X/etc/shadow r)" EPERM "star: deny = .../etc/*shadow* denies shadow: EPERM"
F=$(grep '"op":"open"' $AUDIT_LOG | grep "\"path\":\"$X/etc/shadow\"" | tail -n 1)
like "$F" "\"rule\":\"deny = $X/etc/\\*shadow\\*\"" "star: the audit line names the pattern rule"
like "$F" '"action":"deny"' "star: ... action deny"
is "$(c probe open $X/etc/shadow- r)" EPERM "star: ... shadow-"
is "$(c /bin/runas 1000 probe open $X/etc/shadow r)" EPERM "star: ... for uid 1000 too"
is "$(c probe open $X/etc/passwd r)" ok "star: a sibling file not matched is allowed"
is "$(c probe open $X/etc/gshadow r)" ok "precedence: a literal allow for the file beats the pattern"
is "$(in_cg $S probe open $X/etc/shadow r)" ok "star: the sibling cgroup is unaffected (control)"
is "$(probe open $X/etc/shadow r)" ok "star: the harness (root cgroup) is unaffected"
is "$(c probe open $X/home/a/.ssh/id_rsa r)" EPERM "double star: home/*/.ssh/** denies a/.ssh/id_rsa"
is "$(c probe open $X/home/b/.ssh/id_rsa r)" EPERM "double star: ... and b's"
is "$(c probe open $X/home/a/.ssh r)" EPERM "double star: ... and .ssh itself (zero components)"
is "$(c probe open $X/home/a/notes r)" ok "double star: a/notes not matched"
is "$(c probe open $X/home/a/x/.ssh/k r)" ok "double star: '*' is one component: a/x/.ssh/k not matched"
is "$(c probe open $X/log/app.log r)" ok "readonly pattern: app.log read"
is "$(c probe open $X/log/app.log w)" EPERM "readonly pattern: app.log not written"
is "$(c probe open $X/log/app.log.1 w)" ok "readonly pattern: app.log.1 not matched"
is "$(c probe open $X/log/sub/x.log w)" ok "readonly pattern: '*' never crosses '/' (sub/x.log)"
is "$(c probe open $X/tmp/key r)" EPERM "question mark: k?y denies key"
is "$(c probe open $X/tmp/keey r)" ok "question mark: ... not keey"
is "$(c probe open $X/pub/a.txt r)" ok "precedence: the pattern beats its directory's deny"
is "$(c probe open $X/pub/a.bin r)" EPERM "precedence: ... the directory's deny holds for the rest"
is "$(c probe open $X/data/x.csv r)" ok "precedence: among patterns of one directory, more literal bytes win"
is "$(c probe open $X/data/sub/x.csv r)" EPERM "precedence: ... data/** for sub/x.csv"
is "$(c probe open $X/data/y r)" EPERM "precedence: ... and for y"
is "$(c probe exec $X/bin/x-tool)" EPERM "exec pattern: *-tool denied"
like "$(grep '"op":"exec"' $AUDIT_LOG | tail -n 1)" "\"rule\":\"deny = $X/bin/\\*-tool\"" "exec pattern: the audit line names the rule"
is "$(c probe exec $X/bin/true)" ok "exec pattern: a program not matched runs"
is "$(c /bin/runas 1000 probe open $X/own/f rw)" ok "owner pattern: the owner writes"
is "$(c /bin/runas 1001 probe open $X/own/f r)" EPERM "owner pattern: another uid may not read"
is "$(c sh -c "echo x > $X/out/a.new 2>/dev/null && echo ok || echo EPERM")" EPERM "rights pattern: create denied for *.new"
is "$(c sh -c "echo x > $X/out/a.old && echo ok")" ok "rights pattern: ... not for a.old"
is "$(c probe open $X/deep/y r)" ok "deep: a shallow file **/z does not match"
is "$(c probe open $D/y r)" EPERM "deep: deeper than the matcher reads, **/z undecided: fail closed"

# attempts to get around a pattern
ln -s $X/etc/shadow $X/out/sl
is "$(c probe open $X/out/sl r)" EPERM "around: a symlink to the file"
is "$(c sh -c "ln -s $X/home/a/.ssh/id_rsa $X/out/sl2-\$\$ && exec probe open $X/out/sl2-\$\$ r")" EPERM \
	"around: a symlink the process made"
is "$(c probe open $X/etc/new-shadow r)" EPERM "star: a file created after the load is matched by its name"
is "$(c probe open $X/out/hl0 r)" EPERM "around: a hard link made before the load in another directory (identity taken at load)"
is "$(c trick link $X/etc/shadow $X/out/hl)" EPERM "around: a hard link to it (the link is judged by the pattern)"
is "$(c trick link $X/home/a/.ssh/id_rsa $X/home/a/id)" EPERM "around: ... into its home"
mount -o bind $X/etc /mnt/t69
is "$(c probe open /mnt/t69/shadow r)" EPERM "around: through a bind mount of its directory"
is "$(c probe open /mnt/t69/passwd r)" ok "around: ... a sibling there is allowed"
umount /mnt/t69
mount -o bind $X/home/a /mnt/t69
is "$(c probe open /mnt/t69/.ssh/id_rsa r)" EPERM "around: through a bind mount below the pattern's directory"
umount /mnt/t69
is "$(c trick rename $X/etc/shadow $X/etc/plain)" EPERM "around: rename the file to a name not matched"
is "$(c trick rename $X/home/a/.ssh $X/home/a/ssh)" EPERM "around: rename the .ssh directory"
is "$(c trick rename $X/home/a $X/out/a)" EPERM "around: move the home away (matches lie below it)"
is "$(c trick unlink $X/etc/shadow)" EPERM "around: unlink it"
# what renaming a directory below a ** pattern could change (nk/**/*.key:
# nothing, the file's last name decides; nl/**/*.key with allow = nl/pub/:
# a directory renamed to pub would take its keys out of the pattern's reach)
is "$(c trick rename $X/nk/a/b $X/nk/a/c)" ok "rename: a directory below **/*.key renamed in its parent"
is "$(c trick rename $X/nk/a/notes $X/nk/a/notes2)" ok "rename: ... a file not matched, too"
is "$(c probe open $X/nk/a/c/s.key r)" EPERM "rename: ... the key below it still denied"
is "$(c trick rename $X/nk/a/c/s.key $X/nk/a/c/s.txt)" EPERM "rename: ... the key not renamed to a name not matched"
is "$(c trick rename $X/nk/a/c $X/nk/c)" EPERM "rename: ... a directory moved to another directory: denied"
is "$(c trick rename $X/nk/a $X/out/nka)" EPERM "rename: ... out of the pattern's directory: denied"
is "$(c trick rename $X/nk $X/nk2)" EPERM "rename: ... the pattern's directory itself: denied"
is "$(c trick rename $X/nl/a $X/nl/pub)" EPERM "rename: a literal rule below the directory (allow = nl/pub/): denied"
is "$(c probe open $X/nl/a/s.key r)" EPERM "rename: ... its key stays denied"
is "$(c trick rename $X/np/a/x $X/np/a/new)" EPERM "rename: a deeper pattern's directory (allow = np/a/new/*.key) not made by a rename"
is "$(c probe open $X/np/a/x/s.key r)" EPERM "rename: ... its key stays denied"
is "$(c probe open "$X/etc/x
shadow" r)" EPERM "around: a newline in the name"
is "$(c probe open "$(printf '%s/etc/\377shadow' $X)" r)" EPERM "around: a byte 0xff in the name"
is "$(in_cg $S trick rename $X/etc/shadow- $X/etc/plain)" ok "around: the sibling renames (control)"
is "$(c probe open $X/etc/plain r)" EPERM "around: a file matched at load keeps its verdict under a new name"
mv $X/etc/new-shadow $X/etc/new-plain
is "$(c probe open $X/etc/new-plain r)" ok "around: a file created after the load and renamed to a name not matched is allowed"

# program conditions on patterns
pc() { in_cg $PC "$@"; }
is "$(pc probe open $X/sec/a.key r)" EPERM "prog: deny = *.key: another program may not read a.key"
like "$(grep '"op":"open"' $AUDIT_LOG | grep "\"path\":\"$X/sec/a.key\"" | tail -n 1)" \
	"\"rule\":\"deny = $X/sec/\\*.key\"" "prog: ... the audit line names the pattern without a condition"
is "$(pc $X/p/probe open $X/sec/a.key r)" ok "prog: allow = *.key exe P: the named program reads it (over the deny at equal specificity)"
is "$(pc /bin/runas 1000 $X/p/probe open $X/sec/a.key r)" ok "prog: ... as uid 1000 too"
is "$(pc $X/copy/probe open $X/sec/a.key r)" EPERM "prog: a copy of the program does not inherit the allow"
is "$(pc $X/p/probe open $X/out/key-hl r)" ok "prog: ... the program reads a.key by a hard link made before the load"
is "$(pc probe open $X/out/key-hl r)" EPERM "prog: ... another program may not (identity)"
echo data > $X/sec/b.key         # made after the load: matched by its name only
is "$(pc $X/p/probe open $X/sec/b.key r)" ok "prog: a file made after the load: the program reads it"
is "$(pc $X/copy/probe open $X/sec/b.key r)" EPERM "prog: ... a copy of the program may not"
is "$(pc probe open $X/sec/b.key r)" EPERM "prog: ... nor another program"
ln $X/p/probe $X/hl/probe
ln -s $X/p/probe $X/sl/probe
is "$(pc $X/hl/probe open $X/sec/a.key r)" ok "prog: a hard link to the program made after the load is the program"
is "$(pc $X/sl/probe open $X/sec/a.key r)" ok "prog: ... and a symlink to it"
is "$(pc $X/p/probe open $X/sec/a.pem r)" EPERM "prog: deny = *.pem exe P: the named program may not read a.pem"
F=$(grep '"condition":"exe"' $AUDIT_LOG | grep "\"path\":\"$X/sec/a.pem\"" | tail -n 1)
like "$F" "\"rule\":\"deny = $X/sec/\\*.pem exe $X/p/probe\"" "prog: ... the audit line names the rule"
like "$F" '"access":"read","condition":"exe"' "prog: ... and the condition that decided"
is "$(pc $X/hl/probe open $X/sec/a.pem r)" EPERM "prog: ... nor by its hard link"
is "$(pc $X/sl/probe open $X/sec/a.pem r)" EPERM "prog: ... nor by a symlink to it"
is "$(pc probe open $X/sec/a.pem r)" ok "prog: ... another program reads it"
is "$(pc $X/copy/probe open $X/sec/a.pem r)" ok "prog: ... and so does a copy of the program"
is "$(pc $X/p/probe open $X/out/pem-hl r)" EPERM "prog: a hard link made before the load to a file it matched (identity)"
is "$(pc probe open $X/out/pem-hl r)" ok "prog: ... not for another program"
is "$(in_cg $S $X/p/probe open $X/sec/a.pem r)" ok "prog: the sibling cgroup is unaffected (control)"
is "$(in_cg $B $X/p/probe open $X/sec/a.pem r)" ok "prog: ... and so is the other policy's cgroup"
is "$(pc $X/pd/probe open $X/sec/a.crt r)" EPERM "prog: exe DIR/: a program below the directory may not read a.crt"
is "$(pc probe open $X/sec/a.crt r)" ok "prog: exe DIR/: ... a program elsewhere reads it"
mkdir -p $X/pd/sub && cp /bin/probe $X/pd/sub/probe
is "$(pc $X/pd/sub/probe open $X/sec/a.crt r)" EPERM "prog: exe DIR/: ... a program put below it after the load"
is "$(pc $X/pd/trick rename $X/sec/a.crt $X/sec/a.txt)" EPERM "prog: exe DIR/: ... a program below it may not rename a.crt away"
is "$(pc $X/pd/trick link $X/sec/a.crt $X/out/crt-hl)" EPERM "prog: exe DIR/: ... nor hard-link it elsewhere"
is "$(pc trick link $X/sec/a.crt $X/out/crt-hl)" ok "prog: exe DIR/: ... another program may (control)"
is "$(pc $X/p/probe exec $X/bin/x-tool)" EPERM "prog: exec pattern with exe: the named program may not start x-tool"
like "$(grep '"condition":"exe"' $AUDIT_LOG | grep '"op":"exec"' | tail -n 1)" \
	"\"rule\":\"deny = $X/bin/\\*-tool exe $X/p/probe\"" "prog: ... the audit line names the rule"
is "$(pc probe exec $X/bin/x-tool)" ok "prog: ... another program may"
is "$(pc $X/copy/probe exec $X/bin/x-tool)" ok "prog: ... and so may a copy of the program"
is "$(pc $X/hl/probe exec $X/bin/x-tool)" EPERM "prog: ... not its hard link"
is "$(pc $X/p/probe exec /bin/runas 0 $X/bin/true 2>&1)" "$X/bin/true: Operation not permitted
ok" "prog: exec pattern with parent: a child of the named program may not start true"
like "$(grep '"condition":"parent"' $AUDIT_LOG | tail -n 1)" \
	"\"rule\":\"deny = $X/bin/t\\?ue parent $X/p/probe\"" "prog: ... the audit line names the rule and the condition"
is "$(pc /bin/runas 0 $X/bin/true 2>&1)" "" "prog: ... started by another parent, it runs"
is "$(pc $X/copy/probe exec /bin/runas 0 $X/bin/true 2>&1)" "ok" "prog: ... and as a child of a copy of the program"

stop_enforcerd
umount $X
