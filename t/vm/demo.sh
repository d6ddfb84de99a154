# SPDX-License-Identifier: GPL-2.0-only
# demo.sh - what `make demo` shows inside the VM: enforcerd with
# policies/demo.ini (bound to the cgroup /demo) blocking an exec, an open and
# a connect there, with the audit lines it writes, and the same actions
# passing in another cgroup.  Loopback only: nothing leaves the VM.
. /t/lib.sh >/dev/null

say() { printf '%s\n' "$*"; }
try() {
	_cg=$1
	_what=$2
	shift 2
	_r=$(in_cg "$_cg" probe "$@")
	case "$_r" in
	EPERM) say "  [$_cg] $_what -> BLOCKED (EPERM)" ;;
	ok) say "  [$_cg] $_what -> allowed" ;;
	ECONNREFUSED | ENETUNREACH) say "  [$_cg] $_what -> allowed by enforcer (network says $_r)" ;;
	*) say "  [$_cg] $_what -> $_r" ;;
	esac
}

say "== enforcer demo on Linux $(uname -r) =="
say "active LSMs: $(cat /sys/kernel/security/lsm)"
say ""
say "== policies/demo.ini =="
grep -v '^;' /policies/demo.ini | grep -v '^$' | sed 's/^/  /'
say ""
mkdir -p /sys/fs/cgroup/demo /sys/fs/cgroup/other
mkdir -p /run/enforcer
mkdir -p /tmp/demo-policies && cp /policies/demo.ini /tmp/demo-policies/
say "== starting enforcerd --policy-dir /tmp/demo-policies =="
if ! start_enforcerd /tmp/demo-policies >/tmp/demo.start; then
	cat /tmp/demo.start
	say "enforcerd did not start; see above"
	exit 1
fi
sed 's/^/  /' /tmp/enforcerd.err | grep -i 'live' | head -n 3
say ""
say "== inside cgroup /demo (governed by the policy) =="
try /demo "exec /usr/bin/curl        " exec /usr/bin/curl
try /demo "open /etc/shadow for read " open /etc/shadow r
try /demo "open /etc/passwd for write" open /etc/passwd w
try /demo "connect 169.254.169.254:80" connect 169.254.169.254 80 tcp
try /demo "connect 127.0.0.1:25 (SMTP)" connect 127.0.0.1 25 tcp
try /demo "open /etc/passwd for read " open /etc/passwd r
try /demo "connect 127.0.0.1:8080     " connect 127.0.0.1 8080 tcp
say ""
say "== inside cgroup /other (no policy): the same actions =="
try /other "exec /usr/bin/curl        " exec /usr/bin/curl
try /other "open /etc/shadow for read " open /etc/shadow r
try /other "open /etc/passwd for write" open /etc/passwd w
try /other "connect 169.254.169.254:80" connect 169.254.169.254 80 tcp
try /other "connect 127.0.0.1:25 (SMTP)" connect 127.0.0.1 25 tcp
say ""
wait_audit '"hook": *"connect"' 5
stop_enforcerd >/dev/null
say "== audit log (/tmp/audit.log, one JSON object per denial) =="
cat /tmp/audit.log
say ""
say "== the same, fields picked with jsonget =="
jsonget action hook policy rule cgroup comm path access addr port < /tmp/audit.log |
	sed 's/\t(missing)//g; s/^/  /'
say ""
say "Blocked in /demo, allowed in /other. Done."
