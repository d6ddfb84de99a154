# SPDX-License-Identifier: GPL-2.0-only
# 10-exec.sh - lsm/bprm_check_security: exec denied with EPERM in the bound
# cgroup and its children, not in a sibling; default = deny allowlists;
# precedence (file over directory, deeper directory over shallower, equal
# specificity: deny wins); a rule naming a symlink catches its target.

# the pins the script before this one left are adopted (t/vm/lib.sh): its
# programs are this build's, its checks need no fresh load
ADOPT_PINS=1

P=/tmp/pol10
cg_make t10/bound/child/grandchild
cg_make t10/sibling
cg_make t10/allow
cg_make t10/prec

mkdir -p /opt/t10/x/y /opt/t10/eq
cp /usr/bin/allowme /opt/t10/x/y/inner
cp /usr/bin/allowme /opt/t10/x/outer
cp /usr/bin/allowme /opt/t10/eq/both

write_policy $P exec-deny <<'INI'
[policy]
cgroup = /t10/bound
[exec]
deny = /usr/bin/denyme
deny = /usr/local/bin/viasym   ; a symlink to /usr/bin/symtarget
INI
write_policy $P exec-allowlist <<'INI'
[policy]
cgroup = /t10/allow
[exec]
default = deny
allow = /bin/
allow = /usr/bin/allowme
INI
write_policy $P exec-prec <<'INI'
[policy]
cgroup = /t10/prec
[exec]
deny = /usr/bin/
allow = /usr/bin/allowme
deny = /opt/t10/x/
allow = /opt/t10/x/y/
allow = /opt/t10/eq/both
deny = /opt/t10/eq/both
INI

start_enforcerd $P

is "$(in_cg /t10/bound probe exec /usr/bin/denyme)" EPERM "exec: denied file in the bound cgroup: EPERM"
is "$(in_cg /t10/bound probe exec /usr/bin/allowme)" ok "exec: other file in the bound cgroup runs"
is "$(in_cg /t10/bound /bin/runas 1000 probe exec /usr/bin/denyme)" EPERM "exec: denied for uid 1000 too"
is "$(in_cg /t10/bound/child probe exec /usr/bin/denyme)" EPERM "exec: child cgroup inherits the deny"
is "$(in_cg /t10/bound/child/grandchild probe exec /usr/bin/denyme)" EPERM "exec: grandchild cgroup inherits the deny"
is "$(in_cg /t10/sibling probe exec /usr/bin/denyme)" ok "exec: sibling cgroup unaffected"
is "$(probe exec /usr/bin/denyme)" ok "exec: root cgroup (the harness) unaffected"
is "$(in_cg /t10/bound probe exec /usr/bin/symtarget)" EPERM "exec: rule naming a symlink denies its target"
is "$(in_cg /t10/bound probe exec /usr/local/bin/viasym)" EPERM "exec: rule naming a symlink denies exec through it"
is "$(in_cg /t10/sibling probe exec /usr/local/bin/viasym)" ok "exec: symlink target runs in the sibling"

is "$(in_cg /t10/allow probe exec /usr/bin/allowme)" ok "exec allowlist: allowed file runs"
is "$(in_cg /t10/allow probe exec /bin/true)" ok "exec allowlist: allowed directory runs"
is "$(in_cg /t10/allow probe exec /usr/bin/other1)" EPERM "exec allowlist: anything else EPERM"
is "$(in_cg /t10/allow probe exec /opt/t10/x/outer)" EPERM "exec allowlist: other directory EPERM"
is "$(in_cg /t10/sibling probe exec /usr/bin/other1)" ok "exec allowlist: sibling unaffected"

is "$(in_cg /t10/prec probe exec /usr/bin/allowme)" ok "exec precedence: file allow beats directory deny"
is "$(in_cg /t10/prec probe exec /usr/bin/other2)" EPERM "exec precedence: directory deny applies elsewhere"
is "$(in_cg /t10/prec probe exec /opt/t10/x/y/inner)" ok "exec precedence: deeper directory allow beats shallower deny"
is "$(in_cg /t10/prec probe exec /opt/t10/x/outer)" EPERM "exec precedence: shallower directory deny applies outside"
is "$(in_cg /t10/prec probe exec /opt/t10/eq/both)" EPERM "exec precedence: equal specificity, deny wins"
is "$(in_cg /t10/prec probe exec /bin/true)" ok "exec precedence: unmatched path takes the default (allow)"

stop_enforcerd
