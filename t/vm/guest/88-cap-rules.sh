# SPDX-License-Identifier: GPL-2.0-only
# 88-cap-rules.sh - issue 19, [capabilities] as peers' users write it
# (KubeArmor's capability rules): `deny = NAME` for capabilities outside
# the built-in set (CAP_KILL, CAP_CHOWN, CAP_DAC_OVERRIDE and
# CAP_DAC_READ_SEARCH), `default = deny` with `allow` (only what is named
# passes), `default = allow` with `deny` (the built-in set no longer
# denied, only what is named), for a governed root and for a governed uid
# 1000 as root of a user namespace of its own (escape -U: the capability
# is judged in every user namespace). The errno the kernel gives (EPERM,
# EACCES where a failed DAC override ends in a permission check), the
# audit line naming the capability, and an ungoverned sibling cgroup doing
# the same (control).
# guest-timeout: 600

P=/tmp/pol88
cg_make t88/deny
cg_make t88/defdeny
cg_make t88/defallow
cg_make t88/sib
N=/t88/deny
DD=/t88/defdeny
DA=/t88/defallow
S=/t88/sib
F=/srv88
mkdir -p $F
mount -t tmpfs -o mode=755 t88 $F
mkdir -p $F/root $F/u
echo data > $F/chownme
echo data > $F/priv
chown 1000 $F/chownme $F/priv $F/u
chmod 600 $F/priv                 # root reads and writes it only by CAP_DAC_*
echo data > $F/u/own000
chown 1000:1000 $F/u/own000   # uid and gid mapped in its namespace (capable_wrt_inode_uidgid)
chmod 000 $F/u/own000             # its owner too needs CAP_DAC_* (in its user namespace)

write_policy $P t88deny <<INI
[policy]
cgroup = $N
[capabilities]
deny = CAP_KILL, CAP_CHOWN          ; outside the built-in set
deny = DAC_OVERRIDE DAC_READ_SEARCH ; CAP_ optional, blanks separate too
allow = CAP_SYS_ADMIN               ; uid 1000 may map itself to root of a user namespace
INI
write_policy $P t88defdeny <<INI
[policy]
cgroup = $DD
[capabilities]
default = deny                      ; every capability but these
allow = CAP_CHOWN, CAP_SYS_ADMIN
allow = CAP_SETUID, CAP_SETGID      ; runas becomes uid 1000
INI
write_policy $P t88defallow <<INI
[policy]
cgroup = $DA
[capabilities]
default = allow                     ; only these denied (the built-in set is not)
deny = CAP_KILL
INI

# uid 1000 as root of a user namespace of its own, in cgroup CG
ns() { _cg=$1; shift; in_cg $_cg /bin/runas 1000 escape -U run "$@"; }

rm -f /tmp/t88.pid
in_cg $S /bin/runas 1000 sh -c 'echo $$ > /tmp/t88.pid; exec sleep 600' &
victim=$!
i=0; while [ $i -lt 50 ] && [ ! -s /tmp/t88.pid ]; do sleep 0.1; i=$((i + 1)); done
vpid=$(cat /tmp/t88.pid)
ok "a uid 1000 process to signal ($vpid)" test -n "$vpid"

start_enforcerd $P

# ---- deny = NAME ----
is "$(in_cg $N probe kill $vpid 0)" EPERM "deny CAP_KILL: root may not signal a uid 1000 process"
ok "deny CAP_KILL: the audit line names the capability and the policy" \
	wait_audit '"hook":"capability".*"policy":"t88deny".*"capability":"CAP_KILL"'
is "$(in_cg $N trick chown $F/chownme)" EPERM "deny CAP_CHOWN: root may not chown a file it does not own"
ok "deny CAP_CHOWN: the audit line names it" \
	wait_audit '"hook":"capability".*"policy":"t88deny".*"capability":"CAP_CHOWN"'
is "$(in_cg $N probe open $F/priv w)" EACCES "deny CAP_DAC_OVERRIDE: root may not write another's 0600 file"
is "$(in_cg $N probe open $F/priv r)" EACCES "deny CAP_DAC_READ_SEARCH too: nor read it"
ok "deny CAP_DAC_OVERRIDE: the audit line names it" \
	wait_audit '"hook":"capability".*"policy":"t88deny".*"capability":"CAP_DAC_OVERRIDE"'
is "$(in_cg $N /bin/runas 1000 probe kill $vpid 0)" ok "deny CAP_KILL: a process's own uid needs no capability"
is "$(in_cg $S probe kill $vpid 0)" ok "the sibling's root signals it (control)"
is "$(in_cg $S trick chown $F/chownme)" ok "the sibling's root chowns (control)"
is "$(in_cg $S probe open $F/priv w)" ok "the sibling's root writes the 0600 file (control)"
if [ "$(ns $S id -u)" = 0 ]; then
	is "$(ns $S probe open $F/u/own000 r)" ok \
		"userns: the sibling's uid 1000, root of its own namespace, reads its mode-000 file (control)"
	is "$(ns $N probe open $F/u/own000 r)" EACCES \
		"userns: denied CAP_DAC_* hold for a governed uid 1000 as root of its own namespace"
	ok "userns: the audit line names uid 1000 and the capability" \
		wait_audit '"hook":"capability".*"policy":"t88deny".*"uid":1000,.*"capability":"CAP_DAC_(OVERRIDE|READ_SEARCH)"'
	is "$(ns $DD probe open $F/u/own000 r)" EACCES "userns: default = deny holds there too"
	is "$(ns $DA probe open $F/u/own000 r)" ok "userns: default = allow grants it there"
	is "$(ns $DA escape chroot $F/root)" ok "userns: default = allow: CAP_SYS_CHROOT (built-in set) granted"
	is "$(ns $DD escape chroot $F/root)" EPERM "userns: default = deny: CAP_SYS_CHROOT denied"
else
	skip "userns: capabilities in a user namespace of its own" "an ungoverned uid 1000 cannot make one here"
fi

# ---- default = deny ----
is "$(in_cg $DD trick chown $F/chownme)" ok "default = deny: the allowed CAP_CHOWN works"
is "$(in_cg $DD probe kill $vpid 0)" EPERM "default = deny: CAP_KILL (not named) denied"
is "$(in_cg $DD probe open $F/priv w)" EACCES "default = deny: CAP_DAC_OVERRIDE (not named) denied"
ok "default = deny: the audit line names the default" \
	wait_audit '"hook":"capability".*"policy":"t88defdeny","rule":"default".*"capability":"CAP_KILL"'

# ---- default = allow ----
is "$(in_cg $DA probe kill $vpid 0)" EPERM "default = allow: the named CAP_KILL denied"
is "$(in_cg $DA probe open $F/priv w)" ok "default = allow: CAP_DAC_OVERRIDE passes"
is "$(in_cg $DA escape chroot $F/root)" ok "default = allow: CAP_SYS_CHROOT (in the built-in set) passes"
is "$(in_cg $DA trick chown $F/chownme)" ok "default = allow: CAP_CHOWN passes"

kill $vpid $victim 2>/dev/null
wait $victim 2>/dev/null
stop_enforcerd
umount $F
