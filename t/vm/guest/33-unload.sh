# SPDX-License-Identifier: GPL-2.0-only
# 33-unload.sh - the host service (issue 6): after a kill -9, enforcement
# stays until `enforcerd --unload` removes it; --no-pin pins nothing and
# ends with the daemon.

P=/tmp/pol33
D=/data/t33
CG=t33/conf
PIN=/sys/fs/bpf/enforcer
mkdir -p $D $P
echo secret > $D/secret
cg_make $CG

write_policy $P svc <<INI
[policy]
name = svc
cgroup = /$CG
[exec]
deny = /usr/bin/denyme
[file]
deny = $D/secret
INI

denied_now() {
	[ "$(in_cg $CG probe open $D/secret r)" = EPERM ] &&
		[ "$(in_cg $CG probe exec /usr/bin/denyme)" = EPERM ]
}
pins() {
	find $PIN ! -type d 2>/dev/null | sort
}
passes_soon() {
	_i=0
	while [ "$(in_cg $CG probe open $D/secret r) $(in_cg $CG probe exec /usr/bin/denyme)" != "ok ok" ]; do
		_i=$((_i + 1))
		[ $_i -ge 50 ] && return 1
		sleep 0.2
	done
	diag "passes after $_i retries"
}
cleanup33() {
	unload_enforcer
}
trap cleanup33 EXIT
unload_enforcer     # a state an earlier script left

# ---- enforcerd --unload after a crash ----
start_enforcerd $P
kill_enforcerd
ok "crashed again: still denied" denied_now
enforcerd --unload >/tmp/t33.unload 2>&1
is "$?" 0 "enforcerd --unload exits 0" || diag "$(cat /tmp/t33.unload)"
is "$(pins)" "" "enforcerd --unload: the pins are removed"
is "$(in_cg $CG probe open $D/secret r) $(in_cg $CG probe exec /usr/bin/denyme)" "ok ok" \
	"enforcerd --unload returns once the links are detached: the open and the exec pass at once"
ok "enforcerd --unload: the open and the exec pass (within 10 s)" passes_soon
is "$(in_cg $CG probe exec /usr/bin/denyme)" ok "enforcerd --unload: the exec passes"

# ---- --no-pin: the old behaviour ----
start_enforcerd $P --no-pin
ok "--no-pin: enforcing" denied_now
is "$(pins)" "" "--no-pin: nothing pinned"
KEEP_PINNED=1 stop_enforcerd   # --no-pin must end it by itself
is "$(in_cg $CG probe open $D/secret r)" ok "--no-pin: enforcement ends with the daemon"
