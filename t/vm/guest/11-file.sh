# SPDX-License-Identifier: GPL-2.0-only
# 11-file.sh - lsm/file_open: opens denied with EPERM (reads and writes told
# apart) in the bound cgroup and its children, not in a sibling; readonly;
# default = deny allowlists; precedence; a rule naming a symlink.

# the pins the script before this one left are adopted (t/vm/lib.sh): its
# programs are this build's, its checks need no fresh load
ADOPT_PINS=1

P=/tmp/pol11
D=/data/t11
cg_make t11/bound/child
cg_make t11/sibling
cg_make t11/allow

mkdir -p $D/ro $D/prec/sub/deeper $D/allowed
for f in secret plain target eq ro/f prec/x prec/open prec/sub/f prec/sub/deeper/f allowed/f; do
	echo data > $D/$f
done
chmod 644 $D/secret
ln -s $D/target $D/link

write_policy $P file-deny <<INI
[policy]
cgroup = /t11/bound
[file]
deny = $D/secret
deny = $D/link          ; a symlink to $D/target
readonly = $D/ro/
deny = $D/prec/
allow = $D/prec/open
allow = $D/prec/sub/
deny = $D/prec/sub/deeper/
allow = $D/eq
deny = $D/eq
INI
write_policy $P file-allowlist <<INI
[policy]
cgroup = /t11/allow
[file]
default = deny
allow = /bin/
allow = $D/allowed/
readonly = /etc/
INI

start_enforcerd $P

is "$(in_cg /t11/bound probe open $D/secret r)" EPERM "file: read of a denied file: EPERM"
is "$(in_cg /t11/bound probe open $D/secret w)" EPERM "file: write of a denied file: EPERM"
is "$(in_cg /t11/bound probe open $D/plain rw)" ok "file: other file opens in the bound cgroup"
is "$(in_cg /t11/bound /bin/runas 1000 probe open $D/secret r)" EPERM "file: denied for uid 1000 too"
is "$(in_cg /t11/bound/child probe open $D/secret r)" EPERM "file: child cgroup inherits the deny"
is "$(in_cg /t11/sibling probe open $D/secret r)" ok "file: sibling cgroup unaffected"
is "$(in_cg /t11/sibling /bin/runas 1000 probe open $D/secret r)" ok "file: sibling unaffected for uid 1000"
is "$(probe open $D/secret r)" ok "file: root cgroup (the harness) unaffected"
is "$(in_cg /t11/bound probe open $D/target r)" EPERM "file: rule naming a symlink denies its target"
is "$(in_cg /t11/bound probe open $D/link r)" EPERM "file: rule naming a symlink denies opens through it"
is "$(in_cg /t11/bound probe open /nonexistent r)" ENOENT "file: a missing file is still ENOENT"

is "$(in_cg /t11/bound probe open $D/ro/f r)" ok "file readonly: read passes"
is "$(in_cg /t11/bound probe open $D/ro/f w)" EPERM "file readonly: write EPERM"
is "$(in_cg /t11/bound probe open $D/ro/f rw)" EPERM "file readonly: read-write EPERM"
is "$(in_cg /t11/bound/child probe open $D/ro/f w)" EPERM "file readonly: child cgroup inherits"
is "$(in_cg /t11/sibling probe open $D/ro/f w)" ok "file readonly: sibling may write"

is "$(in_cg /t11/bound probe open $D/prec/x r)" EPERM "file precedence: directory deny applies"
is "$(in_cg /t11/bound probe open $D/prec/open r)" ok "file precedence: file allow beats directory deny"
is "$(in_cg /t11/bound probe open $D/prec/sub/f r)" ok "file precedence: deeper directory allow beats shallower deny"
is "$(in_cg /t11/bound probe open $D/prec/sub/deeper/f r)" EPERM "file precedence: deeper directory deny beats shallower allow"
is "$(in_cg /t11/bound probe open $D/eq r)" EPERM "file precedence: equal specificity, deny wins"

is "$(in_cg /t11/allow probe open $D/allowed/f rw)" ok "file allowlist: allowed directory opens"
is "$(in_cg /t11/allow probe open $D/plain r)" EPERM "file allowlist: anything else EPERM"
is "$(in_cg /t11/allow probe open /etc/passwd r)" ok "file allowlist: readonly directory reads"
is "$(in_cg /t11/allow probe open /etc/passwd w)" EPERM "file allowlist: readonly directory write EPERM"
is "$(in_cg /t11/sibling probe open $D/plain r)" ok "file allowlist: sibling unaffected"

stop_enforcerd
