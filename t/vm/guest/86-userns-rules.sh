# SPDX-License-Identifier: GPL-2.0-only
# 86-userns-rules.sh - the newer rule kinds hold for a governed uid inside
# a user namespace of its own where it is root (escape -U: unshare -Ur).
# Under the built-in capability denials it cannot even map itself there
# (the uid_map write needs CAP_SYS_ADMIN in the new namespace); under a
# policy that grants CAP_SYS_ADMIN it can, and then owner conditions
# (`allow = DIR/ owner`) still judge the real (kernel) uid, not the
# namespace's root, for reads, writes, creation, unlink and rename, and a
# unix: connect rule still denies the socket; the same attempts from an
# ungoverned sibling cgroup pass (control).  Network rules inside
# namespaces are 65-net-rules.sh's.
# guest-timeout: 600

P=/tmp/pol86
G=/t86/gov
D=/t86/def
S=/t86/sib
cg_make t86/gov
cg_make t86/def
cg_make t86/sib
H=/srv86
mkdir -p $H /run/t86
mount -t tmpfs -o mode=755 t86 $H
mkdir -p $H/home/a $H/home/b
for f in home/a/f home/b/f; do echo data > $H/$f; done
chmod 777 $H/home/a $H/home/b
chmod 666 $H/home/a/f $H/home/b/f
chown 1000 $H/home/a $H/home/a/f
chown 1001 $H/home/b $H/home/b/f
write_policy $P userns <<INI
[policy]
cgroup = $G
[file]
allow = $H/home/ owner          ; only the owner reads or writes
[connect]
deny = unix:/run/t86/s.sock
[capabilities]
allow = CAP_SYS_ADMIN           ; user namespaces usable (a container's policy may)
INI
write_policy $P userns0 <<INI
[policy]
cgroup = $D
[file]
allow = $H/home/ owner
INI

# uid UID in a user namespace of its own, as its root, in cgroup CG
ns() { _cg=$1 _uid=$2; shift 2; in_cg $_cg /bin/runas "$_uid" escape -U run "$@"; }

if [ "$(ns $S 1001 id -u)" != 0 ]; then
	skip "user namespaces: an ungoverned uid 1001 cannot make one here ($(ns $S 1001 id -u 2>&1))"
	umount $H
	return 0
fi
in_cg $S netprobe unix-serve /run/t86/s.sock stream 600 >/dev/null 2>&1 &
srv=$!
i=0; while [ $i -lt 50 ] && [ ! -S /run/t86/s.sock ]; do sleep 0.1; i=$((i + 1)); done
chmod 777 /run/t86/s.sock
start_enforcerd $P

is "$(ns $D 1001 id -u 2>/dev/null)" EPERM \
	"built-in capability denials: a governed uid 1001 cannot map itself in a user namespace (uid_map: EPERM)"

is "$(ns $G 1001 id -u)" 0 "uid 1001 is root in its user namespace (governed)"
# ---- owner: judged by the kernel uid ----
is "$(ns $G 1001 probe open $H/home/a/f r)" EPERM "owner, userns: uid 1001 as the namespace's root may not read uid 1000's file"
is "$(ns $G 1001 probe open $H/home/a/f w)" EPERM "owner, userns: ... nor write it"
is "$(ns $G 1001 sh -c "echo x > $H/home/a/new 2>/dev/null && echo ok || echo EPERM")" EPERM \
	"owner, userns: ... nor create in uid 1000's directory (mode 777)"
is "$(ns $G 1001 trick unlink $H/home/a/f)" EPERM "owner, userns: ... nor unlink her file"
is "$(ns $G 1001 trick rename $H/home/a/f $H/home/b/f2)" EPERM "owner, userns: ... nor move it into his directory"
like "$(grep '"condition":"owner"' $AUDIT_LOG | tail -n 1)" '"uid":1001,' "owner, userns: the audit line names the kernel uid 1001"
is "$(ns $G 1001 probe open $H/home/b/f rw)" ok "owner, userns: uid 1001 uses its own file from the namespace"
is "$(ns $G 1000 probe open $H/home/a/f rw)" ok "owner, userns: uid 1000 uses hers from its namespace"
is "$(ns $S 1001 probe open $H/home/a/f r)" ok "owner, userns: control: the ungoverned sibling reads it (mode 666)"
# ---- unix: connect rule ----
is "$(ns $G 1000 netprobe unix-connect /run/t86/s.sock stream)" EPERM "unix:, userns: connect to the denied socket: EPERM"
is "$(ns $S 1000 netprobe unix-connect /run/t86/s.sock stream)" ok "unix:, userns: control: the sibling connects"
like "$(grep '"family":"unix"' $AUDIT_LOG | tail -n 1)" '"policy":"userns"' "unix:, userns: the audit line names the policy"
stop_enforcerd
kill $srv 2>/dev/null
wait $srv 2>/dev/null
umount $H
