# SPDX-License-Identifier: GPL-2.0-only
# 27-rule-hits.sh - issue 17: rule hit counters.  Each rule's allowed,
# denied and audited (would deny) matches since load, counted by the kernel:
# `enforcerctl stats --rules`, the per-policy "rules" of the JSON stats, the
# enforcer_rule_hits_total series of `stats --prometheus`, and `enforcerctl
# check --unused`.  Exact counts after a known workload; a sibling cgroup's
# actions are not counted; a reload that keeps a policy's rules keeps its
# counts, one that changes them starts them at zero, a new policy at zero.

# the pins the script before this one left are adopted (t/vm/lib.sh): its
# programs are this build's, its checks need no fresh load
ADOPT_PINS=1

P=/tmp/pol27
D=/data/t27
rm -rf $P $D
mkdir -p $D/ro
echo s > $D/secret
echo r > $D/ro/f
cg_make t27/gov
cg_make t27/aud
cg_make t27/other
# line numbers matter: the counters name rules by line
write_policy $P t27 <<INI
[policy]
cgroup = /t27/gov
[exec]
deny = /usr/bin/denyme
[file]
deny = $D/secret
readonly = $D/ro/
allow = $D/never
[connect]
deny = 10.9.9.9/32 port 80 tcp
INI
write_policy $P t27a <<INI
[policy]
cgroup = /t27/aud
mode = audit
[file]
deny = $D/secret
INI
# a normal stop (at the end) leaves the pins for the next script
trap '[ -e /tmp/.pins_left ] || unload_enforcer' EXIT
start_enforcerd $P || exit 0

for i in 1 2; do in_cg t27/gov probe exec /usr/bin/denyme >/dev/null; done
for i in 1 2 3; do in_cg t27/gov probe open $D/secret r >/dev/null; done
for i in 1 2; do in_cg t27/gov probe open $D/ro/f r >/dev/null; done
is "$(in_cg t27/gov probe open $D/ro/f w)" EPERM "readonly rule: write denied (EPERM)"
for i in 1 2; do in_cg t27/aud probe open $D/secret r >/dev/null; done
# the neighbour: ungoverned, never counted
for i in 1 2 3 4; do in_cg t27/other probe open $D/secret r >/dev/null; done

# hits POLICY LINE: "allowed denied audited" of that rule (stats rules)
hits() {
	enforcerctl --json stats --rules | grep -o '{"policy":"'"$1"'",[^}]*}' |
		jsonget -m "line=$2" allowed denied audited | tr '\t' ' '
}
enforcerctl --json stats --rules > /tmp/t27.rules
ok "stats --rules: valid JSON" jsonget < /tmp/t27.rules
is "$(hits t27 4)" "0 2 0" "exec deny rule (line 4): denied 2"
is "$(hits t27 6)" "0 3 0" "file deny rule (line 6): denied 3, the sibling's 4 opens not counted"
is "$(hits t27 7)" "2 1 0" "readonly rule (line 7): 2 reads allowed, 1 write denied"
is "$(hits t27 8)" "0 0 0" "unused allow rule (line 8): no hits"
is "$(hits t27 5 | wc -l)" 0 "a section header is not a rule"
is "$(hits t27a 5)" "0 0 2" "audit-mode rule: 2 would-deny (audited), none denied"
# the file section's default of t27 allowed the probes' own loads and more
dflt=$(enforcerctl --json stats --rules | grep -o '{"policy":"t27",[^}]*}' |
	jsonget -m hook=file -m rule=default allowed)
ok "file default of t27: allowed > 0 ($dflt)" test "${dflt:-0}" -gt 0

# JSON stats: the policy's rules that matched
enforcerctl --json stats > /tmp/t27.stats
like "$(cat /tmp/t27.stats)" '"line":6,"rule":"deny = /data/t27/secret","allowed":0,"denied":3,"audited":0' \
	"stats (JSON): the deny rule with its counts"
ok "stats (JSON): an unused rule is not listed" sh -c '! grep -q "\"rule\":\"allow = /data/t27/never\"" /tmp/t27.stats'

# Prometheus
enforcerctl stats --prometheus > /tmp/t27.prom
like "$(cat /tmp/t27.prom)" 'enforcer_rule_hits_total\{policy="t27",hook="file",line="6",rule="deny = /data/t27/secret",outcome="denied"\} 3' \
	"prometheus: enforcer_rule_hits_total of the deny rule"
like "$(cat /tmp/t27.prom)" 'enforcer_rule_hits_total\{policy="t27a",hook="file",line="5",rule="deny = /data/t27/secret",outcome="audited"\} 2' \
	"prometheus: the audit-mode rule's audited count"

# check --unused
enforcerctl check --unused > /tmp/t27.unused; rc=$?
is "$rc" 0 "check --unused exits 0"
like "$(cat /tmp/t27.unused)" '"line":8,"rule":"allow = /data/t27/never"' "check --unused lists the unused rule"
like "$(cat /tmp/t27.unused)" '"line":10,"rule":"deny = 10.9.9.9/32 port 80 tcp"' "check --unused lists the unused connect rule"
ok "check --unused does not list a rule that matched" sh -c '! grep -q "\"line\":6," /tmp/t27.unused'

# reload: same rules keep their counts; changed rules start at zero
enforcerctl reload >/dev/null
is "$(hits t27 6)" "0 3 0" "reload with the same rules: counts kept"
# one more [file] rule after line 8 (rule ids of later rules shift)
awk -v r="allow = $D/also" '{ print } NR == 8 { print r }' $P/t27.ini > $P/t27.new &&
	mv $P/t27.new $P/t27.ini
enforcerctl reload >/tmp/t27.reload 2>&1 || diag "reload: $(cat /tmp/t27.reload)"
is "$(hits t27 6)" "0 0 0" "reload with changed rules: t27's counts start at zero"
is "$(hits t27a 5)" "0 0 2" "reload: t27a (unchanged) keeps its counts"
in_cg t27/gov probe open $D/secret r >/dev/null
is "$(hits t27 6)" "0 1 0" "after the reload: counted again"

# a policy new in a reload counts from zero, even in the counter slots the
# changed t27 left (its old counts are not inherited: rule_slots.c zeroes them)
cg_make t27/b
write_policy $P t27b <<INI
[policy]
cgroup = /t27/b
[file]
deny = $D/secret
INI
enforcerctl reload >/tmp/t27.reload 2>&1 || diag "reload: $(cat /tmp/t27.reload)"
is "$(hits t27b 4)" "0 0 0" "a new policy's rule starts at zero"
is "$(enforcerctl --json stats --rules | grep -o '{"policy":"t27b",[^}]*}' |
	jsonget -m hook=file -m rule=default allowed denied audited | tr '\t' ' ')" "0 0 0" \
	"a new policy's section default starts at zero"
in_cg t27/b probe open $D/secret r >/dev/null
is "$(hits t27b 4)" "0 1 0" "the new policy's rule counted"
is "$(hits t27 6)" "0 1 0" "t27 (unchanged by that reload) keeps its count"
is "$(hits t27a 5)" "0 0 2" "t27a keeps its count"

# bad request: a clear error, the daemon keeps serving
like "$(enforcerctl --json stats --rules bogus 2>&1; echo "rc=$?")" "rc=2" "stats --rules bogus: usage error"
like "$(sockclient -s 'stats rules nope\n' -c 1 /run/enforcer/enforcer.sock 2>&1)" 'unknown argument' \
	"socket: stats rules nope refused with a message"
is "$(hits t27 6)" "0 1 0" "the daemon still answers"
stop_enforcerd
