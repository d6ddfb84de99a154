# SPDX-License-Identifier: GPL-2.0-only
# 60-bypass-exec.sh - issue 5, exec: tricks around an exec rule, tried by a
# confined root and a confined uid 1000 (trick: t/vm/bin/trick.c).  Each
# group first shows the plain exec is EPERM.  Deny-list: symlinks, hard
# links made before and after the load, relative paths, ./, .., //,
# fexecve, execveat(AT_EMPTY_PATH), /proc/self/fd, mmap PROT_EXEC, the
# dynamic loader (ld.so DENIED), denied scripts and denied #! interpreters.
# Allowlist (default = deny): a copy in /tmp, a memfd, a fresh tmpfs, the
# loader itself.

# the pins the bypass script before this one left are adopted (t/vm/lib.sh):
# its programs are this build's, its checks need no fresh load
ADOPT_PINS=1

P=/tmp/pol60
D=/opt/t60
cg_make t60/bound
cg_make t60/allow
cg_make t60/sibling
LDSO=/lib64/ld-linux-x86-64.so.2

mkdir -p $D/bindir /usr/lib
cp /usr/bin/allowme $D/bindir/tool
ln -s /usr/bin/denyme $D/sym
ln /usr/bin/denyme $D/hl-before
ln /usr/bin/allowme $D/hl-allowme
cp /bin/enforcerctl /usr/bin/dyndeny
printf '#!/bin/sh\nexit 0\n' > $D/denied.sh
printf '#!/usr/bin/other3\n' > $D/viainterp.sh
chmod 755 $D/denied.sh $D/viainterp.sh

write_policy $P exec-deny <<INI
[policy]
cgroup = /t60/bound
[exec]
deny = /usr/bin/denyme
deny = /usr/bin/dyndeny
deny = $D/denied.sh
deny = /usr/bin/other3     ; the interpreter of $D/viainterp.sh
deny = $D/bindir/
INI
write_policy $P exec-allow <<'INI'
[policy]
cgroup = /t60/allow
[exec]
default = deny
allow = /bin/
allow = /usr/bin/allowme
INI

start_enforcerd $P
ln /usr/bin/denyme $D/hl-after     # by unconfined root, after the load

# both CG WANT DESC CMD...: CMD's output is WANT as root and as uid 1000.
both() {
	_cg=$1 _want=$2 _desc=$3
	shift 3
	is "$(in_cg "$_cg" "$@")" "$_want" "$_desc (root)"
	is "$(in_cg "$_cg" /bin/runas 1000 "$@")" "$_want" "$_desc (uid 1000)"
}
B=/t60/bound

# ---- deny-list ----
both $B EPERM "exec: plain exec of the denied binary" probe exec /usr/bin/denyme
is "$(in_cg /t60/sibling probe exec /usr/bin/denyme)" ok "exec: the denied binary runs in the sibling"
both $B EPERM "exec: symlink to the denied binary" probe exec $D/sym
both $B EPERM "exec: hard link made before the policy loaded" probe exec $D/hl-before
both $B EPERM "exec: hard link made after the policy loaded" probe exec $D/hl-after
is "$(in_cg /t60/sibling probe exec $D/hl-after)" ok "exec: the hard link runs in the sibling"
both $B EPERM "exec: relative path (cwd /usr/bin)" sh -c 'cd /usr/bin && exec probe exec denyme'
both $B EPERM "exec: ./denyme" sh -c 'cd /usr/bin && exec probe exec ./denyme'
both $B EPERM "exec: ../bin/denyme from /usr/lib" sh -c 'cd /usr/lib && exec probe exec ../bin/denyme'
both $B EPERM "exec: /usr/bin/../bin/denyme" probe exec /usr/bin/../bin/denyme
both $B EPERM "exec: //usr//bin///denyme" probe exec //usr//bin///denyme
both $B EPERM "exec: /proc/self/root/usr/bin/denyme" probe exec /proc/self/root/usr/bin/denyme
both $B EPERM "exec: fexecve" trick fexecve /usr/bin/denyme
both $B EPERM "exec: execveat(fd, \"\", AT_EMPTY_PATH)" trick execveat-empty /usr/bin/denyme
both $B EPERM "exec: execve /proc/self/fd/N of an O_PATH fd" trick exec-procfd /usr/bin/denyme
both $B EPERM "exec: mmap PROT_EXEC of the denied binary" trick mmap-exec /usr/bin/denyme
is "$(in_cg /t60/sibling trick mmap-exec /usr/bin/denyme)" ok "exec: mmap PROT_EXEC passes in the sibling"
both $B EPERM "exec: mprotect PROT_EXEC of a read mapping of the denied binary" trick mprotect-exec /usr/bin/denyme

