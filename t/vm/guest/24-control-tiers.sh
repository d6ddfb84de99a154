# SPDX-License-Identifier: GPL-2.0-only
# 24-control-tiers.sh - the control socket's two tiers (issue 12): members
# of --socket-group read (status, stats, audit) but may not reload, reopen,
# bind or unload; root and --admin-group members may; a peer in a governed
# cgroup, root included, only reads, with the exact refusal; a peer outside
# every policy (the control) keeps the admin tier.
# guest-timeout: 600

# the pins the script before this one left are adopted (t/vm/lib.sh): its
# programs are this build's, its checks need no fresh load
ADOPT_PINS=1

P=/tmp/pol24
S=/run/enforcer/enforcer.sock
CG=t24/gov
cg_make $CG
cg_make t24/free
write_policy $P t24 <<INI
[policy]
cgroup = /$CG
[exec]
deny = /usr/bin/denyme
INI

refusal() {
	printf '{"ok":false,"error":"permission denied: %s"}' "$1"
}
conf() {
	refusal "a process under a policy cannot change enforcer ($1)"
}

start_enforcerd $P --socket-group enforcer --admin-group enfadmin
gen0=$(enforcerctl --json status | jsonget generation)
rl0=$(enforcerctl --json stats | jsonget reloads)

# ---- the read tier: --socket-group ----
as_user 1000 enforcerctl stats >/dev/null 2>&1
is "$?" 0 "uid 1000 in the socket group: stats exit 0"
as_user 1000 enforcerctl reload >/dev/null 2>/tmp/t24.err
is "$?" 1 "uid 1000 in the socket group: reload exit 1"
like "$(cat /tmp/t24.err)" "permission denied: reload needs root or group enfadmin" \
	"... with the tier's message"
chmod 666 $S   # from here on the daemon's own check decides
out=$(sockclient -u 1000 -g 1000 -s 'status\nreload\nreopen\nunload\nbind /t24/x namespace=a\n' -c 5 $S |
	grep -v '^0: DONE' | cut -c4- | tail -n 4 | tr '\n' '|')
is "$out" "$(refusal 'reload needs root or group enfadmin')|$(refusal 'reopen needs root or group enfadmin')|$(refusal 'unload needs root or group enfadmin')|$(refusal 'bind needs root or group enfadmin')|" \
	"socket group member: reload, reopen, unload, bind each refused"

# ---- the admin tier: --admin-group, root ----
like "$(sockclient -u 1000 -g 1001 -s 'reload\n' -c 1 $S)" '^0: \{"ok":true,"generation":' \
	"uid 1000 with gid enfadmin: reload passes"
like "$(sockclient -s 'reopen\n' -c 1 $S)" '^0: \{"ok":true' "root outside every policy: reopen passes"
like "$(in_cg t24/free sockclient -s 'reload\n' -c 1 $S)" '^0: \{"ok":true,"generation":' \
	"root in an ungoverned cgroup: reload passes"

# ---- a confined peer: reads only ----
in_cg $CG enforcerctl status >/dev/null 2>&1
is "$?" 0 "confined root: enforcerctl status exit 0"
in_cg $CG enforcerctl stats >/dev/null 2>&1
is "$?" 0 "confined root: enforcerctl stats exit 0"
in_cg $CG enforcerctl reload >/dev/null 2>/tmp/t24.err
is "$?" 1 "confined root: enforcerctl reload exit 1"
like "$(cat /tmp/t24.err)" "a process under a policy cannot change enforcer" "... with the tier's message"
out=$(in_cg $CG sockclient -s 'ping\nreload\nreopen\nunload\nbind /t24/x namespace=a\n' -c 5 $S |
	cut -c4- | tr '\n' '|')
is "$out" '{"ok":true,"pong":true,"proto":1}|'"$(conf reload)|$(conf reopen)|$(conf unload)|$(conf 'bind')|DONE|" \
	"confined root: ping answered; reload, reopen, unload, bind refused"
out=$(in_cg $CG sockclient -u 1000 -g 1001 -s 'reload\n' -c 1 $S | head -n 1 | cut -c4-)
is "$out" "$(conf reload)" "confined uid 1000 with gid enfadmin: reload refused"
like "$(grep "refused 'unload' from uid 0" /tmp/enforcerd.err)" "under a policy" \
	"the refusals are in enforcerd's log"
like "$(enforcerctl --json stats | jsonget control | grep -o '"tier_refused":[0-9]*')" \
	'"tier_refused":([5-9]|[1-9][0-9])' "stats count the refusals"
is "$(in_cg $CG probe exec /usr/bin/denyme)" EPERM "after the attempts: the policy still bites"
is "$(enforcerctl --json status | jsonget live)" true "after the attempts: enforcerd live"
gen1=$(enforcerctl --json status | jsonget generation)
rl1=$(enforcerctl --json stats | jsonget reloads)
is "$rl1" "$((rl0 + 2))" "reloads counted only for the two admitted ones ($rl0 -> $rl1)"
# (the admitted reloads changed nothing: the live half held the set)
is "$gen1" "$gen0" "the generation stayed ($gen0 -> $gen1): nothing to switch"
chmod 660 $S
stop_enforcerd
