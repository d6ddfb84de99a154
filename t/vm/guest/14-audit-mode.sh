# SPDX-License-Identifier: GPL-2.0-only
# 14-audit-mode.sh - mode = audit: nothing is denied, every would-be denial
# is logged with action "audit"; an enforce policy with the same rules next
# to it denies and logs action "deny".

# the pins the script before this one left are adopted (t/vm/lib.sh): its
# programs are this build's, its checks need no fresh load
ADOPT_PINS=1

P=/tmp/pol14
D=/data/t14
cg_make t14/aud/child
cg_make t14/enf
mkdir -p $D
echo data > $D/secret

write_policy $P watch <<INI
[policy]
cgroup = /t14/aud
mode = audit
[exec]
deny = /usr/bin/denyme
[file]
deny = $D/secret
[connect]
deny = 127.0.0.2
INI
write_policy $P block <<INI
[policy]
cgroup = /t14/enf
mode = enforce
[exec]
deny = /usr/bin/denyme
[file]
deny = $D/secret
[connect]
deny = 127.0.0.2
INI

start_enforcerd $P

is "$(in_cg /t14/aud probe exec /usr/bin/denyme)" ok "audit mode: exec not denied"
is "$(in_cg /t14/aud probe open $D/secret r)" ok "audit mode: open not denied"
is "$(in_cg /t14/aud probe connect 127.0.0.2 80 tcp)" ECONNREFUSED "audit mode: connect not denied"
is "$(in_cg /t14/aud/child probe exec /usr/bin/denyme)" ok "audit mode: child cgroup not denied either"
is "$(in_cg /t14/enf probe exec /usr/bin/denyme)" EPERM "enforce mode: exec denied"
is "$(in_cg /t14/enf probe open $D/secret r)" EPERM "enforce mode: open denied"
is "$(in_cg /t14/enf probe connect 127.0.0.2 80 tcp)" EPERM "enforce mode: connect denied"

ok "audit mode: exec would-be denial logged" wait_audit '"hook": *"exec".*"policy": *"watch"|"policy": *"watch".*"hook": *"exec"'
ok "audit mode: file would-be denial logged" wait_audit '"hook": *"file".*"policy": *"watch"|"policy": *"watch".*"hook": *"file"'
ok "audit mode: connect would-be denial logged" wait_audit '"hook": *"connect".*"policy": *"watch"|"policy": *"watch".*"hook": *"connect"'
ok "enforce mode: connect denial logged" wait_audit '"hook": *"connect".*"policy": *"block"|"policy": *"block".*"hook": *"connect"'

stop_enforcerd

is "$(jsonget -m policy=watch action < $AUDIT_LOG | sort -u)" audit "audit mode: lines say action audit"
is "$(jsonget -m policy=watch -m hook=exec action < $AUDIT_LOG | wc -l)" 2 "audit mode: one line per would-be exec denial (cgroup and child)"
is "$(jsonget -m policy=block action < $AUDIT_LOG | sort -u)" deny "enforce mode: lines say action deny"
is "$(jsonget -m policy=block action < $AUDIT_LOG | wc -l)" 3 "enforce mode: one line per denial"
ok "audit log: every line valid JSON" jsonget < $AUDIT_LOG