# A directory rule under a new root (d_path is relative to it).
both $B EPERM "exec: plain exec in a denied directory" probe exec $D/bindir/tool
is "$(in_cg $B trick chroot-exec $D/bindir /tool)" EPERM "exec: chroot into a denied directory, exec /tool (root)"
is "$(in_cg /t60/sibling trick chroot-exec $D/bindir /tool)" ok "exec: chroot-exec works in the sibling (control)"

# The dynamic loader maps the binary itself: caught by lsm/mmap_file.
both $B EPERM "exec: plain exec of the denied dynamic binary" probe exec /usr/bin/dyndeny --help
is "$(in_cg /t60/sibling $LDSO /usr/bin/dyndeny --help >/dev/null 2>&1; echo $?)" 0 \
	"exec: ld.so /usr/bin/dyndeny --help runs in the sibling (control)"
# ld.so fails with 127 when it cannot map the program; the audit line for
# each attempt (op mmap_exec, its uid) shows enforcer refused the mapping.
nmap() {
	jsonget -m op=mmap_exec -m uid=$1 path < $AUDIT_LOG 2>/dev/null | grep -c '^/usr/bin/dyndeny$'
}
for u in 0 1000; do
	if [ $u = 0 ]; then pre=; else pre="/bin/runas 1000"; fi
	n0=$(nmap $u)
	out=$(in_cg $B $pre $LDSO /usr/bin/dyndeny --help 2>&1)
	rc=$?
	is "$rc" 127 "exec: ld.so /usr/bin/dyndeny fails to load it (uid $u: exit 127)" || diag "$out"
	i=0
	while [ "$(nmap $u)" = "$n0" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	like "$(($(nmap $u) - n0))" '^[1-9][0-9]*$' "exec: ... audit line(s) op=mmap_exec path=/usr/bin/dyndeny uid=$u"
done
# Scripts.
both $B EPERM "exec: a denied script run directly" probe exec $D/denied.sh
is "$(in_cg /t60/sibling probe exec $D/denied.sh)" ok "exec: the script runs in the sibling"
both $B EPERM "exec: a script whose #! interpreter is denied" probe exec $D/viainterp.sh
is "$(in_cg /t60/sibling probe exec $D/viainterp.sh)" ok "exec: that script runs in the sibling"

# ---- allowlist: default = deny ----
A=/t60/allow
both $A ok "exec allowlist: the allowed binary runs" probe exec /usr/bin/allowme
both $A EPERM "exec allowlist: plain exec of another binary" probe exec /usr/bin/other1
cp /usr/bin/allowme /tmp/allowme-copy
both $A EPERM "exec allowlist: a copy of an allowed binary in /tmp" probe exec /tmp/allowme-copy
is "$(in_cg $A sh -c 'cp /usr/bin/allowme /tmp/own-copy && exec probe exec /tmp/own-copy')" EPERM \
	"exec allowlist: a copy the confined process made itself"
both $A EPERM "exec allowlist: memfd_create + fexecve payload" trick memfd-exec /usr/bin/allowme
is "$(in_cg /t60/sibling trick memfd-exec /usr/bin/allowme)" ok "exec allowlist: the memfd payload runs in the sibling"
both $A EPERM "exec allowlist: fexecve of a non-allowed binary" trick fexecve /usr/bin/other1
both $A EPERM "exec allowlist: execveat AT_EMPTY_PATH of a non-allowed binary" trick execveat-empty /usr/bin/other1
both $A EPERM "exec allowlist: /proc/self/fd exec of a non-allowed binary" trick exec-procfd /usr/bin/other1
# not defended (README): executable mappings answer to explicit deny (and
# owner) rules only, not to default = deny (shared libraries must map): a
# file off the allowlist maps PROT_EXEC (LD_PRELOAD, dlopen, a loader)
both $A ok "exec allowlist: mmap: PROT_EXEC of a file off the allowlist passes (README: not defended)" \
	trick mmap-exec /tmp/allowme-copy
mkdir -p /mnt/t60
mount -t tmpfs -o mode=755 t60 /mnt/t60
cp /usr/bin/allowme /mnt/t60/payload
both $A EPERM "exec allowlist: a binary on a fresh tmpfs mounted by root" probe exec /mnt/t60/payload
both $A EPERM "exec allowlist: the dynamic loader itself" probe exec $LDSO /usr/bin/allowme
both $A EPERM "exec allowlist: a hard link of an allowed binary elsewhere" probe exec $D/hl-allowme
umount /mnt/t60

stop_enforcerd
