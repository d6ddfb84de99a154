# SPDX-License-Identifier: GPL-2.0-only
# 16-exact-paths.sh - rules that name one whole path (a file, a directory's
# own name) are looked up in the exact-path hash (path_exact) before the
# LPM trie: judged by path alone (files created after the load: no inode
# identity to fall back on), the verdict is the trie's for every path:
# exact over directory rule, nothing for a longer or shorter name, the
# policy's own keys only, paths at and past the key's size (59 bytes fit,
# 60 go to the trie), the bytes after the name's NUL left by a longer path
# before, exec rules, a directory's own name, reloads that add and remove
# the keys (a half refilled keeps none of its earlier keys but those of the
# new set, with their values).

# the pins the script before this one left are adopted (t/vm/lib.sh)
ADOPT_PINS=1

P=/tmp/pol16
D=/data/t16
rm -rf $D $P
cg_make t16/bound
cg_make t16/other
cg_make t16/sibling

# names of 59 and 60 bytes (an exact key holds 60 with the NUL)
fill() {
	head -c "$1" < /dev/zero | tr '\0' "$2"
}
L59=$D/len/$(fill 45 a)
L60=$D/len/$(fill 46 b)
LONG=$D/len/$(fill 200 c)
[ ${#L59} = 59 ] && [ ${#L60} = 60 ] || fail "test setup: name lengths ${#L59} ${#L60}"

policy_a() {
	write_policy $P t16 <<INI
[policy]
cgroup = /t16/bound
[exec]
deny = $D/bin/prog
[file]
deny = $D/late/
allow = $D/late/ok
deny = $D/late2/a
deny = $D/dirr/
deny = $L59
deny = $L60
deny = $LONG
INI
}
# the same policy without the rule on $D/late2/a
policy_b() {
	policy_a
	sed -i "\|^deny = $D/late2/a\$|d" $P/t16.ini
}
policy_a
write_policy $P t16other <<INI
[policy]
cgroup = /t16/other
[file]
default = deny
allow = $D/late2/a
allow = /bin/
allow = /usr/
allow = /lib/
allow = /lib64/
allow = /etc/
INI

start_enforcerd $P

# every file below is created after the load: judged by its path only
mkdir -p $D/late $D/late2 $D/len $D/bin $D/dirr
for f in late/x late/ok late/okx late2/a late2/aa late2/b "$L59" "$L60" "$LONG" "${L59}x" dirr/f; do
	case $f in
	/*) echo data > "$f" ;;
	*) echo data > "$D/$f" ;;
	esac
done
cp /usr/bin/allowme $D/bin/prog
cp /usr/bin/allowme $D/bin/prog2

B=/t16/bound
is "$(in_cg $B probe open $D/late/x r)" EPERM "directory rule by path: a file created after the load"
is "$(in_cg $B probe open $D/late/ok r)" ok "exact allow over the directory's deny (by path)"
is "$(in_cg $B probe open $D/late/okx r)" EPERM "a longer name than the exact rule's: the directory rule"
is "$(in_cg $B probe open $D/late2/a r)" EPERM "exact deny by path"
is "$(in_cg $B probe open $D/late2/aa r)" ok "a longer name than an exact deny: allowed"
is "$(in_cg $B probe open $D/late2/b r)" ok "a sibling of an exact deny: allowed"
is "$(in_cg $B probe open "$L59" r)" EPERM "exact deny of a 59-byte path (an exact-path key)"
is "$(in_cg $B probe open "${L59}x" r)" ok "its name plus one byte: allowed"
is "$(in_cg $B probe open "$L60" r)" EPERM "exact deny of a 60-byte path (in the trie)"
is "$(in_cg $B probe open "$LONG" r)" EPERM "exact deny of a ${#LONG}-byte path (in the trie)"
is "$(in_cg $B probe open $D/dirr r)" EPERM "a directory rule's own name (exact key)"
is "$(in_cg $B probe open $D/dirr/f r)" EPERM "below a directory rule"
is "$(in_cg $B probe exec $D/bin/prog)" EPERM "exec: exact deny by path"
is "$(in_cg $B probe exec $D/bin/prog2)" ok "exec: another program runs"
ok "exact deny: the audit line names the rule" \
	wait_audit "\"rule\": *\"deny = $D/late2/a\""

# the bytes after a short name's NUL: whatever a longer path left there
bad=0
for i in 1 2 3 4 5 6; do
	in_cg $B probe open "$LONG" r >/dev/null
	[ "$(in_cg $B probe open $D/late2/a r)" = EPERM ] || bad=$((bad + 1))
	in_cg $B probe open "$L60" r >/dev/null
	[ "$(in_cg $B probe open "$L59" r)" = EPERM ] || bad=$((bad + 1))
done
is "$bad" 0 "exact denies hold after longer paths (12 opens)"

# keys are the policy's own: the other policy allows what this one denies
is "$(in_cg /t16/other probe open $D/late2/a r)" ok "another policy's exact allow"
is "$(in_cg /t16/other probe open $D/late2/b r)" EPERM "... and its default deny beside it"
is "$(in_cg /t16/sibling probe open $D/late2/a r)" ok "an ungoverned sibling: allowed"

# reloads: the key goes, comes back, goes (each half refilled twice)
for round in 1 2; do
	policy_b
	enforcerctl reload >/dev/null 2>&1
	is "$(in_cg $B probe open $D/late2/a r)" ok "round $round: reload without the exact rule: allowed"
	is "$(in_cg $B probe open "$L59" r)" EPERM "round $round: the other exact rules stay"
	policy_a
	enforcerctl reload >/dev/null 2>&1
	is "$(in_cg $B probe open $D/late2/a r)" EPERM "round $round: reload with it again: denied"
	is "$(in_cg $B probe open $D/late/ok r)" ok "round $round: the exact allow again"
done

# a half refilled with a set it held an entry of before keeps that entry
# (neither deleted nor written again: policy_apply.c, lit_keep), only when
# key and value are the new set's: the same keys in the same places with
# one verdict changed each time (policy_c: $D/late2/a allowed; policy_d:
# $L59 allowed), each loaded into the half that held a set differing from
# it in that one value
policy_c() {
	policy_a
	sed -i "s|^deny = $D/late2/a\$|allow = $D/late2/a|" $P/t16.ini
}
policy_d() {
	policy_a
	sed -i "s|^deny = $L59\$|allow = $L59|" $P/t16.ini
}
policy_c                      # the live half holds a, the other b
enforcerctl reload >/dev/null 2>&1
is "$(in_cg $B probe open $D/late2/a r)" ok "kept entries: the set changed in one value (allowed now)"
policy_d                      # into the half that held a
enforcerctl reload >/dev/null 2>&1
is "$(in_cg $B probe open "$L59" r)" ok "kept entries: a value changed in the refilled half's place: the new one"
is "$(in_cg $B probe open $D/late2/a r)" EPERM "kept entries: the unchanged entry beside it (denied)"
is "$(in_cg $B probe open $D/late/ok r)" ok "kept entries: the exact allow beside it"
policy_a                      # into the half that held c
enforcerctl reload >/dev/null 2>&1
is "$(in_cg $B probe open $D/late2/a r)" EPERM "kept entries: the value the refilled half held replaced (denied again)"
is "$(in_cg $B probe open "$L59" r)" EPERM "kept entries: the entry kept through two reloads"
is "$(in_cg $B probe exec $D/bin/prog)" EPERM "kept entries: the exec rule"

stop_enforcerd
rm -rf $D $P
