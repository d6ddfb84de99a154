# SPDX-License-Identifier: GPL-2.0-only
# 85-tty.sh - terminal injection (issue 12): a governed process whose
# controlling terminal an unconfined process also reads (a command started
# from an admin's shell) pushes input into it with ioctl TIOCSTI (also from
# a 32-bit program: the compat ioctl path) or TIOCLINUX's selection
# set/paste.  Denied with EPERM and an audit line naming CAP_SYS_ADMIN when
# the policies deny that capability (the default), allowed when
# [capabilities] grants it; harmless TIOCLINUX subcodes pass; the same
# attempts from an ungoverned sibling cgroup inject (control).
# t/vm/bin/ttyinject.c, t/vm/bin32/tiocsti32.c.
# guest-timeout: 1200

P=/tmp/pol85
# the pseudo-terminals' file system (the busybox VM's /init does not mount it)
if ! grep -q ' /dev/pts devpts ' /proc/mounts; then
	mkdir -p /dev/pts
	mount -t devpts -o ptmxmode=666 devpts /dev/pts
fi
cg_make t85/conf
cg_make t85/adm
cg_make t85/free
C=/sys/fs/cgroup/t85/conf
A=/sys/fs/cgroup/t85/adm
F=/sys/fs/cgroup/t85/free
write_policy $P tty <<INI
[policy]
cgroup = /t85/conf
[exec]
deny = /usr/bin/denyme
INI
write_policy $P ttyadm <<INI
[policy]
cgroup = /t85/adm
[exec]
deny = /usr/bin/denyme
[capabilities]
allow = CAP_SYS_ADMIN
INI

# ---- before enforcer: what the kernel allows ----
is "$(ttyinject sti $C)" "ok injected" "no enforcer: TIOCSTI on the controlling terminal injects (the kernel allows it)"
start_enforcerd $P

# ---- TIOCSTI ----
is "$(ttyinject sti $C)" "EPERM none" "governed: TIOCSTI into a terminal an unconfined process reads: EPERM, nothing injected"
is "$(ttyinject sti $F)" "ok injected" "control: from an ungoverned sibling cgroup it injects"
is "$(ttyinject sti $A)" "ok injected" "governed with [capabilities] allow = CAP_SYS_ADMIN: it injects"
if [ "$(ttyinject sti32 $F /bin/tiocsti32)" = "ok injected" ]; then
	is "$(ttyinject sti32 $C /bin/tiocsti32)" "EPERM none" \
		"governed 32-bit program: TIOCSTI through the compat ioctl: EPERM, nothing injected"
else
	skip "32-bit TIOCSTI: the control (ungoverned) could not inject ($(ttyinject sti32 $F /bin/tiocsti32))"
fi
wait_audit '"op":"tiocsti"'
line=$(grep '"op":"tiocsti"' $AUDIT_LOG | head -n 1)
like "$line" '"policy":"tty"' "audit: the TIOCSTI denial names policy tty"
like "$line" '"capability":"CAP_SYS_ADMIN"' "audit: ... and CAP_SYS_ADMIN"
is "$(grep '"op":"tiocsti"' $AUDIT_LOG | grep -c '"policy":"ttyadm"')" 0 "audit: no line for the granted policy"

# ---- TIOCLINUX: set and paste selection (a virtual console where there is one) ----
# on a pty the kernel has no TIOCLINUX (the control gets ENOTTY); the
# governed paste is refused before the driver
is "$(ttyinject linux 3 $C /dev/ptmx)" EPERM "governed: TIOCLINUX paste (3): EPERM"
is "$(ttyinject linux 2 $C /dev/ptmx)" EPERM "governed: TIOCLINUX set selection (2): EPERM"
is "$(ttyinject linux 3 $F /dev/ptmx)" ENOTTY "control: ungoverned, the pty's own answer (ENOTTY)"
is "$(ttyinject linux 6 $C /dev/ptmx)" ENOTTY "governed: a harmless subcode (6, shift state) reaches the driver"
vt=$(ttyinject linux 3 $F /dev/tty1 2>/dev/null)
if [ "$vt" = ok ]; then
	is "$(ttyinject linux 3 $C /dev/tty1)" EPERM "governed: paste on the virtual console /dev/tty1: EPERM"
	is "$(ttyinject linux 3 $A /dev/tty1)" ok "governed with CAP_SYS_ADMIN granted: paste on /dev/tty1 passes"
else
	skip "TIOCLINUX on a virtual console: the control could not paste on /dev/tty1 (${vt:-no /dev/tty1})"
fi
like "$(grep '"op":"tioclinux"' $AUDIT_LOG | head -n 1)" '"capability":"CAP_SYS_ADMIN"' \
	"audit: the TIOCLINUX denial names CAP_SYS_ADMIN"
stop_enforcerd
# the links go once the kernel drops its last reference (a work queue on
# newer kernels; slow under a loaded TCG): wait for it, 60 s at most
_i=0
until [ "$(ttyinject sti $C)" = "ok injected" ] || [ $_i -ge 60 ]; do sleep 1; _i=$((_i + 1)); done
is "$(ttyinject sti $C)" "ok injected" "enforcer stopped and unloaded: the same cgroup injects again"
