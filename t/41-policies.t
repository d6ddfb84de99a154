#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# 41-policies.t - issue 6: every shipped policy (policies/*.ini) passes
# `enforcerctl check` on this host, alone and all together (unique names),
# and starts with a comment saying what it protects.  The policies are
# exercised in the VM by t/vm/guest/31-policies.sh.
cd "$(dirname "$0")/.." || exit 1
CTL=build/enforcerctl

n=0
failed=0
pass() { n=$((n + 1)); echo "ok $n - $*"; }
fail() { n=$((n + 1)); failed=1; echo "not ok $n - $*"; }
diag() { printf '%s\n' "$*" | sed 's/^/# /'; }

if [ ! -x "$CTL" ]; then
	echo "1..1"
	echo "not ok 1 - $CTL missing (run make)"
	exit 1
fi

for want in demo no-cloud-metadata sshd nginx no-shells readonly-system; do
	if [ -f "policies/$want.ini" ]; then
		pass "policies/$want.ini shipped"
	else
		fail "policies/$want.ini shipped"
	fi
done

for p in policies/*.ini; do
	if out=$("$CTL" --json check "$p" 2>&1); then
		pass "enforcerctl check $p"
	else
		fail "enforcerctl check $p"
		diag "$out"
	fi
	if head -1 "$p" | grep -q '^;'; then
		pass "$p starts with a comment saying what it is for"
	else
		fail "$p starts with a comment saying what it is for"
	fi
done

if out=$("$CTL" --json check policies/*.ini 2>&1); then
	pass "all shipped policies together (unique names)"
else
	fail "all shipped policies together (unique names)"
	diag "$out"
fi

# The unit bindings the service policies promise.
units() { "$CTL" --json check "$1" 2>/dev/null | tr -d '\n' | sed 's/.*"units":\[\([^]]*\)\].*/\1/'; }
case $(units policies/sshd.ini) in
*'"ssh.service"'*'"sshd.service"'*) pass "sshd.ini binds ssh.service and sshd.service" ;;
*) fail "sshd.ini binds ssh.service and sshd.service" ;;
esac
case $(units policies/nginx.ini) in
*'"nginx.service"'*) pass "nginx.ini binds nginx.service" ;;
*) fail "nginx.ini binds nginx.service" ;;
esac
# no-shells: /bin/sh is caught where it points (symlinks resolved).
sh_real=$(readlink -f /bin/sh)
if "$CTL" --json check policies/no-shells.ini | grep -q "\"resolved\":\"$sh_real\""; then
	pass "no-shells.ini: /bin/sh resolved to $sh_real"
else
	fail "no-shells.ini: /bin/sh resolved to $sh_real"
fi

echo "1..$n"
exit $failed
